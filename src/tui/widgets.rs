//! Small drawing and list helpers every pane, form and popup uses: the block around a pane,
//! a centred box, clearing under an overlay, and a scrollable list's position. They know
//! nothing of the app, the service or any one pane, so drawing code depends on them and never
//! the other way round.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear};

use super::action::Action;
use super::theme::Theme;

/// The block around a pane of `width` columns: its title (shortened with … when it does not
/// fit), and a bold border when it has the keyboard.
pub fn pane_block(theme: Theme, title: Line<'_>, focused: bool, width: u16) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(fit_line(title, width.saturating_sub(2) as usize))
}

pub use crate::domain::fit;

/// `text` in lines of at most `width` columns, nothing cut: broken at a space, or between
/// two Chinese characters, never inside a number, a date or a word (120人, 80.8%, 2026-11-29
/// stay whole unless one alone is wider than the line).
pub fn wrap_text(text: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let cjk = |c: char| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) > 1;
    // Pieces that may not be broken: a run of narrow non-space characters, one wide
    // character, or one space.
    let mut pieces: Vec<String> = Vec::new();
    for c in text.chars() {
        let joins = match pieces.last() {
            Some(last) => {
                let prev = last.chars().last().unwrap_or(' ');
                !cjk(c) && !c.is_whitespace() && !cjk(prev) && !prev.is_whitespace()
            }
            None => false,
        };
        match pieces.last_mut() {
            Some(last) if joins => last.push(c),
            _ => pieces.push(c.to_string()),
        }
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for piece in pieces {
        let w = unicode_width::UnicodeWidthStr::width(piece.as_str());
        if used + w > width && !line.trim().is_empty() {
            lines.push(line.trim_end().to_string());
            line.clear();
            used = 0;
            if piece.trim().is_empty() {
                continue;
            }
        }
        if w > width {
            // A piece wider than a whole line: broken between its characters.
            for c in piece.chars() {
                let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                if used + cw > width {
                    lines.push(line.trim_end().to_string());
                    line.clear();
                    used = 0;
                }
                line.push(c);
                used += cw;
            }
            continue;
        }
        line.push_str(&piece);
        used += w;
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// Lines of text in `width` columns: each longer one broken as [`wrap_text`] breaks it, its
/// style and alignment kept (for a pane of prose, where ratatui's own wrapping would split a
/// number).
pub fn rewrap(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.width() <= width || line.spans.len() != 1 {
            out.push(line);
            continue;
        }
        let span_style = line.spans[0].style;
        for part in wrap_text(&line.spans[0].content, width) {
            let mut l = Line::from(ratatui::text::Span::styled(part, span_style)).style(line.style);
            l.alignment = line.alignment;
            out.push(l);
        }
    }
    out
}

/// `line` in at most `width` columns, its spans' styles kept: cut with `…` like [`fit`].
pub fn fit_line(line: Line<'_>, width: usize) -> Line<'static> {
    let style = line.style;
    if line.width() <= width {
        let spans: Vec<ratatui::text::Span<'static>> = line
            .spans
            .into_iter()
            .map(|s| ratatui::text::Span::styled(s.content.into_owned(), s.style))
            .collect();
        return Line::from(spans).style(style);
    }
    // Room for the … in the last column.
    let mut left = width.saturating_sub(1);
    let mut spans = Vec::new();
    for span in line.spans {
        let w = span.width();
        if w <= left {
            left -= w;
            spans.push(ratatui::text::Span::styled(
                span.content.into_owned(),
                span.style,
            ));
            continue;
        }
        let mut kept = String::new();
        for c in span.content.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if cw > left {
                break;
            }
            kept.push(c);
            left -= cw;
        }
        kept.push('…');
        spans.push(ratatui::text::Span::styled(kept, span.style));
        return Line::from(spans).style(style);
    }
    if let Some(last) = spans.last_mut() {
        last.content.to_mut().push('…');
    }
    Line::from(spans).style(style)
}

/// The block around a form or a popup: a bold border, its title, and its keys at the bottom.
/// The block's width is `width`: a title or keys longer than it are shortened with ….
pub fn popup_block(theme: Theme, title: &str, keys: Option<&str>, width: u16) -> Block<'static> {
    let room = width.saturating_sub(2) as usize;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(fit(&format!(" {title} "), room));
    match keys {
        Some(keys) => block.title_bottom(fit(&format!(" {keys} "), room)),
        None => block,
    }
}

/// Clears `area` for an overlay. A wide character just left of it would reach into its
/// first column and hide the border (ratatui #2526): it is blanked too.
pub fn clear_for_overlay(frame: &mut Frame, area: Rect) {
    frame.render_widget(Clear, area);
    if area.x == 0 {
        return;
    }
    let buf = frame.buffer_mut();
    for y in area.top()..area.bottom() {
        let cell = &mut buf[(area.x - 1, y)];
        if unicode_width::UnicodeWidthStr::width(cell.symbol()) > 1 {
            cell.set_symbol(" ");
        }
    }
}

/// A box of at most `w`×`h` in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// A scrollable list's position.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListPos {
    pub selected: usize,
    pub offset: usize,
    /// Rows visible at the last draw (what a page is).
    pub page: usize,
}

impl ListPos {
    pub fn apply(&mut self, action: Action, len: usize) -> bool {
        let before = self.selected;
        let page = self.page.max(1);
        let last = len.saturating_sub(1);
        self.selected = match action {
            Action::Down => (self.selected + 1).min(last),
            Action::Up => self.selected.saturating_sub(1),
            Action::Top => 0,
            Action::Bottom => last,
            Action::PageDown => (self.selected + page).min(last),
            Action::PageUp => self.selected.saturating_sub(page),
            _ => return false,
        };
        self.selected != before
    }

    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }

    /// Keeps the selection visible in `height` rows of a list of `len`, with no empty rows
    /// below the list's end while there is more above; returns the first visible row.
    pub fn scroll_into_view(&mut self, height: usize, len: usize) -> usize {
        self.page = height.max(1);
        self.offset = self.offset.min(len.saturating_sub(height));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if height > 0 && self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset
    }

    /// The items of `items` shown in `height` rows, scrolled to the selection, with their
    /// indices.
    pub fn visible<'a, T>(
        &mut self,
        items: &'a [T],
        height: usize,
    ) -> impl Iterator<Item = (usize, &'a T)> + use<'a, T> {
        let first = self.scroll_into_view(height, items.len());
        items.iter().enumerate().skip(first).take(height)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::text::Span;

    #[test]
    fn a_cut_is_always_marked_and_what_fits_is_whole() {
        assert_eq!(fit("张小珠", 6), "张小珠");
        assert_eq!(fit("call or letter to parents", 10), "call or l…");
        assert_eq!(fit("亲情通话或写信", 7), "亲情通…");
        assert_eq!(fit("abc", 0), "");
        let line = Line::from(vec![
            Span::raw(" 张小珠 · 七(2)班"),
            Span::raw(" · 帮扶: 李老师 "),
        ]);
        assert_eq!(fit_line(line.clone(), 40).to_string(), line.to_string());
        let cut = fit_line(line, 16);
        assert_eq!(cut.to_string(), " 张小珠 · 七(2)…");
        assert!(cut.width() <= 16);
        // Cut at a span's end: the … still shows.
        let two = Line::from(vec![Span::raw("abcd"), Span::raw("efgh")]);
        assert_eq!(fit_line(two, 5).to_string(), "abcd…");
    }

    #[test]
    fn wrapping_keeps_every_character_and_breaks_at_spaces_first() {
        let text = "In a text box: Enter confirms, Esc cancels";
        let lines = wrap_text(text, 16);
        assert_eq!(
            lines,
            vec!["In a text box:", "Enter confirms,", "Esc cancels"]
        );
        // Numbers and percentages stay whole.
        let report = wrap_text("在册留守儿童120人，占80.8%，截至2026-11-29", 12);
        assert!(report.iter().any(|l| l.contains("120")), "{report:?}");
        assert!(report.iter().any(|l| l.contains("80.8%")), "{report:?}");
        assert!(
            report.iter().any(|l| l.contains("2026-11-29")),
            "{report:?}"
        );
        let zh = wrap_text("★ 重点帮扶 ⚠ 2 两项逾期 红色: 逾期天数", 12);
        assert!(
            zh.iter()
                .all(|l| unicode_width::UnicodeWidthStr::width(l.as_str()) <= 12),
            "{zh:?}"
        );
        let joined: String = zh.concat().chars().filter(|c| *c != ' ').collect();
        assert_eq!(joined, "★重点帮扶⚠2两项逾期红色:逾期天数");
    }
}
