//! `guanai import` and `export`: getting a school in and its data out. Backup, restore and
//! check are in `database.rs`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::{CliError, Context, Result};
use crate::domain::{StaffId, class_order};
use crate::i18n::Lang;
use crate::service::{BatchAudit, Command, Outcome, Service};
use crate::transfer::columns::column_for;
use crate::transfer::dump::Dump;
use crate::transfer::write::{
    EVENT_HEADERS, event_row, roster_headers, roster_row, write_csv, write_xlsx,
};
use crate::transfer::{RowError, parse_roster, read_table};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  guanai import 花名册.xlsx --dry-run          see what would be created, write nothing
  guanai import 花名册.xlsx --sheet 七年级
  guanai import roster.csv --update             update children already on file
  guanai import dump.json                       a complete dump into an empty database
Columns, values and encodings: docs/import.md")]
pub struct ImportArgs {
    /// The file: .xlsx, .csv (UTF-8 or GBK) or a .json dump. Example: 花名册.xlsx
    pub file: PathBuf,
    /// The sheet of a workbook. Default: the first sheet with roster headers. Example: --sheet 花名册
    #[arg(long)]
    pub sheet: Option<String>,
    /// Show what would be created and updated; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Update children already on file (same student number, or same name and birth date)
    /// instead of refusing them.
    #[arg(long)]
    pub update: bool,
}

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
}

fn read_error(path: &Path, e: std::io::Error, lang: Lang) -> CliError {
    CliError::Input(format!(
        "{}: {} ({e})",
        path.display(),
        lang.pick("无法读取文件", "cannot read the file")
    ))
}

fn print_row_errors(file: &Path, errors: &[RowError], lang: Lang) -> CliError {
    let mut sorted: Vec<&RowError> = errors.iter().collect();
    sorted.sort_by_key(|e| e.line);
    let mut msg = match lang {
        Lang::Zh => format!(
            "{}: 导入失败, 没有写入任何数据。请修改以下 {} 处后重试:",
            file.display(),
            errors.len()
        ),
        Lang::En => format!(
            "{}: nothing was imported. Correct these {} mistakes and try again:",
            file.display(),
            errors.len()
        ),
    };
    // The first mistakes say what to fix; a sheet of junk must not print a million lines.
    const SHOWN: usize = 50;
    let more = sorted.len().saturating_sub(SHOWN);
    for e in sorted.into_iter().take(SHOWN) {
        let line = match (e.line, lang) {
            (0, _) => String::new(),
            (n, Lang::Zh) => format!("第 {n} 行, "),
            (n, Lang::En) => format!("line {n}, "),
        };
        // A refusal that is about the whole row (who may import it), not one cell.
        if e.column.is_empty() && e.value.is_empty() {
            let line = line.trim_end_matches(", ");
            msg.push_str(&format!(
                "\n  {line}: {}",
                lang.pick(&e.expected_zh, &e.expected_en)
            ));
            continue;
        }
        match lang {
            Lang::Zh => msg.push_str(&format!(
                "\n  {line}{}: \"{}\" 不接受。应为: {}",
                e.column, e.value, e.expected_zh
            )),
            Lang::En => msg.push_str(&format!(
                "\n  {line}{}: \"{}\" is not accepted. Expected: {}",
                e.column, e.value, e.expected_en
            )),
        }
    }
    if more > 0 {
        msg.push_str(&match lang {
            Lang::Zh => format!("\n  …… 还有 {more} 处 (先改上面的, 再导入一次就会列出其余的)"),
            Lang::En => format!(
                "\n  … and {more} more (correct the ones above; importing again lists the rest)"
            ),
        });
    }
    CliError::Input(msg)
}

/// A spinner on the terminal for long work; nothing when stderr is not a terminal.
pub(super) fn spinner(message: &str) -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// The largest roster file (CSV or .xlsx) read: a school's roster is well under a megabyte.
const MAX_ROSTER_FILE: u64 = 64 * 1024 * 1024;
/// The largest dump read (a county's dump of 2.5 million events is about 400 MB).
const MAX_DUMP_FILE: u64 = 512 * 1024 * 1024;

pub fn run_import(args: ImportArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let lang = ctx.lang;
    let size = std::fs::metadata(&args.file)
        .map_err(|e| read_error(&args.file, e, lang))?
        .len();
    let dump_named = args
        .file
        .to_string_lossy()
        .to_lowercase()
        .ends_with(".json");
    if size > MAX_ROSTER_FILE && !dump_named || size > MAX_DUMP_FILE {
        let mb = size / (1024 * 1024);
        return Err(CliError::Input(match lang {
            Lang::Zh => format!(
                "{}: 文件有 {mb} MB, 不像花名册 (花名册一般不到 1 MB, 最多读 64 MB); 请确认选对了文件",
                args.file.display()
            ),
            Lang::En => format!(
                "{}: the file is {mb} MB, not a roster (a roster is usually under 1 MB; at most 64 MB is read); check that it is the right file",
                args.file.display()
            ),
        }));
    }
    let bytes = std::fs::read(&args.file).map_err(|e| read_error(&args.file, e, lang))?;
    let name = args.file.display().to_string();
    let is_json = name.to_lowercase().ends_with(".json")
        || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if is_json {
        let dump: Dump = serde_json::from_slice(&bytes).map_err(|e| {
            CliError::Input(format!(
                "{name}: {} (line {}, column {}): {e}",
                lang.pick(
                    "不是 guanai 导出的 JSON 完整文件",
                    "not a complete JSON dump written by guanai"
                ),
                e.line(),
                e.column()
            ))
        })?;
        crate::service::check_dump(&dump)?;
        if ctx.db.exists() {
            let existing = Service::open_read_only(&ctx.db, ctx.today, ctx.identity.clone())?;
            if !existing.staff()?.is_empty() || !existing.children()?.is_empty() {
                return Err(crate::service::ServiceError::NotEmpty.into());
            }
        }
        if dump.counselling_withheld {
            writeln!(
                out,
                "{}",
                lang.pick(
                    "注意: 这份导出不含心理辅导记录的内容 (导出人不是心理辅导教师)",
                    "note: this dump holds no counselling notes (it was not taken by a counsellor)"
                )
            )?;
        }
        if args.dry_run {
            writeln!(
                out,
                "{}: {} {} / {} {} / {} {}",
                name,
                dump.records.children.len(),
                lang.pick("名学生", "children"),
                dump.records.staff.len(),
                lang.pick("名教师", "staff"),
                dump.records.events.len(),
                lang.pick("条记录 (未写入)", "events (nothing written)")
            )?;
            return Ok(());
        }
        let service = ctx.open()?;
        let bar = spinner(lang.pick("写入中…", "writing…"));
        let outcome = service.execute(Command::LoadDump(Box::new(dump)));
        bar.finish_and_clear();
        if let Outcome::Loaded(n) = outcome? {
            writeln!(
                out,
                "{} {n} {}",
                lang.pick("已导入", "loaded"),
                lang.pick("条数据", "records")
            )?;
        }
        return Ok(());
    }
    let table = read_table(&bytes, &name, args.sheet.as_deref(), |h| {
        column_for(h).is_some()
    })
    .map_err(|e| {
        CliError::Input(format!(
            "{name}: {}",
            match lang {
                Lang::Zh => e.zh(),
                Lang::En => e.to_string(),
            }
        ))
    })?;
    if !table.skipped.is_empty() {
        let lines: Vec<String> = table.skipped.iter().map(usize::to_string).collect();
        writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!(
                    "跳过表头上方的第 {} 行 (标题等); 第 {} 行是列名",
                    lines.join("、"),
                    table.header_line
                ),
                Lang::En => format!(
                    "skipped line(s) {} above the header (a title …); line {} holds the column names",
                    lines.join(", "),
                    table.header_line
                ),
            }
        )?;
    }
    for (line, begins) in &table.summary_rows {
        writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!("跳过第 {line} 行 ({begins}…): 合计或签字行, 不是学生"),
                Lang::En =>
                    format!("skipped line {line} ({begins}…): a total or signature, not a child"),
            }
        )?;
    }
    // Read what is on file without opening the database for writing: a refused import leaves
    // it byte for byte as it was.
    let existing = if ctx.db.exists() {
        Some(Service::open_read_only(
            &ctx.db,
            ctx.today,
            ctx.identity.clone(),
        )?)
    } else {
        None
    };
    let staff: HashMap<String, StaffId> = match &existing {
        Some(s) => s.staff()?.into_iter().map(|s| (s.name, s.id)).collect(),
        None => HashMap::new(),
    };
    let roster = parse_roster(&table, ctx.today, |n| staff.get(n).copied())
        .map_err(|errors| print_row_errors(&args.file, &errors, lang))?;
    let (plan, errors) = match &existing {
        Some(s) => s.plan_import(roster.rows, args.update)?,
        None => (
            crate::service::ImportPlan {
                create: roster.rows.into_iter().map(|r| (r.line, r.child)).collect(),
                ..Default::default()
            },
            Vec::new(),
        ),
    };
    if !errors.is_empty() {
        return Err(print_row_errors(&args.file, &errors, lang));
    }
    drop(existing);
    if !roster.ignored.is_empty() {
        writeln!(
            out,
            "{}: {}",
            lang.pick("未识别、已忽略的列", "columns not recognised, ignored"),
            roster.ignored.join(", ")
        )?;
    }
    let unplaced = plan
        .create
        .iter()
        .filter(|(_, c)| c.class == crate::transfer::roster::UNPLACED)
        .count();
    if unplaced > 0 {
        writeln!(
            out,
            "{}",
            match lang {
                Lang::Zh => format!(
                    "注意: 文件没有班级列, {unplaced} 名学生记为 未分班; 请管理员为他们分班 (程序里选中后按 e 修改档案)"
                ),
                Lang::En => format!(
                    "note: the file has no class column; {unplaced} children come in as 未分班 (unplaced) for an administrator to place (select one in the app and press e)"
                ),
            }
        )?;
    }
    if args.dry_run {
        let mut list = |word: &str, line: usize, c: &crate::domain::NewChild| {
            writeln!(
                out,
                "{word} {line}: {} {} {}",
                c.name,
                c.class,
                c.student_no.as_deref().unwrap_or("")
            )
        };
        for (line, c) in &plan.create {
            list(lang.pick("新建 第", "create, line"), *line, c)?;
        }
        for (line, _, c) in &plan.update {
            list(lang.pick("更新 第", "update, line"), *line, c)?;
        }
        for (line, c) in &plan.unchanged {
            let unchanged = lang.pick("未变 第", "unchanged, line");
            writeln!(
                out,
                "{unchanged} {line}: {} {} {}",
                c.name,
                c.class,
                c.student_no.as_deref().unwrap_or("")
            )?;
        }
        let (create, update, unchanged) =
            (plan.create.len(), plan.update.len(), plan.unchanged.len());
        match lang {
            Lang::Zh => writeln!(
                out,
                "将新建 {create} 名、更新 {update} 名、未变 {unchanged} 名 (试运行, 未写入)"
            )?,
            Lang::En => writeln!(
                out,
                "would create {create}, update {update}, leave {unchanged} unchanged (dry run, nothing written)"
            )?,
        }
        return Ok(());
    }
    let already = plan.unchanged.len();
    let service = ctx.open()?;
    let bar = spinner(lang.pick("写入中…", "writing…"));
    let outcomes = service.execute_all(plan.commands(), BatchAudit::Each);
    bar.finish_and_clear();
    let outcomes = outcomes?;
    let count = |f: fn(&Outcome) -> bool| outcomes.iter().filter(|o| f(o)).count();
    let (created, updated, unchanged) = (
        count(|o| matches!(o, Outcome::Child(_))),
        count(|o| matches!(o, Outcome::Updated(_))),
        count(|o| matches!(o, Outcome::Unchanged(_))) + already,
    );
    match lang {
        Lang::Zh => writeln!(
            out,
            "已导入: 新建 {created} 名, 更新 {updated} 名, 未变 {unchanged} 名"
        )?,
        Lang::En => writeln!(
            out,
            "imported: {created} created, {updated} updated, {unchanged} unchanged"
        )?,
    }
    Ok(())
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
    let bar = spinner(lang.pick("导出中…", "exporting…"));
    // The events are read only when they are exported.
    let dump = if what == What::Roster {
        service.roster_dump()?
    } else {
        service.dump()?
    };
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
    let roster_rows: Vec<Vec<String>> = active.iter().map(|c| roster_row(c, &staff)).collect();
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
    Ok(Service::open_read_only(
        &ctx.db,
        ctx.today,
        ctx.identity.clone(),
    )?)
}
