//! Import, export, backup, restore and check from the command line, on the fixture corpus in
//! tests/fixtures/import/.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

const FIXTURES: &str = "tests/fixtures/import";

fn fixture(name: &str) -> PathBuf {
    Path::new(FIXTURES).join(name)
}

fn guanai(db: &Path) -> Command {
    let mut cmd = Command::from_std(common::guanai_process(db));
    cmd.args(["--user", "王校长"]);
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
    guanai(&db)
        .arg("import")
        .arg(fixture("good.xlsx"))
        .assert()
        .success();
    assert_eq!(file_of(&db, "20240702")["support"]["special_needs"], "=1+1");
}

#[test]
fn mixed_line_endings_and_english_headers_import() {
    let (_d, db) = school();
    guanai(&db)
        .arg("import")
        .arg(fixture("mixed-endings.csv"))
        .assert()
        .success();
    assert_eq!(roster(&db).len(), 4);
    let (_d, db) = school();
    guanai(&db)
        .arg("import")
        .arg(fixture("english-headers.csv"))
        .assert()
        .success();
    assert_eq!(roster(&db).len(), 3);
}

/// (file, words the message must contain). Each exits 2 and leaves the database file byte for
/// byte as it was.
#[test]
fn bad_files_are_refused_and_the_database_is_untouched() {
    let (_d, db) = school();
    guanai(&db)
        .arg("import")
        .arg(fixture("good.csv"))
        .assert()
        .success();
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
                "4 处",
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
        ("gbk-bad-row.csv", &["第 3 行, 出生日期: \"2014-02-30\""]),
        ("mixed-endings-bad.csv", &["第 5 行, 性别: \"x\""]),
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
    assert!(
        out.contains("更新 第 2: 曾雨涵") && out.contains("试运行"),
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
    let (_d, db) = school();
    guanai(&db)
        .arg("import")
        .arg(fixture("good.csv"))
        .assert()
        .success();
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
    let (_d, db) = school();
    guanai(&db)
        .arg("import")
        .arg(fixture("good.csv"))
        .assert()
        .success();
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
    let (_d, db) = school();
    guanai(&db)
        .arg("import")
        .arg(fixture("good.csv"))
        .assert()
        .success();
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
    assert!(notes_in_backup <= 15);
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
        .filter(|e| e.file_name().to_string_lossy().contains(".replaced-"))
        .collect();
    assert_eq!(kept.len(), 1);
    let timeline = stdout(guanai(&db).args(["timeline", "20240701", "--format", "tsv"]));
    assert_eq!(timeline.lines().count() - 1, notes_in_backup);
    guanai(&db).arg("check").assert().success();
}

#[test]
fn check_finds_what_is_wrong() {
    let (_d, db) = school();
    guanai(&db)
        .arg("import")
        .arg(fixture("good.csv"))
        .assert()
        .success();
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
