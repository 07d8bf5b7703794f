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

fn text(f: &Figures, lang: Lang, with_names: bool) -> String {
    report::export::markdown(&report::document(f, lang, with_names, today()))
}

/// Words of the app that a document for the bureau must not use.
const APP_WORDS: [&str; 5] = ["逾期提醒", "待办", "队列", "overdue queue", "guanai"];

#[test]
fn the_text_holds_the_figures_and_names_problems_from_the_data() {
    let fx = fixture();
    let f = figures(&fx);
    let zh = text(&f, Lang::Zh, false);
    for part in [
        "本校2026年9月1日至2026年10月31日关爱留守儿童工作总结",
        // The dates given are said once, in the title; the text says 本期.
        "本期，我校在册留守儿童5人",
        "在册留守儿童5人，其中父母双方外出务工3人，父母一方外出2人；在校寄宿1人",
        "由祖父母、外祖父母隔代监护的3人，占60%",
        "本期新建档案1份",
        "本期有1人不再列入留守儿童名单（父母返乡1人）",
        "王校长任组长",
        "心理健康教师陈老师负责心理辅导",
        "2位班主任",
        "《谈心制度》《家访制度》",
        "1位教师与2名留守儿童结成帮扶对子",
        "本期共开展谈心谈话4次，按每月至少谈心一次计算，应谈8人次，按时完成仅4人次，完成率为50%",
        "本期2位教师深入留守儿童家庭家访3次",
        "与3位监护人保持了联系",
        "本期共2次。每月亲情联系应落实8人次，实际落实2人次，落实率25%",
        "个别心理辅导1次",
        "本期共开展集体活动1次：读书活动（9月25日，2人）",
        "家长学校共举办1期（10月10日家长学校），监护人和学生参加培训2人次",
        "1人次受到学校表彰",
        "其中亲情通话最为薄弱，应完成8人次，只完成2人次",
        "仍有1名学生尚未家访",
        "八（1）班（20%）的跟进完成率明显低于全校平均水平",
        "对工作薄弱的班级由分管领导包班督导",
        "| 七（2）班 | 2 | 1 | 3 | 2 | 2 | 68.8% |",
        "| 合计 | 5 | 3 | 4 | 3 | 2 | 45.2% |",
        "注：完成率＝按时完成人次÷截至目前应完成人次",
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
    // The sections in the order of the schools' own summaries, then a closing paragraph,
    // the school and the date, and the table.
    let order = [
        "一、基本情况",
        "二、组织领导与制度建设",
        "三、结对帮扶与谈心交流",
        "四、家访与家校联系",
        "五、亲情联系",
        "六、心理健康教育",
        "七、集体活动与家长学校",
        "八、资助与寄宿管理",
        "九、安全教育",
        "十、工作成效",
        "十一、存在的问题",
        "十二、下一步工作打算",
        "关爱留守儿童是一项长期而系统的工作",
        "2026年11月29日",
        "附表：各班留守儿童关爱工作情况",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|h| zh.find(h).unwrap_or_else(|| panic!("{h} missing")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    // Counselling is a count: no child's name in its section; no note is quoted.
    let section = &zh[zh.find("六、心理健康教育").unwrap()..zh.find("七、").unwrap()];
    for n in NAMES {
        assert!(!section.contains(n), "{n} next to counselling: {section}");
    }
    assert!(!zh.contains("失眠"), "no counselling note in the report");
    // No sentence frame repeated: each duty's figures are said in words of their own.
    for frame in ["应做", "未达到80%的工作目标"] {
        assert!(zh.matches(frame).count() <= 1, "{frame} repeated:\n{zh}");
    }
    let en = text(&f, Lang::En, false);
    for part in [
        "5 left-behind children were on the school's list",
        "3 with both parents working away and 2 with one",
        "Teachers held 4 talks; of the 8 monthly talks due, 4 were held in time (50%)",
        "2 teachers made 3 home visits",
        "wrote to their parents 2 times",
        "The counsellor held 1 individual session.",
        "The school held 1 group activity: 读书活动 (25 September, 2 children)",
        "One parents' school session was held for guardians (2 attendances)",
        "1 child has not been visited at home this term",
        "Grade 8, Class 1 is behind the school",
        "| Grade 7, Class 2 | 2 | 1 | 3 | 2 | 2 | 68.8% |",
    ] {
        assert!(en.contains(part), "the English text lacks {part}:\n{en}");
    }
    assert!(!en.contains('秋'), "{en}");
    // One of each is said in the singular.
    let mut once = f.clone();
    once.totals.talks = 1;
    once.totals.home_visits = 1;
    once.totals.home_visit_teachers = 1;
    once.totals.parent_calls = 1;
    once.totals.guardians_contacted = 1;
    let one = text(&once, Lang::En, false);
    for part in [
        "Teachers held 1 talk;",
        "1 teacher made 1 home visit;",
        "wrote to their parents 1 time",
        "in touch with 1 guardian by",
    ] {
        assert!(one.contains(part), "the English text lacks {part}:\n{one}");
    }
}

/// The document names no child, in any language or format; `--with-names` adds the internal
/// appendix that does.
#[test]
fn no_child_is_named_unless_the_school_asks_for_its_own_list() {
    let fx = fixture();
    let f = figures(&fx);
    for lang in [Lang::Zh, Lang::En] {
        let t = text(&f, lang, false);
        for n in NAMES {
            assert!(!t.contains(n), "{n} in the text:\n{t}");
        }
        for w in APP_WORDS {
            assert!(!t.contains(w), "{w} in the text:\n{t}");
        }
        let named = text(&f, lang, true);
        assert!(
            named.contains("王小红"),
            "the appendix names them:\n{named}"
        );
        assert!(named.contains("张小珠"), "and the awards:\n{named}");
    }
    let zh = text(&f, Lang::Zh, true);
    assert!(zh.contains("附：内部名单（仅供本校使用，不对外报送）"));
    let dir = tempfile::tempdir().unwrap();
    for (format, flags) in [
        ("md", vec![]),
        ("html", vec![]),
        ("docx", vec![]),
        ("json", vec!["--anonymize"]),
    ] {
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
            .args(&flags)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = if format == "docx" {
            docx_parts(&path).document
        } else {
            std::fs::read_to_string(&path).unwrap()
        };
        for n in NAMES {
            assert!(!text.contains(n), "{n} in the {format}");
        }
        assert!(
            text.contains("七(2)班") || text.contains("七（2）班"),
            "{format}: classes stay"
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{format}: readable by its owner only");
    }
}

/// The parts of a .docx a test reads, each checked to be well-formed XML.
struct DocxParts {
    document: String,
    styles: String,
    footers: String,
    core: String,
}

/// The parts of a .docx, after checking the package.
fn docx_parts(path: &std::path::Path) -> DocxParts {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).expect("a .docx is a zip package");
    let names: Vec<String> = zip.file_names().map(str::to_string).collect();
    for part in [
        "[Content_Types].xml",
        "word/document.xml",
        "word/styles.xml",
        "docProps/core.xml",
        "_rels/.rels",
    ] {
        assert!(names.iter().any(|n| n == part), "{part} missing: {names:?}");
    }
    let mut parts = DocxParts {
        document: String::new(),
        styles: String::new(),
        footers: String::new(),
        core: String::new(),
    };
    for name in names
        .iter()
        .filter(|n| n.ends_with(".xml") || n.ends_with(".rels"))
    {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut xml).unwrap();
        roxmltree::Document::parse(&xml)
            .unwrap_or_else(|e| panic!("{name} is not well-formed: {e}"));
        match name.as_str() {
            "word/document.xml" => parts.document = xml,
            "word/styles.xml" => parts.styles = xml,
            "docProps/core.xml" => parts.core = xml,
            n if n.starts_with("word/footer") => parts.footers.push_str(&xml),
            _ => {}
        }
    }
    parts
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
    let docx = docx_parts(&run("docx"));
    let xml = &docx.document;
    for part in [
        "在册留守儿童5人",
        "谈心谈话4次",
        "完成率为50%",
        "宋体",
        "黑体",
        ">合计<",
    ] {
        assert!(xml.contains(part), "document.xml lacks {part}");
    }
    // The class table's columns sized to their texts on a fixed layout (an equal split
    // broke 七(10)班 over two lines): the widths fill the page and the class column is no
    // narrower than a number's.
    assert!(
        xml.contains(r#"<w:tblLayout w:type="fixed" />"#),
        "fixed layout"
    );
    let grid: Vec<usize> = xml
        .split(r#"<w:gridCol w:w=""#)
        .skip(1)
        .filter_map(|g| g.split('"').next()?.parse().ok())
        .collect();
    assert!(grid.len() >= 7, "{grid:?}");
    assert!(
        grid.iter().take(7).sum::<usize>() <= 11906 - 1588 - 1474,
        "{grid:?}"
    );
    assert!(
        grid[0] >= grid[3],
        "class column at least a count's: {grid:?}"
    );
    // An outline: the title and the sections are heading styles with outline levels.
    assert!(
        xml.contains(r#"<w:pStyle w:val="Heading2" />"#),
        "sections as headings"
    );
    assert!(docx.styles.contains(r#"w:styleId="Heading2""#));
    assert!(docx.styles.contains(r#"<w:outlineLvl w:val="1" />"#));
    // Chinese set as the document's language and its East Asian text's; its numbers and
    // dates are Latin script (marked Chinese, LibreOffice broke "71.6%" after the 7).
    assert!(
        docx.styles
            .contains(r#"<w:lang w:val="en-US" w:eastAsia="zh-CN" />"#),
        "{}",
        docx.styles
    );
    assert!(docx.core.contains("<dc:language>zh-CN</dc:language>"));
    // Fixed 28 pt lines for print.
    assert!(docx.styles.contains(r#"w:line="560""#) || xml.contains(r#"w:line="560""#));
    // Page numbers in the footer.
    assert!(docx.footers.contains("PAGE"), "{}", docx.footers);
    // The signature's first line (the school) is kept on the page of its last (the date).
    let signature: Vec<&str> = xml
        .split("</w:p>")
        .filter(|p| p.contains(r#"<w:jc w:val="right" />"#))
        .collect();
    assert_eq!(signature.len(), 2, "{signature:?}");
    assert!(signature[0].contains("<w:keepNext />"), "{}", signature[0]);
    assert!(!signature[1].contains("<w:keepNext />"), "{}", signature[1]);
    // The class table's header row repeats on every page.
    assert!(xml.contains("<w:tblHeader />"));
    // The document's properties: its title and school, the date it was drafted.
    assert!(
        docx.core
            .contains("<dc:title>本校2026年9月1日至2026年10月31日关爱留守儿童工作总结</dc:title>")
    );
    assert!(docx.core.contains("<dc:creator>本校</dc:creator>"));
    assert!(docx.core.contains("2026-11-29T00:00:00Z") && !docx.core.contains("1970"));
    let html = std::fs::read_to_string(run("html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<meta charset=\"utf-8\">"));
    assert!(html.contains("在册留守儿童5人") && html.contains("@media print"));
    assert!(html.contains("thead { display: table-header-group; }"));
    assert!(html.contains("<tr class=\"total\"><td>合计</td>"));
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
    let zh = text(&f, Lang::Zh, false);
    assert!(
        zh.contains("本期有1人不再列入留守儿童名单（父母返乡1人）"),
        "{zh}"
    );
}

/// The demo school in the middle of its autumn term: every activity counted once with its
/// theme, date and children, the term reported up to today, no child named, no app words.
#[test]
fn the_demo_schools_summary_mid_term() {
    let (_dir, db) = common::demo_school();
    let run = |args: &[&str]| {
        String::from_utf8(common::succeeds(guanai_process(&db).args(args))).unwrap()
    };
    let json: serde_json::Value =
        serde_json::from_str(&run(&["report", "--format", "json"])).unwrap();
    let list = json["activity_list"].as_array().unwrap();
    let groups: Vec<&serde_json::Value> = list.iter().filter(|a| a["training"] == false).collect();
    assert_eq!(json["activities"], groups.len() as u64);
    assert!(groups.len() >= 3, "one activity a month: {list:?}");
    assert!(
        groups.iter().all(|a| a["children"].as_u64().unwrap() > 10),
        "group activities, not one per child: {list:?}"
    );
    assert!(json["trainings"].as_u64().unwrap() >= 1);
    assert_eq!(json["as_of"], "2026-11-29");
    let zh = run(&["report"]);
    assert!(
        zh.starts_with("# 青山镇中心学校2026年秋季学期关爱留守儿童工作总结"),
        "{zh}"
    );
    assert!(zh.contains("本学期开学以来（截至2026年11月29日）"), "{zh}");
    assert!(
        zh.contains("继续办好家长学校"),
        "activities held: the plan goes on with them: {zh}"
    );
    assert_eq!(
        zh.matches("截至2026年11月29日").count(),
        1,
        "the period said once"
    );
    assert!(
        !zh.contains("2027年1月"),
        "a running term is reported to today: {zh}"
    );
    let first = &groups[0];
    let date =
        chrono::NaiveDate::parse_from_str(first["date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let theme = format!(
        "{}（{}月{}日，{}人）",
        first["title"].as_str().unwrap(),
        chrono::Datelike::month(&date),
        chrono::Datelike::day(&date),
        first["children"]
    );
    assert!(zh.contains(&theme), "{theme}: {zh}");
    let roster: Vec<serde_json::Value> =
        serde_json::from_str(&run(&["child", "list", "--format", "json"])).unwrap();
    let en = run(&["report", "--lang", "en"]);
    for text in [&zh, &en] {
        for c in &roster {
            let name = c["name"].as_str().unwrap();
            assert!(!text.contains(name), "{name} named in the summary");
        }
        for w in APP_WORDS {
            assert!(!text.contains(w), "{w} in the summary");
        }
    }
    assert!(
        en.contains("Autumn term 2026") && !en.contains('秋'),
        "{en}"
    );
    assert!(en.contains("Grade 1, Class 1"), "{en}");
}

/// The term a summary compares with (成效) is counted from the same read as the term itself,
/// with the children's histories built once up to the later term's end: its figures are those
/// of its own summary, counted alone.
#[test]
fn the_previous_term_compared_with_is_that_terms_own_summary() {
    let (_dir, db) = common::demo_school();
    let json = |period: &[&str]| -> serde_json::Value {
        let printed = common::succeeds(
            guanai_process(&db)
                .arg("report")
                .args(period)
                .args(["--format", "json"]),
        );
        serde_json::from_slice(&printed).unwrap()
    };
    let autumn = json(&["--term", "2026秋"]);
    let spring = json(&["--term", "2026春"]);
    // The same days as a period of dates: no term before it, its histories its own.
    let days = json(&[
        "--from",
        autumn["from"].as_str().unwrap(),
        "--to",
        autumn["to"].as_str().unwrap(),
    ]);
    assert!(days["previous"].is_null());
    for figure in ["duty_coverage", "talks", "home_visits", "per_class"] {
        assert_eq!(autumn[figure], days[figure], "{figure}");
    }
    let previous = &autumn["previous"];
    assert_eq!(previous["term"], "2026春");
    for (compared, own) in [
        ("talks", &spring["talks"]),
        ("home_visits", &spring["home_visits"]),
        ("parent_calls", &spring["parent_calls"]),
        ("activities", &spring["activities"]),
    ] {
        assert_eq!(&previous[compared], own, "{compared}");
    }
    assert!(
        spring["talks"].as_u64().unwrap() > 100,
        "the demo talks every month"
    );
    let (due, done) =
        spring["duty_coverage"]
            .as_object()
            .unwrap()
            .values()
            .fold((0, 0), |(d, s), c| {
                (
                    d + c["due"].as_u64().unwrap(),
                    s + c["satisfied"].as_u64().unwrap(),
                )
            });
    assert!(due > 0);
    let overall = (done as f64 * 1000.0 / due as f64).round() / 10.0;
    assert_eq!(previous["coverage"].as_f64(), Some(overall));
}

/// A term without any child on the list says so plainly, and nothing else.
#[test]
fn an_empty_term_says_nothing_was_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("empty.redb");
    let add = guanai_process(&db)
        .args(["staff", "add", "王校长", "--role", "admin"])
        .output()
        .unwrap();
    assert!(add.status.success());
    let out = guanai_process(&db)
        .args(["--user", "王校长", "report", "--term", "2026秋"])
        .output()
        .unwrap();
    let zh = String::from_utf8(out.stdout).unwrap();
    assert!(
        zh.contains("没有在册的留守儿童，也没有关爱留守儿童工作的记录"),
        "{zh}"
    );
    assert!(!zh.contains("各项工作按计划完成"), "{zh}");
    assert!(!zh.contains("、基本情况"), "no sections: {zh}");
}

/// The organisation is named with the posts on file, and the rules as the school names them.
#[test]
fn posts_and_the_schools_own_rules_are_named() {
    let fx = fixture();
    let db = fx.school.path();
    let run = |args: &[&str]| {
        let out = guanai_process(&db)
            .args(["--user", "王校长"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let before = run(&["report", "--from", "2026-09-01", "--to", "2026-10-31"]);
    assert!(before.contains("王校长任组长"), "{before}");
    assert!(
        before.contains("《谈心制度》《家访制度》"),
        "named after the duties: {before}"
    );
    run(&["staff", "title", "王校长", "校长"]);
    run(&[
        "calendar",
        "rules",
        "《留守儿童关爱工作制度》",
        "《家校联系卡制度》",
    ]);
    let after = run(&["report", "--from", "2026-09-01", "--to", "2026-10-31"]);
    assert!(after.contains("校长王校长任组长"), "{after}");
    assert!(
        after.contains("《留守儿童关爱工作制度》《家校联系卡制度》"),
        "{after}"
    );
    assert!(
        !after.contains("《谈心制度》"),
        "the school's own names replace them"
    );
    let audit = run(&["audit", "--format", "tsv"]);
    assert!(audit.contains("set_staff_title"), "{audit}");
    // Not an administrator's: refused.
    let out = guanai_process(&db)
        .args(["--user", "李老师", "staff", "title", "李老师", "校长"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Entries a teacher marks as typical cases are counted in 成效, by kind, never named.
#[test]
fn typical_cases_are_counted_in_the_results() {
    let fx = fixture();
    let db = fx.school.path();
    let run = |user: &str, args: &[&str]| {
        guanai_process(&db)
            .args(["--user", user])
            .args(args)
            .output()
            .unwrap()
    };
    let logged = run(
        "李老师",
        &[
            "log",
            "talk",
            "--child",
            "20240701",
            "--date",
            "2026-10-20",
            "--note",
            "谈心后成绩进步明显",
            "--typical",
        ],
    );
    assert!(
        logged.status.success(),
        "{}",
        String::from_utf8_lossy(&logged.stderr)
    );
    let out = String::from_utf8_lossy(&logged.stdout).into_owned();
    let id = out.rsplit('#').next().unwrap().trim().to_string();
    let report = |user: &str| {
        String::from_utf8(
            run(
                user,
                &["report", "--from", "2026-09-01", "--to", "2026-10-31"],
            )
            .stdout,
        )
        .unwrap()
    };
    let zh = report("王校长");
    assert!(
        zh.contains("教师在工作中总结典型案例1个（谈心1个）"),
        "{zh}"
    );
    assert!(!zh.contains("谈心后成绩进步明显"), "the note is not quoted");
    // Taken off: no longer counted; a number that names no entry is refused by name.
    assert!(
        run("李老师", &["event", "typical", &format!("#{id}"), "--off"])
            .status
            .success()
    );
    assert!(!report("王校长").contains("典型案例"));
    let bad = run("李老师", &["event", "typical", "999999"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("#999999"));
    let audit = String::from_utf8(run("王校长", &["audit", "--format", "tsv"]).stdout).unwrap();
    assert_eq!(audit.matches("mark_typical").count(), 2, "{audit}");
}

/// A birthday greeting logged from the queue is a note, not one more activity.
#[test]
fn a_birthday_greeting_from_the_queue_is_no_activity() {
    let rules = Rules::defaults();
    let birthday = rules.duties.iter().find(|d| d.name == "birthday").unwrap();
    assert_eq!(
        birthday.sources.first(),
        Some(&guanai::followup::Source::Kind(EventKind::Note)),
        "the queue logs a duty as its first kind"
    );
}

/// Where LibreOffice is installed, the Word file and the HTML page open and print: each is
/// converted to PDF and its text read back. Skipped, saying so, where it is not.
#[test]
fn the_documents_print_from_libreoffice_where_it_is_installed() {
    let office = ["soffice", "libreoffice"].into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    let pdftotext = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    let (Some(office), true) = (office, pdftotext) else {
        eprintln!("skipped: LibreOffice or pdftotext is not installed here");
        return;
    };
    let fx = fixture();
    let dir = tempfile::tempdir().unwrap();
    for (format, filter) in [("docx", None), ("html", Some("HTML (StarWriter)"))] {
        let path = dir.path().join(format!("summary.{format}"));
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
        assert!(out.status.success());
        let mut convert = std::process::Command::new(office);
        convert.arg("--headless");
        if let Some(filter) = filter {
            convert.arg(format!("--infilter={filter}"));
        }
        let done = convert
            .args(["--convert-to", "pdf", "--outdir"])
            .arg(dir.path())
            .arg(&path)
            .env("HOME", dir.path())
            .output()
            .unwrap();
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        let pdf = dir.path().join("summary.pdf");
        let text = std::process::Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let text: String = String::from_utf8_lossy(&text.stdout)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for part in [
            "关爱留守儿童工作总结",
            "一、基本情况",
            "在册留守儿童5人",
            "合计",
        ] {
            assert!(text.contains(part), "{format}: {part} not printed:\n{text}");
        }
        std::fs::remove_file(&pdf).unwrap();
    }
}

/// A school that has just brought its roster in (files opened today, nothing recorded yet)
/// gets a summary that says so: no "0位教师家访0次", and no claim that the work was done in time.
#[test]
fn a_school_just_set_up_is_not_said_to_have_done_its_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.redb");
    let run = |args: &[&str]| {
        let out = guanai_process(&db).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["staff", "add", "王校长", "--role", "admin"]);
    let roster = dir.path().join("r.csv");
    std::fs::write(
        &roster,
        "姓名,性别,出生日期,班级,监护人姓名,监护人关系\n甲,男,2014-01-02,七(2)班,甲爷爷,祖父\n",
    )
    .unwrap();
    run(&["--user", "王校长", "import", roster.to_str().unwrap()]);
    let zh = run(&["--user", "王校长", "report"]);
    for said in [
        "本期尚无谈心谈话的记录",
        "本期尚无家访记录。",
        "尚未到期，还没有可以统计的完成情况",
    ] {
        assert!(zh.contains(said), "{said}: {zh}");
    }
    let body = &zh[..zh.find("附表").unwrap()];
    for not in ["0位教师", "家访0次", "按时完成", "其余由", "共0次", "0人"] {
        assert!(!body.contains(not), "{not}: {body}");
    }
    assert!(body.contains("均为父母双方外出务工（1人）"), "{body}");
    let en = run(&["--user", "王校长", "--lang", "en", "report"]);
    let body = &en[..en.find("Appendix").unwrap()];
    assert!(
        body.contains("No home visits have been recorded yet."),
        "{body}"
    );
    assert!(body.contains("no follow-up has fallen due yet"), "{body}");
    for not in [" 0 guardians", "0 talks", "kept in time"] {
        assert!(!body.contains(not), "{not}: {body}");
    }
    // No activity and no parents' school this term: the plan is to start them, not to "go
    // on" with them.
    let zh_body = &zh[..zh.find("附表").unwrap()];
    assert!(zh_body.contains("本期未举办家长学校"), "{zh_body}");
    assert!(!zh_body.contains("继续办好家长学校"), "{zh_body}");
    assert!(
        zh_body.contains("办好家长学校和留守儿童之家，定期组织集体活动"),
        "{zh_body}"
    );
    assert!(!body.contains("Keep the parents' school"), "{body}");
    assert!(body.contains("Start the parents' school"), "{body}");
}

/// The period's first and last days are in it; the days just outside are not.
#[test]
fn events_on_the_first_and_last_day_of_the_period_count_and_the_days_around_do_not() {
    let s = school();
    let mut c = full_child("张小珠", "1", s.teacher);
    c.opened = Some(day(2026, 3, 1));
    let c = add_child(&s.service, c);
    for date in [day(2026, 8, 31), day(2026, 9, 1), day(2026, 11, 29)] {
        s.service
            .execute(event(c, EventKind::HomeVisit, date, s.teacher, "家访"))
            .unwrap();
    }
    s.service
        .execute(event(c, EventKind::Talk, day(2026, 11, 28), s.teacher, ""))
        .unwrap();
    let f = s
        .service
        .report(&Rules::defaults(), None, day(2026, 9, 1), day(2026, 11, 28))
        .unwrap();
    assert_eq!(f.totals.home_visits, 1, "09-01 in, 08-31 and 11-29 out");
    assert_eq!(f.totals.talks, 1, "the last day is in");
    let f = s
        .service
        .report(&Rules::defaults(), None, day(2026, 9, 2), day(2026, 11, 29))
        .unwrap();
    assert_eq!(f.totals.home_visits, 1, "only 11-29 now");
}

/// In the coverage of a duty, an event on the first or the last day of a period satisfies
/// it, and one on the day before or after does not: a month (and a month that a holiday
/// cuts), a term window, a birthday window. One child per date, each with that one event.
#[test]
fn coverage_counts_the_first_and_last_day_of_every_kind_of_period_and_not_the_days_around() {
    // (duty, event kind, birth, the report's period, [(date, satisfies)]), on a school whose
    // autumn term has a holiday or not.
    type Case = (
        &'static str,
        EventKind,
        NaiveDate,
        (NaiveDate, NaiveDate),
        Vec<(NaiveDate, bool)>,
    );
    let check = |holiday: Option<(NaiveDate, NaiveDate)>, case: Case| {
        let (duty, kind, birth, (from, to), dates) = case;
        let s = school();
        if let Some((start, end)) = holiday {
            let mut settings = Settings::default_for(today());
            settings.holidays.push(Holiday {
                name: "国庆".into(),
                start,
                end,
            });
            s.service.execute(Command::SetSettings(settings)).unwrap();
        }
        for (i, (date, _)) in dates.iter().enumerate() {
            let mut c = full_child(&format!("学生{i}"), &format!("{i}"), s.teacher);
            c.birth = birth;
            c.opened = Some(day(2026, 3, 1));
            let c = add_child(&s.service, c);
            s.service
                .execute(event(c, kind, *date, s.teacher, "记录"))
                .unwrap();
        }
        let f = s
            .service
            .report(&Rules::defaults(), None, from, to)
            .unwrap();
        let cov = &f.duty_coverage[duty];
        let expected = dates.iter().filter(|(_, yes)| *yes).count() as u32;
        assert_eq!(
            (cov.due, cov.satisfied),
            (dates.len() as u32, expected),
            "{duty}: {dates:?}"
        );
    };
    let birth = day(2014, 5, 3);
    let october = (day(2026, 10, 1), day(2026, 10, 31));
    // The month: 1 and 31 October in, 30 September and 1 November out.
    check(
        None,
        (
            "talk",
            EventKind::Talk,
            birth,
            october,
            vec![
                (day(2026, 9, 30), false),
                (day(2026, 10, 1), true),
                (day(2026, 10, 31), true),
                (day(2026, 11, 1), false),
            ],
        ),
    );
    // A holiday 1–7 October: October's talk period opens on the 8th; a talk in the holiday
    // or on the last day of September is not October's.
    check(
        Some((day(2026, 10, 1), day(2026, 10, 7))),
        (
            "talk",
            EventKind::Talk,
            birth,
            october,
            vec![
                (day(2026, 9, 30), false),
                (day(2026, 10, 7), false),
                (day(2026, 10, 8), true),
                (day(2026, 10, 31), true),
            ],
        ),
    );
    // The first third of autumn 2026 (1 September – 17 October) for the home visit.
    check(
        None,
        (
            "home-visit",
            EventKind::HomeVisit,
            birth,
            (day(2026, 9, 1), day(2026, 10, 31)),
            vec![
                (day(2026, 8, 31), false),
                (day(2026, 9, 1), true),
                (day(2026, 10, 17), true),
                (day(2026, 10, 18), false),
            ],
        ),
    );
    // The birthday window of 20 November: 17–23 November.
    check(
        None,
        (
            "birthday",
            EventKind::Note,
            day(2014, 11, 20),
            (day(2026, 11, 1), day(2026, 11, 29)),
            vec![
                (day(2026, 11, 16), false),
                (day(2026, 11, 17), true),
                (day(2026, 11, 23), true),
                (day(2026, 11, 24), false),
            ],
        ),
    );
}

/// A period due in the report may open before it: what was done in it before the report's
/// first day counts. A month (the talk of 1–31 October, in a report from 15 October) and a
/// birthday window (17–23 November, in a report from 20 November).
#[test]
fn what_was_done_before_the_report_began_in_a_period_due_in_it_counts() {
    let s = school();
    let mut c = full_child("张小珠", "1", s.teacher);
    c.opened = Some(day(2026, 3, 1));
    c.birth = day(2014, 11, 20);
    let c = add_child(&s.service, c);
    for (kind, date) in [
        (EventKind::Talk, day(2026, 10, 5)),
        (EventKind::Note, day(2026, 11, 18)),
    ] {
        s.service
            .execute(event(c, kind, date, s.teacher, "记录"))
            .unwrap();
    }
    let f = s
        .service
        .report(
            &Rules::defaults(),
            None,
            day(2026, 10, 15),
            day(2026, 10, 31),
        )
        .unwrap();
    let talk = &f.duty_coverage["talk"];
    assert_eq!(
        (talk.due, talk.satisfied),
        (1, 1),
        "October's talk, on 5 October"
    );
    assert_eq!(f.totals.talks, 0, "the talk itself is not in the period");
    let f = s
        .service
        .report(
            &Rules::defaults(),
            None,
            day(2026, 11, 20),
            day(2026, 11, 29),
        )
        .unwrap();
    let birthday = &f.duty_coverage["birthday"];
    assert_eq!(
        (birthday.due, birthday.satisfied),
        (1, 1),
        "greeted on 18 November"
    );
}

/// A birthday window just before a term starts is cut to the term's first day: a greeting
/// before it is outside; a file opened on that very day owes the window.
#[test]
fn a_window_cut_to_one_day_and_a_file_opened_on_it() {
    let s = school();
    let mut c = full_child("王小明", "2", s.teacher);
    c.birth = day(2014, 8, 29);
    c.opened = Some(day(2026, 3, 1));
    let early = add_child(&s.service, c);
    s.service
        .execute(event(
            early,
            EventKind::Note,
            day(2026, 8, 28),
            s.teacher,
            "生日祝福",
        ))
        .unwrap();
    let mut c = full_child("王小红", "3", s.teacher);
    c.birth = day(2014, 8, 29);
    c.opened = Some(day(2026, 9, 1));
    let new = add_child(&s.service, c);
    s.service
        .execute(event(
            new,
            EventKind::Note,
            day(2026, 9, 1),
            s.teacher,
            "生日祝福",
        ))
        .unwrap();
    let f = s
        .service
        .report(&Rules::defaults(), None, day(2026, 9, 1), day(2026, 10, 31))
        .unwrap();
    // 26 August – 1 September is cut to 1 September: 王小明's greeting of 28 August is
    // outside it; 王小红's file opened that day, and her greeting is in it.
    let birthday = &f.duty_coverage["birthday"];
    assert_eq!((birthday.due, birthday.satisfied), (2, 1));
}

/// The profile's counts and the activities recorded one child at a time (a plain entry of
/// kind 活动 or 家长学校, not a group activity): children by their flags, grandparents among
/// the guardians, assistance and incidents; entries of one day and title are one activity;
/// an untitled one takes its kind's name. A file opened before the period's middle and not
/// visited is named; one opened after it is not.
#[test]
fn profile_counts_and_activities_recorded_child_by_child() {
    let s = school();
    // 张小珠: boarding, key and poverty support, grandmother (full_child).
    let mut a = full_child("张小珠", "1", s.teacher);
    a.opened = Some(day(2026, 3, 1));
    let a = add_child(&s.service, a);
    // 王小明: an uncle as guardian, nothing else; opened mid-September.
    let mut b = NewChild::basic("王小明", Gender::Male, day(2014, 6, 1), "七(2)班");
    b.student_no = Some("2".into());
    b.opened = Some(day(2026, 9, 15));
    b.guardian = Some(Guardian {
        name: "王叔叔".into(),
        relation: "叔叔".into(),
        phone: None,
        age: None,
        health: None,
        can_supervise_study: None,
    });
    let b = add_child(&s.service, b);
    // 李新: no guardian on file, opened after the middle of the period (30 September).
    let mut c = NewChild::basic("李新", Gender::Female, day(2014, 7, 1), "七(2)班");
    c.student_no = Some("3".into());
    c.opened = Some(day(2026, 10, 10));
    let c = add_child(&s.service, c);
    let log = |child, kind, date, note: &str| {
        s.service
            .execute(event(child, kind, date, s.teacher, note))
            .unwrap();
    };
    log(a, EventKind::Assistance, day(2026, 9, 10), "助学金");
    log(b, EventKind::Assistance, day(2026, 9, 11), "助学金");
    log(b, EventKind::Incident, day(2026, 10, 2), "摔伤");
    log(a, EventKind::Activity, day(2026, 10, 12), "读书活动");
    log(b, EventKind::Activity, day(2026, 10, 12), "读书活动");
    log(c, EventKind::Activity, day(2026, 10, 20), "");
    log(a, EventKind::Training, day(2026, 10, 25), " ");
    let f = s
        .service
        .report(&Rules::defaults(), None, day(2026, 9, 1), day(2026, 10, 31))
        .unwrap();
    let p = &f.profile;
    assert_eq!((p.boarding, p.poverty_support, p.key_support), (1, 1, 1));
    assert_eq!((p.guardians_on_file, p.grandparent_guardians), (2, 1));
    assert_eq!((p.assistance, p.incidents), (2, 1));
    let list: Vec<(NaiveDate, &str, bool, u32)> = f
        .activity_list
        .iter()
        .map(|a| (a.date, a.title.as_str(), a.training, a.children))
        .collect();
    assert_eq!(
        list,
        vec![
            (day(2026, 10, 12), "读书活动", false, 2),
            (day(2026, 10, 20), "集体活动", false, 1),
            (day(2026, 10, 25), "家长学校", true, 1),
        ]
    );
    assert_eq!((f.activities, f.trainings), (2, 1));
    let missing: Vec<&str> = f.no_home_visit.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        missing,
        vec!["张小珠", "王小明"],
        "李新 opened after the middle"
    );
}

/// A duty the school set for some children counts only them; the re-survey counts a survey
/// made in this school year's window, not last year's.
#[test]
fn coverage_of_a_duty_for_some_children_and_of_the_resurvey() {
    let s = school();
    let mut key = full_child("张小珠", "1", s.teacher);
    key.opened = Some(day(2025, 3, 1));
    key.situation.surveyed = Some(day(2026, 9, 10));
    let key = add_child(&s.service, key);
    let mut other = full_child("王小明", "2", s.teacher);
    other.opened = Some(day(2025, 3, 1));
    other.support.key_support = false;
    other.situation.surveyed = Some(day(2025, 9, 10));
    let other = add_child(&s.service, other);
    for c in [key, other] {
        s.service
            .execute(event(
                c,
                EventKind::Talk,
                day(2026, 10, 8),
                s.teacher,
                "谈心",
            ))
            .unwrap();
    }
    let rules = Rules::with_overrides(
        "[[duty]]\nname = \"talk\"\nchildren = \"key-support\"\n",
        "rules.toml",
    )
    .unwrap();
    let f = s
        .service
        .report(&rules, None, day(2026, 9, 1), day(2026, 10, 31))
        .unwrap();
    let talk = &f.duty_coverage["talk"];
    // September and October, for 张小珠 only: October's talk done.
    assert_eq!((talk.due, talk.satisfied), (2, 1));
    let resurvey = &f.duty_coverage["resurvey"];
    assert_eq!(
        (resurvey.due, resurvey.satisfied),
        (2, 1),
        "last year's survey is not this year's"
    );
}

/// The earliest a window due in the report can open: a birthday window of ±5 days due on the
/// report's first day opened ten days before it, and a greeting on that day counts.
#[test]
fn a_birthday_window_due_on_the_first_day_reaches_back_its_whole_width() {
    let s = school();
    let mut c = full_child("张小珠", "1", s.teacher);
    c.opened = Some(day(2026, 3, 1));
    c.birth = day(2014, 11, 15);
    let c = add_child(&s.service, c);
    s.service
        .execute(event(
            c,
            EventKind::Note,
            day(2026, 11, 10),
            s.teacher,
            "生日祝福",
        ))
        .unwrap();
    let rules = Rules::with_overrides(
        "[[duty]]\nname = \"birthday\"\nwindow_days = 5\n",
        "rules.toml",
    )
    .unwrap();
    // The window of 15 November: 10–20 November, due on the report's first day.
    let f = s
        .service
        .report(&rules, None, day(2026, 11, 20), day(2026, 11, 29))
        .unwrap();
    let birthday = &f.duty_coverage["birthday"];
    assert_eq!((birthday.due, birthday.satisfied), (1, 1));
}
