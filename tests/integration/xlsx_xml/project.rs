//! A 项目支出绩效目标表 built in code (the Xiangtan 2023 rows of the spec) for the writer and round-trip tests.
#![allow(dead_code)]

use jixiao::model::{Indicator, Parsed, Quantity, Table};
use jixiao::template::Template;

/// The project-target template.
pub fn project_template() -> Template {
    Template::load("project-target").unwrap()
}

/// Sets form field `key` (and, for an amount, what it reads as in 元).
pub fn set_form(t: &mut Table, key: &str, text: &str) {
    let i = t
        .shape
        .form_field(key)
        .unwrap_or_else(|| panic!("no form field {key}"));
    t.form.values[i] = text.into();
}

fn set_amount(t: &mut Table, key: &str, text: &str, yuan_per_unit: f64) {
    set_form(t, key, text);
    let i = t.shape.form_field(key).unwrap();
    let n: f64 = text.replace(',', "").parse().unwrap();
    t.form.set_parsed(
        i,
        Parsed::Quantity(Quantity {
            cmp: None,
            number: (n * yuan_per_unit * 100.0).round() / 100.0,
            unit: "元".into(),
        }),
    );
}

/// One category: (一级, 一级分值, 二级, 二级分值) and its indicators (三级指标, 指标值).
type Category<'a> = (&'a str, &'a str, &'a str, &'a str, &'a [(&'a str, &'a str)]);

const CATEGORIES: [Category<'static>; 8] = [
    (
        "产出指标",
        "50",
        "数量指标",
        "20",
        &[("配备车辆数", "10辆"), ("风炮射程", "≥80M")],
    ),
    (
        "产出指标",
        "50",
        "质量指标",
        "",
        &[("服务周期内空气质量", "优良")],
    ),
    (
        "产出指标",
        "50",
        "时效指标",
        "",
        &[("服务周期", "2023.07-2024.01")],
    ),
    (
        "产出指标",
        "50",
        "成本指标",
        "",
        &[("控制在预算成本内", "≤250万元")],
    ),
    ("效益指标", "30", "经济效益指标", "", &[]),
    (
        "效益指标",
        "30",
        "社会效益指标",
        "",
        &[("市民对空气质量改善的满意程度", "≥85%")],
    ),
    ("效益指标", "30", "生态效益指标", "", &[]),
    (
        "满意度指标",
        "20",
        "社会公众或服务对象满意度指标",
        "",
        &[("市民满意度", "≥90%")],
    ),
];

/// The sample project in `unit` (`万元` or `元`): 250 万元 of 雾炮车降尘抑尘服务,
/// 8 categories (two of them empty), 7 indicators, 绩效标准 on every row.
/// Rows in the official layout: form 3–10, header 11, data 12–20.
pub fn project_table(unit: &str) -> Table {
    let tpl = project_template();
    let mut t = Table::new(tpl.shape());
    t.title = "2023年度项目支出绩效目标表".into();
    t.year = Some(2023);
    t.department = Some("湘潭市城市管理和综合执法局".into());
    t.source.sheet = "雾炮车".into();
    set_form(&mut t, "name", "雾炮车降尘抑尘服务");
    set_form(&mut t, "department_code", "015001");
    set_form(&mut t, "department", "湘潭市城市管理和综合执法局");
    set_form(&mut t, "unit", "湘潭市环境卫生服务中心");
    set_form(&mut t, "attribute", "延续项目");
    set_form(&mut t, "period", "1年");
    set_form(&mut t, "money_unit", unit);
    let (scale, amounts) = if unit == "元" {
        (1.0, ["2,500,000.00", "2,000,000.00", "500,000.00", "0.00"])
    } else {
        (10_000.0, ["250.00", "200.00", "50.00", "0"])
    };
    for (key, text) in [
        "funds_total",
        "funds_fiscal",
        "funds_carryover",
        "funds_other",
    ]
    .iter()
    .zip(amounts)
    {
        set_amount(&mut t, key, text, scale);
    }
    set_form(
        &mut t,
        "annual_goal",
        "1.配备雾炮车10辆，对城区主次干道开展降尘抑尘作业。\n2.服务周期内城区空气质量保持优良，市民满意度达到90%以上。",
    );
    let shape = t.shape.clone();
    let g = |k: &str| shape.group_field(k).unwrap();
    let f = |k: &str| shape.indicator_field(k).unwrap();
    let mut row = 12;
    for (l1, s1, l2, s2, inds) in CATEGORIES {
        let mut group = t.new_group(row);
        group.values[g("level1")] = l1.into();
        group.values[g("level1_score")] = s1.into();
        group.values[g("level2")] = l2.into();
        group.values[g("level2_score")] = s2.into();
        for (name, value) in inds {
            let mut i: Indicator = t.new_indicator(row);
            i.values[f("name")] = (*name).into();
            i.values[f("value")] = (*value).into();
            i.values[f("standard")] = "计划标准".into();
            group.indicators.push(i);
            row += 1;
        }
        if inds.is_empty() {
            row += 1;
        }
        group.rows = [group.rows[0], row - 1];
        t.groups.push(group);
    }
    t
}

/// The text of indicator field `key` of indicator `k` (in sheet order).
pub fn indicator_text<'a>(t: &'a Table, k: usize, key: &str) -> &'a str {
    let f = t.shape.indicator_field(key).unwrap();
    t.indicators().nth(k).unwrap().1.text(f)
}

/// Sets indicator field `key` of indicator `k` (in sheet order).
pub fn set_indicator(t: &mut Table, k: usize, key: &str, text: &str) {
    let f = t.shape.indicator_field(key).unwrap();
    let mut n = 0;
    for g in &mut t.groups {
        for i in &mut g.indicators {
            if n == k {
                i.values[f] = text.into();
                return;
            }
            n += 1;
        }
    }
    panic!("no indicator {k}");
}
