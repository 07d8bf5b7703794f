//! docs/server.md, run as written: groups, accounts, directory and permissions, then what each
//! account may do. Needs root (it creates and removes Unix groups and accounts with fresh
//! names); skipped with a message otherwise.

use std::path::Path;
use std::process::{Command, Output};

/// The bash block that follows `marker` in docs/server.md.
fn block(doc: &str, marker: &str) -> String {
    let start = doc.find(marker).expect("marker");
    let rest = &doc[start..];
    let open = rest.find("```bash\n").expect("block") + "```bash\n".len();
    let close = rest[open..].find("```").expect("end of block");
    rest[open..open + close].to_string()
}

/// The machine's configuration file this test writes (docs/server.md's step 6).
static CONFIG: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();

fn run_as(user: &str, bin: &Path, db: &Path, args: &[&str]) -> Output {
    let config = CONFIG
        .get()
        .map(|c| c.display().to_string())
        .unwrap_or_default();
    Command::new("runuser")
        .args(["-u", user, "--", "env"])
        .arg(format!("GUANAI_DB={}", db.display()))
        .arg(format!("GUANAI_SYSTEM_CONFIG={config}"))
        .arg("HOME=/tmp")
        .arg(bin)
        .args(args)
        .output()
        .expect("runuser")
}

fn ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Cleanup(Vec<String>, Vec<String>);

impl Drop for Cleanup {
    fn drop(&mut self) {
        for u in &self.0 {
            let _ = Command::new("userdel").args(["-r", u]).output();
        }
        for g in &self.1 {
            let _ = Command::new("groupdel").arg(g).output();
        }
    }
}

#[test]
fn the_server_setup_works_as_written() {
    let root = nix::unistd::getuid().is_root();
    let tools = ["useradd", "groupadd", "runuser"].iter().all(|t| {
        Command::new("sh")
            .args(["-c", &format!("command -v {t}")])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if !root || !tools {
        eprintln!("skipped: docs/server.md is tested as root with useradd, groupadd and runuser");
        return;
    }
    let doc = std::fs::read_to_string("docs/server.md").unwrap();
    let setup = block(&doc, "<!-- server-setup -->");
    assert!(block(&doc, "<!-- server-names -->").contains("STAFF_GROUP="));
    let tag = std::process::id();
    let (staff, counsel) = (format!("gstaff{tag}"), format!("gcounsel{tag}"));
    let (teacher, counsellor, outsider) =
        (format!("gt{tag}"), format!("gc{tag}"), format!("go{tag}"));
    let _cleanup = Cleanup(
        vec![teacher.clone(), counsellor.clone(), outsider.clone()],
        vec![staff.clone(), counsel.clone()],
    );
    let tmp = tempfile::tempdir().unwrap();
    // The machine's configuration goes to a file of this test's own, not /etc.
    let config = tmp.path().join("etc/config.toml");
    let _ = CONFIG.set(config.clone());
    let setup = setup
        .replace("/etc/guanai/config.toml", &config.display().to_string())
        .replace(
            "mkdir -p /etc/guanai",
            &format!("mkdir -p {}", tmp.path().join("etc").display()),
        );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    // The binary where every account can run it.
    let bin_dir = tmp.path().join("bin");
    std::fs::create_dir(&bin_dir).unwrap();
    let bin = bin_dir.join("guanai");
    std::fs::copy(env!("CARGO_BIN_EXE_guanai"), &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&bin_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let dir = tmp.path().join("srv");
    let out = Command::new("bash")
        .args(["-euo", "pipefail", "-c", &setup])
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin_dir.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("STAFF_GROUP", &staff)
        .env("COUNSEL_GROUP", &counsel)
        .env("TEACHER", &teacher)
        .env("COUNSELLOR", &counsellor)
        .env("DIR", &dir)
        .env("HOME", tmp.path())
        .output()
        .unwrap();
    ok(&out, "the setup steps of docs/server.md");
    let db = dir.join("guanai.redb");
    let notes = dir.join("guanai.notes.redb");
    assert_eq!(
        std::fs::metadata(&db).unwrap().permissions().mode() & 0o777,
        0o660
    );
    assert_eq!(
        std::fs::metadata(&notes).unwrap().permissions().mode() & 0o777,
        0o660
    );
    Command::new("useradd").arg(&outsider).output().unwrap();

    // The class teacher opens a file in their class and records a talk.
    ok(
        &run_as(
            &teacher,
            &bin,
            &db,
            &[
                "child",
                "add",
                "--name",
                "张小珠",
                "--gender",
                "f",
                "--birth",
                "2014-05-03",
                "--class",
                "七(2)班",
                "--student-no",
                "20240701",
            ],
        ),
        "teacher: child add",
    );
    ok(
        &run_as(
            &teacher,
            &bin,
            &db,
            &["log", "talk", "--child", "20240701", "--note", "谈心"],
        ),
        "teacher: log talk",
    );
    // The counsellor records a session; the note goes to the counsellors' file.
    ok(
        &run_as(
            &counsellor,
            &bin,
            &db,
            &[
                "log",
                "counseling",
                "--child",
                "20240701",
                "--note",
                "家中变故",
            ],
        ),
        "counsellor: log counseling",
    );
    let seen = ok(
        &run_as(&counsellor, &bin, &db, &["timeline", "20240701"]),
        "counsellor: timeline",
    );
    assert!(seen.contains("家中变故"), "{seen}");
    // The teacher sees the session, not the note; the OS keeps the notes file from them.
    let teacher_view = ok(
        &run_as(&teacher, &bin, &db, &["timeline", "20240701"]),
        "teacher: timeline",
    );
    assert!(
        !teacher_view.contains("家中变故") && teacher_view.contains("仅心理辅导教师可见"),
        "{teacher_view}"
    );
    let cat = Command::new("runuser")
        .args(["-u", &teacher, "--", "cat"])
        .arg(&notes)
        .output()
        .unwrap();
    assert!(
        !cat.status.success(),
        "a teacher's account must not read the notes file"
    );
    assert!(
        !run_as(
            &teacher,
            &bin,
            &db,
            &["log", "counseling", "--child", "20240701", "--note", "x"]
        )
        .status
        .success()
    );
    // Nor can the teacher swap the notes file for one of their own (the sticky directory).
    let swap = Command::new("runuser")
        .args(["-u", &teacher, "--", "mv"])
        .arg(&notes)
        .arg(dir.join("taken"))
        .output()
        .unwrap();
    assert!(
        !swap.status.success(),
        "a teacher must not move the notes file away"
    );
    assert!(notes.exists());
    // On the shared file nobody moves the clock to record: --today shapes what is shown.
    let moved = run_as(
        &teacher,
        &bin,
        &db,
        &[
            "--today",
            "2027-06-30",
            "log",
            "visit",
            "--child",
            "20240701",
            "--note",
            "家访",
        ],
    );
    assert_eq!(moved.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&moved.stderr).contains("--today"));
    ok(
        &run_as(&teacher, &bin, &db, &["--today", "2027-06-30", "overdue"]),
        "teacher: overdue as of another day",
    );
    // Someone outside the staff group gets nothing.
    let out = run_as(&outsider, &bin, &db, &["child", "list"]);
    assert!(
        !out.status.success(),
        "an outsider must not open the database"
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("无权打开数据库") && said.contains("docs/server.md"),
        "the outsider is told why: {said}"
    );
    let listing = Command::new("runuser")
        .args(["-u", &outsider, "--", "cat"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(!listing.status.success());

    // A notes file someone else made is never used: the teacher creates one where the
    // counsellors' file was (after a restore without notes, say), and the counsellor's guanai
    // refuses it, saying how to fix it, instead of writing notes the teacher could read.
    let real_notes = dir.join("kept.notes");
    std::fs::rename(&notes, &real_notes).unwrap();
    let planted = Command::new("runuser")
        .args(["-u", &teacher, "--", "sh", "-c"])
        .arg(format!("umask 007 && touch {}", notes.display()))
        .output()
        .unwrap();
    assert!(planted.status.success(), "{planted:?}");
    let refused = run_as(
        &counsellor,
        &bin,
        &db,
        &[
            "log",
            "counseling",
            "--child",
            "20240701",
            "--note",
            "第二次谈话",
        ],
    );
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        !refused.status.success(),
        "a teacher's notes file must be refused"
    );
    assert!(
        said.contains(&teacher) && said.contains("chown root:"),
        "{said}"
    );
    assert_eq!(
        std::fs::metadata(&notes).unwrap().len(),
        0,
        "no note went into it"
    );
    std::fs::remove_file(&notes).unwrap();
    std::fs::rename(&real_notes, &notes).unwrap();
    ok(
        &run_as(
            &counsellor,
            &bin,
            &db,
            &[
                "log",
                "counseling",
                "--child",
                "20240701",
                "--note",
                "第二次谈话",
            ],
        ),
        "counsellor: log counseling into the right file again",
    );

    // The nightly backup, as written: today's pair of files, the days past KEEP_DAYS gone.
    let backups = tmp.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let touch = |name: &str, days: u32| {
        let path = backups.join(name);
        std::fs::write(&path, b"old").unwrap();
        let out = Command::new("touch")
            .arg("-d")
            .arg(format!("{days} days ago"))
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success());
        path
    };
    let stale = [
        touch("guanai-2020-01-01.redb", 40),
        touch("guanai-2020-01-01.notes.redb", 40),
    ];
    let recent = touch("guanai-2020-02-01.redb", 3);
    let unrelated = touch("notes.txt", 40);
    let script = block(&doc, "<!-- server-backup -->");
    let out = Command::new("bash")
        .args(["-c", &script])
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin_dir.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("DIR", &dir)
        .env("BACKUPS", &backups)
        .env("KEEP_DAYS", "14")
        .env("HOME", tmp.path())
        .output()
        .unwrap();
    let said = ok(&out, "the nightly backup of docs/server.md");
    let day = chrono::Local::now().format("%F").to_string();
    let main = backups.join(format!("guanai-{day}.redb"));
    let notes_copy = backups.join(format!("guanai-{day}.notes.redb"));
    assert!(main.exists() && notes_copy.exists(), "both files: {said}");
    for f in [&main, &notes_copy] {
        assert_eq!(
            std::fs::metadata(f).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert!(stale.iter().all(|p| !p.exists()), "the old days are gone");
    assert!(
        recent.exists() && unrelated.exists(),
        "nothing else is touched"
    );
    // The day comes back whole, notes and all.
    let scratch = tmp.path().join("scratch.redb");
    let mut restore = Command::new(&bin);
    restore.arg("--db").arg(&scratch).arg("restore").arg(&main);
    ok(&restore.output().unwrap(), "restore the nightly backup");
    let secret = "家中变故".as_bytes();
    let notes_bytes = std::fs::read(tmp.path().join("scratch.notes.redb")).unwrap();
    assert!(notes_bytes.windows(secret.len()).any(|w| w == secret));
}
