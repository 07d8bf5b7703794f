//! The work summary as a Word document a principal prints and hands in unchanged: A4, 宋体
//! body with Times New Roman for Latin letters, headings in 黑体 with heading styles (an
//! outline in Word's navigation pane), fixed 28 pt line spacing, first-line indents in
//! Chinese only, page numbers in the footer, the class table's header repeated on every page
//! with its 合计 row, the language set (zh-CN or en-US), and the document's properties (title,
//! school, date).
//!
//! docx-rs writes the package; the few parts it has no builder for (the repeating header row,
//! the language, the core properties) are set in its XML afterwards. Writes into the writer
//! it is given; choosing the file is the caller's business.

use std::io::{Read, Seek, Write};

use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, LineSpacingType, PageNum, Paragraph, RunFonts,
    SpecialIndentType, Style, StyleType, Table, TableCell, TableLayoutType, TableRow, WidthType,
};

use super::text::{Block, Document};
use crate::i18n::Lang;

pub(crate) const SONG: &str = "宋体";
pub(crate) const HEI: &str = "黑体";
/// Body text: 小四 (12 pt), in half-points.
const BODY: usize = 24;
/// The page's text width in twips: A4 (11,906) less the 公文 side margins (2.8 and 2.6 cm).
const TEXT_WIDTH: usize = 11906 - 1588 - 1474;
/// Fixed line spacing for print: 28 pt, in twentieths of a point.
const LINE: i32 = 560;

/// A table's column widths on a page `text_width` wide (twips): each in proportion to its longest text (at least a
/// date's, at most a sentence's), so that notes get the room and dates stay on one line.
pub(crate) fn column_widths(
    header: &[String],
    rows: &[Vec<String>],
    text_width: usize,
) -> Vec<usize> {
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let weights: Vec<usize> = (0..header.len())
        .map(|i| {
            let longest = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| width(c))
                .chain(std::iter::once(width(&header[i])))
                .max()
                .unwrap_or(4);
            longest.clamp(6, 40)
        })
        .collect();
    let total: usize = weights.iter().sum::<usize>().max(1);
    weights.iter().map(|w| text_width * w / total).collect()
}

/// The fonts of every run: 宋体 (or 黑体) for Chinese, Times New Roman for Latin letters and
/// digits.
pub(crate) fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

pub(crate) fn run(text: &str, east_asia: &str, half_points: usize, bold: bool) -> docx_rs::Run {
    let r = docx_rs::Run::new()
        .add_text(text)
        .fonts(fonts(east_asia))
        .size(half_points);
    if bold { r.bold() } else { r }
}

fn spacing() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(LINE)
}

/// The heading styles: Heading1 for the title, Heading2 for the sections, with outline
/// levels so that Word's navigation pane and a table of contents find them.
fn styles(d: Docx) -> Docx {
    d.add_style(
        Style::new("Heading1", StyleType::Paragraph)
            .name("heading 1")
            .fonts(fonts(HEI))
            .size(36)
            .bold()
            .align(AlignmentType::Center)
            .outline_lvl(0),
    )
    .add_style(
        Style::new("Heading2", StyleType::Paragraph)
            .name("heading 2")
            .fonts(fonts(HEI))
            .size(28)
            .bold()
            .outline_lvl(1),
    )
}

/// The Word package of `doc`, dated `date`, for `school`.
pub fn docx<W: Write + Seek>(
    doc: &Document,
    lang: Lang,
    school: &str,
    date: chrono::NaiveDate,
    out: W,
) -> Result<(), String> {
    let indent = matches!(lang, Lang::Zh);
    let mut d = styles(
        Docx::new()
            .default_fonts(fonts(SONG))
            .default_size(BODY)
            .default_line_spacing(spacing())
            // A4 with the margins of a 公文: 3.7 cm top, 3.5 cm bottom, 2.8 / 2.6 cm sides.
            .page_size(11906, 16838)
            .page_margin(
                docx_rs::PageMargin::new()
                    .top(2098)
                    .bottom(1984)
                    .left(1588)
                    .right(1474),
            ),
    );
    d = d.footer(
        Footer::new().add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_page_num(PageNum::new()),
        ),
    );
    d = d.add_paragraph(
        Paragraph::new()
            .style("Heading1")
            .add_run(run(&doc.title, HEI, 36, true)),
    );
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => {
                // A heading never ends a page: it stays with what it heads.
                d = d.add_paragraph(
                    Paragraph::new()
                        .style("Heading2")
                        .keep_next(true)
                        .add_run(run(h, HEI, 28, true)),
                );
            }
            Block::Paragraph(p) => {
                let mut para = Paragraph::new().add_run(run(p, SONG, BODY, false));
                if indent {
                    para = para.indent(None, Some(SpecialIndentType::FirstLine(480)), None, None);
                }
                d = d.add_paragraph(para);
            }
            Block::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let mut para = Paragraph::new().add_run(run(
                        &format!("{}. {item}", i + 1),
                        SONG,
                        BODY,
                        false,
                    ));
                    if indent {
                        para =
                            para.indent(None, Some(SpecialIndentType::FirstLine(480)), None, None);
                    }
                    d = d.add_paragraph(para);
                }
            }
            Block::Table {
                header,
                rows,
                total,
            } => {
                // Columns as wide as their texts need (a class name on one line), not equal.
                let widths = column_widths(header, rows, TEXT_WIDTH);
                let cell = |text: &str, bold: bool, column: usize| {
                    TableCell::new()
                        .width(widths.get(column).copied().unwrap_or(0), WidthType::Dxa)
                        .add_paragraph(
                            Paragraph::new()
                                .align(AlignmentType::Center)
                                .line_spacing(
                                    LineSpacing::new()
                                        .line_rule(LineSpacingType::Auto)
                                        .line(240),
                                )
                                .add_run(run(text, SONG, 21, bold)),
                        )
                };
                let mut table_rows = vec![
                    TableRow::new(
                        header
                            .iter()
                            .enumerate()
                            .map(|(k, h)| cell(h, true, k))
                            .collect(),
                    )
                    .cant_split(),
                ];
                for (i, r) in rows.iter().enumerate() {
                    let bold = *total && i + 1 == rows.len();
                    table_rows.push(
                        TableRow::new(
                            r.iter()
                                .enumerate()
                                .map(|(k, c)| cell(c, bold, k))
                                .collect(),
                        )
                        .cant_split(),
                    );
                }
                d = d.add_table(
                    Table::new(table_rows)
                        .set_grid(widths.clone())
                        .layout(TableLayoutType::Fixed)
                        .width(TEXT_WIDTH, WidthType::Dxa),
                );
            }
            Block::Note(text) => {
                d = d.add_paragraph(Paragraph::new().add_run(run(text, SONG, 21, false)));
            }
            Block::Signature(lines) => {
                // The school's name and the date on one page (the name had ended a page,
                // the date begun the next).
                for (i, l) in lines.iter().enumerate() {
                    d = d.add_paragraph(
                        Paragraph::new()
                            .align(AlignmentType::Right)
                            .keep_next(i + 1 < lines.len())
                            .add_run(run(l, SONG, BODY, false)),
                    );
                }
            }
        }
    }
    let mut packed = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut packed).map_err(|e| e.to_string())?;
    finish(packed.into_inner(), doc, lang, school, date, out)
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Sets in the package what docx-rs has no builder for: every table's first row repeats on
/// each page (`w:tblHeader`), the text's language (`w:lang`, East Asian included), and the
/// core properties (title, author = the school, dates).
fn finish<W: Write + Seek>(
    package: Vec<u8>,
    doc: &Document,
    lang: Lang,
    school: &str,
    date: chrono::NaiveDate,
    out: W,
) -> Result<(), String> {
    finish_with(package, doc, lang, school, date, out, None)
}

/// The paragraph a package built for [`finish_with`] holds where its body goes.
pub(crate) const BODY_MARK: &str = "@@GUANAI-BODY@@";

/// [`finish`], and with `body` (WordprocessingML written by the caller, whose tables mark
/// their own header rows) put in place of the paragraph holding [`BODY_MARK`]: a long
/// document (10,000 pages of forms) written straight as XML, not node by node, and packed
/// with fast compression.
pub(crate) fn finish_with<W: Write + Seek>(
    package: Vec<u8>,
    doc: &Document,
    lang: Lang,
    school: &str,
    date: chrono::NaiveDate,
    out: W,
    body: Option<&str>,
) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Display| e.to_string();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(package)).map_err(|e| err(&e))?;
    let mut writer = zip::ZipWriter::new(out);
    // The document's language, and the language of its Latin-script runs (numbers, dates,
    // percentages) beside that of its Chinese ones. Marked Chinese too, digits were broken
    // like ideographs by LibreOffice: "落实率 7" at a line's end and "1.6%" on the next.
    let (val, western, east) = match lang {
        Lang::Zh => ("zh-CN", "en-US", "zh-CN"),
        Lang::En => ("en-US", "en-US", "zh-CN"),
    };
    let stamp = format!("{date}T00:00:00Z");
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|e| err(&e))?;
        let name = part.name().to_string();
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).map_err(|e| err(&e))?;
        let bytes = match name.as_str() {
            "word/document.xml" => {
                let xml = String::from_utf8(bytes).map_err(|e| err(&e))?;
                match body {
                    Some(body) => with_body(&xml, body).into_bytes(),
                    None => repeat_first_rows(&xml).into_bytes(),
                }
            }
            "word/styles.xml" => {
                let xml = String::from_utf8(bytes).map_err(|e| err(&e))?;
                let lang_tag = format!(r#"<w:lang w:val="{western}" w:eastAsia="{east}" />"#);
                match xml.find("<w:rPrDefault><w:rPr>") {
                    Some(at) => {
                        let at = at + "<w:rPrDefault><w:rPr>".len();
                        format!("{}{lang_tag}{}", &xml[..at], &xml[at..]).into_bytes()
                    }
                    None => xml.into_bytes(),
                }
            }
            "docProps/core.xml" => format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{title}</dc:title><dc:creator>{school}</dc:creator><cp:lastModifiedBy>{school}</cp:lastModifiedBy><dc:language>{val}</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>"#,
                title = xml_escape(&doc.title),
                school = xml_escape(school),
            )
            .into_bytes(),
            _ => bytes,
        };
        let options = match body {
            Some(_) => zip::write::SimpleFileOptions::default().compression_level(Some(1)),
            None => zip::write::SimpleFileOptions::default(),
        };
        writer.start_file(name, options).map_err(|e| err(&e))?;
        writer.write_all(&bytes).map_err(|e| err(&e))?;
    }
    writer.finish().map_err(|e| err(&e))?;
    Ok(())
}

/// `xml` with the paragraph that holds [`BODY_MARK`] replaced by `body`.
fn with_body(xml: &str, body: &str) -> String {
    let Some(mark) = xml.find(BODY_MARK) else {
        return xml.to_string();
    };
    let before = &xml[..mark];
    let start = [before.rfind("<w:p>"), before.rfind("<w:p ")]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(mark);
    let end = xml[mark..]
        .find("</w:p>")
        .map_or(mark, |e| mark + e + "</w:p>".len());
    let mut out = String::with_capacity(xml.len() + body.len());
    out.push_str(&xml[..start]);
    out.push_str(body);
    out.push_str(&xml[end..]);
    out
}

/// Marks the first row of every table as a header row that Word and LibreOffice repeat at
/// the top of each page the table runs onto.
fn repeat_first_rows(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() + 64);
    let mut rest = xml;
    while let Some(at) = rest.find("<w:tbl>") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match rest.find("<w:tr>") {
            Some(tr) => {
                let after = tr + "<w:tr>".len();
                out.push_str(&rest[..after]);
                rest = &rest[after..];
                if let Some(inner) = rest.strip_prefix("<w:trPr>") {
                    out.push_str("<w:trPr><w:tblHeader />");
                    rest = inner;
                } else {
                    out.push_str("<w:trPr><w:tblHeader /></w:trPr>");
                }
            }
            None => {
                out.push_str("<w:tbl>");
                rest = &rest["<w:tbl>".len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_row_of_each_table_repeats() {
        let xml = "<w:body><w:tbl><w:tblPr/><w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc/></w:tr><w:tr></w:tr></w:tbl><w:tbl><w:tr><w:tc/></w:tr></w:tbl></w:body>";
        let out = repeat_first_rows(xml);
        assert_eq!(out.matches("<w:tblHeader />").count(), 2);
        assert!(out.contains("<w:tr><w:trPr><w:tblHeader /><w:cantSplit />"));
        assert!(out.contains("<w:tbl><w:tr><w:trPr><w:tblHeader /></w:trPr><w:tc/>"));
    }
}
