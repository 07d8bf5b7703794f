//! The overdue queue: for every active child and every duty, whether it is done for the
//! current period, how many periods passed without it, how late it is, who must do it, and
//! how urgent it is. docs/followup.md is the specification; the tests follow it.
//!
//! Pure: the caller passes the facts of each child (its last event of every kind, read from
//! the per-child index, never from the history), the staff, the rules and today.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use super::calendar::{Period, SchoolCalendar};
use super::rules::{Cadence, Duty, Responsible, Rules, Source};
use crate::domain::{
    ChildId, ChildSummary, EventKind, LeftBehindType, Role, Settings, Staff, StaffId, StaffRef,
};

/// The latest day of each event kind for one child, indexed by `EventKind::code()`, as day
/// numbers ([`day_number`]): the store keeps them so, and the queue compares them so, without
/// turning each into a date and back.
pub type LastDays = [Option<i32>; 16];

/// A date as the day number the queue computes with (days from 1 January of year 1, as
/// chrono counts them and the store keeps them).
pub fn day_number(d: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&d)
}

/// What the queue needs to know about one active child.
#[derive(Debug, Clone)]
pub struct ChildFacts<'a> {
    pub id: ChildId,
    pub class: &'a str,
    pub birth: NaiveDate,
    pub opened: NaiveDate,
    pub key_support: bool,
    pub boarding: bool,
    pub poverty_support: bool,
    pub left_behind: LeftBehindType,
    pub mentor: Option<StaffId>,
    pub surveyed: Option<NaiveDate>,
    pub last: LastDays,
}

impl<'a> ChildFacts<'a> {
    /// What the queue needs of a file's roster summary.
    pub fn of<S: AsRef<str>>(c: &'a ChildSummary<S>) -> ChildFacts<'a> {
        ChildFacts {
            id: c.id,
            class: c.class.as_ref(),
            birth: c.birth,
            opened: c.opened,
            key_support: c.key_support,
            boarding: c.boarding,
            poverty_support: c.poverty_support,
            left_behind: c.left_behind,
            mentor: c.mentor,
            surveyed: c.surveyed,
            last: c.last.days(),
        }
    }

    fn last_of(&self, kind: EventKind) -> Option<i32> {
        self.last.get(kind.code() as usize).copied().flatten()
    }

    /// The latest day at which anything satisfying `duty` happened.
    fn last_satisfying(&self, duty: &Duty) -> Option<i32> {
        duty.sources
            .iter()
            .filter_map(|s| match s {
                Source::Kind(k) => self.last_of(*k),
                Source::Survey => self.surveyed.map(day_number),
            })
            .max()
    }

    fn concerned_by(&self, duty: &Duty) -> bool {
        duty.children.include(
            self.key_support,
            self.boarding,
            self.poverty_support,
            self.left_behind,
        )
    }
}

/// One row of the queue: one child and one duty that is overdue or due soon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueRow {
    pub child: ChildId,
    /// Index into `Rules::duties`.
    pub duty: usize,
    /// The due date of the earliest period missed, or of the current period.
    pub due: NaiveDate,
    /// `today - due` in days: positive when overdue, negative when due in that many days.
    pub days_overdue: i64,
    /// Periods that ended without the duty done, since the last time it was done.
    pub periods_missed: u32,
    pub assignee: Option<StaffId>,
    pub urgency: f64,
    /// The parts of the urgency, for explaining the order.
    pub key_support: bool,
    pub open_incident: bool,
    pub no_parent_contact: bool,
}

/// Who does what: class teachers by class, the counsellor. Built from the staff one by one
/// ([`add`](Self::add)), so that a caller reading them in place need not copy them out.
#[derive(Debug, Clone, Default)]
pub struct Assignees {
    /// Looked up once per child.
    class_teacher: HashMap<String, StaffId, crate::domain::FastHash>,
    counselor: Option<StaffId>,
}

impl Assignees {
    pub fn new(staff: &[Staff]) -> Assignees {
        let mut a = Assignees::default();
        for s in staff {
            a.add(&s.as_ref());
        }
        a
    }

    /// Takes in the next staff member, in id order: the first active class teacher of a
    /// class and the first active counsellor are the ones responsible.
    pub fn add(&mut self, s: &StaffRef<'_>) {
        if !s.active {
            return;
        }
        if s.has_role(Role::ClassTeacher) {
            for c in &s.classes {
                if !self.class_teacher.contains_key(*c) {
                    self.class_teacher.insert(c.to_string(), s.id);
                }
            }
        }
        if self.counselor.is_none() && s.has_role(Role::Counselor) {
            self.counselor = Some(s.id);
        }
    }

    fn for_duty(
        &self,
        duty: &Duty,
        child: &ChildFacts,
        class_teacher: Option<StaffId>,
    ) -> Option<StaffId> {
        match duty.responsible {
            Responsible::Mentor => child.mentor.or(class_teacher),
            Responsible::ClassTeacher => class_teacher,
            Responsible::Counselor => self.counselor,
        }
    }
}

/// Where a child stands on one duty: nothing to show, or a row's date figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub due: NaiveDate,
    pub days_overdue: i64,
    pub periods_missed: u32,
}

/// Periods in order, with their dates as day numbers for the binary searches of the hot
/// path (one per child and duty).
#[derive(Debug, Clone)]
pub struct PeriodTable {
    periods: Vec<Period>,
    /// (open, due, last day a file may open and still owe the period) as day numbers.
    keys: Vec<(i32, i32, i32)>,
    /// Today and the first period ending today or later, worked out once for the whole
    /// roster ([`at`](Self::at)): it is the same for every child.
    now: Option<(i32, usize)>,
    /// The two searches of every child's standing, answered per day for the years around
    /// today ([`at`](Self::at)): no binary search per child and duty.
    by_day: Option<DayIndex>,
}

/// For each day from `base`: how many periods have their middle before it (`owed`: the first
/// period a file opened that day owes) and how many opened on it or before (`opened`: the
/// first period after a last event that day).
#[derive(Debug, Clone)]
struct DayIndex {
    base: i32,
    owed: Vec<u32>,
    opened: Vec<u32>,
}

fn day(d: NaiveDate) -> i32 {
    day_number(d)
}

impl PeriodTable {
    pub fn new(periods: Vec<Period>) -> PeriodTable {
        let mut table = PeriodTable {
            periods,
            keys: Vec::new(),
            now: None,
            by_day: None,
        };
        table.index();
        table
    }

    /// The table with its current period found for `today` once, for every child after.
    pub fn at(mut self, today: NaiveDate) -> PeriodTable {
        let t = day(today);
        self.now = Some((t, self.current(t)));
        self
    }

    /// [`at`](Self::at), and the searches answered per day for the six years before today and
    /// what follows (a day outside them is searched for): for a table every child is stood
    /// against (a birthday's windows serve a few children each, and are searched).
    pub fn indexed_at(self, today: NaiveDate) -> PeriodTable {
        let t = day(today);
        let mut table = self.at(today);
        table.by_day = Some(table.day_index(t));
        table
    }

    fn day_index(&self, t: i32) -> DayIndex {
        let base = t - 6 * 366;
        let end = self
            .keys
            .iter()
            .map(|k| k.0.max(k.2))
            .max()
            .map_or(base, |last| (last + 1).clamp(base, t + 800));
        let (mut owed, mut opened) = (0usize, 0usize);
        let mut index = DayIndex {
            base,
            owed: Vec::with_capacity((end - base + 1) as usize),
            opened: Vec::with_capacity((end - base + 1) as usize),
        };
        // The searches' own answers for the first day, then one sweep forward: both
        // predicates hold for a prefix of the periods, longer as the day moves on.
        owed += self.keys.partition_point(|k| k.2 < base);
        opened += self.keys.partition_point(|k| k.0 <= base);
        for d in base..=end {
            while self.keys.get(owed).is_some_and(|k| k.2 < d) {
                owed += 1;
            }
            while self.keys.get(opened).is_some_and(|k| k.0 <= d) {
                opened += 1;
            }
            index.owed.push(owed as u32);
            index.opened.push(opened as u32);
        }
        index
    }

    /// The first period a file opened on day `o` owes: the first whose middle is on `o` or
    /// later.
    fn first_owed(&self, o: i32) -> usize {
        self.answer(o, |i| &i.owed, |k| k.2 < o)
    }

    /// The first period opened after day `l`.
    fn opened_after(&self, l: i32) -> usize {
        self.answer(l, |i| &i.opened, |k| k.0 <= l)
    }

    /// The count of periods that `before` holds for, answered per day for `day` when the day
    /// index covers it, else searched for.
    fn answer(
        &self,
        day: i32,
        per_day: impl Fn(&DayIndex) -> &Vec<u32>,
        before: impl Fn(&(i32, i32, i32)) -> bool,
    ) -> usize {
        let known = self
            .by_day
            .as_ref()
            .and_then(|i| per_day(i).get(usize::try_from(day - i.base).ok()?));
        match known {
            Some(&n) => n as usize,
            None => self.keys.partition_point(before),
        }
    }

    /// The first period ending on day `t` or later.
    fn current(&self, t: i32) -> usize {
        match self.now {
            Some((d, n)) if d == t => n,
            _ => self.keys.partition_point(|k| k.1 < t),
        }
    }

    fn index(&mut self) {
        self.periods.sort_by_key(|p| p.open);
        self.keys.clear();
        self.keys.extend(self.periods.iter().map(|p| {
            let (open, due) = (day(p.open), day(p.due));
            (open, due, open + (due - open) / 2)
        }));
    }
}

/// The periods of a duty that are the same for every child (month, week, term windows,
/// school year); `None` for rolling and birthday duties.
pub fn shared_periods(calendar: &SchoolCalendar, duty: &Duty) -> Option<Vec<Period>> {
    match &duty.cadence {
        Cadence::Month => Some(calendar.month_periods(duty.in_holidays)),
        Cadence::Week => Some(calendar.week_periods(duty.in_holidays)),
        Cadence::TermWindows(w) => Some(calendar.term_window_periods(w, duty.in_holidays)),
        Cadence::Annual { due_days } => Some(calendar.annual_periods(*due_days)),
        Cadence::Rolling(_) | Cadence::Birthday { .. } => None,
    }
}

/// Evaluates one child against a duty's periods (see docs/followup.md, "Periods").
pub fn standing(
    table: &PeriodTable,
    last: Option<NaiveDate>,
    opened: NaiveDate,
    today: NaiveDate,
) -> Option<Standing> {
    standing_on(table, last.map(day), day(opened), day(today))
}

/// [`standing`] on day numbers: the queue's hot path, once per child and duty.
fn standing_on(table: &PeriodTable, l: Option<i32>, o: i32, t: i32) -> Option<Standing> {
    let keys = &table.keys;
    // Periods ending before today are past; the first one ending today or later is current
    // (if it has opened) or next.
    let now = table.current(t);
    // Owed periods form a suffix (the file must be open by each one's middle).
    let first_owed = table.first_owed(o);
    // Past periods opened after the last satisfying event were missed.
    let after_last = match l {
        Some(l) => table.opened_after(l),
        None => 0,
    };
    let first_missed = first_owed.max(after_last);
    let missed = now.saturating_sub(first_missed) as u32;
    // The first owed period not yet due: the current one, or the next the child owes.
    let up = now.max(first_owed);
    let upcoming = keys.get(up);
    if let Some(k) = upcoming
        && k.0 <= t
        && l.is_some_and(|l| l >= k.0)
    {
        // Done for the current period: the row clears, whatever was missed before.
        return None;
    }
    if missed > 0 {
        return Some(Standing {
            due: table.periods[first_missed].due,
            days_overdue: (t - keys[first_missed].1) as i64,
            periods_missed: missed,
        });
    }
    upcoming.map(|k| Standing {
        due: table.periods[up].due,
        days_overdue: (t - k.1) as i64,
        periods_missed: 0,
    })
}

/// A rolling duty: at most `n` school days between satisfying events (calendar days when
/// `in_holidays`).
fn rolling_standing(
    calendar: &SchoolCalendar,
    n: u32,
    in_holidays: bool,
    last: Option<NaiveDate>,
    opened: NaiveDate,
    today: NaiveDate,
) -> Option<Standing> {
    let anchor = last.map_or(opened, |l| l.max(opened));
    let due = if in_holidays {
        anchor + Duration::days(n as i64)
    } else {
        calendar.add_school_days(anchor, n)?
    };
    let days_overdue = (today - due).num_days();
    let periods_missed = if days_overdue > 0 {
        let elapsed = if in_holidays {
            (days_overdue - 1) as u32
        } else {
            calendar.school_days(due + Duration::days(1), today - Duration::days(1))
        };
        1 + elapsed / n.max(1)
    } else {
        0
    };
    Some(Standing {
        due,
        days_overdue,
        periods_missed,
    })
}

/// The queue computed one child at a time, so that a caller can stream children from the
/// store without holding them all: `new`, then `child_rows` per child, then `sort`. A clone
/// computes the same rows: parts of a roster can be stood each by its own engine, and their
/// sorted rows merged ([`merge`](Self::merge)).
#[derive(Clone)]
pub struct QueueEngine<'r> {
    rules: &'r Rules,
    /// The calendar and the tables every child is stood against, shared by the clones: they
    /// are read only, and a copy would cost more than a part of the roster saves.
    calendar: std::sync::Arc<SchoolCalendar>,
    assignees: Assignees,
    shared: std::sync::Arc<[Option<PeriodTable>]>,
    /// Birthday windows depend only on the duty, the date of birth in the year and the year
    /// the file opened (windows of earlier years are not owed): computed once each, found by
    /// duty and (month, day) without hashing.
    birthdays: Vec<Vec<BirthdayTables>>,
    today: NaiveDate,
    /// `today` as a day number.
    today_day: i32,
    /// Rows due in more days than this are left out (-1: only overdue rows).
    min_days: i64,
}

/// The birthday windows of one date of the year, by the first year they are built from.
type BirthdayTables = Vec<(i32, PeriodTable)>;

/// A date of the year as an index: (month, day) → 0 ..= 12 × 32.
fn day_of_year_slot(d: NaiveDate) -> usize {
    chrono::Datelike::month(&d) as usize * 32 + chrono::Datelike::day(&d) as usize
}

impl<'r> QueueEngine<'r> {
    /// `within = Some(n)` keeps rows due in the next `n` days besides the overdue ones.
    pub fn new(
        rules: &'r Rules,
        settings: &Settings,
        assignees: Assignees,
        today: NaiveDate,
        within: Option<i64>,
    ) -> QueueEngine<'r> {
        // The calendar starts on a fixed day (2000, or the first configured term if earlier),
        // not one that moves with today, so that moving today forward never drops a period,
        // and reaches far enough ahead for the next periods.
        let first = settings
            .terms
            .iter()
            .map(|t| t.start)
            .chain(NaiveDate::from_ymd_opt(2000, 1, 1))
            .min()
            .unwrap_or(today)
            .min(today);
        let horizon = today + Duration::days(within.unwrap_or(0).max(0) + 400);
        let calendar = SchoolCalendar::new(settings, first, horizon);
        let shared = rules
            .duties
            .iter()
            .map(|d| shared_periods(&calendar, d).map(|p| PeriodTable::new(p).indexed_at(today)))
            .collect();
        QueueEngine {
            rules,
            calendar: std::sync::Arc::new(calendar),
            assignees,
            shared,
            birthdays: vec![Vec::new(); rules.duties.len()],
            today,
            today_day: day(today),
            min_days: -within.unwrap_or(-1),
        }
    }

    /// The birthday windows of duty `i` for a child born on `birth` whose file opened on
    /// `opened`, built on first use.
    fn birthday_table(
        &mut self,
        i: usize,
        window_days: u32,
        in_holidays: bool,
        birth: NaiveDate,
        opened: NaiveDate,
    ) -> Option<&PeriodTable> {
        // A window of two years before the file opened ends before that year begins
        // (windows are at most a month each side): it cannot be owed, so it need not be
        // built. Counting starts from the same owed window either way, so any table built
        // from that year or earlier serves. Files opened in the last six years share one,
        // built from six years back: a few hundred tables for a school, not one per date of
        // birth and year opened.
        let year = |d: &NaiveDate| chrono::Datelike::year(d);
        let from = (year(&opened) - 1)
            .min(year(&self.today) - 6)
            .max(year(&self.calendar.first()));
        let slots = self.birthdays.get_mut(i)?;
        if slots.is_empty() {
            slots.resize_with(13 * 32, Vec::new);
        }
        let tables = slots.get_mut(day_of_year_slot(birth))?;
        let at = match tables.iter().position(|(y, _)| *y <= from) {
            Some(at) => at,
            None => {
                let periods =
                    self.calendar
                        .birthday_periods_from(from, birth, window_days, in_holidays);
                tables.push((from, PeriodTable::new(periods).at(self.today)));
                tables.len() - 1
            }
        };
        tables.get(at).map(|(_, t)| t)
    }

    /// Appends the rows of one active child to `out`.
    pub fn child_rows(&mut self, child: &ChildFacts, out: &mut Vec<QueueRow>) {
        let (today, t) = (self.today, self.today_day);
        let rules = self.rules;
        let w = &rules.weights;
        let class_teacher = self.assignees.class_teacher.get(child.class).copied();
        let opened = day(child.opened);
        let open_incident = child
            .last_of(EventKind::Incident)
            .is_some_and(|d| ((t - d) as i64) < w.incident_days as i64);
        let parents_last = child
            .last_of(EventKind::Call)
            .max(child.last_of(EventKind::Letter))
            .unwrap_or(opened);
        let no_parent_contact = (t - parents_last) as i64 > w.no_parent_contact_days as i64;
        for (i, duty) in rules.duties.iter().enumerate() {
            if !child.concerned_by(duty) {
                continue;
            }
            let last = child.last_satisfying(duty);
            let s = match (&duty.cadence, self.shared.get(i).and_then(Option::as_ref)) {
                (_, Some(periods)) => standing_on(periods, last, opened, t),
                (Cadence::Rolling(n), None) => rolling_standing(
                    &self.calendar,
                    *n,
                    duty.in_holidays,
                    last.and_then(NaiveDate::from_num_days_from_ce_opt),
                    child.opened,
                    today,
                ),
                (Cadence::Birthday { window_days }, None) => self
                    .birthday_table(i, *window_days, duty.in_holidays, child.birth, child.opened)
                    .and_then(|table| standing_on(table, last, opened, t)),
                _ => None,
            };
            let Some(s) = s else { continue };
            if s.days_overdue <= 0 && s.days_overdue < self.min_days {
                continue;
            }
            let urgency = w.per_day_overdue * s.days_overdue as f64
                + w.per_missed_period * s.periods_missed as f64
                + if child.key_support {
                    w.key_support
                } else {
                    0.0
                }
                + if open_incident { w.open_incident } else { 0.0 }
                + if no_parent_contact {
                    w.no_parent_contact
                } else {
                    0.0
                };
            out.push(QueueRow {
                child: child.id,
                duty: i,
                due: s.due,
                days_overdue: s.days_overdue,
                periods_missed: s.periods_missed,
                assignee: self.assignees.for_duty(duty, child, class_teacher),
                urgency,
                key_support: child.key_support,
                open_incident,
                no_parent_contact,
            });
        }
    }

    /// Most urgent first; ties by days overdue, then child, then duty. (A child has one row
    /// per duty, so no two rows compare equal and an unstable sort gives the one order.)
    /// The key packs the urgency into an integer: no chain of comparisons per step, and no
    /// second copy of the rows (sorting keys apart and moving the rows after touched a
    /// megabyte more of memory for no gain in time).
    pub fn sort(rows: &mut [QueueRow]) {
        rows.sort_unstable_by_key(order_key);
    }

    /// Two runs each in [`sort`](Self::sort)'s order, as one in that order: the rows of two
    /// parts of a roster. Merged from the back into the first run's buffer, grown by the
    /// second's length: only that much fresh memory is touched. (Merging into a new buffer
    /// touched both runs' worth, about 160 pages at 10,000 children; the standard stable sort
    /// of the two runs end to end also takes a scratch buffer: 40 more page faults and about
    /// 0.3 ms of `overdue`'s 9.)
    pub fn merge(mut a: Vec<QueueRow>, b: Vec<QueueRow>) -> Vec<QueueRow> {
        let Some(&filler) = b.first() else {
            return a;
        };
        if a.is_empty() {
            return b;
        }
        let (mut i, mut j) = (a.len(), b.len());
        a.resize(i + j, filler);
        // From the back: the larger of the two runs' last rows goes last. On equal keys the
        // second run's row goes after the first's (the order of one stable sort).
        for k in (0..a.len()).rev() {
            let Some(y) = j.checked_sub(1).and_then(|at| b.get(at)) else {
                // What is left of the first run is already in place.
                break;
            };
            let x = i.checked_sub(1).and_then(|at| a.get(at)).copied();
            let next = match x {
                Some(x) if order_key(y) < order_key(&x) => {
                    i -= 1;
                    x
                }
                _ => {
                    j -= 1;
                    *y
                }
            };
            if let Some(slot) = a.get_mut(k) {
                *slot = next;
            }
        }
        a
    }
}

/// Where a row goes: most urgent first; ties by days overdue, then child, then duty.
fn order_key(r: &QueueRow) -> (u64, std::cmp::Reverse<i64>, ChildId, usize) {
    (
        descending(r.urgency),
        std::cmp::Reverse(r.days_overdue),
        r.child,
        r.duty,
    )
}

/// An urgency as a key that sorts the most urgent first (the order of `f64::total_cmp`,
/// reversed).
fn descending(u: f64) -> u64 {
    let bits = u.to_bits() as i64;
    // total_cmp's trick: flip the magnitude bits of negatives so that the integers order as
    // the floats do, then reverse.
    let ordered = bits ^ ((((bits >> 63) as u64) >> 1) as i64);
    !((ordered as u64) ^ (1 << 63))
}

/// The queue for `children` as of `today`: rows overdue (`days_overdue > 0`) and, with
/// `within = Some(n)`, rows due in the next `n` days; most urgent first.
pub fn overdue_queue(
    rules: &Rules,
    settings: &Settings,
    staff: &[Staff],
    children: &[ChildFacts],
    today: NaiveDate,
    within: Option<i64>,
) -> Vec<QueueRow> {
    let mut engine = QueueEngine::new(rules, settings, Assignees::new(staff), today, within);
    let mut rows = Vec::new();
    for child in children {
        engine.child_rows(child, &mut rows);
    }
    QueueEngine::sort(&mut rows);
    rows
}
