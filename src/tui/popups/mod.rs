//! The overlays over the panes: the help, the command palette, the one-line prompts (snooze,
//! reassign, archive), the contact card and the roster import, one file each with its keys and its drawing.
//! [`Overlay`] is what lies over the panes; it hands each key to its popup. Popups read the
//! app through the context they are given and never change records but through the service.

pub mod contacts;
pub mod help;
pub mod import;
pub mod palette;
pub mod print;
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
        /// What it is about, in the title: the child, the entry.
        about: String,
        input: super::input::TextInput,
        error: Option<String>,
    },
    /// The print menu: which form, for whom.
    Print(print::PrintMenu),
    /// `u` pressed: what undo would take back, waiting for y (undo) or n.
    ConfirmUndo {
        what: String,
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
            Overlay::ConfirmUndo { .. } => confirm_undo_key(key, ctx),
            Overlay::Print(menu) => print::key(menu, key, ctx),
            Overlay::Prompt {
                target,
                version,
                kind,
                input,
                error,
                ..
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
            Overlay::Help { .. }
            | Overlay::Contacts(_)
            | Overlay::Import(_)
            | Overlay::ConfirmUndo { .. }
            | Overlay::Print(_) => {
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
        Action::PrintForms => {
            ctx.open(Opened::Overlay(Overlay::Print(print::PrintMenu::default())))
        }
        Action::ArchiveChild => match ctx.selected {
            Some(child) => {
                let name = ctx.data.child_name(child);
                ctx.open(Opened::Overlay(prompt::ask(
                    child.0,
                    0,
                    PromptKind::Archive,
                    name,
                )))
            }
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
            kind,
            about,
            input,
            error,
            ..
        } => prompt::draw(*kind, about, input, error.as_deref(), look, frame, area),
        Overlay::ConfirmUndo { what } => draw_confirm_undo(what, look, frame, area),
        Overlay::Print(menu) => print::draw(menu, look, frame, area),
        Overlay::Contacts(child) => contacts::draw(child, look, frame, area),
        Overlay::Import(view) => import::draw(view, look, frame, area),
    }
}

/// y (or Enter) takes the change back through the service; n or Esc leaves it.
fn confirm_undo_key(key: ratatui::crossterm::event::KeyEvent, ctx: &mut Ctx<'_>) {
    use ratatui::crossterm::event::KeyCode;
    match key.code {
        KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => {
            match ctx.service.execute(crate::service::Command::Undo) {
                Ok(crate::service::Outcome::Undone(_, command)) => {
                    let what = ctx.text.get(&format!("audit.cmd.{command}")).to_string();
                    let text = ctx.text.fmt("status.undone", &[("what", &what)]);
                    ctx.done(text);
                }
                Ok(_) => ctx.push(Effect::Close),
                Err(e) => {
                    // Said as what it is: the undo was refused (nothing of the user's was lost).
                    ctx.push(Effect::Close);
                    let text = ctx
                        .text
                        .fmt("undo.refused", &[("why", &e.message(ctx.lang()))]);
                    ctx.status(text, true);
                }
            }
        }
        KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
            ctx.push(Effect::Close);
            ctx.say("undo.kept", false);
        }
        _ => {}
    }
}

/// What undo would take back, and the question.
fn draw_confirm_undo(what: &str, look: &Look, frame: &mut Frame, area: Rect) {
    use ratatui::widgets::Paragraph;
    let theme = look.theme;
    let width = super::widgets::centered(area, 60, 6).width;
    let text = super::widgets::wrap_text(what, width.saturating_sub(2) as usize);
    let box_area = super::widgets::centered(area, 60, text.len() as u16 + 2);
    let block = super::widgets::popup_block(
        theme,
        look.text.get("undo.title"),
        Some(look.text.get("undo.keys")),
        box_area.width,
    );
    let inner = block.inner(box_area);
    super::widgets::clear_for_overlay(frame, box_area);
    frame.render_widget(block, box_area);
    let lines: Vec<ratatui::text::Line> = text.into_iter().map(ratatui::text::Line::from).collect();
    frame.render_widget(Paragraph::new(lines).style(theme.due_soon()), inner);
}
