//! The file format: a database written by schema version 1 (tests/fixtures/v1.redb, committed
//! when version 1 was released) must open, migrate and read in every later version.

mod common;

use common::*;
use guanai::cli::demo_populate;
use guanai::demo::DemoOptions;
use guanai::domain::*;
use guanai::service::{BatchAudit, Command, Identity, Service};
use guanai::store::{SCHEMA_VERSION, Store};

const FIXTURE: &str = "tests/fixtures/v1.redb";

/// What the fixture holds; written once by `write_v1_fixture`, checked by every later version.
fn build_fixture(path: &std::path::Path) {
    let service = Service::open(path, today(), Identity::Unknown).unwrap();
    demo_populate(
        &service,
        &DemoOptions {
            children: 8,
            seed: 3,
            today: today(),
            admin_unix_user: None,
            history_terms: 3,
        },
    )
    .unwrap();
    let staff = service.staff().unwrap();
    let (admin, counselor) = (staff[0].id, staff[1].id);
    let c = add_child(&service, full_child("张小珠", "20240701", admin));
    service
        .execute(event(
            c,
            EventKind::Counseling,
            day(2026, 11, 20),
            counselor,
            "焦虑, 已疏导",
        ))
        .unwrap();
    service
        .execute(Command::AddActivity(NewActivity {
            kind: ActivityKind::Training,
            date: day(2026, 11, 15),
            title: "监护人家庭教育培训班".into(),
            organiser: admin,
            children: vec![c],
            guardians: vec!["张奶奶".into()],
        }))
        .unwrap();
    service
        .execute(Command::AddTask(NewTask {
            child: c,
            text: "联系父亲补办医保".into(),
            due: day(2026, 12, 10),
            assignee: admin,
        }))
        .unwrap();
    let first = service.roster(false).unwrap()[0].child.id;
    service
        .execute(Command::ArchiveChild {
            child: first,
            reason: ArchiveReason::ParentsReturned,
            date: today(),
        })
        .unwrap();
}

/// Writes the fixture of the current schema version (`tests/fixtures/vN.redb`). Run once per
/// version, never to overwrite an old one:
/// `GUANAI_WRITE_FIXTURE=1 cargo test --test store write_fixture -- --ignored`
#[test]
#[ignore]
fn write_fixture() {
    let name = format!("tests/fixtures/v{SCHEMA_VERSION}.redb");
    let path = std::path::Path::new(&name);
    if std::env::var("GUANAI_WRITE_FIXTURE").is_err() || path.exists() {
        panic!("set GUANAI_WRITE_FIXTURE=1 and remove nothing: {name} is history");
    }
    build_fixture(path);
}

/// The file of version 2 (the day index of events) opens, is migrated to version 3 (every
/// file gets an empty register, nothing else changes), and its index agrees with the events.
#[test]
fn v2_fixture_opens_and_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v2.redb");
    std::fs::copy("tests/fixtures/v2.redb", &path).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let store = Store::open(&path).unwrap();
    let r = store.read().unwrap();
    assert_eq!(r.schema_version().unwrap(), Some(SCHEMA_VERSION));
    assert_eq!(r.event_count().unwrap(), FIXTURE_EVENTS);
    let by_day = r
        .events_between(day(2000, 1, 1), day(2100, 1, 1), &[])
        .unwrap();
    assert_eq!(by_day.len() as u64, FIXTURE_EVENTS);
    assert_eq!(r.model_problems().unwrap(), Vec::<String>::new());
    let children = r.all_children().unwrap();
    assert_eq!(children.len(), 9);
    for c in &children {
        assert_eq!(
            c.register,
            guanai::domain::Register::default(),
            "{}",
            c.name
        );
        assert!(!c.name.is_empty() && c.version >= 1);
    }
    assert_eq!(
        r.roster().unwrap().len(),
        9,
        "the summaries still read beside the files"
    );
}

#[test]
fn v1_fixture_opens_migrates_and_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.redb");
    std::fs::copy(FIXTURE, &path).unwrap();
    // A checkout gives the fixture the usual 0644; guanai refuses files others can read.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut store = Store::open(&path).unwrap();
    assert!(store.check_integrity().unwrap());
    let r = store.read().unwrap();
    assert_eq!(r.schema_version().unwrap(), Some(SCHEMA_VERSION));
    // Every record of every table decodes.
    let staff = r.all_staff().unwrap();
    let children = r.all_children().unwrap();
    let roster = r.roster().unwrap();
    assert_eq!(staff.len(), 4);
    assert_eq!(children.len(), 9);
    assert_eq!(roster.len(), 9);
    let mut events = 0;
    for child in &children {
        let timeline = r.timeline(child.id).unwrap();
        events += timeline.len() as u64;
        for kind in EventKind::ALL {
            let latest = timeline.iter().find(|e| e.kind == kind).map(|e| e.id);
            assert_eq!(
                r.last_event(child.id, kind).unwrap().map(|l| l.event),
                latest
            );
        }
    }
    assert_eq!(events, r.event_count().unwrap());
    assert_eq!(events, FIXTURE_EVENTS);
    // Version 2's day index, built by the migration from the events of version 1.
    let by_day = r
        .events_between(day(2000, 1, 1), day(2100, 1, 1), &[EventKind::Counseling])
        .unwrap();
    assert_eq!(by_day.len() as u64, FIXTURE_EVENTS);
    assert!(
        by_day.windows(2).all(|w| w[0].date <= w[1].date),
        "in date order"
    );
    for f in &by_day {
        let timeline = r.timeline(f.child).unwrap();
        let e = timeline.iter().find(|e| e.id == f.id).unwrap();
        assert_eq!((e.kind, e.date, e.staff), (f.kind, f.date, f.staff));
        assert_eq!(f.summary.is_some(), f.kind == EventKind::Counseling);
    }
    assert_eq!(r.model_problems().unwrap(), Vec::<String>::new());
    // The hand-made parts.
    let zxz = r
        .child(r.child_by_student_no("20240701").unwrap().unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(zxz.name, "张小珠");
    assert_eq!(
        zxz.guardian.as_ref().unwrap().phone.as_deref(),
        Some("13800000001")
    );
    assert_eq!(zxz.situation.surveyed, Some(day(2026, 9, 15)));
    let timeline = r.timeline(zxz.id).unwrap();
    assert_eq!(timeline[0].kind, EventKind::Counseling);
    assert_eq!(timeline[1].kind, EventKind::Training);
    let activity = r.activity(timeline[1].activity.unwrap()).unwrap().unwrap();
    assert_eq!(activity.title, "监护人家庭教育培训班");
    assert_eq!(r.task(TaskId(1)).unwrap().unwrap().text, "联系父亲补办医保");
    let archived: Vec<_> = children.iter().filter(|c| !c.is_active()).collect();
    assert_eq!(archived.len(), 1);
    assert_eq!(
        archived[0].status(),
        &Status::Archived(ArchiveReason::ParentsReturned)
    );
    let settings = r.settings().unwrap().unwrap();
    assert_eq!(settings.school_name, "青山镇中心学校");
    assert_eq!(settings.term_of(day(2026, 11, 29)).unwrap().name, "2026秋");
    let audit = r.audit_since(0).unwrap();
    assert_eq!(audit.len() as u64, r.change_seq().unwrap());
    assert_eq!(audit.last().unwrap().command, "archive_child");
    drop(r);
    // And it takes new writes.
    let service = Service::open(&path, today(), Identity::Staff(staff[0].name.clone())).unwrap();
    service
        .execute(event(
            zxz.id,
            EventKind::Talk,
            today(),
            staff[0].id,
            "新版本的记录",
        ))
        .unwrap();
    assert_eq!(service.event_count().unwrap(), FIXTURE_EVENTS + 1);
}

/// Events in the fixture (demo seed 3, 8 first-graders with this term of history, plus two
/// made by hand).
const FIXTURE_EVENTS: u64 = 88;

#[test]
fn the_fixture_recipe_still_builds_the_same_shape() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.redb");
    build_fixture(&path);
    let r = Store::open(&path).unwrap();
    let r = r.read().unwrap();
    assert_eq!(r.event_count().unwrap(), FIXTURE_EVENTS);
}

/// The day table (one row per day and kind, schema 7) follows every change to an entry: a new
/// entry, a withdrawal and its undo, a correction of the day and of the kind, a deletion, and
/// many entries of one day in one transaction. Read back through `events_between`, checked
/// against the entries by `model_problems`.
#[test]
fn the_day_table_follows_every_change_to_an_entry() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "20240701", s.teacher));
    let d = add_child(&s.service, full_child("王小明", "20240702", s.teacher));
    let (d1, d2) = (day(2026, 10, 8), day(2026, 10, 9));
    let mut batch = vec![
        event(c, EventKind::Talk, d1, s.teacher, "谈心一"),
        event(d, EventKind::Talk, d1, s.teacher, "谈心二"),
        event(c, EventKind::HomeVisit, d2, s.teacher, "家访"),
    ];
    // Many entries of one day and kind in the same transaction: rows of 64, in event order.
    batch.extend((0..150).map(|i| event(d, EventKind::Call, d2, s.teacher, &format!("通话{i}"))));
    s.service.execute_all(batch, BatchAudit::Each).unwrap();
    let path = s.dir.path().join("g.redb");
    let store = Store::open(&path).unwrap();
    let facts = |store: &Store| {
        let r = store.read().unwrap();
        assert_eq!(r.model_problems().unwrap(), Vec::<String>::new());
        r.events_between(d1, d2, &[])
            .unwrap()
            .into_iter()
            .map(|f| (f.date, f.kind, f.child, f.id.0))
            .collect::<Vec<_>>()
    };
    let all = facts(&store);
    assert_eq!(all.len(), 153);
    assert_eq!(
        all.iter().filter(|f| f.1 == EventKind::Call).count(),
        150,
        "{all:?}"
    );
    assert!(all.windows(2).all(|w| w[0].0 <= w[1].0), "in date order");
    let calls: Vec<u64> = all
        .iter()
        .filter(|f| f.1 == EventKind::Call)
        .map(|f| f.3)
        .collect();
    assert!(
        calls.windows(2).all(|w| w[0] < w[1]),
        "event order in a row"
    );
    let timeline = store.read().unwrap().timeline(c).unwrap();
    let talk = timeline
        .iter()
        .find(|e| e.kind == EventKind::Talk)
        .unwrap()
        .clone();
    let visit = timeline
        .iter()
        .find(|e| e.kind == EventKind::HomeVisit)
        .unwrap()
        .clone();
    // The first and last day of the range are both read.
    assert_eq!(facts(&store)[0].0, d1);
    assert_eq!(facts(&store).last().unwrap().0, d2);
    let void = Void {
        by: s.teacher,
        date: d2,
        reason: "记错了".into(),
    };
    store.write(|w| w.void_event(&talk, &void)).unwrap();
    let now = facts(&store);
    assert_eq!(now.len(), 152);
    assert!(
        !now.iter().any(|f| f.3 == talk.id.0),
        "a withdrawn entry leaves"
    );
    store.write(|w| w.unvoid_event(&talk)).unwrap();
    assert!(facts(&store).contains(&(d1, EventKind::Talk, c, talk.id.0)));
    // A correction moves it to another day and kind: the old row loses it.
    let mut moved = talk.clone();
    moved.date = d2;
    moved.kind = EventKind::Letter;
    store.write(|w| w.replace_event(&talk, &moved)).unwrap();
    let now = facts(&store);
    assert!(now.contains(&(d2, EventKind::Letter, c, talk.id.0)));
    assert!(!now.iter().any(|f| f.1 == EventKind::Talk && f.2 == c));
    assert_eq!(now.len(), 153);
    // Deleted (an undone entry): gone, and its day and kind's row with it.
    store.write(|w| w.delete_event(&visit)).unwrap();
    let now = facts(&store);
    assert_eq!(now.len(), 152);
    assert!(!now.iter().any(|f| f.1 == EventKind::HomeVisit));
    // A call in the middle of the day's rows withdrawn and taken back: found in its row,
    // and back once.
    let call = store
        .read()
        .unwrap()
        .timeline(d)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == EventKind::Call)
        .nth(100)
        .unwrap();
    store.write(|w| w.void_event(&call, &void)).unwrap();
    assert_eq!(facts(&store).len(), 151);
    store.write(|w| w.unvoid_event(&call)).unwrap();
    let now = facts(&store);
    assert_eq!(now.iter().filter(|f| f.3 == call.id.0).count(), 1);
    assert_eq!(now.len(), 152);
    // An award keeps its title in the row, and a corrected title replaces it.
    s.service
        .execute(event(c, EventKind::Award, d1, s.teacher, "县级三好学生"))
        .unwrap();
    let award = store
        .read()
        .unwrap()
        .timeline(c)
        .unwrap()
        .into_iter()
        .find(|e| e.kind == EventKind::Award)
        .unwrap();
    let titles = |store: &Store| {
        store
            .read()
            .unwrap()
            .events_between(d1, d1, &[EventKind::Award])
            .unwrap()
            .into_iter()
            .map(|f| (f.kind, f.summary.map(|s| s.into_owned())))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        titles(&store),
        vec![
            (EventKind::Talk, None),
            (EventKind::Award, Some("县级三好学生".to_string()))
        ]
    );
    let mut renamed = award.clone();
    renamed.summary = "市级优秀少先队员".into();
    store.write(|w| w.replace_event(&award, &renamed)).unwrap();
    assert_eq!(
        titles(&store)[1],
        (EventKind::Award, Some("市级优秀少先队员".to_string()))
    );
    assert_eq!(facts(&store).len(), 153);
    // Outside the range: nothing.
    let r = store.read().unwrap();
    assert_eq!(
        r.events_between(day(2026, 10, 10), day(2026, 12, 1), &[])
            .unwrap(),
        vec![]
    );
    assert_eq!(
        r.events_between(day(2026, 10, 1), day(2026, 10, 7), &[])
            .unwrap()
            .len(),
        0
    );
}

/// The work summary's facts of a file (schema 8) follow every change to it: a new file, its
/// guardian's phone and class changed, a survey, an archive and a restore. `check` compares
/// each with its file.
#[test]
fn the_summary_facts_follow_every_change_to_a_file() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "20240701", s.teacher));
    let path = s.dir.path().join("g.redb");
    let store = Store::open(&path).unwrap();
    let facts = |store: &Store| {
        let r = store.read().unwrap();
        assert_eq!(r.model_problems().unwrap(), Vec::<String>::new());
        let all = r.all_report_facts().unwrap();
        assert_eq!(all.len(), 1);
        all.into_iter().next().unwrap()
    };
    let first = facts(&store);
    assert_eq!((first.id, first.class.as_str()), (c, "七(2)班"));
    assert_eq!(first.status_history.len(), 1, "opened");
    let now = s.service.resolve_child("20240701").unwrap();
    let mut changed = full_child("张小珠", "20240701", s.teacher);
    changed.class = "八(1)班".into();
    changed.opened = now.opened();
    changed.guardian = Some(Guardian {
        name: "张奶奶".into(),
        relation: "祖母".into(),
        phone: Some("13900000001".into()),
        age: None,
        health: None,
        can_supervise_study: None,
    });
    s.service
        .execute(Command::UpdateChild {
            child: c,
            version: now.version,
            file: Box::new(changed),
        })
        .unwrap();
    let after = facts(&store);
    assert_eq!(after.class, "八(1)班");
    assert_eq!(
        after.guardian,
        Some((
            "张奶奶".to_string(),
            Some("13900000001".to_string()),
            "祖母".to_string()
        ))
    );
    s.service
        .execute(Command::ArchiveChild {
            child: c,
            reason: ArchiveReason::ParentsReturned,
            date: today(),
        })
        .unwrap();
    let archived = facts(&store);
    assert_eq!(archived.status_history.len(), 2);
    assert_eq!(
        archived.status_history[1].status,
        Status::Archived(ArchiveReason::ParentsReturned)
    );
    s.service
        .execute(Command::RestoreChild {
            child: c,
            date: today(),
        })
        .unwrap();
    assert_eq!(facts(&store).status_history[2].status, Status::Active);
}

/// The summary keeps each event in 16 bytes, with ids as 32-bit numbers. An event naming a
/// file numbered beyond that (only a file put together by hand has one) is not counted when
/// no such file is on record, as any event of an unknown file; when the file is on record the
/// summary is refused as damage naming the event, not miscounted.
#[test]
fn an_event_numbered_beyond_32_bits_is_left_out_or_refused_naming_it() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "20240701", s.teacher));
    s.service
        .execute(event(
            c,
            EventKind::Talk,
            day(2026, 10, 8),
            s.teacher,
            "谈心",
        ))
        .unwrap();
    let rules = guanai::followup::Rules::defaults();
    let talks = |s: &School| {
        s.service
            .report(&rules, None, day(2026, 9, 1), today())
            .map(|f| f.totals.talks)
    };
    assert_eq!(talks(&s).unwrap(), 1);
    let store = Store::open(&s.dir.path().join("g.redb")).unwrap();
    let far = ChildId(1 << 40);
    let talk_of = |child: ChildId| {
        store
            .write(|w| {
                let id = w.new_event_id()?;
                w.insert_event(&Event {
                    id,
                    version: 1,
                    child,
                    kind: EventKind::Talk,
                    date: day(2026, 10, 9),
                    staff: s.teacher,
                    present: Vec::new(),
                    summary: "谈心".into(),
                    follow_up: false,
                    activity: None,
                })?;
                Ok::<_, guanai::store::StoreError>(id.0)
            })
            .unwrap()
    };
    let first = talk_of(far);
    assert_eq!(
        talks(&s).unwrap(),
        1,
        "an event of no file on record is not counted"
    );
    let mut on_record = s.service.child(c).unwrap();
    on_record.id = far;
    on_record.student_no = Some("20240799".into());
    store.write(|w| w.put_child(&on_record)).unwrap();
    talk_of(far);
    let refused = talks(&s).unwrap_err();
    let message = refused.message(guanai::i18n::Lang::En);
    assert!(
        message.contains("event ") && message.contains("4294967295"),
        "{message}"
    );
    assert!(
        message.contains(&format!("event {first} ")),
        "the far file's first event is named: {message}"
    );
    assert!(matches!(
        refused,
        guanai::service::ServiceError::Store(guanai::store::StoreError::Damaged { .. })
    ));
}

/// The day table read from its last day back is the forward read in exactly the reverse
/// order (several kinds a day, rows of many entries); two readers, one from each end, that
/// meet at any day between two of the period's days read every entry once: the first's
/// entries then the second's reversed are the forward read.
#[test]
fn the_day_table_read_from_both_ends_is_read_once() {
    use chrono::NaiveDate;
    use guanai::store::Direction;
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "20240701", s.teacher));
    let d = add_child(&s.service, full_child("王小明", "20240702", s.teacher));
    let days: Vec<NaiveDate> = (1..=6).map(|n| day(2026, 10, n * 3)).collect();
    let mut batch = Vec::new();
    for (n, when) in days.iter().enumerate() {
        batch.push(event(c, EventKind::Talk, *when, s.teacher, "谈心"));
        batch.push(event(
            d,
            EventKind::Award,
            *when,
            s.teacher,
            &format!("奖{n}"),
        ));
        batch.extend((0..70).map(|i| event(d, EventKind::Call, *when, s.teacher, &format!("{i}"))));
    }
    s.service.execute_all(batch, BatchAudit::Each).unwrap();
    let store = Store::open(&s.dir.path().join("g.redb")).unwrap();
    let r = store.read().unwrap();
    let (from, to) = (day(2026, 10, 1), day(2026, 10, 31));
    let read = |direction, take: &dyn Fn(NaiveDate) -> bool| {
        let mut out = Vec::new();
        r.for_each_event_from_one_end(from, to, &[EventKind::Award], direction, take, |e| {
            out.push((e.id.0, e.date, e.kind, e.summary.map(|t| t.into_owned())))
        })
        .unwrap();
        out
    };
    let forward = read(Direction::Forward, &|_| true);
    assert_eq!(forward.len(), 6 * 72);
    assert!(forward.iter().any(|e| e.3.as_deref() == Some("奖5")));
    let mut backward = read(Direction::Backward, &|_| true);
    backward.reverse();
    assert_eq!(backward, forward);
    // Meeting before the first day, between any two, after the last.
    for cut in [
        day(2026, 10, 2),
        days[0],
        days[2],
        days[4],
        day(2026, 10, 30),
    ] {
        let mut both = read(Direction::Forward, &|d| d <= cut);
        let mut later = read(Direction::Backward, &|d| d > cut);
        assert!(both.iter().all(|e| e.1 <= cut) && later.iter().all(|e| e.1 > cut));
        later.reverse();
        both.extend(later);
        assert_eq!(both, forward, "meeting at {cut}");
    }
}
