//! What `guanai import` says before it writes: the sheets it read and passed over, each
//! sheet's header row and the rows above it, which column became which field, the columns
//! it ignored, the total and signature rows it set aside; after, the children who came in
//! without a class.

use std::io::Write;

use super::Result;
use crate::i18n::Lang;
use crate::service::ImportPlan;
use crate::transfer::roster::UNPLACED;
use crate::transfer::{SheetReport, Sheets};

/// A header or sheet name as it may be printed: control characters and direction overrides
/// escaped, whatever the output is (piped output is not escaped by the terminal writer).
fn shown(text: &str) -> String {
    super::output::escape_for_terminal(text).into_owned()
}

/// The reading of the file, sheet by sheet; with `mapping`, which column became which field.
pub(super) fn print_reading(
    out: &mut dyn Write,
    sheets: &Sheets,
    reports: &[SheetReport],
    mapping: bool,
    lang: Lang,
) -> Result<()> {
    let several = reports.len() > 1;
    if several || !sheets.passed_over.is_empty() || !sheets.hidden.is_empty() {
        let read: Vec<String> = reports
            .iter()
            .filter_map(|r| r.sheet.as_deref().map(shown))
            .collect();
        match lang {
            Lang::Zh => writeln!(out, "读取 {} 个工作表: {}", read.len(), read.join("、"))?,
            Lang::En => writeln!(out, "read {} sheet(s): {}", read.len(), read.join(", "))?,
        }
        if !sheets.hidden.is_empty() {
            let hidden = shown(&sheets.hidden.join("、"));
            match lang {
                Lang::Zh => writeln!(out, "隐藏的工作表, 未读取: {hidden}")?,
                Lang::En => writeln!(out, "hidden sheets, not read: {hidden}")?,
            }
        }
        if !sheets.passed_over.is_empty() {
            match lang {
                Lang::Zh => writeln!(
                    out,
                    "未读取 (没有花名册的列名): {}",
                    shown(&sheets.passed_over.join("、"))
                )?,
                Lang::En => writeln!(
                    out,
                    "not read (no roster header): {}",
                    shown(&sheets.passed_over.join(", "))
                )?,
            }
        }
    }
    for r in reports {
        let at = match (&r.sheet, lang) {
            (Some(s), Lang::Zh) if several => format!("工作表 {}: ", shown(s)),
            (Some(s), Lang::En) if several => format!("sheet {}: ", shown(s)),
            _ => String::new(),
        };
        if !r.skipped.is_empty() {
            let lines: Vec<String> = r.skipped.iter().map(usize::to_string).collect();
            match lang {
                Lang::Zh => writeln!(
                    out,
                    "{at}跳过表头上方的第 {} 行 (标题等); 第 {} 行是列名",
                    lines.join("、"),
                    r.header_line
                )?,
                Lang::En => writeln!(
                    out,
                    "{at}skipped line(s) {} above the header (a title …); line {} holds the column names",
                    lines.join(", "),
                    r.header_line
                )?,
            }
        }
        if let Some(class) = &r.class_from_sheet {
            match lang {
                Lang::Zh => writeln!(out, "{at}没有班级列, 班级取自工作表名: {class}")?,
                Lang::En => writeln!(
                    out,
                    "{at}no class column: the class is the sheet's name, {class}"
                )?,
            }
        }
        if mapping {
            let pairs = r.mapping_words(lang);
            match lang {
                Lang::Zh => writeln!(out, "{at}读取的列: {}", pairs.join(", "))?,
                Lang::En => writeln!(out, "{at}columns read: {}", pairs.join(", "))?,
            }
        }
        if !r.ignored.is_empty() {
            writeln!(
                out,
                "{at}{}: {}",
                lang.pick("未识别、已忽略的列", "columns not recognised, ignored"),
                shown(&r.ignored.join(", "))
            )?;
        }
        if !r.unnamed.is_empty() {
            writeln!(
                out,
                "{at}{}: {}",
                lang.pick(
                    "有内容但没有列名的列, 未读取",
                    "columns with values but no header, not read"
                ),
                r.unnamed.join(", ")
            )?;
        }
        for (line, begins) in &r.summary_rows {
            match lang {
                Lang::Zh => writeln!(
                    out,
                    "{at}跳过第 {line} 行 ({begins}…): 合计或签字行, 不是学生"
                )?,
                Lang::En => writeln!(
                    out,
                    "{at}skipped line {line} ({begins}…): a total or signature, not a child"
                )?,
            }
        }
    }
    if mapping && reports.iter().any(|r| !r.ignored.is_empty()) {
        writeln!(
            out,
            "{}",
            lang.pick(
                "要读取未识别的列, 加 --map '列名=字段', 如 --map '结对教师=mentor' (下次导入会记住)",
                "to read a column not recognised, add --map 'HEADER=FIELD', e.g. --map '结对教师=mentor' (remembered for the next import)"
            )
        )?;
    }
    Ok(())
}

/// The children who come in as 未分班, by name, for an administrator to place.
pub(super) fn print_unplaced(out: &mut dyn Write, plan: &ImportPlan, lang: Lang) -> Result<()> {
    let unplaced: Vec<&str> = plan
        .create
        .iter()
        .filter(|(_, c)| c.class == UNPLACED)
        .map(|(_, c)| c.name.as_str())
        .collect();
    if unplaced.is_empty() {
        return Ok(());
    }
    const SHOWN: usize = 20;
    let mut names = unplaced
        .iter()
        .take(SHOWN)
        .copied()
        .collect::<Vec<_>>()
        .join("、");
    if unplaced.len() > SHOWN {
        names.push_str(&match lang {
            Lang::Zh => format!(" 等 {} 名", unplaced.len()),
            Lang::En => format!(" and {} more", unplaced.len() - SHOWN),
        });
    }
    let n = unplaced.len();
    match lang {
        Lang::Zh => writeln!(
            out,
            "注意: 文件没有班级列, {n} 名学生记为 未分班: {names}。请管理员为他们分班 (guanai child list --class 未分班 列出他们; 程序里选中后按 e 修改档案)"
        )?,
        Lang::En => writeln!(
            out,
            "note: the file has no class column; {n} children come in as 未分班 (unplaced): {names}. An administrator places them (guanai child list --class 未分班 lists them; in the app select one and press e)"
        )?,
    }
    Ok(())
}
