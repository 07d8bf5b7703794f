//! The panes: roster, child, queue, report and audit. Each file holds one pane's state, its
//! handling of the actions offered to it (a [`Component`](super::component::Component)) and
//! its drawing, which keeps its list scrolled to the selection. A pane reads the loaded data
//! and the service; it changes records only through the service, and never another pane.

pub mod audit;
pub mod child;
pub mod queue;
pub mod report;
pub mod roster;

use chrono::{Datelike, NaiveDate};

use super::action::Layer;

/// The panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Roster,
    Child,
    Queue,
    Report,
    /// The audit log, for administrators.
    Audit,
}

impl Pane {
    pub const ALL: [Pane; 5] = [
        Pane::Roster,
        Pane::Child,
        Pane::Queue,
        Pane::Report,
        Pane::Audit,
    ];

    pub fn layer(self) -> Layer {
        match self {
            Pane::Roster => Layer::Roster,
            Pane::Child => Layer::Child,
            Pane::Queue => Layer::Queue,
            Pane::Report => Layer::Report,
            Pane::Audit => Layer::Audit,
        }
    }

    pub fn title_key(self) -> &'static str {
        match self {
            Pane::Roster => "pane.roster",
            Pane::Child => "pane.child",
            Pane::Queue => "pane.queue",
            Pane::Report => "pane.report",
            Pane::Audit => "pane.audit",
        }
    }
}

/// A date as teachers read it: `11-20` inside the current year, `2025-11-20` otherwise.
pub fn short_date(date: NaiveDate, today: NaiveDate) -> String {
    if date.year() == today.year() {
        date.format("%m-%d").to_string()
    } else {
        date.format("%Y-%m-%d").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_drop_the_current_year() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(short_date(d(2026, 11, 20), today), "11-20");
        assert_eq!(short_date(d(2025, 11, 20), today), "2025-11-20");
    }
}
