//! The official writer, read back by content: sheet XML, styles, and values via calamine.

use crate::xlsx_xml::unzip;

use calamine::{Data, Reader, Xlsx};
use jixiao::model::{Extra, ExtraKind, Group, Indicator, Place, Table};
use jixiao::template::Template;
use jixiao::write::{blank_template, write_table_sheet, Mark, MarkColor, Styles};
use std::collections::BTreeSet;
use std::io::Cursor;

/// The official workbook of one table.
fn official_workbook(table: &Table, t: &Template) -> Result<Vec<u8>, jixiao::write::WriteError> {
    jixiao::write::official_workbook(&[(table, t)])
}

/// The index of a dept-overall indicator field by key.
fn field(key: &str) -> usize {
    Template::default_template()
        .shape()
        .indicator_field(key)
        .unwrap_or_else(|| panic!("no field {key}"))
}

/// The index of a dept-overall duty field by key.
fn duty_field(key: &str) -> usize {
    Template::default_template()
        .shape()
        .group_field(key)
        .unwrap_or_else(|| panic!("no duty field {key}"))
}

/// The indicator fields in the order of `ind`'s arguments.
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

fn ind(name: &str, expl: &str, vals: [&str; 7], act: &str) -> Indicator {
    let shape = Template::default_template().shape();
    let mut i = Indicator::empty(shape.indicator.len(), 0);
    let texts = [name, expl].into_iter().chain(vals).chain([act]);
    for (k, text) in KEYS.iter().zip(texts) {
        i.values[field(k)] = text.into();
    }
    i
}

fn duty(seq: u32, name: &str, objective: &str, indicators: Vec<Indicator>) -> Group {
    let shape = Template::default_template().shape();
    let mut g = Group {
        values: vec![String::new(); shape.group.len()],
        rows: [0, 0],
        indicators,
    };
    g.values[duty_field("seq")] = seq.to_string();
    g.values[duty_field("duty_name")] = name.into();
    g.values[duty_field("objective")] = objective.into();
    g
}

/// An indicator's field by key.
fn set_field(t: &mut Table, duty: usize, ind: usize, key: &str, text: &str) {
    t.groups[duty].indicators[ind].values[field(key)] = text.into();
}

const PCT: [&str; 7] = ["85%", "/", "85%", "工作计划", "80%", "80%", "内部统计"];
const ONE: [&str; 7] = ["1个", "/", "1个", "工作计划", "1个", "1个", "内部统计"];

/// A table like the seed: 5 duties, 16 indicators, duties 1 and 2 sharing 部门职责.
pub fn seed_like() -> Table {
    let mut t = Table::new(Template::default_template().shape());
    t.title = "2023年临沂市教育局部门预算整体绩效目标表".into();
    t.year = Some(2023);
    t.department = Some("临沂市教育局".into());
    t.groups = vec![
        duty(1, "教育改革发展政策", "起草全市教育方面的政策措施，拟定全市教育改革与发展规划，指导全市教育科学研究、教学研究和教学改革改制工作。", vec![
            ind("教育改革发展政策措施拟定数量", "反映教育改革发展政策措施拟定情况。", ONE, "开展教育部基础教育课程改革工作。"),
            ind("教学质量提升工作完成率", "反映教育教学研究、教学指导与服务、学业质量监测、课题研究、课改实验项目等工作开展情况。", PCT, "开展教学研讨活动、项目研究、教学评估、课题研究、学业质量监测评估。"),
        ]),
        duty(2, "教育改革发展政策", "指导高校的高新技术应用研究与推广科研成果工作，组织实施国家和省、市教育科研项目。", vec![
            ind("省级科技创新平台数量", "反映省级科技创新平台建设情况。", ONE, "开展省级科技创新平台建设工作。"),
        ]),
        duty(3, "统筹规划教师队伍建设", "主管全市教师工作，指导学校教职工队伍建设、学校内部管理体制改革，承担全市各类学校的设立、调整等事宜的评估与审批工作，协调好各县区的有关教育工作。", vec![
            ind("师资队伍培训人次", "反映师资队伍培训开展情况。", ["11万人次", "/", "11万人次", "工作计划", "8万人次", "10万人次", "内部统计"], "1.开展\"互联网+教师专业发展\"工程，组织开展网络研修。\n2.组织开展乡村教师骨干教师培训。\n3.组织开展新入职教师培训。\n4.组织开展教师信息技术能力提升2.0项目。\n5.组织开展思政教师培训。\n6.扎实开展\"三名工程\"人选培养。"),
            ind("教育综合督导完成率", "涉及贯彻执行党的教育方针和落实教育法规政策，各级各类教育发展，教育保障，教师队伍建设及待遇落实，规范办学、促进教育公平。", ["100%", "/", "100%", "工作计划", "100%", "100%", "内部统计"], "开展对县区政府履行教育职责评价工作。"),
            ind("组建教师教育专家库数量", "反映组建教师教育队伍建设情况。", ["210人", "250人", "210人", "工作计划", "200人", "200人", "内部统计"], "组建教师教育专家库。"),
            ind("新建改扩建中小学校数量", "反映新建改扩建中小学校工作推进情况。", ["33处", "/", "33处", "工作计划", "100处", "107处", "内部统计"], "开展中小学校新建改扩建工作。"),
        ]),
        duty(4, "教育管理与服务", "管理全市学历教育，组织实施大中专学校、高教自学等报名、考试工作，负责对外及港澳台地区的教育交流与合作工作。管理全市教育系统出国留学、接受外国学生和外籍老师管理工作，指导学校安全保卫工作，提高学校安全风险防控和应急管理水平。", vec![
            ind("组织招生考试参与人次", "反映组织招生考试工作开展情况。", ["280万人次", "/", "280万人次", "工作计划", "", "报考72万人，255万科次", "内部统计"], "开展教育招生考试工作工作。"),
            ind("教育现代化实现情况", "反映教育现代化实现情况。", ["基本实现", "基本实现", "基本实现", "工作计划", "90.00%", "95.00%", "内部统计"], "提升教育管理、教学条件、教学内容、教学方法、教育技术等。"),
            ind("学前教育普及率", "在园幼儿数量总数与适龄儿童之比。", ["90%", "75%以上", "90%", "工作计划", "90.00%", "90.00%", "省学前教育信息系统"], "开展学前教育普及工作。"),
            ind("省特色高中数量", "反映省特色高中数量达标情况。", ["1所", "5所", "1所", "工作计划", "1所", "1所", "内部统计"], "申报1所省特色高中"),
            ind("中等职业学校技能大赛省级以上获奖数量", "反映中等职业学校办学质量情况。", ["省赛获奖35、国赛获奖7", "省赛获奖35、国赛获奖7", "省赛获奖35、国赛获奖7", "工作计划", "省赛获奖35、国赛获奖6", "省赛获奖35、国赛获奖6", "内部统计"], "组织参加省级、国家级职业院校技能大赛"),
            ind("人才培育人次", "反映人才培养人次达标情况。", ["200人次", "200人次/年", "200人次", "工作计划", "200人次", "200人次", "内部统计"], "开展人才培育工作"),
            ind("学生体质健康标准合格率", "反映学生体质健康标准合格率达标情况。", ["90%", "90%", "90%", "体测表", "90.42%", "92.01%", "内部统计"], "加强学生体质锻炼活动"),
            ind("国际交流与合作办学2023年继续招生计划人次", "反映国际交流与合作办学规模及成效。", ["145人", "/", "145人", "县区统计汇总", "141人", "141人", "县区统计汇总"], "经省教育厅批准，临沂一中于2013年、临沂四中于2012年获得举办中外高中课程项目班的资格，严格按获批事项实施办学，落实立德树人根本任务，严格执行国家课程方案和课程标准，注重提高办学质量，不断推动高中教育改革与发展。"),
        ]),
        duty(5, "就业指导与资格认定", "负责全市师范类毕业生就业指导和就业制度改革工作，负责全市语言文字管理工作和教师资格认定工作。", vec![
            ind("毕业生就业指导人数", "反映毕业生就业指导和服务工作开展情况。", ["1550人", "/", "1550人", "工作计划", "2846人", "4300人", "内部统计"], "扎实做好师范类高校毕业生就业指导、网签、档案转递等工作，提供就业指导服务。"),
        ]),
    ];
    t
}

fn merges(sheet_xml: &str) -> BTreeSet<String> {
    sheet_xml
        .split("<mergeCell ref=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The `<tag …>` element's opening text.
fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{tag} "))?;
    let end = xml[start..].find('>')? + start;
    Some(&xml[start..=end])
}

/// Row heights by 1-based row number.
fn row_heights(xml: &str) -> std::collections::HashMap<u32, f64> {
    let mut out = std::collections::HashMap::new();
    for part in xml.split("<row ").skip(1) {
        let head = &part[..part.find('>').unwrap()];
        let attr = |name: &str| {
            head.split(&format!("{name}=\""))
                .nth(1)
                .map(|s| s.split('"').next().unwrap().to_string())
        };
        if let (Some(r), Some(h)) = (attr("r"), attr("ht")) {
            out.insert(r.parse().unwrap(), h.parse().unwrap());
        }
    }
    out
}

fn read_sheet(bytes: &[u8], sheet: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    wb.worksheet_range(sheet).unwrap()
}

fn text_at(r: &calamine::Range<Data>, row1: u32, col: u32) -> String {
    match r.get_value((row1 - 1, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => format!("{other:?}"),
    }
}

const HEADER_MERGES: [&str; 14] = [
    "A1:M1", "A3:A5", "B3:B5", "C3:C5", "D3:D5", "E3:E5", "F3:F5", "G3:I3", "H4:I4", "J3:L3",
    "G4:G5", "J4:J5", "K4:K5", "L4:L5",
];

#[test]
fn official_sheet_merges_print_setup_and_values() {
    let t = Template::default_template();
    let table = seed_like();
    let bytes = official_workbook(&table, &t).unwrap();
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");

    // Header merges from the tree, plus M3:M5; duty merges: A/C per duty, B over duties 1–2.
    // Rows: duty1 6–7, duty2 8, duty3 9–12, duty4 13–20, duty5 21.
    let mut want = set(&HEADER_MERGES);
    want.insert("M3:M5".into());
    for m in [
        "A6:A7", "C6:C7", "B6:B8", "A9:A12", "B9:B12", "C9:C12", "A13:A20", "B13:B20", "C13:C20",
    ] {
        want.insert(m.into());
    }
    assert_eq!(merges(&xml), want);

    let ps = element(&xml, "pageSetup").expect("pageSetup");
    assert!(ps.contains(r#"orientation="landscape""#), "{ps}");
    assert!(ps.contains(r#"paperSize="9""#), "{ps}");
    assert!(ps.contains(r#"fitToHeight="0""#), "{ps}");
    assert!(
        !ps.contains("fitToWidth=") || ps.contains(r#"fitToWidth="1""#),
        "{ps}"
    );
    assert!(xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#));
    assert!(xml.contains(r#"<printOptions horizontalCentered="1"/>"#));
    assert!(xml.contains("<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>"));
    let pane = element(&xml, "pane").expect("pane");
    assert!(
        pane.contains(r#"ySplit="5""#) && pane.contains(r#"topLeftCell="A6""#),
        "{pane}"
    );
    assert!(!xml.contains("<sheetProtection"));
    assert!(!xml.contains("<dataValidation"));

    let wbxml = unzip(&bytes, "xl/workbook.xml");
    assert!(wbxml.contains("_xlnm.Print_Titles"), "{wbxml}");
    assert!(
        wbxml.contains("绩效目标表!$3:$5") || wbxml.contains("'绩效目标表'!$3:$5"),
        "{wbxml}"
    );

    // Column widths from the template: A 6, C 30, M 36.
    assert!(
        xml.contains(r#"<col min="1" max="1" width="6.7109375""#),
        "{xml}"
    );
    assert!(xml.contains(r#"width="30.7109375""#));
    assert!(xml.contains(r#"width="36.7109375""#));

    // Values at the right cells.
    let r = read_sheet(&bytes, "绩效目标表");
    assert_eq!(text_at(&r, 1, 0), table.title);
    assert_eq!(text_at(&r, 3, 0), "职责序号");
    // A long header is broken before its bracket, so no bracket wraps alone.
    assert_eq!(
        text_at(&r, 3, 6),
        "标准值\n（规划目标、行业标准或其他明确标准）"
    );
    assert_eq!(text_at(&r, 4, 7), "当年标准值");
    assert_eq!(text_at(&r, 5, 7), "标准值");
    assert_eq!(text_at(&r, 5, 8), "来源");
    assert_eq!(text_at(&r, 4, 11), "来源");
    assert_eq!(text_at(&r, 3, 12), "工作活动");
    assert_eq!(text_at(&r, 6, 0), "1");
    assert_eq!(text_at(&r, 6, 1), "教育改革发展政策");
    assert_eq!(text_at(&r, 8, 1), "", "B8 is inside the merged B6:B8");
    assert_eq!(text_at(&r, 8, 0), "2");
    assert_eq!(text_at(&r, 7, 3), "教学质量提升工作完成率");
    assert_eq!(text_at(&r, 7, 5), "85%");
    assert_eq!(text_at(&r, 9, 12).lines().count(), 6);
    assert_eq!(text_at(&r, 21, 3), "毕业生就业指导人数");
    assert_eq!(text_at(&r, 13, 9), "", "an empty value stays empty");
    assert_eq!(text_at(&r, 20, 10), "141人");

    // Empty values are still bordered cells: J13 exists with a style.
    assert!(xml.contains(r#"<c r="J13" s=""#), "J13 written");

    // Row heights: a long text row is taller than a short one; the title ~30.
    let h = row_heights(&xml);
    assert!(h[&1] >= 29.0);
    assert!(h[&20] > h[&19] + 20.0, "{:?} {:?}", h[&20], h[&19]);
    assert!(h[&9] > 80.0, "six lines of 工作活动: {}", h[&9]);
    // Duty 4's 职责目标 (C13:C20) fits in its rows; duty 1's merged C6:C7 too.
    let c6: f64 = h[&6] + h[&7];
    assert!(c6 >= 3.0 * 14.0, "{c6}");

    // No extras, no second sheet.
    let z = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    assert!(z.index_for_name("xl/worksheets/sheet2.xml").is_none());
}

#[test]
fn header_and_data_styles() {
    let t = Template::default_template();
    let bytes = official_workbook(&seed_like(), &t).unwrap();
    let styles = unzip(&bytes, "xl/styles.xml");
    assert!(styles.contains("黑体") && styles.contains("宋体"));
    assert!(styles.contains(r#"<sz val="16"/>"#));
    assert!(styles.contains(r#"rgb="FFD9D9D9""#), "grey header fill");
    assert!(styles.contains(r#"<left style="thin">"#));
    assert!(styles.contains(r#"wrapText="1""#));
    assert!(
        !styles.contains(r#"locked="0""#),
        "restyle leaves cells locked"
    );
}

#[test]
fn text_that_looks_like_a_formula_stays_text() {
    let t = Template::default_template();
    let mut table = seed_like();
    set_field(&mut table, 0, 0, "annual_value", "=HYPERLINK(\"http://x\")");
    set_field(&mut table, 0, 0, "planned_value", "+1");
    set_field(&mut table, 0, 0, "standard_value", "-5%");
    set_field(&mut table, 0, 0, "explanation", "@SUM(A1)");
    let bytes = official_workbook(&table, &t).unwrap();
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(!xml.contains("<f>"), "no formulas");
    for cell in ["F6", "G6", "H6", "E6"] {
        let at = xml.find(&format!("<c r=\"{cell}\"")).unwrap();
        let c = &xml[at..at + xml[at..].find('>').unwrap()];
        assert!(c.contains(r#"t="s""#) || c.contains("inlineStr"), "{c}");
    }
    let r = read_sheet(&bytes, "绩效目标表");
    assert_eq!(text_at(&r, 6, 5), "=HYPERLINK(\"http://x\")");
    assert_eq!(text_at(&r, 6, 6), "+1");
    assert_eq!(text_at(&r, 6, 7), "-5%");
    assert_eq!(text_at(&r, 6, 4), "@SUM(A1)");
}

#[test]
fn extras_go_to_their_sheets_and_unit_line_under_title() {
    let t = Template::default_template();
    let mut table = seed_like();
    table.extras = vec![
        Extra {
            sheet: "Sheet1".into(),
            cell: "A2".into(),
            text: "填报单位：临沂市教育局".into(),
            kind: ExtraKind::UnitLine,
        },
        Extra {
            sheet: "Sheet1".into(),
            cell: "A23".into(),
            text: "注：年度指标值为本年度计划达到的目标值。".into(),
            kind: ExtraKind::Footnote,
        },
        Extra {
            sheet: "填报说明".into(),
            cell: "B4".into(),
            text: "=不是公式".into(),
            kind: ExtraKind::OtherSheet,
        },
    ];
    let bytes = official_workbook(&table, &t).unwrap();
    let r = read_sheet(&bytes, "绩效目标表");
    assert_eq!(text_at(&r, 2, 0), "填报单位：临沂市教育局");
    let e = read_sheet(&bytes, "其他内容");
    assert_eq!(text_at(&e, 1, 0), "原工作表");
    assert_eq!(text_at(&e, 1, 2), "内容");
    assert_eq!(text_at(&e, 3, 1), "A23");
    assert_eq!(
        text_at(&e, 3, 2),
        "注：年度指标值为本年度计划达到的目标值。"
    );
    // The other sheet's cell is on a sheet of its own, at its address, as text.
    assert_eq!(text_at(&e, 4, 0), "");
    assert_eq!(sheet_names(&bytes), ["绩效目标表", "填报说明", "其他内容"]);
    let notes = read_sheet(&bytes, "填报说明");
    assert_eq!(text_at(&notes, 4, 1), "=不是公式");
    for n in 2..=3 {
        let xml = unzip(&bytes, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(!xml.contains("<f>"));
    }
}

#[test]
fn marks_fill_cells_and_add_notes() {
    let t = Template::default_template();
    let table = seed_like();
    let marks = vec![
        Mark {
            place: Place::Indicator {
                group: 0,
                indicator: 1,
                field: field("annual_value"),
            },
            color: MarkColor::Error,
            note: "年度指标值低于上年值".into(),
        },
        Mark {
            place: Place::Group {
                group: 3,
                field: duty_field("objective"),
            },
            color: MarkColor::Modified,
            note: "原值：管理全市学历教育".into(),
        },
        Mark {
            place: Place::Indicator {
                group: 9,
                indicator: 0,
                field: field("name"),
            },
            color: MarkColor::Added,
            note: "不存在".into(),
        },
    ];
    let mut wb = jixiao::write::new_workbook("t");
    let styles = Styles::official();
    let layout = {
        let ws = wb.add_worksheet();
        write_table_sheet(ws, &table, &t, &marks, &styles).unwrap()
    };
    assert_eq!(layout.a1(&marks[0].place).as_deref(), Some("F7"));
    assert_eq!(layout.a1(&marks[1].place).as_deref(), Some("C13"));
    assert_eq!(layout.unplaced_marks, vec![2]);
    assert_eq!(layout.first_data_row, 5);
    assert_eq!(layout.last_row, 20);
    assert_eq!(layout.group_rows[3], (12, 19));
    let p = Place::Group {
        group: 1,
        field: duty_field("duty_name"),
    };
    assert_eq!(layout.a1(&p).as_deref(), Some("B6"), "shared 部门职责 cell");
    let bytes = wb.save_to_buffer().unwrap();
    let styles_xml = unzip(&bytes, "xl/styles.xml");
    assert!(styles_xml.contains("FFFFC7CE"), "error fill");
    assert!(styles_xml.contains("FFFFFF99"), "modified fill");
    let comments = unzip(&bytes, "xl/comments1.xml");
    assert!(comments.contains("年度指标值低于上年值"));
    assert!(comments.contains(r#"ref="F7""#));
    assert!(comments.contains(r#"ref="C13""#));
}

/// The table writer formats the cells of a column in runs of one format
/// (rust_xlsxwriter hashes a whole format per formatted write); a mark in
/// the middle of a column ends one run and starts the next, and every cell
/// keeps its own format and value.
#[test]
fn a_marked_cell_amid_its_column_keeps_its_fill_and_its_neighbours_theirs() {
    let t = Template::default_template();
    let table = seed_like();
    let mark = |indicator, color, note: &str| Mark {
        place: Place::Indicator {
            group: 3,
            indicator,
            field: field("annual_value"),
        },
        color,
        note: note.into(),
    };
    let marks = vec![
        mark(2, MarkColor::Error, "低于上年值"),
        mark(3, MarkColor::Error, "低于上年值"),
        mark(5, MarkColor::Modified, "原值：100"),
    ];
    let mut wb = jixiao::write::new_workbook("t");
    let styles = Styles::official();
    let layout = {
        let ws = wb.add_worksheet();
        write_table_sheet(ws, &table, &t, &marks, &styles).unwrap()
    };
    let at: Vec<String> = marks.iter().map(|m| layout.a1(&m.place).unwrap()).collect();
    assert_eq!(at, ["F15", "F16", "F18"]);
    let bytes = wb.save_to_buffer().unwrap();
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    let xf = |cell: &str| crate::xlsx_xml::cell_xf(&bytes, &xml, cell).unwrap();
    let fill = |cell: &str| {
        let id: usize = crate::xlsx_xml::attr(&xf(cell), "fillId")
            .unwrap()
            .parse()
            .unwrap();
        let styles = unzip(&bytes, "xl/styles.xml");
        styles.split("<fill>").nth(id + 1).unwrap().to_string()
    };
    // Unmarked cells above, between and below the marks share one format.
    for cell in ["F6", "F14", "F17", "F19", "F20"] {
        assert_eq!(xf(cell), xf("F6"), "{cell}");
        assert!(
            !fill(cell).contains("FFFFC7CE") && !fill(cell).contains("FFFFFF99"),
            "{cell}"
        );
    }
    assert!(fill("F15").contains("FFFFC7CE") && fill("F16").contains("FFFFC7CE"));
    assert!(fill("F18").contains("FFFFFF99"));
    assert_eq!(xf("F15"), xf("F16"));
    // The bordered data format of the column, as on its first cell.
    assert!(xf("F17").contains("borderId=\"") && !xf("F17").contains("borderId=\"0\""));
    let r = read_sheet(&bytes, "Sheet1");
    for (row1, k) in [(15, 2), (16, 3), (18, 5)] {
        assert_eq!(
            text_at(&r, row1, 5),
            table.groups[3].indicators[k].text(field("annual_value")),
            "F{row1}"
        );
    }
}

#[test]
fn blank_template_fresh_is_protected_with_help_and_unlocked_rows() {
    let t = Template::default_template();
    let mut table = Table::new(t.shape());
    table.title = t.title(2024, "临沂市教育局");
    table.year = Some(2024);
    table.department = Some("临沂市教育局".into());
    let bytes = blank_template(&table, &t, 30).unwrap();
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert_eq!(merges(&xml), {
        let mut s = set(&HEADER_MERGES);
        s.insert("M3:M5".into());
        s
    });
    let prot = element(&xml, "sheetProtection").expect("protected");
    assert!(!prot.contains("password"), "{prot}");
    // Drop-down sources on I and L over the 30 rows (6–35), not a hard stop.
    let dv: Vec<&str> = xml.split("<dataValidation ").skip(1).collect();
    let lists: Vec<&&str> = dv.iter().filter(|d| d.contains(r#"type="list""#)).collect();
    assert_eq!(lists.len(), 2, "{xml}");
    for (l, col) in lists.iter().zip(["I", "L"]) {
        assert!(l.contains(&format!(r#"sqref="{col}6:{col}35""#)), "{l}");
        assert!(l.contains(r#"errorStyle="information""#), "{l}");
        assert!(
            l.contains("工作计划,内部统计,统计年鉴,统计公报,行业标准,规划目标,县区统计汇总"),
            "{l}"
        );
    }
    // Input messages on the header leaves (13 leaves).
    let prompts = dv.iter().filter(|d| d.contains("promptTitle=")).count();
    assert!(prompts >= 13, "{prompts}");
    assert!(xml.contains("本年度计划达到的目标值"));
    assert!(xml.contains(r#"<c r="M35" s=""#), "30 bordered rows");
    let pane = element(&xml, "pane").expect("pane");
    assert!(pane.contains(r#"ySplit="5""#));
    let styles = unzip(&bytes, "xl/styles.xml");
    assert!(styles.contains(r#"<protection locked="0"/>"#));
    assert!(
        styles.contains(r#"numFmtId="49""#),
        "data cells formatted as text"
    );
    let r = read_sheet(&bytes, "绩效目标表");
    assert_eq!(
        text_at(&r, 1, 0),
        "2024年临沂市教育局部门预算整体绩效目标表"
    );
}

#[test]
fn blank_template_rolled_forward_keeps_texts_empties_values() {
    let t = Template::default_template();
    let table = seed_like().roll_forward(2024, "临沂市教育局", t.title(2024, "临沂市教育局"));
    let bytes = blank_template(&table, &t, 30).unwrap();
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(merges(&xml).contains("B6:B8"));
    assert!(merges(&xml).contains("C13:C20"));
    let r = read_sheet(&bytes, "绩效目标表");
    assert_eq!(text_at(&r, 7, 3), "教学质量提升工作完成率");
    assert_eq!(text_at(&r, 7, 5), "", "annual value emptied");
    assert_eq!(text_at(&r, 7, 8), "工作计划", "source kept");
    // 16 indicator rows (6–21) plus 5 spare rows (22–26).
    assert!(xml.contains(r#"<c r="M26" s=""#));
    assert!(!xml.contains(r#"<c r="M27""#));
    assert!(xml.contains(r#"sqref="I6:I26""#));
    assert!(element(&xml, "sheetProtection").is_some());
}

/// `WRITER_LOOK=/tmp/writer-look cargo test --test integration write_official::look -- --ignored`: files to open and print.
#[test]
#[ignore = "writes workbooks to look at, asserts nothing: set WRITER_LOOK and run with --ignored"]
fn look_files() {
    let Ok(dir) = std::env::var("WRITER_LOOK") else {
        return;
    };
    let t = Template::default_template();
    let table = seed_like();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        format!("{dir}/restyled.xlsx"),
        official_workbook(&table, &t).unwrap(),
    )
    .unwrap();
    let rolled = table.roll_forward(2024, "临沂市教育局", t.title(2024, "临沂市教育局"));
    std::fs::write(
        format!("{dir}/rolled.xlsx"),
        blank_template(&rolled, &t, 30).unwrap(),
    )
    .unwrap();
    let mut wb = jixiao::write::new_workbook("marked");
    let marks: Vec<Mark> = MarkColor::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| Mark {
            place: Place::Indicator {
                group: 2,
                indicator: i % 4,
                field: i,
            },
            color: *c,
            note: format!("{c:?} 说明"),
        })
        .collect();
    jixiao::write::write_table_sheet(wb.add_worksheet(), &table, &t, &marks, &Styles::official())
        .unwrap();
    std::fs::write(
        format!("{dir}/marked.xlsx"),
        jixiao::write::save(&mut wb).unwrap(),
    )
    .unwrap();
    let mut fresh = Table::new(t.shape());
    fresh.title = t.title(2024, "临沂市教育局");
    std::fs::write(
        format!("{dir}/blank.xlsx"),
        blank_template(&fresh, &t, 30).unwrap(),
    )
    .unwrap();
}

fn jixiao() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("jixiao").unwrap()
}

#[test]
fn template_command_writes_a_blank_template() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("blank.xlsx");
    jixiao()
        .args([
            "template",
            "--year",
            "2024",
            "--department",
            "临沂市教育局",
            "--rows",
            "12",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(0);
    let bytes = std::fs::read(&out).unwrap();
    let r = read_sheet(&bytes, "绩效目标表");
    assert_eq!(
        text_at(&r, 1, 0),
        "2024年临沂市教育局部门预算整体绩效目标表"
    );
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains(r#"<c r="M17" s=""#) && !xml.contains(r#"<c r="M18""#));
    assert!(xml.contains("<sheetProtection"));
    // Only the output is left in the folder (atomic write).
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn restyle_refuses_output_equal_to_input_and_unreadable_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.xlsx");
    std::fs::write(&input, b"not a workbook").unwrap();
    jixiao()
        .arg("restyle")
        .arg(&input)
        .arg("-o")
        .arg(&input)
        .assert()
        .code(2);
    assert_eq!(std::fs::read(&input).unwrap(), b"not a workbook");
    let out = dir.path().join("b.xlsx");
    jixiao()
        .arg("restyle")
        .arg(dir.path().join("missing.xlsx"))
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    assert!(!out.exists());
}

#[test]
fn header_follows_the_template_tree() {
    // Flatten 当年标准值 into its group: a two-level header on rows 3–4, data from row 5.
    let mut t = Template::default_template();
    let std_group = &mut t.columns[6];
    let inner = std_group.children.remove(1);
    std_group.children.extend(inner.children);
    assert_eq!(t.depth(), 2);
    let mut table = seed_like();
    table.groups.truncate(2);
    table.groups[1].indicators.clear(); // a duty with no indicator still gets its row
    let bytes = official_workbook(&table, &t).unwrap();
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    let want = set(&[
        "A1:M1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:F4", "G3:I3", "J3:L3", "M3:M4",
        "A5:A6", "C5:C6", "B5:B7",
    ]);
    assert_eq!(merges(&xml), want);
    assert!(element(&xml, "pane").unwrap().contains(r#"ySplit="4""#));
    let r = read_sheet(&bytes, "绩效目标表");
    assert_eq!(text_at(&r, 4, 7), "标准值");
    assert_eq!(text_at(&r, 4, 8), "来源");
    assert_eq!(text_at(&r, 7, 0), "2");
    assert_eq!(text_at(&r, 7, 3), "");
    let wbxml = unzip(&bytes, "xl/workbook.xml");
    assert!(wbxml.contains("$3:$4"), "{wbxml}");
}

/// Restyled output reads back to the same content.
#[test]
fn restyled_table_reads_back_the_same() {
    use jixiao::read::{read_bytes, ReadOptions};
    let t = Template::default_template();
    let table = seed_like();
    let bytes = official_workbook(&table, &t).unwrap();
    let opts = ReadOptions {
        sheet: None,
        templates: std::slice::from_ref(&t),
    };
    let back = read_bytes(&bytes, "restyled.xlsx", &opts).unwrap();
    assert_eq!(back.title, table.title);
    assert_eq!(back.groups.len(), table.groups.len());
    for (a, b) in back.groups.iter().zip(&table.groups) {
        assert_eq!(a.values, b.values, "duty fields");
        assert_eq!(a.indicators.len(), b.indicators.len());
        for (x, y) in a.indicators.iter().zip(&b.indicators) {
            assert_eq!(x.values, y.values);
        }
    }
    assert!(back.extras.is_empty(), "{:?}", back.extras);
}

#[test]
fn merged_objective_gets_the_height_it_needs() {
    let t = Template::default_template();
    let mut table = seed_like();
    let long = "承担全市各类学校的设立、调整等事宜的评估与审批工作，".repeat(12);
    table.groups[0].values[duty_field("objective")] = long.clone();
    let bytes = official_workbook(&table, &t).unwrap();
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    let h = row_heights(&xml);
    let need = jixiao::write::text_height(&long, 30.0, 10.0);
    assert!(need > 200.0, "{need}");
    let got = h[&6] + h[&7];
    assert!(got >= need - 0.5, "C6:C7 gets {got}, needs {need}");
    // The shortfall is spread over both rows, not dumped on one.
    assert!((h[&6] - h[&7]).abs() < 40.0, "{} {}", h[&6], h[&7]);
}

/// An example read as `restyle` reads it (one template, the other sheets'
/// cells in its extras).
fn read_example(rel: &str) -> Table {
    let tpl = Template::default_template();
    let opts = jixiao::read::ReadOptions {
        sheet: None,
        templates: std::slice::from_ref(&tpl),
    };
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    jixiao::read::read_file(&path, &opts).unwrap()
}

/// The sheet names of a workbook, in order.
fn sheet_names(bytes: &[u8]) -> Vec<String> {
    let wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    wb.sheet_names().to_vec()
}

/// The footnote and the signature line stay below the printed table: the
/// same distance below its last data row as in the input, in column A,
/// merged across the table and wrapped, inside the print area; nothing is
/// listed on 其他内容 then.
#[test]
fn footnote_and_signature_rows_stay_below_the_table() {
    let tpl = Template::default_template();
    let table = read_example("examples/linyi-education-2023.xlsx");
    // The input: data rows 6–21, the footnote on row 23, the signature on 24.
    assert_eq!(table.source.data_rows, Some([6, 21]));
    let bytes = official_workbook(&table, &tpl).unwrap();
    assert_eq!(sheet_names(&bytes), ["绩效目标表"], "no 其他内容 sheet");
    let r = read_sheet(&bytes, "绩效目标表");
    let last = 5 + table
        .groups
        .iter()
        .map(|g| g.indicators.len().max(1) as u32)
        .sum::<u32>();
    assert!(!text_at(&r, last, 1).is_empty(), "last data row {last}");
    assert_eq!(
        text_at(&r, last + 2, 0),
        "注：年度指标值为本年度计划达到的目标值。"
    );
    assert_eq!(
        text_at(&r, last + 3, 0),
        "单位负责人：王立新  填报人：张丽  联系电话：0539-8123456"
    );
    let sheet = unzip(&bytes, "xl/worksheets/sheet1.xml");
    let merges = crate::xlsx_xml::merges(&sheet);
    assert!(
        merges.contains(&format!("A{0}:M{0}", last + 2)),
        "{merges:?}"
    );
    assert!(
        merges.contains(&format!("A{0}:M{0}", last + 3)),
        "{merges:?}"
    );
    let xf = crate::xlsx_xml::cell_xf(&bytes, &sheet, &format!("A{}", last + 2)).unwrap();
    assert!(xf.contains(r#"wrapText="1""#), "{xf}");
    let book = unzip(&bytes, "xl/workbook.xml");
    assert!(
        book.contains(&format!("$A$1:$M${}", last + 3)),
        "print area: {book}"
    );
}

/// Another sheet of the input (a 填报说明 sheet) is written as a sheet of
/// its own, its name and addresses kept, not as rows of 其他内容; a stray
/// beside the table stays beside it.
#[test]
fn other_sheets_are_sheets_again() {
    let tpl = Template::default_template();
    let table = read_example("tests/fixtures/openpyxl-drift.xlsx");
    let bytes = official_workbook(&table, &tpl).unwrap();
    assert_eq!(sheet_names(&bytes), ["绩效目标表", "填报说明", "其他内容"]);
    let notes = read_sheet(&bytes, "填报说明");
    assert_eq!(text_at(&notes, 1, 0), "填报说明");
    assert_eq!(
        text_at(&notes, 2, 0),
        "1. 本表由各部门（单位）填报，一个职责可设置多个绩效指标。"
    );
    let listed = read_sheet(&bytes, "其他内容");
    let kinds: Vec<String> = (2..=listed.height() as u32)
        .map(|r| text_at(&listed, r, 3))
        .collect();
    // The unit line is listed (its source sheet kept); the stray beside the
    // table (input O8, the second indicator's row) stays beside it.
    assert_eq!(kinds, ["填报单位行"]);
    let r = read_sheet(&bytes, "绩效目标表");
    assert_eq!(text_at(&r, 7, 14), "备注：完成率按年度考核口径计算");
}

/// `template --from`: the prior table's footnote and signature rows below
/// the rolled-forward table, their cells unlocked on the protected sheet.
#[test]
fn rolled_template_keeps_the_signature_rows_unlocked() {
    let tpl = Template::default_template();
    let prior = read_example("examples/linyi-education-2023.xlsx");
    let rolled = prior.roll_forward(2024, "临沂市教育局", tpl.title(2024, "临沂市教育局"));
    let bytes = jixiao::write::blank_template_from(&rolled, &tpl, 5, Some(&prior)).unwrap();
    let r = read_sheet(&bytes, "绩效目标表");
    let rows = prior
        .groups
        .iter()
        .map(|g| g.indicators.len().max(1) as u32)
        .sum::<u32>();
    // Data, then the spare rows, then the footnotes as far below as before.
    let last = 5 + rows + jixiao::write::ROLLED_SPARE_ROWS;
    let sign = last + 3;
    assert_eq!(
        text_at(&r, sign, 0),
        "单位负责人：王立新  填报人：张丽  联系电话：0539-8123456"
    );
    let sheet = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<sheetProtection"));
    assert!(!crate::xlsx_xml::locked(
        &bytes,
        &sheet,
        &format!("A{sign}")
    ));
    assert!(!crate::xlsx_xml::locked(
        &bytes,
        &sheet,
        &format!("A{}", last + 2)
    ));
    // The plain blank template has none.
    let plain = blank_template(&rolled, &tpl, 5).unwrap();
    assert!(text_at(&read_sheet(&plain, "绩效目标表"), sign, 0).is_empty());
}

/// A table read without a title (and so without a year, or a department)
/// was restyled with an empty row 1: the official title is built from what
/// is known, down to the table's name.
#[test]
fn a_table_without_title_gets_one_from_what_is_known() {
    let t = Template::default_template();
    let row1 = |year: Option<i32>, department: Option<&str>| {
        let mut table = seed_like();
        table.title = String::new();
        table.year = year;
        table.department = department.map(str::to_string);
        let bytes = official_workbook(&table, &t).unwrap();
        text_at(&read_sheet(&bytes, "绩效目标表"), 1, 0)
    };
    assert_eq!(
        row1(Some(2023), Some("临沂市教育局")),
        "2023年临沂市教育局部门预算整体绩效目标表"
    );
    assert_eq!(
        row1(None, Some("临沂市教育局")),
        "临沂市教育局部门预算整体绩效目标表"
    );
    assert_eq!(row1(Some(2023), None), "2023年部门预算整体绩效目标表");
    assert_eq!(row1(None, None), "部门预算整体绩效目标表");

    // The built title reads back as what it says: a year, no department.
    let mut table = seed_like();
    table.title = String::new();
    table.department = None;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    std::fs::write(&path, official_workbook(&table, &t).unwrap()).unwrap();
    let opts = jixiao::read::ReadOptions {
        sheet: None,
        templates: std::slice::from_ref(&t),
    };
    let back = jixiao::read::read_file(&path, &opts).unwrap();
    assert_eq!((back.year, back.department), (Some(2023), None));
}

/// The restyled example's first page break leaves page 1 at least 80% full
/// by the writer's own estimate: its row heights and column widths as
/// written, A4 landscape, fit to the page width.
#[test]
fn the_first_page_break_of_the_example_comes_on_a_full_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.xlsx");
    assert_cmd::Command::cargo_bin("jixiao")
        .unwrap()
        .args(["restyle", "examples/linyi-education-2023.xlsx", "-o"])
        .arg(&out)
        .assert()
        .code(0);
    let bytes = std::fs::read(&out).unwrap();
    let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains(r#"orientation="landscape""#));
    // Column widths: the XML's width is the writer's + 0.7109375 (Excel padding).
    let cols = &xml[xml.find("<cols>").unwrap()..xml.find("</cols>").unwrap()];
    let mut width_pt = 0.0;
    for col in cols.split("<col ").skip(1) {
        let n = |a: &str| -> f64 {
            crate::xlsx_xml::attr(&format!(" {col}"), a)
                .unwrap()
                .parse()
                .unwrap()
        };
        let w = n("width") - 0.7109375;
        width_pt += (n("max") - n("min") + 1.0) * ((w * 7.0 + 5.0).floor() * 0.75);
    }
    let scale = ((11.69 - 0.8) * 72.0 / width_pt).min(1.0);
    let cap = (8.27 - 1.1) * 72.0 / scale * 0.92;
    let heights = row_heights(&xml);
    let first_break: u32 = xml
        .split("<brk ")
        .nth(1)
        .and_then(|b| crate::xlsx_xml::attr(&format!(" {b}"), "id"))
        .map(|id| id.parse().unwrap())
        .unwrap_or(u32::MAX);
    let last_row = heights.keys().max().copied().unwrap_or(0);
    let page1: f64 = (1..=first_break.min(last_row))
        .map(|r| heights.get(&r).copied().unwrap_or(15.0))
        .sum();
    assert!(
        first_break == u32::MAX || page1 >= cap * 0.8,
        "break after row {first_break}: page 1 holds {page1:.0} of {cap:.0} points"
    );
}
