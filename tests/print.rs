//! The paper forms: each form's content from a hand-built school, read back from the .docx
//! XML; counselling only for a counsellor who asks, voided entries never; who may print
//! what; every print audited; and, where LibreOffice is installed, every form converts to PDF.

#[path = "common/mod.rs"]
mod common;

use common::*;
use guanai::domain::*;
use guanai::i18n::Lang;
use guanai::print::{Form, forms};
use guanai::service::{Command, Outcome, PrintSelection, Service, ServiceError};

/// A class of three: 张小珠 (full file, both away, grandmother, boarding, key support), 李明
/// (boy, one parent away), 王芳 (girl, both away, aunt); another class: 赵强. 张小珠 has a
/// talk, a home visit, a counselling session and a voided talk in the term.
struct Fx {
    s: School,
    zxz: ChildId,
}

fn fx() -> Fx {
    let s = school();
    let mut z = full_child("张小珠", "20240701", s.teacher);
    z.register.id_no = Some("430524201405030021".into());
    let zxz = add_child(&s.service, z);
    let mut lm = NewChild::basic("李明", Gender::Male, day(2014, 2, 1), "七(2)班");
    lm.left_behind.kind = LeftBehindType::OneParent;
    add_child(&s.service, lm);
    let mut wf = NewChild::basic("王芳", Gender::Female, day(2014, 3, 1), "七(2)班");
    wf.guardian = Some(Guardian {
        name: "王阿姨".into(),
        relation: "姑姑".into(),
        phone: None,
        age: None,
        health: None,
        can_supervise_study: None,
    });
    add_child(&s.service, wf);
    add_child(
        &s.service,
        NewChild::basic("赵强", Gender::Male, day(2013, 1, 1), "八(1)班"),
    );
    let log = |kind, date, note: &str, by| match s
        .as_user(if kind == EventKind::Counseling {
            "陈老师"
        } else {
            "李老师"
        })
        .execute(event(zxz, kind, date, by, note))
        .unwrap()
    {
        Outcome::Event(id) => id,
        other => panic!("{other:?}"),
    };
    log(
        EventKind::Talk,
        day(2026, 10, 8),
        "期中考试前谈心, 情绪稳定",
        s.teacher,
    );
    log(
        EventKind::HomeVisit,
        day(2026, 9, 20),
        "开学家访, 奶奶身体尚可",
        s.teacher,
    );
    log(
        EventKind::Counseling,
        day(2026, 10, 15),
        "保密: 夜间失眠",
        s.counselor,
    );
    let wrong = log(EventKind::Talk, day(2026, 11, 2), "记错了的谈心", s.teacher);
    s.as_user("李老师")
        .execute(Command::VoidEvent {
            event: wrong,
            version: 1,
            reason: "记错了学生".into(),
        })
        .unwrap();
    Fx { s, zxz }
}

/// The text of a Word file's body, and the number of pages it starts.
fn docx_text(bytes: &[u8]) -> (String, usize) {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let text: String = doc
        .descendants()
        .filter(|n| n.has_tag_name("t"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("|");
    let pages = 1 + xml.matches("<w:pageBreakBefore").count();
    (text, pages)
}

fn print(
    service: &Service,
    form: Form,
    sel: PrintSelection,
    lang: Lang,
    counseling: bool,
) -> (String, usize) {
    let pack = service
        .print_pack(
            form.key(),
            &sel,
            day(2026, 9, 1),
            day(2027, 1, 20),
            counseling,
        )
        .unwrap();
    let sheets = forms::build(form, &pack, lang);
    let mut out = std::io::Cursor::new(Vec::new());
    guanai::print::docx::docx(&sheets, lang, &pack.school, today(), &mut out).unwrap();
    docx_text(out.get_ref())
}

fn class() -> PrintSelection {
    PrintSelection::Class("七（2）班".into())
}

#[test]
fn the_file_is_one_page_per_child_with_the_whole_file_and_the_terms_record() {
    let f = fx();
    let (text, pages) = print(&f.s.as_user("李老师"), Form::File, class(), Lang::Zh, false);
    assert_eq!(pages, 3, "one page per child of 七(2)班");
    for part in [
        "留守儿童档案",
        "张小珠",
        "七(2)班",
        "20240701",
        "青山村",
        "双亲外出",
        "2019-03-01",
        "张大山",
        "广州电子厂",
        "139\u{a0}0000\u{a0}0001",
        "张奶奶",
        "祖母",
        "138\u{a0}0000\u{a0}0001",
        "青山村委会（村委）",
        "数学偏弱",
        "内向",
        "王小明",
        "期中考试前谈心, 情绪稳定",
        "开学家访, 奶奶身体尚可",
        "班主任签名",
        // The record's header names the child: a sheet that runs on is never anonymous.
        "张小珠 · 七(2)班 · 本期关爱记录",
    ] {
        assert!(text.contains(part), "{part} missing:\n{text}");
    }
    // The ID masked on paper; the other class out; no counselling, no voided entry.
    assert!(!text.contains("430524201405030021"), "{text}");
    assert!(
        text.contains(&guanai::domain::mask_id("430524201405030021")),
        "{text}"
    );
    assert!(!text.contains("赵强"));
    assert!(
        !text.contains("夜间失眠") && !text.contains("心理辅导"),
        "{text}"
    );
    assert!(
        !text.contains("记错了的谈心"),
        "a voided entry is never printed"
    );
}

#[test]
fn contact_cards_pairs_and_counts_say_what_the_files_say() {
    let f = fx();
    let teacher = f.s.as_user("李老师");
    let (cards, pages) = print(&teacher, Form::Contacts, class(), Lang::Zh, false);
    assert_eq!(pages, 1, "up to four cards to a page");
    assert_eq!(
        cards.matches('✂').count(),
        2,
        "cut lines between three cards"
    );
    assert!(
        cards.contains("张奶奶（祖母）  138\u{a0}0000\u{a0}0001"),
        "{cards}"
    );
    assert!(cards.contains("李老师"), "the class teacher: {cards}");
    let (pairs, _) = print(&teacher, Form::Pairs, class(), Lang::Zh, false);
    assert!(pairs.contains("手拉手好朋友结对子登记表"));
    assert!(pairs.contains("张小珠|李老师|王小明"), "{pairs}");
    let admin = &f.s.service;
    let (stats, _) = print(admin, Form::Stats, PrintSelection::All, Lang::Zh, false);
    // 班级, 人数, 双亲, 单亲, 男, 女, 寄宿, 祖辈, 其他监护, 重点帮扶.
    assert!(stats.contains("七(2)班|3|2|1|1|2|1|1|1|1"), "{stats}");
    assert!(stats.contains("八(1)班|1|1|0|1|0|0|0|0|0"), "{stats}");
    assert!(stats.contains("合计|4|3|1|2|2|1|1|1|1"), "{stats}");
    assert!(
        stats.contains("七年级|3") && stats.contains("八年级|1"),
        "{stats}"
    );
}

#[test]
fn visit_and_talk_forms_are_one_per_entry_and_counselling_only_for_a_counsellor_who_asks() {
    let f = fx();
    let teacher = f.s.as_user("李老师");
    let (visits, pages) = print(&teacher, Form::Visits, class(), Lang::Zh, false);
    assert_eq!(pages, 1);
    assert!(visits.contains("家访记录表") && visits.contains("开学家访, 奶奶身体尚可"));
    assert!(visits.contains("家长（监护人）签名"));
    let (talks, pages) = print(&teacher, Form::Talks, class(), Lang::Zh, false);
    assert_eq!(
        pages, 1,
        "one talk; the voided one and the counselling left out"
    );
    assert!(!talks.contains("夜间失眠"));
    // A teacher cannot ask for counselling; a counsellor can.
    let refused = teacher.print_pack("talks", &class(), day(2026, 9, 1), day(2027, 1, 20), true);
    assert!(
        matches!(refused, Err(ServiceError::NotPermitted { .. })),
        "{refused:?}"
    );
    let counselor = f.s.as_user("陈老师");
    let (talks, pages) = print(&counselor, Form::Talks, class(), Lang::Zh, true);
    assert_eq!(pages, 2);
    assert!(talks.contains("保密: 夜间失眠"), "{talks}");
    // A session is never filed as an ordinary talk.
    assert!(
        talks.contains("心理辅导记录表（保密）") && talks.contains("辅导教师"),
        "{talks}"
    );
    // A form that shows no session reads none (and audits no reading).
    let before = f.s.service.audit(None, None, None).unwrap().len();
    counselor
        .print_pack("visits", &class(), day(2026, 9, 1), day(2027, 1, 20), true)
        .unwrap();
    let audit = f.s.service.audit(None, None, None).unwrap();
    assert_eq!(audit.len(), before + 1, "the print only");
    assert_eq!(audit.last().unwrap().record.command, "print");
}

#[test]
fn printing_is_for_those_who_may_read_the_files_and_is_audited() {
    let f = fx();
    let teacher = f.s.as_user("李老师");
    let other = teacher.print_pack(
        "file",
        &PrintSelection::Class("八(1)班".into()),
        day(2026, 9, 1),
        day(2027, 1, 20),
        false,
    );
    assert!(
        matches!(other, Err(ServiceError::NotPermitted { .. })),
        "{other:?}"
    );
    let all = teacher.print_pack(
        "stats",
        &PrintSelection::All,
        day(2026, 9, 1),
        day(2027, 1, 20),
        false,
    );
    assert!(
        matches!(all, Err(ServiceError::NotPermitted { .. })),
        "{all:?}"
    );
    teacher
        .print_pack(
            "file",
            &PrintSelection::Child(f.zxz),
            day(2026, 9, 1),
            day(2027, 1, 20),
            false,
        )
        .unwrap();
    let audit = f.s.service.audit(None, None, None).unwrap();
    let last = &audit.last().unwrap().record;
    assert_eq!(
        (last.command.as_str(), last.target.as_str()),
        ("print", "print:file")
    );
    assert!(
        last.after
            .as_deref()
            .unwrap()
            .contains(&format!("\"children\":[{}]", f.zxz.0)),
        "{:?}",
        last.after
    );
    assert_eq!(audit.last().unwrap().actor_name.as_deref(), Some("李老师"));
}

#[test]
fn english_forms_are_english_but_the_data() {
    let f = fx();
    let (text, _) = print(&f.s.as_user("李老师"), Form::File, class(), Lang::En, false);
    for part in [
        "Left-behind child's file",
        "Guardian",
        "both parents away",
        "Class teacher",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    assert!(
        !text.contains("姓名") && !text.contains("班主任签名"),
        "{text}"
    );
}

#[test]
fn the_cli_prints_each_form_and_refuses_a_wrong_one_and_libreoffice_prints_them() {
    let f = fx();
    let dir = tempfile::tempdir().unwrap();
    let office = ["soffice", "libreoffice"].into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if office.is_none() {
        eprintln!("skipped the PDF conversion: LibreOffice is not installed here");
    }
    for form in ["file", "contacts", "pairs", "stats", "visits", "talks"] {
        let path = dir.path().join(format!("{form}.docx"));
        let out = guanai_process(&f.s.path())
            .args([
                "--user",
                "李老师",
                "print",
                form,
                "--class",
                "七(2)班",
                "--out",
            ])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{form}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let said = String::from_utf8(out.stdout).unwrap();
        assert!(
            said.starts_with("已打印") && said.contains(&path.display().to_string()),
            "{said}"
        );
        if let Some(office) = office {
            let done = std::process::Command::new(office)
                .args(["--headless", "--convert-to", "pdf", "--outdir"])
                .arg(dir.path())
                .arg(&path)
                .env("HOME", dir.path())
                .output()
                .unwrap();
            assert!(
                done.status.success(),
                "{form}: {}",
                String::from_utf8_lossy(&done.stderr)
            );
            let pdf = dir.path().join(format!("{form}.pdf"));
            assert!(
                std::fs::metadata(&pdf).is_ok_and(|m| m.len() > 1000),
                "{form}: no PDF"
            );
        }
    }
    let wrong = guanai_process(&f.s.path())
        .args([
            "--user",
            "李老师",
            "print",
            "poster",
            "--class",
            "七(2)班",
            "--out",
        ])
        .arg(dir.path().join("x.docx"))
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(2));
    let err = String::from_utf8(wrong.stderr).unwrap();
    assert!(err.contains("poster") && err.contains("contacts"), "{err}");
    let nobody = guanai_process(&f.s.path())
        .args(["--user", "李老师", "print", "file", "--out"])
        .arg(dir.path().join("y.docx"))
        .output()
        .unwrap();
    assert_eq!(nobody.status.code(), Some(2));
    assert!(
        String::from_utf8(nobody.stderr)
            .unwrap()
            .contains("--class")
    );
}

#[test]
fn forms_without_entries_carry_no_period_and_forms_with_entries_do() {
    let f = fx();
    let teacher = f.s.as_user("李老师");
    for form in [Form::Contacts, Form::Pairs] {
        let (text, _) = print(&teacher, form, class(), Lang::Zh, false);
        assert!(!text.contains("2026-09-01"), "{form:?}: {text}");
    }
    let (stats, _) = print(
        &f.s.service,
        Form::Stats,
        PrintSelection::All,
        Lang::Zh,
        false,
    );
    assert!(!stats.contains("2026-09-01"), "{stats}");
    let (visits, _) = print(&teacher, Form::Visits, class(), Lang::Zh, false);
    assert!(visits.contains("2026-09-01 至 2027-01-20"), "{visits}");
}

/// A guardian whose relation the register left blank is printed by name alone on the card,
/// not as `贺正国（）`; one with a relation keeps it.
#[test]
fn a_guardian_without_a_relation_is_printed_without_empty_brackets() {
    let f = fx();
    let mut c = NewChild::basic("刘洋", Gender::Male, day(2014, 4, 1), "七(2)班");
    c.guardian = Some(Guardian {
        name: "贺正国".into(),
        relation: String::new(),
        phone: None,
        age: None,
        health: None,
        can_supervise_study: None,
    });
    add_child(&f.s.service, c);
    let teacher = f.s.as_user("李老师");
    let (cards, _) = print(&teacher, Form::Contacts, class(), Lang::Zh, false);
    assert!(cards.contains("贺正国"), "{cards}");
    assert!(!cards.contains("贺正国（"), "{cards}");
    assert!(!cards.contains("（）"), "{cards}");
    assert!(cards.contains("张奶奶（祖母）"), "{cards}");
}
