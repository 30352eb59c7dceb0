//! The reader on workbooks built in code: layouts, header drift, extras, sheets.

use crate::common::*;
use jixiao::error::{Error, InputError};
use jixiao::model::{Parsed, Quantity, Table};
use rust_xlsxwriter::{Format, Workbook};

const TITLE: &str = "2023年临沂市教育局部门预算整体绩效目标表";

fn official(style: DutyStyle, dir: &std::path::Path, name: &str) -> Table {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 12, TITLE, &Format::new()).unwrap();
    official_header(ws, 2);
    let end = write_duties(ws, 5, style);
    ws.write_string(6, 14, "待核实").unwrap();
    ws.write_string(end + 1, 0, "注：年度指标值为本年度计划达到的目标值。")
        .unwrap();
    ws.write_string(
        end + 2,
        0,
        "单位负责人：张三 填报人：李四 联系电话：0539-1234567",
    )
    .unwrap();
    ws.write_string(end + 2, 8, "填报日期：2023年1月").unwrap();
    let p = save(&mut wb, dir, name);
    read(&p).unwrap()
}

#[test]
fn official_layout_with_merges() {
    let dir = tempfile::tempdir().unwrap();
    let t = official(DutyStyle::Merged, dir.path(), "official.xlsx");
    assert_eq!(t.title, TITLE);
    assert_eq!(t.year, Some(2023));
    assert_eq!(t.department.as_deref(), Some("临沂市教育局"));
    assert_eq!(t.source.format, "xlsx");
    assert_eq!(t.source.sheet, "Sheet1");
    assert_eq!(t.source.header_rows, [3, 5]);
    assert_eq!(t.source.data_rows, Some([6, 10]));
    let cols: Vec<(&str, &str)> = t
        .source
        .columns
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        cols,
        vec![
            ("seq", "A"),
            ("duty_name", "B"),
            ("objective", "C"),
            ("name", "D"),
            ("explanation", "E"),
            ("annual_value", "F"),
            ("planned_value", "G"),
            ("standard_value", "H"),
            ("standard_source", "I"),
            ("history_avg3", "J"),
            ("history_last", "K"),
            ("history_source", "L"),
            ("activities", "M"),
        ]
    );
    assert_eq!(
        t.source.header_labels["standard_source"],
        format!("{STD_GROUP} › 当年标准值 › 来源")
    );
    assert_eq!(
        t.source.header_labels["history_source"],
        format!("{HIST_GROUP} › 来源")
    );
    assert_eq!(t.source.header_labels["name"], "绩效指标");
    assert_eq!(duty_summary(&t), expected_duties(6));
    let i = &t.groups[0].indicators[1];
    assert_eq!(i.row, 7);
    assert_eq!(
        val(&t, i, "explanation"),
        "反映教学质量提升工作完成率情况。"
    );
    assert_eq!(val(&t, i, "annual_value"), "85%");
    assert_eq!(val(&t, i, "planned_value"), "/");
    assert_eq!(val(&t, i, "standard_value"), "85%");
    assert_eq!(val(&t, i, "standard_source"), "工作计划");
    assert_eq!(val(&t, i, "history_avg3"), "80%");
    assert_eq!(val(&t, i, "history_source"), "内部统计");
    assert_eq!(val(&t, i, "activities"), "开展教学质量提升工作完成率工作。");
    assert!(matches!(
        i.parsed(t.shape.indicator_field("annual_value").unwrap()),
        Some(Parsed::Quantity(Quantity { number, unit, .. })) if *number == 85.0 && unit == "%"
    ));
    assert!(i
        .parsed(t.shape.indicator_field("standard_source").unwrap())
        .is_none());
    let s = |x: &str| x.to_string();
    assert_eq!(
        extras(&t),
        vec![
            (s("O7"), s("待核实"), s("stray")),
            (
                s("A12"),
                s("注：年度指标值为本年度计划达到的目标值。"),
                s("footnote")
            ),
            (
                s("A13"),
                s("单位负责人：张三 填报人：李四 联系电话：0539-1234567"),
                s("footnote")
            ),
            (s("I13"), s("填报日期：2023年1月"), s("footnote")),
        ]
    );
    assert!(t.extras.iter().all(|e| e.sheet == "Sheet1"));
}

#[test]
fn merged_first_row_only_and_repeated_give_the_same_model() {
    let dir = tempfile::tempdir().unwrap();
    let merged = official(DutyStyle::Merged, dir.path(), "m.xlsx");
    let first = official(DutyStyle::FirstRowOnly, dir.path(), "f.xlsx");
    let every = official(DutyStyle::EveryRow, dir.path(), "e.xlsx");
    assert_eq!(duty_summary(&first), expected_duties(6));
    assert_eq!(duty_summary(&every), expected_duties(6));
    assert_eq!(merged.groups, first.groups);
    assert_eq!(merged.groups, every.groups);
    assert_eq!(
        jixiao::model::Seq::from_text(gval(&every, &every.groups[2], "seq")),
        jixiao::model::Seq::Number(3)
    );
    assert_eq!(every.groups[2].values[0], "3");
}

#[test]
fn header_at_another_row_with_unit_line_and_no_title_unmerged() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "填报单位：临沂市教育局").unwrap();
    ws.write_string(0, 10, "单位：万元").unwrap();
    unmerged_header(ws, 3, &official_labels());
    write_duties(ws, 6, DutyStyle::FirstRowOnly);
    let p = save(&mut wb, dir.path(), "unit.xlsx");
    let t = read(&p).unwrap();
    assert_eq!(t.title, "");
    assert_eq!(t.year, None);
    assert_eq!(t.department.as_deref(), Some("临沂市教育局"));
    assert_eq!(t.source.header_rows, [4, 6]);
    assert_eq!(t.source.data_rows, Some([7, 11]));
    assert_eq!(t.source.columns.len(), 13);
    assert_eq!(t.source.columns["standard_value"], "H");
    assert_eq!(t.source.columns["standard_source"], "I");
    assert_eq!(t.source.columns["history_source"], "L");
    assert_eq!(t.source.columns["activities"], "M");
    // Groups resolved by position when unmerged.
    assert_eq!(
        t.source.header_labels["standard_source"],
        format!("{STD_GROUP} › 当年标准值 › 来源")
    );
    assert_eq!(
        t.source.header_labels["history_last"],
        format!("{HIST_GROUP} › 上年值")
    );
    assert_eq!(duty_summary(&t), expected_duties(7));
    let s = |x: &str| x.to_string();
    assert_eq!(
        extras(&t),
        vec![
            (s("A1"), s("填报单位：临沂市教育局"), s("unit_line")),
            (s("K1"), s("单位：万元"), s("stray")),
        ]
    );
}

#[test]
fn table_on_second_sheet_after_instructions_and_sheet_override() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ins = wb.add_worksheet();
    ins.set_name("填报说明").unwrap();
    ins.write_string(0, 0, "填报说明").unwrap();
    ins.write_string(1, 0, "1.请按部门职责逐项填写绩效指标。")
        .unwrap();
    ins.write_string(1, 3, "绩效指标").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("绩效目标表").unwrap();
    ws.write_string(0, 0, TITLE).unwrap();
    official_header(ws, 2);
    write_duties(ws, 5, DutyStyle::Merged);
    let p = save(&mut wb, dir.path(), "two.xlsx");

    let t = read(&p).unwrap();
    assert_eq!(t.source.sheet, "绩效目标表");
    assert_eq!(duty_summary(&t), expected_duties(6));
    let other: Vec<(&str, &str, &str)> = t
        .extras
        .iter()
        .map(|e| (e.sheet.as_str(), e.cell.as_str(), e.text.as_str()))
        .collect();
    assert_eq!(
        other,
        vec![
            ("填报说明", "A1", "填报说明"),
            ("填报说明", "A2", "1.请按部门职责逐项填写绩效指标。"),
            ("填报说明", "D2", "绩效指标"),
        ]
    );
    assert!(t
        .extras
        .iter()
        .all(|e| e.kind == jixiao::model::ExtraKind::OtherSheet));

    let t2 = read_sheet(&p, "绩效目标表").unwrap();
    assert_eq!(t2.groups, t.groups);

    match read_sheet(&p, "填报说明") {
        Err(Error::Input {
            reason: InputError::NoTable(_),
            ..
        }) => {}
        other => panic!("expected NoTable, got {other:?}"),
    }
    match read_sheet(&p, "Sheet9") {
        Err(Error::Input {
            path,
            reason: InputError::NoSheet { name, available },
        }) => {
            assert_eq!(path, p.display().to_string());
            assert_eq!(name, "Sheet9");
            assert!(available.contains("填报说明") && available.contains("绩效目标表"));
        }
        other => panic!("expected NoSheet, got {other:?}"),
    }
}

#[test]
fn header_drift_is_matched() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.write_string(0, 0, TITLE).unwrap();
    for (c, t) in [
        "职责 序号",
        "部门职责",
        "职责目标",
        "绩效 指标",
        "指标解释",
        "年度\n指标值",
    ]
    .iter()
    .enumerate()
    {
        ws.merge_range(2, c as u16, 4, c as u16, t, &f).unwrap();
    }
    ws.merge_range(2, 12, 4, 12, "工作活动", &f).unwrap();
    ws.merge_range(2, 6, 2, 8, "标准值(规划目标、行业标准或其他明确标准)", &f)
        .unwrap();
    ws.merge_range(2, 9, 2, 11, "历史值", &f).unwrap();
    ws.merge_range(3, 6, 4, 6, "规划值", &f).unwrap();
    ws.merge_range(3, 7, 3, 8, "当年标准值", &f).unwrap();
    ws.merge_range(3, 9, 4, 9, "前三年 均值", &f).unwrap();
    ws.merge_range(3, 10, 4, 10, "上年值", &f).unwrap();
    ws.merge_range(3, 11, 4, 11, "历史值来源", &f).unwrap();
    ws.write_string(4, 7, "标准值").unwrap();
    ws.write_string(4, 8, "标准值来源").unwrap();
    write_duties(ws, 5, DutyStyle::Merged);
    let p = save(&mut wb, dir.path(), "drift.xlsx");
    let t = read(&p).unwrap();
    let letters: Vec<&str> = t.source.columns.values().map(|s| s.as_str()).collect();
    assert_eq!(
        letters,
        vec!["A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M"]
    );
    assert!(t.source.header_labels["annual_value"].contains("指标值"));
    assert!(t.source.header_labels["history_avg3"].contains("均值"));
    assert_eq!(
        t.source.header_labels["standard_source"],
        "标准值(规划目标、行业标准或其他明确标准) › 当年标准值 › 标准值来源"
    );
    assert_eq!(
        t.source.header_labels["history_source"],
        "历史值 › 历史值来源"
    );
    assert_eq!(duty_summary(&t), expected_duties(6));
    assert_eq!(
        val(&t, &t.groups[2].indicators[0], "history_source"),
        "内部统计"
    );
}

#[test]
fn repeated_header_blank_rows_and_page_split_duty() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.write_string(0, 0, TITLE).unwrap();
    official_header(ws, 2);
    // duty 1: rows 6-7 (merged), blank row 8, duty 2: row 9
    ws.merge_range(5, 0, 6, 0, "1", &f).unwrap();
    ws.merge_range(5, 1, 6, 1, "甲职责", &f).unwrap();
    ws.merge_range(5, 2, 6, 2, "甲目标", &f).unwrap();
    write_ind(ws, 5, &ind("甲一", "1个"));
    write_ind(ws, 6, &ind("甲二", "2个"));
    ws.write_string(8, 0, "2").unwrap();
    ws.write_string(8, 1, "乙职责").unwrap();
    ws.write_string(8, 2, "乙目标").unwrap();
    write_ind(ws, 8, &ind("乙一", "3个"));
    // repeated header (rows 10-12), then duty 3 on row 13 and duty 4 starting on row 14
    official_header(ws, 9);
    ws.write_string(12, 0, "3").unwrap();
    ws.write_string(12, 1, "丙职责").unwrap();
    ws.write_string(12, 2, "丙目标").unwrap();
    write_ind(ws, 12, &ind("丙一", "4个"));
    ws.write_string(13, 0, "4").unwrap();
    ws.write_string(13, 1, "丁职责").unwrap();
    ws.write_string(13, 2, "负责对外教育交流与合作工作。管理全")
        .unwrap();
    write_ind(ws, 13, &ind("丁一", "5个"));
    // page break: header repeated (rows 15-17), duty 4 continues on rows 18-19
    official_header(ws, 14);
    ws.merge_range(17, 0, 18, 0, "4", &f).unwrap();
    ws.merge_range(17, 1, 18, 1, "丁职责", &f).unwrap();
    ws.merge_range(17, 2, 18, 2, "市教育系统出国留学管理工作。", &f)
        .unwrap();
    write_ind(ws, 17, &ind("丁二", "6个"));
    write_ind(ws, 18, &ind("丁三", "7个"));
    // an odd row inside the table: text, no indicator
    ws.write_string(19, 1, "以下空白").unwrap();
    let p = save(&mut wb, dir.path(), "pages.xlsx");
    let t = read(&p).unwrap();
    let s = |x: &str| x.to_string();
    assert_eq!(
        duty_summary(&t),
        vec![
            (
                s("1"),
                s("甲职责"),
                s("甲目标"),
                [6, 7],
                vec![s("甲一"), s("甲二")]
            ),
            (s("2"), s("乙职责"), s("乙目标"), [9, 9], vec![s("乙一")]),
            (s("3"), s("丙职责"), s("丙目标"), [13, 13], vec![s("丙一")]),
            (
                s("4"),
                s("丁职责"),
                s("负责对外教育交流与合作工作。管理全市教育系统出国留学管理工作。"),
                [14, 19],
                vec![s("丁一"), s("丁二"), s("丁三")]
            ),
        ]
    );
    assert_eq!(t.source.header_rows, [3, 5]);
    assert_eq!(t.source.data_rows, Some([6, 19]));
    let rows: Vec<u32> = t.indicators().map(|(_, i)| i.row).collect();
    assert_eq!(rows, vec![6, 7, 9, 13, 14, 18, 19]);
    assert_eq!(extras(&t), vec![(s("B20"), s("以下空白"), s("stray"))]);
}

#[test]
fn numbers_text_numbers_and_formulas() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, TITLE).unwrap();
    official_header(ws, 2);
    ws.write_number(5, 0, 1.0).unwrap();
    ws.write_string(5, 1, NAME12).unwrap();
    ws.write_string(5, 2, OBJ1).unwrap();
    ws.write_string(5, 3, "毕业生就业指导人数").unwrap();
    ws.write_number(5, 5, 1550.0).unwrap(); // F: number, General
    ws.write_string(5, 6, "1550人").unwrap(); // G: number stored as text
    ws.write_formula(
        5,
        7,
        rust_xlsxwriter::Formula::new("=F6").set_result("1550"),
    )
    .unwrap(); // H: formula with a cached value
    ws.write_formula(
        5,
        8,
        rust_xlsxwriter::Formula::new("=\"工作\"&\"计划\"").set_result("工作计划"),
    )
    .unwrap();
    ws.write_string(5, 9, "85%").unwrap(); // percent as text
    let p = save(&mut wb, dir.path(), "nums.xlsx");
    let t = read(&p).unwrap();
    let i = &t.groups[0].indicators[0];
    assert_eq!(
        jixiao::model::Seq::from_text(gval(&t, &t.groups[0], "seq")),
        jixiao::model::Seq::Number(1)
    );
    assert_eq!(val(&t, i, "annual_value"), "1550");
    assert_eq!(val(&t, i, "planned_value"), "1550人");
    assert_eq!(val(&t, i, "standard_value"), "1550");
    assert_eq!(val(&t, i, "standard_source"), "工作计划");
    assert_eq!(val(&t, i, "history_avg3"), "85%");
    assert!(matches!(
        i.parsed(t.shape.indicator_field("planned_value").unwrap()),
        Some(Parsed::Quantity(Quantity { number, unit, .. })) if *number == 1550.0 && unit == "人"
    ));
}

/// Depends on `numfmt::render_number` rendering through the number format.
#[test]
fn percent_numbers_render_through_their_format() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    official_header(ws, 0);
    ws.write_string(3, 0, "1").unwrap();
    ws.write_string(3, 3, "学前教育普及率").unwrap();
    ws.write_number_with_format(3, 5, 0.85, &Format::new().set_num_format("0%"))
        .unwrap();
    ws.write_number_with_format(3, 9, 0.9042, &Format::new().set_num_format("0.00%"))
        .unwrap();
    let p = save(&mut wb, dir.path(), "pct.xlsx");
    let t = read(&p).unwrap();
    let i = &t.groups[0].indicators[0];
    assert_eq!(t.source.header_rows, [1, 3]);
    assert_eq!(val(&t, i, "annual_value"), "85%");
    assert_eq!(val(&t, i, "history_avg3"), "90.42%");
}

#[test]
fn no_table_and_another_templates_header_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "会议纪要").unwrap();
    ws.write_string(1, 0, "今天讨论了绩效指标。").unwrap();
    let p = save(&mut wb, dir.path(), "memo.xlsx");
    match read(&p) {
        Err(
            e @ Error::Input {
                reason: InputError::NoTable(_),
                ..
            },
        ) => {
            let msg = e.to_string();
            assert!(msg.starts_with(&p.display().to_string()), "{msg}");
            assert!(msg.contains("未找到绩效目标表"), "{msg}");
        }
        other => panic!("expected NoTable, got {other:?}"),
    }

    // 项目支出绩效目标表: 绩效指标 is a group over 一级/二级/三级指标 and 指标值.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    ws.write_string(0, 0, "2023年项目支出绩效目标表").unwrap();
    ws.merge_range(2, 0, 3, 0, "项目名称", &f).unwrap();
    ws.merge_range(2, 1, 2, 4, "绩效指标", &f).unwrap();
    for (c, t) in ["一级指标", "二级指标", "三级指标", "指标值"]
        .iter()
        .enumerate()
    {
        ws.write_string(3, 1 + c as u16, *t).unwrap();
    }
    ws.write_string(4, 0, "校舍维修").unwrap();
    ws.write_string(4, 1, "产出指标").unwrap();
    ws.write_string(4, 4, "100%").unwrap();
    let p = save(&mut wb, dir.path(), "project.xlsx");
    assert!(matches!(
        read(&p),
        Err(Error::Input {
            reason: InputError::NoTable(_),
            ..
        })
    ));
}

#[test]
fn far_away_cell_is_sparse_and_other_sheets_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    official_header(ws, 0);
    write_duties(ws, 3, DutyStyle::Merged);
    ws.write_string(1_048_575, 16_383, "远处").unwrap();
    let big = wb.add_worksheet();
    for i in 0..1005u32 {
        big.write_string(i, 0, format!("行{i}")).unwrap();
    }
    let p = save(&mut wb, dir.path(), "far.xlsx");
    let t = read(&p).unwrap();
    assert_eq!(duty_summary(&t), expected_duties(4));
    let stray: Vec<_> = t
        .extras
        .iter()
        .filter(|e| e.sheet == "Sheet1")
        .map(|e| (e.cell.as_str(), e.text.as_str()))
        .collect();
    assert_eq!(stray, vec![("XFD1048576", "远处")]);
    let other: Vec<_> = t.extras.iter().filter(|e| e.sheet == "Sheet2").collect();
    assert_eq!(other.len(), 1001);
    assert_eq!(other[999].text, "行999");
    assert_eq!(other[1000].cell, "A1001");
    assert!(other[1000].text.contains('5'), "{}", other[1000].text);
}

#[test]
fn a_repeated_seq_in_a_new_merged_range_is_a_new_duty() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let f = Format::new();
    official_header(ws, 0);
    ws.merge_range(3, 0, 4, 0, "1", &f).unwrap();
    ws.merge_range(3, 1, 4, 1, "甲职责", &f).unwrap();
    ws.merge_range(3, 2, 4, 2, "甲目标", &f).unwrap();
    ws.merge_range(5, 0, 6, 0, "1", &f).unwrap();
    ws.merge_range(5, 1, 6, 1, "乙职责", &f).unwrap();
    ws.merge_range(5, 2, 6, 2, "乙目标", &f).unwrap();
    // unmerged, one row each, same number twice with different objectives
    ws.write_string(7, 0, "3").unwrap();
    ws.write_string(7, 1, "丙职责").unwrap();
    ws.write_string(7, 2, "丙目标").unwrap();
    ws.write_string(8, 0, "3").unwrap();
    ws.write_string(8, 1, "丁职责").unwrap();
    ws.write_string(8, 2, "丁目标").unwrap();
    for (r, n) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
        write_ind(ws, 3 + r as u32, &ind(n, "1个"));
    }
    let p = save(&mut wb, dir.path(), "dup.xlsx");
    let t = read(&p).unwrap();
    let got: Vec<(String, String, [u32; 2])> = t
        .groups
        .iter()
        .map(|d| {
            (
                gval(&t, d, "seq").to_string(),
                gval(&t, d, "duty_name").to_string(),
                d.rows,
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        got,
        vec![
            (s("1"), s("甲职责"), [4, 5]),
            (s("1"), s("乙职责"), [6, 7]),
            (s("3"), s("丙职责"), [8, 8]),
            (s("3"), s("丁职责"), [9, 9]),
        ]
    );
}

#[test]
fn broken_inputs_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    official_header(ws, 0);
    write_duties(ws, 3, DutyStyle::Merged);
    let good = save(&mut wb, dir.path(), "good.xlsx");
    let bytes = std::fs::read(&good).unwrap();
    let t = [jixiao::template::Template::default_template()];
    let opts = jixiao::read::ReadOptions {
        sheet: None,
        templates: &t,
    };
    for cut in [10, bytes.len() / 3, bytes.len() / 2, bytes.len() - 30] {
        let r = jixiao::read::read_bytes(&bytes[..cut], "cut.xlsx", &opts);
        assert!(r.is_err(), "cut at {cut} read as a table");
        assert!(r.unwrap_err().to_string().starts_with("cut.xlsx: "));
    }
    assert!(matches!(
        jixiao::read::read_bytes(b"hello, not a workbook", "x.xlsx", &opts),
        Err(Error::Input {
            reason: InputError::NotWorkbook,
            ..
        })
    ));
    let ok = jixiao::read::read_bytes(&bytes, "名字.xlsx", &opts).unwrap();
    assert_eq!(ok.source.path, "名字.xlsx");
    assert_eq!(duty_summary(&ok), expected_duties(4));
}

#[test]
fn a_sample_header_on_an_instructions_sheet_loses_to_the_filled_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ins = wb.add_worksheet();
    ins.set_name("填报说明").unwrap();
    ins.write_string(0, 0, "请按下表格式填写：").unwrap();
    official_header(ins, 1);
    let ws = wb.add_worksheet();
    ws.set_name("绩效目标表").unwrap();
    official_header(ws, 0);
    write_duties(ws, 3, DutyStyle::Merged);
    let p = save(&mut wb, dir.path(), "sample.xlsx");
    let t = read(&p).unwrap();
    assert_eq!(t.source.sheet, "绩效目标表");
    assert_eq!(duty_summary(&t), expected_duties(4));
    assert!(t
        .extras
        .iter()
        .any(|e| e.sheet == "填报说明" && e.cell == "D2" && e.text == "绩效指标"));
}

#[test]
fn booleans_and_error_values_render_as_shown() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    official_header(ws, 0);
    ws.write_string(3, 0, "1").unwrap();
    ws.write_string(3, 3, "长文本指标").unwrap();
    ws.write_boolean(3, 5, true).unwrap();
    ws.write_formula(
        3,
        6,
        rust_xlsxwriter::Formula::new("=NA()").set_result("#N/A"),
    )
    .unwrap();
    let p = save(&mut wb, dir.path(), "odd.xlsx");
    let t = read(&p).unwrap();
    let i = &t.groups[0].indicators[0];
    assert_eq!(val(&t, i, "annual_value"), "TRUE");
    assert_eq!(val(&t, i, "planned_value"), "#N/A");
}

/// Every non-empty cell of the workbook is accounted for exactly once (dept-overall template).
fn assert_accounted(p: &std::path::Path) {
    let t = [jixiao::template::Template::default_template()];
    let opts = jixiao::read::ReadOptions {
        sheet: None,
        templates: &t,
    };
    let lost = jixiao::read::unaccounted_cells(p, &opts).unwrap();
    assert!(lost.is_empty(), "{}:\n{}", p.display(), lost.join("\n"));
}

/// One dept-overall table for `department` on a worksheet from 0-based row `r`:
/// title, header, three duties. Returns the row after the last data row.
fn dept_block(ws: &mut rust_xlsxwriter::Worksheet, r: u32, department: &str) -> u32 {
    ws.merge_range(
        r,
        0,
        r,
        12,
        &format!("2023年{department}部门预算整体绩效目标表"),
        &Format::new(),
    )
    .unwrap();
    official_header(ws, r + 2);
    write_duties(ws, r + 5, DutyStyle::Merged)
}

const UNITS: [(&str, &str); 3] = [
    ("教育局本级", "临沂市教育局"),
    ("临沂一中", "临沂第一中学"),
    ("临沂四中", "临沂第四中学"),
];

#[test]
fn a_workbook_of_three_units_is_three_tables_never_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    for (sheet, dept) in UNITS {
        let ws = wb.add_worksheet();
        ws.set_name(sheet).unwrap();
        dept_block(ws, 0, dept);
    }
    let p = save(&mut wb, dir.path(), "three.xlsx");
    match read(&p) {
        Err(e @ Error::Input {
            reason: InputError::SeveralTables { count: 3, .. },
            ..
        }) => assert_eq!(
            e.to_string(),
            format!(
                "{}: 工作簿中有 3 张表：教育局本级（临沂市教育局）、临沂一中（临沂第一中学）、临沂四中（临沂第四中学），请用 --sheet 或 --table 指定，或用 --all 全部导入",
                p.display()
            )
        ),
        other => panic!("expected SeveralTables, got {other:?}"),
    }
    let t = [jixiao::template::Template::default_template()];
    let opts = jixiao::read::ReadOptions {
        sheet: None,
        templates: &t,
    };
    let w = jixiao::read::read_workbook(&p, &opts).unwrap();
    let got: Vec<(&str, Option<&str>)> = w
        .tables
        .iter()
        .map(|t| (t.source.sheet.as_str(), t.department.as_deref()))
        .collect();
    assert_eq!(
        got,
        UNITS
            .iter()
            .map(|(s, d)| (*s, Some(*d)))
            .collect::<Vec<_>>()
    );
    for t in &w.tables {
        assert_eq!(duty_summary(t), expected_duties(6));
        assert!(t.extras.is_empty());
    }
    assert!(w.extras.is_empty());
    // --sheet narrows to one: the other units' cells are its other-sheet extras.
    let one = read_sheet(&p, "临沂一中").unwrap();
    assert_eq!(one.department.as_deref(), Some("临沂第一中学"));
    assert_eq!(duty_summary(&one), expected_duties(6));
    assert!(one
        .extras
        .iter()
        .all(|e| e.kind == jixiao::model::ExtraKind::OtherSheet && e.sheet != "临沂一中"));
    let second = jixiao::read::read_table(&p, &opts, 2).unwrap();
    assert_eq!(second.groups, one.groups);
    assert_eq!(second.department, one.department);
    assert_accounted(&p);
}

#[test]
fn stacked_units_on_one_sheet_are_separate_tables_a_repeated_page_title_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let end = dept_block(ws, 0, "临沂市教育局");
    ws.write_string(end, 0, "注：年度指标值为本年度计划达到的目标值。")
        .unwrap();
    let start2 = end + 2;
    dept_block(ws, start2, "临沂第一中学");
    let p = save(&mut wb, dir.path(), "stacked.xlsx");
    let t = [jixiao::template::Template::default_template()];
    let opts = jixiao::read::ReadOptions {
        sheet: None,
        templates: &t,
    };
    let w = jixiao::read::read_workbook(&p, &opts).unwrap();
    assert_eq!(w.tables.len(), 2);
    let (a, b) = (&w.tables[0], &w.tables[1]);
    assert_eq!(a.department.as_deref(), Some("临沂市教育局"));
    assert_eq!(b.department.as_deref(), Some("临沂第一中学"));
    assert_eq!(duty_summary(a), expected_duties(6));
    assert_eq!(duty_summary(b), expected_duties(start2 + 6));
    assert_eq!(b.source.header_rows, [start2 + 3, start2 + 5]);
    assert_eq!(extras(a).len(), 1);
    assert!(b.extras.is_empty());
    match read(&p) {
        Err(
            e @ Error::Input {
                reason: InputError::SeveralTables { count: 2, .. },
                ..
            },
        ) => assert!(
            e.to_string().contains(&format!(
                "Sheet1 第1–{}行（临沂市教育局）、Sheet1 第{}–{}行（临沂第一中学）",
                end + 1,
                start2 + 1,
                start2 + 10
            )),
            "{e}"
        ),
        other => panic!("expected SeveralTables, got {other:?}"),
    }
    assert_accounted(&p);

    // The same title over the next page's header: one table, the title a stray.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let end = dept_block(ws, 0, "临沂市教育局");
    let ws2 = ws;
    ws2.write_string(end, 0, TITLE).unwrap();
    official_header(ws2, end + 1);
    ws2.write_string(end + 4, 0, "4").unwrap();
    ws2.write_string(end + 4, 1, "丁职责").unwrap();
    ws2.write_string(end + 4, 2, "丁目标").unwrap();
    write_ind(ws2, end + 4, &ind("丁一", "5个"));
    let p = save(&mut wb, dir.path(), "pages.xlsx");
    let t = read(&p).unwrap();
    assert_eq!(t.groups.len(), 4);
    assert_eq!(
        extras(&t),
        vec![(
            format!("A{}", end + 1),
            TITLE.to_string(),
            "stray".to_string()
        )]
    );
    assert_accounted(&p);
}

#[test]
fn every_cell_of_the_built_workbooks_is_accounted_for() {
    let dir = tempfile::tempdir().unwrap();
    for style in [
        DutyStyle::Merged,
        DutyStyle::FirstRowOnly,
        DutyStyle::EveryRow,
    ] {
        let name = "acc.xlsx";
        official(style, dir.path(), name);
        assert_accounted(&dir.path().join(name));
    }
    // An unknown column inside the table (备注 in M, 工作活动 moved to N):
    // its label and cells are strays, not lost.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let mut labels: Vec<(u32, u16, &str)> = official_labels()
        .into_iter()
        .filter(|l| l.2 != "工作活动")
        .collect();
    labels.push((0, 12, "备注"));
    labels.push((0, 13, "工作活动"));
    unmerged_header(ws, 0, &labels);
    write_duties(ws, 3, DutyStyle::FirstRowOnly);
    let p = save(&mut wb, dir.path(), "unknown.xlsx");
    let t = read(&p).unwrap();
    assert_eq!(t.source.columns["activities"], "N");
    let stray: Vec<String> = extras(&t).into_iter().map(|e| e.0).collect();
    assert_eq!(stray, ["M1", "M4", "M5", "M6", "M7", "M8"]);
    assert_accounted(&p);
}

#[test]
fn stacked_units_named_only_by_their_unit_lines_are_separate_tables() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let mut r = 0;
    for (_, dept) in UNITS {
        ws.write_string(r, 0, format!("填报单位：{dept}")).unwrap();
        official_header(ws, r + 1);
        r = write_duties(ws, r + 4, DutyStyle::FirstRowOnly) + 1;
    }
    // A page of the last unit again under the same unit line: the same table.
    ws.write_string(r, 0, "填报单位：临沂第四中学").unwrap();
    official_header(ws, r + 1);
    ws.write_string(r + 4, 0, "4").unwrap();
    write_ind(ws, r + 4, &ind("丁一", "5个"));
    let p = save(&mut wb, dir.path(), "units.xlsx");
    let t = [jixiao::template::Template::default_template()];
    let opts = jixiao::read::ReadOptions {
        sheet: None,
        templates: &t,
    };
    let w = jixiao::read::read_workbook(&p, &opts).unwrap();
    let got: Vec<(Option<&str>, usize)> = w
        .tables
        .iter()
        .map(|t| (t.department.as_deref(), t.groups.len()))
        .collect();
    assert_eq!(
        got,
        [
            (Some("临沂市教育局"), 3),
            (Some("临沂第一中学"), 3),
            (Some("临沂第四中学"), 4)
        ]
    );
    assert_eq!(duty_summary(&w.tables[1]), expected_duties(15));
    assert_accounted(&p);
}
