//! The term work summary (工作总结): figures first ([`figures`]), then the text drafted from
//! them ([`text`]), then the document in Markdown, HTML or Word ([`export`]). Pure code: the
//! service gathers the files, events and activities; the CLI and the app write the result.

pub mod combine;
mod count;
mod coverage;
pub mod docx;
pub mod export;
pub mod figures;
pub mod input;
pub mod text;

pub use figures::{ActivityItem, Comparison, Figures, comparison, figures};
pub use input::{ReportEvent, ReportInput, TitleId, Titles, events_needed_from};
pub use text::{Block, Document, document};

use chrono::NaiveDate;

use crate::domain::{Settings, Term};

/// The terms a report may be for: the configured ones and the default pattern's, from the
/// earliest configured term (or five years back) to the term after today's, in order.
pub fn terms(settings: &Settings, today: NaiveDate) -> Vec<Term> {
    let first = settings
        .terms
        .iter()
        .map(|t| t.start)
        .min()
        .unwrap_or(today)
        .min(today - chrono::Duration::days(5 * 366));
    crate::followup::calendar::terms_covering(settings, first, today + chrono::Duration::days(200))
}

/// The term a report is for by default: today's, or in a break the last one that ended.
pub fn default_term(settings: &Settings, today: NaiveDate) -> Option<Term> {
    let all = terms(settings, today);
    all.iter()
        .find(|t| t.start <= today && today <= t.end)
        .or_else(|| all.iter().rev().find(|t| t.end < today))
        .cloned()
}

/// Removes every child's name from the figures (for sharing outside the school): the names
/// of award winners and of children without a home visit become empty, and so do the free
/// texts a teacher wrote that may hold a name (award and activity titles); classes stay.
pub fn anonymize(figures: &mut Figures) {
    for a in &mut figures.awards_given {
        a.child.name.clear();
        a.title.clear();
    }
    for a in &mut figures.activity_list {
        a.title.clear();
    }
    for c in &mut figures.no_home_visit {
        c.name.clear();
    }
}
