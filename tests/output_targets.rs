//! Output targets: a missing or read-only folder fails cleanly, an input is never overwritten.

use assert_cmd::Command;
use std::path::Path;

const EXAMPLE: &str = "examples/linyi-education-2023.xlsx";

fn jixiao() -> Command {
    Command::cargo_bin("jixiao").unwrap()
}

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
