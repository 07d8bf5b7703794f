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

const HOSTILE: &str = "tests/fixtures/import/hostile";

/// The workbooks a hostile tester made (tests/fixtures/import/hostile): each refused with a
/// clear message or read as a teacher would expect, never a crash or a runaway.
#[test]
fn hostile_workbooks_are_refused_clearly_or_read_as_a_teacher_expects() {
    let refused: [(&str, &str); 3] = [
        // 1.7 KB: one row of 994 values repeated 20,000 times.
        (
            "rep_within_limits_small.ods",
            "工作簿的行重复展开后超过 2000000 个格子",
        ),
        // One byte changed in a real .xls: the reader would index out of bounds.
        (
            "panic_onebyte.xls",
            "无法读取工作簿 (文件可能不完整或已损坏)",
        ),
        ("errors.xlsx", "第 2 行, 身份证号: \"#N/A\""),
    ];
    for (file, says) in refused {
        let (_d, db) = real_school();
        let before = std::fs::read(&db).unwrap();
        let out = guanai(&db)
            .arg("import")
            .arg(format!("{HOSTILE}/{file}"))
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains(says), "{file}: {stderr}");
        assert!(!stderr.contains("panicked"), "{file}: {stderr}");
        assert!(std::fs::read(&db).unwrap() == before, "{file}");
    }
    // A class merged down over its rows belongs to each row.
    for file in ["merged_class.xlsx", "xls_merged_class.xls"] {
        let (_d, db) = real_school();
        guanai(&db)
            .arg("import")
            .arg(format!("{HOSTILE}/{file}"))
            .assert()
            .success();
        let classes: Vec<String> = roster(&db)
            .iter()
            .map(|c| c["class"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(classes, ["七(2)班"; 3], "{file}");
    }
    // Hidden sheets are no part of the roster; the kind is told by the bytes, not the name.
    let (_d, db) = real_school();
    let out = stdout(
        guanai(&db)
            .arg("import")
            .arg(format!("{HOSTILE}/hidden_sheet.xlsx")),
    );
    assert!(out.contains("隐藏的工作表, 未读取: 旧名单、vh"), "{out}");
    assert_eq!(roster(&db).len(), 1);
    for file in ["okx_as.ods", "tsv_gbk_as.xls"] {
        let (_d, db) = real_school();
        guanai(&db)
            .arg("import")
            .arg(format!("{HOSTILE}/{file}"))
            .assert()
            .success();
        assert_eq!(file_of(&db, "张三")["class"], "七(2)班", "{file}");
    }
}

#[test]
fn a_column_with_values_but_no_header_is_said_not_dropped() {
    let (d, db) = real_school();
    let csv = write(
        d.path(),
        "extra.csv",
        "姓名,性别,出生日期,班级,,\n甲,男,2014-01-02,七(2)班,父母离异,\n",
    );
    let out = stdout(guanai(&db).args(["import", "--dry-run"]).arg(&csv));
    assert!(out.contains("有内容但没有列名的列, 未读取: E"), "{out}");
}

#[test]
fn the_registers_files_go_out_and_come_back_unchanged() {
    let (d, db) = real_school();
    for file in [
        "register.xls",
        "school-form.ods",
        "title-merged-header.xlsx",
    ] {
        guanai(&db)
            .arg("import")
            .arg(format!("{REAL}/{file}"))
            .assert()
            .success();
    }
    let out = d.path().join("rt.csv");
    guanai(&db)
        .args(["export", "--format", "csv", "--include-id", "--out"])
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("43052420140928351X"),
        "the ID found in 学籍号 is recorded"
    );
    let back = stdout(guanai(&db).args(["import", "--update"]).arg(&out));
    assert!(back.contains("更新 0 名, 未变 18 名"), "{back}");
    // Without identity numbers, masked student numbers come back as the same children.
    guanai(&db)
        .args(["export", "--format", "csv", "--force", "--out"])
        .arg(&out)
        .assert()
        .success();
    let masked = std::fs::read_to_string(&out).unwrap();
    assert!(masked.contains("G4305**********351X"), "{masked}");
    let back = stdout(guanai(&db).args(["import", "--update"]).arg(&out));
    assert!(back.contains("新建 0 名"), "{back}");
    assert_eq!(file_of(&db, "唐梓轩")["student_no"], "G43052420140928351X");
}

/// The civil-affairs register has no 留守类型 column: who is away is in its 实际监护情况
/// (父母双方同时外出 / 父母一方外出、另一方无监护能力), and gives the type.
#[test]
fn the_registers_actual_care_column_gives_the_type() {
    let (d, db) = real_school();
    let csv = write(
        d.path(),
        "register.csv",
        "姓名,性别,出生日期,实际监护情况,委托监护人姓名\n\
         甲,男,2014-01-02,父母双方同时外出,甲爷爷\n\
         乙,女,2014-03-04,父母一方外出、另一方无监护能力,乙奶奶\n\
         丙,男,2014-05-06,由祖父照料,丙爷爷\n",
    );
    guanai(&db).arg("import").arg(&csv).assert().success();
    assert_eq!(file_of(&db, "甲")["left_behind"]["kind"], "BothParents");
    assert_eq!(file_of(&db, "乙")["left_behind"]["kind"], "OneParent");
    assert_eq!(
        file_of(&db, "乙")["register"]["care"],
        "父母一方外出、另一方无监护能力"
    );
    // Words that name no type leave it 未填.
    let bing = file_of(&db, "丙");
    let unrecorded = bing["register"]["unrecorded"].as_array().unwrap();
    assert!(unrecorded.iter().any(|k| k == "type"), "{bing}");
    assert!(
        !file_of(&db, "甲")["register"]["unrecorded"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k == "type")
    );
}
