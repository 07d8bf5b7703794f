//! Everything the app shows that is read from the database, loaded in one go and read
//! again when the change sequence moves. It only reads through the service; it holds no UI
//! state and must not change records.

use std::collections::HashMap;

use super::action::Action;
use crate::domain::{ChildId, Staff};
use crate::followup::Rules;
use crate::service::{Actor, OverdueQueue, RosterRow, Service, ServiceError};

/// Days ahead the queue also shows (due soon, in yellow).
pub const DUE_SOON_DAYS: i64 = 7;

/// Everything read from the database, reloaded when the change sequence moves.
pub struct Data {
    /// Every file, archived ones included, in roster order.
    pub roster: Vec<RosterRow>,
    pub queue: OverdueQueue,
    /// Overdue rows (not merely due soon) per child.
    pub overdue_by_child: HashMap<ChildId, usize>,
    pub me: Option<Staff>,
    /// Open one-off tasks due within [`DUE_SOON_DAYS`] or overdue, of the children one may
    /// record for.
    pub tasks: Vec<crate::domain::Task>,
    pub staff: Vec<Staff>,
    pub classes: Vec<String>,
    pub settings: crate::domain::Settings,
}

impl Data {
    /// The app is quitting (the terminal already given back): the roster of thousands is
    /// left to the process's end, which takes the memory back at once, instead of being freed
    /// file by file.
    pub fn leave_to_exit(&mut self) {
        std::mem::forget(std::mem::take(&mut self.roster));
    }

    pub fn load(service: &Service, rules: &Rules) -> Result<Data, ServiceError> {
        // One read of the children's summaries serves both.
        let (roster, queue) = service.roster_and_queue(rules, Some(DUE_SOON_DAYS), true)?;
        let soon = service.today() + chrono::Duration::days(DUE_SOON_DAYS);
        let tasks: Vec<crate::domain::Task> = service
            .open_tasks()?
            .into_iter()
            .filter(|t| t.due <= soon)
            .collect();
        let mut overdue_by_child: HashMap<ChildId, usize> = HashMap::new();
        for row in queue.rows.iter().filter(|r| r.days_overdue > 0) {
            *overdue_by_child.entry(row.child).or_default() += 1;
        }
        for task in tasks.iter().filter(|t| t.due < service.today()) {
            *overdue_by_child.entry(task.child).or_default() += 1;
        }
        let me = match service.actor() {
            Actor::Staff(s) => Some(s.clone()),
            _ => None,
        };
        // The classes in the roster's order, each once: a class's files come together, so
        // only a change of class is looked up in the set of those seen (a school has hundreds
        // of classes and thousands of files).
        let mut classes: Vec<String> = Vec::new();
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for r in roster.iter().filter(|r| r.child.is_active()) {
            if classes.last().map(String::as_str) != Some(r.child.class())
                && seen.insert(r.child.class())
            {
                classes.push(r.child.class().to_string());
            }
        }
        Ok(Data {
            roster,
            queue,
            tasks,
            staff: service.staff()?,
            overdue_by_child,
            me,
            classes,
            settings: service.settings()?,
        })
    }

    /// A staff member's name (the queue's assignee column).
    pub fn staff_name(&self, id: crate::domain::StaffId) -> Option<&str> {
        self.staff
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.as_str())
    }

    /// Whether the child is one of mine: a mentee, or in a class I teach.
    pub fn is_mine(&self, row: &RosterRow) -> bool {
        self.me.as_ref().is_some_and(|me| {
            row.child.mentor == Some(me.id) || me.classes.iter().any(|c| c == row.child.class())
        })
    }

    /// A child's name ("" if not on the roster).
    pub fn child_name(&self, id: ChildId) -> String {
        self.roster
            .iter()
            .find(|r| r.child.id == id)
            .map(|r| r.child.name().to_string())
            .unwrap_or_default()
    }

    /// Whether the user may read the audit log.
    pub fn is_admin(&self) -> bool {
        self.me
            .as_ref()
            .is_some_and(|s| s.has_role(crate::domain::Role::Admin))
    }

    /// Whether the action is this user's to run (the help, the hints and the palette show
    /// only those): the audit log is for administrators.
    pub fn may_run(&self, action: Action) -> bool {
        !matches!(action, Action::PaneAudit | Action::AuditChildOnly) || self.is_admin()
    }
}
