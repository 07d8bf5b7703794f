//! Reading tables (header row + data rows) out of a CSV, text or workbook file's bytes, in
//! bounded memory: a workbook that expands to more than [`MAX_UNPACKED`] bytes, a sheet with
//! a cell beyond [`MAX_ROWS`] rows or [`MAX_COLUMNS`] columns, or more than [`MAX_ROWS`] rows
//! is refused with what was found and what a roster holds, before the table is built.
//! Finding the header below title rows (and joining a two-row header), and setting aside
//! total and signature rows, is done here for every kind of file; the workbooks themselves
//! are `workbook.rs`'s.

use chrono::NaiveDate;

pub use super::workbook::Sheets;
use super::workbook::{Kind, kind_of, read_workbook};

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
    /// A formula saved without its value (written by a program, never opened in Excel):
    /// where it is (`C5`) and what it says.
    Unsaved {
        at: String,
        formula: String,
    },
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
            Cell::Unsaved { formula, .. } => formula.clone(),
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
pub(super) const HEADER_SEARCH: usize = 10;

impl Table {
    /// The header is the first of the top rows holding at least two known column names (`is_header`):
    /// the title rows above it (XX小学留守儿童花名册, 填报单位 …) are skipped and remembered.
    /// A table whose top rows hold none keeps its first row as the header (and the import
    /// says which columns it wanted).
    fn find_header(self, is_header: &dyn Fn(&str) -> bool) -> Table {
        self.find_header_row(is_header)
            .join_two_row_header(is_header)
    }

    fn find_header_row(mut self, is_header: &dyn Fn(&str) -> bool) -> Table {
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

/// The words of a two-row header's upper row that stand over several columns, and the
/// name each gives its columns (委托监护人 over 姓名 / 联系电话 is the guardian's).
const GROUPS: [(&str, &str); 8] = [
    ("父亲", "父亲"),
    ("母亲", "母亲"),
    ("委托监护人", "监护人"),
    ("受委托监护人", "监护人"),
    ("监护人", "监护人"),
    ("代理家长", "监护人"),
    ("紧急联系人", "紧急联系人"),
    ("家长", "家长"),
];

impl Table {
    /// A header of two rows (父亲 merged over 姓名 / 务工地 / 联系电话 below it): each lower
    /// cell is joined to the upper cell over it — a merged cell holds its text in its first
    /// column only, so an empty upper cell takes the one to its left — when that names more
    /// known columns than the upper row alone (父亲姓名, 父亲联系电话, 监护人年龄 …). The
    /// lower row is then part of the header, not a child.
    fn join_two_row_header(mut self, is_header: &dyn Fn(&str) -> bool) -> Table {
        let Some((line, below)) = self.rows.first() else {
            return self;
        };
        let below: Vec<String> = below.iter().map(|c| c.text().trim().to_string()).collect();
        let width = self.headers.len().max(below.len());
        let mut joined = Vec::with_capacity(width);
        let mut over = String::new();
        for i in 0..width {
            let top = self.headers.get(i).map_or("", |h| h.trim());
            let sub = below.get(i).map_or("", String::as_str);
            if !top.is_empty() {
                over = top.to_string();
            }
            joined.push(match (top.is_empty(), sub.is_empty()) {
                (_, true) => top.to_string(),
                // A header merged down over both rows holds its name in each.
                (false, false) if sub == top => top.to_string(),
                (false, false) | (true, false) => {
                    let plain = super::columns::normalize_header(&over);
                    let group = GROUPS
                        .iter()
                        .find(|(g, _)| *g == plain)
                        .map_or(plain.as_str(), |(_, name)| name);
                    format!("{group}{sub}")
                }
            });
        }
        let known = |cells: &[String]| cells.iter().filter(|c| is_header(c)).count();
        if known(&joined) <= known(&self.headers) {
            return self;
        }
        let line = *line;
        self.rows.remove(0);
        self.skipped.push(self.header_line);
        self.header_line = line;
        self.headers = joined;
        self
    }
}

/// Why a file could not be read as a table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not text (it holds binary data), nor an .xlsx, .xls or .ods workbook")]
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
            TableError::Binary => {
                "文件不是文本 (含二进制数据), 也不是 .xlsx、.xls 或 .ods 工作簿".into()
            }
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

/// Reads the tables: a workbook (.xlsx, .xls, .ods, told by its first bytes or else its
/// name) gives `sheet`, or every sheet with a roster header (`is_header` names a known
/// column); text gives one table. In each, the header is found below any title rows and
/// total and signature rows are set aside.
pub fn read_tables(
    bytes: &[u8],
    name: &str,
    sheet: Option<&str>,
    is_header: impl Fn(&str) -> bool,
) -> Result<Sheets, TableError> {
    if bytes.is_empty() {
        return Err(TableError::Empty);
    }
    let mut sheets = match kind_of(bytes, name) {
        Some(kind) => read_workbook(bytes, kind, sheet, &is_header)?,
        None => Sheets {
            tables: vec![read_csv(bytes)?],
            passed_over: Vec::new(),
            hidden: Vec::new(),
        },
    };
    sheets.tables = std::mem::take(&mut sheets.tables)
        .into_iter()
        .map(|t| t.find_header(&is_header).drop_summary_rows())
        .collect();
    Ok(sheets)
}

/// The first table [`read_tables`] finds.
pub fn read_table(
    bytes: &[u8],
    name: &str,
    sheet: Option<&str>,
    is_header: impl Fn(&str) -> bool,
) -> Result<Table, TableError> {
    read_tables(bytes, name, sheet, is_header)?
        .tables
        .into_iter()
        .next()
        .ok_or(TableError::NoHeader)
}

/// Whether the bytes are a workbook of a kind this reads.
pub fn is_workbook(bytes: &[u8], name: &str) -> bool {
    matches!(
        kind_of(bytes, name),
        Some(Kind::Xlsx | Kind::Xls | Kind::Ods)
    )
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

pub(super) fn text_cell(s: String) -> Cell {
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
