//! Whole-process benchmarks of the `guanai` binary on a demo school (see docs/performance.md).
//!
//! `cargo bench --bench cli` builds the release binary, writes a demo school of 10,000 children
//! (about 500,000 events) once into target/bench-data/, then times, as separate processes:
//! the demo generation itself, `guanai child list --format tsv`, `guanai timeline` and
//! `guanai child show`. It prints min / median / max wall-clock times. Set GUANAI_BENCH_CHILDREN
//! to change the size and GUANAI_BENCH_RUNS to change the repetitions.
//!
//! Not a test: nothing here fails on a slow machine. The numbers go into docs/performance.md.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "../tests/common/mod.rs"]
mod common;

use common::guanai_process as guanai;

/// CPU time (user + system) used so far by this process's finished children.
fn children_cpu() -> Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).expect("getrusage");
    let tv = |t: nix::sys::time::TimeVal| {
        Duration::from_secs(t.tv_sec() as u64) + Duration::from_micros(t.tv_usec() as u64)
    };
    tv(usage.user_time()) + tv(usage.system_time())
}

/// Runs one process; returns its wall-clock time and its CPU time (which a busy neighbour on
/// a shared machine disturbs less).
fn run(cmd: &mut Command) -> (Duration, Duration) {
    let cpu = children_cpu();
    let start = Instant::now();
    let out = cmd.output().expect("run guanai");
    let took = start.elapsed();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (took, children_cpu().saturating_sub(cpu))
}

fn report(name: &str, runs: Vec<(Duration, Duration)>) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (mut wall, mut cpu): (Vec<_>, Vec<_>) = runs.into_iter().unzip();
    wall.sort();
    cpu.sort();
    println!(
        "{name:<30} runs {:>3}  wall min {:>7.1} median {:>7.1} max {:>7.1} ms  cpu median {:>7.1} ms",
        wall.len(),
        ms(wall[0]),
        ms(wall[wall.len() / 2]),
        ms(wall[wall.len() - 1]),
        ms(cpu[cpu.len() / 2]),
    );
}

fn main() {
    let children: u32 = std::env::var("GUANAI_BENCH_CHILDREN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let runs: usize = std::env::var("GUANAI_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench dir");

    // Generation, timed once into a scratch file.
    let scratch = dir.join(format!("scratch-{children}.redb"));
    let _ = std::fs::remove_file(&scratch);
    let took = run(guanai(&scratch).args(["demo", "--children", &children.to_string()]));
    report(&format!("demo --children {children}"), vec![took]);
    let db = dir.join(format!("demo-{children}.redb"));
    let _ = std::fs::remove_file(&db);
    std::fs::rename(&scratch, &db).expect("keep the demo database");
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    println!("database: {} ({:.1} MB)", db.display(), size as f64 / 1e6);

    let first_child = {
        let out = guanai(&db)
            .args(["child", "list", "--format", "tsv"])
            .output()
            .expect("list");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.lines()
            .nth(1)
            .and_then(|l| l.split('\t').nth(1))
            .map(str::to_string)
            .expect("a child")
    };

    let cases: Vec<(String, Vec<String>)> = vec![
        (
            "child list --format tsv".into(),
            vec![
                "child".into(),
                "list".into(),
                "--format".into(),
                "tsv".into(),
            ],
        ),
        (
            "timeline REF --format tsv".into(),
            vec![
                "timeline".into(),
                first_child.clone(),
                "--format".into(),
                "tsv".into(),
            ],
        ),
        (
            "child show REF".into(),
            vec!["child".into(), "show".into(), first_child.clone()],
        ),
        (
            "staff list --format tsv".into(),
            vec![
                "staff".into(),
                "list".into(),
                "--format".into(),
                "tsv".into(),
            ],
        ),
    ];
    for (name, args) in cases {
        run(guanai(&db).args(&args)); // warm the page cache
        let times = (0..runs).map(|_| run(guanai(&db).args(&args))).collect();
        report(&name, times);
    }
}
