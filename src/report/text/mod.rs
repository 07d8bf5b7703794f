//! The work summary as text, from the figures only, in the order of the schools' own
//! summaries (../shared/seeds): 基本情况 → 组织领导与制度 → 结对帮扶与谈心 → 家访与家校联系 →
//! 亲情联系 → 心理健康教育 → 集体活动与家长学校 → 资助与寄宿 → 安全 → 成效 → 存在问题 → 下步打算
//! → a closing paragraph, the school and the date, and the table by class. Chinese in `zh.rs`,
//! English in `en.rs`; what both share is here.
//!
//! Every number comes from [`Figures`]; a section with nothing behind it is left out or says
//! so plainly. The document names no child: the names (awards, children without a home
//! visit) go only into an internal appendix asked for with `with_names`. Counselling appears
//! as a count only. It must not speak of the app (no 逾期提醒, 待办, 队列): it is the school's
//! own report to the bureau.

pub mod county;
mod en;
mod zh;

use chrono::{Datelike, NaiveDate};

use super::figures::{Coverage, Figures};
use crate::i18n::Lang;

/// A document independent of its format: the exporters and the app's preview render it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
    /// A table whose last row, when `total` is set, is its 合计 row.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
        total: bool,
    },
    /// A small note (under a table: what each rate means).
    Note(String),
    /// The closing lines (school, date), set to the right.
    Signature(Vec<String>),
}

impl Block {
    /// Points in a numbered list, or one point as a paragraph: a list of one item ("1.") reads
    /// as if the others were missing.
    pub fn points(mut items: Vec<String>) -> Block {
        match items.len() {
            1 => Block::Paragraph(items.remove(0)),
            _ => Block::List(items),
        }
    }
}

/// Coverage under this share is a problem worth writing down.
pub const COVERAGE_GOAL: f64 = 80.0;
/// A class this many points under the school's coverage is behind the others.
pub const CLASS_GAP: f64 = 10.0;

pub(crate) fn pct(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

pub(crate) fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The coverage of a duty, if the rules have it and something was due.
pub(crate) fn cov<'a>(f: &'a Figures, duty: &str) -> Option<(&'a Coverage, f64)> {
    f.duty_coverage
        .get(duty)
        .and_then(|c| c.percent.map(|p| (c, p)))
}

/// The share of all due periods satisfied, over every duty (for classes against the school).
pub fn overall(cov: &std::collections::BTreeMap<String, Coverage>) -> Option<f64> {
    let (due, done) = cov
        .values()
        .fold((0u32, 0u32), |(d, s), c| (d + c.due, s + c.satisfied));
    super::figures::percent(done, due)
}

/// What the problems section is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct Problems<'a> {
    /// Duties under the goal, with their coverage.
    pub low_duties: Vec<(&'a Coverage, f64)>,
    /// Classes behind the school: class, its coverage, the school's.
    pub classes_behind: Vec<(&'a str, f64, f64)>,
}

pub fn problems(f: &Figures) -> Problems<'_> {
    let low_duties = f
        .duty_order
        .iter()
        .filter_map(|name| f.duty_coverage.get(name))
        .filter_map(|c| c.percent.map(|p| (c, p)))
        .filter(|(_, p)| *p < COVERAGE_GOAL)
        .collect();
    let mut classes_behind = Vec::new();
    if let Some(school) = overall(&f.duty_coverage) {
        // In whole tenths of a percent: 56.4 against 66.4 is 10 points, not more.
        let tenths = |p: f64| (p * 10.0).round() as i64;
        for class in f.classes() {
            if let Some(p) = f
                .per_class
                .get(class)
                .and_then(|c| overall(&c.duty_coverage))
                && tenths(school) - tenths(p) > tenths(CLASS_GAP)
            {
                classes_behind.push((class.as_str(), p, school));
            }
        }
    }
    Problems {
        low_duties,
        classes_behind,
    }
}

/// The work summary, dated `date`; `with_names` adds the internal appendix that names
/// children (for the school's own use, never for the bureau).
pub fn document(f: &Figures, lang: Lang, with_names: bool, date: NaiveDate) -> Document {
    match lang {
        Lang::Zh => zh::document(f, with_names, date),
        Lang::En => en::document(f, with_names, date),
    }
}

/// A term's season and year from its name (2026秋 → (2026, autumn)), when it is named so.
pub(crate) fn season(term: &str) -> Option<(i32, bool)> {
    let autumn = term.contains('秋');
    if !autumn && !term.contains('春') {
        return None;
    }
    let year: String = term.chars().take_while(|c| c.is_ascii_digit()).collect();
    year.parse().ok().map(|y| (y, autumn))
}

/// `part` of `whole` as a percentage with one decimal (0% of nothing).
pub(crate) fn share(part: u32, whole: u32) -> String {
    super::figures::percent(part, whole).map_or_else(|| String::from("0%"), pct)
}

/// A term's name as a Chinese document writes it: 2026秋 → 2026年秋季学期 (a name that says
/// 学年 or 学期 itself is kept).
pub(crate) fn term_zh(term: &str) -> String {
    if term.contains("学年") || term.contains("学期") {
        return term.to_string();
    }
    match season(term) {
        Some((year, true)) => format!("{year}年秋季学期"),
        Some((year, false)) => format!("{year}年春季学期"),
        None => format!("{term}学期"),
    }
}

/// Whether the period was still running on the day drafted: it is reported up to that day.
pub(crate) fn running(f: &Figures) -> bool {
    f.as_of < f.to
}

/// The rules the school's work follows, by name, from the duties it keeps: 《谈心制度》 for the
/// monthly talk, 《家访制度》 for home visits …
pub(crate) fn rules_in_force(f: &Figures, lang: Lang) -> Vec<String> {
    if !f.rules.is_empty() {
        return f.rules.clone();
    }
    let has = |name: &str| f.duty_order.iter().any(|d| d == name);
    let mut out = vec![
        lang.pick("《留守儿童档案管理制度》", "the file-keeping rule")
            .to_string(),
    ];
    for (duty, zh, en) in [
        ("talk", "《谈心制度》", "the monthly-talk rule"),
        ("home-visit", "《家访制度》", "the home-visit rule"),
        (
            "guardian-contact",
            "《家校联系制度》",
            "the school–family contact rule",
        ),
        ("parent-call", "《亲情联系制度》", "the family-contact rule"),
    ] {
        if has(duty) {
            out.push(lang.pick(zh, en).to_string());
        }
    }
    out
}

/// Staff as the summary names them: with their post when it is on file (校长吴大山).
pub(crate) fn titled(f: &Figures, names: &[String], sep: &str) -> String {
    names
        .iter()
        .map(|n| match f.organisation.titles.get(n) {
            Some(t) if sep == " and " || sep == ", " => format!("{n} ({t})"),
            Some(t) => format!("{t}{n}"),
            None => n.clone(),
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// The appendix: each class's counts, a 合计 row, and what the rate means (no counselling:
/// in a small class a count could point at a child).
pub(crate) fn class_table(f: &Figures, lang: Lang, b: &mut Vec<Block>) {
    if f.per_class.is_empty() {
        return;
    }
    b.push(Block::Heading(
        lang.pick("附表：各班留守儿童关爱工作情况", "Appendix: by class")
            .into(),
    ));
    let header: Vec<String> = match lang {
        Lang::Zh => [
            "班级",
            "留守儿童",
            "双亲外出",
            "谈心",
            "家访",
            "亲情联系",
            "完成率",
        ],
        Lang::En => [
            "Class",
            "Children",
            "Both away",
            "Talks",
            "Home visits",
            "Calls/letters",
            "Follow-ups done",
        ],
    }
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut rows: Vec<Vec<String>> = f
        .classes()
        .into_iter()
        .filter_map(|class| {
            let c = f.per_class.get(class)?;
            Some(vec![
                match lang {
                    Lang::Zh => class_zh(class),
                    Lang::En => class_en(class),
                },
                c.counts.children_active.to_string(),
                c.counts.by_type.both_parents.to_string(),
                c.counts.talks.to_string(),
                c.counts.home_visits.to_string(),
                c.counts.parent_calls.to_string(),
                overall(&c.duty_coverage).map_or("-".to_string(), pct),
            ])
        })
        .collect();
    let t = &f.totals;
    rows.push(vec![
        lang.pick("合计", "Total").to_string(),
        t.children_active.to_string(),
        t.by_type.both_parents.to_string(),
        t.talks.to_string(),
        t.home_visits.to_string(),
        t.parent_calls.to_string(),
        overall(&f.duty_coverage).map_or("-".to_string(), pct),
    ]);
    b.push(Block::Table {
        header,
        rows,
        total: true,
    });
    b.push(Block::Note(
        lang.pick(
            "注：完成率＝按时完成人次÷截至目前应完成人次，含每月谈心、期初期中期末家访、每月亲情联系、每月与监护人联系等各项关爱工作；谈心、家访、亲情联系为本期记录的次数。",
            "Note: follow-ups done = the follow-ups due in the period so far (monthly talks, start/middle/end-of-term home visits, monthly contact with parents …) done in time, divided by those due; those not yet due are not counted. Talks, home visits and calls/letters are the numbers recorded in the period.",
        )
        .to_string(),
    ));
}

/// A class as a Chinese document writes it, with full-width brackets: 六(1)班 → 六（1）班.
pub fn class_zh(class: &str) -> String {
    class.replace('(', "（").replace(')', "）")
}

/// A class as English readers write it: 六(1)班 → Grade 6, Class 1 (初一 is grade 7).
pub fn class_en(class: &str) -> String {
    let (grade, number, _) = crate::domain::class_order(class);
    if grade > 0 && grade < 100 && number > 0 && number < 1000 {
        format!("Grade {grade}, Class {number}")
    } else {
        class.to_string()
    }
}

/// `monthly talk` → `Monthly talk`, for a sentence's start.
pub(crate) fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod points_tests {
    use super::Block;

    /// One point is a paragraph, two or more a numbered list.
    #[test]
    fn one_point_is_a_paragraph_and_more_a_list() {
        assert_eq!(
            Block::points(vec!["办好家长学校".into()]),
            Block::Paragraph("办好家长学校".into())
        );
        assert_eq!(
            Block::points(vec!["甲".into(), "乙".into()]),
            Block::List(vec!["甲".into(), "乙".into()])
        );
    }
}
