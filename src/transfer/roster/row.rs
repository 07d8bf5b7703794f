//! One roster row read into a child's file: each cell checked, every mistake of the row
//! noted with the cell as the file holds it (never a converted value), nothing stored.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::values::{
    age, eight_digit_date, excel_scientific, parent_word, unneutralise, year_month, yes_no,
};
use super::{RowError, UNPLACED, err};
use crate::domain::{
    Contact, Expected, Gender, Guardian, IdError, IdNumber, LeftBehind, LeftBehindType, NewChild,
    Parent, ParentRelation, ParseError, Register, StaffId, class_with_grade, is_masked,
    normalize_class, normalize_name, normalize_phone, parse_date, parse_gender,
    parse_left_behind_type,
};
use crate::transfer::read::{Cell, excel_serial_date};

mod family;

const NAME_MAX: usize = 50;
const TEXT_MAX: usize = 300;

/// The columns a file may carry that a roster may leave out: those it does not have are
/// noted on the file as 未填.
const MAY_BE_MISSING: [&str; 21] = [
    "village",
    "address",
    "boarding",
    "type",
    "father",
    "father_phone",
    "father_work",
    "mother",
    "mother_phone",
    "mother_work",
    "guardian",
    "guardian_phone",
    "id_no",
    "class",
    "ethnicity",
    "hukou",
    "health",
    "guardianship",
    "care",
    "assessment",
    "remarks",
];

/// Whether a field the roster has no column for got its value another way.
fn found_elsewhere(
    key: &str,
    id_no: &Option<String>,
    guardian: &Option<Guardian>,
    parents: &[Parent],
) -> bool {
    let parent = |rel: ParentRelation| parents.iter().find(|p| p.relation == rel);
    match key {
        "id_no" => id_no.is_some(),
        "guardian" => guardian.is_some(),
        "guardian_phone" => guardian.as_ref().is_some_and(|g| g.phone.is_some()),
        "father" => parent(ParentRelation::Father).is_some_and(|p| !p.name.is_empty()),
        "mother" => parent(ParentRelation::Mother).is_some_and(|p| !p.name.is_empty()),
        "father_phone" => parent(ParentRelation::Father).is_some_and(|p| p.phone.is_some()),
        "mother_phone" => parent(ParentRelation::Mother).is_some_and(|p| p.phone.is_some()),
        "father_work" => parent(ParentRelation::Father).is_some_and(|p| p.workplace.is_some()),
        "mother_work" => parent(ParentRelation::Mother).is_some_and(|p| p.workplace.is_some()),
        _ => false,
    }
}

/// What every row of a table shares: where each field's column is and the table's setting.
pub struct Columns<'a> {
    pub index: &'a HashMap<&'static str, usize>,
    pub headers: &'a [String],
    /// The 年级 column, joined to the class.
    pub grade_at: Option<usize>,
    /// The class of a sheet named after it, for a table without a class column.
    pub sheet_class: Option<&'a str>,
    pub today: NaiveDate,
}

/// What a cell says when the school has not filled it in (and what an export writes for a
/// field that was never recorded): the field is 未填, not empty.
pub const UNFILLED: &str = "未填";

/// How the app's English file form writes [`UNFILLED`]; read as the same.
pub const UNFILLED_EN: &str = "not recorded";

/// What Excel shows in a cell whose formula failed.
const EXCEL_ERRORS: [&str; 8] = [
    "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#DATA!",
];

/// A pupil is born within this many years before today (the service's own check, made here
/// too so that the refusal quotes the cell as written).
const OLDEST_PUPIL_YEARS: i64 = 30;

/// One row being read.
pub struct Row<'a> {
    pub line: usize,
    cells: &'a [Cell],
    cols: &'a Columns<'a>,
    pub errors: Vec<RowError>,
    /// Columns whose cell says 未填.
    unfilled: Vec<&'static str>,
}

impl<'a> Row<'a> {
    pub fn new(line: usize, cells: &'a [Cell], cols: &'a Columns<'a>) -> Row<'a> {
        Row {
            line,
            cells,
            cols,
            errors: Vec::new(),
            unfilled: Vec::new(),
        }
    }

    fn has(&self, key: &str) -> bool {
        self.cols.index.contains_key(key)
    }

    fn header(&self, key: &str) -> String {
        self.cols
            .index
            .get(key)
            .and_then(|i| self.cols.headers.get(*i))
            .map(|h| h.split_whitespace().collect::<Vec<_>>().join(""))
            .unwrap_or_else(|| key.to_string())
    }

    fn cell(&self, key: &str) -> Option<&'a Cell> {
        self.cols.index.get(key).and_then(|i| self.cells.get(*i))
    }

    fn filled(&self, key: &str) -> bool {
        self.cell(key).is_some_and(|c| match c {
            Cell::Empty => false,
            Cell::Text(t) => !t.trim().is_empty(),
            other => !other.text().trim().is_empty(),
        })
    }

    fn refuse(&mut self, key: &str, value: &str, zh: &str, en: &str) {
        let header = self.header(key);
        self.errors.push(err(self.line, &header, value, zh, en));
    }

    /// A formula saved without its value: refused naming the cell.
    fn unsaved(&mut self, key: &str) -> bool {
        if let Some(Cell::Unsaved { at, formula }) = self.cell(key) {
            let (at, formula) = (at.clone(), formula.clone());
            self.refuse(
                key,
                &formula,
                &format!(
                    "单元格 {at} 是公式, 文件里没有保存它的结果: 请在 Excel 或 WPS 里打开这个文件、保存一次再导入 (或把这一列“选择性粘贴→数值”)"
                ),
                &format!(
                    "cell {at} is a formula saved without its value: open the file in Excel or WPS, save it once and import again (or paste the column as values)"
                ),
            );
            return true;
        }
        false
    }

    /// The cell as one line of checked text, or `None` when empty or refused.
    pub fn text(&mut self, key: &str, max: usize) -> Option<String> {
        // The column is looked up once (ten thousand rows, thirty fields each).
        let cell = self.cell(key);
        if matches!(cell, Some(Cell::Unsaved { .. })) && self.unsaved(key) {
            return None;
        }
        let raw = cell.map(Cell::text).unwrap_or_default();
        let v = unneutralise(raw.trim()).trim().to_string();
        if v.chars().any(crate::domain::is_hidden_control) {
            self.refuse(
                key,
                &v.escape_debug().to_string(),
                "一行文字, 不含控制字符、转义序列或文字方向控制符",
                "one line of text, without control characters, escape sequences or direction overrides",
            );
            return None;
        }
        // An Excel error value (a formula that failed: #N/A, #VALUE! …) is no value.
        if EXCEL_ERRORS.contains(&v.as_str()) {
            self.refuse(
                key,
                &v,
                "一个值, 不是 Excel 的错误值 (这个格子的公式出错了; 请在 Excel 里改正后再导入)",
                "a value, not an Excel error (the cell's formula failed; correct it in Excel and import again)",
            );
            return None;
        }
        if v.chars().count() > max {
            self.refuse(
                key,
                &v,
                &format!("不超过 {max} 个字"),
                &format!("at most {max} characters"),
            );
            return None;
        }
        if (v == UNFILLED || v.eq_ignore_ascii_case(UNFILLED_EN))
            && let Some(k) = MAY_BE_MISSING.iter().find(|k| **k == key)
        {
            self.unfilled.push(k);
            return None;
        }
        (!v.is_empty()).then_some(v)
    }

    /// A long number (身份证号, 学号): a number cell of more than 15 digits has already lost
    /// its last digits in Excel, and is refused with the way to fix it.
    fn long_number(&mut self, key: &str) -> Option<String> {
        if let Some(Cell::Number(n)) = self.cell(key)
            && n.abs() >= 1e15
        {
            let shown = excel_scientific(*n);
            self.refuse(
                key,
                &shown,
                "以文本保存的号码: 这个格子是数字, Excel 只保留 15 位, 后面几位已经丢失了。请在 Excel 里把这一列设为“文本”格式, 再从原始资料重新粘贴号码",
                "a number kept as text: this cell is a number, and Excel keeps only 15 digits, so the last ones are lost. Format the column as Text in Excel and paste the numbers again from the original",
            );
            return None;
        }
        self.text(key, NAME_MAX)
    }

    /// The 身份证号 checked; a masked number (sent back by a form) is kept as it is, for the
    /// service to keep the number on file.
    fn id_no(&mut self) -> (Option<String>, Option<IdNumber>) {
        let Some(v) = self.long_number("id_no") else {
            return (None, None);
        };
        if is_masked(&v) {
            return (Some(v), None);
        }
        match IdNumber::parse(&v) {
            Ok(id) => (Some(id.as_str().to_string()), Some(id)),
            Err(e) => {
                let (zh, en) = match &e {
                    IdError::Shape | IdError::Check { .. } | IdError::Date => (e.zh(), e.en()),
                };
                self.refuse("id_no", &v, &zh, &en);
                (None, None)
            }
        }
    }

    /// A date; a year and a month only is completed from the 身份证号 of the row when it
    /// agrees (`id_birth`), else refused saying the day is missing.
    fn date(&mut self, key: &str, id_birth: Option<NaiveDate>) -> Option<NaiveDate> {
        let c = self.cell(key)?;
        if matches!(c, Cell::Unsaved { .. }) && self.unsaved(key) {
            return None;
        }
        let written = c.text().trim().to_string();
        if let Some((y, m)) = year_month(&written) {
            return match id_birth {
                Some(b) if b.year() == y && b.month() == m => Some(b),
                Some(b) => {
                    self.refuse(
                        key,
                        &written,
                        &format!("与身份证号里的出生日期 {b} 相同的年月"),
                        &format!("the year and month of the birth date {b} in the ID number"),
                    );
                    None
                }
                None => {
                    self.refuse(
                        key,
                        &written,
                        "有年、月、日的日期 (这里只有年月, 缺少日; 同一行有身份证号时按身份证号补全), 如 2014-05-03",
                        "a date with its day (this has only a year and a month; an ID number in the row would complete it), e.g. 2014-05-03",
                    );
                    None
                }
            };
        }
        let parsed = match c {
            Cell::Date(d) => Some(*d),
            Cell::Number(n) if n.fract() == 0.0 && (1.0e7..1.0e8).contains(n) => {
                eight_digit_date(&format!("{}", *n as i64))
            }
            Cell::Number(n) => excel_serial_date(*n),
            Cell::Text(t) => {
                let t = t.trim();
                if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
                    // 20140503, or an Excel serial number saved as text.
                    match t.len() {
                        8 => eight_digit_date(t),
                        // An Excel serial kept as text (a pupil born 1954–2064): a
                        // shorter number is no date.
                        5 => t
                            .parse::<f64>()
                            .ok()
                            .filter(|n| (20_000.0..=60_000.0).contains(n))
                            .and_then(excel_serial_date),
                        _ => None,
                    }
                } else {
                    // A date with a time (2014-05-03 00:00:00): the day is what counts.
                    let day = t.split_once([' ', 'T']).map_or(t, |(d, _)| d);
                    parse_date(t, self.cols.today)
                        .or_else(|_| parse_date(day, self.cols.today))
                        .ok()
                }
            }
            Cell::Empty | Cell::Unsaved { .. } => return None,
        };
        if parsed.is_none() {
            // Written as a date but no such day (2014-02-30): said so, not the formats.
            if let Err(ParseError {
                expected: e @ Expected::NoSuchDay(_),
                ..
            }) = parse_date(&written, self.cols.today)
            {
                self.refuse(key, &written, e.zh(), e.en());
                return None;
            }
            self.refuse(
                key,
                &written,
                "日期, 如 2012-05-03、2012/5/3、2012.5.3、2012年5月3日、20120503 或 Excel 日期",
                "a date such as 2012-05-03, 2012/5/3, 2012.5.3, 20120503 or an Excel date (Chinese dates are read too)",
            );
        }
        parsed
    }

    fn phone(&mut self, key: &str) -> Option<String> {
        let p = self.long_number(key)?;
        match normalize_phone(&p) {
            Ok(p) => Some(p),
            Err(_) => {
                self.refuse(key, &p, Expected::Phone.zh(), Expected::Phone.en());
                None
            }
        }
    }

    fn flag(&mut self, key: &str) -> bool {
        let v = self.text(key, NAME_MAX).unwrap_or_default();
        yes_no(&v).unwrap_or_else(|| {
            self.refuse(
                key,
                &v,
                "是 或 否 (也可写 √/×、住校/走读、1/0)",
                "yes or no (also √/×, 1/0, and a roster's Chinese words)",
            );
            false
        })
    }

    /// The whole row as a file, or `None` with the row's mistakes in `errors`.
    pub fn read(&mut self, mentor: &dyn Fn(&str) -> Option<StaffId>) -> Option<NewChild> {
        let line = self.line;
        // Stored one way (李　娜 is 李娜, 阿依古丽•买买提 is 阿依古丽·买买提), shown so in previews.
        let name = self.text("name", NAME_MAX).map(|n| normalize_name(&n));
        if name.is_none() && self.errors.is_empty() {
            self.refuse("name", "", "不能为空", "must not be empty");
        }
        let (mut id_no, mut id) = self.id_no();
        // A 学籍号 written as a letter and the identity number (G430524…) carries it when
        // the roster has no number column of its own.
        if !self.has("id_no")
            && let Some(no) = self.cell("student_no").map(Cell::text)
            && let Some(rest) = no.trim().strip_prefix(|c: char| c.is_ascii_alphabetic())
            && let Ok(from_no) = IdNumber::parse(rest)
        {
            id_no = Some(from_no.as_str().to_string());
            id = Some(from_no);
        }
        let gender = match self.text("gender", NAME_MAX) {
            Some(g) => match parse_gender(&g) {
                Ok(g) => Some(g),
                Err(_) => {
                    self.refuse("gender", &g, Expected::Gender.zh(), Expected::Gender.en());
                    None
                }
            },
            None if id.is_some() => id.as_ref().map(IdNumber::gender),
            None => {
                self.refuse("gender", "", Expected::Gender.zh(), Expected::Gender.en());
                None
            }
        };
        let birth = match self.date("birth", id.as_ref().and_then(IdNumber::birth)) {
            Some(b) => Some(b),
            None if !self.filled("birth") => match id.as_ref().and_then(IdNumber::birth) {
                Some(b) => Some(b),
                None => {
                    self.refuse(
                        "birth",
                        "",
                        "出生日期, 如 2014-05-03",
                        "a birth date, e.g. 2014-05-03",
                    );
                    None
                }
            },
            None => None,
        };
        // The ID number must agree with the row: its date of birth and its gender.
        if let (Some(id), Some(written)) = (&id, &id_no) {
            if let (Some(b), Some(from_id)) = (birth, id.birth())
                && b != from_id
            {
                let shown = self.cell("birth").map(Cell::text).unwrap_or_default();
                self.refuse(
                    "id_no",
                    written,
                    &format!(
                        "与出生日期一致的身份证号 (身份证号里是 {from_id}, 出生日期一栏是 {}); 请核对哪一个写错了",
                        shown.trim()
                    ),
                    &format!(
                        "an ID number that agrees with the birth date (the number says {from_id}, the birth date column {}); check which one is wrong",
                        shown.trim()
                    ),
                );
            }
            if let Some(g) = gender
                && g != id.gender()
            {
                let shown = self.cell("gender").map(Cell::text).unwrap_or_default();
                self.refuse(
                    "id_no",
                    written,
                    &format!(
                        "与性别一致的身份证号 (第 17 位说是{}, 性别一栏是 {}); 请核对哪一个写错了",
                        id.gender().zh(),
                        shown.trim()
                    ),
                    &format!(
                        "an ID number that agrees with the gender (its 17th digit says {}, the gender column {}); check which one is wrong",
                        if id.gender() == Gender::Male { "male" } else { "female" },
                        shown.trim()
                    ),
                );
            }
        }
        let class = self.class();
        let student_no = self.long_number("student_no");
        let village = self.text("village", NAME_MAX);
        let address = self.text("address", TEXT_MAX);
        let boarding = self.flag("boarding");
        let key_support = self.flag("key_support");
        let poverty_support = self.flag("poverty_support");
        // The civil-affairs register has no 留守类型 column: its 实际监护情况 says who is away
        // (父母双方同时外出, 父母一方外出、另一方无监护能力), and gives the type.
        let care = self.text("care", TEXT_MAX);
        let type_in_care = care
            .as_deref()
            .and_then(|c| parse_left_behind_type(c).ok())
            .filter(|_| !self.filled("type"));
        let kind = match self.text("type", NAME_MAX) {
            Some(t) => parse_left_behind_type(&t).unwrap_or_else(|_| {
                self.refuse(
                    "type",
                    &t,
                    Expected::LeftBehindType.zh(),
                    Expected::LeftBehindType.en(),
                );
                LeftBehindType::BothParents
            }),
            None => type_in_care.unwrap_or(LeftBehindType::BothParents),
        };
        let since = self.date("since", None);
        let opened = self.date("opened", None);
        let mut parents = self.parents();
        let mut guardian = self.guardian();
        self.parent_by_title(&mut parents, &mut guardian);
        let emergency = self.emergency();
        let mentor_id = match self.text("mentor", NAME_MAX) {
            Some(m) => match mentor(&m) {
                Some(id) => Some(id),
                None => {
                    self.refuse(
                        "mentor",
                        &m,
                        "已登记的教师姓名 (见 guanai staff list)",
                        "the name of a staff member on file (see guanai staff list)",
                    );
                    None
                }
            },
            None => None,
        };
        let special_needs = self.text("special_needs", TEXT_MAX).unwrap_or_default();
        let buddies: Vec<String> = self
            .text("buddy", TEXT_MAX)
            .map(|b| {
                b.split(['、', ',', '，', ';', '；'])
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        // Read before the fields not recorded are worked out (a cell may say 未填).
        let ethnicity = self.text("ethnicity", NAME_MAX);
        let hukou = self.text("hukou", TEXT_MAX);
        let health = self.text("health", TEXT_MAX);
        let guardianship = self.text("guardianship", NAME_MAX);
        let assessment = self.text("assessment", TEXT_MAX);
        let remarks = self.text("remarks", TEXT_MAX);
        let unrecorded: Vec<String> = MAY_BE_MISSING
            .iter()
            .filter(|k| {
                !(self.has(k) || **k == "class" && class.is_some()) || self.unfilled.contains(k)
            })
            .filter(|k| {
                !(k.starts_with("father") || k.starts_with("mother"))
                    || !self.has("parent_relation")
            })
            // A value found elsewhere in the row (the ID number in 学籍号, the guardian by
            // 称谓) is recorded.
            .filter(|k| !found_elsewhere(k, &id_no, &guardian, &parents))
            .filter(|k| !(**k == "type" && type_in_care.is_some()))
            .map(|k| k.to_string())
            .collect();
        let register = Register {
            id_no,
            ethnicity,
            hukou,
            health,
            guardianship,
            care,
            assessment,
            remarks,
            unrecorded,
        };
        if let Some(b) = birth {
            let written = self
                .cell("birth")
                .map(|c| c.text().trim().to_string())
                .filter(|w| !w.is_empty())
                .unwrap_or_else(|| b.to_string());
            let oldest = self.cols.today - chrono::Duration::days(365 * OLDEST_PUPIL_YEARS);
            if b > self.cols.today {
                self.refuse(
                    "birth",
                    &written,
                    "不晚于今天的日期",
                    "a date no later than today",
                );
            } else if b < oldest {
                self.refuse(
                    "birth",
                    &written,
                    &format!("学生的出生日期, 在 {oldest} 与今天之间"),
                    &format!("a pupil's birth date, between {oldest} and today"),
                );
            }
        }
        if !self.errors.is_empty() {
            return None;
        }
        let (name, gender, birth, class) = (name?, gender?, birth?, class?);
        let _ = line;
        let mut child = NewChild::basic(&name, gender, birth, &class);
        child.student_no = student_no;
        child.village = village;
        child.address = address;
        child.boarding = boarding;
        child.left_behind = LeftBehind { kind, since };
        child.opened = opened;
        child.parents = parents;
        child.guardian = guardian;
        child.emergency_contacts = emergency.into_iter().collect();
        child.mentor = mentor_id;
        child.buddies = buddies;
        child.support.key_support = key_support;
        child.support.poverty_support = poverty_support;
        child.support.special_needs = special_needs;
        child.register = register;
        Some(child)
    }

    /// The class: with a 年级 column, a class written without its grade (1班, (1)班, 1)
    /// takes it; a table without a class column takes its sheet's name when that is a class
    /// (六(1)班), else 未分班 for an administrator to place; an empty class cell is a mistake.
    fn class(&mut self) -> Option<String> {
        let grade = self
            .cols
            .grade_at
            .and_then(|i| self.cells.get(i))
            .map(|c| c.text().trim().to_string())
            .filter(|g| !g.is_empty());
        let class = self.text("class", NAME_MAX).map(|c| match &grade {
            Some(g) => class_with_grade(g, &c),
            None => normalize_class(&c),
        });
        match class {
            Some(c) => Some(c),
            None if !self.has("class") => Some(
                self.cols
                    .sheet_class
                    .map_or_else(|| UNPLACED.to_string(), str::to_string),
            ),
            None => {
                if !self.filled("class") {
                    self.refuse(
                        "class",
                        "",
                        "班级, 如 七(2)班",
                        "a class, e.g. 7-2 or 702 (grade 7, class 2)",
                    );
                }
                None
            }
        }
    }
}
