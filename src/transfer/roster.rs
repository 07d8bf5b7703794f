//! Roster rows → children's files, with every mistake of every row listed at once.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::columns::{COLUMNS, Column, accepted_headers, column_for};
use super::read::{Cell, Table, excel_serial_date};
use crate::domain::{
    Contact, Expected, Guardian, LeftBehind, LeftBehindType, NewChild, Parent, ParentRelation,
    StaffId, normalize_class, normalize_phone, parse_date, parse_gender, parse_left_behind_type,
};

/// One mistake: where (line or row number as the file shows it, and the column's header), the
/// value, and what would be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
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
    pub line: usize,
    pub child: NewChild,
}

/// The result of reading a roster.
#[derive(Debug, Clone, PartialEq)]
pub struct Roster {
    pub rows: Vec<RowPlan>,
    /// Headers that name no known column (ignored).
    pub ignored: Vec<String>,
}

/// Reads a column of the current row as checked text.
type TextCell<'a> = dyn FnMut(&str, usize, &mut Vec<RowError>) -> Option<String> + 'a;

const NAME_MAX: usize = 50;
const TEXT_MAX: usize = 300;

fn err(line: usize, column: &str, value: &str, zh: &str, en: &str) -> RowError {
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
        line,
        column: column.to_string(),
        value: shown,
        expected_zh: zh.to_string(),
        expected_en: en.to_string(),
    }
}

/// Undoes the export's formula neutralisation: `'=1+1` was exported for `=1+1`.
fn unneutralise(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\'']) => rest,
        _ => s,
    }
}

/// The class of a child whose roster had no class column.
pub const UNPLACED: &str = "未分班";

/// Whether a cell holds a year and a month only: 2014.05, 2014-5, 2014/05, 2014年5月,
/// 201405.
fn year_month(cell: &str) -> bool {
    let t: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.strip_suffix('月').unwrap_or(&t);
    let (year, month) = match t.find(['.', '-', '/', '年']) {
        Some(i) => {
            let sep = t[i..].chars().next().map_or(1, char::len_utf8);
            (&t[..i], &t[i + sep..])
        }
        None if t.len() == 6 && t.chars().all(|c| c.is_ascii_digit()) => t.split_at(4),
        None => return false,
    };
    let year_ok = year.len() == 4
        && year
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2100).contains(&y));
    let month_ok =
        (1..=2).contains(&month.len()) && month.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m));
    year_ok && month_ok
}

fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "是" | "yes" | "y" | "1" | "true" | "√" | "✓" | "有" | "住校" | "寄宿" => {
            Some(true)
        }
        "否" | "no" | "n" | "0" | "false" | "×" | "无" | "" | "走读" | "不寄宿" => {
            Some(false)
        }
        _ => None,
    }
}

/// Reads `table` as a roster. `mentor` finds a staff member by name. All rows are checked;
/// any mistake anywhere returns every mistake and no rows.
pub fn parse_roster(
    table: &Table,
    today: NaiveDate,
    mentor: impl Fn(&str) -> Option<StaffId>,
) -> Result<Roster, Vec<RowError>> {
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    let mut ignored = Vec::new();
    let mut errors = Vec::new();
    // A 年级 column of its own (六年级 beside 1班): joined to the class, not a field.
    let grade_at = table
        .headers
        .iter()
        .position(|h| super::columns::normalize_header(h) == "年级");
    for (i, h) in table.headers.iter().enumerate() {
        match column_for(h) {
            _ if Some(i) == grade_at => {}
            Some(c) => {
                if index.insert(c.key, i).is_some() {
                    errors.push(err(1, h, h, "每一列只出现一次", "each column once"));
                }
            }
            None if h.trim().is_empty() => {}
            None => ignored.push(h.trim().to_string()),
        }
    }
    if index.is_empty() {
        errors.push(err(
            1,
            "标题行/header",
            &table.headers.join(","),
            &format!("第一行是列名, 如 {}", accepted_headers()),
            &format!(
                "column names in the first row, such as {}",
                accepted_headers()
            ),
        ));
        return Err(errors);
    }
    let missing: Vec<&Column> = COLUMNS
        .iter()
        .filter(|c| c.required && !index.contains_key(c.key))
        .collect();
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|c| c.header).collect();
        errors.push(err(
            1,
            "标题行/header",
            &names.join(", "),
            &format!("必须有这些列: {}", names.join(", ")),
            &format!("these columns are required: {}", names.join(", ")),
        ));
        return Err(errors);
    }
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut seen_no: HashMap<String, usize> = HashMap::new();
    let mut seen_name: HashMap<(String, NaiveDate), usize> = HashMap::new();
    for (line, cells) in &table.rows {
        let line = *line;
        let before = errors.len();
        let header_of = |key: &str| {
            index
                .get(key)
                .and_then(|i| table.headers.get(*i))
                .map(|h| h.trim().to_string())
                .unwrap_or_else(|| key.to_string())
        };
        let cell = |key: &str| -> Option<&Cell> { index.get(key).and_then(|i| cells.get(*i)) };
        let mut text = |key: &str, max: usize, errors: &mut Vec<RowError>| -> Option<String> {
            let raw = cell(key).map(Cell::text).unwrap_or_default();
            let v = unneutralise(raw.trim()).trim().to_string();
            if v.chars().any(crate::domain::is_hidden_control) {
                errors.push(err(
                    line,
                    &header_of(key),
                    &v.escape_debug().to_string(),
                    "一行文字, 不含控制字符、转义序列或文字方向控制符",
                    "one line of text, without control characters, escape sequences or direction overrides",
                ));
                return None;
            }
            if v.chars().count() > max {
                errors.push(err(
                    line,
                    &header_of(key),
                    &v,
                    &format!("不超过 {max} 个字"),
                    &format!("at most {max} characters"),
                ));
                return None;
            }
            (!v.is_empty()).then_some(v)
        };
        let date = |key: &str, errors: &mut Vec<RowError>| -> Option<NaiveDate> {
            let c = cell(key)?;
            // A year and a month only (2014.05, 2014年5月, 201405): the day is missing, said
            // with the cell as the file holds it.
            if year_month(&c.text()) {
                errors.push(err(
                    line,
                    &header_of(key),
                    &c.text(),
                    "有年、月、日的日期 (这里只有年月, 缺少日), 如 2014-05-03",
                    "a date with its day (this has only a year and a month), e.g. 2014-05-03",
                ));
                return None;
            }
            let parsed = match c {
                Cell::Date(d) => Some(*d),
                Cell::Number(n) => excel_serial_date(*n),
                Cell::Text(t) => {
                    let t = t.trim();
                    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
                        // 20140503, or an Excel serial number saved as text.
                        match t.len() {
                            8 => NaiveDate::parse_from_str(t, "%Y%m%d").ok(),
                            1..=7 => t.parse::<f64>().ok().and_then(excel_serial_date),
                            _ => None,
                        }
                    } else {
                        parse_date(t, today).ok()
                    }
                }
                Cell::Empty => return None,
            };
            if parsed.is_none() {
                errors.push(err(
                    line,
                    &header_of(key),
                    &c.text(),
                    "日期, 如 2012-05-03、2012/5/3、2012.5.3、2012年5月3日 或 Excel 日期",
                    "a date such as 2012-05-03, 2012/5/3, 2012.5.3, 2012年5月3日 or an Excel date",
                ));
            }
            parsed
        };
        let name = text("name", NAME_MAX, &mut errors);
        if name.is_none() && errors.len() == before {
            errors.push(err(
                line,
                &header_of("name"),
                "",
                "不能为空",
                "must not be empty",
            ));
        }
        let gender = match text("gender", NAME_MAX, &mut errors) {
            Some(g) => match parse_gender(&g) {
                Ok(g) => Some(g),
                Err(_) => {
                    errors.push(err(
                        line,
                        &header_of("gender"),
                        &g,
                        Expected::Gender.zh(),
                        Expected::Gender.en(),
                    ));
                    None
                }
            },
            None => {
                errors.push(err(
                    line,
                    &header_of("gender"),
                    "",
                    Expected::Gender.zh(),
                    Expected::Gender.en(),
                ));
                None
            }
        };
        let birth = date("birth", &mut errors);
        if birth.is_none() && cell("birth").is_none_or(|c| matches!(c, Cell::Empty)) {
            errors.push(err(
                line,
                &header_of("birth"),
                "",
                "出生日期, 如 2014-05-03",
                "a birth date, e.g. 2014-05-03",
            ));
        }
        // With a 年级 column, a class written without its grade (1班, (1)班, 1) takes it.
        let grade = grade_at
            .and_then(|i| cells.get(i))
            .map(|c| c.text().trim().to_string())
            .filter(|g| !g.is_empty());
        let class = text("class", NAME_MAX, &mut errors).map(|c| match &grade {
            Some(g) => crate::domain::class_with_grade(g, &c),
            None => normalize_class(&c),
        });
        // A file without a class column at all (the civil-affairs register): the children
        // come in as 未分班, for an administrator to place; an empty class cell is a mistake.
        let class = match class {
            None if !index.contains_key("class") => Some(UNPLACED.to_string()),
            other => other,
        };
        if class.is_none() && cell("class").is_none_or(|c| matches!(c, Cell::Empty)) {
            errors.push(err(
                line,
                &header_of("class"),
                "",
                "班级, 如 七(2)班",
                "a class, e.g. 七(2)班",
            ));
        }
        let student_no = text("student_no", NAME_MAX, &mut errors);
        let village = text("village", NAME_MAX, &mut errors);
        let address = text("address", TEXT_MAX, &mut errors);
        let flag = |key: &str, errors: &mut Vec<RowError>| -> bool {
            let v = text(key, NAME_MAX, errors).unwrap_or_default();
            yes_no(&v).unwrap_or_else(|| {
                errors.push(err(
                    line,
                    &header_of(key),
                    &v,
                    "是 或 否 (yes/no)",
                    "是 or 否 (yes or no)",
                ));
                false
            })
        };
        let boarding = flag("boarding", &mut errors);
        let key_support = flag("key_support", &mut errors);
        let poverty_support = flag("poverty_support", &mut errors);
        let kind = match text("type", NAME_MAX, &mut errors) {
            Some(t) => parse_left_behind_type(&t).unwrap_or_else(|_| {
                errors.push(err(
                    line,
                    &header_of("type"),
                    &t,
                    Expected::LeftBehindType.zh(),
                    Expected::LeftBehindType.en(),
                ));
                LeftBehindType::BothParents
            }),
            None => LeftBehindType::BothParents,
        };
        let since = date("since", &mut errors);
        let opened = date("opened", &mut errors);
        let phone =
            |key: &str, errors: &mut Vec<RowError>, text: &mut TextCell<'_>| -> Option<String> {
                let p = text(key, NAME_MAX, errors)?;
                match normalize_phone(&p) {
                    Ok(p) => Some(p),
                    Err(_) => {
                        errors.push(err(
                            line,
                            &header_of(key),
                            &p,
                            Expected::Phone.zh(),
                            Expected::Phone.en(),
                        ));
                        None
                    }
                }
            };
        let mut parents = Vec::new();
        for (relation, n, p, w) in [
            (
                ParentRelation::Father,
                "father",
                "father_phone",
                "father_work",
            ),
            (
                ParentRelation::Mother,
                "mother",
                "mother_phone",
                "mother_work",
            ),
        ] {
            let pname = text(n, NAME_MAX, &mut errors);
            let pphone = phone(p, &mut errors, &mut text);
            let pwork = text(w, TEXT_MAX, &mut errors);
            match pname {
                Some(pname) => parents.push(Parent {
                    relation,
                    name: pname,
                    phone: pphone,
                    away: pwork.is_some(),
                    workplace: pwork,
                }),
                None if pphone.is_some() || pwork.is_some() => errors.push(err(
                    line,
                    &header_of(n),
                    "",
                    "有电话或务工地时需要姓名",
                    "a name, since a phone or workplace is given",
                )),
                None => {}
            }
        }
        let gname = text("guardian", NAME_MAX, &mut errors);
        let grel = text("guardian_relation", NAME_MAX, &mut errors);
        let gphone = phone("guardian_phone", &mut errors, &mut text);
        let guardian = match gname {
            Some(gname) => Some(Guardian {
                name: gname,
                relation: grel.unwrap_or_default(),
                phone: gphone,
                age: None,
                health: None,
                can_supervise_study: None,
            }),
            None if grel.is_some() || gphone.is_some() => {
                errors.push(err(
                    line,
                    &header_of("guardian"),
                    "",
                    "有监护人电话或关系时需要监护人姓名",
                    "the guardian's name, since a relation or phone is given",
                ));
                None
            }
            None => None,
        };
        // The first emergency contact (联系卡): a name and a phone, or neither.
        let ename = text("emergency", NAME_MAX, &mut errors);
        let erel = text("emergency_relation", NAME_MAX, &mut errors);
        let ephone = phone("emergency_phone", &mut errors, &mut text);
        let emergency = match (ename, ephone) {
            (Some(name), Some(phone)) => Some(Contact {
                name,
                relation: erel.unwrap_or_default(),
                phone,
            }),
            (None, None) if erel.is_none() => None,
            (name, _) => {
                let (column, zh, en) = if name.is_none() {
                    (
                        "emergency",
                        "有紧急联系人电话或关系时需要姓名",
                        "the emergency contact's name, since a relation or phone is given",
                    )
                } else {
                    (
                        "emergency_phone",
                        "紧急联系人需要电话",
                        "the emergency contact's phone",
                    )
                };
                errors.push(err(line, &header_of(column), "", zh, en));
                None
            }
        };
        let mentor_id = match text("mentor", NAME_MAX, &mut errors) {
            Some(m) => match mentor(&m) {
                Some(id) => Some(id),
                None => {
                    errors.push(err(
                        line,
                        &header_of("mentor"),
                        &m,
                        "已登记的教师姓名 (见 guanai staff list)",
                        "the name of a staff member on file (see guanai staff list)",
                    ));
                    None
                }
            },
            None => None,
        };
        let special_needs = text("special_needs", TEXT_MAX, &mut errors).unwrap_or_default();
        let buddies: Vec<String> = text("buddy", TEXT_MAX, &mut errors)
            .map(|b| {
                b.split(['、', ',', '，', ';', '；'])
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if let Some(b) = birth
            && b > today
        {
            errors.push(err(
                line,
                &header_of("birth"),
                &b.to_string(),
                "不晚于今天的日期",
                "a date no later than today",
            ));
        }
        if let Some(no) = &student_no
            && let Some(first) = seen_no.insert(no.clone(), line)
        {
            errors.push(err(
                line,
                &header_of("student_no"),
                no,
                &format!("不与第 {first} 行重复的学号"),
                &format!("a student number not already on line {first}"),
            ));
        } else if let (Some(n), Some(b)) = (&name, birth)
            && let Some(first) = seen_name.insert((n.clone(), b), line)
        {
            errors.push(err(
                line,
                &header_of("name"),
                n,
                &format!("不与第 {first} 行重复 (同名同生日)"),
                &format!("not the same child as line {first} (same name and birth date)"),
            ));
        }
        if errors.len() > before {
            continue;
        }
        let (Some(name), Some(gender), Some(birth), Some(class)) = (name, gender, birth, class)
        else {
            continue;
        };
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
        rows.push(RowPlan { line, child });
    }
    if table.rows.is_empty() {
        errors.push(err(
            2,
            "数据行/rows",
            "",
            "标题行下至少一行学生",
            "at least one child below the header row",
        ));
    }
    if errors.is_empty() {
        Ok(Roster { rows, ignored })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_and_a_month_are_told_from_a_date() {
        for ym in [
            "2014.05",
            "2014.5",
            "2014-05",
            "2014/5",
            "2014年5月",
            "201405",
            " 2014年05月 ",
        ] {
            assert!(year_month(ym), "{ym}");
        }
        for not in [
            "2014.05.03",
            "2014-05-03",
            "20140503",
            "2014年5月3日",
            "41397",
            "2014",
            "2014.13",
        ] {
            assert!(!year_month(not), "{not}");
        }
    }
}
