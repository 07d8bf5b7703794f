//! Listings as aligned tables (by display width: a hanzi takes two columns), TSV, or JSON,
//! and the escaping of what reaches a terminal: no record may move a colleague's cursor,
//! change their terminal's colours or reverse the direction of a line.

use std::io::Write;

use unicode_width::UnicodeWidthStr;

/// `text` with every character that acts on a terminal or on the text's direction written
/// as `\uXXXX` (line breaks and tabs stay: they are the layout). Valid inside a JSON string
/// too.
pub fn escape_for_terminal(text: &str) -> std::borrow::Cow<'_, str> {
    use crate::domain::is_hidden_control;
    let hidden = |c: char| is_hidden_control(c) && c != '\n' && c != '\t';
    if !text.chars().any(hidden) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// A writer for a terminal: the text passing through is escaped as
/// [`escape_for_terminal`] says; bytes that are not UTF-8 are written as `\xNN`.
pub struct TerminalSafe<W: Write> {
    inner: W,
    /// The start of a character cut by the end of the last write.
    pending: Vec<u8>,
}

impl<W: Write> TerminalSafe<W> {
    pub fn new(inner: W) -> TerminalSafe<W> {
        TerminalSafe {
            inner,
            pending: Vec::new(),
        }
    }

    fn pass(&mut self, end_of_input: bool) -> std::io::Result<()> {
        let mut rest: &[u8] = &self.pending;
        let mut text = String::new();
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    text.push_str(s);
                    rest = &[];
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    text.push_str(std::str::from_utf8(good).unwrap_or_default());
                    match e.error_len() {
                        Some(n) => {
                            for b in &bad[..n] {
                                text.push_str(&format!("\\x{b:02x}"));
                            }
                            rest = &bad[n..];
                        }
                        // A character cut short: the rest comes with the next write.
                        None if !end_of_input => {
                            rest = bad;
                            break;
                        }
                        None => {
                            for b in bad {
                                text.push_str(&format!("\\x{b:02x}"));
                            }
                            rest = &[];
                            break;
                        }
                    }
                }
            }
        }
        let keep = rest.to_vec();
        self.inner
            .write_all(escape_for_terminal(&text).as_bytes())?;
        self.pending = keep;
        Ok(())
    }
}

impl<W: Write> Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.pass(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.pass(true)?;
        self.inner.flush()
    }
}

/// Writes rows as columns padded to the widest cell by display width.
pub fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    // Every row has a cell under each label (a column without a label misleads the reader).
    debug_assert!(rows.iter().all(|r| r.len() == header.len()), "{header:?}");
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.width());
            }
        }
    }
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows) {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let last = i + 1 == row.len();
            line.push_str(cell);
            if !last {
                let pad = widths
                    .get(i)
                    .copied()
                    .unwrap_or(0)
                    .saturating_sub(cell.width());
                line.extend(std::iter::repeat_n(' ', pad + 2));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// A cell for TSV: tabs and line breaks become spaces so every record stays on one line.
/// Whether a cell holds a tab or a line break, which TSV cannot carry.
fn breaks_tsv(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r'))
}

pub fn tsv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if breaks_tsv(s) {
        s.chars()
            .map(|c| {
                if matches!(c, '\t' | '\n' | '\r') {
                    ' '
                } else {
                    c
                }
            })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// A number with one decimal, as the urgency is shown (`266.0`), without the slow path of
/// float formatting.
pub fn one_decimal(x: f64) -> String {
    let mut s = String::new();
    push_tenths(&mut s, x);
    s
}

fn push_tenths(buf: &mut String, x: f64) {
    let tenths = (x * 10.0).round() as i64;
    if tenths < 0 {
        buf.push('-');
    }
    push_int(buf, tenths.abs() / 10);
    buf.push('.');
    push_int(buf, tenths.abs() % 10);
}

/// A TSV line built in place: cells appended to one buffer (no String per cell), written
/// out in large pieces. Text cells lose their tabs and line breaks as [`tsv_cell`] does.
pub struct TsvLines<'o> {
    out: &'o mut dyn Write,
    buf: String,
    first: bool,
}

impl<'o> TsvLines<'o> {
    pub fn new(out: &'o mut dyn Write) -> TsvLines<'o> {
        TsvLines {
            out,
            buf: String::with_capacity(1 << 16),
            first: true,
        }
    }

    fn sep(&mut self) {
        if !self.first {
            self.buf.push('\t');
        }
        self.first = false;
    }

    pub fn text(&mut self, s: &str) -> &mut Self {
        self.sep();
        if breaks_tsv(s) {
            self.buf.extend(s.chars().map(|c| match c {
                '\t' | '\n' | '\r' => ' ',
                c => c,
            }));
        } else {
            self.buf.push_str(s);
        }
        self
    }

    pub fn int(&mut self, n: i64) -> &mut Self {
        self.sep();
        push_int(&mut self.buf, n);
        self
    }

    /// `2026-11-29`.
    pub fn date(&mut self, d: chrono::NaiveDate) -> &mut Self {
        use chrono::Datelike;
        self.sep();
        let (y, m, day) = (d.year(), d.month(), d.day());
        if (0..=9999).contains(&y) {
            let digits = [
                y / 1000,
                y / 100 % 10,
                y / 10 % 10,
                y % 10,
                -1,
                (m / 10) as i32,
                (m % 10) as i32,
                -1,
                (day / 10) as i32,
                (day % 10) as i32,
            ];
            self.buf.extend(
                digits
                    .iter()
                    .map(|&g| char::from_digit(g as u32, 10).unwrap_or('-')),
            );
        } else {
            self.buf.push_str(&d.to_string());
        }
        self
    }

    /// A number with one decimal, as [`one_decimal`].
    pub fn tenths(&mut self, x: f64) -> &mut Self {
        self.sep();
        push_tenths(&mut self.buf, x);
        self
    }

    /// Ends the line; the buffer goes out when it is large.
    pub fn end(&mut self) -> std::io::Result<()> {
        self.buf.push('\n');
        self.first = true;
        if self.buf.len() >= (1 << 16) - 512 {
            self.out.write_all(self.buf.as_bytes())?;
            self.buf.clear();
        }
        Ok(())
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.write_all(self.buf.as_bytes())?;
        self.buf.clear();
        Ok(())
    }
}

fn push_int(buf: &mut String, n: i64) {
    if n < 0 {
        buf.push('-');
    }
    let mut digits = [0u8; 20];
    let mut v = n.unsigned_abs();
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf.extend(digits[i..].iter().map(|&b| b as char));
}

pub fn tsv(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    writeln!(out, "{}", header.join("\t"))?;
    for row in rows {
        let cells: Vec<_> = row.iter().map(|c| tsv_cell(c)).collect();
        writeln!(out, "{}", cells.join("\t"))?;
    }
    Ok(())
}

pub fn json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tsv_lines_write_what_format_would() {
        let mut out = Vec::new();
        let mut t = super::TsvLines::new(&mut out);
        let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 9).unwrap();
        t.text("张\t小珠")
            .int(-42)
            .int(0)
            .date(d)
            .tenths(266.04)
            .tenths(-0.25);
        t.end().unwrap();
        t.text("").int(i64::MIN).end().unwrap();
        t.finish().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("张 小珠\t-42\t0\t2026-01-09\t266.0\t-0.3\n\t{}\n", i64::MIN)
        );
    }

    use super::*;

    #[test]
    fn aligns_chinese_by_display_width() {
        let mut out = Vec::new();
        table(
            &mut out,
            &["姓名", "班级"],
            &[
                vec!["张小珠".into(), "七(2)班".into()],
                vec!["Li".into(), "八(1)班".into()],
            ],
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "姓名    班级");
        assert_eq!(lines[1], "张小珠  七(2)班");
        assert_eq!(lines[2], "Li      八(1)班");
    }

    #[test]
    fn a_record_cannot_drive_the_terminal_or_turn_a_line_around() {
        assert_eq!(escape_for_terminal("张小珠"), "张小珠");
        assert_eq!(
            escape_for_terminal("a\u{1b}[2J\u{202e}b\r\tc\n"),
            "a\\u001b[2J\\u202eb\\u000d\tc\n"
        );
        // Through the writer, with a character cut between two writes, and a broken byte.
        let mut out = TerminalSafe::new(Vec::new());
        let bytes = "李\u{1b}]0;x\u{7}老师".as_bytes();
        out.write_all(&bytes[..2]).unwrap();
        out.write_all(&bytes[2..]).unwrap();
        out.write_all(&[0xff, b'\n']).unwrap();
        out.flush().unwrap();
        assert_eq!(
            String::from_utf8(out.inner).unwrap(),
            "李\\u001b]0;x\\u0007老师\\xff\n"
        );
    }

    #[test]
    fn tsv_keeps_records_on_one_line() {
        assert_eq!(tsv_cell("a\tb\nc"), "a b c");
        assert_eq!(tsv_cell("张小珠"), "张小珠");
    }

    #[test]
    fn one_decimal_rounds_like_format() {
        for x in [0.0, 1.26, 266.04, -3.0, 15.94, 1e6] {
            assert_eq!(one_decimal(x), format!("{x:.1}"), "{x}");
        }
    }
}

/// `s` cut to at most `width` display columns, with `…` where it was cut (the one way it
/// is done everywhere).
pub use crate::domain::fit;

#[cfg(test)]
mod fit_tests {
    use super::fit;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn cuts_by_display_width() {
        assert_eq!(fit("张小珠", 8), "张小珠");
        assert_eq!(fit("欧阳娜娜娜", 8), "欧阳娜…");
        assert!(fit("欧阳娜娜娜", 8).width() <= 8);
        assert_eq!(fit("abcdefghij", 5), "abcd…");
    }
}
