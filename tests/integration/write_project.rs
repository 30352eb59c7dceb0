//! The official layout of a 项目支出绩效目标表, read back by content: the form
//! block and grid merges, the table's own money unit, optional rows and
//! columns only when used, empty categories, portrait page setup, the blank
//! template's protection and drop-downs, several tables in one workbook, and
//! the 项目清单 sheet of a collection.

use crate::xlsx_xml::project::*;
use crate::xlsx_xml::*;

use calamine::{Data, Reader, Xlsx};
use jixiao::template::Template;
use jixiao::write::{blank_template, official_workbook};
use std::collections::BTreeSet;
use std::io::Cursor;

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn read_sheet(bytes: &[u8], sheet: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    wb.worksheet_range(sheet).unwrap()
}

fn sheet_names(bytes: &[u8]) -> Vec<String> {
    let wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    wb.sheet_names()
}

/// The text at a 1-based row and 0-based column.
fn text_at(r: &calamine::Range<Data>, row1: u32, col: u32) -> String {
    match r.get_value((row1 - 1, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => format!("{other:?}"),
    }
}

fn official(t: &jixiao::model::Table) -> Vec<u8> {
    let tpl = project_template();
    official_workbook(&[(t, &tpl)]).unwrap()
}

/// The base layout: 7 columns A–G, form rows 3–10, header 11, data 12–20
/// (row 2 empty: the table has no unit line of its own).
const BASE_MERGES: [&str; 16] = [
    "A1:G1", "B3:G3", "B4:D4", "F4:G4", "B5:D5", "F5:G5", "A6:A9", "C6:G6", "C7:G7", "C8:G8",
    "C9:G9", "B10:G10", "A11:A20", // side label over header and data
    "B12:B16",
    "B17:B19", // 产出指标 over its four categories, 效益指标 over its three
    "C12:C13", // 数量指标 over its two indicators
];

#[test]
fn form_block_and_grid_follow_the_template() {
    let t = project_table("万元");
    let bytes = official(&t);
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert_eq!(merges(&xml), set(&BASE_MERGES));

    let r = read_sheet(&bytes, "绩效目标表");
    assert_eq!(text_at(&r, 1, 0), "2023年度项目支出绩效目标表");
    assert_eq!(
        text_at(&r, 2, 0),
        "",
        "no unit line of its own: a restyle adds none"
    );
    assert!(!sheet_names(&bytes).contains(&"其他内容".to_string()));
    assert_eq!(text_at(&r, 3, 0), "项目名称");
    assert_eq!(text_at(&r, 3, 1), "雾炮车降尘抑尘服务");
    assert_eq!(text_at(&r, 4, 0), "主管部门及代码");
    assert_eq!(text_at(&r, 4, 1), "[015001]湘潭市城市管理和综合执法局");
    assert_eq!(text_at(&r, 4, 4), "实施单位");
    assert_eq!(text_at(&r, 4, 5), "湘潭市环境卫生服务中心");
    assert_eq!(text_at(&r, 5, 4), "项目期");
    assert_eq!(text_at(&r, 6, 0), "项目资金\n（万元）");
    assert_eq!(text_at(&r, 6, 1), "年度资金总额");
    assert_eq!(text_at(&r, 6, 2), "250.00", "amounts as written, as text");
    assert_eq!(text_at(&r, 7, 1), "其中：财政拨款");
    assert_eq!(text_at(&r, 9, 1), "其他资金");
    assert_eq!(text_at(&r, 10, 0), "年度总体目标");
    assert!(text_at(&r, 10, 1).starts_with("1.配备雾炮车10辆"));
    let header: Vec<String> = (0..7).map(|c| text_at(&r, 11, c)).collect();
    assert_eq!(
        header,
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "绩效标准",
            "备注"
        ]
    );
    // Scores ride on the labels (broken before the bracket where the label
    // does not fit on one line); an empty category keeps its row.
    assert_eq!(text_at(&r, 12, 1), "产出指标\n（50分）");
    assert_eq!(text_at(&r, 12, 2), "数量指标\n（20分）");
    assert_eq!(text_at(&r, 13, 3), "风炮射程");
    assert_eq!(text_at(&r, 16, 4), "≤250万元");
    assert_eq!(text_at(&r, 17, 1), "效益指标\n（30分）");
    assert_eq!(text_at(&r, 17, 2), "经济效益指标");
    assert_eq!(text_at(&r, 17, 3), "", "an empty category: no indicator");
    assert_eq!(text_at(&r, 19, 2), "生态效益指标");
    assert_eq!(text_at(&r, 20, 1), "满意度指标\n（20分）");
    assert_eq!(text_at(&r, 20, 5), "计划标准");
    assert!(
        cell_xml(&xml, "G20").is_some(),
        "the last row is bordered to G"
    );
    assert!(cell_xml(&xml, "H12").is_none(), "nothing past G");

    // Amounts right-aligned, labels bold and centred, values left.
    let c6 = cell_xf(&bytes, &xml, "C6").unwrap();
    assert!(c6.contains(r#"horizontal="right""#), "{c6}");
    let a3 = cell_xf(&bytes, &xml, "A3").unwrap();
    assert!(a3.contains(r#"horizontal="center""#), "{a3}");
    let b3 = cell_xf(&bytes, &xml, "B3").unwrap();
    assert!(b3.contains(r#"horizontal="left""#), "{b3}");
}

#[test]
fn portrait_one_page_wide_header_row_repeated() {
    let bytes = official(&project_table("万元"));
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    let ps = element(&xml, "pageSetup").expect("pageSetup");
    assert!(ps.contains(r#"paperSize="9""#), "{ps}");
    assert!(!ps.contains("landscape"), "{ps}");
    assert!(ps.contains(r#"fitToHeight="0""#), "{ps}");
    assert!(xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#));
    assert!(xml.contains("<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>"));
    let wbxml = unzip(&bytes, "xl/workbook.xml");
    assert!(wbxml.contains("$11:$11"), "{wbxml}");
    // Widths: A 10, B and C 12, D 24, E 14.
    assert!(
        xml.contains(r#"<col min="1" max="1" width="10.7109375""#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<col min="2" max="3" width="12.7109375""#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<col min="4" max="4" width="24.7109375""#),
        "{xml}"
    );
    assert!(
        xml.contains(r#"<col min="5" max="5" width="14.7109375""#),
        "{xml}"
    );
    assert!(!xml.contains("<pane "), "no frozen form block");
}

#[test]
fn money_label_says_the_tables_own_unit() {
    let bytes = official(&project_table("元"));
    let r = read_sheet(&bytes, "绩效目标表");
    // The label broken before its bracket: no lone "）" on a line of its own.
    assert_eq!(text_at(&r, 6, 0), "项目资金\n（元）");
    assert_eq!(
        text_at(&r, 2, 0),
        "",
        "the label says it; no unit line added"
    );
    assert_eq!(text_at(&r, 6, 2), "2,500,000.00");
}

#[test]
fn a_unit_line_as_written_is_kept() {
    let mut t = project_table("万元");
    t.extras.push(jixiao::model::Extra {
        sheet: "雾炮车".into(),
        cell: "F2".into(),
        text: "单位：万元".into(),
        kind: jixiao::model::ExtraKind::UnitLine,
    });
    let bytes = official(&t);
    let r = read_sheet(&bytes, "绩效目标表");
    assert_eq!(text_at(&r, 2, 0), "单位：万元");
    assert!(sheet_names(&bytes).contains(&"其他内容".to_string()));
    // Right-aligned over the table, as the template's unit line is.
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(merges(&xml).contains("A2:G2"));
    let unit = cell_xf(&bytes, &xml, "A2").unwrap();
    assert!(unit.contains(r#"horizontal="right""#), "{unit}");
}

#[test]
fn optional_columns_only_when_used() {
    let mut t = project_table("万元");
    set_indicator(&mut t, 0, "weight", "10");
    let bytes = official(&t);
    let r = read_sheet(&bytes, "绩效目标表");
    let header: Vec<String> = (0..8).map(|c| text_at(&r, 11, c)).collect();
    assert_eq!(
        header,
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "分值",
            "绩效标准",
            "备注"
        ],
        "分值 before 绩效标准, 指标解释 still absent"
    );
    assert_eq!(text_at(&r, 12, 5), "10");
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    let m = merges(&xml);
    assert!(
        m.contains("A1:H1") && m.contains("B3:H3") && m.contains("F4:H4"),
        "{m:?}"
    );

    // A column the input had is kept even when empty.
    let mut t = project_table("万元");
    t.source.columns.insert("explanation".into(), "F".into());
    let r = read_sheet(&official(&t), "绩效目标表");
    assert_eq!(text_at(&r, 11, 5), "指标解释");
    assert_eq!(text_at(&r, 11, 6), "绩效标准");
}

#[test]
fn midterm_goal_row_only_when_present() {
    let t = project_table("万元");
    let r = read_sheet(&official(&t), "绩效目标表");
    assert_eq!(text_at(&r, 11, 0), "绩效指标");

    let mut t = project_table("万元");
    set_form(&mut t, "midterm_goal", "三年内城区降尘全覆盖。");
    let bytes = official(&t);
    let r = read_sheet(&bytes, "绩效目标表");
    assert_eq!(text_at(&r, 11, 0), "中期目标");
    assert_eq!(text_at(&r, 11, 1), "三年内城区降尘全覆盖。");
    assert_eq!(text_at(&r, 12, 0), "绩效指标");
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(merges(&xml).contains("A12:A21"));
    assert!(unzip(&bytes, "xl/workbook.xml").contains("$12:$12"));
}

#[test]
fn several_tables_one_sheet_each() {
    let a = project_table("万元");
    let mut b = project_table("元");
    b.source.sheet = "雾炮车".into(); // a second block of the same sheet
    set_form(&mut b, "name", "道路清扫保洁");
    let mut c = project_table("万元");
    c.source.sheet = "其他内容".into(); // a name the workbook needs itself
    c.extras.push(jixiao::model::Extra {
        sheet: "填报说明".into(),
        cell: "A1".into(),
        text: "说明".into(),
        kind: jixiao::model::ExtraKind::OtherSheet,
    });
    let tpl = project_template();
    let bytes = official_workbook(&[(&a, &tpl), (&b, &tpl), (&c, &tpl)]).unwrap();
    assert_eq!(
        sheet_names(&bytes),
        ["雾炮车", "雾炮车 (2)", "其他内容 (2)", "其他内容"]
    );
    let r = read_sheet(&bytes, "雾炮车 (2)");
    assert_eq!(text_at(&r, 3, 1), "道路清扫保洁");
    assert_eq!(text_at(&r, 6, 0), "项目资金\n（元）");
    // Several tables: each listed extra names the sheet its table went to.
    let l = read_sheet(&bytes, "其他内容");
    let row = |n: u32| -> Vec<String> { (0..6).map(|c| text_at(&l, n, c)).collect() };
    assert_eq!(
        row(1),
        ["原工作表", "原单元格", "内容", "类型", "所属表", ""]
    );
    assert_eq!(
        row(2),
        ["填报说明", "A1", "说明", "其他工作表", "其他内容 (2)", ""]
    );
    assert_eq!(l.height(), 2);

    // A project and a dept-overall table side by side, each in its own layout.
    let dept = Template::default_template();
    let mut d = jixiao::model::Table::new(dept.shape());
    d.title = dept.title(2023, "临沂市教育局");
    d.source.sheet = "部门整体".into();
    let bytes = official_workbook(&[(&a, &tpl), (&d, &dept)]).unwrap();
    assert_eq!(sheet_names(&bytes), ["雾炮车", "部门整体"]);
    let r = read_sheet(&bytes, "部门整体");
    assert_eq!(text_at(&r, 3, 0), "职责序号");
    let xml = unzip(&bytes, "xl/worksheets/sheet2.xml");
    assert!(element(&xml, "pageSetup").unwrap().contains("landscape"));
}

#[test]
fn blank_template_locks_labels_and_offers_lists() {
    let tpl = project_template();
    let mut t = jixiao::model::Table::new(tpl.shape());
    t.title = tpl.title(2024, "临沂市教育局");
    t.year = Some(2024);
    t.department = Some("临沂市教育局".into());
    set_form(&mut t, "department", "临沂市教育局");
    let bytes = blank_template(&t, &tpl, 20).unwrap();
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    let prot = element(&xml, "sheetProtection").expect("protected");
    assert!(!prot.contains("password"), "{prot}");
    for label in [
        "A3", "A4", "E4", "A6", "B6", "B7", "A10", "A11", "B11", "G11",
    ] {
        assert!(locked(&bytes, &xml, label), "{label} locked");
    }
    for value in [
        "B3", "B4", "F4", "B5", "F5", "C6", "C9", "B10", "B12", "D12", "G31",
    ] {
        assert!(!locked(&bytes, &xml, value), "{value} unlocked");
    }
    // Amounts typed show two decimals; texts stay as typed.
    assert!(cell_xf(&bytes, &xml, "C6")
        .unwrap()
        .contains(r#"numFmtId="4""#));
    assert!(cell_xf(&bytes, &xml, "B3")
        .unwrap()
        .contains(r#"numFmtId="49""#));
    let r = read_sheet(&bytes, "绩效目标表");
    assert_eq!(text_at(&r, 4, 1), "临沂市教育局");
    assert_eq!(text_at(&r, 6, 0), "项目资金\n（万元）", "the default unit");
    assert_eq!(
        text_at(&r, 2, 0),
        "金额单位：万元",
        "the blank template shows the template's unit line"
    );
    assert!(merges(&xml).contains("A11:A31"), "side label over 20 rows");

    let dv = data_validations(&xml);
    let lists: Vec<&String> = dv.iter().filter(|d| d.contains(r#"type="list""#)).collect();
    assert_eq!(lists.len(), 3, "{lists:#?}");
    let list = |col: &str| {
        lists
            .iter()
            .find(|d| d.contains(&format!(r#"sqref="{col}12:{col}31""#)))
            .unwrap_or_else(|| panic!("no list on {col}: {lists:#?}"))
    };
    assert!(list("B").contains("产出指标,效益指标,满意度指标,成本指标"));
    assert!(list("C").contains("数量指标,质量指标,时效指标,成本指标,经济效益指标"));
    assert!(list("F").contains("计划标准,行业标准,历史标准,其他标准"));
    for l in &lists {
        assert!(l.contains(r#"errorStyle="information""#), "{l}");
    }
    // Input messages on the form labels and the header.
    let prompt = |cell: &str| {
        dv.iter()
            .any(|d| d.contains("promptTitle=") && d.contains(&format!(r#"sqref="{cell}""#)))
    };
    assert!(prompt("A3"), "项目名称 label");
    assert!(prompt("A10"), "年度总体目标 label");
    assert!(prompt("B11"), "一级指标 header");
    assert!(xml.contains("本年度项目资金总额"));
}

#[test]
fn blank_template_rolled_forward_keeps_categories_and_names() {
    let tpl = project_template();
    let t =
        project_table("万元").roll_forward(2024, "湘潭市城市管理和综合执法局", tpl.title(2024, ""));
    let bytes = blank_template(&t, &tpl, 30).unwrap();
    let r = read_sheet(&bytes, "绩效目标表");
    assert_eq!(text_at(&r, 1, 0), "2024年度项目支出绩效目标表");
    assert_eq!(text_at(&r, 3, 1), "雾炮车降尘抑尘服务", "project kept");
    assert_eq!(text_at(&r, 6, 2), "", "amounts emptied");
    assert_eq!(text_at(&r, 10, 1), "", "goal emptied");
    assert_eq!(text_at(&r, 12, 1), "产出指标\n（50分）");
    assert_eq!(text_at(&r, 13, 3), "风炮射程");
    assert_eq!(text_at(&r, 13, 4), "", "value emptied");
    assert_eq!(text_at(&r, 17, 2), "经济效益指标");
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    // 9 data rows (12–20) and 5 spare rows (21–25).
    assert!(cell_xml(&xml, "G25").is_some() && cell_xml(&xml, "G26").is_none());
    assert!(merges(&xml).contains("A11:A25"));
    assert!(merges(&xml).contains("B12:B16"));
}

/// `WRITER_LOOK=/tmp/look cargo test --test integration write_project::look -- --ignored`: files to open and print.
#[test]
#[ignore = "writes workbooks to look at, asserts nothing: set WRITER_LOOK and run with --ignored"]
fn look_files() {
    let Ok(dir) = std::env::var("WRITER_LOOK") else {
        return;
    };
    std::fs::create_dir_all(&dir).unwrap();
    let tpl = project_template();
    let mut t = project_table("万元");
    set_form(&mut t, "midterm_goal", "三年内城区降尘全覆盖。");
    std::fs::write(format!("{dir}/project-restyled.xlsx"), official(&t)).unwrap();
    let mut fresh = jixiao::model::Table::new(tpl.shape());
    fresh.title = tpl.title(2024, "");
    set_form(&mut fresh, "department", "临沂市教育局");
    std::fs::write(
        format!("{dir}/project-blank.xlsx"),
        blank_template(&fresh, &tpl, 20).unwrap(),
    )
    .unwrap();
    let rolled = project_table("元").roll_forward(2024, "临沂市教育局", tpl.title(2024, ""));
    std::fs::write(
        format!("{dir}/project-rolled.xlsx"),
        blank_template(&rolled, &tpl, 20).unwrap(),
    )
    .unwrap();
    // Marked: a placeholder value and an empty name.
    let mut bad = project_table("万元");
    set_indicator(&mut bad, 1, "value", "≥××%");
    set_form(&mut bad, "unit", "");
    let r = jixiao::validate::validate(&bad, &tpl, None);
    std::fs::write(
        format!("{dir}/project-marked.xlsx"),
        jixiao::write::marked_workbook(&[(&bad, &r, &tpl)]).unwrap(),
    )
    .unwrap();
    // Diff: last year's sample against this year's with changes.
    let prior = project_table("万元");
    let mut current = prior.clone();
    current.year = Some(2024);
    set_indicator(&mut current, 0, "value", "12辆");
    current.groups[0].indicators.remove(1);
    set_form(&mut current, "period", "2年");
    let d = jixiao::diff::diff(&prior, &current);
    let f = jixiao::validate::validate(&current, &tpl, None);
    std::fs::write(
        format!("{dir}/project-diff.xlsx"),
        jixiao::write::diff_workbook(&prior, &current, &d, &f, &tpl).unwrap(),
    )
    .unwrap();
}

#[test]
fn collection_lists_projects_with_amounts_in_wan_and_a_total() {
    use jixiao::collect::{Collection, FileOutcome, TableOutcome};
    use jixiao::validate::validate;
    let tpl = project_template();
    let dept = Template::default_template();
    let outcome = |t: jixiao::model::Table, tpl: &Template| TableOutcome {
        report: validate(&t, tpl, None),
        table: t,
    };
    let mut b = project_table("元");
    set_form(&mut b, "name", "道路清扫保洁");
    let mut d = jixiao::model::Table::new(dept.shape());
    d.department = Some("临沂市教育局".into());
    d.year = Some(2023);
    let c = Collection::new(vec![
        FileOutcome {
            path: "项目.xlsx".into(),
            result: Ok(vec![outcome(project_table("万元"), &tpl), outcome(b, &tpl)]),
        },
        FileOutcome {
            path: "部门.xlsx".into(),
            result: Ok(vec![outcome(d, &dept)]),
        },
    ]);
    let bytes = jixiao::write::collect_workbook(&c, &Template::builtins()).unwrap();
    let names = sheet_names(&bytes);
    for s in ["汇总", "项目清单", "项目指标", "文件清单", "问题清单"] {
        assert!(names.contains(&s.to_string()), "{s} in {names:?}");
    }
    let r = read_sheet(&bytes, "项目清单");
    let header: Vec<String> = (0..13).map(|c| text_at(&r, 2, c)).collect();
    assert_eq!(
        header,
        [
            "主管部门",
            "项目名称",
            "实施单位",
            "项目属性",
            "项目期",
            "年度资金总额（万元）",
            "财政拨款（万元）",
            "上年结转资金（万元）",
            "其他资金（万元）",
            "指标数",
            "错误",
            "警告",
            "文件"
        ]
    );
    assert_eq!(text_at(&r, 3, 0), "湘潭市城市管理和综合执法局");
    assert_eq!(text_at(&r, 3, 1), "雾炮车降尘抑尘服务");
    assert_eq!(text_at(&r, 4, 1), "道路清扫保洁");
    // Amounts are numbers in 万元, the 元 table's converted.
    let num = |row: u32, col: u32| match r.get_value((row - 1, col)) {
        Some(Data::Float(f)) => *f,
        other => panic!("({row}, {col}) is not a number: {other:?}"),
    };
    assert_eq!(num(3, 5), 250.0);
    assert_eq!(num(4, 5), 250.0, "2,500,000.00 元 is 250 万元");
    assert_eq!(num(3, 6), 200.0);
    assert_eq!(num(4, 7), 50.0);
    assert_eq!(num(3, 9), 7.0, "指标数");
    assert_eq!(text_at(&r, 3, 12), "项目.xlsx");
    // The total row: SUM formulas with their values.
    assert_eq!(text_at(&r, 5, 0), "合计");
    assert_eq!(num(5, 5), 500.0);
    assert_eq!(num(5, 9), 14.0);
    let xml = unzip(&bytes, "xl/worksheets/sheet2.xml");
    assert!(xml.contains("<f>SUM(F3:F4)</f>"), "{xml}");
    assert!(
        cell_xf(&bytes, &xml, "F3")
            .unwrap()
            .contains(r#"numFmtId="4""#),
        "#,##0.00"
    );

    // 项目指标: every project indicator with its project and levels; 汇总 keeps the dept rows.
    let p = read_sheet(&bytes, "项目指标");
    assert_eq!(text_at(&p, 2, 1), "项目名称");
    assert_eq!(text_at(&p, 2, 3), "一级指标");
    assert_eq!(text_at(&p, 3, 3), "产出指标");
    assert_eq!(text_at(&p, 3, 5), "配备车辆数");
    assert_eq!(p.height(), 2 + 14);
    let s = read_sheet(&bytes, "汇总");
    assert_eq!(text_at(&s, 2, 2), "职责序号");
    assert_eq!(s.height(), 2, "no dept indicators, no project rows");
    // 文件清单: one line per table, with its sheet.
    let f = read_sheet(&bytes, "文件清单");
    assert_eq!(f.height(), 2 + 3);
    assert_eq!(text_at(&f, 2, 9), "工作表");
    let sheets: Vec<String> = (3..=5).map(|r| text_at(&f, r, 9)).collect();
    assert_eq!(
        sheets.iter().filter(|s| *s == "雾炮车").count(),
        2,
        "{sheets:?}"
    );
}
