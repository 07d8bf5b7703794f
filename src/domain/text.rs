//! Which characters a record may not hold: the ones that act on a terminal or on the order of
//! text instead of being text (control characters, the escape that starts an ANSI sequence,
//! and the bidirectional overrides and isolates that make a name read as something else).
//!
//! A pure predicate: the service refuses such text, the CLI escapes it on its way to a
//! terminal; nothing here changes a string.

/// Whether `c` acts on the terminal or on the text's direction rather than being shown:
/// C0 and C1 control characters (ESC, which starts an ANSI sequence, among them), DEL, the
/// bidirectional embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and the
/// Arabic letter mark (U+061C).
pub fn is_hidden_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_escapes_and_direction_overrides_are_hidden_and_text_is_not() {
        for c in [
            '\u{1b}', '\n', '\t', '\r', '\u{7f}', '\u{9b}', '\u{202A}', '\u{202E}', '\u{2066}',
            '\u{2069}', '\u{061C}',
        ] {
            assert!(is_hidden_control(c), "{:?}", c);
        }
        for c in [
            '张', 'a', ' ', '(', '·', '\u{3000}', '\u{202F}', '\u{2065}', '\u{206A}',
        ] {
            assert!(!is_hidden_control(c), "{:?}", c);
        }
    }
}
