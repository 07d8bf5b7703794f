//! `guanai keys check FILE` on user keymaps of 2,000 and 20,000 bindings, as a whole process:
//! the check must stay linear in the number of bindings (20,000 took 5.6 s when it compared
//! every pair and counted the file's lines again for each binding).
//!
//! `cargo bench --bench keymap` (GUANAI_BENCH_RUNS).

mod support;

use std::fmt::Write as _;
use std::process::Command;

use support::*;

/// A keymap binding `n` four-key sequences that start with <F5> (bound nowhere by default)
/// in the roster pane: all valid, none a prefix of another.
fn keymap(n: usize) -> String {
    let keys = [
        'a', 'b', 'c', 'd', 'e', 'g', 'i', 'o', 'u', 'w', 'x', 'y', 'z', 'r', 's', 't',
    ];
    let mut out = String::from("[roster]\nbind = [\n");
    for i in 0..n {
        let (a, b, c) = (i % 16, (i / 16) % 16, (i / 256) % 16);
        let _ = writeln!(
            out,
            "  {{ on = [\"<F5>\", \"{}\", \"{}\", \"{}\"], run = \"filter_mine\" }},",
            keys[a], keys[b], keys[c]
        );
    }
    out.push_str("]\n");
    out
}

fn main() {
    let runs: usize = env_or("GUANAI_BENCH_RUNS", 10);
    let bin = env!("CARGO_BIN_EXE_guanai");
    let mut times = Vec::new();
    for n in [2_000usize, 4_096] {
        let path = bench_dir().join(format!("keymap-{n}.toml"));
        std::fs::write(&path, keymap(n)).unwrap();
        let took = measure(&format!("keys check, {n} bindings"), runs, || {
            let mut cmd = Command::new(bin);
            cmd.args(["keys", "check"]).arg(&path);
            cmd
        });
        times.push((n, took));
    }
    // 20,000 bindings: <F5> and five more keys.
    let mut big = String::from("[roster]\nbind = [\n");
    let keys = ['a', 'b', 'c', 'd', 'e', 'g', 'i', 'o', 'u', 'w'];
    for i in 0..20_000usize {
        let k: Vec<String> = (0..5)
            .map(|p| format!("\"{}\"", keys[(i / 10usize.pow(p)) % 10]))
            .collect();
        let _ = writeln!(
            big,
            "  {{ on = [\"<F5>\", {}], run = \"filter_mine\" }},",
            k.join(", ")
        );
    }
    big.push_str("]\n");
    let path = bench_dir().join("keymap-20000.toml");
    std::fs::write(&path, big).unwrap();
    let took = measure("keys check, 20000 bindings", runs, || {
        let mut cmd = Command::new(bin);
        cmd.args(["keys", "check"]).arg(&path);
        cmd
    });
    times.push((20_000, took));
    for (n, t) in &times {
        println!(
            "{n:>6} bindings: {:.1} µs per binding",
            t.as_secs_f64() * 1e6 / *n as f64
        );
    }
}
