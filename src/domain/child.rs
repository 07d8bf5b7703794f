use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::event::LastEvents;
use super::staff::StaffId;

/// A child's id, assigned by the store; stable for the life of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ChildId(pub u64);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn zh(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            Gender::Male => "m",
            Gender::Female => "f",
        }
    }
}

/// 双亲外出 (both parents away) or 单亲外出 (one parent away).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LeftBehindType {
    BothParents,
    OneParent,
}

impl LeftBehindType {
    pub fn zh(self) -> &'static str {
        match self {
            LeftBehindType::BothParents => "双亲外出",
            LeftBehindType::OneParent => "单亲外出",
        }
    }
    pub fn key(self) -> &'static str {
        match self {
            LeftBehindType::BothParents => "both",
            LeftBehindType::OneParent => "one",
        }
    }
}

/// Why and since when the child is left behind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftBehind {
    pub kind: LeftBehindType,
    #[serde(with = "crate::domain::day::opt")]
    pub since: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ParentRelation {
    Father,
    Mother,
}

impl ParentRelation {
    pub fn zh(self) -> &'static str {
        match self {
            ParentRelation::Father => "父亲",
            ParentRelation::Mother => "母亲",
        }
    }
}

/// A parent, usually working in a distant city (外出务工).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parent {
    pub relation: ParentRelation,
    pub name: String,
    /// Digits only (see `normalize_phone`).
    pub phone: Option<String>,
    /// Where they work: city, employer or address (外出务工去向).
    pub workplace: Option<String>,
    /// Whether this parent is away from home.
    pub away: bool,
}

/// The substitute guardian (代理家长 / 临时监护人), often a grandparent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guardian {
    pub name: String,
    /// As the school writes it: 祖母, 外公, 叔叔 ...
    pub relation: String,
    pub phone: Option<String>,
    pub age: Option<u8>,
    pub health: Option<String>,
    /// Can the guardian help with schoolwork?
    pub can_supervise_study: Option<bool>,
}

/// Someone to call in an emergency (应急机制): village cadre, neighbour, relative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub relation: String,
    pub phone: String,
}

/// The situation in five areas (学习、生活、心理、安全、健康), re-surveyed each school year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Situation {
    pub study: String,
    pub life: String,
    pub psychology: String,
    pub safety: String,
    pub health: String,
    /// When the five areas were last surveyed.
    #[serde(with = "crate::domain::day::opt")]
    pub surveyed: Option<NaiveDate>,
}

/// Support the child receives (两免一补, 济难救助, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Support {
    /// 重点帮扶对象.
    pub key_support: bool,
    /// 两免一补 / 济难救助 and similar poverty support.
    pub poverty_support: bool,
    /// Special needs, in the school's words; empty when none.
    pub special_needs: String,
}

/// What the civil-affairs register (农村留守儿童基本情况登记表) and a school's own forms
/// record beyond the roster's columns. Every field is the school's words, empty when not
/// known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Register {
    /// 公民身份号码, checked (`IdNumber`) before it is stored; shown masked to all but
    /// administrators, never logged.
    pub id_no: Option<String>,
    /// 民族.
    pub ethnicity: Option<String>,
    /// 户籍所在地.
    pub hukou: Option<String>,
    /// 身体情况 (健康, 残疾, 患病 …).
    pub health: Option<String>,
    /// 监护类型 (委托监护, 隔代监护 …).
    pub guardianship: Option<String>,
    /// 实际监护情况.
    pub care: Option<String>,
    /// 监护情况评估 (良好, 一般, 较差 …).
    pub assessment: Option<String>,
    /// 备注: the school's note on the file.
    pub remarks: Option<String>,
    /// Fields an imported roster did not carry (column keys such as `father_work`): shown as
    /// 未填 rather than as an answer (a parent without a workplace column is not 在家).
    pub unrecorded: Vec<String>,
}

impl Register {
    /// Whether `field` (a roster column key) was missing from the roster the file came from.
    pub fn unrecorded(&self, field: &str) -> bool {
        self.unrecorded.iter().any(|f| f == field)
    }
}

/// Why a file was archived: the child stopped being left-behind or left the school.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArchiveReason {
    ParentsReturned,
    Graduated,
    Transferred,
    Other(String),
}

impl ArchiveReason {
    /// Reads the reason as typed: a known word (English or Chinese) or free text.
    pub fn parse(text: &str) -> ArchiveReason {
        match text.trim() {
            "parents-returned" | "parents returned" | "父母返乡" | "父母回家" => {
                ArchiveReason::ParentsReturned
            }
            "graduated" | "毕业" => ArchiveReason::Graduated,
            "transferred" | "转学" => ArchiveReason::Transferred,
            other => ArchiveReason::Other(other.to_string()),
        }
    }

    pub fn en(&self) -> &str {
        match self {
            ArchiveReason::ParentsReturned => "parents returned",
            ArchiveReason::Graduated => "graduated",
            ArchiveReason::Transferred => "transferred",
            ArchiveReason::Other(text) => text,
        }
    }

    pub fn zh(&self) -> &str {
        match self {
            ArchiveReason::ParentsReturned => "父母返乡",
            ArchiveReason::Graduated => "毕业",
            ArchiveReason::Transferred => "转学",
            ArchiveReason::Other(text) => text,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Active,
    Archived(ArchiveReason),
}

/// One step of the file's history: files are archived and restored, never deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    #[serde(with = "crate::domain::day")]
    pub date: NaiveDate,
    pub status: Status,
}

/// The one file per child (一人一档).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    pub id: ChildId,
    /// Incremented by every change, so that an edit based on an older version can be refused.
    pub version: u64,
    pub name: String,
    pub gender: Gender,
    #[serde(with = "crate::domain::day")]
    pub birth: NaiveDate,
    /// 学号, unique in the school when present.
    pub student_no: Option<String>,
    /// e.g. `七(2)班`; the grade is part of it.
    pub class: String,
    pub village: Option<String>,
    pub address: Option<String>,
    pub boarding: bool,
    pub left_behind: LeftBehind,
    pub parents: Vec<Parent>,
    pub guardian: Option<Guardian>,
    pub emergency_contacts: Vec<Contact>,
    pub mentor: Option<StaffId>,
    /// 手拉手好朋友: classmates paired with the child.
    pub buddies: Vec<String>,
    pub situation: Situation,
    pub support: Support,
    /// The register's fields (身份证号, 民族, 户籍 …).
    #[serde(default)]
    pub register: Register,
    /// Oldest first; never empty; the last entry is the current status.
    pub status_history: Vec<StatusChange>,
}

impl Child {
    pub fn status(&self) -> &Status {
        self.status_history
            .last()
            .map(|c| &c.status)
            .unwrap_or(&Status::Active)
    }

    pub fn is_active(&self) -> bool {
        matches!(self.status(), Status::Active)
    }

    /// The day the file was opened (its first status entry).
    pub fn opened(&self) -> Option<NaiveDate> {
        self.status_history.first().map(|c| c.date)
    }

    pub fn parent(&self, relation: ParentRelation) -> Option<&Parent> {
        self.parents.iter().find(|p| p.relation == relation)
    }
}

/// The few fields of a file that lists and search need, kept beside the file so that a
/// roster of thousands is read without decoding every whole file. `S` is `String`, or `&str`
/// to read a summary in place without copying its text (the overdue queue does, for speed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildSummary<S = String> {
    pub id: ChildId,
    pub name: S,
    pub gender: Gender,
    #[serde(with = "crate::domain::day")]
    pub birth: NaiveDate,
    pub student_no: Option<S>,
    pub class: S,
    pub village: Option<S>,
    pub left_behind: LeftBehindType,
    pub mentor: Option<StaffId>,
    pub guardian_name: Option<S>,
    pub key_support: bool,
    pub poverty_support: bool,
    pub boarding: bool,
    pub status: Status,
    /// The day the file was opened: duties are owed from then on.
    #[serde(with = "crate::domain::day")]
    pub opened: NaiveDate,
    /// The last survey of the five areas (the annual re-survey duty).
    #[serde(with = "crate::domain::day::opt")]
    pub surveyed: Option<NaiveDate>,
    /// The latest event of every kind (the index the follow-up duties read).
    pub last: LastEvents,
}

impl<S> ChildSummary<S> {
    pub fn is_active(&self) -> bool {
        matches!(self.status, Status::Active)
    }
}

impl ChildSummary {
    /// The summary of `child`, with the last events known so far.
    pub fn of(child: &Child, last: LastEvents) -> ChildSummary {
        ChildSummary {
            id: child.id,
            name: child.name.clone(),
            gender: child.gender,
            birth: child.birth,
            student_no: child.student_no.clone(),
            class: child.class.clone(),
            village: child.village.clone(),
            left_behind: child.left_behind.kind,
            mentor: child.mentor,
            guardian_name: child.guardian.as_ref().map(|g| g.name.clone()),
            key_support: child.support.key_support,
            poverty_support: child.support.poverty_support,
            boarding: child.boarding,
            status: child.status().clone(),
            opened: child.opened().unwrap_or(child.birth),
            surveyed: child.situation.surveyed,
            last,
        }
    }
}

impl ChildSummary<&str> {
    /// A summary read in place, copied out of the store's page.
    pub fn to_owned_summary(&self) -> ChildSummary {
        ChildSummary {
            id: self.id,
            name: self.name.to_string(),
            gender: self.gender,
            birth: self.birth,
            student_no: self.student_no.map(str::to_string),
            class: self.class.to_string(),
            village: self.village.map(str::to_string),
            left_behind: self.left_behind,
            mentor: self.mentor,
            guardian_name: self.guardian_name.map(str::to_string),
            key_support: self.key_support,
            poverty_support: self.poverty_support,
            boarding: self.boarding,
            status: self.status.clone(),
            opened: self.opened,
            surveyed: self.surveyed,
            last: self.last,
        }
    }
}

/// What the term work summary needs of a file, kept beside it (as the roster summary is) so
/// that the summary of a school of thousands decodes no whole file: who the child is, their
/// class, guardian and support, and every step of the file's history (opened, archived,
/// restored).
///
/// `S` is the text: owned (`String`, as stored and checked) or borrowed from the stored bytes
/// (`&str`, as the summary reads ten thousand of them without a copy each).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFacts<S = String> {
    pub id: ChildId,
    pub name: S,
    pub class: S,
    #[serde(with = "crate::domain::day")]
    pub birth: NaiveDate,
    pub left_behind: LeftBehindType,
    pub mentor: Option<StaffId>,
    /// The guardian on file: name, phone and relation (祖母, 外公 …).
    pub guardian: Option<(S, Option<S>, S)>,
    pub key_support: bool,
    pub poverty_support: bool,
    pub boarding: bool,
    /// The last survey of the five areas (the annual re-survey duty).
    #[serde(with = "crate::domain::day::opt")]
    pub surveyed: Option<NaiveDate>,
    pub status_history: Vec<StatusChange>,
}

impl ReportFacts {
    pub fn of(child: &Child) -> ReportFacts {
        ReportFacts {
            id: child.id,
            name: child.name.clone(),
            class: child.class.clone(),
            birth: child.birth,
            left_behind: child.left_behind.kind,
            mentor: child.mentor,
            guardian: child
                .guardian
                .as_ref()
                .map(|g| (g.name.clone(), g.phone.clone(), g.relation.clone())),
            key_support: child.support.key_support,
            poverty_support: child.support.poverty_support,
            boarding: child.boarding,
            surveyed: child.situation.surveyed,
            status_history: child.status_history.clone(),
        }
    }
}

impl<S> ReportFacts<S> {
    /// The day the file was opened (its first status entry).
    pub fn opened(&self) -> Option<NaiveDate> {
        self.status_history.first().map(|c| c.date)
    }
}

/// A child's file as entered, before the store gives it an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewChild {
    pub name: String,
    pub gender: Gender,
    #[serde(with = "crate::domain::day")]
    pub birth: NaiveDate,
    pub student_no: Option<String>,
    pub class: String,
    pub village: Option<String>,
    pub address: Option<String>,
    pub boarding: bool,
    pub left_behind: LeftBehind,
    pub parents: Vec<Parent>,
    pub guardian: Option<Guardian>,
    pub emergency_contacts: Vec<Contact>,
    pub mentor: Option<StaffId>,
    pub buddies: Vec<String>,
    pub situation: Situation,
    pub support: Support,
    #[serde(default)]
    pub register: Register,
    /// When the school opened the file (建档); default: today. Duties are owed from then on,
    /// so a file entered from an older paper record keeps its real date.
    #[serde(with = "crate::domain::day::opt")]
    pub opened: Option<NaiveDate>,
}

impl NewChild {
    /// A minimal file: the fields every school has on its roster.
    pub fn basic(name: &str, gender: Gender, birth: NaiveDate, class: &str) -> NewChild {
        NewChild {
            name: name.to_string(),
            gender,
            birth,
            student_no: None,
            class: class.to_string(),
            village: None,
            address: None,
            boarding: false,
            left_behind: LeftBehind {
                kind: LeftBehindType::BothParents,
                since: None,
            },
            parents: Vec::new(),
            guardian: None,
            emergency_contacts: Vec::new(),
            mentor: None,
            buddies: Vec::new(),
            situation: Situation::default(),
            support: Support::default(),
            register: Register::default(),
            opened: None,
        }
    }

    /// The stored file, opened on its `opened` day or else on `today`.
    pub fn into_child(self, id: ChildId, today: NaiveDate) -> Child {
        let opened = self.opened.unwrap_or(today);
        Child {
            id,
            version: 1,
            name: self.name,
            gender: self.gender,
            birth: self.birth,
            student_no: self.student_no,
            class: self.class,
            village: self.village,
            address: self.address,
            boarding: self.boarding,
            left_behind: self.left_behind,
            parents: self.parents,
            guardian: self.guardian,
            emergency_contacts: self.emergency_contacts,
            mentor: self.mentor,
            buddies: self.buddies,
            situation: self.situation,
            support: self.support,
            register: self.register,
            status_history: vec![StatusChange {
                date: opened,
                status: Status::Active,
            }],
        }
    }
}
