//! In English, every label, prompt, error and help line is English: each pane, form and
//! overlay is drawn with `--lang en` and no Chinese character may remain on the screen but
//! in the school's own data (names, classes, notes, the school and term names).

use super::*;

/// Every text of the school's data that may hold Chinese: each string of the dump.
fn data_texts(s: &School) -> Vec<String> {
    let dump = s.as_user("王校长").dump().unwrap();
    let value = serde_json::to_value(&dump).unwrap();
    let mut out = vec!["本校".to_string()];
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    walk(&value, &mut out);
    out
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x9FFF | 0xFF00..=0xFFEF)
}

/// Fails naming the screen when a run of Chinese characters on it is not part of the data.
fn english_only(what: &str, screen: &str, data: &[String]) {
    let mut run = String::new();
    let mut runs = Vec::new();
    for c in screen.chars() {
        if is_cjk(c) {
            run.push(c);
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    for run in runs {
        assert!(
            data.iter().any(|d| d.contains(&run)),
            "{what}: \"{run}\" is not data and not English:\n{screen}"
        );
    }
}

#[test]
fn every_pane_form_and_overlay_is_english_but_the_data() {
    let s = fixture();
    let data = data_texts(&s);
    // A task to put off and hand over.
    let admin = s.as_user("王校长");
    let zxz = admin.resolve_child("20240701").unwrap().id;
    add_task(&admin, zxz, "回访", day(2026, 11, 20), s.teacher);
    let data = [data, vec!["回访".to_string()]].concat();
    for (w, h) in [(80, 24), (40, 12)] {
        let mut t = harness_with(&s, "王校长", Lang::En, w, h);
        let check = |t: &mut Harness, what: &str, keys: &[&str]| {
            t.press(keys);
            if std::env::var_os("SHOW_SCREENS").is_some() {
                eprintln!("== {what} at {w}x{h}\n{}", t.screen());
            }
            english_only(&format!("{what} at {w}x{h}"), &t.screen(), &data);
        };
        check(&mut t, "queue", &["3"]);
        check(&mut t, "roster", &["1"]);
        check(&mut t, "search", &["/"]);
        check(&mut t, "search typed", &["z", "x", "z"]);
        check(&mut t, "child", &["<Enter>"]);
        check(&mut t, "contact card", &["p"]);
        check(&mut t, "after the card", &["<Esc>"]);
        check(&mut t, "log form", &["t"]);
        check(
            &mut t,
            "log form refusal",
            &["<S-Tab>", "<S-Tab>", "<S-Tab>", "<C-u>", "x", "<Enter>"],
        );
        check(&mut t, "log form asks", &["<Esc>"]);
        check(&mut t, "log form gone", &["y"]);
        check(&mut t, "correct an entry", &["2", "e"]);
        check(&mut t, "correct: back", &["<Esc>"]);
        check(&mut t, "void prompt", &["d"]);
        check(&mut t, "void refusal", &["<Enter>"]);
        check(&mut t, "void gone", &["<Esc>"]);
        check(&mut t, "edit file", &["E"]);
        check(&mut t, "file form refusal", &["<C-u>", "<Enter>"]);
        check(&mut t, "file form asks", &["<Esc>"]);
        check(&mut t, "file form gone", &["y"]);
        check(&mut t, "survey", &["S"]);
        check(&mut t, "survey gone", &["<Esc>"]);
        check(&mut t, "archive prompt", &["A"]);
        check(&mut t, "archive refusal", &["<Enter>"]);
        check(&mut t, "archive gone", &["<Esc>"]);
        check(&mut t, "new file", &["1", "n"]);
        check(&mut t, "new file refusal", &["<Enter>"]);
        check(&mut t, "new file gone", &["<Esc>"]);
        check(&mut t, "activity", &["N"]);
        check(&mut t, "activity refusal", &["<Enter>"]);
        check(
            &mut t,
            "activity list",
            &["<Tab>", "<Tab>", "<Tab>", "<Tab>", "<Right>"],
        );
        check(&mut t, "activity gone", &["<Esc>"]);
        check(&mut t, "help", &["?"]);
        check(&mut t, "help end", &["G"]);
        check(&mut t, "palette", &["<Esc>", ":"]);
        check(&mut t, "palette typed", &["n", "e", "w"]);
        check(&mut t, "palette gone", &["<Esc>"]);
        check(&mut t, "queue task", &["3", "G", "k"]);
        check(&mut t, "snooze", &["z"]);
        check(&mut t, "snooze refusal", &["x", "<Enter>"]);
        check(&mut t, "snooze gone", &["<Esc>"]);
        check(&mut t, "reassign", &["r"]);
        check(&mut t, "reassign refusal", &["x", "<Enter>"]);
        check(&mut t, "reassign gone", &["<Esc>"]);
        check(&mut t, "log duty", &["g", "l"]);
        check(&mut t, "logged", &["<Enter>"]);
        check(&mut t, "undo asks", &["u"]);
        check(&mut t, "undone", &["y"]);
        check(&mut t, "nothing to undo", &["u"]);
        check(&mut t, "report", &["4"]);
        check(&mut t, "previous term", &["["]);
        check(&mut t, "audit", &["5"]);
        check(&mut t, "unknown key", &["1", "Z"]);
    }
    // Too small a window says so in English.
    let t = harness_with(&s, "王校长", Lang::En, 30, 8);
    english_only("too small", &t.screen(), &data);
}
