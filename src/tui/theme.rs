//! Colours with meaning, from the 16 ANSI colours only, and none at all under NO_COLOR.
//! Colour always comes with text that says the same thing (逾期 59天 is red, and says so).

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless NO_COLOR is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        Theme::with_no_color(std::env::var_os("NO_COLOR").as_deref())
    }

    /// The theme for a value of NO_COLOR (`None`: not set).
    pub fn with_no_color(value: Option<&std::ffi::OsStr>) -> Theme {
        Theme {
            color: value.is_none_or(|v| v.is_empty()),
        }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn overdue(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }
    pub fn due_soon(&self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn muted(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }
    pub fn accent(&self) -> Style {
        self.fg(Color::Cyan)
    }
    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }
    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            self.muted()
        }
    }
    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_set_to_anything_turns_colour_off() {
        assert!(Theme::with_no_color(None).color);
        assert!(Theme::with_no_color(Some("".as_ref())).color);
        assert!(!Theme::with_no_color(Some("1".as_ref())).color);
        let plain = Theme::with_no_color(Some("yes".as_ref()));
        assert_eq!(plain.overdue().fg, None);
        assert_eq!(plain.due_soon(), Style::new());
        assert_eq!(Theme { color: true }.overdue().fg, Some(Color::Red));
    }
}
