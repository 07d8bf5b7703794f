//! The command line: clap definitions, one file per subcommand, and the plumbing they share
//! (opening the service with the global options, output formats, error → exit status).
//!
//! Subcommands only parse what the user typed into domain values and call the service; they
//! never touch the store. Errors are returned, not printed, so `main` decides the exit status:
//! 2 for bad input (with a message naming the field, the value and what is accepted), 1 for a
//! failure of the file or the system.

mod app;
mod audit;
mod calendar;
mod child;
mod database;
mod demo;
mod event;
mod group;
mod import;
mod import_report;
mod log;
pub mod output;
mod overdue;
mod place;
mod print;
pub mod report;
mod staff;
mod transfer;

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};

use crate::domain::{ParseError, parse_date};
use crate::i18n::Lang;
use crate::service::{Field, Identity, Service, ServiceError};

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{}", .0.message(Lang::En))]
    Service(#[from] ServiceError),
    /// Bad input found before the service was asked (already in the user's language).
    #[error("{0}")]
    Input(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// Something went wrong that is not the input's fault (exit status 1).
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Service(e) if !e.is_bad_input() => 1,
            CliError::Service(_) | CliError::Input(_) => 2,
            // A closed pipe (`guanai child list | head`) is not a failure.
            CliError::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
            CliError::Io(_) | CliError::Failed(_) => 1,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            CliError::Service(e) => e.message(lang),
            CliError::Input(m) | CliError::Failed(m) => m.clone(),
            CliError::Io(e) => format!("{}: {e}", lang.pick("输入输出错误", "I/O error")),
        }
    }
}

pub use demo::populate as demo_populate;

pub type Result<T, E = CliError> = std::result::Result<T, E>;

const AFTER_HELP: &str = "\
Examples:
  guanai --demo                                  try it on a demo school (temporary, touches no real data)
  guanai staff add 王丽华 --role admin --unix-user wanglh
  guanai child add --name 张小珠 --gender f --birth 2014-05-03 --class 七(2)班 --student-no 20240701
  guanai log talk --child 张小珠 --by 王丽华 --note \"期中考试后情绪低落, 已鼓励\"
  guanai timeline 张小珠";

/// guanai (关爱): one care file per left-behind child, the timeline of talks, home visits and
/// calls, and what is overdue.
#[derive(Debug, Parser)]
#[command(name = "guanai", version, after_help = AFTER_HELP, args_override_self = true)]
pub struct Cli {
    /// The database file. Default: guanai.redb in your data directory (created on first use).
    /// Example: --db /srv/guanai/school.redb
    #[arg(long, global = true, env = "GUANAI_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The day every command takes as today, for "as of" views and tests. Example: --today 2026-11-29
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,

    /// Language of messages and output.
    #[arg(long, global = true, value_enum, default_value_t = Lang::Zh)]
    pub lang: Lang,

    /// Act as this staff member (default: the one whose Unix user runs guanai). Example: --user 王丽华
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,

    /// Open the app on a fresh demo school in a temporary directory (touches no real data).
    #[arg(long)]
    pub demo: bool,

    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Cmd {
    /// Staff: add teachers, counsellors and administrators; list them.
    #[command(subcommand)]
    Staff(staff::StaffCmd),
    /// Children's files: add, list, show, archive.
    #[command(subcommand)]
    Child(child::ChildCmd),
    /// Record what happened: a talk, home visit, call, ...
    Log(log::LogArgs),
    /// A child's events, newest first.
    Timeline(log::TimelineArgs),
    /// An entry already recorded: correct it, void it (作废), mark it as a typical case.
    #[command(subcommand)]
    Event(event::EventCmd),
    /// Group activities and trainings (家长学校): list them, correct one, void one.
    #[command(subcommand)]
    Activity(group::ActivityCmd),
    /// One-off tasks: list the open ones, correct one, void one.
    #[command(subcommand)]
    Task(group::TaskCmd),
    /// The paper forms an inspection asks for, as a Word file: 档案, 联系卡, 结对登记,
    /// 统计表, 家访记录表, 谈心记录表.
    Print(print::PrintArgs),
    /// What is overdue: whose talk, call, guardian contact or home visit is late, most urgent first.
    Overdue(overdue::OverdueArgs),
    /// The follow-up rules: show the rules in force, check a rules file.
    #[command(subcommand)]
    Rules(overdue::RulesCmd),
    /// The school calendar: terms and holidays (the duties follow it). Without a subcommand,
    /// show it.
    #[command(
        subcommand,
        subcommand_required = false,
        arg_required_else_help = false
    )]
    Calendar(calendar::CalendarChoice),
    /// Bring a roster in from Excel (.xlsx) or CSV (UTF-8 or GBK), or load a JSON dump.
    Import(import::ImportArgs),
    /// Write the roster, the events or everything as CSV, .xlsx or JSON.
    Export(transfer::ExportArgs),
    /// A consistent copy of the database, taken while others keep working.
    /// Example: guanai backup /srv/backup/guanai-2026-11-29.redb
    Backup {
        /// The copy to write. Example: backup.redb
        file: PathBuf,
        /// Overwrite FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Replace the database with a backup (the replaced one is kept beside it).
    /// Example: guanai restore backup.redb --force
    Restore {
        /// The backup to restore. Example: backup.redb (leave it out with --notes to restore
        /// only the counselling notes)
        file: Option<PathBuf>,
        /// Restore the counselling notes from this backup's notes file (counsellors).
        /// Example: --notes backup.notes.redb
        #[arg(long, value_name = "FILE")]
        notes: Option<PathBuf>,
        /// Replace an existing database.
        #[arg(long)]
        force: bool,
    },
    /// Check the database: redb's integrity check and the model's own; exit status 1 on
    /// any problem.
    Check {
        /// Remove counselling notes that belong to no session (left by an interrupted
        /// `log counseling`; counsellors).
        #[arg(long)]
        repair: bool,
    },
    /// The audit log (admins): who changed what, when, the values before and after.
    Audit(audit::AuditArgs),
    /// Fill a database with a deterministic synthetic school.
    Demo(demo::DemoArgs),
    /// The term work summary (工作总结) drafted from the records: Markdown, HTML, Word or JSON.
    Report(report::ReportArgs),
    /// The terms a report may be for (the names --term takes).
    Terms,
    /// Keymaps: check a keymap file before using it.
    #[command(subcommand)]
    Keys(app::KeysCmd),
    /// Print shell completions. Example: guanai completions bash > /etc/bash_completion.d/guanai
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

/// Output format of listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// Aligned columns for reading.
    #[default]
    Table,
    /// Tab-separated, one header line, for scripts and spreadsheets.
    Tsv,
    /// JSON, for programs.
    Json,
}

/// What every subcommand needs: the language, today, and how to open the database.
pub struct Context {
    pub lang: Lang,
    pub today: NaiveDate,
    /// `--today` was given (else `today` is the real date).
    pub today_given: bool,
    /// The counsellors' Unix group (the machine's configuration, else the usual name).
    pub counsel_group: String,
    pub db: PathBuf,
    pub identity: Identity,
}

impl Context {
    pub fn from_cli(cli: &Cli) -> Result<Context> {
        let lang = cli.lang;
        let real_today = chrono::Local::now().date_naive();
        let today = match &cli.today {
            None => real_today,
            Some(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .ok()
                .filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d)))
                .ok_or_else(|| {
                CliError::Input(match lang {
                    Lang::Zh => format!("--today: 不接受 \"{s}\"。应为 1900 到 2200 年间 YYYY-MM-DD 格式的日期, 如 2026-11-29"),
                    Lang::En => format!("--today: \"{s}\" is not accepted. Expected a date as YYYY-MM-DD between the years 1900 and 2200, e.g. 2026-11-29"),
                })
            })?,
        };
        let db = match &cli.db {
            Some(p) => p.clone(),
            None => place::default_db(lang)?,
        };
        // A database reached through a link is the file it names, for every process alike:
        // the lock beside it, a restore's swap and the notes file all go by that one path.
        let db = std::fs::canonicalize(&db).unwrap_or(db);
        // Who runs this is the real uid's account, and nothing else: an account the system
        // does not know is refused before anything is opened.
        let Some(account) = unix_user() else {
            let uid = nix::unistd::getuid();
            return Err(CliError::Input(match lang {
                Lang::Zh => format!(
                    "系统账号 uid {uid} 在本机没有用户记录 (/etc/passwd); guanai 按系统账号识别教师, 请用自己的账号登录"
                ),
                Lang::En => format!(
                    "the account uid {uid} has no entry in this machine's user database (/etc/passwd); guanai knows teachers by their accounts: log in with your own"
                ),
            }));
        };
        let identity = match &cli.user {
            Some(name) => Identity::Claimed {
                name: name.trim().to_string(),
                unix_user: Some(account),
                owns_file_alone: owns_alone(&db),
            },
            None => Identity::Unix(account),
        };
        Ok(Context {
            lang,
            today,
            today_given: cli.today.is_some(),
            counsel_group: place::system_config(&place::system_config_path(), lang)?
                .counsel_group
                .unwrap_or_else(|| crate::service::COUNSEL_GROUP.to_string()),
            db,
            identity,
        })
    }

    /// Whether the machine's administrator runs this as themselves: uid 0 without `--user`
    /// (root acting as a staff member has that member's rights only).
    pub fn is_root(&self) -> bool {
        nix::unistd::getuid().is_root() && !matches!(self.identity, Identity::Claimed { .. })
    }

    /// The database opened for writing. With `--today` on a file others share, only for
    /// reading: its commands are refused (the date shapes what is shown, not what is
    /// recorded).
    pub fn open(&self) -> Result<Service> {
        let new = !self.db.exists();
        let mut service = Service::open_with(
            &self.db,
            self.today,
            self.identity.clone(),
            &self.counsel_group,
        )?;
        if new {
            // Said on stderr, so that what a command prints stays as it was.
            eprintln!(
                "guanai: {} {}",
                self.lang.pick("已新建数据库", "created a new database at"),
                self.db.display()
            );
        }
        if self.today_given && !owns_alone(&self.db) {
            service.refuse_changes("record with --today on a shared database");
        }
        Ok(service)
    }

    /// The database opened for a query that never needs the counselling notes (the queue,
    /// the roster, the staff list): no write transaction and no sync, nothing on disk is
    /// touched. A path without a database yet is created as [`open`](Self::open) would.
    pub fn open_to_read(&self) -> Result<Service> {
        if !self.db.exists() {
            return self.open();
        }
        let mut service = Service::open_read_only(&self.db, self.today, self.identity.clone())?;
        // A query of the command line: the process ends once it is answered, so what it read
        // in bulk is left to the exit (`Service::release`).
        service.set_one_shot();
        Ok(service)
    }

    /// Reads a date typed by the user for `field`.
    pub fn date(&self, field: Field, input: &str) -> Result<NaiveDate> {
        parse_date(input, self.today).map_err(|e| bad(field, e))
    }
}

pub fn bad(field: Field, e: ParseError) -> CliError {
    CliError::Service(ServiceError::invalid(field, e))
}

/// guanai's config directory (rules.toml lives there): `GUANAI_CONFIG` if set, else the
/// platform's (`~/.config/guanai` on Linux).
pub fn config_dir() -> Option<PathBuf> {
    match std::env::var_os("GUANAI_CONFIG") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => directories::ProjectDirs::from("", "", "guanai").map(|d| d.config_dir().to_path_buf()),
    }
}

/// A file about to be written, checked before any work: not a directory, in a directory that
/// exists, and not an existing file unless `force`. `what` is how the user gave it (`--out`,
/// or empty for a file named on its own).
pub(crate) fn check_target(
    what: &str,
    path: &std::path::Path,
    force: bool,
    lang: Lang,
) -> Result<()> {
    let what = if what.is_empty() {
        String::new()
    } else {
        format!("{what}: ")
    };
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
    let (zh, en) = if path.is_dir() || parent.is_some_and(|p| !p.is_dir()) {
        (
            "不能写入: 它是目录, 或所在目录不存在",
            "cannot be written: it is a directory, or its directory does not exist",
        )
    } else if path.exists() && !force {
        (
            "已存在; 换一个文件名, 或加 --force 覆盖",
            "exists; choose another name, or add --force to overwrite it",
        )
    } else {
        return Ok(());
    };
    Err(CliError::Input(format!(
        "{what}{} {}",
        path.display(),
        lang.pick(zh, en)
    )))
}

/// `--out PATH` checked before any work (see [`check_target`]).
pub(crate) fn check_out(path: &std::path::Path, force: bool, lang: Lang) -> Result<()> {
    check_target("--out", path, force, lang)
}

/// The refusal when the database named is not there.
pub(crate) fn no_database(ctx: &Context) -> CliError {
    CliError::Input(match ctx.lang {
        Lang::Zh => format!("--db: 找不到数据库 {}", ctx.db.display()),
        Lang::En => format!("--db: no database at {}", ctx.db.display()),
    })
}

/// Writes `bytes` whole to `path`, readable by its owner only (children's records); over an
/// existing file only with `force`.
pub(crate) fn write_out(
    path: &std::path::Path,
    bytes: &[u8],
    force: bool,
    lang: Lang,
) -> Result<()> {
    let written = if force {
        crate::files::write_private(path, bytes)
    } else {
        crate::files::write_private_new(path, bytes)
    };
    written.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            // Created meanwhile by someone else: still not replaced.
            return match check_out(path, false, lang) {
                Err(e) => e,
                Ok(()) => CliError::Input(format!("--out: {}: {e}", path.display())),
            };
        }
        CliError::Input(format!("--out: {}: {e}", path.display()))
    })
}

/// The database the command line names (`--db`, `GUANAI_DB`), or the default one.
pub fn db_path(cli: &Cli) -> Option<PathBuf> {
    cli.db.clone().or_else(|| place::default_db(cli.lang).ok())
}

/// Whether the database file belongs to the Unix user running guanai and to nobody else
/// (owner only, no group or other permissions), or does not exist yet (guanai will create it
/// so). On such a file `--user` may name anyone: only its owner can open it anyway.
pub fn owns_alone(db: &std::path::Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(db) {
        Ok(m) => m.uid() == nix::unistd::getuid().as_raw() && m.mode() & 0o077 == 0,
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    }
}

/// The name of the Unix account running this process: its real uid's entry in the system's
/// account database, never `$USER` or `$LOGNAME` (anyone can set those).
pub fn unix_user() -> Option<String> {
    nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .filter(|u| !u.is_empty())
}

/// Runs the command line; returns the exit status.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let ctx = Context::from_cli(&cli)?;
    // Damage found after the file opened (a page cut short) names the file and the way out.
    run_command(cli, &ctx, out).map_err(|e| match e {
        CliError::Service(e) if e.is_damage() => {
            let reason = match &e {
                ServiceError::Store(inner) => inner.to_string(),
                other => other.message(Lang::En),
            };
            CliError::Service(ServiceError::damaged(&ctx.db, &reason))
        }
        e => e,
    })
}

fn run_command(cli: Cli, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    if cli.demo {
        return demo::run_demo_app(ctx, out);
    }
    match cli.command {
        None => {
            let setup = app::AppSetup::load(ctx)?;
            app::run_app(setup, ctx.open()?, ctx, out)
        }
        Some(Cmd::Keys(cmd)) => app::run_keys(cmd, ctx, out),
        Some(Cmd::Report(args)) => report::run_report(args, ctx, out),
        Some(Cmd::Terms) => report::run_terms(ctx, out),
        Some(Cmd::Staff(cmd)) => staff::run(cmd, ctx, out),
        Some(Cmd::Child(cmd)) => child::run(cmd, ctx, out),
        Some(Cmd::Log(args)) => log::run_log(args, ctx, out),
        Some(Cmd::Timeline(args)) => log::run_timeline(args, ctx, out),
        Some(Cmd::Event(cmd)) => event::run(cmd, ctx, out),
        Some(Cmd::Activity(cmd)) => group::run_activity(cmd, ctx, out),
        Some(Cmd::Task(cmd)) => group::run_task(cmd, ctx, out),
        Some(Cmd::Print(args)) => print::run_print(args, ctx, out),
        Some(Cmd::Overdue(args)) => overdue::run_overdue(args, ctx, out),
        Some(Cmd::Rules(cmd)) => overdue::run_rules(cmd, ctx, out),
        Some(Cmd::Calendar(choice)) => calendar::run(choice.0, ctx, out),
        Some(Cmd::Import(args)) => import::run_import(args, ctx, out),
        Some(Cmd::Export(args)) => transfer::run_export(args, ctx, out),
        Some(Cmd::Backup { file, force }) => database::run_backup(file, force, ctx, out),
        Some(Cmd::Restore { file, notes, force }) => {
            database::run_restore(file, notes, force, ctx, out)
        }
        Some(Cmd::Check { repair }) => database::run_check(repair, ctx, out),
        Some(Cmd::Audit(args)) => audit::run(args, ctx, out),
        Some(Cmd::Demo(args)) => demo::run(args, ctx, out),
        Some(Cmd::Completions { shell }) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "guanai", out);
            Ok(())
        }
    }
}

/// The language asked for on a command line that did not parse (clap could not tell us).
pub fn lang_of_args(args: &[String]) -> Lang {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--lang=en" || (a == "--lang" && it.next().map(String::as_str) == Some("en")) {
            return Lang::En;
        }
    }
    Lang::Zh
}

/// One line saying what was wrong on the command line, in the user's language.
pub fn clap_error_message(err: &clap::Error, lang: Lang) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::Number(n)) => n.to_string(),
        Some(ContextValue::Bool(b)) => b.to_string(),
        _ => String::new(),
    };
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let valid = get(ContextKind::ValidValue);
    let help = lang.pick("用 guanai --help 查看用法", "see guanai --help");
    let first_line = err
        .render()
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_string();
    match (err.kind(), lang) {
        (ErrorKind::InvalidValue | ErrorKind::ValueValidation, Lang::Zh) => {
            let mut m = format!("{arg}: 不接受 \"{value}\"");
            if !valid.is_empty() {
                m.push_str(&format!("。应为: {valid}"));
            } else if let Some(source) = std::error::Error::source(err) {
                let source = source.to_string();
                match source.split_once(" is not in ") {
                    Some((_, range)) => {
                        let range = range.replace("..=", " 到 ").replace("..", " 到 ");
                        m.push_str(&format!("。应为 {range} 之间的整数"))
                    }
                    None => m.push_str(&format!("。{source}")),
                }
            }
            if value.is_empty() {
                m = format!("{arg}: 不能为空 (若未写此项, 请检查环境变量 GUANAI_DB)");
            }
            m
        }
        (ErrorKind::UnknownArgument, Lang::Zh) => format!("未知选项 \"{arg}\"。{help}"),
        (ErrorKind::InvalidSubcommand, Lang::Zh) => format!(
            "未知命令 \"{}\"。可用命令: staff, child, log, timeline, event, overdue, rules, calendar, import, export, backup, restore, check, audit, report, terms, demo, keys, completions",
            get(ContextKind::InvalidSubcommand)
        ),
        (ErrorKind::MissingRequiredArgument, Lang::Zh) => format!("缺少必填项: {arg}。{help}"),
        (ErrorKind::MissingSubcommand, Lang::Zh) => format!("缺少子命令。{help}"),
        (ErrorKind::ArgumentConflict, Lang::Zh) => format!("选项冲突: {first_line}。{help}"),
        (ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues, Lang::Zh) => {
            format!("{arg}: 值的个数不对。{help}")
        }
        (_, Lang::Zh) => format!("命令行有误: {first_line}。{help}"),
        (ErrorKind::MissingRequiredArgument, Lang::En) => {
            format!("missing required arguments: {arg} ({help})")
        }
        (_, Lang::En) => format!("{first_line} ({help})"),
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{Cli, Cmd, calendar};

    /// Every command and subcommand with its description, as `guanai help` lists them.
    fn abouts(cmd: &clap::Command, path: &str, out: &mut Vec<(String, String)>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let path = format!("{path} {}", sub.get_name());
            let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
            // (A command's examples, `after_help`, come with its arguments when it is built.)
            let long = sub.get_long_about().map(|a| a.to_string());
            out.push((path.clone(), format!("{about}\n{long:?}")));
            abouts(sub, &path, out);
        }
    }

    #[test]
    fn building_a_deferred_command_keeps_its_description() {
        // The subcommands' arguments are built only when one is used; an argument struct's
        // doc comment would then replace the command's own description in its help.
        let mut cmd = Cli::command();
        let mut listed = Vec::new();
        abouts(&cmd, "guanai", &mut listed);
        cmd.build();
        let mut built = Vec::new();
        abouts(&cmd, "guanai", &mut built);
        assert_eq!(listed, built);
        let report = built.iter().find(|(p, _)| p == "guanai report");
        assert!(
            report.is_some_and(|(_, text)| text.starts_with("The term work summary")),
            "{report:?}"
        );
        assert!(built.iter().any(|(p, _)| p == "guanai calendar term"));
    }

    #[test]
    fn calendar_takes_a_subcommand_or_none() {
        let bare = Cli::try_parse_from(["guanai", "calendar"]).map(|c| c.command);
        assert!(
            matches!(
                bare,
                Ok(Some(Cmd::Calendar(calendar::CalendarChoice(None))))
            ),
            "{bare:?}"
        );
        let term = Cli::try_parse_from([
            "guanai",
            "calendar",
            "term",
            "2026秋",
            "--start",
            "2026-09-01",
            "--end",
            "2027-01-20",
        ])
        .map(|c| c.command);
        match term {
            Ok(Some(Cmd::Calendar(calendar::CalendarChoice(Some(
                calendar::CalendarCmd::Term { name, start, end },
            ))))) => assert_eq!(
                (name.as_str(), start.as_str(), end.as_str()),
                ("2026秋", "2026-09-01", "2027-01-20")
            ),
            other => panic!("{other:?}"),
        }
        let unknown = Cli::try_parse_from(["guanai", "calendar", "bogus"]).map(|c| c.command);
        assert!(
            matches!(&unknown, Err(e) if e.kind() == clap::error::ErrorKind::InvalidSubcommand),
            "{unknown:?}"
        );
    }

    /// The help the command line `args` asks for.
    fn help(args: &[&str]) -> String {
        match Cli::try_parse_from(args) {
            Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelp => e.render().to_string(),
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn help_reaches_a_deferred_subcommand() {
        // `guanai help calendar term`: the help tree is copied before the calendar is built.
        let text = help(&["guanai", "help", "calendar", "term"]);
        assert!(text.contains("--start"), "{text}");
        assert!(text.contains("Usage: guanai calendar term"), "{text}");
        let text = help(&["guanai", "overdue", "--help"]);
        assert!(text.contains("--within"), "{text}");
        assert!(text.contains("--db"), "{text}");
        assert!(
            text.contains("guanai overdue --mine --within 7"),
            "its examples: {text}"
        );
    }
}
