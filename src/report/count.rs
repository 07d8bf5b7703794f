//! What counting the figures looks up per child and per event, built once per report: each
//! counted child's position by id, their class and guardian as numbers, their events as one
//! buffer, distinct staff or guardians per class, and each duty's periods due in the report.
//! Pure data structures: what counts is decided in [`figures`](super::figures), not here.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};

use crate::domain::{FastHash, Positions, ReportFacts};
use crate::followup::{Cadence, Duty, Period, SchoolCalendar};

/// The counted children by position, with what the counting looks up per event.
pub(super) struct Roster<'a> {
    pub(super) children: Vec<&'a ReportFacts<&'a str>>,
    /// Position of each counted child by id.
    pub(super) index: Positions,
    /// The classes, sorted; each child's class by position.
    pub(super) classes: Vec<String>,
    pub(super) class_of: Vec<usize>,
    /// Each child's guardian as a number: a guardian who cares for two children is one
    /// guardian (same name and phone); a child without a guardian on file stands for their
    /// family.
    pub(super) guardian_of: Vec<usize>,
    pub(super) guardians: usize,
}

impl<'a> Roster<'a> {
    /// The counted children; `with_guardians`: number their guardians too (a summary
    /// compared with does not count them).
    pub(super) fn new(children: Vec<&'a ReportFacts<&'a str>>, with_guardians: bool) -> Roster<'a> {
        let index = Positions::new(children.iter().map(|c| c.id.0));
        // Files come class by class: a class is looked up only when it changes.
        let mut names: Vec<&str> = children.iter().map(|c| c.class).collect();
        names.dedup();
        names.sort_unstable();
        names.dedup();
        let classes: Vec<String> = names.into_iter().map(str::to_string).collect();
        let mut last: Option<(&str, usize)> = None;
        let class_of = children
            .iter()
            .map(|c| match last {
                Some((class, k)) if class == c.class => k,
                _ => {
                    let k = classes
                        .binary_search_by(|k| k.as_str().cmp(c.class))
                        .unwrap_or(0);
                    last = Some((c.class, k));
                    k
                }
            })
            .collect();
        let mut known: HashMap<(&str, &str), usize, FastHash> =
            HashMap::with_capacity_and_hasher(children.len(), Default::default());
        let mut guardians = 0;
        let guardian_of = children
            .iter()
            .filter(|_| with_guardians)
            .map(|c| {
                let mut next = || {
                    guardians += 1;
                    guardians - 1
                };
                match &c.guardian {
                    Some(g) => *known
                        .entry((g.0.trim(), g.1.unwrap_or_default()))
                        .or_insert_with(&mut next),
                    None => next(),
                }
            })
            .collect();
        Roster {
            children,
            index,
            classes,
            class_of,
            guardian_of,
            guardians,
        }
    }
}

/// Distinct values (staff ids, guardian numbers) seen in the school and in each class.
/// Each value is nearly always seen in one class only: that class is kept beside the value
/// (in a table indexed by the value when it is small, in a map when not), and the rare other
/// classes in a set.
pub(super) struct Distinct {
    /// Value → the first class it was seen in, plus one (0: not seen).
    dense: Vec<u32>,
    sparse: HashMap<u64, u32, FastHash>,
    seen: u32,
    /// (class, value) pairs seen in a class other than the value's first.
    others: HashSet<(usize, u64), FastHash>,
    per_class: Vec<u32>,
}

impl Distinct {
    /// Values below `dense` are kept in the table.
    pub(super) fn new(classes: usize, dense: usize) -> Distinct {
        Distinct {
            dense: vec![0; dense],
            sparse: HashMap::default(),
            seen: 0,
            others: HashSet::default(),
            per_class: vec![0; classes],
        }
    }

    pub(super) fn add(&mut self, class: usize, value: u64) {
        let first = match usize::try_from(value)
            .ok()
            .and_then(|v| self.dense.get_mut(v))
        {
            Some(first) => first,
            None => self.sparse.entry(value).or_insert(0),
        };
        if *first == 0 {
            *first = class as u32 + 1;
            self.seen += 1;
            self.per_class[class] += 1;
        } else if *first != class as u32 + 1 && self.others.insert((class, value)) {
            self.per_class[class] += 1;
        }
    }

    pub(super) fn count(&self) -> u32 {
        self.seen
    }

    pub(super) fn count_in(&self, class: usize) -> u32 {
        self.per_class[class]
    }
}

/// A period due in the report, with the last day a file may open and still owe it (its
/// middle: see [`Period::owed_by`]), worked out once per period instead of once per child.
#[derive(Debug, Clone, Copy)]
pub(super) struct Owed {
    pub(super) open: NaiveDate,
    pub(super) due: NaiveDate,
    pub(super) middle: NaiveDate,
}

impl Owed {
    pub(super) fn of(p: &Period) -> Owed {
        Owed {
            open: p.open,
            due: p.due,
            middle: p.middle(),
        }
    }
}

/// The periods of `duty` due in the report for one child (birthday duties are the child's
/// own: the windows of each date of the year are worked out once, in `own`).
pub(super) fn periods_of<'a>(
    duty: &Duty,
    shared: &'a Option<Vec<Owed>>,
    calendar: &SchoolCalendar,
    child: &ReportFacts<&str>,
    in_report: impl Fn(&Period) -> bool,
    own: &'a mut HashMap<(u32, u32), Vec<Owed>>,
) -> &'a [Owed] {
    match (&duty.cadence, shared) {
        (_, Some(p)) => p,
        (Cadence::Birthday { window_days }, None) => own
            .entry((child.birth.month(), child.birth.day()))
            .or_insert_with(|| {
                calendar
                    .birthday_periods(child.birth, *window_days, duty.in_holidays)
                    .iter()
                    .filter(|p| in_report(p))
                    .map(Owed::of)
                    .collect()
            }),
        _ => &[],
    }
}

/// How many distinct children took part in each of `groups` activities, from (activity,
/// child position) pairs in any order and with repeats: the pairs bucketed by activity (a
/// counting sort), then each child counted once per activity by stamping it with the
/// activity's number. Linear (sorting the pairs was 8 % of the summary's instructions).
pub(super) fn distinct_per_group(pairs: &[(u32, u32)], groups: usize, children: usize) -> Vec<u32> {
    let mut start = vec![0usize; groups + 1];
    for (g, _) in pairs {
        if let Some(n) = start.get_mut(*g as usize + 1) {
            *n += 1;
        }
    }
    for g in 0..groups {
        start[g + 1] += start[g];
    }
    let mut next = start.clone();
    let mut bucketed = vec![0u32; pairs.len()];
    for (g, i) in pairs {
        if let Some(at) = next.get_mut(*g as usize)
            && let Some(slot) = bucketed.get_mut(*at)
        {
            *slot = *i;
            *at += 1;
        }
    }
    // stamp[i]: the last activity (plus one) child i was counted for.
    let mut stamp = vec![0u32; children];
    let mut counts = vec![0u32; groups];
    for g in 0..groups {
        for &i in &bucketed[start[g]..start[g + 1]] {
            if let Some(seen) = stamp.get_mut(i as usize)
                && *seen != g as u32 + 1
            {
                *seen = g as u32 + 1;
                counts[g] += 1;
            }
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The distinct children of each activity, as sorting the pairs and removing repeats
    /// counts them: pairs in any order, repeated, interleaved, an activity nobody came to.
    #[test]
    fn distinct_children_per_activity_are_what_sorting_the_pairs_gives() {
        let reference = |pairs: &[(u32, u32)], groups: usize| {
            let mut sorted = pairs.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            let mut counts = vec![0u32; groups];
            for (g, _) in sorted {
                counts[g as usize] += 1;
            }
            counts
        };
        let cases: [(&[(u32, u32)], usize); 4] = [
            (&[], 0),
            (&[], 2),
            (&[(1, 3), (0, 3), (1, 3), (1, 0), (0, 3), (1, 4), (0, 1)], 3),
            (&[(2, 0), (0, 0), (2, 0), (0, 0), (1, 0), (2, 1)], 3),
        ];
        for (pairs, groups) in cases {
            assert_eq!(
                distinct_per_group(pairs, groups, 5),
                reference(pairs, groups),
                "{pairs:?}"
            );
        }
        assert_eq!(
            distinct_per_group(
                &[(1, 3), (0, 3), (1, 3), (1, 0), (0, 3), (1, 4), (0, 1)],
                3,
                5
            ),
            [2, 3, 0]
        );
    }

    #[test]
    fn a_value_is_counted_once_for_the_school_and_once_in_each_class() {
        // Values 0..4 in the table, the others in the map.
        let mut d = Distinct::new(3, 4);
        for (class, value) in [
            (0, 3),
            (0, 3),
            (1, 3),
            (1, 3),
            (2, 1),
            (0, 1 << 40),
            (2, 1 << 40),
        ] {
            d.add(class, value);
        }
        assert_eq!(d.count(), 3);
        assert_eq!(
            (d.count_in(0), d.count_in(1), d.count_in(2)),
            (2, 1, 2),
            "class 0: values 3 and 2^40; class 1: 3; class 2: 1 and 2^40"
        );
        let none = Distinct::new(2, 0);
        assert_eq!(
            (none.count(), none.count_in(0), none.count_in(1)),
            (0, 0, 0)
        );
    }
}
