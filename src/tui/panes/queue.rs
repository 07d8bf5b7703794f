//! The overdue queue from the follow-up engine: mine first, flat or one row per child, most
//! urgent first, with days overdue in red (and said in words) and what falls due soon in
//! yellow.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use crate::tui::app::{App, QueueItem};
use crate::tui::widgets::pane_block;

pub fn draw(app: &mut App, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = app.theme;
    let lang = app.lang();
    let me = app.data.me.as_ref().map(|s| s.id);
    let rows_all = &app.data.queue.rows;
    let overdue = rows_all.iter().filter(|r| r.days_overdue > 0).count();
    let soon = rows_all.len() - overdue;
    let mine = rows_all
        .iter()
        .filter(|r| me.is_some() && r.assignee == me && r.days_overdue > 0)
        .count();
    let mut title = vec![
        Span::styled(format!(" {} ", app.text.get("pane.queue")), theme.title()),
        Span::raw("· "),
        Span::styled(
            app.text.fmt("queue.overdue_n", &[("n", &overdue)]),
            if overdue > 0 {
                theme.overdue()
            } else {
                Style::new()
            },
        ),
        Span::raw(" · "),
        Span::styled(
            app.text.fmt("queue.soon_n", &[("n", &soon)]),
            theme.due_soon(),
        ),
    ];
    if me.is_some() {
        title.push(Span::raw(format!(
            " · {}",
            app.text.fmt("queue.mine_n", &[("n", &mine)])
        )));
    }
    let mode = if app.queue.grouped {
        app.text.get("queue.grouped")
    } else {
        app.text.get("queue.flat")
    };
    title.push(Span::styled(format!(" · {mode}"), theme.muted()));
    if app.queue.mine_only {
        title.push(Span::styled(
            format!(" · {}", app.text.get("queue.mine_only")),
            theme.accent(),
        ));
    }
    title.push(Span::raw(" "));
    let block = pane_block(app.theme, Line::from(title), focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.queue.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(app.text.get("queue.empty").to_string()).style(theme.good()),
            inner,
        );
        return;
    }
    let height = inner.height as usize;
    let first = app.queue.pos.scroll_into_view(height, app.queue.rows.len());
    let selected = app.queue.pos.selected;
    let queue = &app.data.queue;
    let rows: Vec<Row> = app
        .queue
        .rows
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .filter_map(|(i, &item)| {
            let row_style = if i == selected && focused {
                theme.selected()
            } else {
                Style::new()
            };
            let marker = if i == selected { "▶" } else { " " };
            let r = match item {
                QueueItem::Duty(r) => r,
                QueueItem::Task(t) => {
                    let task = app.data.tasks.get(t)?;
                    let child = app.data.roster.iter().find(|r| r.child.id == task.child)?;
                    let days = (app.today() - task.due).num_days();
                    let (when, style) = when_text(app, days);
                    let assignee = app
                        .data
                        .staff_name(task.assignee)
                        .unwrap_or(app.text.get("queue.unassigned"))
                        .to_string();
                    return Some(
                        Row::new(vec![
                            Cell::from(Span::styled(format!("{marker}{when}"), style)),
                            Cell::from(app.text.get("queue.task").to_string()),
                            Cell::from(child.child.name.clone()),
                            Cell::from(child.child.class.clone()),
                            Cell::from(assignee),
                            Cell::from(Span::styled(task.text.clone(), theme.muted())),
                        ])
                        .style(row_style),
                    );
                }
            };
            let row = queue.rows.get(r)?;
            let child = queue.child(row)?;
            let duty = queue.duty(row)?;
            let (when, style) = when_text(app, row.days_overdue);
            let mut extra = String::new();
            if row.periods_missed > 1 {
                extra = app.text.fmt("queue.missed", &[("n", &row.periods_missed)]);
            }
            if app.queue.grouped {
                let n = app.queue_rows_of(row.child);
                if n > 1 {
                    if !extra.is_empty() {
                        extra.push_str("  ");
                    }
                    extra.push_str(&app.text.fmt("queue.more", &[("n", &(n - 1))]));
                }
            }
            let name = if child.key_support {
                format!("{}★", child.name)
            } else {
                child.name.clone()
            };
            Some(
                Row::new(vec![
                    Cell::from(Span::styled(format!("{marker}{when}"), style)),
                    Cell::from(lang.pick(&duty.label_zh, &duty.label_en).to_string()),
                    Cell::from(name),
                    Cell::from(child.class.clone()),
                    Cell::from(
                        queue
                            .assignee_name(row)
                            .unwrap_or(app.text.get("queue.unassigned"))
                            .to_string(),
                    ),
                    Cell::from(Span::styled(extra, theme.muted())),
                ])
                .style(row_style),
            )
        })
        .collect();
    // The duty column is as wide as the longest label in this language (English is longer).
    let duty_width = app
        .rules()
        .duties
        .iter()
        .map(|d| Line::from(lang.pick(&d.label_zh, &d.label_en)).width())
        .max()
        .unwrap_or(8)
        .clamp(8, 22) as u16;
    let widths = [
        Constraint::Length(12),
        Constraint::Length(duty_width),
        Constraint::Length(9),
        Constraint::Length(9),
        Constraint::Length(8),
        Constraint::Min(0),
    ];
    frame.render_widget(Table::new(rows, widths).column_spacing(1), inner);
}

/// "逾期 N天" in red, "今天到期" or "N天后到期" in yellow.
fn when_text(app: &App, days_overdue: i64) -> (String, Style) {
    let theme = app.theme;
    if days_overdue > 0 {
        (
            app.text.fmt("queue.overdue_days", &[("n", &days_overdue)]),
            theme.overdue(),
        )
    } else if days_overdue == 0 {
        (
            app.text.get("queue.due_today").to_string(),
            theme.due_soon(),
        )
    } else {
        (
            app.text.fmt("queue.due_in", &[("n", &-days_overdue)]),
            theme.due_soon(),
        )
    }
}
