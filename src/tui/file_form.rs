//! The file form: a new child's file, or every field of an existing one, as the columns of
//! the school's roster (the import's columns, so the fields, their names and their checks
//! are the same ones a teacher knows from the Excel roster). Saving goes through the import's
//! own checks and the service; an edit carries the file's version, so a change another
//! teacher saved meanwhile is shown and asked about, never overwritten silently.

use super::input::TextInput;
use crate::domain::ChildId;
use crate::transfer::columns::COLUMNS;

/// The five areas of the yearly survey (五个方面), as the survey form shows them: the UI
/// catalog's keys.
pub const SURVEY_FIELDS: [&str; 5] = [
    "survey.study",
    "survey.life",
    "survey.psychology",
    "survey.safety",
    "survey.health",
];

#[derive(Debug, Clone)]
pub struct FileForm {
    /// The file edited and the version it was read at; `None` for a new file.
    pub editing: Option<(ChildId, u64)>,
    /// The five-area survey of the file rather than its roster columns.
    pub survey: bool,
    /// One box per roster column, in the roster's order (or per area of the survey).
    pub fields: Vec<TextInput>,
    pub focus: usize,
    /// The mistakes of the last save: field and message.
    pub errors: Vec<(usize, String)>,
    /// Another teacher saved the file meanwhile: the message, with the file as it is now.
    pub conflict: Option<String>,
    /// Esc on a changed form: waiting for y or n.
    pub confirm_cancel: bool,
    opened: Vec<String>,
}

impl FileForm {
    /// A form holding `values` (one per column; an empty list for a new file).
    pub fn new(editing: Option<(ChildId, u64)>, values: &[String]) -> FileForm {
        let fields: Vec<TextInput> = (0..COLUMNS.len())
            .map(|i| TextInput::new(values.get(i).map_or("", String::as_str)))
            .collect();
        let opened = fields.iter().map(|f| f.text().to_string()).collect();
        // A new file starts on the name (the student number is often not known yet).
        let focus = if editing.is_none() {
            COLUMNS.iter().position(|c| c.key == "name").unwrap_or(0)
        } else {
            0
        };
        FileForm {
            editing,
            survey: false,
            fields,
            focus,
            errors: Vec::new(),
            conflict: None,
            confirm_cancel: false,
            opened,
        }
    }

    /// The survey of a file: its five areas as they stand.
    pub fn survey(child: ChildId, version: u64, values: [&str; 5]) -> FileForm {
        let fields: Vec<TextInput> = values.iter().map(|v| TextInput::new(v)).collect();
        let opened = values.iter().map(|v| v.to_string()).collect();
        FileForm {
            editing: Some((child, version)),
            survey: true,
            fields,
            focus: 0,
            errors: Vec::new(),
            conflict: None,
            confirm_cancel: false,
            opened,
        }
    }

    pub fn changed(&self) -> bool {
        self.fields
            .iter()
            .zip(&self.opened)
            .any(|(f, o)| f.text() != o)
    }

    pub fn values(&self) -> Vec<String> {
        self.fields.iter().map(|f| f.text().to_string()).collect()
    }

    /// The header of field `i` (the roster column's name).
    pub fn label(i: usize) -> &'static str {
        COLUMNS.get(i).map_or("", |c| c.header)
    }

    pub fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len();
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    /// Puts the newest values in (after a conflict, when the teacher chose to see them).
    pub fn reload(&mut self, version: u64, values: &[String]) {
        if let Some((id, _)) = self.editing {
            *self = FileForm::new(Some((id, version)), values);
        }
    }
}
