//! The family columns of a roster row: the parents (by their own columns or by one
//! 父母/监护人 column saying who they are), the guardian and the emergency contact, each
//! checked as the rest of the row is (see [`Row`](super::Row)).

use super::*;

impl Row<'_> {
    pub(super) fn parents(&mut self) -> Vec<Parent> {
        let mut parents = Vec::new();
        for (relation, n, p, w) in [
            (
                ParentRelation::Father,
                "father",
                "father_phone",
                "father_work",
            ),
            (
                ParentRelation::Mother,
                "mother",
                "mother_phone",
                "mother_work",
            ),
        ] {
            let pname = self.text(n, NAME_MAX);
            let pphone = self.phone(p);
            let pwork = self.text(w, TEXT_MAX);
            match pname {
                Some(pname) => parents.push(Parent {
                    relation,
                    name: pname,
                    phone: pphone,
                    away: pwork.is_some(),
                    workplace: pwork,
                }),
                None if pphone.is_some() || pwork.is_some() => {
                    // The register gives a workplace without a name: the parent is away.
                    if pphone.is_none() {
                        parents.push(Parent {
                            relation,
                            name: String::new(),
                            phone: None,
                            away: true,
                            workplace: pwork,
                        });
                    } else {
                        self.refuse(
                            n,
                            "",
                            "有电话或务工地时需要姓名",
                            "a name, since a phone or workplace is given",
                        );
                    }
                }
                None => {}
            }
        }
        parents
    }

    pub(super) fn guardian(&mut self) -> Option<Guardian> {
        let gname = self.text("guardian", NAME_MAX);
        let grel = self.text("guardian_relation", NAME_MAX);
        let gphone = self.phone("guardian_phone");
        let gage = self.text("guardian_age", NAME_MAX);
        let ghealth = self.text("guardian_health", TEXT_MAX);
        let age = match gage {
            Some(a) => match age(&a) {
                Some(n) => Some(n),
                None => {
                    self.refuse(
                        "guardian_age",
                        &a,
                        "年龄, 10 到 120 之间的数字, 如 65 或 65岁",
                        "an age from 10 to 120, e.g. 65 or 65岁",
                    );
                    None
                }
            },
            None => None,
        };
        match gname {
            Some(name) => Some(Guardian {
                name,
                relation: grel.unwrap_or_default(),
                phone: gphone,
                age,
                health: ghealth,
                can_supervise_study: None,
            }),
            None if grel.is_some() || gphone.is_some() => {
                self.refuse(
                    "guardian",
                    "",
                    "有监护人电话或关系时需要监护人姓名",
                    "the guardian's name, since a relation or phone is given",
                );
                None
            }
            None => None,
        }
    }

    /// A school form's 家长姓名 / 称谓 / 家长务工单位 / 家长电话: the father or mother by the
    /// 称谓, anyone else the guardian (when the row names none).
    pub(super) fn parent_by_title(
        &mut self,
        parents: &mut Vec<Parent>,
        guardian: &mut Option<Guardian>,
    ) {
        if !self.has("parent_relation") && !self.has("parent") {
            // A lone 联系电话 beside a guardian is the guardian's; beside nobody, whose it is
            // cannot be told.
            if let Some(phone) = self.phone("parent_phone") {
                match guardian {
                    Some(g) if g.phone.is_none() => g.phone = Some(phone),
                    _ => self.refuse(
                        "parent_phone",
                        &phone,
                        "能看出是谁的电话: 请把列名改成 父亲电话、母亲电话 或 监护人电话, 或导入时加 --map '联系电话=监护人电话'",
                        "a phone whose owner can be told: name the column 父亲电话, 母亲电话 or 监护人电话, or import with --map '联系电话=guardian_phone'",
                    ),
                }
            }
            return;
        }
        let name = self.text("parent", NAME_MAX);
        let title = self.text("parent_relation", NAME_MAX);
        let phone = self.phone("parent_phone");
        let work = self.text("parent_work", TEXT_MAX);
        if name.is_none() && phone.is_none() && work.is_none() {
            return;
        }
        match title.as_deref().map(parent_word) {
            Some(Some(relation)) => {
                parents.retain(|p| p.relation != relation);
                parents.push(Parent {
                    relation,
                    name: name.unwrap_or_default(),
                    phone,
                    away: work.is_some(),
                    workplace: work,
                });
            }
            Some(None) if guardian.is_none() => {
                if let Some(name) = name {
                    *guardian = Some(Guardian {
                        name,
                        relation: title.unwrap_or_default(),
                        phone,
                        age: None,
                        health: None,
                        can_supervise_study: None,
                    });
                }
            }
            Some(None) => {}
            None => self.refuse(
                "parent_relation",
                "",
                "家长的称谓: 父亲、母亲 (或 爷爷、外婆 等监护人)",
                "the parent's title: 父亲 or 母亲 (or a guardian's, such as 爷爷)",
            ),
        }
    }

    /// The first emergency contact (联系卡): a name and a phone, or neither.
    pub(super) fn emergency(&mut self) -> Option<Contact> {
        let ename = self.text("emergency", NAME_MAX);
        let erel = self.text("emergency_relation", NAME_MAX);
        let ephone = self.phone("emergency_phone");
        match (ename, ephone) {
            (Some(name), Some(phone)) => Some(Contact {
                name,
                relation: erel.unwrap_or_default(),
                phone,
            }),
            (None, None) if erel.is_none() => None,
            (name, _) => {
                let (column, zh, en) = if name.is_none() {
                    (
                        "emergency",
                        "有紧急联系人电话或关系时需要姓名",
                        "the emergency contact's name, since a relation or phone is given",
                    )
                } else {
                    (
                        "emergency_phone",
                        "紧急联系人需要电话",
                        "the emergency contact's phone",
                    )
                };
                self.refuse(column, "", zh, en);
                None
            }
        }
    }
}
