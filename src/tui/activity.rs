//! The activity form: a group activity or a guardian training session (家长学校) with its
//! attendance, chosen from the roster and the guardians with a multi-select that filters as
//! one types (the same search as the roster). Each attending child's timeline gets the
//! activity when it is saved; the counts feed the work summary.

use chrono::NaiveDate;

use super::input::TextInput;
use crate::domain::{ActivityKind, ChildId};

/// One person who may attend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attendee {
    Child {
        id: ChildId,
        name: String,
        class: String,
    },
    Guardian {
        name: String,
        of: String,
    },
}

impl Attendee {
    /// What the filter matches against.
    pub fn text(&self) -> String {
        match self {
            Attendee::Child { name, class, .. } => format!("{name} {class}"),
            Attendee::Guardian { name, of } => format!("{name} {of}"),
        }
    }
}

/// The form's parts, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityField {
    Kind,
    Date,
    Title,
    Filter,
    List,
}

pub struct ActivityForm {
    pub kind: ActivityKind,
    pub date: TextInput,
    pub title: TextInput,
    pub filter: TextInput,
    pub focus: ActivityField,
    /// Everyone who may attend, and whether they do.
    pub people: Vec<(Attendee, bool)>,
    /// Positions in `people` the filter shows.
    pub shown: Vec<usize>,
    /// The search keys of `people`, built once (a keystroke only matches).
    index: crate::search::SearchIndex,
    pub cursor: usize,
    pub error: Option<String>,
}

impl ActivityForm {
    pub fn new(today: NaiveDate, people: Vec<Attendee>) -> ActivityForm {
        let texts: Vec<String> = people.iter().map(Attendee::text).collect();
        let index = crate::search::SearchIndex::build(texts.iter().map(|t| {
            let (name, rest) = t.split_once(' ').unwrap_or((t.as_str(), ""));
            crate::search::SearchFields {
                name,
                class: rest,
                ..Default::default()
            }
        }));
        let mut form = ActivityForm {
            kind: ActivityKind::Activity,
            date: TextInput::new(&today.format("%Y-%m-%d").to_string()),
            title: TextInput::new(""),
            filter: TextInput::new(""),
            focus: ActivityField::Title,
            people: people.into_iter().map(|p| (p, false)).collect(),
            shown: Vec::new(),
            index,
            cursor: 0,
            error: None,
        };
        form.refilter();
        form
    }

    /// Shows the people whose name, class or pinyin matches the filter.
    pub fn refilter(&mut self) {
        let query = self.filter.text().trim().to_string();
        self.shown = if query.is_empty() {
            (0..self.people.len()).collect()
        } else {
            let mut hits: Vec<usize> = self
                .index
                .search(&query)
                .into_iter()
                .map(|h| h.index)
                .collect();
            hits.sort_unstable();
            hits
        };
        self.cursor = self.cursor.min(self.shown.len().saturating_sub(1));
    }

    /// Marks or unmarks the person under the cursor.
    pub fn toggle(&mut self) {
        if let Some(&i) = self.shown.get(self.cursor)
            && let Some((_, on)) = self.people.get_mut(i)
        {
            *on = !*on;
        }
    }

    pub fn children(&self) -> Vec<ChildId> {
        self.people
            .iter()
            .filter_map(|(p, on)| match p {
                Attendee::Child { id, .. } if *on => Some(*id),
                _ => None,
            })
            .collect()
    }

    pub fn guardians(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (p, on) in &self.people {
            if let Attendee::Guardian { name, .. } = p
                && *on
                && !out.contains(name)
            {
                out.push(name.clone());
            }
        }
        out
    }

    pub fn move_focus(&mut self, forward: bool) {
        use ActivityField::*;
        let order = [Kind, Date, Title, Filter, List];
        let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        self.focus = order[if forward { (i + 1) % 5 } else { (i + 4) % 5 }];
    }

    pub fn input_mut(&mut self) -> Option<&mut TextInput> {
        match self.focus {
            ActivityField::Date => Some(&mut self.date),
            ActivityField::Title => Some(&mut self.title),
            ActivityField::Filter => Some(&mut self.filter),
            ActivityField::Kind | ActivityField::List => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_finds_by_pinyin_and_marks_survive_it() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let mut f = ActivityForm::new(
            today,
            vec![
                Attendee::Child {
                    id: ChildId(1),
                    name: "张小珠".into(),
                    class: "七(2)班".into(),
                },
                Attendee::Child {
                    id: ChildId(2),
                    name: "李明".into(),
                    class: "七(2)班".into(),
                },
                Attendee::Guardian {
                    name: "张奶奶".into(),
                    of: "张小珠".into(),
                },
            ],
        );
        assert_eq!(f.shown.len(), 3);
        f.filter.insert("zxz");
        f.refilter();
        assert_eq!(f.shown, vec![0]);
        f.toggle();
        f.filter.clear();
        f.refilter();
        f.cursor = 2;
        f.toggle();
        assert_eq!(f.children(), vec![ChildId(1)]);
        assert_eq!(f.guardians(), vec!["张奶奶".to_string()]);
    }
}
