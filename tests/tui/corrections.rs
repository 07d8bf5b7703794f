//! Correcting the record from the keyboard: `e` on a timeline entry opens it in the log form,
//! `d` voids it with a reason, `u` shows what it takes back and asks.

use super::*;

/// 张小珠's timeline, newest first, as stored (with the withdrawals).
fn timeline(s: &School) -> Vec<guanai::service::TimelineEntry> {
    let svc = s.as_user("王校长");
    let child = svc.resolve_child("20240701").unwrap();
    svc.timeline(child.id).unwrap()
}

/// The class teacher in 张小珠's file, the cursor on the talk of 11-03 (the third entry).
fn on_the_talk() -> (School, Harness) {
    let (s, mut t) = class_teacher_at_80x24();
    t.press(&["1", "<Enter>"]);
    assert_eq!(t.app.focus, Pane::Child, "{}", t.screen());
    t.press(&["j", "j"]);
    (s, t)
}

#[test]
fn e_corrects_the_entry_under_the_cursor_and_the_form_names_it() {
    let (s, mut t) = on_the_talk();
    let talk = timeline(&s)[2].event.clone();
    assert_eq!(talk.kind, EventKind::Talk);
    t.press(&["e"]);
    let screen = t.screen();
    assert!(
        screen.contains(&format!("更正记录 #{} · 张小珠", talk.id.0)),
        "{screen}"
    );
    assert!(screen.contains("期中考试后情绪低落, 已鼓励"), "{screen}");
    // The note is corrected in place and the date moved back a day.
    t.press(&["<C-u>"])
        .type_text("期中考试后情绪低落, 已和奶奶沟通");
    t.press(&["<S-Tab>", "<S-Tab>", "<C-u>"])
        .type_text("2026-11-02");
    t.press(&["<Enter>"]);
    assert!(t.app.form.is_none(), "{}", t.screen());
    assert!(
        t.screen().contains("已更正: 谈心 · 张小珠"),
        "{}",
        t.screen()
    );
    let after = timeline(&s);
    let e = after.iter().find(|e| e.event.id == talk.id).unwrap();
    assert_eq!(e.event.summary, "期中考试后情绪低落, 已和奶奶沟通");
    assert_eq!(e.event.date, day(2026, 11, 2));
    assert_eq!(e.event.version, 2);
    assert_eq!(after.len(), 5, "no entry added");
    // A date that moves it to the top: the cursor goes with it, so d acts on it.
    t.press(&["e", "<S-Tab>", "<S-Tab>", "<C-u>"])
        .type_text("2026-11-25");
    t.press(&["<Enter>"]);
    let child = &t.app.child;
    assert_eq!(child.timeline[0].event.id, talk.id);
    assert_eq!(child.timeline[child.scroll.selected].event.id, talk.id);
}

#[test]
fn d_voids_with_a_reason_the_entry_stays_struck_through_and_u_y_brings_it_back() {
    let (s, mut t) = on_the_talk();
    let talk = timeline(&s)[2].event.clone();
    t.press(&["d"]);
    let screen = t.screen();
    assert!(
        screen.contains(&format!("张小珠 · #{} 2026-11-03 谈心", talk.id.0)),
        "{screen}"
    );
    // Enter with no reason is refused in the prompt, naming the field.
    t.press(&["<Enter>"]);
    assert!(t.screen().contains("原因"), "{}", t.screen());
    assert!(timeline(&s)[2].void.is_none());
    t.type_text("记重复了").press(&["<Enter>"]);
    let e = &timeline(&s)[2];
    assert_eq!(e.void.as_ref().map(|v| v.reason.as_str()), Some("记重复了"));
    let screen = t.screen();
    assert!(screen.contains("[已作废: 记重复了]"), "{screen}");
    // Struck through on the screen, not only tagged.
    let row = screen.lines().position(|l| l.contains("已作废")).unwrap() as u16;
    let struck = (0..80u16).any(|x| {
        t.frame[(x, row)]
            .modifier
            .contains(ratatui::style::Modifier::CROSSED_OUT)
    });
    assert!(struck, "{screen}");
    // Neither e nor d again on a voided entry.
    t.press(&["e"]);
    assert!(t.app.form.is_none());
    assert!(t.screen().contains("这条记录已作废"), "{}", t.screen());
    // u says what it takes back, y does it.
    t.press(&["u"]);
    assert!(
        t.screen().contains("作废记录 · 张小珠 · 谈心 2026-11-03"),
        "{}",
        t.screen()
    );
    t.press(&["y"]);
    assert!(timeline(&s)[2].void.is_none());
    assert!(t.screen().contains("已撤销: 作废记录"), "{}", t.screen());
}

#[test]
fn a_teacher_is_told_why_a_counselling_entry_cannot_be_corrected() {
    let (s, mut t) = on_the_talk();
    t.press(&["j"]);
    assert_eq!(timeline(&s)[3].event.kind, EventKind::Counseling);
    t.press(&["e"]);
    assert!(t.app.form.is_none());
    assert!(
        t.screen()
            .contains("心理辅导记录只有心理辅导教师可以更正或作废"),
        "{}",
        t.screen()
    );
    t.press(&["d"]);
    assert!(t.app.overlay.is_none());
}

#[test]
fn an_entry_changed_meanwhile_is_not_overwritten_and_the_form_shows_it() {
    let (s, mut t) = on_the_talk();
    let talk = timeline(&s)[2].event.clone();
    t.press(&["e", "<C-u>"]).type_text("我的更正");
    // The principal corrects it first.
    let mut theirs = EventChange::of(&talk);
    theirs.summary = "校长的更正".into();
    s.service
        .execute(Command::EditEvent {
            event: talk.id,
            version: 1,
            change: Box::new(theirs),
        })
        .unwrap();
    t.press(&["<Enter>"]);
    assert!(t.app.form.is_some(), "the form stays with what was typed");
    let screen = t.screen();
    assert!(screen.contains("刚被别人修改过"), "{screen}");
    assert!(screen.contains("校长的更正"), "{screen}");
    assert_eq!(timeline(&s)[2].event.summary, "校长的更正");
}

#[test]
fn d_on_a_task_in_the_queue_voids_it_with_a_reason() {
    let s = fixture();
    let admin = s.as_user("王校长");
    let zxz = admin.resolve_child("20240701").unwrap().id;
    let task = add_task(&admin, zxz, "回访奶奶", day(2026, 11, 20), s.teacher);
    let mut t = harness(&s, "李老师", 80, 24);
    t.press(&["3"]);
    let at = t
        .app
        .queue
        .rows
        .iter()
        .position(|i| matches!(i, QueueItem::Task(_)))
        .unwrap();
    t.app.queue.pos.selected = at;
    t.press(&["d"]);
    assert!(
        t.screen().contains("张小珠 · 回访奶奶 · 作废原因"),
        "{}",
        t.screen()
    );
    t.type_text("重复了").press(&["<Enter>"]);
    assert!(admin.open_tasks().unwrap().is_empty());
    assert!(admin.task(task).unwrap().is_some(), "kept on record");
    assert!(
        t.app
            .queue
            .rows
            .iter()
            .all(|i| !matches!(i, QueueItem::Task(_))),
        "gone from the queue"
    );
    // On a duty line, d says it is for tasks.
    t.press(&["g", "d"]);
    assert!(t.app.overlay.is_none());
}

#[test]
fn an_undo_refused_says_it_was_not_undone_and_why() {
    let (s, mut t) = on_the_talk();
    let talk = timeline(&s)[2].event.clone();
    t.press(&["e", "<C-u>"])
        .type_text("我的更正")
        .press(&["<Enter>"]);
    // The principal corrects it again: the teacher's correction cannot be taken back.
    let mut theirs = EventChange::of(&timeline(&s)[2].event);
    theirs.summary = "校长的更正".into();
    s.service
        .execute(Command::EditEvent {
            event: talk.id,
            version: 2,
            change: Box::new(theirs),
        })
        .unwrap();
    t.press(&["u", "y"]);
    let screen = t.screen();
    assert!(screen.contains("没有撤销:"), "{screen}");
    assert_eq!(timeline(&s)[2].event.summary, "校长的更正", "theirs kept");
}
