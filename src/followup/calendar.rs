//! The school calendar as the duties see it: which days are school days, and the periods in
//! which each cadence falls due. Pure: built from the settings and a date range.

use chrono::{Datelike, Duration, NaiveDate};

use super::rules::Window;
use crate::domain::{Settings, Term, TermKind};

/// One period of a duty: it opens on `open` and is due on `due` (both inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub open: NaiveDate,
    pub due: NaiveDate,
}

impl Period {
    /// A child's file must have been open by the middle of a period for the period to be
    /// owed: a file opened on 25 November owes no November talk.
    pub fn owed_by(&self, opened: NaiveDate) -> bool {
        opened <= self.middle()
    }

    /// The period's middle day (rounded down): the last day a file may open and owe it.
    pub fn middle(&self) -> NaiveDate {
        self.open + Duration::days((self.due - self.open).num_days() / 2)
    }
}

/// A calendar-month period with fewer school days than this joins its neighbour in the same
/// term (the 10 days of July before the summer break belong to June's period).
pub const MIN_MONTH_SCHOOL_DAYS: u32 = 14;
/// The same for weeks (a term that starts on a Friday).
pub const MIN_WEEK_SCHOOL_DAYS: u32 = 3;

/// School days over a range of dates, with the terms they belong to.
#[derive(Debug, Clone)]
pub struct SchoolCalendar {
    first: NaiveDate,
    last: NaiveDate,
    /// `prefix[i]`: school days in `[first, first + i)`.
    prefix: Vec<u32>,
    /// `next[i]`: the position of the first school day on or after `first + i` (the number
    /// of days when there is none), and `prev[i]` one more than the position of the last on
    /// or before it (0 when none): a period is cut to its school days in constant time.
    next: Vec<u32>,
    prev: Vec<u32>,
    terms: Vec<Term>,
}

impl SchoolCalendar {
    /// The first day the calendar covers.
    pub fn first(&self) -> NaiveDate {
        self.first
    }

    /// The calendar of `settings` from `first` to `last` (inclusive). A school day is a day
    /// inside a term and outside every holiday; weekends inside a term count (teachers call and
    /// visit on weekends too). Years the school has not configured follow the default pattern
    /// (autumn 1 Sep – 20 Jan, spring 20 Feb – 10 Jul), so the calendar never runs out.
    pub fn new(settings: &Settings, first: NaiveDate, last: NaiveDate) -> SchoolCalendar {
        let last = last.max(first);
        let days = (last - first).num_days() as usize + 1;
        let terms = terms_covering(settings, first, last);
        let mut school = vec![false; days];
        let mut mark = |from: NaiveDate, to: NaiveDate, value: bool| {
            let (from, to) = (from.max(first), to.min(last));
            if from <= to {
                let (a, b) = (
                    (from - first).num_days() as usize,
                    (to - first).num_days() as usize,
                );
                school[a..=b].iter_mut().for_each(|d| *d = value);
            }
        };
        for t in &terms {
            mark(t.start, t.end, true);
        }
        for h in &settings.holidays {
            mark(h.start, h.end, false);
        }
        let mut prefix = Vec::with_capacity(days + 1);
        prefix.push(0u32);
        let mut count = 0;
        let mut prev = Vec::with_capacity(days);
        let mut last_school = 0u32;
        for (i, &is_school) in school.iter().enumerate() {
            count += u32::from(is_school);
            prefix.push(count);
            if is_school {
                last_school = i as u32 + 1;
            }
            prev.push(last_school);
        }
        let mut next = vec![days as u32; days];
        let mut next_school = days as u32;
        for (i, &is_school) in school.iter().enumerate().rev() {
            if is_school {
                next_school = i as u32;
            }
            next[i] = next_school;
        }
        SchoolCalendar {
            first,
            last,
            prefix,
            next,
            prev,
            terms,
        }
    }

    /// The position of `d` in `prefix`. Every caller first brings `d` within `[first, last]`.
    fn index(&self, d: NaiveDate) -> usize {
        debug_assert!(
            d >= self.first && d <= self.last,
            "{d} outside the calendar"
        );
        (d - self.first).num_days() as usize
    }

    pub fn is_school_day(&self, d: NaiveDate) -> bool {
        d >= self.first && d <= self.last && self.school_days(d, d) == 1
    }

    /// School days in `[from, to]`, within the calendar's range.
    pub fn school_days(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        if to < from {
            return 0;
        }
        let from = from.max(self.first);
        let to = to.min(self.last);
        if to < from {
            return 0;
        }
        self.prefix[self.index(to) + 1] - self.prefix[self.index(from)]
    }

    /// The day on which `n` school days after `anchor` have passed (`anchor` itself not
    /// counted), or `None` beyond the calendar.
    pub fn add_school_days(&self, anchor: NaiveDate, n: u32) -> Option<NaiveDate> {
        if n == 0 {
            return Some(anchor);
        }
        let base = if anchor < self.first {
            0
        } else if anchor > self.last {
            return None;
        } else {
            self.prefix[self.index(anchor) + 1]
        };
        let target = base + n;
        // The first index i with prefix[i] >= target; never 0, as prefix[0] = 0 < target.
        let i = self.prefix.partition_point(|&p| p < target);
        if i >= self.prefix.len() {
            return None;
        }
        Some(self.first + Duration::days(i as i64 - 1))
    }

    /// The first and last school day in `[open, due]` (within the calendar), if it has one.
    fn clip(&self, open: NaiveDate, due: NaiveDate) -> Option<Period> {
        let (open, due) = (open.max(self.first), due.min(self.last));
        if open > due {
            return None;
        }
        let first = self.next[self.index(open)];
        // `prev` holds one past the position: 0 when no school day comes on or before `due`.
        let last = self.prev[self.index(due)].checked_sub(1)?;
        (first <= last).then(|| Period {
            open: self.first + Duration::days(first as i64),
            due: self.first + Duration::days(last as i64),
        })
    }

    /// Calendar periods (months or weeks) over the calendar's range. Unless `in_holidays`,
    /// each is cut to its school days, dropped if it has none, and a short one joins its
    /// neighbour in the same term.
    fn calendar_periods(
        &self,
        starts: impl Iterator<Item = (NaiveDate, NaiveDate)>,
        in_holidays: bool,
        min_days: u32,
    ) -> Vec<Period> {
        let raw: Vec<(NaiveDate, NaiveDate)> = starts.collect();
        if in_holidays {
            return raw
                .into_iter()
                .map(|(open, due)| Period { open, due })
                .collect();
        }
        // Cut at term boundaries too: a month that spans the winter break is two periods.
        let mut pieces: Vec<(Period, usize)> = Vec::new();
        for (open, due) in raw {
            for (ti, t) in self.terms.iter().enumerate() {
                let (o, d) = (open.max(t.start), due.min(t.end));
                if o <= d
                    && let Some(p) = self.clip(o, d)
                {
                    pieces.push((p, ti));
                }
            }
        }
        pieces.sort_by_key(|(p, _)| p.open);
        let mut out = Vec::with_capacity(pieces.len());
        let mut group: Vec<Period> = Vec::new();
        let mut group_term = None;
        for (p, term) in pieces {
            if group_term != Some(term) {
                out.extend(self.join_short(std::mem::take(&mut group), min_days));
                group_term = Some(term);
            }
            group.push(p);
        }
        out.extend(self.join_short(group, min_days));
        out
    }

    /// Within one term: its first period, if it has fewer than `min_days` school days, joins
    /// the next; its last, if short, joins the one before. Periods inside the term keep their
    /// own dates, however many days a holiday took from them.
    fn join_short(&self, mut periods: Vec<Period>, min_days: u32) -> Vec<Period> {
        let short = |c: &Self, p: &Period| c.school_days(p.open, p.due) < min_days;
        if periods.len() > 1 && short(self, &periods[0]) {
            periods[1].open = periods[0].open;
            periods.remove(0);
        }
        let n = periods.len();
        if n > 1 && short(self, &periods[n - 1]) {
            periods[n - 2].due = periods[n - 1].due;
            periods.pop();
        }
        periods
    }

    /// One period per calendar month.
    pub fn month_periods(&self, in_holidays: bool) -> Vec<Period> {
        let mut months = Vec::new();
        let mut start =
            NaiveDate::from_ymd_opt(self.first.year(), self.first.month(), 1).unwrap_or(self.first);
        while start <= self.last {
            let next = if start.month() == 12 {
                NaiveDate::from_ymd_opt(start.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(start.year(), start.month() + 1, 1)
            };
            let Some(next) = next else { break };
            months.push((start, next - Duration::days(1)));
            start = next;
        }
        self.calendar_periods(months.into_iter(), in_holidays, MIN_MONTH_SCHOOL_DAYS)
    }

    /// One period per ISO week, Monday to Sunday.
    pub fn week_periods(&self, in_holidays: bool) -> Vec<Period> {
        let mut weeks = Vec::new();
        let mut start =
            self.first - Duration::days(self.first.weekday().num_days_from_monday() as i64);
        while start <= self.last {
            weeks.push((start, start + Duration::days(6)));
            start += Duration::days(7);
        }
        self.calendar_periods(weeks.into_iter(), in_holidays, MIN_WEEK_SCHOOL_DAYS)
    }

    /// The chosen windows (thirds) of every term.
    pub fn term_window_periods(&self, windows: &[Window], in_holidays: bool) -> Vec<Period> {
        let mut out = Vec::new();
        for t in &self.terms {
            let len = (t.end - t.start).num_days() + 1;
            let bounds = [
                (
                    Window::Start,
                    t.start,
                    t.start + Duration::days(len / 3 - 1),
                ),
                (
                    Window::Middle,
                    t.start + Duration::days(len / 3),
                    t.start + Duration::days(2 * len / 3 - 1),
                ),
                (Window::End, t.start + Duration::days(2 * len / 3), t.end),
            ];
            for (w, open, due) in bounds {
                if !windows.contains(&w) || due < open {
                    continue;
                }
                let p = if in_holidays {
                    Some(Period { open, due })
                } else {
                    self.clip(open, due)
                };
                out.extend(p);
            }
        }
        out.sort_by_key(|p| p.open);
        out
    }

    /// The first `due_days` days of every school year, from each autumn term's start.
    pub fn annual_periods(&self, due_days: u32) -> Vec<Period> {
        let mut out: Vec<Period> = self
            .terms
            .iter()
            .filter(|t| t.kind == TermKind::Autumn)
            .map(|t| Period {
                open: t.start,
                due: t.start + Duration::days(due_days.max(1) as i64 - 1),
            })
            .collect();
        out.sort_by_key(|p| p.open);
        out
    }

    /// The birthday windows of a child born on `birth` (month and day), for every year the
    /// calendar covers. Unless `in_holidays`, each is cut to its school days, and a window
    /// without a school day (a summer birthday) has no period.
    pub fn birthday_periods(
        &self,
        birth: NaiveDate,
        window_days: u32,
        in_holidays: bool,
    ) -> Vec<Period> {
        self.birthday_periods_from(self.first.year(), birth, window_days, in_holidays)
    }

    /// [`birthday_periods`](Self::birthday_periods) of the years from `from` on (and never
    /// before the calendar's first).
    pub fn birthday_periods_from(
        &self,
        from: i32,
        birth: NaiveDate,
        window_days: u32,
        in_holidays: bool,
    ) -> Vec<Period> {
        let mut out = Vec::new();
        // Every year the calendar covers: windows before the file opened are not owed.
        for year in from.max(self.first.year())..=self.last.year() {
            let day = NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
                .or_else(|| NaiveDate::from_ymd_opt(year, 2, 28));
            let Some(day) = day else { continue };
            let w = Duration::days(window_days as i64);
            let (open, due) = (day - w, day + w);
            if in_holidays {
                out.push(Period { open, due });
            } else {
                out.extend(self.clip(open, due));
            }
        }
        out
    }
}

/// The configured terms, and a default term (`Term::default_for`) for every autumn and spring
/// in `[first, last]` that overlaps none of them, in order.
pub fn terms_covering(settings: &Settings, first: NaiveDate, last: NaiveDate) -> Vec<Term> {
    let mut terms: Vec<Term> = settings.terms.clone();
    for year in first.year() - 1..=last.year() {
        for kind in [TermKind::Autumn, TermKind::Spring] {
            if let Some(t) = Term::default_for(kind, year)
                && t.end >= first
                && t.start <= last
                && !settings
                    .terms
                    .iter()
                    .any(|c| c.start <= t.end && t.start <= c.end)
            {
                terms.push(t);
            }
        }
    }
    terms.sort_by_key(|t| t.start);
    terms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Holiday;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal() -> SchoolCalendar {
        let mut s = Settings::default_for(d(2026, 11, 29));
        s.holidays.push(Holiday {
            name: "国庆".into(),
            start: d(2026, 10, 1),
            end: d(2026, 10, 7),
        });
        SchoolCalendar::new(&s, d(2025, 9, 1), d(2027, 12, 31))
    }

    /// Counting from the calendar's first day, and from a day past its last.
    #[test]
    fn adding_school_days_at_the_ends_of_the_calendar() {
        let s = Settings::default_for(d(2026, 11, 29));
        // Its first day, 1 September 2026, is a school day, and is not counted itself.
        let c = SchoolCalendar::new(&s, d(2026, 9, 1), d(2026, 9, 30));
        assert_eq!(c.add_school_days(d(2026, 9, 1), 1), Some(d(2026, 9, 2)));
        assert_eq!(c.add_school_days(d(2026, 8, 20), 1), Some(d(2026, 9, 1)));
        assert_eq!(c.add_school_days(d(2026, 9, 29), 1), Some(d(2026, 9, 30)));
        assert_eq!(c.add_school_days(d(2026, 9, 30), 1), None, "past the end");
        assert_eq!(c.add_school_days(d(2026, 10, 1), 1), None, "after the end");
        assert_eq!(c.add_school_days(d(2026, 10, 1), 0), Some(d(2026, 10, 1)));
    }

    #[test]
    fn school_days_skip_breaks_and_holidays() {
        let c = cal();
        assert!(c.is_school_day(d(2026, 9, 1)));
        assert!(!c.is_school_day(d(2026, 8, 31)), "summer break");
        assert!(!c.is_school_day(d(2026, 10, 3)), "National Day");
        assert!(!c.is_school_day(d(2027, 2, 1)), "winter break");
        assert_eq!(c.school_days(d(2026, 9, 28), d(2026, 10, 9)), 5);
        assert_eq!(c.add_school_days(d(2026, 9, 29), 3), Some(d(2026, 10, 9)));
    }

    /// A first month of exactly the minimum of school days stands alone; one day fewer, it
    /// joins the next month. The same for a last week.
    #[test]
    fn a_short_end_is_shorter_than_the_minimum_not_equal_to_it() {
        let spring_from = |start: NaiveDate| {
            let mut s = Settings::default_for(d(2026, 11, 29));
            s.terms = vec![crate::domain::Term {
                name: "2027春".into(),
                kind: crate::domain::TermKind::Spring,
                start,
                end: d(2027, 7, 10),
            }];
            SchoolCalendar::new(&s, d(2027, 1, 21), d(2027, 7, 31))
        };
        // 15–28 February: 14 school days, the minimum.
        let months = spring_from(d(2027, 2, 15)).month_periods(false);
        assert_eq!(
            months[0],
            Period {
                open: d(2027, 2, 15),
                due: d(2027, 2, 28)
            }
        );
        // 16–28 February: 13, joined with March.
        let months = spring_from(d(2027, 2, 16)).month_periods(false);
        assert_eq!(
            months[0],
            Period {
                open: d(2027, 2, 16),
                due: d(2027, 3, 31)
            }
        );
        // The last week, 5–10 July 2027 (Monday to Saturday), has 6 school days; a term
        // ending on Wednesday 7 July leaves it 3, the minimum, and on Tuesday 2, joined.
        let weeks_to = |end: NaiveDate| {
            let mut s = Settings::default_for(d(2026, 11, 29));
            s.terms = vec![crate::domain::Term {
                name: "2027春".into(),
                kind: crate::domain::TermKind::Spring,
                start: d(2027, 2, 20),
                end,
            }];
            SchoolCalendar::new(&s, d(2027, 1, 21), d(2027, 7, 31)).week_periods(false)
        };
        let last = |w: Vec<Period>| w.iter().rev().find(|p| p.due <= d(2027, 7, 31)).copied();
        assert_eq!(
            last(weeks_to(d(2027, 7, 7))),
            Some(Period {
                open: d(2027, 7, 5),
                due: d(2027, 7, 7)
            })
        );
        assert_eq!(
            last(weeks_to(d(2027, 7, 6))),
            Some(Period {
                open: d(2027, 6, 28),
                due: d(2027, 7, 6)
            })
        );
    }

    #[test]
    fn months_are_cut_to_school_days_and_short_ends_join_their_neighbour() {
        let c = cal();
        let m = c.month_periods(false);
        let around = |day: NaiveDate| m.iter().find(|p| p.open <= day && day <= p.due).copied();
        // September 2026: the whole month.
        assert_eq!(
            around(d(2026, 9, 15)),
            Some(Period {
                open: d(2026, 9, 1),
                due: d(2026, 9, 30)
            })
        );
        // October starts after the National Day holiday.
        assert_eq!(
            around(d(2026, 10, 15)),
            Some(Period {
                open: d(2026, 10, 8),
                due: d(2026, 10, 31)
            })
        );
        // January 2027 has 20 school days before the break: a period of its own.
        assert_eq!(
            around(d(2027, 1, 10)),
            Some(Period {
                open: d(2027, 1, 1),
                due: d(2027, 1, 20)
            })
        );
        // February 20–28 (9 days) joins March.
        assert_eq!(
            around(d(2027, 2, 25)),
            Some(Period {
                open: d(2027, 2, 20),
                due: d(2027, 3, 31)
            })
        );
        // July 1–10 (10 days) joins June.
        assert_eq!(
            around(d(2026, 7, 5)),
            Some(Period {
                open: d(2026, 6, 1),
                due: d(2026, 7, 10)
            })
        );
        // Nothing in the summer break.
        assert_eq!(around(d(2026, 8, 10)), None);
        // With holidays counted, plain calendar months.
        let all = c.month_periods(true);
        assert!(all.contains(&Period {
            open: d(2026, 8, 1),
            due: d(2026, 8, 31)
        }));
    }

    #[test]
    fn term_windows_are_thirds_of_the_term() {
        let c = cal();
        let w = c.term_window_periods(&[Window::Start, Window::Middle, Window::End], false);
        // Autumn 2026: 1 Sep – 20 Jan, 142 days: thirds of 47 days.
        let autumn: Vec<_> = w
            .iter()
            .filter(|p| p.open >= d(2026, 9, 1) && p.due <= d(2027, 1, 20))
            .collect();
        assert_eq!(autumn.len(), 3);
        assert_eq!(
            (autumn[0].open, autumn[0].due),
            (d(2026, 9, 1), d(2026, 10, 17))
        );
        assert_eq!(
            (autumn[1].open, autumn[1].due),
            (d(2026, 10, 18), d(2026, 12, 3))
        );
        assert_eq!(
            (autumn[2].open, autumn[2].due),
            (d(2026, 12, 4), d(2027, 1, 20))
        );
    }

    /// Spring 2027 (20 Feb – 10 Jul) has 141 days: thirds of exactly 47. Only the windows
    /// asked for are periods.
    #[test]
    fn thirds_of_a_term_divisible_by_three_and_only_the_windows_asked_for() {
        let c = cal();
        let spring = |w: &[Window]| -> Vec<(NaiveDate, NaiveDate)> {
            c.term_window_periods(w, false)
                .iter()
                .filter(|p| p.open >= d(2027, 2, 20) && p.due <= d(2027, 7, 10))
                .map(|p| (p.open, p.due))
                .collect()
        };
        assert_eq!(
            spring(&[Window::Start, Window::Middle, Window::End]),
            vec![
                (d(2027, 2, 20), d(2027, 4, 7)),
                (d(2027, 4, 8), d(2027, 5, 24)),
                (d(2027, 5, 25), d(2027, 7, 10)),
            ]
        );
        assert_eq!(
            spring(&[Window::Middle]),
            vec![(d(2027, 4, 8), d(2027, 5, 24))]
        );
        assert_eq!(
            spring(&[Window::Start, Window::End]),
            vec![
                (d(2027, 2, 20), d(2027, 4, 7)),
                (d(2027, 5, 25), d(2027, 7, 10)),
            ]
        );
    }

    /// A term of two days has no first third (its end would come before its start); the
    /// middle and last thirds are its two days, holidays counted or not.
    #[test]
    fn a_term_too_short_for_a_first_third() {
        let mut s = Settings::default_for(d(2026, 11, 29));
        s.terms = vec![crate::domain::Term {
            name: "短学期".into(),
            kind: crate::domain::TermKind::Autumn,
            start: d(2026, 9, 1),
            end: d(2026, 9, 2),
        }];
        let c = SchoolCalendar::new(&s, d(2026, 8, 25), d(2026, 9, 10));
        for in_holidays in [true, false] {
            let all =
                c.term_window_periods(&[Window::Start, Window::Middle, Window::End], in_holidays);
            let short: Vec<(NaiveDate, NaiveDate)> = all
                .iter()
                .filter(|p| p.open >= d(2026, 8, 25) && p.due <= d(2026, 9, 10))
                .map(|p| (p.open, p.due))
                .collect();
            assert_eq!(
                short,
                vec![
                    (d(2026, 9, 1), d(2026, 9, 1)),
                    (d(2026, 9, 2), d(2026, 9, 2))
                ],
                "holidays counted: {in_holidays}"
            );
        }
    }

    /// January belongs to the autumn term that began the year before, also where the school
    /// configured no term (the default pattern).
    #[test]
    fn a_calendar_starting_in_january_has_the_autumn_term_of_the_year_before() {
        let mut s = Settings::default_for(d(2026, 11, 29));
        s.terms.clear();
        let c = SchoolCalendar::new(&s, d(2026, 1, 5), d(2026, 3, 31));
        assert!(c.is_school_day(d(2026, 1, 10)));
        assert!(c.is_school_day(d(2026, 1, 20)));
        assert!(!c.is_school_day(d(2026, 1, 21)), "winter break");
        assert_eq!(c.school_days(d(2026, 1, 5), d(2026, 1, 31)), 16);
    }

    /// A window with one school day is a period of that day; a window before the calendar's
    /// first school day has none.
    #[test]
    fn a_window_with_one_school_day() {
        let c = cal();
        let p = c.birthday_periods(d(2014, 8, 29), 3, false);
        assert!(
            p.contains(&Period {
                open: d(2026, 9, 1),
                due: d(2026, 9, 1)
            }),
            "26 August – 1 September: {p:?}"
        );
        let early = SchoolCalendar::new(
            &Settings::default_for(d(2026, 11, 29)),
            d(2026, 8, 1),
            d(2026, 9, 30),
        );
        assert!(
            !early
                .birthday_periods(d(2014, 8, 10), 3, false)
                .iter()
                .any(|p| p.due < d(2026, 9, 1)),
            "no school day before 1 September"
        );
    }

    #[test]
    fn birthdays_in_the_summer_break_have_no_period() {
        let c = cal();
        let summer = c.birthday_periods(d(2014, 8, 5), 3, false);
        assert!(summer.is_empty(), "{summer:?}");
        let autumn = c.birthday_periods(d(2014, 11, 20), 3, false);
        assert!(autumn.contains(&Period {
            open: d(2026, 11, 17),
            due: d(2026, 11, 23)
        }));
        let leap = c.birthday_periods(d(2016, 2, 29), 3, true);
        assert!(leap.iter().any(|p| p.open == d(2027, 2, 25)));
    }

    #[test]
    fn owed_from_the_middle_of_a_period() {
        let p = Period {
            open: d(2026, 11, 1),
            due: d(2026, 11, 30),
        };
        assert!(p.owed_by(d(2026, 11, 15)));
        assert!(!p.owed_by(d(2026, 11, 16)));
    }
}
