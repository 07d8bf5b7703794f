//! The figures of a work summary for a period: counted from the files, the events and the
//! activities the caller hands over, never read here. Every rule of what counts is here, and
//! each is tested on a hand-built school in tests/report.rs.
//!
//! Who is counted: a child whose file was open at some time in the period (opened by its last
//! day, not archived before its first). Their events inside the period count; events of other
//! children, events outside the period and events of other kinds do not.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::{
    Activity, ActivityKind, Child, ChildId, Event, EventKind, LeftBehindType, Role, Settings,
    Staff, Status, class_order,
};
use crate::followup::{Cadence, Duty, Period, Rules, SchoolCalendar, Source, shared_periods};

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
    pub children: &'a [Child],
    /// Events from [`events_needed_from`] to `to` at least (more do no harm).
    pub events: &'a [Event],
    pub activities: &'a [Activity],
}

/// How far back events are needed: a duty's period due in the report may have opened up to a
/// year before it starts (the school year's re-survey, a birthday window).
pub fn events_needed_from(from: NaiveDate) -> NaiveDate {
    from - chrono::Duration::days(400)
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ByType {
    pub both_parents: u32,
    pub one_parent: u32,
}

/// The counts that exist for the school and for each class.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Children whose file was open at some time in the period.
    pub children_active: u32,
    /// Files opened in the period.
    pub children_new: u32,
    /// Files archived in the period (parents came home, graduated, moved).
    pub children_archived: u32,
    pub by_type: ByType,
    /// 谈心.
    pub talks: u32,
    pub home_visits: u32,
    /// Distinct staff who made home visits.
    pub home_visit_teachers: u32,
    /// Distinct guardians reached by a home visit, a school visit or a guardian contact.
    pub guardians_contacted: u32,
    /// Calls and letters between a child and the parents.
    pub parent_calls: u32,
    /// Counselling sessions: a count, never who.
    pub counseling_sessions: u32,
    pub awards: u32,
    /// Distinct teacher–child pairs (the current mentor of each counted child).
    pub mentor_pairs: u32,
}

/// One duty's coverage: of the periods due in the report (due on or before the end of the
/// period and today) that counted children owed, how many had an event inside the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub label_zh: String,
    pub label_en: String,
    pub due: u32,
    pub satisfied: u32,
    /// `satisfied / due` in percent, one decimal; `None` when nothing was due (or the duty has
    /// no fixed periods: rolling duties).
    pub percent: Option<f64>,
}

/// A child named in the text (awards, children without a home visit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChildRef {
    pub name: String,
    pub class: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Award {
    pub child: ChildRef,
    pub date: NaiveDate,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassFigures {
    #[serde(flatten)]
    pub counts: Counts,
    pub duty_coverage: BTreeMap<String, Coverage>,
}

/// Who runs the work (组织领导).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub admins: Vec<String>,
    pub counselors: Vec<String>,
    pub class_teachers: u32,
    /// Staff who mentor at least one counted child.
    pub mentors: u32,
}

/// Everything the work summary says in numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub school: String,
    pub term: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(flatten)]
    pub totals: Counts,
    /// Group activities (not guardian training) held in the period.
    pub activities: u32,
    /// Guardian training sessions (家长学校).
    pub trainings: u32,
    /// Attendances at the training sessions: guardians and children listed, each once per
    /// session.
    pub training_attendance: u32,
    pub duty_coverage: BTreeMap<String, Coverage>,
    /// The duties' names in the rules' order (the text follows it).
    #[serde(skip)]
    pub duty_order: Vec<String>,
    pub per_class: BTreeMap<String, ClassFigures>,
    pub organisation: Organisation,
    /// Archived in the period, by reason (Chinese).
    pub archived_reasons: BTreeMap<String, u32>,
    pub awards_given: Vec<Award>,
    /// Children on the roster at the end of the period with no home visit in it, opened
    /// before the period's middle (a file opened last week is not a failure).
    pub no_home_visit: Vec<ChildRef>,
}

impl Figures {
    /// The classes in school order (七(1)班 before 七(2)班 before 八(1)班).
    pub fn classes(&self) -> Vec<&String> {
        let mut classes: Vec<&String> = self.per_class.keys().collect();
        classes.sort_by(|a, b| class_order(a).cmp(&class_order(b)));
        classes
    }
}

/// Whether the file was active on `day` (opened by then, not archived then).
fn active_on(child: &Child, day: NaiveDate) -> bool {
    if child.opened().is_some_and(|o| o > day) {
        return false;
    }
    let mut status = &Status::Active;
    for change in &child.status_history {
        if change.date <= day {
            status = &change.status;
        }
    }
    matches!(status, Status::Active)
}

/// Whether the file was active at some time in `[from, to]`.
fn active_in(child: &Child, from: NaiveDate, to: NaiveDate) -> bool {
    active_on(child, from)
        || child
            .status_history
            .iter()
            .any(|c| c.date > from && c.date <= to && matches!(c.status, Status::Active))
}

fn percent(satisfied: u32, due: u32) -> Option<f64> {
    (due > 0).then(|| (satisfied as f64 * 1000.0 / due as f64).round() / 10.0)
}

/// The periods of `duty` for one child (birthday duties are the child's own).
fn periods_of<'a>(
    duty: &Duty,
    shared: &'a Option<Vec<Period>>,
    calendar: &SchoolCalendar,
    child: &Child,
    own: &'a mut Vec<Period>,
) -> &'a [Period] {
    match (&duty.cadence, shared) {
        (_, Some(p)) => p,
        (Cadence::Birthday { window_days }, None) => {
            *own = calendar.birthday_periods(child.birth, *window_days, duty.in_holidays);
            own
        }
        _ => &[],
    }
}

/// Computes the figures.
pub fn figures(input: &ReportInput) -> Figures {
    let (from, to) = (input.from, input.to);
    let counted: Vec<&Child> = input
        .children
        .iter()
        .filter(|c| active_in(c, from, to))
        .collect();
    let by_id: HashMap<ChildId, &Child> = counted.iter().map(|c| (c.id, *c)).collect();
    let mut classes: BTreeMap<String, Counts> = BTreeMap::new();
    let mut totals = Counts::default();

    // Children.
    let mut archived_reasons: BTreeMap<String, u32> = BTreeMap::new();
    let mut mentor_pairs: HashSet<(u64, ChildId)> = HashSet::new();
    let mut class_pairs: HashMap<&str, HashSet<(u64, ChildId)>> = HashMap::new();
    for c in &counted {
        let class = classes.entry(c.class.clone()).or_default();
        for counts in [&mut totals, class] {
            counts.children_active += 1;
            if c.opened().is_some_and(|o| o >= from && o <= to) {
                counts.children_new += 1;
            }
            match c.left_behind.kind {
                LeftBehindType::BothParents => counts.by_type.both_parents += 1,
                LeftBehindType::OneParent => counts.by_type.one_parent += 1,
            }
        }
        let archived =
            c.status_history.iter().rev().find(|s| {
                s.date >= from && s.date <= to && matches!(s.status, Status::Archived(_))
            });
        if let Some(change) = archived {
            totals.children_archived += 1;
            if let Some(class) = classes.get_mut(&c.class) {
                class.children_archived += 1;
            }
            if let Status::Archived(reason) = &change.status {
                *archived_reasons.entry(reason.zh().to_string()).or_default() += 1;
            }
        }
        if let Some(m) = c.mentor {
            mentor_pairs.insert((m.0, c.id));
            class_pairs
                .entry(c.class.as_str())
                .or_default()
                .insert((m.0, c.id));
        }
    }
    totals.mentor_pairs = mentor_pairs.len() as u32;
    for (class, pairs) in &class_pairs {
        if let Some(counts) = classes.get_mut(*class) {
            counts.mentor_pairs = pairs.len() as u32;
        }
    }

    // Events in the period, of counted children.
    let in_period: Vec<(&Event, &Child)> = input
        .events
        .iter()
        .filter(|e| e.date >= from && e.date <= to)
        .filter_map(|e| by_id.get(&e.child).map(|c| (e, *c)))
        .collect();
    let mut visit_teachers: HashSet<u64> = HashSet::new();
    let mut class_visit_teachers: HashMap<&str, HashSet<u64>> = HashMap::new();
    let mut guardians: HashSet<String> = HashSet::new();
    let mut class_guardians: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut awards_given = Vec::new();
    let mut visited: HashSet<ChildId> = HashSet::new();
    for (e, c) in &in_period {
        let class = classes.entry(c.class.clone()).or_default();
        for counts in [&mut totals, class] {
            match e.kind {
                EventKind::Talk => counts.talks += 1,
                EventKind::HomeVisit => counts.home_visits += 1,
                EventKind::Call | EventKind::Letter => counts.parent_calls += 1,
                EventKind::Counseling => counts.counseling_sessions += 1,
                EventKind::Award => counts.awards += 1,
                _ => {}
            }
        }
        if e.kind == EventKind::HomeVisit {
            visit_teachers.insert(e.staff.0);
            class_visit_teachers
                .entry(c.class.as_str())
                .or_default()
                .insert(e.staff.0);
            visited.insert(c.id);
        }
        if matches!(
            e.kind,
            EventKind::HomeVisit | EventKind::SchoolVisit | EventKind::GuardianContact
        ) {
            // A guardian who cares for two children is one guardian: known by name and
            // phone; a child without a recorded guardian stands for their family.
            let key = match &c.guardian {
                Some(g) => format!(
                    "{}|{}",
                    g.name.trim(),
                    g.phone.as_deref().unwrap_or_default()
                ),
                None => format!("child:{}", c.id.0),
            };
            guardians.insert(key.clone());
            class_guardians
                .entry(c.class.as_str())
                .or_default()
                .insert(key);
        }
        if e.kind == EventKind::Award {
            awards_given.push(Award {
                child: ChildRef {
                    name: c.name.clone(),
                    class: c.class.clone(),
                },
                date: e.date,
                title: e.summary.clone(),
            });
        }
    }
    totals.home_visit_teachers = visit_teachers.len() as u32;
    totals.guardians_contacted = guardians.len() as u32;
    for (class, counts) in classes.iter_mut() {
        counts.home_visit_teachers = class_visit_teachers
            .get(class.as_str())
            .map_or(0, |s| s.len() as u32);
        counts.guardians_contacted = class_guardians
            .get(class.as_str())
            .map_or(0, |s| s.len() as u32);
    }
    awards_given.sort_by(|a, b| a.date.cmp(&b.date).then(a.child.name.cmp(&b.child.name)));

    // Activities and guardian training.
    let (mut activities, mut trainings, mut training_attendance) = (0, 0, 0);
    for a in input
        .activities
        .iter()
        .filter(|a| a.date >= from && a.date <= to)
    {
        match a.kind {
            ActivityKind::Activity => activities += 1,
            ActivityKind::Training => {
                trainings += 1;
                training_attendance += (a.guardians.len() + a.children.len()) as u32;
            }
        }
    }

    // Duty coverage.
    let (duty_coverage, class_coverage) = coverage(input, &counted);

    // No home visit: on the roster at the end, opened before the period's middle.
    let middle = from + (to - from) / 2;
    let mut no_home_visit: Vec<ChildRef> = counted
        .iter()
        .filter(|c| active_on(c, to.min(input.today)) && !visited.contains(&c.id))
        .filter(|c| c.opened().is_none_or(|o| o <= middle))
        .map(|c| ChildRef {
            name: c.name.clone(),
            class: c.class.clone(),
        })
        .collect();
    no_home_visit.sort_by(|a, b| {
        class_order(&a.class)
            .cmp(&class_order(&b.class))
            .then(a.name.cmp(&b.name))
    });

    // Organisation.
    let active_staff: Vec<&Staff> = input.staff.iter().filter(|s| s.active).collect();
    let names = |role: Role| -> Vec<String> {
        active_staff
            .iter()
            .filter(|s| s.has_role(role))
            .map(|s| s.name.clone())
            .collect()
    };
    let organisation = Organisation {
        admins: names(Role::Admin),
        counselors: names(Role::Counselor),
        class_teachers: active_staff
            .iter()
            .filter(|s| s.has_role(Role::ClassTeacher))
            .count() as u32,
        mentors: mentor_pairs
            .iter()
            .map(|(m, _)| *m)
            .collect::<HashSet<_>>()
            .len() as u32,
    };

    let per_class = classes
        .into_iter()
        .map(|(class, counts)| {
            let duty_coverage = class_coverage.get(&class).cloned().unwrap_or_default();
            (
                class,
                ClassFigures {
                    counts,
                    duty_coverage,
                },
            )
        })
        .collect();
    Figures {
        school: input.school.to_string(),
        term: input.term.map(str::to_string),
        from,
        to,
        totals,
        activities,
        trainings,
        training_attendance,
        duty_coverage,
        duty_order: input.rules.duties.iter().map(|d| d.name.clone()).collect(),
        per_class,
        organisation,
        archived_reasons,
        awards_given,
        no_home_visit,
    }
}

type CoverageMap = BTreeMap<String, Coverage>;

/// Per duty, for the school and for each class: owed periods due in the report, and those
/// with a satisfying event inside the period (an event logged for a later date does not
/// make up a missed period; see docs/followup.md).
fn coverage(
    input: &ReportInput,
    counted: &[&Child],
) -> (CoverageMap, BTreeMap<String, CoverageMap>) {
    let last_due = input.to.min(input.today);
    let first = input
        .settings
        .terms
        .iter()
        .map(|t| t.start)
        .chain(NaiveDate::from_ymd_opt(2000, 1, 1))
        .min()
        .unwrap_or(input.from)
        .min(input.from);
    let calendar = SchoolCalendar::new(
        input.settings,
        first,
        input.to + chrono::Duration::days(400),
    );
    // Each child's satisfying dates, per event kind.
    let mut dates: HashMap<(ChildId, EventKind), Vec<NaiveDate>> = HashMap::new();
    for e in input.events.iter().filter(|e| e.date <= input.to) {
        dates.entry((e.child, e.kind)).or_default().push(e.date);
    }
    let mut school: CoverageMap = BTreeMap::new();
    let mut per_class: BTreeMap<String, CoverageMap> = BTreeMap::new();
    for duty in &input.rules.duties {
        let shared = shared_periods(&calendar, duty);
        let fixed = shared.is_some() || matches!(duty.cadence, Cadence::Birthday { .. });
        let mut own = Vec::new();
        let (mut due, mut satisfied) = (0u32, 0u32);
        let mut class_tally: HashMap<&str, (u32, u32)> = HashMap::new();
        for child in counted {
            if !fixed
                || !duty.children.include(
                    child.support.key_support,
                    child.boarding,
                    child.support.poverty_support,
                    child.left_behind.kind,
                )
            {
                continue;
            }
            let opened = child.opened().unwrap_or(child.birth);
            let periods = periods_of(duty, &shared, &calendar, child, &mut own);
            for p in periods
                .iter()
                .filter(|p| p.due >= input.from && p.due <= last_due)
                .filter(|p| p.owed_by(opened) && active_on(child, p.due))
            {
                let done = duty.sources.iter().any(|s| match s {
                    Source::Kind(k) => dates
                        .get(&(child.id, *k))
                        .is_some_and(|ds| ds.iter().any(|d| *d >= p.open && *d <= p.due)),
                    Source::Survey => child
                        .situation
                        .surveyed
                        .is_some_and(|d| d >= p.open && d <= p.due),
                });
                due += 1;
                let tally = class_tally.entry(child.class.as_str()).or_default();
                tally.0 += 1;
                if done {
                    satisfied += 1;
                    tally.1 += 1;
                }
            }
        }
        let make = |due: u32, satisfied: u32| Coverage {
            label_zh: duty.label_zh.clone(),
            label_en: duty.label_en.clone(),
            due,
            satisfied,
            percent: percent(satisfied, due),
        };
        school.insert(duty.name.clone(), make(due, satisfied));
        for child in counted {
            let (d, s) = class_tally
                .get(child.class.as_str())
                .copied()
                .unwrap_or((0, 0));
            per_class
                .entry(child.class.clone())
                .or_default()
                .insert(duty.name.clone(), make(d, s));
        }
    }
    (school, per_class)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_has_one_decimal_and_none_when_nothing_was_due() {
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(5, 5), Some(100.0));
    }
}
