//! The term work summary: every figure on a hand-built school, the text holding exactly those
//! figures, counselling as a count only, anonymized output without a name, a valid .docx, a
//! self-contained HTML page, and the CLI's periods and mistakes.

mod common;

use chrono::NaiveDate;

use common::*;
use guanai::domain::*;
use guanai::followup::Rules;
use guanai::i18n::Lang;
use guanai::report::{self, Figures};
use guanai::service::{BatchAudit, Command, Identity, Service};

const FROM: (i32, u32, u32) = (2026, 9, 1);
const TO: (i32, u32, u32) = (2026, 10, 31);

/// Every name in the dataset: none may appear in anonymized output.
const NAMES: &[&str] = &[
    "张小珠",
    "王小明",
    "王小红",
    "李新",
    "赵旧",
    "钱返",
    "张奶奶",
    "王爷爷",
    "张大山",
    "李春花",
];

struct Fixture {
    school: School,
}

fn basic(name: &str, class: &str, kind: LeftBehindType, opened: NaiveDate) -> NewChild {
    let mut c = NewChild::basic(name, Gender::Male, day(2013, 5, 5), class);
    c.left_behind.kind = kind;
    c.opened = Some(opened);
    c
}

fn fixture() -> Fixture {
    let s = school();
    let admin = s.admin;
    let teacher = s.teacher;
    let counselor = s.counselor;
    let zhao = match s
        .service
        .execute(staff("赵老师", &[Role::ClassTeacher], &["八(1)班"]))
        .unwrap()
    {
        guanai::service::Outcome::Staff(id) => id,
        other => panic!("{other:?}"),
    };
    let _ = zhao;
    let mut a = full_child("张小珠", "20240701", teacher);
    a.opened = Some(day(2026, 8, 1));
    let a = add_child(&s.service, a);
    let grandpa = Guardian {
        name: "王爷爷".into(),
        relation: "祖父".into(),
        phone: Some("13800000009".into()),
        age: Some(70),
        health: None,
        can_supervise_study: None,
    };
    let mut b = basic(
        "王小明",
        "七(2)班",
        LeftBehindType::OneParent,
        day(2026, 8, 1),
    );
    b.mentor = Some(teacher);
    b.guardian = Some(grandpa.clone());
    let b = add_child(&s.service, b);
    let mut c = basic(
        "王小红",
        "八(1)班",
        LeftBehindType::BothParents,
        day(2026, 8, 1),
    );
    c.guardian = Some(grandpa);
    let c = add_child(&s.service, c);
    let d = add_child(
        &s.service,
        basic(
            "李新",
            "八(1)班",
            LeftBehindType::OneParent,
            day(2026, 10, 10),
        ),
    );
    let e = add_child(
        &s.service,
        basic(
            "赵旧",
            "七(2)班",
            LeftBehindType::BothParents,
            day(2025, 9, 1),
        ),
    );
    let f = add_child(
        &s.service,
        basic(
            "钱返",
            "八(1)班",
            LeftBehindType::BothParents,
            day(2025, 9, 1),
        ),
    );
    let ev = |child, kind, date, who, note: &str| event(child, kind, date, who, note);
    s.service
        .execute_all(
            vec![
                ev(a, EventKind::Talk, day(2026, 9, 10), teacher, "开学谈心"),
                ev(a, EventKind::Talk, day(2026, 10, 12), teacher, "期中前谈心"),
                ev(
                    a,
                    EventKind::HomeVisit,
                    day(2026, 9, 5),
                    teacher,
                    "开学家访",
                ),
                ev(a, EventKind::Call, day(2026, 9, 20), teacher, "与父亲通话"),
                ev(
                    a,
                    EventKind::Letter,
                    day(2026, 10, 5),
                    teacher,
                    "给妈妈写信",
                ),
                ev(a, EventKind::Award, day(2026, 10, 20), admin, "自强少年"),
                ev(a, EventKind::Note, day(2026, 9, 9), teacher, "备注"),
                ev(a, EventKind::Talk, day(2026, 8, 25), teacher, "假期谈心"),
                ev(a, EventKind::Talk, day(2026, 11, 5), teacher, "期中后谈心"),
                ev(b, EventKind::Talk, day(2026, 9, 15), teacher, "谈心"),
                ev(b, EventKind::HomeVisit, day(2026, 9, 6), admin, "家访"),
                ev(
                    b,
                    EventKind::GuardianContact,
                    day(2026, 10, 3),
                    teacher,
                    "电话",
                ),
                ev(
                    c,
                    EventKind::SchoolVisit,
                    day(2026, 10, 8),
                    admin,
                    "爷爷来校",
                ),
                ev(d, EventKind::Talk, day(2026, 10, 20), teacher, "谈心"),
                ev(e, EventKind::Talk, day(2026, 9, 10), teacher, "不应计入"),
                ev(f, EventKind::HomeVisit, day(2026, 9, 7), teacher, "家访"),
                Command::AddActivity(NewActivity {
                    kind: ActivityKind::Activity,
                    date: day(2026, 9, 25),
                    title: "读书活动".into(),
                    organiser: teacher,
                    children: vec![a, b],
                    guardians: vec![],
                }),
                Command::AddActivity(NewActivity {
                    kind: ActivityKind::Training,
                    date: day(2026, 10, 10),
                    title: "家长学校".into(),
                    organiser: admin,
                    children: vec![],
                    guardians: vec!["张奶奶".into(), "王爷爷".into()],
                }),
                Command::AddActivity(NewActivity {
                    kind: ActivityKind::Training,
                    date: day(2026, 11, 10),
                    title: "家长学校(二)".into(),
                    organiser: admin,
                    children: vec![],
                    guardians: vec!["张奶奶".into()],
                }),
                // Archived after their events were logged (a file archived late, dated back).
                Command::ArchiveChild {
                    child: e,
                    reason: ArchiveReason::Graduated,
                    date: day(2026, 8, 20),
                },
                Command::ArchiveChild {
                    child: f,
                    reason: ArchiveReason::ParentsReturned,
                    date: day(2026, 10, 15),
                },
            ],
            BatchAudit::Each,
        )
        .unwrap();
    Service::open(&s.path(), today(), Identity::Staff("陈老师".into()))
        .unwrap()
        .execute(ev(
            a,
            EventKind::Counseling,
            day(2026, 10, 1),
            counselor,
            "咨询: 失眠",
        ))
        .unwrap();
    Fixture { school: s }
}

fn figures(fx: &Fixture) -> Figures {
    fx.school
        .service
        .report(
            &Rules::defaults(),
            None,
            day(FROM.0, FROM.1, FROM.2),
            day(TO.0, TO.1, TO.2),
        )
        .unwrap()
}

#[test]
fn every_figure_on_a_hand_built_school() {
    let fx = fixture();
    let f = figures(&fx);
    let t = &f.totals;
    // 赵旧 was archived before the period: not counted, nor his talk. 钱返 left during it.
    assert_eq!(t.children_active, 5);
    assert_eq!(t.children_new, 1, "李新, opened 10-10");
    assert_eq!(t.children_archived, 1, "钱返, 10-15");
    assert_eq!((t.by_type.both_parents, t.by_type.one_parent), (3, 2));
    assert_eq!(t.talks, 4, "two of 张小珠 in the period, 王小明, 李新");
    assert_eq!(t.home_visits, 3);
    assert_eq!(t.home_visit_teachers, 2, "李老师 and 王校长");
    // 张奶奶; 王爷爷 (for two grandchildren: one guardian); 钱返's family (no guardian on file).
    assert_eq!(t.guardians_contacted, 3);
    assert_eq!(t.parent_calls, 2, "a call and a letter");
    assert_eq!(t.counseling_sessions, 1);
    assert_eq!(t.awards, 1);
    assert_eq!(t.mentor_pairs, 2);
    assert_eq!(
        (f.activities, f.trainings, f.training_attendance),
        (1, 1, 2)
    );
    assert_eq!(f.archived_reasons.len(), 1);
    assert_eq!(f.archived_reasons["父母返乡"].count, 1);
    assert_eq!(f.archived_reasons["父母返乡"].en, "parents returned");
    assert_eq!(f.awards_given.len(), 1);
    assert_eq!(f.awards_given[0].child.name, "张小珠");
    assert_eq!(f.awards_given[0].title, "自强少年");
    // On the roster at the end, opened before the middle, no home visit: 王小红 only (李新
    // opened too late to owe one, 钱返 has left).
    let missing: Vec<&str> = f.no_home_visit.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(missing, vec!["王小红"]);
    // The monthly talk: September owed by 张小珠 王小明 王小红 钱返 (done by the first two);
    // October by 张小珠 王小明 王小红 李新 (钱返 left before it was due; done by 张小珠, 李新).
    let talk = &f.duty_coverage["talk"];
    assert_eq!((talk.due, talk.satisfied, talk.percent), (8, 4, Some(50.0)));
    // The per-class counts add up to the totals.
    let c72 = &f.per_class["七(2)班"].counts;
    let c81 = &f.per_class["八(1)班"].counts;
    assert_eq!((c72.children_active, c81.children_active), (2, 3));
    assert_eq!((c72.talks, c81.talks), (3, 1));
    assert_eq!((c72.home_visits, c81.home_visits), (2, 1));
    assert_eq!(
        c72.guardians_contacted + c81.guardians_contacted,
        4,
        "王爷爷 in both classes"
    );
    assert_eq!(f.per_class.len(), 2, "no class for 赵旧 alone");
    let t72 = &f.per_class["七(2)班"].duty_coverage["talk"];
    assert_eq!((t72.due, t72.satisfied), (4, 3));
    assert_eq!(f.organisation.admins, vec!["王校长"]);
    assert_eq!(f.organisation.counselors, vec!["陈老师"]);
    assert_eq!(f.organisation.class_teachers, 2);
}

fn text(f: &Figures, lang: Lang, anonymize: bool) -> String {
    let mut f = f.clone();
    if anonymize {
        report::anonymize(&mut f);
    }
    report::export::markdown(&report::document(&f, lang, anonymize, today()))
}

#[test]
fn the_text_holds_the_figures_and_names_problems_from_the_data() {
    let fx = fixture();
    let f = figures(&fx);
    let zh = text(&f, Lang::Zh, false);
    for part in [
        "2026年9月1日至2026年10月31日关爱留守儿童工作总结",
        "在册留守儿童5人，其中父母双方外出3人，一方外出2人；本期新建档1人",
        "1人不再是留守儿童（父母返乡1人）",
        "由王校长负责，陈老师负责心理辅导，2位班主任",
        "1位教师与2名留守儿童结成帮扶对子",
        "本期共开展谈心4次，每月谈心应做8人次，完成4人次，完成率50%",
        "本期2位教师家访3次",
        "与3位监护人进行了沟通",
        "通话、写信共2次",
        "心理辅导1次",
        "集体活动1次；举办家长学校（监护人家庭教育培训）1期，参加培训2人次",
        "受到表彰1次：张小珠（七(2)班）自强少年",
        "谈心的完成率只有50%（4/8），低于80%",
        "1名学生本期还没有家访：王小红（八(1)班）",
        "| 七(2)班 | 2 | 1 | 3 | 2 | 2 |",
        "## 九、存在问题与下步打算",
    ] {
        assert!(zh.contains(part), "the text lacks {part}:\n{zh}");
    }
    // Classes behind the others: listed exactly when their coverage over all duties is more
    // than 10 points under the school's (八(1)班 here: one talk of four owed, no visits).
    let school = report::text::overall(&f.duty_coverage).unwrap();
    let behind = report::text::problems(&f).classes_behind;
    for (class, c) in &f.per_class {
        let p = report::text::overall(&c.duty_coverage).unwrap();
        let listed = behind.iter().any(|(b, _, _)| b == class);
        let tenths = |p: f64| (p * 10.0).round() as i64;
        assert_eq!(
            listed,
            tenths(school) - tenths(p) > 100,
            "{class}: {p} against {school}"
        );
    }
    assert!(behind.iter().any(|(b, _, _)| *b == "八(1)班"), "{behind:?}");
    assert!(zh.contains("八(1)班的跟进完成率为"), "{zh}");
    assert!(zh.contains("加强对八(1)班关爱工作的督促和指导"), "{zh}");
    // The headings in the order of the schools' own summaries.
    let order = [
        "基本情况",
        "组织领导与制度",
        "结对帮扶与谈心",
        "家访与家校联系",
        "亲情联系",
        "心理健康教育",
        "集体活动与家长学校",
        "表彰",
        "存在问题与下步打算",
    ];
    let at: Vec<usize> = order.iter().map(|h| zh.find(h).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    assert!(
        zh.trim_end().ends_with("2026年11月29日"),
        "school and date close it"
    );
    // Counselling is a count: no child's name in its section.
    let section = &zh[zh.find("六、心理健康教育").unwrap()..zh.find("七、").unwrap()];
    for n in NAMES {
        assert!(!section.contains(n), "{n} next to counselling: {section}");
    }
    assert!(!zh.contains("失眠"), "no counselling note in the report");
    let en = text(&f, Lang::En, false);
    for part in [
        "5 left-behind children were on the roster: 3 with both parents away and 2 with one parent away; 1 files were opened",
        "4 talks were held; the monthly talk was due 8 times and done 4 times (50%)",
        "2 teachers made 3 home visits and reached 3 guardians",
        "called or wrote to their parents 2 times",
        "1 counselling sessions",
        "1 group activities were held; 1 guardian training sessions (parents' school) had 2 attendances",
        "Monthly talk was done for only 50% (4/8), under 80%",
        "1 children had no home visit: 王小红 (八(1)班)",
    ] {
        assert!(en.contains(part), "the English text lacks {part}:\n{en}");
    }
}

#[test]
fn anonymized_output_holds_no_name_in_any_format() {
    let fx = fixture();
    let f = figures(&fx);
    for lang in [Lang::Zh, Lang::En] {
        let t = text(&f, lang, true);
        for n in NAMES {
            assert!(!t.contains(n), "{n} in the anonymized text:\n{t}");
        }
        assert!(t.contains("还没有家访") || t.contains("no home visit"));
    }
    let dir = tempfile::tempdir().unwrap();
    for format in ["md", "html", "json", "docx"] {
        let path = dir.path().join(format!("r.{format}"));
        let out = guanai_process(&fx.school.path())
            .args([
                "--user",
                "王校长",
                "report",
                "--from",
                "2026-09-01",
                "--to",
                "2026-10-31",
                "--anonymize",
                "--format",
                format,
                "--out",
            ])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = if format == "docx" {
            docx_xml(&path)
        } else {
            std::fs::read_to_string(&path).unwrap()
        };
        for n in NAMES {
            assert!(!text.contains(n), "{n} in the anonymized {format}");
        }
        assert!(text.contains("七(2)班"), "{format}: classes stay");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{format}: readable by its owner only");
    }
}

/// The text of word/document.xml in a .docx, after checking the package.
fn docx_xml(path: &std::path::Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).expect("a .docx is a zip package");
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    for part in [
        "[Content_Types].xml",
        "word/document.xml",
        "word/styles.xml",
        "_rels/.rels",
    ] {
        assert!(names.iter().any(|n| n == part), "{part} missing: {names:?}");
    }
    let mut all = String::new();
    for name in names
        .iter()
        .filter(|n| n.ends_with(".xml") || n.ends_with(".rels"))
    {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut xml).unwrap();
        roxmltree::Document::parse(&xml)
            .unwrap_or_else(|e| panic!("{name} is not well-formed: {e}"));
        if name == "word/document.xml" {
            all = xml;
        }
    }
    all
}

#[test]
fn docx_html_and_json_hold_the_figures() {
    let fx = fixture();
    let dir = tempfile::tempdir().unwrap();
    let run = |format: &str| {
        let path = dir.path().join(format!("r.{format}"));
        let out = guanai_process(&fx.school.path())
            .args([
                "--user",
                "王校长",
                "report",
                "--from",
                "2026-09-01",
                "--to",
                "2026-10-31",
                "--format",
                format,
                "--out",
            ])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        path
    };
    let xml = docx_xml(&run("docx"));
    for part in [
        "在册留守儿童5人",
        "谈心4次",
        "完成率50%",
        "张小珠（七(2)班）自强少年",
        "宋体",
        "黑体",
    ] {
        assert!(xml.contains(part), "document.xml lacks {part}");
    }
    let html = std::fs::read_to_string(run("html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("在册留守儿童5人") && html.contains("@media print"));
    for outside in ["<link", "<script", "src=", "http://", "https://"] {
        assert!(!html.contains(outside), "not self-contained: {outside}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(run("json")).unwrap()).unwrap();
    for (key, want) in [
        ("children_active", 5),
        ("children_new", 1),
        ("children_archived", 1),
        ("talks", 4),
        ("home_visits", 3),
        ("home_visit_teachers", 2),
        ("guardians_contacted", 3),
        ("parent_calls", 2),
        ("counseling_sessions", 1),
        ("activities", 1),
        ("trainings", 1),
        ("training_attendance", 2),
        ("awards", 1),
        ("mentor_pairs", 2),
    ] {
        assert_eq!(json[key], want, "{key}");
    }
    assert_eq!(json["by_type"]["both_parents"], 3);
    assert_eq!(json["by_type"]["one_parent"], 2);
    assert_eq!(json["duty_coverage"]["talk"]["percent"], 50.0);
    assert_eq!(json["per_class"]["八(1)班"]["children_active"], 3);
    // Counselling per class could point at a child in a small class: not written.
    assert!(
        json["per_class"]["七(2)班"]
            .get("counseling_sessions")
            .is_none()
    );
    assert!(json["per_class"]["七(2)班"].get("talks").is_some());
}

#[test]
fn periods_terms_and_mistakes_on_the_command_line() {
    let fx = fixture();
    let db = fx.school.path();
    let out = guanai_process(&db)
        .args(["--user", "王校长", "terms"])
        .output()
        .unwrap();
    let terms = String::from_utf8_lossy(&out.stdout);
    assert!(
        terms.contains("2026秋") && terms.contains("← 默认"),
        "{terms}"
    );
    let out = guanai_process(&db)
        .args([
            "--user",
            "王校长",
            "report",
            "--term",
            "2026秋",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["term"], "2026秋");
    assert_eq!(json["from"], "2026-09-01");
    // The default is today's term.
    let out = guanai_process(&db)
        .args(["--user", "王校长", "report", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["term"],
        "2026秋"
    );
    for (args, words) in [
        (vec!["--term", "2031秋"], vec!["--term", "2031秋", "2026秋"]),
        (
            vec!["--from", "2026-10-31", "--to", "2026-09-01"],
            vec!["--from", "--to"],
        ),
        (
            vec!["--from", "2026-13-01", "--to", "2026-12-01"],
            vec!["2026-13-01"],
        ),
    ] {
        let out = guanai_process(&db)
            .args(["--user", "王校长", "report"])
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(words.iter().all(|w| err.contains(w)), "{args:?}: {err}");
    }
}

/// A file archived on the first day of the period was on the roster that day: counted, and
/// counted as archived (钱返 left on 15 October).
#[test]
fn a_file_archived_on_the_first_day_is_counted_as_archived() {
    let fx = fixture();
    let f = fx
        .school
        .service
        .report(
            &Rules::defaults(),
            None,
            day(2026, 10, 15),
            day(2026, 10, 31),
        )
        .unwrap();
    assert_eq!(f.totals.children_archived, 1);
    assert_eq!(f.archived_reasons["父母返乡"].count, 1);
    let en = text(&f, Lang::En, false);
    assert!(en.contains("(parents returned: 1)"), "{en}");
}
