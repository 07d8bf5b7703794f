//! The work summary as text, from the figures only: the outline of the schools' own summaries
//! (基本情况 → 组织领导与制度 → 结对帮扶与谈心 → 家访与家校联系 → 亲情联系 → 心理健康教育 →
//! 集体活动与家长学校 → 表彰 → 存在问题与下步打算 → school and date), in Chinese or English.
//! Every number comes from [`Figures`]; the problems are found in them. Counselling appears
//! as a count only. With `anonymize`, no child's name appears at all (guardians' never do).

use chrono::{Datelike, NaiveDate};

use super::figures::{Coverage, Figures};
use crate::i18n::Lang;

/// A document independent of its format: the exporters and the app's preview render it.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// The closing lines (school, date), set to the right.
    Signature(Vec<String>),
}

/// Coverage under this share is a problem worth writing down.
pub const COVERAGE_GOAL: f64 = 80.0;
/// A class this many points under the school's coverage is behind the others.
pub const CLASS_GAP: f64 = 10.0;
/// Names listed at most in one sentence; the rest are counted.
const MAX_NAMES: usize = 20;

fn pct(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The coverage of a duty, if the rules have it and something was due.
fn cov<'a>(f: &'a Figures, duty: &str) -> Option<(&'a Coverage, f64)> {
    f.duty_coverage
        .get(duty)
        .and_then(|c| c.percent.map(|p| (c, p)))
}

/// The share of all due periods satisfied, over every duty (for classes against the school).
pub fn overall(cov: &std::collections::BTreeMap<String, Coverage>) -> Option<f64> {
    let (due, done) = cov
        .values()
        .fold((0u32, 0u32), |(d, s), c| (d + c.due, s + c.satisfied));
    (due > 0).then(|| (done as f64 * 1000.0 / due as f64).round() / 10.0)
}

/// What the problems section is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct Problems<'a> {
    /// Duties under the goal, with their coverage.
    pub low_duties: Vec<(&'a Coverage, f64)>,
    /// Classes behind the school: class, its coverage, the school's.
    pub classes_behind: Vec<(&'a str, f64, f64)>,
}

pub fn problems(f: &Figures) -> Problems<'_> {
    let low_duties = f
        .duty_order
        .iter()
        .filter_map(|name| f.duty_coverage.get(name))
        .filter_map(|c| c.percent.map(|p| (c, p)))
        .filter(|(_, p)| *p < COVERAGE_GOAL)
        .collect();
    let mut classes_behind = Vec::new();
    if let Some(school) = overall(&f.duty_coverage) {
        // In whole tenths of a percent: 56.4 against 66.4 is 10 points, not more.
        let tenths = |p: f64| (p * 10.0).round() as i64;
        for class in f.classes() {
            if let Some(p) = f
                .per_class
                .get(class)
                .and_then(|c| overall(&c.duty_coverage))
                && tenths(school) - tenths(p) > tenths(CLASS_GAP)
            {
                classes_behind.push((class.as_str(), p, school));
            }
        }
    }
    Problems {
        low_duties,
        classes_behind,
    }
}

fn names(list: &[super::figures::ChildRef], lang: Lang) -> String {
    let sep = lang.pick("、", ", ");
    let out: Vec<String> = list
        .iter()
        .take(MAX_NAMES)
        .map(|c| match lang {
            Lang::Zh => format!("{}（{}）", c.name, c.class),
            Lang::En => format!("{} ({})", c.name, c.class),
        })
        .collect();
    let mut text = out.join(sep);
    if list.len() > MAX_NAMES {
        text.push_str(&match lang {
            Lang::Zh => format!("等{}人", list.len()),
            Lang::En => format!(" and {} more", list.len() - MAX_NAMES),
        });
    }
    text
}

/// The work summary, dated `date`.
pub fn document(f: &Figures, lang: Lang, anonymize: bool, date: NaiveDate) -> Document {
    match lang {
        Lang::Zh => zh(f, anonymize, date),
        Lang::En => en(f, anonymize, date),
    }
}

fn zh(f: &Figures, anonymize: bool, date: NaiveDate) -> Document {
    let t = &f.totals;
    let period = match &f.term {
        Some(term) => format!("{term}学期"),
        None => format!("{}至{}", date_zh(f.from), date_zh(f.to)),
    };
    let mut b = Vec::new();
    b.push(Block::Heading("一、基本情况".into()));
    let mut p = format!(
        "我校是一所农村学校，随着农民外出务工的增多，留守儿童成为学校关爱工作的重点。{period}（{}至{}）我校在册留守儿童{}人，其中父母双方外出{}人，一方外出{}人；本期新建档{}人。",
        date_zh(f.from),
        date_zh(f.to),
        t.children_active,
        t.by_type.both_parents,
        t.by_type.one_parent,
        t.children_new
    );
    if t.children_archived == 0 {
        p.push_str("本期没有学生退出留守儿童名单。");
    } else {
        let reasons: Vec<String> = f
            .archived_reasons
            .iter()
            .map(|(r, n)| format!("{r}{}人", n.count))
            .collect();
        p.push_str(&format!(
            "{}人不再是留守儿童（{}）。",
            t.children_archived,
            reasons.join("，")
        ));
    }
    b.push(Block::Paragraph(p));

    b.push(Block::Heading("二、组织领导与制度".into()));
    let o = &f.organisation;
    let mut p = String::from("学校成立关爱留守儿童工作领导小组");
    if !o.admins.is_empty() {
        p.push_str(&format!("，由{}负责", o.admins.join("、")));
    }
    if !o.counselors.is_empty() {
        p.push_str(&format!("，{}负责心理辅导", o.counselors.join("、")));
    }
    p.push_str(&format!(
        "，{}位班主任负责本班留守儿童的日常关爱。坚持一人一档、一人一卡：每名留守儿童都建有成长档案和联系卡，记录监护人、父母务工地点和联系电话，建立了班主任、科任教师与监护人定期联系的制度。",
        o.class_teachers
    ));
    b.push(Block::Paragraph(p));

    b.push(Block::Heading("三、结对帮扶与谈心".into()));
    let mut p = format!(
        "{}位教师与{}名留守儿童结成帮扶对子。本期共开展谈心{}次",
        o.mentors, t.mentor_pairs, t.talks
    );
    if let Some((c, pc)) = cov(f, "talk") {
        p.push_str(&format!(
            "，每月谈心应做{}人次，完成{}人次，完成率{}",
            c.due,
            c.satisfied,
            pct(pc)
        ));
    }
    p.push('。');
    b.push(Block::Paragraph(p));

    b.push(Block::Heading("四、家访与家校联系".into()));
    let mut p = format!(
        "家访、校访相结合，与“代理家长”沟通交流。本期{}位教师家访{}次，通过家访、校访和电话与{}位监护人进行了沟通",
        t.home_visit_teachers, t.home_visits, t.guardians_contacted
    );
    if let Some((c, pc)) = cov(f, "home-visit") {
        p.push_str(&format!(
            "；期初、期中、期末家访应做{}人次，完成{}人次，完成率{}",
            c.due,
            c.satisfied,
            pct(pc)
        ));
    }
    p.push('。');
    b.push(Block::Paragraph(p));

    b.push(Block::Heading("五、亲情联系".into()));
    let mut p = format!(
        "组织留守儿童与外出务工的父母通话、写信共{}次",
        t.parent_calls
    );
    if let Some((c, pc)) = cov(f, "parent-call") {
        p.push_str(&format!(
            "，每月亲情联系应做{}人次，完成{}人次，完成率{}",
            c.due,
            c.satisfied,
            pct(pc)
        ));
    }
    p.push('。');
    b.push(Block::Paragraph(p));

    b.push(Block::Heading("六、心理健康教育".into()));
    b.push(Block::Paragraph(if t.counseling_sessions == 0 {
        "本期没有心理辅导记录。".to_string()
    } else {
        format!(
            "学校安排专任教师开展心理辅导，本期共开展心理辅导{}次，及时发现并疏导留守儿童的心理压力。",
            t.counseling_sessions
        )
    }));

    b.push(Block::Heading("七、集体活动与家长学校".into()));
    b.push(Block::Paragraph(format!(
        "开展有留守儿童参加的集体活动{}次；举办家长学校（监护人家庭教育培训）{}期，参加培训{}人次。",
        f.activities, f.trainings, f.training_attendance
    )));

    b.push(Block::Heading("八、表彰".into()));
    b.push(Block::Paragraph(if t.awards == 0 {
        "本期没有表彰记录。".to_string()
    } else if anonymize {
        format!("本期留守儿童受到表彰{}次。", t.awards)
    } else {
        let list: Vec<String> = f
            .awards_given
            .iter()
            .map(|a| format!("{}（{}）{}", a.child.name, a.child.class, a.title))
            .collect();
        format!("本期留守儿童受到表彰{}次：{}。", t.awards, list.join("；"))
    }));

    b.push(Block::Heading("九、存在问题与下步打算".into()));
    let pr = problems(f);
    let mut issues = Vec::new();
    let mut plans = Vec::new();
    for (c, p) in &pr.low_duties {
        issues.push(format!(
            "{}的完成率只有{}（{}/{}），低于{}。",
            c.label_zh,
            pct(*p),
            c.satisfied,
            c.due,
            pct(COVERAGE_GOAL)
        ));
        plans.push(format!(
            "按时落实{}，班主任每周查看逾期提醒，确保完成率达到{}以上。",
            c.label_zh,
            pct(COVERAGE_GOAL)
        ));
    }
    if !f.no_home_visit.is_empty() {
        issues.push(if anonymize {
            format!("{}名学生本期还没有家访。", f.no_home_visit.len())
        } else {
            format!(
                "{}名学生本期还没有家访：{}。",
                f.no_home_visit.len(),
                names(&f.no_home_visit, Lang::Zh)
            )
        });
        plans.push("下学期开学一个月内完成上述学生的家访。".to_string());
    }
    for (class, p, school) in &pr.classes_behind {
        issues.push(format!(
            "{class}的跟进完成率为{}，低于全校的{}。",
            pct(*p),
            pct(*school)
        ));
        plans.push(format!("加强对{class}关爱工作的督促和指导。"));
    }
    if issues.is_empty() {
        b.push(Block::Paragraph(
            "各项工作按计划完成，没有明显的短板。下学期将继续坚持一人一档、每月谈心和定期家访。"
                .into(),
        ));
    } else {
        b.push(Block::Paragraph("存在的问题：".into()));
        b.push(Block::List(issues));
        b.push(Block::Paragraph("下步打算：".into()));
        b.push(Block::List(plans));
    }

    class_table(f, Lang::Zh, &mut b);
    b.push(Block::Signature(vec![f.school.clone(), date_zh(date)]));
    Document {
        title: format!("{}{period}关爱留守儿童工作总结", f.school),
        blocks: b,
    }
}

fn en(f: &Figures, anonymize: bool, date: NaiveDate) -> Document {
    let t = &f.totals;
    let period = match &f.term {
        Some(term) => format!("term {term}"),
        None => format!("{} to {}", f.from, f.to),
    };
    let mut b = Vec::new();
    b.push(Block::Heading("1. Overview".into()));
    let mut p = format!(
        "Ours is a rural school; as more parents leave to work in the cities, left-behind children are at the centre of the school's care. In {period} ({} to {}) {} left-behind children were on the roster: {} with both parents away and {} with one parent away; {} files were opened.",
        f.from,
        f.to,
        t.children_active,
        t.by_type.both_parents,
        t.by_type.one_parent,
        t.children_new
    );
    if t.children_archived == 0 {
        p.push_str(" No child left the list.");
    } else {
        let reasons: Vec<String> = f
            .archived_reasons
            .values()
            .map(|n| format!("{}: {}", n.en, n.count))
            .collect();
        p.push_str(&format!(
            " {} children are no longer left behind ({}).",
            t.children_archived,
            reasons.join(", ")
        ));
    }
    b.push(Block::Paragraph(p));

    b.push(Block::Heading("2. Organisation and records".into()));
    let o = &f.organisation;
    let mut p = String::from("The school's care group");
    if !o.admins.is_empty() {
        p.push_str(&format!(" is led by {}", o.admins.join(", ")));
    }
    if !o.counselors.is_empty() {
        let verb = if o.counselors.len() == 1 {
            "provides"
        } else {
            "provide"
        };
        p.push_str(&format!("; {} {verb} counselling", o.counselors.join(", ")));
    }
    p.push_str(&format!(
        "; {} class teachers care for the left-behind children of their classes. Every child has a file and a contact card with the guardian, the parents' workplaces and phone numbers.",
        o.class_teachers
    ));
    b.push(Block::Paragraph(p));

    b.push(Block::Heading("3. Mentoring and talks".into()));
    let mut p = format!(
        "{} teachers mentor {} children. {} talks were held",
        o.mentors, t.mentor_pairs, t.talks
    );
    if let Some((c, pc)) = cov(f, "talk") {
        p.push_str(&format!(
            "; the monthly talk was due {} times and done {} times ({})",
            c.due,
            c.satisfied,
            pct(pc)
        ));
    }
    p.push('.');
    b.push(Block::Paragraph(p));

    b.push(Block::Heading(
        "4. Home visits and contact with guardians".into(),
    ));
    let mut p = format!(
        "{} teachers made {} home visits and reached {} guardians by home visit, school visit or phone",
        t.home_visit_teachers, t.home_visits, t.guardians_contacted
    );
    if let Some((c, pc)) = cov(f, "home-visit") {
        p.push_str(&format!(
            "; the start, middle and end of term visits were due {} times and done {} times ({})",
            c.due,
            c.satisfied,
            pct(pc)
        ));
    }
    p.push('.');
    b.push(Block::Paragraph(p));

    b.push(Block::Heading("5. Contact with parents".into()));
    let mut p = format!(
        "Children called or wrote to their parents {} times",
        t.parent_calls
    );
    if let Some((c, pc)) = cov(f, "parent-call") {
        p.push_str(&format!(
            "; the monthly contact was due {} times and done {} times ({})",
            c.due,
            c.satisfied,
            pct(pc)
        ));
    }
    p.push('.');
    b.push(Block::Paragraph(p));

    b.push(Block::Heading("6. Mental health".into()));
    b.push(Block::Paragraph(if t.counseling_sessions == 0 {
        "No counselling sessions were recorded.".to_string()
    } else {
        format!(
            "{} counselling sessions were held by the school's counsellors.",
            t.counseling_sessions
        )
    }));

    b.push(Block::Heading(
        "7. Group activities and the parents' school".into(),
    ));
    b.push(Block::Paragraph(format!(
        "{} group activities were held; {} guardian training sessions (parents' school) had {} attendances.",
        f.activities, f.trainings, f.training_attendance
    )));

    b.push(Block::Heading("8. Awards".into()));
    b.push(Block::Paragraph(if t.awards == 0 {
        "No awards were recorded.".to_string()
    } else if anonymize {
        format!("Left-behind children received {} awards.", t.awards)
    } else {
        let list: Vec<String> = f
            .awards_given
            .iter()
            .map(|a| format!("{} ({}) {}", a.child.name, a.child.class, a.title))
            .collect();
        format!(
            "Left-behind children received {} awards: {}.",
            t.awards,
            list.join("; ")
        )
    }));

    b.push(Block::Heading("9. Problems and next steps".into()));
    let pr = problems(f);
    let mut issues = Vec::new();
    let mut plans = Vec::new();
    for (c, p) in &pr.low_duties {
        issues.push(format!(
            "{} was done for only {} ({}/{}), under {}.",
            capitalized(&c.label_en),
            pct(*p),
            c.satisfied,
            c.due,
            pct(COVERAGE_GOAL)
        ));
        plans.push(format!(
            "Keep to the {} schedule: class teachers check the overdue queue every week, aiming at {} or more.",
            c.label_en,
            pct(COVERAGE_GOAL)
        ));
    }
    if !f.no_home_visit.is_empty() {
        issues.push(if anonymize {
            format!("{} children had no home visit.", f.no_home_visit.len())
        } else {
            format!(
                "{} children had no home visit: {}.",
                f.no_home_visit.len(),
                names(&f.no_home_visit, Lang::En)
            )
        });
        plans.push("Visit these children's homes in the first month of next term.".to_string());
    }
    for (class, p, school) in &pr.classes_behind {
        issues.push(format!(
            "{class} met {} of its follow-ups, against {} for the school.",
            pct(*p),
            pct(*school)
        ));
        plans.push(format!("Support and follow up the care work in {class}."));
    }
    if issues.is_empty() {
        b.push(Block::Paragraph(
            "The work went as planned, with no clear gaps. Next term: one file per child, monthly talks and regular home visits as before.".into(),
        ));
    } else {
        b.push(Block::Paragraph("Problems:".into()));
        b.push(Block::List(issues));
        b.push(Block::Paragraph("Next steps:".into()));
        b.push(Block::List(plans));
    }

    class_table(f, Lang::En, &mut b);
    b.push(Block::Signature(vec![f.school.clone(), date.to_string()]));
    Document {
        title: format!(
            "{}: care for left-behind children, work summary, {period}",
            f.school
        ),
        blocks: b,
    }
}

/// The appendix: each class's counts (no counselling: in a small class a count could point
/// at a child).
fn class_table(f: &Figures, lang: Lang, b: &mut Vec<Block>) {
    if f.per_class.is_empty() {
        return;
    }
    b.push(Block::Heading(
        lang.pick("附表：各班情况", "Appendix: by class").into(),
    ));
    let header: Vec<String> = match lang {
        Lang::Zh => [
            "班级",
            "留守儿童",
            "双亲外出",
            "谈心",
            "家访",
            "亲情联系",
            "完成率",
        ],
        Lang::En => [
            "Class",
            "Children",
            "Both away",
            "Talks",
            "Home visits",
            "Calls/letters",
            "Follow-ups done",
        ],
    }
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows = f
        .classes()
        .into_iter()
        .filter_map(|class| {
            let c = f.per_class.get(class)?;
            Some(vec![
                class.clone(),
                c.counts.children_active.to_string(),
                c.counts.by_type.both_parents.to_string(),
                c.counts.talks.to_string(),
                c.counts.home_visits.to_string(),
                c.counts.parent_calls.to_string(),
                overall(&c.duty_coverage).map_or("-".to_string(), pct),
            ])
        })
        .collect();
    b.push(Block::Table { header, rows });
}

/// `monthly talk` → `Monthly talk`, for a sentence's start.
fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
