//! Drawing a frame: the layout (side by side at ≥ 120 columns, one pane with a tab bar
//! below that), the tab bar, the bottom hint line generated from the keymap, and the message
//! for a window too small to use; each visible pane, form and overlay draws itself from its
//! own file. Reads the app's state; changes only the scroll positions that depend on the
//! frame's size. It must not draw a pane's, a form's or a popup's insides itself.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::action::{Action, Layer};
use super::app::{App, Pane};
use super::component::Look;
use super::keymap::sequence_label;
use super::widgets::fit_line;
use super::{forms, panes, popups};

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
    draw_hint(app, frame, hint);
    let today = app.today();
    let look = Look {
        rules: &app.rules,
        text: &app.text,
        theme: app.theme,
        data: &app.data,
        keymap: &app.keymap,
        today,
        focus: app.focus,
        open_child: app.child.file.as_ref().map(|c| c.name.clone()),
    };
    if app.wide && !matches!(look.focus, Pane::Report | Pane::Audit) {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(body);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)]).areas(top);
        let focus = look.focus;
        panes::roster::draw(&mut app.roster, &look, frame, left, focus == Pane::Roster);
        panes::child::draw(&mut app.child, &look, frame, right, focus == Pane::Child);
        panes::queue::draw(&mut app.queue, &look, frame, bottom, focus == Pane::Queue);
    } else {
        match look.focus {
            Pane::Roster => panes::roster::draw(&mut app.roster, &look, frame, body, true),
            Pane::Child => panes::child::draw(&mut app.child, &look, frame, body, true),
            Pane::Queue => panes::queue::draw(&mut app.queue, &look, frame, body, true),
            Pane::Report => panes::report::draw(&mut app.report, &look, frame, body, true),
            Pane::Audit => panes::audit::draw(&mut app.audit, &look, frame, body, true),
        }
    }
    // The open form or overlay, over the panes.
    if let Some(form) = &app.form {
        forms::log::draw(form, &look, frame, body);
    } else if let Some((form, confirming)) = &app.activity {
        forms::activity::draw(form, *confirming, &look, frame, body);
    } else if let Some(form) = &app.file_form {
        forms::file::draw(form, &look, frame, body);
    } else if let Some(overlay) = &mut app.overlay {
        popups::draw(overlay, &look, frame, body);
    }
    if app.draft_waiting {
        draw_draft_question(&look, frame, body);
    }
}

/// Over a restored form, at the bottom of the screen: it was restored, and it waits for
/// Enter (continue) or Esc (discard) before it takes a key.
fn draw_draft_question(look: &Look, frame: &mut Frame, area: Rect) {
    let text = super::widgets::wrap_text(
        look.text.get("draft.question"),
        area.width.saturating_sub(2) as usize,
    );
    let height = (text.len() as u16 + 2).min(area.height);
    let box_area = Rect {
        y: area.bottom().saturating_sub(height),
        height,
        ..area
    };
    let block = crate::tui::widgets::popup_block(
        look.theme,
        look.text.get("form.restored"),
        Some(look.text.get("draft.keys")),
        box_area.width,
    );
    let inner = block.inner(box_area);
    crate::tui::widgets::clear_for_overlay(frame, box_area);
    frame.render_widget(block, box_area);
    let lines: Vec<Line> = text.into_iter().map(Line::from).collect();
    frame.render_widget(Paragraph::new(lines).style(look.theme.due_soon()), inner);
}

fn draw_tabs(app: &App, frame: &mut Frame, area: Rect) {
    // Every pane by number and name; when that does not fit, the others by number only (the
    // one shown keeps its name), so no pane silently falls off the right edge.
    let tabs = |compact: bool| {
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
            } else if compact {
                spans.push(Span::raw(format!(" {} ", i + 1)));
            } else {
                spans.push(Span::raw(format!(" {label} ")));
            }
            if !compact {
                spans.push(Span::raw(" "));
            }
        }
        spans
    };
    let mut spans = tabs(false);
    if Line::from(spans.clone()).width() > area.width as usize {
        spans = tabs(true);
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
            // Every choice matters more than the group's name: it goes when they do not fit.
            if group.is_some() && Line::from(spans.clone()).width() > area.width as usize {
                spans.remove(1);
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
    // A long message or hint is shortened with …, never cut without a sign.
    frame.render_widget(Paragraph::new(fit_line(line, area.width as usize)), area);
}
