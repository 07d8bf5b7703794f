//! A process that has the database open never writes into a file a restore replaced: its
//! next change is refused and names the restore, and it can open the path again.

use super::*;

#[test]
fn a_service_opened_before_a_restore_writes_nothing_into_the_replaced_file() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let backup = s.dir.path().join("b.redb");
    s.service.backup(&backup, false).unwrap();
    // Another teacher's process, open before the restore.
    let teacher = s.as_user("李老师");
    s.service
        .execute(event(
            c,
            EventKind::Talk,
            today(),
            s.teacher,
            "备份之后的谈心",
        ))
        .unwrap();
    let done =
        guanai::service::restore(&backup, None, &s.path(), "20261129-120000", false).unwrap();
    let kept = done.kept.clone().unwrap();
    let kept_before = std::fs::read(&kept).unwrap();
    assert!(teacher.replaced());
    let refused = teacher
        .execute(event(c, EventKind::HomeVisit, today(), s.teacher, "家访"))
        .unwrap_err();
    assert!(
        refused
            .message(guanai::i18n::Lang::Zh)
            .contains("刚被用备份恢复"),
        "{}",
        refused.message(guanai::i18n::Lang::Zh)
    );
    assert!(
        std::fs::read(&kept).unwrap() == kept_before,
        "nothing went into the replaced file"
    );
    // Opened again, it works on the restored school: the talk after the backup is gone, the
    // visit can be recorded now.
    let again = teacher.reopen().unwrap();
    assert!(!again.replaced());
    let kinds: Vec<EventKind> = again
        .timeline(c)
        .unwrap()
        .iter()
        .map(|t| t.event.kind)
        .collect();
    assert!(kinds.is_empty(), "{kinds:?}");
    again
        .execute(event(c, EventKind::HomeVisit, today(), s.teacher, "家访"))
        .unwrap();
    assert_eq!(again.timeline(c).unwrap().len(), 1);
}

#[test]
fn a_counsellor_open_before_the_notes_are_restored_writes_no_note_into_the_old_file() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let counsellor = s.as_user("陈老师");
    counsellor
        .execute(event(
            c,
            EventKind::Counseling,
            today(),
            s.counselor,
            "第一次",
        ))
        .unwrap();
    let backup = s.dir.path().join("b.redb");
    let taken = counsellor.backup(&backup, false).unwrap();
    assert_eq!(taken.notes, Some(1));
    let notes_backup = guanai::service::notes_path(&backup);
    guanai::service::restore_notes(&notes_backup, &s.path(), "20261129-120000").unwrap();
    assert!(
        counsellor.replaced(),
        "the notes file it opened was replaced"
    );
    let refused = counsellor
        .execute(event(
            c,
            EventKind::Counseling,
            today(),
            s.counselor,
            "第二次",
        ))
        .unwrap_err();
    assert!(
        refused
            .message(guanai::i18n::Lang::Zh)
            .contains("刚被用备份恢复"),
        "{}",
        refused.message(guanai::i18n::Lang::Zh)
    );
    let again = counsellor.reopen().unwrap();
    again
        .execute(event(
            c,
            EventKind::Counseling,
            today(),
            s.counselor,
            "第二次",
        ))
        .unwrap();
    let notes: Vec<String> = again
        .timeline(c)
        .unwrap()
        .into_iter()
        .map(|t| t.event.summary)
        .collect();
    assert_eq!(notes, vec!["第二次".to_string(), "第一次".to_string()]);
}
