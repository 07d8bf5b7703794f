//! `guanai export`: a school's data out, as CSV, .xlsx or a JSON dump (import is
//! `import.rs`; backup, restore and check are `database.rs`).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{CliError, Context, Result};
use crate::domain::{StaffId, class_order};
use crate::i18n::Lang;
use crate::service::Service;
use crate::transfer::write::{
    EVENT_HEADERS, event_row, roster_headers, roster_row, without_id, write_csv, write_xlsx,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum What {
    /// The active children, one row each, with the import's columns.
    Roster,
    /// Every event with its child.
    Events,
    /// Both (xlsx: two sheets; json: the complete dump).
    All,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  guanai export --format xlsx --out 花名册.xlsx
  guanai export --format csv --what events --out 记录.csv
  guanai export --format json --out school.json      a complete dump")]
pub struct ExportArgs {
    /// csv (UTF-8 with BOM, opens in Excel), xlsx, or json.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// What to export. Default: roster (json: all).
    #[arg(long, value_enum)]
    pub what: Option<What>,
    /// The file to write (required for xlsx). Default: standard output. Example: --out 花名册.xlsx
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Overwrite the --out file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Include the children's identity numbers (身份证号), for the civil-affairs register;
    /// administrators only. Without it they are left out.
    #[arg(long)]
    pub include_id: bool,
}

pub(super) fn read_error(path: &Path, e: std::io::Error, lang: Lang) -> CliError {
    CliError::Input(format!(
        "{}: {} ({e})",
        path.display(),
        lang.pick("无法读取文件", "cannot read the file")
    ))
}

/// A spinner on the terminal for long work; nothing when stderr is not a terminal.
pub(super) fn spinner(message: &str) -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

pub fn run_export(args: ExportArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let lang = ctx.lang;
    if let Some(path) = &args.out
        && path.is_dir()
    {
        return Err(CliError::Input(match lang {
            Lang::Zh => format!(
                "--out: {} 是目录; 请给出文件名, 如 {}/花名册.xlsx",
                path.display(),
                path.display()
            ),
            Lang::En => format!(
                "--out: {} is a directory; give a file name, e.g. {}/roster.xlsx",
                path.display(),
                path.display()
            ),
        }));
    }
    if let Some(path) = &args.out {
        super::check_out(path, args.force, lang)?;
    }
    // Opened for writing: a counsellor's export reads the notes file and records the reading.
    drop(open_existing(ctx)?);
    let service = ctx.open()?;
    let what = args.what.unwrap_or(match args.format {
        ExportFormat::Json => What::All,
        _ => What::Roster,
    });
    if args.format == ExportFormat::Csv && what == What::All {
        return Err(CliError::Input(
            lang.pick(
                "--what all: CSV 只能放一张表; 请用 --what roster 或 --what events, 或改用 --format xlsx",
                "--what all: a CSV file holds one table; use --what roster or --what events, or --format xlsx",
            )
            .to_string(),
        ));
    }
    if args.format == ExportFormat::Xlsx && args.out.is_none() {
        return Err(CliError::Input(
            lang.pick(
                "--out: xlsx 需要指定输出文件, 如 --out 花名册.xlsx",
                "--out: xlsx needs a file to write, e.g. --out roster.xlsx",
            )
            .to_string(),
        ));
    }
    if args.include_id && !service.may_see_ids() {
        return Err(crate::service::ServiceError::NotPermitted {
            who: service.actor().name(),
            what: "export identity numbers (身份证号)",
        }
        .into());
    }
    let bar = spinner(lang.pick("导出中…", "exporting…"));
    // The events are read only when they are exported.
    let mut dump = if what == What::Roster {
        service.roster_dump()?
    } else {
        service.dump()?
    };
    // Identity numbers leave only when asked for, by an administrator.
    if !args.include_id {
        for c in &mut dump.records.children {
            c.register.id_no = None;
            // A 学籍号 written G + the identity number carries it too.
            if let Some(no) = &mut c.student_no {
                *no = crate::domain::mask_ids_in(no).into_owned();
            }
        }
    }
    let staff: HashMap<StaffId, String> = dump
        .records
        .staff
        .iter()
        .map(|s| (s.id, s.name.clone()))
        .collect();
    let mut active: Vec<&crate::domain::Child> = dump
        .records
        .children
        .iter()
        .filter(|c| c.is_active())
        .collect();
    active.sort_by_cached_key(|c| {
        let (g, n, _) = class_order(&c.class);
        (g, n, c.class.clone(), c.student_no.clone(), c.id)
    });
    let id_column = |row: Vec<String>| {
        if args.include_id {
            row
        } else {
            without_id(row)
        }
    };
    let roster_rows: Vec<Vec<String>> = active
        .iter()
        .map(|c| id_column(roster_row(c, &staff)))
        .collect();
    let roster_headers = || {
        let headers = roster_headers();
        if args.include_id {
            headers
        } else {
            without_id(headers)
        }
    };
    let children: HashMap<_, _> = dump.records.children.iter().map(|c| (c.id, c)).collect();
    let event_rows = || -> Vec<Vec<String>> {
        let mut events: Vec<&crate::domain::Event> = dump.records.events.iter().collect();
        events.sort_by_key(|e| (e.date, e.id));
        let withheld = lang.pick("(仅心理辅导教师可见)", "(visible to counsellors only)");
        events
            .iter()
            .filter_map(|e| {
                let c = children.get(&e.child)?;
                let summary = if e.kind.is_restricted() && e.summary.is_empty() {
                    withheld
                } else {
                    e.summary.as_str()
                };
                Some(event_row(
                    c,
                    e,
                    staff.get(&e.staff).map(String::as_str).unwrap_or(""),
                    summary,
                ))
            })
            .collect()
    };
    let mut bytes: Vec<u8> = Vec::new();
    match (args.format, what) {
        (ExportFormat::Json, What::All) => {
            serde_json::to_writer_pretty(&mut bytes, &dump).map_err(std::io::Error::other)?
        }
        (ExportFormat::Json, What::Roster) => {
            serde_json::to_writer_pretty(&mut bytes, &active).map_err(std::io::Error::other)?
        }
        (ExportFormat::Json, What::Events) => {
            serde_json::to_writer_pretty(&mut bytes, &dump.records.events)
                .map_err(std::io::Error::other)?
        }
        (ExportFormat::Csv, What::Roster) => {
            write_csv(&mut bytes, &roster_headers(), &roster_rows)?
        }
        (ExportFormat::Csv, What::Events) => write_csv(&mut bytes, &EVENT_HEADERS, &event_rows())?,
        (ExportFormat::Csv, What::All) => {}
        (ExportFormat::Xlsx, _) => {
            let mut sheets = Vec::new();
            if what != What::Events {
                sheets.push(("花名册", roster_headers(), roster_rows.clone()));
            }
            if what != What::Roster {
                sheets.push(("记录", EVENT_HEADERS.to_vec(), event_rows()));
            }
            bytes = write_xlsx(&sheets).map_err(|e| CliError::Failed(format!("xlsx: {e}")))?;
        }
    }
    if args.format == ExportFormat::Json {
        bytes.push(b'\n');
        if dump.counselling_withheld {
            eprintln!(
                "guanai: {}",
                lang.pick(
                    "注意: 心理辅导记录的内容未导出 (只有心理辅导教师的导出包含它们)",
                    "note: counselling notes were left out (only a counsellor's export holds them)"
                )
            );
        }
    }
    bar.finish_and_clear();
    match &args.out {
        Some(path) => {
            super::write_out(path, &bytes, args.force, lang)?;
            let n = match (args.format, what) {
                (ExportFormat::Json, What::All) => {
                    dump.records.children.len() + dump.records.events.len()
                }
                (_, What::Events) => dump.records.events.len(),
                _ => roster_rows.len(),
            };
            writeln!(
                out,
                "{} {} ({n} {})",
                lang.pick("已导出到", "written to"),
                path.display(),
                lang.pick("行", "rows")
            )?;
        }
        None => out.write_all(&bytes)?,
    }
    Ok(())
}

/// The database, which must exist, opened for reading only.
pub(super) fn open_existing(ctx: &Context) -> Result<Service> {
    // A file this account may not even see is not "missing": opening it says why.
    if ctx.db.try_exists().is_ok_and(|there| !there) {
        return Err(super::no_database(ctx));
    }
    let mut service = Service::open_read_only(&ctx.db, ctx.today, ctx.identity.clone())?;
    // A query: what it read in bulk is left to the exit, as for `Context::open_to_read`.
    service.set_one_shot();
    Ok(service)
}
