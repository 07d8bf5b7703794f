//! The commands on a child's file: open it, change its roster fields, record the yearly
//! survey of the five areas, archive it and put it back; with the checks a file passes
//! before it is stored, and the basic file other staff see.
//!
//! Each command checks the user's rights for the child first and runs inside the
//! transaction `Service::execute_all` opened; nothing here commits or writes the audit log.

use chrono::NaiveDate;

use super::command::{Applied, Outcome};
use super::identity::Access;
use super::validate::{
    LONG, NAME, OLDEST_PUPIL_YEARS, future_date, json, line, opt_line, opt_phone,
};
use super::{Field, PhoneOf, Result, Service, ServiceError, Tx};
use crate::domain::{
    ArchiveReason, Child, ChildId, Guardian, NewChild, ParentRelation, Register, Situation, Status,
    StatusChange, normalize_class, normalize_name, normalize_phone,
};
use crate::store::{Reads, Writer};

impl Service {
    /// Opens a new file.
    pub(super) fn add_child(&self, tx: Tx, new: Box<NewChild>) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        self.require(
            setting_up,
            Access::Manage,
            &new.class,
            None,
            "open files outside your classes",
        )?;
        let new = self.validate_child(w, *new, None)?;
        let id = w.new_child_id()?;
        let child = new.into_child(id, self.today);
        w.put_child(&child)?;
        Ok(Applied::created(
            Outcome::Child(id),
            child_target(id),
            &child,
        ))
    }

    /// Archives a file from `date` on, with the reason.
    pub(super) fn archive_child(
        &self,
        tx: Tx,
        child: ChildId,
        reason: ArchiveReason,
        date: NaiveDate,
    ) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        let mut file = self.active_child(
            w,
            setting_up,
            child,
            Access::Manage,
            "archive files of children not in your classes",
        )?;
        let reason = match reason {
            ArchiveReason::Other(text) => ArchiveReason::Other(line(Field::Reason, &text, LONG)?),
            known => known,
        };
        if date > self.today {
            return Err(future_date(Field::Date, date, self.today));
        }
        if let Some(last) = file.status_history.last()
            && date < last.date
        {
            return Err(ServiceError::invalid_with(
                Field::Date,
                &date.to_string(),
                &format!("不早于建档日期 {}", last.date),
                &format!("not before the file was opened ({})", last.date),
            ));
        }
        let before = json(&file);
        file.status_history.push(StatusChange {
            date,
            status: Status::Archived(reason),
        });
        save_file(w, before, file, Outcome::Archived(child))
    }

    /// Replaces a file's roster fields, unless it changed since `version` was read.
    pub(super) fn update_child(
        &self,
        tx: Tx,
        child: ChildId,
        version: u64,
        file: Box<NewChild>,
    ) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        let existing = self.child_with(
            w,
            setting_up,
            child,
            Access::Manage,
            "change files of children not in your classes",
        )?;
        self.require(
            setting_up,
            Access::Manage,
            &file.class,
            None,
            "move files into classes that are not yours",
        )?;
        self.refuse_archived(&existing)?;
        if existing.version != version {
            let staff = w.staff_names()?;
            let current = crate::transfer::write::roster_headers()
                .iter()
                .zip(crate::transfer::write::roster_row(&existing, &staff))
                .filter(|(_, v)| !v.is_empty())
                .map(|(h, v)| format!("{h}={v}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(ServiceError::Stale {
                name: existing.name.clone(),
                expected: version,
                found: existing.version,
                current,
            });
        }
        let new = self.validate_child(w, *file, Some(child))?;
        let updated = with_roster_fields(&existing, new);
        if updated == existing {
            return Ok(Applied::new(
                Outcome::Unchanged(child),
                child_target(child),
                None,
                None,
            ));
        }
        save_file(w, json(&existing), updated, Outcome::Updated(child))
    }

    /// Records the survey of the five areas, replacing the file's situation.
    pub(super) fn survey_child(
        &self,
        tx: Tx,
        child: ChildId,
        situation: Situation,
    ) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        let mut file = self.active_child(
            w,
            setting_up,
            child,
            Access::Manage,
            "change files of children not in your classes",
        )?;
        let Some(date) = situation.surveyed else {
            return Err(ServiceError::invalid_with(
                Field::Date,
                "",
                "复查日期",
                "the date of the survey",
            ));
        };
        self.check_event_date(&file, date)?;
        let mut situation = situation;
        check_situation(&mut situation)?;
        let before = json(&file);
        file.situation = situation;
        save_file(w, before, file, Outcome::Surveyed(child))
    }

    /// Puts an archived file back on the roster from `date` on.
    pub(super) fn restore_child(&self, tx: Tx, child: ChildId, date: NaiveDate) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        let mut file = self.child_with(
            w,
            setting_up,
            child,
            Access::Manage,
            "restore files of children not in your classes",
        )?;
        if file.is_active() {
            return Err(ServiceError::invalid_with(
                Field::Name,
                &file.name,
                "已归档的档案",
                "an archived file",
            ));
        }
        if date > self.today {
            return Err(future_date(Field::Date, date, self.today));
        }
        let before = json(&file);
        file.status_history.push(StatusChange {
            date,
            status: Status::Active,
        });
        save_file(w, before, file, Outcome::Updated(child))
    }

    /// Checks a file as entered; `updating` is the file being replaced (its own student number
    /// is no clash).
    pub(super) fn validate_child(
        &self,
        w: &impl Reads,
        mut new: NewChild,
        updating: Option<ChildId>,
    ) -> Result<NewChild> {
        new.name = normalize_name(&line(Field::Name, &new.name, NAME)?);
        new.class = normalize_class(&line(Field::Class, &new.class, NAME)?);
        if new.name.is_empty() {
            return Err(ServiceError::invalid_with(
                Field::Name,
                "",
                "不能为空",
                "must not be empty",
            ));
        }
        if new.class.is_empty() {
            return Err(ServiceError::invalid_with(
                Field::Class,
                "",
                "不能为空, 如 七(2)班",
                "must not be empty, e.g. 7-2 or 702 (grade 7, class 2)",
            ));
        }
        if new.birth > self.today {
            return Err(future_date(Field::Birth, new.birth, self.today));
        }
        if let Some(id) = &new.register.id_no {
            if crate::domain::is_masked(id) {
                if updating.is_none() {
                    return Err(ServiceError::invalid_with(
                        Field::IdNo,
                        id,
                        "完整的 18 位身份证号 (不是带 * 的遮挡号码)",
                        "the whole 18-character ID number (not a masked one)",
                    ));
                }
            } else {
                match crate::domain::IdNumber::parse(id) {
                    Ok(checked) => new.register.id_no = Some(checked.as_str().to_string()),
                    Err(e) => {
                        return Err(ServiceError::invalid_with(
                            Field::IdNo,
                            id,
                            &e.zh(),
                            &e.en(),
                        ));
                    }
                }
            }
        }
        let oldest = self.today - chrono::Duration::days(365 * OLDEST_PUPIL_YEARS);
        if new.birth < oldest {
            return Err(ServiceError::invalid_with(
                Field::Birth,
                &new.birth.to_string(),
                &format!("学生的出生日期, 在 {oldest} 与今天之间"),
                &format!("a pupil's birth date, between {oldest} and today"),
            ));
        }
        if let Some(since) = new.left_behind.since
            && (since > self.today || since < new.birth)
        {
            return Err(ServiceError::invalid_with(
                Field::Since,
                &since.to_string(),
                &format!("出生日期 {} 与今天 {} 之间的日期", new.birth, self.today),
                &format!(
                    "a date between the birth date {} and today {}",
                    new.birth, self.today
                ),
            ));
        }
        if let Some(opened) = new.opened
            && (opened > self.today || opened < new.birth)
        {
            return Err(ServiceError::invalid_with(
                Field::Opened,
                &opened.to_string(),
                &format!("出生日期 {} 与今天 {} 之间的日期", new.birth, self.today),
                &format!(
                    "a date between the birth date {} and today {}",
                    new.birth, self.today
                ),
            ));
        }
        new.student_no = opt_line(Field::StudentNo, &new.student_no, NAME)?;
        if let Some(no) = &new.student_no
            && crate::domain::is_masked(no)
            && updating.is_none()
        {
            return Err(ServiceError::invalid_with(
                Field::StudentNo,
                no,
                "完整的学号 (不是带 * 的遮挡号码)",
                "the whole student number (not a masked one)",
            ));
        }
        if let Some(no) = &new.student_no
            && let Some(holder) = w.child_by_student_no(no)?
            && Some(holder) != updating
        {
            let holder = w
                .child(holder)?
                .map(|c| format!("{} ({})", c.name, c.class))
                .unwrap_or_default();
            return Err(ServiceError::DuplicateStudentNo {
                student_no: no.clone(),
                holder,
            });
        }
        new.village = opt_line(Field::Village, &new.village, NAME)?;
        new.address = opt_line(Field::Address, &new.address, LONG)?;
        for parent in &mut new.parents {
            let who = match parent.relation {
                ParentRelation::Father => PhoneOf::Father,
                ParentRelation::Mother => PhoneOf::Mother,
            };
            parent.name = line(Field::Name, &parent.name, NAME)?;
            parent.workplace = opt_line(Field::Workplace, &parent.workplace, LONG)?;
            parent.phone = opt_phone(Field::Phone(who), &parent.phone)?;
            // 双亲外出: both parents are away, with or without a workplace on record.
            if new.left_behind.kind == crate::domain::LeftBehindType::BothParents {
                parent.away = true;
            }
        }
        if let Some(g) = &mut new.guardian {
            g.name = line(Field::Name, &g.name, NAME)?;
            g.relation = line(Field::Relation, &g.relation, NAME)?;
            g.health = opt_line(Field::Situation, &g.health, LONG)?;
            g.phone = opt_phone(Field::Phone(PhoneOf::Guardian), &g.phone)?;
        }
        for c in &mut new.emergency_contacts {
            c.name = line(Field::Name, &c.name, NAME)?;
            c.relation = line(Field::Relation, &c.relation, NAME)?;
            c.phone = normalize_phone(&c.phone)
                .map_err(|e| ServiceError::invalid(Field::Phone(PhoneOf::EmergencyContact), e))?;
        }
        for b in &mut new.buddies {
            *b = line(Field::Name, b, NAME)?;
        }
        new.buddies.retain(|b| !b.is_empty());
        check_situation(&mut new.situation)?;
        new.support.special_needs = line(Field::Situation, &new.support.special_needs, LONG)?;
        if let Some(mentor) = new.mentor {
            self.existing_staff(w, mentor)?;
        }
        Ok(new)
    }

    pub(super) fn existing_child(&self, w: &Writer<'_>, id: ChildId) -> Result<Child> {
        w.child(id)?.ok_or_else(|| ServiceError::UnknownChild {
            reference: format!("#{}", id.0),
        })
    }

    /// The file of child `id`, if the user has at least `needed` for it; refused as `what`
    /// otherwise.
    pub(super) fn child_with(
        &self,
        w: &Writer<'_>,
        setting_up: bool,
        id: ChildId,
        needed: Access,
        what: &'static str,
    ) -> Result<Child> {
        let file = self.existing_child(w, id)?;
        self.require(setting_up, needed, &file.class, file.mentor, what)?;
        Ok(file)
    }

    /// As [`child_with`](Self::child_with), and the file must be on the roster (not archived).
    pub(super) fn active_child(
        &self,
        w: &Writer<'_>,
        setting_up: bool,
        id: ChildId,
        needed: Access,
        what: &'static str,
    ) -> Result<Child> {
        let file = self.child_with(w, setting_up, id, needed, what)?;
        self.refuse_archived(&file)?;
        Ok(file)
    }

    /// An active file the user may record events and tasks for.
    pub(super) fn child_to_record(
        &self,
        w: &Writer<'_>,
        setting_up: bool,
        id: ChildId,
    ) -> Result<Child> {
        self.active_child(
            w,
            setting_up,
            id,
            Access::Record,
            "record for children outside your classes and mentees",
        )
    }

    pub(super) fn refuse_archived(&self, child: &Child) -> Result<()> {
        match child.status_history.last() {
            Some(StatusChange {
                status: Status::Archived(_),
                date,
            }) => Err(ServiceError::Archived {
                name: child.name.clone(),
                since: *date,
            }),
            _ => Ok(()),
        }
    }
}

/// The guardian of an updated file: the roster's name, relation and phone; age, health and
/// ability to supervise kept when it is the same person.
pub(super) fn merge_guardian(old: Option<&Guardian>, new: Option<Guardian>) -> Option<Guardian> {
    let mut new = new?;
    if let Some(old) = old
        && old.name == new.name
    {
        // A roster may carry the age and health (the register does); else the file's stay.
        new.age = new.age.or(old.age);
        new.health = new.health.or_else(|| old.health.clone());
        new.can_supervise_study = old.can_supervise_study;
    }
    Some(new)
}

/// The register's fields after a roster update: a column the roster carries replaces the
/// file's value (an empty cell clears it); a field whose column the roster lacks (noted in its
/// `unrecorded`) keeps the file's value, and so does a masked number sent back by a form.
fn merge_register(existing: &Register, new: Register) -> Register {
    let pick = |key: &str, given: &Option<String>, old: &Option<String>| {
        if given.is_none() && new.unrecorded(key) {
            old.clone()
        } else {
            given.clone()
        }
    };
    Register {
        // A masked number, or an empty cell, never erases the number on file.
        id_no: match &new.id_no {
            Some(id) if crate::domain::is_masked(id) => existing.id_no.clone(),
            None => existing.id_no.clone(),
            other => other.clone(),
        },
        ethnicity: pick("ethnicity", &new.ethnicity, &existing.ethnicity),
        hukou: pick("hukou", &new.hukou, &existing.hukou),
        health: pick("health", &new.health, &existing.health),
        guardianship: pick("guardianship", &new.guardianship, &existing.guardianship),
        care: pick("care", &new.care, &existing.care),
        assessment: pick("assessment", &new.assessment, &existing.assessment),
        remarks: pick("remarks", &new.remarks, &existing.remarks),
        // What this roster did not carry either; settled once the whole file is merged
        // (`still_unrecorded`): a value kept from the file is known.
        unrecorded: new.unrecorded.clone(),
    }
}

/// The fields still 未填 after an update: those that were 未填 before, that the roster did not
/// carry either (or wrote 未填) and that have no value now. An update never makes a field 未填
/// that was not: the file's state of a field the roster lacks is kept.
fn still_unrecorded(before: &Register, file: &Child) -> Vec<String> {
    let r = &file.register;
    let parent = |rel: ParentRelation| file.parent(rel);
    let empty = |key: &str| match key {
        "id_no" => r.id_no.is_none(),
        "ethnicity" => r.ethnicity.is_none(),
        "hukou" => r.hukou.is_none(),
        "health" => r.health.is_none(),
        "guardianship" => r.guardianship.is_none(),
        "care" => r.care.is_none(),
        "assessment" => r.assessment.is_none(),
        "remarks" => r.remarks.is_none(),
        "village" => file.village.is_none(),
        "address" => file.address.is_none(),
        "father" => parent(ParentRelation::Father).is_none_or(|p| p.name.is_empty()),
        "mother" => parent(ParentRelation::Mother).is_none_or(|p| p.name.is_empty()),
        "father_phone" => parent(ParentRelation::Father).is_none_or(|p| p.phone.is_none()),
        "mother_phone" => parent(ParentRelation::Mother).is_none_or(|p| p.phone.is_none()),
        "father_work" => parent(ParentRelation::Father).is_none_or(|p| p.workplace.is_none()),
        "mother_work" => parent(ParentRelation::Mother).is_none_or(|p| p.workplace.is_none()),
        "guardian" => file.guardian.is_none(),
        "guardian_phone" => file.guardian.as_ref().is_none_or(|g| g.phone.is_none()),
        // Flags, the type and the class always hold a value: 未填 until a roster or a
        // teacher gives one (a roster carrying the column, even empty, gives one).
        _ => true,
    };
    let mut out: Vec<String> = Vec::new();
    for key in &r.unrecorded {
        if before.unrecorded(key) && empty(key) && !out.contains(key) {
            out.push(key.clone());
        }
    }
    out
}

/// What every staff member may see of any child: who and where, not the family's details.
pub(super) fn basic_file(mut child: Child) -> Child {
    child.address = None;
    child.left_behind.since = None;
    child.parents.clear();
    child.guardian = None;
    child.emergency_contacts.clear();
    child.buddies.clear();
    child.situation = Situation::default();
    child.support = crate::domain::Support::default();
    child.register = crate::domain::Register {
        unrecorded: std::mem::take(&mut child.register.unrecorded),
        ..Default::default()
    };
    child
}

/// The file with its identity number masked (4305**********1238): how everyone but an
/// administrator sees it.
pub(super) fn masked_id(mut child: Child) -> Child {
    if let Some(id) = &mut child.register.id_no {
        *id = crate::domain::mask_id(id);
    }
    if let Some(no) = &mut child.student_no {
        *no = crate::domain::mask_ids_in(no).into_owned();
    }
    child
}

/// The audit target of a child's file.
pub(super) fn child_target(id: ChildId) -> String {
    format!("child:{}", id.0)
}

/// Stores a changed file under its next version; `before` is its JSON before the change.
fn save_file(
    w: &mut Writer<'_>,
    before: String,
    mut file: Child,
    outcome: Outcome,
) -> Result<Applied> {
    file.version += 1;
    w.put_child(&file)?;
    Ok(Applied::changed(
        outcome,
        child_target(file.id),
        before,
        &file,
    ))
}

/// Each of the five areas (学习、生活、心理、安全、健康) is one line of text.
fn check_situation(s: &mut Situation) -> Result<()> {
    for text in [
        &mut s.study,
        &mut s.life,
        &mut s.psychology,
        &mut s.safety,
        &mut s.health,
    ] {
        *text = line(Field::Situation, text, LONG)?;
    }
    Ok(())
}

/// The file `existing` with the roster's columns of `new` (a checked roster row) in place of
/// its own, and the rest kept: the five-area situation, the status history, the timeline,
/// the guardian's age, health and ability to supervise when the guardian is the same person,
/// and every emergency contact but the first. Equal to `existing` when the row changes
/// nothing (an import says 未变, and its dry run too).
pub(super) fn with_roster_fields(existing: &Child, mut new: NewChild) -> Child {
    let mut updated = existing.clone();
    updated.name = std::mem::take(&mut new.name);
    updated.gender = new.gender;
    updated.birth = new.birth;
    // A masked number (an export without identity numbers, read back) or an empty cell
    // keeps the number on file.
    updated.student_no = match new.student_no.take() {
        Some(no) if crate::domain::is_masked(&no) => existing.student_no.clone(),
        None => existing.student_no.clone(),
        given => given,
    };
    updated.class = std::mem::take(&mut new.class);
    updated.village = new.village.take();
    updated.address = new.address.take();
    updated.boarding = new.boarding;
    updated.left_behind = new.left_behind.clone();
    updated.parents = std::mem::take(&mut new.parents);
    updated.guardian = merge_guardian(existing.guardian.as_ref(), new.guardian.take());
    updated.mentor = new.mentor;
    updated.buddies = std::mem::take(&mut new.buddies);
    // The roster carries the first emergency contact: given, it replaces the first one on
    // file (the others stay); absent, the file keeps its contacts.
    if let Some(first) = new.emergency_contacts.first() {
        match updated.emergency_contacts.first_mut() {
            Some(c) => *c = first.clone(),
            None => updated.emergency_contacts.push(first.clone()),
        }
    }
    updated.support.key_support = new.support.key_support;
    updated.support.poverty_support = new.support.poverty_support;
    updated.support.special_needs = std::mem::take(&mut new.support.special_needs);
    // A roster without a parent's workplace or phone column leaves what the file says.
    for parent in &mut updated.parents {
        let key = match parent.relation {
            ParentRelation::Father => "father",
            ParentRelation::Mother => "mother",
        };
        let Some(old) = existing.parent(parent.relation) else {
            continue;
        };
        if new.register.unrecorded(&format!("{key}_work")) && parent.workplace.is_none() {
            parent.workplace = old.workplace.clone();
            parent.away = old.away;
        }
        if new.register.unrecorded(&format!("{key}_phone")) && parent.phone.is_none() {
            parent.phone = old.phone.clone();
        }
    }
    // A flag or the type the roster did not carry (or wrote 未填) stays as the file says.
    if new.register.unrecorded("boarding") {
        updated.boarding = existing.boarding;
    }
    if new.register.unrecorded("type") {
        updated.left_behind.kind = existing.left_behind.kind;
    }
    updated.register = merge_register(&existing.register, std::mem::take(&mut new.register));
    updated.register.unrecorded = still_unrecorded(&existing.register, &updated);
    if let (Some(opened), Some(first)) = (new.opened, updated.status_history.first_mut()) {
        first.date = opened;
    }
    updated
}
