//! Getting a school's data in and out: reading rosters from Excel (.xlsx) and CSV files (UTF-8,
//! UTF-8 with BOM, GBK/GB18030, detected without asking), turning their rows into typed files
//! with every mistake listed, and writing rosters, events and complete dumps as CSV, .xlsx and
//! JSON with spreadsheet formulas neutralised.
//!
//! This module reads and writes bytes given by the caller; it must not open the database (the
//! service does) or decide who may import (the service does).

pub mod columns;
pub mod dump;
pub mod read;
pub mod roster;
pub mod write;

pub use columns::{COLUMNS, Column};
pub use read::{Table, TableError, read_table};
pub use roster::{Roster, RowError, RowPlan, parse_roster};
