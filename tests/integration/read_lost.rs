//! Nothing lost, end to end: what validate and diff say about the fixtures of
//! `tests/fixtures/make_lost.py`, and an over-long cell built in code.

use jixiao::diff::diff;
use jixiao::read::{read_file, unaccounted_cells, ReadOptions};
use jixiao::template::Template;
use jixiao::validate::{validate, Code, Severity};
use jixiao::Table;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(path: &Path) -> Table {
    let templates = Template::builtins();
    let opts = ReadOptions {
        sheet: None,
        templates: &templates,
    };
    read_file(path, &opts).unwrap()
}

/// (code, cell) of every finding.
fn findings(t: &Table) -> Vec<(Code, String, Severity)> {
    validate(t, &Template::default_template(), None)
        .issues
        .into_iter()
        .map(|f| (f.code, f.cell, f.severity))
        .collect()
}

/// Regression: the continuation row M13 gave false `missing_value` errors on
/// an empty indicator, and the duty without 职责序号 passed validation.
#[test]
fn lost_content_is_reported_where_it_sits() {
    let t = read(&fixture("openpyxl-lost.xlsx"));
    let f = findings(&t);
    let missing: Vec<&(Code, String, Severity)> =
        f.iter().filter(|x| x.0 == Code::MissingValue).collect();
    assert_eq!(
        missing,
        vec![&(Code::MissingValue, "A9".to_string(), Severity::Error)],
        "{f:?}"
    );
    for cell in ["N3", "N6", "N8", "M13"] {
        assert!(
            f.iter()
                .any(|x| x.0 == Code::UnmappedContent && x.1 == cell),
            "no unmapped_content at {cell}: {f:?}"
        );
    }
    // The year-prefixed header maps: no header_mismatch, and F holds the targets.
    assert!(!f.iter().any(|x| x.0 == Code::HeaderMismatch), "{f:?}");
    assert_eq!(
        t.source.columns.get("annual_value").map(String::as_str),
        Some("F")
    );
    assert_eq!(t.groups.len(), 3);
}

/// The same table in four writers' files: every pairwise diff is empty.
#[test]
fn cross_format_diffs_are_empty() {
    let files = [
        "cross-openpyxl.xlsx",
        "cross-lo.xlsx",
        "cross-lo.xls",
        "cross-lo.ods",
    ];
    let tables: Vec<Table> = files.iter().map(|f| read(&fixture(f))).collect();
    for (i, a) in tables.iter().enumerate() {
        for (j, b) in tables.iter().enumerate().skip(i + 1) {
            let r = diff(a, b);
            assert!(
                r.changes.is_empty(),
                "{} vs {}: {:?}",
                files[i],
                files[j],
                r.changes.iter().map(|c| c.describe()).collect::<Vec<_>>()
            );
        }
    }
}

/// `excel-style.xlsx` with its cell E6 replaced by an inline string of
/// `chars` characters (a writer that ignores Excel's limit).
fn with_long_cell(dir: &Path, chars: usize) -> PathBuf {
    let src = std::fs::read(fixture("excel-style.xlsx")).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(src)).unwrap();
    let out = dir.join(format!("long-{chars}.xlsx"));
    let mut zout = zip::ZipWriter::new(std::fs::File::create(&out).unwrap());
    for k in 0..zin.len() {
        let mut e = zin.by_index(k).unwrap();
        let name = e.name().unwrap().to_string();
        let mut body = String::new();
        e.read_to_string(&mut body).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let a = body.find(r#"<c r="E6""#).unwrap();
            let b = a + body[a..].find("</c>").unwrap() + 4;
            let long = "长".repeat(chars);
            body = format!(
                r#"{}<c r="E6" t="inlineStr"><is><t>{long}</t></is></c>{}"#,
                &body[..a],
                &body[b..]
            );
        }
        zout.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zout.write_all(body.as_bytes()).unwrap();
    }
    zout.finish().unwrap();
    out
}

/// Regression: a cell longer than a workbook cell holds was cut at 32,767
/// characters without a word; now `cell_truncated` names the cell.
#[test]
fn an_over_long_cell_is_cut_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let t = read(&with_long_cell(dir.path(), 40_000));
    assert_eq!(t.groups[0].indicators[0].values[1].chars().count(), 32_767);
    assert_eq!(t.source.truncated_cells, vec!["E6".to_string()]);
    let f = findings(&t);
    assert!(
        f.contains(&(Code::CellTruncated, "E6".into(), Severity::Warning)),
        "{f:?}"
    );
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["source"]["truncated_cells"][0], "E6");

    // Exactly at the limit: nothing cut, nothing said.
    let t = read(&with_long_cell(dir.path(), 32_767));
    assert!(t.source.truncated_cells.is_empty());
    assert!(!findings(&t).iter().any(|x| x.0 == Code::CellTruncated));
    let templates = Template::builtins();
    let opts = ReadOptions {
        sheet: None,
        templates: &templates,
    };
    assert!(
        unaccounted_cells(&with_long_cell(dir.path(), 40_000), &opts)
            .unwrap()
            .is_empty()
    );
}
