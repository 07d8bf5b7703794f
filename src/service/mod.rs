//! The one door to the data: typed commands that change it and typed queries that read it.
//!
//! Every command runs in one write transaction that validates it, applies it, keeps the indexes
//! (through the store) and appends an audit record with who, when, what, and the values before
//! and after. Front ends (CLI, TUI) only call this API; they never touch the store. Identity is
//! resolved here: until the school has its first administrator nobody needs to be known, and
//! from then on every change is attributed to the staff member running the program.
//!
//! This module must not print, read the terminal or decide wording beyond its error messages.

mod error;

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::{
    Activity, ActivityId, ActivityKind, ArchiveReason, Child, ChildId, ChildSummary, Event,
    EventId, EventKind, NewActivity, NewChild, NewEvent, NewStaff, NewTask, ParentRelation, Role,
    Settings, Situation, Staff, StaffId, Status, StatusChange, Task, TaskId, class_order,
    normalize_class, normalize_phone,
};
use crate::followup::{ChildFacts, QueueEngine, QueueRow, Rules};
use crate::store::notes::Notes;
use crate::store::{AuditRecord, Reader, Reads, Store, StoreError, Writer};
use crate::transfer::dump::{DUMP_FORMAT, Dump};
use crate::transfer::{RowError, RowPlan};
pub use error::{Field, PhoneOf, ServiceError};

/// Where the counselling notes of the database at `main` are kept.
pub fn notes_path(main: &Path) -> std::path::PathBuf {
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

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// Who is asking, before it is checked against the staff list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// A staff member by name whom the caller has already vouched for (tests, the demo app).
    Staff(String),
    /// The Unix account running the program (SSH has authenticated it).
    Unix(String),
    /// `--user NAME` typed by whoever runs the program: believed only for an administrator,
    /// for that staff member's own Unix account, on a file the Unix user owns alone, or while
    /// the school has no administrator.
    Claimed {
        name: String,
        unix_user: Option<String>,
        owns_file_alone: bool,
    },
    /// Nothing known (no `--user`, and the Unix account could not be read).
    Unknown,
}

/// The checked identity of the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The school has no administrator yet: anyone may set it up.
    Bootstrap,
    Staff(Staff),
}

impl Actor {
    pub fn staff_id(&self) -> Option<StaffId> {
        match self {
            Actor::Bootstrap => None,
            Actor::Staff(s) => Some(s.id),
        }
    }

    /// Bootstrap holds no role: it may set the school up, not read restricted notes.
    fn has_role(&self, role: Role) -> bool {
        match self {
            Actor::Bootstrap => false,
            Actor::Staff(s) => s.has_role(role),
        }
    }

    fn name(&self) -> String {
        match self {
            Actor::Bootstrap => String::from("(setup)"),
            Actor::Staff(s) => s.name.clone(),
        }
    }
}

/// A change to the data. Each is applied in one transaction with its audit record.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    SetSettings(Settings),
    AddStaff(NewStaff),
    AddChild(Box<NewChild>),
    ArchiveChild {
        child: ChildId,
        reason: ArchiveReason,
        date: NaiveDate,
    },
    LogEvent(NewEvent),
    /// The yearly survey of the five areas (学习、生活、心理、安全、健康): replaces the file's
    /// situation, dated by `situation.surveyed`.
    SurveyChild {
        child: ChildId,
        situation: Situation,
    },
    /// Replaces the roster fields of a file (those an Excel roster carries: identity, class,
    /// village, parents, guardian, mentor, flags), keeping the rest; refused if the file
    /// changed since `version` was read.
    UpdateChild {
        child: ChildId,
        version: u64,
        file: Box<NewChild>,
    },
    /// A complete dump into an empty database, ids kept.
    LoadDump(Box<Dump>),
    /// A group activity or training; each attending child gets an event on their timeline.
    AddActivity(NewActivity),
    AddTask(NewTask),
    /// A task done, snoozed to a later day, or handed to someone else. `version` is the one
    /// the user saw: a task changed meanwhile is not overwritten.
    UpdateTask {
        task: TaskId,
        version: u64,
        change: TaskChange,
    },
    /// Puts an archived file back on the roster from `date` on.
    RestoreChild {
        child: ChildId,
        date: NaiveDate,
    },
    /// Reverts the current user's last change that is not undone yet: an event logged, a
    /// task added or changed, a file archived, changed or surveyed. Audited as `undo`.
    Undo,
}

/// What happens to a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskChange {
    Done(NaiveDate),
    Snooze(NaiveDate),
    Reassign(StaffId),
}

impl Command {
    fn name(&self) -> &'static str {
        match self {
            Command::SetSettings(_) => "set_settings",
            Command::AddStaff(_) => "add_staff",
            Command::AddChild(_) => "add_child",
            Command::ArchiveChild { .. } => "archive_child",
            Command::LogEvent(_) => "log_event",
            Command::SurveyChild { .. } => "survey_child",
            Command::UpdateChild { .. } => "update_child",
            Command::LoadDump(_) => "load_dump",
            Command::AddActivity(_) => "add_activity",
            Command::AddTask(_) => "add_task",
            Command::UpdateTask { .. } => "update_task",
            Command::Undo => "undo",
            Command::RestoreChild { .. } => "restore_child",
        }
    }
}

/// What a command created or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Settings,
    Staff(StaffId),
    Child(ChildId),
    Archived(ChildId),
    Surveyed(ChildId),
    Updated(ChildId),
    Unchanged(ChildId),
    Loaded(u64),
    Event(EventId),
    Activity(ActivityId, Vec<EventId>),
    Task(TaskId),
    /// The audit sequence of the change undone, and its command.
    Undone(u64, String),
}

/// What a user may do for a child, least first: admins and counsellors manage every file,
/// class teachers the files of their classes, mentors record for their mentees; everyone
/// reads every child's basic file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Access {
    /// The basic file: name, class, student number, village, mentor, status.
    Read,
    /// The whole file and timeline, and recording events and tasks.
    Record,
    /// Opening, changing, surveying and archiving the file.
    Manage,
}

/// How a batch of commands is audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchAudit {
    /// One audit record per command (an import a teacher will want to trace row by row).
    Each,
    /// One record for the whole batch, with this label (generated data such as the demo).
    Summary(String),
}

/// One row of the roster: a file's summary with the names it refers to resolved.
#[derive(Debug, Clone, Serialize)]
pub struct RosterRow {
    pub child: ChildSummary,
    pub mentor_name: Option<String>,
}

/// A child as the queue shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueChild {
    pub id: ChildId,
    pub name: String,
    pub class: String,
    pub student_no: Option<String>,
    pub key_support: bool,
}

/// The overdue queue with what its rows refer to: rows in order, most urgent first.
#[derive(Debug, Clone)]
pub struct OverdueQueue {
    pub rows: Vec<QueueRow>,
    /// The children with rows, by id.
    children: Vec<QueueChild>,
    /// Staff names, by id.
    staff: Vec<(StaffId, String)>,
    duties: Vec<crate::followup::Duty>,
}

impl OverdueQueue {
    pub fn child(&self, row: &QueueRow) -> Option<&QueueChild> {
        self.children
            .binary_search_by_key(&row.child, |c| c.id)
            .ok()
            .map(|i| &self.children[i])
    }

    pub fn duty(&self, row: &QueueRow) -> Option<&crate::followup::Duty> {
        self.duties.get(row.duty)
    }

    pub fn assignee_name(&self, row: &QueueRow) -> Option<&str> {
        let id = row.assignee?;
        self.staff
            .binary_search_by_key(&id, |(s, _)| *s)
            .ok()
            .map(|i| self.staff[i].1.as_str())
    }
}

/// An import sorted into new files and updates (with the line each came from).
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    pub create: Vec<(usize, NewChild)>,
    pub update: Vec<(usize, Child, NewChild)>,
}

impl ImportPlan {
    /// The commands that carry the plan out, in one transaction.
    pub fn commands(self) -> Vec<Command> {
        let mut out: Vec<Command> = self
            .create
            .into_iter()
            .map(|(_, c)| Command::AddChild(Box::new(c)))
            .collect();
        out.extend(
            self.update
                .into_iter()
                .map(|(_, existing, file)| Command::UpdateChild {
                    child: existing.id,
                    version: existing.version,
                    file: Box::new(file),
                }),
        );
        out
    }
}

/// An audit record with the name of who made the change (`None`: the school's setup).
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    #[serde(flatten)]
    pub record: AuditRecord,
    pub actor_name: Option<String>,
}

/// One entry of a timeline as the current user may see it.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub event: Event,
    pub staff_name: String,
    /// True when the summary was withheld (counselling notes for non-counsellors).
    pub restricted: bool,
}

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
}

impl Service {
    /// Opens the database at `path` and resolves who is asking.
    pub fn open(path: &Path, today: NaiveDate, identity: Identity) -> Result<Service> {
        Service::with_store(Store::open(path)?, today, identity, true)
    }

    /// Opens an existing database for queries only; the file is not modified in any way.
    pub fn open_read_only(path: &Path, today: NaiveDate, identity: Identity) -> Result<Service> {
        Service::with_store(Store::open_read_only(path)?, today, identity, false)
    }

    fn with_store(
        store: Store,
        today: NaiveDate,
        identity: Identity,
        writable: bool,
    ) -> Result<Service> {
        let actor = {
            let r = store.read()?;
            resolve_actor(&r, &identity)?
        };
        // The notes file is opened only by those who may read it: counsellors, and whoever is
        // setting the school up. The file's permissions keep everyone else out anyway.
        // A notes file this account cannot open stops only what needs the notes.
        let (notes, notes_error) =
            if writable && (actor == Actor::Bootstrap || actor.has_role(Role::Counselor)) {
                match Notes::open(store.path()) {
                    Ok(n) => (Some(n), None),
                    Err(e) => (None, Some(e.to_string())),
                }
            } else {
                (None, None)
            };
        Ok(Service {
            store,
            today,
            actor,
            founded: std::sync::atomic::AtomicBool::new(false),
            notes,
            notes_error,
        })
    }

    /// The notes file, for those who may write counselling notes.
    fn notes(&self) -> Result<&Notes> {
        if let Some(reason) = &self.notes_error {
            return Err(StoreError::Notes {
                reason: reason.clone(),
            }
            .into());
        }
        self.notes
            .as_ref()
            .ok_or_else(|| ServiceError::NotPermitted {
                who: self.actor.name(),
                what: "record counselling sessions",
            })
    }

    /// Fills in the notes of counselling events for a counsellor, and records the reading in
    /// the audit log (`read_counseling`). Others get the events without notes.
    fn fill_notes(&self, events: &mut [&mut Event], target: String) -> Result<bool> {
        let Some(notes) = self
            .notes
            .as_ref()
            .filter(|_| self.actor.has_role(Role::Counselor))
        else {
            return Ok(false);
        };
        let ids: Vec<EventId> = events
            .iter()
            .filter(|e| e.kind.is_restricted())
            .map(|e| e.id)
            .collect();
        if ids.is_empty() {
            return Ok(true);
        }
        let found = notes.get_many(&ids)?;
        for e in events.iter_mut() {
            if let Some(text) = found.get(&e.id) {
                e.summary = text.clone();
            }
        }
        let list: Vec<u64> = ids.iter().map(|i| i.0).collect();
        let record = self.audit_record(
            "read_counseling",
            target,
            None,
            Some(format!("{{\"events\":{}}}", json(&list))),
        );
        self.store
            .write(|w| -> Result<()> { Ok(w.append_audit(record).map(|_| ())?) })?;
        Ok(true)
    }

    pub fn today(&self) -> NaiveDate {
        self.today
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

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

    /// Applies commands in one transaction: all of them or, on the first refusal, none.
    pub fn execute_all(&self, commands: Vec<Command>, audit: BatchAudit) -> Result<Vec<Outcome>> {
        let summary = match &audit {
            BatchAudit::Summary(label) => Some((label.clone(), commands.len())),
            BatchAudit::Each => None,
        };
        // Counselling notes go to their own file only after the main transaction committed:
        // a crash in between loses a note, never attaches it to another event.
        let mut notes_to_write: Vec<(EventId, String)> = Vec::new();
        let pending = &mut notes_to_write;
        let outcomes: Vec<Outcome> = self
            .store
            .write(|w| -> Result<(Vec<Outcome>, bool)> {
                // Judged on the file as this transaction found it, so that a session opened before
                // the first administrator existed loses its setup rights once one does.
                let founded = self.founded.load(std::sync::atomic::Ordering::Relaxed);
                let setting_up = founded || !w.all_staff()?.iter().any(|s| s.has_role(Role::Admin));
                let mut outcomes = Vec::with_capacity(commands.len());
                for command in commands {
                    let name = command.name();
                    let (outcome, target, before, after) =
                        self.apply(w, command, setting_up, pending)?;
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
        if !notes_to_write.is_empty() {
            let notes = self.notes()?;
            for (id, text) in &notes_to_write {
                notes.put(*id, text)?;
            }
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
        let at_unix_ms = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        AuditRecord {
            seq: 0,
            at_unix_ms,
            day: self.today,
            actor: self.actor.staff_id(),
            command: command.to_string(),
            target,
            before,
            after,
        }
    }

    /// Validates and applies one command; returns what the audit record needs.
    fn apply(
        &self,
        w: &mut Writer<'_>,
        command: Command,
        setting_up: bool,
        notes: &mut Vec<(EventId, String)>,
    ) -> Result<(Outcome, String, Option<String>, Option<String>)> {
        match command {
            Command::SetSettings(settings) => {
                self.require_admin(setting_up, "change the school settings")?;
                let mut settings = settings;
                settings.school_name = line(Field::Name, &settings.school_name, NAME)?;
                check_calendar(&settings)?;
                let before = w.settings()?;
                w.put_settings(&settings)?;
                Ok((
                    Outcome::Settings,
                    "settings".into(),
                    before.as_ref().map(json),
                    Some(json(&settings)),
                ))
            }
            Command::AddStaff(new) => {
                self.require_admin(setting_up, "add staff")?;
                let name = line(Field::Name, &new.name, NAME)?;
                if name.is_empty() {
                    return Err(ServiceError::invalid_with(
                        Field::Name,
                        &new.name,
                        "不能为空",
                        "must not be empty",
                    ));
                }
                if new.roles.is_empty() {
                    return Err(ServiceError::invalid_with(
                        Field::Staff,
                        &name,
                        "至少一个角色: admin, counselor, class-teacher, mentor",
                        "at least one role: admin, counselor, class-teacher, mentor",
                    ));
                }
                let unix_user = match new.unix_user.as_deref().map(str::trim) {
                    Some(u) if !u.is_empty() => Some(unix_name(u)?),
                    _ => None,
                };
                let classes = new
                    .classes
                    .iter()
                    .map(|c| line(Field::Class, c, NAME).map(|c| normalize_class(&c)))
                    .filter(|c| !matches!(c, Ok(c) if c.is_empty()))
                    .collect::<Result<Vec<_>>>()?;
                let new = NewStaff {
                    unix_user,
                    classes,
                    ..new
                };
                let existing = w.all_staff()?;
                if existing.iter().any(|s| s.name == name) {
                    return Err(ServiceError::DuplicateStaff { name });
                }
                if let Some(u) = &new.unix_user
                    && let Some(holder) = existing.iter().find(|s| s.unix_user.as_ref() == Some(u))
                {
                    return Err(ServiceError::DuplicateUnixUser {
                        unix_user: u.clone(),
                        holder: holder.name.clone(),
                    });
                }
                let id = w.new_staff_id()?;
                let staff = Staff {
                    id,
                    version: 1,
                    name,
                    roles: new.roles,
                    classes: new.classes,
                    unix_user: new.unix_user,
                    active: true,
                };
                w.put_staff(&staff)?;
                Ok((
                    Outcome::Staff(id),
                    format!("staff:{}", id.0),
                    None,
                    Some(json(&staff)),
                ))
            }
            Command::AddChild(new) => {
                self.require(
                    setting_up,
                    Access::Manage,
                    &new.class,
                    None,
                    "open files outside your classes",
                )?;
                let new = self.validate_child(w, *new, None)?;
                let id = w.new_child_id()?;
                let child = new.into_child(id, self.today);
                w.put_child(&child)?;
                Ok((
                    Outcome::Child(id),
                    format!("child:{}", id.0),
                    None,
                    Some(json(&child)),
                ))
            }
            Command::ArchiveChild {
                child,
                reason,
                date,
            } => {
                let mut file = self.existing_child(w, child)?;
                self.require(
                    setting_up,
                    Access::Manage,
                    &file.class,
                    file.mentor,
                    "archive files outside your classes",
                )?;
                self.refuse_archived(&file)?;
                if date > self.today {
                    return Err(future_date(Field::Date, date, self.today));
                }
                if let Some(last) = file.status_history.last()
                    && date < last.date
                {
                    return Err(ServiceError::invalid_with(
                        Field::Date,
                        &date.to_string(),
                        &format!("不早于建档日期 {}", last.date),
                        &format!("not before the file was opened ({})", last.date),
                    ));
                }
                let before = json(&file);
                file.status_history.push(StatusChange {
                    date,
                    status: Status::Archived(reason),
                });
                file.version += 1;
                w.put_child(&file)?;
                Ok((
                    Outcome::Archived(child),
                    format!("child:{}", child.0),
                    Some(before),
                    Some(json(&file)),
                ))
            }
            Command::LogEvent(mut new) => {
                if new.kind.is_restricted() && !setting_up && !self.actor.has_role(Role::Counselor)
                {
                    return Err(ServiceError::NotPermitted {
                        who: self.actor.name(),
                        what: "record counselling sessions",
                    });
                }
                new.summary = note(Field::Note, &new.summary)?;
                for p in &mut new.present {
                    *p = line(Field::Present, p, SHORT)?;
                }
                new.present.retain(|p| !p.is_empty());
                let child = self.existing_child(w, new.child)?;
                self.require(
                    setting_up,
                    Access::Record,
                    &child.class,
                    child.mentor,
                    "record for children outside your classes and mentees",
                )?;
                self.refuse_archived(&child)?;
                self.existing_staff(w, new.staff)?;
                self.check_event_date(&child, new.date)?;
                let id = w.new_event_id()?;
                let mut event = new.into_event(id, None);
                if event.kind.is_restricted() {
                    // The note goes to the notes file; the main file keeps the session only.
                    let text = std::mem::take(&mut event.summary);
                    if !text.is_empty() {
                        self.notes()?;
                        notes.push((id, text));
                    }
                }
                w.insert_event(&event)?;
                Ok((
                    Outcome::Event(id),
                    format!("child:{} event:{}", event.child.0, id.0),
                    None,
                    Some(audit_json(&event)),
                ))
            }
            Command::UpdateChild {
                child,
                version,
                file,
            } => {
                let existing = self.existing_child(w, child)?;
                self.require(
                    setting_up,
                    Access::Manage,
                    &existing.class,
                    existing.mentor,
                    "change files outside your classes",
                )?;
                self.require(
                    setting_up,
                    Access::Manage,
                    &file.class,
                    None,
                    "move files into classes that are not yours",
                )?;
                self.refuse_archived(&existing)?;
                if existing.version != version {
                    let staff: HashMap<StaffId, String> =
                        w.all_staff()?.into_iter().map(|s| (s.id, s.name)).collect();
                    let current = crate::transfer::write::roster_headers()
                        .iter()
                        .zip(crate::transfer::write::roster_row(&existing, &staff))
                        .filter(|(_, v)| !v.is_empty())
                        .map(|(h, v)| format!("{h}={v}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    return Err(ServiceError::Stale {
                        name: existing.name.clone(),
                        expected: version,
                        found: existing.version,
                        current,
                    });
                }
                let mut new = self.validate_child(w, *file, Some(child))?;
                let mut updated = existing.clone();
                updated.name = std::mem::take(&mut new.name);
                updated.gender = new.gender;
                updated.birth = new.birth;
                updated.student_no = new.student_no.take();
                updated.class = std::mem::take(&mut new.class);
                updated.village = new.village.take();
                updated.address = new.address.take();
                updated.boarding = new.boarding;
                updated.left_behind = new.left_behind.clone();
                updated.parents = std::mem::take(&mut new.parents);
                updated.guardian = merge_guardian(existing.guardian.as_ref(), new.guardian.take());
                updated.mentor = new.mentor;
                updated.buddies = std::mem::take(&mut new.buddies);
                // The roster carries the first emergency contact: given, it replaces the first
                // one on file (the others stay); absent, the file keeps its contacts.
                if let Some(first) = new.emergency_contacts.first() {
                    match updated.emergency_contacts.first_mut() {
                        Some(c) => *c = first.clone(),
                        None => updated.emergency_contacts.push(first.clone()),
                    }
                }
                updated.support.key_support = new.support.key_support;
                updated.support.poverty_support = new.support.poverty_support;
                updated.support.special_needs = std::mem::take(&mut new.support.special_needs);
                if let (Some(opened), Some(first)) =
                    (new.opened, updated.status_history.first_mut())
                {
                    first.date = opened;
                }
                if updated == existing {
                    return Ok((
                        Outcome::Unchanged(child),
                        format!("child:{}", child.0),
                        None,
                        None,
                    ));
                }
                updated.version += 1;
                w.put_child(&updated)?;
                Ok((
                    Outcome::Updated(child),
                    format!("child:{}", child.0),
                    Some(json(&existing)),
                    Some(json(&updated)),
                ))
            }
            Command::LoadDump(mut dump) => {
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
                let n = load_dump(w, &dump)?;
                Ok((
                    Outcome::Loaded(n),
                    "dump".into(),
                    None,
                    Some(format!("{{\"records\":{n}}}")),
                ))
            }
            Command::SurveyChild { child, situation } => {
                let mut file = self.existing_child(w, child)?;
                self.require(
                    setting_up,
                    Access::Manage,
                    &file.class,
                    file.mentor,
                    "change files outside your classes",
                )?;
                self.refuse_archived(&file)?;
                let Some(date) = situation.surveyed else {
                    return Err(ServiceError::invalid_with(
                        Field::Date,
                        "",
                        "复查日期",
                        "the date of the survey",
                    ));
                };
                self.check_event_date(&file, date)?;
                let mut situation = situation;
                for text in [
                    &mut situation.study,
                    &mut situation.life,
                    &mut situation.psychology,
                    &mut situation.safety,
                    &mut situation.health,
                ] {
                    *text = line(Field::Situation, text, LONG)?;
                }
                let before = json(&file);
                file.situation = situation;
                file.version += 1;
                w.put_child(&file)?;
                Ok((
                    Outcome::Surveyed(child),
                    format!("child:{}", child.0),
                    Some(before),
                    Some(json(&file)),
                ))
            }
            Command::AddActivity(new) => {
                self.existing_staff(w, new.organiser)?;
                if new.title.trim().is_empty() {
                    return Err(ServiceError::invalid_with(
                        Field::Name,
                        &new.title,
                        "活动名称不能为空",
                        "the title must not be empty",
                    ));
                }
                if new.date > self.today {
                    return Err(future_date(Field::Date, new.date, self.today));
                }
                let mut new = new;
                let mut seen = std::collections::HashSet::new();
                new.children.retain(|c| seen.insert(*c));
                let mut children = Vec::with_capacity(new.children.len());
                for id in &new.children {
                    let child = self.existing_child(w, *id)?;
                    self.require(
                        setting_up,
                        Access::Record,
                        &child.class,
                        child.mentor,
                        "record for children outside your classes and mentees",
                    )?;
                    self.refuse_archived(&child)?;
                    self.check_event_date(&child, new.date)?;
                    children.push(child);
                }
                let id = w.new_activity_id()?;
                let activity = Activity {
                    id,
                    version: 1,
                    kind: new.kind,
                    date: new.date,
                    title: new.title.trim().to_string(),
                    organiser: new.organiser,
                    children: new.children,
                    guardians: new.guardians,
                };
                w.put_activity(&activity)?;
                let kind = match activity.kind {
                    ActivityKind::Activity => EventKind::Activity,
                    ActivityKind::Training => EventKind::Training,
                };
                let mut events = Vec::with_capacity(children.len());
                for child in children {
                    let event_id = w.new_event_id()?;
                    let event = NewEvent {
                        child: child.id,
                        kind,
                        date: activity.date,
                        staff: activity.organiser,
                        present: Vec::new(),
                        summary: activity.title.clone(),
                        follow_up: false,
                    }
                    .into_event(event_id, Some(id));
                    w.insert_event(&event)?;
                    events.push(event_id);
                }
                Ok((
                    Outcome::Activity(id, events),
                    format!("activity:{}", id.0),
                    None,
                    Some(json(&activity)),
                ))
            }
            Command::UpdateTask {
                task,
                version,
                change,
            } => {
                let existing = w.task(task)?.ok_or_else(|| ServiceError::Invalid {
                    field: Field::Name,
                    value: format!("#{}", task.0),
                    expected_en: "a task on record".into(),
                    expected_zh: "已有的待办".into(),
                })?;
                let child = self.existing_child(w, existing.child)?;
                self.require(
                    setting_up,
                    Access::Record,
                    &child.class,
                    child.mentor,
                    "record for children outside your classes and mentees",
                )?;
                if existing.version != version {
                    return Err(ServiceError::Stale {
                        name: child.name.clone(),
                        expected: version,
                        found: existing.version,
                        current: format!(
                            "{} · {} · {}",
                            existing.text,
                            existing.due,
                            existing.done.map_or("-".to_string(), |d| d.to_string())
                        ),
                    });
                }
                let mut updated = existing.clone();
                updated.version += 1;
                match change {
                    TaskChange::Done(day) => updated.done = Some(day),
                    TaskChange::Snooze(day) => {
                        if day <= self.today {
                            return Err(ServiceError::invalid_with(
                                Field::Date,
                                &day.to_string(),
                                "今天以后的日期",
                                "a day after today",
                            ));
                        }
                        updated.due = day;
                    }
                    TaskChange::Reassign(staff) => {
                        self.existing_staff(w, staff)?;
                        updated.assignee = staff;
                    }
                }
                w.put_task(&updated)?;
                Ok((
                    Outcome::Task(task),
                    format!("child:{} task:{}", existing.child.0, task.0),
                    Some(json(&existing)),
                    Some(json(&updated)),
                ))
            }
            Command::Undo => self.undo(w, setting_up),
            Command::RestoreChild { child, date } => {
                let mut file = self.existing_child(w, child)?;
                self.require(
                    setting_up,
                    Access::Manage,
                    &file.class,
                    file.mentor,
                    "restore files outside your classes",
                )?;
                if file.is_active() {
                    return Err(ServiceError::invalid_with(
                        Field::Name,
                        &file.name,
                        "已归档的档案",
                        "an archived file",
                    ));
                }
                if date > self.today {
                    return Err(future_date(Field::Date, date, self.today));
                }
                let before = json(&file);
                file.status_history.push(StatusChange {
                    date,
                    status: Status::Active,
                });
                file.version += 1;
                w.put_child(&file)?;
                Ok((
                    Outcome::Updated(child),
                    format!("child:{}", child.0),
                    Some(before),
                    Some(json(&file)),
                ))
            }
            Command::AddTask(new) => {
                if new.text.trim().is_empty() {
                    return Err(ServiceError::invalid_with(
                        Field::Name,
                        &new.text,
                        "待办内容不能为空",
                        "the task's text must not be empty",
                    ));
                }
                let child = self.existing_child(w, new.child)?;
                self.require(
                    setting_up,
                    Access::Record,
                    &child.class,
                    child.mentor,
                    "record for children outside your classes and mentees",
                )?;
                self.refuse_archived(&child)?;
                self.existing_staff(w, new.assignee)?;
                let id = w.new_task_id()?;
                let task = Task {
                    id,
                    version: 1,
                    child: new.child,
                    text: new.text,
                    due: new.due,
                    assignee: new.assignee,
                    done: None,
                };
                w.put_task(&task)?;
                Ok((
                    Outcome::Task(id),
                    format!("child:{} task:{}", task.child.0, id.0),
                    None,
                    Some(json(&task)),
                ))
            }
        }
    }

    /// The open tasks of the children one may record for, soonest due first.
    pub fn open_tasks(&self) -> Result<Vec<Task>> {
        let r = self.reader()?;
        let setting_up = self.setting_up_when_opened();
        let mut out = Vec::new();
        for task in r.all_tasks()?.into_iter().filter(|t| t.done.is_none()) {
            if let Some(child) = r.child(task.child)?
                && child.is_active()
                && self.access(setting_up, &child.class, child.mentor) >= Access::Record
            {
                out.push(task);
            }
        }
        out.sort_by_key(|t| (t.due, t.id));
        Ok(out)
    }

    /// Finds the user's last change not undone yet and reverts it (see [`Command::Undo`]).
    fn undo(
        &self,
        w: &mut Writer<'_>,
        setting_up: bool,
    ) -> Result<(Outcome, String, Option<String>, Option<String>)> {
        let me = self.actor.staff_id().ok_or(ServiceError::NothingToUndo)?;
        let mut undone: std::collections::HashSet<u64> = std::collections::HashSet::new();
        let mut found: Option<AuditRecord> = None;
        w.audit_newest_first(|record| {
            if record.actor != Some(me) {
                return true;
            }
            if record.command == "undo" {
                if let Some(seq) = record
                    .target
                    .strip_prefix("undo:")
                    .and_then(|t| t.split(' ').next())
                    .and_then(|n| n.parse::<u64>().ok())
                {
                    undone.insert(seq);
                }
                return true;
            }
            if record.command == "read_counseling" || undone.contains(&record.seq) {
                return true;
            }
            found = Some(record);
            false
        })?;
        let record = found.ok_or(ServiceError::NothingToUndo)?;
        let cannot = || ServiceError::CannotUndo {
            command: record.command.clone(),
        };
        let parse = |text: &Option<String>| -> Result<serde_json::Value> {
            text.as_deref()
                .and_then(|t| serde_json::from_str(t).ok())
                .ok_or_else(cannot)
        };
        // The user must still have the rights the change needed: a mentor replaced since, or
        // a teacher whose pupil moved to another class, cannot take it back.
        let still_may = |w: &Writer<'_>, child: ChildId, level: Access| -> Result<()> {
            let file = self.existing_child(w, child)?;
            self.require(
                setting_up,
                level,
                &file.class,
                file.mentor,
                "undo changes to children outside your classes and mentees",
            )
        };
        match record.command.as_str() {
            "log_event" => {
                let event: Event =
                    serde_json::from_value(parse(&record.after)?).map_err(|_| cannot())?;
                still_may(w, event.child, Access::Record)?;
                match w.event(event.id)? {
                    Some(current) => w.delete_event(&current)?,
                    None => return Err(cannot()),
                }
            }
            "add_task" => {
                let task: Task =
                    serde_json::from_value(parse(&record.after)?).map_err(|_| cannot())?;
                still_may(w, task.child, Access::Record)?;
                // Someone changed it since (done, put off, handed over) and it is not as it was
                // created: not taken back. (Changes undone since leave it as created.)
                let current = w.task(task.id)?.ok_or_else(cannot)?;
                let as_created = Task {
                    version: current.version,
                    ..task.clone()
                };
                if current != as_created {
                    return Err(ServiceError::Stale {
                        name: current.text.clone(),
                        expected: task.version,
                        found: current.version,
                        current: format!("{} · {}", current.text, current.due),
                    });
                }
                w.delete_task(task.id)?;
            }
            "update_task" => {
                let mut before: Task =
                    serde_json::from_value(parse(&record.before)?).map_err(|_| cannot())?;
                let after: Task =
                    serde_json::from_value(parse(&record.after)?).map_err(|_| cannot())?;
                still_may(w, before.child, Access::Record)?;
                let current = w.task(before.id)?.ok_or_else(cannot)?;
                if current.version != after.version {
                    return Err(ServiceError::Stale {
                        name: current.text.clone(),
                        expected: after.version,
                        found: current.version,
                        current: format!("{} · {}", current.text, current.due),
                    });
                }
                before.version = current.version + 1;
                w.put_task(&before)?;
            }
            "archive_child" | "restore_child" | "update_child" | "survey_child" => {
                let mut before: Child =
                    serde_json::from_value(parse(&record.before)?).map_err(|_| cannot())?;
                let after: Child =
                    serde_json::from_value(parse(&record.after)?).map_err(|_| cannot())?;
                still_may(w, before.id, Access::Manage)?;
                let current = w.child(before.id)?.ok_or_else(cannot)?;
                // The student number it gets back must still be its own.
                if let Some(no) = &before.student_no
                    && let Some(holder) = w.child_by_student_no(no)?
                    && holder != before.id
                {
                    return Err(ServiceError::invalid_with(
                        Field::StudentNo,
                        no,
                        "这个学号已经给了别的学生, 不能撤销",
                        "a number no other file has (it was given to another file since)",
                    ));
                }
                if current.version != after.version {
                    return Err(ServiceError::Stale {
                        name: current.name.clone(),
                        expected: after.version,
                        found: current.version,
                        current: format!(
                            "{} {}",
                            current.class,
                            current.student_no.clone().unwrap_or_default()
                        ),
                    });
                }
                before.version = current.version + 1;
                w.put_child(&before)?;
            }
            _ => return Err(cannot()),
        }
        Ok((
            Outcome::Undone(record.seq, record.command.clone()),
            format!("undo:{} {}", record.seq, record.target),
            record.after.clone(),
            record.before.clone(),
        ))
    }

    /// What the user may do for a child of `class` whose mentor is `mentor`.
    fn access(&self, setting_up: bool, class: &str, mentor: Option<StaffId>) -> Access {
        match &self.actor {
            _ if setting_up => Access::Manage,
            Actor::Bootstrap => Access::Read,
            Actor::Staff(s) if s.has_role(Role::Admin) || s.has_role(Role::Counselor) => {
                Access::Manage
            }
            Actor::Staff(s)
                if s.has_role(Role::ClassTeacher) && s.classes.iter().any(|c| c == class) =>
            {
                Access::Manage
            }
            Actor::Staff(s) if mentor == Some(s.id) => Access::Record,
            Actor::Staff(_) => Access::Read,
        }
    }

    /// Refuses unless the user has at least `needed` for the child.
    fn require(
        &self,
        setting_up: bool,
        needed: Access,
        class: &str,
        mentor: Option<StaffId>,
        what: &'static str,
    ) -> Result<()> {
        if self.access(setting_up, class, mentor) >= needed {
            Ok(())
        } else {
            Err(ServiceError::NotPermitted {
                who: self.actor.name(),
                what,
            })
        }
    }

    /// Every file at once is for administrators and counsellors (and the school's setup).
    fn require_whole_school(&self, what: &'static str) -> Result<()> {
        if self.setting_up_when_opened()
            || self.actor.has_role(Role::Admin)
            || self.actor.has_role(Role::Counselor)
        {
            Ok(())
        } else {
            Err(ServiceError::NotPermitted {
                who: self.actor.name(),
                what,
            })
        }
    }

    /// Whether the user may read the whole file and timeline of a child (not only its basic
    /// file).
    pub fn may_read(&self, child: &Child) -> Result<bool> {
        Ok(
            self.access(self.setting_up_when_opened(), &child.class, child.mentor)
                >= Access::Record,
        )
    }

    /// For queries: the session sets the school up if it found no administrator when it
    /// opened the file (or created the first one). Decided once, without reading the staff
    /// again on every query; commands judge it again inside their transaction.
    fn setting_up_when_opened(&self) -> bool {
        matches!(self.actor, Actor::Bootstrap)
    }

    /// Staff and settings are the administrator's. While the school has no administrator
    /// (`setting_up`), anyone may set it up, the first administrator included.
    fn require_admin(&self, setting_up: bool, what: &'static str) -> Result<()> {
        if setting_up || self.actor.has_role(Role::Admin) {
            return Ok(());
        }
        Err(ServiceError::NotPermitted {
            who: self.actor.name(),
            what,
        })
    }

    /// Checks a file as entered; `updating` is the file being replaced (its own student number
    /// is no clash).
    fn validate_child(
        &self,
        w: &impl Reads,
        mut new: NewChild,
        updating: Option<ChildId>,
    ) -> Result<NewChild> {
        new.name = line(Field::Name, &new.name, NAME)?;
        new.class = normalize_class(&line(Field::Class, &new.class, NAME)?);
        if new.name.is_empty() {
            return Err(ServiceError::invalid_with(
                Field::Name,
                "",
                "不能为空",
                "must not be empty",
            ));
        }
        if new.class.is_empty() {
            return Err(ServiceError::invalid_with(
                Field::Class,
                "",
                "不能为空, 如 七(2)班",
                "must not be empty, e.g. 七(2)班",
            ));
        }
        if new.birth > self.today {
            return Err(future_date(Field::Birth, new.birth, self.today));
        }
        let oldest = self.today - chrono::Duration::days(365 * OLDEST_PUPIL_YEARS);
        if new.birth < oldest {
            return Err(ServiceError::invalid_with(
                Field::Birth,
                &new.birth.to_string(),
                &format!("学生的出生日期, 在 {oldest} 与今天之间"),
                &format!("a pupil's birth date, between {oldest} and today"),
            ));
        }
        if let Some(since) = new.left_behind.since
            && (since > self.today || since < new.birth)
        {
            return Err(ServiceError::invalid_with(
                Field::Since,
                &since.to_string(),
                &format!("出生日期 {} 与今天 {} 之间的日期", new.birth, self.today),
                &format!(
                    "a date between the birth date {} and today {}",
                    new.birth, self.today
                ),
            ));
        }
        if let Some(opened) = new.opened
            && (opened > self.today || opened < new.birth)
        {
            return Err(ServiceError::invalid_with(
                Field::Opened,
                &opened.to_string(),
                &format!("出生日期 {} 与今天 {} 之间的日期", new.birth, self.today),
                &format!(
                    "a date between the birth date {} and today {}",
                    new.birth, self.today
                ),
            ));
        }
        new.student_no = opt_line(Field::StudentNo, &new.student_no, NAME)?;
        if let Some(no) = &new.student_no
            && let Some(holder) = w.child_by_student_no(no)?
            && Some(holder) != updating
        {
            let holder = w
                .child(holder)?
                .map(|c| format!("{} ({})", c.name, c.class))
                .unwrap_or_default();
            return Err(ServiceError::DuplicateStudentNo {
                student_no: no.clone(),
                holder,
            });
        }
        new.village = opt_line(Field::Village, &new.village, NAME)?;
        new.address = opt_line(Field::Address, &new.address, LONG)?;
        for parent in &mut new.parents {
            let who = match parent.relation {
                ParentRelation::Father => PhoneOf::Father,
                ParentRelation::Mother => PhoneOf::Mother,
            };
            parent.name = line(Field::Name, &parent.name, NAME)?;
            parent.workplace = opt_line(Field::Workplace, &parent.workplace, LONG)?;
            parent.phone = opt_phone(Field::Phone(who), &parent.phone)?;
        }
        if let Some(g) = &mut new.guardian {
            g.name = line(Field::Name, &g.name, NAME)?;
            g.relation = line(Field::Relation, &g.relation, NAME)?;
            g.health = opt_line(Field::Situation, &g.health, LONG)?;
            g.phone = opt_phone(Field::Phone(PhoneOf::Guardian), &g.phone)?;
        }
        for c in &mut new.emergency_contacts {
            c.name = line(Field::Name, &c.name, NAME)?;
            c.relation = line(Field::Relation, &c.relation, NAME)?;
            c.phone = normalize_phone(&c.phone)
                .map_err(|e| ServiceError::invalid(Field::Phone(PhoneOf::EmergencyContact), e))?;
        }
        for b in &mut new.buddies {
            *b = line(Field::Name, b, NAME)?;
        }
        new.buddies.retain(|b| !b.is_empty());
        let s = &mut new.situation;
        for text in [
            &mut s.study,
            &mut s.life,
            &mut s.psychology,
            &mut s.safety,
            &mut s.health,
        ] {
            *text = line(Field::Situation, text, LONG)?;
        }
        new.support.special_needs = line(Field::Situation, &new.support.special_needs, LONG)?;
        if let Some(mentor) = new.mentor {
            self.existing_staff(w, mentor)?;
        }
        Ok(new)
    }

    fn existing_child(&self, w: &Writer<'_>, id: ChildId) -> Result<Child> {
        w.child(id)?.ok_or_else(|| ServiceError::UnknownChild {
            reference: format!("#{}", id.0),
        })
    }

    fn existing_staff(&self, w: &impl Reads, id: StaffId) -> Result<Staff> {
        match w.staff(id)? {
            Some(s) => Ok(s),
            None => Err(ServiceError::UnknownStaff {
                field: Field::Staff,
                name: format!("#{}", id.0),
                known: w.all_staff()?.into_iter().map(|s| s.name).collect(),
            }),
        }
    }

    fn refuse_archived(&self, child: &Child) -> Result<()> {
        match child.status_history.last() {
            Some(StatusChange {
                status: Status::Archived(_),
                date,
            }) => Err(ServiceError::Archived {
                name: child.name.clone(),
                since: *date,
            }),
            _ => Ok(()),
        }
    }

    fn check_event_date(&self, child: &Child, date: NaiveDate) -> Result<()> {
        if date > self.today {
            return Err(future_date(Field::Date, date, self.today));
        }
        if date < child.birth {
            return Err(ServiceError::invalid_with(
                Field::Date,
                &date.to_string(),
                &format!("不早于出生日期 {}", child.birth),
                &format!("not before the birth date {}", child.birth),
            ));
        }
        Ok(())
    }

    // ---- queries ----

    /// A read snapshot for queries that need several reads to agree.
    fn reader(&self) -> Result<Reader> {
        Ok(self.store.read()?)
    }

    pub fn settings(&self) -> Result<Settings> {
        Ok(self
            .reader()?
            .settings()?
            .unwrap_or_else(|| Settings::default_for(self.today)))
    }

    pub fn staff(&self) -> Result<Vec<Staff>> {
        Ok(self.reader()?.all_staff()?)
    }

    pub fn has_admin(&self) -> Result<bool> {
        Ok(self
            .reader()?
            .all_staff()?
            .iter()
            .any(|s| s.has_role(Role::Admin)))
    }

    pub fn change_seq(&self) -> Result<u64> {
        Ok(self.reader()?.change_seq()?)
    }

    pub fn audit_since(&self, after: u64) -> Result<Vec<AuditRecord>> {
        Ok(self.reader()?.audit_since(after)?)
    }

    pub fn event_count(&self) -> Result<u64> {
        Ok(self.reader()?.event_count()?)
    }

    /// A staff member by exact name, as typed for `field` (`--by`, `--mentor` ...).
    pub fn resolve_staff(&self, field: Field, name: &str) -> Result<Staff> {
        let all = self.staff()?;
        let name = name.trim();
        match all.iter().find(|s| s.name == name) {
            Some(s) => Ok(s.clone()),
            None => Err(ServiceError::UnknownStaff {
                field,
                name: name.to_string(),
                known: all.into_iter().map(|s| s.name).collect(),
            }),
        }
    }

    /// A child by student number or exact name.
    /// A child by student number or exact name: the whole file for those who may read it,
    /// the basic file (no phones, parents, guardian, situation, support) for other staff.
    pub fn resolve_child(&self, reference: &str) -> Result<Child> {
        let child = self.find_child(reference)?;
        if self.may_read(&child)? {
            Ok(child)
        } else {
            Ok(basic_file(child))
        }
    }

    /// A child by id: the whole file for those who may read it, the basic file for other
    /// staff (as [`resolve_child`](Self::resolve_child)).
    pub fn child(&self, id: ChildId) -> Result<Child> {
        let child = self
            .reader()?
            .child(id)?
            .ok_or_else(|| ServiceError::UnknownChild {
                reference: format!("#{}", id.0),
            })?;
        if self.may_read(&child)? {
            Ok(child)
        } else {
            Ok(basic_file(child))
        }
    }

    fn find_child(&self, reference: &str) -> Result<Child> {
        let r = self.reader()?;
        let reference = reference.trim();
        if let Some(id) = r.child_by_student_no(reference)?
            && let Some(child) = r.child(id)?
        {
            return Ok(child);
        }
        let ids = r.children_named(reference)?;
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            found.extend(r.child(id)?);
        }
        // An active file wins over archived files of the same name.
        if found.len() > 1 {
            let active: Vec<Child> = found.iter().filter(|c| c.is_active()).cloned().collect();
            if active.len() == 1 {
                found = active;
            }
        }
        match found.len() {
            0 => Err(ServiceError::UnknownChild {
                reference: reference.to_string(),
            }),
            1 => Ok(found.remove(0)),
            _ => Err(ServiceError::AmbiguousChild {
                reference: reference.to_string(),
                candidates: found
                    .iter()
                    .map(|c| {
                        format!(
                            "{} {} {}",
                            c.student_no.as_deref().unwrap_or("-"),
                            c.class,
                            c.birth
                        )
                    })
                    .collect(),
            }),
        }
    }

    /// The roster: active files (and archived ones when asked), ordered by class, then student
    /// number.
    pub fn roster(&self, include_archived: bool) -> Result<Vec<RosterRow>> {
        let r = self.reader()?;
        let staff: HashMap<StaffId, String> =
            r.all_staff()?.into_iter().map(|s| (s.id, s.name)).collect();
        let mut rows: Vec<RosterRow> = r
            .roster()?
            .into_iter()
            .filter(|c| include_archived || c.is_active())
            .map(|child| RosterRow {
                mentor_name: child.mentor.and_then(|m| staff.get(&m).cloned()),
                child,
            })
            .collect();
        rows.sort_by_cached_key(|r| {
            let (grade, number, _) = class_order(&r.child.class);
            (
                grade,
                number,
                r.child.class.clone(),
                r.child.student_no.clone(),
                r.child.id,
            )
        });
        Ok(rows)
    }

    /// The overdue queue as of today under `rules`, most urgent first: rows overdue and, with
    /// `within = Some(n)`, due in the next `n` days. Reads each child's last events from the
    /// per-child index: the cost does not grow with the history.
    pub fn overdue_queue(&self, rules: &Rules, within: Option<i64>) -> Result<OverdueQueue> {
        let r = self.reader()?;
        let settings = r
            .settings()?
            .unwrap_or_else(|| Settings::default_for(self.today));
        let staff = r.all_staff()?;
        let mut engine = QueueEngine::new(rules, &settings, &staff, self.today, within);
        let mut rows = Vec::new();
        let mut children = Vec::new();
        // Summaries are read in place, one at a time; only children with rows are kept.
        // Each teacher's queue holds the children whose whole file they may read: the flags
        // that weigh in the urgency are not for everyone.
        let setting_up = self.setting_up_when_opened();
        r.for_each_summary(|c| {
            if !c.is_active() || self.access(setting_up, c.class, c.mentor) < Access::Record {
                return;
            }
            let before = rows.len();
            engine.child_rows(
                &ChildFacts {
                    id: c.id,
                    class: c.class,
                    birth: c.birth,
                    opened: c.opened,
                    key_support: c.key_support,
                    boarding: c.boarding,
                    poverty_support: c.poverty_support,
                    left_behind: c.left_behind,
                    mentor: c.mentor,
                    surveyed: c.surveyed,
                    last: c.last.dates(),
                },
                &mut rows,
            );
            if rows.len() > before {
                children.push(QueueChild {
                    id: c.id,
                    name: c.name.to_string(),
                    class: c.class.to_string(),
                    student_no: c.student_no.map(str::to_string),
                    key_support: c.key_support,
                });
            }
        })?;
        QueueEngine::sort(&mut rows);
        let mut names: Vec<(StaffId, String)> = staff.into_iter().map(|s| (s.id, s.name)).collect();
        names.sort_by_key(|(id, _)| *id);
        Ok(OverdueQueue {
            rows,
            children,
            staff: names,
            duties: rules.duties.clone(),
        })
    }

    /// Sorts imported rows into new files and updates of files already on record (same
    /// student number, or same name and birth date). A row matching a file is a mistake
    /// unless `update`. Reads only: the file is not touched.
    pub fn plan_import(
        &self,
        rows: Vec<RowPlan>,
        update: bool,
    ) -> Result<(ImportPlan, Vec<RowError>)> {
        let r = self.reader()?;
        let mut plan = ImportPlan::default();
        let mut errors = Vec::new();
        let mut matched: HashMap<ChildId, usize> = HashMap::new();
        let setting_up = self.setting_up_when_opened();
        for row in rows {
            // A student number decides; without one, the same name and birth date.
            let found = match &row.child.student_no {
                Some(no) => match r.child_by_student_no(no)? {
                    Some(id) => r.child(id)?,
                    None => None,
                },
                None => {
                    let mut same = None;
                    for id in r.children_named(&row.child.name)? {
                        if let Some(c) = r.child(id)?
                            && c.birth == row.child.birth
                        {
                            same = Some(c);
                        }
                    }
                    same
                }
            };
            if let Some(existing) = &found
                && let Some(first) = matched.insert(existing.id, row.line)
            {
                errors.push(RowError {
                    line: row.line,
                    column: String::from("学号/姓名"),
                    value: row
                        .child
                        .student_no
                        .clone()
                        .unwrap_or(row.child.name.clone()),
                    expected_zh: format!("不与第 {first} 行同为 {} 的档案", existing.name),
                    expected_en: format!("not the same file ({}) as line {first}", existing.name),
                });
                continue;
            }
            if let (Some(existing), false) = (&found, update) {
                errors.push(RowError {
                    line: row.line,
                    column: row
                        .child
                        .student_no
                        .as_ref()
                        .map_or("姓名", |_| "学号")
                        .to_string(),
                    value: row
                        .child
                        .student_no
                        .clone()
                        .unwrap_or(row.child.name.clone()),
                    expected_zh: format!(
                        "不在档的学生 (已有 {} {} {}; 要更新已有档案请加 --update)",
                        existing.name,
                        existing.class,
                        existing.student_no.as_deref().unwrap_or("")
                    ),
                    expected_en: format!(
                        "a child not on file (already there: {} {} {}; add --update to update it)",
                        existing.name,
                        existing.class,
                        existing.student_no.as_deref().unwrap_or("")
                    ),
                });
                continue;
            }
            // The same checks the command will make, so that every mistake is listed now and
            // the database is opened for writing only for a file that will go in whole.
            let allowed = self
                .require(
                    setting_up,
                    Access::Manage,
                    &row.child.class,
                    None,
                    "open files outside your classes",
                )
                .and_then(|()| match &found {
                    Some(existing) => self.require(
                        setting_up,
                        Access::Manage,
                        &existing.class,
                        existing.mentor,
                        "change files outside your classes",
                    ),
                    None => Ok(()),
                });
            if let Err(e) = allowed {
                errors.push(row_error(row.line, &e));
                continue;
            }
            match self.validate_child(&r, row.child.clone(), found.as_ref().map(|c| c.id)) {
                Ok(_) => match found {
                    Some(existing) => plan.update.push((row.line, existing, row.child)),
                    None => plan.create.push((row.line, row.child)),
                },
                Err(e) => errors.push(row_error(row.line, &e)),
            }
        }
        Ok((plan, errors))
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
        Ok(Dump {
            format: DUMP_FORMAT.to_string(),
            schema_version: crate::store::SCHEMA_VERSION,
            counselling_withheld: withheld,
            records: crate::store::Records {
                settings: r.settings()?,
                staff: r.all_staff()?,
                children: r.all_children()?,
                events,
                activities: r.all_activities()?,
                tasks: r.all_tasks()?,
            },
        })
    }

    /// Every file, archived ones included, in id order.
    pub fn children(&self) -> Result<Vec<Child>> {
        self.require_whole_school("export the whole school")?;
        Ok(self.reader()?.all_children()?)
    }

    /// The figures of the work summary for `[from, to]` (`term`: the term's name, when the
    /// period is one). Every staff member may draft it: it holds counts, the names of award
    /// winners and of children not visited at home, never anything about counselling but
    /// its count.
    pub fn report(
        &self,
        rules: &Rules,
        term: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<crate::report::Figures> {
        let r = self.reader()?;
        let settings = r
            .settings()?
            .unwrap_or_else(|| Settings::default_for(self.today));
        let staff = r.all_staff()?;
        let children = r.all_children()?;
        let first = crate::report::events_needed_from(&settings, rules, from, to);
        let events: Vec<crate::report::ReportEvent> = r
            .events_between(first, to, &[crate::domain::EventKind::Award])?
            .into_iter()
            .map(|e| crate::report::ReportEvent {
                child: e.child,
                kind: e.kind,
                date: e.date,
                staff: e.staff,
                title: e
                    .summary
                    .filter(|_| e.kind == crate::domain::EventKind::Award),
            })
            .collect();
        let activities = r.all_activities()?;
        drop(r);
        Ok(crate::report::figures(&crate::report::ReportInput {
            school: &settings.school_name,
            term,
            from,
            to,
            today: self.today,
            settings: &settings,
            rules,
            staff: &staff,
            children: &children,
            events: &events,
            activities: &activities,
        }))
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
    pub fn notes_path(&self) -> std::path::PathBuf {
        Notes::path_for(self.store.path())
    }

    /// The audit log, oldest first, for an administrator: every change with who made it, when,
    /// and the values before and after. Filtered by child, by staff member, from a day on.
    pub fn audit(
        &self,
        child: Option<ChildId>,
        staff: Option<StaffId>,
        since: Option<NaiveDate>,
    ) -> Result<Vec<AuditEntry>> {
        let r = self.reader()?;
        let setting_up = !r.all_staff()?.iter().any(|s| s.has_role(Role::Admin));
        if !setting_up && !self.actor.has_role(Role::Admin) {
            return Err(ServiceError::NotPermitted {
                who: self.actor.name(),
                what: "read the audit log",
            });
        }
        let names: HashMap<StaffId, String> =
            r.all_staff()?.into_iter().map(|s| (s.id, s.name)).collect();
        let target = child.map(|c| format!("child:{}", c.0));
        Ok(r.audit_since(0)?
            .into_iter()
            .filter(|a| since.is_none_or(|d| a.day >= d))
            .filter(|a| staff.is_none_or(|s| a.actor == Some(s)))
            .filter(|a| {
                target.as_ref().is_none_or(|t| {
                    // An undo's target is the undone change's, after "undo:SEQ ".
                    let target = match a.target.strip_prefix("undo:") {
                        Some(rest) => rest.split_once(' ').map_or("", |(_, t)| t),
                        None => a.target.as_str(),
                    };
                    target == *t || target.starts_with(&format!("{t} "))
                })
            })
            .map(|record| AuditEntry {
                actor_name: record.actor.and_then(|a| names.get(&a).cloned()),
                record,
            })
            .collect())
    }

    /// A child's events, newest first. Counselling summaries are withheld from anyone who is
    /// not a counsellor.
    pub fn timeline(&self, child: ChildId) -> Result<Vec<TimelineEntry>> {
        let r = self.reader()?;
        if let Some(file) = r.child(child)?
            && !self.may_read(&file)?
        {
            return Err(ServiceError::NotPermitted {
                who: self.actor.name(),
                what: "read the timelines of children outside your classes and mentees",
            });
        }
        let staff: HashMap<StaffId, String> =
            r.all_staff()?.into_iter().map(|s| (s.id, s.name)).collect();
        let mut events = r.timeline(child)?;
        drop(r);
        // Notes live in the counsellors' file: filled in (and the reading audited) for them.
        let may_read_restricted = self.fill_notes(
            &mut events.iter_mut().collect::<Vec<_>>(),
            format!("child:{}", child.0),
        )?;
        Ok(events
            .into_iter()
            .map(|mut event| {
                let restricted = event.kind.is_restricted() && !may_read_restricted;
                if restricted {
                    event.summary.clear();
                }
                TimelineEntry {
                    staff_name: staff
                        .get(&event.staff)
                        .cloned()
                        .unwrap_or_else(|| format!("#{}", event.staff.0)),
                    event,
                    restricted,
                }
            })
            .collect())
    }

    /// The latest event of a kind for a child, from the index. Counselling summaries are
    /// withheld from anyone who is not a counsellor, as in the timeline.
    pub fn last_event(&self, child: ChildId, kind: EventKind) -> Result<Option<Event>> {
        let r = self.reader()?;
        let Some(last) = r.last_event(child, kind)? else {
            return Ok(None);
        };
        let Some(mut e) = r.event(last.event)? else {
            return Ok(None);
        };
        drop(r);
        if e.kind.is_restricted()
            && !self.fill_notes(&mut [&mut e], format!("child:{}", child.0))?
        {
            e.summary.clear();
        }
        Ok(Some(e))
    }

    pub fn activity(&self, id: ActivityId) -> Result<Option<Activity>> {
        Ok(self.reader()?.activity(id)?)
    }

    pub fn task(&self, id: TaskId) -> Result<Option<Task>> {
        Ok(self.reader()?.task(id)?)
    }
}

fn resolve_actor(r: &Reader, identity: &Identity) -> Result<Actor> {
    let staff = r.all_staff()?;
    let has_admin = staff.iter().any(|s| s.has_role(Role::Admin));
    let by_unix = |user: &str| staff.iter().find(|s| s.unix_user.as_deref() == Some(user));
    let by_name = |name: &str| staff.iter().find(|s| s.name == name);
    let unknown_name = |name: &str| ServiceError::UnknownStaff {
        field: Field::User,
        name: name.to_string(),
        known: staff.iter().map(|s| s.name.clone()).collect(),
    };
    match identity {
        Identity::Staff(name) => match by_name(name) {
            Some(s) => Ok(Actor::Staff(s.clone())),
            None if !has_admin => Ok(Actor::Bootstrap),
            None => Err(unknown_name(name)),
        },
        Identity::Unix(user) => match by_unix(user) {
            Some(s) => Ok(Actor::Staff(s.clone())),
            None if !has_admin => Ok(Actor::Bootstrap),
            None => Err(ServiceError::UnknownUser {
                unix_user: user.clone(),
            }),
        },
        Identity::Claimed {
            name,
            unix_user,
            owns_file_alone,
        } => {
            let Some(claimed) = by_name(name) else {
                return if has_admin {
                    Err(unknown_name(name))
                } else {
                    Ok(Actor::Bootstrap)
                };
            };
            let me = unix_user.as_deref().and_then(by_unix);
            let allowed = *owns_file_alone
                || !has_admin
                || me.is_some_and(|m| m.id == claimed.id || m.has_role(Role::Admin));
            if allowed {
                Ok(Actor::Staff(claimed.clone()))
            } else {
                Err(ServiceError::NotPermitted {
                    who: unix_user.clone().unwrap_or_else(|| String::from("?")),
                    what: "act as another staff member with --user",
                })
            }
        }
        Identity::Unknown if !has_admin => Ok(Actor::Bootstrap),
        Identity::Unknown => Err(ServiceError::UnknownUser {
            unix_user: String::from("?"),
        }),
    }
}

/// The guardian of an updated file: the roster's name, relation and phone; age, health and
/// ability to supervise kept when it is the same person.
fn merge_guardian(
    old: Option<&crate::domain::Guardian>,
    new: Option<crate::domain::Guardian>,
) -> Option<crate::domain::Guardian> {
    let mut new = new?;
    if let Some(old) = old
        && old.name == new.name
    {
        new.age = old.age;
        new.health = old.health.clone();
        new.can_supervise_study = old.can_supervise_study;
    }
    Some(new)
}

/// What every staff member may see of any child: who and where, not the family's details.
fn basic_file(mut child: Child) -> Child {
    child.address = None;
    child.left_behind.since = None;
    child.parents.clear();
    child.guardian = None;
    child.emergency_contacts.clear();
    child.buddies.clear();
    child.situation = Situation::default();
    child.support = crate::domain::Support::default();
    child
}

/// A refusal of the service as a mistake on a line of an imported file.
fn row_error(line: usize, e: &ServiceError) -> RowError {
    let (column, value, zh, en) = match e {
        ServiceError::Invalid {
            field,
            value,
            expected_en,
            expected_zh,
        } => (
            field.label(crate::i18n::Lang::Zh),
            value.clone(),
            expected_zh.clone(),
            expected_en.clone(),
        ),
        ServiceError::DuplicateStudentNo { student_no, holder } => (
            String::from("学号"),
            student_no.clone(),
            format!("未被占用的学号 (已属于 {holder})"),
            format!("a student number nobody has (it belongs to {holder})"),
        ),
        other => (
            String::new(),
            String::new(),
            other.message(crate::i18n::Lang::Zh),
            other.message(crate::i18n::Lang::En),
        ),
    };
    RowError {
        line,
        column,
        value,
        expected_zh: zh,
        expected_en: en,
    }
}

/// Checks a dump without a database: its format and version, unique ids, student numbers
/// and staff names, every reference inside it, the text and the calendar. `guanai import`
/// runs it before it opens the database; the command runs it again.
fn check_dump_inner(dump: &Dump) -> Result<()> {
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

/// Writes a dump into an empty database, ids kept; every reference is checked first.
fn load_dump(w: &mut Writer<'_>, dump: &Dump) -> Result<u64> {
    check_dump_inner(dump)?;
    Ok(w.load_records(&dump.records)?)
}

/// Terms must not overlap and must have names; holidays must fall inside a term.
fn check_calendar(settings: &Settings) -> Result<()> {
    let mut terms: Vec<&crate::domain::Term> = settings.terms.iter().collect();
    terms.sort_by_key(|t| t.start);
    for t in &terms {
        line(Field::Term, &t.name, NAME)?;
        if t.name.trim().is_empty() || t.end < t.start {
            return Err(ServiceError::invalid_with(
                Field::Term,
                &format!("{} {}–{}", t.name, t.start, t.end),
                "有名称的学期, 结束不早于开始",
                "a named term that does not end before it starts",
            ));
        }
    }
    for pair in terms.windows(2) {
        if pair[1].start <= pair[0].end || pair[0].name == pair[1].name {
            return Err(ServiceError::invalid_with(
                Field::Term,
                &format!("{} {}–{}", pair[1].name, pair[1].start, pair[1].end),
                &format!(
                    "不与学期 {} ({}–{}) 重叠",
                    pair[0].name, pair[0].start, pair[0].end
                ),
                &format!(
                    "a term that does not overlap {} ({}–{})",
                    pair[0].name, pair[0].start, pair[0].end
                ),
            ));
        }
    }
    for h in &settings.holidays {
        line(Field::Term, &h.name, NAME)?;
        let inside = terms.iter().any(|t| t.start <= h.start && h.end <= t.end);
        if h.end < h.start || !inside {
            return Err(ServiceError::invalid_with(
                Field::Term,
                &format!("{} {}–{}", h.name, h.start, h.end),
                "学期内的假期, 结束不早于开始 (寒暑假不用登记)",
                "a holiday inside one term that does not end before it starts (the breaks between terms need no entry)",
            ));
        }
    }
    Ok(())
}

/// Longest name, class or number, in characters.
const NAME: usize = 50;
/// Longest one-line text (a workplace, an address, a situation).
const LONG: usize = 300;
/// Longest item in short lists (who was present).
const SHORT: usize = 50;
/// Longest note on an event.
const NOTE: usize = 10_000;
/// A pupil is at most this old.
const OLDEST_PUPIL_YEARS: i64 = 30;

/// A one-line text field: trimmed, no control characters (a tab or an escape sequence would
/// break every table and could drive the terminal), at most `max` characters.
fn line(field: Field, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.chars().any(char::is_control) {
        return Err(ServiceError::invalid_with(
            field,
            &v.escape_debug().to_string(),
            "一行文字, 不含制表符、换行等控制字符",
            "one line of text, without tabs, line breaks or other control characters",
        ));
    }
    check_length(field, v, max)?;
    Ok(v.to_string())
}

fn opt_line(field: Field, value: &Option<String>, max: usize) -> Result<Option<String>> {
    match value {
        Some(v) => Ok(Some(line(field, v, max)?).filter(|v| !v.is_empty())),
        None => Ok(None),
    }
}

fn opt_phone(field: Field, value: &Option<String>) -> Result<Option<String>> {
    match value.as_deref().map(str::trim) {
        Some(p) if !p.is_empty() => Ok(Some(
            normalize_phone(p).map_err(|e| ServiceError::invalid(field, e))?,
        )),
        _ => Ok(None),
    }
}

/// A note: several lines allowed, other control characters not.
fn note(field: Field, value: &str) -> Result<String> {
    let v = value.trim();
    if v.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ServiceError::invalid_with(
            field,
            &v.escape_debug().to_string(),
            "文字, 可以换行, 不含制表符等其他控制字符",
            "text, line breaks allowed, no tabs or other control characters",
        ));
    }
    check_length(field, v, NOTE)?;
    Ok(v.to_string())
}

fn check_length(field: Field, v: &str, max: usize) -> Result<()> {
    let n = v.chars().count();
    if n > max {
        let start: String = v.chars().take(20).collect();
        return Err(ServiceError::invalid_with(
            field,
            &format!("{start}… ({n} 字/chars)"),
            &format!("不超过 {max} 个字"),
            &format!("at most {max} characters"),
        ));
    }
    Ok(())
}

/// A Unix account name as `useradd` accepts it.
fn unix_name(u: &str) -> Result<String> {
    let ok = u.len() <= 32
        && u.chars().enumerate().all(|(i, c)| {
            c.is_ascii_lowercase()
                || c == '_'
                || (i > 0 && (c.is_ascii_digit() || c == '-' || c == '.'))
        });
    if ok {
        Ok(u.to_string())
    } else {
        Err(ServiceError::invalid_with(
            Field::Unix,
            u,
            "系统用户名: 小写字母或 _ 开头, 由小写字母、数字、_ - . 组成, 不超过 32 个字符",
            "a Unix user name: a lowercase letter or _ first, then lowercase letters, digits, _ - or ., at most 32 characters",
        ))
    }
}

fn future_date(field: Field, date: NaiveDate, today: NaiveDate) -> ServiceError {
    ServiceError::invalid_with(
        field,
        &date.to_string(),
        &format!("不晚于今天 ({today}) 的日期"),
        &format!("a date no later than today ({today})"),
    )
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// An event as the audit log keeps it: counselling summaries stay out of the log.
fn audit_json(event: &Event) -> String {
    if event.kind.is_restricted() {
        let mut e = event.clone();
        e.summary = String::from("[restricted]");
        json(&e)
    } else {
        json(event)
    }
}
