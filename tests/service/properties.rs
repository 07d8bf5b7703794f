use super::*;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Whatever order events are logged in, the timeline is sorted newest first and the
    /// last-event index agrees with the latest event of each kind in it.
    #[test]
    fn indexes_agree_with_the_events(log in proptest::collection::vec((0u8..4, 0i64..300), 1..40)) {
        let s = school();
        let c = add_child(&s.service, full_child("张小珠", "1", s.teacher));
        let kinds = [EventKind::Talk, EventKind::Call, EventKind::HomeVisit, EventKind::GuardianContact];
        for (k, days_ago) in &log {
            let date = today() - chrono::Duration::days(*days_ago);
            s.service.execute(event(c, kinds[*k as usize], date, s.teacher, "")).unwrap();
        }
        let t = s.service.timeline(c).unwrap();
        prop_assert_eq!(t.len(), log.len());
        for pair in t.windows(2) {
            prop_assert!((pair[0].event.date, pair[0].event.id) > (pair[1].event.date, pair[1].event.id));
        }
        for kind in kinds {
            let latest = t.iter().find(|e| e.event.kind == kind).map(|e| e.event.id);
            let indexed = s.service.last_event(c, kind).unwrap().map(|e| e.id);
            prop_assert_eq!(latest, indexed);
        }
    }
}
