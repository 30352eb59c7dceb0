//! Single-cell writes whose formats are applied in runs down each column, so a sheet's formats are looked up once a run, not once a cell.
//!
//! rust_xlsxwriter finds a format's index by hashing the whole `Format` on
//! every formatted write: a tenth of a restyle at 20,000 indicators, and of
//! collect's 汇总. Here a format's first cell is written with it, so the
//! formats are registered (and numbered) in the order they are first used,
//! as with plain formatted writes. After that a cell is written bare and
//! joins its column's open run of one format; a run gets its format in one
//! `set_range_format` call when the next cell of its column breaks it, when
//! it reaches [`RUN_ROWS`] rows, or at [`FormatRuns::finish`]. Each cell is
//! written once: the writers' cells never overlap.

use super::{xe, WriteError};
use rust_xlsxwriter::{Format, Worksheet};

/// The most rows a run holds before it is formatted. A column of one format
/// would otherwise be one run formatted at the end, every cell of it looked
/// up again in rust_xlsxwriter's cell map once the sheet is much larger than
/// the cache; for collect's 汇总 that came after the last file was read, on
/// one core. A run formatted as soon as it is this long finds its rows just
/// written, and it is still one format lookup per 256 cells.
const RUN_ROWS: u32 = 256;

/// The open runs of one sheet's writes (see the module's doc).
#[derive(Debug)]
pub(crate) struct FormatRuns<'f> {
    /// The most rows of a run ([`RUN_ROWS`]; fewer in tests).
    cap: u32,
    /// The formats written so far, by address (`Styles` holds each once).
    seen: Vec<&'f Format>,
    /// Each column's open run: first and last row, format.
    open: Vec<Option<(u32, u32, &'f Format)>>,
    /// The outermost blank cells left to a run (top, bottom, left, right):
    /// a blank cell formatted by a run does not widen the sheet's used range,
    /// and rows outside it are not saved, so these are written at the end.
    edges: [Option<(u32, u16, &'f Format)>; 4],
}

impl<'f> FormatRuns<'f> {
    /// No cell written yet.
    pub(crate) fn new() -> FormatRuns<'f> {
        FormatRuns::with_cap(RUN_ROWS)
    }

    /// No cell written yet; runs of at most `cap` rows.
    fn with_cap(cap: u32) -> FormatRuns<'f> {
        FormatRuns {
            cap,
            seen: Vec::new(),
            open: Vec::new(),
            edges: [None; 4],
        }
    }

    /// Notes `format` as used; false on its first use.
    fn seen(&mut self, format: &'f Format) -> bool {
        if self.seen.iter().any(|f| std::ptr::eq(*f, format)) {
            return true;
        }
        self.seen.push(format);
        false
    }

    /// Writes text at (`row`, `col`) in `format`; empty text is a formatted blank.
    pub(crate) fn string(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        text: &str,
        format: &'f Format,
    ) -> Result<(), WriteError> {
        if !self.seen(format) {
            if text.is_empty() {
                ws.write_blank(row, col, format).map_err(xe)?;
            } else {
                ws.write_string_with_format(row, col, text, format)
                    .map_err(xe)?;
            }
            return Ok(());
        }
        if text.is_empty() {
            self.blank_left(row, col, format);
        } else {
            ws.write_string(row, col, text).map_err(xe)?;
        }
        self.extend(ws, row, col, format)
    }

    /// Writes a number at (`row`, `col`) in `format`.
    pub(crate) fn number(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        number: f64,
        format: &'f Format,
    ) -> Result<(), WriteError> {
        if !self.seen(format) {
            ws.write_number_with_format(row, col, number, format)
                .map_err(xe)?;
            return Ok(());
        }
        ws.write_number(row, col, number).map_err(xe)?;
        self.extend(ws, row, col, format)
    }

    /// Notes a blank at (`row`, `col`) left to its run, keeping it if it is an edge so far.
    fn blank_left(&mut self, row: u32, col: u16, format: &'f Format) {
        let [top, bottom, left, right] = &mut self.edges;
        let cell = Some((row, col, format));
        if top.is_none_or(|(r, _, _)| row < r) {
            *top = cell;
        }
        if bottom.is_none_or(|(r, _, _)| row > r) {
            *bottom = cell;
        }
        if left.is_none_or(|(_, c, _)| col < c) {
            *left = cell;
        }
        if right.is_none_or(|(_, c, _)| col > c) {
            *right = cell;
        }
    }

    /// Adds (`row`, `col`) to its column's run, formatting the run it ends.
    fn extend(
        &mut self,
        ws: &mut Worksheet,
        row: u32,
        col: u16,
        format: &'f Format,
    ) -> Result<(), WriteError> {
        let c = col as usize;
        if self.open.len() <= c {
            self.open.resize(c + 1, None);
        }
        let run = &mut self.open[c];
        match run {
            Some((_, last, f)) if *last + 1 == row && std::ptr::eq(*f, format) => *last = row,
            _ => {
                if let Some((r0, r1, f)) = run.replace((row, row, format)) {
                    ws.set_range_format(r0, col, r1, col, f).map_err(xe)?;
                }
            }
        }
        // A run as long as a run holds is formatted now.
        if let Some((r0, r1, f)) = *run {
            if r1 - r0 + 1 >= self.cap {
                *run = None;
                ws.set_range_format(r0, col, r1, col, f).map_err(xe)?;
            }
        }
        Ok(())
    }

    /// Formats the open runs and writes the edge blanks with their formats.
    pub(crate) fn finish(self, ws: &mut Worksheet) -> Result<(), WriteError> {
        for (col, run) in self.open.into_iter().enumerate() {
            if let Some((r0, r1, f)) = run {
                ws.set_range_format(r0, col as u16, r1, col as u16, f)
                    .map_err(xe)?;
            }
        }
        for (row, col, f) in self.edges.into_iter().flatten() {
            ws.write_blank(row, col, f).map_err(xe)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_xlsxwriter::{Color, FormatBorder, Workbook};
    use std::io::Read;

    /// What a cell gets: text (empty: a blank) or a number, in one of the formats.
    #[derive(Debug, Clone)]
    enum Value {
        Text(String),
        Number(f64),
    }

    fn formats() -> Vec<Format> {
        vec![
            Format::new().set_border(FormatBorder::Thin),
            Format::new()
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(0xFFC7CE)),
            Format::new().set_bold(),
        ]
    }

    /// The parts of a saved workbook that say what the cells hold and how they look.
    fn parts(wb: &mut Workbook) -> Vec<String> {
        let bytes = wb.save_to_buffer().unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        [
            "xl/worksheets/sheet1.xml",
            "xl/styles.xml",
            "xl/sharedStrings.xml",
        ]
        .iter()
        .map(|name| {
            let mut s = String::new();
            if let Ok(mut f) = zip.by_name(name) {
                f.read_to_string(&mut s).unwrap();
            }
            s
        })
        .collect()
    }

    /// The cells written one by one with their formats, and through runs:
    /// the saved sheets must be the same.
    fn same_as_plain(cells: &[(u32, u16, Value, usize)], cap: u32) -> (Vec<String>, Vec<String>) {
        let fmts = formats();
        let mut plain = Workbook::new();
        let ws = plain.add_worksheet();
        for (r, c, v, f) in cells {
            match v {
                Value::Number(n) => ws.write_number_with_format(*r, *c, *n, &fmts[*f]),
                Value::Text(t) if t.is_empty() => ws.write_blank(*r, *c, &fmts[*f]),
                Value::Text(t) => ws.write_string_with_format(*r, *c, t, &fmts[*f]),
            }
            .unwrap();
        }
        let mut runs_wb = Workbook::new();
        let ws = runs_wb.add_worksheet();
        let mut runs = FormatRuns::with_cap(cap);
        for (r, c, v, f) in cells {
            match v {
                Value::Number(n) => runs.number(ws, *r, *c, *n, &fmts[*f]),
                Value::Text(t) => runs.string(ws, *r, *c, t, &fmts[*f]),
            }
            .unwrap();
        }
        runs.finish(ws).unwrap();
        (parts(&mut plain), parts(&mut runs_wb))
    }

    /// Marked cells amid a column (the first of them is the format's first
    /// use, the others join runs), blanks at every edge (the bottom row and
    /// the rightmost column hold only blanks), rows written in turn.
    #[test]
    fn runs_write_what_plain_formatted_writes_write() {
        let mut cells = Vec::new();
        for r in 2..12u32 {
            for c in 1..4u16 {
                let marked = [6, 7, 9].contains(&r) && c == 2;
                let v = match (r, c) {
                    (11, _) | (_, 3) => Value::Text(String::new()),
                    (_, 1) => Value::Number(f64::from(r)),
                    _ => Value::Text(format!("第{r}行")),
                };
                cells.push((r, c, v, usize::from(marked)));
            }
        }
        let (plain, runs) = same_as_plain(&cells, RUN_ROWS);
        assert_eq!(plain, runs);
        assert!(
            plain[0].contains(r#"<dimension ref="B3:D12"/>"#),
            "{}",
            plain[0]
        );
    }

    /// Columns of one format far longer than a run (and one broken by a
    /// mark right after a run was cut): every cell keeps its format, and the
    /// blank bottom row is still saved.
    #[test]
    fn long_columns_are_cut_into_runs_that_format_every_cell() {
        let rows = 3 * RUN_ROWS + 7;
        let mut cells = Vec::new();
        for r in 0..rows {
            for c in 0..3u16 {
                let marked = c == 1 && r == RUN_ROWS;
                let v = match (r, c) {
                    (_, 0) => Value::Number(f64::from(r)),
                    _ if r == rows - 1 => Value::Text(String::new()),
                    _ => Value::Text(format!("{r}")),
                };
                cells.push((r, c, v, usize::from(marked) + usize::from(c == 2) * 2));
            }
        }
        let (plain, runs) = same_as_plain(&cells, RUN_ROWS);
        assert_eq!(plain, runs);
        assert!(
            plain[0].contains(&format!(r#"<dimension ref="A1:C{rows}"/>"#)),
            "{}",
            &plain[0][..400]
        );
    }

    /// A column of one format is formatted as it grows: no open run is ever
    /// longer than a run holds (else it is all formatted at the end, its rows
    /// long out of the cache).
    #[test]
    fn a_run_is_formatted_once_it_holds_the_most_rows() {
        let fmts = formats();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let mut runs = FormatRuns::new();
        for r in 0..3 * RUN_ROWS + 7 {
            runs.string(ws, r, 0, "x", &fmts[0]).unwrap();
            let (r0, r1, _) = runs
                .open
                .first()
                .copied()
                .flatten()
                .unwrap_or((r, r, &fmts[0]));
            assert!(
                r1 - r0 + 1 < RUN_ROWS,
                "row {r}: an open run of rows {r0}..={r1}"
            );
        }
    }

    proptest! {
        /// Any cells, in any order, each written once, runs of any length: the same workbook.
        #[test]
        fn runs_are_invisible_in_the_saved_sheet(
            picks in proptest::collection::vec((0u32..30, 0u16..6, 0usize..4, 0usize..3), 1..120),
            cap in 1u32..6,
        ) {
            let mut seen = std::collections::HashSet::new();
            let cells: Vec<(u32, u16, Value, usize)> = picks
                .into_iter()
                .filter(|(r, c, _, _)| seen.insert((*r, *c)))
                .map(|(r, c, kind, f)| {
                    let v = match kind {
                        0 => Value::Text(String::new()),
                        1 => Value::Number(f64::from(r) + 0.5),
                        _ => Value::Text(format!("{r}-{c}")),
                    };
                    (r, c, v, f)
                })
                .collect();
            let (plain, runs) = same_as_plain(&cells, cap);
            prop_assert_eq!(plain, runs);
        }
    }
}
