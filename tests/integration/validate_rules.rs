//! The validation rules (spec/rules.md) on the seed's 2023 table, built in code:
//! the seed as submitted, then one planted problem per rule.

use crate::seed::*;

use jixiao::model::{Cmp, Extra, ExtraKind, FieldRef, Parsed, Place, Quantity, Seq, Table};
use jixiao::validate::{render_text, validate, Finding, Report, Severity, VALIDATION_SCHEMA};

// ---------------------------------------------------------------- the seed table

/// The seed's table as submitted: data on rows 6–21.
fn seed() -> Table {
    seed_at(6)
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
    assert_eq!(
        f.group_value("duty").cloned(),
        duty.map(Seq::Number),
        "{f:?}"
    );
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
    assert_eq!(s.groups.len(), 5);
    assert_eq!(s.indicators().count(), 16);
    assert_eq!(s.source.data_rows, Some([6, 21]));
    assert_eq!(s.groups.last().unwrap().indicators[0].row, 21);
    assert_eq!(
        s.cell_of(FieldRef::Indicator(field("annual_value")), 10)
            .as_deref(),
        Some("F10")
    );
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
    assert_eq!(a.group_value("duty"), Some(&Seq::Number(3)));
    assert_eq!(a.indicator.as_deref(), Some("新建改扩建中小学校数量"));
    assert_eq!(a.field.as_deref(), Some("annual_value"));
    assert!(
        a.message.contains("33处") && a.message.contains("107处"),
        "{}",
        a.message
    );
    assert_eq!(
        a.place,
        Some(Place::Indicator {
            group: 2,
            indicator: 3,
            field: field("annual_value")
        })
    );
    let b = &r.issues[1];
    assert_eq!(
        (b.code.as_str(), b.severity, b.cell.as_str()),
        ("target_below_history", Severity::Warning, "F21")
    );
    assert_eq!(b.group_value("duty"), Some(&Seq::Number(5)));
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
    let shape = noisy.shape.clone();
    let (name_f, obj_f) = (group_field("duty_name"), group_field("objective"));
    for d in &mut noisy.groups {
        d.values[name_f] = format!(" {}\n", d.values[name_f]);
        d.values[obj_f] = format!("\u{3000}{} ", d.values[obj_f]);
        for i in &mut d.indicators {
            for v in &mut i.values {
                if !v.is_empty() {
                    *v = format!("  {v}\n");
                }
            }
            // Percentages written with decimals, as a percent-formatted number renders.
            for f in shape.value_fields() {
                let v = &mut i.values[f];
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
    set(&mut s, "教育综合督导完成率", "annual_value", "");
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
        Some(Place::Indicator {
            group: 2,
            indicator: 1,
            field: field("annual_value")
        })
    );
    assert_eq!(r.errors, 1);
    assert_only_seed_findings_besides(&r, &["missing_value"]);
}

#[test]
fn missing_value_white_space_only_is_empty() {
    let mut s = seed();
    rename(&mut s, "人才培育人次", " \u{3000}");
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
    set_duty(&mut s, 3, "objective", "");
    set_duty(&mut s, 4, "duty_name", " ");
    let r = check(&s);
    let found = of(&r, "missing_value");
    assert_eq!(found.len(), 2, "{:#?}", r.issues);
    let c = found[0];
    assert_eq!(
        (c.severity, c.cell.as_str(), c.field.as_deref()),
        (Severity::Error, "C13", Some("objective"))
    );
    assert_eq!(
        (c.group_value("duty").cloned(), c.indicator.clone()),
        (Some(Seq::Number(4)), None)
    );
    assert_eq!(c.message, "职责目标为空");
    assert_eq!(
        c.place,
        Some(Place::Group {
            group: 3,
            field: group_field("objective")
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
    set_duty(&mut s, 1, "seq", "");
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
    set(&mut s, "教学质量提升工作完成率", "explanation", "");
    set(&mut s, "教学质量提升工作完成率", "history_avg3", "");
    set(&mut s, "教学质量提升工作完成率", "planned_value", "");
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
        "explanation",
        "standard_value",
        "standard_source",
        "history_last",
        "history_source",
        "activities",
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
    rename(&mut s, "人才培育人次", "省特色 高中数量");
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
    rename(&mut s, "毕业生就业指导人数", "省特色高中数量");
    assert!(of(&check(&s), "duplicate_indicator").is_empty());
}

#[test]
fn percent_out_of_range_in_a_bounded_rate() {
    let mut s = seed();
    set(&mut s, "学前教育普及率", "annual_value", "120%");
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
    set(&mut s, "教学质量提升工作完成率", "history_last", "180%");
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
    rename(&mut s, "学前教育普及率", "学前教育入园人数增长率");
    set(&mut s, "学前教育入园人数增长率", "annual_value", "120%");
    assert!(of(&check(&s), "percent_out_of_range").is_empty());
    // Not a rate by name: 120% is not out of range.
    let mut s = seed();
    rename(&mut s, "学前教育普及率", "学前教育经费占比情况");
    set(&mut s, "学前教育经费占比情况", "annual_value", "120%");
    assert!(of(&check(&s), "percent_out_of_range").is_empty());
}

#[test]
fn unit_mismatch_with_standard_and_last_year() {
    let mut s = seed();
    set(
        &mut s,
        "组建教师教育专家库数量",
        "standard_value",
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
    set(&mut s, "组建教师教育专家库数量", "history_last", "200个");
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
    set(&mut s, "组建教师教育专家库数量", "annual_value", "150人");
    let r = check(&s);
    let found = of(&r, "target_below_history");
    assert_eq!(found.len(), 3, "{:#?}", r.issues);
    let f = found.iter().find(|f| f.cell == "F11").expect("F11");
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.group_value("duty"), Some(&Seq::Number(3)));
    assert_eq!(f.indicator.as_deref(), Some("组建教师教育专家库数量"));
    assert_eq!(f.field.as_deref(), Some("annual_value"));

    // A lower-is-better name (template regex) does not fire.
    let mut s = seed();
    rename(&mut s, "毕业生就业指导人数", "毕业生档案转递平均时间");
    let r = check(&s);
    assert_eq!(of(&r, "target_below_history").len(), 1);
    assert_eq!(of(&r, "target_below_history")[0].cell, "F12");

    // A ceiling (≤) target does not fire either.
    let mut s = seed();
    let i = ind(&mut s, "毕业生就业指导人数");
    i.set_parsed(
        field("annual_value"),
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
    set_duty(&mut s, 3, "seq", "6");
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
        Some(Place::Group {
            group: 3,
            field: group_field("seq")
        })
    );
    // Not all numbers: no seq_gap.
    let mut s = seed();
    set_duty(&mut s, 3, "seq", "四");
    assert!(of(&check(&s), "seq_gap").is_empty());
}

#[test]
fn unparsed_value_quotes_the_text() {
    let mut s = seed();
    set(&mut s, "省特色高中数量", "history_last", "见附件");
    assert_eq!(
        ind(&mut s, "省特色高中数量").parsed(field("history_last")),
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
    set(&mut prior, "师资队伍培训人次", "history_last", "9万人次");
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
    set(&mut prior2, "师资队伍培训人次", "annual_value", "10万人次");
    assert!(of(&validate(&current, &t, Some(&prior2)), "stale_target").is_empty());

    // Matched by name alone when the duty was renumbered.
    let mut prior3 = prior.clone();
    let moved = prior3.groups[2].indicators.remove(0);
    prior3.groups[0].indicators.push(moved);
    assert_eq!(
        of(&validate(&current, &t, Some(&prior3)), "stale_target").len(),
        1
    );

    // 上年值 that is not a quantity says nothing about a move.
    let mut current5 = seed();
    set(&mut current5, "师资队伍培训人次", "history_last", "见附件");
    assert!(of(&validate(&current5, &t, Some(&prior)), "stale_target").is_empty());

    // Equal as quantities counts as identical (110000人次 written differently).
    let mut prior4 = prior.clone();
    ind(&mut prior4, "师资队伍培训人次").values[field("annual_value")] = "110000人次".into();
    assert_eq!(
        of(&validate(&current, &t, Some(&prior4)), "stale_target").len(),
        1
    );
}

// ---------------------------------------------------------------- report form

#[test]
fn findings_are_ordered_by_row_then_column_and_counted() {
    let mut s = seed();
    set(&mut s, "教育综合督导完成率", "annual_value", "");
    set(&mut s, "教育综合督导完成率", "explanation", "");
    set_duty(&mut s, 0, "objective", "");
    let r = check(&s);
    let cells: Vec<_> = r.issues.iter().map(|f| f.cell.as_str()).collect();
    assert_eq!(cells, vec!["C6", "E10", "F10", "F12", "F21"]);
    assert_eq!((r.errors, r.warnings), (2, 3));
}

#[test]
fn json_shape() {
    let mut s = seed();
    set(&mut s, "教育综合督导完成率", "annual_value", "");
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
            "rule",
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
    assert_eq!(first["rule"], "必填项为空");
    assert_eq!(issues[1]["code"], "target_below_history");
    assert_eq!(issues[1]["severity"], "warning");
    insta::assert_json_snapshot!("seed_with_missing_annual_value", r);
}

#[test]
fn text_report_groups_by_duty_errors_first() {
    let mut s = seed();
    set(&mut s, "新建改扩建中小学校数量", "activities", "");
    set(&mut s, "教育综合督导完成率", "annual_value", "");
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
        lines.contains(
            &"  错误 F10 职责3 教育综合督导完成率：年度指标值为空〔必填项为空（missing_value）〕"
        ),
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
    set(&mut s, "教育综合督导完成率", "annual_value", "");
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
    set(&mut s, "组建教师教育专家库数量", "history_last", "200个");
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

// ---------------------------------------------------------------- rule names

#[test]
fn every_rule_code_has_a_chinese_name() {
    use jixiao::validate::{codes, rule_label, rule_name};
    assert!(codes::ALL.len() >= 18);
    let mut names = std::collections::HashSet::new();
    for code in codes::ALL {
        let name = rule_name(code);
        assert!(!name.is_empty(), "{code} has no Chinese name");
        assert!(
            name.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{code}: {name}"
        );
        assert!(names.insert(name), "{name} names two rules");
        assert_eq!(rule_label(code), format!("{name}（{code}）"));
    }
    assert_eq!(rule_name(codes::TARGET_BELOW_HISTORY), "目标低于上年实际");
    assert_eq!(rule_name(codes::MISSING_VALUE), "必填项为空");
    assert_eq!(rule_name("no_such_rule"), "");
}

#[test]
fn findings_name_their_rule_in_json_and_text() {
    let mut t = seed();
    let shape = t.shape.clone();
    let i = shape.indicator_field("annual_value").unwrap();
    t.groups[0].indicators[0].values[i].clear();
    let r = check(&t);
    let f = r
        .issues
        .iter()
        .find(|f| f.code == "missing_value")
        .expect("missing_value");
    assert_eq!(f.rule, "必填项为空");
    let json = serde_json::to_value(f).unwrap();
    assert_eq!(json["rule"], "必填项为空");
    assert_eq!(json["code"], "missing_value");
    let text = render_text(&r, &t);
    for f in &r.issues {
        let label = format!("{}（{}）", f.rule, f.code);
        assert!(text.contains(&label), "{label} not in {text}");
    }
}
