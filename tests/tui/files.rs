//! The file form, the five-area survey, drafts that survive the terminal dying, and undo's
//! limits.

use super::*;

/// The position of a roster column in the file form.
fn field(header: &str) -> usize {
    guanai::transfer::write::roster_headers()
        .iter()
        .position(|h| *h == header)
        .unwrap()
}

#[test]
fn a_new_file_is_checked_like_the_import_and_saved() {
    let (s, mut t) = class_teacher_at_80x24();
    t.press(&["1", "n"]);
    assert_eq!(t.app.file_form.as_ref().unwrap().focus, field("姓名"));
    // What must be filled in is marked before anything is saved.
    let screen = t.screen();
    for label in ["姓名*", "性别*", "出生日期*", "班级*", "带 * 的必须填写"] {
        assert!(screen.contains(label), "{label}:\n{screen}");
    }
    assert!(
        !screen.contains("学号*") && !screen.contains("村*"),
        "{screen}"
    );
    t.type_text("新同学").press(&["<Tab>"]).type_text("男");
    t.press(&["<Tab>"]).type_text("2014-02-30");
    t.press(&["<Tab>"]).type_text("七(2)班").press(&["<Enter>"]);
    // 30 February: refused on its field, with what is accepted; nothing written.
    let form = t.app.file_form.as_ref().expect("the form stays");
    assert_eq!(form.focus, field("出生日期"));
    assert!(form.errors[0].1.contains("2014-02-30"), "{:?}", form.errors);
    assert!(t.screen().contains("2014-02-30"), "{}", t.screen());
    assert!(matches!(
        s.as_user("王校长").resolve_child("新同学"),
        Err(guanai::service::ServiceError::UnknownChild { .. })
    ));
    t.press(&["<C-u>"])
        .type_text("2014-02-28")
        .press(&["<Enter>"]);
    assert!(t.app.file_form.is_none(), "{}", t.screen());
    let new = s.as_user("王校长").resolve_child("新同学").unwrap();
    assert_eq!(
        (new.class.as_str(), new.birth),
        ("七(2)班", day(2014, 2, 28))
    );
    assert!(t.roster_names().contains(&"新同学".to_string()));
}

#[test]
fn an_edit_carries_the_version_and_asks_when_another_teacher_saved_first() {
    let (s, mut t) = class_teacher_at_80x24();
    // 张小珠, the roster's first row: change her village.
    t.press(&["1", "e"]);
    let to_village = field("村");
    for _ in 0..to_village {
        t.press(&["<Tab>"]);
    }
    t.press(&["<C-u>"]).type_text("石桥村");
    // Meanwhile the principal changes her address and saves.
    let admin = s.as_user("王校长");
    let now = admin.resolve_child("20240701").unwrap();
    let mut theirs = full_child("张小珠", "20240701", s.teacher);
    theirs.address = Some("青山村5组".into());
    theirs.opened = now.opened();
    admin
        .execute(Command::UpdateChild {
            child: now.id,
            version: now.version,
            file: Box::new(theirs),
        })
        .unwrap();
    t.press(&["<Enter>"]);
    let form = t.app.file_form.as_ref().unwrap();
    assert!(form.conflict.is_some(), "{:?}\n{}", form.errors, t.screen());
    assert!(t.screen().contains("r 看最新的档案"), "{}", t.screen());
    assert_eq!(
        admin.resolve_child("20240701").unwrap().village.as_deref(),
        Some("青山村"),
        "nothing overwritten silently"
    );
    // r: the newest file in the form (their address), then my village again, and save.
    t.press(&["r"]);
    let form = t.app.file_form.as_ref().unwrap();
    assert_eq!(form.fields[field("住址")].text(), "青山村5组");
    t.app.file_form.as_mut().unwrap().focus = to_village;
    t.press(&["<C-u>"]).type_text("石桥村").press(&["<Enter>"]);
    assert!(t.app.file_form.is_none(), "{}", t.screen());
    let saved = admin.resolve_child("20240701").unwrap();
    assert_eq!(saved.village.as_deref(), Some("石桥村"));
    assert_eq!(
        saved.address.as_deref(),
        Some("青山村5组"),
        "their change kept"
    );
}

#[test]
fn the_five_area_survey_is_edited_and_dated_today_and_a_paste_lands_in_the_field() {
    let (s, mut t) = class_teacher_at_80x24();
    t.press(&["1", "S"]);
    assert!(t.screen().contains("五方面情况 · 张小珠"), "{}", t.screen());
    assert_eq!(
        t.app.file_form.as_ref().unwrap().fields[0].text(),
        "数学偏弱"
    );
    t.press(&["<Tab>", "<Tab>", "<C-u>"]);
    assert!(t.app.handle_paste("开朗了许多,\n愿意交流"));
    t.press(&["<Enter>"]);
    assert!(t.app.file_form.is_none(), "{}", t.screen());
    let file = s.as_user("王校长").resolve_child("20240701").unwrap();
    assert_eq!(file.situation.psychology, "开朗了许多, 愿意交流");
    assert_eq!(file.situation.study, "数学偏弱", "the other areas kept");
    assert_eq!(file.situation.surveyed, Some(today()));
    // u says what it takes back and asks; y takes the survey back.
    t.press(&["u"]);
    assert!(t.screen().contains("复查档案 · 张小珠"), "{}", t.screen());
    t.press(&["y"]);
    let file = s.as_user("王校长").resolve_child("20240701").unwrap();
    assert_eq!(file.situation.psychology, "内向");
}

#[test]
fn the_emergency_contact_is_edited_in_the_file_form() {
    let (s, mut t) = class_teacher_at_80x24();
    t.press(&["1", "e"]);
    let form = t.app.file_form.as_mut().unwrap();
    assert_eq!(form.fields[field("紧急联系人")].text(), "青山村委会");
    form.focus = field("紧急联系人电话");
    t.press(&["<C-u>"])
        .type_text("0594-7654321")
        .press(&["<Enter>"]);
    assert!(t.app.file_form.is_none(), "{}", t.screen());
    let file = s.as_user("王校长").resolve_child("20240701").unwrap();
    assert_eq!(file.emergency_contacts[0].name, "青山村委会");
    assert_eq!(file.emergency_contacts[0].phone, "05947654321");
    // A name without a phone is refused on the phone's field.
    t.press(&["e"]);
    t.app.file_form.as_mut().unwrap().focus = field("紧急联系人电话");
    t.press(&["<C-u>", "<Enter>"]);
    let form = t.app.file_form.as_ref().expect("refused");
    assert_eq!(form.focus, field("紧急联系人电话"), "{:?}", form.errors);
}

#[test]
fn the_file_and_activity_forms_survive_the_terminal_dying_too() {
    let s = fixture();
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("draft.json");
    let mut t = harness(&s, "李老师", 80, 24);
    t.app.draft_path = Some(draft.clone());
    t.press(&["1", "n"]).type_text("新同学");
    drop(t);
    let mut t = harness(&s, "李老师", 80, 24);
    t.app.draft_path = Some(draft.clone());
    assert!(t.app.restore_draft());
    let form = t.app.file_form.as_ref().expect("the file form is back");
    assert_eq!(form.fields[field("姓名")].text(), "新同学");
    // Esc at the question discards it: the form closes and the draft is gone.
    t.press(&["<Esc>"]);
    assert!(t.app.file_form.is_none());
    assert!(!draft.exists(), "discarded: no draft");
    assert!(
        t.screen().contains("已放弃上次没保存的内容"),
        "{}",
        t.screen()
    );
    // An activity with a child marked.
    t.press(&["1", "N", "<Tab>", "<Tab>"]).type_text("读书活动");
    t.press(&["<Tab>", "<Tab>", "<Space>"]);
    drop(t);
    let mut t = harness(&s, "李老师", 80, 24);
    t.app.draft_path = Some(draft.clone());
    assert!(t.app.restore_draft());
    let (form, _) = t.app.activity.as_ref().expect("the activity is back");
    assert_eq!(form.title.text(), "读书活动");
    assert_eq!(form.children().len(), 1);
    // Typing before the choice changes nothing; Enter continues where it was left.
    t.type_text("x");
    assert_eq!(t.app.activity.as_ref().unwrap().0.title.text(), "读书活动");
    t.press(&["<Enter>"]);
    assert!(t.app.activity.is_some() && !t.app.draft_waiting);
}

#[test]
fn l_on_a_re_survey_row_opens_the_five_area_survey() {
    let (_s, mut t) = class_teacher_at_80x24();
    let at = t
        .app
        .queue
        .rows
        .iter()
        .position(|i| match i {
            QueueItem::Duty(r) => {
                t.app
                    .data
                    .queue
                    .duty(&t.app.data.queue.rows[*r])
                    .unwrap()
                    .name
                    == "resurvey"
            }
            QueueItem::Task(_) => false,
        })
        .expect("a re-survey row");
    t.app.queue.pos.selected = at;
    let child = t.app.selected_queue_child().unwrap();
    t.press(&["l"]);
    assert!(
        t.app.file_form.as_ref().is_some_and(|f| f.survey),
        "{}",
        t.screen()
    );
    t.type_text("进步明显").press(&["<Enter>"]);
    assert!(
        !t.app
            .data
            .queue
            .rows
            .iter()
            .any(|r| t.app.data.queue.duty(r).unwrap().name == "resurvey" && r.child == child),
        "the row left the queue"
    );
}

#[test]
fn undo_is_refused_without_the_rights_or_over_a_later_change_and_shows_in_the_childs_audit() {
    let s = fixture();
    let admin = s.as_user("王校长");
    let cai = admin.resolve_child("蔡东剑").unwrap();
    // 李老师 logs a talk for 蔡东剑 (七(2)班, her mentee), then the boy moves to 八(1)班 with
    // no mentor: the talk is no longer hers to take back.
    let mut t = harness(&s, "李老师", 80, 24);
    t.press(&["l"]).type_text("谈心").press(&["<Enter>"]);
    let mut moved = NewChild::basic("蔡东剑", Gender::Male, day(2014, 1, 20), "八(1)班");
    moved.student_no = Some("20240702".into());
    moved.opened = Some(day(2026, 9, 1));
    admin
        .execute(Command::UpdateChild {
            child: cai.id,
            version: cai.version,
            file: Box::new(moved),
        })
        .unwrap();
    let refused = s.as_user("李老师").execute(Command::Undo);
    assert!(
        matches!(
            refused,
            Err(guanai::service::ServiceError::NotPermitted { .. })
        ),
        "{refused:?}"
    );
    // A task someone else changed since is not deleted by undoing its creation.
    let zxz = admin.resolve_child("20240701").unwrap().id;
    let teacher = s.as_user("李老师");
    let task = add_task(&teacher, zxz, "回访", day(2026, 12, 1), s.teacher);
    admin
        .execute(Command::UpdateTask {
            task,
            version: 1,
            change: guanai::service::TaskChange::Done(today()),
        })
        .unwrap();
    let refused = teacher.execute(Command::Undo);
    assert!(
        matches!(refused, Err(guanai::service::ServiceError::Stale { .. })),
        "{refused:?}"
    );
    assert!(admin.task(task).unwrap().is_some(), "nothing deleted");
    // The principal's undo of the task's completion is in the child's audit.
    admin.execute(Command::Undo).unwrap();
    let audit = admin.audit(Some(zxz), None, None).unwrap();
    assert!(
        audit.iter().any(|a| a.record.command == "undo"),
        "{audit:?}"
    );
}

#[test]
fn a_counsellor_reading_notes_does_not_set_the_app_reloading_forever() {
    let s = fixture();
    let mut c = harness(&s, "陈老师", 120, 40);
    c.press(&["1", "/"]).type_text("zxz").press(&["<Enter>"]);
    // Opening the file read the notes (audited): one reload at most, then quiet.
    c.app.poll_changes();
    assert!(!c.app.poll_changes(), "no change by anyone else");
    assert!(!c.app.poll_changes());
}

#[test]
fn the_app_notices_a_restore_and_opens_the_restored_file() {
    let (s, mut t) = class_teacher_at_80x24();
    let backup = s.dir.path().join("b.redb");
    s.service.backup(&backup, false).unwrap();
    guanai::service::restore(&backup, None, &s.path(), "20261129-120000", false).unwrap();
    assert!(t.app.service.replaced());
    assert!(t.app.poll_changes());
    assert!(!t.app.service.replaced(), "opened again");
    let status = t.app.status.clone().unwrap();
    assert!(status.text.contains("刚被用备份恢复"), "{}", status.text);
    t.draw();
    assert!(t.screen().contains("刚被用备份恢复"), "{}", t.screen());
}

/// Archive, restore, undo, undo: each undo takes back one of the teacher's own changes, the
/// second as surely as the first (it failed with "changed by someone else" when the first
/// undo's new version was taken for another teacher's change); a change by someone else in
/// between still stops it.
#[test]
fn undo_takes_back_ones_own_changes_one_after_another() {
    let s = fixture();
    let admin = s.as_user("王校长");
    let cai = admin.resolve_child("蔡东剑").unwrap();
    admin
        .execute(Command::ArchiveChild {
            child: cai.id,
            reason: ArchiveReason::Transferred,
            date: today(),
        })
        .unwrap();
    admin
        .execute(Command::RestoreChild {
            child: cai.id,
            date: today(),
        })
        .unwrap();
    admin.execute(Command::Undo).unwrap();
    assert!(
        !admin.child(cai.id).unwrap().is_active(),
        "the restore is undone"
    );
    admin.execute(Command::Undo).unwrap();
    let back = admin.child(cai.id).unwrap();
    assert!(back.is_active(), "the archiving is undone too");
    assert_eq!(back.status_history, cai.status_history);
    // A change by someone else in between still stops an undo.
    let file = |address: &str| {
        let mut f = NewChild::basic("蔡东剑", Gender::Male, day(2014, 1, 20), "七(2)班");
        f.student_no = Some("20240702".into());
        f.mentor = Some(s.teacher);
        f.opened = Some(day(2026, 9, 1));
        f.address = Some(address.into());
        f
    };
    let now = admin.child(cai.id).unwrap();
    admin
        .execute(Command::UpdateChild {
            child: cai.id,
            version: now.version,
            file: Box::new(file("一组")),
        })
        .unwrap();
    let now = admin.child(cai.id).unwrap();
    s.as_user("李老师")
        .execute(Command::UpdateChild {
            child: cai.id,
            version: now.version,
            file: Box::new(file("二组")),
        })
        .unwrap();
    let refused = admin.execute(Command::Undo);
    assert!(
        matches!(refused, Err(guanai::service::ServiceError::Stale { .. })),
        "{refused:?}"
    );
    assert_eq!(
        admin.child(cai.id).unwrap().address.as_deref(),
        Some("二组")
    );
}

/// In English the file form's labels and the field named in a mistake are English.
#[test]
fn the_file_form_speaks_english_to_english_readers() {
    let s = fixture();
    let mut t = harness_with(&s, "李老师", Lang::En, 80, 24);
    t.press(&["1", "n"]);
    let screen = t.screen();
    for label in [
        "Student no.",
        "Name",
        "Gender",
        "Birth date",
        "Class",
        "ID number",
    ] {
        assert!(screen.contains(label), "{label}: {screen}");
    }
    for chinese in ["学号", "姓名", "出生日期"] {
        assert!(!screen.contains(chinese), "{chinese}: {screen}");
    }
    t.type_text("New Pupil").press(&["<Tab>"]).type_text("x");
    t.press(&["<Enter>"]);
    let form = t.app.file_form.as_ref().expect("the form stays");
    assert!(
        form.errors
            .iter()
            .any(|(_, m)| m.starts_with("Gender: \"x\"")),
        "{:?}",
        form.errors
    );
}
