//! Docs that cannot drift: every `$ guanai …` sample in README.md is run against a fresh
//! demo school at the README's date, and what README shows under it must be what the app
//! prints now — its first lines up to a `...`, its last lines after one.

#[path = "common/mod.rs"]
mod common;

/// The samples of a Markdown file: each `$ guanai …` line of a code block with the lines
/// shown under it (up to the next `$` line or the block's end).
fn samples(markdown: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut in_block = false;
    // Whether the lines now belong to the last sample (until its block ends).
    let mut open = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            open = false;
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            let cmd = cmd.split("  #").next().unwrap_or(cmd).trim().to_string();
            out.push((cmd, Vec::new()));
            open = true;
        } else if open && let Some((_, shown)) = out.last_mut() {
            shown.push(line.to_string());
        }
    }
    for (_, shown) in &mut out {
        while shown.last().is_some_and(|l| l.trim().is_empty()) {
            shown.pop();
        }
    }
    out
}

#[test]
fn the_readme_samples_are_what_the_app_prints() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.redb");
    run_samples("README.md", &readme, dir.path(), &|w: &str| {
        w.replace("/tmp/demo.redb", &db.display().to_string())
    });
}

/// The administrator's guide, run as written in a fresh directory holding the sample roster
/// as 花名册.xlsx.
#[test]
fn the_administrators_guide_runs_as_written() {
    let guide =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/admin.zh-CN.md"))
            .expect("docs/admin.zh-CN.md");
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/docs/sample-roster.xlsx"),
        dir.path().join("花名册.xlsx"),
    )
    .unwrap();
    run_samples("docs/admin.zh-CN.md", &guide, dir.path(), &|w: &str| {
        w.to_string()
    });
}

/// Runs each sample of `doc` in `dir` (its words passed through `word`), checking what it
/// shows.
fn run_samples(doc: &str, text: &str, dir: &std::path::Path, word: &dyn Fn(&str) -> String) {
    let samples = samples(text);
    assert!(samples.len() >= 3, "{doc} has its samples: {samples:?}");
    for (cmd, shown) in samples {
        let words: Vec<String> = cmd.split_whitespace().map(word).collect();
        assert_eq!(words[0], "guanai", "{doc}: {cmd}");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_guanai"))
            .args(&words[1..])
            .current_dir(dir)
            .env_remove("GUANAI_DB")
            .env("GUANAI_CONFIG", dir.join("config"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let printed = String::from_utf8(out.stdout).unwrap();
        let printed: Vec<&str> = printed.lines().collect();
        let (head, tail) = match shown.iter().position(|l| l.trim() == "...") {
            Some(at) => (&shown[..at], &shown[at + 1..]),
            None => (&shown[..], &shown[..0]),
        };
        for (i, line) in head.iter().enumerate() {
            assert_eq!(
                printed.get(i).map(|l| l.trim_end()),
                Some(line.trim_end()),
                "{doc}: `{cmd}` line {} drifted; the app prints:\n{}",
                i + 1,
                printed.join("\n")
            );
        }
        // A sample shown without its output is only run; one shown whole is checked whole.
        if !shown.is_empty() && shown.iter().all(|l| l.trim() != "...") {
            assert_eq!(
                printed.len(),
                head.len(),
                "`{cmd}` prints more:\n{}",
                printed.join("\n")
            );
        }
        assert!(
            printed.len() >= tail.len(),
            "`{cmd}` printed:\n{}",
            printed.join("\n")
        );
        for (i, line) in tail.iter().enumerate() {
            let at = printed.len() - tail.len() + i;
            assert_eq!(
                printed.get(at).map(|l| l.trim_end()),
                Some(line.trim_end()),
                "{doc}: `{cmd}`: the last lines drifted; the app prints:\n{}",
                printed.join("\n")
            );
        }
    }
}
