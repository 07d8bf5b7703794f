//! Importing a roster from the app (administrators): the roster files in the home directory
//! (where a teacher copies them with scp or WinSCP) to pick from, then a preview of what the
//! import will do — the sheets and header rows read, which column became which field, the
//! columns not recognised (each given a field from a list with ←/→), the first rows as they
//! will be stored, and every problem — and Enter imports, all or nothing, as
//! `guanai import` does. Reading is `transfer`'s and deciding the service's; this file holds
//! the popup's state, keys and drawing only.

use std::path::{Path, PathBuf};

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Overlay;
use crate::domain::mask_id;
use crate::i18n::Lang;
use crate::service::{BatchAudit, Command};
use crate::transfer::columns::COLUMNS;
use crate::transfer::{Mapping, SheetReport, describe, keep_rosters, parse_tables, read_tables};
use crate::tui::component::{Ctx, Effect, Look, Opened};
use crate::tui::widgets::{centered, clear_for_overlay, popup_block};

/// The largest roster read (as `guanai import`).
const MAX_FILE: u64 = 64 * 1024 * 1024;
/// Rows shown as they will be stored.
const SHOWN_ROWS: usize = 5;
/// Problems listed (the rest counted).
const SHOWN_PROBLEMS: usize = 30;

/// The import popup: a file list, then the preview of the file chosen.
#[derive(Debug, Clone)]
pub struct ImportView {
    pub files: Vec<PathBuf>,
    pub pos: usize,
    pub preview: Option<Preview>,
}

/// What importing the chosen file would do.
#[derive(Debug, Clone)]
pub struct Preview {
    pub path: PathBuf,
    bytes: Vec<u8>,
    /// Fields chosen here for columns not recognised (remembered when the import is done).
    pub chosen: Mapping,
    /// The school's mappings from earlier imports, read once when the file is opened.
    remembered: Mapping,
    /// Update files on record instead of refusing them (`u`).
    pub update: bool,
    /// The column not recognised that ←/→ gives a field to.
    pub cursor: usize,
    pub scroll: u16,
    pub reading: Reading,
}

/// The file read with the current mapping.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub passed_over: Vec<String>,
    pub sheets: Vec<SheetReport>,
    /// Headers not recognised, each once, in the file's order.
    pub unknown: Vec<String>,
    /// The first rows as they will be stored: where, and the row's words.
    pub rows: Vec<String>,
    pub problems: Vec<String>,
    pub problem_count: usize,
    /// (create, update, unchanged), and the commands that carry the import out.
    pub counts: (usize, usize, usize),
    pub commands: Vec<Command>,
    /// The file could not be read at all.
    pub unreadable: Option<String>,
}

/// The files in `dir` that may be rosters, newest first.
pub fn roster_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .filter(|p| {
            let name = p.to_string_lossy().to_lowercase();
            [".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .map(|p| {
            let modified = std::fs::metadata(&p)
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            (modified, p)
        })
        .collect();
    files.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    files.into_iter().map(|(_, p)| p).collect()
}

/// Opens the popup on the roster files of the home directory; administrators only.
pub fn open(ctx: &mut Ctx<'_>) {
    if !ctx.service.may_see_ids() {
        ctx.say("import.admin_only", true);
        return;
    }
    let files = roster_files(ctx.export_dir);
    ctx.open(Opened::Overlay(Overlay::Import(Box::new(ImportView {
        files,
        pos: 0,
        preview: None,
    }))));
}

/// Reads `bytes` with `mapping` and plans the import, without writing anything. The columns
/// not recognised are those `base` (the built-in and remembered names) does not know, so a
/// column given a field here stays in the list to be changed again.
fn read(
    bytes: &[u8],
    name: &str,
    mapping: &Mapping,
    base: &Mapping,
    update: bool,
    ctx: &Ctx<'_>,
) -> Reading {
    let lang = ctx.lang();
    let mut sheets = match read_tables(bytes, name, None, |h| mapping.column(h).is_some()) {
        Ok(s) => s,
        Err(e) => {
            return Reading {
                unreadable: Some(match lang {
                    Lang::Zh => e.zh(),
                    Lang::En => e.to_string(),
                }),
                ..Reading::default()
            };
        }
    };
    keep_rosters(&mut sheets, mapping);
    let reports = describe(&sheets.tables, mapping);
    let mut unknown: Vec<String> = Vec::new();
    for h in describe(&sheets.tables, base)
        .iter()
        .flat_map(|r| &r.ignored)
    {
        if !unknown.contains(h) {
            unknown.push(h.clone());
        }
    }
    let mut passed_over = sheets.passed_over.clone();
    passed_over.extend(sheets.hidden.iter().map(|h| match lang {
        Lang::Zh => format!("{h} (隐藏)"),
        Lang::En => format!("{h} (hidden)"),
    }));
    let mut reading = Reading {
        passed_over,
        sheets: reports,
        unknown,
        ..Reading::default()
    };
    let several = sheets.tables.len() > 1;
    let place = |sheet: &Option<String>, line: usize| match (sheet, lang) {
        (Some(s), Lang::Zh) if several => format!("{s} 第 {line} 行"),
        (Some(s), Lang::En) if several => format!("{s} line {line}"),
        (_, Lang::Zh) => format!("第 {line} 行"),
        (_, Lang::En) => format!("line {line}"),
    };
    let problem = |e: &crate::transfer::RowError| {
        let at = place(&e.sheet, e.line);
        match lang {
            Lang::Zh => format!("{at} {}: \"{}\" — {}", e.column, e.value, e.expected_zh),
            Lang::En => format!("{at} {}: \"{}\" — {}", e.column, e.value, e.expected_en),
        }
    };
    let staff = &ctx.data.staff;
    let parsed = parse_tables(&sheets.tables, ctx.today, mapping, &|n| {
        staff.iter().find(|s| s.name == n.trim()).map(|s| s.id)
    });
    let (roster, mut errors) = parsed;
    let rows = roster.rows;
    reading.rows = rows
        .iter()
        .take(SHOWN_ROWS)
        .map(|r| {
            let c = &r.child;
            let mut words = vec![
                place(&r.sheet, r.line),
                c.name.clone(),
                lang.pick(c.gender.zh(), c.gender.key()).to_string(),
                c.birth.to_string(),
                c.class.clone(),
            ];
            words.extend(c.register.id_no.as_deref().map(mask_id));
            words.extend(
                c.guardian
                    .as_ref()
                    .map(|g| crate::domain::text::with_relation(&g.name, &g.relation, ("(", ")"))),
            );
            words.join("  ")
        })
        .collect();
    match ctx.service.plan_import(rows, update) {
        Ok((plan, more)) => {
            errors.extend(more);
            if errors.is_empty() {
                reading.counts = (plan.create.len(), plan.update.len(), plan.unchanged.len());
                reading.commands = plan.commands();
            }
        }
        Err(e) => {
            reading.problem_count = 1;
            reading.problems = vec![e.message(lang)];
            return reading;
        }
    }
    errors.sort_by_key(|e| e.line);
    reading.problem_count = errors.len();
    reading.problems = errors.iter().take(SHOWN_PROBLEMS).map(problem).collect();
    reading
}

impl Preview {
    fn open(path: PathBuf, ctx: &mut Ctx<'_>) -> Option<Preview> {
        let too_big = std::fs::metadata(&path).is_ok_and(|m| m.len() > MAX_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) if !too_big => b,
            Ok(_) => {
                ctx.say("import.too_big", true);
                return None;
            }
            Err(e) => {
                let text = ctx
                    .text
                    .fmt("import.cannot_read", &[("e", &e.kind().to_string())]);
                ctx.status(text, true);
                return None;
            }
        };
        let mut preview = Preview {
            path,
            bytes,
            chosen: Mapping::default(),
            remembered: ctx.service.import_mapping().unwrap_or_default(),
            update: false,
            cursor: 0,
            scroll: 0,
            reading: Reading::default(),
        };
        preview.reread(ctx);
        Some(preview)
    }

    fn reread(&mut self, ctx: &Ctx<'_>) {
        let name = self.path.to_string_lossy().into_owned();
        let mapping = self.chosen.clone().or(&self.remembered);
        self.reading = read(
            &self.bytes,
            &name,
            &mapping,
            &self.remembered,
            self.update,
            ctx,
        );
        self.cursor = self
            .cursor
            .min(self.reading.unknown.len().saturating_sub(1));
    }

    /// The field chosen for the column not recognised under the cursor: ←/→ step through
    /// "not read" and every field.
    fn step_field(&mut self, forward: bool, ctx: &Ctx<'_>) {
        let Some(header) = self.reading.unknown.get(self.cursor).cloned() else {
            return;
        };
        let plain = crate::transfer::columns::normalize_header(&header);
        let now = self
            .chosen
            .0
            .iter()
            .position(|(h, _)| *h == plain)
            .and_then(|i| COLUMNS.iter().position(|c| c.key == self.chosen.0[i].1));
        // 0 is "not read"; i + 1 is COLUMNS[i].
        let at = now.map_or(0, |i| i + 1);
        let n = COLUMNS.len() + 1;
        let next = if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        };
        self.chosen.0.retain(|(h, _)| *h != plain);
        if next > 0 {
            self.chosen.0.push((plain, COLUMNS[next - 1].key));
        }
        self.reread(ctx);
        // The column now read leaves the list; the cursor stays on the same header if it is
        // still there.
        if let Some(i) = self.reading.unknown.iter().position(|h| *h == header) {
            self.cursor = i;
        }
    }

    /// The field the chosen mapping gives `header`, for drawing, in the reader's language.
    fn chosen_for(&self, header: &str, lang: Lang) -> Option<&'static str> {
        let plain = crate::transfer::columns::normalize_header(header);
        self.chosen
            .0
            .iter()
            .find(|(h, _)| *h == plain)
            .and_then(|(_, k)| COLUMNS.iter().find(|c| c.key == *k))
            .map(|c| match lang {
                Lang::Zh => c.header,
                Lang::En => crate::transfer::columns::label_en(c.key),
            })
    }
}

/// A key in the popup.
pub fn key(view: &mut ImportView, key: KeyEvent, ctx: &mut Ctx<'_>) {
    let Some(preview) = &mut view.preview else {
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => ctx.push(Effect::Close),
            KeyCode::Down | KeyCode::Char('j') => {
                view.pos = (view.pos + 1).min(view.files.len().saturating_sub(1))
            }
            KeyCode::Up | KeyCode::Char('k') => view.pos = view.pos.saturating_sub(1),
            KeyCode::Home | KeyCode::Char('g') => view.pos = 0,
            KeyCode::End | KeyCode::Char('G') => view.pos = view.files.len().saturating_sub(1),
            KeyCode::Enter => {
                if let Some(path) = view.files.get(view.pos).cloned() {
                    view.preview = Preview::open(path, ctx);
                }
            }
            _ => {}
        }
        return;
    };
    match key.code {
        KeyCode::Esc => view.preview = None,
        KeyCode::Down | KeyCode::Char('j') => {
            preview.cursor =
                (preview.cursor + 1).min(preview.reading.unknown.len().saturating_sub(1))
        }
        KeyCode::Up | KeyCode::Char('k') => preview.cursor = preview.cursor.saturating_sub(1),
        KeyCode::Right | KeyCode::Char('l') => preview.step_field(true, ctx),
        KeyCode::Left | KeyCode::Char('h') => preview.step_field(false, ctx),
        KeyCode::PageDown | KeyCode::Char(' ') => preview.scroll = preview.scroll.saturating_add(8),
        KeyCode::PageUp => preview.scroll = preview.scroll.saturating_sub(8),
        KeyCode::Char('u') => {
            preview.update = !preview.update;
            preview.reread(ctx);
        }
        KeyCode::Enter => {
            let r = &preview.reading;
            if r.unreadable.is_some() || r.problem_count > 0 || r.commands.is_empty() {
                ctx.say("import.cannot", true);
                return;
            }
            let mut commands = Vec::new();
            if !preview.chosen.0.is_empty() {
                commands.push(Command::RememberImportColumns(
                    preview
                        .chosen
                        .0
                        .iter()
                        .map(|(h, k)| (h.clone(), k.to_string()))
                        .collect(),
                ));
            }
            commands.extend(r.commands.iter().cloned());
            let (create, update, unchanged) = r.counts;
            match ctx.service.execute_all(commands, BatchAudit::Each) {
                Ok(_) => {
                    let text = ctx.text.fmt(
                        "import.done",
                        &[
                            ("create", &create),
                            ("update", &update),
                            ("unchanged", &unchanged),
                        ],
                    );
                    ctx.done(text);
                }
                Err(e) => ctx.error(&e),
            }
        }
        _ => {}
    }
}

/// Draws the file list or the preview.
pub fn draw(view: &ImportView, look: &Look, frame: &mut Frame, area: Rect) {
    let theme = look.theme;
    let text = look.text;
    let box_area = centered(area, 100, area.height.saturating_sub(2).max(8));
    clear_for_overlay(frame, box_area);
    let Some(preview) = &view.preview else {
        let mut lines: Vec<Line> = Vec::new();
        if view.files.is_empty() {
            lines.push(Line::from(Span::styled(
                text.get("import.no_files").to_string(),
                theme.muted(),
            )));
        }
        let inner_h = box_area.height.saturating_sub(2) as usize;
        let first = view.pos.saturating_sub(inner_h.saturating_sub(1));
        for (i, f) in view.files.iter().enumerate().skip(first).take(inner_h) {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // The cursor is marked, not only coloured (NO_COLOR terminals).
            let (mark, style) = if i == view.pos {
                ("› ", theme.selected())
            } else {
                ("  ", ratatui::style::Style::default())
            };
            lines.push(Line::from(Span::styled(format!("{mark}{name}"), style)));
        }
        let block = popup_block(
            theme,
            text.get("import.pick_title"),
            Some(text.get("import.pick_keys")),
            box_area.width,
        );
        frame.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            box_area,
        );
        return;
    };
    let r = &preview.reading;
    let mut lines: Vec<Line> = Vec::new();
    let muted = |s: String| Line::from(Span::styled(s, theme.muted()));
    if let Some(why) = &r.unreadable {
        lines.push(Line::from(Span::styled(why.clone(), theme.overdue())));
    }
    let sheets: Vec<String> = r
        .sheets
        .iter()
        .map(|s| {
            let name = s.sheet.clone().unwrap_or_default();
            text.fmt(
                "import.sheet",
                &[
                    ("sheet", &name),
                    ("line", &s.header_line),
                    ("rows", &s.rows),
                ],
            )
            .trim()
            .to_string()
        })
        .collect();
    if !sheets.is_empty() {
        lines.push(Line::from(format!(
            "{} {}",
            text.get("import.read"),
            sheets.join(" · ")
        )));
    }
    if !r.passed_over.is_empty() {
        lines.push(muted(format!(
            "{} {}",
            text.get("import.passed_over"),
            r.passed_over.join("、")
        )));
    }
    for s in &r.sheets {
        if let Some(class) = &s.class_from_sheet {
            lines.push(muted(
                text.fmt("import.class_from_sheet", &[("class", class)]),
            ));
        }
        let pairs = s.mapping_words(look.lang());
        lines.push(Line::from(format!(
            "{} {}",
            text.get("import.columns"),
            pairs.join(", ")
        )));
        if !s.summary_rows.is_empty() {
            let skipped: Vec<String> = s
                .summary_rows
                .iter()
                .map(|(l, b)| format!("{l}({b})"))
                .collect();
            lines.push(muted(format!(
                "{} {}",
                text.get("import.summary_rows"),
                skipped.join(" ")
            )));
        }
    }
    if !r.unknown.is_empty() {
        lines.push(Line::from(Span::styled(
            text.get("import.unknown").to_string(),
            theme.title(),
        )));
        for (i, h) in r.unknown.iter().enumerate() {
            let field = preview
                .chosen_for(h, look.lang())
                .unwrap_or(text.get("import.not_read"));
            let (mark, style) = if i == preview.cursor {
                ("› ", theme.selected())
            } else {
                ("  ", ratatui::style::Style::default())
            };
            lines.push(Line::from(Span::styled(
                format!("{mark}{h} → ‹ {field} ›"),
                style,
            )));
        }
    }
    if r.problem_count > 0 {
        lines.push(Line::from(Span::styled(
            text.fmt("import.problems", &[("n", &r.problem_count)]),
            theme.overdue(),
        )));
        for p in &r.problems {
            lines.push(Line::from(format!("  {p}")));
        }
        if r.problem_count > r.problems.len() {
            lines.push(muted(text.fmt(
                "import.more",
                &[("n", &(r.problem_count - r.problems.len()))],
            )));
        }
    } else if r.unreadable.is_none() {
        let (create, update, unchanged) = r.counts;
        lines.push(Line::from(Span::styled(
            text.fmt(
                "import.plan",
                &[
                    ("create", &create),
                    ("update", &update),
                    ("unchanged", &unchanged),
                ],
            ),
            theme.good(),
        )));
        lines.push(muted(text.get("import.first_rows").to_string()));
        for row in &r.rows {
            lines.push(Line::from(format!("  {row}")));
        }
    }
    let name = preview
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mode = if preview.update {
        text.get("import.mode_update")
    } else {
        text.get("import.mode_new")
    };
    let title = format!("{} {name} · {mode}", text.get("import.title"));
    let block = popup_block(theme, &title, Some(text.get("import.keys")), box_area.width);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((preview.scroll, 0)),
        box_area,
    );
}
