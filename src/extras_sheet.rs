//! The contract of the `其他内容` sheet, shared by the reader and the writer: its name, its columns, the 类型 labels, and how one row maps to an [`Extra`] and back.
//!
//! jixiao writes the sheet beside a restyled, marked or diff table: a header
//! row, then one row per extra (原工作表 | 原单元格 | 内容 | 类型). A workbook
//! of several tables adds a fifth column, 所属表: the sheet the extra's table
//! was written to (empty for the workbook's own extras, the cells of sheets
//! that hold no table), so that two tables of one source sheet (stacked
//! blocks) each get their own extras back. Reading the sheet back restores
//! each row as the extra it lists.
//!
//! Pure: names, labels and the row ⇄ extra mapping; the reader
//! (`read::extras_sheet`) and the writer (`write::extras`) do the cells.

use crate::model::{col_index, Extra, ExtraKind};

/// The name of the sheet listing extras.
pub const SHEET: &str = "其他内容";

/// The columns of every listing (A–D): the extra's sheet, its cell, its text, its kind.
pub const COLUMNS: [&str; 4] = ["原工作表", "原单元格", "内容", "类型"];

/// The column a listing of several tables adds after [`COLUMNS`] (E): the
/// sheet the extra's table was written to; empty for the workbook's own.
pub const TABLE_COLUMN: &str = "所属表";

/// The header of a listing of several tables: [`COLUMNS`], then [`TABLE_COLUMN`].
const WITH_TABLE_COLUMNS: [&str; 5] =
    [COLUMNS[0], COLUMNS[1], COLUMNS[2], COLUMNS[3], TABLE_COLUMN];

/// The 类型 column's words for each kind.
pub const KIND_LABELS: [(ExtraKind, &str); 4] = [
    (ExtraKind::UnitLine, "填报单位行"),
    (ExtraKind::Footnote, "表下注释"),
    (ExtraKind::Stray, "表外内容"),
    (ExtraKind::OtherSheet, "其他工作表"),
];

/// What a kind is, in words: the 类型 column.
pub fn kind_label(kind: ExtraKind) -> &'static str {
    KIND_LABELS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| *l)
        .expect("every kind has a label")
}

/// The kind whose [`kind_label`] this is (surrounding white space ignored).
pub fn kind_of_label(label: &str) -> Option<ExtraKind> {
    let label = label.trim();
    KIND_LABELS
        .iter()
        .find(|(_, l)| *l == label)
        .map(|(k, _)| *k)
}

/// Which columns a listing has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// [`COLUMNS`]: the listing of one table (and of every sheet jixiao wrote
    /// before [`TABLE_COLUMN`] existed).
    Plain,
    /// [`COLUMNS`] and [`TABLE_COLUMN`]: the listing of several tables.
    WithTable,
}

impl Layout {
    /// The layout of a listing of `tables` tables.
    pub fn for_tables(tables: usize) -> Layout {
        if tables > 1 {
            Layout::WithTable
        } else {
            Layout::Plain
        }
    }

    /// The header row, from column A.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Layout::Plain => &COLUMNS,
            Layout::WithTable => &WITH_TABLE_COLUMNS,
        }
    }

    /// The layout whose header row `cells` (0-based column, text) are,
    /// exactly: every heading in its column from A, nothing beside them.
    pub fn of_header(cells: &[(u32, &str)]) -> Option<Layout> {
        [Layout::Plain, Layout::WithTable].into_iter().find(|l| {
            let cols = l.columns();
            cells.len() == cols.len()
                && cells
                    .iter()
                    .zip(cols)
                    .enumerate()
                    .all(|(i, ((c, text), label))| *c == i as u32 && text == label)
        })
    }
}

/// One row of a listing: the extra and, in a [`Layout::WithTable`] listing,
/// the sheet its table was written to (`None`: the workbook's own, or a
/// [`Layout::Plain`] listing that does not say).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub extra: Extra,
    pub table: Option<String>,
}

/// The texts of the row listing `extra` of the table written to sheet
/// `table` (`None`: the workbook's own), from column A, as `layout` has them.
pub fn row_texts<'a>(layout: Layout, extra: &'a Extra, table: Option<&'a str>) -> Vec<&'a str> {
    let mut out = vec![
        extra.sheet.as_str(),
        extra.cell.as_str(),
        extra.text.as_str(),
        kind_label(extra.kind),
    ];
    if layout == Layout::WithTable {
        out.push(table.unwrap_or(""));
    }
    out
}

/// A row's cells (0-based column, text) as the extra they list: a sheet
/// name, an A1 address, non-empty text and a known 类型, in the layout's
/// columns and nothing beside them; `None` when the row is not one (someone
/// typed into the sheet).
pub fn parse_row(layout: Layout, cells: &[(u32, &str)]) -> Option<Row> {
    let width = layout.columns().len() as u32;
    if cells.iter().any(|(c, _)| *c >= width) {
        return None;
    }
    let at = |col: u32| {
        cells
            .iter()
            .find(|(c, _)| *c == col)
            .map(|(_, t)| *t)
            .unwrap_or("")
    };
    let (sheet, cell, text, kind) = (at(0), at(1), at(2), at(3));
    if sheet.is_empty() || text.is_empty() || !is_a1(cell) {
        return None;
    }
    let table = match layout {
        Layout::Plain => None,
        Layout::WithTable => Some(at(4)).filter(|t| !t.is_empty()).map(str::to_string),
    };
    Some(Row {
        extra: Extra {
            sheet: sheet.to_string(),
            cell: cell.to_string(),
            text: text.to_string(),
            kind: kind_of_label(kind)?,
        },
        table,
    })
}

/// `A1`-style address: column letters (upper case, at most three) then a row
/// number from 1.
pub fn is_a1(s: &str) -> bool {
    let split = s.find(|c: char| !c.is_ascii_uppercase()).unwrap_or(s.len());
    let (letters, digits) = s.split_at(split);
    letters.len() <= 3
        && col_index(letters).is_some()
        && !digits.is_empty()
        && !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extra(kind: ExtraKind) -> Extra {
        Extra {
            sheet: "Sheet1".into(),
            cell: "A23".into(),
            text: "注：年度指标值为本年度计划达到的目标值。".into(),
            kind,
        }
    }

    fn cells<'a>(texts: &[&'a str]) -> Vec<(u32, &'a str)> {
        texts
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.is_empty())
            .map(|(i, t)| (i as u32, *t))
            .collect()
    }

    #[test]
    fn every_kind_has_one_label_and_reads_back() {
        for k in ExtraKind::ALL {
            assert_eq!(kind_of_label(kind_label(k)), Some(k));
            assert_eq!(kind_of_label(&format!(" {} ", kind_label(k))), Some(k));
            // The model's words for the kind are the sheet's.
            assert_eq!(kind_label(k), k.label());
        }
        assert_eq!(kind_of_label("别的"), None);
    }

    #[test]
    fn a_row_maps_back_to_its_extra_in_either_layout() {
        for k in ExtraKind::ALL {
            let e = extra(k);
            let plain = row_texts(Layout::Plain, &e, Some("ignored"));
            assert_eq!(plain.len(), 4);
            assert_eq!(
                parse_row(Layout::Plain, &cells(&plain)),
                Some(Row {
                    extra: e.clone(),
                    table: None
                })
            );
            for table in [Some("Sheet1 (2)"), None] {
                let with = row_texts(Layout::WithTable, &e, table);
                assert_eq!(with.len(), 5);
                assert_eq!(
                    parse_row(Layout::WithTable, &cells(&with)),
                    Some(Row {
                        extra: e.clone(),
                        table: table.map(str::to_string)
                    })
                );
            }
        }
    }

    #[test]
    fn a_row_that_lists_no_extra_is_refused() {
        let ok = ["Sheet1", "A23", "注", "表下注释"];
        assert!(parse_row(Layout::Plain, &cells(&ok)).is_some());
        for bad in [
            ["", "A23", "注", "表下注释"],
            ["Sheet1", "第3行", "注", "表下注释"],
            ["Sheet1", "A23", "", "表下注释"],
            ["Sheet1", "A23", "注", "别的"],
        ] {
            assert!(parse_row(Layout::Plain, &cells(&bad)).is_none(), "{bad:?}");
        }
        // A cell beside the layout's columns.
        let mut wide = cells(&ok);
        wide.push((4, "已核"));
        assert!(parse_row(Layout::Plain, &wide).is_none());
        assert!(parse_row(Layout::WithTable, &wide).is_some());
        wide.push((5, "x"));
        assert!(parse_row(Layout::WithTable, &wide).is_none());
    }

    #[test]
    fn headers_are_recognised_exactly() {
        assert_eq!(
            Layout::of_header(&cells(Layout::Plain.columns())),
            Some(Layout::Plain)
        );
        assert_eq!(
            Layout::of_header(&cells(Layout::WithTable.columns())),
            Some(Layout::WithTable)
        );
        assert_eq!(
            Layout::of_header(&cells(&["原工作表", "原单元格", "内容"])),
            None
        );
        assert_eq!(
            Layout::of_header(&cells(&["原工作表", "原单元格", "内容", "类型", "备注"])),
            None
        );
        assert_eq!(
            Layout::of_header(&[(1, "原工作表"), (2, "原单元格"), (3, "内容"), (4, "类型")]),
            None
        );
        assert_eq!(Layout::of_header(&[]), None);
        assert_eq!(Layout::for_tables(1), Layout::Plain);
        assert_eq!(Layout::for_tables(0), Layout::Plain);
        assert_eq!(Layout::for_tables(2), Layout::WithTable);
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
}
