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

impl Service {
    /// Finds the user's last change not undone yet and reverts it (see [`Command::Undo`](super::Command::Undo)).
    pub(super) fn undo(&self, tx: Tx) -> Result<Applied> {
        let Tx {
            w,
            setting_up,
            gone,
            ..
        } = tx;
        let me = self.actor.staff_id().ok_or(ServiceError::NothingToUndo)?;
        let mut undone: std::collections::HashSet<u64> = std::collections::HashSet::new();
        let mut found: Option<AuditRecord> = None;
        // The changes newer than the one to undo, to tell whether a file was changed since
        // by someone else (or by this user without undoing it).
        let mut later: Vec<AuditRecord> = Vec::new();
        w.audit_newest_first(|record| {
            if record.actor != Some(me) {
                later.push(record);
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
                later.push(record);
                return true;
            }
            if record.command == "read_counseling" || undone.contains(&record.seq) {
                later.push(record);
                return true;
            }
            found = Some(record);
            false
        })?;
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
                match w.event(event.id)? {
                    Some(current) => w.delete_event(&current)?,
                    None => return Err(cannot()),
                }
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
