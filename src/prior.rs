//! Year over year for a whole collection (`collect --prior`): every table paired with last year's and each pair's changes, lowered targets and attainment counted (pure).
//!
//! The pairing is [`crate::diff::pair_tables`] (the same as `diff`), each
//! pair's report [`crate::diff::diff_pair`], its 目标完成
//! [`crate::diff::attainment`]. On top of them, per pair:
//!
//! - **targets lowered**: a paired indicator whose target ([`Role::Target`])
//!   is lower than last year's target, or than last year's actual as this
//!   year's table reports it ([`Role::HistoryLast`]), by
//!   [`crate::validate::target_lowered`] (lower-is-better names and ceilings
//!   excepted; the rate units `target_below_history` skips are skipped
//!   against the actual only);
//! - **copied forward**: the table has indicators and every change is a text
//!   equal once its years are normalised (`year_key`): the
//!   table was carried over with only the year changed.
//!
//! A table found on one side only is listed with why: its unit has no table
//! at all in the other year (本年未报送 / 上年未报送), or only this table is
//! missing (本年无此表 / 上年无此表).

use crate::diff::{
    attainment, diff_pair, pair_tables, text_key, year_key, Attainment, AttainmentStatus,
    ChangeKind, DiffReport,
};
use crate::model::{Role, Seq, Table};
use crate::template::Template;
use rayon::prelude::*;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// A target this year lower than last year's target or last year's actual.
#[derive(Debug, Clone, PartialEq)]
pub struct Lowered {
    /// The group in the current table, one `(level key, value)` per level.
    pub group: Vec<(String, Seq)>,
    /// The indicator's name this year.
    pub indicator: String,
    /// This year's target.
    pub target: String,
    /// Last year's target (prior table).
    pub prior_target: String,
    /// Last year's actual, as this year's table reports it.
    pub prior_actual: String,
    /// Lower than last year's target.
    pub below_prior_target: bool,
    /// Lower than last year's actual.
    pub below_prior_actual: bool,
}

impl Lowered {
    /// The group as one text (`3`, `产出指标/数量指标`).
    pub fn group_ref(&self) -> String {
        let parts: Vec<String> = self.group.iter().map(|(_, v)| v.to_string()).collect();
        parts.join("/")
    }
}

impl Serialize for Lowered {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (k, v) in &self.group {
            m.serialize_entry(k, v)?;
        }
        m.serialize_entry("indicator", &self.indicator)?;
        m.serialize_entry("target", &self.target)?;
        m.serialize_entry("prior_target", &self.prior_target)?;
        m.serialize_entry("prior_actual", &self.prior_actual)?;
        m.serialize_entry("below_prior_target", &self.below_prior_target)?;
        m.serialize_entry("below_prior_actual", &self.below_prior_actual)?;
        m.end()
    }
}

/// Where a table was read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableSource {
    /// The file the table was read from.
    pub path: String,
    /// The sheet it was read from.
    pub sheet: String,
    /// The table's year, when known.
    pub year: Option<i32>,
}

impl TableSource {
    fn of(t: &Table) -> TableSource {
        TableSource {
            path: t.source.path.clone(),
            sheet: t.source.sheet.clone(),
            year: t.year,
        }
    }
}

/// Counts of [`Attainment`] by status, and the rows not attained.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct AttainmentCounts {
    /// Last year's targets attained (达成).
    pub met: usize,
    /// Last year's targets not attained (未达成).
    pub not_met: usize,
    /// Targets that cannot be compared (无法比较).
    pub not_comparable: usize,
    /// The 未达成 rows, in current table order.
    pub not_met_indicators: Vec<Attainment>,
}

impl AttainmentCounts {
    fn of(rows: Vec<Attainment>) -> AttainmentCounts {
        let mut c = AttainmentCounts::default();
        for a in rows {
            match a.status {
                AttainmentStatus::Met => c.met += 1,
                AttainmentStatus::NotComparable => c.not_comparable += 1,
                AttainmentStatus::NotMet => {
                    c.not_met += 1;
                    c.not_met_indicators.push(a);
                }
            }
        }
        c
    }
}

/// One table paired with last year's.
#[derive(Debug, Clone, Serialize)]
pub struct YearPair {
    /// Index of last year's table among the prior tables.
    #[serde(skip)]
    pub prior_table: usize,
    /// Index of this year's table among the current tables.
    #[serde(skip)]
    pub current_table: usize,
    /// This year's department (last year's when this year's names none).
    pub department: Option<String>,
    /// This year's project, for a template with projects.
    pub project: Option<String>,
    /// The template's id.
    pub template: String,
    /// Where last year's table was read.
    pub prior: TableSource,
    /// Where this year's table was read.
    pub current: TableSource,
    /// Unchanged apart from the year.
    pub copied_forward: bool,
    /// Targets lowered against last year's target or actual, in current table order.
    pub lowered: Vec<Lowered>,
    /// Last year's targets against last year's actuals ([`Role::HistoryLast`]).
    pub attainment: AttainmentCounts,
    /// The pair's diff (the diff JSON of `jixiao diff`).
    pub diff: DiffReport,
}

/// Why a table has no counterpart in the other year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Absence {
    /// The unit has no table at all in the other year.
    UnitMissing,
    /// The unit has tables in the other year, but not this one (a project dropped or new).
    TableMissing,
}

/// A table found in one year only.
#[derive(Debug, Clone, Serialize)]
pub struct OnlyOne {
    /// Index of the table among its year's tables.
    #[serde(skip)]
    pub table: usize,
    /// The table's department.
    pub department: Option<String>,
    /// The table's project, for a template with projects.
    pub project: Option<String>,
    /// The template's id.
    pub template: String,
    /// Where the table was read.
    #[serde(flatten)]
    pub source: TableSource,
    /// Which year lacks it, and whether the whole unit is missing.
    pub absence: Absence,
    /// What a clerk reads: 本年未报送 / 上年未报送 / 本年无此表 / 上年无此表.
    pub reason: &'static str,
}

/// The comparison of a whole collection with last year's.
#[derive(Debug, Clone, Serialize, Default)]
pub struct YearOverYear {
    /// The paired tables, in this year's order.
    pub pairs: Vec<YearPair>,
    /// Tables found this year only, in this year's order.
    pub only_current: Vec<OnlyOne>,
    /// Tables found last year only, in last year's order.
    pub only_prior: Vec<OnlyOne>,
}

fn project_of(t: &Table) -> Option<String> {
    t.shape
        .form_role(Role::Project)
        .map(|i| t.form.text(i).trim().to_string())
}

fn department_key(t: &Table) -> Option<String> {
    t.department
        .as_deref()
        .map(text_key)
        .filter(|k| !k.is_empty())
}

impl YearOverYear {
    /// Pairs `prior` with `current` ([`pair_tables`]) and compares each pair
    /// (in parallel); `templates` give the rules of lowered targets (a table's
    /// own by its id, else the first).
    pub fn new(prior: &[Table], current: &[Table], templates: &[Template]) -> YearOverYear {
        let pairs = pair_tables(prior, current);
        let mut out = YearOverYear::default();
        let both: Vec<(usize, usize)> = pairs.iter().filter_map(|&(p, c)| Some((p?, c?))).collect();
        out.pairs = both
            .par_iter()
            .map(|&(p, c)| {
                let (pt, ct) = (&prior[p], &current[c]);
                let diff = diff_pair(prior, current, (Some(p), Some(c))).expect("a pair");
                let template = templates
                    .iter()
                    .find(|t| t.id == ct.template)
                    .or(templates.first());
                YearPair {
                    prior_table: p,
                    current_table: c,
                    department: ct.department.clone().or_else(|| pt.department.clone()),
                    project: project_of(ct),
                    template: ct.template.clone(),
                    prior: TableSource::of(pt),
                    current: TableSource::of(ct),
                    copied_forward: copied_forward(ct, &diff),
                    lowered: template.map_or_else(Vec::new, |tpl| lowered(pt, ct, &diff, tpl)),
                    attainment: AttainmentCounts::of(attainment(pt, ct, &diff)),
                    diff,
                }
            })
            .collect();
        let depts = |tables: &[Table]| -> std::collections::HashSet<String> {
            tables.iter().filter_map(department_key).collect()
        };
        let (prior_depts, current_depts) = (depts(prior), depts(current));
        let only = |t: &Table, k: usize, other: &std::collections::HashSet<String>, this_year| {
            let missing = department_key(t).is_none_or(|d| !other.contains(&d));
            let reason = match (this_year, missing) {
                (true, true) => "上年未报送",
                (true, false) => "上年无此表",
                (false, true) => "本年未报送",
                (false, false) => "本年无此表",
            };
            OnlyOne {
                table: k,
                department: t.department.clone(),
                project: project_of(t),
                template: t.template.clone(),
                source: TableSource::of(t),
                absence: if missing {
                    Absence::UnitMissing
                } else {
                    Absence::TableMissing
                },
                reason,
            }
        };
        for &pair in &pairs {
            match pair {
                (None, Some(c)) => out
                    .only_current
                    .push(only(&current[c], c, &prior_depts, true)),
                (Some(p), None) => out
                    .only_prior
                    .push(only(&prior[p], p, &current_depts, false)),
                _ => {}
            }
        }
        out
    }

    /// How many pairs have targets lowered, targets not attained, and are copied forward.
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |f: fn(&YearPair) -> bool| self.pairs.iter().filter(|p| f(p)).count();
        (
            n(|p| !p.lowered.is_empty()),
            n(|p| p.attainment.not_met > 0),
            n(|p| p.copied_forward),
        )
    }
}

/// Whether `current` is last year's table with only its years changed.
fn copied_forward(current: &Table, diff: &DiffReport) -> bool {
    current.indicator_count() > 0
        && diff.changes.iter().all(|c| {
            matches!(c.kind, ChangeKind::Modified | ChangeKind::Renamed)
                && match (&c.old, &c.new) {
                    (Some(a), Some(b)) => year_key(a) == year_key(b),
                    _ => false,
                }
        })
}

/// The paired indicators whose target is lower than last year's target or actual.
fn lowered(prior: &Table, current: &Table, diff: &DiffReport, tpl: &Template) -> Vec<Lowered> {
    let (Some(pt), Some(ct), Some(name)) = (
        prior.shape.indicator_role(Role::Target),
        current.shape.indicator_role(Role::Target),
        current.shape.indicator_role(Role::Name),
    ) else {
        return Vec::new();
    };
    let actual = current.shape.indicator_role(Role::HistoryLast);
    let mut out = Vec::new();
    for p in &diff.matching.pairs {
        let Some(a) = prior
            .groups
            .get(p.prior.group)
            .and_then(|g| g.indicators.get(p.prior.indicator))
        else {
            continue;
        };
        let Some(g) = current.groups.get(p.current.group) else {
            continue;
        };
        let Some(b) = g.indicators.get(p.current.indicator) else {
            continue;
        };
        let Some(target) = b.quantity(ct) else {
            continue;
        };
        let n = b.text(name);
        let below_prior_target = a
            .quantity(pt)
            .is_some_and(|q| crate::validate::target_lowered(tpl, n, target, q, false));
        let below_prior_actual = actual
            .and_then(|f| b.quantity(f))
            .is_some_and(|q| crate::validate::target_lowered(tpl, n, target, q, true));
        if below_prior_target || below_prior_actual {
            out.push(Lowered {
                group: current.group_names(g),
                indicator: n.to_string(),
                target: b.text(ct).to_string(),
                prior_target: a.text(pt).to_string(),
                prior_actual: actual.map_or("", |f| b.text(f)).to_string(),
                below_prior_target,
                below_prior_actual,
            });
        }
    }
    out
}
