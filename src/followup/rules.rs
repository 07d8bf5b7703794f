//! Duties as configuration: the embedded defaults, a school's overrides, and the checks that
//! name the file and line of every mistake.

use std::fmt::Write as _;

use serde::Deserialize;
use toml::Spanned;

use crate::domain::EventKind;

/// The defaults, from the repository (src/followup/default_rules.toml).
pub const DEFAULT_RULES: &str = include_str!("default_rules.toml");

/// What satisfies a duty: an event of a kind, or the file's five-area survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Kind(EventKind),
    /// The date of the last survey of the five areas (`Situation::surveyed`).
    Survey,
}

impl Source {
    pub fn key(self) -> &'static str {
        match self {
            Source::Kind(k) => k.key(),
            Source::Survey => "survey",
        }
    }
}

/// The three windows of a term: its first, middle and last third.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Window {
    Start,
    Middle,
    End,
}

impl Window {
    pub fn key(self) -> &'static str {
        match self {
            Window::Start => "start",
            Window::Middle => "middle",
            Window::End => "end",
        }
    }
}

/// How often a duty falls due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cadence {
    /// Once per calendar month.
    Month,
    /// Once per ISO week (Monday to Sunday).
    Week,
    /// At most this many school days between satisfying events.
    Rolling(u32),
    /// In each of these windows of every term.
    TermWindows(Vec<Window>),
    /// Within `window_days` of the birthday, either side.
    Birthday { window_days: u32 },
    /// In the first `due_days` days of each school year (from the autumn term's start).
    Annual { due_days: u32 },
}

impl Cadence {
    pub fn describe(&self) -> String {
        match self {
            Cadence::Month => "month".into(),
            Cadence::Week => "week".into(),
            Cadence::Rolling(n) => format!("{n}d"),
            Cadence::TermWindows(w) => format!(
                "term:{}",
                w.iter().map(|w| w.key()).collect::<Vec<_>>().join(",")
            ),
            Cadence::Birthday { .. } => "birthday".into(),
            Cadence::Annual { .. } => "annual".into(),
        }
    }
}

/// Who must do it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responsible {
    /// The child's mentor teacher (帮扶教师); the class teacher where there is none.
    Mentor,
    /// The class teacher (班主任) of the child's class.
    ClassTeacher,
    /// The school's counsellor.
    Counselor,
}

impl Responsible {
    pub fn key(self) -> &'static str {
        match self {
            Responsible::Mentor => "mentor",
            Responsible::ClassTeacher => "class-teacher",
            Responsible::Counselor => "counselor",
        }
    }
}

/// Which active children a duty concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Children {
    All,
    KeySupport,
    Boarding,
    PovertySupport,
    BothParentsAway,
    OneParentAway,
}

impl Children {
    /// Whether a child with these flags is concerned by the duty.
    pub fn include(
        self,
        key_support: bool,
        boarding: bool,
        poverty_support: bool,
        left_behind: crate::domain::LeftBehindType,
    ) -> bool {
        use crate::domain::LeftBehindType;
        match self {
            Children::All => true,
            Children::KeySupport => key_support,
            Children::Boarding => boarding,
            Children::PovertySupport => poverty_support,
            Children::BothParentsAway => left_behind == LeftBehindType::BothParents,
            Children::OneParentAway => left_behind == LeftBehindType::OneParent,
        }
    }

    const ALL: [(Children, &'static str); 6] = [
        (Children::All, "all"),
        (Children::KeySupport, "key-support"),
        (Children::Boarding, "boarding"),
        (Children::PovertySupport, "poverty-support"),
        (Children::BothParentsAway, "both-parents"),
        (Children::OneParentAway, "one-parent"),
    ];

    pub fn key(self) -> &'static str {
        Children::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map(|(_, k)| *k)
            .unwrap_or("all")
    }
}

/// One recurring duty.
#[derive(Debug, Clone, PartialEq)]
pub struct Duty {
    /// The rule's name, as in `--format tsv` and rules files: `talk`, `home-visit` ...
    pub name: String,
    pub label_zh: String,
    pub label_en: String,
    pub sources: Vec<Source>,
    pub cadence: Cadence,
    pub responsible: Responsible,
    pub children: Children,
    /// Whether periods run through holidays and the breaks between terms (default: no, the
    /// duty is suspended there).
    pub in_holidays: bool,
}

/// The weights of the urgency sum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub per_day_overdue: f64,
    pub per_missed_period: f64,
    pub key_support: f64,
    pub open_incident: f64,
    pub incident_days: u32,
    pub no_parent_contact: f64,
    pub no_parent_contact_days: u32,
}

/// The rules in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    pub duties: Vec<Duty>,
    pub weights: Weights,
}

/// One mistake in a rules file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// Every mistake found in a rules file (they are all reported at once).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct RulesError(pub Vec<RuleError>);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    urgency: Option<Spanned<UrgencyFile>>,
    #[serde(default)]
    duty: Vec<Spanned<DutyFile>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UrgencyFile {
    per_day_overdue: Option<Spanned<f64>>,
    per_missed_period: Option<Spanned<f64>>,
    key_support: Option<Spanned<f64>>,
    open_incident: Option<Spanned<f64>>,
    incident_days: Option<Spanned<i64>>,
    no_parent_contact: Option<Spanned<f64>>,
    no_parent_contact_days: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DutyFile {
    name: Spanned<String>,
    label: Option<Spanned<String>>,
    label_en: Option<Spanned<String>>,
    kinds: Option<Spanned<Vec<Spanned<String>>>>,
    cadence: Option<Spanned<String>>,
    responsible: Option<Spanned<String>>,
    children: Option<Spanned<String>>,
    holidays: Option<bool>,
    window_days: Option<Spanned<i64>>,
    due_days: Option<Spanned<i64>>,
    enabled: Option<bool>,
}

const KIND_NAMES: &str = "talk, visit, school-visit, call, letter, guardian, counseling, activity, training, assistance, award, incident, note, survey";
const CADENCES: &str =
    "month, week, Nd (e.g. 30d), term:start,middle,end (any of the three), birthday, annual";

/// Line (1-based) of byte offset `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.get(..at.min(text.len()))
        .map(|s| s.matches('\n').count() + 1)
        .unwrap_or(1)
}

struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    errors: Vec<RuleError>,
}

impl Checker<'_> {
    fn err(&mut self, at: usize, message: String) {
        self.errors.push(RuleError {
            file: self.file.to_string(),
            line: line_of(self.text, at),
            message,
        });
    }

    fn weight(&mut self, v: &Option<Spanned<f64>>, name: &str, into: &mut f64) {
        if let Some(v) = v {
            let x = *v.get_ref();
            if x.is_finite() && (0.0..=1000.0).contains(&x) {
                *into = x;
            } else {
                self.err(
                    v.span().start,
                    format!(
                        "urgency.{name} = {x} is not accepted: expected a number from 0 to 1000"
                    ),
                );
            }
        }
    }

    fn days(&mut self, v: &Option<Spanned<i64>>, name: &str, max: i64, into: &mut u32) {
        if let Some(v) = v {
            let x = *v.get_ref();
            if (1..=max).contains(&x) {
                *into = x as u32;
            } else {
                self.err(
                    v.span().start,
                    format!("{name} = {x} is not accepted: expected whole days from 1 to {max}"),
                );
            }
        }
    }

    /// A label: one line of text, at most 40 characters.
    fn label(&mut self, v: &Option<Spanned<String>>, name: &str) -> Option<String> {
        let v = v.as_ref()?;
        let text = v.get_ref().trim();
        if text.is_empty() || text.chars().any(char::is_control) || text.chars().count() > 40 {
            self.err(
                v.span().start,
                format!(
                    "{name} {:?} is not accepted: expected one line of 1 to 40 characters",
                    v.get_ref()
                ),
            );
            return None;
        }
        Some(text.to_string())
    }
}

fn parse_cadence(s: &str) -> Option<Cadence> {
    let s = s.trim();
    match s {
        "month" => return Some(Cadence::Month),
        "week" => return Some(Cadence::Week),
        "birthday" => return Some(Cadence::Birthday { window_days: 3 }),
        "annual" => return Some(Cadence::Annual { due_days: 30 }),
        _ => {}
    }
    let Some(windows) = s.strip_prefix("term:") else {
        return s
            .strip_suffix('d')?
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=365).contains(n))
            .map(Cadence::Rolling);
    };
    let mut out = Vec::new();
    for w in windows.split(',') {
        let w = match w.trim() {
            "start" => Window::Start,
            "middle" => Window::Middle,
            "end" => Window::End,
            _ => return None,
        };
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out.sort();
    (!out.is_empty()).then_some(Cadence::TermWindows(out))
}

impl Rules {
    /// The embedded defaults.
    pub fn defaults() -> Rules {
        // The defaults are part of the program and tested; should they ever fail to parse,
        // there are no duties rather than a crash.
        Rules::parse_over(None, DEFAULT_RULES, "default_rules.toml").unwrap_or(Rules {
            duties: Vec::new(),
            weights: Weights {
                per_day_overdue: 1.0,
                per_missed_period: 5.0,
                key_support: 15.0,
                open_incident: 10.0,
                incident_days: 30,
                no_parent_contact: 10.0,
                no_parent_contact_days: 45,
            },
        })
    }

    /// The defaults with a school's file `text` (named `file` in messages) laid over them.
    pub fn with_overrides(text: &str, file: &str) -> Result<Rules, RulesError> {
        Rules::parse_over(Some(Rules::defaults()), text, file)
    }

    /// Reads `text` over `base` (or, without a base, as a complete rules file).
    fn parse_over(base: Option<Rules>, text: &str, file: &str) -> Result<Rules, RulesError> {
        let parsed: RulesFile = toml::from_str(text).map_err(|e| {
            RulesError(vec![RuleError {
                file: file.to_string(),
                line: e.span().map(|s| line_of(text, s.start)).unwrap_or(1),
                message: e.message().trim().to_string(),
            }])
        })?;
        let complete = base.is_none();
        let mut rules = base.unwrap_or(Rules {
            duties: Vec::new(),
            weights: Weights {
                per_day_overdue: 0.0,
                per_missed_period: 0.0,
                key_support: 0.0,
                open_incident: 0.0,
                incident_days: 30,
                no_parent_contact: 0.0,
                no_parent_contact_days: 45,
            },
        });
        let mut c = Checker {
            file,
            text,
            errors: Vec::new(),
        };
        if let Some(u) = &parsed.urgency {
            let u = u.get_ref();
            let w = &mut rules.weights;
            c.weight(
                &u.per_day_overdue,
                "per_day_overdue",
                &mut w.per_day_overdue,
            );
            c.weight(
                &u.per_missed_period,
                "per_missed_period",
                &mut w.per_missed_period,
            );
            c.weight(&u.key_support, "key_support", &mut w.key_support);
            c.weight(&u.open_incident, "open_incident", &mut w.open_incident);
            c.days(
                &u.incident_days,
                "urgency.incident_days",
                365,
                &mut w.incident_days,
            );
            c.weight(
                &u.no_parent_contact,
                "no_parent_contact",
                &mut w.no_parent_contact,
            );
            c.days(
                &u.no_parent_contact_days,
                "urgency.no_parent_contact_days",
                365,
                &mut w.no_parent_contact_days,
            );
        }
        let mut seen: Vec<String> = Vec::new();
        for d in &parsed.duty {
            let at = d.span().start;
            let d = d.get_ref();
            let name = d.name.get_ref().trim().to_string();
            let name_ok = !name.is_empty()
                && name
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
            if !name_ok {
                c.err(
                    d.name.span().start,
                    format!("duty name {name:?} is not accepted: expected lowercase letters, digits and -, e.g. home-visit"),
                );
                continue;
            }
            if seen.contains(&name) {
                c.err(
                    d.name.span().start,
                    format!("duty {name:?} is defined twice in this file"),
                );
                continue;
            }
            seen.push(name.clone());
            let existing = rules.duties.iter().position(|x| x.name == name);
            if d.enabled == Some(false) {
                match existing {
                    Some(i) => {
                        rules.duties.remove(i);
                    }
                    None => c.err(
                        at,
                        format!("duty {name:?} is switched off but no such duty exists"),
                    ),
                }
                continue;
            }
            let sources = d.kinds.as_ref().map(|kinds| {
                let mut out = Vec::new();
                for k in kinds.get_ref() {
                    let key = k.get_ref().trim();
                    let source = if key == "survey" {
                        Some(Source::Survey)
                    } else {
                        EventKind::parse(key).map(Source::Kind)
                    };
                    match source {
                        Some(s) if !out.contains(&s) => out.push(s),
                        Some(_) => {}
                        None => c.err(
                            k.span().start,
                            format!("duty {name:?}: kind {key:?} is not accepted: expected one of {KIND_NAMES}"),
                        ),
                    }
                }
                if out.is_empty() && kinds.get_ref().is_empty() {
                    c.err(kinds.span().start, format!("duty {name:?}: kinds must name at least one kind"));
                }
                out
            });
            let mut cadence = d.cadence.as_ref().and_then(|cad| {
                let parsed = parse_cadence(cad.get_ref());
                if parsed.is_none() {
                    c.err(
                        cad.span().start,
                        format!(
                            "duty {name:?}: cadence {:?} is not accepted: expected {CADENCES}",
                            cad.get_ref()
                        ),
                    );
                }
                parsed
            });
            let responsible = d.responsible.as_ref().and_then(|r| {
                let parsed = match r.get_ref().trim() {
                    "mentor" => Some(Responsible::Mentor),
                    "class-teacher" => Some(Responsible::ClassTeacher),
                    "counselor" => Some(Responsible::Counselor),
                    _ => None,
                };
                if parsed.is_none() {
                    c.err(
                        r.span().start,
                        format!("duty {name:?}: responsible {:?} is not accepted: expected mentor, class-teacher or counselor", r.get_ref()),
                    );
                }
                parsed
            });
            let children = d.children.as_ref().and_then(|ch| {
                let parsed = Children::ALL
                    .iter()
                    .find(|(_, k)| *k == ch.get_ref().trim())
                    .map(|(c, _)| *c);
                if parsed.is_none() {
                    let accepted: Vec<_> = Children::ALL.iter().map(|(_, k)| *k).collect();
                    c.err(
                        ch.span().start,
                        format!(
                            "duty {name:?}: children {:?} is not accepted: expected {}",
                            ch.get_ref(),
                            accepted.join(", ")
                        ),
                    );
                }
                parsed
            });
            let base = existing.map(|i| rules.duties[i].clone());
            if cadence.is_none() && d.cadence.is_none() {
                cadence = base.as_ref().map(|b| b.cadence.clone());
            }
            let mut window_days = 3;
            let mut due_days = 30;
            if let Some(b) = &base {
                match b.cadence {
                    Cadence::Birthday { window_days: w } => window_days = w,
                    Cadence::Annual { due_days: dd } => due_days = dd,
                    _ => {}
                }
            }
            c.days(
                &d.window_days,
                &format!("duty {name:?}: window_days"),
                30,
                &mut window_days,
            );
            c.days(
                &d.due_days,
                &format!("duty {name:?}: due_days"),
                180,
                &mut due_days,
            );
            let is_birthday = matches!(cadence, Some(Cadence::Birthday { .. }));
            let is_annual = matches!(cadence, Some(Cadence::Annual { .. }));
            if let (Some(v), false) = (&d.window_days, is_birthday) {
                c.err(
                    v.span().start,
                    format!("duty {name:?}: window_days applies only to cadence = \"birthday\""),
                );
            }
            if let (Some(v), false) = (&d.due_days, is_annual) {
                c.err(
                    v.span().start,
                    format!("duty {name:?}: due_days applies only to cadence = \"annual\""),
                );
            }
            let label_zh = c.label(&d.label, &format!("duty {name:?}: label"));
            let label_en = c.label(&d.label_en, &format!("duty {name:?}: label_en"));
            let cadence = cadence.map(|cad| match cad {
                Cadence::Birthday { .. } => Cadence::Birthday { window_days },
                Cadence::Annual { .. } => Cadence::Annual { due_days },
                other => other,
            });
            let (Some(sources), Some(cadence), Some(responsible)) = (
                sources.or_else(|| base.as_ref().map(|b| b.sources.clone())),
                cadence,
                responsible.or(base.as_ref().map(|b| b.responsible)),
            ) else {
                if d.kinds.is_none() || d.cadence.is_none() || d.responsible.is_none() {
                    let missing: Vec<&str> = [
                        (d.kinds.is_none(), "kinds"),
                        (d.cadence.is_none(), "cadence"),
                        (d.responsible.is_none(), "responsible"),
                    ]
                    .iter()
                    .filter(|(m, _)| *m)
                    .map(|(_, k)| *k)
                    .collect();
                    if base.is_none() {
                        c.err(
                            at,
                            format!("new duty {name:?} needs {} (a duty of the defaults may leave them out)", missing.join(", ")),
                        );
                    }
                }
                continue;
            };
            let duty = Duty {
                label_zh: label_zh
                    .or(base.as_ref().map(|b| b.label_zh.clone()))
                    .unwrap_or_else(|| name.clone()),
                label_en: label_en
                    .or(base.as_ref().map(|b| b.label_en.clone()))
                    .unwrap_or_else(|| name.clone()),
                name: name.clone(),
                sources,
                cadence,
                responsible,
                children: children
                    .or(base.as_ref().map(|b| b.children))
                    .unwrap_or(Children::All),
                in_holidays: d
                    .holidays
                    .or(base.as_ref().map(|b| b.in_holidays))
                    .unwrap_or(false),
            };
            match existing {
                Some(i) => rules.duties[i] = duty,
                None => rules.duties.push(duty),
            }
        }
        if complete && parsed.urgency.is_none() {
            c.err(1, "the defaults need an [urgency] table".into());
        }
        if c.errors.is_empty() {
            Ok(rules)
        } else {
            Err(RulesError(c.errors))
        }
    }

    pub fn duty(&self, name: &str) -> Option<&Duty> {
        self.duties.iter().find(|d| d.name == name)
    }

    /// The rules in force as a rules file (what `guanai rules show` prints).
    pub fn to_toml(&self) -> String {
        let w = &self.weights;
        let mut out = String::new();
        let _ = writeln!(out, "[urgency]");
        let _ = writeln!(out, "per_day_overdue = {:?}", w.per_day_overdue);
        let _ = writeln!(out, "per_missed_period = {:?}", w.per_missed_period);
        let _ = writeln!(out, "key_support = {:?}", w.key_support);
        let _ = writeln!(out, "open_incident = {:?}", w.open_incident);
        let _ = writeln!(out, "incident_days = {}", w.incident_days);
        let _ = writeln!(out, "no_parent_contact = {:?}", w.no_parent_contact);
        let _ = writeln!(out, "no_parent_contact_days = {}", w.no_parent_contact_days);
        for d in &self.duties {
            let _ = writeln!(out, "\n[[duty]]");
            let _ = writeln!(out, "name = {:?}", d.name);
            let _ = writeln!(out, "label = {:?}", d.label_zh);
            let _ = writeln!(out, "label_en = {:?}", d.label_en);
            let kinds: Vec<String> = d.sources.iter().map(|s| format!("{:?}", s.key())).collect();
            let _ = writeln!(out, "kinds = [{}]", kinds.join(", "));
            let _ = writeln!(out, "cadence = {:?}", d.cadence.describe());
            match d.cadence {
                Cadence::Birthday { window_days } => {
                    let _ = writeln!(out, "window_days = {window_days}");
                }
                Cadence::Annual { due_days } => {
                    let _ = writeln!(out, "due_days = {due_days}");
                }
                _ => {}
            }
            let _ = writeln!(out, "responsible = {:?}", d.responsible.key());
            let _ = writeln!(out, "children = {:?}", d.children.key());
            let _ = writeln!(out, "holidays = {}", d.in_holidays);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_parse_and_match_the_source_documents() {
        let r = Rules::parse_over(None, DEFAULT_RULES, "default_rules.toml").unwrap();
        let names: Vec<_> = r.duties.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "talk",
                "parent-call",
                "guardian-contact",
                "home-visit",
                "birthday",
                "resurvey"
            ]
        );
        assert_eq!(r, Rules::defaults());
        let talk = r.duty("talk").unwrap();
        assert_eq!(talk.cadence, Cadence::Month);
        assert_eq!(talk.responsible, Responsible::Mentor);
        assert_eq!(talk.sources, [Source::Kind(EventKind::Talk)]);
        let visit = r.duty("home-visit").unwrap();
        assert_eq!(
            visit.cadence,
            Cadence::TermWindows(vec![Window::Start, Window::Middle, Window::End])
        );
        assert_eq!(r.duty("resurvey").unwrap().sources, [Source::Survey]);
    }

    #[test]
    fn shown_rules_read_back_the_same() {
        let r = Rules::defaults();
        let again = Rules::parse_over(None, &r.to_toml(), "shown").unwrap();
        assert_eq!(again, r);
    }

    #[test]
    fn a_school_changes_only_what_it_names() {
        let r = Rules::with_overrides(
            "[urgency]\nkey_support = 30\n\n[[duty]]\nname = \"talk\"\ncadence = \"week\"\n\n[[duty]]\nname = \"birthday\"\nenabled = false\n\n[[duty]]\nname = \"key-talk\"\nlabel = \"重点谈心\"\nkinds = [\"talk\", \"counseling\"]\ncadence = \"14d\"\nresponsible = \"counselor\"\nchildren = \"key-support\"\n",
            "rules.toml",
        )
        .unwrap();
        assert_eq!(r.weights.key_support, 30.0);
        assert_eq!(r.weights.per_day_overdue, 1.0);
        let talk = r.duty("talk").unwrap();
        assert_eq!(talk.cadence, Cadence::Week);
        assert_eq!(
            talk.responsible,
            Responsible::Mentor,
            "kept from the default"
        );
        assert!(r.duty("birthday").is_none());
        let key = r.duty("key-talk").unwrap();
        assert_eq!(key.cadence, Cadence::Rolling(14));
        assert_eq!(key.children, Children::KeySupport);
        assert_eq!(r.duties.len(), 6);
    }

    #[test]
    fn every_mistake_is_reported_with_its_line() {
        let text = "[urgency]\nkey_support = -5\n\n[[duty]]\nname = \"talk\"\ncadence = \"monthly\"\nkinds = [\"talk\", \"party\"]\n\n[[duty]]\nname = \"new-one\"\nkinds = [\"call\"]\n\n[[duty]]\nname = \"x\"\nresponsible = \"janitor\"\nchildren = \"tall\"\ncadence = \"term:start,late\"\n";
        let errors = Rules::with_overrides(text, "rules.toml").unwrap_err().0;
        let lines: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 2 && m.contains("key_support")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 6 && m.contains("\"monthly\"") && m.contains("month, week")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 7 && m.contains("\"party\"") && m.contains("talk, visit")),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|(l, m)| *l == 9
                && m.contains("new-one")
                && m.contains("cadence, responsible")),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|(l, m)| *l == 15 && m.contains("janitor")),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|(l, m)| *l == 16 && m.contains("tall")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 17 && m.contains("term:start,late")),
            "{lines:?}"
        );
        assert!(errors[0].to_string().starts_with("rules.toml:"));
    }

    #[test]
    fn days_labels_and_cadence_fields_are_checked() {
        let text = "[[duty]]\nname = \"birthday\"\nwindow_days = 365\n\n[[duty]]\nname = \"talk\"\nwindow_days = 3\nlabel = \"谈\\u001b[31m心\"\n\n[[duty]]\nname = \"resurvey\"\ndue_days = 181\n";
        let errors = Rules::with_overrides(text, "r.toml").unwrap_err().0;
        let lines: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert!(
            lines.iter().any(|(l, m)| *l == 3 && m.contains("1 to 30")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 7 && m.contains("only to cadence")),
            "{lines:?}"
        );
        assert!(
            lines.iter().any(|(l, m)| *l == 8 && m.contains("label")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|(l, m)| *l == 12 && m.contains("1 to 180")),
            "{lines:?}"
        );
    }

    #[test]
    fn broken_toml_and_unknown_fields_name_the_line() {
        let e = Rules::with_overrides("[[duty]]\nname = \"talk\"\ncadense = \"week\"\n", "r.toml")
            .unwrap_err()
            .0;
        assert_eq!(e[0].line, 3, "{e:?}");
        assert!(e[0].message.contains("cadense"), "{e:?}");
        let e = Rules::with_overrides("[[duty]\nname = ", "r.toml")
            .unwrap_err()
            .0;
        assert_eq!(e[0].line, 1, "{e:?}");
    }
}
