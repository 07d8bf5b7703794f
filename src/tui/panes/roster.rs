//! The roster: the active children (archived ones behind a filter) with class, type, mentor
//! and a marker for overdue duties; the search box on top while searching. This file holds
//! the pane's state (filters, search, cursor), its keys and its drawing; it reads the loaded
//! data and must not read the database or change records.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::{ChildId, LeftBehindType};
use crate::search::{Hit, SearchFields, SearchIndex};
use crate::service::RosterRow;
use crate::tui::action::Action;
use crate::tui::component::Look;
use crate::tui::component::{Component, Ctx, Effect, Event, EventState};
use crate::tui::data::Data;
use crate::tui::panes::Pane;
use crate::tui::widgets::{ListPos, fit, pane_block};

/// The roster's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub mine: bool,
    pub class: Option<String>,
    pub key_support: bool,
    pub overdue: bool,
    pub archived: bool,
}

impl Filter {
    /// Whether a roster row passes every filter but the class.
    fn keeps(&self, data: &Data, r: &RosterRow) -> bool {
        (self.archived || r.child.is_active())
            && (!self.mine || data.is_mine(r))
            && (!self.key_support || r.child.key_support)
            && (!self.overdue || data.overdue_by_child.contains_key(&r.child.id))
    }
}

#[derive(Default)]
pub struct RosterView {
    pub filter: Filter,
    pub query: String,
    /// The search box has the keyboard.
    pub searching: bool,
    /// Search hits for `query`, when it is not empty.
    hits: Option<(String, Vec<Hit>)>,
    /// Search hits the filters hide: archived files, and others.
    pub hidden_hits: (usize, usize),
    /// The search keys of the roster (built after the first frame, and again after a reload).
    search: Option<SearchIndex>,
    /// Indices into `Data::roster`, in the order shown.
    pub rows: Vec<usize>,
    pub pos: ListPos,
}

impl RosterView {
    /// Builds the search keys, if not built yet.
    pub fn prepare_search(&mut self, data: &Data) {
        if self.search.is_none() {
            self.search = Some(SearchIndex::build(data.roster.iter().map(|r| {
                SearchFields {
                    name: r.child.name(),
                    class: r.child.class(),
                    village: r.child.village(),
                    guardian: r.child.guardian_name(),
                    student_no: r.child.student_no(),
                }
            })));
        }
    }

    /// The app is quitting: the search keys are left to the process's end (see
    /// [`Data::leave_to_exit`]).
    pub fn leave_to_exit(&mut self) {
        std::mem::forget(self.search.take());
    }

    /// The data was read again: the search keys and hits are stale.
    pub fn forget_search(&mut self) {
        self.search = None;
        self.hits = None;
    }

    /// The id of the child under the cursor.
    pub fn selected(&self, data: &Data) -> Option<ChildId> {
        self.rows
            .get(self.pos.selected)
            .and_then(|&i| data.roster.get(i))
            .map(|r| r.child.id)
    }

    /// Recomputes the rows from the filters and the search.
    pub fn refilter(&mut self, data: &Data) {
        let query = self.query.trim().to_string();
        if query.is_empty() {
            self.hits = None;
        } else {
            self.prepare_search(data);
            if let Some(index) = &self.search {
                let hits = match &self.hits {
                    Some((previous, hits)) if query.starts_with(previous.as_str()) => {
                        index.refine(&query, hits)
                    }
                    _ => index.search(&query),
                };
                self.hits = Some((query, hits));
            }
        }
        let f = &self.filter;
        let keep = |i: usize| {
            let Some(r) = data.roster.get(i) else {
                return false;
            };
            f.keeps(data, r) && f.class.as_ref().is_none_or(|c| *c == r.child.class())
        };
        self.hidden_hits = (0, 0);
        self.rows = match &self.hits {
            Some((_, hits)) => {
                let mut rows = Vec::with_capacity(hits.len());
                for i in hits.iter().map(|h| h.index) {
                    if keep(i) {
                        rows.push(i);
                    } else if data.roster.get(i).is_some_and(|r| !r.child.is_active()) {
                        self.hidden_hits.0 += 1;
                    } else {
                        self.hidden_hits.1 += 1;
                    }
                }
                rows
            }
            None => (0..data.roster.len()).filter(|&i| keep(i)).collect(),
        };
        self.pos.clamp(self.rows.len());
    }

    /// A new search, empty, as in a pager or an editor.
    pub fn start_search(&mut self, data: &Data) {
        self.query.clear();
        self.refilter(data);
        self.searching = true;
        self.prepare_search(data);
    }

    /// The classes with children under every filter but the class.
    fn filterable_classes(&self, data: &Data) -> Vec<String> {
        data.classes
            .iter()
            .filter(|class| {
                data.roster
                    .iter()
                    .any(|r| r.child.class() == **class && self.filter.keeps(data, r))
            })
            .cloned()
            .collect()
    }

    /// The next (or previous) class: the classes that have children under the other filters
    /// (my classes with "mine" on), in school order; all classes, then each, and round again.
    fn cycle_class(&mut self, forward: bool, data: &Data) {
        let classes = self.filterable_classes(data);
        let current = self
            .filter
            .class
            .as_ref()
            .and_then(|c| classes.iter().position(|x| x == c));
        let n = classes.len() + 1;
        let at = current.map_or(0, |i| i + 1);
        let next = if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        };
        self.filter.class = next.checked_sub(1).map(|i| classes[i].clone());
        self.pos = ListPos::default();
        self.refilter(data);
    }

    fn action(&mut self, action: Action, ctx: &mut Ctx<'_>) -> EventState {
        let data = ctx.data;
        match action {
            Action::FilterMine => self.filter.mine = !self.filter.mine,
            Action::FilterClassNext | Action::FilterClassPrev => {
                self.cycle_class(action == Action::FilterClassNext, data);
                return EventState::Consumed;
            }
            Action::FilterKeySupport => self.filter.key_support = !self.filter.key_support,
            Action::FilterOverdue => self.filter.overdue = !self.filter.overdue,
            Action::FilterArchived => self.filter.archived = !self.filter.archived,
            Action::FilterClear => self.filter = Filter::default(),
            Action::Open => {
                match self.selected(data) {
                    Some(id) => ctx.push(Effect::OpenChild {
                        id,
                        from: Pane::Roster,
                    }),
                    None => ctx.say("status.no_child", false),
                }
                return EventState::Consumed;
            }
            _ if action.is_move() => {
                if self.pos.apply(action, self.rows.len()) {
                    ctx.push(Effect::Preview);
                }
                return EventState::Consumed;
            }
            _ => return EventState::NotConsumed,
        }
        self.refilter(data);
        EventState::Consumed
    }

    /// The search box's keys.
    fn search_key(&mut self, event: KeyEvent, ctx: &mut Ctx<'_>) {
        let data = ctx.data;
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        match event.code {
            KeyCode::Esc => {
                self.searching = false;
                self.query.clear();
                self.refilter(data);
            }
            KeyCode::Enter => {
                self.searching = false;
                if let Some(id) = self.selected(data) {
                    ctx.push(Effect::OpenChild {
                        id,
                        from: Pane::Roster,
                    });
                }
            }
            KeyCode::Down => {
                self.pos.apply(Action::Down, self.rows.len());
            }
            KeyCode::Up => {
                self.pos.apply(Action::Up, self.rows.len());
            }
            KeyCode::Char('n') if ctrl => {
                self.pos.apply(Action::Down, self.rows.len());
            }
            KeyCode::Char('p') if ctrl => {
                self.pos.apply(Action::Up, self.rows.len());
            }
            KeyCode::Char('u') if ctrl => {
                self.query.clear();
                self.refilter(data);
            }
            KeyCode::Char('c') if ctrl => {
                self.searching = false;
                self.query.clear();
                self.refilter(data);
            }
            KeyCode::Backspace => {
                self.query.pop();
                self.hits = None;
                self.refilter(data);
                self.pos.selected = 0;
            }
            KeyCode::Char(c) if !ctrl => {
                self.query.push(c);
                self.refilter(data);
                self.pos.selected = 0;
            }
            _ => {}
        }
    }
}

/// The pane's actions: the filters, moving, opening; while searching, the typed keys.
impl Component for RosterView {
    fn handle(&mut self, event: Event<'_>, ctx: &mut Ctx<'_>) -> EventState {
        match event {
            Event::Action(action) => self.action(action, ctx),
            Event::Key(key) if self.searching => {
                self.search_key(key, ctx);
                EventState::Consumed
            }
            Event::Paste(text) if self.searching => {
                let clean: String = text.chars().filter(|c| !c.is_control()).collect();
                self.query.push_str(&clean);
                self.refilter(ctx.data);
                self.pos.selected = 0;
                EventState::Consumed
            }
            Event::Key(_) | Event::Paste(_) => EventState::NotConsumed,
        }
    }
}

pub fn draw(view: &mut RosterView, look: &Look, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = look.theme;
    let mut title = vec![Span::styled(
        format!(
            " {} ({}) ",
            look.text.get("pane.roster"),
            look.text.fmt("roster.count", &[("n", &view.rows.len())])
        ),
        theme.title(),
    )];
    let f = &view.filter;
    let mut filters: Vec<String> = Vec::new();
    if f.mine {
        filters.push(look.text.get("roster.filter.mine").to_string());
    }
    if let Some(c) = &f.class {
        filters.push(c.clone());
    }
    if f.key_support {
        filters.push(look.text.get("roster.filter.key").to_string());
    }
    if f.overdue {
        filters.push(look.text.get("roster.filter.overdue").to_string());
    }
    if f.archived {
        filters.push(look.text.get("roster.filter.archived").to_string());
    }
    if !filters.is_empty() {
        title.push(Span::styled(
            format!(
                "{}: {} ",
                look.text.get("roster.filter"),
                filters.join(" · ")
            ),
            theme.accent(),
        ));
    }
    let block = pane_block(look.theme, Line::from(title), focused, area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let show_search = view.searching || !view.query.is_empty();
    let [search_area, list_area] = Layout::vertical([
        Constraint::Length(u16::from(show_search)),
        Constraint::Min(0),
    ])
    .areas(inner);
    if show_search {
        let mut spans = vec![
            Span::styled("/ ", theme.key()),
            Span::raw(view.query.clone()),
        ];
        if view.searching {
            spans.push(Span::styled("▏", theme.accent()));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), search_area);
    }
    if view.rows.is_empty() {
        let key = if look.data.roster.is_empty() {
            "roster.no_children".to_string()
        } else if !view.query.trim().is_empty() {
            String::new()
        } else {
            "roster.empty".to_string()
        };
        let q = view.query.trim();
        let text = if key.is_empty() {
            // A search whose matches the filters hide says so, and how to show them.
            match view.hidden_hits {
                (0, 0) => look.text.fmt("search.none", &[("q", &q)]),
                (archived, 0) => look
                    .text
                    .fmt("search.only_archived", &[("q", &q), ("n", &archived)]),
                (archived, other) => look
                    .text
                    .fmt("search.filtered", &[("q", &q), ("n", &(archived + other))]),
            }
        } else {
            look.text.get(&key).to_string()
        };
        frame.render_widget(
            Paragraph::new(text)
                .style(theme.muted())
                .wrap(ratatui::widgets::Wrap { trim: true }),
            list_area,
        );
        return;
    }
    // Column widths: the mentor's takes what is left. Every text is cut to its column with
    // a mark (a name cut silently reads as another name).
    let height = list_area.height as usize;
    let shown: Vec<(usize, &usize)> = view.pos.visible(&view.rows, height).collect();
    // The name's column grows for a long name on screen (阿依古丽·买买提, with the cursor and
    // the star), as far as the mentors and marks on screen keep their room (a mentor's name
    // up to ten cells).
    let archived_width = Line::from(look.text.get("roster.archived")).width().max(6);
    let on_screen = || shown.iter().filter_map(|(_, r)| look.data.roster.get(**r));
    let widest = |width: &dyn Fn(&crate::service::RosterRow) -> usize| {
        on_screen().map(width).max().unwrap_or(0)
    };
    let longest = widest(&|row| Line::from(row.child.name()).width() + 3);
    let mentors =
        widest(&|row| Line::from(row.mentor_name.as_deref().unwrap_or_default()).width()).min(10);
    // The marks' column (⚠ n, archived) keeps its width while any row on screen has one.
    let marked = on_screen().any(|row| {
        look.data.overdue_by_child.contains_key(&row.child.id) || !row.child.is_active()
    });
    let marks = if marked { archived_width } else { 0 };
    // The table's columns: name (at least), class, type, mentor, mark, one cell apart.
    const NAME: usize = 10;
    const CLASS: usize = 9;
    const KIND: usize = 5;
    const GAPS: usize = 4;
    let room =
        (list_area.width as usize).saturating_sub(NAME + CLASS + KIND + mentors + marks + GAPS);
    // The columns as the table will lay them out (a narrow pane squeezes them), so that each
    // text is cut to the width it really gets.
    let columns = Layout::horizontal([
        Constraint::Length(longest.clamp(NAME, NAME + room) as u16),
        Constraint::Length(CLASS as u16),
        Constraint::Length(KIND as u16),
        Constraint::Min(mentors.min(6) as u16),
        Constraint::Length(marks as u16),
    ])
    .spacing(1)
    .split(list_area);
    let width = |i: usize| columns.get(i).map_or(0, |c| c.width as usize);
    let selected = view.pos.selected;
    let rows: Vec<Row> = shown
        .into_iter()
        .filter_map(|(i, &r)| {
            let row = look.data.roster.get(r)?;
            let c = &row.child;
            let kind = match c.left_behind {
                LeftBehindType::BothParents => look.text.get("type.both"),
                LeftBehindType::OneParent => look.text.get("type.one"),
            };
            let marker = match look.data.overdue_by_child.get(&c.id) {
                Some(n) => Cell::from(Span::styled(format!("⚠ {n}"), theme.overdue())),
                None if !c.is_active() => Cell::from(Span::styled(
                    look.text.get("roster.archived").to_string(),
                    theme.muted(),
                )),
                None => Cell::from(""),
            };
            let cursor = if i == selected { "▶" } else { " " };
            let star = if c.key_support { "★" } else { "" };
            let name = format!("{cursor}{}{star}", c.name());
            let mut style = Style::new();
            if i == selected && focused {
                style = theme.selected();
            } else if !c.is_active() {
                style = theme.muted();
            }
            Some(
                Row::new(vec![
                    Cell::from(fit(&name, width(0))),
                    Cell::from(fit(c.class(), width(1))),
                    Cell::from(fit(kind, width(2))),
                    Cell::from(fit(
                        row.mentor_name.as_deref().unwrap_or_default(),
                        width(3),
                    )),
                    marker,
                ])
                .style(style),
            )
        })
        .collect();
    let widths: Vec<Constraint> = columns
        .iter()
        .map(|c| Constraint::Length(c.width))
        .collect();
    frame.render_widget(Table::new(rows, widths).column_spacing(1), list_area);
}
