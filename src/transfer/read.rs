//! Reading a table (header row + data rows) out of a CSV or .xlsx file's bytes.

use std::io::Cursor;

use calamine::{Data, Reader};
use chrono::NaiveDate;

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A number (a date column may hold an Excel serial date this way).
    Number(f64),
    /// A cell Excel formatted as a date.
    Date(NaiveDate),
    Empty,
}

impl Cell {
    /// The cell as text, as a teacher would read it.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// A table read from a file: its header row and its data rows with their line (CSV) or row
/// (xlsx) numbers, as the user would find them in their editor.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<Cell>)>,
    /// The sheet the rows came from (xlsx).
    pub sheet: Option<String>,
}

/// Why a file could not be read as a table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not text (it holds binary data), nor an .xlsx workbook")]
    Binary,
    #[error("the file is neither UTF-8 nor GBK/GB18030 text")]
    Encoding,
    #[error("the workbook cannot be read: {0}")]
    Xlsx(String),
    #[error("no sheet named {name:?}; sheets: {available:?}")]
    NoSheet {
        name: String,
        available: Vec<String>,
    },
    #[error("line {line}: {reason}")]
    Csv { line: usize, reason: String },
    #[error("the table has no header row")]
    NoHeader,
}

impl TableError {
    pub fn zh(&self) -> String {
        match self {
            TableError::Empty => "文件是空的".into(),
            TableError::Binary => "文件不是文本 (含二进制数据), 也不是 .xlsx 工作簿".into(),
            TableError::Encoding => "文件既不是 UTF-8 也不是 GBK/GB18030 编码的文本".into(),
            TableError::Xlsx(r) => format!("无法读取工作簿 (文件可能不完整或已损坏): {r}"),
            TableError::NoSheet { name, available } => {
                format!(
                    "没有名为 \"{name}\" 的工作表; 现有工作表: {}",
                    available.join(", ")
                )
            }
            TableError::Csv { line, reason } => format!("第 {line} 行: {reason}"),
            TableError::NoHeader => "表格没有标题行".into(),
        }
    }
}

/// Whether the bytes are an .xlsx (zip) file.
pub fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// Reads the table: .xlsx when the bytes are a zip or the name ends in .xlsx, CSV otherwise.
/// `sheet` names the sheet of a workbook; without it, the first sheet whose first row holds a
/// known roster header (`is_header`), else the first sheet.
pub fn read_table(
    bytes: &[u8],
    name: &str,
    sheet: Option<&str>,
    is_header: impl Fn(&str) -> bool,
) -> Result<Table, TableError> {
    if bytes.is_empty() {
        return Err(TableError::Empty);
    }
    let lower = name.to_lowercase();
    if is_xlsx(bytes) || lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        read_xlsx(bytes, sheet, is_header)
    } else {
        read_csv(bytes)
    }
}

/// CSV text: a UTF-8 BOM or valid UTF-8 is UTF-8; anything else must be GB18030 (GBK's
/// superset, what Excel writes on Chinese Windows).
pub fn decode_text(bytes: &[u8]) -> Result<String, TableError> {
    if bytes.contains(&0) {
        return Err(TableError::Binary);
    }
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(body) {
        return Ok(s.to_string());
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(body)
        .map(|s| s.into_owned())
        .ok_or(TableError::Encoding)
}

fn read_csv(bytes: &[u8]) -> Result<Table, TableError> {
    let text = decode_text(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    // Line numbers from byte offsets: the csv crate's own count is off after CRLF.
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    // A record's position may point at the line break before it: count from its first byte.
    let bytes_of = text.as_bytes();
    let line_at = |byte: u64| {
        let mut b = byte as usize;
        while b < bytes_of.len() && matches!(bytes_of[b], b'\r' | b'\n') {
            b += 1;
        }
        newlines.partition_point(|&n| n < b) + 1
    };
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| TableError::Csv {
            line: e.position().map(|p| line_at(p.byte())).unwrap_or(0),
            reason: e.to_string(),
        })?;
        let line = record.position().map(|p| line_at(p.byte())).unwrap_or(0);
        let cells: Vec<String> = record.iter().map(|c| c.to_string()).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match headers {
            None => headers = Some(cells),
            Some(_) => rows.push((line, cells.into_iter().map(text_cell).collect())),
        }
    }
    Ok(Table {
        headers: headers.ok_or(TableError::NoHeader)?,
        rows,
        sheet: None,
    })
}

fn text_cell(s: String) -> Cell {
    if s.trim().is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

/// An Excel serial day number (1900 system) as a date.
pub fn excel_serial_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    // Day 60 is Excel's phantom 29 Feb 1900; later serials count from 30 Dec 1899.
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = serial.floor() as i64 - if serial < 61.0 { -1 } else { 0 };
    base.checked_add_signed(chrono::Duration::days(days))
}

fn read_xlsx(
    bytes: &[u8],
    sheet: Option<&str>,
    is_header: impl Fn(&str) -> bool,
) -> Result<Table, TableError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| TableError::Xlsx(e.to_string()))?;
    let names = book.sheet_names().to_vec();
    let read = |book: &mut calamine::Sheets<_>, n: &str| {
        book.worksheet_range(n)
            .map_err(|e| TableError::Xlsx(e.to_string()))
    };
    // Each sheet is parsed once: the one chosen is kept, not read again.
    let (chosen, range) = match sheet {
        Some(s) => {
            if !names.iter().any(|n| n == s) {
                return Err(TableError::NoSheet {
                    name: s.to_string(),
                    available: names,
                });
            }
            (s.to_string(), read(&mut book, s)?)
        }
        None => {
            let mut first = None;
            let mut found = None;
            for n in &names {
                let range = read(&mut book, n)?;
                if range
                    .rows()
                    .next()
                    .is_some_and(|r| r.iter().any(|c| is_header(&c.to_string())))
                {
                    found = Some((n.clone(), range));
                    break;
                }
                if first.is_none() {
                    first = Some((n.clone(), range));
                }
            }
            found
                .or(first)
                .ok_or_else(|| TableError::Xlsx("the workbook has no sheets".into()))?
        }
    };
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    // A formula cell is data too: its formula comes in as text, never its computed value.
    let formulas = book.worksheet_formula(&chosen).ok();
    let formula_at = |r: u32, c: u32| -> Option<String> {
        formulas
            .as_ref()?
            .get_value((r, c))
            .filter(|f| !f.is_empty())
            .map(|f| format!("={f}"))
    };
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<Cell> = row
            .iter()
            .enumerate()
            .map(
                |(j, c)| match formula_at(first_row + i as u32, first_col + j as u32) {
                    Some(f) => Cell::Text(f),
                    None => match c {
                        Data::String(s) => text_cell(s.clone()),
                        Data::Int(n) => Cell::Number(*n as f64),
                        Data::Float(f) => Cell::Number(*f),
                        Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
                        Data::DateTime(d) => excel_serial_date(d.as_f64())
                            .map(Cell::Date)
                            .unwrap_or(Cell::Number(d.as_f64())),
                        Data::DateTimeIso(s) | Data::DurationIso(s) => text_cell(s.clone()),
                        Data::Error(e) => Cell::Text(format!("#{e:?}")),
                        Data::Empty => Cell::Empty,
                    },
                },
            )
            .collect();
        if cells.iter().all(|c| matches!(c, Cell::Empty)) {
            continue;
        }
        match headers {
            None => headers = Some(cells.iter().map(Cell::text).collect()),
            // Rows as Excel numbers them (1-based).
            Some(_) => rows.push((first_row as usize + i + 1, cells)),
        }
    }
    Ok(Table {
        headers: headers.ok_or(TableError::NoHeader)?,
        rows,
        sheet: Some(chosen),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_detected() {
        let utf8 = "姓名,性别\n张小珠,女\n";
        assert_eq!(decode_text(utf8.as_bytes()).unwrap(), utf8);
        let mut bom = b"\xef\xbb\xbf".to_vec();
        bom.extend_from_slice(utf8.as_bytes());
        assert_eq!(decode_text(&bom).unwrap(), utf8);
        let (gbk, _, _) = encoding_rs::GBK.encode(utf8);
        assert!(std::str::from_utf8(&gbk).is_err());
        assert_eq!(decode_text(&gbk).unwrap(), utf8);
        assert_eq!(decode_text(b"a\0b"), Err(TableError::Binary));
    }

    #[test]
    fn excel_serial_dates() {
        assert_eq!(
            excel_serial_date(41397.0),
            NaiveDate::from_ymd_opt(2013, 5, 3)
        );
        assert_eq!(excel_serial_date(1.0), NaiveDate::from_ymd_opt(1900, 1, 1));
        assert_eq!(excel_serial_date(0.5), None);
    }

    #[test]
    fn csv_rows_keep_their_line_numbers_across_endings() {
        let t = read_table(b"a,b\r\n1,2\n\n3,4\r\n", "x.csv", None, |_| false).unwrap();
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(t.rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 4]);
        let crlf = read_table(b"a,b\r\n1,2\r\n3,4\r\n", "x.csv", None, |_| false).unwrap();
        assert_eq!(crlf.rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 3]);
        let quoted =
            read_table(b"a,b\r\n\"x\r\ny\",2\r\n3,4\r\n", "x.csv", None, |_| false).unwrap();
        assert_eq!(quoted.rows.iter().map(|r| r.0).collect::<Vec<_>>(), [2, 4]);
        assert_eq!(
            read_table(b"", "x.csv", None, |_| false),
            Err(TableError::Empty)
        );
    }
}
