//! The diff workbook of `jixiao diff -o`, on the example years (one 部门整体
//! table; three 项目支出 tables a year), read back by content (calamine for
//! values, the zip for rich text, notes and links): it agrees with the JSON and
//! the terminal summary, and is written whole or not at all.

use crate::xlsx_xml::*;

use crate::common::{example, jixiao};
use calamine::{Data, Range, Reader, Xlsx};
use serde_json::Value;
use std::collections::HashMap;
use std::fs;
use std::io::Cursor;

/// The examples' diff: (workbook bytes, JSON, stdout).
fn examples_diff() -> (Vec<u8>, Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = jixiao()
        .current_dir(dir.path())
        .arg("diff")
        .arg(example("linyi-education-2022.xlsx"))
        .arg(example("linyi-education-2023.xlsx"))
        .args(["-o", "d.xlsx", "--json", "c.json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let bytes = fs::read(dir.path().join("d.xlsx")).unwrap();
    let json: Value =
        serde_json::from_slice(&fs::read(dir.path().join("c.json")).unwrap()).unwrap();
    (bytes, json, String::from_utf8(out.stdout).unwrap())
}

fn sheet(bytes: &[u8], name: &str) -> Range<Data> {
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    x.worksheet_range(name).unwrap()
}

/// The text of a cell (0-based, absolute), `""` when empty.
fn text(r: &Range<Data>, row: u32, col: u32) -> String {
    match r.get_value((row, col)) {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => {
            if f.fract() == 0.0 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Some(Data::Int(i)) => i.to_string(),
        Some(other) => other.to_string(),
    }
}

/// The first (row, col) whose text satisfies `pred`, rows in order.
fn find(r: &Range<Data>, pred: impl Fn(&str) -> bool) -> Option<(u32, u32)> {
    let (h, w) = (r.end()?.0, r.end()?.1);
    for row in 0..=h {
        for col in 0..=w {
            if pred(&text(r, row, col)) {
                return Some((row, col));
            }
        }
    }
    None
}

/// The notes of the `n`-th sheet (1-based, workbook order): cell → text.
fn notes(bytes: &[u8], n: usize) -> HashMap<String, String> {
    let rels = unzip(bytes, &format!("xl/worksheets/_rels/sheet{n}.xml.rels"));
    let target = rels
        .split("<Relationship ")
        .map(|r| format!(" {r}"))
        .find(|r| r.contains("/comments\""))
        .and_then(|r| attr(&r, "Target"))
        .expect("the sheet has notes");
    comments(&unzip(
        bytes,
        &format!("xl/{}", target.trim_start_matches("../")),
    ))
}

/// The internal hyperlinks of the `n`-th sheet: cell → location.
fn links(bytes: &[u8], n: usize) -> HashMap<String, String> {
    hyperlinks(&unzip(bytes, &format!("xl/worksheets/sheet{n}.xml")))
}

fn a1(row: u32, col: u32) -> String {
    format!("{}{}", (b'A' + col as u8) as char, row + 1)
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "added" => "新增",
        "removed" => "删除",
        "renamed" => "更名",
        "moved" => "移动",
        "modified" => "修改",
        other => panic!("unknown kind {other}"),
    }
}

fn field_label(change: &Value) -> String {
    match change["field"].as_str() {
        None => String::new(),
        Some("duty") => "职责".into(),
        Some("name") if change["indicator"].is_null() => "部门职责".into(),
        Some(k) => {
            let shape = jixiao::template::Template::default_template().shape();
            shape
                .field(k)
                .map(|f| shape.spec(f).label.clone())
                .unwrap_or_default()
        }
    }
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or("").to_string()
}

#[test]
fn examples_diff_workbook_agrees_with_the_json() {
    let (bytes, json, stdout) = examples_diff();

    // Sheets, in order.
    let x: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(
        x.sheet_names(),
        vec![
            "变更汇总",
            "变更明细",
            "本年",
            "目标完成",
            "校验结果",
            "其他内容"
        ]
    );

    // The terminal, the JSON and the summary sheet agree.
    let sum = &json["summary"];
    let n = |k: &str| sum[k].as_u64().unwrap();
    assert_eq!(
        (
            n("added"),
            n("removed"),
            n("renamed"),
            n("moved"),
            n("modified"),
            n("unchanged")
        ),
        (1, 1, 2, 1, 33, 3)
    );
    assert!(stdout.contains("变更：新增 1，删除 1，更名 2，移动 1，修改 33；未变指标 3"));
    let summary = sheet(&bytes, "变更汇总");
    for (label, key) in [
        ("新增", "added"),
        ("删除", "removed"),
        ("更名", "renamed"),
        ("移动", "moved"),
        ("修改", "modified"),
        ("未变", "unchanged"),
    ] {
        let (r, c) = find(&summary, |t| t == label).unwrap();
        assert_eq!(c, 0);
        assert_eq!(text(&summary, r, 2), n(key).to_string(), "{label}");
    }
    // The per-duty totals add up to the same counts.
    let (tr, _) = find(&summary, |t| t == "合计").unwrap();
    let totals: Vec<String> = (2..8).map(|c| text(&summary, tr, c)).collect();
    assert_eq!(totals, vec!["1", "1", "2", "1", "33", "3"]);
    assert!(find(&summary, |t| t
        .contains("examples/linyi-education-2022.xlsx")
        || t.ends_with("linyi-education-2022.xlsx"))
    .is_some());

    // 变更明细: one row per change, as the JSON has them.
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 38);
    let list = sheet(&bytes, "变更明细");
    let (hr, _) = find(&list, |t| t == "类型").unwrap();
    let header: Vec<String> = (0..9).map(|c| text(&list, hr, c)).collect();
    assert_eq!(
        header,
        vec![
            "类型",
            "职责序号",
            "部门职责",
            "绩效指标",
            "字段",
            "上年",
            "本年",
            "变化",
            "本年单元格"
        ]
    );
    let rows = list.end().unwrap().0 - hr;
    assert_eq!(rows as usize, changes.len());
    for (i, c) in changes.iter().enumerate() {
        let r = hr + 1 + i as u32;
        assert_eq!(text(&list, r, 0), kind_label(c["kind"].as_str().unwrap()));
        let seq = match &c["duty"] {
            Value::Number(n) => n.to_string(),
            v => s(v),
        };
        assert_eq!(text(&list, r, 1), seq, "row {r}");
        assert_eq!(text(&list, r, 3), s(&c["indicator"]), "row {r}");
        assert_eq!(text(&list, r, 4), field_label(c), "row {r}");
        if matches!(c["kind"].as_str(), Some("modified" | "renamed")) {
            assert_eq!(text(&list, r, 5), s(&c["old"]), "row {r}");
            assert_eq!(text(&list, r, 6), s(&c["new"]), "row {r}");
        }
    }
    // A delta, and a link into 本年 from a row with a place.
    let (r, _) = find(&list, |t| t == "师资队伍培训人次").unwrap();
    assert_eq!(text(&list, r, 4), "年度指标值");
    // In the table's own scale (10万人次 → 11万人次: +1万人次, not +10000人次).
    assert_eq!(text(&list, r, 7), "+1万人次（+10.0%）");
    // A percentage's change in points first, rounded half away from zero (6.25 → 6.3).
    let (pr, _) = find(&list, |t| t == "教学质量提升工作完成率").unwrap();
    assert_eq!(text(&list, pr, 7), "+5个百分点（+6.3%）");
    assert_eq!(
        links(&bytes, 2).get(&a1(r, 8)).map(String::as_str),
        Some("'本年'!F9")
    );
    // The removed indicator's row links to its row under the table.
    let (rr, _) = find(&list, |t| t == "义务教育巩固率").unwrap();
    assert_eq!(text(&list, rr, 0), "删除");
    let removed_link = links(&bytes, 2).get(&a1(rr, 8)).cloned().unwrap();

    // Rich text: a deletion struck through (80% → 85%), the added item of
    // 师资队伍培训人次's 工作活动 as an inserted run.
    let sst = unzip(&bytes, "xl/sharedStrings.xml");
    let items: Vec<&str> = sst.split("<si>").skip(1).collect();
    let struck = items
        .iter()
        .find(|si| si.contains("<r>") && texts(si) == "80%")
        .expect("80% as a rich string");
    assert!(struck.contains("<strike/>"), "{struck}");
    let added = items
        .iter()
        .find(|si| si.contains("<r>") && texts(si).contains("6.扎实开展"))
        .expect("the new 工作活动 as a rich string");
    let run = added
        .split("<r>")
        .find(|r| texts(r).contains("6.扎实开展"))
        .unwrap();
    assert!(run.contains("<b/>") && run.contains("007A33"), "{run}");
    assert!(!run.contains("<strike/>"));

    // 本年: the changed 年度指标值 of 师资队伍培训人次 noted with last year's value.
    let table = sheet(&bytes, "本年");
    let (ir, _) = find(&table, |t| t == "师资队伍培训人次").unwrap();
    let (_, vc) = find(&table, |t| t == "年度指标值").unwrap();
    let notes3 = notes(&bytes, 3);
    let note = notes3
        .get(&a1(ir, vc))
        .expect("a note on the changed value");
    assert!(note.contains("10万人次") && note.contains("修改"), "{note}");
    assert!(note.contains("变化：+1万人次（+10.0%）"), "{note}");
    assert_eq!(a1(ir, vc), "F9");
    // The findings are marked there too: the warning wins the note's first line.
    let f12 = notes3.get("F12").unwrap();
    assert!(
        f12.contains("target_below_history") && f12.contains("100处"),
        "{f12}"
    );
    // The removed indicators under the table, greyed, with their prior values.
    let (br, _) = find(&table, |t| t.starts_with("已删除的指标")).unwrap();
    let (dr, dc) = find(&table, |t| t == "义务教育巩固率").unwrap();
    assert!(dr > br + 1 && dc == 3);
    assert_eq!(removed_link, format!("'本年'!{}", a1(dr, dc)));

    // 目标完成: checked by hand against the two examples.
    let att = sheet(&bytes, "目标完成");
    let row_of = |name: &str| find(&att, |t| t == name).unwrap().0;
    let r = row_of("师资队伍培训人次");
    assert_eq!(
        (text(&att, r, 2), text(&att, r, 3), text(&att, r, 4)),
        ("10万人次".into(), "10万人次".into(), "达成".into())
    );
    let r = row_of("组织招生考试参与人次");
    assert_eq!(
        (text(&att, r, 2), text(&att, r, 3), text(&att, r, 4)),
        (
            "270万人次".into(),
            "报考72万人,255万科次".into(),
            "无法比较".into()
        )
    );
    let r = row_of("新建改扩建中小学校数量");
    assert_eq!(
        (text(&att, r, 2), text(&att, r, 3), text(&att, r, 4)),
        ("100处".into(), "107处".into(), "达成".into())
    );
    assert!(find(&att, |t| t.starts_with("两年都有的指标 15 个：达成 13 个")).is_some());

    // 校验结果: the current table's two warnings, linked into 本年.
    let fs_ = sheet(&bytes, "校验结果");
    let (hr, _) = find(&fs_, |t| t == "规则").unwrap();
    let rules: Vec<String> = (hr + 1..=fs_.end().unwrap().0)
        .map(|r| text(&fs_, r, 1))
        .collect();
    assert_eq!(
        rules,
        vec![
            "目标低于上年实际（target_below_history）",
            "目标低于上年实际（target_below_history）"
        ]
    );
    let l5 = links(&bytes, 5);
    let mut targets: Vec<&String> = l5.values().collect();
    targets.sort();
    assert_eq!(targets, vec!["'本年'!F12", "'本年'!F21"]);

    // Text is text: no formula anywhere.
    for n in 1..=6 {
        let xml = unzip(&bytes, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(!xml.contains("<f>") && !xml.contains("<f "), "sheet{n}");
    }
}

#[test]
fn an_output_equal_to_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let prior = dir.path().join("2022.xlsx");
    let current = dir.path().join("2023.xlsx");
    fs::copy(example("linyi-education-2022.xlsx"), &prior).unwrap();
    fs::copy(example("linyi-education-2023.xlsx"), &current).unwrap();
    let before = fs::read(&current).unwrap();
    jixiao()
        .arg("diff")
        .arg(&prior)
        .arg(&current)
        .arg("-o")
        .arg(&current)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("输出文件不能与输入文件相同"));
    assert_eq!(fs::read(&current).unwrap(), before);
    // Nor -o and --json on one path.
    jixiao()
        .current_dir(dir.path())
        .arg("diff")
        .arg(&prior)
        .arg(&current)
        .args(["-o", "x.out", "--json", "x.out"])
        .assert()
        .code(2);
    assert!(!dir.path().join("x.out").exists());
}

#[test]
fn a_broken_current_file_leaves_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let current = dir.path().join("2023.xlsx");
    fs::write(&current, b"PK\x03\x04 not really a workbook").unwrap();
    let out = jixiao()
        .current_dir(dir.path())
        .arg("diff")
        .arg(example("linyi-education-2022.xlsx"))
        .arg(&current)
        .args(["-o", "d.xlsx", "--json", "c.json"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("2023.xlsx"), "{err}");
    assert!(!dir.path().join("d.xlsx").exists());
    assert!(!dir.path().join("c.json").exists());
}

/// A duty removed and a duty added (the examples have neither): the removed
/// duty's indicators are listed under the table, the added duty is marked, and
/// 变更明细 still has one row per change.
#[test]
fn whole_duties_added_and_removed() {
    use jixiao::diff::diff;
    use jixiao::read::{read_file, ReadOptions};
    use jixiao::template::Template;
    use jixiao::validate::validate;

    let template = Template::load("dept-overall").unwrap();
    let opts = ReadOptions {
        sheet: None,
        templates: std::slice::from_ref(&template),
    };
    let prior = read_file(&example("linyi-education-2023.xlsx"), &opts).unwrap();
    let mut current = prior.clone();
    let shape = template.shape();
    let g = |k: &str| shape.group_field(k).unwrap();
    let f = |k: &str| shape.indicator_field(k).unwrap();
    // Duty 5 gone; a new duty 6 with one indicator.
    let mut new_duty = current.groups.pop().unwrap();
    new_duty.values[g("seq")] = "6".into();
    new_duty.values[g("duty_name")] = "校园安全管理".into();
    new_duty.values[g("objective")] = "保障校园安全。".into();
    new_duty.indicators[0].values[f("name")] = "校园安全检查次数".into();
    new_duty.indicators[0].values[f("explanation")] = "反映校园安全检查开展情况。".into();
    current.groups.push(new_duty);

    let report = diff(&prior, &current);
    let kinds: Vec<_> = report.changes.iter().map(|c| c.kind.label()).collect();
    assert!(
        kinds.contains(&"新增") && kinds.contains(&"删除"),
        "{kinds:?}"
    );
    let findings = validate(&current, &template, None);
    let bytes =
        jixiao::write::diff_workbook(&prior, &current, &report, &findings, &template).unwrap();

    let list = sheet(&bytes, "变更明细");
    let (hr, _) = find(&list, |t| t == "类型").unwrap();
    assert_eq!((list.end().unwrap().0 - hr) as usize, report.changes.len());
    let table = sheet(&bytes, "本年");
    let (br, _) = find(&table, |t| t.starts_with("已删除的指标")).unwrap();
    let (dr, _) = find(&table, |t| t == "毕业生就业指导人数").unwrap();
    assert!(dr > br, "the removed duty's indicator is under the table");
    let notes3 = notes(&bytes, 3);
    assert!(
        notes3.values().any(|n| n.contains("上年无此职责")),
        "{notes3:?}"
    );
    let summary = sheet(&bytes, "变更汇总");
    assert!(find(&summary, |t| t.contains("（上年，已删除）")).is_some());
}

/// Two years of a 项目支出 table: the form's amount changed, a value modified,
/// an indicator added and one removed. 变更明细 names the changes by 一级/二级
/// 指标, links the amount to its form cell; 本年 is the project's official
/// layout with the changes marked; the removed indicator is listed under it.
#[test]
fn project_years_in_the_diff_workbook() {
    use crate::xlsx_xml::project::*;
    use jixiao::diff::diff;
    use jixiao::validate::validate;

    let template = project_template();
    let prior = project_table("万元");
    let mut current = prior.clone();
    current.year = Some(2024);
    set_form(&mut current, "funds_total", "300.00");
    let i = current.shape.form_field("funds_total").unwrap();
    current.form.set_parsed(
        i,
        jixiao::model::Parsed::Quantity(jixiao::model::Quantity {
            cmp: None,
            number: 3_000_000.0,
            unit: "元".into(),
        }),
    );
    set_indicator(&mut current, 0, "value", "12辆");
    // 风炮射程 gone; a new 质量 indicator.
    current.groups[0].indicators.remove(1);
    let mut new = current.new_indicator(0);
    let f = |k: &str| current.shape.indicator_field(k).unwrap();
    new.values[f("name")] = "作业覆盖率".into();
    new.values[f("value")] = "≥95%".into();
    current.groups[1].indicators.push(new);

    let report = diff(&prior, &current);
    let findings = validate(&current, &template, None);
    let bytes =
        jixiao::write::diff_workbook(&prior, &current, &report, &findings, &template).unwrap();

    let list = sheet(&bytes, "变更明细");
    let (hr, _) = find(&list, |t| t == "类型").unwrap();
    let header: Vec<String> = (0..5).map(|c| text(&list, hr, c)).collect();
    assert_eq!(header, ["类型", "一级指标", "二级指标", "三级指标", "字段"]);
    assert_eq!((list.end().unwrap().0 - hr) as usize, report.changes.len());
    let row_of = |pred: &dyn Fn(u32) -> bool| (hr + 1..=list.end().unwrap().0).find(|r| pred(*r));
    let funds = row_of(&|r| text(&list, r, 4) == "年度资金总额").expect("the amount's change");
    assert_eq!(text(&list, funds, 1), "", "a form field is in no category");
    assert_eq!(text(&list, funds, 6), "300.00");
    let value = row_of(&|r| text(&list, r, 3) == "配备车辆数").expect("the value's change");
    assert_eq!(text(&list, value, 1), "产出指标");
    assert_eq!(text(&list, value, 2), "数量指标");
    // Links into 本年: the amount's form cell C6, the value's cell E12.
    let l = links(&bytes, 2);
    assert_eq!(
        l.get(&a1(funds, 8)).map(String::as_str),
        Some("'本年'!C6"),
        "{l:?}"
    );
    assert_eq!(
        l.get(&a1(value, 8)).map(String::as_str),
        Some("'本年'!E12"),
        "{l:?}"
    );

    let table = sheet(&bytes, "本年");
    assert_eq!(text(&table, 2, 0), "项目名称");
    let (br, _) = find(&table, |t| t.starts_with("已删除的指标")).unwrap();
    let (dr, dc) = find(&table, |t| t == "风炮射程").unwrap();
    assert!(dr > br, "the removed indicator is under the table");
    assert_eq!(dc, 3, "in the 三级指标 column");
    let n = notes(&bytes, 3);
    assert!(n["C6"].contains("上年：250.00"), "{n:?}");
    assert!(n["E12"].contains("上年：10辆"), "{n:?}");

    let summary = sheet(&bytes, "变更汇总");
    assert!(find(&summary, |t| t == "按二级指标统计").is_some());
    let attain = sheet(&bytes, "目标完成");
    assert!(find(&attain, |t| t == "一级指标").is_some());
}

/// The diff of two workbooks of three projects each: (workbook bytes, JSON, stdout, stderr).
fn projects_diff() -> (Vec<u8>, Value, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = jixiao()
        .current_dir(dir.path())
        .arg("diff")
        .arg(example("linyi-education-projects-2023.xlsx"))
        .arg(example("linyi-education-projects-2024.xlsx"))
        .args(["-o", "d.xlsx", "--json", "c.json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let bytes = fs::read(dir.path().join("d.xlsx")).unwrap();
    let json: Value =
        serde_json::from_slice(&fs::read(dir.path().join("c.json")).unwrap()).unwrap();
    (
        bytes,
        json,
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The 1-based position of a sheet in the workbook (for its xml part).
fn sheet_number(bytes: &[u8], name: &str) -> usize {
    let x: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    x.sheet_names().iter().position(|n| n == name).unwrap() + 1
}

/// Three projects a year: ONE workbook of every pair — 变更汇总 with a row per
/// pair and the totals, 变更明细 with every change and the pair it belongs
/// to, one table sheet per pair with its changes marked, 校验结果 and 其他内容
/// of all three; no 目标完成 (the 项目支出 template has no 上年值).
#[test]
fn three_projects_make_one_diff_workbook() {
    let (bytes, json, stdout, stderr) = projects_diff();
    assert!(!stderr.contains("只含第一对表"), "{stderr}");
    assert_eq!(json["schema"], "jixiao.diffs/1");
    let diffs = json["diffs"].as_array().unwrap();
    assert_eq!(diffs.len(), 3);
    let projects = [
        "中小学校园安全设施改造",
        "中小学教师全员培训",
        "家庭经济困难学生资助",
    ];
    let sheets = ["临沂一中", "教师发展中心", "学生资助中心"];

    // Sheets, in order: one table sheet per pair, named after its sheet.
    let x: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(
        x.sheet_names(),
        vec![
            "变更汇总",
            "变更明细",
            "临沂一中",
            "教师发展中心",
            "学生资助中心",
            "校验结果",
            "其他内容"
        ]
    );
    for (name, project) in sheets.iter().zip(projects) {
        let t = sheet(&bytes, name);
        assert_eq!(text(&t, 2, 0), "项目名称", "{name}");
        assert_eq!(text(&t, 2, 1), project, "{name}");
    }

    // 变更汇总: a row per pair with its counts, the totals, links to each pair.
    let summary = sheet(&bytes, "变更汇总");
    let (hr, _) = find(&summary, |t| t == "序号").unwrap();
    let header: Vec<String> = (0..13).map(|c| text(&summary, hr, c)).collect();
    assert_eq!(
        header,
        [
            "序号",
            "表格",
            "对比",
            "新增",
            "删除",
            "更名",
            "移动",
            "修改",
            "未变",
            "本年校验",
            "提示",
            "本年表",
            "变更明细"
        ]
    );
    let keys = [
        "added",
        "removed",
        "renamed",
        "moved",
        "modified",
        "unchanged",
    ];
    let summary_links = links(&bytes, 1);
    for (k, d) in diffs.iter().enumerate() {
        let r = hr + 1 + k as u32;
        assert_eq!(text(&summary, r, 0), (k + 1).to_string());
        assert!(text(&summary, r, 1).contains(projects[k]), "row {r}");
        assert_eq!(text(&summary, r, 2), "两年都有");
        for (i, key) in keys.iter().enumerate() {
            let n = d["summary"][key].as_u64().unwrap();
            let cell = text(&summary, r, 3 + i as u32);
            assert_eq!(cell, if n == 0 { String::new() } else { n.to_string() });
        }
        assert_eq!(
            summary_links.get(&a1(r, 11)).map(String::as_str),
            Some(format!("'{}'!A1", sheets[k]).as_str())
        );
        assert!(summary_links
            .get(&a1(r, 12))
            .is_some_and(|l| l.starts_with("'变更明细'!A")));
    }
    let tr = hr + 4;
    assert_eq!(text(&summary, tr, 0), "合计");
    let totals: Vec<String> = (3..9).map(|c| text(&summary, tr, c)).collect();
    let want: Vec<String> = keys
        .iter()
        .map(|k| json["summary"][k].as_u64().unwrap().to_string())
        .collect();
    assert_eq!(totals, want);
    assert_eq!(totals, ["1", "1", "1", "1", "13", "18"]);

    // 变更明细: every pair's changes, in pair order, each naming its pair.
    let list = sheet(&bytes, "变更明细");
    let (lr, _) = find(&list, |t| t == "类型").unwrap();
    assert_eq!(text(&list, lr, 0), "表格");
    assert_eq!(text(&list, lr, 4), "三级指标");
    let all: Vec<(usize, &Value)> = diffs
        .iter()
        .enumerate()
        .flat_map(|(k, d)| d["changes"].as_array().unwrap().iter().map(move |c| (k, c)))
        .collect();
    assert_eq!(all.len(), 17);
    assert_eq!((list.end().unwrap().0 - lr) as usize, all.len());
    assert!(find(&list, |t| t.starts_with("变更明细：共 17 项")).is_some());
    let list_links = links(&bytes, 2);
    for (i, (k, c)) in all.iter().enumerate() {
        let r = lr + 1 + i as u32;
        assert!(text(&list, r, 0).contains(projects[*k]), "row {r}");
        assert_eq!(text(&list, r, 1), kind_label(c["kind"].as_str().unwrap()));
        assert_eq!(text(&list, r, 4), s(&c["indicator"]), "row {r}");
        if matches!(c["kind"].as_str(), Some("modified" | "renamed")) {
            assert_eq!(text(&list, r, 6), s(&c["old"]), "row {r}");
            assert_eq!(text(&list, r, 7), s(&c["new"]), "row {r}");
        } else if c["kind"] == "added" {
            // An added indicator: its name and target on the 本年 side.
            assert!(
                text(&list, r, 7).starts_with(&s(&c["indicator"])),
                "row {r}"
            );
        }
        // Each change links into its own pair's sheet.
        let link = list_links.get(&a1(r, 9)).expect("every change has a place");
        assert!(link.starts_with(&format!("'{}'!", sheets[*k])), "{link}");
    }
    // The 变更汇总 link of a pair goes to its first change.
    let first_of_second = summary_links.get(&a1(hr + 2, 12)).unwrap();
    assert_eq!(first_of_second, &format!("'变更明细'!A{}", lr + 2 + 6));
    // Deltas as a clerk reads them: points for a rate, the table's money unit.
    let row_of = |pred: &dyn Fn(u32) -> bool| (lr + 1..=list.end().unwrap().0).find(|r| pred(*r));
    let rate = row_of(&|r| text(&list, r, 4) == "参训教师考核合格率").unwrap();
    assert_eq!(text(&list, rate, 8), "+5个百分点（+6.3%）");
    let people = row_of(&|r| text(&list, r, 4) == "资助学生人数").unwrap();
    assert_eq!(text(&list, people, 8), "+500人（+6.3%）");
    let funds = row_of(&|r| text(&list, r, 5) == "年度资金总额").unwrap();
    assert!(text(&list, funds, 0).contains("中小学教师全员培训"));
    assert_eq!(text(&list, funds, 8), "+50万元（+16.7%）");
    assert_eq!(
        list_links.get(&a1(funds, 9)).map(String::as_str),
        Some("'教师发展中心'!C6")
    );

    // Each pair's sheet marks its own changes: the 2024 amount of 教师发展中心
    // noted with last year's, the removed indicator of 学生资助中心 under its table.
    let n = notes(&bytes, sheet_number(&bytes, "教师发展中心"));
    assert!(n["C6"].contains("上年：300.00"), "{n:?}");
    let aid = sheet(&bytes, "学生资助中心");
    let (br, _) = find(&aid, |t| t.starts_with("已删除的指标")).unwrap();
    let (dr, _) = find(&aid, |t| t == "资助档案规范管理率").unwrap();
    assert!(dr > br);
    assert!(find(&sheet(&bytes, "临沂一中"), |t| t
        .starts_with("已删除的指标"))
    .is_none());

    // 校验结果 covers the three tables; 其他内容 their extras.
    let checked = sheet(&bytes, "校验结果");
    assert!(find(&checked, |t| t.contains("3 张表")).is_some());
    let extras = sheet(&bytes, "其他内容");
    for s in sheets {
        assert!(find(&extras, |t| t == s).is_some(), "{s}");
    }

    // The terminal: points for rates, rounding half away from zero.
    assert!(stdout.contains("参训教师考核合格率 指标值：80% → 85%（+5个百分点）"));
    assert!(stdout.contains("资助学生人数 指标值：≥8000人 → ≥8500人（+6.3%）"));
    assert!(stdout.contains("合计（3 对）：新增 1，删除 1，更名 1，移动 1，修改 13；未变指标 18"));

    for n in 1..=7 {
        let xml = unzip(&bytes, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(!xml.contains("<f>") && !xml.contains("<f "), "sheet{n}");
    }
}

/// A table found on one side only: a 新增表 / 删除表 row on 变更汇总, its
/// changes on 变更明细, a table sheet for the added one only.
#[test]
fn unpaired_tables_are_whole_additions_and_removals() {
    use jixiao::diff::{diff_workbooks, pair_tables, WorkbookPair};
    use jixiao::read::{read_workbook, ReadOptions};
    use jixiao::template::Template;
    use jixiao::validate::validate;

    let template = Template::load("project-target").unwrap();
    let opts = ReadOptions {
        sheet: None,
        templates: std::slice::from_ref(&template),
    };
    let mut prior = read_workbook(&example("linyi-education-projects-2023.xlsx"), &opts)
        .unwrap()
        .tables;
    let mut current = read_workbook(&example("linyi-education-projects-2024.xlsx"), &opts)
        .unwrap()
        .tables;
    // 学生资助中心 only last year; 临沂一中 only this year.
    current.remove(2);
    prior.remove(0);
    let pairs = pair_tables(&prior, &current);
    assert_eq!(pairs.len(), 3);
    let reports = diff_workbooks(&prior, &current);
    let findings: Vec<_> = pairs
        .iter()
        .map(|(_, c)| c.map(|c| validate(&current[c], &template, None)))
        .collect();
    let labels: Vec<String> = pairs
        .iter()
        .map(|&(p, c)| {
            let t = c.map(|c| &current[c]).or(p.map(|p| &prior[p])).unwrap();
            t.source.sheet.clone()
        })
        .collect();
    let items: Vec<WorkbookPair<'_>> = pairs
        .iter()
        .zip(&reports)
        .zip(&findings)
        .zip(&labels)
        .map(|((((p, c), report), f), label)| WorkbookPair {
            prior: p.map(|p| &prior[p]),
            current: c.map(|c| &current[c]),
            report,
            findings: f.as_ref(),
            template: &template,
            label,
        })
        .collect();
    let bytes = jixiao::write::diff_workbook_of_pairs(&items).unwrap();

    let x: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    let names = x.sheet_names();
    assert!(names.contains(&"临沂一中".to_string()), "{names:?}");
    assert!(!names.contains(&"学生资助中心".to_string()), "{names:?}");
    let summary = sheet(&bytes, "变更汇总");
    let (hr, _) = find(&summary, |t| t == "序号").unwrap();
    let states: Vec<(String, String)> = (1..=3)
        .map(|k| (text(&summary, hr + k, 1), text(&summary, hr + k, 2)))
        .collect();
    assert!(
        states.contains(&("临沂一中".into(), "新增表".into())),
        "{states:?}"
    );
    assert!(
        states.contains(&("学生资助中心".into(), "删除表".into())),
        "{states:?}"
    );
    assert!(
        states.contains(&("教师发展中心".into(), "两年都有".into())),
        "{states:?}"
    );
    let (removed_row, _) = find(&summary, |t| t == "删除表").unwrap();
    assert_eq!(text(&summary, removed_row, 11), "（本年无此表）");

    let list = sheet(&bytes, "变更明细");
    let (lr, _) = find(&list, |t| t == "类型").unwrap();
    let total: usize = reports.iter().map(|r| r.changes.len()).sum();
    assert_eq!((list.end().unwrap().0 - lr) as usize, total);
    // The removed table's rows name it and link nowhere.
    let list_links = links(&bytes, 2);
    let removed: Vec<u32> = (lr + 1..=list.end().unwrap().0)
        .filter(|r| text(&list, *r, 0) == "学生资助中心")
        .collect();
    assert!(!removed.is_empty());
    for r in removed {
        assert_eq!(text(&list, r, 1), "删除");
        assert!(!list_links.contains_key(&a1(r, 9)));
    }
}

/// `diff A B -o` of a pair that looks wrong printed its warnings on stderr
/// only: the single-pair 变更汇总 a clerk files did not say the years were
/// swapped or that both sides were one file.
#[test]
fn single_pair_summary_shows_pair_warnings() {
    let run = |a: &str, b: &str| -> (Range<Data>, String) {
        let dir = tempfile::tempdir().unwrap();
        let out = jixiao()
            .current_dir(dir.path())
            .arg("diff")
            .arg(example(a))
            .arg(example(b))
            .args(["-o", "d.xlsx"])
            .output()
            .unwrap();
        let bytes = fs::read(dir.path().join("d.xlsx")).unwrap();
        (
            sheet(&bytes, "变更汇总"),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (summary, stderr) = run("linyi-education-2023.xlsx", "linyi-education-2022.xlsx");
    assert!(stderr.contains("先后顺序"), "{stderr}");
    let (row, col) = find(&summary, |t| t == "注意").expect("a 注意 row");
    assert!(text(&summary, row, col + 1).contains("先后顺序"));

    let (summary, _) = run("linyi-education-2023.xlsx", "linyi-education-2023.xlsx");
    let (row, col) = find(&summary, |t| t == "注意").expect("a 注意 row");
    assert!(text(&summary, row, col + 1).contains("同一个文件"));

    // A pair that looks right has none.
    let (summary, _) = run("linyi-education-2022.xlsx", "linyi-education-2023.xlsx");
    assert!(find(&summary, |t| t == "注意").is_none());
}

/// 变更明细 says what a moved, added or removed row is about: the groups a moved
/// indicator left and joined by number and name, the added (removed)
/// indicator's name and target on the side that has it.
#[test]
fn change_rows_show_what_moved_was_added_or_removed() {
    let (bytes, json, _) = examples_diff();
    let changes = json["changes"].as_array().unwrap();
    let count = |k: &str| changes.iter().filter(|c| c["kind"] == k).count();
    assert_eq!(
        ["added", "removed", "renamed", "moved", "modified"].map(count),
        [1, 1, 2, 1, 33]
    );
    let list = sheet(&bytes, "变更明细");
    let (hr, _) = find(&list, |t| t == "类型").unwrap();
    let row = |kind: &str| {
        (hr + 1..=list.end().unwrap().0)
            .find(|&r| text(&list, r, 0) == kind)
            .unwrap_or_else(|| panic!("no {kind} row"))
    };
    // The titles say whose changes, between which years.
    let summary = sheet(&bytes, "变更汇总");
    assert_eq!(
        text(&summary, 0, 0),
        "临沂市教育局 2022→2023 绩效目标表年度对比"
    );
    assert!(
        text(&list, 0, 0).starts_with("临沂市教育局 2022→2023 变更明细：共 38 项"),
        "{}",
        text(&list, 0, 0)
    );
    let moved = row("移动");
    let (old, new) = (text(&list, moved, 5), text(&list, moved, 6));
    assert!(
        old.starts_with("上年：4 ") && old.chars().count() > 6,
        "{old:?}"
    );
    assert!(
        new.starts_with("本年：3 ") && new.chars().count() > 6,
        "{new:?}"
    );
    assert_ne!(old, new);
    let added = row("新增");
    assert_eq!(text(&list, added, 5), "");
    let shown = text(&list, added, 6);
    assert!(shown.starts_with("人才培育人次\n"), "{shown:?}");
    assert!(
        shown.contains('：') && shown.chars().count() > 8,
        "{shown:?}"
    );
    let removed = row("删除");
    assert!(text(&list, removed, 5).starts_with("义务教育巩固率\n"));
    assert_eq!(text(&list, removed, 6), "");
}

/// Under the 本年 table (and its removed block) a legend names the change
/// colours and the validation ones.
#[test]
fn the_current_sheet_explains_its_colours() {
    let (bytes, _, _) = examples_diff();
    let table = sheet(&bytes, "本年");
    let (removed, _) = find(&table, |t| t.starts_with("已删除的指标")).unwrap();
    let (legend, col) = find(&table, |t| t == "颜色说明").expect("a legend");
    assert!(legend > removed && col == 0);
    let labels: Vec<String> = (1..=6).map(|k| text(&table, legend + k, 0)).collect();
    assert_eq!(labels, ["修改", "新增", "更名", "移动", "错误", "警告"]);
    for k in 1..=6 {
        assert!(
            text(&table, legend + k, 1).contains('色'),
            "row {}",
            legend + k
        );
    }
}
