//! The audit log for administrators: every change and every reading of counselling notes,
//! newest first, who and when; the selected entry's values before and after below. Only the
//! service decides who may read it (it refuses everyone but administrators). This file holds
//! the pane's state, its keys and its drawing; it must not change records.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::service::AuditEntry;
use crate::tui::action::Action;
use crate::tui::component::Look;
use crate::tui::component::{Component, Ctx, Event, EventState};
use crate::tui::widgets::{ListPos, fit_line, pane_block};

/// The audit log as an administrator reads it: newest first, loaded when the pane opens.
#[derive(Debug, Default)]
pub struct AuditView {
    pub entries: Option<Vec<AuditEntry>>,
    /// Only the changes to the child open in the child pane.
    pub child_only: bool,
    pub pos: ListPos,
}

impl AuditView {
    /// Reads the audit log (only when the pane is shown: it grows with every change).
    pub fn load(&mut self, ctx: &mut Ctx<'_>) {
        let child = if self.child_only {
            ctx.open_child
        } else {
            None
        };
        match ctx.service.audit(child, None, None) {
            Ok(mut entries) => {
                entries.reverse();
                self.pos.clamp(entries.len());
                self.entries = Some(entries);
            }
            Err(e) => {
                self.entries = None;
                ctx.error(&e);
            }
        }
    }
}

/// The pane's actions: moving, and only the open child's changes.
impl Component for AuditView {
    fn handle(&mut self, event: Event<'_>, ctx: &mut Ctx<'_>) -> EventState {
        match event {
            Event::Action(Action::AuditChildOnly) => {
                self.child_only = !self.child_only;
                self.pos = ListPos::default();
                self.load(ctx);
            }
            Event::Action(action) if action.is_move() => {
                let len = self.entries.as_ref().map_or(0, Vec::len);
                self.pos.apply(action, len);
            }
            _ => return EventState::NotConsumed,
        }
        EventState::Consumed
    }
}

/// The label of a command in the UI language (its name when the catalog has none).
fn command_label(look: &Look, command: &str) -> String {
    let key = format!("audit.cmd.{command}");
    let text = look.text.get(&key);
    if text == key {
        command.to_string()
    } else {
        text.to_string()
    }
}

/// What a change was to: the child's name for `child:ID`.
fn target_label(look: &Look, target: &str) -> String {
    let (head, rest) = target.split_once(' ').unwrap_or((target, ""));
    let name = head
        .strip_prefix("child:")
        .and_then(|id| id.parse::<u64>().ok())
        .and_then(|id| {
            look.data
                .roster
                .iter()
                .find(|r| r.child.id.0 == id)
                .map(|r| r.child.name.clone())
        });
    match name {
        Some(n) => format!("{n} {rest}").trim().to_string(),
        None => target.to_string(),
    }
}

fn when(e: &AuditEntry) -> String {
    let time = chrono::DateTime::from_timestamp_millis(e.record.at_unix_ms)
        .map(|t| t.with_timezone(&chrono::Local).format("%H:%M").to_string())
        .unwrap_or_default();
    format!("{} {time}", e.record.day)
}

pub fn draw(view: &mut AuditView, look: &Look, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = look.theme;
    let count = view.entries.as_ref().map_or(0, Vec::len);
    let mut title = vec![Span::styled(
        format!(
            " {} ({}) ",
            look.text.get("pane.audit"),
            look.text.fmt("audit.count", &[("n", &count)])
        ),
        theme.title(),
    )];
    if view.child_only {
        let name = look.open_child.clone().unwrap_or_else(|| String::from("-"));
        title.push(Span::styled(
            format!("{}: {name} ", look.text.get("audit.child_only")),
            theme.accent(),
        ));
    }
    let block = pane_block(look.theme, Line::from(title), focused, area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(entries) = view.entries.as_ref() else {
        return;
    };
    if entries.is_empty() {
        frame.render_widget(
            Paragraph::new(look.text.get("audit.empty").to_string()).style(theme.muted()),
            inner,
        );
        return;
    }
    let detail_height = (inner.height / 3)
        .max(3)
        .min(inner.height.saturating_sub(2));
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(detail_height)]).areas(inner);
    let height = list_area.height as usize;
    let first = view.pos.scroll_into_view(height, entries.len());
    let selected = view.pos.selected;
    let setup = look.text.get("audit.setup").to_string();
    let lines: Vec<Line> = entries
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, e)| {
            let who = e.actor_name.clone().unwrap_or_else(|| setup.clone());
            let style = if i == selected && focused {
                theme.selected()
            } else {
                Style::new()
            };
            fit_line(
                Line::from(vec![
                    Span::styled(format!("{} ", when(e)), theme.muted()),
                    Span::raw(format!("{who}  ")),
                    Span::styled(
                        format!("{}  ", command_label(look, &e.record.command)),
                        theme.accent(),
                    ),
                    Span::raw(target_label(look, &e.record.target)),
                ]),
                list_area.width as usize,
            )
            .style(style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);
    if let Some(e) = entries.get(selected) {
        let mut detail = vec![Line::from(Span::styled(
            "─".repeat(detail_area.width as usize),
            theme.muted(),
        ))];
        match changes(e) {
            Some(changed) => {
                detail.push(Line::from(Span::styled(
                    look.text.get("audit.changed").to_string(),
                    theme.muted(),
                )));
                for (field, old, new) in changed {
                    detail.push(Line::from(vec![
                        Span::styled(format!("  {field}: "), theme.accent()),
                        Span::raw(old),
                        Span::styled(" → ", theme.muted()),
                        Span::raw(new),
                    ]));
                }
            }
            None => {
                let none = look.text.get("audit.none").to_string();
                for (key, value) in [
                    ("audit.before", &e.record.before),
                    ("audit.after", &e.record.after),
                ] {
                    detail.push(Line::from(vec![
                        Span::styled(format!("{} ", look.text.get(key)), theme.muted()),
                        Span::raw(value.clone().unwrap_or_else(|| none.clone())),
                    ]));
                }
            }
        }
        frame.render_widget(
            Paragraph::new(detail).wrap(Wrap { trim: false }),
            detail_area,
        );
    }
}

/// For a change with a record before and after: the fields that differ, old and new value.
pub fn changes(e: &AuditEntry) -> Option<Vec<(String, String, String)>> {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
    };
    let (serde_json::Value::Object(before), serde_json::Value::Object(after)) =
        (parse(&e.record.before)?, parse(&e.record.after)?)
    else {
        return None;
    };
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    Some(
        keys.into_iter()
            .filter(|k| *k != "version" && before.get(*k) != after.get(*k))
            .map(|k| {
                let show = |v: Option<&serde_json::Value>| match v {
                    None | Some(serde_json::Value::Null) => "-".to_string(),
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                };
                (k.clone(), show(before.get(k)), show(after.get(k)))
            })
            .collect(),
    )
}
