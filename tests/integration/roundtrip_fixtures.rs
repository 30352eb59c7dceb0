//! `import(restyle(x)) == import(x)` for every committed fixture and example,
//! through the binary: title, year, department, the form, every group and
//! indicator field (`parsed` included) and the extras (sheet, cell, text,
//! kind); for a workbook of several tables (project examples), every table.
//! Only row numbers and `source` may differ (the official layout moves rows).
//! Restyling the restyled workbook again changes nothing at all (rows included).

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Every workbook under `examples/`, `tests/fixtures/` and
/// `tests/fixtures/project/` must be listed here.
const WORKBOOKS: [&str; 22] = [
    "examples/linyi-education-2022.xlsx",
    "examples/linyi-education-2023.xlsx",
    "tests/fixtures/lo-2023.xls",
    "tests/fixtures/lo-2023.ods",
    "tests/fixtures/lo-formulas.xlsx",
    "tests/fixtures/openpyxl-drift.xlsx",
    "tests/fixtures/openpyxl-repeated.xlsx",
    "tests/fixtures/openpyxl-filled-template.xlsx",
    "examples/linyi-education-projects-2023.xlsx",
    "examples/linyi-education-projects-2024.xlsx",
    "tests/fixtures/project/lo-project.xlsx",
    "tests/fixtures/project/lo-project.xls",
    "tests/fixtures/project/lo-project.ods",
    "tests/fixtures/project/openpyxl-project-2021.xlsx",
    "tests/fixtures/project/openpyxl-project-drift.xlsx",
    "tests/fixtures/project/openpyxl-project-stacked.xlsx",
    "tests/fixtures/openpyxl-lost.xlsx",
    "tests/fixtures/excel-style.xlsx",
    "tests/fixtures/cross-openpyxl.xlsx",
    "tests/fixtures/cross-lo.xlsx",
    "tests/fixtures/cross-lo.xls",
    "tests/fixtures/cross-lo.ods",
];

/// Every table of a workbook (`import --all`).
fn import_all(path: &Path) -> Value {
    let out = Command::cargo_bin("jixiao")
        .unwrap()
        .arg("import")
        .arg("--all")
        .arg(path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn import(path: &Path) -> Value {
    let out = Command::cargo_bin("jixiao")
        .unwrap()
        .arg("import")
        .arg(path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn restyle(input: &Path, output: &Path) {
    Command::cargo_bin("jixiao")
        .unwrap()
        .arg("restyle")
        .arg(input)
        .arg("-o")
        .arg(output)
        .assert()
        .success();
    assert!(output.is_file(), "{} not written", output.display());
}

/// The key listing a table's groups (`duties`, `categories`).
fn groups_key(t: &Value) -> &'static str {
    if t.get("duties").is_some() {
        "duties"
    } else {
        "categories"
    }
}

/// The table without `source` and without row numbers (`duties[].rows`,
/// `categories[].rows`, `indicators[].row`): what must survive a restyle.
fn content(t: &Value) -> Value {
    let mut t = t.clone();
    let key = groups_key(&t);
    let m = t.as_object_mut().unwrap();
    m.remove("source");
    let extras = norm_extras(&m["extras"]);
    m.insert("extras".into(), extras);
    for d in m[key].as_array_mut().unwrap() {
        let d = d.as_object_mut().unwrap();
        d.remove("rows");
        if let Some(inds) = d.get_mut("indicators").and_then(Value::as_array_mut) {
            for i in inds {
                i.as_object_mut().unwrap().remove("row");
            }
        }
    }
    if let Some(inds) = m.get_mut("indicators").and_then(Value::as_array_mut) {
        for i in inds {
            i.as_object_mut().unwrap().remove("row");
        }
    }
    t
}

/// Extras as a restyle keeps them, in a fixed order: an other sheet's cell
/// by its sheet, cell, text and kind (it is written back on its sheet, at its
/// address); a cell of the table's own sheet by its kind and text (the table
/// sheet is renamed, and a footnote moves with the table's last row).
fn norm_extras(extras: &Value) -> Value {
    let mut out: Vec<Value> = extras
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let mut e = e.clone();
            if e["kind"] != "other_sheet" {
                e["sheet"] = Value::Null;
                e["cell"] = Value::Null;
            }
            e
        })
        .collect();
    out.sort_by_key(|e| e.to_string());
    Value::Array(out)
}

/// Paths (`.duties[1].indicators[0].annual_value`) where `a` and `b` differ.
fn differences(path: &str, a: &Value, b: &Value, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                differences(
                    &format!("{path}.{k}"),
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                out.push(format!("{path}: {} items vs {}", x.len(), y.len()));
            }
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                differences(&format!("{path}[{i}]"), p, q, out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} vs {b}")),
        _ => {}
    }
}

/// `restyled` with the title a restyle built for a table read without one
/// taken away again (the official table always has a title row; the year and
/// department it names must still be the original's).
fn without_built_title(restyled: &Value, original: &Value) -> Value {
    let mut r = restyled.clone();
    if original["title"].as_str() == Some("") {
        assert_ne!(r["title"].as_str(), Some(""), "restyle built no title");
        r["title"] = Value::String(String::new());
    }
    r
}

fn assert_same(what: &str, a: &Value, b: &Value) {
    let mut diffs = Vec::new();
    differences("", a, b, &mut diffs);
    assert!(diffs.is_empty(), "{what}:\n{}", diffs.join("\n"));
}

fn round_trip(rel: &str) {
    let input = root().join(rel);
    assert!(input.is_file(), "{rel} missing");
    if import_all(&input)["tables"].as_array().unwrap().len() > 1 {
        return round_trip_all(rel);
    }
    let dir = tempfile::tempdir().unwrap();
    let (once, twice) = (dir.path().join("once.xlsx"), dir.path().join("twice.xlsx"));

    let original = import(&input);
    restyle(&input, &once);
    let restyled = import(&once);
    assert_same(
        &format!("{rel}: import(restyle(x)) vs import(x)"),
        &content(&without_built_title(&restyled, &original)),
        &content(&original),
    );
    // Not vacuous: the fixtures have content, and the extras came back as they were.
    assert!(
        !original[groups_key(&original)]
            .as_array()
            .unwrap()
            .is_empty(),
        "{rel}: no groups"
    );
    assert_eq!(
        norm_extras(&restyled["extras"]),
        norm_extras(&original["extras"]),
        "{rel}: extras (other sheets' sheet, cell; text, kind)"
    );

    // Restyling the restyled workbook is stable, row numbers included.
    restyle(&once, &twice);
    let mut again = import(&twice);
    let mut restyled = restyled;
    for t in [&mut again, &mut restyled] {
        t["source"]["path"] = Value::Null;
    }
    assert_same(
        &format!("{rel}: import(restyle(restyle(x))) vs import(restyle(x))"),
        &again,
        &restyled,
    );
}

/// A workbook of several tables: `import --all` of the restyled workbook has
/// every table of the original, in order, with the same content; the
/// restyled workbook restyles to itself.
fn round_trip_all(rel: &str) {
    let input = root().join(rel);
    let dir = tempfile::tempdir().unwrap();
    let (once, twice) = (dir.path().join("once.xlsx"), dir.path().join("twice.xlsx"));
    let original = import_all(&input);
    restyle(&input, &once);
    let restyled = import_all(&once);
    let tables = |w: &Value| -> Vec<Value> {
        w["tables"]
            .as_array()
            .unwrap()
            .iter()
            .map(content)
            .collect()
    };
    let mut compared = restyled.clone();
    if let (Some(r), Some(o)) = (
        compared["tables"].as_array_mut(),
        original["tables"].as_array(),
    ) {
        for (r, o) in r.iter_mut().zip(o) {
            *r = without_built_title(r, o);
        }
    }
    let (a, b) = (tables(&compared), tables(&original));
    assert_eq!(a.len(), b.len(), "{rel}: tables");
    for (k, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_same(
            &format!("{rel}: table {}: import(restyle(x)) vs import(x)", k + 1),
            x,
            y,
        );
    }
    assert_eq!(
        norm_extras(&restyled["extras"]),
        norm_extras(&original["extras"]),
        "{rel}: the workbook's own extras"
    );
    restyle(&once, &twice);
    let mut again = import_all(&twice);
    let mut restyled = restyled;
    for w in [&mut again, &mut restyled] {
        w["path"] = Value::Null;
        for t in w["tables"].as_array_mut().unwrap() {
            t["source"]["path"] = Value::Null;
        }
    }
    assert_same(
        &format!("{rel}: import(restyle(restyle(x))) vs import(restyle(x))"),
        &again,
        &restyled,
    );
}

#[test]
fn every_workbook_is_covered() {
    let mut found: Vec<String> = Vec::new();
    for dir in ["examples", "tests/fixtures", "tests/fixtures/project"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap() {
            let p: PathBuf = e.unwrap().path();
            let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
            if ["xlsx", "xlsm", "xls", "xlsb", "ods"].contains(&ext) {
                found.push(format!(
                    "{dir}/{}",
                    p.file_name().unwrap().to_str().unwrap()
                ));
            }
        }
    }
    found.sort();
    let mut listed: Vec<String> = WORKBOOKS.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(found, listed, "add new fixtures to WORKBOOKS");
}

#[test]
fn example_2022() {
    round_trip(WORKBOOKS[0]);
}

#[test]
fn example_2023() {
    round_trip(WORKBOOKS[1]);
}

#[test]
fn libreoffice_xls() {
    round_trip(WORKBOOKS[2]);
}

#[test]
fn libreoffice_ods() {
    round_trip(WORKBOOKS[3]);
}

#[test]
fn libreoffice_formulas() {
    round_trip(WORKBOOKS[4]);
}

#[test]
fn openpyxl_drift() {
    round_trip(WORKBOOKS[5]);
}

#[test]
fn openpyxl_repeated() {
    round_trip(WORKBOOKS[6]);
}

#[test]
fn openpyxl_filled_template() {
    round_trip(WORKBOOKS[7]);
}

#[test]
fn project_example_2023() {
    round_trip(WORKBOOKS[8]);
}

#[test]
fn project_example_2024() {
    round_trip(WORKBOOKS[9]);
}

#[test]
fn project_libreoffice_xlsx() {
    round_trip(WORKBOOKS[10]);
}

#[test]
fn project_libreoffice_xls() {
    round_trip(WORKBOOKS[11]);
}

#[test]
fn project_libreoffice_ods() {
    round_trip(WORKBOOKS[12]);
}

#[test]
fn project_2021_scheme() {
    round_trip(WORKBOOKS[13]);
}

#[test]
fn project_drift() {
    round_trip(WORKBOOKS[14]);
}

#[test]
fn project_stacked() {
    round_trip(WORKBOOKS[15]);
}

/// The extras the drift fixture has on another sheet come back with their
/// original sheet and cell, those beside the table and below it on the rows
/// they moved to with the table, all with their kind, and a
/// restyled workbook lists no cell of its own 其他内容 sheet as an extra.
#[test]
fn drift_extras_keep_their_origin() {
    let dir = tempfile::tempdir().unwrap();
    let once = dir.path().join("once.xlsx");
    restyle(&root().join(WORKBOOKS[5]), &once);
    let t = import(&once);
    let extras = t["extras"].as_array().unwrap();
    let kinds: Vec<(&str, &str, &str)> = extras
        .iter()
        .map(|e| {
            (
                e["sheet"].as_str().unwrap(),
                e["cell"].as_str().unwrap(),
                e["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            // Beside the table, on the row of the same indicator (the
            // input's row 8, the restyled table's 7).
            ("绩效目标表", "O7", "stray"),
            // Below the restyled table, as far below its last row as in the input.
            ("绩效目标表", "A17", "footnote"),
            // The 填报说明 sheet is a sheet again, at its addresses.
            ("填报说明", "A1", "other_sheet"),
            ("填报说明", "A2", "other_sheet"),
            ("填报说明", "A3", "other_sheet"),
            ("填报说明", "A4", "other_sheet"),
            // Listed on 其他内容.
            ("绩效目标表", "A2", "unit_line"),
        ]
    );
    assert_eq!(t["department"], "临沂市教育局");
}

/// Extras of every kind with awkward text (a formula-like string, kept line
/// breaks, a listing's own header words, another table sheet's name, the
/// overflow note of a long other sheet) come back as they were, in order,
/// through the library's writer and reader, and stay so on a second restyle.
#[test]
fn awkward_extras_survive_restyle_twice() {
    use jixiao::model::{Extra, ExtraKind};
    use jixiao::read::{read_bytes, read_file, ReadOptions};
    use jixiao::template::Template;
    use jixiao::write::official_workbook;

    let tpl = Template::default_template();
    let opts = ReadOptions {
        sheet: None,
        templates: std::slice::from_ref(&tpl),
    };
    let mut table = read_file(&root().join(WORKBOOKS[1]), &opts).unwrap();
    let e = |sheet: &str, cell: &str, text: &str, kind| Extra {
        sheet: sheet.into(),
        cell: cell.into(),
        text: text.into(),
        kind,
    };
    table.extras = vec![
        e("填报说明", "A1", "原工作表", ExtraKind::OtherSheet),
        e(
            "填报说明",
            "B2",
            "1.本表由各部门（单位）填报，一个职责可设置多个绩效指标，每个指标填写一行。\n2.年度指标值应与部门预算安排相匹配，可量化的指标应填写具体数值。",
            ExtraKind::OtherSheet,
        ),
        e(
            "填报说明",
            "A1001",
            "（另有 5 个非空单元格未复制，自 A1001 起）",
            ExtraKind::OtherSheet,
        ),
        e("其他内容", "A1", "类型", ExtraKind::OtherSheet),
        e("Sheet1", "A2", "填报单位：临沂市教育局", ExtraKind::UnitLine),
        e("Sheet1", "O8", "=HYPERLINK(\"http://example.com\",\"备注\")", ExtraKind::Stray),
        e("Sheet1", "N40", "0.85", ExtraKind::Stray),
        e("Sheet1", "A23", "注：年度指标值为本年度计划达到的目标值。", ExtraKind::Footnote),
    ];
    let once = read_bytes(
        &official_workbook(&[(&table, &tpl)]).unwrap(),
        "once.xlsx",
        &opts,
    )
    .unwrap();
    // The footnote comes back from below the table and the stray in O8 from
    // beside it (on the table's sheet), the rest as listed or from the
    // 填报说明 sheet.
    let kept = |x: &[Extra]| -> Vec<(String, String, String, ExtraKind)> {
        let mut v: Vec<_> = x
            .iter()
            .map(|e| {
                let (sheet, cell) = if e.kind != ExtraKind::OtherSheet {
                    (String::new(), String::new())
                } else {
                    (e.sheet.clone(), e.cell.clone())
                };
                (sheet, cell, e.text.clone(), e.kind)
            })
            .collect();
        v.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
        v
    };
    assert_eq!(kept(&once.extras), kept(&table.extras));
    let foot = once.extras.iter().find(|e| e.kind == ExtraKind::Footnote);
    assert_eq!(foot.map(|e| e.sheet.as_str()), Some("绩效目标表"));
    let beside = once
        .extras
        .iter()
        .find(|e| e.text.starts_with("=HYPERLINK"));
    assert_eq!(beside.map(|e| e.sheet.as_str()), Some("绩效目标表"));
    let listed = once.extras.iter().find(|e| e.text == "0.85");
    assert_eq!(
        listed.map(|e| (e.sheet.as_str(), e.cell.as_str())),
        Some(("Sheet1", "N40"))
    );
    assert_eq!(once.department.as_deref(), Some("临沂市教育局"));
    let twice = read_bytes(
        &official_workbook(&[(&once, &tpl)]).unwrap(),
        "twice.xlsx",
        &opts,
    )
    .unwrap();
    assert_eq!(twice.extras, once.extras);
    assert_eq!(twice.groups, once.groups);
}

/// A workbook of several tables through the library: every table and the
/// workbook's own extras (a 填报说明 sheet) come back from the restyled
/// workbook (`official_workbook_with_extras`), twice.
fn library_round_trip_all(rel: &str) {
    use jixiao::read::{read_workbook, read_workbook_bytes, ReadOptions};
    use jixiao::template::Template;
    use jixiao::write::official_workbook_with_extras;

    let templates = Template::builtins();
    let opts = ReadOptions {
        sheet: None,
        templates: &templates,
    };
    let restyle = |wb: &jixiao::model::Workbook| {
        let items: Vec<(&jixiao::model::Table, &Template)> = wb
            .tables
            .iter()
            .map(|t| (t, templates.iter().find(|x| x.id == t.template).unwrap()))
            .collect();
        official_workbook_with_extras(&items, &wb.extras).unwrap()
    };
    let original = read_workbook(&root().join(rel), &opts).unwrap();
    let once = read_workbook_bytes(&restyle(&original), "once.xlsx", &opts).unwrap();
    let json = |wb: &jixiao::model::Workbook| -> (Vec<Value>, Value) {
        let v = serde_json::to_value(wb).unwrap();
        let tables = v["tables"]
            .as_array()
            .unwrap()
            .iter()
            .map(content)
            .collect();
        (tables, v["extras"].clone())
    };
    let (a, ax) = json(&once);
    let (b, bx) = json(&original);
    assert_eq!(a.len(), b.len(), "{rel}: tables");
    for (k, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_same(&format!("{rel}: table {}", k + 1), x, y);
    }
    assert_eq!(ax, bx, "{rel}: the workbook's own extras");
    let twice = read_workbook_bytes(&restyle(&once), "twice.xlsx", &opts).unwrap();
    let mut t2 = serde_json::to_value(&twice).unwrap();
    let mut t1 = serde_json::to_value(&once).unwrap();
    for w in [&mut t1, &mut t2] {
        w["path"] = Value::Null;
        for t in w["tables"].as_array_mut().unwrap() {
            t["source"]["path"] = Value::Null;
        }
    }
    assert_same(&format!("{rel}: restyled twice"), &t2, &t1);
}

#[test]
fn project_examples_through_the_library() {
    library_round_trip_all(WORKBOOKS[8]);
    library_round_trip_all(WORKBOOKS[9]);
}

#[test]
fn project_stacked_through_the_library() {
    library_round_trip_all(WORKBOOKS[15]);
}

/// Every row of a sheet of an xlsx, as text (empty cells as "").
fn sheet_rows(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::{open_workbook_auto, Data, Reader};
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// Two blocks of one sheet restyled: every row of 其他内容 names the sheet
/// its table was written to (所属表), and each table reads its own extras
/// back, not the other block's; a workbook of one table keeps the four
/// columns it always had.
#[test]
fn stacked_blocks_each_get_their_own_extras() {
    let dir = tempfile::tempdir().unwrap();
    let once = dir.path().join("once.xlsx");
    restyle(&root().join(WORKBOOKS[15]), &once);
    let rows = sheet_rows(&once, "其他内容");
    assert_eq!(rows[0], ["原工作表", "原单元格", "内容", "类型", "所属表"]);
    // The footnotes are below their own tables now, not listed.
    assert!(rows.iter().all(|r| r[3] != "表下注释"), "{rows:#?}");
    let w = import_all(&once);
    let tables = w["tables"].as_array().unwrap();
    let sheets: Vec<&str> = tables
        .iter()
        .map(|t| t["source"]["sheet"].as_str().unwrap())
        .collect();
    assert_eq!(sheets, ["项目绩效目标", "项目绩效目标 (2)", "中职学校"]);
    let of = |k: usize| -> Vec<(String, String, String)> {
        tables[k]["extras"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["sheet"].as_str().unwrap().to_string(),
                    e["text"].as_str().unwrap().to_string(),
                    e["kind"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let has = |k: usize, sheet: &str, text: &str, kind: &str| {
        of(k).contains(&(sheet.into(), text.into(), kind.into()))
    };
    assert!(
        has(0, "项目绩效目标", "金额单位：万元", "unit_line"),
        "{:?}",
        of(0)
    );
    assert!(
        has(
            0,
            "项目绩效目标",
            "填报人：孙伟 联系电话：0539-8234567",
            "footnote"
        ),
        "{:?}",
        of(0)
    );
    assert!(
        has(
            1,
            "项目绩效目标 (2)",
            "注：图书采购按政府采购程序执行。",
            "footnote"
        ),
        "the second block's, below its own table: {:?}",
        of(1)
    );
    assert_eq!(of(0).len(), 2);
    assert_eq!(of(1).len(), 2);
    assert_eq!(of(2).len(), 1);
    assert_eq!(w["extras"], serde_json::json!([]));

    // One table: the listing has no 所属表.
    let single = dir.path().join("single.xlsx");
    restyle(&root().join(WORKBOOKS[5]), &single);
    assert_eq!(
        sheet_rows(&single, "其他内容")[0],
        ["原工作表", "原单元格", "内容", "类型"]
    );
}

/// A workbook of several tables restyled before 所属表 existed (four
/// columns, extras deduplicated) reads back as it always did: each extra
/// goes to the one table of the sheet it names, the workbook keeps the rest.
#[test]
fn a_listing_without_the_table_column_reads_as_before() {
    use jixiao::read::{read_workbook, read_workbook_bytes, ReadOptions};
    use jixiao::template::Template;
    use jixiao::write::{all_extras, write_extras_sheet, write_table_sheet, Styles};

    let templates = Template::builtins();
    let opts = ReadOptions {
        sheet: None,
        templates: &templates,
    };
    let original = read_workbook(&root().join(WORKBOOKS[8]), &opts).unwrap();
    assert!(original.tables.len() > 1 && !original.extras.is_empty());
    let styles = Styles::official();
    let mut wb = rust_xlsxwriter::Workbook::new();
    for t in &original.tables {
        let tpl = templates.iter().find(|x| x.id == t.template).unwrap();
        let ws = wb.add_worksheet();
        ws.set_name(&t.source.sheet).unwrap();
        write_table_sheet(ws, t, tpl, &[], &styles).unwrap();
    }
    let tables: Vec<&jixiao::model::Table> = original.tables.iter().collect();
    let ws = wb.add_worksheet();
    ws.set_name("其他内容").unwrap();
    write_extras_sheet(ws, &all_extras(&tables, &original.extras), &styles).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let back = read_workbook_bytes(&bytes, "old.xlsx", &opts).unwrap();
    let json = |wb: &jixiao::model::Workbook| serde_json::to_value(wb).unwrap();
    let (a, b) = (json(&back), json(&original));
    assert_eq!(a["tables"].as_array().unwrap().len(), tables.len());
    for (k, (x, y)) in a["tables"]
        .as_array()
        .unwrap()
        .iter()
        .zip(b["tables"].as_array().unwrap())
        .enumerate()
    {
        assert_same(&format!("table {}", k + 1), &content(x), &content(y));
    }
    assert_eq!(a["extras"], b["extras"]);
}

/// `validate -o` of a workbook of several tables lists the workbook's own
/// extras (its 填报说明 sheet) on the marked workbook's 其他内容 sheet.
#[test]
fn marked_workbook_keeps_the_workbooks_own_extras() {
    let dir = tempfile::tempdir().unwrap();
    let marked = dir.path().join("marked.xlsx");
    let input = root().join(WORKBOOKS[8]);
    let out = Command::cargo_bin("jixiao")
        .unwrap()
        .arg("validate")
        .arg(&input)
        .arg("-o")
        .arg(&marked)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let own = import_all(&input)["extras"].clone();
    let own = own.as_array().unwrap();
    assert!(!own.is_empty());
    let rows = sheet_rows(&marked, "其他内容");
    for e in own {
        assert!(
            rows.iter().any(|r| r.len() >= 3
                && r[0] == e["sheet"].as_str().unwrap()
                && r[1] == e["cell"].as_str().unwrap()
                && r[2] == e["text"].as_str().unwrap()),
            "{e} not listed: {rows:#?}"
        );
    }
}

#[test]
fn nothing_lost_fixtures() {
    for rel in &WORKBOOKS[16..] {
        round_trip(rel);
    }
}
