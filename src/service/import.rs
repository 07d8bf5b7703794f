//! Importing a roster: each row sorted into a new file or an update of a file on record,
//! with every mistake of every row listed before anything is written.
//!
//! It reads only; the plan's commands are carried out by `Service::execute_all` in one
//! transaction. Reading the spreadsheet itself is `transfer`'s.

use std::collections::HashMap;

use super::children::with_roster_fields;
use super::command::Command;
use super::identity::Access;
use super::{Result, Service, ServiceError};
use crate::domain::{Child, ChildId, NewChild, normalize_name};
use crate::transfer::{RowError, RowPlan};

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
        for row in rows {
            // A student number decides; without one, the same name and birth date.
            let found = match &row.child.student_no {
                Some(no) => match r.child_by_student_no(no)? {
                    Some(id) => r.child(id)?,
                    None => None,
                },
                None => {
                    let mut same = None;
                    for id in r.children_named(&normalize_name(&row.child.name))? {
                        if let Some(c) = r.child(id)?
                            && c.birth == row.child.birth
                        {
                            same = Some(c);
                        }
                    }
                    same
                }
            };
            if let Some(existing) = &found
                && let Some(first) = matched.insert(existing.id, row.line)
            {
                errors.push(RowError {
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
                errors.push(row_error(row.line, &e));
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
                Err(e) => errors.push(row_error(row.line, &e)),
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
        line,
        column,
        value,
        expected_zh: zh,
        expected_en: en,
    }
}
