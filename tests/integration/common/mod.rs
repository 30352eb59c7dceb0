//! Builds workbooks for the reader's tests with rust_xlsxwriter.
#![allow(dead_code)]

use jixiao::model::{Group, Indicator, Table};
use jixiao::read::{read_file, ReadOptions};
use jixiao::template::Template;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::path::{Path, PathBuf};

/// The `jixiao` binary of this build, ready to be given arguments.
pub fn jixiao() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("jixiao").unwrap()
}

/// A bundled example workbook, by file name.
pub fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

pub const STD_GROUP: &str = "标准值（规划目标、行业标准或其他明确标准）";
pub const HIST_GROUP: &str = "历史值（统计年鉴/统计公报/内部统计/其他需明确的来源）";

/// Writes the official 3-row header with merges, its top on 0-based `r`.
pub fn official_header(ws: &mut Worksheet, r: u32) {
    let f = Format::new();
    let tops = [
        "职责序号",
        "部门职责",
        "职责目标",
        "绩效指标",
        "指标解释",
        "年度指标值",
    ];
    for (c, t) in tops.iter().enumerate() {
        ws.merge_range(r, c as u16, r + 2, c as u16, t, &f).unwrap();
    }
    ws.merge_range(r, 12, r + 2, 12, "工作活动", &f).unwrap();
    ws.merge_range(r, 6, r, 8, STD_GROUP, &f).unwrap();
    ws.merge_range(r, 9, r, 11, HIST_GROUP, &f).unwrap();
    ws.merge_range(r + 1, 6, r + 2, 6, "规划值", &f).unwrap();
    ws.merge_range(r + 1, 7, r + 1, 8, "当年标准值", &f)
        .unwrap();
    ws.merge_range(r + 1, 9, r + 2, 9, "前三年均值", &f)
        .unwrap();
    ws.merge_range(r + 1, 10, r + 2, 10, "上年值", &f).unwrap();
    ws.merge_range(r + 1, 11, r + 2, 11, "来源", &f).unwrap();
    ws.write_string(r + 2, 7, "标准值").unwrap();
    ws.write_string(r + 2, 8, "来源").unwrap();
}

/// Writes the same header without any merge: each label in its top-left cell.
pub fn unmerged_header(ws: &mut Worksheet, r: u32, labels: &[(u32, u16, &str)]) {
    for (dr, c, t) in labels {
        ws.write_string(r + dr, *c, *t).unwrap();
    }
}

/// The official header's labels as (row offset, col, text) with no merges.
pub fn official_labels() -> Vec<(u32, u16, &'static str)> {
    vec![
        (0, 0, "职责序号"),
        (0, 1, "部门职责"),
        (0, 2, "职责目标"),
        (0, 3, "绩效指标"),
        (0, 4, "指标解释"),
        (0, 5, "年度指标值"),
        (0, 6, STD_GROUP),
        (0, 9, HIST_GROUP),
        (0, 12, "工作活动"),
        (1, 6, "规划值"),
        (1, 7, "当年标准值"),
        (1, 9, "前三年均值"),
        (1, 10, "上年值"),
        (1, 11, "来源"),
        (2, 7, "标准值"),
        (2, 8, "来源"),
    ]
}

/// Indicator columns D–M of a row (10 texts); empty strings are not written.
pub fn write_indicator(ws: &mut Worksheet, r: u32, vals: [&str; 10]) {
    for (i, v) in vals.iter().enumerate() {
        if !v.is_empty() {
            ws.write_string(r, 3 + i as u16, *v).unwrap();
        }
    }
}

pub fn ind(name: &str, annual: &str) -> [String; 10] {
    [
        name.to_string(),
        format!("反映{name}情况。"),
        annual.to_string(),
        "/".to_string(),
        annual.to_string(),
        "工作计划".to_string(),
        "80%".to_string(),
        "80%".to_string(),
        "内部统计".to_string(),
        format!("开展{name}工作。"),
    ]
}

pub fn write_ind(ws: &mut Worksheet, r: u32, vals: &[String; 10]) {
    let v: Vec<&str> = vals.iter().map(|s| s.as_str()).collect();
    write_indicator(ws, r, v.try_into().unwrap());
}

pub const OBJ1: &str = "起草全市教育方面的政策措施，拟定全市教育改革与发展规划。";
pub const OBJ2: &str = "指导高校的高新技术应用研究与推广科研成果工作。";
pub const OBJ3: &str = "主管全市教师工作，指导学校教职工队伍建设。";
pub const NAME12: &str = "教育改革发展政策";
pub const NAME3: &str = "统筹规划教师队伍建设";

/// How the duty columns A–C are laid out in a test workbook.
#[derive(Clone, Copy, PartialEq)]
pub enum DutyStyle {
    Merged,
    FirstRowOnly,
    EveryRow,
}

/// Writes three duties (seq 1: 2 rows, seq 2: 1 row, seq 3: 2 rows) from 0-based row `r`;
/// 部门职责 is shared by duties 1 and 2 (merged over both, or written once in Merged/FirstRowOnly).
/// Returns the 0-based row after the last data row.
pub fn write_duties(ws: &mut Worksheet, r: u32, style: DutyStyle) -> u32 {
    let f = Format::new();
    write_ind(ws, r, &ind("政策措施拟定数量", "1个"));
    write_ind(ws, r + 1, &ind("教学质量提升工作完成率", "85%"));
    write_ind(ws, r + 2, &ind("省级科技创新平台数量", "1个"));
    write_ind(ws, r + 3, &ind("师资队伍培训人次", "11万人次"));
    write_ind(ws, r + 4, &ind("教育综合督导完成率", "100%"));
    match style {
        DutyStyle::Merged => {
            ws.merge_range(r, 0, r + 1, 0, "1", &f).unwrap();
            ws.write_string(r + 2, 0, "2").unwrap();
            ws.merge_range(r + 3, 0, r + 4, 0, "3", &f).unwrap();
            ws.merge_range(r, 1, r + 2, 1, NAME12, &f).unwrap();
            ws.merge_range(r + 3, 1, r + 4, 1, NAME3, &f).unwrap();
            ws.merge_range(r, 2, r + 1, 2, OBJ1, &f).unwrap();
            ws.write_string(r + 2, 2, OBJ2).unwrap();
            ws.merge_range(r + 3, 2, r + 4, 2, OBJ3, &f).unwrap();
        }
        DutyStyle::FirstRowOnly => {
            ws.write_string(r, 0, "1").unwrap();
            ws.write_string(r + 2, 0, "2").unwrap();
            ws.write_string(r + 3, 0, "3").unwrap();
            ws.write_string(r, 1, NAME12).unwrap();
            ws.write_string(r + 3, 1, NAME3).unwrap();
            ws.write_string(r, 2, OBJ1).unwrap();
            ws.write_string(r + 2, 2, OBJ2).unwrap();
            ws.write_string(r + 3, 2, OBJ3).unwrap();
        }
        DutyStyle::EveryRow => {
            for (dr, seq, name, obj) in [
                (0, 1.0, NAME12, OBJ1),
                (1, 1.0, NAME12, OBJ1),
                (2, 2.0, NAME12, OBJ2),
                (3, 3.0, NAME3, OBJ3),
                (4, 3.0, NAME3, OBJ3),
            ] {
                ws.write_number(r + dr, 0, seq).unwrap();
                ws.write_string(r + dr, 1, name).unwrap();
                ws.write_string(r + dr, 2, obj).unwrap();
            }
        }
    }
    r + 5
}

pub fn save(wb: &mut Workbook, dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    wb.save(&p).unwrap();
    p
}

/// Reads one table with the dept-overall template.
pub fn read(path: &Path) -> jixiao::error::Result<Table> {
    let t = [Template::default_template()];
    read_file(
        path,
        &ReadOptions {
            sheet: None,
            templates: &t,
        },
    )
}

/// Reads one table of a named sheet with the dept-overall template.
pub fn read_sheet(path: &Path, sheet: &str) -> jixiao::error::Result<Table> {
    let t = [Template::default_template()];
    read_file(
        path,
        &ReadOptions {
            sheet: Some(sheet),
            templates: &t,
        },
    )
}

/// The text of an indicator's field by key (`""` when the template has none).
pub fn val<'a>(t: &Table, i: &'a Indicator, key: &str) -> &'a str {
    t.shape.indicator_field(key).map_or("", |k| i.text(k))
}

/// The text of a group's field by key (`""` when the template has none).
pub fn gval<'a>(t: &Table, g: &'a Group, key: &str) -> &'a str {
    t.shape.group_field(key).map_or("", |k| g.text(k))
}

/// A duty in brief: seq, name, objective, rows, indicator names.
pub type DutySummary = (String, String, String, [u32; 2], Vec<String>);

/// (seq, name, objective, rows, indicator names) of each duty.
pub fn duty_summary(t: &Table) -> Vec<DutySummary> {
    t.groups
        .iter()
        .map(|d| {
            (
                jixiao::model::Seq::from_text(gval(t, d, "seq")).to_string(),
                gval(t, d, "duty_name").to_string(),
                gval(t, d, "objective").to_string(),
                d.rows,
                d.indicators
                    .iter()
                    .map(|i| val(t, i, "name").to_string())
                    .collect(),
            )
        })
        .collect()
}

/// The duties `write_duties` writes, with rows starting at 1-based `first`.
pub fn expected_duties(first: u32) -> Vec<DutySummary> {
    let s = |x: &str| x.to_string();
    vec![
        (
            s("1"),
            s(NAME12),
            s(OBJ1),
            [first, first + 1],
            vec![s("政策措施拟定数量"), s("教学质量提升工作完成率")],
        ),
        (
            s("2"),
            s(NAME12),
            s(OBJ2),
            [first + 2, first + 2],
            vec![s("省级科技创新平台数量")],
        ),
        (
            s("3"),
            s(NAME3),
            s(OBJ3),
            [first + 3, first + 4],
            vec![s("师资队伍培训人次"), s("教育综合督导完成率")],
        ),
    ]
}

/// (cell, text, kind) of each extra, kind as its JSON name.
pub fn extras(t: &Table) -> Vec<(String, String, String)> {
    t.extras
        .iter()
        .map(|e| {
            (
                e.cell.clone(),
                e.text.clone(),
                serde_json::to_value(e.kind)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}
