//! The follow-up engine: recurring duties (configuration), the school calendar, when each
//! duty falls due for each child, and the overdue queue ordered by urgency.
//!
//! Pure code: the clock (`today`), the settings, the staff and each child's last events come
//! in as arguments. It must not read the database, the files or the clock itself; the service
//! gathers the facts (from the per-child last-event index, never the whole history) and the
//! CLI reads the rules file. docs/followup.md is its specification.

pub mod calendar;
pub mod queue;
pub mod rules;
mod rules_file;

pub use calendar::{Period, SchoolCalendar};
pub use queue::{
    Assignees, ChildFacts, LastDays, PeriodTable, QueueEngine, QueueRow, Standing, day_number,
    overdue_queue, shared_periods, standing,
};
pub use rules::{
    Cadence, Children, Duty, Responsible, RuleError, Rules, RulesError, Source, Weights, Window,
};
