//! The schema version and the steps that bring an older file up to date.
//!
//! Version 1 is the first released schema (version 2 adds the day index of events, version 3
//! the register's fields of a file, version 4 staff titles and the rules in force, version 5
//! the typical-case marks, version 6 the withdrawn entries, version 7 the day table, version 8 the summary's facts of each file, version 9 the roster
//! summaries in a fixed layout); `tests/fixtures/v1.redb` was written by it and every later
//! version must open it (tests/store.rs). A step is added here, never edited, when a stored
//! type or table changes: it reads the old form and writes the new one inside the same
//! transaction that records the new version, so a failed migration leaves the file untouched.
//!
//! One change cannot wait for its turn: the roster summaries' new layout keeps the table's
//! name, and every step opens the tables in this build's form, so the summaries are
//! rewritten first ([`before_tables`]), in the same transaction. Their content is the same in
//! both layouts, so the steps before version 9 see what they always saw.

use redb::ReadableTable;

use super::tables::META_SCHEMA;
use super::{Result, Store, StoreError, Writer};
use crate::domain::{
    Child, ChildId, Contact, Gender, Guardian, LeftBehind, Parent, Register, Settings, Situation,
    Staff, StaffId, StatusChange, Support,
};

/// The schema this build writes.
pub const SCHEMA_VERSION: u64 = 9;

/// One step from `version` to `version + 1`.
type Step = fn(&mut Writer<'_>) -> Result<()>;

/// `STEPS[i]` migrates from version `i + 1` to `i + 2`.
const STEPS: &[Step] = &[
    v1_to_v2, v2_to_v3, v3_to_v4, v4_to_v5, v5_to_v6, v6_to_v7, v7_to_v8, v8_to_v9,
];

/// Version 9 keeps the roster summaries in a fixed layout read in place
/// ([`SummaryRec`](super::summary::SummaryRec)); they were rewritten before the tables were
/// opened ([`before_tables`]).
fn v8_to_v9(_w: &mut Writer<'_>) -> Result<()> {
    Ok(())
}

/// The roster as versions 1 to 8 stored it: postcard, under the type name of `ChildSummary`.
const ROSTER_V8: redb::TableDefinition<u64, super::codec::Rec<crate::domain::ChildSummary>> =
    redb::TableDefinition::new("roster");

/// What must happen in a file's migration before its tables are opened in this build's form:
/// a file older than version 9 has its roster summaries rewritten in the fixed layout (the
/// table keeps its name, and opening it with the new type would be refused).
pub(super) fn before_tables(txn: &redb::WriteTransaction) -> Result<()> {
    let version = txn
        .open_table(super::tables::META)?
        .get(META_SCHEMA)?
        .map(|v| v.value());
    if version.is_none_or(|v| v >= 9) {
        return Ok(());
    }
    let mut summaries = Vec::new();
    {
        // A table already in the fixed layout (a file whose version was set back by hand)
        // is left as it is.
        let old = match txn.open_table(ROSTER_V8) {
            Err(redb::TableError::TableTypeMismatch { .. }) => return Ok(()),
            other => other?,
        };
        for row in old.iter()? {
            let (id, value) = row?;
            summaries.push((id.value(), value.value().decode()?));
        }
    }
    txn.delete_table(ROSTER_V8)?;
    let mut new = txn.open_table(super::tables::ROSTER)?;
    for (id, summary) in summaries {
        new.insert(id, super::summary::SummaryBytes::encode(&summary)?)?;
    }
    Ok(())
}

/// Version 7 adds the day table (`day_events`: each day's events of one kind in rows of 64)
/// and moves the day index's entries into it (the index is left empty).
fn v6_to_v7(w: &mut Writer<'_>) -> Result<()> {
    w.fill_day_events()
}

/// Version 8 adds the work summary's facts of each file (`report_facts`), filled from the
/// files.
fn v7_to_v8(w: &mut Writer<'_>) -> Result<()> {
    w.fill_report_facts()
}

/// Version 2 adds the day index of events (`events_by_day`), filled from the events.
fn v1_to_v2(w: &mut Writer<'_>) -> Result<()> {
    w.index_events_by_day()
}

/// Version 3 adds `Child::register` (身份证号, 民族, 户籍 …): every file is read in its
/// version-2 form and written again with an empty register, its name and class (and the
/// staff's classes) in the one way they are written now, so a school written before ends
/// with one spelling of each class and `child show 李娜` finds a file typed 李　娜.
fn v2_to_v3(w: &mut Writer<'_>) -> Result<()> {
    w.rewrite_children(|stored| Ok(stored.decode_borrowed::<ChildV2>()?.into()))
}

/// Version 4 adds a staff member's title (校长 …) and the school's rules in force by name:
/// staff and settings are read in their version-3 form and written again without them.
fn v3_to_v4(w: &mut Writer<'_>) -> Result<()> {
    w.rewrite_staff_and_settings(
        |stored| {
            let old: StaffV3 = stored.decode_borrowed()?;
            Ok(Staff {
                id: old.id,
                version: old.version,
                name: old.name,
                roles: old.roles,
                unix_user: old.unix_user,
                active: old.active,
                title: None,
                // A class teacher's classes written the one way (六年级1班 is 六(1)班), as
                // the files' classes are by the step before.
                classes: old
                    .classes
                    .iter()
                    .map(|c| crate::domain::normalize_class(c))
                    .collect(),
            })
        },
        |stored| {
            let old: SettingsV3 = stored.decode_borrowed()?;
            Ok(Settings {
                school_name: old.school_name,
                terms: old.terms,
                holidays: old.holidays,
                rules_in_force: Vec::new(),
            })
        },
    )
}

/// Version 5 adds the table of events marked as typical cases (典型案例); opening the tables
/// for this step creates it, empty.
fn v4_to_v5(_w: &mut Writer<'_>) -> Result<()> {
    Ok(())
}

/// Version 6 adds the table of withdrawn (作废) entries; opening the tables for this step
/// creates it, empty.
fn v5_to_v6(_w: &mut Writer<'_>) -> Result<()> {
    Ok(())
}

/// A staff member as version 3 stored it. Never changed.
#[derive(serde::Deserialize)]
struct StaffV3 {
    id: StaffId,
    version: u64,
    name: String,
    roles: Vec<crate::domain::Role>,
    classes: Vec<String>,
    unix_user: Option<String>,
    active: bool,
}

/// The settings as version 3 stored them. Never changed.
#[derive(serde::Deserialize)]
struct SettingsV3 {
    school_name: String,
    terms: Vec<crate::domain::Term>,
    holidays: Vec<crate::domain::Holiday>,
}

/// A file as version 2 stored it: `Child` without `register`. Never changed.
#[derive(serde::Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
struct ChildV2 {
    id: ChildId,
    version: u64,
    name: String,
    gender: Gender,
    #[serde(with = "crate::domain::day")]
    birth: chrono::NaiveDate,
    student_no: Option<String>,
    class: String,
    village: Option<String>,
    address: Option<String>,
    boarding: bool,
    left_behind: LeftBehind,
    parents: Vec<Parent>,
    guardian: Option<Guardian>,
    emergency_contacts: Vec<Contact>,
    mentor: Option<StaffId>,
    buddies: Vec<String>,
    situation: Situation,
    support: Support,
    status_history: Vec<StatusChange>,
}

impl From<ChildV2> for Child {
    fn from(c: ChildV2) -> Child {
        Child {
            id: c.id,
            version: c.version,
            name: c.name,
            gender: c.gender,
            birth: c.birth,
            student_no: c.student_no,
            class: c.class,
            village: c.village,
            address: c.address,
            boarding: c.boarding,
            left_behind: c.left_behind,
            parents: c.parents,
            guardian: c.guardian,
            emergency_contacts: c.emergency_contacts,
            mentor: c.mentor,
            buddies: c.buddies,
            situation: c.situation,
            support: c.support,
            register: Register::default(),
            status_history: c.status_history,
        }
    }
}

pub(super) fn bring_up_to_date(store: &Store) -> Result<()> {
    // The common case (an up-to-date file) needs only a read snapshot.
    if let Ok(reader) = store.read()
        && reader.schema_version()? == Some(SCHEMA_VERSION)
    {
        return Ok(());
    }
    store.write_with(before_tables, |w| {
        match w.schema_version()? {
            None => w.set_meta(META_SCHEMA, SCHEMA_VERSION)?,
            Some(found) if found > SCHEMA_VERSION => {
                return Err(StoreError::NewerSchema {
                    path: store.path.clone(),
                    found,
                    supported: SCHEMA_VERSION,
                });
            }
            Some(found) => {
                for version in found..SCHEMA_VERSION {
                    let step = STEPS
                        .get(version.saturating_sub(1) as usize)
                        .ok_or_else(|| {
                            StoreError::Db(redb::Error::Corrupted(format!(
                                "no migration from schema version {version}"
                            )))
                        })?;
                    step(w)?;
                    w.set_meta(META_SCHEMA, version + 1)?;
                }
            }
        }
        Ok(())
    })
}

#[cfg(test)]
pub(super) fn force_schema_version(store: &Store, version: u64) -> Result<()> {
    store.write(|w| w.set_meta(META_SCHEMA, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_cover_every_version_below_the_current() {
        assert_eq!(STEPS.len() as u64, SCHEMA_VERSION - 1);
    }

    /// A version-2 file whose names and classes were stored as typed (李　娜, 601) comes out of
    /// the migration with one spelling of each, found by the normalised name.
    #[test]
    fn version_2_files_are_migrated_with_one_spelling_of_names_and_classes() {
        use crate::domain::{Gender, NewChild, Role, Staff};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.redb");
        let store = Store::open(&path).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2014, 5, 3).unwrap();
        store
            .write(|w| {
                let mut child = NewChild::basic("李　娜", Gender::Female, day, "601")
                    .into_child(ChildId(1), day);
                child.student_no = Some("20240101".into());
                w.put_child(&child)?;
                let old = ChildV2 {
                    id: child.id,
                    version: child.version,
                    name: child.name.clone(),
                    gender: child.gender,
                    birth: child.birth,
                    student_no: child.student_no.clone(),
                    class: child.class.clone(),
                    village: None,
                    address: None,
                    boarding: false,
                    left_behind: child.left_behind.clone(),
                    parents: Vec::new(),
                    guardian: None,
                    emergency_contacts: Vec::new(),
                    mentor: None,
                    buddies: Vec::new(),
                    situation: Situation::default(),
                    support: Support::default(),
                    status_history: child.status_history.clone(),
                };
                let bytes = postcard::to_stdvec(&old).unwrap();
                w.children
                    .insert(1, super::super::codec::Encoded::from_bytes_owned(bytes))?;
                w.put_staff(&Staff {
                    id: StaffId(1),
                    version: 1,
                    name: "李老师".into(),
                    roles: vec![Role::ClassTeacher],
                    classes: vec!["六年级1班".into()],
                    unix_user: None,
                    active: true,
                    title: None,
                })?;
                Ok::<(), StoreError>(())
            })
            .unwrap();
        force_schema_version(&store, 2).unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        let r = store.read().unwrap();
        assert_eq!(r.schema_version().unwrap(), Some(SCHEMA_VERSION));
        let child = r.child(ChildId(1)).unwrap().unwrap();
        assert_eq!(
            (child.name.as_str(), child.class.as_str()),
            ("李娜", "六(1)班")
        );
        assert_eq!(child.register, Register::default());
        assert_eq!(r.children_named("李娜").unwrap(), vec![ChildId(1)]);
        assert!(r.children_named("李　娜").unwrap().is_empty());
        assert_eq!(r.roster().unwrap()[0].class, "六(1)班");
        assert_eq!(r.staff(StaffId(1)).unwrap().unwrap().classes, ["六(1)班"]);
    }

    #[test]
    fn a_newer_file_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.redb");
        let store = Store::open(&path).unwrap();
        force_schema_version(&store, SCHEMA_VERSION + 1).unwrap();
        drop(store);
        let err = Store::open(&path).err().unwrap();
        assert!(
            matches!(err, StoreError::NewerSchema { found, .. } if found == SCHEMA_VERSION + 1)
        );
        let msg = err.to_string();
        assert!(msg.contains("newer guanai"), "{msg}");
    }

    /// A version-8 file keeps its roster summaries in postcard under the same table name:
    /// the migration rewrites every one in the fixed layout, each the same summary, and the
    /// file checks clean after.
    #[test]
    fn version_8_summaries_are_rewritten_in_the_fixed_layout() {
        use crate::domain::{Event, EventId, EventKind, Gender, NewChild, Status};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.redb");
        let store = Store::open(&path).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        store
            .write(|w| {
                for (id, name) in [(1, "张小珠"), (2, "李娜")] {
                    let mut child = NewChild::basic(name, Gender::Female, day, "七(2)班")
                        .into_child(ChildId(id), day);
                    if id == 2 {
                        child.status_history.push(StatusChange {
                            date: day,
                            status: Status::Archived(crate::domain::ArchiveReason::Other(
                                "随父母去广东".into(),
                            )),
                        });
                    }
                    w.put_child(&child)?;
                }
                w.insert_event(&Event {
                    id: EventId(1),
                    version: 1,
                    child: ChildId(1),
                    kind: EventKind::Talk,
                    date: day,
                    staff: StaffId(1),
                    present: Vec::new(),
                    summary: "谈心".into(),
                    follow_up: false,
                    activity: None,
                })
            })
            .unwrap();
        let before = store.read().unwrap().roster().unwrap();
        assert_eq!(before.len(), 2);
        assert!(before[0].last.get(EventKind::Talk).is_some());
        // The roster put back as version 8 stored it.
        let super::super::Db::Write(db) = &store.db else {
            panic!("opened for writing")
        };
        let txn = db.begin_write().unwrap();
        txn.delete_table(super::super::tables::ROSTER).unwrap();
        {
            let mut old = txn.open_table(ROSTER_V8).unwrap();
            for summary in &before {
                old.insert(
                    summary.id.0,
                    super::super::codec::Encoded::encode(summary).unwrap(),
                )
                .unwrap();
            }
            let mut meta = txn.open_table(super::super::tables::META).unwrap();
            meta.insert(META_SCHEMA, 8).unwrap();
        }
        txn.commit().unwrap();
        drop(store);
        let store = Store::open(&path).unwrap();
        let r = store.read().unwrap();
        assert_eq!(r.schema_version().unwrap(), Some(SCHEMA_VERSION));
        assert_eq!(r.roster().unwrap(), before);
        assert_eq!(r.model_problems().unwrap(), Vec::<String>::new());
    }
}
