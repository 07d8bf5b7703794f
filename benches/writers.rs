//! Eight processes writing into one database at once, as teachers on one school server do:
//! events per second in total, and the slowest single write any of them waited for.
//! `cargo bench --bench writers` (see docs/performance.md). The workers are this binary run
//! again with GUANAI_BENCH_WORKER set; each opens the database once through the service.

mod support;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use guanai::domain::{ChildId, EventKind, Gender, NewChild, NewEvent, NewStaff, Role, StaffId};
use guanai::service::{Command as Cmd, Identity, Service};
use support::*;

const WRITERS: u64 = 8;

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("date")
}

/// A worker: `count` events for its child, one transaction each; prints the slowest.
fn worker(db: &Path, child: u64, count: u64) {
    let service = Service::open(db, today(), Identity::Staff("王校长".into())).expect("open");
    let mut slowest = Duration::ZERO;
    for i in 0..count {
        let start = Instant::now();
        service
            .execute(Cmd::LogEvent(NewEvent {
                child: ChildId(child),
                kind: EventKind::Note,
                date: today(),
                staff: StaffId(1),
                present: Vec::new(),
                summary: format!("n{i}"),
                follow_up: false,
            }))
            .expect("write");
        slowest = slowest.max(start.elapsed());
    }
    println!("slowest:{}", slowest.as_micros());
}

fn main() {
    let count: u64 = env_or("GUANAI_BENCH_EVENTS", 500);
    if let Ok(spec) = std::env::var("GUANAI_BENCH_WORKER") {
        let (db, child) = spec.split_once(',').expect("db,child");
        return worker(Path::new(db), child.parse().expect("child"), count);
    }
    let dir = bench_dir().join("writers");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let db = dir.join("w.redb");
    {
        let s = Service::open(&db, today(), Identity::Unknown).expect("open");
        s.execute(Cmd::AddStaff(NewStaff {
            name: "王校长".into(),
            roles: vec![Role::Admin],
            classes: Vec::new(),
            unix_user: None,
            title: None,
        }))
        .expect("staff");
        for i in 0..WRITERS {
            s.execute(Cmd::AddChild(Box::new(NewChild::basic(
                &format!("学生{i}"),
                Gender::Male,
                chrono::NaiveDate::from_ymd_opt(2014, 1, 1).expect("date"),
                "七(2)班",
            ))))
            .expect("child");
        }
    }
    let start = Instant::now();
    let workers: Vec<_> = (1..=WRITERS)
        .map(|child| {
            Command::new(std::env::current_exe().expect("exe"))
                .env("GUANAI_BENCH_WORKER", format!("{},{child}", db.display()))
                .stdout(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut slowest = 0u128;
    for mut w in workers {
        let out = w.stdout.take().expect("stdout");
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if let Some(us) = line.strip_prefix("slowest:") {
                slowest = slowest.max(us.parse().unwrap_or(0));
            }
        }
        assert!(w.wait().expect("wait").success());
    }
    let took = start.elapsed();
    let total = WRITERS * count;
    println!(
        "{WRITERS} writers × {count} events: {total} events in {:.2} s = {:.0} events/s in total; slowest single write {:.1} ms",
        took.as_secs_f64(),
        total as f64 / took.as_secs_f64(),
        slowest as f64 / 1000.0
    );
}
