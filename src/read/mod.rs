//! Reads a workbook (any format calamine opens, decided by content) into the canonical [`Table`].
//!
//! The sheet holding the table and its header block are found by matching the
//! template's header tree ([`Template::columns`]); no header text lives in code.
//! Every non-empty cell of the workbook ends up as title, header, data or an
//! [`Extra`].

pub mod clean;
pub mod container;
mod extras_sheet;
mod grid;
mod headers;
mod ods_formats;
mod xls_formats;
mod xlsx_merges;

use crate::error::{Error, InputError, Result};
use crate::model::{a1, col_letters, Duty, Extra, ExtraKind, Field, Indicator, Seq, Table};
use crate::template::Template;
use grid::{GCell, Grid};
use headers::{find_header, is_header_row, Header, Matcher};
use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

/// Below this size an xlsx is read on one thread.
const SMALL_FILE_BYTES: usize = 256 << 10;

/// Cells of another sheet copied as extras, at most.
const MAX_OTHER_SHEET_EXTRAS: usize = 1_000;

/// How to read a table.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions<'a> {
    /// Read this sheet instead of finding the table's sheet.
    pub sheet: Option<&'a str>,
    pub template: &'a Template,
}

/// Reads the table from a file; errors name the file as given.
pub fn read_file(path: &Path, opts: &ReadOptions<'_>) -> Result<Table> {
    let display = path.display().to_string();
    // Size is checked before reading: a 10 GB file is refused, not loaded.
    let bytes = container::read_capped(path).map_err(|e| Error::input(&display, e))?;
    read_bytes(&bytes, &display, opts)
}

/// Reads the table from a workbook's bytes; `display_path` names it in errors and `source.path`.
pub fn read_bytes(bytes: &[u8], display_path: &str, opts: &ReadOptions<'_>) -> Result<Table> {
    // calamine can panic on malformed records (e.g. an arithmetic overflow in
    // an .xls MULRK); a hostile file must be an error, never a crash.
    container::guarded(|| read_inner(bytes, display_path, opts))
        .map_err(|e| Error::input(display_path, e))
}

/// The xlsx merged regions by sheet, scanned from the sheet XML; `None` (fall back to
/// calamine's own call) when the scan fails or panics.
fn read_merges(bytes: &[u8], names: &[String]) -> Option<HashMap<String, Vec<grid::Merge>>> {
    container::guarded(|| Ok(xlsx_merges::read(bytes, names)))
        .ok()
        .flatten()
}

fn read_inner(
    bytes: &[u8],
    display_path: &str,
    opts: &ReadOptions<'_>,
) -> std::result::Result<Table, InputError> {
    let format = container::sniff(bytes)?;
    let mut wb = open(bytes, format)?;
    // Worksheets only: chart and macro sheets hold no cells to read.
    let names: Vec<String> = calamine::Reader::sheets_metadata(&wb)
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    if names.is_empty() {
        return Err(InputError::NoTable("工作簿中没有工作表".into()));
    }
    if let Some(want) = opts.sheet {
        if !names.iter().any(|n| n == want) {
            return Err(InputError::NoSheet {
                name: want.to_string(),
                available: names.join("、"),
            });
        }
    }
    let mut ods_merges = HashMap::new();
    let formats = match format {
        container::Format::Xls => xls_formats::read(bytes),
        container::Format::Ods => {
            let info = ods_formats::read(bytes);
            ods_merges = info.merges;
            info.formats
        }
        _ => Default::default(),
    };
    let is_xlsx = matches!(format, container::Format::Xlsx | container::Format::Xlsm)
        && matches!(wb, calamine::Sheets::Xlsx(_));
    let mut grids = Vec::with_capacity(names.len());
    if is_xlsx {
        // Merged regions on a second thread while the cells stream; a small
        // file is quicker on one thread (and `collect` already uses every core).
        let mut load = || {
            let mut loaded = Vec::with_capacity(names.len());
            for n in &names {
                loaded.push(grid::load_sheet(&mut wb, n, None, false));
            }
            loaded
        };
        let (loaded, merges) = if bytes.len() < SMALL_FILE_BYTES {
            (load(), read_merges(bytes, &names))
        } else {
            std::thread::scope(|s| {
                let merges = s.spawn(|| read_merges(bytes, &names));
                let loaded = load();
                (loaded, merges.join().ok().flatten())
            })
        };
        for (n, g) in names.iter().zip(loaded) {
            grids.push(g.and_then(|mut g| {
                let m = match merges.as_ref().and_then(|m| m.get(n)) {
                    Some(m) => m.clone(),
                    None => grid::calamine_xlsx_merges(&mut wb, n)?,
                };
                g.set_merges(m);
                Ok(g)
            }));
        }
    } else {
        for n in &names {
            let g = grid::load_sheet(&mut wb, n, formats.get(n), true);
            grids.push(g.map(|mut g| {
                if let Some(m) = ods_merges.remove(n) {
                    g.set_merges(m);
                }
                g
            }));
        }
    }
    // Every cell is in the grids now: free calamine's shared strings before the table is built.
    drop(wb);
    // A sheet that cannot be read is skipped unless it is the one asked for
    // or no other sheet holds the table.
    let mut load_error: Option<InputError> = None;
    let matcher = Matcher::new(opts.template);
    let mut found: Option<(usize, Header, (usize, usize))> = None;
    let mut first_reason: Option<String> = None;
    for (i, n) in names.iter().enumerate() {
        if opts.sheet.is_some_and(|s| s != n) {
            continue;
        }
        let g = match &grids[i] {
            Ok(g) => g,
            Err(e) => {
                load_error.get_or_insert_with(|| e.clone());
                continue;
            }
        };
        match find_header(g, &matcher) {
            Ok(h) => {
                // The sheet whose header matches most columns wins; on a tie,
                // the one with more cells below its header (a sample header on
                // an instructions sheet loses to the filled table), then the first.
                let below = g.cells.len() - g.cells.partition_point(|c| c.row <= h.last_row);
                let score = (h.cols.len(), below);
                let better = match &found {
                    None => true,
                    Some((_, _, best)) => score > *best,
                };
                if better {
                    found = Some((i, h, score));
                }
            }
            Err(why) => {
                first_reason.get_or_insert(format!("工作表“{n}”{why}"));
            }
        }
    }
    let Some((idx, header, _)) = found else {
        if let Some(e) = load_error {
            return Err(e);
        }
        return Err(InputError::NoTable(
            first_reason.unwrap_or_else(|| "没有找到表头".into()),
        ));
    };
    let Ok(grid) = &grids[idx] else {
        return Err(InputError::NoTable("工作表无法读取".into()));
    };
    let mut table = build_table(grid, &header, &names[idx], opts.template, &matcher);
    table.source.path = display_path.to_string();
    table.source.format = format.name().to_string();
    // Other sheets, in workbook order around the table's own extras; a
    // 其他内容 sheet written by jixiao gives back the extras it lists.
    table.extras = extras_sheet::gather(&names, &grids, idx, std::mem::take(&mut table.extras));
    Ok(table)
}

/// Opens the bytes with calamine's reader for the sniffed format (not
/// `open_workbook_auto_from_rs`, which tries every reader and turns a password
/// error into "cannot detect file format"). When `container::open` lands, this
/// is that.
fn open(
    bytes: &[u8],
    format: container::Format,
) -> std::result::Result<calamine::Sheets<Cursor<&[u8]>>, InputError> {
    use calamine::{open_workbook_from_rs, Ods, Sheets, Xls, Xlsb, Xlsx};
    use container::Format as F;
    let c = Cursor::new(bytes);
    let r: std::result::Result<_, calamine::Error> = match format {
        F::Xlsx | F::Xlsm => open_workbook_from_rs::<Xlsx<_>, _>(c)
            .map(Sheets::Xlsx)
            .map_err(Into::into),
        F::Xlsb => open_workbook_from_rs::<Xlsb<_>, _>(c)
            .map(Sheets::Xlsb)
            .map_err(Into::into),
        F::Xls => open_workbook_from_rs::<Xls<_>, _>(c)
            .map(Sheets::Xls)
            .map_err(Into::into),
        F::Ods => open_workbook_from_rs::<Ods<_>, _>(c)
            .map(Sheets::Ods)
            .map_err(Into::into),
    };
    r.map_err(|e| container::classify_open_error(&e))
}

fn other_sheet_extras(grid: &Grid, sheet: &str, out: &mut Vec<Extra>) {
    for (k, c) in grid.cells.iter().enumerate() {
        if k == MAX_OTHER_SHEET_EXTRAS {
            let rest = grid.cells.len() - k;
            out.push(Extra {
                sheet: sheet.to_string(),
                cell: a1(c.col, c.row + 1),
                text: format!(
                    "（另有 {rest} 个非空单元格未复制，自 {} 起）",
                    a1(c.col, c.row + 1)
                ),
                kind: ExtraKind::OtherSheet,
            });
            break;
        }
        out.push(extra(sheet, c, ExtraKind::OtherSheet));
    }
}

fn extra(sheet: &str, c: &GCell, kind: ExtraKind) -> Extra {
    Extra {
        sheet: sheet.to_string(),
        cell: a1(c.col, c.row + 1),
        text: c.text.clone(),
        kind,
    }
}

/// Text without white space, for prefix tests.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// One indicator row before duties are assigned.
struct DataRow {
    row: u32,
    seq: String,
    duty_name: String,
    objective: String,
    /// The row the objective's text comes from (its merge's top row).
    objective_src: u32,
    /// The row the seq's text comes from, and whether it is a merged cell.
    seq_src: u32,
    seq_merged: bool,
    /// A repeated header block came between the previous data row and this one.
    after_header: bool,
    indicator: Indicator,
}

fn build_table(grid: &Grid, h: &Header, sheet: &str, tpl: &Template, m: &Matcher) -> Table {
    let mut t = Table::new(&tpl.id);
    t.source.sheet = sheet.to_string();
    t.source.header_rows = [h.first_row + 1, h.last_row + 1];
    let mut cols = h.cols.clone();
    cols.sort_by_key(|c| c.0);
    for (f, col, label) in &cols {
        t.source
            .columns
            .insert(f.key().to_string(), col_letters(*col));
        t.source
            .header_labels
            .insert(f.key().to_string(), label.clone());
    }

    // Title and unit line above the header.
    let title_re = clean::cached_regex(&tpl.title_regex);
    let unit_re = clean::cached_regex(&tpl.unit_line_regex);
    let above = grid.rows_between(0, h.first_row.saturating_sub(1));
    let above: &[GCell] = if h.first_row == 0 { &[] } else { above };
    let is_unit = |s: &str| unit_re.as_ref().is_some_and(|r| r.is_match(s));
    let title_idx = above
        .iter()
        .position(|c| title_re.as_ref().is_some_and(|r| r.is_match(&c.text)))
        .or_else(|| {
            // Any other text, unless it sits on a unit line's row or reads `label：value`.
            let unit_rows: Vec<u32> = above
                .iter()
                .filter(|c| is_unit(&c.text))
                .map(|c| c.row)
                .collect();
            above.iter().position(|c| {
                !unit_rows.contains(&c.row) && !c.text.contains('：') && !c.text.contains(':')
            })
        });
    let mut unit_department: Option<String> = None;
    for (i, c) in above.iter().enumerate() {
        if Some(i) == title_idx {
            t.title = c.text.clone();
            if let Some(caps) = title_re.as_ref().and_then(|r| r.captures(&c.text)) {
                t.year = caps.get(1).and_then(|y| y.as_str().parse().ok());
                t.department = caps
                    .get(2)
                    .map(|d| d.as_str().trim().to_string())
                    .filter(|d| !d.is_empty());
            }
        } else if is_unit(&c.text) {
            if unit_department.is_none() {
                unit_department = unit_re
                    .as_ref()
                    .and_then(|r| r.captures(&c.text))
                    .and_then(|caps| caps.name("department"))
                    .map(|d| d.as_str().trim().to_string())
                    .filter(|d| !d.is_empty());
            }
            t.extras.push(extra(sheet, c, ExtraKind::UnitLine));
        } else {
            t.extras.push(extra(sheet, c, ExtraKind::Stray));
        }
    }
    if t.department.is_none() {
        t.department = unit_department;
    }

    // Header rows: cells outside the table's columns are strays.
    for c in grid.rows_between(h.first_row, h.last_row) {
        if c.col < h.first_col || c.col > h.last_col {
            t.extras.push(extra(sheet, c, ExtraKind::Stray));
        }
    }

    // Data rows.
    let prefixes: Vec<String> = tpl
        .footnote_prefixes
        .iter()
        .map(|p| squeeze(p))
        .filter(|p| !p.is_empty())
        .collect();
    let mut footnote = false;
    let mut after_header = false;
    let mut rows: Vec<DataRow> = Vec::new();
    // The text at (row, col): the row's own cell (looked up in its few cells),
    // else the top cell of a vertical merge over it.
    let text_at = |chunk: &[GCell], row: u32, col: Option<u32>| -> (String, u32) {
        let Some(col) = col else {
            return (String::new(), row);
        };
        if let Some((r0, _)) = grid.vertical_merge(row, col) {
            return match grid.get(r0, col) {
                Some(s) => (s.to_string(), r0),
                None => (String::new(), row),
            };
        }
        match chunk.iter().find(|c| c.col == col) {
            Some(c) => (c.text.clone(), row),
            None => (String::new(), row),
        }
    };
    let words = crate::quantity::Words::new(&tpl.rules.qualitative_words);
    let seq_col = h.col(Field::Seq);
    let name_col = h.col(Field::DutyName);
    let obj_col = h.col(Field::Objective);
    let start = grid.cells.partition_point(|c| c.row <= h.last_row);
    let data_grid = &grid.cells[start..];
    for chunk in data_grid.chunk_by(|a, b| a.row == b.row) {
        let row = chunk[0].row;
        if !footnote {
            if let Some(first) = chunk.first() {
                let s = squeeze(&first.text);
                if prefixes.iter().any(|p| s.starts_with(p.as_str())) {
                    footnote = true;
                }
            }
        }
        if footnote {
            t.extras
                .extend(chunk.iter().map(|c| extra(sheet, c, ExtraKind::Footnote)));
            continue;
        }
        let inside: Vec<&GCell> = chunk
            .iter()
            .filter(|c| c.col >= h.first_col && c.col <= h.last_col)
            .collect();
        let outside = chunk
            .iter()
            .filter(|c| c.col < h.first_col || c.col > h.last_col);
        if inside.is_empty() {
            t.extras
                .extend(outside.map(|c| extra(sheet, c, ExtraKind::Stray)));
            continue;
        }
        if is_header_row(m, &inside) {
            after_header = true;
            t.extras
                .extend(outside.map(|c| extra(sheet, c, ExtraKind::Stray)));
            continue;
        }
        let mut ind = Indicator {
            row: row + 1,
            parsed: indexmap::IndexMap::with_capacity(Field::VALUES.len()),
            ..Indicator::default()
        };
        let mut has_values = false;
        for f in Field::INDICATOR {
            let (text, _) = text_at(chunk, row, h.col(f));
            if !text.is_empty() {
                has_values = true;
            }
            if let Some(slot) = ind.get_mut(f) {
                *slot = text;
            }
        }
        if !has_values {
            // Text in the table's columns but no indicator: an odd row.
            t.extras
                .extend(chunk.iter().map(|c| extra(sheet, c, ExtraKind::Stray)));
            continue;
        }
        t.extras
            .extend(outside.map(|c| extra(sheet, c, ExtraKind::Stray)));
        for f in Field::VALUES {
            if let Some(text) = ind.get(f) {
                if let Some(p) = crate::quantity::parse_value_with(text, &words) {
                    ind.parsed.insert(f.key().to_string(), p);
                }
            }
        }
        let (objective, objective_src) = text_at(chunk, row, obj_col);
        let (seq, seq_src) = text_at(chunk, row, seq_col);
        rows.push(DataRow {
            row: row + 1,
            seq,
            seq_src,
            seq_merged: seq_col.is_some_and(|c| grid.vertical_merge(row, c).is_some()),
            after_header: std::mem::take(&mut after_header),
            duty_name: text_at(chunk, row, name_col).0,
            objective,
            objective_src,
            indicator: ind,
        });
    }
    if let (Some(f), Some(l)) = (rows.first(), rows.last()) {
        t.source.data_rows = Some([f.row, l.row]);
    }
    t.duties = assign_duties(rows);
    t
}

/// Groups indicator rows into duties (merged, value-on-first-row and repeated
/// layouts all give the same duties).
fn assign_duties(rows: Vec<DataRow>) -> Vec<Duty> {
    let by_seq = rows.iter().any(|r| !r.seq.is_empty());
    let by_objective = rows.iter().any(|r| !r.objective.is_empty());
    let mut duties: Vec<Duty> = Vec::new();
    let mut cur_key = String::new();
    let mut obj_src: Option<u32> = None;
    let mut name_inherited = false;
    let mut seq_src: Option<u32> = None;
    for r in rows {
        let key = if by_seq {
            r.seq.clone()
        } else if by_objective {
            r.objective.clone()
        } else {
            r.duty_name.clone()
        };
        // The same seq again in a new cell starts a new duty (a duplicated
        // number) unless a repeated header came between (a printout's next
        // page) or it is the value repeated on every row of one duty.
        let same_seq_new_cell = by_seq
            && !r.after_header
            && !r.seq.is_empty()
            && seq_src.is_some_and(|s| s != r.seq_src)
            && (r.seq_merged
                || (!r.objective.is_empty()
                    && obj_src != Some(r.objective_src)
                    && duties.last().is_some_and(|d| d.objective != r.objective)));
        let new = duties.is_empty() || (!key.is_empty() && (key != cur_key || same_seq_new_cell));
        if by_seq && !r.seq.is_empty() {
            seq_src = Some(r.seq_src);
        }
        if new {
            let mut name = r.duty_name.clone();
            name_inherited = false;
            if name.is_empty() {
                if let Some(prev) = duties.last() {
                    name = prev.name.clone();
                    name_inherited = !name.is_empty();
                }
            }
            duties.push(Duty {
                seq: if by_seq {
                    Seq::from_text(&r.seq)
                } else {
                    Seq::Text(String::new())
                },
                name,
                objective: r.objective.clone(),
                rows: [r.row, r.row],
                indicators: Vec::new(),
            });
            obj_src = (!r.objective.is_empty()).then_some(r.objective_src);
            if !key.is_empty() {
                cur_key = key;
            }
        }
        let Some(d) = duties.last_mut() else { continue };
        if !new {
            if (d.name.is_empty() || name_inherited) && !r.duty_name.is_empty() {
                d.name = r.duty_name.clone();
                name_inherited = false;
            }
            if !r.objective.is_empty() && obj_src != Some(r.objective_src) {
                if d.objective.is_empty() {
                    d.objective = r.objective.clone();
                } else if d.objective != r.objective && !d.objective.ends_with(&r.objective) {
                    d.objective.push_str(&r.objective);
                }
                obj_src = Some(r.objective_src);
            }
            d.rows[1] = r.row;
        }
        d.indicators.push(r.indicator);
    }
    duties
}
