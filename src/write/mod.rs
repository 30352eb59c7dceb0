//! Writes models (plus findings or changes) as styled xlsx; the only module that imports rust_xlsxwriter.
//!
//! STUB: the official writer is being written.

use crate::model::{Place, Table};
use crate::template::Template;

/// A writer error (rust_xlsxwriter's, as text).
#[derive(Debug, thiserror::Error)]
#[error("写出工作簿失败：{0}")]
pub struct WriteError(pub String);

/// How a marked cell is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkColor {
    /// A validation error (red).
    Error,
    /// A validation warning (amber).
    Warning,
    /// Diff: a new indicator or duty (green).
    Added,
    /// Diff: a changed value (yellow).
    Modified,
    /// Diff: a renamed indicator (blue).
    Renamed,
    /// Diff: an indicator moved from another duty (purple).
    Moved,
}

/// A cell of the written table to fill and annotate with a note.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub place: Place,
    pub color: MarkColor,
    pub note: String,
}

/// The official workbook of one table (what `restyle` writes); extras on a 其他内容 sheet.
pub fn official_workbook(table: &Table, template: &Template) -> Result<Vec<u8>, WriteError> {
    let _ = (table, template);
    Err(WriteError("not written yet".into()))
}

/// The blank template: the table's duties and indicators (empty for a fresh template)
/// in the official layout, header locked, sheet protected, values unlocked.
pub fn blank_template(table: &Table, template: &Template) -> Result<Vec<u8>, WriteError> {
    let _ = (table, template);
    Err(WriteError("not written yet".into()))
}

mod collect;
pub use collect::collect_workbook;
