//! The schema version and the steps that bring an older file up to date.
//!
//! Version 1 is the first released schema (version 2 adds the day index of events, version 3
//! the register's fields of a file); `tests/fixtures/v1.redb` was written by it and every
//! later version must open it (tests/store.rs). A step is added here, never edited, when a
//! stored type or table changes: it reads the old form and writes the new one inside the same
//! transaction that records the new version, so a failed migration leaves the file untouched.

use super::tables::META_SCHEMA;
use super::{Result, Store, StoreError, Writer};
use crate::domain::{
    Child, ChildId, Contact, Gender, Guardian, LeftBehind, Parent, Register, Situation, StaffId,
    StatusChange, Support,
};

/// The schema this build writes.
pub const SCHEMA_VERSION: u64 = 3;

/// One step from `version` to `version + 1`.
type Step = fn(&mut Writer<'_>) -> Result<()>;

/// `STEPS[i]` migrates from version `i + 1` to `i + 2`.
const STEPS: &[Step] = &[v1_to_v2, v2_to_v3];

/// Version 2 adds the day index of events (`events_by_day`), filled from the events.
fn v1_to_v2(w: &mut Writer<'_>) -> Result<()> {
    w.index_events_by_day()
}

/// Version 3 adds `Child::register` (身份证号, 民族, 户籍 …): every file is read in its
/// version-2 form and written again with an empty register.
fn v2_to_v3(w: &mut Writer<'_>) -> Result<()> {
    w.rewrite_children(|stored| Ok(stored.decode_borrowed::<ChildV2>()?.into()))
}

/// A file as version 2 stored it: `Child` without `register`. Never changed.
#[derive(serde::Deserialize)]
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
    store.write(|w| {
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
}
