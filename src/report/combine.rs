//! The county's roll-up (县级汇总): the anonymised term summaries of many schools — each the
//! JSON `guanai report --format json --anonymize` writes — added up into one summary of the
//! same figures, with one row of figures per school. Pure code over the files' text: the CLI
//! reads the files and writes the result.
//!
//! A file is refused, named, when it is not a school's summary, when it is of another
//! format version or term than the first, when it names a child (it must be made with
//! `--anonymize`), or when its school was given already. Nothing here names a child: the
//! summaries it reads carry none.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::figures::{Counts, Coverage, Figures, Organisation, Profile, Reason, percent};

/// What a summary file says it is, so that any other JSON is told apart.
pub const SUMMARY_FORMAT: &str = "guanai-term-summary";
/// The version of the summary's JSON this build writes and reads.
pub const SUMMARY_VERSION: u32 = 1;

/// A summary as written to JSON: its format and version, then the figures.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SummaryFile {
    pub format: String,
    pub version: u32,
    /// `school` for a school's summary, `county` for a roll-up.
    #[serde(default = "school_scope")]
    pub scope: String,
    /// One row per school when this is a county roll-up (absent in a school's summary).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schools: Vec<SchoolRow>,
    #[serde(flatten)]
    pub figures: Figures,
}

fn school_scope() -> String {
    "school".into()
}

impl SummaryFile {
    pub fn school(figures: Figures) -> SummaryFile {
        SummaryFile {
            format: SUMMARY_FORMAT.to_string(),
            version: SUMMARY_VERSION,
            scope: school_scope(),
            schools: Vec::new(),
            figures,
        }
    }
}

/// One school's line in the county's table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchoolRow {
    pub school: String,
    pub children_active: u32,
    pub both_parents: u32,
    pub one_parent: u32,
    pub talks: u32,
    pub home_visits: u32,
    pub parent_calls: u32,
    pub activities: u32,
    pub trainings: u32,
    pub training_attendance: u32,
    /// Each duty's coverage, by the duty's key.
    pub duty_coverage: BTreeMap<String, Coverage>,
    /// Over every duty, in percent; `None` when nothing fell due.
    pub coverage: Option<f64>,
}

/// Why a file cannot be part of the roll-up, naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CombineError {
    /// Not a term summary of guanai (any other JSON, or no JSON at all).
    NotASummary { file: String, reason: String },
    /// Another version of the summary's JSON.
    Version { file: String, found: u32 },
    /// A county roll-up given as a school.
    County { file: String },
    /// Another term or period than the first file's.
    OtherTerm {
        file: String,
        found: String,
        expected: String,
    },
    /// The same school twice.
    Twice {
        file: String,
        school: String,
        first: String,
    },
    /// It names children: not made with `--anonymize`.
    Names { file: String },
    /// Its figures cannot be true (done more than due, more children by type than in all).
    Impossible { file: String, what: String },
    /// Counted on another day than the first file (截至).
    OtherDay {
        file: String,
        found: chrono::NaiveDate,
        expected: chrono::NaiveDate,
    },
    /// Other duties than the first file's: the rates could not be added up.
    OtherRules {
        file: String,
        found: String,
        expected: String,
    },
    /// No file given.
    Empty,
}

impl CombineError {
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang::{En, Zh};
        match (self, lang) {
            (CombineError::NotASummary { file, reason }, Zh) => format!(
                "{file}: 不是 guanai 的学期工作总结 JSON ({reason}); 应为各校用 guanai report --format json --anonymize 导出的文件"
            ),
            (CombineError::NotASummary { file, reason }, En) => format!(
                "{file}: not a guanai term summary in JSON ({reason}); expected the file each school writes with guanai report --format json --anonymize"
            ),
            (CombineError::Version { file, found }, Zh) => format!(
                "{file}: 总结文件的版本是 {found}, 这个版本的 guanai 读版本 {SUMMARY_VERSION}; 请该校用同一版本的 guanai 重新导出"
            ),
            (CombineError::Version { file, found }, En) => format!(
                "{file}: the summary's version is {found}; this guanai reads version {SUMMARY_VERSION}: ask the school to export it again with the same guanai"
            ),
            (CombineError::County { file }, Zh) => {
                format!("{file}: 这是县级汇总, 不是某个学校的总结; 请给出各校的文件")
            }
            (CombineError::County { file }, En) => format!(
                "{file}: this is a county roll-up, not a school's summary: give the schools' files"
            ),
            (
                CombineError::OtherTerm {
                    file,
                    found,
                    expected,
                },
                Zh,
            ) => format!(
                "{file}: 是 {found} 的总结, 其他文件是 {expected} 的; 汇总只合并同一学期的总结"
            ),
            (
                CombineError::OtherTerm {
                    file,
                    found,
                    expected,
                },
                En,
            ) => format!(
                "{file}: summarises {found}, the other files {expected}: a roll-up adds up one term only"
            ),
            (
                CombineError::Twice {
                    file,
                    school,
                    first,
                },
                Zh,
            ) => format!("{file}: {school} 的总结已经在 {first} 里给过了, 同一学校只算一次"),
            (
                CombineError::Twice {
                    file,
                    school,
                    first,
                },
                En,
            ) => format!(
                "{file}: the summary of {school} was given already in {first}; a school is counted once"
            ),
            (CombineError::Names { file }, Zh) => format!(
                "{file}: 文件里有学生姓名; 上报给县里的文件要用 guanai report --format json --anonymize 导出"
            ),
            (CombineError::Names { file }, En) => format!(
                "{file}: the file names children; the county's copy is made with guanai report --format json --anonymize"
            ),
            (CombineError::Impossible { file, what }, Zh) => {
                format!("{file}: 数字不可能成立 ({what}); 文件可能被改动过, 请该校重新导出")
            }
            (CombineError::Impossible { file, what }, En) => format!(
                "{file}: its figures cannot be true ({what}); the file may have been edited: ask the school to export it again"
            ),
            (
                CombineError::OtherDay {
                    file,
                    found,
                    expected,
                },
                Zh,
            ) => format!(
                "{file}: 统计截至 {found}, 其他文件截至 {expected}; 汇总只合并截至同一天的总结, 请各校在同一天导出"
            ),
            (
                CombineError::OtherDay {
                    file,
                    found,
                    expected,
                },
                En,
            ) => format!(
                "{file}: counted as of {found}, the other files as of {expected}; a roll-up adds up summaries made on the same day"
            ),
            (
                CombineError::OtherRules {
                    file,
                    found,
                    expected,
                },
                Zh,
            ) => format!(
                "{file}: 这所学校的工作要求是 {found}, 其他学校是 {expected}; 完成率不能相加, 请统一工作要求后重新导出"
            ),
            (
                CombineError::OtherRules {
                    file,
                    found,
                    expected,
                },
                En,
            ) => format!(
                "{file}: its duties are {found}, the other schools' {expected}; their rates cannot be added up"
            ),
            (CombineError::Empty, Zh) => "没有给出要汇总的文件".into(),
            (CombineError::Empty, En) => "no file to combine".into(),
        }
    }
}

/// Reads one school's summary from its file's text, checking what it is.
pub fn read_summary(file: &str, text: &str) -> Result<SummaryFile, CombineError> {
    let not = |reason: String| CombineError::NotASummary {
        file: file.to_string(),
        reason,
    };
    // A file saved by Windows Notepad starts with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| not(format!("JSON: {e}")))?;
    match value.get("format").and_then(serde_json::Value::as_str) {
        Some(SUMMARY_FORMAT) => {}
        Some(other) => return Err(not(format!("format \"{other}\""))),
        None => return Err(not("no \"format\"".into())),
    }
    match value.get("version").and_then(serde_json::Value::as_u64) {
        Some(v) if v == u64::from(SUMMARY_VERSION) => {}
        Some(v) => {
            return Err(CombineError::Version {
                file: file.to_string(),
                found: u32::try_from(v).unwrap_or(u32::MAX),
            });
        }
        None => {
            let raw = value
                .get("version")
                .map_or_else(|| "none".to_string(), |v| v.to_string());
            return Err(not(format!("version {raw}")));
        }
    }
    if value.get("scope").and_then(serde_json::Value::as_str) == Some("county") {
        return Err(CombineError::County {
            file: file.to_string(),
        });
    }
    let summary: SummaryFile = serde_json::from_value(value).map_err(|e| not(e.to_string()))?;
    if !summary.schools.is_empty() {
        return Err(CombineError::County {
            file: file.to_string(),
        });
    }
    let f = &summary.figures;
    let named = f
        .awards_given
        .iter()
        .any(|a| !a.child.name.is_empty() || !a.title.is_empty())
        || f.no_home_visit.iter().any(|c| !c.name.is_empty())
        || f.activity_list.iter().any(|a| !a.title.is_empty());
    if named {
        return Err(CombineError::Names {
            file: file.to_string(),
        });
    }
    let impossible = |what: String| CombineError::Impossible {
        file: file.to_string(),
        what,
    };
    let t = &f.totals;
    if t.by_type.both_parents + t.by_type.one_parent != t.children_active {
        return Err(impossible(format!(
            "by_type {} + {} ≠ children_active {}",
            t.by_type.both_parents, t.by_type.one_parent, t.children_active
        )));
    }
    for (k, c) in &f.duty_coverage {
        if c.satisfied > c.due {
            return Err(impossible(format!(
                "{k}: satisfied {} > due {}",
                c.satisfied, c.due
            )));
        }
    }
    Ok(summary)
}

/// The county's roll-up of the schools' summaries (`(file name, its text)`), named `county`.
pub fn combine(county: &str, files: &[(String, String)]) -> Result<SummaryFile, CombineError> {
    let mut read: Vec<(String, SummaryFile)> = Vec::with_capacity(files.len());
    for (file, text) in files {
        let s = read_summary(file, text)?;
        if let Some((first_file, first)) = read.first() {
            let period = |f: &Figures| match &f.term {
                Some(term) => format!("{term} ({} – {})", f.from, f.to),
                None => format!("{} – {}", f.from, f.to),
            };
            let same = first.figures.term == s.figures.term
                && first.figures.from == s.figures.from
                && first.figures.to == s.figures.to;
            if !same {
                return Err(CombineError::OtherTerm {
                    file: file.clone(),
                    found: period(&s.figures),
                    expected: format!("{} ({first_file})", period(&first.figures)),
                });
            }
            if first.figures.as_of != s.figures.as_of {
                return Err(CombineError::OtherDay {
                    file: file.clone(),
                    found: s.figures.as_of,
                    expected: first.figures.as_of,
                });
            }
            let duties = |f: &Figures| {
                f.duty_coverage
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            if duties(&first.figures) != duties(&s.figures) {
                return Err(CombineError::OtherRules {
                    file: file.clone(),
                    found: duties(&s.figures),
                    expected: format!("{} ({first_file})", duties(&first.figures)),
                });
            }
        }
        // One school however its name was typed (spaces, full-width brackets).
        let same_school = |a: &str, b: &str| {
            let key = |s: &str| -> String {
                crate::domain::half_width(s)
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect()
            };
            key(a) == key(b)
        };
        if let Some((first_file, _)) = read
            .iter()
            .find(|(_, r)| same_school(&r.figures.school, &s.figures.school))
        {
            return Err(CombineError::Twice {
                file: file.clone(),
                school: s.figures.school.clone(),
                first: first_file.clone(),
            });
        }
        read.push((file.clone(), s));
    }
    let Some((_, first)) = read.first() else {
        return Err(CombineError::Empty);
    };
    let mut total = Figures {
        school: county.to_string(),
        term: first.figures.term.clone(),
        from: first.figures.from,
        to: first.figures.to,
        totals: Counts::default(),
        activities: 0,
        trainings: 0,
        training_attendance: 0,
        activity_list: Vec::new(),
        profile: Profile::default(),
        as_of: first.figures.as_of,
        typical_cases: BTreeMap::new(),
        rules: Vec::new(),
        previous: None,
        duty_coverage: BTreeMap::new(),
        duty_order: Vec::new(),
        per_class: BTreeMap::new(),
        organisation: Organisation::default(),
        archived_reasons: BTreeMap::new(),
        awards_given: Vec::new(),
        no_home_visit: Vec::new(),
    };
    // The duties in the order the schools' rules give them.
    total.duty_order = first.figures.duty_order.clone();
    let mut rows = Vec::with_capacity(read.len());
    for (_, s) in &read {
        let f = &s.figures;
        add_counts(&mut total.totals, &f.totals);
        total.activities += f.activities;
        total.trainings += f.trainings;
        total.training_attendance += f.training_attendance;
        add_profile(&mut total.profile, &f.profile);
        total.as_of = total.as_of.max(f.as_of);
        for (k, n) in &f.typical_cases {
            *total.typical_cases.entry(k.clone()).or_default() += n;
        }
        for (k, c) in &f.duty_coverage {
            let t = total
                .duty_coverage
                .entry(k.clone())
                .or_insert_with(|| Coverage {
                    label_zh: c.label_zh.clone(),
                    label_en: c.label_en.clone(),
                    due: 0,
                    satisfied: 0,
                    percent: None,
                });
            t.due += c.due;
            t.satisfied += c.satisfied;
            if !total.duty_order.contains(k) {
                total.duty_order.push(k.clone());
            }
        }
        total.organisation.class_teachers += f.organisation.class_teachers;
        total.organisation.mentors += f.organisation.mentors;
        for (zh, r) in &f.archived_reasons {
            let t = total.archived_reasons.entry(zh.clone()).or_insert(Reason {
                en: r.en.clone(),
                count: 0,
            });
            t.count += r.count;
        }
        rows.push(SchoolRow {
            school: f.school.clone(),
            children_active: f.totals.children_active,
            both_parents: f.totals.by_type.both_parents,
            one_parent: f.totals.by_type.one_parent,
            talks: f.totals.talks,
            home_visits: f.totals.home_visits,
            parent_calls: f.totals.parent_calls,
            activities: f.activities,
            trainings: f.trainings,
            training_attendance: f.training_attendance,
            duty_coverage: f.duty_coverage.clone(),
            coverage: super::text::overall(&f.duty_coverage),
        });
    }
    for c in total.duty_coverage.values_mut() {
        c.percent = percent(c.satisfied, c.due);
    }
    // The previous term is compared only when every school has it, for the same term (its
    // coverage over the county is not in the files: left out).
    let previous: Vec<&super::figures::Comparison> = read
        .iter()
        .filter_map(|(_, s)| s.figures.previous.as_deref())
        .collect();
    if previous.len() == read.len()
        && let Some(p) = previous.first()
        && previous.iter().all(|q| q.term == p.term)
    {
        total.previous = Some(Box::new(super::figures::Comparison {
            term: p.term.clone(),
            coverage: None,
            talks: previous.iter().map(|q| q.talks).sum(),
            home_visits: previous.iter().map(|q| q.home_visits).sum(),
            parent_calls: previous.iter().map(|q| q.parent_calls).sum(),
            activities: previous.iter().map(|q| q.activities).sum(),
        }));
    }
    Ok(SummaryFile {
        format: SUMMARY_FORMAT.to_string(),
        version: SUMMARY_VERSION,
        scope: "county".into(),
        schools: rows,
        figures: total,
    })
}

fn add_counts(t: &mut Counts, c: &Counts) {
    t.children_active += c.children_active;
    t.children_new += c.children_new;
    t.children_archived += c.children_archived;
    t.by_type.both_parents += c.by_type.both_parents;
    t.by_type.one_parent += c.by_type.one_parent;
    t.talks += c.talks;
    t.home_visits += c.home_visits;
    t.home_visit_teachers += c.home_visit_teachers;
    t.guardians_contacted += c.guardians_contacted;
    t.parent_calls += c.parent_calls;
    t.counseling_sessions += c.counseling_sessions;
    t.awards += c.awards;
    t.mentor_pairs += c.mentor_pairs;
}

fn add_profile(t: &mut Profile, p: &Profile) {
    t.boarding += p.boarding;
    t.poverty_support += p.poverty_support;
    t.key_support += p.key_support;
    t.grandparent_guardians += p.grandparent_guardians;
    t.guardians_on_file += p.guardians_on_file;
    t.assistance += p.assistance;
    t.incidents += p.incidents;
}
