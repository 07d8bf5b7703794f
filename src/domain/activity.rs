use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::child::ChildId;
use super::staff::StaffId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ActivityId(pub u64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TaskId(pub u64);

/// A group activity for children, or a guardian training session (家长学校).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActivityKind {
    Activity,
    Training,
}

/// A group activity with its attendance. Each attending child also gets an event on their
/// timeline that points back here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: ActivityId,
    pub version: u64,
    pub kind: ActivityKind,
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
    pub title: String,
    pub organiser: StaffId,
    pub children: Vec<ChildId>,
    /// Guardians or parents who attended, by name (training sessions are for them).
    pub guardians: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewActivity {
    pub kind: ActivityKind,
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
    pub title: String,
    pub organiser: StaffId,
    pub children: Vec<ChildId>,
    pub guardians: Vec<String>,
}

/// A one-off follow-up on a child, beside the recurring duties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub version: u64,
    pub child: ChildId,
    pub text: String,
    #[serde(with = "crate::domain::day")]
    pub due: NaiveDate,
    pub assignee: StaffId,
    #[serde(with = "crate::domain::day::opt")]
    pub done: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTask {
    pub child: ChildId,
    pub text: String,
    #[serde(with = "crate::domain::day")]
    pub due: NaiveDate,
    pub assignee: StaffId,
}
