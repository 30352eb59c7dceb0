//! `jixiao collect`: a folder of submissions lands in the right sheets with the right status.

use assert_cmd::Command;
use calamine::{open_workbook_auto, Data, Reader};
use jixiao::model::Table;
use jixiao::template::Template;
use std::path::Path;

/// A small table of one department: `duties` duties of 2 indicators each.
fn table(dept: &str, year: i32, duties: u32) -> Table {
    let t = Template::default_template();
    let mut table = Table::new(t.shape());
    table.title = t.title(year, dept);
    table.year = Some(year);
    table.department = Some(dept.into());
    let shape = t.shape();
    let g = |k: &str| shape.group_field(k).unwrap();
    let f = |k: &str| shape.indicator_field(k).unwrap();
    for d in 1..=duties {
        let mut duty = table.new_group(0);
        duty.rows = [0, 0];
        duty.values[g("seq")] = d.to_string();
        duty.values[g("duty_name")] = format!("职责{d}");
        duty.values[g("objective")] = format!("职责{d}的目标。");
        duty.indicators = (1..=2)
            .map(|k| {
                let mut i = table.new_indicator(0);
                for (key, v) in [
                    ("name", format!("指标{d}-{k}完成率")),
                    ("explanation", "反映工作完成情况。".into()),
                    ("annual_value", "90%".into()),
                    ("planned_value", "/".into()),
                    ("standard_value", "90%".into()),
                    ("standard_source", "工作计划".into()),
                    ("history_avg3", "85%".into()),
                    ("history_last", "88%".into()),
                    ("history_source", "内部统计".into()),
                    ("activities", "开展工作。".into()),
                ] {
                    i.values[f(key)] = v;
                }
                i
            })
            .collect();
        table.groups.push(duty);
    }
    table
}

fn write(path: &Path, t: &Table) {
    let bytes = jixiao::write::official_workbook(&[(t, &Template::default_template())]).unwrap();
    std::fs::write(path, bytes).unwrap();
}

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

#[test]
fn folder_with_good_broken_erroneous_duplicate_and_lock_files() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(inbox.join("sub")).unwrap();
    write(&inbox.join("教育局.xlsx"), &table("临沂市教育局", 2023, 3)); // 6 indicators
    write(
        &inbox.join("sub/财政局.xlsx"),
        &table("临沂市财政局", 2023, 2),
    ); // 4
    let mut bad = table("临沂市卫健委", 2023, 1); // 2, one annual value empty
    let annual = bad.shape.indicator_field("annual_value").unwrap();
    bad.groups[0].indicators[1].values[annual].clear();
    write(&inbox.join("卫健委.xlsx"), &bad);
    write(
        &inbox.join("教育局-副本.xlsx"),
        &table("临沂市教育局", 2023, 1),
    ); // 2, duplicate dept
    std::fs::write(inbox.join("交通局.xlsx"), b"this is not a workbook").unwrap();
    std::fs::write(inbox.join("~$教育局.xlsx"), b"lock").unwrap();
    write(&inbox.join(".hidden.xlsx"), &table("隐藏", 2023, 1));
    std::fs::write(inbox.join("说明.txt"), b"readme").unwrap();

    let out = dir.path().join("summary.xlsx");
    let json = dir.path().join("all.json");
    let assert = Command::cargo_bin("jixiao")
        .unwrap()
        .args([
            "collect",
            inbox.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--json",
        ])
        .arg(&json)
        .args(["-j", "2"])
        .timeout(std::time::Duration::from_secs(60))
        .assert();
    // One file could not be read: exit 1 (was 2 before cli.md's exit codes of
    // collect: 2 is now only misuse or nothing readable), and the batch still
    // completed; stderr names each file that needs a look with its reason.
    let stderr = String::from_utf8_lossy(&assert.code(1).get_output().stderr).into_owned();
    assert!(
        stderr.contains("交通局.xlsx: 无法读取，不是 Excel"),
        "{stderr}"
    );
    assert!(
        stderr.contains("共 5 个文件：已导入 3，有错误 1，无法读取 1"),
        "{stderr}"
    );

    // Each list sheet opens with a title row saying what it lists, the header under it.
    assert_eq!(title(&out, "文件清单")[0], "文件清单（5 个文件，5 行）");
    assert_eq!(
        title(&out, "汇总")[0],
        "报送汇总：部门预算整体绩效目标表（4 个文件，14 个指标）"
    );
    assert!(title(&out, "问题清单")[0].starts_with("问题清单：4 张表的校验结果（错误 1 项"));
    for name in ["文件清单", "汇总", "问题清单"] {
        assert!(
            title(&out, name)[1..].iter().all(String::is_empty),
            "{name}: one merged title"
        );
    }
    let files = sheet(&out, "文件清单");
    assert_eq!(files[0][0], "文件");
    let rows: Vec<&Vec<String>> = files[1..].iter().collect();
    assert_eq!(
        rows.len(),
        5,
        "lock, hidden and non-workbook files are skipped: {rows:?}"
    );
    let status = |suffix: &str| {
        rows.iter()
            .find(|r| r[0].ends_with(suffix))
            .unwrap_or_else(|| panic!("{suffix} listed"))
            .to_vec()
    };
    assert_eq!(status("/教育局.xlsx")[7], "已导入");
    assert_eq!(status("/财政局.xlsx")[7], "已导入");
    assert_eq!(status("/卫健委.xlsx")[7], "有错误");
    assert_eq!(status("/卫健委.xlsx")[5], "1");
    assert_eq!(status("/交通局.xlsx")[7], "无法读取");
    assert!(
        status("/交通局.xlsx")[8].contains("不是 Excel"),
        "{:?}",
        status("/交通局.xlsx")
    );
    // The duplicate department is reported on both files, not merged.
    assert!(status("/教育局.xlsx")[8].contains("教育局-副本.xlsx"));
    assert!(status("/教育局-副本.xlsx")[8].contains("同一单位同一年度"));

    // 汇总 holds exactly the sum of the tables: 6 + 4 + 2 + 2 indicators.
    let all = sheet(&out, "汇总");
    assert_eq!(&all[0][..3], &["单位", "年度", "职责序号"]);
    assert_eq!(all.len() - 1, 14);
    assert_eq!(all.iter().filter(|r| r[0] == "临沂市教育局").count(), 8);
    assert!(all.iter().any(|r| r[0] == "临沂市卫健委" && r[1] == "2023"));

    // 问题清单 lists the missing annual value with its file and cell.
    let issues = sheet(&out, "问题清单");
    let missing: Vec<_> = issues
        .iter()
        .filter(|r| r[3] == "必填项为空（missing_value）" && r[2] == "错误")
        .collect();
    assert_eq!(missing.len(), 1, "{issues:?}");
    assert!(missing[0][0].ends_with("卫健委.xlsx"));
    assert_eq!(missing[0][5], "F7");

    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["schema"], "jixiao.collection/1");
    assert_eq!(v["files"].as_array().unwrap().len(), 5);
    assert_eq!(v["tables"].as_array().unwrap().len(), 4);
}

#[test]
fn all_good_files_exit_zero_and_sequential_equals_parallel() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    for k in 0..6 {
        write(
            &inbox.join(format!("{k}.xlsx")),
            &table(&format!("单位{k}"), 2024, 2),
        );
    }
    let run = |jobs: &str, name: &str| {
        let json = dir.path().join(format!("{name}.json"));
        Command::cargo_bin("jixiao")
            .unwrap()
            .args(["collect", inbox.to_str().unwrap(), "-o"])
            .arg(dir.path().join(format!("{name}.xlsx")))
            .arg("--json")
            .arg(&json)
            .args(["-j", jobs])
            .assert()
            .code(0);
        std::fs::read_to_string(json).unwrap()
    };
    let a = run("1", "one");
    let b = run("2", "two");
    assert!(a.contains("单位5"));
    assert_eq!(a, b, "parallel collect gives the same result as -j 1");
}

#[test]
fn nothing_to_collect_is_an_error_without_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.xlsx");
    Command::cargo_bin("jixiao")
        .unwrap()
        .args([
            "collect",
            dir.path().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("没有找到表格文件"));
    assert!(!out.exists());
}

/// The raw cells of a sheet.
fn cells(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range.rows().skip(1).map(|r| r.to_vec()).collect()
}

/// A sheet's first row: its title.
fn title(path: &Path, name: &str) -> Vec<String> {
    let mut wb = open_workbook_auto(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    let first = range.rows().next().unwrap_or_default();
    first.iter().map(|c| c.to_string()).collect()
}

fn collect(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::cargo_bin("jixiao")
        .unwrap()
        .arg("collect")
        .args(args)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap()
}

fn os<S: AsRef<std::ffi::OsStr> + ?Sized>(s: &S) -> &std::ffi::OsStr {
    s.as_ref()
}

#[test]
fn nothing_readable_is_exit_2_and_nothing_written_errors_only_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::write(inbox.join("a.xlsx"), b"not a workbook").unwrap();
    let out = dir.path().join("s.xlsx");
    let o = collect(&[os(&inbox), os("-o"), os(&out)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("a.xlsx: 无法读取"), "{err}");
    assert!(!out.exists());

    // Every table read, one with errors: 1, and the summary written.
    std::fs::remove_file(inbox.join("a.xlsx")).unwrap();
    let mut bad = table("临沂市卫健委", 2023, 1);
    let annual = bad.shape.indicator_field("annual_value").unwrap();
    bad.groups[0].indicators[0].values[annual].clear();
    write(&inbox.join("卫健委.xlsx"), &bad);
    let o = collect(&[os(&inbox), os("-o"), os(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out.exists());
}

#[test]
fn collect_names_what_it_wrote_and_skips_its_own_outputs_wherever_they_lie() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(inbox.join("sub/deeper")).unwrap();
    write(&inbox.join("教育局.xlsx"), &table("临沂市教育局", 2023, 2));
    // A restyled table is a submission-to-be: read.
    write(
        &inbox.join("sub/财政局.xlsx"),
        &table("临沂市财政局", 2023, 1),
    );
    // A marked workbook (validate -o) is jixiao's report: skipped.
    let t = table("临沂市卫健委", 2023, 1);
    let tpl = Template::default_template();
    let report = jixiao::validate::validate(&t, &tpl, None);
    let marked = jixiao::write::marked_workbook(&[(&t, &report, &tpl)]).unwrap();
    std::fs::write(inbox.join("sub/deeper/卫健委-标注.xlsx"), marked).unwrap();

    let out = inbox.join("汇总.xlsx");
    let json = dir.path().join("all.json");
    for run in 0..2 {
        let o = collect(&[os(&inbox), os("-o"), os(&out), os("--json"), os(&json)]);
        let err = String::from_utf8_lossy(&o.stderr);
        // The second run finds the first run's summary in the folder: skipped, and replaced.
        assert_eq!(o.status.code(), Some(0), "run {run}: {err}");
        assert!(
            err.lines()
                .any(|l| l == format!("已写入 {}", out.display())),
            "{err}"
        );
        assert!(
            err.lines()
                .any(|l| l == format!("已写入 {}", json.display())),
            "{err}"
        );
        let files = sheet(&out, "文件清单");
        let status = |suffix: &str| -> String {
            files
                .iter()
                .find(|r| r[0].ends_with(suffix))
                .unwrap_or_else(|| panic!("{suffix}: {files:?}"))[7]
                .clone()
        };
        assert_eq!(status("/教育局.xlsx"), "已导入");
        assert_eq!(status("/财政局.xlsx"), "已导入");
        assert_eq!(status("/卫健委-标注.xlsx"), "已跳过");
        if run == 1 {
            assert_eq!(status("/汇总.xlsx"), "已跳过");
            assert!(err.contains("已跳过 2"), "{err}");
        }
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
        assert_eq!(v["tables"].as_array().unwrap().len(), 2, "run {run}");
    }
    // Writing to stdout names no file.
    let o = collect(&[os(&inbox), os("-o"), os(&out), os("--json"), os("-")]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.matches("已写入").count(), 1, "{err}");
}

#[test]
fn summary_counts_years_and_rows_are_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    write(&inbox.join("教育局.xlsx"), &table("临沂市教育局", 2023, 2));
    let out = dir.path().join("s.xlsx");
    let o = collect(&[os(&inbox), os("-o"), os(&out)]);
    assert_eq!(o.status.code(), Some(0));
    let files = cells(&out, "文件清单");
    // 年度, 职责数, 指标数, 错误, 警告.
    for (c, v) in files[1].iter().enumerate().take(7).skip(2) {
        assert!(
            matches!(v, Data::Float(_) | Data::Int(_)),
            "文件清单 column {c}: {v:?}"
        );
    }
    assert_eq!(files[1][2], Data::Float(2023.0));
    assert_eq!(files[1][4], Data::Float(4.0));
    let all = cells(&out, "汇总");
    let last = all[0].len() - 1;
    assert_eq!(all[0][last], Data::String("行号".into()));
    // 年度, 职责序号, 行号.
    for c in [1, 2, last] {
        assert!(
            matches!(all[1][c], Data::Float(_)),
            "汇总 column {c}: {:?}",
            all[1][c]
        );
    }
    assert_eq!(all[1][2], Data::Float(1.0));
}

#[test]
fn many_copies_of_one_submission_give_one_short_warning() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let t = table("临沂市教育局", 2023, 1);
    for k in 0..12 {
        write(&inbox.join(format!("副本{k:02}.xlsx")), &t);
    }
    write(&inbox.join("财政局.xlsx"), &table("临沂市财政局", 2023, 1));
    let out = dir.path().join("s.xlsx");
    let o = collect(&[os(&inbox), os("-o"), os(&out)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let dup: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("同一单位同一年度"))
        .collect();
    assert_eq!(dup.len(), 1, "one line per duplicate group: {err}");
    assert!(dup[0].contains("12 个文件"), "{}", dup[0]);
    assert!(dup[0].contains("副本00.xlsx"), "{}", dup[0]);
    assert!(!dup[0].contains("副本11.xlsx"), "{}", dup[0]);
    assert!(dup[0].chars().count() < 300, "{}", dup[0]);
    // 文件清单 names a few of the others, not all of them.
    let files = sheet(&out, "文件清单");
    let reason = &files
        .iter()
        .find(|r| r[0].ends_with("副本05.xlsx"))
        .unwrap()[8];
    assert!(reason.contains("等 11 个文件"), "{reason}");
    assert!(!files
        .iter()
        .find(|r| r[0].ends_with("财政局.xlsx"))
        .unwrap()[8]
        .contains("同一"));
}

#[test]
fn a_submission_is_not_replaced_unless_forced_an_earlier_summary_is() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    write(&inbox.join("教育局.xlsx"), &table("临沂市教育局", 2023, 1));
    let target = dir.path().join("交通局.xlsx");
    std::fs::copy("examples/linyi-education-2023.xlsx", &target).unwrap();
    let before = std::fs::read(&target).unwrap();
    let o = collect(&[os(&inbox), os("-o"), os(&target)]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim_end(),
        format!(
            "{}: 该文件是已填写的绩效目标表，请换一个输出路径，或加 --force 覆盖",
            target.display()
        )
    );
    assert_eq!(std::fs::read(&target).unwrap(), before);
    let o = collect(&[os(&inbox), os("-o"), os(&target), os("--force")]);
    assert_eq!(o.status.code(), Some(0));
    assert_ne!(std::fs::read(&target).unwrap(), before);
    // Now it is jixiao's summary: replacing it needs no --force.
    let o = collect(&[os(&inbox), os("-o"), os(&target)]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The files of a list sheet's rows, in order, each once (its `文件` column).
fn files_in_order(rows: &[Vec<String>]) -> Vec<String> {
    let col = rows[0]
        .iter()
        .position(|h| h == "文件")
        .expect("a 文件 column");
    let mut out: Vec<String> = Vec::new();
    for r in &rows[1..] {
        if out.last() != Some(&r[col]) {
            out.push(r[col].clone());
        }
    }
    out
}

#[test]
fn summary_rows_follow_the_file_list_however_the_files_arrive() {
    // 汇总 is written while the files are read: with several readers a small
    // file is read before a large one ahead of it, and a folder's files in
    // path order (a/b.xlsx before a-b.xlsx) are not in the order of their
    // names as text (a-b.xlsx first), which 文件清单 follows.
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir_all(inbox.join("a")).unwrap();
    write(&inbox.join("00.xlsx"), &table("大单位", 2024, 60));
    for k in 1..=16 {
        write(
            &inbox.join(format!("{k:02}.xlsx")),
            &table(&format!("单位{k}"), 2024, 1),
        );
    }
    write(
        &inbox.join("a").join("b.xlsx"),
        &table("子目录单位", 2024, 2),
    );
    write(&inbox.join("a-b.xlsx"), &table("连字符单位", 2024, 2));
    let run = |jobs: &str| {
        let out = dir.path().join(format!("s{jobs}.xlsx"));
        let o = collect(&[os(&inbox), os("-o"), os(&out), os("-j"), os(jobs)]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        (
            sheet(&out, "汇总"),
            sheet(&out, "文件清单"),
            title(&out, "汇总"),
        )
    };
    let (one, files, one_title) = run("1");
    let listed = files_in_order(&files);
    assert_eq!(listed.len(), 19);
    assert!(listed[0].ends_with("00.xlsx"), "{listed:?}");
    let hyphen = listed.iter().position(|f| f.ends_with("a-b.xlsx")).unwrap();
    let nested = listed
        .iter()
        .position(|f| f.ends_with("b.xlsx") && !f.ends_with("a-b.xlsx"))
        .unwrap();
    assert!(
        hyphen < nested,
        "文件清单 in the order of the paths as text: {listed:?}"
    );
    assert_eq!(files_in_order(&one), listed, "汇总 follows 文件清单 (-j 1)");
    assert_eq!(one.len(), 1 + 60 * 2 + 16 * 2 + 2 * 2 * 2);
    let name = Template::default_template().name;
    assert_eq!(
        one_title[0],
        format!("报送汇总：{name}（19 个文件，160 个指标）")
    );
    for jobs in ["2", "4"] {
        let (rows, _, t) = run(jobs);
        assert_eq!(
            files_in_order(&rows),
            listed,
            "汇总 follows 文件清单 (-j {jobs})"
        );
        assert_eq!(rows, one, "-j {jobs} writes the 汇总 of -j 1");
        assert_eq!(t, one_title);
    }
}

#[test]
fn a_table_of_an_unknown_template_waits_for_the_first_summary_sheet() {
    // With a project template first, a table whose template is not among the
    // given ones opens no 汇总 of its own: its rows wait for the first sheet
    // a later table opens, and come first there, in the collection's order.
    use jixiao::collect::{Collection, FileOutcome, TableOutcome};
    use jixiao::write::{collect_workbook, collect_workbook_with, SummarySheets};
    let templates = vec![
        Template::load("project-target").unwrap(),
        Template::default_template(),
    ];
    let mut stranger = table("甲单位", 2024, 1);
    stranger.template = "某地自定义模板".into();
    let known = table("乙单位", 2024, 1);
    let outcome = |path: &str, t: Table| FileOutcome {
        path: path.into(),
        result: Ok(vec![TableOutcome {
            report: jixiao::validate::validate(&t, &Template::default_template(), None),
            table: t,
        }]),
    };
    let c = Collection::new(vec![outcome("1.xlsx", stranger), outcome("2.xlsx", known)]);
    let mut summary = SummarySheets::new(&templates);
    for (path, t, _) in c.reports() {
        summary.add(path, t);
    }
    let fed = collect_workbook_with(&c, &templates, summary).unwrap();
    let whole = collect_workbook(&c, &templates).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("fed.xlsx"), dir.path().join("whole.xlsx"));
    std::fs::write(&a, fed).unwrap();
    std::fs::write(&b, whole).unwrap();
    let rows = sheet(&a, "汇总");
    let units: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(units, ["甲单位", "甲单位", "乙单位", "乙单位"]);
    assert_eq!(rows, sheet(&b, "汇总"));
    let name = Template::default_template().name;
    assert_eq!(
        title(&a, "汇总")[0],
        format!("报送汇总：{name}（2 个文件，4 个指标）")
    );
}
