//! Getting a school's data in and out: reading rosters from workbooks (.xlsx, .xls, .ods) and
//! text (CSV in UTF-8, UTF-8 with BOM or GBK/GB18030; Excel's UTF-16 text, detected without
//! asking), turning their rows into typed files
//! with every mistake listed, and writing rosters, events and complete dumps as CSV, .xlsx and
//! JSON with spreadsheet formulas neutralised.
//!
//! This module reads and writes bytes given by the caller; it must not open the database (the
//! service does) or decide who may import (the service does).

pub mod columns;
pub mod dump;
pub mod read;
pub mod roster;
pub mod workbook;
pub mod write;

pub use columns::{COLUMNS, Column};
pub use read::{Sheets, Table, TableError, read_table, read_tables};
pub use roster::{
    Mapping, Roster, RowError, RowPlan, SheetReport, describe, keep_rosters, parse_roster,
    parse_tables,
};
