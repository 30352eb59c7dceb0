//! Diff of two years built in code: the seed's 2023 table (5 duties, 16
//! indicators) and variants of it, plus a 20,000-indicator scale test.

use self::Field::*;
use jixiao::diff::{
    attainment, diff, AttainmentStatus, Change, ChangeKind, Delta, DiffReport, Summary, DIFF_SCHEMA,
};
use jixiao::model::{Group, Indicator, Parsed, Place, Seq, Shape, Table};
use jixiao::template::Template;
use std::sync::{Arc, LazyLock};

// ---------------------------------------------------------------------------
// Building tables

static TEMPLATE: LazyLock<Template> = LazyLock::new(Template::default_template);

/// The dept-overall shape these tables have.
fn shape() -> Arc<Shape> {
    TEMPLATE.shape()
}

/// The dept-overall indicator fields these tests name, by their template keys.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Name,
    Explanation,
    AnnualValue,
    PlannedValue,
    StandardValue,
    StandardSource,
    HistoryAvg3,
    HistoryLast,
    HistorySource,
    Activities,
}

impl Field {
    fn key(self) -> &'static str {
        match self {
            Name => "name",
            Explanation => "explanation",
            AnnualValue => "annual_value",
            PlannedValue => "planned_value",
            StandardValue => "standard_value",
            StandardSource => "standard_source",
            HistoryAvg3 => "history_avg3",
            HistoryLast => "history_last",
            HistorySource => "history_source",
            Activities => "activities",
        }
    }

    /// The field's index in the shape.
    fn idx(self) -> usize {
        shape().indicator_field(self.key()).unwrap()
    }
}

/// A group field's index by key (`seq`, `duty_name`, `objective`).
fn group_field(key: &str) -> usize {
    shape().group_field(key).unwrap()
}

/// An indicator's fields by [`Field`].
trait Fields {
    fn f(&self, f: Field) -> &str;
    fn f_mut(&mut self, f: Field) -> &mut String;
}

impl Fields for Indicator {
    fn f(&self, f: Field) -> &str {
        self.text(f.idx())
    }
    fn f_mut(&mut self, f: Field) -> &mut String {
        &mut self.values[f.idx()]
    }
}

/// A duty's fields.
trait DutyFields {
    fn seq_mut(&mut self) -> &mut String;
    fn duty_name_mut(&mut self) -> &mut String;
    fn objective_mut(&mut self) -> &mut String;
}

impl DutyFields for Group {
    fn seq_mut(&mut self) -> &mut String {
        &mut self.values[group_field("seq")]
    }
    fn duty_name_mut(&mut self) -> &mut String {
        &mut self.values[group_field("duty_name")]
    }
    fn objective_mut(&mut self) -> &mut String {
        &mut self.values[group_field("objective")]
    }
}

/// The place of an indicator's field.
fn at(group: usize, indicator: usize, f: Field) -> Place {
    Place::Indicator {
        group,
        indicator,
        field: f.idx(),
    }
}

/// What a value's text reads as: the real parser with the template's words.
fn parse(text: &str) -> Option<Parsed> {
    jixiao::quantity::parse_value(text, &TEMPLATE.rules.qualitative_words)
}

fn reparse(i: &mut Indicator) {
    i.parsed.clear();
    for f in shape().value_fields() {
        if let Some(p) = parse(&i.values[f]) {
            i.set_parsed(f, p);
        }
    }
}

/// name, explanation, [年度指标值, 规划值, 当年标准值, 来源, 前三年均值, 上年值, 来源], 工作活动
fn ind(name: &str, explanation: &str, v: [&str; 7], activities: &str) -> Indicator {
    let mut i = Indicator::empty(shape().indicator.len(), 0);
    let fields = [
        AnnualValue,
        PlannedValue,
        StandardValue,
        StandardSource,
        HistoryAvg3,
        HistoryLast,
        HistorySource,
    ];
    *i.f_mut(Name) = name.into();
    *i.f_mut(Explanation) = explanation.into();
    for (f, v) in fields.into_iter().zip(v) {
        *i.f_mut(f) = v.into();
    }
    *i.f_mut(Activities) = activities.into();
    reparse(&mut i);
    i
}

fn duty(seq: u32, name: &str, objective: &str, indicators: Vec<Indicator>) -> Group {
    let mut g = Table::new(shape()).new_group(0);
    *g.seq_mut() = seq.to_string();
    *g.duty_name_mut() = name.into();
    *g.objective_mut() = objective.into();
    g.rows = [0, 0];
    g.indicators = indicators;
    g
}

/// Sets row numbers as a reader would (data from row 6, one row per indicator).
fn number_rows(t: &mut Table) {
    let mut row = 6;
    for d in &mut t.groups {
        let first = row;
        for i in &mut d.indicators {
            i.row = row;
            row += 1;
        }
        d.rows = [first, row.max(first + 1) - 1];
    }
}

const JXS: &str = "工作计划";
const NB: &str = "内部统计";

fn duty3_indicators() -> Vec<Indicator> {
    vec![
        ind(
            "师资队伍培训人次",
            "反映师资队伍培训开展情况。",
            ["11万人次", "/", "11万人次", JXS, "8万人次", "10万人次", NB],
            "1.开展“互联网+教师专业发展”工程，组织开展网络研修。\n2.组织开展乡村教师骨干教师培训。\n3.组织开展新入职教师培训。\n4.组织开展教师信息技术能力提升2.0项目。\n5.组织开展思政教师培训。\n6.扎实开展“三名工程”人选培养。",
        ),
        supervision(),
        ind(
            "组建教师教育专家库数量",
            "反映组建教师教育队伍建设情况。",
            ["210人", "250人", "210人", JXS, "200人", "200人", NB],
            "组建教师教育专家库。",
        ),
        ind(
            "新建改扩建中小学校数量",
            "反映新建改扩建中小学校工作推进情况。",
            ["33处", "/", "33处", JXS, "100处", "107处", NB],
            "开展中小学校新建改扩建工作。",
        ),
    ]
}

fn supervision() -> Indicator {
    ind(
        "教育综合督导完成率",
        "涉及贯彻执行党的教育方针和落实教育法规政策，各级各类教育发展，教育保障，教师队伍建设及待遇落实，规范办学、促进教育公平。",
        ["100%", "/", "100%", JXS, "100%", "100%", NB],
        "开展对县区政府履行教育职责评价工作。",
    )
}

fn preschool() -> Indicator {
    ind(
        "学前教育普及率",
        "在园幼儿数量总数与适龄儿童之比。",
        [
            "90%",
            "75%以上",
            "90%",
            JXS,
            "90.00%",
            "90.00%",
            "省学前教育信息系统",
        ],
        "开展学前教育普及工作。",
    )
}

fn international(year: u32, v: [&str; 7]) -> Indicator {
    ind(
        &format!("国际交流与合作办学{year}年继续招生计划人次"),
        "反映国际交流与合作办学规模及成效。",
        v,
        "经省教育厅批准，临沂一中于2013年、临沂四中于2012年获得举办中外高中课程项目班的资格，严格按获批事项实施办学，落实立德树人根本任务，严格执行国家课程方案和课程标准，注重提高办学质量，不断推动高中教育改革与发展。",
    )
}

fn health() -> Indicator {
    ind(
        "学生体质健康标准合格率",
        "反映学生体质健康标准合格率达标情况。",
        ["90%", "90%", "90%", "体测表", "90.42%", "92.01%", NB],
        "加强学生体质锻炼活动",
    )
}

const D4_OBJECTIVE: &str = "管理全市学历教育，组织实施大中专学校、高教自学等报名、考试工作，负责对外及港澳台地区的教育交流与合作工作。管理全市教育系统出国留学、接受外国学生和外籍老师管理工作，指导学校安全保卫工作，提高学校安全风险防控和应急管理水平。";

fn duty4_indicators() -> Vec<Indicator> {
    vec![
        ind(
            "组织招生考试参与人次",
            "反映组织招生考试工作开展情况。",
            [
                "280万人次",
                "/",
                "280万人次",
                JXS,
                "",
                "报考72万人，255万科次",
                NB,
            ],
            "开展教育招生考试工作工作。",
        ),
        ind(
            "教育现代化实现情况",
            "反映教育现代化实现情况。",
            [
                "基本实现",
                "基本实现",
                "基本实现",
                JXS,
                "90.00%",
                "95.00%",
                NB,
            ],
            "提升教育管理、教学条件、教学内容、教学方法、教育技术等。",
        ),
        preschool(),
        ind(
            "省特色高中数量",
            "反映省特色高中数量达标情况。",
            ["1所", "5所", "1所", JXS, "1所", "1所", NB],
            "申报1所省特色高中",
        ),
        ind(
            "中等职业学校技能大赛省级以上获奖数量",
            "反映中等职业学校办学质量情况。",
            [
                "省赛获奖35、国赛获奖7",
                "省赛获奖35、国赛获奖7",
                "省赛获奖35、国赛获奖7",
                JXS,
                "省赛获奖35、国赛获奖6",
                "省赛获奖35、国赛获奖6",
                NB,
            ],
            "组织参加省级、国家级职业院校技能大赛",
        ),
        ind(
            "人才培育人次",
            "反映人才培养人次达标情况。",
            [
                "200人次",
                "200人次/年",
                "200人次",
                JXS,
                "200人次",
                "200人次",
                NB,
            ],
            "开展人才培育工作",
        ),
        health(),
        international(
            2023,
            [
                "145人",
                "/",
                "145人",
                "县区统计汇总",
                "141人",
                "141人",
                "县区统计汇总",
            ],
        ),
    ]
}

/// The seed table: 2023年临沂市教育局部门预算整体绩效目标表, 5 duties, 16 indicators.
fn seed_2023() -> Table {
    let mut t = Table::new(shape());
    t.title = "2023年临沂市教育局部门预算整体绩效目标表".into();
    t.year = Some(2023);
    t.department = Some("临沂市教育局".into());
    t.source.path = "2023.xlsx".into();
    t.source.sheet = "Sheet1".into();
    t.groups = vec![
        duty(
            1,
            "教育改革发展政策",
            "起草全市教育方面的政策措施，拟定全市教育改革与发展规划，指导全市教育科学研究、教学研究和教学改革改制工作。",
            vec![
                ind(
                    "教育改革发展政策措施拟定数量",
                    "反映教育改革发展政策措施拟定情况。",
                    ["1个", "/", "1个", JXS, "1个", "1个", NB],
                    "开展教育部基础教育课程改革工作。",
                ),
                ind(
                    "教学质量提升工作完成率",
                    "反映教育教学研究、教学指导与服务、学业质量监测、课题研究、课改实验项目等工作开展情况。",
                    ["85%", "/", "85%", JXS, "80%", "80%", NB],
                    "开展教学研讨活动、项目研究、教学评估、课题研究、学业质量监测评估。",
                ),
            ],
        ),
        duty(
            2,
            "高校科研成果推广",
            "指导高校的高新技术应用研究与推广科研成果工作，组织实施国家和省、市教育科研项目。",
            vec![ind(
                "省级科技创新平台建设数量",
                "反映省级科技创新平台建设情况。",
                ["1个", "/", "1个", JXS, "1个", "1个", NB],
                "开展省级科技创新平台建设工作。",
            )],
        ),
        duty(
            3,
            "统筹规划教师队伍建设",
            "主管全市教师工作，指导学校教职工队伍建设、学校内部管理体制改革，承担全市各类学校的设立、调整等事宜的评估与审批工作，协调好各县区的有关教育工作。",
            duty3_indicators(),
        ),
        duty(4, "教育管理与服务", D4_OBJECTIVE, duty4_indicators()),
        duty(
            5,
            "就业指导与资格认定",
            "负责全市师范类毕业生就业指导和就业制度改革工作，负责全市语言文字管理工作和教师资格认定工作。",
            vec![ind(
                "毕业生就业指导人数",
                "反映毕业生就业指导和服务工作开展情况。",
                ["1550人", "/", "1550人", JXS, "2846人", "4300人", NB],
                "扎实做好师范类高校毕业生就业指导、网签、档案转递等工作，提供就业指导服务。",
            )],
        ),
    ];
    number_rows(&mut t);
    t
}

/// The seed as a 2022 table with nothing changed but title, year and path.
fn seed_as_2022() -> Table {
    let mut t = seed_2023();
    t.title = "2022年临沂市教育局部门预算整体绩效目标表".into();
    t.year = Some(2022);
    t.source.path = "2022.xlsx".into();
    t
}

fn find<'a>(t: &'a mut Table, name: &str) -> &'a mut Indicator {
    t.groups
        .iter_mut()
        .flat_map(|d| d.indicators.iter_mut())
        .find(|i| i.f(Name) == name)
        .unwrap_or_else(|| panic!("no indicator {name}"))
}

fn set(t: &mut Table, name: &str, field: Field, value: &str) {
    let i = find(t, name);
    *i.f_mut(field) = value.into();
    reparse(i);
}

fn remove(t: &mut Table, name: &str) -> Indicator {
    for d in &mut t.groups {
        if let Some(k) = d.indicators.iter().position(|i| i.f(Name) == name) {
            return d.indicators.remove(k);
        }
    }
    panic!("no indicator {name}")
}

/// A realistic 2022 table: one objective edited, values changed, a rename, a
/// year-token rename, an indicator in another duty, one that was dropped, and
/// a duty (5) that was a different one.
fn prior_2022() -> Table {
    let mut t = seed_as_2022();
    *t.groups[0].objective_mut() =
        "起草全市教育方面的政策措施，拟定全市教育改革与发展规划。".into();
    for (f, v) in [
        (AnnualValue, "10万人次"),
        (StandardValue, "10万人次"),
        (HistoryAvg3, "7万人次"),
        (HistoryLast, "9万人次"),
    ] {
        set(&mut t, "师资队伍培训人次", f, v);
    }
    {
        let i = find(&mut t, "新建改扩建中小学校数量");
        *i.f_mut(Name) = "中小学校新建改扩建项目数".into();
    }
    for (f, v) in [
        (AnnualValue, "100处"),
        (StandardValue, "100处"),
        (HistoryAvg3, "95处"),
        (HistoryLast, "98处"),
    ] {
        set(&mut t, "中小学校新建改扩建项目数", f, v);
    }
    let sup = remove(&mut t, "教育综合督导完成率");
    t.groups[3].indicators.push(sup);
    remove(&mut t, "学前教育普及率");
    t.groups[3].indicators.insert(
        2,
        ind(
            "义务教育巩固率",
            "反映义务教育阶段学生巩固情况。",
            ["98%", "/", "98%", JXS, "97%", "97.5%", NB],
            "开展控辍保学工作。",
        ),
    );
    set(&mut t, "学生体质健康标准合格率", AnnualValue, "≥93%");
    let k = t.groups[3]
        .indicators
        .iter()
        .position(|i| i.f(Name).starts_with("国际交流"))
        .unwrap();
    t.groups[3].indicators[k] = international(
        2022,
        [
            "141人",
            "/",
            "141人",
            "县区统计汇总",
            "138人",
            "140人",
            "县区统计汇总",
        ],
    );
    t.groups[4] = duty(
        5,
        "校园安全管理",
        "指导学校安全保卫工作。",
        vec![
            ind(
                "校园安全事故发生率",
                "反映校园安全事故发生情况。",
                ["≤1%", "/", "≤1%", JXS, "1%", "0.8%", NB],
                "开展校园安全检查。",
            ),
            ind(
                "安全教育培训覆盖率",
                "反映安全教育培训开展情况。",
                ["100%", "/", "100%", JXS, "100%", "100%", NB],
                "开展安全教育培训。",
            ),
        ],
    );
    number_rows(&mut t);
    t
}

// ---------------------------------------------------------------------------
// Helpers for assertions

fn kinds(r: &DiffReport) -> Vec<(ChangeKind, Option<String>, Option<String>)> {
    r.changes
        .iter()
        .map(|c| (c.kind, c.indicator.clone(), c.field.clone()))
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

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

// ---------------------------------------------------------------------------
// Tests

#[test]
fn seed_table_has_5_duties_and_16_indicators() {
    let t = seed_2023();
    assert_eq!(t.groups.len(), 5);
    assert_eq!(t.indicators().count(), 16);
    assert_eq!(t.groups[3].rows, [13, 20]);
}

#[test]
fn identical_tables_have_no_changes() {
    let r = diff(&seed_as_2022(), &seed_2023());
    assert_eq!(r.schema, DIFF_SCHEMA);
    assert!(r.changes.is_empty(), "{:#?}", r.changes);
    assert_eq!(r.summary, summary(0, 0, 0, 0, 0, 16));
    assert_eq!(r.prior.year, Some(2022));
    assert_eq!(r.current.year, Some(2023));
    assert_eq!(r.matching.pairs.len(), 16);
}

#[test]
fn formatting_alone_is_never_a_change() {
    let mut prior = seed_as_2022();
    // White space, full-width digits and letters, line breaks, rows and
    // parsed entries differ; the texts a person reads do not.
    set(
        &mut prior,
        "教育改革发展政策措施拟定数量",
        AnnualValue,
        " １个 ",
    );
    set(
        &mut prior,
        "教育改革发展政策措施拟定数量",
        HistorySource,
        "内部\n统计",
    );
    set(&mut prior, "教学质量提升工作完成率", HistoryLast, "８０％");
    {
        let i = find(&mut prior, "师资队伍培训人次");
        *i.f_mut(Activities) = i.f(Activities).replace('\n', "\r\n  ");
        *i.f_mut(Name) = "师资队伍培训 人次".into();
        i.parsed.clear();
    }
    *prior.groups[3].duty_name_mut() = "教育管理与服务\u{3000}".into();
    *prior.groups[2].seq_mut() = "３".into(); // as text, not as a number
    for d in &mut prior.groups {
        for i in &mut d.indicators {
            i.row += 7;
        }
    }
    let r = diff(&prior, &seed_2023());
    assert!(r.changes.is_empty(), "{:#?}", r.changes);
    assert_eq!(r.summary, summary(0, 0, 0, 0, 0, 16));
}

#[test]
fn changed_values_carry_a_delta() {
    let mut prior = seed_as_2022();
    set(&mut prior, "师资队伍培训人次", AnnualValue, "10万人次");
    set(&mut prior, "学生体质健康标准合格率", HistoryAvg3, "89.5%");
    set(&mut prior, "组织招生考试参与人次", AnnualValue, "280万科次");
    set(
        &mut prior,
        "教育改革发展政策措施拟定数量",
        HistoryLast,
        "0个",
    );
    set(&mut prior, "学生体质健康标准合格率", AnnualValue, "90.00%");
    let r = diff(&prior, &seed_2023());
    assert_eq!(r.summary, summary(0, 0, 0, 0, 5, 12));
    let c = &r.changes;
    assert_eq!(
        serde_json::to_value(&c[0]).unwrap(),
        serde_json::json!({"kind": "modified", "duty": 1, "indicator": "教育改革发展政策措施拟定数量",
            "field": "history_last", "old": "0个", "new": "1个",
            "delta": {"number": 1, "percent": null}})
    );
    assert_eq!(c[0].kind, ChangeKind::Modified);
    assert_eq!(c[0].level_value(0), Some(&Seq::Number(1)));
    assert_eq!(
        c[0].delta,
        Some(Delta {
            number: 1.0,
            percent: None,
            points: None
        })
    );
    assert_eq!(c[0].place, Some(at(0, 0, HistoryLast)));
    assert_eq!(c[0].prior_place, Some(at(0, 0, HistoryLast)));
    assert_eq!(c[1].indicator, s("师资队伍培训人次"));
    assert_eq!(
        (c[1].old.as_deref(), c[1].new.as_deref()),
        (Some("10万人次"), Some("11万人次"))
    );
    assert_eq!(
        c[1].delta,
        Some(Delta {
            number: 10000.0,
            percent: Some(10.0),
            points: None
        })
    );
    // Different units: a change without delta.
    assert_eq!(c[2].indicator, s("组织招生考试参与人次"));
    assert_eq!(c[2].delta, None);
    // "90.00%" and "90%" are different texts (the same number).
    assert_eq!(
        (c[3].field.as_deref(), c[3].old.as_deref()),
        (Some("annual_value"), Some("90.00%"))
    );
    assert_eq!(
        c[3].delta,
        Some(Delta {
            number: 0.0,
            percent: Some(0.0),
            points: Some(0.0)
        })
    );
    // 89.5% → 90.42%: float noise rounded away.
    assert_eq!(c[4].field, s("history_avg3"));
    assert_eq!(
        c[4].delta,
        Some(Delta {
            number: 0.92,
            percent: Some(1.027932961),
            points: Some(0.92)
        })
    );
    assert_eq!(
        c[1].describe(),
        "修改 职责3 师资队伍培训人次 年度指标值：10万人次 → 11万人次（+10.0%）"
    );
    assert_eq!(
        c[0].describe(),
        "修改 职责1 教育改革发展政策措施拟定数量 上年值：0个 → 1个（+1）"
    );
}

#[test]
fn a_rename_with_the_same_explanation_is_found() {
    let mut prior = seed_as_2022();
    *find(&mut prior, "新建改扩建中小学校数量").f_mut(Name) = "中小学校新建改扩建项目数".into();
    set(&mut prior, "中小学校新建改扩建项目数", AnnualValue, "30处");
    let r = diff(&prior, &seed_2023());
    assert_eq!(
        kinds(&r),
        vec![
            (ChangeKind::Renamed, s("新建改扩建中小学校数量"), s("name")),
            (
                ChangeKind::Modified,
                s("新建改扩建中小学校数量"),
                s("annual_value")
            ),
        ]
    );
    let c = &r.changes[0];
    assert_eq!(c.old, s("中小学校新建改扩建项目数"));
    assert_eq!(c.new, s("新建改扩建中小学校数量"));
    assert_eq!(c.level_value(0), Some(&Seq::Number(3)));
    assert_eq!(c.place, Some(at(2, 3, Name)));
    assert_eq!(r.summary, summary(0, 0, 1, 0, 1, 15));
    assert_eq!(
        c.describe(),
        "更名 职责3 中小学校新建改扩建项目数 → 新建改扩建中小学校数量"
    );
}

#[test]
fn a_year_token_rename_is_found() {
    let mut prior = seed_as_2022();
    *find(&mut prior, "国际交流与合作办学2023年继续招生计划人次").f_mut(Name) =
        "国际交流与合作办学2022年继续招生计划人次".into();
    let r = diff(&prior, &seed_2023());
    assert_eq!(r.summary, summary(0, 0, 1, 0, 0, 15));
    let c = &r.changes[0];
    assert_eq!(c.kind, ChangeKind::Renamed);
    assert_eq!(c.old, s("国际交流与合作办学2022年继续招生计划人次"));
    assert_eq!(c.new, s("国际交流与合作办学2023年继续招生计划人次"));
    assert_eq!(c.indicator, c.new);

    // Even when the explanation and every value changed too.
    let mut prior = seed_as_2022();
    let k = prior.groups[3].indicators.len() - 1;
    prior.groups[3].indicators[k] = ind(
        "国际交流与合作办学2022年继续招生计划人次",
        "另写的解释。",
        ["1", "2", "3", "4", "5", "6", "7"],
        "另写的活动",
    );
    let r = diff(&prior, &seed_2023());
    assert_eq!(r.summary.renamed, 1);
    assert_eq!(r.summary.modified, 9);
    assert_eq!(r.summary.added + r.summary.removed, 0);
}

#[test]
fn an_indicator_that_changed_duty_is_moved() {
    let mut prior = seed_as_2022();
    let sup = remove(&mut prior, "教育综合督导完成率");
    prior.groups[3].indicators.push(sup);
    set(&mut prior, "教育综合督导完成率", AnnualValue, "95%");
    number_rows(&mut prior);
    let r = diff(&prior, &seed_2023());
    assert_eq!(
        kinds(&r),
        vec![
            (ChangeKind::Moved, s("教育综合督导完成率"), s("duty")),
            (
                ChangeKind::Modified,
                s("教育综合督导完成率"),
                s("annual_value")
            ),
        ]
    );
    let c = &r.changes[0];
    assert_eq!((c.old.as_deref(), c.new.as_deref()), (Some("4"), Some("3")));
    assert_eq!(c.level_value(0), Some(&Seq::Number(3)));
    assert_eq!(c.place.unwrap().indicator(), Some(1));
    assert_eq!(c.prior_place, Some(at(3, 8, Name)));
    assert_eq!(r.summary, summary(0, 0, 0, 1, 1, 15));
    assert_eq!(c.describe(), "移动 教育综合督导完成率：职责4 → 职责3");
}

/// Regression: an indicator moved to another duty *and* slightly renamed, every
/// other field identical, was reported as removed + added.
#[test]
fn moved_and_renamed_at_once_with_the_other_fields_equal() {
    let mut prior = seed_as_2022();
    let mut sup = remove(&mut prior, "教育综合督导完成率");
    *sup.f_mut(Name) = "县区教育综合督导完成率".into();
    prior.groups[3].indicators.push(sup);
    number_rows(&mut prior);
    let r = diff(&prior, &seed_2023());
    assert_eq!(r.summary.added + r.summary.removed, 0, "{:?}", kinds(&r));
    assert_eq!(
        (r.summary.moved, r.summary.renamed),
        (1, 1),
        "{:?}",
        kinds(&r)
    );
    assert_eq!(r.summary.modified, 0);

    // With a value changed as well, it is not the same indicator.
    let mut prior = seed_as_2022();
    let mut sup = remove(&mut prior, "教育综合督导完成率");
    *sup.f_mut(Name) = "县区教育综合督导完成率".into();
    *sup.f_mut(AnnualValue) = "95%".into();
    prior.groups[3].indicators.push(sup);
    number_rows(&mut prior);
    let r = diff(&prior, &seed_2023());
    assert_eq!(
        (r.summary.added, r.summary.removed),
        (1, 1),
        "{:?}",
        kinds(&r)
    );
}

#[test]
fn added_and_removed_indicators() {
    let mut prior = seed_as_2022();
    remove(&mut prior, "省特色高中数量");
    let mut current = seed_2023();
    remove(&mut current, "人才培育人次");
    let r = diff(&prior, &current);
    assert_eq!(
        kinds(&r),
        vec![
            (ChangeKind::Added, s("省特色高中数量"), None),
            (ChangeKind::Removed, s("人才培育人次"), None),
        ]
    );
    assert_eq!(r.changes[0].level_value(0), Some(&Seq::Number(4)));
    assert_eq!(r.changes[0].prior_place, None);
    assert_eq!(r.changes[1].prior_place, Some(at(3, 4, Name)));
    assert_eq!(r.changes[1].place, None);
    assert_eq!(r.summary, summary(1, 1, 0, 0, 0, 14));
    assert_eq!(r.changes[0].describe(), "新增 职责4 省特色高中数量");
    assert_eq!(r.changes[1].describe(), "删除 职责4 人才培育人次");
}

#[test]
fn an_added_and_a_removed_indicator_with_unlike_explanations_are_not_a_rename() {
    // 义务教育巩固率 / 学前教育普及率: similar names, same unit, same place,
    // different explanations: two indicators, not one renamed.
    let mut prior = seed_as_2022();
    let k = prior.groups[3]
        .indicators
        .iter()
        .position(|i| i.f(Name) == "学前教育普及率")
        .unwrap();
    prior.groups[3].indicators[k] = ind(
        "义务教育巩固率",
        "反映义务教育阶段学生巩固情况。",
        ["98%", "/", "98%", JXS, "97%", "97.5%", NB],
        "开展控辍保学工作。",
    );
    let r = diff(&prior, &seed_2023());
    assert_eq!(
        kinds(&r),
        vec![
            (ChangeKind::Added, s("学前教育普及率"), None),
            (ChangeKind::Removed, s("义务教育巩固率"), None),
        ]
    );

    // Similar names without explanations and with different units: no rename either.
    let mut prior = seed_as_2022();
    let mut current = seed_2023();
    let a = find(&mut prior, "省特色高中数量");
    *a.f_mut(Name) = "省特色高中班级数量".into();
    a.f_mut(Explanation).clear();
    set(&mut prior, "省特色高中班级数量", AnnualValue, "3个");
    find(&mut current, "省特色高中数量")
        .f_mut(Explanation)
        .clear();
    let r = diff(&prior, &current);
    assert_eq!(r.summary, summary(1, 1, 0, 0, 0, 15));
}

#[test]
fn duty_name_and_objective_changes_are_the_dutys_own() {
    let mut prior = seed_as_2022();
    *prior.groups[3].objective_mut() = "管理全市学历教育。".into();
    *prior.groups[1].duty_name_mut() = "高校科研".into();
    let r = diff(&prior, &seed_2023());
    assert_eq!(
        kinds(&r),
        vec![
            (ChangeKind::Modified, None, s("name")),
            (ChangeKind::Modified, None, s("objective")),
        ]
    );
    assert_eq!(r.changes[0].level_value(0), Some(&Seq::Number(2)));
    assert_eq!(r.changes[0].old, s("高校科研"));
    assert_eq!(
        r.changes[0].place,
        Some(Place::Group {
            group: 1,
            field: group_field("duty_name")
        })
    );
    assert_eq!(r.changes[1].level_value(0), Some(&Seq::Number(4)));
    assert_eq!(r.changes[1].new.as_deref(), Some(D4_OBJECTIVE));
    assert_eq!(r.summary, summary(0, 0, 0, 0, 2, 16));
    assert_eq!(
        r.changes[0].describe(),
        "修改 职责2 部门职责：高校科研 → 高校科研成果推广"
    );
}

#[test]
fn a_whole_duty_added_or_removed_is_one_change() {
    let mut prior = seed_as_2022();
    prior.groups.remove(2); // 统筹规划教师队伍建设, 4 indicators
    for (k, d) in prior.groups.iter_mut().enumerate() {
        *d.seq_mut() = (k + 1).to_string(); // renumbered: 4 → 3, 5 → 4
    }
    let r = diff(&prior, &seed_2023());
    assert_eq!(kinds(&r), vec![(ChangeKind::Added, None, None)]);
    let c = &r.changes[0];
    assert_eq!(c.level_value(0), Some(&Seq::Number(3)));
    assert_eq!(c.new, s("统筹规划教师队伍建设"));
    assert_eq!(
        c.place,
        Some(Place::Group {
            group: 2,
            field: group_field("seq")
        })
    );
    assert_eq!(r.summary, summary(1, 0, 0, 0, 0, 12));
    assert_eq!(
        r.matching.current_group,
        vec![Some(0), Some(1), None, Some(2), Some(3)]
    );
    assert_eq!(
        c.describe(),
        "新增 职责3 统筹规划教师队伍建设（整项职责及其指标）"
    );

    // The other way round: removed, listed after the current duties.
    let r = diff(&seed_2023(), &prior);
    assert_eq!(kinds(&r), vec![(ChangeKind::Removed, None, None)]);
    assert_eq!(r.changes[0].level_value(0), Some(&Seq::Number(3)));
    assert_eq!(r.changes[0].old, s("统筹规划教师队伍建设"));
    assert_eq!(r.changes[0].place, None);
    assert_eq!(r.summary, summary(0, 1, 0, 0, 0, 12));
}

#[test]
fn indicators_of_a_removed_duty_found_elsewhere_are_moved() {
    let mut current = seed_2023();
    let d5 = current.groups.pop().unwrap();
    current.groups[3].indicators.extend(d5.indicators);
    let r = diff(&seed_as_2022(), &current);
    assert_eq!(
        kinds(&r),
        vec![
            (ChangeKind::Removed, None, None),
            (ChangeKind::Moved, s("毕业生就业指导人数"), s("duty")),
        ]
    );
    assert_eq!(r.changes[1].old, s("5"));
    assert_eq!(r.summary, summary(0, 1, 0, 1, 0, 15));
}

#[test]
fn a_different_duty_under_the_same_seq_is_removed_and_added() {
    let prior = prior_2022();
    let r = diff(&prior, &seed_2023());
    assert_eq!(r.matching.current_group[4], None);
    assert_eq!(r.matching.prior_group[4], None);
    // A duty renamed under its seq is still the same duty.
    let mut prior = seed_as_2022();
    *prior.groups[4].duty_name_mut() = "毕业生就业指导".into();
    let r = diff(&prior, &seed_2023());
    assert_eq!(kinds(&r), vec![(ChangeKind::Modified, None, s("name"))]);
}

#[test]
fn two_realistic_years() {
    let prior = prior_2022();
    let current = seed_2023();
    let r = diff(&prior, &current);
    assert_eq!(r.summary, summary(2, 2, 2, 1, 14, 9));
    let lines: Vec<String> = r.changes.iter().map(Change::describe).collect();
    let expected = [
        "修改 职责1 职责目标：…拟定全市教育改革与发展规划。 → …拟定全市教育改革与发展规划，指导全市教育科学研究、教学研究和教学改革改制工作。",
        "新增 职责5 就业指导与资格认定（整项职责及其指标）",
        "删除 职责5 校园安全管理（整项职责及其指标）",
        "修改 职责3 师资队伍培训人次 年度指标值：10万人次 → 11万人次（+10.0%）",
        "修改 职责3 师资队伍培训人次 当年标准值：10万人次 → 11万人次（+10.0%）",
        "修改 职责3 师资队伍培训人次 前三年均值：7万人次 → 8万人次（+14.3%）",
        "修改 职责3 师资队伍培训人次 上年值：9万人次 → 10万人次（+11.1%）",
        "移动 教育综合督导完成率：职责4 → 职责3",
        "更名 职责3 中小学校新建改扩建项目数 → 新建改扩建中小学校数量",
        "修改 职责3 新建改扩建中小学校数量 年度指标值：100处 → 33处（-67.0%）",
        "修改 职责3 新建改扩建中小学校数量 当年标准值：100处 → 33处（-67.0%）",
        "修改 职责3 新建改扩建中小学校数量 前三年均值：95处 → 100处（+5.3%）",
        "修改 职责3 新建改扩建中小学校数量 上年值：98处 → 107处（+9.2%）",
        "新增 职责4 学前教育普及率",
        "修改 职责4 学生体质健康标准合格率 年度指标值：≥93% → 90%（-3个百分点）",
        "更名 职责4 国际交流与合作办学2022年继续招生计划人次 → 国际交流与合作办学2023年继续招生计划人次",
        "修改 职责4 国际交流与合作办学2023年继续招生计划人次 年度指标值：141人 → 145人（+2.8%）",
        "修改 职责4 国际交流与合作办学2023年继续招生计划人次 当年标准值：141人 → 145人（+2.8%）",
        "修改 职责4 国际交流与合作办学2023年继续招生计划人次 前三年均值：138人 → 141人（+2.2%）",
        "修改 职责4 国际交流与合作办学2023年继续招生计划人次 上年值：140人 → 141人（+0.7%）",
        "删除 职责4 义务教育巩固率",
    ];
    assert_eq!(lines, expected);
    insta::assert_json_snapshot!("diff_two_realistic_years", r);
}

#[test]
fn json_shape_follows_the_contract() {
    let r = diff(&prior_2022(), &seed_2023());
    let v = serde_json::to_value(&r).unwrap();
    let text = serde_json::to_string(&r).unwrap();
    let at = |k: &str| text.find(&format!("\"{k}\":")).unwrap();
    assert!(text.starts_with(r#"{"schema":"jixiao.diff/1","prior":{"title":"#));
    assert!(
        at("prior") < at("current")
            && at("current") < at("summary")
            && at("summary") < at("changes")
    );
    assert_eq!(v.as_object().unwrap().len(), 5);
    assert_eq!(v["schema"], "jixiao.diff/1");
    assert_eq!(
        v["prior"],
        serde_json::json!({"title": "2022年临沂市教育局部门预算整体绩效目标表", "year": 2022, "path": "2022.xlsx"})
    );
    assert_eq!(
        v["summary"],
        serde_json::json!({"added": 2, "removed": 2, "renamed": 2, "moved": 1, "modified": 14, "unchanged": 9})
    );
    let modified = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["indicator"] == "师资队伍培训人次")
        .unwrap();
    assert_eq!(
        *modified,
        serde_json::json!({"kind": "modified", "duty": 3, "indicator": "师资队伍培训人次",
            "field": "annual_value", "old": "10万人次", "new": "11万人次",
            "delta": {"number": 10000, "percent": 10.0}})
    );
    let duty_added = &v["changes"][1];
    assert_eq!(
        *duty_added,
        serde_json::json!({"kind": "added", "duty": 5, "indicator": null, "field": null,
            "old": null, "new": "就业指导与资格认定"})
    );
    let moved = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "moved")
        .unwrap();
    assert_eq!(
        *moved,
        serde_json::json!({"kind": "moved", "duty": 3, "indicator": "教育综合督导完成率",
            "field": "duty", "old": "4", "new": "3"})
    );
}

#[test]
fn attainment_compares_last_years_target_with_this_years_history() {
    let prior = prior_2022();
    let current = seed_2023();
    let r = diff(&prior, &current);
    let rows = attainment(&prior, &current, &r);
    let got: Vec<(String, &str, &str, &str)> = rows
        .iter()
        .map(|a| {
            (
                format!("{}:{}", a.group_ref(), a.indicator),
                a.target.as_str(),
                a.actual.as_str(),
                a.status.label(),
            )
        })
        .collect();
    let want = [
        ("1:教育改革发展政策措施拟定数量", "1个", "1个", "达成"),
        ("1:教学质量提升工作完成率", "85%", "80%", "未达成"),
        ("2:省级科技创新平台建设数量", "1个", "1个", "达成"),
        ("3:师资队伍培训人次", "10万人次", "10万人次", "达成"),
        ("3:教育综合督导完成率", "100%", "100%", "达成"),
        ("3:组建教师教育专家库数量", "210人", "200人", "未达成"),
        ("3:新建改扩建中小学校数量", "100处", "107处", "达成"),
        (
            "4:组织招生考试参与人次",
            "280万人次",
            "报考72万人，255万科次",
            "无法比较",
        ),
        ("4:教育现代化实现情况", "基本实现", "95.00%", "无法比较"),
        ("4:省特色高中数量", "1所", "1所", "达成"),
        (
            "4:中等职业学校技能大赛省级以上获奖数量",
            "省赛获奖35、国赛获奖7",
            "省赛获奖35、国赛获奖6",
            "无法比较",
        ),
        ("4:人才培育人次", "200人次", "200人次", "达成"),
        ("4:学生体质健康标准合格率", "≥93%", "92.01%", "未达成"),
        (
            "4:国际交流与合作办学2023年继续招生计划人次",
            "141人",
            "141人",
            "达成",
        ),
    ];
    let want: Vec<(String, &str, &str, &str)> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), *b, *c, *d))
        .collect();
    assert_eq!(got, want);
    assert_eq!(rows[3].place, at(2, 0, HistoryLast));
    assert_eq!(rows[4].prior_place, at(3, 8, AnnualValue));
}

#[test]
fn attainment_respects_the_targets_comparator() {
    let check = |target: &str, actual: &str| {
        let mut prior = seed_as_2022();
        set(&mut prior, "学生体质健康标准合格率", AnnualValue, target);
        let mut current = seed_2023();
        set(&mut current, "学生体质健康标准合格率", HistoryLast, actual);
        let r = diff(&prior, &current);
        attainment(&prior, &current, &r)
            .into_iter()
            .find(|a| a.indicator == "学生体质健康标准合格率")
            .unwrap()
            .status
    };
    use AttainmentStatus::*;
    assert_eq!(check("90%", "90%"), Met);
    assert_eq!(check("90%", "89.99%"), NotMet);
    assert_eq!(check("≥90%", "91%"), Met);
    assert_eq!(check("≤5%", "4%"), Met);
    assert_eq!(check("≤5%", "6%"), NotMet);
    assert_eq!(check("不超过5%", "5%"), Met);
    assert_eq!(check("90%", "90人"), NotComparable);
    assert_eq!(check("/", "90%"), NotComparable);
    assert_eq!(check("90%", ""), NotComparable);
    assert_eq!(check("基本实现", "基本实现"), Met);
    assert_eq!(check("基本实现", "全面实现"), NotComparable);
    assert_eq!(Met.label(), "达成");
    assert_eq!(NotMet.label(), "未达成");
    assert_eq!(NotComparable.label(), "无法比较");
}

// ---------------------------------------------------------------------------
// Scale

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn text(&mut self, len: usize) -> String {
        const POOL: &str = "教育学校师生培训质量建设管理服务项目资金安全信息课程科研考试招生就业资助体育卫生艺术文化设施设备图书实验宿舍食堂交通网络平台竞赛活动志愿帮扶乡村城市幼儿职业高中";
        let pool: Vec<char> = POOL.chars().collect();
        (0..len).map(|_| pool[self.below(pool.len())]).collect()
    }
}

const SUFFIXES: [&str; 6] = ["完成率", "数量", "人次", "覆盖率", "满意度", "达标率"];
const UNITS: [&str; 6] = ["个", "人", "人次", "%", "所", "处"];

fn generated_indicator(rng: &mut Lcg, name: String) -> Indicator {
    let unit = UNITS[rng.below(UNITS.len())];
    let n = 1 + rng.below(999);
    let v = |n: usize| format!("{n}{unit}");
    let explanation_len = 10 + rng.below(7);
    ind(
        &name,
        &format!("反映{}情况。", rng.text(explanation_len)),
        [
            &v(n),
            "/",
            &v(n),
            JXS,
            &v(n.saturating_sub(3)),
            &v(n.saturating_sub(1)),
            NB,
        ],
        &format!("开展{}工作。", rng.text(8)),
    )
}

fn unique_name(rng: &mut Lcg, seen: &mut std::collections::HashSet<String>, year: bool) -> String {
    loop {
        let len = 5 + rng.below(5);
        let suffix = SUFFIXES[rng.below(SUFFIXES.len())];
        let base = rng.text(len);
        let name = if year {
            format!("{base}2022年{suffix}")
        } else {
            format!("{base}{suffix}")
        };
        if seen.insert(name.clone()) {
            return name;
        }
    }
}

/// 20,000 indicators in 200 duties, and next year's table with ~5% changes:
/// 400 values changed, 200 year-token renames, 100 renames (one character
/// changed, same explanation), 100 moved to the next duty, 100 removed, 100 added,
/// and 100 whose name changed by one character and whose explanation was
/// rewritten (not renames: 100 more added, 100 more removed).
fn generated_years(duties: usize) -> (Table, Table) {
    let mut rng = Lcg(2023);
    let mut seen = std::collections::HashSet::new();
    let mut prior = Table::new(shape());
    prior.year = Some(2022);
    let mut current = Table::new(shape());
    current.year = Some(2023);
    let mut moved: Vec<(usize, Indicator)> = Vec::new();
    for d in 0..duties {
        let name = format!("职责{}{}", d, rng.text(4));
        let objective = rng.text(30);
        let mut pd = duty(d as u32 + 1, &name, &objective, Vec::new());
        let mut cd = pd.clone();
        for i in 0..100usize {
            let g = d * 100 + i;
            let year = g % 100 == 7;
            let name = unique_name(&mut rng, &mut seen, year);
            let a = generated_indicator(&mut rng, name);
            let mut b = a.clone();
            if g % 50 == 1 {
                *b.f_mut(AnnualValue) = format!("{}{}", a.f(AnnualValue), "0");
                reparse(&mut b);
            } else if year {
                *b.f_mut(Name) = b.f(Name).replace("2022年", "2023年");
            } else if g % 200 == 57 {
                let mut chars: Vec<char> = b.f(Name).chars().collect();
                chars[1] = if chars[1] == '新' { '旧' } else { '新' };
                *b.f_mut(Name) = chars.into_iter().collect();
            } else if g % 200 == 13 {
                pd.indicators.push(a);
                moved.push(((d + 1) % duties, b));
                continue;
            } else if g % 200 == 29 {
                pd.indicators.push(a);
                continue;
            } else if g % 200 == 91 {
                // One character of the name changed, values, unit and place
                // kept, but a different explanation: not a rename.
                let mut chars: Vec<char> = b.f(Name).chars().collect();
                chars[0] = if chars[0] == '新' { '旧' } else { '新' };
                *b.f_mut(Name) = chars.into_iter().collect();
                let len = 10 + rng.below(7);
                *b.f_mut(Explanation) = format!("反映{}情况。", rng.text(len));
            } else if g % 200 == 31 {
                let name = unique_name(&mut rng, &mut seen, false);
                pd.indicators.push(a);
                cd.indicators.push(b);
                cd.indicators.push(generated_indicator(&mut rng, name));
                continue;
            }
            pd.indicators.push(a);
            cd.indicators.push(b);
        }
        prior.groups.push(pd);
        current.groups.push(cd);
    }
    for (d, i) in moved {
        current.groups[d].indicators.push(i);
    }
    number_rows(&mut prior);
    number_rows(&mut current);
    (prior, current)
}

#[test]
fn twenty_thousand_indicators_diff_with_exact_counts() {
    let (prior, current) = generated_years(200);
    assert_eq!(prior.indicators().count(), 20_000);
    assert_eq!(current.indicators().count(), 20_000);
    let started = std::time::Instant::now();
    let r = diff(&prior, &current);
    let took = started.elapsed();
    eprintln!("diff of 20,000 indicators: {took:?}");
    assert_eq!(r.summary, summary(200, 200, 300, 100, 400, 19_000));
    assert!(r.changes.iter().all(|c| c.indicator.is_some()));
    // Changes follow the current table's order.
    let places: Vec<(usize, usize)> = r
        .changes
        .iter()
        .filter_map(|c| c.place)
        .map(|p| (p.group().unwrap(), p.indicator().unwrap()))
        .collect();
    assert!(places.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn many_leftovers_in_one_duty_stay_fast_and_unpaired() {
    // One duty where every indicator was replaced: 1,500 removed, 1,500 added,
    // nothing alike. The rename search must not pair any and must not be quadratic.
    let mut rng = Lcg(7);
    let mut seen = std::collections::HashSet::new();
    let mut prior = Table::new(shape());
    let mut current = Table::new(shape());
    let mut pd = duty(1, "职责", "目标", Vec::new());
    let mut cd = pd.clone();
    for _ in 0..1500 {
        let n = unique_name(&mut rng, &mut seen, false);
        pd.indicators.push(generated_indicator(&mut rng, n));
        let n = unique_name(&mut rng, &mut seen, false);
        cd.indicators.push(generated_indicator(&mut rng, n));
    }
    // ... except ten year-token renames hidden among them.
    for k in 0..10 {
        let n = unique_name(&mut rng, &mut seen, true);
        let a = generated_indicator(&mut rng, n);
        let mut b = a.clone();
        *b.f_mut(Name) = b.f(Name).replace("2022年", "2023年");
        pd.indicators.insert(k * 100, a);
        cd.indicators.insert(1400 - k * 100, b);
    }
    prior.groups.push(pd);
    current.groups.push(cd);
    let started = std::time::Instant::now();
    let r = diff(&prior, &current);
    eprintln!("1,510 × 1,510 leftovers: {:?}", started.elapsed());
    assert_eq!(r.summary, summary(1500, 1500, 10, 0, 0, 0));
}

#[test]
fn the_text_for_a_person_has_titles_counts_and_one_line_per_change() {
    let r = diff(&prior_2022(), &seed_2023());
    let text = jixiao::diff::render_text(&r);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..4],
        [
            "上年：2022年临沂市教育局部门预算整体绩效目标表（2022年）  2022.xlsx",
            "本年：2023年临沂市教育局部门预算整体绩效目标表（2023年）  2023.xlsx",
            "变更：新增 2，删除 2，更名 2，移动 1，修改 14；未变指标 9",
            "",
        ]
    );
    assert_eq!(lines.len(), 4 + r.changes.len());
    assert!(
        lines.contains(&"修改 职责3 师资队伍培训人次 年度指标值：10万人次 → 11万人次（+10.0%）")
    );
    let same = jixiao::diff::render_text(&diff(&seed_as_2022(), &seed_2023()));
    assert!(
        same.ends_with("未变指标 16\n两年的表格内容相同。\n"),
        "{same}"
    );
}

/// A small random table whose names repeat across duties (and sometimes are empty).
fn random_table(rng: &mut Lcg) -> Table {
    const NAMES: [&str; 10] = [
        "工作完成率",
        "培训人次",
        "覆盖率",
        "满意度",
        "2022年招生计划人次",
        "项目数量",
        "",
        "达标率",
        "资助人数",
        "建设数量",
    ];
    let mut t = Table::new(shape());
    for d in 0..1 + rng.below(6) {
        let mut indicators = Vec::new();
        for _ in 0..rng.below(8) {
            let name = NAMES[rng.below(NAMES.len())];
            let mut i = generated_indicator(rng, name.to_string());
            if rng.below(3) == 0 {
                i.f_mut(Explanation).clear();
            }
            indicators.push(i);
        }
        let name = rng.text(3);
        let objective = rng.text(8);
        t.groups
            .push(duty(d as u32 + 1, &name, &objective, indicators));
    }
    number_rows(&mut t);
    t
}

fn random_edit(rng: &mut Lcg, t: &mut Table) {
    let nd = t.groups.len();
    let d = rng.below(nd);
    let n = t.groups[d].indicators.len();
    match rng.below(9) {
        0 if n > 0 => {
            let k = rng.below(n);
            *t.groups[d].indicators[k].f_mut(AnnualValue) = format!("{}个", rng.below(50));
            reparse(&mut t.groups[d].indicators[k]);
        }
        1 if n > 0 => {
            let k = rng.below(n);
            let extra = rng.below(2);
            let extra = rng.text(extra);
            let i = &mut t.groups[d].indicators[k];
            *i.f_mut(Name) = i.f(Name).replace("2022", "2023") + &extra;
        }
        2 if n > 0 => {
            let k = rng.below(n);
            let i = t.groups[d].indicators.remove(k);
            let to = rng.below(nd);
            t.groups[to].indicators.push(i);
        }
        3 if n > 0 => {
            t.groups[d].indicators.remove(rng.below(n));
        }
        4 => {
            let name = rng.text(6);
            let i = generated_indicator(rng, name);
            t.groups[d].indicators.push(i);
        }
        5 if nd > 1 => {
            t.groups.remove(d);
        }
        6 => {
            let name = rng.text(3);
            t.groups.insert(
                d,
                duty(
                    99,
                    &name,
                    "新目标",
                    vec![generated_indicator(rng, "新指标".into())],
                ),
            );
        }
        7 => t.groups[d].objective_mut().push('。'),
        _ => *t.groups[d].seq_mut() = rng.below(9).to_string(),
    }
}

#[test]
fn random_edits_keep_the_report_consistent() {
    for seed in 0..300u64 {
        let mut rng = Lcg(seed * 7919 + 1);
        let prior = random_table(&mut rng);
        let same = diff(&prior, &prior);
        assert!(same.changes.is_empty(), "seed {seed}: {:#?}", same.changes);
        assert_eq!(same.summary.unchanged, prior.indicators().count());

        let mut current = prior.clone();
        for _ in 0..1 + rng.below(6) {
            random_edit(&mut rng, &mut current);
        }
        number_rows(&mut current);
        let r = diff(&prior, &current);
        let m = &r.matching;
        let ctx = format!("seed {seed}: {:#?}", r.changes);

        // Pairs are one-to-one and in current order.
        let mut seen_p = std::collections::HashSet::new();
        assert!(m.pairs.iter().all(|p| seen_p.insert(p.prior)), "{ctx}");
        assert!(
            m.pairs.windows(2).all(|w| w[0].current < w[1].current),
            "{ctx}"
        );

        // Every indicator is accounted for exactly once.
        for (ci, d) in current.groups.iter().enumerate() {
            for k in 0..d.indicators.len() {
                let here = jixiao::diff::IndRef {
                    group: ci,
                    indicator: k,
                };
                let paired = m.of_current(here).is_some();
                let added = r.changes.iter().any(|c| {
                    c.kind == ChangeKind::Added
                        && c.place
                            .is_some_and(|p| p.group() == Some(ci) && p.indicator() == Some(k))
                });
                let in_added_duty = m.current_group[ci].is_none();
                assert_eq!(
                    usize::from(paired) + usize::from(added),
                    usize::from(!in_added_duty || paired),
                    "{ctx}"
                );
            }
        }
        for (pi, d) in prior.groups.iter().enumerate() {
            for k in 0..d.indicators.len() {
                let paired = m
                    .pairs
                    .iter()
                    .any(|p| p.prior.group == pi && p.prior.indicator == k);
                let removed = r.changes.iter().any(|c| {
                    c.kind == ChangeKind::Removed
                        && c.prior_place
                            .is_some_and(|p| p.group() == Some(pi) && p.indicator() == Some(k))
                });
                let in_removed_duty = m.prior_group[pi].is_none();
                assert_eq!(
                    usize::from(paired) + usize::from(removed),
                    usize::from(!in_removed_duty || paired),
                    "{ctx}"
                );
            }
        }

        // Counts agree with the changes; modified values really differ.
        let count = |k: ChangeKind| r.changes.iter().filter(|c| c.kind == k).count();
        assert_eq!(
            (
                r.summary.added,
                r.summary.removed,
                r.summary.renamed,
                r.summary.moved,
                r.summary.modified
            ),
            (
                count(ChangeKind::Added),
                count(ChangeKind::Removed),
                count(ChangeKind::Renamed),
                count(ChangeKind::Moved),
                count(ChangeKind::Modified)
            ),
            "{ctx}"
        );
        let changed: std::collections::HashSet<_> = r
            .changes
            .iter()
            .filter(|c| c.indicator.is_some() && c.prior_place.is_some() && c.place.is_some())
            .map(|c| {
                c.place
                    .unwrap()
                    .indicator()
                    .map(|k| (c.place.unwrap().group().unwrap(), k))
            })
            .collect();
        assert_eq!(r.summary.unchanged + changed.len(), m.pairs.len(), "{ctx}");
        for c in &r.changes {
            if c.kind == ChangeKind::Modified {
                assert_ne!(c.old, c.new, "{ctx}");
            }
        }
        serde_json::to_string(&r).unwrap();
    }
}

/// The same at 100,000 indicators in 1,000 duties (slow in debug builds: run with --ignored).
#[test]
#[ignore]
fn a_hundred_thousand_indicators_diff_with_exact_counts() {
    let (prior, current) = generated_years(1000);
    assert_eq!(prior.indicators().count(), 100_000);
    let started = std::time::Instant::now();
    let r = diff(&prior, &current);
    eprintln!("diff of 100,000 indicators: {:?}", started.elapsed());
    assert_eq!(r.summary, summary(1000, 1000, 1500, 500, 2000, 95_000));
}

#[test]
fn a_freely_renamed_indicator_with_the_same_explanation_and_unit_is_a_rename() {
    let mut prior = seed_as_2022();
    *find(&mut prior, "教育综合督导完成率").f_mut(Name) = "县区政府履职评价完成率".into();
    let r = diff(&prior, &seed_2023());
    assert_eq!(
        kinds(&r),
        vec![(ChangeKind::Renamed, s("教育综合督导完成率"), s("name"))]
    );
    // The same names with a short, generic explanation: two indicators.
    let mut prior = seed_as_2022();
    let mut current = seed_2023();
    let a = find(&mut prior, "教育综合督导完成率");
    *a.f_mut(Name) = "县区政府履职评价完成率".into();
    *a.f_mut(Explanation) = "反映工作完成情况。".into();
    *find(&mut current, "教育综合督导完成率").f_mut(Explanation) = "反映工作完成情况。".into();
    let r = diff(&prior, &current);
    assert_eq!(r.summary, summary(1, 1, 0, 0, 0, 15));
}

/// The generator's year pairs (src/synth.rs, what the benchmarks write to
/// files): the diff of the models reports exactly the planted changes.
#[test]
fn generated_year_pairs_diff_to_their_planted_truth() {
    for n in [2_000, 20_000] {
        let (prior, current, truth) = jixiao::synth::year_pair(42, n, "基准局", 2024);
        let s = diff(&prior, &current).summary;
        let got = jixiao::synth::Truth {
            added: s.added,
            removed: s.removed,
            renamed: s.renamed,
            moved: s.moved,
            modified: s.modified,
        };
        assert_eq!(got, truth, "{n} indicators");
        assert!(truth.added > 0 && truth.renamed > 0 && truth.moved > 0);
    }
}
