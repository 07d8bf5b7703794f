//! The duties' coverage in a period: for each duty, the periods the counted children owed
//! that fell due in the report, and those done inside the period; for the school and for each
//! class. What counts is specified in docs/report.md; what a child owes is the follow-up
//! engine's rules. Pure: the caller hands over the input and the children's histories.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::count::{Histories, Owed, Roster, periods_of};
use super::figures::{Coverage, active_on, percent};
use super::input::{ReportInput, calendar_for};
use crate::domain::EventKind;
use crate::followup::{Cadence, Period, Source, shared_periods};

pub(super) type CoverageMap = BTreeMap<String, Coverage>;

/// Per duty, for the school and for each class (in `roster.classes` order): owed periods due
/// in the report, and those with a satisfying event inside the period (an event logged for a
/// later date does not make up a missed period; see docs/followup.md).
pub(super) fn coverage(
    input: &ReportInput,
    roster: &Roster,
    history: &Histories,
) -> (CoverageMap, Vec<CoverageMap>) {
    let last_due = input.to.min(input.today);
    let calendar = calendar_for(input.settings, input.from, input.to);
    let mut school: CoverageMap = BTreeMap::new();
    let mut per_class: Vec<CoverageMap> = vec![BTreeMap::new(); roster.classes.len()];
    for duty in &input.rules.duties {
        // Once per duty: the periods due in the report; each child counts those it owed.
        let in_report = |p: &Period| p.due >= input.from && p.due <= last_due;
        let shared = shared_periods(&calendar, duty).map(|periods| {
            periods
                .iter()
                .filter(|p| in_report(p))
                .map(Owed::of)
                .collect::<Vec<_>>()
        });
        let fixed = shared.is_some() || matches!(duty.cadence, Cadence::Birthday { .. });
        let kinds: Vec<EventKind> = duty
            .sources
            .iter()
            .filter_map(|s| match s {
                Source::Kind(k) => Some(*k),
                Source::Survey => None,
            })
            .collect();
        let survey = duty.sources.contains(&Source::Survey);
        let mut own = HashMap::new();
        // The days of the child's events that satisfy the duty (reused from child to child).
        let mut done_on: Vec<NaiveDate> = Vec::new();
        let (mut due, mut satisfied) = (0u32, 0u32);
        let mut tally = vec![(0u32, 0u32); roster.classes.len()];
        for (i, child) in roster.children.iter().enumerate() {
            if !fixed
                || !duty.children.include(
                    child.key_support,
                    child.boarding,
                    child.poverty_support,
                    child.left_behind,
                )
            {
                continue;
            }
            let opened = child.opened().unwrap_or(child.birth);
            let periods = periods_of(duty, &shared, &calendar, child, in_report, &mut own);
            if periods.is_empty() {
                continue;
            }
            done_on.clear();
            for kind in &kinds {
                done_on.extend(history.of(child.id, *kind));
            }
            if survey && let Some(d) = child.surveyed {
                done_on.push(d);
            }
            for p in periods
                .iter()
                .filter(|p| opened <= p.middle && active_on(child, p.due))
            {
                let done = done_on.iter().any(|d| *d >= p.open && *d <= p.due);
                due += 1;
                let t = &mut tally[roster.class_of[i]];
                t.0 += 1;
                if done {
                    satisfied += 1;
                    t.1 += 1;
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
        for (k, (d, s)) in tally.into_iter().enumerate() {
            per_class[k].insert(duty.name.clone(), make(d, s));
        }
    }
    (school, per_class)
}
