//! The term work summary as a whole process on the 10,000-children demo school (about
//! 470,000 events over three terms): `guanai report --term 2026秋` in each format.
//! Target: under 200 ms.
//!
//! `cargo bench --bench report` (GUANAI_BENCH_CHILDREN, GUANAI_BENCH_RUNS).

mod support;

use support::*;

fn main() {
    let children: u32 = env_or("GUANAI_BENCH_CHILDREN", 10_000);
    let runs: usize = env_or("GUANAI_BENCH_RUNS", 20);
    let (db, generated) = demo_db(children, 3);
    if let Some(took) = generated {
        report(&format!("demo --children {children}"), vec![took]);
    }
    println!(
        "database: {} ({children} children, {} events)",
        db.display(),
        event_count(&db)
    );
    let out = bench_dir().join("report-out");
    std::fs::create_dir_all(&out).expect("output dir");
    for format in ["json", "md", "html", "docx"] {
        let file = out.join(format!("summary.{format}"));
        measure(
            &format!("report --term 2026秋 --format {format}"),
            runs,
            || {
                let mut cmd = guanai(&db);
                cmd.args(["report", "--term", "2026秋", "--format", format, "--force"])
                    .arg("--out")
                    .arg(&file);
                cmd
            },
        );
    }
}
