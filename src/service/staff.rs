//! The school's settings (name, calendar of terms and holidays) and its staff list, which
//! the administrator keeps: the commands that change them, their checks, and the queries
//! that read them.
//!
//! Only administrators (or whoever sets up a school without one) change these; nothing here
//! touches children's files.

use super::command::{Applied, Outcome};
use super::validate::{NAME, json, line, not_empty, unix_name};
use super::{Field, Result, Service, ServiceError, Tx};
use crate::domain::{NewStaff, Role, Settings, Staff, StaffId, normalize_class};
use crate::store::Reads;

impl Service {
    /// Replaces the school's settings.
    pub(super) fn set_settings(&self, tx: Tx, settings: Settings) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        self.require_admin(setting_up, "change the school settings")?;
        let mut settings = settings;
        settings.school_name = line(Field::School, &settings.school_name, NAME)?;
        check_calendar(&settings)?;
        let before = w.settings()?;
        w.put_settings(&settings)?;
        Ok(Applied::new(
            Outcome::Settings,
            "settings".into(),
            before.as_ref().map(json),
            Some(json(&settings)),
        ))
    }

    /// Adds a staff member with their roles, classes and Unix account.
    pub(super) fn add_staff(&self, tx: Tx, new: NewStaff) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        self.require_admin(setting_up, "add staff")?;
        let name = line(Field::Name, &new.name, NAME)?;
        not_empty(Field::Name, &new.name, "不能为空", "must not be empty")?;
        if new.roles.is_empty() {
            return Err(ServiceError::invalid_with(
                Field::Staff,
                &name,
                "至少一个角色: admin, counselor, class-teacher, mentor",
                "at least one role: admin, counselor, class-teacher, mentor",
            ));
        }
        let unix_user = match new.unix_user.as_deref().map(str::trim) {
            Some(u) if !u.is_empty() => Some(unix_name(u)?),
            _ => None,
        };
        let classes = new
            .classes
            .iter()
            .map(|c| line(Field::Class, c, NAME).map(|c| normalize_class(&c)))
            .filter(|c| !matches!(c, Ok(c) if c.is_empty()))
            .collect::<Result<Vec<_>>>()?;
        let new = NewStaff {
            unix_user,
            classes,
            ..new
        };
        let existing = w.all_staff()?;
        if existing.iter().any(|s| s.name == name) {
            return Err(ServiceError::DuplicateStaff { name });
        }
        if let Some(u) = &new.unix_user
            && let Some(holder) = existing.iter().find(|s| s.unix_user.as_ref() == Some(u))
        {
            return Err(ServiceError::DuplicateUnixUser {
                unix_user: u.clone(),
                holder: holder.name.clone(),
            });
        }
        let id = w.new_staff_id()?;
        let staff = Staff {
            id,
            version: 1,
            name,
            roles: new.roles,
            classes: new.classes,
            unix_user: new.unix_user,
            active: true,
            title: match new.title {
                Some(t) => Some(line(Field::Name, &t, NAME)?).filter(|t| !t.is_empty()),
                None => None,
            },
        };
        w.put_staff(&staff)?;
        Ok(Applied::created(
            Outcome::Staff(id),
            format!("staff:{}", id.0),
            &staff,
        ))
    }

    /// Sets a staff member's post (校长, 德育主任 …; empty: none), as the work summary names
    /// the organisation. Administrators only.
    pub(super) fn set_staff_title(
        &self,
        tx: Tx,
        staff: StaffId,
        title: Option<String>,
    ) -> Result<Applied> {
        let Tx { w, setting_up, .. } = tx;
        self.require_admin(setting_up, "change staff posts")?;
        let mut s = self.existing_staff(w, staff)?;
        let before = json(&s);
        s.title = match title {
            Some(t) => Some(line(Field::Name, &t, NAME)?).filter(|t| !t.is_empty()),
            None => None,
        };
        s.version += 1;
        w.put_staff(&s)?;
        Ok(Applied::new(
            Outcome::Staff(staff),
            format!("staff:{}", staff.0),
            Some(before),
            Some(json(&s)),
        ))
    }

    pub(super) fn existing_staff(&self, w: &impl Reads, id: StaffId) -> Result<Staff> {
        match w.staff(id)? {
            Some(s) => Ok(s),
            None => Err(ServiceError::UnknownStaff {
                field: Field::Staff,
                name: format!("#{}", id.0),
                known: w.all_staff()?.into_iter().map(|s| s.name).collect(),
            }),
        }
    }

    /// The school's settings (the defaults for today until an administrator sets them).
    pub fn settings(&self) -> Result<Settings> {
        Ok(self
            .reader()?
            .settings()?
            .unwrap_or_else(|| Settings::default_for(self.today)))
    }

    /// Every staff member, in id order.
    pub fn staff(&self) -> Result<Vec<Staff>> {
        Ok(self.reader()?.all_staff()?)
    }

    /// Whether the school has an administrator (until then, anyone may set it up).
    pub fn has_admin(&self) -> Result<bool> {
        Ok(self
            .reader()?
            .all_staff()?
            .iter()
            .any(|s| s.has_role(Role::Admin)))
    }

    /// A staff member by exact name, as typed for `field` (`--by`, `--mentor` ...).
    pub fn resolve_staff(&self, field: Field, name: &str) -> Result<Staff> {
        let all = self.staff()?;
        let name = name.trim();
        match all.iter().find(|s| s.name == name) {
            Some(s) => Ok(s.clone()),
            None => Err(ServiceError::UnknownStaff {
                field,
                name: name.to_string(),
                known: all.into_iter().map(|s| s.name).collect(),
            }),
        }
    }
}

/// Terms must not overlap and must have names; holidays must fall inside a term.
pub(super) fn check_calendar(settings: &Settings) -> Result<()> {
    let mut terms: Vec<&crate::domain::Term> = settings.terms.iter().collect();
    terms.sort_by_key(|t| t.start);
    for t in &terms {
        line(Field::Term, &t.name, NAME)?;
        if t.name.trim().is_empty() || t.end < t.start {
            return Err(ServiceError::invalid_with(
                Field::Term,
                &format!("{} {}–{}", t.name, t.start, t.end),
                "有名称的学期, 结束不早于开始",
                "a named term that does not end before it starts",
            ));
        }
    }
    for pair in terms.windows(2) {
        if pair[1].start <= pair[0].end || pair[0].name == pair[1].name {
            return Err(ServiceError::invalid_with(
                Field::Term,
                &format!("{} {}–{}", pair[1].name, pair[1].start, pair[1].end),
                &format!(
                    "不与学期 {} ({}–{}) 重叠",
                    pair[0].name, pair[0].start, pair[0].end
                ),
                &format!(
                    "a term that does not overlap {} ({}–{})",
                    pair[0].name, pair[0].start, pair[0].end
                ),
            ));
        }
    }
    for h in &settings.holidays {
        line(Field::Term, &h.name, NAME)?;
        let inside = terms.iter().any(|t| t.start <= h.start && h.end <= t.end);
        if h.end < h.start || !inside {
            return Err(ServiceError::invalid_with(
                Field::Term,
                &format!("{} {}–{}", h.name, h.start, h.end),
                "学期内的假期, 结束不早于开始 (寒暑假不用登记)",
                "a holiday inside one term that does not end before it starts (the breaks between terms need no entry)",
            ));
        }
    }
    Ok(())
}
