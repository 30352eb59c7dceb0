//! The planted differences of examples/: the diff of the expected models must
//! be exactly the expected diff facts, in the expected order — linyi-education
//! 2022 → 2023 (部门整体, one table) and linyi-education-projects 2023 → 2024
//! (项目支出, three projects a workbook, paired by project), with rates'
//! deltas in points.
//!
//! It compares models built from the expected JSON (with values parsed by the
//! real parser), so it does not need the reader. The examples must be there:
//! a missing one fails the test.

use jixiao::diff::{diff, diff_workbooks, merge_reports, pair_tables};
use jixiao::model::{Group, Indicator, Role, Source, Table};
use jixiao::quantity::{parse_money, parse_value};
use jixiao::template::Template;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn load(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "the example {} is missing from examples/: {e}",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap()
}

/// A JSON value as the cell text it stands for (`3` → `"3"`, `null` → `""`).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The model a table's JSON (spec/model.md) describes, laid out by its
/// template's shape; values parsed as the reader parses them (money in 元).
fn table_from_json(v: &Value, path: &str) -> Table {
    let template = Template::load(v["template"].as_str().unwrap()).unwrap();
    let shape = template.shape();
    let words = &template.rules.qualitative_words;
    let mut t = Table::new(shape.clone());
    t.title = text(&v["title"]);
    t.year = v["year"].as_i64().map(|y| y as i32);
    t.department = v["department"].as_str().map(str::to_string);
    let mut source = v["source"].clone();
    source["path"] = path.into(); // the expected JSON leaves it out
    t.source = serde_json::from_value::<Source>(source).unwrap();
    if let Some(form) = v.get("form") {
        for (i, spec) in shape.form.iter().enumerate() {
            t.form.values[i] = text(&form[&spec.json]);
        }
        let unit = shape
            .form_role(Role::MoneyUnit)
            .map(|i| t.form.values[i].clone())
            .unwrap_or_default();
        for (i, spec) in shape.form.iter().enumerate() {
            if spec.money {
                if let Some(p) = parse_money(&t.form.values[i], &unit) {
                    t.form.set_parsed(i, p);
                }
            }
        }
    }
    let indicator = |j: &Value| -> Indicator {
        let mut i = Indicator::empty(shape.indicator.len(), j["row"].as_u64().unwrap() as u32);
        for (k, spec) in shape.indicator.iter().enumerate() {
            i.values[k] = text(&j[&spec.json]);
            if spec.value {
                if let Some(p) = parse_value(&i.values[k], words) {
                    i.set_parsed(k, p);
                }
            }
        }
        i
    };
    for g in v[&shape.groups_key].as_array().unwrap() {
        let mut group = Group {
            values: shape.group.iter().map(|f| text(&g[&f.json])).collect(),
            rows: [
                g["rows"][0].as_u64().unwrap() as u32,
                g["rows"][1].as_u64().unwrap() as u32,
            ],
            indicators: Vec::new(),
        };
        if shape.nested {
            group.indicators = g["indicators"]
                .as_array()
                .unwrap()
                .iter()
                .map(indicator)
                .collect();
        }
        t.groups.push(group);
    }
    if !shape.nested {
        // Each indicator of the flat list goes to the category whose rows hold it.
        for j in v["indicators"].as_array().unwrap() {
            let row = j["row"].as_u64().unwrap() as u32;
            let g = t
                .groups
                .iter_mut()
                .find(|g| g.rows[0] <= row && row <= g.rows[1])
                .unwrap_or_else(|| panic!("no category holds row {row}"));
            g.indicators.push(indicator(j));
        }
    }
    t
}

fn facts(changes: &Value, keys: &[&str]) -> Vec<Vec<String>> {
    changes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| keys.iter().map(|k| c[*k].to_string()).collect())
        .collect()
}

fn same_facts(got: &Value, want: &Value, keys: &[&str]) {
    let (got, want) = (facts(&got["changes"], keys), facts(&want["changes"], keys));
    let (got_set, want_set): (BTreeSet<_>, BTreeSet<_>) =
        (got.iter().collect(), want.iter().collect());
    let missing: Vec<_> = want_set.difference(&got_set).collect();
    let extra: Vec<_> = got_set.difference(&want_set).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nextra: {extra:#?}"
    );
    assert_eq!(got, want);
}

#[test]
fn linyi_education_2022_to_2023_has_exactly_the_planted_differences() {
    let prior = table_from_json(
        &load("linyi-education-2022.expected.json"),
        "examples/linyi-education-2022.xlsx",
    );
    let current = table_from_json(
        &load("linyi-education-2023.expected.json"),
        "examples/linyi-education-2023.xlsx",
    );
    let expected = load("linyi-education-2022-2023.diff.expected.json");
    let report = diff(&prior, &current);
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let got = serde_json::to_value(&report).unwrap();
    assert_eq!(got["summary"], expected["summary"]);
    assert_eq!(got["prior"], expected["prior"]);
    assert_eq!(got["current"], expected["current"]);
    assert_eq!(report.changes.len(), 38);
    // The same facts, in the same order too: duty changes, indicators in 2023 order, removed ones.
    same_facts(
        &got,
        &expected,
        &["kind", "duty", "indicator", "field", "old", "new"],
    );
}

#[test]
fn linyi_education_projects_2023_to_2024_has_exactly_the_planted_differences() {
    let side = |name: &str, path: &str| -> Vec<Table> {
        load(name)["tables"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| table_from_json(t, path))
            .collect()
    };
    let prior = side(
        "linyi-education-projects-2023.expected.json",
        "examples/linyi-education-projects-2023.xlsx",
    );
    let current = side(
        "linyi-education-projects-2024.expected.json",
        "examples/linyi-education-projects-2024.xlsx",
    );
    assert_eq!((prior.len(), current.len()), (3, 3));
    assert_eq!(
        pair_tables(&prior, &current),
        vec![(Some(0), Some(0)), (Some(1), Some(1)), (Some(2), Some(2))]
    );
    let expected = load("linyi-education-projects-2023-2024.diff.expected.json");
    let reports = diff_workbooks(&prior, &current);
    assert_eq!(reports.len(), 3);
    assert!(reports.iter().all(|r| r.warnings.is_empty()));
    let got = serde_json::to_value(merge_reports(&reports)).unwrap();
    assert_eq!(got["summary"], expected["summary"]);
    assert_eq!(got["prior"], expected["prior"]);
    assert_eq!(got["current"], expected["current"]);
    same_facts(
        &got,
        &expected,
        &[
            "kind",
            "project",
            "level1",
            "level2",
            "indicator",
            "field",
            "old",
            "new",
        ],
    );
    // Money changes carry their delta in 元 (300.00 → 350.00 万元).
    let total = got["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "funds_total")
        .unwrap();
    assert_eq!(total["delta"]["number"], 500_000);
    assert!(total["delta"].get("points").is_none());
    // A rate's delta in points too (80% → 85%: 5 points, 6.25 percent), shown
    // points first; shown numbers round half away from zero (6.25 → 6.3).
    let find = |name: &str| {
        reports
            .iter()
            .flat_map(|r| &r.changes)
            .find(|c| c.indicator.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("{name}"))
    };
    let rate = find("参训教师考核合格率");
    let d = rate.delta.as_ref().unwrap();
    assert_eq!((d.points, d.percent), (Some(5.0), Some(6.25)));
    assert_eq!(
        rate.describe(),
        "修改 产出指标/质量指标 参训教师考核合格率 指标值：80% → 85%（+5个百分点）"
    );
    let people = find("资助学生人数");
    assert_eq!(people.delta.as_ref().unwrap().points, None);
    assert_eq!(
        people.describe(),
        "修改 产出指标/数量指标 资助学生人数 指标值：≥8000人 → ≥8500人（+6.3%）"
    );

    // The same pairing and changes whatever order the sheets come in.
    let mut shuffled = current.clone();
    shuffled.rotate_left(1);
    let again = serde_json::to_value(merge_reports(&diff_workbooks(&prior, &shuffled))).unwrap();
    assert_eq!(again["summary"], expected["summary"]);
}
