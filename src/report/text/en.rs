//! The work summary in English: the same sections as the Chinese one, written as an English
//! reader writes a report (no 秋 in the title, classes as "Grade 6, Class 1", no first-line
//! indents); no child named but in the internal appendix.

use chrono::NaiveDate;

use super::{
    Block, COVERAGE_GOAL, Document, capitalized, class_en, class_table, cov, overall, pct,
    problems, rules_in_force, running, season, share, titled,
};
use crate::i18n::Lang;
use crate::report::figures::{ActivityItem, Figures};

pub(super) fn period_title(f: &Figures) -> String {
    match f.term.as_deref() {
        Some(term) => match season(term) {
            Some((year, true)) => format!("autumn term {year}"),
            Some((year, false)) => format!("spring term {year}"),
            None => format!("term {term}"),
        },
        None => format!("{} to {}", f.from, f.to),
    }
}

/// `n` and the words for one or for several: "1 child", "3 children".
fn counted(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn period_span(f: &Figures) -> String {
    if running(f) {
        format!("from {} to date ({})", f.from, f.as_of)
    } else {
        format!("from {} to {}", f.from, f.to)
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%-d %B").to_string()
}

pub(super) fn document(f: &Figures, with_names: bool, date: NaiveDate) -> Document {
    let title = format!(
        "{}: Work Summary on Care for Left-behind Children, {}",
        f.school,
        capitalized(&period_title(f))
    );
    let t = &f.totals;
    let mut b = Vec::new();
    if t.children_active == 0 {
        b.push(Block::Paragraph(format!(
            "{}, no left-behind children were on the school's list and no care work was recorded; there is nothing to report.",
            capitalized(&period_span(f))
        )));
        b.push(Block::Signature(vec![f.school.clone(), date.to_string()]));
        return Document { title, blocks: b };
    }
    let mut n = 0;
    let mut heading = |b: &mut Vec<Block>, text: &str| {
        n += 1;
        b.push(Block::Heading(format!("{n}. {text}")));
    };
    let p = &f.profile;
    let o = &f.organisation;

    heading(&mut b, "The children");
    let mut text = format!(
        "{}, {} on the school's list: {} with both parents working away and {} with one.",
        capitalized(&period_span(f)),
        counted(
            t.children_active,
            "left-behind child was",
            "left-behind children were"
        ),
        t.by_type.both_parents,
        t.by_type.one_parent
    );
    if p.boarding > 0 {
        text.push_str(&format!(" {} board at school.", p.boarding));
    }
    if p.guardians_on_file > 0 {
        text.push_str(&format!(
            " {} ({}) are cared for by grandparents.",
            p.grandparent_guardians,
            share(p.grandparent_guardians, t.children_active)
        ));
    }
    if t.children_new > 0 {
        text.push_str(&format!(
            " {} opened.",
            counted(t.children_new, "new file was", "new files were")
        ));
    }
    if t.children_archived > 0 {
        let reasons: Vec<String> = f
            .archived_reasons
            .values()
            .map(|r| format!("{}: {}", r.en, r.count))
            .collect();
        text.push_str(&format!(
            " {} the list ({}); {} kept.",
            counted(t.children_archived, "child left", "children left"),
            reasons.join(", "),
            if t.children_archived == 1 {
                "the file is"
            } else {
                "their files are"
            }
        ));
    }
    b.push(Block::Paragraph(text));

    heading(&mut b, "Organisation and rules");
    let mut text = String::from("The school's care group");
    if !o.admins.is_empty() {
        text.push_str(&format!(" is led by {}", titled(f, &o.admins, " and ")));
    }
    if !o.counselors.is_empty() {
        text.push_str(&format!(
            "; {} in charge of counselling",
            if o.counselors.len() == 1 {
                format!("{} is", o.counselors[0])
            } else {
                format!("{} are", o.counselors.join(" and "))
            }
        ));
    }
    if o.class_teachers > 0 {
        text.push_str(&format!(
            "; {} after the children of their classes",
            counted(
                o.class_teachers,
                "class teacher looks",
                "class teachers look"
            )
        ));
    }
    let rules = rules_in_force(f, Lang::En);
    let rules = match rules.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => rules.join(""),
    };
    text.push_str(&format!(
        ". Every child has a file and a contact card, and the school keeps {rules}."
    ));
    b.push(Block::Paragraph(text));

    heading(&mut b, "Mentoring and talks");
    let mut text = if t.mentor_pairs > 0 {
        format!(
            "{} {}, helping with schoolwork and everyday life. ",
            counted(o.mentors, "teacher mentors", "teachers mentor"),
            counted(t.mentor_pairs, "child", "children")
        )
    } else {
        String::from("No mentors were assigned yet. ")
    };
    text.push_str(&if t.talks == 0 {
        String::from("No talks have been recorded yet")
    } else {
        format!("Teachers held {}", counted(t.talks, "talk", "talks"))
    });
    if let Some((c, pc)) = cov(f, "talk") {
        text.push_str(&format!(
            "; of the {} monthly talks due, {} were held in time ({})",
            c.due,
            c.satisfied,
            pct(pc)
        ));
    }
    text.push('.');
    b.push(Block::Paragraph(text));

    heading(&mut b, "Home visits and guardians");
    let mut text = if t.home_visits == 0 {
        String::from("No home visits have been recorded yet")
    } else {
        format!(
            "{} made {}",
            counted(t.home_visit_teachers, "teacher", "teachers"),
            counted(t.home_visits, "home visit", "home visits")
        )
    };
    if let Some((c, pc)) = cov(f, "home-visit") {
        text.push_str(&format!(
            "; {} start-, middle- and end-of-term visits {}, and {} were made in time ({})",
            c.due,
            if running(f) {
                "have fallen due so far"
            } else {
                "fell due"
            },
            c.satisfied,
            pct(pc)
        ));
    }
    if t.guardians_contacted > 0 {
        text.push_str(&format!(
            ". The school kept in touch with {} by visits and phone.",
            counted(t.guardians_contacted, "guardian", "guardians")
        ));
    } else {
        text.push('.');
    }
    b.push(Block::Paragraph(text));

    heading(&mut b, "Contact with parents");
    let mut text = if t.parent_calls == 0 {
        String::from("No calls or letters to parents have been recorded yet")
    } else {
        format!(
            "Children called, video-called or wrote to their parents {}",
            counted(t.parent_calls, "time", "times")
        )
    };
    if let Some((c, pc)) = cov(f, "parent-call") {
        text.push_str(&format!(
            "; the monthly contact was due {} and kept {} ({})",
            counted(c.due, "time", "times"),
            counted(c.satisfied, "time", "times"),
            pct(pc)
        ));
    }
    text.push('.');
    b.push(Block::Paragraph(text));

    if t.counseling_sessions > 0 || !o.counselors.is_empty() {
        heading(&mut b, "Mental health");
        b.push(Block::Paragraph(if t.counseling_sessions == 0 {
            "No individual counselling sessions were recorded.".to_string()
        } else {
            format!(
                "The {} held {}.",
                if o.counselors.len() == 1 {
                    "counsellor"
                } else {
                    "counsellors"
                },
                counted(
                    t.counseling_sessions,
                    "individual session",
                    "individual sessions"
                )
            )
        }));
    }

    heading(&mut b, "Group activities and the parents' school");
    let acts: Vec<&ActivityItem> = f.activity_list.iter().filter(|a| !a.training).collect();
    let trainings: Vec<&ActivityItem> = f.activity_list.iter().filter(|a| a.training).collect();
    let mut text = if acts.is_empty() {
        String::from("No group activities were recorded.")
    } else {
        let list: Vec<String> = acts
            .iter()
            .map(|a| {
                format!(
                    "{} ({}, {})",
                    a.title,
                    day(a.date),
                    counted(a.children, "child", "children")
                )
            })
            .collect();
        format!(
            "The school held {}: {}.",
            counted(acts.len() as u32, "group activity", "group activities"),
            list.join("; ")
        )
    };
    if trainings.is_empty() {
        text.push_str(" No parents' school session was held.");
    } else {
        let sessions = if trainings.len() == 1 {
            String::from("One parents' school session was")
        } else {
            format!("{} parents' school sessions were", trainings.len())
        };
        text.push_str(&format!(
            " {sessions} held for guardians ({} attendances).",
            f.training_attendance
        ));
    }
    b.push(Block::Paragraph(text));

    if p.poverty_support > 0 || p.boarding > 0 || p.assistance > 0 {
        heading(&mut b, "Financial support and boarding");
        b.push(Block::Paragraph(format!(
            "{} children received poverty support; {} grants or donations were handed out; {} children board at school.",
            p.poverty_support, p.assistance, p.boarding
        )));
    }

    heading(&mut b, "Safety");
    b.push(Block::Paragraph(if p.incidents == 0 {
        "Safety lessons covered drowning, traffic and bullying; no incidents involving these children were recorded.".to_string()
    } else {
        format!(
            "Safety lessons covered drowning, traffic and bullying; {} incidents (illness, injuries) were recorded and handled with the guardians.",
            p.incidents
        )
    }));

    let mut results = Vec::new();
    if t.awards > 0 {
        results.push(format!("children received {} school awards", t.awards));
    }
    let typical: u32 = f.typical_cases.values().sum();
    if typical > 0 {
        results.push(format!(
            "teachers wrote up {typical} typical cases to learn from"
        ));
    }
    let comparison = match (&f.previous, overall(&f.duty_coverage)) {
        (Some(prev), Some(now)) => prev.coverage.map(|before| (now, before)),
        _ => None,
    };
    if let Some((now, before)) = comparison
        && now > before
    {
        results.push(format!(
            "the follow-ups were done in time in {} of cases, up from {} last term",
            pct(now),
            pct(before)
        ));
    }
    if !results.is_empty() {
        heading(&mut b, "Results");
        b.push(Block::Paragraph(format!(
            "{}.",
            capitalized(&results.join("; "))
        )));
    }

    heading(&mut b, "Problems");
    let pr = problems(f);
    let mut issues = Vec::new();
    for (c, p) in &pr.low_duties {
        issues.push(format!(
            "The {} was done in time in only {} of cases ({} of {}), below the {} target.",
            c.label_en,
            pct(*p),
            c.satisfied,
            c.due,
            pct(COVERAGE_GOAL)
        ));
    }
    if let Some((now, before)) = comparison
        && now < before
    {
        issues.push(format!(
            "The follow-ups done in time fell from {} last term to {}.",
            pct(before),
            pct(now)
        ));
    }
    if !f.no_home_visit.is_empty() {
        issues.push(format!(
            "{} not been visited at home this term.",
            counted(f.no_home_visit.len() as u32, "child has", "children have")
        ));
    }
    for (class, p, school) in &pr.classes_behind {
        issues.push(format!(
            "{} is behind the school ({} against {}).",
            class_en(class),
            pct(*p),
            pct(*school)
        ));
    }
    if issues.is_empty() {
        b.push(Block::Paragraph(if overall(&f.duty_coverage).is_none() {
            "The files were opened this term and no follow-up has fallen due yet: there is nothing to measure so far.".into()
        } else {
            "The follow-ups were kept in time; the work still needs more depth, especially with grandparents who care alone.".into()
        }));
    } else {
        b.push(Block::points(issues));
    }
    heading(&mut b, "Next steps");
    let mut plans = Vec::new();
    if !pr.low_duties.is_empty() {
        plans.push("Share out the monthly talks and calls among class teachers and mentors, and check the records every month.".to_string());
    }
    if !f.no_home_visit.is_empty() {
        plans.push(if running(f) {
            "Visit every child not yet visited before the end of this term.".to_string()
        } else {
            "Visit every child missed last term within the first month of the new term.".to_string()
        });
    }
    if !pr.classes_behind.is_empty() {
        plans.push(
            "A school leader supports each class that is behind, with teachers sharing what works."
                .to_string(),
        );
    }
    plans.push(if f.activity_list.is_empty() {
        "Start the parents' school and regular group activities, with mental-health and safety lessons.".to_string()
    } else {
        "Keep the parents' school and group activities going, with mental-health and safety lessons.".to_string()
    });
    b.push(Block::points(plans));
    b.push(Block::Paragraph(
        "Caring for left-behind children is long-term work; the school will keep at it with the families and the community.".into(),
    ));
    b.push(Block::Signature(vec![f.school.clone(), date.to_string()]));
    class_table(f, Lang::En, &mut b);
    if with_names {
        b.push(Block::Heading(
            "Internal appendix (for the school only, not for the bureau)".into(),
        ));
        let names: Vec<String> = f
            .no_home_visit
            .iter()
            .map(|c| format!("{} ({})", c.name, class_en(&c.class)))
            .collect();
        b.push(Block::Paragraph(if names.is_empty() {
            "Every child on the list was visited at home.".to_string()
        } else {
            format!("Not yet visited at home: {}.", names.join(", "))
        }));
        if !f.awards_given.is_empty() {
            let names: Vec<String> = f
                .awards_given
                .iter()
                .map(|a| {
                    format!(
                        "{} ({}) {}",
                        a.child.name,
                        class_en(&a.child.class),
                        a.title
                    )
                })
                .collect();
            b.push(Block::Paragraph(format!("Awards: {}.", names.join("; "))));
        }
    }
    Document { title, blocks: b }
}
