//! Correcting a group activity (its title or date, for every attendance entry with it) or
//! withdrawing it (作废: the activity and each attendance entry stay, counted nowhere), and
//! withdrawing a one-off task (it leaves the queue). By the organiser, administrators and
//! counsellors for an activity; by whoever may record for the child for a task. Nothing is
//! deleted; each change is audited before and after and undone by `Undo`.

use chrono::NaiveDate;

use super::command::{Applied, Outcome};
use super::identity::Access;
use super::validate::{LONG, future_date, json, line, not_empty};
use super::{Field, Result, Service, ServiceError, Tx};
use crate::domain::{Activity, ActivityId, Event, Role, TaskId, Void};
use crate::store::Writer;

/// The longest reason a withdrawal may give.
const REASON: usize = 200;

impl Service {
    /// A new title or date for a group activity and every attendance entry with it.
    pub(super) fn edit_activity(
        &self,
        tx: Tx,
        id: ActivityId,
        version: u64,
        title: String,
        date: NaiveDate,
    ) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        let current = self.activity_to_correct(w, setting_up, id, version)?;
        let empty = ("活动名称不能为空", "the title must not be empty");
        not_empty(Field::Title, &title, empty.0, empty.1)?;
        let title = line(Field::Title, &title, LONG)?;
        if date > self.today {
            return Err(future_date(Field::Date, date, self.today));
        }
        for e in attendance(w, &current)? {
            let child = self.existing_child(w, e.child)?;
            self.check_event_date(&child, date)?;
            // An attendance whose note was corrected keeps it; the others take the title.
            let summary = if e.summary == current.title {
                title.clone()
            } else {
                e.summary.clone()
            };
            let moved = Event {
                date,
                summary,
                version: e.version + 1,
                ..e.clone()
            };
            w.replace_event(&e, &moved)?;
        }
        let updated = Activity {
            title,
            date,
            version: current.version + 1,
            ..current.clone()
        };
        w.put_activity(&updated)?;
        Ok(Applied::changed(
            Outcome::Activity(id, Vec::new()),
            format!("activity:{}", id.0),
            json(&current),
            &updated,
        ))
    }

    /// Withdraws a group activity with a reason: it and each attendance entry stay on
    /// record, and the summary, the duties and the figures leave them out.
    pub(super) fn void_activity(
        &self,
        tx: Tx,
        id: ActivityId,
        version: u64,
        reason: &str,
    ) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        let current = self.activity_to_correct(w, setting_up, id, version)?;
        let void = self.void_record(reason, current.organiser)?;
        let mut voided = Vec::new();
        for e in attendance(w, &current)? {
            if w.void_of(e.id)?.is_none() {
                w.void_event(&e, &void)?;
                voided.push(e.id.0);
            }
        }
        w.set_activity_void(id, Some(&void))?;
        Ok(Applied::new(
            Outcome::Activity(id, Vec::new()),
            format!("activity:{}", id.0),
            Some(json(&current)),
            Some(format!(
                "{{\"activity\":{},\"voided\":{},\"entries\":{}}}",
                id.0,
                json(&void),
                json(&voided)
            )),
        ))
    }

    /// Withdraws a one-off task with a reason: it leaves the queue.
    pub(super) fn void_task(
        &self,
        tx: Tx,
        id: TaskId,
        version: u64,
        reason: &str,
    ) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        let Some(task) = w.task(id)? else {
            return Err(ServiceError::invalid_with(
                Field::Task,
                &format!("#{}", id.0),
                "已有的待办编号 (见 guanai task list)",
                "the number of a task on record (see guanai task list)",
            ));
        };
        let child = self.child_with(
            w,
            setting_up,
            task.child,
            Access::Record,
            "record for children outside your classes and mentees",
        )?;
        if task.version != version {
            return Err(ServiceError::Stale {
                name: child.name,
                expected: version,
                found: task.version,
                current: format!("{} · {}", task.text, task.due),
            });
        }
        if let Some(void) = w.task_void(id)? {
            return Err(ServiceError::Voided {
                id: id.0,
                date: void.date,
                reason: void.reason,
            });
        }
        if let Some(done) = task.done {
            return Err(ServiceError::invalid_with(
                Field::Task,
                &format!("#{}", id.0),
                &format!("未完成的待办 (这一项已在 {done} 完成)"),
                &format!("an open task (this one was done on {done})"),
            ));
        }
        let void = self.void_record(reason, task.assignee)?;
        w.set_task_void(id, Some(&void))?;
        Ok(Applied::new(
            Outcome::Task(id),
            format!("child:{} task:{}", task.child.0, id.0),
            Some(json(&task)),
            Some(format!("{{\"task\":{},\"voided\":{}}}", id.0, json(&void))),
        ))
    }

    /// Who withdraws, today, and why (a reason is required).
    fn void_record(&self, reason: &str, fallback: crate::domain::StaffId) -> Result<Void> {
        let reason = line(Field::Reason, reason, REASON)?;
        if reason.is_empty() {
            return Err(ServiceError::invalid_with(
                Field::Reason,
                "",
                "作废的原因, 例如 \"日期记错了\" (会留在记录上)",
                "why it is voided, e.g. \"wrong date\" (it stays on record)",
            ));
        }
        Ok(Void {
            by: self.actor.staff_id().unwrap_or(fallback),
            date: self.today,
            reason,
        })
    }

    /// The activity `id` at `version`, not withdrawn, for a correction by this user (its
    /// organiser, an administrator or a counsellor).
    fn activity_to_correct(
        &self,
        w: &Writer<'_>,
        setting_up: bool,
        id: ActivityId,
        version: u64,
    ) -> Result<Activity> {
        let Some(current) = w.activity(id)? else {
            return Err(ServiceError::invalid_with(
                Field::Event,
                &format!("#{}", id.0),
                "已记录的活动编号 (见 guanai activity list)",
                "the number of a recorded activity (see guanai activity list)",
            ));
        };
        if let Some(void) = w.activity_void(id)? {
            return Err(ServiceError::Voided {
                id: id.0,
                date: void.date,
                reason: void.reason,
            });
        }
        if current.version != version {
            return Err(ServiceError::EntryChanged {
                id: id.0,
                name: current.title.clone(),
                current: format!("{} {}", current.date, current.title),
            });
        }
        let may = setting_up
            || self.actor.staff_id() == Some(current.organiser)
            || self.actor.has_role(Role::Admin)
            || self.actor.has_role(Role::Counselor);
        if !may {
            return Err(ServiceError::NotPermitted {
                who: self.actor.name(),
                what: "correct entries recorded by someone else",
            });
        }
        Ok(current)
    }
}

/// The attendance entries of an activity, one per attending child.
pub(super) fn attendance(w: &Writer<'_>, activity: &Activity) -> Result<Vec<Event>> {
    let mut out = Vec::new();
    for child in &activity.children {
        for e in w.timeline(*child)? {
            if e.activity == Some(activity.id) {
                out.push(e);
            }
        }
    }
    Ok(out)
}
