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
