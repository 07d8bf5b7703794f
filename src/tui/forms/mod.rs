//! The forms that open over the panes: the log form, the file form (which also serves the
//! five-area survey) and the activity form, each with its state, keys and drawing in its
//! own file, and the draft that keeps the open one on disk. Forms record through the service
//! only; they never touch the terminal or the store, nor one another.

pub mod activity;
pub mod draft;
pub mod file;
pub mod log;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::action::Action;
use super::component::{Component, Ctx, Effect, Event, EventState, Opened};
use crate::domain::EventKind;
use log::FormField;

/// A form takes keys and pastes, never actions: what a form implements to be a
/// [`Component`].
pub trait Form {
    fn key(&mut self, event: KeyEvent, ctx: &mut Ctx<'_>);
    fn paste(&mut self, text: &str, ctx: &mut Ctx<'_>);
}

impl<F: Form> Component for F {
    fn handle(&mut self, event: Event<'_>, ctx: &mut Ctx<'_>) -> EventState {
        match event {
            Event::Key(key) => self.key(key, ctx),
            Event::Paste(text) => self.paste(text, ctx),
            Event::Action(_) => return EventState::NotConsumed,
        }
        EventState::Consumed
    }
}

/// Opens the form an action asks for: what to log, a new or edited file, the survey, an
/// activity. `NotConsumed` for any other action.
pub fn open(action: Action, ctx: &mut Ctx<'_>) -> EventState {
    match action {
        Action::LogTalk => log::open(EventKind::Talk, FormField::Summary, ctx),
        Action::LogVisit => log::open(EventKind::HomeVisit, FormField::Summary, ctx),
        Action::LogCall => log::open(EventKind::Call, FormField::Summary, ctx),
        Action::LogGuardian => log::open(EventKind::GuardianContact, FormField::Summary, ctx),
        Action::LogOther => log::open(EventKind::Note, FormField::Kind, ctx),
        Action::NewActivity => {
            let form = activity::open(ctx);
            ctx.open(Opened::Activity(Box::new(form)));
        }
        Action::NewChild => ctx.open(Opened::File(file::FileForm::new(None, &[]))),
        Action::EditChild => file::open_edit(ctx),
        Action::SurveyChild => file::open_survey(ctx),
        _ => return EventState::NotConsumed,
    }
    EventState::Consumed
}

/// Esc on a form: a changed one asks first (`asking`), an untouched one closes at once.
pub fn cancel(changed: bool, asking: &mut bool, ctx: &mut Ctx<'_>) {
    if changed {
        *asking = true;
    } else {
        ctx.push(Effect::Close);
        ctx.push(Effect::DropDraft);
    }
}

/// While a form asks "discard what was typed?" (`asking`): y discards it (the form closes,
/// its draft goes), n or Esc goes back to the form, other keys do nothing. Returns whether
/// the form was asking, and so the key is used.
pub fn ask_discard(asking: &mut bool, event: &KeyEvent, ctx: &mut Ctx<'_>) -> bool {
    if !*asking {
        return false;
    }
    match event.code {
        KeyCode::Char('y') | KeyCode::Char('Y') => {
            ctx.push(Effect::Close);
            ctx.push(Effect::DropDraft);
        }
        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => *asking = false,
        _ => {}
    }
    true
}
