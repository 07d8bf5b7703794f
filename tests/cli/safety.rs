//! What the binary does to stay safe on a shared server: identity from the real uid only,
//! escaped output on a terminal, --out that never overwrites, the machine's configuration,
//! and plain answers to command-line slips.

use super::*;

/// Identity is the real uid's account only: `$USER`/`$LOGNAME` say nothing, and a uid the
/// system does not know is refused before any file is opened.
#[test]
fn an_account_without_a_passwd_entry_is_refused_whatever_user_says() {
    let setpriv = std::process::Command::new("sh")
        .args(["-c", "command -v setpriv"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !nix::unistd::getuid().is_root() || !setpriv {
        eprintln!("skipped: needs root and setpriv to run as a uid without a passwd entry");
        return;
    }
    let (d, db) = school();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let fresh = d.path().join("fresh.redb");
    for (target, args) in [
        (&db, vec!["audit"]),
        (&fresh, vec!["staff", "add", "冒充者", "--role", "admin"]),
    ] {
        let out = std::process::Command::new("setpriv")
            .args(["--reuid=54321", "--regid=54321", "--clear-groups", "env"])
            .args(["USER=root", "LOGNAME=root"])
            .arg(env!("CARGO_BIN_EXE_guanai"))
            .arg("--db")
            .arg(target)
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("uid 54321"), "{stderr}");
        assert!(out.stdout.is_empty());
    }
    assert!(!fresh.exists(), "nothing was created");
}

/// A record holding an escape sequence or a direction override (written before they were
/// refused, or by another program) reaches a terminal escaped: it cannot clear a colleague's
/// screen or turn a line around.
#[test]
fn what_reaches_a_terminal_is_escaped() {
    let script = std::process::Command::new("sh")
        .args(["-c", "command -v script"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !script {
        eprintln!("skipped: needs script(1) for a pseudo terminal");
        return;
    }
    let (_d, db) = school();
    let store = guanai::store::Store::open(&db).unwrap();
    store
        .write(|w| -> Result<(), guanai::store::StoreError> {
            let id = w.new_child_id()?;
            let child = guanai::domain::NewChild::basic(
                "坏\u{1b}[2J名\u{202e}字",
                guanai::domain::Gender::Female,
                common::day(2014, 1, 1),
                "七(2)班",
            )
            .into_child(id, common::today());
            w.put_child(&child)
        })
        .unwrap();
    drop(store);
    let command = format!(
        "{} --db {} --today 2026-11-29 --user 王校长 child list",
        env!("CARGO_BIN_EXE_guanai"),
        db.display()
    );
    let out = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .unwrap();
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(screen.contains("坏\\u001b[2J名\\u202e字"), "{screen}");
    assert!(
        !screen.contains('\u{202e}') && !screen.contains("\u{1b}[2J"),
        "{screen:?}"
    );
    // Piped, the bytes go as they are (a program reads them, not a terminal).
    let piped = guanai(&db)
        .args(["--user", "王校长", "child", "list", "--format", "tsv"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&piped.stdout).contains("坏\u{1b}[2J名"));
}

/// `--out` never replaces a file without `--force`, and a missing directory is named as the
/// user wrote it (not a temporary file's name).
#[test]
fn out_never_overwrites_without_force() {
    let (d, db) = school();
    let kept = d.path().join("花名册.csv");
    std::fs::write(&kept, "教务处的表\n").unwrap();
    let cases: [Vec<&str>; 2] = [
        vec!["export", "--format", "csv", "--out"],
        vec!["report", "--format", "md", "--out"],
    ];
    for args in cases {
        let refused = guanai(&db)
            .args(["--user", "王校长"])
            .args(&args)
            .arg(&kept)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("已存在") && stderr.contains("--force"),
            "{stderr}"
        );
        assert_eq!(std::fs::read_to_string(&kept).unwrap(), "教务处的表\n");
        let missing = d.path().join("没有的目录/x.csv");
        let refused = guanai(&db)
            .args(["--user", "王校长"])
            .args(&args)
            .arg(&missing)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("没有的目录/x.csv"), "{stderr}");
        assert!(!stderr.contains(".guanai-"), "no temporary name: {stderr}");
        guanai(&db)
            .args(["--user", "王校长"])
            .args(&args)
            .arg(&kept)
            .arg("--force")
            .assert()
            .success();
        assert_ne!(std::fs::read_to_string(&kept).unwrap(), "教务处的表\n");
        std::fs::write(&kept, "教务处的表\n").unwrap();
    }
}

/// Without --db or GUANAI_DB, the machine's configuration names the school's database (so
/// `ssh server guanai` finds it); a command that creates a database says so and where.
#[test]
fn the_machine_configuration_names_the_database_and_a_new_one_is_announced() {
    let (d, db) = school();
    let config = d.path().join("config.toml");
    std::fs::write(&config, format!("db = \"{}\"\n", db.display())).unwrap();
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_guanai"))
            .env_remove("GUANAI_DB")
            .env("GUANAI_SYSTEM_CONFIG", &config)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .args(["--today", "2026-11-29"])
            .args(args)
            .output()
            .unwrap()
    };
    let listed = run(&["--user", "王校长", "child", "list"]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert!(String::from_utf8_lossy(&listed.stdout).contains("张小珠"));
    assert!(
        listed.stderr.is_empty(),
        "an existing database is not announced"
    );
    // A configuration naming a file that is not there yet: the first command creates it and
    // says where.
    let fresh = d.path().join("新学校.redb");
    std::fs::write(&config, format!("db = \"{}\"\n", fresh.display())).unwrap();
    let created = run(&["staff", "add", "王校长", "--role", "admin"]);
    assert!(created.status.success());
    let said = String::from_utf8_lossy(&created.stderr);
    assert!(
        said.contains("已新建数据库") && said.contains("新学校.redb"),
        "{said}"
    );
    assert!(fresh.exists());
    // A broken configuration is named with its line.
    std::fs::write(&config, "# 学校\ndb = /srv/guanai\n").unwrap();
    let broken = run(&["child", "list"]);
    assert_eq!(broken.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("config.toml:2:"));
}

/// Small mistakes on the command line get plain words.
#[test]
fn command_line_slips_are_answered_plainly() {
    let (_d, db) = school();
    let out = guanai(&db)
        .args(["--user", "王校长", "overdue", "--within", "-1"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("--within") && stderr.contains("\"-1\"") && stderr.contains("0 到 366"),
        "{stderr}"
    );
    for args in [vec!["help", "--help"], vec!["help", "log", "-h"]] {
        let out = guanai(&db).args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage"),
            "{args:?}"
        );
    }
}
