//! Restores the extras a jixiao `其他内容` sheet lists when a restyled, marked or diff workbook is read back (the sheet's contract: [`crate::extras_sheet`]).
//!
//! One row per [`Extra`] of the tables it was written from (原工作表 | 原单元格
//! | 内容 | 类型, and 所属表 when the workbook had several tables). Reading
//! such a workbook back restores those rows as the extras they list, each to
//! the table it belongs to, so `import(restyle(x))` has the extras of
//! `import(x)` and restyling again does not grow them.
//!
//! The sheet is recognised by its name and its header row, exactly as the
//! writer writes them. A row that does not read as an extra (someone typed
//! into the sheet) is kept cell by cell as `other_sheet` extras: nothing is
//! lost.

use super::grid::{GCell, Grid};
use super::{extra, other_sheet_extras, Found};
use crate::error::InputError;
use crate::extras_sheet::{parse_row, Layout, Row, SHEET};
use crate::model::{Extra, ExtraKind};

/// The rows of a 其他内容 sheet: its layout and the rows it lists.
pub(super) struct Listing {
    layout: Layout,
    rows: Vec<Row>,
}

/// The workbook's extras in sheet order: the table sheet's own (`own`) where
/// the table sheet is, a jixiao 其他内容 sheet's rows restored, the cells of
/// any other sheet as `other_sheet` extras.
///
/// When a 其他内容 sheet was restored, the unit line the writer repeats under
/// the title (A2 of the table sheet, the first listed unit line's text of
/// this table) is dropped from `own`: it is the listed extra again, not a new
/// one.
pub(super) fn gather(
    names: &[String],
    grids: &[Result<Grid, InputError>],
    table_idx: usize,
    mut own: Vec<Extra>,
) -> Vec<Extra> {
    let restored: Vec<Option<Listing>> = names
        .iter()
        .zip(grids)
        .enumerate()
        .map(|(i, (n, g))| match g {
            Ok(g) if i != table_idx => restore_rows(g, n),
            _ => None,
        })
        .collect();
    let this = names.get(table_idx).map(String::as_str);
    let listed_unit_line = restored
        .iter()
        .flatten()
        .flat_map(|l| &l.rows)
        .find(|r| {
            r.extra.kind == ExtraKind::UnitLine && (r.table.is_none() || r.table.as_deref() == this)
        })
        .map(|r| &r.extra);
    if let Some(u) = listed_unit_line {
        drop_repeated_unit_line(&mut own, u);
    }
    let mut out = Vec::with_capacity(own.len());
    let mut own = Some(own);
    for (i, (n, restored)) in names.iter().zip(restored).enumerate() {
        if i == table_idx {
            out.append(own.as_mut().expect("the table sheet comes once"));
            own = None;
        } else if let Some(l) = restored {
            out.extend(l.rows.into_iter().map(|r| r.extra));
        } else if let Ok(g) = &grids[i] {
            other_sheet_extras(g, n, &mut out);
        }
    }
    out
}

/// The extras of a workbook read whole: the cells of each sheet that holds no
/// table, in sheet order, as `other_sheet` extras. A jixiao 其他内容 sheet's
/// rows are restored instead, each to the table it belongs to (its repeated
/// unit line dropped as in [`gather`]) or else kept as the workbook's:
///
/// - a row that names its table (所属表) goes to the one table on that
///   sheet; when no single table is there, it is placed as a row that does
///   not name one;
/// - a row of a listing with 所属表 whose 所属表 is empty is the workbook's;
/// - a row of a listing without 所属表 (one table's, or written before the
///   column existed) goes to the one table on the sheet it names, else it
///   is the workbook's.
pub(super) fn gather_workbook(
    names: &[String],
    grids: &[Result<Grid, InputError>],
    found: &mut [Found],
) -> Vec<Extra> {
    let mut out = Vec::new();
    let mut back: Vec<Vec<Extra>> = vec![Vec::new(); found.len()];
    let only_table_on = |sheet: &str| -> Option<usize> {
        let mut on_sheet = found
            .iter()
            .enumerate()
            .filter(|(_, f)| f.table.source.sheet == sheet);
        match (on_sheet.next(), on_sheet.next()) {
            (Some((k, _)), None) => Some(k),
            _ => None,
        }
    };
    for (i, (n, g)) in names.iter().zip(grids).enumerate() {
        if found.iter().any(|f| f.sheet == i) {
            continue;
        }
        let Ok(g) = g else { continue };
        let Some(listing) = restore_rows(g, n) else {
            other_sheet_extras(g, n, &mut out);
            continue;
        };
        for Row { extra, table } in listing.rows {
            let to = match (table.as_deref().and_then(only_table_on), listing.layout) {
                (Some(k), _) => Some(k),
                (None, Layout::WithTable) if table.is_none() => None,
                (None, _) => only_table_on(&extra.sheet),
            };
            match to {
                Some(k) => back[k].push(extra),
                None => out.push(extra),
            }
        }
    }
    for (f, listed) in found.iter_mut().zip(back) {
        if listed.is_empty() {
            continue;
        }
        let own = &mut f.table.extras;
        if let Some(u) = listed.iter().find(|e| e.kind == ExtraKind::UnitLine) {
            drop_repeated_unit_line(own, u);
        }
        own.extend(listed);
    }
    out
}

/// Drops from a table's own extras the unit line the writer repeated at A2
/// of its sheet (the listed unit line `listed`'s text).
fn drop_repeated_unit_line(own: &mut Vec<Extra>, listed: &Extra) {
    if let Some(k) = own
        .iter()
        .position(|e| e.kind == ExtraKind::UnitLine && e.cell == "A2" && e.text == listed.text)
    {
        own.remove(k);
    }
}

/// The extras listed on `grid` if it is a 其他内容 sheet written by jixiao
/// (see [`restore_rows`]); `None` otherwise.
pub(super) fn restore(grid: &Grid, sheet: &str) -> Option<Vec<Extra>> {
    Some(
        restore_rows(grid, sheet)?
            .rows
            .into_iter()
            .map(|r| r.extra)
            .collect(),
    )
}

/// The rows listed on `grid` if it is a 其他内容 sheet written by jixiao (its
/// name, and a header row on row 1 exactly one [`Layout`]'s columns); `None`
/// otherwise. A row that lists no extra is kept cell by cell as
/// `other_sheet` extras of this sheet, belonging to no table.
pub(super) fn restore_rows(grid: &Grid, sheet: &str) -> Option<Listing> {
    if sheet != SHEET {
        return None;
    }
    let mut rows = grid.cells.chunk_by(|a, b| a.row == b.row);
    let header = rows.next()?;
    if header[0].row != 0 {
        return None;
    }
    let layout = Layout::of_header(&texts(header))?;
    let mut out = Vec::new();
    for row in rows {
        match parse_row(layout, &texts(row)) {
            Some(r) => out.push(r),
            None => out.extend(row.iter().map(|c| Row {
                extra: extra(sheet, c, ExtraKind::OtherSheet),
                table: None,
            })),
        }
    }
    Some(Listing { layout, rows: out })
}

/// A row's cells as (0-based column, text).
fn texts(row: &[GCell]) -> Vec<(u32, &str)> {
    row.iter().map(|c| (c.col, c.text.as_str())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extras_sheet::COLUMNS;
    use crate::model::Table;
    use crate::template::Template;

    fn cell(row: u32, col: u32, text: &str) -> GCell {
        GCell {
            row,
            col,
            text: text.into(),
        }
    }

    fn header() -> Vec<GCell> {
        COLUMNS
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
        let got = restore(&Grid::new(cells, vec![]), SHEET).unwrap();
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
        assert!(restore(&Grid::new(other, vec![]), SHEET).is_none());
        let lower: Vec<GCell> = header()
            .into_iter()
            .map(|c| cell(1, c.col, &c.text))
            .collect();
        assert!(restore(&Grid::new(lower, vec![]), SHEET).is_none());
        let mut wide = header();
        wide.push(cell(0, 4, "备注"));
        assert!(restore(&Grid::new(wide, vec![]), SHEET).is_none());
        assert!(restore(&Grid::new(vec![], vec![]), SHEET).is_none());
        assert_eq!(restore(&Grid::new(header(), vec![]), SHEET), Some(vec![]));
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
        let got = restore(&Grid::new(cells, vec![]), SHEET).unwrap();
        let other: Vec<&str> = got
            .iter()
            .filter(|e| e.sheet == SHEET)
            .map(|e| e.cell.as_str())
            .collect();
        assert_eq!(
            other,
            ["A2", "B2", "C2", "D2", "A3", "B3", "C3", "D3", "A4", "B4", "C4", "D4", "E4"]
        );
        assert!(got
            .iter()
            .filter(|e| e.sheet == SHEET)
            .all(|e| e.kind == ExtraKind::OtherSheet));
        assert_eq!(got.last().unwrap().cell, "AB100");
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
        let names = vec!["绩效目标表".to_string(), SHEET.to_string()];
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

    /// A table found on `sheet` (the sheet's index `at`) with its own extras.
    fn found(at: usize, sheet: &str, own: Vec<Extra>) -> Found {
        let mut table = Table::new(Template::default_template().shape());
        table.source.sheet = sheet.into();
        table.extras = own;
        Found {
            sheet: at,
            rows: [1, 1],
            table,
        }
    }

    fn ex(sheet: &str, cell: &str, text: &str, kind: ExtraKind) -> Extra {
        Extra {
            sheet: sheet.into(),
            cell: cell.into(),
            text: text.into(),
            kind,
        }
    }

    /// A listing with 所属表: rows of `(原工作表, 原单元格, 内容, 类型, 所属表)`.
    fn listing_with_table(rows: &[[&str; 5]]) -> Vec<GCell> {
        let mut cells: Vec<GCell> = Layout::WithTable
            .columns()
            .iter()
            .enumerate()
            .map(|(i, l)| cell(0, i as u32, l))
            .collect();
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    cells.push(cell(r as u32 + 1, c as u32, text));
                }
            }
        }
        cells
    }

    #[test]
    fn rows_go_to_the_table_they_name() {
        // Two blocks of one source sheet, written to 项目 and 项目 (2).
        let listing = listing_with_table(&[
            ["项目", "A2", "金额单位：万元", "填报单位行", "项目"],
            ["项目", "A20", "填报人：孙伟", "表下注释", "项目"],
            ["项目", "A23", "金额单位：元", "填报单位行", "项目 (2)"],
            [
                "项目",
                "A41",
                "注：按政府采购程序执行。",
                "表下注释",
                "项目 (2)",
            ],
            ["填报说明", "A1", "填报说明", "其他工作表", ""],
            // Names a sheet with no table: placed by its own sheet.
            ["项目 (2)", "O9", "已核", "表外内容", "别的表"],
        ]);
        let names: Vec<String> = ["项目", "项目 (2)", SHEET]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let grids = vec![sheet_grid(vec![]), sheet_grid(vec![]), sheet_grid(listing)];
        // The writer repeated each table's unit line at A2 of its sheet.
        let mut found = vec![
            found(
                0,
                "项目",
                vec![ex("项目", "A2", "金额单位：万元", ExtraKind::UnitLine)],
            ),
            found(
                1,
                "项目 (2)",
                vec![ex("项目 (2)", "A2", "金额单位：元", ExtraKind::UnitLine)],
            ),
        ];
        let workbook = gather_workbook(&names, &grids, &mut found);
        assert_eq!(
            workbook,
            [ex("填报说明", "A1", "填报说明", ExtraKind::OtherSheet)]
        );
        assert_eq!(
            found[0].table.extras,
            [
                ex("项目", "A2", "金额单位：万元", ExtraKind::UnitLine),
                ex("项目", "A20", "填报人：孙伟", ExtraKind::Footnote),
            ]
        );
        assert_eq!(
            found[1].table.extras,
            [
                ex("项目", "A23", "金额单位：元", ExtraKind::UnitLine),
                ex(
                    "项目",
                    "A41",
                    "注：按政府采购程序执行。",
                    ExtraKind::Footnote
                ),
                ex("项目 (2)", "O9", "已核", ExtraKind::Stray),
            ]
        );
    }

    #[test]
    fn a_listing_without_the_table_column_reads_as_before() {
        let mut listing = header();
        listing.extend([
            cell(1, 0, "项目"),
            cell(1, 1, "A20"),
            cell(1, 2, "填报人：孙伟"),
            cell(1, 3, "表下注释"),
            cell(2, 0, "填报说明"),
            cell(2, 1, "A1"),
            cell(2, 2, "填报说明"),
            cell(2, 3, "其他工作表"),
        ]);
        let names: Vec<String> = ["项目", SHEET].iter().map(|s| s.to_string()).collect();
        let grids = vec![sheet_grid(vec![]), sheet_grid(listing.clone())];
        let mut one = vec![found(0, "项目", vec![])];
        let workbook = gather_workbook(&names, &grids, &mut one);
        assert_eq!(
            one[0].table.extras,
            [ex("项目", "A20", "填报人：孙伟", ExtraKind::Footnote)]
        );
        assert_eq!(
            workbook,
            [ex("填报说明", "A1", "填报说明", ExtraKind::OtherSheet)]
        );
        // Two tables say the same sheet: the row cannot be placed, the workbook keeps it.
        let names: Vec<String> = ["项目", "项目", SHEET]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let grids = vec![sheet_grid(vec![]), sheet_grid(vec![]), sheet_grid(listing)];
        let mut two = vec![found(0, "项目", vec![]), found(1, "项目", vec![])];
        let workbook = gather_workbook(&names, &grids, &mut two);
        assert!(two.iter().all(|f| f.table.extras.is_empty()));
        assert_eq!(workbook.len(), 2);
    }

    #[test]
    fn one_table_read_alone_drops_its_own_repeated_unit_line() {
        let listing = listing_with_table(&[
            ["项目", "A2", "金额单位：万元", "填报单位行", "项目"],
            ["项目", "A23", "金额单位：元", "填报单位行", "项目 (2)"],
        ]);
        let names: Vec<String> = ["项目", "项目 (2)", SHEET]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let grids = vec![sheet_grid(vec![]), sheet_grid(vec![]), sheet_grid(listing)];
        let own = vec![ex("项目 (2)", "A2", "金额单位：元", ExtraKind::UnitLine)];
        let got = gather(&names, &grids, 1, own);
        assert_eq!(
            got,
            [
                ex("项目", "A2", "金额单位：万元", ExtraKind::UnitLine),
                ex("项目", "A23", "金额单位：元", ExtraKind::UnitLine),
            ]
        );
    }

    #[test]
    fn a_listing_with_the_table_column_is_recognised_and_strict() {
        let ok = listing_with_table(&[["项目", "A2", "x", "表外内容", "项目"]]);
        let got = restore_rows(&Grid::new(ok, vec![]), SHEET).unwrap();
        assert_eq!(got.layout, Layout::WithTable);
        assert_eq!(got.rows[0].table.as_deref(), Some("项目"));
        // A sixth cell: not a listed extra, kept cell by cell.
        let mut wide = listing_with_table(&[["项目", "A2", "x", "表外内容", "项目"]]);
        wide.push(cell(1, 5, "备注"));
        let got = restore(&Grid::new(wide, vec![]), SHEET).unwrap();
        assert_eq!(got.len(), 6);
        assert!(got
            .iter()
            .all(|e| e.sheet == SHEET && e.kind == ExtraKind::OtherSheet));
    }
}
