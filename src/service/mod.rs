//! The one door to the data: typed commands that change it and typed queries that read it.
//!
//! Every command runs in one write transaction that validates it, applies it, keeps the indexes
//! (through the store) and appends an audit record with who, when, what, and the values before
//! and after. Front ends (CLI, TUI) only call this API; they never touch the store. Identity is
//! resolved here: until the school has its first administrator nobody needs to be known, and
//! from then on every change is attributed to the staff member running the program.
//!
//! This file keeps the door itself (open, execute, execute_all); each family of commands and
//! queries lives beside it: `identity` (who is asking, what they may do), `children`,
//! `events`, `tasks`, `staff`, `undo` (the commands), `queries` and `queue` (what the front
//! ends read), `import` (planning a roster import), `database` (dump, backup, restore,
//! check), `validate` (the checks every text passes).
//!
//! This module must not print, read the terminal or decide wording beyond its error messages.

mod children;
mod command;
mod corrections;
mod database;
mod error;
mod events;
mod group;
mod identity;
mod import;
mod print;
mod queries;
mod queue;
mod roster;
mod staff;
mod tasks;
mod texts;
mod undo;
mod validate;

use std::path::Path;

use chrono::NaiveDate;

use crate::domain::{EventId, Role};
use crate::store::notes::{Notes, NotesGuard};
use crate::store::{AuditRecord, Reader, Store, StoreError, Writer};
use command::Applied;
pub use command::{BatchAudit, Command, Outcome, TaskChange};
pub use database::{
    Backup, NotesRestore, Restored, backup_file, check_dump, notes_path, replaced_beside, restore,
    restore_notes,
};
pub use error::{Field, PhoneOf, ServiceError};
use identity::resolve_actor;
pub use identity::{Actor, Identity};
pub use import::ImportPlan;
pub use print::{PrintPack, PrintSelection};
pub use queries::{AuditEntry, TimelineEntry};
pub use queue::{OverdueQueue, QueueChild};
pub use roster::{ListedChild, RosterChild, RosterList, RosterRow};
pub use undo::UndoPreview;

/// The counsellors' Unix group when nothing else is said (docs/server.md's name).
pub const COUNSEL_GROUP: &str = "guanai-counsel";

/// Who may own the counselling notes file: root, the counsellors' own accounts, and the
/// account running this while the school has no administrator yet (it is setting the school
/// up) or when the database itself is that account's alone (nobody else can reach it).
fn notes_guard(r: &Reader, main: &Path, group: &str) -> Result<NotesGuard> {
    use std::os::unix::fs::MetadataExt;
    let staff = r.all_staff()?;
    let me = nix::unistd::getuid().as_raw();
    let mut owners = vec![0];
    let mine_alone = std::fs::metadata(main).is_ok_and(|m| m.uid() == me && m.mode() & 0o077 == 0);
    if mine_alone || !staff.iter().any(|s| s.has_role(Role::Admin)) {
        owners.push(me);
    }
    for s in staff.iter().filter(|s| s.has_role(Role::Counselor)) {
        if let Some(user) = s
            .unix_user
            .as_deref()
            .and_then(|u| nix::unistd::User::from_name(u).ok().flatten())
        {
            owners.push(user.uid.as_raw());
        }
    }
    Ok(NotesGuard {
        owners,
        group: group.to_string(),
    })
}

/// The transaction one command runs in: its tables, whether the school is being set up
/// (judged inside this transaction), and the counselling notes to write once it commits.
struct Tx<'a, 't> {
    w: &'a mut Writer<'t>,
    setting_up: bool,
    notes: &'a mut Vec<(EventId, String)>,
    /// Notes of events this transaction deletes: removed only once it has committed (a
    /// crash in between leaves a note without its session, never a session without its note).
    gone: &'a mut Vec<EventId>,
}

/// What every command and query returns: the value, or why it was refused.
pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// An open database with a checked user and the day to use as today.
pub struct Service {
    store: Store,
    today: NaiveDate,
    actor: Actor,
    /// This session created the school's first administrator: it goes on setting the school
    /// up (the demo writes its staff, then children and history, in several transactions).
    founded: std::sync::atomic::AtomicBool,
    /// The counselling notes file, open for counsellors and the school's setup only.
    notes: Option<Notes>,
    /// Why a counsellor's notes file could not be opened, if it could not.
    notes_error: Option<String>,
    /// Commands are refused, as this (a clock moved with `--today` on a shared file).
    changes_refused: Option<&'static str>,
    /// How it was opened, to open the path again after a restore replaced the file.
    identity: Identity,
    counsel_group: Option<String>,
    /// The audit log's clock: the system's, or a fixed instant (for the guides' screens).
    fixed_clock_ms: Option<i64>,
    /// The process ends once this command is answered (a command line run): what a query
    /// read in bulk is left to the end of the process instead of being freed piece by piece.
    one_shot: bool,
}

impl Service {
    /// Opens the database at `path` and resolves who is asking. The counsellors' group is
    /// [`COUNSEL_GROUP`] (see [`open_with`](Self::open_with)).
    pub fn open(path: &Path, today: NaiveDate, identity: Identity) -> Result<Service> {
        Service::open_with(path, today, identity, COUNSEL_GROUP)
    }

    /// As [`open`](Self::open), with the name of the counsellors' Unix group: the only group
    /// that may have access to the counselling notes file.
    pub fn open_with(
        path: &Path,
        today: NaiveDate,
        identity: Identity,
        counsel_group: &str,
    ) -> Result<Service> {
        Service::with_store(Store::open(path)?, today, identity, Some(counsel_group))
    }

    /// Opens an existing database for queries only; the file is not modified in any way.
    pub fn open_read_only(path: &Path, today: NaiveDate, identity: Identity) -> Result<Service> {
        Service::with_store(Store::open_read_only(path)?, today, identity, None)
    }

    fn with_store(
        store: Store,
        today: NaiveDate,
        identity: Identity,
        counsel_group: Option<&str>,
    ) -> Result<Service> {
        // The notes file is opened only by those who may read it: counsellors, and whoever is
        // setting the school up, and only when its owner and group are the counsellors' (the
        // OS then keeps everyone else out). A notes file that cannot be used stops only what
        // needs the notes. Its guard is worked out only for them.
        let (actor, guard) = {
            let r = store.read()?;
            let actor = resolve_actor(&r, &identity)?;
            let reads_notes = actor == Actor::Bootstrap || actor.has_role(Role::Counselor);
            let guard = match counsel_group {
                Some(group) if reads_notes => Some(notes_guard(&r, store.path(), group)?),
                _ => None,
            };
            (actor, guard)
        };
        let (notes, notes_error) = match guard {
            Some(guard) => match Notes::open_guarded(store.path(), &guard) {
                Ok(n) => (Some(n), None),
                Err(e) => (None, Some(e.to_string())),
            },
            None => (None, None),
        };
        Ok(Service {
            store,
            today,
            actor,
            founded: std::sync::atomic::AtomicBool::new(false),
            notes,
            notes_error,
            changes_refused: None,
            identity,
            counsel_group: counsel_group.map(str::to_string),
            fixed_clock_ms: None,
            one_shot: false,
        })
    }

    /// The same database path opened again, as this service was (after a restore replaced
    /// the file: see [`replaced`](Self::replaced)); who is asking is checked again.
    pub fn reopen(&self) -> Result<Service> {
        let path = self.store.path();
        let mut again = match &self.counsel_group {
            Some(group) => Service::open_with(path, self.today, self.identity.clone(), group)?,
            None => Service::open_read_only(path, self.today, self.identity.clone())?,
        };
        again.changes_refused = self.changes_refused;
        Ok(again)
    }

    /// Whether the database this service opened has been replaced since (a restore): it
    /// must be opened again, and until then every command is refused.
    pub fn replaced(&self) -> bool {
        self.store.replaced() || self.notes.as_ref().is_some_and(Notes::replaced)
    }

    /// The day this service takes as today (the local date, or `--today`).
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Says the process ends once this command is answered (the command line): the work
    /// summary's ten thousand files and hundreds of thousands of events are then not freed one
    /// by one just before the process exits (the system takes the memory back at once).
    /// The app never sets it.
    pub fn set_one_shot(&mut self) {
        self.one_shot = true;
    }

    /// Leaves `bulk` to the end of the process when it ends after this command, else frees
    /// it.
    pub fn release<T>(&self, bulk: T) {
        if self.one_shot {
            std::mem::forget(bulk);
        }
    }

    /// Stamps every audit record from now on with `at` (local time) instead of the system
    /// clock: the guides' screens of the audit log are drawn with it, the same on every run.
    pub fn fix_clock(&mut self, at: chrono::NaiveDateTime) {
        use chrono::TimeZone;
        self.fixed_clock_ms = chrono::Local
            .from_local_datetime(&at)
            .earliest()
            .map(|t| t.timestamp_millis());
    }

    /// Who is asking, as checked against the staff list when the file was opened.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The database file's path.
    pub fn store_path(&self) -> &Path {
        self.store.path()
    }

    /// Applies one command in one transaction with its audit record.
    pub fn execute(&self, command: Command) -> Result<Outcome> {
        let mut out = self.execute_all(vec![command], BatchAudit::Each)?;
        out.pop().ok_or_else(|| {
            ServiceError::Store(StoreError::Db(redb::Error::Corrupted(
                "a command produced no outcome".into(),
            )))
        })
    }

    /// From now on every command is refused as `what` (queries go on): a front end calls it
    /// when the user moved today's date on a file others share, so that nobody dates records
    /// as they please on the school's database.
    pub fn refuse_changes(&mut self, what: &'static str) {
        self.changes_refused = Some(what);
    }

    /// Applies commands in one transaction: all of them or, on the first refusal, none.
    pub fn execute_all(&self, commands: Vec<Command>, audit: BatchAudit) -> Result<Vec<Outcome>> {
        if let Some(what) = self.changes_refused {
            return Err(ServiceError::NotPermitted {
                who: self.actor.name(),
                what,
            });
        }
        let summary = match &audit {
            BatchAudit::Summary(label) => Some((label.clone(), commands.len())),
            BatchAudit::Each => None,
        };
        // Counselling notes go to their own file first, under the ids the events will have,
        // and the main transaction commits after: a crash in between leaves a note without
        // its event (`check` lists it, `check --repair` removes it), never a session without
        // its note.
        let mut notes_to_write: Vec<(EventId, String)> = Vec::new();
        let pending = &mut notes_to_write;
        let mut notes_to_remove: Vec<EventId> = Vec::new();
        let gone = &mut notes_to_remove;
        let outcomes: Vec<Outcome> = self
            .store
            .write(|w| -> Result<(Vec<Outcome>, bool)> {
                // Judged on the file as this transaction found it, so that a session opened before
                // the first administrator existed loses its setup rights once one does.
                let founded = self.founded.load(std::sync::atomic::Ordering::Relaxed);
                let setting_up = founded || !w.has_admin()?;
                let mut outcomes = Vec::with_capacity(commands.len());
                for command in commands {
                    let name = command.name();
                    let Applied {
                        outcome,
                        target,
                        before,
                        after,
                    } = self.apply(w, command, setting_up, pending, gone)?;
                    // Nothing changed, nothing to audit.
                    if summary.is_none() && !matches!(outcome, Outcome::Unchanged(_)) {
                        w.append_audit(self.audit_record(name, target, before, after))?;
                    }
                    outcomes.push(outcome);
                }
                if let Some((label, n)) = summary {
                    w.append_audit(self.audit_record(
                        "batch",
                        label,
                        None,
                        Some(format!("{{\"commands\":{n}}}")),
                    ))?;
                }
                if !pending.is_empty() {
                    self.notes()?.put_many(pending)?;
                }
                Ok((outcomes, setting_up))
            })
            .map(|(outcomes, setting_up)| {
                if setting_up && matches!(self.actor, Actor::Bootstrap) {
                    // Committed: if this session made the first administrator, it is the founder.
                    if let Ok(true) = self.has_admin() {
                        self.founded
                            .store(true, std::sync::atomic::Ordering::Relaxed);
                    }
                }
                outcomes
            })?;
        // Committed: the notes of the sessions it deleted go now. Should this fail, they stay
        // as notes without a session (check --repair removes them).
        if !notes_to_remove.is_empty() {
            self.notes()?.remove(&notes_to_remove)?;
        }
        Ok(outcomes)
    }

    fn audit_record(
        &self,
        command: &str,
        target: String,
        before: Option<String>,
        after: Option<String>,
    ) -> AuditRecord {
        let at_unix_ms = self.fixed_clock_ms.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0)
        });
        AuditRecord {
            seq: 0,
            at_unix_ms,
            // A clock moved with --today on a shared file dates nothing in the log.
            day: if self.changes_refused.is_some() {
                chrono::Local::now().date_naive()
            } else {
                self.today
            },
            actor: self.actor.staff_id(),
            command: command.to_string(),
            target,
            before,
            after,
        }
    }

    /// Validates and applies one command; returns what the audit record needs. The checks
    /// and effects of each command live beside its family.
    fn apply(
        &self,
        w: &mut Writer<'_>,
        command: Command,
        setting_up: bool,
        notes: &mut Vec<(EventId, String)>,
        gone: &mut Vec<EventId>,
    ) -> Result<Applied> {
        let tx = Tx {
            w,
            setting_up,
            notes,
            gone,
        };
        match command {
            Command::SetSettings(settings) => self.set_settings(tx, settings),
            Command::AddStaff(new) => self.add_staff(tx, new),
            Command::AddChild(new) => self.add_child(tx, new),
            Command::ArchiveChild {
                child,
                reason,
                date,
            } => self.archive_child(tx, child, reason, date),
            Command::LogEvent(new) => self.log_event(tx, new),
            Command::UpdateChild {
                child,
                version,
                file,
            } => self.update_child(tx, child, version, file),
            Command::LoadDump(dump) => self.load_dump(tx, dump),
            Command::SurveyChild { child, situation } => self.survey_child(tx, child, situation),
            Command::AddActivity(new) => self.add_activity(tx, new),
            Command::UpdateTask {
                task,
                version,
                change,
            } => self.update_task(tx, task, version, change),
            Command::Undo => self.undo(tx),
            Command::RestoreChild { child, date } => self.restore_child(tx, child, date),
            Command::AddTask(new) => self.add_task(tx, new),
            Command::RememberImportColumns(pairs) => self.remember_import_columns(tx, pairs),
            Command::SetStaffTitle { staff, title } => self.set_staff_title(tx, staff, title),
            Command::MarkTypical { event, typical } => self.mark_typical(tx, event, typical),
            Command::EditEvent {
                event,
                version,
                change,
            } => self.edit_event(tx, event, version, *change),
            Command::VoidEvent {
                event,
                version,
                reason,
            } => self.void_event(tx, event, version, &reason),
            Command::EditActivity {
                activity,
                version,
                title,
                date,
            } => self.edit_activity(tx, activity, version, title, date),
            Command::VoidActivity {
                activity,
                version,
                reason,
            } => self.void_activity(tx, activity, version, &reason),
            Command::VoidTask {
                task,
                version,
                reason,
            } => self.void_task(tx, task, version, &reason),
        }
    }

    /// A read snapshot for queries that need several reads to agree.
    fn reader(&self) -> Result<Reader> {
        Ok(self.store.read()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts how many were freed.
    struct Counted<'a>(&'a std::cell::Cell<u32>);

    impl Drop for Counted<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }

    #[test]
    fn bulk_reads_are_freed_unless_the_process_ends_after_the_command() {
        let dir = tempfile::tempdir().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let mut service =
            Service::open(&dir.path().join("g.redb"), today, Identity::Unknown).unwrap();
        let freed = std::cell::Cell::new(0);
        service.release(vec![Counted(&freed), Counted(&freed)]);
        assert_eq!(freed.get(), 2, "the app frees what it read");
        service.set_one_shot();
        service.release(vec![Counted(&freed), Counted(&freed)]);
        assert_eq!(freed.get(), 2, "a command line run leaves it to the exit");
    }
}
