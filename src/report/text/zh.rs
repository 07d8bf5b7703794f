//! The work summary in Chinese, in the 公文 style of the schools' own summaries: each section
//! written from its figures, varied in its wording, left out or honestly short when there is
//! nothing behind it; no child named but in the internal appendix.

use chrono::{Datelike, NaiveDate};

use super::{
    Block, COVERAGE_GOAL, Document, class_table, class_zh, cov, date_zh, overall, pct, problems,
    rules_in_force, running, share, term_zh, titled,
};
use crate::i18n::Lang;
use crate::report::figures::{ActivityItem, Figures};

/// 一、二 … for the section headings.
const NUMBERS: [&str; 15] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
    "十五",
];

/// The sections, numbered as they are added.
struct Sections {
    blocks: Vec<Block>,
    n: usize,
}

impl Sections {
    fn heading(&mut self, title: &str) {
        let number = NUMBERS.get(self.n).copied().unwrap_or("");
        self.n += 1;
        self.blocks
            .push(Block::Heading(format!("{number}、{title}")));
    }

    fn paragraph(&mut self, text: String) {
        self.blocks.push(Block::Paragraph(text));
    }
}

/// 10月12日.
fn day(d: NaiveDate) -> String {
    format!("{}月{}日", d.month(), d.day())
}

/// The period as the title names it: 2026年秋季学期, or the dates.
pub(super) fn period_title(f: &Figures) -> String {
    match f.term.as_deref() {
        Some(term) => term_zh(term),
        None => format!("{}至{}", date_zh(f.from), date_zh(f.to)),
    }
}

/// The period as the text says it: the term's dates, up to today while it runs; a period
/// given by its dates is named once, in the title, and is 本期 in the text.
fn period_span(f: &Figures) -> String {
    match (f.term.is_some(), running(f)) {
        (true, true) => format!("本学期开学以来（截至{}）", date_zh(f.as_of)),
        (true, false) => format!("{}至{}", date_zh(f.from), date_zh(f.to)),
        (false, true) => format!("本期（截至{}）", date_zh(f.as_of)),
        (false, false) => String::from("本期"),
    }
}

pub(super) fn document(f: &Figures, with_names: bool, date: NaiveDate) -> Document {
    let title = format!("{}{}关爱留守儿童工作总结", f.school, period_title(f));
    let t = &f.totals;
    let mut s = Sections {
        blocks: Vec::new(),
        n: 0,
    };
    // A period without any child on the list has nothing to sum up: said, and no more.
    if t.children_active == 0 {
        s.paragraph(format!(
            "{}，我校没有在册的留守儿童，也没有关爱留守儿童工作的记录，本期无工作总结内容。",
            period_span(f)
        ));
        s.blocks
            .push(Block::Signature(vec![f.school.clone(), date_zh(date)]));
        return Document {
            title,
            blocks: s.blocks,
        };
    }
    let intro = if running(f) {
        "现将本学期以来的工作总结如下。"
    } else {
        "现将本期工作总结如下。"
    };
    s.paragraph(format!(
        "为贯彻落实上级关于加强农村留守儿童关爱保护工作的要求，我校从学校实际出发，建立健全关爱工作机制，努力为留守儿童营造健康成长的学习生活环境。{intro}"
    ));

    basic(&mut s, f);
    organisation(&mut s, f);
    mentoring(&mut s, f);
    visits(&mut s, f);
    family(&mut s, f);
    counselling(&mut s, f);
    activities(&mut s, f);
    support(&mut s, f);
    safety(&mut s, f);
    results(&mut s, f);
    let (issues, plans) = problems_and_plans(f);
    s.heading("存在的问题");
    if issues.is_empty() {
        // Nothing due yet (files opened this term) is not work done in time.
        s.paragraph(if overall(&f.duty_coverage).is_none() {
            "本期留守儿童档案刚刚建立，谈心、家访等各项关爱工作尚未到期，还没有可以统计的完成情况；关爱工作的制度和分工需要在实践中进一步落实。"
                .into()
        } else {
            "本期各项跟进工作按时完成，但留守儿童工作面广、情况多变，个别家庭与学校的联系仍需加强，关爱的深度和针对性还有提升空间。"
                .into()
        });
    } else {
        s.blocks.push(Block::points(issues));
    }
    s.heading("下一步工作打算");
    s.blocks.push(Block::points(plans));
    s.paragraph(
        "关爱留守儿童是一项长期而系统的工作。下一步，我校将继续在上级部门的指导下，整合学校、家庭和社会各方面的力量，把关爱工作做细做实，让每一名留守儿童都能在关爱中健康快乐地成长。"
            .into(),
    );
    s.blocks
        .push(Block::Signature(vec![f.school.clone(), date_zh(date)]));
    class_table(f, Lang::Zh, &mut s.blocks);
    if with_names {
        appendix(&mut s.blocks, f);
    }
    Document {
        title,
        blocks: s.blocks,
    }
}

fn basic(s: &mut Sections, f: &Figures) {
    let t = &f.totals;
    let p = &f.profile;
    s.heading("基本情况");
    let mut text = format!(
        "{}，我校在册留守儿童{}人",
        period_span(f),
        t.children_active
    );
    // Who is away, without a "0人" clause.
    match (t.by_type.both_parents, t.by_type.one_parent) {
        (both, 0) => text.push_str(&format!("，均为父母双方外出务工（{both}人）")),
        (0, one) => text.push_str(&format!("，均为父母一方外出（{one}人）")),
        (both, one) => text.push_str(&format!(
            "，其中父母双方外出务工{both}人，父母一方外出{one}人"
        )),
    }
    if p.boarding > 0 {
        text.push_str(&format!("；在校寄宿{}人", p.boarding));
    }
    text.push('。');
    if p.guardians_on_file > 0 {
        text.push_str(&format!(
            "从监护情况看，由祖父母、外祖父母隔代监护的{}人，占{}",
            p.grandparent_guardians,
            share(p.grandparent_guardians, t.children_active)
        ));
        text.push_str(if p.grandparent_guardians < t.children_active {
            "，其余由父母一方或其他亲属照料。"
        } else {
            "。"
        });
    }
    if t.children_new > 0 {
        text.push_str(&format!("本期新建档案{}份。", t.children_new));
    }
    if t.children_archived > 0 {
        let reasons: Vec<String> = f
            .archived_reasons
            .iter()
            .map(|(r, n)| format!("{r}{}人", n.count))
            .collect();
        text.push_str(&format!(
            "本期有{}人不再列入留守儿童名单（{}），档案已归档保存。",
            t.children_archived,
            reasons.join("，")
        ));
    }
    s.paragraph(text);
}

fn organisation(s: &mut Sections, f: &Figures) {
    let o = &f.organisation;
    s.heading("组织领导与制度建设");
    let mut text = String::from("学校成立了关爱留守儿童工作领导小组");
    if !o.admins.is_empty() {
        text.push_str(&format!(
            "，{}任组长，统筹全校关爱工作",
            titled(f, &o.admins, "、")
        ));
    }
    if !o.counselors.is_empty() {
        let counsellors = if o.counselors.iter().any(|c| o.titles.contains_key(c)) {
            titled(f, &o.counselors, "、")
        } else {
            format!("心理健康教师{}", o.counselors.join("、"))
        };
        text.push_str(&format!(
            "；{counsellors}负责心理辅导和心理咨询室的日常工作"
        ));
    }
    if o.class_teachers > 0 {
        text.push_str(&format!(
            "；{}位班主任具体负责本班留守儿童的日常管理和关爱",
            o.class_teachers
        ));
    }
    text.push('。');
    text.push_str(&format!(
        "学校坚持“一人一档、一人一卡”，为每名留守儿童建立成长档案和联系卡，记录监护人、父母务工地点和联系电话，并制定和执行{}，做到有制度、有记录、有检查。",
        rules_in_force(f, Lang::Zh).concat()
    ));
    s.paragraph(text);
}

fn mentoring(s: &mut Sections, f: &Figures) {
    let t = &f.totals;
    let o = &f.organisation;
    s.heading("结对帮扶与谈心交流");
    let mut text = if t.mentor_pairs > 0 {
        format!(
            "学校落实教师结对帮扶制度，{}位教师与{}名留守儿童结成帮扶对子，在学习上辅导、生活上关心、思想上引导。",
            o.mentors, t.mentor_pairs
        )
    } else {
        String::from("本期尚未为留守儿童确定结对帮扶教师。")
    };
    text.push_str(&if t.talks == 0 {
        String::from("本期尚无谈心谈话的记录")
    } else {
        format!("本期共开展谈心谈话{}次", t.talks)
    });
    if let Some((c, p)) = cov(f, "talk") {
        // Enough talks in all but not in time for every child: said so; too few: counted.
        let (but, only) = match (p < COVERAGE_GOAL, t.talks >= c.due) {
            (true, true) => ("，但分布不均", "仅"),
            (true, false) => ("", "仅"),
            _ => ("", ""),
        };
        text.push_str(&format!(
            "{but}，按每月至少谈心一次计算，应谈{}人次，按时完成{only}{}人次，完成率为{}",
            c.due,
            c.satisfied,
            pct(p)
        ));
    }
    text.push('。');
    s.paragraph(text);
}

fn visits(s: &mut Sections, f: &Figures) {
    let t = &f.totals;
    s.heading("家访与家校联系");
    let mut text = if t.home_visits == 0 {
        String::from("学校坚持家访与校访相结合，与监护人和“代理家长”沟通交流。本期尚无家访记录")
    } else {
        format!(
            "学校坚持家访与校访相结合，采取“走出去、请进来”的办法，与监护人和“代理家长”沟通交流。本期{}位教师深入留守儿童家庭家访{}次",
            t.home_visit_teachers, t.home_visits
        )
    };
    if let Some((c, p)) = cov(f, "home-visit") {
        let when = if running(f) { "截至目前" } else { "本期" };
        text.push_str(&format!(
            "。期初、期中、期末三次家访{when}应完成{}人次，按时完成{}人次（{}）",
            c.due,
            c.satisfied,
            pct(p)
        ));
        if !f.no_home_visit.is_empty() {
            text.push_str(&format!("，仍有{}名学生尚未家访", f.no_home_visit.len()));
        }
    }
    if t.guardians_contacted > 0 {
        text.push_str(&format!(
            "。通过家访、校访和电话，与{}位监护人保持了联系",
            t.guardians_contacted
        ));
    }
    if let Some((c, p)) = cov(f, "guardian-contact") {
        text.push_str(&format!(
            "，每月与监护人联系应落实{}人次，实际落实{}人次（{}）",
            c.due,
            c.satisfied,
            pct(p)
        ));
    }
    text.push_str(if t.guardians_contacted > 0 {
        "，指导监护人加强对孩子的教育和管理。"
    } else {
        "。"
    });
    s.paragraph(text);
}

fn family(s: &mut Sections, f: &Figures) {
    let t = &f.totals;
    s.heading("亲情联系");
    let mut text = if t.parent_calls == 0 {
        String::from("学校开通亲情电话，本期尚无留守儿童与父母通话、写信的记录")
    } else {
        format!(
            "学校开通亲情电话，组织留守儿童与在外务工的父母通话、视频或书信往来，本期共{}次",
            t.parent_calls
        )
    };
    let mut kept = t.parent_calls > 0;
    if let Some((c, p)) = cov(f, "parent-call") {
        text.push_str(&format!(
            "。每月亲情联系应落实{}人次，实际落实{}人次，落实率{}",
            c.due,
            c.satisfied,
            pct(p)
        ));
        kept = p >= COVERAGE_GOAL;
    }
    text.push_str(if kept {
        "，让孩子们感受到父母的牵挂。"
    } else {
        "。"
    });
    s.paragraph(text);
}

fn counselling(s: &mut Sections, f: &Figures) {
    let n = f.totals.counseling_sessions;
    if n == 0 && f.organisation.counselors.is_empty() {
        return;
    }
    s.heading("心理健康教育");
    s.paragraph(if n == 0 {
        "学校安排心理健康教师负责留守儿童的心理辅导，本期没有个别心理辅导的记录。".to_string()
    } else {
        format!(
            "心理健康教师为留守儿童开展个别心理辅导{n}次，及时发现并疏导孩子们的心理压力，并做好跟踪服务。"
        )
    });
}

fn themes(items: &[&ActivityItem]) -> String {
    items
        .iter()
        .map(|a| format!("{}（{}，{}人）", a.title, day(a.date), a.children))
        .collect::<Vec<_>>()
        .join("、")
}

fn activities(s: &mut Sections, f: &Figures) {
    let acts: Vec<&ActivityItem> = f.activity_list.iter().filter(|a| !a.training).collect();
    let trainings: Vec<&ActivityItem> = f.activity_list.iter().filter(|a| a.training).collect();
    s.heading("集体活动与家长学校");
    let mut text = if acts.is_empty() {
        String::from("本期没有留守儿童参加集体活动的记录。")
    } else {
        format!(
            "学校积极开展有留守儿童参加的集体活动，让孩子们在集体中感受温暖。本期共开展集体活动{}次：{}。",
            acts.len(),
            themes(&acts)
        )
    };
    if trainings.is_empty() {
        text.push_str("本期未举办家长学校。");
    } else {
        let names: Vec<String> = trainings
            .iter()
            .map(|a| format!("{}{}", day(a.date), a.title))
            .collect();
        text.push_str(&format!(
            "家长学校共举办{}期（{}），监护人和学生参加培训{}人次，提高了监护人的家庭教育能力。",
            trainings.len(),
            names.join("、"),
            f.training_attendance
        ));
    }
    s.paragraph(text);
}

fn support(s: &mut Sections, f: &Figures) {
    let p = &f.profile;
    if p.poverty_support == 0 && p.boarding == 0 && p.assistance == 0 {
        return;
    }
    s.heading("资助与寄宿管理");
    let mut parts = Vec::new();
    if p.poverty_support > 0 || p.assistance > 0 {
        let mut t = format!(
            "学校认真落实“两免一补”和济难救助政策，{}名留守儿童享受资助",
            p.poverty_support
        );
        if p.assistance > 0 {
            t.push_str(&format!("，本期发放资助和物资{}人次", p.assistance));
        }
        parts.push(t);
    }
    if p.boarding > 0 {
        parts.push(format!(
            "对{}名寄宿的留守儿童，生活老师和班主任共同做好住宿管理和生活照料",
            p.boarding
        ));
    }
    s.paragraph(format!("{}。", parts.join("；")));
}

fn safety(s: &mut Sections, f: &Figures) {
    s.heading("安全教育");
    let n = f.profile.incidents;
    s.paragraph(if n == 0 {
        "学校把留守儿童的安全放在首位，利用班会、集会开展防溺水、交通、防欺凌等安全教育，本期没有记录到留守儿童的安全事件。".to_string()
    } else {
        format!(
            "学校把留守儿童的安全放在首位，利用班会、集会开展防溺水、交通、防欺凌等安全教育。本期记录留守儿童意外、疾病等情况{n}起，均及时处理并告知监护人。"
        )
    });
}

fn results(s: &mut Sections, f: &Figures) {
    let t = &f.totals;
    let mut parts = Vec::new();
    let reached = t.guardians_contacted as f64 * 100.0 / t.children_active.max(1) as f64;
    if t.guardians_contacted > 0 && reached >= COVERAGE_GOAL {
        parts.push(format!(
            "本期与{}位监护人取得联系，覆盖{}的留守儿童",
            t.guardians_contacted,
            share(t.guardians_contacted, t.children_active)
        ));
    }
    let took_part: u32 = f
        .activity_list
        .iter()
        .filter(|a| !a.training)
        .map(|a| a.children)
        .sum();
    if took_part > 0 {
        parts.push(format!(
            "{}次集体活动共有{took_part}人次留守儿童参加",
            f.activities
        ));
    }
    if t.awards > 0 {
        parts.push(format!(
            "留守儿童在学习和生活中积极向上，{}人次受到学校表彰",
            t.awards
        ));
    }
    let typical: u32 = f.typical_cases.values().sum();
    if typical > 0 {
        let kinds: Vec<String> = f
            .typical_cases
            .iter()
            .filter_map(|(k, n)| {
                crate::domain::EventKind::ALL
                    .iter()
                    .find(|e| e.key() == k)
                    .map(|e| format!("{}{n}个", e.zh()))
            })
            .collect();
        parts.push(format!(
            "教师在工作中总结典型案例{typical}个（{}），为做好关爱工作积累了经验",
            kinds.join("、")
        ));
    }
    if let Some(prev) = &f.previous
        && let (Some(now), Some(before)) = (overall(&f.duty_coverage), prev.coverage)
        && now > before
    {
        parts.push(format!(
            "各项关爱工作总体完成率达到{}，比{}提高{:.1}个百分点",
            pct(now),
            term_zh(&prev.term),
            now - before
        ));
    }
    if parts.is_empty() {
        return;
    }
    s.heading("工作成效");
    s.paragraph(format!("{}。", parts.join("；")));
}

/// The problems in the seeds' tone (counts and classes, never a child's name) and the
/// school's measures for each.
fn problems_and_plans(f: &Figures) -> (Vec<String>, Vec<String>) {
    let pr = problems(f);
    let mut issues = Vec::new();
    let mut plans = Vec::new();
    // One sentence for every duty under the goal, the weakest named with its counts.
    if let Some((worst, _)) = pr.low_duties.iter().min_by(|a, b| a.1.total_cmp(&b.1)) {
        let list: Vec<String> = pr
            .low_duties
            .iter()
            .map(|(c, p)| format!("{}（{}）", c.label_zh, pct(*p)))
            .collect();
        let which = if pr.low_duties.len() > 1 {
            format!("{}等{}项工作", list.join("、"), pr.low_duties.len())
        } else {
            list.join("")
        };
        issues.push(format!(
            "各项常规关爱工作落实还不够扎实，{which}的完成率未达到学校确定的{}工作目标，其中{}最为薄弱，应完成{}人次，只完成{}人次。",
            pct(COVERAGE_GOAL),
            worst.label_zh,
            worst.due,
            worst.satisfied
        ));
    }
    if let Some(prev) = &f.previous
        && let (Some(now), Some(before)) = (overall(&f.duty_coverage), prev.coverage)
        && now < before
    {
        issues.push(format!(
            "与{}相比{}，各项关爱工作总体完成率由{}降至{}，需要引起重视。",
            term_zh(&prev.term),
            if running(f) {
                format!("（本学期截至{}月{}日）", f.as_of.month(), f.as_of.day())
            } else {
                String::new()
            },
            pct(before),
            pct(now)
        ));
    }
    if !f.no_home_visit.is_empty() {
        issues.push(format!(
            "家访覆盖面还不够，{}名留守儿童本期尚未家访。",
            f.no_home_visit.len()
        ));
    }
    if !pr.classes_behind.is_empty() {
        let classes: Vec<String> = pr
            .classes_behind
            .iter()
            .map(|(c, p, _)| format!("{}（{}）", class_zh(c), pct(*p)))
            .collect();
        issues.push(format!(
            "班级之间工作不平衡，{}的跟进完成率明显低于全校平均水平。",
            classes.join("、")
        ));
    }
    let low = |name: &str| {
        pr.low_duties
            .iter()
            .any(|(c, _)| f.duty_coverage.get(name) == Some(*c))
    };
    if low("talk") {
        plans.push(
            "落实“每月一谈”，谈心任务分解到班主任和结对教师，德育处每月检查谈心记录。".to_string(),
        );
    }
    if low("home-visit") || !f.no_home_visit.is_empty() {
        plans.push(if running(f) {
            "坚持期初、期中、期末三次集中家访，尚未家访的学生在本学期结束前全部走访到位。"
                .to_string()
        } else {
            "坚持期初、期中、期末三次集中家访，上学期未家访的学生在新学期开学一个月内全部走访到位。"
                .to_string()
        });
    }
    if low("parent-call") {
        plans.push(
            "用好亲情电话和视频，每月固定时间组织留守儿童与父母联系，寄宿生统一安排。".to_string(),
        );
    }
    if low("guardian-contact") {
        plans
            .push("加强与监护人的经常性联系，通过家长会、电话和上门走访指导隔代监护。".to_string());
    }
    for (c, _) in &pr.low_duties {
        let known = ["talk", "home-visit", "parent-call", "guardian-contact"]
            .iter()
            .any(|n| f.duty_coverage.get(*n) == Some(*c));
        if !known {
            plans.push(format!(
                "把{}纳入常规工作，定期检查、及时记录。",
                c.label_zh
            ));
        }
    }
    if !pr.classes_behind.is_empty() {
        plans.push("对工作薄弱的班级由分管领导包班督导，开展班主任经验交流。".to_string());
    }
    // "Go on" only with something to go on with: a term without any activity or parents'
    // school plans to start them.
    plans.push(if f.activity_list.is_empty() {
        "办好家长学校和留守儿童之家，定期组织集体活动，加强心理健康教育和安全教育。".to_string()
    } else {
        "继续办好家长学校和留守儿童之家，丰富集体活动，加强心理健康教育和安全教育。".to_string()
    });
    (issues, plans)
}

/// For the school's own use: the children the summary counts without naming.
fn appendix(b: &mut Vec<Block>, f: &Figures) {
    b.push(Block::Heading(
        "附：内部名单（仅供本校使用，不对外报送）".into(),
    ));
    if !f.no_home_visit.is_empty() {
        let names: Vec<String> = f
            .no_home_visit
            .iter()
            .map(|c| format!("{}（{}）", c.name, class_zh(&c.class)))
            .collect();
        b.push(Block::Paragraph(format!(
            "本期尚未家访的学生（{}人）：{}。",
            names.len(),
            names.join("、")
        )));
    }
    if !f.awards_given.is_empty() {
        let names: Vec<String> = f
            .awards_given
            .iter()
            .map(|a| {
                format!(
                    "{}（{}）{}",
                    a.child.name,
                    class_zh(&a.child.class),
                    a.title
                )
            })
            .collect();
        b.push(Block::Paragraph(format!(
            "受到表彰的学生：{}。",
            names.join("；")
        )));
    }
    if f.no_home_visit.is_empty() && f.awards_given.is_empty() {
        b.push(Block::Paragraph("本期没有需要列出姓名的学生。".into()));
    }
}
