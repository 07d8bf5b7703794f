//! The Report pane: the term work summary (工作总结) drafted from the records, in the UI's
//! language, as the teacher will hand it in; it scrolls, switches term and exports. This
//! file holds the pane's state (terms, the drafted summary, scroll), its keys and its
//! drawing; the figures come from the service, and it writes only the exported file.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::report::{Block, Document};
use crate::tui::action::Action;
use crate::tui::component::Look;
use crate::tui::component::{Component, Ctx, Event, EventState};
use crate::tui::theme::Theme;
use crate::tui::widgets::{ListPos, pane_block, rewrap};

/// The work summary shown: the terms one may choose, the chosen one, its figures and text.
#[derive(Debug, Default)]
pub struct ReportView {
    pub scroll: ListPos,
    pub terms: Vec<crate::domain::Term>,
    /// The chosen term's name (`None` until the pane is first shown): kept by name, so that
    /// a calendar changed meanwhile cannot swap it for another.
    pub chosen: Option<String>,
    /// The records changed since the summary was drafted: drafted again when next shown.
    pub stale: bool,
    pub figures: Option<crate::report::Figures>,
    pub doc: Option<Document>,
}

impl ReportView {
    pub fn term(&self) -> Option<&crate::domain::Term> {
        let name = self.chosen.as_ref()?;
        self.terms.iter().find(|t| t.name == *name)
    }

    /// Drafts the work summary of the chosen term (today's by default) from the records.
    pub fn load(&mut self, ctx: &mut Ctx<'_>) {
        let today = ctx.today;
        let settings = &ctx.data.settings;
        // Terms that have begun: a summary of one not started yet would be all zeros.
        self.terms = crate::report::terms(settings, today)
            .into_iter()
            .filter(|t| t.start <= today)
            .collect();
        self.stale = false;
        if self.term().is_none() {
            self.chosen = crate::report::default_term(settings, today).map(|t| t.name);
        }
        let Some(term) = self.term().cloned() else {
            self.figures = None;
            self.doc = None;
            return;
        };
        match ctx
            .service
            .report(ctx.rules, Some(&term.name), term.start, term.end)
        {
            Ok(figures) => {
                self.doc = Some(crate::report::document(&figures, ctx.lang(), false, today));
                self.figures = Some(figures);
            }
            Err(e) => {
                self.figures = None;
                self.doc = None;
                ctx.error(&e);
            }
        }
    }

    fn switch_term(&mut self, step: isize, ctx: &mut Ctx<'_>) {
        let n = self.terms.len();
        let at = self
            .term()
            .and_then(|t| self.terms.iter().position(|x| x.name == t.name));
        if let Some(i) = at
            && n > 0
        {
            let next = (i as isize + step).clamp(0, n as isize - 1) as usize;
            if next != i {
                self.chosen = Some(self.terms[next].name.clone());
                self.scroll = ListPos::default();
                self.load(ctx);
            }
        }
    }

    /// Writes the summary in `format` to the export directory and says where it went.
    fn export(&self, format: crate::report::export::Format, ctx: &mut Ctx<'_>) {
        let (Some(figures), Some(term)) = (&self.figures, self.term()) else {
            ctx.say("report.none", true);
            return;
        };
        let lang = ctx.lang();
        let stem = format!(
            "{}-{}-{}",
            figures.school,
            term.name,
            lang.pick("工作总结", "work-summary")
        );
        let stem: String = stem
            .chars()
            .map(|c| if c == '/' || c.is_control() { '_' } else { c })
            .collect();
        let rendered =
            crate::report::export::render(figures, format, lang, false, false, ctx.today)
                .map_err(std::io::Error::other);
        // A name nobody uses; should one appear meanwhile, the next.
        let dir = ctx.export_dir;
        let mut path = crate::files::unused_name(dir, &stem, format.extension());
        let written = rendered.and_then(|bytes| {
            loop {
                match crate::files::write_private_new(&path, &bytes) {
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        path = crate::files::unused_name(dir, &stem, format.extension());
                    }
                    other => break other,
                }
            }
        });
        match written {
            Ok(()) => {
                tracing::info!(format = format.extension(), "work summary exported");
                let shown = crate::files::shown(&path, ctx.home);
                let text = ctx.text.fmt("report.exported", &[("path", &shown)]);
                ctx.status(text, false);
            }
            Err(e) => {
                let text = ctx.text.fmt(
                    "report.export_failed",
                    &[("e", &format!("{}: {e}", path.display()))],
                );
                ctx.status(text, true);
            }
        }
    }
}

/// The pane's actions: scrolling, another term, exporting.
impl Component for ReportView {
    fn handle(&mut self, event: Event<'_>, ctx: &mut Ctx<'_>) -> EventState {
        use crate::report::export::Format;
        let Event::Action(action) = event else {
            return EventState::NotConsumed;
        };
        match action {
            Action::ReportPrevTerm => self.switch_term(-1, ctx),
            Action::ReportNextTerm => self.switch_term(1, ctx),
            Action::ExportDocx => self.export(Format::Docx, ctx),
            Action::ExportMarkdown => self.export(Format::Md, ctx),
            // The pane stops the scroll at the last line when it draws.
            _ if action.is_move() => {
                self.scroll.apply(action, usize::MAX / 2);
            }
            _ => return EventState::NotConsumed,
        }
        EventState::Consumed
    }
}

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
            // Chinese paragraphs open indented, as on paper; English ones do not.
            Block::Paragraph(p) => out.push(Line::from(match lang {
                crate::i18n::Lang::Zh => format!("  {p}"),
                crate::i18n::Lang::En => p.clone(),
            })),
            Block::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    let number = match lang {
                        crate::i18n::Lang::Zh => format!("{}、", i + 1),
                        crate::i18n::Lang::En => format!("{}. ", i + 1),
                    };
                    out.push(Line::from(format!("  {number}{item}")));
                }
            }
            Block::Table { header, rows, .. } => {
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
            Block::Note(text) => out.push(Line::from(Span::styled(text.clone(), theme.muted()))),
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

pub fn draw(view: &mut ReportView, look: &Look, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = look.theme;
    let term = view
        .term()
        .map_or_else(|| "-".to_string(), |t| t.name.clone());
    let title = Line::from(vec![
        Span::styled(
            format!(" {} · {term} ", look.text.get("pane.report")),
            theme.title(),
        ),
        Span::styled(format!("{} ", look.text.get("report.draft")), theme.muted()),
    ]);
    let block = pane_block(look.theme, title, focused, area.width);
    let Some(doc) = &view.doc else {
        frame.render_widget(
            Paragraph::new(look.text.get("report.none").to_string())
                .style(theme.muted())
                .block(block),
            area,
        );
        return;
    };
    // Scrolling stops where the last line shows at the bottom.
    let inner = block.inner(area);
    // Wrapped here, not by the widget: a number or a date is never split across lines.
    let paragraph = Paragraph::new(rewrap(lines(doc, theme, look.lang()), inner.width as usize))
        .wrap(Wrap { trim: false });
    let total = paragraph.line_count(inner.width);
    let max = total.saturating_sub(inner.height as usize);
    view.scroll.selected = view.scroll.selected.min(max);
    view.scroll.page = inner.height.max(1) as usize;
    let scroll = view.scroll.selected.min(u16::MAX as usize) as u16;
    frame.render_widget(paragraph.block(block).scroll((scroll, 0)), area);
}
