//! A sparse grid of one sheet's non-empty cells (display text, cleaned) and its merged regions.
//!
//! Built in one pass over the sheet: xlsx/xlsm stream their cells (with number
//! formats), other formats go through calamine's range. Text cells are cleaned
//! ([`clean_text`]), numeric cells rendered through their number format by the
//! one engine ([`render_number`]) whatever the container. Never dense over the
//! sheet's dimensions.

use super::container::{classify_open_error, MAX_CELL_CHARS, MAX_SHEET_CELLS};
use super::numfmt::{is_date_format, render_number};
use crate::error::InputError;
use crate::text::clean_cow;
use calamine::{Data, DataRef, Dimensions, ExcelDateTime, ExcelDateTimeType, Reader, Sheets};
use compact_str::CompactString;
use std::collections::HashMap;
use std::io::{Read, Seek};

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
/// report (`.xls`, `.ods`).
pub(crate) fn load_sheet<RS: Read + Seek>(
    wb: &mut Sheets<RS>,
    name: &str,
    formats: Option<&HashMap<(u32, u32), String>>,
    with_xlsx_merges: bool,
) -> Result<Grid, InputError> {
    let mut cells = Vec::new();
    let mut cut = Vec::new();
    let merges: Vec<Dimensions> = match wb {
        Sheets::Xlsx(x) => {
            {
                let mut reader = x
                    .worksheet_cells_reader(name)
                    .map_err(|e| classify_open_error(&calamine::Error::Xlsx(e)))?;
                loop {
                    let next = reader
                        .next_cell_with_style_id()
                        .map_err(|e| classify_open_error(&calamine::Error::Xlsx(e)))?;
                    let Some((cell, style)) = next else { break };
                    let (row, col) = cell.get_position();
                    let fmt = reader
                        .styles()
                        .get(style)
                        .and_then(|s| s.number_format.as_ref())
                        .map(|n| n.format_code.as_str());
                    if overlong_ref(cell.get_value()) {
                        cut.push((row, col));
                    }
                    let text = dataref_text(cell.get_value(), fmt);
                    push_cell(&mut cells, row, col, text, name)?;
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
