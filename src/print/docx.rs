//! The paper forms as a Word file that prints right in Word and LibreOffice: A4, 宋体 (Times
//! New Roman for Latin letters), each page's title in 黑体, bordered grids with shaded labels,
//! tables whose header row repeats on every page, a page break between pages, dashed cut
//! lines between contact cards, page numbers in the footer, the language (zh-CN or en-US)
//! and the document's properties set. Writes into the writer it is given.

use std::io::{Seek, Write};

use docx_rs::{
    AlignmentType, BreakType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum,
    Paragraph, Shading, ShdType, Table, TableCell, TableRow, WidthType,
};

use super::{Cell, Piece, Sheets};
use crate::i18n::Lang;
use crate::report::docx::{HEI, SONG, finish, fonts, run};

/// Text in the forms: 五号 (10.5 pt), in half-points.
const SMALL: usize = 21;
/// The width of the text on an A4 page with 2 cm margins, in twentieths of a point.
const TEXT_WIDTH: usize = 11906 - 2 * 1134;

fn tight() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(300)
}

fn para(text: &str, bold: bool) -> Paragraph {
    let mut p = Paragraph::new().line_spacing(tight());
    // A line break in a note stays a line break on paper.
    for (i, line) in text.split('\n').enumerate() {
        let mut r = run(line, if bold { HEI } else { SONG }, SMALL, bold);
        if i > 0 {
            r = docx_rs::Run::new()
                .add_break(BreakType::TextWrapping)
                .fonts(fonts(SONG));
            p = p.add_run(r);
            r = run(line, SONG, SMALL, bold);
        }
        p = p.add_run(r);
    }
    p
}

fn grid_cell(c: &Cell, col_width: usize) -> TableCell {
    let mut cell = TableCell::new()
        .width(col_width * c.span, WidthType::Dxa)
        .add_paragraph(para(&c.text, c.label));
    // Room to write by hand: empty lines under a short value.
    for _ in 1..c.lines {
        cell = cell.add_paragraph(Paragraph::new().line_spacing(tight()));
    }
    if c.span > 1 {
        cell = cell.grid_span(c.span);
    }
    if c.label {
        cell = cell.shading(Shading::new().shd_type(ShdType::Clear).fill("EDEDED"));
    }
    cell
}

/// A table's column widths on the page: each in proportion to its longest text (at least a
/// date's, at most a sentence's), so that notes get the room and dates stay on one line.
fn column_widths(header: &[String], rows: &[Vec<String>]) -> Vec<usize> {
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
    weights.iter().map(|w| TEXT_WIDTH * w / total).collect()
}

/// The forms as an A4 Word file, for `school`, dated `date`.
pub fn docx<W: Write + Seek>(
    sheets: &Sheets,
    lang: Lang,
    school: &str,
    date: chrono::NaiveDate,
    out: W,
) -> Result<(), String> {
    let mut d = Docx::new()
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
        );
    for (i, page) in sheets.pages.iter().enumerate() {
        let mut title = Paragraph::new()
            .align(AlignmentType::Center)
            .keep_next(true)
            .add_run(run(&page.title, HEI, 32, true));
        if i > 0 {
            title = title.page_break_before(true);
        }
        d = d.add_paragraph(title);
        d = d.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .keep_next(true)
                .add_run(run(&page.subtitle, SONG, SMALL, false)),
        );
        for piece in &page.blocks {
            d = match piece {
                Piece::Grid { columns, rows } => {
                    let col = TEXT_WIDTH / (*columns).max(1);
                    let rows = rows
                        .iter()
                        .map(|r| {
                            TableRow::new(r.iter().map(|c| grid_cell(c, col)).collect())
                                .cant_split()
                        })
                        .collect();
                    d.add_table(
                        Table::new(rows)
                            .set_grid(vec![col; *columns])
                            .width(TEXT_WIDTH, WidthType::Dxa),
                    )
                }
                Piece::Table {
                    header,
                    rows,
                    total,
                } => {
                    let widths = column_widths(header, rows);
                    let mut table_rows = vec![
                        TableRow::new(
                            header
                                .iter()
                                .zip(&widths)
                                .map(|(h, w)| grid_cell(&Cell::label(h), *w))
                                .collect(),
                        )
                        .cant_split(),
                    ];
                    for (i, r) in rows.iter().enumerate() {
                        let bold = *total && i + 1 == rows.len();
                        table_rows.push(
                            TableRow::new(
                                r.iter()
                                    .zip(&widths)
                                    .map(|(c, w)| {
                                        let mut cell = Cell::value(c.clone());
                                        cell.label = bold;
                                        grid_cell(&cell, *w)
                                    })
                                    .collect(),
                            )
                            .cant_split(),
                        );
                    }
                    d.add_table(
                        Table::new(table_rows)
                            .set_grid(widths)
                            .width(TEXT_WIDTH, WidthType::Dxa),
                    )
                }
                Piece::Text(t) => d.add_paragraph(
                    Paragraph::new()
                        .keep_next(true)
                        .add_run(run(t, HEI, SMALL, true)),
                ),
                Piece::Signature(lines) => {
                    let mut d = d;
                    for l in lines {
                        d = d.add_paragraph(
                            Paragraph::new()
                                .align(AlignmentType::Right)
                                .add_run(run(l, SONG, SMALL, false)),
                        );
                    }
                    d
                }
                Piece::CutLine => {
                    d.add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run(
                        &format!("✂{}", " - ".repeat(30)),
                        SONG,
                        SMALL,
                        false,
                    )))
                }
            };
        }
    }
    let mut packed = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut packed).map_err(|e| e.to_string())?;
    let doc = crate::report::Document {
        title: sheets.title.clone(),
        blocks: Vec::new(),
    };
    finish(packed.into_inner(), &doc, lang, school, date, out)
}
