//! Printing the paper forms as a whole process on the 10,000-children demo school (three
//! terms of history): every child's 档案 in one Word file, and the school's 统计表. Target:
//! all 10,000 档案 under 10 s.
//!
//! `cargo bench --bench print` (GUANAI_BENCH_CHILDREN, GUANAI_BENCH_RUNS).

mod support;

use support::*;

fn main() {
    let children: u32 = env_or("GUANAI_BENCH_CHILDREN", 10_000);
    let runs: usize = env_or("GUANAI_BENCH_RUNS", 3);
    let (db, generated) = demo_db(children, 3);
    if let Some(took) = generated {
        report(&format!("demo --children {children}"), vec![took]);
    }
    let out = bench_dir().join("print-out");
    std::fs::create_dir_all(&out).expect("output dir");
    for form in ["file", "visits", "stats"] {
        let file = out.join(format!("{form}.docx"));
        let took = measure(
            &format!("print {form} --all ({children} children)"),
            runs,
            || {
                let mut cmd = guanai(&db);
                cmd.args([
                    "--user",
                    "吴大山",
                    "print",
                    form,
                    "--all",
                    "--force",
                    "--out",
                ])
                .arg(&file);
                cmd
            },
        );
        let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        println!(
            "  {form}.docx: {:.1} MB, median {took:?}",
            size as f64 / 1e6
        );
    }
}
