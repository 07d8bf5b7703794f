//! The service API over a real database file: round trips, indexes, audit, refusals.

#[path = "../common/mod.rs"]
mod common;

use common::*;
use guanai::domain::*;
use guanai::service::{BatchAudit, Command, Identity, Outcome, Service, ServiceError};
use guanai::store::Store;

#[test]
fn a_full_file_round_trips_with_phones_normalised() {
    let s = school();
    let new = full_child("张小珠", "20240701", s.teacher);
    let id = add_child(&s.service, new.clone());
    let back = s.service.resolve_child("20240701").unwrap();
    assert_eq!(back.id, id);
    assert_eq!(back.name, new.name);
    assert_eq!(back.parents[0].phone.as_deref(), Some("13900000001"));
    assert_eq!(
        back.guardian.as_ref().unwrap().phone.as_deref(),
        Some("13800000001")
    );
    assert_eq!(back.emergency_contacts[0].phone, "05941234567");
    assert_eq!(back.situation, new.situation);
    assert_eq!(back.support, new.support);
    assert_eq!(back.left_behind, new.left_behind);
    assert_eq!(back.buddies, new.buddies);
    assert_eq!(back.version, 1);
    assert_eq!(back.opened(), Some(today()));
    assert!(back.is_active());
    // By exact name too, and it survives closing and reopening the file.
    let again = s.as_user("李老师");
    assert_eq!(again.resolve_child("张小珠").unwrap(), back);
}

#[test]
fn unknown_and_ambiguous_references_are_named() {
    let s = school();
    add_child(&s.service, full_child("张小珠", "1", s.teacher));
    add_child(&s.service, full_child("张小珠", "2", s.teacher));
    match s.service.resolve_child("张小珠") {
        Err(ServiceError::AmbiguousChild { candidates, .. }) => {
            assert_eq!(candidates.len(), 2);
            assert!(candidates[0].starts_with("1 ") && candidates[1].starts_with("2 "));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        s.service.resolve_child("王五"),
        Err(ServiceError::UnknownChild { reference }) if reference == "王五"
    ));
    // Once one of them is archived, the name means the active one.
    let first = s.service.resolve_child("1").unwrap();
    s.service
        .execute(Command::ArchiveChild {
            child: first.id,
            reason: ArchiveReason::Transferred,
            date: today(),
        })
        .unwrap();
    assert_eq!(
        s.service
            .resolve_child("张小珠")
            .unwrap()
            .student_no
            .as_deref(),
        Some("2")
    );
}

#[test]
fn timeline_is_newest_first_and_the_last_event_index_only_moves_forward() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    for (date, note) in [
        (day(2026, 11, 3), "谈心一"),
        (day(2026, 11, 20), "谈心二"),
        (day(2026, 11, 10), "补记的谈心"),
    ] {
        s.service
            .execute(event(c, EventKind::Talk, date, s.teacher, note))
            .unwrap();
    }
    s.service
        .execute(event(
            c,
            EventKind::Call,
            day(2026, 11, 25),
            s.teacher,
            "与父亲视频",
        ))
        .unwrap();
    let t = s.service.timeline(c).unwrap();
    let seen: Vec<_> = t
        .iter()
        .map(|e| (e.event.date, e.event.summary.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (day(2026, 11, 25), "与父亲视频"),
            (day(2026, 11, 20), "谈心二"),
            (day(2026, 11, 10), "补记的谈心"),
            (day(2026, 11, 3), "谈心一"),
        ]
    );
    assert_eq!(t[0].staff_name, "李老师");
    let last = s.service.last_event(c, EventKind::Talk).unwrap().unwrap();
    assert_eq!(
        (last.date, last.summary.as_str()),
        (day(2026, 11, 20), "谈心二")
    );
    assert!(
        s.service
            .last_event(c, EventKind::HomeVisit)
            .unwrap()
            .is_none()
    );
}

#[test]
fn every_command_writes_one_audit_record_with_before_and_after() {
    let s = school();
    let seq0 = s.service.change_seq().unwrap();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    s.service
        .execute(event(c, EventKind::Talk, today(), s.teacher, "谈心"))
        .unwrap();
    s.service
        .execute(Command::ArchiveChild {
            child: c,
            reason: ArchiveReason::ParentsReturned,
            date: today(),
        })
        .unwrap();
    let log = s.service.audit_since(seq0).unwrap();
    let commands: Vec<_> = log.iter().map(|r| r.command.as_str()).collect();
    assert_eq!(commands, ["add_child", "log_event", "archive_child"]);
    assert_eq!(s.service.change_seq().unwrap(), seq0 + 3);
    for r in &log {
        assert_eq!(r.actor, Some(s.admin));
        assert_eq!(r.day, today());
        assert!(r.after.is_some());
    }
    assert!(log[0].before.is_none());
    let archive = &log[2];
    assert!(archive.before.as_ref().unwrap().contains("\"Active\""));
    assert!(archive.after.as_ref().unwrap().contains("ParentsReturned"));
    assert_eq!(archive.target, format!("child:{}", c.0));
}

#[test]
fn archived_files_leave_the_roster_but_are_never_deleted() {
    let s = school();
    let a = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    add_child(&s.service, full_child("曾小明", "2", s.teacher));
    s.service
        .execute(Command::ArchiveChild {
            child: a,
            reason: ArchiveReason::Graduated,
            date: today(),
        })
        .unwrap();
    let active: Vec<_> = s
        .service
        .roster(false)
        .unwrap()
        .into_iter()
        .map(|r| r.child.name().to_string())
        .collect();
    assert_eq!(active, ["曾小明"]);
    let all = s.service.roster(true).unwrap();
    assert_eq!(all.len(), 2);
    let archived = s.service.resolve_child("1").unwrap();
    assert_eq!(
        archived.status(),
        &Status::Archived(ArchiveReason::Graduated)
    );
    assert_eq!(archived.status_history.len(), 2);
    assert_eq!(archived.version, 2);
    // Nothing more can be recorded on an archived file.
    let err = s
        .service
        .execute(event(a, EventKind::Talk, today(), s.teacher, "x"))
        .unwrap_err();
    assert!(matches!(err, ServiceError::Archived { since, .. } if since == today()));
}

#[test]
fn refusals_write_nothing() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let seq = s.service.change_seq().unwrap();
    let events = s.service.event_count().unwrap();
    let mut dup = full_child("李四", "1", s.teacher);
    dup.student_no = Some("1".into());
    let mut bad_phone = full_child("王五", "9", s.teacher);
    bad_phone.parents[0].phone = Some("12ab".into());
    let mut future_birth = full_child("赵六", "8", s.teacher);
    future_birth.birth = day(2027, 1, 1);
    let refused = [
        Command::AddChild(Box::new(dup)),
        Command::AddChild(Box::new(bad_phone)),
        Command::AddChild(Box::new(future_birth)),
        event(c, EventKind::Talk, day(2026, 12, 1), s.teacher, "future"),
        event(
            c,
            EventKind::Talk,
            day(2010, 1, 1),
            s.teacher,
            "before birth",
        ),
        event(ChildId(999), EventKind::Talk, today(), s.teacher, "nobody"),
        event(c, EventKind::Talk, today(), StaffId(999), "no staff"),
        staff("王校长", &[Role::Mentor], &[]),
    ];
    for command in refused {
        let err = s.service.execute(command.clone()).unwrap_err();
        assert!(err.is_bad_input(), "{command:?}: {err:?}");
    }
    // A batch with one bad command writes none of the good ones.
    let batch = vec![
        event(c, EventKind::Talk, today(), s.teacher, "good"),
        event(c, EventKind::Talk, day(2030, 1, 1), s.teacher, "bad"),
    ];
    match s.service.execute_all(batch, BatchAudit::Each) {
        Err(ServiceError::Invalid { field, value, .. }) => {
            assert_eq!(
                (field, value.as_str()),
                (guanai::service::Field::Date, "2030-01-01")
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(s.service.change_seq().unwrap(), seq);
    assert_eq!(s.service.event_count().unwrap(), events);
    assert_eq!(s.service.roster(true).unwrap().len(), 1);
}

#[test]
fn messages_name_the_field_the_value_and_what_is_accepted() {
    let s = school();
    let mut bad_phone = full_child("王五", "9", s.teacher);
    bad_phone.guardian.as_mut().unwrap().phone = Some("12ab".into());
    let err = s
        .service
        .execute(Command::AddChild(Box::new(bad_phone)))
        .unwrap_err();
    let zh = err.message(guanai::i18n::Lang::Zh);
    assert!(
        zh.contains("电话") && zh.contains("12ab") && zh.contains("7 到 15 位"),
        "{zh}"
    );
    let en = err.message(guanai::i18n::Lang::En);
    assert!(
        en.contains("phone") && en.contains("12ab") && en.contains("7 to 15 digits"),
        "{en}"
    );
}

#[test]
fn counselling_notes_are_for_counsellors_only_and_stay_out_of_the_audit_log() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let seq = s.service.change_seq().unwrap();
    // Only a counsellor records counselling; even the admin may not.
    assert!(matches!(
        s.service
            .execute(event(c, EventKind::Counseling, today(), s.counselor, "x")),
        Err(ServiceError::NotPermitted { .. })
    ));
    s.as_user("陈老师")
        .execute(event(
            c,
            EventKind::Counseling,
            today(),
            s.counselor,
            "焦虑, 家中变故",
        ))
        .unwrap();
    let teacher_view = s.as_user("李老师").timeline(c).unwrap();
    assert!(teacher_view[0].restricted);
    assert_eq!(teacher_view[0].event.summary, "");
    let counselor_view = s.as_user("陈老师").timeline(c).unwrap();
    assert!(!counselor_view[0].restricted);
    assert_eq!(counselor_view[0].event.summary, "焦虑, 家中变故");
    let audit = s.service.audit_since(seq).unwrap();
    assert!(!audit[0].after.as_ref().unwrap().contains("家中变故"));
}

#[test]
fn activities_put_one_event_on_each_attendee_timeline() {
    let s = school();
    let a = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let b = add_child(&s.service, full_child("曾小明", "2", s.teacher));
    let outcome = s
        .service
        .execute(Command::AddActivity(NewActivity {
            kind: ActivityKind::Training,
            date: day(2026, 11, 15),
            title: "监护人家庭教育培训班".into(),
            organiser: s.admin,
            children: vec![a, b],
            guardians: vec!["张奶奶".into(), "曾爷爷".into()],
        }))
        .unwrap();
    let Outcome::Activity(id, events) = outcome else {
        panic!()
    };
    assert_eq!(events.len(), 2);
    let activity = s.service.activity(id).unwrap().unwrap();
    assert_eq!(activity.guardians.len(), 2);
    for child in [a, b] {
        let t = s.service.timeline(child).unwrap();
        assert_eq!(t[0].event.kind, EventKind::Training);
        assert_eq!(t[0].event.activity, Some(id));
        assert_eq!(t[0].event.summary, "监护人家庭教育培训班");
    }
}

#[test]
fn tasks_are_stored_for_an_existing_child_and_assignee() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let Outcome::Task(id) = s
        .service
        .execute(Command::AddTask(NewTask {
            child: c,
            text: "联系父亲补办医保".into(),
            due: day(2026, 12, 10),
            assignee: s.teacher,
        }))
        .unwrap()
    else {
        panic!()
    };
    let task = s.service.task(id).unwrap().unwrap();
    assert_eq!((task.child, task.assignee, task.done), (c, s.teacher, None));
}

#[test]
fn identity_bootstrap_then_named_users_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.redb");
    // No admin yet: anyone may set the school up.
    let setup = Service::open(&path, today(), Identity::Unix("nobody-yet".into())).unwrap();
    setup
        .execute(staff("李老师", &[Role::ClassTeacher], &[]))
        .unwrap();
    setup.execute(staff("王校长", &[Role::Admin], &[])).unwrap();
    drop(setup);
    // Now an unknown Unix user is told how to be added, and an unknown --user is refused.
    match Service::open(&path, today(), Identity::Unix("zhangsan".into())) {
        Err(e @ ServiceError::UnknownUser { .. }) => {
            let m = e.message(guanai::i18n::Lang::Zh);
            assert!(
                m.contains("zhangsan") && m.contains("guanai staff add"),
                "{m}"
            );
        }
        other => panic!("{:?}", other.err()),
    }
    assert!(matches!(
        Service::open(&path, today(), Identity::Staff("某某".into())),
        Err(ServiceError::UnknownStaff { .. })
    ));
    // A class teacher may not add staff; the admin may.
    let teacher = Service::open(&path, today(), Identity::Staff("李老师".into())).unwrap();
    assert!(matches!(
        teacher.execute(staff("新老师", &[Role::Mentor], &[])),
        Err(ServiceError::NotPermitted { .. })
    ));
    let admin = Service::open(&path, today(), Identity::Staff("王校长".into())).unwrap();
    admin
        .execute(staff("新老师", &[Role::Mentor], &[]))
        .unwrap();
    assert_eq!(admin.staff().unwrap().len(), 3);
}

#[test]
fn a_second_handle_on_the_same_file_sees_committed_changes() {
    let s = school();
    let other = s.as_user("李老师");
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let before = other.change_seq().unwrap();
    other
        .execute(event(
            c,
            EventKind::Talk,
            today(),
            s.teacher,
            "from the other handle",
        ))
        .unwrap();
    assert_eq!(s.service.change_seq().unwrap(), before + 1);
    assert_eq!(s.service.timeline(c).unwrap().len(), 1);
    drop(other);
    // The store alone reopens it too (no "Database already open").
    let path = s.path();
    let School {
        service, dir: _dir, ..
    } = s;
    drop(service);
    assert!(Store::open(&path).is_ok());
}

mod corrections;
mod properties;
mod restored;

#[test]
fn a_setup_session_loses_its_rights_once_an_admin_exists() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.redb");
    let early = Service::open(&path, today(), Identity::Unknown).unwrap();
    let admin = Service::open(&path, today(), Identity::Unknown).unwrap();
    admin.execute(staff("王校长", &[Role::Admin], &[])).unwrap();
    assert!(matches!(
        early.execute(staff("冒名者", &[Role::Admin], &[])),
        Err(ServiceError::NotPermitted { .. })
    ));
}

#[test]
fn last_event_withholds_counselling_notes_too() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    s.as_user("陈老师")
        .execute(event(
            c,
            EventKind::Counseling,
            today(),
            s.counselor,
            "家中变故",
        ))
        .unwrap();
    let teacher = s
        .as_user("李老师")
        .last_event(c, EventKind::Counseling)
        .unwrap()
        .unwrap();
    assert_eq!(teacher.summary, "");
    let counselor = s
        .as_user("陈老师")
        .last_event(c, EventKind::Counseling)
        .unwrap()
        .unwrap();
    assert_eq!(counselor.summary, "家中变故");
}

#[test]
fn archive_dates_and_activity_input_are_checked() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    // The file was opened today: it cannot have been archived last year.
    assert_eq!(
        refused_field(s.service.execute(Command::ArchiveChild {
            child: c,
            reason: ArchiveReason::Graduated,
            date: day(2025, 7, 10),
        })),
        (guanai::service::Field::Date, "2025-07-10".to_string())
    );
    let activity = |date, children: Vec<ChildId>| {
        Command::AddActivity(NewActivity {
            kind: ActivityKind::Activity,
            date,
            title: "读书活动".into(),
            organiser: s.admin,
            children,
            guardians: Vec::new(),
        })
    };
    assert_eq!(
        refused_field(s.service.execute(activity(day(2027, 1, 1), vec![]))),
        (guanai::service::Field::Date, "2027-01-01".to_string())
    );
    let Outcome::Activity(_, events) = s.service.execute(activity(today(), vec![c, c])).unwrap()
    else {
        panic!()
    };
    assert_eq!(events.len(), 1, "a child listed twice attends once");
}

#[test]
fn text_fields_refuse_control_characters_and_overlong_values() {
    let s = school();
    let cases: Vec<(NewChild, &str)> = vec![
        (
            NewChild {
                name: "己\u{1b}[31m红".into(),
                ..full_child("x", "a", s.teacher)
            },
            "姓名",
        ),
        (
            NewChild {
                class: "七(2)\t班".into(),
                ..full_child("x", "b", s.teacher)
            },
            "班级",
        ),
        (
            NewChild {
                name: "长".repeat(51),
                ..full_child("x", "c", s.teacher)
            },
            "不超过 50 个字",
        ),
        (
            NewChild {
                birth: day(1901, 5, 3),
                ..full_child("x", "d", s.teacher)
            },
            "出生日期",
        ),
    ];
    for (child, words) in cases {
        let err = s
            .service
            .execute(Command::AddChild(Box::new(child)))
            .unwrap_err();
        let m = err.message(guanai::i18n::Lang::Zh);
        assert!(m.contains(words), "{m}");
    }
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    // Notes may have line breaks, not escapes.
    s.service
        .execute(event(
            c,
            EventKind::Talk,
            today(),
            s.teacher,
            "第一行\n第二行",
        ))
        .unwrap();
    assert_eq!(
        refused_field(s.service.execute(event(
            c,
            EventKind::Talk,
            today(),
            s.teacher,
            "\u{1b}[2J"
        )))
        .0,
        guanai::service::Field::Note
    );
    let bad_unix = Command::AddStaff(NewStaff {
        name: "新老师".into(),
        roles: vec![Role::Mentor],
        classes: vec!["".into(), " 七(1)班 ".into()],
        unix_user: Some("bad user!".into()),
        title: None,
    });
    match s.service.execute(bad_unix) {
        Err(ServiceError::Invalid { field, value, .. }) => {
            assert_eq!(
                (field, value.as_str()),
                (guanai::service::Field::Unix, "bad user!")
            )
        }
        other => panic!("{other:?}"),
    }
    let ok = Command::AddStaff(NewStaff {
        name: "新老师".into(),
        roles: vec![Role::Mentor],
        classes: vec!["".into(), " 七(1)班 ".into()],
        unix_user: Some("xinls".into()),
        title: None,
    });
    s.service.execute(ok).unwrap();
    let added = s
        .service
        .resolve_staff(guanai::service::Field::Staff, "新老师")
        .unwrap();
    assert_eq!(added.classes, ["七(1)班"]);
}

#[test]
fn user_claims_are_believed_only_where_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.redb");
    let setup = Service::open(&path, today(), Identity::Unknown).unwrap();
    let admin = NewStaff {
        name: "王校长".into(),
        roles: vec![Role::Admin],
        classes: vec![],
        unix_user: Some("wang".into()),
        title: None,
    };
    let teacher = NewStaff {
        name: "李老师".into(),
        roles: vec![Role::ClassTeacher],
        classes: vec![],
        unix_user: Some("li".into()),
        title: None,
    };
    setup.execute(Command::AddStaff(admin)).unwrap();
    setup.execute(Command::AddStaff(teacher)).unwrap();
    let claim = |name: &str, unix: &str, alone: bool| {
        Service::open(
            &path,
            today(),
            Identity::Claimed {
                name: name.into(),
                unix_user: Some(unix.into()),
                owns_file_alone: alone,
            },
        )
        .map(|s| s.actor().staff_id())
    };
    // The admin may act as anyone; a teacher as themself; a stranger only on their own file.
    assert!(claim("李老师", "wang", false).is_ok());
    assert!(claim("李老师", "li", false).is_ok());
    assert!(matches!(
        claim("王校长", "li", false),
        Err(ServiceError::NotPermitted { .. })
    ));
    assert!(matches!(
        claim("王校长", "stranger", false),
        Err(ServiceError::NotPermitted { .. })
    ));
    assert!(claim("王校长", "stranger", true).is_ok());
    assert!(matches!(
        claim("某某", "wang", false),
        Err(ServiceError::UnknownStaff { .. })
    ));
}

mod overdue;

mod transfer;

mod roles;

mod notes;

/// No text a user or a file gives may hold an escape sequence or a direction override:
/// archive reasons, activity titles and their guardians, task texts, notes, names.
#[test]
fn every_text_refuses_escapes_and_direction_overrides() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let bad = [
        "\u{1b}]0;x\u{7}",
        "\u{202e}珠小张",
        "王\u{2066}五",
        "\u{9b}31m",
    ];
    for b in bad {
        let commands = vec![
            (
                "reason",
                Command::ArchiveChild {
                    child: c,
                    reason: ArchiveReason::Other(format!("转学{b}")),
                    date: today(),
                },
            ),
            (
                "title",
                Command::AddActivity(NewActivity {
                    kind: ActivityKind::Training,
                    date: today(),
                    title: format!("家长学校{b}"),
                    organiser: s.admin,
                    children: vec![c],
                    guardians: vec![],
                }),
            ),
            (
                "guardian",
                Command::AddActivity(NewActivity {
                    kind: ActivityKind::Training,
                    date: today(),
                    title: "家长学校".into(),
                    organiser: s.admin,
                    children: vec![c],
                    guardians: vec![format!("张奶奶{b}")],
                }),
            ),
            (
                "task",
                Command::AddTask(NewTask {
                    child: c,
                    text: format!("回访{b}"),
                    due: today(),
                    assignee: s.teacher,
                }),
            ),
            (
                "note",
                event(c, EventKind::Talk, today(), s.teacher, &format!("谈心{b}")),
            ),
            (
                "name",
                Command::AddChild(Box::new(NewChild {
                    name: format!("李{b}"),
                    ..full_child("x", "9", s.teacher)
                })),
            ),
            ("staff", staff(&format!("赵{b}"), &[Role::Mentor], &[])),
        ];
        for (what, command) in commands {
            let seq = s.service.change_seq().unwrap();
            let err = s.service.execute(command).unwrap_err();
            let m = err.message(guanai::i18n::Lang::Zh);
            assert!(m.contains("转义序列或文字方向控制符"), "{what} {b:?}: {m}");
            assert!(
                !m.chars()
                    .any(|c| c == '\u{1b}' || c == '\u{202e}' || c == '\u{2066}'),
                "the message quotes the value escaped: {m:?}"
            );
            assert_eq!(
                s.service.change_seq().unwrap(),
                seq,
                "{what}: nothing written"
            );
        }
    }
}

/// Refusals name the right thing: the school's name is not a child's 姓名, and a mentor is
/// told that archiving is the class teacher's, not that the child is in another class.
#[test]
fn refusals_name_the_field_and_the_rule_that_applies() {
    let s = school();
    let mut settings = s.service.settings().unwrap();
    settings.school_name = "青山\t小学".into();
    let m = s
        .service
        .execute(Command::SetSettings(settings))
        .unwrap_err()
        .message(guanai::i18n::Lang::Zh);
    assert!(m.starts_with("学校名称:"), "{m}");
    let mentor = s
        .service
        .execute(staff("周老师", &[Role::Mentor], &[]))
        .map(|o| match o {
            Outcome::Staff(id) => id,
            other => panic!("{other:?}"),
        })
        .unwrap();
    let c = add_child(&s.service, full_child("张小珠", "1", mentor));
    let refused = s
        .as_user("周老师")
        .execute(Command::ArchiveChild {
            child: c,
            reason: ArchiveReason::Graduated,
            date: today(),
        })
        .unwrap_err()
        .message(guanai::i18n::Lang::Zh);
    assert!(refused.contains("帮扶教师可以记录, 不能归档"), "{refused}");
    assert!(!refused.contains("其他班级"), "{refused}");
}

/// The field and value of an `Invalid` refusal; any other outcome fails the test.
fn refused_field<T: std::fmt::Debug>(
    result: Result<T, ServiceError>,
) -> (guanai::service::Field, String) {
    match result {
        Err(ServiceError::Invalid { field, value, .. }) => (field, value),
        other => panic!("expected a refusal naming a field, got {other:?}"),
    }
}
