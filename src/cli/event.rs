//! `guanai event`: what is done to an entry already recorded — correcting it (`edit`),
//! withdrawing it with a reason (`void`, 作废: it stays on the timeline and counts for
//! nothing), marking it as a typical case (典型案例) for the work summary's 成效. The entry is
//! named by the number `guanai log` printed (#123) or the first column of `guanai timeline`.

use std::io::Write;

use clap::Subcommand;

use super::{Context, Result};
use crate::domain::{EventChange, EventId, EventKind};
use crate::service::{Command, Field, ServiceError};

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum EventCmd {
    /// Correct an entry: give only what changes. Saved as a new version; refused if someone
    /// changed the entry meanwhile. For its author, administrators and counsellors
    /// (counselling sessions: counsellors only). Audited with before and after.
    #[command(
        after_help = "Examples:\n  guanai event edit 1234 --note \"期中考试后情绪低落, 已和奶奶沟通\"\n  guanai event edit 1234 --date 2026-11-20 --present 奶奶 --present 父亲\n  guanai event edit 1234 --kind visit --follow-up no"
    )]
    Edit {
        /// The entry's number, as `guanai log` printed it (#1234). Example: 1234
        #[arg(value_name = "ID")]
        id: String,
        /// The right date: 2026-11-20, 11-20, yesterday, -3. Example: --date 11-20
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
        /// The right kind (talk, visit, call …; not counselling or group activities).
        /// Example: --kind visit
        #[arg(long)]
        kind: Option<String>,
        /// The note as it should read (replaces the old one). Example: --note "…"
        #[arg(long)]
        note: Option<String>,
        /// Who else took part, replacing the list; repeat for several; --present "" clears
        /// it. Example: --present 奶奶
        #[arg(long, value_name = "WHO")]
        present: Vec<String>,
        /// Whether something still needs doing: yes or no. Example: --follow-up no
        #[arg(long, value_name = "YES|NO")]
        follow_up: Option<String>,
    },
    /// Withdraw an entry (作废) with a reason: it stays on the timeline, struck through, and
    /// counts for nothing (no duty, figure or report). Never deleted; `u` in the app
    /// takes a withdrawal back.
    #[command(after_help = "Examples:\n  guanai event void 1234 --reason \"记错了学生\"")]
    Void {
        /// The entry's number. Example: 1234
        #[arg(value_name = "ID")]
        id: String,
        /// Why (stays on the entry). Example: --reason "记错了学生"
        #[arg(long)]
        reason: String,
    },
    /// Mark an entry as a typical case (典型案例), counted in the term summary's 成效 (never
    /// named there); --off takes the mark off.
    #[command(
        after_help = "Examples:\n  guanai event typical 1234\n  guanai event typical 1234 --off"
    )]
    Typical {
        /// The entry's number, as `guanai log` printed it (#1234). Example: 1234
        #[arg(value_name = "ID")]
        id: String,
        /// Take the mark off.
        #[arg(long)]
        off: bool,
    },
}

/// The number of an entry as typed: 1234 or #1234.
fn entry_id(text: &str, ctx: &Context) -> Result<EventId> {
    text.trim()
        .trim_start_matches('#')
        .parse::<u64>()
        .map(EventId)
        .map_err(|_| {
            super::CliError::Input(ctx.lang.pick(
                &format!("ID: 不接受 \"{text}\"。应为: 记录的编号, 如 1234 (记录时显示的 #1234)"),
                &format!("ID: \"{text}\" is not accepted. Expected: an entry's number, e.g. 1234 (the #1234 shown when it was logged)"),
            ).to_string())
        })
}

/// yes/no as typed, in either language.
fn yes_no(text: &str) -> std::result::Result<bool, ServiceError> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "是" | "要" | "1" => Ok(true),
        "no" | "n" | "false" | "否" | "不" | "不要" | "0" => Ok(false),
        _ => Err(ServiceError::invalid_with(
            Field::FollowUp,
            text,
            "yes 或 no (是/否)",
            "yes or no",
        )),
    }
}

pub fn run(cmd: EventCmd, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    match cmd {
        EventCmd::Edit {
            id,
            date,
            kind,
            note,
            present,
            follow_up,
        } => {
            let event = entry_id(&id, ctx)?;
            let kind = match kind {
                Some(k) => Some(EventKind::parse(&k).ok_or_else(|| {
                    ServiceError::invalid_with(
                        Field::Kind,
                        &k,
                        "talk, visit, school-visit, call, letter, guardian, assistance, award, incident, note 之一",
                        "one of talk, visit, school-visit, call, letter, guardian, assistance, award, incident, note",
                    )
                })?),
                None => None,
            };
            let date = match date {
                Some(d) => Some(ctx.date(Field::Date, &d)?),
                None => None,
            };
            let follow_up = follow_up.as_deref().map(yes_no).transpose()?;
            let service = ctx.open()?;
            let entry = service.entry(event)?;
            if entry.restricted {
                return Err(ServiceError::NotPermitted {
                    who: service.actor().name(),
                    what: "correct counselling sessions",
                }
                .into());
            }
            let mut change = EventChange::of(&entry.event);
            if let Some(k) = kind {
                change.kind = k;
            }
            if let Some(d) = date {
                change.date = d;
            }
            if let Some(n) = note {
                change.summary = n.trim().to_string();
            }
            if !present.is_empty() {
                change.present = present
                    .iter()
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect();
            }
            if let Some(f) = follow_up {
                change.follow_up = f;
            }
            if change == EventChange::of(&entry.event) {
                writeln!(
                    out,
                    "#{} {}",
                    event.0,
                    ctx.lang.pick(
                        "没有改动 (用 --date、--kind、--note、--present 或 --follow-up 写明要改的)",
                        "nothing changed (say what to change with --date, --kind, --note, --present or --follow-up)"
                    )
                )?;
                return Ok(());
            }
            service.execute(Command::EditEvent {
                event,
                version: entry.event.version,
                change: Box::new(change.clone()),
            })?;
            let kind_name = ctx.lang.pick(change.kind.zh(), change.kind.en());
            writeln!(
                out,
                "#{} {} {} {kind_name}",
                event.0,
                ctx.lang.pick("已更正:", "corrected:"),
                change.date
            )?;
            Ok(())
        }
        EventCmd::Void { id, reason } => {
            let event = entry_id(&id, ctx)?;
            let service = ctx.open()?;
            let entry = service.entry(event)?;
            service.execute(Command::VoidEvent {
                event,
                version: entry.event.version,
                reason,
            })?;
            let kind_name = ctx.lang.pick(entry.event.kind.zh(), entry.event.kind.en());
            writeln!(
                out,
                "#{} {} {} {kind_name} ({})",
                event.0,
                ctx.lang.pick("已作废:", "voided:"),
                entry.event.date,
                ctx.lang.pick(
                    "仍留在记录里, 不再计入任何统计",
                    "kept on the timeline, counted nowhere"
                )
            )?;
            Ok(())
        }
        EventCmd::Typical { id, off } => {
            let event = entry_id(&id, ctx)?;
            let service = ctx.open()?;
            service.execute(Command::MarkTypical {
                event,
                typical: !off,
            })?;
            let done = match (off, ctx.lang) {
                (false, crate::i18n::Lang::Zh) => "已标为典型案例",
                (true, crate::i18n::Lang::Zh) => "已取消典型案例标记",
                (false, crate::i18n::Lang::En) => "marked as a typical case",
                (true, crate::i18n::Lang::En) => "typical-case mark taken off",
            };
            writeln!(out, "#{} {done}", event.0)?;
            Ok(())
        }
    }
}
