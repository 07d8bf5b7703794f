//! Whole-process benchmarks of the `guanai` binary on a demo school (see docs/performance.md).
//!
//! `cargo bench --bench cli` builds the release binary, writes a demo school of 10,000 children
//! (about 500,000 events) once into target/bench-data/, then times, as separate processes,
//! `guanai child list --format tsv`, `guanai timeline`, `guanai child show` and `staff list`,
//! and `guanai log --child REF talk` (each its own write transaction, on a copy of the school
//! so that the kept one does not grow).
//! GUANAI_BENCH_CHILDREN changes the size, GUANAI_BENCH_RUNS the repetitions.
//!
//! Not a test: nothing here fails on a slow machine. The numbers go into docs/performance.md.

mod support;

use support::*;

fn main() {
    let children: u32 = env_or("GUANAI_BENCH_CHILDREN", 10_000);
    let runs: usize = env_or("GUANAI_BENCH_RUNS", 20);
    let (db, generated) = demo_db(children, 3);
    if let Some(took) = generated {
        report(&format!("demo --children {children}"), vec![took]);
    }
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!(
        "database: {} ({:.1} MB, {} events)",
        db.display(),
        size as f64 / 1e6,
        event_count(&db)
    );
    let first_child = {
        let out = guanai(&db)
            .args(["child", "list", "--format", "tsv"])
            .output()
            .expect("list");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .nth(1)
            .and_then(|l| l.split('\t').nth(1))
            .map(str::to_string)
            .expect("a child")
    };
    let cases: [(&str, Vec<&str>); 4] = [
        (
            "child list --format tsv",
            vec!["child", "list", "--format", "tsv"],
        ),
        (
            "timeline REF --format tsv",
            vec!["timeline", &first_child, "--format", "tsv"],
        ),
        ("child show REF", vec!["child", "show", &first_child]),
        (
            "staff list --format tsv",
            vec!["staff", "list", "--format", "tsv"],
        ),
    ];
    for (name, args) in cases {
        measure(name, runs, || {
            let mut cmd = guanai(&db);
            cmd.args(&args);
            cmd
        });
    }
    let copy = bench_dir().join("log-talk.redb");
    std::fs::copy(&db, &copy).expect("copy the school");
    measure("log --child REF talk --note 谈心", runs, || {
        let mut cmd = guanai(&copy);
        cmd.args(["log", "--child", &first_child, "talk", "--note", "谈心"]);
        cmd
    });
    let _ = std::fs::remove_file(&copy);
}
