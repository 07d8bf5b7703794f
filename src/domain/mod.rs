//! The care-file model: plain types and the rules that need no I/O.
//!
//! Everything a school records about its left-behind children is typed here: the school and its
//! term calendar, staff and their roles, the one file per child (一人一档) with parents, guardian,
//! emergency contacts and status history, the events of a child's timeline, group activities and
//! one-off tasks. Parsing of user-typed values (dates, phones, genders, kinds) lives here too, with
//! the clock passed in.
//!
//! This module must not do I/O, read the clock, or know about redb, the terminal or the CLI.

mod activity;
mod child;
pub mod day;
mod event;
mod id_card;
mod parse;
mod positions;
mod school;
mod staff;
pub mod text;

pub use activity::{Activity, ActivityId, ActivityKind, NewActivity, NewTask, Task, TaskId};
pub use child::{
    ArchiveReason, Child, ChildId, ChildSummary, Contact, Gender, Guardian, LeftBehind,
    LeftBehindType, NewChild, Parent, ParentRelation, Register, ReportFacts, Situation, Status,
    StatusChange, Support,
};
pub use event::{
    Event, EventChange, EventId, EventKind, LAST_EVENT_SLOTS, LastEvents, NewEvent, Void,
};
pub use id_card::{IdError, IdNumber, is_masked, mask_id, mask_ids_in};
pub use parse::{
    Expected, ParseError, format_phone, normalize_phone, parse_date, parse_gender,
    parse_left_behind_type,
};
pub use positions::{FastHash, Positions};
pub use school::{
    Holiday, Settings, Term, TermKind, class_from_sheet, class_order, class_with_grade,
    normalize_class,
};
pub use staff::{NewStaff, Role, Roles, Staff, StaffId, StaffRef};
pub use text::{fit, half_width, is_hidden_control, normalize_name};
