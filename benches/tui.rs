//! Start-up of the terminal UI to its first frame, as a whole process in a real pseudo
//! terminal (`script`), on a demo school of 10,000 children and about 500,000 events.
//! `GUANAI_EXIT_AFTER_FIRST_FRAME` makes the app quit once the first frame is drawn, so the
//! time covers: process start, config and keymap, opening the database, the roster and the
//! overdue queue, raw mode and the alternate screen, the first draw, and giving the terminal
//! back. Also timed: `script` running `stty` and `true`, the cost of the pseudo terminal alone;
//! and the start to a search's first keystroke answered (`GUANAI_EXIT_AFTER_FIRST_FRAME=
//! search:刘`: the first frame, the search keys, `/` and 刘 typed, the hits drawn).
//!
//! `cargo bench --bench tui` (GUANAI_BENCH_CHILDREN, GUANAI_BENCH_RUNS). Target: < 100 ms.

mod support;

use std::process::Command;

use support::*;

fn in_pty(command: &str) -> Command {
    in_pty_until(command, "1")
}

fn in_pty_until(command: &str, exit_after: &str) -> Command {
    // A pseudo terminal made by `script` has no size until it is given one.
    let command = format!("stty cols 120 rows 40; {command}");
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &command, "/dev/null"])
        .env("TERM", "xterm-256color")
        .env("COLUMNS", "120")
        .env("LINES", "40")
        .env("GUANAI_EXIT_AFTER_FIRST_FRAME", exit_after)
        .env("GUANAI_STATE", bench_dir().join("state"))
        .env("GUANAI_CONFIG", bench_dir().join("no-config"))
        .env_remove("GUANAI_DB");
    cmd
}

fn main() {
    let children: u32 = env_or("GUANAI_BENCH_CHILDREN", 10_000);
    let runs: usize = env_or("GUANAI_BENCH_RUNS", 20);
    let (db, generated) = demo_db(children, 3);
    if let Some(took) = generated {
        report(&format!("demo --children {children}"), vec![took]);
    }
    println!(
        "database: {} ({} children, {} events)",
        db.display(),
        children,
        event_count(&db)
    );
    let bin = env!("CARGO_BIN_EXE_guanai");
    let app = format!(
        "'{bin}' --db '{}' --today 2026-11-29 --lang zh",
        db.display()
    );
    let frame = in_pty(&app).output().expect("run in a pty");
    let shown = String::from_utf8_lossy(&frame.stdout);
    assert!(
        shown.contains(&format!("({children} 人")) && shown.contains("逾"),
        "the first frame was not drawn: {shown}"
    );
    measure("script + stty (the pty alone)", runs, || in_pty("true"));
    measure("guanai: start to first frame, in a pty", runs, || {
        in_pty(&app)
    });
    measure(
        "guanai: start to a search's first keystroke answered, in a pty",
        runs,
        || in_pty_until(&app, "search:刘"),
    );
}
