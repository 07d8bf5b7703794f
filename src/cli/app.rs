//! Starting the terminal UI (`guanai`, `guanai --demo`) and `guanai keys check`: reads
//! config.toml, the keymap and the rules, refusing a broken file with its mistakes before
//! the terminal is touched. Without a terminal (a pipe, a script) the roster is printed
//! instead.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{CliError, Context, Format, Result};
use crate::i18n::Lang;
use crate::service::Service;
use crate::tui::app::App;
use crate::tui::config::Config;
use crate::tui::keymap::{Keymap, KeymapError};
use crate::tui::theme::Theme;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum KeysCmd {
    /// Check a keymap file: unknown actions or keys (with file and line and what is accepted)
    /// and clashes (both actions named). Example: guanai keys check ~/.config/guanai/keymap.toml
    Check { file: PathBuf },
}

fn keymap_error(errors: &[KeymapError], lang: Lang) -> CliError {
    let head = lang.pick(
        "键位文件有误 (逐条列出, 格式 文件:行: 问题):",
        "the keymap has mistakes (file:line: problem):",
    );
    let lines: Vec<String> = errors.iter().map(|e| e.message(lang)).collect();
    CliError::Input(format!("{head}\n{}", lines.join("\n")))
}

fn read(path: &Path, lang: Lang) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        CliError::Input(format!(
            "{}: {} ({e})",
            path.display(),
            lang.pick("无法读取文件", "cannot read the file")
        ))
    })
}

/// The keymap in force: the defaults with the user's keymap.toml, if any, on top.
pub fn load_keymap(lang: Lang) -> Result<Keymap> {
    let user = super::config_dir().map(|d| d.join("keymap.toml"));
    let result = match user {
        Some(path) if path.exists() => {
            Keymap::with_user(&read(&path, lang)?, &path.display().to_string())
        }
        _ => Keymap::defaults(),
    };
    result.map_err(|e| keymap_error(&e, lang))
}

/// config.toml from the config directory (defaults when there is none).
pub fn load_config(lang: Lang) -> Result<Config> {
    match super::config_dir().map(|d| d.join("config.toml")) {
        Some(path) if path.exists() => {
            Config::parse(&read(&path, lang)?, &path.display().to_string(), lang)
                .map_err(CliError::Input)
        }
        _ => Ok(Config::default()),
    }
}

pub fn run_keys(cmd: KeysCmd, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    match cmd {
        KeysCmd::Check { file } => {
            let text = read(&file, ctx.lang)?;
            Keymap::with_user(&text, &file.display().to_string())
                .map_err(|e| keymap_error(&e, ctx.lang))?;
            writeln!(
                out,
                "{}: {}",
                file.display(),
                ctx.lang.pick("键位文件没有问题", "the keymap is fine")
            )?;
            Ok(())
        }
    }
}

/// Whether `--lang` was given on the command line (it then wins over config.toml).
fn lang_given() -> bool {
    std::env::args_os().any(|a| {
        let a = a.to_string_lossy();
        a == "--lang" || a.starts_with("--lang=")
    })
}

/// Whether there is a terminal to draw on (stdin and stdout both).
pub fn is_interactive() -> bool {
    std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}

/// What the app needs besides the database, read and checked before anything is opened.
pub struct AppSetup {
    /// The demo school: the app says so on the screen.
    pub demo: bool,
    lang: Lang,
    keymap: Keymap,
    rules: crate::followup::Rules,
    mouse: bool,
}

impl AppSetup {
    /// Reads config.toml, the keymap and the rules; a broken file stops here (exit 2).
    pub fn load(ctx: &Context) -> Result<AppSetup> {
        let config = load_config(ctx.lang)?;
        let lang = if lang_given() {
            ctx.lang
        } else {
            config.lang.unwrap_or(ctx.lang)
        };
        let keymap = load_keymap(lang)?;
        let (rules, _) = super::overdue::load_rules(lang)?;
        Ok(AppSetup {
            demo: false,
            lang,
            keymap,
            rules,
            mouse: config.mouse,
        })
    }
}

/// Opens the app on `service`, or prints the roster when there is no terminal to draw on.
pub fn run_app(
    setup: AppSetup,
    service: Service,
    ctx: &Context,
    out: &mut dyn Write,
) -> Result<()> {
    let AppSetup {
        demo: setup_demo,
        lang,
        keymap,
        rules,
        mouse,
    } = setup;
    if !is_interactive() {
        let ctx = Context {
            lang,
            today: ctx.today,
            today_given: ctx.today_given,
            counsel_group: ctx.counsel_group.clone(),
            db: ctx.db.clone(),
            identity: ctx.identity.clone(),
        };
        return super::child::print_roster(&service, &ctx, Format::Table, false, out);
    }
    let mut app = App::new(service, rules, lang, keymap, Theme::from_env())?;
    app.demo = setup_demo;
    // A log form the terminal took down with it opens again (the demo keeps none).
    if !setup_demo {
        // One draft per database and staff member: a form never opens on another school's
        // file, nor for another teacher sharing the Unix account (--user).
        let db = std::fs::canonicalize(&ctx.db).unwrap_or_else(|_| ctx.db.clone());
        let staff = app.data.me.as_ref().map_or(0, |s| s.id.0);
        app.draft_path = crate::tui::state_dir().map(|d| d.join(draft_name(&db, staff)));
        app.restore_draft();
    }
    out.flush()?;
    crate::tui::run(app, mouse)?;
    Ok(())
}

/// The draft's file name for a database and a staff member. FNV-1a over the path's bytes:
/// stable from one build of guanai to the next (std's hasher is not promised to be).
pub fn draft_name(db: &Path, staff: u64) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in db.as_os_str().as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("draft-{hash:016x}-{staff}.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_per_database_and_staff_member_and_stable() {
        let a = draft_name(Path::new("/srv/guanai/school.redb"), 3);
        assert_eq!(a, draft_name(Path::new("/srv/guanai/school.redb"), 3));
        assert_ne!(a, draft_name(Path::new("/srv/guanai/school.redb"), 4));
        assert_ne!(a, draft_name(Path::new("/srv/other.redb"), 3));
        // Fixed across builds: the FNV-1a of the path.
        assert_eq!(
            draft_name(Path::new(""), 0),
            "draft-cbf29ce484222325-0.json"
        );
    }
}
