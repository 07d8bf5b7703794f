//! `guanai import`: a school's roster (every sheet of a workbook with a roster header, or a
//! CSV or text file) or a complete JSON dump. What was read from where is said first; every
//! mistake of every row is listed and nothing is written unless the whole file goes in.
//! The reading itself is `transfer`'s; the decisions (matching files on record, who may
//! import) are the service's.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::transfer::{read_error, spinner};
use super::{CliError, Context, Result};
use crate::domain::StaffId;
use crate::i18n::Lang;
use crate::service::{BatchAudit, Command, Outcome, Service};
use crate::transfer::dump::Dump;
use crate::transfer::{Mapping, RowError, describe, keep_rosters, parse_tables, read_tables};

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  guanai import 花名册.xlsx --dry-run          see what would be created, write nothing
  guanai import 花名册.xlsx --sheet 七年级
  guanai import roster.csv --update             update children already on file
  guanai import 登记表.xls --map '帮扶人=mentor'  read a column guanai does not know
  guanai import dump.json                       a complete dump into an empty database
Columns, values and encodings: docs/import.md")]
pub struct ImportArgs {
    /// The file: .xlsx, .xls, .ods, .csv (UTF-8 or GBK), Excel's Unicode text, or a .json
    /// dump. Example: 花名册.xlsx
    pub file: PathBuf,
    /// One sheet of a workbook. Default: every sheet with roster headers. Example: --sheet 花名册
    #[arg(long)]
    pub sheet: Option<String>,
    /// Show what would be created and updated; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Update children already on file (same student number, or same name and birth date)
    /// instead of refusing them.
    #[arg(long)]
    pub update: bool,
    /// A column guanai does not know, as a field: HEADER=FIELD (the field's English name or
    /// Chinese header); remembered for the school's next import. Repeatable.
    /// Example: --map '结对教师=mentor'
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub map: Vec<String>,
}

/// Every mistake, in the file's order (sheet by sheet when several were read).
pub(super) fn print_row_errors(
    file: &Path,
    errors: &[RowError],
    sheets: &[String],
    lang: Lang,
) -> CliError {
    let mut sorted: Vec<&RowError> = errors.iter().collect();
    let sheet_at = |e: &RowError| {
        e.sheet
            .as_ref()
            .and_then(|s| sheets.iter().position(|x| x == s))
            .unwrap_or(0)
    };
    sorted.sort_by_key(|e| (sheet_at(e), e.line));
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
        let sheet = match (&e.sheet, lang) {
            (Some(s), Lang::Zh) if sheets.len() > 1 => format!("工作表 {s} "),
            (Some(s), Lang::En) if sheets.len() > 1 => format!("sheet {s}, "),
            _ => String::new(),
        };
        let line = match (e.line, lang) {
            (0, _) => sheet,
            (n, Lang::Zh) => format!("{sheet}第 {n} 行, "),
            (n, Lang::En) => format!("{sheet}line {n}, "),
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
    let given =
        Mapping::parse(&args.map).map_err(|e| print_row_errors(&args.file, &[*e], &[], lang))?;
    let remembered = match &existing {
        Some(s) => s.import_mapping()?,
        None => Mapping::default(),
    };
    let mapping = given.clone().or(&remembered);
    let mut sheets = read_tables(&bytes, &name, args.sheet.as_deref(), |h| {
        mapping.column(h).is_some()
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
    keep_rosters(&mut sheets, &mapping);
    let headers_in_file: Vec<String> = sheets
        .tables
        .iter()
        .flat_map(|t| t.headers.iter())
        .map(|h| crate::transfer::columns::normalize_header(h))
        .collect();
    for (h, _) in given.0.iter().filter(|(h, _)| !headers_in_file.contains(h)) {
        match lang {
            Lang::Zh => writeln!(out, "--map {h}: 文件里没有这一列, 不读取也不记住")?,
            Lang::En => writeln!(
                out,
                "--map {h}: the file has no such column; not read, not remembered"
            )?,
        }
    }
    let sheet_names: Vec<String> = sheets
        .tables
        .iter()
        .filter_map(|t| t.sheet.clone())
        .collect();
    super::import_report::print_reading(
        out,
        &sheets,
        &describe(&sheets.tables, &mapping),
        args.dry_run,
        lang,
    )?;
    let staff: HashMap<String, StaffId> = match &existing {
        Some(s) => s.staff()?.into_iter().map(|s| (s.name, s.id)).collect(),
        None => HashMap::new(),
    };
    let (roster, mut errors) = parse_tables(&sheets.tables, ctx.today, &mapping, &|n| {
        staff.get(n.trim()).copied()
    });
    // The rows read without a mistake are checked against the files on record too, so that
    // every mistake of the file is listed at once.
    let plan = match &existing {
        Some(s) => {
            let (plan, more) = s.plan_import(roster.rows, args.update)?;
            errors.extend(more);
            plan
        }
        None => crate::service::ImportPlan {
            create: roster.rows.into_iter().map(|r| (r.line, r.child)).collect(),
            ..Default::default()
        },
    };
    if !errors.is_empty() {
        return Err(print_row_errors(&args.file, &errors, &sheet_names, lang));
    }
    drop(existing);
    super::import_report::print_unplaced(out, &plan, lang)?;
    if args.dry_run {
        let mut list = |word: &str, line: usize, c: &crate::domain::NewChild| {
            writeln!(
                out,
                "{word} {line}: {} {} {}",
                c.name,
                c.class,
                crate::domain::mask_ids_in(c.student_no.as_deref().unwrap_or(""))
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
                crate::domain::mask_ids_in(c.student_no.as_deref().unwrap_or(""))
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
    // The columns mapped by hand are remembered with the import, in the same transaction.
    // Only headers the file has are remembered (a typo in --map is said, not kept).
    let mut commands = Vec::new();
    let present: Vec<(String, String)> = given
        .0
        .iter()
        .filter(|(h, _)| headers_in_file.contains(h))
        .map(|(h, k)| (h.clone(), k.to_string()))
        .collect();
    if !present.is_empty() {
        commands.push(Command::RememberImportColumns(present));
    }
    commands.extend(plan.commands());
    let outcomes = service.execute_all(commands, BatchAudit::Each);
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
