//! `guanai overdue`, `guanai rules show|check`: the follow-up queue and its rules.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde::Serialize;

use super::{CliError, Context, Format, Result, output};
use crate::followup::Rules;
use crate::followup::{Duty, QueueRow};
use crate::i18n::Lang;
use crate::service::{Actor, Field, QueueChild};

/// One row with what it refers to.
struct Entry<'a> {
    row: &'a QueueRow,
    child: QueueChild<'a>,
    duty: &'a Duty,
    assignee: Option<&'a str>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  guanai overdue                       everything overdue, most urgent first
  guanai overdue --mine --within 7     my rows, and what falls due in the next 7 days
  guanai overdue --class 七(2)班 --format tsv")]
pub struct OverdueArgs {
    /// Only rows I am responsible for.
    #[arg(long, conflicts_with = "staff")]
    pub mine: bool,
    /// Only rows this staff member is responsible for. Example: --staff 李建国
    #[arg(long, value_name = "NAME")]
    pub staff: Option<String>,
    /// Only children of this class. Example: --class 七(2)班
    #[arg(long)]
    pub class: Option<String>,
    /// Also rows due in the next DAYS days. Example: --within 7
    #[arg(
        long,
        value_name = "DAYS",
        allow_negative_numbers = true,
        value_parser = clap::value_parser!(u32).range(0..=366)
    )]
    pub within: Option<u32>,
    /// Output: table (fits 80 columns), tsv (for spreadsheets and scripts) or json.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum RulesCmd {
    /// Print the rules in force (the defaults with the school's rules.toml laid over them).
    Show,
    /// Check a rules file; every mistake is reported with its line.
    #[command(after_help = "Example:\n  guanai rules check ~/.config/guanai/rules.toml")]
    Check {
        /// The file to check. Example: rules.toml
        file: PathBuf,
    },
}

/// The school's rules file: rules.toml in guanai's config directory.
pub fn rules_path() -> Option<PathBuf> {
    super::config_dir().map(|d| d.join("rules.toml"))
}

/// The rules in force: the defaults, with the school's rules.toml over them if there is one.
/// A broken file is refused with every mistake, not ignored.
pub fn load_rules(lang: Lang) -> Result<(Rules, Option<PathBuf>)> {
    match rules_path() {
        Some(path) if path.exists() => Ok((read_rules(&path, lang)?, Some(path))),
        _ => Ok((Rules::defaults(), None)),
    }
}

fn read_rules(path: &Path, lang: Lang) -> Result<Rules> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::Input(format!(
            "{}: {} ({e})",
            path.display(),
            lang.pick("无法读取规则文件", "cannot read the rules file")
        ))
    })?;
    Rules::with_overrides(&text, &path.display().to_string()).map_err(|e| {
        CliError::Input(format!(
            "{}\n{e}",
            lang.pick(
                "规则文件有误 (逐条列出, 格式 文件:行: 问题):",
                "the rules file has mistakes (file:line: problem):"
            )
        ))
    })
}

pub fn run_rules(cmd: RulesCmd, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    match cmd {
        RulesCmd::Show => {
            let (rules, from) = load_rules(ctx.lang)?;
            match from {
                Some(p) => writeln!(out, "# defaults with {} laid over them", p.display())?,
                None => writeln!(
                    out,
                    "# the defaults (no rules.toml in {})",
                    super::config_dir()
                        .map(|d| d.display().to_string())
                        .unwrap_or_else(|| "-".into())
                )?,
            }
            write!(out, "{}", rules.to_toml())?;
            Ok(())
        }
        RulesCmd::Check { file } => {
            let rules = read_rules(&file, ctx.lang)?;
            writeln!(
                out,
                "{}: {} ({} {})",
                file.display(),
                ctx.lang.pick("无误", "ok"),
                rules.duties.len(),
                ctx.lang.pick("项职责", "duties")
            )?;
            Ok(())
        }
    }
}

/// The entries of `rows` (a part of `queue`'s) for `only` that staff member and `class`.
fn entries<'q>(
    queue: &'q crate::service::OverdueQueue,
    rows: &'q [QueueRow],
    only: Option<crate::domain::StaffId>,
    class: Option<&'q str>,
) -> impl Iterator<Item = Entry<'q>> + 'q {
    rows.iter()
        .filter(move |row| only.is_none() || row.assignee == only)
        .filter_map(move |row| {
            Some(Entry {
                row,
                child: queue.child(row)?,
                duty: queue.duty(row)?,
                assignee: queue.assignee_name(row),
            })
        })
        .filter(move |e| class.is_none_or(|c| e.child.class == c))
}

/// The TSV lines of `entries`, written to `out`.
fn tsv_lines<'e>(
    entries: impl Iterator<Item = Entry<'e>>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let mut lines = output::TsvLines::new(out);
    for e in entries {
        match e.child.student_no {
            Some(no) => lines.text(no),
            None => lines.int(e.child.id.0 as i64),
        };
        lines
            .text(e.child.name)
            .text(e.child.class)
            .text(&e.duty.name)
            .date(e.row.due)
            .int(e.row.days_overdue)
            .text(e.assignee.unwrap_or(""))
            .tenths(e.row.urgency)
            .end()?;
    }
    lines.finish()
}

#[derive(Serialize)]
struct JsonRow<'a> {
    child_id: String,
    child_name: &'a str,
    class: &'a str,
    duty: &'a str,
    label: &'a str,
    due: String,
    days_overdue: i64,
    periods_missed: u32,
    assignee: Option<&'a str>,
    urgency: f64,
    key_support: bool,
    open_incident: bool,
    no_parent_contact: bool,
}

fn child_id(e: &Entry) -> String {
    e.child
        .student_no
        .map_or_else(|| e.child.id.0.to_string(), str::to_string)
}

/// A date as teachers read it: `11-30` inside today's year, `2027-01-20` otherwise.
fn short_date(d: chrono::NaiveDate, today: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    if d.year() == today.year() {
        d.format("%m-%d").to_string()
    } else {
        d.to_string()
    }
}

fn days_text(days: i64, lang: Lang) -> String {
    match (days.signum(), lang) {
        (1, Lang::Zh) => format!("逾期 {days}天"),
        (0, Lang::Zh) => "今天到期".into(),
        (_, Lang::Zh) => format!("{}天后到期", -days),
        (1, Lang::En) => format!("{days} d late"),
        (0, Lang::En) => "due today".into(),
        (_, Lang::En) => format!("due in {} d", -days),
    }
}

pub fn run_overdue(args: OverdueArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let (rules, _) = load_rules(ctx.lang)?;
    let service = ctx.open_to_read()?;
    let only = if args.mine {
        match service.actor() {
            Actor::Staff(me) => Some(me.id),
            Actor::Bootstrap => {
                return Err(CliError::Input(
                    ctx.lang
                        .pick(
                            "--mine: 不知道你是哪位教师; 请管理员用 --unix-user 登记你的系统用户",
                            "--mine: guanai does not know which staff member you are; ask an admin to record your Unix user (--unix-user)",
                        )
                        .to_string(),
                ));
            }
        }
    } else {
        match &args.staff {
            Some(name) => Some(service.resolve_staff(Field::Staff, name)?.id),
            None => None,
        }
    };
    let class = args.class.as_deref().map(crate::domain::normalize_class);
    let queue = service.overdue_queue(&rules, args.within.map(i64::from))?;
    // The rows as they are written: TSV streams them, the other formats gather them.
    let entries_of = |rows| entries(&queue, rows, only, class.as_deref());
    let entries = || entries_of(&queue.rows);
    let lang = ctx.lang;
    match args.format {
        Format::Tsv => {
            writeln!(
                out,
                "child_id\tchild_name\tclass\tduty\tdue\tdays_overdue\tassignee\turgency"
            )?;
            // Ten thousand lines are written in two halves side by side: the first straight
            // out, the second into a buffer written after it.
            let (first, second) = queue.rows.split_at(queue.rows.len() / 2);
            let (a, b) = crate::beside::both(
                || tsv_lines(entries_of(first), &mut *out),
                || {
                    let mut buf = Vec::new();
                    tsv_lines(entries_of(second), &mut buf).map(|()| buf)
                },
            );
            a?;
            out.write_all(&b?)?;
        }
        Format::Json => {
            let rows: Vec<JsonRow> = entries()
                .map(|e| JsonRow {
                    child_id: child_id(&e),
                    child_name: e.child.name,
                    class: e.child.class,
                    duty: &e.duty.name,
                    label: lang.pick(&e.duty.label_zh, &e.duty.label_en),
                    due: e.row.due.to_string(),
                    days_overdue: e.row.days_overdue,
                    periods_missed: e.row.periods_missed,
                    assignee: e.assignee,
                    urgency: (e.row.urgency * 10.0).round() / 10.0,
                    key_support: e.row.key_support,
                    open_incident: e.row.open_incident,
                    no_parent_contact: e.row.no_parent_contact,
                })
                .collect();
            output::json(out, &rows)?;
        }
        Format::Table => {
            let header = match lang {
                Lang::Zh => [
                    "逾期",
                    "到期",
                    "事项",
                    "学生",
                    "班级",
                    "负责人",
                    "已漏",
                    "紧急度",
                ],
                Lang::En => [
                    "when", "due", "duty", "child", "class", "assignee", "missed", "urgency",
                ],
            };
            let entries: Vec<Entry> = entries().collect();
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    vec![
                        days_text(e.row.days_overdue, lang),
                        short_date(e.row.due, ctx.today),
                        output::fit(lang.pick(&e.duty.label_zh, &e.duty.label_en), 10),
                        output::fit(e.child.name, 8),
                        output::fit(e.child.class, 8),
                        output::fit(e.assignee.unwrap_or("-"), 8),
                        if e.row.periods_missed > 0 {
                            e.row.periods_missed.to_string()
                        } else {
                            String::new()
                        },
                        output::one_decimal(e.row.urgency),
                    ]
                })
                .collect();
            output::table(out, &header, &rows)?;
            let late = entries.iter().filter(|e| e.row.days_overdue > 0).count();
            let soon = entries.len() - late;
            match lang {
                Lang::Zh => writeln!(out, "逾期 {late} 项, 即将到期 {soon} 项")?,
                Lang::En => writeln!(out, "{late} overdue, {soon} due soon")?,
            }
        }
    }
    service.release(queue);
    Ok(())
}
