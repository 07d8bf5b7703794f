//! Writing rosters and events as CSV and .xlsx, with the import's Chinese headers, and with
//! every cell that a spreadsheet would run as a formula neutralised.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;

use super::columns::COLUMNS;
use crate::domain::{Child, Event, LeftBehindType, ParentRelation, StaffId};

/// A CSV cell that starts with `=`, `+`, `-` or `@` gets a leading `'`, so that Excel, WPS
/// and LibreOffice show it as text instead of running it (the import takes the `'` off
/// again); so does one that starts with `'`, so that its own `'` survives the round trip.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\'']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

fn yes_no(b: bool) -> String {
    if b { "是" } else { "否" }.to_string()
}

/// The roster's header row, as the import reads it (every column of a file, the identity
/// number included: an export leaves it out unless asked, with [`without_id`]).
pub fn roster_headers() -> Vec<&'static str> {
    COLUMNS.iter().map(|c| c.header).collect()
}

/// A header row or a row of [`roster_headers`]' columns without the 身份证号 column.
pub fn without_id<T>(row: Vec<T>) -> Vec<T> {
    let at = COLUMNS.iter().position(|c| c.key == "id_no");
    row.into_iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != at)
        .map(|(_, v)| v)
        .collect()
}

/// One roster row per file, in the order of `roster_headers`. The identity number is written
/// as the file holds it (the service has masked it for those who may not see it).
pub fn roster_row(child: &Child, staff: &HashMap<StaffId, String>) -> Vec<String> {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let parent = |r: ParentRelation| child.parent(r);
    let father = parent(ParentRelation::Father);
    let mother = parent(ParentRelation::Mother);
    let g = child.guardian.as_ref();
    let e = child.emergency_contacts.first();
    let reg = &child.register;
    COLUMNS
        .iter()
        .map(|c| (c, reg.unrecorded(c.key)))
        .map(|(c, unrecorded)| match c.key {
            // A field the school never recorded is written 未填 (and read back as such).
            _ if unrecorded => String::from("未填"),
            "student_no" => child.student_no.clone().unwrap_or_default(),
            "name" => child.name.clone(),
            "gender" => child.gender.zh().to_string(),
            "birth" => child.birth.to_string(),
            "class" => child.class.clone(),
            "village" => child.village.clone().unwrap_or_default(),
            "address" => child.address.clone().unwrap_or_default(),
            "boarding" => yes_no(child.boarding),
            "type" => match child.left_behind.kind {
                LeftBehindType::BothParents => "双亲外出".into(),
                LeftBehindType::OneParent => "单亲外出".into(),
            },
            "since" => date(child.left_behind.since),
            "opened" => date(child.opened()),
            "father" => father.map(|p| p.name.clone()).unwrap_or_default(),
            "father_phone" => father.and_then(|p| p.phone.clone()).unwrap_or_default(),
            "father_work" => father.and_then(|p| p.workplace.clone()).unwrap_or_default(),
            "mother" => mother.map(|p| p.name.clone()).unwrap_or_default(),
            "mother_phone" => mother.and_then(|p| p.phone.clone()).unwrap_or_default(),
            "mother_work" => mother.and_then(|p| p.workplace.clone()).unwrap_or_default(),
            "guardian" => g.map(|g| g.name.clone()).unwrap_or_default(),
            "guardian_relation" => g.map(|g| g.relation.clone()).unwrap_or_default(),
            "guardian_phone" => g.and_then(|g| g.phone.clone()).unwrap_or_default(),
            "emergency" => e.map(|c| c.name.clone()).unwrap_or_default(),
            "emergency_relation" => e.map(|c| c.relation.clone()).unwrap_or_default(),
            "emergency_phone" => e.map(|c| c.phone.clone()).unwrap_or_default(),
            "mentor" => child
                .mentor
                .and_then(|m| staff.get(&m).cloned())
                .unwrap_or_default(),
            "key_support" => yes_no(child.support.key_support),
            "poverty_support" => yes_no(child.support.poverty_support),
            "special_needs" => child.support.special_needs.clone(),
            "buddy" => child.buddies.join("、"),
            "id_no" => reg.id_no.clone().unwrap_or_default(),
            "guardian_age" => g
                .and_then(|g| g.age)
                .map(|a| a.to_string())
                .unwrap_or_default(),
            "guardian_health" => g.and_then(|g| g.health.clone()).unwrap_or_default(),
            "guardianship" => reg.guardianship.clone().unwrap_or_default(),
            "care" => reg.care.clone().unwrap_or_default(),
            "assessment" => reg.assessment.clone().unwrap_or_default(),
            "ethnicity" => reg.ethnicity.clone().unwrap_or_default(),
            "hukou" => reg.hukou.clone().unwrap_or_default(),
            "health" => reg.health.clone().unwrap_or_default(),
            "remarks" => reg.remarks.clone().unwrap_or_default(),
            _ => String::new(),
        })
        .collect()
}

/// [`roster_row`] as the app's file form shows it in `lang`: in English the words of the
/// row (gender, yes/no, who is away, not recorded) are English ones the form reads back the
/// same; names, places and notes stay as written.
pub fn roster_row_in(
    child: &Child,
    staff: &HashMap<StaffId, String>,
    lang: crate::i18n::Lang,
) -> Vec<String> {
    let row = roster_row(child, staff);
    if lang == crate::i18n::Lang::Zh {
        return row;
    }
    COLUMNS
        .iter()
        .zip(row)
        .map(|(c, v)| match (c.key, v.as_str()) {
            (_, super::roster::UNFILLED) => super::roster::UNFILLED_EN.to_string(),
            ("gender", _) => child.gender.key().to_uppercase(),
            ("type", _) => child.left_behind.kind.key().to_string(),
            // The yes/no columns only: a remark that says 是 stays as written.
            ("boarding" | "key_support" | "poverty_support", "是") => "yes".to_string(),
            ("boarding" | "key_support" | "poverty_support", "否") => "no".to_string(),
            _ => v,
        })
        .collect()
}

/// The events sheet's header row.
pub const EVENT_HEADERS: [&str; 9] = [
    "学号",
    "姓名",
    "班级",
    "日期",
    "类别",
    "教师",
    "在场人员",
    "记录",
    "待跟进",
];

/// One events row. `summary` is what the reader may see (counselling withheld).
pub fn event_row(child: &Child, event: &Event, staff: &str, summary: &str) -> Vec<String> {
    vec![
        child.student_no.clone().unwrap_or_default(),
        child.name.clone(),
        child.class.clone(),
        event.date.to_string(),
        event.kind.zh().to_string(),
        staff.to_string(),
        event.present.join("、"),
        summary.to_string(),
        yes_no(event.follow_up),
    ]
}

/// CSV as Excel on Chinese Windows opens it correctly: UTF-8 with a BOM, CRLF line ends.
pub fn write_csv(
    out: &mut dyn Write,
    headers: &[&str],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    out.write_all(b"\xef\xbb\xbf")?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(headers).map_err(std::io::Error::other)?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise(c).into_owned()))
            .map_err(std::io::Error::other)?;
    }
    w.flush()
}

/// One sheet: its name, its header row, its rows.
pub type Sheet<'a> = (&'a str, Vec<&'a str>, Vec<Vec<String>>);

/// An .xlsx workbook with one sheet per `(name, headers, rows)`. Every cell is a text cell,
/// which a spreadsheet shows as it is and never runs as a formula, so no `'` is added.
pub fn write_xlsx(sheets: &[Sheet<'_>]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (name, headers, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name)?;
        for (c, h) in headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
            sheet.set_column_width(c as u16, 12)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(r as u32 + 1, c as u16, cell)?;
                }
            }
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("+86 138"), "'+86 138");
        assert_eq!(neutralise("-3"), "'-3");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("'引号"), "''引号");
        assert_eq!(neutralise("张小珠"), "张小珠");
    }

    #[test]
    fn the_english_form_words_only_the_yes_no_columns() {
        use crate::domain::{ChildId, Gender, NewChild};
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let mut new = NewChild::basic("张小珠", Gender::Female, day(2014, 5, 3), "七(2)班");
        new.boarding = true;
        new.register.remarks = Some("是".into());
        let child = new.into_child(ChildId(1), day(2026, 11, 29));
        let row = roster_row_in(&child, &HashMap::new(), crate::i18n::Lang::En);
        let at = |key: &str| COLUMNS.iter().position(|c| c.key == key).unwrap();
        assert_eq!(row[at("boarding")], "yes");
        assert_eq!(row[at("key_support")], "no");
        assert_eq!(row[at("gender")], "F");
        assert_eq!(
            row[at("remarks")],
            "是",
            "a remark is the school's own words"
        );
    }
}
