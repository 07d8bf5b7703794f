//! Undo: the user's newest change that is not undone yet, reverted, unless someone changed
//! the record since or the user no longer has the rights the change needed.
//!
//! It reads the audit log to find the change and writes the record back as it was; it runs
//! inside the transaction `Service::execute_all` opened and never reverts another user's
//! change.

use super::command::{Applied, Outcome};
use super::identity::Access;
use super::{Field, Result, Service, ServiceError, Tx};
use crate::domain::{Child, ChildId, Event, Task};
use crate::store::{AuditRecord, Writer};

/// What `u` would take back now, for the user to confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoPreview {
    /// The change's command (`log_event`, `archive_child` …).
    pub command: String,
    /// The day it was made.
    pub day: chrono::NaiveDate,
    /// The child it touched, by name.
    pub child: Option<String>,
    /// The entry it touched: its kind and date.
    pub entry: Option<(crate::domain::EventKind, chrono::NaiveDate)>,
}

impl Service {
    /// The user's change `Undo` would take back now, if any (nothing is changed).
    pub fn undo_preview(&self) -> Result<Option<UndoPreview>> {
        let Some(me) = self.actor.staff_id() else {
            return Ok(None);
        };
        let r = self.reader()?;
        let mut finder = Finder::new(me);
        r.audit_newest_first(|record| finder.visit(record))?;
        let Some(record) = finder.found else {
            return Ok(None);
        };
        let child = record
            .target
            .split(' ')
            .find_map(|t| t.strip_prefix("child:"))
            .and_then(|n| n.parse().ok())
            .map(ChildId);
        let child = match child {
            Some(id) => r.child(id)?.map(|c| c.name),
            None => None,
        };
        let entry = match event_of(&record.target) {
            Some(id) => r.event(id)?.map(|e| (e.kind, e.date)),
            None => None,
        };
        Ok(Some(UndoPreview {
            command: record.command,
            day: record.day,
            child,
            entry,
        }))
    }

    /// Finds the user's last change not undone yet and reverts it (see [`Command::Undo`](super::Command::Undo)).
    pub(super) fn undo(&self, tx: Tx) -> Result<Applied> {
        let Tx {
            w,
            setting_up,
            gone,
            ..
        } = tx;
        let me = self.actor.staff_id().ok_or(ServiceError::NothingToUndo)?;
        let mut finder = Finder::new(me);
        w.audit_newest_first(|record| finder.visit(record))?;
        let Finder {
            undone,
            later,
            found,
            ..
        } = finder;
        let record = found.ok_or(ServiceError::NothingToUndo)?;
        // Whether the record's file was changed since by anyone but this user's own changes
        // that are undone already (an undo puts a file back under a new version: the version
        // alone cannot tell).
        let file_of = |target: &str| -> Option<String> {
            let target = match target.strip_prefix("undo:") {
                Some(rest) => rest.split_once(' ').map_or("", |(_, t)| t),
                None => target,
            };
            target
                .split(' ')
                .find(|t| t.starts_with("child:"))
                .map(str::to_string)
        };
        let changed_since = file_of(&record.target).is_some_and(|file| {
            later.iter().any(|r| {
                file_of(&r.target).as_deref() == Some(file.as_str())
                    && r.command != "read_counseling"
                    && !(r.actor == Some(me) && (r.command == "undo" || undone.contains(&r.seq)))
            })
        });
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
            self.child_with(
                w,
                setting_up,
                child,
                level,
                "undo changes to children outside your classes and mentees",
            )
            .map(|_| ())
        };
        match record.command.as_str() {
            "log_event" => {
                let event: Event =
                    serde_json::from_value(parse(&record.after)?).map_err(|_| cannot())?;
                still_may(w, event.child, Access::Record)?;
                let current = w.event(event.id)?.ok_or_else(cannot)?;
                if let Some(void) = w.void_of(event.id)? {
                    return Err(ServiceError::Voided {
                        id: event.id.0,
                        date: void.date,
                        reason: void.reason,
                    });
                }
                // Corrected since and not as it was logged (a correction undone since puts it
                // back as it was): not taken back.
                let mut as_logged = Event {
                    version: current.version,
                    ..event.clone()
                };
                if as_logged.kind.is_restricted() {
                    as_logged.summary = current.summary.clone();
                }
                if current != as_logged {
                    return Err(entry_changed(w, &current)?);
                }
                w.delete_event(&current)?;
                if event.kind.is_restricted() {
                    // Its note goes with it, once this transaction has committed.
                    self.notes()?;
                    gone.push(event.id);
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
                    return Err(task_changed(task.version, &current));
                }
                w.delete_task(task.id)?;
            }
            "update_task" => {
                let (mut before, after): (Task, Task) = before_after(&record).ok_or_else(cannot)?;
                still_may(w, before.child, Access::Record)?;
                let current = w.task(before.id)?.ok_or_else(cannot)?;
                if current.version != after.version {
                    return Err(task_changed(after.version, &current));
                }
                before.version = current.version + 1;
                w.put_task(&before)?;
            }
            "archive_child" | "restore_child" | "update_child" | "survey_child" => {
                let (mut before, after): (Child, Child) =
                    before_after(&record).ok_or_else(cannot)?;
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
                if current.version != after.version && changed_since {
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
                // The log keeps identity numbers masked: the number on file stays.
                if before
                    .register
                    .id_no
                    .as_deref()
                    .is_some_and(crate::domain::is_masked)
                {
                    before.register.id_no = current.register.id_no.clone();
                }
                before.version = current.version + 1;
                w.put_child(&before)?;
            }
            "edit_event" => {
                let (mut before, after): (Event, Event) =
                    before_after(&record).ok_or_else(cannot)?;
                still_may(w, before.child, Access::Record)?;
                let current = w.event(after.id)?.ok_or_else(cannot)?;
                if let Some(void) = w.void_of(after.id)? {
                    return Err(ServiceError::Voided {
                        id: after.id.0,
                        date: void.date,
                        reason: void.reason,
                    });
                }
                if current.version != after.version {
                    return Err(entry_changed(w, &current)?);
                }
                if before.kind.is_restricted() {
                    // The note never left the counsellors' file: it stays as last written.
                    before.summary.clear();
                }
                before.version = current.version + 1;
                w.replace_event(&current, &before)?;
            }
            "edit_activity" => {
                let (mut before, after): (crate::domain::Activity, crate::domain::Activity) =
                    before_after(&record).ok_or_else(cannot)?;
                let current = w.activity(after.id)?.ok_or_else(cannot)?;
                if current.version != after.version || w.activity_void(after.id)?.is_some() {
                    return Err(cannot());
                }
                for e in super::group::attendance(w, &current)? {
                    let back = Event {
                        date: before.date,
                        summary: before.title.clone(),
                        version: e.version + 1,
                        ..e.clone()
                    };
                    w.replace_event(&e, &back)?;
                }
                before.version = current.version + 1;
                w.put_activity(&before)?;
            }
            "void_activity" => {
                let after: serde_json::Value = parse(&record.after)?;
                let id = after["activity"].as_u64().ok_or_else(cannot)?;
                let entries: Vec<u64> = after["entries"]
                    .as_array()
                    .map(|a| a.iter().filter_map(serde_json::Value::as_u64).collect())
                    .unwrap_or_default();
                let activity = crate::domain::ActivityId(id);
                w.set_activity_void(activity, None)?;
                for e in entries {
                    if let Some(current) = w.event(crate::domain::EventId(e))?
                        && w.void_of(current.id)?.is_some()
                    {
                        w.unvoid_event(&current)?;
                    }
                }
            }
            "mark_typical" => {
                let id = event_of(&record.target).ok_or_else(cannot)?;
                let before: serde_json::Value = parse(&record.before)?;
                let typical = before["typical"].as_bool().ok_or_else(cannot)?;
                let current = w.event(id)?.ok_or_else(cannot)?;
                still_may(w, current.child, Access::Record)?;
                w.mark_typical(id, typical)?;
            }
            "void_task" => {
                let after: serde_json::Value = parse(&record.after)?;
                let id = after["task"].as_u64().ok_or_else(cannot)?;
                let task = w.task(crate::domain::TaskId(id))?.ok_or_else(cannot)?;
                still_may(w, task.child, Access::Record)?;
                w.set_task_void(task.id, None)?;
            }
            "void_event" => {
                let id = event_of(&record.target).ok_or_else(cannot)?;
                let current = w.event(id)?.ok_or_else(cannot)?;
                still_may(w, current.child, Access::Record)?;
                if w.void_of(id)?.is_none() {
                    return Err(cannot());
                }
                w.unvoid_event(&current)?;
            }
            _ => return Err(cannot()),
        }
        Ok(Applied::new(
            Outcome::Undone(record.seq, record.command.clone()),
            format!("undo:{} {}", record.seq, record.target),
            record.after.clone(),
            record.before.clone(),
        ))
    }
}

/// The changes undo takes back.
const UNDOABLE: [&str; 13] = [
    "log_event",
    "edit_event",
    "void_event",
    "mark_typical",
    "add_task",
    "update_task",
    "void_task",
    "edit_activity",
    "void_activity",
    "archive_child",
    "restore_child",
    "update_child",
    "survey_child",
];

/// Walks the audit log newest first to the user's last change that is not undone yet,
/// keeping the records passed on the way.
pub(super) struct Finder {
    me: crate::domain::StaffId,
    /// The changes taken back by the user's undos seen so far.
    pub undone: std::collections::HashSet<u64>,
    /// The records newer than the one found.
    pub later: Vec<AuditRecord>,
    pub found: Option<AuditRecord>,
}

impl Finder {
    pub fn new(me: crate::domain::StaffId) -> Finder {
        Finder {
            me,
            undone: Default::default(),
            later: Vec::new(),
            found: None,
        }
    }

    /// Takes the next older record; `false` once the change to undo is found.
    pub fn visit(&mut self, record: AuditRecord) -> bool {
        if record.actor != Some(self.me) {
            self.later.push(record);
            return true;
        }
        if record.command == "undo" {
            if let Some(seq) = record
                .target
                .strip_prefix("undo:")
                .and_then(|t| t.split(' ').next())
                .and_then(|n| n.parse::<u64>().ok())
            {
                self.undone.insert(seq);
            }
            self.later.push(record);
            return true;
        }
        // Readings, printings and changes undo cannot take back (a file opened, staff added,
        // settings) are passed over: `u` always reaches the newest change it can undo.
        if !UNDOABLE.contains(&record.command.as_str()) || self.undone.contains(&record.seq) {
            self.later.push(record);
            return true;
        }
        self.found = Some(record);
        false
    }
}

/// The event a change's target names (`child:3 event:9`).
fn event_of(target: &str) -> Option<crate::domain::EventId> {
    target
        .split(' ')
        .find_map(|t| t.strip_prefix("event:"))
        .and_then(|n| n.parse().ok())
        .map(crate::domain::EventId)
}

/// The entry changed since: not taken back; the message shows it as it is now.
fn entry_changed(w: &Writer<'_>, current: &Event) -> Result<ServiceError> {
    let name = w
        .child(current.child)?
        .map(|c| c.name)
        .unwrap_or_else(|| format!("#{}", current.child.0));
    Ok(ServiceError::EntryChanged {
        id: current.id.0,
        name,
        current: super::corrections::describe(current),
    })
}

/// The task changed since version `expected` was written: it is not taken back.
fn task_changed(expected: u64, current: &Task) -> ServiceError {
    ServiceError::Stale {
        name: current.text.clone(),
        expected,
        found: current.version,
        current: format!("{} · {}", current.text, current.due),
    }
}

/// The record as it was before and after the change, from the audit log's JSON.
fn before_after<T: serde::de::DeserializeOwned>(record: &AuditRecord) -> Option<(T, T)> {
    let read = |text: &Option<String>| -> Option<T> { serde_json::from_str(text.as_deref()?).ok() };
    Some((read(&record.before)?, read(&record.after)?))
}
