//! `guanai child add|list|show|archive`.

use crate::domain::text::with_relation;
use std::io::Write;

use clap::{Args, Subcommand};
use serde::Serialize;

use super::{CliError, Context, Format, Result, bad, output};
use crate::domain::{
    ArchiveReason, Child, Gender, Guardian, LeftBehind, LeftBehindType, NewChild, Parent,
    ParentRelation, Status, Support, format_phone, parse_gender, parse_left_behind_type,
};
use crate::i18n::Lang;
use crate::service::{Command, Field, ListedChild, Outcome, Service};

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ChildCmd {
    /// Open a child's file.
    #[command(after_help = "Examples:
  guanai child add --name 张小珠 --gender f --birth 2014-05-03 --class 七(2)班 --student-no 20240701 \\
      --type both --since 2019-03-01 --mentor 王丽华 --village 青山村 --boarding \\
      --father 张大山 --father-phone '139 0000 0001' --father-work 广州电子厂 \\
      --guardian 李秀英 --guardian-relation 祖母 --guardian-phone 13800000001")]
    Add(Box<AddArgs>),
    /// The roster: one line per active child (add --archived for archived files too).
    List {
        /// Output: table (aligned columns), tsv (for spreadsheets and scripts) or json.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Include archived files, with their status (--all says the same). Example: guanai
        /// child list --archived
        #[arg(long, visible_alias = "all")]
        archived: bool,
        /// Only this class, however it is written (六年级1班 is 六(1)班); 未分班 lists the
        /// children an import brought in without a class. Example: --class 六(1)班
        #[arg(long)]
        class: Option<String>,
    },
    /// A child's whole file. REF is a student number or the exact name.
    #[command(after_help = "Examples:\n  guanai child show 20240701\n  guanai child show 张小珠")]
    Show {
        /// The child: student number (学号) or exact full name. Example: 20240701
        #[arg(value_name = "REF")]
        child: String,
        /// Output: table (aligned columns), tsv (for spreadsheets and scripts) or json.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Record the yearly survey of the five areas (学习、生活、心理、安全、健康); areas not
    /// given keep what the file says.
    #[command(
        after_help = "Example:\n  guanai child survey 张小珠 --study 数学偏弱 --psychology 情绪稳定 --date 2026-09-15"
    )]
    Survey {
        /// The child: student number (学号) or exact full name. Example: 20240701
        #[arg(value_name = "REF")]
        child: String,
        /// When it was surveyed. Default: today. Example: --date 2026-09-15
        #[arg(long, default_value = "today", allow_hyphen_values = true)]
        date: String,
        /// Study (学习). Example: --study 数学偏弱, 需辅导
        #[arg(long)]
        study: Option<String>,
        /// Life (生活). Example: --life 由奶奶照料
        #[arg(long)]
        life: Option<String>,
        /// Psychology (心理). Example: --psychology 内向, 需多关注
        #[arg(long)]
        psychology: Option<String>,
        /// Safety (安全). Example: --safety 已进行安全教育
        #[arg(long)]
        safety: Option<String>,
        /// Health (健康). Example: --health 健康
        #[arg(long)]
        health: Option<String>,
    },
    /// Archive a file (parents came home, graduated, transferred). Files are never deleted.
    #[command(
        after_help = "Examples:\n  guanai child archive 张小珠 --reason 父母返乡\n  guanai child archive 20240701 --reason transferred --date 11-20"
    )]
    Archive {
        /// The child: student number (学号) or exact full name. Example: 20240701
        #[arg(value_name = "REF")]
        child: String,
        /// Why: parents-returned (父母返乡), graduated (毕业), transferred (转学), or free text.
        /// Example: --reason 父母返乡
        #[arg(long)]
        reason: String,
        /// Since when (not before the file was opened). Default: today. Example: --date 11-20
        #[arg(long, default_value = "today", allow_hyphen_values = true)]
        date: String,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Full name. Example: --name 张小珠
    #[arg(long)]
    pub name: String,
    /// m or f (男 or 女). Example: --gender f
    #[arg(long)]
    pub gender: String,
    /// Birth date. Example: --birth 2014-05-03
    #[arg(long)]
    pub birth: String,
    /// Class. Example: --class 七(2)班
    #[arg(long)]
    pub class: String,
    /// Student number (学号), unique. Example: --student-no 20240701
    #[arg(long)]
    pub student_no: Option<String>,
    /// Left-behind type: both (双亲外出) or one (单亲外出).
    #[arg(long = "type", default_value = "both")]
    pub kind: String,
    /// Left behind since. Example: --since 2019-03-01
    #[arg(long)]
    pub since: Option<String>,
    /// When the school opened the file (建档), if before today: duties are owed from then on.
    /// Example: --opened 2025-09-01
    #[arg(long)]
    pub opened: Option<String>,
    /// Mentor teacher (帮扶教师), by staff name. Example: --mentor 王丽华
    #[arg(long)]
    pub mentor: Option<String>,
    /// Village. Example: --village 青山村
    #[arg(long)]
    pub village: Option<String>,
    /// Home address. Example: --address 青山村3组
    #[arg(long)]
    pub address: Option<String>,
    /// Boards at school (寄宿). Example: --boarding
    #[arg(long)]
    pub boarding: bool,
    /// Key-support child (重点帮扶对象). Example: --key-support
    #[arg(long)]
    pub key_support: bool,
    /// Receives poverty support (两免一补, 济难救助). Example: --poverty-support
    #[arg(long)]
    pub poverty_support: bool,
    /// Special needs, in words. Example: --special-needs 听力较弱, 安排前排
    #[arg(long)]
    pub special_needs: Option<String>,
    /// Father's name. Example: --father 张大山
    #[arg(long)]
    pub father: Option<String>,
    /// Father's phone. Example: --father-phone '139 0000 0001'
    #[arg(long)]
    pub father_phone: Option<String>,
    /// Where the father works. Example: --father-work 广州电子厂
    #[arg(long)]
    pub father_work: Option<String>,
    /// Mother's name. Example: --mother 李春花
    #[arg(long)]
    pub mother: Option<String>,
    /// Mother's phone. Example: --mother-phone 13900000002
    #[arg(long)]
    pub mother_phone: Option<String>,
    /// Where the mother works. Example: --mother-work 东莞服装厂
    #[arg(long)]
    pub mother_work: Option<String>,
    /// Substitute guardian's name (代理家长). Example: --guardian 李秀英
    #[arg(long)]
    pub guardian: Option<String>,
    /// Guardian's relation to the child. Example: --guardian-relation 祖母
    #[arg(long)]
    pub guardian_relation: Option<String>,
    /// Guardian's phone. Example: --guardian-phone '138 0000 0001'
    #[arg(long)]
    pub guardian_phone: Option<String>,
}

pub fn run(cmd: ChildCmd, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    match cmd {
        ChildCmd::Add(args) => add(*args, ctx, out),
        ChildCmd::List {
            format,
            archived,
            class,
        } => {
            let service = ctx.open_to_read()?;
            print_class(&service, ctx, format, archived, class.as_deref(), out)
        }
        ChildCmd::Show { child, format } => {
            let service = ctx.open()?;
            let child = service.resolve_child(&child)?;
            show(&service, ctx, &child, format, out)
        }
        ChildCmd::Survey {
            child,
            date,
            study,
            life,
            psychology,
            safety,
            health,
        } => {
            let date = ctx.date(Field::Date, &date)?;
            let service = ctx.open()?;
            let file = service.resolve_child(&child)?;
            let mut situation = file.situation.clone();
            for (field, given) in [
                (&mut situation.study, study),
                (&mut situation.life, life),
                (&mut situation.psychology, psychology),
                (&mut situation.safety, safety),
                (&mut situation.health, health),
            ] {
                if let Some(text) = given {
                    *field = text;
                }
            }
            situation.surveyed = Some(date);
            service.execute(Command::SurveyChild {
                child: file.id,
                situation,
            })?;
            writeln!(
                out,
                "{} {} ({date})",
                ctx.lang.pick("已复查档案", "surveyed the file of"),
                file.name
            )?;
            Ok(())
        }
        ChildCmd::Archive {
            child,
            reason,
            date,
        } => {
            let date = ctx.date(Field::Date, &date)?;
            if reason.trim().is_empty() {
                return Err(CliError::Input(
                    ctx.lang
                        .pick(
                            "--reason: 不能为空。如 父母返乡、毕业、转学",
                            "--reason: must not be empty. E.g. parents-returned, graduated, transferred",
                        )
                        .to_string(),
                ));
            }
            let service = ctx.open()?;
            let file = service.resolve_child(&child)?;
            service.execute(Command::ArchiveChild {
                child: file.id,
                reason: ArchiveReason::parse(&reason),
                date,
            })?;
            writeln!(
                out,
                "{} {} ({date})",
                ctx.lang.pick("已归档", "archived"),
                file.name
            )?;
            Ok(())
        }
    }
}

fn parent(
    relation: ParentRelation,
    name: Option<String>,
    phone: Option<String>,
    work: Option<String>,
    flag: &str,
    lang: Lang,
) -> Result<Option<Parent>> {
    let Some(name) = name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()) else {
        if phone.is_some() || work.is_some() {
            return Err(CliError::Input(match lang {
                Lang::Zh => format!("--{flag}: 有电话或务工地时需要姓名, 如 --{flag} 张大山"),
                Lang::En => format!(
                    "--{flag}: a name is needed with the phone or workplace, e.g. --{flag} 张大山"
                ),
            }));
        }
        return Ok(None);
    };
    Ok(Some(Parent {
        relation,
        name,
        away: work.is_some(),
        phone,
        workplace: work,
    }))
}

fn add(args: AddArgs, ctx: &Context, out: &mut dyn Write) -> Result<()> {
    let gender: Gender = parse_gender(&args.gender).map_err(|e| bad(Field::Gender, e))?;
    let birth = ctx.date(Field::Birth, &args.birth)?;
    let kind: LeftBehindType =
        parse_left_behind_type(&args.kind).map_err(|e| bad(Field::Type, e))?;
    let since = match &args.since {
        Some(s) => Some(ctx.date(Field::Since, s)?),
        None => None,
    };
    let opened = match &args.opened {
        Some(s) => Some(ctx.date(Field::Opened, s)?),
        None => None,
    };
    let mut parents = Vec::new();
    parents.extend(parent(
        ParentRelation::Father,
        args.father,
        args.father_phone,
        args.father_work,
        "father",
        ctx.lang,
    )?);
    parents.extend(parent(
        ParentRelation::Mother,
        args.mother,
        args.mother_phone,
        args.mother_work,
        "mother",
        ctx.lang,
    )?);
    let guardian = match args
        .guardian
        .map(|g| g.trim().to_string())
        .filter(|g| !g.is_empty())
    {
        Some(name) => Some(Guardian {
            name,
            relation: args.guardian_relation.unwrap_or_default(),
            phone: args.guardian_phone,
            age: None,
            health: None,
            can_supervise_study: None,
        }),
        None if args.guardian_phone.is_some() || args.guardian_relation.is_some() => {
            return Err(CliError::Input(
                ctx.lang
                    .pick(
                        "--guardian: 有监护人电话或关系时需要监护人姓名, 如 --guardian 李秀英",
                        "--guardian: a name is needed with the guardian's phone or relation, e.g. --guardian 李秀英",
                    )
                    .to_string(),
            ));
        }
        None => None,
    };
    let service = ctx.open()?;
    let mentor = match &args.mentor {
        Some(name) => Some(service.resolve_staff(Field::Mentor, name)?.id),
        None => None,
    };
    let mut new = NewChild::basic(&args.name, gender, birth, &args.class);
    new.student_no = args.student_no;
    new.village = args.village;
    new.address = args.address;
    new.boarding = args.boarding;
    new.left_behind = LeftBehind { kind, since };
    new.opened = opened;
    new.parents = parents;
    new.guardian = guardian;
    new.mentor = mentor;
    new.support = Support {
        key_support: args.key_support,
        poverty_support: args.poverty_support,
        special_needs: args.special_needs.unwrap_or_default(),
    };
    let outcome = service.execute(Command::AddChild(Box::new(new)))?;
    if let Outcome::Child(id) = outcome {
        writeln!(
            out,
            "{} {} (#{})",
            ctx.lang.pick("已建档", "opened the file of"),
            args.name.trim(),
            id.0
        )?;
    }
    Ok(())
}

fn type_label(kind: LeftBehindType, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => kind.zh(),
        Lang::En => match kind {
            LeftBehindType::BothParents => "both parents",
            LeftBehindType::OneParent => "one parent",
        },
    }
}

fn status_label(status: &Status, lang: Lang) -> String {
    match (status, lang) {
        (Status::Active, Lang::Zh) => "在档".into(),
        (Status::Active, Lang::En) => "active".into(),
        (Status::Archived(r), Lang::Zh) => format!("已归档: {}", r.zh()),
        (Status::Archived(r), Lang::En) => format!("archived: {}", r.en()),
    }
}

/// One roster line as TSV/JSON carry it.
#[derive(Serialize)]
struct RosterLine<'a> {
    id: u64,
    student_no: &'a str,
    name: &'a str,
    gender: &'static str,
    birth: String,
    class: &'a str,
    r#type: &'static str,
    mentor: &'a str,
    village: &'a str,
    status: &'static str,
}

fn roster_line(c: ListedChild<'_>) -> RosterLine<'_> {
    RosterLine {
        id: c.id.0,
        student_no: c.student_no.unwrap_or(""),
        name: c.name,
        gender: c.gender.key(),
        birth: c.birth.to_string(),
        class: c.class,
        r#type: c.left_behind.key(),
        mentor: c.mentor_name.unwrap_or(""),
        village: c.village.unwrap_or(""),
        status: active_or_archived(c.status),
    }
}

fn active_or_archived(status: &Status) -> &'static str {
    match status {
        Status::Active => "active",
        Status::Archived(_) => "archived",
    }
}

pub fn print_roster(
    service: &Service,
    ctx: &Context,
    format: Format,
    archived: bool,
    out: &mut dyn Write,
) -> Result<()> {
    print_class(service, ctx, format, archived, None, out)
}

/// The roster, or one class of it.
fn print_class(
    service: &Service,
    ctx: &Context,
    format: Format,
    archived: bool,
    class: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    let mut rows = service.roster_list(archived)?;
    if let Some(class) = class {
        rows.retain_class(&crate::domain::normalize_class(class));
    }
    match format {
        Format::Json => {
            let lines: Vec<RosterLine> = rows.iter().map(roster_line).collect();
            output::json(out, &lines)?;
        }
        Format::Tsv => {
            writeln!(
                out,
                "id\tstudent_no\tname\tgender\tbirth\tclass\ttype\tmentor\tvillage\tstatus"
            )?;
            let mut lines = output::TsvLines::new(out);
            for c in rows.iter() {
                lines
                    .int(c.id.0 as i64)
                    .text(c.student_no.unwrap_or(""))
                    .text(c.name)
                    .text(c.gender.key())
                    .date(c.birth)
                    .text(c.class)
                    .text(c.left_behind.key())
                    .text(c.mentor_name.unwrap_or(""))
                    .text(c.village.unwrap_or(""))
                    .text(active_or_archived(c.status))
                    .end()?;
            }
            lines.finish()?;
        }
        Format::Table => {
            let lang = ctx.lang;
            let header = match lang {
                Lang::Zh => vec!["学号", "姓名", "性别", "班级", "留守类型", "帮扶教师", "村"],
                Lang::En => vec![
                    "student no",
                    "name",
                    "gender",
                    "class",
                    "type",
                    "mentor",
                    "village",
                ],
            };
            let mut header = header;
            if archived {
                header.push(lang.pick("状态", "status"));
            }
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|c| {
                    let mut cells = vec![
                        c.student_no.unwrap_or_default().to_string(),
                        c.name.to_string(),
                        match lang {
                            Lang::Zh => c.gender.zh(),
                            Lang::En => c.gender.key(),
                        }
                        .to_string(),
                        c.class.to_string(),
                        type_label(c.left_behind, lang).to_string(),
                        c.mentor_name.unwrap_or_default().to_string(),
                        c.village.unwrap_or_default().to_string(),
                    ];
                    if archived {
                        cells.push(status_label(c.status, lang));
                    }
                    cells
                })
                .collect();
            output::table(out, &header, &table)?;
            writeln!(out, "{} {}", lang.pick("共", "total"), rows.len())?;
            if rows.is_empty() {
                writeln!(
                    out,
                    "{}",
                    lang.pick(
                        "尚无学生档案: 用 guanai child add 建档, 或用 guanai --demo 试用演示学校",
                        "no files yet: open one with guanai child add, or try guanai --demo"
                    )
                )?;
            }
        }
    }
    service.release(rows);
    Ok(())
}

fn yes_no(b: bool, lang: Lang) -> &'static str {
    match (b, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
}

fn phone_or_dash(p: &Option<String>) -> String {
    p.as_deref().map(format_phone).unwrap_or_else(|| "-".into())
}

fn show(
    service: &Service,
    ctx: &Context,
    child: &Child,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    let mentor = match child.mentor {
        Some(id) => service
            .staff()?
            .into_iter()
            .find(|s| s.id == id)
            .map(|s| s.name),
        None => None,
    };
    if format == Format::Json {
        #[derive(Serialize)]
        struct Shown<'a> {
            #[serde(flatten)]
            child: &'a Child,
            mentor_name: Option<String>,
        }
        output::json(
            out,
            &Shown {
                child,
                mentor_name: mentor,
            },
        )?;
        return Ok(());
    }
    let lang = ctx.lang;
    let l = |zh, en| lang.pick(zh, en);
    // A field the roster the file came from did not carry: 未填, not an answer.
    let unfilled = l("未填", "not recorded");
    let reg = &child.register;
    let or_unfilled = |key: &str, known: String| {
        if reg.unrecorded(key) {
            unfilled.to_string()
        } else {
            known
        }
    };
    let mut rows: Vec<Vec<String>> = vec![
        vec![l("姓名", "name").into(), child.name.clone()],
        vec![
            l("性别", "gender").into(),
            lang.pick(child.gender.zh(), child.gender.key()).into(),
        ],
        vec![l("出生日期", "birth").into(), child.birth.to_string()],
        vec![
            l("学号", "student no").into(),
            child.student_no.clone().unwrap_or_else(|| "-".into()),
        ],
        vec![l("班级", "class").into(), child.class.clone()],
        vec![
            l("身份证号", "ID number").into(),
            reg.id_no
                .clone()
                .unwrap_or_else(|| or_unfilled("id_no", "-".into())),
        ],
        vec![
            l("村 / 住址", "village / address").into(),
            format!(
                "{} {}",
                child
                    .village
                    .clone()
                    .unwrap_or_else(|| or_unfilled("village", "-".into())),
                child
                    .address
                    .clone()
                    .unwrap_or_else(|| or_unfilled("address", String::new()))
            )
            .trim()
            .to_string(),
        ],
        vec![
            l("寄宿", "boarding").into(),
            or_unfilled("boarding", yes_no(child.boarding, lang).into()),
        ],
        vec![
            l("留守类型", "left behind").into(),
            or_unfilled(
                "type",
                match child.left_behind.since {
                    Some(s) => format!(
                        "{} ({} {s})",
                        type_label(child.left_behind.kind, lang),
                        l("自", "since")
                    ),
                    None => type_label(child.left_behind.kind, lang).to_string(),
                },
            ),
        ],
        vec![
            l("帮扶教师", "mentor").into(),
            mentor.unwrap_or_else(|| "-".into()),
        ],
        vec![
            l("重点帮扶", "key support").into(),
            yes_no(child.support.key_support, lang).into(),
        ],
        vec![
            l("两免一补/济难救助", "poverty support").into(),
            yes_no(child.support.poverty_support, lang).into(),
        ],
    ];
    if !child.support.special_needs.is_empty() {
        rows.push(vec![
            l("特殊需要", "special needs").into(),
            child.support.special_needs.clone(),
        ]);
    }
    for (zh, en, value) in [
        ("民族", "ethnicity", &reg.ethnicity),
        ("户籍所在地", "registered residence", &reg.hukou),
        ("身体情况", "health", &reg.health),
        ("监护类型", "guardianship", &reg.guardianship),
        ("实际监护情况", "actual care", &reg.care),
        ("监护情况评估", "guardianship assessment", &reg.assessment),
        ("备注", "remarks", &reg.remarks),
    ] {
        if let Some(v) = value {
            rows.push(vec![l(zh, en).into(), v.clone()]);
        }
    }
    for p in &child.parents {
        let work_key = match p.relation {
            ParentRelation::Father => "father_work",
            ParentRelation::Mother => "mother_work",
        };
        rows.push(vec![
            lang.pick(
                p.relation.zh(),
                match p.relation {
                    ParentRelation::Father => "father",
                    ParentRelation::Mother => "mother",
                },
            )
            .into(),
            format!(
                "{}  {}  {}",
                p.name,
                phone_or_dash(&p.phone),
                match (&p.workplace, p.away) {
                    (Some(w), true) => format!("{} {w}", l("外出", "away")),
                    (Some(w), false) => w.clone(),
                    // Away with no workplace on record: not 在家.
                    (None, true) => format!(
                        "{} ({})",
                        l("外出", "away"),
                        l("务工地未填", "workplace not recorded")
                    ),
                    (None, false) => or_unfilled(work_key, l("在家", "at home").into()),
                }
            ),
        ]);
    }
    if let Some(g) = &child.guardian {
        rows.push(vec![
            l("监护人", "guardian").into(),
            format!(
                "{}  {}",
                with_relation(&g.name, &g.relation, (" (", ")")),
                phone_or_dash(&g.phone)
            ),
        ]);
        let mut about = Vec::new();
        if let Some(age) = g.age {
            about.push(format!("{age}{}", l("岁", " years old")));
        }
        if let Some(h) = &g.health {
            about.push(h.clone());
        }
        if !about.is_empty() {
            rows.push(vec![
                l("监护人情况", "guardian's age, health").into(),
                about.join(", "),
            ]);
        }
    }
    for c in &child.emergency_contacts {
        rows.push(vec![
            l("应急联系人", "emergency contact").into(),
            format!(
                "{}  {}",
                with_relation(&c.name, &c.relation, (" (", ")")),
                format_phone(&c.phone)
            ),
        ]);
    }
    if !child.buddies.is_empty() {
        rows.push(vec![
            l("手拉手好朋友", "buddies").into(),
            child.buddies.join(", "),
        ]);
    }
    let s = &child.situation;
    for (zh, en, text) in [
        ("学习", "study", &s.study),
        ("生活", "life", &s.life),
        ("心理", "psychology", &s.psychology),
        ("安全", "safety", &s.safety),
        ("健康", "health", &s.health),
    ] {
        if !text.is_empty() {
            rows.push(vec![l(zh, en).into(), text.clone()]);
        }
    }
    for change in &child.status_history {
        rows.push(vec![
            l("状态", "status").into(),
            format!("{}  {}", change.date, status_label(&change.status, lang)),
        ]);
    }
    let header = [l("项目", "field"), l("内容", "value")];
    if format == Format::Tsv {
        output::tsv(out, &header, &rows)?;
    } else {
        output::table(out, &header, &rows)?;
    }
    Ok(())
}
