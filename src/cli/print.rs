//! `guanai print KIND`: the paper forms an inspection asks for, as an A4 Word file — 档案,
//! 联系卡, 结对登记, 统计表, 家访记录表, 谈心记录表 — for one child, a class or the school.
//! Every print is in the audit log.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{CliError, Context, Result};
use crate::print::Form;
use crate::service::{Field, PrintSelection, ServiceError};

#[derive(Debug, Args)]
#[command(
    after_help = "Forms: file (档案), contacts (联系卡), pairs (结对登记), stats (统计表),
  visits (家访记录表), talks (谈心记录表)

Examples:
  guanai print file --class 七(2)班 --out 七(2)班档案.docx
  guanai print contacts --class 七(2)班 --out 联系卡.docx
  guanai print visits --class 七(2)班 --term 2026秋 --out 家访记录.docx
  guanai print stats --all --out 统计表.docx
  guanai print file --child 张小珠 --out 张小珠档案.docx"
)]
pub struct PrintArgs {
    /// Which form: file, contacts, pairs, stats, visits or talks (or 档案, 联系卡, 结对, 统计,
    /// 家访, 谈心). Example: file
    pub form: String,
    /// One class. Example: --class 七(2)班
    #[arg(long, conflicts_with_all = ["child", "all"])]
    pub class: Option<String>,
    /// One child: student number or exact name. Example: --child 张小珠
    #[arg(long, value_name = "REF", conflicts_with = "all")]
    pub child: Option<String>,
    /// Every child on the roster (administrators and counsellors).
    #[arg(long)]
    pub all: bool,
    /// Whose entries are printed: the term (default: the current one) or a period.
    #[command(flatten)]
    pub period: super::report::PeriodArgs,
    /// Counsellors only: print the counselling sessions too (never printed otherwise).
    #[arg(long)]
    pub include_counseling: bool,
    /// The Word file to write (readable by you only). Example: --out 档案.docx
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Overwrite the --out file if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn run_print(args: PrintArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let lang = ctx.lang;
    let form = Form::parse(&args.form).ok_or_else(|| {
        CliError::Service(ServiceError::invalid_with(
            Field::Kind,
            &args.form,
            "file (档案)、contacts (联系卡)、pairs (结对登记)、stats (统计表)、visits (家访记录表) 或 talks (谈心记录表)",
            "file, contacts, pairs, stats, visits or talks",
        ))
    })?;
    super::check_out(&args.out, args.force, lang)?;
    // Read-write: the printing is recorded in the audit log. No database is created here.
    if ctx.db.try_exists().is_ok_and(|there| !there) {
        return Err(super::no_database(ctx));
    }
    let service = ctx.open()?;
    let selection = match (&args.class, &args.child, args.all) {
        (Some(class), _, _) => PrintSelection::Class(class.clone()),
        (_, Some(child), _) => PrintSelection::Child(service.resolve_child(child)?.id),
        (_, _, true) => PrintSelection::All,
        _ => {
            return Err(CliError::Input(
                lang.pick(
                    "请说明为谁打印: --class 班级、--child 学生 或 --all (全校)",
                    "say whose forms to print: --class CLASS, --child REF or --all (the school)",
                )
                .to_string(),
            ));
        }
    };
    let settings = service.settings()?;
    let (_, from, to) = args.period.resolve(&settings, ctx)?;
    let pack = service.print_pack(form.key(), &selection, from, to, args.include_counseling)?;
    if pack.children.is_empty() {
        return Err(CliError::Input(match (&selection, lang) {
            (PrintSelection::Class(c), crate::i18n::Lang::Zh) => {
                format!("--class: \"{c}\" 没有在册的学生 (guanai child list 列出各班)")
            }
            (PrintSelection::Class(c), crate::i18n::Lang::En) => {
                format!(
                    "--class: no child on the roster in \"{c}\" (guanai child list lists the classes)"
                )
            }
            (_, _) => lang
                .pick("没有在册的学生可以打印", "no child on the roster to print")
                .to_string(),
        }));
    }
    let sheets = crate::print::forms::build(form, &pack, lang);
    let mut bytes = std::io::Cursor::new(Vec::new());
    crate::print::docx::docx(&sheets, lang, &pack.school, ctx.today, &mut bytes)
        .map_err(CliError::Failed)?;
    super::write_out(&args.out, bytes.get_ref(), args.force, lang)?;
    writeln!(
        out,
        "{} {} ({} {}, {} {}) → {}",
        lang.pick("已打印", "printed"),
        lang.pick(form.zh(), form.en()),
        pack.children.len(),
        lang.pick("名学生", "children"),
        sheets.pages.len(),
        lang.pick("张表", "forms"),
        args.out.display()
    )?;
    Ok(())
}
