//! Search as the teacher types: every keystroke of a few queries over 50,000 children (a
//! county), with the keys built once. Prints the time per keystroke: a fresh search over
//! everyone (the first keystroke's cost, and what a deletion costs) and the narrowing search
//! the app runs when the query grew. Target: at most 5 ms per keystroke.
//!
//! `cargo bench --bench search` (GUANAI_BENCH_CHILDREN to change the size).

use std::time::{Duration, Instant};

use guanai::demo::{self, DemoOptions};
use guanai::domain::StaffId;
use guanai::search::{Hit, SearchFields, SearchIndex};

mod support;

fn main() {
    let n: usize = support::env_or("GUANAI_BENCH_CHILDREN", 50_000);
    let opts = DemoOptions {
        children: n,
        seed: 1,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 29).expect("date"),
        admin_unix_user: None,
        history_terms: 1,
    };
    let school = demo::school(&opts);
    let staff: Vec<StaffId> = (1..=school.staff.len() as u64).map(StaffId).collect();
    let children: Vec<_> = demo::children(&opts, &school, &staff)
        .map(|c| c.child)
        .collect();
    let start = Instant::now();
    let index = SearchIndex::build(children.iter().map(|c| SearchFields {
        name: &c.name,
        class: &c.class,
        village: c.village.as_deref(),
        guardian: c.guardian.as_ref().map(|g| g.name.as_str()),
        student_no: c.student_no.as_deref(),
    }));
    println!(
        "{n} children: keys built in {:.1} ms",
        start.elapsed().as_secs_f64() * 1e3
    );
    let queries = [
        "zxz", "zhangxz", "张小", "wangf", "lm", "七(3", "石门", "2024",
    ];
    let mut fresh: Vec<Duration> = Vec::new();
    let mut narrowing: Vec<Duration> = Vec::new();
    for _round in 0..5 {
        for q in queries {
            let mut previous: Option<Vec<Hit>> = None;
            let typed: Vec<char> = q.chars().collect();
            for k in 1..=typed.len() {
                let query: String = typed[..k].iter().collect();
                let t = Instant::now();
                let hits = index.search(&query);
                fresh.push(t.elapsed());
                if std::env::var_os("GUANAI_BENCH_VERBOSE").is_some() {
                    println!(
                        "{query:<10} {:>6} hits {:>7.2} ms",
                        hits.len(),
                        t.elapsed().as_secs_f64() * 1e3
                    );
                }
                let t = Instant::now();
                let refined = match &previous {
                    Some(p) => index.refine(&query, p),
                    None => index.search(&query),
                };
                narrowing.push(t.elapsed());
                assert_eq!(
                    hits, refined,
                    "narrowing must find what a fresh search finds"
                );
                std::hint::black_box(&hits);
                previous = Some(refined);
            }
        }
    }
    report("fresh search per keystroke", fresh);
    report("app (narrowing) per keystroke", narrowing);
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{name:<32} keystrokes {:>4}  min {:>6.2}  median {:>6.2}  p95 {:>6.2}  max {:>6.2} ms",
        times.len(),
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() * 95 / 100]),
        ms(times[times.len() - 1]),
    );
}
