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
