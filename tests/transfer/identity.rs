//! The identity number (身份证号) as a field of the file: checked on import, stored, shown
//! whole to administrators only, out of exports unless asked, never in the audit log; and
//! the import's other decisions about who a row is: a probable duplicate, columns mapped by
//! hand and remembered, formulas read as their saved values.

use super::*;

const ID: &str = "430524201412021238";
const MASKED: &str = "4305**********1238";

/// A school whose roster holds 贺子墨 with his identity number, imported by the
/// administrator; 李老师 teaches his class.
fn school_with_an_id() -> (tempfile::TempDir, PathBuf) {
    let (d, db) = school();
    let csv = write(
        d.path(),
        "ids.csv",
        &format!(
            "学号,姓名,性别,出生日期,班级,身份证号\n20240709,贺子墨,男,2014-12-02,七(2)班,'{ID}\n"
        ),
    );
    guanai(&db).arg("import").arg(&csv).assert().success();
    (d, db)
}

#[test]
fn an_identity_number_is_whole_to_administrators_and_masked_to_teachers() {
    let (_d, db) = school_with_an_id();
    let admin = file_of(&db, "贺子墨");
    assert_eq!(
        admin["register"]["id_no"], ID,
        "the apostrophe dropped, the number kept"
    );
    let teacher: serde_json::Value = serde_json::from_str(&stdout(as_user(&db, "李老师").args([
        "child",
        "show",
        "贺子墨",
        "--format",
        "json",
    ])))
    .unwrap();
    assert_eq!(teacher["register"]["id_no"], MASKED);
    let table = stdout(as_user(&db, "李老师").args(["child", "show", "贺子墨"]));
    assert!(table.contains(MASKED) && !table.contains(ID), "{table}");
}

#[test]
fn exports_leave_the_number_out_unless_an_administrator_asks() {
    let (d, db) = school_with_an_id();
    let out = d.path().join("roster.csv");
    guanai(&db)
        .args(["export", "--format", "csv", "--out"])
        .arg(&out)
        .assert()
        .success();
    let plain = std::fs::read_to_string(&out).unwrap();
    assert!(
        !plain.contains("身份证号") && !plain.contains(ID),
        "{plain}"
    );
    let json = stdout(guanai(&db).args(["export", "--format", "json"]));
    assert!(!json.contains(ID), "the dump too");
    guanai(&db)
        .args([
            "export",
            "--format",
            "csv",
            "--include-id",
            "--force",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let with = std::fs::read_to_string(&out).unwrap();
    assert!(with.contains("身份证号") && with.contains(ID), "{with}");
    as_user(&db, "李老师")
        .args(["export", "--format", "csv", "--include-id"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("李老师 无权"));
}

#[test]
fn the_audit_log_never_holds_a_whole_number() {
    let (_d, db) = school_with_an_id();
    let audit = stdout(guanai(&db).args(["audit", "--format", "tsv"]));
    assert!(
        audit.contains(MASKED),
        "the change is there, masked: {audit}"
    );
    assert!(!audit.contains(ID), "{audit}");
    let raw = std::fs::read(&db).unwrap();
    let count = raw
        .windows(ID.len())
        .filter(|w| *w == ID.as_bytes())
        .count();
    assert_eq!(count, 1, "stored once, in the file itself, not in the log");
}

#[test]
fn a_file_edited_by_a_teacher_keeps_the_number_it_could_not_see() {
    let (d, db) = school_with_an_id();
    // 李老师 exports nothing with numbers; an update roster with the masked number keeps
    // the real one.
    let csv = write(
        d.path(),
        "masked.csv",
        &format!(
            "学号,姓名,性别,出生日期,班级,身份证号,住址\n20240709,贺子墨,男,2014-12-02,七(2)班,{MASKED},新住址\n"
        ),
    );
    as_user(&db, "李老师")
        .args(["import", "--update"])
        .arg(&csv)
        .assert()
        .success();
    let f = file_of(&db, "贺子墨");
    assert_eq!(f["address"], "新住址");
    assert_eq!(f["register"]["id_no"], ID);
}

#[test]
fn a_new_student_number_on_a_child_on_file_is_a_probable_duplicate() {
    let (d, db) = school_with_an_id();
    let csv = write(
        d.path(),
        "again.csv",
        "学号,姓名,性别,出生日期,班级\n20259999,贺子墨,男,2014-12-02,七(2)班\n",
    );
    let before = std::fs::read(&db).unwrap();
    guanai(&db)
        .arg("import")
        .arg(&csv)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "第 2 行, 学号: \"20259999\" 不接受。应为: 不是已在档学生的另一个学号: 贺子墨 (七(2)班, 出生 2014-12-02) 已在档, 学号 20240709",
        ));
    assert!(std::fs::read(&db).unwrap() == before, "nothing written");
    guanai(&db)
        .args(["import", "--update"])
        .arg(&csv)
        .assert()
        .success()
        .stdout(predicate::str::contains("更新 1 名"));
    assert_eq!(file_of(&db, "贺子墨")["student_no"], "20259999");
    assert_eq!(roster(&db).len(), 1, "still one file");
}

#[test]
fn a_column_mapped_by_hand_is_read_and_remembered_for_next_term() {
    let (d, db) = school();
    let csv = write(
        d.path(),
        "mapped.csv",
        "姓名,性别,出生日期,班级,包保教师\n甲同学,男,2014-01-02,七(2)班,李老师\n",
    );
    let dry = stdout(guanai(&db).args(["import", "--dry-run"]).arg(&csv));
    assert!(dry.contains("未识别、已忽略的列: 包保教师"), "{dry}");
    guanai(&db)
        .args(["import", "--map", "包保教师=nobody"])
        .arg(&csv)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--map: \"包保教师=nobody\" 不接受",
        ));
    guanai(&db)
        .args(["import", "--map", "包 保 教 师=帮扶教师"])
        .arg(&csv)
        .assert()
        .success();
    assert_eq!(file_of(&db, "甲同学")["mentor_name"], "李老师");
    // Next term's file: the mapping is remembered.
    let next = write(
        d.path(),
        "next.csv",
        "姓名,性别,出生日期,班级,包保教师\n乙同学,女,2014-03-04,七(2)班,李老师\n",
    );
    let dry = stdout(guanai(&db).args(["import", "--dry-run"]).arg(&next));
    assert!(dry.contains("包保教师→帮扶教师"), "{dry}");
    guanai(&db).arg("import").arg(&next).assert().success();
    assert_eq!(file_of(&db, "乙同学")["mentor_name"], "李老师");
}

/// An .xlsx whose formula cell has no saved value (as a program writes it): `<v>` taken out
/// of a workbook written with one.
fn workbook_with_an_unsaved_formula(dir: &Path) -> PathBuf {
    workbook_with_an_unsaved_formula_in(dir, 4)
}

/// The same, the formula in column `col` (0: 姓名 … 4: 身份证号).
fn workbook_with_an_unsaved_formula_in(dir: &Path, col: u16) -> PathBuf {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["姓名", "性别", "出生日期", "班级", "身份证号"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["公式乙", "男", "2014-12-02", "七(2)班"].iter().enumerate() {
        if c as u16 != col {
            sheet.write_string(1, c as u16, *v).unwrap();
        }
    }
    sheet
        .write_formula(
            1,
            col,
            rust_xlsxwriter::Formula::new("=A9&B9").set_result("UNSAVED"),
        )
        .unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut part, &mut text).unwrap();
        let name = part.name().to_string();
        let text = String::from_utf8(text)
            .map(|t| t.replace("<v>UNSAVED</v>", "").into_bytes())
            .unwrap_or_else(|e| e.into_bytes());
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut out, &text).unwrap();
    }
    let path = dir.join("unsaved.xlsx");
    std::fs::write(&path, out.finish().unwrap().into_inner()).unwrap();
    path
}

#[test]
fn a_formula_without_its_saved_value_is_refused_naming_the_cell() {
    let (d, db) = school();
    let xlsx = workbook_with_an_unsaved_formula(d.path());
    guanai(&db)
        .arg("import")
        .arg(&xlsx)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "第 2 行, 身份证号: \"=A9&B9\" 不接受。应为: 单元格 E2 是公式, 文件里没有保存它的结果",
        ));
}

/// In a date column and in a text column too, each read once per cell.
#[test]
fn a_formula_without_its_saved_value_is_refused_in_a_date_and_a_text_column() {
    for (col, says) in [
        (
            2,
            "第 2 行, 出生日期: \"=A9&B9\" 不接受。应为: 单元格 C2 是公式, 文件里没有保存它的结果",
        ),
        (
            3,
            "第 2 行, 班级: \"=A9&B9\" 不接受。应为: 单元格 D2 是公式, 文件里没有保存它的结果",
        ),
    ] {
        let (d, db) = school();
        let xlsx = workbook_with_an_unsaved_formula_in(d.path(), col);
        guanai(&db)
            .arg("import")
            .arg(&xlsx)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
}

#[test]
fn a_field_the_roster_does_not_carry_shows_as_unrecorded_not_as_an_answer() {
    let (d, db) = school();
    let csv = write(
        d.path(),
        "short.csv",
        "姓名,性别,出生日期,班级,父亲姓名\n缺列甲,男,2014-01-02,七(2)班,缺列乙\n",
    );
    guanai(&db).arg("import").arg(&csv).assert().success();
    let shown = stdout(guanai(&db).args(["child", "show", "缺列甲"]));
    let line = |label: &str| {
        shown
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        line("父亲").contains("缺列乙") && line("父亲").contains("未填"),
        "{shown}"
    );
    assert!(!shown.contains("在家"), "not known to be at home: {shown}");
    assert!(line("寄宿").contains("未填"), "{shown}");
    assert!(line("留守类型").contains("未填"), "{shown}");
    assert!(line("身份证号").contains("未填"), "{shown}");
    // A roster that carries the columns, even empty, answers them.
    let full = write(
        d.path(),
        "full.csv",
        "姓名,性别,出生日期,班级,父亲姓名,父亲务工地,寄宿,留守类型\n缺列甲,男,2014-01-02,七(2)班,缺列乙,,否,单亲外出\n",
    );
    guanai(&db)
        .args(["import", "--update"])
        .arg(&full)
        .assert()
        .success();
    let shown = stdout(guanai(&db).args(["child", "show", "缺列甲"]));
    assert!(shown.contains("在家"), "{shown}");
    assert!(!line_of(&shown, "寄宿").contains("未填"), "{shown}");
    assert!(line_of(&shown, "留守类型").contains("单亲外出"), "{shown}");
}

fn line_of(text: &str, label: &str) -> String {
    text.lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_default()
        .to_string()
}

/// A 学籍号 written G + the identity number is the number too: masked wherever the ID is.
#[test]
fn a_student_number_that_holds_the_id_number_is_masked_like_it() {
    let (d, db) = school();
    let csv = write(
        d.path(),
        "g.csv",
        &format!("学号,姓名,性别,出生日期,班级\nG{ID},贺子墨,男,2014-12-02,七(2)班\n"),
    );
    guanai(&db).arg("import").arg(&csv).assert().success();
    for args in [
        vec!["child", "list", "--format", "tsv"],
        vec!["child", "show", "贺子墨"],
    ] {
        let seen = stdout(as_user(&db, "李老师").args(&args));
        assert!(seen.contains(&format!("G{MASKED}")), "{args:?}: {seen}");
        assert!(!seen.contains(ID), "{args:?}: {seen}");
    }
    let audit = stdout(guanai(&db).args(["audit", "--format", "tsv"]));
    assert!(!audit.contains(ID), "{audit}");
    // On stderr too: a refusal quoting the number masks it.
    let again = write(
        d.path(),
        "again.csv",
        &format!("学号,姓名,性别,出生日期,班级\nG{ID},别人,男,2014-12-02,七(2)班\n"),
    );
    let out = guanai(&db).arg("import").arg(&again).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(&format!("G{MASKED}")) && !stderr.contains(ID),
        "{stderr}"
    );
}

#[test]
fn one_identity_number_is_one_child() {
    let (d, db) = school_with_an_id();
    let twice = write(
        d.path(),
        "twice.csv",
        &format!(
            "姓名,性别,出生日期,班级,身份证号\n甲,男,2014-12-02,七(2)班,{ID}\n乙,男,2014-12-02,七(2)班,{ID}\n"
        ),
    );
    let out = guanai(&db).arg("import").arg(&twice).assert().code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(&format!(
            "第 3 行, 身份证号: \"{MASKED}\" 不接受。应为: 不与第 2 行相同的身份证号"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("已有 贺子墨"),
        "and the file on record: {stderr}"
    );
}

#[test]
fn a_mapping_that_would_misread_a_known_column_is_refused() {
    let (d, db) = school();
    let csv = write(
        d.path(),
        "m.csv",
        "姓名,性别,出生日期,班级,包保教师\n甲,男,2014-01-02,七(2)班,李老师\n",
    );
    for (map, says) in [
        ("班级=remarks", "班级 已经是 班级 (class) 的列名"),
        ("包保教师", "列名=字段"),
    ] {
        guanai(&db)
            .args(["import", "--map", map])
            .arg(&csv)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
    guanai(&db)
        .args([
            "import",
            "--map",
            "包保教师=mentor",
            "--map",
            "包保教师=remarks",
        ])
        .arg(&csv)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("每个列名只映射一次"));
    let out = stdout(
        guanai(&db)
            .args(["import", "--map", "结对老师=mentor", "--dry-run"])
            .arg(&csv),
    );
    assert!(out.contains("--map 结对老师: 文件里没有这一列"), "{out}");
}
