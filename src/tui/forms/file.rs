//! The file form: a new child's file, or every field of an existing one, as the columns of
//! the school's roster (the import's columns, so the fields, their names and their checks
//! are the same ones a teacher knows from the Excel roster). Saving goes through the import's
//! own checks and the service; an edit carries the file's version, so a change another
//! teacher saved meanwhile is shown and asked about, never overwritten silently. The same
//! form serves the five-area survey. This file holds the form's state, its keys and its
//! drawing; it must not touch the terminal, the store or another form.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Form;
use crate::domain::ChildId;
use crate::service::ServiceError;
use crate::transfer::columns::COLUMNS;
use crate::tui::component::Look;
use crate::tui::component::{Ctx, Opened};
use crate::tui::data::Data;
use crate::tui::input::TextInput;
use crate::tui::widgets::{centered, clear_for_overlay, popup_block};

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

    /// The label of field `i`: the roster column's name, in English for English readers.
    /// Whether field `i` must be filled in before the file is saved (name, gender, birth
    /// date, class): marked with * on the form from the start.
    pub fn required(i: usize) -> bool {
        COLUMNS
            .get(i)
            .is_some_and(|c| c.required || c.key == "class")
    }

    pub fn label(i: usize, lang: crate::i18n::Lang) -> &'static str {
        COLUMNS.get(i).map_or("", |c| match lang {
            crate::i18n::Lang::Zh => c.header,
            crate::i18n::Lang::En => crate::transfer::columns::label_en(c.key),
        })
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

/// The roster row of a file, as the form shows it.
fn file_values(child: &crate::domain::Child, data: &Data, lang: crate::i18n::Lang) -> Vec<String> {
    let staff: HashMap<crate::domain::StaffId, String> =
        data.staff.iter().map(|s| (s.id, s.name.clone())).collect();
    crate::transfer::write::roster_row_in(child, &staff, lang)
}

/// The selected child's file as the form fills it in, if the user may read all of it.
fn readable_file(ctx: &mut Ctx<'_>) -> Option<(ChildId, crate::domain::Child)> {
    let Some(id) = ctx.selected else {
        ctx.say("status.no_child", false);
        return None;
    };
    if !ctx.may_read_whole(id) {
        ctx.say("child.basic_only", false);
        return None;
    }
    match ctx.service.child(id) {
        Ok(file) => Some((id, file)),
        Err(e) => {
            ctx.error(&e);
            None
        }
    }
}

/// Opens the selected child's file for editing (the whole file: only for those who may).
pub fn open_edit(ctx: &mut Ctx<'_>) {
    if let Some((id, file)) = readable_file(ctx) {
        let values = file_values(&file, ctx.data, ctx.lang());
        ctx.open(Opened::File(FileForm::new(
            Some((id, file.version)),
            &values,
        )));
    }
}

/// Opens the five-area survey of the selected file (学习, 生活, 心理, 安全, 健康).
pub fn open_survey(ctx: &mut Ctx<'_>) {
    if let Some((id, file)) = readable_file(ctx) {
        let s = &file.situation;
        ctx.open(Opened::File(FileForm::survey(
            id,
            file.version,
            [&s.study, &s.life, &s.psychology, &s.safety, &s.health],
        )));
    }
}

impl Form for FileForm {
    fn paste(&mut self, text: &str, _ctx: &mut Ctx<'_>) {
        let i = self.focus;
        if let Some(input) = self.fields.get_mut(i) {
            input.insert(text);
        }
    }

    fn key(&mut self, event: KeyEvent, ctx: &mut Ctx<'_>) {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        if super::ask_discard(&mut self.confirm_cancel, &event, ctx) {
            return;
        }
        if self.conflict.is_some() {
            match event.code {
                // See the newest file (what was typed is replaced by it).
                KeyCode::Char('r') | KeyCode::Char('R') => {
                    if let Some((id, _)) = self.editing
                        && let Ok(file) = ctx.service.child(id)
                    {
                        let values = file_values(&file, ctx.data, ctx.lang());
                        self.reload(file.version, &values);
                    }
                }
                // Save over it, knowingly.
                KeyCode::Char('f') | KeyCode::Char('F') => {
                    if let Some((id, _)) = self.editing
                        && let Ok(file) = ctx.service.child(id)
                    {
                        self.editing = Some((id, file.version));
                        self.conflict = None;
                        self.save(ctx);
                    }
                }
                KeyCode::Esc => self.conflict = None,
                _ => {}
            }
            return;
        }
        match event.code {
            KeyCode::Esc => super::cancel(self.changed(), &mut self.confirm_cancel, ctx),
            KeyCode::Enter => self.save(ctx),
            KeyCode::Char('s') if ctrl => self.save(ctx),
            KeyCode::Tab | KeyCode::Down => self.move_focus(true),
            KeyCode::BackTab | KeyCode::Up => self.move_focus(false),
            _ => {
                let i = self.focus;
                if let Some(input) = self.fields.get_mut(i) {
                    input.edit(&event);
                }
                self.errors.retain(|(f, _)| *f != i);
            }
        }
    }
}

impl FileForm {
    /// Checks the form with the roster import's own checks, then adds or updates the file
    /// through the service. Mistakes stay on their fields; a stale edit is asked about.
    fn save(&mut self, ctx: &mut Ctx<'_>) {
        use crate::transfer::read::{Cell, Table};
        let lang = ctx.lang();
        if self.survey {
            let Some((child, _)) = self.editing else {
                return;
            };
            let v = self.values();
            let get = |i: usize| v.get(i).map_or(String::new(), |s| s.trim().to_string());
            let command = crate::service::Command::SurveyChild {
                child,
                situation: crate::domain::Situation {
                    study: get(0),
                    life: get(1),
                    psychology: get(2),
                    safety: get(3),
                    health: get(4),
                    surveyed: Some(ctx.today),
                },
            };
            let name = ctx.data.child_name(child);
            match ctx.service.execute(command) {
                Ok(_) => {
                    let text = ctx.text.fmt("survey.saved", &[("name", &name)]);
                    ctx.done(text);
                }
                Err(e) => self.errors = vec![(self.focus, e.message(lang))],
            }
            return;
        }
        let table = Table {
            headers: crate::transfer::write::roster_headers()
                .into_iter()
                .map(str::to_string)
                .collect(),
            rows: vec![(
                1,
                self.values()
                    .into_iter()
                    .map(|v| {
                        if v.trim().is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(v)
                        }
                    })
                    .collect(),
            )],
            sheet: None,
            skipped: Vec::new(),
            header_line: 0,
            summary_rows: Vec::new(),
        };
        let staff = &ctx.data.staff;
        let parsed = crate::transfer::roster::parse_roster(&table, ctx.today, |name| {
            staff.iter().find(|s| s.name == name.trim()).map(|s| s.id)
        });
        let new = match parsed {
            Ok(mut roster) if !roster.rows.is_empty() => roster.rows.remove(0).child,
            Ok(_) => return,
            Err(errors) => {
                let mapped = errors
                    .into_iter()
                    .map(|e| {
                        let at = crate::transfer::write::roster_headers()
                            .iter()
                            .position(|h| *h == e.column);
                        let field = at.unwrap_or(0);
                        let expected = lang.pick(&e.expected_zh, &e.expected_en).to_string();
                        let column = match (lang, at) {
                            (crate::i18n::Lang::En, Some(i)) => {
                                FileForm::label(i, lang).to_string()
                            }
                            _ => e.column.clone(),
                        };
                        (field, format!("{column}: \"{}\" — {expected}", e.value))
                    })
                    .collect::<Vec<_>>();
                if let Some((f, _)) = mapped.first() {
                    self.focus = *f;
                }
                self.errors = mapped;
                return;
            }
        };
        let name = new.name.clone();
        let command = match self.editing {
            Some((child, version)) => crate::service::Command::UpdateChild {
                child,
                version,
                file: Box::new(new),
            },
            None => crate::service::Command::AddChild(Box::new(new)),
        };
        match ctx.service.execute(command) {
            Ok(_) => {
                let text = ctx.text.fmt("file.saved", &[("name", &name)]);
                ctx.done(text);
            }
            Err(e @ ServiceError::Stale { .. }) => self.conflict = Some(e.message(lang)),
            Err(e) => self.errors = vec![(self.focus, e.message(lang))],
        }
    }
}

/// The file form: one line per roster column, scrolled to the field being filled in; the
/// mistakes, or a conflict with another teacher's save, at the bottom.
pub fn draw(form: &FileForm, look: &Look, frame: &mut Frame, area: Rect) {
    let theme = look.theme;
    let title = match form.editing {
        Some((id, _)) if form.survey => {
            let name = look
                .data
                .roster
                .iter()
                .find(|r| r.child.id == id)
                .map_or(String::new(), |r| r.child.name().to_string());
            look.text.fmt("survey.title", &[("name", &name)])
        }
        Some(_) => look.text.fmt(
            "file.edit",
            &[("name", &form.fields.get(1).map_or("", |f| f.text()))],
        ),
        None => look.text.get("file.new").to_string(),
    };
    // As tall as its fields and a few lines of messages (the survey's five), at most the
    // screen (a file's thirty scroll).
    let box_area = centered(area, 76, form.fields.len() as u16 + 6);
    let block = popup_block(theme, &title, None, box_area.width);
    let inner = block.inner(box_area);
    clear_for_overlay(frame, box_area);
    frame.render_widget(block, box_area);
    let mut bottom: Vec<Line> = Vec::new();
    if let Some(conflict) = &form.conflict {
        // The choice first: the file as it is now may take several lines.
        bottom.push(Line::from(Span::styled(
            look.text.get("file.conflict_keys").to_string(),
            theme.key(),
        )));
        bottom.push(Line::from(Span::styled(conflict.clone(), theme.due_soon())));
    } else if form.confirm_cancel {
        bottom.push(Line::from(Span::styled(
            look.text.get("file.confirm").to_string(),
            theme.due_soon(),
        )));
    } else {
        for (_, e) in &form.errors {
            bottom.push(Line::from(Span::styled(e.clone(), theme.overdue())));
        }
        if form.errors.is_empty() && !form.survey {
            bottom.push(Line::from(Span::styled(
                look.text.get("file.required").to_string(),
                theme.muted(),
            )));
        }
    }
    let reserved = if form.conflict.is_some() {
        inner.height / 2
    } else {
        (bottom.len() as u16 * 2).min(inner.height / 2)
    };
    let list_height = inner.height.saturating_sub(reserved) as usize;
    let first = form.focus.saturating_sub(list_height.saturating_sub(1) / 2);
    let label_width = 14usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut cursor = None;
    for (i, field) in form.fields.iter().enumerate().skip(first).take(list_height) {
        let focused = i == form.focus;
        let label = if form.survey {
            SURVEY_FIELDS
                .get(i)
                .map_or("", |k| look.text.get(k))
                .to_string()
        } else if FileForm::required(i) {
            format!("{}*", FileForm::label(i, look.lang()))
        } else {
            FileForm::label(i, look.lang()).to_string()
        };
        let pad = label_width.saturating_sub(Line::from(label.as_str()).width());
        let faulty = form.errors.iter().any(|(f, _)| *f == i);
        let style = if faulty {
            theme.overdue()
        } else if focused {
            theme.key()
        } else {
            theme.muted()
        };
        let value_width = (inner.width as usize).saturating_sub(label_width + 2);
        let (shown, col) = field.view(value_width.saturating_sub(1));
        if focused {
            cursor = Some((
                inner.x + (label_width + 2 + col) as u16,
                inner.y + (i - first) as u16,
            ));
        }
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{}{label}{} ",
                    if focused { "▶" } else { " " },
                    " ".repeat(pad)
                ),
                style,
            ),
            Span::raw(shown),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), inner);
    if !bottom.is_empty() {
        frame.render_widget(
            Paragraph::new(bottom).wrap(Wrap { trim: true }),
            Rect {
                y: inner.y + list_height as u16,
                height: inner.height.saturating_sub(list_height as u16),
                ..inner
            },
        );
    }
    if let Some(pos) = cursor
        && form.conflict.is_none()
        && !form.confirm_cancel
    {
        frame.set_cursor_position(pos);
    }
}
