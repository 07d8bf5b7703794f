use super::*;

#[test]
fn counselling_notes_live_in_their_own_file_and_every_reading_is_audited() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let counselor = s.as_user("陈老师");
    counselor
        .execute(event(
            c,
            EventKind::Counseling,
            today(),
            s.counselor,
            "家中变故, 情绪低落",
        ))
        .unwrap();
    let secret = "家中变故".as_bytes();
    let contains = |bytes: &[u8]| bytes.windows(secret.len()).any(|w| w == secret);
    assert!(
        !contains(&std::fs::read(s.path()).unwrap()),
        "the main file holds no note"
    );
    let notes_path = counselor.notes_path();
    assert!(
        contains(&std::fs::read(&notes_path).unwrap()),
        "the notes file holds it"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&notes_path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // A counsellor reads it, and the reading is in the audit log; a teacher gets no note.
    let seq = s.service.change_seq().unwrap();
    assert_eq!(
        counselor.timeline(c).unwrap()[0].event.summary,
        "家中变故, 情绪低落"
    );
    let log = s.service.audit(Some(c), None, None).unwrap();
    let read = log
        .iter()
        .filter(|e| e.record.command == "read_counseling")
        .count();
    assert_eq!(read, 1);
    assert!(s.service.change_seq().unwrap() > seq);
    let teacher = s.as_user("李老师").timeline(c).unwrap();
    assert!(teacher[0].restricted && teacher[0].event.summary.is_empty());
}

#[test]
fn notes_without_a_session_are_listed_repaired_and_never_shown_on_a_new_session() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let mut counselor = s.as_user("陈老师");
    // What an interrupted log leaves: a note under the id the next event will take.
    let next = guanai::store::Store::open_read_only(&s.path())
        .unwrap()
        .read()
        .unwrap()
        .next_event_id()
        .unwrap();
    guanai::store::notes::Notes::open(&s.path())
        .unwrap()
        .put_many(&[(EventId(next), "上次没记完的谈话".into())])
        .unwrap();
    let problems = counselor.check().unwrap();
    assert_eq!(
        problems,
        vec![format!(
            "counselling note {next} belongs to no counselling session (guanai check --repair removes it)"
        )]
    );
    // A session logged without a note under that id does not show the stale one.
    let id = match counselor
        .execute(event(c, EventKind::Counseling, today(), s.counselor, ""))
        .unwrap()
    {
        Outcome::Event(id) => id,
        other => panic!("{other:?}"),
    };
    assert_eq!(id.0, next);
    let shown = counselor
        .last_event(c, EventKind::Counseling)
        .unwrap()
        .unwrap();
    assert_eq!(shown.summary, "", "the stale note was cleared");
    assert!(counselor.check().unwrap().is_empty());
    // An orphan left some other way is removed by the repair, and only it.
    let notes = guanai::store::notes::Notes::open(&s.path()).unwrap();
    notes
        .put_many(&[(EventId(9_999), "孤立的记录".into())])
        .unwrap();
    assert_eq!(counselor.check().unwrap().len(), 1);
    assert!(counselor.check_repairing(true).unwrap().is_empty());
    assert!(counselor.check().unwrap().is_empty());
    assert_eq!(notes.events().unwrap(), Vec::<EventId>::new());
    // An administrator's check does not read the notes at all.
    notes
        .put_many(&[(EventId(9_998), "孤立的记录".into())])
        .unwrap();
    let mut admin = s.as_user("王校长");
    assert!(admin.check().unwrap().is_empty());
}

#[test]
fn undoing_a_session_removes_its_note_after_the_undo_is_committed() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let mut counsellor = s.as_user("陈老师");
    counsellor
        .execute(event(
            c,
            EventKind::Counseling,
            today(),
            s.counselor,
            "要撤销的谈话",
        ))
        .unwrap();
    let notes = guanai::store::notes::Notes::open(&s.path()).unwrap();
    assert_eq!(notes.events().unwrap().len(), 1);
    counsellor.execute(Command::Undo).unwrap();
    assert_eq!(
        notes.events().unwrap(),
        Vec::<EventId>::new(),
        "the note went with it"
    );
    assert!(counsellor.check().unwrap().is_empty());
}
