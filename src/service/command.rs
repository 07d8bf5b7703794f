//! The commands that change the data, what each produced, and how a batch is audited: the
//! vocabulary of the service's door. Each family's checks and effects live in its own file
//! (children, events, tasks, staff, undo, database).
//!
//! Plain types only: nothing here opens the database or checks who is asking.

use chrono::NaiveDate;
use serde::Serialize;

use super::validate::json;

use crate::domain::{
    ActivityId, ArchiveReason, ChildId, EventChange, EventId, NewActivity, NewChild, NewEvent,
    NewStaff, NewTask, Settings, Situation, StaffId, TaskId,
};
use crate::transfer::dump::Dump;

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
    /// Marks an event as a typical case (典型案例), or takes the mark off.
    MarkTypical {
        event: EventId,
        typical: bool,
    },
    /// A recorded entry corrected: a new version with `change`, refused if the entry changed
    /// since `version` was read.
    EditEvent {
        event: EventId,
        version: u64,
        change: Box<EventChange>,
    },
    /// A recorded entry withdrawn (作废) with a reason: it stays on the timeline, struck
    /// through, and counts for nothing.
    VoidEvent {
        event: EventId,
        version: u64,
        reason: String,
    },
    /// A group activity corrected: its title and date, for every attendance entry with it.
    EditActivity {
        activity: ActivityId,
        version: u64,
        title: String,
        date: NaiveDate,
    },
    /// A group activity withdrawn (作废) with a reason, with each attendance entry.
    VoidActivity {
        activity: ActivityId,
        version: u64,
        reason: String,
    },
    /// A one-off task withdrawn with a reason: it leaves the queue.
    VoidTask {
        task: TaskId,
        version: u64,
        reason: String,
    },
    /// Sets a staff member's post (校长, 德育主任 …), `None` to clear it.
    SetStaffTitle {
        staff: StaffId,
        title: Option<String>,
    },
    /// Remembers headers the school mapped to fields by hand on import (normalised header,
    /// field key), for its next roster.
    RememberImportColumns(Vec<(String, String)>),
    /// Reverts the current user's last change that is not undone yet: an event logged,
    /// corrected or voided, a task added or changed, a file archived, restored, changed or
    /// surveyed. Audited as `undo`.
    Undo,
}

/// What happens to a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskChange {
    /// What the task says, corrected.
    Text(String),
    Done(NaiveDate),
    Snooze(NaiveDate),
    Reassign(StaffId),
}

impl Command {
    pub(super) fn name(&self) -> &'static str {
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
            Command::RememberImportColumns(_) => "remember_import_columns",
            Command::SetStaffTitle { .. } => "set_staff_title",
            Command::MarkTypical { .. } => "mark_typical",
            Command::EditEvent { .. } => "edit_event",
            Command::VoidEvent { .. } => "void_event",
            Command::EditActivity { .. } => "edit_activity",
            Command::VoidActivity { .. } => "void_activity",
            Command::VoidTask { .. } => "void_task",
        }
    }
}

/// What a command created or changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Settings,
    /// Import columns remembered.
    Remembered,
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

/// How a batch of commands is audited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchAudit {
    /// One audit record per command (an import a teacher will want to trace row by row).
    Each,
    /// One record for the whole batch, with this label (generated data such as the demo).
    Summary(String),
}

/// What one applied command leaves for its audit record: what it produced, the record it
/// touched (`child:3 event:9`), and that record as JSON before and after.
pub(super) struct Applied {
    pub outcome: Outcome,
    pub target: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Applied {
    /// A record created: nothing before it.
    pub fn created(outcome: Outcome, target: String, after: &impl Serialize) -> Applied {
        Applied::new(outcome, target, None, Some(json(after)))
    }

    /// A record changed from `before` (its JSON, taken before the change) to `after`.
    pub fn changed(
        outcome: Outcome,
        target: String,
        before: String,
        after: &impl Serialize,
    ) -> Applied {
        Applied::new(outcome, target, Some(before), Some(json(after)))
    }

    /// What one command leaves for its audit record, as given.
    pub fn new(
        outcome: Outcome,
        target: String,
        before: Option<String>,
        after: Option<String>,
    ) -> Applied {
        Applied {
            outcome,
            target,
            before,
            after,
        }
    }
}
