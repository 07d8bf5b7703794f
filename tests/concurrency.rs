//! Several guanai processes writing to one database file at the same time, as teachers do on
//! a school server: nobody sees "database already open" and every event is there afterwards.

use std::process::Command;

mod common;

use common::guanai_process as guanai;

fn ok(cmd: &mut Command) {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{:?}: {}",
        cmd,
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn processes_logging_at_the_same_time_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("school.redb");
    ok(guanai(&db).args(["staff", "add", "王校长", "--role", "admin"]));
    const WRITERS: usize = 4;
    const EACH: usize = 25;
    for w in 0..WRITERS {
        ok(guanai(&db)
            .args(["--user", "王校长", "staff", "add", &format!("老师{w}")])
            .args(["--role", "class-teacher", "--class", "七(2)班"]));
        ok(guanai(&db)
            .args([
                "--user",
                "王校长",
                "child",
                "add",
                "--name",
                &format!("学生{w}"),
            ])
            .args([
                "--gender",
                "f",
                "--birth",
                "2014-05-03",
                "--class",
                "七(2)班",
            ])
            .args(["--student-no", &format!("S{w}")]));
    }
    let threads: Vec<_> = (0..WRITERS)
        .map(|w| {
            let db = db.clone();
            std::thread::spawn(move || {
                for i in 0..EACH {
                    // Each writer logs on its own child and, every other time, on a shared one.
                    let child = if i % 2 == 0 {
                        format!("S{w}")
                    } else {
                        "S0".into()
                    };
                    let out = guanai(&db)
                        .args(["--user", &format!("老师{w}"), "log", "talk"])
                        .args(["--child", &child, "--note", &format!("w{w} n{i}")])
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "writer {w}, event {i}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut notes = std::collections::BTreeSet::new();
    for w in 0..WRITERS {
        let out = guanai(&db)
            .args([
                "--user",
                "王校长",
                "timeline",
                &format!("S{w}"),
                "--format",
                "tsv",
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        for line in String::from_utf8(out.stdout).unwrap().lines().skip(1) {
            // id, date, kind, staff, present, note, voided
            let note = line.split('\t').nth(5).unwrap().to_string();
            assert!(notes.insert(note.clone()), "{note} twice");
        }
    }
    assert_eq!(notes.len(), WRITERS * EACH);
    for w in 0..WRITERS {
        for i in 0..EACH {
            assert!(notes.contains(&format!("w{w} n{i}")), "w{w} n{i} lost");
        }
    }
}
