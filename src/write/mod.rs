//! Writes models (plus findings or changes) as styled xlsx; the only module that imports rust_xlsxwriter.
//!
//! - [`table::write_table_sheet`] writes the official table on a worksheet and
//!   returns a [`TableLayout`] (where each [`Place`] went), for the restyled,
//!   marked and diff workbooks alike.
//! - [`styles::Styles`] holds every `Format`; list sheets use
//!   `extras::write_list_sheet`.
//! - [`official_workbook`] (restyle, one sheet per table; footnotes below
//!   their table, other sheets' cells on sheets of their own, the rest on
//!   其他内容) and [`blank_template`] (template) build whole workbooks; [`marked_workbook`] the validation's,
//!   [`diff_workbook`] the diff's, [`collect_workbook`] the collection's.

mod collect;
mod diff;
pub(crate) mod extras;
mod marked;
mod runs;
pub(crate) mod styles;
pub(crate) mod table;

pub use collect::{
    collect_prior_workbook, collect_prior_workbook_with, collect_workbook, collect_workbook_with,
    SummarySheets, ATTAINMENT_SUMMARY_SHEET, ONE_YEAR_SHEET, PRIOR_FILES_SHEET, YEAR_SHEET,
};
pub use diff::{
    diff_workbook, diff_workbook_of_pairs, ATTAINMENT_SHEET, CHANGES_SHEET, CURRENT_SHEET,
    DIFF_SUMMARY_SHEET, REMOVED_BLOCK_TITLE,
};
pub use extras::{write_extras_sheet, EXTRAS_SHEET};
pub(crate) use extras::{
    write_list_sheet, write_list_sheet_with, ListCell, ListColumn, ListWriter,
};
pub use marked::{finding_note, marked_workbook, marked_workbook_with_extras, FINDINGS_SHEET};
pub use styles::Styles;
pub use table::{text_height, write_table_sheet, TableLayout};
pub(crate) use table::{write_table_sheet_with, TableOptions};

use crate::extras_sheet::Layout;
use crate::model::{Extra, Place, Table};
use crate::template::Template;
use rust_xlsxwriter::{DocProperties, ProtectionOptions, Workbook, XlsxError};

/// The name of the official table's sheet.
pub const TABLE_SHEET: &str = "绩效目标表";

/// Spare empty rows after a rolled-forward template's indicators.
pub const ROLLED_SPARE_ROWS: u32 = 5;

/// The most empty rows a blank template gets (Excel's last row is far beyond).
const MAX_BLANK_ROWS: u32 = 100_000;

pub use crate::error::WriteError;

/// rust_xlsxwriter's error as a [`WriteError`].
pub(crate) fn xe(e: XlsxError) -> WriteError {
    WriteError::Xlsx(e.to_string())
}

/// How a marked cell is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MarkColor {
    /// A validation error (red).
    Error,
    /// A validation warning (amber).
    Warning,
    /// Diff: a new indicator or group (green).
    Added,
    /// Diff: a changed value (yellow).
    Modified,
    /// Diff: a renamed indicator (blue).
    Renamed,
    /// Diff: an indicator moved from another group (purple).
    Moved,
}

/// A cell of the written table to fill and annotate with a note.
///
/// A group field marks the group's (merged) cell; a form field its value
/// cell. Several marks on one cell: the highest-priority colour wins
/// ([`MarkColor::ALL`] order) and the notes are joined.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// The cell, as a place of the model.
    pub place: Place,
    /// Its fill.
    pub color: MarkColor,
    /// The note's text.
    pub note: String,
}

/// A new workbook with the document properties of jixiao's outputs.
pub fn new_workbook(title: &str) -> Workbook {
    let mut wb = Workbook::new();
    // Level 3 of 9: restyle spends ~15% of its time compressing at the default
    // level; files grow ~20% (a 20,000-indicator table: 1.5 → 1.8 MB).
    wb.set_zip_compression_level(3);
    wb.set_properties(&properties(title, "table"));
    wb
}

/// Saves a workbook to bytes, marking it as jixiao's and of which kind
/// (`crate::read::mark`): a report (summary, diff, marked) by its sheets.
pub fn save(wb: &mut Workbook) -> Result<Vec<u8>, WriteError> {
    let names: Vec<String> = wb.worksheets().iter().map(|w| w.name()).collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    let kind = if has(FINDINGS_SHEET) {
        Some(("marked", "校验结果"))
    } else if has(DIFF_SUMMARY_SHEET) {
        Some(("diff", "与上年对比"))
    } else if has(collect::FILES_SHEET) {
        Some(("summary", "绩效目标表汇总"))
    } else {
        None
    };
    if let Some((kind, title)) = kind {
        wb.set_properties(&properties(title, kind));
    }
    wb.save_to_buffer().map_err(xe)
}

/// [`save`], then the workbook's cells (a large sheet's are millions of small
/// allocations) are freed on another core while the caller writes the bytes.
pub(crate) fn save_owned(mut wb: Workbook) -> Result<Vec<u8>, WriteError> {
    let bytes = save(&mut wb);
    rayon::spawn(move || drop(wb));
    bytes
}

/// jixiao's document properties: the mark (`jixiao:KIND` in the keywords).
fn properties(title: &str, kind: &str) -> DocProperties {
    DocProperties::new()
        .set_title(title)
        .set_author("jixiao")
        .set_comment("由 jixiao 生成")
        .set_keywords(format!("{}{kind}", crate::read::mark::MARK_PREFIX))
}

/// The sheet names of tables written side by side: [`TABLE_SHEET`] for a
/// single table (as ever); for several, each table's source sheet
/// (`临沂一中`), made a valid, unique sheet name (`Sheet1 (2)` for the second
/// block of one sheet; never one of `reserved`).
pub fn table_sheet_names(tables: &[&Table], reserved: &[&str]) -> Vec<String> {
    if tables.len() == 1 {
        return vec![TABLE_SHEET.to_string()];
    }
    let mut used: Vec<String> = reserved.iter().map(|s| s.to_lowercase()).collect();
    let mut out = Vec::with_capacity(tables.len());
    for t in tables {
        let clean: String = t
            .source
            .sheet
            .chars()
            .map(|c| match c {
                '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
                c if c.is_control() => ' ',
                c => c,
            })
            .collect();
        let clean = clean.trim().trim_matches('\'').trim().to_string();
        let base = if clean.is_empty() {
            TABLE_SHEET.to_string()
        } else {
            clean
        };
        let fit = |s: &str, room: usize| -> String { s.chars().take(room).collect() };
        let mut name = fit(&base, 31);
        let mut n = 2;
        while used.contains(&name.to_lowercase()) {
            let tail = format!(" ({n})");
            name = format!("{}{tail}", fit(&base, 31 - tail.chars().count()));
            n += 1;
        }
        used.push(name.to_lowercase());
        out.push(name);
    }
    out
}

/// The extras of several tables for one 其他内容 sheet: each table's in
/// order, an extra listed by an earlier table (a cell of a shared other
/// sheet) not repeated; then the workbook's own (cells of sheets that hold no
/// table, [`crate::model::Workbook::extras`]).
pub fn all_extras<'a>(tables: &[&'a Table], workbook: &'a [Extra]) -> Vec<&'a Extra> {
    let mut out: Vec<&Extra> = Vec::new();
    for t in tables {
        for e in &t.extras {
            if tables.len() == 1 || !out.contains(&e) {
                out.push(e);
            }
        }
    }
    for e in workbook {
        if !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

/// The official workbook (what `restyle` writes): each table on a sheet of
/// its own in the official layout of its template (see [`table_sheet_names`]),
/// its footnote and signature rows below it (`table::footnotes_below`) and
/// strays beside it where they were (`table::strays_beside`); the cells of
/// other sheets on sheets of their own, by name and address; a `其他内容`
/// sheet lists the extras that could not be placed so.
///
/// # Errors
///
/// [`WriteError::NoTables`] for an empty `tables`; [`WriteError::Xlsx`] when
/// rust_xlsxwriter refuses the workbook.
///
/// ```
/// use jixiao::{official_workbook, read_file, ReadOptions, Template};
/// let templates = Template::builtins();
/// let opts = ReadOptions { sheet: None, templates: &templates };
/// let t = read_file("examples/linyi-education-2023.xlsx".as_ref(), &opts)?;
/// let xlsx = official_workbook(&[(&t, &templates[0])])?;
/// // What it writes reads back as the same table.
/// let back = jixiao::read_bytes(&xlsx, "official.xlsx", &opts)?;
/// assert_eq!(back.groups, t.groups);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn official_workbook(tables: &[(&Table, &Template)]) -> Result<Vec<u8>, WriteError> {
    official_workbook_with_extras(tables, &[])
}

/// [`official_workbook`] of a whole workbook: its tables, and its own extras
/// (cells of sheets that hold no table) listed on the 其他内容 sheet too, so
/// that reading the restyled workbook gives them back (see [`extras_listing`]).
pub fn official_workbook_with_extras(
    tables: &[(&Table, &Template)],
    workbook_extras: &[Extra],
) -> Result<Vec<u8>, WriteError> {
    let Some((first, _)) = tables.first() else {
        return Err(WriteError::NoTables);
    };
    let styles = Styles::official();
    let mut wb = new_workbook(&first.title);
    let only: Vec<&Table> = tables.iter().map(|(t, _)| *t).collect();
    let names = table_sheet_names(&only, &[EXTRAS_SHEET]);
    // Extras written where they were: footnotes below their table, other
    // sheets' cells on sheets of their own; the rest is listed.
    let mut placed: Vec<&Extra> = Vec::new();
    for ((table, template), name) in tables.iter().zip(&names) {
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(xe)?;
        let layout = write_table_sheet(ws, table, template, &[], &styles)?;
        let below = table::footnotes_below(table, template);
        table::write_footnotes(ws, table, template, &layout, table, &below, false)?;
        placed.extend(below);
        for (e, (r, c)) in table::strays_beside(table, &layout) {
            ws.write_string(r, c, table::cell_text(&e.text))
                .map_err(xe)?;
            placed.push(e);
        }
    }
    let mut others: Vec<&Extra> = workbook_extras.iter().collect();
    if let [(t, _)] = tables {
        others.extend(&t.extras);
    }
    let mut used: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    used.push(EXTRAS_SHEET.to_lowercase());
    for (sheet, cells) in other_sheets(&others) {
        if used.contains(&sheet.to_lowercase()) {
            continue;
        }
        let ws = wb.add_worksheet();
        if ws.set_name(sheet).is_err() {
            return Err(WriteError::SheetName(sheet.to_string()));
        }
        used.push(sheet.to_lowercase());
        for (e, (r, c)) in &cells {
            ws.write_string(*r, *c, table::cell_text(&e.text))
                .map_err(xe)?;
        }
        placed.extend(cells.iter().map(|(e, _)| *e));
    }
    let (layout, mut rows) = extras_listing(&only, &names, workbook_extras);
    rows.retain(|(e, _)| !placed.iter().any(|p| std::ptr::eq(*p, *e) || *p == *e));
    if !rows.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(EXTRAS_SHEET).map_err(xe)?;
        extras::write_extras_listing(ws, layout, &rows, &styles)?;
    }
    save_owned(wb)
}

/// An extra and the cell (0-based row, column) it is written to.
type Placed<'a> = (&'a Extra, (u32, u16));

/// The other sheets' cells among `extras` that can be written back on a
/// sheet of their own, by sheet in order of first appearance: a valid sheet
/// name, every address an A1 one, no address twice.
fn other_sheets<'a>(extras: &[&'a Extra]) -> Vec<(&'a str, Vec<Placed<'a>>)> {
    let mut out: Vec<(&str, Vec<Placed<'a>>, bool)> = Vec::new();
    for e in extras {
        if e.kind != crate::model::ExtraKind::OtherSheet {
            continue;
        }
        let k = match out.iter().position(|(s, _, _)| *s == e.sheet) {
            Some(k) => k,
            None => {
                let ok = valid_sheet_name(&e.sheet);
                out.push((&e.sheet, Vec::new(), ok));
                out.len() - 1
            }
        };
        let entry = &mut out[k];
        match table::parse_a1(&e.cell) {
            Some(at) if !entry.1.iter().any(|(x, a)| *a == at || *x == *e) => entry.1.push((e, at)),
            Some(_) if entry.1.iter().any(|(x, _)| *x == *e) => {}
            _ => entry.2 = false,
        }
    }
    out.into_iter()
        .filter(|(_, c, ok)| *ok && !c.is_empty())
        .map(|(s, c, _)| (s, c))
        .collect()
}

/// Whether Excel takes `name` as a sheet name.
fn valid_sheet_name(name: &str) -> bool {
    let n = name.chars().count();
    (1..=31).contains(&n)
        && !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
        && !name.starts_with('\'')
        && !name.ends_with('\'')
        && !name.eq_ignore_ascii_case("history")
}

/// The rows of the 其他内容 sheet of `tables` written to the sheets `names`
/// and of the workbook's own extras, in their layout
/// (`crate::extras_sheet::Layout`):
///
/// - one table: [`all_extras`], without the 所属表 column (as ever);
/// - several: each table's extras in order, each naming the sheet its table
///   was written to (so two blocks of one source sheet each get theirs
///   back), then the workbook's own, naming none.
pub fn extras_listing<'a>(
    tables: &[&'a Table],
    names: &'a [String],
    workbook: &'a [Extra],
) -> (Layout, Vec<(&'a Extra, Option<&'a str>)>) {
    let layout = Layout::for_tables(tables.len());
    let rows = match layout {
        Layout::Plain => all_extras(tables, workbook)
            .into_iter()
            .map(|e| (e, None))
            .collect(),
        Layout::WithTable => tables
            .iter()
            .zip(names)
            .flat_map(|(t, n)| t.extras.iter().map(move |e| (e, Some(n.as_str()))))
            .chain(workbook.iter().map(|e| (e, None)))
            .collect(),
    };
    (layout, rows)
}

/// The blank template: the table's groups and indicators (none for a fresh
/// template, then `empty_rows` empty rows; a rolled-forward table gets
/// [`ROLLED_SPARE_ROWS`] spare rows, at most `empty_rows`) and its form in the
/// official layout; header and form labels locked, sheet protected without a
/// password, data and form value cells unlocked; input messages on the header
/// and the form labels, drop-down suggestions on the columns that have them.
///
/// # Errors
///
/// [`WriteError::Xlsx`] when rust_xlsxwriter refuses the workbook.
///
/// ```
/// use jixiao::{blank_template, Table, Template};
/// let template = Template::default_template();
/// let mut fresh = Table::new(template.shape());
/// fresh.title = template.title(2024, "临沂市教育局");
/// let xlsx = blank_template(&fresh, &template, 10)?;
/// assert!(xlsx.starts_with(b"PK"));
/// # Ok::<(), jixiao::write::WriteError>(())
/// ```
pub fn blank_template(
    table: &Table,
    template: &Template,
    empty_rows: usize,
) -> Result<Vec<u8>, WriteError> {
    blank_template_from(table, template, empty_rows, None)
}

/// [`blank_template`] rolled forward from `prior` (`template --from`): also
/// the prior table's footnote and signature rows (`table::footnotes_below`)
/// below the table, as far below its last row as they were, their cells
/// unlocked to fill in.
pub fn blank_template_from(
    table: &Table,
    template: &Template,
    empty_rows: usize,
    prior: Option<&Table>,
) -> Result<Vec<u8>, WriteError> {
    let styles = Styles::blank_template();
    let mut wb = new_workbook(&table.title);
    let ws = wb.add_worksheet();
    ws.set_name(TABLE_SHEET).map_err(xe)?;
    let empty_rows = u32::try_from(empty_rows)
        .unwrap_or(u32::MAX)
        .min(MAX_BLANK_ROWS);
    let spare_rows = if table.groups.is_empty() {
        empty_rows
    } else {
        empty_rows.min(ROLLED_SPARE_ROWS)
    };
    let options = TableOptions {
        spare_rows,
        input_help: true,
        template_unit_line: true,
    };
    let layout = write_table_sheet_with(ws, table, template, &[], &styles, &options)?;
    if let Some(prior) = prior {
        let below = table::footnotes_below(prior, template);
        table::write_footnotes(ws, table, template, &layout, prior, &below, true)?;
    }
    let protection = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        insert_rows: true,
        delete_rows: true,
        ..ProtectionOptions::new()
    };
    ws.protect_with_options(&protection);
    save_owned(wb)
}
