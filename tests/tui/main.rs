//! The terminal UI on a `TestBackend`: snapshots of every pane at 80×24 and 120×40 with
//! Chinese fixtures and a fixed today, tables of (keys → expected state), search, roles,
//! colour, sizes down to 1×1, and changes made by another process.

#[path = "../common/mod.rs"]
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

/// The fixture school and the app as the class teacher 李老师 sees it at 80×24.
fn class_teacher_at_80x24() -> (School, Harness) {
    let s = fixture();
    let t = harness(&s, "李老师", 80, 24);
    (s, t)
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
            .map(|&i| self.app.data.roster[i].child.name().to_string())
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

/// Every pane (and the help) at a phone's size over SSH (40×12) and a small window (60×20),
/// in both languages: what is drawn is whole or visibly shortened, never silently cut.
#[test]
fn snapshots_of_every_pane_at_40x12_and_60x20() {
    let s = fixture();
    for lang in [Lang::Zh, Lang::En] {
        let tag = match lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        };
        for (w, h) in [(40, 12), (60, 20)] {
            let mut t = harness_with(&s, "王校长", lang, w, h);
            t.press(&["3"]);
            insta::assert_snapshot!(format!("narrow_queue_{tag}_{w}x{h}"), t.screen());
            t.press(&["1"]);
            insta::assert_snapshot!(format!("narrow_roster_{tag}_{w}x{h}"), t.screen());
            t.press(&["/"]).type_text("zxz").press(&["<Enter>"]);
            insta::assert_snapshot!(format!("narrow_child_{tag}_{w}x{h}"), t.screen());
            t.press(&["4"]);
            insta::assert_snapshot!(format!("narrow_report_{tag}_{w}x{h}"), t.screen());
            t.press(&["5"]);
            insta::assert_snapshot!(
                format!("narrow_audit_{tag}_{w}x{h}"),
                without_clock(&t.screen())
            );
            t.press(&["1", "?"]);
            insta::assert_snapshot!(format!("narrow_help_{tag}_{w}x{h}"), t.screen());
            // A child with overdue work: the 逾期 line stays, numbers and phones whole.
            t.press(&["<Esc>", "/"])
                .type_text("cdj")
                .press(&["<Enter>"]);
            insta::assert_snapshot!(format!("narrow_overdue_child_{tag}_{w}x{h}"), t.screen());
            let screen = t.screen();
            let (overdue, days) = match lang {
                Lang::Zh => ("逾期", "60天"),
                Lang::En => ("Overdue", "60 days"),
            };
            assert!(
                screen.contains(overdue) && screen.contains(days),
                "{screen}"
            );
        }
    }
}

/// The screen with the audit log's wall-clock times (HH:MM after a date) made constant.
fn without_clock(screen: &str) -> String {
    let mut out = String::new();
    let mut rest = screen;
    while let Some(i) = rest.find("2026-11-29 ") {
        let (head, tail) = rest.split_at(i + "2026-11-29 ".len());
        out.push_str(head);
        let clock = tail.get(..5).filter(|t| {
            t.as_bytes()[2] == b':' && t.chars().filter(|c| c.is_ascii_digit()).count() == 4
        });
        match clock {
            Some(_) => {
                out.push_str("hh:mm");
                rest = &tail[5..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn english_snapshots() {
    let s = fixture();
    let mut t = harness_with(&s, "李老师", Lang::En, 80, 24);
    insta::assert_snapshot!("queue_en_80x24", t.screen());
    t.press(&["/"]).type_text("zxz").press(&["<Enter>"]);
    insta::assert_snapshot!("child_en_80x24", t.screen());
}

mod activity;
mod corrections;
mod discover;
mod english;
mod files;
mod import;
mod panes;
mod printing;
mod readme;
mod recording;
mod selection;

/// Quitting leaves the school's lists to the process's end: the roster and its search keys
/// are taken out of the app (not freed one by one), and the queue and the service stay until
/// the app is dropped, which closes the database properly.
#[test]
fn quitting_takes_the_roster_out_of_the_app() {
    let (_s, mut t) = class_teacher_at_80x24();
    t.app.prepare_search();
    assert!(!t.app.data.roster.is_empty());
    let queue = t.app.data.queue.rows.len();
    t.app.data.leave_to_exit();
    t.app.roster.leave_to_exit();
    assert!(t.app.data.roster.is_empty());
    assert_eq!(t.app.data.queue.rows.len(), queue);
}
