//! Reading a rules file: the TOML as written (`default_rules.toml`, a school's `rules.toml`),
//! laid over the defaults, with every mistake named by file and line and what would be
//! accepted.
//!
//! It parses and checks only; what a duty means and how it falls due is `rules` and
//! `calendar`'s. Pure: it is given the text, never a path to read.

use serde::Deserialize;
use toml::Spanned;

use super::rules::{
    Cadence, Children, Duty, Responsible, RuleError, Rules, RulesError, Source, Weights, Window,
};
use crate::domain::EventKind;

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
    /// Reads `text` over `base` (or, without a base, as a complete rules file).
    pub(super) fn parse_over(
        base: Option<Rules>,
        text: &str,
        file: &str,
    ) -> Result<Rules, RulesError> {
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
