//! The overlays over the panes: the help, the command palette, the one-line prompts (snooze,
//! reassign, archive), the contact card and the roster import, one file each with its keys and its drawing.
//! [`Overlay`] is what lies over the panes; it hands each key to its popup. Popups read the
//! app through the context they are given and never change records but through the service.

pub mod contacts;
pub mod help;
pub mod import;
pub mod palette;
pub mod prompt;

use ratatui::Frame;
use ratatui::layout::Rect;

pub use prompt::PromptKind;

use super::action::Action;
use super::component::Look;
use super::component::{Component, Ctx, Effect, Event, EventState, Opened};
use super::widgets::ListPos;
use crate::domain::Child;

/// What lies over the panes.
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Palette {
        input: String,
        pos: ListPos,
    },
    /// Every phone number and workplace of one child (the contact card, 联系卡).
    Contacts(Box<Child>),
    /// A roster file picked from the home directory and the preview of its import.
    Import(Box<import::ImportView>),
    /// One line asked: the day to put a task off to, who takes it over, why a file is
    /// archived.
    Prompt {
        /// The task's or the child's id.
        target: u64,
        version: u64,
        kind: PromptKind,
        input: super::input::TextInput,
        error: Option<String>,
    },
}

/// Every key goes to the open popup (any key closes the contact card); a paste to the one
/// with a text box.
impl Component for Overlay {
    fn handle(&mut self, event: Event<'_>, ctx: &mut Ctx<'_>) -> EventState {
        let key = match event {
            Event::Key(key) => key,
            Event::Paste(text) => return self.paste(text),
            Event::Action(_) => return EventState::NotConsumed,
        };
        match self {
            Overlay::Help { scroll } => help::key(scroll, key, ctx),
            Overlay::Palette { input, pos } => palette::key(input, pos, key, ctx),
            Overlay::Contacts(_) => ctx.push(Effect::Close),
            Overlay::Import(view) => import::key(view, key, ctx),
            Overlay::Prompt {
                target,
                version,
                kind,
                input,
                error,
            } => {
                let asked = prompt::Asked {
                    target: *target,
                    version: *version,
                    kind: *kind,
                };
                prompt::key(asked, input, error, key, ctx)
            }
        }
        EventState::Consumed
    }
}

impl Overlay {
    fn paste(&mut self, text: &str) -> EventState {
        match self {
            Overlay::Palette { input, pos } => {
                let clean: String = text.chars().filter(|c| !c.is_control()).collect();
                input.push_str(&clean);
                pos.selected = 0;
            }
            Overlay::Prompt { input, .. } => input.insert(text),
            Overlay::Help { .. } | Overlay::Contacts(_) | Overlay::Import(_) => {
                return EventState::NotConsumed;
            }
        }
        EventState::Consumed
    }
}

/// Opens the overlay an action asks for; `NotConsumed` for any other action.
pub fn open(action: Action, ctx: &mut Ctx<'_>) -> EventState {
    match action {
        Action::Help => ctx.open(Opened::Overlay(Overlay::Help { scroll: 0 })),
        Action::Palette => ctx.open(Opened::Overlay(Overlay::Palette {
            input: String::new(),
            pos: ListPos::default(),
        })),
        Action::Contacts => contacts::open(ctx),
        Action::ImportRoster => import::open(ctx),
        Action::ArchiveChild => match ctx.selected {
            Some(child) => ctx.open(Opened::Overlay(prompt::ask(
                child.0,
                0,
                PromptKind::Archive,
            ))),
            None => ctx.say("status.no_child", false),
        },
        _ => return EventState::NotConsumed,
    }
    EventState::Consumed
}

/// Draws the open overlay over `area`.
pub fn draw(overlay: &mut Overlay, look: &Look, frame: &mut Frame, area: Rect) {
    match overlay {
        Overlay::Help { scroll } => help::draw(*scroll, look, frame, area),
        Overlay::Palette { input, pos } => palette::draw(input, pos, look, frame, area),
        Overlay::Prompt {
            kind, input, error, ..
        } => prompt::draw(*kind, input, error.as_deref(), look, frame, area),
        Overlay::Contacts(child) => contacts::draw(child, look, frame, area),
        Overlay::Import(view) => import::draw(view, look, frame, area),
    }
}
