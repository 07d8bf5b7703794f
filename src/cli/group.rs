//! `guanai activity` and `guanai task`: the group activities and one-off tasks on record,
//! listed with their numbers, corrected, or withdrawn with a reason (作废: kept, counted
//! nowhere). The app records them; these commands are for the corrections.

use std::io::Write;

use clap::Subcommand;

use super::{CliError, Context, Format, Result, output};
use crate::domain::{ActivityId, ActivityKind, TaskId};
use crate::service::{Command, Field, TaskChange};

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ActivityCmd {
    /// Every group activity and training (家长学校), newest first, with its number.
    #[command(after_help = "Example:\n  guanai activity list --format tsv")]
    List {
        /// Output: table, tsv or json.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Correct an activity's title or date, for every attendance entry with it. By its
    /// organiser, administrators and counsellors.
    #[command(
        after_help = "Example:\n  guanai activity edit 12 --date 11-20 --title \"手拉手读书活动\""
    )]
    Edit {
        /// The activity's number (guanai activity list). Example: 12
        #[arg(value_name = "ID")]
        id: String,
        /// The right title. Example: --title "手拉手读书活动"
        #[arg(long)]
        title: Option<String>,
        /// The right date: 2026-11-20, 11-20, yesterday, -3. Example: --date 11-20
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
    },
    /// Withdraw an activity (作废) with a reason: it and each attendance entry stay on
    /// record, and no summary or figure counts them. `u` in the app takes it back.
    #[command(after_help = "Example:\n  guanai activity void 12 --reason \"活动取消, 记错了\"")]
    Void {
        /// The activity's number. Example: 12
        #[arg(value_name = "ID")]
        id: String,
        /// Why (stays on record). Example: --reason "活动取消"
        #[arg(long)]
        reason: String,
    },
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum TaskCmd {
    /// The open tasks of the children you may record for, soonest due first, with numbers.
    #[command(after_help = "Example:\n  guanai task list")]
    List {
        /// Output: table, tsv or json.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Correct what a task says.
    #[command(after_help = "Example:\n  guanai task edit 7 --text \"周五回访奶奶\"")]
    Edit {
        /// The task's number (guanai task list). Example: 7
        #[arg(value_name = "ID")]
        id: String,
        /// What it should say. Example: --text "周五回访奶奶"
        #[arg(long)]
        text: String,
    },
    /// Withdraw a task with a reason: it leaves the queue, and stays on record.
    #[command(after_help = "Example:\n  guanai task void 7 --reason \"重复了\"")]
    Void {
        /// The task's number. Example: 7
        #[arg(value_name = "ID")]
        id: String,
        /// Why (stays on record). Example: --reason "重复了"
        #[arg(long)]
        reason: String,
    },
}

/// Rows as a table, TSV, or JSON objects keyed by the header.
fn write_rows(
    out: &mut dyn Write,
    format: Format,
    header: &[&str],
    rows: &[Vec<String>],
) -> std::io::Result<()> {
    match format {
        Format::Table => output::table(out, header, rows),
        Format::Tsv => output::tsv(out, header, rows),
        Format::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::Value::Object(
                        header
                            .iter()
                            .zip(r)
                            .map(|(h, v)| (h.to_string(), serde_json::Value::from(v.as_str())))
                            .collect(),
                    )
                })
                .collect();
            output::json(out, &items)
        }
    }
}

/// A number as typed: 12 or #12.
fn number(text: &str, what_zh: &str, what_en: &str, ctx: &Context) -> Result<u64> {
    text.trim()
        .trim_start_matches('#')
        .parse::<u64>()
        .map_err(|_| {
            CliError::Input(
                ctx.lang
                    .pick(
                        &format!("ID: 不接受 \"{text}\"。应为: {what_zh}的编号, 如 12"),
                        &format!("ID: \"{text}\" is not accepted. Expected: the number of {what_en}, e.g. 12"),
                    )
                    .to_string(),
            )
        })
}

pub fn run_activity(cmd: ActivityCmd, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let lang = ctx.lang;
    match cmd {
        ActivityCmd::List { format } => {
            let service = ctx.open()?;
            let all = service.activities()?;
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|(a, void)| {
                    let kind = match (a.kind, lang) {
                        (ActivityKind::Activity, crate::i18n::Lang::Zh) => "集体活动",
                        (ActivityKind::Training, crate::i18n::Lang::Zh) => "家长学校",
                        (ActivityKind::Activity, crate::i18n::Lang::En) => "activity",
                        (ActivityKind::Training, crate::i18n::Lang::En) => "training",
                    };
                    vec![
                        a.id.0.to_string(),
                        a.date.to_string(),
                        kind.to_string(),
                        a.title.clone(),
                        a.children.len().to_string(),
                        a.guardians.len().to_string(),
                        void.as_ref()
                            .map(|v| format!("{} {}", v.date, v.reason))
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            let header = match (format, lang) {
                (Format::Table, crate::i18n::Lang::Zh) => {
                    ["编号", "日期", "类别", "名称", "学生", "监护人", "作废"]
                }
                _ => [
                    "id",
                    "date",
                    "kind",
                    "title",
                    "children",
                    "guardians",
                    "voided",
                ],
            };
            write_rows(out, format, &header, &rows)?;
            if rows.is_empty() && format == Format::Table {
                writeln!(out, "{}", lang.pick("(尚无活动)", "(no activities yet)"))?;
            }
            Ok(())
        }
        ActivityCmd::Edit { id, title, date } => {
            let id = ActivityId(number(&id, "活动", "an activity", ctx)?);
            let date = match date {
                Some(d) => Some(ctx.date(Field::Date, &d)?),
                None => None,
            };
            let service = ctx.open()?;
            let Some(current) = service.activity(id)? else {
                return Err(unknown_activity(id));
            };
            service.execute(Command::EditActivity {
                activity: id,
                version: current.version,
                title: title.unwrap_or_else(|| current.title.clone()),
                date: date.unwrap_or(current.date),
            })?;
            writeln!(out, "#{} {}", id.0, lang.pick("已更正", "corrected"))?;
            Ok(())
        }
        ActivityCmd::Void { id, reason } => {
            let id = ActivityId(number(&id, "活动", "an activity", ctx)?);
            let service = ctx.open()?;
            let Some(current) = service.activity(id)? else {
                return Err(unknown_activity(id));
            };
            service.execute(Command::VoidActivity {
                activity: id,
                version: current.version,
                reason,
            })?;
            writeln!(
                out,
                "#{} {} ({})",
                id.0,
                lang.pick("已作废", "voided"),
                lang.pick(
                    "连同每个学生的参加记录; 仍留在记录里, 不再计入统计",
                    "with each child's attendance; kept on record, counted nowhere"
                )
            )?;
            Ok(())
        }
    }
}

fn unknown_activity(id: ActivityId) -> CliError {
    CliError::Service(crate::service::ServiceError::invalid_with(
        Field::Event,
        &format!("#{}", id.0),
        &format!("已记录的活动编号 (见 guanai activity list); 没有 #{}", id.0),
        &format!(
            "the number of a recorded activity (see guanai activity list); there is no #{}",
            id.0
        ),
    ))
}

pub fn run_task(cmd: TaskCmd, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let lang = ctx.lang;
    match cmd {
        TaskCmd::List { format } => {
            let service = ctx.open()?;
            let staff = service.staff()?;
            let mut rows = Vec::new();
            for t in service.open_tasks()? {
                let child = service.child(t.child)?;
                let who = staff
                    .iter()
                    .find(|s| s.id == t.assignee)
                    .map_or(String::new(), |s| s.name.clone());
                rows.push(vec![
                    t.id.0.to_string(),
                    t.due.to_string(),
                    child.name,
                    t.text.clone(),
                    who,
                ]);
            }
            let header = match (format, lang) {
                (Format::Table, crate::i18n::Lang::Zh) => {
                    ["编号", "到期", "学生", "待办", "负责人"]
                }
                _ => ["id", "due", "child", "task", "assignee"],
            };
            write_rows(out, format, &header, &rows)?;
            if rows.is_empty() && format == Format::Table {
                writeln!(
                    out,
                    "{}",
                    lang.pick("(没有未完成的待办)", "(no open tasks)")
                )?;
            }
            Ok(())
        }
        TaskCmd::Edit { id, text } => {
            let id = TaskId(number(&id, "待办", "a task", ctx)?);
            let service = ctx.open()?;
            let version = task_version(&service, id)?;
            service.execute(Command::UpdateTask {
                task: id,
                version,
                change: TaskChange::Text(text),
            })?;
            writeln!(out, "#{} {}", id.0, lang.pick("已更正", "corrected"))?;
            Ok(())
        }
        TaskCmd::Void { id, reason } => {
            let id = TaskId(number(&id, "待办", "a task", ctx)?);
            let service = ctx.open()?;
            let version = task_version(&service, id)?;
            service.execute(Command::VoidTask {
                task: id,
                version,
                reason,
            })?;
            writeln!(out, "#{} {}", id.0, lang.pick("已作废", "voided"))?;
            Ok(())
        }
    }
}

/// The version of task `id` as it is now, or a message naming the number.
fn task_version(service: &crate::service::Service, id: TaskId) -> Result<u64> {
    match service.task(id)? {
        Some(t) => Ok(t.version),
        None => Err(CliError::Service(
            crate::service::ServiceError::invalid_with(
                Field::Task,
                &format!("#{}", id.0),
                "已有的待办编号 (见 guanai task list)",
                "the number of a task on record (see guanai task list)",
            ),
        )),
    }
}
