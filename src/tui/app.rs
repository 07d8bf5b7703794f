//! The app: the loop-facing API (keys, pastes, polling, drawing hooks), the data it has
//! loaded and reloads after a change, which pane has the focus, and the dispatch of each
//! event to the controller that owns it — the open form or overlay, else the focused pane
//! (see [`component`](super::component)). The controllers own their state and keys; the app
//! carries out the effects they ask for. Every record it reads or writes goes through the
//! service, and it never touches the store or the terminal, so the whole app runs on a
//! `TestBackend` in tests. It must not grow a pane's, a form's or a popup's logic back.

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::Action;
use super::component::{Component, Ctx, Effect, Event, EventState, Opened};
use super::forms::{self, activity::ActivityForm, draft, file::FileForm, log::LogForm};
use super::keymap::{Key, Keymap, Lookup, sequence_label};
use super::text::Text;
use super::theme::Theme;
use crate::domain::ChildId;
use crate::followup::Rules;
use crate::i18n::Lang;
use crate::service::{Service, ServiceError};

pub use super::data::{DUE_SOON_DAYS, Data};
pub use super::panes::Pane;
pub use super::panes::audit::AuditView;
pub use super::panes::child::ChildView;
pub use super::panes::queue::{QueueItem, QueueView};
pub use super::panes::report::ReportView;
pub use super::panes::roster::{Filter, RosterView};
pub use super::popups::{Overlay, PromptKind};
pub use super::widgets::ListPos;

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
    pub(super) rules: Rules,
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
    pub requests: Requests,
    /// The last frame's layout: wide (side by side) or one pane with a tab bar.
    pub wide: bool,
    /// The demo school (said on the screen).
    pub demo: bool,
    /// Where exports go ([`export_dir`] unless set otherwise).
    pub export_dir: std::path::PathBuf,
    /// The user's home directory: a file saved under it is named as `~/…` on the screen.
    pub home: Option<std::path::PathBuf>,
    /// The log form, when open.
    pub form: Option<LogForm>,
    /// The file form (a new child, editing one, or its survey), when open.
    pub file_form: Option<FileForm>,
    /// The activity form, when open; with whether Esc is waiting for y/n.
    pub activity: Option<(ActivityForm, bool)>,
    /// Where the open form's draft is kept (`None`: not kept, as in tests that say so).
    pub draft_path: Option<std::path::PathBuf>,
    /// A draft was restored at start: the form is shown but takes no key until the user
    /// chooses to continue (Enter) or discard it (Esc), so that keys typed for the panes
    /// never land in a field.
    pub draft_waiting: bool,
}

/// Who an event is offered to.
#[derive(Debug, Clone, Copy)]
enum Target {
    Form,
    FileForm,
    Activity,
    Overlay,
    Pane(Pane),
}

/// Runs `$body` with a controller context `$ctx` borrowed from the app's fields (so a
/// controller, itself a field, can be borrowed mutably beside it), then carries out the
/// effects the body pushed.
macro_rules! with_ctx {
    ($app:ident, |$ctx:ident| $body:expr) => {{
        let selected = $app.selected_child();
        let mut context = Ctx {
            service: &$app.service,
            rules: &$app.rules,
            data: &$app.data,
            text: &$app.text,
            keymap: &$app.keymap,
            today: $app.service.today(),
            focus: $app.focus,
            selected,
            open_child: $app.child.id,
            export_dir: &$app.export_dir,
            home: $app.home.as_deref(),
            effects: Vec::new(),
        };
        let $ctx = &mut context;
        let result = $body;
        let effects = context.effects;
        $app.run(effects);
        result
    }};
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
            roster: RosterView::default(),
            child: ChildView::default(),
            queue: QueueView::default(),
            report: ReportView::default(),
            audit: AuditView::default(),
            overlay: None,
            pending: Vec::new(),
            status: None,
            requests: Requests::default(),
            wide: false,
            demo: false,
            export_dir: export_dir(),
            home: directories::UserDirs::new().map(|d| d.home_dir().to_path_buf()),
            form: None,
            file_form: None,
            activity: None,
            draft_path: None,
            draft_waiting: false,
        };
        app.roster.refilter(&app.data);
        app.queue.rebuild(&app.data, &app.rules, app.today());
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
        self.roster.prepare_search(&self.data);
    }

    /// Reloads what another guanai changed since the last look. Returns whether anything did.
    pub fn poll_changes(&mut self) -> bool {
        if self.service.replaced() {
            // A restore put another file at the path: this one is no longer the school's.
            match self.service.reopen() {
                Ok(service) => {
                    self.service = service;
                    self.after_change();
                    self.set_status(self.text.get("status.restored").to_string(), true);
                }
                Err(e) => self.show_error(&e),
            }
            return true;
        }
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

    /// After a frame is drawn: side by side, the child pane shows the child under the cursor
    /// from the start. Returns whether the screen needs drawing again.
    pub fn after_draw(&mut self) -> bool {
        if self.wide && self.child.id.is_none() {
            self.preview();
            return self.child.id.is_some();
        }
        false
    }

    /// A key from the terminal. Returns whether the screen needs redrawing.
    pub fn handle_key(&mut self, event: KeyEvent) -> bool {
        if event.kind != KeyEventKind::Press {
            return false;
        }
        self.status = None;
        let typing = self.form.is_some() || self.file_form.is_some() || self.activity.is_some();
        if self.draft_waiting {
            self.answer_draft(event, typing);
            return true;
        }
        // Ctrl-C quits from a form as from anywhere; what was typed stays as the draft.
        if typing
            && event.code == KeyCode::Char('c')
            && event.modifiers.contains(KeyModifiers::CONTROL)
        {
            self.requests.quit = true;
            return true;
        }
        let key_event = Event::Key(event);
        if self.form.is_some() {
            self.offer(Target::Form, key_event);
            return true;
        }
        if self.activity.is_some() {
            self.offer(Target::Activity, key_event);
            self.keep_draft(self.activity.is_some());
            return true;
        }
        if self.file_form.is_some() {
            self.offer(Target::FileForm, key_event);
            self.keep_draft(self.file_form.is_some());
            return true;
        }
        if self.roster.searching {
            self.offer(Target::Pane(Pane::Roster), key_event);
            return true;
        }
        if self.overlay.is_some() {
            self.offer(Target::Overlay, key_event);
            return true;
        }
        let key = Key::from_event(&event);
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

    /// The key that answers "continue or discard the restored draft?": Enter continues,
    /// Esc discards, Ctrl-C quits (the draft kept); any other key only says which to press.
    fn answer_draft(&mut self, event: KeyEvent, typing: bool) {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        match event.code {
            KeyCode::Char('c') if ctrl => self.requests.quit = true,
            KeyCode::Enter => {
                self.draft_waiting = false;
                self.set_status(self.text.get("draft.continued").to_string(), false);
            }
            KeyCode::Esc => {
                self.draft_waiting = false;
                self.form = None;
                self.file_form = None;
                self.activity = None;
                self.requests.clear = true;
                self.drop_draft();
                self.set_status(self.text.get("draft.discarded").to_string(), false);
            }
            _ if !typing => self.draft_waiting = false,
            _ => self.set_status(self.text.get("draft.waiting").to_string(), true),
        }
    }

    /// Text pasted into the terminal (bracketed paste): typed into an open text box.
    pub fn handle_paste(&mut self, text: &str) -> bool {
        if self.draft_waiting {
            return false;
        }
        let target = if self.file_form.is_some() {
            Target::FileForm
        } else if self.activity.is_some() {
            Target::Activity
        } else if self.form.is_some() {
            Target::Form
        } else if self.roster.searching {
            Target::Pane(Pane::Roster)
        } else if self.overlay.is_some() {
            Target::Overlay
        } else {
            return false;
        };
        self.offer(target, Event::Paste(text)) == EventState::Consumed
    }

    /// Carries out one action.
    pub fn update(&mut self, action: Action) {
        // The report's actions need the summary drafted (from the palette, before the pane
        // was ever shown).
        let report_action = matches!(
            action,
            Action::ReportPrevTerm
                | Action::ReportNextTerm
                | Action::ExportDocx
                | Action::ExportMarkdown
        );
        if report_action && (self.report.chosen.is_none() || self.report.stale) {
            with_ctx!(self, |ctx| self.report.load(ctx));
        }
        self.apply(action);
        // Side by side, the file shown is always the one the keys act on: the focused list's
        // (after a pane switch too, not only after a move).
        self.preview();
        // The work summary is drafted when its pane is first shown (not at start-up).
        if self.focus == Pane::Report && (self.report.chosen.is_none() || self.report.stale) {
            with_ctx!(self, |ctx| self.report.load(ctx));
        }
    }

    /// Opens again the form a session left unsaved when the terminal died: the log form, a
    /// file form or an activity, as it was.
    pub fn restore_draft(&mut self) -> bool {
        let Some(path) = self.draft_path.clone() else {
            return false;
        };
        let Some(saved) = draft::read(&path) else {
            return false;
        };
        let opened = with_ctx!(self, |ctx| saved.restore(|| forms::activity::open(ctx)));
        self.open(opened);
        self.draft_waiting = true;
        self.set_status(self.text.get("form.restored").to_string(), false);
        true
    }

    /// The actions the palette offers for `input`, best first, with their descriptions.
    pub fn palette_items(&self, input: &str) -> Vec<(Action, String, String)> {
        super::popups::palette::items(
            &self.keymap,
            &self.data,
            self.lang(),
            self.focus.layer(),
            input,
        )
    }

    /// The id of the child under the roster's cursor.
    pub fn selected_roster_child(&self) -> Option<ChildId> {
        self.roster.selected(&self.data)
    }

    /// The id of the child under the queue's cursor.
    pub fn selected_queue_child(&self) -> Option<ChildId> {
        self.queue.selected_child(&self.data)
    }

    /// The child a queue line is about.
    pub fn item_child(&self, item: QueueItem) -> Option<ChildId> {
        item.child(&self.data)
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

    /// Whether the user may read the audit log.
    pub fn is_admin(&self) -> bool {
        self.data.is_admin()
    }

    /// Whether the action is this user's to run (the help, the hints and the palette show
    /// only those): the audit log is for administrators.
    pub fn may_run(&self, action: Action) -> bool {
        self.data.may_run(action)
    }

    /// The panes this user has, in Tab order: the audit log is for administrators.
    pub fn panes(&self) -> Vec<Pane> {
        Pane::ALL
            .into_iter()
            .filter(|p| *p != Pane::Audit || self.is_admin())
            .collect()
    }
}

/// The dispatch's insides: offering events, carrying out effects, reloading, drafts.
impl App {
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
        // Built again when next searched (refilter does it for a live query).
        self.roster.forget_search();
        self.roster.refilter(&self.data);
        if let Some(id) = selected_child
            && let Some(i) = self
                .roster
                .rows
                .iter()
                .position(|&r| self.data.roster[r].child.id == id)
        {
            self.roster.pos.selected = i;
        }
        self.queue.rebuild(&self.data, &self.rules, self.today());
        if let Some(id) = self.child.id {
            with_ctx!(self, |ctx| self.child.load(id, ctx));
        }
        // A reload can move the lists under their cursors: the file shown follows.
        self.preview();
        if self.audit.entries.is_some() {
            with_ctx!(self, |ctx| self.audit.load(ctx));
        }
        if self.report.chosen.is_some() {
            // Drafting takes a moment at a county's size: now if it is on screen, else when
            // it is next shown.
            if self.focus == Pane::Report {
                with_ctx!(self, |ctx| self.report.load(ctx));
            } else {
                self.report.stale = true;
            }
        }
        Ok(())
    }

    fn show_error(&mut self, e: &ServiceError) {
        let text = super::component::error_text(&self.text, e);
        self.set_status(text, true);
    }

    fn set_status(&mut self, text: String, error: bool) {
        self.status = Some(Status { text, error });
    }

    /// Carries out what a controller asked for, in order.
    fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Status { text, error } => self.set_status(text, error),
                Effect::AfterChange => self.after_change(),
                Effect::Close => {
                    self.form = None;
                    self.file_form = None;
                    self.activity = None;
                    self.overlay = None;
                    self.requests.clear = true;
                }
                Effect::Open(opened) => self.open(opened),
                Effect::OpenChild { id, from } => self.open_child(id, from),
                Effect::Preview => self.preview(),
                Effect::Run(action) => {
                    // Chosen in the palette: an action of another pane runs there.
                    let layer = self.focus.layer();
                    if !action.layers().contains(&layer)
                        && !action.layers().contains(&crate::tui::action::Layer::Global)
                        && let Some(pane) = self
                            .panes()
                            .into_iter()
                            .find(|p| action.layers().contains(&p.layer()))
                    {
                        self.focus = pane;
                    }
                    self.update(action)
                }
                Effect::SaveDraft => self.save_draft(),
                Effect::DropDraft => self.drop_draft(),
            }
        }
    }

    fn open(&mut self, opened: Opened) {
        match opened {
            Opened::Log(form) => self.form = Some(*form),
            Opened::File(form) => self.file_form = Some(form),
            Opened::Activity(form) => self.activity = Some((*form, false)),
            Opened::Overlay(overlay) => self.overlay = Some(overlay),
        }
    }

    /// Offers an event to one controller; its effects are carried out before this returns.
    fn offer(&mut self, target: Target, event: Event<'_>) -> EventState {
        with_ctx!(self, |ctx| {
            let state = match target {
                Target::Form => self.form.as_mut().map(|c| c.handle(event, ctx)),
                Target::FileForm => self.file_form.as_mut().map(|c| c.handle(event, ctx)),
                Target::Activity => self.activity.as_mut().map(|c| c.handle(event, ctx)),
                Target::Overlay => self.overlay.as_mut().map(|c| c.handle(event, ctx)),
                Target::Pane(Pane::Roster) => Some(self.roster.handle(event, ctx)),
                Target::Pane(Pane::Child) => Some(self.child.handle(event, ctx)),
                Target::Pane(Pane::Queue) => Some(self.queue.handle(event, ctx)),
                Target::Pane(Pane::Report) => Some(self.report.handle(event, ctx)),
                Target::Pane(Pane::Audit) => Some(self.audit.handle(event, ctx)),
            };
            state.unwrap_or(EventState::NotConsumed)
        })
    }

    fn open_child(&mut self, id: ChildId, from: Pane) {
        with_ctx!(self, |ctx| self.child.show(id, from, ctx));
        self.focus = Pane::Child;
    }

    /// After a key in the file or activity form: kept on disk while open, gone once saved
    /// or cancelled.
    fn keep_draft(&mut self, open: bool) {
        if open {
            self.save_draft();
        } else if self.form.is_none() && self.file_form.is_none() && self.activity.is_none() {
            self.drop_draft();
        }
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Quit => self.requests.quit = true,
            Action::Suspend => self.requests.suspend = true,
            Action::Redraw => self.requests.clear = true,
            Action::Search => {
                self.focus = Pane::Roster;
                self.roster.start_search(&self.data);
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
                    self.apply(Action::Open);
                }
                self.focus = Pane::Child;
            }
            Action::PaneQueue => self.focus = Pane::Queue,
            Action::PaneReport => self.focus = Pane::Report,
            Action::PaneAudit => self.show_audit(),
            Action::Undo => self.undo(),
            _ => {
                // The pane whose state the action is about, else the focused one; then the
                // forms and the overlays it may open.
                let owner = match action {
                    Action::FilterMine
                    | Action::FilterClassNext
                    | Action::FilterClassPrev
                    | Action::FilterKeySupport
                    | Action::FilterOverdue
                    | Action::FilterArchived
                    | Action::FilterClear => Pane::Roster,
                    Action::QueueGrouping
                    | Action::QueueMineOnly
                    | Action::LogDuty
                    | Action::TaskDone
                    | Action::TaskSnooze
                    | Action::TaskReassign
                    | Action::TaskVoid => Pane::Queue,
                    Action::ReportPrevTerm
                    | Action::ReportNextTerm
                    | Action::ExportDocx
                    | Action::ExportMarkdown => Pane::Report,
                    Action::AuditChildOnly => Pane::Audit,
                    Action::RestoreChild => Pane::Child,
                    _ => self.focus,
                };
                if self.offer(Target::Pane(owner), Event::Action(action)) == EventState::Consumed {
                    return;
                }
                with_ctx!(self, |ctx| {
                    if forms::open(action, ctx) == EventState::NotConsumed {
                        super::popups::open(action, ctx);
                    }
                });
            }
        }
    }

    /// Keeps what the open form holds on disk (readable by the user only) until it is saved.
    fn save_draft(&self) {
        let Some(path) = &self.draft_path else { return };
        let activity = self.activity.as_ref().map(|(form, _)| form);
        if let Some(saved) =
            draft::SavedForm::of(self.form.as_ref(), self.file_form.as_ref(), activity)
        {
            draft::save(path, &saved);
        }
    }

    fn drop_draft(&self) {
        if let Some(path) = &self.draft_path {
            draft::remove(path);
        }
    }

    /// Shows what undo would take back and asks first (y undoes, n keeps it).
    fn undo(&mut self) {
        match self.service.undo_preview() {
            Ok(Some(preview)) => {
                let lang = self.lang();
                let mut what = self
                    .text
                    .get(&format!("audit.cmd.{}", preview.command))
                    .to_string();
                if let Some(child) = &preview.child {
                    what.push_str(&format!(" · {child}"));
                }
                if let Some((kind, date)) = preview.entry {
                    what.push_str(&format!(" · {} {date}", lang.pick(kind.zh(), kind.en())));
                }
                let what = self.text.fmt("undo.what", &[("what", &what)]);
                self.overlay = Some(Overlay::ConfirmUndo { what });
            }
            // Nothing to take back is no error: said plainly.
            Ok(None) => {
                let text = crate::service::ServiceError::NothingToUndo.message(self.lang());
                self.set_status(text, false);
            }
            Err(e) => self.show_error(&e),
        }
    }

    fn show_audit(&mut self) {
        if !self.is_admin() {
            self.set_status(self.text.get("audit.admins_only").to_string(), true);
            return;
        }
        self.focus = Pane::Audit;
        with_ctx!(self, |ctx| self.audit.load(ctx));
    }

    fn back(&mut self) {
        if self.overlay.take().is_some() {
            self.requests.clear = true;
        } else if self.focus == Pane::Roster && !self.roster.query.is_empty() {
            self.roster.query.clear();
            self.roster.refilter(&self.data);
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
            let from = self.focus;
            with_ctx!(self, |ctx| self.child.show(id, from, ctx));
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
