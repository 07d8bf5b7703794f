//! Messages that once said too little or the wrong thing, each as a user now sees it.

use super::*;

#[test]
fn an_unchanged_roster_is_unchanged_in_the_dry_run_too() {
    let (d, db) = school_with_roster();
    let dry = stdout(
        guanai(&db)
            .args(["import", "--update", "--dry-run"])
            .arg(fixture("good.csv")),
    );
    assert!(dry.contains("更新 0 名、未变 5 名"), "{dry}");
    let real = stdout(
        guanai(&db)
            .args(["import", "--update"])
            .arg(fixture("good.csv")),
    );
    assert!(real.contains("更新 0 名, 未变 5 名"), "{real}");
    // One child moved: that row is an update, the rest stay unchanged.
    let text = std::fs::read_to_string(fixture("good.csv"))
        .unwrap()
        .replacen("青山村三组12号", "白沙村一组1号", 1);
    let moved = write(d.path(), "moved.csv", &text);
    let dry = stdout(
        guanai(&db)
            .args(["import", "--update", "--dry-run"])
            .arg(&moved),
    );
    assert!(
        dry.contains("更新 第 2: 曾雨涵") && dry.contains("更新 1 名、未变 4 名"),
        "{dry}"
    );
}

#[test]
fn a_utf16_tab_separated_export_of_excel_is_read() {
    let (d, db) = school();
    // Excel's "Unicode text": UTF-16 LE with its byte order mark, cells between tabs.
    let text = "姓名\t性别\t出生日期\t班级\r\n王一\t男\t2014-01-01\t七(2)班\r\n";
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let file = d.path().join("unicode.txt");
    std::fs::write(&file, bytes).unwrap();
    guanai(&db).arg("import").arg(&file).assert().success();
    assert_eq!(file_of(&db, "王一")["class"], "七(2)班");
}

#[test]
fn a_dump_with_a_broken_reference_names_the_record_and_what_it_points_to() {
    let (d, db) = school_with_roster();
    guanai(&db)
        .args(["log", "talk", "--child", "20240701", "--note", "谈心"])
        .assert()
        .success();
    let json = stdout(guanai(&db).args(["export", "--format", "json"]));
    let mut dump: serde_json::Value = serde_json::from_str(&json).unwrap();
    let event = dump["events"][0]["id"].as_u64().unwrap();
    dump["events"][0]["child"] = 999.into();
    let file = write(d.path(), "broken.json", &dump.to_string());
    let empty = d.path().join("empty.redb");
    let out = Command::from_std(common::guanai_process(&empty))
        .arg("import")
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains(&format!("event {event} → child 999")),
        "{stderr}"
    );
}

#[test]
fn a_dump_carrying_escape_sequences_anywhere_is_refused() {
    let (d, db) = school_with_roster();
    let json = stdout(guanai(&db).args(["export", "--format", "json"]));
    for (field, bad) in [
        ("village", "\u{1b}[2J青山村"),
        ("address", "\u{202e}号21组三"),
    ] {
        let mut dump: serde_json::Value = serde_json::from_str(&json).unwrap();
        dump["children"][0][field] = bad.into();
        let file = write(d.path(), "bad.json", &dump.to_string());
        let empty = d.path().join(format!("empty-{field}.redb"));
        let out = Command::from_std(common::guanai_process(&empty))
            .arg("import")
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("children.0.{field}")), "{stderr}");
        assert!(
            !empty.exists() || roster(&empty).is_empty(),
            "nothing loaded"
        );
    }
}

/// A school's own sheet: a title and a 填报单位 line above the header, headers typed with
/// spaces, full-width spaces and line breaks, and an instructions sheet first.
#[test]
fn title_rows_and_spaced_headers_come_in_as_they_are() {
    let (d, db) = school();
    let text = "青山小学2026年秋季学期留守儿童花名册,,,\n填报单位（盖章）：青山小学,,填报日期：2026年9月1日,\n姓  名,性　别,\"出生\n日期\",班 级\n王一,男,2014-01-01,七(2)班\n李二,女,2014-02-02,七(2)班\n合计,2人,,\n填表人：李老师,,审核人：王校长,\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let file = d.path().join("花名册.csv");
    std::fs::write(&file, gbk.as_ref()).unwrap();
    let dry = stdout(guanai(&db).args(["import", "--dry-run"]).arg(&file));
    assert!(
        dry.contains("跳过表头上方的第 1、2 行") && dry.contains("第 3 行是列名"),
        "{dry}"
    );
    assert!(dry.contains("将新建 2 名"), "{dry}");
    assert!(
        dry.contains("跳过第 7 行 (合计") && dry.contains("跳过第 8 行 (填表人"),
        "totals and signatures are listed, not imported: {dry}"
    );
    guanai(&db).arg("import").arg(&file).assert().success();
    assert_eq!(file_of(&db, "李二")["birth"], "2014-02-02");
    // The same in a workbook whose first sheet is the instructions.
    let mut book = rust_xlsxwriter::Workbook::new();
    let notes = book.add_worksheet().set_name("填表说明").unwrap();
    notes
        .write_string(0, 0, "请按下表填写, 出生日期写成 2014-05-03")
        .unwrap();
    let sheet = book.add_worksheet().set_name("七(2)班").unwrap();
    sheet.write_string(0, 0, "青山小学留守儿童花名册").unwrap();
    for (c, h) in ["姓　名", "性 别", "出生日期", "班级"].iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    for (c, v) in ["张三", "男", "2013-03-03", "七(2)班"].iter().enumerate() {
        sheet.write_string(3, c as u16, *v).unwrap();
    }
    let xlsx = d.path().join("花名册.xlsx");
    book.save(&xlsx).unwrap();
    let said = stdout(guanai(&db).arg("import").arg(&xlsx));
    assert!(
        said.contains("跳过表头上方的第 1 行") && said.contains("第 3 行是列名"),
        "{said}"
    );
    assert_eq!(file_of(&db, "张三")["class"], "七(2)班");
}

/// One class, written several ways, with or without a 年级 column, ends as one class
/// written the school's way.
#[test]
fn one_class_spelt_many_ways_ends_as_one() {
    let (d, db) = school();
    let file = write(
        d.path(),
        "grades.csv",
        "姓名,性别,出生日期,年级,班级\n甲一,男,2015-01-01,六年级,1班\n甲二,女,2015-01-02,六年级,（1）班\n甲三,男,2015-01-03,6,1\n甲四,女,2015-01-04,六年级,六年级1班\n",
    );
    guanai(&db).arg("import").arg(&file).assert().success();
    let file = write(
        d.path(),
        "spelt.csv",
        "姓名,性别,出生日期,班级\n乙一,男,2015-02-01,601\n乙二,女,2015-02-02,6.1\n乙三,男,2015-02-03,六年级(1)班\n乙四,女,2015-02-04,六1班\n",
    );
    guanai(&db).arg("import").arg(&file).assert().success();
    let classes: std::collections::BTreeSet<String> = roster(&db)
        .iter()
        .map(|c| c["class"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        classes.into_iter().collect::<Vec<_>>(),
        vec!["六(1)班".to_string()]
    );
}

/// The civil-affairs register's words for who is away, 1 / 2 for gender, 住校 / 走读.
#[test]
fn the_registers_words_are_understood() {
    let (d, db) = school();
    let file = write(
        d.path(),
        "register.csv",
        "姓名,性别,出生日期,班级,留守类型,寄宿\n丙一,1,2015-03-01,六(1)班,父母均外出,住校\n丙二,2,2015-03-02,六(1)班,父亲外出,走读\n丙三,1,2015-03-03,六(1)班,\"父母一方外出、另一方无监护能力\",√\n丙四,2,2015-03-04,六(1)班,双留守,\n",
    );
    guanai(&db).arg("import").arg(&file).assert().success();
    let f = |name: &str| file_of(&db, name);
    assert_eq!(f("丙一")["gender"], "Male");
    assert_eq!(f("丙二")["gender"], "Female");
    assert_eq!(f("丙一")["left_behind"]["kind"], "BothParents");
    assert_eq!(f("丙二")["left_behind"]["kind"], "OneParent");
    assert_eq!(f("丙三")["left_behind"]["kind"], "OneParent");
    assert_eq!(f("丙四")["left_behind"]["kind"], "BothParents");
    assert_eq!(f("丙一")["boarding"], true);
    assert_eq!(f("丙二")["boarding"], false);
    assert_eq!(f("丙三")["boarding"], true);
}

/// Names written with alignment spaces or another middle dot are one name, stored once and
/// found however they are typed.
#[test]
fn names_are_stored_one_way_and_found_however_typed() {
    let (d, db) = school();
    let file = write(
        d.path(),
        "names.csv",
        "姓名,性别,出生日期,班级\n李　娜,女,2015-04-01,六(1)班\n阿依•古丽,女,2015-04-02,六(1)班\n",
    );
    guanai(&db).arg("import").arg(&file).assert().success();
    assert_eq!(file_of(&db, "李娜")["name"], "李娜");
    assert_eq!(file_of(&db, "李 娜")["name"], "李娜");
    assert_eq!(file_of(&db, "阿依・古丽")["name"], "阿依·古丽");
    // Next term's file spells them the plain way: the same children, updated, not doubled.
    let again = write(
        d.path(),
        "again.csv",
        "姓名,性别,出生日期,班级\n李娜,女,2015-04-01,六(1)班\n阿依·古丽,女,2015-04-02,六(1)班\n",
    );
    let said = stdout(guanai(&db).args(["import", "--update"]).arg(&again));
    assert!(said.contains("新建 0 名"), "{said}");
    assert_eq!(roster(&db).len(), 2);
}

/// A birth date with only a year and a month is refused saying the day is missing, quoted as
/// the file holds it (201405 was once reported as "2451-06-04").
#[test]
fn a_year_and_month_without_a_day_is_refused_as_written() {
    let (d, db) = school();
    let file = write(
        d.path(),
        "months.csv",
        "姓名,性别,出生日期,班级\n丁一,男,2014.05,六(1)班\n丁二,女,201405,六(1)班\n丁三,男,2014年5月,六(1)班\n",
    );
    let out = guanai(&db).arg("import").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    for (line, cell) in [(2, "2014.05"), (3, "201405"), (4, "2014年5月")] {
        assert!(
            stderr.contains(&format!("第 {line} 行, 出生日期: \"{cell}\"")),
            "{stderr}"
        );
    }
    assert_eq!(stderr.matches("缺少日").count(), 3, "{stderr}");
    assert!(!stderr.contains("2451"), "{stderr}");
}

/// The civil-affairs register has no class column: its children come in as 未分班 and the
/// import says so; a class cell left empty in a file that has the column is still a mistake.
#[test]
fn children_without_a_class_column_come_in_unplaced() {
    let (d, db) = school();
    let file = write(
        d.path(),
        "register.csv",
        "姓名,性别,出生日期,村\n戊一,男,2015-05-01,青山村\n戊二,女,2015-05-02,青山村\n",
    );
    let said = stdout(guanai(&db).arg("import").arg(&file));
    assert!(said.contains("2 名学生记为 未分班"), "{said}");
    assert_eq!(file_of(&db, "戊一")["class"], "未分班");
    let empty_cell = write(
        d.path(),
        "empty.csv",
        "姓名,性别,出生日期,班级\n戊三,男,2015-05-03,\n",
    );
    guanai(&db)
        .arg("import")
        .arg(&empty_cell)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("第 2 行, 班级"));
}
