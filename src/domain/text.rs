//! Which characters a record may not hold: the ones that act on a terminal or on the order of
//! text instead of being text (control characters, the escape that starts an ANSI sequence,
//! and the bidirectional overrides and isolates that make a name read as something else).
//!
//! Also how a person's name is written once for all (and with their relation to the child): the four middle dots rosters use made
//! one, and the spaces that align a two-character name in a table (李　娜) taken out.
//!
//! Pure functions: the service refuses or normalises, the CLI escapes on the way to a
//! terminal.

/// A person's name with their relation to the child after it in `brackets`: `李秀英(祖母)`,
/// or the name alone when no relation is on file (a register often has none), never an empty
/// `()`.
pub fn with_relation(name: &str, relation: &str, (open, close): (&str, &str)) -> String {
    match relation.trim() {
        "" => name.to_string(),
        relation => format!("{name}{open}{relation}{close}"),
    }
}

/// Whether `c` acts on the terminal or on the text's direction rather than being shown:
/// C0 and C1 control characters (ESC, which starts an ANSI sequence, among them), DEL, the
/// bidirectional embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and the
/// Arabic letter mark (U+061C).
pub fn is_hidden_control(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

/// A name as stored and as looked up: the middle dots of minority names (· • ・ ． ‧ ∙)
/// written as `·`, no space beside a Chinese character (李　娜 is 李娜; rosters align
/// two-character names that way), and single spaces between words of Latin letters.
pub fn normalize_name(name: &str) -> String {
    let chars: Vec<char> = name
        .trim()
        .chars()
        // Zero-width characters pasted from a web page or a chat are no part of a name.
        .filter(|c| {
            !matches!(
                c,
                '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
            )
        })
        .map(|c| match c {
            '•' | '・' | '．' | '‧' | '∙' | '⋅' | '･' => '·',
            c => c,
        })
        .collect();
    let han = |c: &char| {
        matches!(*c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
            || *c == '·'
    };
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            let before = out.chars().last();
            let after = chars.get(j);
            if !(before.as_ref().is_some_and(han) || after.is_some_and(han)) {
                out.push(' ');
            }
            i = j;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_written_one_way() {
        for (typed, stored) in [
            ("李　娜", "李娜"),
            ("李 娜", "李娜"),
            (" 王  小 明 ", "王小明"),
            ("阿依•古丽", "阿依·古丽"),
            ("阿依・古丽", "阿依·古丽"),
            ("阿依．古丽", "阿依·古丽"),
            ("阿依 · 古丽", "阿依·古丽"),
            ("𠮷野", "𠮷野"),
            ("Mary  Jane", "Mary Jane"),
        ] {
            assert_eq!(normalize_name(typed), stored, "{typed:?}");
        }
    }

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

/// Full-width letters, digits, brackets and punctuation (what a Chinese input method types:
/// （1）, ２０２６, ：) as their ASCII forms, and the ideographic space as a space: for search
/// queries and fields that hold numbers, dates and classes. Text in prose is left alone.
pub fn half_width(s: &str) -> std::borrow::Cow<'_, str> {
    if !s
        .chars()
        .any(|c| matches!(c, '\u{ff01}'..='\u{ff5e}' | '\u{3000}'))
    {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
                '\u{3000}' => ' ',
                other => other,
            })
            .collect(),
    )
}

#[cfg(test)]
mod half_width_tests {
    use super::half_width;

    #[test]
    fn an_input_methods_full_width_forms_are_read_as_ascii() {
        assert_eq!(half_width("一（1）"), "一(1)");
        assert_eq!(half_width("２０２６－１１－２９"), "2026-11-29");
        assert_eq!(half_width("１３８　０００"), "138 000");
        assert_eq!(half_width("张小珠，好"), "张小珠,好");
        assert_eq!(half_width("张小珠"), "张小珠");
    }
}

/// `text` in at most `width` columns: whole when it fits, else cut at a character with `…`
/// at the end, so that a cut is always seen. Numbers and dates are not given to this: their
/// columns are wide enough for them.
pub fn fit(text: &str, width: usize) -> String {
    let full = unicode_width::UnicodeWidthStr::width(text);
    if full <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod relation_tests {
    use super::with_relation;

    /// A relation on file is bracketed after the name; none (or blanks) gives the name alone.
    #[test]
    fn a_name_carries_its_relation_only_when_there_is_one() {
        assert_eq!(with_relation("李秀英", "祖母", ("(", ")")), "李秀英(祖母)");
        assert_eq!(
            with_relation("李秀英", "祖母", ("（", "）")),
            "李秀英（祖母）"
        );
        assert_eq!(with_relation("贺正国", "", ("(", ")")), "贺正国");
        assert_eq!(with_relation("贺正国", "  ", (" (", ")")), "贺正国");
    }
}
