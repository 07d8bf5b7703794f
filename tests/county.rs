//! The county's roll-up (`guanai report --combine`): the schools' anonymised summaries
//! added up, a row per school, the schools under 80 % named, no child anywhere; and every
//! file that cannot be part of it refused, named.

#[path = "common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn guanai(db: &Path) -> Command {
    Command::from_std(common::guanai_process(db))
}

fn stdout(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

/// The error a refused command prints, after checking it exits with status 2.
fn refused(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().code(2).get_output().stderr.clone()).unwrap()
}

struct County {
    dir: tempfile::TempDir,
    /// Each school's database, its anonymised summary and its children's names.
    schools: Vec<(PathBuf, PathBuf, Vec<String>)>,
}

/// Three demo schools of different sizes and names, each with its anonymised summary.
fn county() -> County {
    let dir = tempfile::tempdir().unwrap();
    let mut schools = Vec::new();
    for (i, (name, n)) in [("青山小学", "20"), ("石门小学", "35"), ("龙潭小学", "12")]
        .iter()
        .enumerate()
    {
        let db = dir.path().join(format!("s{i}.redb"));
        // One seed (its administrator is 吴大山), three sizes: three different schools.
        let seed = "1";
        guanai(&db)
            .args(["demo", "--children", n, "--seed", seed])
            .assert()
            .success();
        guanai(&db)
            .args(["--user", "吴大山", "calendar", "school", name])
            .assert()
            .success();
        let json = dir.path().join(format!("{name}.json"));
        guanai(&db)
            .args([
                "--user",
                "吴大山",
                "report",
                "--format",
                "json",
                "--anonymize",
                "--out",
            ])
            .arg(&json)
            .assert()
            .success();
        let tsv = stdout(guanai(&db).args([
            "--user",
            "吴大山",
            "child",
            "list",
            "--all",
            "--format",
            "tsv",
        ]));
        let names: Vec<String> = tsv
            .lines()
            .skip(1)
            .map(|l| l.split('\t').nth(2).unwrap().to_string())
            .collect();
        schools.push((db, json, names));
    }
    County { dir, schools }
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn combine(c: &County, format: &str) -> Vec<u8> {
    let mut cmd = guanai(&c.dir.path().join("none.redb"));
    cmd.args([
        "report",
        "--county",
        "青山县",
        "--format",
        format,
        "--combine",
    ]);
    for (_, j, _) in &c.schools {
        cmd.arg(j);
    }
    cmd.assert().success().get_output().stdout.clone()
}

#[test]
fn the_roll_up_sums_every_schools_figures_and_lists_each_school() {
    let c = county();
    let total: serde_json::Value = serde_json::from_slice(&combine(&c, "json")).unwrap();
    let schools: Vec<serde_json::Value> = c.schools.iter().map(|(_, j, _)| json(j)).collect();
    assert_eq!(total["format"], "guanai-term-summary");
    assert_eq!(total["school"], "青山县");
    assert_eq!(total["term"], schools[0]["term"]);
    let sum = |key: &str| -> u64 { schools.iter().map(|s| s[key].as_u64().unwrap()).sum() };
    for key in [
        "children_active",
        "children_new",
        "talks",
        "home_visits",
        "parent_calls",
        "counseling_sessions",
        "activities",
        "trainings",
        "training_attendance",
        "mentor_pairs",
    ] {
        assert_eq!(total[key].as_u64().unwrap(), sum(key), "{key}");
        assert!(
            sum(key) > 0 || key == "children_new",
            "{key}: the demo has some"
        );
    }
    assert_eq!(
        total["by_type"]["both_parents"].as_u64().unwrap(),
        schools
            .iter()
            .map(|s| s["by_type"]["both_parents"].as_u64().unwrap())
            .sum::<u64>()
    );
    assert_eq!(
        total["profile"]["key_support"].as_u64().unwrap(),
        schools
            .iter()
            .map(|s| s["profile"]["key_support"].as_u64().unwrap())
            .sum::<u64>()
    );
    // Each duty: due and done summed, the rate from the sums.
    let duties = total["duty_coverage"].as_object().unwrap();
    assert!(!duties.is_empty());
    for (key, d) in duties {
        let due: u64 = schools
            .iter()
            .map(|s| s["duty_coverage"][key]["due"].as_u64().unwrap())
            .sum();
        let done: u64 = schools
            .iter()
            .map(|s| s["duty_coverage"][key]["satisfied"].as_u64().unwrap())
            .sum();
        assert_eq!(
            (d["due"].as_u64().unwrap(), d["satisfied"].as_u64().unwrap()),
            (due, done),
            "{key}"
        );
        if due > 0 {
            let p = (done as f64 * 1000.0 / due as f64).round() / 10.0;
            assert_eq!(d["percent"].as_f64().unwrap(), p, "{key}");
        }
    }
    // One row per school, in the order given, with its own figures.
    let rows = total["schools"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for (row, s) in rows.iter().zip(&schools) {
        assert_eq!(row["school"], s["school"]);
        assert_eq!(row["children_active"], s["children_active"]);
        assert_eq!(row["home_visits"], s["home_visits"]);
        assert_eq!(row["activities"], s["activities"]);
    }
}

#[test]
fn the_document_names_schools_below_80_percent_and_no_child_in_any_format() {
    let c = county();
    let md = String::from_utf8(combine(&c, "md")).unwrap();
    assert!(
        md.starts_with("# 青山县2026年秋季学期关爱留守儿童工作汇总"),
        "{md}"
    );
    for school in ["青山小学", "石门小学", "龙潭小学"] {
        assert!(
            md.contains(&format!("| {school} |")),
            "{school} in the table:\n{md}"
        );
    }
    assert!(md.contains("| 合计 |"), "{md}");
    // Which schools are under 80 %, from their own JSON.
    for (_, j, _) in &c.schools {
        let s = json(j);
        let cov = s["duty_coverage"].as_object().unwrap();
        let (due, done) = cov.values().fold((0u64, 0u64), |(a, b), d| {
            (
                a + d["due"].as_u64().unwrap(),
                b + d["satisfied"].as_u64().unwrap(),
            )
        });
        let low = due > 0 && (done as f64 * 100.0 / due as f64) < 80.0;
        let name = s["school"].as_str().unwrap();
        let section = md.split("需要关注的学校").nth(1).unwrap();
        assert_eq!(
            section.contains(name),
            low,
            "{name}: {done}/{due}\n{section}"
        );
    }
    let html = String::from_utf8(combine(&c, "html")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("汇总.docx");
    guanai(&dir.path().join("none.redb"))
        .args(["report", "--format", "docx", "--out"])
        .arg(&docx)
        .arg("--combine")
        .args(c.schools.iter().map(|(_, j, _)| j))
        .assert()
        .success();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    roxmltree::Document::parse(&xml).expect("well-formed");
    assert!(xml.contains("龙潭小学"));
    let xlsx = combine(&c, "xlsx");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.clone())).unwrap();
    use calamine::Reader;
    let sheets = book.sheet_names().to_vec();
    let table = sheets.iter().find(|n| n.contains("各校情况")).unwrap();
    let range = book.worksheet_range(table).unwrap();
    let rows: Vec<_> = range.rows().collect();
    assert_eq!(rows.len(), 5, "header, three schools, 合计");
    assert_eq!(rows[4][0].to_string(), "合计");
    assert!(
        matches!(rows[1][1], calamine::Data::Float(_)),
        "numbers are numbers: {:?}",
        rows[1][1]
    );
    let json = String::from_utf8(combine(&c, "json")).unwrap();
    for (_, _, names) in &c.schools {
        for name in names {
            for (format, text) in [
                ("md", &md),
                ("html", &html),
                ("docx", &xml),
                ("json", &json),
            ] {
                assert!(!text.contains(name.as_str()), "{format} names {name}");
            }
        }
    }
}

#[test]
fn files_that_cannot_be_added_up_are_refused_naming_the_file() {
    let c = county();
    let run = |files: &[&Path]| {
        let mut cmd = guanai(&c.dir.path().join("none.redb"));
        cmd.args(["report", "--combine"]).args(files);
        refused(&mut cmd)
    };
    let (a, b) = (&c.schools[0].1, &c.schools[1].1);
    // The same school twice.
    let err = run(&[a, b, a]);
    assert!(
        err.contains("青山小学") && err.contains("只算一次"),
        "{err}"
    );
    // Another term.
    let other = c.dir.path().join("other.json");
    guanai(&c.schools[2].0)
        .args([
            "--user",
            "吴大山",
            "report",
            "--format",
            "json",
            "--anonymize",
            "--from",
            "2026-09-01",
            "--to",
            "2026-10-31",
            "--out",
        ])
        .arg(&other)
        .assert()
        .success();
    let err = run(&[a, &other]);
    assert!(
        err.contains("other.json") && err.contains("同一学期"),
        "{err}"
    );
    // A summary that names children (not made with --anonymize).
    let named = c.dir.path().join("named.json");
    guanai(&c.schools[2].0)
        .args(["--user", "吴大山", "report", "--format", "json", "--out"])
        .arg(&named)
        .assert()
        .success();
    let err = run(&[a, &named]);
    assert!(
        err.contains("named.json") && err.contains("--anonymize"),
        "{err}"
    );
    // Not a summary: a roster export, a broken file, another version, a county roll-up.
    let roster = c.dir.path().join("roster.json");
    guanai(&c.schools[0].0)
        .args(["--user", "吴大山", "export", "--format", "json", "--out"])
        .arg(&roster)
        .assert()
        .success();
    let err = run(&[a, &roster]);
    assert!(
        err.contains("roster.json") && err.contains("不是 guanai 的学期工作总结"),
        "{err}"
    );
    let broken = c.dir.path().join("broken.json");
    std::fs::write(
        &broken,
        b"{\"format\": \"guanai-term-summary\", \"version\": 1, \"school\": ",
    )
    .unwrap();
    let err = run(&[&broken]);
    assert!(err.contains("broken.json"), "{err}");
    let newer = c.dir.path().join("newer.json");
    let mut v = json(a);
    v["version"] = serde_json::Value::from(2);
    std::fs::write(&newer, serde_json::to_vec(&v).unwrap()).unwrap();
    let err = run(&[&newer]);
    assert!(
        err.contains("newer.json") && err.contains("版本是 2"),
        "{err}"
    );
    let rollup = c.dir.path().join("county.json");
    std::fs::write(&rollup, combine(&c, "json")).unwrap();
    let err = run(&[a, &rollup]);
    assert!(
        err.contains("county.json") && err.contains("县级汇总"),
        "{err}"
    );
    // Figures that cannot be true, another day, another set of duties.
    let tamper = |name: &str, f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = json(b);
        f(&mut v);
        let path = c.dir.path().join(name);
        std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
        path
    };
    let more_done = tamper("more_done.json", &|v| {
        let due = v["duty_coverage"]["talk"]["due"].as_u64().unwrap();
        v["duty_coverage"]["talk"]["satisfied"] = serde_json::Value::from(due + 1);
    });
    let err = run(&[a, &more_done]);
    assert!(
        err.contains("more_done.json") && err.contains("不可能"),
        "{err}"
    );
    let by_type = tamper("by_type.json", &|v| {
        v["by_type"]["both_parents"] = serde_json::Value::from(999);
    });
    let err = run(&[a, &by_type]);
    assert!(
        err.contains("by_type.json") && err.contains("不可能"),
        "{err}"
    );
    let other_day = tamper("other_day.json", &|v| {
        v["as_of"] = serde_json::Value::from("2026-10-15");
    });
    let err = run(&[a, &other_day]);
    assert!(
        err.contains("other_day.json") && err.contains("2026-10-15"),
        "{err}"
    );
    let other_rules = tamper("other_rules.json", &|v| {
        v["duty_coverage"]
            .as_object_mut()
            .unwrap()
            .remove("birthday");
    });
    let err = run(&[a, &other_rules]);
    assert!(
        err.contains("other_rules.json") && err.contains("工作要求"),
        "{err}"
    );
    // The same school with a space in its name is still the same school.
    let spaced = tamper("spaced.json", &|v| {
        v["school"] = serde_json::Value::from("青山小学 ");
    });
    let err = run(&[a, &spaced]);
    assert!(err.contains("只算一次"), "{err}");
    // A summary saved with a byte-order mark (Windows Notepad) is read.
    let bom = c.dir.path().join("bom.json");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(std::fs::read(b).unwrap());
    std::fs::write(&bom, bytes).unwrap();
    guanai(&c.dir.path().join("none.redb"))
        .args(["report", "--format", "json", "--combine"])
        .args([a, &bom])
        .assert()
        .success();
    let missing = c.dir.path().join("missing.json");
    let err = run(&[&missing]);
    assert!(err.contains("missing.json"), "{err}");
    // xlsx is for the roll-up only.
    let err = refused(guanai(&c.schools[0].0).args([
        "--user",
        "吴大山",
        "report",
        "--format",
        "xlsx",
        "--out",
        "x.xlsx",
    ]));
    assert!(err.contains("--combine"), "{err}");
}

#[test]
fn a_school_just_under_80_percent_is_named_and_one_at_80_is_not() {
    let c = county();
    let set = |path: &Path, name: &str, done: u64| {
        let mut v = json(path);
        v["school"] = serde_json::Value::from(name);
        for (k, d) in v["duty_coverage"].as_object_mut().unwrap() {
            let (due, ok) = if k == "talk" { (10_000, done) } else { (0, 0) };
            d["due"] = serde_json::Value::from(due);
            d["satisfied"] = serde_json::Value::from(ok);
        }
        let out = c.dir.path().join(format!("{name}.json"));
        std::fs::write(&out, serde_json::to_vec(&v).unwrap()).unwrap();
        out
    };
    let under = set(&c.schools[0].1, "差一点小学", 7_996);
    let at = set(&c.schools[1].1, "刚好小学", 8_000);
    let md = stdout(
        guanai(&c.dir.path().join("none.redb"))
            .args(["report", "--combine"])
            .args([&under, &at]),
    );
    let section = md.split("需要关注的学校").nth(1).unwrap();
    assert!(
        section.contains("差一点小学"),
        "79.96% is under 80%: {section}"
    );
    assert!(!section.contains("刚好小学"), "{section}");
}
