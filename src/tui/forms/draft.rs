//! The open form kept on disk until it is saved or cancelled, so that a terminal that dies
//! loses nothing: what is written, and how it becomes a form again when the app next starts.
//! Only the user's own draft file is touched (through `crate::files`); records are not.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::activity::{ActivityForm, Attendee};
use super::file::FileForm;
use super::log::{Draft, LogForm};
use crate::domain::ChildId;
use crate::tui::component::Opened;
use crate::tui::input::TextInput;

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

impl SavedForm {
    /// What the open form holds (the log form first, as the keys go), if one is open.
    pub fn of(
        form: Option<&LogForm>,
        file: Option<&FileForm>,
        activity: Option<&ActivityForm>,
    ) -> Option<SavedForm> {
        if let Some(form) = form {
            Some(SavedForm::Log(form.draft()))
        } else if let Some(form) = file {
            Some(SavedForm::File {
                editing: form.editing.map(|(c, v)| (c.0, v)),
                survey: form.survey,
                values: form.values(),
            })
        } else {
            activity.map(|form| SavedForm::Activity {
                kind: form.kind,
                date: form.date.text().to_string(),
                title: form.title.text().to_string(),
                children: form.children().into_iter().map(|c| c.0).collect(),
                guardians: form.guardians(),
            })
        }
    }

    /// The form again, as it was; an activity's people are those `activity` offers now.
    pub fn restore(self, activity: impl FnOnce() -> ActivityForm) -> Opened {
        match self {
            SavedForm::Log(draft) => Opened::Log(Box::new(LogForm::from_draft(&draft))),
            SavedForm::File {
                editing,
                survey,
                values,
            } => {
                let editing = editing.map(|(c, v)| (ChildId(c), v));
                let mut form = FileForm::new(editing, &[]);
                if survey && let Some((c, v)) = editing {
                    form = FileForm::survey(c, v, ["", "", "", "", ""]);
                }
                for (field, value) in form.fields.iter_mut().zip(&values) {
                    field.clear();
                    field.insert(value);
                }
                Opened::File(form)
            }
            SavedForm::Activity {
                kind,
                date,
                title,
                children,
                guardians,
            } => {
                let mut form = activity();
                form.kind = kind;
                form.date = TextInput::new(&date);
                form.title = TextInput::new(&title);
                for (person, on) in &mut form.people {
                    *on = match person {
                        Attendee::Child { id, .. } => children.contains(&id.0),
                        Attendee::Guardian { name, .. } => guardians.contains(name),
                    };
                }
                Opened::Activity(Box::new(form))
            }
        }
    }
}

/// Keeps the form on disk, readable by the user only.
pub fn save(path: &Path, saved: &SavedForm) {
    match serde_json::to_vec(saved) {
        Ok(bytes) => {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            if let Err(e) = crate::files::write_private(path, &bytes) {
                tracing::warn!(error = %e, "the draft could not be kept");
            }
        }
        Err(e) => tracing::warn!(error = %e, "the draft could not be encoded"),
    }
}

/// Removes the draft (saved or cancelled).
pub fn remove(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// The draft a session left, if any; one that cannot be read is set aside.
pub fn read(path: &Path) -> Option<SavedForm> {
    let bytes = std::fs::read(path).ok()?;
    let saved = serde_json::from_slice::<SavedForm>(&bytes)
        .or_else(|_| serde_json::from_slice::<Draft>(&bytes).map(SavedForm::Log));
    match saved {
        Ok(saved) => Some(saved),
        Err(_) => {
            // Not the parser's message: it may quote the draft (a child's note).
            tracing::warn!("an unreadable draft was set aside");
            let _ = std::fs::rename(path, path.with_extension("unreadable"));
            None
        }
    }
}
