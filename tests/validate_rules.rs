//! The validation rules (spec/rules.md) on the seed's 2023 table, built in code:
//! the seed as submitted, then one planted problem per rule.

use indexmap::IndexMap;
use jixiao::model::{
    Cmp, Duty, Extra, ExtraKind, Field, Indicator, Parsed, Place, Quantity, Seq, Source, Table,
};
use jixiao::quantity::parse_value;
use jixiao::template::Template;
use jixiao::validate::{render_text, validate, Finding, Report, Severity, VALIDATION_SCHEMA};

// ---------------------------------------------------------------- the seed table

/// What a value's text reads as: the real parser's answer for the seed's
/// compound, qualitative, `万` and `以上` texts (the stub parser does not know
/// them yet), else `parse_value`.
fn parse(text: &str, t: &Template) -> Option<Parsed> {
    let s = text.trim();
    let q = |cmp, number, unit: &str| {
        Some(Parsed::Quantity(Quantity {
            cmp,
            number,
            unit: unit.into(),
        }))
    };
    if s.is_empty() {
        return None;
    }
    if s.contains("获奖") || s.starts_with("报考") {
        return Some(Parsed::Compound);
    }
    if s == "基本实现" {
        return Some(Parsed::Qualitative);
    }
    if s == "/" {
        return Some(Parsed::NotApplicable);
    }
    if let Some(n) = s.strip_suffix("%以上") {
        return q(Some(Cmp::Ge), n.parse().unwrap(), "%");
    }
    if let Some((n, unit)) = s.split_once('万') {
        if let Ok(n) = n.parse::<f64>() {
            return q(None, n * 10000.0, unit);
        }
    }
    parse_value(s, &t.rules.qualitative_words)
}

/// Fills `parsed` of every value field from its text.
fn reparse(table: &mut Table, t: &Template) {
    for d in &mut table.duties {
        for i in &mut d.indicators {
            i.parsed.clear();
            for f in Field::VALUES {
                if let Some(p) = parse(i.get(f).unwrap(), t) {
                    i.parsed.insert(f.key().to_string(), p);
                }
            }
        }
    }
}

/// One row: name, explanation, then F..L (annual, planned, standard, standard
/// source, avg3, last, history source), then activities.
type Row<'a> = (&'a str, &'a str, [&'a str; 7], &'a str);

fn indicator(row: u32, r: &Row<'_>) -> Indicator {
    let (name, explanation, v, activities) = r;
    Indicator {
        name: name.to_string(),
        explanation: explanation.to_string(),
        annual_value: v[0].into(),
        planned_value: v[1].into(),
        standard_value: v[2].into(),
        standard_source: v[3].into(),
        history_avg3: v[4].into(),
        history_last: v[5].into(),
        history_source: v[6].into(),
        activities: activities.to_string(),
        row,
        parsed: IndexMap::new(),
    }
}

/// The seed's 2023 table of 临沂市教育局 (seeds/000_398316883b87688f.txt):
/// 5 duties, 16 indicators on rows 6–21, columns A–M. Three indicator names the
/// PDF's text lost are filled in from their explanations.
fn seed() -> Table {
    let t = Template::default_template();
    let p = "工作计划";
    let n = "内部统计";
    let duties: Vec<(u32, &str, &str, Vec<Row>)> = vec![
        (
            1,
            "教育改革发展政策",
            "起草全市教育方面的政策措施，拟定全市教育改革与发展规划，指导全市教育科学研究、教学研究和教学改革改制工作。",
            vec![
                ("教育改革发展政策措施拟定数量", "反映教育改革发展政策措施拟定情况。",
                 ["1个", "/", "1个", p, "1个", "1个", n], "开展教育部基础教育课程改革工作。"),
                ("教学质量提升工作完成率", "反映教育教学研究、教学指导与服务、学业质量监测、课题研究、课改实验项目等工作开展情况。",
                 ["85%", "/", "85%", p, "80%", "80%", n], "开展教学研讨活动、项目研究、教学评估、课题研究、学业质量监测评估。"),
            ],
        ),
        (
            2,
            "教育改革发展政策",
            "指导高校的高新技术应用研究与推广科研成果工作，组织实施国家和省、市教育科研项目。",
            vec![("省级科技创新平台建设数量", "反映省级科技创新平台建设情况。",
                  ["1个", "/", "1个", p, "1个", "1个", n], "开展省级科技创新平台建设工作。")],
        ),
        (
            3,
            "统筹规划教师队伍建设",
            "主管全市教师工作，指导学校教职工队伍建设、学校内部管理体制改革，承担全市各类学校的设立、调整等事宜的评估与审批工作，协调好各县区的有关教育工作。",
            vec![
                ("师资队伍培训人次", "反映师资队伍培训开展情况。",
                 ["11万人次", "/", "11万人次", p, "8万人次", "10万人次", n],
                 "1.开展“互联网+教师专业发展”工程，组织开展网络研修。\n2.组织开展乡村教师骨干教师培训。\n3.组织开展新入职教师培训。\n4.组织开展教师信息技术能力提升2.0项目。\n5.组织开展思政教师培训。\n6.扎实开展“三名工程”人选培养。"),
                ("教育综合督导完成率", "涉及贯彻执行党的教育方针和落实教育法规政策，各级各类教育发展，教育保障，教师队伍建设及待遇落实，规范办学、促进教育公平。",
                 ["100%", "/", "100%", p, "100%", "100%", n], "开展对县区政府履行教育职责评价工作。"),
                ("组建教师教育专家库数量", "反映组建教师教育队伍建设情况。",
                 ["210人", "250人", "210人", p, "200人", "200人", n], "组建教师教育专家库。"),
                ("新建改扩建中小学校数量", "反映新建改扩建中小学校工作推进情况。",
                 ["33处", "/", "33处", p, "100处", "107处", n], "开展中小学校新建改扩建工作。"),
            ],
        ),
        (
            4,
            "教育管理与服务",
            "管理全市学历教育，组织实施大中专学校、高教自学等报名、考试工作，负责对外及港澳台地区的教育交流与合作工作。管理全市教育系统出国留学、接受外国学生和外籍老师管理工作，指导学校安全保卫工作，提高学校安全风险防控和应急管理水平。",
            vec![
                ("组织招生考试参与人次", "反映组织招生考试工作开展情况。",
                 ["280万人次", "/", "280万人次", p, "", "报考72万人，255万科次", n], "开展教育招生考试工作工作。"),
                ("教育现代化实现情况", "反映教育现代化实现情况。",
                 ["基本实现", "基本实现", "基本实现", p, "90.00%", "95.00%", n], "提升教育管理、教学条件、教学内容、教学方法、教育技术等。"),
                ("学前教育普及率", "在园幼儿数量总数与适龄儿童之比。",
                 ["90%", "75%以上", "90%", p, "90.00%", "90.00%", "省学前教育信息系统"], "开展学前教育普及工作。"),
                ("省特色高中数量", "反映省特色高中数量达标情况。",
                 ["1所", "5所", "1所", p, "1所", "1所", n], "申报1所省特色高中"),
                ("中等职业学校技能大赛省级以上获奖数量", "反映中等职业学校办学质量情况。",
                 ["省赛获奖35、国赛获奖7", "省赛获奖35、国赛获奖7", "省赛获奖35、国赛获奖7", p, "省赛获奖35、国赛获奖6", "省赛获奖35、国赛获奖6", n],
                 "组织参加省级、国家级职业院校技能大赛"),
                ("人才培育人次", "反映人才培养人次达标情况。",
                 ["200人次", "200人次/年", "200人次", p, "200人次", "200人次", n], "开展人才培育工作"),
                ("学生体质健康标准合格率", "反映学生体质健康标准合格率达标情况。",
                 ["90%", "90%", "90%", "体测表", "90.42%", "92.01%", n], "加强学生体质锻炼活动"),
                ("国际交流与合作办学2023年继续招生计划人次", "反映国际交流与合作办学规模及成效。",
                 ["145人", "/", "145人", "县区统计汇总", "141人", "141人", "县区统计汇总"],
                 "经省教育厅批准，临沂一中于2013年、临沂四中于2012年获得举办中外高中课程项目班的资格，严格按获批事项实施办学，落实立德树人根本任务，严格执行国家课程方案和课程标准，注重提高办学质量，不断推动高中教育改革与发展。"),
            ],
        ),
        (
            5,
            "就业指导与资格认定",
            "负责全市师范类毕业生就业指导和就业制度改革工作，负责全市语言文字管理工作和教师资格认定工作。",
            vec![("毕业生就业指导人数", "反映毕业生就业指导和服务工作开展情况。",
                  ["1550人", "/", "1550人", p, "2846人", "4300人", n],
                  "扎实做好师范类高校毕业生就业指导、网签、档案转递等工作，提供就业指导服务。")],
        ),
    ];

    let mut table = Table::new("dept-overall");
    table.title = "2023年临沂市教育局部门预算整体绩效目标表".into();
    table.year = Some(2023);
    table.department = Some("临沂市教育局".into());
    let mut columns = IndexMap::new();
    let mut header_labels = IndexMap::new();
    for leaf in t.leaves() {
        columns.insert(
            leaf.field.key().to_string(),
            jixiao::model::col_letters(leaf.col as u32),
        );
        header_labels.insert(leaf.field.key().to_string(), leaf.path.join(" › "));
    }
    table.source = Source {
        path: "教育局2023.xlsx".into(),
        sheet: "Sheet1".into(),
        format: "xlsx".into(),
        header_rows: [3, 5],
        data_rows: Some([6, 21]),
        columns,
        header_labels,
    };
    let mut row = 6;
    for (seq, name, objective, rows) in duties {
        let first = row;
        let indicators: Vec<Indicator> = rows
            .iter()
            .map(|r| {
                let i = indicator(row, r);
                row += 1;
                i
            })
            .collect();
        table.duties.push(Duty {
            seq: Seq::Number(seq),
            name: name.into(),
            objective: objective.into(),
            rows: [first, row - 1],
            indicators,
        });
    }
    reparse(&mut table, &t);
    table
}

fn template() -> Template {
    Template::default_template()
}

/// The indicator of the seed named `name`, mutably.
fn ind<'a>(table: &'a mut Table, name: &str) -> &'a mut Indicator {
    table
        .duties
        .iter_mut()
        .flat_map(|d| d.indicators.iter_mut())
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("no indicator {name}"))
}

/// Sets a value field's text and re-reads it.
fn set(table: &mut Table, name: &str, field: Field, text: &str) {
    let t = template();
    let i = ind(table, name);
    *i.get_mut(field).unwrap() = text.into();
    match parse(text, &t) {
        Some(p) => {
            i.parsed.insert(field.key().into(), p);
        }
        None => {
            i.parsed.shift_remove(field.key());
        }
    }
}

fn check(table: &Table) -> Report {
    validate(table, &template(), None)
}

/// The findings of one code.
fn of<'a>(r: &'a Report, code: &str) -> Vec<&'a Finding> {
    r.issues.iter().filter(|f| f.code == code).collect()
}

/// The single finding of `code`, checked for severity, cell, duty, indicator and field.
fn one<'a>(
    r: &'a Report,
    code: &str,
    severity: Severity,
    cell: &str,
    duty: Option<u32>,
    indicator: Option<&str>,
    field: Option<&str>,
) -> &'a Finding {
    let found = of(r, code);
    assert_eq!(found.len(), 1, "{code}: {:#?}", r.issues);
    let f = found[0];
    assert_eq!(f.severity, severity, "{f:?}");
    assert_eq!(f.cell, cell, "{f:?}");
    assert_eq!(f.sheet, "Sheet1");
    assert_eq!(f.duty, duty.map(Seq::Number), "{f:?}");
    assert_eq!(f.indicator.as_deref(), indicator, "{f:?}");
    assert_eq!(f.field.as_deref(), field, "{f:?}");
    f
}

/// The seed's own two findings (and nothing else of `code`s other than `except`).
fn assert_only_seed_findings_besides(r: &Report, except: &[&str]) {
    let others: Vec<&Finding> = r
        .issues
        .iter()
        .filter(|f| !except.contains(&f.code.as_str()) && f.code != "target_below_history")
        .collect();
    assert!(others.is_empty(), "unexpected findings: {others:#?}");
    assert_eq!(of(r, "target_below_history").len(), 2, "{:#?}", r.issues);
}

// ---------------------------------------------------------------- the seed as submitted

#[test]
fn seed_model_has_the_shape_of_the_seed() {
    let s = seed();
    assert_eq!(s.duties.len(), 5);
    assert_eq!(s.indicators().count(), 16);
    assert_eq!(s.source.data_rows, Some([6, 21]));
    assert_eq!(s.duties.last().unwrap().indicators[0].row, 21);
    assert_eq!(s.cell_of(Field::AnnualValue, 10).as_deref(), Some("F10"));
    assert_eq!(
        s.source.columns.values().cloned().collect::<Vec<_>>(),
        ('A'..='M').map(String::from).collect::<Vec<_>>()
    );
}

#[test]
fn seed_has_no_errors_and_exactly_two_targets_below_history() {
    let r = check(&seed());
    assert_eq!(r.schema, VALIDATION_SCHEMA);
    assert_eq!(r.path, "教育局2023.xlsx");
    assert_eq!(r.errors, 0, "{:#?}", r.issues);
    assert_eq!(r.warnings, 2, "{:#?}", r.issues);
    assert_eq!(r.issues.len(), 2, "{:#?}", r.issues);
    let a = &r.issues[0];
    assert_eq!(
        (a.code.as_str(), a.severity, a.cell.as_str()),
        ("target_below_history", Severity::Warning, "F12")
    );
    assert_eq!(a.duty, Some(Seq::Number(3)));
    assert_eq!(a.indicator.as_deref(), Some("新建改扩建中小学校数量"));
    assert_eq!(a.field.as_deref(), Some("annual_value"));
    assert!(
        a.message.contains("33处") && a.message.contains("107处"),
        "{}",
        a.message
    );
    assert_eq!(
        a.place,
        Some(Place {
            duty: 2,
            indicator: Some(3),
            field: Field::AnnualValue
        })
    );
    let b = &r.issues[1];
    assert_eq!(
        (b.code.as_str(), b.severity, b.cell.as_str()),
        ("target_below_history", Severity::Warning, "F21")
    );
    assert_eq!(b.duty, Some(Seq::Number(5)));
    assert_eq!(b.indicator.as_deref(), Some("毕业生就业指导人数"));
    assert!(
        b.message.contains("1550人") && b.message.contains("4300人"),
        "{}",
        b.message
    );
}

#[test]
fn a_rate_target_below_last_years_rate_is_not_a_warning() {
    // 学生体质健康标准合格率 90% vs 92.01%: a floor standard, not a count.
    let r = check(&seed());
    assert!(r
        .issues
        .iter()
        .all(|f| f.indicator.as_deref() != Some("学生体质健康标准合格率")));
    // The exclusion is the template's setting, not code: without it, it fires.
    let mut t = template();
    t.rules.target_below_history_skip_units.clear();
    let r = validate(&seed(), &t, None);
    let f: Vec<_> = of(&r, "target_below_history")
        .into_iter()
        .filter(|f| f.cell == "F19")
        .collect();
    assert_eq!(f.len(), 1, "{:#?}", r.issues);
}

#[test]
fn a_noisy_copy_gives_the_same_findings() {
    let clean = check(&seed());
    let mut noisy = seed();
    for d in &mut noisy.duties {
        d.name = format!(" {}\n", d.name);
        d.objective = format!("\u{3000}{} ", d.objective);
        for i in &mut d.indicators {
            for f in Field::INDICATOR {
                let v = i.get_mut(f).unwrap();
                if !v.is_empty() {
                    *v = format!("  {v}\n");
                }
            }
            // Percentages written with decimals, as a percent-formatted number renders.
            for f in Field::VALUES {
                let v = i.get_mut(f).unwrap();
                if v.trim() == "90%" {
                    *v = "90.00%".into();
                }
            }
        }
    }
    reparse(&mut noisy, &template());
    let r = check(&noisy);
    assert_eq!(r, clean);
}

// ---------------------------------------------------------------- one planted problem per rule

#[test]
fn header_mismatch_missing_column() {
    let mut s = seed();
    s.source.columns.shift_remove("annual_value");
    s.source.header_labels.shift_remove("annual_value");
    let r = check(&s);
    let f = one(
        &r,
        "header_mismatch",
        Severity::Error,
        "F3",
        None,
        None,
        Some("annual_value"),
    );
    assert!(f.message.contains("年度指标值"), "{}", f.message);
    assert_eq!(f.place, None);
    // An absent column is not also reported as 16 empty cells.
    assert!(of(&r, "missing_value").is_empty());
    assert_eq!(r.errors, 1);
}

#[test]
fn header_mismatch_columns_out_of_order() {
    let mut s = seed();
    // 前三年均值 and 上年值 swapped: 上年值 found in J, 前三年均值 in K.
    s.source.columns.insert("history_avg3".into(), "K".into());
    s.source.columns.insert("history_last".into(), "J".into());
    let r = check(&s);
    let f = one(
        &r,
        "header_mismatch",
        Severity::Error,
        "J3",
        None,
        None,
        Some("history_last"),
    );
    assert!(
        f.message.contains("上年值") && f.message.contains("前三年均值"),
        "{}",
        f.message
    );
    assert!(f.message.contains("J 列"), "{}", f.message);
}

#[test]
fn missing_value_annual_is_an_error() {
    let mut s = seed();
    set(&mut s, "教育综合督导完成率", Field::AnnualValue, "");
    let r = check(&s);
    let f = one(
        &r,
        "missing_value",
        Severity::Error,
        "F10",
        Some(3),
        Some("教育综合督导完成率"),
        Some("annual_value"),
    );
    assert_eq!(f.message, "年度指标值为空");
    assert_eq!(
        f.place,
        Some(Place {
            duty: 2,
            indicator: Some(1),
            field: Field::AnnualValue
        })
    );
    assert_eq!(r.errors, 1);
    assert_only_seed_findings_besides(&r, &["missing_value"]);
}

#[test]
fn missing_value_white_space_only_is_empty() {
    let mut s = seed();
    ind(&mut s, "人才培育人次").name = " \u{3000}".into();
    let r = check(&s);
    let f = one(
        &r,
        "missing_value",
        Severity::Error,
        "D18",
        Some(4),
        None,
        Some("name"),
    );
    assert_eq!(f.message, "绩效指标为空");
}

#[test]
fn missing_value_duty_level_fields_once_per_duty() {
    let mut s = seed();
    s.duties[3].objective = String::new();
    s.duties[4].name = " ".into();
    let r = check(&s);
    let found = of(&r, "missing_value");
    assert_eq!(found.len(), 2, "{:#?}", r.issues);
    let c = found[0];
    assert_eq!(
        (c.severity, c.cell.as_str(), c.field.as_deref()),
        (Severity::Error, "C13", Some("objective"))
    );
    assert_eq!(
        (c.duty.clone(), c.indicator.clone()),
        (Some(Seq::Number(4)), None)
    );
    assert_eq!(c.message, "职责目标为空");
    assert_eq!(
        c.place,
        Some(Place {
            duty: 3,
            indicator: None,
            field: Field::Objective
        })
    );
    let b = found[1];
    assert_eq!(
        (b.severity, b.cell.as_str(), b.field.as_deref()),
        (Severity::Error, "B21", Some("duty_name"))
    );
    assert_eq!(b.message, "部门职责为空");
}

#[test]
fn missing_value_seq_is_an_error() {
    let mut s = seed();
    s.duties[1].seq = Seq::Text(String::new());
    let r = check(&s);
    one(
        &r,
        "missing_value",
        Severity::Error,
        "A8",
        None,
        None,
        Some("seq"),
    );
}

#[test]
fn missing_value_warnings_and_optional_fields() {
    let mut s = seed();
    set(&mut s, "教学质量提升工作完成率", Field::Explanation, "");
    set(&mut s, "教学质量提升工作完成率", Field::HistoryAvg3, "");
    set(&mut s, "教学质量提升工作完成率", Field::PlannedValue, "");
    let r = check(&s);
    let f = one(
        &r,
        "missing_value",
        Severity::Warning,
        "E7",
        Some(1),
        Some("教学质量提升工作完成率"),
        Some("explanation"),
    );
    assert_eq!(f.message, "指标解释为空");
    assert_eq!(r.errors, 0);

    // Every warning-level field of the template.
    let mut s = seed();
    for f in [
        Field::Explanation,
        Field::StandardValue,
        Field::StandardSource,
        Field::HistoryLast,
        Field::HistorySource,
        Field::Activities,
    ] {
        set(&mut s, "省特色高中数量", f, "");
    }
    let r = check(&s);
    let cells: Vec<_> = of(&r, "missing_value")
        .iter()
        .map(|f| (f.cell.clone(), f.severity))
        .collect();
    let w = Severity::Warning;
    assert_eq!(
        cells,
        vec![
            ("E16".to_string(), w),
            ("H16".into(), w),
            ("I16".into(), w),
            ("K16".into(), w),
            ("L16".into(), w),
            ("M16".into(), w)
        ]
    );
    assert_eq!(r.errors, 0);
}

#[test]
fn duplicate_indicator_at_the_second_occurrence() {
    let mut s = seed();
    ind(&mut s, "人才培育人次").name = "省特色 高中数量".into();
    let r = check(&s);
    let f = one(
        &r,
        "duplicate_indicator",
        Severity::Error,
        "D18",
        Some(4),
        Some("省特色 高中数量"),
        Some("name"),
    );
    assert!(f.message.contains("第 16 行"), "{}", f.message);
    assert_only_seed_findings_besides(&r, &["duplicate_indicator"]);
}

#[test]
fn duplicate_names_in_different_duties_are_fine() {
    let mut s = seed();
    ind(&mut s, "毕业生就业指导人数").name = "省特色高中数量".into();
    assert!(of(&check(&s), "duplicate_indicator").is_empty());
}

#[test]
fn percent_out_of_range_in_a_bounded_rate() {
    let mut s = seed();
    set(&mut s, "学前教育普及率", Field::AnnualValue, "120%");
    let r = check(&s);
    let f = one(
        &r,
        "percent_out_of_range",
        Severity::Error,
        "F15",
        Some(4),
        Some("学前教育普及率"),
        Some("annual_value"),
    );
    assert_eq!(
        f.message,
        "“学前教育普及率”的年度指标值 120% 超出 0–100%（比率不能大于 100% 或小于 0）"
    );
    assert_only_seed_findings_besides(&r, &["percent_out_of_range"]);
}

#[test]
fn percent_out_of_range_in_any_value_field_but_not_for_growth_rates() {
    let mut s = seed();
    set(&mut s, "教学质量提升工作完成率", Field::HistoryLast, "180%");
    let r = check(&s);
    one(
        &r,
        "percent_out_of_range",
        Severity::Error,
        "K7",
        Some(1),
        Some("教学质量提升工作完成率"),
        Some("history_last"),
    );
    let mut s = seed();
    ind(&mut s, "学前教育普及率").name = "学前教育入园人数增长率".into();
    set(&mut s, "学前教育入园人数增长率", Field::AnnualValue, "120%");
    assert!(of(&check(&s), "percent_out_of_range").is_empty());
    // Not a rate by name: 120% is not out of range.
    let mut s = seed();
    ind(&mut s, "学前教育普及率").name = "学前教育经费占比情况".into();
    set(&mut s, "学前教育经费占比情况", Field::AnnualValue, "120%");
    assert!(of(&check(&s), "percent_out_of_range").is_empty());
}

#[test]
fn unit_mismatch_with_standard_and_last_year() {
    let mut s = seed();
    set(
        &mut s,
        "组建教师教育专家库数量",
        Field::StandardValue,
        "210人次",
    );
    let r = check(&s);
    let f = one(
        &r,
        "unit_mismatch",
        Severity::Warning,
        "H11",
        Some(3),
        Some("组建教师教育专家库数量"),
        Some("standard_value"),
    );
    assert!(
        f.message.contains("210人次") && f.message.contains("210人"),
        "{}",
        f.message
    );
    assert_only_seed_findings_besides(&r, &["unit_mismatch"]);

    let mut s = seed();
    set(
        &mut s,
        "组建教师教育专家库数量",
        Field::HistoryLast,
        "200个",
    );
    let r = check(&s);
    one(
        &r,
        "unit_mismatch",
        Severity::Warning,
        "K11",
        Some(3),
        Some("组建教师教育专家库数量"),
        Some("history_last"),
    );
    assert_only_seed_findings_besides(&r, &["unit_mismatch"]);
}

#[test]
fn target_below_history_planted_and_lower_is_better() {
    let mut s = seed();
    set(
        &mut s,
        "组建教师教育专家库数量",
        Field::AnnualValue,
        "150人",
    );
    let r = check(&s);
    let found = of(&r, "target_below_history");
    assert_eq!(found.len(), 3, "{:#?}", r.issues);
    let f = found.iter().find(|f| f.cell == "F11").expect("F11");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.duty, Some(Seq::Number(3)));
    assert_eq!(f.indicator.as_deref(), Some("组建教师教育专家库数量"));
    assert_eq!(f.field.as_deref(), Some("annual_value"));

    // A lower-is-better name (template regex) does not fire.
    let mut s = seed();
    ind(&mut s, "毕业生就业指导人数").name = "毕业生档案转递平均时间".into();
    let r = check(&s);
    assert_eq!(of(&r, "target_below_history").len(), 1);
    assert_eq!(of(&r, "target_below_history")[0].cell, "F12");

    // A ceiling (≤) target does not fire either.
    let mut s = seed();
    let i = ind(&mut s, "毕业生就业指导人数");
    i.parsed.insert(
        "annual_value".into(),
        Parsed::Quantity(Quantity {
            cmp: Some(Cmp::Le),
            number: 1550.0,
            unit: "人".into(),
        }),
    );
    assert_eq!(of(&check(&s), "target_below_history").len(), 1);
}

#[test]
fn seq_gap_at_the_first_offending_duty() {
    let mut s = seed();
    s.duties[3].seq = Seq::Number(6);
    let r = check(&s);
    let f = one(
        &r,
        "seq_gap",
        Severity::Warning,
        "A13",
        Some(6),
        None,
        Some("seq"),
    );
    assert!(
        f.message.contains('4') && f.message.contains('6'),
        "{}",
        f.message
    );
    assert_eq!(
        f.place,
        Some(Place {
            duty: 3,
            indicator: None,
            field: Field::Seq
        })
    );
    // Not all numbers: no seq_gap.
    let mut s = seed();
    s.duties[3].seq = Seq::Text("四".into());
    assert!(of(&check(&s), "seq_gap").is_empty());
}

#[test]
fn unparsed_value_quotes_the_text() {
    let mut s = seed();
    set(&mut s, "省特色高中数量", Field::HistoryLast, "见附件");
    assert_eq!(
        ind(&mut s, "省特色高中数量").parsed.get("history_last"),
        Some(&Parsed::Unparsed)
    );
    let r = check(&s);
    let f = one(
        &r,
        "unparsed_value",
        Severity::Warning,
        "K16",
        Some(4),
        Some("省特色高中数量"),
        Some("history_last"),
    );
    assert!(f.message.contains("“见附件”"), "{}", f.message);
    assert_only_seed_findings_besides(&r, &["unparsed_value"]);
}

#[test]
fn unmapped_content_for_stray_cells_only() {
    let mut s = seed();
    s.extras.push(Extra {
        sheet: "Sheet1".into(),
        cell: "O10".into(),
        text: "此行数据待核实".into(),
        kind: ExtraKind::Stray,
    });
    s.extras.push(Extra {
        sheet: "Sheet1".into(),
        cell: "A23".into(),
        text: "注：年度指标值为本年度计划达到的目标值。".into(),
        kind: ExtraKind::Footnote,
    });
    let r = check(&s);
    let f = one(
        &r,
        "unmapped_content",
        Severity::Warning,
        "O10",
        None,
        None,
        None,
    );
    assert!(f.message.contains("此行数据待核实"), "{}", f.message);
    assert_eq!(f.place, None);
    assert_only_seed_findings_besides(&r, &["unmapped_content"]);
    // Ordered by row then column: F10 < O10 < F12.
    let cells: Vec<_> = r.issues.iter().map(|f| f.cell.as_str()).collect();
    assert_eq!(cells, vec!["O10", "F12", "F21"]);
}

#[test]
fn stale_target_only_with_a_prior_table() {
    let current = seed();
    let mut prior = seed();
    prior.year = Some(2022);
    // Last year: the same target 11万人次, but the actual before it was 9万人次.
    set(
        &mut prior,
        "师资队伍培训人次",
        Field::HistoryLast,
        "9万人次",
    );
    let t = template();
    let r = validate(&current, &t, Some(&prior));
    let f = one(
        &r,
        "stale_target",
        Severity::Warning,
        "F9",
        Some(3),
        Some("师资队伍培训人次"),
        Some("annual_value"),
    );
    assert!(
        f.message.contains("11万人次")
            && f.message.contains("9万人次")
            && f.message.contains("10万人次"),
        "{}",
        f.message
    );
    assert!(of(&validate(&current, &t, None), "stale_target").is_empty());

    // Identical tables: nothing moved, nothing stale.
    assert!(of(&validate(&current, &t, Some(&seed())), "stale_target").is_empty());

    // A changed target is not stale.
    let mut prior2 = prior.clone();
    set(
        &mut prior2,
        "师资队伍培训人次",
        Field::AnnualValue,
        "10万人次",
    );
    assert!(of(&validate(&current, &t, Some(&prior2)), "stale_target").is_empty());

    // Matched by name alone when the duty was renumbered.
    let mut prior3 = prior.clone();
    let moved = prior3.duties[2].indicators.remove(0);
    prior3.duties[0].indicators.push(moved);
    assert_eq!(
        of(&validate(&current, &t, Some(&prior3)), "stale_target").len(),
        1
    );

    // 上年值 that is not a quantity says nothing about a move.
    let mut current5 = seed();
    set(
        &mut current5,
        "师资队伍培训人次",
        Field::HistoryLast,
        "见附件",
    );
    assert!(of(&validate(&current5, &t, Some(&prior)), "stale_target").is_empty());

    // Equal as quantities counts as identical (110000人次 written differently).
    let mut prior4 = prior.clone();
    ind(&mut prior4, "师资队伍培训人次").annual_value = "110000人次".into();
    assert_eq!(
        of(&validate(&current, &t, Some(&prior4)), "stale_target").len(),
        1
    );
}

// ---------------------------------------------------------------- report form

#[test]
fn findings_are_ordered_by_row_then_column_and_counted() {
    let mut s = seed();
    set(&mut s, "教育综合督导完成率", Field::AnnualValue, "");
    set(&mut s, "教育综合督导完成率", Field::Explanation, "");
    s.duties[0].objective.clear();
    let r = check(&s);
    let cells: Vec<_> = r.issues.iter().map(|f| f.cell.as_str()).collect();
    assert_eq!(cells, vec!["C6", "E10", "F10", "F12", "F21"]);
    assert_eq!((r.errors, r.warnings), (2, 3));
}

#[test]
fn json_shape() {
    let mut s = seed();
    set(&mut s, "教育综合督导完成率", Field::AnnualValue, "");
    let r = check(&s);
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["schema"], "jixiao.validation/1");
    assert_eq!(j["path"], "教育局2023.xlsx");
    assert_eq!(j["errors"], 1);
    assert_eq!(j["warnings"], 2);
    let issues = j["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 3);
    let first = &issues[0];
    let mut keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        vec![
            "cell",
            "code",
            "duty",
            "field",
            "indicator",
            "message",
            "severity",
            "sheet"
        ]
    );
    // In the file, fields come in the spec's order.
    let text = serde_json::to_string(&r.issues[0]).unwrap();
    assert!(
        text.starts_with(
            r#"{"severity":"error","code":"missing_value","sheet":"Sheet1","cell":"F10","duty":3,"#
        ),
        "{text}"
    );
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "missing_value");
    assert_eq!(first["cell"], "F10");
    assert_eq!(first["duty"], 3);
    assert_eq!(first["indicator"], "教育综合督导完成率");
    assert_eq!(first["field"], "annual_value");
    assert_eq!(first["message"], "年度指标值为空");
    assert_eq!(issues[1]["code"], "target_below_history");
    assert_eq!(issues[1]["severity"], "warning");
    insta::assert_json_snapshot!("seed_with_missing_annual_value", r);
}

#[test]
fn text_report_groups_by_duty_errors_first() {
    let mut s = seed();
    set(&mut s, "新建改扩建中小学校数量", Field::Activities, "");
    set(&mut s, "教育综合督导完成率", Field::AnnualValue, "");
    s.extras.push(Extra {
        sheet: "Sheet1".into(),
        cell: "O10".into(),
        text: "此行数据待核实".into(),
        kind: ExtraKind::Stray,
    });
    let r = check(&s);
    let text = render_text(&r, &s);
    let lines: Vec<&str> = text.lines().collect();
    let pos = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} not in\n{text}"))
    };
    assert!(
        lines.contains(&"  错误 F10 职责3 教育综合督导完成率：年度指标值为空"),
        "{text}"
    );
    // Duty 3: the error before the warnings on earlier/later rows.
    assert!(pos("错误 F10") < pos("警告 F12"), "{text}");
    assert!(pos("错误 F10") < pos("警告 M12"), "{text}");
    // Stray content first, then duties in order.
    assert!(
        pos("警告 O10") < pos("职责3 统筹规划教师队伍建设"),
        "{text}"
    );
    assert!(
        pos("职责3 统筹规划教师队伍建设") < pos("职责5 就业指导与资格认定"),
        "{text}"
    );
    assert!(
        lines.last().unwrap().starts_with("共 1 个错误，4 个警告"),
        "{text}"
    );
    assert!(!text.contains("职责1 "), "{text}");

    let clean = render_text(&check(&seed()), &seed());
    assert!(
        clean
            .trim_end()
            .ends_with("共 0 个错误，2 个警告（无错误，警告请核实）"),
        "{clean}"
    );
}

#[test]
fn a_model_without_recorded_columns_uses_the_official_layout() {
    let mut s = seed();
    s.source.columns.clear();
    s.source.header_labels.clear();
    set(&mut s, "教育综合督导完成率", Field::AnnualValue, "");
    let r = check(&s);
    assert!(of(&r, "header_mismatch").is_empty(), "{:#?}", r.issues);
    one(
        &r,
        "missing_value",
        Severity::Error,
        "F10",
        Some(3),
        Some("教育综合督导完成率"),
        Some("annual_value"),
    );
    assert_eq!(r.warnings, 2);
}

#[test]
fn cells_follow_the_input_columns_when_a_column_is_missing() {
    // No 规划值 column: H..M moved one to the left (G..L).
    let mut s = seed();
    s.source.columns.shift_remove("planned_value");
    s.source.header_labels.shift_remove("planned_value");
    for (_, c) in s.source.columns.iter_mut() {
        let i = jixiao::model::col_index(c).unwrap();
        if i > 6 {
            *c = jixiao::model::col_letters(i - 1);
        }
    }
    set(
        &mut s,
        "组建教师教育专家库数量",
        Field::HistoryLast,
        "200个",
    );
    let r = check(&s);
    let f = one(
        &r,
        "header_mismatch",
        Severity::Error,
        "G3",
        None,
        None,
        Some("planned_value"),
    );
    assert_eq!(
        f.message,
        "表头缺少“规划值”列（按模板应在 G 列，该处表头为“标准值 › 当年标准值 › 标准值”）"
    );
    one(
        &r,
        "unit_mismatch",
        Severity::Warning,
        "J11",
        Some(3),
        Some("组建教师教育专家库数量"),
        Some("history_last"),
    );
    assert_eq!(of(&r, "target_below_history")[1].cell, "F21");
}
