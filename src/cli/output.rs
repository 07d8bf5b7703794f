//! Listings as aligned tables (by display width: a hanzi takes two columns), TSV, or JSON.

use std::io::Write;

use unicode_width::UnicodeWidthStr;

/// Writes rows as columns padded to the widest cell by display width.
pub fn table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
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
pub fn tsv_cell(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(['\t', '\n', '\r']) {
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
    let tenths = (x * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    format!("{sign}{}.{}", tenths.abs() / 10, tenths.abs() % 10)
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

/// `s` cut to at most `width` display columns, with `…` where it was cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
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
