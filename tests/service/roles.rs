use super::*;

/// Who may do what: one school per role, every command and query tried, each expected
/// permission and refusal asserted.
#[test]
fn each_role_may_do_what_it_should_and_nothing_else() {
    // (role name, may: [add child 七(2), update, survey, log talk, log counselling, task,
    //  activity, archive, add staff, settings, timeline, whole file, export, audit])
    let table: [(&str, [bool; 14]); 6] = [
        (
            "王校长",
            [
                true, true, true, true, false, true, true, true, true, true, true, true, true, true,
            ],
        ),
        (
            "陈老师",
            [
                true, true, true, true, true, true, true, true, false, false, true, true, true,
                false,
            ],
        ),
        (
            "李老师",
            [
                true, true, true, true, false, true, true, true, false, false, true, true, false,
                false,
            ],
        ),
        (
            "赵老师",
            [
                false, false, false, false, false, false, true, false, false, false, false, false,
                false, false,
            ],
        ),
        (
            "钱老师",
            [
                false, false, false, true, false, true, true, false, false, false, true, true,
                false, false,
            ],
        ),
        (
            "孙老师",
            [
                false, false, false, false, false, false, true, false, false, false, false, false,
                false, false,
            ],
        ),
    ];
    for (who, may) in table {
        let s = school();
        s.service
            .execute_all(
                vec![
                    staff("赵老师", &[Role::ClassTeacher], &["八(1)班"]),
                    staff("钱老师", &[Role::Mentor], &[]),
                    staff("孙老师", &[Role::Mentor], &[]),
                ],
                BatchAudit::Each,
            )
            .unwrap();
        let qian = s
            .service
            .resolve_staff(guanai::service::Field::Staff, "钱老师")
            .unwrap()
            .id;
        let a = add_child(&s.service, full_child("张小珠", "1", qian));
        // A task the admin set, for the task changes below.
        let task = add_task(&s.service, a, "家访回访", today(), s.teacher);
        let me = s.as_user(who);
        // Changing a task is allowed to whoever may record for the child (the "task"
        // column below), and refused to the others.
        let changed = me.execute(Command::UpdateTask {
            task,
            version: 1,
            change: guanai::service::TaskChange::Done(today()),
        });
        if let Err(e) = &changed {
            assert!(
                matches!(e, ServiceError::NotPermitted { who: named, .. } if named == who),
                "{who}: {e:?}"
            );
        }
        let task_allowed = may[5];
        assert_eq!(changed.is_ok(), task_allowed, "{who}: complete a task");
        let mut got = Vec::new();
        let mut ok = |r: Result<Outcome, ServiceError>| {
            if let Err(e) = &r {
                // The refusal names who asked.
                assert!(
                    matches!(e, ServiceError::NotPermitted { who: named, .. } if named == who),
                    "{who}: {e:?}"
                );
            }
            got.push(r.is_ok());
        };
        ok(me.execute(Command::AddChild(Box::new(full_child("新生", "2", qian)))));
        let mut changed = full_child("张小珠", "1", qian);
        changed.village = Some("石桥村".into());
        let version = s.service.resolve_child("1").unwrap().version;
        ok(me.execute(Command::UpdateChild {
            child: a,
            version,
            file: Box::new(changed),
        }));
        ok(me.execute(Command::SurveyChild {
            child: a,
            situation: Situation {
                surveyed: Some(today()),
                ..Situation::default()
            },
        }));
        ok(me.execute(event(a, EventKind::Talk, today(), s.teacher, "谈心")));
        ok(me.execute(event(
            a,
            EventKind::Counseling,
            today(),
            s.counselor,
            "辅导",
        )));
        ok(me.execute(Command::AddTask(NewTask {
            child: a,
            text: "回访".into(),
            due: today(),
            assignee: s.teacher,
        })));
        ok(me.execute(Command::AddActivity(NewActivity {
            kind: ActivityKind::Activity,
            date: today(),
            title: "读书活动".into(),
            organiser: s.admin,
            children: vec![a],
            guardians: vec![],
        })));
        ok(me.execute(Command::ArchiveChild {
            child: a,
            reason: ArchiveReason::Transferred,
            date: today(),
        }));
        ok(me.execute(staff("新老师", &[Role::Mentor], &[])));
        ok(me.execute(Command::SetSettings(Settings::default_for(today()))));
        let queries = [
            me.timeline(a).is_ok(),
            !me.resolve_child("1").unwrap().parents.is_empty(),
            me.dump().is_ok(),
            me.audit(None, None, None).is_ok(),
        ];
        got.extend(queries);
        assert_eq!(got, may, "{who}");
        // Everyone sees every child's basic file.
        let basic = me.resolve_child("1").unwrap();
        assert_eq!(
            (basic.name.as_str(), basic.class.as_str()),
            ("张小珠", "七(2)班"),
            "{who}"
        );
    }
}

/// Before the school has an administrator anyone may set it up, whatever name or account
/// they give; after, an unknown name or account is refused, named.
#[test]
fn who_is_asking_before_and_after_the_first_administrator() {
    use guanai::service::Actor;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.redb");
    for identity in [
        Identity::Staff("新老师".into()),
        Identity::Unix("nobody".into()),
        Identity::Unknown,
    ] {
        let s = Service::open(&path, today(), identity.clone()).unwrap();
        assert_eq!(s.actor(), &Actor::Bootstrap, "{identity:?}");
    }
    let s = school();
    let path = s.dir.path().join("g.redb");
    match Service::open(&path, today(), Identity::Staff("新老师".into())) {
        Err(ServiceError::UnknownStaff { name, known, .. }) => {
            assert_eq!(name, "新老师");
            assert!(known.contains(&"王校长".to_string()), "{known:?}");
        }
        other => panic!("{:?}", other.map(|s| s.actor().clone())),
    }
    match Service::open(&path, today(), Identity::Unknown) {
        Err(ServiceError::UnknownUser { unix_user }) => assert_eq!(unix_user, "?"),
        other => panic!("{:?}", other.map(|s| s.actor().clone())),
    }
    match Service::open(&path, today(), Identity::Unix("nobody".into())) {
        Err(ServiceError::UnknownUser { unix_user }) => assert_eq!(unix_user, "nobody"),
        other => panic!("{:?}", other.map(|s| s.actor().clone())),
    }
}

/// Identity numbers whole for administrators and while the school is set up; masked for
/// every other role, in the file and in a student number written G + the number.
#[test]
fn identity_numbers_are_whole_only_for_administrators() {
    let s = school();
    let mut c = full_child("张小珠", "G430524201405030021", s.teacher);
    c.register.id_no = Some("430524201405030021".into());
    let id = add_child(&s.service, c);
    let seen = |who: &str| {
        let file = s.as_user(who).child(id).unwrap();
        (
            file.register.id_no.unwrap_or_default(),
            file.student_no.unwrap_or_default(),
        )
    };
    assert_eq!(
        seen("王校长"),
        ("430524201405030021".into(), "G430524201405030021".into())
    );
    for who in ["李老师", "陈老师"] {
        let (id_no, student_no) = seen(who);
        assert_eq!(id_no, "4305**********0021", "{who}");
        assert!(!student_no.contains("201405030"), "{who}: {student_no}");
    }
    assert!(s.service.may_see_ids());
    assert!(!s.as_user("李老师").may_see_ids());
}
