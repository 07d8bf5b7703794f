//! The roster: every file the user may list, in class order, then student number. Two forms
//! of it: [`RosterRow`]s, whole summaries the app keeps and searches, and the [`RosterList`]
//! that `child list` prints, a few fields per file with their texts in one buffer (a school of
//! ten thousand is listed without copying ten thousand summaries).
//!
//! Reads only; student numbers are masked for whoever may not see ID numbers, as everywhere.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use super::texts::Texts;
use super::{Result, Service};
use crate::domain::{ChildId, ChildSummary, Gender, LeftBehindType, StaffId, Status, class_order};

/// One row of the roster: a file's summary with the names it refers to resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RosterRow {
    pub child: RosterChild,
    /// Shared by every row of the same mentor.
    #[serde(serialize_with = "shared_text")]
    pub mentor_name: Option<Arc<str>>,
}

fn shared_text<S: serde::Serializer>(
    text: &Option<Arc<str>>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    text.as_deref().serialize(s)
}

/// A file as the app's roster holds it: the summary's fields without its latest events, which
/// only the queue reads (they were more than half of each of ten thousand rows). Its texts
/// are kept one after the other in one allocation (five per row made a fifth of the app's
/// start), and read with [`name`](Self::name), [`class`](Self::class) and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterChild {
    pub id: ChildId,
    pub gender: Gender,
    pub birth: NaiveDate,
    pub left_behind: LeftBehindType,
    pub mentor: Option<StaffId>,
    pub key_support: bool,
    pub poverty_support: bool,
    pub boarding: bool,
    pub status: Status,
    /// Name, class, student number, village, guardian's name, one after the other.
    texts: Box<str>,
    /// Where each of them ends in `texts`.
    ends: [u32; 5],
    /// Which of the last three are there (bits 2, 3, 4).
    present: u8,
}

const NAME: usize = 0;
const CLASS: usize = 1;
const STUDENT_NO: usize = 2;
const VILLAGE: usize = 3;
const GUARDIAN: usize = 4;

impl RosterChild {
    /// The row of summary `c`, its student number as given (masked or not by the caller).
    fn new(c: &ChildSummary<&str>, student_no: Option<&str>) -> RosterChild {
        let parts = [
            Some(c.name),
            Some(c.class),
            student_no,
            c.village,
            c.guardian_name,
        ];
        let mut texts = String::with_capacity(parts.iter().flatten().map(|t| t.len()).sum());
        let mut ends = [0; 5];
        let mut present = 0;
        for (i, part) in parts.iter().enumerate() {
            if let Some(t) = part {
                texts.push_str(t);
                present |= 1 << i;
            }
            ends[i] = texts.len() as u32;
        }
        RosterChild {
            id: c.id,
            gender: c.gender,
            birth: c.birth,
            left_behind: c.left_behind,
            mentor: c.mentor,
            key_support: c.key_support,
            poverty_support: c.poverty_support,
            boarding: c.boarding,
            status: c.status.clone(),
            texts: texts.into_boxed_str(),
            ends,
            present,
        }
    }

    fn text(&self, i: usize) -> Option<&str> {
        if self.present & (1 << i) == 0 {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.texts.get(start as usize..self.ends[i] as usize)
    }

    pub fn name(&self) -> &str {
        self.text(NAME).unwrap_or_default()
    }

    pub fn class(&self) -> &str {
        self.text(CLASS).unwrap_or_default()
    }

    /// As this user may see it (masked for whoever may not see ID numbers).
    pub fn student_no(&self) -> Option<&str> {
        self.text(STUDENT_NO)
    }

    pub fn village(&self) -> Option<&str> {
        self.text(VILLAGE)
    }

    pub fn guardian_name(&self) -> Option<&str> {
        self.text(GUARDIAN)
    }

    pub fn is_active(&self) -> bool {
        matches!(self.status, Status::Active)
    }
}

impl Serialize for RosterChild {
    /// The fields by name, as a record of separate texts would give them.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("RosterChild", 14)?;
        out.serialize_field("id", &self.id)?;
        out.serialize_field("name", self.name())?;
        out.serialize_field("gender", &self.gender)?;
        out.serialize_field("birth", &self.birth)?;
        out.serialize_field("student_no", &self.student_no())?;
        out.serialize_field("class", self.class())?;
        out.serialize_field("village", &self.village())?;
        out.serialize_field("left_behind", &self.left_behind)?;
        out.serialize_field("mentor", &self.mentor)?;
        out.serialize_field("guardian_name", &self.guardian_name())?;
        out.serialize_field("key_support", &self.key_support)?;
        out.serialize_field("poverty_support", &self.poverty_support)?;
        out.serialize_field("boarding", &self.boarding)?;
        out.serialize_field("status", &self.status)?;
        out.end()
    }
}

/// A file as `child list` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListedChild<'l> {
    pub id: ChildId,
    pub student_no: Option<&'l str>,
    pub name: &'l str,
    pub gender: Gender,
    pub birth: NaiveDate,
    pub class: &'l str,
    pub left_behind: LeftBehindType,
    pub mentor_name: Option<&'l str>,
    pub village: Option<&'l str>,
    pub status: &'l Status,
}

/// A listed file, its texts kept in the list's buffer as (start, end).
#[derive(Debug, Clone)]
struct Listed {
    id: ChildId,
    birth: NaiveDate,
    gender: Gender,
    left_behind: LeftBehindType,
    mentor: Option<StaffId>,
    status: Status,
    name: (u32, u32),
    class: (u32, u32),
    student_no: Option<(u32, u32)>,
    village: Option<(u32, u32)>,
}

/// The roster as `child list` prints it: in order, the texts of all files in one buffer.
#[derive(Debug, Clone, Default)]
pub struct RosterList {
    rows: Vec<Listed>,
    texts: Texts,
    /// Staff names by id, for the mentors.
    staff: HashMap<StaffId, String>,
}

impl RosterList {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    fn text(&self, at: (u32, u32)) -> &str {
        self.texts.get(at)
    }

    /// The files in order.
    pub fn iter(&self) -> impl Iterator<Item = ListedChild<'_>> {
        self.rows.iter().map(|r| ListedChild {
            id: r.id,
            student_no: r.student_no.map(|at| self.text(at)),
            name: self.text(r.name),
            gender: r.gender,
            birth: r.birth,
            class: self.text(r.class),
            left_behind: r.left_behind,
            mentor_name: r
                .mentor
                .and_then(|m| self.staff.get(&m))
                .map(String::as_str),
            village: r.village.map(|at| self.text(at)),
            status: &r.status,
        })
    }

    /// Only the files of `class` (written the one way classes are written).
    pub fn retain_class(&mut self, class: &str) {
        let texts = &self.texts;
        self.rows.retain(|r| texts.get(r.class) == class);
    }
}

impl Service {
    /// The roster: active files (and archived ones when asked), ordered by class, then student
    /// number.
    pub fn roster(&self, include_archived: bool) -> Result<Vec<RosterRow>> {
        let r = self.reader()?;
        // Each name once, shared by the rows of its mentor.
        let mut staff: HashMap<StaffId, Arc<str>> = HashMap::new();
        r.for_each_staff(|s| {
            staff.insert(s.id, Arc::from(s.name));
            std::ops::ControlFlow::Continue(())
        })?;
        let mut rows = Vec::with_capacity(r.child_count()?.min(1 << 20) as usize);
        let mask = !self.may_see_ids();
        r.for_each_summary(|c| {
            if include_archived || c.is_active() {
                rows.push(roster_row(&c, mask));
            }
        })?;
        self.finish_roster(&mut rows, |m| staff.get(&m).cloned());
        Ok(rows)
    }

    /// The roster as `child list` prints it: the same files in the same order as
    /// [`roster`](Self::roster), with only what a line shows.
    pub fn roster_list(&self, include_archived: bool) -> Result<RosterList> {
        let r = self.reader()?;
        let mut list = RosterList {
            staff: r.staff_names()?,
            ..RosterList::default()
        };
        let mask = !self.may_see_ids();
        r.for_each_summary(|c| {
            if !(include_archived || c.is_active()) {
                return;
            }
            let student_no = c.student_no.map(|no| {
                if mask {
                    list.texts.keep(&crate::domain::mask_ids_in(no))
                } else {
                    list.texts.keep(no)
                }
            });
            let row = Listed {
                id: c.id,
                birth: c.birth,
                gender: c.gender,
                left_behind: c.left_behind,
                mentor: c.mentor,
                status: c.status,
                name: list.texts.keep(c.name),
                class: list.texts.keep_shared(c.class),
                student_no,
                village: c.village.map(|v| list.texts.keep(v)),
            };
            list.rows.push(row);
        })?;
        let order = {
            let text = |at: (u32, u32)| list.text(at);
            class_then_number(
                &list.rows,
                |r| text(r.class),
                |a, b| {
                    a.student_no
                        .map(text)
                        .cmp(&b.student_no.map(text))
                        .then(a.id.cmp(&b.id))
                },
            )
        };
        put_in_order(&mut list.rows, order);
        Ok(list)
    }

    /// The rows' mentors named, and the rows put in class then student-number order.
    pub(super) fn finish_roster(
        &self,
        rows: &mut [RosterRow],
        mentor_name: impl Fn(StaffId) -> Option<Arc<str>>,
    ) {
        for row in rows.iter_mut() {
            row.mentor_name = row.child.mentor.and_then(&mentor_name);
        }
        let order = class_then_number(
            rows,
            |r| r.child.class(),
            |a, b| {
                a.child
                    .student_no()
                    .cmp(&b.child.student_no())
                    .then(a.child.id.cmp(&b.child.id))
            },
        );
        put_in_order(rows, order);
    }
}

/// A file's row of the roster, its student number as this user may see it (`mask`: not in
/// full); the mentor is named after ([`Service::finish_roster`]).
pub(super) fn roster_row(c: &ChildSummary<&str>, mask: bool) -> RosterRow {
    let masked = match c.student_no {
        Some(no) if mask => Some(crate::domain::mask_ids_in(no)),
        _ => None,
    };
    RosterRow {
        child: RosterChild::new(c, masked.as_deref().or(c.student_no)),
        mentor_name: None,
    }
}

/// The order of `rows` by class (each class's place in the school worked out once per row,
/// not per comparison), then by the class's text, then by `rest` (student number, then id):
/// the row numbers in order, so that the rows, large or not, move once.
fn class_then_number<'r, T>(
    rows: &'r [T],
    class: impl Fn(&'r T) -> &'r str,
    rest: impl Fn(&'r T, &'r T) -> Ordering,
) -> Vec<usize> {
    // Files come class by class: a class's place is worked out when the class changes.
    let mut last: Option<(&str, (u32, u32))> = None;
    let places: Vec<(u32, u32)> = rows
        .iter()
        .map(|r| {
            let c = class(r);
            match last {
                Some((seen, place)) if seen == c => place,
                _ => {
                    let (grade, number, _) = class_order(c);
                    last = Some((c, (grade, number)));
                    (grade, number)
                }
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        places[a]
            .cmp(&places[b])
            .then_with(|| class(&rows[a]).cmp(class(&rows[b])))
            .then_with(|| rest(&rows[a], &rows[b]))
    });
    order
}

/// Moves row `order[k]` to place k, following each cycle of the permutation once: no second
/// copy of the rows.
fn put_in_order<T>(rows: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = std::mem::replace(&mut order[at], usize::MAX);
            if from == usize::MAX || from == start {
                break;
            }
            rows.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A roster row carries each field of the summary, the student number masked when asked.
    #[test]
    fn a_roster_row_is_the_summary_without_its_latest_events() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let summary = ChildSummary::<&str> {
            id: ChildId(7),
            name: "王小明",
            gender: Gender::Female,
            birth: day(2014, 5, 3),
            student_no: Some("430524201405030021"),
            class: "七(2)班",
            village: Some("石门村"),
            left_behind: LeftBehindType::OneParent,
            mentor: Some(StaffId(3)),
            guardian_name: Some("王奶奶"),
            key_support: true,
            poverty_support: false,
            boarding: true,
            status: Status::Archived(crate::domain::ArchiveReason::Graduated),
            opened: day(2025, 9, 1),
            surveyed: None,
            last: Default::default(),
        };
        let whole = roster_row(&summary, false).child;
        assert_eq!(
            (
                whole.id,
                whole.gender,
                whole.birth,
                whole.left_behind,
                whole.mentor
            ),
            (
                ChildId(7),
                Gender::Female,
                day(2014, 5, 3),
                LeftBehindType::OneParent,
                Some(StaffId(3))
            )
        );
        assert_eq!(
            (
                whole.name(),
                whole.class(),
                whole.student_no(),
                whole.village(),
                whole.guardian_name()
            ),
            (
                "王小明",
                "七(2)班",
                Some("430524201405030021"),
                Some("石门村"),
                Some("王奶奶")
            )
        );
        assert_eq!(
            (whole.key_support, whole.poverty_support, whole.boarding),
            (true, false, true)
        );
        assert_eq!(
            whole.status,
            Status::Archived(crate::domain::ArchiveReason::Graduated)
        );
        assert!(!whole.is_active());
        let masked = roster_row(&summary, true).child;
        assert_eq!(masked.student_no(), Some("4305**********0021"));
        assert_eq!(masked.name(), "王小明", "only the number is masked");

        // Absent texts stay absent, and an empty one is there and empty: the texts kept one
        // after the other do not run into each other.
        let sparse = ChildSummary::<&str> {
            student_no: None,
            village: Some(""),
            guardian_name: None,
            ..summary.clone()
        };
        let row = roster_row(&sparse, false).child;
        assert_eq!(
            (
                row.name(),
                row.class(),
                row.student_no(),
                row.village(),
                row.guardian_name()
            ),
            ("王小明", "七(2)班", None, Some(""), None)
        );
        // Serialised as a record of separate texts: every field by its name.
        let json = serde_json::to_value(&roster_row(&summary, false).child).unwrap();
        let mut keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = [
            "id",
            "name",
            "gender",
            "birth",
            "student_no",
            "class",
            "village",
            "left_behind",
            "mentor",
            "guardian_name",
            "key_support",
            "poverty_support",
            "boarding",
            "status",
        ];
        expected.sort_unstable();
        keys.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(
            (
                &json["name"],
                &json["class"],
                &json["student_no"],
                &json["village"],
                &json["guardian_name"]
            ),
            (
                &serde_json::json!("王小明"),
                &serde_json::json!("七(2)班"),
                &serde_json::json!("430524201405030021"),
                &serde_json::json!("石门村"),
                &serde_json::json!("王奶奶")
            )
        );
        let sparse_json = serde_json::to_value(&row).unwrap();
        assert_eq!(
            (
                &sparse_json["student_no"],
                &sparse_json["village"],
                &sparse_json["guardian_name"]
            ),
            (
                &serde_json::Value::Null,
                &serde_json::json!(""),
                &serde_json::Value::Null
            )
        );
    }

    #[test]
    fn rows_are_put_in_the_order_found() {
        for order in [
            vec![],
            vec![0],
            vec![1, 0],
            vec![2, 0, 1],
            vec![0, 1, 2, 3],
            vec![3, 2, 1, 0],
            vec![1, 2, 0, 4, 3],
            vec![4, 0, 3, 1, 2, 5],
        ] {
            let mut rows: Vec<usize> = (0..order.len()).map(|i| i * 10).collect();
            put_in_order(&mut rows, order.clone());
            let expected: Vec<usize> = order.iter().map(|i| i * 10).collect();
            assert_eq!(rows, expected, "order {order:?}");
        }
    }

    #[test]
    fn classes_go_by_grade_then_number_then_text_then_the_rest() {
        // Runs of one class (as files come) and a class met again later.
        let rows = [
            ("七(10)班", 1),
            ("七(10)班", 0),
            ("七(2)班", 3),
            ("一(1)班", 9),
            ("七(2)班", 2),
            ("七(2)班", 1),
            ("幼儿园大班", 0),
        ];
        let order = class_then_number(&rows, |r| r.0, |a, b| a.1.cmp(&b.1));
        let classes: Vec<(&str, i32)> = order.iter().map(|&i| rows[i]).collect();
        let (grade_one, _, _) = class_order("一(1)班");
        let (grade_seven, _, _) = class_order("七(2)班");
        assert!(grade_one < grade_seven);
        assert_eq!(
            &classes[..6],
            &[
                ("一(1)班", 9),
                ("七(2)班", 1),
                ("七(2)班", 2),
                ("七(2)班", 3),
                ("七(10)班", 0),
                ("七(10)班", 1)
            ][..]
        );
        assert_eq!(classes.len(), 7);
    }
}
