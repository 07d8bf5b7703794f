//! The report pane: the current term's figures that the records already give (who is on the
//! roster, who was reached this month and this term, what is overdue). The term work summary
//! itself is drafted by the report feature; this pane previews what exists until then.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::{EventKind, LeftBehindType};
use crate::tui::app::App;
use crate::tui::ui::pane_block;

/// The figures, computed from the roster's summaries (the latest event of each kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermFigures {
    pub term: Option<crate::domain::Term>,
    pub children: usize,
    pub both_parents: usize,
    pub one_parent: usize,
    pub key_support: usize,
    pub poverty_support: usize,
    pub boarding: usize,
    pub talk_this_month: usize,
    pub call_this_month: usize,
    pub guardian_this_month: usize,
    pub visit_this_term: usize,
    /// Overdue rows per duty label, in the rules' order.
    pub overdue: Vec<(String, usize)>,
}

pub fn figures(app: &App) -> TermFigures {
    let today = app.today();
    let term = app.data.settings.term_of(today).cloned();
    let month = app.month_start();
    let active: Vec<_> = app.active_children().collect();
    let count =
        |f: &dyn Fn(&crate::service::RosterRow) -> bool| active.iter().filter(|r| f(r)).count();
    let visit_since = term.as_ref().map(|t| t.start);
    let lang = app.lang();
    let mut overdue: Vec<(String, usize)> = Vec::new();
    for (i, duty) in app.rules().duties.iter().enumerate() {
        let n = app
            .data
            .queue
            .rows
            .iter()
            .filter(|r| r.duty == i && r.days_overdue > 0)
            .count();
        if n > 0 {
            overdue.push((lang.pick(&duty.label_zh, &duty.label_en).to_string(), n));
        }
    }
    TermFigures {
        children: active.len(),
        both_parents: count(&|r| r.child.left_behind == LeftBehindType::BothParents),
        one_parent: count(&|r| r.child.left_behind == LeftBehindType::OneParent),
        key_support: count(&|r| r.child.key_support),
        poverty_support: count(&|r| r.child.poverty_support),
        boarding: count(&|r| r.child.boarding),
        talk_this_month: count(&|r| App::done_since(r, &[EventKind::Talk], month)),
        call_this_month: count(&|r| {
            App::done_since(r, &[EventKind::Call, EventKind::Letter], month)
        }),
        guardian_this_month: count(&|r| {
            App::done_since(
                r,
                &[
                    EventKind::GuardianContact,
                    EventKind::HomeVisit,
                    EventKind::SchoolVisit,
                ],
                month,
            )
        }),
        visit_this_term: visit_since.map_or(0, |since| {
            count(&|r| App::done_since(r, &[EventKind::HomeVisit], since))
        }),
        term,
        overdue,
    }
}

pub fn draw(app: &mut App, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = app.theme;
    let f = figures(app);
    let t = &app.text;
    let term_name = f.term.as_ref().map_or("-".to_string(), |t| t.name.clone());
    let title = Line::from(Span::styled(
        format!(" {} ", t.fmt("report.title", &[("term", &term_name)])),
        theme.title(),
    ));
    let mut lines: Vec<Line> = vec![
        Line::from(Span::styled(
            t.get("report.note").to_string(),
            theme.muted(),
        )),
        Line::default(),
    ];
    match &f.term {
        Some(term) => lines.push(Line::from(t.fmt(
            "report.period",
            &[("start", &term.start), ("end", &term.end)],
        ))),
        None => lines.push(Line::from(t.get("report.no_term").to_string())),
    }
    lines.push(Line::from(t.fmt(
        "report.children",
        &[
            ("n", &f.children),
            ("both", &f.both_parents),
            ("one", &f.one_parent),
        ],
    )));
    lines.push(Line::from(t.fmt(
        "report.flags",
        &[
            ("key", &f.key_support),
            ("poverty", &f.poverty_support),
            ("boarding", &f.boarding),
        ],
    )));
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        t.get("report.coverage").to_string(),
        theme.title(),
    )));
    let pct = |n: usize| {
        if f.children == 0 {
            "-".to_string()
        } else {
            format!("{:.0}%", n as f64 * 100.0 / f.children as f64)
        }
    };
    for (key, n) in [
        ("report.talk_month", f.talk_this_month),
        ("report.call_month", f.call_this_month),
        ("report.guardian_month", f.guardian_this_month),
        ("report.visit_term", f.visit_this_term),
    ] {
        lines.push(Line::from(format!(
            "  {}",
            t.fmt(
                "report.coverage_row",
                &[
                    ("what", &t.get(key)),
                    ("n", &n),
                    ("total", &f.children),
                    ("pct", &pct(n)),
                ],
            )
        )));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        t.get("report.overdue").to_string(),
        theme.title(),
    )));
    if f.overdue.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("  {}", t.get("report.overdue_none")),
            theme.good(),
        )));
    }
    for (duty, n) in &f.overdue {
        lines.push(Line::from(Span::styled(
            format!(
                "  {}",
                t.fmt("report.overdue_row", &[("duty", duty), ("n", n)])
            ),
            theme.overdue(),
        )));
    }
    let block = pane_block(app, title, focused);
    let inner_height = area.height.saturating_sub(2) as usize;
    let max_scroll = lines.len().saturating_sub(inner_height);
    app.report.scroll.selected = app.report.scroll.selected.min(max_scroll);
    let scroll = app.report.scroll.selected as u16;
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        area,
    );
}
