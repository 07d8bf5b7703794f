//! `guanai audit`: who changed what, when, with the values before and after (admins only).

use std::io::Write;

use clap::Args;
use serde::Serialize;

use super::{Context, Format, Result, output};
use crate::i18n::Lang;
use crate::service::{AuditEntry, Field};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  guanai audit --child 张小珠
  guanai audit --staff 李建国 --since 2026-11-01 --format tsv")]
pub struct AuditArgs {
    /// Only changes to this child's file and timeline (student number or exact name).
    /// Example: --child 20240701
    #[arg(long, value_name = "REF")]
    pub child: Option<String>,
    /// Only changes made by this staff member. Example: --staff 李建国
    #[arg(long, value_name = "NAME")]
    pub staff: Option<String>,
    /// Only changes from this day on. Example: --since 2026-11-01
    #[arg(long, value_name = "DATE", allow_hyphen_values = true)]
    pub since: Option<String>,
    /// Output: table, tsv or json.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The wall-clock time of a change, in local time.
fn when(e: &AuditEntry) -> String {
    chrono::DateTime::from_timestamp_millis(e.record.at_unix_ms)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

pub fn run(args: AuditArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let since = match &args.since {
        Some(s) => Some(ctx.date(Field::Date, s)?),
        None => None,
    };
    let service = ctx.open()?;
    let child = match &args.child {
        Some(r) => Some(service.resolve_child(r)?.id),
        None => None,
    };
    let staff = match &args.staff {
        Some(n) => Some(service.resolve_staff(Field::Staff, n)?.id),
        None => None,
    };
    let entries = service.audit(child, staff, since)?;
    let lang = ctx.lang;
    let who = |e: &AuditEntry| {
        e.actor_name
            .clone()
            .unwrap_or_else(|| lang.pick("(建校设置)", "(setup)").to_string())
    };
    match args.format {
        Format::Json => {
            #[derive(Serialize)]
            struct Line<'a> {
                at: String,
                #[serde(flatten)]
                entry: &'a AuditEntry,
            }
            let lines: Vec<Line> = entries
                .iter()
                .map(|e| Line {
                    at: when(e),
                    entry: e,
                })
                .collect();
            output::json(out, &lines)?;
        }
        Format::Tsv => {
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    vec![
                        e.record.seq.to_string(),
                        when(e),
                        who(e),
                        e.record.command.clone(),
                        e.record.target.clone(),
                        e.record.before.clone().unwrap_or_default(),
                        e.record.after.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            output::tsv(
                out,
                &["seq", "at", "staff", "command", "target", "before", "after"],
                &rows,
            )?;
        }
        Format::Table => {
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    vec![
                        e.record.seq.to_string(),
                        when(e),
                        output::fit(&who(e), 10),
                        e.record.command.clone(),
                        e.record.target.clone(),
                    ]
                })
                .collect();
            let header = match lang {
                Lang::Zh => ["序号", "时间", "操作人", "操作", "对象"],
                Lang::En => ["seq", "at", "staff", "command", "target"],
            };
            output::table(out, &header, &rows)?;
            writeln!(
                out,
                "{} {} ({})",
                lang.pick("共", "total"),
                entries.len(),
                lang.pick(
                    "改动前后的内容见 --format json",
                    "values before and after: --format json"
                )
            )?;
        }
    }
    Ok(())
}
