//! The blank template and what becomes of it, through the binary:
//! - a fresh template imports as a table with no duties (its header found), not an error;
//! - a template rolled forward from the 2023 example keeps duties, indicator
//!   names, explanations, sources and activities, with every value empty and
//!   the prior year's year tokens (`2023年`) rolled to the new year;
//! - nonsense is refused with exit 2 and one line: a `--year` that is no
//!   four-digit year or not after the prior table's, `--rows 0` with no row
//!   to type into, more spare rows after a rolled table than it gets;
//! - a template filled in by another program (`tests/fixtures/fill_template.py`:
//!   openpyxl typing into the unlocked cells and merging A/B/C) imports to
//!   exactly its expected JSON.

use crate::common::jixiao;
use serde_json::Value;
use std::path::Path;

const DEPT: &str = "临沂市教育局";
const TITLE_2024: &str = "2024年临沂市教育局部门预算整体绩效目标表";
/// The value fields, emptied when a template is rolled forward.
const VALUES: [&str; 5] = [
    "annual_value",
    "planned_value",
    "standard_value",
    "history_avg3",
    "history_last",
];
/// The indicator fields a rolled-forward template keeps.
const KEPT: [&str; 5] = [
    "name",
    "explanation",
    "standard_source",
    "history_source",
    "activities",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn import(path: &Path) -> Value {
    let out = jixiao()
        .arg("import")
        .arg(path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn template(out: &Path, from: Option<&Path>) {
    let mut cmd = jixiao();
    cmd.args(["template", "--year", "2024", "--department", DEPT, "-o"])
        .arg(out);
    if let Some(prior) = from {
        cmd.arg("--from").arg(prior);
    }
    cmd.assert().success();
}

fn read_json(rel: &str) -> Value {
    serde_json::from_slice(&std::fs::read(root().join(rel)).unwrap()).unwrap()
}

fn duties(t: &Value) -> &Vec<Value> {
    t["duties"].as_array().unwrap()
}

fn indicators(t: &Value) -> Vec<&Value> {
    duties(t)
        .iter()
        .flat_map(|d| d["indicators"].as_array().unwrap())
        .collect()
}

/// Every key of `exp` against `got` (objects: expected keys; arrays: same
/// length, item by item), collecting differences with their path.
fn compare(path: &str, got: &Value, exp: &Value, out: &mut Vec<String>) {
    match exp {
        Value::Object(m) => {
            for (k, v) in m {
                compare(&format!("{path}.{k}"), &got[k.as_str()], v, out);
            }
        }
        Value::Array(a) => {
            let n = got.as_array().map(|x| x.len()).unwrap_or(0);
            if n != a.len() {
                out.push(format!("{path}: {n} items, expected {}", a.len()));
            }
            for (i, v) in a.iter().enumerate() {
                compare(&format!("{path}[{i}]"), &got[i], v, out);
            }
        }
        _ if got != exp => out.push(format!("{path}: got {got}, expected {exp}")),
        _ => {}
    }
}

#[test]
fn fresh_template_imports_as_a_table_without_duties() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank.xlsx");
    template(&blank, None);
    let t = import(&blank);
    assert_eq!(t["title"], TITLE_2024);
    assert_eq!(t["year"], 2024);
    assert_eq!(t["department"], DEPT);
    assert_eq!(t["source"]["sheet"], "绩效目标表");
    assert_eq!(t["source"]["header_rows"], serde_json::json!([3, 5]));
    assert_eq!(t["source"]["data_rows"], Value::Null);
    assert_eq!(t["source"]["columns"]["activities"], "M");
    assert_eq!(t["duties"], serde_json::json!([]));
    // The template's empty, bordered rows and its input messages are no content.
    assert_eq!(t["extras"], serde_json::json!([]));
}

#[test]
fn rolled_forward_template_keeps_the_texts_and_empties_the_values() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("x.xlsx");
    let prior = root().join("examples/linyi-education-2023.xlsx");
    template(&blank, Some(&prior));
    let t = import(&blank);
    let p = import(&prior);
    assert_eq!(t["title"], TITLE_2024);
    assert_eq!(t["year"], 2024);
    assert_eq!(t["department"], DEPT);
    // The footnote and signature rows stay below the table (issue 12 item 3):
    // the same texts, still footnotes of the table's sheet.
    let footnotes = |v: &Value| -> Vec<String> {
        v["extras"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "footnote")
            .map(|e| e["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(footnotes(&t), footnotes(&p));
    assert_eq!(footnotes(&t).len(), 2, "注 and the signature line");
    assert!(
        t["extras"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["kind"] == "footnote"),
        "{}",
        t["extras"]
    );

    assert_eq!(duties(&t).len(), duties(&p).len());
    for (d, e) in duties(&t).iter().zip(duties(&p)) {
        for k in ["seq", "name", "objective"] {
            assert_eq!(d[k], e[k], "duty {}: {k}", e["seq"]);
        }
        assert_eq!(
            d["indicators"].as_array().unwrap().len(),
            e["indicators"].as_array().unwrap().len(),
            "duty {}: indicators",
            e["seq"]
        );
    }
    let (got, was) = (indicators(&t), indicators(&p));
    assert_eq!(got.len(), 16);
    for (i, e) in got.iter().zip(&was) {
        for k in KEPT {
            // Kept, with last year's year tokens rolled (the example has no ranges).
            let rolled = e[k].as_str().unwrap().replace("2023年", "2024年");
            assert_eq!(i[k], rolled.as_str(), "{}: {k}", e["name"]);
        }
        for k in VALUES {
            assert_eq!(i[k], "", "{}: {k} must be empty", e["name"]);
        }
        assert_eq!(i["parsed"], serde_json::json!({}), "{}", e["name"]);
    }
    // The 2023 example itself is what the rolled-forward texts come from.
    let exp = read_json("examples/linyi-education-2023.expected.json");
    assert_eq!(
        got.iter().map(|i| i["name"].clone()).collect::<Vec<_>>(),
        indicators(&exp)
            .iter()
            .map(|i| Value::from(i["name"].as_str().unwrap().replace("2023年", "2024年")))
            .collect::<Vec<_>>()
    );
}

#[test]
fn rolled_forward_template_rolls_last_years_year_tokens_only() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("x.xlsx");
    template(
        &blank,
        Some(&root().join("examples/linyi-education-2023.xlsx")),
    );
    let t = import(&blank);
    let got = indicators(&t);
    let name = |s: &str| got.iter().any(|i| i["name"] == s);
    assert!(name("国际交流与合作办学2024年继续招生计划人次"));
    assert!(!name("国际交流与合作办学2023年继续招生计划人次"));
    // Other years (a history in 工作活动) are left alone.
    assert!(got.iter().any(|i| {
        let e = i["activities"].as_str().unwrap();
        e.contains("临沂一中于2013年、临沂四中于2012年获得")
    }));
}

/// `jixiao template ARGS… -o OUT`: the exit code, stderr, and whether OUT was written.
fn refused(args: &[&str]) -> (Option<i32>, String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let o = jixiao()
        .arg("template")
        .args(args)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    (o.status.code(), err, out.exists())
}

fn assert_refused(args: &[&str], says: &str) {
    let (code, err, written) = refused(args);
    assert_eq!(code, Some(2), "{args:?}: {err}");
    assert!(!written, "{args:?}: nothing is written");
    assert_eq!(err.lines().count(), 1, "{args:?}: one line: {err}");
    assert!(err.contains(says), "{args:?}: {err}");
}

#[test]
fn year_must_be_a_four_digit_year_of_this_century() {
    for bad in ["24", "02024", "1999", "2100", "二〇二四"] {
        assert_refused(&["--year", bad, "--department", DEPT], "四位年份");
    }
    let (code, err, written) = refused(&["--year", "2099", "--department", DEPT]);
    assert_eq!((code, written), (Some(0), true), "{err}");
}

#[test]
fn year_must_come_after_the_prior_tables_year() {
    let prior = root().join("examples/linyi-education-2023.xlsx");
    let prior = prior.to_str().unwrap();
    for year in ["2022", "2023"] {
        let args = ["--year", year, "--department", DEPT, "--from", prior];
        assert_refused(&args, "不晚于上年表的年份 2023");
        assert_refused(&args, prior);
    }
    // A later year than the next one is accepted, and its tokens roll to it.
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("x.xlsx");
    jixiao()
        .args([
            "template",
            "--year",
            "2026",
            "--department",
            DEPT,
            "--from",
            prior,
            "-o",
        ])
        .arg(&blank)
        .assert()
        .success();
    let t = import(&blank);
    assert_eq!(t["year"], 2026);
    assert!(indicators(&t)
        .iter()
        .any(|i| i["name"] == "国际交流与合作办学2026年继续招生计划人次"));
}

/// The last row the blank template's sheet writes (bordered spare rows included).
fn last_row(path: &Path) -> u32 {
    let xml = crate::xlsx_xml::unzip(&std::fs::read(path).unwrap(), "xl/worksheets/sheet1.xml");
    xml.match_indices("<row r=\"")
        .map(|(at, m)| {
            let rest = &xml[at + m.len()..];
            rest[..rest.find('"').unwrap()].parse::<u32>().unwrap()
        })
        .max()
        .unwrap()
}

#[test]
fn rows_leave_a_row_to_type_into_and_are_never_silently_capped() {
    assert_refused(
        &["--year", "2024", "--department", DEPT, "--rows", "0"],
        "--rows 0",
    );
    assert_refused(
        &["--year", "2024", "--department", DEPT, "--rows", "x"],
        "--rows",
    );
    let prior = root().join("examples/linyi-education-2023.xlsx");
    let prior = prior.to_str().unwrap();
    let from = ["--year", "2024", "--department", DEPT, "--from", prior];
    // More spare rows than a rolled template gets: refused, not capped.
    assert_refused(&[&from[..], &["--rows", "10"]].concat(), "最多留 5 行空行");

    // 0 to 5 spare rows after the rolled rows, as asked (default 5).
    let dir = tempfile::tempdir().unwrap();
    let rolled = |rows: Option<&str>| {
        let out = dir.path().join(format!("{rows:?}.xlsx"));
        let mut cmd = jixiao();
        cmd.arg("template").args(from);
        if let Some(n) = rows {
            cmd.args(["--rows", n]);
        }
        cmd.arg("-o").arg(&out).assert().success();
        last_row(&out)
    };
    let all = rolled(None);
    assert_eq!(rolled(Some("5")), all);
    assert_eq!(rolled(Some("3")), all - 2);
    assert_eq!(rolled(Some("0")), all - 5);
    // The rolled rows themselves are still there with no spare row.
    let out = dir.path().join("Some(\"0\").xlsx");
    assert_eq!(indicators(&import(&out)).len(), 16);
}

#[test]
fn template_filled_by_openpyxl_reads_to_its_expected_json() {
    let wb = root().join("tests/fixtures/openpyxl-filled-template.xlsx");
    let exp = read_json("tests/fixtures/openpyxl-filled-template.expected.json");
    let got = import(&wb);
    let mut diffs = Vec::new();
    compare("", &got, &exp, &mut diffs);
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));

    // What the fill did, spelled out (the expected file says the same).
    assert_eq!(got["title"], TITLE_2024);
    assert_eq!(got["source"]["data_rows"], serde_json::json!([6, 13]));
    let names: Vec<&str> = duties(&got)
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    // B merged over duties 1–2: both carry the shared 部门职责.
    assert_eq!(
        names,
        [
            "教育改革发展政策",
            "教育改革发展政策",
            "统筹规划教师队伍建设",
            "就业指导与资格认定"
        ]
    );
    let rows: Vec<&Value> = duties(&got).iter().map(|d| &d["rows"]).collect();
    assert_eq!(
        rows,
        [
            &serde_json::json!([6, 7]),
            &serde_json::json!([8, 8]),
            &serde_json::json!([9, 11]),
            &serde_json::json!([12, 13])
        ]
    );
    let ind = indicators(&got);
    // 0.9 typed with a 0% format.
    assert_eq!(ind[1]["annual_value"], "90%");
    assert_eq!(ind[1]["parsed"]["annual_value"]["number"], 90);
    assert_eq!(ind[1]["parsed"]["annual_value"]["unit"], "%");
    // Alt+Enter: kept between items of 工作活动, dropped inside a short 来源.
    assert_eq!(
        ind[3]["activities"].as_str().unwrap().lines().count(),
        3,
        "{}",
        ind[3]["activities"]
    );
    assert_eq!(ind[3]["history_source"], "内部统计");
    // A bare number in a cell the template formatted as text.
    assert_eq!(ind[6]["history_avg3"], "2846");
    assert_eq!(ind[7]["annual_value"], "100%");
    assert_eq!(ind[7]["history_last"], "99.12%");
    // The signature typed into a spare row.
    assert_eq!(got["extras"].as_array().unwrap().len(), 1);
    assert_eq!(got["extras"][0]["cell"], "A15");
    assert_eq!(got["extras"][0]["kind"], "footnote");
}
