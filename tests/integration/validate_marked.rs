//! The marked workbook of `validate -o`, read back by content: the 校验结果
//! sheet lists exactly the findings with links to the marked cells, the marked
//! cells carry the fill and a note with the message and the input cell; and the
//! CLI writes it next to the JSON, or nothing at all.

use crate::seed::*;
use crate::xlsx_xml::*;

use calamine::{Data, Reader, Xlsx};
use jixiao::model::{Extra, ExtraKind, Table};
use jixiao::template::Template;
use jixiao::validate::{validate, Finding, Report, Severity};
use jixiao::write::{
    finding_note, new_workbook, write_table_sheet, MarkColor, Styles, TableLayout, FINDINGS_SHEET,
    TABLE_SHEET,
};
use std::collections::HashMap;
use std::io::Cursor;

// ---------------------------------------------------------------- the seed table

/// The marked workbook of one table.
fn marked_workbook(
    t: &Table,
    r: &Report,
    tpl: &Template,
) -> Result<Vec<u8>, jixiao::write::WriteError> {
    jixiao::write::marked_workbook(&[(t, r, tpl)])
}

/// The seed starting at input row 7 (one row lower than the re-styled table)
/// with planted problems: an empty 年度指标值, a 120% 完成率, a duplicate
/// name, a formula-looking value and a stray remark (plus the seed's own two
/// targets below history).
fn planted() -> Table {
    let mut t = seed_at(7);
    set(&mut t, "教育综合督导完成率", "annual_value", "");
    set(&mut t, "教学质量提升工作完成率", "annual_value", "120%");
    rename(&mut t, "组建教师教育专家库数量", "师资队伍培训人次");
    set(&mut t, "人才培育人次", "history_last", "=1+1");
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
    let key = |f: &Finding| (f.code.to_string(), f.cell.clone());
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
        // The rule's Chinese name with its code in brackets.
        assert_eq!(row[1], f.code.label());
        assert!(row[1].starts_with(f.code.name()));
        assert_eq!(row[2], f.cell);
        assert_eq!(
            row[4],
            f.group_value("duty")
                .map(|s| s.to_string())
                .unwrap_or_default()
        );
        assert_eq!(row[5], f.indicator.clone().unwrap_or_default());
        let shape = template().shape();
        let label = f
            .field
            .as_deref()
            .map(|k| shape.spec(shape.field(k).unwrap()).label.as_str())
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
            assert!(note.contains(f.code.as_str()), "{note}");
            assert!(note.contains(f.code.name()), "{note}");
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
    set(&mut t, "新建改扩建中小学校数量", "history_last", "30处");
    set(&mut t, "毕业生就业指导人数", "history_last", "1500人");
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
            .find(|row| row[1] == "表头不符（header_mismatch）" && row[2] == f.cell)
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
    f.code = jixiao::validate::Code::MissingValue;
    f.place = Some(jixiao::model::Place::Indicator {
        group: 42,
        indicator: 0,
        field: crate::seed::field("name"),
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
    set(&mut t, "教育综合督导完成率", "annual_value", "");
    set(&mut t, "教学质量提升工作完成率", "annual_value", "120%");
    std::fs::write(
        &input,
        jixiao::write::official_workbook(&[(&t, &template())]).unwrap(),
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
    assert!(codes.contains(&"必填项为空（missing_value）"), "{codes:?}");
    assert!(
        codes.contains(&"比率超出范围（percent_out_of_range）"),
        "{codes:?}"
    );
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
    let original = jixiao::write::official_workbook(&[(&t, &template())]).unwrap();
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

/// `MARKED_LOOK=/tmp/marked-look cargo test --test integration validate_marked::look -- --ignored`: files to open and print.
#[test]
#[ignore = "writes workbooks to look at, asserts nothing: set MARKED_LOOK and run with --ignored"]
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
    set(&mut clean, "新建改扩建中小学校数量", "history_last", "30处");
    set(&mut clean, "毕业生就业指导人数", "history_last", "1500人");
    let r = validate(&clean, &template(), None);
    std::fs::write(
        format!("{dir}/clean.xlsx"),
        marked_workbook(&clean, &r, &template()).unwrap(),
    )
    .unwrap();
}

/// Under the marked table a legend says what the red and the amber fills
/// mean, each label filled with its own colour.
#[test]
fn the_marked_table_explains_its_colours() {
    let t = planted();
    let r = validate(&t, &template(), None);
    let bytes = marked_workbook(&t, &r, &template()).unwrap();
    let layout = layout_of(&t);
    let sheet = rows(&read_sheet(&bytes, TABLE_SHEET));
    let title = (layout.last_row as usize + 1..sheet.len())
        .find(|&k| sheet[k][0] == "颜色说明")
        .expect("a legend under the table");
    let sheet1 = unzip(&bytes, "xl/worksheets/sheet1.xml");
    for (k, (label, color, word)) in [
        ("错误", MarkColor::Error, "红色"),
        ("警告", MarkColor::Warning, "橙色"),
    ]
    .into_iter()
    .enumerate()
    {
        let row = &sheet[title + 1 + k];
        assert_eq!(row[0], label);
        assert!(row[1].starts_with(word), "{row:?}");
        let cell = format!("A{}", title + 2 + k);
        assert_eq!(
            fill_of(&bytes, &sheet1, &cell),
            Some(format!("{:06X}", color.rgb())),
            "{cell}"
        );
    }
}
