//! `guanai report` (the term work summary in Markdown, HTML, Word or JSON) and `guanai terms`
//! (the names `--term` takes).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;

use super::{CliError, Context, Result, output};
use crate::i18n::Lang;
use crate::report;
use crate::service::Field;

use crate::report::export::Format;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Markdown, plain text with headings.
    Md,
    /// One self-contained HTML page, printable.
    Html,
    /// Word (.docx); needs --out when the output is a terminal.
    Docx,
    /// The figures as JSON, for programs.
    Json,
    /// A spreadsheet (.xlsx) of the county roll-up's tables (with --combine).
    Xlsx,
}

impl ReportFormat {
    fn format(self) -> Format {
        match self {
            ReportFormat::Md => Format::Md,
            ReportFormat::Html => Format::Html,
            ReportFormat::Docx => Format::Docx,
            ReportFormat::Json => Format::Json,
            ReportFormat::Xlsx => Format::Xlsx,
        }
    }
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  guanai report                                      this term's summary as Markdown
  guanai report --term 2026秋 --format docx --out 2026秋工作总结.docx
  guanai report --from 2026-09-01 --to 2026-11-30 --format json
  guanai report --format html --out summary.html    to print or hand in (names no child)
  guanai report --with-names                         with an internal list of names, for the school
  guanai report --format json --anonymize --out 青山小学.json   the county's copy
  guanai report --combine 青山小学.json 石门小学.json --county 某某县 --format docx --out 汇总.docx")]
pub struct ReportArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
    pub format: ReportFormat,
    /// Leave every child's name out of the figures too (the JSON hand-off to the county);
    /// the document itself never names a child.
    #[arg(long)]
    pub anonymize: bool,
    /// Add an internal appendix naming children (those without a home visit, awards), for
    /// the school's own use; never for the bureau.
    #[arg(long, conflicts_with = "anonymize")]
    pub with_names: bool,
    /// Write to this file (created readable by you only) instead of the screen.
    /// Example: --out 工作总结.docx
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Overwrite the --out file if it exists.
    #[arg(long)]
    pub force: bool,
    /// The county's roll-up: add up these schools' summaries (each written with --format
    /// json --anonymize) instead of reporting on this database. Example: --combine a.json b.json
    #[arg(long, num_args = 1.., value_name = "FILE", conflicts_with_all = ["term", "from", "to", "with_names"])]
    pub combine: Vec<PathBuf>,
    /// The roll-up's name for the county (with --combine). Example: --county 青山县
    #[arg(long, requires = "combine", value_name = "NAME")]
    pub county: Option<String>,
}

// The period a command covers: a term by name, or a `--from`/`--to` pair (the report and the
// printed forms take the same options). Not a doc comment: the subcommands are built when
// they are used, and an `Args` struct's doc would then replace the command's description.
#[derive(Debug, Args)]
pub struct PeriodArgs {
    /// The term, by the name `guanai terms` shows (default: the current term, or the last one
    /// in a break). Example: --term 2026秋
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub term: Option<String>,
    /// The first day of a period that is not a term (with --to). Example: --from 2026-09-01
    #[arg(long, requires = "to", value_name = "DATE", allow_hyphen_values = true)]
    pub from: Option<String>,
    /// The last day of the period (with --from). Example: --to 2026-11-30
    #[arg(
        long,
        requires = "from",
        value_name = "DATE",
        allow_hyphen_values = true
    )]
    pub to: Option<String>,
}

/// The period of a report: a term by name, a `--from`/`--to` pair, or the default term.
impl PeriodArgs {
    /// The term's name (when a term was meant) and the period's first and last day.
    pub fn resolve(
        &self,
        settings: &crate::domain::Settings,
        ctx: &Context,
    ) -> Result<(Option<String>, chrono::NaiveDate, chrono::NaiveDate)> {
        period(
            self.term.as_deref(),
            self.from.as_deref(),
            self.to.as_deref(),
            settings,
            ctx,
        )
    }
}

fn period(
    args_term: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
    settings: &crate::domain::Settings,
    ctx: &Context,
) -> Result<(Option<String>, chrono::NaiveDate, chrono::NaiveDate)> {
    let terms = report::terms(settings, ctx.today);
    if let (Some(from), Some(to)) = (from, to) {
        let (from, to) = (ctx.date(Field::Date, from)?, ctx.date(Field::Date, to)?);
        if from > to {
            return Err(CliError::Input(match ctx.lang {
                Lang::Zh => format!("--from {from} 晚于 --to {to}: 开始日期不能晚于结束日期"),
                Lang::En => format!(
                    "--from {from} is after --to {to}: the period must start before it ends"
                ),
            }));
        }
        return Ok((None, from, to));
    }
    let term = match args_term {
        Some(name) => terms
            .iter()
            .find(|t| t.name == name.trim())
            .cloned()
            .ok_or_else(|| {
                let names: Vec<&str> = terms.iter().map(|t| t.name.as_str()).collect();
                CliError::Input(match ctx.lang {
                    Lang::Zh => format!(
                        "--term: 没有学期 \"{name}\"; 可用 (guanai terms): {}",
                        names.join(", ")
                    ),
                    Lang::En => format!(
                        "--term: no term \"{name}\"; accepted (guanai terms): {}",
                        names.join(", ")
                    ),
                })
            })?,
        None => report::default_term(settings, ctx.today).ok_or_else(|| {
            CliError::Input(
                ctx.lang
                    .pick(
                        "没有可用的学期: 请用 --from 和 --to 给出日期",
                        "no term to report on: give the period with --from and --to",
                    )
                    .to_string(),
            )
        })?,
    };
    Ok((Some(term.name.clone()), term.start, term.end))
}

pub fn run_report(args: ReportArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    if let Some(path) = &args.out {
        super::check_out(path, args.force, ctx.lang)?;
    }
    let binary = matches!(args.format, ReportFormat::Docx | ReportFormat::Xlsx);
    if binary && args.out.is_none() && std::io::stdout().is_terminal() {
        return Err(CliError::Input(
            ctx.lang
                .pick(
                    "--out: docx 和 xlsx 需要指定输出文件, 如 --out 工作总结.docx",
                    "--out: docx and xlsx need a file to write, e.g. --out summary.docx",
                )
                .to_string(),
        ));
    }
    if !args.combine.is_empty() {
        let bytes = combined(&args, ctx)?;
        return finish(&args, &bytes, ctx, out);
    }
    if args.format == ReportFormat::Xlsx {
        return Err(CliError::Input(
            ctx.lang
                .pick(
                    "--format xlsx 只用于县级汇总 (--combine); 学校的总结用 md、html、docx 或 json",
                    "--format xlsx is for the county roll-up (--combine); a school's summary is md, html, docx or json",
                )
                .to_string(),
        ));
    }
    let service = super::transfer::open_existing(ctx)?;
    let (rules, _) = super::overdue::load_rules(ctx.lang)?;
    let settings = service.settings()?;
    let (term, from, to) = args.period.resolve(&settings, ctx)?;
    let figures = service.report(&rules, term.as_deref(), from, to)?;
    let bytes = crate::report::export::render(
        &figures,
        args.format.format(),
        ctx.lang,
        args.anonymize,
        args.with_names,
        ctx.today,
    )
    .map_err(CliError::Failed)?;
    service.release(figures);
    finish(&args, &bytes, ctx, out)
}

/// The county's roll-up of the files given with --combine, in the format asked for.
fn combined(args: &ReportArgs, ctx: &Context) -> Result<Vec<u8>> {
    /// A summary is a few hundred kilobytes; anything far larger is not one.
    const LARGEST: u64 = 64 * 1024 * 1024;
    let mut files = Vec::with_capacity(args.combine.len());
    for path in &args.combine {
        let name = path.display().to_string();
        let unreadable = |why: String| {
            CliError::Input(match ctx.lang {
                Lang::Zh => format!("--combine: 读不了 {name}: {why}"),
                Lang::En => format!("--combine: cannot read {name}: {why}"),
            })
        };
        // Read at most one byte past the limit, whatever the file is (a pipe, /dev/zero).
        let mut bytes = Vec::new();
        let file = std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))?;
        std::io::Read::read_to_end(&mut std::io::Read::take(file, LARGEST + 1), &mut bytes)
            .map_err(|e| unreadable(e.to_string()))?;
        if bytes.len() as u64 > LARGEST {
            return Err(unreadable(
                ctx.lang
                    .pick("文件太大, 不是总结", "too large to be a summary")
                    .into(),
            ));
        }
        let text = String::from_utf8(bytes).map_err(|_| {
            CliError::Input(
                crate::report::combine::CombineError::NotASummary {
                    file: name.clone(),
                    reason: ctx.lang.pick("不是 UTF-8 文本", "not UTF-8 text").into(),
                }
                .message(ctx.lang),
            )
        })?;
        files.push((name, text));
    }
    let county = args
        .county
        .clone()
        .unwrap_or_else(|| ctx.lang.pick("全县", "County").to_string());
    let summary = crate::report::combine::combine(&county, &files)
        .map_err(|e| CliError::Input(e.message(ctx.lang)))?;
    crate::report::export::render_county(&summary, args.format.format(), ctx.lang, ctx.today)
        .map_err(CliError::Failed)
}

/// Writes the report to --out (saying where) or to standard output.
fn finish(args: &ReportArgs, bytes: &[u8], ctx: &Context, out: &mut dyn Write) -> Result<()> {
    match &args.out {
        Some(path) => {
            super::write_out(path, bytes, args.force, ctx.lang)?;
            writeln!(
                out,
                "{} {}",
                ctx.lang.pick("已写入", "written to"),
                path.display()
            )?;
        }
        None => out.write_all(bytes)?,
    }
    Ok(())
}

/// `guanai terms`: the terms a report may be for, the current one marked.
pub fn run_terms(ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let service = super::transfer::open_existing(ctx)?;
    let settings = service.settings()?;
    let current = report::default_term(&settings, ctx.today).map(|t| t.name);
    let rows: Vec<Vec<String>> = report::terms(&settings, ctx.today)
        .into_iter()
        .map(|t| {
            let mark = if Some(&t.name) == current.as_ref() {
                ctx.lang.pick("← 默认", "← default").to_string()
            } else {
                String::new()
            };
            vec![t.name, t.start.to_string(), t.end.to_string(), mark]
        })
        .collect();
    let header = match ctx.lang {
        Lang::Zh => ["学期", "开始", "结束", ""],
        Lang::En => ["term", "start", "end", ""],
    };
    output::table(out, &header, &rows)?;
    Ok(())
}
