//! Correcting the record: an entry on a child's timeline changed (a typo in yesterday's talk,
//! the wrong date) or withdrawn (作废: a visit logged for the wrong child), by its author, an
//! administrator or a counsellor — counselling sessions by counsellors only.
//!
//! Nothing is deleted here. An edit writes a new version of the entry, refused when the
//! entry changed since the user read it; a withdrawal keeps the entry on the timeline with
//! who withdrew it, when and why, and takes it out of every count. Both are audited with the
//! entry before and after (a counselling note never enters the audit log).

use super::command::{Applied, Outcome};
use super::validate::{SHORT, audit_json, json, line, note};
use super::{Field, Result, Service, ServiceError, Tx};
use crate::domain::{Child, Event, EventChange, EventId, EventKind, Role, Void};
use crate::store::Writer;

/// The longest reason a withdrawal may give.
const REASON: usize = 200;

impl Service {
    /// Saves a new version of an entry, if it is still at `version`.
    pub(super) fn edit_event(
        &self,
        tx: Tx,
        id: EventId,
        version: u64,
        change: EventChange,
    ) -> Result<Applied> {
        let Tx {
            w,
            setting_up,
            notes,
            ..
        } = tx;
        let (current, child) = self.entry_to_correct(w, setting_up, id, version)?;
        let mut change = change;
        change.summary = note(Field::Note, &change.summary)?;
        let mut present = Vec::new();
        for p in &change.present {
            let p = line(Field::Present, p, SHORT)?;
            if !p.is_empty() && !present.contains(&p) {
                present.push(p);
            }
        }
        change.present = present;
        if change.kind != current.kind {
            let fixed = current.activity.is_some()
                || current.kind.is_restricted()
                || change.kind.is_restricted()
                || matches!(change.kind, EventKind::Activity | EventKind::Training);
            if fixed {
                return Err(ServiceError::invalid_with(
                    Field::Kind,
                    change.kind.key(),
                    &format!(
                        "{} (心理辅导和集体活动的类别不能改; 记错了请作废后重新记录)",
                        current.kind.zh()
                    ),
                    &format!(
                        "{} (counselling and group activities keep their kind: void the entry and record it anew)",
                        current.kind.en()
                    ),
                ));
            }
        }
        if change.date != current.date {
            if current.activity.is_some() {
                return Err(ServiceError::invalid_with(
                    Field::Date,
                    &change.date.to_string(),
                    &format!("{} (集体活动的日期随活动, 不能单独改)", current.date),
                    &format!("{} (an attendance keeps its activity's date)", current.date),
                ));
            }
            self.check_event_date(&child, change.date)?;
        }
        let mut updated = Event {
            kind: change.kind,
            date: change.date,
            present: change.present,
            summary: change.summary,
            follow_up: change.follow_up,
            version: current.version + 1,
            ..current.clone()
        };
        if updated.kind.is_restricted() {
            // The note goes to the counsellors' file once the transaction has committed.
            let text = std::mem::take(&mut updated.summary);
            self.notes()?;
            notes.push((id, text));
        }
        w.replace_event(&current, &updated)?;
        Ok(Applied::new(
            Outcome::Event(id),
            format!("child:{} event:{}", current.child.0, id.0),
            Some(audit_json(&current)),
            Some(audit_json(&updated)),
        ))
    }

    /// Withdraws an entry (作废) with a reason, if it is still at `version`.
    pub(super) fn void_event(
        &self,
        tx: Tx,
        id: EventId,
        version: u64,
        reason: &str,
    ) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        let (current, _) = self.entry_to_correct(w, setting_up, id, version)?;
        let reason = line(Field::Reason, reason, REASON)?;
        if reason.is_empty() {
            return Err(ServiceError::invalid_with(
                Field::Reason,
                "",
                "作废的原因, 例如 \"记错了学生\" (会留在记录上)",
                "why the entry is voided, e.g. \"logged for the wrong child\" (it stays on the entry)",
            ));
        }
        let void = Void {
            by: self.actor.staff_id().unwrap_or(current.staff),
            date: self.today,
            reason,
        };
        w.void_event(&current, &void)?;
        Ok(Applied::new(
            Outcome::Event(id),
            format!("child:{} event:{}", current.child.0, id.0),
            Some(audit_json(&current)),
            Some(format!("{{\"event\":{},\"voided\":{}}}", id.0, json(&void))),
        ))
    }

    /// The entry `id` at `version`, and its child, for a correction by this user: the entry
    /// exists and is not withdrawn, nobody changed it since, and the user may correct it.
    fn entry_to_correct(
        &self,
        w: &Writer<'_>,
        setting_up: bool,
        id: EventId,
        version: u64,
    ) -> Result<(Event, Child)> {
        let Some(current) = w.event(id)? else {
            return Err(ServiceError::invalid_with(
                Field::Event,
                &format!("#{}", id.0),
                "已记录的一条记录的编号 (记录时显示的 #编号, 或 guanai timeline 的第一列)",
                "the number of a recorded entry (the #number shown when it was logged, or the first column of guanai timeline)",
            ));
        };
        if let Some(void) = w.void_of(id)? {
            return Err(ServiceError::Voided {
                id: id.0,
                date: void.date,
                reason: void.reason,
            });
        }
        let child = self.existing_child(w, current.child)?;
        if current.version != version {
            return Err(ServiceError::EntryChanged {
                id: id.0,
                name: child.name.clone(),
                current: describe(&current),
            });
        }
        if !setting_up {
            let counselor = self.actor.has_role(Role::Counselor);
            if current.kind.is_restricted() && !counselor {
                return Err(ServiceError::NotPermitted {
                    who: self.actor.name(),
                    what: "correct counselling sessions",
                });
            }
            let author = self.actor.staff_id() == Some(current.staff);
            if !author && !counselor && !self.actor.has_role(Role::Admin) {
                return Err(ServiceError::NotPermitted {
                    who: self.actor.name(),
                    what: "correct entries recorded by someone else",
                });
            }
        }
        Ok((current, child))
    }
}

/// An entry in one line, for a message: date, kind, who was there and the start of the note
/// (a counselling note is not in the main file, so it is never shown here).
pub(super) fn describe(e: &Event) -> String {
    let mut out = format!("{} {}", e.date, e.kind.zh());
    if !e.present.is_empty() {
        out.push_str(&format!(" ({})", e.present.join("、")));
    }
    if !e.summary.is_empty() {
        let start: String = e.summary.chars().take(30).collect();
        out.push_str(&format!(" {start}"));
        if e.summary.chars().count() > 30 {
            out.push('…');
        }
    }
    out
}
