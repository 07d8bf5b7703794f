//! What the figures are computed from: the school's files, events and activities as the
//! service gathers them ([`ReportInput`]), each event in 16 bytes with its title kept in
//! [`Titles`], and how far back the events must reach ([`events_needed_from`]). Pure data: no
//! counting here, no reading of the database.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::{Activity, ChildId, EventKind, ReportFacts, Settings, Staff, StaffId};
use crate::followup::{Cadence, Rules, SchoolCalendar, shared_periods};

/// What the figures are computed from.
pub struct ReportInput<'a> {
    pub school: &'a str,
    /// The term's name, when the period is a term.
    pub term: Option<&'a str>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Periods due after today are not counted in the duties' coverage.
    pub today: NaiveDate,
    pub settings: &'a Settings,
    pub rules: &'a Rules,
    pub staff: &'a [Staff],
    /// Every file, archived ones included.
    pub children: &'a [ReportFacts<&'a str>],
    /// Events from [`events_needed_from`] to `to` at least (more do no harm), in date order
    /// (the day table's): a period's events are found by searching, not by reading them all.
    pub events: &'a [ReportEvent],
    /// The events' titles.
    pub titles: &'a Titles,
    pub activities: &'a [Activity],
}

/// What the figures need of an event, in 16 bytes, for the few hundred thousand events of
/// two terms: the child's and the staff member's ids as 32-bit numbers, the date (4 bytes),
/// the kind, and the title's number with the typical-case mark beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportEvent {
    child: u32,
    staff: u32,
    date: NaiveDate,
    kind: EventKind,
    /// The title's number plus one (0: none) in the low 23 bits, little-endian; the top bit
    /// marks a typical case (典型案例).
    title: [u8; 3],
}

/// The typical-case bit of [`ReportEvent::title`]'s 24.
const TYPICAL: u32 = 1 << 23;

impl ReportEvent {
    /// An event of `child` recorded by `staff` on `date`. `title` is the summary of an
    /// award, an activity or a training session, kept in the report's [`Titles`]; `None`
    /// for other kinds, whose text the summary never quotes. `typical`: a teacher marked it
    /// as a typical case.
    ///
    /// `None` when an id is above what 32 bits hold, or the title's number above eight
    /// million: numbers this program never gives (it counts files, staff and titles from
    /// one), so only a file put together by hand has them.
    pub fn new(
        child: ChildId,
        staff: StaffId,
        date: NaiveDate,
        title: Option<TitleId>,
        kind: EventKind,
        typical: bool,
    ) -> Option<ReportEvent> {
        let title = match title {
            Some(t) => t.0.checked_add(1).filter(|n| *n < TYPICAL)?,
            None => 0,
        };
        let title = title | if typical { TYPICAL } else { 0 };
        let [a, b, c, _] = title.to_le_bytes();
        Some(ReportEvent {
            child: u32::try_from(child.0).ok()?,
            staff: u32::try_from(staff.0).ok()?,
            date,
            kind,
            title: [a, b, c],
        })
    }

    pub fn child(&self) -> ChildId {
        ChildId(self.child.into())
    }

    pub fn staff(&self) -> StaffId {
        StaffId(self.staff.into())
    }

    pub fn date(&self) -> NaiveDate {
        self.date
    }

    pub fn kind(&self) -> EventKind {
        self.kind
    }

    pub fn title(&self) -> Option<TitleId> {
        (self.title_word() & (TYPICAL - 1))
            .checked_sub(1)
            .map(TitleId)
    }

    pub fn typical(&self) -> bool {
        self.title_word() & TYPICAL != 0
    }

    /// The title's number and the typical-case mark, as one number.
    fn title_word(&self) -> u32 {
        let [a, b, c] = self.title;
        u32::from_le_bytes([a, b, c, 0])
    }

    /// The same event with another title: `None` when its number is beyond what
    /// [`new`](Self::new) takes.
    pub fn with_title(self, title: Option<TitleId>) -> Option<ReportEvent> {
        ReportEvent::new(
            self.child(),
            self.staff(),
            self.date,
            title,
            self.kind,
            self.typical(),
        )
    }
}

/// A title kept in [`Titles`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TitleId(u32);

impl TitleId {
    /// This title's id once its titles are appended `shift` on ([`Titles::append`]).
    pub fn after(self, shift: u32) -> TitleId {
        TitleId(self.0.saturating_add(shift))
    }
}

/// The titles of a report's events, each kept once (an activity puts the same title on every
/// child's timeline).
#[derive(Debug, Default)]
pub struct Titles {
    all: Vec<String>,
    known: HashMap<String, TitleId, crate::domain::FastHash>,
}

impl ReportInput<'_> {
    /// The events dated from `from` to `to`, both included.
    pub fn events_in(&self, from: NaiveDate, to: NaiveDate) -> &[ReportEvent] {
        let start = self.events.partition_point(|e| e.date < from);
        let end = self.events.partition_point(|e| e.date <= to).max(start);
        &self.events[start..end]
    }
}

impl Titles {
    pub fn keep(&mut self, title: &str) -> TitleId {
        // An activity's entries come one after the other: the last title first.
        if let Some(last) = self.all.last()
            && last == title
        {
            return TitleId(self.all.len() as u32 - 1);
        }
        if let Some(id) = self.known.get(title) {
            return *id;
        }
        let id = TitleId(self.all.len() as u32);
        self.all.push(title.to_string());
        self.known.insert(title.to_string(), id);
        id
    }

    pub fn get(&self, id: TitleId) -> &str {
        self.all.get(id.0 as usize).map_or("", String::as_str)
    }

    /// Takes in `other`'s titles after these: its title `t` is then
    /// `t.after(shift)` here, for the returned `shift`. A title both had is kept twice, each
    /// id reading it.
    pub fn append(&mut self, other: Titles) -> u32 {
        let shift = self.all.len() as u32;
        for (id, title) in other.all.into_iter().enumerate() {
            let id = TitleId(shift.saturating_add(id as u32));
            self.known.entry(title.clone()).or_insert(id);
            self.all.push(title);
        }
        shift
    }
}

/// The calendar the coverage is computed on: far enough back for every period due in the
/// report to be whole, far enough ahead for the birthday windows.
pub(super) fn calendar_for(settings: &Settings, from: NaiveDate, to: NaiveDate) -> SchoolCalendar {
    SchoolCalendar::new(
        settings,
        from - chrono::Duration::days(400),
        to + chrono::Duration::days(400),
    )
}

/// The first day events are needed from: the earliest opening of a period due in
/// `[from, to]` (a duty's period may open before the report starts: the school year's
/// re-survey, a birthday window), and `from` itself.
pub fn events_needed_from(
    settings: &Settings,
    rules: &Rules,
    from: NaiveDate,
    to: NaiveDate,
) -> NaiveDate {
    let calendar = calendar_for(settings, from, to);
    let mut first = from;
    for duty in &rules.duties {
        match (&duty.cadence, shared_periods(&calendar, duty)) {
            (_, Some(periods)) => {
                for p in periods.iter().filter(|p| p.due >= from && p.due <= to) {
                    first = first.min(p.open);
                }
            }
            // A window due on `from` or later opens at most twice its half-width before it.
            (Cadence::Birthday { window_days }, None) => {
                first = first.min(from - chrono::Duration::days(*window_days as i64 * 2));
            }
            _ => {}
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_kept_twice_is_kept_once() {
        let mut t = Titles::default();
        let a = t.keep("读书活动");
        let b = t.keep("读书活动");
        let c = t.keep("家长学校");
        let d = t.keep("读书活动");
        let empty = t.keep("");
        assert_eq!((a, b, d), (a, a, a), "a run and a later repeat alike");
        assert_ne!(a, c);
        assert_eq!(
            (t.get(a), t.get(c), t.get(empty)),
            ("读书活动", "家长学校", "")
        );
        assert_eq!(t.get(TitleId(99)), "", "not kept");
    }

    /// An event comes back as it was made, in 16 bytes, at the ends of each field's range.
    #[test]
    fn an_event_in_16_bytes_is_the_event() {
        assert_eq!(std::mem::size_of::<ReportEvent>(), 16);
        let dates = [
            NaiveDate::MIN,
            NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            NaiveDate::MAX,
        ];
        let titles = [None, Some(TitleId(0)), Some(TitleId(TYPICAL - 2))];
        for (date, title) in dates.into_iter().zip(titles) {
            for typical in [false, true] {
                for kind in [EventKind::Talk, EventKind::Award, EventKind::Note] {
                    let e = ReportEvent::new(
                        ChildId(u32::MAX.into()),
                        StaffId(7),
                        date,
                        title,
                        kind,
                        typical,
                    )
                    .unwrap();
                    assert_eq!(
                        (
                            e.child(),
                            e.staff(),
                            e.date(),
                            e.title(),
                            e.kind(),
                            e.typical()
                        ),
                        (
                            ChildId(u32::MAX.into()),
                            StaffId(7),
                            date,
                            title,
                            kind,
                            typical
                        )
                    );
                }
            }
        }
    }

    #[test]
    fn numbers_beyond_32_bits_or_eight_million_titles_make_no_event() {
        let date = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        let beyond = u64::from(u32::MAX) + 1;
        let make = |child, staff, title| {
            ReportEvent::new(
                ChildId(child),
                StaffId(staff),
                date,
                title,
                EventKind::Award,
                true,
            )
        };
        assert_eq!(make(beyond, 1, None), None);
        assert_eq!(make(1, beyond, None), None);
        assert_eq!(make(1, 1, Some(TitleId(TYPICAL - 1))), None);
        assert_eq!(make(1, 1, Some(TitleId(u32::MAX))), None);
        assert!(make(1, 1, Some(TitleId(TYPICAL - 2))).is_some());
    }

    /// Titles appended after others are found at their shifted ids; one both had is read
    /// by either id, and kept again adds nothing.
    #[test]
    fn titles_appended_are_found_shifted() {
        let mut first = Titles::default();
        let reading = first.keep("读书活动");
        let mut later = Titles::default();
        let school = later.keep("家长学校");
        let again = later.keep("读书活动");
        let shift = first.append(later);
        assert_eq!(shift, 1);
        assert_eq!(first.get(school.after(shift)), "家长学校");
        assert_eq!(first.get(again.after(shift)), "读书活动");
        assert_eq!(first.get(reading), "读书活动");
        let kept = first.keep("读书活动");
        assert_eq!(first.get(kept), "读书活动");
        assert_eq!(first.keep("家长学校"), school.after(shift));
        assert_eq!(
            first.keep("手拉手"),
            TitleId(3),
            "nothing was added before it"
        );
    }

    /// An event given another title keeps everything else, the typical-case mark too; a
    /// title beyond the range makes none.
    #[test]
    fn an_event_with_another_title_keeps_the_rest() {
        let day = NaiveDate::from_ymd_opt(2026, 9, 3).unwrap();
        let e = ReportEvent::new(
            ChildId(7),
            StaffId(2),
            day,
            Some(TitleId(4)),
            EventKind::Award,
            true,
        )
        .unwrap();
        let moved = e.with_title(Some(TitleId(9))).unwrap();
        assert_eq!(
            (moved.child(), moved.staff(), moved.date(), moved.kind()),
            (ChildId(7), StaffId(2), day, EventKind::Award)
        );
        assert_eq!((moved.title(), moved.typical()), (Some(TitleId(9)), true));
        assert_eq!(e.with_title(None).map(|x| x.title()), Some(None));
        assert_eq!(e.with_title(Some(TitleId(TYPICAL))), None);
    }

    /// A period's events are found by searching the dated list: the first and last day are
    /// in, the days around are not, and a period without events has none.
    #[test]
    fn a_periods_events_are_its_first_to_its_last_day() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 9, d).unwrap();
        let event =
            |d| ReportEvent::new(ChildId(1), StaffId(1), day(d), None, EventKind::Talk, false);
        let events: Vec<ReportEvent> = [1, 2, 2, 5, 9, 10, 10, 11]
            .map(|d| event(d).unwrap())
            .to_vec();
        let settings = Settings::default_for(day(1));
        let rules = Rules::defaults();
        let titles = Titles::default();
        let input = ReportInput {
            school: "",
            term: None,
            from: day(1),
            to: day(30),
            today: day(30),
            settings: &settings,
            rules: &rules,
            staff: &[],
            children: &[],
            events: &events,
            titles: &titles,
            activities: &[],
        };
        let days = |from, to| -> Vec<u32> {
            input
                .events_in(day(from), day(to))
                .iter()
                .map(|e| chrono::Datelike::day(&e.date()))
                .collect()
        };
        assert_eq!(days(2, 10), [2, 2, 5, 9, 10, 10]);
        assert_eq!(days(3, 8), [5]);
        assert_eq!(days(6, 8), Vec::<u32>::new());
        assert_eq!(days(12, 20), Vec::<u32>::new());
        assert_eq!(days(1, 1), [1]);
        assert_eq!(days(11, 11), [11]);
        assert_eq!(
            days(10, 2),
            Vec::<u32>::new(),
            "a period that ends before it starts"
        );
    }
}
