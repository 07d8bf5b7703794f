//! Reading the sheets of a workbook — .xlsx, .xls (Excel 97–2003) and .ods — as tables, in
//! bounded memory: an .xlsx sheet is streamed cell by cell (its empty cells cost nothing,
//! however far its used range claims to reach); a zipped workbook that expands past
//! [`MAX_UNPACKED`] is refused before it is opened.
//!
//! A formula cell is read as the value the spreadsheet saved with the file: nothing is ever
//! computed or run. A formula saved without its value is kept as [`Cell::Unsaved`], for the
//! roster to refuse naming the cell.

use std::io::Cursor;

use calamine::{Data, Reader};

use super::read::{
    Cell, HEADER_SEARCH, MAX_CELLS, MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED, Table, TableError,
    excel_serial_date, text_cell,
};

/// Which kind of workbook the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Xls,
    Ods,
}

/// The kind of workbook the bytes hold, told by their content — an OLE compound file is an
/// .xls, a zip an .ods when it says so in its `mimetype` part and an .xlsx otherwise — or
/// `None` for text (a tab-separated file named .xls is text). Only bytes that are neither
/// text nor a known container are taken for the kind their name says, for its message.
pub fn kind_of(bytes: &[u8], name: &str) -> Option<Kind> {
    let lower = name.to_lowercase();
    if bytes.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        return Some(Kind::Xls);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        // An OpenDocument file names its type in its first, uncompressed part.
        let part = &bytes[bytes.len().min(30)..bytes.len().min(120)];
        let ods = part.windows(11).any(|w| w == b"opendocumen");
        return Some(if ods { Kind::Ods } else { Kind::Xlsx });
    }
    if !bytes.contains(&0) {
        return None;
    }
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        Some(Kind::Xlsx)
    } else if lower.ends_with(".xls") {
        Some(Kind::Xls)
    } else if lower.ends_with(".ods") {
        Some(Kind::Ods)
    } else {
        None
    }
}

/// Refuses a zipped workbook whose parts expand to more than [`MAX_UNPACKED`] bytes (as its
/// zip directory declares them; the zip reader holds each part to its declared size).
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

/// Refuses an .ods whose rows and cells, once their repeat counts are expanded, would hold
/// more than [`MAX_CELLS`] values (a 2 KB file can repeat one full row a million times): read
/// from `content.xml` before the sheet is built in memory. Empty cells and rows cost
/// nothing and are not counted.
fn check_ods_repeats(bytes: &[u8]) -> Result<(), TableError> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| TableError::Xlsx(e.to_string()))?;
    let mut xml = Vec::new();
    {
        let mut part = zip
            .by_name("content.xml")
            .map_err(|e| TableError::Xlsx(e.to_string()))?;
        std::io::Read::read_to_end(&mut std::io::Read::take(&mut part, MAX_UNPACKED), &mut xml)
            .map_err(|e| TableError::Xlsx(e.to_string()))?;
    }
    let text = String::from_utf8_lossy(&xml);
    let repeat = |tag: &str, attr: &str| -> u64 {
        tag.find(attr)
            .and_then(|at| {
                let rest = &tag[at + attr.len()..];
                let rest = rest.strip_prefix("=\"")?;
                rest[..rest.find('"')?].parse::<u64>().ok()
            })
            .unwrap_or(1)
    };
    let (mut total, mut row_repeat, mut row_cells) = (0u64, 1u64, 0u64);
    let mut rest: &str = &text;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        if tag.starts_with("<table:table-row") {
            row_repeat = repeat(tag, "table:number-rows-repeated");
            row_cells = 0;
            if tag.ends_with('/') {
                row_repeat = 1;
            }
        } else if tag.starts_with("</table:table-row") {
            total = total.saturating_add(row_repeat.saturating_mul(row_cells));
            if total > MAX_CELLS as u64 {
                return Err(TableError::TooLarge {
                    what: format!("the workbook's rows repeat to more than {MAX_CELLS} cells"),
                    what_zh: format!("工作簿的行重复展开后超过 {MAX_CELLS} 个格子"),
                });
            }
        } else if tag.starts_with("<table:table-cell") && tag.contains("office:value-type") {
            row_cells = row_cells.saturating_add(repeat(tag, "table:number-columns-repeated"));
        }
        rest = &rest[end.min(rest.len())..];
        if rest.len() <= 1 {
            break;
        }
        rest = &rest[1..];
    }
    Ok(())
}

/// Runs `f` over a workbook, a panic of the reader (a damaged .xls can make calamine index
/// out of bounds) becoming a refusal of the file instead of a crash; the panic's own report
/// is silenced meanwhile (it would only print calamine's internals).
fn guarded<T>(f: impl FnOnce() -> Result<T, TableError>) -> Result<T, TableError> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|_| {
        Err(TableError::Xlsx(String::from(
            "the workbook is damaged (its parts do not fit together)",
        )))
    })
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

/// One streamed .xlsx cell as a [`Cell`]: a formula's saved value, or [`Cell::Unsaved`].
fn xlsx_cell(value: &calamine::DataRef<'_>, formula: Option<String>, at: (u32, u32)) -> Cell {
    use calamine::DataRef;
    let cell = match value {
        DataRef::String(s) => text_cell(s.clone()),
        DataRef::SharedString(s) => text_cell(s.to_string()),
        DataRef::Int(n) => Cell::Number(*n as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
        DataRef::DateTime(d) => excel_serial_date(d.as_f64())
            .map(Cell::Date)
            .unwrap_or(Cell::Number(d.as_f64())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => text_cell(s.clone()),
        DataRef::Error(e) => Cell::Text(e.to_string()),
        DataRef::Empty => Cell::Empty,
    };
    match (formula.filter(|f| !f.is_empty()), &cell) {
        (Some(formula), Cell::Empty) => Cell::Unsaved {
            at: cell_name(at.0, at.1),
            formula: format!("={formula}"),
        },
        _ => cell,
    }
}

/// One cell of an .xls or .ods sheet (formulas come as their saved values) as a [`Cell`].
fn data_cell(value: &Data) -> Cell {
    match value {
        Data::String(s) => text_cell(s.clone()),
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
        Data::DateTime(d) => excel_serial_date(d.as_f64())
            .map(Cell::Date)
            .unwrap_or(Cell::Number(d.as_f64())),
        Data::DateTimeIso(s) => {
            chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
                .map(Cell::Date)
                .unwrap_or_else(|_| text_cell(s.clone()))
        }
        Data::DurationIso(s) => text_cell(s.clone()),
        Data::Error(e) => Cell::Text(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

/// The rows read so far, with the bounds every workbook is held to.
struct Rows {
    sheet: String,
    rows: Vec<(u32, Vec<Cell>)>,
    /// The cells the rows take in memory (each row as wide as its last value).
    area: usize,
}

impl Rows {
    fn new(sheet: &str) -> Rows {
        Rows {
            sheet: sheet.to_string(),
            rows: Vec::new(),
            area: 0,
        }
    }

    fn push(&mut self, r: u32, c: u32, value: Cell) -> Result<(), TableError> {
        if matches!(value, Cell::Empty) || matches!(&value, Cell::Text(t) if t.trim().is_empty()) {
            return Ok(());
        }
        let name = &self.sheet;
        if r as usize >= MAX_ROWS + 1_000 || c >= MAX_COLUMNS {
            let at = cell_name(r, c);
            return Err(TableError::TooLarge {
                what: format!("sheet {name:?} has a value at {at}"),
                what_zh: format!("工作表 \"{name}\" 在 {at} 有内容"),
            });
        }
        match self.rows.last_mut() {
            Some((last, cells)) if *last == r => {
                // Cells come in column order; a file that repeats or reorders them keeps the
                // last value given for a place.
                if c as usize >= cells.len() {
                    self.area += c as usize + 1 - cells.len();
                    cells.resize(c as usize, Cell::Empty);
                    cells.push(value);
                } else {
                    cells[c as usize] = value;
                }
            }
            _ => {
                if self.rows.len() > MAX_ROWS {
                    return Err(TableError::TooLarge {
                        what: format!("sheet {name:?} has more than {MAX_ROWS} rows"),
                        what_zh: format!("工作表 \"{name}\" 超过 {MAX_ROWS} 行"),
                    });
                }
                self.area += c as usize + 1;
                let mut cells = vec![Cell::Empty; c as usize];
                cells.push(value);
                self.rows.push((r, cells));
            }
        }
        if self.area > MAX_CELLS {
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
        Ok(())
    }
}

/// An open workbook of any kind.
enum Book<'a> {
    Xlsx(calamine::Xlsx<Cursor<&'a [u8]>>),
    Xls(calamine::Xls<Cursor<&'a [u8]>>),
    Ods(calamine::Ods<Cursor<&'a [u8]>>),
}

impl<'a> Book<'a> {
    fn open(bytes: &'a [u8], kind: Kind) -> Result<Book<'a>, TableError> {
        let err = |e: String| TableError::Xlsx(e);
        Ok(match kind {
            Kind::Xlsx => {
                check_unpacked_size(bytes)?;
                Book::Xlsx(calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| err(e.to_string()))?)
            }
            Kind::Ods => {
                check_unpacked_size(bytes)?;
                check_ods_repeats(bytes)?;
                Book::Ods(calamine::Ods::new(Cursor::new(bytes)).map_err(|e| err(e.to_string()))?)
            }
            Kind::Xls => {
                Book::Xls(calamine::Xls::new(Cursor::new(bytes)).map_err(|e| err(e.to_string()))?)
            }
        })
    }

    fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(b) => b.sheet_names(),
            Book::Xls(b) => b.sheet_names(),
            Book::Ods(b) => b.sheet_names(),
        }
    }

    /// Whether the sheet is hidden in the workbook (a hidden or "very hidden" sheet: an old
    /// list, a lookup table).
    fn hidden(&self, name: &str) -> bool {
        let sheets = match self {
            Book::Xlsx(b) => b.sheets_metadata(),
            Book::Xls(b) => b.sheets_metadata(),
            Book::Ods(b) => b.sheets_metadata(),
        };
        sheets
            .iter()
            .any(|s| s.name == name && s.visible != calamine::SheetVisible::Visible)
    }

    /// The merged areas of a sheet (none known for .ods).
    fn merged(&mut self, name: &str) -> Vec<calamine::Dimensions> {
        match self {
            Book::Xlsx(b) => b.merge_cells_by_sheet_name(name).unwrap_or_default(),
            Book::Xls(b) => b.merge_cells_by_sheet_name(name).unwrap_or_default(),
            Book::Ods(_) => Vec::new(),
        }
    }

    /// The non-empty rows of a sheet: row number (zero-based) and its cells by column. With
    /// `first_rows`, stops after that many non-empty rows (an .xlsx sheet is then read no
    /// further).
    fn rows(
        &mut self,
        name: &str,
        first_rows: Option<usize>,
    ) -> Result<Vec<(u32, Vec<Cell>)>, TableError> {
        let mut out = Rows::new(name);
        let enough = |out: &Rows, r: u32| {
            first_rows.is_some_and(|n| out.rows.len() >= n)
                && out.rows.last().is_some_and(|(last, _)| *last != r)
        };
        match self {
            Book::Xlsx(book) => {
                let xlsx = |e: calamine::XlsxError| TableError::Xlsx(e.to_string());
                let mut reader = book.worksheet_cells_reader(name).map_err(xlsx)?;
                while let Some(cell) = reader.next_cell_with_formula().map_err(xlsx)? {
                    let (r, c) = cell.pos;
                    let value = xlsx_cell(&cell.value, cell.formula, cell.pos);
                    if !matches!(value, Cell::Empty) && enough(&out, r) {
                        break;
                    }
                    out.push(r, c, value)?;
                }
            }
            Book::Xls(_) | Book::Ods(_) => {
                let range = match self {
                    Book::Xls(b) => b
                        .worksheet_range(name)
                        .map_err(|e| TableError::Xlsx(e.to_string()))?,
                    Book::Ods(b) => b
                        .worksheet_range(name)
                        .map_err(|e| TableError::Xlsx(e.to_string()))?,
                    Book::Xlsx(_) => return Ok(Vec::new()),
                };
                let (top, left) = range.start().unwrap_or((0, 0));
                'rows: for (i, row) in range.rows().enumerate() {
                    let r = top + i as u32;
                    for (j, value) in row.iter().enumerate() {
                        let value = data_cell(value);
                        if !matches!(value, Cell::Empty) && enough(&out, r) {
                            break 'rows;
                        }
                        out.push(r, left + j as u32, value)?;
                    }
                }
            }
        }
        // Merged areas matter to the rows read whole (choosing a sheet reads its top only).
        if first_rows.is_some() {
            return Ok(out.rows);
        }
        let merged = self.merged(name);
        Ok(fill_merged(out.rows, &merged))
    }
}

/// A merged area holds its value in its first cell only; every cell it covers is given that
/// value (a 班级 merged down over a class's rows belongs to each row; 父亲 merged over three
/// columns stands over each). Rows inside an area that held nothing else are added. At most
/// [`MAX_CELLS`] cells are filled in all.
fn fill_merged(
    rows: Vec<(u32, Vec<Cell>)>,
    merged: &[calamine::Dimensions],
) -> Vec<(u32, Vec<Cell>)> {
    if merged.is_empty() {
        return rows;
    }
    let last_row = rows.last().map_or(0, |(r, _)| *r);
    let mut by_row: std::collections::BTreeMap<u32, Vec<Cell>> = rows.into_iter().collect();
    let mut filled = 0usize;
    for area in merged {
        let (top, left) = area.start;
        let (bottom, right) = area.end;
        let Some(value) = by_row
            .get(&top)
            .and_then(|cells| cells.get(left as usize))
            .filter(|c| !matches!(c, Cell::Empty))
            .cloned()
        else {
            continue;
        };
        // Only rows that were read (a header search reads the top rows only).
        for r in top..=bottom.min(last_row) {
            for c in left..=right.min(MAX_COLUMNS - 1) {
                if (r, c) == (top, left) || filled >= MAX_CELLS {
                    continue;
                }
                let cells = by_row.entry(r).or_default();
                if cells.len() <= c as usize {
                    cells.resize(c as usize + 1, Cell::Empty);
                }
                if matches!(cells[c as usize], Cell::Empty) {
                    cells[c as usize] = value.clone();
                    filled += 1;
                }
            }
        }
    }
    by_row.into_iter().collect()
}

/// The sheets of a workbook read as tables, and the sheets passed over.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheets {
    pub tables: Vec<Table>,
    /// Sheets without a roster header in their top rows (an instructions sheet, an empty
    /// Sheet3): not read.
    pub passed_over: Vec<String>,
    /// Hidden sheets (an old list, a lookup table): not read.
    pub hidden: Vec<String>,
}

/// Reads `sheet`, or without it every sheet whose top rows hold a roster header (`is_header`
/// names a known column): one in its first row, or two in one of its first rows (below a
/// title). A workbook with no such sheet gives its first sheet (and the roster says which
/// columns it wanted).
pub fn read_workbook(
    bytes: &[u8],
    kind: Kind,
    sheet: Option<&str>,
    is_header: &dyn Fn(&str) -> bool,
) -> Result<Sheets, TableError> {
    guarded(|| read_workbook_unguarded(bytes, kind, sheet, is_header))
}

fn read_workbook_unguarded(
    bytes: &[u8],
    kind: Kind,
    sheet: Option<&str>,
    is_header: &dyn Fn(&str) -> bool,
) -> Result<Sheets, TableError> {
    let mut book = Book::open(bytes, kind)?;
    let names = book.sheet_names();
    let mut chosen = Vec::new();
    let mut passed_over = Vec::new();
    let mut hidden = Vec::new();
    match sheet {
        Some(s) => {
            if !names.iter().any(|n| n == s) {
                return Err(TableError::NoSheet {
                    name: s.to_string(),
                    available: names,
                });
            }
            chosen.push(s.to_string());
        }
        None => {
            for n in &names {
                // A hidden sheet is no part of the roster a teacher sees.
                if book.hidden(n) {
                    hidden.push(n.clone());
                    continue;
                }
                let top = book.rows(n, Some(HEADER_SEARCH))?;
                let known = |cells: &[Cell]| cells.iter().filter(|c| is_header(&c.text())).count();
                let first_row = top.first().is_some_and(|(_, cells)| known(cells) >= 1);
                if first_row || top.iter().any(|(_, cells)| known(cells) >= 2) {
                    chosen.push(n.clone());
                } else {
                    passed_over.push(n.clone());
                }
            }
            if chosen.is_empty() {
                let first = names
                    .first()
                    .cloned()
                    .ok_or_else(|| TableError::Xlsx("the workbook has no sheets".into()))?;
                passed_over.retain(|n| *n != first);
                chosen.push(first);
            }
        }
    }
    let mut tables = Vec::new();
    for name in chosen {
        let mut rows = book.rows(&name, None)?.into_iter();
        let Some((header_row, headers)) = rows.next() else {
            if sheet.is_some() {
                return Err(TableError::NoHeader);
            }
            passed_over.push(name);
            continue;
        };
        tables.push(Table {
            headers: headers.iter().map(Cell::text).collect(),
            // Rows as Excel numbers them (1-based).
            rows: rows.map(|(r, cells)| (r as usize + 1, cells)).collect(),
            sheet: Some(name),
            skipped: Vec::new(),
            header_line: header_row as usize + 1,
            summary_rows: Vec::new(),
        });
    }
    if tables.is_empty() {
        return Err(TableError::NoHeader);
    }
    Ok(Sheets {
        tables,
        passed_over,
        hidden,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workbooks_are_told_apart_by_their_first_bytes() {
        assert_eq!(
            kind_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "a.csv"),
            Some(Kind::Xls)
        );
        assert_eq!(kind_of(b"PK\x03\x04", "花名册.xlsx"), Some(Kind::Xlsx));
        // A zip is an .ods when its mimetype part says so, whatever the name says.
        assert_eq!(kind_of(b"PK\x03\x04", "花名册.ods"), Some(Kind::Xlsx));
        let mut ods = b"PK\x03\x04".to_vec();
        ods.extend_from_slice(&[0; 34]);
        ods.extend_from_slice(b"application/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(kind_of(&ods, "花名册.xlsx"), Some(Kind::Ods));
        // Text is text, whatever its name: a tab-separated file saved as .xls.
        assert_eq!(kind_of("姓名\t性别\n".as_bytes(), "花名册.xls"), None);
        assert_eq!(kind_of(b"\0\0garbage", "花名册.xls"), Some(Kind::Xls));
        assert_eq!(kind_of(b"a,b\n", "a.csv"), None);
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(4, 27), "AB5");
    }
}
