//! `jixiao diff` on the command line: outputs refused before any work, errors in one line, exit 2.

use assert_cmd::Command;
use predicates::str::contains;
use std::fs;

fn jixiao() -> Command {
    Command::cargo_bin("jixiao").unwrap()
}

#[test]
fn json_output_equal_to_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let prior = dir.path().join("2022.xlsx");
    let current = dir.path().join("2023.xlsx");
    fs::write(&prior, b"prior").unwrap();
    fs::write(&current, b"current").unwrap();
    jixiao()
        .arg("diff")
        .arg(&prior)
        .arg(&current)
        .arg("--json")
        .arg(&current)
        .assert()
        .code(2)
        .stderr(contains("输出文件不能与输入文件相同"));
    assert_eq!(fs::read(&current).unwrap(), b"current");
}

#[test]
fn workbook_output_of_unreadable_inputs_is_not_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    let prior = dir.path().join("2022.xlsx");
    let current = dir.path().join("2023.xlsx");
    fs::write(&prior, b"prior").unwrap();
    fs::write(&current, b"current").unwrap();
    let out = dir.path().join("diff.xlsx");
    jixiao()
        .arg("diff")
        .arg(&prior)
        .arg(&current)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    assert!(!out.exists());
}

#[test]
fn a_missing_input_is_named_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let current = dir.path().join("2023.xlsx");
    fs::write(&current, b"current").unwrap();
    let json = dir.path().join("changes.json");
    let out = jixiao()
        .arg("diff")
        .arg(dir.path().join("没有.xlsx"))
        .arg(&current)
        .arg("--json")
        .arg(&json)
        .assert()
        .code(2)
        .stderr(contains("没有.xlsx"))
        .get_output()
        .stderr
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap().trim_end().lines().count(),
        1
    );
    assert!(!json.exists());
}
