//! Reading values as teachers type them. Every function takes the text and, where it matters,
//! today's date; none reads the clock.

use chrono::{Datelike, Duration, NaiveDate};

use super::child::{Gender, LeftBehindType};

/// A value that could not be read, with what would have been accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not accepted: expected {}", expected.en())]
pub struct ParseError {
    pub value: String,
    pub expected: Expected,
}

/// What a field accepts, said in both UI languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Date,
    /// A date that does not exist (2015-02-30, 11-31): the month has this many days, or the
    /// month is no month (0).
    NoSuchDay(u32),
    Gender,
    Phone,
    LeftBehindType,
}

impl Expected {
    pub fn en(self) -> &'static str {
        match self {
            Expected::NoSuchDay(28) => "a day that exists: that month has 28 days this year",
            Expected::NoSuchDay(29) => "a day that exists: that month has 29 days this year",
            Expected::NoSuchDay(30) => "a day that exists: that month has 30 days",
            Expected::NoSuchDay(0) => "a month from 1 to 12",
            Expected::NoSuchDay(_) => "a day that exists: no month has more than 31 days",
            Expected::Date => {
                "a date such as 2026-11-29, 2026/11/29, 11-29, today, yesterday or -3 (three days ago)"
            }
            Expected::Gender => "m or f (or 1 or 2; a roster's Chinese words are read too)",
            Expected::Phone => {
                "a phone number of 7 to 15 digits, spaces and dashes allowed, e.g. 138 0000 0001"
            }
            Expected::LeftBehindType => {
                "both or one (a roster's Chinese words for them are read too)"
            }
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Expected::NoSuchDay(28) => "存在的日期: 这一天不存在, 那年这个月只有 28 天",
            Expected::NoSuchDay(29) => "存在的日期: 这一天不存在, 那年这个月只有 29 天",
            Expected::NoSuchDay(30) => "存在的日期: 这一天不存在, 这个月只有 30 天",
            Expected::NoSuchDay(0) => "1 到 12 的月份",
            Expected::NoSuchDay(_) => "存在的日期: 这一天不存在, 每个月最多 31 天",
            Expected::Date => "日期, 如 2026-11-29、2026/11/29、11-29、今天、昨天 或 -3 (三天前)",
            Expected::Gender => "男 或 女 (m 或 f, 1 或 2)",
            Expected::Phone => "7 到 15 位数字的电话号码, 可含空格和短横, 如 138 0000 0001",
            Expected::LeftBehindType => {
                "双亲外出 (父母均外出、双留守) 或 单亲外出 (父亲外出、母亲外出) (both 或 one)"
            }
        }
    }
}

fn err(value: &str, expected: Expected) -> ParseError {
    ParseError {
        value: value.to_string(),
        expected,
    }
}

/// Reads a date: `2026-11-29`, `2026/11/29`, `2026.11.29`, `2026年11月29日`, `11-29` or
/// `11/29` (this year), `today`/`今天`, `yesterday`/`昨天`, `-3` (three days before today).
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, ParseError> {
    let wide = super::text::half_width(input);
    let s = wide.trim();
    match s {
        "today" | "今天" => return Ok(today),
        "yesterday" | "昨天" => {
            return today.pred_opt().ok_or_else(|| err(input, Expected::Date));
        }
        _ => {}
    }
    if let Some(days) = s.strip_prefix('-')
        && !days.is_empty()
        && days.chars().all(|c| c.is_ascii_digit())
    {
        let n: i64 = days.parse().map_err(|_| err(input, Expected::Date))?;
        if n > 36_500 {
            return Err(err(input, Expected::Date));
        }
        return today
            .checked_sub_signed(Duration::days(n))
            .ok_or_else(|| err(input, Expected::Date));
    }
    let normalized: String = s
        .trim_end_matches('日')
        .chars()
        .map(|c| match c {
            '/' | '.' | '年' | '月' => '-',
            c => c,
        })
        .collect();
    let parts: Vec<&str> = normalized.split('-').collect();
    let number = |p: &str| -> Result<u32, ParseError> {
        if p.is_empty() || p.len() > 4 || !p.chars().all(|c| c.is_ascii_digit()) {
            return Err(err(input, Expected::Date));
        }
        p.parse().map_err(|_| err(input, Expected::Date))
    };
    let (y, m, d) = match parts.as_slice() {
        // A year of fewer digits falls outside the years below.
        [y, m, d] => (number(y)? as i32, number(m)?, number(d)?),
        [m, d] => (today.year(), number(m)?, number(d)?),
        _ => return Err(err(input, Expected::Date)),
    };
    if !(1900..=2200).contains(&y) {
        return Err(err(input, Expected::Date));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        // Written as a date, but no such day: said so, with the month's length.
        let days = if (1..=12).contains(&m) {
            (28..=31)
                .rev()
                .find(|n| NaiveDate::from_ymd_opt(y, m, *n).is_some())
                .unwrap_or(31)
        } else {
            0
        };
        err(input, Expected::NoSuchDay(days))
    })
}

/// A gender as schools and the civil-affairs register write it: 男 / 女, m / f, and the
/// national code 1 (男) / 2 (女).
pub fn parse_gender(input: &str) -> Result<Gender, ParseError> {
    match input.trim() {
        "m" | "M" | "male" | "男" | "男性" | "1" => Ok(Gender::Male),
        "f" | "F" | "female" | "女" | "女性" | "2" => Ok(Gender::Female),
        _ => Err(err(input, Expected::Gender)),
    }
}

/// Who is away, in the words of school rosters and of the civil-affairs register: both
/// parents (双亲外出, 父母均外出, 父母双方同时外出, 双留守) or one (单亲外出, 父亲外出, 母亲外出,
/// 父母一方外出、另一方无监护能力, 单留守).
pub fn parse_left_behind_type(input: &str) -> Result<LeftBehindType, ParseError> {
    let plain: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let both = [
        "both",
        "双亲外出",
        "双亲",
        "父母均外出",
        "父母双方外出",
        "父母双方同时外出",
        "父母都外出",
        "双留守",
    ];
    let one = ["one", "单亲外出", "单亲", "父亲外出", "母亲外出", "单留守"];
    if both.contains(&plain.as_str()) {
        Ok(LeftBehindType::BothParents)
    } else if one.contains(&plain.as_str()) || plain.starts_with("父母一方外出") {
        Ok(LeftBehindType::OneParent)
    } else {
        Err(err(input, Expected::LeftBehindType))
    }
}

/// Checks a phone number loosely and keeps its digits (and a leading `+`): schools write
/// `138 0000 0001`, `138-0000-0001` or `0594-1234567`.
pub fn normalize_phone(input: &str) -> Result<String, ParseError> {
    let wide = super::text::half_width(input);
    let s = wide.trim();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        match c {
            '0'..='9' => out.push(c),
            '+' if i == 0 => out.push(c),
            ' ' | '-' | '(' | ')' => {}
            _ => return Err(err(input, Expected::Phone)),
        }
    }
    let digits = out.chars().filter(char::is_ascii_digit).count();
    if !(7..=15).contains(&digits) {
        return Err(err(input, Expected::Phone));
    }
    Ok(out)
}

/// Groups a phone number for reading aloud: `13800000001` → `138 0000 0001`.
pub fn format_phone(phone: &str) -> String {
    if phone.len() == 11 && phone.starts_with('1') && phone.chars().all(|c| c.is_ascii_digit()) {
        format!("{} {} {}", &phone[..3], &phone[3..7], &phone[7..])
    } else {
        phone.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_the_forms_teachers_write() {
        let today = d(2026, 11, 29);
        for (input, want) in [
            ("2026-11-20", d(2026, 11, 20)),
            ("2026/11/20", d(2026, 11, 20)),
            ("2026.1.5", d(2026, 1, 5)),
            ("2012年5月3日", d(2012, 5, 3)),
            ("11-20", d(2026, 11, 20)),
            ("3/1", d(2026, 3, 1)),
            ("today", today),
            ("今天", today),
            ("yesterday", d(2026, 11, 28)),
            ("昨天", d(2026, 11, 28)),
            ("-3", d(2026, 11, 26)),
            (" 2026-11-29 ", today),
        ] {
            assert_eq!(parse_date(input, today), Ok(want), "{input}");
        }
    }

    #[test]
    fn impossible_dates_are_refused_with_the_value() {
        let today = d(2026, 11, 29);
        for input in [
            "tomorrow",
            "",
            "-",
            "1-2-3-4",
            "26-11-29",
            "-99999999",
            "0001-01-01",
        ] {
            let e = parse_date(input, today).unwrap_err();
            assert_eq!(e.value, input);
            assert_eq!(e.expected, Expected::Date);
        }
        // An input method's full-width digits are read as digits.
        assert_eq!(
            parse_date("２０２６－１１－２９", today),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap())
        );
        assert_eq!(
            normalize_phone("１３８　００００　０００１").unwrap(),
            "13800000001"
        );
        // Written as dates, but no such day: said so with the month's length.
        for (input, days) in [("2026-02-30", 28), ("2026-13-01", 0)] {
            let e = parse_date(input, today).unwrap_err();
            assert_eq!(
                (e.value.as_str(), e.expected),
                (input, Expected::NoSuchDay(days))
            );
        }
    }

    /// What a refusal says it would accept, in both languages.
    #[test]
    fn what_each_field_accepts_is_said() {
        assert_eq!(
            Expected::NoSuchDay(30).zh(),
            "存在的日期: 这一天不存在, 这个月只有 30 天"
        );
        assert_eq!(Expected::NoSuchDay(0).en(), "a month from 1 to 12");
        assert!(Expected::Date.en().starts_with("a date such as 2026-11-29"));
        assert!(Expected::Date.zh().starts_with("日期, 如 2026-11-29"));
    }

    /// Days back: up to a hundred years; a part of a date has at most four digits; a year
    /// of two digits is no year.
    #[test]
    fn dates_at_the_edges_of_what_is_read() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(
            parse_date("-36500", today),
            Ok(today - Duration::days(36_500))
        );
        let refused = |s: &str| parse_date(s, today).map_err(|e| (e.value, e.expected));
        assert_eq!(refused("-36501"), Err(("-36501".into(), Expected::Date)));
        assert_eq!(
            refused("11-00029"),
            Err(("11-00029".into(), Expected::Date))
        );
        assert_eq!(
            refused("2026--29"),
            Err(("2026--29".into(), Expected::Date))
        );
        assert_eq!(
            refused("26-11-29"),
            Err(("26-11-29".into(), Expected::Date))
        );
        assert_eq!(refused("11-2x"), Err(("11-2x".into(), Expected::Date)));
    }

    #[test]
    fn phones_are_checked_loosely_and_grouped_for_reading() {
        assert_eq!(
            normalize_phone("138+0000 0001").map_err(|e| e.expected),
            Err(Expected::Phone),
            "a plus only in front"
        );
        assert_eq!(normalize_phone("138 0000 0001").unwrap(), "13800000001");
        assert_eq!(normalize_phone("0594-1234567").unwrap(), "05941234567");
        assert_eq!(
            normalize_phone("+86 138 0000 0001").unwrap(),
            "+8613800000001"
        );
        assert_eq!(
            normalize_phone("12345").map_err(|e| e.expected),
            Err(Expected::Phone)
        );
        assert_eq!(
            normalize_phone("138-abc-0001").map_err(|e| e.expected),
            Err(Expected::Phone)
        );
        assert_eq!(
            normalize_phone("1380000000112345678").map_err(|e| e.expected),
            Err(Expected::Phone)
        );
        assert_eq!(format_phone("13800000001"), "138 0000 0001");
        assert_eq!(format_phone("05941234567"), "05941234567");
    }

    #[test]
    fn genders_and_types_in_both_languages() {
        assert_eq!(parse_gender("男"), Ok(Gender::Male));
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        assert_eq!(
            parse_date("2015-02-30", today).map_err(|e| e.expected),
            Err(Expected::NoSuchDay(28))
        );
        assert_eq!(
            parse_date("2016-02-30", today).map_err(|e| e.expected),
            Err(Expected::NoSuchDay(29))
        );
        assert_eq!(
            parse_date("11-31", today).map_err(|e| e.expected),
            Err(Expected::NoSuchDay(30))
        );
        assert_eq!(
            parse_date("2015-13-01", today).map_err(|e| e.expected),
            Err(Expected::NoSuchDay(0))
        );
        assert_eq!(
            parse_date("2015-02-x", today).map_err(|e| e.expected),
            Err(Expected::Date)
        );
        assert_eq!(parse_gender("f"), Ok(Gender::Female));
        assert_eq!(
            parse_gender("x").map_err(|e| (e.value, e.expected)),
            Err(("x".to_string(), Expected::Gender))
        );
        assert_eq!(
            parse_left_behind_type("双亲外出"),
            Ok(LeftBehindType::BothParents)
        );
        assert_eq!(parse_left_behind_type("one"), Ok(LeftBehindType::OneParent));
        assert_eq!(
            parse_left_behind_type("none").map_err(|e| e.expected),
            Err(Expected::LeftBehindType)
        );
    }
}
