use super::*;
use guanai::transfer::dump::Dump;

#[test]
fn an_update_based_on_an_old_version_is_refused() {
    let s = school();
    let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let mut changed = full_child("张小珠", "1", s.teacher);
    changed.village = Some("石桥村".into());
    let update = |version| Command::UpdateChild {
        child: c,
        version,
        file: Box::new(changed.clone()),
    };
    assert_eq!(s.service.execute(update(1)).unwrap(), Outcome::Updated(c));
    // Another teacher read version 1 too: refused, nothing overwritten.
    // Another teacher, in another handle, read version 1 too.
    let stale = s.as_user("李老师").execute(update(1)).unwrap_err();
    assert!(matches!(stale, ServiceError::Stale { found: 2, .. }));
    let m = stale.message(guanai::i18n::Lang::Zh);
    assert!(
        m.contains("没有保存") && m.contains("村=石桥村"),
        "the newer value is shown: {m}"
    );
    assert_eq!(s.service.execute(update(2)).unwrap(), Outcome::Unchanged(c));
    assert_eq!(
        s.service.resolve_child("1").unwrap().village.as_deref(),
        Some("石桥村")
    );
}

#[test]
fn a_dump_loads_only_into_an_empty_database_and_is_checked_whole() {
    let s = school();
    add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let dump: Dump = s.service.dump().unwrap();
    assert!(matches!(
        s.service.execute(Command::LoadDump(Box::new(dump.clone()))),
        Err(ServiceError::NotEmpty)
    ));
    let mut twice = dump.clone();
    twice
        .records
        .children
        .push(twice.records.children[0].clone());
    match guanai::service::check_dump(&twice) {
        Err(ServiceError::Invalid { field, value, .. }) => {
            assert_eq!(field, guanai::service::Field::Dump);
            assert_eq!(value, "children: duplicate or zero ids");
        }
        other => panic!("duplicate ids: {other:?}"),
    }
    let dir = tempfile::tempdir().unwrap();
    let fresh = Service::open(&dir.path().join("f.redb"), today(), Identity::Unknown).unwrap();
    assert!(matches!(
        fresh
            .execute(Command::LoadDump(Box::new(dump.clone())))
            .unwrap(),
        Outcome::Loaded(_)
    ));
    let again = Service::open(
        &dir.path().join("f.redb"),
        today(),
        Identity::Staff("王校长".into()),
    )
    .unwrap()
    .dump()
    .unwrap();
    assert_eq!(again, dump);
}

#[test]
fn a_read_only_handle_reads_and_refuses_to_write() {
    let s = school();
    add_child(&s.service, full_child("张小珠", "1", s.teacher));
    let path = s.path();
    let before = std::fs::read(&path).unwrap();
    let ro = Service::open_read_only(&path, today(), Identity::Staff("李老师".into())).unwrap();
    assert_eq!(ro.roster(false).unwrap().len(), 1);
    let refused = ro.execute(staff("新老师", &[Role::Mentor], &[]));
    assert!(
        matches!(refused, Err(ServiceError::Store(_))),
        "a read-only handle cannot write: {refused:?}"
    );
    drop(ro);
    assert!(
        std::fs::read(&path).unwrap() == before,
        "a read-only open changes nothing"
    );
}
