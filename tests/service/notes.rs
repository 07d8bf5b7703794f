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
