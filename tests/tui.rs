//! The terminal UI on a `TestBackend`: snapshots of every pane at 80×24 and 120×40 with
//! Chinese fixtures and a fixed today, tables of (keys → expected state), search, roles,
//! colour, sizes down to 1×1, and changes made by another process.

mod common;

use common::*;
use guanai::domain::*;
use guanai::followup::Rules;
use guanai::i18n::Lang;
use guanai::service::{Command, Identity, Service};
use guanai::tui::action::Action;
use guanai::tui::app::{App, Overlay, Pane, QueueItem};
use guanai::tui::keymap::{Key, Keymap};
use guanai::tui::theme::Theme;
use guanai::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyEvent;

/// A school of five children (one archived) with a history for 张小珠.
fn fixture() -> School {
    let s = school();
    let mut zxz = full_child("张小珠", "20240701", s.teacher);
    zxz.opened = Some(day(2026, 9, 1));
    let zxz = add_child(&s.service, zxz);
    let mut a = NewChild::basic("张晓志", Gender::Male, day(2013, 3, 9), "八(1)班");
    a.student_no = Some("20230801".into());
    a.left_behind.kind = LeftBehindType::OneParent;
    a.village = Some("石门村".into());
    a.opened = Some(day(2026, 9, 1));
    add_child(&s.service, a);
    let mut b = NewChild::basic("曾小明", Gender::Male, day(2013, 6, 1), "八(1)班");
    b.student_no = Some("20230802".into());
    b.opened = Some(day(2026, 9, 1));
    add_child(&s.service, b);
    let mut c = NewChild::basic("蔡东剑", Gender::Male, day(2014, 1, 20), "七(2)班");
    c.student_no = Some("20240702".into());
    c.mentor = Some(s.teacher);
    c.opened = Some(day(2026, 9, 1));
    add_child(&s.service, c);
    let mut d = NewChild::basic("王芳", Gender::Female, day(2014, 2, 2), "七(2)班");
    d.student_no = Some("20240703".into());
    d.opened = Some(day(2026, 9, 1));
    let d = add_child(&s.service, d);
    s.service
        .execute_all(
            vec![
                event(
                    zxz,
                    EventKind::Talk,
                    day(2026, 11, 3),
                    s.teacher,
                    "期中考试后情绪低落, 已鼓励",
                ),
                event(
                    zxz,
                    EventKind::GuardianContact,
                    day(2026, 11, 10),
                    s.teacher,
                    "奶奶反映作业无人辅导",
                ),
                event(
                    zxz,
                    EventKind::Call,
                    day(2026, 11, 20),
                    s.teacher,
                    "与父亲视频, 约定每周日通话",
                ),
                event(
                    zxz,
                    EventKind::HomeVisit,
                    day(2026, 9, 12),
                    s.teacher,
                    "开学家访, 奶奶身体尚可",
                ),
                Command::ArchiveChild {
                    child: d,
                    reason: ArchiveReason::ParentsReturned,
                    date: day(2026, 10, 8),
                },
            ],
            guanai::service::BatchAudit::Each,
        )
        .unwrap();
    s.as_user("陈老师")
        .execute(event(
            zxz,
            EventKind::Counseling,
            day(2026, 10, 15),
            s.counselor,
            "咨询记录: 夜间失眠",
        ))
        .unwrap();
    s
}

/// Who a queue line is for.
fn assignee(a: &App, item: QueueItem) -> Option<StaffId> {
    match item {
        QueueItem::Duty(i) => a.data.queue.rows[i].assignee,
        QueueItem::Task(i) => Some(a.data.tasks[i].assignee),
    }
}

struct Harness {
    app: App,
    term: Terminal<TestBackend>,
    /// The last frame drawn. (The backend's own buffer only receives the cells that changed,
    /// so cells hidden behind a wide character keep stale text there.)
    frame: ratatui::buffer::Buffer,
}

fn harness_with(s: &School, user: &str, lang: Lang, w: u16, h: u16) -> Harness {
    let service = Service::open(&s.path(), today(), Identity::Staff(user.into())).unwrap();
    let app = App::new(
        service,
        Rules::defaults(),
        lang,
        Keymap::defaults().unwrap(),
        Theme { color: false },
    )
    .unwrap();
    let mut h = Harness {
        app,
        term: Terminal::new(TestBackend::new(w, h)).unwrap(),
        frame: ratatui::buffer::Buffer::empty(ratatui::layout::Rect::ZERO),
    };
    h.draw();
    h
}

fn harness(s: &School, user: &str, w: u16, h: u16) -> Harness {
    harness_with(s, user, Lang::Zh, w, h)
}

impl Harness {
    fn draw(&mut self) {
        let app = &mut self.app;
        self.frame = self.term.draw(|f| ui::draw(app, f)).unwrap().buffer.clone();
        // As the event loop does: side by side, the child under the cursor shows at once.
        if self.app.after_draw() {
            let app = &mut self.app;
            self.frame = self.term.draw(|f| ui::draw(app, f)).unwrap().buffer.clone();
        }
    }

    /// Presses keys written as keymap files write them ("j", "<Enter>", "<C-z>"), drawing
    /// after each as the event loop does.
    fn press(&mut self, keys: &[&str]) -> &mut Self {
        for k in keys {
            let key = Key::parse(k).unwrap_or_else(|| panic!("test key {k}"));
            self.app.handle_key(KeyEvent::new(key.code, key.mods));
            self.draw();
        }
        self
    }

    /// Types text character by character.
    fn type_text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.app.handle_key(KeyEvent::new(
                ratatui::crossterm::event::KeyCode::Char(c),
                ratatui::crossterm::event::KeyModifiers::NONE,
            ));
            self.draw();
        }
        self
    }

    fn screen(&self) -> String {
        let buf = &self.frame;
        let mut out = String::new();
        for y in 0..buf.area.height {
            // The cells a wide character covers are skipped, as a terminal shows them.
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..buf.area.width {
                let symbol = buf[(x, y)].symbol();
                if skip == 0 {
                    line.push_str(symbol);
                }
                skip = std::cmp::max(skip, unicode_width::UnicodeWidthStr::width(symbol))
                    .saturating_sub(1);
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    fn child_name(&self) -> Option<String> {
        self.app.child.file.as_ref().map(|c| c.name.clone())
    }

    fn roster_names(&self) -> Vec<String> {
        self.app
            .roster
            .rows
            .iter()
            .map(|&i| self.app.data.roster[i].child.name.clone())
            .collect()
    }
}

#[test]
fn snapshots_of_every_pane_at_80x24_and_120x40() {
    let s = fixture();
    for (w, h) in [(80, 24), (120, 40)] {
        let mut t = harness(&s, "李老师", w, h);
        // 李老师 has overdue work of their own: the app opens on the queue.
        assert_eq!(t.app.focus, Pane::Queue);
        insta::assert_snapshot!(format!("queue_{w}x{h}"), t.screen());
        t.press(&["1"]);
        insta::assert_snapshot!(format!("roster_{w}x{h}"), t.screen());
        t.press(&["/"]).type_text("zxz").press(&["<Enter>"]);
        insta::assert_snapshot!(format!("child_{w}x{h}"), t.screen());
        t.press(&["4"]);
        insta::assert_snapshot!(format!("report_{w}x{h}"), t.screen());
        t.press(&["1", "?"]);
        insta::assert_snapshot!(format!("help_{w}x{h}"), t.screen());
    }
}

#[test]
fn english_snapshots() {
    let s = fixture();
    let mut t = harness_with(&s, "李老师", Lang::En, 80, 24);
    insta::assert_snapshot!("queue_en_80x24", t.screen());
    t.press(&["/"]).type_text("zxz").press(&["<Enter>"]);
    insta::assert_snapshot!("child_en_80x24", t.screen());
}

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
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
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
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
    let last = t.screen().lines().last().unwrap_or_default().to_string();
    assert!(last.contains("?帮助") && last.contains("q退出"), "{last}");
    t.press(&["1", "f"]);
    let last = t.screen().lines().last().unwrap_or_default().to_string();
    assert!(
        last.starts_with("f- 筛选: m我的 c下一班级") && last.contains("f清除筛选"),
        "{last}"
    );
    t.press(&["<Esc>", "?"]);
    assert!(t.screen().contains("筛选:我的"), "{}", t.screen());
    assert!(!t.screen().contains("挂起"), "at 80×24 the help scrolls");
    t.press(&["G"]);
    assert!(t.screen().contains("挂起"), "{}", t.screen());
    let mut wide = harness(&s, "李老师", 120, 40);
    wide.press(&["1", "?"]);
    let help = wide.screen();
    for line in ["筛选:我的", "j / ↓", "下移", "Esc", "返回"] {
        assert!(help.contains(line), "help lacks {line}:\n{help}");
    }
    wide.press(&["G"]);
    let help = wide.screen();
    for line in ["C-z", "挂起"] {
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
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
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
        screen.contains("2026秋学期关爱留守儿童工作总结"),
        "{screen}"
    );
    // 王芳, archived in October, was on the roster this term, and left it.
    assert!(screen.contains("在册留守儿童5人"), "{screen}");
    assert!(
        screen.contains("1人不再是留守儿童（父母返乡1人）"),
        "{screen}"
    );
    // It scrolls to its end, and no further.
    t.press(&["G"]);
    assert!(t.screen().contains("附表"), "{}", t.screen());
    let bottom = t.app.report.scroll.selected;
    t.press(&["j", "j"]);
    assert_eq!(t.app.report.scroll.selected, bottom);
    // The term before, and back.
    t.press(&["["]);
    assert_eq!(t.app.report.term().map(|t| t.name.as_str()), Some("2026春"));
    assert!(t.screen().contains("2026春学期"), "{}", t.screen());
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
        md.starts_with("# 本校2026秋学期关爱留守儿童工作总结"),
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
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
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
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
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
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
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
    let mut t = harness(&s, "王校长", 120, 40);
    assert!(
        t.screen()
            .lines()
            .next()
            .is_some_and(|l| !l.contains("5 审计"))
            || t.app.wide
    );
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
        "修改后:",
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
    let changed = guanai::tui::panes::audit::changes(&entry(
        Some(r#"{"version":1,"class":"七(2)班","village":null,"name":"张小珠"}"#),
        Some(r#"{"version":2,"class":"八(1)班","village":"石门村","name":"张小珠"}"#),
    ))
    .unwrap();
    assert_eq!(
        changed,
        vec![
            (
                "class".to_string(),
                "七(2)班".to_string(),
                "八(1)班".to_string()
            ),
            ("village".to_string(), "-".to_string(), "石门村".to_string()),
        ]
    );
    assert!(guanai::tui::panes::audit::changes(&entry(None, Some("{}"))).is_none());
}

/// The events of a child, newest first, as stored.
fn stored(s: &School, name: &str) -> Vec<Event> {
    let svc = s.as_user("王校长");
    let child = svc.resolve_child(name).unwrap();
    svc.timeline(child.id)
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect()
}

#[test]
fn logging_an_overdue_talk_from_the_queue_takes_two_keystrokes_and_the_note() {
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
    // The first row: 蔡东剑's monthly talk, overdue.
    let QueueItem::Duty(row) = t.app.queue.rows[0] else {
        panic!("a duty first")
    };
    let duty = t
        .app
        .data
        .queue
        .duty(&t.app.data.queue.rows[row])
        .unwrap()
        .name
        .clone();
    assert_eq!(duty, "talk");
    let before = stored(&s, "蔡东剑").len();
    // The literal path: l, the note, Enter.
    let keys = ["l", "<Enter>"];
    assert!(keys.len() <= 4);
    t.press(&keys[..1])
        .type_text("期中考试后情绪低落, 已鼓励")
        .press(&keys[1..]);
    assert!(t.app.form.is_none(), "saved and closed");
    let events = stored(&s, "蔡东剑");
    assert_eq!(events.len(), before + 1);
    let e = &events[0];
    assert_eq!((e.kind, e.date), (EventKind::Talk, today()));
    assert_eq!(e.summary, "期中考试后情绪低落, 已鼓励");
    assert_eq!(e.staff, s.teacher, "by the current user");
    // The row left the queue at once.
    let cai = t.app.selected_queue_child();
    assert!(
        !t.app
            .data
            .queue
            .rows
            .iter()
            .any(|r| Some(r.child) == cai && t.app.data.queue.duty(r).unwrap().name == "talk"),
        "the talk row is gone"
    );
    assert!(
        t.screen().contains("已记录: 谈心 · 蔡东剑"),
        "{}",
        t.screen()
    );
}

#[test]
fn a_key_per_kind_dates_as_teachers_write_them_and_who_was_present() {
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
    // 张小珠 is the roster's first row.
    t.press(&["1", "v"]);
    assert_eq!(t.app.form.as_ref().unwrap().kind, EventKind::HomeVisit);
    t.type_text("家访, 奶奶身体尚可");
    // Up to the present, then the date.
    t.press(&["<Up>"]).type_text("奶奶，父亲");
    t.press(&["<Up>", "<Up>", "<C-u>"]).type_text("昨天");
    t.press(&["<Enter>"]);
    let e = &stored(&s, "张小珠")[0];
    assert_eq!((e.kind, e.date), (EventKind::HomeVisit, day(2026, 11, 28)));
    assert_eq!(e.present, vec!["奶奶", "父亲"]);
    for (typed, want) in [
        ("-3", day(2026, 11, 26)),
        ("11/20", day(2026, 11, 20)),
        ("2026-11-02", day(2026, 11, 2)),
    ] {
        t.press(&["1", "c", "<Up>", "<Up>", "<Up>", "<C-u>"])
            .type_text(typed)
            .press(&["<Enter>"]);
        let e = stored(&s, "张小珠")
            .into_iter()
            .find(|e| e.kind == EventKind::Call && e.date == want);
        assert!(e.is_some(), "{typed} → {want}");
    }
    // h: guardian contact; a: the kind picker, → to choose.
    t.press(&["1", "h"]);
    assert_eq!(
        t.app.form.as_ref().unwrap().kind,
        EventKind::GuardianContact
    );
    t.press(&["<Esc>", "a"]);
    let f = t.app.form.as_ref().unwrap();
    assert_eq!(f.focus, guanai::tui::forms::log::FormField::Kind);
    t.press(&["<Right>"]);
    assert_eq!(t.app.form.as_ref().unwrap().kind, EventKind::Talk);
}

#[test]
fn a_mistake_keeps_the_form_and_says_what_is_accepted_on_the_field() {
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
    let before = stored(&s, "张小珠").len();
    t.press(&["1", "t"]).type_text("谈心记录");
    t.press(&["<Up>", "<Up>", "<Up>", "<C-u>"])
        .type_text("2026-13-01")
        .press(&["<Enter>"]);
    let f = t.app.form.as_ref().expect("the form stays open");
    assert_eq!(f.focus, guanai::tui::forms::log::FormField::Date);
    let (_, message) = f.error.as_ref().unwrap();
    assert!(message.contains("2026-13-01"), "{message}");
    assert_eq!(f.summary.text(), "谈心记录", "nothing typed is lost");
    assert!(t.screen().contains("2026-13-01"), "{}", t.screen());
    assert_eq!(stored(&s, "张小珠").len(), before, "nothing written");
    // A child of another class: the service refuses, the form says so.
    t.press(&["<Esc>", "y", "/"])
        .type_text("张晓志")
        .press(&["<Enter>", "t"]);
    t.type_text("谈心").press(&["<Enter>"]);
    assert!(
        t.app.form.as_ref().is_some_and(|f| f.error.is_some()),
        "{}",
        t.screen()
    );
    assert_eq!(stored(&s, "张晓志").len(), 0);
}

#[test]
fn cancelling_a_changed_form_asks_first() {
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
    t.press(&["1", "t", "<Esc>"]);
    assert!(t.app.form.is_none(), "an untouched form closes at once");
    t.press(&["t"]).type_text("写了一半").press(&["<Esc>"]);
    assert!(t.app.form.as_ref().unwrap().confirm_cancel);
    assert!(t.screen().contains("放弃已填写的内容?"), "{}", t.screen());
    t.press(&["n"]);
    assert_eq!(t.app.form.as_ref().unwrap().summary.text(), "写了一半");
    t.press(&["<Esc>", "y"]);
    assert!(t.app.form.is_none());
    assert!(stored(&s, "张小珠").iter().all(|e| e.summary != "写了一半"));
}

#[test]
fn a_follow_up_creates_a_task_and_a_draft_survives_the_terminal_dying() {
    let s = fixture();
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("draft.json");
    let mut t = harness(&s, "李老师", 80, 24);
    t.app.draft_path = Some(draft.clone());
    t.press(&["1", "t"]).type_text("奶奶说孩子晚上失眠");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&draft).unwrap().permissions().mode() & 0o077,
        0
    );
    // The terminal dies: a new app on the same file finds the draft.
    drop(t);
    let mut t = harness(&s, "李老师", 80, 24);
    t.app.draft_path = Some(draft.clone());
    assert!(t.app.restore_draft());
    t.draw();
    assert_eq!(
        t.app.form.as_ref().unwrap().summary.text(),
        "奶奶说孩子晚上失眠"
    );
    assert!(
        t.screen().contains("已恢复上次未保存的记录"),
        "{}",
        t.screen()
    );
    // Needs follow-up: Space on the toggle, a due date, Enter.
    t.press(&["<Down>", "<Space>", "<Down>"]).type_text("12-05");
    t.press(&["<Enter>"]);
    assert!(t.app.form.is_none(), "{}", t.screen());
    assert!(!draft.exists(), "the draft is gone once saved");
    let e = &stored(&s, "张小珠")[0];
    assert!(e.follow_up);
    let dump = s.as_user("王校长").dump().unwrap();
    let task = dump.records.tasks.last().unwrap();
    assert_eq!(
        (task.due, task.text.as_str()),
        (day(2026, 12, 5), "奶奶说孩子晚上失眠")
    );
    assert_eq!(task.assignee, s.teacher);
}

#[test]
fn tasks_stand_in_the_queue_and_are_done_put_off_or_handed_over() {
    let s = fixture();
    let zxz = s.service.resolve_child("张小珠").unwrap().id;
    add_task(
        &s.service,
        zxz,
        "联系父亲补办医保",
        day(2026, 11, 25),
        s.teacher,
    );
    let mut t = harness(&s, "李老师", 80, 24);
    // Overdue by four days, mine: among my lines, with the duties.
    let at = t
        .app
        .queue
        .rows
        .iter()
        .position(|i| matches!(i, QueueItem::Task(_)))
        .expect("the task is in the queue");
    assert!(t.screen().contains("联系父亲补办医保"), "{}", t.screen());
    assert!(t.screen().contains("待办任务"), "{}", t.screen());
    // x on a duty line says it is for tasks only.
    let duty_at = t
        .app
        .queue
        .rows
        .iter()
        .position(|i| matches!(i, QueueItem::Duty(_)))
        .unwrap();
    t.app.queue.pos.selected = duty_at;
    t.press(&["x"]);
    assert!(t.screen().contains("不是待办任务"), "{}", t.screen());
    // z: put off to a day; a past day is refused in the prompt.
    t.app.queue.pos.selected = at;
    t.press(&["z"]).type_text("11-20").press(&["<Enter>"]);
    assert!(
        matches!(t.app.overlay, Some(Overlay::Prompt { error: Some(_), .. })),
        "{}",
        t.screen()
    );
    t.press(&["<C-u>"]).type_text("12-03").press(&["<Enter>"]);
    assert!(t.app.overlay.is_none(), "{}", t.screen());
    let task = s.as_user("王校长").dump().unwrap().records.tasks[0].clone();
    assert_eq!(task.due, day(2026, 12, 3));
    // r: hand it to 陈老师 (李老师 no longer sees it among their own).
    let at = t
        .app
        .queue
        .rows
        .iter()
        .position(|i| matches!(i, QueueItem::Task(_)))
        .unwrap();
    t.app.queue.pos.selected = at;
    t.press(&["r"]).type_text("陈老师").press(&["<Enter>"]);
    let task = s.as_user("王校长").dump().unwrap().records.tasks[0].clone();
    assert_eq!(task.assignee, s.counselor);
    // x: done; it leaves the queue.
    let at = t
        .app
        .queue
        .rows
        .iter()
        .position(|i| matches!(i, QueueItem::Task(_)))
        .unwrap();
    t.app.queue.pos.selected = at;
    t.press(&["x"]);
    assert!(
        t.app
            .queue
            .rows
            .iter()
            .all(|i| !matches!(i, QueueItem::Task(_)))
    );
    let task = s.as_user("王校长").dump().unwrap().records.tasks[0].clone();
    assert_eq!(task.done, Some(today()));
    assert_eq!(task.version, 4, "three changes, each audited");
    // A second teacher's copy of the task is stale: refused, not overwritten.
    let stale = s.as_user("王校长").execute(Command::UpdateTask {
        task: task.id,
        version: 1,
        change: guanai::service::TaskChange::Snooze(day(2026, 12, 20)),
    });
    assert!(
        matches!(stale, Err(guanai::service::ServiceError::Stale { .. })),
        "{stale:?}"
    );
}

#[test]
fn undo_reverts_my_last_change_and_is_audited() {
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
    let before = stored(&s, "蔡东剑").len();
    let rows_before = t.app.queue.rows.len();
    t.press(&["l"]).type_text("谈心").press(&["<Enter>"]);
    assert_eq!(stored(&s, "蔡东剑").len(), before + 1);
    assert!(t.app.queue.rows.len() < rows_before);
    // u: the talk is gone, and the queue row back.
    t.press(&["u"]);
    assert_eq!(stored(&s, "蔡东剑").len(), before);
    assert_eq!(t.app.queue.rows.len(), rows_before);
    assert!(t.screen().contains("已撤销: 记录"), "{}", t.screen());
    // Nothing else of 李老师's to undo (the fixture was written by the principal).
    t.press(&["u"]);
    assert!(t.screen().contains("没有可以撤销的修改"), "{}", t.screen());
    // The undo is in the audit log, with what it took back.
    let audit = s.as_user("王校长").audit(None, None, None).unwrap();
    let last = audit.last().unwrap();
    assert_eq!(last.record.command, "undo");
    assert!(
        last.record.target.starts_with("undo:"),
        "{}",
        last.record.target
    );
    assert!(last.record.before.as_deref().unwrap_or("").contains("谈心"));
}

#[test]
fn undo_brings_an_archived_file_back_and_a_changed_task_and_stops_at_a_stale_one() {
    let s = fixture();
    let admin = s.as_user("王校长");
    let zxz = admin.resolve_child("张小珠").unwrap().id;
    admin
        .execute(Command::ArchiveChild {
            child: zxz,
            reason: ArchiveReason::Transferred,
            date: today(),
        })
        .unwrap();
    assert!(!admin.resolve_child("20240701").unwrap().is_active());
    let mut t = harness(&s, "王校长", 80, 24);
    t.press(&["u"]);
    assert!(
        admin.resolve_child("20240701").unwrap().is_active(),
        "{}",
        t.screen()
    );
    // Two undos in a row: the second reaches the change before.
    let task = add_task(&admin, zxz, "回访", day(2026, 12, 1), s.teacher);
    admin
        .execute(Command::UpdateTask {
            task,
            version: 1,
            change: guanai::service::TaskChange::Snooze(day(2026, 12, 9)),
        })
        .unwrap();
    t.press(&["u"]);
    assert_eq!(admin.task(task).unwrap().unwrap().due, day(2026, 12, 1));
    t.press(&["u"]);
    assert!(
        admin.task(task).unwrap().is_none(),
        "the task's creation undone"
    );
    // A file someone else changed since cannot be taken back silently.
    let admin_file = admin.resolve_child("20240701").unwrap();
    admin
        .execute(Command::SurveyChild {
            child: zxz,
            situation: Situation {
                surveyed: Some(today()),
                ..admin_file.situation.clone()
            },
        })
        .unwrap();
    let counselor = s.as_user("陈老师");
    let f = counselor.resolve_child("20240701").unwrap();
    counselor
        .execute(Command::ArchiveChild {
            child: zxz,
            reason: ArchiveReason::Graduated,
            date: today(),
        })
        .unwrap();
    let _ = f;
    let refused = admin.execute(Command::Undo);
    assert!(
        matches!(refused, Err(guanai::service::ServiceError::Stale { .. })),
        "{refused:?}"
    );
}

#[test]
fn the_contact_card_archive_with_a_reason_and_restore() {
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
    // p: every phone of 张小珠 (the roster's first row) on one screen.
    t.press(&["1", "p"]);
    let card = t.screen();
    for part in [
        "联系卡 · 张小珠",
        "张奶奶(祖母)",
        "138 0000 0001",
        "张大山",
        "139 0000 0001",
        "广州电子厂",
        "李春花",
        "东莞服装厂",
        "青山村委会",
    ] {
        assert!(card.contains(part), "the card lacks {part}:\n{card}");
    }
    t.press(&["j"]);
    assert!(t.app.overlay.is_none(), "any key closes the card");
    // Not for a child of another class: the basic file has no phones.
    t.press(&["/"]).type_text("张晓志").press(&["<Enter>", "p"]);
    assert!(t.app.overlay.is_none());
    assert!(t.screen().contains("只能查看基本信息"), "{}", t.screen());
    // A: archive with a reason; an empty reason is refused in the prompt.
    t.press(&["1", "<Esc>", "g", "A", "<Enter>"]);
    assert!(
        matches!(t.app.overlay, Some(Overlay::Prompt { error: Some(_), .. })),
        "{}",
        t.screen()
    );
    t.type_text("转学").press(&["<Enter>"]);
    let file = s.as_user("王校长").resolve_child("20240701").unwrap();
    assert_eq!(file.status(), &Status::Archived(ArchiveReason::Transferred));
    assert!(
        t.roster_names().iter().all(|n| n != "张小珠"),
        "archived files leave the roster"
    );
    // R on the archived file (f a shows them): back on the roster.
    t.press(&["f", "a"]);
    let at = t.roster_names().iter().position(|n| n == "张小珠").unwrap();
    t.app.roster.pos.selected = at;
    t.press(&["R"]);
    assert!(
        s.as_user("王校长")
            .resolve_child("20240701")
            .unwrap()
            .is_active()
    );
    assert!(t.screen().contains("档案已恢复"), "{}", t.screen());
}

#[test]
fn a_guardian_training_with_attendance_reaches_timelines_and_the_report() {
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
    t.press(&["1", "N"]).type_text("监护人家庭教育培训班");
    // Kind: 家长学校.
    t.press(&["<BackTab>", "<BackTab>", "<Right>"]);
    assert_eq!(
        t.app.activity.as_ref().unwrap().0.kind,
        ActivityKind::Training
    );
    // Filter by pinyin, mark 张小珠; then her grandmother.
    t.press(&["<Tab>", "<Tab>", "<Tab>"]).type_text("zxz");
    t.press(&["<Tab>", "<Space>", "<BackTab>", "<C-u>"])
        .type_text("张奶奶");
    t.press(&["<Tab>", "<Space>"]);
    assert!(
        t.screen().contains("已选: 学生 1 人, 监护人 1 人"),
        "{}",
        t.screen()
    );
    t.press(&["<Enter>"]);
    assert!(t.app.activity.is_none(), "{}", t.screen());
    assert!(
        t.screen().contains("已记录活动: 监护人家庭教育培训班"),
        "{}",
        t.screen()
    );
    let e = &stored(&s, "张小珠")[0];
    assert_eq!((e.kind, e.date), (EventKind::Training, today()));
    let f = s
        .service
        .report(
            &guanai::followup::Rules::defaults(),
            None,
            day(2026, 11, 1),
            today(),
        )
        .unwrap();
    assert_eq!((f.trainings, f.training_attendance), (1, 2));
    // A changed activity form asks before it is dropped; an empty title is refused.
    t.press(&["N"]).type_text("读书");
    t.press(&["<Esc>"]);
    assert!(t.app.activity.as_ref().unwrap().1, "asks first");
    t.press(&["n", "<C-u>", "<Enter>"]);
    assert!(
        t.app.activity.as_ref().unwrap().0.error.is_some(),
        "{}",
        t.screen()
    );
    t.press(&["<Esc>"]);
    assert!(t.app.activity.is_none(), "an empty form closes at once");
}

/// The position of a roster column in the file form.
fn field(header: &str) -> usize {
    guanai::transfer::write::roster_headers()
        .iter()
        .position(|h| *h == header)
        .unwrap()
}

#[test]
fn a_new_file_is_checked_like_the_import_and_saved() {
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
    t.press(&["1", "n"]);
    assert_eq!(t.app.file_form.as_ref().unwrap().focus, field("姓名"));
    t.type_text("新同学").press(&["<Tab>"]).type_text("男");
    t.press(&["<Tab>"]).type_text("2014-02-30");
    t.press(&["<Tab>"]).type_text("七(2)班").press(&["<Enter>"]);
    // 30 February: refused on its field, with what is accepted; nothing written.
    let form = t.app.file_form.as_ref().expect("the form stays");
    assert_eq!(form.focus, field("出生日期"));
    assert!(form.errors[0].1.contains("2014-02-30"), "{:?}", form.errors);
    assert!(t.screen().contains("2014-02-30"), "{}", t.screen());
    assert!(s.as_user("王校长").resolve_child("新同学").is_err());
    t.press(&["<C-u>"])
        .type_text("2014-02-28")
        .press(&["<Enter>"]);
    assert!(t.app.file_form.is_none(), "{}", t.screen());
    let new = s.as_user("王校长").resolve_child("新同学").unwrap();
    assert_eq!(
        (new.class.as_str(), new.birth),
        ("七(2)班", day(2014, 2, 28))
    );
    assert!(t.roster_names().contains(&"新同学".to_string()));
}

#[test]
fn an_edit_carries_the_version_and_asks_when_another_teacher_saved_first() {
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
    // 张小珠, the roster's first row: change her village.
    t.press(&["1", "e"]);
    let to_village = field("村");
    for _ in 0..to_village {
        t.press(&["<Tab>"]);
    }
    t.press(&["<C-u>"]).type_text("石桥村");
    // Meanwhile the principal changes her address and saves.
    let admin = s.as_user("王校长");
    let now = admin.resolve_child("20240701").unwrap();
    let mut theirs = full_child("张小珠", "20240701", s.teacher);
    theirs.address = Some("青山村5组".into());
    theirs.opened = now.opened();
    admin
        .execute(Command::UpdateChild {
            child: now.id,
            version: now.version,
            file: Box::new(theirs),
        })
        .unwrap();
    t.press(&["<Enter>"]);
    let form = t.app.file_form.as_ref().unwrap();
    assert!(form.conflict.is_some(), "{:?}\n{}", form.errors, t.screen());
    assert!(t.screen().contains("r 看最新的档案"), "{}", t.screen());
    assert_eq!(
        admin.resolve_child("20240701").unwrap().village.as_deref(),
        Some("青山村"),
        "nothing overwritten silently"
    );
    // r: the newest file in the form (their address), then my village again, and save.
    t.press(&["r"]);
    let form = t.app.file_form.as_ref().unwrap();
    assert_eq!(form.fields[field("住址")].text(), "青山村5组");
    t.app.file_form.as_mut().unwrap().focus = to_village;
    t.press(&["<C-u>"]).type_text("石桥村").press(&["<Enter>"]);
    assert!(t.app.file_form.is_none(), "{}", t.screen());
    let saved = admin.resolve_child("20240701").unwrap();
    assert_eq!(saved.village.as_deref(), Some("石桥村"));
    assert_eq!(
        saved.address.as_deref(),
        Some("青山村5组"),
        "their change kept"
    );
}

#[test]
fn the_five_area_survey_is_edited_and_dated_today_and_a_paste_lands_in_the_field() {
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
    t.press(&["1", "S"]);
    assert!(t.screen().contains("五方面情况 · 张小珠"), "{}", t.screen());
    assert_eq!(
        t.app.file_form.as_ref().unwrap().fields[0].text(),
        "数学偏弱"
    );
    t.press(&["<Tab>", "<Tab>", "<C-u>"]);
    assert!(t.app.handle_paste("开朗了许多,\n愿意交流"));
    t.press(&["<Enter>"]);
    assert!(t.app.file_form.is_none(), "{}", t.screen());
    let file = s.as_user("王校长").resolve_child("20240701").unwrap();
    assert_eq!(file.situation.psychology, "开朗了许多, 愿意交流");
    assert_eq!(file.situation.study, "数学偏弱", "the other areas kept");
    assert_eq!(file.situation.surveyed, Some(today()));
    // u takes the survey back.
    t.press(&["u"]);
    let file = s.as_user("王校长").resolve_child("20240701").unwrap();
    assert_eq!(file.situation.psychology, "内向");
}

#[test]
fn the_emergency_contact_is_edited_in_the_file_form() {
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
    t.press(&["1", "e"]);
    let form = t.app.file_form.as_mut().unwrap();
    assert_eq!(form.fields[field("紧急联系人")].text(), "青山村委会");
    form.focus = field("紧急联系人电话");
    t.press(&["<C-u>"])
        .type_text("0594-7654321")
        .press(&["<Enter>"]);
    assert!(t.app.file_form.is_none(), "{}", t.screen());
    let file = s.as_user("王校长").resolve_child("20240701").unwrap();
    assert_eq!(file.emergency_contacts[0].name, "青山村委会");
    assert_eq!(file.emergency_contacts[0].phone, "05947654321");
    // A name without a phone is refused on the phone's field.
    t.press(&["e"]);
    t.app.file_form.as_mut().unwrap().focus = field("紧急联系人电话");
    t.press(&["<C-u>", "<Enter>"]);
    let form = t.app.file_form.as_ref().expect("refused");
    assert_eq!(form.focus, field("紧急联系人电话"), "{:?}", form.errors);
}

#[test]
fn the_file_and_activity_forms_survive_the_terminal_dying_too() {
    let s = fixture();
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("draft.json");
    let mut t = harness(&s, "李老师", 80, 24);
    t.app.draft_path = Some(draft.clone());
    t.press(&["1", "n"]).type_text("新同学");
    drop(t);
    let mut t = harness(&s, "李老师", 80, 24);
    t.app.draft_path = Some(draft.clone());
    assert!(t.app.restore_draft());
    let form = t.app.file_form.as_ref().expect("the file form is back");
    assert_eq!(form.fields[field("姓名")].text(), "新同学");
    t.press(&["<Esc>", "y"]);
    assert!(!draft.exists(), "cancelled: no draft");
    // An activity with a child marked.
    t.press(&["1", "N"]).type_text("读书活动");
    t.press(&["<Tab>", "<Tab>", "<Space>"]);
    drop(t);
    let mut t = harness(&s, "李老师", 80, 24);
    t.app.draft_path = Some(draft.clone());
    assert!(t.app.restore_draft());
    let (form, _) = t.app.activity.as_ref().expect("the activity is back");
    assert_eq!(form.title.text(), "读书活动");
    assert_eq!(form.children().len(), 1);
}

#[test]
fn l_on_a_re_survey_row_opens_the_five_area_survey() {
    let s = fixture();
    let mut t = harness(&s, "李老师", 80, 24);
    let at = t
        .app
        .queue
        .rows
        .iter()
        .position(|i| match i {
            QueueItem::Duty(r) => {
                t.app
                    .data
                    .queue
                    .duty(&t.app.data.queue.rows[*r])
                    .unwrap()
                    .name
                    == "resurvey"
            }
            QueueItem::Task(_) => false,
        })
        .expect("a re-survey row");
    t.app.queue.pos.selected = at;
    let child = t.app.selected_queue_child().unwrap();
    t.press(&["l"]);
    assert!(
        t.app.file_form.as_ref().is_some_and(|f| f.survey),
        "{}",
        t.screen()
    );
    t.type_text("进步明显").press(&["<Enter>"]);
    assert!(
        !t.app
            .data
            .queue
            .rows
            .iter()
            .any(|r| t.app.data.queue.duty(r).unwrap().name == "resurvey" && r.child == child),
        "the row left the queue"
    );
}

#[test]
fn undo_is_refused_without_the_rights_or_over_a_later_change_and_shows_in_the_childs_audit() {
    let s = fixture();
    let admin = s.as_user("王校长");
    let cai = admin.resolve_child("蔡东剑").unwrap();
    // 李老师 logs a talk for 蔡东剑 (七(2)班, her mentee), then the boy moves to 八(1)班 with
    // no mentor: the talk is no longer hers to take back.
    let mut t = harness(&s, "李老师", 80, 24);
    t.press(&["l"]).type_text("谈心").press(&["<Enter>"]);
    let mut moved = NewChild::basic("蔡东剑", Gender::Male, day(2014, 1, 20), "八(1)班");
    moved.student_no = Some("20240702".into());
    moved.opened = Some(day(2026, 9, 1));
    admin
        .execute(Command::UpdateChild {
            child: cai.id,
            version: cai.version,
            file: Box::new(moved),
        })
        .unwrap();
    let refused = s.as_user("李老师").execute(Command::Undo);
    assert!(
        matches!(
            refused,
            Err(guanai::service::ServiceError::NotPermitted { .. })
        ),
        "{refused:?}"
    );
    // A task someone else changed since is not deleted by undoing its creation.
    let zxz = admin.resolve_child("20240701").unwrap().id;
    let teacher = s.as_user("李老师");
    let task = add_task(&teacher, zxz, "回访", day(2026, 12, 1), s.teacher);
    admin
        .execute(Command::UpdateTask {
            task,
            version: 1,
            change: guanai::service::TaskChange::Done(today()),
        })
        .unwrap();
    let refused = teacher.execute(Command::Undo);
    assert!(
        matches!(refused, Err(guanai::service::ServiceError::Stale { .. })),
        "{refused:?}"
    );
    assert!(admin.task(task).unwrap().is_some(), "nothing deleted");
    // The principal's undo of the task's completion is in the child's audit.
    admin.execute(Command::Undo).unwrap();
    let audit = admin.audit(Some(zxz), None, None).unwrap();
    assert!(
        audit.iter().any(|a| a.record.command == "undo"),
        "{audit:?}"
    );
}

#[test]
fn a_counsellor_reading_notes_does_not_set_the_app_reloading_forever() {
    let s = fixture();
    let mut c = harness(&s, "陈老师", 120, 40);
    c.press(&["1", "/"]).type_text("zxz").press(&["<Enter>"]);
    // Opening the file read the notes (audited): one reload at most, then quiet.
    c.app.poll_changes();
    assert!(!c.app.poll_changes(), "no change by anyone else");
    assert!(!c.app.poll_changes());
}
