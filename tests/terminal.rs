//! guanai in a real terminal (tmux): start on a fixture database, search `zxz`, open the child,
//! suspend with Ctrl-Z and come back, quit, and check after each step that the terminal was
//! given back: raw mode off (the shell's `stty` reads cooked mode), main screen, no mouse
//! capture, cursor shown, bracketed paste off. Needs tmux (.ci/run installs it); skipped
//! with a message elsewhere when tmux is missing.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("run tmux");
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "t"])
    }

    fn flag(&self, name: &str) -> String {
        self.run(&["display-message", "-p", "-t", "t", &format!("#{{{name}}}")])
            .trim()
            .to_string()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend(keys);
        self.run(&args);
    }

    /// Waits until `ready` holds (up to 30 s on a busy machine).
    fn wait(&self, what: &str, ready: impl Fn(&Tmux) -> bool) {
        let start = Instant::now();
        while !ready(self) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "timed out waiting for {what}; the screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn file(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_default()
}

#[test]
fn search_open_suspend_quit_and_the_terminal_is_restored() {
    if !tmux_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "tmux is required in CI (.ci/run installs it)"
        );
        eprintln!("skipped: tmux is not installed (apt-get install tmux)");
        return;
    }
    let s = school();
    let zxz = full_child("张小珠", "20240701", s.teacher);
    add_child(&s.service, zxz);
    let mut other = guanai::domain::NewChild::basic(
        "李明",
        guanai::domain::Gender::Male,
        day(2013, 1, 1),
        "七(2)班",
    );
    other.student_no = Some("20240705".into());
    add_child(&s.service, other);
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    std::fs::create_dir_all(dir.join("config")).unwrap();
    // Mouse capture on, so that giving it back is checked too.
    std::fs::write(dir.join("config/config.toml"), "mouse = true\n").unwrap();
    let script = format!(
        r#"set -m
export GUANAI_CONFIG='{dir}/config' GUANAI_STATE='{dir}/state'
unset GUANAI_DB NO_COLOR
stty -a > '{dir}/before.txt'
'{bin}' --db '{db}' --today 2026-11-29 --user 李老师
code=$?
if [ "$code" = 148 ]; then
  stty -a > '{dir}/suspended.txt'
  while [ ! -f '{dir}/resume' ]; do sleep 0.05; done
  fg %1 > /dev/null
  code=$?
fi
stty -a > '{dir}/after.txt'
echo "$code" > '{dir}/exit.txt'
IFS= read -r pasted
printf '%s' "$pasted" | od -c > '{dir}/pasted.txt'
sleep 3600
"#,
        dir = dir.display(),
        bin = env!("CARGO_BIN_EXE_guanai"),
        db = s.path().display(),
    );
    std::fs::write(dir.join("run.sh"), script).unwrap();
    drop(s.service);
    let tmux = Tmux {
        socket: format!("guanai-test-{}", std::process::id()),
    };
    let started = tmux.run(&[
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "80",
        "-y",
        "24",
        &format!(
            "env TERM=xterm-256color LANG=C.UTF-8 bash --norc --noprofile {}/run.sh",
            dir.display()
        ),
    ]);
    let _ = started;
    tmux.run(&["set-option", "-t", "t", "remain-on-exit", "on"]);

    tmux.wait("the first frame", |t| t.screen().contains("待办"));
    assert_eq!(
        tmux.flag("alternate_on"),
        "1",
        "the app draws on the alternate screen"
    );
    assert_eq!(
        tmux.flag("mouse_any_flag"),
        "1",
        "mouse = true captures the mouse"
    );

    tmux.keys(&["/"]);
    tmux.keys(&["-l", "zxz"]);
    tmux.wait("the search", |t| t.screen().contains("/ zxz"));
    tmux.keys(&["Enter"]);
    tmux.wait("the child's file", |t| {
        let s = t.screen();
        s.contains("张小珠") && s.contains("监护人") && s.contains("138 0000 0001")
    });
    // A paste goes into the search box (bracketed paste is on while the app runs).
    tmux.run(&["set-buffer", "-b", "p", "李明"]);
    tmux.keys(&["/"]);
    tmux.run(&["paste-buffer", "-p", "-b", "p", "-t", "t"]);
    tmux.wait("the pasted search", |t| t.screen().contains("/ 李明"));
    tmux.keys(&["Escape"]);
    // Esc and Ctrl-Z sent back to back can reach the app as one Alt-Ctrl-Z: wait for the
    // search box to close first.
    tmux.wait("the search closed", |t| !t.screen().contains("/ 李明"));

    // Ctrl-Z: the shell gets a normal terminal back; `fg` brings the app back.
    tmux.keys(&["C-z"]);
    // Whole: stty's last line ends with extproc.
    tmux.wait("the suspension", |_| {
        file(dir, "suspended.txt").contains("extproc")
    });
    let suspended = file(dir, "suspended.txt");
    assert!(
        suspended.contains(" icanon") && suspended.contains(" echo"),
        "{suspended}"
    );
    assert_eq!(tmux.flag("alternate_on"), "0");
    assert_eq!(tmux.flag("mouse_any_flag"), "0");
    std::fs::write(dir.join("resume"), "").unwrap();
    tmux.wait("the app again", |t| {
        t.flag("alternate_on") == "1" && t.screen().contains("名册")
    });

    // A resized window is laid out again: at 120 columns roster and file side by side.
    tmux.run(&["resize-window", "-t", "t", "-x", "120", "-y", "40"]);
    tmux.wait("the wide layout", |t| {
        // Under the tab bar, two boxes side by side.
        t.screen()
            .lines()
            .nth(1)
            .is_some_and(|l| l.contains("名册") && l.contains("┐┌"))
    });

    tmux.keys(&["q"]);
    tmux.wait("the exit", |_| !file(dir, "exit.txt").is_empty());
    assert_eq!(file(dir, "exit.txt").trim(), "0");
    let (before, after) = (file(dir, "before.txt"), file(dir, "after.txt"));
    assert!(
        after.contains(" icanon") && after.contains(" echo"),
        "raw mode is off: {after}"
    );
    // The first line holds the window size, which the test changed.
    let settings = |s: &str| s.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(
        settings(&before),
        settings(&after),
        "stty settings are as they were"
    );
    assert_eq!(tmux.flag("alternate_on"), "0", "back on the main screen");
    assert_eq!(tmux.flag("mouse_any_flag"), "0", "mouse capture is off");
    assert_eq!(tmux.flag("cursor_flag"), "1", "the cursor is shown");
    // Bracketed paste is off: a paste reaches the shell without ESC [200~ around it.
    tmux.run(&["set-buffer", "-b", "q", "pasted-text"]);
    tmux.run(&["paste-buffer", "-p", "-b", "q", "-t", "t"]);
    tmux.keys(&["Enter"]);
    tmux.wait("the paste in the shell", |_| {
        !file(dir, "pasted.txt").is_empty()
    });
    let pasted = file(dir, "pasted.txt");
    assert!(
        !pasted.contains("033") && pasted.contains("p   a   s   t"),
        "{pasted}"
    );
    // Diagnostics went to the log file, never to the screen.
    let log = file(dir, "state/guanai.log");
    assert!(log.contains("first frame"), "{log}");
    assert!(!log.contains("张小珠"), "no child's name in the log");
}

/// A crash gives the terminal back too, and its message is readable on the main screen.
/// Without config.toml the mouse is not captured.
#[test]
fn a_panic_restores_the_terminal() {
    if !tmux_available() {
        assert!(std::env::var_os("CI").is_none(), "tmux is required in CI");
        eprintln!("skipped: tmux is not installed (apt-get install tmux)");
        return;
    }
    let s = school();
    add_child(&s.service, full_child("张小珠", "20240701", s.teacher));
    let work = tempfile::tempdir().unwrap();
    let dir = work.path();
    let script = format!(
        r#"export GUANAI_CONFIG='{dir}/none' GUANAI_STATE='{dir}/state'
stty -a > '{dir}/before.txt'
GUANAI_EXIT_AFTER_FIRST_FRAME=panic '{bin}' --db '{db}' --today 2026-11-29 --user 李老师 2> '{dir}/stderr.txt'
code=$?
stty -a > '{dir}/after.txt'
echo "$code" > '{dir}/exit.txt'
sleep 3600
"#,
        dir = dir.display(),
        bin = env!("CARGO_BIN_EXE_guanai"),
        db = s.path().display(),
    );
    std::fs::write(dir.join("run.sh"), script).unwrap();
    drop(s.service);
    let tmux = Tmux {
        socket: format!("guanai-panic-{}", std::process::id()),
    };
    tmux.run(&[
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-s",
        "t",
        "-x",
        "80",
        "-y",
        "24",
        &format!(
            "env TERM=xterm-256color LANG=C.UTF-8 bash --norc --noprofile {}/run.sh",
            dir.display()
        ),
    ]);
    tmux.wait("the crash", |_| !file(dir, "exit.txt").is_empty());
    assert_ne!(file(dir, "exit.txt").trim(), "0");
    // The first line holds the window size (tmux may settle it after the start).
    let settings = |s: &str| s.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(
        settings(&file(dir, "before.txt")),
        settings(&file(dir, "after.txt")),
        "raw mode is off"
    );
    assert_eq!(tmux.flag("alternate_on"), "0");
    assert_eq!(tmux.flag("mouse_any_flag"), "0");
    assert_eq!(tmux.flag("cursor_flag"), "1");
    let stderr = file(dir, "stderr.txt");
    assert!(stderr.contains("a deliberate crash"), "{stderr}");
    assert!(
        !stderr.contains("\x1b[?1049h"),
        "the message comes after the screen is restored"
    );
}
