//! The terminal UI: `guanai` with no subcommand. This module owns the terminal: it sets it
//! up, gives it back on every way out (quit, error, panic, Ctrl-Z), turns terminal events
//! into calls on the [`App`](app::App) and redraws only when something changed. Diagnostics
//! go to a log file, never to the screen.

pub mod action;
pub mod app;
pub mod backend;
pub mod component;
pub mod config;
pub mod data;
pub mod forms;
pub mod input;
pub mod keymap;
pub mod panes;
pub mod popups;
pub mod text;
pub mod theme;
pub mod ui;
pub mod widgets;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, MouseEventKind,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use app::App;

/// How often the app looks for changes made by another guanai (the issue asks ≤ 2 s).
pub const CHANGE_POLL: Duration = Duration::from_millis(1000);

/// Leaves the terminal as it was found: raw mode off, main screen, no mouse capture, no
/// bracketed paste, cursor shown. Safe to call more than once.
pub fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        Show
    );
}

fn enter_terminal(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    if mouse {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    Ok(())
}

/// Restores the terminal when dropped: on quit, on an error returned through `?`, and while
/// unwinding from a panic.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Restores the terminal before the default panic message is printed, so that it is readable.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}

/// Where the log file lives: `GUANAI_STATE` if set, else the platform's state directory
/// (`~/.local/state/guanai`), else the data directory.
pub fn state_dir() -> Option<PathBuf> {
    match std::env::var_os("GUANAI_STATE") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("", "", "guanai").map(|d| {
            d.state_dir()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| d.data_local_dir().to_path_buf())
        }),
    }
}

/// Sends tracing output to `guanai.log` in the state directory (created 0600). Nothing is
/// logged if the directory cannot be made: the app does not fail for want of a log.
fn init_log() {
    use std::os::unix::fs::OpenOptionsExt;
    let Some(dir) = state_dir() else { return };
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(dir.join("guanai.log"));
    if let Ok(file) = file {
        let _ = tracing_subscriber::fmt()
            .with_writer(std::sync::Mutex::new(file))
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .try_init();
    }
}

/// Runs the app until the user quits. The terminal is restored however this returns.
pub fn run(mut app: App, mouse: bool) -> io::Result<()> {
    init_log();
    tracing::info!(
        children = app.data.roster.len(),
        queue = app.data.queue.rows.len(),
        "app started"
    );
    install_panic_hook();
    // The guard first: a set-up that fails half-way is undone too.
    let _guard = TerminalGuard;
    enter_terminal(mouse)?;
    let mut terminal = Terminal::new(backend::AppBackend::new(io::stdout()))?;
    terminal.clear()?;
    let result = event_loop(&mut terminal, &mut app, mouse);
    if let Err(e) = &result {
        tracing::error!(error = %e, "terminal error");
    }
    tracing::info!("app stopped");
    // Quitting: the lists of the whole school go with the process (the service and its
    // database are closed properly when `app` is dropped).
    app.data.leave_to_exit();
    app.roster.leave_to_exit();
    result
}

fn event_loop(
    terminal: &mut Terminal<backend::AppBackend>,
    app: &mut App,
    mouse: bool,
) -> io::Result<()> {
    let started = Instant::now();
    terminal.draw(|f| ui::draw(app, f))?;
    tracing::info!(ms = started.elapsed().as_millis() as u64, "first frame");
    // For the start-up benchmark ("1": quit; "search:张": the search box opened and the text
    // typed, the answer drawn, then quit) and the terminal test ("panic": crash).
    let exit_after = std::env::var("GUANAI_EXIT_AFTER_FIRST_FRAME").ok();
    let first_search = exit_after
        .as_deref()
        .and_then(|v| v.strip_prefix("search:"))
        .map(str::to_string);
    match exit_after.as_deref() {
        Some("panic") => panic!("GUANAI_EXIT_AFTER_FIRST_FRAME=panic: a deliberate crash"),
        Some(_) if first_search.is_none() => return Ok(()),
        _ => {}
    }
    // The search keys are built after the first frame, so start-up does not wait for them.
    app.prepare_search();
    if app.after_draw() {
        terminal.draw(|f| ui::draw(app, f))?;
    }
    if let Some(text) = first_search {
        for c in std::iter::once('/').chain(text.chars()) {
            app.handle_key(event::KeyEvent::new(
                event::KeyCode::Char(c),
                event::KeyModifiers::NONE,
            ));
        }
        terminal.draw(|f| ui::draw(app, f))?;
        return Ok(());
    }
    let mut last_poll = Instant::now();
    loop {
        let mut dirty = false;
        let timeout = CHANGE_POLL.saturating_sub(last_poll.elapsed());
        if event::poll(timeout)? {
            // Handle everything already waiting before drawing once (a paste, fast typing).
            loop {
                dirty |= match event::read()? {
                    Event::Key(key) => app.handle_key(key),
                    Event::Paste(text) => app.handle_paste(&text),
                    Event::Resize(_, _) => true,
                    // The wheel scrolls the lists, not what lies under a form or an overlay.
                    Event::Mouse(m)
                        if mouse
                            && app.form.is_none()
                            && app.file_form.is_none()
                            && app.activity.is_none()
                            && app.overlay.is_none() =>
                    {
                        match m.kind {
                            MouseEventKind::ScrollDown => {
                                app.update(action::Action::Down);
                                true
                            }
                            MouseEventKind::ScrollUp => {
                                app.update(action::Action::Up);
                                true
                            }
                            _ => false,
                        }
                    }
                    _ => false,
                };
                if !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if last_poll.elapsed() >= CHANGE_POLL {
            last_poll = Instant::now();
            dirty |= app.poll_changes();
        }
        let requests = std::mem::take(&mut app.requests);
        if requests.quit {
            return Ok(());
        }
        if requests.suspend {
            suspend(terminal, mouse)?;
            dirty = true;
        }
        if requests.clear {
            terminal.clear()?;
            dirty = true;
        }
        if dirty {
            terminal.draw(|f| ui::draw(app, f))?;
            if app.after_draw() {
                terminal.draw(|f| ui::draw(app, f))?;
            }
        }
    }
}

/// Ctrl-Z: give the terminal back, stop until the shell's `fg`, then take it again.
fn suspend(terminal: &mut Terminal<backend::AppBackend>, mouse: bool) -> io::Result<()> {
    restore_terminal();
    let _ = io::stdout().flush();
    let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGTSTP);
    enter_terminal(mouse)?;
    terminal.clear()
}
