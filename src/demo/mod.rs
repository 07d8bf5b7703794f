//! A deterministic synthetic school for trying guanai and for benchmarks.
//!
//! The same seed, size and day give the same school, byte for byte: rosters, staff, and a term
//! (from the start of the previous school year to today) of talks, visits, calls and the rest,
//! with realistic gaps so that some duties are overdue and some are not. Children are generated
//! one at a time from their own seed, so a county of 50,000 is produced in chunks without being
//! held in memory.
//!
//! This module is pure: it returns values; the caller writes them through the service.

mod data;

use chrono::{Datelike, Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::{
    Contact, EventKind, Gender, Guardian, IdNumber, LeftBehind, LeftBehindType, NewChild, NewStaff,
    Parent, ParentRelation, Register, Role, Settings, Situation, StaffId, Support,
};
use data::*;

/// How big a school, from which seed, as of which day.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub children: usize,
    pub seed: u64,
    pub today: NaiveDate,
    /// The Unix account that becomes the demo principal's, so its creator can use it.
    pub admin_unix_user: Option<String>,
    /// How many terms of history, counting the current one (3: about 50 events a child).
    pub history_terms: usize,
}

/// About fifteen left-behind children per class, as in a rural school.
const CHILDREN_PER_CLASS: usize = 15;

/// The school around the children: its settings, classes and staff.
#[derive(Debug, Clone)]
pub struct DemoSchool {
    pub settings: Settings,
    pub classes: Vec<String>,
    /// In this order: principal (admin), counsellor, one class teacher per class, then mentors.
    pub staff: Vec<NewStaff>,
}

/// One generated child with its history.
#[derive(Debug, Clone)]
pub struct DemoChild {
    pub child: NewChild,
    pub events: Vec<DemoEvent>,
}

#[derive(Debug, Clone)]
pub struct DemoEvent {
    pub kind: EventKind,
    pub date: NaiveDate,
    pub staff: StaffId,
    pub present: Vec<String>,
    pub summary: String,
    pub follow_up: bool,
}

fn pick<'a, R: Rng>(rng: &mut R, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

fn adult_name<R: Rng>(rng: &mut R, surname: &str) -> String {
    format!("{surname}{}", pick(rng, ADULT_GIVEN))
}

/// A man's or a woman's name, so that a father is not called 春花.
fn named<R: Rng>(rng: &mut R, surname: &str, female: bool) -> String {
    let given = if female { FEMALE_GIVEN } else { MALE_GIVEN };
    format!("{surname}{}", pick(rng, given))
}

fn phone<R: Rng>(rng: &mut R) -> String {
    let second = [3, 5, 7, 8, 9][rng.random_range(0..5)];
    format!("1{second}{:09}", rng.random_range(0..1_000_000_000u64))
}

fn class_name(index: usize, classes: usize) -> String {
    let per_grade = classes.div_ceil(GRADES.len()).max(1);
    let grade = (index / per_grade).min(GRADES.len() - 1);
    format!("{}({})班", GRADES[grade], index % per_grade + 1)
}

/// Grade number 1–9 of a class name made by `class_name`.
fn grade_of(class: &str) -> usize {
    GRADES
        .iter()
        .position(|g| class.starts_with(g))
        .map(|i| i + 1)
        .unwrap_or(1)
}

/// The school: settings with the default calendar, classes and staff.
pub fn school(opts: &DemoOptions) -> DemoSchool {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed ^ 0x5eed_5c00_1000);
    let n_classes = opts.children.div_ceil(CHILDREN_PER_CLASS).max(1);
    let classes: Vec<String> = (0..n_classes).map(|i| class_name(i, n_classes)).collect();
    let mut used = std::collections::HashSet::new();
    let mut unique_name = |rng: &mut ChaCha8Rng| loop {
        let surname = pick(rng, SURNAMES);
        let name = adult_name(rng, surname);
        if used.insert(name.clone()) {
            return name;
        }
        let numbered = format!("{name}{}", used.len());
        if used.insert(numbered.clone()) {
            return numbered;
        }
    };
    let mut staff = vec![
        NewStaff {
            name: unique_name(&mut rng),
            roles: vec![Role::Admin, Role::Mentor],
            classes: Vec::new(),
            unix_user: opts.admin_unix_user.clone(),
            title: Some(String::from("校长")),
        },
        NewStaff {
            name: unique_name(&mut rng),
            roles: vec![Role::Counselor],
            classes: Vec::new(),
            unix_user: None,
            title: Some(String::from("心理健康教师")),
        },
    ];
    for class in &classes {
        staff.push(NewStaff {
            name: unique_name(&mut rng),
            roles: vec![Role::ClassTeacher, Role::Mentor],
            classes: vec![class.clone()],
            unix_user: None,
            title: None,
        });
    }
    for _ in 0..n_classes / 2 + 1 {
        staff.push(NewStaff {
            name: unique_name(&mut rng),
            roles: vec![Role::Mentor],
            classes: Vec::new(),
            unix_user: None,
            title: None,
        });
    }
    let mut settings = Settings::default_for(opts.today);
    settings.school_name = String::from("青山镇中心学校");
    // The National Day week falls in every autumn term.
    for t in settings.terms.clone() {
        if t.kind == crate::domain::TermKind::Autumn
            && let (Some(start), Some(end)) = (
                NaiveDate::from_ymd_opt(chrono::Datelike::year(&t.start), 10, 1),
                NaiveDate::from_ymd_opt(chrono::Datelike::year(&t.start), 10, 7),
            )
        {
            settings.holidays.push(crate::domain::Holiday {
                name: String::from("国庆"),
                start,
                end,
            });
        }
    }
    DemoSchool {
        settings,
        classes,
        staff,
    }
}

/// The children, generated lazily in order. `staff` are the ids the school's staff received,
/// in the order of [`DemoSchool::staff`].
pub fn children<'a>(
    opts: &'a DemoOptions,
    school: &'a DemoSchool,
    staff: &'a [StaffId],
) -> impl Iterator<Item = DemoChild> + 'a {
    (0..opts.children).map(move |i| child(opts, school, staff, i))
}

fn child(opts: &DemoOptions, school: &DemoSchool, staff: &[StaffId], index: usize) -> DemoChild {
    let mut rng =
        ChaCha8Rng::seed_from_u64(opts.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ index as u64);
    let class_index = index / CHILDREN_PER_CLASS;
    let class = school.classes[class_index.min(school.classes.len() - 1)].clone();
    let grade = grade_of(&class) as i32;
    let today = opts.today;
    let school_year = if today.month() >= 8 {
        today.year()
    } else {
        today.year() - 1
    };
    let birth_year = school_year - 5 - grade;
    let birth = NaiveDate::from_ymd_opt(birth_year, 1, 1).unwrap_or(today)
        + Duration::days(rng.random_range(0..365));

    let surname = pick(&mut rng, SURNAMES);
    let name = format!(
        "{surname}{}{}",
        pick(&mut rng, GIVEN_FIRST),
        pick(&mut rng, GIVEN_SECOND)
    );
    let gender = if rng.random_bool(0.5) {
        Gender::Male
    } else {
        Gender::Female
    };
    let both = rng.random_bool(0.7);
    let father_away = both || rng.random_bool(0.8);
    let mother_away = both || !father_away;
    let mut parents = Vec::new();
    for (relation, away, parent_surname) in [
        (ParentRelation::Father, father_away, surname),
        (
            ParentRelation::Mother,
            mother_away,
            pick(&mut rng, SURNAMES),
        ),
    ] {
        parents.push(Parent {
            relation,
            name: named(&mut rng, parent_surname, relation == ParentRelation::Mother),
            phone: Some(phone(&mut rng)),
            workplace: away
                .then(|| format!("{}{}", pick(&mut rng, CITIES), pick(&mut rng, WORKPLACES))),
            away,
        });
    }
    let total: u32 = GUARDIAN_RELATIONS.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    let mut relation = GUARDIAN_RELATIONS[0].0;
    for (r, w) in GUARDIAN_RELATIONS {
        if roll < *w {
            relation = r;
            break;
        }
        roll -= w;
    }
    let grandparent = relation.contains('祖');
    let guardian_surname = if relation.starts_with('外') {
        pick(&mut rng, SURNAMES)
    } else {
        surname
    };
    let guardian = Guardian {
        name: named(
            &mut rng,
            guardian_surname,
            matches!(relation, "祖母" | "外祖母" | "姑姑" | "姨妈"),
        ),
        relation: relation.to_string(),
        phone: Some(phone(&mut rng)),
        age: Some(if grandparent {
            rng.random_range(58..80)
        } else {
            rng.random_range(30..50)
        }),
        health: Some(
            if rng.random_bool(0.2) {
                "体弱多病"
            } else {
                "健康"
            }
            .to_string(),
        ),
        can_supervise_study: Some(!grandparent || rng.random_bool(0.2)),
    };
    let village = pick(&mut rng, VILLAGES).to_string();
    let key_support = rng.random_bool(0.15);
    let class_teacher = staff.get(2 + class_index).copied().unwrap_or(staff[0]);
    let counselor = staff.get(1).copied().unwrap_or(staff[0]);
    let mentors = &staff[(2 + school.classes.len()).min(staff.len())..];
    let mentor = if rng.random_bool(0.4) || mentors.is_empty() {
        class_teacher
    } else {
        mentors[rng.random_range(0..mentors.len())]
    };
    let boarding = grade >= 5 && rng.random_bool(0.4);
    let since = NaiveDate::from_ymd_opt(birth_year + rng.random_range(1..=grade + 5), 3, 1);
    // The file opens with the history, or when the child enrolled if that came later.
    let terms = history_terms(school, opts);
    let history_start = terms.first().map(|t| t.start).unwrap_or(today);
    let enrolled = NaiveDate::from_ymd_opt(school_year - grade + 1, 9, 1).unwrap_or(today);
    let opened = history_start.max(enrolled).min(today);
    let new = NewChild {
        opened: Some(opened),
        name,
        gender,
        birth,
        student_no: Some(format!("{}{:05}", school_year - grade + 1, index + 1)),
        class,
        village: Some(village.clone()),
        address: Some(format!("{village}{}组", rng.random_range(1..12))),
        boarding,
        left_behind: LeftBehind {
            kind: if both {
                LeftBehindType::BothParents
            } else {
                LeftBehindType::OneParent
            },
            since: since.filter(|s| *s < today),
        },
        parents,
        guardian: Some(guardian.clone()),
        emergency_contacts: vec![Contact {
            name: format!("{}村委会", village.trim_end_matches('村')),
            relation: String::from("村委"),
            phone: phone(&mut rng),
        }],
        mentor: Some(mentor),
        buddies: vec![format!(
            "{}{}{}",
            pick(&mut rng, SURNAMES),
            pick(&mut rng, GIVEN_FIRST),
            pick(&mut rng, GIVEN_SECOND)
        )],
        register: Register {
            id_no: IdNumber::compose("430524", birth, index as u16, gender)
                .map(|id| id.as_str().to_string()),
            ethnicity: Some(String::from(if index % 9 == 4 {
                "苗族"
            } else {
                "汉族"
            })),
            hukou: Some(village.clone()),
            ..Register::default()
        },
        situation: Situation {
            study: String::from(if rng.random_bool(0.3) {
                "成绩偏弱, 需辅导"
            } else {
                "学习正常"
            }),
            life: String::from(if grandparent {
                "由祖辈照料"
            } else {
                "由亲属照料"
            }),
            psychology: String::from(if key_support {
                "性格内向, 需多关注"
            } else {
                "情绪稳定"
            }),
            safety: String::from("已进行安全教育"),
            health: String::from("健康"),
            surveyed: NaiveDate::from_ymd_opt(
                if rng.random_bool(0.9) {
                    school_year
                } else {
                    school_year - 1
                },
                9,
                15,
            )
            .filter(|d| *d <= today),
        },
        support: Support {
            key_support,
            poverty_support: rng.random_bool(0.25),
            special_needs: String::new(),
        },
    };
    let events = history(
        &mut rng,
        opts,
        school,
        &new,
        &guardian,
        class_teacher,
        counselor,
        staff[0],
    );
    DemoChild { child: new, events }
}

/// The last `history_terms` terms that have begun by today, oldest first.
fn history_terms<'a>(school: &'a DemoSchool, opts: &DemoOptions) -> Vec<&'a crate::domain::Term> {
    let begun: Vec<_> = school
        .settings
        .terms
        .iter()
        .filter(|t| t.start <= opts.today)
        .collect();
    begun[begun.len().saturating_sub(opts.history_terms.max(1))..].to_vec()
}

#[allow(clippy::too_many_arguments)]
fn history(
    rng: &mut ChaCha8Rng,
    opts: &DemoOptions,
    school: &DemoSchool,
    child: &NewChild,
    guardian: &Guardian,
    class_teacher: StaffId,
    counselor: StaffId,
    principal: StaffId,
) -> Vec<DemoEvent> {
    let today = opts.today;
    let mentor = child.mentor.unwrap_or(class_teacher);
    let attentive = rng.random_range(0.75..1.0);
    // Some children are neglected lately: nothing routine after this day (the overdue ones).
    let neglected_from = if rng.random_bool(0.2) {
        Some(today - Duration::days(rng.random_range(20..100)))
    } else {
        None
    };
    let guardian_word = match guardian.relation.as_str() {
        "祖母" => "奶奶",
        "祖父" => "爷爷",
        "外祖母" => "外婆",
        "外祖父" => "外公",
        other => other,
    }
    .to_string();
    let mut events = Vec::new();
    let mut push = |kind,
                    date: NaiveDate,
                    staff,
                    present: Vec<String>,
                    notes: &[&str],
                    rng: &mut ChaCha8Rng| {
        if date <= today && Some(date) >= child.opened {
            events.push(DemoEvent {
                kind,
                date,
                staff,
                present,
                summary: pick(rng, notes).replace("{g}", &guardian_word),
                follow_up: rng.random_bool(0.05),
            });
        }
    };
    let opened = child.opened.unwrap_or(today);
    for term in history_terms(school, opts)
        .into_iter()
        .filter(|t| t.end >= opened)
    {
        let span = (term.end - term.start).num_days();
        // Home visits at the start, middle and end of term.
        for window in 0..3 {
            let day =
                term.start + Duration::days(span * window / 3 + rng.random_range(0..span / 4));
            let routine = neglected_from.is_none_or(|n| day < n);
            if routine && rng.random_bool(0.7 * attentive) {
                push(
                    EventKind::HomeVisit,
                    day,
                    class_teacher,
                    vec![guardian_word.clone()],
                    VISIT_NOTES,
                    rng,
                );
            }
        }
        if rng.random_bool(0.3) {
            let day = term.start + Duration::days(rng.random_range(0..span));
            push(
                EventKind::SchoolVisit,
                day,
                class_teacher,
                vec![guardian_word.clone()],
                SCHOOL_VISIT_NOTES,
                rng,
            );
        }
        // Month by month: talk, calls or letters, guardian contact, activities.
        let mut month_start = term.start;
        while month_start <= term.end.min(today) {
            let in_month =
                |rng: &mut ChaCha8Rng| month_start + Duration::days(rng.random_range(0..28));
            let routine = neglected_from.is_none_or(|n| month_start < n);
            if routine && rng.random_bool(0.9 * attentive) {
                let day = in_month(rng);
                push(EventKind::Talk, day, mentor, Vec::new(), TALK_NOTES, rng);
            }
            if routine {
                for _ in 0..rng.random_range(1..=2) {
                    if rng.random_bool(0.85 * attentive) {
                        let day = in_month(rng);
                        if rng.random_bool(0.9) {
                            push(
                                EventKind::Call,
                                day,
                                class_teacher,
                                vec![String::from("父母")],
                                CALL_NOTES,
                                rng,
                            );
                        } else {
                            push(
                                EventKind::Letter,
                                day,
                                class_teacher,
                                Vec::new(),
                                LETTER_NOTES,
                                rng,
                            );
                        }
                    }
                }
                if rng.random_bool(0.85 * attentive) {
                    let day = in_month(rng);
                    push(
                        EventKind::GuardianContact,
                        day,
                        class_teacher,
                        vec![guardian_word.clone()],
                        GUARDIAN_NOTES,
                        rng,
                    );
                }
            }
            if rng.random_bool(0.6) {
                let day = in_month(rng);
                push(
                    EventKind::Activity,
                    day,
                    principal,
                    Vec::new(),
                    ACTIVITY_NOTES,
                    rng,
                );
            }
            if child.support.key_support && rng.random_bool(0.5) {
                let day = in_month(rng);
                push(
                    EventKind::Counseling,
                    day,
                    counselor,
                    Vec::new(),
                    COUNSELING_NOTES,
                    rng,
                );
            }
            if rng.random_bool(0.05) {
                let day = in_month(rng);
                push(
                    EventKind::Incident,
                    day,
                    class_teacher,
                    Vec::new(),
                    INCIDENT_NOTES,
                    rng,
                );
            }
            month_start += Duration::days(30);
        }
        if rng.random_bool(0.5) {
            let day = term.start + Duration::days(rng.random_range(0..span));
            push(
                EventKind::Training,
                day,
                principal,
                vec![guardian_word.clone()],
                TRAINING_NOTES,
                rng,
            );
        }
        if child.support.poverty_support {
            let day = term.start + Duration::days(rng.random_range(0..20));
            push(
                EventKind::Assistance,
                day,
                class_teacher,
                Vec::new(),
                ASSISTANCE_NOTES,
                rng,
            );
        }
        if rng.random_bool(0.06) {
            push(
                EventKind::Award,
                term.end - Duration::days(5),
                principal,
                Vec::new(),
                AWARD_NOTES,
                rng,
            );
        }
        if rng.random_bool(0.1) {
            let day = term.start + Duration::days(rng.random_range(0..span));
            push(
                EventKind::Note,
                day,
                class_teacher,
                Vec::new(),
                NOTE_NOTES,
                rng,
            );
        }
        // The class greets the child on a birthday that falls in term (生日祝福).
        for year in term.start.year()..=term.end.year() {
            if let Some(birthday) =
                NaiveDate::from_ymd_opt(year, child.birth.month(), child.birth.day())
                && term.contains(birthday)
                && rng.random_bool(0.8)
            {
                push(
                    EventKind::Note,
                    birthday,
                    class_teacher,
                    Vec::new(),
                    BIRTHDAY_NOTES,
                    rng,
                );
            }
        }
    }
    // The school holds one group activity a month (on the 12th) and one guardian training
    // session a term (six weeks in), each with one theme: a child's activity of a month is
    // that activity (the draws above keep the seed's sequence).
    let terms = history_terms(school, opts);
    for e in &mut events {
        match e.kind {
            EventKind::Activity => {
                if let Some(day) = e.date.with_day(12) {
                    scheduled(e, day, ACTIVITY_NOTES);
                }
            }
            EventKind::Training => {
                if let Some(t) = terms.iter().find(|t| t.contains(e.date)) {
                    scheduled(e, t.start + Duration::days(42), TRAINING_NOTES);
                }
            }
            _ => {}
        }
    }
    events.retain(|e| e.date <= today && Some(e.date) >= child.opened);
    events.sort_by_key(|e| e.date);
    events.dedup_by(|a, b| {
        matches!(a.kind, EventKind::Activity | EventKind::Training)
            && a.kind == b.kind
            && a.date == b.date
    });
    events
}

/// Moves an activity to the school's day for it, with the theme of its month: every child at
/// the month's activity attends one activity, not one each.
fn scheduled(event: &mut DemoEvent, day: NaiveDate, themes: &[&str]) {
    let month = day.year().max(0) as usize * 12 + day.month() as usize;
    event.date = day;
    event.summary = themes[month % themes.len()].to_string();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(n: usize) -> DemoOptions {
        DemoOptions {
            children: n,
            seed: 7,
            today: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            admin_unix_user: Some("root".into()),
            history_terms: 3,
        }
    }

    fn ids(school: &DemoSchool) -> Vec<StaffId> {
        (1..=school.staff.len() as u64).map(StaffId).collect()
    }

    #[test]
    fn same_seed_same_school() {
        let o = opts(40);
        let s = school(&o);
        let staff = ids(&s);
        let a: Vec<_> = children(&o, &s, &staff)
            .map(|c| format!("{:?}", c))
            .collect();
        let b: Vec<_> = children(&o, &s, &staff)
            .map(|c| format!("{:?}", c))
            .collect();
        assert_eq!(a, b);
        let mut other = o.clone();
        other.seed = 8;
        let c: Vec<_> = children(&other, &s, &staff)
            .map(|c| format!("{:?}", c))
            .collect();
        assert_ne!(a, c);
    }

    #[test]
    fn realistic_shape() {
        let o = opts(300);
        let s = school(&o);
        let staff = ids(&s);
        let kids: Vec<DemoChild> = children(&o, &s, &staff).collect();
        assert_eq!(kids.len(), 300);
        assert_eq!(s.classes.len(), 20);
        assert!(
            s.classes.contains(&String::from("七(2)班")),
            "{:?}",
            s.classes
        );
        let names: std::collections::HashSet<_> = s.staff.iter().map(|x| &x.name).collect();
        assert_eq!(names.len(), s.staff.len(), "staff names are unique");
        let events: usize = kids.iter().map(|k| k.events.len()).sum();
        let per_child = events as f64 / 300.0;
        assert!(
            (35.0..65.0).contains(&per_child),
            "{per_child} events per child"
        );
        let grand = kids
            .iter()
            .filter(|k| {
                k.child
                    .guardian
                    .as_ref()
                    .is_some_and(|g| g.relation.contains('祖'))
            })
            .count();
        assert!(grand > 180, "mostly grandparents: {grand}");
        let polyphonic = kids
            .iter()
            .filter(|k| {
                ["曾", "单", "解"]
                    .iter()
                    .any(|s| k.child.name.starts_with(s))
            })
            .count();
        assert!(polyphonic > 0);
        // Some children have had no talk for over a month, most have.
        let today = o.today;
        let stale = kids
            .iter()
            .filter(|k| {
                !k.events
                    .iter()
                    .any(|e| e.kind == EventKind::Talk && (today - e.date).num_days() < 45)
            })
            .count();
        assert!(
            stale > 20 && stale < 150,
            "{stale} children without a recent talk"
        );
        for k in &kids {
            assert!(
                k.events
                    .iter()
                    .all(|e| e.date <= today && e.date >= k.child.birth)
            );
        }
        let numbers: std::collections::HashSet<_> =
            kids.iter().map(|k| k.child.student_no.clone()).collect();
        assert_eq!(numbers.len(), kids.len(), "student numbers are unique");
    }
}
