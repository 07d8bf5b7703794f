//! The records the store keeps beside the domain's own: the audit log's entries, the facts
//! of an event its indexes carry, the latest event per child and kind, and every record of
//! a database at once (a backup, a dump).
//!
//! Plain types and their encoding tags only: no table is opened here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codec::Record;
use crate::domain::{
    Activity, ActivityId, Child, ChildId, ChildSummary, Event, EventId, ReportFacts, Settings,
    Staff, StaffId, Task, TaskId, Void,
};

/// Every file's work-summary facts as stored, copied one after the other into one buffer,
/// to be read with their text borrowed from it ([`facts`](Self::facts)): the summary of ten
/// thousand files copies no name, class or guardian.
#[derive(Debug, Default)]
pub struct StoredFacts {
    bytes: Vec<u8>,
    /// Where each record ends in `bytes`.
    ends: Vec<usize>,
}

impl StoredFacts {
    pub(super) fn push(&mut self, record: &[u8]) {
        self.bytes.extend_from_slice(record);
        self.ends.push(self.bytes.len());
    }

    /// The records, in the order they were read (id order).
    pub fn facts(&self) -> super::Result<Vec<ReportFacts<&str>>> {
        let mut start = 0;
        let mut out = Vec::with_capacity(self.ends.len());
        for &end in &self.ends {
            let bytes = self.bytes.get(start..end).unwrap_or_default();
            out.push(
                postcard::from_bytes(bytes).map_err(|source| super::CodecError {
                    type_name: <ReportFacts as Record>::TYPE_NAME,
                    action: "decoded",
                    source,
                })?,
            );
            start = end;
        }
        Ok(out)
    }
}

/// One entry of the audit log: who changed what, when, and the values before and after.
/// Its key is the change sequence number, so the log is also the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: u64,
    /// Wall-clock time of the change, milliseconds since the Unix epoch.
    pub at_unix_ms: i64,
    /// The day the program believed it was (`--today`).
    #[serde(with = "crate::domain::day")]
    pub day: NaiveDate,
    /// The staff member who made the change; `None` for a session that was setting the school
    /// up (no administrator existed when it opened the file), such as `guanai demo`.
    pub actor: Option<StaffId>,
    /// The command's name, e.g. `log_event`.
    pub command: String,
    /// What it changed, e.g. `child:12`.
    pub target: String,
    /// JSON of the record before and after; `None` where there was none.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// An event as the day table knows it (with its summary when asked for, borrowed from the
/// day's row when the row holds it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFacts<'a> {
    pub id: EventId,
    pub child: ChildId,
    pub kind: crate::domain::EventKind,
    pub date: NaiveDate,
    pub staff: StaffId,
    pub summary: Option<std::borrow::Cow<'a, str>>,
}

/// Each stored type's tag, `guanai.` and its name: part of the file format.
macro_rules! record_tags {
    ($($t:ident),*) => {
        $(impl Record for $t {
            const TYPE_NAME: &'static str = concat!("guanai.", stringify!($t));
        })*
    };
}
record_tags!(
    AuditRecord,
    Settings,
    Staff,
    Child,
    ReportFacts,
    ChildSummary,
    Event,
    Activity,
    Task,
    Void
);

/// The key form of a date: chrono's day number from the common era (1 Jan of year 1 is
/// day 1); it orders like the date.
pub fn day_key(date: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&date)
}

pub fn day_from_key(key: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(key)
}

/// One event in a row of the day table. `title` is the entry's summary for the kinds whose
/// summary the work summary names (an award, an activity, a training session: see
/// [`titled`]), empty for the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRecord<'a> {
    pub event: u64,
    pub child: u64,
    pub staff: u64,
    pub title: &'a str,
}

/// Whether the day table keeps the entry's summary as its title.
pub fn titled(kind: crate::domain::EventKind) -> bool {
    use crate::domain::EventKind::{Activity, Award, Training};
    matches!(kind, Award | Activity | Training)
}

/// The events packed in one row of the day table: event, child and staff as little-endian
/// u64, the title's length as a little-endian u16 and its UTF-8 bytes, one after the other
/// in event order. A damaged tail is left out.
pub fn day_records(bytes: &[u8]) -> impl Iterator<Item = DayRecord<'_>> + '_ {
    let mut rest = bytes;
    // An activity puts one title on many entries in a row: a title equal to the one before
    // is that one, already checked.
    let mut last: &str = "";
    std::iter::from_fn(move || {
        let fixed = super::tables::DAY_RECORD;
        let word = |i: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&rest[i * 8..i * 8 + 8]);
            u64::from_le_bytes(b)
        };
        if rest.len() < fixed {
            return None;
        }
        let len = u16::from_le_bytes([rest[24], rest[25]]) as usize;
        // Most entries have no title (only awards, activities and trainings do).
        let title = match rest.get(fixed..fixed + len)? {
            [] => "",
            same if same == last.as_bytes() => last,
            other => std::str::from_utf8(other).ok()?,
        };
        last = title;
        let record = DayRecord {
            event: word(0),
            child: word(1),
            staff: word(2),
            title,
        };
        rest = &rest[fixed + len..];
        Some(record)
    })
}

/// One row of the day table from its events, in event order (titles cut to 65,535 bytes
/// at a character boundary).
pub fn day_row(records: &[(u64, u64, u64, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (event, child, staff, title) in records {
        let mut end = title.len().min(u16::MAX as usize);
        while !title.is_char_boundary(end) {
            end -= 1;
        }
        out.extend_from_slice(&event.to_le_bytes());
        out.extend_from_slice(&child.to_le_bytes());
        out.extend_from_slice(&staff.to_le_bytes());
        out.extend_from_slice(&(end as u16).to_le_bytes());
        out.extend_from_slice(&title.as_bytes()[..end]);
    }
    out
}

#[cfg(test)]
mod day_tests {
    use super::*;

    /// Facts read in place are the stored facts, text and all; a damaged record is an error
    /// naming its type, not a panic or a wrong figure.
    #[test]
    fn stored_facts_read_in_place_are_the_facts() {
        use crate::domain::{LeftBehindType, Status, StatusChange};
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let facts = |id: u64, guardian: Option<(String, Option<String>, String)>| ReportFacts {
            id: ChildId(id),
            name: format!("王小{id}"),
            class: "七(2)班".to_string(),
            birth: day(5, 3),
            left_behind: LeftBehindType::OneParent,
            mentor: Some(StaffId(3)),
            guardian,
            key_support: id.is_multiple_of(2),
            poverty_support: false,
            boarding: true,
            surveyed: Some(day(9, 1)),
            status_history: vec![StatusChange {
                date: day(9, 1),
                status: Status::Active,
            }],
        };
        let all = [
            facts(
                1,
                Some(("王奶奶".into(), Some("13800000000".into()), "祖母".into())),
            ),
            facts(2, None),
            facts(3, Some(("李爷爷".into(), None, "".into()))),
        ];
        let mut stored = StoredFacts::default();
        for f in &all {
            stored.push(&postcard::to_stdvec(f).unwrap());
        }
        let read = stored.facts().unwrap();
        assert_eq!(read.len(), 3);
        for (r, f) in read.iter().zip(&all) {
            assert_eq!(
                (r.id, r.name, r.class),
                (f.id, f.name.as_str(), f.class.as_str())
            );
            assert_eq!(
                r.guardian,
                f.guardian
                    .as_ref()
                    .map(|(n, p, rel)| (n.as_str(), p.as_deref(), rel.as_str()))
            );
            assert_eq!(
                (r.birth, r.key_support, r.surveyed, r.opened()),
                (f.birth, f.key_support, f.surveyed, Some(day(9, 1)))
            );
        }
        let mut damaged = StoredFacts::default();
        damaged.push(&[0xff, 0xff, 0xff]);
        let err = damaged.facts().unwrap_err().to_string();
        assert!(err.contains("guanai.ReportFacts"), "{err}");
    }

    #[test]
    fn a_day_row_reads_back_what_was_written_and_stops_at_a_damaged_tail() {
        let rows = vec![
            (1, 2, 3, String::new()),
            (4, 5, 6, "县级三好学生".to_string()),
            (u64::MAX, 0, 7, "家长学校".to_string()),
        ];
        let bytes = day_row(&rows);
        let back: Vec<(u64, u64, u64, String)> = day_records(&bytes)
            .map(|r| (r.event, r.child, r.staff, r.title.to_string()))
            .collect();
        assert_eq!(back, rows);
        // Cut inside the last record's title: the first two only.
        assert_eq!(day_records(&bytes[..bytes.len() - 2]).count(), 2);
        assert_eq!(day_records(&bytes[..25]).count(), 0);
        assert_eq!(day_records(&[]).count(), 0);
        // A title longer than a row can say is cut at a character boundary.
        // (a character of four bytes: 65,535 is not a multiple of it.)
        let long = "𠀀".repeat(20_000);
        let bytes = day_row(&[(9, 9, 9, long)]);
        let title = day_records(&bytes).next().unwrap().title;
        assert_eq!(title.len(), 65_532);
        assert!(title.chars().all(|c| c == '𠀀'));
    }

    /// A title repeated from the entry before is read as that one; a different one, or one
    /// that is not UTF-8, is checked on its own.
    #[test]
    fn repeated_titles_read_back_and_a_broken_one_still_ends_the_row() {
        let rows: Vec<(u64, u64, u64, String)> =
            ["读书活动", "读书活动", "", "读书活动", "读书", "读书活动"]
                .iter()
                .enumerate()
                .map(|(i, t)| (i as u64, 1, 1, t.to_string()))
                .collect();
        let bytes = day_row(&rows);
        let back: Vec<(u64, u64, u64, String)> = day_records(&bytes)
            .map(|r| (r.event, r.child, r.staff, r.title.to_string()))
            .collect();
        assert_eq!(back, rows);
        // The third entry's title bytes broken: the two before it only.
        let mut broken = day_row(&rows[..2]);
        broken.extend(day_row(&[(7, 1, 1, "读书活动".to_string())]));
        let at = broken.len() - 2;
        broken[at] = 0xff;
        let titles: Vec<&str> = day_records(&broken).map(|r| r.title).collect();
        assert_eq!(titles, ["读书活动", "读书活动"]);
    }
}

/// The last event of one kind for one child, as kept by the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastEvent {
    pub date: NaiveDate,
    pub event: EventId,
}

/// Every record of a database but the audit log: what a backup copies and a dump carries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Records {
    pub settings: Option<Settings>,
    pub staff: Vec<Staff>,
    pub children: Vec<Child>,
    pub events: Vec<Event>,
    pub activities: Vec<Activity>,
    pub tasks: Vec<Task>,
    /// Headers mapped to fields on import (normalised header, field key).
    #[serde(default)]
    pub import_columns: Vec<(String, String)>,
    /// Events marked as typical cases.
    #[serde(default)]
    pub typical: Vec<EventId>,
    /// Entries withdrawn (作废), with who withdrew them, when and why.
    #[serde(default)]
    pub voided: Vec<(EventId, Void)>,
    /// Group activities withdrawn.
    #[serde(default)]
    pub voided_activities: Vec<(ActivityId, Void)>,
    /// Tasks withdrawn.
    #[serde(default)]
    pub voided_tasks: Vec<(TaskId, Void)>,
}
