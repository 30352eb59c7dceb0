//! The seed's 2023 table of 临沂市教育局 built in code, shared by the test files that plant
//! problems into it (validate rules, the marked workbook).
//!
//! Tables are built with the dept-overall template's shape
//! (`Template::default_template().shape()`); fields are named by their key
//! (`"annual_value"`, `"history_last"`; the duty fields `"seq"`, `"duty_name"`,
//! `"objective"`).
#![allow(dead_code)]

use indexmap::IndexMap;
use jixiao::model::{Group, Indicator, Parsed, Role, Source, Table};
use jixiao::quantity::parse_value;
use jixiao::template::Template;

/// What a value's text reads as (the real parser).
pub fn parse(text: &str, t: &Template) -> Option<Parsed> {
    parse_value(text, &t.rules.qualitative_words)
}

/// Fills `parsed` of every value field from its text.
pub fn reparse(table: &mut Table, t: &Template) {
    let shape = table.shape.clone();
    for g in &mut table.groups {
        for i in &mut g.indicators {
            i.parsed.clear();
            for f in shape.value_fields() {
                if let Some(p) = parse(i.text(f), t) {
                    i.set_parsed(f, p);
                }
            }
        }
    }
}

/// The index of an indicator field of the dept-overall template by key (`"annual_value"`).
pub fn field(key: &str) -> usize {
    template()
        .shape()
        .indicator_field(key)
        .unwrap_or_else(|| panic!("no indicator field {key}"))
}

/// The index of a group (duty) field of the dept-overall template by key (`"seq"`).
pub fn group_field(key: &str) -> usize {
    template()
        .shape()
        .group_field(key)
        .unwrap_or_else(|| panic!("no group field {key}"))
}

/// One row: name, explanation, then F..L (annual, planned, standard, standard
/// source, avg3, last, history source), then activities.
pub type Row<'a> = (&'a str, &'a str, [&'a str; 7], &'a str);

/// The keys of a [`Row`]'s texts, in order.
const ROW_KEYS: [&str; 10] = [
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

pub fn indicator(row: u32, r: &Row<'_>) -> Indicator {
    let shape = template().shape();
    let (name, explanation, v, activities) = r;
    let texts: Vec<&str> = [*name, *explanation]
        .into_iter()
        .chain(v.iter().copied())
        .chain([*activities])
        .collect();
    let mut i = Indicator::empty(shape.indicator.len(), row);
    for (key, text) in ROW_KEYS.iter().zip(texts) {
        let f = shape
            .indicator_field(key)
            .unwrap_or_else(|| panic!("no indicator field {key}"));
        i.values[f] = text.to_string();
    }
    i
}

/// The seed's 2023 table of 临沂市教育局 (seeds/000_398316883b87688f.txt):
/// 5 duties, 16 indicators from input row `first` on, columns A–M (the seed
/// starts at row 6; a later start makes the input cells differ from the
/// re-styled table's).
pub fn seed_at(first: u32) -> Table {
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

    let shape = t.shape();
    let mut table = Table::new(shape.clone());
    table.title = "2023年临沂市教育局部门预算整体绩效目标表".into();
    table.year = Some(2023);
    table.department = Some("临沂市教育局".into());
    let mut columns = IndexMap::new();
    let mut header_labels = IndexMap::new();
    for leaf in t.leaves() {
        columns.insert(
            leaf.key.to_string(),
            jixiao::model::col_letters(leaf.col as u32),
        );
        header_labels.insert(leaf.key.to_string(), leaf.path.join(" › "));
    }
    table.source = Source {
        path: "教育局2023.xlsx".into(),
        sheet: "Sheet1".into(),
        format: "xlsx".into(),
        header_rows: [first - 3, first - 1],
        data_rows: Some([first, first + 15]),
        columns,
        header_labels,
        ..Source::default()
    };
    let (seq_f, name_f, obj_f) = (
        group_field("seq"),
        group_field("duty_name"),
        group_field("objective"),
    );
    let mut row = first;
    for (seq, name, objective, rows) in duties {
        let mut g: Group = table.new_group(row);
        g.values[seq_f] = seq.to_string();
        g.values[name_f] = name.into();
        g.values[obj_f] = objective.into();
        for r in &rows {
            g.indicators.push(indicator(row, r));
            row += 1;
        }
        g.rows[1] = row - 1;
        table.groups.push(g);
    }
    reparse(&mut table, &t);
    table
}

pub fn template() -> Template {
    Template::default_template()
}

/// The indicator of the seed named `name`, mutably.
pub fn ind<'a>(table: &'a mut Table, name: &str) -> &'a mut Indicator {
    let f = table
        .shape
        .indicator_role(Role::Name)
        .expect("a name field");
    table
        .groups
        .iter_mut()
        .flat_map(|d| d.indicators.iter_mut())
        .find(|i| i.text(f) == name)
        .unwrap_or_else(|| panic!("no indicator {name}"))
}

/// Renames the indicator named `name` (no re-parse: a name is not a value).
pub fn rename(table: &mut Table, name: &str, new: &str) {
    let f = field("name");
    ind(table, name).values[f] = new.into();
}

/// The text of a field (by key) of the indicator named `name`.
pub fn get(table: &mut Table, name: &str, key: &str) -> String {
    let f = field(key);
    ind(table, name).text(f).to_string()
}

/// Sets a field's text (by key: `"annual_value"`) and re-reads it.
pub fn set(table: &mut Table, name: &str, key: &str, text: &str) {
    let t = template();
    let f = field(key);
    let value = t.shape().indicator[f].value;
    let i = ind(table, name);
    i.values[f] = text.into();
    if !value {
        return;
    }
    i.parsed.retain(|(k, _)| *k != f);
    if let Some(p) = parse(text, &t) {
        i.set_parsed(f, p);
    }
}

/// Sets a duty field's text (by key: `"seq"`, `"duty_name"`, `"objective"`) of the
/// duty at index `duty` (0-based).
pub fn set_duty(table: &mut Table, duty: usize, key: &str, text: &str) {
    let f = group_field(key);
    table.groups[duty].values[f] = text.into();
}
