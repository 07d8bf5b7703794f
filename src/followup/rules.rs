//! Duties as configuration: the embedded defaults, a school's overrides, and the checks that
//! name the file and line of every mistake.
//!
//! This file is what the rules mean (duties, cadences, who is responsible, which children,
//! the urgency weights); reading a rules file and checking it line by line is `rules_file`'s.
//! Pure: it reads no file and no clock.

use std::fmt::Write as _;

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

    pub(super) const ALL: [(Children, &'static str); 6] = [
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
        // Windows and due days other than the defaults survive being shown and read back.
        let r = Rules::with_overrides(
            "[[duty]]\nname = \"birthday\"\nwindow_days = 5\n\n[[duty]]\nname = \"resurvey\"\ndue_days = 20\n",
            "rules.toml",
        )
        .unwrap();
        assert_eq!(
            r.duty("birthday").unwrap().cadence,
            Cadence::Birthday { window_days: 5 }
        );
        assert_eq!(
            r.duty("resurvey").unwrap().cadence,
            Cadence::Annual { due_days: 20 }
        );
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
}
