//! The reader on project-target tables (项目支出绩效目标表) built in code: the
//! official layout, the three ways categories are written, scores on labels,
//! empty categories, several tables in a workbook and a workbook mixing templates.

use jixiao::error::{Error, InputError};
use jixiao::model::{ExtraKind, Table};
use jixiao::read::{read_file, read_table, read_workbook, unaccounted_cells, ReadOptions};
use jixiao::template::Template;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use std::path::{Path, PathBuf};

const TITLE: &str = "2024年度项目支出绩效目标表";

/// How the 一级/二级 columns are written.
#[derive(Clone, Copy, PartialEq, Debug)]
enum CatStyle {
    Merged,
    FirstRowOnly,
    EveryRow,
}

/// One project's form values.
struct Project<'a> {
    name: &'a str,
    unit: &'a str,
    total: &'a str,
}

const P1: Project<'static> = Project {
    name: "中小学校园安全设施改造",
    unit: "临沂市第一中学",
    total: "250",
};
const P2: Project<'static> = Project {
    name: "中小学教师全员培训",
    unit: "临沂市教师发展中心",
    total: "300.00",
};
const P3: Project<'static> = Project {
    name: "家庭经济困难学生资助",
    unit: "临沂市学生资助管理中心",
    total: "1,200.00",
};

/// The grid rows: 一级, 二级, 三级, 指标值 (an empty 三级 is an empty category).
const ROWS: &[[&str; 4]] = &[
    ["产出指标", "数量指标", "改造学校数量", "≥10所"],
    ["产出指标", "数量指标", "新增监控点位", "≥360个"],
    ["产出指标", "质量指标", "设施验收合格率", "100%"],
    ["产出指标", "时效指标", "完成时间", "12月底前"],
    ["产出指标", "成本指标", "单校改造成本", "≤25万元"],
    ["效益指标", "经济效益指标", "", ""],
    [
        "效益指标",
        "社会效益指标",
        "校园安全事故发生率",
        "较上年下降",
    ],
    ["满意度指标", "服务对象满意度指标", "师生满意度", "≥90%"],
];

fn f() -> Format {
    Format::new()
}

/// Writes one project table in the official layout from 0-based row `r0`:
/// title, unit line, form rows, header, grid. `scores`: the labels carry
/// their scores. Returns the 0-based row after the grid.
fn project_block(
    ws: &mut Worksheet,
    r0: u32,
    p: &Project<'_>,
    style: CatStyle,
    scores: bool,
) -> u32 {
    block(ws, r0, p, style, scores, true)
}

/// [`project_block`]; `heading`: with the title and unit line (else rows
/// `r0` and `r0 + 1` stay empty).
fn block(
    ws: &mut Worksheet,
    r0: u32,
    p: &Project<'_>,
    style: CatStyle,
    scores: bool,
    heading: bool,
) -> u32 {
    if heading {
        ws.merge_range(r0, 0, r0, 6, TITLE, &f()).unwrap();
        ws.write_string(r0 + 1, 0, "金额单位：万元").unwrap();
    }
    ws.write_string(r0 + 2, 0, "项目名称").unwrap();
    ws.merge_range(r0 + 2, 1, r0 + 2, 6, p.name, &f()).unwrap();
    ws.write_string(r0 + 3, 0, "主管部门及代码").unwrap();
    ws.merge_range(r0 + 3, 1, r0 + 3, 3, "[015001]临沂市教育局", &f())
        .unwrap();
    ws.write_string(r0 + 3, 4, "实施单位").unwrap();
    ws.merge_range(r0 + 3, 5, r0 + 3, 6, p.unit, &f()).unwrap();
    ws.write_string(r0 + 4, 0, "项目属性").unwrap();
    ws.merge_range(r0 + 4, 1, r0 + 4, 3, "新增项目", &f())
        .unwrap();
    ws.write_string(r0 + 4, 4, "项目期").unwrap();
    ws.merge_range(r0 + 4, 5, r0 + 4, 6, "1年", &f()).unwrap();
    ws.merge_range(r0 + 5, 0, r0 + 8, 0, "项目资金（万元）", &f())
        .unwrap();
    for (i, (label, value)) in [
        ("年度资金总额", p.total),
        ("其中：财政拨款", p.total),
        ("上年结转资金", ""),
        ("其他资金", ""),
    ]
    .iter()
    .enumerate()
    {
        let r = r0 + 5 + i as u32;
        ws.write_string(r, 1, *label).unwrap();
        ws.merge_range(r, 2, r, 6, value, &f()).unwrap();
    }
    ws.write_string(r0 + 9, 0, "年度总体目标").unwrap();
    ws.merge_range(r0 + 9, 1, r0 + 9, 6, "1.完成改造。\n2.事故下降。", &f())
        .unwrap();
    let h = r0 + 10;
    let last = h + ROWS.len() as u32;
    ws.merge_range(h, 0, last, 0, "绩效指标", &f()).unwrap();
    for (c, t) in [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "绩效标准",
        "备注",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(h, 1 + c as u16, *t).unwrap();
    }
    let label = |t: &str, col: usize| -> String {
        if !scores {
            return t.to_string();
        }
        let s = match (col, t) {
            (0, "产出指标") => "（50分）",
            (0, "效益指标") => "(30分)",
            (0, _) => "（20分）",
            (1, "数量指标") => "(20分)",
            (1, _) => "（10分）",
            _ => "",
        };
        format!("{t}{s}")
    };
    for (i, row) in ROWS.iter().enumerate() {
        let r = h + 1 + i as u32;
        for (k, v) in row[2..].iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, 3 + k as u16, *v).unwrap();
            }
        }
        if !row[2].is_empty() {
            ws.write_string(r, 5, "计划标准").unwrap();
        }
    }
    // The categories, by style.
    for col in [0usize, 1] {
        let mut i = 0;
        while i < ROWS.len() {
            let mut j = i;
            while j + 1 < ROWS.len() && ROWS[j + 1][col] == ROWS[i][col] {
                j += 1;
            }
            let text = label(ROWS[i][col], col);
            let (a, b) = (h + 1 + i as u32, h + 1 + j as u32);
            let c = 1 + col as u16;
            match style {
                CatStyle::Merged if b > a => {
                    ws.merge_range(a, c, b, c, &text, &f()).unwrap();
                }
                CatStyle::EveryRow => {
                    for r in a..=b {
                        ws.write_string(r, c, &text).unwrap();
                    }
                }
                _ => {
                    ws.write_string(a, c, &text).unwrap();
                }
            }
            i = j + 1;
        }
    }
    last + 1
}

fn save(wb: &mut Workbook, dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    wb.save(&p).unwrap();
    p
}

fn auto() -> Vec<Template> {
    Template::builtins()
}

fn opts(templates: &[Template]) -> ReadOptions<'_> {
    ReadOptions {
        sheet: None,
        templates,
    }
}

/// Every non-empty cell of the workbook is accounted for exactly once.
fn assert_accounted(p: &Path, templates: &[Template]) {
    let lost = unaccounted_cells(p, &opts(templates)).unwrap();
    assert!(lost.is_empty(), "{}:\n{}", p.display(), lost.join("\n"));
}

fn read_one(p: &Path) -> Table {
    let t = auto();
    let table = read_file(p, &opts(&t)).unwrap();
    assert_accounted(p, &t);
    table
}

/// One project table on one sheet.
fn one_project(dir: &Path, name: &str, style: CatStyle, scores: bool) -> Table {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let end = project_block(ws, 0, &P1, style, scores);
    ws.write_string(end + 1, 0, "填报人：李明 联系电话：0539-8123456")
        .unwrap();
    let p = save(&mut wb, dir, name);
    read_one(&p)
}

/// (level1, level2, rows, indicator names) of each category.
type Cat = (String, String, [u32; 2], Vec<String>);

fn categories(t: &Table) -> Vec<Cat> {
    let s = &t.shape;
    let l1 = s.group_field("level1").unwrap();
    let l2 = s.group_field("level2").unwrap();
    let name = s.indicator_field("name").unwrap();
    t.groups
        .iter()
        .map(|g| {
            (
                g.text(l1).to_string(),
                g.text(l2).to_string(),
                g.rows,
                g.indicators
                    .iter()
                    .map(|i| i.text(name).to_string())
                    .collect(),
            )
        })
        .collect()
}

/// The categories `project_block` writes, its header on 1-based row `header`.
fn expected_categories(header: u32) -> Vec<Cat> {
    let mut out: Vec<Cat> = Vec::new();
    for (i, r) in ROWS.iter().enumerate() {
        let row = header + 1 + i as u32;
        match out.last_mut() {
            Some(c) if c.0 == r[0] && c.1 == r[1] => {
                c.2[1] = row;
                c.3.push(r[2].to_string());
            }
            _ => out.push((
                r[0].to_string(),
                r[1].to_string(),
                [row, row],
                if r[2].is_empty() {
                    vec![]
                } else {
                    vec![r[2].to_string()]
                },
            )),
        }
    }
    out
}

#[test]
fn official_layout_with_merges() {
    let dir = tempfile::tempdir().unwrap();
    let t = one_project(dir.path(), "official.xlsx", CatStyle::Merged, false);
    assert_eq!(t.template, "project-target");
    assert_eq!(t.title, TITLE);
    assert_eq!(t.year, Some(2024));
    assert_eq!(t.department.as_deref(), Some("临沂市教育局"));
    assert_eq!(t.project(), P1.name);
    assert_eq!(t.form_text("department_code"), "015001");
    assert_eq!(t.form_text("unit"), P1.unit);
    assert_eq!(t.form_text("money_unit"), "万元");
    assert_eq!(t.form_text("funds_total"), "250");
    assert_eq!(t.source.header_rows, [11, 11]);
    assert_eq!(t.source.data_rows, Some([12, 19]));
    let cols: Vec<(&str, &str)> = t
        .source
        .columns
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        cols,
        [
            ("level1", "B"),
            ("level2", "C"),
            ("name", "D"),
            ("value", "E"),
            ("standard", "F"),
            ("remark", "G")
        ]
    );
    assert_eq!(t.source.form_cells["name"], "B3");
    assert_eq!(t.source.form_cells["funds_total"], "C6");
    assert_eq!(categories(&t), expected_categories(11));
    // The empty 二级 row is a category with no indicator, not an extra.
    let empty = &t.groups[4];
    assert!(empty.indicators.is_empty());
    assert_eq!(empty.rows, [17, 17]);
    let j = serde_json::to_value(&t).unwrap();
    assert_eq!(j["categories"].as_array().unwrap().len(), 7);
    assert_eq!(j["indicators"].as_array().unwrap().len(), 7);
    assert_eq!(j["indicators"][0]["level1"], "产出指标");
    assert_eq!(j["indicators"][0]["level2"], "数量指标");
    assert_eq!(j["indicators"][0]["value"], "≥10所");
    assert_eq!(j["indicators"][0]["standard"], "计划标准");
    assert_eq!(j["indicators"][0]["row"], 12);
    assert_eq!(j["indicators"][0]["parsed"]["value"]["number"], 10);
    assert_eq!(j["form"]["parsed"]["funds_total"]["number"], 2_500_000);
    let extras: Vec<(&str, &str, ExtraKind)> = t
        .extras
        .iter()
        .map(|e| (e.cell.as_str(), e.text.as_str(), e.kind))
        .collect();
    assert_eq!(
        extras,
        [
            ("A2", "金额单位：万元", ExtraKind::UnitLine),
            (
                "A21",
                "填报人：李明 联系电话：0539-8123456",
                ExtraKind::Footnote
            )
        ]
    );
}

#[test]
fn merged_first_row_only_and_every_row_give_the_same_categories() {
    let dir = tempfile::tempdir().unwrap();
    let merged = one_project(dir.path(), "m.xlsx", CatStyle::Merged, false);
    for style in [CatStyle::FirstRowOnly, CatStyle::EveryRow] {
        let t = one_project(dir.path(), "s.xlsx", style, false);
        assert_eq!(categories(&t), expected_categories(11), "{style:?}");
        assert_eq!(t.groups, merged.groups, "{style:?}");
        assert_eq!(t.extras, merged.extras, "{style:?}");
    }
}

#[test]
fn scores_ride_on_category_labels() {
    let dir = tempfile::tempdir().unwrap();
    for style in [CatStyle::Merged, CatStyle::FirstRowOnly, CatStyle::EveryRow] {
        let t = one_project(dir.path(), "scores.xlsx", style, true);
        assert_eq!(categories(&t), expected_categories(11), "{style:?}");
        let s = &t.shape;
        let (s1, s2) = (
            s.group_field("level1_score").unwrap(),
            s.group_field("level2_score").unwrap(),
        );
        let scores: Vec<(&str, &str)> = t.groups.iter().map(|g| (g.text(s1), g.text(s2))).collect();
        assert_eq!(
            scores,
            [
                ("50", "20"),
                ("50", "10"),
                ("50", "10"),
                ("50", "10"),
                ("30", "10"),
                ("30", "10"),
                ("20", "10")
            ],
            "{style:?}"
        );
        let j = serde_json::to_value(&t).unwrap();
        assert_eq!(j["categories"][0]["level1_score"], "50");
        assert_eq!(j["indicators"][0]["level1"], "产出指标");
    }
}

#[test]
fn a_project_without_title_or_unit_line_still_reads_its_form() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb2 = Workbook::new();
    let ws2 = wb2.add_worksheet();
    ws2.write_string(0, 0, "项目名称").unwrap();
    ws2.write_string(0, 1, P2.name).unwrap();
    ws2.write_string(1, 0, "主管部门").unwrap();
    ws2.write_string(1, 1, "临沂市教育局").unwrap();
    for (c, h) in ["一级指标", "二级指标", "三级指标", "指标值"]
        .iter()
        .enumerate()
    {
        ws2.write_string(2, c as u16, *h).unwrap();
    }
    ws2.write_string(3, 0, "产出指标").unwrap();
    ws2.write_string(3, 1, "数量指标").unwrap();
    ws2.write_string(3, 2, "培训人次").unwrap();
    ws2.write_string(3, 3, "≥5000人次").unwrap();
    let p = save(&mut wb2, dir.path(), "bare.xlsx");
    let t = read_one(&p);
    assert_eq!(t.template, "project-target");
    assert_eq!(t.title, "");
    assert_eq!(t.project(), P2.name);
    assert_eq!(t.department.as_deref(), Some("临沂市教育局"));
    assert_eq!(t.source.header_rows, [3, 3]);
    assert_eq!(t.indicator_count(), 1);
    assert!(t.extras.is_empty(), "{:?}", t.extras);
}

#[test]
fn two_stacked_blocks_are_two_tables() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("项目绩效目标").unwrap();
    let end = project_block(ws, 0, &P1, CatStyle::Merged, false);
    ws.write_string(end, 0, "填报人：李明").unwrap();
    let start2 = end + 2;
    let end2 = project_block(ws, start2, &P2, CatStyle::FirstRowOnly, false);
    ws.write_string(end2 + 1, 0, "注：培训按计划执行。")
        .unwrap();
    let p = save(&mut wb, dir.path(), "stacked.xlsx");
    let t = auto();

    let w = read_workbook(&p, &opts(&t)).unwrap();
    assert_eq!(w.tables.len(), 2);
    assert!(w.extras.is_empty());
    let (a, b) = (&w.tables[0], &w.tables[1]);
    assert_eq!(a.project(), P1.name);
    assert_eq!(b.project(), P2.name);
    assert_eq!(categories(a), expected_categories(11));
    let h2 = start2 + 11;
    assert_eq!(b.source.header_rows, [h2, h2]);
    assert_eq!(categories(b), expected_categories(h2));
    assert_eq!(b.title, TITLE);
    assert_eq!(b.source.form_cells["name"], format!("B{}", start2 + 3));
    let cells = |t: &Table| -> Vec<String> { t.extras.iter().map(|e| e.cell.clone()).collect() };
    assert_eq!(cells(a), ["A2", &format!("A{}", end + 1)]);
    assert_eq!(
        cells(b),
        [format!("A{}", start2 + 2), format!("A{}", end2 + 2)]
    );
    assert_eq!(b.extras[1].kind, ExtraKind::Footnote);
    assert_accounted(&p, &t);

    match read_file(&p, &opts(&t)) {
        Err(
            e @ Error::Input {
                reason: InputError::SeveralTables { count: 2, .. },
                ..
            },
        ) => {
            let msg = e.to_string();
            assert!(
                msg.contains(&format!("项目绩效目标 第1–20行（{}）", P1.name)),
                "{msg}"
            );
            assert!(msg.contains(P2.name), "{msg}");
            assert!(!msg.contains('\n'), "{msg}");
        }
        other => panic!("expected SeveralTables, got {other:?}"),
    }
    let second = read_table(&p, &opts(&t), 2).unwrap();
    assert_eq!(second, *b);
    assert!(matches!(
        read_table(&p, &opts(&t), 3),
        Err(Error::Input {
            reason: InputError::NoSuchTable { n: 3, count: 2 },
            ..
        })
    ));
}

#[test]
fn three_project_sheets_and_an_instructions_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ins = wb.add_worksheet();
    ins.set_name("填报说明").unwrap();
    ins.write_string(0, 0, "填报说明").unwrap();
    ins.write_string(1, 0, "1.本表按项目填报，一个项目一张表。")
        .unwrap();
    for (name, p) in [
        ("临沂一中", &P1),
        ("教师发展中心", &P2),
        ("学生资助中心", &P3),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        project_block(ws, 0, p, CatStyle::Merged, false);
    }
    let p = save(&mut wb, dir.path(), "three.xlsx");
    let t = auto();
    let w = read_workbook(&p, &opts(&t)).unwrap();
    let got: Vec<(&str, &str)> = w
        .tables
        .iter()
        .map(|t| (t.source.sheet.as_str(), t.project()))
        .collect();
    assert_eq!(
        got,
        [
            ("临沂一中", P1.name),
            ("教师发展中心", P2.name),
            ("学生资助中心", P3.name)
        ]
    );
    assert_eq!(w.tables[2].form_text("funds_total"), "1,200.00");
    let ex: Vec<(&str, &str, ExtraKind)> = w
        .extras
        .iter()
        .map(|e| (e.sheet.as_str(), e.cell.as_str(), e.kind))
        .collect();
    assert_eq!(
        ex,
        [
            ("填报说明", "A1", ExtraKind::OtherSheet),
            ("填报说明", "A2", ExtraKind::OtherSheet)
        ]
    );
    assert!(w
        .tables
        .iter()
        .all(|t| t.extras.iter().all(|e| e.sheet == t.source.sheet)));
    let j = serde_json::to_value(&w).unwrap();
    assert_eq!(j["schema"], "jixiao.workbook/1");
    assert_eq!(j["tables"].as_array().unwrap().len(), 3);
    assert_accounted(&p, &t);

    match read_file(&p, &opts(&t)) {
        Err(
            e @ Error::Input {
                reason: InputError::SeveralTables { count: 3, .. },
                ..
            },
        ) => {
            let msg = e.to_string();
            let want = format!(
                "工作簿中有 3 张表：临沂一中（{}）、教师发展中心（{}）、学生资助中心（{}），请用 --sheet 或 --table 指定，或用 --all 全部导入",
                P1.name, P2.name, P3.name
            );
            assert!(msg.ends_with(&want), "{msg}");
        }
        other => panic!("expected SeveralTables, got {other:?}"),
    }
    // --sheet narrows to one table: the other sheets' cells are its extras.
    let one = read_file(
        &p,
        &ReadOptions {
            sheet: Some("教师发展中心"),
            templates: &t,
        },
    )
    .unwrap();
    assert_eq!(one.project(), P2.name);
    assert!(one
        .extras
        .iter()
        .any(|e| e.sheet == "临沂一中" && e.kind == ExtraKind::OtherSheet));
    assert!(one.extras.iter().any(|e| e.sheet == "填报说明"));
    // --table 3 gives the third, with the instructions sheet's cells.
    let third = read_table(&p, &opts(&t), 3).unwrap();
    assert_eq!(third.project(), P3.name);
    assert_eq!(
        third
            .extras
            .iter()
            .filter(|e| e.sheet == "填报说明")
            .count(),
        2
    );
    assert!(!third.extras.iter().any(|e| e.sheet == "临沂一中"));
}

/// The dept-overall header (3 rows, merged) from 0-based row `r`, one duty with one indicator.
fn dept_sheet(ws: &mut Worksheet) {
    let f = f();
    ws.merge_range(0, 0, 0, 12, "2024年临沂市教育局部门预算整体绩效目标表", &f)
        .unwrap();
    let tops = [
        "职责序号",
        "部门职责",
        "职责目标",
        "绩效指标",
        "指标解释",
        "年度指标值",
    ];
    for (c, t) in tops.iter().enumerate() {
        ws.merge_range(2, c as u16, 4, c as u16, t, &f).unwrap();
    }
    ws.merge_range(2, 12, 4, 12, "工作活动", &f).unwrap();
    ws.merge_range(2, 6, 2, 8, "标准值", &f).unwrap();
    ws.merge_range(2, 9, 2, 11, "历史值", &f).unwrap();
    ws.merge_range(3, 6, 4, 6, "规划值", &f).unwrap();
    ws.merge_range(3, 7, 3, 8, "当年标准值", &f).unwrap();
    ws.merge_range(3, 9, 4, 9, "前三年均值", &f).unwrap();
    ws.merge_range(3, 10, 4, 10, "上年值", &f).unwrap();
    ws.merge_range(3, 11, 4, 11, "来源", &f).unwrap();
    ws.write_string(4, 7, "标准值").unwrap();
    ws.write_string(4, 8, "来源").unwrap();
    for (c, v) in [
        "1",
        "教育改革发展政策",
        "拟定政策措施。",
        "政策措施拟定数量",
        "反映拟定情况。",
        "1个",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(5, c as u16, *v).unwrap();
    }
}

#[test]
fn a_workbook_mixing_templates_reads_both_in_auto_mode() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let d = wb.add_worksheet();
    d.set_name("部门整体").unwrap();
    dept_sheet(d);
    let ws = wb.add_worksheet();
    ws.set_name("项目").unwrap();
    project_block(ws, 0, &P1, CatStyle::Merged, false);
    let p = save(&mut wb, dir.path(), "mixed.xlsx");

    let t = auto();
    let w = read_workbook(&p, &opts(&t)).unwrap();
    let got: Vec<(&str, &str)> = w
        .tables
        .iter()
        .map(|t| (t.template.as_str(), t.source.sheet.as_str()))
        .collect();
    assert_eq!(
        got,
        [("dept-overall", "部门整体"), ("project-target", "项目")]
    );
    assert_eq!(w.tables[0].indicator_count(), 1);
    assert_eq!(w.tables[0].department.as_deref(), Some("临沂市教育局"));
    assert_eq!(categories(&w.tables[1]), expected_categories(11));
    assert_accounted(&p, &t);
    let j = serde_json::to_value(&w).unwrap();
    assert!(j["tables"][0]["duties"].is_array());
    assert!(j["tables"][1]["categories"].is_array());

    // A named template reads only its own tables: the other sheet is an other sheet.
    for (id, sheet, other) in [
        ("dept-overall", "部门整体", "项目"),
        ("project-target", "项目", "部门整体"),
    ] {
        let one = [Template::load(id).unwrap()];
        let table = read_file(&p, &opts(&one)).unwrap();
        assert_eq!(table.template, id);
        assert_eq!(table.source.sheet, sheet);
        assert!(table
            .extras
            .iter()
            .filter(|e| e.sheet == other)
            .all(|e| e.kind == ExtraKind::OtherSheet));
        assert!(table.extras.iter().any(|e| e.sheet == other));
        assert_accounted(&p, &one);
    }
}

#[test]
fn a_blank_project_template_beside_a_filled_one_is_no_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let blank = wb.add_worksheet();
    blank.set_name("空白表").unwrap();
    blank.write_string(0, 0, "项目名称").unwrap();
    blank.write_string(1, 0, "主管部门及代码").unwrap();
    for (c, h) in [
        "绩效指标",
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "绩效标准",
        "备注",
    ]
    .iter()
    .enumerate()
    {
        blank.write_string(2, c as u16, *h).unwrap();
    }
    let ws = wb.add_worksheet();
    ws.set_name("填好的").unwrap();
    project_block(ws, 0, &P1, CatStyle::Merged, false);
    let p = save(&mut wb, dir.path(), "blank.xlsx");
    let t = read_one(&p);
    assert_eq!(t.source.sheet, "填好的");
    assert_eq!(t.extras.iter().filter(|e| e.sheet == "空白表").count(), 9);
}

#[test]
fn stacked_projects_without_titles_start_at_their_project_name_rows() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let mut r = 0;
    let mut want = Vec::new();
    for p in [&P1, &P2, &P3] {
        let end = block(ws, r, p, CatStyle::EveryRow, false, false);
        want.push((format!("B{}", r + 3), p.name, [r + 3, end]));
        r = end + 1;
    }
    let bytes = wb.save_to_buffer().unwrap();
    let t = auto();
    let w = jixiao::read::read_workbook_bytes(&bytes, "untitled.xlsx", &opts(&t)).unwrap();
    let got: Vec<(String, &str, [u32; 2])> = w
        .tables
        .iter()
        .map(|t| {
            (
                t.source.form_cells["name"].clone(),
                t.project(),
                [
                    t.source.form_cells["name"][1..].parse().unwrap(),
                    t.source.data_rows.unwrap()[1],
                ],
            )
        })
        .collect();
    assert_eq!(got, want);
    for t in &w.tables {
        assert_eq!(t.title, "");
        assert!(t.extras.is_empty(), "{:?}", t.extras);
        assert_eq!(categories(t).len(), 7);
    }
}
