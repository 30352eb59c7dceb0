//! The commands on 项目支出 tables: workbooks of several projects, folders of either template, blank project templates.
//!
//! Every workbook is built here with rust_xlsxwriter in the published layout
//! (template-project-target.md): a form block (rows 3–10) above a 一级/二级/三级
//! grid, one project per sheet.

use crate::common::jixiao;
use calamine::{open_workbook_auto, Data, Reader};
use rust_xlsxwriter::{Format, Workbook, Worksheet};
use serde_json::Value;
use std::path::{Path, PathBuf};

const DEPT: &str = "临沂市教育局";

/// One project's content.
#[derive(Clone)]
struct Project {
    sheet: &'static str,
    name: &'static str,
    unit: &'static str,
    /// (一级, 二级, 三级, 指标值)
    indicators: Vec<(&'static str, &'static str, &'static str, String)>,
}

fn projects() -> Vec<Project> {
    let ind = |l1, l2, name, v: &str| (l1, l2, name, v.to_string());
    vec![
        Project {
            sheet: "临沂一中",
            name: "中小学校园安全设施改造",
            unit: "临沂市第一中学",
            indicators: vec![
                ind("产出指标", "数量指标", "改造学校数量", "≥12所"),
                ind("产出指标", "质量指标", "安防设施验收合格率", "100%"),
                ind("效益指标", "社会效益指标", "校园治安案件发生数", "0起"),
                ind(
                    "满意度指标",
                    "服务对象满意度指标",
                    "师生及家长满意度",
                    "≥90%",
                ),
            ],
        },
        Project {
            sheet: "教师发展中心",
            name: "中小学教师全员培训",
            unit: "临沂市教师发展中心",
            indicators: vec![
                ind("产出指标", "数量指标", "培训教师人次", "≥3500人次"),
                ind("产出指标", "时效指标", "培训任务完成时间", "12月底前"),
                ind("效益指标", "社会效益指标", "教师专业能力", "有所提升"),
                ind("满意度指标", "服务对象满意度指标", "参训教师满意度", "≥90%"),
            ],
        },
        Project {
            sheet: "学生资助中心",
            name: "家庭经济困难学生资助",
            unit: "临沂市学生资助管理中心",
            indicators: vec![
                ind("产出指标", "数量指标", "资助学生人数", "≥8500人"),
                ind("产出指标", "质量指标", "资助对象认定准确率", "100%"),
                ind("效益指标", "社会效益指标", "因贫失学辍学学生人数", "0人"),
                ind(
                    "满意度指标",
                    "服务对象满意度指标",
                    "受助学生及家长满意度",
                    "≥95%",
                ),
            ],
        },
    ]
}

/// Writes one project table from the top of a sheet (official layout, columns A–G).
fn write_project(ws: &mut Worksheet, year: i32, p: &Project) {
    let f = Format::new();
    let s = |ws: &mut Worksheet, r: u32, c: u16, t: &str| {
        ws.write_string(r, c, t).unwrap();
    };
    ws.merge_range(0, 0, 0, 6, &format!("{year}年度项目支出绩效目标表"), &f)
        .unwrap();
    s(ws, 1, 6, "金额单位：万元");
    s(ws, 2, 0, "项目名称");
    ws.merge_range(2, 1, 2, 6, p.name, &f).unwrap();
    s(ws, 3, 0, "主管部门及代码");
    ws.merge_range(3, 1, 3, 3, &format!("[015001]{DEPT}"), &f)
        .unwrap();
    s(ws, 3, 4, "实施单位");
    ws.merge_range(3, 5, 3, 6, p.unit, &f).unwrap();
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
    ws.merge_range(9, 1, 9, 6, &format!("1.按计划完成{}。", p.name), &f)
        .unwrap();
    let last = 10 + p.indicators.len() as u32;
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
    for (k, (l1, l2, name, v)) in p.indicators.iter().enumerate() {
        let r = 11 + k as u32;
        s(ws, r, 1, l1);
        s(ws, r, 2, l2);
        s(ws, r, 3, name);
        if !v.is_empty() {
            s(ws, r, 4, v);
        }
        s(ws, r, 5, "计划标准");
    }
}

/// A workbook of these projects, one sheet each.
fn projects_workbook(path: &Path, year: i32, ps: &[Project]) {
    let mut wb = Workbook::new();
    for p in ps {
        let ws = wb.add_worksheet();
        ws.set_name(p.sheet).unwrap();
        write_project(ws, year, p);
    }
    wb.save(path).unwrap();
}

/// A dept-overall workbook (the reader tests' table: 3 duties, 5 indicators).
fn dept_workbook(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(
        0,
        0,
        0,
        12,
        &format!("2024年{DEPT}部门预算整体绩效目标表"),
        &Format::new(),
    )
    .unwrap();
    crate::common::official_header(ws, 2);
    crate::common::write_duties(ws, 5, crate::common::DutyStyle::Merged);
    wb.save(path).unwrap();
}

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes));
    })
}

/// Every row of a sheet as text.
/// A list sheet's rows as text, from its header (under the sheet's title row).
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .skip(1)
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) => format!("{f}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn sheet_names(path: &Path) -> Vec<String> {
    open_workbook_auto(path).unwrap().sheet_names().to_vec()
}

fn three(dir: &Path) -> PathBuf {
    let p = dir.join("教育局项目.xlsx");
    projects_workbook(&p, 2024, &projects());
    p
}

#[test]
fn import_of_three_projects_refuses_with_the_list_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let p = three(dir.path());
    let out = jixiao().arg("import").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        format!(
            "{}: 工作簿中有 3 张表：临沂一中（中小学校园安全设施改造）、教师发展中心（中小学教师全员培训）、学生资助中心（家庭经济困难学生资助），请用 --sheet 或 --table 指定，或用 --all 全部导入\n",
            p.display()
        )
    );
}

#[test]
fn import_table_n_and_all() {
    let dir = tempfile::tempdir().unwrap();
    let p = three(dir.path());
    let out = jixiao()
        .args(["import", "--table", "2"])
        .arg(&p)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let t = json_of(&out);
    assert_eq!(t["schema"], "jixiao.table/1");
    assert_eq!(t["template"], "project-target");
    assert_eq!(t["form"]["name"], "中小学教师全员培训");
    assert_eq!(t["source"]["sheet"], "教师发展中心");
    assert_eq!(t["indicators"].as_array().unwrap().len(), 4);
    assert_eq!(t["indicators"][0]["level1"], "产出指标");
    assert_eq!(t["indicators"][0]["value"], "≥3500人次");

    // --sheet narrows the workbook to one table.
    let out = jixiao()
        .args(["import", "--sheet", "学生资助中心"])
        .arg(&p)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_of(&out)["form"]["name"], "家庭经济困难学生资助");

    let json = dir.path().join("all.json");
    jixiao()
        .args(["import", "--all"])
        .arg(&p)
        .arg("-o")
        .arg(&json)
        .assert()
        .success();
    let w = json_of(&std::fs::read(&json).unwrap());
    assert_eq!(w["schema"], "jixiao.workbook/1");
    let names: Vec<&str> = w["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["form"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "中小学校园安全设施改造",
            "中小学教师全员培训",
            "家庭经济困难学生资助"
        ]
    );

    // Past the last table: exit 2, one line.
    let out = jixiao()
        .args(["import", "--table", "4"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("没有第 4 张表"), "{err}");
    // A named template restricts reading to it: no dept-overall table here.
    jixiao()
        .args(["import", "--template", "dept-overall", "--all"])
        .arg(&p)
        .assert()
        .code(2);
}

#[test]
fn validate_and_restyle_take_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut ps = projects();
    // The second project lacks one value: an error on its sheet only.
    ps[1].indicators[1].3.clear();
    let p = dir.path().join("教育局项目.xlsx");
    projects_workbook(&p, 2024, &ps);

    let marked = dir.path().join("marked.xlsx");
    let report = dir.path().join("report.json");
    let out = jixiao()
        .arg("validate")
        .arg(&p)
        .arg("-o")
        .arg(&marked)
        .arg("--json")
        .arg(&report)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{text}");
    for (k, p) in projects().iter().enumerate() {
        assert!(
            text.contains(&format!("== 表 {}/3：{}（{}） ==", k + 1, p.sheet, p.name)),
            "{text}"
        );
    }
    let v = json_of(&std::fs::read(&report).unwrap());
    assert_eq!(v["schema"], "jixiao.validations/1");
    let reports = v["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 3);
    let errors: Vec<u64> = reports
        .iter()
        .map(|r| r["errors"].as_u64().unwrap())
        .collect();
    assert!(errors[1] >= 1, "{v:#}");
    let missing = reports[1]["issues"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "missing_value" && i["cell"] == "E13")
        .unwrap_or_else(|| panic!("missing_value at E13: {:#}", reports[1]));
    assert_eq!(missing["sheet"], "教师发展中心");
    assert_eq!(missing["level1"], "产出指标");
    assert_eq!(missing["level2"], "时效指标");
    assert_eq!(errors[0], 0, "{:#}", reports[0]);
    assert_eq!(errors[2], 0, "{:#}", reports[2]);
    // One marked sheet per table, and the findings sheet.
    // (and 其他内容 for the cells outside the tables: the unit lines).
    let names = sheet_names(&marked);
    let sheets: Vec<&str> = projects().iter().map(|p| p.sheet).collect();
    assert_eq!(&names[..3], &sheets[..], "{names:?}");
    assert!(names.iter().any(|n| n == "校验结果"), "{names:?}");

    // restyle: one official sheet per table, content unchanged.
    let official = dir.path().join("official.xlsx");
    jixiao()
        .arg("restyle")
        .arg(&p)
        .arg("-o")
        .arg(&official)
        .assert()
        .success();
    assert!(sheet_names(&official).len() >= 3);
    let out = jixiao()
        .args(["import", "--all"])
        .arg(&official)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let again = json_of(&out);
    let tables = again["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 3);
    for (t, p) in tables.iter().zip(&ps) {
        assert_eq!(t["form"]["name"], p.name);
        assert_eq!(t["form"]["unit"], p.unit);
        let got: Vec<(&str, &str)> = t["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| (i["name"].as_str().unwrap(), i["value"].as_str().unwrap()))
            .collect();
        let want: Vec<(&str, &str)> = p
            .indicators
            .iter()
            .map(|(_, _, n, v)| (*n, v.as_str()))
            .collect();
        assert_eq!(got, want);
    }
}

#[test]
fn project_template_with_and_without_from() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank.xlsx");
    jixiao()
        .args([
            "template",
            "--template",
            "project-target",
            "--year",
            "2025",
            "--department",
            DEPT,
            "--project",
            "校园食堂改造",
            "-o",
        ])
        .arg(&blank)
        .assert()
        .success();
    let out = jixiao()
        .args(["import", "--template", "project-target"])
        .arg(&blank)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let t = json_of(&out);
    assert_eq!(t["template"], "project-target");
    assert_eq!(t["year"], 2025);
    assert_eq!(t["form"]["name"], "校园食堂改造");
    assert_eq!(t["indicators"].as_array().unwrap().len(), 0);

    // --project on a template without a project field is misuse.
    let out = jixiao()
        .args([
            "template",
            "--year",
            "2025",
            "--department",
            DEPT,
            "--project",
            "x",
            "-o",
        ])
        .arg(dir.path().join("no.xlsx"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("no.xlsx").exists());

    // --from: the prior's template and table (the N-th), rolled forward.
    let prior = three(dir.path());
    let rolled = dir.path().join("rolled.xlsx");
    let out = jixiao()
        .args(["template", "--year", "2025", "--department", DEPT, "--from"])
        .arg(&prior)
        .arg("-o")
        .arg(&rolled)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "several tables need --table");
    assert!(String::from_utf8_lossy(&out.stderr).contains("工作簿中有 3 张表"));
    jixiao()
        .args(["template", "--year", "2025", "--department", DEPT, "--from"])
        .arg(&prior)
        .args([
            "--table",
            "3",
            "--project",
            "家庭经济困难学生资助（2025）",
            "-o",
        ])
        .arg(&rolled)
        .assert()
        .success();
    let out = jixiao()
        .arg("import")
        .arg(&rolled)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let t = json_of(&out);
    assert_eq!(t["template"], "project-target");
    assert_eq!(t["year"], 2025);
    assert_eq!(t["form"]["name"], "家庭经济困难学生资助（2025）");
    assert_eq!(t["form"]["unit"], "临沂市学生资助管理中心");
    assert_eq!(t["form"]["funds_total"], "");
    let inds = t["indicators"].as_array().unwrap();
    assert_eq!(inds.len(), 4);
    assert_eq!(inds[0]["name"], "资助学生人数");
    assert_eq!(inds[0]["level2"], "数量指标");
    assert!(inds.iter().all(|i| i["value"] == ""), "{inds:?}");
}

#[test]
fn collect_reads_every_table_of_a_mixed_folder() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    dept_workbook(&inbox.join("部门整体.xlsx"));
    projects_workbook(&inbox.join("项目.xlsx"), 2024, &projects());
    let out = dir.path().join("summary.xlsx");
    let json = dir.path().join("all.json");
    let a = jixiao()
        .arg("collect")
        .arg(&inbox)
        .arg("-o")
        .arg(&out)
        .arg("--json")
        .arg(&json)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&a.stderr);
    assert!(
        a.status.code() == Some(0) || a.status.code() == Some(1),
        "{stderr}"
    );
    assert!(stderr.contains("共 2 个文件（4 张表）"), "{stderr}");

    let v = json_of(&std::fs::read(&json).unwrap());
    let tables = v["tables"].as_array().unwrap();
    let templates: Vec<&str> = tables
        .iter()
        .map(|t| t["template"].as_str().unwrap())
        .collect();
    assert_eq!(
        templates,
        [
            "dept-overall",
            "project-target",
            "project-target",
            "project-target"
        ]
    );
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 4);
    assert_eq!(files[2]["sheet"], "教师发展中心");
    assert_eq!(files[2]["project"], "中小学教师全员培训");
    assert_eq!(files[2]["rows"], serde_json::json!([11, 15]));

    // 文件清单: one line per table, each project's sheet on its own line.
    let list = sheet(&out, "文件清单");
    let lines: Vec<&Vec<String>> = list[1..].iter().filter(|r| !r[0].is_empty()).collect();
    assert_eq!(lines.len(), 4, "{list:?}");
    assert_eq!(
        lines.iter().filter(|r| r[0].ends_with("项目.xlsx")).count(),
        3
    );
    for p in projects() {
        assert_eq!(
            lines
                .iter()
                .filter(|r| r.iter().any(|c| c == p.sheet))
                .count(),
            1,
            "{} on one line: {list:?}",
            p.sheet
        );
    }
}

#[test]
fn diff_of_two_folders_pairs_the_projects_whatever_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let prior = dir.path().join("2023");
    let current = dir.path().join("2024");
    std::fs::create_dir(&prior).unwrap();
    std::fs::create_dir(&current).unwrap();
    // Last year: one workbook of three sheets.
    projects_workbook(&prior.join("教育局项目.xlsx"), 2023, &projects());
    // This year: one file per project, in another order and under other names,
    // the training project's 培训教师人次 raised.
    let mut ps = projects();
    ps[1].indicators[0].3 = "≥4000人次".into();
    for (file, k) in [("a.xlsx", 2), ("b.xlsx", 0), ("c.xlsx", 1)] {
        projects_workbook(&current.join(file), 2024, &ps[k..=k]);
    }
    let json = dir.path().join("changes.json");
    let out = jixiao()
        .arg("diff")
        .arg(&prior)
        .arg(&current)
        .arg("--json")
        .arg(&json)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(text.matches("== 第 ").count(), 3, "{text}");
    let v = json_of(&std::fs::read(&json).unwrap());
    assert_eq!(v["schema"], "jixiao.diffs/1");
    let diffs = v["diffs"].as_array().unwrap();
    assert_eq!(diffs.len(), 3, "{v:#}");
    let mut modified = 0;
    for d in diffs {
        let s = &d["summary"];
        assert_eq!(s["added"], 0, "{d:#}");
        assert_eq!(s["removed"], 0, "{d:#}");
        let m = s["modified"].as_u64().unwrap();
        if m > 0 {
            modified += 1;
            assert!(d["current"]["path"].as_str().unwrap().ends_with("c.xlsx"));
            let c = &d["changes"][0];
            assert_eq!(c["indicator"], "培训教师人次");
            assert_eq!(c["old"], "≥3500人次");
            assert_eq!(c["new"], "≥4000人次");
        }
    }
    assert_eq!(modified, 1, "{v:#}");

    // One pair (a single file on each side): the diff JSON as for dept-overall.
    let json = dir.path().join("one.json");
    jixiao()
        .arg("diff")
        .arg("--sheet")
        .arg("教师发展中心")
        .arg(prior.join("教育局项目.xlsx"))
        .arg(current.join("c.xlsx"))
        .arg("--json")
        .arg(&json)
        .assert()
        .success();
    let v = json_of(&std::fs::read(&json).unwrap());
    assert_eq!(v["schema"], "jixiao.diff/1");
    assert_eq!(v["summary"]["modified"], 1);
}
