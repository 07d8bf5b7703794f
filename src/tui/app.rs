//! The app's state and its one update function: keys become actions through the keymap,
//! actions change the state, and the state is drawn (by `panes/` and `popups`) only when
//! something changed. Every record it reads or writes goes through the service, and it
//! never touches the store or the terminal, so the whole app runs on a `TestBackend` in
//! tests. The files it writes are the user's own (exports, the log form's draft), through
//! `crate::files`.

use std::collections::HashMap;

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::{Action, Layer};
use super::form::{Draft, FormField, LogForm};
use super::keymap::{Key, Keymap, Lookup, sequence_label};
use super::text::Text;
use super::theme::Theme;
pub use super::widgets::ListPos;
use crate::domain::{Child, ChildId, EventKind, NewEvent, NewTask, Staff};
use crate::followup::Rules;
use crate::i18n::Lang;
use crate::search::{Hit, SearchFields, SearchIndex};
use crate::service::{Actor, OverdueQueue, RosterRow, Service, ServiceError, TimelineEntry};

/// The panes, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Roster,
    Child,
    Queue,
    Report,
    /// The audit log, for administrators.
    Audit,
}

impl Pane {
    pub const ALL: [Pane; 5] = [
        Pane::Roster,
        Pane::Child,
        Pane::Queue,
        Pane::Report,
        Pane::Audit,
    ];

    pub fn layer(self) -> Layer {
        match self {
            Pane::Roster => Layer::Roster,
            Pane::Child => Layer::Child,
            Pane::Queue => Layer::Queue,
            Pane::Report => Layer::Report,
            Pane::Audit => Layer::Audit,
        }
    }

    pub fn title_key(self) -> &'static str {
        match self {
            Pane::Roster => "pane.roster",
            Pane::Child => "pane.child",
            Pane::Queue => "pane.queue",
            Pane::Report => "pane.report",
            Pane::Audit => "pane.audit",
        }
    }
}

/// Days ahead the queue also shows (due soon, in yellow).
pub const DUE_SOON_DAYS: i64 = 7;

/// Everything read from the database, reloaded when the change sequence moves.
pub struct Data {
    /// Every file, archived ones included, in roster order.
    pub roster: Vec<RosterRow>,
    pub queue: OverdueQueue,
    /// Overdue rows (not merely due soon) per child.
    pub overdue_by_child: HashMap<ChildId, usize>,
    pub me: Option<Staff>,
    /// Open one-off tasks due within [`DUE_SOON_DAYS`] or overdue, of the children one may
    /// record for.
    pub tasks: Vec<crate::domain::Task>,
    pub staff: Vec<Staff>,
    pub classes: Vec<String>,
    pub settings: crate::domain::Settings,
}

impl Data {
    fn load(service: &Service, rules: &Rules) -> Result<Data, ServiceError> {
        let roster = service.roster(true)?;
        let queue = service.overdue_queue(rules, Some(DUE_SOON_DAYS))?;
        let soon = service.today() + chrono::Duration::days(DUE_SOON_DAYS);
        let tasks: Vec<crate::domain::Task> = service
            .open_tasks()?
            .into_iter()
            .filter(|t| t.due <= soon)
            .collect();
        let mut overdue_by_child: HashMap<ChildId, usize> = HashMap::new();
        for row in queue.rows.iter().filter(|r| r.days_overdue > 0) {
            *overdue_by_child.entry(row.child).or_default() += 1;
        }
        for task in tasks.iter().filter(|t| t.due < service.today()) {
            *overdue_by_child.entry(task.child).or_default() += 1;
        }
        let me = match service.actor() {
            Actor::Staff(s) => Some(s.clone()),
            _ => None,
        };
        let mut classes: Vec<String> = Vec::new();
        for r in roster.iter().filter(|r| r.child.is_active()) {
            if classes.last() != Some(&r.child.class) && !classes.contains(&r.child.class) {
                classes.push(r.child.class.clone());
            }
        }
        Ok(Data {
            roster,
            queue,
            tasks,
            staff: service.staff()?,
            overdue_by_child,
            me,
            classes,
            settings: service.settings()?,
        })
    }

    /// A staff member's name (the queue's assignee column).
    pub fn staff_name(&self, id: crate::domain::StaffId) -> Option<&str> {
        self.staff
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.as_str())
    }

    /// Whether the child is one of mine: a mentee, or in a class I teach.
    pub fn is_mine(&self, row: &RosterRow) -> bool {
        self.me.as_ref().is_some_and(|me| {
            row.child.mentor == Some(me.id) || me.classes.contains(&row.child.class)
        })
    }
}

/// The roster's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub mine: bool,
    pub class: Option<String>,
    pub key_support: bool,
    pub overdue: bool,
    pub archived: bool,
}

pub struct RosterView {
    pub filter: Filter,
    pub query: String,
    /// The search box has the keyboard.
    pub searching: bool,
    /// Search hits for `query`, when it is not empty.
    hits: Option<(String, Vec<Hit>)>,
    /// Indices into `Data::roster`, in the order shown.
    pub rows: Vec<usize>,
    pub pos: ListPos,
}

pub struct ChildView {
    pub id: Option<ChildId>,
    pub file: Option<Child>,
    pub timeline: Vec<TimelineEntry>,
    /// Why the timeline is not shown (no right to read it), if it is not.
    pub notice: Option<String>,
    pub scroll: ListPos,
    /// The pane to go back to.
    pub from: Pane,
}

/// One line of the queue: a duty's row from the follow-up engine, or a one-off task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueItem {
    /// Index into `Data::queue.rows`.
    Duty(usize),
    /// Index into `Data::tasks`.
    Task(usize),
}

pub struct QueueView {
    pub grouped: bool,
    pub mine_only: bool,
    /// The lines shown: mine first, each part most urgent first; grouped: the first line of
    /// each child.
    pub rows: Vec<QueueItem>,
    pub pos: ListPos,
}

/// The work summary shown: the terms one may choose, the chosen one, its figures and text.
#[derive(Debug, Default)]
pub struct ReportView {
    pub scroll: ListPos,
    pub terms: Vec<crate::domain::Term>,
    /// The chosen term's name (`None` until the pane is first shown): kept by name, so that
    /// a calendar changed meanwhile cannot swap it for another.
    pub chosen: Option<String>,
    /// The records changed since the summary was drafted: drafted again when next shown.
    pub stale: bool,
    pub figures: Option<crate::report::Figures>,
    pub doc: Option<crate::report::Document>,
}

impl ReportView {
    pub fn term(&self) -> Option<&crate::domain::Term> {
        let name = self.chosen.as_ref()?;
        self.terms.iter().find(|t| t.name == *name)
    }
}

/// The audit log as an administrator reads it: newest first, loaded when the pane opens.
#[derive(Debug, Default)]
pub struct AuditView {
    pub entries: Option<Vec<crate::service::AuditEntry>>,
    /// Only the changes to the child open in the child pane.
    pub child_only: bool,
    pub pos: ListPos,
}

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Snooze,
    Reassign,
    Archive,
}

/// A one-line message in the bottom line until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Requests the event loop carries out (the app itself never touches the terminal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Requests {
    pub quit: bool,
    pub suspend: bool,
    pub clear: bool,
}

pub struct App {
    pub service: Service,
    rules: Rules,
    pub text: Text,
    pub keymap: Keymap,
    pub theme: Theme,
    pub data: Data,
    seq: u64,
    pub focus: Pane,
    pub roster: RosterView,
    pub child: ChildView,
    pub queue: QueueView,
    pub report: ReportView,
    pub audit: AuditView,
    pub overlay: Option<Overlay>,
    pub pending: Vec<Key>,
    pub status: Option<Status>,
    search: Option<SearchIndex>,
    pub requests: Requests,
    /// The last frame's layout: wide (side by side) or one pane with a tab bar.
    pub wide: bool,
    /// The demo school (said on the screen).
    pub demo: bool,
    /// Where exports go ([`export_dir`] unless set otherwise).
    pub export_dir: std::path::PathBuf,
    /// The log form, when open.
    pub form: Option<super::form::LogForm>,
    /// The file form (a new child, or editing one), when open.
    pub file_form: Option<super::file_form::FileForm>,
    /// The activity form, when open; with whether Esc is waiting for y/n.
    pub activity: Option<(super::activity::ActivityForm, bool)>,
    /// Where the open form's draft is kept (`None`: not kept, as in tests that say so).
    pub draft_path: Option<std::path::PathBuf>,
}

impl App {
    pub fn new(
        service: Service,
        rules: Rules,
        lang: Lang,
        keymap: Keymap,
        theme: Theme,
    ) -> Result<App, ServiceError> {
        let data = Data::load(&service, &rules)?;
        let seq = service.change_seq()?;
        let mut app = App {
            service,
            rules,
            text: Text::new(lang),
            keymap,
            theme,
            data,
            seq,
            focus: Pane::Roster,
            roster: RosterView {
                filter: Filter::default(),
                query: String::new(),
                searching: false,
                hits: None,
                rows: Vec::new(),
                pos: ListPos::default(),
            },
            child: ChildView {
                id: None,
                file: None,
                timeline: Vec::new(),
                notice: None,
                scroll: ListPos::default(),
                from: Pane::Roster,
            },
            queue: QueueView {
                grouped: false,
                mine_only: false,
                rows: Vec::new(),
                pos: ListPos::default(),
            },
            report: ReportView::default(),
            audit: AuditView::default(),
            overlay: None,
            pending: Vec::new(),
            status: None,
            search: None,
            requests: Requests::default(),
            wide: false,
            demo: false,
            export_dir: export_dir(),
            form: None,
            file_form: None,
            activity: None,
            draft_path: None,
        };
        app.refilter_roster();
        app.rebuild_queue();
        // A teacher with overdue work of their own starts on it: what to do next comes first.
        let me = app.data.me.as_ref().map(|s| s.id);
        if me.is_some()
            && app
                .data
                .queue
                .rows
                .iter()
                .any(|r| r.assignee == me && r.days_overdue > 0)
        {
            app.focus = Pane::Queue;
        }
        Ok(app)
    }

    pub fn lang(&self) -> Lang {
        self.text.lang
    }

    pub fn today(&self) -> NaiveDate {
        self.service.today()
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Builds the search keys (after the first frame: start-up does not wait for them).
    pub fn prepare_search(&mut self) {
        if self.search.is_none() {
            self.search = Some(SearchIndex::build(self.data.roster.iter().map(|r| {
                SearchFields {
                    name: &r.child.name,
                    class: &r.child.class,
                    village: r.child.village.as_deref(),
                    guardian: r.child.guardian_name.as_deref(),
                    student_no: r.child.student_no.as_deref(),
                }
            })));
        }
    }

    /// Reloads what another guanai changed since the last look. Returns whether anything did.
    pub fn poll_changes(&mut self) -> bool {
        match self.service.change_seq() {
            Ok(seq) if seq != self.seq => {
                self.set_status(self.text.get("status.refreshed").to_string(), false);
                self.after_change();
                true
            }
            Ok(_) => false,
            Err(e) => {
                self.show_error(&e);
                true
            }
        }
    }

    /// After this app changed the records: everything read again, and the change sequence
    /// taken as seen (including the audit records the reload itself may write), so the next
    /// poll does not reload for the app's own change.
    fn after_change(&mut self) {
        if let Err(e) = self.reload() {
            self.show_error(&e);
        }
        if let Ok(seq) = self.service.change_seq() {
            self.seq = seq;
        }
    }

    fn reload(&mut self) -> Result<(), ServiceError> {
        let selected_child = self.selected_roster_child();
        self.data = Data::load(&self.service, &self.rules)?;
        // Built again when next searched (refilter_roster does it for a live query).
        self.search = None;
        self.roster.hits = None;
        self.refilter_roster();
        if let Some(id) = selected_child
            && let Some(i) = self
                .roster
                .rows
                .iter()
                .position(|&r| self.data.roster[r].child.id == id)
        {
            self.roster.pos.selected = i;
        }
        self.rebuild_queue();
        if let Some(id) = self.child.id {
            self.load_child(id);
        }
        if self.audit.entries.is_some() {
            self.load_audit();
        }
        if self.report.chosen.is_some() {
            // Drafting takes a moment at a county's size: now if it is on screen, else when
            // it is next shown.
            if self.focus == Pane::Report {
                self.load_report();
            } else {
                self.report.stale = true;
            }
        }
        Ok(())
    }

    fn show_error(&mut self, e: &ServiceError) {
        // The kind of error only: a message may hold a child's name, and the log is no place
        // for it.
        tracing::warn!(
            bad_input = e.is_bad_input(),
            "the service refused or failed"
        );
        let text = self
            .text
            .fmt("status.error", &[("e", &e.message(self.lang()))]);
        self.set_status(text, true);
    }

    fn set_status(&mut self, text: String, error: bool) {
        self.status = Some(Status { text, error });
    }

    /// The id of the child under the roster's cursor.
    pub fn selected_roster_child(&self) -> Option<ChildId> {
        self.roster
            .rows
            .get(self.roster.pos.selected)
            .and_then(|&i| self.data.roster.get(i))
            .map(|r| r.child.id)
    }

    /// Recomputes the roster's rows from the filters and the search.
    fn refilter_roster(&mut self) {
        let query = self.roster.query.trim().to_string();
        if query.is_empty() {
            self.roster.hits = None;
        } else {
            self.prepare_search();
            if let Some(index) = &self.search {
                let hits = match &self.roster.hits {
                    Some((previous, hits)) if query.starts_with(previous.as_str()) => {
                        index.refine(&query, hits)
                    }
                    _ => index.search(&query),
                };
                self.roster.hits = Some((query, hits));
            }
        }
        let f = &self.roster.filter;
        let data = &self.data;
        let keep = |i: usize| {
            let Some(r) = data.roster.get(i) else {
                return false;
            };
            (f.archived || r.child.is_active())
                && (!f.mine || data.is_mine(r))
                && f.class.as_ref().is_none_or(|c| *c == r.child.class)
                && (!f.key_support || r.child.key_support)
                && (!f.overdue || data.overdue_by_child.contains_key(&r.child.id))
        };
        self.roster.rows = match &self.roster.hits {
            Some((_, hits)) => hits.iter().map(|h| h.index).filter(|&i| keep(i)).collect(),
            None => (0..data.roster.len()).filter(|&i| keep(i)).collect(),
        };
        self.roster.pos.clamp(self.roster.rows.len());
    }

    /// The classes with children under every roster filter but the class.
    fn filterable_classes(&self) -> Vec<String> {
        let f = &self.roster.filter;
        let data = &self.data;
        data.classes
            .iter()
            .filter(|class| {
                data.roster.iter().any(|r| {
                    r.child.class == **class
                        && (f.archived || r.child.is_active())
                        && (!f.mine || data.is_mine(r))
                        && (!f.key_support || r.child.key_support)
                        && (!f.overdue || data.overdue_by_child.contains_key(&r.child.id))
                })
            })
            .cloned()
            .collect()
    }

    /// After a frame is drawn: side by side, the child pane shows the child under the cursor
    /// from the start. Returns whether the screen needs drawing again.
    pub fn after_draw(&mut self) -> bool {
        if self.wide && self.child.id.is_none() {
            self.preview();
            return self.child.id.is_some();
        }
        false
    }

    /// Recomputes the queue's rows: mine first, each part most urgent first.
    fn rebuild_queue(&mut self) {
        let me = self.data.me.as_ref().map(|s| s.id);
        let today = self.today();
        let w = &self.rules.weights;
        let key_support: std::collections::HashSet<ChildId> = self
            .data
            .roster
            .iter()
            .filter(|r| r.child.key_support)
            .map(|r| r.child.id)
            .collect();
        // (mine, urgency, item): a task weighs as a duty row with no missed period.
        let mut items: Vec<(bool, f64, QueueItem)> = Vec::new();
        for (i, r) in self.data.queue.rows.iter().enumerate() {
            items.push((
                me.is_some() && r.assignee == me,
                r.urgency,
                QueueItem::Duty(i),
            ));
        }
        for (i, t) in self.data.tasks.iter().enumerate() {
            let days = (today - t.due).num_days() as f64;
            let urgency = w.per_day_overdue * days
                + if key_support.contains(&t.child) {
                    w.key_support
                } else {
                    0.0
                };
            items.push((Some(t.assignee) == me, urgency, QueueItem::Task(i)));
        }
        // Mine first; each part most urgent first (the engine's order kept among duties).
        items.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal))
        });
        if self.queue.mine_only {
            items.retain(|(mine, _, _)| *mine);
        }
        let mut order: Vec<QueueItem> = items.into_iter().map(|(_, _, item)| item).collect();
        if self.queue.grouped {
            let mut seen = std::collections::HashSet::new();
            order.retain(|item| self.item_child(*item).is_some_and(|c| seen.insert(c)));
        }
        self.queue.rows = order;
        self.queue.pos.clamp(self.queue.rows.len());
    }

    /// The child a queue line is about.
    pub fn item_child(&self, item: QueueItem) -> Option<ChildId> {
        match item {
            QueueItem::Duty(i) => self.data.queue.rows.get(i).map(|r| r.child),
            QueueItem::Task(i) => self.data.tasks.get(i).map(|t| t.child),
        }
    }

    /// How many rows the child of queue row `i` has (for the grouped view).
    pub fn queue_rows_of(&self, child: ChildId) -> usize {
        let me = self.data.me.as_ref().map(|s| s.id);
        let duties = self
            .data
            .queue
            .rows
            .iter()
            .filter(|r| r.child == child && (!self.queue.mine_only || r.assignee == me))
            .count();
        let tasks = self
            .data
            .tasks
            .iter()
            .filter(|t| t.child == child && (!self.queue.mine_only || Some(t.assignee) == me))
            .count();
        duties + tasks
    }

    fn load_child(&mut self, id: ChildId) {
        self.child.notice = None;
        match self.service.child(id) {
            Ok(file) => self.child.file = Some(file),
            Err(e) => {
                self.child.file = None;
                self.show_error(&e);
            }
        }
        match self.service.timeline(id) {
            Ok(t) => self.child.timeline = t,
            Err(ServiceError::NotPermitted { .. }) => {
                self.child.timeline.clear();
                self.child.notice = Some(self.text.get("child.basic_only").to_string());
            }
            Err(e) => {
                self.child.timeline.clear();
                self.show_error(&e);
            }
        }
    }

    fn open_child(&mut self, id: ChildId, from: Pane) {
        if self.child.id != Some(id) {
            self.child.scroll = ListPos::default();
        }
        self.child.id = Some(id);
        self.child.from = from;
        self.load_child(id);
        self.focus = Pane::Child;
    }

    /// A key from the terminal. Returns whether the screen needs redrawing.
    pub fn handle_key(&mut self, event: KeyEvent) -> bool {
        if event.kind != KeyEventKind::Press {
            return false;
        }
        self.status = None;
        let typing = self.form.is_some() || self.file_form.is_some() || self.activity.is_some();
        // Ctrl-C quits from a form as from anywhere; what was typed stays as the draft.
        if typing
            && event.code == KeyCode::Char('c')
            && event.modifiers.contains(KeyModifiers::CONTROL)
        {
            self.requests.quit = true;
            return true;
        }
        if self.form.is_some() {
            self.form_key(event);
            return true;
        }
        if self.activity.is_some() {
            self.activity_key(event);
            return true;
        }
        if self.file_form.is_some() {
            self.file_key(event);
            return true;
        }
        if self.roster.searching {
            self.search_key(event);
            return true;
        }
        if let Some(Overlay::Palette { .. }) = self.overlay {
            self.palette_key(event);
            return true;
        }
        if let Some(Overlay::Prompt { .. }) = self.overlay {
            self.prompt_key(event);
            return true;
        }
        if let Some(Overlay::Contacts(_)) = self.overlay {
            // Any key closes the card.
            self.overlay = None;
            self.requests.clear = true;
            return true;
        }
        let key = Key::from_event(&event);
        if let Some(Overlay::Help { scroll }) = &mut self.overlay {
            match event.code {
                KeyCode::Char('j') | KeyCode::Down => *scroll += 1,
                KeyCode::Char('k') | KeyCode::Up => *scroll = scroll.saturating_sub(1),
                KeyCode::PageDown => *scroll += 10,
                KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
                KeyCode::Char('g') | KeyCode::Home => *scroll = 0,
                KeyCode::Char('G') | KeyCode::End => *scroll = usize::MAX / 2,
                KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('?') | KeyCode::Enter => {
                    self.overlay = None;
                    self.requests.clear = true;
                }
                _ => {}
            }
            return true;
        }
        self.pending.push(key);
        let layer = self.focus.layer();
        let lookup = self.keymap.lookup(layer, &self.pending);
        match lookup {
            Lookup::Matched(action) => {
                self.pending.clear();
                self.update(action);
            }
            Lookup::Pending(_) => {}
            Lookup::NotFound => {
                let pressed = sequence_label(&self.pending);
                let was_pending = self.pending.len() > 1;
                self.pending.clear();
                // Esc after a first key only cancels the sequence.
                if !(was_pending && key.code == KeyCode::Esc) {
                    let text = self.text.fmt("status.unknown_key", &[("key", &pressed)]);
                    self.set_status(text, false);
                }
            }
        }
        true
    }

    /// Text pasted into the terminal (bracketed paste): typed into an open text box.
    pub fn handle_paste(&mut self, text: &str) -> bool {
        if let Some(form) = &mut self.file_form {
            let i = form.focus;
            if let Some(input) = form.fields.get_mut(i) {
                input.insert(text);
            }
            return true;
        }
        if let Some((form, _)) = &mut self.activity {
            let refilter = form.focus == super::activity::ActivityField::Filter;
            if let Some(input) = form.input_mut() {
                input.insert(text);
            }
            if refilter {
                form.refilter();
            }
            return true;
        }
        if let Some(Overlay::Prompt { input, .. }) = &mut self.overlay {
            input.insert(text);
            return true;
        }
        if let Some(form) = &mut self.form {
            let focus = form.focus;
            if let Some(input) = form.input_mut(focus) {
                input.insert(text);
            }
            self.save_draft();
            return true;
        }
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        if self.roster.searching {
            self.roster.query.push_str(&clean);
            self.refilter_roster();
            self.roster.pos.selected = 0;
            true
        } else if let Some(Overlay::Palette { input, pos }) = &mut self.overlay {
            input.push_str(&clean);
            pos.selected = 0;
            true
        } else {
            false
        }
    }

    fn search_key(&mut self, event: KeyEvent) {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        match event.code {
            KeyCode::Esc => {
                self.roster.searching = false;
                self.roster.query.clear();
                self.refilter_roster();
            }
            KeyCode::Enter => {
                self.roster.searching = false;
                if let Some(id) = self.selected_roster_child() {
                    self.open_child(id, Pane::Roster);
                }
            }
            KeyCode::Down => {
                self.roster.pos.apply(Action::Down, self.roster.rows.len());
            }
            KeyCode::Up => {
                self.roster.pos.apply(Action::Up, self.roster.rows.len());
            }
            KeyCode::Char('n') if ctrl => {
                self.roster.pos.apply(Action::Down, self.roster.rows.len());
            }
            KeyCode::Char('p') if ctrl => {
                self.roster.pos.apply(Action::Up, self.roster.rows.len());
            }
            KeyCode::Char('u') if ctrl => {
                self.roster.query.clear();
                self.refilter_roster();
            }
            KeyCode::Char('c') if ctrl => {
                self.roster.searching = false;
                self.roster.query.clear();
                self.refilter_roster();
            }
            KeyCode::Backspace => {
                self.roster.query.pop();
                self.roster.hits = None;
                self.refilter_roster();
                self.roster.pos.selected = 0;
            }
            KeyCode::Char(c) if !ctrl => {
                self.roster.query.push(c);
                self.refilter_roster();
                self.roster.pos.selected = 0;
            }
            _ => {}
        }
    }

    /// The actions the palette offers for `input`, best first, with their descriptions.
    pub fn palette_items(&self, input: &str) -> Vec<(Action, String, String)> {
        use fuzzy_matcher::FuzzyMatcher;
        let matcher = fuzzy_matcher::skim::SkimMatcherV2::default().ignore_case();
        let layer = self.focus.layer();
        let mut items: Vec<(i64, Action, String, String)> = Action::ALL
            .iter()
            .filter(|a| a.layers().contains(&layer) || a.layers().contains(&Layer::Global))
            .filter(|a| self.may_run(**a))
            .filter_map(|&a| {
                let binding = self.keymap.keys_for(layer, a);
                let desc = binding.map_or(a.name().to_string(), |b| b.desc(self.lang()).into());
                let keys = binding.map_or(String::new(), |b| sequence_label(&b.keys));
                // Chinese descriptions are found by their pinyin too (fz for 分组).
                let (initials, full) = crate::search::pinyin_keys(&desc);
                let hay = format!(
                    "{desc} {} {} {}",
                    a.name(),
                    initials.join(" "),
                    full.join(" ")
                );
                let score = if input.is_empty() {
                    0
                } else {
                    matcher.fuzzy_match(&hay, input)?
                };
                Some((score, a, desc, keys))
            })
            .collect();
        items.sort_by_key(|item| std::cmp::Reverse(item.0));
        items.into_iter().map(|(_, a, d, k)| (a, d, k)).collect()
    }

    fn palette_key(&mut self, event: KeyEvent) {
        let Some(Overlay::Palette { input, pos }) = &mut self.overlay else {
            return;
        };
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        match event.code {
            KeyCode::Esc => {
                self.overlay = None;
                self.requests.clear = true;
            }
            KeyCode::Char('c') if ctrl => {
                self.overlay = None;
                self.requests.clear = true;
            }
            KeyCode::Down => pos.selected += 1,
            KeyCode::Char('n') if ctrl => pos.selected += 1,
            KeyCode::Up => pos.selected = pos.selected.saturating_sub(1),
            KeyCode::Char('p') if ctrl => pos.selected = pos.selected.saturating_sub(1),
            KeyCode::Char('u') if ctrl => input.clear(),
            KeyCode::Backspace => {
                input.pop();
                pos.selected = 0;
            }
            KeyCode::Enter => {
                let input = input.clone();
                let chosen = pos.selected;
                let items = self.palette_items(&input);
                self.overlay = None;
                self.requests.clear = true;
                if let Some((action, _, _)) = items.get(chosen.min(items.len().saturating_sub(1))) {
                    self.update(*action);
                }
            }
            KeyCode::Char(c) if !ctrl => {
                input.push(c);
                pos.selected = 0;
            }
            _ => {}
        }
    }

    /// Carries out one action.
    pub fn update(&mut self, action: Action) {
        self.apply(action);
        // The work summary is drafted when its pane is first shown (not at start-up).
        if self.focus == Pane::Report && (self.report.chosen.is_none() || self.report.stale) {
            self.load_report();
        }
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Quit => self.requests.quit = true,
            Action::Suspend => self.requests.suspend = true,
            Action::Redraw => self.requests.clear = true,
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Palette => {
                self.overlay = Some(Overlay::Palette {
                    input: String::new(),
                    pos: ListPos::default(),
                })
            }
            Action::Search => {
                // A new search starts empty, as in a pager or an editor.
                self.focus = Pane::Roster;
                self.roster.query.clear();
                self.refilter_roster();
                self.roster.searching = true;
                self.prepare_search();
            }
            Action::Back => self.back(),
            Action::NextPane | Action::PrevPane => {
                let panes = self.panes();
                let i = panes.iter().position(|p| *p == self.focus).unwrap_or(0);
                let n = panes.len();
                let next = if action == Action::NextPane {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                if panes[next] == Pane::Audit {
                    self.show_audit();
                } else {
                    self.focus = panes[next];
                }
            }
            Action::PaneRoster => self.focus = Pane::Roster,
            Action::PaneChild => {
                // Nothing open yet: open what the pane we come from has selected.
                if self.child.id.is_none() {
                    self.open();
                }
                self.focus = Pane::Child;
            }
            Action::PaneQueue => self.focus = Pane::Queue,
            Action::PaneReport => self.focus = Pane::Report,
            Action::ReportPrevTerm => self.switch_term(-1),
            Action::ReportNextTerm => self.switch_term(1),
            Action::Undo => self.undo(),
            Action::NewActivity => self.open_activity(),
            Action::NewChild => {
                self.file_form = Some(super::file_form::FileForm::new(None, &[]));
            }
            Action::EditChild => self.open_file_form(),
            Action::SurveyChild => self.open_survey(),
            Action::Contacts => self.show_contacts(),
            Action::ArchiveChild => match self.selected_child() {
                Some(child) => {
                    self.overlay = Some(Overlay::Prompt {
                        target: child.0,
                        version: 0,
                        kind: PromptKind::Archive,
                        input: super::input::TextInput::new(""),
                        error: None,
                    })
                }
                None => self.set_status(self.text.get("status.no_child").to_string(), false),
            },
            Action::RestoreChild => self.restore_child(),
            Action::LogDuty => self.log_duty(),
            Action::TaskDone | Action::TaskSnooze | Action::TaskReassign => {
                self.task_action(action)
            }
            Action::LogTalk => self.open_form(EventKind::Talk, FormField::Summary),
            Action::LogVisit => self.open_form(EventKind::HomeVisit, FormField::Summary),
            Action::LogCall => self.open_form(EventKind::Call, FormField::Summary),
            Action::LogGuardian => self.open_form(EventKind::GuardianContact, FormField::Summary),
            Action::LogOther => self.open_form(EventKind::Note, FormField::Kind),
            Action::ExportDocx => self.export_report(crate::report::export::Format::Docx),
            Action::ExportMarkdown => self.export_report(crate::report::export::Format::Md),
            Action::PaneAudit => self.show_audit(),
            Action::AuditChildOnly => {
                self.audit.child_only = !self.audit.child_only;
                self.audit.pos = ListPos::default();
                self.load_audit();
            }
            Action::Open => self.open(),
            Action::Down
            | Action::Up
            | Action::Top
            | Action::Bottom
            | Action::PageDown
            | Action::PageUp => self.move_cursor(action),
            Action::FilterMine => {
                self.roster.filter.mine = !self.roster.filter.mine;
                self.refilter_roster();
            }
            Action::FilterClassNext | Action::FilterClassPrev => {
                // The classes that have children under the other filters (my classes with
                // "mine" on), in school order.
                let classes = self.filterable_classes();
                let classes = &classes;
                let current = self
                    .roster
                    .filter
                    .class
                    .as_ref()
                    .and_then(|c| classes.iter().position(|x| x == c));
                // All classes, then each class in order (and round again).
                let n = classes.len() + 1;
                let at = current.map_or(0, |i| i + 1);
                let next = if action == Action::FilterClassNext {
                    (at + 1) % n
                } else {
                    (at + n - 1) % n
                };
                self.roster.filter.class = next.checked_sub(1).map(|i| classes[i].clone());
                self.roster.pos = ListPos::default();
                self.refilter_roster();
            }
            Action::FilterKeySupport => {
                self.roster.filter.key_support = !self.roster.filter.key_support;
                self.refilter_roster();
            }
            Action::FilterOverdue => {
                self.roster.filter.overdue = !self.roster.filter.overdue;
                self.refilter_roster();
            }
            Action::FilterArchived => {
                self.roster.filter.archived = !self.roster.filter.archived;
                self.refilter_roster();
            }
            Action::FilterClear => {
                self.roster.filter = Filter::default();
                self.refilter_roster();
            }
            Action::QueueGrouping => {
                self.queue.grouped = !self.queue.grouped;
                self.rebuild_queue();
            }
            Action::QueueMineOnly => {
                self.queue.mine_only = !self.queue.mine_only;
                self.rebuild_queue();
            }
        }
    }

    /// Drafts the work summary of the chosen term (today's by default) from the records.
    fn load_report(&mut self) {
        let today = self.today();
        let settings = self.data.settings.clone();
        // Terms that have begun: a summary of one not started yet would be all zeros.
        self.report.terms = crate::report::terms(&settings, today)
            .into_iter()
            .filter(|t| t.start <= today)
            .collect();
        self.report.stale = false;
        if self.report.term().is_none() {
            self.report.chosen = crate::report::default_term(&settings, today).map(|t| t.name);
        }
        let Some(term) = self.report.term().cloned() else {
            self.report.figures = None;
            self.report.doc = None;
            return;
        };
        match self
            .service
            .report(&self.rules, Some(&term.name), term.start, term.end)
        {
            Ok(figures) => {
                self.report.doc =
                    Some(crate::report::document(&figures, self.lang(), false, today));
                self.report.figures = Some(figures);
            }
            Err(e) => {
                self.report.figures = None;
                self.report.doc = None;
                self.show_error(&e);
            }
        }
    }

    fn switch_term(&mut self, step: isize) {
        let n = self.report.terms.len();
        let at = self
            .report
            .term()
            .and_then(|t| self.report.terms.iter().position(|x| x.name == t.name));
        if let Some(i) = at
            && n > 0
        {
            let next = (i as isize + step).clamp(0, n as isize - 1) as usize;
            if next != i {
                self.report.chosen = Some(self.report.terms[next].name.clone());
                self.report.scroll = ListPos::default();
                self.load_report();
            }
        }
    }

    /// Writes the summary in `format` to the export directory and says where it went.
    fn export_report(&mut self, format: crate::report::export::Format) {
        let (Some(figures), Some(term)) = (&self.report.figures, self.report.term()) else {
            self.set_status(self.text.get("report.none").to_string(), true);
            return;
        };
        let stem = format!(
            "{}-{}-{}",
            figures.school,
            term.name,
            self.lang().pick("工作总结", "work-summary")
        );
        let stem: String = stem
            .chars()
            .map(|c| if c == '/' || c.is_control() { '_' } else { c })
            .collect();
        let rendered =
            crate::report::export::render(figures, format, self.lang(), false, self.today())
                .map_err(std::io::Error::other);
        // A name nobody uses; should one appear meanwhile, the next.
        let mut path = crate::files::unused_name(&self.export_dir, &stem, format.extension());
        let written = rendered.and_then(|bytes| {
            loop {
                match crate::files::write_private_new(&path, &bytes) {
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        path =
                            crate::files::unused_name(&self.export_dir, &stem, format.extension());
                    }
                    other => break other,
                }
            }
        });
        match written {
            Ok(()) => {
                tracing::info!(format = format.extension(), "work summary exported");
                let text = self
                    .text
                    .fmt("report.exported", &[("path", &path.display())]);
                self.set_status(text, false);
            }
            Err(e) => {
                let text = self.text.fmt(
                    "report.export_failed",
                    &[("e", &format!("{}: {e}", path.display()))],
                );
                self.set_status(text, true);
            }
        }
    }

    /// The child the current pane has selected: the roster's or the queue's cursor, or the
    /// open file.
    pub fn selected_child(&self) -> Option<ChildId> {
        match self.focus {
            Pane::Roster => self.selected_roster_child(),
            Pane::Queue => self.selected_queue_child(),
            Pane::Child => self.child.id,
            Pane::Report | Pane::Audit => None,
        }
    }

    fn child_name(&self, id: ChildId) -> String {
        self.data
            .roster
            .iter()
            .find(|r| r.child.id == id)
            .map(|r| r.child.name.clone())
            .unwrap_or_default()
    }

    /// Opens the log form for the selected child, with the cursor on `focus`.
    fn open_form(&mut self, kind: EventKind, focus: FormField) {
        let Some(child) = self.selected_child() else {
            self.set_status(self.text.get("status.no_child").to_string(), false);
            return;
        };
        let by = self
            .data
            .me
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let mut form = LogForm::new(child, &self.child_name(child), kind, self.today(), &by);
        form.focus = focus;
        self.form = Some(form);
    }

    /// The queue row's duty, logged: its first event kind, for its child.
    fn log_duty(&mut self) {
        let kind = match self.queue.rows.get(self.queue.pos.selected) {
            Some(QueueItem::Duty(i)) => self.data.queue.rows.get(*i),
            // A task is recorded as a note on the child.
            Some(QueueItem::Task(_)) => return self.open_form(EventKind::Note, FormField::Summary),
            None => None,
        }
        .and_then(|row| self.data.queue.duty(row))
        .and_then(|duty| {
            duty.sources.iter().find_map(|s| match s {
                crate::followup::Source::Kind(k) => Some(*k),
                crate::followup::Source::Survey => None,
            })
        });
        match kind {
            Some(kind) => self.open_form(kind, FormField::Summary),
            None if self.queue.rows.is_empty() => {
                self.set_status(self.text.get("status.no_child").to_string(), false)
            }
            // The re-survey is done by filling in the five areas.
            None => self.open_survey(),
        }
    }

    /// Keeps what the form holds on disk (readable by the user only) until it is saved.
    fn save_draft(&self) {
        use super::form::SavedForm;
        let Some(path) = &self.draft_path else { return };
        let saved = if let Some(form) = &self.form {
            SavedForm::Log(form.draft())
        } else if let Some(form) = &self.file_form {
            SavedForm::File {
                editing: form.editing.map(|(c, v)| (c.0, v)),
                survey: form.survey,
                values: form.values(),
            }
        } else if let Some((form, _)) = &self.activity {
            SavedForm::Activity {
                kind: form.kind,
                date: form.date.text().to_string(),
                title: form.title.text().to_string(),
                children: form.children().into_iter().map(|c| c.0).collect(),
                guardians: form.guardians(),
            }
        } else {
            return;
        };
        match serde_json::to_vec(&saved) {
            Ok(bytes) => {
                if let Some(dir) = path.parent() {
                    let _ = std::fs::create_dir_all(dir);
                }
                if let Err(e) = crate::files::write_private(path, &bytes) {
                    tracing::warn!(error = %e, "the draft could not be kept");
                }
            }
            Err(e) => tracing::warn!(error = %e, "the draft could not be encoded"),
        }
    }

    fn drop_draft(&self) {
        if let Some(path) = &self.draft_path {
            let _ = std::fs::remove_file(path);
        }
    }

    /// Opens again the form a session left unsaved when the terminal died: the log form, a
    /// file form or an activity, as it was.
    pub fn restore_draft(&mut self) -> bool {
        use super::form::SavedForm;
        let Some(path) = self.draft_path.clone() else {
            return false;
        };
        let Ok(bytes) = std::fs::read(&path) else {
            return false;
        };
        let saved = serde_json::from_slice::<SavedForm>(&bytes)
            .or_else(|_| serde_json::from_slice::<Draft>(&bytes).map(SavedForm::Log));
        match saved {
            Ok(SavedForm::Log(draft)) => self.form = Some(LogForm::from_draft(&draft)),
            Ok(SavedForm::File {
                editing,
                survey,
                values,
            }) => {
                let editing = editing.map(|(c, v)| (ChildId(c), v));
                let mut form = super::file_form::FileForm::new(editing, &[]);
                if survey && let Some((c, v)) = editing {
                    form = super::file_form::FileForm::survey(c, v, ["", "", "", "", ""]);
                }
                for (field, value) in form.fields.iter_mut().zip(&values) {
                    field.clear();
                    field.insert(value);
                }
                self.file_form = Some(form);
            }
            Ok(SavedForm::Activity {
                kind,
                date,
                title,
                children,
                guardians,
            }) => {
                self.open_activity();
                if let Some((form, _)) = &mut self.activity {
                    form.kind = kind;
                    form.date = super::input::TextInput::new(&date);
                    form.title = super::input::TextInput::new(&title);
                    for (person, on) in &mut form.people {
                        *on = match person {
                            super::activity::Attendee::Child { id, .. } => children.contains(&id.0),
                            super::activity::Attendee::Guardian { name, .. } => {
                                guardians.contains(name)
                            }
                        };
                    }
                }
            }
            Err(_) => {
                // Not the parser's message: it may quote the draft (a child's note).
                tracing::warn!("an unreadable draft was set aside");
                let _ = std::fs::rename(&path, path.with_extension("unreadable"));
                return false;
            }
        }
        self.set_status(self.text.get("form.restored").to_string(), false);
        true
    }

    fn form_key(&mut self, event: KeyEvent) {
        let Some(form) = &mut self.form else { return };
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        if form.confirm_cancel {
            match event.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => {
                    self.form = None;
                    self.drop_draft();
                    self.requests.clear = true;
                }
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                    form.confirm_cancel = false;
                }
                _ => {}
            }
            return;
        }
        let focus = form.focus;
        match event.code {
            KeyCode::Esc => {
                if form.changed() {
                    form.confirm_cancel = true;
                } else {
                    self.form = None;
                    self.drop_draft();
                    self.requests.clear = true;
                }
                return;
            }
            KeyCode::Enter => {
                self.save_form();
                return;
            }
            KeyCode::Char('s') if ctrl => {
                self.save_form();
                return;
            }
            KeyCode::Tab | KeyCode::Down => form.move_focus(true),
            KeyCode::BackTab | KeyCode::Up => form.move_focus(false),
            KeyCode::Left | KeyCode::Right if focus == FormField::Kind => {
                form.cycle_kind(event.code == KeyCode::Right)
            }
            KeyCode::Char(' ') if focus == FormField::Kind => form.cycle_kind(true),
            KeyCode::Char(' ') if focus == FormField::FollowUp => {
                form.follow_up = !form.follow_up;
            }
            _ => {
                if let Some(input) = form.input_mut(focus) {
                    input.edit(&event);
                }
            }
        }
        form.error = None;
        self.save_draft();
    }

    /// Checks the form and records it through the service; on a mistake the form stays
    /// open with the message on the field at fault.
    fn save_form(&mut self) {
        let Some(form) = &self.form else { return };
        let lang = self.lang();
        let today = self.today();
        let fail = |field: FormField, message: String| Some((field, message));
        let date = crate::domain::parse_date(form.date.text(), today).map_err(|e| {
            (
                FormField::Date,
                ServiceError::invalid(crate::service::Field::Date, e).message(lang),
            )
        });
        let result = (|| {
            let date = date?;
            let by = self
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
                    return Err((FormField::Due, self.text.get("form.due_needed").to_string()));
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
            self.service
                .execute_all(commands, crate::service::BatchAudit::Each)
                .map_err(|e| (field_of(&e), e.message(lang)))
        })();
        match result {
            Ok(_) => {
                let (kind, child) = (form.kind, form.child_name.clone());
                tracing::info!(kind = kind.key(), "event logged from the app");
                self.form = None;
                self.drop_draft();
                self.requests.clear = true;
                self.after_change();
                let text = self.text.fmt(
                    "form.saved",
                    &[
                        ("kind", &lang.pick(kind.zh(), kind.en())),
                        ("child", &child),
                    ],
                );
                self.set_status(text, false);
            }
            Err((field, message)) => {
                if let Some(form) = &mut self.form {
                    form.focus = field;
                    form.error = fail(field, message);
                }
            }
        }
    }

    /// The contact card of the selected child: the whole file is needed (the basic file has
    /// no phones), so those who may not read it are told so.
    fn show_contacts(&mut self) {
        let Some(id) = self.selected_child() else {
            self.set_status(self.text.get("status.no_child").to_string(), false);
            return;
        };
        let readable = self.may_read_whole(id);
        match self.service.child(id) {
            Ok(file) if readable => self.overlay = Some(Overlay::Contacts(Box::new(file))),
            Ok(_) => self.set_status(self.text.get("child.basic_only").to_string(), false),
            Err(e) => self.show_error(&e),
        }
    }

    /// Whether the user may read the whole file (checked without reading the timeline, which
    /// for a counsellor would be an audited reading of notes).
    fn may_read_whole(&self, id: ChildId) -> bool {
        self.service
            .child(id)
            .and_then(|c| self.service.may_read(&c))
            .unwrap_or(false)
    }

    /// Puts an archived file back on the roster (today).
    fn restore_child(&mut self) {
        let Some(id) = self.selected_child() else {
            self.set_status(self.text.get("status.no_child").to_string(), false);
            return;
        };
        let command = crate::service::Command::RestoreChild {
            child: id,
            date: self.today(),
        };
        match self.service.execute(command) {
            Ok(_) => {
                self.after_change();
                self.set_status(self.text.get("child.restored").to_string(), false);
            }
            Err(e) => self.show_error(&e),
        }
    }

    /// The roster row of a file, as the form shows it.
    fn file_values(&self, child: &Child) -> Vec<String> {
        let staff: HashMap<crate::domain::StaffId, String> = self
            .data
            .staff
            .iter()
            .map(|s| (s.id, s.name.clone()))
            .collect();
        crate::transfer::write::roster_row(child, &staff)
    }

    /// Opens the selected child's file for editing (the whole file: only for those who may).
    fn open_file_form(&mut self) {
        let Some(id) = self.selected_child() else {
            self.set_status(self.text.get("status.no_child").to_string(), false);
            return;
        };
        if !self.may_read_whole(id) {
            self.set_status(self.text.get("child.basic_only").to_string(), false);
            return;
        }
        match self.service.child(id) {
            Ok(file) => {
                let values = self.file_values(&file);
                self.file_form = Some(super::file_form::FileForm::new(
                    Some((id, file.version)),
                    &values,
                ));
            }
            Err(e) => self.show_error(&e),
        }
    }

    /// Opens the five-area survey of the selected file (学习, 生活, 心理, 安全, 健康).
    fn open_survey(&mut self) {
        let Some(id) = self.selected_child() else {
            self.set_status(self.text.get("status.no_child").to_string(), false);
            return;
        };
        if !self.may_read_whole(id) {
            self.set_status(self.text.get("child.basic_only").to_string(), false);
            return;
        }
        match self.service.child(id) {
            Ok(file) => {
                let s = &file.situation;
                self.file_form = Some(super::file_form::FileForm::survey(
                    id,
                    file.version,
                    [&s.study, &s.life, &s.psychology, &s.safety, &s.health],
                ));
            }
            Err(e) => self.show_error(&e),
        }
    }

    fn file_key(&mut self, event: KeyEvent) {
        self.file_key_inner(event);
        // Kept on disk while open, gone once saved or cancelled.
        if self.file_form.is_some() {
            self.save_draft();
        } else if self.form.is_none() && self.activity.is_none() {
            self.drop_draft();
        }
    }

    fn file_key_inner(&mut self, event: KeyEvent) {
        let Some(form) = &mut self.file_form else {
            return;
        };
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        if form.confirm_cancel {
            match event.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => {
                    self.file_form = None;
                    self.requests.clear = true;
                }
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                    form.confirm_cancel = false
                }
                _ => {}
            }
            return;
        }
        if form.conflict.is_some() {
            match event.code {
                // See the newest file (what was typed is replaced by it).
                KeyCode::Char('r') | KeyCode::Char('R') => {
                    if let Some((id, _)) = form.editing
                        && let Ok(file) = self.service.child(id)
                    {
                        let values = self.file_values(&file);
                        if let Some(form) = &mut self.file_form {
                            form.reload(file.version, &values);
                        }
                    }
                }
                // Save over it, knowingly.
                KeyCode::Char('f') | KeyCode::Char('F') => {
                    if let Some((id, _)) = form.editing
                        && let Ok(file) = self.service.child(id)
                    {
                        form.editing = Some((id, file.version));
                        form.conflict = None;
                        self.save_file();
                    }
                }
                KeyCode::Esc => form.conflict = None,
                _ => {}
            }
            return;
        }
        match event.code {
            KeyCode::Esc => {
                if form.changed() {
                    form.confirm_cancel = true;
                } else {
                    self.file_form = None;
                    self.requests.clear = true;
                }
            }
            KeyCode::Enter => self.save_file(),
            KeyCode::Char('s') if ctrl => self.save_file(),
            KeyCode::Tab | KeyCode::Down => form.move_focus(true),
            KeyCode::BackTab | KeyCode::Up => form.move_focus(false),
            _ => {
                let i = form.focus;
                if let Some(input) = form.fields.get_mut(i) {
                    input.edit(&event);
                }
                form.errors.retain(|(f, _)| *f != i);
            }
        }
    }

    /// Checks the form with the roster import's own checks, then adds or updates the file
    /// through the service. Mistakes stay on their fields; a stale edit is asked about.
    fn save_file(&mut self) {
        use crate::transfer::read::{Cell, Table};
        let Some(form) = &self.file_form else { return };
        let lang = self.lang();
        if form.survey {
            let Some((child, _)) = form.editing else {
                return;
            };
            let v = form.values();
            let get = |i: usize| v.get(i).map_or(String::new(), |s| s.trim().to_string());
            let command = crate::service::Command::SurveyChild {
                child,
                situation: crate::domain::Situation {
                    study: get(0),
                    life: get(1),
                    psychology: get(2),
                    safety: get(3),
                    health: get(4),
                    surveyed: Some(self.today()),
                },
            };
            let name = self.child_name(child);
            match self.service.execute(command) {
                Ok(_) => {
                    self.file_form = None;
                    self.requests.clear = true;
                    self.after_change();
                    let text = self.text.fmt("survey.saved", &[("name", &name)]);
                    self.set_status(text, false);
                }
                Err(e) => {
                    if let Some(form) = &mut self.file_form {
                        form.errors = vec![(form.focus, e.message(lang))];
                    }
                }
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
                form.values()
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
        };
        let staff = self.data.staff.clone();
        let parsed = crate::transfer::roster::parse_roster(&table, self.today(), |name| {
            staff.iter().find(|s| s.name == name.trim()).map(|s| s.id)
        });
        let new = match parsed {
            Ok(mut roster) if !roster.rows.is_empty() => roster.rows.remove(0).child,
            Ok(_) => return,
            Err(errors) => {
                let mapped = errors
                    .into_iter()
                    .map(|e| {
                        let field = crate::transfer::write::roster_headers()
                            .iter()
                            .position(|h| *h == e.column)
                            .unwrap_or(0);
                        let expected = lang.pick(&e.expected_zh, &e.expected_en).to_string();
                        (field, format!("{}: \"{}\" — {expected}", e.column, e.value))
                    })
                    .collect::<Vec<_>>();
                if let Some(form) = &mut self.file_form {
                    if let Some((f, _)) = mapped.first() {
                        form.focus = *f;
                    }
                    form.errors = mapped;
                }
                return;
            }
        };
        let name = new.name.clone();
        let command = match form.editing {
            Some((child, version)) => crate::service::Command::UpdateChild {
                child,
                version,
                file: Box::new(new),
            },
            None => crate::service::Command::AddChild(Box::new(new)),
        };
        match self.service.execute(command) {
            Ok(_) => {
                self.file_form = None;
                self.requests.clear = true;
                self.after_change();
                let text = self.text.fmt("file.saved", &[("name", &name)]);
                self.set_status(text, false);
            }
            Err(e @ ServiceError::Stale { .. }) => {
                if let Some(form) = &mut self.file_form {
                    form.conflict = Some(e.message(lang));
                }
            }
            Err(e) => {
                if let Some(form) = &mut self.file_form {
                    form.errors = vec![(form.focus, e.message(lang))];
                }
            }
        }
    }

    /// Opens the activity form with the children one may record for and their guardians.
    fn open_activity(&mut self) {
        use super::activity::{ActivityForm, Attendee};
        let all = self.data.me.as_ref().is_none_or(|me| {
            me.has_role(crate::domain::Role::Admin) || me.has_role(crate::domain::Role::Counselor)
        });
        let mut people = Vec::new();
        let mut guardians = Vec::new();
        for r in self
            .data
            .roster
            .iter()
            .filter(|r| r.child.is_active() && (all || self.data.is_mine(r)))
        {
            people.push(Attendee::Child {
                id: r.child.id,
                name: r.child.name.clone(),
                class: r.child.class.clone(),
            });
            if let Some(g) = &r.child.guardian_name {
                guardians.push(Attendee::Guardian {
                    name: g.clone(),
                    of: r.child.name.clone(),
                });
            }
        }
        people.extend(guardians);
        self.activity = Some((ActivityForm::new(self.today(), people), false));
    }

    fn activity_key(&mut self, event: KeyEvent) {
        self.activity_key_inner(event);
        if self.activity.is_some() {
            self.save_draft();
        } else if self.form.is_none() && self.file_form.is_none() {
            self.drop_draft();
        }
    }

    fn activity_key_inner(&mut self, event: KeyEvent) {
        use super::activity::ActivityField;
        let Some((form, confirming)) = &mut self.activity else {
            return;
        };
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        if *confirming {
            match event.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => {
                    self.activity = None;
                    self.requests.clear = true;
                }
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => *confirming = false,
                _ => {}
            }
            return;
        }
        form.error = None;
        match event.code {
            KeyCode::Esc => {
                let changed = !form.title.is_empty() || form.people.iter().any(|(_, on)| *on);
                if changed {
                    *confirming = true;
                } else {
                    self.activity = None;
                    self.requests.clear = true;
                }
            }
            KeyCode::Enter => self.save_activity(),
            KeyCode::Char('s') if ctrl => self.save_activity(),
            KeyCode::Tab => form.move_focus(true),
            KeyCode::BackTab => form.move_focus(false),
            KeyCode::Left | KeyCode::Right if form.focus == ActivityField::Kind => {
                form.kind = match form.kind {
                    crate::domain::ActivityKind::Activity => crate::domain::ActivityKind::Training,
                    crate::domain::ActivityKind::Training => crate::domain::ActivityKind::Activity,
                };
            }
            KeyCode::Down if form.focus == ActivityField::List => {
                form.cursor = (form.cursor + 1).min(form.shown.len().saturating_sub(1));
            }
            KeyCode::Up if form.focus == ActivityField::List => {
                form.cursor = form.cursor.saturating_sub(1);
            }
            KeyCode::Char(' ') if form.focus == ActivityField::List => form.toggle(),
            KeyCode::Down => form.move_focus(true),
            KeyCode::Up => form.move_focus(false),
            _ => {
                let refilter = form.focus == ActivityField::Filter;
                if let Some(input) = form.input_mut()
                    && input.edit(&event)
                    && refilter
                {
                    form.refilter();
                }
            }
        }
    }

    fn save_activity(&mut self) {
        let Some((form, _)) = &self.activity else {
            return;
        };
        let lang = self.lang();
        let Some(me) = self.data.me.as_ref().map(|s| s.id) else {
            return;
        };
        let result = crate::domain::parse_date(form.date.text(), self.today())
            .map_err(|e| ServiceError::invalid(crate::service::Field::Date, e))
            .and_then(|date| {
                self.service.execute(crate::service::Command::AddActivity(
                    crate::domain::NewActivity {
                        kind: form.kind,
                        date,
                        title: form.title.text().trim().to_string(),
                        organiser: me,
                        children: form.children(),
                        guardians: form.guardians(),
                    },
                ))
            });
        match result {
            Ok(_) => {
                let title = form.title.text().trim().to_string();
                self.activity = None;
                self.requests.clear = true;
                self.after_change();
                let text = self.text.fmt("activity.saved", &[("title", &title)]);
                self.set_status(text, false);
            }
            Err(e) => {
                if let Some((form, _)) = &mut self.activity {
                    form.error = Some(e.message(lang));
                }
            }
        }
    }

    /// Undoes the user's last change through the service and says what it was.
    fn undo(&mut self) {
        match self.service.execute(crate::service::Command::Undo) {
            Ok(crate::service::Outcome::Undone(_, command)) => {
                self.after_change();
                let key = format!("audit.cmd.{command}");
                let what = self.text.get(&key).to_string();
                let text = self.text.fmt("status.undone", &[("what", &what)]);
                self.set_status(text, false);
            }
            Ok(_) => {}
            Err(e) => self.show_error(&e),
        }
    }

    /// x, z, r on a queue line: a task done now, or a prompt for the day or the person.
    fn task_action(&mut self, action: Action) {
        let Some(task) = self.selected_task().cloned() else {
            self.set_status(self.text.get("task.only").to_string(), false);
            return;
        };
        let kind = match action {
            Action::TaskSnooze => PromptKind::Snooze,
            Action::TaskReassign => PromptKind::Reassign,
            _ => {
                let done = crate::service::TaskChange::Done(self.today());
                if self.change_task(&task, done) {
                    let text = self.text.fmt("task.done", &[("text", &task.text)]);
                    self.set_status(text, false);
                }
                return;
            }
        };
        self.overlay = Some(Overlay::Prompt {
            target: task.id.0,
            version: task.version,
            kind,
            input: super::input::TextInput::new(""),
            error: None,
        });
    }

    /// Applies a change to a task through the service; `false` (and the message) if refused.
    fn change_task(
        &mut self,
        task: &crate::domain::Task,
        change: crate::service::TaskChange,
    ) -> bool {
        let command = crate::service::Command::UpdateTask {
            task: task.id,
            version: task.version,
            change,
        };
        match self.service.execute(command) {
            Ok(_) => {
                self.after_change();
                true
            }
            Err(e) => {
                self.show_error(&e);
                false
            }
        }
    }

    fn prompt_key(&mut self, event: KeyEvent) {
        let Some(Overlay::Prompt {
            target,
            version,
            kind,
            input,
            error,
        }) = &mut self.overlay
        else {
            return;
        };
        match event.code {
            KeyCode::Esc => {
                self.overlay = None;
                self.requests.clear = true;
            }
            KeyCode::Enter => {
                let (target, version, kind, typed) =
                    (*target, *version, *kind, input.text().trim().to_string());
                let lang = self.lang();
                let task = crate::domain::TaskId(target);
                let command = match kind {
                    PromptKind::Snooze => crate::domain::parse_date(&typed, self.today())
                        .map(|d| crate::service::Command::UpdateTask {
                            task,
                            version,
                            change: crate::service::TaskChange::Snooze(d),
                        })
                        .map_err(|e| ServiceError::invalid(crate::service::Field::Date, e)),
                    PromptKind::Reassign => self
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
                    PromptKind::Archive => Ok(crate::service::Command::ArchiveChild {
                        child: ChildId(target),
                        reason: crate::domain::ArchiveReason::parse(&typed),
                        date: self.today(),
                    }),
                };
                let result = command.and_then(|c| self.service.execute(c));
                match result {
                    Ok(_) => {
                        self.overlay = None;
                        self.requests.clear = true;
                        self.after_change();
                        let text = match kind {
                            PromptKind::Snooze => {
                                self.text.fmt("task.snoozed", &[("date", &typed)])
                            }
                            PromptKind::Reassign => {
                                self.text.fmt("task.reassigned", &[("name", &typed)])
                            }
                            PromptKind::Archive => {
                                self.text.fmt("child.archived_now", &[("reason", &typed)])
                            }
                        };
                        self.set_status(text, false);
                    }
                    Err(e) => {
                        if let Some(Overlay::Prompt { error, .. }) = &mut self.overlay {
                            *error = Some(e.message(lang));
                        }
                    }
                }
            }
            _ => {
                if input.edit(&event) {
                    *error = None;
                }
            }
        }
    }

    /// Whether the user may read the audit log.
    pub fn is_admin(&self) -> bool {
        self.data
            .me
            .as_ref()
            .is_some_and(|s| s.has_role(crate::domain::Role::Admin))
    }

    /// Whether the action is this user's to run (the help, the hints and the palette show
    /// only those): the audit log is for administrators.
    pub fn may_run(&self, action: Action) -> bool {
        !matches!(action, Action::PaneAudit | Action::AuditChildOnly) || self.is_admin()
    }

    /// The panes this user has, in Tab order: the audit log is for administrators.
    pub fn panes(&self) -> Vec<Pane> {
        Pane::ALL
            .into_iter()
            .filter(|p| *p != Pane::Audit || self.is_admin())
            .collect()
    }

    fn show_audit(&mut self) {
        if !self.is_admin() {
            self.set_status(self.text.get("audit.admins_only").to_string(), true);
            return;
        }
        self.focus = Pane::Audit;
        self.load_audit();
    }

    /// Reads the audit log (only when the pane is shown: it grows with every change).
    fn load_audit(&mut self) {
        let child = if self.audit.child_only {
            self.child.id
        } else {
            None
        };
        match self.service.audit(child, None, None) {
            Ok(mut entries) => {
                entries.reverse();
                self.audit.pos.clamp(entries.len());
                self.audit.entries = Some(entries);
            }
            Err(e) => {
                self.audit.entries = None;
                self.show_error(&e);
            }
        }
    }

    fn back(&mut self) {
        if self.overlay.take().is_some() {
            self.requests.clear = true;
        } else if self.focus == Pane::Roster && !self.roster.query.is_empty() {
            self.roster.query.clear();
            self.refilter_roster();
        } else if self.focus == Pane::Child {
            self.focus = self.child.from;
        } else if self.focus != Pane::Roster {
            self.focus = Pane::Roster;
        }
    }

    /// Side by side, the child pane follows the cursor of the roster or the queue.
    fn preview(&mut self) {
        if !self.wide {
            return;
        }
        let id = match self.focus {
            Pane::Roster => self.selected_roster_child(),
            Pane::Queue => self.selected_queue_child(),
            Pane::Child | Pane::Report | Pane::Audit => None,
        };
        if let Some(id) = id
            && self.child.id != Some(id)
        {
            self.child.id = Some(id);
            self.child.from = self.focus;
            self.child.scroll = ListPos::default();
            self.load_child(id);
        }
    }

    /// The id of the child under the queue's cursor.
    pub fn selected_queue_child(&self) -> Option<ChildId> {
        self.queue
            .rows
            .get(self.queue.pos.selected)
            .and_then(|item| self.item_child(*item))
    }

    /// The task under the queue's cursor, if the line is a task.
    pub fn selected_task(&self) -> Option<&crate::domain::Task> {
        match self.queue.rows.get(self.queue.pos.selected) {
            Some(QueueItem::Task(i)) => self.data.tasks.get(*i),
            _ => None,
        }
    }

    fn open(&mut self) {
        match self.focus {
            Pane::Roster => match self.selected_roster_child() {
                Some(id) => self.open_child(id, Pane::Roster),
                None => self.set_status(self.text.get("status.no_child").to_string(), false),
            },
            Pane::Queue => match self.selected_queue_child() {
                Some(id) => self.open_child(id, Pane::Queue),
                None => self.set_status(self.text.get("status.no_child").to_string(), false),
            },
            Pane::Child | Pane::Report | Pane::Audit => {}
        }
    }

    fn move_cursor(&mut self, action: Action) {
        match self.focus {
            Pane::Roster => {
                if self.roster.pos.apply(action, self.roster.rows.len()) {
                    self.preview();
                }
            }
            Pane::Queue => {
                if self.queue.pos.apply(action, self.queue.rows.len()) {
                    self.preview();
                }
            }
            Pane::Child => {
                self.child.scroll.apply(action, self.child.timeline.len());
            }
            Pane::Report => {
                // The pane stops the scroll at the last line when it draws.
                self.report.scroll.apply(action, usize::MAX / 2);
            }
            Pane::Audit => {
                let len = self.audit.entries.as_ref().map_or(0, Vec::len);
                self.audit.pos.apply(action, len);
            }
        }
    }
}

/// Where exports from the app go: `GUANAI_EXPORT_DIR`, else the home directory, else the
/// working directory.
pub fn export_dir() -> std::path::PathBuf {
    match std::env::var_os("GUANAI_EXPORT_DIR") {
        Some(dir) if !dir.is_empty() => std::path::PathBuf::from(dir),
        _ => directories::UserDirs::new()
            .map(|d| d.home_dir().to_path_buf())
            .unwrap_or_else(|| std::path::PathBuf::from(".")),
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
