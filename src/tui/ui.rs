//! Drawing a frame: the layout (side by side at ≥ 120 columns, one pane with a tab bar
//! below that), the bottom hint line generated from the keymap, the overlays, and the
//! message for a window too small to use. Reads the app's state; changes only the scroll
//! positions that depend on the frame's size.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::action::{Action, Layer};
use super::app::{App, Overlay, Pane};
use super::keymap::{Binding, sequence_label};
use super::panes;
use super::widgets::{centered, clear_for_overlay};

/// The smallest window the app draws in; below it, a message says so.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;
/// From this width (and height) roster and child sit side by side with the queue below.
pub const WIDE_WIDTH: u16 = 120;
pub const WIDE_HEIGHT: u16 = 20;

pub fn draw(app: &mut App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = app.text.fmt(
            "too_small",
            &[
                ("min", &format!("{MIN_WIDTH}×{MIN_HEIGHT}")),
                ("now", &format!("{}×{}", area.width, area.height)),
            ],
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    app.wide = area.width >= WIDE_WIDTH && area.height >= WIDE_HEIGHT;
    let [tabs, body, hint] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_tabs(app, frame, tabs);
    if app.wide && !matches!(app.focus, Pane::Report | Pane::Audit) {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)]).areas(top);
        panes::roster::draw(app, frame, left, app.focus == Pane::Roster);
        panes::child::draw(app, frame, right, app.focus == Pane::Child);
        panes::queue::draw(app, frame, bottom, app.focus == Pane::Queue);
    } else {
        match app.focus {
            Pane::Roster => panes::roster::draw(app, frame, body, true),
            Pane::Child => panes::child::draw(app, frame, body, true),
            Pane::Queue => panes::queue::draw(app, frame, body, true),
            Pane::Report => panes::report::draw(app, frame, body, true),
            Pane::Audit => panes::audit::draw(app, frame, body, true),
        }
    }
    draw_hint(app, frame, hint);
    if app.form.is_some() {
        draw_form(app, frame, body);
        return;
    }
    if app.activity.is_some() {
        draw_activity(app, frame, body);
        return;
    }
    if app.file_form.is_some() {
        draw_file_form(app, frame, body);
        return;
    }
    match &app.overlay {
        Some(Overlay::Help { .. }) => draw_help(app, frame, body),
        Some(Overlay::Palette { .. }) => draw_palette(app, frame, body),
        Some(Overlay::Prompt { .. }) => draw_prompt(app, frame, body),
        Some(Overlay::Contacts(child)) => draw_contacts(app, frame, body, child),
        None => {}
    }
}

fn draw_tabs(app: &App, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    for (i, pane) in app.panes().iter().enumerate() {
        let mut label = format!("{} {}", i + 1, app.text.get(pane.title_key()));
        if *pane == Pane::Queue {
            let overdue = app.data.overdue_by_child.values().sum::<usize>();
            if overdue > 0 {
                label.push_str(&format!("({overdue})"));
            }
        }
        if *pane == app.focus {
            spans.push(Span::styled(format!("[{label}]"), app.theme.key()));
        } else {
            spans.push(Span::raw(format!(" {label} ")));
        }
        spans.push(Span::raw(" "));
    }
    // Who is working, on the right: the name (and that this is the demo school).
    let mut who = app.data.me.as_ref().map_or_else(
        || app.text.get("tabs.setup").to_string(),
        |s| s.name.clone(),
    );
    if app.demo {
        who = format!("{} · {}", app.text.get("tabs.demo"), who);
    }
    let used = Line::from(spans.clone()).width() as u16;
    let who_width = Line::from(who.as_str()).width() as u16 + 1;
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    if used + who_width <= area.width {
        let right = Rect {
            x: area.x + area.width - who_width,
            width: who_width,
            ..area
        };
        frame.render_widget(Paragraph::new(Span::styled(who, app.theme.muted())), right);
    }
}

/// Actions the bottom line leaves to the help: moving around is the same everywhere.
const NOT_HINTED: &[Action] = &[
    Action::Down,
    Action::Up,
    Action::Top,
    Action::Bottom,
    Action::PageDown,
    Action::PageUp,
    Action::Redraw,
    Action::Suspend,
    Action::PrevPane,
    Action::Back,
];

/// The bottom line's entries for a layer: one per action (sequences as their first key and
/// the group's name), the pane's own first, in keymap order.
pub fn hints(app: &App, layer: Layer) -> Vec<(String, String)> {
    let lang = app.lang();
    let mut out: Vec<(String, String)> = Vec::new();
    let mut seen_actions: Vec<Action> = Vec::new();
    for b in app.keymap.effective(layer) {
        if NOT_HINTED.contains(&b.action)
            || seen_actions.contains(&b.action)
            || !app.may_run(b.action)
        {
            continue;
        }
        seen_actions.push(b.action);
        let (key, desc) = if b.keys.len() > 1 {
            let group = b.desc(lang);
            let group = group.split([':', '：']).next().unwrap_or(group).trim();
            (format!("{}…", b.keys[0].label()), group.to_string())
        } else {
            (sequence_label(&b.keys), b.desc(lang).to_string())
        };
        if !out.iter().any(|(k, _)| *k == key) {
            out.push((key, desc));
        }
    }
    out
}

fn draw_hint(app: &App, frame: &mut Frame, area: Rect) {
    let theme = app.theme;
    let line = if !app.pending.is_empty() {
        let mut spans = vec![Span::styled(
            format!("{}-", sequence_label(&app.pending)),
            theme.key(),
        )];
        if let super::keymap::Lookup::Pending(next) =
            app.keymap.lookup(app.focus.layer(), &app.pending)
        {
            // "筛选:我的", "筛选:下一班级" …: the group's name once, then the choices.
            let group = next
                .first()
                .and_then(|b| b.desc(app.lang()).split_once([':', '：']))
                .map(|(g, _)| g.trim().to_string());
            match &group {
                Some(g) => spans.push(Span::raw(format!(" {g}:"))),
                None => spans.push(Span::raw(format!(" {}", app.text.get("pending")))),
            }
            for b in next {
                let rest: Vec<_> = b.keys[app.pending.len()..].to_vec();
                let desc = b.desc(app.lang());
                let desc = match (&group, desc.split_once([':', '：'])) {
                    (Some(g), Some((head, tail))) if head.trim() == g => tail.trim(),
                    _ => desc,
                };
                spans.push(Span::raw(" "));
                spans.push(Span::styled(sequence_label(&rest), theme.key()));
                spans.push(Span::raw(format!("{}{desc}", app.lang().pick("", " "))));
            }
        }
        Line::from(spans)
    } else if let Some(status) = &app.status {
        let style = if status.error {
            theme.overdue()
        } else {
            theme.accent()
        };
        Line::from(Span::styled(status.text.clone(), style))
    } else if app.form.is_some() {
        Line::from(Span::styled(
            app.text.get("form.hint").to_string(),
            theme.muted(),
        ))
    } else if app.file_form.is_some() {
        Line::from(Span::styled(
            app.text.get("file.hint").to_string(),
            theme.muted(),
        ))
    } else if app.activity.is_some() {
        Line::from(Span::styled(
            app.text.get("activity.hint").to_string(),
            theme.muted(),
        ))
    } else if app.roster.searching {
        Line::from(Span::styled(
            app.text.get("search.hint").to_string(),
            theme.muted(),
        ))
    } else {
        // Help and quitting are always shown, last; the others in keymap order while they fit.
        let mut all = hints(app, app.focus.layer());
        let kept: Vec<(String, String)> = [Action::Help, Action::Quit]
            .into_iter()
            .filter_map(|a| app.keymap.keys_for(app.focus.layer(), a))
            .map(|b| (sequence_label(&b.keys), b.desc(app.lang()).to_string()))
            .collect();
        all.retain(|h| !kept.contains(h));
        // Chinese reads well with the key against its word (?帮助); English needs a space.
        let gap = app.lang().pick("", " ");
        let width_of =
            |(key, desc): &(String, String)| Line::from(format!(" {key}{gap}{desc} ")).width();
        let mut budget =
            (area.width as usize).saturating_sub(kept.iter().map(width_of).sum::<usize>());
        let mut shown: Vec<(String, String)> = Vec::new();
        for h in all {
            let w = width_of(&h);
            if w > budget {
                break;
            }
            budget -= w;
            shown.push(h);
        }
        shown.extend(kept);
        let mut spans = Vec::new();
        for (key, desc) in shown {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(key, theme.key()));
            spans.push(Span::raw(format!("{gap}{desc} ")));
        }
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The help's lines: the pane's keys, then the global ones, keys of one action together.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let theme = app.theme;
    let lang = app.lang();
    let mut lines = Vec::new();
    let section = |title: String, bindings: &[Binding], lines: &mut Vec<Line<'static>>| {
        if bindings.is_empty() {
            return;
        }
        lines.push(Line::from(Span::styled(title, theme.title())));
        let mut grouped: Vec<(Action, Vec<String>, String)> = Vec::new();
        for b in bindings.iter().filter(|b| app.may_run(b.action)) {
            let keys = sequence_label(&b.keys);
            match grouped.iter_mut().find(|(a, _, _)| *a == b.action) {
                Some((_, k, _)) => k.push(keys),
                None => grouped.push((b.action, vec![keys], b.desc(lang).to_string())),
            }
        }
        for (_, keys, desc) in grouped {
            let keys = keys.join(" / ");
            let pad = 14usize.saturating_sub(Line::from(keys.as_str()).width());
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(keys, theme.key()),
                Span::raw(" ".repeat(pad.max(1))),
                Span::raw(desc),
            ]));
        }
        lines.push(Line::default());
    };
    let layer = app.focus.layer();
    section(
        app.text.get(app.focus.title_key()).to_string(),
        app.keymap.bindings(layer),
        &mut lines,
    );
    section(
        app.text.get("help.global").to_string(),
        app.keymap.bindings(Layer::Global),
        &mut lines,
    );
    for key in ["help.legend", "help.input"] {
        lines.push(Line::from(Span::styled(
            app.text.get(key).to_string(),
            theme.muted(),
        )));
    }
    lines
}

fn draw_help(app: &App, frame: &mut Frame, area: Rect) {
    let Some(Overlay::Help { scroll }) = &app.overlay else {
        return;
    };
    let lines = help_lines(app);
    let box_area = centered(area, 76, lines.len() as u16 + 2);
    let inner_height = box_area.height.saturating_sub(2) as usize;
    let max_scroll = lines.len().saturating_sub(inner_height);
    let scroll = (*scroll).min(max_scroll) as u16;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border(true))
        .title(format!(" {} ", app.text.get("help.title")))
        .title_bottom(format!(" {} ", app.text.get("help.close")));
    clear_for_overlay(frame, box_area);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        box_area,
    );
}

fn draw_palette(app: &mut App, frame: &mut Frame, area: Rect) {
    let Some(Overlay::Palette { input, pos }) = &app.overlay else {
        return;
    };
    let (input, mut pos) = (input.clone(), *pos);
    let items = app.palette_items(&input);
    pos.clamp(items.len());
    let box_area = centered(area, 60, (items.len() as u16 + 4).min(18));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme.border(true))
        .title(format!(" {} ", app.text.get("palette.title")))
        .title_bottom(format!(" {} ", app.text.get("palette.hint")));
    let inner = block.inner(box_area);
    clear_for_overlay(frame, box_area);
    frame.render_widget(block, box_area);
    if inner.height == 0 {
        return;
    }
    let [input_area, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(": ", app.theme.key()),
            Span::raw(input),
            Span::styled("▏", app.theme.accent()),
        ])),
        input_area,
    );
    let first = pos.scroll_into_view(list_area.height as usize, items.len());
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(first)
        .take(list_area.height as usize)
        .map(|(i, (action, desc, keys))| {
            let style = if i == pos.selected {
                app.theme.selected()
            } else {
                Style::new()
            };
            Line::from(vec![
                Span::styled(format!("{desc}  "), style),
                Span::styled(keys.clone(), app.theme.key()),
                Span::styled(format!("  {}", action.name()), app.theme.muted()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);
    if let Some(Overlay::Palette { pos: p, .. }) = &mut app.overlay {
        *p = pos;
    }
}

/// The log form over the panes: one line per field, the cursor in the field being typed in,
/// the message of a refused save on the field at fault.
fn draw_form(app: &App, frame: &mut Frame, area: Rect) {
    use super::form::FormField;
    let Some(form) = &app.form else { return };
    let theme = app.theme;
    let lang = app.lang();
    let box_area = centered(area, 72, 12);
    let title = app.text.fmt("form.title", &[("child", &form.child_name)]);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(" {title} "))
        .title_bottom(format!(" {} ", app.text.get("form.keys")));
    let inner = block.inner(box_area);
    clear_for_overlay(frame, box_area);
    frame.render_widget(block, box_area);
    let label_width = 10u16;
    let mut cursor = None;
    let mut y = inner.y;
    let rows: Vec<(FormField, &str)> = vec![
        (FormField::Kind, "form.kind"),
        (FormField::Date, "form.date"),
        (FormField::By, "form.by"),
        (FormField::Present, "form.present"),
        (FormField::Summary, "form.summary"),
        (FormField::FollowUp, "form.follow_up"),
        (FormField::Due, "form.due"),
    ];
    for (field, key) in rows {
        if field == FormField::Due && !form.follow_up {
            continue;
        }
        if y >= inner.bottom() {
            break;
        }
        let focused = form.focus == field;
        let label_style = if focused { theme.key() } else { theme.muted() };
        // The field being filled in is marked in words too (▶), not only by colour.
        let marker = if focused { "▶" } else { " " };
        let line_area = Rect {
            x: inner.x,
            y,
            width: inner.width,
            height: 1,
        };
        let value_x = inner.x + label_width.min(inner.width);
        let value_width = inner.width.saturating_sub(label_width) as usize;
        let value: Line = match field {
            FormField::Kind => Line::from(vec![
                Span::styled("◀ ", theme.muted()),
                Span::styled(
                    lang.pick(form.kind.zh(), form.kind.en()).to_string(),
                    theme.accent(),
                ),
                Span::styled(" ▶", theme.muted()),
            ]),
            FormField::FollowUp => Line::from(if form.follow_up { "[✔]" } else { "[ ]" }),
            _ => {
                let input = match field {
                    FormField::Date => &form.date,
                    FormField::By => &form.by,
                    FormField::Present => &form.present,
                    FormField::Summary => &form.summary,
                    _ => &form.due,
                };
                let (shown, col) = input.view(value_width.saturating_sub(1));
                if focused {
                    cursor = Some((value_x + col as u16, y));
                }
                Line::from(shown)
            }
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("{marker}{}", app.text.get(key)),
                label_style,
            )),
            line_area,
        );
        frame.render_widget(
            Paragraph::new(value),
            Rect {
                x: value_x,
                width: inner.width.saturating_sub(label_width),
                ..line_area
            },
        );
        y += 1;
    }
    let message = if form.confirm_cancel {
        Some((app.text.get("form.confirm").to_string(), theme.due_soon()))
    } else {
        form.error
            .as_ref()
            .map(|(_, m)| (m.clone(), theme.overdue()))
    };
    if let Some((text, style)) = message
        && y < inner.bottom()
    {
        let msg_area = Rect {
            x: inner.x,
            y,
            width: inner.width,
            height: inner.bottom() - y,
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, style)).wrap(Wrap { trim: true }),
            msg_area,
        );
    }
    if let Some((x, y)) = cursor
        && !form.confirm_cancel
    {
        frame.set_cursor_position((x, y));
    }
}

/// The one-line question for a task (the day to put it off to, who takes it over).
fn draw_prompt(app: &App, frame: &mut Frame, area: Rect) {
    let Some(Overlay::Prompt {
        kind, input, error, ..
    }) = &app.overlay
    else {
        return;
    };
    let theme = app.theme;
    let title = match kind {
        super::app::PromptKind::Snooze => app.text.get("task.snooze_prompt"),
        super::app::PromptKind::Reassign => app.text.get("task.reassign_prompt"),
        super::app::PromptKind::Archive => app.text.get("task.archive_prompt"),
    };
    let box_area = centered(area, 60, 5);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(" {title} "))
        .title_bottom(format!(" {} ", app.text.get("task.prompt_keys")));
    let inner = block.inner(box_area);
    clear_for_overlay(frame, box_area);
    frame.render_widget(block, box_area);
    if inner.height == 0 {
        return;
    }
    let (shown, col) = input.view(inner.width.saturating_sub(1) as usize);
    frame.render_widget(Paragraph::new(shown), Rect { height: 1, ..inner });
    frame.set_cursor_position((inner.x + col as u16, inner.y));
    if let Some(e) = error
        && inner.height > 1
    {
        frame.render_widget(
            Paragraph::new(Span::styled(e.clone(), theme.overdue())).wrap(Wrap { trim: true }),
            Rect {
                y: inner.y + 1,
                height: inner.height - 1,
                ..inner
            },
        );
    }
}

/// The contact card: every phone number (grouped for reading aloud) and workplace.
fn draw_contacts(app: &App, frame: &mut Frame, area: Rect, child: &crate::domain::Child) {
    use crate::domain::{ParentRelation, format_phone};
    let theme = app.theme;
    let mut lines: Vec<Line> = Vec::new();
    let mut row = |who: String, phone: Option<&str>, place: Option<&str>| {
        lines.push(Line::from(vec![
            Span::raw(format!("{who}  ")),
            Span::styled(phone.map(format_phone).unwrap_or_default(), theme.key()),
            Span::styled(
                place.map(|p| format!("  {p}")).unwrap_or_default(),
                theme.muted(),
            ),
        ]));
    };
    if let Some(g) = &child.guardian {
        row(
            format!(
                "{} {}({})",
                app.text.get("child.guardian"),
                g.name,
                g.relation
            ),
            g.phone.as_deref(),
            None,
        );
    }
    for p in &child.parents {
        let key = match p.relation {
            ParentRelation::Father => "child.father",
            ParentRelation::Mother => "child.mother",
        };
        row(
            format!("{} {}", app.text.get(key), p.name),
            p.phone.as_deref(),
            p.workplace.as_deref(),
        );
    }
    for c in &child.emergency_contacts {
        row(
            format!(
                "{} {}({})",
                app.text.get("child.emergency"),
                c.name,
                c.relation
            ),
            Some(c.phone.as_str()),
            None,
        );
    }
    let box_area = centered(area, 70, lines.len() as u16 + 2);
    let title = app.text.fmt("contacts.title", &[("name", &child.name)]);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(" {title} "))
        .title_bottom(format!(" {} ", app.text.get("contacts.close")));
    clear_for_overlay(frame, box_area);
    frame.render_widget(Paragraph::new(lines).block(block), box_area);
}

/// The activity form: kind, date, title, the filter and the list of who attended.
fn draw_activity(app: &App, frame: &mut Frame, area: Rect) {
    use super::activity::{ActivityField, Attendee};
    let Some((form, confirming)) = &app.activity else {
        return;
    };
    let theme = app.theme;
    let box_area = centered(area, 76, area.height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(" {} ", app.text.get("activity.title")));
    let inner = block.inner(box_area);
    clear_for_overlay(frame, box_area);
    frame.render_widget(block, box_area);
    let label = |field: ActivityField, key: &str| {
        let focused = form.focus == field;
        Span::styled(
            format!(
                "{}{:<6}",
                if focused { "▶" } else { " " },
                app.text.get(key)
            ),
            if focused { theme.key() } else { theme.muted() },
        )
    };
    let kind = match form.kind {
        crate::domain::ActivityKind::Activity => app.text.get("activity.activity"),
        crate::domain::ActivityKind::Training => app.text.get("activity.training"),
    };
    let mut lines = vec![
        Line::from(vec![
            label(ActivityField::Kind, "activity.kind"),
            Span::styled(format!(" ◀ {kind} ▶"), theme.accent()),
        ]),
        Line::from(vec![
            label(ActivityField::Date, "activity.date"),
            Span::raw(format!(" {}", form.date.text())),
        ]),
        Line::from(vec![
            label(ActivityField::Title, "activity.name"),
            Span::raw(format!(" {}", form.title.text())),
        ]),
        Line::from(vec![
            label(ActivityField::Filter, "activity.filter"),
            Span::raw(format!(" {}", form.filter.text())),
        ]),
    ];
    let chosen = app.text.fmt(
        "activity.chosen",
        &[
            ("children", &form.children().len()),
            ("guardians", &form.guardians().len()),
        ],
    );
    lines.push(Line::from(Span::styled(chosen, theme.muted())));
    let head = lines.len() as u16;
    let message = if *confirming {
        Some((
            app.text.get("activity.confirm").to_string(),
            theme.due_soon(),
        ))
    } else {
        form.error.as_ref().map(|e| (e.clone(), theme.overdue()))
    };
    let list_height = inner
        .height
        .saturating_sub(head + u16::from(message.is_some())) as usize;
    let first = form.cursor.saturating_sub(list_height.saturating_sub(1));
    for (row, &i) in form.shown.iter().enumerate().skip(first).take(list_height) {
        let Some((person, on)) = form.people.get(i) else {
            continue;
        };
        let text = match person {
            Attendee::Child { name, class, .. } => format!("{name} {class}"),
            Attendee::Guardian { name, of } => {
                format!("{} {name} ({of})", app.text.get("activity.guardian"))
            }
        };
        let selected = row == form.cursor && form.focus == ActivityField::List;
        let line = Line::from(format!(
            "{} [{}] {text}",
            if selected { "▶" } else { " " },
            if *on { "✔" } else { " " }
        ));
        lines.push(if selected {
            line.style(theme.selected())
        } else {
            line
        });
    }
    if let Some((text, style)) = message {
        lines.push(Line::from(Span::styled(text, style)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The file form: one line per roster column, scrolled to the field being filled in; the
/// mistakes, or a conflict with another teacher's save, at the bottom.
fn draw_file_form(app: &App, frame: &mut Frame, area: Rect) {
    use super::file_form::FileForm;
    let Some(form) = &app.file_form else { return };
    let theme = app.theme;
    let title = match form.editing {
        Some((id, _)) if form.survey => {
            let name = app
                .data
                .roster
                .iter()
                .find(|r| r.child.id == id)
                .map_or(String::new(), |r| r.child.name.clone());
            app.text.fmt("survey.title", &[("name", &name)])
        }
        Some(_) => app.text.fmt(
            "file.edit",
            &[("name", &form.fields.get(1).map_or("", |f| f.text()))],
        ),
        None => app.text.get("file.new").to_string(),
    };
    // As tall as its fields and a few lines of messages (the survey's five), at most the
    // screen (a file's thirty scroll).
    let box_area = centered(area, 76, form.fields.len() as u16 + 6);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(" {title} "));
    let inner = block.inner(box_area);
    clear_for_overlay(frame, box_area);
    frame.render_widget(block, box_area);
    let mut bottom: Vec<Line> = Vec::new();
    if let Some(conflict) = &form.conflict {
        // The choice first: the file as it is now may take several lines.
        bottom.push(Line::from(Span::styled(
            app.text.get("file.conflict_keys").to_string(),
            theme.key(),
        )));
        bottom.push(Line::from(Span::styled(conflict.clone(), theme.due_soon())));
    } else if form.confirm_cancel {
        bottom.push(Line::from(Span::styled(
            app.text.get("file.confirm").to_string(),
            theme.due_soon(),
        )));
    } else {
        for (_, e) in &form.errors {
            bottom.push(Line::from(Span::styled(e.clone(), theme.overdue())));
        }
    }
    let reserved = if form.conflict.is_some() {
        inner.height / 2
    } else {
        (bottom.len() as u16 * 2).min(inner.height / 2)
    };
    let list_height = inner.height.saturating_sub(reserved) as usize;
    let first = form.focus.saturating_sub(list_height.saturating_sub(1) / 2);
    let label_width = 14usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    for (i, field) in form.fields.iter().enumerate().skip(first).take(list_height) {
        let focused = i == form.focus;
        let label = if form.survey {
            super::file_form::SURVEY_FIELDS
                .get(i)
                .map_or("", |k| app.text.get(k))
        } else {
            FileForm::label(i)
        };
        let pad = label_width.saturating_sub(Line::from(label).width());
        let faulty = form.errors.iter().any(|(f, _)| *f == i);
        let style = if faulty {
            theme.overdue()
        } else if focused {
            theme.key()
        } else {
            theme.muted()
        };
        let value_width = (inner.width as usize).saturating_sub(label_width + 2);
        let (shown, col) = field.view(value_width.saturating_sub(1));
        if focused {
            cursor = Some((
                inner.x + (label_width + 2 + col) as u16,
                inner.y + (i - first) as u16,
            ));
        }
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{}{label}{} ",
                    if focused { "▶" } else { " " },
                    " ".repeat(pad)
                ),
                style,
            ),
            Span::raw(shown),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if !bottom.is_empty() {
        frame.render_widget(
            Paragraph::new(bottom).wrap(Wrap { trim: true }),
            Rect {
                y: inner.y + list_height as u16,
                height: inner.height.saturating_sub(list_height as u16),
                ..inner
            },
        );
    }
    if let Some(pos) = cursor
        && form.conflict.is_none()
        && !form.confirm_cancel
    {
        frame.set_cursor_position(pos);
    }
}
