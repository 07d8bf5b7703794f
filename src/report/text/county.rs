//! The county's roll-up as text (县级汇总), from the summed figures and the schools' rows,
//! following a school summary's sections at county level: 基本情况 → 关爱工作 (with each
//! duty's coverage) → 集体活动与家长学校 → 各校情况 (a table, with its 合计) → 需要关注的学校
//! (under 80 %) → 成效 (when every school compared with the same previous term). It names
//! schools, never a child.

use chrono::NaiveDate;

use super::{Block, COVERAGE_GOAL, Document, date_zh, overall, pct, share};
use crate::i18n::Lang;
use crate::report::combine::SummaryFile;

/// The roll-up of `county` (its summed figures and a row per school), dated `date`.
pub fn document(c: &SummaryFile, lang: Lang, date: NaiveDate) -> Document {
    let f = &c.figures;
    let t = &f.totals;
    let n = c.schools.len();
    let cov = overall(&f.duty_coverage);
    let rate = |p: Option<f64>| p.map_or_else(|| String::from("-"), pct);
    // Under the goal by the counts themselves, not by a rounded rate (79.96% is under 80%).
    let under = |s: &crate::report::combine::SchoolRow| {
        let (due, done) = s.duty_coverage.values().fold((0u64, 0u64), |(d, k), c| {
            (d + u64::from(c.due), k + u64::from(c.satisfied))
        });
        due > 0 && (done as f64) * 100.0 < COVERAGE_GOAL * due as f64
    };
    let low: Vec<String> = c
        .schools
        .iter()
        .filter(|s| under(s))
        .map(|s| match lang {
            Lang::Zh => format!("{}（{}）", s.school, rate(s.coverage)),
            Lang::En => format!("{} ({})", s.school, rate(s.coverage)),
        })
        .collect();
    let duties: Vec<Vec<String>> = f
        .duty_order
        .iter()
        .filter_map(|k| f.duty_coverage.get(k))
        .map(|c| {
            vec![
                lang.pick(&c.label_zh, &c.label_en).to_string(),
                c.due.to_string(),
                c.satisfied.to_string(),
                rate(c.percent),
            ]
        })
        .collect();
    let mut rows: Vec<Vec<String>> = c
        .schools
        .iter()
        .map(|s| {
            vec![
                s.school.clone(),
                s.children_active.to_string(),
                s.both_parents.to_string(),
                s.one_parent.to_string(),
                s.talks.to_string(),
                s.home_visits.to_string(),
                s.parent_calls.to_string(),
                s.activities.to_string(),
                s.trainings.to_string(),
                rate(s.coverage),
            ]
        })
        .collect();
    rows.push(vec![
        lang.pick("合计", "Total").to_string(),
        t.children_active.to_string(),
        t.by_type.both_parents.to_string(),
        t.by_type.one_parent.to_string(),
        t.talks.to_string(),
        t.home_visits.to_string(),
        t.parent_calls.to_string(),
        f.activities.to_string(),
        f.trainings.to_string(),
        rate(cov),
    ]);
    let mut b = Vec::new();
    match lang {
        Lang::Zh => {
            let period = super::zh::period_title(f);
            b.push(Block::Paragraph(format!(
                "根据各校报送的{period}关爱留守儿童工作总结，现将全县 {n} 所学校的情况汇总如下。"
            )));
            b.push(Block::Heading("一、基本情况".into()));
            b.push(Block::Paragraph(format!(
                "截至{}，各校在册留守儿童共 {} 人，其中父母双方外出 {} 人（{}），一方外出 {} 人；本期新建档案 {} 人，销档 {} 人。寄宿 {} 人，重点帮扶 {} 人，由祖辈监护 {} 人。",
                date_zh(f.as_of),
                t.children_active,
                t.by_type.both_parents,
                share(t.by_type.both_parents, t.children_active),
                t.by_type.one_parent,
                t.children_new,
                t.children_archived,
                f.profile.boarding,
                f.profile.key_support,
                f.profile.grandparent_guardians
            )));
            b.push(Block::Heading("二、关爱工作".into()));
            b.push(Block::Paragraph(format!(
                "各校教师与留守儿童谈心 {} 次，家访 {} 次（{} 位教师参与），组织亲情通话、写信 {} 次，联系监护人 {} 位；心理辅导 {} 次；结对帮扶 {} 对。各项应做工作的完成率为 {}。",
                t.talks,
                t.home_visits,
                t.home_visit_teachers,
                t.parent_calls,
                t.guardians_contacted,
                t.counseling_sessions,
                t.mentor_pairs,
                rate(cov)
            )));
            if !duties.is_empty() {
                b.push(Block::Table {
                    header: ["工作", "应做", "完成", "完成率"]
                        .map(String::from)
                        .to_vec(),
                    rows: duties,
                    total: false,
                });
            }
            b.push(Block::Heading("三、集体活动与家长学校".into()));
            b.push(Block::Paragraph(format!(
                "各校开展集体活动 {} 次，举办家长学校 {} 期，参加 {} 人次。",
                f.activities, f.trainings, f.training_attendance
            )));
            b.push(Block::Heading("四、各校情况".into()));
            b.push(Block::Table {
                header: [
                    "学校",
                    "留守儿童",
                    "双亲外出",
                    "单亲外出",
                    "谈心",
                    "家访",
                    "亲情联系",
                    "集体活动",
                    "家长学校",
                    "完成率",
                ]
                .map(String::from)
                .to_vec(),
                rows,
                total: true,
            });
            b.push(Block::Heading("五、需要关注的学校".into()));
            b.push(Block::Paragraph(if low.is_empty() {
                format!("各校应做工作的完成率均不低于 {COVERAGE_GOAL:.0}%。")
            } else {
                format!(
                    "以下 {} 所学校应做工作的完成率低于 {COVERAGE_GOAL:.0}%，请督促落实：{}。",
                    low.len(),
                    low.join("、")
                )
            }));
            if let Some(p) = &f.previous {
                b.push(Block::Heading("六、与上学期比较".into()));
                b.push(Block::Paragraph(format!(
                    "与{}相比，谈心 {} 次（上学期 {} 次），家访 {} 次（上学期 {} 次），亲情联系 {} 次（上学期 {} 次），集体活动 {} 次（上学期 {} 次）。",
                    super::term_zh(&p.term),
                    t.talks,
                    p.talks,
                    t.home_visits,
                    p.home_visits,
                    t.parent_calls,
                    p.parent_calls,
                    f.activities,
                    p.activities
                )));
            }
            b.push(Block::Signature(vec![f.school.clone(), date_zh(date)]));
            Document {
                title: format!("{}{period}关爱留守儿童工作汇总", f.school),
                blocks: b,
            }
        }
        Lang::En => {
            let period = super::en::period_title(f);
            b.push(Block::Paragraph(format!(
                "From the work summaries the schools sent in for the {period}, this is the roll-up of {n} schools."
            )));
            b.push(Block::Heading("1. The children".into()));
            b.push(Block::Paragraph(format!(
                "As of {}, the schools had {} left-behind children on their lists: {} with both parents away ({}) and {} with one. {} files were opened and {} closed. {} board at school, {} receive key support, {} are cared for by grandparents.",
                f.as_of,
                t.children_active,
                t.by_type.both_parents,
                share(t.by_type.both_parents, t.children_active),
                t.by_type.one_parent,
                t.children_new,
                t.children_archived,
                f.profile.boarding,
                f.profile.key_support,
                f.profile.grandparent_guardians
            )));
            b.push(Block::Heading("2. Care work".into()));
            b.push(Block::Paragraph(format!(
                "Teachers held {} talks and made {} home visits ({} teachers); {} calls and letters with parents; {} guardians were contacted; {} counselling sessions; {} mentoring pairs. Of what was due, {} was done.",
                t.talks,
                t.home_visits,
                t.home_visit_teachers,
                t.parent_calls,
                t.guardians_contacted,
                t.counseling_sessions,
                t.mentor_pairs,
                rate(cov)
            )));
            if !duties.is_empty() {
                b.push(Block::Table {
                    header: ["duty", "due", "done", "rate"].map(String::from).to_vec(),
                    rows: duties,
                    total: false,
                });
            }
            b.push(Block::Heading(
                "3. Activities and the parents' school".into(),
            ));
            b.push(Block::Paragraph(format!(
                "The schools held {} group activities and {} parents' school sessions ({} attendances).",
                f.activities, f.trainings, f.training_attendance
            )));
            b.push(Block::Heading("4. The schools".into()));
            b.push(Block::Table {
                header: [
                    "school",
                    "children",
                    "both away",
                    "one away",
                    "talks",
                    "visits",
                    "parent calls",
                    "activities",
                    "trainings",
                    "rate",
                ]
                .map(String::from)
                .to_vec(),
                rows,
                total: true,
            });
            b.push(Block::Heading("5. Schools to follow up".into()));
            b.push(Block::Paragraph(if low.is_empty() {
                format!("Every school did at least {COVERAGE_GOAL:.0}% of what was due.")
            } else {
                format!(
                    "{} schools did less than {COVERAGE_GOAL:.0}% of what was due: {}.",
                    low.len(),
                    low.join(", ")
                )
            }));
            if let Some(p) = &f.previous {
                b.push(Block::Heading("6. Compared with last term".into()));
                b.push(Block::Paragraph(format!(
                    "Against {}: {} talks ({} then), {} home visits ({} then), {} parent calls ({} then), {} activities ({} then).",
                    p.term,
                    t.talks,
                    p.talks,
                    t.home_visits,
                    p.home_visits,
                    t.parent_calls,
                    p.parent_calls,
                    f.activities,
                    p.activities
                )));
            }
            b.push(Block::Signature(vec![f.school.clone(), date.to_string()]));
            Document {
                title: format!(
                    "{}: roll-up of the left-behind children's care, {period}",
                    f.school
                ),
                blocks: b,
            }
        }
    }
}
