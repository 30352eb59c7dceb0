//! Deterministic synthetic tables, and year pairs with known changes, for benchmarks and scale tests.
//!
//! Pure model generation (no I/O): benches write these with the official
//! writer so the files have real merged cells. The same seed always gives the
//! same tables, so timings and expected diff counts are repeatable.

use crate::model::{Indicator, Role, Table};
use crate::template::Template;
use std::sync::OnceLock;

/// A small deterministic generator (SplitMix64); no external randomness.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`: the same seed, the same sequence.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const TOPICS: &[&str] = &[
    "教学质量提升",
    "师资队伍培训",
    "校舍安全排查",
    "学前教育普及",
    "职业技能培训",
    "招生考试组织",
    "教育督导评估",
    "课程改革实验",
    "学生体质监测",
    "校园网络建设",
    "图书资源更新",
    "家校共育活动",
    "资助政策落实",
    "语言文字推广",
    "教师资格认定",
    "科研项目管理",
    "国际交流合作",
    "安全应急演练",
];
const MEASURES: &[(&str, &str)] = &[
    ("完成率", "%"),
    ("覆盖率", "%"),
    ("满意度", "%"),
    ("数量", "个"),
    ("人次", "人次"),
    ("项目数", "项"),
    ("学校数", "所"),
    ("场次", "场"),
];
const DUTY_NAMES: &[&str] = &[
    "教育改革发展政策",
    "统筹规划教师队伍建设",
    "教育管理与服务",
    "就业指导与资格认定",
    "基础教育管理",
    "职业教育与成人教育",
    "教育督导",
    "学校安全管理",
];
const SOURCES: &[&str] = &["工作计划", "内部统计", "统计年鉴", "统计公报", "行业标准"];

fn value(rng: &mut Rng, unit: &str) -> String {
    match unit {
        "%" => format!("{}%", 60 + rng.below(41)),
        u => {
            let n = 1 + rng.below(500);
            if rng.below(10) == 0 {
                format!("{}万{u}", 1 + n / 50)
            } else {
                format!("{n}{u}")
            }
        }
    }
}

/// Where the generator puts each text: the default template's fields by role.
/// Fields without a role get prose (a duty's objective, an indicator's activities).
struct Slots {
    template: Template,
    name: usize,
    explanation: usize,
    target: usize,
    planned: usize,
    standard: usize,
    /// The two source fields: the standard's, then the history's.
    sources: [usize; 2],
    avg: usize,
    last: usize,
    /// Indicator fields with no role.
    prose: Vec<usize>,
    group_id: usize,
    group_name: usize,
    /// Group fields of the outermost level with no role.
    group_prose: Vec<usize>,
}

fn slots() -> &'static Slots {
    static SLOTS: OnceLock<Slots> = OnceLock::new();
    SLOTS.get_or_init(|| {
        let template = Template::default_template();
        let shape = template.shape();
        let ind = |r: Role| {
            shape
                .indicator_role(r)
                .expect("the default template has every indicator role")
        };
        let sources: Vec<usize> = shape.indicator_roles(Role::Source).collect();
        let slots = Slots {
            name: ind(Role::Name),
            explanation: ind(Role::Explanation),
            target: ind(Role::Target),
            planned: ind(Role::Planned),
            standard: ind(Role::Standard),
            sources: [sources[0], sources[sources.len() - 1]],
            avg: ind(Role::HistoryAvg),
            last: ind(Role::HistoryLast),
            prose: (0..shape.indicator.len())
                .filter(|&i| shape.indicator[i].role.is_none())
                .collect(),
            group_id: shape
                .group_role(0, Role::GroupId)
                .expect("a numbered group"),
            group_name: shape.group_role(0, Role::GroupName).expect("a group name"),
            group_prose: shape
                .level_fields(0)
                .filter(|&i| shape.group[i].role.is_none())
                .collect(),
            template,
        };
        slots
    })
}

fn indicator(rng: &mut Rng, id: usize, year: i32) -> Indicator {
    let s = slots();
    let topic = rng.pick(TOPICS);
    let (measure, unit) = MEASURES[rng.below(MEASURES.len() as u64) as usize];
    // Unique names: a serial number keeps every indicator distinct, and one in
    // two hundred carries the year, like real "2023年继续招生计划" names.
    let name = if id % 200 == 7 {
        format!("{topic}{year}年{measure}{id:05}")
    } else {
        format!("{topic}{measure}{id:05}")
    };
    let annual = value(rng, unit);
    let mut ind = Indicator::empty(s.template.shape().indicator.len(), 0);
    // The generator draws in this order; changing it changes every table.
    ind.values[s.explanation] = format!("反映{topic}工作第{id}项的开展情况。");
    ind.values[s.planned] = if rng.below(3) == 0 {
        annual.clone()
    } else {
        "/".into()
    };
    ind.values[s.standard] = annual.clone();
    ind.values[s.sources[0]] = rng.pick(SOURCES).into();
    ind.values[s.avg] = value(rng, unit);
    ind.values[s.last] = value(rng, unit);
    ind.values[s.sources[1]] = rng.pick(SOURCES).into();
    for &i in &s.prose {
        ind.values[i] = format!("1.组织开展{topic}工作。\n2.按季度统计{measure}。");
    }
    ind.values[s.target] = annual;
    ind.values[s.name] = name;
    ind
}

/// The text of an indicator's name.
fn name_of(ind: &Indicator) -> &str {
    ind.text(slots().name)
}

/// A table of `n` indicators in duties of 5–15 indicators; consecutive duties
/// sometimes share a 部门职责 (as in the seed).
pub fn table(seed: u64, n: usize, department: &str, year: i32) -> Table {
    let s = slots();
    let mut rng = Rng::new(seed);
    let mut t = Table::new(s.template.shape());
    t.title = s.template.title(year, department);
    t.year = Some(year);
    t.department = Some(department.to_string());
    let mut id = 0;
    let mut seq = 0;
    let mut name = rng.pick(DUTY_NAMES).to_string();
    while id < n {
        seq += 1;
        if rng.below(4) != 0 {
            name = format!("{}{}", rng.pick(DUTY_NAMES), seq);
        }
        let k = (5 + rng.below(11) as usize).min(n - id);
        let mut g = t.new_group(0);
        g.rows = [0, 0];
        g.indicators = (0..k).map(|j| indicator(&mut rng, id + j, year)).collect();
        id += k;
        g.values[s.group_id] = seq.to_string();
        g.values[s.group_name] = name.clone();
        for &i in &s.group_prose {
            g.values[i] =
                format!("做好{name}相关工作，完成年度第{seq}项职责目标，提升服务质量和管理水平。");
        }
        t.groups.push(g);
    }
    number_rows(&mut t);
    t
}

/// Sets group and indicator rows as the official layout places them (data from row 6).
pub fn number_rows(t: &mut Table) {
    let mut row = 6;
    for d in &mut t.groups {
        let first = row;
        for i in &mut d.indicators {
            i.row = row;
            row += 1;
        }
        d.rows = [first, row.saturating_sub(1).max(first)];
    }
}

/// The changes planted in a year pair: what a correct diff reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Truth {
    /// Indicators added.
    pub added: usize,
    /// Indicators removed.
    pub removed: usize,
    /// Indicators renamed.
    pub renamed: usize,
    /// Indicators moved to another group.
    pub moved: usize,
    /// Field-level changes (one per changed field).
    pub modified: usize,
}

/// Last year's table and this year's, with about 5% of indicators changed:
/// values edited, names edited (explanation and values kept, so the evidence
/// supports a rename), indicators moved to the next duty, added and removed.
pub fn year_pair(seed: u64, n: usize, department: &str, year: i32) -> (Table, Table, Truth) {
    let s = slots();
    let prior = table(seed, n, department, year - 1);
    let mut cur = prior.clone();
    cur.title = s.template.title(year, department);
    cur.year = Some(year);
    let mut rng = Rng::new(seed.wrapping_mul(31).wrapping_add(7));
    let mut truth = Truth::default();
    let duties = cur.groups.len();
    let mut moves = Vec::new();
    let mut next_id = n + 100_000;
    for di in 0..duties {
        let mut ii = 0;
        while ii < cur.groups[di].indicators.len() {
            let roll = rng.below(1000);
            let ind = &mut cur.groups[di].indicators[ii];
            // Names with a year token get their own (form-only) rename below.
            let dated = name_of(ind).contains(&format!("{}年", year - 1));
            match roll {
                // 3%: one value changed.
                0..=29 => {
                    ind.values[s.target] = format!("{}{}", 900 + rng.below(99), "个");
                    truth.modified += 1;
                }
                // 0.5%: renamed (a word inserted), explanation and values kept.
                30..=34 if !dated => {
                    let name = &mut ind.values[s.name];
                    *name = name.replacen("工作", "", 1);
                    name.insert_str(0, "年度");
                    truth.renamed += 1;
                }
                // 0.5%: removed.
                35..=39 => {
                    cur.groups[di].indicators.remove(ii);
                    truth.removed += 1;
                    continue;
                }
                // 0.5%: a new indicator inserted before this one.
                40..=44 => {
                    next_id += 1;
                    let mut new = indicator(&mut rng, next_id, year);
                    new.values[s.explanation] = format!("反映新增重点任务{next_id}的完成情况。");
                    cur.groups[di].indicators.insert(ii, new);
                    truth.added += 1;
                    ii += 2;
                    continue;
                }
                // 0.3%: moved to the next duty (if there is one).
                45..=47 if !dated && di + 1 < duties && cur.groups[di].indicators.len() > 1 => {
                    let moved = cur.groups[di].indicators.remove(ii);
                    moves.push((di + 1, moved));
                    truth.moved += 1;
                    continue;
                }
                _ => {}
            }
            ii += 1;
        }
    }
    for (di, ind) in moves {
        cur.groups[di].indicators.push(ind);
    }
    // A year token in a name is a rename only in form: the diff treats
    // 2022年 → 2023年 as equal, so it is reported as renamed.
    for d in &mut cur.groups {
        for i in &mut d.indicators {
            let from = format!("{}年", year - 1);
            let name = &mut i.values[s.name];
            if name.contains(&from) {
                *name = name.replace(&from, &format!("{year}年"));
                truth.renamed += 1;
            }
        }
    }
    number_rows(&mut cur);
    (prior, cur, truth)
}

/// Number of fields a synthetic indicator row fills, its group's included
/// (for throughput figures): every grid field of the default template.
pub fn fields_per_row() -> usize {
    let shape = slots().template.shape();
    shape.group.len() + shape.indicator.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_table_and_names_are_unique() {
        let a = table(1, 500, "局", 2023);
        assert_eq!(a, table(1, 500, "局", 2023));
        assert_ne!(a, table(2, 500, "局", 2023));
        let names: std::collections::HashSet<_> = a.indicators().map(|(_, i)| name_of(i)).collect();
        assert_eq!(names.len(), 500);
        assert_eq!(a.indicators().count(), 500);
        assert_eq!(a.groups.last().unwrap().indicators.last().unwrap().row, 505);
    }

    #[test]
    fn a_row_fills_every_field_of_the_default_template() {
        assert_eq!(fields_per_row(), 13);
        let t = table(5, 20, "局", 2023);
        let i = &t.groups[0].indicators[0];
        assert!(i.values.iter().all(|v| !v.is_empty()), "{i:?}");
        assert!(t.groups[0].values.iter().all(|v| !v.is_empty()));
        assert_eq!(t.title, "2023年局部门预算整体绩效目标表");
    }

    #[test]
    fn year_pair_plants_about_five_percent_changes() {
        let (p, c, t) = year_pair(3, 20_000, "局", 2023);
        assert_eq!(p.year, Some(2022));
        assert_eq!(c.year, Some(2023));
        let changed = t.added + t.removed + t.renamed + t.moved + t.modified;
        assert!((600..1_800).contains(&changed), "{t:?}");
        assert!(
            t.added > 0 && t.removed > 0 && t.renamed > 0 && t.moved > 0,
            "{t:?}"
        );
        assert_eq!(
            c.indicators().count(),
            p.indicators().count() + t.added - t.removed
        );
    }
}
