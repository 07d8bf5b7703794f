use serde::{Deserialize, Serialize};

/// A staff member's id, assigned by the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct StaffId(pub u64);

/// What a staff member is responsible for. A person may hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Runs the system: staff, settings, everything (often the principal or the care group lead).
    Admin,
    /// The psychological counsellor (心理辅导室); the only role that reads counselling notes.
    Counselor,
    /// 班主任: responsible for the children of their classes.
    ClassTeacher,
    /// 帮扶教师: paired with individual children ("一助一").
    Mentor,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Counselor,
        Role::ClassTeacher,
        Role::Mentor,
    ];

    /// The name used on the command line and in files.
    pub fn key(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Counselor => "counselor",
            Role::ClassTeacher => "class-teacher",
            Role::Mentor => "mentor",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Counselor => "心理辅导",
            Role::ClassTeacher => "班主任",
            Role::Mentor => "帮扶教师",
        }
    }

    pub fn from_key(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == s || r.zh() == s)
    }
}

/// A teacher, counsellor or administrator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub id: StaffId,
    /// Incremented by every change, so that an edit based on an older version can be refused.
    pub version: u64,
    pub name: String,
    pub roles: Vec<Role>,
    /// Classes this person is class teacher of, e.g. `七(2)班`.
    pub classes: Vec<String>,
    /// The Unix account that identifies this person when they run guanai.
    pub unix_user: Option<String>,
    pub active: bool,
    /// The post as the school writes it (校长, 副校长, 德育主任, 心理健康教师 …): the work
    /// summary names the organisation with it.
    #[serde(default)]
    pub title: Option<String>,
}

impl Staff {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// This record seen as a [`StaffRef`] (what the queue's rules take).
    pub fn as_ref(&self) -> StaffRef<'_> {
        StaffRef {
            id: self.id,
            version: self.version,
            name: &self.name,
            roles: self.roles.iter().copied().collect(),
            classes: self.classes.iter().map(String::as_str).collect(),
            unix_user: self.unix_user.as_deref(),
            active: self.active,
            title: self.title.as_deref(),
        }
    }
}

/// A set of roles in one byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Roles(u8);

impl Roles {
    pub fn contains(self, role: Role) -> bool {
        self.0 & (1 << role as u8) != 0
    }
}

impl FromIterator<Role> for Roles {
    fn from_iter<I: IntoIterator<Item = Role>>(roles: I) -> Roles {
        Roles(roles.into_iter().fold(0, |bits, r| bits | 1 << r as u8))
    }
}

impl<'de> Deserialize<'de> for Roles {
    /// Read from the list of roles a [`Staff`] record holds.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Roles, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Roles;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of roles")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Roles, A::Error> {
                let mut bits = 0u8;
                while let Some(r) = seq.next_element::<Role>()? {
                    bits |= 1 << r as u8;
                }
                Ok(Roles(bits))
            }
        }
        d.deserialize_seq(Visit)
    }
}

/// A staff record read in place: its text borrowed from the stored bytes, its roles a bit
/// set. Reading the whole staff to find who is asking, or who teaches which class, then
/// copies nothing. Its fields are [`Staff`]'s, in the same order (that is how it decodes).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct StaffRef<'a> {
    pub id: StaffId,
    pub version: u64,
    pub name: &'a str,
    pub roles: Roles,
    #[serde(borrow)]
    pub classes: Vec<&'a str>,
    pub unix_user: Option<&'a str>,
    pub active: bool,
    #[serde(default)]
    pub title: Option<&'a str>,
}

impl StaffRef<'_> {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.contains(role)
    }
}

/// A staff member as entered, before the store gives it an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStaff {
    pub name: String,
    pub roles: Vec<Role>,
    pub classes: Vec<String>,
    pub unix_user: Option<String>,
    /// 校长, 德育主任 …
    #[serde(default)]
    pub title: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(roles: Vec<Role>, classes: &[&str], unix: Option<&str>, title: Option<&str>) -> Staff {
        Staff {
            id: StaffId(42),
            version: 7,
            name: "区玉梅".into(),
            roles,
            classes: classes.iter().map(|c| c.to_string()).collect(),
            unix_user: unix.map(str::to_string),
            active: false,
            title: title.map(str::to_string),
        }
    }

    /// A stored staff record read in place says what the whole record says.
    #[test]
    fn a_staff_record_read_in_place_is_the_record() {
        for s in [
            staff(vec![Role::Mentor, Role::Admin], &[], None, None),
            staff(
                vec![Role::ClassTeacher, Role::ClassTeacher],
                &["七(2)班", "八(1)班"],
                Some("quyumei"),
                Some("德育主任"),
            ),
            staff(vec![Role::Counselor], &["一(1)班"], Some("li"), None),
        ] {
            let bytes = postcard::to_stdvec(&s).unwrap();
            let seen: StaffRef<'_> = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(seen, s.as_ref());
            assert_eq!(
                (seen.id, seen.version, seen.name),
                (StaffId(42), 7, "区玉梅")
            );
            assert_eq!(
                seen.classes,
                s.classes.iter().map(String::as_str).collect::<Vec<_>>()
            );
            assert_eq!(seen.unix_user, s.unix_user.as_deref());
            assert_eq!(seen.title, s.title.as_deref());
            assert!(!seen.active);
            for r in Role::ALL {
                assert_eq!(seen.has_role(r), s.has_role(r), "{r:?} of {:?}", s.roles);
            }
        }
    }

    #[test]
    fn roles_hold_exactly_the_roles_put_in() {
        let none: Roles = [].into_iter().collect();
        let two: Roles = [Role::Counselor, Role::Mentor].into_iter().collect();
        assert!(Role::ALL.iter().all(|r| !none.contains(*r)));
        assert!(two.contains(Role::Counselor) && two.contains(Role::Mentor));
        assert!(!two.contains(Role::Admin) && !two.contains(Role::ClassTeacher));
    }
}
