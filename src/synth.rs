//! Deterministic synthetic tables, and year pairs with known changes, for benchmarks and scale tests.
//!
//! Pure model generation (no I/O): benches write these with the official
//! writer so the files have real merged cells. The same seed always gives the
//! same tables, so timings and expected diff counts are repeatable.

use crate::model::{Duty, Field, Indicator, Seq, Table};
use indexmap::IndexMap;

/// A small deterministic generator (SplitMix64); no external randomness.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

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

fn indicator(rng: &mut Rng, id: usize, year: i32) -> Indicator {
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
    Indicator {
        explanation: format!("反映{topic}工作第{id}项的开展情况。"),
        planned_value: if rng.below(3) == 0 {
            annual.clone()
        } else {
            "/".into()
        },
        standard_value: annual.clone(),
        standard_source: rng.pick(SOURCES).into(),
        history_avg3: value(rng, unit),
        history_last: value(rng, unit),
        history_source: rng.pick(SOURCES).into(),
        activities: format!("1.组织开展{topic}工作。\n2.按季度统计{measure}。"),
        annual_value: annual,
        name,
        row: 0,
        parsed: IndexMap::new(),
    }
}

/// A table of `n` indicators in duties of 5–15 indicators; consecutive duties
/// sometimes share a 部门职责 (as in the seed).
pub fn table(seed: u64, n: usize, department: &str, year: i32) -> Table {
    let mut rng = Rng::new(seed);
    let mut t = Table::new("dept-overall");
    t.title = Table::official_title(year, department);
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
        let indicators = (0..k).map(|j| indicator(&mut rng, id + j, year)).collect();
        id += k;
        t.duties.push(Duty {
            seq: Seq::Number(seq),
            name: name.clone(),
            objective: format!(
                "做好{name}相关工作，完成年度第{seq}项职责目标，提升服务质量和管理水平。"
            ),
            rows: [0, 0],
            indicators,
        });
    }
    number_rows(&mut t);
    t
}

/// Sets duty and indicator rows as the official layout places them (data from row 6).
pub fn number_rows(t: &mut Table) {
    let mut row = 6;
    for d in &mut t.duties {
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
    pub added: usize,
    pub removed: usize,
    pub renamed: usize,
    pub moved: usize,
    /// Field-level changes (one per changed field).
    pub modified: usize,
}

/// Last year's table and this year's, with about 5% of indicators changed:
/// values edited, names edited (explanation and values kept, so the evidence
/// supports a rename), indicators moved to the next duty, added and removed.
pub fn year_pair(seed: u64, n: usize, department: &str, year: i32) -> (Table, Table, Truth) {
    let prior = table(seed, n, department, year - 1);
    let mut cur = prior.clone();
    cur.title = Table::official_title(year, department);
    cur.year = Some(year);
    let mut rng = Rng::new(seed.wrapping_mul(31).wrapping_add(7));
    let mut truth = Truth::default();
    let duties = cur.duties.len();
    let mut moves = Vec::new();
    let mut next_id = n + 100_000;
    for di in 0..duties {
        let mut ii = 0;
        while ii < cur.duties[di].indicators.len() {
            let roll = rng.below(1000);
            let ind = &mut cur.duties[di].indicators[ii];
            // Names with a year token get their own (form-only) rename below.
            let dated = ind.name.contains(&format!("{}年", year - 1));
            match roll {
                // 3%: one value changed.
                0..=29 => {
                    ind.annual_value = format!("{}{}", 900 + rng.below(99), "个");
                    truth.modified += 1;
                }
                // 0.5%: renamed (a word inserted), explanation and values kept.
                30..=34 if !dated => {
                    ind.name = ind.name.replacen("工作", "", 1);
                    ind.name.insert_str(0, "年度");
                    truth.renamed += 1;
                }
                // 0.5%: removed.
                35..=39 => {
                    cur.duties[di].indicators.remove(ii);
                    truth.removed += 1;
                    continue;
                }
                // 0.5%: a new indicator inserted before this one.
                40..=44 => {
                    next_id += 1;
                    let mut new = indicator(&mut rng, next_id, year);
                    new.explanation = format!("反映新增重点任务{next_id}的完成情况。");
                    cur.duties[di].indicators.insert(ii, new);
                    truth.added += 1;
                    ii += 2;
                    continue;
                }
                // 0.3%: moved to the next duty (if there is one).
                45..=47 if !dated && di + 1 < duties && cur.duties[di].indicators.len() > 1 => {
                    let moved = cur.duties[di].indicators.remove(ii);
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
        cur.duties[di].indicators.push(ind);
    }
    // A year token in a name is a rename only in form: the diff treats
    // 2022年 → 2023年 as equal, so it is reported as renamed.
    for d in &mut cur.duties {
        for i in &mut d.indicators {
            let from = format!("{}年", year - 1);
            if i.name.contains(&from) {
                i.name = i.name.replace(&from, &format!("{year}年"));
                truth.renamed += 1;
            }
        }
    }
    number_rows(&mut cur);
    (prior, cur, truth)
}

/// Number of value fields a synthetic indicator fills (for throughput figures).
pub const FIELDS_PER_ROW: usize = Field::ALL.len();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_table_and_names_are_unique() {
        let a = table(1, 500, "局", 2023);
        assert_eq!(a, table(1, 500, "局", 2023));
        assert_ne!(a, table(2, 500, "局", 2023));
        let names: std::collections::HashSet<_> = a.indicators().map(|(_, i)| &i.name).collect();
        assert_eq!(names.len(), 500);
        assert_eq!(a.indicators().count(), 500);
        assert_eq!(a.duties.last().unwrap().indicators.last().unwrap().row, 505);
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
