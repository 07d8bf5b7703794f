//! The figures of a work summary for a period: counted from the files, the events and the
//! activities the caller hands over, never read here. Every rule of what counts is here, and
//! each is tested on a hand-built school in tests/report.rs.
//!
//! Who is counted: a child whose file was open at some time in the period (opened by its last
//! day, not archived before its first). Their events inside the period count; events of other
//! children, events outside the period and events of other kinds do not.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::count::{Distinct, Roster};
use super::coverage::coverage;
use super::input::ReportInput;
use crate::domain::{
    ActivityKind, EventKind, LeftBehindType, ReportFacts, Role, Staff, Status, StatusChange,
    class_order,
};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ByType {
    pub both_parents: u32,
    pub one_parent: u32,
}

/// The counts that exist for the school and for each class.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// The duty's labels, shared by its coverage in every class (a school has hundreds).
    pub label_zh: std::sync::Arc<str>,
    pub label_en: std::sync::Arc<str>,
    pub due: u32,
    pub satisfied: u32,
    /// `satisfied / due` in percent, one decimal; `None` when nothing was due (or the duty has
    /// no fixed periods: rolling duties).
    pub percent: Option<f64>,
}

/// A child named in the text (awards, children without a home visit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildRef {
    pub name: String,
    pub class: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    pub child: ChildRef,
    pub date: NaiveDate,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassFigures {
    /// Serialized without `counseling_sessions`: in a small class the count could point at
    /// a child.
    #[serde(flatten, serialize_with = "without_counseling")]
    pub counts: Counts,
    pub duty_coverage: BTreeMap<String, Coverage>,
}

fn without_counseling<S: serde::Serializer>(c: &Counts, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let value = serde_json::to_value(c).map_err(serde::ser::Error::custom)?;
    let serde_json::Value::Object(map) = value else {
        return Err(serde::ser::Error::custom("counts are an object"));
    };
    let mut out = s.serialize_map(None)?;
    for (k, v) in map.iter().filter(|(k, _)| *k != "counseling_sessions") {
        out.serialize_entry(k, v)?;
    }
    out.end()
}

/// How many children left the list for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub en: String,
    pub count: u32,
}

/// One group activity or guardian training session, as the summary names it: the same
/// activity whether it was recorded with its attendance (`N`) or on each child's timeline
/// (`guanai log activity`), counted once by kind, day and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityItem {
    pub training: bool,
    pub date: NaiveDate,
    pub title: String,
    /// Counted children who took part.
    pub children: u32,
    /// Guardians who attended (a training session's record names them).
    pub guardians: u32,
}

/// What the school's children are like (基本情况).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Children boarding at school (寄宿).
    pub boarding: u32,
    /// Children receiving 两免一补 / 济难救助.
    pub poverty_support: u32,
    /// 重点帮扶 children.
    pub key_support: u32,
    /// Children whose guardian on file is a grandparent (祖父母, 外祖父母).
    pub grandparent_guardians: u32,
    /// Children with a guardian on file.
    pub guardians_on_file: u32,
    /// Assistance given (资助): events of that kind.
    pub assistance: u32,
    /// Incidents recorded (illness, safety, behaviour).
    pub incidents: u32,
}

/// The previous term's figures the summary compares with (成效).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The previous term's name.
    pub term: String,
    /// Its follow-ups done, over every duty.
    pub coverage: Option<f64>,
    pub talks: u32,
    pub home_visits: u32,
    pub parent_calls: u32,
    pub activities: u32,
}

/// Who runs the work (组织领导).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub admins: Vec<String>,
    pub counselors: Vec<String>,
    /// Each of them with the post on file (校长, 心理健康教师 …), by name.
    pub titles: BTreeMap<String, String>,
    pub class_teachers: u32,
    /// Staff who mentor at least one counted child.
    pub mentors: u32,
}

/// Everything the work summary says in numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Every activity and training session, by date.
    pub activity_list: Vec<ActivityItem>,
    /// The children's circumstances and support.
    pub profile: Profile,
    /// The last day counted: the period's end, or today while it is still running (截至).
    pub as_of: NaiveDate,
    /// Typical cases (典型案例) marked by teachers among the period's events, by kind (its
    /// English key); counselling is never among them.
    pub typical_cases: BTreeMap<String, u32>,
    /// The school's rules in force by name, when it named them (else they are named after
    /// the duties kept).
    pub rules: Vec<String>,
    /// The previous term's figures, when the period is a term and one came before it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<Box<Comparison>>,
    pub duty_coverage: BTreeMap<String, Coverage>,
    /// The duties' names in the rules' order (the text follows it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duty_order: Vec<String>,
    pub per_class: BTreeMap<String, ClassFigures>,
    pub organisation: Organisation,
    /// Archived in the period, by reason: its Chinese name → its English name and the count.
    pub archived_reasons: BTreeMap<String, Reason>,
    pub awards_given: Vec<Award>,
    /// Children on the roster at the end of the period with no home visit in it, opened
    /// before the period's middle (a file opened last week is not a failure).
    pub no_home_visit: Vec<ChildRef>,
}

impl Figures {
    /// What the next term's summary compares with.
    pub fn comparison(&self) -> Comparison {
        Comparison {
            term: self.term.clone().unwrap_or_default(),
            coverage: super::text::overall(&self.duty_coverage),
            talks: self.totals.talks,
            home_visits: self.totals.home_visits,
            parent_calls: self.totals.parent_calls,
            activities: self.activities,
        }
    }

    /// The classes in school order (七(1)班 before 七(2)班 before 八(1)班).
    pub fn classes(&self) -> Vec<&String> {
        let mut classes: Vec<&String> = self.per_class.keys().collect();
        classes.sort_by_cached_key(|c| class_order(c));
        classes
    }
}

/// Whether the file was active on `day` (opened by then, not archived then).
pub(super) fn active_on(child: &ReportFacts<&str>, day: NaiveDate) -> bool {
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
/// A file opened, archived or restored on a day of the period was on the roster that day
/// (archived on the first day: counted, and counted as archived).
fn active_in(child: &ReportFacts<&str>, from: NaiveDate, to: NaiveDate) -> bool {
    active_on(child, from)
        || child
            .status_history
            .iter()
            .any(|c| c.date >= from && c.date <= to)
}

pub(crate) fn percent(satisfied: u32, due: u32) -> Option<f64> {
    (due > 0).then(|| (satisfied as f64 * 1000.0 / due as f64).round() / 10.0)
}

/// Computes the figures.
pub fn figures<'i>(input: &ReportInput<'i>) -> Figures {
    figures_in(input, Scope::Whole)
}

/// What a later term's summary compares with (成效): the figures [`Figures::comparison`]
/// takes, counted without the rest (each class's figures, the guardians and visitors counted
/// distinct, the lists of names); `None` when no file was active in the period. Equal to
/// `figures(input).comparison()` when there was one.
pub fn comparison<'i>(input: &ReportInput<'i>) -> Option<Comparison> {
    let counted = figures_in(input, Scope::Comparison);
    (counted.totals.children_active > 0).then(|| counted.comparison())
}

/// How much of the figures to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    Whole,
    /// Only what [`Figures::comparison`] reads; the rest is left empty.
    Comparison,
}

fn figures_in<'i>(input: &ReportInput<'i>, scope: Scope) -> Figures {
    let whole = scope == Scope::Whole;
    let (from, to) = (input.from, input.to);
    let roster = Roster::new(
        input
            .children
            .iter()
            .filter(|c| active_in(c, from, to))
            .collect(),
        whole,
    );
    let n_classes = roster.classes.len();
    let mut totals = Counts::default();
    let mut class_counts: Vec<Counts> = vec![Counts::default(); n_classes];

    // Children.
    let mut archived_reasons: BTreeMap<String, Reason> = BTreeMap::new();
    let mut mentors: HashSet<u64, crate::domain::FastHash> = HashSet::default();
    for (i, c) in roster.children.iter().enumerate() {
        let class = &mut class_counts[roster.class_of[i]];
        let archived =
            c.status_history.iter().rev().find(|s| {
                s.date >= from && s.date <= to && matches!(s.status, Status::Archived(_))
            });
        for counts in [&mut totals, class] {
            counts.children_active += 1;
            if c.opened().is_some_and(|o| o >= from && o <= to) {
                counts.children_new += 1;
            }
            match c.left_behind {
                LeftBehindType::BothParents => counts.by_type.both_parents += 1,
                LeftBehindType::OneParent => counts.by_type.one_parent += 1,
            }
            if archived.is_some() {
                counts.children_archived += 1;
            }
            // One mentor per child: each child with a mentor is one pair.
            if c.mentor.is_some() {
                counts.mentor_pairs += 1;
            }
        }
        if let Some(StatusChange {
            status: Status::Archived(reason),
            ..
        }) = archived
        {
            archived_reasons
                .entry(reason.zh().to_string())
                .or_insert_with(|| Reason {
                    en: reason.en().to_string(),
                    count: 0,
                })
                .count += 1;
        }
        if let Some(m) = c.mentor {
            mentors.insert(m.0);
        }
    }

    // Events in the period, of counted children.
    let n_children = roster.children.len();
    // Who made home visits and which guardians were reached, each counted once for the
    // school and once for each class.
    let staff_ids = input.staff.iter().map(|s| s.id.0).max().unwrap_or(0);
    let mut visit_teachers = Distinct::new(
        n_classes,
        usize::try_from(staff_ids)
            .ok()
            .filter(|m| *m <= input.staff.len() * 4 + 4096)
            .map_or(0, |m| m + 1),
    );
    let mut reached = Distinct::new(n_classes, roster.guardians);
    let mut visited = vec![false; n_children];
    let mut awards_given = Vec::new();
    // Activities by kind, day and title (each a number, in `groups`), with the guardians who
    // came; the children who took part as (activity number, child position) pairs, counted
    // distinct at the end.
    let mut groups: BTreeMap<(NaiveDate, bool, &str), usize> = BTreeMap::new();
    let mut guardians_at: Vec<u32> = Vec::new();
    let mut took_part: Vec<(u32, u32)> = Vec::new();
    let mut group = |key: (NaiveDate, bool, &'i str), guardians_at: &mut Vec<u32>| -> u32 {
        let next = groups.len();
        let g = *groups.entry(key).or_insert(next);
        if g == guardians_at.len() {
            guardians_at.push(0);
        }
        g as u32
    };
    let mut profile = Profile::default();
    let mut typical_by_code = [0u32; 256];
    for e in input.events_in(from, to) {
        let Some(i) = roster.index.get(e.child()) else {
            continue;
        };
        let k = roster.class_of[i];
        for counts in [&mut totals, &mut class_counts[k]] {
            match e.kind() {
                EventKind::Talk => counts.talks += 1,
                EventKind::HomeVisit => counts.home_visits += 1,
                EventKind::Call | EventKind::Letter => counts.parent_calls += 1,
                EventKind::Counseling => counts.counseling_sessions += 1,
                EventKind::Award => counts.awards += 1,
                _ => {}
            }
        }
        if e.typical() && !e.kind().is_restricted() {
            typical_by_code[e.kind().code() as usize] += 1;
        }
        match e.kind() {
            EventKind::Activity | EventKind::Training => {
                let training = e.kind() == EventKind::Training;
                let title = activity_title(e.title().map(|t| input.titles.get(t)), training);
                let g = group((e.date(), training, title), &mut guardians_at);
                took_part.push((g, i as u32));
            }
            EventKind::Assistance => profile.assistance += 1,
            EventKind::Incident => profile.incidents += 1,
            EventKind::HomeVisit => {
                if whole {
                    visit_teachers.add(k, e.staff().0);
                }
                visited[i] = true;
            }
            EventKind::Award if whole => {
                let c = roster.children[i];
                awards_given.push(Award {
                    child: ChildRef {
                        name: c.name.to_string(),
                        class: c.class.to_string(),
                    },
                    date: e.date(),
                    title: e
                        .title()
                        .map_or_else(String::new, |t| input.titles.get(t).to_string()),
                });
            }
            _ => {}
        }
        if whole
            && matches!(
                e.kind(),
                EventKind::HomeVisit | EventKind::SchoolVisit | EventKind::GuardianContact
            )
        {
            reached.add(k, roster.guardian_of[i] as u64);
        }
    }
    let typical_cases: BTreeMap<String, u32> = EventKind::ALL
        .into_iter()
        .filter(|k| typical_by_code[k.code() as usize] > 0)
        .map(|k| (k.key().to_string(), typical_by_code[k.code() as usize]))
        .collect();
    totals.home_visit_teachers = visit_teachers.count();
    totals.guardians_contacted = reached.count();
    for (k, counts) in class_counts.iter_mut().enumerate() {
        counts.home_visit_teachers = visit_teachers.count_in(k);
        counts.guardians_contacted = reached.count_in(k);
    }
    awards_given.sort_by(|a, b| a.date.cmp(&b.date).then(a.child.name.cmp(&b.child.name)));

    // Activities and guardian training: a recorded activity and the entries it put on the
    // children's timelines are one activity; entries logged on timelines alone are grouped by
    // kind, day and title.
    for a in input
        .activities
        .iter()
        .filter(|a| a.date >= from && a.date <= to)
    {
        let training = a.kind == ActivityKind::Training;
        let g = group(
            (a.date, training, activity_title(Some(&a.title), training)),
            &mut guardians_at,
        );
        took_part.extend(
            a.children
                .iter()
                .filter_map(|c| roster.index.get(*c))
                .map(|i| (g, i as u32)),
        );
        let came = &mut guardians_at[g as usize];
        *came = (*came).max(a.guardians.len() as u32);
    }
    let children_at = super::count::distinct_per_group(&took_part, guardians_at.len(), n_children);
    let activity_list: Vec<ActivityItem> = groups
        .into_iter()
        .map(|((date, training, title), g)| ActivityItem {
            training,
            date,
            title: title.to_string(),
            children: children_at[g],
            guardians: guardians_at[g],
        })
        .collect();
    let activities = activity_list.iter().filter(|a| !a.training).count() as u32;
    let trainings = activity_list.iter().filter(|a| a.training).count() as u32;
    let training_attendance = activity_list
        .iter()
        .filter(|a| a.training)
        .map(|a| a.children + a.guardians)
        .sum();
    for c in &roster.children {
        profile.boarding += u32::from(c.boarding);
        profile.poverty_support += u32::from(c.poverty_support);
        profile.key_support += u32::from(c.key_support);
        if let Some(g) = &c.guardian {
            profile.guardians_on_file += 1;
            if is_grandparent(g.2) {
                profile.grandparent_guardians += 1;
            }
        }
    }

    // Duty coverage.
    let (duty_coverage, class_coverage) = coverage(input, &roster, scope);

    // No home visit: on the roster at the end, opened before the period's middle.
    let middle = from + (to - from) / 2;
    // Each class's place in the school, worked out once per class.
    let mut class_places: Vec<usize> = (0..roster.classes.len()).collect();
    class_places.sort_by_cached_key(|k| class_order(&roster.classes[*k]));
    let mut place_of = vec![0; roster.classes.len()];
    for (place, k) in class_places.into_iter().enumerate() {
        place_of[k] = place;
    }
    let mut not_visited: Vec<(usize, &ReportFacts<&str>)> = roster
        .children
        .iter()
        .enumerate()
        .filter(|_| whole)
        .filter(|(i, c)| !visited[*i] && active_on(c, to.min(input.today)))
        .filter(|(_, c)| c.opened().is_none_or(|o| o <= middle))
        .map(|(i, c)| (place_of[roster.class_of[i]], *c))
        .collect();
    not_visited.sort_by(|(a, x), (b, y)| a.cmp(b).then(x.name.cmp(y.name)));
    let no_home_visit: Vec<ChildRef> = not_visited
        .into_iter()
        .map(|(_, c)| ChildRef {
            name: c.name.to_string(),
            class: c.class.to_string(),
        })
        .collect();

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
        titles: active_staff
            .iter()
            .filter(|s| s.has_role(Role::Admin) || s.has_role(Role::Counselor))
            .filter_map(|s| s.title.clone().map(|t| (s.name.clone(), t)))
            .collect(),
        class_teachers: active_staff
            .iter()
            .filter(|s| s.has_role(Role::ClassTeacher))
            .count() as u32,
        mentors: mentors.len() as u32,
    };

    let per_class = roster
        .classes
        .iter()
        .zip(class_counts)
        .zip(class_coverage)
        .map(|((class, counts), duty_coverage)| {
            (
                class.clone(),
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
        activity_list,
        profile,
        as_of: to.min(input.today),
        previous: None,
        rules: input.settings.rules_in_force.clone(),
        typical_cases,
        duty_coverage,
        duty_order: input.rules.duties.iter().map(|d| d.name.clone()).collect(),
        per_class,
        organisation,
        archived_reasons,
        awards_given,
        no_home_visit,
    }
}

/// An activity's title as the summary names it: as written, or the kind's name when none was
/// written.
fn activity_title(title: Option<&str>, training: bool) -> &str {
    match title.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t,
        None if training => "家长学校",
        None => "集体活动",
    }
}

/// Whether a guardian's relation (as the school writes it) is a grandparent: 祖母, 爷爷,
/// 外婆, 姥爷 …
fn is_grandparent(relation: &str) -> bool {
    ["祖", "爷", "奶", "外婆", "外公", "姥"]
        .iter()
        .any(|w| relation.contains(w))
        || (relation.bytes().any(|b| b.is_ascii_alphabetic())
            && relation.to_lowercase().contains("grand"))
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
