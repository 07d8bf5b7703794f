//! The complete dump: every record of a database as JSON, for moving a school between
//! machines and for programs. Loading a dump into an empty database and dumping it again gives
//! the same JSON. The audit log is not part of it (loading writes its own audit record).

use serde::{Deserialize, Serialize};

pub use crate::store::Records;

/// Marks a JSON file as a guanai dump.
pub const DUMP_FORMAT: &str = "guanai-dump";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dump {
    pub format: String,
    pub schema_version: u64,
    /// True when the counselling notes were left out (the dump was taken by someone who is not
    /// a counsellor): loading it gives counselling sessions without their notes.
    pub counselling_withheld: bool,
    /// Settings, staff, children, events, activities, tasks (in that order in the JSON).
    #[serde(flatten)]
    pub records: Records,
}
