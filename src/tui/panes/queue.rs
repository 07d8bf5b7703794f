//! The overdue queue from the follow-up engine: mine first, flat or one row per child, most
//! urgent first, with days overdue in red (and said in words) and what falls due soon in
//! yellow. This file holds the pane's state (grouping, mine only, cursor), its keys (log the
//! duty, a task done, put off, handed over) and its drawing; records change only through the
//! service.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::domain::{ChildId, EventKind};
use crate::followup::Rules;
use crate::tui::action::Action;
use crate::tui::component::Look;
use crate::tui::component::{Component, Ctx, Effect, Event, EventState, Opened};
use crate::tui::data::Data;
use crate::tui::forms::{self, log::FormField};
use crate::tui::panes::Pane;
use crate::tui::popups::{self, PromptKind};
use crate::tui::widgets::{ListPos, fit, pane_block};

/// One line of the queue: a duty's row from the follow-up engine, or a one-off task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueItem {
    /// Index into `Data::queue.rows`.
    Duty(usize),
    /// Index into `Data::tasks`.
    Task(usize),
}

impl QueueItem {
    /// The child the line is about.
    pub fn child(self, data: &Data) -> Option<ChildId> {
        match self {
            QueueItem::Duty(i) => data.queue.rows.get(i).map(|r| r.child),
            QueueItem::Task(i) => data.tasks.get(i).map(|t| t.child),
        }
    }
}

#[derive(Default)]
pub struct QueueView {
    pub grouped: bool,
    pub mine_only: bool,
    /// The lines shown: mine first, each part most urgent first; grouped: the first line of
    /// each child.
    pub rows: Vec<QueueItem>,
    pub pos: ListPos,
}

impl QueueView {
    /// Recomputes the rows: mine first, each part most urgent first.
    pub fn rebuild(&mut self, data: &Data, rules: &Rules, today: NaiveDate) {
        let me = data.me.as_ref().map(|s| s.id);
        let w = &rules.weights;
        let key_support: HashSet<ChildId> = data
            .roster
            .iter()
            .filter(|r| r.child.key_support)
            .map(|r| r.child.id)
            .collect();
        // (mine, urgency, item): a task weighs as a duty row with no missed period.
        let mut items: Vec<(bool, f64, QueueItem)> = Vec::new();
        for (i, r) in data.queue.rows.iter().enumerate() {
            items.push((
                me.is_some() && r.assignee == me,
                r.urgency,
                QueueItem::Duty(i),
            ));
        }
        for (i, t) in data.tasks.iter().enumerate() {
            let days = (today - t.due).num_days() as f64;
            let urgency = w.per_day_overdue * days
                + if key_support.contains(&t.child) {
                    w.key_support
                } else {
                    0.0
                };
            items.push((Some(t.assignee) == me, urgency, QueueItem::Task(i)));
        }
        // Mine first; each part most urgent first (the engine's order kept among duties).
        items.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal))
        });
        if self.mine_only {
            items.retain(|(mine, _, _)| *mine);
        }
        let mut order: Vec<QueueItem> = items.into_iter().map(|(_, _, item)| item).collect();
        if self.grouped {
            let mut seen = HashSet::new();
            order.retain(|item| item.child(data).is_some_and(|c| seen.insert(c)));
        }
        self.rows = order;
        self.pos.clamp(self.rows.len());
    }

    /// How many lines a child has (for the grouped view).
    pub fn rows_of(&self, data: &Data, child: ChildId) -> usize {
        let me = data.me.as_ref().map(|s| s.id);
        let duties = data
            .queue
            .rows
            .iter()
            .filter(|r| r.child == child && (!self.mine_only || r.assignee == me))
            .count();
        let tasks = data
            .tasks
            .iter()
            .filter(|t| t.child == child && (!self.mine_only || Some(t.assignee) == me))
            .count();
        duties + tasks
    }

    /// The id of the child under the cursor.
    pub fn selected_child(&self, data: &Data) -> Option<ChildId> {
        self.rows
            .get(self.pos.selected)
            .and_then(|item| item.child(data))
    }

    /// The task under the cursor, if the line is a task.
    pub fn selected_task<'d>(&self, data: &'d Data) -> Option<&'d crate::domain::Task> {
        match self.rows.get(self.pos.selected) {
            Some(QueueItem::Task(i)) => data.tasks.get(*i),
            _ => None,
        }
    }

    /// The line's duty, logged: its first event kind, for its child.
    fn log_duty(&self, ctx: &mut Ctx<'_>) {
        let data = ctx.data;
        let kind = match self.rows.get(self.pos.selected) {
            Some(QueueItem::Duty(i)) => data.queue.rows.get(*i),
            // A task is recorded as a note on the child.
            Some(QueueItem::Task(_)) => {
                return forms::log::open(EventKind::Note, FormField::Summary, ctx);
            }
            None => None,
        }
        .and_then(|row| data.queue.duty(row))
        .and_then(|duty| {
            duty.sources.iter().find_map(|s| match s {
                crate::followup::Source::Kind(k) => Some(*k),
                crate::followup::Source::Survey => None,
            })
        });
        match kind {
            Some(kind) => forms::log::open(kind, FormField::Summary, ctx),
            None if self.rows.is_empty() => ctx.say("status.no_child", false),
            // The re-survey is done by filling in the five areas.
            None => forms::file::open_survey(ctx),
        }
    }

    /// x, z, r on a line: a task done now, or a prompt for the day or the person.
    fn task_action(&self, action: Action, ctx: &mut Ctx<'_>) {
        let Some(task) = self.selected_task(ctx.data).cloned() else {
            ctx.say("task.only", false);
            return;
        };
        let kind = match action {
            Action::TaskSnooze => PromptKind::Snooze,
            Action::TaskReassign => PromptKind::Reassign,
            Action::TaskVoid => PromptKind::VoidTask,
            _ => {
                let command = crate::service::Command::UpdateTask {
                    task: task.id,
                    version: task.version,
                    change: crate::service::TaskChange::Done(ctx.today),
                };
                match ctx.service.execute(command) {
                    Ok(_) => {
                        ctx.push(Effect::AfterChange);
                        let text = ctx.text.fmt("task.done", &[("text", &task.text)]);
                        ctx.status(text, false);
                    }
                    Err(e) => ctx.error(&e),
                }
                return;
            }
        };
        let about = format!("{} · {}", ctx.data.child_name(task.child), task.text);
        ctx.open(Opened::Overlay(popups::prompt::ask(
            task.id.0,
            task.version,
            kind,
            about,
        )));
    }
}

/// The pane's actions: grouping, mine only, moving, opening, and what is done with a line.
impl Component for QueueView {
    fn handle(&mut self, event: Event<'_>, ctx: &mut Ctx<'_>) -> EventState {
        let Event::Action(action) = event else {
            return EventState::NotConsumed;
        };
        match action {
            Action::QueueGrouping => {
                self.grouped = !self.grouped;
                self.rebuild(ctx.data, ctx.rules, ctx.today);
            }
            Action::QueueMineOnly => {
                self.mine_only = !self.mine_only;
                self.rebuild(ctx.data, ctx.rules, ctx.today);
            }
            Action::Open => match self.selected_child(ctx.data) {
                Some(id) => ctx.push(Effect::OpenChild {
                    id,
                    from: Pane::Queue,
                }),
                None => ctx.say("status.no_child", false),
            },
            Action::LogDuty => self.log_duty(ctx),
            Action::TaskDone | Action::TaskSnooze | Action::TaskReassign | Action::TaskVoid => {
                self.task_action(action, ctx)
            }
            _ if action.is_move() => {
                if self.pos.apply(action, self.rows.len()) {
                    ctx.push(Effect::Preview);
                }
            }
            _ => return EventState::NotConsumed,
        }
        EventState::Consumed
    }
}

pub fn draw(view: &mut QueueView, look: &Look, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = look.theme;
    let lang = look.lang();
    let me = look.data.me.as_ref().map(|s| s.id);
    let rows_all = &look.data.queue.rows;
    let overdue = rows_all.iter().filter(|r| r.days_overdue > 0).count();
    let soon = rows_all.len() - overdue;
    let mine = rows_all
        .iter()
        .filter(|r| me.is_some() && r.assignee == me && r.days_overdue > 0)
        .count();
    let mut title = vec![
        Span::styled(format!(" {} ", look.text.get("pane.queue")), theme.title()),
        Span::raw("· "),
        Span::styled(
            look.text.fmt("queue.overdue_n", &[("n", &overdue)]),
            if overdue > 0 {
                theme.overdue()
            } else {
                Style::new()
            },
        ),
        Span::raw(" · "),
        Span::styled(
            look.text.fmt("queue.soon_n", &[("n", &soon)]),
            theme.due_soon(),
        ),
    ];
    if me.is_some() {
        title.push(Span::raw(format!(
            " · {}",
            look.text.fmt("queue.mine_n", &[("n", &mine)])
        )));
    }
    let mode = if view.grouped {
        look.text.get("queue.grouped")
    } else {
        look.text.get("queue.flat")
    };
    title.push(Span::styled(format!(" · {mode}"), theme.muted()));
    if view.mine_only {
        title.push(Span::styled(
            format!(" · {}", look.text.get("queue.mine_only")),
            theme.accent(),
        ));
    }
    title.push(Span::raw(" "));
    let block = pane_block(look.theme, Line::from(title), focused, area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if view.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(look.text.get("queue.empty").to_string()).style(theme.good()),
            inner,
        );
        return;
    }
    // The duty column is as wide as the longest label in this language (English is longer).
    let duty_width = look
        .rules
        .duties
        .iter()
        .map(|d| Line::from(lang.pick(&d.label_zh, &d.label_en)).width())
        .max()
        .unwrap_or(8)
        .clamp(8, 22) as u16;
    // Below the full table's width, the due column says the same number in fewer cells
    // (逾60天, not a cut-off 逾期 6) and the other columns share what is left.
    let narrow = inner.width < 12 + duty_width + 9 + 9 + 8 + 5;
    let height = inner.height as usize;
    let shown = view.pos.visible(&view.rows, height);
    let selected = view.pos.selected;
    let queue = &look.data.queue;
    // Each visible line as its cells: due, duty, name, class, who, and the rest.
    let lines: Vec<(Style, [(String, Style); 6])> = shown
        .filter_map(|(i, &item)| {
            let row_style = if i == selected && focused {
                theme.selected()
            } else {
                Style::new()
            };
            let marker = if i == selected { "▶" } else { " " };
            let plain = |t: String| (t, Style::new());
            let r = match item {
                QueueItem::Duty(r) => r,
                QueueItem::Task(t) => {
                    let task = look.data.tasks.get(t)?;
                    let child = look.data.roster.iter().find(|r| r.child.id == task.child)?;
                    let days = (look.today - task.due).num_days();
                    let (when, style) = when_text(look, days, narrow);
                    let assignee = look
                        .data
                        .staff_name(task.assignee)
                        .unwrap_or(look.text.get("queue.unassigned"))
                        .to_string();
                    return Some((
                        row_style,
                        [
                            (format!("{marker}{when}"), style),
                            plain(look.text.get("queue.task").to_string()),
                            plain(child.child.name().to_string()),
                            plain(child.child.class().to_string()),
                            plain(assignee),
                            (task.text.clone(), theme.muted()),
                        ],
                    ));
                }
            };
            let row = queue.rows.get(r)?;
            let child = queue.child(row)?;
            let duty = queue.duty(row)?;
            let (when, style) = when_text(look, row.days_overdue, narrow);
            let mut extra = String::new();
            if row.periods_missed > 1 {
                extra = look.text.fmt("queue.missed", &[("n", &row.periods_missed)]);
            }
            if view.grouped {
                let n = view.rows_of(look.data, row.child);
                if n > 1 {
                    if !extra.is_empty() {
                        extra.push_str("  ");
                    }
                    extra.push_str(&look.text.fmt("queue.more", &[("n", &(n - 1))]));
                }
            }
            let name = if child.key_support {
                format!("{}★", child.name)
            } else {
                child.name.to_string()
            };
            Some((
                row_style,
                [
                    (format!("{marker}{when}"), style),
                    plain(lang.pick(&duty.label_zh, &duty.label_en).to_string()),
                    plain(name),
                    plain(child.class.to_string()),
                    plain(
                        queue
                            .assignee_name(row)
                            .unwrap_or(look.text.get("queue.unassigned"))
                            .to_string(),
                    ),
                    (extra, theme.muted()),
                ],
            ))
        })
        .collect();
    // The due column is as wide as its widest text (a number is never cut).
    let when_width = lines
        .iter()
        .map(|(_, cells)| Line::from(cells[0].0.as_str()).width())
        .max()
        .unwrap_or(0)
        .max(if narrow { 8 } else { 12 });
    // Who must do it: as wide as the widest name on screen ("unassigned"), from 8 to 12.
    let who_width = lines
        .iter()
        .map(|(_, cells)| Line::from(cells[4].0.as_str()).width())
        .max()
        .unwrap_or(0);
    let widths = column_widths(
        inner.width as usize,
        when_width,
        duty_width as usize,
        who_width,
    );
    let rows: Vec<Row> = lines
        .into_iter()
        .map(|(style, cells)| {
            Row::new(
                cells
                    .into_iter()
                    .zip(widths)
                    .filter(|(_, w)| *w > 0)
                    .map(|((text, s), w)| Cell::from(Span::styled(fit(&text, w), s))),
            )
            .style(style)
        })
        .collect();
    let constraints: Vec<Constraint> = widths
        .iter()
        .filter(|w| **w > 0)
        .map(|w| Constraint::Length(*w as u16))
        .collect();
    frame.render_widget(Table::new(rows, constraints).column_spacing(1), inner);
}

/// The widths of the queue's six columns (due, duty, name, class, who, the rest) in `width`
/// cells (`who`: the widest name of who must do it on screen): the due column whole; below the full table the class goes first, then who; then
/// the duty and the name shorten (with …) down to four cells. A dropped column has width 0.
fn column_widths(width: usize, when: usize, duty: usize, who: usize) -> [usize; 6] {
    let mut cols = [when, duty, 9, 9, who.clamp(8, 12), 0];
    let need = |cols: &[usize; 6]| -> usize {
        let kept: Vec<usize> = cols.iter().copied().filter(|w| *w > 0).collect();
        kept.iter().sum::<usize>() + kept.len().saturating_sub(1)
    };
    for drop in [3, 4] {
        if need(&cols) > width {
            cols[drop] = 0;
        }
    }
    for shrink in [1, 2] {
        let over = need(&cols).saturating_sub(width);
        cols[shrink] = cols[shrink].saturating_sub(over).max(4);
    }
    cols[5] = width.saturating_sub(need(&cols) + 1);
    cols
}

/// "逾期 N天" in red, "今天到期" or "N天后到期" in yellow; "逾N天", "今天", "N天后" when
/// `narrow`.
fn when_text(look: &Look, days_overdue: i64, narrow: bool) -> (String, Style) {
    let theme = look.theme;
    let key = |full: &'static str, short: &'static str| if narrow { short } else { full };
    if days_overdue > 0 {
        (
            look.text.fmt(
                key("queue.overdue_days", "queue.overdue_days_short"),
                &[("n", &days_overdue)],
            ),
            theme.overdue(),
        )
    } else if days_overdue == 0 {
        (
            look.text
                .get(key("queue.due_today", "queue.due_today_short"))
                .to_string(),
            theme.due_soon(),
        )
    } else {
        (
            look.text.fmt(
                key("queue.due_in", "queue.due_in_short"),
                &[("n", &-days_overdue)],
            ),
            theme.due_soon(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::column_widths;

    #[test]
    fn columns_drop_by_priority_and_the_due_column_stays_whole() {
        // Wide: every column, the rest to the notes.
        assert_eq!(column_widths(100, 12, 12, 6), [12, 12, 9, 9, 8, 45]);
        // 78 cells, English labels (22): all fit, nothing left for the notes.
        assert_eq!(column_widths(72, 12, 22, 8), [12, 22, 9, 9, 8, 7]);
        // 58: the class goes first.
        assert_eq!(column_widths(58, 8, 22, 8), [8, 22, 9, 0, 8, 7]);
        // 38 (a 40-column terminal): who goes too, the duty shortens.
        assert_eq!(column_widths(38, 8, 22, 8), [8, 19, 9, 0, 0, 0]);
        // 20: duty and name at their least, the due column still whole.
        let tiny = column_widths(20, 9, 22, 8);
        assert_eq!(tiny[0], 9);
        assert_eq!((tiny[1], tiny[2]), (4, 5));
        assert_eq!(tiny.iter().filter(|w| **w > 0).sum::<usize>() + 2, 20);
    }

    /// Who must do it takes the width of the widest name on screen ("unassigned", 10), from
    /// 8 up to 12 cells, out of the notes' room; a narrow pane still drops it as before.
    #[test]
    fn who_is_as_wide_as_the_widest_name_up_to_twelve() {
        assert_eq!(column_widths(100, 12, 12, 10), [12, 12, 9, 9, 10, 43]);
        assert_eq!(column_widths(100, 12, 12, 30), [12, 12, 9, 9, 12, 41]);
        assert_eq!(column_widths(100, 12, 12, 0), [12, 12, 9, 9, 8, 45]);
        assert_eq!(column_widths(38, 8, 22, 10), [8, 19, 9, 0, 0, 0]);
    }
}
