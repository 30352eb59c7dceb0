//! A template written by a bureau's engineer (not built in) drives read, validate, diff and restyle with no code change.
//!
//! The template is a variant of project-target: other labels (资金项目 / 主管单位 /
//! 预算金额, 指标类别 / 指标小类 / 具体指标 / 目标值), an extra 指标解释 column that is
//! required, other categories (投入 / 产出 / 效果), and rules of its own.

use jixiao::diff::diff;
use jixiao::model::Table;
use jixiao::read::{read_file, ReadOptions};
use jixiao::template::Template;
use jixiao::validate::validate;
use rust_xlsxwriter::{Format, FormatAlign, Workbook};
use std::path::{Path, PathBuf};

const TEMPLATE: &str = r#"
id = "county-fund"
name = "县级专项资金绩效目标表"
title_regexes = ['^(?P<year>\d{4})年(?P<department>.*?)专项资金绩效目标表']
title_format = "{year}年专项资金绩效目标表"
unit_line_regex = '^金额单位\s*[：:]\s*(?P<money_unit>万元|元)'
unit_line_format = "金额单位：{money_unit}"
header_rows = 1
footnote_prefixes = ["注：", "经办人"]

[json]
groups = "kinds"
nested = false

[[levels]]
name = "指标类别"
json = "class"
key = "kind"

[[levels]]
name = "指标小类"
json = "subclass"
key = "subkind"

[page]
landscape = false

[[form]]
field = "fund"
label = "资金项目"
role = "project"
required = "error"

[[form]]
field = "owner"
label = "主管单位"
role = "department"
required = "error"

[[form]]
field = "money_unit"
label = "预算资金"
role = "money_unit"
from_label = true
default = "万元"

[[form]]
field = "budget"
label = "预算金额"
role = "funds_total"
money = true
required = "error"

[[form]]
field = "own"
label = "其中：本级资金"
role = "funds_part"
money = true

[[form]]
field = "upper"
label = "上级补助"
role = "funds_part"
money = true

[[form_rows]]
cells = [{ label = "fund" }, { value = "fund", span = 0 }]

[[form_rows]]
cells = [{ label = "owner" }, { value = "owner", span = 0 }]

[[form_rows]]
cells = [{ text = "预算资金（{money_unit}）", rows = 3 }, { label = "budget" }, { value = "budget", span = 0 }]

[[form_rows]]
cells = [{ label = "own" }, { value = "own", span = 0 }]

[[form_rows]]
cells = [{ label = "upper" }, { value = "upper", span = 0 }]

[[columns]]
label = "指标类别"
field = "kind"
level = 1
role = "group_name"
on_indicator = true
required = "error"

[[columns]]
label = "指标小类"
field = "subkind"
level = 2
role = "group_name"
on_indicator = true
required = "error"

[[columns]]
label = "具体指标"
field = "name"
role = "name"
required = "error"
width = 24
align = "left"

[[columns]]
label = "目标值"
field = "target"
role = "target"
value = true
required = "error"
width = 12

[[columns]]
label = "指标解释"
field = "explain"
role = "explanation"
required = "warning"
width = 24
align = "left"

[[categories]]
level1 = "投入"
level2 = ["资金投入", "人员投入"]

[[categories]]
level1 = "产出"
level2 = ["数量", "质量"]

[[categories]]
level1 = "效果"
level2 = ["社会效果"]

[rules]
bounded_rate_suffixes = ["率"]
required_categories = ["产出", "效果"]
cost_categories = ["资金投入"]
placeholders = ["待定"]
"#;

/// One row of the sheet: cells from column A.
type Row<'a> = &'a [&'a str];

/// Writes a workbook in the county template's layout: title, unit line, form
/// rows 3–7 (预算资金 merged A5:A7), grid header on row 8, data below.
fn write_county(path: &Path, year: i32, budget: &str, rows: &[Row<'_>]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("专项资金").unwrap();
    let center = Format::new().set_align(FormatAlign::Center);
    ws.merge_range(
        0,
        0,
        0,
        4,
        &format!("{year}年临沂市某县专项资金绩效目标表"),
        &center,
    )
    .unwrap();
    ws.write(1, 4, "金额单位：万元").unwrap();
    ws.write(2, 0, "资金项目").unwrap();
    ws.merge_range(2, 1, 2, 4, "乡村学校营养餐", &Format::new())
        .unwrap();
    ws.write(3, 0, "主管单位").unwrap();
    ws.merge_range(3, 1, 3, 4, "某县教育局", &Format::new())
        .unwrap();
    ws.merge_range(4, 0, 6, 0, "预算资金（万元）", &center)
        .unwrap();
    ws.write(4, 1, "预算金额").unwrap();
    ws.merge_range(4, 2, 4, 4, budget, &Format::new()).unwrap();
    ws.write(5, 1, "其中：本级资金").unwrap();
    ws.merge_range(5, 2, 5, 4, "60", &Format::new()).unwrap();
    ws.write(6, 1, "上级补助").unwrap();
    ws.merge_range(6, 2, 6, 4, "40", &Format::new()).unwrap();
    for (c, h) in ["指标类别", "指标小类", "具体指标", "目标值", "指标解释"]
        .iter()
        .enumerate()
    {
        ws.write(7, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            if !text.is_empty() {
                ws.write(8 + r as u32, c as u16, *text).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jixiao-custom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn read(path: &Path, t: &Template) -> Table {
    read_file(
        path,
        &ReadOptions {
            sheet: None,
            templates: std::slice::from_ref(t),
        },
    )
    .unwrap()
}

const ROWS_2024: &[Row<'_>] = &[
    &[
        "投入",
        "资金投入",
        "资金到位率",
        "100%",
        "到位资金/预算资金",
    ],
    &["", "人员投入", "配备营养员人数", "≥30人", ""],
    &[
        "产出",
        "数量",
        "受益学生人数",
        "≥5000人",
        "享受营养餐的学生",
    ],
    &["", "质量", "食品安全事故", "0起", "全年食品安全事故起数"],
    &[
        "效果",
        "社会效果",
        "学生体质合格率",
        "≥92%",
        "体质健康测试合格率",
    ],
];

#[test]
fn a_template_of_its_own_reads_validates_diffs_and_restyles() {
    let t = Template::from_toml(TEMPLATE).expect("the county template loads");
    let path = tmp("county-2024.xlsx");
    write_county(&path, 2024, "100", ROWS_2024);
    let table = read(&path, &t);
    let json = serde_json::to_value(&table).unwrap();

    // Read: the form by its own labels, the grid by its own header, grouped by its levels.
    assert_eq!(json["template"], "county-fund");
    assert_eq!(json["year"], 2024);
    assert_eq!(json["form"]["fund"], "乡村学校营养餐");
    assert_eq!(json["form"]["owner"], "某县教育局");
    assert_eq!(json["form"]["money_unit"], "万元");
    assert_eq!(json["form"]["parsed"]["budget"]["number"], 1_000_000);
    assert_eq!(json["department"], "某县教育局");
    let inds = json["indicators"].as_array().unwrap();
    assert_eq!(inds.len(), 5);
    assert_eq!(
        inds[1]["kind"], "投入",
        "the category is inherited from the row above"
    );
    assert_eq!(inds[1]["subkind"], "人员投入");
    assert_eq!(inds[4]["explain"], "体质健康测试合格率");
    assert_eq!(json["kinds"].as_array().unwrap().len(), 5);
    assert_eq!(json["source"]["columns"]["explain"], "E");

    // Validate: the template's own required column and categories.
    let report = validate(&table, &t, None);
    let codes: Vec<(&str, &str)> = report
        .issues
        .iter()
        .map(|f| (f.code.as_str(), f.cell.as_str()))
        .collect();
    assert!(
        codes.contains(&("missing_value", "E10")),
        "the required 指标解释 is empty on row 10: {codes:?}"
    );
    assert_eq!(report.errors, 0, "{codes:?}");

    // A wrong sum and a missing required category are errors in this template too.
    let bad = tmp("county-bad.xlsx");
    write_county(&bad, 2024, "120", &ROWS_2024[..2]);
    let report = validate(&read(&bad, &t), &t, None);
    let codes: Vec<&str> = report.issues.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"funds_mismatch"), "{codes:?}");
    assert!(codes.contains(&"missing_category"), "{codes:?}");

    // Diff: last year's table with one target that changed.
    let prior_path = tmp("county-2023.xlsx");
    let mut rows_2023: Vec<Row<'_>> = ROWS_2024.to_vec();
    rows_2023[2] = &[
        "产出",
        "数量",
        "受益学生人数",
        "≥4500人",
        "享受营养餐的学生",
    ];
    write_county(&prior_path, 2023, "100", &rows_2023);
    let d = diff(&read(&prior_path, &t), &table);
    let d = serde_json::to_value(&d).unwrap();
    let changes = d["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["kind"], "modified");
    assert_eq!(changes[0]["field"], "target");
    assert_eq!(changes[0]["old"], "≥4500人");
    assert_eq!(
        changes[0]["subclass"], "数量",
        "changes name the group by the template's levels"
    );

    // Restyle: the official layout of this template reads back to the same table.
    let bytes = jixiao::write::official_workbook(&[(&table, &t)]).unwrap();
    let out = tmp("county-restyled.xlsx");
    std::fs::write(&out, bytes).unwrap();
    let again = read(&out, &t);
    let mut a = serde_json::to_value(&again).unwrap();
    let mut b = json.clone();
    for v in [&mut a, &mut b] {
        v["source"] = serde_json::Value::Null;
        for e in v["extras"].as_array_mut().unwrap() {
            e["cell"] = serde_json::Value::Null;
        }
        for i in v["indicators"].as_array_mut().unwrap() {
            i["row"] = serde_json::Value::Null;
        }
        for g in v["kinds"].as_array_mut().unwrap() {
            g["rows"] = serde_json::Value::Null;
        }
    }
    assert_eq!(a, b, "restyled and re-read, the table is unchanged");
}
