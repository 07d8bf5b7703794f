//! The paper forms as a Word file that prints right in Word and LibreOffice: A4, 宋体 (Times
//! New Roman for Latin letters), each page's title in 黑体, bordered grids with shaded labels,
//! tables whose header row repeats on every page, a page break between pages, dashed cut
//! lines between contact cards, page numbers in the footer, the language (zh-CN or en-US)
//! and the document's properties set.
//!
//! The package (styles, footer, properties) is built with docx-rs; the body, which for a
//! school's 10,000 files runs to 10,000 pages, is written here straight as WordprocessingML.
//! Writes into the writer it is given.

use std::fmt::Write as _;
use std::io::{Seek, Write};

use docx_rs::{AlignmentType, Docx, Footer, PageMargin, PageNum, Paragraph};

use super::{Cell, Piece, Sheets};
use crate::i18n::Lang;
use crate::report::docx::{BODY_MARK, HEI, SONG, column_widths, finish_with, fonts};

/// Text in the forms: 五号 (10.5 pt), in half-points.
const SMALL: usize = 21;
/// A page's title: 三号 (16 pt).
const TITLE: usize = 32;
/// The width of the text on an A4 page with 2 cm margins, in twentieths of a point.
const TEXT_WIDTH: usize = 11906 - 2 * 1134;

/// Text made safe inside XML.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // No other control character reaches a record; none reaches the file either.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// How a paragraph is set.
#[derive(Clone, Copy, Default)]
struct Look {
    bold: bool,
    /// Half-points; the default size when 0.
    size: usize,
    center: bool,
    right: bool,
    keep_next: bool,
    page_break: bool,
}

/// One paragraph; a line break in the text stays a line break.
fn paragraph(out: &mut String, text: &str, look: Look) {
    out.push_str("<w:p><w:pPr>");
    if look.page_break {
        out.push_str("<w:pageBreakBefore/>");
    }
    if look.keep_next {
        out.push_str("<w:keepNext/>");
    }
    out.push_str(r#"<w:spacing w:before="0" w:after="0" w:line="300" w:lineRule="auto"/>"#);
    if look.center {
        out.push_str(r#"<w:jc w:val="center"/>"#);
    } else if look.right {
        out.push_str(r#"<w:jc w:val="right"/>"#);
    }
    out.push_str("</w:pPr>");
    let mut props = String::new();
    if look.bold {
        let _ = write!(props, r#"<w:rFonts w:eastAsia="{HEI}"/><w:b/>"#);
    }
    if look.size > 0 {
        let _ = write!(
            props,
            r#"<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>"#,
            look.size
        );
    }
    for (i, line) in text.split('\n').enumerate() {
        out.push_str("<w:r>");
        if !props.is_empty() {
            let _ = write!(out, "<w:rPr>{props}</w:rPr>");
        }
        if i > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str(r#"<w:t xml:space="preserve">"#);
        escape(line, out);
        out.push_str("</w:t></w:r>");
    }
    out.push_str("</w:p>");
}

/// A bordered table of fixed column widths; its first `header` rows repeat on every page;
/// `small` sets it a size smaller (a table of many columns keeps its words whole).
fn table(out: &mut String, widths: &[usize], rows: &[Vec<Cell>], header: usize, small: bool) {
    out.push_str("<w:tbl><w:tblPr>");
    let _ = write!(out, r#"<w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/>"#);
    out.push_str("<w:tblBorders>");
    for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
        let _ = write!(
            out,
            r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#
        );
    }
    out.push_str(r#"</w:tblBorders><w:tblLayout w:type="fixed"/>"#);
    out.push_str(r#"<w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>"#);
    out.push_str("</w:tblPr><w:tblGrid>");
    for w in widths {
        let _ = write!(out, r#"<w:gridCol w:w="{w}"/>"#);
    }
    out.push_str("</w:tblGrid>");
    for (i, row) in rows.iter().enumerate() {
        out.push_str("<w:tr><w:trPr><w:cantSplit/>");
        if i < header {
            out.push_str("<w:tblHeader/>");
        }
        out.push_str("</w:trPr>");
        let mut col = 0;
        for cell in row {
            let span = cell.span.max(1);
            let width: usize = widths.iter().skip(col).take(span).sum();
            col += span;
            let _ = write!(out, r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>"#);
            if span > 1 {
                let _ = write!(out, r#"<w:gridSpan w:val="{span}"/>"#);
            }
            if cell.label {
                out.push_str(r#"<w:shd w:val="clear" w:color="auto" w:fill="EDEDED"/>"#);
            }
            out.push_str("</w:tcPr>");
            paragraph(
                out,
                &cell.text,
                Look {
                    bold: cell.label,
                    size: if small { 18 } else { 0 },
                    ..Look::default()
                },
            );
            // Room to write by hand under a short value.
            for _ in 1..cell.lines {
                paragraph(out, "", Look::default());
            }
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    // A little room under a table, so that two tables never touch.
    paragraph(out, "", Look::default());
}

/// The body of the document: every page of `sheets`.
fn body(sheets: &Sheets) -> String {
    let mut out = String::with_capacity(sheets.pages.len() * 12_000);
    for (i, page) in sheets.pages.iter().enumerate() {
        paragraph(
            &mut out,
            &page.title,
            Look {
                bold: true,
                size: TITLE,
                center: true,
                keep_next: true,
                page_break: i > 0,
                ..Look::default()
            },
        );
        paragraph(
            &mut out,
            &page.subtitle,
            Look {
                center: true,
                keep_next: true,
                ..Look::default()
            },
        );
        for piece in &page.blocks {
            match piece {
                Piece::Grid { columns, rows } => {
                    let col = TEXT_WIDTH / (*columns).max(1);
                    table(&mut out, &vec![col; *columns], rows, 0, false);
                }
                Piece::Table {
                    caption,
                    header,
                    rows,
                    total,
                } => {
                    let widths = column_widths(header, rows, TEXT_WIDTH);
                    let mut cells: Vec<Vec<Cell>> = Vec::new();
                    if let Some(c) = caption {
                        cells.push(vec![Cell::label(c).span(header.len())]);
                    }
                    cells.push(header.iter().map(|h| Cell::label(h)).collect());
                    for (i, r) in rows.iter().enumerate() {
                        let bold = *total && i + 1 == rows.len();
                        cells.push(
                            r.iter()
                                .map(|c| {
                                    let mut cell = Cell::value(c.clone());
                                    cell.label = bold;
                                    cell
                                })
                                .collect(),
                        );
                    }
                    let header_rows = 1 + usize::from(caption.is_some());
                    table(&mut out, &widths, &cells, header_rows, header.len() > 7);
                }
                Piece::Text(t) => paragraph(
                    &mut out,
                    t,
                    Look {
                        bold: true,
                        keep_next: true,
                        ..Look::default()
                    },
                ),
                Piece::Signature(lines) => {
                    for l in lines {
                        paragraph(
                            &mut out,
                            l,
                            Look {
                                right: true,
                                ..Look::default()
                            },
                        );
                    }
                }
                Piece::CutLine => paragraph(
                    &mut out,
                    &format!("✂{}", " - ".repeat(30)),
                    Look {
                        center: true,
                        ..Look::default()
                    },
                ),
            }
        }
    }
    out
}

/// The forms as an A4 Word file, for `school`, dated `date`.
pub fn docx<W: Write + Seek>(
    sheets: &Sheets,
    lang: Lang,
    school: &str,
    date: chrono::NaiveDate,
    out: W,
) -> Result<(), String> {
    let d = Docx::new()
        .default_fonts(fonts(SONG))
        .default_size(SMALL)
        .page_size(11906, 16838)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1134)
                .right(1134),
        )
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_page_num(PageNum::new()),
            ),
        )
        .add_paragraph(Paragraph::new().add_run(docx_rs::Run::new().add_text(BODY_MARK)));
    let mut packed = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut packed).map_err(|e| e.to_string())?;
    let doc = crate::report::Document {
        title: sheets.title.clone(),
        blocks: Vec::new(),
    };
    finish_with(
        packed.into_inner(),
        &doc,
        lang,
        school,
        date,
        out,
        Some(&body(sheets)),
    )
}
