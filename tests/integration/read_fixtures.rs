//! The committed fixtures and examples (written by LibreOffice and openpyxl)
//! read to their expected JSON: every expected key must match; `parsed`,
//! `source.path` and `source.header_labels` are not in the expected files.
//! Every fixture is also read with every built-in template (`--template auto`)
//! and checked to account for each of its non-empty cells exactly once.

use jixiao::read::{read_file, read_workbook, unaccounted_cells, ReadOptions};
use jixiao::template::Template;
use serde_json::Value;
use std::path::Path;

/// Footnote/extra texts compare with runs of spaces collapsed: `clean_text`
/// collapses them while the expected files keep the written double spaces
/// (`单位负责人：…  填报人：…`); everything else compares exactly.
fn squash(s: &str) -> String {
    s.split(' ')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks every key of `exp` against `got`, collecting differences with their path.
fn compare(path: &str, got: &Value, exp: &Value, out: &mut Vec<String>) {
    match exp {
        Value::Object(m) => {
            for (k, v) in m {
                compare(&format!("{path}.{k}"), &got[k.as_str()], v, out);
            }
        }
        Value::Array(a) => {
            let g = got.as_array().map(|x| x.len()).unwrap_or(0);
            if g != a.len() {
                out.push(format!("{path}: {g} items, expected {}", a.len()));
            }
            for (i, v) in a.iter().enumerate() {
                compare(&format!("{path}[{i}]"), &got[i], v, out);
            }
        }
        _ => {
            if got != exp {
                out.push(format!("{path}: got {got}, expected {exp}"));
            }
        }
    }
}

/// Sorts a table's extras (order is not significant) and squashes their spaces.
fn normalise_extras(v: &mut Value) {
    if let Some(a) = v["extras"].as_array_mut() {
        for e in a.iter_mut() {
            let t = squash(e["text"].as_str().unwrap_or(""));
            e["text"] = Value::String(t);
        }
        a.sort_by_key(|e| (e["sheet"].to_string(), e["cell"].to_string()));
    }
}

/// Reads `workbook` with `templates` and compares it with `expected`: a
/// table's JSON (`jixiao.table/1`, read as the file's one table) or a
/// workbook's (`jixiao.workbook/1`, every table).
fn check_with(workbook: &str, expected: &str, templates: &[Template]) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (wb, ex) = (root.join(workbook), root.join(expected));
    assert!(
        wb.exists() && ex.exists(),
        "{workbook} or {expected} missing"
    );
    let opts = ReadOptions {
        sheet: None,
        templates,
    };
    let mut exp: Value = serde_json::from_slice(&std::fs::read(&ex).unwrap()).unwrap();
    let mut got = if exp["schema"] == "jixiao.workbook/1" {
        serde_json::to_value(read_workbook(&wb, &opts).unwrap()).unwrap()
    } else {
        serde_json::to_value(read_file(&wb, &opts).unwrap()).unwrap()
    };
    for v in [&mut got, &mut exp] {
        normalise_extras(v);
        if let Some(tables) = v["tables"].as_array_mut() {
            tables.iter_mut().for_each(normalise_extras);
        }
    }
    let mut diffs = Vec::new();
    compare("", &got, &exp, &mut diffs);
    assert!(diffs.is_empty(), "{workbook}:\n{}", diffs.join("\n"));
    let lost = unaccounted_cells(&wb, &opts).unwrap();
    assert!(lost.is_empty(), "{workbook}:\n{}", lost.join("\n"));
}

/// A dept-overall fixture: read with the dept-overall template, and in auto mode.
fn check(workbook: &str, expected: &str) {
    check_with(workbook, expected, &[Template::default_template()]);
    check_with(workbook, expected, &Template::builtins());
}

/// A project-target fixture: read in auto mode, and with the project template named.
fn check_project(workbook: &str, expected: &str) {
    check_with(workbook, expected, &Template::builtins());
    check_with(
        workbook,
        expected,
        &[Template::load("project-target").unwrap()],
    );
}

#[test]
fn libreoffice_xls() {
    check(
        "tests/fixtures/lo-2023.xls",
        "tests/fixtures/lo-2023.xls.expected.json",
    );
}

#[test]
fn libreoffice_ods() {
    check(
        "tests/fixtures/lo-2023.ods",
        "tests/fixtures/lo-2023.ods.expected.json",
    );
}

#[test]
fn libreoffice_formulas() {
    check(
        "tests/fixtures/lo-formulas.xlsx",
        "tests/fixtures/lo-formulas.expected.json",
    );
}

#[test]
fn openpyxl_drift() {
    check(
        "tests/fixtures/openpyxl-drift.xlsx",
        "tests/fixtures/openpyxl-drift.expected.json",
    );
}

#[test]
fn openpyxl_repeated() {
    check(
        "tests/fixtures/openpyxl-repeated.xlsx",
        "tests/fixtures/openpyxl-repeated.expected.json",
    );
}

#[test]
fn examples_2022_and_2023() {
    check(
        "examples/linyi-education-2022.xlsx",
        "examples/linyi-education-2022.expected.json",
    );
    check(
        "examples/linyi-education-2023.xlsx",
        "examples/linyi-education-2023.expected.json",
    );
}

#[test]
fn project_libreoffice_xlsx_xls_and_ods() {
    check_project(
        "tests/fixtures/project/lo-project.xlsx",
        "tests/fixtures/project/lo-project.expected.json",
    );
    check_project(
        "tests/fixtures/project/lo-project.xls",
        "tests/fixtures/project/lo-project.xls.expected.json",
    );
    check_project(
        "tests/fixtures/project/lo-project.ods",
        "tests/fixtures/project/lo-project.ods.expected.json",
    );
}

#[test]
fn project_openpyxl_drift() {
    check_project(
        "tests/fixtures/project/openpyxl-project-drift.xlsx",
        "tests/fixtures/project/openpyxl-project-drift.expected.json",
    );
}

#[test]
fn project_openpyxl_2021_scheme_with_midterm_goal() {
    check_project(
        "tests/fixtures/project/openpyxl-project-2021.xlsx",
        "tests/fixtures/project/openpyxl-project-2021.expected.json",
    );
}

#[test]
fn project_openpyxl_stacked_blocks_and_sheets() {
    check_project(
        "tests/fixtures/project/openpyxl-project-stacked.xlsx",
        "tests/fixtures/project/openpyxl-project-stacked.expected.json",
    );
}

#[test]
fn project_examples_2023_and_2024() {
    check_project(
        "examples/linyi-education-projects-2023.xlsx",
        "examples/linyi-education-projects-2023.expected.json",
    );
    check_project(
        "examples/linyi-education-projects-2024.xlsx",
        "examples/linyi-education-projects-2024.expected.json",
    );
}

/// Regression: a year-prefixed `2024年指标值` dropped its column, a continuation
/// row became an empty indicator, a duty without 职责序号 was glued to the one
/// above and a Chinese date format read as `2023-12-31` (openpyxl-written).
#[test]
fn openpyxl_lost_content_is_kept() {
    check(
        "tests/fixtures/openpyxl-lost.xlsx",
        "tests/fixtures/openpyxl-lost.expected.json",
    );
}

/// OOXML as Excel writes it: rich-text and phonetic runs, a shared formula,
/// an inline string, an error cell, custom formats and the 1904 date system.
#[test]
fn excel_style_ooxml() {
    check(
        "tests/fixtures/excel-style.xlsx",
        "tests/fixtures/excel-style.expected.json",
    );
}

/// One table in four writers' files (openpyxl, LibreOffice .xlsx, .xls, .ods)
/// reads to the same expected JSON: formats shown as displayed everywhere.
#[test]
fn cross_format_files_read_alike() {
    for f in [
        "cross-openpyxl.xlsx",
        "cross-lo.xlsx",
        "cross-lo.xls",
        "cross-lo.ods",
    ] {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut exp: Value =
            serde_json::from_slice(&std::fs::read(root.join("cross.expected.json")).unwrap())
                .unwrap();
        exp["source"]["format"] = Value::String(f.rsplit('.').next().unwrap().to_string());
        let tmp = tempfile::tempdir().unwrap();
        let e = tmp.path().join("expected.json");
        std::fs::write(&e, serde_json::to_vec(&exp).unwrap()).unwrap();
        check(&format!("tests/fixtures/{f}"), e.to_str().unwrap());
    }
}
