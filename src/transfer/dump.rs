//! The complete dump: every record of a database as JSON, for moving a school between
//! machines and for programs. Loading a dump into an empty database and dumping it again gives
//! the same JSON. The audit log is not part of it (loading writes its own audit record).

use serde::{Deserialize, Serialize};

use crate::domain::{Activity, Child, Event, Settings, Staff, Task};

/// Marks a JSON file as a guanai dump.
pub const DUMP_FORMAT: &str = "guanai-dump";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dump {
    pub format: String,
    pub schema_version: u64,
    /// True when the counselling notes were left out (the dump was taken by someone who is not
    /// a counsellor): loading it gives counselling sessions without their notes.
    pub counselling_withheld: bool,
    pub settings: Option<Settings>,
    pub staff: Vec<Staff>,
    pub children: Vec<Child>,
    pub events: Vec<Event>,
    pub activities: Vec<Activity>,
    pub tasks: Vec<Task>,
}
