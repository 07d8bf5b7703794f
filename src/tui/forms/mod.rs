//! The forms that open over the panes: the log form, the file form (which also serves the
//! five-area survey) and the activity form, each with its state, keys and drawing in its
//! own file, and the draft that keeps the open one on disk. Forms record through the service
//! only; they never touch the terminal or the store, nor one another.

pub mod activity;
pub mod draft;
pub mod file;
pub mod log;

use super::action::Action;
use super::component::{Ctx, EventState, Opened};
use crate::domain::EventKind;
use log::FormField;

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
