//! The contact card (联系卡): every phone number, grouped for reading aloud, and workplace of
//! one child, for those who may read the whole file. Any key closes it; it changes nothing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Overlay;
use crate::tui::component::Look;
use crate::tui::component::{Ctx, Opened};
use crate::tui::widgets::{centered, clear_for_overlay, popup_block};

/// The card of the selected child: the whole file is needed (the basic file has no phones),
/// so those who may not read it are told so.
pub fn open(ctx: &mut Ctx<'_>) {
    let Some(id) = ctx.selected else {
        ctx.say("status.no_child", false);
        return;
    };
    let readable = ctx.may_read_whole(id);
    match ctx.service.child(id) {
        Ok(file) if readable => ctx.open(Opened::Overlay(Overlay::Contacts(Box::new(file)))),
        Ok(_) => ctx.say("child.basic_only", false),
        Err(e) => ctx.error(&e),
    }
}

/// The contact card: every phone number (grouped for reading aloud) and workplace.
pub fn draw(child: &crate::domain::Child, look: &Look, frame: &mut Frame, area: Rect) {
    use crate::domain::{ParentRelation, format_phone};
    let theme = look.theme;
    let mut lines: Vec<Line> = Vec::new();
    // The card's inner width: a line that does not fit puts the phone on a line of its own
    // and the workplace on another, so that a number is never cut.
    let room = (area.width.min(70) as usize).saturating_sub(2);
    let mut row = |who: String, phone: Option<&str>, place: Option<&str>| {
        let phone = phone.map(format_phone).unwrap_or_default();
        let place = place.map(|p| format!("  {p}")).unwrap_or_default();
        let one = Line::from(vec![
            Span::raw(format!("{who}  ")),
            Span::styled(phone.clone(), theme.key()),
            Span::styled(place.clone(), theme.muted()),
        ]);
        if one.width() <= room {
            lines.push(one);
            return;
        }
        lines.push(crate::tui::widgets::fit_line(Line::from(who), room));
        if !phone.is_empty() {
            lines.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(phone, theme.key()),
            ]));
        }
        if !place.is_empty() {
            lines.push(crate::tui::widgets::fit_line(
                Line::from(Span::styled(place, theme.muted())),
                room,
            ));
        }
    };
    if let Some(g) = &child.guardian {
        row(
            format!(
                "{} {}({})",
                look.text.get("child.guardian"),
                g.name,
                g.relation
            ),
            g.phone.as_deref(),
            None,
        );
    }
    for p in &child.parents {
        let key = match p.relation {
            ParentRelation::Father => "child.father",
            ParentRelation::Mother => "child.mother",
        };
        row(
            format!("{} {}", look.text.get(key), p.name),
            p.phone.as_deref(),
            p.workplace.as_deref(),
        );
    }
    for c in &child.emergency_contacts {
        row(
            format!(
                "{} {}({})",
                look.text.get("child.emergency"),
                c.name,
                c.relation
            ),
            Some(c.phone.as_str()),
            None,
        );
    }
    let box_area = centered(area, 70, lines.len() as u16 + 2);
    let title = look.text.fmt("contacts.title", &[("name", &child.name)]);
    let block = popup_block(
        theme,
        &title,
        Some(look.text.get("contacts.close")),
        box_area.width,
    );
    clear_for_overlay(frame, box_area);
    frame.render_widget(Paragraph::new(lines).block(block), box_area);
}
