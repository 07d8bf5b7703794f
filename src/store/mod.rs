//! The redb file: tables, record encoding, indexes, the schema version and its migrations.
//!
//! The store keeps data and its indexes consistent inside one transaction (events by child and
//! date, the last event per child and kind, student numbers, names, the change sequence) and
//! knows nothing of roles, validation or wording: that is the service's job. It opens the file
//! in redb's `MultiWriter` mode so that every teacher's guanai can have the same database open
//! at once; writers are serialised by redb, and a writer waits rather than failing.
//!
//! This module must not decide what a change means (the service does) or talk to the user.

pub mod codec;
mod migrate;
pub mod notes;
mod tables;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use redb::{
    Builder, ConcurrencyMode, Database, MultimapTable, ReadOnlyMultimapTable, ReadOnlyTable,
    ReadableDatabase, ReadableMultimapTable, ReadableTable, ReadableTableMetadata, Table,
};
use serde::{Deserialize, Serialize};

use crate::domain::{
    Activity, ActivityId, Child, ChildId, ChildSummary, Event, EventId, EventKind, LastEvents,
    Settings, Staff, StaffId, Task, TaskId,
};
pub use codec::{CodecError, Encoded, Rec, Record};
pub use migrate::SCHEMA_VERSION;
use tables::*;

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

/// One entry of the audit log: who changed what, when, and the values before and after.
/// Its key is the change sequence number, so the log is also the change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub seq: u64,
    /// Wall-clock time of the change, milliseconds since the Unix epoch.
    pub at_unix_ms: i64,
    /// The day the program believed it was (`--today`).
    #[serde(with = "crate::domain::day")]
    pub day: NaiveDate,
    /// The staff member who made the change; `None` for a session that was setting the school
    /// up (no administrator existed when it opened the file), such as `guanai demo`.
    pub actor: Option<StaffId>,
    /// The command's name, e.g. `log_event`.
    pub command: String,
    /// What it changed, e.g. `child:12`.
    pub target: String,
    /// JSON of the record before and after; `None` where there was none.
    pub before: Option<String>,
    pub after: Option<String>,
}

/// An event as the day index knows it (with its summary when asked for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventFacts {
    pub id: EventId,
    pub child: ChildId,
    pub kind: crate::domain::EventKind,
    pub date: NaiveDate,
    pub staff: StaffId,
    pub summary: Option<String>,
}

impl Record for AuditRecord {
    const TYPE_NAME: &'static str = "guanai.AuditRecord";
}
impl Record for Settings {
    const TYPE_NAME: &'static str = "guanai.Settings";
}
impl Record for Staff {
    const TYPE_NAME: &'static str = "guanai.Staff";
}
impl Record for Child {
    const TYPE_NAME: &'static str = "guanai.Child";
}
impl Record for ChildSummary {
    const TYPE_NAME: &'static str = "guanai.ChildSummary";
}
impl Record for Event {
    const TYPE_NAME: &'static str = "guanai.Event";
}
impl Record for Activity {
    const TYPE_NAME: &'static str = "guanai.Activity";
}
impl Record for Task {
    const TYPE_NAME: &'static str = "guanai.Task";
}

/// The key form of a date: chrono's day number from the common era (1 Jan of year 1 is
/// day 1); it orders like the date.
pub fn day_key(date: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&date)
}

pub fn day_from_key(key: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(key)
}

/// The last event of one kind for one child, as kept by the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastEvent {
    pub date: NaiveDate,
    pub event: EventId,
}

/// Every record of a database but the audit log: what a backup copies and a dump carries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Records {
    pub settings: Option<Settings>,
    pub staff: Vec<Staff>,
    pub children: Vec<Child>,
    pub events: Vec<Event>,
    pub activities: Vec<Activity>,
    pub tasks: Vec<Task>,
}

/// An open database file.
pub struct Store {
    db: Db,
    path: PathBuf,
}

/// The file opened for writing (with migrations), or read-only (never modified).
enum Db {
    Write(Database),
    Read(redb::ReadOnlyDatabase),
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Dir {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        create_private(path)?;
        refuse_world_readable(path)?;
        let db = Builder::new()
            .set_concurrency_mode(ConcurrencyMode::MultiWriter)
            .set_cache_size(64 * 1024 * 1024)
            .create(path)
            .map_err(|source| StoreError::Open {
                path: path.to_path_buf(),
                source,
            })?;
        let store = Store {
            db: Db::Write(db),
            path: path.to_path_buf(),
        };
        migrate::bring_up_to_date(&store)?;
        Ok(store)
    }

    /// Opens an existing database for reading only: the file is not modified in any way (a
    /// refused import leaves it byte for byte as it was). Its schema must be this build's.
    ///
    /// The one exception: a file left unclean by a process that was killed while it had the
    /// database open (a dropped SSH link) cannot be read until it is repaired. It is then
    /// opened for writing once, which repairs it as any writing command would, and read.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        refuse_world_readable(path)?;
        let open = || {
            Builder::new()
                .set_concurrency_mode(ConcurrencyMode::MultiWriter)
                .set_cache_size(64 * 1024 * 1024)
                .open_read_only(path)
        };
        let db = match open() {
            Err(redb::DatabaseError::RepairAborted) => {
                drop(Store::open(path)?);
                open()
            }
            other => other,
        }
        .map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        // The version is read from the meta table alone: an older file lacks later tables.
        let found = {
            let txn = db.begin_read()?;
            let meta = txn.open_table(META)?;
            meta.get(META_SCHEMA)?.map(|v| v.value()).unwrap_or(0)
        };
        let store = Store {
            db: Db::Read(db),
            path: path.to_path_buf(),
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
        let Db::Write(db) = &self.db else {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            }
            .into());
        };
        let txn = db.begin_write().map_err(StoreError::from)?;
        let out = {
            let mut w = Writer::open(&txn)?;
            f(&mut w)?
        };
        txn.commit().map_err(StoreError::from)?;
        Ok(out)
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

    /// A consistent copy of the whole database at `dest` (a new file), taken from one read
    /// snapshot while other teachers go on writing. Written to a temporary file beside `dest`
    /// and renamed into place, so `dest` is never half-written.
    pub fn backup_to(&self, dest: &Path) -> Result<u64> {
        let r = self.read()?;
        let tmp = dest.with_extension("partial");
        let _ = std::fs::remove_file(&tmp);
        let result = self.copy_into(&r, &tmp).and_then(|copied| {
            std::fs::rename(&tmp, dest)
                .map(|()| copied)
                .map_err(|source| StoreError::Dir {
                    path: dest.to_path_buf(),
                    source,
                })
        });
        if result.is_err() {
            // Never leave a partial copy of the children's records behind.
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    fn copy_into(&self, r: &Reader, tmp: &Path) -> Result<u64> {
        let copied = {
            let out = Store::open(tmp)?;
            let copied = out.write(|w| -> Result<u64> {
                let mut n = w.load_records(&Records {
                    settings: r.settings()?,
                    staff: r.all_staff()?,
                    children: r.all_children()?,
                    events: r.all_events()?,
                    activities: r.all_activities()?,
                    tasks: r.all_tasks()?,
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

/// The reads a check needs, from a read snapshot or inside a write transaction alike (the
/// service validates a file the same way before an import and inside the command).
pub trait Reads {
    fn child_by_student_no(&self, student_no: &str) -> Result<Option<ChildId>>;
    fn child(&self, id: ChildId) -> Result<Option<Child>>;
    fn staff(&self, id: StaffId) -> Result<Option<Staff>>;
    fn all_staff(&self) -> Result<Vec<Staff>>;
}

/// Reads shared by the read snapshot and the write transaction.
macro_rules! reads {
    ($t:ty) => {
        impl Reads for $t {
            fn child_by_student_no(&self, student_no: &str) -> Result<Option<ChildId>> {
                <$t>::child_by_student_no(self, student_no)
            }
            fn child(&self, id: ChildId) -> Result<Option<Child>> {
                <$t>::child(self, id)
            }
            fn staff(&self, id: StaffId) -> Result<Option<Staff>> {
                <$t>::staff(self, id)
            }
            fn all_staff(&self) -> Result<Vec<Staff>> {
                <$t>::all_staff(self)
            }
        }

        impl $t {
            pub fn schema_version(&self) -> Result<Option<u64>> {
                Ok(self.meta.get(META_SCHEMA)?.map(|v| v.value()))
            }

            /// Incremented by every committed change; another process compares it to notice
            /// that something changed.
            pub fn change_seq(&self) -> Result<u64> {
                Ok(self
                    .meta
                    .get(META_CHANGE_SEQ)?
                    .map(|v| v.value())
                    .unwrap_or(0))
            }

            pub fn settings(&self) -> Result<Option<Settings>> {
                Ok(match self.settings.get(SETTINGS_KEY)? {
                    Some(v) => Some(v.value().decode()?),
                    None => None,
                })
            }

            pub fn staff(&self, id: StaffId) -> Result<Option<Staff>> {
                Ok(match self.staff.get(id.0)? {
                    Some(v) => Some(v.value().decode()?),
                    None => None,
                })
            }

            pub fn all_staff(&self) -> Result<Vec<Staff>> {
                let mut out = Vec::new();
                for row in self.staff.iter()? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }

            pub fn child(&self, id: ChildId) -> Result<Option<Child>> {
                Ok(match self.children.get(id.0)? {
                    Some(v) => Some(v.value().decode()?),
                    None => None,
                })
            }

            pub fn child_count(&self) -> Result<u64> {
                Ok(self.children.len()?)
            }

            /// Every file, archived ones included, in id order.
            pub fn all_children(&self) -> Result<Vec<Child>> {
                let mut out = Vec::with_capacity(capacity(self.children.len()?));
                for row in self.children.iter()? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }

            /// The summary of every file, archived ones included, in id order.
            pub fn roster(&self) -> Result<Vec<ChildSummary>> {
                let mut out = Vec::with_capacity(capacity(self.roster.len()?));
                for row in self.roster.iter()? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }

            /// Calls `f` with the summary of every file, in id order, read in place.
            pub fn for_each_summary(&self, mut f: impl FnMut(ChildSummary<&str>)) -> Result<()> {
                for row in self.roster.iter()? {
                    let (_, v) = row?;
                    let encoded = v.value();
                    f(encoded.decode_borrowed()?);
                }
                Ok(())
            }

            pub fn child_by_student_no(&self, student_no: &str) -> Result<Option<ChildId>> {
                Ok(self.student_no.get(student_no)?.map(|v| ChildId(v.value())))
            }

            /// The files whose name is exactly `name`, in id order.
            pub fn children_named(&self, name: &str) -> Result<Vec<ChildId>> {
                let mut out = Vec::new();
                for id in self.child_name.get(name)? {
                    out.push(ChildId(id?.value()));
                }
                Ok(out)
            }

            pub fn event(&self, id: EventId) -> Result<Option<Event>> {
                Ok(match self.events.get(id.0)? {
                    Some(v) => Some(v.value().decode()?),
                    None => None,
                })
            }

            pub fn event_count(&self) -> Result<u64> {
                Ok(self.events.len()?)
            }

            /// A child's events, newest first (same day: latest recorded first).
            pub fn timeline(&self, child: ChildId) -> Result<Vec<Event>> {
                let mut out = Vec::new();
                let range = self
                    .events_by_child
                    .range((child.0, i32::MIN, 0)..=(child.0, i32::MAX, u64::MAX))?;
                for row in range.rev() {
                    let (_, _, event) = row?.0.value();
                    if let Some(e) = self.events.get(event)? {
                        out.push(e.value().decode()?);
                    }
                }
                Ok(out)
            }

            /// The latest event of `kind` for `child`, from the index: no history is scanned.
            pub fn last_event(&self, child: ChildId, kind: EventKind) -> Result<Option<LastEvent>> {
                Ok(self
                    .last_events(child)?
                    .get(kind)
                    .map(|(date, event)| LastEvent { date, event }))
            }

            /// The latest event of every kind for `child`, in one lookup.
            pub fn last_events(&self, child: ChildId) -> Result<LastEvents> {
                Ok(match self.roster.get(child.0)? {
                    Some(v) => v.value().decode()?.last,
                    None => LastEvents::default(),
                })
            }

            pub fn activity(&self, id: ActivityId) -> Result<Option<Activity>> {
                Ok(match self.activities.get(id.0)? {
                    Some(v) => Some(v.value().decode()?),
                    None => None,
                })
            }

            pub fn task(&self, id: TaskId) -> Result<Option<Task>> {
                Ok(match self.tasks.get(id.0)? {
                    Some(v) => Some(v.value().decode()?),
                    None => None,
                })
            }

            /// Every event, in id order.
            pub fn all_events(&self) -> Result<Vec<Event>> {
                let mut out = Vec::with_capacity(capacity(self.events.len()?));
                for row in self.events.iter()? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }

            /// Every event dated from `from` to `to` (both included), in date order, from the
            /// day index: no event is decoded. `with_summary` names kinds whose summary is
            /// wanted too (those events alone are read).
            pub fn events_between(
                &self,
                from: NaiveDate,
                to: NaiveDate,
                with_summary: &[crate::domain::EventKind],
            ) -> Result<Vec<EventFacts>> {
                let mut out = Vec::new();
                for row in self.events_by_day.range((day_key(from), 0)..=(day_key(to), u64::MAX))? {
                    let (key, value) = row?;
                    let (day, event) = key.value();
                    let (child, code, staff) = value.value();
                    let Some(kind) = crate::domain::EventKind::from_code(code) else {
                        continue;
                    };
                    let summary = if with_summary.contains(&kind) {
                        match self.events.get(event)? {
                            Some(v) => Some(v.value().decode()?.summary),
                            None => None,
                        }
                    } else {
                        None
                    };
                    let Some(date) = day_from_key(day) else {
                        continue;
                    };
                    out.push(EventFacts {
                        id: EventId(event),
                        child: ChildId(child),
                        kind,
                        date,
                        staff: StaffId(staff),
                        summary,
                    });
                }
                Ok(out)
            }

            pub fn all_activities(&self) -> Result<Vec<Activity>> {
                let mut out = Vec::new();
                for row in self.activities.iter()? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }

            pub fn all_tasks(&self) -> Result<Vec<Task>> {
                let mut out = Vec::new();
                for row in self.tasks.iter()? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }

            /// Consistency of the model, beyond redb's own check: every event's child exists,
            /// the indexes agree with the data, student numbers are unique. One line per problem.
            pub fn model_problems(&self) -> Result<Vec<String>> {
                let mut problems = Vec::new();
                let children = self.all_children()?;
                let ids: std::collections::HashSet<u64> = children.iter().map(|c| c.id.0).collect();
                let mut numbers: std::collections::HashMap<&str, u64> = Default::default();
                let mut last: std::collections::HashMap<u64, LastEvents> = Default::default();
                for c in &children {
                    if let Some(no) = c.student_no.as_deref() {
                        if let Some(other) = numbers.insert(no, c.id.0) {
                            problems.push(format!("student number {no} belongs to child {other} and child {}", c.id.0));
                        }
                        if self.child_by_student_no(no)?.map(|x| x.0) != Some(c.id.0) && numbers.get(no) == Some(&c.id.0) {
                            problems.push(format!("student number index does not lead to child {} ({no})", c.id.0));
                        }
                    }
                    if !self.children_named(&c.name)?.iter().any(|x| x.0 == c.id.0) {
                        problems.push(format!("name index lacks child {} ({})", c.id.0, c.name));
                    }
                }
                let mut by_child = 0u64;
                for row in self.events.iter()? {
                    let e: Event = row?.1.value().decode()?;
                    if !ids.contains(&e.child.0) {
                        problems.push(format!("event {} belongs to child {}, who does not exist", e.id.0, e.child.0));
                    }
                    if self.events_by_child.get((e.child.0, day_key(e.date), e.id.0))?.is_none() {
                        problems.push(format!("event {} is missing from the timeline index", e.id.0));
                    }
                    last.entry(e.child.0).or_default().record(e.kind, e.date, e.id);
                }
                for row in self.events_by_child.iter()? {
                    let (child, _, event) = row?.0.value();
                    by_child += 1;
                    if self.events.get(event)?.is_none() {
                        problems.push(format!("timeline index of child {child} names event {event}, which does not exist"));
                    }
                }
                let mut by_day = 0u64;
                for row in self.events_by_day.iter()? {
                    let ((_, event), _) = {
                        let (k, v) = row?;
                        (k.value(), v.value())
                    };
                    by_day += 1;
                    if self.events.get(event)?.is_none() {
                        problems.push(format!("day index names event {event}, which does not exist"));
                    }
                }
                if by_day != self.events.len()? {
                    problems.push(format!("day index holds {by_day} entries for {} events", self.events.len()?));
                }
                if by_child != self.events.len()? {
                    problems.push(format!("timeline index holds {by_child} entries for {} events", self.events.len()?));
                }
                let mut summaries = 0u64;
                for row in self.roster.iter()? {
                    let s: ChildSummary = row?.1.value().decode()?;
                    summaries += 1;
                    match children.iter().find(|c| c.id == s.id) {
                        None => problems.push(format!("roster summary {} has no file", s.id.0)),
                        Some(c) => {
                            let expected_last = last.get(&c.id.0).copied().unwrap_or_default();
                            if ChildSummary::of(c, expected_last) != s {
                                problems.push(format!("roster summary of child {} ({}) does not match the file or its events", c.id.0, c.name));
                            }
                        }
                    }
                }
                if summaries != children.len() as u64 {
                    problems.push(format!("{summaries} roster summaries for {} files", children.len()));
                }
                Ok(problems)
            }

            /// Audit records with a sequence number above `after`, oldest first.
            /// The audit log newest first, read lazily: `f` returns `false` to stop.
            pub fn audit_newest_first(
                &self,
                mut f: impl FnMut(AuditRecord) -> bool,
            ) -> Result<()> {
                for row in self.audit.iter()?.rev() {
                    if !f(row?.1.value().decode()?) {
                        break;
                    }
                }
                Ok(())
            }

            pub fn audit_since(&self, after: u64) -> Result<Vec<AuditRecord>> {
                let mut out = Vec::new();
                for row in self.audit.range(after.saturating_add(1)..)? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }
        }
    };
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

/// A read snapshot: it sees every change committed before it was taken and none after.
pub struct Reader {
    meta: ReadOnlyTable<&'static str, u64>,
    settings: ReadOnlyTable<&'static str, Rec<Settings>>,
    staff: ReadOnlyTable<u64, Rec<Staff>>,
    children: ReadOnlyTable<u64, Rec<Child>>,
    roster: ReadOnlyTable<u64, Rec<ChildSummary>>,
    events: ReadOnlyTable<u64, Rec<Event>>,
    events_by_child: ReadOnlyTable<(u64, i32, u64), ()>,
    events_by_day: ReadOnlyTable<(i32, u64), (u64, u8, u64)>,
    student_no: ReadOnlyTable<&'static str, u64>,
    child_name: ReadOnlyMultimapTable<&'static str, u64>,
    activities: ReadOnlyTable<u64, Rec<Activity>>,
    tasks: ReadOnlyTable<u64, Rec<Task>>,
    audit: ReadOnlyTable<u64, Rec<AuditRecord>>,
}

impl Reader {
    fn open(txn: &redb::ReadTransaction) -> Result<Reader> {
        Ok(Reader {
            meta: txn.open_table(META)?,
            settings: txn.open_table(SETTINGS)?,
            staff: txn.open_table(STAFF)?,
            children: txn.open_table(CHILDREN)?,
            roster: txn.open_table(ROSTER)?,
            events: txn.open_table(EVENTS)?,
            events_by_child: txn.open_table(EVENTS_BY_CHILD)?,
            events_by_day: txn.open_table(EVENTS_BY_DAY)?,
            student_no: txn.open_table(STUDENT_NO)?,
            child_name: txn.open_multimap_table(CHILD_NAME)?,
            activities: txn.open_table(ACTIVITIES)?,
            tasks: txn.open_table(TASKS)?,
            audit: txn.open_table(AUDIT)?,
        })
    }
}

reads!(Reader);
reads!(Writer<'_>);

/// A write transaction with every table open. Created by [`Store::write`].
pub struct Writer<'t> {
    meta: Table<'t, &'static str, u64>,
    settings: Table<'t, &'static str, Rec<Settings>>,
    staff: Table<'t, u64, Rec<Staff>>,
    children: Table<'t, u64, Rec<Child>>,
    roster: Table<'t, u64, Rec<ChildSummary>>,
    events: Table<'t, u64, Rec<Event>>,
    events_by_child: Table<'t, (u64, i32, u64), ()>,
    events_by_day: Table<'t, (i32, u64), (u64, u8, u64)>,
    student_no: Table<'t, &'static str, u64>,
    child_name: MultimapTable<'t, &'static str, u64>,
    activities: Table<'t, u64, Rec<Activity>>,
    tasks: Table<'t, u64, Rec<Task>>,
    audit: Table<'t, u64, Rec<AuditRecord>>,
}

impl<'t> Writer<'t> {
    fn open(txn: &'t redb::WriteTransaction) -> Result<Writer<'t>> {
        Ok(Writer {
            meta: txn.open_table(META)?,
            settings: txn.open_table(SETTINGS)?,
            staff: txn.open_table(STAFF)?,
            children: txn.open_table(CHILDREN)?,
            roster: txn.open_table(ROSTER)?,
            events: txn.open_table(EVENTS)?,
            events_by_child: txn.open_table(EVENTS_BY_CHILD)?,
            events_by_day: txn.open_table(EVENTS_BY_DAY)?,
            student_no: txn.open_table(STUDENT_NO)?,
            child_name: txn.open_multimap_table(CHILD_NAME)?,
            activities: txn.open_table(ACTIVITIES)?,
            tasks: txn.open_table(TASKS)?,
            audit: txn.open_table(AUDIT)?,
        })
    }

    fn next_id(&mut self, key: &'static str) -> Result<u64> {
        let next = self.meta.get(key)?.map(|v| v.value()).unwrap_or(1);
        self.meta
            .insert(key, next.checked_add(1).ok_or_else(|| exhausted(key))?)?;
        Ok(next)
    }

    fn set_meta(&mut self, key: &'static str, value: u64) -> Result<()> {
        self.meta.insert(key, value)?;
        Ok(())
    }

    /// Writes records as they are, ids kept (into an empty database: a backup, a dump),
    /// rebuilding every index and raising the id counters; returns how many.
    pub fn load_records(&mut self, records: &Records) -> Result<u64> {
        if let Some(s) = &records.settings {
            self.put_settings(s)?;
        }
        for s in &records.staff {
            self.put_staff(s)?;
            self.raise_counter(META_NEXT_STAFF, s.id.0)?;
        }
        for c in &records.children {
            self.put_child(c)?;
            self.raise_counter(META_NEXT_CHILD, c.id.0)?;
        }
        for e in &records.events {
            self.insert_event(e)?;
            self.raise_counter(META_NEXT_EVENT, e.id.0)?;
        }
        for a in &records.activities {
            self.put_activity(a)?;
            self.raise_counter(META_NEXT_ACTIVITY, a.id.0)?;
        }
        for t in &records.tasks {
            self.put_task(t)?;
            self.raise_counter(META_NEXT_TASK, t.id.0)?;
        }
        Ok((records.staff.len()
            + records.children.len()
            + records.events.len()
            + records.activities.len()
            + records.tasks.len()) as u64)
    }

    /// Makes sure the next id handed out for `key` is above `used`.
    pub fn raise_counter(&mut self, key: &'static str, used: u64) -> Result<()> {
        let next = self.meta.get(key)?.map(|v| v.value()).unwrap_or(1);
        let needed = used.checked_add(1).ok_or_else(|| exhausted(key))?;
        if needed > next {
            self.meta.insert(key, needed)?;
        }
        Ok(())
    }

    /// Writes an audit record as it is (a backup copies the log).
    pub fn put_audit(&mut self, record: &AuditRecord) -> Result<()> {
        self.audit.insert(record.seq, Encoded::encode(record)?)?;
        Ok(())
    }

    pub fn put_settings(&mut self, settings: &Settings) -> Result<()> {
        self.settings
            .insert(SETTINGS_KEY, Encoded::encode(settings)?)?;
        Ok(())
    }

    pub fn new_staff_id(&mut self) -> Result<StaffId> {
        self.next_id(META_NEXT_STAFF).map(StaffId)
    }

    pub fn put_staff(&mut self, staff: &Staff) -> Result<()> {
        self.staff.insert(staff.id.0, Encoded::encode(staff)?)?;
        Ok(())
    }

    pub fn new_child_id(&mut self) -> Result<ChildId> {
        self.next_id(META_NEXT_CHILD).map(ChildId)
    }

    /// Inserts or replaces a file, keeping the roster summary and the student-number and name
    /// indexes in step.
    pub fn put_child(&mut self, child: &Child) -> Result<()> {
        let old = self.child(child.id)?;
        if let Some(old) = &old {
            if let Some(no) = &old.student_no {
                self.student_no.remove(no.as_str())?;
            }
            self.child_name.remove(old.name.as_str(), old.id.0)?;
        }
        if let Some(no) = &child.student_no {
            self.student_no.insert(no.as_str(), child.id.0)?;
        }
        self.child_name.insert(child.name.as_str(), child.id.0)?;
        self.children.insert(child.id.0, Encoded::encode(child)?)?;
        let last = self.last_events(child.id)?;
        self.roster
            .insert(child.id.0, Encoded::encode(&ChildSummary::of(child, last))?)?;
        Ok(())
    }

    /// Fills the day index from the events (the migration to schema version 2).
    pub(super) fn index_events_by_day(&mut self) -> Result<()> {
        let mut entries = Vec::new();
        for row in self.events.iter()? {
            let e: Event = row?.1.value().decode()?;
            entries.push((
                (day_key(e.date), e.id.0),
                (e.child.0, e.kind.code(), e.staff.0),
            ));
        }
        for (key, value) in entries {
            self.events_by_day.insert(key, value)?;
        }
        Ok(())
    }

    pub fn new_event_id(&mut self) -> Result<EventId> {
        self.next_id(META_NEXT_EVENT).map(EventId)
    }

    /// Inserts a new event and its index entries. The last-event index moves only forward in
    /// time: an event logged late for an earlier day leaves a later one in place.
    pub fn insert_event(&mut self, event: &Event) -> Result<()> {
        let day = day_key(event.date);
        self.events.insert(event.id.0, Encoded::encode(event)?)?;
        self.events_by_child
            .insert((event.child.0, day, event.id.0), ())?;
        self.events_by_day.insert(
            (day, event.id.0),
            (event.child.0, event.kind.code(), event.staff.0),
        )?;
        let found = match self.roster.get(event.child.0)? {
            Some(v) => Some(v.value().decode()?),
            None => None,
        };
        if let Some(mut summary) = found {
            let before = summary.last;
            summary.last.record(event.kind, event.date, event.id);
            if summary.last != before {
                self.roster
                    .insert(event.child.0, Encoded::encode(&summary)?)?;
            }
        }
        Ok(())
    }

    pub fn new_activity_id(&mut self) -> Result<ActivityId> {
        self.next_id(META_NEXT_ACTIVITY).map(ActivityId)
    }

    pub fn put_activity(&mut self, activity: &Activity) -> Result<()> {
        self.activities
            .insert(activity.id.0, Encoded::encode(activity)?)?;
        Ok(())
    }

    pub fn new_task_id(&mut self) -> Result<TaskId> {
        self.next_id(META_NEXT_TASK).map(TaskId)
    }

    /// Removes an event and its index entries, and recomputes its child's latest events
    /// (undo: nothing else deletes an event).
    pub fn delete_event(&mut self, event: &Event) -> Result<()> {
        let day = day_key(event.date);
        self.events.remove(event.id.0)?;
        self.events_by_child
            .remove((event.child.0, day, event.id.0))?;
        self.events_by_day.remove((day, event.id.0))?;
        let found = match self.roster.get(event.child.0)? {
            Some(v) => Some(v.value().decode()?),
            None => None,
        };
        if let Some(mut summary) = found {
            let mut last = LastEvents::default();
            let mut ids = Vec::new();
            for row in self
                .events_by_child
                .range((event.child.0, i32::MIN, 0)..=(event.child.0, i32::MAX, u64::MAX))?
            {
                ids.push(row?.0.value().2);
            }
            for id in ids {
                if let Some(v) = self.events.get(id)? {
                    let e: Event = v.value().decode()?;
                    last.record(e.kind, e.date, e.id);
                }
            }
            summary.last = last;
            self.roster
                .insert(event.child.0, Encoded::encode(&summary)?)?;
        }
        Ok(())
    }

    /// Removes a task (undo of its creation).
    pub fn delete_task(&mut self, id: TaskId) -> Result<()> {
        self.tasks.remove(id.0)?;
        Ok(())
    }

    pub fn put_task(&mut self, task: &Task) -> Result<()> {
        self.tasks.insert(task.id.0, Encoded::encode(task)?)?;
        Ok(())
    }

    /// Appends an audit record under the next change sequence number and returns it.
    pub fn append_audit(&mut self, mut record: AuditRecord) -> Result<u64> {
        let seq = self
            .change_seq()?
            .checked_add(1)
            .ok_or_else(|| exhausted(META_CHANGE_SEQ))?;
        record.seq = seq;
        self.audit.insert(seq, Encoded::encode(&record)?)?;
        self.set_meta(META_CHANGE_SEQ, seq)?;
        Ok(seq)
    }
}
