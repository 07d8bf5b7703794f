//! Table definitions: the names are part of the file format. See docs/data-model.md.

use redb::{MultimapTableDefinition, TableDefinition};

use super::AuditRecord;
use super::codec::Rec;
use super::summary::SummaryRec;
use crate::domain::{Activity, Child, Event, ReportFacts, Settings, Staff, Task, Void};

/// Schema version, change sequence and id counters.
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
pub const META_SCHEMA: &str = "schema_version";
pub const META_CHANGE_SEQ: &str = "change_seq";
pub const META_NEXT_STAFF: &str = "next_id.staff";
pub const META_NEXT_CHILD: &str = "next_id.child";
pub const META_NEXT_EVENT: &str = "next_id.event";
pub const META_NEXT_ACTIVITY: &str = "next_id.activity";
pub const META_NEXT_TASK: &str = "next_id.task";

pub const SETTINGS: TableDefinition<&str, Rec<Settings>> = TableDefinition::new("settings");
pub const SETTINGS_KEY: &str = "school";

pub const STAFF: TableDefinition<u64, Rec<Staff>> = TableDefinition::new("staff");
pub const CHILDREN: TableDefinition<u64, Rec<Child>> = TableDefinition::new("children");
/// child → the fields lists need and the latest event of every kind, kept in step with
/// `children` and `events`; in a fixed layout read in place since schema 9 (see
/// [`SummaryRec`]).
pub const ROSTER: TableDefinition<u64, SummaryRec> = TableDefinition::new("roster");
/// child → what the work summary needs of the file, kept in step with `children` (schema 8).
pub const REPORT_FACTS: TableDefinition<u64, Rec<ReportFacts>> =
    TableDefinition::new("report_facts");
pub const EVENTS: TableDefinition<u64, Rec<Event>> = TableDefinition::new("events");
/// (child, day, event) → (): a child's timeline in date order.
pub const EVENTS_BY_CHILD: TableDefinition<(u64, i32, u64), ()> =
    TableDefinition::new("events_by_child");
/// (day, event) → (child, kind code, staff): the events of a period in date order (schema
/// versions 2 to 6). Empty since version 7, whose migration moved its entries into
/// [`DAY_EVENTS`]; opened by the write transaction only, for the migrations.
pub const EVENTS_BY_DAY: TableDefinition<(i32, u64), (u64, u8, u64)> =
    TableDefinition::new("events_by_day");
/// (day, kind code, row number) → the events of that kind on that day, packed (see
/// [`day_records`](super::records::day_records): event, child, staff and the title the
/// summary names), in event order: a term is read in a few thousand rows instead of one row
/// per event (the work summary). Kept in step with `events_by_day` (schema 7).
pub const DAY_EVENTS: TableDefinition<(i32, u8, u64), &[u8]> = TableDefinition::new("day_events");
/// Events per row of [`DAY_EVENTS`] at most: a day's events of one kind fill rows 0, 1, …
/// (the third part of the key) in the order they came, so that writing an entry rewrites a
/// row of at most this many events however many the day holds.
pub const DAY_BLOCK: u64 = 64;
/// The size of one event in [`DAY_EVENTS`] before its title.
pub const DAY_RECORD: usize = 26;
/// student number → child: unique.
pub const STUDENT_NO: TableDefinition<&str, u64> = TableDefinition::new("student_no");
/// exact name → children with that name.
pub const CHILD_NAME: MultimapTableDefinition<&str, u64> =
    MultimapTableDefinition::new("child_name");
pub const ACTIVITIES: TableDefinition<u64, Rec<Activity>> = TableDefinition::new("activities");
pub const TASKS: TableDefinition<u64, Rec<Task>> = TableDefinition::new("tasks");
/// change sequence → audit record.
pub const AUDIT: TableDefinition<u64, Rec<AuditRecord>> = TableDefinition::new("audit");

/// Opens every table of the file in a transaction, as the fields of `$t` (the read snapshot
/// and the write transaction hold the same tables).
/// Headers a school mapped to fields by hand on import (normalised header → field key),
/// remembered for next term's roster.
pub const IMPORT_COLUMNS: TableDefinition<&str, &str> = TableDefinition::new("import_columns");

/// Events a teacher marked as a typical case (典型案例), for the work summary's 成效 (schema
/// 5).
pub const TYPICAL: TableDefinition<u64, ()> = TableDefinition::new("typical_events");

/// event → why and by whom it was withdrawn (作废). A voided event stays in `events` and the
/// timeline index, and leaves the day table and the latest-event summaries (schema 6).
pub const VOIDED: TableDefinition<u64, Rec<Void>> = TableDefinition::new("voided_events");

/// activity → why and by whom a group activity was withdrawn (作废): its attendance entries are
/// voided with it, and the work summary leaves it out (schema 6).
pub const VOIDED_ACTIVITIES: TableDefinition<u64, Rec<Void>> =
    TableDefinition::new("voided_activities");
/// task → why and by whom a task was withdrawn: it leaves the queue (schema 6).
pub const VOIDED_TASKS: TableDefinition<u64, Rec<Void>> = TableDefinition::new("voided_tasks");

macro_rules! open_tables {
    ($t:ident, $txn:expr $(, $field:ident: $value:expr)*) => {
        Ok($t {
            $($field: $value,)*
            day_events: $txn.open_table(DAY_EVENTS)?,
            meta: $txn.open_table(META)?,
            settings: $txn.open_table(SETTINGS)?,
            staff: $txn.open_table(STAFF)?,
            children: $txn.open_table(CHILDREN)?,
            roster: $txn.open_table(ROSTER)?,
            report_facts: $txn.open_table(REPORT_FACTS)?,
            events: $txn.open_table(EVENTS)?,
            events_by_child: $txn.open_table(EVENTS_BY_CHILD)?,
            student_no: $txn.open_table(STUDENT_NO)?,
            child_name: $txn.open_multimap_table(CHILD_NAME)?,
            activities: $txn.open_table(ACTIVITIES)?,
            tasks: $txn.open_table(TASKS)?,
            audit: $txn.open_table(AUDIT)?,
            import_columns: $txn.open_table(IMPORT_COLUMNS)?,
            typical: $txn.open_table(TYPICAL)?,
            voided: $txn.open_table(VOIDED)?,
            voided_activities: $txn.open_table(VOIDED_ACTIVITIES)?,
            voided_tasks: $txn.open_table(VOIDED_TASKS)?,
        })
    };
}
pub(super) use open_tables;
