//! Plain list sheets (a header row, then one row per item) and the 其他内容 sheet of extras.

use super::styles::{Styles, DATA_SIZE, HEADER_SIZE};
use super::table::{text_height, RowHeights};
use super::{xe, WriteError};
use crate::model::Extra;
use rust_xlsxwriter::{Format, Worksheet};

/// The name of the sheet listing a table's extras.
pub const EXTRAS_SHEET: &str = "其他内容";

/// The header row of the 其他内容 sheet (A1:D1); the reader recognises the
/// sheet by it and restores each row as the extra it lists.
pub const EXTRAS_COLUMNS: [&str; 4] = ["原工作表", "原单元格", "内容", "类型"];

/// One column of a list sheet.
#[derive(Debug, Clone, Copy)]
pub struct ListColumn<'a> {
    pub label: &'a str,
    /// Width in characters.
    pub width: f64,
    /// Centred (codes, addresses) rather than wrapped left text.
    pub center: bool,
}

/// One cell of a list row: text (always written as text) and an optional format
/// from [`Styles`] overriding the column's (e.g. `styles.list_marked(..)`).
#[derive(Debug, Clone, Default)]
pub struct ListCell<'a> {
    pub text: String,
    pub format: Option<&'a Format>,
}

impl From<String> for ListCell<'_> {
    fn from(text: String) -> Self {
        ListCell { text, format: None }
    }
}

impl From<&str> for ListCell<'_> {
    fn from(text: &str) -> Self {
        ListCell {
            text: text.to_string(),
            format: None,
        }
    }
}

/// Writes a list sheet from row `first_row` (0-based): the header, then the
/// rows, bordered and wrapped, rows tall enough for their text; the header row
/// frozen, repeated on printed pages, filterable; A4 landscape, one page wide.
/// Returns the last row written.
pub fn write_list_sheet(
    ws: &mut Worksheet,
    first_row: u32,
    columns: &[ListColumn<'_>],
    rows: &[Vec<ListCell<'_>>],
    styles: &Styles,
) -> Result<u32, WriteError> {
    let mut heights = RowHeights::new();
    for (c, col) in columns.iter().enumerate() {
        let c = c as u16;
        ws.set_column_width(c, col.width).map_err(xe)?;
        ws.write_string_with_format(first_row, c, col.label, &styles.list_header)
            .map_err(xe)?;
        heights.need(
            first_row,
            text_height(col.label, col.width, HEADER_SIZE).max(20.0),
        );
    }
    let mut r = first_row;
    for cells in rows {
        r += 1;
        for (c, col) in columns.iter().enumerate() {
            let cell = cells.get(c);
            let text = cell.map(|x| x.text.as_str()).unwrap_or("");
            let fmt = cell.and_then(|x| x.format).unwrap_or(if col.center {
                &styles.list_center
            } else {
                &styles.list_text
            });
            if text.is_empty() {
                ws.write_blank(r, c as u16, fmt).map_err(xe)?;
            } else {
                ws.write_string_with_format(r, c as u16, text, fmt)
                    .map_err(xe)?;
            }
            heights.need(r, text_height(text, col.width, DATA_SIZE).max(18.0));
        }
    }
    heights.apply(ws)?;
    if !columns.is_empty() {
        let last_col = columns.len() as u16 - 1;
        ws.set_freeze_panes(first_row + 1, 0).map_err(xe)?;
        ws.autofilter(first_row, 0, r.max(first_row), last_col)
            .map_err(xe)?;
        ws.set_repeat_rows(first_row, first_row).map_err(xe)?;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(r)
}

/// Writes the 其他内容 sheet: every extra with its sheet, cell, text and kind.
pub fn write_extras_sheet(
    ws: &mut Worksheet,
    extras: &[&Extra],
    styles: &Styles,
) -> Result<u32, WriteError> {
    let columns = [
        ListColumn {
            label: EXTRAS_COLUMNS[0],
            width: 16.0,
            center: true,
        },
        ListColumn {
            label: EXTRAS_COLUMNS[1],
            width: 10.0,
            center: true,
        },
        ListColumn {
            label: EXTRAS_COLUMNS[2],
            width: 80.0,
            center: false,
        },
        ListColumn {
            label: EXTRAS_COLUMNS[3],
            width: 12.0,
            center: true,
        },
    ];
    let rows: Vec<Vec<ListCell<'_>>> = extras
        .iter()
        .map(|e| {
            vec![
                e.sheet.as_str().into(),
                e.cell.as_str().into(),
                e.text.as_str().into(),
                e.kind.label().into(),
            ]
        })
        .collect();
    write_list_sheet(ws, 0, &columns, &rows, styles)
}
