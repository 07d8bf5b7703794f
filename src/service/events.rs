//! Recording what was done for a child: one event on its timeline (a talk, a home visit, a
//! call, counselling …), the date checks every event passes, and the counselling notes,
//! which live in their own file that only counsellors open.
//!
//! A counselling note never enters the main file or the audit log; nothing here reads a note
//! for anyone who is not a counsellor.

use chrono::NaiveDate;

use super::command::{Applied, Outcome};
use super::validate::{SHORT, audit_json, future_date, json, line, note};
use super::{Field, Result, Service, ServiceError, Tx};
use crate::domain::{Child, Event, EventId, NewEvent, Role};
use crate::store::StoreError;
use crate::store::notes::Notes;

impl Service {
    /// Marks a recorded event as a typical case (典型案例) for the work summary's 成效, or takes
    /// the mark off: for those who may record for the child (a counselling session: for
    /// counsellors only). Audited; the summary counts typical cases, never names them.
    pub(super) fn mark_typical(
        &self,
        tx: Tx,
        event: crate::domain::EventId,
        typical: bool,
    ) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        let Some(found) = w.event(event)? else {
            return Err(ServiceError::invalid_with(
                Field::Event,
                &format!("#{}", event.0),
                "已记录的一条记录的编号 (记录时显示的 #编号)",
                "the number of a recorded entry (the #number shown when it was logged)",
            ));
        };
        if found.kind.is_restricted() && !setting_up && !self.actor.has_role(Role::Counselor) {
            return Err(ServiceError::NotPermitted {
                who: self.actor.name(),
                what: "mark counselling sessions",
            });
        }
        self.child_to_record(w, setting_up, found.child)?;
        let before = w.typical_events()?.contains(&event);
        w.mark_typical(event, typical)?;
        Ok(Applied::new(
            Outcome::Event(event),
            format!("child:{} event:{}", found.child.0, event.0),
            Some(format!("{{\"typical\":{before}}}")),
            Some(format!("{{\"typical\":{typical}}}")),
        ))
    }

    /// Logs one event; a counselling session's note is queued in `notes`, written to the
    /// notes file once the transaction has committed.
    pub(super) fn log_event(&self, tx: Tx, mut new: NewEvent) -> Result<Applied> {
        let Tx {
            w,
            setting_up,
            notes,
            ..
        } = tx;
        if new.kind.is_restricted() && !setting_up && !self.actor.has_role(Role::Counselor) {
            return Err(ServiceError::NotPermitted {
                who: self.actor.name(),
                what: "record counselling sessions",
            });
        }
        new.summary = note(Field::Note, &new.summary)?;
        for p in &mut new.present {
            *p = line(Field::Present, p, SHORT)?;
        }
        new.present.retain(|p| !p.is_empty());
        let mut seen = std::collections::HashSet::new();
        new.present.retain(|p| seen.insert(p.clone()));
        let child = self.child_to_record(w, setting_up, new.child)?;
        self.existing_staff(w, new.staff)?;
        self.check_event_date(&child, new.date)?;
        let id = w.new_event_id()?;
        let mut event = new.into_event(id, None);
        if event.kind.is_restricted() {
            // The note goes to the notes file; the main file keeps the session only. An empty
            // note is written too: it clears whatever an interrupted earlier attempt left
            // under this id.
            let text = std::mem::take(&mut event.summary);
            self.notes()?;
            notes.push((id, text));
        }
        w.insert_event(&event)?;
        Ok(Applied::new(
            Outcome::Event(id),
            format!("child:{} event:{}", event.child.0, id.0),
            None,
            Some(audit_json(&event)),
        ))
    }

    pub(super) fn check_event_date(&self, child: &Child, date: NaiveDate) -> Result<()> {
        if date > self.today {
            return Err(future_date(Field::Date, date, self.today));
        }
        if date < child.birth {
            return Err(ServiceError::invalid_with(
                Field::Date,
                &date.to_string(),
                &format!("不早于出生日期 {}", child.birth),
                &format!("not before the birth date {}", child.birth),
            ));
        }
        Ok(())
    }

    // ---- queries ----

    /// The notes file, for those who may write counselling notes.
    pub(super) fn notes(&self) -> Result<&Notes> {
        if let Some(reason) = &self.notes_error {
            return Err(StoreError::Notes {
                reason: reason.clone(),
            }
            .into());
        }
        self.notes
            .as_ref()
            .ok_or_else(|| ServiceError::NotPermitted {
                who: self.actor.name(),
                what: "record counselling sessions",
            })
    }

    /// Fills in the notes of counselling events for a counsellor, and records the reading in
    /// the audit log (`read_counseling`). Others get the events without notes.
    pub(super) fn fill_notes(&self, events: &mut [&mut Event], target: String) -> Result<bool> {
        let Some(notes) = self
            .notes
            .as_ref()
            .filter(|_| self.actor.has_role(Role::Counselor))
        else {
            return Ok(false);
        };
        let ids: Vec<EventId> = events
            .iter()
            .filter(|e| e.kind.is_restricted())
            .map(|e| e.id)
            .collect();
        if ids.is_empty() {
            return Ok(true);
        }
        let found = notes.get_many(&ids)?;
        for e in events.iter_mut() {
            if let Some(text) = found.get(&e.id) {
                e.summary = text.clone();
            }
        }
        let list: Vec<u64> = ids.iter().map(|i| i.0).collect();
        let record = self.audit_record(
            "read_counseling",
            target,
            None,
            Some(format!("{{\"events\":{}}}", json(&list))),
        );
        self.store
            .write(|w| -> Result<()> { Ok(w.append_audit(record).map(|_| ())?) })?;
        Ok(true)
    }
}
