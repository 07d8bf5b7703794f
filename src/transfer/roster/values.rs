//! The small readings of a roster's cells: a year and a month, yes and no, a date written as
//! eight digits, a long number that Excel has already rounded, and the export's formula
//! guard taken off again.

use chrono::NaiveDate;

use crate::domain::ParentRelation;

/// Undoes the export's formula neutralisation (`'=1+1` was exported for `=1+1`) and Excel's
/// own "keep as text" apostrophe before a number ('430524…).
pub fn unneutralise(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\'']) => rest,
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
        _ => s,
    }
}

/// A year and a month only: 2014.05, 2014-5, 2014/05, 2014年5月, 201405 — as (year, month).
pub fn year_month(cell: &str) -> Option<(i32, u32)> {
    let t: String = cell.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.strip_suffix('月').unwrap_or(&t);
    let (year, month) = match t.find(['.', '-', '/', '年']) {
        Some(i) => {
            let sep = t[i..].chars().next().map_or(1, char::len_utf8);
            (&t[..i], &t[i + sep..])
        }
        None if t.len() == 6 && t.chars().all(|c| c.is_ascii_digit()) => t.split_at(4),
        None => return None,
    };
    let year = Some(year)
        .filter(|y| y.len() == 4)
        .and_then(|y| y.parse::<i32>().ok())
        .filter(|y| (1900..=2100).contains(y))?;
    let month = Some(month)
        .filter(|m| (1..=2).contains(&m.len()))
        .and_then(|m| m.parse::<u32>().ok())
        .filter(|m| (1..=12).contains(m))?;
    Some((year, month))
}

/// A date written as eight digits, yyyymmdd (20141202, as text or as a number).
pub fn eight_digit_date(digits: &str) -> Option<NaiveDate> {
    (digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| NaiveDate::parse_from_str(digits, "%Y%m%d").ok())
        .flatten()
}

/// A number as Excel shows a long one it has rounded: 4.30524E+17.
pub fn excel_scientific(n: f64) -> String {
    let s = format!("{n:.5E}");
    match s.split_once('E') {
        Some((mantissa, exp)) => {
            let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
            let sign = if exp.starts_with('-') { "" } else { "+" };
            format!("{mantissa}E{sign}{exp}")
        }
        None => s,
    }
}

pub fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "是" | "yes" | "y" | "1" | "true" | "√" | "✓" | "✔" | "有" | "住校" | "寄宿" => {
            Some(true)
        }
        "否" | "no" | "n" | "0" | "false" | "×" | "✗" | "无" | "" | "走读" | "不寄宿" => {
            Some(false)
        }
        _ => None,
    }
}

/// A 称谓 as a parent: 父亲 / 爸爸 / 父 / 爸, 母亲 / 妈妈 / 母 / 妈; anyone else (爷爷, 外婆 …)
/// is `None`.
pub fn parent_word(s: &str) -> Option<ParentRelation> {
    match s.trim() {
        "父亲" | "父" | "爸爸" | "爸" | "father" => Some(ParentRelation::Father),
        "母亲" | "母" | "妈妈" | "妈" | "mother" => Some(ParentRelation::Mother),
        _ => None,
    }
}

/// An age as written: 65, 65岁, 六十五 is not read.
pub fn age(s: &str) -> Option<u8> {
    let t = s.trim();
    let t = t.strip_suffix('岁').unwrap_or(t).trim();
    t.parse::<u8>().ok().filter(|a| (10..=120).contains(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_and_a_month_are_told_from_a_date() {
        for (ym, want) in [
            ("2014.05", (2014, 5)),
            ("2014.5", (2014, 5)),
            ("2014-05", (2014, 5)),
            ("2014/5", (2014, 5)),
            ("2014年5月", (2014, 5)),
            ("201405", (2014, 5)),
            (" 2014年05月 ", (2014, 5)),
        ] {
            assert_eq!(year_month(ym), Some(want), "{ym}");
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
            assert_eq!(year_month(not), None, "{not}");
        }
    }

    #[test]
    fn small_readings() {
        assert_eq!(
            eight_digit_date("20141202"),
            NaiveDate::from_ymd_opt(2014, 12, 2)
        );
        assert_eq!(eight_digit_date("20141232"), None);
        assert_eq!(eight_digit_date("2014120"), None);
        assert_eq!(excel_scientific(430524201412021000.0), "4.30524E+17");
        assert_eq!(unneutralise("'430524201412021238"), "430524201412021238");
        assert_eq!(unneutralise("'=1+1"), "=1+1");
        assert_eq!(unneutralise("'abc"), "'abc");
        assert_eq!(age("65岁"), Some(65));
        assert_eq!(age("六十五"), None);
        assert_eq!(parent_word("妈妈"), Some(ParentRelation::Mother));
        assert_eq!(parent_word("爷爷"), None);
        assert_eq!(yes_no("√"), Some(true));
        assert_eq!(yes_no("走读"), Some(false));
    }
}
