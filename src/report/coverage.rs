//! The duties' coverage in a period: for each duty, the periods the counted children owed
//! that fell due in the report, and those done inside the period; for the school and for each
//! class. What counts is specified in docs/report.md; what a child owes is the follow-up
//! engine's rules. Pure: the caller hands over the input; nothing is read or written here.
//!
//! The period's events are looked at once: each event marks, for its child, the periods of
//! the duties it satisfies that it falls in (a bit per period), and the children's owed
//! periods are then checked against their marks.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use super::count::{Owed, Roster, periods_of};
use super::figures::{Coverage, active_on, percent};
use super::input::{ReportInput, calendar_for};
use crate::followup::{Cadence, Duty, Period, SchoolCalendar, Source, shared_periods};

pub(super) type CoverageMap = BTreeMap<String, Coverage>;

/// One duty's periods due in the report, and where its marks are in a child's.
struct Plan {
    /// Periods the same for every child (month, week, term windows, school year); `None`
    /// for a birthday duty, whose windows are each child's own (in `own`).
    shared: Option<Vec<Owed>>,
    /// A birthday duty's windows, by the birthday's (month, day).
    own: HashMap<(u32, u32), Vec<Owed>>,
    /// Whether the duty's coverage is counted (fixed periods: shared ones or birthdays).
    fixed: bool,
    /// The shared periods are in the order of their middles (always, as the calendar makes
    /// them; checked once).
    shared_in_order: bool,
    survey: bool,
    /// Its marks in a child's: from byte `offset`, `bytes` bytes (a bit per period). Bytes,
    /// not words: a term's marks for 10,000 children then fit the processor's cache (the
    /// events come in date order, each child's marks at random).
    offset: usize,
    bytes: usize,
    /// For shared periods, each day from `.0` on: the periods it falls in, as bits (when
    /// they fit one word): an event's marks in one step.
    by_day: Option<(NaiveDate, Vec<u64>)>,
}

/// Per duty, for the school and for each class (in `roster.classes` order): owed periods due
/// in the report, and those with a satisfying event inside the period (an event logged for a
/// later date does not make up a missed period; see docs/followup.md).
pub(super) fn coverage(
    input: &ReportInput,
    roster: &Roster,
    scope: super::figures::Scope,
) -> (CoverageMap, Vec<CoverageMap>) {
    // A summary compared with needs the school's coverage only.
    let by_class = scope == super::figures::Scope::Whole;
    let last_due = input.to.min(input.today);
    let calendar = calendar_for(input.settings, input.from, input.to);
    let in_report = |p: &Period| p.due >= input.from && p.due <= last_due;
    let duties = &input.rules.duties;

    let (plans, stride) = plans(input, roster, &calendar, &in_report);
    let marks = marked(input, roster, duties, &plans, stride);

    // Child by child (each file's facts looked at once), each duty's owed and done periods,
    // for the school and for the child's class.
    let n_classes = if by_class { roster.classes.len() } else { 0 };
    let mut totals = vec![(0u32, 0u32); duties.len()];
    let mut tally = vec![(0u32, 0u32); duties.len() * n_classes];
    for (i, child) in roster.children.iter().enumerate() {
        let opened = child.opened().unwrap_or(child.birth);
        // A file never archived is active from its opening on.
        let never_archived = child
            .status_history
            .iter()
            .all(|c| matches!(c.status, crate::domain::Status::Active));
        let k = roster.class_of[i];
        for (f, (duty, plan)) in duties.iter().zip(&plans).enumerate() {
            if !plan.fixed
                || !duty.children.include(
                    child.key_support,
                    child.boarding,
                    child.poverty_support,
                    child.left_behind,
                )
            {
                continue;
            }
            let periods = plan.periods_for(child);
            if periods.is_empty() {
                continue;
            }
            let start = i * stride + plan.offset;
            let bits = marks.get(start..start + plan.bytes).unwrap_or(&[]);
            let (owed, done) = if !plan.survey
                && never_archived
                && (plan.shared_in_order || periods.is_sorted_by_key(|p| p.middle))
            {
                // It owes the periods whose middle is on or after its opening (it is active
                // on each one's due date, later still): with the periods in that order, a
                // suffix, and its marks counted a byte at a time.
                let first = periods.partition_point(|p| p.middle < opened);
                ((periods.len() - first) as u32, done_from(bits, first))
            } else {
                let surveyed = child.surveyed.filter(|_| plan.survey);
                let mut counted = (0u32, 0u32);
                for (j, p) in periods
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| opened <= p.middle && active_on(child, p.due))
                {
                    counted.0 += 1;
                    if surveyed.is_some_and(|d| d >= p.open && d <= p.due)
                        || bits.get(j / 8).is_some_and(|b| b >> (j % 8) & 1 == 1)
                    {
                        counted.1 += 1;
                    }
                }
                counted
            };
            totals[f].0 += owed;
            totals[f].1 += done;
            if let Some(t) = tally.get_mut(f * n_classes + k) {
                t.0 += owed;
                t.1 += done;
            }
        }
    }

    let mut school: CoverageMap = BTreeMap::new();
    let mut per_class: Vec<CoverageMap> = vec![BTreeMap::new(); n_classes];
    for (f, duty) in duties.iter().enumerate() {
        let (label_zh, label_en): (std::sync::Arc<str>, std::sync::Arc<str>) =
            (duty.label_zh.as_str().into(), duty.label_en.as_str().into());
        let make = |(due, satisfied): (u32, u32)| Coverage {
            label_zh: label_zh.clone(),
            label_en: label_en.clone(),
            due,
            satisfied,
            percent: percent(satisfied, due),
        };
        school.insert(duty.name.clone(), make(totals[f]));
        for (k, class) in per_class.iter_mut().enumerate() {
            class.insert(duty.name.clone(), make(tally[f * n_classes + k]));
        }
    }
    (school, per_class)
}

/// Once per duty: the periods due in the report (a birthday duty's windows once per birthday
/// of the counted children), and where each duty's marks are; with the marks' bytes per
/// child.
fn plans(
    input: &ReportInput,
    roster: &Roster,
    calendar: &SchoolCalendar,
    in_report: &impl Fn(&Period) -> bool,
) -> (Vec<Plan>, usize) {
    let mut stride = 0;
    let mut plans: Vec<Plan> = Vec::with_capacity(input.rules.duties.len());
    for duty in &input.rules.duties {
        let shared = shared_periods(calendar, duty).map(|periods| {
            periods
                .iter()
                .filter(|p| in_report(p))
                .map(Owed::of)
                .collect::<Vec<_>>()
        });
        let fixed = shared.is_some() || matches!(duty.cadence, Cadence::Birthday { .. });
        let mut own = HashMap::new();
        let mut most = shared.as_ref().map_or(0, Vec::len);
        if fixed && shared.is_none() {
            for child in &roster.children {
                let periods = periods_of(duty, &None, calendar, child, in_report, &mut own);
                most = most.max(periods.len());
            }
        }
        let bytes = if fixed { most.div_ceil(8) } else { 0 };
        let by_day = shared
            .as_ref()
            .filter(|periods| !periods.is_empty() && periods.len() <= 64)
            .and_then(|periods| days_marked(periods));
        let shared_in_order = shared
            .as_ref()
            .is_some_and(|periods| periods.is_sorted_by_key(|p| p.middle));
        plans.push(Plan {
            shared_in_order,
            shared,
            own,
            fixed,
            survey: duty.sources.contains(&Source::Survey),
            offset: stride,
            bytes,
            by_day,
        });
        stride += bytes;
    }
    (plans, stride)
}

impl Plan {
    /// The periods `child` may owe (before the filter by when its file opened).
    fn periods_for(&self, child: &crate::domain::ReportFacts<&str>) -> &[Owed] {
        match &self.shared {
            Some(periods) => periods,
            None => self
                .own
                .get(&(child.birth.month(), child.birth.day()))
                .map_or(&[], Vec::as_slice),
        }
    }
}

/// How many of the marks from bit `first` on are set.
fn done_from(bits: &[u8], first: usize) -> u32 {
    bits.iter()
        .enumerate()
        .skip(first / 8)
        .map(|(b, byte)| {
            let below = if b == first / 8 { first % 8 } else { 0 };
            (byte >> below).count_ones()
        })
        .sum()
}

/// For each day from the first period's opening to the last one's due date, the periods
/// (at most 64) that day falls in, as bits.
fn days_marked(periods: &[Owed]) -> Option<(NaiveDate, Vec<u64>)> {
    let first = periods.iter().map(|p| p.open).min()?;
    let last = periods.iter().map(|p| p.due).max()?;
    let days = usize::try_from((last - first).num_days() + 1).ok()?;
    let mut by_day = vec![0u64; days];
    for (j, p) in periods.iter().enumerate() {
        let from = usize::try_from((p.open - first).num_days()).ok()?;
        let to = usize::try_from((p.due - first).num_days()).ok()?;
        for day in by_day.get_mut(from..=to).into_iter().flatten() {
            *day |= 1 << j;
        }
    }
    Some((first, by_day))
}

/// Each counted child's marks (`stride` bytes, each duty's at its offset): the periods in
/// which one of its events satisfies the duty. Only the events from the first period's
/// opening to the last one's due date are looked at; no other can fall in one.
fn marked(
    input: &ReportInput,
    roster: &Roster,
    duties: &[Duty],
    plans: &[Plan],
    stride: usize,
) -> Vec<u8> {
    let mut marks = vec![0u8; roster.children.len() * stride];
    // The duties each kind satisfies, by the kind's code.
    let mut by_kind: Vec<Vec<usize>> = vec![Vec::new(); 256];
    for (f, (duty, plan)) in duties.iter().zip(plans).enumerate() {
        if plan.bytes == 0 {
            continue;
        }
        for source in &duty.sources {
            if let Source::Kind(kind) = source
                && let Some(list) = by_kind.get_mut(kind.code() as usize)
                && !list.contains(&f)
            {
                list.push(f);
            }
        }
    }
    // The periods of the duties an event can satisfy (one done by the survey alone needs
    // no event).
    let by_events: Vec<bool> = (0..plans.len())
        .map(|f| by_kind.iter().any(|duties| duties.contains(&f)))
        .collect();
    let all_periods = || {
        plans
            .iter()
            .zip(&by_events)
            .filter(|(_, by_events)| **by_events)
            .flat_map(|(p, _)| p.shared.iter().flatten().chain(p.own.values().flatten()))
    };
    let (Some(first), Some(last)) = (
        all_periods().map(|p| p.open).min(),
        all_periods().map(|p| p.due).max(),
    ) else {
        return marks;
    };
    for e in input.events_in(first, last) {
        let duties_of = by_kind
            .get(e.kind().code() as usize)
            .map_or(&[][..], Vec::as_slice);
        if duties_of.is_empty() {
            continue;
        }
        let Some(i) = roster.index.get(e.child()) else {
            continue;
        };
        let day = e.date();
        for &f in duties_of {
            let plan = &plans[f];
            let start = i * stride + plan.offset;
            let Some(bits) = marks.get_mut(start..start + plan.bytes) else {
                continue;
            };
            match &plan.by_day {
                Some((first, by_day)) => {
                    // Day numbers: a date's difference through chrono was a tenth of the pass.
                    let at = day.num_days_from_ce() - first.num_days_from_ce();
                    if let Some(word) = usize::try_from(at).ok().and_then(|at| by_day.get(at)) {
                        for (b, byte) in bits.iter_mut().enumerate() {
                            *byte |= (word >> (8 * b)) as u8;
                        }
                    }
                }
                None => {
                    let periods = plan.periods_for(roster.children[i]);
                    for (j, p) in periods.iter().enumerate() {
                        if p.open <= day && day <= p.due {
                            bits[j / 8] |= 1 << (j % 8);
                        }
                    }
                }
            }
        }
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        ChildId, EventKind, LeftBehindType, ReportFacts, Settings, StaffId, Status, StatusChange,
    };
    use crate::followup::Rules;
    use crate::report::{ReportEvent, Titles};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Children born and opened on many days, and events of every kind on a pseudo-random
    /// walk of days (several per child and week), in date order.
    fn school() -> (Vec<ReportFacts<&'static str>>, Vec<ReportEvent>) {
        let start = day(2024, 1, 1);
        let children: Vec<ReportFacts<&str>> = (0..24u64)
            .map(|n| ReportFacts {
                id: ChildId(n + 1),
                name: "学生",
                class: if n % 2 == 0 { "七(1)班" } else { "七(2)班" },
                birth: day(2013, 1, 1) + chrono::Duration::days(n as i64 * 47),
                left_behind: LeftBehindType::BothParents,
                mentor: None,
                guardian: None,
                key_support: n % 3 == 0,
                poverty_support: false,
                boarding: n % 4 == 0,
                surveyed: None,
                status_history: vec![StatusChange {
                    date: start + chrono::Duration::days(n as i64 * 31),
                    status: Status::Active,
                }],
            })
            .collect();
        let mut events = Vec::new();
        let mut seed = 7u64;
        for offset in 0..1100 {
            for _ in 0..3 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let child = (seed >> 33) % 24 + 1;
                let kind = EventKind::ALL[((seed >> 20) % EventKind::ALL.len() as u64) as usize];
                if (seed >> 8).is_multiple_of(5) {
                    let date = start + chrono::Duration::days(offset);
                    events.extend(ReportEvent::new(
                        ChildId(child),
                        StaffId(1),
                        date,
                        None,
                        kind,
                        false,
                    ));
                }
            }
        }
        (children, events)
    }

    /// The input of a period from `from` to `to`, seen on `today`, with these files and
    /// events and nothing else on record.
    fn input<'a>(
        (rules, settings, titles): (&'a Rules, &'a Settings, &'a Titles),
        children: &'a [ReportFacts<&'a str>],
        events: &'a [ReportEvent],
        (from, to, today): (NaiveDate, NaiveDate, NaiveDate),
    ) -> ReportInput<'a> {
        ReportInput {
            school: "",
            term: None,
            from,
            to,
            today,
            settings,
            rules,
            staff: &[],
            children,
            events,
            titles,
            activities: &[],
        }
    }

    /// The duties' plans of `input` for all its files, their marks' bytes per file, and the
    /// marks.
    fn plans_and_marks(input: &ReportInput, roster: &Roster) -> (Vec<Plan>, usize, Vec<u8>) {
        let last_due = input.to.min(input.today);
        let calendar = calendar_for(input.settings, input.from, input.to);
        let in_report = |p: &Period| p.due >= input.from && p.due <= last_due;
        let (plans, stride) = plans(input, roster, &calendar, &in_report);
        let marks = marked(input, roster, &input.rules.duties, &plans, stride);
        (plans, stride, marks)
    }

    /// Each child's marks are exactly the periods in which one of its events of a kind
    /// that satisfies the duty falls (its first and last day included), as looking through
    /// all the events for every period finds: for a term (each duty's periods marked by
    /// day) and for nearly three years (a weekly duty's school weeks, over 64, marked one by
    /// one over many bytes; and a birthday duty beside the defaults).
    #[test]
    fn marks_are_the_periods_an_event_falls_in() {
        let rules = Rules::with_overrides(
            "[[duty]]\nname = \"weekly\"\nlabel = \"周谈\"\nlabel_en = \"weekly\"\nkinds = [\"talk\", \"call\"]\ncadence = \"week\"\nresponsible = \"mentor\"\nchildren = \"all\"\n\n[[duty]]\nname = \"wide\"\nlabel = \"宽\"\nlabel_en = \"wide\"\nkinds = [\"visit\"]\ncadence = \"birthday\"\nwindow_days = 30\nresponsible = \"mentor\"\nchildren = \"all\"\n",
            "test.toml",
        )
        .unwrap();
        let (children, events) = school();
        let settings = Settings::default_for(day(2026, 11, 29));
        let titles = Titles::default();
        let mut checked = [0usize; 2];
        let mut bytes_seen = 0;
        for (from, to) in [
            (day(2026, 9, 1), day(2027, 1, 20)),
            (day(2024, 1, 1), day(2026, 11, 29)),
        ] {
            let on_record = (&rules, &settings, &titles);
            let input = input(on_record, &children, &events, (from, to, day(2026, 11, 29)));
            let roster = Roster::new(children.iter().collect(), true);
            let (plans, stride, marks) = plans_and_marks(&input, &roster);
            for (duty, plan) in rules.duties.iter().zip(&plans) {
                bytes_seen = bytes_seen.max(plan.bytes);
                let kinds: Vec<EventKind> = duty
                    .sources
                    .iter()
                    .filter_map(|s| match s {
                        Source::Kind(k) => Some(*k),
                        Source::Survey => None,
                    })
                    .collect();
                for (i, child) in roster.children.iter().enumerate() {
                    for (j, p) in plan.periods_for(child).iter().enumerate() {
                        let expected = events.iter().any(|e| {
                            e.child() == child.id
                                && kinds.contains(&e.kind())
                                && e.date() >= p.open
                                && e.date() <= p.due
                        });
                        let byte = marks[i * stride + plan.offset + j / 8];
                        let got = byte >> (j % 8) & 1 == 1;
                        assert_eq!(got, expected, "{} child {i} period {j} {p:?}", duty.name);
                        checked[usize::from(expected)] += 1;
                    }
                }
            }
        }
        assert!(
            bytes_seen > 8,
            "a duty's periods beyond one day table's 64: {bytes_seen}"
        );
        assert!(checked[0] > 100 && checked[1] > 100, "{checked:?}");
    }

    /// The marks from a bit on: the bits below it in its byte are not counted, nor the
    /// bytes before it.
    #[test]
    fn marks_are_counted_from_a_bit_on() {
        let bits = [0b1111_0001, 0b0000_0011, 0b1000_0000];
        assert_eq!(done_from(&bits, 0), 8);
        assert_eq!(done_from(&bits, 1), 7);
        assert_eq!(done_from(&bits, 4), 7);
        assert_eq!(done_from(&bits, 5), 6);
        assert_eq!(done_from(&bits, 8), 3);
        assert_eq!(done_from(&bits, 9), 2);
        assert_eq!(done_from(&bits, 23), 1);
        assert_eq!(done_from(&bits, 24), 0);
        assert_eq!(done_from(&[], 0), 0);
    }

    /// A file opened on a month's middle day owes that month's talk, one opened the day
    /// after does not; a file archived in October owes September's only (it was not active
    /// on October's due date). The first two are counted from their marks at once, the third
    /// period by period: the figures agree.
    #[test]
    fn a_file_owes_the_periods_it_was_open_by_the_middle_of() {
        let rules = Rules::defaults();
        let settings = Settings::default_for(day(2026, 11, 30));
        let titles = Titles::default();
        let (mut children, _) = school();
        children.truncate(3);
        let opened = |c: &mut ReportFacts<&str>, d| c.status_history[0].date = d;
        opened(&mut children[0], day(2026, 9, 15));
        opened(&mut children[1], day(2026, 9, 16));
        opened(&mut children[2], day(2024, 9, 1));
        children[2].status_history.push(StatusChange {
            date: day(2026, 10, 20),
            status: Status::Archived(crate::domain::ArchiveReason::Graduated),
        });
        let talk = |c: &ReportFacts<&str>, d| {
            ReportEvent::new(c.id, StaffId(1), d, None, EventKind::Talk, false).unwrap()
        };
        let events = [
            talk(&children[0], day(2026, 9, 15)),
            talk(&children[2], day(2026, 9, 30)),
            talk(&children[1], day(2026, 10, 2)),
        ];
        let period = (day(2026, 9, 1), day(2026, 11, 30), day(2026, 11, 30));
        let input = input((&rules, &settings, &titles), &children, &events, period);
        let roster = Roster::new(children.iter().collect(), true);
        let (school, per_class) = coverage(&input, &roster, super::super::figures::Scope::Whole);
        let talks = &school["talk"];
        // Owed: 3 (Sep, Oct, Nov) + 2 (Oct, Nov) + 1 (Sep); done: Sep, Oct, Sep.
        assert_eq!((talks.due, talks.satisfied), (6, 3));
        // By class: the first and third files are in 七(1)班, the second in 七(2)班.
        assert_eq!(roster.classes, ["七(1)班", "七(2)班"]);
        let class = |k: usize| (per_class[k]["talk"].due, per_class[k]["talk"].satisfied);
        assert_eq!((class(0), class(1)), ((4, 2), (2, 1)));
        assert_eq!(&*per_class[1]["talk"].label_zh, "谈心");
    }

    /// What a later summary compares with, counted alone, is what the whole figures give
    /// (for a term, for three years, and with classes and guardians); nothing for a period
    /// in which no file was open.
    #[test]
    fn a_comparison_counted_alone_is_the_whole_figures_comparison() {
        let rules = Rules::defaults();
        let settings = Settings::default_for(day(2026, 11, 29));
        let titles = Titles::default();
        let (children, events) = school();
        for (from, to) in [
            (day(2026, 9, 1), day(2027, 1, 20)),
            (day(2024, 1, 1), day(2026, 11, 29)),
            (day(1990, 1, 1), day(1990, 12, 31)),
        ] {
            let period = (from, to, day(2026, 11, 29));
            let input = ReportInput {
                term: Some("2026秋"),
                ..input((&rules, &settings, &titles), &children, &events, period)
            };
            let whole = crate::report::figures(&input);
            let alone = crate::report::comparison(&input);
            if whole.totals.children_active == 0 {
                assert_eq!(alone, None, "{from}");
            } else {
                assert!(
                    whole.totals.talks > 0 && whole.per_class.len() == 2,
                    "{from}"
                );
                assert_eq!(alone, Some(whole.comparison()), "{from}");
            }
        }
    }

    /// An event on a period's first or last day marks it; one a day before or after does
    /// not.
    #[test]
    fn a_periods_first_and_last_days_are_in_it() {
        let rules = Rules::defaults();
        let settings = Settings::default_for(day(2026, 11, 29));
        let titles = Titles::default();
        let (children, _) = school();
        let children = &children[..1];
        let talk = |d| {
            ReportEvent::new(children[0].id, StaffId(1), d, None, EventKind::Talk, false).unwrap()
        };
        let talk_duty = rules.duties.iter().position(|d| d.name == "talk").unwrap();
        let marks_for = |events: &[ReportEvent]| {
            let period = (day(2026, 9, 1), day(2026, 11, 30), day(2026, 11, 30));
            let input = input((&rules, &settings, &titles), children, events, period);
            let roster = Roster::new(children.iter().collect(), true);
            let (plans, _, marks) = plans_and_marks(&input, &roster);
            let months: Vec<(NaiveDate, NaiveDate)> = plans[talk_duty]
                .periods_for(&children[0])
                .iter()
                .map(|p| (p.open, p.due))
                .collect();
            (marks[plans[talk_duty].offset], months)
        };
        let (_, months) = marks_for(&[]);
        assert_eq!(months.first(), Some(&(day(2026, 9, 1), day(2026, 9, 30))));
        assert_eq!(months.len(), 3, "{months:?}");
        // September's first day, October's last, and November neither (a day after its
        // last is December).
        let events = [
            talk(day(2026, 8, 31)),
            talk(day(2026, 9, 1)),
            talk(day(2026, 10, 31)),
            talk(day(2026, 12, 1)),
        ];
        let (word, _) = marks_for(&events);
        assert_eq!(word, 0b011);
        let (none, _) = marks_for(&[talk(day(2026, 8, 31)), talk(day(2026, 12, 1))]);
        assert_eq!(none, 0);
    }
}
