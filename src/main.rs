//! The `guanai` binary: parses the command line and hands over to `guanai::cli`.
//! It owns the exit status and nothing else, and turns redb's panic on a damaged page into a
//! message naming the file and the way out (`guanai restore BACKUP`) instead of a crash.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Mutex;

use clap::Parser;

/// What redb said when it panicked on a damaged file (its own report is not printed).
static DAMAGE: Mutex<Option<String>> = Mutex::new(None);

/// Panics inside redb are a damaged file, kept for the message; any other panic is a bug and
/// reported as usual.
fn install_damage_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_redb = info
            .location()
            .is_some_and(|l| l.file().contains("/redb-") || l.file().starts_with("redb"));
        if in_redb {
            let message = info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| String::from("damaged pages"));
            if let Ok(mut d) = DAMAGE.lock() {
                *d = Some(message);
            }
        } else {
            default(info);
        }
    }));
}

/// Messages quote what the user or a file gave: escaped before they reach the terminal.
fn escape(message: &str) -> std::borrow::Cow<'_, str> {
    guanai::cli::output::escape_for_terminal(message)
}

fn main() -> ExitCode {
    // `guanai help --help` (or `help log -h`) asks for help, not about a command "--help".
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let is_help = |a: &std::ffi::OsString| a == "--help" || a == "-h";
    // The subcommand: the first word that is neither an option nor a global option's value.
    let with_value = ["--db", "--today", "--user", "--lang"];
    let mut i = 1;
    while i < args.len() && args[i].to_string_lossy().starts_with('-') {
        i += if with_value.iter().any(|o| args[i] == *o) {
            2
        } else {
            1
        };
    }
    if args.get(i).is_some_and(|a| a == "help") && args.iter().skip(i + 1).any(is_help) {
        args.remove(i);
        args.retain(|a| !is_help(a));
        args.push("--help".into());
    }
    let cli = match guanai::cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            let args: Vec<String> = std::env::args().collect();
            let lang = guanai::cli::lang_of_args(&args);
            eprintln!(
                "guanai: {}",
                escape(&guanai::cli::clap_error_message(&e, lang))
            );
            return ExitCode::from(2);
        }
    };
    let lang = cli.lang;
    let db = guanai::cli::db_path(&cli);
    install_damage_hook();
    let stdout = std::io::stdout();
    // What goes to a terminal is escaped: no record may drive a colleague's terminal. (Piped
    // output, a .docx among it, goes as it is.)
    let mut out: Box<dyn Write> = if std::io::IsTerminal::is_terminal(&stdout) {
        Box::new(guanai::cli::output::TerminalSafe::new(
            std::io::BufWriter::new(stdout.lock()),
        ))
    } else {
        Box::new(std::io::BufWriter::new(stdout.lock()))
    };
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        guanai::cli::run(cli, &mut out).and_then(|()| Ok(out.flush()?))
    }));
    let result = match run {
        Ok(result) => result,
        Err(_) => {
            let damage = DAMAGE.lock().ok().and_then(|mut d| d.take());
            match (damage, db) {
                (Some(reason), Some(db)) => {
                    let e = guanai::service::ServiceError::damaged(&db, &reason);
                    eprintln!("guanai: {}", escape(&e.message(lang)));
                    return ExitCode::from(2);
                }
                // A bug: the default report was printed.
                _ => return ExitCode::from(101),
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = e.exit_code();
            if code != 0 {
                let _ = out.flush();
                // An identity number quoted in a message is masked: stderr may go to a log.
                let message = e.message(lang);
                eprintln!("guanai: {}", escape(&guanai::domain::mask_ids_in(&message)));
            }
            ExitCode::from(code)
        }
    }
}
