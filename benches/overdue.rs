//! `guanai overdue --format tsv` against taskwarrior's `task overdue`, in the same run, and
//! the cost of the queue as the history grows from about 110,000 to 1,000,000 events at
//! 10,000 children (see docs/performance.md).
//!
//! `cargo bench --bench overdue`. Taskwarrior (Debian package `taskwarrior`) is used when it is
//! installed; its 10,000 pending tasks, all overdue, are imported once into
//! target/bench-data/taskwarrior/. Not a test: nothing here fails on a slow machine.

mod support;

use std::process::Command;

use support::*;

fn taskwarrior(runs: usize) -> Option<std::time::Duration> {
    if Command::new("task").arg("--version").output().is_err() {
        println!("taskwarrior is not installed (apt-get install taskwarrior): no comparison");
        return None;
    }
    let dir = bench_dir().join("taskwarrior");
    let rc = dir.join("taskrc");
    if !dir.join("data").join("pending.data").exists() {
        std::fs::create_dir_all(dir.join("data")).expect("tw dir");
        std::fs::write(
            &rc,
            format!(
                "data.location={}\nconfirmation=off\nverbose=nothing\n",
                dir.join("data").display()
            ),
        )
        .expect("taskrc");
        // 10,000 pending tasks, each due 1 to 200 days before 2026-11-29, like the queue's rows.
        let mut json = String::from("[");
        for i in 0..10_000u32 {
            let due = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")
                - chrono::Duration::days(1 + (i as i64 * 7919) % 200);
            if i > 0 {
                json.push(',');
            }
            json.push_str(&format!(
                r#"{{"uuid":"{:08x}-0000-4000-8000-{:012x}","description":"谈心 学生{i}","status":"pending","entry":"20260901T000000Z","due":"{}T000000Z","project":"class{}"}}"#,
                i,
                i,
                due.format("%Y%m%d"),
                i % 600
            ));
        }
        json.push(']');
        let file = dir.join("tasks.json");
        std::fs::write(&file, json).expect("tasks.json");
        run(Command::new("task")
            .env("TASKRC", &rc)
            .arg("import")
            .arg(&file));
    }
    Some(measure("task overdue (10,000 pending tasks)", runs, || {
        let mut cmd = Command::new("task");
        cmd.env("TASKRC", &rc).arg("overdue");
        cmd
    }))
}

fn main() {
    let runs: usize = env_or("GUANAI_BENCH_RUNS", 20);
    let mut at_10k_3t = None;
    for terms in [1, 3, 7] {
        let (db, generated) = demo_db(10_000, terms);
        if let Some(took) = generated {
            report(
                &format!("demo --children 10000 --terms {terms}"),
                vec![took],
            );
        }
        let events = event_count(&db);
        let median = measure(
            &format!("overdue --format tsv ({events} events)"),
            runs,
            || {
                let mut cmd = guanai(&db);
                cmd.args(["overdue", "--format", "tsv"]);
                cmd
            },
        );
        if terms == 3 {
            at_10k_3t = Some(median);
        }
    }
    if let (Some(tw), Some(ours)) = (taskwarrior(runs.min(10)), at_10k_3t) {
        println!(
            "task overdue / guanai overdue (median wall): {:.1}x",
            tw.as_secs_f64() / ours.as_secs_f64()
        );
    }
}
