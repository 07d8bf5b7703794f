//! What the paper forms are printed from: the files of the children chosen (one child, a
//! class, the whole school), their timelines in a period, and who is who. For those who may
//! read the whole file; the whole school for administrators and counsellors. Voided entries
//! never come; counselling sessions only to a counsellor who asks for them. Every printing is
//! recorded in the audit log (who printed which children, which form).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Result, Service, ServiceError};
use crate::domain::{Child, ChildId, Event, EventKind, Role};
pub use crate::print::PrintPack;

/// Which children a print is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintSelection {
    Child(ChildId),
    /// A class, in the one way classes are written.
    Class(String),
    /// Every child on the roster.
    All,
}

impl Service {
    /// The files and entries to print `form` for, audited as a printing of those children.
    pub fn print_pack(
        &self,
        form: &str,
        selection: &PrintSelection,
        from: NaiveDate,
        to: NaiveDate,
        include_counseling: bool,
    ) -> Result<PrintPack> {
        let counselor = self.actor.has_role(Role::Counselor);
        if include_counseling && !counselor {
            return Err(ServiceError::NotPermitted {
                who: self.actor.name(),
                what: "print counselling sessions",
            });
        }
        // Only the forms that show sessions read them (and audit the reading).
        let include_counseling = include_counseling && matches!(form, "talks" | "file");
        let r = self.reader()?;
        let settings = r
            .settings()?
            .unwrap_or_else(|| crate::domain::Settings::default_for(self.today));
        let staff = r.all_staff()?;
        let mut children: Vec<Child> = match selection {
            PrintSelection::Child(id) => r.child(*id)?.into_iter().collect(),
            PrintSelection::Class(class) => {
                let class = crate::domain::normalize_class(class);
                r.all_children()?
                    .into_iter()
                    .filter(|c| c.class == class && c.is_active())
                    .collect()
            }
            PrintSelection::All => {
                self.require_whole_school("export the whole school")?;
                r.all_children()?
                    .into_iter()
                    .filter(Child::is_active)
                    .collect()
            }
        };
        for c in &children {
            if !self.may_read(c)? {
                return Err(ServiceError::NotPermitted {
                    who: self.actor.name(),
                    what: "read the timelines of children outside your classes and mentees",
                });
            }
        }
        children.sort_by(|a, b| {
            (crate::domain::class_order(&a.class), &a.student_no, &a.name).cmp(&(
                crate::domain::class_order(&b.class),
                &b.student_no,
                &b.name,
            ))
        });
        let mut timelines = HashMap::new();
        let mut counseling = Vec::new();
        // Only the forms that show entries read them (contact cards, pairs and counts do not).
        let with_entries = matches!(form, "file" | "visits" | "talks");
        for c in children.iter().filter(|_| with_entries) {
            let mut events: Vec<Event> = Vec::new();
            for e in r.timeline_between(c.id, from, to)? {
                if r.void_of(e.id)?.is_some() {
                    continue;
                }
                if e.kind == EventKind::Counseling && !include_counseling {
                    continue;
                }
                if e.kind == EventKind::Counseling {
                    counseling.push(e.id);
                }
                events.push(e);
            }
            timelines.insert(c.id, events);
        }
        drop(r);
        if !counseling.is_empty() {
            let mut refs: Vec<&mut Event> = timelines
                .values_mut()
                .flat_map(|v| v.iter_mut())
                .filter(|e| e.kind == EventKind::Counseling)
                .collect();
            self.fill_notes(&mut refs, format!("print:{form}"))?;
        }
        let ids: Vec<u64> = children.iter().map(|c| c.id.0).collect();
        let record = self.audit_record(
            "print",
            format!("print:{form}"),
            None,
            Some(format!(
                "{{\"form\":{},\"children\":{},\"from\":\"{from}\",\"to\":\"{to}\",\"counseling\":{include_counseling}}}",
                super::validate::json(&form),
                super::validate::json(&ids)
            )),
        );
        self.store
            .write(|w| -> Result<()> { Ok(w.append_audit(record).map(|_| ())?) })?;
        Ok(PrintPack {
            school: settings.school_name,
            from,
            to,
            children,
            timelines,
            staff,
        })
    }
}
