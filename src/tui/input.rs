//! A one-line text box that handles Chinese: input-method text arrives as characters and is
//! inserted whole; the cursor moves by grapheme (a letter with its accents, an emoji with its
//! modifiers) and is placed by display width (a hanzi takes two columns); a paste is inserted
//! at the cursor. Knows nothing of what the text means.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Byte offset of the cursor, always on a grapheme boundary.
    cursor: usize,
}

impl TextInput {
    pub fn new(text: &str) -> TextInput {
        TextInput {
            text: text.to_string(),
            cursor: text.len(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Inserts text at the cursor (a typed character, an input method's word, a paste).
    /// Line breaks and other control characters become spaces: the box holds one line.
    pub fn insert(&mut self, s: &str) {
        let clean: String = s
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
    }

    fn prev_boundary(&self) -> Option<usize> {
        self.text[..self.cursor]
            .grapheme_indices(true)
            .next_back()
            .map(|(i, _)| i)
    }

    fn next_boundary(&self) -> Option<usize> {
        self.text[self.cursor..]
            .graphemes(true)
            .next()
            .map(|g| self.cursor + g.len())
    }

    /// Deletes the grapheme before the cursor.
    pub fn backspace(&mut self) {
        if let Some(start) = self.prev_boundary() {
            self.text.replace_range(start..self.cursor, "");
            self.cursor = start;
        }
    }

    /// Deletes the grapheme under the cursor.
    pub fn delete(&mut self) {
        if let Some(end) = self.next_boundary() {
            self.text.replace_range(self.cursor..end, "");
        }
    }

    pub fn left(&mut self) {
        if let Some(i) = self.prev_boundary() {
            self.cursor = i;
        }
    }

    pub fn right(&mut self) {
        if let Some(i) = self.next_boundary() {
            self.cursor = i;
        }
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// Applies an editing key (←/→, Home/End, Backspace/Delete, C-u, a typed character);
    /// returns whether it was one.
    pub fn edit(&mut self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        match event.code {
            KeyCode::Left => self.left(),
            KeyCode::Right => self.right(),
            KeyCode::Home => self.home(),
            KeyCode::End => self.end(),
            KeyCode::Backspace => self.backspace(),
            KeyCode::Delete => self.delete(),
            KeyCode::Char('u') if ctrl => self.clear(),
            KeyCode::Char(c) if !ctrl => self.insert(c.encode_utf8(&mut [0; 4])),
            _ => return false,
        }
        true
    }

    /// The part of the text shown in `width` columns, and the cursor's column in it: the
    /// view scrolls so that the cursor is always visible.
    pub fn view(&self, width: usize) -> (String, usize) {
        let width = width.max(1);
        let before = &self.text[..self.cursor];
        let cursor_col = before.width();
        // Drop graphemes from the start until the cursor fits (one column for it).
        let mut start = 0;
        let mut dropped = 0;
        if cursor_col + 1 > width {
            for g in self.text.graphemes(true) {
                if cursor_col - dropped < width {
                    break;
                }
                dropped += g.width();
                start += g.len();
            }
        }
        let mut shown = String::new();
        let mut used = 0;
        for g in self.text[start..].graphemes(true) {
            let w = g.width();
            if used + w > width {
                break;
            }
            shown.push_str(g);
            used += w;
        }
        (shown, cursor_col - dropped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_moves_by_grapheme_and_places_by_width() {
        let mut t = TextInput::new("");
        t.insert("期中");
        t.insert("考试");
        assert_eq!(t.text(), "期中考试");
        t.left();
        t.left();
        t.insert("后");
        assert_eq!(t.text(), "期中后考试");
        assert_eq!(t.view(40), ("期中后考试".to_string(), 6));
        t.backspace();
        assert_eq!(t.text(), "期中考试");
        t.home();
        t.delete();
        assert_eq!(t.text(), "中考试");
        // An emoji with a skin tone is one grapheme: one backspace removes it whole.
        t.end();
        t.insert("👍🏽");
        t.backspace();
        assert_eq!(t.text(), "中考试");
    }

    #[test]
    fn a_paste_is_one_line_and_the_view_follows_the_cursor() {
        let mut t = TextInput::new("");
        t.insert("奶奶反映\n作业无人辅导");
        assert_eq!(t.text(), "奶奶反映 作业无人辅导");
        let (shown, col) = t.view(10);
        assert!(shown.width() <= 10, "{shown}");
        assert!(col < 10, "the cursor is on screen: {col}");
        assert!(shown.ends_with("辅导"), "{shown}");
        t.home();
        assert_eq!(t.view(10).1, 0);
        assert!(t.view(10).0.starts_with("奶奶"));
        // Any width, even none, is safe.
        for w in 0..4 {
            let _ = t.view(w);
        }
    }
}
