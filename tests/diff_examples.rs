//! The planted differences of examples/ (linyi-education 2022 → 2023): the diff
//! of the two expected models must be exactly the expected diff facts, in the
//! expected order.
//!
//! The examples live on main; on a branch without them this test says so and
//! passes (it compares models, so it does not need the reader).

use jixiao::diff::diff;
use jixiao::model::Table;
use std::collections::BTreeSet;
use std::path::Path;

fn load(name: &str) -> Option<serde_json::Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name);
    let text = std::fs::read_to_string(&path).ok()?;
    Some(serde_json::from_str(&text).unwrap())
}

fn table(name: &str, path: &str) -> Option<Table> {
    let mut v = load(name)?;
    v["source"]["path"] = path.into();
    Some(serde_json::from_value(v).unwrap())
}

type Fact = (String, String, String, String, String, String);

fn facts(changes: &serde_json::Value) -> Vec<Fact> {
    changes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let f = |k: &str| c[k].to_string();
            (
                f("kind"),
                f("duty"),
                f("indicator"),
                f("field"),
                f("old"),
                f("new"),
            )
        })
        .collect()
}

#[test]
fn linyi_education_2022_to_2023_has_exactly_the_planted_differences() {
    let (Some(prior), Some(current), Some(expected)) = (
        table(
            "linyi-education-2022.expected.json",
            "examples/linyi-education-2022.xlsx",
        ),
        table(
            "linyi-education-2023.expected.json",
            "examples/linyi-education-2023.xlsx",
        ),
        load("linyi-education-2022-2023.diff.expected.json"),
    ) else {
        panic!("the example workbooks or their expected JSON are missing from examples/");
    };
    let report = diff(&prior, &current);
    let got = serde_json::to_value(&report).unwrap();
    assert_eq!(got["summary"], expected["summary"]);
    assert_eq!(got["prior"], expected["prior"]);
    assert_eq!(got["current"], expected["current"]);
    let (got, want) = (facts(&got["changes"]), facts(&expected["changes"]));
    let (got_set, want_set): (BTreeSet<_>, BTreeSet<_>) =
        (got.iter().collect(), want.iter().collect());
    let missing: Vec<_> = want_set.difference(&got_set).collect();
    let extra: Vec<_> = got_set.difference(&want_set).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:#?}\nextra: {extra:#?}"
    );
    assert_eq!(report.changes.len(), 38);
    // The same order too: duty changes, indicators in 2023 order, removed ones.
    assert_eq!(got, want);
}
