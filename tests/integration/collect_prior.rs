//! `jixiao collect THIS_YEAR --prior LAST_YEAR`: two folders built here, paired as `diff` pairs them, read back from 年度对比 and the JSON.
//!
//! Last year (2023): 教育局 and 财政局 one file each, 卫健委 (not this year),
//! and 教育局's three projects in one workbook. This year (2024): the files
//! renamed, the projects one per file (学生资助 dropped), 交通局 new. 教育局
//! lowers one target, leaves one of last year's unattained and adds an
//! indicator; 财政局 is last year's table with only the years changed.

use crate::xlsx_xml::{hyperlinks, unzip};
use assert_cmd::Command;
use calamine::{open_workbook_auto, Data, Reader};
use jixiao::model::Table;
use jixiao::template::Template;
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use serde_json::Value;
use std::path::{Path, PathBuf};

const EDU: &str = "临沂市教育局";
const FIN: &str = "临沂市财政局";
const HEALTH: &str = "临沂市卫健委";
const TRANSPORT: &str = "临沂市交通局";

/// (name, target, last year's actual) of one indicator.
type Ind<'a> = (&'a str, &'a str, &'a str);

/// A 部门整体 table of one duty holding `inds`.
fn dept_table(dept: &str, year: i32, inds: &[Ind<'_>]) -> Table {
    let t = Template::default_template();
    let mut table = Table::new(t.shape());
    table.title = t.title(year, dept);
    table.year = Some(year);
    table.department = Some(dept.into());
    let shape = t.shape();
    let g = |k: &str| shape.group_field(k).unwrap();
    let f = |k: &str| shape.indicator_field(k).unwrap();
    let mut duty = table.new_group(0);
    duty.values[g("seq")] = "1".into();
    duty.values[g("duty_name")] = "教育管理与服务".into();
    duty.values[g("objective")] = "做好本部门职责范围内的工作。".into();
    duty.indicators = inds
        .iter()
        .map(|(name, target, last)| {
            let mut i = table.new_indicator(0);
            for (key, v) in [
                ("name", name.to_string()),
                ("explanation", format!("反映{name}情况。")),
                ("annual_value", target.to_string()),
                ("planned_value", "/".into()),
                ("standard_value", "/".into()),
                ("standard_source", "工作计划".into()),
                ("history_avg3", "/".into()),
                ("history_last", last.to_string()),
                ("history_source", "内部统计".into()),
                ("activities", "按计划开展工作。".into()),
            ] {
                i.values[f(key)] = v;
            }
            i
        })
        .collect();
    table.groups.push(duty);
    table
}

fn write_dept(path: &Path, t: &Table) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let bytes = jixiao::write::official_workbook(&[(t, &Template::default_template())]).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// One project: (sheet, 项目名称, (一级, 二级, 三级, 指标值) rows).
type Project<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str, &'a str, &'a str)>);

fn project<'a>(name: &'a str, count_target: &'a str) -> Project<'a> {
    (
        name,
        name,
        vec![
            ("产出指标", "数量指标", "完成学校数量", count_target),
            ("效益指标", "社会效益指标", "安全事故发生数", "0起"),
            ("满意度指标", "服务对象满意度指标", "师生满意度", "≥90%"),
        ],
    )
}

/// Writes one 项目支出 table from the top of a sheet (official layout, columns A–G).
fn write_project(ws: &mut Worksheet, year: i32, p: &Project<'_>) {
    let f = Format::new();
    let s = |ws: &mut Worksheet, r: u32, c: u16, t: &str| {
        ws.write_string(r, c, t).unwrap();
    };
    ws.merge_range(0, 0, 0, 6, &format!("{year}年度项目支出绩效目标表"), &f)
        .unwrap();
    s(ws, 1, 6, "金额单位：万元");
    s(ws, 2, 0, "项目名称");
    ws.merge_range(2, 1, 2, 6, p.1, &f).unwrap();
    s(ws, 3, 0, "主管部门及代码");
    ws.merge_range(3, 1, 3, 3, &format!("[015001]{EDU}"), &f)
        .unwrap();
    s(ws, 3, 4, "实施单位");
    ws.merge_range(3, 5, 3, 6, "临沂市第一中学", &f).unwrap();
    s(ws, 4, 0, "项目属性");
    ws.merge_range(4, 1, 4, 3, "延续项目", &f).unwrap();
    s(ws, 4, 4, "项目期");
    ws.merge_range(4, 5, 4, 6, "1年", &f).unwrap();
    ws.merge_range(5, 0, 8, 0, "项目资金（万元）", &f).unwrap();
    for (r, label, v) in [
        (5, "年度资金总额", "250"),
        (6, "其中：财政拨款", "200"),
        (7, "上年结转资金", "0"),
        (8, "其他资金", "50"),
    ] {
        s(ws, r, 1, label);
        ws.merge_range(r, 2, r, 6, v, &f).unwrap();
    }
    s(ws, 9, 0, "年度总体目标");
    ws.merge_range(9, 1, 9, 6, &format!("1.按计划完成{}。", p.1), &f)
        .unwrap();
    let last = 10 + p.2.len() as u32;
    ws.merge_range(10, 0, last, 0, "绩效指标", &f).unwrap();
    for (c, h) in [
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
        s(ws, 10, 1 + c as u16, h);
    }
    for (k, (l1, l2, name, v)) in p.2.iter().enumerate() {
        let r = 11 + k as u32;
        s(ws, r, 1, l1);
        s(ws, r, 2, l2);
        s(ws, r, 3, name);
        s(ws, r, 4, v);
        s(ws, r, 5, "计划标准");
    }
}

/// A workbook of these projects, one sheet each.
fn write_projects(path: &Path, year: i32, ps: &[Project<'_>]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut wb = Workbook::new();
    for p in ps {
        let ws = wb.add_worksheet();
        ws.set_name(p.0).unwrap();
        write_project(ws, year, p);
    }
    wb.save(path).unwrap();
}

/// The two years' folders (see the module docs): (2023, 2024).
fn two_years(root: &Path) -> (PathBuf, PathBuf) {
    let (prior, current) = (root.join("2023"), root.join("2024"));
    // 教育局: 培训 raised and attained, 校舍 lowered (below last year's
    // target and actual), 课程 kept but last year's 20所 not attained (15所).
    write_dept(
        &prior.join("教育局2023.xlsx"),
        &dept_table(
            EDU,
            2023,
            &[
                ("培训教师人次", "≥3000人次", "2800人次"),
                ("校舍安全排查学校数", "120所", "110所"),
                ("课程改革实验学校数", "20所", "18所"),
            ],
        ),
    );
    write_dept(
        &current.join("部门整体/临沂市教育局-部门整体绩效目标表.xlsx"),
        &dept_table(
            EDU,
            2024,
            &[
                ("培训教师人次", "≥3200人次", "3100人次"),
                ("校舍安全排查学校数", "100所", "125所"),
                ("课程改革实验学校数", "20所", "15所"),
                ("家校共育活动场次", "10场", "/"),
            ],
        ),
    );
    // 财政局: copied forward, only the years changed.
    let fin = |y: i32| {
        dept_table(
            FIN,
            y,
            &[
                (&*format!("{y}年预算公开完成率"), "100%", "100%"),
                ("绩效评价项目数", "30个", "30个"),
            ],
        )
    };
    write_dept(&prior.join("财政局.xlsx"), &fin(2023));
    write_dept(
        &current.join("部门整体/财政局（2024年报送）.xlsx"),
        &fin(2024),
    );
    write_dept(
        &prior.join("卫健委.xlsx"),
        &dept_table(HEALTH, 2023, &[("家庭医生签约人数", "5000人", "4800人")]),
    );
    write_dept(
        &current.join("部门整体/交通局.xlsx"),
        &dept_table(TRANSPORT, 2024, &[("农村公路新建里程", "50公里", "45公里")]),
    );
    // 教育局's projects: three in one workbook last year, one per file this year.
    write_projects(
        &prior.join("教育局项目.xlsx"),
        2023,
        &[
            project("校园安全改造", "≥10所"),
            project("教师培训", "≥20所"),
            project("学生资助", "≥30所"),
        ],
    );
    write_projects(
        &current.join("项目/安全.xlsx"),
        2024,
        &[project("校园安全改造", "≥12所")],
    );
    write_projects(
        &current.join("项目/培训.xlsx"),
        2024,
        &[project("教师培训", "≥20所")],
    );
    (prior, current)
}

fn jixiao() -> Command {
    let mut c = Command::cargo_bin("jixiao").unwrap();
    c.timeout(std::time::Duration::from_secs(60));
    c
}

/// Runs `collect CURRENT --prior PRIOR -o summary.xlsx --json all.json`: (exit code, stderr).
fn collect(root: &Path, current: &Path, prior: &Path) -> (i32, String) {
    let out = jixiao()
        .arg("collect")
        .arg(current)
        .arg("--prior")
        .arg(prior)
        .arg("-o")
        .arg(root.join("summary.xlsx"))
        .arg("--json")
        .arg(root.join("all.json"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::Float(f) => format!("{f}"),
        other => other.to_string(),
    }
}

/// A cell that must be a number (a count written as a number, not as text).
fn number(d: &Data) -> usize {
    match d {
        Data::Float(f) => *f as usize,
        other => panic!("not a number: {other:?}"),
    }
}

/// The list of a titled sheet: (header, rows under it).
fn list(rows: &[Vec<Data>]) -> (Vec<String>, Vec<Vec<Data>>) {
    let at = rows
        .iter()
        .position(|r| r.first().map(text).as_deref() == Some("序号"))
        .expect("a 序号 header");
    (
        rows[at].iter().map(text).collect(),
        rows[at + 1..]
            .iter()
            .filter(|r| !text(&r[0]).is_empty())
            .cloned()
            .collect(),
    )
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("{name} in {header:?}"))
}

fn json(root: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(root.join("all.json")).unwrap()).unwrap()
}

/// The JSON pair of a unit and project (`None` for its 部门整体 table).
fn pair<'a>(j: &'a Value, dept: &str, project: Option<&str>) -> &'a Value {
    j["prior"]["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["department"] == dept && p["project"].as_str() == project)
        .unwrap_or_else(|| panic!("pair {dept} {project:?}"))
}

#[test]
fn two_years_of_folders_pair_and_count() {
    let dir = tempfile::tempdir().unwrap();
    let (prior, current) = two_years(dir.path());
    let (code, stderr) = collect(dir.path(), &current, &prior);
    if std::env::var("KEEP").is_ok() {
        let _ = std::process::Command::new("cp")
            .arg("-r")
            .arg(dir.path())
            .arg("/tmp/yo/")
            .status();
    }
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("已写入"), "{stderr}");
    assert!(
        stderr.contains("年度对比：两年都有 4 张表（目标降低 1，上年目标未达成 1，复制上年 2），仅本年 1，仅上年 2"),
        "{stderr}"
    );

    let j = json(dir.path());
    // The existing keys are kept.
    assert_eq!(j["schema"], "jixiao.collection/1");
    assert_eq!(j["files"].as_array().unwrap().len(), 5);
    assert_eq!(j["tables"].as_array().unwrap().len(), 5);
    assert_eq!(j["prior"]["files"].as_array().unwrap().len(), 6);
    let pairs = j["prior"]["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 4, "{pairs:#?}");

    // 教育局: renamed file, one lowered target, one not attained, one added.
    let edu = pair(&j, EDU, None);
    assert!(edu["prior"]["path"]
        .as_str()
        .unwrap()
        .ends_with("教育局2023.xlsx"));
    assert!(edu["current"]["path"]
        .as_str()
        .unwrap()
        .ends_with("临沂市教育局-部门整体绩效目标表.xlsx"));
    assert_eq!(edu["diff"]["summary"]["added"], 1);
    assert_eq!(edu["diff"]["schema"], "jixiao.diff/1");
    let lowered = edu["lowered"].as_array().unwrap();
    assert_eq!(lowered.len(), 1, "{lowered:#?}");
    assert_eq!(lowered[0]["indicator"], "校舍安全排查学校数");
    assert_eq!(lowered[0]["prior_target"], "120所");
    assert_eq!(lowered[0]["below_prior_target"], true);
    assert_eq!(lowered[0]["below_prior_actual"], true);
    assert_eq!(edu["attainment"]["met"], 2);
    assert_eq!(edu["attainment"]["not_met"], 1);
    let unmet = &edu["attainment"]["not_met_indicators"][0];
    assert_eq!(unmet["indicator"], "课程改革实验学校数");
    assert_eq!(
        (unmet["target"].as_str(), unmet["actual"].as_str()),
        (Some("20所"), Some("15所"))
    );
    assert_eq!(edu["copied_forward"], false);

    // 财政局: copied forward, its only change the year in a name.
    let fin = pair(&j, FIN, None);
    assert_eq!(fin["copied_forward"], true, "{fin:#?}");
    assert_eq!(fin["diff"]["summary"]["renamed"], 1);
    assert!(fin["lowered"].as_array().unwrap().is_empty());

    // The projects of one workbook last year, one per file this year.
    let safety = pair(&j, EDU, Some("校园安全改造"));
    assert_eq!(safety["prior"]["sheet"], "校园安全改造");
    assert!(safety["current"]["path"]
        .as_str()
        .unwrap()
        .ends_with("安全.xlsx"));
    assert_eq!(safety["diff"]["summary"]["modified"], 1);
    assert_eq!(safety["copied_forward"], false);
    let training = pair(&j, EDU, Some("教师培训"));
    assert!(training["current"]["path"]
        .as_str()
        .unwrap()
        .ends_with("培训.xlsx"));
    assert_eq!(training["copied_forward"], true);

    // One unit missing in each year, and a project dropped by a unit still there.
    let only_current = j["prior"]["only_current"].as_array().unwrap();
    assert_eq!(only_current.len(), 1);
    assert_eq!(only_current[0]["department"], TRANSPORT);
    assert_eq!(only_current[0]["reason"], "上年未报送");
    assert_eq!(only_current[0]["absence"], "unit_missing");
    let only_prior = j["prior"]["only_prior"].as_array().unwrap();
    let reasons: Vec<(&str, &str)> = only_prior
        .iter()
        .map(|o| {
            (
                o["project"].as_str().or(o["department"].as_str()).unwrap(),
                o["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(reasons.contains(&(HEALTH, "本年未报送")), "{reasons:?}");
    assert!(reasons.contains(&("学生资助", "本年无此表")), "{reasons:?}");

    // 年度对比: one row per pair, numbers as numbers, agreeing with the JSON.
    let summary = dir.path().join("summary.xlsx");
    let wb = open_workbook_auto(&summary).unwrap();
    assert_eq!(wb.sheet_names()[0], "年度对比");
    for name in [
        "目标完成汇总",
        "仅一年",
        "汇总",
        "文件清单",
        "变更明细",
        "上年文件清单",
    ] {
        assert!(wb.sheet_names().contains(&name.to_string()), "{name}");
    }
    let rows = sheet(&summary, "年度对比");
    assert!(
        text(&rows[0][0]).starts_with("年度对比：2024年与2023年"),
        "{:?}",
        rows[0]
    );
    let (header, body) = list(&rows);
    assert_eq!(body.len(), 4);
    let c = |n: &str| col(&header, n);
    for row in &body {
        let dept = text(&row[c("单位")]);
        let project = Some(text(&row[c("项目")])).filter(|p| !p.is_empty());
        let p = pair(&j, &dept, project.as_deref());
        let s = &p["diff"]["summary"];
        for (label, key) in [
            ("新增", "added"),
            ("删除", "removed"),
            ("更名", "renamed"),
            ("移动", "moved"),
            ("修改", "modified"),
            ("未变指标", "unchanged"),
        ] {
            assert_eq!(
                number(&row[c(label)]),
                s[key].as_u64().unwrap() as usize,
                "{dept} {label}"
            );
        }
        assert_eq!(
            number(&row[c("目标降低")]),
            p["lowered"].as_array().unwrap().len()
        );
        assert_eq!(
            number(&row[c("上年目标未达成")]),
            p["attainment"]["not_met"].as_u64().unwrap() as usize
        );
        assert_eq!(
            text(&row[c("复制上年")]) == "是",
            p["copied_forward"] == true,
            "{dept} {project:?}"
        );
        assert_eq!(
            text(&row[c("本年文件")]),
            p["current"]["path"].as_str().unwrap()
        );
        assert_eq!(
            text(&row[c("上年文件")]),
            p["prior"]["path"].as_str().unwrap()
        );
    }
    let edu_row = body
        .iter()
        .find(|r| text(&r[c("单位")]) == EDU && text(&r[c("项目")]).is_empty())
        .unwrap();
    assert!(text(&edu_row[c("降低的目标")])
        .contains("校舍安全排查学校数 100所（上年目标 120所，上年实际 125所）"));
    let fin_row = body.iter().find(|r| text(&r[c("单位")]) == FIN).unwrap();
    assert_eq!(text(&fin_row[c("复制上年")]), "是");

    // Each row links to its changes on 变更明细 (or, without changes, to 文件清单).
    let bytes = std::fs::read(&summary).unwrap();
    let links = hyperlinks(&unzip(&bytes, "xl/worksheets/sheet1.xml"));
    let detail = sheet(&summary, "变更明细");
    let files = sheet(&summary, "文件清单");
    let link_col = crate_col_letter(c("明细"));
    for (k, row) in body.iter().enumerate() {
        let at = format!("{link_col}{}", 4 + k);
        let target = links
            .get(&at)
            .unwrap_or_else(|| panic!("a link at {at}: {links:?}"));
        let (sheet_name, cell) = target.rsplit_once('!').unwrap();
        let r: usize = cell[1..].parse().unwrap();
        let dept = text(&row[c("单位")]);
        let project = Some(text(&row[c("项目")])).filter(|p| !p.is_empty());
        let p = pair(&j, &dept, project.as_deref());
        if p["diff"]["changes"].as_array().unwrap().is_empty() {
            // No change: the link goes to the table's line of 文件清单.
            assert_eq!(sheet_name, "'文件清单'", "{target}");
            assert_eq!(text(&files[r - 1][0]), text(&row[c("本年文件")]));
        } else {
            // The linked row is the pair's first change: its 表格 names the pair.
            assert_eq!(sheet_name, "'变更明细'", "{target}");
            let label = text(&detail[r - 1][0]);
            assert!(label.starts_with(&dept), "{label} for {row:?}");
            if let Some(project) = &project {
                assert!(label.ends_with(project.as_str()), "{label}");
            }
            assert_ne!(
                text(&detail[r - 2][0]),
                label,
                "the first change of {label}"
            );
        }
    }

    // 目标完成汇总: per unit, the unattained indicator named.
    let (header, body) = list(&sheet(&summary, "目标完成汇总"));
    let edu = body
        .iter()
        .find(|r| text(&r[col(&header, "单位")]) == EDU)
        .unwrap();
    assert_eq!(number(&edu[col(&header, "表数")]), 3);
    assert_eq!(number(&edu[col(&header, "达成")]), 2);
    assert_eq!(number(&edu[col(&header, "未达成")]), 1);
    assert!(text(&edu[col(&header, "未达成的指标")])
        .contains("课程改革实验学校数（上年目标 20所，上年实际 15所）"));

    // 仅一年: the unit of each year with its file, as the JSON has them.
    let (header, body) = list(&sheet(&summary, "仅一年"));
    assert_eq!(body.len(), 3);
    let seen: Vec<(String, String, String)> = body
        .iter()
        .map(|r| {
            (
                text(&r[col(&header, "单位")]),
                text(&r[col(&header, "说明")]),
                text(&r[col(&header, "文件")]),
            )
        })
        .collect();
    for o in only_current.iter().chain(only_prior) {
        let want = (
            o["department"].as_str().unwrap().to_string(),
            o["reason"].as_str().unwrap().to_string(),
            o["path"].as_str().unwrap().to_string(),
        );
        assert!(seen.contains(&want), "{want:?} in {seen:?}");
    }
}

/// `A`, `B`, … of a 0-based column (the sheets here are narrower than 26 columns).
fn crate_col_letter(c: usize) -> char {
    (b'A' + c as u8) as char
}

#[test]
fn exit_codes_with_a_prior_year() {
    let dir = tempfile::tempdir().unwrap();
    let (prior, current) = two_years(dir.path());
    // A file of last year that cannot be read: the batch finishes, exit 1, named on stderr.
    std::fs::write(prior.join("水利局.xlsx"), b"not a workbook").unwrap();
    let (code, stderr) = collect(dir.path(), &current, &prior);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("水利局.xlsx: 无法读取"), "{stderr}");
    assert!(dir.path().join("summary.xlsx").exists());
    let (header, body) = list(&sheet(&dir.path().join("summary.xlsx"), "年度对比"));
    assert_eq!(body.len(), 4, "{header:?}");

    // Nothing of last year readable: exit 2, nothing written.
    let empty = dir.path().join("empty-prior");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(empty.join("a.xlsx"), b"not a workbook").unwrap();
    let out = dir.path().join("out2");
    std::fs::create_dir_all(&out).unwrap();
    let (code, stderr) = collect(&out, &current, &empty);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("上年共 1 个文件，没有一张可读取的表格"),
        "{stderr}"
    );
    assert!(!out.join("summary.xlsx").exists());
    assert!(!out.join("all.json").exists());

    // A prior folder without workbooks, or one that does not exist: misuse, exit 2.
    let none = dir.path().join("no-workbooks");
    std::fs::create_dir_all(&none).unwrap();
    assert_eq!(collect(&out, &current, &none).0, 2);
    assert_eq!(collect(&out, &current, &dir.path().join("missing")).0, 2);
    assert!(!out.join("summary.xlsx").exists());
}

/// `diff PRIOR_DIR CURRENT_DIR` pairs the folders as `collect --prior` does:
/// the same pairs, the same changes.
#[test]
fn diff_of_two_folders_pairs_as_collect_prior() {
    let dir = tempfile::tempdir().unwrap();
    let (prior, current) = two_years(dir.path());
    assert_eq!(collect(dir.path(), &current, &prior).0, 0);
    let j = json(dir.path());

    let out = jixiao()
        .arg("diff")
        .arg(&prior)
        .arg(&current)
        .arg("-o")
        .arg(dir.path().join("diff.xlsx"))
        .arg("--json")
        .arg(dir.path().join("diff.json"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("diff.json")).unwrap()).unwrap();
    assert_eq!(d["schema"], "jixiao.diffs/1");
    let diffs = d["diffs"].as_array().unwrap();
    let both: Vec<&Value> = diffs
        .iter()
        .filter(|r| r["prior"]["path"] != "" && r["current"]["path"] != "")
        .collect();
    let pairs = j["prior"]["pairs"].as_array().unwrap();
    assert_eq!(both.len(), pairs.len());
    let added_tables = j["prior"]["only_current"].as_array().unwrap().len();
    let removed_tables = j["prior"]["only_prior"].as_array().unwrap().len();
    assert_eq!(diffs.len(), pairs.len() + added_tables + removed_tables);
    for p in pairs {
        let same = both
            .iter()
            .find(|r| {
                r["prior"]["path"] == p["prior"]["path"]
                    && r["current"]["path"] == p["current"]["path"]
                    && r["changes"] == p["diff"]["changes"]
            })
            .unwrap_or_else(|| {
                panic!(
                    "diff has the pair {} → {}",
                    p["prior"]["path"], p["current"]["path"]
                )
            });
        assert_eq!(same["summary"], p["diff"]["summary"]);
    }
    // The diff workbook of every pair at once.
    let mut wb = open_workbook_auto(dir.path().join("diff.xlsx")).unwrap();
    assert!(wb.sheet_names().contains(&"变更汇总".to_string()));
    let changes = wb.worksheet_range("变更明细").unwrap();
    assert!(changes.height() > 3);
}
