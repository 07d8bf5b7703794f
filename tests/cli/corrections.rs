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

#[test]
fn activities_and_tasks_are_listed_with_numbers_and_voided_by_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.redb");
    guanai(&db)
        .args(["demo", "--children", "12"])
        .assert()
        .success();
    let run = |args: &[&str]| stdout(guanai(&db).args(["--user", "吴大山"]).args(args));
    let tsv = run(&["activity", "list", "--format", "tsv"]);
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(
        lines[0],
        "id\tdate\tkind\ttitle\tchildren\tguardians\tvoided"
    );
    let first: Vec<&str> = lines[1].split('\t').collect();
    let (id, attended) = (first[0].to_string(), first[4].parse::<usize>().unwrap());
    assert!(attended > 0);
    let before = run(&[
        "report",
        "--format",
        "json",
        "--from",
        "2026-09-01",
        "--to",
        "2026-11-29",
    ]);
    let count = |json: &str| -> usize {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        v["activity_list"].as_array().unwrap().len()
    };
    let n = count(&before);
    let out = run(&["activity", "void", &id, "--reason", "活动取消"]);
    assert!(out.contains(&format!("#{id} 已作废")), "{out}");
    let after = run(&[
        "report",
        "--format",
        "json",
        "--from",
        "2026-09-01",
        "--to",
        "2026-11-29",
    ]);
    assert_eq!(count(&after), n - 1, "the voided activity is in no summary");
    let tsv = run(&["activity", "list", "--format", "tsv"]);
    assert!(
        tsv.lines().nth(1).unwrap().ends_with("2026-11-29 活动取消"),
        "{tsv}"
    );
    // A number that is not one, and one that names nothing: exit 2, named.
    let err = guanai(&db)
        .args([
            "--user",
            "吴大山",
            "activity",
            "void",
            "abc",
            "--reason",
            "x",
        ])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(err).unwrap().contains("\"abc\""));
    let err = guanai(&db)
        .args(["--user", "吴大山", "task", "void", "999", "--reason", "x"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(err).unwrap().contains("#999"));
    let tasks = run(&["task", "list"]);
    assert!(tasks.contains("编号"), "{tasks}");
}

#[test]
fn a_note_of_several_lines_stays_on_its_row_in_the_timeline_table() {
    let (_dir, db) = school();
    let id = talk(&db);
    guanai(&db)
        .args([
            "--user",
            "李老师",
            "event",
            "edit",
            &id,
            "--note",
            "第一行\n第二行",
        ])
        .assert()
        .success();
    let table = stdout(guanai(&db).args(["--user", "李老师", "timeline", "张小珠"]));
    assert!(table.contains("第一行 / 第二行"), "{table}");
    assert_eq!(table.lines().count(), 3, "title, header, one row:\n{table}");
}
