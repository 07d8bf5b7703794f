//! The corpus of rosters laid out as rural schools and the civil-affairs register really keep
//! them (tests/fixtures/import/real, made by its make.py; README.md there describes each):
//! every file that should come in does, without hand edits, each child's stored file checked
//! field by field against expected.json; the files that must be refused are, each mistake
//! named by its row, column and the value as the file holds it.

use super::*;

const REAL: &str = "tests/fixtures/import/real";

fn expected() -> serde_json::Map<String, serde_json::Value> {
    let text = std::fs::read_to_string(format!("{REAL}/expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A school with an administrator and 王老师, the mentor the school form names.
fn real_school() -> (tempfile::TempDir, PathBuf) {
    let (d, db) = school();
    guanai(&db)
        .args(["staff", "add", "王老师", "--role", "mentor"])
        .assert()
        .success();
    (d, db)
}

fn text(v: &serde_json::Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// Compares the stored file with one row of expected.json, naming the file, row and field
/// of any difference.
fn check_child(file: &str, want: &serde_json::Value, got: &serde_json::Value) {
    let row = &want["row"];
    let at = |field: &str| format!("{file} row {row} {field}: stored {got}");
    let gender = if want["gender"] == "男" {
        "Male"
    } else {
        "Female"
    };
    assert_eq!(got["gender"], gender, "{}", at("gender"));
    assert_eq!(got["birth"], want["birth"], "{}", at("birth"));
    assert_eq!(got["class"], want["class"], "{}", at("class"));
    assert_eq!(
        got["student_no"],
        want["student_no"],
        "{}",
        at("student_no")
    );
    assert_eq!(got["register"]["id_no"], want["id_no"], "{}", at("id_no"));
    let parent = |relation: &str| {
        got["parents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["relation"] == relation)
            .cloned()
            .unwrap_or(serde_json::Value::Null)
    };
    for (prefix, relation) in [("father", "Father"), ("mother", "Mother")] {
        let p = parent(relation);
        if let Some(name) = want.get(prefix) {
            assert_eq!(&p["name"], name, "{}", at(prefix));
        }
        if let Some(phone) = want.get(format!("{prefix}_phone").as_str()) {
            assert_eq!(&p["phone"], phone, "{}", at("phone"));
        }
        if let Some(work) = want.get(format!("{prefix}_work").as_str()) {
            assert_eq!(&p["workplace"], work, "{}", at("workplace"));
            assert_eq!(p["away"], true, "{}", at("away"));
        }
    }
    let g = &got["guardian"];
    for (key, stored) in [
        ("guardian", "name"),
        ("guardian_relation", "relation"),
        ("guardian_phone", "phone"),
        ("guardian_age", "age"),
        ("guardian_health", "health"),
    ] {
        if let Some(v) = want.get(key) {
            assert_eq!(&g[stored], v, "{}", at(key));
        }
    }
    if let Some(b) = want.get("boarding") {
        assert_eq!(&got["boarding"], b, "{}", at("boarding"));
    }
    if let Some(t) = want.get("type") {
        let kind = if t == "both" {
            "BothParents"
        } else {
            "OneParent"
        };
        assert_eq!(got["left_behind"]["kind"], kind, "{}", at("type"));
    }
    for (key, stored) in [
        ("ethnicity", "ethnicity"),
        ("hukou", "hukou"),
        ("health", "health"),
        ("guardianship", "guardianship"),
        ("assessment", "assessment"),
        ("remarks", "remarks"),
        ("living_with", "care"),
    ] {
        if let Some(v) = want.get(key) {
            assert_eq!(&got["register"][stored], v, "{}", at(key));
        }
    }
    if let Some(v) = want.get("village") {
        assert_eq!(&got["village"], v, "{}", at("village"));
    }
    if let Some(v) = want.get("address") {
        assert_eq!(&got["address"], v, "{}", at("address"));
    }
    if want.get("mentor").is_some() {
        assert!(got["mentor"].is_u64(), "{}", at("mentor"));
    }
}

#[test]
fn every_real_roster_comes_in_without_hand_edits_field_by_field() {
    let mut imported = 0;
    for (file, rows) in expected() {
        let Some(rows) = rows.as_array() else {
            continue;
        };
        let (_d, db) = real_school();
        let out = stdout(guanai(&db).arg("import").arg(format!("{REAL}/{file}")));
        assert!(
            out.contains(&format!("新建 {} 名", rows.len())),
            "{file}: {out}"
        );
        let list = roster(&db);
        assert_eq!(list.len(), rows.len(), "{file}: {list:?}");
        for want in rows {
            let name = text(&want["name"]).unwrap();
            let got = file_of(&db, &name);
            assert_eq!(got["name"], name.as_str(), "{file}: the name as stored");
            check_child(&file, want, &got);
            imported += 1;
        }
    }
    assert!(imported >= 40, "the corpus holds its children: {imported}");
}

#[test]
fn a_workbook_of_one_sheet_per_class_reads_every_class_sheet_and_says_so() {
    let (_d, db) = real_school();
    let out = stdout(
        guanai(&db)
            .args(["import", "--dry-run"])
            .arg(format!("{REAL}/per-class-sheets.xlsx")),
    );
    assert!(
        out.contains("读取 3 个工作表: 六(1)班、六(2)班、五年级3班"),
        "{out}"
    );
    assert!(
        out.contains("未读取 (没有花名册的列名): 填表说明、Sheet4"),
        "{out}"
    );
    assert!(
        out.contains("工作表 五年级3班: 没有班级列, 班级取自工作表名: 五(3)班"),
        "{out}"
    );
    assert!(out.contains("试运行, 未写入"), "{out}");
    assert!(roster(&db).is_empty(), "a dry run writes nothing");
}

#[test]
fn a_two_row_merged_header_is_read_as_one_and_the_title_and_signatures_are_skipped() {
    let (_d, db) = real_school();
    let out = stdout(
        guanai(&db)
            .args(["import", "--dry-run"])
            .arg(format!("{REAL}/title-merged-header.xlsx")),
    );
    assert!(
        out.contains("跳过表头上方的第 1、2、3 行 (标题等); 第 4 行是列名"),
        "{out}"
    );
    for read in [
        "父亲姓名",
        "父亲务工地",
        "父亲联系电话→父亲电话",
        "监护人与儿童关系→监护人关系",
        "监护人年龄",
        "监护人健康状况",
    ] {
        assert!(out.contains(read), "{read}: {out}");
    }
    assert!(out.contains("跳过第 12 行 (合计"), "{out}");
    assert!(out.contains("(填表人"), "{out}");
    assert!(out.contains("未识别、已忽略的列: 序号"), "{out}");
}

#[test]
fn the_register_without_classes_lists_its_children_as_unplaced() {
    let (_d, db) = real_school();
    let out = stdout(
        guanai(&db)
            .arg("import")
            .arg(format!("{REAL}/register.xls")),
    );
    assert!(out.contains("6 名学生记为 未分班: 刘梓萱、"), "{out}");
    let listed =
        stdout(guanai(&db).args(["child", "list", "--class", "未分班", "--format", "tsv"]));
    assert_eq!(
        listed.lines().filter(|l| l.contains("未分班")).count(),
        6,
        "{listed}"
    );
}

#[test]
fn rosters_that_must_be_refused_name_every_row_column_and_value_and_write_nothing() {
    for (file, want) in expected() {
        let Some(refused) = want.get("refused").and_then(|r| r.as_array()) else {
            continue;
        };
        let (_d, db) = real_school();
        let before = std::fs::read(&db).unwrap();
        let out = guanai(&db)
            .arg("import")
            .arg(format!("{REAL}/{file}"))
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        for r in refused {
            let value = r
                .get("excel_shows")
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .unwrap_or_else(|| guanai::domain::mask_id(r["value"].as_str().unwrap()));
            let line = format!(
                "第 {} 行, {}: \"{value}\"",
                r["row"],
                r["column"].as_str().unwrap()
            );
            assert!(stderr.contains(&line), "{file}: {line} in {stderr}");
            // The whole number never reaches the terminal.
            assert!(!stderr.contains(r["value"].as_str().unwrap()), "{stderr}");
        }
        assert!(
            std::fs::read(&db).unwrap() == before,
            "{file}: nothing written"
        );
    }
}
