//! The activity form's keys: it starts on the kind; j/k, Home/End, PgUp/PgDn move in the
//! list; `a` marks everyone the filter shows (a whole class); the filter searches every
//! class; a training lists guardians first, so they are reachable at 80×24.

use super::*;

#[test]
fn a_class_is_marked_whole_from_another_class_by_its_name_and_saved() {
    let (s, mut t) = class_teacher_at_80x24();
    t.press(&["1", "N"]);
    let form = &t.app.activity.as_ref().unwrap().0;
    assert_eq!(
        form.focus,
        guanai::tui::forms::activity::ActivityField::Kind
    );
    t.press(&["<Tab>", "<Tab>"]).type_text("跳绳比赛");
    // 八(1)班 is not 李老师's class: the filter finds it all the same (full-width brackets
    // as a Chinese input method types them).
    t.press(&["<Tab>"]).type_text("八（1）");
    let shown = t.app.activity.as_ref().unwrap().0.shown.len();
    assert_eq!(shown, 2, "{}", t.screen());
    t.press(&["<Tab>", "a"]);
    assert!(
        t.screen().contains("已选: 学生 2 人, 监护人 0 人"),
        "{}",
        t.screen()
    );
    // a again unmarks them, a third time marks them again.
    t.press(&["a"]);
    assert!(t.screen().contains("已选: 学生 0 人"), "{}", t.screen());
    t.press(&["a", "<Enter>"]);
    assert!(t.app.activity.is_none(), "{}", t.screen());
    for name in ["张晓志", "曾小明"] {
        let e = &stored(&s, name)[0];
        assert_eq!((e.kind, e.date), (EventKind::Activity, today()), "{name}");
    }
    assert!(
        stored(&s, "张小珠")
            .iter()
            .all(|e| e.kind != EventKind::Activity)
    );
}

#[test]
fn the_list_moves_with_j_k_home_end_and_pages_and_training_puts_guardians_first() {
    let (_s, mut t) = class_teacher_at_80x24();
    t.press(&["1", "N"]);
    t.press(&["<Tab>", "<Tab>", "<Tab>", "<Tab>"]);
    let cursor = |t: &Harness| t.app.activity.as_ref().unwrap().0.cursor;
    let len = t.app.activity.as_ref().unwrap().0.shown.len();
    assert!(
        len >= 5,
        "every active child of the school and 李老师's guardians"
    );
    t.press(&["j", "j"]);
    assert_eq!(cursor(&t), 2);
    t.press(&["k"]);
    assert_eq!(cursor(&t), 1);
    t.press(&["<End>"]);
    assert_eq!(cursor(&t), len - 1);
    t.press(&["<Home>"]);
    assert_eq!(cursor(&t), 0);
    t.press(&["<PageDown>"]);
    assert_eq!(cursor(&t), len - 1, "a page is longer than this short list");
    t.press(&["<PageUp>"]);
    assert_eq!(cursor(&t), 0);
    // Training: the guardian is on the first row.
    t.press(&["<Tab>", "<Right>"]);
    assert!(t.screen().contains("▶家长学校") || t.screen().contains("家长学校"));
    let form = &t.app.activity.as_ref().unwrap().0;
    let first = form.people[form.shown[0]].0.clone();
    assert!(
        matches!(first, guanai::tui::forms::activity::Attendee::Guardian { ref name, .. } if name == "张奶奶"),
        "{first:?}"
    );
    let row = t.screen();
    assert!(row.contains("[ ] 监护人 张奶奶 (张小珠)"), "{row}");
}
