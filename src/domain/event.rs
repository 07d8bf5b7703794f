use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::activity::ActivityId;
use super::child::ChildId;
use super::staff::StaffId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EventId(pub u64);

/// What happened on a child's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EventKind {
    /// 谈心: heart-to-heart talk.
    Talk,
    /// 家访: home visit.
    HomeVisit,
    /// 校访: the guardian comes to school.
    SchoolVisit,
    /// 通话: phone or video call between the child and a parent.
    Call,
    /// 写信: letter between the child and a parent.
    Letter,
    /// Contact with the substitute guardian.
    GuardianContact,
    /// 心理辅导: restricted to counsellors.
    Counseling,
    /// Group activity attended.
    Activity,
    /// Guardian training (家长学校) attended.
    Training,
    /// Assistance given: school supplies, subsidies.
    Assistance,
    /// 表彰: 自强少年, 三好生, 优秀留守儿童 ...
    Award,
    /// Illness, safety, behaviour.
    Incident,
    Note,
}

impl EventKind {
    pub const ALL: [EventKind; 13] = [
        EventKind::Talk,
        EventKind::HomeVisit,
        EventKind::SchoolVisit,
        EventKind::Call,
        EventKind::Letter,
        EventKind::GuardianContact,
        EventKind::Counseling,
        EventKind::Activity,
        EventKind::Training,
        EventKind::Assistance,
        EventKind::Award,
        EventKind::Incident,
        EventKind::Note,
    ];

    /// The name used on the command line, in files and in rules.
    pub fn key(self) -> &'static str {
        match self {
            EventKind::Talk => "talk",
            EventKind::HomeVisit => "visit",
            EventKind::SchoolVisit => "school-visit",
            EventKind::Call => "call",
            EventKind::Letter => "letter",
            EventKind::GuardianContact => "guardian",
            EventKind::Counseling => "counseling",
            EventKind::Activity => "activity",
            EventKind::Training => "training",
            EventKind::Assistance => "assistance",
            EventKind::Award => "award",
            EventKind::Incident => "incident",
            EventKind::Note => "note",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            EventKind::Talk => "谈心",
            EventKind::HomeVisit => "家访",
            EventKind::SchoolVisit => "校访",
            EventKind::Call => "通话",
            EventKind::Letter => "写信",
            EventKind::GuardianContact => "监护人",
            EventKind::Counseling => "心理辅导",
            EventKind::Activity => "活动",
            EventKind::Training => "家长学校",
            EventKind::Assistance => "帮扶",
            EventKind::Award => "表彰",
            EventKind::Incident => "事件",
            EventKind::Note => "备注",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            EventKind::Talk => "talk",
            EventKind::HomeVisit => "home visit",
            EventKind::SchoolVisit => "school visit",
            EventKind::Call => "call",
            EventKind::Letter => "letter",
            EventKind::GuardianContact => "guardian",
            EventKind::Counseling => "counselling",
            EventKind::Activity => "activity",
            EventKind::Training => "training",
            EventKind::Assistance => "assistance",
            EventKind::Award => "award",
            EventKind::Incident => "incident",
            EventKind::Note => "note",
        }
    }

    /// Accepts the key, the Chinese name, and a few spellings teachers type.
    pub fn parse(s: &str) -> Option<EventKind> {
        let s = s.trim();
        let alias = match s {
            "home-visit" | "homevisit" => Some(EventKind::HomeVisit),
            "counselling" => Some(EventKind::Counseling),
            "guardian-contact" | "监护人联系" => Some(EventKind::GuardianContact),
            _ => None,
        };
        alias.or_else(|| {
            EventKind::ALL
                .into_iter()
                .find(|k| k.key().eq_ignore_ascii_case(s) || k.zh() == s)
        })
    }

    /// A stable one-byte code for indexes; never renumber.
    pub fn code(self) -> u8 {
        match self {
            EventKind::Talk => 1,
            EventKind::HomeVisit => 2,
            EventKind::SchoolVisit => 3,
            EventKind::Call => 4,
            EventKind::Letter => 5,
            EventKind::GuardianContact => 6,
            EventKind::Counseling => 7,
            EventKind::Activity => 8,
            EventKind::Training => 9,
            EventKind::Assistance => 10,
            EventKind::Award => 11,
            EventKind::Incident => 12,
            EventKind::Note => 13,
        }
    }

    pub fn from_code(code: u8) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether the summary of this kind is restricted to counsellors.
    pub fn is_restricted(self) -> bool {
        self == EventKind::Counseling
    }
}

/// Slots in a child's last-event record: one per event kind code (1–13 today), with room for
/// new kinds without a migration.
pub const LAST_EVENT_SLOTS: usize = 16;

/// A child's latest event of every kind: `(day number, event id)` per kind code, `(0, 0)`
/// for none. Kept with the child's roster summary, in the transaction that logs the event, so
/// that "when was the last home visit" never needs the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastEvents([(i32, u64); LAST_EVENT_SLOTS]);

impl Default for LastEvents {
    fn default() -> Self {
        LastEvents([(0, 0); LAST_EVENT_SLOTS])
    }
}

impl LastEvents {
    /// The latest event of `kind`: its date and id.
    pub fn get(&self, kind: EventKind) -> Option<(NaiveDate, EventId)> {
        let (day, event) = *self.0.get(kind.code() as usize)?;
        if event == 0 {
            return None;
        }
        NaiveDate::from_num_days_from_ce_opt(day).map(|d| (d, EventId(event)))
    }

    /// The `(day number, event id)` of every slot, `(0, 0)` for none: how the store keeps them.
    pub fn slots(&self) -> &[(i32, u64); LAST_EVENT_SLOTS] {
        &self.0
    }

    /// The record of these slots, as [`slots`](Self::slots) gave them.
    pub fn from_slots(slots: [(i32, u64); LAST_EVENT_SLOTS]) -> LastEvents {
        LastEvents(slots)
    }

    /// The day of the latest event of every kind, indexed by kind code, as the day number it
    /// is kept as (days from 1 January of year 1): the queue compares them without dates.
    pub fn days(&self) -> [Option<i32>; LAST_EVENT_SLOTS] {
        self.0
            .map(|(day, event)| if event == 0 { None } else { Some(day) })
    }

    /// Records an event if it is later (by day, then id) than the one kept for its kind; an
    /// event logged late for an earlier day leaves a later one in place.
    pub fn record(&mut self, kind: EventKind, date: NaiveDate, event: EventId) {
        let day = chrono::Datelike::num_days_from_ce(&date);
        if let Some(slot) = self.0.get_mut(kind.code() as usize)
            && (slot.1 == 0 || (day, event.0) > *slot)
        {
            *slot = (day, event.0);
        }
    }
}

/// One entry of a child's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: EventId,
    pub version: u64,
    pub child: ChildId,
    pub kind: EventKind,
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
    /// Who did it (the teacher who made the visit, held the talk ...).
    pub staff: StaffId,
    /// Who took part besides the child and the teacher: 奶奶, 父亲, classmates ...
    pub present: Vec<String>,
    pub summary: String,
    /// Something still needs doing.
    pub follow_up: bool,
    /// The group activity or training this attendance belongs to.
    pub activity: Option<ActivityId>,
}

/// Why and by whom an entry was withdrawn (作废). A voided entry stays on the timeline, struck
/// through, and counts for nothing: no duty, figure or report sees it. Never deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Void {
    pub by: StaffId,
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
    pub reason: String,
}

/// What an edit of a recorded entry may change; the child, the author and the activity an
/// attendance belongs to stay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventChange {
    pub kind: EventKind,
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
    pub present: Vec<String>,
    pub summary: String,
    pub follow_up: bool,
}

impl EventChange {
    /// The entry as it is now, to change a field or two of.
    pub fn of(event: &Event) -> EventChange {
        EventChange {
            kind: event.kind,
            date: event.date,
            present: event.present.clone(),
            summary: event.summary.clone(),
            follow_up: event.follow_up,
        }
    }
}

/// An event as entered, before the store gives it an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvent {
    pub child: ChildId,
    pub kind: EventKind,
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
    pub staff: StaffId,
    pub present: Vec<String>,
    pub summary: String,
    pub follow_up: bool,
}

impl NewEvent {
    pub fn into_event(self, id: EventId, activity: Option<ActivityId>) -> Event {
        Event {
            id,
            version: 1,
            child: self.child,
            kind: self.kind,
            date: self.date,
            staff: self.staff,
            present: self.present,
            summary: self.summary,
            follow_up: self.follow_up,
            activity,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_keys_round_trip_and_are_unique() {
        let mut codes = std::collections::HashSet::new();
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_code(k.code()), Some(k));
            assert_eq!(EventKind::parse(k.key()), Some(k));
            assert_eq!(EventKind::parse(k.zh()), Some(k));
            assert!(codes.insert(k.code()));
        }
        assert_eq!(EventKind::parse("home-visit"), Some(EventKind::HomeVisit));
        assert_eq!(EventKind::parse("party"), None);
    }
}
