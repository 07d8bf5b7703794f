//! The print menu (`P`): a form for the selected child's class written to the export
//! directory, said where, and audited.

use super::*;

#[test]
fn p_prints_the_classs_files_to_the_home_directory_and_says_where() {
    let (s, mut t) = class_teacher_at_80x24();
    let dir = tempfile::tempdir().unwrap();
    t.app.export_dir = dir.path().to_path_buf();
    t.press(&["1", "P"]);
    let screen = t.screen();
    for part in [
        "打印纸质表格",
        "选中学生所在的班",
        "▶ 留守儿童档案",
        "谈心记录表",
    ] {
        assert!(screen.contains(part), "{part}:\n{screen}");
    }
    t.press(&["<Enter>"]);
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().to_string();
    assert_eq!(name, "七(2)班-留守儿童档案.docx");
    assert!(t.screen().contains("已打印到"), "{}", t.screen());
    let audit = s.service.audit(None, None, None).unwrap();
    assert_eq!(audit.last().unwrap().record.command, "print");
    // ↓ ↓ ↓ is the counts, → the child only: a second file, the first one kept.
    t.press(&["P", "<Down>", "<Down>", "<Down>", "<Left>", "<Enter>"]);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec!["七(2)班-留守儿童档案.docx", "张小珠-留守儿童统计表.docx"]
    );
}
