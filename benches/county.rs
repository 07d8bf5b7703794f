//! The county's roll-up as a whole process: `guanai report --combine` over the anonymised
//! summaries of 200 schools (copies of one 300-children demo school's summary, each under
//! its own name), in each format. Target: under 1 s.
//!
//! `cargo bench --bench county` (GUANAI_BENCH_SCHOOLS, GUANAI_BENCH_RUNS).

mod support;

use support::*;

fn main() {
    let schools: usize = env_or("GUANAI_BENCH_SCHOOLS", 200);
    let runs: usize = env_or("GUANAI_BENCH_RUNS", 10);
    let (db, _) = demo_db(300, 3);
    let dir = bench_dir().join("county");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("county dir");
    let one = dir.join("one.json");
    let made = guanai(&db)
        .args(["--user", "吴大山", "report", "--term", "2026秋"])
        .args(["--format", "json", "--anonymize", "--force", "--out"])
        .arg(&one)
        .status()
        .expect("run guanai");
    assert!(made.success(), "the school's summary");
    let text = std::fs::read_to_string(&one).expect("read the summary");
    let mut value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let mut files = Vec::with_capacity(schools);
    for i in 0..schools {
        value["school"] = serde_json::Value::from(format!("第{i}小学"));
        let file = dir.join(format!("s{i:03}.json"));
        std::fs::write(&file, serde_json::to_vec_pretty(&value).expect("JSON")).expect("write");
        files.push(file);
    }
    println!(
        "{schools} summaries of {} bytes each",
        std::fs::metadata(&files[0]).map(|m| m.len()).unwrap_or(0)
    );
    for format in ["json", "md", "docx", "xlsx"] {
        let out = dir.join(format!("county.{format}"));
        measure(
            &format!("report --combine ({schools}) --format {format}"),
            runs,
            || {
                let mut cmd = guanai(&db);
                cmd.args([
                    "report",
                    "--county",
                    "青山县",
                    "--format",
                    format,
                    "--force",
                    "--out",
                ])
                .arg(&out)
                .arg("--combine")
                .args(&files);
                cmd
            },
        );
    }
}
