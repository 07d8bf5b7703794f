//! Roster rows → children's files, with every mistake of every row of every sheet listed at
//! once, and what was read from where (sheets, header rows, which column became which
//! field) said before anything is written.

mod row;
pub use row::{UNFILLED, UNFILLED_EN};
mod values;

use std::collections::HashMap;

use chrono::NaiveDate;

use super::columns::{COLUMNS, Column, accepted_headers, column_for, normalize_header};
use super::read::Table;
use crate::domain::{NewChild, StaffId, class_from_sheet, normalize_name};
use row::{Columns, Row};

/// One mistake: where (sheet, line or row number as the file shows it, and the column's
/// header), the value as written, and what would be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The sheet of a workbook (`None` for a text file).
    pub sheet: Option<String>,
    /// 0 for the file as a whole (its headers).
    pub line: usize,
    pub column: String,
    pub value: String,
    pub expected_zh: String,
    pub expected_en: String,
}

/// One row read as a child's file.
#[derive(Debug, Clone, PartialEq)]
pub struct RowPlan {
    /// The sheet the row is on (`None` for a text file).
    pub sheet: Option<String>,
    pub line: usize,
    pub child: NewChild,
}

/// What was read from one table: for the import to say before anything is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetReport {
    pub sheet: Option<String>,
    /// Rows above the header that were skipped (a title, 填报单位 …).
    pub skipped: Vec<usize>,
    /// The header's row (the lower row of a two-row header).
    pub header_line: usize,
    /// Each header read, as written (two-row headers joined), and the field it became.
    pub mapped: Vec<(String, &'static Column)>,
    /// Headers that name no known column: not read.
    pub ignored: Vec<String>,
    /// Columns with values but no header (or beyond the header's last cell), by letter: not
    /// read.
    pub unnamed: Vec<String>,
    /// The class the sheet's name gave its children (a table without a class column).
    pub class_from_sheet: Option<String>,
    /// Rows of totals and signatures set aside: line and what they begin with.
    pub summary_rows: Vec<(usize, String)>,
    /// Children rows.
    pub rows: usize,
}

impl SheetReport {
    /// Each header read and the field it became, as the import says it: 出生年月→出生日期
    /// (a header that is the field's own name alone); in English the field's English label.
    pub fn mapping_words(&self, lang: crate::i18n::Lang) -> Vec<String> {
        self.mapped
            .iter()
            .map(|(h, c)| match lang {
                crate::i18n::Lang::Zh if *h == c.header => h.clone(),
                crate::i18n::Lang::Zh => format!("{h}→{}", c.header),
                crate::i18n::Lang::En => {
                    format!("{h}→{}", super::columns::label_en(c.key))
                }
            })
            .collect()
    }
}

/// The result of reading a roster.
#[derive(Debug, Clone, PartialEq)]
pub struct Roster {
    pub rows: Vec<RowPlan>,
    /// What was read from each table.
    pub sheets: Vec<SheetReport>,
}

impl Roster {
    /// Headers that name no known column in any table (ignored), each once.
    pub fn ignored(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for h in self.sheets.iter().flat_map(|s| &s.ignored) {
            if !out.contains(h) {
                out.push(h.clone());
            }
        }
        out
    }
}

/// Headers a school maps to fields by hand (`--map '结对教师=mentor'`) or remembered from an
/// earlier import: checked before the built-in names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping(pub Vec<(String, &'static str)>);

impl Mapping {
    /// Reads `HEADER=FIELD` (the field by its English key or its Chinese header): the
    /// header as typed (compared normalised), or what would be accepted.
    pub fn parse(pairs: &[String]) -> Result<Mapping, Box<RowError>> {
        let mut out = Vec::new();
        for pair in pairs {
            let bad = |zh: String, en: String| {
                Box::new(RowError {
                    sheet: None,
                    line: 0,
                    column: String::from("--map"),
                    value: pair.clone(),
                    expected_zh: zh,
                    expected_en: en,
                })
            };
            let Some((header, field)) = pair.rsplit_once('=') else {
                return Err(bad(
                    "列名=字段, 如 --map '结对教师=mentor' 或 --map '结对教师=帮扶教师'".into(),
                    "HEADER=FIELD, e.g. --map '结对教师=mentor' or --map '结对教师=帮扶教师'"
                        .into(),
                ));
            };
            let column = column_for(field).filter(|_| !header.trim().is_empty());
            if let (Some(target), Some(known)) = (column, column_for(header))
                && target.key != known.key
            {
                return Err(bad(
                    format!(
                        "guanai 不认识的列名: {header} 已经是 {} ({}) 的列名, --map 只用于别的列",
                        known.header, known.key
                    ),
                    format!(
                        "a header guanai does not know: {header} already names {} ({}); --map is for other columns",
                        known.header, known.key
                    ),
                ));
            }
            if out.iter().any(|(h, k): &(String, &str)| {
                *h == normalize_header(header) && Some(*k) != column.map(|c| c.key)
            }) {
                return Err(bad(
                    format!("每个列名只映射一次 ({header} 给了两个字段)"),
                    format!("each header mapped once ({header} was given two fields)"),
                ));
            }
            let Some(column) = column else {
                return Err(bad(
                    format!("列名=字段, 字段是以下之一: {}", accepted_headers()),
                    format!("HEADER=FIELD, the field one of: {}", accepted_headers()),
                ));
            };
            out.push((normalize_header(header), column.key));
        }
        Ok(Mapping(out))
    }

    /// The field a header names: by this mapping, else by the built-in names.
    pub fn column(&self, header: &str) -> Option<&'static Column> {
        let h = normalize_header(header);
        self.0
            .iter()
            .find(|(from, _)| *from == h)
            .and_then(|(_, key)| column_for(key))
            .or_else(|| column_for(header))
    }

    /// Adds the pairs of `other` that this mapping does not already set.
    pub fn or(mut self, other: &Mapping) -> Mapping {
        for (h, k) in &other.0 {
            if !self.0.iter().any(|(x, _)| x == h) {
                self.0.push((h.clone(), k));
            }
        }
        self
    }
}

pub(crate) fn err(line: usize, column: &str, value: &str, zh: &str, en: &str) -> RowError {
    // An identity number in any cell (typed into the wrong column, too) is quoted masked.
    let value = &*crate::domain::mask_ids_in(value);
    let shown: String = if value.chars().count() > 40 {
        format!(
            "{}… ({} 字/chars)",
            value.chars().take(20).collect::<String>(),
            value.chars().count()
        )
    } else {
        value.to_string()
    };
    RowError {
        sheet: None,
        line,
        column: column.to_string(),
        value: shown,
        expected_zh: zh.to_string(),
        expected_en: en.to_string(),
    }
}

/// The class of a child whose roster had no class column.
pub const UNPLACED: &str = "未分班";

/// Which column of `table` each field is in, the headers ignored, and the 年级 column.
type Located = (HashMap<&'static str, usize>, SheetReport, Option<usize>);

fn locate(table: &Table, mapping: &Mapping) -> (Located, Vec<RowError>) {
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    let mut report = SheetReport {
        sheet: table.sheet.clone(),
        skipped: table.skipped.clone(),
        header_line: table.header_line,
        mapped: Vec::new(),
        ignored: Vec::new(),
        unnamed: Vec::new(),
        class_from_sheet: None,
        summary_rows: table.summary_rows.clone(),
        rows: table.rows.len(),
    };
    let mut errors = Vec::new();
    // A 年级 column of its own (六年级 beside 1班): joined to the class, not a field.
    let grade_at = table
        .headers
        .iter()
        .position(|h| normalize_header(h) == "年级");
    for (i, h) in table.headers.iter().enumerate() {
        let shown: String = h.split_whitespace().collect();
        match mapping.column(h) {
            _ if Some(i) == grade_at => {}
            Some(c) => {
                if index.insert(c.key, i).is_some() {
                    errors.push(err(
                        table.header_line,
                        &shown,
                        &shown,
                        &format!("每一列只出现一次 (这一列和前面的一列都是 {})", c.header),
                        &format!(
                            "each column once (this and an earlier one are both {})",
                            c.header
                        ),
                    ));
                }
                report.mapped.push((shown, c));
            }
            None if h.trim().is_empty() => {}
            None => report.ignored.push(shown),
        }
    }
    if !index.contains_key("class")
        && let Some(sheet) = &table.sheet
    {
        report.class_from_sheet = class_from_sheet(sheet);
    }
    ((index, report, grade_at), errors)
}

/// Of a workbook's sheets, keeps those that are rosters — a name column, and a birth date or
/// an identity number — and passes over the others (an events sheet beside the roster, a
/// list of classes); when none is, all stay, for the roster to say what is missing.
pub fn keep_rosters(sheets: &mut super::Sheets, mapping: &Mapping) {
    let is_roster = |t: &Table| {
        let ((index, _, _), _) = locate(t, mapping);
        index.contains_key("name") && (index.contains_key("birth") || index.contains_key("id_no"))
    };
    if sheets.tables.len() < 2 || !sheets.tables.iter().any(is_roster) {
        return;
    }
    let (keep, other): (Vec<Table>, Vec<Table>) = std::mem::take(&mut sheets.tables)
        .into_iter()
        .partition(is_roster);
    sheets.tables = keep;
    sheets
        .passed_over
        .extend(other.into_iter().filter_map(|t| t.sheet));
}

/// What each table will give, without reading its rows: for `--dry-run` and the app's
/// preview to show even when rows have mistakes.
pub fn describe(tables: &[Table], mapping: &Mapping) -> Vec<SheetReport> {
    tables
        .iter()
        .map(|t| {
            let mut report = locate(t, mapping).0.1;
            report.unnamed = unnamed_columns(t);
            report
        })
        .collect()
}

/// The columns with values but no header (or beyond the header's last cell), by letter:
/// said, never dropped silently. Read from every row, so only for the report.
fn unnamed_columns(table: &Table) -> Vec<String> {
    let grade_at = table
        .headers
        .iter()
        .position(|h| normalize_header(h) == "年级");
    let mut with_values: Vec<bool> = Vec::new();
    for (_, cells) in &table.rows {
        for (i, c) in cells.iter().enumerate() {
            if !matches!(c, super::read::Cell::Empty) && !c.text().trim().is_empty() {
                if with_values.len() <= i {
                    with_values.resize(i + 1, false);
                }
                with_values[i] = true;
            }
        }
    }
    with_values
        .iter()
        .enumerate()
        .filter(|(i, has)| {
            **has
                && table.headers.get(*i).is_none_or(|h| h.trim().is_empty())
                && Some(*i) != grade_at
        })
        .map(|(i, _)| {
            let letter = super::workbook::cell_name(0, i as u32);
            letter.trim_end_matches('1').to_string()
        })
        .collect()
}

/// Reads `table` as a roster with the built-in column names. `mentor` finds a staff member
/// by name. All rows are checked; any mistake anywhere returns every mistake and no rows.
pub fn parse_roster(
    table: &Table,
    today: NaiveDate,
    mentor: impl Fn(&str) -> Option<StaffId>,
) -> Result<Roster, Vec<RowError>> {
    let (roster, errors) = parse_tables(
        std::slice::from_ref(table),
        today,
        &Mapping::default(),
        &mentor,
    );
    if errors.is_empty() {
        Ok(roster)
    } else {
        Err(errors)
    }
}

/// Reads every table as one roster: a child may be on one sheet only (the same student
/// number, the same ID number, or the same name and birth date, on two rows is refused naming
/// both). Returns the rows read without a mistake and every mistake: the caller checks the
/// good rows further (against the files on record) so that all mistakes are listed at once,
/// and writes nothing unless there is none.
pub fn parse_tables(
    tables: &[Table],
    today: NaiveDate,
    mapping: &Mapping,
    mentor: &dyn Fn(&str) -> Option<StaffId>,
) -> (Roster, Vec<RowError>) {
    let mut rows = Vec::new();
    let mut sheets = Vec::new();
    let mut errors = Vec::new();
    let mut seen_no: HashMap<String, (Option<String>, usize)> = HashMap::new();
    let mut seen_name: HashMap<(String, NaiveDate), (Option<String>, usize)> = HashMap::new();
    let mut seen_id: HashMap<String, (Option<String>, usize)> = HashMap::new();
    for table in tables {
        let in_sheet = |mut e: RowError| {
            e.sheet = table.sheet.clone();
            e
        };
        let ((index, report, grade_at), mut found) = locate(table, mapping);
        if index.is_empty() {
            found.push(err(
                table.header_line.max(1),
                "标题行/header",
                &table.headers.join(","),
                &format!("第一行是列名, 如 {}", accepted_headers()),
                &format!(
                    "column names in the first row, such as {}",
                    accepted_headers()
                ),
            ));
            errors.extend(found.into_iter().map(in_sheet));
            continue;
        }
        // The ID number carries the birth date and gender: with it, those may be left out.
        let missing: Vec<&Column> = COLUMNS
            .iter()
            .filter(|c| c.required && !index.contains_key(c.key))
            .filter(|c| !(index.contains_key("id_no") && matches!(c.key, "birth" | "gender")))
            .collect();
        if !missing.is_empty() {
            let names: Vec<&str> = missing.iter().map(|c| c.header).collect();
            found.push(err(
                table.header_line.max(1),
                "标题行/header",
                &names.join(", "),
                &format!("必须有这些列: {}", names.join(", ")),
                &format!("these columns are required: {}", names.join(", ")),
            ));
            errors.extend(found.into_iter().map(in_sheet));
            continue;
        }
        let cols = Columns {
            index: &index,
            headers: &table.headers,
            grade_at,
            sheet_class: report.class_from_sheet.as_deref(),
            today,
        };
        for (line, cells) in &table.rows {
            let mut row = Row::new(*line, cells, &cols);
            let child = row.read(mentor);
            found.append(&mut row.errors);
            let Some(child) = child else { continue };
            let here = (table.sheet.clone(), *line);
            let place = |(sheet, line): &(Option<String>, usize)| match sheet {
                Some(s) if tables.len() > 1 => (
                    format!("工作表 {s} 第 {line} 行"),
                    format!("sheet {s} line {line}"),
                ),
                _ => (format!("第 {line} 行"), format!("line {line}")),
            };
            if let Some(no) = &child.student_no
                && let Some(first) = seen_no.insert(no.clone(), here.clone())
            {
                let (zh, en) = place(&first);
                found.push(err(
                    *line,
                    "学号",
                    no,
                    &format!("不与{zh}重复的学号"),
                    &format!("a student number not already on {en}"),
                ));
                continue;
            }
            if let Some(id) = child.register.id_no.clone()
                && !crate::domain::is_masked(&id)
                && let Some(first) = seen_id.insert(id.clone(), here.clone())
            {
                let (zh, en) = place(&first);
                found.push(err(
                    *line,
                    "身份证号",
                    &id,
                    &format!("不与{zh}相同的身份证号 (两个孩子不会有同一个号码)"),
                    &format!("an ID number not already on {en} (no two children share one)"),
                ));
                continue;
            }
            let key = (normalize_name(&child.name), child.birth);
            if let Some(first) = seen_name.insert(key, here) {
                let (zh, en) = place(&first);
                found.push(err(
                    *line,
                    "姓名",
                    &child.name,
                    &format!("不与{zh}重复 (同名同生日, 是同一个学生吗?)"),
                    &format!("not the same child as {en} (same name and birth date)"),
                ));
                continue;
            }
            rows.push(RowPlan {
                sheet: table.sheet.clone(),
                line: *line,
                child,
            });
        }
        if table.rows.is_empty() && tables.len() == 1 {
            found.push(err(
                table.header_line + 1,
                "数据行/rows",
                "",
                "标题行下至少一行学生",
                "at least one child below the header row",
            ));
        }
        errors.extend(found.into_iter().map(in_sheet));
        sheets.push(report);
    }
    (Roster { rows, sheets }, errors)
}
