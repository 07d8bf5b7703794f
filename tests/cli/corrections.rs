//! `guanai event edit` and `guanai event void`: the entry named by the number `log` printed
//! and `timeline` lists; refusals name the field and the value, with exit status 2.

use super::*;

/// Logs a talk as 李老师 and returns its number, read from what `log` printed (#N).
fn talk(db: &Path) -> String {
    let out = stdout(
        guanai(db)
            .args(["--user", "李老师", "log", "talk", "--child", "张小珠"])
            .args([
                "--date",
                "2026-11-03",
                "--note",
                "期中考试后情绪低落, 以鼓励",
            ]),
    );
    out.trim().rsplit('#').next().unwrap().to_string()
}

#[test]
fn an_entry_is_corrected_by_its_number_and_timeline_shows_the_new_version() {
    let (_dir, db) = school();
    let id = talk(&db);
    let out = stdout(
        guanai(&db)
            .args(["--user", "李老师", "event", "edit", &id])
            .args([
                "--note",
                "期中考试后情绪低落, 已鼓励",
                "--date",
                "11-02",
                "--present",
                "奶奶",
            ]),
    );
    assert_eq!(out.trim(), format!("#{id} 已更正: 2026-11-02 谈心"));
    let tsv =
        stdout(guanai(&db).args(["--user", "李老师", "timeline", "张小珠", "--format", "tsv"]));
    assert_eq!(
        tsv.lines().nth(1).unwrap(),
        format!("{id}\t2026-11-02\ttalk\t李老师\t奶奶\t期中考试后情绪低落, 已鼓励\t")
    );
    // Nothing given: nothing changed, and it says so.
    let out = stdout(guanai(&db).args(["--user", "李老师", "event", "edit", &id]));
    assert!(out.contains("没有改动"), "{out}");
    // A date that does not exist is refused, naming it.
    let out = guanai(&db)
        .args([
            "--user",
            "李老师",
            "event",
            "edit",
            &id,
            "--date",
            "2026-02-30",
        ])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("2026-02-30") && err.contains("日期"), "{err}");
    let out = guanai(&db)
        .args([
            "--user",
            "李老师",
            "event",
            "edit",
            &id,
            "--follow-up",
            "maybe",
        ])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("maybe") && err.contains("yes"), "{err}");
}

#[test]
fn a_voided_entry_stays_listed_with_its_reason_and_cannot_be_voided_twice() {
    let (_dir, db) = school();
    let id = talk(&db);
    guanai(&db)
        .args([
            "--user",
            "李老师",
            "event",
            "void",
            &id,
            "--reason",
            "记错了学生",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "#{id} 已作废: 2026-11-03 谈心"
        )));
    let table = stdout(guanai(&db).args(["--user", "李老师", "timeline", "张小珠"]));
    assert!(
        table.contains("[已作废 2026-11-29 李老师: 记错了学生]"),
        "{table}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(guanai(&db).args([
        "--user",
        "李老师",
        "timeline",
        "张小珠",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(json[0]["voided"]["reason"], "记错了学生");
    assert_eq!(json[0]["voided"]["by"], "李老师");
    let err = guanai(&db)
        .args([
            "--user",
            "李老师",
            "event",
            "void",
            &id,
            "--reason",
            "again",
        ])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains(&format!("#{id}")) && err.contains("作废 (原因: 记错了学生)"),
        "{err}"
    );
    // An unknown number names what would be accepted.
    let err = guanai(&db)
        .args([
            "--user",
            "李老师",
            "event",
            "void",
            "99999",
            "--reason",
            "x",
        ])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("#99999") && err.contains("记录编号"), "{err}");
}
