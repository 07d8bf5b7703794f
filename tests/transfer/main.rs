//! Import, export, backup, restore and check from the command line, on the fixture corpus in
//! tests/fixtures/import/.

#[path = "../common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

const FIXTURES: &str = "tests/fixtures/import";

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

fn guanai(db: &Path) -> Command {
    as_user(db, "王校长")
}

/// The binary on `db`, run as the staff member `user`.
fn as_user(db: &Path, user: &str) -> Command {
    let mut cmd = Command::from_std(common::guanai_process(db));
    cmd.args(["--user", user]);
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

/// A school with its admin and the mentor 李老师 the fixtures name.
fn school() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.redb");
    Command::from_std(common::guanai_process(&db))
        .args(["staff", "add", "王校长", "--role", "admin"])
        .assert()
        .success();
    guanai(&db)
        .args([
            "staff",
            "add",
            "李老师",
            "--role",
            "class-teacher",
            "--class",
            "七(2)班",
        ])
        .assert()
        .success();
    (dir, db)
}

/// The school with the fixture roster good.csv imported.
fn school_with_roster() -> (tempfile::TempDir, PathBuf) {
    let (d, db) = school();
    import(&db, "good.csv");
    (d, db)
}

/// The counsellor 陈老师 added to the school at `db`.
fn add_counsellor(db: &Path) {
    guanai(db)
        .args(["staff", "add", "陈老师", "--role", "counselor"])
        .assert()
        .success();
}

/// 陈老师 logs a counselling session for 20240701 with `note`.
fn counselling(db: &Path, note: &str) {
    as_user(db, "陈老师")
        .args(["log", "counseling", "--child", "20240701", "--note", note])
        .assert()
        .success();
}

/// Imports the fixture `file` into `db`, which must succeed.
fn import(db: &Path, file: &str) {
    guanai(db)
        .arg("import")
        .arg(fixture(file))
        .assert()
        .success();
}

fn roster(db: &Path) -> Vec<serde_json::Value> {
    let json = stdout(guanai(db).args(["child", "list", "--format", "json"]));
    serde_json::from_str::<Vec<serde_json::Value>>(&json).unwrap()
}

fn file_of(db: &Path, reference: &str) -> serde_json::Value {
    serde_json::from_str(&stdout(
        guanai(db).args(["child", "show", reference, "--format", "json"]),
    ))
    .unwrap()
}

#[test]
fn every_good_file_imports_the_same_children() {
    for name in ["good.csv", "good-bom.csv", "good-gbk.csv", "good.xlsx"] {
        let (_d, db) = school();
        guanai(&db)
            .args(["import"])
            .arg(fixture(name))
            .assert()
            .success()
            .stdout(predicate::str::contains("新建 5 名"));
        let children = roster(&db);
        assert_eq!(children.len(), 5, "{name}");
        let zeng = file_of(&db, "20240701");
        assert_eq!(zeng["name"], "曾雨涵", "{name}");
        assert_eq!(
            zeng["birth"], "2012-03-14",
            "{name}: an Excel date cell, or text"
        );
        assert_eq!(zeng["parents"][0]["phone"], "13800000001", "{name}");
        assert_eq!(zeng["guardian"]["relation"], "祖母", "{name}");
        assert_eq!(zeng["mentor_name"], "李老师", "{name}");
        assert_eq!(zeng["support"]["key_support"], true, "{name}");
        assert_eq!(
            zeng["status_history"][0]["date"], "2024-09-02",
            "{name}: 建档日期"
        );
        let xie = file_of(&db, "20240703");
        assert_eq!(xie["birth"], "2012-11-20", "{name}");
        assert_eq!(
            xie["buddies"],
            serde_json::json!(["曾雨涵", "李佳怡"]),
            "{name}"
        );
        let wang = file_of(&db, "20240704");
        assert_eq!(wang["birth"], "2013-01-08", "{name}: 2013年1月8日");
        let li = file_of(&db, "李小燕");
        assert_eq!(
            li["left_behind"]["kind"], "BothParents",
            "{name}: empty type"
        );
    }
    // In the workbook, =1+1 is text, never run.
    let (_d, db) = school();
    import(&db, "good.xlsx");
    assert_eq!(file_of(&db, "20240702")["support"]["special_needs"], "=1+1");
}

#[test]
fn mixed_line_endings_and_english_headers_import() {
    let (_d, db) = school();
    import(&db, "mixed-endings.csv");
    assert_eq!(roster(&db).len(), 4);
    let (_d, db) = school();
    import(&db, "english-headers.csv");
    assert_eq!(roster(&db).len(), 3);
}

/// (file, words the message must contain). Each exits 2 and leaves the database file byte for
/// byte as it was.
#[test]
fn bad_files_are_refused_and_the_database_is_untouched() {
    let (_d, db) = school_with_roster();
    let cases: &[(&str, &[&str])] = &[
        ("empty.csv", &["empty.csv", "空"]),
        ("truncated.xlsx", &["truncated.xlsx", "工作簿"]),
        ("garbage.xlsx", &["garbage.xlsx", "工作簿"]),
        ("garbage.csv", &["garbage.csv", "二进制"]),
        ("wrong-headers.csv", &["foo,bar,baz", "姓名 (name)"]),
        ("missing-column.csv", &["必须有这些列: 出生日期"]),
        (
            "bad-dates.csv",
            &[
                "第 3 行, 出生日期: \"2014-13-45\"",
                "第 4 行, 出生日期: \"明年\"",
                "第 5 行, 性别: \"未知\"",
                "第 5 行, 父亲电话: \"12ab\"",
                // Its good row 2 is a child already on file: said in the same answer.
                "第 2 行, 学号: \"20240701\"",
                "5 处",
            ],
        ),
        (
            "duplicate-rows.csv",
            &["第 4 行, 学号: \"20240701\"", "第 2 行"],
        ),
        (
            "huge-cell.csv",
            &["第 2 行, 特殊需要", "1048576", "不超过 300 个字"],
        ),
        (
            "gbk-bad-row.csv",
            &[
                "第 3 行, 出生日期: \"2014-02-30\"",
                "这一天不存在, 那年这个月只有 28 天",
            ],
        ),
        ("mixed-endings-bad.csv", &["第 5 行, 性别: \"x\""]),
        (
            "unclosed-quote.csv",
            &["第 3 行: 这里的引号 (\") 没有配对", "删掉多余的引号"],
        ),
        (
            "hidden-controls.csv",
            &[
                "第 2 行, 姓名: \"\\u{202e}涵雨曾\"",
                "第 3 行, 村: \"石门村\\u{1b}[31m\"",
                "文字方向控制符",
            ],
        ),
        ("good.csv", &["已有 曾雨涵", "--update"]),
    ];
    let before = std::fs::read(&db).unwrap();
    for (name, words) in cases {
        let out = guanai(&db)
            .arg("import")
            .arg(fixture(name))
            .assert()
            .code(2);
        let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        for w in *words {
            assert!(stderr.contains(w), "{name}: {w:?} missing in {stderr}");
        }
        assert!(
            stderr.contains("没有写入") || stderr.lines().count() == 1,
            "{name}: {stderr}"
        );
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{name} changed the database file"
        );
    }
    // A dry run lists and writes nothing either.
    let out = stdout(
        guanai(&db)
            .args(["import", "--dry-run", "--update"])
            .arg(fixture("good.csv")),
    );
    // good.csv is on file already: its rows change nothing, as the import itself would say.
    assert!(
        out.contains("未变 第 2: 曾雨涵") && out.contains("未变 5 名") && out.contains("试运行"),
        "{out}"
    );
    assert!(std::fs::read(&db).unwrap() == before);
    // English messages too.
    guanai(&db)
        .args(["--lang", "en", "import"])
        .arg(fixture("bad-dates.csv"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "line 3, 出生日期: \"2014-13-45\" is not accepted",
        ));
}

#[test]
fn update_replaces_roster_columns_and_keeps_the_rest() {
    let (_d, db) = school_with_roster();
    guanai(&db)
        .args([
            "log",
            "talk",
            "--child",
            "20240701",
            "--by",
            "李老师",
            "--date",
            "2026-11-20",
        ])
        .assert()
        .success();
    guanai(&db)
        .args(["import", "--update"])
        .arg(fixture("good.csv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("更新 0 名, 未变 5 名"));
    // Edit one cell of the export and bring it back.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("roster.csv");
    guanai(&db)
        .args(["export", "--format", "csv", "--out"])
        .arg(&csv)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.starts_with('\u{feff}') && text.contains("\r\n"),
        "BOM and CRLF for Excel"
    );
    std::fs::write(&csv, text.replace("青山村三组12号", "青山村三组13号")).unwrap();
    guanai(&db)
        .args(["import", "--update"])
        .arg(&csv)
        .assert()
        .success()
        .stdout(predicate::str::contains("更新 1 名, 未变 4 名"));
    let zeng = file_of(&db, "20240701");
    assert_eq!(zeng["address"], "青山村三组13号");
    assert_eq!(zeng["version"], 2);
    let timeline = stdout(guanai(&db).args(["timeline", "20240701", "--format", "tsv"]));
    assert_eq!(
        timeline.lines().count(),
        2,
        "the timeline is kept: {timeline}"
    );
}

#[test]
fn export_import_round_trips_through_excel_and_neutralises_formulas() {
    let (_d, db) = school_with_roster();
    guanai(&db)
        .args([
            "child",
            "add",
            "--name",
            "钱多多",
            "--gender",
            "m",
            "--birth",
            "2013-01-01",
            "--class",
            "七(2)班",
        ])
        .args([
            "--student-no",
            "20249999",
            "--special-needs",
            "=HYPERLINK(\"http://x\")",
            "--father",
            "钱大",
            "--father-phone",
            "+86 138 0000 0009",
        ])
        .assert()
        .success();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("r.csv");
    let xlsx = dir.path().join("r.xlsx");
    guanai(&db)
        .args(["export", "--format", "csv", "--out"])
        .arg(&csv)
        .assert()
        .success();
    guanai(&db)
        .args(["export", "--format", "xlsx", "--what", "all", "--out"])
        .arg(&xlsx)
        .assert()
        .success();
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("'=HYPERLINK"), "neutralised in CSV");
    assert!(text.contains("'+8613800000009"), "a leading + too");
    for file in [&csv, &xlsx] {
        // Into a fresh school: the same roster comes out.
        let (_d2, fresh) = school();
        guanai(&fresh).arg("import").arg(file).assert().success();
        let a: Vec<_> = roster(&db);
        let b: Vec<_> = roster(&fresh);
        let strip = |v: &[serde_json::Value]| -> Vec<serde_json::Value> {
            v.iter()
                .map(|c| {
                    let mut c = c.clone();
                    c.as_object_mut().unwrap().remove("id");
                    c
                })
                .collect()
        };
        assert_eq!(strip(&a), strip(&b), "{}", file.display());
        assert_eq!(
            file_of(&fresh, "20249999")["support"]["special_needs"],
            "=HYPERLINK(\"http://x\")"
        );
        // And back onto the original with --update: nothing changes.
        guanai(&db)
            .args(["import", "--update"])
            .arg(file)
            .assert()
            .success()
            .stdout(predicate::str::contains("更新 0 名, 未变 6 名"));
    }
}

#[test]
fn csv_cannot_hold_everything_and_xlsx_needs_a_file() {
    let (_d, db) = school();
    guanai(&db)
        .args(["export", "--format", "csv", "--what", "all"])
        .assert()
        .code(2);
    guanai(&db)
        .args(["export", "--format", "xlsx"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--out"));
    let events = stdout(guanai(&db).args(["export", "--format", "csv", "--what", "events"]));
    assert!(events.starts_with("\u{feff}学号,姓名,班级,日期,类别,教师,在场人员,记录,待跟进\r\n"));
}

#[test]
fn sheets_are_chosen_by_name_or_by_their_headers() {
    let (_d, db) = school();
    // Without --sheet the 说明 sheet is skipped for 花名册, whose first row holds the headers.
    guanai(&db)
        .args(["import", "--dry-run"])
        .arg(fixture("good.xlsx"))
        .assert()
        .success();
    guanai(&db)
        .args(["import", "--dry-run", "--sheet", "花名册"])
        .arg(fixture("good.xlsx"))
        .assert()
        .success()
        .stdout(predicate::str::contains("将新建 5 名"));
    guanai(&db)
        .args(["import", "--sheet", "七年级"])
        .arg(fixture("good.xlsx"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("七年级").and(predicate::str::contains("说明, 花名册")));
    guanai(&db)
        .args(["import", "--sheet", "说明"])
        .arg(fixture("good.xlsx"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("姓名 (name)"));
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const HEADER: &str = "学号,姓名,性别,出生日期,班级,留守起始日期,建档日期\n";

#[test]
fn the_services_own_rules_are_checked_before_anything_is_written() {
    let (d, db) = school();
    import(&db, "good.csv");
    let before = std::fs::read(&db).unwrap();
    let bad = write(
        d.path(),
        "svc.csv",
        &format!(
            "{HEADER}30000001,甲,男,1980-01-01,七(2)班,,\n30000002,乙,女,2014-01-01,七(2)班,2010-01-01,\n20240701,丙,男,2014-01-01,七(2)班,,2013-01-01\n"
        ),
    );
    let out = guanai(&db).arg("import").arg(&bad).assert().code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    for w in [
        "第 2 行, 出生日期",
        "第 3 行, 留守起始日期",
        "第 4 行",
        "曾雨涵",
        "3 处",
    ] {
        assert!(stderr.contains(w), "{w:?} missing in {stderr}");
    }
    assert!(
        std::fs::read(&db).unwrap() == before,
        "the database was touched"
    );
    // Two rows naming one child on file.
    let twice = write(
        d.path(),
        "twice.csv",
        "学号,姓名,性别,出生日期,班级\n20240701,曾雨涵,女,2012-03-14,七(2)班\n,曾雨涵,女,2012-03-14,七(2)班\n",
    );
    guanai(&db)
        .args(["import", "--update"])
        .arg(&twice)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("第 3 行").and(predicate::str::contains("第 2 行")));
    assert!(std::fs::read(&db).unwrap() == before);
    // A header and no rows.
    let empty = write(d.path(), "header-only.csv", HEADER);
    guanai(&db)
        .arg("import")
        .arg(&empty)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("至少一行"));
    assert!(std::fs::read(&db).unwrap() == before);
}

#[test]
fn dates_as_numbers_and_formulas_as_their_saved_values() {
    let (d, db) = school();
    let csv = write(
        d.path(),
        "numbers.csv",
        "姓名,性别,出生日期,班级\n数字甲,男,41397,七(2)班\n数字乙,女,20140503,七(2)班\n",
    );
    guanai(&db).arg("import").arg(&csv).assert().success();
    assert_eq!(file_of(&db, "数字甲")["birth"], "2013-05-03");
    assert_eq!(file_of(&db, "数字乙")["birth"], "2014-05-03");
    // A workbook with real formula cells and a student number stored as a number.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["学号", "姓名", "性别", "出生日期", "班级", "特殊需要"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_number(1, 0, 20250101.0).unwrap();
    sheet.write_string(1, 1, "公式甲").unwrap();
    sheet.write_string(1, 2, "男").unwrap();
    sheet.write_string(1, 3, "2013-02-03").unwrap();
    sheet.write_string(1, 4, "七(2)班").unwrap();
    sheet
        .write_formula(1, 5, rust_xlsxwriter::Formula::new("=1+1").set_result("2"))
        .unwrap();
    let xlsx = d.path().join("formula.xlsx");
    book.save(&xlsx).unwrap();
    guanai(&db).arg("import").arg(&xlsx).assert().success();
    let f = file_of(&db, "20250101");
    assert_eq!(f["name"], "公式甲");
    assert_eq!(
        f["support"]["special_needs"], "2",
        "the value the spreadsheet saved, never the formula's text nor a value computed here"
    );
}

#[test]
fn quotes_survive_the_round_trip() {
    let (d, db) = school();
    guanai(&db)
        .args([
            "child",
            "add",
            "--name",
            "'引号",
            "--gender",
            "m",
            "--birth",
            "2013-01-01",
            "--class",
            "七(2)班",
        ])
        .args(["--student-no", "'001", "--special-needs", "'=x"])
        .assert()
        .success();
    let csv = d.path().join("q.csv");
    guanai(&db)
        .args(["export", "--format", "csv", "--out"])
        .arg(&csv)
        .assert()
        .success();
    guanai(&db)
        .args(["import", "--update"])
        .arg(&csv)
        .assert()
        .success()
        .stdout(predicate::str::contains("更新 0 名, 未变 1 名"));
}

#[test]
fn a_class_teacher_imports_only_into_their_classes() {
    let (_d, db) = school();
    let before = std::fs::read(&db).unwrap();
    // good.csv has children of 七(1)班 and 六(3)班 too: 李老师 teaches 七(2)班 only.
    let out = as_user(&db, "李老师")
        .args(["import"])
        .arg(fixture("good.csv"))
        .assert()
        .code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("第 4 行") && stderr.contains("第 5 行") && stderr.contains("无权"),
        "{stderr}"
    );
    // The refusal is about the row, not a cell: no empty column name or quoted value.
    assert!(
        stderr.contains("第 4 行: 李老师 无权") && !stderr.contains(": \"\""),
        "{stderr}"
    );
    assert!(std::fs::read(&db).unwrap() == before);
}

mod backup;
mod hostile;
mod identity;
mod messages;
mod real;
mod restore;
