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
