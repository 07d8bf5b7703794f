//! The help overlay: the focused pane's keys, then the global ones, from the same keymap
//! descriptions as the hint line. It scrolls and closes; it must not run actions.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::action::{Action, Layer};
use crate::tui::component::Look;
use crate::tui::component::{Ctx, Effect};
use crate::tui::keymap::{Binding, sequence_label};
use crate::tui::widgets::{centered, clear_for_overlay, popup_block, wrap_text};

/// Scrolls the help, or closes it.
pub fn key(scroll: &mut usize, event: KeyEvent, ctx: &mut Ctx<'_>) {
    match event.code {
        KeyCode::Char('j') | KeyCode::Down => *scroll += 1,
        KeyCode::Char('k') | KeyCode::Up => *scroll = scroll.saturating_sub(1),
        KeyCode::PageDown => *scroll += 10,
        KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
        KeyCode::Char('g') | KeyCode::Home => *scroll = 0,
        KeyCode::Char('G') | KeyCode::End => *scroll = usize::MAX / 2,
        KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('?') | KeyCode::Enter => {
            ctx.push(Effect::Close)
        }
        _ => {}
    }
}

/// The help's lines for a box `width` cells wide: the pane's keys, then the global ones,
/// keys of one action together, then the legend, wrapped to the width.
pub fn lines(look: &Look, width: u16) -> Vec<Line<'static>> {
    let theme = look.theme;
    let lang = look.lang();
    let mut lines = Vec::new();
    let section = |title: String, bindings: &[Binding], lines: &mut Vec<Line<'static>>| {
        if bindings.is_empty() {
            return;
        }
        lines.push(Line::from(Span::styled(title, theme.title())));
        let mut grouped: Vec<(Action, Vec<String>, String)> = Vec::new();
        for b in bindings.iter().filter(|b| look.data.may_run(b.action)) {
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
    let layer = look.focus.layer();
    section(
        look.text.get(look.focus.title_key()).to_string(),
        look.keymap.bindings(layer),
        &mut lines,
    );
    section(
        look.text.get("help.global").to_string(),
        look.keymap.bindings(Layer::Global),
        &mut lines,
    );
    for key in ["help.legend", "help.input"] {
        for part in wrap_text(look.text.get(key), width.saturating_sub(2) as usize) {
            lines.push(Line::from(Span::styled(part, theme.muted())));
        }
    }
    lines
}

pub fn draw(scroll: usize, look: &Look, frame: &mut Frame, area: Rect) {
    let width = centered(area, 76, area.height).width;
    let lines = lines(look, width);
    let box_area = centered(area, 76, lines.len() as u16 + 2);
    let inner_height = box_area.height.saturating_sub(2) as usize;
    let max_scroll = lines.len().saturating_sub(inner_height);
    let scroll = scroll.min(max_scroll) as u16;
    let block = popup_block(
        look.theme,
        look.text.get("help.title"),
        Some(look.text.get("help.close")),
        box_area.width,
    );
    clear_for_overlay(frame, box_area);
    frame.render_widget(
        Paragraph::new(lines).block(block).scroll((scroll, 0)),
        box_area,
    );
}
