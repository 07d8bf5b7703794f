use super::*;
use guanai::followup::Rules;
use proptest::prelude::*;

#[test]
fn example_13_archived_files_have_no_rows() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let rules = Rules::defaults();
    // Opened today with nothing done: due-soon rows only.
    let q = s.service.overdue_queue(&rules, Some(60)).unwrap();
    assert!(q.rows.iter().any(|r| r.child == c));
    s.service
        .execute(Command::ArchiveChild {
            child: c,
            reason: ArchiveReason::ParentsReturned,
            date: today(),
        })
        .unwrap();
    let q = s.service.overdue_queue(&rules, Some(400)).unwrap();
    assert!(q.rows.iter().all(|r| r.child != c));
}

#[test]
fn the_queue_reads_the_store_and_names_child_duty_and_assignee() {
    let s = school();
    let mut new = full_child("张小珠", "20240701", s.teacher);
    new.opened = Some(day(2026, 9, 1));
    let c = add_child(&s.service, new);
    s.service
        .execute(event(c, EventKind::Talk, day(2026, 9, 20), s.teacher, ""))
        .unwrap();
    let rules = Rules::defaults();
    let q = s.service.overdue_queue(&rules, None).unwrap();
    let talk = q
        .rows
        .iter()
        .find(|r| q.duty(r).unwrap().name == "talk")
        .unwrap();
    assert_eq!(
        (talk.due, talk.days_overdue, talk.periods_missed),
        (day(2026, 10, 31), 29, 1)
    );
    assert_eq!(q.child(talk).unwrap().name, "张小珠");
    assert_eq!(q.child(talk).unwrap().student_no, Some("20240701"));
    assert_eq!(q.assignee_name(talk), Some("李老师"));
    // Logging the talk today clears the row at once.
    s.service
        .execute(event(c, EventKind::Talk, today(), s.teacher, ""))
        .unwrap();
    let q = s.service.overdue_queue(&rules, None).unwrap();
    assert!(q.rows.iter().all(|r| q.duty(r).unwrap().name != "talk"));
}

/// The app's first read, roster and queue in one pass, gives what the two reads give: the
/// same rows in the same order, archived files in the roster only, student numbers masked
/// the same way, mentors named.
#[test]
fn the_roster_and_the_queue_in_one_read_are_the_two_reads() {
    let s = school();
    for (name, no, class) in [
        ("张小珠", "3", "七(2)班"),
        ("王小明", "G430524201405030021", "七(2)班"),
        ("李新", "1", "八(1)班"),
        ("赵旧", "2", "七(10)班"),
        ("钱返", "4", "七(2)班"),
    ] {
        let mut c = full_child(name, no, s.teacher);
        c.class = class.into();
        c.opened = Some(day(2026, 3, 1));
        let id = add_child(&s.service, c);
        if name == "钱返" {
            s.service
                .execute(Command::ArchiveChild {
                    child: id,
                    reason: ArchiveReason::ParentsReturned,
                    date: today(),
                })
                .unwrap();
        }
    }
    let rules = Rules::defaults();
    for who in ["王校长", "李老师"] {
        let me = s.as_user(who);
        for archived in [true, false] {
            let (roster, queue) = me.roster_and_queue(&rules, Some(7), archived).unwrap();
            assert_eq!(roster, me.roster(archived).unwrap(), "{who} {archived}");
            // The list `child list` prints: the same files, fields and order.
            let list = me.roster_list(archived).unwrap();
            let listed: Vec<_> = list
                .iter()
                .map(|c| {
                    (
                        c.id,
                        c.student_no.map(str::to_string),
                        c.name.to_string(),
                        c.class.to_string(),
                        c.mentor_name.map(str::to_string),
                        c.village.map(str::to_string),
                        c.status.clone(),
                        c.birth,
                    )
                })
                .collect();
            let rows: Vec<_> = roster
                .iter()
                .map(|r| {
                    (
                        r.child.id,
                        r.child.student_no().map(str::to_string),
                        r.child.name().to_string(),
                        r.child.class().to_string(),
                        r.mentor_name.as_deref().map(str::to_string),
                        r.child.village().map(str::to_string),
                        r.child.status.clone(),
                        r.child.birth,
                    )
                })
                .collect();
            assert_eq!(listed, rows, "{who} {archived}");
            let alone = me.overdue_queue(&rules, Some(7)).unwrap();
            assert_eq!(queue.rows, alone.rows, "{who}");
            assert!(!queue.rows.is_empty());
            let names: Vec<&str> = roster.iter().map(|r| r.child.name()).collect();
            let expected = if archived {
                vec!["张小珠", "钱返", "王小明", "赵旧", "李新"]
            } else {
                vec!["张小珠", "王小明", "赵旧", "李新"]
            };
            assert_eq!(names, expected, "class order, then student number");
        }
    }
    let (roster, _) = s
        .as_user("李老师")
        .roster_and_queue(&rules, None, false)
        .unwrap();
    assert!(
        roster
            .iter()
            .all(|r| r.child.student_no() != Some("G430524201405030021"))
    );
    assert_eq!(roster[0].mentor_name.as_deref(), Some("李老师"));
    // The printed list masks it too, and a class keeps only its files.
    let mut list = s.as_user("李老师").roster_list(false).unwrap();
    let nos: Vec<&str> = list.iter().filter_map(|c| c.student_no).collect();
    assert!(nos.iter().all(|no| *no != "G430524201405030021"), "{nos:?}");
    assert!(nos.contains(&"G4305**********0021"), "{nos:?}");
    list.retain_class("七(2)班");
    let names: Vec<&str> = list.iter().map(|c| c.name).collect();
    assert_eq!(names, ["张小珠", "王小明"]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, .. ProptestConfig::default() })]

    /// Archiving a child removes all its rows, whatever its history.
    #[test]
    fn archiving_removes_every_row(log in proptest::collection::vec((0u8..5, 0i64..400), 0..12)) {
        let s = school();
        let mut new = full_child("张小珠", "1", s.teacher);
        new.opened = Some(day(2025, 9, 1));
        let c = add_child(&s.service, new);
        let kinds = [EventKind::Talk, EventKind::Call, EventKind::HomeVisit, EventKind::GuardianContact, EventKind::Note];
        for (k, ago) in &log {
            let date = today() - chrono::Duration::days(*ago);
            s.service.execute(event(c, kinds[*k as usize], date, s.teacher, "")).unwrap();
        }
        let rules = Rules::defaults();
        s.service.execute(Command::ArchiveChild { child: c, reason: ArchiveReason::Graduated, date: today() }).unwrap();
        let q = s.service.overdue_queue(&rules, Some(400)).unwrap();
        prop_assert!(q.rows.iter().all(|r| r.child != c));
    }
}

/// The queue reads the roster in two halves side by side and merges their rows: it holds
/// exactly the rows the rules give over all the children at once, from both halves, in the
/// queue's order, each row naming its own child.
#[test]
fn the_queue_read_in_halves_is_the_rules_over_every_child() {
    let s = school();
    let names = [
        "张一", "王二", "李三", "赵四", "钱五", "孙六", "周七", "吴八", "郑九",
    ];
    let ids: Vec<ChildId> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut c = full_child(name, &format!("2026{i:04}"), s.teacher);
            c.opened = Some(day(2026, 3 + i as u32 % 7, 1 + 3 * i as u32));
            c.support.key_support = i % 3 == 0;
            if i % 2 == 1 {
                c.class = "八(1)班".into();
            }
            add_child(&s.service, c)
        })
        .collect();
    let rules = Rules::defaults();
    let q = s.service.overdue_queue(&rules, Some(30)).unwrap();

    let summaries: Vec<ChildSummary> = ids
        .iter()
        .map(|&id| ChildSummary::of(&s.service.child(id).unwrap(), LastEvents::default()))
        .collect();
    let facts: Vec<guanai::followup::ChildFacts> = summaries
        .iter()
        .map(guanai::followup::ChildFacts::of)
        .collect();
    let expected = guanai::followup::overdue_queue(
        &rules,
        &s.service.settings().unwrap(),
        &s.service.staff().unwrap(),
        &facts,
        today(),
        Some(30),
    );
    assert_eq!(q.rows, expected);
    for end in [ids[0], ids[8]] {
        assert!(q.rows.iter().any(|r| r.child == end), "rows of both halves");
    }
    for row in &q.rows {
        let at = ids.iter().position(|&id| id == row.child).unwrap();
        let child = q.child(row).unwrap();
        assert_eq!((child.id, child.name), (row.child, names[at]));
        let class = if at % 2 == 1 {
            "八(1)班"
        } else {
            "七(2)班"
        };
        assert_eq!(child.class, class);
        assert_eq!(child.student_no, Some(format!("2026{at:04}")).as_deref());
    }
}

/// Each teacher's queue holds the children whose whole file they may read: their own class's,
/// and a mentee's in another class (recording access, no more); not another class's child
/// they do not mentor. The administrator's holds all three.
#[test]
fn a_teachers_queue_holds_their_class_and_their_mentees_only() {
    let s = school();
    let own = add_child(&s.service, full_child("张小珠", "20240701", s.teacher));
    let mut mentee = full_child("王小明", "20240702", s.teacher);
    mentee.class = "八(1)班".into();
    let mentee = add_child(&s.service, mentee);
    let mut other = full_child("赵旧", "20240703", s.admin);
    other.class = "八(1)班".into();
    let other = add_child(&s.service, other);
    let rules = Rules::defaults();
    let children_of = |service: &guanai::service::Service| {
        let q = service.overdue_queue(&rules, Some(60)).unwrap();
        let mut ids: Vec<ChildId> = q.rows.iter().map(|r| r.child).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    assert_eq!(children_of(&s.as_user("李老师")), vec![own, mentee]);
    assert_eq!(children_of(&s.service), vec![own, mentee, other]);
}
