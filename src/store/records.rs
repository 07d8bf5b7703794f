//! The records the store keeps beside the domain's own: the audit log's entries, the facts
//! of an event its indexes carry, the latest event per child and kind, and every record of
//! a database at once (a backup, a dump).
//!
//! Plain types and their encoding tags only: no table is opened here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::codec::Record;
use crate::domain::{
    Activity, ActivityId, Child, ChildId, ChildSummary, Event, EventId, Settings, Staff, StaffId,
    Task, TaskId, Void,
};

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

/// Each stored type's tag, `guanai.` and its name: part of the file format.
macro_rules! record_tags {
    ($($t:ident),*) => {
        $(impl Record for $t {
            const TYPE_NAME: &'static str = concat!("guanai.", stringify!($t));
        })*
    };
}
record_tags!(
    AuditRecord,
    Settings,
    Staff,
    Child,
    ChildSummary,
    Event,
    Activity,
    Task,
    Void
);

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
    /// Headers mapped to fields on import (normalised header, field key).
    #[serde(default)]
    pub import_columns: Vec<(String, String)>,
    /// Events marked as typical cases.
    #[serde(default)]
    pub typical: Vec<EventId>,
    /// Entries withdrawn (作废), with who withdrew them, when and why.
    #[serde(default)]
    pub voided: Vec<(EventId, Void)>,
    /// Group activities withdrawn.
    #[serde(default)]
    pub voided_activities: Vec<(ActivityId, Void)>,
    /// Tasks withdrawn.
    #[serde(default)]
    pub voided_tasks: Vec<(TaskId, Void)>,
}
