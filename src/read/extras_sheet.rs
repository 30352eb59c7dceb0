//! The `其他内容` sheet jixiao writes beside a restyled, marked or diff table:
//! one row per [`Extra`] of the table it was written from (原工作表 | 原单元格 |
//! 内容 | 类型). Reading such a workbook back restores those rows as the extras
//! they list, so `import(restyle(x))` has the extras of `import(x)` and
//! restyling again does not grow them.
//!
//! The sheet is recognised by its name and its header row, exactly as
//! [`write_extras_sheet`](crate::write::extras::write_extras_sheet) writes them.
//! A row that does not read as an extra (someone typed into the sheet) is kept
//! cell by cell as `other_sheet` extras: nothing is lost.

use super::grid::{GCell, Grid};
use super::{extra, other_sheet_extras, Found};
use crate::error::InputError;
use crate::model::{col_index, Extra, ExtraKind};
use crate::write::extras::{EXTRAS_COLUMNS, EXTRAS_SHEET};

/// The workbook's extras in sheet order: the table sheet's own (`own`) where
/// the table sheet is, a jixiao 其他内容 sheet's rows restored, the cells of
/// any other sheet as `other_sheet` extras.
///
/// When a 其他内容 sheet was restored, the unit line the writer repeats under
/// the title (A2 of the table sheet, the first listed unit line's text) is
/// dropped from `own`: it is the listed extra again, not a new one.
pub(super) fn gather(
    names: &[String],
    grids: &[Result<Grid, InputError>],
    table_idx: usize,
    mut own: Vec<Extra>,
) -> Vec<Extra> {
    let restored: Vec<Option<Vec<Extra>>> = names
        .iter()
        .zip(grids)
        .enumerate()
        .map(|(i, (n, g))| match g {
            Ok(g) if i != table_idx => restore(g, n),
            _ => None,
        })
        .collect();
    let listed_unit_line = restored
        .iter()
        .flatten()
        .flatten()
        .find(|e| e.kind == ExtraKind::UnitLine);
    if let Some(u) = listed_unit_line {
        if let Some(k) = own
            .iter()
            .position(|e| e.kind == ExtraKind::UnitLine && e.cell == "A2" && e.text == u.text)
        {
            own.remove(k);
        }
    }
    let mut out = Vec::with_capacity(own.len());
    let mut own = Some(own);
    for (i, (n, restored)) in names.iter().zip(restored).enumerate() {
        if i == table_idx {
            out.append(own.as_mut().expect("the table sheet comes once"));
            own = None;
        } else if let Some(mut r) = restored {
            out.append(&mut r);
        } else if let Ok(g) = &grids[i] {
            other_sheet_extras(g, n, &mut out);
        }
    }
    out
}

/// The extras of a workbook read whole: the cells of each sheet that holds no
/// table, in sheet order, as `other_sheet` extras. A jixiao 其他内容 sheet's
/// rows are restored instead: a listed extra goes back to the table of the
/// sheet it names (when exactly one table is on that sheet, its repeated unit
/// line dropped as in [`gather`]), else it stays the workbook's.
pub(super) fn gather_workbook(
    names: &[String],
    grids: &[Result<Grid, InputError>],
    found: &mut [Found],
) -> Vec<Extra> {
    let mut out = Vec::new();
    let mut back: Vec<Vec<Extra>> = vec![Vec::new(); found.len()];
    for (i, (n, g)) in names.iter().zip(grids).enumerate() {
        if found.iter().any(|f| f.sheet == i) {
            continue;
        }
        let Ok(g) = g else { continue };
        let Some(listed) = restore(g, n) else {
            other_sheet_extras(g, n, &mut out);
            continue;
        };
        for e in listed {
            let mut on_sheet = found
                .iter()
                .enumerate()
                .filter(|(_, f)| f.table.source.sheet == e.sheet);
            match (on_sheet.next(), on_sheet.next()) {
                (Some((k, _)), None) => back[k].push(e),
                _ => out.push(e),
            }
        }
    }
    for (f, listed) in found.iter_mut().zip(back) {
        if listed.is_empty() {
            continue;
        }
        let own = &mut f.table.extras;
        if let Some(u) = listed.iter().find(|e| e.kind == ExtraKind::UnitLine) {
            if let Some(k) = own
                .iter()
                .position(|e| e.kind == ExtraKind::UnitLine && e.cell == "A2" && e.text == u.text)
            {
                own.remove(k);
            }
        }
        own.extend(listed);
    }
    out
}

/// The extras listed on `grid` if it is a 其他内容 sheet written by jixiao
/// (its name, and the header row A1:D1 exactly [`EXTRAS_COLUMNS`]); `None` otherwise.
pub(super) fn restore(grid: &Grid, sheet: &str) -> Option<Vec<Extra>> {
    if sheet != EXTRAS_SHEET {
        return None;
    }
    let mut rows = grid.cells.chunk_by(|a, b| a.row == b.row);
    let header = rows.next()?;
    let is_header = header.len() == EXTRAS_COLUMNS.len()
        && header
            .iter()
            .zip(EXTRAS_COLUMNS)
            .enumerate()
            .all(|(i, (c, label))| c.row == 0 && c.col == i as u32 && c.text == label);
    if !is_header {
        return None;
    }
    let mut out = Vec::new();
    for row in rows {
        match listed_extra(row) {
            Some(e) => out.push(e),
            None => out.extend(row.iter().map(|c| extra(sheet, c, ExtraKind::OtherSheet))),
        }
    }
    Some(out)
}

/// One row of the sheet as the extra it lists: a sheet name, an A1 address,
/// non-empty text and a known 类型, in A–D and nothing beside them.
fn listed_extra(row: &[GCell]) -> Option<Extra> {
    if row.iter().any(|c| c.col >= EXTRAS_COLUMNS.len() as u32) {
        return None;
    }
    let at = |col: u32| {
        row.iter()
            .find(|c| c.col == col)
            .map(|c| c.text.as_str())
            .unwrap_or("")
    };
    let (sheet, cell, text, kind) = (at(0), at(1), at(2), at(3));
    if sheet.is_empty() || text.is_empty() || !is_a1(cell) {
        return None;
    }
    Some(Extra {
        sheet: sheet.to_string(),
        cell: cell.to_string(),
        text: text.to_string(),
        kind: ExtraKind::from_label(kind)?,
    })
}

/// `A1`-style address: column letters (upper case) then a row number from 1.
fn is_a1(s: &str) -> bool {
    let split = s.find(|c: char| !c.is_ascii_uppercase()).unwrap_or(s.len());
    let (letters, digits) = s.split_at(split);
    col_index(letters).is_some()
        && !digits.is_empty()
        && !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit())
        && letters.len() <= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: u32, col: u32, text: &str) -> GCell {
        GCell {
            row,
            col,
            text: text.to_string(),
        }
    }

    fn header() -> Vec<GCell> {
        EXTRAS_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, l)| cell(0, i as u32, l))
            .collect()
    }

    #[test]
    fn rows_become_the_extras_they_list() {
        let mut cells = header();
        cells.extend([
            cell(1, 0, "Sheet1"),
            cell(1, 1, "A23"),
            cell(1, 2, "注：年度指标值为本年度计划达到的目标值。"),
            cell(1, 3, "表下注释"),
            cell(2, 0, "填报说明"),
            cell(2, 1, "A1"),
            cell(2, 2, "填报说明"),
            cell(2, 3, "其他工作表"),
        ]);
        let got = restore(&Grid::new(cells, vec![]), EXTRAS_SHEET).unwrap();
        assert_eq!(
            got,
            vec![
                Extra {
                    sheet: "Sheet1".into(),
                    cell: "A23".into(),
                    text: "注：年度指标值为本年度计划达到的目标值。".into(),
                    kind: ExtraKind::Footnote,
                },
                Extra {
                    sheet: "填报说明".into(),
                    cell: "A1".into(),
                    text: "填报说明".into(),
                    kind: ExtraKind::OtherSheet,
                },
            ]
        );
    }

    #[test]
    fn only_jixiaos_sheet_is_recognised() {
        // Another name, another header, a header not on row 1, an extra header cell.
        assert!(restore(&Grid::new(header(), vec![]), "Sheet2").is_none());
        let mut other = header();
        other[2].text = "内容说明".into();
        assert!(restore(&Grid::new(other, vec![]), EXTRAS_SHEET).is_none());
        let lower: Vec<GCell> = header()
            .into_iter()
            .map(|c| cell(1, c.col, &c.text))
            .collect();
        assert!(restore(&Grid::new(lower, vec![]), EXTRAS_SHEET).is_none());
        let mut wide = header();
        wide.push(cell(0, 4, "备注"));
        assert!(restore(&Grid::new(wide, vec![]), EXTRAS_SHEET).is_none());
        assert!(restore(&Grid::new(vec![], vec![]), EXTRAS_SHEET).is_none());
        assert_eq!(
            restore(&Grid::new(header(), vec![]), EXTRAS_SHEET),
            Some(vec![])
        );
    }

    #[test]
    fn a_row_that_is_not_an_extra_is_kept_cell_by_cell() {
        let mut cells = header();
        cells.extend([
            // Unknown kind.
            cell(1, 0, "Sheet1"),
            cell(1, 1, "A23"),
            cell(1, 2, "注"),
            cell(1, 3, "别的"),
            // Not an address.
            cell(2, 0, "Sheet1"),
            cell(2, 1, "第3行"),
            cell(2, 2, "x"),
            cell(2, 3, "表外内容"),
            // A remark beside the row.
            cell(3, 0, "Sheet1"),
            cell(3, 1, "O8"),
            cell(3, 2, "备注"),
            cell(3, 3, "表外内容"),
            cell(3, 4, "已核"),
            // Fine.
            cell(4, 0, "Sheet1"),
            cell(4, 1, "AB100"),
            cell(4, 2, "y"),
            cell(4, 3, "表外内容"),
        ]);
        let got = restore(&Grid::new(cells, vec![]), EXTRAS_SHEET).unwrap();
        let other: Vec<&str> = got
            .iter()
            .filter(|e| e.sheet == EXTRAS_SHEET)
            .map(|e| e.cell.as_str())
            .collect();
        assert_eq!(
            other,
            ["A2", "B2", "C2", "D2", "A3", "B3", "C3", "D3", "A4", "B4", "C4", "D4", "E4"]
        );
        assert!(got
            .iter()
            .filter(|e| e.sheet == EXTRAS_SHEET)
            .all(|e| e.kind == ExtraKind::OtherSheet));
        assert_eq!(got.last().unwrap().cell, "AB100");
    }

    #[test]
    fn addresses() {
        for ok in ["A1", "M24", "AB100", "XFD1048576"] {
            assert!(is_a1(ok), "{ok}");
        }
        for bad in ["", "A", "1", "A0", "a1", "A01", "ABCD1", "A1B", "第3行"] {
            assert!(!is_a1(bad), "{bad}");
        }
    }

    fn sheet_grid(cells: Vec<GCell>) -> Result<Grid, InputError> {
        Ok(Grid::new(cells, vec![]))
    }

    #[test]
    fn the_repeated_unit_line_is_dropped_once() {
        let unit = "填报单位：临沂市教育局";
        let mut listing = header();
        listing.extend([
            cell(1, 0, "绩效目标表"),
            cell(1, 1, "A2"),
            cell(1, 2, unit),
            cell(1, 3, "填报单位行"),
        ]);
        let names = vec!["绩效目标表".to_string(), EXTRAS_SHEET.to_string()];
        let grids = vec![sheet_grid(vec![]), sheet_grid(listing)];
        let own = |cell: &str| Extra {
            sheet: "绩效目标表".into(),
            cell: cell.into(),
            text: unit.into(),
            kind: ExtraKind::UnitLine,
        };
        let got = gather(&names, &grids, 0, vec![own("A2")]);
        assert_eq!(got, vec![own("A2")]);
        // Not at A2: someone's own unit line stays beside the listed one.
        let got = gather(&names, &grids, 0, vec![own("A3")]);
        assert_eq!(got, vec![own("A3"), own("A2")]);
    }
}
