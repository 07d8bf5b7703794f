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
    assert_eq!(
        q.child(talk).unwrap().student_no.as_deref(),
        Some("20240701")
    );
    assert_eq!(q.assignee_name(talk), Some("李老师"));
    // Logging the talk today clears the row at once.
    s.service
        .execute(event(c, EventKind::Talk, today(), s.teacher, ""))
        .unwrap();
    let q = s.service.overdue_queue(&rules, None).unwrap();
    assert!(q.rows.iter().all(|r| q.duty(r).unwrap().name != "talk"));
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
