//! A damaged database gets one clear message, never a crash: every file of
//! tests/fixtures/damaged/ through check, child list, the app (without a terminal), backup and
//! restore. Each answer names the file and the way out (`guanai restore BACKUP`), exits with
//! status 2, and leaves the files as they were.

mod common;

use std::path::{Path, PathBuf};

const CORPUS: &str = "tests/fixtures/damaged";
/// A staff member of tests/fixtures/v2.redb, which the damaged files were made from.
const USER: &str = "刘美玲";

/// Every damaged file of the corpus.
fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(CORPUS)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "redb"))
        .collect();
    files.sort();
    files
}

/// `file` copied into `dir`, owner-only, as a school's database would be.
fn private_copy(file: &Path, dir: &Path, name: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let to = dir.join(name);
    std::fs::copy(file, &to).unwrap();
    std::fs::set_permissions(&to, std::fs::Permissions::from_mode(0o600)).unwrap();
    to
}

struct Answer {
    code: Option<i32>,
    stderr: String,
}

fn run(db: &Path, args: &[&str]) -> Answer {
    let out = common::guanai_process(db)
        .args(["--user", USER])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    Answer {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn every_damaged_file_gets_a_clear_message_and_no_crash() {
    let files = corpus();
    assert!(files.len() >= 10, "the corpus is there: {files:?}");
    let (mut tried, mut clear, mut crashed) = (0, 0, 0);
    let mut unclear = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let dir = tempfile::tempdir().unwrap();
        let damaged = private_copy(file, dir.path(), "school.redb");
        let good = private_copy(Path::new("tests/fixtures/v2.redb"), dir.path(), "good.redb");
        // Brought up to this build's schema first: opening an older file migrates it.
        assert_eq!(run(&good, &["child", "list"]).code, Some(0));
        let backup_to = dir.path().join("copy.redb");
        let before = std::fs::read(&damaged).unwrap();
        let good_before = std::fs::read(&good).unwrap();
        let restore_from = damaged.to_string_lossy().into_owned();
        let backup_dest = backup_to.to_string_lossy().into_owned();
        let cases: [(&Path, Vec<&str>, &Path); 5] = [
            (&damaged, vec!["check"], &damaged),
            (&damaged, vec!["child", "list"], &damaged),
            (&damaged, vec![], &damaged),
            (&damaged, vec!["backup", &backup_dest], &damaged),
            (&good, vec!["restore", "--force", &restore_from], &damaged),
        ];
        for (db, args, named) in cases {
            tried += 1;
            let answer = run(db, &args);
            let names_file = answer.stderr.contains(&*named.to_string_lossy());
            if answer.stderr.contains("panicked") || answer.code == Some(101) {
                crashed += 1;
                unclear.push(format!("{name} {args:?}: crashed: {}", answer.stderr));
            } else if answer.code == Some(2)
                && names_file
                && answer.stderr.contains("guanai restore")
                && answer.stderr.lines().count() == 1
            {
                clear += 1;
            } else {
                unclear.push(format!(
                    "{name} {args:?}: {:?} {}",
                    answer.code, answer.stderr
                ));
            }
        }
        assert!(
            std::fs::read(&damaged).unwrap() == before,
            "{name}: the damaged file is left as it was"
        );
        assert!(
            std::fs::read(&good).unwrap() == good_before,
            "{name}: a damaged backup changes nothing"
        );
        assert!(!backup_to.exists(), "{name}: no backup of a damaged file");
    }
    eprintln!("damaged files: {tried} tried, {clear} clear, {crashed} crashed");
    assert!(unclear.is_empty(), "{}", unclear.join("\n"));
    assert_eq!(clear, tried);
}

/// `--db` naming a directory says so (it used to blame the directory's mode).
#[test]
fn a_directory_given_as_the_database_is_named_as_one() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["child", "list"],
        vec!["staff", "add", "王校长", "--role", "admin"],
    ] {
        let answer = run(dir.path(), &args);
        assert_eq!(answer.code, Some(2), "{args:?}: {}", answer.stderr);
        assert!(answer.stderr.contains("是一个目录"), "{}", answer.stderr);
        assert!(
            !answer.stderr.contains("任何人都能读取"),
            "{}",
            answer.stderr
        );
    }
}
