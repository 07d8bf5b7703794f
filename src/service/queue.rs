//! The overdue queue: each duty of each child the user may record for, as the follow-up
//! engine computes it from the school's rules, with the names its rows refer to; and the
//! open one-off tasks that stand beside it.
//!
//! It reads only, through each child's summary and latest-event index, so that its cost does
//! not grow with the history; the urgency rules themselves live in `followup`.

use super::identity::Access;
use super::texts::{At, Texts};
use super::{Result, Service};
use crate::domain::{ChildId, ChildSummary, Positions, Settings, StaffId, Task};
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

impl KeptChild {
    /// The child with its texts found `shift` bytes further on (its part's texts appended
    /// to the queue's).
    fn moved_by(self, shift: u32) -> KeptChild {
        let at = |(start, end): At| (start + shift, end + shift);
        KeptChild {
            name: at(self.name),
            class: at(self.class),
            student_no: self.student_no.map(at),
            ..self
        }
    }
}

/// What is handed each summary the queue reads (the app's roster is made from them).
type SummarySeen<'f> = dyn FnMut(&ChildSummary<&str>) + 'f;

/// What one part of the roster gave: its rows sorted, and the children they are about (in
/// id order) with their texts.
#[derive(Default)]
struct QueuePart {
    rows: Vec<QueueRow>,
    children: Vec<KeptChild>,
    texts: Texts,
}

/// The overdue queue with what its rows refer to: rows in order, most urgent first.
#[derive(Debug, Clone)]
pub struct OverdueQueue {
    pub rows: Vec<QueueRow>,
    /// The children with rows, by id.
    children: Vec<KeptChild>,
    /// Where each of them is in `children` (a row's child is found without a search).
    places: Positions,
    texts: Texts,
    /// Staff names (in `texts`), by id.
    staff: Vec<(StaffId, At)>,
    duties: Vec<Duty>,
}

impl OverdueQueue {
    /// The child a row is about.
    pub fn child(&self, row: &QueueRow) -> Option<QueueChild<'_>> {
        let c = self.children.get(self.places.get(row.child)?)?;
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
        self.queue_with(rules, within, None)
    }

    /// The roster (see [`roster`](Self::roster)) and the overdue queue from one read of the
    /// children's summaries: what the app shows first.
    pub fn roster_and_queue(
        &self,
        rules: &Rules,
        within: Option<i64>,
        include_archived: bool,
    ) -> Result<(Vec<crate::service::RosterRow>, OverdueQueue)> {
        let mask = !self.may_see_ids();
        // Read in one pass here: each half would also build half the roster's rows, and the
        // second thread's thousands of small allocations grow its own heap a page at a
        // time (348 `mprotect` calls, each a stop of the other core on this machine): the
        // app's first frame came no sooner (`perf stat` in a pty, alternating).
        let mut roster = Vec::new();
        let queue = self.queue_with(
            rules,
            within,
            Some(&mut |c| {
                if include_archived || c.is_active() {
                    roster.push(super::roster::roster_row(c, mask));
                }
            }),
        )?;
        // Each mentor's name once, shared by their rows.
        let names: Vec<std::sync::Arc<str>> = queue
            .staff
            .iter()
            .map(|(_, at)| std::sync::Arc::from(queue.texts.get(*at)))
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

    /// The queue, handing every summary read (in id order) to `also` when given.
    ///
    /// Without `also`, the roster is read in two halves at once, one on a second thread:
    /// decoding the summaries and standing each child against the rules is most of the work,
    /// each child apart from the others, and a school's machine has at least two cores. Each
    /// half sorts its own rows; the two runs are merged.
    fn queue_with(
        &self,
        rules: &Rules,
        within: Option<i64>,
        also: Option<&mut SummarySeen<'_>>,
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
        // In id order as read; sorted all the same, as the lookups need it.
        names.sort_by_key(|(id, _)| *id);
        let engine = QueueEngine::new(rules, &settings, assignees, self.today, within);
        let (first, second) = match (also, r.roster_ids()?) {
            (None, Some((low, high))) if low < high => {
                let middle = low + (high - low) / 2;
                let (r, other) = (&r, engine.clone());
                crate::beside::both(
                    || self.queue_part(r, engine, low..=middle, None),
                    move || self.queue_part(r, other, middle + 1..=high, None),
                )
            }
            (also, _) => (
                self.queue_part(&r, engine, .., also),
                Ok(QueuePart::default()),
            ),
        };
        let (first, second) = (first?, second?);
        let rows = QueueEngine::merge(first.rows, second.rows);
        let mut children = Vec::with_capacity(first.children.len() + second.children.len());
        for (part_texts, part_children) in [
            (first.texts, first.children),
            (second.texts, second.children),
        ] {
            let shift = texts.append(&part_texts);
            children.extend(part_children.into_iter().map(|c| c.moved_by(shift)));
        }
        let queue = OverdueQueue {
            rows,
            places: Positions::new(children.iter().map(|c| c.id.0)),
            children,
            texts,
            staff: names,
            duties: rules.duties.clone(),
        };
        Ok(queue)
    }

    /// The rows of the files whose ids are in `ids`, sorted, with the children they are
    /// about; every summary read is handed to `also` when given.
    fn queue_part(
        &self,
        r: &crate::store::Reader,
        mut engine: QueueEngine<'_>,
        ids: impl std::ops::RangeBounds<u64>,
        mut also: Option<&mut SummarySeen<'_>>,
    ) -> Result<QueuePart> {
        let mut part = QueuePart::default();
        // Summaries are read in place, one at a time; only children with rows are kept.
        // Each teacher's queue holds the children whose whole file they may read: the flags
        // that weigh in the urgency are not for everyone.
        let setting_up = self.setting_up_when_opened();
        r.for_each_summary_in(ids, |c| {
            if let Some(also) = also.as_mut() {
                also(&c);
            }
            if !c.is_active() || self.access(setting_up, c.class, c.mentor) < Access::Record {
                return;
            }
            let before = part.rows.len();
            engine.child_rows(&ChildFacts::of(&c), &mut part.rows);
            if part.rows.len() > before {
                part.children.push(KeptChild {
                    id: c.id,
                    key_support: c.key_support,
                    name: part.texts.keep(c.name),
                    class: part.texts.keep_shared(c.class),
                    student_no: c.student_no.map(|no| part.texts.keep(no)),
                });
            }
        })?;
        QueueEngine::sort(&mut part.rows);
        Ok(part)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_moved_on_finds_its_texts_again() {
        let mut queue_texts = Texts::default();
        queue_texts.keep("区玉梅");
        let mut part = Texts::default();
        let child = KeptChild {
            id: ChildId(3),
            key_support: true,
            name: part.keep("刘子蕾"),
            class: part.keep_shared("一(1)班"),
            student_no: Some(part.keep("202600001")),
        };
        let shift = queue_texts.append(&part);
        let moved = child.moved_by(shift);
        assert_eq!(
            (
                queue_texts.get(moved.name),
                queue_texts.get(moved.class),
                moved.student_no.map(|at| queue_texts.get(at)),
            ),
            ("刘子蕾", "一(1)班", Some("202600001"))
        );
        assert_eq!((moved.id, moved.key_support), (ChildId(3), true));
    }
}
