//! The validation rules on 项目支出绩效目标表 (project-target) tables built in code,
//! the rules new with templates on both templates (`empty_table`, `missing_title`),
//! and that a template without a rule's settings never fires it.

use indexmap::IndexMap;
use jixiao::model::{Extra, ExtraKind, Place, Seq, Source, Table};
use jixiao::quantity::{parse_money, parse_value};
use jixiao::template::Template;
use jixiao::validate::{codes, render_text, validate, Code, Finding, Report, Severity};

// ---------------------------------------------------------------- a small builder

fn pt() -> Template {
    Template::load("project-target").unwrap()
}

/// A category block: 一级, 二级, and its indicators (三级指标, 指标值).
type Cat<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>);

/// The input columns of a project table without the optional 指标解释 and 分值
/// columns: A side label, B 一级, C 二级, D 三级, E 指标值, F 绩效标准, G 备注.
const GRID: [(&str, &str, &str); 6] = [
    ("level1", "B", "一级指标"),
    ("level2", "C", "二级指标"),
    ("name", "D", "三级指标"),
    ("value", "E", "指标值"),
    ("standard", "F", "绩效标准"),
    ("remark", "G", "备注"),
];

/// The official form block's value cells (rows 3–10).
const FORM_CELLS: [(&str, &str); 10] = [
    ("name", "B3"),
    ("department", "B4"),
    ("unit", "F4"),
    ("attribute", "B5"),
    ("period", "F5"),
    ("funds_total", "C6"),
    ("funds_fiscal", "C7"),
    ("funds_carryover", "C8"),
    ("funds_other", "C9"),
    ("annual_goal", "B10"),
];

struct Builder {
    t: Template,
    table: Table,
    row: u32,
}

impl Builder {
    /// An official-layout project table: title row 1, unit line row 2, form
    /// rows 3–10, header row 11, data from row 12.
    fn new() -> Builder {
        let t = pt();
        let mut table = Table::new(t.shape());
        table.title = "2024年度项目支出绩效目标表".into();
        table.year = Some(2024);
        table.department = Some("临沂市教育局".into());
        let mut columns = IndexMap::new();
        let mut header_labels = IndexMap::new();
        for (k, c, l) in GRID {
            columns.insert(k.to_string(), c.to_string());
            header_labels.insert(k.to_string(), l.to_string());
        }
        table.source = Source {
            path: "项目2024.xlsx".into(),
            sheet: "项目1".into(),
            format: "xlsx".into(),
            header_rows: [11, 11],
            data_rows: None,
            columns,
            header_labels,
            form_cells: FORM_CELLS
                .iter()
                .map(|(k, c)| (k.to_string(), c.to_string()))
                .collect(),
            ..Source::default()
        };
        table.extras.push(Extra {
            sheet: "项目1".into(),
            cell: "G2".into(),
            text: "金额单位：万元".into(),
            kind: ExtraKind::UnitLine,
        });
        let mut b = Builder { t, table, row: 12 };
        for (k, v) in [
            ("name", "中小学校园安全设施改造"),
            ("department_code", "015001"),
            ("department", "临沂市教育局"),
            ("unit", "临沂市第一中学"),
            ("attribute", "新增项目"),
            ("period", "1年"),
            ("money_unit", "万元"),
            ("funds_total", "250"),
            ("funds_fiscal", "200"),
            ("funds_carryover", ""),
            ("funds_other", "50"),
            (
                "annual_goal",
                "1.完成12所学校安防设施改造；2.校园安全事故明显下降。",
            ),
        ] {
            b.form(k, v);
        }
        b
    }

    /// Sets a form field's text and re-reads it (money in the table's unit).
    fn form(&mut self, key: &str, text: &str) -> &mut Builder {
        let shape = self.table.shape.clone();
        let i = shape.form_field(key).unwrap_or_else(|| panic!("{key}"));
        self.table.form.values[i] = text.into();
        self.reparse_form();
        self
    }

    fn reparse_form(&mut self) {
        let shape = self.table.shape.clone();
        let unit = self.table.form_text("money_unit").to_string();
        self.table.form.parsed.clear();
        for (i, f) in shape.form.iter().enumerate() {
            if f.money {
                if let Some(p) = parse_money(self.table.form.text(i), &unit) {
                    self.table.form.set_parsed(i, p);
                }
            }
        }
    }

    /// Appends a category with its indicators (none: an empty category row).
    fn cat(&mut self, l1: &str, l2: &str, rows: &[(&str, &str)]) -> &mut Builder {
        let shape = self.table.shape.clone();
        let mut g = self.table.new_group(self.row);
        g.values[shape.group_field("level1").unwrap()] = l1.into();
        g.values[shape.group_field("level2").unwrap()] = l2.into();
        let (name, value, standard) = (
            shape.indicator_field("name").unwrap(),
            shape.indicator_field("value").unwrap(),
            shape.indicator_field("standard").unwrap(),
        );
        if rows.is_empty() {
            self.row += 1;
        }
        for (n, v) in rows {
            let mut i = self.table.new_indicator(self.row);
            i.values[name] = n.to_string();
            i.values[value] = v.to_string();
            i.values[standard] = "计划标准".into();
            if let Some(p) = parse_value(v, &self.t.rules.qualitative_words) {
                i.set_parsed(value, p);
            }
            g.indicators.push(i);
            self.row += 1;
        }
        g.rows[1] = self.row - 1;
        self.table.groups.push(g);
        let first = self.table.groups[0].rows[0];
        self.table.source.data_rows = Some([first, self.row - 1]);
        self
    }

    fn cats(&mut self, cats: &[Cat<'_>]) -> &mut Builder {
        for (l1, l2, rows) in cats {
            self.cat(l1, l2, rows);
        }
        self
    }

    fn build(&self) -> Table {
        self.table.clone()
    }
}

/// The categories of a clean table (rows 12–19; row 18 an empty 二级 row).
fn clean_cats() -> Vec<Cat<'static>> {
    vec![
        (
            "产出指标",
            "数量指标",
            vec![("改造学校数量", "≥12所"), ("安装监控设备数量", "≥300台")],
        ),
        ("产出指标", "质量指标", vec![("设施验收合格率", "100%")]),
        ("产出指标", "时效指标", vec![("完成时间", "12月底前")]),
        ("产出指标", "成本指标", vec![("改造成本", "≤250万元")]),
        (
            "效益指标",
            "社会效益指标",
            vec![("校园安全事故发生率", "有所下降")],
        ),
        ("效益指标", "经济效益指标", vec![]),
        (
            "满意度指标",
            "服务对象满意度指标",
            vec![("师生满意度", "≥90%")],
        ),
    ]
}

fn clean() -> Builder {
    let mut b = Builder::new();
    b.cats(&clean_cats());
    b
}

fn check(table: &Table) -> Report {
    validate(table, &pt(), None)
}

fn of(r: &Report, code: Code) -> Vec<&Finding> {
    r.issues.iter().filter(|f| f.code == code).collect()
}

/// The cells of the findings of `code`.
fn cells(r: &Report, code: Code) -> Vec<String> {
    of(r, code).iter().map(|f| f.cell.clone()).collect()
}

/// The single finding of `code`: its severity and cell checked, and no other finding.
fn only<'a>(r: &'a Report, code: Code, severity: Severity, cell: &str) -> &'a Finding {
    assert_eq!(r.issues.len(), 1, "{:#?}", r.issues);
    let f = &r.issues[0];
    assert_eq!(f.code, code, "{f:#?}");
    assert_eq!(f.severity, severity, "{f:#?}");
    assert_eq!(f.cell, cell, "{f:#?}");
    assert_eq!(f.sheet, "项目1");
    f
}

fn text(s: &str) -> Option<Seq> {
    Some(Seq::Text(s.into()))
}

/// A table with the categories of `clean_cats` except that `(l1, l2)` holds `rows`.
fn with_cat(l1: &str, l2: &str, rows: Vec<(&'static str, &'static str)>) -> Table {
    let mut cats = clean_cats();
    let c = cats
        .iter_mut()
        .find(|c| c.0 == l1 && c.1 == l2)
        .unwrap_or_else(|| panic!("{l1}/{l2}"));
    c.2 = rows;
    let mut b = Builder::new();
    b.cats(&cats);
    b.build()
}

// ---------------------------------------------------------------- the clean table

#[test]
fn a_clean_project_table_has_no_findings() {
    let t = clean().build();
    assert_eq!(t.groups.len(), 7);
    assert_eq!(t.indicator_count(), 7);
    let r = check(&t);
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
    assert!(render_text(&r, &t).contains("未发现问题"));
}

// ---------------------------------------------------------------- funds_mismatch

#[test]
fn funds_mismatch_gives_both_sums_in_the_tables_unit() {
    let mut b = clean();
    b.form("funds_other", "40");
    let r = check(&b.build());
    let f = only(&r, codes::FUNDS_MISMATCH, Severity::Error, "C6");
    assert_eq!(f.field.as_deref(), Some("funds_total"));
    assert_eq!(
        f.place,
        Some(Place::Form(b.t.shape().form_field("funds_total").unwrap()))
    );
    assert!(
        f.message.contains("250 万元") && f.message.contains("240 万元"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("财政拨款") && f.message.contains("其他资金"),
        "{}",
        f.message
    );
    assert!(
        !f.message.contains("上年结转资金"),
        "only the parts given: {}",
        f.message
    );
    assert_eq!(f.group_text(), "");

    // Within 0.01 万元 (100 元): no finding.
    let mut b = clean();
    b.form("funds_total", "250.005");
    assert!(of(&check(&b.build()), codes::FUNDS_MISMATCH).is_empty());
    // Adding up, with every part given.
    let mut b = clean();
    b.form("funds_fiscal", "150")
        .form("funds_carryover", "50.00");
    assert!(check(&b.build()).issues.is_empty());
    // Only the total given: nothing to add up.
    let mut b = clean();
    b.form("funds_fiscal", "").form("funds_other", "");
    let r = check(&b.build());
    assert!(of(&r, codes::FUNDS_MISMATCH).is_empty(), "{:#?}", r.issues);
}

#[test]
fn funds_mismatch_in_a_table_in_yuan() {
    let mut b = clean();
    b.form("money_unit", "元")
        .form("funds_total", "2,500,000.00")
        .form("funds_fiscal", "2,000,000.00")
        .form("funds_other", "499,999.00");
    let r = check(&b.build());
    let f = only(&r, codes::FUNDS_MISMATCH, Severity::Error, "C6");
    assert!(
        f.message.contains("2500000 元") && f.message.contains("2499999 元"),
        "{}",
        f.message
    );
    // 0.01 元 of tolerance in a 元 table: a cent off is fine.
    b.form("funds_other", "499,999.995");
    assert!(of(&check(&b.build()), codes::FUNDS_MISMATCH).is_empty());
}

// ---------------------------------------------------------------- missing_category

#[test]
fn missing_category_at_the_header_row() {
    let mut cats = clean_cats();
    cats.retain(|c| c.0 != "满意度指标");
    let mut b = Builder::new();
    b.cats(&cats);
    let r = check(&b.build());
    let f = only(&r, codes::MISSING_CATEGORY, Severity::Error, "B11");
    assert_eq!(f.group_value("level1"), text("满意度指标").as_ref());
    assert_eq!(f.group_value("level2"), None);
    assert_eq!(f.field.as_deref(), Some("level1"));
    assert!(f.message.contains("满意度指标"), "{}", f.message);

    // A 满意度指标 category with nothing under it is still missing.
    let r = check(&with_cat("满意度指标", "服务对象满意度指标", vec![]));
    let f = only(&r, codes::MISSING_CATEGORY, Severity::Error, "B11");
    assert!(f.message.contains("满意度指标"), "{}", f.message);

    // Two missing: one finding each, same cell.
    let mut cats = clean_cats();
    cats.retain(|c| c.0 == "产出指标");
    let mut b = Builder::new();
    b.cats(&cats);
    let r = check(&b.build());
    assert_eq!(cells(&r, codes::MISSING_CATEGORY), ["B11", "B11"]);
    let named: Vec<_> = of(&r, codes::MISSING_CATEGORY)
        .iter()
        .map(|f| f.group_text())
        .collect();
    assert_eq!(named, ["效益指标", "满意度指标"]);
}

// ---------------------------------------------------------------- unknown_category

#[test]
fn unknown_category_level1_once_per_run_and_level2_under_its_level1() {
    // An unknown 一级 over two 二级 rows: one finding, at its first row.
    let mut cats = clean_cats();
    cats.push(("投入指标", "资金投入", vec![("资金到位率", "100%")]));
    cats.push(("投入指标", "资金管理", vec![("资金使用合规率", "100%")]));
    let mut b = Builder::new();
    b.cats(&cats);
    let r = check(&b.build());
    let f = only(&r, codes::UNKNOWN_CATEGORY, Severity::Warning, "B20");
    assert_eq!(f.field.as_deref(), Some("level1"));
    assert_eq!(f.group_value("level1"), text("投入指标").as_ref());
    assert!(
        f.message.contains("投入指标") && f.message.contains("产出指标"),
        "{}",
        f.message
    );

    // A 二级 listed under another 一级: at the 二级 cell.
    let mut cats = clean_cats();
    cats[1].1 = "经济效益指标";
    let mut b = Builder::new();
    b.cats(&cats);
    let r = check(&b.build());
    let f = only(&r, codes::UNKNOWN_CATEGORY, Severity::Warning, "C14");
    assert_eq!(f.field.as_deref(), Some("level2"));
    assert_eq!(f.group_value("level2"), text("经济效益指标").as_ref());
    assert!(
        f.message.contains("数量指标"),
        "lists what 产出指标 takes: {}",
        f.message
    );

    // Both schemes are known: 成本指标 as a 一级 (2021) and as a 二级 (classic).
    let mut cats = clean_cats();
    cats.push((
        "成本指标",
        "经济成本指标",
        vec![("单校改造成本", "≤21万元")],
    ));
    let mut b = Builder::new();
    b.cats(&cats);
    let r = check(&b.build());
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
}

// ---------------------------------------------------------------- placeholder_value

#[test]
fn placeholder_value_in_names_values_and_form_fields() {
    let t = with_cat(
        "产出指标",
        "数量指标",
        vec![
            ("xx", "12所"),
            ("安装监控设备数量", "≥××%"),
            ("新增设备", "xx个"),
        ],
    );
    let r = check(&t);
    assert_eq!(cells(&r, codes::PLACEHOLDER_VALUE), ["D12", "E13", "E14"]);
    assert!(
        r.issues.iter().all(|f| f.code == codes::PLACEHOLDER_VALUE),
        "{:#?}",
        r.issues
    );
    let f = of(&r, codes::PLACEHOLDER_VALUE)[1];
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(f.field.as_deref(), Some("value"));
    assert_eq!(f.indicator.as_deref(), Some("安装监控设备数量"));
    assert_eq!(f.group_value("level1"), text("产出指标").as_ref());
    assert_eq!(f.group_value("level2"), text("数量指标").as_ref());
    assert!(f.message.contains("“≥××%”"), "{}", f.message);
    // Not also an unparsed value.
    assert!(of(&r, codes::UNPARSED_VALUE).is_empty());

    // Form fields: a placeholder text, an amount whose number is a mark.
    let mut b = clean();
    b.form("unit", "待定").form("funds_other", "××");
    let r = check(&b.build());
    assert_eq!(cells(&r, codes::PLACEHOLDER_VALUE), ["F4", "C9"]);
    assert_eq!(
        of(&r, codes::PLACEHOLDER_VALUE)[0].field.as_deref(),
        Some("unit")
    );
    // An amount that is no number: the sum is not checked.
    assert!(of(&r, codes::FUNDS_MISMATCH).is_empty(), "{:#?}", r.issues);

    // Real values with the same characters are not placeholders.
    let t = with_cat(
        "产出指标",
        "数量指标",
        vec![("改造学校数量", "≥12所"), ("*号设备数量", "30台")],
    );
    assert!(check(&t).issues.is_empty(), "{:#?}", check(&t).issues);
}

// ---------------------------------------------------------------- cost_direction

#[test]
fn cost_direction_for_a_floor_under_a_cost_category() {
    let t = with_cat("产出指标", "成本指标", vec![("改造成本", "≥250万元")]);
    let r = check(&t);
    let f = only(&r, codes::COST_DIRECTION, Severity::Warning, "E16");
    assert_eq!(f.field.as_deref(), Some("value"));
    assert_eq!(f.indicator.as_deref(), Some("改造成本"));
    assert!(f.message.contains("≤250万元"), "{}", f.message);

    // 成本指标 as a 一级 (2021 scheme), a floor written in words.
    let mut cats = clean_cats();
    cats.push((
        "成本指标",
        "经济成本指标",
        vec![("单校改造成本", "不低于21万元")],
    ));
    let mut b = Builder::new();
    b.cats(&cats);
    let r = check(&b.build());
    only(&r, codes::COST_DIRECTION, Severity::Warning, "E20");

    // A ceiling, or a floor outside the cost categories: fine.
    let t = with_cat("产出指标", "成本指标", vec![("改造成本", "250万元以内")]);
    assert!(check(&t).issues.is_empty(), "{:#?}", check(&t).issues);
    let t = with_cat("产出指标", "数量指标", vec![("改造学校数量", "12所以上")]);
    assert!(check(&t).issues.is_empty(), "{:#?}", check(&t).issues);
}

// ---------------------------------------------------------------- missing_value

#[test]
fn missing_value_form_fields_by_the_templates_required() {
    let mut b = clean();
    b.form("name", "")
        .form("department", "")
        .form("funds_total", "")
        .form("annual_goal", " ")
        .form("unit", "")
        .form("funds_fiscal", "")
        .form("attribute", "")
        .form("period", "")
        .form("funds_carryover", "");
    let r = check(&b.build());
    let got: Vec<_> = r
        .issues
        .iter()
        .map(|f| (f.code, f.cell.as_str(), f.severity, f.message.as_str()))
        .collect();
    let (e, w) = (Severity::Error, Severity::Warning);
    let mv = codes::MISSING_VALUE;
    assert_eq!(
        got,
        vec![
            (mv, "B3", e, "项目名称为空"),
            (mv, "B4", e, "主管部门为空"),
            (mv, "F4", w, "实施单位为空"),
            (mv, "C6", e, "年度资金总额为空"),
            (mv, "C7", w, "财政拨款为空"),
            (mv, "B10", e, "年度总体目标为空"),
        ]
    );
    let f = &r.issues[0];
    assert_eq!(f.field.as_deref(), Some("name"));
    assert_eq!(f.place, Some(Place::Form(0)));
    assert_eq!(
        (f.group_value("level1"), f.group_value("level2")),
        (None, None)
    );
}

#[test]
fn missing_value_in_the_grid_but_not_for_an_empty_category_row() {
    // No 一级 above an indicator; an empty name and an empty value.
    let mut cats = clean_cats();
    cats[0] = (
        "",
        "数量指标",
        vec![("", "≥12所"), ("安装监控设备数量", "")],
    );
    let mut b = Builder::new();
    b.cats(&cats);
    let r = check(&b.build());
    let got: Vec<_> = of(&r, codes::MISSING_VALUE)
        .iter()
        .map(|f| {
            (
                f.cell.as_str(),
                f.severity,
                f.field.as_deref(),
                f.message.as_str(),
            )
        })
        .collect();
    let e = Severity::Error;
    assert_eq!(
        got,
        vec![
            ("B12", e, Some("level1"), "一级指标为空"),
            ("D12", e, Some("name"), "三级指标为空"),
            ("E13", e, Some("value"), "指标值为空"),
        ]
    );
    assert_eq!(r.issues.len(), 3, "{:#?}", r.issues);
    let f = of(&r, codes::MISSING_VALUE)[0];
    assert_eq!(f.place, Some(Place::Group { group: 0, field: 0 }));
    assert_eq!(f.group_value("level1"), None);
    assert_eq!(f.group_value("level2"), text("数量指标").as_ref());

    // An empty 二级 with an indicator under it is missing; an empty category row is not.
    let t = with_cat("效益指标", "经济效益指标", vec![]);
    assert!(check(&t).issues.is_empty());
    let mut cats = clean_cats();
    cats[1].1 = "";
    let mut b = Builder::new();
    b.cats(&cats);
    let r = check(&b.build());
    let f = only(&r, codes::MISSING_VALUE, Severity::Error, "C14");
    assert_eq!(f.message, "二级指标为空");
}

// ---------------------------------------------------------------- duplicate_indicator

#[test]
fn duplicate_indicator_within_one_category_only() {
    let t = with_cat(
        "产出指标",
        "数量指标",
        vec![("改造学校数量", "≥12所"), ("改造 学校数量", "≥10所")],
    );
    let r = check(&t);
    let f = only(&r, codes::DUPLICATE_INDICATOR, Severity::Error, "D13");
    assert!(f.message.contains("第 12 行"), "{}", f.message);
    assert!(f.message.contains("数量指标"), "{}", f.message);
    assert_eq!(f.group_value("level2"), text("数量指标").as_ref());

    // The same name under another 二级: fine.
    let t = with_cat("产出指标", "质量指标", vec![("改造学校数量", "100%")]);
    assert!(of(&check(&t), codes::DUPLICATE_INDICATOR).is_empty());
}

// ---------------------------------------------------------------- the dept rules that apply

#[test]
fn percent_unparsed_header_and_unmapped_apply_to_project_tables() {
    let t = with_cat(
        "满意度指标",
        "服务对象满意度指标",
        vec![("师生满意度", "120%")],
    );
    let r = check(&t);
    let f = only(&r, codes::PERCENT_OUT_OF_RANGE, Severity::Error, "E19");
    assert!(f.message.contains("指标值 120%"), "{}", f.message);

    let t = with_cat("产出指标", "质量指标", vec![("设施验收合格率", "见附件")]);
    let r = check(&t);
    let f = only(&r, codes::UNPARSED_VALUE, Severity::Warning, "E14");
    assert!(f.message.starts_with("指标值“见附件”"), "{}", f.message);

    // The 三级指标 column missing; the optional 指标解释/分值 columns are not required.
    let mut t = clean().build();
    t.source.columns.shift_remove("name");
    t.source.header_labels.shift_remove("name");
    let r = check(&t);
    let f = only(&r, codes::HEADER_MISMATCH, Severity::Error, "D11");
    assert!(f.message.contains("三级指标"), "{}", f.message);

    let mut t = clean().build();
    t.extras.push(Extra {
        sheet: "项目1".into(),
        cell: "H12".into(),
        text: "另附".into(),
        kind: ExtraKind::Stray,
    });
    only(
        &check(&t),
        codes::UNMAPPED_CONTENT,
        Severity::Warning,
        "H12",
    );
}

#[test]
fn no_standard_or_history_no_unit_or_history_rules() {
    // The project template has no Standard/HistoryLast role: nothing to compare.
    let t = with_cat("产出指标", "数量指标", vec![("改造学校数量", "12所")]);
    let mut prior = t.clone();
    prior.year = Some(2023);
    let r = validate(&t, &pt(), Some(&prior));
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
}

// ---------------------------------------------------------------- empty_table

#[test]
fn empty_table_on_a_blank_project_template() {
    let mut b = Builder::new();
    b.cats(&[
        ("产出指标", "数量指标", vec![]),
        ("效益指标", "社会效益指标", vec![]),
        ("满意度指标", "服务对象满意度指标", vec![]),
    ]);
    let r = check(&b.build());
    let f = only(&r, codes::EMPTY_TABLE, Severity::Error, "D12");
    assert!(
        f.message.contains("三级指标") && f.message.contains("指标值"),
        "{}",
        f.message
    );
    assert_eq!(f.field, None);

    // Names without values are no filled indicator either.
    let mut b = Builder::new();
    b.cats(&[("产出指标", "数量指标", vec![("改造学校数量", "")])]);
    let r = check(&b.build());
    assert_eq!(cells(&r, codes::EMPTY_TABLE), ["D12"]);
    // One filled indicator: not empty.
    let mut b = Builder::new();
    b.cats(&[("产出指标", "数量指标", vec![("改造学校数量", "12所")])]);
    assert!(of(&check(&b.build()), codes::EMPTY_TABLE).is_empty());
}

#[test]
fn empty_table_on_dept_overall() {
    let mut s = crate::seed::seed_at(6);
    for g in &mut s.groups {
        g.indicators.clear();
    }
    let r = validate(&s, &crate::seed::template(), None);
    assert_eq!(r.issues.len(), 1, "{:#?}", r.issues);
    let f = &r.issues[0];
    assert_eq!(
        (f.code, f.severity, f.cell.as_str()),
        (codes::EMPTY_TABLE, Severity::Error, "D6")
    );
    assert!(
        f.message.contains("绩效指标") && f.message.contains("年度指标值"),
        "{}",
        f.message
    );
    let j = serde_json::to_value(f).unwrap();
    assert!(j["duty"].is_null() && j.get("level1").is_none(), "{j}");
    // The seed itself is not empty.
    assert!(of(
        &validate(&crate::seed::seed_at(6), &crate::seed::template(), None),
        codes::EMPTY_TABLE
    )
    .is_empty());
}

// ---------------------------------------------------------------- missing_title

#[test]
fn missing_title_on_project_tables() {
    let mut t = clean().build();
    t.title = String::new();
    let r = check(&t);
    let f = only(&r, codes::MISSING_TITLE, Severity::Warning, "A1");
    assert!(f.message.contains("未找到表格标题"), "{}", f.message);
    assert!(
        f.message.contains("2024年度项目支出绩效目标表"),
        "{}",
        f.message
    );

    let mut t = clean().build();
    t.title = "项目支出绩效目标表".into();
    let r = check(&t);
    let f = only(&r, codes::MISSING_TITLE, Severity::Warning, "A1");
    assert!(f.message.contains("没有写明年度"), "{}", f.message);

    // A title naming the year in any published variant: fine.
    for title in [
        "项目支出绩效目标表（2024年度）",
        "2024年临沂市教育局项目支出绩效目标申报表",
        "临沂市教育局2024年项目支出绩效目标表",
    ] {
        let mut t = clean().build();
        t.title = title.into();
        assert!(
            check(&t).issues.is_empty(),
            "{title}: {:#?}",
            check(&t).issues
        );
    }
}

#[test]
fn missing_title_on_dept_overall() {
    let mut s = crate::seed::seed_at(6);
    s.title = String::new();
    let r = validate(&s, &crate::seed::template(), None);
    let found = of(&r, codes::MISSING_TITLE);
    assert_eq!(found.len(), 1, "{:#?}", r.issues);
    assert_eq!(
        (found[0].severity, found[0].cell.as_str()),
        (Severity::Warning, "A1")
    );
    assert!(
        found[0].message.contains("部门预算整体绩效目标表"),
        "{}",
        found[0].message
    );
    assert_eq!(
        r.warnings, 3,
        "the seed's two and this one: {:#?}",
        r.issues
    );
    let mut s = crate::seed::seed_at(6);
    s.title = "临沂市教育局部门预算整体绩效目标表".into();
    assert_eq!(
        of(
            &validate(&s, &crate::seed::template(), None),
            codes::MISSING_TITLE
        )
        .len(),
        1
    );
}

// ---------------------------------------------------------------- rules need their settings

/// Project-only rules.
const PROJECT_RULES: [Code; 5] = [
    codes::FUNDS_MISMATCH,
    codes::MISSING_CATEGORY,
    codes::UNKNOWN_CATEGORY,
    codes::PLACEHOLDER_VALUE,
    codes::COST_DIRECTION,
];

#[test]
fn dept_overall_never_fires_project_rules() {
    let mut s = crate::seed::seed_at(6);
    // Texts that would be placeholders, unknown categories or cost floors in a project table.
    crate::seed::set(&mut s, "省特色高中数量", "annual_value", "xx个");
    crate::seed::set(&mut s, "人才培育人次", "planned_value", "待定");
    crate::seed::rename(&mut s, "组建教师教育专家库数量", "xx");
    crate::seed::set_duty(&mut s, 0, "duty_name", "成本指标");
    crate::seed::set(
        &mut s,
        "教育改革发展政策措施拟定数量",
        "annual_value",
        "≥1个",
    );
    let r = validate(&s, &crate::seed::template(), None);
    for code in PROJECT_RULES {
        assert!(of(&r, code).is_empty(), "{code}: {:#?}", r.issues);
    }
    // What the dept rules say instead: unparsed values.
    assert_eq!(cells(&r, codes::UNPARSED_VALUE), ["F16", "G18"]);
}

#[test]
fn a_project_template_without_the_settings_fires_none() {
    let mut t = pt();
    t.rules.required_categories.clear();
    t.rules.cost_categories.clear();
    t.rules.placeholders.clear();
    t.rules.placeholder_marks.clear();
    t.categories.clear();
    let mut b = Builder::new();
    b.cats(&[
        ("投入指标", "资金投入", vec![("xx", "≥250万元")]),
        (
            "成本指标",
            "经济成本指标",
            vec![("单校改造成本", "≥21万元")],
        ),
    ]);
    let r = validate(&b.build(), &t, None);
    for code in PROJECT_RULES {
        if code != codes::FUNDS_MISMATCH {
            assert!(of(&r, code).is_empty(), "{code}: {:#?}", r.issues);
        }
    }
    // The same table with the built-in settings fires them.
    let r = validate(&b.build(), &pt(), None);
    for code in [
        codes::MISSING_CATEGORY,
        codes::UNKNOWN_CATEGORY,
        codes::PLACEHOLDER_VALUE,
        codes::COST_DIRECTION,
    ] {
        assert!(!of(&r, code).is_empty(), "{code}: {:#?}", r.issues);
    }
}

#[test]
fn skip_switches_a_rule_off() {
    let mut b = clean();
    b.form("funds_other", "40");
    let mut t = pt();
    t.rules.skip.push(codes::FUNDS_MISMATCH.to_string());
    assert!(validate(&b.build(), &t, None).issues.is_empty());
    assert_eq!(check(&b.build()).errors, 1);
}

// ---------------------------------------------------------------- report form

#[test]
fn project_findings_name_their_category_in_json_and_text() {
    let mut b = Builder::new();
    b.form("unit", "");
    b.cats(&clean_cats());
    let mut t = b.build();
    let ix = 4; // 效益指标/社会效益指标, row 17
    let v = t.shape.indicator_field("value").unwrap();
    t.groups[ix].indicators[0].values[v] = String::new();
    t.groups[ix].indicators[0].parsed.clear();
    let r = check(&t);
    let j = serde_json::to_value(&r).unwrap();
    let issues = j["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 2, "{j:#}");
    let form = &issues[0];
    assert_eq!(form["cell"], "F4");
    assert!(
        form["level1"].is_null() && form["level2"].is_null(),
        "{form}"
    );
    assert!(form.get("duty").is_none(), "{form}");
    let grid = &issues[1];
    assert_eq!(grid["cell"], "E17");
    assert_eq!(grid["level1"], "效益指标");
    assert_eq!(grid["level2"], "社会效益指标");
    assert_eq!(grid["indicator"], "校园安全事故发生率");
    assert_eq!(grid["field"], "value");
    let text = serde_json::to_string(&r.issues[1]).unwrap();
    assert!(
        text.starts_with(r#"{"severity":"error","code":"missing_value","sheet":"项目1","cell":"E17","level1":"效益指标","level2":"社会效益指标","indicator":"#),
        "{text}"
    );

    let out = render_text(&r, &t);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.contains(&"效益指标/社会效益指标"), "{out}");
    assert!(
        lines.contains(
            &"  错误 E17 效益指标/社会效益指标 校园安全事故发生率：指标值为空〔必填项为空（missing_value）〕"
        ),
        "{out}"
    );
    assert!(
        lines.contains(&"  警告 F4：实施单位为空〔必填项为空（missing_value）〕"),
        "{out}"
    );
    let pos = |s: &str| lines.iter().position(|l| l.contains(s)).unwrap();
    assert!(pos("警告 F4") < pos("效益指标/社会效益指标"), "{out}");
}

#[test]
fn a_model_without_recorded_cells_uses_the_official_layout() {
    let mut b = clean();
    b.form("annual_goal", "");
    let mut t = b.build();
    t.source.columns.clear();
    t.source.header_labels.clear();
    t.source.form_cells.clear();
    let v = t.shape.indicator_field("value").unwrap();
    t.groups[0].indicators[1].values[v] = String::new();
    t.groups[0].indicators[1].parsed.clear();
    let r = check(&t);
    let got: Vec<_> = r.issues.iter().map(|f| f.cell.as_str()).collect();
    // 年度总体目标's value cell is B10; 指标值 is column E (no optional columns before it).
    assert_eq!(got, ["B10", "E13"], "{:#?}", r.issues);
}
