//! Hostile and enormous files: a sheet whose used range claims millions of cells, a workbook
//! that expands to hundreds of megabytes, a CSV of junk rows. Each is read within 200 MB of
//! memory or refused with what was found, and the list of row mistakes stops at 50.

use super::*;

/// Runs an import of `file` into `db` and returns its exit code, stderr and the peak memory
/// of the process in MB.
fn import_measured(db: &Path, file: &Path) -> (Option<i32>, String, u64) {
    let child = common::guanai_process(db)
        .args(["--user", "王校长", "import"])
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    // The largest of the children waited for so far: measured one at a time, in a process of
    // its own, so the largest is this import's (or an earlier, smaller one's).
    let usage =
        nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).unwrap();
    let peak_mb = usage.max_rss() as u64 / 1024;
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        peak_mb,
    )
}

/// A workbook with the roster's headers, one good row, and a value at (`row`, `col`).
fn far_cell_workbook(path: &Path, row: u32, col: u16) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["姓名", "性别", "出生日期", "班级"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["远格甲", "男", "2013-02-03", "七(2)班"].iter().enumerate() {
        sheet.write_string(1, c as u16, *v).unwrap();
    }
    sheet.write_string(row, col, "x").unwrap();
    book.save(path).unwrap();
}

#[test]
fn enormous_sheets_and_workbooks_are_refused_within_bounded_memory() {
    let (d, db) = school();
    let before = roster(&db).len();
    let mut peak = 0;
    let cases: Vec<(PathBuf, &str)> = {
        let xfd = d.path().join("xfd.xlsx");
        far_cell_workbook(&xfd, 1_048_575, 16_383);
        let az = d.path().join("az.xlsx");
        far_cell_workbook(&az, 999_999, 51);
        // A workbook whose one sheet expands to 160 MB of nothing.
        let bomb = d.path().join("bomb.xlsx");
        {
            use std::io::Write as _;
            let file = std::fs::File::create(&bomb).unwrap();
            let mut zip = zip::ZipWriter::new(file);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
            let chunk = vec![b' '; 1 << 20];
            for _ in 0..160 {
                zip.write_all(&chunk).unwrap();
            }
            zip.finish().unwrap();
        }
        // 20,000 rows, each with a value in the 999th column: dense rows would take half a
        // gigabyte.
        let wide_rows = d.path().join("wide-rows.xlsx");
        {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            for (c, h) in ["姓名", "性别", "出生日期", "班级"].iter().enumerate() {
                sheet.write_string(0, c as u16, *h).unwrap();
            }
            for r in 1..20_000u32 {
                sheet.write_string(r, 998, "x").unwrap();
            }
            book.save(&wide_rows).unwrap();
        }
        // A CSV whose header is a line of three million commas.
        let commas = d.path().join("commas.csv");
        std::fs::write(&commas, format!("姓名{}\n", ",".repeat(3_000_000))).unwrap();
        // A CSV of 250,000 junk rows.
        let junk = d.path().join("junk.csv");
        let mut text = String::from("姓名,性别,出生日期,班级\n");
        for i in 0..250_000 {
            text.push_str(&format!("垃圾{i},?,??,?\n"));
        }
        std::fs::write(&junk, text).unwrap();
        vec![
            (xfd, "XFD1048576"),
            (az, "AZ1000000"),
            (bomb, "解压后有 160 MB"),
            (wide_rows, "超过 2000000 个格子"),
            (commas, "第 1 行有 3000001 个格子"),
            (junk, "超过 200000 行"),
        ]
    };
    for (file, says) in &cases {
        let (code, stderr, mb) = import_measured(&db, file);
        peak = peak.max(mb);
        assert_eq!(code, Some(2), "{}: {stderr}", file.display());
        assert!(stderr.contains(says), "{}: {stderr}", file.display());
        assert!(stderr.lines().count() <= 2, "one clear message: {stderr}");
        assert!(mb < 200, "{}: {mb} MB", file.display());
    }
    eprintln!("enormous files refused, peak memory {peak} MB");
    assert_eq!(roster(&db).len(), before, "nothing was imported");
    // A value far out but within what a roster may have is simply read.
    let wide = d.path().join("wide.xlsx");
    far_cell_workbook(&wide, 1, 200);
    let (code, stderr, mb) = import_measured(&db, &wide);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(mb < 200);
}

#[test]
fn the_list_of_row_mistakes_stops_at_fifty_and_says_how_many_more() {
    let (d, db) = school();
    let mut text = String::from("姓名,性别,出生日期,班级\n");
    for i in 0..120 {
        text.push_str(&format!("学生{i},男,不是日期,七(2)班\n"));
    }
    let file = write(d.path(), "many.csv", &text);
    let out = guanai(&db).arg("import").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("请修改以下 120 处"), "{stderr}");
    assert_eq!(stderr.matches("不接受").count(), 50, "{stderr}");
    assert!(stderr.contains("还有 70 处"), "{stderr}");
    assert!(
        stderr.contains("第 51 行") && !stderr.contains("第 52 行"),
        "{stderr}"
    );
}
