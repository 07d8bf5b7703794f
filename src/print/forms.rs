//! Each paper form built from what the service handed over: the schools' own forms (paper.md)
//! as pages of bordered grids and tables, in Chinese or English. Identity numbers are masked
//! on paper; a counselling entry is in the pack only when a counsellor asked for it; nothing
//! here reads the database or the clock.

use crate::domain::text::with_relation;
use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::PrintPack;
use super::{Cell, Form, Page, Piece, Sheets};
use crate::domain::{
    Child, Event, EventKind, Gender, LeftBehindType, ParentRelation, class_order, format_phone,
    mask_id,
};
use crate::i18n::Lang;

/// The pages of `form` for the children of `pack`, titled in `lang`.
pub fn build(form: Form, pack: &PrintPack, lang: Lang) -> Sheets {
    let title = lang.pick(form.zh(), form.en()).to_string();
    let pages = match form {
        Form::File => pack.children.iter().map(|c| file(c, pack, lang)).collect(),
        Form::Contacts => contacts(pack, lang),
        Form::Pairs => pairs(pack, lang),
        Form::Stats => vec![stats(pack, lang)],
        Form::Visits => entries(form, EventKind::HomeVisit, pack, lang),
        Form::Talks => entries(form, EventKind::Talk, pack, lang),
    };
    let pages = if pages.is_empty() {
        vec![Page {
            title: title.clone(),
            subtitle: subtitle(pack, None, lang),
            blocks: vec![Piece::Text(
                lang.pick(
                    "（本期没有可填入这张表的记录）",
                    "(nothing on record for this form in the period)",
                )
                .to_string(),
            )],
        }]
    } else {
        pages
    };
    Sheets {
        title: format!("{} · {title}", pack.school),
        pages,
    }
}

fn yes_no(b: bool, lang: Lang) -> String {
    lang.pick(if b { "是" } else { "否" }, if b { "yes" } else { "no" })
        .to_string()
}

/// A phone as printed: grouped for reading, its groups joined by no-break spaces so that a
/// narrow cell never splits a number across lines.
fn phone(p: &Option<String>) -> String {
    p.as_deref().map(paper_phone).unwrap_or_default()
}

fn paper_phone(p: &str) -> String {
    format_phone(p).replace(' ', "\u{a0}")
}

fn gender(g: Gender, lang: Lang) -> &'static str {
    lang.pick(
        g.zh(),
        match g {
            Gender::Male => "M",
            Gender::Female => "F",
        },
    )
}

fn kind_of(c: &Child, lang: Lang) -> &'static str {
    match (c.left_behind.kind, lang) {
        (LeftBehindType::BothParents, Lang::Zh) => "双亲外出",
        (LeftBehindType::OneParent, Lang::Zh) => "单亲外出",
        (LeftBehindType::BothParents, Lang::En) => "both parents away",
        (LeftBehindType::OneParent, Lang::En) => "one parent away",
    }
}

/// 学校 · 班级 · the period (of the entries a form shows).
fn subtitle(pack: &PrintPack, class: Option<&str>, lang: Lang) -> String {
    let mut parts = vec![holder(pack, class)];
    parts.push(match lang {
        Lang::Zh => format!("{} 至 {}", pack.from, pack.to),
        Lang::En => format!("{} to {}", pack.from, pack.to),
    });
    parts.join(" · ")
}

/// 学校 · 班级: the line under a form that shows no entries (cards, pairs, counts), which a
/// period would only confuse.
fn holder(pack: &PrintPack, class: Option<&str>) -> String {
    match class {
        Some(c) => format!("{} · {c}", pack.school),
        None => pack.school.clone(),
    }
}

/// Label, value, label, value.
fn pair(l1: &str, v1: impl Into<String>, l2: &str, v2: impl Into<String>) -> Vec<Cell> {
    vec![
        Cell::label(l1),
        Cell::value(v1),
        Cell::label(l2),
        Cell::value(v2),
    ]
}

/// A label over the three other columns.
fn wide(label: &str, value: impl Into<String>, lines: usize) -> Vec<Cell> {
    vec![Cell::label(label), Cell::value(value).span(3).lines(lines)]
}

/// 留守儿童档案: one page per child.
fn file(c: &Child, pack: &PrintPack, lang: Lang) -> Page {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let reg = &c.register;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut rows = vec![
        pair(
            l("姓名", "Name"),
            c.name.clone(),
            l("性别", "Gender"),
            gender(c.gender, lang),
        ),
        pair(
            l("出生日期", "Born"),
            c.birth.to_string(),
            l("民族", "Ethnicity"),
            opt(&reg.ethnicity),
        ),
        pair(
            l("班级", "Class"),
            c.class.clone(),
            l("学号", "Student no."),
            opt(&c.student_no),
        ),
        pair(
            l("身份证号", "ID number"),
            reg.id_no.as_deref().map(mask_id).unwrap_or_default(),
            l("寄宿", "Boarding"),
            yes_no(c.boarding, lang),
        ),
        pair(
            l("村", "Village"),
            opt(&c.village),
            l("住址", "Address"),
            opt(&c.address),
        ),
        pair(
            l("留守类型", "Left behind"),
            kind_of(c, lang),
            l("留守起始", "Since"),
            c.left_behind
                .since
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
        pair(
            l("重点帮扶", "Key support"),
            yes_no(c.support.key_support, lang),
            l("两免一补", "Poverty support"),
            yes_no(c.support.poverty_support, lang),
        ),
    ];
    for relation in [ParentRelation::Father, ParentRelation::Mother] {
        let p = c.parent(relation);
        let who = match relation {
            ParentRelation::Father => l("父亲", "Father"),
            ParentRelation::Mother => l("母亲", "Mother"),
        };
        let work = p.map_or(String::new(), |p| match (&p.workplace, p.away) {
            (Some(w), _) => w.clone(),
            (None, true) => l("外出", "away").to_string(),
            (None, false) => l("在家", "at home").to_string(),
        });
        rows.push(vec![
            Cell::label(who),
            Cell::value(p.map_or(String::new(), |p| p.name.clone())),
            Cell::label(l("务工地 / 电话", "Works at / phone")),
            Cell::value(
                [work, p.map_or(String::new(), |p| phone(&p.phone))]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        ]);
    }
    let g = c.guardian.as_ref();
    rows.push(pair(
        l("监护人", "Guardian"),
        g.map_or(String::new(), |g| g.name.clone()),
        l("关系", "Relation"),
        g.map_or(String::new(), |g| g.relation.clone()),
    ));
    rows.push(pair(
        l("监护人年龄", "Guardian's age"),
        g.and_then(|g| g.age)
            .map(|a| a.to_string())
            .unwrap_or_default(),
        l("监护人电话", "Guardian's phone"),
        g.map_or(String::new(), |g| phone(&g.phone)),
    ));
    let e = c.emergency_contacts.first();
    rows.push(pair(
        l("紧急联系人", "Emergency contact"),
        e.map_or(String::new(), |e| {
            with_relation(&e.name, &e.relation, ("（", "）"))
        }),
        l("电话", "Phone"),
        e.map_or(String::new(), |e| paper_phone(&e.phone)),
    ));
    let s = &c.situation;
    for (label, text) in [
        (l("学习情况", "Study"), &s.study),
        (l("生活情况", "Daily life"), &s.life),
        (l("心理情况", "Wellbeing"), &s.psychology),
        (l("安全情况", "Safety"), &s.safety),
        (l("健康情况", "Health"), &s.health),
    ] {
        rows.push(wide(label, text.clone(), 2));
    }
    rows.push(pair(
        l("帮扶教师", "Mentor"),
        c.mentor
            .map_or(String::new(), |m| pack.staff_name(m).to_string()),
        l("结对伙伴", "Buddies"),
        c.buddies.join("、"),
    ));
    let mut blocks = vec![Piece::Grid { columns: 4, rows }];
    let timeline = pack.timelines.get(&c.id).map_or(&[][..], Vec::as_slice);
    blocks.push(Piece::Table {
        caption: Some(match lang {
            Lang::Zh => format!("{} · {} · 本期关爱记录", c.name, c.class),
            Lang::En => format!("{} · {} · this period's care record", c.name, c.class),
        }),
        header: [
            l("日期", "Date"),
            l("类别", "Kind"),
            l("记录人", "By"),
            l("内容", "What"),
        ]
        .map(String::from)
        .to_vec(),
        rows: if timeline.is_empty() {
            vec![vec![
                String::new(),
                String::new(),
                String::new(),
                l("（无）", "(none)").into(),
            ]]
        } else {
            timeline
                .iter()
                .map(|e| {
                    vec![
                        e.date.to_string(),
                        lang.pick(e.kind.zh(), e.kind.en()).to_string(),
                        pack.staff_name(e.staff).to_string(),
                        e.summary.clone(),
                    ]
                })
                .collect()
        },
        total: false,
    });
    blocks.push(Piece::Signature(vec![match lang {
        Lang::Zh => "班主任签名：__________    日期：__________".into(),
        Lang::En => "Class teacher: __________    Date: __________".into(),
    }]));
    Page {
        title: lang.pick(Form::File.zh(), Form::File.en()).to_string(),
        subtitle: subtitle(pack, Some(&c.class), lang),
        blocks,
    }
}

/// 联系卡: four cards to a page, a cut line between them.
fn contacts(pack: &PrintPack, lang: Lang) -> Vec<Page> {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut pages = Vec::new();
    for chunk in pack.children.chunks(4) {
        let mut blocks = Vec::new();
        for (i, c) in chunk.iter().enumerate() {
            if i > 0 {
                blocks.push(Piece::CutLine);
            }
            let parent = |r: ParentRelation| {
                c.parent(r).map_or(String::new(), |p| {
                    let mut s = p.name.clone();
                    if let Some(w) = &p.workplace {
                        s.push_str(&format!("  {w}"));
                    }
                    let ph = phone(&p.phone);
                    if !ph.is_empty() {
                        s.push_str(&format!("  {ph}"));
                    }
                    s
                })
            };
            let g = c.guardian.as_ref();
            let teachers = pack.class_teachers(&c.class).join("、");
            blocks.push(Piece::Grid {
                columns: 4,
                rows: vec![
                    pair(
                        l("姓名", "Name"),
                        c.name.clone(),
                        l("班级", "Class"),
                        c.class.clone(),
                    ),
                    wide(l("父亲", "Father"), parent(ParentRelation::Father), 1),
                    wide(l("母亲", "Mother"), parent(ParentRelation::Mother), 1),
                    wide(
                        l("监护人", "Guardian"),
                        g.map_or(String::new(), |g| {
                            format!(
                                "{}  {}",
                                with_relation(&g.name, &g.relation, ("（", "）")),
                                phone(&g.phone)
                            )
                        }),
                        1,
                    ),
                    wide(
                        l("住址", "Address"),
                        c.address
                            .clone()
                            .or_else(|| c.village.clone())
                            .unwrap_or_default(),
                        1,
                    ),
                    pair(
                        l("班主任", "Class teacher"),
                        teachers,
                        l("帮扶教师", "Mentor"),
                        c.mentor
                            .map_or(String::new(), |m| pack.staff_name(m).to_string()),
                    ),
                ],
            });
        }
        pages.push(Page {
            title: lang
                .pick(Form::Contacts.zh(), Form::Contacts.en())
                .to_string(),
            subtitle: holder(pack, None),
            blocks,
        });
    }
    pages
}

/// The children by class, in school order.
fn by_class(pack: &PrintPack) -> BTreeMap<(u32, u32, String), Vec<&Child>> {
    let mut out: BTreeMap<(u32, u32, String), Vec<&Child>> = BTreeMap::new();
    for c in &pack.children {
        let (g, n, _) = class_order(&c.class);
        out.entry((g, n, c.class.clone())).or_default().push(c);
    }
    out
}

/// 结对登记: one page per class, a line per child with the mentor and buddies, and room for
/// the measures and the signatures.
fn pairs(pack: &PrintPack, lang: Lang) -> Vec<Page> {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    by_class(pack)
        .into_iter()
        .map(|((_, _, class), children)| {
            let rows = children
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    vec![
                        (i + 1).to_string(),
                        c.name.clone(),
                        c.mentor
                            .map_or(String::new(), |m| pack.staff_name(m).to_string()),
                        c.buddies.join("、"),
                        c.opened().map(|d| d.to_string()).unwrap_or_default(),
                        String::new(),
                        String::new(),
                    ]
                })
                .collect();
            Page {
                title: lang.pick(Form::Pairs.zh(), Form::Pairs.en()).to_string(),
                subtitle: holder(pack, Some(&class)),
                blocks: vec![
                    Piece::Table {
                        caption: None,
                        header: [
                            l("序号", "No."),
                            l("学生", "Child"),
                            l("帮扶教师", "Mentor"),
                            l("结对伙伴", "Buddies"),
                            l("结对时间", "Since"),
                            l("帮扶措施", "Measures"),
                            l("教师签名", "Signature"),
                        ]
                        .map(String::from)
                        .to_vec(),
                        rows,
                        total: false,
                    },
                    Piece::Signature(vec![match lang {
                        Lang::Zh => "班主任签名：__________    日期：__________".into(),
                        Lang::En => "Class teacher: __________    Date: __________".into(),
                    }]),
                ],
            }
        })
        .collect()
}

/// One line of counts: children, by type, gender, boarding, who cares for them, support.
fn counts(children: &[&Child]) -> [u32; 9] {
    let grand = |c: &Child| {
        c.guardian.as_ref().is_some_and(|g| {
            ["祖", "爷", "奶", "外公", "外婆", "姥"]
                .iter()
                .any(|w| g.relation.contains(w))
        })
    };
    let n = |f: &dyn Fn(&Child) -> bool| children.iter().filter(|c| f(c)).count() as u32;
    [
        children.len() as u32,
        n(&|c| c.left_behind.kind == LeftBehindType::BothParents),
        n(&|c| c.left_behind.kind == LeftBehindType::OneParent),
        n(&|c| c.gender == Gender::Male),
        n(&|c| c.gender == Gender::Female),
        n(&|c| c.boarding),
        n(&grand),
        n(&|c| c.guardian.is_some() && !grand(c)),
        n(&|c| c.support.key_support),
    ]
}

/// 统计表: a line per class (and per grade), with the 合计.
fn stats(pack: &PrintPack, lang: Lang) -> Page {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let header: Vec<String> = [
        l("班级", "Class"),
        l("人数", "Children"),
        l("双亲外出", "Both away"),
        l("单亲外出", "One away"),
        l("男", "Boys"),
        l("女", "Girls"),
        l("寄宿", "Boarding"),
        l("祖辈监护", "Grandparents"),
        l("其他监护", "Other guardian"),
        l("重点帮扶", "Key support"),
    ]
    .map(String::from)
    .to_vec();
    let row = |name: String, cs: &[&Child]| {
        let mut r = vec![name];
        r.extend(counts(cs).iter().map(u32::to_string));
        r
    };
    let classes = by_class(pack);
    let mut rows: Vec<Vec<String>> = classes
        .iter()
        .map(|((_, _, class), cs)| row(class.clone(), cs))
        .collect();
    let all: Vec<&Child> = pack.children.iter().collect();
    rows.push(row(l("合计", "Total").to_string(), &all));
    let mut grades: BTreeMap<u32, Vec<&Child>> = BTreeMap::new();
    for ((g, _, _), cs) in &classes {
        grades.entry(*g).or_default().extend(cs.iter().copied());
    }
    let mut grade_rows: Vec<Vec<String>> = grades
        .iter()
        .map(|(g, cs)| {
            const NUMERALS: [&str; 9] = ["一", "二", "三", "四", "五", "六", "七", "八", "九"];
            let name = match (lang, *g) {
                (Lang::Zh, g @ 1..=9) => format!("{}年级", NUMERALS[g as usize - 1]),
                (Lang::Zh, g @ 10..=12) => format!("高{}", NUMERALS[g as usize - 10]),
                (Lang::En, g @ 1..=12) => format!("Grade {g}"),
                _ => l("其他", "Other").to_string(),
            };
            row(name, cs)
        })
        .collect();
    grade_rows.push(row(l("合计", "Total").to_string(), &all));
    let mut grade_header = header.clone();
    grade_header[0] = l("年级", "Grade").to_string();
    Page {
        title: lang.pick(Form::Stats.zh(), Form::Stats.en()).to_string(),
        subtitle: holder(pack, None),
        blocks: vec![
            Piece::Table {
                caption: None,
                header,
                rows,
                total: true,
            },
            Piece::Table {
                caption: None,
                header: grade_header,
                rows: grade_rows,
                total: true,
            },
            Piece::Signature(vec![match lang {
                Lang::Zh => "填表人：__________    审核人：__________    日期：__________".into(),
                Lang::En => {
                    "Filled in by: __________    Checked by: __________    Date: __________".into()
                }
            }]),
        ],
    }
}

/// 家访记录表 and 谈心记录表: one form per entry of `kind` (a talk form also takes the
/// counselling sessions a counsellor asked for).
fn entries(form: Form, kind: EventKind, pack: &PrintPack, lang: Lang) -> Vec<Page> {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut pages = Vec::new();
    for c in &pack.children {
        let timeline = pack.timelines.get(&c.id).map_or(&[][..], Vec::as_slice);
        let wanted = |e: &&Event| {
            e.kind == kind || (kind == EventKind::Talk && e.kind == EventKind::Counseling)
        };
        for e in timeline.iter().filter(wanted) {
            pages.push(entry_page(form, c, e, pack, lang, l));
        }
    }
    pages
}

fn entry_page(
    form: Form,
    c: &Child,
    e: &Event,
    pack: &PrintPack,
    lang: Lang,
    l: impl Fn(&'static str, &'static str) -> &'static str,
) -> Page {
    let visit = form == Form::Visits;
    let counseling = e.kind == EventKind::Counseling;
    let place = if visit {
        c.address
            .clone()
            .or_else(|| c.village.clone())
            .unwrap_or_default()
    } else {
        String::new()
    };
    let rows = vec![
        pair(
            l("学生", "Child"),
            c.name.clone(),
            l("班级", "Class"),
            c.class.clone(),
        ),
        pair(
            l("日期", "Date"),
            e.date.to_string(),
            match (visit, counseling) {
                (true, _) => l("家访教师", "Teacher"),
                (false, true) => l("辅导教师", "Counsellor"),
                (false, false) => l("谈心教师", "Teacher"),
            },
            pack.staff_name(e.staff).to_string(),
        ),
        pair(
            l("地点", "Place"),
            place,
            l("在场人员", "Present"),
            e.present.join("、"),
        ),
        wide(
            match (visit, counseling) {
                (true, _) => l("家访内容", "What was discussed"),
                (false, true) => l("辅导内容", "The session"),
                (false, false) => l("谈心内容", "What was talked about"),
            },
            e.summary.clone(),
            8,
        ),
        wide(
            l("后续跟进", "Follow-up"),
            if e.follow_up {
                l("需要跟进", "needed").to_string()
            } else {
                String::new()
            },
            2,
        ),
    ];
    let foot = match (visit, lang) {
        (true, Lang::Zh) => "家长（监护人）签名：__________    教师签名：__________".to_string(),
        (false, Lang::Zh) => "教师签名：__________    日期：__________".to_string(),
        (true, Lang::En) => "Guardian: __________    Teacher: __________".to_string(),
        (false, Lang::En) => "Teacher: __________    Date: __________".to_string(),
    };
    // A counselling session is never filed as an ordinary talk: its own title, marked
    // confidential.
    let title = if counseling {
        l(
            "心理辅导记录表（保密）",
            "Counselling record (confidential)",
        )
        .to_string()
    } else {
        lang.pick(form.zh(), form.en()).to_string()
    };
    Page {
        title,
        subtitle: subtitle(pack, Some(&c.class), lang),
        blocks: vec![
            Piece::Grid { columns: 4, rows },
            Piece::Signature(vec![foot]),
        ],
    }
}

/// The period a print covers by default: the term `today` is in (or the last one).
pub fn default_period(
    settings: &crate::domain::Settings,
    today: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    crate::report::default_term(settings, today).map_or((today, today), |t| (t.start, t.end))
}
