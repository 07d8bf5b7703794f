//! The write transaction: every table open, ids handed out, and each record written with
//! its indexes (events by child and by day, the latest event per child and kind, student
//! numbers, names, the roster summary) and the change sequence, so they never disagree.
//!
//! It keeps data consistent; it does not judge whether a change is allowed (the service
//! does).

use redb::{MultimapTable, ReadableTable, Table};

use super::codec::{Encoded, Rec};
use super::records::{AuditRecord, Records, day_key, day_records, day_row, titled};
use super::summary::{SummaryBytes, SummaryRec};

/// An event put in the day table (its child, staff and title) or taken out (`None`).
pub(super) type DayChange = (u64, Option<(u64, u64, String)>);

/// The title the day table keeps for an entry (see [`titled`]).
fn day_title(kind: crate::domain::EventKind, summary: &str) -> String {
    match titled(kind) {
        true => summary.to_string(),
        false => String::new(),
    }
}
use super::tables::*;
use super::{Result, exhausted};
use crate::domain::{
    Activity, ActivityId, Child, ChildId, ChildSummary, Event, EventId, LastEvents, ReportFacts,
    Settings, Staff, StaffId, Task, TaskId, Void, normalize_class, normalize_name,
};

/// A write transaction with every table open. Created by [`Store::write`].
pub struct Writer<'t> {
    pub(super) meta: Table<'t, &'static str, u64>,
    pub(super) settings: Table<'t, &'static str, Rec<Settings>>,
    pub(super) staff: Table<'t, u64, Rec<Staff>>,
    pub(super) children: Table<'t, u64, Rec<Child>>,
    pub(super) roster: Table<'t, u64, SummaryRec>,
    pub(super) report_facts: Table<'t, u64, Rec<ReportFacts>>,
    pub(super) events: Table<'t, u64, Rec<Event>>,
    pub(super) events_by_child: Table<'t, (u64, i32, u64), ()>,
    pub(super) events_by_day: Table<'t, (i32, u64), (u64, u8, u64)>,
    pub(super) day_events: Table<'t, (i32, u8, u64), &'static [u8]>,
    /// Changes to the day table, by row, applied once per row at the commit
    /// ([`finish`](Self::finish)): an event added (with its child and staff) or removed. A
    /// day's row is rewritten once however many of its events a transaction writes.
    pub(super) day_changes: std::collections::BTreeMap<(i32, u8), Vec<DayChange>>,
    pub(super) student_no: Table<'t, &'static str, u64>,
    pub(super) child_name: MultimapTable<'t, &'static str, u64>,
    pub(super) activities: Table<'t, u64, Rec<Activity>>,
    pub(super) tasks: Table<'t, u64, Rec<Task>>,
    pub(super) audit: Table<'t, u64, Rec<AuditRecord>>,
    pub(super) import_columns: Table<'t, &'static str, &'static str>,
    pub(super) typical: Table<'t, u64, ()>,
    pub(super) voided: Table<'t, u64, Rec<Void>>,
    pub(super) voided_activities: Table<'t, u64, Rec<Void>>,
    pub(super) voided_tasks: Table<'t, u64, Rec<Void>>,
}

impl<'t> Writer<'t> {
    pub(super) fn open(txn: &'t redb::WriteTransaction) -> Result<Writer<'t>> {
        open_tables!(
            Writer,
            txn,
            day_changes: Default::default(),
            events_by_day: txn.open_table(EVENTS_BY_DAY)?
        )
    }

    /// Puts an event in the day table.
    fn index_day(&mut self, event: &Event) -> Result<()> {
        let day = day_key(event.date);
        self.day_changes
            .entry((day, event.kind.code()))
            .or_default()
            .push((
                event.id.0,
                Some((
                    event.child.0,
                    event.staff.0,
                    day_title(event.kind, &event.summary),
                )),
            ));
        Ok(())
    }

    /// Takes an event out of the day table.
    fn unindex_day(&mut self, event: &Event) -> Result<()> {
        let day = day_key(event.date);
        self.day_changes
            .entry((day, event.kind.code()))
            .or_default()
            .push((event.id.0, None));
        Ok(())
    }

    /// Writes the day table's changed rows: called once, just before the commit. A day's
    /// events of one kind are kept in rows of at most [`DAY_BLOCK`] (numbered 0, 1, …, in
    /// the order they came): a new entry goes into the last row, or a new one when that is
    /// full, so that logging rewrites one short row however busy the day. A change to an
    /// entry already there (withdrawn, corrected, deleted) reads the day's rows of that kind
    /// to find it.
    pub(super) fn finish(&mut self) -> Result<()> {
        type Rows = Vec<(u64, Vec<(u64, u64, u64, String)>, bool)>;
        for ((day, code), changes) in std::mem::take(&mut self.day_changes) {
            let only_new = changes.iter().all(|(_, c)| c.is_some());
            // The rows read: all of them, or the last one when entries are only added.
            let mut rows: Rows = Vec::new();
            {
                let mut range = self
                    .day_events
                    .range((day, code, 0)..=(day, code, u64::MAX))?;
                let mut read = |row: (u64, &[u8])| {
                    let records = day_records(row.1)
                        .map(|r| (r.event, r.child, r.staff, r.title.to_string()))
                        .collect();
                    rows.push((row.0, records, false));
                };
                if only_new {
                    if let Some(last) = range.next_back() {
                        let (k, v) = last?;
                        read((k.value().2, v.value()));
                    }
                } else {
                    for row in range {
                        let (k, v) = row?;
                        read((k.value().2, v.value()));
                    }
                }
            }
            for (event, change) in changes {
                // A new entry is not looked for: its id was just handed out (or, filling the
                // table, comes once from the day index).
                let at = match only_new {
                    true => None,
                    false => rows.iter().enumerate().find_map(|(r, (_, records, _))| {
                        records.iter().position(|x| x.0 == event).map(|i| (r, i))
                    }),
                };
                match (at, change) {
                    (Some((r, i)), Some((child, staff, title))) => {
                        rows[r].1[i] = (event, child, staff, title);
                        rows[r].2 = true;
                    }
                    (Some((r, i)), None) => {
                        rows[r].1.remove(i);
                        rows[r].2 = true;
                    }
                    (None, Some((child, staff, title))) => {
                        let full = rows
                            .last()
                            .is_none_or(|(_, records, _)| records.len() as u64 >= DAY_BLOCK);
                        if full {
                            let next = rows.last().map_or(0, |(n, _, _)| n + 1);
                            rows.push((next, Vec::new(), true));
                        }
                        if let Some((_, records, dirty)) = rows.last_mut() {
                            records.push((event, child, staff, title));
                            *dirty = true;
                        }
                    }
                    (None, None) => {}
                }
            }
            for (n, records, dirty) in rows {
                match (dirty, records.is_empty()) {
                    (false, _) => {}
                    (true, true) => {
                        self.day_events.remove((day, code, n))?;
                    }
                    (true, false) => {
                        self.day_events
                            .insert((day, code, n), day_row(&records).as_slice())?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Moves the day index into the day table (the migration to schema version 7): the day
    /// index is left empty, the day table holds its entries.
    pub(super) fn fill_day_events(&mut self) -> Result<()> {
        let mut entries = Vec::new();
        for row in self.events_by_day.iter()? {
            let (key, value) = row?;
            let (day, event) = key.value();
            let (child, code, staff) = value.value();
            entries.push((day, event, child, code, staff));
        }
        self.events_by_day.retain(|_, _| false)?;
        for (day, event, child, code, staff) in entries {
            let title = match crate::domain::EventKind::from_code(code) {
                Some(kind) if titled(kind) => match self.events.get(event)? {
                    Some(v) => v.value().decode()?.summary,
                    None => String::new(),
                },
                _ => String::new(),
            };
            self.day_changes
                .entry((day, code))
                .or_default()
                .push((event, Some((child, staff, title))));
        }
        Ok(())
    }

    pub(super) fn next_id(&mut self, key: &'static str) -> Result<u64> {
        let next = self.meta.get(key)?.map(|v| v.value()).unwrap_or(1);
        self.meta
            .insert(key, next.checked_add(1).ok_or_else(|| exhausted(key))?)?;
        Ok(next)
    }

    pub(super) fn set_meta(&mut self, key: &'static str, value: u64) -> Result<()> {
        self.meta.insert(key, value)?;
        Ok(())
    }

    /// Writes records as they are, ids kept (into an empty database: a backup, a dump),
    /// rebuilding every index and raising the id counters; returns how many.
    pub fn load_records(&mut self, records: &Records) -> Result<u64> {
        if let Some(s) = &records.settings {
            self.put_settings(s)?;
        }
        for (header, key) in &records.import_columns {
            self.remember_import_column(header, key)?;
        }
        for id in &records.typical {
            self.mark_typical(*id, true)?;
        }
        for s in &records.staff {
            self.put_staff(s)?;
            self.raise_counter(META_NEXT_STAFF, s.id.0)?;
        }
        for c in &records.children {
            self.put_child(c)?;
            self.raise_counter(META_NEXT_CHILD, c.id.0)?;
        }
        for e in &records.events {
            self.insert_event(e)?;
            self.raise_counter(META_NEXT_EVENT, e.id.0)?;
        }
        for (id, void) in &records.voided {
            if let Some(e) = self.event(*id)? {
                self.void_event(&e, void)?;
            }
        }
        for a in &records.activities {
            self.put_activity(a)?;
            self.raise_counter(META_NEXT_ACTIVITY, a.id.0)?;
        }
        for t in &records.tasks {
            self.put_task(t)?;
            self.raise_counter(META_NEXT_TASK, t.id.0)?;
        }
        for (id, void) in &records.voided_activities {
            self.set_activity_void(*id, Some(void))?;
        }
        for (id, void) in &records.voided_tasks {
            self.set_task_void(*id, Some(void))?;
        }
        Ok((records.staff.len()
            + records.children.len()
            + records.events.len()
            + records.activities.len()
            + records.tasks.len()) as u64)
    }

    /// Makes sure the next id handed out for `key` is above `used`.
    pub fn raise_counter(&mut self, key: &'static str, used: u64) -> Result<()> {
        let next = self.meta.get(key)?.map(|v| v.value()).unwrap_or(1);
        let needed = used.checked_add(1).ok_or_else(|| exhausted(key))?;
        if needed > next {
            self.meta.insert(key, needed)?;
        }
        Ok(())
    }

    /// Writes an audit record as it is (a backup copies the log).
    pub fn put_audit(&mut self, record: &AuditRecord) -> Result<()> {
        self.audit.insert(record.seq, Encoded::encode(record)?)?;
        Ok(())
    }

    pub fn put_settings(&mut self, settings: &Settings) -> Result<()> {
        self.settings
            .insert(SETTINGS_KEY, Encoded::encode(settings)?)?;
        Ok(())
    }

    pub fn new_staff_id(&mut self) -> Result<StaffId> {
        self.next_id(META_NEXT_STAFF).map(StaffId)
    }

    pub fn put_staff(&mut self, staff: &Staff) -> Result<()> {
        self.staff.insert(staff.id.0, Encoded::encode(staff)?)?;
        Ok(())
    }

    pub fn new_child_id(&mut self) -> Result<ChildId> {
        self.next_id(META_NEXT_CHILD).map(ChildId)
    }

    /// Inserts or replaces a file, keeping the roster summary and the student-number and name
    /// indexes in step.
    pub fn put_child(&mut self, child: &Child) -> Result<()> {
        let old = self.child(child.id)?;
        if let Some(old) = &old {
            if let Some(no) = &old.student_no {
                self.student_no.remove(no.as_str())?;
            }
            self.child_name.remove(old.name.as_str(), old.id.0)?;
        }
        if let Some(no) = &child.student_no {
            self.student_no.insert(no.as_str(), child.id.0)?;
        }
        self.child_name.insert(child.name.as_str(), child.id.0)?;
        self.children.insert(child.id.0, Encoded::encode(child)?)?;
        let last = self.last_events(child.id)?;
        self.roster.insert(
            child.id.0,
            SummaryBytes::encode(&ChildSummary::of(child, last))?,
        )?;
        self.report_facts
            .insert(child.id.0, Encoded::encode(&ReportFacts::of(child))?)?;
        Ok(())
    }

    /// Fills the work summary's facts of every file (the migration to schema version 8).
    pub(super) fn fill_report_facts(&mut self) -> Result<()> {
        let mut facts = Vec::new();
        for row in self.children.iter()? {
            let child: Child = row?.1.value().decode()?;
            facts.push(ReportFacts::of(&child));
        }
        for f in facts {
            self.report_facts.insert(f.id.0, Encoded::encode(&f)?)?;
        }
        Ok(())
    }

    /// Fills the day index from the events (the migration to schema version 2).
    pub(super) fn index_events_by_day(&mut self) -> Result<()> {
        let mut entries = Vec::new();
        for row in self.events.iter()? {
            let e: Event = row?.1.value().decode()?;
            entries.push((
                (day_key(e.date), e.id.0),
                (e.child.0, e.kind.code(), e.staff.0),
            ));
        }
        for (key, value) in entries {
            self.events_by_day.insert(key, value)?;
        }
        Ok(())
    }

    /// Reads every stored file with `read` (from its bytes as stored) and writes it back in
    /// this build's form, its name and class in the one way they are written now (李　娜 is
    /// 李娜, 六年级1班 and 601 are 六(1)班), with its name index and roster summary: a
    /// migration's step.
    pub(super) fn rewrite_children(
        &mut self,
        read: impl Fn(&Encoded<'_, Child>) -> Result<Child>,
    ) -> Result<()> {
        let mut files = Vec::new();
        for row in self.children.iter()? {
            let (id, value) = row?;
            files.push((id.value(), read(&value.value())?));
        }
        for (id, mut child) in files {
            let stored_name = child.name.clone();
            child.name = normalize_name(&child.name);
            child.class = normalize_class(&child.class);
            if child.name != stored_name {
                self.child_name.remove(stored_name.as_str(), id)?;
                self.child_name.insert(child.name.as_str(), id)?;
            }
            self.children.insert(id, Encoded::encode(&child)?)?;
            let last = self.last_events(child.id)?;
            self.roster
                .insert(id, SummaryBytes::encode(&ChildSummary::of(&child, last))?)?;
        }
        Ok(())
    }

    /// Reads every staff member and the settings with `staff` and `settings` (from their
    /// bytes as stored) and writes them back in this build's form: a migration's step.
    pub(super) fn rewrite_staff_and_settings(
        &mut self,
        staff: impl Fn(&Encoded<'_, Staff>) -> Result<Staff>,
        settings: impl Fn(&Encoded<'_, Settings>) -> Result<Settings>,
    ) -> Result<()> {
        let mut all = Vec::new();
        for row in self.staff.iter()? {
            all.push(staff(&row?.1.value())?);
        }
        for s in &all {
            self.put_staff(s)?;
        }
        let stored = match self.settings.get(SETTINGS_KEY)? {
            Some(v) => Some(settings(&v.value())?),
            None => None,
        };
        if let Some(s) = stored {
            self.put_settings(&s)?;
        }
        Ok(())
    }

    /// Marks an event as a typical case (典型案例), or takes the mark off.
    pub fn mark_typical(&mut self, event: EventId, typical: bool) -> Result<()> {
        if typical {
            self.typical.insert(event.0, ())?;
        } else {
            self.typical.remove(event.0)?;
        }
        Ok(())
    }

    /// Remembers that `header` (normalised) names the field `key` on this school's rosters.
    pub fn remember_import_column(&mut self, header: &str, key: &str) -> Result<()> {
        self.import_columns.insert(header, key)?;
        Ok(())
    }

    pub fn new_event_id(&mut self) -> Result<EventId> {
        self.next_id(META_NEXT_EVENT).map(EventId)
    }

    /// Inserts a new event and its index entries. The last-event index moves only forward in
    /// time: an event logged late for an earlier day leaves a later one in place.
    pub fn insert_event(&mut self, event: &Event) -> Result<()> {
        let day = day_key(event.date);
        self.events.insert(event.id.0, Encoded::encode(event)?)?;
        self.events_by_child
            .insert((event.child.0, day, event.id.0), ())?;
        self.index_day(event)?;
        let found = match self.roster.get(event.child.0)? {
            Some(v) => Some(v.value().decode()?),
            None => None,
        };
        if let Some(mut summary) = found {
            let before = summary.last;
            summary.last.record(event.kind, event.date, event.id);
            if summary.last != before {
                self.roster
                    .insert(event.child.0, SummaryBytes::encode(&summary)?)?;
            }
        }
        Ok(())
    }

    pub fn new_activity_id(&mut self) -> Result<ActivityId> {
        self.next_id(META_NEXT_ACTIVITY).map(ActivityId)
    }

    pub fn put_activity(&mut self, activity: &Activity) -> Result<()> {
        self.activities
            .insert(activity.id.0, Encoded::encode(activity)?)?;
        Ok(())
    }

    pub fn new_task_id(&mut self) -> Result<TaskId> {
        self.next_id(META_NEXT_TASK).map(TaskId)
    }

    /// Removes an event and its index entries, and recomputes its child's latest events
    /// (undo: nothing else deletes an event).
    pub fn delete_event(&mut self, event: &Event) -> Result<()> {
        let day = day_key(event.date);
        self.events.remove(event.id.0)?;
        self.typical.remove(event.id.0)?;
        self.voided.remove(event.id.0)?;
        self.events_by_child
            .remove((event.child.0, day, event.id.0))?;
        self.unindex_day(event)?;
        self.recompute_last(event.child)
    }

    /// Writes a changed entry over `old` (same id), moving its index entries to its new date
    /// and recomputing its child's latest events. A voided entry stays out of the day index.
    pub fn replace_event(&mut self, old: &Event, new: &Event) -> Result<()> {
        let voided = self.voided.get(old.id.0)?.is_some();
        self.events_by_child
            .remove((old.child.0, day_key(old.date), old.id.0))?;
        self.unindex_day(old)?;
        self.events.insert(new.id.0, Encoded::encode(new)?)?;
        self.events_by_child
            .insert((new.child.0, day_key(new.date), new.id.0), ())?;
        if !voided {
            self.index_day(new)?;
        }
        self.recompute_last(old.child)?;
        if new.child != old.child {
            self.recompute_last(new.child)?;
        }
        Ok(())
    }

    /// Withdraws an entry (作废): it stays on the timeline and leaves the day index and its
    /// child's latest events, so that nothing counts it.
    pub fn void_event(&mut self, event: &Event, void: &Void) -> Result<()> {
        self.voided.insert(event.id.0, Encoded::encode(void)?)?;
        self.unindex_day(event)?;
        self.recompute_last(event.child)
    }

    /// Takes a withdrawal back (undo): the entry counts again.
    pub fn unvoid_event(&mut self, event: &Event) -> Result<()> {
        self.voided.remove(event.id.0)?;
        self.index_day(event)?;
        self.recompute_last(event.child)
    }

    /// Withdraws a group activity, or takes the withdrawal back (`None`); its attendance
    /// entries are voided or restored one by one by the caller.
    pub fn set_activity_void(&mut self, id: ActivityId, void: Option<&Void>) -> Result<()> {
        match void {
            Some(v) => {
                self.voided_activities.insert(id.0, Encoded::encode(v)?)?;
            }
            None => {
                self.voided_activities.remove(id.0)?;
            }
        }
        Ok(())
    }

    /// Withdraws a task, or takes the withdrawal back (`None`).
    pub fn set_task_void(&mut self, id: TaskId, void: Option<&Void>) -> Result<()> {
        match void {
            Some(v) => {
                self.voided_tasks.insert(id.0, Encoded::encode(v)?)?;
            }
            None => {
                self.voided_tasks.remove(id.0)?;
            }
        }
        Ok(())
    }

    /// Recomputes a child's latest event of every kind from its timeline, voided entries left
    /// out.
    fn recompute_last(&mut self, child: ChildId) -> Result<()> {
        let found = match self.roster.get(child.0)? {
            Some(v) => Some(v.value().decode()?),
            None => None,
        };
        let Some(mut summary) = found else {
            return Ok(());
        };
        let mut last = LastEvents::default();
        let mut ids = Vec::new();
        for row in self
            .events_by_child
            .range((child.0, i32::MIN, 0)..=(child.0, i32::MAX, u64::MAX))?
        {
            ids.push(row?.0.value().2);
        }
        for id in ids {
            if self.voided.get(id)?.is_some() {
                continue;
            }
            if let Some(v) = self.events.get(id)? {
                let e: Event = v.value().decode()?;
                last.record(e.kind, e.date, e.id);
            }
        }
        if summary.last != last {
            summary.last = last;
            self.roster
                .insert(child.0, SummaryBytes::encode(&summary)?)?;
        }
        Ok(())
    }

    /// Removes a task (undo of its creation).
    pub fn delete_task(&mut self, id: TaskId) -> Result<()> {
        self.tasks.remove(id.0)?;
        Ok(())
    }

    pub fn put_task(&mut self, task: &Task) -> Result<()> {
        self.tasks.insert(task.id.0, Encoded::encode(task)?)?;
        Ok(())
    }

    /// Appends an audit record under the next change sequence number and returns it.
    pub fn append_audit(&mut self, mut record: AuditRecord) -> Result<u64> {
        let seq = self
            .change_seq()?
            .checked_add(1)
            .ok_or_else(|| exhausted(META_CHANGE_SEQ))?;
        record.seq = seq;
        self.audit.insert(seq, Encoded::encode(&record)?)?;
        self.set_meta(META_CHANGE_SEQ, seq)?;
        Ok(seq)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::*;
    use crate::domain::{EventKind, Gender, NewChild};

    /// `check` finds a day table or summary facts that went out of step with the entries
    /// and files (a damaged file, or a bug in keeping them).
    #[test]
    fn check_finds_a_day_table_or_facts_out_of_step() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("g.redb")).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 10, 8).unwrap();
        let event = |id: u64, kind: EventKind| Event {
            id: EventId(id),
            version: 1,
            child: ChildId(1),
            kind,
            date: day,
            staff: StaffId(1),
            present: Vec::new(),
            summary: "县级三好学生".into(),
            follow_up: false,
            activity: None,
        };
        store
            .write(|w| {
                let child = NewChild::basic("张小珠", Gender::Female, day, "七(2)班")
                    .into_child(ChildId(1), day);
                w.put_child(&child)?;
                w.insert_event(&event(1, EventKind::Talk))?;
                w.insert_event(&event(2, EventKind::Award))
            })
            .unwrap();
        let problems = |store: &Store| store.read().unwrap().model_problems().unwrap();
        assert_eq!(problems(&store), Vec::<String>::new());
        let talk = (day_key(day), EventKind::Talk.code(), 0);
        let award = (day_key(day), EventKind::Award.code(), 0);
        // The award's row written as given (and `also` done), then what check says.
        let award_row = |records: &[(u64, u64, u64, String)],
                         also: &dyn Fn(&mut Writer) -> Result<()>| {
            store
                .write(|w| {
                    w.day_events.insert(award, day_row(records).as_slice())?;
                    also(w)
                })
                .unwrap();
            problems(&store)
        };
        let says = |found: &[String], problem: &str| {
            assert!(found.iter().any(|p| p == problem), "{problem}: {found:?}")
        };
        let title = || String::from("县级三好学生");
        // The talk's row gone, the talk in the award's row instead, the award's title changed.
        let found = award_row(
            &[(2, 1, 1, "市级".into()), (1, 1, 1, String::new())],
            &|w| {
                w.day_events.remove(talk)?;
                Ok(())
            },
        );
        says(&found, "day table's title of event 2 is not its summary");
        says(&found, "day table holds event 1 otherwise than it is");
        // The award twice, and the file's facts gone.
        let found = award_row(&[(2, 1, 1, title()), (2, 1, 1, title())], &|w| {
            w.report_facts.remove(1)?;
            Ok(())
        });
        says(&found, "day table holds event 2 twice");
        says(&found, "the summary's facts of 0 children for 1 files");
        // The talk missing altogether.
        let found = award_row(&[(2, 1, 1, title())], &|_| Ok(()));
        says(&found, "day table holds 1 events for 2 not voided");
    }

    /// A roster summary without its file, or unlike it, is named by check; the files are
    /// found among ten thousand by their ids.
    #[test]
    fn check_finds_a_roster_summary_without_its_file_or_unlike_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("g.redb")).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 10, 8).unwrap();
        store
            .write(|w| {
                for (id, name) in [(1, "张小珠"), (3, "李娜"), (7, "王小明")] {
                    let child = NewChild::basic(name, Gender::Female, day, "七(2)班")
                        .into_child(ChildId(id), day);
                    w.put_child(&child)?;
                }
                Ok::<(), super::super::StoreError>(())
            })
            .unwrap();
        let problems = |store: &Store| store.read().unwrap().model_problems().unwrap();
        assert_eq!(problems(&store), Vec::<String>::new());
        store
            .write(|w| {
                let mut stray = w.roster.get(3)?.map(|v| v.value().decode()).transpose()?;
                if let Some(s) = stray.as_mut() {
                    s.id = ChildId(5);
                    w.roster.insert(5, SummaryBytes::encode(s)?)?;
                }
                let mut unlike = w.roster.get(7)?.map(|v| v.value().decode()).transpose()?;
                if let Some(s) = unlike.as_mut() {
                    s.class = "八(1)班".into();
                    w.roster.insert(7, SummaryBytes::encode(s)?)?;
                }
                Ok::<(), super::super::StoreError>(())
            })
            .unwrap();
        assert_eq!(
            problems(&store),
            [
                "roster summary 5 has no file",
                "roster summary of child 7 (王小明) does not match the file or its events",
                "4 roster summaries for 3 files",
            ]
        );
    }
}
