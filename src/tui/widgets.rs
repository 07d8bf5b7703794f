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

/// The block around a pane: its title, and a bold border when it has the keyboard.
pub fn pane_block(theme: Theme, title: Line<'_>, focused: bool) -> Block<'_> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(focused))
        .title(title)
}

/// The block around a form or a popup: a bold border, its title, and its keys at the bottom.
pub fn popup_block(theme: Theme, title: &str, keys: Option<&str>) -> Block<'static> {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(format!(" {title} "));
    match keys {
        Some(keys) => block.title_bottom(format!(" {keys} ")),
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
