//! Checks a table against the rules of spec/rules.md: a model in, findings out (pure).
//!
//! STUB: the rules are being written.

use crate::model::{Place, Seq, Table};
use crate::template::Template;
use serde::Serialize;

/// The `schema` value of the validation JSON.
pub const VALIDATION_SCHEMA: &str = "jixiao.validation/1";

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// One finding at one input cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A rule code of spec/rules.md (`missing_value`, …).
    pub code: String,
    pub sheet: String,
    /// A1 address in the input.
    pub cell: String,
    pub duty: Option<Seq>,
    pub indicator: Option<String>,
    /// The model field (`annual_value`; `name` for a duty's 部门职责 is `duty_name`).
    pub field: Option<String>,
    /// In Chinese, for the person who fixes the file.
    pub message: String,
    /// Where in the model the finding sits, for writers that mark cells.
    #[serde(skip)]
    pub place: Option<Place>,
}

/// The validation JSON (spec/model.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema: String,
    pub path: String,
    pub errors: usize,
    pub warnings: usize,
    pub issues: Vec<Finding>,
}

/// Checks `table`; `prior` (last year's table) enables `stale_target`.
pub fn validate(table: &Table, template: &Template, prior: Option<&Table>) -> Report {
    let _ = (template, prior);
    Report {
        schema: VALIDATION_SCHEMA.into(),
        path: table.source.path.clone(),
        errors: 0,
        warnings: 0,
        issues: Vec::new(),
    }
}
