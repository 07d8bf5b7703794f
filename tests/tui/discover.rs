//! Discoverability: `?` lists every key that works where you are, globals included; the `:`
//! palette finds every action by Chinese, English or pinyin, and runs one of another pane
//! there.

use super::*;

#[test]
fn help_in_the_queue_lists_its_keys_the_file_keys_and_the_globals() {
    let (_s, mut t) = class_teacher_at_80x24();
    assert_eq!(t.app.focus, Pane::Queue);
    t.press(&["?"]);
    let mut all = String::new();
    // Scroll through the whole help.
    for _ in 0..8 {
        all.push_str(&t.screen());
        t.press(&["<PageDown>"]);
    }
    for line in [
        "l             记录此项",
        "n             新建档案",
        "N             新活动/家长学校",
        "e             修改档案",
        "A             归档",
        "u             撤销",
        ":             命令",
        "/             搜索",
    ] {
        assert!(all.contains(line), "{line} missing from the help:\n{all}");
    }
    // And each of them works from the queue: n opens the new-file form.
    t.press(&["<Esc>", "n"]);
    assert!(t.app.file_form.is_some(), "{}", t.screen());
}

#[test]
fn the_palette_finds_every_action_in_chinese_english_and_pinyin_and_runs_it_where_it_works() {
    let (_s, mut t) = class_teacher_at_80x24();
    let find = |t: &Harness, input: &str| -> Vec<Action> {
        t.app
            .palette_items(input)
            .into_iter()
            .map(|(a, _, _)| a)
            .collect()
    };
    // From the queue: 新建 (Chinese), new file (English), xj (pinyin initials).
    for input in ["新建", "new file", "xjda", "xinjian"] {
        assert_eq!(
            find(&t, input).first(),
            Some(&Action::NewChild),
            "{input}: {:?}",
            find(&t, input)
        );
    }
    // 家长 finds the parents' school (the activity form), by Chinese and by pinyin.
    assert!(find(&t, "家长").contains(&Action::NewActivity));
    assert!(find(&t, "jzxx").contains(&Action::NewActivity));
    // A filter of the roster, run from the queue, runs in the roster.
    let filter = find(&t, "重点帮扶");
    assert_eq!(
        filter.first(),
        Some(&Action::FilterKeySupport),
        "{filter:?}"
    );
    t.press(&[":"]).type_text("重点帮扶");
    assert!(t.screen().contains("(名册)"), "{}", t.screen());
    t.press(&["<Enter>"]);
    assert_eq!(t.app.focus, Pane::Roster);
    let names = t.roster_names();
    assert_eq!(names, vec!["张小珠".to_string()], "key support only");
}

#[test]
fn the_help_legend_is_whole_at_80_columns_in_english() {
    let s = fixture();
    let mut t = harness_with(&s, "李老师", Lang::En, 80, 24);
    t.press(&["?", "G"]);
    let screen = t.screen();
    // Each line of the legend ends inside the box, and its last words are there.
    let text: String = screen
        .lines()
        .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ");
    for part in ["due in N days (yellow)", "Backspace deletes, C-u clears"] {
        assert!(text.contains(part), "{part}:\n{screen}");
    }
}

#[test]
fn a_report_action_from_the_palette_works_before_the_report_was_shown() {
    let (_s, mut t) = class_teacher_at_80x24();
    let dir = tempfile::tempdir().unwrap();
    t.app.export_dir = dir.path().to_path_buf();
    t.press(&[":"]).type_text("导出Word").press(&["<Enter>"]);
    assert_eq!(t.app.focus, Pane::Report);
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(files.len(), 1, "{}", t.screen());
}
