//! Importing a roster: each row sorted into a new file or an update of a file on record,
//! with every mistake of every row listed before anything is written.
//!
//! It reads only; the plan's commands are carried out by `Service::execute_all` in one
//! transaction. Reading the spreadsheet itself is `transfer`'s.

use std::collections::HashMap;

use super::Tx;
use super::children::with_roster_fields;
use super::command::{Applied, Command, Outcome};
use super::error::Field;
use super::identity::Access;
use super::validate::json;
use super::{Result, Service, ServiceError};
use crate::domain::{Child, ChildId, NewChild, normalize_name};
use crate::transfer::columns::{accepted_headers, column_for, normalize_header};
use crate::transfer::{Mapping, RowError, RowPlan};

/// An import sorted into new files and updates (with the line each came from).
#[derive(Debug, Clone, Default)]
pub struct ImportPlan {
    pub create: Vec<(usize, NewChild)>,
    pub update: Vec<(usize, Child, NewChild)>,
    /// Rows matching a file whose roster columns they would leave as they are: nothing to
    /// write (so a file changed meanwhile by another teacher is not set back either).
    pub unchanged: Vec<(usize, Child)>,
}

impl ImportPlan {
    /// The commands that carry the plan out, in one transaction.
    pub fn commands(self) -> Vec<Command> {
        let mut out: Vec<Command> = self
            .create
            .into_iter()
            .map(|(_, c)| Command::AddChild(Box::new(c)))
            .collect();
        out.extend(
            self.update
                .into_iter()
                .map(|(_, existing, file)| Command::UpdateChild {
                    child: existing.id,
                    version: existing.version,
                    file: Box::new(file),
                }),
        );
        out
    }
}

impl Service {
    /// The headers this school mapped to fields on earlier imports.
    pub fn import_mapping(&self) -> Result<Mapping> {
        let pairs = self.reader()?.import_columns()?;
        Ok(Mapping(
            pairs
                .into_iter()
                .filter_map(|(h, k)| column_for(&k).map(|c| (h, c.key)))
                .collect(),
        ))
    }

    /// Remembers headers mapped to fields (each checked to name a field), for the next
    /// import. Anyone who may import may do it; it is audited with the mapping before and
    /// after.
    pub(super) fn remember_import_columns(
        &self,
        tx: Tx,
        pairs: Vec<(String, String)>,
    ) -> Result<Applied> {
        let Tx { w, .. } = tx;
        let before = w.import_columns()?;
        for (header, key) in &pairs {
            let Some(column) = column_for(key) else {
                return Err(ServiceError::invalid_with(
                    Field::Column,
                    key,
                    &format!("以下字段之一: {}", accepted_headers()),
                    &format!("one of the fields: {}", accepted_headers()),
                ));
            };
            w.remember_import_column(&normalize_header(header), column.key)?;
        }
        let after = w.import_columns()?;
        Ok(Applied::new(
            Outcome::Remembered,
            "import_columns".into(),
            Some(json(&before)),
            Some(json(&after)),
        ))
    }

    /// Sorts imported rows into new files and updates of files already on record (same
    /// student number, or same name and birth date). A row matching a file is a mistake
    /// unless `update`. Reads only: the file is not touched.
    pub fn plan_import(
        &self,
        rows: Vec<RowPlan>,
        update: bool,
    ) -> Result<(ImportPlan, Vec<RowError>)> {
        let r = self.reader()?;
        let mut plan = ImportPlan::default();
        let mut errors = Vec::new();
        let mut matched: HashMap<ChildId, usize> = HashMap::new();
        let setting_up = self.setting_up_when_opened();
        // The files on record by identity number, read once when the roster carries numbers.
        let carries_ids = rows.iter().any(|r| {
            r.child
                .register
                .id_no
                .as_deref()
                .is_some_and(|i| !crate::domain::is_masked(i))
        });
        let mut by_id: HashMap<String, Child> = HashMap::new();
        if carries_ids {
            for c in r.all_children()? {
                if let Some(id) = c.register.id_no.clone() {
                    by_id.insert(id, c);
                }
            }
        }
        for row in rows {
            let at = |mut e: RowError| {
                e.sheet = row.sheet.clone();
                e
            };
            let same_name_and_birth = || -> Result<Option<Child>> {
                let mut same = None;
                for id in r.children_named(&normalize_name(&row.child.name))? {
                    if let Some(c) = r.child(id)?
                        && c.birth == row.child.birth
                    {
                        same = Some(c);
                    }
                }
                Ok(same)
            };
            // A student number decides; without one, the same name and birth date.
            let found = match &row.child.student_no {
                // A masked number (G4305**********1235, from an export without identity
                // numbers) names nobody: the name and birth date do.
                Some(no) if crate::domain::is_masked(no) => same_name_and_birth()?,
                Some(no) => match r.child_by_student_no(no)? {
                    Some(id) => r.child(id)?,
                    // A new number on a child already on file by name and birth date is
                    // most likely the same child (a number changed, or typed differently):
                    // refused naming both, unless `--update` makes it that child's.
                    None => match same_name_and_birth()? {
                        Some(existing) if !update => {
                            errors.push(at(RowError {
                                sheet: None,
                                line: row.line,
                                column: String::from("学号"),
                                value: no.clone(),
                                expected_zh: format!(
                                    "不是已在档学生的另一个学号: {} ({}, 出生 {}) 已在档, 学号 {}; 这一行很可能是同一个孩子。是同一个孩子就加 --update 更新他的档案; 不是就核对姓名和出生日期",
                                    existing.name,
                                    existing.class,
                                    existing.birth,
                                    existing.student_no.as_deref().unwrap_or("(无)")
                                ),
                                expected_en: format!(
                                    "not a second number for a child on file: {} ({}, born {}) is on file with student number {}; this row is most likely the same child. If so, add --update to update that file; if not, check the name and birth date",
                                    existing.name,
                                    existing.class,
                                    existing.birth,
                                    existing.student_no.as_deref().unwrap_or("(none)")
                                ),
                            }));
                            continue;
                        }
                        other => other,
                    },
                },
                None => same_name_and_birth()?,
            };
            // The identity number is the surest sign of who a row is.
            let by_number = row
                .child
                .register
                .id_no
                .as_ref()
                .and_then(|i| by_id.get(i))
                .cloned();
            let found = match (found, by_number) {
                (Some(f), Some(other)) if f.id != other.id => {
                    errors.push(at(RowError {
                        sheet: None,
                        line: row.line,
                        column: String::from("身份证号"),
                        value: crate::domain::mask_ids_in(
                            row.child.register.id_no.as_deref().unwrap_or(""),
                        )
                        .into_owned(),
                        expected_zh: format!(
                            "这一行是 {} ({}) 的档案, 但这个身份证号已属于 {} ({}); 请核对",
                            f.name, f.class, other.name, other.class
                        ),
                        expected_en: format!(
                            "this row is the file of {} ({}), but the ID number belongs to {} ({}); check it",
                            f.name, f.class, other.name, other.class
                        ),
                    }));
                    continue;
                }
                (None, Some(other)) if !update => {
                    errors.push(at(RowError {
                        sheet: None,
                        line: row.line,
                        column: String::from("身份证号"),
                        value: crate::domain::mask_ids_in(
                            row.child.register.id_no.as_deref().unwrap_or(""),
                        )
                        .into_owned(),
                        expected_zh: format!(
                            "不在档学生的身份证号: 已有 {} ({}, 学号 {}) 用这个号码; 是同一个孩子就加 --update 更新他的档案",
                            other.name,
                            other.class,
                            other.student_no.as_deref().unwrap_or("(无)")
                        ),
                        expected_en: format!(
                            "the ID number of a child not on file: {} ({}, student number {}) has it; if this is that child, add --update to update the file",
                            other.name,
                            other.class,
                            other.student_no.as_deref().unwrap_or("(none)")
                        ),
                    }));
                    continue;
                }
                (None, by_number) => by_number,
                (found, _) => found,
            };
            if let Some(existing) = &found
                && let Some(first) = matched.insert(existing.id, row.line)
            {
                errors.push(RowError {
                    sheet: row.sheet.clone(),
                    line: row.line,
                    column: String::from("学号/姓名"),
                    value: row
                        .child
                        .student_no
                        .clone()
                        .unwrap_or(row.child.name.clone()),
                    expected_zh: format!("不与第 {first} 行同为 {} 的档案", existing.name),
                    expected_en: format!("not the same file ({}) as line {first}", existing.name),
                });
                continue;
            }
            if let (Some(existing), false) = (&found, update) {
                errors.push(RowError {
                    sheet: row.sheet.clone(),
                    line: row.line,
                    column: row
                        .child
                        .student_no
                        .as_ref()
                        .map_or("姓名", |_| "学号")
                        .to_string(),
                    value: row
                        .child
                        .student_no
                        .clone()
                        .unwrap_or(row.child.name.clone()),
                    expected_zh: format!(
                        "不在档的学生 (已有 {} {} {}; 要更新已有档案请加 --update)",
                        existing.name,
                        existing.class,
                        existing.student_no.as_deref().unwrap_or("")
                    ),
                    expected_en: format!(
                        "a child not on file (already there: {} {} {}; add --update to update it)",
                        existing.name,
                        existing.class,
                        existing.student_no.as_deref().unwrap_or("")
                    ),
                });
                continue;
            }
            // The same checks the command will make, so that every mistake is listed now and
            // the database is opened for writing only for a file that will go in whole.
            let allowed = self
                .require(
                    setting_up,
                    Access::Manage,
                    &row.child.class,
                    None,
                    "open files outside your classes",
                )
                .and_then(|()| match &found {
                    Some(existing) => self.require(
                        setting_up,
                        Access::Manage,
                        &existing.class,
                        existing.mentor,
                        "change files of children not in your classes",
                    ),
                    None => Ok(()),
                });
            if let Err(e) = allowed {
                errors.push(at(row_error(row.line, &e)));
                continue;
            }
            match self.validate_child(&r, row.child.clone(), found.as_ref().map(|c| c.id)) {
                Ok(checked) => match found {
                    Some(existing) if with_roster_fields(&existing, checked) == existing => {
                        plan.unchanged.push((row.line, existing))
                    }
                    Some(existing) => plan.update.push((row.line, existing, row.child)),
                    None => plan.create.push((row.line, row.child)),
                },
                Err(e) => errors.push(at(row_error(row.line, &e))),
            }
        }
        Ok((plan, errors))
    }
}

/// A refusal of the service as a mistake on a line of an imported file.
fn row_error(line: usize, e: &ServiceError) -> RowError {
    let (column, value, zh, en) = match e {
        ServiceError::Invalid {
            field,
            value,
            expected_en,
            expected_zh,
        } => (
            field.label(crate::i18n::Lang::Zh),
            value.clone(),
            expected_zh.clone(),
            expected_en.clone(),
        ),
        ServiceError::DuplicateStudentNo { student_no, holder } => (
            String::from("学号"),
            student_no.clone(),
            format!("未被占用的学号 (已属于 {holder})"),
            format!("a student number nobody has (it belongs to {holder})"),
        ),
        other => (
            String::new(),
            String::new(),
            other.message(crate::i18n::Lang::Zh),
            other.message(crate::i18n::Lang::En),
        ),
    };
    RowError {
        sheet: None,
        line,
        column,
        value,
        expected_zh: zh,
        expected_en: en,
    }
}
