use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Autumn (秋季学期) or spring (春季学期) term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TermKind {
    Autumn,
    Spring,
}

/// One term of the school calendar, both ends inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// The name shown to users and accepted by `--term`, e.g. `2026秋`.
    pub name: String,
    pub kind: TermKind,
    #[serde(with = "crate::domain::day")]
    pub start: NaiveDate,
    #[serde(with = "crate::domain::day")]
    pub end: NaiveDate,
}

impl Term {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    /// The default term of this kind that starts in `year`: autumn 1 Sep – 20 Jan of the next
    /// year, spring 20 Feb – 10 Jul.
    pub fn default_for(kind: TermKind, year: i32) -> Option<Term> {
        let (start, end, name) = match kind {
            TermKind::Autumn => (
                NaiveDate::from_ymd_opt(year, 9, 1)?,
                NaiveDate::from_ymd_opt(year + 1, 1, 20)?,
                format!("{year}秋"),
            ),
            TermKind::Spring => (
                NaiveDate::from_ymd_opt(year, 2, 20)?,
                NaiveDate::from_ymd_opt(year, 7, 10)?,
                format!("{year}春"),
            ),
        };
        Some(Term {
            name,
            kind,
            start,
            end,
        })
    }
}

/// The school's own settings: its name and its term calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub school_name: String,
    /// Terms in calendar order, not overlapping.
    pub terms: Vec<Term>,
    /// Holidays inside terms.
    pub holidays: Vec<Holiday>,
    /// The rules in force by name (《谈心制度》《家访制度》…), as the work summary lists them;
    /// empty: named after the duties kept.
    #[serde(default)]
    pub rules_in_force: Vec<String>,
}

/// Days off inside a term (National Day week, ...), both ends inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub name: String,
    #[serde(with = "crate::domain::day")]
    pub start: NaiveDate,
    #[serde(with = "crate::domain::day")]
    pub end: NaiveDate,
}

impl Settings {
    /// Settings for a new database: an unnamed school with the default calendar for the school
    /// year around `today` and the four before it.
    pub fn default_for(today: NaiveDate) -> Settings {
        let school_year = if today.month() >= 8 {
            today.year()
        } else {
            today.year() - 1
        };
        let mut terms = Vec::new();
        for year in school_year - 4..=school_year {
            terms.extend(Term::default_for(TermKind::Autumn, year));
            terms.extend(Term::default_for(TermKind::Spring, year + 1));
        }
        Settings {
            school_name: String::from("本校"),
            terms,
            holidays: Vec::new(),
            rules_in_force: Vec::new(),
        }
    }

    /// The term `day` falls in, if any (holidays between terms fall in none).
    pub fn term_of(&self, day: NaiveDate) -> Option<&Term> {
        self.terms.iter().find(|t| t.contains(day))
    }

    pub fn term_named(&self, name: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn default_calendar_covers_the_current_school_year() {
        let s = Settings::default_for(d(2026, 11, 29));
        let t = s.term_of(d(2026, 11, 29)).unwrap();
        assert_eq!(t.name, "2026秋");
        assert_eq!((t.start, t.end), (d(2026, 9, 1), d(2027, 1, 20)));
        assert_eq!(s.term_of(d(2026, 3, 1)).unwrap().name, "2026春");
        assert_eq!(
            s.term_of(d(2026, 8, 1)),
            None,
            "summer holiday is in no term"
        );
        assert_eq!(s.term_of(d(2027, 5, 1)).unwrap().name, "2027春");
    }

    #[test]
    fn spring_dates_belong_to_the_previous_school_year() {
        let s = Settings::default_for(d(2027, 3, 1));
        assert_eq!(s.term_of(d(2027, 3, 1)).unwrap().name, "2027春");
        assert!(s.term_named("2026秋").is_some());
        assert!(s.term_named("2027秋").is_none());
    }
}

/// Orders class names as a school reads them: by grade (一 … 九, or digits), then by class
/// number, then by the text. `七(2)班` < `七(10)班` < `八(1)班`; unknown shapes sort last.
pub fn class_order(class: &str) -> (u32, u32, &str) {
    const NUMERALS: [char; 9] = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let mut chars = class.chars().peekable();
    let grade = match chars.peek().copied() {
        Some('高') => {
            chars.next();
            chars
                .next()
                .and_then(|c| NUMERALS.iter().position(|n| *n == c))
                .map(|i| i as u32 + 10)
        }
        Some(c) if NUMERALS.contains(&c) => {
            chars.next();
            NUMERALS.iter().position(|n| *n == c).map(|i| i as u32 + 1)
        }
        Some(c) if c.is_ascii_digit() => leading_number(class.chars()),
        _ => None,
    };
    let number = leading_number(
        class
            .chars()
            .skip_while(|c| *c != '(' && *c != '（')
            .skip(1),
    );
    (grade.unwrap_or(u32::MAX), number.unwrap_or(u32::MAX), class)
}

/// The number the ASCII digits at the start of `chars` write; `None` without a digit or
/// beyond `u32` (read without building a string: classes are ordered many times a screen).
fn leading_number(chars: impl Iterator<Item = char>) -> Option<u32> {
    let mut value: Option<u32> = None;
    for c in chars {
        let Some(d) = c.to_digit(10).filter(|_| c.is_ascii_digit()) else {
            break;
        };
        value = Some(value.unwrap_or(0).checked_mul(10)?.checked_add(d)?);
    }
    value
}

#[cfg(test)]
mod class_tests {
    use super::class_order;

    #[test]
    fn class_numbers_are_read_from_ascii_digits_only() {
        assert_eq!(class_order("7(2)班"), (7, 2, "7(2)班"));
        assert_eq!(class_order("七（12）班"), (7, 12, "七（12）班"));
        assert_eq!(class_order("七()班"), (7, u32::MAX, "七()班"));
        // Full-width digits are not read; a number beyond u32 is unknown.
        assert_eq!(class_order("七(２)班"), (7, u32::MAX, "七(２)班"));
        assert_eq!(
            class_order("99999999999(1)班"),
            (u32::MAX, 1, "99999999999(1)班")
        );
        assert_eq!(
            class_order("4294967295(4294967296)"),
            (u32::MAX, u32::MAX, "4294967295(4294967296)")
        );
        assert_eq!(class_order("12(3"), (12, 3, "12(3"));
        assert_eq!(class_order(""), (u32::MAX, u32::MAX, ""));
    }

    #[test]
    fn classes_sort_by_grade_then_number() {
        let mut classes = vec![
            "八(1)班",
            "七(10)班",
            "一(1)班",
            "七(2)班",
            "九(1)班",
            "四(3)班",
            "高一(1)班",
            "其他",
        ];
        classes.sort_by_key(|c| class_order(c));
        assert_eq!(
            classes,
            [
                "一(1)班",
                "四(3)班",
                "七(2)班",
                "七(10)班",
                "八(1)班",
                "九(1)班",
                "高一(1)班",
                "其他"
            ]
        );
    }
}

/// A class name as stored, one way for one class: a grade and a class number, however they
/// were written (六年级(1)班, 六年级1班, 六1班, 六（1）班, 6.1, 6-1, 601, 初一(2)班), become
/// the school's form `六(1)班`; anything else keeps its text with full-width brackets made
/// ASCII and spaces gone.
pub fn normalize_class(class: &str) -> String {
    let plain = plain_class(class);
    match grade_and_number(&plain) {
        Some((grade, number)) => format!("{}({number})班", GRADES[grade as usize - 1]),
        None => plain,
    }
}

/// The class a sheet's name is (a workbook with one sheet per class: 六(1)班, 五年级3班,
/// 601), in the one way classes are written; `None` for a name that is no class (Sheet1,
/// 花名册).
pub fn class_from_sheet(name: &str) -> Option<String> {
    grade_and_number(&plain_class(name)).map(|_| normalize_class(name))
}

/// A class from a roster that keeps the grade in a column of its own (六年级 beside 1班):
/// the class as written when it names its grade, else the grade and the class together.
pub fn class_with_grade(grade: &str, class: &str) -> String {
    if grade_and_number(&plain_class(class)).is_some() || grade.trim().is_empty() {
        normalize_class(class)
    } else {
        normalize_class(&format!("{}-{}", grade.trim(), class.trim()))
    }
}

/// Without spaces, with ASCII brackets and digits.
fn plain_class(class: &str) -> String {
    super::text::half_width(class)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The grades as a class name writes them.
const GRADES: [&str; 9] = ["一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// The grade (1–9) and class number of a class however it is written, if it is one of the
/// usual forms.
fn grade_and_number(class: &str) -> Option<(u32, u32)> {
    let chars: Vec<char> = class.chars().collect();
    let numeral = |c: char| {
        GRADES
            .iter()
            .position(|g| g.starts_with(c))
            .map(|i| i as u32 + 1)
    };
    // The grade: a numeral (六), 初一…初三 (七…九), or one digit; then 年级 if written.
    let (grade, mut at) = match chars.as_slice() {
        ['初', c, ..] => (numeral(*c).filter(|g| *g <= 3)? + 6, 2),
        [c, ..] if numeral(*c).is_some() => (numeral(*c)?, 1),
        [c, ..] if c.is_ascii_digit() => (c.to_digit(10)?, 1),
        _ => return None,
    };
    if chars.get(at) == Some(&'年') && chars.get(at + 1) == Some(&'级') {
        at += 2;
    }
    let rest: String = chars[at..].iter().collect();
    // The number: (1)班, 1班, (1), .1, -1, 01 (as in 601), 1.
    let inner = rest
        .strip_suffix('班')
        .unwrap_or(&rest)
        .trim_start_matches(['(', '.', '-', '·'])
        .trim_end_matches(')');
    let number: u32 = inner.parse().ok().filter(|n| (1..=99).contains(n))?;
    // 601 is grade 6, class 1; a bare digit after a digit grade must be two digits (6.1 and
    // 6-1 are written with their separator).
    let digit_grade = chars[0].is_ascii_digit();
    if digit_grade && at == 1 && !rest.starts_with(['.', '-', '(', '·']) && inner.len() != 2 {
        return None;
    }
    (1..=9).contains(&grade).then_some((grade, number))
}

#[cfg(test)]
mod normalize_tests {
    #[test]
    fn one_class_however_it_is_typed() {
        for typed in ["七（2）班", "七(2) 班", " 七(2)班"] {
            assert_eq!(super::normalize_class(typed), "七(2)班");
        }
        for typed in [
            "六年级(1)班",
            "六年级1班",
            "六1班",
            "六（1）班",
            "六年级（1）班",
            "6.1",
            "6-1",
            "601",
            "6(1)班",
            "6年级1班",
            "６０１",
        ] {
            assert_eq!(super::normalize_class(typed), "六(1)班", "{typed}");
        }
        assert_eq!(super::normalize_class("初一(2)班"), "七(2)班");
        for (grade, class) in [
            ("六年级", "1班"),
            ("六年级", "（1）班"),
            ("6", "1"),
            ("六", "六年级1班"),
        ] {
            assert_eq!(
                super::class_with_grade(grade, class),
                "六(1)班",
                "{grade} {class}"
            );
        }
        assert_eq!(super::class_with_grade("", "1班"), "1班");
        assert_eq!(super::normalize_class("九年级12班"), "九(12)班");
        // What is no grade and number stays as written (without spaces).
        for (typed, kept) in [
            ("学前班", "学前班"),
            ("61", "61"),
            ("6", "6"),
            ("未分班", "未分班"),
            ("高一(3)班", "高一(3)班"),
            ("六年级", "六年级"),
        ] {
            assert_eq!(super::normalize_class(typed), kept, "{typed}");
        }
    }
}
