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
pub fn tsv_cell(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

pub fn tsv(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    writeln!(out, "{}", header.join("\t"))?;
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| tsv_cell(c)).collect();
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
    }
}
