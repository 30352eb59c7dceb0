//! The committed fixtures and examples (written by LibreOffice and openpyxl)
//! read to their expected JSON: every expected key must match; `parsed`,
//! `source.path` and `source.header_labels` are not in the expected files.

use jixiao::read::{read_file, ReadOptions};
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

fn check(workbook: &str, expected: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (wb, ex) = (root.join(workbook), root.join(expected));
    assert!(
        wb.exists() && ex.exists(),
        "{workbook} or {expected} missing"
    );
    let t = Template::default_template();
    let table = read_file(
        &wb,
        &ReadOptions {
            sheet: None,
            template: &t,
        },
    )
    .unwrap();
    let mut got = serde_json::to_value(&table).unwrap();
    let mut exp: Value = serde_json::from_slice(&std::fs::read(&ex).unwrap()).unwrap();
    // Extras: order is not significant, spaces compare squashed.
    for v in [&mut got, &mut exp] {
        if let Some(a) = v["extras"].as_array_mut() {
            for e in a.iter_mut() {
                let t = squash(e["text"].as_str().unwrap_or(""));
                e["text"] = Value::String(t);
            }
            a.sort_by_key(|e| (e["sheet"].to_string(), e["cell"].to_string()));
        }
    }
    let mut diffs = Vec::new();
    compare("", &got, &exp, &mut diffs);
    assert!(diffs.is_empty(), "{workbook}:\n{}", diffs.join("\n"));
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
