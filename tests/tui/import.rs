//! Importing a roster from the app: an administrator picks a file copied to the home
//! directory, sees what will be read and stored and every problem, gives an unknown column a
//! field, and imports all or nothing; anyone else is told it is an administrator's.

use super::*;

const REAL: &str = "tests/fixtures/import/real";

/// The fixture school, the app as 王校长 at 120×40, and a home directory holding `files`
/// (copied from the corpus, or written).
fn admin_with_files(files: &[(&str, Vec<u8>)]) -> (School, Harness, tempfile::TempDir) {
    let s = fixture();
    let home = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(home.path().join(name), bytes).unwrap();
    }
    let mut t = harness(&s, "王校长", 120, 40);
    t.app.export_dir = home.path().to_path_buf();
    (s, t, home)
}

fn corpus(name: &str) -> (&str, Vec<u8>) {
    (name, std::fs::read(format!("{REAL}/{name}")).unwrap())
}

#[test]
fn an_administrator_previews_a_real_roster_and_imports_it_whole() {
    let (s, mut t, _home) = admin_with_files(&[corpus("title-merged-header.xlsx")]);
    t.press(&["1", "I"]);
    assert!(
        t.screen().contains("title-merged-header.xlsx"),
        "{}",
        t.screen()
    );
    t.press(&["<Enter>"]);
    let screen = t.screen();
    for shown in [
        "第 4 行是列名",
        "父亲联系电话→父亲电话",
        "监护人与儿童关系→监护人关系",
        "将新建 6 名、更新 0 名、未变 0 名",
        "张子涵  女  2014-09-12  六(1)班  4305**********042X",
        "序号 → ‹ 不读取 ›",
    ] {
        assert!(screen.contains(shown), "{shown}: {screen}");
    }
    assert!(
        matches!(
            s.as_user("王校长").resolve_child("张子涵"),
            Err(guanai::service::ServiceError::UnknownChild { reference }) if reference == "张子涵"
        ),
        "nothing written by the preview"
    );
    t.press(&["<Enter>"]);
    assert!(t.screen().contains("已导入: 新建 6 名"), "{}", t.screen());
    assert!(t.app.overlay.is_none());
    let zhang = s.as_user("王校长").resolve_child("张子涵").unwrap();
    assert_eq!(zhang.class, "六(1)班");
    assert_eq!(zhang.guardian.unwrap().age, Some(68));
    assert!(t.roster_names().contains(&"张子涵".to_string()));
}

#[test]
fn an_unknown_column_is_given_a_field_from_the_list_and_remembered() {
    let csv = "姓名,性别,出生日期,班级,包保教师\n新甲,男,2014-01-02,七(2)班,李老师\n";
    let (s, mut t, _home) = admin_with_files(&[("名单.csv", csv.as_bytes().to_vec())]);
    t.press(&["1", "I", "<Enter>"]);
    assert!(
        t.screen().contains("包保教师 → ‹ 不读取 ›"),
        "{}",
        t.screen()
    );
    let steps = guanai::transfer::COLUMNS
        .iter()
        .position(|c| c.key == "mentor")
        .unwrap()
        + 1;
    for _ in 0..steps {
        t.press(&["<Right>"]);
    }
    let screen = t.screen();
    assert!(screen.contains("包保教师 → ‹ 帮扶教师 ›"), "{screen}");
    assert!(
        screen.contains("包保教师→帮扶教师"),
        "read as the mentor: {screen}"
    );
    t.press(&["<Enter>"]);
    let child = s.as_user("王校长").resolve_child("新甲").unwrap();
    assert_eq!(child.mentor, Some(s.teacher));
    let remembered = s.as_user("王校长").import_mapping().unwrap();
    assert_eq!(remembered.0, vec![("包保教师".to_string(), "mentor")]);
}

#[test]
fn a_roster_with_mistakes_lists_them_and_imports_nothing() {
    let (s, mut t, _home) = admin_with_files(&[corpus("bad-id.csv")]);
    t.press(&["1", "I", "<Enter>"]);
    let screen = t.screen();
    assert!(screen.contains("3 处问题, 不能导入"), "{screen}");
    assert!(screen.contains("第 2 行 身份证号"), "{screen}");
    let before = s.as_user("王校长").roster(true).unwrap().len();
    t.press(&["<Enter>"]);
    assert!(t.screen().contains("有问题, 不能导入"), "{}", t.screen());
    assert_eq!(s.as_user("王校长").roster(true).unwrap().len(), before);
    // Esc goes back to the files, Esc again closes.
    t.press(&["<Esc>"]);
    assert!(t.screen().contains("选择文件"), "{}", t.screen());
    t.press(&["<Esc>"]);
    assert!(t.app.overlay.is_none());
}

#[test]
fn only_an_administrator_imports_and_an_empty_home_says_where_to_copy() {
    let (_s, mut t) = class_teacher_at_80x24();
    t.press(&["1", "I"]);
    assert!(t.app.overlay.is_none());
    assert!(
        t.screen().contains("只有管理员可以导入花名册"),
        "{}",
        t.screen()
    );
    let (_s, mut t, _home) = admin_with_files(&[("notes.md", b"x".to_vec())]);
    t.press(&["1", "I"]);
    assert!(
        t.screen().contains("家目录里没有花名册文件"),
        "{}",
        t.screen()
    );
}

/// In English the preview names the fields in English (the file's own headers stay as
/// written) and the gender as English readers write it.
#[test]
fn the_preview_speaks_english_to_english_readers() {
    let s = fixture();
    let home = tempfile::tempdir().unwrap();
    let (name, bytes) = corpus("title-merged-header.xlsx");
    std::fs::write(home.path().join(name), bytes).unwrap();
    let mut t = harness_with(&s, "王校长", Lang::En, 120, 40);
    t.app.export_dir = home.path().to_path_buf();
    t.press(&["1", "I", "<Enter>"]);
    let screen = t.screen();
    for shown in [
        "父亲联系电话→Father phone",
        "出生日期→Birth date",
        "张子涵  f  2014-09-12",
    ] {
        assert!(screen.contains(shown), "{shown}: {screen}");
    }
}
