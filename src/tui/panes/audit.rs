//! The audit log for administrators: every change and every reading of counselling notes,
//! newest first, who and when; the selected entry's values before and after below. Only the
//! service decides who may read it (it refuses everyone but administrators). This file holds
//! the pane's state, its keys and its drawing; it must not change records.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::i18n::Lang;
use crate::service::AuditEntry;
use crate::tui::action::Action;
use crate::tui::component::Look;
use crate::tui::component::{Component, Ctx, Event, EventState};
use crate::tui::widgets::{ListPos, fit_line, pane_block};

/// The audit log as an administrator reads it: newest first, loaded when the pane opens.
#[derive(Debug, Default)]
pub struct AuditView {
    pub entries: Option<Vec<AuditEntry>>,
    /// Only the changes to the child open in the child pane.
    pub child_only: bool,
    pub pos: ListPos,
}

impl AuditView {
    /// Reads the audit log (only when the pane is shown: it grows with every change).
    pub fn load(&mut self, ctx: &mut Ctx<'_>) {
        let child = if self.child_only {
            ctx.open_child
        } else {
            None
        };
        match ctx.service.audit(child, None, None) {
            Ok(mut entries) => {
                entries.reverse();
                self.pos.clamp(entries.len());
                self.entries = Some(entries);
            }
            Err(e) => {
                self.entries = None;
                ctx.error(&e);
            }
        }
    }
}

/// The pane's actions: moving, and only the open child's changes.
impl Component for AuditView {
    fn handle(&mut self, event: Event<'_>, ctx: &mut Ctx<'_>) -> EventState {
        match event {
            Event::Action(Action::AuditChildOnly) => {
                self.child_only = !self.child_only;
                self.pos = ListPos::default();
                self.load(ctx);
            }
            Event::Action(action) if action.is_move() => {
                let len = self.entries.as_ref().map_or(0, Vec::len);
                self.pos.apply(action, len);
            }
            _ => return EventState::NotConsumed,
        }
        EventState::Consumed
    }
}

/// The label of a command in the UI language (its name when the catalog has none).
fn command_label(look: &Look, command: &str) -> String {
    let key = format!("audit.cmd.{command}");
    let text = look.text.get(&key);
    if text == key {
        command.to_string()
    } else {
        text.to_string()
    }
}

/// What a change was to: the child's name for `child:ID`.
fn target_label(look: &Look, target: &str) -> String {
    let (head, rest) = target.split_once(' ').unwrap_or((target, ""));
    let name = head
        .strip_prefix("child:")
        .and_then(|id| id.parse::<u64>().ok())
        .and_then(|id| {
            look.data
                .roster
                .iter()
                .find(|r| r.child.id.0 == id)
                .map(|r| r.child.name().to_string())
        });
    match name {
        Some(n) => format!("{n} {rest}").trim().to_string(),
        None => target.to_string(),
    }
}

fn when(e: &AuditEntry) -> String {
    let time = chrono::DateTime::from_timestamp_millis(e.record.at_unix_ms)
        .map(|t| t.with_timezone(&chrono::Local).format("%H:%M").to_string())
        .unwrap_or_default();
    format!("{} {time}", e.record.day)
}

pub fn draw(view: &mut AuditView, look: &Look, frame: &mut Frame, area: Rect, focused: bool) {
    let theme = look.theme;
    let count = view.entries.as_ref().map_or(0, Vec::len);
    let mut title = vec![Span::styled(
        format!(
            " {} ({}) ",
            look.text.get("pane.audit"),
            look.text.fmt("audit.count", &[("n", &count)])
        ),
        theme.title(),
    )];
    if view.child_only {
        let name = look.open_child.clone().unwrap_or_else(|| String::from("-"));
        title.push(Span::styled(
            format!("{}: {name} ", look.text.get("audit.child_only")),
            theme.accent(),
        ));
    }
    let block = pane_block(look.theme, Line::from(title), focused, area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(entries) = view.entries.as_ref() else {
        return;
    };
    if entries.is_empty() {
        frame.render_widget(
            Paragraph::new(look.text.get("audit.empty").to_string()).style(theme.muted()),
            inner,
        );
        return;
    }
    let detail_height = (inner.height / 3)
        .max(3)
        .min(inner.height.saturating_sub(2));
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(detail_height)]).areas(inner);
    let height = list_area.height as usize;
    let first = view.pos.scroll_into_view(height, entries.len());
    let selected = view.pos.selected;
    let setup = look.text.get("audit.setup").to_string();
    let lines: Vec<Line> = entries
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, e)| {
            let who = e.actor_name.clone().unwrap_or_else(|| setup.clone());
            let style = if i == selected && focused {
                theme.selected()
            } else {
                Style::new()
            };
            fit_line(
                Line::from(vec![
                    Span::styled(format!("{} ", when(e)), theme.muted()),
                    Span::raw(format!("{who}  ")),
                    Span::styled(
                        format!("{}  ", command_label(look, &e.record.command)),
                        theme.accent(),
                    ),
                    Span::raw(target_label(look, &e.record.target)),
                ]),
                list_area.width as usize,
            )
            .style(style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list_area);
    if let Some(e) = entries.get(selected) {
        let mut detail = vec![Line::from(Span::styled(
            "─".repeat(detail_area.width as usize),
            theme.muted(),
        ))];
        match changes(e, look.lang()) {
            Some(changed) => {
                detail.push(Line::from(Span::styled(
                    look.text.get("audit.changed").to_string(),
                    theme.muted(),
                )));
                for (field, old, new) in changed {
                    detail.push(Line::from(vec![
                        Span::styled(format!("  {field}: "), theme.accent()),
                        Span::raw(old),
                        Span::styled(" → ", theme.muted()),
                        Span::raw(new),
                    ]));
                }
            }
            None => {
                let none = look.text.get("audit.none").to_string();
                for (key, value) in [
                    ("audit.before", &e.record.before),
                    ("audit.after", &e.record.after),
                ] {
                    detail.push(Line::from(vec![
                        Span::styled(format!("{} ", look.text.get(key)), theme.muted()),
                        Span::raw(value.clone().unwrap_or_else(|| none.clone())),
                    ]));
                }
            }
        }
        frame.render_widget(
            Paragraph::new(detail).wrap(Wrap { trim: false }),
            detail_area,
        );
    }
}

/// What changed, field by field, in words a principal reads: each field that differs, named
/// in the UI's language (a field inside another as 监护人·电话), with its old and new value
/// (`-` for none). A record made or removed shows the fields it has. `None` when the log
/// holds no record on either side (a reading, a printing).
pub fn changes(e: &AuditEntry, lang: Lang) -> Option<Vec<(String, String, String)>> {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
    };
    let (before, after) = (parse(&e.record.before), parse(&e.record.after));
    if before.is_none() && after.is_none() {
        return None;
    }
    let mut old = std::collections::BTreeMap::new();
    let mut new = std::collections::BTreeMap::new();
    if let Some(v) = &before {
        flatten(&mut Vec::new(), v, lang, &mut old);
    }
    if let Some(v) = &after {
        flatten(&mut Vec::new(), v, lang, &mut new);
    }
    let mut keys: Vec<&Vec<String>> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    let none = String::from("-");
    Some(
        keys.into_iter()
            .filter_map(|k| {
                let (o, n) = (old.get(k).unwrap_or(&none), new.get(k).unwrap_or(&none));
                let label: Vec<String> = k
                    .iter()
                    .map(|p| field_label(p, lang).into_owned())
                    .collect();
                (o != n).then(|| (label.join("·"), o.clone(), n.clone()))
            })
            .collect(),
    )
}

/// The scalar values of a record by their path of field names (labelled), skipping the
/// version counter; a list of plain values is one value, joined with 、.
fn flatten(
    path: &mut Vec<String>,
    v: &serde_json::Value,
    lang: Lang,
    out: &mut std::collections::BTreeMap<Vec<String>, String>,
) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "version" {
                    continue;
                }
                path.push(k.clone());
                flatten(path, v, lang, out);
                path.pop();
            }
        }
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            if !items.is_empty() {
                let words: Vec<String> = items.iter().map(|i| scalar(i, lang)).collect();
                out.insert(path.clone(), words.join(lang.pick("、", ", ")));
            }
        }
        Value::Array(items) => {
            for (n, item) in items.iter().enumerate() {
                path.push(format!("{}", n + 1));
                flatten(path, item, lang, out);
                path.pop();
            }
        }
        Value::Null => {}
        other => {
            out.insert(path.clone(), scalar(other, lang));
        }
    }
}

fn scalar(v: &serde_json::Value, lang: Lang) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Bool(true) => lang.pick("是", "yes").to_string(),
        serde_json::Value::Bool(false) => lang.pick("否", "no").to_string(),
        serde_json::Value::Null => String::from("-"),
        other => other.to_string(),
    }
}

/// Field keys (in order: they are looked up by binary search) with their Chinese and English
/// names.
const LABELS: &[(&str, &str, &str)] = &[
    ("active", "在职", "active"),
    ("activity", "活动", "activity"),
    ("address", "住址", "address"),
    ("age", "年龄", "age"),
    ("assessment", "评估", "assessment"),
    ("assignee", "负责人", "assignee"),
    ("away", "外出", "away"),
    ("birth", "出生日期", "birth"),
    ("boarding", "寄宿", "boarding"),
    ("buddies", "结对伙伴", "buddies"),
    ("by", "经办人", "by"),
    (
        "can_supervise_study",
        "能辅导学习",
        "can help with homework",
    ),
    ("care", "照料", "care"),
    ("child", "学生", "child"),
    ("children", "学生", "children"),
    ("class", "班级", "class"),
    ("classes", "班级", "classes"),
    ("date", "日期", "date"),
    ("done", "完成", "done"),
    ("due", "到期", "due"),
    ("emergency_contacts", "紧急联系人", "emergency contacts"),
    ("ethnicity", "民族", "ethnicity"),
    ("event", "记录", "entry"),
    ("follow_up", "需跟进", "follow-up"),
    ("gender", "性别", "gender"),
    ("guardian", "监护人", "guardian"),
    ("guardians", "监护人", "guardians"),
    ("guardianship", "监护类型", "guardianship"),
    ("health", "健康", "health"),
    ("hukou", "户籍", "hukou"),
    ("id", "编号", "id"),
    ("id_no", "身份证号", "ID number"),
    ("key_support", "重点帮扶", "key support"),
    ("kind", "类别", "kind"),
    ("left_behind", "留守情况", "left behind"),
    ("life", "生活", "life"),
    ("mentor", "帮扶教师", "mentor"),
    ("name", "姓名", "name"),
    ("note", "记录", "note"),
    ("organiser", "组织者", "organiser"),
    ("parents", "父母", "parents"),
    ("phone", "电话", "phone"),
    ("poverty_support", "两免一补", "poverty support"),
    ("present", "在场", "present"),
    ("psychology", "心理", "psychology"),
    ("reason", "原因", "reason"),
    ("register", "登记信息", "register"),
    ("relation", "关系", "relation"),
    ("remarks", "备注", "remarks"),
    ("roles", "角色", "roles"),
    ("safety", "安全", "safety"),
    ("since", "起始", "since"),
    ("situation", "五方面情况", "situation"),
    ("special_needs", "特殊需要", "special needs"),
    ("staff", "记录人", "staff"),
    ("status", "状态", "status"),
    ("status_history", "档案状态", "status"),
    ("student_no", "学号", "student no"),
    ("study", "学习", "study"),
    ("summary", "记录", "note"),
    ("support", "帮扶", "support"),
    ("surveyed", "复查日期", "surveyed"),
    ("text", "内容", "text"),
    ("title", "标题", "title"),
    ("unix_user", "系统用户", "Unix user"),
    ("unrecorded", "未填", "not recorded"),
    ("village", "村", "village"),
    ("workplace", "务工地点", "workplace"),
];

/// A record's field as the audit detail names it; a field without a name here keeps its key.
fn field_label(key: &str, lang: Lang) -> std::borrow::Cow<'_, str> {
    match LABELS.binary_search_by(|(k, _, _)| (*k).cmp(key)) {
        Ok(i) => lang.pick(LABELS[i].1, LABELS[i].2).into(),
        Err(_) => key.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::AuditEntry;
    use crate::store::AuditRecord;

    fn entry(before: Option<&str>, after: Option<&str>) -> AuditEntry {
        AuditEntry {
            record: AuditRecord {
                seq: 1,
                at_unix_ms: 0,
                day: chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default(),
                actor: None,
                command: "edit_event".into(),
                target: "event:67".into(),
                before: before.map(str::to_string),
                after: after.map(str::to_string),
            },
            actor_name: None,
        }
    }

    #[test]
    fn the_labels_are_in_key_order() {
        assert!(LABELS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(field_label("summary", Lang::Zh), "记录");
        assert_eq!(field_label("id_no", Lang::En), "ID number");
        assert_eq!(field_label("something_new", Lang::Zh), "something_new");
    }

    #[test]
    fn a_change_reads_field_by_field_in_words() {
        let e = entry(
            Some(
                r#"{"summary":"与同学发生矛盾","date":"2026-11-12","version":1,"present":["奶奶"],"follow_up":false,"staff":3}"#,
            ),
            Some(
                r#"{"summary":"与同学发生矛盾，已调解","date":"2026-11-13","version":2,"present":["奶奶","父亲"],"follow_up":true,"staff":3}"#,
            ),
        );
        let row = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
        assert_eq!(
            changes(&e, Lang::Zh),
            Some(vec![
                row("日期", "2026-11-12", "2026-11-13"),
                row("需跟进", "否", "是"),
                row("在场", "奶奶", "奶奶、父亲"),
                row("记录", "与同学发生矛盾", "与同学发生矛盾，已调解"),
            ])
        );
        assert_eq!(
            changes(&e, Lang::En).map(|c| c.into_iter().map(|r| r.0).collect::<Vec<_>>()),
            Some(vec![
                "date".into(),
                "follow-up".into(),
                "present".into(),
                "note".into()
            ])
        );
    }

    /// Fields inside fields are named by their path; a new record shows what it holds; a
    /// field not named here keeps its key; nothing on either side is no change to show.
    #[test]
    fn nested_fields_new_records_and_unknown_keys() {
        let e = entry(
            Some(
                r#"{"situation":{"study":"学习正常","life":"由亲属照料"},"guardian":{"phone":"138"}}"#,
            ),
            Some(
                r#"{"situation":{"study":"成绩下降","life":"由亲属照料"},"guardian":{"phone":"139"}}"#,
            ),
        );
        let fields: Vec<(String, String, String)> = changes(&e, Lang::Zh).unwrap_or_default();
        assert_eq!(
            fields,
            vec![
                (
                    "监护人·电话".to_string(),
                    "138".to_string(),
                    "139".to_string()
                ),
                (
                    "五方面情况·学习".to_string(),
                    "学习正常".to_string(),
                    "成绩下降".to_string()
                ),
            ]
        );
        let made = entry(
            None,
            Some(r#"{"text":"家访回访","due":"2026-12-05","zzz":1,"done":null}"#),
        );
        assert_eq!(
            changes(&made, Lang::Zh),
            Some(vec![
                (
                    "到期".to_string(),
                    "-".to_string(),
                    "2026-12-05".to_string()
                ),
                ("内容".to_string(), "-".to_string(), "家访回访".to_string()),
                ("zzz".to_string(), "-".to_string(), "1".to_string()),
            ])
        );
        assert_eq!(changes(&entry(None, None), Lang::Zh), None);
        assert_eq!(changes(&entry(Some("not json"), None), Lang::Zh), None);
    }
}
