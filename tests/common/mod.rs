//! Helpers shared by the integration tests: a fresh school in a temporary directory.
#![allow(dead_code)]

use chrono::NaiveDate;
use guanai::domain::*;
use guanai::service::{BatchAudit, Command, Identity, Outcome, Service};

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub const TODAY: (i32, u32, u32) = (2026, 11, 29);

pub fn today() -> NaiveDate {
    day(TODAY.0, TODAY.1, TODAY.2)
}

/// The `guanai` binary on `db`, as of the tests' today, ignoring any GUANAI_DB of the caller.
pub fn guanai_process(db: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_guanai"));
    cmd.env_remove("GUANAI_DB")
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-29"]);
    cmd
}

/// Runs `cmd` and returns what it printed, failing with its stderr if it did not succeed.
#[allow(dead_code)]
pub fn succeeds(cmd: &mut std::process::Command) -> Vec<u8> {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The demo school written into a fresh directory: the directory (kept alive) and the file.
#[allow(dead_code)]
pub fn demo_school() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.redb");
    succeeds(guanai_process(&db).arg("demo"));
    (dir, db)
}

pub struct School {
    pub dir: tempfile::TempDir,
    pub service: Service,
    pub admin: StaffId,
    pub teacher: StaffId,
    pub counselor: StaffId,
}

impl School {
    pub fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("g.redb")
    }

    /// The same database opened as another staff member.
    pub fn as_user(&self, name: &str) -> Service {
        Service::open(&self.path(), today(), Identity::Staff(name.into())).unwrap()
    }
}

pub fn staff(name: &str, roles: &[Role], classes: &[&str]) -> Command {
    Command::AddStaff(NewStaff {
        name: name.into(),
        roles: roles.to_vec(),
        classes: classes.iter().map(|c| c.to_string()).collect(),
        unix_user: None,
        title: None,
    })
}

/// A school with an admin (王校长), a class teacher (李老师) and a counsellor (陈老师), opened
/// as the admin.
pub fn school() -> School {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.redb");
    let setup = Service::open(&path, today(), Identity::Unknown).unwrap();
    // One setup batch: once the first admin exists, only an admin adds staff.
    let ids: Vec<StaffId> = setup
        .execute_all(
            vec![
                staff("王校长", &[Role::Admin], &[]),
                staff("李老师", &[Role::ClassTeacher, Role::Mentor], &["七(2)班"]),
                staff("陈老师", &[Role::Counselor], &[]),
            ],
            BatchAudit::Each,
        )
        .unwrap()
        .into_iter()
        .map(|o| match o {
            Outcome::Staff(id) => id,
            other => panic!("{other:?}"),
        })
        .collect();
    drop(setup);
    let service = Service::open(&path, today(), Identity::Staff("王校长".into())).unwrap();
    School {
        dir,
        service,
        admin: ids[0],
        teacher: ids[1],
        counselor: ids[2],
    }
}

pub fn full_child(name: &str, student_no: &str, mentor: StaffId) -> NewChild {
    let mut c = NewChild::basic(name, Gender::Female, day(2014, 5, 3), "七(2)班");
    c.student_no = Some(student_no.into());
    c.village = Some("青山村".into());
    c.address = Some("青山村3组".into());
    c.boarding = true;
    c.left_behind = LeftBehind {
        kind: LeftBehindType::BothParents,
        since: Some(day(2019, 3, 1)),
    };
    c.parents = vec![
        Parent {
            relation: ParentRelation::Father,
            name: "张大山".into(),
            phone: Some("139 0000 0001".into()),
            workplace: Some("广州电子厂".into()),
            away: true,
        },
        Parent {
            relation: ParentRelation::Mother,
            name: "李春花".into(),
            phone: Some("13900000002".into()),
            workplace: Some("东莞服装厂".into()),
            away: true,
        },
    ];
    c.guardian = Some(Guardian {
        name: "张奶奶".into(),
        relation: "祖母".into(),
        phone: Some("138-0000-0001".into()),
        age: Some(68),
        health: Some("健康".into()),
        can_supervise_study: Some(false),
    });
    c.emergency_contacts = vec![Contact {
        name: "青山村委会".into(),
        relation: "村委".into(),
        phone: "0594 1234567".into(),
    }];
    c.mentor = Some(mentor);
    c.buddies = vec!["王小明".into()];
    c.situation = Situation {
        study: "数学偏弱".into(),
        life: "由奶奶照料".into(),
        psychology: "内向".into(),
        safety: "已进行安全教育".into(),
        health: "健康".into(),
        surveyed: Some(day(2026, 9, 15)),
    };
    c.support = Support {
        key_support: true,
        poverty_support: true,
        special_needs: String::new(),
    };
    c
}

pub fn add_child(service: &Service, child: NewChild) -> ChildId {
    match service.execute(Command::AddChild(Box::new(child))).unwrap() {
        Outcome::Child(id) => id,
        other => panic!("{other:?}"),
    }
}

pub fn event(
    child: ChildId,
    kind: EventKind,
    date: NaiveDate,
    staff: StaffId,
    note: &str,
) -> Command {
    Command::LogEvent(NewEvent {
        child,
        kind,
        date,
        staff,
        present: Vec::new(),
        summary: note.into(),
        follow_up: false,
    })
}

/// A one-off task on `child`, set through `service`; its id.
pub fn add_task(
    service: &Service,
    child: ChildId,
    text: &str,
    due: NaiveDate,
    assignee: StaffId,
) -> TaskId {
    match service
        .execute(Command::AddTask(NewTask {
            child,
            text: text.into(),
            due,
            assignee,
        }))
        .unwrap()
    {
        Outcome::Task(id) => id,
        other => panic!("{other:?}"),
    }
}
