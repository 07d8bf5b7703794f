//! `guanai overdue`, `guanai rules` and `guanai calendar` from the command line.

mod common;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use unicode_width::UnicodeWidthStr;

/// The binary on `db`, with its config directory in `config` (so no real rules.toml is read).
fn guanai(db: &Path, config: &Path) -> Command {
    let mut cmd = Command::from_std(common::guanai_process(db));
    cmd.env("GUANAI_CONFIG", config);
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

/// A school whose 七(2)班 child 张小珠 last talked on 20 Sep and was visited on 10 Sep, and
/// whose 八(1)班 child 曾小明 is up to date on talks.
fn school() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.redb");
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    let g = |args: &[&str]| {
        guanai(&db, &config).args(args).assert().success();
    };
    g(&["staff", "add", "王校长", "--role", "admin"]);
    g(&[
        "--user",
        "王校长",
        "staff",
        "add",
        "李老师",
        "--role",
        "class-teacher",
        "--class",
        "七(2)班",
    ]);
    g(&[
        "--user",
        "王校长",
        "staff",
        "add",
        "赵老师",
        "--role",
        "class-teacher",
        "--class",
        "八(1)班",
    ]);
    g(&[
        "--user",
        "王校长",
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
        "--opened",
        "2026-09-01",
        "--key-support",
    ]);
    g(&[
        "--user",
        "王校长",
        "child",
        "add",
        "--name",
        "曾小明",
        "--gender",
        "m",
        "--birth",
        "2013-06-03",
        "--class",
        "八(1)班",
        "--opened",
        "2026-09-01",
    ]);
    g(&[
        "--user",
        "李老师",
        "log",
        "talk",
        "--child",
        "张小珠",
        "--date",
        "2026-09-20",
    ]);
    g(&[
        "--user",
        "李老师",
        "log",
        "visit",
        "--child",
        "张小珠",
        "--date",
        "2026-09-10",
    ]);
    g(&[
        "--user",
        "赵老师",
        "log",
        "talk",
        "--child",
        "曾小明",
        "--date",
        "2026-11-20",
    ]);
    (dir, db, config)
}

fn tsv_rows(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .skip(1)
        .map(|l| l.split('\t').map(String::from).collect())
        .collect()
}

#[test]
fn tsv_has_the_exact_header_and_rows_by_urgency() {
    let (_d, db, config) = school();
    let out = stdout(guanai(&db, &config).args(["--user", "王校长", "overdue", "--format", "tsv"]));
    assert_eq!(
        out.lines().next().unwrap(),
        "child_id\tchild_name\tclass\tduty\tdue\tdays_overdue\tassignee\turgency"
    );
    let rows = tsv_rows(&out);
    let talk = rows
        .iter()
        .find(|r| r[1] == "张小珠" && r[3] == "talk")
        .unwrap();
    // 29 days + 1 missed period × 5 + key support 15 + no call with the parents since the file
    // opened on 1 Sep (over 45 days) 10.
    assert_eq!(
        talk,
        &[
            "20240701",
            "张小珠",
            "七(2)班",
            "talk",
            "2026-10-31",
            "29",
            "李老师",
            "59.0"
        ]
    );
    // 曾小明 has no student number: the internal id stands in; his talk is done.
    assert!(rows.iter().any(|r| r[1] == "曾小明" && r[0] == "2"));
    assert!(!rows.iter().any(|r| r[1] == "曾小明" && r[3] == "talk"));
    let urgency: Vec<f64> = rows.iter().map(|r| r[7].parse().unwrap()).collect();
    assert!(urgency.windows(2).all(|w| w[0] >= w[1]), "{urgency:?}");
    assert!(
        rows.iter().all(|r| r[5].parse::<i64>().unwrap() > 0),
        "overdue only by default"
    );
}

#[test]
fn filters_and_within() {
    let (_d, db, config) = school();
    let rows = |args: &[&str]| {
        tsv_rows(&stdout(
            guanai(&db, &config)
                .args(["overdue", "--format", "tsv"])
                .args(args),
        ))
    };
    let mine = rows(&["--user", "李老师", "--mine"]);
    assert!(!mine.is_empty() && mine.iter().all(|r| r[6] == "李老师"));
    // Each filter keeps some rows and removes others.
    let all = rows(&["--user", "王校长"]);
    let zhao = rows(&["--user", "王校长", "--staff", "赵老师"]);
    assert!(
        !zhao.is_empty() && zhao.iter().all(|r| r[6] == "赵老师"),
        "{zhao:?}"
    );
    assert!(zhao.len() < all.len());
    let class = rows(&["--user", "王校长", "--class", "八(1)班"]);
    assert!(
        !class.is_empty() && class.iter().all(|r| r[2] == "八(1)班"),
        "{class:?}"
    );
    assert!(class.len() < all.len());
    let soon = rows(&["--user", "王校长", "--within", "7"]);
    // The home visit's middle window is due 3 Dec: in 4 days.
    assert!(
        soon.iter()
            .any(|r| r[1] == "张小珠" && r[3] == "home-visit" && r[5] == "-4"),
        "{soon:?}"
    );
    assert!(soon.len() > rows(&["--user", "王校长"]).len());
}

#[test]
fn today_moves_everything() {
    let (_d, db, config) = school();
    let out = stdout(guanai(&db, &config).args([
        "--today",
        "2026-12-29",
        "--user",
        "王校长",
        "overdue",
        "--format",
        "tsv",
    ]));
    let rows = tsv_rows(&out);
    let talk = rows
        .iter()
        .find(|r| r[1] == "张小珠" && r[3] == "talk")
        .unwrap();
    assert_eq!((talk[4].as_str(), talk[5].as_str()), ("2026-10-31", "59"));
}

#[test]
fn logging_clears_the_row_at_once() {
    let (_d, db, config) = school();
    guanai(&db, &config)
        .args(["--user", "李老师", "log", "talk", "--child", "张小珠"])
        .assert()
        .success();
    let rows = tsv_rows(&stdout(guanai(&db, &config).args([
        "--user",
        "王校长",
        "overdue",
        "--format",
        "tsv",
    ])));
    assert!(!rows.iter().any(|r| r[1] == "张小珠" && r[3] == "talk"));
}

#[test]
fn the_table_fits_80_columns_with_names_aligned() {
    let (_d, db, config) = school();
    let out = stdout(guanai(&db, &config).args(["--user", "王校长", "overdue", "--within", "30"]));
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("逾期"), "{out}");
    assert!(
        out.contains("逾期 29天") && out.contains("天后到期"),
        "{out}"
    );
    for l in &lines {
        assert!(l.width() <= 80, "too wide: {l:?}");
    }
    // The class column starts at the same display column on every row.
    let starts: Vec<usize> = lines[1..lines.len() - 1]
        .iter()
        .map(|l| {
            let i = l.find("班").unwrap();
            l[..i].width()
        })
        .collect();
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "{out}");
    // …and under its label: one label for each column.
    let header = lines[0];
    let label_at = header[..header.find("班级").unwrap()].width();
    let row = lines[1];
    let class_at = row[..row.find("班").unwrap()].rfind("  ").unwrap() + 2;
    assert_eq!(
        row[..class_at].width(),
        label_at,
        "班级 heads the class column:\n{out}"
    );
    assert!(
        header.contains("到期"),
        "the due date has its label: {header}"
    );
    assert!(
        lines.last().unwrap().starts_with("逾期 "),
        "a summary line: {out}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(guanai(&db, &config).args([
        "--user",
        "王校长",
        "overdue",
        "--format",
        "json",
    ])))
    .unwrap();
    let first = &json[0];
    assert!(first["urgency"].as_f64().unwrap() >= json[1]["urgency"].as_f64().unwrap());
    assert!(first["label"].is_string() && first["periods_missed"].is_u64());
}

#[test]
fn a_school_rules_file_changes_the_queue_and_a_broken_one_is_refused() {
    let (_d, db, config) = school();
    std::fs::write(
        config.join("rules.toml"),
        "[[duty]]\nname = \"talk\"\nenabled = false\n\n[[duty]]\nname = \"home-visit\"\nenabled = false\n",
    )
    .unwrap();
    let rows = tsv_rows(&stdout(guanai(&db, &config).args([
        "--user",
        "王校长",
        "overdue",
        "--format",
        "tsv",
    ])));
    assert!(!rows.iter().any(|r| r[3] == "talk" || r[3] == "home-visit"));
    let shown = stdout(guanai(&db, &config).args(["rules", "show"]));
    assert!(shown.contains("rules.toml laid over") && !shown.contains("name = \"talk\""));
    std::fs::write(
        config.join("rules.toml"),
        "[[duty]]\nname = \"talk\"\ncadence = \"monthly\"\nkinds = [\"party\"]\n",
    )
    .unwrap();
    let out = guanai(&db, &config)
        .args(["--user", "王校长", "overdue"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("rules.toml:3:") && stderr.contains("monthly"),
        "{stderr}"
    );
    assert!(
        stderr.contains("rules.toml:4:") && stderr.contains("party"),
        "{stderr}"
    );
}

#[test]
fn rules_check_and_show() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.redb");
    let good = dir.path().join("good.toml");
    std::fs::write(&good, "[urgency]\nkey_support = 30\n").unwrap();
    guanai(&db, dir.path())
        .args(["rules", "check"])
        .arg(&good)
        .assert()
        .success()
        .stdout(predicate::str::contains("无误 (6 项职责)"));
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[urgency]\nkey_support = \"high\"\n").unwrap();
    guanai(&db, dir.path())
        .args(["rules", "check"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml:2:"));
    guanai(&db, dir.path())
        .args(["rules", "check", "/nonexistent/rules.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/rules.toml"));
    let shown = stdout(guanai(&db, dir.path()).args(["rules", "show"]));
    for duty in [
        "talk",
        "parent-call",
        "guardian-contact",
        "home-visit",
        "birthday",
        "resurvey",
    ] {
        assert!(shown.contains(&format!("name = \"{duty}\"")), "{shown}");
    }
    // What show prints is itself a valid rules file.
    let shown_file = dir.path().join("shown.toml");
    std::fs::write(&shown_file, shown).unwrap();
    guanai(&db, dir.path())
        .args(["rules", "check"])
        .arg(&shown_file)
        .assert()
        .success();
}

#[test]
fn mine_needs_to_know_who_you_are() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.redb");
    guanai(&db, dir.path())
        .args(["overdue", "--mine"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--mine"));
}

#[test]
fn the_calendar_moves_the_duties() {
    let (_d, db, config) = school();
    let shown = stdout(guanai(&db, &config).args(["--user", "王校长", "calendar"]));
    assert!(
        shown.contains("2026秋  2026-09-01  2027-01-20  ← 本学期"),
        "{shown}"
    );
    // A holiday covering all of October: October's talk is no longer owed.
    guanai(&db, &config)
        .args([
            "--user",
            "王校长",
            "calendar",
            "holiday",
            "停课",
            "--start",
            "2026-10-01",
            "--end",
            "2026-10-31",
        ])
        .assert()
        .success();
    let rows = tsv_rows(&stdout(guanai(&db, &config).args([
        "--user",
        "王校长",
        "overdue",
        "--format",
        "tsv",
    ])));
    assert!(
        !rows.iter().any(|r| r[1] == "张小珠" && r[3] == "talk"),
        "{rows:?}"
    );
    // Overlapping terms and holidays outside terms are refused; a teacher may not change it.
    guanai(&db, &config)
        .args([
            "--user",
            "王校长",
            "calendar",
            "term",
            "新学期",
            "--start",
            "2026-12-01",
            "--end",
            "2027-03-01",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("重叠"));
    guanai(&db, &config)
        .args(["--user", "李老师", "calendar", "school", "别的学校"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("无权"));
}

#[test]
fn the_yearly_survey_clears_its_row_and_classes_match_however_typed() {
    let (_d, db, config) = school();
    let rows = |args: &[&str]| {
        tsv_rows(&stdout(
            guanai(&db, &config)
                .args(["--user", "王校长", "overdue", "--format", "tsv"])
                .args(args),
        ))
    };
    // Files opened on 1 Sep without a survey owe this school year's.
    assert!(
        rows(&[])
            .iter()
            .any(|r| r[1] == "张小珠" && r[3] == "resurvey")
    );
    guanai(&db, &config)
        .args([
            "--user",
            "李老师",
            "child",
            "survey",
            "张小珠",
            "--study",
            "数学偏弱",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("已复查档案 张小珠"));
    assert!(
        !rows(&[])
            .iter()
            .any(|r| r[1] == "张小珠" && r[3] == "resurvey")
    );
    let shown = stdout(guanai(&db, &config).args(["--user", "王校长", "child", "show", "张小珠"]));
    assert!(shown.contains("数学偏弱"), "{shown}");
    // Full-width brackets name the same class.
    assert!(!rows(&["--class", "七（2）班"]).is_empty());
    assert_eq!(
        rows(&["--class", "七（2）班"]),
        rows(&["--class", "七(2)班"])
    );
    // A future survey date is refused.
    guanai(&db, &config)
        .args([
            "--user",
            "李老师",
            "child",
            "survey",
            "张小珠",
            "--date",
            "2027-01-01",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("2027-01-01"));
}

#[test]
fn a_teacher_sees_the_queue_of_the_children_they_may_read() {
    let (_d, db, config) = school();
    let rows = |user: &str| {
        tsv_rows(&stdout(
            guanai(&db, &config).args(["--user", user, "overdue", "--format", "tsv"]),
        ))
    };
    let zhao = rows("赵老师");
    assert!(
        !zhao.is_empty() && zhao.iter().all(|r| r[2] == "八(1)班"),
        "{zhao:?}"
    );
    let li = rows("李老师");
    assert!(
        !li.is_empty() && li.iter().all(|r| r[2] == "七(2)班"),
        "{li:?}"
    );
    assert!(rows("王校长").len() >= zhao.len() + li.len());
}

/// The queue, the roster and the staff list only read: the database file is byte for byte
/// what it was, and no lock or notes file appears beside it.
#[test]
fn queries_leave_the_database_untouched() {
    let (dir, db, config) = school();
    let before = std::fs::read(&db).unwrap();
    let names = |dir: &Path| {
        let mut n: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    let files = names(dir.path());
    for args in [
        &["--user", "王校长", "overdue", "--format", "tsv"][..],
        &["--user", "李老师", "child", "list", "--format", "tsv"],
        &["--user", "王校长", "staff", "list"],
    ] {
        let out = stdout(guanai(&db, &config).args(args));
        assert!(out.lines().count() > 1, "{args:?}: {out}");
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{args:?} changed the file"
        );
        assert_eq!(names(dir.path()), files, "{args:?}");
    }
}

/// The TSV is written in two halves side by side; its lines are the JSON's rows, in the same
/// order, for every filter (the JSON is gathered in one pass).
#[test]
fn tsv_lines_are_the_json_rows_in_order_whatever_the_filter() {
    let (dir, db) = common::demo_school();
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    let run = |format: &str, extra: &[&str]| {
        stdout(
            guanai(&db, &config)
                .args(["--user", "吴大山", "overdue", "--format", format])
                .args(extra),
        )
    };
    let all: serde_json::Value = serde_json::from_str(&run("json", &[])).unwrap();
    let first = &all[0];
    let staff = first["assignee"].as_str().unwrap().to_string();
    let class = first["class"].as_str().unwrap().to_string();
    for extra in [
        vec![],
        vec!["--class", class.as_str()],
        vec!["--staff", staff.as_str()],
        vec!["--within", "30"],
    ] {
        let json: serde_json::Value = serde_json::from_str(&run("json", &extra)).unwrap();
        let expected: Vec<Vec<String>> = json
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let text = |k: &str| r[k].as_str().unwrap_or("").to_string();
                vec![
                    text("child_id"),
                    text("child_name"),
                    text("class"),
                    text("duty"),
                    text("due"),
                    r["days_overdue"].to_string(),
                    text("assignee"),
                    format!("{:.1}", r["urgency"].as_f64().unwrap()),
                ]
            })
            .collect();
        let tsv = tsv_rows(&run("tsv", &extra));
        assert!(tsv.len() > 2, "{extra:?}: rows in both halves");
        assert_eq!(tsv, expected, "{extra:?}");
    }
}
