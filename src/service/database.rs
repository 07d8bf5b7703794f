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
use crate::domain::{EventId, Role, is_hidden_control};
use crate::store::notes::Notes;
use crate::store::{Records, SCHEMA_VERSION, Store, StoreError, Writer, place};
use crate::transfer::dump::{DUMP_FORMAT, Dump};

/// Where the counselling notes of the database at `main` are kept.
pub fn notes_path(main: &Path) -> PathBuf {
    Notes::path_for(main)
}

/// The backup root takes (the nightly backup of docs/server.md): the database at `live` and
/// its counselling notes file, when it has one, beside `dest`. Root need not be on the staff
/// list; the files' permissions are what keep everyone else out.
pub fn backup_file(live: &Path, dest: &Path, replace: bool) -> Result<Backup> {
    check_backup_target(live, dest, replace)?;
    let records = Store::open_read_only(live)?.backup_to(dest, replace)?;
    let notes = if Notes::path_for(live).exists() {
        Some(Notes::open(live)?.backup_to(dest, replace)?)
    } else {
        None
    };
    Ok(Backup { records, notes })
}

/// A backup of `live` may go to `dest`: neither it nor its notes file is the live database,
/// its notes file or its lock (a copy renamed over them would lose the school's records), and
/// without `replace` neither exists yet (so a backup never stops half way, its database
/// written and its notes refused).
fn check_backup_target(live: &Path, dest: &Path, replace: bool) -> Result<()> {
    let live_files = [
        live.to_path_buf(),
        Notes::path_for(live),
        place::lock_path(live),
    ];
    let live_ids: Vec<_> = live_files
        .iter()
        .filter_map(|p| place::file_id(p))
        .collect();
    for target in [dest.to_path_buf(), Notes::path_for(dest)] {
        if let Some(id) = place::file_id(&target) {
            if live_ids.contains(&id) {
                return Err(ServiceError::invalid_with(
                    Field::Backup,
                    &target.display().to_string(),
                    "数据库以外的文件名 (备份不能写到数据库本身、它的心理辅导记录或锁文件上)",
                    "a file other than the database (a backup cannot go over the database, its counselling notes or its lock)",
                ));
            }
            if !replace {
                return Err(ServiceError::invalid_with(
                    Field::Backup,
                    &target.display().to_string(),
                    "还不存在的文件 (或加 --force 覆盖)",
                    "a file that does not exist yet (or add --force to overwrite it)",
                ));
            }
        }
    }
    Ok(())
}

/// A database a restore replaced and kept beside `path`, if any (the newest).
pub fn replaced_beside(path: &Path) -> Option<PathBuf> {
    crate::store::replaced_beside(path)
}

/// What a backup holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backup {
    pub records: u64,
    /// The counselling notes copied beside it; `None`: this account may not read them, and
    /// the backup has none.
    pub notes: Option<u64>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The records the restored database holds.
    pub records: u64,
    /// The database it replaced, kept beside it under this name.
    pub kept: Option<PathBuf>,
    pub notes: NotesRestore,
    /// The restored files have the groups and modes of the files they replaced; false when
    /// this account could not give them (they are then owner-only: see docs/server.md).
    pub shared: bool,
}

/// What happened to the counselling notes on restore.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotesRestore {
    /// The backup's notes file replaced the live one (kept beside it, when there was one).
    Restored { notes: u64, kept: Option<PathBuf> },
    /// The backup has no notes file (an administrator's backup): the live notes file stays,
    /// and no event created from now on takes the id of a note in it.
    LiveKept,
    /// Neither the backup nor the live database has notes.
    None,
    /// The database was restored but its notes could not be put in place (the live notes
    /// file stays): said, never hidden.
    Failed { reason: String },
    /// The backup has notes that this account may not restore (it is not a counsellor or
    /// root, or cannot read them): the live notes file stays; a counsellor restores the notes
    /// (`guanai restore --notes FILE`).
    NotReadable,
}

/// Restores the counselling notes of the database at `live` from the notes file `src` (a
/// backup's), checked whole first; the replaced notes file is kept beside it. The database
/// itself is not touched.
pub fn restore_notes(src: &Path, live: &Path, stamp: &str) -> Result<NotesRestore> {
    let live_notes = Notes::path_for(live);
    let (copy, notes) = Notes::checked_copy(src, &live_notes)?;
    place::permissions_like(&copy, &live_notes)?;
    if live_notes.exists() && !place::may_replace(&live_notes) {
        return Err(StoreError::NotOwner { path: live_notes }.into());
    }
    // No counselling session commits while the notes file is swapped (see `restore`).
    let _swapping = place::lock_exclusive(live)?;
    let kept = place::keep_aside(&live_notes, stamp)?;
    place::put_in_place(copy, &live_notes, true)?;
    Ok(NotesRestore::Restored { notes, kept })
}

/// Restores the backup `backup` (and the notes file `notes`, a backup's, when given; else
/// the backup's own notes file, if it has one) at `live`. The backup is copied to a fresh
/// file beside `live` and checked whole (redb's integrity check, every record decoded, the
/// model's checks) before anything else; only then is the current file kept beside it (a hard
/// link, `NAME.replaced-STAMP`) and the checked copy renamed over it in one step. At every
/// instant `live` holds the old database or the new one, whole. A damaged backup changes
/// nothing.
pub fn restore(
    backup: &Path,
    notes: Option<&Path>,
    live: &Path,
    stamp: &str,
    may_restore_notes: bool,
) -> Result<Restored> {
    let (copy, records) = Store::checked_copy(backup, live)?;
    let live_notes = Notes::path_for(live);
    let notes_src = notes.map_or_else(|| Notes::path_for(backup), Path::to_path_buf);
    // The counsellors' notes are put back by a counsellor or root only: anyone else's restore
    // leaves the live notes file as it is.
    let notes_copy = if !may_restore_notes || !notes_src.exists() {
        if notes.is_some() && !notes_src.exists() {
            return Err(ServiceError::invalid_with(
                Field::Notes,
                &notes_src.display().to_string(),
                "备份的心理辅导记录文件 (名为 *.notes.redb)",
                "a backup's counselling notes file (named *.notes.redb)",
            ));
        }
        None
    } else {
        match Notes::checked_copy(&notes_src, &live_notes) {
            Ok(c) => Some(c),
            Err(StoreError::Dir { source, .. })
                if source.kind() == std::io::ErrorKind::PermissionDenied && notes.is_none() =>
            {
                None
            }
            Err(e) => return Err(e.into()),
        }
    };
    // Refused before anything moves: in the server's sticky directory only the files' owner
    // (or root) may rename over them.
    for path in std::iter::once(live).chain(notes_copy.as_ref().map(|_| live_notes.as_path())) {
        if path.exists() && !place::may_replace(path) {
            return Err(StoreError::NotOwner {
                path: path.to_path_buf(),
            }
            .into());
        }
    }
    // From here to the swap, no other process commits (each writer takes this lock shared for
    // its commit, and one that opened the replaced file is told so instead of writing).
    let _swapping = place::lock_exclusive(live)?;
    let keeps_live_notes = notes_copy.is_none() && live_notes.exists();
    if keeps_live_notes {
        // The notes kept belong to events of the replaced database: no event of the restored
        // one may take their ids. Past the replaced database's counter and the notes' own
        // largest id, whichever can be read; when neither can, refused.
        let from_db = Store::open_read_only(live)
            .and_then(|s| s.read())
            .and_then(|r| r.next_event_id())
            .map(|next| next.saturating_sub(1));
        let from_notes = Notes::last_event_of(live);
        let used = match (from_db, from_notes) {
            (Ok(a), Ok(b)) => a.max(b),
            (Ok(a), Err(_)) => a,
            (Err(_), Ok(b)) => b,
            (Err(_), Err(_)) => return Err(StoreError::NotesIds { path: live_notes }.into()),
        };
        Store::reserve_event_ids(&copy, used)?;
        place::sync_file(&copy)?;
    }
    // Everything that can fail is done before the first rename.
    let mut shared = place::permissions_like(&copy, live)?;
    if let Some((notes_copy, _)) = &notes_copy {
        shared &= place::permissions_like(notes_copy, &live_notes)?;
    }
    let kept = place::keep_aside(live, stamp)?;
    let kept_notes = match &notes_copy {
        Some(_) => place::keep_aside(&live_notes, stamp)?,
        None => None,
    };
    if let Err(e) = place::put_in_place(copy, live, true) {
        // Nothing was swapped: the links made to keep the files go again.
        for link in kept.iter().chain(kept_notes.iter()) {
            let _ = std::fs::remove_file(link);
        }
        return Err(e.into());
    }
    let notes = match notes_copy {
        Some((copy, n)) => match place::put_in_place(copy, &live_notes, true) {
            Ok(()) => NotesRestore::Restored {
                notes: n,
                kept: kept_notes,
            },
            Err(e) => NotesRestore::Failed {
                reason: e.to_string(),
            },
        },
        None if notes_src.exists() => NotesRestore::NotReadable,
        None if keeps_live_notes => NotesRestore::LiveKept,
        None => NotesRestore::None,
    };
    Ok(Restored {
        records,
        kept,
        notes,
        shared,
    })
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
            ..
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
            import_columns: r.import_columns()?,
            typical: r.typical_events()?,
            voided: r.voided_events()?,
            voided_activities: r.voided_activities()?,
            voided_tasks: r.voided_tasks()?,
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

    /// Every problem of the file: redb's integrity check, then the model's own, then (for
    /// those who may open it) counselling notes that belong to no counselling session, which
    /// an interrupted `log counseling` can leave.
    pub fn check(&mut self) -> Result<Vec<String>> {
        self.check_repairing(false)
    }

    /// As [`check`](Self::check); with `repair`, the notes that belong to no counselling
    /// session are removed instead of listed.
    pub fn check_repairing(&mut self, repair: bool) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        if !self.store.check_integrity()? {
            problems.push(String::from(
                "redb integrity check: the file was damaged and has been repaired; check the data",
            ));
        }
        problems.extend(self.reader()?.model_problems()?);
        if let Some(notes) = &self.notes {
            // Judged inside a write transaction: a session whose note is written but whose
            // own transaction has not committed yet is waited for, not taken for an orphan.
            let orphans = self.store.write(|w| -> Result<Vec<EventId>> {
                let mut orphans = Vec::new();
                for id in notes.events()? {
                    if !w.event(id)?.is_some_and(|e| e.kind.is_restricted()) {
                        orphans.push(id);
                    }
                }
                if repair {
                    notes.remove(&orphans)?;
                }
                Ok(orphans)
            })?;
            if !repair {
                problems.extend(orphans.iter().map(|id| {
                    format!(
                        "counselling note {} belongs to no counselling session (guanai check --repair removes it)",
                        id.0
                    )
                }));
            }
        }
        Ok(problems)
    }

    /// A consistent copy of the database at `dest` (replacing a file there only with
    /// `replace`), with the counselling notes when the one backing up may read them (a
    /// counsellor, or root's account set up as one); otherwise the backup says it has none.
    pub fn backup(&self, dest: &Path, replace: bool) -> Result<Backup> {
        check_backup_target(self.store.path(), dest, replace)?;
        let records = self.store.backup_to(dest, replace)?;
        let notes = match self
            .notes
            .as_ref()
            .filter(|_| self.actor.has_role(Role::Counselor))
        {
            Some(notes) => Some(notes.backup_to(dest, replace)?),
            None => None,
        };
        Ok(Backup { records, notes })
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
    // are the same; versions 3 and 4 added fields (the register, staff titles, the rules in
    // force) that are empty when a dump lacks them; version 5 the typical-case marks (none).
    // Version 6 added the withdrawn entries (none when a dump lacks them); versions 7 and 8
    // derived tables only (the day table, the summary's facts of each file), version 9 a new
    // layout of one (the roster summaries).
    const DUMP_VERSIONS: [u64; 9] = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    if dump.format != DUMP_FORMAT || !DUMP_VERSIONS.contains(&dump.schema_version) {
        return Err(bad(format!("{} v{}", dump.format, dump.schema_version)));
    }
    // A reference to a record the file does not hold, named both ways.
    let dangling = |record: String, points_to: String| {
        ServiceError::invalid_with(
            Field::Dump,
            &format!("{record} → {points_to}"),
            "每条记录指向的学生、教师和活动都在文件里 (guanai export --format json 导出的完整文件, 未经改动)",
            "every child, staff member and activity a record points to inside the file (a complete, unedited file written by guanai export --format json)",
        )
    };
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
    let events = unique(
        dump.records.events.iter().map(|e| e.id.0).collect(),
        "events",
    )?;
    for (id, void) in &dump.records.voided {
        if !events.contains(&id.0) {
            return Err(dangling(
                format!("void {}", id.0),
                format!("event {}", id.0),
            ));
        }
        if !staff.contains(&void.by.0) {
            return Err(dangling(
                format!("void {}", id.0),
                format!("staff {}", void.by.0),
            ));
        }
    }
    let activities = unique(
        dump.records.activities.iter().map(|a| a.id.0).collect(),
        "activities",
    )?;
    unique(dump.records.tasks.iter().map(|t| t.id.0).collect(), "tasks")?;
    let tasks: std::collections::HashSet<u64> = dump.records.tasks.iter().map(|t| t.id.0).collect();
    for (id, _) in &dump.records.voided_activities {
        if !activities.contains(&id.0) {
            return Err(dangling(
                format!("void activity {}", id.0),
                format!("activity {}", id.0),
            ));
        }
    }
    for (id, _) in &dump.records.voided_tasks {
        if !tasks.contains(&id.0) {
            return Err(dangling(
                format!("void task {}", id.0),
                format!("task {}", id.0),
            ));
        }
    }
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
        if let Some(m) = c.mentor.filter(|m| !staff.contains(&m.0)) {
            return Err(dangling(
                format!("child {} (mentor)", c.id.0),
                format!("staff {}", m.0),
            ));
        }
        if c.status_history.is_empty() {
            return Err(bad(format!("child {}: no status history", c.id.0)));
        }
        if let Some(no) = &c.student_no
            && !numbers.insert(no.as_str())
        {
            return Err(bad(format!("student number {no}")));
        }
    }
    for e in &dump.records.events {
        note(Field::Note, &e.summary)?;
        let event = || format!("event {}", e.id.0);
        if !children.contains(&e.child.0) {
            return Err(dangling(event(), format!("child {}", e.child.0)));
        }
        if !staff.contains(&e.staff.0) {
            return Err(dangling(event(), format!("staff {}", e.staff.0)));
        }
        if let Some(a) = e.activity.filter(|a| !activities.contains(&a.0)) {
            return Err(dangling(event(), format!("activity {}", a.0)));
        }
    }
    for a in &dump.records.activities {
        if !staff.contains(&a.organiser.0) {
            return Err(dangling(
                format!("activity {} (organiser)", a.id.0),
                format!("staff {}", a.organiser.0),
            ));
        }
        if let Some(c) = a.children.iter().find(|c| !children.contains(&c.0)) {
            return Err(dangling(
                format!("activity {}", a.id.0),
                format!("child {}", c.0),
            ));
        }
    }
    for t in &dump.records.tasks {
        if !staff.contains(&t.assignee.0) {
            return Err(dangling(
                format!("task {} (assignee)", t.id.0),
                format!("staff {}", t.assignee.0),
            ));
        }
        if !children.contains(&t.child.0) {
            return Err(dangling(
                format!("task {}", t.id.0),
                format!("child {}", t.child.0),
            ));
        }
    }
    if let Some(s) = &dump.records.settings {
        check_calendar(s)?;
    }
    check_dump_text(dump)
}

/// No text anywhere in a dump (a village, a parent's workplace, a staff member's class, a task)
/// may hold a control character, an escape sequence or a direction override; an event's note
/// may hold line breaks.
fn check_dump_text(dump: &Dump) -> Result<()> {
    fn walk(value: &serde_json::Value, at: &mut Vec<String>) -> Option<(String, String)> {
        match value {
            serde_json::Value::String(text) => {
                let note = at.first().is_some_and(|f| f == "events")
                    && at.last().is_some_and(|f| f == "summary");
                text.chars()
                    .any(|c| is_hidden_control(c) && !(note && c == '\n'))
                    .then(|| (at.join("."), text.escape_debug().to_string()))
            }
            serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| {
                at.push(i.to_string());
                let found = walk(v, at);
                at.pop();
                found
            }),
            serde_json::Value::Object(fields) => fields.iter().find_map(|(k, v)| {
                at.push(k.clone());
                let found = walk(v, at);
                at.pop();
                found
            }),
            _ => None,
        }
    }
    let value = serde_json::to_value(&dump.records).unwrap_or(serde_json::Value::Null);
    match walk(&value, &mut Vec::new()) {
        Some((place, text)) => Err(ServiceError::invalid_with(
            Field::Dump,
            &format!("{place}: {text}"),
            "不含控制字符、转义序列或文字方向控制符的文字",
            "text without control characters, escape sequences or direction overrides",
        )),
        None => Ok(()),
    }
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
