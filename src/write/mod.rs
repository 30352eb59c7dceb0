//! Writes models (plus findings or changes) as styled xlsx; the only module that imports rust_xlsxwriter.
//!
//! - [`table::write_table_sheet`] writes the official table on a worksheet and
//!   returns a [`TableLayout`] (where each [`Place`] went), for the restyled,
//!   marked and diff workbooks alike.
//! - [`styles::Styles`] holds every `Format`; list sheets use
//!   [`extras::write_list_sheet`].
//! - [`official_workbook`] (restyle) and [`blank_template`] (template) build whole workbooks;
//!   [`diff_workbook`] the diff's.

mod collect;
mod diff;
pub mod extras;
mod marked;
pub mod styles;
pub mod table;

pub use collect::collect_workbook;
pub use diff::{
    change_note, delta_text, diff_workbook, kind_color, ATTAINMENT_SHEET, CHANGES_SHEET,
    CURRENT_SHEET, DIFF_SUMMARY_SHEET, REMOVED_BLOCK_TITLE,
};
pub use extras::{write_list_sheet, ListCell, ListColumn, EXTRAS_SHEET};
pub use marked::{finding_note, marked_workbook, FINDINGS_SHEET};
pub use styles::Styles;
pub use table::{write_table_sheet, write_table_sheet_with, RowHeights, TableLayout, TableOptions};

use crate::model::{Place, Table};
use crate::template::Template;
use rust_xlsxwriter::{DocProperties, ProtectionOptions, Workbook, XlsxError};

/// The name of the official table's sheet.
pub const TABLE_SHEET: &str = "绩效目标表";

/// Spare empty rows after a rolled-forward template's indicators.
pub const ROLLED_SPARE_ROWS: u32 = 5;

/// A writer error (rust_xlsxwriter's, as text).
#[derive(Debug, thiserror::Error)]
#[error("写出工作簿失败：{0}")]
pub struct WriteError(pub String);

/// rust_xlsxwriter's error as a [`WriteError`].
pub(crate) fn xe(e: XlsxError) -> WriteError {
    WriteError(e.to_string())
}

/// How a marked cell is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
///
/// A duty-level field (职责序号, 部门职责, 职责目标) marks the duty's merged cell
/// whatever `indicator` says; an indicator-level field with `indicator: None`
/// marks that column on the duty's first row. Several marks on one cell: the
/// highest-priority colour wins ([`MarkColor::ALL`] order) and the notes are joined.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub place: Place,
    pub color: MarkColor,
    pub note: String,
}

/// A new workbook with the document properties of jixiao's outputs.
pub fn new_workbook(title: &str) -> Workbook {
    let mut wb = Workbook::new();
    // Level 3 of 9: restyle spends ~15% of its time compressing at the default
    // level; files grow ~20% (a 20,000-indicator table: 1.5 → 1.8 MB).
    wb.set_zip_compression_level(3);
    let props = DocProperties::new()
        .set_title(title)
        .set_author("jixiao")
        .set_comment("由 jixiao 生成");
    wb.set_properties(&props);
    wb
}

/// Saves a workbook to bytes.
pub fn save(wb: &mut Workbook) -> Result<Vec<u8>, WriteError> {
    wb.save_to_buffer().map_err(xe)
}

/// The official workbook of one table (what `restyle` writes): the table on a
/// `绩效目标表` sheet; when the table has extras, a `其他内容` sheet lists them.
pub fn official_workbook(table: &Table, template: &Template) -> Result<Vec<u8>, WriteError> {
    let styles = Styles::official();
    let mut wb = new_workbook(&table.title);
    let ws = wb.add_worksheet();
    ws.set_name(TABLE_SHEET).map_err(xe)?;
    write_table_sheet(ws, table, template, &[], &styles)?;
    if !table.extras.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(EXTRAS_SHEET).map_err(xe)?;
        extras::write_extras_sheet(ws, &table.extras, &styles)?;
    }
    save(&mut wb)
}

/// The blank template: the table's duties and indicators (none for a fresh
/// template, then `empty_rows` empty rows; a rolled-forward table gets
/// [`ROLLED_SPARE_ROWS`] spare rows, at most `empty_rows`) in the official
/// layout; header locked, sheet protected without a password, data cells
/// unlocked; input messages on the header and drop-down suggestions on the
/// source columns.
pub fn blank_template(
    table: &Table,
    template: &Template,
    empty_rows: u32,
) -> Result<Vec<u8>, WriteError> {
    let styles = Styles::blank_template();
    let mut wb = new_workbook(&table.title);
    let ws = wb.add_worksheet();
    ws.set_name(TABLE_SHEET).map_err(xe)?;
    let spare_rows = if table.duties.is_empty() {
        empty_rows
    } else {
        empty_rows.min(ROLLED_SPARE_ROWS)
    };
    let options = TableOptions {
        spare_rows,
        input_help: true,
    };
    write_table_sheet_with(ws, table, template, &[], &styles, &options)?;
    let protection = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        insert_rows: true,
        delete_rows: true,
        ..ProtectionOptions::new()
    };
    ws.protect_with_options(&protection);
    save(&mut wb)
}
