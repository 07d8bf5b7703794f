//! What the figures are computed from: the school's files, events and activities as the
//! service gathers them ([`ReportInput`]), each event in 32 bytes with its title kept in
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

/// What the figures need of an event: 32 bytes, for the few hundred thousand events of two
/// terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportEvent {
    pub child: ChildId,
    pub staff: StaffId,
    pub date: NaiveDate,
    /// The summary of an award, an activity or a training session (its title), kept in the
    /// report's [`Titles`]; `None` for other kinds, whose text the summary never quotes.
    pub title: Option<TitleId>,
    pub kind: EventKind,
    /// A teacher marked it as a typical case (典型案例).
    pub typical: bool,
}

/// A title kept in [`Titles`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TitleId(u32);

/// The titles of a report's events, each kept once (an activity puts the same title on every
/// child's timeline).
#[derive(Debug, Default)]
pub struct Titles {
    all: Vec<String>,
    known: HashMap<String, TitleId>,
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

    /// A period's events are found by searching the dated list: the first and last day are
    /// in, the days around are not, and a period without events has none.
    #[test]
    fn a_periods_events_are_its_first_to_its_last_day() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 9, d).unwrap();
        let event = |d| ReportEvent {
            child: ChildId(1),
            staff: StaffId(1),
            date: day(d),
            title: None,
            kind: EventKind::Talk,
            typical: false,
        };
        let events: Vec<ReportEvent> = [1, 2, 2, 5, 9, 10, 10, 11].map(event).to_vec();
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
                .map(|e| chrono::Datelike::day(&e.date))
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
