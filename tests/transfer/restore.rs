//! Restore never loses the database: a damaged backup is refused before anything changes, a
//! restore killed at any moment leaves the old database or the new one, whole, and the
//! counselling notes are never dropped silently.

use super::*;

/// The files in `dir` whose names contain `part`.
fn files_with(dir: &Path, part: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(part))
        .collect()
}

/// A copy of `backup` with `len` bytes zeroed at `at` (a fraction of its length).
fn damaged_copy(backup: &Path, to: &Path, at: f64, len: usize) {
    let mut bytes = std::fs::read(backup).unwrap();
    let start = (bytes.len() as f64 * at) as usize;
    let end = (start + len).min(bytes.len());
    bytes[start..end].fill(0);
    std::fs::write(to, bytes).unwrap();
}

/// Writes a damaged file at the path given.
type MakeBad<'a> = Box<dyn Fn(&Path) + 'a>;

#[test]
fn a_damaged_backup_is_refused_and_nothing_changes() {
    let (d, db) = school_with_roster();
    let backup = d.path().join("b.redb");
    guanai(&db).arg("backup").arg(&backup).assert().success();
    let live_before = std::fs::read(&db).unwrap();
    let mut refused = 0;
    // Pages zeroed at several places, the file cut short, and a file that is no database.
    let cases: Vec<(String, MakeBad)> = vec![
        (
            "zeroed pages near the start".into(),
            Box::new(|p: &Path| damaged_copy(&backup, p, 0.05, 8192)),
        ),
        (
            "zeroed pages in the middle".into(),
            Box::new(|p: &Path| damaged_copy(&backup, p, 0.3, 16384)),
        ),
        (
            "truncated to half".into(),
            Box::new(|p: &Path| {
                let b = std::fs::read(&backup).unwrap();
                std::fs::write(p, &b[..b.len() / 2]).unwrap();
            }),
        ),
        (
            "not a database".into(),
            Box::new(|p: &Path| std::fs::write(p, "姓名,班级\n张三,七(2)班\n").unwrap()),
        ),
    ];
    for (what, make) in &cases {
        let bad = d.path().join("bad.redb");
        let _ = std::fs::remove_file(&bad);
        make(&bad);
        let out = guanai(&db)
            .args(["restore", "--force"])
            .arg(&bad)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
        assert!(
            stderr.contains("bad.redb"),
            "{what}: names the file: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{what}: no crash: {stderr}");
        refused += 1;
        assert_eq!(
            std::fs::read(&db).unwrap(),
            live_before,
            "{what}: the live database is untouched"
        );
        assert!(
            files_with(d.path(), ".replaced-").is_empty(),
            "{what}: nothing was moved aside"
        );
        assert!(
            files_with(d.path(), ".partial").is_empty(),
            "{what}: no copy is left behind"
        );
    }
    assert_eq!(refused, 4);
    guanai(&db).arg("check").assert().success();
}

#[test]
fn a_restore_killed_at_any_moment_leaves_the_old_or_the_new_database_whole() {
    // A school big enough that a restore takes a while: the demo's 120 children. Its
    // administrator is the Unix account running the tests.
    let d = tempfile::tempdir().unwrap();
    let db = d.path().join("g.redb");
    let guanai = |db: &Path| Command::from_std(common::guanai_process(db));
    guanai(&db).arg("demo").assert().success();
    let names = |db: &Path| -> Vec<String> {
        let json = stdout(guanai(db).args(["child", "list", "--format", "json"]));
        let mut n: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&json)
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap_or_default().to_string())
            .collect();
        n.sort();
        n
    };
    let backup = d.path().join("b.redb");
    guanai(&db).arg("backup").arg(&backup).assert().success();
    let new_names = names(&db);
    // The live database moves on after the backup: one more child.
    let add_marker = || {
        guanai(&db)
            .args([
                "child",
                "add",
                "--name",
                "备份后新来",
                "--birth",
                "2015-03-01",
                "--gender",
                "女",
                "--class",
                "七(2)班",
            ])
            .assert()
            .success();
    };
    add_marker();
    let old_names = names(&db);
    assert_eq!(old_names.len(), new_names.len() + 1);
    // How long one whole restore takes here, to spread the kills over it.
    let started = std::time::Instant::now();
    guanai(&db)
        .args(["restore", "--force"])
        .arg(&backup)
        .assert()
        .success();
    let whole = started.elapsed();
    assert_eq!(names(&db), new_names);
    add_marker();
    let (mut old, mut new) = (0, 0);
    let moments = 24;
    for i in 0..moments {
        let mut child = common::guanai_process(&db)
            .args(["restore", "--force"])
            .arg(&backup)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // From just after the start to a little past the usual end; the last two long after
        // it (a loaded machine can make a restore slower than the one timed).
        let at = if i < moments - 2 {
            i as f64 / (moments - 4) as f64
        } else {
            5.0
        };
        std::thread::sleep(whole.mul_f64(at));
        let _ = nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(child.id() as i32),
            nix::sys::signal::Signal::SIGKILL,
        );
        let _ = child.wait();
        guanai(&db).arg("check").assert().success();
        let now = names(&db);
        if now == old_names {
            old += 1;
        } else {
            assert_eq!(
                now, new_names,
                "moment {i}: neither the old nor the new school"
            );
            new += 1;
            add_marker();
        }
    }
    eprintln!("restore killed at {moments} moments: {old} before the swap, {new} after");
    assert_eq!(old + new, moments);
    assert!(old > 0, "some kills came before the swap ({new} after)");
    assert!(
        new > 0,
        "some restores finished ({old} were killed before the swap)"
    );
}

#[test]
fn an_administrators_backup_has_no_notes_and_restoring_it_keeps_the_live_ones() {
    let (d, db) = school_with_roster();
    add_counsellor(&db);
    let as_chen = || as_user(&db, "陈老师");
    let log = |note: &str| {
        as_chen()
            .args(["log", "counseling", "--child", "20240701", "--note", note])
            .assert()
            .success();
    };
    log("第一次谈话");
    // The administrator's backup says it has no notes.
    let admin_backup = d.path().join("admin.redb");
    let said = stdout(guanai(&db).arg("backup").arg(&admin_backup));
    assert!(said.contains("不含心理辅导记录"), "{said}");
    assert!(!d.path().join("admin.notes.redb").exists());
    // The counsellor's backup carries them.
    let chen_backup = d.path().join("chen.redb");
    let said = stdout(as_chen().arg("backup").arg(&chen_backup));
    assert!(said.contains("chen.notes.redb"), "{said}");
    log("第二次谈话");
    // Restoring the administrator's backup keeps the live notes file and says so.
    let said = stdout(guanai(&db).args(["restore", "--force"]).arg(&admin_backup));
    assert!(said.contains("现有的心理辅导记录文件保持不变"), "{said}");
    let timeline = stdout(as_chen().args(["timeline", "20240701"]));
    assert!(timeline.contains("第一次谈话"), "{timeline}");
    // A session recorded after the restore never takes the id of a kept note.
    log("恢复后的谈话");
    let timeline = stdout(as_chen().args(["timeline", "20240701"]));
    assert!(timeline.contains("恢复后的谈话"), "{timeline}");
    assert!(
        !timeline.contains("第二次谈话"),
        "a note of the replaced database never meets an event of the restored one: {timeline}"
    );
    // The counsellor puts the notes back from their backup alone; the replaced notes file
    // is kept beside it. A teacher may not.
    guanai(&db)
        .args(["staff", "add", "赵老师", "--role", "mentor"])
        .assert()
        .success();
    as_user(&db, "赵老师")
        .args(["restore", "--notes"])
        .arg(d.path().join("chen.notes.redb"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("无权"));
    let said = stdout(
        as_chen()
            .args(["restore", "--notes"])
            .arg(d.path().join("chen.notes.redb")),
    );
    assert!(said.contains("心理辅导记录已恢复 (1 条)"), "{said}");
    assert!(said.contains("原记录文件保留为"), "{said}");
    let timeline = stdout(as_chen().args(["timeline", "20240701"]));
    assert!(timeline.contains("第一次谈话"), "{timeline}");
    assert!(!timeline.contains("恢复后的谈话"), "{timeline}");
    assert_eq!(files_with(d.path(), "g.notes.redb.replaced-").len(), 1);
    // A --notes file that is not there is named.
    as_chen()
        .args(["restore", "--notes"])
        .arg(d.path().join("missing.notes.redb"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--notes: "))
        .stderr(predicate::str::contains("missing.notes.redb"));
}

#[test]
fn no_new_school_is_created_where_a_replaced_database_lies() {
    let (d, db) = school_with_roster();
    let children = roster(&db).len();
    let backup = d.path().join("b.redb");
    guanai(&db).arg("backup").arg(&backup).assert().success();
    guanai(&db)
        .args(["restore", "--force"])
        .arg(&backup)
        .assert()
        .success();
    let kept = files_with(d.path(), "g.redb.replaced-");
    assert_eq!(kept.len(), 1);
    // The school's file disappears (a slip, a kill in an old version): nothing may create an
    // empty school in its place, and nobody bootstraps themselves administrator there.
    std::fs::remove_file(&db).unwrap();
    for args in [
        vec!["child", "list"],
        vec!["staff", "add", "赵老师", "--role", "admin"],
    ] {
        Command::from_std(common::guanai_process(&db))
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(kept[0].as_str()));
        assert!(!db.exists(), "{args:?} created no database");
    }
    // Root (the owner here) puts the kept file back.
    Command::from_std(common::guanai_process(&db))
        .arg("restore")
        .arg(d.path().join(&kept[0]))
        .assert()
        .success();
    assert_eq!(roster(&db).len(), children);
}

#[test]
fn a_restored_database_is_shared_as_the_one_it_replaces() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let (d, db) = school_with_roster();
    let backup = d.path().join("b.redb");
    guanai(&db).arg("backup").arg(&backup).assert().success();
    // The school's file as docs/server.md leaves it: the staff group may read and write.
    let group = if nix::unistd::getuid().is_root() {
        1 // root may give any group; as another account, keep the account's own group.
    } else {
        std::fs::metadata(&db).unwrap().gid()
    };
    std::os::unix::fs::chown(&db, None, Some(group)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o660)).unwrap();
    // Root restores (it need not be on the staff list: 不是本校教师 stopped it once).
    let mut restore = Command::from_std(common::guanai_process(&db));
    let said = stdout(restore.args(["restore", "--force"]).arg(&backup));
    assert!(!said.contains("无法保留"), "{said}");
    let meta = std::fs::metadata(&db).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o660);
    assert_eq!(meta.gid(), group);
}

/// Teachers keep recording while restores run: each write lands in the database the path
/// names or is refused naming the restore; none is told the child does not exist (the path
/// never lacks a database) and none reports success into a replaced file.
#[test]
fn writes_during_restores_land_or_are_refused_naming_the_restore() {
    let (d, db) = school_with_roster();
    let backup = d.path().join("b.redb");
    guanai(&db).arg("backup").arg(&backup).assert().success();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let (db, stop) = (db.clone(), stop.clone());
            std::thread::spawn(move || {
                let (mut ok, mut refused, mut other) = (0, 0, Vec::new());
                let mut i = 0;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) && i < 400 {
                    let out = common::guanai_process(&db)
                        .args(["--user", "王校长", "log", "note", "--child", "20240701"])
                        .arg("--note")
                        .arg(format!("w{w}-{i}"))
                        .output()
                        .unwrap();
                    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
                    if out.status.success() {
                        ok += 1;
                    } else if stderr.contains("刚被用备份恢复") {
                        refused += 1;
                    } else {
                        other.push(stderr);
                    }
                    i += 1;
                }
                (ok, refused, other)
            })
        })
        .collect();
    for _ in 0..6 {
        guanai(&db)
            .args(["restore", "--force"])
            .arg(&backup)
            .assert()
            .success();
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (mut ok, mut refused) = (0, 0);
    for w in writers {
        let (o, r, other) = w.join().unwrap();
        assert!(other.is_empty(), "unexpected refusals: {other:?}");
        ok += o;
        refused += r;
    }
    eprintln!("writes during 6 restores: {ok} landed, {refused} refused naming the restore");
    assert!(ok > 0);
    guanai(&db).arg("check").assert().success();
}

/// Files someone left where a backup writes are neither used nor removed: a pre-created
/// `X.notes.partial` once captured a counsellor's backup, and `backup foo.redb` deleted an
/// unrelated `foo.partial`.
#[test]
fn a_backup_never_writes_into_or_deletes_a_file_it_did_not_make() {
    let (d, db) = school_with_roster();
    add_counsellor(&db);
    counselling(&db, "家中变故");
    let planted: Vec<PathBuf> = ["b.partial", "b.notes.partial", "b.notes.redb.partial"]
        .iter()
        .map(|n| d.path().join(n))
        .collect();
    for p in &planted {
        std::fs::write(p, "别人的文件").unwrap();
    }
    as_user(&db, "陈老师")
        .arg("backup")
        .arg(d.path().join("b.redb"))
        .assert()
        .success();
    for p in &planted {
        assert_eq!(
            std::fs::read_to_string(p).unwrap(),
            "别人的文件",
            "{}",
            p.display()
        );
    }
    let secret = "家中变故".as_bytes();
    let notes = std::fs::read(d.path().join("b.notes.redb")).unwrap();
    assert!(
        notes.windows(secret.len()).any(|w| w == secret),
        "the notes went to the backup"
    );
    assert!(
        files_with(d.path(), ".guanai-").is_empty(),
        "no temporary file is left"
    );
}

/// The backup's own mode never comes along: a backup others could read (from a USB stick)
/// is restored as an owner-only file, notes included, and is not mistaken for damage.
#[test]
fn a_backup_others_could_read_is_restored_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let (d, db) = school_with_roster();
    add_counsellor(&db);
    counselling(&db, "家中变故");
    let backup = d.path().join("stick.redb");
    as_user(&db, "陈老师")
        .arg("backup")
        .arg(&backup)
        .assert()
        .success();
    let notes = d.path().join("stick.notes.redb");
    for f in [&backup, &notes] {
        std::fs::set_permissions(f, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let fresh = d.path().join("fresh.redb");
    Command::from_std(common::guanai_process(&fresh))
        .arg("restore")
        .arg(&backup)
        .assert()
        .success();
    for f in [&fresh, &d.path().join("fresh.notes.redb")] {
        let mode = std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", f.display());
    }
}

/// The counsellors' notes are put back by a counsellor or root only: an administrator's
/// restore of a counsellor's backup keeps the live notes file and says so.
#[test]
fn an_administrator_does_not_replace_the_counsellors_notes() {
    let (d, db) = school_with_roster();
    add_counsellor(&db);
    counselling(&db, "第一次谈话");
    let backup = d.path().join("chen.redb");
    as_user(&db, "陈老师")
        .arg("backup")
        .arg(&backup)
        .assert()
        .success();
    counselling(&db, "第二次谈话");
    let live_notes = d.path().join("g.notes.redb");
    let before = std::fs::read(&live_notes).unwrap();
    let said = stdout(guanai(&db).args(["restore", "--force"]).arg(&backup));
    assert!(said.contains("现有的心理辅导记录文件保持不变"), "{said}");
    assert!(
        std::fs::read(&live_notes).unwrap() == before,
        "the notes file is the same"
    );
}

/// In the server's sticky directory only root or the files' owner may swap them: an
/// administrator's account is told to run the restore as root, and nothing is left behind.
#[test]
fn in_a_sticky_directory_only_root_swaps_the_files() {
    use std::os::unix::fs::PermissionsExt;
    let setpriv = std::process::Command::new("sh")
        .args(["-c", "command -v setpriv"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !nix::unistd::getuid().is_root() || !setpriv {
        eprintln!("skipped: needs root and setpriv to act as another account");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let dir = tmp.path().join("srv");
    std::fs::create_dir(&dir).unwrap();
    std::os::unix::fs::chown(&dir, None, Some(12345)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o3770)).unwrap();
    let db = dir.join("g.redb");
    let root = |args: &[&str]| {
        Command::from_std(common::guanai_process(&db))
            .args(args)
            .assert()
            .success();
    };
    root(&[
        "staff",
        "add",
        "王校长",
        "--role",
        "admin",
        "--unix-user",
        "root",
    ]);
    root(&[
        "staff",
        "add",
        "李主任",
        "--role",
        "admin",
        "--unix-user",
        "nobody",
    ]);
    std::os::unix::fs::chown(&db, None, Some(12345)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o660)).unwrap();
    let backup = tmp.path().join("b.redb");
    root(&["backup", backup.to_str().unwrap()]);
    std::fs::set_permissions(&backup, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--groups=12345"])
        .arg(env!("CARGO_BIN_EXE_guanai"))
        .arg("--db")
        .arg(&db)
        .args(["restore", "--force"])
        .arg(&backup)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("root"), "{stderr}");
    assert!(std::fs::read(&db).unwrap() == before);
    assert!(
        files_with(&dir, ".replaced-").is_empty(),
        "no link left behind"
    );
    assert!(
        files_with(&dir, ".guanai-").is_empty(),
        "no copy left behind"
    );
    root(&["restore", "--force", backup.to_str().unwrap()]);
}

/// Restoring over a damaged database keeps its notes, and no new session takes the id of one:
/// the ids in use are read from the notes file when the database cannot be read.
#[test]
fn over_a_damaged_database_the_kept_notes_are_never_overwritten() {
    let (d, db) = school_with_roster();
    let backup = d.path().join("b.redb");
    guanai(&db).arg("backup").arg(&backup).assert().success();
    add_counsellor(&db);
    counselling(&db, "第一次");
    counselling(&db, "第二次");
    let notes = guanai::store::notes::Notes::open(&db).unwrap();
    let ids = notes.events().unwrap();
    assert_eq!(ids.len(), 2);
    drop(notes);
    // The live file's first pages are lost.
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[..4096].fill(0);
    std::fs::write(&db, bytes).unwrap();
    Command::from_std(common::guanai_process(&db))
        .args(["restore", "--force"])
        .arg(&backup)
        .assert()
        .success();
    add_counsellor(&db);
    counselling(&db, "恢复以后");
    let notes = guanai::store::notes::Notes::open(&db).unwrap();
    let kept = notes.get_many(&ids).unwrap();
    assert_eq!(kept.len(), 2, "the kept notes are all there");
    assert!(kept.values().any(|n| n == "第二次"));
    assert_eq!(notes.events().unwrap().len(), 3);
}

/// A backup never goes over the live database or its notes, and never stops half way.
#[test]
fn a_backup_is_refused_onto_the_live_files_or_a_taken_notes_name() {
    let (d, db) = school_with_roster();
    add_counsellor(&db);
    counselling(&db, "家中变故");
    let notes = d.path().join("g.notes.redb");
    let children = roster(&db);
    for target in [&db, &notes] {
        as_user(&db, "陈老师")
            .args(["backup", "--force"])
            .arg(target)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("备份不能写到数据库本身"));
    }
    assert_eq!(roster(&db), children, "the database is as it was");
    let timeline = stdout(as_user(&db, "陈老师").args(["timeline", "20240701"]));
    assert!(
        timeline.contains("家中变故"),
        "the notes are as they were: {timeline}"
    );
    // The notes name of a free backup name is taken: refused before anything is written.
    std::fs::write(d.path().join("b.notes.redb"), "别人的").unwrap();
    as_user(&db, "陈老师")
        .arg("backup")
        .arg(d.path().join("b.redb"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("b.notes.redb"));
    assert!(!d.path().join("b.redb").exists(), "no half backup");
}

/// check names what an interrupted backup or restore left behind (more than an hour old) and
/// warns before a repair that a replaced database lies beside; neither is a problem.
#[test]
fn check_names_leftover_copies_and_warns_before_a_repair() {
    let (d, db) = school_with_roster();
    let old = d.path().join(".guanai-AbC123.partial");
    let fresh = d.path().join(".guanai-XyZ789.partial");
    std::fs::write(&old, b"").unwrap();
    std::fs::write(&fresh, b"").unwrap();
    let out = std::process::Command::new("touch")
        .args(["-d", "2 hours ago"])
        .arg(&old)
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = stdout(guanai(&db).arg("check"));
    assert!(
        said.contains(".guanai-AbC123.partial") && said.contains("可以删除"),
        "{said}"
    );
    assert!(
        !said.contains("XyZ789"),
        "a copy being written now is not named: {said}"
    );
    assert!(said.contains("检查通过"), "{said}");
    let backup = d.path().join("b.redb");
    guanai(&db).arg("backup").arg(&backup).assert().success();
    guanai(&db)
        .args(["restore", "--force"])
        .arg(&backup)
        .assert()
        .success();
    let said = stdout(guanai(&db).args(["check", "--repair"]));
    assert!(said.contains("g.redb.replaced-"), "{said}");
}
