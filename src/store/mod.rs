//! The redb file: tables, record encoding, indexes, the schema version and its migrations.
//!
//! The store keeps data and its indexes consistent inside one transaction (events by child and
//! date, the last event per child and kind, student numbers, names, the change sequence) and
//! knows nothing of roles, validation or wording: that is the service's job. It opens the file
//! in redb's `MultiWriter` mode so that every teacher's guanai can have the same database open
//! at once; writers are serialised by redb, and a writer waits rather than failing.
//!
//! This module must not decide what a change means (the service does) or talk to the user.

//!
//! This file opens the file and wraps transactions; `records` holds the stored record types,
//! `reads` the read snapshot and the reads shared with a write transaction, `writer` the
//! write transaction that keeps the indexes, `tables` the table definitions, `codec` the
//! encoding, `migrate` the schema versions, `notes` the counsellors' separate file.

pub mod codec;
mod migrate;
pub mod notes;
pub mod place;
mod reads;
mod records;
mod summary;
mod tables;
mod writer;

use std::path::{Path, PathBuf};

use redb::{Builder, ConcurrencyMode, Database, ReadableDatabase};
use tables::{META, META_CHANGE_SEQ, META_SCHEMA};

pub use codec::{CodecError, Encoded, Rec, Record};
pub use migrate::SCHEMA_VERSION;
pub use reads::{Direction, Reader, Reads};
pub use records::{
    AuditRecord, EventFacts, LastEvent, Records, StoredFacts, day_from_key, day_key,
};
pub use summary::{SummaryBytes, SummaryRec};
pub use writer::Writer;

/// Everything that can go wrong below the service.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: redb::DatabaseError,
    },
    #[error("database {path}: cannot create it or its directory: {source}")]
    Dir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "database {path} has schema version {found}, newer than this guanai understands ({supported}); use a newer guanai"
    )]
    NewerSchema {
        path: PathBuf,
        found: u64,
        supported: u64,
    },
    #[error("database: {0}")]
    Db(#[from] redb::Error),
    #[error(
        "database {path} may be read by anyone on this machine (mode {mode:o}); children's records must not be: run  chmod o-rwx {path}  (and see docs/server.md)"
    )]
    WorldReadable { path: PathBuf, mode: u32 },
    #[error(
        "the counselling notes file cannot be used: {reason} (an admin sets its group and mode as in docs/server.md)"
    )]
    Notes { reason: String },
    #[error(
        "database {path} is missing, but a database a restore replaced lies beside it ({kept}): a new empty school is not created there; put the right file back with  guanai restore FILE"
    )]
    MissingReplaced { path: PathBuf, kept: PathBuf },
    #[error(
        "{path} is damaged and cannot be used: {reason}; restore a good backup with  guanai restore BACKUP"
    )]
    Damaged { path: PathBuf, reason: String },
    #[error(
        "your account may not open the database {path} (is it in the staff group?); an administrator adds it as docs/server.md says"
    )]
    NoAccess { path: PathBuf },
    #[error("--db {path} is a directory; give the database file, e.g. {path}/guanai.redb")]
    NotAFile { path: PathBuf },
    #[error(
        "database {path} was restored from a backup meanwhile; nothing was written: run the command again"
    )]
    Replaced { path: PathBuf },
    #[error(
        "{path} may be replaced only by root or its owner (the directory is sticky, docs/server.md): run the restore as root"
    )]
    NotOwner { path: PathBuf },
    #[error(
        "the counselling notes {path} stay, but neither they nor the replaced database can be read to tell which session ids they use: restore as root, or give the notes with --notes"
    )]
    NotesIds { path: PathBuf },
    #[error(
        "the lock beside the database, {path}, cannot be used: {source} (it must be a plain file the staff group may read: chgrp STAFF_GROUP {path}; chmod 660 {path})"
    )]
    Lock {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("database {path} is open read-only")]
    ReadOnly { path: PathBuf },
    #[error(
        "database {path} has schema version {found}; this guanai reads {supported} (open it once for writing to update it)"
    )]
    Schema {
        path: PathBuf,
        found: u64,
        supported: u64,
    },
    #[error("database record damaged: {0}")]
    Codec(#[from] CodecError),
}

macro_rules! from_redb {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                StoreError::Db(e.into())
            }
        }
    )*};
}
from_redb!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::DatabaseError
);

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open database file.
pub struct Store {
    db: Db,
    path: PathBuf,
    /// The file `path` named when it was opened for writing (device, inode), for a school's
    /// database; `None` for a copy this program is filling (no lock, no check).
    opened: Option<(u64, u64)>,
}

/// The file opened for writing (with migrations), or read-only (never modified).
enum Db {
    Write(Database),
    Read(redb::ReadOnlyDatabase),
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// A directory, or an existing file that is empty or not a guanai database, is refused
    /// with what it is; it is never made into a new, empty school.
    pub fn open(path: &Path) -> Result<Store> {
        refuse_non_database(path)?;
        let before = place::file_id(path);
        let mut store = Store::open_new(path)?;
        let after = place::file_id(path);
        // A restore that swapped the file while it was being opened: the handle may be on
        // either file, so it is given up.
        if before.is_some() && before != after {
            return Err(StoreError::Replaced {
                path: path.to_path_buf(),
            });
        }
        store.opened = after;
        Ok(store)
    }

    /// As [`open`](Self::open), also on an empty file: a fresh file this program has just
    /// created to fill (a backup's copy).
    fn open_new(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        if !path.exists()
            && let Some(kept) = replaced_beside(path)
        {
            return Err(StoreError::MissingReplaced {
                path: path.to_path_buf(),
                kept,
            });
        }
        create_private(path)?;
        refuse_world_readable(path)?;
        let db = Builder::new()
            .set_concurrency_mode(ConcurrencyMode::MultiWriter)
            .set_cache_size(64 * 1024 * 1024)
            .create(path)
            .map_err(|source| open_error(path, source))?;
        let store = Store {
            db: Db::Write(db),
            path: path.to_path_buf(),
            opened: None,
        };
        migrate::bring_up_to_date(&store)?;
        Ok(store)
    }

    /// Opens an existing database for reading only: the file is not modified in any way (a
    /// refused import leaves it byte for byte as it was). Its schema must be this build's.
    ///
    /// The exceptions: a file left unclean by a process that was killed while it had the
    /// database open (a dropped SSH link) cannot be read until it is repaired, and a file of
    /// an older schema version (written before this build was installed) must be brought up
    /// to date. It is then opened for writing once, which repairs or migrates it as any
    /// writing command would, and read.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        // A query reads each page of what it scans once: a small cache lets the pages it has
        // passed be freed and their memory used again for the next, instead of touching fresh
        // memory for every page (page faults were a tenth of `overdue`'s time and more of the
        // summary's). The tables' upper levels, read again and again, stay in it.
        const READ_ONLY_CACHE: usize = 256 * 1024;
        refuse_non_database(path)?;
        refuse_world_readable(path)?;
        let open = || {
            Builder::new()
                .set_concurrency_mode(ConcurrencyMode::MultiWriter)
                .set_cache_size(READ_ONLY_CACHE)
                .open_read_only(path)
        };
        let db = match open() {
            Err(redb::DatabaseError::RepairAborted) => {
                drop(Store::open(path)?);
                open()
            }
            other => other,
        }
        .map_err(|source| open_error(path, source))?;
        // The version is read from the meta table alone: an older file lacks later tables.
        let found = {
            let txn = db.begin_read()?;
            let meta = txn.open_table(META)?;
            meta.get(META_SCHEMA)?.map(|v| v.value()).unwrap_or(0)
        };
        // A file of an older version (this build was just installed): brought up to date
        // once, as any writing command would, then read.
        if (1..SCHEMA_VERSION).contains(&found) {
            drop(db);
            drop(Store::open(path)?);
            return Store::open_read_only(path);
        }
        let store = Store {
            db: Db::Read(db),
            path: path.to_path_buf(),
            opened: None,
        };
        if found != SCHEMA_VERSION {
            return Err(StoreError::Schema {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A consistent snapshot for reading.
    pub fn read(&self) -> Result<Reader> {
        let txn = match &self.db {
            Db::Write(db) => db.begin_read()?,
            Db::Read(db) => db.begin_read()?,
        };
        Reader::open(&txn)
    }

    /// Runs `f` in one write transaction and commits it if `f` succeeds; on error nothing is
    /// written. Waits while another process writes.
    pub fn write<R, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&mut Writer<'_>) -> std::result::Result<R, E>,
    ) -> std::result::Result<R, E> {
        self.write_with(|_| Ok(()), f)
    }

    /// [`write`](Self::write), with `before` run in the transaction before the tables are
    /// opened (a migration that changes a table's type under its name).
    fn write_with<R, E: From<StoreError>>(
        &self,
        before: impl FnOnce(&redb::WriteTransaction) -> Result<()>,
        f: impl FnOnce(&mut Writer<'_>) -> std::result::Result<R, E>,
    ) -> std::result::Result<R, E> {
        let Db::Write(db) = &self.db else {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            }
            .into());
        };
        // Held until the commit: a restore cannot swap the file in between, and a file it
        // swapped before is noticed, not written.
        let _lock = match self.opened {
            Some(opened) => {
                let lock = place::lock_shared(&self.path)?;
                if place::file_id(&self.path) != Some(opened) {
                    return Err(StoreError::Replaced {
                        path: self.path.clone(),
                    }
                    .into());
                }
                Some(lock)
            }
            None => None,
        };
        let txn = db.begin_write().map_err(StoreError::from)?;
        before(&txn)?;
        let out = {
            let mut w = Writer::open(&txn)?;
            let out = f(&mut w)?;
            w.finish()?;
            out
        };
        txn.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Whether the path this database was opened from now names another file (a restore
    /// replaced it): whoever holds it should open the path again.
    pub fn replaced(&self) -> bool {
        self.opened
            .is_some_and(|opened| place::file_id(&self.path) != Some(opened))
    }

    /// redb's own check of the file's structure.
    pub fn check_integrity(&mut self) -> Result<bool> {
        match &mut self.db {
            Db::Write(db) => Ok(db.check_integrity()?),
            Db::Read(_) => Err(StoreError::ReadOnly {
                path: self.path.clone(),
            }),
        }
    }

    /// A consistent copy of the whole database at `dest`, taken from one read snapshot while
    /// other teachers go on writing. Written to a fresh file beside `dest` (created
    /// exclusively) and renamed into place, so `dest` is never half-written; with `replace`
    /// false a file at `dest` is never replaced. Returns the records copied.
    pub fn backup_to(&self, dest: &Path, replace: bool) -> Result<u64> {
        let r = self.read()?;
        let tmp = place::fresh_beside(dest)?;
        let copied = self.copy_into(&r, &tmp)?;
        place::put_in_place(tmp, dest, replace)?;
        Ok(copied)
    }

    /// A copy of the database file `src` (a backup) in a fresh file beside `dest`, checked
    /// whole before anything else happens: redb's integrity check (a file that needed
    /// repairing is damaged), then every record decoded and the model's own checks. The copy
    /// is flushed to the disk; it is removed when the returned path is dropped unless it is
    /// put in place. Returns it with the number of records it holds.
    pub fn checked_copy(src: &Path, dest: &Path) -> Result<(tempfile::TempPath, u64)> {
        guarded(src, || Store::checked_copy_inner(src, dest))
    }

    fn checked_copy_inner(src: &Path, dest: &Path) -> Result<(tempfile::TempPath, u64)> {
        // An empty file would be taken for a new, empty database.
        refuse_non_database(src)?;
        let (tmp, damaged) = place::copy_beside(src, dest)?;
        let mut copy = Store::open_new(&tmp).map_err(|e| damaged(e.to_string()))?;
        if !copy.check_integrity().map_err(|e| damaged(e.to_string()))? {
            return Err(damaged(String::from("redb integrity check failed")));
        }
        let problems = copy
            .read()
            .and_then(|r| r.model_problems())
            .map_err(|e| damaged(e.to_string()))?;
        if let Some(first) = problems.first() {
            return Err(damaged(format!("{first} ({} problems)", problems.len())));
        }
        let n = copy
            .read()
            .and_then(|r| r.record_count())
            .map_err(|e| damaged(e.to_string()))?;
        drop(copy);
        place::sync_file(&tmp)?;
        Ok((tmp, n))
    }

    /// In the database copy at `path` (being restored), raises the event id counter so that
    /// no event created from now on takes an id up to `used` (ids that a kept notes file still
    /// holds notes for).
    pub fn reserve_event_ids(path: &Path, used: u64) -> Result<()> {
        Store::open_new(path)?.write(|w| w.raise_counter(tables::META_NEXT_EVENT, used))
    }

    fn copy_into(&self, r: &Reader, tmp: &Path) -> Result<u64> {
        let copied = {
            let out = Store::open_new(tmp)?;
            let copied = out.write(|w| -> Result<u64> {
                let mut n = w.load_records(&Records {
                    settings: r.settings()?,
                    staff: r.all_staff()?,
                    children: r.all_children()?,
                    events: r.all_events()?,
                    activities: r.all_activities()?,
                    tasks: r.all_tasks()?,
                    import_columns: r.import_columns()?,
                    typical: r.typical_events()?,
                    voided: r.voided_events()?,
                    voided_activities: r.voided_activities()?,
                    voided_tasks: r.voided_tasks()?,
                })?;
                for a in r.audit_since(0)? {
                    w.put_audit(&a)?;
                    n += 1;
                }
                w.set_meta(META_CHANGE_SEQ, r.change_seq()?)?;
                Ok(n)
            })?;
            drop(out);
            copied
        };
        Ok(copied)
    }
}

/// A directory, or an existing file that is empty, is no database: said so before redb is
/// asked (which would make an empty file a new school, or blame a directory's mode).
fn refuse_non_database(path: &Path) -> Result<()> {
    // Not even allowed to look: the directory is the staff group's and this account is not
    // in it.
    if let Err(e) = path.try_exists()
        && e.kind() == std::io::ErrorKind::PermissionDenied
    {
        return Err(StoreError::NoAccess {
            path: path.to_path_buf(),
        });
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(StoreError::NotAFile {
            path: path.to_path_buf(),
        }),
        Ok(m) if m.len() == 0 => Err(StoreError::Damaged {
            path: path.to_path_buf(),
            reason: String::from(
                "the file is empty (0 bytes); if no school was ever kept in it, delete it and start again",
            ),
        }),
        _ => Ok(()),
    }
}

/// redb's refusal to open a file, told as what it means: a file that is not a redb
/// database, is cut short or has damaged pages is [`StoreError::Damaged`] (with the way out);
/// the rest stays as redb says it.
fn open_error(path: &Path, source: redb::DatabaseError) -> StoreError {
    if let redb::DatabaseError::Storage(redb::StorageError::Io(e)) = &source
        && e.kind() == std::io::ErrorKind::PermissionDenied
    {
        return StoreError::NoAccess {
            path: path.to_path_buf(),
        };
    }
    let damaged = match &source {
        redb::DatabaseError::Storage(redb::StorageError::Corrupted(_)) => true,
        redb::DatabaseError::Storage(redb::StorageError::Io(e)) => {
            e.kind() == std::io::ErrorKind::UnexpectedEof
                || e.kind() == std::io::ErrorKind::InvalidData
                || e.to_string().contains("Not a redb database")
        }
        _ => false,
    };
    if damaged {
        StoreError::Damaged {
            path: path.to_path_buf(),
            reason: source.to_string(),
        }
    } else {
        StoreError::Open {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Runs `f`, which reads the file at `path`, turning a panic inside it into
/// [`StoreError::Damaged`]: redb panics on some damaged pages ("invalid page type"), and a
/// damaged file must get a message and a way out, not a crash. The panic's own report is
/// silenced meanwhile (it would only print redb's internals).
pub fn guarded<T>(path: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|payload| {
        let reason = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| String::from("unreadable pages"));
        Err(StoreError::Damaged {
            path: path.to_path_buf(),
            reason,
        })
    })
}

/// A database a restore replaced and kept beside `path` (`NAME.replaced-…`), if any: the
/// newest by name.
pub fn replaced_beside(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let prefix = format!("{name}.replaced-");
    let mut kept: Vec<PathBuf> = std::fs::read_dir(place::dir_of(path))
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
        })
        .collect();
    kept.sort();
    kept.pop()
}

/// Children's records are not for everyone on the machine: a file that others may read (or
/// write) is refused, with how to fix it.
pub(crate) fn refuse_world_readable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(path) {
        Ok(m) if m.permissions().mode() & 0o007 != 0 => Err(StoreError::WorldReadable {
            path: path.to_path_buf(),
            mode: m.permissions().mode() & 0o777,
        }),
        _ => Ok(()),
    }
}

/// A counter at its end can only come from a damaged file.
fn exhausted(key: &str) -> StoreError {
    StoreError::Db(redb::Error::Corrupted(format!(
        "counter {key} is exhausted"
    )))
}

/// Room to reserve for `len` rows, bounded: the length comes from the file.
fn capacity(len: u64) -> usize {
    len.min(1 << 20) as usize
}

/// Creates the file, if it does not exist, readable and writable by its owner only: these
/// are children's records. (A school server widens it to a staff group on purpose.)
pub(crate) fn create_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(source) => Err(StoreError::Dir {
            path: path.to_path_buf(),
            source,
        }),
    }
}
