//! Plain list sheets (a header row, then one row per item) and the 其他内容 sheet of extras (its contract: [`crate::extras_sheet`]).

use super::runs::FormatRuns;
use super::styles::{Styles, DATA_SIZE, HEADER_SIZE};
use super::table::{text_height, RowHeights};
use super::{xe, WriteError};
use crate::extras_sheet::{row_texts, Layout};
use crate::model::Extra;
use rust_xlsxwriter::{Format, Worksheet};

/// The name of the sheet listing extras (`crate::extras_sheet::SHEET`).
pub const EXTRAS_SHEET: &str = crate::extras_sheet::SHEET;

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
    write_list_sheet_with(ws, first_row, columns, rows, &[], styles)
}

/// [`write_list_sheet`], a cell of the `numeric` columns that reads as a whole
/// number written as that number (its text's format and height all the same).
pub(crate) fn write_list_sheet_with(
    ws: &mut Worksheet,
    first_row: u32,
    columns: &[ListColumn<'_>],
    rows: &[Vec<ListCell<'_>>],
    numeric: &[usize],
    styles: &Styles,
) -> Result<u32, WriteError> {
    let mut list = ListWriter::start(ws, first_row, columns, numeric, styles)?;
    for cells in rows {
        list.row(ws, cells, styles)?;
    }
    list.finish(ws)
}

/// A list sheet written a row at a time ([`write_list_sheet_with`] in
/// steps): the header at [`ListWriter::start`], each [`ListWriter::row`]
/// under the last, and at [`ListWriter::finish`] the rows' heights, the
/// frozen and filterable header and the page setup.
#[derive(Debug)]
pub(crate) struct ListWriter<'f> {
    first_row: u32,
    /// The last row written.
    last: u32,
    /// Each column's width and whether it is centred.
    columns: Vec<(f64, bool)>,
    numeric: Vec<usize>,
    heights: RowHeights,
    /// The rows' cells, formatted in runs down the columns.
    runs: FormatRuns<'f>,
}

impl<'f> ListWriter<'f> {
    /// Writes the header at `first_row` (0-based) and the columns' widths.
    pub(crate) fn start(
        ws: &mut Worksheet,
        first_row: u32,
        columns: &[ListColumn<'_>],
        numeric: &[usize],
        styles: &Styles,
    ) -> Result<ListWriter<'f>, WriteError> {
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
        Ok(ListWriter {
            first_row,
            last: first_row,
            columns: columns.iter().map(|c| (c.width, c.center)).collect(),
            numeric: numeric.to_vec(),
            heights,
            runs: FormatRuns::new(),
        })
    }

    /// The number of rows written under the header.
    pub(crate) fn rows(&self) -> u32 {
        self.last - self.first_row
    }

    /// Writes one row under the last.
    pub(crate) fn row(
        &mut self,
        ws: &mut Worksheet,
        cells: &[ListCell<'f>],
        styles: &'f Styles,
    ) -> Result<(), WriteError> {
        self.last += 1;
        let r = self.last;
        for (c, &(width, center)) in self.columns.iter().enumerate() {
            let cell = cells.get(c);
            let text = cell.map(|x| x.text.as_str()).unwrap_or("");
            let fmt = cell.and_then(|x| x.format).unwrap_or(if center {
                &styles.list_center
            } else {
                &styles.list_text
            });
            let number = if self.numeric.contains(&c) {
                text.trim().parse::<i64>().ok()
            } else {
                None
            };
            match number {
                Some(n) => self.runs.number(ws, r, c as u16, n as f64, fmt)?,
                None => self.runs.string(ws, r, c as u16, text, fmt)?,
            }
            self.heights
                .need(r, text_height(text, width, DATA_SIZE).max(18.0));
        }
        Ok(())
    }

    /// Sets the rows' heights, freezes and filters the header, repeats it on
    /// printed pages (A4 landscape, one page wide); returns the last row written.
    pub(crate) fn finish(self, ws: &mut Worksheet) -> Result<u32, WriteError> {
        let (first_row, r) = (self.first_row, self.last);
        self.runs.finish(ws)?;
        self.heights.apply(ws)?;
        if !self.columns.is_empty() {
            let last_col = self.columns.len() as u16 - 1;
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
}

/// Writes the 其他内容 sheet of one table: every extra with its sheet, cell,
/// text and kind (`Layout::Plain`).
pub fn write_extras_sheet(
    ws: &mut Worksheet,
    extras: &[&Extra],
    styles: &Styles,
) -> Result<u32, WriteError> {
    let rows: Vec<(&Extra, Option<&str>)> = extras.iter().map(|e| (*e, None)).collect();
    write_extras_listing(ws, Layout::Plain, &rows, styles)
}

/// Writes the 其他内容 sheet in `layout`: one row per extra, with (in
/// [`Layout::WithTable`]) the sheet its table was written to, empty for the
/// workbook's own (`None`).
pub fn write_extras_listing(
    ws: &mut Worksheet,
    layout: Layout,
    rows: &[(&Extra, Option<&str>)],
    styles: &Styles,
) -> Result<u32, WriteError> {
    // Widths by column: sheet, cell, text, kind, table.
    const WIDTHS: [(f64, bool); 5] = [
        (16.0, true),
        (10.0, true),
        (80.0, false),
        (12.0, true),
        (16.0, true),
    ];
    let columns: Vec<ListColumn<'_>> = layout
        .columns()
        .iter()
        .zip(WIDTHS)
        .map(|(label, (width, center))| ListColumn {
            label,
            width,
            center,
        })
        .collect();
    let rows: Vec<Vec<ListCell<'_>>> = rows
        .iter()
        .map(|(e, table)| {
            row_texts(layout, e, *table)
                .into_iter()
                .map(ListCell::from)
                .collect()
        })
        .collect();
    write_list_sheet(ws, 0, &columns, &rows, styles)
}
