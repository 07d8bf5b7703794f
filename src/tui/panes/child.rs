//! One child's file at a glance (guardian and parents with phones and workplaces, mentor,
//! flags) and the timeline of events, newest first, scrollable. Counselling summaries are
//! withheld by the service for anyone who is not a counsellor; this pane says so. This file
//! holds the pane's state, its keys and its drawing; it reads through the service and must
//! not change records.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::short_date;
use crate::domain::{Child, ChildId, ParentRelation, Status, format_phone};
use crate::i18n::Lang;
use crate::service::{ServiceError, TimelineEntry};
use crate::tui::action::Action;
use crate::tui::component::Look;
use crate::tui::component::{Component, Ctx, Effect, Event, EventState};
use crate::tui::panes::Pane;
use crate::tui::widgets::{ListPos, fit, fit_line, pane_block};

pub struct ChildView {
    pub id: Option<ChildId>,
    pub file: Option<Child>,
    pub timeline: Vec<TimelineEntry>,
    /// Why the timeline is not shown (no right to read it), if it is not.
    pub notice: Option<String>,
    pub scroll: ListPos,
    /// The pane to go back to.
    pub from: Pane,
}

impl Default for ChildView {
    fn default() -> ChildView {
        ChildView {
            id: None,
            file: None,
            timeline: Vec::new(),
            notice: None,
            scroll: ListPos::default(),
            from: Pane::Roster,
        }
    }
}

impl ChildView {
    /// Shows child `id` (come to from `from`), from the top if it is another child.
    pub fn show(&mut self, id: ChildId, from: Pane, ctx: &mut Ctx<'_>) {
        if self.id != Some(id) {
            self.scroll = ListPos::default();
        }
        self.id = Some(id);
        self.from = from;
        self.load(id, ctx);
    }

    /// Reads the file and the timeline (as much of it as the user may read). The cursor
    /// stays on the entry it was on, wherever a correction moved it.
    pub fn load(&mut self, id: ChildId, ctx: &mut Ctx<'_>) {
        let under_cursor = self
            .timeline
            .get(self.scroll.selected)
            .map(|e| e.event.id)
            .filter(|_| self.id == Some(id));
        self.notice = None;
        match ctx.service.child(id) {
            Ok(file) => self.file = Some(file),
            Err(e) => {
                self.file = None;
                ctx.error(&e);
            }
        }
        match ctx.service.timeline(id) {
            Ok(t) => {
                self.timeline = t;
                if let Some(at) =
                    under_cursor.and_then(|e| self.timeline.iter().position(|x| x.event.id == e))
                {
                    self.scroll.selected = at;
                }
            }
            Err(ServiceError::NotPermitted { .. }) => {
                self.timeline.clear();
                self.notice = Some(ctx.text.get("child.basic_only").to_string());
            }
            Err(e) => {
                self.timeline.clear();
                ctx.error(&e);
            }
        }
    }
}

/// Puts the selected archived file back on the roster (today).
fn restore(ctx: &mut Ctx<'_>) {
    let Some(id) = ctx.selected else {
        ctx.say("status.no_child", false);
        return;
    };
    let command = crate::service::Command::RestoreChild {
        child: id,
        date: ctx.today,
    };
    match ctx.service.execute(command) {
        Ok(_) => {
            ctx.push(Effect::AfterChange);
            ctx.say("child.restored", false);
        }
        Err(e) => ctx.error(&e),
    }
}

impl ChildView {
    /// The timeline entry under the cursor, if the user may correct it; otherwise says why.
    fn entry_to_correct(&self, ctx: &mut Ctx<'_>) -> Option<TimelineEntry> {
        let Some(entry) = self.timeline.get(self.scroll.selected) else {
            ctx.say("entry.none", false);
            return None;
        };
        if entry.void.is_some() {
            ctx.say("entry.already_voided", true);
            return None;
        }
        let me = ctx.data.me.as_ref();
        let counselor = me.is_some_and(|s| s.has_role(crate::domain::Role::Counselor));
        if entry.event.kind.is_restricted() && !counselor {
            ctx.say("entry.counselors_only", true);
            return None;
        }
        let may = me.is_none_or(|s| {
            s.id == entry.event.staff || counselor || s.has_role(crate::domain::Role::Admin)
        });
        if !may {
            ctx.say("entry.not_yours", true);
            return None;
        }
        Some(entry.clone())
    }
}

/// The pane's actions: scrolling the timeline; correcting (`e`) or voiding (`d`) the entry
/// under the cursor; putting an archived file back (from the roster too).
impl Component for ChildView {
    fn handle(&mut self, event: Event<'_>, ctx: &mut Ctx<'_>) -> EventState {
        match event {
            Event::Action(Action::RestoreChild) => restore(ctx),
            Event::Action(Action::EditEntry) => {
                if let Some(entry) = self.entry_to_correct(ctx) {
                    crate::tui::forms::log::open_edit(&entry, ctx);
                }
            }
            Event::Action(Action::VoidEntry) => {
                if let Some(entry) = self.entry_to_correct(ctx) {
                    let e = &entry.event;
                    let kind = ctx.lang().pick(e.kind.zh(), e.kind.en()).to_string();
                    let about = format!(
                        "{} · #{} {} {kind}",
                        ctx.data.child_name(e.child),
                        e.id.0,
                        e.date
                    );
                    ctx.open(crate::tui::component::Opened::Overlay(
                        crate::tui::popups::prompt::ask(
                            e.id.0,
                            e.version,
                            crate::tui::popups::PromptKind::Void,
                            about,
                        ),
                    ));
                }
            }
            Event::Action(action) if action.is_move() => {
                self.scroll.apply(action, self.timeline.len());
            }
            _ => return EventState::NotConsumed,
        }
        EventState::Consumed
    }
}

pub fn draw(view: &mut ChildView, look: &Look, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = look.theme;
    let lang = look.lang();
    let Some(file) = view.file.clone() else {
        let block = pane_block(
            look.theme,
            Line::from(Span::styled(
                format!(" {} ", look.text.get("pane.child")),
                theme.title(),
            )),
            focused,
            area.width,
        );
        frame.render_widget(
            Paragraph::new(look.text.get("child.none").to_string())
                .style(theme.muted())
                .wrap(Wrap { trim: true })
                .block(block),
            area,
        );
        return;
    };
    let mentor = look
        .data
        .roster
        .iter()
        .find(|r| r.child.id == file.id)
        .and_then(|r| r.mentor_name.clone());
    let kind = match lang {
        Lang::Zh => file.left_behind.kind.zh().to_string(),
        Lang::En => match file.left_behind.kind {
            crate::domain::LeftBehindType::BothParents => "both parents away".to_string(),
            crate::domain::LeftBehindType::OneParent => "one parent away".to_string(),
        },
    };
    let mut title = format!(" {} · {} · {}", file.name, file.class, kind);
    if let Some(m) = &mentor {
        title.push_str(&format!(" · {}: {m}", look.text.get("child.mentor")));
    }
    title.push(' ');
    let block = pane_block(
        look.theme,
        Line::from(Span::styled(title, theme.title())),
        focused,
        area.width,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);

    let label = |key: &str| Span::styled(format!("{} ", look.text.get(key)), theme.muted());
    let phone = |p: &Option<String>| p.as_deref().map(format_phone).unwrap_or_default();
    // Each line of the head with its priority (0 first): on a short screen the least
    // important go first, and what is overdue stays.
    let mut head: Vec<(u8, Line)> = Vec::new();
    if let Status::Archived(reason) = file.status() {
        let reason = lang.pick(reason.zh(), reason.en()).to_string();
        head.push((
            0,
            Line::from(Span::styled(
                look.text.fmt("child.archived", &[("reason", &reason)]),
                theme.due_soon(),
            )),
        ));
    }
    if let Some(g) = &file.guardian {
        push_contact(
            &mut head,
            1,
            inner.width,
            vec![
                label("child.guardian"),
                Span::raw(format!(
                    "{}  ",
                    crate::domain::text::with_relation(&g.name, &g.relation, ("(", ")"))
                )),
            ],
            Span::styled(phone(&g.phone), theme.accent()),
        );
    }
    for p in &file.parents {
        let key = match p.relation {
            ParentRelation::Father => "child.father",
            ParentRelation::Mother => "child.mother",
        };
        let work_key = match p.relation {
            ParentRelation::Father => "father_work",
            ParentRelation::Mother => "mother_work",
        };
        let place = if p.away {
            format!(
                "{} {}",
                look.text.get("child.away"),
                p.workplace.clone().unwrap_or_default()
            )
        } else if file.register.unrecorded(work_key) {
            // The roster had no workplace column: not known, not 在家.
            look.text.get("child.unrecorded").to_string()
        } else {
            look.text.get("child.home").to_string()
        };
        push_contact(
            &mut head,
            2,
            inner.width,
            vec![
                label(key),
                Span::raw(format!("{}  {}  ", p.name, place.trim())),
            ],
            Span::styled(phone(&p.phone), theme.accent()),
        );
    }
    for c in &file.emergency_contacts {
        push_contact(
            &mut head,
            3,
            inner.width,
            vec![
                label("child.emergency"),
                Span::raw(format!(
                    "{}  ",
                    crate::domain::text::with_relation(&c.name, &c.relation, ("(", ")"))
                )),
            ],
            Span::styled(format_phone(&c.phone), theme.accent()),
        );
    }
    let mut facts = vec![];
    if let Some(no) = &file.student_no {
        facts.push(format!("{} {no}", look.text.get("child.student_no")));
    }
    facts.push(format!("{} {}", look.text.get("child.birth"), file.birth));
    if let Some(v) = &file.village {
        facts.push(format!("{} {v}", look.text.get("child.village")));
    }
    if let Some(id) = &file.register.id_no {
        facts.push(format!("{} {id}", look.text.get("child.id_no")));
    }
    // Each fact whole (a number is never cut): as many to a line as fit.
    for line in pack(&facts, inner.width) {
        head.push((4, Line::from(Span::raw(line))));
    }
    let reg = &file.register;
    let register: Vec<String> = [
        ("child.ethnicity", &reg.ethnicity),
        ("child.hukou", &reg.hukou),
        ("child.health", &reg.health),
        ("child.guardianship", &reg.guardianship),
        ("child.remarks", &reg.remarks),
    ]
    .iter()
    .filter_map(|(key, v)| v.as_ref().map(|v| format!("{} {v}", look.text.get(key))))
    .collect();
    if !register.is_empty() {
        head.push((
            6,
            fit_line(
                Line::from(Span::styled(register.join(" · "), theme.muted())),
                inner.width as usize,
            ),
        ));
    }
    let flag = |key: &str, on: bool| {
        vec![
            Span::raw(format!("{} ", look.text.get(key))),
            if on {
                Span::styled(look.text.get("yes").to_string(), theme.good())
            } else {
                Span::styled(look.text.get("no").to_string(), theme.muted())
            },
            Span::raw("   "),
        ]
    };
    let mut flags = flag("child.key_support", file.support.key_support);
    if file.register.unrecorded("boarding") {
        flags.extend([
            Span::raw(format!("{} ", look.text.get("child.boarding"))),
            Span::styled(look.text.get("child.unrecorded").to_string(), theme.muted()),
            Span::raw("   "),
        ]);
    } else {
        flags.extend(flag("child.boarding", file.boarding));
    }
    flags.extend(flag("child.poverty", file.support.poverty_support));
    head.push((5, fit_line(Line::from(flags), inner.width as usize)));
    // What is overdue for this child, from the queue (the teacher sees why they are here).
    let queue = &look.data.queue;
    let prefix = format!("{} ", look.text.get("child.overdue"));
    let width = (inner.width as usize).saturating_sub(Line::from(prefix.as_str()).width());
    let late: Vec<String> = queue
        .rows
        .iter()
        .filter(|r| r.child == file.id && r.days_overdue > 0)
        .filter_map(|r| {
            let duty = queue.duty(r)?;
            let days = look.text.fmt("child.days", &[("n", &r.days_overdue)]);
            // The label shortens (with …) before the number of days is ever cut.
            let room = width.saturating_sub(Line::from(days.as_str()).width() + 1);
            Some(format!(
                "{} {days}",
                fit(lang.pick(&duty.label_zh, &duty.label_en), room)
            ))
        })
        .collect();
    if !late.is_empty() {
        // Each duty whole: as many to a line as fit.
        for (i, part) in pack_sep(&late, width as u16, ", ").into_iter().enumerate() {
            let lead = if i == 0 {
                prefix.clone()
            } else {
                " ".repeat(Line::from(prefix.as_str()).width())
            };
            head.push((
                0,
                Line::from(vec![
                    Span::styled(lead, theme.overdue()),
                    Span::styled(part, theme.overdue()),
                ]),
            ));
        }
    }
    if let Some(notice) = &view.notice {
        head.push((
            0,
            Line::from(Span::styled(notice.clone(), theme.due_soon())),
        ));
    }
    // Room for the rule and at least two entries of the timeline.
    let room = (inner.height as usize).saturating_sub(1 + view.timeline.len().clamp(1, 2));
    while head.len() > room {
        let Some(least) = head.iter().map(|(p, _)| *p).max() else {
            break;
        };
        if least == 0 {
            break;
        }
        if let Some(i) = head.iter().rposition(|(p, _)| *p == least) {
            head.remove(i);
        }
    }
    let head: Vec<Line> = head.into_iter().map(|(_, line)| line).collect();

    let head_height = (head.len() as u16).min(inner.height.saturating_sub(2));
    let [head_area, rule_area, list_area] = Layout::vertical([
        Constraint::Length(head_height),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(head), head_area);
    let rule_title = if view.notice.is_some() {
        format!("── {} ", look.text.get("child.timeline"))
    } else {
        format!(
            "── {} ({}) ",
            look.text.get("child.timeline"),
            view.timeline.len()
        )
    };
    let fill = (rule_area.width as usize).saturating_sub(Line::from(rule_title.as_str()).width());
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            format!("{rule_title}{}", "─".repeat(fill)),
            theme.muted(),
        ))),
        rule_area,
    );
    if view.timeline.is_empty() {
        if view.notice.is_none() {
            frame.render_widget(
                Paragraph::new(look.text.get("child.no_events").to_string()).style(theme.muted()),
                list_area,
            );
        }
        return;
    }
    let today = look.today;
    let height = list_area.height as usize;
    view.scroll.clamp(view.timeline.len());
    let first = view.scroll.scroll_into_view(height, view.timeline.len());
    let selected = view.scroll.selected;
    // The kind column is as wide as the widest kind on screen.
    let kind_width = view
        .timeline
        .iter()
        .skip(first)
        .take(height)
        .map(|e| Line::from(lang.pick(e.event.kind.zh(), e.event.kind.en())).width())
        .max()
        .unwrap_or(4);
    let lines: Vec<Line> = view
        .timeline
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, entry)| {
            let e = &entry.event;
            let kind = lang.pick(e.kind.zh(), e.kind.en());
            let pad = kind_width.saturating_sub(Line::from(kind).width());
            let summary = if entry.restricted {
                look.text.get("child.restricted").to_string()
            } else {
                e.summary.replace(['\n', '\r'], " ")
            };
            let mut spans = Vec::new();
            spans.extend([
                // The entry e and d act on is marked in words too (▶), not only by colour.
                Span::raw(if focused && i == selected { "▶" } else { " " }),
                Span::styled(format!("{} ", short_date(e.date, today)), theme.muted()),
                Span::styled(format!("{kind}{} ", " ".repeat(pad)), theme.accent()),
                Span::raw(format!("{} ", entry.staff_name)),
            ]);
            // After the date, kind and author, so that the columns stay aligned.
            if let Some(v) = &entry.void {
                spans.push(Span::styled(
                    format!("[{}: {}] ", look.text.get("entry.voided_tag"), v.reason),
                    theme.overdue(),
                ));
            }
            if !e.present.is_empty() {
                spans.push(Span::styled(
                    format!("[{}] ", e.present.join(lang.pick("、", ", "))),
                    theme.muted(),
                ));
            }
            if e.follow_up {
                spans.push(Span::styled(
                    format!("[{}] ", look.text.get("child.follow_up")),
                    theme.due_soon(),
                ));
            }
            spans.push(Span::raw(summary));
            let line = fit_line(Line::from(spans), list_area.width as usize);
            let mut style = if i == selected && focused {
                theme.selected()
            } else {
                Style::new()
            };
            if entry.void.is_some() {
                // Struck through where the terminal can; the tag says it in words.
                style = style.add_modifier(ratatui::style::Modifier::CROSSED_OUT);
            }
            line.style(style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);
}

/// `items` joined with " · " into lines no wider than `width`, each item kept whole on one
/// line (an item wider than the line stands alone).
fn pack(items: &[String], width: u16) -> Vec<String> {
    pack_sep(items, width, " · ")
}

/// `items` joined with `sep` into lines no wider than `width`, each item whole on one line.
fn pack_sep(items: &[String], width: u16, sep: &str) -> Vec<String> {
    let width = width as usize;
    let sep_width = Line::from(sep).width();
    let mut lines: Vec<String> = Vec::new();
    for item in items {
        match lines.last_mut() {
            Some(line)
                if Line::from(line.as_str()).width()
                    + sep_width
                    + Line::from(item.as_str()).width()
                    <= width =>
            {
                line.push_str(sep);
                line.push_str(item);
            }
            _ => lines.push(item.clone()),
        }
    }
    lines
}

/// A person's line with their phone at the end; when the line is wider than `width`, the
/// phone goes on a line of its own below, so a narrow window never shows a cut-off number
/// someone might dial.
fn push_contact<'a>(
    head: &mut Vec<(u8, Line<'a>)>,
    priority: u8,
    width: u16,
    mut who: Vec<Span<'a>>,
    phone: Span<'a>,
) {
    let line_width: usize = who.iter().map(Span::width).sum::<usize>() + phone.width();
    if line_width <= width as usize || phone.content.is_empty() {
        who.push(phone);
        head.push((priority, fit_line(Line::from(who), width as usize)));
    } else {
        head.push((priority, fit_line(Line::from(who), width as usize)));
        head.push((priority, Line::from(vec![Span::raw("  "), phone])));
    }
}
