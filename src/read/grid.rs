//! A sparse grid of one sheet's non-empty cells (display text, cleaned) and its merged regions.
//!
//! Built in one pass over the sheet: xlsx/xlsm stream their cells (with number
//! formats; calamine parses a large sheet's on a second thread while this one
//! turns them into text), other formats go through calamine's range. Text cells are cleaned
//! ([`clean_text`]), numeric cells rendered through their number format by the
//! one engine ([`render_number`]) whatever the container. Never dense over the
//! sheet's dimensions.

use super::container::{classify_open_error, MAX_CELL_CHARS, MAX_SHEET_CELLS};
use super::numfmt::{is_date_format, render_number};
use crate::error::InputError;
use crate::text::clean_cow;
use calamine::{
    Cell, Data, DataRef, Dimensions, ExcelDateTime, ExcelDateTimeType, Reader, Sheets,
    XlsxCellReader,
};
use compact_str::CompactString;
use std::collections::HashMap;
use std::io::{Read, Seek};
use std::sync::mpsc;

/// A cell's text as the grid holds it: up to 24 bytes (8 CJK characters, most cells of a
/// table) inline, longer ones on the heap; reads as a `&str`.
pub(crate) type CellText = CompactString;

/// One non-empty cell; `row` and `col` are 0-based.
#[derive(Debug, Clone)]
pub(crate) struct GCell {
    pub row: u32,
    pub col: u32,
    pub text: CellText,
}

/// A merged region, inclusive, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Merge {
    pub r0: u32,
    pub c0: u32,
    pub r1: u32,
    pub c1: u32,
}

/// Merges starting in one column: that column and its (r0, r1, c1) spans, sorted by r0.
type ColumnMerges = (u32, Vec<(u32, u32, u32)>);

/// A sheet's cells sorted by (row, col), plus its merges.
#[derive(Debug, Default)]
pub(crate) struct Grid {
    pub cells: Vec<GCell>,
    pub merges: Vec<Merge>,
    /// Merges by their top-left column (sorted by column): (r0, r1, c1) sorted by r0.
    by_col: Vec<ColumnMerges>,
    /// Cells (row, col) whose text was longer than a workbook cell holds and was cut.
    pub truncated: Vec<(u32, u32)>,
}

impl Grid {
    pub fn new(mut cells: Vec<GCell>, merges: Vec<Merge>) -> Grid {
        if !cells.is_sorted_by_key(|c| (c.row, c.col)) {
            cells.sort_by_key(|c| (c.row, c.col));
        }
        cells.dedup_by_key(|c| (c.row, c.col));
        let mut g = Grid {
            cells,
            merges: Vec::new(),
            by_col: Vec::new(),
            truncated: Vec::new(),
        };
        g.set_merges(merges);
        g
    }

    /// Replaces the merged regions (ignoring single cells).
    pub fn set_merges(&mut self, merges: Vec<Merge>) {
        let merges: Vec<Merge> = merges
            .into_iter()
            .filter(|m| (m.r0, m.c0) != (m.r1, m.c1))
            .map(|m| Merge {
                r0: m.r0.min(MAX_POS),
                c0: m.c0.min(MAX_POS),
                r1: m.r1.min(MAX_POS),
                c1: m.c1.min(MAX_POS),
            })
            .collect();
        let mut map: HashMap<u32, Vec<(u32, u32, u32)>> = HashMap::new();
        for m in &merges {
            map.entry(m.c0).or_default().push((m.r0, m.r1, m.c1));
        }
        let mut by_col: Vec<ColumnMerges> = map.into_iter().collect();
        by_col.sort_unstable_by_key(|(c, _)| *c);
        for (_, v) in &mut by_col {
            v.sort_unstable();
        }
        self.merges = merges;
        self.by_col = by_col;
    }

    /// The text of a cell itself (not through merges).
    pub fn get(&self, row: u32, col: u32) -> Option<&str> {
        self.cells
            .binary_search_by_key(&(row, col), |c| (c.row, c.col))
            .ok()
            .map(|i| self.cells[i].text.as_str())
    }

    /// The merge whose top-left column is `col` and whose rows cover `row`.
    pub fn vertical_merge(&self, row: u32, col: u32) -> Option<(u32, u32)> {
        let k = self.by_col.binary_search_by_key(&col, |(c, _)| *c).ok()?;
        let v = &self.by_col[k].1;
        // Last merge starting at or before `row`.
        let i = v.partition_point(|&(r0, _, _)| r0 <= row);
        if i == 0 {
            return None;
        }
        // Merges in one column do not overlap, but be tolerant: look back a little.
        for &(r0, r1, _) in v[..i].iter().rev().take(4) {
            if row >= r0 && row <= r1 {
                return Some((r0, r1));
            }
        }
        None
    }

    /// The merge whose top-left cell is `(row, col)`: its last row and last column.
    pub fn merge_from(&self, row: u32, col: u32) -> Option<(u32, u32)> {
        let k = self.by_col.binary_search_by_key(&col, |(c, _)| *c).ok()?;
        let v = &self.by_col[k].1;
        let i = v.partition_point(|&(r0, _, _)| r0 < row);
        v.get(i)
            .filter(|&&(r0, _, _)| r0 == row)
            .map(|&(_, r1, c1)| (r1, c1))
    }

    /// Cells of rows in `[r0, r1]`.
    pub fn rows_between(&self, r0: u32, r1: u32) -> &[GCell] {
        let a = self.cells.partition_point(|c| c.row < r0);
        let b = self.cells.partition_point(|c| c.row <= r1);
        &self.cells[a..b.max(a)]
    }
}

/// Highest row/column index accepted (far beyond Excel's 1,048,576 × 16,384),
/// so arithmetic on positions never overflows.
const MAX_POS: u32 = 1 << 24;

fn push_cell(
    cells: &mut Vec<GCell>,
    row: u32,
    col: u32,
    text: CellText,
    name: &str,
) -> Result<(), InputError> {
    if text.is_empty() {
        return Ok(());
    }
    if cells.len() >= MAX_SHEET_CELLS {
        return Err(InputError::TooLarge(format!(
            "工作表“{name}”超过 {MAX_SHEET_CELLS} 个非空单元格"
        )));
    }
    if row > MAX_POS || col > MAX_POS {
        return Err(InputError::TooLarge(format!(
            "工作表“{name}”的单元格位置超出范围（第 {} 行，第 {} 列）",
            row as u64 + 1,
            col as u64 + 1
        )));
    }
    cells.push(GCell { row, col, text });
    Ok(())
}

/// Builds the grid of a sheet.
/// `formats`: number formats by (row, col) for formats calamine does not
/// report (`.xls`, `.ods`). `split`: calamine parses an xlsx sheet's cells on a
/// second thread while this one turns them into text (a large file; a small
/// one is quicker on one thread, and `collect` already uses every core).
pub(crate) fn load_sheet<RS: Read + Seek + Send>(
    wb: &mut Sheets<RS>,
    name: &str,
    formats: Option<&HashMap<(u32, u32), String>>,
    with_xlsx_merges: bool,
    split: bool,
) -> Result<Grid, InputError> {
    let mut cells = Vec::new();
    let mut cut = Vec::new();
    let merges: Vec<Dimensions> = match wb {
        Sheets::Xlsx(x) => {
            {
                let mut reader = x
                    .worksheet_cells_reader(name)
                    .map_err(|e| classify_open_error(&calamine::Error::Xlsx(e)))?;
                // The number formats by style, owned: the styles are borrowed from the reader.
                let formats: Vec<Option<String>> = reader
                    .styles()
                    .iter()
                    .map(|s| s.number_format.as_ref().map(|n| n.format_code.clone()))
                    .collect();
                if split {
                    stream_split(&mut reader, &formats, name, &mut cells, &mut cut)?;
                } else {
                    while let Some((cell, style)) = next_xlsx_cell(&mut reader)? {
                        take_cell(
                            &mut cells,
                            &mut cut,
                            &cell,
                            format_of(&formats, style),
                            name,
                        )?;
                    }
                }
            }
            if with_xlsx_merges {
                x.merge_cells_by_sheet_name(name)
                    .map_err(|e| classify_open_error(&calamine::Error::Xlsx(e)))?
            } else {
                Vec::new()
            }
        }
        Sheets::Xlsb(x) => {
            {
                let mut reader = x
                    .worksheet_cells_reader(name)
                    .map_err(|e| classify_open_error(&calamine::Error::Xlsb(e)))?;
                loop {
                    let next = reader
                        .next_cell()
                        .map_err(|e| classify_open_error(&calamine::Error::Xlsb(e)))?;
                    let Some(cell) = next else { break };
                    let (row, col) = cell.get_position();
                    if overlong_ref(cell.get_value()) {
                        cut.push((row, col));
                    }
                    let text = dataref_text(cell.get_value(), None);
                    push_cell(&mut cells, row, col, text, name)?;
                }
            }
            Vec::new()
        }
        Sheets::Xls(x) => {
            let range = x
                .worksheet_range(name)
                .map_err(|e| classify_open_error(&calamine::Error::Xls(e)))?;
            range_cells(&range, &mut cells, &mut cut, name, formats)?;
            x.merge_cells_by_sheet_name(name).unwrap_or_default()
        }
        Sheets::Ods(x) => {
            let range = x
                .worksheet_range(name)
                .map_err(|e| classify_open_error(&calamine::Error::Ods(e)))?;
            range_cells(&range, &mut cells, &mut cut, name, formats)?;
            Vec::new()
        }
    };
    let merges = merges.into_iter().map(merge_of).collect();
    // The vector grew by doubling; the grid lives beside the table built from it.
    cells.shrink_to_fit();
    let mut grid = Grid::new(cells, merges);
    cut.sort_unstable();
    grid.truncated = cut;
    Ok(grid)
}

/// An xlsx cell as calamine parsed it, with its style's index.
type XlsxCell<'a> = (Cell<DataRef<'a>>, usize);

/// Cells handed from the parsing thread to the converting one at a time.
const BATCH: usize = 1024;

/// Batches in flight between the two threads: calamine never runs more than
/// this far ahead of the conversion.
const IN_FLIGHT: usize = 4;

fn next_xlsx_cell<'a, RS: Read + Seek>(
    reader: &mut XlsxCellReader<'a, RS>,
) -> Result<Option<XlsxCell<'a>>, InputError> {
    reader
        .next_cell_with_style_id()
        .map_err(|e| classify_open_error(&calamine::Error::Xlsx(e)))
}

/// The number format of style `style` (none for an unknown style).
fn format_of(formats: &[Option<String>], style: usize) -> Option<&str> {
    formats.get(style).and_then(|f| f.as_deref())
}

/// One parsed cell into the grid: its text as shown under `fmt`, and noted
/// when it was cut.
fn take_cell(
    cells: &mut Vec<GCell>,
    cut: &mut Vec<(u32, u32)>,
    cell: &Cell<DataRef<'_>>,
    fmt: Option<&str>,
    name: &str,
) -> Result<(), InputError> {
    let (row, col) = cell.get_position();
    if overlong_ref(cell.get_value()) {
        cut.push((row, col));
    }
    push_cell(cells, row, col, dataref_text(cell.get_value(), fmt), name)
}

/// An xlsx sheet's cells on two threads: calamine parses them on a second thread
/// (inflating and reading the XML, as the floor does) and hands them on in
/// batches; this thread renders each through its number format, cleans its
/// text and builds the grid. The grid is allocated here, on the thread that
/// goes on to build the tables: built on the other, its memory was not reused
/// once freed (validate's peak +10%).
///
/// The grid, the cut cells and the first error are exactly those of the
/// one-thread loop: the converter takes the cells in stream order, and its
/// error, being about an earlier cell, wins over the parser's.
fn stream_split<'a, RS: Read + Seek + Send>(
    reader: &mut XlsxCellReader<'a, RS>,
    formats: &[Option<String>],
    name: &str,
    cells: &mut Vec<GCell>,
    cut: &mut Vec<(u32, u32)>,
) -> Result<(), InputError> {
    let (full_tx, full_rx) = mpsc::sync_channel::<Vec<XlsxCell<'a>>>(IN_FLIGHT);
    let (empty_tx, empty_rx) = mpsc::channel::<Vec<XlsxCell<'a>>>();
    std::thread::scope(|s| {
        let parser = s.spawn(move || -> Result<(), InputError> {
            let mut batch = Vec::with_capacity(BATCH);
            while let Some(cell) = next_xlsx_cell(reader)? {
                batch.push(cell);
                if batch.len() == BATCH {
                    let next = empty_rx
                        .try_recv()
                        .unwrap_or_else(|_| Vec::with_capacity(BATCH));
                    if full_tx.send(std::mem::replace(&mut batch, next)).is_err() {
                        // The converter stopped on an error: that one is returned.
                        return Ok(());
                    }
                }
            }
            if !batch.is_empty() {
                let _ = full_tx.send(batch);
            }
            Ok(())
        });
        let converted = (|| {
            for mut batch in &full_rx {
                for (cell, style) in batch.drain(..) {
                    take_cell(cells, cut, &cell, format_of(formats, style), name)?;
                }
                // The emptied batch goes back for reuse (a fresh one each
                // time was a page-faulting allocation); the parser may be done.
                let _ = empty_tx.send(batch);
            }
            Ok(())
        })();
        // A converter that stopped early lets the parser's next send fail.
        drop(full_rx);
        let parsed = parser
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        converted.and(parsed)
    })
}

fn merge_of(d: Dimensions) -> Merge {
    Merge {
        r0: d.start.0.min(d.end.0),
        c0: d.start.1.min(d.end.1),
        r1: d.start.0.max(d.end.0),
        c1: d.start.1.max(d.end.1),
    }
}

/// The merges of an xlsx sheet through calamine (the slow path).
pub(crate) fn calamine_xlsx_merges<RS: Read + Seek>(
    wb: &mut Sheets<RS>,
    name: &str,
) -> Result<Vec<Merge>, InputError> {
    match wb {
        Sheets::Xlsx(x) => Ok(x
            .merge_cells_by_sheet_name(name)
            .map_err(|e| classify_open_error(&calamine::Error::Xlsx(e)))?
            .into_iter()
            .map(merge_of)
            .collect()),
        _ => Ok(Vec::new()),
    }
}

fn range_cells(
    range: &calamine::Range<Data>,
    cells: &mut Vec<GCell>,
    cut: &mut Vec<(u32, u32)>,
    name: &str,
    formats: Option<&HashMap<(u32, u32), String>>,
) -> Result<(), InputError> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (row, col, v) in range.used_cells() {
        let row = r0.saturating_add(u32::try_from(row).unwrap_or(u32::MAX));
        let col = c0.saturating_add(u32::try_from(col).unwrap_or(u32::MAX));
        let fmt = match v {
            Data::Float(_) | Data::Int(_) | Data::DateTime(_) | Data::DateTimeIso(_) => {
                formats.and_then(|f| f.get(&(row, col))).map(|s| s.as_str())
            }
            _ => None,
        };
        if let Data::String(t) | Data::DateTimeIso(t) | Data::DurationIso(t) = v {
            if overlong(t) {
                cut.push((row, col));
            }
        }
        let text = data_text(v, fmt);
        push_cell(cells, row, col, text, name)?;
    }
    Ok(())
}

/// Whether a text is longer than a workbook cell holds (cut by [`truncated`]).
fn overlong(s: &str) -> bool {
    s.len() > MAX_CELL_CHARS && s.chars().nth(MAX_CELL_CHARS).is_some()
}

fn overlong_ref(v: &DataRef<'_>) -> bool {
    match v {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => overlong(s),
        DataRef::SharedString(s) => overlong(s),
        _ => false,
    }
}

fn truncated(s: &str) -> CellText {
    // No more bytes than the limit: no more characters either.
    let s = if s.len() <= MAX_CELL_CHARS {
        s
    } else {
        s.char_indices()
            .nth(MAX_CELL_CHARS)
            .map_or(s, |(i, _)| &s[..i])
    };
    match clean_cow(s) {
        std::borrow::Cow::Borrowed(b) => CellText::new(b),
        std::borrow::Cow::Owned(o) => CellText::from(o),
    }
}

/// A date cell as displayed: under its own date format when it has one
/// (`yyyy"年"m"月"d"日"` → `2023年12月31日`), else as an ISO date.
fn dated_text(d: &ExcelDateTime, fmt: Option<&str>) -> String {
    if let Some(shown) = fmt.and_then(literal) {
        return shown.to_string();
    }
    match fmt {
        Some(f) if !d.is_duration() && is_date_format(f) => render_number(serial_1900(d), Some(f)),
        _ => date_text(d),
    }
}

/// The text of a format code that is one quoted literal (`"2023年12月31日"`):
/// how an `.ods` date is shown as LibreOffice displayed it.
fn literal(fmt: &str) -> Option<&str> {
    let inner = fmt.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('"')).then_some(inner)
}

/// The serial of `d` in the 1900 date system, whichever system its workbook
/// uses (a 1904 workbook's serials are 1,462 days smaller).
fn serial_1900(d: &ExcelDateTime) -> f64 {
    let v = d.as_f64();
    let as_1900 = ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false);
    if as_1900.to_ymd_hms_milli() == d.to_ymd_hms_milli() {
        v
    } else {
        v + 1462.0
    }
}

fn date_text(d: &ExcelDateTime) -> String {
    let (y, mo, da, h, mi, s, _) = d.to_ymd_hms_milli();
    if d.is_duration() {
        let total = d.as_f64() * 24.0;
        return format!("{}:{:02}:{:02}", total.floor() as i64, mi, s);
    }
    if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}-{mo:02}-{da:02}")
    } else if d.as_f64() < 1.0 {
        format!("{h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{mo:02}-{da:02} {h:02}:{mi:02}:{s:02}")
    }
}

fn dataref_text(v: &DataRef<'_>, fmt: Option<&str>) -> CellText {
    match v {
        DataRef::Int(i) => render_number(*i as f64, fmt).into(),
        DataRef::Float(f) => render_number(*f, fmt).into(),
        DataRef::String(s) => truncated(s),
        DataRef::SharedString(s) => truncated(s),
        DataRef::Bool(b) => CellText::const_new(if *b { "TRUE" } else { "FALSE" }),
        DataRef::DateTime(d) => dated_text(d, fmt).into(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => truncated(s),
        DataRef::Error(e) => e.to_string().into(),
        DataRef::Empty => CellText::default(),
    }
}

fn data_text(v: &Data, fmt: Option<&str>) -> CellText {
    match v {
        Data::Int(i) => render_number(*i as f64, fmt).into(),
        Data::Float(f) => render_number(*f, fmt).into(),
        Data::String(s) => truncated(s),
        Data::Bool(b) => CellText::const_new(if *b { "TRUE" } else { "FALSE" }),
        Data::DateTime(d) => dated_text(d, fmt).into(),
        Data::DateTimeIso(s) => match fmt.and_then(literal) {
            Some(shown) => shown.into(),
            None => truncated(s),
        },
        Data::DurationIso(s) => truncated(s),
        Data::Error(e) => e.to_string().into(),
        Data::Empty => CellText::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: u32, col: u32, t: &str) -> GCell {
        GCell {
            row,
            col,
            text: t.into(),
        }
    }

    /// A grid's cells (row, column, text) and its cut cells.
    type GridRead = (Vec<(u32, u32, String)>, Vec<(u32, u32)>);

    /// A sheet's grid as `load_sheet` builds it from xlsx bytes, on one thread or two.
    fn xlsx_grid(bytes: &[u8], split: bool) -> Result<GridRead, InputError> {
        let mut wb = Sheets::Xlsx(
            calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(std::io::Cursor::new(bytes))
                .unwrap(),
        );
        let g = load_sheet(&mut wb, "Sheet1", None, false, split)?;
        let cells = g
            .cells
            .into_iter()
            .map(|c| (c.row, c.col, c.text.into_string()))
            .collect();
        Ok((cells, g.truncated))
    }

    /// The workbook rust_xlsxwriter writes for one cell, its sheet's XML replaced by `rows`
    /// (the inside of `<sheetData>`, closed unless `close` is false).
    fn xlsx_with_rows(rows: &str, close: bool) -> Vec<u8> {
        use std::io::Write;
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet().write_string(0, 0, "x").unwrap();
        let base = wb.save_to_buffer().unwrap();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(&base[..])).unwrap();
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        for i in 0..z.len() {
            let mut f = z.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            if name == "xl/worksheets/sheet1.xml" {
                let end = if close {
                    "</sheetData></worksheet>"
                } else {
                    ""
                };
                data = format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}{end}"#
                )
                .into_bytes();
            }
            w.start_file(name, opts).unwrap();
            w.write_all(&data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// Rows 1..=n, one number in column A each.
    fn number_rows(n: u32) -> String {
        (1..=n)
            .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#))
            .collect()
    }

    /// Many batches of every kind of cell (formatted numbers, dates, texts to clean,
    /// booleans, blanks): two threads build exactly the one-thread grid.
    #[test]
    fn split_stream_builds_the_one_thread_grid() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        let pct = rust_xlsxwriter::Format::new().set_num_format("0.00%");
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
        // Not a whole number of batches: the last one is part-filled.
        let rows = BATCH * (IN_FLIGHT + 3) + 17;
        for r in 0..rows as u32 {
            ws.write_number_with_format(r, 0, f64::from(r) / 1000.0, &pct)
                .unwrap();
            ws.write_string(r, 1, format!("  指标{r} ")).unwrap();
            ws.write_number_with_format(r, 2, 45000.0 + f64::from(r % 500), &date)
                .unwrap();
            ws.write_boolean(r, 3, r % 2 == 0).unwrap();
            ws.write_blank(r, 5, &pct).unwrap();
        }
        let bytes = wb.save_to_buffer().unwrap();
        let one = xlsx_grid(&bytes, false).unwrap();
        let two = xlsx_grid(&bytes, true).unwrap();
        assert_eq!(one.0.len(), rows * 4);
        assert_eq!(one.0[1], (0, 1, "指标0".to_string()));
        assert_eq!(one.0[2], (0, 2, "2023年3月15日".to_string()));
        assert_eq!(one, two);
    }

    /// Texts longer than a cell holds, among many batches: the same cells are cut, and
    /// noted, on two threads as on one.
    #[test]
    fn split_stream_cuts_and_notes_the_same_cells() {
        let long = "释".repeat(MAX_CELL_CHARS + 5);
        let rows: String = (1..=20_000u32)
            .map(|r| {
                let b = if r % 997 == 0 {
                    format!(r#"<c r="B{r}" t="inlineStr"><is><t>{long}</t></is></c>"#)
                } else {
                    String::new()
                };
                format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c>{b}</row>"#)
            })
            .collect();
        let bytes = xlsx_with_rows(&rows, true);
        let one = xlsx_grid(&bytes, false).unwrap();
        assert_eq!(one.1.len(), 20);
        assert_eq!(one.1[0], (996, 1));
        assert_eq!(xlsx_grid(&bytes, true).unwrap(), one);
    }

    /// A cell past the grid's limits many batches in: the converting thread's error
    /// stops the parser (no hang) and is the one-thread read's error.
    #[test]
    fn split_stream_stops_on_the_converters_error() {
        let far = r#"<row r="20000000"><c r="A20000000"><v>1</v></c></row>"#;
        let bytes = xlsx_with_rows(&format!("{}{far}", number_rows(20_000)), true);
        let one = xlsx_grid(&bytes, false).unwrap_err();
        assert!(matches!(one, InputError::TooLarge(_)), "{one:?}");
        assert_eq!(xlsx_grid(&bytes, true).unwrap_err(), one);
    }

    /// A sheet cut short many batches in: the parser's error, as on one thread.
    #[test]
    fn split_stream_reports_the_parsers_error() {
        let bytes = xlsx_with_rows(&number_rows(20_000), false);
        let one = xlsx_grid(&bytes, false).unwrap_err();
        assert_eq!(xlsx_grid(&bytes, true).unwrap_err(), one);
    }

    #[test]
    fn overlong_text_is_truncated() {
        let t = truncated(&"释".repeat(MAX_CELL_CHARS + 10));
        assert_eq!(t.chars().count(), MAX_CELL_CHARS);
        assert_eq!(truncated("  短  "), crate::text::clean_text("  短  "));
    }

    #[test]
    fn resolves_vertical_merges_and_sorts() {
        let g = Grid::new(
            vec![cell(5, 0, "2"), cell(3, 0, "1"), cell(3, 1, "x")],
            vec![Merge {
                r0: 3,
                c0: 0,
                r1: 4,
                c1: 0,
            }],
        );
        assert_eq!(g.cells[0].text, "1");
        assert_eq!(g.vertical_merge(4, 0), Some((3, 4)));
        assert_eq!(g.vertical_merge(5, 0), None);
        assert_eq!(g.vertical_merge(4, 1), None);
        assert_eq!(g.get(5, 0), Some("2"));
        assert_eq!(g.rows_between(4, 9).len(), 1);
        assert_eq!(g.merge_from(3, 0), Some((4, 0)));
        assert_eq!(g.merge_from(4, 0), None);
        assert_eq!(g.merge_from(3, 1), None);
    }
}
