//! One selected child: side by side (120 columns), the file shown is the one the keys act
//! on, whichever list has the focus, and every form names that child.

use super::*;

fn name_of(s: &School, id: ChildId) -> String {
    s.as_user("王校长").child(id).unwrap().name
}

#[test]
fn at_120_columns_the_file_shown_follows_the_focused_list_and_the_form_names_it() {
    let s = fixture();
    let mut t = harness(&s, "李老师", 120, 40);
    assert!(t.app.wide);
    t.press(&["1"]);
    let roster_child = t.app.selected_roster_child().unwrap();
    assert_eq!(t.app.child.id, Some(roster_child));
    // Move the roster's cursor away from the queue's first child, then switch to the queue.
    let queue_first = t.app.selected_queue_child().unwrap();
    while t.app.selected_roster_child() == Some(queue_first) {
        t.press(&["j"]);
    }
    let roster_child = t.app.selected_roster_child().unwrap();
    assert_ne!(roster_child, queue_first, "the test needs two children");
    assert_eq!(t.app.child.id, Some(roster_child));
    t.press(&["3"]);
    assert_eq!(t.app.focus, Pane::Queue);
    assert_eq!(
        t.app.child.id,
        Some(queue_first),
        "the file pane shows the queue's child: {}",
        t.screen()
    );
    let queue_name = name_of(&s, queue_first);
    assert!(
        t.screen().contains(&format!("{queue_name} · ")),
        "{}",
        t.screen()
    );
    // t acts on that child, and the form says so.
    t.press(&["t"]);
    assert_eq!(t.app.form.as_ref().unwrap().child, queue_first);
    assert!(
        t.screen().contains(&format!("记录 · {queue_name}")),
        "{}",
        t.screen()
    );
    t.press(&["<Esc>"]);
    // Back to the roster: the roster's child again.
    t.press(&["1"]);
    assert_eq!(t.app.child.id, Some(roster_child));
    t.press(&["v"]);
    assert_eq!(t.app.form.as_ref().unwrap().child, roster_child);
}
