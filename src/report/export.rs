//! A [`Document`] as Markdown (plain), HTML (one self-contained, printable page) or Word
//! (`docx.rs`). Returns bytes; choosing the file is the caller's business.

use super::figures::Figures;
use super::text::{Block, Document};
use crate::i18n::Lang;

/// The formats of a work summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown, plain text with headings.
    Md,
    /// One self-contained HTML page, printable.
    Html,
    /// Word (.docx).
    Docx,
    /// The figures as JSON, for programs.
    Json,
    /// A spreadsheet: the county roll-up's table of schools.
    Xlsx,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
        }
    }
}

/// The work summary of `figures` in `format`, dated `date`. The document names no child;
/// `with_names` adds the internal appendix that does. `anonymize` also takes every name out
/// of the figures (the JSON hand-off to the county).
pub fn render(
    figures: &Figures,
    format: Format,
    lang: Lang,
    anonymize: bool,
    with_names: bool,
    date: chrono::NaiveDate,
) -> Result<Vec<u8>, String> {
    // Copied only to take the names out.
    let figures: std::borrow::Cow<Figures> = if anonymize {
        let mut copy = figures.clone();
        super::anonymize(&mut copy);
        std::borrow::Cow::Owned(copy)
    } else {
        std::borrow::Cow::Borrowed(figures)
    };
    let doc = super::document(&figures, lang, with_names && !anonymize, date);
    Ok(match format {
        Format::Md => markdown(&doc).into_bytes(),
        Format::Html => html(&doc, lang).into_bytes(),
        Format::Json => {
            let file = super::combine::SummaryFile::school(figures.into_owned());
            let mut bytes = serde_json::to_vec_pretty(&file).map_err(|e| e.to_string())?;
            bytes.push(b'\n');
            bytes
        }
        Format::Docx => {
            let mut cursor = std::io::Cursor::new(Vec::new());
            super::docx::docx(&doc, lang, &figures.school, date, &mut cursor)?;
            cursor.into_inner()
        }
        Format::Xlsx => {
            return Err(lang
                .pick(
                    "xlsx 只用于县级汇总 (--combine); 学校的总结用 md、html、docx 或 json",
                    "xlsx is for the county roll-up (--combine); a school's summary is md, html, docx or json",
                )
                .to_string());
        }
    })
}

/// The county's roll-up in `format`, dated `date`: the document (md, html, docx), its
/// figures with a row per school (json), or the table of schools as a spreadsheet whose
/// numbers are numbers (xlsx).
pub fn render_county(
    county: &super::combine::SummaryFile,
    format: Format,
    lang: Lang,
    date: chrono::NaiveDate,
) -> Result<Vec<u8>, String> {
    let doc = super::text::county::document(county, lang, date);
    Ok(match format {
        Format::Md => markdown(&doc).into_bytes(),
        Format::Html => html(&doc, lang).into_bytes(),
        Format::Json => {
            let mut bytes = serde_json::to_vec_pretty(county).map_err(|e| e.to_string())?;
            bytes.push(b'\n');
            bytes
        }
        Format::Docx => {
            let mut cursor = std::io::Cursor::new(Vec::new());
            super::docx::docx(&doc, lang, &county.figures.school, date, &mut cursor)?;
            cursor.into_inner()
        }
        Format::Xlsx => county_xlsx(&doc).map_err(|e| e.to_string())?,
    })
}

/// Every table of the roll-up's document on a sheet of its own, numbers as numbers.
fn county_xlsx(doc: &Document) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let percent = rust_xlsxwriter::Format::new().set_num_format("0.0%");
    let mut n = 0;
    let mut heading = String::new();
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => heading = h.clone(),
            Block::Table { header, rows, .. } => {
                n += 1;
                let sheet = book.add_worksheet();
                // A sheet's name: at most 31 characters, none of []:*?/\.
                let name: String = heading
                    .chars()
                    .filter(|c| !"[]:*?/\\".contains(*c))
                    .take(28)
                    .collect();
                sheet.set_name(if name.is_empty() {
                    format!("{n}")
                } else {
                    name
                })?;
                for (c, h) in header.iter().enumerate() {
                    sheet.write_string_with_format(0, c as u16, h.as_str(), &bold)?;
                    sheet.set_column_width(c as u16, if c == 0 { 24 } else { 10 })?;
                }
                for (r, row) in rows.iter().enumerate() {
                    for (c, cell) in row.iter().enumerate() {
                        let (r, c) = (r as u32 + 1, c as u16);
                        let rate = cell.strip_suffix('%').and_then(|p| p.parse::<f64>().ok());
                        match (cell.parse::<f64>(), rate) {
                            (Ok(x), _) if c > 0 => sheet.write_number(r, c, x)?,
                            (_, Some(p)) if c > 0 => {
                                sheet.write_number_with_format(r, c, p / 100.0, &percent)?
                            }
                            // A school's name is text, never a formula.
                            _ => sheet.write_string(r, c, cell.as_str())?,
                        };
                    }
                }
            }
            _ => {}
        }
    }
    book.save_to_buffer()
}

/// Markdown: headings, paragraphs, lists, a pipe table, the signature as plain lines.
pub fn markdown(doc: &Document) -> String {
    let mut out = format!("# {}\n\n", doc.title);
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => out.push_str(&format!("## {h}\n\n")),
            Block::Paragraph(p) => out.push_str(&format!("{p}\n\n")),
            Block::List(items) => {
                for i in items {
                    out.push_str(&format!("- {i}\n"));
                }
                out.push('\n');
            }
            Block::Table { header, rows, .. } => {
                let cell = |s: &str| s.replace('|', "\\|");
                out.push_str(&format!(
                    "| {} |\n",
                    header
                        .iter()
                        .map(|h| cell(h))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ));
                out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
                for r in rows {
                    out.push_str(&format!(
                        "| {} |\n",
                        r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
                    ));
                }
                out.push('\n');
            }
            Block::Note(text) => out.push_str(&format!("*{text}*\n\n")),
            Block::Signature(lines) => {
                for l in lines {
                    out.push_str(&format!("{l}  \n"));
                }
                out.push('\n');
            }
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One HTML page with its style inside, laid out for A4 when printed.
pub fn html(doc: &Document, lang: Lang) -> String {
    let mut body = String::new();
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => body.push_str(&format!("<h2>{}</h2>\n", escape(h))),
            Block::Paragraph(p) => body.push_str(&format!("<p>{}</p>\n", escape(p))),
            Block::List(items) => {
                body.push_str("<ol>\n");
                for i in items {
                    body.push_str(&format!("<li>{}</li>\n", escape(i)));
                }
                body.push_str("</ol>\n");
            }
            Block::Table {
                header,
                rows,
                total,
            } => {
                body.push_str("<table>\n<thead><tr>");
                for h in header {
                    body.push_str(&format!("<th>{}</th>", escape(h)));
                }
                body.push_str("</tr></thead>\n<tbody>\n");
                for (i, r) in rows.iter().enumerate() {
                    let class = if *total && i + 1 == rows.len() {
                        " class=\"total\""
                    } else {
                        ""
                    };
                    body.push_str(&format!("<tr{class}>"));
                    for c in r {
                        body.push_str(&format!("<td>{}</td>", escape(c)));
                    }
                    body.push_str("</tr>\n");
                }
                body.push_str("</tbody>\n</table>\n");
            }
            Block::Note(text) => {
                body.push_str(&format!("<p class=\"note\">{}</p>\n", escape(text)))
            }
            Block::Signature(lines) => {
                body.push_str("<p class=\"signature\">");
                body.push_str(
                    &lines
                        .iter()
                        .map(|l| escape(l))
                        .collect::<Vec<_>>()
                        .join("<br>"),
                );
                body.push_str("</p>\n");
            }
        }
    }
    // Chinese paragraphs open with a two-character indent; English ones do not.
    let indent = match lang {
        Lang::Zh => "2em",
        Lang::En => "0",
    };
    let lang = match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
  body {{ font-family: "SimSun", "宋体", "Songti SC", "Noto Serif CJK SC", serif; font-size: 12pt;
         line-height: 1.8; max-width: 42em; margin: 2em auto; padding: 0 1em; color: #000; }}
  h1 {{ font-family: "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", sans-serif; font-size: 18pt;
        text-align: center; }}
  h2 {{ font-family: "SimHei", "黑体", "Heiti SC", "Noto Sans CJK SC", sans-serif; font-size: 14pt;
        margin-top: 1.2em; }}
  p {{ text-indent: {indent}; margin: 0.4em 0; }}
  table {{ border-collapse: collapse; margin: 0.6em 0; }}
  thead {{ display: table-header-group; }}
  tr {{ page-break-inside: avoid; }}
  th, td {{ border: 1px solid #000; padding: 0.2em 0.6em; text-align: center; }}
  tr.total td {{ font-weight: bold; }}
  p.note {{ text-indent: 0; font-size: 10.5pt; }}
  .signature {{ text-align: right; text-indent: 0; margin-top: 2em; }}
  @page {{ size: A4; margin: 2.5cm 2cm; }}
  @media print {{ body {{ margin: 0; max-width: none; }} }}
</style>
</head>
<body>
<h1>{title}</h1>
{body}</body>
</html>
"#,
        title = escape(&doc.title)
    )
}
