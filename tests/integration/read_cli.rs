//! `jixiao import` through the binary.

use crate::common::*;
use assert_cmd::Command;
use rust_xlsxwriter::{Format, Workbook};

#[test]
fn import_prints_the_tables_json() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(
        0,
        0,
        0,
        12,
        "2023年临沂市教育局部门预算整体绩效目标表",
        &Format::new(),
    )
    .unwrap();
    official_header(ws, 2);
    write_duties(ws, 5, DutyStyle::Merged);
    // The extension lies: the format is found by content.
    let p = save(&mut wb, dir.path(), "教育局.xls");
    let out = Command::cargo_bin("jixiao")
        .unwrap()
        .arg("import")
        .arg(&p)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["schema"], "jixiao.table/1");
    assert_eq!(v["year"], 2023);
    assert_eq!(v["department"], "临沂市教育局");
    assert_eq!(v["source"]["format"], "xlsx");
    assert_eq!(v["source"]["columns"]["history_source"], "L");
    assert_eq!(v["duties"].as_array().unwrap().len(), 3);
    assert_eq!(v["duties"][1]["seq"], 2);
    assert_eq!(v["duties"][1]["name"], NAME12);
    assert_eq!(v["duties"][2]["indicators"][0]["annual_value"], "11万人次");
    assert_eq!(v["duties"][2]["indicators"][0]["row"], 9);
}

#[test]
fn import_without_a_table_exits_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    wb.add_worksheet()
        .write_string(0, 0, "随便写点什么")
        .unwrap();
    let p = save(&mut wb, dir.path(), "memo.xlsx");
    let a = Command::cargo_bin("jixiao")
        .unwrap()
        .arg("import")
        .arg(&p)
        .assert()
        .code(2);
    let out = a.get_output();
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("memo.xlsx"), "{err}");
    assert!(err.contains("未找到绩效目标表"), "{err}");
}

#[test]
fn import_with_a_missing_sheet_names_the_available_ones() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    official_header(wb.add_worksheet(), 0);
    let p = save(&mut wb, dir.path(), "s.xlsx");
    let a = Command::cargo_bin("jixiao")
        .unwrap()
        .args(["import", "--sheet", "无此表"])
        .arg(&p)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(err.contains("无此表") && err.contains("Sheet1"), "{err}");
}

/// English words clap prints by default; none may reach a clerk.
const ENGLISH: [&str; 9] = [
    "Usage",
    "Options",
    "Commands",
    "Arguments",
    "Print help",
    "Print version",
    "[default",
    "error:",
    "For more information",
];

#[test]
fn help_is_in_chinese() {
    for args in [
        vec!["--help"],
        vec!["-h"],
        vec!["import", "--help"],
        vec!["validate", "--help"],
        vec!["diff", "--help"],
        vec!["template", "--help"],
        vec!["restyle", "--help"],
        vec!["collect", "--help"],
    ] {
        let out = Command::cargo_bin("jixiao")
            .unwrap()
            .args(&args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("用法："), "{args:?}: {text}");
        assert!(text.contains("选项"), "{args:?}: {text}");
        for word in ENGLISH {
            assert!(!text.contains(word), "{args:?} prints {word:?}: {text}");
        }
    }
    let top = Command::cargo_bin("jixiao")
        .unwrap()
        .arg("--help")
        .output()
        .unwrap();
    let top = String::from_utf8(top.stdout).unwrap();
    assert!(top.contains("命令"), "{top}");
    let import = Command::cargo_bin("jixiao")
        .unwrap()
        .args(["import", "--help"])
        .output()
        .unwrap();
    let import = String::from_utf8(import.stdout).unwrap();
    // Option names stay.
    for option in [
        "--sheet",
        "--template",
        "--table",
        "--all",
        "--output",
        "--force",
    ] {
        assert!(import.contains(option), "{import}");
    }
}

#[test]
fn usage_errors_are_one_chinese_line() {
    for (args, want) in [
        (vec!["import", "x.xlsx", "--frobnicate"], "--frobnicate"),
        (vec!["--frobnicate"], "--frobnicate"),
        (vec!["frob"], "frob"),
        (vec!["import"], "缺少"),
        (vec!["import", "x.xlsx", "--table", "abc"], "abc"),
        (vec!["import", "x.xlsx", "--table", "1", "--all"], "--all"),
    ] {
        let out = Command::cargo_bin("jixiao")
            .unwrap()
            .args(&args)
            .assert()
            .code(2)
            .get_output()
            .clone();
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("jixiao: "), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert!(err.contains("--help"), "{args:?}: {err}");
        for word in ENGLISH {
            assert!(!err.contains(word), "{args:?} prints {word:?}: {err}");
        }
        assert!(!err.contains("unexpected"), "{err}");
    }
}
