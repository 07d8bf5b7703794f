//! The one convention every pane, form and popup follows (as gitui's components do): it owns
//! its state, is offered an [`Event`] by the app through [`Component::handle`] with a
//! [`Ctx`] of what it may read (the service, the loaded data, the UI strings, the keymap,
//! today), says whether it used the event ([`EventState`]), and asks the app for anything
//! beyond its own state by pushing an [`Effect`] (open a child, say something in the status
//! line, reload after a change, close the form or overlay …), which the app carries out in
//! order once the controller returns. A controller must not reach for the app itself, touch
//! the terminal or the store, or change another controller's state.

use std::path::Path;

use chrono::NaiveDate;
use ratatui::crossterm::event::KeyEvent;

use super::action::Action;
use super::data::Data;
use super::forms::activity::ActivityForm;
use super::forms::file::FileForm;
use super::forms::log::LogForm;
use super::keymap::Keymap;
use super::panes::Pane;
use super::popups::Overlay;
use super::text::Text;
use super::theme::Theme;
use crate::domain::ChildId;
use crate::followup::Rules;
use crate::i18n::Lang;
use crate::service::{Service, ServiceError};

/// What a controller is offered.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// A key press, as typed (forms, popups, the roster's search box).
    Key(KeyEvent),
    /// Text pasted into the terminal.
    Paste(&'a str),
    /// A named action from the keymap or the palette (panes).
    Action(Action),
}

/// Whether a controller used the event (gitui's `EventState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventState {
    Consumed,
    NotConsumed,
}

/// A form or an overlay to open over the panes (the larger forms boxed).
pub enum Opened {
    Log(Box<LogForm>),
    File(FileForm),
    Activity(Box<ActivityForm>),
    Overlay(Overlay),
}

/// What a controller asks the app to do once it returns, carried out in the order pushed.
pub enum Effect {
    /// A one-line message in the bottom line until the next key.
    Status { text: String, error: bool },
    /// The records changed: everything is read again.
    AfterChange,
    /// The open form or overlay closes; the screen is redrawn in full under it.
    Close,
    /// Opens a form or an overlay.
    Open(Opened),
    /// Opens a child's file in the child pane, to go back to `from`.
    OpenChild { id: ChildId, from: Pane },
    /// A list's cursor moved: side by side, the child pane follows it.
    Preview,
    /// Runs an action (the palette's choice).
    Run(Action),
    /// Keeps the open form on disk as a draft.
    SaveDraft,
    /// Removes the draft (the form was saved or cancelled).
    DropDraft,
}

/// What every controller may read, and the queue of effects it pushes.
pub struct Ctx<'a> {
    pub service: &'a Service,
    pub rules: &'a Rules,
    pub data: &'a Data,
    pub text: &'a Text,
    pub keymap: &'a Keymap,
    pub today: NaiveDate,
    /// The pane that has the keyboard.
    pub focus: Pane,
    /// The child the focused pane has selected (the roster's or queue's cursor, the file).
    pub selected: Option<ChildId>,
    /// The child open in the child pane.
    pub open_child: Option<ChildId>,
    /// Where exports go.
    pub export_dir: &'a Path,
    /// The user's home directory, to name saved files as `~/…`.
    pub home: Option<&'a Path>,
    pub effects: Vec<Effect>,
}

/// What drawing may read besides the component's own state: a component draws itself from
/// its state and this, never from the app.
pub struct Look<'a> {
    pub rules: &'a Rules,
    pub text: &'a Text,
    pub theme: Theme,
    pub data: &'a Data,
    pub keymap: &'a Keymap,
    pub today: NaiveDate,
    /// The pane that has the keyboard.
    pub focus: Pane,
    /// The name on the file open in the child pane.
    pub open_child: Option<String>,
}

impl Look<'_> {
    pub fn lang(&self) -> Lang {
        self.text.lang
    }
}

/// A pane, a form or a popup: it takes the events offered and says whether it used them.
pub trait Component {
    fn handle(&mut self, event: Event<'_>, ctx: &mut Ctx<'_>) -> EventState;
}

impl Ctx<'_> {
    pub fn lang(&self) -> Lang {
        self.text.lang
    }

    pub fn push(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    pub fn open(&mut self, opened: Opened) {
        self.effects.push(Effect::Open(opened));
    }

    /// A message in the status line.
    pub fn status(&mut self, text: String, error: bool) {
        self.effects.push(Effect::Status { text, error });
    }

    /// A message from the catalog in the status line.
    pub fn say(&mut self, key: &str, error: bool) {
        let text = self.text.get(key).to_string();
        self.status(text, error);
    }

    /// A form or prompt did its work: it closes, everything is read again, and `text` says
    /// what was done.
    pub fn done(&mut self, text: String) {
        self.push(Effect::Close);
        self.push(Effect::AfterChange);
        self.status(text, false);
    }

    /// A refusal or failure of the service, said in the status line.
    pub fn error(&mut self, e: &ServiceError) {
        let text = error_text(self.text, e);
        self.status(text, true);
    }

    /// Whether the user may read the whole file (checked without reading the timeline, which
    /// for a counsellor would be an audited reading of notes).
    pub fn may_read_whole(&self, id: ChildId) -> bool {
        self.service
            .child(id)
            .and_then(|c| self.service.may_read(&c))
            .unwrap_or(false)
    }
}

/// The status line's words for a service error; the log gets its kind only.
pub fn error_text(text: &Text, e: &ServiceError) -> String {
    // The kind of error only: a message may hold a child's name, and the log is no place
    // for it.
    tracing::warn!(
        bad_input = e.is_bad_input(),
        "the service refused or failed"
    );
    let message = e.message(text.lang);
    text.fmt(
        "status.error",
        &[("e", &crate::domain::mask_ids_in(&message))],
    )
}
