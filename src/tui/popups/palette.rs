//! The command palette: every action this user may run in the focused pane, found by its
//! description, its name or its pinyin, run by Enter. It only chooses; the app runs the
//! action.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::action::{Action, Layer};
use crate::tui::component::Look;
use crate::tui::component::{Ctx, Effect};
use crate::tui::data::Data;
use crate::tui::keymap::{Keymap, sequence_label};
use crate::tui::widgets::{ListPos, centered, clear_for_overlay, popup_block};

/// The actions the palette offers for `input` in `layer`, best first, with their
/// descriptions and keys: every action this user may run, those of another pane with its
/// name (running one goes to that pane). Each is found by its Chinese and English
/// descriptions, its name, and the pinyin of its Chinese (xj or xinjian for 新建).
pub fn items(
    keymap: &Keymap,
    data: &Data,
    lang: crate::i18n::Lang,
    layer: Layer,
    input: &str,
) -> Vec<(Action, String, String)> {
    use fuzzy_matcher::FuzzyMatcher;
    let matcher = fuzzy_matcher::skim::SkimMatcherV2::default().ignore_case();
    let input = crate::domain::half_width(input);
    let mut items: Vec<(i64, Action, String, String)> = Action::ALL
        .iter()
        .filter(|a| data.may_run(**a))
        .filter_map(|&a| {
            let here = a.layers().contains(&layer) || a.layers().contains(&Layer::Global);
            // The binding where it is run: here (or everywhere), else its first pane's.
            let (binding, pane) = if here {
                (
                    keymap
                        .keys_for(layer, a)
                        .or_else(|| keymap.keys_for(Layer::Global, a)),
                    None,
                )
            } else {
                let other = a.layers().iter().copied().find(|l| *l != Layer::Global)?;
                (keymap.keys_for(other, a), Some(other))
            };
            let desc = binding.map_or(a.name().to_string(), |b| b.desc(lang).into());
            let mut keys = binding.map_or(String::new(), |b| sequence_label(&b.keys));
            if let Some(pane) = pane {
                keys = format!("{keys} ({})", pane_name(pane, lang));
            }
            let (zh, en) = binding.map_or((String::new(), String::new()), |b| {
                (
                    b.desc(crate::i18n::Lang::Zh).to_string(),
                    b.desc(crate::i18n::Lang::En).to_string(),
                )
            });
            let (initials, full) = crate::search::pinyin_keys(&zh);
            let hay = format!(
                "{zh} {en} {} {} {}",
                a.name(),
                initials.join(" "),
                full.join(" ")
            );
            let score = if input.is_empty() {
                0
            } else {
                matcher.fuzzy_match(&hay, &input)?
            };
            // What works here comes before what takes you to another pane.
            let score = if pane.is_none() { score + 1 } else { score };
            Some((score, a, desc, keys))
        })
        .collect();
    items.sort_by_key(|item| std::cmp::Reverse(item.0));
    items.into_iter().map(|(_, a, d, k)| (a, d, k)).collect()
}

/// A pane's name for the palette.
fn pane_name(layer: Layer, lang: crate::i18n::Lang) -> &'static str {
    match layer {
        Layer::Roster => lang.pick("名册", "roster"),
        Layer::Child => lang.pick("档案", "child"),
        Layer::Queue => lang.pick("待办", "queue"),
        Layer::Report => lang.pick("报告", "report"),
        Layer::Audit => lang.pick("审计", "audit"),
        Layer::Global => "",
    }
}

/// Typing filters, the arrows choose, Enter runs the choice.
pub fn key(input: &mut String, pos: &mut ListPos, event: KeyEvent, ctx: &mut Ctx<'_>) {
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    match event.code {
        KeyCode::Esc => ctx.push(Effect::Close),
        KeyCode::Char('c') if ctrl => ctx.push(Effect::Close),
        KeyCode::Down => pos.selected += 1,
        KeyCode::Char('n') if ctrl => pos.selected += 1,
        KeyCode::Up => pos.selected = pos.selected.saturating_sub(1),
        KeyCode::Char('p') if ctrl => pos.selected = pos.selected.saturating_sub(1),
        KeyCode::Char('u') if ctrl => input.clear(),
        KeyCode::Backspace => {
            input.pop();
            pos.selected = 0;
        }
        KeyCode::Enter => {
            let chosen = pos.selected;
            let items = items(ctx.keymap, ctx.data, ctx.lang(), ctx.focus.layer(), input);
            ctx.push(Effect::Close);
            if let Some((action, _, _)) = items.get(chosen.min(items.len().saturating_sub(1))) {
                ctx.push(Effect::Run(*action));
            }
        }
        KeyCode::Char(c) if !ctrl => {
            input.push(c);
            pos.selected = 0;
        }
        _ => {}
    }
}

pub fn draw(input: &str, pos: &mut ListPos, look: &Look, frame: &mut Frame, area: Rect) {
    let items = items(
        look.keymap,
        look.data,
        look.lang(),
        look.focus.layer(),
        input,
    );
    pos.clamp(items.len());
    let box_area = centered(area, 60, (items.len() as u16 + 4).min(18));
    let block = popup_block(
        look.theme,
        look.text.get("palette.title"),
        Some(look.text.get("palette.hint")),
        box_area.width,
    );
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
            Span::styled(": ", look.theme.key()),
            Span::raw(input.to_string()),
            Span::styled("▏", look.theme.accent()),
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
                look.theme.selected()
            } else {
                Style::new()
            };
            Line::from(vec![
                Span::styled(format!("{desc}  "), style),
                Span::styled(keys.clone(), look.theme.key()),
                Span::styled(format!("  {}", action.name()), look.theme.muted()),
            ])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);
}
