//! docs/followup.md, example by example, and the properties it promises.

mod common;

use chrono::NaiveDate;
use common::day;
use guanai::domain::{ChildId, EventKind, Holiday, LeftBehindType, Settings, StaffId};
use guanai::followup::{ChildFacts, LastDays, QueueRow, Rules, day_number, overdue_queue};
use proptest::prelude::*;

fn settings() -> Settings {
    Settings::default_for(day(2026, 11, 29))
}

/// A child whose file opened on 1 Sep 2025, with these latest events.
fn child(last: &[(EventKind, NaiveDate)]) -> ChildFacts<'static> {
    let mut dates: LastDays = [None; 16];
    for (kind, date) in last {
        dates[kind.code() as usize] = Some(day_number(*date));
    }
    ChildFacts {
        id: ChildId(1),
        class: "七(2)班",
        birth: day(2014, 5, 3),
        opened: day(2025, 9, 1),
        key_support: false,
        boarding: false,
        poverty_support: false,
        left_behind: LeftBehindType::BothParents,
        mentor: Some(StaffId(7)),
        surveyed: Some(day(2026, 9, 15)),
        last: dates,
    }
}

fn row(
    rules: &Rules,
    settings: &Settings,
    c: &ChildFacts,
    today: NaiveDate,
    within: Option<i64>,
    duty: &str,
) -> Option<QueueRow> {
    overdue_queue(rules, settings, &[], std::slice::from_ref(c), today, within)
        .into_iter()
        .find(|r| rules.duties[r.duty].name == duty)
}

fn talk(c: &ChildFacts, today: NaiveDate, within: Option<i64>) -> Option<QueueRow> {
    row(&Rules::defaults(), &settings(), c, today, within, "talk")
}

fn figures(r: Option<QueueRow>) -> Option<(NaiveDate, i64, u32)> {
    r.map(|r| (r.due, r.days_overdue, r.periods_missed))
}

#[test]
fn example_1_done_this_month() {
    let c = child(&[(EventKind::Talk, day(2026, 11, 3))]);
    assert_eq!(figures(talk(&c, day(2026, 11, 29), Some(60))), None);
}

#[test]
fn example_2_not_yet_this_month() {
    let c = child(&[(EventKind::Talk, day(2026, 10, 20))]);
    assert_eq!(
        talk(&c, day(2026, 11, 29), None),
        None,
        "not shown by default"
    );
    assert_eq!(
        figures(talk(&c, day(2026, 11, 29), Some(1))),
        Some((day(2026, 11, 30), -1, 0))
    );
}

#[test]
fn example_3_one_month_missed() {
    let c = child(&[(EventKind::Talk, day(2026, 9, 20))]);
    assert_eq!(
        figures(talk(&c, day(2026, 11, 29), None)),
        Some((day(2026, 10, 31), 29, 1))
    );
}

#[test]
fn example_4_two_months_missed() {
    let c = child(&[(EventKind::Talk, day(2026, 9, 20))]);
    assert_eq!(
        figures(talk(&c, day(2026, 12, 29), None)),
        Some((day(2026, 10, 31), 59, 2))
    );
}

#[test]
fn a_talk_on_the_first_day_of_the_month_clears_it_and_one_the_day_before_does_not() {
    let first = child(&[(EventKind::Talk, day(2026, 11, 1))]);
    assert_eq!(figures(talk(&first, day(2026, 11, 29), Some(60))), None);
    let before = child(&[(EventKind::Talk, day(2026, 10, 31))]);
    assert_eq!(
        figures(talk(&before, day(2026, 11, 29), Some(60))),
        Some((day(2026, 11, 30), -1, 0))
    );
}

#[test]
fn rows_equally_urgent_come_most_overdue_first() {
    let row = |child: u64, days: i64| QueueRow {
        child: ChildId(child),
        duty: 0,
        due: day(2026, 11, 1),
        days_overdue: days,
        periods_missed: 1,
        assignee: None,
        urgency: 10.0,
        key_support: false,
        open_incident: false,
        no_parent_contact: false,
    };
    let mut rows = vec![row(1, 5), row(2, 30), row(3, 12)];
    guanai::followup::QueueEngine::sort(&mut rows);
    let order: Vec<(u64, i64)> = rows.iter().map(|r| (r.child.0, r.days_overdue)).collect();
    assert_eq!(order, vec![(2, 30), (3, 12), (1, 5)]);
}

#[test]
fn example_5_a_talk_today_clears_it() {
    let c = child(&[(EventKind::Talk, day(2026, 11, 29))]);
    assert_eq!(talk(&c, day(2026, 11, 29), Some(60)), None);
}

#[test]
fn example_6_file_opened_mid_month() {
    let mut c = child(&[]);
    c.opened = day(2026, 11, 20);
    assert_eq!(talk(&c, day(2026, 11, 29), Some(7)), None);
    assert_eq!(
        figures(talk(&c, day(2026, 11, 29), Some(32))),
        Some((day(2026, 12, 31), -32, 0))
    );
    c.opened = day(2026, 11, 10);
    assert_eq!(
        figures(talk(&c, day(2026, 11, 29), Some(7))),
        Some((day(2026, 11, 30), -1, 0))
    );
}

#[test]
fn example_7_a_holiday_inside_a_term() {
    let mut s = settings();
    s.holidays.push(Holiday {
        name: "国庆".into(),
        start: day(2026, 10, 1),
        end: day(2026, 10, 7),
    });
    let c = child(&[(EventKind::Talk, day(2026, 10, 5))]);
    let r = row(
        &Rules::defaults(),
        &s,
        &c,
        day(2026, 10, 9),
        Some(30),
        "talk",
    );
    assert_eq!(figures(r), Some((day(2026, 10, 31), -22, 0)));
}

#[test]
fn example_8_term_windows() {
    let rules = Rules::defaults();
    let c = child(&[(EventKind::HomeVisit, day(2026, 9, 10))]);
    let visit = |today| figures(row(&rules, &settings(), &c, today, Some(7), "home-visit"));
    assert_eq!(visit(day(2026, 11, 29)), Some((day(2026, 12, 3), -4, 0)));
    assert_eq!(visit(day(2026, 12, 10)), Some((day(2026, 12, 3), 7, 1)));
}

#[test]
fn example_9_across_the_summer() {
    let c = child(&[(EventKind::Talk, day(2026, 6, 15))]);
    assert_eq!(
        figures(talk(&c, day(2026, 9, 10), Some(30))),
        Some((day(2026, 9, 30), -20, 0))
    );
}

#[test]
fn example_10_across_the_winter_break() {
    let c = child(&[(EventKind::Talk, day(2027, 1, 15))]);
    assert_eq!(
        figures(talk(&c, day(2027, 2, 25), Some(40))),
        Some((day(2027, 3, 31), -34, 0))
    );
}

#[test]
fn example_11_birthday() {
    let rules = Rules::defaults();
    let mut c = child(&[(EventKind::Activity, day(2026, 11, 1))]);
    c.birth = day(2014, 11, 20);
    let r = row(&rules, &settings(), &c, day(2026, 11, 29), None, "birthday");
    assert_eq!(figures(r), Some((day(2026, 11, 23), 6, 1)));
    c.birth = day(2014, 8, 5);
    for today in [day(2026, 8, 10), day(2026, 9, 10), day(2026, 11, 29)] {
        assert_eq!(
            row(&rules, &settings(), &c, today, Some(400), "birthday"),
            None
        );
    }
}

#[test]
fn example_12_annual_resurvey() {
    let mut c = child(&[]);
    c.surveyed = Some(day(2025, 9, 15));
    let r = row(
        &Rules::defaults(),
        &settings(),
        &c,
        day(2026, 11, 29),
        None,
        "resurvey",
    );
    assert_eq!(figures(r), Some((day(2026, 9, 30), 60, 1)));
}

#[test]
fn example_14_rolling() {
    let rules = Rules::with_overrides(
        "[[duty]]\nname = \"talk\"\ncadence = \"14d\"\n",
        "rules.toml",
    )
    .unwrap();
    let c = child(&[(EventKind::Talk, day(2026, 11, 2))]);
    let r = row(&rules, &settings(), &c, day(2026, 11, 29), None, "talk");
    assert_eq!(figures(r), Some((day(2026, 11, 16), 13, 1)));
}

#[test]
fn urgency_is_the_documented_sum() {
    let mut c = child(&[
        (EventKind::Talk, day(2026, 9, 20)),
        (EventKind::Call, day(2026, 11, 10)),
    ]);
    c.key_support = true;
    let r = talk(&c, day(2026, 11, 29), None).unwrap();
    assert_eq!(r.urgency, 29.0 + 5.0 + 15.0);
    c.last[EventKind::Call.code() as usize] = Some(day_number(day(2026, 10, 1)));
    let r = talk(&c, day(2026, 11, 29), None).unwrap();
    assert_eq!(r.urgency, 59.0);
    assert!(r.no_parent_contact && r.key_support && !r.open_incident);
    c.last[EventKind::Incident.code() as usize] = Some(day_number(day(2026, 11, 20)));
    assert_eq!(talk(&c, day(2026, 11, 29), None).unwrap().urgency, 69.0);
}

#[test]
fn the_queue_is_ordered_by_urgency_and_names_who_is_responsible() {
    use guanai::domain::{Role, Staff};
    let staff = vec![Staff {
        id: StaffId(3),
        version: 1,
        name: "李老师".into(),
        roles: vec![Role::ClassTeacher],
        classes: vec!["七(2)班".into()],
        unix_user: None,
        active: true,
        title: None,
    }];
    let mut a = child(&[(EventKind::Talk, day(2026, 10, 10))]);
    a.id = ChildId(1);
    let mut b = child(&[(EventKind::Talk, day(2026, 9, 10))]);
    b.id = ChildId(2);
    b.mentor = None;
    let rows = overdue_queue(
        &Rules::defaults(),
        &settings(),
        &staff,
        &[a, b],
        day(2026, 12, 5),
        None,
    );
    let talks: Vec<_> = rows.iter().filter(|r| r.duty == 0).collect();
    assert_eq!(talks[0].child, ChildId(2), "more missed, more urgent");
    assert_eq!(
        talks[0].assignee,
        Some(StaffId(3)),
        "no mentor: the class teacher"
    );
    assert_eq!(talks[1].assignee, Some(StaffId(7)), "the mentor");
    for pair in rows.windows(2) {
        assert!(pair[0].urgency >= pair[1].urgency);
    }
}

/// A birthday at the end of December whose window is cut by a holiday to its days in January:
/// that window belongs to the year before and is owed by a file opened in those January days.
/// The queue builds windows from the year before the file opened for that reason, also for a
/// file opened long ago (tables of files opened in the last six years are shared).
#[test]
fn a_december_birthday_window_cut_into_january_is_owed_by_a_file_opened_then() {
    let rules = Rules::defaults();
    let mut settings = settings();
    settings.holidays.push(Holiday {
        name: "元旦".into(),
        start: day(2018, 12, 20),
        end: day(2019, 1, 1),
    });
    let today = day(2026, 11, 29);
    let mut c = child(&[]);
    c.birth = day(2012, 12, 31);
    c.opened = day(2019, 1, 2);
    let (i, duty) = rules
        .duties
        .iter()
        .enumerate()
        .find(|(_, d)| d.name == "birthday")
        .unwrap();
    let guanai::followup::Cadence::Birthday { window_days } = duty.cadence else {
        unreachable!()
    };
    let calendar = guanai::followup::SchoolCalendar::new(
        &settings,
        day(2000, 1, 1),
        today + chrono::Duration::days(800),
    );
    let stand = |from: i32| {
        let periods = calendar.birthday_periods_from(from, c.birth, window_days, duty.in_holidays);
        guanai::followup::standing(
            &guanai::followup::PeriodTable::new(periods),
            None,
            c.opened,
            today,
        )
        .map(|s| (s.due, s.days_overdue, s.periods_missed))
    };
    let every_year = stand(2000);
    assert_ne!(
        every_year,
        stand(2019),
        "the window of 2018's birthday, cut to January 2019, is owed"
    );
    let got = overdue_queue(
        &rules,
        &settings,
        &[],
        std::slice::from_ref(&c),
        today,
        Some(800),
    )
    .into_iter()
    .find(|r| r.duty == i)
    .map(|r| (r.due, r.days_overdue, r.periods_missed));
    assert_eq!(got, every_year);
}

/// A duty of the counsellor's goes to the first active counsellor on the staff list; a
/// school without one leaves it unassigned (not to whoever comes first).
#[test]
fn a_counsellors_duty_goes_to_the_first_active_counsellor() {
    use guanai::domain::{Role, Staff};
    let member = |id: u64, role: Role, active: bool| Staff {
        id: StaffId(id),
        version: 1,
        name: format!("老师{id}"),
        roles: vec![role],
        classes: vec![],
        unix_user: None,
        active,
        title: None,
    };
    let rules = Rules::with_overrides(
        "[[duty]]\nname = \"key-talk\"\nlabel = \"重点谈心\"\nkinds = [\"counseling\"]\ncadence = \"14d\"\nresponsible = \"counselor\"\n",
        "rules.toml",
    )
    .unwrap();
    let (duty, _) = rules
        .duties
        .iter()
        .enumerate()
        .find(|(_, d)| d.name == "key-talk")
        .unwrap();
    let assignee = |staff: &[Staff]| {
        overdue_queue(
            &rules,
            &settings(),
            staff,
            &[child(&[])],
            day(2026, 12, 5),
            None,
        )
        .into_iter()
        .find(|r| r.duty == duty)
        .map(|r| r.assignee)
    };
    let staff = [
        member(1, Role::Mentor, true),
        member(2, Role::Counselor, false),
        member(3, Role::Counselor, true),
        member(4, Role::Counselor, true),
    ];
    assert_eq!(assignee(&staff), Some(Some(StaffId(3))));
    assert_eq!(
        assignee(&staff[..2]),
        Some(None),
        "no active counsellor: nobody, not the mentor"
    );
}

/// Any child: opened some time in the two years before, with random latest events.
fn any_child() -> impl Strategy<Value = ChildFacts<'static>> {
    (
        0i64..700,
        proptest::collection::vec(proptest::option::of(0i64..700), 14),
        any::<bool>(),
        0u32..365,
    )
        .prop_map(|(opened_ago, last, key, birth)| {
            let base = day(2026, 11, 29);
            let mut dates: LastDays = [None; 16];
            for (i, ago) in last.into_iter().enumerate() {
                dates[i] = ago.map(|a| day_number(base - chrono::Duration::days(a)));
            }
            ChildFacts {
                id: ChildId(1),
                class: "七(2)班",
                birth: day(2013, 1, 1) + chrono::Duration::days(birth as i64),
                opened: base - chrono::Duration::days(opened_ago),
                key_support: key,
                boarding: false,
                poverty_support: false,
                left_behind: LeftBehindType::OneParent,
                mentor: None,
                surveyed: dates[15].and_then(NaiveDate::from_num_days_from_ce_opt),
                last: dates,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// Logging a satisfying event today clears every overdue row of that duty.
    #[test]
    fn a_satisfying_event_today_clears_the_row(c in any_child(), shift in 0i64..200) {
        let rules = Rules::defaults();
        let s = settings();
        let today = day(2026, 11, 29) - chrono::Duration::days(shift);
        prop_assume!(c.opened <= today && c.last.iter().flatten().all(|d| *d <= day_number(today)));
        for r in overdue_queue(&rules, &s, &[], std::slice::from_ref(&c), today, None) {
            let duty = &rules.duties[r.duty];
            let mut done = c.clone();
            match duty.sources[0] {
                guanai::followup::Source::Kind(k) => done.last[k.code() as usize] = Some(day_number(today)),
                guanai::followup::Source::Survey => done.surveyed = Some(today),
            }
            let after = overdue_queue(&rules, &s, &[], std::slice::from_ref(&done), today, None);
            prop_assert!(
                !after.iter().any(|a| a.duty == r.duty),
                "duty {} still listed after logging it on {}", duty.name, today
            );
        }
    }

    /// Moving today forward never lowers days overdue.
    #[test]
    fn later_is_never_less_late(c in any_child(), shift in 0i64..300, step in 1i64..120) {
        let rules = Rules::defaults();
        let s = settings();
        let t1 = day(2026, 11, 29) - chrono::Duration::days(shift);
        let t2 = t1 + chrono::Duration::days(step);
        prop_assume!(c.opened <= t1 && c.last.iter().flatten().all(|d| *d <= day_number(t1)));
        let before = overdue_queue(&rules, &s, &[], std::slice::from_ref(&c), t1, None);
        let after = overdue_queue(&rules, &s, &[], std::slice::from_ref(&c), t2, None);
        for r in before {
            let later = after.iter().find(|a| a.duty == r.duty);
            prop_assert!(later.is_some(), "{} vanished", rules.duties[r.duty].name);
            prop_assert!(later.map(|l| l.days_overdue).unwrap_or(0) >= r.days_overdue);
        }
    }
}

#[test]
fn the_calendar_never_runs_out() {
    // The school configured nothing past spring 2027; in 2030 the default terms carry on.
    let c = child(&[(EventKind::Talk, day(2026, 9, 10))]);
    let late = talk(&c, day(2030, 11, 29), None).unwrap();
    let later = talk(&c, day(2030, 12, 29), None).unwrap();
    assert_eq!(late.due, day(2026, 10, 31));
    assert!(later.periods_missed > late.periods_missed);
    // A file opened in 2030 owes its first month.
    let mut fresh = child(&[]);
    fresh.opened = day(2030, 9, 1);
    assert!(talk(&fresh, day(2030, 10, 5), None).is_some());
}

#[test]
fn a_holiday_inside_a_term_does_not_merge_months() {
    let mut s = settings();
    s.holidays.push(Holiday {
        name: "停课".into(),
        start: day(2026, 10, 1),
        end: day(2026, 10, 25),
    });
    let c = child(&[(EventKind::Talk, day(2026, 9, 10))]);
    // October keeps its own period (26–31 Oct), due 31 Oct.
    let r = row(
        &Rules::defaults(),
        &s,
        &c,
        day(2026, 10, 28),
        Some(7),
        "talk",
    );
    assert_eq!(figures(r), Some((day(2026, 10, 31), -3, 0)));
}

#[test]
fn birthday_windows_are_cut_to_school_days() {
    let rules = Rules::defaults();
    let mut c = child(&[]);
    c.birth = day(2014, 7, 12);
    // 9–15 July, cut at the end of term on 10 July.
    let r = row(
        &rules,
        &settings(),
        &c,
        day(2026, 7, 9),
        Some(7),
        "birthday",
    );
    assert_eq!(figures(r), Some((day(2026, 7, 10), -1, 0)));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, .. ProptestConfig::default() })]

    /// Without saved settings the default calendar follows today; moving today forward must
    /// still never lower days overdue.
    #[test]
    fn later_is_never_less_late_on_the_default_calendar(c in any_child(), shift in 0i64..1500, step in 1i64..400) {
        let rules = Rules::defaults();
        let t1 = day(2026, 11, 29) - chrono::Duration::days(700) + chrono::Duration::days(shift);
        let t2 = t1 + chrono::Duration::days(step);
        prop_assume!(c.opened <= t1 && c.last.iter().flatten().all(|d| *d <= day_number(t1)));
        let before = overdue_queue(&rules, &Settings::default_for(t1), &[], std::slice::from_ref(&c), t1, None);
        let after = overdue_queue(&rules, &Settings::default_for(t2), &[], std::slice::from_ref(&c), t2, None);
        for r in before {
            let later = after.iter().find(|a| a.duty == r.duty);
            prop_assert!(later.is_some_and(|l| l.days_overdue >= r.days_overdue),
                "{}: {} days on {t1}, {:?} on {t2}", rules.duties[r.duty].name, r.days_overdue, later.map(|l| l.days_overdue));
        }
    }
}

/// The first and last day of every kind of period: a birthday window (17–23 Nov for 20 Nov),
/// a term window (the middle third of autumn 2026: 18 Oct – 3 Dec), an ISO week.
#[test]
fn the_first_and_last_day_of_each_kind_of_period_count_and_the_days_around_do_not() {
    let rules = Rules::defaults();
    let today = day(2026, 11, 29);
    let birthday = |on: NaiveDate| {
        let mut c = child(&[(EventKind::Note, on)]);
        c.birth = day(2014, 11, 20);
        figures(row(&rules, &settings(), &c, today, None, "birthday"))
    };
    assert_eq!(birthday(day(2026, 11, 17)), None, "first day of the window");
    assert_eq!(birthday(day(2026, 11, 23)), None, "last day of the window");
    assert_eq!(birthday(day(2026, 11, 16)), Some((day(2026, 11, 23), 6, 1)));
    let visit = |on: NaiveDate, today: NaiveDate| {
        let c = child(&[(EventKind::HomeVisit, on)]);
        figures(row(&rules, &settings(), &c, today, None, "home-visit"))
    };
    let after = day(2026, 12, 10);
    assert_eq!(
        visit(day(2026, 10, 18), after),
        None,
        "first day of the middle third"
    );
    assert_eq!(
        visit(day(2026, 12, 3), after),
        None,
        "last day of the middle third"
    );
    assert_eq!(
        visit(day(2026, 10, 17), after),
        Some((day(2026, 12, 3), 7, 1))
    );
    let weekly = Rules::with_overrides(
        "[[duty]]\nname = \"talk\"\ncadence = \"week\"\n",
        "rules.toml",
    )
    .unwrap();
    // Week of Monday 23 – Sunday 29 Nov 2026; today is its Sunday.
    let week = |on: NaiveDate| {
        let c = child(&[(EventKind::Talk, on)]);
        figures(row(
            &weekly,
            &settings(),
            &c,
            day(2026, 11, 30),
            None,
            "talk",
        ))
    };
    assert_eq!(
        week(day(2026, 11, 23)),
        None,
        "Monday: this week's talk, checked on the next Monday"
    );
    assert_eq!(week(day(2026, 11, 29)).map(|f| f.2), None);
    assert_eq!(
        week(day(2026, 11, 22)).map(|f| f.0),
        Some(day(2026, 11, 29)),
        "Sunday before: last week's"
    );
}

/// A holiday at the start of a month moves the month's first day to the day after it: a
/// talk on the last day of the holiday, or the day before it, is not that month's; one on
/// the first school day is.
#[test]
fn a_holiday_moves_the_first_day_of_the_month_and_the_days_around_it_do_not_count() {
    let mut s = settings();
    s.holidays.push(Holiday {
        name: "国庆".into(),
        start: day(2026, 10, 1),
        end: day(2026, 10, 7),
    });
    let today = day(2026, 11, 2);
    let talk_on = |on: NaiveDate| {
        let c = child(&[(EventKind::Talk, on)]);
        figures(row(&Rules::defaults(), &s, &c, today, None, "talk"))
    };
    assert_eq!(talk_on(day(2026, 10, 8)), None, "the first school day");
    assert_eq!(talk_on(day(2026, 10, 31)), None, "the last day");
    let october_missed = Some((day(2026, 10, 31), 2, 1));
    assert_eq!(talk_on(day(2026, 10, 7)), october_missed, "in the holiday");
    assert_eq!(talk_on(day(2026, 9, 30)), october_missed, "the day before");
}

/// A duty for some children only: the others have no row for it.
#[test]
fn a_duty_for_key_support_children_leaves_the_others_out() {
    let rules = Rules::with_overrides(
        "[[duty]]\nname = \"talk\"\nchildren = \"key-support\"\n",
        "rules.toml",
    )
    .unwrap();
    let today = day(2026, 11, 29);
    let mut key = child(&[]);
    key.key_support = true;
    assert_eq!(
        figures(row(&rules, &settings(), &key, today, None, "talk")).map(|f| f.0),
        Some(day(2025, 9, 30)),
        "the key-support child owes it since the file opened"
    );
    let other = child(&[]);
    assert_eq!(row(&rules, &settings(), &other, today, None, "talk"), None);
    assert!(
        row(&rules, &settings(), &other, today, None, "home-visit").is_some(),
        "other duties still concern the child"
    );
}

/// On the last day of a month the month is due today, not past: nothing missed yet.
#[test]
fn on_the_due_day_the_period_is_current_not_missed() {
    let c = child(&[(EventKind::Talk, day(2026, 10, 20))]);
    let r = talk(&c, day(2026, 11, 30), Some(7));
    assert_eq!(figures(r), Some((day(2026, 11, 30), 0, 0)));
    assert_eq!(talk(&c, day(2026, 11, 30), None), None, "not overdue yet");
}

/// A file opened on the middle day of a month owes that month; the day after, it does not.
#[test]
fn a_file_opened_on_the_middle_day_owes_the_month() {
    let today = day(2026, 11, 2);
    // October's middle: 1 + (31 - 1) / 2 = 16 October.
    let mut c = child(&[]);
    c.opened = day(2026, 10, 16);
    assert_eq!(
        figures(talk(&c, today, None)),
        Some((day(2026, 10, 31), 2, 1))
    );
    c.opened = day(2026, 10, 17);
    assert_eq!(figures(talk(&c, today, None)), None);
}

/// A rolling duty in calendar days (holidays counted): due `n` days after the last time,
/// not yet missed on the due day, one more period missed every `n` days after it.
#[test]
fn a_rolling_duty_in_calendar_days() {
    let rules = Rules::with_overrides(
        "[[duty]]\nname = \"talk\"\ncadence = \"7d\"\nholidays = true\n",
        "rules.toml",
    )
    .unwrap();
    let c = child(&[(EventKind::Talk, day(2026, 11, 1))]);
    let at = |today: NaiveDate| figures(row(&rules, &settings(), &c, today, Some(30), "talk"));
    assert_eq!(
        at(day(2026, 11, 8)),
        Some((day(2026, 11, 8), 0, 0)),
        "due today"
    );
    assert_eq!(at(day(2026, 11, 9)), Some((day(2026, 11, 8), 1, 1)));
    assert_eq!(at(day(2026, 11, 15)), Some((day(2026, 11, 8), 7, 1)));
    assert_eq!(at(day(2026, 11, 16)), Some((day(2026, 11, 8), 8, 2)));
}

/// The same in school days: due on the day the last school day of the count passes.
#[test]
fn a_rolling_duty_in_school_days_is_not_missed_on_its_due_day() {
    let rules = Rules::with_overrides(
        "[[duty]]\nname = \"talk\"\ncadence = \"14d\"\n",
        "rules.toml",
    )
    .unwrap();
    let c = child(&[(EventKind::Talk, day(2026, 11, 2))]);
    let r = row(&rules, &settings(), &c, day(2026, 11, 16), Some(30), "talk");
    assert_eq!(figures(r), Some((day(2026, 11, 16), 0, 0)));
}

/// The urgency's flags at their edges: an incident counts for `incident_days` (30) days, the
/// parents are "not contacted" after more than `no_parent_contact_days` (45); each missed
/// period adds 5.
#[test]
fn urgency_flags_at_their_edges_and_missed_periods_each_add() {
    let today = day(2026, 12, 5);
    // Talk missed in October and November: 35 days past 31 October, 2 periods.
    let mut c = child(&[
        (EventKind::Talk, day(2026, 9, 20)),
        (EventKind::Call, day(2026, 10, 21)),
    ]);
    let r = talk(&c, today, None).unwrap();
    assert_eq!((r.days_overdue, r.periods_missed), (35, 2));
    assert_eq!(
        r.urgency,
        35.0 + 2.0 * 5.0,
        "call 45 days ago: still in touch"
    );
    c.last[EventKind::Call.code() as usize] = Some(day_number(day(2026, 10, 20)));
    let r = talk(&c, today, None).unwrap();
    assert!(r.no_parent_contact, "46 days");
    assert_eq!(r.urgency, 45.0 + 10.0);
    c.last[EventKind::Incident.code() as usize] = Some(day_number(day(2026, 11, 5)));
    let r = talk(&c, today, None).unwrap();
    assert!(!r.open_incident, "30 days ago: no longer open");
    c.last[EventKind::Incident.code() as usize] = Some(day_number(day(2026, 11, 6)));
    let r = talk(&c, today, None).unwrap();
    assert!(r.open_incident, "29 days ago");
    assert_eq!(r.urgency, 45.0 + 10.0 + 10.0);
}

/// Duties for the children of both parents away, or of one: each concerns only its own.
#[test]
fn duties_by_who_is_away() {
    let rules = Rules::with_overrides(
        "[[duty]]\nname = \"talk\"\nchildren = \"both-parents\"\n\n[[duty]]\nname = \"parent-call\"\nchildren = \"one-parent\"\n",
        "rules.toml",
    )
    .unwrap();
    let today = day(2026, 11, 29);
    let mut c = child(&[]);
    for (kind, talk, call) in [
        (LeftBehindType::BothParents, true, false),
        (LeftBehindType::OneParent, false, true),
    ] {
        c.left_behind = kind;
        assert_eq!(
            row(&rules, &settings(), &c, today, None, "talk").is_some(),
            talk,
            "{kind:?}: talk"
        );
        assert_eq!(
            row(&rules, &settings(), &c, today, None, "parent-call").is_some(),
            call,
            "{kind:?}: call"
        );
    }
}

/// Any row of the queue, urgencies negative, zero and positive, with ties.
fn any_row() -> impl Strategy<Value = QueueRow> {
    (
        prop_oneof![Just(0.0), Just(-0.0), Just(10.0), -50.0f64..50.0],
        -5i64..5,
        1u64..4,
        0usize..3,
    )
        .prop_map(|(urgency, days, child, duty)| QueueRow {
            child: ChildId(child),
            duty,
            due: day(2026, 11, 1),
            days_overdue: days,
            periods_missed: 0,
            assignee: None,
            urgency,
            key_support: false,
            open_incident: false,
            no_parent_contact: false,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    /// The queue's order (sorted by packed keys) is the documented one: urgency down, then
    /// days overdue down, then child, then duty.
    #[test]
    fn the_sort_is_urgency_then_days_then_child_then_duty(rows in proptest::collection::vec(any_row(), 0..40)) {
        let mut expected = rows.clone();
        expected.sort_by(|a, b| {
            b.urgency
                .total_cmp(&a.urgency)
                .then(b.days_overdue.cmp(&a.days_overdue))
                .then(a.child.cmp(&b.child))
                .then(a.duty.cmp(&b.duty))
        });
        let mut sorted = rows;
        guanai::followup::QueueEngine::sort(&mut sorted);
        prop_assert_eq!(sorted, expected);
    }

    /// Two parts of the rows, each sorted, merged: the same order as sorting them all
    /// (the queue reads the roster in two halves side by side), whichever part is empty.
    #[test]
    fn two_sorted_parts_merged_are_all_the_rows_sorted(
        rows in proptest::collection::vec(any_row(), 0..40),
        cut in 0usize..41,
    ) {
        let mut expected = rows.clone();
        guanai::followup::QueueEngine::sort(&mut expected);
        let cut = cut.min(rows.len());
        let (mut a, mut b) = (rows[..cut].to_vec(), rows[cut..].to_vec());
        guanai::followup::QueueEngine::sort(&mut a);
        guanai::followup::QueueEngine::sort(&mut b);
        prop_assert_eq!(guanai::followup::QueueEngine::merge(a, b), expected);
    }

    /// The queue builds a child's birthday windows only from the year before the file opened;
    /// the row is the one the windows of every year since 2000 give.
    #[test]
    fn birthday_rows_are_those_of_every_year_since_2000(
        opened_ago in 0i64..4000,
        last_ago in proptest::option::of(0i64..4000),
        birth in 0i64..366,
        today_shift in 0i64..400,
    ) {
        let rules = Rules::defaults();
        let settings = settings();
        let today = day(2026, 1, 1) + chrono::Duration::days(today_shift);
        let mut c = child(&[]);
        c.birth = day(2012, 1, 1) + chrono::Duration::days(birth);
        c.opened = today - chrono::Duration::days(opened_ago);
        let last = last_ago.map(|a| today - chrono::Duration::days(a));
        c.last[EventKind::Activity.code() as usize] = last.map(day_number);
        let (i, duty) = rules.duties.iter().enumerate().find(|(_, d)| d.name == "birthday").unwrap();
        let guanai::followup::Cadence::Birthday { window_days } = duty.cadence else { unreachable!() };
        let calendar = guanai::followup::SchoolCalendar::new(&settings, day(2000, 1, 1), today + chrono::Duration::days(800));
        let table = guanai::followup::PeriodTable::new(calendar.birthday_periods(c.birth, window_days, duty.in_holidays));
        let expected = guanai::followup::standing(&table, last, c.opened, today);
        let got = overdue_queue(&rules, &settings, &[], std::slice::from_ref(&c), today, Some(800))
            .into_iter()
            .find(|r| r.duty == i);
        prop_assert_eq!(
            got.map(|r| (r.due, r.days_overdue, r.periods_missed)),
            expected.map(|s| (s.due, s.days_overdue, s.periods_missed))
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// Children born on the same day of the year share birthday windows built once, from the
    /// earliest year any of them needs: each child's rows in one queue of them all are the
    /// rows of a queue of that child alone, whatever order their files opened in.
    #[test]
    fn shared_birthday_windows_give_each_child_its_own_rows(
        opened_ago in proptest::collection::vec(0i64..5000, 2..7),
        birth in 0i64..366,
        today_shift in 0i64..400,
    ) {
        let rules = Rules::defaults();
        let settings = settings();
        let today = day(2026, 1, 1) + chrono::Duration::days(today_shift);
        let children: Vec<_> = opened_ago
            .iter()
            .enumerate()
            .map(|(n, ago)| {
                let mut c = child(&[]);
                c.id = ChildId(n as u64 + 1);
                c.birth = day(2012, 1, 1) + chrono::Duration::days(birth);
                c.opened = today - chrono::Duration::days(*ago);
                c
            })
            .collect();
        let together = overdue_queue(&rules, &settings, &[], &children, today, Some(800));
        for c in &children {
            let alone = overdue_queue(&rules, &settings, &[], std::slice::from_ref(c), today, Some(800));
            let mine: Vec<_> = together.iter().filter(|r| r.child == c.id).cloned().collect();
            prop_assert_eq!(mine, alone);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    /// A table that answers per day around today (`indexed_at`) stands every child where the
    /// searches over all its periods do: opened and last done long before, just before and
    /// on the first day it answers, and after its last period.
    #[test]
    fn the_per_day_answers_are_the_searches_answers(
        kind in 0usize..4,
        today_shift in 0i64..2000,
        opened_ago in -30i64..9000,
        last_ago in proptest::option::of(-30i64..9000),
    ) {
        let settings = settings();
        let today = day(2022, 1, 1) + chrono::Duration::days(today_shift);
        let calendar = guanai::followup::SchoolCalendar::new(&settings, day(2000, 1, 1), today + chrono::Duration::days(400));
        let periods = match kind {
            0 => calendar.month_periods(false),
            1 => calendar.week_periods(false),
            2 => calendar.month_periods(true),
            _ => calendar.birthday_periods(day(2013, 12, 30), 3, false),
        };
        let opened = today - chrono::Duration::days(opened_ago);
        let last = last_ago.map(|a| today - chrono::Duration::days(a));
        let searched = guanai::followup::PeriodTable::new(periods.clone());
        let by_day = guanai::followup::PeriodTable::new(periods).indexed_at(today);
        prop_assert_eq!(
            guanai::followup::standing(&by_day, last, opened, today),
            guanai::followup::standing(&searched, last, opened, today)
        );
    }
}
