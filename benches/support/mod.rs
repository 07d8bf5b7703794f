//! What the whole-process benchmarks share: running the binary, timing it, reporting, and the
//! demo databases they run on (kept in target/bench-data/ between runs).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "../../tests/common/mod.rs"]
mod common;

pub use common::guanai_process as guanai;

/// CPU time (user + system) used so far by this process's finished children.
pub fn children_cpu() -> Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).expect("getrusage");
    let tv = |t: nix::sys::time::TimeVal| {
        Duration::from_secs(t.tv_sec() as u64) + Duration::from_micros(t.tv_usec() as u64)
    };
    tv(usage.user_time()) + tv(usage.system_time())
}

/// Runs one process to the end, its output thrown away; returns its wall-clock time and its
/// CPU time (which a busy neighbour on a shared machine disturbs less).
pub fn run(cmd: &mut Command) -> (Duration, Duration) {
    cmd.stdout(std::process::Stdio::null());
    cmd.stderr(std::process::Stdio::piped());
    let cpu = children_cpu();
    let start = Instant::now();
    let out = cmd.output().expect("run the command");
    let took = start.elapsed();
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (took, children_cpu().saturating_sub(cpu))
}

/// Runs `make()` once to warm the caches, then `runs` times; returns the median wall time.
pub fn measure(name: &str, runs: usize, mut make: impl FnMut() -> Command) -> Duration {
    run(&mut make());
    let times: Vec<_> = (0..runs).map(|_| run(&mut make())).collect();
    report(name, times)
}

/// Prints min / median / max wall time and the median CPU time; returns the median wall.
pub fn report(name: &str, runs: Vec<(Duration, Duration)>) -> Duration {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (mut wall, mut cpu): (Vec<_>, Vec<_>) = runs.into_iter().unzip();
    wall.sort();
    cpu.sort();
    println!(
        "{name:<40} runs {:>3}  wall min {:>7.1} median {:>7.1} max {:>7.1} ms  cpu median {:>7.1} ms",
        wall.len(),
        ms(wall[0]),
        ms(wall[wall.len() / 2]),
        ms(wall[wall.len() - 1]),
        ms(cpu[cpu.len() / 2]),
    );
    wall[wall.len() / 2]
}

pub fn bench_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench dir");
    dir
}

/// A demo school of `children` with `terms` terms of history, written once and kept.
/// Returns its path and the time the generation took (None when it was already there).
pub fn demo_db(children: u32, terms: u32) -> (PathBuf, Option<(Duration, Duration)>) {
    let db = bench_dir().join(format!(
        "demo-{children}-{terms}t-v{}.redb",
        guanai::store::SCHEMA_VERSION
    ));
    if db.exists() {
        return (db, None);
    }
    let scratch = db.with_extension("tmp");
    let _ = std::fs::remove_file(&scratch);
    let took = run(guanai(&scratch).args([
        "demo",
        "--children",
        &children.to_string(),
        "--terms",
        &terms.to_string(),
    ]));
    std::fs::rename(&scratch, &db).expect("keep the demo database");
    (db, Some(took))
}

/// Events in a database, counted through the library.
pub fn event_count(db: &Path) -> u64 {
    let store = guanai::store::Store::open(db).expect("open");
    store.read().and_then(|r| r.event_count()).expect("count")
}

pub fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
