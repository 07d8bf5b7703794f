//! A [`Document`] as Markdown (plain), HTML (one self-contained, printable page) or Word
//! (.docx through docx-rs, with Chinese fonts named so that Word and LibreOffice show it
//! right). Writes into the writer it is given; choosing the file is the caller's business.

use std::io::{Seek, Write};

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
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Json => "json",
        }
    }
}

/// The work summary of `figures` in `format`, dated `date`; `anonymize` leaves every
/// child's name out (of the text and of the figures).
pub fn render(
    figures: &Figures,
    format: Format,
    lang: Lang,
    anonymize: bool,
    date: chrono::NaiveDate,
) -> Result<Vec<u8>, String> {
    let mut figures = figures.clone();
    if anonymize {
        super::anonymize(&mut figures);
    }
    let doc = super::document(&figures, lang, anonymize, date);
    Ok(match format {
        Format::Md => markdown(&doc).into_bytes(),
        Format::Html => html(&doc, lang).into_bytes(),
        Format::Json => {
            let mut bytes = serde_json::to_vec_pretty(&figures).map_err(|e| e.to_string())?;
            bytes.push(b'\n');
            bytes
        }
        Format::Docx => {
            let mut cursor = std::io::Cursor::new(Vec::new());
            docx(&doc, &mut cursor)?;
            cursor.into_inner()
        }
    })
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
            Block::Table { header, rows } => {
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
            Block::Signature(lines) => {
                for l in lines {
                    out.push_str(&format!("{l}  \n"));
                }
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
            Block::Table { header, rows } => {
                body.push_str("<table>\n<thead><tr>");
                for h in header {
                    body.push_str(&format!("<th>{}</th>", escape(h)));
                }
                body.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    body.push_str("<tr>");
                    for c in r {
                        body.push_str(&format!("<td>{}</td>", escape(c)));
                    }
                    body.push_str("</tr>\n");
                }
                body.push_str("</tbody>\n</table>\n");
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
  p {{ text-indent: 2em; margin: 0.4em 0; }}
  table {{ border-collapse: collapse; margin: 0.6em 0; }}
  th, td {{ border: 1px solid #000; padding: 0.2em 0.6em; text-align: center; }}
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

/// The fonts of every run: 宋体 for Chinese, Times New Roman for Latin letters and digits.
fn fonts(east_asia: &str) -> docx_rs::RunFonts {
    docx_rs::RunFonts::new()
        .east_asia(east_asia)
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

fn run(text: &str, east_asia: &str, half_points: usize, bold: bool) -> docx_rs::Run {
    let r = docx_rs::Run::new()
        .add_text(text)
        .fonts(fonts(east_asia))
        .size(half_points);
    if bold { r.bold() } else { r }
}

/// A Word document (.docx): 宋体 小四 body, 黑体 headings, the title centred, the class table
/// with borders, the signature on the right.
pub fn docx<W: Write + Seek>(doc: &Document, out: W) -> Result<(), String> {
    use docx_rs::{AlignmentType, Docx, Paragraph, Table, TableCell, TableRow};
    const SONG: &str = "宋体";
    const HEI: &str = "黑体";
    let mut d = Docx::new().default_fonts(fonts(SONG)).default_size(24);
    d = d.add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run(&doc.title, HEI, 36, true)),
    );
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => {
                d = d.add_paragraph(Paragraph::new().add_run(run(h, HEI, 28, true)));
            }
            Block::Paragraph(p) => {
                d = d.add_paragraph(
                    Paragraph::new()
                        .indent(
                            None,
                            Some(docx_rs::SpecialIndentType::FirstLine(480)),
                            None,
                            None,
                        )
                        .add_run(run(p, SONG, 24, false)),
                );
            }
            Block::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    d = d.add_paragraph(Paragraph::new().add_run(run(
                        &format!("{}. {item}", i + 1),
                        SONG,
                        24,
                        false,
                    )));
                }
            }
            Block::Table { header, rows } => {
                let cell = |text: &str, bold: bool| {
                    TableCell::new().add_paragraph(
                        Paragraph::new()
                            .align(AlignmentType::Center)
                            .add_run(run(text, SONG, 21, bold)),
                    )
                };
                let mut table_rows = vec![TableRow::new(
                    header.iter().map(|h| cell(h, true)).collect(),
                )];
                for r in rows {
                    table_rows.push(TableRow::new(r.iter().map(|c| cell(c, false)).collect()));
                }
                d = d.add_table(Table::new(table_rows));
            }
            Block::Signature(lines) => {
                for l in lines {
                    d = d.add_paragraph(
                        Paragraph::new()
                            .align(AlignmentType::Right)
                            .add_run(run(l, SONG, 24, false)),
                    );
                }
            }
        }
    }
    d.build().pack(out).map_err(|e| e.to_string())
}
