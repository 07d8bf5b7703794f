//! Correcting the record: an entry edited (a new version) or voided (kept, counted nowhere),
//! who may do it, refusals, and undo chains across kinds of change.

use super::*;
use guanai::followup::Rules;
use guanai::service::Field;

/// The entry `id` as the admin sees it now.
fn entry(s: &School, id: EventId) -> guanai::service::TimelineEntry {
    s.service.entry(id).unwrap()
}

fn logged(outcome: Outcome) -> EventId {
    match outcome {
        Outcome::Event(id) => id,
        other => panic!("{other:?}"),
    }
}

/// A class teacher's (李老师) talk with 张小珠 on 11-02, logged as the teacher.
fn teacher_talk(s: &School) -> (Service, ChildId, EventId) {
    let c = add_child(&s.service, full_child("张小珠", "20240701", s.teacher));
    let teacher = s.as_user("李老师");
    let id = logged(
        teacher
            .execute(event(
                c,
                EventKind::Talk,
                day(2026, 11, 2),
                s.teacher,
                "期中考试后情绪低落, 以鼓励",
            ))
            .unwrap(),
    );
    (teacher, c, id)
}

fn change(e: &Event) -> EventChange {
    EventChange::of(e)
}

fn edit(
    service: &Service,
    id: EventId,
    version: u64,
    c: EventChange,
) -> Result<Outcome, ServiceError> {
    service.execute(Command::EditEvent {
        event: id,
        version,
        change: Box::new(c),
    })
}

fn void(
    service: &Service,
    id: EventId,
    version: u64,
    reason: &str,
) -> Result<Outcome, ServiceError> {
    service.execute(Command::VoidEvent {
        event: id,
        version,
        reason: reason.into(),
    })
}

fn problems(s: &School) -> Vec<String> {
    let mut service = s.as_user("王校长");
    service.check().unwrap()
}

#[test]
fn the_author_corrects_a_typo_and_the_date_and_the_old_version_is_in_the_audit_log() {
    let s = school();
    let (teacher, _, id) = teacher_talk(&s);
    let before = entry(&s, id).event;
    assert_eq!(before.version, 1);
    let mut c = change(&before);
    c.summary = "期中考试后情绪低落, 已鼓励".into();
    c.date = day(2026, 11, 3);
    c.present = vec!["奶奶".into(), " ".into()];
    edit(&teacher, id, 1, c).unwrap();
    let after = entry(&s, id).event;
    assert_eq!(after.summary, "期中考试后情绪低落, 已鼓励");
    assert_eq!(after.date, day(2026, 11, 3));
    assert_eq!(
        after.present,
        vec!["奶奶".to_string()],
        "blank names dropped"
    );
    assert_eq!((after.version, after.id, after.staff), (2, id, s.teacher));
    let audit = s.service.audit(None, None, None).unwrap();
    let last = &audit.last().unwrap().record;
    assert_eq!(last.command, "edit_event");
    assert!(last.before.as_deref().unwrap().contains("以鼓励"));
    assert!(last.after.as_deref().unwrap().contains("已鼓励"));
    assert_eq!(problems(&s), Vec::<String>::new());
}

#[test]
fn an_edit_of_an_entry_changed_meanwhile_is_refused_with_the_entry_as_it_is_now() {
    let s = school();
    let (teacher, _, id) = teacher_talk(&s);
    let mut mine = change(&entry(&s, id).event);
    // The principal corrects it first.
    let mut theirs = mine.clone();
    theirs.summary = "校长补充: 已联系父亲".into();
    edit(&s.service, id, 1, theirs).unwrap();
    mine.summary = "我的版本".into();
    match edit(&teacher, id, 1, mine) {
        Err(ServiceError::EntryChanged {
            id: n,
            name,
            current,
        }) => {
            assert_eq!((n, name.as_str()), (id.0, "张小珠"));
            assert!(current.contains("校长补充"), "{current}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(entry(&s, id).event.summary, "校长补充: 已联系父亲");
}

#[test]
fn a_voided_visit_stays_on_the_timeline_and_counts_for_nothing() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "20240701", s.teacher));
    let rules = Rules::defaults();
    let visit = logged(
        s.service
            .execute(event(
                c,
                EventKind::HomeVisit,
                day(2026, 11, 20),
                s.teacher,
                "记错了学生",
            ))
            .unwrap(),
    );
    let visit_rows = |s: &School| {
        let q = s.service.overdue_queue(&rules, Some(400)).unwrap();
        q.rows
            .iter()
            .filter(|r| r.child == c && q.duty(r).unwrap().name == "home_visit")
            .count()
    };
    let figures = |s: &School| {
        s.service
            .report(&rules, None, day(2026, 9, 1), day(2026, 11, 29))
            .unwrap()
            .totals
            .home_visits
    };
    assert_eq!(figures(&s), 1);
    let with_visit = visit_rows(&s);
    assert_eq!(
        s.service
            .last_event(c, EventKind::HomeVisit)
            .unwrap()
            .map(|e| e.id),
        Some(visit)
    );
    // An empty reason is refused, naming the field.
    match void(&s.service, visit, 1, "  ") {
        Err(ServiceError::Invalid { field, .. }) => assert_eq!(field, Field::Reason),
        other => panic!("{other:?}"),
    }
    void(&s.service, visit, 1, "记错了学生").unwrap();
    // Kept, with who, when and why …
    let e = entry(&s, visit);
    let v = e.void.as_ref().unwrap();
    assert_eq!(
        (v.by, v.date, v.reason.as_str()),
        (s.admin, today(), "记错了学生")
    );
    assert_eq!(e.voided_by.as_deref(), Some("王校长"));
    assert_eq!(s.service.timeline(c).unwrap().len(), 1);
    // … and counted nowhere: not in the figures, not the last visit, the duty back.
    assert_eq!(figures(&s), 0);
    assert_eq!(s.service.last_event(c, EventKind::HomeVisit).unwrap(), None);
    assert!(visit_rows(&s) >= with_visit);
    assert_eq!(problems(&s), Vec::<String>::new());
    // A voided entry is neither changed nor voided again.
    match edit(&s.service, visit, 1, change(&e.event)) {
        Err(ServiceError::Voided { id, reason, .. }) => {
            assert_eq!((id, reason.as_str()), (visit.0, "记错了学生"))
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        void(&s.service, visit, 1, "again"),
        Err(ServiceError::Voided { .. })
    ));
}

#[test]
fn only_the_author_admins_and_counsellors_correct_and_counselling_is_for_counsellors() {
    let s = school();
    let (_, c, id) = teacher_talk(&s);
    s.service
        .execute(staff("赵老师", &[Role::ClassTeacher], &["七(2)班"]))
        .unwrap();
    let colleague = s.as_user("赵老师");
    match void(&colleague, id, 1, "不是我记的") {
        Err(ServiceError::NotPermitted { what, .. }) => {
            assert_eq!(what, "correct entries recorded by someone else")
        }
        other => panic!("{other:?}"),
    }
    // The counsellor may correct a teacher's entry.
    let counselor = s.as_user("陈老师");
    let mut c2 = change(&entry(&s, id).event);
    c2.follow_up = true;
    edit(&counselor, id, 1, c2).unwrap();
    assert!(entry(&s, id).event.follow_up);
    // A counselling session: the counsellor's alone, even against the principal.
    let session = logged(
        counselor
            .execute(event(
                c,
                EventKind::Counseling,
                day(2026, 11, 10),
                s.counselor,
                "保密内容",
            ))
            .unwrap(),
    );
    match void(&s.service, session, 1, "x") {
        Err(ServiceError::NotPermitted { what, .. }) => {
            assert_eq!(what, "correct counselling sessions")
        }
        other => panic!("{other:?}"),
    }
    let mut note = change(&counselor.entry(session).unwrap().event);
    assert_eq!(
        note.summary, "保密内容",
        "the counsellor reads the note to correct it"
    );
    note.summary = "保密内容(更正)".into();
    edit(&counselor, session, 1, note).unwrap();
    assert_eq!(
        counselor.entry(session).unwrap().event.summary,
        "保密内容(更正)"
    );
    // The note never reaches the audit log.
    let audit = s.service.audit(None, None, None).unwrap();
    assert!(
        audit
            .iter()
            .all(|a| !format!("{:?}", a.record).contains("保密内容"))
    );
}

#[test]
fn a_kind_that_carries_rules_of_its_own_is_not_changed_by_an_edit() {
    let s = school();
    let (teacher, _, id) = teacher_talk(&s);
    let mut c = change(&entry(&s, id).event);
    c.kind = EventKind::Counseling;
    match edit(&s.service, id, 1, c) {
        Err(ServiceError::Invalid { field, .. }) => assert_eq!(field, Field::Kind),
        other => panic!("{other:?}"),
    }
    // An ordinary change of kind is fine: the talk was a visit.
    let mut c = change(&entry(&s, id).event);
    c.kind = EventKind::HomeVisit;
    edit(&teacher, id, 1, c).unwrap();
    assert_eq!(entry(&s, id).event.kind, EventKind::HomeVisit);
    // A date in the future is refused as when logging.
    let mut c = change(&entry(&s, id).event);
    c.date = day(2026, 11, 30);
    match edit(&teacher, id, 2, c) {
        Err(ServiceError::Invalid { field, value, .. }) => {
            assert_eq!((field, value.as_str()), (Field::Date, "2026-11-30"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn undo_takes_back_void_edit_and_log_in_turn() {
    let s = school();
    let (teacher, c, id) = teacher_talk(&s);
    let mut c1 = change(&entry(&s, id).event);
    c1.summary = "已鼓励".into();
    edit(&teacher, id, 1, c1).unwrap();
    void(&teacher, id, 2, "记重复了").unwrap();
    assert_eq!(s.service.last_event(c, EventKind::Talk).unwrap(), None);
    let preview = teacher.undo_preview().unwrap().unwrap();
    assert_eq!(preview.command, "void_event");
    assert_eq!(preview.child.as_deref(), Some("张小珠"));
    assert_eq!(preview.entry, Some((EventKind::Talk, day(2026, 11, 2))));
    // 1: the withdrawal: it counts again.
    teacher.execute(Command::Undo).unwrap();
    assert!(entry(&s, id).void.is_none());
    assert_eq!(
        s.service
            .last_event(c, EventKind::Talk)
            .unwrap()
            .map(|e| e.id),
        Some(id)
    );
    // 2: the correction: the old note back.
    assert_eq!(
        teacher.undo_preview().unwrap().unwrap().command,
        "edit_event"
    );
    teacher.execute(Command::Undo).unwrap();
    assert_eq!(entry(&s, id).event.summary, "期中考试后情绪低落, 以鼓励");
    // 3: the entry itself.
    teacher.execute(Command::Undo).unwrap();
    assert!(s.service.timeline(c).unwrap().is_empty());
    assert!(matches!(
        teacher.execute(Command::Undo),
        Err(ServiceError::NothingToUndo)
    ));
    assert_eq!(problems(&s), Vec::<String>::new());
}

#[test]
fn undo_chains_across_archive_restore_file_edit_task_and_entries() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "20240701", s.teacher));
    let admin = &s.service;
    admin
        .execute(Command::ArchiveChild {
            child: c,
            reason: ArchiveReason::Transferred,
            date: today(),
        })
        .unwrap();
    admin
        .execute(Command::RestoreChild {
            child: c,
            date: today(),
        })
        .unwrap();
    let file = admin.resolve_child("20240701").unwrap();
    admin
        .execute(Command::SurveyChild {
            child: c,
            situation: Situation {
                psychology: "开朗了许多".into(),
                surveyed: Some(today()),
                ..file.situation.clone()
            },
        })
        .unwrap();
    let id = logged(
        admin
            .execute(event(
                c,
                EventKind::Call,
                day(2026, 11, 28),
                s.admin,
                "与父亲视频",
            ))
            .unwrap(),
    );
    let task = add_task(admin, c, "回访", day(2026, 12, 5), s.teacher);
    void(admin, id, 1, "记错了").unwrap();
    let mut chain = Vec::new();
    let stop = loop {
        match admin.execute(Command::Undo) {
            Ok(Outcome::Undone(_, command)) => chain.push(command),
            other => break other,
        }
        assert!(chain.len() < 10, "{chain:?}");
    };
    assert_eq!(
        chain,
        [
            "void_event",
            "add_task",
            "log_event",
            "survey_child",
            "restore_child",
            "archive_child",
        ]
    );
    // Opening a file is not undone: passed over, and then there is nothing left.
    assert!(matches!(stop, Err(ServiceError::NothingToUndo)), "{stop:?}");
    assert!(admin.task(task).unwrap().is_none());
    let back = admin.resolve_child("20240701").unwrap();
    assert!(back.is_active());
    assert_eq!(back.situation.psychology, "内向");
    assert_eq!(problems(&s), Vec::<String>::new());
}

#[test]
fn voided_entries_survive_a_dump_and_its_load() {
    let s = school();
    let (_, c, id) = teacher_talk(&s);
    void(&s.service, id, 1, "记错了学生").unwrap();
    let dump = s.service.dump().unwrap();
    assert_eq!(dump.records.voided.len(), 1);
    let dir = tempfile::tempdir().unwrap();
    let fresh = Service::open(&dir.path().join("f.redb"), today(), Identity::Unknown).unwrap();
    fresh.execute(Command::LoadDump(Box::new(dump))).unwrap();
    let t = fresh.timeline(c).unwrap();
    assert_eq!(t[0].void.as_ref().unwrap().reason, "记错了学生");
    assert_eq!(fresh.last_event(c, EventKind::Talk).unwrap(), None);
}

#[test]
fn full_width_input_is_stored_in_ascii_form_in_fields_and_kept_in_notes() {
    let s = school();
    let mut new = full_child("张小珠", "２０２４０７０１", s.teacher);
    new.class = "七（2）班".into();
    new.village = Some("青山村（三组）".into());
    let c = add_child(&s.service, new);
    let file = s.service.child(c).unwrap();
    assert_eq!(file.class, "七(2)班");
    assert_eq!(file.village.as_deref(), Some("青山村(三组)"));
    assert_eq!(file.student_no.as_deref(), Some("20240701"));
    let id = logged(
        s.service
            .execute(Command::LogEvent(NewEvent {
                child: c,
                kind: EventKind::HomeVisit,
                date: day(2026, 11, 20),
                staff: s.teacher,
                present: vec!["父亲（视频）".into()],
                summary: "奶奶说：孩子很好，放心。".into(),
                follow_up: false,
            }))
            .unwrap(),
    );
    let e = entry(&s, id).event;
    assert_eq!(e.present, vec!["父亲(视频)".to_string()]);
    assert_eq!(
        e.summary, "奶奶说：孩子很好，放心。",
        "prose keeps what was typed"
    );
    void(&s.service, id, 1, "记错了：不是这个学生").unwrap();
    assert_eq!(entry(&s, id).void.unwrap().reason, "记错了:不是这个学生");
}

/// A reading activity on 11-20 with two children of 七(2)班, organised by the teacher.
fn reading(s: &School) -> (ActivityId, ChildId, ChildId) {
    let a = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let b = add_child(&s.service, full_child("李明", "2", s.teacher));
    let id = match s
        .as_user("李老师")
        .execute(Command::AddActivity(NewActivity {
            kind: ActivityKind::Activity,
            date: day(2026, 11, 20),
            title: "读书活动".into(),
            organiser: s.teacher,
            children: vec![a, b],
            guardians: vec![],
        }))
        .unwrap()
    {
        Outcome::Activity(id, _) => id,
        other => panic!("{other:?}"),
    };
    (id, a, b)
}

fn activities_in_report(s: &School) -> (u32, usize) {
    let f = s
        .service
        .report(&Rules::defaults(), None, day(2026, 9, 1), today())
        .unwrap();
    (f.totals.talks, f.activity_list.len())
}

#[test]
fn an_activity_corrected_moves_every_attendance_and_voided_leaves_every_count() {
    let s = school();
    let (id, a, b) = reading(&s);
    let teacher = s.as_user("李老师");
    assert_eq!(activities_in_report(&s).1, 1);
    teacher
        .execute(Command::EditActivity {
            activity: id,
            version: 1,
            title: "手拉手读书活动".into(),
            date: day(2026, 11, 19),
        })
        .unwrap();
    for child in [a, b] {
        let e = &s.service.timeline(child).unwrap()[0].event;
        assert_eq!(
            (e.date, e.summary.as_str()),
            (day(2026, 11, 19), "手拉手读书活动")
        );
    }
    // A stale version is refused, naming the activity as it is now.
    match teacher.execute(Command::VoidActivity {
        activity: id,
        version: 1,
        reason: "x".into(),
    }) {
        Err(ServiceError::EntryChanged { current, .. }) => {
            assert!(current.contains("手拉手读书活动"), "{current}")
        }
        other => panic!("{other:?}"),
    }
    teacher
        .execute(Command::VoidActivity {
            activity: id,
            version: 2,
            reason: "活动取消".into(),
        })
        .unwrap();
    assert_eq!(activities_in_report(&s).1, 0, "not in the summary");
    for child in [a, b] {
        let t = s.service.timeline(child).unwrap();
        assert_eq!(t[0].void.as_ref().unwrap().reason, "活动取消");
        assert_eq!(
            s.service.last_event(child, EventKind::Activity).unwrap(),
            None
        );
    }
    let listed = s.service.activities().unwrap();
    assert_eq!(listed[0].1.as_ref().unwrap().reason, "活动取消");
    assert_eq!(problems(&s), Vec::<String>::new());
    // Undo: the withdrawal, then the correction.
    teacher.execute(Command::Undo).unwrap();
    assert_eq!(activities_in_report(&s).1, 1);
    assert!(s.service.timeline(a).unwrap()[0].void.is_none());
    teacher.execute(Command::Undo).unwrap();
    let e = &s.service.timeline(b).unwrap()[0].event;
    assert_eq!(
        (e.date, e.summary.as_str()),
        (day(2026, 11, 20), "读书活动")
    );
    assert_eq!(problems(&s), Vec::<String>::new());
}

#[test]
fn only_the_organiser_admins_and_counsellors_correct_an_activity() {
    let s = school();
    let (id, _, _) = reading(&s);
    s.service
        .execute(staff("赵老师", &[Role::ClassTeacher], &["八(1)班"]))
        .unwrap();
    match s.as_user("赵老师").execute(Command::VoidActivity {
        activity: id,
        version: 1,
        reason: "x".into(),
    }) {
        Err(ServiceError::NotPermitted { what, .. }) => {
            assert_eq!(what, "correct entries recorded by someone else")
        }
        other => panic!("{other:?}"),
    }
    s.service
        .execute(Command::VoidActivity {
            activity: id,
            version: 1,
            reason: "校长作废".into(),
        })
        .unwrap();
}

#[test]
fn a_task_is_corrected_or_voided_and_a_voided_one_leaves_the_queue() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let task = add_task(&s.service, c, "回防", day(2026, 12, 5), s.teacher);
    let teacher = s.as_user("李老师");
    teacher
        .execute(Command::UpdateTask {
            task,
            version: 1,
            change: guanai::service::TaskChange::Text("回访奶奶".into()),
        })
        .unwrap();
    assert_eq!(s.service.task(task).unwrap().unwrap().text, "回访奶奶");
    match teacher.execute(Command::UpdateTask {
        task,
        version: 2,
        change: guanai::service::TaskChange::Text(" ".into()),
    }) {
        Err(ServiceError::Invalid { field, .. }) => assert_eq!(field, Field::Task),
        other => panic!("{other:?}"),
    }
    let open = |s: &School| s.service.open_tasks().unwrap().len();
    assert_eq!(open(&s), 1);
    teacher
        .execute(Command::VoidTask {
            task,
            version: 2,
            reason: "重复了".into(),
        })
        .unwrap();
    assert_eq!(open(&s), 0, "out of the queue");
    assert!(s.service.task(task).unwrap().is_some(), "kept on record");
    assert!(matches!(
        teacher.execute(Command::VoidTask {
            task,
            version: 2,
            reason: "again".into()
        }),
        Err(ServiceError::Voided { .. })
    ));
    let dump = s.service.dump().unwrap();
    assert_eq!(dump.records.voided_tasks[0].1.reason, "重复了");
    teacher.execute(Command::Undo).unwrap();
    assert_eq!(open(&s), 1, "undo brings it back");
}

#[test]
fn undo_passes_over_what_it_cannot_take_back_and_takes_back_a_typical_mark() {
    let s = school();
    let (teacher, c, id) = teacher_talk(&s);
    teacher
        .execute(Command::MarkTypical {
            event: id,
            typical: true,
        })
        .unwrap();
    // A printing and a reading are no changes: u passes over them.
    teacher
        .print_pack(
            "file",
            &guanai::service::PrintSelection::Child(c),
            day(2026, 9, 1),
            today(),
            false,
        )
        .unwrap();
    assert_eq!(
        teacher.undo_preview().unwrap().unwrap().command,
        "mark_typical"
    );
    teacher.execute(Command::Undo).unwrap();
    let dump = s.service.dump().unwrap();
    assert!(dump.records.typical.is_empty(), "the mark taken back");
    assert_eq!(
        teacher.undo_preview().unwrap().unwrap().command,
        "log_event"
    );
}

#[test]
fn a_task_goes_only_to_someone_who_may_do_it_and_a_voided_or_done_one_stays_as_it_is() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    s.service
        .execute(staff("赵老师", &[Role::ClassTeacher], &["八(1)班"]))
        .unwrap();
    let zhao = s
        .service
        .staff()
        .unwrap()
        .into_iter()
        .find(|x| x.name == "赵老师")
        .unwrap()
        .id;
    let task = add_task(&s.service, c, "回访", day(2026, 12, 5), s.teacher);
    match s.service.execute(Command::UpdateTask {
        task,
        version: 1,
        change: guanai::service::TaskChange::Reassign(zhao),
    }) {
        Err(ServiceError::Invalid { field, value, .. }) => {
            assert_eq!((field, value.as_str()), (Field::Staff, "赵老师"))
        }
        other => panic!("{other:?}"),
    }
    s.service
        .execute(Command::UpdateTask {
            task,
            version: 1,
            change: guanai::service::TaskChange::Reassign(s.counselor),
        })
        .unwrap();
    s.service
        .execute(Command::VoidTask {
            task,
            version: 2,
            reason: "重复了".into(),
        })
        .unwrap();
    assert!(matches!(
        s.service.execute(Command::UpdateTask {
            task,
            version: 2,
            change: guanai::service::TaskChange::Text("x".into()),
        }),
        Err(ServiceError::Voided { .. })
    ));
    let done = add_task(&s.service, c, "家访后回访", day(2026, 12, 5), s.teacher);
    s.service
        .execute(Command::UpdateTask {
            task: done,
            version: 1,
            change: guanai::service::TaskChange::Done(today()),
        })
        .unwrap();
    match s.service.execute(Command::VoidTask {
        task: done,
        version: 2,
        reason: "x".into(),
    }) {
        Err(ServiceError::Invalid { field, .. }) => assert_eq!(field, Field::Task),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_refused_long_text_is_quoted_short_with_its_hidden_character_shown() {
    let s = school();
    let (teacher, _, id) = teacher_talk(&s);
    let mut c = change(&entry(&s, id).event);
    c.summary = format!("x\u{202e}{}", "长".repeat(20_000));
    match edit(&teacher, id, 1, c) {
        Err(ServiceError::Invalid { field, value, .. }) => {
            assert_eq!(field, Field::Note);
            assert!(value.starts_with("x\\u{202e}长"), "{value}");
            assert!(value.ends_with("… (20002 字/chars)"), "{value}");
            assert!(value.chars().count() < 80, "{}", value.chars().count());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_student_number_typed_in_full_width_finds_the_child() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "20240701", s.teacher));
    assert_eq!(s.service.resolve_child("２０２４０７０１").unwrap().id, c);
    match s.service.resolve_child("２０２４９９９９") {
        Err(ServiceError::UnknownChild { reference }) => assert_eq!(reference, "２０２４９９９９"),
        other => panic!("{other:?}"),
    }
}
