//! The screen README.md shows is the one the app draws: the demo school at its date, as the
//! class teacher 区玉梅 sees it at 80×24. The test fails when the committed screen differs;
//! `GUANAI_WRITE_README=1 cargo test --test tui readme` writes the screen drawn now into
//! README.md.

use super::*;

/// The screen drawn now, each line without trailing spaces.
fn drawn_screen() -> String {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.redb");
    let made = guanai_process(&db).arg("demo").output().unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let service = Service::open(&db, today(), Identity::Staff("区玉梅".into())).unwrap();
    let app = App::new(
        service,
        Rules::defaults(),
        Lang::Zh,
        Keymap::defaults().unwrap(),
        Theme { color: false },
    )
    .unwrap();
    let mut h = Harness {
        app,
        term: Terminal::new(TestBackend::new(80, 24)).unwrap(),
        frame: ratatui::buffer::Buffer::empty(ratatui::layout::Rect::ZERO),
    };
    h.draw();
    h.screen()
}

/// README's screen: the code block after "At 80×24:".
fn readme_screen(readme: &str) -> (usize, usize) {
    let at = readme
        .find("At 80×24:")
        .expect("README shows the screen at 80×24");
    let start = at + readme[at..].find("```\n").expect("its block") + 4;
    let end = start + readme[start..].find("```").expect("the block's end");
    (start, end)
}

#[test]
fn the_readme_screen_is_what_the_app_draws() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let (start, end) = readme_screen(&readme);
    let drawn = drawn_screen();
    if std::env::var_os("GUANAI_WRITE_README").is_some() {
        let updated = format!("{}{drawn}{}", &readme[..start], &readme[end..]);
        std::fs::write(path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        drawn,
        "README's 80×24 screen drifted; GUANAI_WRITE_README=1 cargo test --test tui readme writes the screen drawn now"
    );
}

/// One screen a guide shows: who, in which language and size, after which keys.
struct Marked {
    /// Byte range of the block's text in the guide.
    start: usize,
    end: usize,
    user: String,
    lang: Lang,
    size: (u16, u16),
    /// Keys as keymap files write them, and text in quotes typed as it is.
    keys: Vec<String>,
}

/// The screens of a guide marked with `<!-- screen: user=… lang=zh size=80x24 keys=… -->`
/// on the line before their ```text block.
fn marked(guide: &str) -> Vec<Marked> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = guide[at..].find("<!-- screen:") {
        let marker_start = at + found;
        let marker_end = marker_start + guide[marker_start..].find("-->").expect("marker end");
        let marker = &guide[marker_start + "<!-- screen:".len()..marker_end];
        let block = marker_end + guide[marker_end..].find("```text\n").expect("its block");
        let start = block + "```text\n".len();
        let end = start + guide[start..].find("```").expect("the block's end");
        let mut m = Marked {
            start,
            end,
            user: "区玉梅".into(),
            lang: Lang::Zh,
            size: (80, 24),
            keys: Vec::new(),
        };
        let (head, keys) = marker.split_once("keys=").unwrap_or((marker, ""));
        for part in head.split_whitespace() {
            match part.split_once('=') {
                Some(("user", u)) => m.user = u.into(),
                Some(("lang", "en")) => m.lang = Lang::En,
                Some(("size", s)) => {
                    let (w, h) = s.split_once('x').unwrap();
                    m.size = (w.parse().unwrap(), h.parse().unwrap());
                }
                _ => {}
            }
        }
        // Keys apart, a "quoted text" typed as one.
        let mut rest = keys.trim();
        while !rest.is_empty() {
            if let Some(q) = rest.strip_prefix('"') {
                let close = q.find('"').expect("closing quote");
                m.keys.push(format!("\"{}", &q[..close]));
                rest = q[close + 1..].trim_start();
            } else {
                let (k, r) = rest.split_once(' ').unwrap_or((rest, ""));
                m.keys.push(k.to_string());
                rest = r.trim_start();
            }
        }
        out.push(m);
        at = end;
    }
    out
}

/// The screen the app draws for a marked block, on a copy of the demo school, as the
/// `--demo` app shows it.
fn draw_marked(demo: &std::path::Path, m: &Marked) -> String {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.redb");
    std::fs::copy(demo, &db).unwrap();
    let mut service = Service::open(&db, today(), Identity::Staff(m.user.clone())).unwrap();
    // The audit log's times, the same on every run: 16:05 on the demo's day.
    service.fix_clock(today().and_hms_opt(16, 5, 0).unwrap());
    let mut app = App::new(
        service,
        Rules::defaults(),
        m.lang,
        Keymap::defaults().unwrap(),
        Theme { color: false },
    )
    .unwrap();
    app.demo = true;
    // Files saved from the screens go to a home directory of their own: named `~/…`.
    app.export_dir = dir.path().to_path_buf();
    app.home = Some(dir.path().to_path_buf());
    let mut h = Harness {
        app,
        term: Terminal::new(TestBackend::new(m.size.0, m.size.1)).unwrap(),
        frame: ratatui::buffer::Buffer::empty(ratatui::layout::Rect::ZERO),
    };
    h.draw();
    for k in &m.keys {
        match k.strip_prefix('"') {
            Some(text) => {
                h.type_text(text);
            }
            None => {
                h.press(&[k.as_str()]);
            }
        }
    }
    h.screen()
}

/// Every marked screen of the guides is what the app draws now; `GUANAI_WRITE_DOCS=1 cargo
/// test --test tui guides` writes them after an intended change.
#[test]
fn the_guides_screens_are_what_the_app_draws() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.redb");
    let made = guanai_process(&demo).arg("demo").output().unwrap();
    assert!(made.status.success());
    let write = std::env::var_os("GUANAI_WRITE_DOCS").is_some();
    let mut checked = 0;
    for guide in ["docs/guide.zh-CN.md", "docs/guide.md"] {
        let path = format!("{}/{guide}", env!("CARGO_MANIFEST_DIR"));
        let mut text = std::fs::read_to_string(&path).unwrap();
        let screens = marked(&text);
        // From the last to the first, so that rewriting one keeps the others' places.
        for m in screens.iter().rev() {
            let drawn = draw_marked(&demo, m);
            if write {
                text.replace_range(m.start..m.end, &drawn);
            } else {
                assert_eq!(
                    &text[m.start..m.end],
                    drawn,
                    "{guide}: the screen after {:?} drifted; GUANAI_WRITE_DOCS=1 cargo test --test tui guides writes it",
                    m.keys
                );
            }
            checked += 1;
        }
        if write {
            std::fs::write(&path, text).unwrap();
        }
    }
    assert!(checked >= 10, "the guides mark their screens: {checked}");
}
