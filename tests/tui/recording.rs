//! Recording from the keyboard: the log form, tasks in the queue, undo, the contact card,
//! archiving and restoring, and group activities.

use super::*;

#[test]
fn logging_an_overdue_talk_from_the_queue_takes_two_keystrokes_and_the_note() {
    let (s, mut t) = class_teacher_at_80x24();
    // The first row: 蔡东剑's monthly talk, overdue.
    let QueueItem::Duty(row) = t.app.queue.rows[0] else {
        panic!("a duty first")
    };
    let duty = t
        .app
        .data
        .queue
        .duty(&t.app.data.queue.rows[row])
        .unwrap()
        .name
        .clone();
    assert_eq!(duty, "talk");
    let before = stored(&s, "蔡东剑").len();
    // The literal path: l, the note, Enter.
    let keys = ["l", "<Enter>"];
    assert!(keys.len() <= 4);
    t.press(&keys[..1])
        .type_text("期中考试后情绪低落, 已鼓励")
        .press(&keys[1..]);
    assert!(t.app.form.is_none(), "saved and closed");
    let events = stored(&s, "蔡东剑");
    assert_eq!(events.len(), before + 1);
    let e = &events[0];
    assert_eq!((e.kind, e.date), (EventKind::Talk, today()));
    assert_eq!(e.summary, "期中考试后情绪低落, 已鼓励");
    assert_eq!(e.staff, s.teacher, "by the current user");
    // The row left the queue at once.
    let cai = t.app.selected_queue_child();
    assert!(
        !t.app
            .data
            .queue
            .rows
            .iter()
            .any(|r| Some(r.child) == cai && t.app.data.queue.duty(r).unwrap().name == "talk"),
        "the talk row is gone"
    );
    assert!(
        t.screen().contains("已记录: 谈心 · 蔡东剑"),
        "{}",
        t.screen()
    );
}

#[test]
fn a_key_per_kind_dates_as_teachers_write_them_and_who_was_present() {
    let (s, mut t) = class_teacher_at_80x24();
    // 张小珠 is the roster's first row.
    t.press(&["1", "v"]);
    assert_eq!(t.app.form.as_ref().unwrap().kind, EventKind::HomeVisit);
    t.type_text("家访, 奶奶身体尚可");
    // Up to the present, then the date.
    t.press(&["<Up>"]).type_text("奶奶，父亲");
    t.press(&["<Up>", "<Up>", "<C-u>"]).type_text("昨天");
    t.press(&["<Enter>"]);
    let e = &stored(&s, "张小珠")[0];
    assert_eq!((e.kind, e.date), (EventKind::HomeVisit, day(2026, 11, 28)));
    assert_eq!(e.present, vec!["奶奶", "父亲"]);
    for (typed, want) in [
        ("-3", day(2026, 11, 26)),
        ("11/20", day(2026, 11, 20)),
        ("2026-11-02", day(2026, 11, 2)),
    ] {
        t.press(&["1", "c", "<Up>", "<Up>", "<Up>", "<C-u>"])
            .type_text(typed)
            .press(&["<Enter>"]);
        let e = stored(&s, "张小珠")
            .into_iter()
            .find(|e| e.kind == EventKind::Call && e.date == want);
        assert!(e.is_some(), "{typed} → {want}");
    }
    // h: guardian contact; a: the kind picker, → to choose.
    t.press(&["1", "h"]);
    assert_eq!(
        t.app.form.as_ref().unwrap().kind,
        EventKind::GuardianContact
    );
    t.press(&["<Esc>", "a"]);
    let f = t.app.form.as_ref().unwrap();
    assert_eq!(f.focus, guanai::tui::forms::log::FormField::Kind);
    t.press(&["<Right>"]);
    assert_eq!(t.app.form.as_ref().unwrap().kind, EventKind::Talk);
}

#[test]
fn a_mistake_keeps_the_form_and_says_what_is_accepted_on_the_field() {
    let (s, mut t) = class_teacher_at_80x24();
    let before = stored(&s, "张小珠").len();
    t.press(&["1", "t"]).type_text("谈心记录");
    t.press(&["<Up>", "<Up>", "<Up>", "<C-u>"])
        .type_text("2026-13-01")
        .press(&["<Enter>"]);
    let f = t.app.form.as_ref().expect("the form stays open");
    assert_eq!(f.focus, guanai::tui::forms::log::FormField::Date);
    let (_, message) = f.error.as_ref().unwrap();
    assert!(message.contains("2026-13-01"), "{message}");
    assert_eq!(f.summary.text(), "谈心记录", "nothing typed is lost");
    assert!(t.screen().contains("2026-13-01"), "{}", t.screen());
    assert_eq!(stored(&s, "张小珠").len(), before, "nothing written");
    // A child of another class: the service refuses, the form says so.
    t.press(&["<Esc>", "y", "/"])
        .type_text("张晓志")
        .press(&["<Enter>", "t"]);
    t.type_text("谈心").press(&["<Enter>"]);
    assert!(
        t.app.form.as_ref().is_some_and(|f| f.error.is_some()),
        "{}",
        t.screen()
    );
    assert_eq!(stored(&s, "张晓志").len(), 0);
}

#[test]
fn cancelling_a_changed_form_asks_first() {
    let (s, mut t) = class_teacher_at_80x24();
    t.press(&["1", "t", "<Esc>"]);
    assert!(t.app.form.is_none(), "an untouched form closes at once");
    t.press(&["t"]).type_text("写了一半").press(&["<Esc>"]);
    assert!(t.app.form.as_ref().unwrap().confirm_cancel);
    assert!(t.screen().contains("放弃已填写的内容?"), "{}", t.screen());
    t.press(&["n"]);
    assert_eq!(t.app.form.as_ref().unwrap().summary.text(), "写了一半");
    t.press(&["<Esc>", "y"]);
    assert!(t.app.form.is_none());
    assert!(stored(&s, "张小珠").iter().all(|e| e.summary != "写了一半"));
}

#[test]
fn a_follow_up_creates_a_task_and_a_draft_survives_the_terminal_dying() {
    let s = fixture();
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("draft.json");
    let mut t = harness(&s, "李老师", 80, 24);
    t.app.draft_path = Some(draft.clone());
    t.press(&["1", "t"]).type_text("奶奶说孩子晚上失眠");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&draft).unwrap().permissions().mode() & 0o077,
        0
    );
    // The terminal dies: a new app on the same file finds the draft.
    drop(t);
    let mut t = harness(&s, "李老师", 80, 24);
    t.app.draft_path = Some(draft.clone());
    assert!(t.app.restore_draft());
    t.draw();
    assert_eq!(
        t.app.form.as_ref().unwrap().summary.text(),
        "奶奶说孩子晚上失眠"
    );
    assert!(
        t.screen().contains("已恢复上次未保存的记录"),
        "{}",
        t.screen()
    );
    // It waits: keys meant for the panes (1, N) do not land in a field.
    t.press(&["1", "N"]);
    assert_eq!(
        t.app.form.as_ref().unwrap().summary.text(),
        "奶奶说孩子晚上失眠"
    );
    assert!(t.screen().contains("Enter 继续填写"), "{}", t.screen());
    t.press(&["<Enter>"]);
    assert!(!t.app.draft_waiting);
    // Needs follow-up: Space on the toggle, a due date, Enter.
    t.press(&["<Down>", "<Space>", "<Down>"]).type_text("12-05");
    t.press(&["<Enter>"]);
    assert!(t.app.form.is_none(), "{}", t.screen());
    assert!(!draft.exists(), "the draft is gone once saved");
    let e = &stored(&s, "张小珠")[0];
    assert!(e.follow_up);
    let dump = s.as_user("王校长").dump().unwrap();
    let task = dump.records.tasks.last().unwrap();
    assert_eq!(
        (task.due, task.text.as_str()),
        (day(2026, 12, 5), "奶奶说孩子晚上失眠")
    );
    assert_eq!(task.assignee, s.teacher);
}

#[test]
fn tasks_stand_in_the_queue_and_are_done_put_off_or_handed_over() {
    let s = fixture();
    let zxz = s.service.resolve_child("张小珠").unwrap().id;
    add_task(
        &s.service,
        zxz,
        "联系父亲补办医保",
        day(2026, 11, 25),
        s.teacher,
    );
    let mut t = harness(&s, "李老师", 80, 24);
    // Overdue by four days, mine: among my lines, with the duties.
    let at = t
        .app
        .queue
        .rows
        .iter()
        .position(|i| matches!(i, QueueItem::Task(_)))
        .expect("the task is in the queue");
    assert!(t.screen().contains("联系父亲补办医保"), "{}", t.screen());
    assert!(t.screen().contains("待办任务"), "{}", t.screen());
    // x on a duty line says it is for tasks only.
    let duty_at = t
        .app
        .queue
        .rows
        .iter()
        .position(|i| matches!(i, QueueItem::Duty(_)))
        .unwrap();
    t.app.queue.pos.selected = duty_at;
    t.press(&["x"]);
    assert!(t.screen().contains("不是待办任务"), "{}", t.screen());
    // z: put off to a day; a past day is refused in the prompt.
    t.app.queue.pos.selected = at;
    t.press(&["z"]).type_text("11-20").press(&["<Enter>"]);
    assert!(
        matches!(t.app.overlay, Some(Overlay::Prompt { error: Some(_), .. })),
        "{}",
        t.screen()
    );
    t.press(&["<C-u>"]).type_text("12-03").press(&["<Enter>"]);
    assert!(t.app.overlay.is_none(), "{}", t.screen());
    let task = s.as_user("王校长").dump().unwrap().records.tasks[0].clone();
    assert_eq!(task.due, day(2026, 12, 3));
    // r: hand it to 陈老师 (李老师 no longer sees it among their own).
    let at = t
        .app
        .queue
        .rows
        .iter()
        .position(|i| matches!(i, QueueItem::Task(_)))
        .unwrap();
    t.app.queue.pos.selected = at;
    t.press(&["r"]).type_text("陈老师").press(&["<Enter>"]);
    let task = s.as_user("王校长").dump().unwrap().records.tasks[0].clone();
    assert_eq!(task.assignee, s.counselor);
    // x: done; it leaves the queue.
    let at = t
        .app
        .queue
        .rows
        .iter()
        .position(|i| matches!(i, QueueItem::Task(_)))
        .unwrap();
    t.app.queue.pos.selected = at;
    t.press(&["x"]);
    assert!(
        t.app
            .queue
            .rows
            .iter()
            .all(|i| !matches!(i, QueueItem::Task(_)))
    );
    let task = s.as_user("王校长").dump().unwrap().records.tasks[0].clone();
    assert_eq!(task.done, Some(today()));
    assert_eq!(task.version, 4, "three changes, each audited");
    // A second teacher's copy of the task is stale: refused, not overwritten.
    let stale = s.as_user("王校长").execute(Command::UpdateTask {
        task: task.id,
        version: 1,
        change: guanai::service::TaskChange::Snooze(day(2026, 12, 20)),
    });
    assert!(
        matches!(stale, Err(guanai::service::ServiceError::Stale { .. })),
        "{stale:?}"
    );
}

#[test]
fn undo_reverts_my_last_change_and_is_audited() {
    let (s, mut t) = class_teacher_at_80x24();
    let before = stored(&s, "蔡东剑").len();
    let rows_before = t.app.queue.rows.len();
    t.press(&["l"]).type_text("谈心").press(&["<Enter>"]);
    assert_eq!(stored(&s, "蔡东剑").len(), before + 1);
    assert!(t.app.queue.rows.len() < rows_before);
    // u shows what it would take back and waits: n keeps the talk.
    t.press(&["u"]);
    assert!(
        t.screen()
            .contains("将撤销你的上一次修改: 记录 · 蔡东剑 · 谈心 2026-11-29"),
        "{}",
        t.screen()
    );
    assert_eq!(
        stored(&s, "蔡东剑").len(),
        before + 1,
        "nothing undone before y"
    );
    t.press(&["n"]);
    assert!(t.screen().contains("没有撤销"), "{}", t.screen());
    assert_eq!(stored(&s, "蔡东剑").len(), before + 1);
    // u, y: the talk is gone, and the queue row back.
    t.press(&["u", "y"]);
    assert_eq!(stored(&s, "蔡东剑").len(), before);
    assert_eq!(t.app.queue.rows.len(), rows_before);
    assert!(t.screen().contains("已撤销: 记录"), "{}", t.screen());
    // Nothing else of 李老师's to undo (the fixture was written by the principal).
    t.press(&["u"]);
    assert!(t.screen().contains("没有可以撤销的修改"), "{}", t.screen());
    assert!(
        !t.screen().contains("出错了"),
        "not an error: {}",
        t.screen()
    );
    assert!(!t.app.status.as_ref().unwrap().error);
    // The undo is in the audit log, with what it took back.
    let audit = s.as_user("王校长").audit(None, None, None).unwrap();
    let last = audit.last().unwrap();
    assert_eq!(last.record.command, "undo");
    assert!(
        last.record.target.starts_with("undo:"),
        "{}",
        last.record.target
    );
    assert!(last.record.before.as_deref().unwrap_or("").contains("谈心"));
}

#[test]
fn undo_brings_an_archived_file_back_and_a_changed_task_and_stops_at_a_stale_one() {
    let s = fixture();
    let admin = s.as_user("王校长");
    let zxz = admin.resolve_child("张小珠").unwrap().id;
    admin
        .execute(Command::ArchiveChild {
            child: zxz,
            reason: ArchiveReason::Transferred,
            date: today(),
        })
        .unwrap();
    assert!(!admin.resolve_child("20240701").unwrap().is_active());
    let mut t = harness(&s, "王校长", 80, 24);
    t.press(&["u", "y"]);
    assert!(
        admin.resolve_child("20240701").unwrap().is_active(),
        "{}",
        t.screen()
    );
    // Two undos in a row: the second reaches the change before.
    let task = add_task(&admin, zxz, "回访", day(2026, 12, 1), s.teacher);
    admin
        .execute(Command::UpdateTask {
            task,
            version: 1,
            change: guanai::service::TaskChange::Snooze(day(2026, 12, 9)),
        })
        .unwrap();
    t.press(&["u", "y"]);
    assert_eq!(admin.task(task).unwrap().unwrap().due, day(2026, 12, 1));
    t.press(&["u", "y"]);
    assert!(
        admin.task(task).unwrap().is_none(),
        "the task's creation undone"
    );
    // A file someone else changed since cannot be taken back silently.
    let admin_file = admin.resolve_child("20240701").unwrap();
    admin
        .execute(Command::SurveyChild {
            child: zxz,
            situation: Situation {
                surveyed: Some(today()),
                ..admin_file.situation.clone()
            },
        })
        .unwrap();
    let counselor = s.as_user("陈老师");
    let f = counselor.resolve_child("20240701").unwrap();
    counselor
        .execute(Command::ArchiveChild {
            child: zxz,
            reason: ArchiveReason::Graduated,
            date: today(),
        })
        .unwrap();
    let _ = f;
    let refused = admin.execute(Command::Undo);
    assert!(
        matches!(refused, Err(guanai::service::ServiceError::Stale { .. })),
        "{refused:?}"
    );
}

#[test]
fn the_contact_card_archive_with_a_reason_and_restore() {
    let (s, mut t) = class_teacher_at_80x24();
    // p: every phone of 张小珠 (the roster's first row) on one screen.
    t.press(&["1", "p"]);
    let card = t.screen();
    for part in [
        "联系卡 · 张小珠",
        "张奶奶(祖母)",
        "138 0000 0001",
        "张大山",
        "139 0000 0001",
        "广州电子厂",
        "李春花",
        "东莞服装厂",
        "青山村委会",
    ] {
        assert!(card.contains(part), "the card lacks {part}:\n{card}");
    }
    t.press(&["j"]);
    assert!(t.app.overlay.is_none(), "any key closes the card");
    // Not for a child of another class: the basic file has no phones.
    t.press(&["/"]).type_text("张晓志").press(&["<Enter>", "p"]);
    assert!(t.app.overlay.is_none());
    assert!(t.screen().contains("只能查看基本信息"), "{}", t.screen());
    // A: archive with a reason; an empty reason is refused in the prompt.
    t.press(&["1", "<Esc>", "g", "A", "<Enter>"]);
    assert!(
        matches!(t.app.overlay, Some(Overlay::Prompt { error: Some(_), .. })),
        "{}",
        t.screen()
    );
    t.type_text("转学").press(&["<Enter>"]);
    let file = s.as_user("王校长").resolve_child("20240701").unwrap();
    assert_eq!(file.status(), &Status::Archived(ArchiveReason::Transferred));
    assert!(
        t.roster_names().iter().all(|n| n != "张小珠"),
        "archived files leave the roster"
    );
    // R on the archived file (f a shows them): back on the roster.
    t.press(&["f", "a"]);
    let at = t.roster_names().iter().position(|n| n == "张小珠").unwrap();
    t.app.roster.pos.selected = at;
    t.press(&["R"]);
    assert!(
        s.as_user("王校长")
            .resolve_child("20240701")
            .unwrap()
            .is_active()
    );
    assert!(t.screen().contains("档案已恢复"), "{}", t.screen());
}

#[test]
fn a_guardian_training_with_attendance_reaches_timelines_and_the_report() {
    let (s, mut t) = class_teacher_at_80x24();
    // The form starts on the kind: → makes it 家长学校.
    t.press(&["1", "N", "<Right>"]);
    assert_eq!(
        t.app.activity.as_ref().unwrap().0.kind,
        ActivityKind::Training
    );
    t.press(&["<Tab>", "<Tab>"])
        .type_text("监护人家庭教育培训班");
    // Filter by pinyin, mark 张小珠; then her grandmother.
    t.press(&["<Tab>"]).type_text("zxz");
    t.press(&["<Tab>", "<Space>", "<BackTab>", "<C-u>"])
        .type_text("张奶奶");
    t.press(&["<Tab>", "<Space>"]);
    assert!(
        t.screen().contains("已选: 学生 1 人, 监护人 1 人"),
        "{}",
        t.screen()
    );
    t.press(&["<Enter>"]);
    assert!(t.app.activity.is_none(), "{}", t.screen());
    assert!(
        t.screen().contains("已记录活动: 监护人家庭教育培训班"),
        "{}",
        t.screen()
    );
    let e = &stored(&s, "张小珠")[0];
    assert_eq!((e.kind, e.date), (EventKind::Training, today()));
    let f = s
        .service
        .report(
            &guanai::followup::Rules::defaults(),
            None,
            day(2026, 11, 1),
            today(),
        )
        .unwrap();
    assert_eq!((f.trainings, f.training_attendance), (1, 2));
    // A changed activity form asks before it is dropped; an empty title is refused.
    t.press(&["N", "<Tab>", "<Tab>"]).type_text("读书");
    t.press(&["<Esc>"]);
    assert!(t.app.activity.as_ref().unwrap().1, "asks first");
    t.press(&["n", "<C-u>", "<Enter>"]);
    assert!(
        t.app.activity.as_ref().unwrap().0.error.is_some(),
        "{}",
        t.screen()
    );
    t.press(&["<Esc>"]);
    assert!(t.app.activity.is_none(), "an empty form closes at once");
}
