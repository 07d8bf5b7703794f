//! Who is asking and what they may do: the identity a front end vouches for, the actor it
//! becomes once checked against the staff list, and the access a role gives to a child's
//! file (read the basic file, record, manage).
//!
//! It decides rights only; it does not open files, change records or word messages beyond
//! naming what was refused.

use super::{Field, Result, Service, ServiceError};
use crate::domain::{Child, Role, Staff, StaffId};
use crate::store::Reader;

/// Who is asking, before it is checked against the staff list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// A staff member by name whom the caller has already vouched for (tests, the demo app).
    Staff(String),
    /// The Unix account running the program (SSH has authenticated it).
    Unix(String),
    /// `--user NAME` typed by whoever runs the program: believed only for an administrator,
    /// for that staff member's own Unix account, on a file the Unix user owns alone, or while
    /// the school has no administrator.
    Claimed {
        name: String,
        unix_user: Option<String>,
        owns_file_alone: bool,
    },
    /// Nothing known (no `--user`, and the Unix account could not be read).
    Unknown,
}

/// The checked identity of the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// The school has no administrator yet: anyone may set it up.
    Bootstrap,
    Staff(Staff),
}

impl Actor {
    /// The staff member's id; `None` while the school is being set up.
    pub fn staff_id(&self) -> Option<StaffId> {
        match self {
            Actor::Bootstrap => None,
            Actor::Staff(s) => Some(s.id),
        }
    }

    /// Bootstrap holds no role: it may set the school up, not read restricted notes.
    pub(super) fn has_role(&self, role: Role) -> bool {
        match self {
            Actor::Bootstrap => false,
            Actor::Staff(s) => s.has_role(role),
        }
    }

    /// The user as messages name them: the staff member, or the school's setup.
    pub fn name(&self) -> String {
        match self {
            Actor::Bootstrap => String::from("(setup)"),
            Actor::Staff(s) => s.name.clone(),
        }
    }
}

/// What a user may do for a child, least first: admins and counsellors manage every file,
/// class teachers the files of their classes, mentors record for their mentees; everyone
/// reads every child's basic file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Access {
    /// The basic file: name, class, student number, village, mentor, status.
    Read,
    /// The whole file and timeline, and recording events and tasks.
    Record,
    /// Opening, changing, surveying and archiving the file.
    Manage,
}

impl Service {
    /// What the user may do for a child of `class` whose mentor is `mentor`.
    pub(super) fn access(&self, setting_up: bool, class: &str, mentor: Option<StaffId>) -> Access {
        match &self.actor {
            _ if setting_up => Access::Manage,
            Actor::Bootstrap => Access::Read,
            Actor::Staff(s) if s.has_role(Role::Admin) || s.has_role(Role::Counselor) => {
                Access::Manage
            }
            Actor::Staff(s)
                if s.has_role(Role::ClassTeacher) && s.classes.iter().any(|c| c == class) =>
            {
                Access::Manage
            }
            Actor::Staff(s) if mentor == Some(s.id) => Access::Record,
            Actor::Staff(_) => Access::Read,
        }
    }

    /// Refuses unless the user has at least `needed` for the child.
    pub(super) fn require(
        &self,
        setting_up: bool,
        needed: Access,
        class: &str,
        mentor: Option<StaffId>,
        what: &'static str,
    ) -> Result<()> {
        if self.access(setting_up, class, mentor) >= needed {
            Ok(())
        } else {
            Err(ServiceError::NotPermitted {
                who: self.actor.name(),
                what,
            })
        }
    }

    /// Every file at once is for administrators and counsellors (and the school's setup).
    pub(super) fn require_whole_school(&self, what: &'static str) -> Result<()> {
        if self.setting_up_when_opened()
            || self.actor.has_role(Role::Admin)
            || self.actor.has_role(Role::Counselor)
        {
            Ok(())
        } else {
            Err(ServiceError::NotPermitted {
                who: self.actor.name(),
                what,
            })
        }
    }

    /// Whether the user sees identity numbers whole (administrators, and the school's setup).
    pub fn may_see_ids(&self) -> bool {
        self.setting_up_when_opened() || self.actor.has_role(Role::Admin)
    }

    /// Whether the user may read the whole file and timeline of a child (not only its basic
    /// file).
    pub fn may_read(&self, child: &Child) -> Result<bool> {
        Ok(
            self.access(self.setting_up_when_opened(), &child.class, child.mentor)
                >= Access::Record,
        )
    }

    /// For queries: the session sets the school up if it found no administrator when it
    /// opened the file (or created the first one). Decided once, without reading the staff
    /// again on every query; commands judge it again inside their transaction.
    pub(super) fn setting_up_when_opened(&self) -> bool {
        matches!(self.actor, Actor::Bootstrap)
    }

    /// Staff and settings are the administrator's. While the school has no administrator
    /// (`setting_up`), anyone may set it up, the first administrator included.
    pub(super) fn require_admin(&self, setting_up: bool, what: &'static str) -> Result<()> {
        if setting_up || self.actor.has_role(Role::Admin) {
            return Ok(());
        }
        Err(ServiceError::NotPermitted {
            who: self.actor.name(),
            what,
        })
    }
}

pub(super) fn resolve_actor(r: &Reader, identity: &Identity) -> Result<Actor> {
    // One pass over the staff read in place; only the one found is copied out.
    let (name, unix) = match identity {
        Identity::Staff(name) => (Some(name.as_str()), None),
        Identity::Unix(user) => (None, Some(user.as_str())),
        Identity::Claimed {
            name, unix_user, ..
        } => (Some(name.as_str()), unix_user.as_deref()),
        Identity::Unknown => (None, None),
    };
    let mut has_admin = false;
    let mut named = None;
    let mut unix_match: Option<(StaffId, bool)> = None;
    r.for_each_staff(|s| {
        has_admin |= s.has_role(Role::Admin);
        if named.is_none() && name == Some(s.name) {
            named = Some(s.id);
        }
        if unix_match.is_none() && unix.is_some() && s.unix_user == unix {
            unix_match = Some((s.id, s.has_role(Role::Admin)));
        }
        std::ops::ControlFlow::Continue(())
    })?;
    let whole = |id: StaffId| -> Result<Staff> {
        r.staff(id)?.ok_or_else(|| {
            ServiceError::Store(crate::store::StoreError::Db(redb::Error::Corrupted(
                format!("staff {} is listed but cannot be read", id.0),
            )))
        })
    };
    let unknown_name = |name: &str| -> Result<ServiceError> {
        Ok(ServiceError::UnknownStaff {
            field: Field::User,
            name: name.to_string(),
            known: r.all_staff()?.into_iter().map(|s| s.name).collect(),
        })
    };
    match identity {
        Identity::Staff(name) => match named {
            Some(id) => Ok(Actor::Staff(whole(id)?)),
            None if !has_admin => Ok(Actor::Bootstrap),
            None => Err(unknown_name(name)?),
        },
        Identity::Unix(user) => match unix_match {
            Some((id, _)) => Ok(Actor::Staff(whole(id)?)),
            None if !has_admin => Ok(Actor::Bootstrap),
            None => Err(ServiceError::UnknownUser {
                unix_user: user.clone(),
            }),
        },
        Identity::Claimed {
            name,
            unix_user,
            owns_file_alone,
        } => {
            let Some(claimed) = named else {
                return if has_admin {
                    Err(unknown_name(name)?)
                } else {
                    Ok(Actor::Bootstrap)
                };
            };
            let allowed = *owns_file_alone
                || !has_admin
                || unix_match.is_some_and(|(me, admin)| me == claimed || admin);
            if allowed {
                Ok(Actor::Staff(whole(claimed)?))
            } else {
                Err(ServiceError::NotPermitted {
                    who: unix_user.clone().unwrap_or_else(|| String::from("?")),
                    what: "act as another staff member with --user",
                })
            }
        }
        Identity::Unknown if !has_admin => Ok(Actor::Bootstrap),
        Identity::Unknown => Err(ServiceError::UnknownUser {
            unix_user: String::from("?"),
        }),
    }
}
