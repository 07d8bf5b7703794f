//! guanai (关爱): one care file per left-behind child, the timeline of talks, home visits and
//! calls, the overdue follow-ups, and the term work summary — for the teachers of rural schools.
//!
//! Layers know in one direction: `cli` (and later `tui`) → `service` → `store`; `domain` and
//! `demo` are pure code with the clock passed in. See docs/architecture.md.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod beside;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod files;
pub mod followup;
pub mod i18n;
pub mod print;
pub mod report;
pub mod search;
pub mod service;
pub mod store;
pub mod transfer;
pub mod tui;
