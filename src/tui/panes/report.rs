//! The Report pane: the term work summary (工作总结) drafted from the records, in the UI's
//! language, as the teacher will hand it in; it scrolls, switches term and exports (the app
//! computes and writes; this only draws).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::report::{Block, Document};
use crate::tui::app::App;
use crate::tui::theme::Theme;
use crate::tui::widgets::pane_block;

/// The document as lines: headings bold, paragraphs indented, the table in columns, the
/// signature on the right. Chinese list items are numbered `1、` with no space after: the
/// wrapper breaks lines at spaces, and would leave `6.` alone on its line before a long
/// sentence without any.
pub fn lines(doc: &Document, theme: Theme, lang: crate::i18n::Lang) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::from(Span::styled(doc.title.clone(), theme.title())).centered(),
        Line::default(),
    ];
    for block in &doc.blocks {
        match block {
            Block::Heading(h) => {
                out.push(Line::from(Span::styled(h.clone(), theme.title())));
            }
            Block::Paragraph(p) => out.push(Line::from(format!("  {p}"))),
            Block::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let number = match lang {
                        crate::i18n::Lang::Zh => format!("{}、", i + 1),
                        crate::i18n::Lang::En => format!("{}. ", i + 1),
                    };
                    out.push(Line::from(format!("  {number}{item}")));
                }
            }
            Block::Table { header, rows } => {
                let width = |s: &str| Line::from(s).width();
                let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
                for r in rows {
                    for (i, c) in r.iter().enumerate() {
                        if let Some(w) = widths.get_mut(i) {
                            *w = (*w).max(width(c));
                        }
                    }
                }
                let row = |cells: &[String]| {
                    cells
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let pad = widths.get(i).copied().unwrap_or(0).saturating_sub(width(c));
                            format!("{c}{}", " ".repeat(pad))
                        })
                        .collect::<Vec<_>>()
                        .join("  ")
                };
                out.push(Line::from(Span::styled(
                    format!("  {}", row(header)),
                    theme.muted(),
                )));
                for r in rows {
                    out.push(Line::from(format!("  {}", row(r))));
                }
            }
            Block::Signature(sig) => {
                out.push(Line::default());
                for l in sig {
                    out.push(Line::from(l.clone()).right_aligned());
                }
            }
        }
    }
    out
}

pub fn draw(app: &mut App, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = app.theme;
    let term = app
        .report
        .term()
        .map_or_else(|| "-".to_string(), |t| t.name.clone());
    let title = Line::from(vec![
        Span::styled(
            format!(" {} · {term} ", app.text.get("pane.report")),
            theme.title(),
        ),
        Span::styled(format!("{} ", app.text.get("report.draft")), theme.muted()),
    ]);
    let block = pane_block(app.theme, title, focused);
    let Some(doc) = &app.report.doc else {
        frame.render_widget(
            Paragraph::new(app.text.get("report.none").to_string())
                .style(theme.muted())
                .block(block),
            area,
        );
        return;
    };
    let paragraph = Paragraph::new(lines(doc, theme, app.lang())).wrap(Wrap { trim: false });
    // Scrolling stops where the last line shows at the bottom.
    let inner = block.inner(area);
    let total = paragraph.line_count(inner.width);
    let max = total.saturating_sub(inner.height as usize);
    app.report.scroll.selected = app.report.scroll.selected.min(max);
    app.report.scroll.page = inner.height.max(1) as usize;
    let scroll = app.report.scroll.selected.min(u16::MAX as usize) as u16;
    frame.render_widget(paragraph.block(block).scroll((scroll, 0)), area);
}
