//! The log form: what happened with a child (a talk, a home visit, a call …), from a queue
//! row or from wherever a child is selected. It holds what was typed and never loses it: a
//! changed form asks before it is cancelled, and every change is saved as a draft (restored
//! when the app starts after the terminal died). Saving goes through the service.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::input::TextInput;
use crate::domain::{ChildId, EventKind};

/// The kinds one logs from the form (activities and training are logged as activities).
pub const KINDS: [EventKind; 11] = [
    EventKind::Talk,
    EventKind::HomeVisit,
    EventKind::SchoolVisit,
    EventKind::Call,
    EventKind::Letter,
    EventKind::GuardianContact,
    EventKind::Counseling,
    EventKind::Assistance,
    EventKind::Award,
    EventKind::Incident,
    EventKind::Note,
];

/// The form's fields, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormField {
    Kind,
    Date,
    By,
    Present,
    Summary,
    FollowUp,
    Due,
}

impl FormField {
    pub const ALL: [FormField; 7] = [
        FormField::Kind,
        FormField::Date,
        FormField::By,
        FormField::Present,
        FormField::Summary,
        FormField::FollowUp,
        FormField::Due,
    ];
}

/// What the form holds, as typed: also the draft kept on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub child: u64,
    pub child_name: String,
    pub kind: EventKind,
    pub date: String,
    pub by: String,
    pub present: String,
    pub summary: String,
    pub follow_up: bool,
    pub due: String,
}

/// What any open form holds, as kept on disk until it is saved or cancelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum SavedForm {
    Log(Draft),
    File {
        /// The file and the version it was read at; `None` for a new file.
        editing: Option<(u64, u64)>,
        survey: bool,
        values: Vec<String>,
    },
    Activity {
        kind: crate::domain::ActivityKind,
        date: String,
        title: String,
        children: Vec<u64>,
        guardians: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct LogForm {
    pub child: ChildId,
    pub child_name: String,
    pub kind: EventKind,
    pub date: TextInput,
    pub by: TextInput,
    pub present: TextInput,
    pub summary: TextInput,
    pub follow_up: bool,
    pub due: TextInput,
    pub focus: FormField,
    /// The field at fault and the message, after a refused save.
    pub error: Option<(FormField, String)>,
    /// Esc on a changed form: waiting for y (discard) or n (keep editing).
    pub confirm_cancel: bool,
    /// What it held when opened (to tell a changed form).
    opened: Draft,
}

impl LogForm {
    /// A new form: today, by the current user, the cursor in the summary.
    pub fn new(
        child: ChildId,
        child_name: &str,
        kind: EventKind,
        today: NaiveDate,
        by: &str,
    ) -> LogForm {
        let draft = Draft {
            child: child.0,
            child_name: child_name.to_string(),
            kind,
            date: today.format("%Y-%m-%d").to_string(),
            by: by.to_string(),
            present: String::new(),
            summary: String::new(),
            follow_up: false,
            due: String::new(),
        };
        let mut form = LogForm::from_draft(&draft);
        form.opened = draft;
        form
    }

    /// A form holding a draft (restored after a crash: it counts as changed).
    pub fn from_draft(d: &Draft) -> LogForm {
        LogForm {
            child: ChildId(d.child),
            child_name: d.child_name.clone(),
            kind: d.kind,
            date: TextInput::new(&d.date),
            by: TextInput::new(&d.by),
            present: TextInput::new(&d.present),
            summary: TextInput::new(&d.summary),
            follow_up: d.follow_up,
            due: TextInput::new(&d.due),
            focus: FormField::Summary,
            error: None,
            confirm_cancel: false,
            opened: Draft {
                child: d.child,
                child_name: d.child_name.clone(),
                kind: d.kind,
                date: String::new(),
                by: String::new(),
                present: String::new(),
                summary: String::new(),
                follow_up: false,
                due: String::new(),
            },
        }
    }

    pub fn draft(&self) -> Draft {
        Draft {
            child: self.child.0,
            child_name: self.child_name.clone(),
            kind: self.kind,
            date: self.date.text().to_string(),
            by: self.by.text().to_string(),
            present: self.present.text().to_string(),
            summary: self.summary.text().to_string(),
            follow_up: self.follow_up,
            due: self.due.text().to_string(),
        }
    }

    /// Whether anything was typed since the form opened.
    pub fn changed(&self) -> bool {
        self.draft() != self.opened
    }

    /// The text box of a field (the kind and the toggle have none).
    pub fn input_mut(&mut self, field: FormField) -> Option<&mut TextInput> {
        match field {
            FormField::Date => Some(&mut self.date),
            FormField::By => Some(&mut self.by),
            FormField::Present => Some(&mut self.present),
            FormField::Summary => Some(&mut self.summary),
            FormField::Due => Some(&mut self.due),
            FormField::Kind | FormField::FollowUp => None,
        }
    }

    /// Moves to the next (or previous) field; the due date only with a follow-up.
    pub fn move_focus(&mut self, forward: bool) {
        let fields: Vec<FormField> = FormField::ALL
            .into_iter()
            .filter(|f| *f != FormField::Due || self.follow_up)
            .collect();
        let i = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = fields.len();
        self.focus = fields[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    /// The next (or previous) kind.
    pub fn cycle_kind(&mut self, forward: bool) {
        let i = KINDS.iter().position(|k| *k == self.kind).unwrap_or(0);
        let n = KINDS.len();
        self.kind = KINDS[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    /// The people present, as typed: separated by commas (either width), 、 or spaces.
    pub fn present_list(&self) -> Vec<String> {
        self.present
            .text()
            .split([',', '，', '、', ' ', ';', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_form_is_unchanged_until_typed_in_and_a_draft_round_trips() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let mut f = LogForm::new(ChildId(3), "张小珠", EventKind::Talk, today, "李老师");
        assert!(!f.changed());
        assert_eq!(f.focus, FormField::Summary);
        f.summary.insert("期中考试后情绪低落");
        assert!(f.changed());
        let back = LogForm::from_draft(&f.draft());
        assert_eq!(back.draft(), f.draft());
        assert!(back.changed(), "a restored draft is unsaved work");
        f.present.insert("奶奶，父亲、 同学");
        assert_eq!(f.present_list(), vec!["奶奶", "父亲", "同学"]);
    }

    #[test]
    fn focus_skips_the_due_date_without_a_follow_up() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let mut f = LogForm::new(ChildId(1), "张小珠", EventKind::Talk, today, "李老师");
        f.focus = FormField::FollowUp;
        f.move_focus(true);
        assert_eq!(f.focus, FormField::Kind);
        f.follow_up = true;
        f.focus = FormField::FollowUp;
        f.move_focus(true);
        assert_eq!(f.focus, FormField::Due);
        f.cycle_kind(false);
        assert_eq!(f.kind, EventKind::Note);
    }
}
