//! The counselling notes (心理辅导记录): a second redb file beside the main one, so that the
//! operating system, not only guanai, keeps them from anyone outside the counsellors' group.
//!
//! The main file holds the counselling sessions (who, when, with whom) with an empty summary;
//! this file holds each session's note, keyed by the event's id. Only processes of users who
//! may open this file (counsellors, and whoever sets the school up) ever touch it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use redb::{Builder, ConcurrencyMode, Database, ReadableDatabase, ReadableTable, TableDefinition};

use super::{Result, StoreError, create_private, refuse_world_readable};
use crate::domain::EventId;

/// event id → the counsellor's note.
const NOTES: TableDefinition<u64, &str> = TableDefinition::new("counseling_notes");

pub struct Notes {
    db: Database,
    path: PathBuf,
}

impl Notes {
    /// The notes file of a main database: `school.redb` → `school.notes.redb`; any other
    /// name gets `.notes.redb` added (`school.bak` → `school.bak.notes.redb`), so that two
    /// databases in one directory never share a notes file.
    pub fn path_for(main: &Path) -> PathBuf {
        let name = main
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| String::from("guanai.redb"));
        let base = name.strip_suffix(".redb").unwrap_or(&name);
        main.with_file_name(format!("{base}.notes.redb"))
    }

    /// Opens (creating, owner-only, if missing) the notes file of `main`.
    pub fn open(main: &Path) -> Result<Notes> {
        let path = Notes::path_for(main);
        create_private(&path)?;
        refuse_world_readable(&path)?;
        let db = Builder::new()
            .set_concurrency_mode(ConcurrencyMode::MultiWriter)
            .create(&path)
            .map_err(|source| StoreError::Open {
                path: path.clone(),
                source,
            })?;
        let txn = db.begin_write()?;
        txn.open_table(NOTES)?;
        txn.commit()?;
        Ok(Notes { db, path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn put(&self, event: EventId, text: &str) -> Result<()> {
        let txn = self.db.begin_write()?;
        txn.open_table(NOTES)?.insert(event.0, text)?;
        txn.commit()?;
        Ok(())
    }

    /// The notes of these events (those that have one).
    pub fn get_many(&self, events: &[EventId]) -> Result<HashMap<EventId, String>> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(NOTES)?;
        let mut out = HashMap::new();
        for e in events {
            if let Some(v) = table.get(e.0)? {
                out.insert(*e, v.value().to_string());
            }
        }
        Ok(out)
    }

    /// A copy of every note into the notes file of `dest` (a new file, written beside it and
    /// renamed into place).
    pub fn backup_to(&self, dest_main: &Path) -> Result<u64> {
        let dest = Notes::path_for(dest_main);
        let tmp = dest.with_extension("partial");
        let _ = std::fs::remove_file(&tmp);
        let copy = || -> Result<u64> {
            create_private(&tmp)?;
            let out = Builder::new()
                .create(&tmp)
                .map_err(|source| StoreError::Open {
                    path: tmp.clone(),
                    source,
                })?;
            let read = self.db.begin_read()?;
            let from = read.open_table(NOTES)?;
            let txn = out.begin_write()?;
            let mut n = 0;
            {
                let mut to = txn.open_table(NOTES)?;
                for row in from.iter()? {
                    let (k, v) = row?;
                    to.insert(k.value(), v.value())?;
                    n += 1;
                }
            }
            txn.commit()?;
            Ok(n)
        };
        let result = copy().and_then(|n| {
            std::fs::rename(&tmp, &dest)
                .map(|()| n)
                .map_err(|source| StoreError::Dir {
                    path: dest.clone(),
                    source,
                })
        });
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}
