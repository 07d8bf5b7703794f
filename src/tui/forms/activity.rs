//! The activity form: a group activity or a guardian training session (家长学校) with its
//! attendance, chosen from the roster and the guardians with a multi-select that filters as
//! one types (the same search as the roster). Each attending child's timeline gets the
//! activity when it is saved; the counts feed the work summary. This file holds the form's
//! state, its keys and its drawing; it must not touch the terminal, the store or another form.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Form;
use crate::domain::{ActivityKind, ChildId};
use crate::service::ServiceError;
use crate::tui::component::Ctx;
use crate::tui::component::Look;
use crate::tui::input::TextInput;
use crate::tui::widgets::{centered, clear_for_overlay, popup_block};

/// One person who may attend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attendee {
    Child {
        id: ChildId,
        name: String,
        class: String,
    },
    Guardian {
        name: String,
        of: String,
    },
}

impl Attendee {
    /// What the filter matches against.
    pub fn text(&self) -> String {
        match self {
            Attendee::Child { name, class, .. } => format!("{name} {class}"),
            Attendee::Guardian { name, of } => format!("{name} {of}"),
        }
    }
}

/// The form's parts, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityField {
    Kind,
    Date,
    Title,
    Filter,
    List,
}

pub struct ActivityForm {
    pub kind: ActivityKind,
    pub date: TextInput,
    pub title: TextInput,
    pub filter: TextInput,
    pub focus: ActivityField,
    /// Everyone who may attend, and whether they do.
    pub people: Vec<(Attendee, bool)>,
    /// Positions in `people` the filter shows.
    pub shown: Vec<usize>,
    /// The search keys of `people`, built once (a keystroke only matches).
    index: crate::search::SearchIndex,
    pub cursor: usize,
    pub error: Option<String>,
    /// Rows of the list visible at the last draw (what PgUp/PgDn move by).
    page: std::cell::Cell<usize>,
}

impl ActivityForm {
    pub fn new(today: NaiveDate, people: Vec<Attendee>) -> ActivityForm {
        let texts: Vec<String> = people.iter().map(Attendee::text).collect();
        let index = crate::search::SearchIndex::build(texts.iter().map(|t| {
            let (name, rest) = t.split_once(' ').unwrap_or((t.as_str(), ""));
            crate::search::SearchFields {
                name,
                class: rest,
                ..Default::default()
            }
        }));
        let mut form = ActivityForm {
            kind: ActivityKind::Activity,
            date: TextInput::new(&today.format("%Y-%m-%d").to_string()),
            title: TextInput::new(""),
            filter: TextInput::new(""),
            focus: ActivityField::Kind,
            people: people.into_iter().map(|p| (p, false)).collect(),
            shown: Vec::new(),
            index,
            cursor: 0,
            error: None,
            page: std::cell::Cell::new(10),
        };
        form.refilter();
        form
    }

    /// Shows the people whose name, class or pinyin matches the filter.
    pub fn refilter(&mut self) {
        let query = self.filter.text().trim().to_string();
        self.shown = if query.is_empty() {
            (0..self.people.len()).collect()
        } else {
            let mut hits: Vec<usize> = self
                .index
                .search(&query)
                .into_iter()
                .map(|h| h.index)
                .collect();
            hits.sort_unstable();
            hits
        };
        // A training session (家长学校) is for guardians: they come first.
        if self.kind == ActivityKind::Training {
            let people = &self.people;
            self.shown
                .sort_by_key(|&i| !matches!(people.get(i), Some((Attendee::Guardian { .. }, _))));
        }
        self.cursor = self.cursor.min(self.shown.len().saturating_sub(1));
    }

    /// Marks everyone the filter shows (a whole class: filter by its name, then `a`), or
    /// unmarks them when all are marked already.
    pub fn toggle_shown(&mut self) {
        let all_on = self
            .shown
            .iter()
            .all(|&i| self.people.get(i).is_some_and(|(_, on)| *on));
        for &i in &self.shown {
            if let Some((_, on)) = self.people.get_mut(i) {
                *on = !all_on;
            }
        }
    }

    /// Moves the list's cursor: j/k and arrows by one, PgUp/PgDn by a page, Home/End (g/G)
    /// to the ends. Returns whether the key was a move.
    pub fn move_cursor(&mut self, code: KeyCode) -> bool {
        let last = self.shown.len().saturating_sub(1);
        let page = self.page.get().max(1);
        self.cursor = match code {
            KeyCode::Down | KeyCode::Char('j') => (self.cursor + 1).min(last),
            KeyCode::Up | KeyCode::Char('k') => self.cursor.saturating_sub(1),
            KeyCode::PageDown => (self.cursor + page).min(last),
            KeyCode::PageUp => self.cursor.saturating_sub(page),
            KeyCode::Home | KeyCode::Char('g') => 0,
            KeyCode::End | KeyCode::Char('G') => last,
            _ => return false,
        };
        true
    }

    /// Marks or unmarks the person under the cursor.
    pub fn toggle(&mut self) {
        if let Some(&i) = self.shown.get(self.cursor)
            && let Some((_, on)) = self.people.get_mut(i)
        {
            *on = !*on;
        }
    }

    pub fn children(&self) -> Vec<ChildId> {
        self.people
            .iter()
            .filter_map(|(p, on)| match p {
                Attendee::Child { id, .. } if *on => Some(*id),
                _ => None,
            })
            .collect()
    }

    pub fn guardians(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (p, on) in &self.people {
            if let Attendee::Guardian { name, .. } = p
                && *on
                && !out.contains(name)
            {
                out.push(name.clone());
            }
        }
        out
    }

    pub fn move_focus(&mut self, forward: bool) {
        use ActivityField::*;
        let order = [Kind, Date, Title, Filter, List];
        let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
        self.focus = order[if forward { (i + 1) % 5 } else { (i + 4) % 5 }];
    }

    pub fn input_mut(&mut self) -> Option<&mut TextInput> {
        match self.focus {
            ActivityField::Date => Some(&mut self.date),
            ActivityField::Title => Some(&mut self.title),
            ActivityField::Filter => Some(&mut self.filter),
            ActivityField::Kind | ActivityField::List => None,
        }
    }
}

/// The activity form with every active child of the school (attendance is the activity's
/// register: any class may join) and the guardians of the children one may record for.
pub fn open(ctx: &Ctx<'_>) -> ActivityForm {
    let all = ctx.data.me.as_ref().is_none_or(|me| {
        me.has_role(crate::domain::Role::Admin) || me.has_role(crate::domain::Role::Counselor)
    });
    let mut people = Vec::new();
    let mut guardians = Vec::new();
    // One's own classes first, then the rest of the school.
    let mut rows: Vec<_> = ctx
        .data
        .roster
        .iter()
        .filter(|r| r.child.is_active())
        .collect();
    rows.sort_by_key(|r| !(all || ctx.data.is_mine(r)));
    for r in rows {
        people.push(Attendee::Child {
            id: r.child.id,
            name: r.child.name().to_string(),
            class: r.child.class().to_string(),
        });
        if !(all || ctx.data.is_mine(r)) {
            continue;
        }
        if let Some(g) = &r.child.guardian_name() {
            guardians.push(Attendee::Guardian {
                name: g.to_string(),
                of: r.child.name().to_string(),
            });
        }
    }
    people.extend(guardians);
    ActivityForm::new(ctx.today, people)
}

/// The open form, with whether Esc is waiting for y/n.
impl Form for (ActivityForm, bool) {
    fn key(&mut self, event: KeyEvent, ctx: &mut Ctx<'_>) {
        let (form, confirming) = self;
        form.key(event, confirming, ctx);
    }

    fn paste(&mut self, text: &str, _ctx: &mut Ctx<'_>) {
        let form = &mut self.0;
        let refilter = form.focus == ActivityField::Filter;
        if let Some(input) = form.input_mut() {
            input.insert(text);
        }
        if refilter {
            form.refilter();
        }
    }
}

impl ActivityForm {
    fn key(&mut self, event: KeyEvent, confirming: &mut bool, ctx: &mut Ctx<'_>) {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        if super::ask_discard(confirming, &event, ctx) {
            return;
        }
        self.error = None;
        match event.code {
            KeyCode::Esc => {
                let changed = !self.title.is_empty() || self.people.iter().any(|(_, on)| *on);
                super::cancel(changed, confirming, ctx);
            }
            KeyCode::Enter => self.save(ctx),
            KeyCode::Char('s') if ctrl => self.save(ctx),
            KeyCode::Tab => self.move_focus(true),
            KeyCode::BackTab => self.move_focus(false),
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ')
                if self.focus == ActivityField::Kind =>
            {
                self.kind = match self.kind {
                    ActivityKind::Activity => ActivityKind::Training,
                    ActivityKind::Training => ActivityKind::Activity,
                };
                self.cursor = 0;
                self.refilter();
            }
            KeyCode::Char(' ') if self.focus == ActivityField::List => self.toggle(),
            KeyCode::Char('a') if self.focus == ActivityField::List => self.toggle_shown(),
            code if self.focus == ActivityField::List && self.move_cursor(code) => {}
            KeyCode::Down => self.move_focus(true),
            KeyCode::Up => self.move_focus(false),
            _ => {
                let refilter = self.focus == ActivityField::Filter;
                if let Some(input) = self.input_mut()
                    && input.edit(&event)
                    && refilter
                {
                    self.refilter();
                }
            }
        }
    }

    fn save(&mut self, ctx: &mut Ctx<'_>) {
        let lang = ctx.lang();
        let Some(me) = ctx.data.me.as_ref().map(|s| s.id) else {
            return;
        };
        let result = crate::domain::parse_date(self.date.text(), ctx.today)
            .map_err(|e| ServiceError::invalid(crate::service::Field::Date, e))
            .and_then(|date| {
                ctx.service.execute(crate::service::Command::AddActivity(
                    crate::domain::NewActivity {
                        kind: self.kind,
                        date,
                        title: self.title.text().trim().to_string(),
                        organiser: me,
                        children: self.children(),
                        guardians: self.guardians(),
                    },
                ))
            });
        match result {
            Ok(_) => {
                let title = self.title.text().trim().to_string();
                let text = ctx.text.fmt("activity.saved", &[("title", &title)]);
                ctx.done(text);
            }
            Err(e) => self.error = Some(e.message(lang)),
        }
    }
}

/// The activity form: kind, date, title, the filter and the list of who attended.
pub fn draw(form: &ActivityForm, confirming: bool, look: &Look, frame: &mut Frame, area: Rect) {
    let theme = look.theme;
    let box_area = centered(area, 76, area.height);
    let block = popup_block(theme, look.text.get("activity.title"), None, box_area.width);
    let inner = block.inner(box_area);
    clear_for_overlay(frame, box_area);
    frame.render_widget(block, box_area);
    let label = |field: ActivityField, key: &str| {
        let focused = form.focus == field;
        Span::styled(
            format!(
                "{}{:<6}",
                if focused { "▶" } else { " " },
                look.text.get(key)
            ),
            if focused { theme.key() } else { theme.muted() },
        )
    };
    let kind = match form.kind {
        crate::domain::ActivityKind::Activity => look.text.get("activity.activity"),
        crate::domain::ActivityKind::Training => look.text.get("activity.training"),
    };
    let mut lines = vec![
        Line::from(vec![
            label(ActivityField::Kind, "activity.kind"),
            Span::styled(format!(" ◀ {kind} ▶"), theme.accent()),
        ]),
        Line::from(vec![
            label(ActivityField::Date, "activity.date"),
            Span::raw(format!(" {}", form.date.text())),
        ]),
        Line::from(vec![
            label(ActivityField::Title, "activity.name"),
            Span::raw(format!(" {}", form.title.text())),
        ]),
        Line::from(vec![
            label(ActivityField::Filter, "activity.filter"),
            Span::raw(format!(" {}", form.filter.text())),
        ]),
    ];
    let chosen = look.text.fmt(
        "activity.chosen",
        &[
            ("children", &form.children().len()),
            ("guardians", &form.guardians().len()),
        ],
    );
    lines.push(Line::from(Span::styled(chosen, theme.muted())));
    let head = lines.len() as u16;
    let message = if confirming {
        Some((
            look.text.get("activity.confirm").to_string(),
            theme.due_soon(),
        ))
    } else {
        form.error.as_ref().map(|e| (e.clone(), theme.overdue()))
    };
    let list_height = inner
        .height
        .saturating_sub(head + u16::from(message.is_some())) as usize;
    form.page.set(list_height);
    let first = form.cursor.saturating_sub(list_height.saturating_sub(1));
    for (row, &i) in form.shown.iter().enumerate().skip(first).take(list_height) {
        let Some((person, on)) = form.people.get(i) else {
            continue;
        };
        let text = match person {
            Attendee::Child { name, class, .. } => format!("{name} {class}"),
            Attendee::Guardian { name, of } => {
                format!("{} {name} ({of})", look.text.get("activity.guardian"))
            }
        };
        let selected = row == form.cursor && form.focus == ActivityField::List;
        let line = Line::from(format!(
            "{} [{}] {text}",
            if selected { "▶" } else { " " },
            if *on { "✔" } else { " " }
        ));
        lines.push(if selected {
            line.style(theme.selected())
        } else {
            line
        });
    }
    if let Some((text, style)) = message {
        lines.push(Line::from(Span::styled(text, style)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_finds_by_pinyin_and_marks_survive_it() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let mut f = ActivityForm::new(
            today,
            vec![
                Attendee::Child {
                    id: ChildId(1),
                    name: "张小珠".into(),
                    class: "七(2)班".into(),
                },
                Attendee::Child {
                    id: ChildId(2),
                    name: "李明".into(),
                    class: "七(2)班".into(),
                },
                Attendee::Guardian {
                    name: "张奶奶".into(),
                    of: "张小珠".into(),
                },
            ],
        );
        assert_eq!(f.shown.len(), 3);
        f.filter.insert("zxz");
        f.refilter();
        assert_eq!(f.shown, vec![0]);
        f.toggle();
        f.filter.clear();
        f.refilter();
        f.cursor = 2;
        f.toggle();
        assert_eq!(f.children(), vec![ChildId(1)]);
        assert_eq!(f.guardians(), vec!["张奶奶".to_string()]);
    }
}
