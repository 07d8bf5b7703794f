//! The panes: search, key sequences, the queue, roles, layouts, help and palette, the
//! report pane, sizes, colour, changes by another process and the audit log.

use super::*;

#[test]
fn search_finds_by_initials_pinyin_hanzi_class_village_and_number() {
    let s = fixture();
    let mut t = harness(&s, "王校长", 80, 24);
    for q in ["zxz", "zhangxz", "张小", "zhangxiaozhu", "20240701"] {
        t.press(&["1", "/"]).type_text(q);
        assert_eq!(
            t.roster_names().first().map(String::as_str),
            Some("张小珠"),
            "{q}"
        );
        t.press(&["<Esc>"]);
        assert!(t.app.roster.query.is_empty(), "Esc clears the search");
    }
    // Both readings of a polyphonic surname: 曾 is zeng and ceng.
    for q in ["zxm", "cxm", "zengxiaoming"] {
        t.press(&["/"]).type_text(q);
        assert_eq!(
            t.roster_names().first().map(String::as_str),
            Some("曾小明"),
            "{q}"
        );
        t.press(&["<Esc>"]);
    }
    t.press(&["/"]).type_text("石门");
    assert_eq!(t.roster_names(), vec!["张晓志"]);
    t.press(&["<Backspace>", "<Backspace>"]);
    assert_eq!(
        t.roster_names().len(),
        4,
        "an empty query shows the whole roster"
    );
    t.press(&["<Esc>", "/"]).type_text("不存在的人");
    assert!(t.roster_names().is_empty());
    assert!(
        t.screen().contains("没有找到 \"不存在的人\""),
        "{}",
        t.screen()
    );
}

/// (keys, what must hold afterwards), each from a fresh app as 李老师 at 80×24.
#[test]
fn key_sequences() {
    let s = fixture();
    type Check = fn(&App) -> bool;
    let table: &[(&[&str], &str, Check)] = &[
        (&[], "starts on the queue", |a| a.focus == Pane::Queue),
        (&["1"], "1 roster", |a| a.focus == Pane::Roster),
        (&["2"], "2 opens the queue's child", |a| {
            a.focus == Pane::Child && a.child.file.is_some()
        }),
        (&["3"], "3 queue", |a| a.focus == Pane::Queue),
        (&["4"], "4 report", |a| a.focus == Pane::Report),
        (&["<Tab>"], "Tab after queue is report", |a| {
            a.focus == Pane::Report
        }),
        (&["<BackTab>"], "S-Tab before queue is child", |a| {
            a.focus == Pane::Child
        }),
        (&["<Tab>", "<Tab>"], "Tab wraps round", |a| {
            a.focus == Pane::Roster
        }),
        (&["1", "j", "j"], "j moves down", |a| {
            a.roster.pos.selected == 2
        }),
        (&["1", "<Down>", "<Down>", "<Up>"], "arrows move", |a| {
            a.roster.pos.selected == 1
        }),
        (&["1", "G"], "G to the bottom", |a| {
            a.roster.pos.selected == 3
        }),
        (&["1", "<End>", "<Home>"], "Home to the top", |a| {
            a.roster.pos.selected == 0
        }),
        (&["1", "G", "g"], "g to the top", |a| {
            a.roster.pos.selected == 0
        }),
        (&["1", "<PageDown>"], "PgDn moves a page", |a| {
            a.roster.pos.selected == 3
        }),
        (&["1", "f"], "f waits for the next key", |a| {
            a.pending.len() == 1
        }),
        (&["1", "f", "<Esc>"], "Esc cancels a sequence", |a| {
            a.pending.is_empty() && a.roster.filter == Default::default() && a.status.is_none()
        }),
        (&["1", "f", "m"], "f m: my children", |a| {
            a.roster.filter.mine && a.roster.rows.len() == 2
        }),
        (&["1", "f", "k"], "f k: key support", |a| {
            a.roster.rows.len() == 1
        }),
        (&["1", "f", "o"], "f o: children with overdue duties", |a| {
            a.roster.filter.overdue && !a.roster.rows.is_empty()
        }),
        (&["1", "f", "a"], "f a: archived too", |a| {
            a.roster.rows.len() == 5
        }),
        (&["1", "f", "c"], "f c: first class", |a| {
            a.roster.filter.class.as_deref() == Some("七(2)班") && a.roster.rows.len() == 2
        }),
        (
            &["1", "f", "c", "f", "c", "f", "c"],
            "f c cycles back to every class",
            |a| a.roster.filter.class.is_none() && a.roster.rows.len() == 4,
        ),
        (&["1", "f", "C"], "f C: last class", |a| {
            a.roster.filter.class.as_deref() == Some("八(1)班")
        }),
        (&["1", "f", "m", "f", "f"], "f f clears", |a| {
            a.roster.filter == Default::default()
        }),
        (&["1", "x"], "an unbound key says so", |a| {
            a.status.as_ref().is_some_and(|s| s.text.contains("x"))
        }),
        (&["?"], "? help", |a| {
            matches!(a.overlay, Some(Overlay::Help { .. }))
        }),
        (&["?", "<Esc>"], "Esc closes help", |a| a.overlay.is_none()),
        (&[":"], ": palette", |a| {
            matches!(a.overlay, Some(Overlay::Palette { .. }))
        }),
        (
            &["1", "<Enter>", "<Esc>"],
            "Esc goes back to the roster",
            |a| a.focus == Pane::Roster,
        ),
        (&["<Enter>", "<Esc>"], "Esc goes back to the queue", |a| {
            a.focus == Pane::Queue
        }),
        (&["s"], "s groups the queue by child", |a| {
            a.queue.grouped && {
                let mut ids: Vec<_> = a
                    .queue
                    .rows
                    .iter()
                    .filter_map(|item| a.item_child(*item))
                    .collect();
                let n = ids.len();
                ids.sort();
                ids.dedup();
                ids.len() == n
            }
        }),
        (&["m"], "m: only my rows", |a| {
            let me = a.data.me.as_ref().map(|s| s.id);
            a.queue.mine_only && a.queue.rows.iter().all(|item| assignee(a, *item) == me)
        }),
        (&["q"], "q quits", |a| a.requests.quit),
        (&["<C-c>"], "Ctrl-C quits", |a| a.requests.quit),
        (&["<C-z>"], "Ctrl-Z asks to suspend", |a| a.requests.suspend),
    ];
    for (keys, what, check) in table {
        let mut t = harness(&s, "李老师", 80, 24);
        t.press(keys);
        assert!(check(&t.app), "{what}: after {keys:?}\n{}", t.screen());
    }
}

#[test]
fn queue_lists_mine_first_and_opens_the_child() {
    let (_s, mut t) = class_teacher_at_80x24();
    let me = t.app.data.me.as_ref().map(|s| s.id);
    let assignees: Vec<bool> = t
        .app
        .queue
        .rows
        .iter()
        .map(|item| assignee(&t.app, *item) == me)
        .collect();
    assert!(assignees.iter().any(|m| *m), "李老师 has rows");
    assert!(
        assignees.windows(2).all(|w| w[0] || !w[1]),
        "mine come first: {assignees:?}"
    );
    let first_child = t.app.selected_queue_child();
    t.press(&["<Enter>"]);
    assert_eq!(t.app.focus, Pane::Child);
    assert_eq!(t.app.child.id, first_child);
}

#[test]
fn counselling_notes_reach_only_counsellors_and_other_classes_show_the_basic_file() {
    let s = fixture();
    let mut t = harness(&s, "李老师", 120, 40);
    t.press(&["/"]).type_text("zxz").press(&["<Enter>"]);
    let screen = t.screen();
    assert!(!screen.contains("夜间失眠"), "{screen}");
    assert!(screen.contains("心理辅导内容仅心理老师可见"), "{screen}");
    assert!(
        screen.contains("139 0000 0001"),
        "phones grouped for reading: {screen}"
    );
    let mut c = harness(&s, "陈老师", 120, 40);
    c.press(&["/"]).type_text("zxz").press(&["<Enter>"]);
    assert!(c.screen().contains("夜间失眠"), "{}", c.screen());
    // 张晓志 is in 八(1)班: not 李老师's class, no mentee.
    t.press(&["/"]).type_text("张晓志").press(&["<Enter>"]);
    assert_eq!(t.child_name().as_deref(), Some("张晓志"));
    assert!(t.screen().contains("只能查看基本信息"), "{}", t.screen());
}

#[test]
fn wide_layout_previews_the_child_under_the_cursor() {
    let s = fixture();
    let mut t = harness(&s, "王校长", 120, 40);
    assert!(t.app.wide);
    t.press(&["1", "j"]);
    let second = t.roster_names()[1].clone();
    assert_eq!(t.child_name(), Some(second));
    let mut narrow = harness(&s, "王校长", 80, 24);
    narrow.press(&["1", "j"]);
    assert!(!narrow.app.wide);
    assert_eq!(
        narrow.child_name(),
        None,
        "narrow: the child opens on Enter only"
    );
}

#[test]
fn help_and_hint_line_come_from_the_keymap_in_the_ui_language() {
    let (s, mut t) = class_teacher_at_80x24();
    let last = t.screen().lines().last().unwrap_or_default().to_string();
    assert!(last.contains("?帮助") && last.contains("q退出"), "{last}");
    t.press(&["1", "f"]);
    let last = t.screen().lines().last().unwrap_or_default().to_string();
    assert!(
        last.starts_with("f- 筛选: m我的 c下一班级") && last.ends_with("a含已归档 f清除"),
        "{last}"
    );
    // In English the choices are longer: the group's name gives way so that all of them,
    // the last too, fit at 80 columns.
    let mut en = harness_with(&s, "李老师", Lang::En, 80, 24);
    en.press(&["1", "f"]);
    let last = en
        .screen()
        .lines()
        .last()
        .unwrap_or_default()
        .trim_end()
        .to_string();
    assert_eq!(
        last,
        "f- m mine c next class C prev class k key support o overdue a archived f clear"
    );
    t.press(&["<Esc>", "?"]);
    assert!(t.screen().contains("筛选:我的"), "{}", t.screen());
    assert!(!t.screen().contains("暂停"), "at 80×24 the help scrolls");
    t.press(&["G"]);
    assert!(t.screen().contains("暂停"), "{}", t.screen());
    let mut wide = harness(&s, "李老师", 120, 40);
    wide.press(&["1", "?"]);
    let help = wide.screen();
    for line in ["筛选:我的", "打印表格", "Esc", "返回"] {
        assert!(help.contains(line), "help lacks {line}:\n{help}");
    }
    wide.press(&["G"]);
    let help = wide.screen();
    for line in ["C-z", "暂停", "j / ↓", "下移"] {
        assert!(help.contains(line), "help lacks {line}:\n{help}");
    }
    let mut en = harness_with(&s, "李老师", Lang::En, 80, 24);
    let last = en.screen().lines().last().unwrap_or_default().to_string();
    assert!(last.contains("? help") && last.contains("q quit"), "{last}");
    en.press(&["1", "?"]);
    assert!(en.screen().contains("filter: mine"), "{}", en.screen());
}

#[test]
fn palette_runs_an_action_by_its_description() {
    let (_s, mut t) = class_teacher_at_80x24();
    t.press(&[":"]).type_text("报告").press(&["<Enter>"]);
    assert_eq!(t.app.focus, Pane::Report);
    assert!(t.app.overlay.is_none());
    // By the pinyin of a description: fz finds 分组/逐条.
    t.press(&["3", ":"]).type_text("fzzt").press(&["<Enter>"]);
    assert!(t.app.queue.grouped);
    t.press(&[":"]).type_text("quit").press(&["<Enter>"]);
    assert!(t.app.requests.quit);
}

#[test]
fn the_report_pane_drafts_the_summary_switches_term_and_exports() {
    let s = fixture();
    let mut t = harness(&s, "王校长", 80, 24);
    let out = tempfile::tempdir().unwrap();
    t.app.export_dir = out.path().to_path_buf();
    t.press(&["4"]);
    let screen = t.screen();
    assert!(
        screen.contains("2026年秋季学期关爱留守儿童工作总结"),
        "{screen}"
    );
    // 王芳, archived in October, was on the roster this term, and left it; the term is
    // still running, so it is reported up to today.
    let whole: String = screen.lines().map(str::trim).collect();
    assert!(whole.contains("在册留守儿童5人"), "{screen}");
    assert!(whole.contains("截至"), "{screen}");
    // It scrolls to its end, and no further.
    t.press(&["G"]);
    assert!(t.screen().contains("附表"), "{}", t.screen());
    let bottom = t.app.report.scroll.selected;
    t.press(&["j", "j"]);
    assert_eq!(t.app.report.scroll.selected, bottom);
    // The term before, and back.
    t.press(&["["]);
    assert_eq!(t.app.report.term().map(|t| t.name.as_str()), Some("2026春"));
    assert!(t.screen().contains("2026年春季学期"), "{}", t.screen());
    t.press(&["]"]);
    assert_eq!(t.app.report.term().map(|t| t.name.as_str()), Some("2026秋"));
    // 2027春 has not begun: ] stays on the last term that has.
    t.press(&["]"]);
    assert_eq!(t.app.report.term().map(|t| t.name.as_str()), Some("2026秋"));
    // e: Word, E: Markdown, into the export directory; the bottom line says where.
    t.press(&["e"]);
    let docx = out.path().join("本校-2026秋-工作总结.docx");
    assert!(
        docx.exists(),
        "{:?}",
        std::fs::read_dir(out.path()).unwrap().collect::<Vec<_>>()
    );
    assert!(t.screen().contains("已导出"), "{}", t.screen());
    t.press(&["e", "E"]);
    assert!(
        out.path().join("本校-2026秋-工作总结-2.docx").exists(),
        "never over a file"
    );
    let md = std::fs::read_to_string(out.path().join("本校-2026秋-工作总结.md")).unwrap();
    assert!(
        md.starts_with("# 本校2026年秋季学期关爱留守儿童工作总结"),
        "{md}"
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&docx).unwrap().permissions().mode() & 0o077,
        0
    );
    // A change by another teacher redrafts it.
    let other = s.as_user("王校长");
    add_child(
        &other,
        NewChild::basic("新同学", Gender::Male, day(2014, 4, 4), "七(2)班"),
    );
    assert!(t.app.poll_changes());
    t.press(&["g"]);
    assert!(t.screen().contains("在册留守儿童6人"), "{}", t.screen());
}

#[test]
fn no_size_panics_and_a_small_window_says_so() {
    let (_s, mut t) = class_teacher_at_80x24();
    for (w, h) in [
        (1, 1),
        (2, 1),
        (1, 5),
        (10, 3),
        (39, 24),
        (80, 9),
        (40, 10),
        (200, 60),
    ] {
        t.term.backend_mut().resize(w, h);
        t.term
            .resize(ratatui::layout::Rect::new(0, 0, w, h))
            .unwrap();
        for keys in [
            &["1"][..],
            &["2"],
            &["3"],
            &["4"],
            &["?"],
            &["<Esc>", ":"],
            &["<Esc>"],
        ] {
            t.press(keys);
        }
    }
    t.term.backend_mut().resize(30, 8);
    t.term
        .resize(ratatui::layout::Rect::new(0, 0, 30, 8))
        .unwrap();
    t.draw();
    assert!(t.screen().contains("窗口太小"), "{}", t.screen());
}

#[test]
fn overdue_is_red_and_says_so_and_no_color_drops_the_colour() {
    use ratatui::style::Color;
    let s = fixture();
    let service = Service::open(&s.path(), today(), Identity::Staff("李老师".into())).unwrap();
    let app = App::new(
        service,
        Rules::defaults(),
        Lang::Zh,
        Keymap::defaults().unwrap(),
        Theme { color: true },
    )
    .unwrap();
    let mut t = Harness {
        app,
        term: Terminal::new(TestBackend::new(80, 24)).unwrap(),
        frame: ratatui::buffer::Buffer::empty(ratatui::layout::Rect::ZERO),
    };
    t.draw();
    let buf = t.frame.clone();
    let row = (0..24)
        .find(|&y| {
            t.screen()
                .lines()
                .nth(y as usize)
                .is_some_and(|l| l.contains("逾期 ") && l.contains("天"))
        })
        .expect("an overdue row");
    let red = (0..80).any(|x| buf[(x, row)].fg == Color::Red);
    assert!(red, "overdue days are red");
    // The monochrome fixture harness: no colour at all.
    let plain = harness(&s, "李老师", 80, 24);
    let buf = &plain.frame;
    assert!(
        buf.content().iter().all(|c| c.fg == Color::Reset),
        "NO_COLOR: no colours"
    );
}

#[test]
fn changes_by_another_guanai_appear_on_the_next_poll() {
    let (s, mut t) = class_teacher_at_80x24();
    assert!(!t.app.poll_changes(), "nothing changed yet");
    let before = t.app.data.roster.len();
    let other = s.as_user("王校长");
    add_child(
        &other,
        NewChild::basic("新同学", Gender::Male, day(2014, 4, 4), "七(2)班"),
    );
    assert!(t.app.poll_changes());
    t.draw();
    assert_eq!(t.app.data.roster.len(), before + 1);
    assert!(t.screen().contains("已更新"), "{}", t.screen());
    assert!(
        guanai::tui::CHANGE_POLL <= std::time::Duration::from_secs(2),
        "changes must show within 2 seconds"
    );
}

#[test]
fn paste_goes_into_the_search_box() {
    let (_s, mut t) = class_teacher_at_80x24();
    t.press(&["/"]);
    assert!(t.app.handle_paste("张小\n"));
    assert_eq!(t.app.roster.query, "张小");
    assert_eq!(t.roster_names().first().map(String::as_str), Some("张小珠"));
}

#[test]
fn every_action_can_be_run_from_the_palette_list() {
    let s = fixture();
    let t = harness(&s, "李老师", 80, 24);
    let items = t.app.palette_items("");
    assert!(items.iter().any(|(a, _, _)| *a == Action::Quit));
    assert!(
        items
            .iter()
            .any(|(a, d, _)| *a == Action::QueueGrouping && d == "分组/逐条")
    );
}

#[test]
fn the_audit_log_is_an_administrators_pane() {
    let s = fixture();
    // A counsellor reads 张小珠's notes: that reading is audited.
    let mut c = harness(&s, "陈老师", 80, 24);
    c.press(&["/"]).type_text("zxz").press(&["<Enter>"]);
    // A teacher has no audit pane: the tab bar stops at 4, and 5 does nothing.
    let mut teacher = harness(&s, "李老师", 120, 40);
    let tabs = teacher
        .screen()
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(tabs.contains("4 报告") && !tabs.contains("审计"), "{tabs}");
    teacher.press(&["5"]);
    assert_ne!(teacher.app.focus, Pane::Audit);
    let mut t = harness(&s, "王校长", 120, 40);
    let tabs = t.screen().lines().next().unwrap_or_default().to_string();
    assert!(tabs.contains("5 审计"), "{tabs}");
    t.press(&["5"]);
    assert_eq!(t.app.focus, Pane::Audit);
    let screen = t.screen();
    assert!(screen.starts_with(" 1 名册"), "{screen}");
    assert!(screen.contains("[5 审计]"), "{screen}");
    for text in [
        "新建档案",
        "张小珠",
        "查看心理辅导记录",
        "陈老师",
        "归档",
        "王芳",
        "改动:",
    ] {
        assert!(screen.contains(text), "audit lacks {text}:\n{screen}");
    }
    let all = t.app.audit.entries.as_ref().map_or(0, Vec::len);
    // Newest first: the counsellor's reading is on top.
    assert_eq!(
        t.app.audit.entries.as_ref().unwrap()[0].record.command,
        "read_counseling"
    );
    // c: only the open child's changes.
    t.press(&["1", "/"])
        .type_text("zxz")
        .press(&["<Enter>", "5", "c"]);
    let only = t.app.audit.entries.as_ref().unwrap();
    assert!(
        !only.is_empty() && only.len() < all,
        "{} of {all}",
        only.len()
    );
    assert!(only.iter().all(|e| {
        e.record
            .target
            .starts_with(&format!("child:{}", t.app.child.id.unwrap().0))
    }));
    assert!(t.screen().contains("只看: 张小珠"), "{}", t.screen());
    // Another teacher's change shows on the next poll while the pane is open.
    t.press(&["c"]);
    let before = t.app.audit.entries.as_ref().unwrap().len();
    add_child(
        &s.as_user("王校长"),
        NewChild::basic("新同学", Gender::Male, day(2014, 4, 4), "七(2)班"),
    );
    assert!(t.app.poll_changes());
    assert_eq!(t.app.audit.entries.as_ref().unwrap().len(), before + 1);

    // A class teacher has no audit pane: 5 says so, Tab never reaches it.
    let mut teacher = harness(&s, "李老师", 80, 24);
    assert!(!teacher.screen().contains("审计"));
    teacher.press(&["5"]);
    assert_ne!(teacher.app.focus, Pane::Audit);
    assert!(
        teacher.screen().contains("只有管理员"),
        "{}",
        teacher.screen()
    );
    for _ in 0..6 {
        teacher.press(&["<Tab>"]);
        assert_ne!(teacher.app.focus, Pane::Audit);
    }
    assert!(teacher.app.audit.entries.is_none());
}

#[test]
fn an_audit_entry_shows_the_fields_that_changed() {
    use guanai::service::AuditEntry;
    use guanai::store::AuditRecord;
    let entry = |before: Option<&str>, after: Option<&str>| AuditEntry {
        record: AuditRecord {
            seq: 1,
            at_unix_ms: 0,
            day: today(),
            actor: None,
            command: "update_child".into(),
            target: "child:1".into(),
            before: before.map(str::to_string),
            after: after.map(str::to_string),
        },
        actor_name: None,
    };
    let changed = guanai::tui::panes::audit::changes(
        &entry(
            Some(r#"{"version":1,"class":"七(2)班","village":null,"name":"张小珠"}"#),
            Some(r#"{"version":2,"class":"八(1)班","village":"石门村","name":"张小珠"}"#),
        ),
        Lang::Zh,
    )
    .unwrap();
    assert_eq!(
        changed,
        vec![
            (
                "班级".to_string(),
                "七(2)班".to_string(),
                "八(1)班".to_string()
            ),
            ("村".to_string(), "-".to_string(), "石门村".to_string()),
        ]
    );
    // An empty record made: nothing to show; no record on either side: no change at all.
    assert_eq!(
        guanai::tui::panes::audit::changes(&entry(None, Some("{}")), Lang::Zh),
        Some(Vec::new())
    );
    assert_eq!(
        guanai::tui::panes::audit::changes(&entry(None, None), Lang::Zh),
        None
    );
}

/// The days each queue row says, in order: the digits right after `prefix` on each line.
fn queue_days(screen: &str, prefix: &str) -> Vec<u32> {
    screen
        .lines()
        .filter_map(|l| {
            let rest = &l[l.find(prefix)? + prefix.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

#[test]
fn a_narrow_queue_keeps_every_overdue_number_whole() {
    let s = fixture();
    let mut wide = harness(&s, "李老师", 80, 24);
    wide.press(&["3"]);
    let full = queue_days(&wide.screen(), "▶逾期 ");
    let full_rest = queue_days(&wide.screen(), "│ 逾期 ");
    let mut narrow = harness(&s, "李老师", 40, 12);
    narrow.press(&["3"]);
    let screen = narrow.screen();
    assert!(
        screen.lines().skip(2).all(|l| !l.contains("逾期 ")),
        "the short form at 40 wide:\n{screen}"
    );
    let short = queue_days(&screen, "▶逾");
    let short_rest = queue_days(&screen, "│ 逾");
    assert!(!full.is_empty() && !short_rest.is_empty(), "{screen}");
    assert_eq!(short, full, "{screen}");
    assert_eq!(short_rest, full_rest[..short_rest.len()], "{screen}");
    // English says the same numbers.
    let mut en = harness_with(&s, "李老师", Lang::En, 40, 12);
    en.press(&["3"]);
    let en_days: Vec<u32> = en
        .screen()
        .lines()
        .filter(|l| l.contains("d ov "))
        .filter_map(|l| {
            let digits: String = l
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect();
    assert_eq!(en_days[0], full[0], "{}", en.screen());
    assert_eq!(
        en_days[1..],
        short_rest[..en_days.len() - 1],
        "{}",
        en.screen()
    );
}

/// A mentor's name longer than its column is cut with a mark: a name cut silently reads as
/// someone else's (欧阳慧 for 欧阳慧敏老师).
#[test]
fn long_names_in_the_roster_are_whole_where_they_fit_and_marked_where_cut() {
    let s = fixture();
    let guanai::service::Outcome::Staff(mentor) = s
        .service
        .execute(staff("欧阳慧敏老师", &[Role::Mentor], &[]))
        .unwrap()
    else {
        panic!("no staff added")
    };
    let mut c = NewChild::basic("钟小雨", Gender::Female, day(2013, 5, 1), "七(2)班");
    c.mentor = Some(mentor);
    add_child(&s.service, c);
    for (lang, w, h) in [(Lang::Zh, 40, 12), (Lang::En, 40, 12), (Lang::En, 120, 40)] {
        let mut t = harness_with(&s, "王校长", lang, w, h);
        t.press(&["1"]);
        let screen = t.screen();
        let line = screen
            .lines()
            .find(|l| l.contains("钟小雨"))
            .unwrap_or_else(|| panic!("{screen}"));
        assert!(
            line.contains("欧阳慧敏老师") || line.contains('…'),
            "{lang:?} {w}x{h}: {line}"
        );
        assert!(line.contains("欧"), "{lang:?} {w}x{h}: {line}");
    }
    // A long name of a child is shown whole where the row has room for it, cut with a mark
    // where it has not.
    add_child(
        &s.service,
        NewChild::basic(
            "阿依古丽·买买提",
            Gender::Female,
            day(2013, 6, 1),
            "七(2)班",
        ),
    );
    for (w, h, whole) in [(80, 24, true), (40, 12, false)] {
        let mut t = harness(&s, "王校长", w, h);
        t.press(&["1"]);
        let screen = t.screen();
        let line = screen
            .lines()
            .find(|l| l.contains("阿依古"))
            .unwrap_or_else(|| panic!("{screen}"));
        assert_eq!(line.contains("阿依古丽·买买提"), whole, "{w}x{h}: {line}");
        assert_eq!(line.contains('…'), !whole, "{w}x{h}: {line}");
    }
}

/// A register just imported: no mentor recorded and nothing overdue yet. The columns of
/// mentors and marks are empty, so a long name takes their room and is shown whole even at
/// 40×12 and in the split 120×40 screen, in both languages.
#[test]
fn a_long_name_takes_the_room_of_empty_mentor_and_mark_columns() {
    let s = school();
    for (name, class) in [
        ("阿依古丽·买买提", "六(1)班"),
        ("热依汗古丽·阿不都", "六(1)班"),
    ] {
        add_child(
            &s.service,
            NewChild::basic(name, Gender::Female, day(2013, 6, 1), class),
        );
    }
    for (lang, w, h) in [
        (Lang::Zh, 40, 12),
        (Lang::En, 40, 12),
        (Lang::Zh, 120, 40),
        (Lang::En, 120, 40),
    ] {
        let mut t = harness_with(&s, "王校长", lang, w, h);
        t.press(&["1"]);
        let screen = t.screen();
        for name in ["阿依古丽·买买提", "热依汗古丽·阿不都"] {
            let line = screen
                .lines()
                .find(|l| l.contains(&name[..9]))
                .unwrap_or_else(|| panic!("{screen}"));
            assert!(line.contains(name), "{lang:?} {w}x{h}: {line}");
            assert!(!line.contains('…'), "{lang:?} {w}x{h}: {line}");
        }
    }
}

#[test]
fn a_narrow_file_never_shows_a_cut_off_phone_number() {
    let s = fixture();
    for lang in [Lang::Zh, Lang::En] {
        let mut t = harness_with(&s, "王校长", lang, 40, 12);
        t.press(&["1", "/"]).type_text("zxz");
        t.press(&["<Enter>", "2"]);
        let screen = t.screen();
        assert!(screen.contains("139 0000 0001"), "{screen}");
        let phones = [
            "138 0000 0001",
            "139 0000 0001",
            "139 0000 0002",
            "0594 1234567",
        ];
        for line in screen
            .lines()
            .filter(|l| phones.iter().any(|p| l.contains(&p[..4])))
        {
            assert!(
                phones.iter().any(|p| line.contains(p)),
                "a cut phone in {line:?}:\n{screen}"
            );
        }
    }
}

/// A search that matches only archived files says so and how to show them, instead of
/// "nothing found"; with the archived shown, it finds the file.
#[test]
fn a_search_that_finds_only_archived_files_says_so() {
    let s = fixture();
    let mut t = harness(&s, "王校长", 80, 24);
    t.press(&["1", "/"]).type_text("王芳");
    let screen = t.screen();
    assert!(
        screen.contains("\"王芳\" 只找到 1 份已归档的档案: 按 f a 显示已归档"),
        "{screen}"
    );
    t.press(&["<Enter>", "f", "a"]);
    assert!(
        t.roster_names().contains(&"王芳".to_string()),
        "{}",
        t.screen()
    );
    // A name nobody has is still "not found".
    t.press(&["f", "f", "/"]).type_text("不存在的人");
    assert!(
        t.screen().contains("没有找到 \"不存在的人\""),
        "{}",
        t.screen()
    );
}

/// At 60 columns the file's facts go on as many lines as they need: the identity number is
/// never cut.
#[test]
fn a_narrow_file_never_cuts_the_id_number() {
    let s = fixture();
    let admin = s.as_user("王校长");
    let zxz = admin.resolve_child("20240701").unwrap();
    let mut file = full_child("张小珠", "20240701", s.teacher);
    file.opened = Some(day(2026, 9, 1));
    file.register.id_no = Some("430524201405031235".into());
    admin
        .execute(Command::UpdateChild {
            child: zxz.id,
            version: zxz.version,
            file: Box::new(file),
        })
        .unwrap();
    for (w, h) in [(60, 20), (80, 24)] {
        let mut t = harness_with(&s, "王校长", Lang::Zh, w, h);
        t.press(&["1", "/"]).type_text("zxz");
        t.press(&["<Enter>", "2"]);
        let screen = t.screen();
        assert!(
            screen.contains("身份证 430524201405031235"),
            "{w}x{h}:\n{screen}"
        );
    }
}
