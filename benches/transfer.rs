//! Import and export of a 10,000-row roster, whole process (see docs/performance.md):
//! `guanai export --format xlsx` of the demo school, and `guanai import` of that workbook
//! into a school that has the same staff but no children yet, and of 10,000-row .xls and .ods
//! rosters (benches/data). Also the backup and the check.
//! `cargo bench --bench transfer`. Not a test: nothing here fails on a slow machine.

mod support;

use support::*;

fn main() {
    let runs: usize = env_or("GUANAI_BENCH_RUNS", 5);
    let (db, _) = demo_db(10_000, 3);
    let dir = bench_dir().join("transfer");
    std::fs::create_dir_all(&dir).expect("dir");
    let admin = {
        let out = guanai(&db)
            .args(["staff", "list", "--format", "tsv"])
            .output()
            .expect("staff");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .nth(1)
            .and_then(|l| l.split('\t').next())
            .map(str::to_string)
            .expect("an admin")
    };
    let xlsx = dir.join("roster.xlsx");
    measure("export --format xlsx (10,000 rows)", runs, || {
        let mut cmd = guanai(&db);
        cmd.args([
            "--user", &admin, "export", "--format", "xlsx", "--force", "--out",
        ])
        .arg(&xlsx);
        cmd
    });
    measure("export --format csv (10,000 rows)", runs, || {
        let mut cmd = guanai(&db);
        cmd.args(["--user", &admin, "export", "--format", "csv"]);
        cmd
    });
    // A school with the demo's staff and settings and no children, from the JSON dump.
    let dump = guanai(&db)
        .args(["--user", &admin, "export", "--format", "json"])
        .output()
        .expect("dump");
    let mut value: serde_json::Value = serde_json::from_slice(&dump.stdout).expect("json");
    for key in ["children", "events", "activities", "tasks"] {
        value[key] = serde_json::json!([]);
    }
    let staff_only = dir.join("staff-only.json");
    std::fs::write(&staff_only, serde_json::to_vec(&value).expect("json")).expect("write");
    let fresh = dir.join("fresh.redb");
    measure("import roster.xlsx (10,000 rows, new files)", runs, || {
        let _ = std::fs::remove_file(&fresh);
        let load = guanai(&fresh)
            .arg("import")
            .arg(&staff_only)
            .output()
            .expect("load");
        assert!(
            load.status.success(),
            "{}",
            String::from_utf8_lossy(&load.stderr)
        );
        let mut cmd = guanai(&fresh);
        cmd.args(["--user", &admin, "import"]).arg(&xlsx);
        cmd
    });
    // The same size of roster as a school's own .xls (Excel 97–2003) and .ods, made by
    // tests/fixtures/import/real/make.py: 10,000 children over 30 classes.
    for (label, file) in [
        (
            "import roster.xls (10,000 rows, new files)",
            "roster-10000.xls",
        ),
        (
            "import roster.ods (10,000 rows, new files)",
            "roster-10000.ods",
        ),
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("benches/data")
            .join(file);
        measure(label, runs, || {
            let _ = std::fs::remove_file(&fresh);
            let load = guanai(&fresh)
                .arg("import")
                .arg(&staff_only)
                .output()
                .expect("load");
            assert!(load.status.success());
            let mut cmd = guanai(&fresh);
            cmd.args(["--user", &admin, "import"]).arg(&path);
            cmd
        });
    }
    let backup = dir.join("backup.redb");
    measure("backup (470,000 events)", runs, || {
        let _ = std::fs::remove_file(&backup);
        let mut cmd = guanai(&db);
        cmd.args(["--user", &admin, "backup"]).arg(&backup);
        cmd
    });
    measure("check (470,000 events)", runs.min(3), || {
        let mut cmd = guanai(&backup);
        cmd.args(["--user", &admin, "check"]);
        cmd
    });
    // Restore over a school: the backup copied and checked whole beside it, then swapped in.
    let live = dir.join("restored.redb");
    let _ = std::fs::copy(&backup, &live);
    measure("restore --force (470,000 events)", runs.min(3), || {
        let mut cmd = guanai(&live);
        cmd.args(["--user", &admin, "restore", "--force"])
            .arg(&backup);
        cmd
    });
}
