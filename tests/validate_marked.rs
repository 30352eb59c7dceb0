//! The marked workbook of `validate -o`, read back by content: the 校验结果
//! sheet lists exactly the findings with links to the marked cells, the marked
//! cells carry the fill and a note with the message and the input cell; and the
//! CLI writes it next to the JSON, or nothing at all.

use calamine::{Data, Reader, Xlsx};
use indexmap::IndexMap;
use jixiao::model::{
    Cmp, Duty, Extra, ExtraKind, Field, Indicator, Parsed, Quantity, Seq, Source, Table,
};
use jixiao::quantity::parse_value;
use jixiao::template::Template;
use jixiao::validate::{validate, Finding, Report, Severity};
use jixiao::write::{
    finding_note, marked_workbook, new_workbook, write_table_sheet, MarkColor, Styles, TableLayout,
    FINDINGS_SHEET, TABLE_SHEET,
};
use std::collections::HashMap;
use std::io::{Cursor, Read};

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

/// The seed's 2023 table of 临沂市教育局 (copied from tests/validate_rules.rs):
/// 5 duties, 16 indicators from input row `first` on, columns A–M (the seed
/// starts at row 6; a later start makes the input cells differ from the
/// re-styled table's).
fn seed_at(first: u32) -> Table {
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
        header_rows: [first - 3, first - 1],
        data_rows: Some([first, first + 15]),
        columns,
        header_labels,
    };
    let mut row = first;
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

/// Sets a field's text and re-reads it.
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

/// The seed starting at input row 7 (one row lower than the re-styled table)
/// with planted problems: an empty 年度指标值, a 120% 完成率, a duplicate
/// name, a formula-looking value and a stray remark (plus the seed's own two
/// targets below history).
fn planted() -> Table {
    let mut t = seed_at(7);
    set(&mut t, "教育综合督导完成率", Field::AnnualValue, "");
    set(&mut t, "教学质量提升工作完成率", Field::AnnualValue, "120%");
    ind(&mut t, "组建教师教育专家库数量").name = "师资队伍培训人次".into();
    set(&mut t, "人才培育人次", Field::HistoryLast, "=1+1");
    t.extras.push(Extra {
        sheet: "Sheet1".into(),
        cell: "O9".into(),
        text: "=HYPERLINK(\"http://example.com\",\"备注\")".into(),
        kind: ExtraKind::Stray,
    });
    t.extras.push(Extra {
        sheet: "Sheet1".into(),
        cell: "A24".into(),
        text: "注：年度指标值为本年度计划达到的目标值。".into(),
        kind: ExtraKind::Footnote,
    });
    t
}

// ---------------------------------------------------------------- reading back

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut f = z
        .by_name(name)
        .unwrap_or_else(|_| panic!("no {name} in the workbook"));
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in an element's opening text.
fn attr(head: &str, name: &str) -> Option<String> {
    head.split(&format!(" {name}=\""))
        .nth(1)
        .map(|s| unescape(s.split('"').next().unwrap()))
}

/// The notes of a comments part: cell → text.
fn comments(xml: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for part in xml.split("<comment ").skip(1) {
        let head = &part[..part.find('>').unwrap()];
        let cell = attr(&format!(" {head}"), "ref").unwrap();
        let body = &part[..part.find("</comment>").unwrap()];
        let mut text = String::new();
        // Runs `<t>…</t>` or `<t xml:space="preserve">…</t>` (not `<text>`).
        for t in body.split("<t").skip(1) {
            if !(t.starts_with('>') || t.starts_with(' ')) {
                continue;
            }
            let t = &t[t.find('>').unwrap() + 1..];
            text.push_str(&unescape(&t[..t.find("</t>").unwrap()]));
        }
        out.insert(cell, text);
    }
    out
}

/// The internal hyperlinks of a sheet: cell → location.
fn hyperlinks(xml: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for part in xml.split("<hyperlink ").skip(1) {
        let head = format!(" {}", &part[..part.find('>').unwrap()]);
        if let (Some(r), Some(loc)) = (attr(&head, "ref"), attr(&head, "location")) {
            out.insert(r, loc);
        }
    }
    out
}

/// The fill colour (`FFC7CE`) of a cell of a sheet, through its style index.
fn fill_of(bytes: &[u8], sheet_xml: &str, cell: &str) -> Option<String> {
    let at = sheet_xml.find(&format!("<c r=\"{cell}\""))?;
    let head = &sheet_xml[at..at + sheet_xml[at..].find('>')?];
    let s: usize = attr(head, "s")?.parse().ok()?;
    let styles = unzip(bytes, "xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs")?..];
    let xf = xfs.split("<xf ").nth(s + 1)?;
    let fill: usize = attr(&format!(" {xf}"), "fillId")?.parse().ok()?;
    let fills = &styles[styles.find("<fills")?..styles.find("</fills>")?];
    let f = fills.split("<fill>").nth(fill + 1)?;
    let fg = f.split("<fgColor ").nth(1)?;
    attr(&format!(" {fg}"), "rgb").map(|c| c.strip_prefix("FF").unwrap_or(&c).to_string())
}

fn read_sheet(bytes: &[u8], sheet: &str) -> calamine::Range<Data> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    wb.worksheet_range(sheet).unwrap()
}

/// Rows of a sheet as text, 0-based like calamine (from A1 whatever the range's start).
fn rows(r: &calamine::Range<Data>) -> Vec<Vec<String>> {
    let (h, w) = r.end().map(|(r, c)| (r + 1, c + 1)).unwrap_or((0, 0));
    (0..h)
        .map(|row| {
            (0..w)
                .map(|col| match r.get_value((row, col)) {
                    Some(Data::String(s)) => s.clone(),
                    Some(Data::Float(f)) => f.to_string(),
                    Some(Data::Int(i)) => i.to_string(),
                    Some(Data::Empty) | None => String::new(),
                    Some(other) => format!("{other:?}"),
                })
                .collect()
        })
        .collect()
}

/// Where each place of the table lands (the writer's own layout, on a scratch workbook).
fn layout_of(table: &Table) -> TableLayout {
    let mut wb = new_workbook("t");
    write_table_sheet(
        wb.add_worksheet(),
        table,
        &template(),
        &[],
        &Styles::official(),
    )
    .unwrap()
}

/// The findings in the order of the 校验结果 sheet: errors, then warnings, then infos.
fn listed(r: &Report) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = r.issues.iter().collect();
    v.sort_by_key(|f| f.severity);
    v
}

/// The 校验结果 header row (0-based): the row whose first cell is 级别.
fn header_row(rows: &[Vec<String>]) -> usize {
    rows.iter()
        .position(|r| r.first().map(String::as_str) == Some("级别"))
        .expect("a 级别 header")
}

const HEADER: [&str; 8] = [
    "级别",
    "规则",
    "原单元格",
    "本表单元格",
    "职责序号",
    "绩效指标",
    "字段",
    "说明",
];

// ---------------------------------------------------------------- the workbook

#[test]
fn planted_problems_are_found_where_planted() {
    let t = planted();
    let r = validate(&t, &template(), None);
    let key = |f: &Finding| (f.code.clone(), f.cell.clone());
    let got: Vec<(String, String)> = r.issues.iter().map(key).collect();
    for want in [
        ("percent_out_of_range", "F8"),
        ("missing_value", "F11"),
        ("duplicate_indicator", "D12"),
        ("target_below_history", "F13"),
        ("target_below_history", "F22"),
        ("unparsed_value", "K19"),
        ("unmapped_content", "O9"),
    ] {
        assert!(
            got.contains(&(want.0.to_string(), want.1.to_string())),
            "{want:?} not in {got:?}"
        );
    }
    assert!(r.errors >= 3, "{:#?}", r.issues);
}

#[test]
fn findings_sheet_lists_exactly_the_findings_with_links() {
    let t = planted();
    let r = validate(&t, &template(), None);
    let bytes = marked_workbook(&t, &r, &template()).unwrap();
    let layout = layout_of(&t);

    let wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(
        wb.sheet_names(),
        vec![TABLE_SHEET, FINDINGS_SHEET, "其他内容"]
    );
    let grid = rows(&read_sheet(&bytes, FINDINGS_SHEET));
    assert!(
        grid[0][0].contains(&format!("错误 {} 项，警告 {} 项", r.errors, r.warnings)),
        "{:?}",
        grid[0]
    );
    let h = header_row(&grid);
    assert_eq!(grid[h][..8], HEADER.map(String::from));
    let body = &grid[h + 1..];
    let want = listed(&r);
    assert_eq!(body.len(), want.len(), "{body:#?}");

    let sheet2 = unzip(&bytes, "xl/worksheets/sheet2.xml");
    let links = hyperlinks(&sheet2);
    // Errors strictly before warnings.
    let levels: Vec<&str> = body.iter().map(|r| r[0].as_str()).collect();
    let first_warning = levels.iter().position(|l| *l == "警告").unwrap();
    assert!(levels[..first_warning].iter().all(|l| *l == "错误"));
    assert!(levels[first_warning..].iter().all(|l| *l == "警告"));
    assert_eq!(first_warning, r.errors);

    for (i, (row, f)) in body.iter().zip(&want).enumerate() {
        let excel_row = h + 2 + i; // 1-based
        assert_eq!(row[0], f.severity.label());
        assert_eq!(row[1], f.code);
        assert_eq!(row[2], f.cell);
        assert_eq!(
            row[4],
            f.duty.as_ref().map(|s| s.to_string()).unwrap_or_default()
        );
        assert_eq!(row[5], f.indicator.clone().unwrap_or_default());
        let label = f
            .field
            .as_deref()
            .map(|k| Field::from_key(k).unwrap().label())
            .unwrap_or("");
        assert_eq!(row[6], label);
        assert_eq!(row[7], f.message);
        let link = links.get(&format!("D{excel_row}"));
        match (&f.place, f.code.as_str()) {
            (Some(p), _) => {
                let out = layout.a1(p).unwrap();
                assert_eq!(row[3], out, "{f:?}");
                assert_eq!(
                    link.map(String::as_str),
                    Some(format!("'绩效目标表'!{out}").as_str()),
                    "{f:?}"
                );
                // The level cell is filled with the severity's colour.
                let colour = match f.severity {
                    Severity::Error => MarkColor::Error,
                    _ => MarkColor::Warning,
                };
                assert_eq!(
                    fill_of(&bytes, &sheet2, &format!("A{excel_row}")),
                    Some(format!("{:06X}", colour.rgb()))
                );
            }
            (None, "unmapped_content") => {
                // The stray cell is the first extra: row 2 of 其他内容.
                assert_eq!(row[3], "其他内容!C2");
                assert_eq!(link.map(String::as_str), Some("'其他内容'!C2"));
            }
            (None, _) => {
                assert_eq!(row[3], "");
                assert!(link.is_none());
            }
        }
    }
    assert_eq!(links.len(), want.len(), "{links:?}");
}

#[test]
fn marked_cells_carry_fill_and_note_with_the_input_cell() {
    let t = planted();
    let r = validate(&t, &template(), None);
    let bytes = marked_workbook(&t, &r, &template()).unwrap();
    let layout = layout_of(&t);
    let sheet1 = unzip(&bytes, "xl/worksheets/sheet1.xml");
    let notes = comments(&unzip(&bytes, "xl/comments1.xml"));

    let mut by_cell: HashMap<String, Vec<&Finding>> = HashMap::new();
    for f in r.issues.iter().filter(|f| f.place.is_some()) {
        let out = layout.a1(f.place.as_ref().unwrap()).unwrap();
        by_cell.entry(out).or_default().push(f);
    }
    assert_eq!(notes.len(), by_cell.len(), "{notes:#?}");
    for (cell, fs) in &by_cell {
        let note = notes
            .get(cell)
            .unwrap_or_else(|| panic!("no note on {cell}"));
        for f in fs {
            assert!(
                note.contains(&finding_note(f)),
                "{cell}: {note:?} lacks {f:?}"
            );
            assert!(note.contains(&format!("原单元格 {}", f.cell)), "{note}");
            assert!(note.contains(&f.code), "{note}");
        }
        let worst = fs.iter().map(|f| f.severity).min().unwrap();
        let colour = if worst == Severity::Error {
            MarkColor::Error
        } else {
            MarkColor::Warning
        };
        assert_eq!(
            fill_of(&bytes, &sheet1, cell),
            Some(format!("{:06X}", colour.rgb())),
            "{cell}"
        );
    }
    // The planted ones, in the re-styled table one row higher than in the input.
    let empty = &notes["F10"];
    assert!(empty.starts_with("[错误] "), "{empty}");
    assert!(empty.contains("原单元格 F11"), "{empty}");
    assert!(notes["F7"].contains("percent_out_of_range"));
    assert!(notes["F7"].contains("原单元格 F8"));
    assert!(notes["D11"].contains("duplicate_indicator"));
    assert!(notes["F12"].starts_with("[警告] "));
    assert!(notes["F12"].contains("原单元格 F13"));
    // Unmarked cells stay unfilled.
    assert_eq!(fill_of(&bytes, &sheet1, "F6"), None);
}

#[test]
fn text_that_looks_like_a_formula_stays_text() {
    let t = planted();
    let r = validate(&t, &template(), None);
    let bytes = marked_workbook(&t, &r, &template()).unwrap();
    for sheet in [
        "xl/worksheets/sheet1.xml",
        "xl/worksheets/sheet2.xml",
        "xl/worksheets/sheet3.xml",
    ] {
        assert!(
            !unzip(&bytes, sheet).contains("<f>"),
            "a formula in {sheet}"
        );
    }
    let table = rows(&read_sheet(&bytes, TABLE_SHEET));
    assert_eq!(table[17][10], "=1+1");
    let grid = rows(&read_sheet(&bytes, FINDINGS_SHEET));
    assert!(grid
        .iter()
        .any(|r| r[7].contains("=HYPERLINK(\"http://example.com\"")));
    let extras = rows(&read_sheet(&bytes, "其他内容"));
    assert_eq!(extras[1][2], "=HYPERLINK(\"http://example.com\",\"备注\")");
}

#[test]
fn a_clean_table_says_no_problems() {
    let mut t = seed_at(6);
    // The seed's two targets below history, made consistent.
    set(&mut t, "新建改扩建中小学校数量", Field::HistoryLast, "30处");
    set(&mut t, "毕业生就业指导人数", Field::HistoryLast, "1500人");
    let r = validate(&t, &template(), None);
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
    let bytes = marked_workbook(&t, &r, &template()).unwrap();
    let wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(wb.sheet_names(), vec![TABLE_SHEET, FINDINGS_SHEET]);
    let grid = rows(&read_sheet(&bytes, FINDINGS_SHEET));
    assert!(grid[0][0].contains("未发现问题"), "{:?}", grid[0]);
    let h = header_row(&grid);
    assert_eq!(grid.len(), h + 2, "{grid:#?}");
    assert!(grid[h + 1].iter().any(|c| c == "未发现问题"));
    let mut z = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
    assert!(
        z.by_name("xl/comments1.xml").is_err(),
        "a note on a clean table"
    );
    assert!(!unzip(&bytes, "xl/worksheets/sheet2.xml").contains("<hyperlink "));
}

#[test]
fn findings_without_a_place_are_listed_unlinked() {
    let mut t = seed_at(6);
    // A header with 指标解释 and 年度指标值 swapped.
    let e = t.source.columns["explanation"].clone();
    let a = t.source.columns["annual_value"].clone();
    t.source.columns.insert("explanation".into(), a);
    t.source.columns.insert("annual_value".into(), e);
    let r = validate(&t, &template(), None);
    let hm: Vec<&Finding> = r
        .issues
        .iter()
        .filter(|f| f.code == "header_mismatch")
        .collect();
    assert!(!hm.is_empty(), "{:#?}", r.issues);
    let bytes = marked_workbook(&t, &r, &template()).unwrap();
    let grid = rows(&read_sheet(&bytes, FINDINGS_SHEET));
    let h = header_row(&grid);
    for f in hm {
        let row = grid[h + 1..]
            .iter()
            .find(|row| row[1] == "header_mismatch" && row[2] == f.cell)
            .unwrap_or_else(|| panic!("{f:?} not listed"));
        assert_eq!(row[0], "错误");
        assert_eq!(row[3], "");
        assert_eq!(row[7], f.message);
    }
}

#[test]
fn a_finding_whose_place_is_not_in_the_table_is_listed_without_a_cell() {
    let t = seed_at(6);
    let mut r = validate(&t, &template(), None);
    let mut f = r.issues[0].clone();
    f.severity = Severity::Error;
    f.code = "missing_value".into();
    f.place = Some(jixiao::model::Place {
        duty: 42,
        indicator: Some(0),
        field: Field::Name,
    });
    r.issues.insert(0, f);
    r.errors += 1;
    let bytes = marked_workbook(&t, &r, &template()).unwrap();
    let grid = rows(&read_sheet(&bytes, FINDINGS_SHEET));
    let h = header_row(&grid);
    assert_eq!(grid[h + 1][0], "错误");
    assert_eq!(grid[h + 1][3], "");
}

// ---------------------------------------------------------------- the command line
// These need the real reader (crate::read): they read a workbook written by
// `official_workbook`.

fn jixiao() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("jixiao").unwrap()
}

#[test]
fn cli_writes_the_marked_workbook_and_the_json() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("教育局.xlsx");
    let mut t = seed_at(6);
    set(&mut t, "教育综合督导完成率", Field::AnnualValue, "");
    set(&mut t, "教学质量提升工作完成率", Field::AnnualValue, "120%");
    std::fs::write(
        &input,
        jixiao::write::official_workbook(&t, &template()).unwrap(),
    )
    .unwrap();
    let marked = dir.path().join("marked.xlsx");
    let json = dir.path().join("r.json");
    jixiao()
        .arg("validate")
        .arg(&input)
        .arg("-o")
        .arg(&marked)
        .arg("--json")
        .arg(&json)
        .assert()
        .code(1);
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert!(report["errors"].as_u64().unwrap() >= 2, "{report:#}");
    let bytes = std::fs::read(&marked).unwrap();
    let grid = rows(&read_sheet(&bytes, FINDINGS_SHEET));
    let h = header_row(&grid);
    let codes: Vec<&str> = grid[h + 1..].iter().map(|r| r[1].as_str()).collect();
    assert!(codes.contains(&"missing_value"), "{codes:?}");
    assert!(codes.contains(&"percent_out_of_range"), "{codes:?}");
    let notes = comments(&unzip(&bytes, "xl/comments1.xml"));
    assert!(notes["F12"].contains("原单元格 F12"), "{notes:#?}");
}

#[test]
fn cli_unreadable_input_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("坏文件.xlsx");
    std::fs::write(&input, b"this is not a workbook").unwrap();
    let marked = dir.path().join("marked.xlsx");
    let json = dir.path().join("r.json");
    jixiao()
        .arg("validate")
        .arg(&input)
        .arg("-o")
        .arg(&marked)
        .arg("--json")
        .arg(&json)
        .assert()
        .code(2);
    assert!(!marked.exists());
    assert!(!json.exists());
}

#[test]
fn cli_refuses_to_overwrite_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.xlsx");
    let t = seed_at(6);
    let original = jixiao::write::official_workbook(&t, &template()).unwrap();
    std::fs::write(&input, &original).unwrap();
    let json = dir.path().join("r.json");
    jixiao()
        .arg("validate")
        .arg(&input)
        .arg("-o")
        .arg(&input)
        .arg("--json")
        .arg(&json)
        .assert()
        .code(2);
    assert_eq!(std::fs::read(&input).unwrap(), original);
    assert!(!json.exists());
}

/// `MARKED_LOOK=/tmp/marked-look cargo test --test validate_marked look`: files to open and print.
#[test]
fn look_files() {
    let Ok(dir) = std::env::var("MARKED_LOOK") else {
        return;
    };
    std::fs::create_dir_all(&dir).unwrap();
    let t = planted();
    let r = validate(&t, &template(), None);
    std::fs::write(
        format!("{dir}/marked.xlsx"),
        marked_workbook(&t, &r, &template()).unwrap(),
    )
    .unwrap();
    let mut clean = seed_at(6);
    set(
        &mut clean,
        "新建改扩建中小学校数量",
        Field::HistoryLast,
        "30处",
    );
    set(
        &mut clean,
        "毕业生就业指导人数",
        Field::HistoryLast,
        "1500人",
    );
    let r = validate(&clean, &template(), None);
    std::fs::write(
        format!("{dir}/clean.xlsx"),
        marked_workbook(&clean, &r, &template()).unwrap(),
    )
    .unwrap();
}
