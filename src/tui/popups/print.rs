//! The print menu (`P`): the paper forms (档案, 联系卡, 结对登记, 统计表, 家访记录表, 谈心记录表)
//! for the selected child, its class or the whole school, written as a Word file to the
//! export directory (the home directory) under a name nobody uses, and said where. It reads
//! through the service (which audits the printing) and never changes a record.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::print::Form;
use crate::service::PrintSelection;
use crate::tui::component::{Ctx, Effect, Look};
use crate::tui::widgets::{centered, clear_for_overlay, popup_block};

/// Whose forms: the selected child, its class, or every child (administrators and
/// counsellors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Child,
    Class,
    School,
}

/// The menu's state: the form under the cursor and the scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrintMenu {
    pub form: usize,
    pub scope: Scope,
}

impl Default for PrintMenu {
    fn default() -> PrintMenu {
        PrintMenu {
            form: 0,
            scope: Scope::Class,
        }
    }
}

/// j/k or ↑/↓ choose the form, ←/→ the scope, Enter prints, Esc closes.
pub fn key(menu: &mut PrintMenu, event: KeyEvent, ctx: &mut Ctx<'_>) {
    let whole = ctx.data.me.as_ref().is_none_or(|me| {
        me.has_role(crate::domain::Role::Admin) || me.has_role(crate::domain::Role::Counselor)
    });
    let scopes: &[Scope] = if whole {
        &[Scope::Child, Scope::Class, Scope::School]
    } else {
        &[Scope::Child, Scope::Class]
    };
    let at = scopes.iter().position(|s| *s == menu.scope).unwrap_or(0);
    match event.code {
        KeyCode::Esc | KeyCode::Char('q') => ctx.push(Effect::Close),
        KeyCode::Down | KeyCode::Char('j') => menu.form = (menu.form + 1).min(Form::ALL.len() - 1),
        KeyCode::Up | KeyCode::Char('k') => menu.form = menu.form.saturating_sub(1),
        KeyCode::Right | KeyCode::Char(' ') | KeyCode::Tab => {
            menu.scope = scopes[(at + 1) % scopes.len()]
        }
        KeyCode::Left | KeyCode::BackTab => {
            menu.scope = scopes[(at + scopes.len() - 1) % scopes.len()]
        }
        KeyCode::Enter => print(*menu, ctx),
        _ => {}
    }
}

/// Prints the chosen form for the chosen children of this term and says where it went.
fn print(menu: PrintMenu, ctx: &mut Ctx<'_>) {
    let form = Form::ALL[menu.form.min(Form::ALL.len() - 1)];
    let lang = ctx.lang();
    let child = ctx
        .selected
        .and_then(|id| ctx.data.roster.iter().find(|r| r.child.id == id));
    let (selection, who) = match (menu.scope, child) {
        (Scope::School, _) => (
            PrintSelection::All,
            ctx.text.get("print.school").to_string(),
        ),
        (Scope::Class, Some(r)) => (
            PrintSelection::Class(r.child.class().to_string()),
            r.child.class().to_string(),
        ),
        (Scope::Child, Some(r)) => (
            PrintSelection::Child(r.child.id),
            r.child.name().to_string(),
        ),
        (_, None) => {
            ctx.say("status.no_child", false);
            return;
        }
    };
    let settings = match ctx.service.settings() {
        Ok(s) => s,
        Err(e) => return ctx.error(&e),
    };
    let (from, to) = crate::print::forms::default_period(&settings, ctx.today);
    let pack = match ctx
        .service
        .print_pack(form.key(), &selection, from, to, false)
    {
        Ok(p) => p,
        Err(e) => return ctx.error(&e),
    };
    let sheets = crate::print::forms::build(form, &pack, lang);
    let mut bytes = std::io::Cursor::new(Vec::new());
    if let Err(e) = crate::print::docx::docx(&sheets, lang, &pack.school, ctx.today, &mut bytes) {
        let text = ctx.text.fmt("report.export_failed", &[("e", &e)]);
        return ctx.status(text, true);
    }
    let stem: String = format!("{who}-{}", lang.pick(form.zh(), form.key()))
        .chars()
        .map(|c| if c == '/' || c.is_control() { '_' } else { c })
        .collect();
    let dir = ctx.export_dir;
    let mut path = crate::files::unused_name(dir, &stem, "docx");
    let written = loop {
        match crate::files::write_private_new(&path, bytes.get_ref()) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                path = crate::files::unused_name(dir, &stem, "docx");
            }
            other => break other,
        }
    };
    match written {
        Ok(()) => {
            // As after a change: the printing's audit record is taken as seen, so the next
            // poll does not replace this message with "records updated".
            let shown = crate::files::shown(&path, ctx.home);
            let text = ctx.text.fmt("print.done", &[("path", &shown)]);
            ctx.done(text);
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

pub fn draw(menu: &PrintMenu, look: &Look, frame: &mut Frame, area: Rect) {
    let theme = look.theme;
    let lang = look.lang();
    let box_area = centered(area, 60, Form::ALL.len() as u16 + 5);
    let block = popup_block(
        theme,
        look.text.get("print.title"),
        Some(look.text.get("print.keys")),
        box_area.width,
    );
    let inner = block.inner(box_area);
    clear_for_overlay(frame, box_area);
    frame.render_widget(block, box_area);
    let scope = match menu.scope {
        Scope::Child => look.text.get("print.child"),
        Scope::Class => look.text.get("print.class"),
        Scope::School => look.text.get("print.school"),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", look.text.get("print.for")), theme.muted()),
        Span::styled(format!("◀ {scope} ▶"), theme.accent()),
    ])];
    lines.push(Line::default());
    for (i, form) in Form::ALL.iter().enumerate() {
        let chosen = i == menu.form;
        let line = Line::from(format!(
            "{}{}",
            if chosen { "▶ " } else { "  " },
            lang.pick(form.zh(), form.en())
        ));
        lines.push(if chosen {
            line.style(theme.selected())
        } else {
            line
        });
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
