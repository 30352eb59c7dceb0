//! Compares last year's table with this year's: two models in, changes out (pure).
//!
//! STUB: matching is being written.

use crate::model::{Place, Seq, Table};
use serde::Serialize;

/// The `schema` value of the diff JSON.
pub const DIFF_SCHEMA: &str = "jixiao.diff/1";

/// The diff JSON (spec/model.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffReport {
    pub schema: String,
    pub prior: Side,
    pub current: Side,
    pub summary: Summary,
    pub changes: Vec<Change>,
}

/// One of the two tables compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    pub title: String,
    pub year: Option<i32>,
    pub path: String,
}

/// Counts of changes by kind; `unchanged` counts matched indicators with no change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub renamed: usize,
    pub moved: usize,
    pub modified: usize,
    pub unchanged: usize,
}

/// What kind of fact a change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Renamed,
    Moved,
    Modified,
}

/// One fact that differs between the years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The duty's seq in the current table (in the prior table for `removed`).
    pub duty: Option<Seq>,
    /// The indicator's name in the current table (prior for `removed`); `None` for a duty's own change.
    pub indicator: Option<String>,
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<Delta>,
    /// Where the change sits in the current table (`None` for `removed`).
    #[serde(skip)]
    pub place: Option<Place>,
    /// Where it sat in the prior table (`None` for `added`).
    #[serde(skip)]
    pub prior_place: Option<Place>,
}

/// The numeric change between two quantities of the same unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta {
    pub number: f64,
    /// Relative change in percent of the old value; `None` when the old value is 0.
    pub percent: Option<f64>,
}

/// Compares two years of one department's table.
pub fn diff(prior: &Table, current: &Table) -> DiffReport {
    let side = |t: &Table| Side {
        title: t.title.clone(),
        year: t.year,
        path: t.source.path.clone(),
    };
    DiffReport {
        schema: DIFF_SCHEMA.into(),
        prior: side(prior),
        current: side(current),
        summary: Summary::default(),
        changes: Vec::new(),
    }
}
