//! Reading the file: a read snapshot ([`Reader`]), and the reads it shares with a write
//! transaction (one macro implements them for both, so a check reads the same way before an
//! import and inside the command).
//!
//! Nothing here writes; the indexes it reads are kept by `writer`.

use chrono::NaiveDate;
use redb::{
    ReadOnlyMultimapTable, ReadOnlyTable, ReadableMultimapTable, ReadableTable,
    ReadableTableMetadata,
};

use super::codec::Rec;
use super::records::{
    AuditRecord, EventFacts, LastEvent, day_from_key, day_key, day_records, titled,
};
use super::summary::SummaryRec;
use super::tables::*;
use super::writer::Writer;
use super::{Result, capacity};
use crate::domain::{
    Activity, ActivityId, Child, ChildId, ChildSummary, Event, EventId, EventKind, LastEvents,
    ReportFacts, Settings, Staff, StaffId, StaffRef, Task, TaskId, Void,
};

/// The reads a check needs, from a read snapshot or inside a write transaction alike (the
/// service validates a file the same way before an import and inside the command).
pub trait Reads {
    fn child_by_student_no(&self, student_no: &str) -> Result<Option<ChildId>>;
    fn child(&self, id: ChildId) -> Result<Option<Child>>;
    fn staff(&self, id: StaffId) -> Result<Option<Staff>>;
    fn all_staff(&self) -> Result<Vec<Staff>>;
}

/// Reads shared by the read snapshot and the write transaction.
macro_rules! reads {
    ($t:ty) => {
        impl Reads for $t {
            fn child_by_student_no(&self, student_no: &str) -> Result<Option<ChildId>> {
                <$t>::child_by_student_no(self, student_no)
            }
            fn child(&self, id: ChildId) -> Result<Option<Child>> {
                <$t>::child(self, id)
            }
            fn staff(&self, id: StaffId) -> Result<Option<Staff>> {
                <$t>::staff(self, id)
            }
            fn all_staff(&self) -> Result<Vec<Staff>> {
                <$t>::all_staff(self)
            }
        }

        impl $t {
            pub fn schema_version(&self) -> Result<Option<u64>> {
                Ok(self.meta.get(META_SCHEMA)?.map(|v| v.value()))
            }

            /// Incremented by every committed change; another process compares it to notice
            /// that something changed.
            pub fn change_seq(&self) -> Result<u64> {
                Ok(self
                    .meta
                    .get(META_CHANGE_SEQ)?
                    .map(|v| v.value())
                    .unwrap_or(0))
            }

            pub fn settings(&self) -> Result<Option<Settings>> {
                Ok(self.settings.get(SETTINGS_KEY)?.map(|v| v.value().decode()).transpose()?)
            }

            pub fn staff(&self, id: StaffId) -> Result<Option<Staff>> {
                Ok(self.staff.get(id.0)?.map(|v| v.value().decode()).transpose()?)
            }

            /// The events marked as typical cases (典型案例).
            pub fn typical_events(&self) -> Result<Vec<EventId>> {
                let mut out = Vec::new();
                for row in self.typical.iter()? {
                    out.push(EventId(row?.0.value()));
                }
                Ok(out)
            }

            /// The entries withdrawn (作废), in id order.
            pub fn voided_events(&self) -> Result<Vec<(EventId, Void)>> {
                let mut out = Vec::new();
                for row in self.voided.iter()? {
                    let (id, v) = row?;
                    out.push((EventId(id.value()), v.value().decode()?));
                }
                Ok(out)
            }

            /// The group activities withdrawn (作废), in id order.
            pub fn voided_activities(&self) -> Result<Vec<(ActivityId, Void)>> {
                let mut out = Vec::new();
                for row in self.voided_activities.iter()? {
                    let (id, v) = row?;
                    out.push((ActivityId(id.value()), v.value().decode()?));
                }
                Ok(out)
            }

            /// The tasks withdrawn, in id order.
            pub fn voided_tasks(&self) -> Result<Vec<(TaskId, Void)>> {
                let mut out = Vec::new();
                for row in self.voided_tasks.iter()? {
                    let (id, v) = row?;
                    out.push((TaskId(id.value()), v.value().decode()?));
                }
                Ok(out)
            }

            /// Why and by whom a group activity was withdrawn, if it was.
            pub fn activity_void(&self, id: ActivityId) -> Result<Option<Void>> {
                Ok(self.voided_activities.get(id.0)?.map(|v| v.value().decode()).transpose()?)
            }

            /// Why and by whom a task was withdrawn, if it was.
            pub fn task_void(&self, id: TaskId) -> Result<Option<Void>> {
                Ok(self.voided_tasks.get(id.0)?.map(|v| v.value().decode()).transpose()?)
            }

            /// Why and by whom an entry was withdrawn, if it was.
            pub fn void_of(&self, id: EventId) -> Result<Option<Void>> {
                Ok(self.voided.get(id.0)?.map(|v| v.value().decode()).transpose()?)
            }

            /// The headers the school mapped to fields on earlier imports: (normalised
            /// header, field key), in header order.
            pub fn import_columns(&self) -> Result<Vec<(String, String)>> {
                let mut out = Vec::new();
                for row in self.import_columns.iter()? {
                    let (h, k) = row?;
                    out.push((h.value().to_string(), k.value().to_string()));
                }
                Ok(out)
            }

            pub fn all_staff(&self) -> Result<Vec<Staff>> {
                let mut out = Vec::new();
                for row in self.staff.iter()? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }

            /// Every staff member, in id order, read in place (nothing copied), until `f`
            /// says to stop. What it returns is whether it stopped.
            pub fn for_each_staff(
                &self,
                mut f: impl FnMut(&StaffRef<'_>) -> std::ops::ControlFlow<()>,
            ) -> Result<bool> {
                for row in self.staff.iter()? {
                    let (key, value) = row?;
                    let bytes = value.value();
                    let s: StaffRef<'_> = bytes.decode_borrowed()?;
                    // Who is asking is looked up again by the id found: a row holding
                    // another id is damage, not another person.
                    if s.id.0 != key.value() {
                        return Err(super::StoreError::Db(redb::Error::Corrupted(format!(
                            "staff row {} holds staff {}",
                            key.value(),
                            s.id.0
                        ))));
                    }
                    if f(&s).is_break() {
                        return Ok(true);
                    }
                }
                Ok(false)
            }

            /// Every staff member's name, by id (the names lists and logs show).
            pub fn staff_names(&self) -> Result<std::collections::HashMap<StaffId, String>> {
                let mut names = std::collections::HashMap::new();
                self.for_each_staff(|s| {
                    names.insert(s.id, s.name.to_string());
                    std::ops::ControlFlow::Continue(())
                })?;
                Ok(names)
            }

            /// Whether any staff member is an administrator, read up to the first one (the
            /// school's first account is nearly always one): every command asks it.
            pub fn has_admin(&self) -> Result<bool> {
                self.for_each_staff(|s| {
                    if s.has_role(crate::domain::Role::Admin) {
                        std::ops::ControlFlow::Break(())
                    } else {
                        std::ops::ControlFlow::Continue(())
                    }
                })
            }

            pub fn child(&self, id: ChildId) -> Result<Option<Child>> {
                Ok(self.children.get(id.0)?.map(|v| v.value().decode()).transpose()?)
            }

            pub fn child_count(&self) -> Result<u64> {
                Ok(self.children.len()?)
            }

            /// Every file, archived ones included, in id order.
            pub fn all_children(&self) -> Result<Vec<Child>> {
                let mut out = Vec::with_capacity(capacity(self.children.len()?));
                for row in self.children.iter()? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }

            /// What the work summary needs of every file, archived ones included, in id
            /// order, as stored: read with [`StoredFacts::facts`], nothing copied per file.
            pub fn stored_report_facts(&self) -> Result<super::StoredFacts> {
                let mut out = super::StoredFacts::default();
                for row in self.report_facts.iter()? {
                    let value = row?.1;
                    out.push(<Rec<ReportFacts> as redb::Value>::as_bytes(&value.value()));
                }
                Ok(out)
            }

            /// What the work summary needs of every file, archived ones included, in id order.
            pub fn all_report_facts(&self) -> Result<Vec<ReportFacts>> {
                let mut out = Vec::with_capacity(capacity(self.report_facts.len()?));
                for row in self.report_facts.iter()? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }

            pub fn roster(&self) -> Result<Vec<ChildSummary>> {
                let mut out = Vec::with_capacity(capacity(self.roster.len()?));
                for row in self.roster.iter()? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }

            /// Calls `f` with the summary of every file, in id order, read in place.
            pub fn for_each_summary(&self, f: impl FnMut(ChildSummary<&str>)) -> Result<()> {
                self.for_each_summary_in(.., f)
            }

            /// [`for_each_summary`](Self::for_each_summary) for the files whose ids are in
            /// `ids`: a part of the roster, for reading it in parts side by side.
            pub fn for_each_summary_in(
                &self,
                ids: impl std::ops::RangeBounds<u64>,
                mut f: impl FnMut(ChildSummary<&str>),
            ) -> Result<()> {
                for row in self.roster.range::<u64>(ids)? {
                    let (_, v) = row?;
                    let encoded = v.value();
                    f(encoded.decode_borrowed()?);
                }
                Ok(())
            }

            /// The lowest and highest ids in the roster; `None` when it is empty.
            pub fn roster_ids(&self) -> Result<Option<(u64, u64)>> {
                let first = self.roster.first()?.map(|(k, _)| k.value());
                let last = self.roster.last()?.map(|(k, _)| k.value());
                Ok(first.zip(last))
            }

            pub fn child_by_student_no(&self, student_no: &str) -> Result<Option<ChildId>> {
                Ok(self.student_no.get(student_no)?.map(|v| ChildId(v.value())))
            }

            /// The files whose name is exactly `name`, in id order.
            pub fn children_named(&self, name: &str) -> Result<Vec<ChildId>> {
                let mut out = Vec::new();
                for id in self.child_name.get(name)? {
                    out.push(ChildId(id?.value()));
                }
                Ok(out)
            }

            pub fn event(&self, id: EventId) -> Result<Option<Event>> {
                Ok(self.events.get(id.0)?.map(|v| v.value().decode()).transpose()?)
            }

            /// The id the next event will be given.
            pub fn next_event_id(&self) -> Result<u64> {
                Ok(self.meta.get(META_NEXT_EVENT)?.map(|v| v.value()).unwrap_or(1))
            }

            /// Every record decoded and counted: settings, staff, children, events,
            /// activities, tasks and the audit log.
            pub fn record_count(&self) -> Result<u64> {
                let n = self.settings()?.map_or(0, |_| 1)
                    + self.all_staff()?.len()
                    + self.all_children()?.len()
                    + self.all_events()?.len()
                    + self.all_activities()?.len()
                    + self.all_tasks()?.len()
                    + self.audit_since(0)?.len();
                Ok(n as u64)
            }

            pub fn event_count(&self) -> Result<u64> {
                Ok(self.events.len()?)
            }

            /// A child's events, newest first (same day: latest recorded first).
            pub fn timeline(&self, child: ChildId) -> Result<Vec<Event>> {
                let mut out = Vec::new();
                let range = self
                    .events_by_child
                    .range((child.0, i32::MIN, 0)..=(child.0, i32::MAX, u64::MAX))?;
                for row in range.rev() {
                    let (_, _, event) = row?.0.value();
                    if let Some(e) = self.events.get(event)? {
                        out.push(e.value().decode()?);
                    }
                }
                Ok(out)
            }

            /// A child's events dated from `from` to `to` (both included), oldest first, from
            /// the timeline index: the rest of the history is not decoded.
            pub fn timeline_between(
                &self,
                child: ChildId,
                from: NaiveDate,
                to: NaiveDate,
            ) -> Result<Vec<Event>> {
                let mut out = Vec::new();
                let range = self.events_by_child.range(
                    (child.0, day_key(from), 0)..=(child.0, day_key(to), u64::MAX),
                )?;
                for row in range {
                    let (_, _, event) = row?.0.value();
                    if let Some(e) = self.events.get(event)? {
                        out.push(e.value().decode()?);
                    }
                }
                Ok(out)
            }

            /// The latest event of `kind` for `child`, from the index: no history is scanned.
            pub fn last_event(&self, child: ChildId, kind: EventKind) -> Result<Option<LastEvent>> {
                Ok(self
                    .last_events(child)?
                    .get(kind)
                    .map(|(date, event)| LastEvent { date, event }))
            }

            /// The latest event of every kind for `child`, in one lookup.
            pub fn last_events(&self, child: ChildId) -> Result<LastEvents> {
                Ok(match self.roster.get(child.0)? {
                    Some(v) => v.value().decode()?.last,
                    None => LastEvents::default(),
                })
            }

            pub fn activity(&self, id: ActivityId) -> Result<Option<Activity>> {
                Ok(self.activities.get(id.0)?.map(|v| v.value().decode()).transpose()?)
            }

            pub fn task(&self, id: TaskId) -> Result<Option<Task>> {
                Ok(self.tasks.get(id.0)?.map(|v| v.value().decode()).transpose()?)
            }

            /// Every event, in id order.
            pub fn all_events(&self) -> Result<Vec<Event>> {
                let mut out = Vec::with_capacity(capacity(self.events.len()?));
                for row in self.events.iter()? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }

            /// Every event dated from `from` to `to` (both included), in date order, from the
            /// day table, each handed to `f`: no event is decoded and nothing is gathered.
            /// `with_summary` names kinds whose summary is wanted too (a title the day's row
            /// holds is lent; other summaries are read from their events).
            pub fn for_each_event_between(
                &self,
                from: NaiveDate,
                to: NaiveDate,
                with_summary: &[crate::domain::EventKind],
                f: impl FnMut(EventFacts<'_>),
            ) -> Result<()> {
                self.for_each_event_from_one_end(from, to, with_summary, Direction::Forward, |_| true, f)
            }

            /// [`for_each_event_between`](Self::for_each_event_between) read from one end:
            /// from `from` forward, or from `to` backward in exactly the reverse order.
            /// `take_day` is asked before each day: the reading stops at the first day it
            /// refuses (two readers share a period, each from its end, and meet where they
            /// meet).
            pub fn for_each_event_from_one_end(
                &self,
                from: NaiveDate,
                to: NaiveDate,
                with_summary: &[crate::domain::EventKind],
                direction: Direction,
                mut take_day: impl FnMut(NaiveDate) -> bool,
                mut f: impl FnMut(EventFacts<'_>),
            ) -> Result<()> {
                use std::borrow::Cow;
                let range = self.day_events.range((day_key(from), 0, 0)..=(day_key(to), u8::MAX, u64::MAX))?;
                let rows: Box<dyn Iterator<Item = _>> = match direction {
                    Direction::Forward => Box::new(range),
                    Direction::Backward => Box::new(range.rev()),
                };
                let mut current = None;
                for row in rows {
                    let (key, value) = row?;
                    let (day, code, _) = key.value();
                    if current != Some(day) {
                        let taken = day_from_key(day).is_none_or(&mut take_day);
                        if !taken {
                            break;
                        }
                        current = Some(day);
                    }
                    let (Some(kind), Some(date)) =
                        (crate::domain::EventKind::from_code(code), day_from_key(day))
                    else {
                        continue;
                    };
                    let with = with_summary.contains(&kind);
                    let bytes = value.value();
                    let records: Box<dyn Iterator<Item = _>> = match direction {
                        Direction::Forward => Box::new(day_records(bytes)),
                        Direction::Backward => {
                            Box::new(day_records(bytes).collect::<Vec<_>>().into_iter().rev())
                        }
                    };
                    for r in records {
                        let summary = match (with, titled(kind)) {
                            (false, _) => None,
                            (true, true) => Some(Cow::Borrowed(r.title)),
                            (true, false) => match self.events.get(r.event)? {
                                Some(v) => Some(Cow::Owned(v.value().decode()?.summary)),
                                None => None,
                            },
                        };
                        f(EventFacts {
                            id: EventId(r.event),
                            child: ChildId(r.child),
                            kind,
                            date,
                            staff: StaffId(r.staff),
                            summary,
                        });
                    }
                }
                Ok(())
            }

            /// [`for_each_event_between`](Self::for_each_event_between), gathered with owned
            /// summaries (for a caller that keeps them; the summary does not).
            pub fn events_between(
                &self,
                from: NaiveDate,
                to: NaiveDate,
                with_summary: &[crate::domain::EventKind],
            ) -> Result<Vec<EventFacts<'static>>> {
                let mut out = Vec::new();
                self.for_each_event_between(from, to, with_summary, |e| {
                    out.push(EventFacts {
                        summary: e.summary.map(|s| std::borrow::Cow::Owned(s.into_owned())),
                        ..e
                    })
                })?;
                Ok(out)
            }

            pub fn all_activities(&self) -> Result<Vec<Activity>> {
                let mut out = Vec::new();
                for row in self.activities.iter()? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }

            pub fn all_tasks(&self) -> Result<Vec<Task>> {
                let mut out = Vec::new();
                for row in self.tasks.iter()? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }

            /// Consistency of the model, beyond redb's own check: every event's child exists,
            /// the indexes agree with the data, student numbers are unique. One line per problem.
            pub fn model_problems(&self) -> Result<Vec<String>> {
                let mut problems = Vec::new();
                let children = self.all_children()?;
                let ids: std::collections::HashSet<u64> = children.iter().map(|c| c.id.0).collect();
                let mut numbers: std::collections::HashMap<&str, u64> = Default::default();
                let mut last: std::collections::HashMap<u64, LastEvents> = Default::default();
                for c in &children {
                    if let Some(no) = c.student_no.as_deref() {
                        if let Some(other) = numbers.insert(no, c.id.0) {
                            problems.push(format!("student number {no} belongs to child {other} and child {}", c.id.0));
                        }
                        if self.child_by_student_no(no)?.map(|x| x.0) != Some(c.id.0) && numbers.get(no) == Some(&c.id.0) {
                            problems.push(format!("student number index does not lead to child {} ({no})", c.id.0));
                        }
                    }
                    if !self.children_named(&c.name)?.iter().any(|x| x.0 == c.id.0) {
                        problems.push(format!("name index lacks child {} ({})", c.id.0, c.name));
                    }
                }
                let mut by_child = 0u64;
                let mut expected: Vec<(u64, (i32, u8, u64, u64), String)> = Vec::new();
                let voided: std::collections::HashSet<u64> =
                    self.voided_events()?.into_iter().map(|(id, _)| id.0).collect();
                for row in self.events.iter()? {
                    let e: Event = row?.1.value().decode()?;
                    if !ids.contains(&e.child.0) {
                        problems.push(format!("event {} belongs to child {}, who does not exist", e.id.0, e.child.0));
                    }
                    if self.events_by_child.get((e.child.0, day_key(e.date), e.id.0))?.is_none() {
                        problems.push(format!("event {} is missing from the timeline index", e.id.0));
                    }
                    if voided.contains(&e.id.0) {
                        continue;
                    }
                    last.entry(e.child.0).or_default().record(e.kind, e.date, e.id);
                    // What the day table must hold of it (events come in id order).
                    let title = if titled(e.kind) { e.summary } else { String::new() };
                    expected.push((e.id.0, (day_key(e.date), e.kind.code(), e.child.0, e.staff.0), title));
                }
                for id in &voided {
                    if self.events.get(*id)?.is_none() {
                        problems.push(format!("void record names event {id}, which does not exist"));
                    }
                }
                for row in self.events_by_child.iter()? {
                    let (child, _, event) = row?.0.value();
                    by_child += 1;
                    if self.events.get(event)?.is_none() {
                        problems.push(format!("timeline index of child {child} names event {event}, which does not exist"));
                    }
                }
                // The day table: every event not voided once, as it is (day, kind, child, staff,
                // title), in rows of at most DAY_BLOCK.
                let mut seen = vec![false; expected.len()];
                let mut in_day_table = 0u64;
                for row in self.day_events.iter()? {
                    let (key, value) = row?;
                    let (day, code, n) = key.value();
                    if day_records(value.value()).count() as u64 > DAY_BLOCK {
                        problems.push(format!("day table row {n} of day {day} and kind {code} holds more than {DAY_BLOCK} events"));
                    }
                    for r in day_records(value.value()) {
                        let event = r.event;
                        in_day_table += 1;
                        if voided.contains(&event) {
                            problems.push(format!("event {event} is voided but still in the day table"));
                            continue;
                        }
                        let Ok(at) = expected.binary_search_by_key(&event, |x| x.0) else {
                            problems.push(format!("day table names event {event}, which does not exist"));
                            continue;
                        };
                        if std::mem::replace(&mut seen[at], true) {
                            problems.push(format!("day table holds event {event} twice"));
                        }
                        let (_, facts, title) = &expected[at];
                        if *facts != (day, code, r.child, r.staff) {
                            problems.push(format!("day table holds event {event} otherwise than it is"));
                        }
                        if !title.starts_with(r.title) || (title.len() <= u16::MAX as usize && title != r.title) {
                            problems.push(format!("day table's title of event {event} is not its summary"));
                        }
                    }
                }
                let counted = self.events.len()?.saturating_sub(voided.len() as u64);
                if in_day_table != counted {
                    problems.push(format!("day table holds {in_day_table} events for {counted} not voided"));
                }
                if by_child != self.events.len()? {
                    problems.push(format!("timeline index holds {by_child} entries for {} events", self.events.len()?));
                }
                let mut summaries = 0u64;
                for row in self.roster.iter()? {
                    let s: ChildSummary = row?.1.value().decode()?;
                    summaries += 1;
                    // The files come in id order (the table's): found by binary search.
                    match children.binary_search_by_key(&s.id, |c| c.id).ok().and_then(|i| children.get(i)) {
                        None => problems.push(format!("roster summary {} has no file", s.id.0)),
                        Some(c) => {
                            let expected_last = last.get(&c.id.0).copied().unwrap_or_default();
                            if ChildSummary::of(c, expected_last) != s {
                                problems.push(format!("roster summary of child {} ({}) does not match the file or its events", c.id.0, c.name));
                            }
                        }
                    }
                }
                if summaries != children.len() as u64 {
                    problems.push(format!("{summaries} roster summaries for {} files", children.len()));
                }
                let by_id: std::collections::HashMap<u64, &Child> =
                    children.iter().map(|c| (c.id.0, c)).collect();
                let mut facts = 0u64;
                for row in self.report_facts.iter()? {
                    let f: ReportFacts = row?.1.value().decode()?;
                    facts += 1;
                    match by_id.get(&f.id.0) {
                        None => problems.push(format!("the summary's facts of child {} have no file", f.id.0)),
                        Some(c) if ReportFacts::of(c) != f => {
                            problems.push(format!("the summary's facts of child {} do not match the file", c.id.0));
                        }
                        Some(_) => {}
                    }
                }
                if facts != children.len() as u64 {
                    problems.push(format!("the summary's facts of {facts} children for {} files", children.len()));
                }
                Ok(problems)
            }

            /// Audit records with a sequence number above `after`, oldest first.
            /// The audit log newest first, read lazily: `f` returns `false` to stop.
            pub fn audit_newest_first(
                &self,
                mut f: impl FnMut(AuditRecord) -> bool,
            ) -> Result<()> {
                for row in self.audit.iter()?.rev() {
                    if !f(row?.1.value().decode()?) {
                        break;
                    }
                }
                Ok(())
            }

            pub fn audit_since(&self, after: u64) -> Result<Vec<AuditRecord>> {
                let mut out = Vec::new();
                for row in self.audit.range(after.saturating_add(1)..)? {
                    out.push(row?.1.value().decode()?);
                }
                Ok(out)
            }
        }
    };
}

/// Which way a read of dated records goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Backward,
}

/// A read snapshot: it sees every change committed before it was taken and none after.
pub struct Reader {
    meta: ReadOnlyTable<&'static str, u64>,
    settings: ReadOnlyTable<&'static str, Rec<Settings>>,
    staff: ReadOnlyTable<u64, Rec<Staff>>,
    children: ReadOnlyTable<u64, Rec<Child>>,
    roster: ReadOnlyTable<u64, SummaryRec>,
    report_facts: ReadOnlyTable<u64, Rec<ReportFacts>>,
    events: ReadOnlyTable<u64, Rec<Event>>,
    events_by_child: ReadOnlyTable<(u64, i32, u64), ()>,
    day_events: ReadOnlyTable<(i32, u8, u64), &'static [u8]>,
    student_no: ReadOnlyTable<&'static str, u64>,
    child_name: ReadOnlyMultimapTable<&'static str, u64>,
    activities: ReadOnlyTable<u64, Rec<Activity>>,
    tasks: ReadOnlyTable<u64, Rec<Task>>,
    audit: ReadOnlyTable<u64, Rec<AuditRecord>>,
    import_columns: ReadOnlyTable<&'static str, &'static str>,
    typical: ReadOnlyTable<u64, ()>,
    voided: ReadOnlyTable<u64, Rec<Void>>,
    voided_activities: ReadOnlyTable<u64, Rec<Void>>,
    voided_tasks: ReadOnlyTable<u64, Rec<Void>>,
}

impl Reader {
    pub(super) fn open(txn: &redb::ReadTransaction) -> Result<Reader> {
        open_tables!(Reader, txn)
    }
}

reads!(Reader);
reads!(Writer<'_>);

#[cfg(test)]
mod tests {
    use super::super::codec::Encoded;
    use super::super::{Store, StoreError};
    use crate::domain::{Role, Staff, StaffId};

    /// A staff row whose record names another id is refused as damage: who is asking is
    /// looked up again by the id found, which would be someone else.
    #[test]
    fn a_staff_row_holding_another_id_is_damage() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.redb")).unwrap();
        let staff = |id: u64, name: &str| Staff {
            id: StaffId(id),
            version: 1,
            name: name.into(),
            roles: vec![Role::Mentor],
            classes: vec![],
            unix_user: None,
            active: true,
            title: None,
        };
        store
            .write(|w| {
                w.put_staff(&staff(2, "李老师"))?;
                w.staff.insert(5, Encoded::encode(&staff(2, "张三"))?)?;
                Ok::<(), StoreError>(())
            })
            .unwrap();
        let r = store.read().unwrap();
        let err = r
            .for_each_staff(|_| std::ops::ControlFlow::Continue(()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("staff row 5 holds staff 2"), "{err}");
    }
}
