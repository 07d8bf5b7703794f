//! Backup, restore, check and the JSON dump from the command line: what a school relies on
//! when a machine fails or a school moves.

use super::*;

#[test]
fn the_json_dump_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.redb");
    Command::from_std(common::guanai_process(&db))
        .args(["demo", "--children", "30"])
        .assert()
        .success();
    let admin = stdout(
        Command::from_std(common::guanai_process(&db)).args(["staff", "list", "--format", "tsv"]),
    )
    .lines()
    .nth(1)
    .unwrap()
    .split('\t')
    .next()
    .unwrap()
    .to_string();
    let export = |db: &Path| {
        stdout(
            Command::from_std(common::guanai_process(db))
                .args(["--user", &admin, "export", "--format", "json"]),
        )
    };
    let first = export(&db);
    let dump = dir.path().join("dump.json");
    std::fs::write(&dump, &first).unwrap();
    let empty = dir.path().join("empty.redb");
    Command::from_std(common::guanai_process(&empty))
        .arg("import")
        .arg(&dump)
        .assert()
        .success();
    assert_eq!(export(&empty), first);
    // Not into a database that has data.
    Command::from_std(common::guanai_process(&db))
        .args(["--user", &admin, "import"])
        .arg(&dump)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("空数据库"));
}

#[test]
fn backup_while_writing_restore_and_check() {
    let (_d, db) = school_with_roster();
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("b.redb");
    // Another teacher keeps writing while the backup runs.
    let writer_db = db.clone();
    let writer = std::thread::spawn(move || {
        for i in 0..15 {
            guanai(&writer_db)
                .args([
                    "log",
                    "note",
                    "--child",
                    "20240701",
                    "--by",
                    "李老师",
                    "--note",
                    &format!("n{i}"),
                ])
                .assert()
                .success();
        }
    });
    guanai(&db).arg("backup").arg(&backup).assert().success();
    writer.join().unwrap();
    guanai(&backup)
        .arg("check")
        .assert()
        .success()
        .stdout(predicate::str::contains("检查通过"));
    let notes_in_backup = stdout(guanai(&backup).args(["timeline", "20240701", "--format", "tsv"]))
        .lines()
        .count()
        - 1;
    // The backup is one instant of a file being written to: it holds the entries committed
    // before it began (some, maybe all, of the fifteen) and never a part of one.
    assert!(notes_in_backup <= 15, "{notes_in_backup}");
    let in_db = stdout(guanai(&db).args(["timeline", "20240701", "--format", "tsv"]))
        .lines()
        .count()
        - 1;
    assert_eq!(in_db, 15, "every entry landed in the database itself");
    assert_eq!(roster(&backup).len(), 5);
    // No overwriting a backup by accident.
    guanai(&db)
        .arg("backup")
        .arg(&backup)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    // Restore refuses an existing database without --force, and keeps the replaced one.
    guanai(&db)
        .arg("restore")
        .arg(&backup)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    guanai(&db)
        .args(["restore", "--force"])
        .arg(&backup)
        .assert()
        .success()
        .stdout(predicate::str::contains("原数据库保留为"));
    let kept: Vec<_> = std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.contains(".replaced-") && !name.contains(".notes.")
        })
        .collect();
    assert_eq!(kept.len(), 1);
    let timeline = stdout(guanai(&db).args(["timeline", "20240701", "--format", "tsv"]));
    assert_eq!(timeline.lines().count() - 1, notes_in_backup);
    guanai(&db).arg("check").assert().success();
}

#[test]
fn check_finds_what_is_wrong() {
    let (_d, db) = school_with_roster();
    // Damage the model behind the service's back: an event of a child that does not exist.
    {
        let store = guanai::store::Store::open(&db).unwrap();
        store
            .write(|w| -> Result<(), guanai::store::StoreError> {
                let id = w.new_event_id()?;
                w.insert_event(&guanai::domain::Event {
                    id,
                    version: 1,
                    child: guanai::domain::ChildId(999),
                    kind: guanai::domain::EventKind::Talk,
                    date: common::today(),
                    staff: guanai::domain::StaffId(1),
                    present: vec![],
                    summary: String::new(),
                    follow_up: false,
                    activity: None,
                })
            })
            .unwrap();
    }
    guanai(&db)
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("child 999, who does not exist"))
        .stderr(predicate::str::contains("1 个问题"));
}

#[test]
fn restore_never_overwrites_a_kept_database_and_paths_are_checked() {
    let (d, db) = school();
    let backup = d.path().join("b.redb");
    guanai(&db).arg("backup").arg(&backup).assert().success();
    for _ in 0..2 {
        guanai(&db)
            .args(["restore", "--force"])
            .arg(&backup)
            .assert()
            .success();
    }
    let kept = std::fs::read_dir(d.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.contains(".replaced-") && !name.contains(".notes.")
        })
        .count();
    assert_eq!(kept, 2, "both replaced databases are kept");
    guanai(&db)
        .arg("backup")
        .arg(d.path().join("no-such-dir/b.redb"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-dir"));
    guanai(&db)
        .args(["export", "--format", "csv", "--out"])
        .arg(d.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("目录"));
    assert!(std::fs::read_dir(d.path()).unwrap().all(|e| {
        !e.unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".partial")
    }));
    let missing = d.path().join("missing.redb");
    guanai(&missing)
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("找不到数据库"));
    assert!(!missing.exists(), "check creates nothing");
    // A teacher may not restore over the school's database.
    guanai(&db)
        .args([
            "staff",
            "add",
            "赵老师",
            "--role",
            "mentor",
            "--unix-user",
            "zhaols",
        ])
        .assert()
        .success();
    as_user(&db, "赵老师")
        .args(["restore", "--force"])
        .arg(&backup)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("无权"));
}

#[test]
fn a_dump_by_a_non_counsellor_says_it_lacks_the_notes() {
    let (d, db) = school();
    import(&db, "good.csv");
    add_counsellor(&db);
    counselling(&db, "家中变故");
    let out = guanai(&db)
        .args(["export", "--format", "json"])
        .assert()
        .success();
    let json = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(!json.contains("家中变故") && json.contains("\"counselling_withheld\": true"));
    assert!(
        String::from_utf8(out.get_output().stderr.clone())
            .unwrap()
            .contains("未导出")
    );
    let dump = write(d.path(), "d.json", &json);
    let empty = d.path().join("e.redb");
    Command::from_std(common::guanai_process(&empty))
        .arg("import")
        .arg(&dump)
        .assert()
        .success()
        .stdout(predicate::str::contains("不含心理辅导记录"));
    let counsellor = as_user(&db, "陈老师")
        .args(["export", "--format", "json"])
        .assert()
        .success();
    assert!(
        String::from_utf8(counsellor.get_output().stdout.clone())
            .unwrap()
            .contains("家中变故")
    );
}

#[test]
fn a_counsellors_backup_carries_the_notes_back() {
    let (d, db) = school();
    import(&db, "good.csv");
    add_counsellor(&db);
    let as_chen = || as_user(&db, "陈老师");
    counselling(&db, "家中变故");
    let backup = d.path().join("b.redb");
    as_chen().arg("backup").arg(&backup).assert().success();
    assert!(d.path().join("b.notes.redb").exists(), "the notes go along");
    guanai(&db)
        .args(["restore", "--force"])
        .arg(&backup)
        .assert()
        .success();
    let timeline = String::from_utf8(
        as_chen()
            .args(["timeline", "20240701"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(timeline.contains("家中变故"), "{timeline}");
}

#[test]
fn notes_never_meet_other_events_and_exports_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let (d, db) = school();
    import(&db, "good.csv");
    add_counsellor(&db);
    let as_chen = || as_user(&db, "陈老师");
    // An admin's backup (no notes), then a note, then a restore of that backup: the live
    // notes stay, and the note is never shown on an event of the restored database.
    let backup = d.path().join("g.bak");
    guanai(&db).arg("backup").arg(&backup).assert().success();
    let live_notes = d.path().join("g.notes.redb");
    let before = std::fs::metadata(&live_notes).map(|m| m.len()).ok();
    counselling(&db, "家中变故");
    assert!(live_notes.exists(), "the live notes file");
    assert!(
        !d.path().join("g.bak.notes.redb").exists() || before.is_some(),
        "a backup's notes are its own"
    );
    guanai(&db)
        .args(["restore", "--force"])
        .arg(&backup)
        .assert()
        .success();
    as_chen()
        .args([
            "log",
            "counseling",
            "--child",
            "20240702",
            "--note",
            "新的记录",
        ])
        .assert()
        .success();
    let timeline = String::from_utf8(
        as_chen()
            .args(["timeline", "20240702"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(
        timeline.contains("新的记录") && !timeline.contains("家中变故"),
        "{timeline}"
    );
    // Exports are the owner's only.
    let out = d.path().join("all.json");
    as_chen()
        .args(["export", "--format", "json", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

/// Schema version 2 changed a derived table only and versions 3 to 5 added fields with
/// defaults: dumps written by versions 1 to 5 load, one from a version this build does not know
/// does not.
#[test]
fn dumps_of_schema_1_to_9_load_and_others_are_refused() {
    let s = common::school();
    common::add_child(
        &s.service,
        common::full_child("张小珠", "20240701", s.teacher),
    );
    let mut dump = s.service.dump().unwrap();
    for (version, ok) in [
        (1, true),
        (2, true),
        (3, true),
        (4, true),
        (5, true),
        (6, true),
        (7, true),
        (8, true),
        (9, true),
        (10, false),
        (0, false),
    ] {
        dump.schema_version = version;
        assert_eq!(
            guanai::service::check_dump(&dump).is_ok(),
            ok,
            "schema version {version}"
        );
    }
}
