//! The overdue queue: each duty of each child the user may record for, as the follow-up
//! engine computes it from the school's rules, with the names its rows refer to; and the
//! open one-off tasks that stand beside it.
//!
//! It reads only, through each child's summary and latest-event index, so that its cost does
//! not grow with the history; the urgency rules themselves live in `followup`.

use super::identity::Access;
use super::texts::{At, Texts};
use super::{Result, Service};
use crate::domain::{ChildId, Settings, StaffId, Task};
use crate::followup::{Assignees, ChildFacts, Duty, QueueEngine, QueueRow, Rules};

/// A child as the queue shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueChild<'q> {
    pub id: ChildId,
    pub name: &'q str,
    pub class: &'q str,
    pub student_no: Option<&'q str>,
    pub key_support: bool,
}

/// A child with rows, its texts kept in the queue's one buffer (`texts`): thousands of
/// children are kept without three small allocations each.
#[derive(Debug, Clone)]
struct KeptChild {
    id: ChildId,
    key_support: bool,
    name: (u32, u32),
    class: (u32, u32),
    student_no: Option<(u32, u32)>,
}

/// The overdue queue with what its rows refer to: rows in order, most urgent first.
#[derive(Debug, Clone)]
pub struct OverdueQueue {
    pub rows: Vec<QueueRow>,
    /// The children with rows, by id.
    children: Vec<KeptChild>,
    texts: Texts,
    /// Staff names (in `texts`), by id.
    staff: Vec<(StaffId, At)>,
    duties: Vec<Duty>,
}

impl OverdueQueue {
    /// The child a row is about.
    pub fn child(&self, row: &QueueRow) -> Option<QueueChild<'_>> {
        let i = self
            .children
            .binary_search_by_key(&row.child, |c| c.id)
            .ok()?;
        let c = self.children.get(i)?;
        Some(QueueChild {
            id: c.id,
            name: self.texts.get(c.name),
            class: self.texts.get(c.class),
            student_no: c.student_no.map(|at| self.texts.get(at)),
            key_support: c.key_support,
        })
    }

    /// The duty a row is about.
    pub fn duty(&self, row: &QueueRow) -> Option<&Duty> {
        self.duties.get(row.duty)
    }

    /// The name of the staff member who must do it, if one is assigned.
    pub fn assignee_name(&self, row: &QueueRow) -> Option<&str> {
        let id = row.assignee?;
        self.staff
            .binary_search_by_key(&id, |(s, _)| *s)
            .ok()
            .map(|i| self.texts.get(self.staff[i].1))
    }
}

impl Service {
    /// The overdue queue as of today under `rules`, most urgent first: rows overdue and, with
    /// `within = Some(n)`, due in the next `n` days. Reads each child's last events from the
    /// per-child index: the cost does not grow with the history.
    pub fn overdue_queue(&self, rules: &Rules, within: Option<i64>) -> Result<OverdueQueue> {
        self.queue_with(rules, within, |_| {})
    }

    /// The roster (see [`roster`](Self::roster)) and the overdue queue from one read of the
    /// children's summaries: what the app shows first.
    pub fn roster_and_queue(
        &self,
        rules: &Rules,
        within: Option<i64>,
        include_archived: bool,
    ) -> Result<(Vec<crate::service::RosterRow>, OverdueQueue)> {
        let mut roster = Vec::new();
        let mask = !self.may_see_ids();
        let queue = self.queue_with(rules, within, |c| {
            if include_archived || c.is_active() {
                roster.push(super::roster::roster_row(c, mask));
            }
        })?;
        // Each mentor's name once, shared by their rows.
        let names: Vec<std::rc::Rc<str>> = queue
            .staff
            .iter()
            .map(|(_, at)| std::rc::Rc::from(queue.texts.get(*at)))
            .collect();
        self.finish_roster(&mut roster, |m| {
            queue
                .staff
                .binary_search_by_key(&m, |(s, _)| *s)
                .ok()
                .and_then(|i| names.get(i).cloned())
        });
        Ok((roster, queue))
    }

    /// The queue, handing every summary read to `also` on the way.
    fn queue_with(
        &self,
        rules: &Rules,
        within: Option<i64>,
        mut also: impl FnMut(&crate::domain::ChildSummary<&str>),
    ) -> Result<OverdueQueue> {
        let r = self.reader()?;
        let settings = r
            .settings()?
            .unwrap_or_else(|| Settings::default_for(self.today));
        // The staff read in place once: who is responsible for what, and their names.
        let mut texts = Texts::default();
        let mut assignees = Assignees::default();
        let mut names = Vec::new();
        r.for_each_staff(|s| {
            assignees.add(s);
            names.push((s.id, texts.keep(s.name)));
            std::ops::ControlFlow::Continue(())
        })?;
        let mut engine = QueueEngine::new(rules, &settings, assignees, self.today, within);
        let mut rows = Vec::new();
        let mut children = Vec::new();
        // Summaries are read in place, one at a time; only children with rows are kept.
        // Each teacher's queue holds the children whose whole file they may read: the flags
        // that weigh in the urgency are not for everyone.
        let setting_up = self.setting_up_when_opened();
        r.for_each_summary(|c| {
            also(&c);
            if !c.is_active() || self.access(setting_up, c.class, c.mentor) < Access::Record {
                return;
            }
            let before = rows.len();
            engine.child_rows(
                &ChildFacts {
                    id: c.id,
                    class: c.class,
                    birth: c.birth,
                    opened: c.opened,
                    key_support: c.key_support,
                    boarding: c.boarding,
                    poverty_support: c.poverty_support,
                    left_behind: c.left_behind,
                    mentor: c.mentor,
                    surveyed: c.surveyed,
                    last: c.last.days(),
                },
                &mut rows,
            );
            if rows.len() > before {
                children.push(KeptChild {
                    id: c.id,
                    key_support: c.key_support,
                    name: texts.keep(c.name),
                    class: texts.keep_shared(c.class),
                    student_no: c.student_no.map(|no| texts.keep(no)),
                });
            }
        })?;
        QueueEngine::sort(&mut rows);
        // In id order as read; sorted all the same, as the lookups need it.
        names.sort_by_key(|(id, _)| *id);
        Ok(OverdueQueue {
            rows,
            children,
            texts,
            staff: names,
            duties: rules.duties.clone(),
        })
    }

    /// The open tasks of the children one may record for, soonest due first.
    pub fn open_tasks(&self) -> Result<Vec<Task>> {
        let r = self.reader()?;
        let setting_up = self.setting_up_when_opened();
        let mut out = Vec::new();
        let voided: std::collections::HashSet<crate::domain::TaskId> =
            r.voided_tasks()?.into_iter().map(|(t, _)| t).collect();
        for task in r
            .all_tasks()?
            .into_iter()
            .filter(|t| t.done.is_none() && !voided.contains(&t.id))
        {
            if let Some(child) = r.child(task.child)?
                && child.is_active()
                && self.access(setting_up, &child.class, child.mentor) >= Access::Record
            {
                out.push(task);
            }
        }
        out.sort_by_key(|t| (t.due, t.id));
        Ok(out)
    }
}
