//! What the front ends read: the roster, one child's file (whole, or the basic file for
//! staff without the rights), a timeline, the audit log, the work summary's figures, and
//! the change sequence that tells another process changed the data.
//!
//! Queries never change a record; the only thing they write is the audit entry that a
//! counsellor read notes (through `fill_notes`).

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::children::{basic_file, masked_id};
use super::{Result, Service, ServiceError};
use crate::domain::{
    Activity, ActivityId, Child, ChildId, Event, EventKind, Role, Settings, StaffId, Task, TaskId,
    normalize_name,
};
use crate::followup::Rules;
use crate::store::{AuditRecord, Direction};

/// An audit record with the name of who made the change (`None`: the school's setup).
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    #[serde(flatten)]
    pub record: AuditRecord,
    pub actor_name: Option<String>,
}

/// One entry of a timeline as the current user may see it.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub event: Event,
    pub staff_name: String,
    /// True when the summary was withheld (counselling notes for non-counsellors).
    pub restricted: bool,
    /// Why, when and by whom the entry was withdrawn (作废), if it was: it counts for nothing.
    pub void: Option<crate::domain::Void>,
    /// Who withdrew it, by name.
    pub voided_by: Option<String>,
}

impl Service {
    /// The change sequence: it moves with every committed change, by any process.
    pub fn change_seq(&self) -> Result<u64> {
        Ok(self.reader()?.change_seq()?)
    }

    /// The audit records after sequence `after`, oldest first (what changed since).
    pub fn audit_since(&self, after: u64) -> Result<Vec<AuditRecord>> {
        Ok(self.reader()?.audit_since(after)?)
    }

    /// How many events the file holds.
    pub fn event_count(&self) -> Result<u64> {
        Ok(self.reader()?.event_count()?)
    }

    /// A child by student number or exact name: the whole file for those who may read it,
    /// the basic file (no phones, parents, guardian, situation, support) for other staff.
    pub fn resolve_child(&self, reference: &str) -> Result<Child> {
        let child = self.find_child(reference)?;
        self.as_shown(child)
    }

    /// A child by id: the whole file for those who may read it, the basic file for other
    /// staff (as [`resolve_child`](Self::resolve_child)).
    pub fn child(&self, id: ChildId) -> Result<Child> {
        let child = self
            .reader()?
            .child(id)?
            .ok_or_else(|| ServiceError::UnknownChild {
                reference: format!("#{}", id.0),
            })?;
        self.as_shown(child)
    }

    /// A file as this user sees it: whole to those who may read it, the basic file to other
    /// staff; the identity number whole to administrators only.
    fn as_shown(&self, child: Child) -> Result<Child> {
        let child = if self.may_read(&child)? {
            child
        } else {
            basic_file(child)
        };
        Ok(self.id_shown(child))
    }

    /// The identity number whole to administrators (and the school's setup), masked to
    /// everyone else.
    pub(super) fn id_shown(&self, child: Child) -> Child {
        if self.may_see_ids() {
            child
        } else {
            masked_id(child)
        }
    }

    /// A student number as this user sees it: one written G + the identity number is masked
    /// for all but administrators.
    pub fn student_no_shown<'a>(&self, no: &'a str) -> std::borrow::Cow<'a, str> {
        if self.may_see_ids() {
            no.into()
        } else {
            crate::domain::mask_ids_in(no)
        }
    }

    fn find_child(&self, reference: &str) -> Result<Child> {
        let r = self.reader()?;
        let original = reference.trim();
        // ２０２４０７０１ as an input method types it is 20240701.
        let half = crate::domain::half_width(original);
        let reference = half.trim();
        if let Some(id) = r.child_by_student_no(reference)?
            && let Some(child) = r.child(id)?
        {
            return Ok(child);
        }
        // Looked up as names are stored: 李　娜 finds 李娜.
        let ids = r.children_named(&normalize_name(reference))?;
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            found.extend(r.child(id)?);
        }
        // An active file wins over archived files of the same name.
        if found.len() > 1 {
            let active: Vec<Child> = found.iter().filter(|c| c.is_active()).cloned().collect();
            if active.len() == 1 {
                found = active;
            }
        }
        match found.len() {
            0 => Err(ServiceError::UnknownChild {
                reference: original.to_string(),
            }),
            1 => Ok(found.remove(0)),
            _ => Err(ServiceError::AmbiguousChild {
                reference: reference.to_string(),
                candidates: found
                    .iter()
                    .map(|c| {
                        format!(
                            "{} {} {}",
                            c.student_no.as_deref().unwrap_or("-"),
                            c.class,
                            c.birth
                        )
                    })
                    .collect(),
            }),
        }
    }

    /// Every file, archived ones included, in id order.
    pub fn children(&self) -> Result<Vec<Child>> {
        self.require_whole_school("export the whole school")?;
        Ok(self
            .reader()?
            .all_children()?
            .into_iter()
            .map(|c| self.id_shown(c))
            .collect())
    }

    /// The figures of the work summary for `[from, to]` (`term`: the term's name, when the
    /// period is one). Every staff member may draft it: it holds counts, the names of award
    /// winners and of children not visited at home, never anything about counselling but
    /// its count.
    pub fn report(
        &self,
        rules: &Rules,
        term: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<crate::report::Figures> {
        let r = self.reader()?;
        let settings = r
            .settings()?
            .unwrap_or_else(|| Settings::default_for(self.today));
        // A term is compared with the one before it (成效), when there was one: both are
        // counted from one read of the snapshot.
        let previous = match term {
            Some(_) => crate::report::terms(&settings, self.today)
                .into_iter()
                .rev()
                .find(|t| t.end < from),
            None => None,
        };
        let mut first = crate::report::events_needed_from(&settings, rules, from, to);
        if let Some(prev) = &previous {
            first = first.min(crate::report::events_needed_from(
                &settings, rules, prev.start, prev.end,
            ));
        }
        // The events (most of the reading) are read on a second thread from the first day
        // on, while this one reads the staff, the files' facts and the activities, then the
        // events from the last day back, until the two meet: each reads the days the other
        // has not taken.
        // The facts stay in the bytes read; the names and classes are borrowed from them.
        let stored = std::cell::OnceCell::new();
        let mut typical: Vec<u64> = r.typical_events()?.into_iter().map(|e| e.0).collect();
        typical.sort_unstable();
        let meeting = std::sync::Mutex::new(Meeting {
            forward: None,
            backward: None,
        });
        let (here, there) = crate::beside::both(
            || -> Result<_> {
                let staff = r.all_staff()?;
                let read = r.stored_report_facts()?;
                let children = stored.get_or_init(|| read).facts()?;
                // A withdrawn activity is in no summary.
                let voided: std::collections::HashSet<crate::domain::ActivityId> =
                    r.voided_activities()?.into_iter().map(|(a, _)| a).collect();
                let activities: Vec<crate::domain::Activity> = r
                    .all_activities()?
                    .into_iter()
                    .filter(|a| !voided.contains(&a.id))
                    .collect();
                let later = read_events(&r, first, to, &typical, &meeting, Direction::Backward)?;
                Ok((staff, children, activities, later))
            },
            || read_events(&r, first, to, &typical, &meeting, Direction::Forward),
        );
        let (staff, children, activities, later) = here?;
        let mut read = there?;
        if read.append_backward(later).is_none() {
            return Err(super::ServiceError::damaged(
                self.store.path(),
                "the events have over eight million different titles: this program never writes so many",
            ));
        }
        let EventsRead {
            events,
            titles,
            beyond,
        } = read;
        // Numbers this program never gives (the file was not written by it). An event of no
        // file on record is not counted, as any such; one of a file that is would be
        // miscounted, so the summary is refused.
        if let Some((id, _)) = beyond
            .iter()
            .find(|(_, child)| children.iter().any(|c| c.id == *child))
        {
            return Err(super::ServiceError::damaged(
                self.store.path(),
                &format!(
                    "event {} names a staff member or a file numbered above 4294967295, or has one of over eight million different titles: this program never writes such numbers",
                    id.0
                ),
            ));
        }
        drop(r);
        let this = crate::report::ReportInput {
            school: &settings.school_name,
            term,
            from,
            to,
            today: self.today,
            settings: &settings,
            rules,
            staff: &staff,
            children: &children,
            events: &events,
            titles: &titles,
            activities: &activities,
        };
        // The term and what it is compared with, the one before it, are counted side by side.
        let counted = || crate::report::figures(&this);
        let figures = match &previous {
            Some(prev) => {
                let (mut figures, before) = crate::beside::both(counted, || {
                    crate::report::comparison(&crate::report::ReportInput {
                        term: Some(&prev.name),
                        from: prev.start,
                        to: prev.end,
                        ..this
                    })
                });
                figures.previous = before.map(Box::new);
                figures
            }
            None => counted(),
        };
        self.release((children, events, titles, activities, staff));
        Ok(figures)
    }

    /// The audit log, oldest first, for an administrator: every change with who made it, when,
    /// and the values before and after. Filtered by child, by staff member, from a day on.
    pub fn audit(
        &self,
        child: Option<ChildId>,
        staff: Option<StaffId>,
        since: Option<NaiveDate>,
    ) -> Result<Vec<AuditEntry>> {
        let r = self.reader()?;
        let setting_up = !r.has_admin()?;
        if !setting_up && !self.actor.has_role(Role::Admin) {
            return Err(ServiceError::NotPermitted {
                who: self.actor.name(),
                what: "read the audit log",
            });
        }
        let names = r.staff_names()?;
        let target = child.map(|c| format!("child:{}", c.0));
        Ok(r.audit_since(0)?
            .into_iter()
            .filter(|a| since.is_none_or(|d| a.day >= d))
            .filter(|a| staff.is_none_or(|s| a.actor == Some(s)))
            .filter(|a| {
                target.as_ref().is_none_or(|t| {
                    // An undo's target is the undone change's, after "undo:SEQ ".
                    let target = match a.target.strip_prefix("undo:") {
                        Some(rest) => rest.split_once(' ').map_or("", |(_, t)| t),
                        None => a.target.as_str(),
                    };
                    target == *t || target.starts_with(&format!("{t} "))
                })
            })
            .map(|record| AuditEntry {
                actor_name: record.actor.and_then(|a| names.get(&a).cloned()),
                record,
            })
            .collect())
    }

    /// A child's events, newest first. Counselling summaries are withheld from anyone who is
    /// not a counsellor.
    pub fn timeline(&self, child: ChildId) -> Result<Vec<TimelineEntry>> {
        let r = self.reader()?;
        if let Some(file) = r.child(child)?
            && !self.may_read(&file)?
        {
            return Err(ServiceError::NotPermitted {
                who: self.actor.name(),
                what: "read the timelines of children outside your classes and mentees",
            });
        }
        let staff = r.staff_names()?;
        let mut events = r.timeline(child)?;
        let mut voids = HashMap::new();
        for e in &events {
            if let Some(v) = r.void_of(e.id)? {
                voids.insert(e.id, v);
            }
        }
        drop(r);
        // Notes live in the counsellors' file: filled in (and the reading audited) for them.
        let may_read_restricted = self.fill_notes(
            &mut events.iter_mut().collect::<Vec<_>>(),
            format!("child:{}", child.0),
        )?;
        Ok(events
            .into_iter()
            .map(|mut event| {
                let restricted = event.kind.is_restricted() && !may_read_restricted;
                if restricted {
                    event.summary.clear();
                }
                let void = voids.remove(&event.id);
                let name_of = |id: &StaffId| {
                    staff
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| format!("#{}", id.0))
                };
                TimelineEntry {
                    staff_name: name_of(&event.staff),
                    voided_by: void.as_ref().map(|v| name_of(&v.by)),
                    void,
                    event,
                    restricted,
                }
            })
            .collect())
    }

    /// One recorded entry as the current user may see it (a counselling note for counsellors
    /// only), for correcting it.
    pub fn entry(&self, id: crate::domain::EventId) -> Result<TimelineEntry> {
        let r = self.reader()?;
        let Some(event) = r.event(id)? else {
            return Err(ServiceError::invalid_with(
                super::Field::Event,
                &format!("#{}", id.0),
                "已记录的一条记录的编号 (记录时显示的 #编号, 或 guanai timeline 的第一列)",
                "the number of a recorded entry (the #number shown when it was logged, or the first column of guanai timeline)",
            ));
        };
        drop(r);
        let mut entries = self.timeline(event.child)?;
        entries
            .iter()
            .position(|e| e.event.id == id)
            .map(|i| entries.swap_remove(i))
            .ok_or_else(|| {
                ServiceError::invalid_with(
                    super::Field::Event,
                    &format!("#{}", id.0),
                    "已记录的一条记录的编号",
                    "the number of a recorded entry",
                )
            })
    }

    /// The latest event of a kind for a child, from the index. Counselling summaries are
    /// withheld from anyone who is not a counsellor, as in the timeline.
    pub fn last_event(&self, child: ChildId, kind: EventKind) -> Result<Option<Event>> {
        let r = self.reader()?;
        let Some(last) = r.last_event(child, kind)? else {
            return Ok(None);
        };
        let Some(mut e) = r.event(last.event)? else {
            return Ok(None);
        };
        drop(r);
        if e.kind.is_restricted()
            && !self.fill_notes(&mut [&mut e], format!("child:{}", child.0))?
        {
            e.summary.clear();
        }
        Ok(Some(e))
    }

    /// Every group activity and training, newest first, with its withdrawal if it was
    /// withdrawn.
    pub fn activities(&self) -> Result<Vec<(Activity, Option<crate::domain::Void>)>> {
        let r = self.reader()?;
        let mut voided: HashMap<crate::domain::ActivityId, crate::domain::Void> =
            r.voided_activities()?.into_iter().collect();
        let mut out: Vec<(Activity, Option<crate::domain::Void>)> = r
            .all_activities()?
            .into_iter()
            .map(|a| {
                let v = voided.remove(&a.id);
                (a, v)
            })
            .collect();
        out.sort_by_key(|b| std::cmp::Reverse((b.0.date, b.0.id)));
        Ok(out)
    }

    /// A group activity by id.
    pub fn activity(&self, id: ActivityId) -> Result<Option<Activity>> {
        Ok(self.reader()?.activity(id)?)
    }

    /// A task by id.
    pub fn task(&self, id: TaskId) -> Result<Option<Task>> {
        Ok(self.reader()?.task(id)?)
    }
}

/// Where the two readers of a summary's events have got to: the last day each has taken.
struct Meeting {
    forward: Option<NaiveDate>,
    backward: Option<NaiveDate>,
}

impl Meeting {
    /// Whether `day` is the reader's coming from `direction`: the other has not taken it (nor
    /// a day beyond it). Noted as taken when it is.
    fn take(&mut self, direction: Direction, day: NaiveDate) -> bool {
        match direction {
            Direction::Forward if self.backward.is_none_or(|b| day < b) => {
                self.forward = Some(day);
                true
            }
            Direction::Backward if self.forward.is_none_or(|f| day > f) => {
                self.backward = Some(day);
                true
            }
            _ => false,
        }
    }
}

/// The events one reader took, in its order, with their titles; and those whose numbers do
/// not fit the compact rows: (event, child).
struct EventsRead {
    events: Vec<crate::report::ReportEvent>,
    titles: crate::report::Titles,
    beyond: Vec<(crate::domain::EventId, ChildId)>,
}

impl EventsRead {
    /// Takes in, after these, the events a reader from the other end took (in its order,
    /// the reverse of theirs), with their titles; `None` when the titles together are more
    /// than an event can number.
    fn append_backward(&mut self, mut later: EventsRead) -> Option<()> {
        later.events.reverse();
        later.beyond.reverse();
        let shift = self.titles.append(later.titles);
        self.events.reserve_exact(later.events.len());
        for e in later.events {
            self.events.push(match e.title() {
                Some(t) => e.with_title(Some(t.after(shift)))?,
                None => e,
            });
        }
        self.beyond.extend(later.beyond);
        Some(())
    }
}

/// The events from `first` to `to`, from one end, of the days the other reader has not
/// taken: straight into compact rows (no list of the store's own first), their titles kept
/// once each.
fn read_events(
    r: &crate::store::Reader,
    first: NaiveDate,
    to: NaiveDate,
    typical: &[u64],
    meeting: &std::sync::Mutex<Meeting>,
    direction: Direction,
) -> Result<EventsRead> {
    let mut read = EventsRead {
        events: Vec::new(),
        titles: crate::report::Titles::default(),
        beyond: Vec::new(),
    };
    // The lock is held only to look and to note the day.
    // A lock poisoned by a panic elsewhere still holds consistent days (`take` cannot
    // panic between its look and its note): the reading goes on rather than stopping short.
    let take = |day: NaiveDate| {
        meeting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take(direction, day)
    };
    r.for_each_event_from_one_end(
        first,
        to,
        &[
            crate::domain::EventKind::Award,
            crate::domain::EventKind::Activity,
            crate::domain::EventKind::Training,
        ],
        direction,
        take,
        |e| {
            let typical = !typical.is_empty() && typical.binary_search(&e.id.0).is_ok();
            let title = e.summary.map(|t| read.titles.keep(&t));
            match crate::report::ReportEvent::new(e.child, e.staff, e.date, title, e.kind, typical)
            {
                Some(event) => read.events.push(event),
                None => read.beyond.push((e.id, e.child)),
            }
        },
    )?;
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two readers taking days from each end in any interleaving: every day is taken by
    /// exactly one of them, the first reader's days all before the second's.
    #[test]
    fn two_readers_take_each_day_once() {
        let days: Vec<NaiveDate> = (1..=9)
            .filter_map(|d| NaiveDate::from_ymd_opt(2026, 10, d))
            .collect();
        // Each interleaving as the steps the forward reader takes before each backward one.
        for pattern in 0u32..512 {
            let mut m = Meeting {
                forward: None,
                backward: None,
            };
            let (mut ahead, mut back) = (days.iter(), days.iter().rev());
            let (mut first, mut second) = (Vec::new(), Vec::new());
            let (mut ahead_done, mut back_done) = (false, false);
            let mut step = 0;
            while !(ahead_done && back_done) {
                let forward_turn = back_done || (!ahead_done && pattern >> (step % 9) & 1 == 1);
                step += 1;
                if forward_turn {
                    match ahead.next() {
                        Some(d) if m.take(Direction::Forward, *d) => first.push(*d),
                        _ => ahead_done = true,
                    }
                } else {
                    match back.next() {
                        Some(d) if m.take(Direction::Backward, *d) => second.push(*d),
                        _ => back_done = true,
                    }
                }
            }
            second.reverse();
            first.extend(second);
            assert_eq!(first, days, "pattern {pattern:09b}");
        }
    }
}
