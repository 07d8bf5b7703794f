//! One-off tasks (a follow-up to do by a day, for someone) and group activities (a class
//! meeting, 家长学校): adding them, and a task done, put off or handed over.
//!
//! Each command checks the user's rights for every child it names and runs inside the
//! transaction `Service::execute_all` opened; nothing here commits or writes the audit log.

use super::command::{Applied, Outcome, TaskChange};
use super::identity::Access;
use super::validate::{LONG, NAME, future_date, json, line, not_empty};
use super::{Field, Result, Service, ServiceError, Tx};
use crate::domain::{
    Activity, ActivityKind, EventKind, NewActivity, NewEvent, NewTask, Task, TaskId,
};

impl Service {
    /// Adds a task for a child.
    pub(super) fn add_task(&self, tx: Tx, new: NewTask) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        let empty = ("待办内容不能为空", "the task's text must not be empty");
        not_empty(Field::Note, &new.text, empty.0, empty.1)?;
        let text = line(Field::Note, &new.text, LONG)?;
        self.child_to_record(w, setting_up, new.child)?;
        self.existing_staff(w, new.assignee)?;
        let id = w.new_task_id()?;
        let task = Task {
            id,
            version: 1,
            child: new.child,
            text,
            due: new.due,
            assignee: new.assignee,
            done: None,
        };
        w.put_task(&task)?;
        let target = format!("child:{} task:{}", task.child.0, id.0);
        Ok(Applied::created(Outcome::Task(id), target, &task))
    }

    /// A task done, put off or handed over, unless it changed since `version` was read.
    pub(super) fn update_task(
        &self,
        tx: Tx,
        task: TaskId,
        version: u64,
        change: TaskChange,
    ) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        let existing = w.task(task)?.ok_or_else(|| ServiceError::Invalid {
            field: Field::Task,
            value: format!("#{}", task.0),
            expected_en: "a task on record".into(),
            expected_zh: "已有的待办".into(),
        })?;
        let child = self.child_with(
            w,
            setting_up,
            existing.child,
            Access::Record,
            "record for children outside your classes and mentees",
        )?;
        if existing.version != version {
            return Err(ServiceError::Stale {
                name: child.name.clone(),
                expected: version,
                found: existing.version,
                current: format!(
                    "{} · {} · {}",
                    existing.text,
                    existing.due,
                    existing.done.map_or("-".to_string(), |d| d.to_string())
                ),
            });
        }
        if let Some(void) = w.task_void(task)? {
            return Err(ServiceError::Voided {
                id: task.0,
                date: void.date,
                reason: void.reason,
            });
        }
        let mut updated = existing.clone();
        updated.version += 1;
        match change {
            TaskChange::Text(text) => {
                let empty = ("待办内容不能为空", "the task must say what to do");
                not_empty(Field::Task, &text, empty.0, empty.1)?;
                updated.text = line(Field::Task, &text, LONG)?;
            }
            TaskChange::Done(day) => updated.done = Some(day),
            TaskChange::Snooze(day) => {
                if day <= self.today {
                    return Err(ServiceError::invalid_with(
                        Field::Date,
                        &day.to_string(),
                        "今天以后的日期",
                        "a day after today",
                    ));
                }
                updated.due = day;
            }
            TaskChange::Reassign(staff) => {
                let to = self.existing_staff(w, staff)?;
                // Handed only to someone who can see the child and do the task: else it
                // would vanish from every queue.
                let may = to.has_role(crate::domain::Role::Admin)
                    || to.has_role(crate::domain::Role::Counselor)
                    || (to.has_role(crate::domain::Role::ClassTeacher)
                        && to.classes.contains(&child.class))
                    || child.mentor == Some(to.id);
                if !may {
                    return Err(ServiceError::invalid_with(
                        Field::Staff,
                        &to.name,
                        &format!(
                            "能为 {} 记录的教师: 本班 ({}) 班主任、帮扶教师、管理员或心理辅导教师",
                            child.name, child.class
                        ),
                        &format!(
                            "a staff member who may record for {}: a class teacher of {}, the mentor, an administrator or a counsellor",
                            child.name, child.class
                        ),
                    ));
                }
                updated.assignee = staff;
            }
        }
        w.put_task(&updated)?;
        let target = format!("child:{} task:{}", existing.child.0, task.0);
        Ok(Applied::changed(
            Outcome::Task(task),
            target,
            json(&existing),
            &updated,
        ))
    }

    /// A group activity or training, with an event on each attending child's timeline.
    pub(super) fn add_activity(&self, tx: Tx, new: NewActivity) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        self.existing_staff(w, new.organiser)?;
        let empty = ("活动名称不能为空", "the title must not be empty");
        not_empty(Field::Name, &new.title, empty.0, empty.1)?;
        let title = line(Field::Name, &new.title, LONG)?;
        if new.date > self.today {
            return Err(future_date(Field::Date, new.date, self.today));
        }
        let mut new = new;
        for g in &mut new.guardians {
            *g = line(Field::Name, g, NAME)?;
        }
        new.guardians.retain(|g| !g.is_empty());
        let mut seen = std::collections::HashSet::new();
        new.children.retain(|c| seen.insert(*c));
        let mut children = Vec::with_capacity(new.children.len());
        // Attendance at a school activity is the activity's register, not the child's record:
        // any staff member may take it for any active child (a class teacher's joint activity
        // with another class); nothing of the file beyond name and class is read.
        if !setting_up && self.actor.staff_id().is_none() {
            return Err(ServiceError::NotPermitted {
                who: self.actor.name(),
                what: "record for children outside your classes and mentees",
            });
        }
        for id in &new.children {
            let child = self.active_child(
                w,
                setting_up,
                *id,
                super::identity::Access::Read,
                "record for children outside your classes and mentees",
            )?;
            self.check_event_date(&child, new.date)?;
            children.push(child);
        }
        let id = w.new_activity_id()?;
        let activity = Activity {
            id,
            version: 1,
            kind: new.kind,
            date: new.date,
            title,
            organiser: new.organiser,
            children: new.children,
            guardians: new.guardians,
        };
        w.put_activity(&activity)?;
        let kind = match activity.kind {
            ActivityKind::Activity => EventKind::Activity,
            ActivityKind::Training => EventKind::Training,
        };
        let mut events = Vec::with_capacity(children.len());
        for child in children {
            let event_id = w.new_event_id()?;
            let event = NewEvent {
                child: child.id,
                kind,
                date: activity.date,
                staff: activity.organiser,
                present: Vec::new(),
                summary: activity.title.clone(),
                follow_up: false,
            }
            .into_event(event_id, Some(id));
            w.insert_event(&event)?;
            events.push(event_id);
        }
        let target = format!("activity:{}", id.0);
        Ok(Applied::created(
            Outcome::Activity(id, events),
            target,
            &activity,
        ))
    }
}
