//! Reads a workbook (any format calamine opens, decided by content) into the canonical [`Table`]s it holds.
//!
//! Every table is found by matching a template's header tree
//! ([`Template::columns`]); no header text lives in code. A workbook may hold
//! any number of tables: one per sheet, several blocks stacked on one sheet,
//! beside sheets that hold none. Every non-empty cell of the workbook ends up
//! exactly once as title, unit line, form, header, data or an [`Extra`].
//!
//! Every entry point goes the same way from bytes to sheets (`load`: sniff,
//! open, grids through the number-format engine `numfmt`), then finds and
//! builds the tables here.

pub(crate) mod container;
mod extras_sheet;
pub(crate) mod form;
mod grid;
mod headers;
mod load;
pub(crate) mod mark;
pub mod numfmt;
mod ods_formats;
mod xls_formats;
mod xlsx_merges;

pub use container::{sniff, Format, MAX_CELL_CHARS, MAX_FILE_BYTES};
pub use load::{sheet_cells, SheetCells};
pub use mark::written_by_jixiao;

use crate::error::{Error, InputError, Result};
use crate::model::{
    a1, col_letters, Extra, ExtraKind, FieldRef, Group, Indicator, Role, Shape, Table, Workbook,
    WORKBOOK_SCHEMA,
};
use crate::template::Template;
use crate::text::{cached_regex, text_key, text_key_chars, text_key_starts_with};
use form::label_norm;
use grid::{GCell, Grid};
use headers::{find_headers, is_header_row, Header, Matcher};
use load::Loaded;
use rayon::prelude::*;
use regex::Regex;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// Cells of another sheet copied as extras, at most.
const MAX_OTHER_SHEET_EXTRAS: usize = 1_000;

/// How to read a workbook.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions<'a> {
    /// Read only this sheet's tables (the other sheets' cells are extras).
    pub sheet: Option<&'a str>,
    /// The templates a table may be: one (named with `--template`) or every
    /// built-in (`auto`); each table is recognised by the template whose
    /// header matches it best.
    pub templates: &'a [Template],
}

/// Reads every table of a workbook; errors name the file as given. `Err`
/// when the workbook holds no table.
///
/// # Errors
///
/// [`Error::Input`] naming `path`: the file is missing, unreadable, not a
/// workbook, damaged, encrypted or beyond the reader's limits, or holds no
/// table of any of `opts.templates`.
///
/// # Examples
///
/// ```
/// use jixiao::{read_workbook, ReadOptions, Template};
/// let templates = Template::builtins();
/// let opts = ReadOptions { sheet: None, templates: &templates };
/// let wb = read_workbook("examples/linyi-education-projects-2023.xlsx".as_ref(), &opts)?;
/// assert_eq!(wb.tables.len(), 3); // one project per sheet
/// # Ok::<(), jixiao::Error>(())
/// ```
pub fn read_workbook(path: &Path, opts: &ReadOptions<'_>) -> Result<Workbook> {
    let display = path.display().to_string();
    let bytes = container::read_capped(path).map_err(|e| Error::input(&display, e))?;
    workbook_of(Cow::Owned(bytes), &display, opts)
}

/// [`read_workbook`] from a workbook's bytes; `display_path` names it in errors and `source.path`.
///
/// # Errors
///
/// As [`read_workbook`], naming `display_path`.
///
/// ```
/// use jixiao::{read_workbook_bytes, ReadOptions, Template};
/// let bytes = std::fs::read("examples/linyi-education-2023.xlsx").unwrap();
/// let templates = Template::builtins();
/// let opts = ReadOptions { sheet: None, templates: &templates };
/// let wb = read_workbook_bytes(&bytes, "教育局.xlsx", &opts)?;
/// assert_eq!(wb.tables[0].source.path, "教育局.xlsx");
/// let e = read_workbook_bytes(b"not a workbook", "x.xlsx", &opts).unwrap_err();
/// assert!(e.to_string().starts_with("x.xlsx: 不是 Excel 或 WPS 表格文件"));
/// # Ok::<(), jixiao::Error>(())
/// ```
pub fn read_workbook_bytes(
    bytes: &[u8],
    display_path: &str,
    opts: &ReadOptions<'_>,
) -> Result<Workbook> {
    workbook_of(Cow::Borrowed(bytes), display_path, opts)
}

/// [`read_workbook_bytes`] over bytes it may own (then freed once the sheets are loaded).
fn workbook_of(
    bytes: Cow<'_, [u8]>,
    display_path: &str,
    opts: &ReadOptions<'_>,
) -> Result<Workbook> {
    in_file(display_path, || {
        let (loaded, found) = read_all(bytes, display_path, opts, None)?;
        let wb = into_workbook(&loaded, found, display_path);
        let_go(loaded);
        Ok(wb)
    })
}

/// Reads the one table of a file; errors name the file as given. A workbook
/// holding several tables is refused ([`InputError::SeveralTables`]) unless
/// [`ReadOptions::sheet`] narrows it to one.
///
/// # Errors
///
/// As [`read_workbook`]; also [`InputError::SeveralTables`] for a workbook of
/// several tables.
///
/// ```
/// use jixiao::{read_file, ReadOptions, Template};
/// let templates = Template::builtins();
/// let opts = ReadOptions { sheet: None, templates: &templates };
/// let t = read_file("examples/linyi-education-2023.xlsx".as_ref(), &opts)?;
/// assert_eq!((t.template.as_str(), t.year), ("dept-overall", Some(2023)));
/// let e = read_file("examples/linyi-education-projects-2023.xlsx".as_ref(), &opts).unwrap_err();
/// assert!(e.to_string().contains("工作簿中有 3 张表"));
/// # Ok::<(), jixiao::Error>(())
/// ```
pub fn read_file(path: &Path, opts: &ReadOptions<'_>) -> Result<Table> {
    let display = path.display().to_string();
    // Size is checked before reading: a 10 GB file is refused, not loaded.
    let bytes = container::read_capped(path).map_err(|e| Error::input(&display, e))?;
    table_of(Cow::Owned(bytes), &display, opts)
}

/// [`read_file`] from a workbook's bytes; `display_path` names it in errors and `source.path`.
///
/// # Errors
///
/// As [`read_file`], naming `display_path`.
///
/// ```
/// use jixiao::{read_bytes, ReadOptions, Template};
/// let bytes = std::fs::read("examples/linyi-education-2022.xlsx").unwrap();
/// let templates = Template::builtins();
/// let opts = ReadOptions { sheet: None, templates: &templates };
/// let t = read_bytes(&bytes, "2022.xlsx", &opts)?;
/// assert_eq!(t.department.as_deref(), Some("临沂市教育局"));
/// # Ok::<(), jixiao::Error>(())
/// ```
pub fn read_bytes(bytes: &[u8], display_path: &str, opts: &ReadOptions<'_>) -> Result<Table> {
    table_of(Cow::Borrowed(bytes), display_path, opts)
}

/// [`read_bytes`] over bytes it may own (then freed once the sheets are loaded).
fn table_of(bytes: Cow<'_, [u8]>, display_path: &str, opts: &ReadOptions<'_>) -> Result<Table> {
    in_file(display_path, || {
        let (loaded, mut found) = read_all(bytes, display_path, opts, None)?;
        if found.len() > 1 {
            return Err(several(&found));
        }
        let f = found.pop().expect("read_all gives at least one table");
        let t = single(&loaded, f);
        let_go(loaded);
        Ok(t)
    })
}

/// The `n`-th table of a file (1-based, in sheet order and top to bottom
/// within a sheet), with the cells of the sheets that hold no table in its extras.
pub fn read_table(path: &Path, opts: &ReadOptions<'_>, n: usize) -> Result<Table> {
    let display = path.display().to_string();
    let bytes = container::read_capped(path).map_err(|e| Error::input(&display, e))?;
    nth_table_of(Cow::Owned(bytes), &display, opts, n)
}

/// [`read_table`] from a workbook's bytes.
pub fn read_table_bytes(
    bytes: &[u8],
    display_path: &str,
    opts: &ReadOptions<'_>,
    n: usize,
) -> Result<Table> {
    nth_table_of(Cow::Borrowed(bytes), display_path, opts, n)
}

/// [`read_table_bytes`] over bytes it may own (then freed once the sheets are loaded).
fn nth_table_of(
    bytes: Cow<'_, [u8]>,
    display_path: &str,
    opts: &ReadOptions<'_>,
    n: usize,
) -> Result<Table> {
    in_file(display_path, || {
        let (loaded, mut found) = read_all(bytes, display_path, opts, None)?;
        let count = found.len();
        if n == 0 || n > count {
            return Err(InputError::NoSuchTable { n, count });
        }
        let f = found.swap_remove(n - 1);
        if count == 1 {
            return Ok(single(&loaded, f));
        }
        // The other tables' sheets are not this table's extras; sheets with no table are.
        let table_sheets: HashSet<usize> = found.iter().map(|x| x.sheet).collect();
        let (sheet, mut t) = (f.sheet, f.table);
        let own = std::mem::take(&mut t.extras);
        let mut out = Vec::with_capacity(own.len());
        let mut own = Some(own);
        for (i, name) in loaded.names.iter().enumerate() {
            if i == sheet {
                out.extend(own.take().unwrap_or_default());
            } else if !table_sheets.contains(&i) {
                if let Ok(g) = &loaded.grids[i] {
                    match extras_sheet::restore(g, name) {
                        Some(r) => out.extend(r),
                        None => other_sheet_extras(g, name, &mut out),
                    }
                }
            }
        }
        t.extras = out;
        Ok(t)
    })
}

/// Where every non-empty cell of a workbook went: the check that reading
/// loses nothing and reads nothing twice (spec/model.md, "Every cell is
/// accounted for"). Returns one line per problem (`Sheet1!B7 未读取`,
/// `Sheet1!B7 读取了 2 次`); empty when every cell is accounted for once.
#[doc(hidden)]
pub fn unaccounted_cells(path: &Path, opts: &ReadOptions<'_>) -> Result<Vec<String>> {
    let display = path.display().to_string();
    let bytes = container::read_capped(path).map_err(|e| Error::input(&display, e))?;
    in_file(&display, || {
        let mut seen: Vec<(usize, u32, u32)> = Vec::new();
        let (loaded, found) = read_all(Cow::Borrowed(&bytes), &display, opts, Some(&mut seen))?;
        // The sheets with no table are read whole (as extras or a 其他内容 listing).
        let table_sheets: HashSet<usize> = found.iter().map(|f| f.sheet).collect();
        for (i, g) in loaded.grids.iter().enumerate() {
            if let (false, Ok(g)) = (table_sheets.contains(&i), g) {
                seen.extend(g.cells.iter().map(|c| (i, c.row, c.col)));
            }
        }
        let mut count: HashMap<(usize, u32, u32), usize> = HashMap::new();
        for s in seen {
            *count.entry(s).or_default() += 1;
        }
        let mut out = Vec::new();
        for (i, g) in loaded.grids.iter().enumerate() {
            let Ok(g) = g else { continue };
            for c in &g.cells {
                let at = format!("{}!{}", loaded.names[i], a1(c.col, c.row + 1));
                match count.remove(&(i, c.row, c.col)) {
                    None => out.push(format!("{at} 未读取（{}）", c.text)),
                    Some(1) => {}
                    Some(n) => out.push(format!("{at} 读取了 {n} 次（{}）", c.text)),
                }
            }
        }
        for ((i, r, c), _) in count {
            out.push(format!(
                "{}!{} 读取了一个空单元格",
                loaded.names[i],
                a1(c, r + 1)
            ));
        }
        Ok(out)
    })
}

/// Runs a read of one file: its errors name the file, and a panic in it (a bug
/// of ours: calamine's panics are caught in [`read_all`]) is reported by the CLI
/// as an internal error naming this file ([`crate::error::reading`]).
fn in_file<T>(
    display_path: &str,
    f: impl FnOnce() -> std::result::Result<T, InputError>,
) -> Result<T> {
    let _reading = crate::error::reading(display_path);
    f().map_err(|e| Error::input(display_path, e))
}

/// One table as found: its sheet (index into [`Loaded::names`]) and the table.
struct Found {
    sheet: usize,
    /// The block's first and last non-empty row on its sheet (1-based).
    rows: [u32; 2],
    table: Table,
}

/// The workbook form of what was found: tables with their own extras, the
/// other sheets' cells as the workbook's extras.
fn into_workbook(loaded: &Loaded, mut found: Vec<Found>, path: &str) -> Workbook {
    let extras = extras_sheet::gather_workbook(&loaded.names, &loaded.grids, &mut found);
    Workbook {
        schema: WORKBOOK_SCHEMA.to_string(),
        path: path.to_string(),
        tables: found.into_iter().map(|f| f.table).collect(),
        extras,
    }
}

/// The one table of a workbook with the other sheets' cells in its extras (as
/// a single-table read always gave them).
fn single(loaded: &Loaded, f: Found) -> Table {
    let mut t = f.table;
    t.extras = extras_sheet::gather(
        &loaded.names,
        &loaded.grids,
        f.sheet,
        std::mem::take(&mut t.extras),
    );
    t
}

/// The refusal of a workbook with several tables, naming each.
fn several(found: &[Found]) -> InputError {
    let mut per_sheet: HashMap<&str, usize> = HashMap::new();
    for f in found {
        *per_sheet.entry(f.table.source.sheet.as_str()).or_default() += 1;
    }
    let names: Vec<String> = found
        .iter()
        .map(|f| {
            let t = &f.table;
            let mut s = t.source.sheet.clone();
            if per_sheet[t.source.sheet.as_str()] > 1 {
                s.push_str(&format!(" 第{}–{}行", f.rows[0], f.rows[1]));
            }
            let who = if !t.project().is_empty() {
                t.project()
            } else {
                t.department.as_deref().unwrap_or("")
            };
            if !who.is_empty() {
                s.push_str(&format!("（{who}）"));
            }
            s
        })
        .collect();
    InputError::SeveralTables {
        count: found.len(),
        list: names.join("、"),
    }
}

/// Reads every table of the workbook (of the one sheet asked for). `Err`
/// when there is none. `seen` collects every cell the tables account for
/// (sheet index, 0-based row and column), for [`unaccounted_cells`].
fn read_all(
    bytes: Cow<'_, [u8]>,
    display_path: &str,
    opts: &ReadOptions<'_>,
    mut seen: Option<&mut Vec<(usize, u32, u32)>>,
) -> std::result::Result<(Loaded, Vec<Found>), InputError> {
    // Only the load hands bytes to calamine: a panic there (e.g. an arithmetic
    // overflow in an .xls MULRK) means a damaged file. Past it, a panic is ours.
    let loaded = container::guarded(|| load::load(&bytes, opts.sheet))?;
    // The file's bytes are in the grids now: a file the reader owns is freed here.
    drop(bytes);
    #[cfg(debug_assertions)]
    if std::env::var_os("JIXIAO_TEST_PANIC").is_some() {
        panic!("JIXIAO_TEST_PANIC is set"); // tests/integration/internal_error.rs
    }
    let format = loaded.format;
    if opts.templates.is_empty() {
        return Err(InputError::NoTable("没有可用的模板".into()));
    }
    let ctx: Vec<TemplateCtx<'_>> = opts.templates.iter().map(TemplateCtx::new).collect();
    // A sheet that cannot be read is skipped unless it is the one asked for
    // or no other sheet holds a table.
    let mut load_error: Option<InputError> = None;
    let mut first_reason: Option<String> = None;
    let mut built: Vec<Built> = Vec::new();
    for (i, n) in loaded.names.iter().enumerate() {
        if opts.sheet.is_some_and(|s| s != n) {
            continue;
        }
        let g = match &loaded.grids[i] {
            Ok(g) => g,
            Err(e) => {
                load_error.get_or_insert_with(|| e.clone());
                continue;
            }
        };
        match find_blocks(g, &ctx) {
            Ok(blocks) => {
                for b in blocks {
                    let mut cells = Vec::new();
                    let mut t =
                        build_table(g, &b, n, &ctx[b.tpl], seen.is_some().then_some(&mut cells));
                    t.source.path = display_path.to_string();
                    t.source.format = format.name().to_string();
                    built.push(Built {
                        sheet: i,
                        tpl: b.tpl,
                        rows: [b.start, b.end],
                        table: t,
                        cells,
                    });
                }
            }
            Err(why) => {
                first_reason.get_or_insert(format!("工作表“{n}”{why}"));
            }
        }
    }
    if built.is_empty() {
        if let Some(e) = load_error {
            return Err(e);
        }
        return Err(InputError::NoTable(
            first_reason.unwrap_or_else(|| "没有找到表头".into()),
        ));
    }
    // A header with nothing filled in (a sample on an instructions sheet, a
    // blank template beside the filled one) is no table when another is.
    if built.iter().any(|b| !is_blank(&b.table)) {
        let mut kept: Vec<Built> = Vec::new();
        let mut dropped: Vec<(usize, [u32; 2])> = Vec::new();
        for b in built {
            if is_blank(&b.table) {
                dropped.push((b.sheet, b.rows));
            } else {
                kept.push(b);
            }
        }
        for (sheet, rows) in dropped {
            // On a sheet that keeps a table, the blank block's cells are that table's strays.
            let Some(k) = kept
                .iter()
                .rposition(|k| k.sheet == sheet && k.rows[0] < rows[0])
                .or_else(|| kept.iter().position(|k| k.sheet == sheet))
            else {
                continue;
            };
            let Ok(g) = &loaded.grids[sheet] else {
                continue;
            };
            let name = &loaded.names[sheet];
            let Built {
                table: t, cells, ..
            } = &mut kept[k];
            for c in g.rows_between(rows[0], rows[1]) {
                t.extras.push(extra(name, c, ExtraKind::Stray));
                cells.push((c.row, c.col));
            }
        }
        built = kept;
    }
    let mut found = Vec::with_capacity(built.len());
    let mut tpls = Vec::with_capacity(built.len());
    for Built {
        sheet,
        tpl,
        rows: [start, end],
        table,
        cells,
    } in built
    {
        tpls.push(tpl);
        if let Some(s) = seen.as_deref_mut() {
            s.extend(cells.into_iter().map(|(r, c)| (sheet, r, c)));
        }
        let last = match &loaded.grids[sheet] {
            Ok(g) => g.rows_between(start, end).last().map_or(start, |c| c.row),
            Err(_) => start,
        };
        found.push(Found {
            sheet,
            rows: [start + 1, last + 1],
            table,
        });
    }
    // The sheets that hold the tables are read: their cells go before the
    // values are parsed, so the grid and the parsed values are never held at
    // once (past this, only the accounting of every cell looks at a table's
    // own sheet).
    let mut loaded = loaded;
    if seen.is_none() {
        for f in &found {
            if let Some(Ok(g)) = loaded.grids.get_mut(f.sheet) {
                *g = Grid::default();
            }
        }
    }
    for (f, &tpl) in found.iter_mut().zip(&tpls) {
        parse_table_values(&mut f.table, ctx[tpl].tpl);
    }
    Ok((loaded, found))
}

/// What each value of every indicator reads as: each indicator's own work,
/// spread over the cores (the reading itself is on one).
fn parse_table_values(t: &mut Table, tpl: &Template) {
    let words = crate::quantity::Words::new(&tpl.rules.qualitative_words);
    let value_fields: Vec<usize> = t.shape.value_fields().collect();
    t.groups.par_iter_mut().for_each(|g| {
        for ind in &mut g.indicators {
            parse_values(ind, &value_fields, &words);
        }
    });
}

/// Frees the sheets' cells on another core: a large sheet's cells, one
/// string each, took as long to free as a tenth of the read.
fn let_go(loaded: Loaded) {
    rayon::spawn(move || drop(loaded));
}

/// Sets what each filled value field of `ind` reads as.
fn parse_values(ind: &mut Indicator, fields: &[usize], words: &crate::quantity::Words) {
    // One slot per value field read, no more (a Vec grown one by one held 8
    // slots for 5 values: 3 MB at 20,000 indicators).
    let filled = fields.iter().filter(|&&i| !ind.text(i).is_empty()).count();
    ind.parsed.reserve_exact(filled);
    for &i in fields {
        if let Some(p) = crate::quantity::parse_value_with(ind.text(i), words) {
            ind.set_parsed(i, p);
        }
    }
}

/// A table as built from its block, before blank ones are dropped.
struct Built {
    sheet: usize,
    /// Its template (index into the read's templates).
    tpl: usize,
    /// The block's rows (0-based, inclusive).
    rows: [u32; 2],
    table: Table,
    /// The cells it accounts for (0-based row, column), when asked.
    cells: Vec<(u32, u32)>,
}

/// A table with nothing filled in: no indicator, and no project or
/// department in its form.
fn is_blank(t: &Table) -> bool {
    t.indicator_count() == 0
        && [Role::Project, Role::Department]
            .iter()
            .all(|&r| t.form_text_of(r).is_empty())
}

/// The cells of a sheet that holds no table, as `other_sheet` extras (at most
/// [`MAX_OTHER_SHEET_EXTRAS`], then one extra saying how many more there are).
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
        text: c.text.to_string(),
        kind,
    }
}

/// What the reader needs of one template, prepared once per read.
struct TemplateCtx<'t> {
    tpl: &'t Template,
    shape: std::sync::Arc<Shape>,
    matcher: Matcher,
    titles: Vec<Arc<Regex>>,
    unit: Option<Arc<Regex>>,
    score: Option<Arc<Regex>>,
    /// Normalised labels of the form fields (and fixed form texts).
    form_labels: HashSet<String>,
    /// Footnote prefixes, as [`text_key`]s, each with its first character.
    footnotes: Vec<(char, String)>,
    /// Group fields whose key is a category label: a row holding only such a
    /// label is an empty category, kept in the table.
    empty_groups: bool,
    /// For each group field, the group field a score on its label goes to.
    score_field: Vec<Option<usize>>,
}

impl<'t> TemplateCtx<'t> {
    fn new(tpl: &'t Template) -> TemplateCtx<'t> {
        let shape = tpl.shape();
        let mut form_labels = HashSet::new();
        for f in &tpl.form {
            for l in std::iter::once(&f.label).chain(f.aliases.iter()) {
                let n = label_norm(l);
                if !n.is_empty() {
                    form_labels.insert(n);
                }
            }
        }
        for r in &tpl.form_rows {
            for c in &r.cells {
                if let Some(t) = &c.text {
                    let n = label_norm(t);
                    if !n.is_empty() {
                        form_labels.insert(n);
                    }
                }
            }
        }
        let mut score_field = vec![None; shape.group.len()];
        for leaf in tpl.leaves() {
            if let (FieldRef::Group(g), Some(s)) = (leaf.field, &leaf.column.score_field) {
                score_field[g] = shape.group_field(s);
            }
        }
        let empty_groups = shape
            .levels
            .last()
            .is_some_and(|l| shape.group[l.key].role == Some(Role::GroupName));
        TemplateCtx {
            tpl,
            matcher: Matcher::new(tpl),
            titles: tpl
                .title_regexes
                .iter()
                .filter_map(|r| cached_regex(r))
                .collect(),
            unit: cached_regex(&tpl.unit_line_regex),
            score: tpl.score_regex.as_deref().and_then(cached_regex),
            form_labels,
            footnotes: tpl
                .footnote_prefixes
                .iter()
                .map(|p| text_key(p))
                .filter_map(|p| Some((p.chars().next()?, p)))
                .collect(),
            empty_groups,
            score_field,
            shape,
        }
    }

    fn is_title(&self, text: &str) -> bool {
        self.titles.iter().any(|r| r.is_match(text))
    }

    /// Whether a cell's text starts a footnote (one of the template's prefixes,
    /// white space ignored).
    fn is_footnote(&self, text: &str) -> bool {
        // The first key character picks the candidates: one decode for most rows.
        let Some(first) = text_key_chars(text).next() else {
            return false;
        };
        self.footnotes
            .iter()
            .any(|(f, p)| *f == first && text_key_starts_with(text, p))
    }

    fn is_unit(&self, text: &str) -> bool {
        self.unit.as_ref().is_some_and(|r| r.is_match(text))
    }

    /// Whether a cell's text is one of the form's labels (as the form reader
    /// compares them: colons dropped, a `及…` tail tolerated).
    fn is_form_label(&self, text: &str) -> bool {
        if self.form_labels.is_empty() || text.len() > 120 {
            return false;
        }
        let n = label_norm(text);
        if self.form_labels.contains(&n) {
            return true;
        }
        n.find('及')
            .map(|i| &n[..i])
            .filter(|cut| cut.chars().count() >= 2)
            .is_some_and(|cut| self.form_labels.contains(cut))
    }
}

/// One table's rows on a sheet: its template, its header, and the rows it
/// covers (0-based, inclusive: from its title or form block to the row before
/// the next table).
struct Block {
    tpl: usize,
    header: Header,
    start: u32,
    end: u32,
}

/// The tables on one sheet, top to bottom. A header starts a new table when
/// its template differs from the table above, or when its own title or form
/// block sits above it; otherwise it is a header repeated inside the table
/// above (a printout's next page).
fn find_blocks(grid: &Grid, ctx: &[TemplateCtx<'_>]) -> std::result::Result<Vec<Block>, String> {
    let mut candidates: Vec<(usize, Header)> = Vec::new();
    let mut reason: Option<String> = None;
    for (ti, c) in ctx.iter().enumerate() {
        match find_headers(grid, &c.matcher) {
            Ok(hs) => candidates.extend(hs.into_iter().map(|h| (ti, h))),
            Err(why) => {
                reason.get_or_insert(why);
            }
        }
    }
    if candidates.is_empty() {
        return Err(reason.unwrap_or_default());
    }
    // Where two templates' headers overlap, the one matching more columns wins
    // (then the template listed first).
    candidates.sort_by_key(|(ti, h)| (h.first_row, std::cmp::Reverse(h.cols.len()), *ti));
    let mut headers: Vec<(usize, Header)> = Vec::with_capacity(candidates.len());
    for (ti, h) in candidates {
        match headers.last_mut() {
            Some((lt, last)) if h.first_row <= last.last_row => {
                if h.cols.len() > last.cols.len() {
                    *lt = ti;
                    *last = h;
                }
            }
            _ => headers.push((ti, h)),
        }
    }
    let mut blocks: Vec<Block> = Vec::new();
    // The current table's title and department (from its title or unit line).
    let (mut title, mut who): (Option<String>, Option<String>) = (None, None);
    for (ti, h) in headers {
        let c = &ctx[ti];
        let Some(cur) = blocks.last() else {
            let top = block_top(grid, c, None, h.first_row);
            (title, who) = (top.title, top.who);
            blocks.push(Block {
                tpl: ti,
                header: h,
                start: 0,
                end: u32::MAX,
            });
            continue;
        };
        let top = block_top(grid, c, Some(cur.header.last_row), h.first_row);
        let differs = |new: &Option<String>, cur: &Option<String>| {
            new.as_ref().is_some_and(|n| cur.as_ref() != Some(n))
        };
        let new = ti != cur.tpl
            || top.has_form
            // A project's title is the same for every project: its own title starts it.
            || (!c.tpl.form.is_empty() && top.title.is_some())
            // A title or unit line repeated over each printed page of a
            // grid-only table is the same table; another one starts a new table.
            || differs(&top.title, &title)
            || differs(&top.who, &who);
        if !new {
            continue;
        }
        let start = top.top.unwrap_or(h.first_row);
        if let Some(prev) = blocks.last_mut() {
            prev.end = start.saturating_sub(1);
        }
        (title, who) = (top.title, top.who);
        blocks.push(Block {
            tpl: ti,
            header: h,
            start,
            end: u32::MAX,
        });
    }
    Ok(blocks)
}

/// What sits above a header, as [`block_top`] finds it.
#[derive(Default)]
struct Top {
    /// The topmost row of the table's title, unit line and form rows.
    top: Option<u32>,
    /// A form row is among them.
    has_form: bool,
    /// The title found.
    title: Option<String>,
    /// The department named by the title, else by a unit line.
    who: Option<String>,
}

/// Looking up from a header (0-based row `header`) to the row after `floor`
/// (to the sheet's top when `None`): the rows that are a title, a unit line or
/// a form row (empty rows, and up to two rows of neither kind between them,
/// allowed; a footnote ends the look below a table). The sheet's first table
/// takes every row above its header, so there the look goes to the top.
fn block_top(grid: &Grid, c: &TemplateCtx<'_>, floor: Option<u32>, header: u32) -> Top {
    let mut out = Top::default();
    let from = floor.map_or(0, |f| f + 1);
    if header <= from {
        return out;
    }
    let cells = grid.rows_between(from, header - 1);
    let mut end = cells.len();
    let mut misses = 0;
    let mut unit_who: Option<String> = None;
    while end > 0 {
        let row = cells[end - 1].row;
        let mut begin = end - 1;
        while begin > 0 && cells[begin - 1].row == row {
            begin -= 1;
        }
        let chunk = &cells[begin..end];
        end = begin;
        if let Some(t) = chunk.iter().find(|x| c.is_title(&x.text)) {
            out.who = c
                .titles
                .iter()
                .find_map(|r| r.captures(&t.text))
                .and_then(|caps| caps.name("department"))
                .map(|d| d.as_str().trim().to_string())
                .filter(|d| !d.is_empty());
            out.title = Some(t.text.to_string());
            out.top = Some(row);
            // Nothing of this table sits above its title.
            break;
        }
        if chunk.iter().any(|x| c.is_form_label(&x.text)) {
            out.has_form = true;
        } else if let Some(u) = chunk.iter().find(|x| c.is_unit(&x.text)) {
            let d = c
                .unit
                .as_ref()
                .and_then(|r| r.captures(&u.text))
                .and_then(|caps| caps.name("department"))
                .map(|d| d.as_str().trim().to_string())
                .filter(|d| !d.is_empty());
            if d.is_some() {
                unit_who = d;
            }
        } else {
            misses += 1;
            if floor.is_some() && (misses > 2 || c.is_footnote(&chunk[0].text)) {
                break;
            }
            continue;
        }
        misses = 0;
        out.top = Some(row);
    }
    if out.who.is_none() {
        out.who = unit_who;
    }
    out
}

/// Records the cells a table accounts for, when asked to (see [`unaccounted_cells`]).
struct Seen<'a>(Option<&'a mut Vec<(u32, u32)>>);

impl Seen<'_> {
    #[inline]
    fn mark(&mut self, c: &GCell) {
        if let Some(s) = self.0.as_deref_mut() {
            s.push((c.row, c.col));
        }
    }
}

/// The table's extras as they are found, each cell recorded.
struct Extras<'a> {
    sheet: &'a str,
    list: Vec<Extra>,
    seen: Seen<'a>,
}

impl Extras<'_> {
    #[inline]
    fn push(&mut self, c: &GCell, kind: ExtraKind) {
        self.seen.mark(c);
        self.list.push(extra(self.sheet, c, kind));
    }
}

/// One group field's text on a data row: where it comes from and whether that is a merged cell.
#[derive(Debug, Clone, Default)]
struct GroupCell<'g> {
    text: Cow<'g, str>,
    /// The 0-based row the text comes from (a merge's top row).
    src: u32,
    merged: bool,
}

/// One data row: first as read on its own, then, once the rows before it are
/// walked, an indicator or an empty category's label.
#[derive(Default)]
struct DataRow {
    /// 1-based.
    row: u32,
    /// A repeated header block came between the previous data row and this one.
    after_header: bool,
    /// Read on its own: its first cell starts a footnote.
    footnote: bool,
    /// Read on its own: a repeated header.
    header: bool,
    /// Read on its own: a level's key field has its own text on this row.
    labelled_here: bool,
    /// Read on its own: the row's fields, when it has cells in the table's
    /// columns (kept once walked only when some value is filled).
    indicator: Option<Indicator>,
}

/// How a table's data rows are shared out to be read on their own.
#[derive(Debug, Clone, Copy)]
struct RowSplit {
    /// From this many data rows they are read on every core (fewer: on one,
    /// as `collect` already reads its files on every core).
    parallel_from: usize,
    /// Data rows read as one piece of work.
    part: usize,
}

/// 4,096 rows and more on every core, in parts of 2,048.
const ROW_SPLIT: RowSplit = RowSplit {
    parallel_from: 4096,
    part: 2048,
};

/// What reading a data row on its own needs (shared by the cores).
struct RowReader<'g, 'c> {
    grid: &'g Grid,
    c: &'c TemplateCtx<'c>,
    h: &'c Header,
    ng: usize,
    n_fields: usize,
    ind_cols: &'c [(usize, u32)],
    group_cols: &'c [(usize, u32)],
    key_fields: Vec<usize>,
    name_field: Option<usize>,
    value_fields: Vec<usize>,
}

impl<'g> RowReader<'g, '_> {
    /// Reads each row of `cells` (whole rows) on its own into `rows`, one
    /// each, and the group cells of each into `gcells` (`ng` a row).
    fn read(&self, cells: &'g [GCell], rows: &mut [DataRow], gcells: &mut [GroupCell<'g>]) {
        let mut gcells = gcells;
        for (chunk, r) in cells.chunk_by(|a, b| a.row == b.row).zip(rows) {
            let (own, rest) = std::mem::take(&mut gcells).split_at_mut(self.ng);
            gcells = rest;
            self.read_row(chunk, r, own);
        }
    }

    fn read_row(&self, chunk: &'g [GCell], r: &mut DataRow, gcells: &mut [GroupCell<'g>]) {
        let (h, c, grid) = (self.h, self.c, self.grid);
        let row = chunk[0].row;
        r.row = row + 1;
        r.footnote = c.is_footnote(&chunk[0].text);
        let a = chunk.partition_point(|x| x.col < h.first_col);
        let z = chunk.partition_point(|x| x.col <= h.last_col);
        let inside = &chunk[a..z];
        if inside.is_empty() {
            return;
        }
        if is_header_row(&c.matcher, inside) {
            r.header = true;
            return;
        }
        let mut ind = Indicator::empty(self.n_fields, row + 1);
        for &(i, col) in self.ind_cols {
            let text = text_at(grid, chunk, row, col).0;
            if !text.is_empty() {
                ind.values[i] = text.into_owned();
            }
        }
        for &(i, col) in self.group_cols {
            let (text, src, merged) = text_at(grid, chunk, row, col);
            if self.key_fields.contains(&i) && src == row && !text.is_empty() {
                r.labelled_here = true;
            }
            let (text, score) = match (c.score_field[i], c.score.as_ref()) {
                (Some(sf), Some(re)) => split_score(re, text, sf),
                _ => (text, None),
            };
            if let Some((sf, s)) = score {
                gcells[sf] = GroupCell {
                    text: Cow::Owned(s),
                    src,
                    merged,
                };
            }
            gcells[i] = GroupCell { text, src, merged };
        }
        r.indicator = Some(ind);
    }

    /// The row's own side of a continuation (given that it has values): no
    /// name and no value field.
    fn own_continuation(&self, ind: &Indicator) -> bool {
        self.name_field.is_some_and(|f| ind.text(f).is_empty())
            && self.value_fields.iter().all(|&f| ind.text(f).is_empty())
    }
}

fn build_table(
    grid: &Grid,
    b: &Block,
    sheet: &str,
    c: &TemplateCtx<'_>,
    seen: Option<&mut Vec<(u32, u32)>>,
) -> Table {
    build_table_with(grid, b, sheet, c, seen, ROW_SPLIT)
}

/// [`build_table`], its data rows shared out as `split` says.
fn build_table_with(
    grid: &Grid,
    b: &Block,
    sheet: &str,
    c: &TemplateCtx<'_>,
    seen: Option<&mut Vec<(u32, u32)>>,
    split: RowSplit,
) -> Table {
    let h = &b.header;
    let tpl = c.tpl;
    let shape = &c.shape;
    let m = &c.matcher;
    let mut t = Table::new(shape.clone());
    let mut ex = Extras {
        sheet,
        list: Vec::new(),
        seen: Seen(seen),
    };
    t.source.sheet = sheet.to_string();
    t.source.header_rows = [h.first_row + 1, h.last_row + 1];
    let mut cols: Vec<&headers::HeaderCol> = h.cols.iter().collect();
    cols.sort_by_key(|x| x.pos);
    for x in &cols {
        t.source.columns.insert(x.key.clone(), col_letters(x.col));
        t.source
            .header_labels
            .insert(x.key.clone(), x.label.clone());
    }

    // Title and unit line above the header (above the form block, if any).
    let above: &[GCell] = if h.first_row <= b.start {
        &[]
    } else {
        grid.rows_between(b.start, h.first_row - 1)
    };
    let form_at = if tpl.form.is_empty() {
        None
    } else {
        above
            .iter()
            .position(|x| c.is_form_label(&x.text))
            .map(|i| {
                // The whole row of the first form label.
                let row = above[i].row;
                above.partition_point(|x| x.row < row)
            })
    };
    let (above, form_cells) = above.split_at(form_at.unwrap_or(above.len()));
    let title_idx = above.iter().position(|x| c.is_title(&x.text)).or_else(|| {
        // Any other text, unless it sits on a unit line's row or reads `label：value`.
        let unit_rows: Vec<u32> = above
            .iter()
            .filter(|x| c.is_unit(&x.text))
            .map(|x| x.row)
            .collect();
        above.iter().position(|x| {
            !unit_rows.contains(&x.row) && !x.text.contains('：') && !x.text.contains(':')
        })
    });
    let mut unit_department: Option<String> = None;
    let mut unit_line: Option<&str> = None;
    for (i, x) in above.iter().enumerate() {
        if Some(i) == title_idx {
            ex.seen.mark(x);
            t.title = x.text.to_string();
            if let Some(caps) = c.titles.iter().find_map(|r| r.captures(&x.text)) {
                t.year = caps.name("year").and_then(|y| y.as_str().parse().ok());
                t.department = caps
                    .name("department")
                    .map(|d| d.as_str().trim().to_string())
                    .filter(|d| !d.is_empty());
            }
        } else if c.is_unit(&x.text) {
            if unit_line.is_none() {
                unit_line = Some(&x.text);
            }
            if unit_department.is_none() {
                unit_department = c
                    .unit
                    .as_ref()
                    .and_then(|r| r.captures(&x.text))
                    .and_then(|caps| caps.name("department"))
                    .map(|d| d.as_str().trim().to_string())
                    .filter(|d| !d.is_empty());
            }
            ex.push(x, ExtraKind::UnitLine);
        } else {
            ex.push(x, ExtraKind::Stray);
        }
    }

    // The form block: the rows between the title or unit line and the grid header.
    if !tpl.form.is_empty() {
        let rows = match form_cells.first() {
            Some(f) => f.row..=h.first_row - 1,
            #[allow(clippy::reversed_empty_ranges)]
            None => 1..=0,
        };
        // A unit line among the form rows (no title above them) still says the unit.
        let is_unit_line = |x: &GCell| c.is_unit(&x.text) && !c.is_form_label(&x.text);
        if unit_line.is_none() {
            unit_line = form_cells
                .iter()
                .find(|x| is_unit_line(x))
                .map(|x| x.text.as_str());
        }
        let fr = form::read_form(grid, rows, tpl, unit_line);
        t.form = fr.form;
        t.source.form_cells = fr.cells;
        for x in form_cells {
            if fr.used.contains(&(x.row, x.col)) {
                ex.seen.mark(x);
            } else if is_unit_line(x) {
                ex.push(x, ExtraKind::UnitLine);
            } else {
                ex.push(x, ExtraKind::Stray);
            }
        }
    }
    // The department is the submitting unit: the form's department field
    // when it names one (a title may name a region or the implementing unit),
    // else the title's, else a unit line's.
    if let Some(d) = shape
        .form_role(Role::Department)
        .map(|i| t.form.text(i).trim())
        .filter(|d| !d.is_empty())
    {
        t.department = Some(d.to_string());
    }
    if t.department.is_none() {
        t.department = unit_department;
    }

    // The grid's columns: which field each fills.
    let width = (h.last_col - h.first_col + 1) as usize;
    let mut field_col = vec![false; width];
    for x in &h.cols {
        field_col[(x.col - h.first_col) as usize] = true;
    }
    let is_field_col = |col: u32| {
        col >= h.first_col && col <= h.last_col && field_col[(col - h.first_col) as usize]
    };
    let is_side = |x: &GCell| h.side_col == Some(x.col) && m.is_side_label(&x.text);

    // Header rows: the labels over the table's columns are the header, the
    // side label is part of the table; anything else is a stray.
    for x in grid.rows_between(h.first_row, h.last_row) {
        let inside = x.col >= h.first_col && x.col <= h.last_col;
        let header_cell = if inside {
            is_field_col(x.col)
                || m.is_label_text(&x.text)
                || grid
                    .merge_from(x.row, x.col)
                    .is_some_and(|(_, c1)| (x.col..=c1.min(h.last_col)).any(is_field_col))
        } else {
            is_side(x)
        };
        if header_cell {
            ex.seen.mark(x);
        } else {
            ex.push(x, ExtraKind::Stray);
        }
    }

    // Data rows: each row read on its own (on every core for a large
    // table), then walked in order for what depends on the rows before it.
    let ng = shape.group.len();
    let ind_cols: Vec<(usize, u32)> = cols
        .iter()
        .filter_map(|x| match x.field {
            FieldRef::Indicator(i) => Some((i, x.col)),
            _ => None,
        })
        .collect();
    let group_cols: Vec<(usize, u32)> = cols
        .iter()
        .filter_map(|x| match x.field {
            FieldRef::Group(i) => Some((i, x.col)),
            _ => None,
        })
        .collect();
    let start = grid.cells.partition_point(|x| x.row <= h.last_row);
    let stop = grid.cells.partition_point(|x| x.row <= b.end);
    let data_grid = &grid.cells[start..stop.max(start)];
    let reader = RowReader {
        grid,
        c,
        h,
        ng,
        n_fields: shape.indicator.len(),
        ind_cols: &ind_cols,
        group_cols: &group_cols,
        key_fields: shape.levels.iter().map(|l| l.key).collect(),
        name_field: shape.indicator_role(Role::Name),
        value_fields: shape.value_fields().collect(),
    };
    // One slot per row and `ng` group cells per row, filled in place: the
    // rows kept are then moved down over the others, nothing is copied.
    let n_rows = data_grid.chunk_by(|a, b| a.row == b.row).count();
    let mut rows: Vec<DataRow> = std::iter::repeat_with(DataRow::default)
        .take(n_rows)
        .collect();
    let mut gcells: Vec<GroupCell<'_>> = vec![GroupCell::default(); n_rows * ng];
    if n_rows >= split.parallel_from {
        read_rows_in_parts(
            &reader,
            data_grid,
            &mut rows,
            &mut gcells,
            split.part.max(1),
        );
    } else {
        reader.read(data_grid, &mut rows, &mut gcells);
    }
    let mut footnote = false;
    let mut after_header = false;
    // Rows kept so far: they are rows[..kept], their group cells gcells[..kept * ng].
    let mut kept = 0;
    for (i, chunk) in data_grid.chunk_by(|a, b| a.row == b.row).enumerate() {
        let row = chunk[0].row;
        let r = std::mem::take(&mut rows[i]);
        if !footnote && r.footnote {
            footnote = true;
        }
        if footnote {
            for x in chunk {
                ex.push(x, ExtraKind::Footnote);
            }
            continue;
        }
        if r.header {
            after_header = true;
            for x in chunk {
                if (x.col >= h.first_col && x.col <= h.last_col) || is_side(x) {
                    ex.seen.mark(x);
                } else {
                    ex.push(x, ExtraKind::Stray);
                }
            }
            continue;
        }
        let Some(ind) = r.indicator else {
            // No cell in the table's columns.
            for x in chunk {
                if is_side(x) {
                    ex.seen.mark(x);
                } else {
                    ex.push(x, ExtraKind::Stray);
                }
            }
            continue;
        };
        let has_values = ind.values.iter().any(|v| !v.is_empty());
        // The group fields of the row, with their sources.
        let base = kept * ng;
        let own = i * ng;
        // A continuation row: text spilling from the row above (no name, no
        // value, no group cell of its own). Kept as strays, never an empty indicator.
        let continuation = has_values
            && kept > 0
            && reader.own_continuation(&ind)
            && group_cols.iter().all(|&(f, _)| {
                let x = &gcells[own + f];
                x.text.is_empty() || x.src != row || gcells[base - ng + f].text == x.text
            });
        if continuation || !(has_values || c.empty_groups && r.labelled_here) {
            // Text in the table's columns but no indicator: an odd row.
            for x in chunk {
                ex.push(x, ExtraKind::Stray);
            }
            continue;
        }
        for x in chunk {
            if is_field_col(x.col) || is_side(x) {
                ex.seen.mark(x);
            } else {
                ex.push(x, ExtraKind::Stray);
            }
        }
        for f in 0..ng {
            gcells.swap(base + f, own + f);
        }
        // The values are parsed once the rows are grouped (below).
        rows[kept] = DataRow {
            row: row + 1,
            after_header: std::mem::take(&mut after_header),
            indicator: has_values.then_some(ind),
            ..DataRow::default()
        };
        kept += 1;
    }
    rows.truncate(kept);
    gcells.truncate(kept * ng);
    if let (Some(f), Some(l)) = (rows.first(), rows.last()) {
        t.source.data_rows = Some([f.row, l.row]);
    }
    t.groups = assign_groups(shape, rows, &gcells);
    // The values are parsed once the grid is freed (`read_all`).
    t.extras = ex.list;
    t.source.truncated_cells = grid
        .truncated
        .iter()
        .filter(|&&(r, _)| r >= b.start && r <= b.end)
        .map(|&(r, c)| format!("{}{}", col_letters(c), r + 1))
        .collect();
    t
}

/// Reads the rows of `cells` on every core, `part` rows a piece, each into
/// its own slots of `rows` and `gcells`.
fn read_rows_in_parts<'g>(
    reader: &RowReader<'g, '_>,
    cells: &'g [GCell],
    rows: &mut [DataRow],
    gcells: &mut [GroupCell<'g>],
    part: usize,
) {
    let ng = reader.ng;
    // Each piece: its cells, its rows' slots, their group cells.
    let mut pieces = Vec::new();
    let (mut cells, mut rows, mut gcells) = (cells, rows, gcells);
    while !cells.is_empty() {
        let mut end = 0;
        let mut n = 0;
        while end < cells.len() && n < part {
            let row = cells[end].row;
            end += cells[end..].partition_point(|x| x.row == row);
            n += 1;
        }
        let (c, c_rest) = cells.split_at(end);
        let (r, r_rest) = std::mem::take(&mut rows).split_at_mut(n);
        let (g, g_rest) = std::mem::take(&mut gcells).split_at_mut(n * ng);
        pieces.push((c, r, g));
        (cells, rows, gcells) = (c_rest, r_rest, g_rest);
    }
    pieces
        .into_par_iter()
        .for_each(|(c, r, g)| reader.read(c, r, g));
}

/// The text at (row, col): the row's own cell (looked up in its few cells),
/// else the top cell of a vertical merge over it; with the row it comes from
/// and whether it is a merged cell.
fn text_at<'g>(
    grid: &'g Grid,
    chunk: &'g [GCell],
    row: u32,
    col: u32,
) -> (Cow<'g, str>, u32, bool) {
    if let Some((r0, _)) = grid.vertical_merge(row, col) {
        return match grid.get(r0, col) {
            Some(s) => (Cow::Borrowed(s), r0, true),
            None => (Cow::Borrowed(""), row, true),
        };
    }
    match chunk.iter().find(|x| x.col == col) {
        Some(x) => (Cow::Borrowed(x.text.as_str()), row, false),
        None => (Cow::Borrowed(""), row, false),
    }
}

/// A category label with a score on it (`产出指标（50分）`): the label and
/// `(score field, score)`.
fn split_score<'g>(
    re: &Regex,
    text: Cow<'g, str>,
    score_field: usize,
) -> (Cow<'g, str>, Option<(usize, String)>) {
    let Some(caps) = re.captures(&text) else {
        return (text, None);
    };
    let (Some(name), Some(score)) = (caps.name("name"), caps.name("score")) else {
        return (text, None);
    };
    let name = name.as_str().trim().to_string();
    let score = score.as_str().to_string();
    (Cow::Owned(name), Some((score_field, score)))
}

/// How one grouping level reads its fields.
struct LevelPlan {
    /// The level's key field.
    key: usize,
    /// The field that decides where a group starts: the key, or (when no row
    /// has one) another field of the level.
    by: usize,
    /// `by` is the key field.
    by_key: bool,
    /// Name fields other than the key: inherited by a group that has none
    /// (a merged 部门职责 spanning several duties).
    names: Vec<usize>,
    /// Other text fields: halves in separate cells are joined (a page break).
    others: Vec<usize>,
    /// Score fields: the first one given.
    scores: Vec<usize>,
}

/// Where a level's current group stands.
#[derive(Default)]
struct LevelState {
    key: String,
    key_src: Option<u32>,
    other_src: Vec<Option<u32>>,
    name_inherited: Vec<bool>,
    /// Index of the first innermost group of the level's current group.
    first: usize,
}

/// Groups the data rows by the shape's levels. Merged, value-on-first-row and
/// repeated-on-every-row layouts give the same groups; each level's key field
/// decides where its groups start, and inner levels restart under a new outer
/// group.
fn assign_groups(shape: &Shape, rows: Vec<DataRow>, gcells: &[GroupCell<'_>]) -> Vec<Group> {
    let ng = shape.group.len();
    let n = rows.len();
    let cell = |r: usize, f: usize| &gcells[r * ng + f];
    let any = |f: usize| (0..n).any(|r| !cell(r, f).text.is_empty());
    let plans: Vec<LevelPlan> = shape
        .levels
        .iter()
        .enumerate()
        .map(|(l, lv)| {
            let fields: Vec<usize> = shape.level_fields(l).filter(|&f| f != lv.key).collect();
            let role = |f: usize| shape.group[f].role;
            let names: Vec<usize> = fields
                .iter()
                .copied()
                .filter(|&f| role(f) == Some(Role::GroupName))
                .collect();
            let scores: Vec<usize> = fields
                .iter()
                .copied()
                .filter(|&f| role(f) == Some(Role::GroupScore))
                .collect();
            let others: Vec<usize> = fields
                .iter()
                .copied()
                .filter(|f| !names.contains(f) && !scores.contains(f))
                .collect();
            let by_key = any(lv.key);
            let by = if by_key {
                lv.key
            } else {
                others
                    .iter()
                    .copied()
                    .find(|&f| any(f))
                    .or_else(|| names.first().copied())
                    .unwrap_or(lv.key)
            };
            LevelPlan {
                key: lv.key,
                by,
                by_key,
                others,
                scores,
                names,
            }
        })
        .collect();
    let mut states: Vec<LevelState> = plans
        .iter()
        .map(|p| LevelState {
            other_src: vec![None; p.others.len()],
            name_inherited: vec![false; p.names.len()],
            ..LevelState::default()
        })
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    for (ri, r) in rows.into_iter().enumerate() {
        let c = |f: usize| cell(ri, f);
        // The outermost level whose group starts on this row.
        let mut new_at = if groups.is_empty() { Some(0) } else { None };
        if new_at.is_none() {
            let last = groups.last().expect("not empty");
            for (l, (p, st)) in plans.iter().zip(&states).enumerate() {
                let key = &c(p.by).text;
                // The same key again in a new cell starts a new group (a
                // duplicated number) unless a repeated header came between (a
                // printout's next page) or it is the value repeated on every row.
                let same_key_new_cell = p.by_key
                    && !r.after_header
                    && !key.is_empty()
                    && st.key_src.is_some_and(|s| s != c(p.key).src)
                    && (c(p.key).merged
                        || p.others.iter().enumerate().any(|(k, &f)| {
                            let x = c(f);
                            !x.text.is_empty()
                                && st.other_src[k] != Some(x.src)
                                && last.text(f) != x.text
                        }));
                if !key.is_empty() && (**key != *st.key || same_key_new_cell) {
                    new_at = Some(l);
                    break;
                }
                // No number, but a name or objective of its own that differs
                // from the group above: its own group (validate reports the
                // empty number), never glued to the one above.
                let own = |f: usize| {
                    let x = c(f);
                    !x.text.is_empty() && x.src + 1 == r.row && last.text(f) != x.text
                };
                let own_new = p.names.iter().any(|&f| own(f))
                    || p.others
                        .iter()
                        .enumerate()
                        .any(|(k, &f)| own(f) && st.other_src[k] != Some(c(f).src));
                if p.by_key && key.is_empty() && own_new {
                    new_at = Some(l);
                    break;
                }
            }
        }
        let outer = new_at.unwrap_or(plans.len());
        // Levels that go on: later rows fill in what earlier rows left empty.
        for l in 0..outer {
            let (p, st) = (&plans[l], &mut states[l]);
            let from = st.first;
            for (k, &f) in p.names.iter().enumerate() {
                let x = &c(f).text;
                let cur = groups.last().map_or("", |g| g.text(f));
                if (cur.is_empty() || st.name_inherited[k]) && !x.is_empty() {
                    for g in &mut groups[from..] {
                        g.values[f] = x.to_string();
                    }
                    st.name_inherited[k] = false;
                }
            }
            for (k, &f) in p.others.iter().enumerate() {
                let x = c(f);
                if x.text.is_empty() || st.other_src[k] == Some(x.src) {
                    continue;
                }
                for g in &mut groups[from..] {
                    let v = &mut g.values[f];
                    if v.is_empty() {
                        *v = x.text.to_string();
                    } else if *v != x.text && !v.ends_with(&*x.text) {
                        v.push_str(&x.text);
                    }
                }
                st.other_src[k] = Some(x.src);
            }
            for &f in &p.scores {
                let x = &c(f).text;
                if !x.is_empty() && groups.last().is_some_and(|g| g.text(f).is_empty()) {
                    for g in &mut groups[from..] {
                        g.values[f] = x.to_string();
                    }
                }
            }
        }
        if let Some(l0) = new_at {
            let mut values = match groups.last() {
                Some(g) => g.values.clone(),
                None => vec![String::new(); ng],
            };
            for l in l0..plans.len() {
                let (p, st) = (&plans[l], &mut states[l]);
                values[p.key] = c(p.key).text.to_string();
                for (k, &f) in p.names.iter().enumerate() {
                    let x = &c(f).text;
                    // A name merged over several groups, or given once for them: inherited.
                    st.name_inherited[k] = x.is_empty() && !values[f].is_empty();
                    if !x.is_empty() {
                        values[f] = x.to_string();
                    }
                }
                for (k, &f) in p.others.iter().enumerate() {
                    let x = c(f);
                    values[f] = x.text.to_string();
                    st.other_src[k] = (!x.text.is_empty()).then_some(x.src);
                }
                for &f in &p.scores {
                    values[f] = c(f).text.to_string();
                }
                let key = &c(p.by).text;
                if !key.is_empty() || l > l0 || p.by_key {
                    st.key = key.to_string();
                }
                st.first = groups.len();
            }
            groups.push(Group {
                values,
                rows: [r.row, r.row],
                indicators: Vec::new(),
            });
        }
        for (p, st) in plans.iter().zip(states.iter_mut()) {
            if p.by_key && !c(p.key).text.is_empty() {
                st.key_src = Some(c(p.key).src);
            }
        }
        let Some(g) = groups.last_mut() else { continue };
        g.rows[1] = r.row;
        if let Some(ind) = r.indicator {
            g.indicators.push(ind);
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ExtraKind;
    use grid::Merge;

    /// A generated table's sheet with every kind of row the walk over the rows
    /// decides on: continuation rows (no name, no value), repeated header
    /// rows, rows with cells only beside the table, a footnote with more rows
    /// under it. The rows read in parts of any size on every core make the
    /// same table as the rows read in one part: a part's edge leaks nothing.
    #[test]
    fn rows_read_in_parts_are_the_rows_read_in_one() {
        let tpl = Template::default_template();
        let table = crate::synth::table(7, 240, "测试单位", 2025);
        let bytes = crate::write::official_workbook(&[(&table, &tpl)]).unwrap();
        let loaded = load::load(&bytes, None).unwrap();
        let g0 = loaded.grids[0].as_ref().unwrap();
        let ctx = vec![TemplateCtx::new(&tpl)];
        let h = find_blocks(g0, &ctx).unwrap().remove(0).header;
        let shape = tpl.shape();
        let bare: Vec<u32> = h
            .cols
            .iter()
            .filter(|x| match x.field {
                FieldRef::Indicator(i) => {
                    shape.indicator_role(Role::Name) == Some(i)
                        || shape.value_fields().any(|f| f == i)
                }
                _ => false,
            })
            .map(|x| x.col)
            .collect();
        let header_row: Vec<GCell> = g0.rows_between(h.last_row, h.last_row).to_vec();
        let first = h.last_row + 1;
        let last = g0.cells.last().unwrap().row;
        let footnote_at = first + (last - first) * 4 / 5;
        let mut cells = Vec::new();
        for x in &g0.cells {
            let k = x.row.saturating_sub(first);
            let keep = if x.row < first {
                true
            } else if k % 11 == 5 || k % 13 == 6 {
                false
            } else if k % 7 == 3 {
                !bare.contains(&x.col)
            } else {
                x.row != footnote_at
            };
            if keep {
                cells.push(x.clone());
            }
        }
        for r in first..=last {
            let k = r - first;
            if k % 11 == 5 {
                cells.extend(header_row.iter().map(|x| GCell {
                    row: r,
                    ..x.clone()
                }));
            } else if k % 13 == 6 {
                cells.push(GCell {
                    row: r,
                    col: h.last_col + 2,
                    text: "旁注".into(),
                });
            }
        }
        cells.push(GCell {
            row: footnote_at,
            col: h.first_col,
            text: format!("{}以上为测试。", tpl.footnote_prefixes[0]).into(),
        });
        // A merge a repeated header cuts (a printout's page break) goes on
        // under it as a new merge with the same text: the same group.
        let mut merges = Vec::new();
        for m in &g0.merges {
            let cut = (m.r0.max(first)..=m.r1).find(|r| (r - first) % 11 == 5);
            let Some(rh) = cut else {
                merges.push(*m);
                continue;
            };
            if m.r0 < rh {
                merges.push(Merge { r1: rh - 1, ..*m });
            }
            if rh < m.r1 {
                merges.push(Merge { r0: rh + 1, ..*m });
                if let Some(text) = g0.get(m.r0, m.c0) {
                    cells.push(GCell {
                        row: rh + 1,
                        col: m.c0,
                        text: text.into(),
                    });
                }
            }
        }
        let grid = Grid::new(cells, merges);
        let blocks = find_blocks(&grid, &ctx).unwrap();
        assert_eq!(blocks.len(), 1);
        let b = &blocks[0];
        let one_part = RowSplit {
            parallel_from: 4096,
            part: usize::MAX,
        };
        let mut seen_one = Vec::new();
        let one = build_table_with(&grid, b, "表", &ctx[0], Some(&mut seen_one), one_part);
        let kinds = |k: ExtraKind| one.extras.iter().filter(|e| e.kind == k).count();
        assert!(kinds(ExtraKind::Footnote) > 5, "{:?}", one.extras);
        assert!(kinds(ExtraKind::Stray) > 10, "{:?}", one.extras);
        let n = one.indicator_count();
        assert!(n > 100 && n < 240, "{n} indicators");
        for part in [1, 2, 3, 5, 8, 64] {
            let split = RowSplit {
                parallel_from: 0,
                part,
            };
            let mut seen = Vec::new();
            let parts = build_table_with(&grid, b, "表", &ctx[0], Some(&mut seen), split);
            assert_eq!(parts, one, "parts of {part} rows");
            assert_eq!(seen, seen_one, "parts of {part} rows");
        }
    }
}
