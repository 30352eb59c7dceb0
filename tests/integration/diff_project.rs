//! Diff of 项目支出 tables built in code (template project-target): indicators
//! matched within their category, renames, moves between categories, empty
//! categories, form and money changes; the pairing of a workbook's projects
//! with last year's, unpaired tables and the warnings of a pair that looks wrong.

use jixiao::diff::{
    attainment, diff, diff_workbooks, merge_reports, pair_tables, pair_warnings, project_key,
    ChangeKind, DiffReport, Summary,
};
use jixiao::model::{Place, Shape, Table};
use jixiao::quantity::{parse_money, parse_value};
use jixiao::template::Template;
use serde_json::{json, Value};
use std::sync::{Arc, LazyLock};

static PROJECT: LazyLock<Template> = LazyLock::new(|| Template::load("project-target").unwrap());
static DEPT: LazyLock<Template> = LazyLock::new(Template::default_template);

fn shape() -> Arc<Shape> {
    PROJECT.shape()
}

/// Builds a project table: form fields by key, categories with (name, value) indicators.
struct Builder {
    t: Table,
    row: u32,
}

impl Builder {
    fn new(project: &str, year: i32) -> Builder {
        let mut t = Table::new(shape());
        t.title = format!("{year}年度项目支出绩效目标表");
        t.year = Some(year);
        t.department = Some("临沂市教育局".into());
        t.source.path = format!("{year}.xlsx");
        t.source.sheet = project.into();
        let b = Builder { t, row: 12 };
        b.form("name", project)
            .form("department", "临沂市教育局")
            .form("money_unit", "万元")
            .form("funds_total", "250")
            .form("annual_goal", "1.完成年度任务。")
    }

    fn form(mut self, key: &str, text: &str) -> Builder {
        let i = shape().form_field(key).unwrap();
        self.t.form.values[i] = text.into();
        self
    }

    fn sheet(mut self, path: &str, sheet: &str) -> Builder {
        self.t.source.path = path.into();
        self.t.source.sheet = sheet.into();
        self
    }

    fn department(mut self, d: &str) -> Builder {
        self.t.department = Some(d.into());
        self.form("department", d)
    }

    /// A category and its indicators (name, value); 绩效标准 计划标准.
    fn cat(mut self, level1: &str, level2: &str, inds: &[(&str, &str)]) -> Builder {
        let s = shape();
        let mut g = self.t.new_group(self.row);
        g.values[s.group_field("level1").unwrap()] = level1.into();
        g.values[s.group_field("level2").unwrap()] = level2.into();
        for (name, value) in inds {
            let mut i = self.t.new_indicator(self.row);
            i.values[s.indicator_field("name").unwrap()] = name.to_string();
            i.values[s.indicator_field("value").unwrap()] = value.to_string();
            i.values[s.indicator_field("standard").unwrap()] = "计划标准".into();
            for f in s.value_fields() {
                if let Some(p) = parse_value(&i.values[f], &PROJECT.rules.qualitative_words) {
                    i.set_parsed(f, p);
                }
            }
            g.indicators.push(i);
            self.row += 1;
        }
        g.rows = [g.rows[0], self.row.max(g.rows[0] + 1) - 1];
        if inds.is_empty() {
            self.row += 1;
        }
        self.t.groups.push(g);
        self
    }

    /// The table, its amounts parsed in 元 as the reader does.
    fn build(mut self) -> Table {
        let s = shape();
        let unit = self.t.form.values[s.form_field("money_unit").unwrap()].clone();
        self.t.form.parsed.clear();
        for (i, f) in s.form.iter().enumerate() {
            if f.money {
                if let Some(p) = parse_money(&self.t.form.values[i].clone(), &unit) {
                    self.t.form.set_parsed(i, p);
                }
            }
        }
        self.t
    }
}

/// The safety project of 2023 (名称 中小学校园安全设施改造) with its categories.
fn safety(year: i32) -> Builder {
    Builder::new("中小学校园安全设施改造", year)
        .cat(
            "产出指标",
            "数量指标",
            &[("改造学校数量", "≥10所"), ("新增监控点位数", "≥360个")],
        )
        .cat("产出指标", "质量指标", &[("安防设施验收合格率", "100%")])
        .cat("效益指标", "经济效益指标", &[])
        .cat(
            "效益指标",
            "社会效益指标",
            &[("校园安全事故发生率", "较上年下降")],
        )
        .cat(
            "满意度指标",
            "服务对象满意度指标",
            &[("师生及家长满意度", "≥90%")],
        )
}

fn json_changes(r: &DiffReport) -> Vec<Value> {
    r.changes
        .iter()
        .map(|c| serde_json::to_value(c).unwrap())
        .collect()
}

fn summary(
    added: usize,
    removed: usize,
    renamed: usize,
    moved: usize,
    modified: usize,
    unchanged: usize,
) -> Summary {
    Summary {
        added,
        removed,
        renamed,
        moved,
        modified,
        unchanged,
    }
}

fn ind_field(key: &str) -> usize {
    shape().indicator_field(key).unwrap()
}

#[test]
fn identical_years_have_no_changes_and_formatting_is_not_one() {
    let prior = safety(2023).build();
    let r = diff(&prior, &safety(2024).build());
    assert!(r.changes.is_empty(), "{:#?}", r.changes);
    assert_eq!(r.summary, summary(0, 0, 0, 0, 0, 5));
    assert!(r.warnings.is_empty());
    // White space, full-width digits, 250 / 250.00: the same texts and amounts.
    let current = Builder::new("中小学校园安全设施改造 ", 2024)
        .form("funds_total", "250.00")
        .cat(
            " 产出指标",
            "数量指标",
            &[("改造学校 数量", "≥１０所"), ("新增监控点位数", "≥360个")],
        )
        .cat("产出指标", "质量指标", &[("安防设施验收合格率", "100%")])
        .cat("效益指标", "经济效益指标", &[])
        .cat(
            "效益指标",
            "社会效益指标",
            &[("校园安全事故发生率", "较上年下降")],
        )
        .cat(
            "满意度指标",
            "服务对象满意度指标",
            &[("师生及家长满意度", "≥90%")],
        )
        .build();
    let r = diff(&prior, &current);
    assert!(r.changes.is_empty(), "{:#?}", r.changes);
    assert_eq!(r.summary.unchanged, 5);
}

#[test]
fn an_indicator_is_matched_within_its_category() {
    let prior = safety(2023).build();
    let mut current = safety(2024).build();
    let v = ind_field("value");
    current.groups[0].indicators[0].values[v] = "≥12所".into();
    current.groups[0].indicators[0].parsed.clear();
    let r = diff(&prior, &current);
    assert_eq!(
        json_changes(&r),
        vec![
            json!({"kind": "modified", "project": "中小学校园安全设施改造",
            "level1": "产出指标", "level2": "数量指标", "indicator": "改造学校数量",
            "field": "value", "old": "≥10所", "new": "≥12所"})
        ]
    );
    assert_eq!(
        r.changes[0].place,
        Some(Place::Indicator {
            group: 0,
            indicator: 0,
            field: v
        })
    );
    assert_eq!(r.summary, summary(0, 0, 0, 0, 1, 4));
    assert_eq!(
        r.changes[0].describe(),
        "修改 产出指标/数量指标 改造学校数量 指标值：≥10所 → ≥12所"
    );
    // The same name in two categories: each stays with its own.
    let both = |v2: &str| {
        Builder::new("项目", 2023)
            .cat("产出指标", "数量指标", &[("完成率", "90%")])
            .cat("产出指标", "质量指标", &[("完成率", v2)])
            .build()
    };
    let r = diff(&both("95%"), &both("98%"));
    assert_eq!(r.changes.len(), 1);
    assert_eq!(r.changes[0].group_ref(), "产出指标/质量指标");
    assert_eq!(r.matching.pairs.len(), 2);
    assert!(r
        .matching
        .pairs
        .iter()
        .all(|p| p.prior.group == p.current.group));
}

#[test]
fn a_rename_is_found_within_its_category() {
    let prior = safety(2023).build();
    let mut current = safety(2024).build();
    let n = ind_field("name");
    current.groups[0].indicators[1].values[n] = "新增视频监控点位数".into();
    let r = diff(&prior, &current);
    assert_eq!(
        json_changes(&r),
        vec![
            json!({"kind": "renamed", "project": "中小学校园安全设施改造",
            "level1": "产出指标", "level2": "数量指标", "indicator": "新增视频监控点位数",
            "field": "name", "old": "新增监控点位数", "new": "新增视频监控点位数"})
        ]
    );
    assert_eq!(r.summary, summary(0, 0, 1, 0, 0, 4));
    // A similar name in another category is not a rename: added and removed.
    let mut current = safety(2024).build();
    let moved = current.groups[0].indicators.remove(1);
    current.groups[1].indicators.push(moved);
    current.groups[1].indicators[1].values[n] = "新增视频监控点位数".into();
    let r = diff(&prior, &current);
    assert_eq!(r.summary.renamed, 0);
    assert_eq!((r.summary.added, r.summary.removed), (1, 1));
}

#[test]
fn an_indicator_in_another_category_is_moved() {
    let prior = safety(2023).build();
    let mut current = safety(2024).build();
    let k = current.groups[1].indicators.remove(0); // 安防设施验收合格率
    current.groups[3].indicators.push(k);
    let r = diff(&prior, &current);
    let moved = json!({"kind": "moved", "project": "中小学校园安全设施改造",
        "level1": "效益指标", "level2": "社会效益指标", "indicator": "安防设施验收合格率",
        "field": "category", "old": "产出指标/质量指标", "new": "效益指标/社会效益指标"});
    // 产出指标/质量指标 is left empty this year: the category itself is kept,
    // and being there in both years, it is no change.
    assert_eq!(json_changes(&r), vec![moved]);
    assert_eq!(r.summary, summary(0, 0, 0, 1, 0, 4));
    assert_eq!(
        r.changes[0].describe(),
        "移动 安防设施验收合格率：产出指标/质量指标 → 效益指标/社会效益指标"
    );
    assert_eq!(
        r.changes[0].prior_place,
        Some(Place::Indicator {
            group: 1,
            indicator: 0,
            field: ind_field("name")
        })
    );
    assert_eq!(
        r.changes[0].place,
        Some(Place::Indicator {
            group: 3,
            indicator: 1,
            field: ind_field("name")
        })
    );
}

#[test]
fn empty_categories_added_or_removed_are_changes_of_the_category() {
    let prior = safety(2023).build();
    let current = safety(2024).cat("效益指标", "生态效益指标", &[]).build();
    let r = diff(&prior, &current);
    assert_eq!(
        json_changes(&r),
        vec![json!({"kind": "added", "project": "中小学校园安全设施改造",
            "level1": "效益指标", "level2": "生态效益指标", "indicator": null,
            "field": null, "old": null, "new": "效益指标/生态效益指标"})]
    );
    assert_eq!(
        r.changes[0].place,
        Some(Place::Group {
            group: 5,
            field: shape().group_field("level2").unwrap()
        })
    );
    assert_eq!(
        r.changes[0].describe(),
        "新增 效益指标/生态效益指标（二级指标，其下无指标）"
    );
    assert_eq!(r.summary, summary(1, 0, 0, 0, 0, 5));
    let r = diff(&current, &prior);
    assert_eq!(
        json_changes(&r),
        vec![
            json!({"kind": "removed", "project": "中小学校园安全设施改造",
            "level1": "效益指标", "level2": "生态效益指标", "indicator": null,
            "field": null, "old": "效益指标/生态效益指标", "new": null})
        ]
    );
    assert_eq!(r.changes[0].place, None);

    // A new category with indicators: its indicators are added one by one.
    let current = safety(2024)
        .cat(
            "成本指标",
            "经济成本指标",
            &[("单校改造成本", "≤25万元"), ("设备采购成本", "≤65万元")],
        )
        .build();
    let r = diff(&prior, &current);
    let got: Vec<(ChangeKind, Option<String>, String)> = r
        .changes
        .iter()
        .map(|c| (c.kind, c.indicator.clone(), c.group_ref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                ChangeKind::Added,
                Some("单校改造成本".into()),
                "成本指标/经济成本指标".into()
            ),
            (
                ChangeKind::Added,
                Some("设备采购成本".into()),
                "成本指标/经济成本指标".into()
            ),
        ]
    );
    assert_eq!(r.matching.current_group[5], None);
}

#[test]
fn a_score_of_an_outer_category_changed_is_one_change() {
    let s = shape();
    let score = |t: &mut Table, key: &str, v: &str| {
        let f = s.group_field(key).unwrap();
        for g in &mut t.groups[..2] {
            g.values[f] = v.into();
        }
    };
    let mut prior = safety(2023).build();
    score(&mut prior, "level1_score", "50");
    let mut current = safety(2024).build();
    score(&mut current, "level1_score", "40");
    let r = diff(&prior, &current);
    assert_eq!(
        json_changes(&r),
        vec![
            json!({"kind": "modified", "project": "中小学校园安全设施改造",
            "level1": "产出指标", "level2": null, "indicator": null,
            "field": "level1_score", "old": "50", "new": "40"})
        ]
    );
    assert_eq!(r.summary.unchanged, 5);
}

#[test]
fn form_fields_changed_are_changes_with_no_group() {
    let prior = safety(2023)
        .form("name", "中小学教师全员培训")
        .form("funds_total", "300.00")
        .build();
    let current = safety(2024)
        .form("name", "中小学教师全员培训")
        .form("funds_total", "350.00")
        .form("annual_goal", "1.完成年度任务。\n2.新增任务。")
        .build();
    let r = diff(&prior, &current);
    let c = json_changes(&r);
    assert_eq!(c.len(), 2);
    assert_eq!(
        c[0],
        json!({"kind": "modified", "project": "中小学教师全员培训",
            "level1": null, "level2": null, "indicator": null,
            "field": "funds_total", "old": "300.00", "new": "350.00",
            "delta": {"number": 500000, "percent": 16.66666667}})
    );
    assert_eq!(c[1]["field"], "annual_goal");
    assert!(c[1].get("delta").is_none());
    let total = shape().form_field("funds_total").unwrap();
    assert_eq!(r.changes[0].place, Some(Place::Form(total)));
    assert_eq!(r.changes[0].prior_place, Some(Place::Form(total)));
    assert_eq!(
        r.changes[0].describe(),
        "修改 年度资金总额：300.00 → 350.00（+16.7%）"
    );
    assert_eq!(r.summary, summary(0, 0, 0, 0, 2, 5));
}

#[test]
fn amounts_are_compared_in_yuan_whatever_the_unit() {
    let prior = safety(2023).form("funds_total", "250").build();
    let current = safety(2024)
        .form("money_unit", "元")
        .form("funds_total", "2,500,000.00")
        .build();
    let r = diff(&prior, &current);
    assert!(r.changes.is_empty(), "{:#?}", r.changes);
    // …and a different amount in the other unit is a change, its delta in 元.
    let current = safety(2024)
        .form("money_unit", "元")
        .form("funds_total", "2,600,000.00")
        .build();
    let r = diff(&prior, &current);
    assert_eq!(r.changes.len(), 1);
    assert_eq!(r.changes[0].field.as_deref(), Some("funds_total"));
    assert_eq!(r.changes[0].delta.as_ref().unwrap().number, 100_000.0);
    // An amount that does not read as one is compared as text.
    let prior = safety(2023).form("funds_total", "待定").build();
    let r = diff(&prior, &safety(2024).form("funds_total", "待定").build());
    assert!(r.changes.is_empty());
}

#[test]
fn attainment_needs_a_last_year_value_the_template_lacks() {
    let prior = safety(2023).build();
    let current = safety(2024).build();
    let r = diff(&prior, &current);
    assert_eq!(r.matching.pairs.len(), 5);
    assert!(attainment(&prior, &current, &r).is_empty());
}

/// Three projects of 2023 (one workbook) and of 2024 (another, sheets in
/// another order, renamed, one project renamed).
fn three_projects() -> (Vec<Table>, Vec<Table>) {
    let p = |name: &str, year: i32, path: &str, sheet: &str, school: &str| {
        Builder::new(name, year)
            .sheet(path, sheet)
            .cat("产出指标", "数量指标", &[(school, "≥10所")])
            .build()
    };
    let prior = vec![
        p(
            "中小学校园安全设施改造",
            2023,
            "2023/项目.xlsx",
            "临沂一中",
            "改造学校数量",
        ),
        p(
            "中小学教师全员培训",
            2023,
            "2023/项目.xlsx",
            "教师发展中心",
            "培训人次",
        ),
        p(
            "家庭经济困难学生资助",
            2023,
            "2023/项目.xlsx",
            "学生资助中心",
            "资助人数",
        ),
    ];
    let current = vec![
        p(
            "家庭经济困难学生资助工作",
            2024,
            "2024 汇总/预算表.xlsx",
            "Sheet1",
            "资助人数",
        ),
        p(
            "中小学教师全员培训（2024年）",
            2024,
            "2024 汇总/预算表.xlsx",
            "Sheet2",
            "培训人次",
        ),
        p(
            "中小学校园安全设施改造",
            2024,
            "2024 汇总/预算表.xlsx",
            "项目3",
            "改造学校数量",
        ),
    ];
    (prior, current)
}

#[test]
fn projects_pair_by_name_whatever_the_files_and_sheets_are_called() {
    let (prior, current) = three_projects();
    assert_eq!(
        pair_tables(&prior, &current),
        vec![(Some(2), Some(0)), (Some(1), Some(1)), (Some(0), Some(2))]
    );
    assert_eq!(
        project_key("中小学教师全员培训（2024年）"),
        project_key("中小学教师全员培训")
    );
    let reports = diff_workbooks(&prior, &current);
    assert_eq!(reports.len(), 3);
    // The renamed projects' own names are form changes; nothing else changed.
    let names: Vec<Vec<(Option<&str>, Option<&str>)>> = reports
        .iter()
        .map(|r| {
            r.changes
                .iter()
                .map(|c| (c.old.as_deref(), c.new.as_deref()))
                .collect()
        })
        .collect();
    assert_eq!(
        names,
        vec![
            vec![(
                Some("家庭经济困难学生资助"),
                Some("家庭经济困难学生资助工作")
            )],
            vec![(
                Some("中小学教师全员培训"),
                Some("中小学教师全员培训（2024年）")
            )],
            vec![],
        ]
    );
    assert!(reports
        .iter()
        .flat_map(|r| &r.changes)
        .all(|c| c.field.as_deref() == Some("name") && c.indicator.is_none()));
    let merged = merge_reports(&reports);
    assert_eq!(merged.summary, summary(0, 0, 0, 0, 2, 3));
    assert_eq!(merged.current.path, "2024 汇总/预算表.xlsx");
    let v = serde_json::to_value(&merged).unwrap();
    assert_eq!(v["changes"][0]["project"], "家庭经济困难学生资助工作");
    assert!(v.get("warnings").is_none());
}

#[test]
fn a_renamed_project_pairs_only_when_unambiguous() {
    let p = |name: &str, year: i32| {
        Builder::new(name, year)
            .cat("产出指标", "数量指标", &[("改造学校数量", "≥10所")])
            .build()
    };
    // Two candidates equally like the new name: neither is taken.
    let prior = vec![
        p("校园安全设施改造一期", 2023),
        p("校园安全设施改造二期", 2023),
    ];
    let current = vec![p("校园安全设施改造三期", 2024)];
    assert_eq!(
        pair_tables(&prior, &current),
        vec![(None, Some(0)), (Some(0), None), (Some(1), None)]
    );
    // One candidate, clearly the best: taken.
    let prior = vec![p("校园安全设施改造一期", 2023), p("教师培训", 2023)];
    assert_eq!(
        pair_tables(&prior, &current),
        vec![(Some(0), Some(0)), (Some(1), None)]
    );
    // Nothing alike: no pair.
    let current = vec![p("学生资助", 2024), p("家校共育", 2024)];
    assert_eq!(
        pair_tables(&prior, &current),
        vec![
            (None, Some(0)),
            (None, Some(1)),
            (Some(0), None),
            (Some(1), None)
        ]
    );
}

#[test]
fn tables_pair_within_their_template_and_department() {
    let dept = |d: &str, year: i32| {
        let mut t = Table::new(DEPT.shape());
        t.year = Some(year);
        t.department = Some(d.into());
        t
    };
    let a = |d: &str, year: i32| {
        Builder::new("信息化建设", year)
            .department(d)
            .cat("产出指标", "数量指标", &[("建设数量", "1个")])
            .build()
    };
    let prior = vec![
        dept("临沂市教育局", 2023),
        a("临沂市教育局", 2023),
        a("临沂市财政局", 2023),
        dept("临沂市财政局", 2023),
    ];
    let current = vec![
        a("临沂市财政局", 2024),
        dept("临沂市财政局", 2024),
        a("临沂市教育局", 2024),
        dept("临沂市教育局", 2024),
    ];
    assert_eq!(
        pair_tables(&prior, &current),
        vec![
            (Some(2), Some(0)),
            (Some(3), Some(1)),
            (Some(1), Some(2)),
            (Some(0), Some(3))
        ]
    );
    // One department's project this year only: not paired with another department's.
    let prior = vec![a("临沂市财政局", 2023), a("临沂市教育局", 2023)];
    let current = vec![a("临沂市教育局", 2024), a("临沂市卫健委", 2024)];
    assert_eq!(
        pair_tables(&prior, &current),
        vec![(Some(1), Some(0)), (None, Some(1)), (Some(0), None)]
    );
    // A lone table on each side pairs whatever it says, and the pair warns.
    let prior = vec![dept("临沂市教育局", 2023)];
    let current = vec![dept("临沂市教育和体育局", 2024)];
    assert_eq!(pair_tables(&prior, &current), vec![(Some(0), Some(0))]);
    let r = &diff_workbooks(&prior, &current)[0];
    assert_eq!(
        r.warnings,
        vec!["两张表的部门不同：上年为“临沂市教育局”，本年为“临沂市教育和体育局”"]
    );
    // Never across templates.
    let prior = vec![a("临沂市教育局", 2023)];
    let current = vec![dept("临沂市教育局", 2024)];
    assert_eq!(
        pair_tables(&prior, &current),
        vec![(None, Some(0)), (Some(0), None)]
    );
}

#[test]
fn an_unpaired_table_is_all_added_or_all_removed() {
    let prior = vec![safety(2023).build()];
    let current = vec![
        safety(2024).build(),
        Builder::new("学生资助", 2024)
            .cat("产出指标", "数量指标", &[("资助人数", "≥8000人")])
            .cat("效益指标", "经济效益指标", &[])
            .build(),
    ];
    let reports = diff_workbooks(&prior, &current);
    assert_eq!(reports.len(), 2);
    assert!(reports[0].changes.is_empty());
    let added = &reports[1];
    assert!(added.prior.absent && !added.current.absent);
    assert_eq!(
        json_changes(added),
        vec![
            json!({"kind": "added", "project": "学生资助", "level1": "效益指标",
                "level2": "经济效益指标", "indicator": null, "field": null,
                "old": null, "new": "效益指标/经济效益指标"}),
            json!({"kind": "added", "project": "学生资助", "level1": "产出指标",
                "level2": "数量指标", "indicator": "资助人数", "field": null,
                "old": null, "new": null}),
        ]
    );
    assert_eq!(added.summary, summary(2, 0, 0, 0, 0, 0));
    let text = jixiao::diff::render_text(added);
    assert!(text.starts_with("上年：（无对应的表）\n"), "{text}");
    assert!(text.contains("项目：学生资助\n"), "{text}");

    // The other way round: removed, after the pairs.
    let reports = diff_workbooks(&current, &prior);
    let removed = &reports[1];
    assert!(removed.current.absent);
    assert_eq!(removed.summary, summary(0, 2, 0, 0, 0, 0));
    assert!(removed
        .changes
        .iter()
        .all(|c| c.kind == ChangeKind::Removed && c.project.as_deref() == Some("学生资助")));
    // Merged, the sides are the tables that are there.
    let merged = merge_reports(&reports);
    assert_eq!(merged.summary, summary(0, 2, 0, 0, 0, 5));
    assert_eq!(merged.current.year, Some(2023));
}

#[test]
fn a_pair_that_looks_wrong_warns() {
    let a = safety(2023).build();
    let b = safety(2024).build();
    assert!(pair_warnings(&a, &b).is_empty());
    // Years the wrong way round.
    let w = pair_warnings(&b, &a);
    assert_eq!(
        w,
        vec!["上年的表是2024年的，不早于本年的表（2023年）：请确认两个文件的先后顺序"]
    );
    // The same year, another department, the same file.
    let c = safety(2023)
        .department("临沂市财政局")
        .sheet("2023.xlsx", "Sheet2")
        .build();
    let w = pair_warnings(&a, &c);
    assert_eq!(w.len(), 3, "{w:?}");
    assert!(w[1].contains("临沂市教育局") && w[1].contains("临沂市财政局"));
    assert_eq!(w[2], "上年和本年是同一个文件：2023.xlsx");
    // diff reports them, and its JSON lists them.
    let r = diff(&a, &c);
    assert_eq!(r.warnings, w);
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["warnings"].as_array().unwrap().len(), 3);
    assert!(serde_json::to_value(diff(&a, &b))
        .unwrap()
        .get("warnings")
        .is_none());
    // Tables of two templates: no field-by-field comparison, all removed and all added.
    let mut dept = Table::new(DEPT.shape());
    dept.year = Some(2023);
    dept.department = Some("临沂市教育局".into());
    let mut g = dept.new_group(6);
    g.values[DEPT.shape().group_field("seq").unwrap()] = "1".into();
    g.values[DEPT.shape().group_field("duty_name").unwrap()] = "教育改革发展政策".into();
    dept.groups.push(g);
    let r = diff(&dept, &b);
    assert_eq!(
        r.warnings,
        vec!["两张表不是同一种表（上年为 dept-overall，本年为 project-target），无法逐项对比"]
    );
    assert_eq!((r.summary.removed, r.summary.added), (1, 6)); // 5 indicators, 1 empty category
    assert_eq!(r.matching.prior_group, vec![None]);
    assert_eq!(r.matching.current_group.len(), b.groups.len());
}
