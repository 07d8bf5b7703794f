//! The roster: the active children (archived ones behind a filter) with class, type, mentor
//! and a marker for overdue duties; the search box on top while searching.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use crate::domain::LeftBehindType;
use crate::tui::app::App;
use crate::tui::widgets::pane_block;

pub fn draw(app: &mut App, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = app.theme;
    let mut title = vec![Span::styled(
        format!(
            " {} ({}) ",
            app.text.get("pane.roster"),
            app.text
                .fmt("roster.count", &[("n", &app.roster.rows.len())])
        ),
        theme.title(),
    )];
    let f = &app.roster.filter;
    let mut filters: Vec<String> = Vec::new();
    if f.mine {
        filters.push(app.text.get("roster.filter.mine").to_string());
    }
    if let Some(c) = &f.class {
        filters.push(c.clone());
    }
    if f.key_support {
        filters.push(app.text.get("roster.filter.key").to_string());
    }
    if f.overdue {
        filters.push(app.text.get("roster.filter.overdue").to_string());
    }
    if f.archived {
        filters.push(app.text.get("roster.filter.archived").to_string());
    }
    if !filters.is_empty() {
        title.push(Span::styled(
            format!(
                "{}: {} ",
                app.text.get("roster.filter"),
                filters.join(" · ")
            ),
            theme.accent(),
        ));
    }
    let block = pane_block(app.theme, Line::from(title), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let show_search = app.roster.searching || !app.roster.query.is_empty();
    let [search_area, list_area] = Layout::vertical([
        Constraint::Length(u16::from(show_search)),
        Constraint::Min(0),
    ])
    .areas(inner);
    if show_search {
        let mut spans = vec![
            Span::styled("/ ", theme.key()),
            Span::raw(app.roster.query.clone()),
        ];
        if app.roster.searching {
            spans.push(Span::styled("▏", theme.accent()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), search_area);
    }
    if app.roster.rows.is_empty() {
        let key = if app.data.roster.is_empty() {
            "roster.no_children".to_string()
        } else if !app.roster.query.trim().is_empty() {
            String::new()
        } else {
            "roster.empty".to_string()
        };
        let text = if key.is_empty() {
            app.text
                .fmt("search.none", &[("q", &app.roster.query.trim())])
        } else {
            app.text.get(&key).to_string()
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.muted())
                .wrap(ratatui::widgets::Wrap { trim: true }),
            list_area,
        );
        return;
    }
    let height = list_area.height as usize;
    let first = app
        .roster
        .pos
        .scroll_into_view(height, app.roster.rows.len());
    let selected = app.roster.pos.selected;
    let rows: Vec<Row> = app
        .roster
        .rows
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .filter_map(|(i, &r)| {
            let row = app.data.roster.get(r)?;
            let c = &row.child;
            let kind = match c.left_behind {
                LeftBehindType::BothParents => app.text.get("type.both"),
                LeftBehindType::OneParent => app.text.get("type.one"),
            };
            let marker = match app.data.overdue_by_child.get(&c.id) {
                Some(n) => Cell::from(Span::styled(format!("⚠ {n}"), theme.overdue())),
                None if !c.is_active() => Cell::from(Span::styled(
                    app.text.get("roster.archived").to_string(),
                    theme.muted(),
                )),
                None => Cell::from(""),
            };
            let cursor = if i == selected { "▶" } else { " " };
            let star = if c.key_support { "★" } else { "" };
            let name = format!("{cursor}{}{star}", c.name);
            let mut style = Style::new();
            if i == selected && focused {
                style = theme.selected();
            } else if !c.is_active() {
                style = theme.muted();
            }
            Some(
                Row::new(vec![
                    Cell::from(name),
                    Cell::from(c.class.clone()),
                    Cell::from(kind.to_string()),
                    Cell::from(row.mentor_name.clone().unwrap_or_default()),
                    marker,
                ])
                .style(style),
            )
        })
        .collect();
    let archived_width = Line::from(app.text.get("roster.archived")).width().max(6) as u16;
    let widths = [
        Constraint::Length(10),
        Constraint::Length(9),
        Constraint::Length(5),
        Constraint::Min(6),
        Constraint::Length(archived_width),
    ];
    frame.render_widget(Table::new(rows, widths).column_spacing(1), list_area);
}
