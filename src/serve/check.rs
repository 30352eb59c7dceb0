//! 自查: a workbook's bytes → its tables as read (the sheet's cells and merges), findings, and the marked and official workbooks.

use crate::commands::restyle::{official, tables_and_extras_bytes};
use crate::commands::{table_label, template_of};
use crate::error::{Error, Result};
use crate::model::{Extra, Table};
use crate::read::{sheet_cells, ReadOptions};
use crate::template::Template;
use crate::validate::{validate, Report, Severity};
use crate::write::marked_workbook_with_extras;
use serde::Serialize;

/// Rows of a sheet drawn at most per table.
const MAX_ROWS: u32 = 2_000;
/// Columns drawn at most.
const MAX_COLS: u32 = 60;

/// A workbook read and checked: every table with its findings.
pub struct Checked {
    pub tables: Vec<Table>,
    pub extras: Vec<Extra>,
    pub reports: Vec<Report>,
}

/// Reads every table of an upload (named `display` in errors) and checks each.
pub fn check(bytes: &[u8], display: &str, templates: &[Template]) -> Result<Checked> {
    let opts = ReadOptions {
        sheet: None,
        templates,
    };
    let (tables, extras) = tables_and_extras_bytes(bytes, display, &opts)?;
    let reports = tables
        .iter()
        .map(|t| Ok(validate(t, template_of(templates, t)?, None)))
        .collect::<Result<Vec<_>>>()?;
    Ok(Checked {
        tables,
        extras,
        reports,
    })
}

/// The marked workbook (`validate -o`): every table restyled, every finding on its cell, 校验结果.
pub fn marked(c: &Checked, templates: &[Template]) -> Result<Vec<u8>> {
    let items = c
        .tables
        .iter()
        .zip(&c.reports)
        .map(|(t, r)| Ok((t, r, template_of(templates, t)?)))
        .collect::<Result<Vec<_>>>()?;
    marked_workbook_with_extras(&items, &c.extras).map_err(Error::serve)
}

/// The official workbook (`restyle`).
pub fn official_bytes(c: &Checked, templates: &[Template]) -> Result<Vec<u8>> {
    official(&c.tables, &c.extras, templates)?.map_err(Error::serve)
}

/// What the 自查 page draws.
#[derive(Debug, Serialize)]
pub struct View {
    pub file: String,
    pub errors: usize,
    pub warnings: usize,
    pub tables: Vec<TableView>,
}

/// One table: its name, counts, findings and the part of its sheet it occupies.
#[derive(Debug, Serialize)]
pub struct TableView {
    pub label: String,
    pub template: String,
    pub sheet: String,
    pub errors: usize,
    pub warnings: usize,
    pub findings: Vec<FindingView>,
    pub grid: GridView,
}

/// One finding as a person reads it.
#[derive(Debug, Serialize)]
pub struct FindingView {
    /// `error` or `warning`.
    pub severity: &'static str,
    /// 错误 / 警告.
    pub level: &'static str,
    pub code: String,
    /// The rule's Chinese name (目标低于上年实际).
    pub rule: &'static str,
    pub message: String,
    pub sheet: String,
    pub cell: String,
}

/// Rows `first..=last` (0-based) of a sheet: its non-empty cells and merged
/// regions in that range, and the header rows (0-based) for styling.
#[derive(Debug, Serialize)]
pub struct GridView {
    pub first: u32,
    pub last: u32,
    pub cols: u32,
    pub header: [u32; 2],
    pub title_row: Option<u32>,
    pub cells: Vec<(u32, u32, String)>,
    pub merges: Vec<[u32; 4]>,
    /// Rows left out past [`MAX_ROWS`].
    pub cut: bool,
}

/// The page's view of a checked upload: each table with the rows of its sheet it occupies.
pub fn view(bytes: &[u8], display: &str, c: &Checked) -> View {
    // The sheets as loaded, for drawing; the reader already accepted these bytes.
    let sheets = sheet_cells(bytes).unwrap_or_default();
    let mut tables = Vec::with_capacity(c.tables.len());
    for (k, (t, r)) in c.tables.iter().zip(&c.reports).enumerate() {
        let sheet = sheets.iter().find(|s| s.name == t.source.sheet);
        let cells: &[(u32, u32, String)] = sheet.map_or(&[], |s| s.cells.as_deref().unwrap_or(&[]));
        let merges: &[[u32; 4]] = sheet.map_or(&[], |s| &s.merges);
        // Rows after the previous table of the same sheet, up to this table's
        // last row (the last table: to the sheet's end, its footnotes).
        let last_of = |t: &Table| t.source.data_rows.map_or(t.source.header_rows[1], |d| d[1]);
        let same: Vec<&Table> = c
            .tables
            .iter()
            .filter(|o| o.source.sheet == t.source.sheet)
            .collect();
        let before = c.tables[..k]
            .iter()
            .filter(|o| o.source.sheet == t.source.sheet)
            .map(last_of)
            .max();
        let is_last = same.last().is_some_and(|o| std::ptr::eq(*o, t));
        let first = before.unwrap_or(0); // 1-based last row before → 0-based first row
        let sheet_end = cells.iter().map(|c| c.0).max().unwrap_or(0);
        let mut last = if is_last {
            sheet_end.max(last_of(t).saturating_sub(1))
        } else {
            last_of(t).saturating_sub(1)
        };
        let cut = last >= first + MAX_ROWS;
        if cut {
            last = first + MAX_ROWS - 1;
        }
        let in_range = |r: u32, c: u32| r >= first && r <= last && c < MAX_COLS;
        let cells: Vec<(u32, u32, String)> = cells
            .iter()
            .filter(|(r, c, _)| in_range(*r, *c))
            .cloned()
            .collect();
        let merges: Vec<[u32; 4]> = merges
            .iter()
            .filter(|m| in_range(m[0], m[1]))
            .map(|m| [m[0], m[1], m[2].min(last), m[3].min(MAX_COLS - 1)])
            .collect();
        let cols = cells
            .iter()
            .map(|c| c.1 + 1)
            .chain(merges.iter().map(|m| m[3] + 1))
            .max()
            .unwrap_or(1);
        let header = [
            t.source.header_rows[0].saturating_sub(1),
            t.source.header_rows[1].saturating_sub(1),
        ];
        let title_row = cells
            .iter()
            .find(|c| c.0 < header[0] && c.2 == t.title)
            .map(|c| c.0);
        tables.push(TableView {
            label: table_label(t, &c.tables),
            template: t.template.clone(),
            sheet: t.source.sheet.clone(),
            errors: r.errors,
            warnings: r.warnings,
            findings: r
                .issues
                .iter()
                .map(|f| FindingView {
                    severity: match f.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "info",
                    },
                    level: f.severity.label(),
                    code: f.code.to_string(),
                    rule: f.code.name(),
                    message: f.message.clone(),
                    sheet: f.sheet.clone(),
                    cell: f.cell.clone(),
                })
                .collect(),
            grid: GridView {
                first,
                last,
                cols,
                header,
                title_row,
                cells,
                merges,
                cut,
            },
        });
    }
    View {
        file: display.to_string(),
        errors: c.reports.iter().map(|r| r.errors).sum(),
        warnings: c.reports.iter().map(|r| r.warnings).sum(),
        tables,
    }
}
