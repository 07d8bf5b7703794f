//! Reading a table (header row + data rows) out of a CSV or .xlsx file's bytes, in bounded
//! memory: a workbook that expands to more than [`MAX_UNPACKED`] bytes, a sheet with a cell
//! beyond [`MAX_ROWS`] rows or [`MAX_COLUMNS`] columns, or more than [`MAX_ROWS`] rows is
//! refused with what was found and what a roster holds, before the table is built. A sheet
//! is read cell by cell (its empty cells cost nothing, however far its used range claims to
//! reach).

use std::io::Cursor;

use calamine::Reader;
use chrono::NaiveDate;

/// The rows a roster may have (a county's children fit many times over).
pub const MAX_ROWS: usize = 200_000;
/// The columns a roster may have.
pub const MAX_COLUMNS: u32 = 1_000;
/// The cells a roster's rows may hold in all (a school's roster has tens of thousands).
pub const MAX_CELLS: usize = 2_000_000;
/// What an .xlsx workbook may expand to, all its parts together, in bytes.
pub const MAX_UNPACKED: u64 = 150 * 1024 * 1024;

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
    /// Rows above the header that were skipped (a title, 填报单位 …), by line or row number.
    pub skipped: Vec<usize>,
    /// The header's own line or row number.
    pub header_line: usize,
    /// Rows that are no child: a 合计 / 小计 line, 填表人 / 审核人 / 校长签字 at the bottom,
    /// by line or row number with what they begin with.
    pub summary_rows: Vec<(usize, String)>,
}

/// Words that begin a row that is no child (totals, signatures).
const NOT_A_CHILD: [&str; 12] = [
    "合计",
    "小计",
    "总计",
    "共计",
    "填表人",
    "填报人",
    "制表人",
    "审核人",
    "负责人",
    "校长签字",
    "签字",
    "盖章",
];

impl Table {
    /// Takes out the rows whose first filled cell begins with a total's or a signature's word
    /// (合计, 填表人, 校长签字 …): they are listed, not imported.
    fn drop_summary_rows(mut self) -> Table {
        let first_text = |cells: &[Cell]| -> String {
            cells
                .iter()
                .map(Cell::text)
                .find(|t| !t.trim().is_empty())
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        };
        let (mut kept, mut summary) = (Vec::new(), Vec::new());
        for (line, cells) in std::mem::take(&mut self.rows) {
            let first = first_text(&cells);
            if NOT_A_CHILD.iter().any(|w| first.starts_with(w)) {
                summary.push((line, first.chars().take(12).collect()));
            } else {
                kept.push((line, cells));
            }
        }
        self.rows = kept;
        self.summary_rows = summary;
        self
    }
}

/// How many rows from the top are looked at for the header.
const HEADER_SEARCH: usize = 10;

impl Table {
    /// The header is the first of the top rows holding at least two known column names (`is_header`):
    /// the title rows above it (XX小学留守儿童花名册, 填报单位 …) are skipped and remembered.
    /// A table whose top rows hold none keeps its first row as the header (and the import
    /// says which columns it wanted).
    fn find_header(mut self, is_header: impl Fn(&str) -> bool) -> Table {
        let known = |cells: &[String]| cells.iter().filter(|c| is_header(c)).count();
        if known(&self.headers) >= 2 {
            return self;
        }
        let found =
            self.rows.iter().take(HEADER_SEARCH).position(|(_, cells)| {
                known(&cells.iter().map(Cell::text).collect::<Vec<_>>()) >= 2
            });
        let Some(at) = found else {
            return self;
        };
        let mut rows = std::mem::take(&mut self.rows).into_iter();
        let mut skipped = vec![self.header_line];
        for (line, _) in rows.by_ref().take(at) {
            skipped.push(line);
        }
        let Some((line, header)) = rows.next() else {
            return self;
        };
        Table {
            headers: header.iter().map(Cell::text).collect(),
            rows: rows.collect(),
            sheet: self.sheet,
            skipped,
            header_line: line,
            summary_rows: Vec::new(),
        }
    }
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
    #[error(
        "line {line}: a quote (\") opens here and is never closed, so the rest of the file would be one cell; remove the stray quote or close it"
    )]
    UnclosedQuote { line: usize },
    /// A sheet or file far larger than any roster, refused before it is read into memory.
    #[error("{what}; a roster has at most {MAX_ROWS} rows and {MAX_COLUMNS} columns")]
    TooLarge { what: String, what_zh: String },
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
            TableError::UnclosedQuote { line } => format!(
                "第 {line} 行: 这里的引号 (\") 没有配对, 后面整个文件会被当成一个格子; 请删掉多余的引号或补上另一半"
            ),
            TableError::TooLarge { what_zh, .. } => format!(
                "{what_zh}; 花名册最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列 (请删去多余的内容后再导入)"
            ),
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
    let table = if is_xlsx(bytes) || lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        read_xlsx(bytes, sheet, &is_header)?
    } else {
        read_csv(bytes)?
    };
    Ok(table.find_header(is_header).drop_summary_rows())
}

/// CSV text: a UTF-16 byte order mark is UTF-16 (Excel's "Unicode text"); a UTF-8 BOM or
/// valid UTF-8 is UTF-8; anything else must be GB18030 (GBK's superset, what Excel writes on
/// Chinese Windows).
pub fn decode_text(bytes: &[u8]) -> Result<String, TableError> {
    for (bom, encoding) in [
        (&b"\xff\xfe"[..], encoding_rs::UTF_16LE),
        (&b"\xfe\xff"[..], encoding_rs::UTF_16BE),
    ] {
        if let Some(body) = bytes.strip_prefix(bom) {
            return encoding
                .decode_without_bom_handling_and_without_replacement(body)
                .map(|s| s.into_owned())
                .ok_or(TableError::Encoding);
        }
    }
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

/// The line where a quote opens that no later quote closes (the CSV reader would take the rest
/// of the file as one cell), if there is one.
fn unclosed_quote(text: &str) -> Option<usize> {
    let (mut inside, mut line, mut opened_at) = (false, 1, 0);
    for c in text.chars() {
        match c {
            '"' => {
                inside = !inside;
                if inside {
                    opened_at = line;
                }
            }
            '\n' => line += 1,
            _ => {}
        }
    }
    inside.then_some(opened_at)
}

fn read_csv(bytes: &[u8]) -> Result<Table, TableError> {
    let text = decode_text(bytes)?;
    if let Some(line) = unclosed_quote(&text) {
        return Err(TableError::UnclosedQuote { line });
    }
    // Excel's "Unicode text" separates cells with tabs: a header line with tabs and no comma.
    let header_line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let delimiter = if header_line.contains('\t') && !header_line.contains(',') {
        b'\t'
    } else {
        b','
    };
    // A header far wider than any roster is refused before its cells are taken apart.
    let header_cells = header_line.bytes().filter(|&b| b == delimiter).count() + 1;
    if header_cells > MAX_COLUMNS as usize {
        return Err(TableError::TooLarge {
            what: format!("line 1 has {header_cells} cells"),
            what_zh: format!("第 1 行有 {header_cells} 个格子"),
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // Line numbers from byte offsets (the csv crate's own count is off after CRLF), counted
    // as the records come, in order, without a table of every line break.
    let bytes_of = text.as_bytes();
    let (mut counted_to, mut lines_before) = (0usize, 0usize);
    let mut line_at = |byte: u64| {
        // A record's position may point at the line break before it: count from its first
        // byte.
        let mut b = (byte as usize).min(bytes_of.len());
        while b < bytes_of.len() && matches!(bytes_of[b], b'\r' | b'\n') {
            b += 1;
        }
        if b >= counted_to {
            lines_before += bytes_of[counted_to..b]
                .iter()
                .filter(|&&c| c == b'\n')
                .count();
            counted_to = b;
        }
        lines_before + 1
    };
    let mut headers: Option<(usize, Vec<String>)> = None;
    let mut rows: Vec<(usize, Vec<Cell>)> = Vec::new();
    let mut cells_read = 0usize;
    for record in reader.records() {
        let record = record.map_err(|e| TableError::Csv {
            line: e.position().map(|p| line_at(p.byte())).unwrap_or(0),
            reason: e.to_string(),
        })?;
        let line = record.position().map(|p| line_at(p.byte())).unwrap_or(0);
        cells_read += record.len();
        if record.len() > MAX_COLUMNS as usize || cells_read > MAX_CELLS {
            return Err(TableError::TooLarge {
                what: format!("line {line} has {} cells", record.len()),
                what_zh: format!("第 {line} 行有 {} 个格子", record.len()),
            });
        }
        let cells: Vec<String> = record.iter().map(|c| c.to_string()).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match headers {
            None => headers = Some((line, cells)),
            Some(_) => rows.push((line, cells.into_iter().map(text_cell).collect())),
        }
        if rows.len() > MAX_ROWS {
            return Err(TableError::TooLarge {
                what: format!("more than {MAX_ROWS} rows (line {line})"),
                what_zh: format!("超过 {MAX_ROWS} 行 (第 {line} 行)"),
            });
        }
    }
    let (header_line, headers) = headers.ok_or(TableError::NoHeader)?;
    Ok(Table {
        headers,
        rows,
        sheet: None,
        skipped: Vec::new(),
        header_line,
        summary_rows: Vec::new(),
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

/// Refuses a workbook whose parts expand to more than [`MAX_UNPACKED`] bytes (as its zip
/// directory declares them; the zip reader holds each part to its declared size).
fn check_unpacked_size(bytes: &[u8]) -> Result<(), TableError> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| TableError::Xlsx(e.to_string()))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| TableError::Xlsx(e.to_string()))?;
        total = total.saturating_add(part.size());
    }
    if total > MAX_UNPACKED {
        let mb = total / (1024 * 1024);
        return Err(TableError::TooLarge {
            what: format!("the workbook expands to {mb} MB"),
            what_zh: format!("工作簿解压后有 {mb} MB"),
        });
    }
    Ok(())
}

/// A cell's place as Excel names it (`A1`, `XFD1048576`), from zero-based row and column.
pub fn cell_name(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

/// One cell of a sheet as calamine streams it, as a [`Cell`]; a formula comes in as text,
/// never its computed value.
fn xlsx_cell(value: &calamine::DataRef<'_>, formula: Option<String>) -> Cell {
    use calamine::DataRef;
    if let Some(f) = formula.filter(|f| !f.is_empty()) {
        return Cell::Text(format!("={f}"));
    }
    match value {
        DataRef::String(s) => text_cell(s.clone()),
        DataRef::SharedString(s) => text_cell(s.to_string()),
        DataRef::Int(n) => Cell::Number(*n as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
        DataRef::DateTime(d) => excel_serial_date(d.as_f64())
            .map(Cell::Date)
            .unwrap_or(Cell::Number(d.as_f64())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => text_cell(s.clone()),
        DataRef::Error(e) => Cell::Text(format!("#{e:?}")),
        DataRef::Empty => Cell::Empty,
    }
}

/// The non-empty rows of a sheet, read cell by cell: row number (zero-based) and its cells
/// by column. With `first_rows`, stops after that many non-empty rows.
fn sheet_rows(
    book: &mut calamine::Xlsx<Cursor<&[u8]>>,
    name: &str,
    first_rows: Option<usize>,
) -> Result<Vec<(u32, Vec<Cell>)>, TableError> {
    let xlsx = |e: calamine::XlsxError| TableError::Xlsx(e.to_string());
    let mut reader = book.worksheet_cells_reader(name).map_err(xlsx)?;
    let mut rows: Vec<(u32, Vec<Cell>)> = Vec::new();
    // The cells the rows take in memory (each row as wide as its last value).
    let mut area = 0usize;
    while let Some(cell) = reader.next_cell_with_formula().map_err(xlsx)? {
        let (r, c) = cell.pos;
        let value = xlsx_cell(&cell.value, cell.formula);
        if matches!(value, Cell::Empty) || matches!(&value, Cell::Text(t) if t.trim().is_empty()) {
            continue;
        }
        if first_rows.is_some_and(|n| rows.len() >= n)
            && rows.last().is_some_and(|(last, _)| *last != r)
        {
            break;
        }
        if r as usize >= MAX_ROWS + 1_000 || c >= MAX_COLUMNS {
            let at = cell_name(r, c);
            return Err(TableError::TooLarge {
                what: format!("sheet {name:?} has a value at {at}"),
                what_zh: format!("工作表 \"{name}\" 在 {at} 有内容"),
            });
        }
        match rows.last_mut() {
            Some((last, cells)) if *last == r => {
                // Cells come in column order; a file that repeats or reorders them keeps the
                // last value given for a place.
                if c as usize >= cells.len() {
                    area += c as usize + 1 - cells.len();
                    cells.resize(c as usize, Cell::Empty);
                    cells.push(value);
                } else {
                    cells[c as usize] = value;
                }
            }
            _ => {
                if rows.len() > MAX_ROWS {
                    return Err(TableError::TooLarge {
                        what: format!("sheet {name:?} has more than {MAX_ROWS} rows"),
                        what_zh: format!("工作表 \"{name}\" 超过 {MAX_ROWS} 行"),
                    });
                }
                area += c as usize + 1;
                let mut cells = vec![Cell::Empty; c as usize];
                cells.push(value);
                rows.push((r, cells));
            }
        }
        if area > MAX_CELLS {
            return Err(TableError::TooLarge {
                what: format!(
                    "sheet {name:?} holds more than {MAX_CELLS} cells (up to {})",
                    cell_name(r, c)
                ),
                what_zh: format!(
                    "工作表 \"{name}\" 超过 {MAX_CELLS} 个格子 (到 {} 为止)",
                    cell_name(r, c)
                ),
            });
        }
    }
    Ok(rows)
}

fn read_xlsx(
    bytes: &[u8],
    sheet: Option<&str>,
    is_header: impl Fn(&str) -> bool,
) -> Result<Table, TableError> {
    check_unpacked_size(bytes)?;
    let mut book: calamine::Xlsx<_> =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| TableError::Xlsx(e.to_string()))?;
    let names = book.sheet_names().to_vec();
    let chosen = match sheet {
        Some(s) => {
            if !names.iter().any(|n| n == s) {
                return Err(TableError::NoSheet {
                    name: s.to_string(),
                    available: names,
                });
            }
            s.to_string()
        }
        // The first sheet whose first row holds a roster header, or one of whose top rows
        // holds two (below a title), else the first sheet; only those rows are read to choose.
        None => {
            let mut found = None;
            for n in &names {
                let top = sheet_rows(&mut book, n, Some(HEADER_SEARCH))?;
                let known = |cells: &[Cell]| cells.iter().filter(|c| is_header(&c.text())).count();
                let first_row = top.first().is_some_and(|(_, cells)| known(cells) >= 1);
                if first_row || top.iter().any(|(_, cells)| known(cells) >= 2) {
                    found = Some(n.clone());
                    break;
                }
            }
            found
                .or_else(|| names.first().cloned())
                .ok_or_else(|| TableError::Xlsx("the workbook has no sheets".into()))?
        }
    };
    let mut rows = sheet_rows(&mut book, &chosen, None)?.into_iter();
    let (header_row, headers) = rows
        .next()
        .map(|(r, cells)| (r, cells.iter().map(Cell::text).collect()))
        .ok_or(TableError::NoHeader)?;
    Ok(Table {
        headers,
        // Rows as Excel numbers them (1-based).
        rows: rows.map(|(r, cells)| (r as usize + 1, cells)).collect(),
        sheet: Some(chosen),
        skipped: Vec::new(),
        header_line: header_row as usize + 1,
        summary_rows: Vec::new(),
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
