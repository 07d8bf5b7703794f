//! `guanai log KIND` and `guanai timeline REF`.

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::{CliError, Context, Format, Result, output};
use crate::domain::{EventKind, NewEvent};
use crate::i18n::Lang;
use crate::service::{Actor, Command, Field, Outcome, ServiceError};

const KINDS: &str = "talk, visit, school-visit, call, letter, guardian, counseling, activity, training, assistance, award, incident, note";

#[derive(Debug, Args)]
#[command(
    after_help = "Kinds: talk (谈心), visit (家访), school-visit (校访), call (通话), letter (写信),
  guardian (监护人联系), counseling (心理辅导), activity (活动), training (家长学校),
  assistance (帮扶), award (表彰), incident (事件), note (备注)

Examples:
  guanai log talk --child 张小珠 --by 王丽华 --note \"期中考试后情绪低落, 已鼓励\"
  guanai log visit --child 20240701 --date 2026-11-20 --by 李建国 --present 奶奶
  guanai log call --child 张小珠 --date yesterday --note \"与父亲视频\""
)]
pub struct LogArgs {
    /// What happened (see the list of kinds below). Example: talk
    pub kind: String,
    /// The child: student number or exact name. Example: --child 张小珠
    #[arg(long, value_name = "REF")]
    pub child: String,
    /// When: 2026-11-20, 11-20, today, yesterday, -3 (three days ago). Default: today.
    #[arg(long, default_value = "today", allow_hyphen_values = true)]
    pub date: String,
    /// Who did it, by staff name. Default: you. Example: --by 王丽华
    #[arg(long, value_name = "STAFF")]
    pub by: Option<String>,
    /// What was said or done. Example: --note "奶奶反映作业无人辅导"
    #[arg(long, default_value = "")]
    pub note: String,
    /// Who else took part; repeat for several. Example: --present 奶奶 --present 父亲
    #[arg(long, value_name = "WHO")]
    pub present: Vec<String>,
    /// Something still needs doing. Example: --follow-up
    #[arg(long)]
    pub follow_up: bool,
    /// Mark it as a typical case (典型案例) for the term summary. Example: --typical
    #[arg(long)]
    pub typical: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  guanai timeline 张小珠\n  guanai timeline 20240701 --format tsv"
)]
pub struct TimelineArgs {
    /// The child: student number or exact name.
    #[arg(value_name = "REF")]
    pub child: String,
    /// Output: table (aligned columns), tsv (for spreadsheets and scripts) or json.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run_log(args: LogArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let kind = EventKind::parse(&args.kind).ok_or_else(|| {
        CliError::Service(ServiceError::invalid_with(
            Field::Kind,
            &args.kind,
            &format!("以下之一: {KINDS}"),
            &format!("one of: {KINDS}"),
        ))
    })?;
    let date = ctx.date(Field::Date, &args.date)?;
    let service = ctx.open()?;
    let child = service.resolve_child(&args.child)?;
    let staff = match (&args.by, service.actor()) {
        (Some(name), _) => service.resolve_staff(Field::By, name)?,
        (None, Actor::Staff(me)) => me.clone(),
        (None, Actor::Bootstrap) => {
            return Err(CliError::Input(
                ctx.lang
                    .pick(
                        "--by: 请写明是哪位教师做的, 如 --by 王丽华",
                        "--by: say which staff member did it, e.g. --by 王丽华",
                    )
                    .to_string(),
            ));
        }
    };
    let outcome = service.execute(Command::LogEvent(NewEvent {
        child: child.id,
        kind,
        date,
        staff: staff.id,
        present: args
            .present
            .iter()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect(),
        summary: args.note.trim().to_string(),
        follow_up: args.follow_up,
    }))?;
    if let Outcome::Event(id) = outcome {
        if args.typical {
            service.execute(Command::MarkTypical {
                event: id,
                typical: true,
            })?;
        }
        let kind_name = ctx.lang.pick(kind.zh(), kind.en());
        writeln!(
            out,
            "{} {date} {kind_name} {} ({}) #{}",
            ctx.lang.pick("已记录", "recorded"),
            child.name,
            staff.name,
            id.0
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct Line<'a> {
    id: u64,
    date: String,
    kind: &'static str,
    staff: &'a str,
    present: &'a [String],
    note: &'a str,
    restricted: bool,
    follow_up: bool,
    /// Withdrawn (作废): by whom, when and why; such an entry counts for nothing.
    voided: Option<Voided<'a>>,
}

#[derive(Serialize)]
struct Voided<'a> {
    by: &'a str,
    date: String,
    reason: &'a str,
}

pub fn run_timeline(args: TimelineArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let service = ctx.open()?;
    let child = service.resolve_child(&args.child)?;
    let entries = service.timeline(child.id)?;
    let lang = ctx.lang;
    let withheld = lang.pick("(仅心理辅导教师可见)", "(visible to counsellors only)");
    match args.format {
        Format::Json => {
            let lines: Vec<Line> = entries
                .iter()
                .map(|e| Line {
                    id: e.event.id.0,
                    date: e.event.date.to_string(),
                    kind: e.event.kind.key(),
                    staff: &e.staff_name,
                    present: &e.event.present,
                    note: &e.event.summary,
                    restricted: e.restricted,
                    follow_up: e.event.follow_up,
                    voided: e.void.as_ref().map(|v| Voided {
                        by: e.voided_by.as_deref().unwrap_or(""),
                        date: v.date.to_string(),
                        reason: &v.reason,
                    }),
                })
                .collect();
            output::json(out, &lines)?;
        }
        Format::Tsv => {
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    vec![
                        e.event.id.0.to_string(),
                        e.event.date.to_string(),
                        e.event.kind.key().to_string(),
                        e.staff_name.clone(),
                        e.event.present.join(","),
                        if e.restricted {
                            withheld.to_string()
                        } else {
                            e.event.summary.clone()
                        },
                        e.void
                            .as_ref()
                            .map(|v| format!("{} {}", v.date, v.reason))
                            .unwrap_or_default(),
                    ]
                })
                .collect();
            output::tsv(
                out,
                &["id", "date", "kind", "staff", "present", "note", "voided"],
                &rows,
            )?;
        }
        Format::Table => {
            writeln!(
                out,
                "{} · {} · {}",
                child.name,
                child.class,
                child.student_no.as_deref().unwrap_or("-")
            )?;
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    // A note of several lines stays on its row: its lines joined with " / ".
                    let mut note = if e.restricted {
                        withheld.to_string()
                    } else {
                        e.event.summary.replace("\r\n", "\n").replace('\n', " / ")
                    };
                    if !e.event.present.is_empty() {
                        note = format!("[{}] {note}", e.event.present.join(","));
                    }
                    if e.event.follow_up {
                        note.push_str(lang.pick("  (待跟进)", "  (follow up)"));
                    }
                    if let Some(v) = &e.void {
                        note = match lang {
                            Lang::Zh => format!(
                                "[已作废 {} {}: {}] {note}",
                                v.date,
                                e.voided_by.as_deref().unwrap_or(""),
                                v.reason
                            ),
                            Lang::En => format!(
                                "[voided {} by {}: {}] {note}",
                                v.date,
                                e.voided_by.as_deref().unwrap_or(""),
                                v.reason
                            ),
                        };
                    }
                    vec![
                        format!("#{}", e.event.id.0),
                        e.event.date.to_string(),
                        lang.pick(e.event.kind.zh(), e.event.kind.en()).to_string(),
                        e.staff_name.clone(),
                        note,
                    ]
                })
                .collect();
            let header = match lang {
                Lang::Zh => ["编号", "日期", "类别", "教师", "记录"],
                Lang::En => ["no.", "date", "kind", "staff", "note"],
            };
            output::table(out, &header, &rows)?;
            if entries.is_empty() {
                writeln!(out, "{}", lang.pick("(尚无记录)", "(nothing recorded yet)"))?;
            }
        }
    }
    Ok(())
}
