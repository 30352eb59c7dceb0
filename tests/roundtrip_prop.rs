//! Property: for any model, reading back what the official writer wrote gives the model again,
//! and cell text is never written as a formula.

use indexmap::IndexMap;
use jixiao::model::{Duty, Field, Indicator, Seq, Table};
use jixiao::read::clean::clean_text;
use jixiao::read::{read_bytes, ReadOptions};
use jixiao::template::Template;
use proptest::prelude::*;
use std::io::Read;

/// Text as it can stand in a model: Chinese, digits, formula-like leading
/// characters, line breaks, Chinese punctuation — already cleaned, since the
/// model only ever holds cleaned text.
fn text(max: usize) -> impl Strategy<Value = String> {
    let pattern = format!("[=+@\\-]?[\u{4e00}-\u{9fa5}a-zA-Z0-9%。，、（）\n ]{{0,{max}}}");
    proptest::string::string_regex(&pattern)
        .unwrap()
        .prop_map(|s| clean_text(&s))
}

fn non_empty(max: usize) -> impl Strategy<Value = String> {
    (text(max), "[\u{4e00}-\u{9fa5}]{1,6}").prop_map(|(a, b)| clean_text(&format!("{b}{a}")))
}

fn indicator() -> impl Strategy<Value = Indicator> {
    (
        non_empty(20),
        text(120),
        prop::collection::vec(text(12), 7),
        text(300),
    )
        .prop_map(|(name, explanation, v, activities)| Indicator {
            name,
            explanation,
            annual_value: v[0].clone(),
            planned_value: v[1].clone(),
            standard_value: v[2].clone(),
            standard_source: v[3].clone(),
            history_avg3: v[4].clone(),
            history_last: v[5].clone(),
            history_source: v[6].clone(),
            activities,
            row: 0,
            parsed: IndexMap::new(),
        })
}

fn table() -> impl Strategy<Value = Table> {
    prop::collection::vec(
        (
            non_empty(10),
            non_empty(150),
            prop::collection::vec(indicator(), 1..5),
            any::<bool>(),
        ),
        1..5,
    )
    .prop_map(|duties| {
        let mut t = Table::new("dept-overall");
        t.title = Table::official_title(2024, "测试局");
        t.year = Some(2024);
        t.department = Some("测试局".into());
        let mut prev_name = String::new();
        for (k, (name, objective, indicators, share)) in duties.into_iter().enumerate() {
            // Sometimes a duty shares the previous duty's 部门职责 (merged over both).
            let name = if share && k > 0 {
                prev_name.clone()
            } else {
                name
            };
            prev_name = name.clone();
            t.duties.push(Duty {
                seq: Seq::Number(k as u32 + 1),
                name,
                objective,
                rows: [0, 0],
                indicators,
            });
        }
        t
    })
}

/// The texts of a table, for comparison (rows, source and parsed are the reader's own).
fn texts(t: &Table) -> Vec<Vec<String>> {
    let mut out = vec![vec![
        t.title.clone(),
        format!("{:?}", t.year),
        format!("{:?}", t.department),
    ]];
    for d in &t.duties {
        out.push(vec![d.seq.to_string(), d.name.clone(), d.objective.clone()]);
        for i in &d.indicators {
            out.push(
                Field::INDICATOR
                    .iter()
                    .map(|f| i.get(*f).unwrap().to_string())
                    .collect(),
            );
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn import_of_written_model_is_the_model(t in table()) {
        let template = Template::default_template();
        let bytes = jixiao::write::official_workbook(&t, &template).unwrap();

        // Never a formula: no <f> element in any worksheet.
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        for k in 0..zip.len() {
            let mut f = zip.by_index(k).unwrap();
            if f.name().map(|n| n.starts_with("xl/worksheets/")).unwrap_or(false) {
                let mut xml = String::new();
                f.read_to_string(&mut xml).unwrap();
                prop_assert!(!xml.contains("<f>") && !xml.contains("<f "), "formula written");
            }
        }

        let opts = ReadOptions { sheet: None, template: &template };
        let back = read_bytes(&bytes, "prop.xlsx", &opts).unwrap();
        prop_assert_eq!(texts(&back), texts(&t));
        prop_assert!(back.extras.is_empty(), "extras: {:?}", back.extras);
    }
}
