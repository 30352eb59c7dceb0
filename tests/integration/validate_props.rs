//! Invariants of `validate` on arbitrary tables: it never panics, counts match,
//! findings are ordered by row then column, and a finding on a table cell names
//! the input cell of its place.

use indexmap::IndexMap;
use jixiao::model::{col_index, Role, Source, Table};
use jixiao::quantity::parse_value;
use jixiao::template::Template;
use jixiao::validate::{validate, Severity};
use proptest::prelude::*;

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("/".to_string()),
        Just("见附件".to_string()),
        Just("基本实现".to_string()),
        (0u32..300).prop_map(|n| format!("{n}%")),
        (
            0u32..5000,
            prop::sample::select(vec!["人", "人次", "个", "处", ""])
        )
            .prop_map(|(n, u)| format!("{n}{u}")),
        "[ a-z0-9%人率]{0,6}",
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "",
        " ",
        "完成率",
        "满意度",
        "增长率",
        "事故发生率",
        "人数",
        "完成率",
        "处理时间",
    ])
    .prop_map(String::from)
}

fn table() -> impl Strategy<Value = Table> {
    let indicator = (name(), prop::collection::vec(value(), 10));
    let duty = (
        prop_oneof![
            (0u32..6).prop_map(|n| n.to_string()),
            Just(String::new()),
            Just("一".to_string())
        ],
        prop::collection::vec(indicator, 1..4),
    );
    (prop::collection::vec(duty, 0..5), any::<bool>()).prop_map(|(duties, shuffle)| {
        let t = Template::default_template();
        let shape = t.shape();
        let mut table = Table::new(shape.clone());
        let mut columns = IndexMap::new();
        for leaf in t.leaves() {
            columns.insert(
                leaf.key.to_string(),
                jixiao::model::col_letters(leaf.col as u32),
            );
        }
        if shuffle {
            columns.insert("history_avg3".into(), "K".into());
            columns.insert("history_last".into(), "J".into());
            columns.shift_remove("explanation");
        }
        table.source = Source {
            sheet: "Sheet1".into(),
            header_rows: [3, 5],
            columns,
            ..Source::default()
        };
        let name_f = shape.indicator_role(Role::Name).unwrap();
        let (seq_f, duty_f) = (
            shape.group_field("seq").unwrap(),
            shape.group_field("duty_name").unwrap(),
        );
        let mut row = 6;
        for (seq, inds) in duties {
            let mut g = table.new_group(row);
            g.values[seq_f] = seq;
            g.values[duty_f] = "职责".into();
            for (name, vals) in inds {
                let mut i = table.new_indicator(row);
                i.values[name_f] = name;
                let others: Vec<usize> = (0..shape.indicator.len())
                    .filter(|&f| f != name_f)
                    .collect();
                for (f, v) in others.into_iter().zip(vals) {
                    i.values[f] = v;
                }
                for f in shape.value_fields() {
                    if let Some(p) = parse_value(i.text(f), &t.rules.qualitative_words) {
                        i.set_parsed(f, p);
                    }
                }
                g.indicators.push(i);
                row += 1;
            }
            g.rows[1] = row - 1;
            table.groups.push(g);
        }
        table
    })
}

fn key(cell: &str) -> (u32, u32) {
    let at = cell.find(|c: char| c.is_ascii_digit()).unwrap();
    (cell[at..].parse().unwrap(), col_index(&cell[..at]).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn validate_invariants(table in table(), prior in table()) {
        let t = Template::default_template();
        let r = validate(&table, &t, Some(&prior));
        let errors = r.issues.iter().filter(|f| f.severity == Severity::Error).count();
        let warnings = r.issues.iter().filter(|f| f.severity == Severity::Warning).count();
        prop_assert_eq!(r.errors, errors);
        prop_assert_eq!(r.warnings, warnings);
        let keys: Vec<_> = r.issues.iter().map(|f| key(&f.cell)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        prop_assert_eq!(keys, sorted);
        for f in &r.issues {
            if let Some(p) = f.place {
                if let Some(cell) = table.cell_of_place(&p) {
                    prop_assert_eq!(&f.cell, &cell);
                }
                prop_assert_eq!(f.field.as_deref(), Some(table.shape.spec(p.field()).key.as_str()));
            }
        }
    }
}
