//! Property: for any model, reading back what the official writer wrote gives the model again,
//! and cell text is never written as a formula; for 部门整体 tables and for 项目支出 tables
//! (form block, categories with scores, empty categories, optional columns, with or without a
//! unit line of their own); and several tables of one sheet each get their own extras back.

use jixiao::model::{Extra, ExtraKind, Group, Indicator, Table};
use jixiao::read::{read_bytes, ReadOptions};
use jixiao::template::Template;
use jixiao::text::clean_text;
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

/// The dept-overall indicator fields in the order `indicator` fills them.
const KEYS: [&str; 10] = [
    "name",
    "explanation",
    "annual_value",
    "planned_value",
    "standard_value",
    "standard_source",
    "history_avg3",
    "history_last",
    "history_source",
    "activities",
];

fn indicator() -> impl Strategy<Value = Indicator> {
    (
        non_empty(20),
        text(120),
        prop::collection::vec(text(12), 7),
        text(300),
    )
        .prop_map(|(name, explanation, v, activities)| {
            let shape = Template::default_template().shape();
            let mut i = Indicator::empty(shape.indicator.len(), 0);
            let texts = [name, explanation].into_iter().chain(v).chain([activities]);
            for (k, t) in KEYS.iter().zip(texts) {
                i.values[shape.indicator_field(k).unwrap()] = t;
            }
            i
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
        let tpl = Template::default_template();
        let shape = tpl.shape();
        let g = |k: &str| shape.group_field(k).unwrap();
        let mut t = Table::new(shape.clone());
        t.title = tpl.title(2024, "测试局");
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
            let mut group = Group {
                values: vec![String::new(); shape.group.len()],
                rows: [0, 0],
                indicators,
            };
            group.values[g("seq")] = (k + 1).to_string();
            group.values[g("duty_name")] = name;
            group.values[g("objective")] = objective;
            t.groups.push(group);
        }
        t
    })
}

/// The texts of a table, for comparison (rows, source and parsed are the reader's own).
fn texts(t: &Table) -> Vec<Vec<String>> {
    let mut out = vec![
        vec![
            t.title.clone(),
            format!("{:?}", t.year),
            format!("{:?}", t.department),
        ],
        t.form.values.clone(),
    ];
    for g in &t.groups {
        out.push(g.values.clone());
        for i in &g.indicators {
            out.push(i.values.clone());
        }
    }
    out
}

/// No `<f>` element in any worksheet.
fn no_formula(bytes: &[u8]) -> bool {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for k in 0..zip.len() {
        let mut f = zip.by_index(k).unwrap();
        if f.name()
            .map(|n| n.starts_with("xl/worksheets/"))
            .unwrap_or(false)
        {
            let mut xml = String::new();
            f.read_to_string(&mut xml).unwrap();
            if xml.contains("<f>") || xml.contains("<f ") {
                return false;
            }
        }
    }
    true
}

/// A 项目支出 table: the form's texts and amounts, a run of the template's
/// known categories (in order, each with a score or not, some empty), one to
/// three indicators in the others, 分值 used or not.
fn project() -> impl Strategy<Value = Table> {
    let tpl = Template::load("project-target").unwrap();
    let categories: Vec<(String, String)> = tpl
        .categories
        .iter()
        .flat_map(|c| {
            c.level2
                .iter()
                .map(move |l2| (c.level1.clone(), l2.clone()))
        })
        .collect();
    let n = categories.len();
    (
        prop::collection::vec(non_empty(20), 6),
        text(200),
        prop::option::of(text(80)),
        prop::collection::vec(0u32..100_000_000, 4),
        any::<bool>(),
        prop::collection::vec(
            (
                any::<bool>(),
                prop::option::of(1u32..60),
                prop::collection::vec((non_empty(16), text(12), text(10), text(10)), 0..3),
            ),
            n,
        ),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            move |(words, goal, midterm, cents, yuan, cats, weights, unit_line)| {
                let tpl = Template::load("project-target").unwrap();
                let shape = tpl.shape();
                let mut t = Table::new(shape.clone());
                t.title = tpl.title(2024, "");
                t.year = Some(2024);
                let form = |t: &mut Table, k: &str, v: String| {
                    let i = shape.form_field(k).unwrap();
                    t.form.values[i] = v;
                };
                for (k, w) in ["name", "department", "unit", "attribute", "period"]
                    .iter()
                    .zip(&words)
                {
                    form(&mut t, k, w.clone());
                }
                form(&mut t, "department_code", "015001".into());
                t.department = Some(words[1].clone());
                form(
                    &mut t,
                    "money_unit",
                    if yuan { "元" } else { "万元" }.into(),
                );
                for (k, c) in [
                    "funds_total",
                    "funds_fiscal",
                    "funds_carryover",
                    "funds_other",
                ]
                .iter()
                .zip(&cents)
                {
                    form(&mut t, k, format!("{}.{:02}", c / 100, c % 100));
                }
                form(&mut t, "annual_goal", goal);
                if let Some(m) = midterm.filter(|m| !m.is_empty()) {
                    form(&mut t, "midterm_goal", m);
                }
                // The unit line as read from a file that has one (or none: the
                // restyled workbook must then have none either).
                if unit_line {
                    t.extras.push(Extra {
                        sheet: "Sheet1".into(),
                        cell: "A2".into(),
                        text: format!("金额单位：{}", if yuan { "元" } else { "万元" }),
                        kind: ExtraKind::UnitLine,
                    });
                }
                let g = |k: &str| shape.group_field(k).unwrap();
                let f = |k: &str| shape.indicator_field(k).unwrap();
                let mut l1_score: Option<(String, String)> = None;
                for ((l1, l2), (keep, score, inds)) in categories.iter().zip(cats) {
                    if !keep {
                        continue;
                    }
                    let mut group = t.new_group(0);
                    group.values[g("level1")] = l1.clone();
                    group.values[g("level2")] = l2.clone();
                    // One score per 一级 (its merged cell shows one).
                    let s1 = match &l1_score {
                        Some((l, s)) if l == l1 => s.clone(),
                        _ => score.map_or(String::new(), |s| (s * 2).to_string()),
                    };
                    l1_score = Some((l1.clone(), s1.clone()));
                    group.values[g("level1_score")] = s1;
                    group.values[g("level2_score")] =
                        score.map_or(String::new(), |s| s.to_string());
                    for (name, value, standard, remark) in inds {
                        let mut i = t.new_indicator(0);
                        i.values[f("name")] = name;
                        i.values[f("value")] = value;
                        i.values[f("standard")] = standard;
                        i.values[f("remark")] = remark;
                        if weights {
                            i.values[f("weight")] = "10".into();
                        }
                        group.indicators.push(i);
                    }
                    t.groups.push(group);
                }
                t
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn import_of_written_model_is_the_model(t in table()) {
        let template = Template::default_template();
        let bytes = jixiao::write::official_workbook(&[(&t, &template)]).unwrap();
        prop_assert!(no_formula(&bytes), "formula written");
        let opts = ReadOptions { sheet: None, templates: std::slice::from_ref(&template) };
        let back = read_bytes(&bytes, "prop.xlsx", &opts).unwrap();
        prop_assert_eq!(texts(&back), texts(&t));
        prop_assert!(back.extras.is_empty(), "extras: {:?}", back.extras);
    }

    #[test]
    fn import_of_written_project_is_the_project(t in project()) {
        let template = Template::load("project-target").unwrap();
        let bytes = jixiao::write::official_workbook(&[(&t, &template)]).unwrap();
        prop_assert!(no_formula(&bytes), "formula written");
        let opts = ReadOptions { sheet: None, templates: std::slice::from_ref(&template) };
        let back = read_bytes(&bytes, "prop.xlsx", &opts).unwrap();
        prop_assert_eq!(texts(&back), texts(&t));
        prop_assert_eq!(&back.extras, &t.extras);
        // And through `auto`: recognised as a project table.
        let all = Template::builtins();
        let opts = ReadOptions { sheet: None, templates: &all };
        let auto = read_bytes(&bytes, "prop.xlsx", &opts).unwrap();
        prop_assert_eq!(&auto.template, &template.id);
    }
}

/// The sample project of the writer tests, in 万元 and in 元, reads back the
/// same, and nothing more: it has no unit line of its own, and the official
/// layout adds none (its money unit is on the 项目资金 label).
#[test]
fn sample_projects_read_back_the_same() {
    let template = Template::load("project-target").unwrap();
    for unit in ["万元", "元"] {
        let t = crate::xlsx_xml::project::project_table(unit);
        let bytes = jixiao::write::official_workbook(&[(&t, &template)]).unwrap();
        let opts = ReadOptions {
            sheet: None,
            templates: std::slice::from_ref(&template),
        };
        let back = read_bytes(&bytes, "sample.xlsx", &opts).unwrap();
        assert_eq!(texts(&back), texts(&t), "{unit}");
        assert_eq!(back.form.parsed, t.form.parsed, "{unit}: amounts in 元");
        assert!(t.extras.is_empty());
        assert_eq!(back.extras, [], "{unit}: no extra added");
        assert_eq!(
            back.form.values[t.shape.form_field("money_unit").unwrap()],
            unit
        );
    }
}

/// Extras of stacked blocks: rows of `Sheet1` below or beside a block
/// (footnotes, strays), at any cell.
fn block_extras() -> impl Strategy<Value = Vec<Extra>> {
    prop::collection::vec((1u32..200, 0u32..20, non_empty(30), any::<bool>()), 0..4).prop_map(|v| {
        v.into_iter()
            .map(|(row, col, text, footnote)| Extra {
                sheet: "Sheet1".into(),
                cell: format!("{}{}", (b'A' + col as u8) as char, row + 30),
                text,
                kind: if footnote {
                    ExtraKind::Footnote
                } else {
                    ExtraKind::Stray
                },
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Several project tables read from one sheet (stacked blocks, every
    /// extra saying `Sheet1`) and the workbook's own extras (a 填报说明
    /// sheet), restyled: each table reads back its own extras, in order, and
    /// the workbook its own; restyling that again changes nothing.
    #[test]
    fn stacked_blocks_get_their_own_extras_back(
        blocks in prop::collection::vec((project(), block_extras()), 2..4),
        notes in prop::collection::vec(non_empty(40), 0..3),
    ) {
        let template = Template::load("project-target").unwrap();
        let tables: Vec<Table> = blocks
            .into_iter()
            .map(|(mut t, extras)| {
                t.source.sheet = "Sheet1".into();
                t.extras.extend(extras);
                t
            })
            .collect();
        let own: Vec<Extra> = notes
            .into_iter()
            .enumerate()
            .map(|(k, text)| Extra {
                sheet: "填报说明".into(),
                cell: format!("A{}", k + 1),
                text,
                kind: ExtraKind::OtherSheet,
            })
            .collect();
        let items: Vec<(&Table, &Template)> = tables.iter().map(|t| (t, &template)).collect();
        let bytes = jixiao::write::official_workbook_with_extras(&items, &own).unwrap();
        prop_assert!(no_formula(&bytes), "formula written");
        let opts = ReadOptions { sheet: None, templates: std::slice::from_ref(&template) };
        let back = jixiao::read::read_workbook_bytes(&bytes, "stacked.xlsx", &opts).unwrap();
        prop_assert_eq!(back.tables.len(), tables.len());
        for (b, t) in back.tables.iter().zip(&tables) {
            prop_assert_eq!(texts(b), texts(t));
            prop_assert_eq!(&b.extras, &t.extras);
        }
        prop_assert_eq!(&back.extras, &own);
        let items: Vec<(&Table, &Template)> = back.tables.iter().map(|t| (t, &template)).collect();
        let again = jixiao::write::official_workbook_with_extras(&items, &back.extras).unwrap();
        let twice = jixiao::read::read_workbook_bytes(&again, "stacked.xlsx", &opts).unwrap();
        for (b, t) in twice.tables.iter().zip(&back.tables) {
            prop_assert_eq!(&b.extras, &t.extras);
            prop_assert_eq!(&b.groups, &t.groups);
        }
        prop_assert_eq!(&twice.extras, &own);
    }
}
