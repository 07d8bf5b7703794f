//! The one-line prompts: the day to put a task off to, who takes it over, why a file is
//! archived, why an entry is voided (作废). Enter asks the service; a refusal stays in the prompt. It must not change
//! anything but through the service.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Wrap};

use super::Overlay;
use crate::domain::ChildId;
use crate::service::ServiceError;
use crate::tui::component::Look;
use crate::tui::component::{Ctx, Effect};
use crate::tui::input::TextInput;
use crate::tui::widgets::{centered, clear_for_overlay, popup_block};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Snooze,
    Reassign,
    Archive,
    /// Why an entry is withdrawn; the target is the event.
    Void,
    /// Why a task is withdrawn; the target is the task.
    VoidTask,
}

/// What a prompt is about: the task's or the child's id and version, and the question.
#[derive(Debug, Clone, Copy)]
pub struct Asked {
    pub target: u64,
    pub version: u64,
    pub kind: PromptKind,
}

/// A new prompt with nothing typed; `about` names what it is about (the child, the entry)
/// in its title.
pub fn ask(target: u64, version: u64, kind: PromptKind, about: String) -> Overlay {
    Overlay::Prompt {
        target,
        version,
        kind,
        about,
        input: TextInput::new(""),
        error: None,
    }
}

/// Typing edits the line; Enter asks the service, Esc closes.
pub fn key(
    asked: Asked,
    input: &mut TextInput,
    error: &mut Option<String>,
    event: KeyEvent,
    ctx: &mut Ctx<'_>,
) {
    match event.code {
        KeyCode::Esc => ctx.push(Effect::Close),
        KeyCode::Enter => {
            let Asked {
                target,
                version,
                kind,
            } = asked;
            let typed = input.text().trim().to_string();
            let lang = ctx.lang();
            let task = crate::domain::TaskId(target);
            let command = match kind {
                PromptKind::Snooze => crate::domain::parse_date(&typed, ctx.today)
                    .map(|d| crate::service::Command::UpdateTask {
                        task,
                        version,
                        change: crate::service::TaskChange::Snooze(d),
                    })
                    .map_err(|e| ServiceError::invalid(crate::service::Field::Date, e)),
                PromptKind::Reassign => ctx
                    .service
                    .resolve_staff(crate::service::Field::Staff, &typed)
                    .map(|s| crate::service::Command::UpdateTask {
                        task,
                        version,
                        change: crate::service::TaskChange::Reassign(s.id),
                    }),
                PromptKind::Archive if typed.is_empty() => Err(ServiceError::invalid_with(
                    crate::service::Field::Reason,
                    "",
                    "父母返乡、毕业、转学, 或写明其他原因",
                    "parents returned, graduated, transferred, or another reason in words",
                )),
                PromptKind::VoidTask => Ok(crate::service::Command::VoidTask {
                    task,
                    version,
                    reason: typed.clone(),
                }),
                PromptKind::Void => Ok(crate::service::Command::VoidEvent {
                    event: crate::domain::EventId(target),
                    version,
                    reason: typed.clone(),
                }),
                PromptKind::Archive => Ok(crate::service::Command::ArchiveChild {
                    child: ChildId(target),
                    reason: crate::domain::ArchiveReason::parse(&typed),
                    date: ctx.today,
                }),
            };
            let result = command.and_then(|c| ctx.service.execute(c));
            match result {
                Ok(_) => {
                    let text = match kind {
                        PromptKind::Snooze => ctx.text.fmt("task.snoozed", &[("date", &typed)]),
                        PromptKind::Reassign => {
                            ctx.text.fmt("task.reassigned", &[("name", &typed)])
                        }
                        PromptKind::Archive => {
                            ctx.text.fmt("child.archived_now", &[("reason", &typed)])
                        }
                        PromptKind::Void | PromptKind::VoidTask => {
                            ctx.text.fmt("entry.voided", &[("reason", &typed)])
                        }
                    };
                    ctx.done(text);
                }
                Err(e) => *error = Some(e.message(lang)),
            }
        }
        _ => {
            if input.edit(&event) {
                *error = None;
            }
        }
    }
}

/// The one-line question, titled with what it is about.
pub fn draw(
    kind: PromptKind,
    about: &str,
    input: &TextInput,
    error: Option<&str>,
    look: &Look,
    frame: &mut Frame,
    area: Rect,
) {
    let theme = look.theme;
    let title = match kind {
        PromptKind::Snooze => look.text.get("task.snooze_prompt"),
        PromptKind::Reassign => look.text.get("task.reassign_prompt"),
        PromptKind::Archive => look.text.get("task.archive_prompt"),
        PromptKind::Void | PromptKind::VoidTask => look.text.get("entry.void_prompt"),
    };
    let title = if about.is_empty() {
        title.to_string()
    } else {
        format!("{about} · {title}")
    };
    let box_area = centered(area, 72, 7);
    let block = popup_block(
        theme,
        &title,
        Some(look.text.get("task.prompt_keys")),
        box_area.width,
    );
    let inner = block.inner(box_area);
    clear_for_overlay(frame, box_area);
    frame.render_widget(block, box_area);
    if inner.height == 0 {
        return;
    }
    let (shown, col) = input.view(inner.width.saturating_sub(1) as usize);
    frame.render_widget(Paragraph::new(shown), Rect { height: 1, ..inner });
    frame.set_cursor_position((inner.x + col as u16, inner.y));
    if let Some(e) = error
        && inner.height > 1
    {
        frame.render_widget(
            Paragraph::new(Span::styled(e.to_string(), theme.overdue())).wrap(Wrap { trim: true }),
            Rect {
                y: inner.y + 1,
                height: inner.height - 1,
                ..inner
            },
        );
    }
}
