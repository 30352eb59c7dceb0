//! `import --format csv` and `diff --format daff`: daff's own `patch` turns last year's CSV into this year's.

use crate::common::{example, jixiao};
use std::path::{Path, PathBuf};

/// The daff CLI of e2e/node_modules; `None` (skip) when absent locally,
/// a failure under CI.
fn daff_bin() -> Option<PathBuf> {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("e2e/node_modules/.bin/daff");
    if bin.exists() {
        return Some(bin);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "daff is missing under CI: run (cd e2e && npm ci)"
    );
    eprintln!(
        "skipped: {} is absent; run (cd e2e && npm ci)",
        bin.display()
    );
    None
}

/// CSV text as rows (RFC 4180, a leading byte order mark dropped).
fn parse(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut any) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        any = true;
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
                any = false;
            }
            (false, c) => cell.push(c),
        }
    }
    if any {
        row.push(cell);
        rows.push(row);
    }
    rows
}

fn read(path: &Path) -> Vec<Vec<String>> {
    parse(&std::fs::read_to_string(path).unwrap())
}

fn import_csv(file: &Path, sheet: Option<&str>, out: &Path) {
    let mut cmd = jixiao();
    cmd.arg("import")
        .arg(file)
        .args(["--format", "csv", "-o"])
        .arg(out);
    if let Some(s) = sheet {
        cmd.args(["--sheet", s]);
    }
    cmd.assert().success();
}

fn daff_diff(last: &Path, this: &Path, sheet: Option<&str>, out: &Path) {
    let mut cmd = jixiao();
    cmd.arg("diff")
        .arg(last)
        .arg(this)
        .args(["--format", "daff", "-o"])
        .arg(out);
    if let Some(s) = sheet {
        cmd.args(["--sheet", s]);
    }
    cmd.assert().success();
}

/// Imports both years, diffs them as daff, patches last year's CSV with
/// daff and checks it reads as this year's.
fn patch_round_trip(last: &str, this: &str, sheet: Option<&str>) {
    let Some(daff) = daff_bin() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (l, t, c, p) = (
        dir.path().join("last.csv"),
        dir.path().join("this.csv"),
        dir.path().join("changes.csv"),
        dir.path().join("patched.csv"),
    );
    import_csv(&example(last), sheet, &l);
    import_csv(&example(this), sheet, &t);
    daff_diff(&example(last), &example(this), sheet, &c);
    let out = std::process::Command::new(&daff)
        .arg("patch")
        .arg("--output")
        .arg(&p)
        .arg(&l)
        .arg(&c)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "daff patch failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (patched, expected) = (read(&p), read(&t));
    assert!(expected.len() > 1, "{this}: no rows");
    assert_eq!(patched, expected, "{this} {sheet:?}: patched ≠ this year");
}

#[test]
fn daff_patch_turns_last_years_dept_csv_into_this_years() {
    patch_round_trip(
        "linyi-education-2022.xlsx",
        "linyi-education-2023.xlsx",
        None,
    );
}

#[test]
fn daff_patch_turns_last_years_project_csvs_into_this_years() {
    for sheet in ["临沂一中", "教师发展中心", "学生资助中心"] {
        patch_round_trip(
            "linyi-education-projects-2023.xlsx",
            "linyi-education-projects-2024.xlsx",
            Some(sheet),
        );
    }
}

#[test]
fn csv_header_of_both_templates() {
    let dir = tempfile::tempdir().unwrap();
    let mut headers = Vec::new();
    for (file, sheet) in [
        ("linyi-education-2023.xlsx", None),
        ("linyi-education-projects-2024.xlsx", Some("临沂一中")),
    ] {
        let out = dir.path().join("t.csv");
        import_csv(&example(file), sheet, &out);
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "{file}: no BOM");
        headers.push(read(&out).swap_remove(0).join(","));
    }
    insta::assert_snapshot!(headers.join("\n"));
}

#[test]
fn daff_output_of_the_dept_examples() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("changes.csv");
    daff_diff(
        &example("linyi-education-2022.xlsx"),
        &example("linyi-education-2023.xlsx"),
        None,
        &out,
    );
    let rows = read(&out);
    assert_eq!(rows[0][0], "@@");
    // Every action is one of daff's, and a renamed indicator is one `->` row.
    for r in &rows[1..] {
        assert!(["", "->", "+++", "---"].contains(&r[0].as_str()), "{r:?}");
    }
    insta::assert_snapshot!(std::fs::read_to_string(&out).unwrap());
}

#[test]
fn csv_with_all_and_daff_without_output_are_refused() {
    let a = jixiao()
        .arg("import")
        .arg(example("linyi-education-projects-2023.xlsx"))
        .args(["--all", "--format", "csv"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--all"), "{err}");
    let a = jixiao()
        .arg("diff")
        .arg(example("linyi-education-projects-2023.xlsx"))
        .arg(example("linyi-education-projects-2024.xlsx"))
        .args(["--format", "daff", "-o", "-"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("linyi-education-projects-2024.xlsx"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("坏.xlsx");
    std::fs::write(&bad, b"not a workbook").unwrap();
    let a = jixiao()
        .arg("import")
        .arg(&bad)
        .args(["--format", "csv"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("坏.xlsx"), "{err}");
}
