//! The `guanai` binary, end to end: good input does what it says, bad input exits 2 with a
//! message naming the field, the value and what is accepted, and writes nothing.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

#[path = "../common/mod.rs"]
mod common;

fn guanai(db: &Path) -> Command {
    Command::from_std(common::guanai_process(db))
}

/// A school with an admin, a class teacher, and one child with a full file.
fn school() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("school.redb");
    guanai(&db)
        .args(["staff", "add", "王校长", "--role", "admin"])
        .assert()
        .success()
        .stdout(predicate::str::contains("王校长"));
    guanai(&db)
        .args(["--user", "王校长", "staff", "add", "李老师"])
        .args([
            "--role",
            "class-teacher",
            "--role",
            "mentor",
            "--class",
            "七(2)班",
        ])
        .assert()
        .success();
    guanai(&db)
        .args([
            "--user",
            "王校长",
            "child",
            "add",
            "--name",
            "张小珠",
            "--gender",
            "f",
        ])
        .args([
            "--birth",
            "2014-05-03",
            "--class",
            "七(2)班",
            "--student-no",
            "20240701",
        ])
        .args([
            "--type",
            "both",
            "--since",
            "2019-03-01",
            "--mentor",
            "李老师",
        ])
        .args(["--village", "青山村", "--boarding", "--key-support"])
        .args(["--father", "张大山", "--father-phone", "139 0000 0001"])
        .args(["--father-work", "广州电子厂", "--mother", "李春花"])
        .args([
            "--mother-phone",
            "13900000002",
            "--mother-work",
            "东莞服装厂",
        ])
        .args(["--guardian", "张奶奶", "--guardian-relation", "祖母"])
        .args(["--guardian-phone", "138-0000-0001"])
        .assert()
        .success()
        .stdout(predicate::str::contains("张小珠"));
    (dir, db)
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn roster_lists_the_child_in_every_format() {
    let (_dir, db) = school();
    let tsv = stdout(guanai(&db).args(["--user", "李老师", "child", "list", "--format", "tsv"]));
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(
        lines[0],
        "id\tstudent_no\tname\tgender\tbirth\tclass\ttype\tmentor\tvillage\tstatus"
    );
    assert_eq!(
        lines[1],
        "1\t20240701\t张小珠\tf\t2014-05-03\t七(2)班\tboth\t李老师\t青山村\tactive"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(guanai(&db).args([
        "--user",
        "李老师",
        "child",
        "list",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(json[0]["name"], "张小珠");
    assert_eq!(json[0]["mentor"], "李老师");
    let table = stdout(guanai(&db).args(["--user", "李老师", "child", "list"]));
    assert!(
        table.contains("双亲外出") && table.contains("共 1"),
        "{table}"
    );
    let en = stdout(guanai(&db).args(["--user", "李老师", "--lang", "en", "child", "list"]));
    assert!(
        en.contains("both parents") && en.contains("total 1"),
        "{en}"
    );
}

#[test]
fn show_prints_the_whole_file_with_grouped_phones() {
    let (_dir, db) = school();
    for reference in ["20240701", "张小珠"] {
        let out = stdout(guanai(&db).args(["--user", "李老师", "child", "show", reference]));
        for expected in [
            "张小珠",
            "七(2)班",
            "张大山  139 0000 0001  外出 广州电子厂",
            "张奶奶 (祖母)  138 0000 0001",
            "重点帮扶",
            "李老师",
            "2019-03-01",
        ] {
            assert!(out.contains(expected), "{expected:?} missing in:\n{out}");
        }
    }
    let json: serde_json::Value = serde_json::from_str(&stdout(guanai(&db).args([
        "--user",
        "李老师",
        "child",
        "show",
        "张小珠",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(json["parents"][0]["phone"], "13900000001");
    assert_eq!(json["birth"], "2014-05-03");
    // A parent away with no workplace on record is not 在家.
    guanai(&db)
        .args([
            "--user",
            "王校长",
            "child",
            "add",
            "--name",
            "李明",
            "--gender",
            "m",
        ])
        .args([
            "--birth",
            "2014-01-02",
            "--class",
            "七(2)班",
            "--type",
            "both",
        ])
        .args(["--father", "李大海", "--mother", "王小红"])
        .assert()
        .success();
    let out = stdout(guanai(&db).args(["--user", "王校长", "child", "show", "李明"]));
    assert!(out.contains("李大海  -  外出 (务工地未填)"), "{out}");
    assert!(!out.contains("在家"), "{out}");
    assert_eq!(json["mentor_name"], "李老师");
}

#[test]
fn log_then_timeline_newest_first() {
    let (_dir, db) = school();
    guanai(&db)
        .args(["--user", "李老师", "log", "talk", "--child", "张小珠"])
        .args([
            "--date",
            "2026-11-03",
            "--note",
            "期中考试后情绪低落, 已鼓励",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "已记录 2026-11-03 谈心 张小珠 (李老师)",
        ));
    guanai(&db)
        .args(["--user", "王校长", "log", "visit", "--child", "20240701"])
        .args(["--date", "11-20", "--by", "李老师", "--present", "奶奶"])
        .args(["--note", "奶奶反映作业无人辅导"])
        .assert()
        .success();
    guanai(&db)
        .args([
            "--user",
            "李老师",
            "log",
            "call",
            "--child",
            "张小珠",
            "--date",
            "-2",
        ])
        .assert()
        .success();
    let tsv =
        stdout(guanai(&db).args(["--user", "李老师", "timeline", "张小珠", "--format", "tsv"]));
    let lines: Vec<&str> = tsv.lines().collect();
    assert_eq!(lines[0], "id\tdate\tkind\tstaff\tpresent\tnote\tvoided");
    // Each entry's number first (what `guanai event edit` takes), nothing voided last.
    let entry = |line: &str| -> (u64, String) {
        let (id, rest) = line.split_once('\t').unwrap();
        (id.parse().unwrap(), rest.to_string())
    };
    let (call, rest) = entry(lines[1]);
    assert_eq!(rest, "2026-11-27\tcall\t李老师\t\t\t");
    let (visit, rest) = entry(lines[2]);
    assert_eq!(
        rest,
        "2026-11-20\tvisit\t李老师\t奶奶\t奶奶反映作业无人辅导\t"
    );
    let (talk, rest) = entry(lines[3]);
    assert_eq!(
        rest,
        "2026-11-03\ttalk\t李老师\t\t期中考试后情绪低落, 已鼓励\t"
    );
    let mut ids = [call, visit, talk];
    ids.sort();
    assert!(ids[0] != ids[1] && ids[1] != ids[2], "{ids:?}");
    let table = stdout(guanai(&db).args(["--user", "李老师", "timeline", "张小珠"]));
    assert!(
        table.contains("家访") && table.contains("[奶奶]"),
        "{table}"
    );
}

#[test]
fn counselling_notes_are_withheld_from_other_staff() {
    let (_dir, db) = school();
    guanai(&db)
        .args([
            "--user",
            "王校长",
            "staff",
            "add",
            "陈老师",
            "--role",
            "counselor",
        ])
        .assert()
        .success();
    guanai(&db)
        .args(["--user", "陈老师", "log", "counseling", "--child", "张小珠"])
        .args(["--note", "焦虑, 家中变故"])
        .assert()
        .success()
        .stdout(predicate::str::contains("家中变故").not());
    let teacher = stdout(guanai(&db).args(["--user", "李老师", "timeline", "张小珠"]));
    assert!(!teacher.contains("家中变故") && teacher.contains("仅心理辅导教师可见"));
    let counselor = stdout(guanai(&db).args(["--user", "陈老师", "timeline", "张小珠"]));
    assert!(counselor.contains("家中变故"));
}

#[test]
fn archive_removes_from_the_roster_and_keeps_the_file() {
    let (_dir, db) = school();
    guanai(&db)
        .args([
            "--user",
            "李老师",
            "child",
            "archive",
            "张小珠",
            "--reason",
            "父母返乡",
        ])
        .assert()
        .success();
    let active = stdout(guanai(&db).args(["--user", "李老师", "child", "list", "--format", "tsv"]));
    assert_eq!(active.lines().count(), 1, "{active}");
    let all = stdout(guanai(&db).args(["--user", "李老师", "child", "list", "--archived"]));
    assert!(all.contains("已归档: 父母返乡"), "{all}");
    guanai(&db)
        .args(["--user", "李老师", "log", "talk", "--child", "张小珠"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("已于 2026-11-29 归档"));
}

/// What a refused command must leave unchanged: the change sequence (every committed change
/// bumps it), the events and every file. (redb rewrites a few header bytes whenever a file is
/// opened, so the bytes themselves are not the measure.)
fn state(db: &Path) -> (u64, u64, String) {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
    let s = guanai::service::Service::open(
        db,
        today,
        guanai::service::Identity::Staff("王校长".into()),
    )
    .unwrap();
    let roster = serde_json::to_string(&s.roster(true).unwrap()).unwrap();
    (s.change_seq().unwrap(), s.event_count().unwrap(), roster)
}

/// Bad input: (arguments, words the message must contain). Each must exit 2 with one message
/// and write nothing.
#[test]
fn bad_input_exits_2_names_the_field_and_value_and_writes_nothing() {
    let (_dir, db) = school();
    guanai(&db)
        .args([
            "--user",
            "王校长",
            "child",
            "add",
            "--name",
            "张小珠",
            "--gender",
            "m",
        ])
        .args([
            "--birth",
            "2013-01-01",
            "--class",
            "八(1)班",
            "--student-no",
            "20240801",
        ])
        .assert()
        .success();
    // `child add` with the required fields, some replaced or added.
    let add = |changes: &[(&str, &str)]| -> Vec<String> {
        let mut fields = vec![
            ("--name", "王五"),
            ("--gender", "m"),
            ("--birth", "2014-01-01"),
            ("--class", "七(2)班"),
        ];
        for (flag, value) in changes {
            match fields.iter_mut().find(|(f, _)| f == flag) {
                Some(field) => field.1 = value,
                None => fields.push((flag, value)),
            }
        }
        let mut args = vec!["child".to_string(), "add".to_string()];
        for (flag, value) in fields {
            args.extend([flag.to_string(), value.to_string()]);
        }
        args
    };
    let words = |s: &str| -> Vec<String> { s.split(' ').map(String::from).collect() };
    #[rustfmt::skip]
    let cases: Vec<(Vec<String>, Vec<&str>)> = vec![
        (words("log party --child 20240701"), vec!["类别", "party", "talk", "visit"]),
        (words("log talk --child 20240701 --date 2026-02-30"), vec!["日期", "2026-02-30", "这一天不存在", "只有 28 天"]),
        (words("log talk --child 20240701 --date 2026-12-25"), vec!["日期", "2026-12-25", "不晚于今天"]),
        (words("log talk --child 王五"), vec!["王五", "学号"]),
        (words("log talk --child 张小珠"), vec!["张小珠", "20240701", "20240801"]),
        (words("log talk --child 20240701 --by 赵老师"), vec!["赵老师", "王校长", "李老师"]),
        (add(&[("--gender", "x")]), vec!["性别", "x", "男"]),
        (add(&[("--birth", "2014-13-01")]), vec!["出生日期", "2014-13-01"]),
        (add(&[("--father", "王大"), ("--father-phone", "12ab")]), vec!["电话", "12ab", "7 到 15 位"]),
        (add(&[("--student-no", "20240701")]), vec!["学号", "20240701", "张小珠"]),
        (add(&[("--type", "none")]), vec!["留守类型", "none", "双亲外出"]),
        (add(&[("--mentor", "某某")]), vec!["某某", "李老师"]),
        (add(&[("--name", "  ")]), vec!["姓名", "不能为空"]),
        (add(&[("--father-phone", "13900000001")]), vec!["--father", "姓名"]),
        (words("child show 99999"), vec!["99999"]),
        (vec!["child".into(), "archive".into(), "20240701".into(), "--reason".into(), " ".into()], vec!["--reason"]),
        (words("staff add 新老师 --role janitor"), vec!["--role", "janitor", "class-teacher"]),
        (words("staff add 李老师 --role mentor"), vec!["李老师", "已有"]),
        (words("demo"), vec!["--db", "已有数据"]),
    ];
    let before = state(&db);
    for (args, words) in cases {
        let out = guanai(&db)
            .args(["--user", "王校长"])
            .args(&args)
            .assert()
            .code(2);
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        for w in words {
            assert!(stderr.contains(w), "{args:?}: {w:?} missing in {stderr:?}");
        }
        assert_eq!(
            stderr.lines().count(),
            1,
            "{args:?}: one clear message: {stderr:?}"
        );
        assert_eq!(state(&db), before, "{args:?} changed the database");
    }
}

#[test]
fn a_bad_today_is_refused() {
    let (_dir, db) = school();
    Command::new(env!("CARGO_BIN_EXE_guanai"))
        .arg("--db")
        .arg(&db)
        .args(["--today", "29/11/2026", "--user", "王校长", "child", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--today: 不接受 \"29/11/2026\"。应为 1900 到 2200 年间 YYYY-MM-DD",
        ));
}

#[test]
fn messages_follow_the_language() {
    let (_dir, db) = school();
    guanai(&db)
        .args([
            "--lang",
            "en",
            "--user",
            "王校长",
            "log",
            "talk",
            "--child",
            "20240701",
        ])
        .args(["--date", "2026-02-30"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "date: \"2026-02-30\" is not accepted",
        ));
    guanai(&db)
        .args([
            "--lang",
            "en",
            "--user",
            "王校长",
            "log",
            "talk",
            "--child",
            "王五",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no child \"王五\""));
}

#[test]
fn identity_comes_from_the_user_once_there_is_an_admin() {
    let (_dir, db) = school();
    // An unknown --user is refused and the staff are listed.
    guanai(&db)
        .args(["--user", "路人", "child", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("路人").and(predicate::str::contains("王校长")));
    // A class teacher may not add staff.
    guanai(&db)
        .args([
            "--user",
            "李老师",
            "staff",
            "add",
            "新老师",
            "--role",
            "mentor",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("无权添加教师"));
    // --by defaults to the current user.
    guanai(&db)
        .args(["--user", "李老师", "log", "guardian", "--child", "张小珠"])
        .assert()
        .success()
        .stdout(predicate::str::contains("(李老师)"));
}

#[test]
fn the_unix_user_identifies_staff() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.redb");
    let me = guanai::cli::unix_user().unwrap_or_else(|| "root".into());
    guanai(&db)
        .args([
            "staff",
            "add",
            "王校长",
            "--role",
            "admin",
            "--unix-user",
            &me,
        ])
        .assert()
        .success();
    // No --user: the Unix account running guanai is the admin.
    guanai(&db)
        .args([
            "staff",
            "add",
            "李老师",
            "--role",
            "mentor",
            "--unix-user",
            "lils",
        ])
        .assert()
        .success();
    let list = stdout(guanai(&db).args(["staff", "list", "--format", "tsv"]));
    assert!(list.contains(&format!("王校长\t管理员\t\t{me}")), "{list}");
    assert!(list.contains("李老师\t帮扶教师\t\tlils"), "{list}");
}

#[test]
fn without_staff_logging_needs_by() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.redb");
    guanai(&db)
        .args([
            "child",
            "add",
            "--name",
            "张小珠",
            "--gender",
            "f",
            "--birth",
            "2014-05-03",
        ])
        .args(["--class", "七(2)班"])
        .assert()
        .success();
    guanai(&db)
        .args(["log", "talk", "--child", "张小珠"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--by"));
}

#[test]
fn demo_builds_a_school_and_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.redb"), dir.path().join("b.redb"));
    for db in [&a, &b] {
        guanai(db)
            .args(["demo", "--children", "40", "--seed", "5"])
            .assert()
            .success()
            .stdout(predicate::str::contains("40 名学生"));
    }
    let list = |db: &Path| stdout(guanai(db).args(["child", "list", "--format", "tsv"]));
    let (la, lb) = (list(&a), list(&b));
    assert_eq!(la, lb);
    assert_eq!(la.lines().count(), 41);
    // The oldest child (last class) has three terms of history.
    let first = la
        .lines()
        .last()
        .unwrap()
        .split('\t')
        .nth(1)
        .unwrap()
        .to_string();
    let timeline = |db: &Path| stdout(guanai(db).args(["timeline", &first, "--format", "tsv"]));
    assert_eq!(timeline(&a), timeline(&b));
    assert!(timeline(&a).lines().count() > 20);
    guanai(&a)
        .args(["demo", "--children", "0"])
        .assert()
        .code(2);
}

#[test]
fn demo_flag_shows_a_temporary_school() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("real.redb");
    let out = stdout(guanai(&db).arg("--demo"));
    assert!(
        out.contains("青山镇中心学校") && out.contains("共 120"),
        "{out}"
    );
    assert!(!db.exists(), "--demo must not touch the real database");
}

#[test]
fn help_explains_options_with_examples_and_completions_print() {
    for sub in [
        vec!["--help"],
        vec!["staff", "add", "--help"],
        vec!["child", "add", "--help"],
        vec!["child", "show", "--help"],
        vec!["child", "archive", "--help"],
        vec!["log", "--help"],
        vec!["timeline", "--help"],
        vec!["demo", "--help"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_guanai"))
            .args(&sub)
            .assert()
            .success();
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(text.contains("Example"), "{sub:?} has no example:\n{text}");
    }
    let bash = Command::new(env!("CARGO_BIN_EXE_guanai"))
        .args(["completions", "bash"])
        .assert()
        .success();
    let text = String::from_utf8(bash.get_output().stdout.clone()).unwrap();
    assert!(text.contains("_guanai") && text.contains("timeline"));
}

#[test]
fn the_database_is_private_and_user_is_believed_only_on_a_private_file() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, db) = school();
    let mode = std::fs::metadata(&db).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "created for its owner only");
    // Shared with a group, the file no longer lets anyone claim to be anyone.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o660)).unwrap();
    guanai(&db)
        .args(["--user", "李老师", "child", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--user"));
}

#[test]
fn command_line_mistakes_are_explained_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.redb");
    for (args, words) in [
        (
            vec!["child", "list", "--format", "xml"],
            vec!["--format", "xml", "table, tsv, json"],
        ),
        (vec!["--bogus"], vec!["未知选项", "--bogus"]),
        (vec!["frob"], vec!["未知命令", "frob"]),
        (vec!["log"], vec!["缺少必填项", "--child"]),
        (
            vec!["demo", "--children", "0"],
            vec!["--children", "\"0\"", "1 到 50000"],
        ),
        (
            vec!["--lang", "en", "child", "list", "--format", "xml"],
            vec!["invalid value 'xml'"],
        ),
    ] {
        let out = guanai(&db).args(&args).assert().code(2);
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
        for w in words {
            assert!(stderr.contains(w), "{args:?}: {w:?} missing in {stderr}");
        }
    }
    assert!(!db.exists(), "nothing was created");
}

#[test]
fn show_as_tsv_is_tsv() {
    let (_dir, db) = school();
    let tsv = stdout(guanai(&db).args([
        "--user",
        "李老师",
        "child",
        "show",
        "张小珠",
        "--format",
        "tsv",
    ]));
    assert!(tsv.starts_with("项目\t内容\n"), "{tsv}");
    assert!(tsv.contains("姓名\t张小珠\n"), "{tsv}");
}

#[test]
fn a_database_anyone_can_read_is_refused_with_the_fix() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, db) = school();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&db).unwrap();
    guanai(&db)
        .args(["--user", "王校长", "child", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("chmod o-rwx").and(predicate::str::contains("644")));
    assert!(std::fs::read(&db).unwrap() == before);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    guanai(&db)
        .args(["--user", "王校长", "child", "list"])
        .assert()
        .success();
}

#[test]
fn the_audit_log_shows_who_changed_what_to_admins_only() {
    let (_dir, db) = school();
    guanai(&db)
        .args([
            "--user",
            "李老师",
            "log",
            "talk",
            "--child",
            "张小珠",
            "--note",
            "谈心一",
        ])
        .assert()
        .success();
    guanai(&db)
        .args([
            "--user",
            "李老师",
            "child",
            "archive",
            "张小珠",
            "--reason",
            "转学",
        ])
        .assert()
        .success();
    let tsv = stdout(guanai(&db).args([
        "--user",
        "王校长",
        "audit",
        "--child",
        "张小珠",
        "--format",
        "tsv",
    ]));
    let rows: Vec<Vec<&str>> = tsv
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    let commands: Vec<&str> = rows.iter().map(|r| r[3]).collect();
    assert_eq!(
        commands,
        ["add_child", "log_event", "archive_child"],
        "{tsv}"
    );
    assert_eq!(rows[1][2], "李老师");
    assert!(
        rows[2][5].contains("Active") && rows[2][6].contains("Transferred"),
        "before and after"
    );
    let by_li = stdout(guanai(&db).args([
        "--user",
        "王校长",
        "audit",
        "--staff",
        "李老师",
        "--format",
        "tsv",
    ]));
    assert_eq!(by_li.lines().count(), 3, "{by_li}");
    let since = stdout(guanai(&db).args([
        "--user",
        "王校长",
        "audit",
        "--since",
        "2026-12-01",
        "--format",
        "tsv",
    ]));
    assert_eq!(since.lines().count(), 1, "{since}");
    let table = stdout(guanai(&db).args(["--user", "王校长", "audit"]));
    assert!(
        table.contains("add_staff") && table.contains("(建校设置)"),
        "{table}"
    );
    guanai(&db)
        .args(["--user", "李老师", "audit"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("查看操作记录"));
}

mod corrections;
mod safety;

/// On Linux with glibc the program is linked at a fixed address (build.rs), unless built
/// with `GUANAI_PIE`: the loader then writes no relocated pointers at each start
/// (docs/performance.md, start-up). An ELF header's type at byte 16 is 2 for a fixed-address
/// program and 3 for a position-independent one.
#[cfg(all(
    target_os = "linux",
    target_env = "gnu",
    not(target_feature = "crt-static")
))]
#[test]
fn program_is_linked_at_a_fixed_address() {
    if option_env!("GUANAI_PIE").is_some() {
        return;
    }
    use std::io::Read;
    let mut bytes = [0u8; 18];
    std::fs::File::open(env!("CARGO_BIN_EXE_guanai"))
        .and_then(|mut f| f.read_exact(&mut bytes))
        .unwrap();
    assert_eq!(&bytes[..4], b"\x7fELF");
    let kind = u16::from_le_bytes([bytes[16], bytes[17]]);
    assert_eq!(
        kind, 2,
        "ELF type {kind}: 2 is a fixed-address program, 3 is PIE"
    );
}
