//! `jixiao import` through the binary.

mod common;

use assert_cmd::Command;
use common::*;
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
