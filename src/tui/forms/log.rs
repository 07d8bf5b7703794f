//! The log form: what happened with a child (a talk, a home visit, a call …), from a queue
//! row or from wherever a child is selected. It holds what was typed and never loses it: a
//! changed form asks before it is cancelled, and every change is saved as a draft (restored
//! when the app starts after the terminal died). Saving goes through the service. This file
//! holds the form's state, its keys and its drawing; it must not touch the terminal, the
//! store or another form.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use serde::{Deserialize, Serialize};

use super::Form;
use crate::domain::{ChildId, EventKind, NewEvent, NewTask};
use crate::service::ServiceError;
use crate::tui::component::Look;
use crate::tui::component::{Ctx, Effect, Opened};
use crate::tui::input::TextInput;
use crate::tui::widgets::{centered, clear_for_overlay, popup_block};

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
    /// The entry being corrected (its id and the version read), when the form corrects one.
    #[serde(default)]
    pub editing: Option<(u64, u64)>,
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
    /// The entry being corrected (id, version read); `None` for a new entry.
    pub editing: Option<(u64, u64)>,
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
            editing: None,
        };
        let mut form = LogForm::from_draft(&draft);
        form.opened = draft;
        form
    }

    /// A form holding a recorded entry, to correct it: saving writes a new version.
    pub fn edit(entry: &crate::service::TimelineEntry, child_name: &str) -> LogForm {
        let e = &entry.event;
        let draft = Draft {
            child: e.child.0,
            child_name: child_name.to_string(),
            kind: e.kind,
            date: e.date.format("%Y-%m-%d").to_string(),
            by: entry.staff_name.clone(),
            present: e.present.join("、"),
            summary: e.summary.clone(),
            follow_up: e.follow_up,
            due: String::new(),
            editing: Some((e.id.0, e.version)),
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
            editing: d.editing,
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
                editing: d.editing,
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
            editing: self.editing,
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

    /// Moves to the next (or previous) field; the due date only with a follow-up; who did
    /// it stays when an entry is corrected.
    pub fn move_focus(&mut self, forward: bool) {
        let fields: Vec<FormField> = FormField::ALL
            .into_iter()
            .filter(|f| *f != FormField::Due || self.follow_up)
            .filter(|f| *f != FormField::By || self.editing.is_none())
            .collect();
        let i = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = fields.len();
        self.focus = fields[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    /// The next (or previous) kind. A correction keeps a counselling session one, and
    /// never makes another entry one (the service refuses both).
    pub fn cycle_kind(&mut self, forward: bool) {
        let kinds: Vec<EventKind> = KINDS
            .into_iter()
            .filter(|k| self.editing.is_none() || !k.is_restricted())
            .collect();
        if self.editing.is_some() && (self.kind.is_restricted() || !kinds.contains(&self.kind)) {
            return;
        }
        let i = kinds.iter().position(|k| *k == self.kind).unwrap_or(0);
        let n = kinds.len();
        self.kind = kinds[if forward {
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

/// Opens the log form for the selected child, with the cursor on `focus`.
pub fn open(kind: EventKind, focus: FormField, ctx: &mut Ctx<'_>) {
    let Some(child) = ctx.selected else {
        ctx.say("status.no_child", false);
        return;
    };
    let by = ctx
        .data
        .me
        .as_ref()
        .map(|s| s.name.clone())
        .unwrap_or_default();
    let mut form = LogForm::new(child, &ctx.data.child_name(child), kind, ctx.today, &by);
    form.focus = focus;
    ctx.open(Opened::Log(Box::new(form)));
}

/// Opens the log form on a recorded entry, to correct it.
pub fn open_edit(entry: &crate::service::TimelineEntry, ctx: &mut Ctx<'_>) {
    let name = ctx.data.child_name(entry.event.child);
    ctx.open(Opened::Log(Box::new(LogForm::edit(entry, &name))));
}

impl Form for LogForm {
    fn paste(&mut self, text: &str, ctx: &mut Ctx<'_>) {
        let focus = self.focus;
        if let Some(input) = self.input_mut(focus) {
            input.insert(text);
        }
        ctx.push(Effect::SaveDraft);
    }

    fn key(&mut self, event: KeyEvent, ctx: &mut Ctx<'_>) {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        if super::ask_discard(&mut self.confirm_cancel, &event, ctx) {
            return;
        }
        let focus = self.focus;
        match event.code {
            KeyCode::Esc => {
                super::cancel(self.changed(), &mut self.confirm_cancel, ctx);
                return;
            }
            KeyCode::Enter => {
                self.save(ctx);
                return;
            }
            KeyCode::Char('s') if ctrl => {
                self.save(ctx);
                return;
            }
            KeyCode::Tab | KeyCode::Down => self.move_focus(true),
            KeyCode::BackTab | KeyCode::Up => self.move_focus(false),
            KeyCode::Left | KeyCode::Right if focus == FormField::Kind => {
                self.cycle_kind(event.code == KeyCode::Right)
            }
            KeyCode::Char(' ') if focus == FormField::Kind => self.cycle_kind(true),
            KeyCode::Char(' ') if focus == FormField::FollowUp => {
                self.follow_up = !self.follow_up;
            }
            _ => {
                if let Some(input) = self.input_mut(focus) {
                    input.edit(&event);
                }
            }
        }
        self.error = None;
        ctx.push(Effect::SaveDraft);
    }
}

impl LogForm {
    /// Checks the form and records it through the service; on a mistake the form stays
    /// open with the message on the field at fault.
    fn save(&mut self, ctx: &mut Ctx<'_>) {
        let form = &*self;
        let lang = ctx.lang();
        let today = ctx.today;
        let fail = |field: FormField, message: String| Some((field, message));
        let date = crate::domain::parse_date(form.date.text(), today).map_err(|e| {
            (
                FormField::Date,
                ServiceError::invalid(crate::service::Field::Date, e).message(lang),
            )
        });
        let result = (|| {
            let date = date?;
            if let Some((id, version)) = form.editing {
                let mut commands = vec![crate::service::Command::EditEvent {
                    event: crate::domain::EventId(id),
                    version,
                    change: Box::new(crate::domain::EventChange {
                        kind: form.kind,
                        date,
                        present: form.present_list(),
                        summary: form.summary.text().trim().to_string(),
                        follow_up: form.follow_up,
                    }),
                }];
                // A follow-up task only when a day for it is given.
                if form.follow_up && !form.due.text().trim().is_empty() {
                    let due = crate::domain::parse_date(form.due.text(), today).map_err(|e| {
                        (
                            FormField::Due,
                            ServiceError::invalid(crate::service::Field::Date, e).message(lang),
                        )
                    })?;
                    let me = ctx.data.me.as_ref().map(|s| s.id);
                    if let Some(assignee) = me {
                        commands.push(crate::service::Command::AddTask(NewTask {
                            child: form.child,
                            text: form.summary.text().trim().to_string(),
                            due,
                            assignee,
                        }));
                    }
                }
                return ctx
                    .service
                    .execute_all(commands, crate::service::BatchAudit::Each)
                    .map_err(|e| (field_of(&e), e.message(lang)));
            }
            let by = ctx
                .service
                .resolve_staff(crate::service::Field::By, form.by.text())
                .map_err(|e| (FormField::By, e.message(lang)))?;
            let mut commands = vec![crate::service::Command::LogEvent(NewEvent {
                child: form.child,
                kind: form.kind,
                date,
                staff: by.id,
                present: form.present_list(),
                summary: form.summary.text().trim().to_string(),
                follow_up: form.follow_up,
            })];
            if form.follow_up {
                if form.due.text().trim().is_empty() {
                    return Err((FormField::Due, ctx.text.get("form.due_needed").to_string()));
                }
                let due = crate::domain::parse_date(form.due.text(), today).map_err(|e| {
                    (
                        FormField::Due,
                        ServiceError::invalid(crate::service::Field::Date, e).message(lang),
                    )
                })?;
                let text = if form.summary.text().trim().is_empty() {
                    lang.pick(form.kind.zh(), form.kind.en()).to_string()
                } else {
                    form.summary.text().trim().to_string()
                };
                commands.push(crate::service::Command::AddTask(NewTask {
                    child: form.child,
                    text,
                    due,
                    assignee: by.id,
                }));
            }
            ctx.service
                .execute_all(commands, crate::service::BatchAudit::Each)
                .map_err(|e| (field_of(&e), e.message(lang)))
        })();
        match result {
            Ok(_) => {
                let (kind, child) = (form.kind, form.child_name.clone());
                tracing::info!(kind = kind.key(), "event logged from the app");
                ctx.push(Effect::DropDraft);
                let key = if form.editing.is_some() {
                    "form.corrected"
                } else {
                    "form.saved"
                };
                let text = ctx.text.fmt(
                    key,
                    &[
                        ("kind", &lang.pick(kind.zh(), kind.en())),
                        ("child", &child),
                    ],
                );
                ctx.done(text);
            }
            Err((field, message)) => {
                self.focus = field;
                self.error = fail(field, message);
            }
        }
    }
}

/// The form field a refusal of the service is about.
fn field_of(e: &ServiceError) -> FormField {
    use crate::service::Field;
    match e {
        ServiceError::Invalid { field, .. } => match field {
            Field::Date => FormField::Date,
            Field::By | Field::Staff => FormField::By,
            Field::Present => FormField::Present,
            Field::Kind => FormField::Kind,
            _ => FormField::Summary,
        },
        _ => FormField::Summary,
    }
}

/// The log form over the panes: one line per field, the cursor in the field being typed in,
/// the message of a refused save on the field at fault.
pub fn draw(form: &LogForm, look: &Look, frame: &mut Frame, area: Rect) {
    let theme = look.theme;
    let lang = look.lang();
    let box_area = centered(area, 72, 12);
    let title = match form.editing {
        Some((id, _)) => look.text.fmt(
            "form.edit_title",
            &[("id", &id), ("child", &form.child_name)],
        ),
        None => look.text.fmt("form.title", &[("child", &form.child_name)]),
    };
    let block = popup_block(
        theme,
        &title,
        Some(look.text.get("form.keys")),
        box_area.width,
    );
    let inner = block.inner(box_area);
    clear_for_overlay(frame, box_area);
    frame.render_widget(block, box_area);
    let label_width = 10u16;
    let mut cursor = None;
    let mut y = inner.y;
    let rows: Vec<(FormField, &str)> = vec![
        (FormField::Kind, "form.kind"),
        (FormField::Date, "form.date"),
        (FormField::By, "form.by"),
        (FormField::Present, "form.present"),
        (FormField::Summary, "form.summary"),
        (FormField::FollowUp, "form.follow_up"),
        (FormField::Due, "form.due"),
    ];
    for (field, key) in rows {
        if field == FormField::Due && !form.follow_up {
            continue;
        }
        if y >= inner.bottom() {
            break;
        }
        let focused = form.focus == field;
        let label_style = if focused { theme.key() } else { theme.muted() };
        // The field being filled in is marked in words too (▶), not only by colour.
        let marker = if focused { "▶" } else { " " };
        let line_area = Rect {
            x: inner.x,
            y,
            width: inner.width,
            height: 1,
        };
        let value_x = inner.x + label_width.min(inner.width);
        let value_width = inner.width.saturating_sub(label_width) as usize;
        let value: Line = match field {
            FormField::Kind => Line::from(vec![
                Span::styled("◀ ", theme.muted()),
                Span::styled(
                    lang.pick(form.kind.zh(), form.kind.en()).to_string(),
                    theme.accent(),
                ),
                Span::styled(" ▶", theme.muted()),
            ]),
            FormField::FollowUp => Line::from(if form.follow_up { "[✔]" } else { "[ ]" }),
            _ => {
                let input = match field {
                    FormField::Date => &form.date,
                    FormField::By => &form.by,
                    FormField::Present => &form.present,
                    FormField::Summary => &form.summary,
                    _ => &form.due,
                };
                let (shown, col) = input.view(value_width.saturating_sub(1));
                if focused {
                    cursor = Some((value_x + col as u16, y));
                }
                Line::from(shown)
            }
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                format!("{marker}{}", look.text.get(key)),
                label_style,
            )),
            line_area,
        );
        frame.render_widget(
            Paragraph::new(value),
            Rect {
                x: value_x,
                width: inner.width.saturating_sub(label_width),
                ..line_area
            },
        );
        y += 1;
    }
    let message = if form.confirm_cancel {
        Some((look.text.get("form.confirm").to_string(), theme.due_soon()))
    } else {
        form.error
            .as_ref()
            .map(|(_, m)| (m.clone(), theme.overdue()))
    };
    if let Some((text, style)) = message
        && y < inner.bottom()
    {
        let msg_area = Rect {
            x: inner.x,
            y,
            width: inner.width,
            height: inner.bottom() - y,
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, style)).wrap(Wrap { trim: true }),
            msg_area,
        );
    }
    if let Some((x, y)) = cursor
        && !form.confirm_cancel
    {
        frame.set_cursor_position((x, y));
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
        // Correcting: counselling is never offered, and a group activity keeps its kind.
        let mut edit = f.clone();
        edit.editing = Some((9, 1));
        edit.kind = EventKind::GuardianContact;
        edit.cycle_kind(true);
        assert_eq!(edit.kind, EventKind::Assistance, "past 心理辅导");
        edit.kind = EventKind::Activity;
        edit.cycle_kind(true);
        assert_eq!(edit.kind, EventKind::Activity);
    }
}
