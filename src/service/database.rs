//! The database as a whole: the complete dump and loading one into an empty database, the
//! backup copy (with the counselling notes for those who may read them), restoring a copy,
//! and the check of the file and its records.
//!
//! It works through the store's copy and check; it never decides wording or reads the user's
//! files beyond the database and its notes file.

use std::path::{Path, PathBuf};

use super::command::{Applied, Outcome};
use super::staff::check_calendar;
use super::validate::{NAME, line, note};
use super::{Field, Result, Service, ServiceError, Tx};
use crate::domain::Role;
use crate::store::notes::Notes;
use crate::store::{Records, SCHEMA_VERSION, Store, Writer};
use crate::transfer::dump::{DUMP_FORMAT, Dump};

/// Where the counselling notes of the database at `main` are kept.
pub fn notes_path(main: &Path) -> PathBuf {
    Notes::path_for(main)
}

/// Checks that `path` is a guanai database of this schema, without changing it.
pub fn check_database_file(path: &Path) -> Result<()> {
    Store::open_read_only(path)?;
    Ok(())
}

/// Copies the database file `from` (a backup, opened read-only and checked to be a guanai
/// database of this schema) into a new database at `to`; returns the records copied.
pub fn copy_database(from: &Path, to: &Path) -> Result<(u64, NotesCopy)> {
    let n = Store::open_read_only(from)?.backup_to(to)?;
    // The backup's notes, when it has them and this account may read them.
    let notes = if !Notes::path_for(from).exists() {
        NotesCopy::None
    } else {
        match Notes::open(from).and_then(|notes| notes.backup_to(to)) {
            Ok(_) => NotesCopy::Copied,
            Err(_) => NotesCopy::NotReadable,
        }
    };
    Ok((n, notes))
}

/// What happened to a backup's counselling notes on restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotesCopy {
    /// The backup has no notes file.
    None,
    Copied,
    /// The notes file could not be read by this account: a counsellor restores it.
    NotReadable,
}

/// Checks a complete dump before anything is opened: see `check_dump_inner`.
pub fn check_dump(dump: &Dump) -> Result<()> {
    check_dump_inner(dump)
}

impl Service {
    /// Loads a complete dump into an empty database, ids kept; counselling notes are queued
    /// in `notes`, written to the notes file once the transaction has committed.
    pub(super) fn load_dump(&self, tx: Tx, mut dump: Box<Dump>) -> Result<Applied> {
        let Tx {
            w,
            setting_up,
            notes,
        } = tx;
        self.require_admin(setting_up, "load a dump")?;
        if w.child_count()? > 0
            || !w.all_staff()?.is_empty()
            || w.event_count()? > 0
            || w.settings()?.is_some()
        {
            return Err(ServiceError::NotEmpty);
        }
        check_dump_inner(&dump)?;
        for e in dump
            .records
            .events
            .iter_mut()
            .filter(|e| e.kind.is_restricted())
        {
            let text = std::mem::take(&mut e.summary);
            if !text.is_empty() {
                self.notes()?;
                notes.push((e.id, text));
            }
        }
        let n = write_dump(w, &dump)?;
        Ok(Applied::new(
            Outcome::Loaded(n),
            "dump".into(),
            None,
            Some(format!("{{\"records\":{n}}}")),
        ))
    }

    /// Everything in the database as one dump (counselling summaries withheld from anyone who
    /// is not a counsellor; the audit log is not part of it).
    pub fn dump(&self) -> Result<Dump> {
        self.require_whole_school("export the whole school")?;
        let r = self.reader()?;
        let counselor = self.actor.has_role(Role::Counselor);
        let mut events = r.all_events()?;
        let mut withheld = false;
        if counselor {
            self.fill_notes(&mut events.iter_mut().collect::<Vec<_>>(), "export".into())?;
        } else {
            for e in events.iter_mut().filter(|e| e.kind.is_restricted()) {
                withheld = true;
                e.summary.clear();
            }
        }
        let records = Records {
            settings: r.settings()?,
            staff: r.all_staff()?,
            children: r.all_children()?,
            events,
            activities: r.all_activities()?,
            tasks: r.all_tasks()?,
        };
        Ok(dump_of(records, withheld))
    }

    /// The staff and every file, without events, activities or tasks: what a roster export
    /// needs, read without the cost of the whole history.
    pub fn roster_dump(&self) -> Result<Dump> {
        let records = Records {
            staff: self.staff()?,
            children: self.children()?,
            ..Default::default()
        };
        Ok(dump_of(records, false))
    }

    /// Every problem of the file: redb's integrity check, then the model's own.
    pub fn check(&mut self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        if !self.store.check_integrity()? {
            problems.push(String::from(
                "redb integrity check: the file was damaged and has been repaired; check the data",
            ));
        }
        problems.extend(self.reader()?.model_problems()?);
        Ok(problems)
    }

    /// A consistent copy of the database at `dest`; returns the records copied.
    pub fn backup(&self, dest: &Path) -> Result<u64> {
        let mut n = self.store.backup_to(dest)?;
        // The notes go along when the one backing up may read them (a counsellor); otherwise
        // the counsellors back up their file themselves.
        if let Some(notes) = self
            .notes
            .as_ref()
            .filter(|_| self.actor.has_role(Role::Counselor))
        {
            n += notes.backup_to(dest)?;
        }
        Ok(n)
    }

    /// Where this database's counselling notes are kept.
    pub fn notes_path(&self) -> PathBuf {
        Notes::path_for(self.store.path())
    }
}

/// Checks a dump without a database: its format and version, unique ids, student numbers
/// and staff names, every reference inside it, the text and the calendar. `guanai import`
/// runs it before it opens the database; the command runs it again.
pub(super) fn check_dump_inner(dump: &Dump) -> Result<()> {
    let bad = |what: String| {
        ServiceError::invalid_with(
            Field::Dump,
            &what,
            "guanai export --format json 导出的完整文件",
            "a complete file written by guanai export --format json",
        )
    };
    // Version 2 added a derived table only: the records, and so the dumps, of version 1
    // are the same.
    const DUMP_VERSIONS: [u64; 2] = [1, 2];
    if dump.format != DUMP_FORMAT || !DUMP_VERSIONS.contains(&dump.schema_version) {
        return Err(bad(format!("{} v{}", dump.format, dump.schema_version)));
    }
    let unique = |ids: Vec<u64>, what: &str| -> Result<std::collections::HashSet<u64>> {
        let n = ids.len();
        let set: std::collections::HashSet<u64> = ids.into_iter().collect();
        if set.len() != n || set.contains(&0) {
            return Err(bad(format!("{what}: duplicate or zero ids")));
        }
        Ok(set)
    };
    let staff = unique(dump.records.staff.iter().map(|s| s.id.0).collect(), "staff")?;
    let children = unique(
        dump.records.children.iter().map(|c| c.id.0).collect(),
        "children",
    )?;
    unique(
        dump.records.events.iter().map(|e| e.id.0).collect(),
        "events",
    )?;
    let activities = unique(
        dump.records.activities.iter().map(|a| a.id.0).collect(),
        "activities",
    )?;
    unique(dump.records.tasks.iter().map(|t| t.id.0).collect(), "tasks")?;
    let mut numbers = std::collections::HashSet::new();
    let mut names = std::collections::HashSet::new();
    for s in &dump.records.staff {
        line(Field::Name, &s.name, NAME)?;
        if !names.insert(s.name.as_str()) {
            return Err(bad(format!("staff name {}", s.name)));
        }
    }
    for c in &dump.records.children {
        line(Field::Name, &c.name, NAME)?;
        line(Field::Class, &c.class, NAME)?;
        if c.mentor.is_some_and(|m| !staff.contains(&m.0)) || c.status_history.is_empty() {
            return Err(bad(format!("child {}", c.id.0)));
        }
        if let Some(no) = &c.student_no
            && !numbers.insert(no.as_str())
        {
            return Err(bad(format!("student number {no}")));
        }
    }
    for e in &dump.records.events {
        note(Field::Note, &e.summary)?;
        if !children.contains(&e.child.0)
            || !staff.contains(&e.staff.0)
            || e.activity.is_some_and(|a| !activities.contains(&a.0))
        {
            return Err(bad(format!("event {}", e.id.0)));
        }
    }
    for a in &dump.records.activities {
        if !staff.contains(&a.organiser.0) || a.children.iter().any(|c| !children.contains(&c.0)) {
            return Err(bad(format!("activity {}", a.id.0)));
        }
    }
    for t in &dump.records.tasks {
        if !staff.contains(&t.assignee.0) || !children.contains(&t.child.0) {
            return Err(bad(format!("task {}", t.id.0)));
        }
    }
    if let Some(s) = &dump.records.settings {
        check_calendar(s)?;
    }
    Ok(())
}

/// A dump of `records` in this build's format and schema.
fn dump_of(records: Records, counselling_withheld: bool) -> Dump {
    Dump {
        format: DUMP_FORMAT.to_string(),
        schema_version: SCHEMA_VERSION,
        counselling_withheld,
        records,
    }
}

/// Writes a dump into an empty database, ids kept; every reference is checked first.
fn write_dump(w: &mut Writer<'_>, dump: &Dump) -> Result<u64> {
    check_dump_inner(dump)?;
    Ok(w.load_records(&dump.records)?)
}
