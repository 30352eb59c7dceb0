//! Output targets: a missing or read-only folder fails cleanly, an input is never overwritten.

use crate::common::jixiao;
use std::path::Path;

const EXAMPLE: &str = "examples/linyi-education-2023.xlsx";

fn one_line(stderr: &[u8]) -> String {
    let s = String::from_utf8_lossy(stderr).into_owned();
    let line = s.strip_suffix('\n').unwrap_or(&s).to_string();
    assert!(
        !line.is_empty() && !line.contains('\n'),
        "not one line: {s:?}"
    );
    line
}

#[test]
fn missing_target_folder_is_exit_2_naming_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("no/such/folder/out.xlsx");
    for cmd in [
        &["restyle", EXAMPLE, "-o"][..],
        &["validate", EXAMPLE, "-o"][..],
    ] {
        let out = jixiao().args(cmd).arg(&target).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd:?}");
        let line = one_line(&out.stderr);
        assert!(line.starts_with(&target.display().to_string()), "{line}");
        assert!(line.contains("目标文件夹不存在"), "{line}");
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn read_only_target_folder_is_exit_2() {
    // Root ignores permission bits, so use a read-only file system: sysfs.
    let ro = Path::new("/sys");
    if !ro.is_dir() || tempfile::tempfile_in(ro).is_ok() {
        eprintln!("skipped: no read-only file system at /sys here");
        return;
    }
    let out = jixiao()
        .args(["restyle", EXAMPLE, "-o", "/sys/jixiao-out.xlsx"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let line = one_line(&out.stderr);
    assert!(line.starts_with("/sys/jixiao-out.xlsx: "), "{line}");
    assert!(!Path::new("/sys/jixiao-out.xlsx").exists());
}

#[test]
fn output_equal_to_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.xlsx");
    std::fs::copy(EXAMPLE, &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    for cmd in ["restyle", "validate", "import"] {
        let out = jixiao()
            .args([cmd, input.to_str().unwrap(), "-o", input.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        assert!(
            one_line(&out.stderr).contains("不能与输入文件相同"),
            "{cmd}"
        );
        assert_eq!(
            std::fs::read(&input).unwrap(),
            before,
            "{cmd} changed its input"
        );
    }
}

#[test]
fn every_file_written_is_named_on_stderr_stdout_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("official.xlsx");
    let o = jixiao()
        .args(["restyle", EXAMPLE, "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        err.lines()
            .filter(|l| *l == format!("已写入 {}", out.display()))
            .count(),
        1,
        "{err}"
    );
    let o = jixiao()
        .args(["import", EXAMPLE, "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("已写入"));
}

#[test]
fn a_filled_in_table_is_never_replaced_an_earlier_output_is() {
    let dir = tempfile::tempdir().unwrap();
    let submission = dir.path().join("教育局.xlsx");
    std::fs::copy(EXAMPLE, &submission).unwrap();
    let before = std::fs::read(&submission).unwrap();
    for cmd in ["restyle", "import"] {
        let o = jixiao()
            .args([cmd, EXAMPLE, "-o"])
            .arg(&submission)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        assert_eq!(
            one_line(&o.stderr),
            format!(
                "{}: 该文件是已填写的绩效目标表，请换一个输出路径，或加 --force 覆盖",
                submission.display()
            )
        );
        assert_eq!(std::fs::read(&submission).unwrap(), before, "{cmd}");
    }
    // An old .xls submission is known by its first bytes too (the check reads
    // a target's first 8 bytes before reading it whole).
    let xls = dir.path().join("教育局.xls");
    std::fs::copy("tests/fixtures/lo-2023.xls", &xls).unwrap();
    let o = jixiao()
        .args(["import", EXAMPLE, "-o"])
        .arg(&xls)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert_eq!(
        std::fs::read(&xls).unwrap(),
        std::fs::read("tests/fixtures/lo-2023.xls").unwrap()
    );
    // jixiao's own output, even a restyled table, is replaced without ado.
    let out = dir.path().join("official.xlsx");
    for _ in 0..2 {
        let o = jixiao()
            .args(["restyle", EXAMPLE, "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0));
    }
    assert!(jixiao::read::written_by_jixiao(
        &std::fs::read(&out).unwrap()
    ));
    assert!(!jixiao::read::written_by_jixiao(&before));
    // A non-workbook file (an earlier JSON) is replaced as ever.
    let json = dir.path().join("t.json");
    std::fs::write(&json, b"{}").unwrap();
    let o = jixiao()
        .args(["import", EXAMPLE, "-o"])
        .arg(&json)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
}

/// `--force` replaces a filled-in submission, for every command that writes a workbook.
#[test]
fn force_replaces_a_filled_in_table() {
    let dir = tempfile::tempdir().unwrap();
    let submission = dir.path().join("教育局.xlsx");
    let runs: [&[&str]; 4] = [
        &["restyle", EXAMPLE],
        &["validate", EXAMPLE],
        &["diff", EXAMPLE, EXAMPLE],
        &["template", "--year", "2030", "--department", "局"],
    ];
    for args in runs {
        std::fs::copy(EXAMPLE, &submission).unwrap();
        let o = jixiao()
            .args(args)
            .arg("-o")
            .arg(&submission)
            .arg("--force")
            .output()
            .unwrap();
        assert!(o.status.code().is_some_and(|c| c < 2), "{args:?}: {o:?}");
        assert!(
            jixiao::read::written_by_jixiao(&std::fs::read(&submission).unwrap()),
            "{args:?} replaced the submission"
        );
    }
}
