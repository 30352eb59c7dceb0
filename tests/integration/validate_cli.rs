//! `jixiao validate` on the command line: exit codes and nothing left behind.

use assert_cmd::Command;
use predicates::prelude::*;

#[test]
fn a_missing_file_is_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    Command::cargo_bin("jixiao")
        .unwrap()
        .args(["validate", "no-such-file.xlsx", "--json"])
        .arg(&json)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-file.xlsx"));
    assert!(!json.exists());
}

#[test]
fn a_missing_file_with_marked_output_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("marked.xlsx");
    Command::cargo_bin("jixiao")
        .unwrap()
        .args(["validate", "whatever.xlsx", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("whatever.xlsx"));
    assert!(!out.exists());
}
