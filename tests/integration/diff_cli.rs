//! `jixiao diff` on the command line: outputs refused before any work, errors in one line, exit 2; rates shown in points, numbers rounded as a clerk rounds.

use crate::common::jixiao;
use predicates::str::contains;
use std::fs;

#[test]
fn json_output_equal_to_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let prior = dir.path().join("2022.xlsx");
    let current = dir.path().join("2023.xlsx");
    fs::write(&prior, b"prior").unwrap();
    fs::write(&current, b"current").unwrap();
    jixiao()
        .arg("diff")
        .arg(&prior)
        .arg(&current)
        .arg("--json")
        .arg(&current)
        .assert()
        .code(2)
        .stderr(contains("输出文件不能与输入文件相同"));
    assert_eq!(fs::read(&current).unwrap(), b"current");
}

#[test]
fn workbook_output_of_unreadable_inputs_is_not_left_behind() {
    let dir = tempfile::tempdir().unwrap();
    let prior = dir.path().join("2022.xlsx");
    let current = dir.path().join("2023.xlsx");
    fs::write(&prior, b"prior").unwrap();
    fs::write(&current, b"current").unwrap();
    let out = dir.path().join("diff.xlsx");
    jixiao()
        .arg("diff")
        .arg(&prior)
        .arg(&current)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2);
    assert!(!out.exists());
}

#[test]
fn a_missing_input_is_named_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let current = dir.path().join("2023.xlsx");
    fs::write(&current, b"current").unwrap();
    let json = dir.path().join("changes.json");
    let out = jixiao()
        .arg("diff")
        .arg(dir.path().join("没有.xlsx"))
        .arg(&current)
        .arg("--json")
        .arg(&json)
        .assert()
        .code(2)
        .stderr(contains("没有.xlsx"))
        .get_output()
        .stderr
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap().trim_end().lines().count(),
        1
    );
    assert!(!json.exists());
}

fn example(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// A percentage's delta carries its points in the JSON; the terminal shows
/// points for rates and rounds half away from zero (6.25% → +6.3%, where
/// `{:.1}` would print 6.2), as on the 部门整体 example years.
#[test]
fn rates_in_points_and_clerks_rounding() {
    let dir = tempfile::tempdir().unwrap();
    let out = jixiao()
        .current_dir(dir.path())
        .arg("diff")
        .arg(example("linyi-education-2022.xlsx"))
        .arg(example("linyi-education-2023.xlsx"))
        .args(["--json", "c.json"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let stdout = String::from_utf8(out).unwrap();
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("c.json")).unwrap()).unwrap();
    let change = |name: &str, field: &str| {
        json["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["indicator"] == name && c["field"] == field)
            .unwrap_or_else(|| panic!("{name} {field}"))
            .clone()
    };
    // 80% → 85%: 5 points, 6.25 percent.
    let rate = change("教学质量提升工作完成率", "annual_value");
    assert_eq!(
        rate["delta"],
        serde_json::json!({"number": 5, "percent": 6.25, "points": 5})
    );
    // 90.15% → 92.01%: 1.86 points.
    assert_eq!(
        change("学生体质健康标准合格率", "history_last")["delta"]["points"],
        1.86
    );
    // Not a percentage: no points.
    let people = change("师资队伍培训人次", "annual_value");
    assert!(people["delta"].get("points").is_none(), "{people}");
    assert_eq!(people["delta"]["number"], 10000);

    for line in [
        "修改 职责1 教学质量提升工作完成率 年度指标值：80% → 85%（+5个百分点）",
        "修改 职责4 学生体质健康标准合格率 上年值：90.15% → 92.01%（+1.86个百分点）",
        "修改 职责3 师资队伍培训人次 年度指标值：10万人次 → 11万人次（+10.0%）",
        // -61.25% rounds away from zero.
        "修改 职责5 毕业生就业指导人数 年度指标值：4000人 → 1550人（-61.3%）",
    ] {
        assert!(stdout.lines().any(|l| l == line), "{line}\n{stdout}");
    }
    assert!(!stdout.contains("6.2%"), "{stdout}");
}

/// Both years are read at once (one on each core); when both fail, the one
/// line still names the prior year's file, as when they were read in turn.
#[test]
fn both_inputs_unreadable_names_the_prior_one() {
    let dir = tempfile::tempdir().unwrap();
    let prior = dir.path().join("2022.xlsx");
    let current = dir.path().join("2023.xlsx");
    fs::write(&current, b"not a workbook").unwrap();
    let o = jixiao()
        .arg("diff")
        .arg(&prior)
        .arg(&current)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(err.trim_end(), format!("{}: 文件不存在", prior.display()));
    // The other way round, the current year's file is named.
    let o = jixiao()
        .arg("diff")
        .arg(&current)
        .arg(&prior)
        .output()
        .unwrap();
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.starts_with(&format!("{}: ", current.display())),
        "{err}"
    );
}
