//! Keymaps as data: the defaults, a user's file merged on top, every kind of mistake refused
//! with file, line and what is accepted (by `guanai keys check` and at start-up alike), and
//! docs/keymaps.md kept true to keymaps/default.toml.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use guanai::i18n::Lang;
use guanai::tui::action::{Action, Layer};
use guanai::tui::keymap::{DEFAULT_KEYMAP, Key, Keymap, Lookup, sequence_label};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/keymaps")
        .join(name)
}

fn keys(seq: &[&str]) -> Vec<Key> {
    seq.iter().map(|k| Key::parse(k).unwrap()).collect()
}

fn user(name: &str) -> Result<Keymap, Vec<guanai::tui::keymap::KeymapError>> {
    let path = fixture(name);
    Keymap::with_user(&std::fs::read_to_string(&path).unwrap(), name)
}

#[test]
fn the_defaults_hold_the_bindings_every_user_relies_on() {
    let map = Keymap::defaults().unwrap();
    let expect: &[(&[&str], Action)] = &[
        (&["/"], Action::Search),
        (&["<Esc>"], Action::Back),
        (&["<Enter>"], Action::Open),
        (&["<Tab>"], Action::NextPane),
        (&["<BackTab>"], Action::PrevPane),
        (&["1"], Action::PaneRoster),
        (&["2"], Action::PaneChild),
        (&["3"], Action::PaneQueue),
        (&["4"], Action::PaneReport),
        (&["?"], Action::Help),
        (&[":"], Action::Palette),
        (&["q"], Action::Quit),
        (&["j"], Action::Down),
        (&["<Down>"], Action::Down),
        (&["k"], Action::Up),
        (&["<Up>"], Action::Up),
        (&["g"], Action::Top),
        (&["<Home>"], Action::Top),
        (&["G"], Action::Bottom),
        (&["<End>"], Action::Bottom),
        (&["<PageUp>"], Action::PageUp),
        (&["<PageDown>"], Action::PageDown),
    ];
    for layer in Layer::ALL {
        for (seq, action) in expect {
            assert_eq!(
                map.lookup(layer, &keys(seq)),
                Lookup::Matched(*action),
                "{seq:?} in {layer:?}"
            );
        }
    }
    // No default needs Esc- or Alt-chords.
    for layer in Layer::ALL {
        for b in map.bindings(layer) {
            assert!(
                !b.keys.iter().any(|k| k
                    .mods
                    .contains(ratatui::crossterm::event::KeyModifiers::ALT)),
                "{:?} uses Alt",
                b.keys
            );
            assert!(
                b.keys.len() == 1 || b.keys[0].code != ratatui::crossterm::event::KeyCode::Esc,
                "an Esc-chord"
            );
            assert!(!b.desc_zh.is_empty() && !b.desc_en.is_empty());
            assert_ne!(
                b.desc_zh,
                b.desc_en,
                "{} has one text for both languages",
                b.action.name()
            );
        }
    }
    // A sequence waits for its next key: pending, no timer.
    match map.lookup(Layer::Roster, &keys(&["f"])) {
        Lookup::Pending(next) => assert_eq!(next.len(), 7),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        map.lookup(Layer::Roster, &keys(&["f", "m"])),
        Lookup::Matched(Action::FilterMine)
    );
    assert_eq!(
        map.lookup(Layer::Queue, &keys(&["f", "m"])),
        Lookup::NotFound
    );
}

#[test]
fn a_users_file_binds_and_unbinds_on_top_of_the_defaults() {
    let map = user("valid/rebind.toml").unwrap();
    assert_eq!(
        map.lookup(Layer::Roster, &keys(&["M"])),
        Lookup::Matched(Action::FilterMine)
    );
    assert_eq!(
        map.lookup(Layer::Roster, &keys(&["f", "m"])),
        Lookup::Matched(Action::FilterMine)
    );
    assert_eq!(
        map.lookup(Layer::Queue, &keys(&["<F1>"])),
        Lookup::Matched(Action::Help)
    );
    assert_eq!(
        map.lookup(Layer::Queue, &keys(&["<C-c>"])),
        Lookup::NotFound
    );
    assert_eq!(
        map.lookup(Layer::Queue, &keys(&["q"])),
        Lookup::Matched(Action::Quit)
    );
    let m = map
        .bindings(Layer::Roster)
        .iter()
        .find(|b| b.action == Action::FilterMine && b.keys.len() == 1)
        .unwrap();
    assert_eq!(
        (m.desc(Lang::Zh), m.desc(Lang::En)),
        ("我的学生", "my children")
    );
    assert_eq!(m.file, "valid/rebind.toml");
    assert_eq!(m.line, 3);

    let map = user("valid/replace_default.toml").unwrap();
    assert_eq!(
        map.lookup(Layer::Roster, &keys(&["q"])),
        Lookup::Matched(Action::Help)
    );
    assert_eq!(
        user("valid/empty.toml").unwrap(),
        Keymap::defaults().unwrap()
    );
}

/// (fixture, line, words the message must contain).
const INVALID: &[(&str, usize, &[&str])] = &[
    (
        "invalid/unknown_action.toml",
        4,
        &["fly_away", "[roster]", "filter_mine", "filter_clear"],
    ),
    (
        "invalid/unknown_key.toml",
        2,
        &["<Hyper-x>", "<Enter>", "<C-x>"],
    ),
    (
        "invalid/clash.toml",
        4,
        &["\"x\"", "queue_grouping", "queue_mine_only", ":3"],
    ),
    (
        "invalid/prefix_clash.toml",
        3,
        &[
            "\"f\"",
            "filter_overdue",
            "filter_mine",
            "keymaps/default.toml",
        ],
    ),
    (
        "invalid/unknown_table.toml",
        1,
        &["[rooster]", "roster", "global"],
    ),
    (
        "invalid/wrong_layer.toml",
        2,
        &["filter_mine", "[queue]", "queue_grouping"],
    ),
    ("invalid/whole_keymap.toml", 2, &["bind", "unbind"]),
    ("invalid/syntax.toml", 2, &["TOML", "]"]),
    ("invalid/unbind_nothing.toml", 2, &["\"z\"", "[roster]"]),
];

#[test]
fn every_mistake_names_the_file_the_line_and_what_is_accepted() {
    for (name, line, words) in INVALID {
        let errors = user(name).expect_err(name);
        let messages: Vec<String> = errors.iter().map(|e| e.message(Lang::En)).collect();
        let all = messages.join("\n");
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with(&format!("{name}:{line}:"))),
            "{name}: expected line {line}: {all}"
        );
        for w in *words {
            assert!(all.contains(w), "{name}: message lacks {w}: {all}");
        }
        assert!(!errors[0].message(Lang::Zh).is_empty());
    }
}

#[test]
fn keys_check_reports_and_the_app_refuses_a_bad_keymap() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.redb");
    for name in ["valid/rebind.toml", "valid/empty.toml"] {
        let out = guanai_process(&db)
            .args(["keys", "check"])
            .arg(fixture(name))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for (name, line, words) in INVALID {
        let out = guanai_process(&db)
            .args(["--lang", "en", "keys", "check"])
            .arg(fixture(name))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("{name}:{line}:")), "{name}: {err}");
        assert!(words.iter().all(|w| err.contains(w)), "{name}: {err}");
    }
    // At start-up: the same message, exit status 2, before anything is opened.
    let config = dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::copy(fixture("invalid/clash.toml"), config.join("keymap.toml")).unwrap();
    let out = guanai_process(&db)
        .env("GUANAI_CONFIG", &config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("queue_grouping")
            && err.contains("queue_mine_only")
            && err.contains("keymap.toml:4"),
        "{err}"
    );
    assert!(!db.exists(), "nothing was opened or created");
    // A broken config.toml likewise.
    std::fs::remove_file(config.join("keymap.toml")).unwrap();
    std::fs::write(config.join("config.toml"), "lang = \"fr\"\n").unwrap();
    let out = guanai_process(&db)
        .env("GUANAI_CONFIG", &config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("config.toml:1") && err.contains("\"fr\""),
        "{err}"
    );
}

/// docs/keymaps.md lists every action with exactly its default keys.
#[test]
fn the_keymap_doc_matches_the_defaults() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/keymaps.md"))
            .unwrap();
    let map = Keymap::defaults().unwrap();
    let mut documented = Vec::new();
    for line in doc.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let name = cells[1].trim_matches('`');
        let action =
            Action::from_name(name).unwrap_or_else(|| panic!("docs list unknown action {name}"));
        let mut doc_keys: Vec<String> = cells[2]
            .split(", ")
            .map(|k| {
                let seq: Vec<Key> = k
                    .trim_matches('`')
                    .split(' ')
                    .map(|p| Key::parse(p).unwrap_or_else(|| panic!("{name}: key {p}")))
                    .collect();
                sequence_label(&seq)
            })
            .collect();
        doc_keys.sort();
        let mut file_keys: Vec<String> = Layer::ALL
            .iter()
            .flat_map(|l| map.bindings(*l))
            .filter(|b| b.action == action)
            .map(|b| sequence_label(&b.keys))
            .collect();
        // An action bound to the same key in several panes is one row.
        file_keys.sort();
        file_keys.dedup();
        assert_eq!(doc_keys, file_keys, "docs/keymaps.md row for {name}");
        documented.push(action);
    }
    for a in Action::ALL {
        assert!(
            documented.contains(a),
            "docs/keymaps.md does not list {}",
            a.name()
        );
    }
    assert!(DEFAULT_KEYMAP.contains("[global]"));
}

/// config.toml's `lang` applies to the app (and, without a terminal, to the roster it prints);
/// `--lang` on the command line wins.
#[test]
fn config_language_applies_and_the_lang_flag_wins() {
    let s = school();
    add_child(&s.service, full_child("张小珠", "20240701", s.teacher));
    let config = s.dir.path().join("config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "lang = \"en\"\n").unwrap();
    let run = |args: &[&str]| {
        let out = guanai_process(&s.path())
            .env("GUANAI_CONFIG", &config)
            .args(["--user", "王校长"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let english = run(&[]);
    let chinese = run(&["--lang", "zh"]);
    assert!(english.contains("张小珠") && chinese.contains("张小珠"));
    assert_ne!(english, chinese);
    assert!(chinese.contains("姓名"), "{chinese}");
    assert!(!english.contains("姓名"), "{english}");
}
