//! The official table sheet: title, unit line, form block and grid laid out from the template, row heights that show every wrapped text, print setup; marks as fills and notes.
//!
//! Everything comes from the template: the form rows (labels, values, fixed
//! texts with the table's own money unit), the side label, the header tree
//! (optional columns only when the table uses them), which group fields are
//! merged over which rows (a field of a level over that level's run of
//! groups), widths, alignment and page orientation.

use super::runs::FormatRuns;
use super::styles::{Styles, DATA_SIZE, HEADER_SIZE, TITLE_SIZE};
use super::{xe, Mark, MarkColor, WriteError};
use crate::model::{a1, col_index, Extra, ExtraKind, FieldRef, Place, Role, Seq, Table};
use crate::template::{Align, Column, Leaf, Template};
use crate::text::{no_line_start, text_key, text_key_starts_with};
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Note, Worksheet};
use std::collections::{BTreeMap, HashMap};

/// Excel's longest cell text.
const MAX_CELL_CHARS: usize = 32_767;
/// Excel's tallest row (points).
pub const MAX_ROW_HEIGHT: f64 = 409.0;
/// Shortest data row (points).
const MIN_DATA_ROW: f64 = 20.0;
/// Shortest header row (points).
const MIN_HEADER_ROW: f64 = 20.0;
/// A goal's row in the blank template (points): room for a few lines.
const BLANK_GOAL_ROW: f64 = 60.0;
/// The title row (points).
const TITLE_ROW: f64 = 30.0;

// ---------------------------------------------------------------------------
// Text measurement

/// Width of one character in column-width units at 10pt: CJK and full-width
/// characters count 2, ASCII about 1 (capitals and a few wide signs a bit more).
pub fn char_units(c: char) -> f64 {
    if c.is_ascii() {
        match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' | ' ' => 0.7,
            'A'..='Z' | 'm' | 'w' | '%' | '@' | '#' | '&' => 1.3,
            _ => 1.0,
        }
    } else {
        2.0
    }
}

/// How many lines a wrapped text takes in a cell `width` characters wide (Excel
/// column-width units) at `font_size` points. Explicit line breaks are kept;
/// CJK text breaks anywhere, Latin text at spaces, and no line starts with
/// closing punctuation (it goes down with the character before it).
pub fn wrapped_lines(text: &str, width: f64, font_size: f64) -> u32 {
    let scale = font_size / 10.0;
    let cap = wrap_cap(width);
    // No character is wider than 1.3 units a byte (`W` is 1.3 for one byte, a
    // CJK character 2 for three): a short text without a break is one line.
    if text.len() as f64 * 1.3 * scale <= cap && !text.contains('\n') {
        return 1;
    }
    let mut lines = 0u32;
    for para in text.split('\n') {
        let mut breaks = 0;
        wrap(para.trim_end_matches('\r'), cap, scale, true, |_| {
            breaks += 1
        });
        lines += breaks + 1;
    }
    lines.max(1)
}

/// Cell padding, and a margin for glyphs wider than estimated.
fn wrap_cap(width: f64) -> f64 {
    ((width - 0.3) * 0.98).max(1.0)
}

/// Where (char indexes) the wrapped lines of `para` after the first start.
fn para_starts(para: &str, cap: f64, scale: f64, kinsoku: bool) -> Vec<usize> {
    let mut starts = Vec::new();
    wrap(para, cap, scale, kinsoku, |at| starts.push(at));
    starts
}

/// Wraps `para` in a cell `cap` units wide, calling `line_start` with the
/// char index where each line after the first starts. Tokens are one CJK
/// character, a run of non-space ASCII, or one space; they stream through
/// (every cell of every written sheet is measured, none builds a list). With
/// `kinsoku`, closing punctuation rides with the token before it, as the
/// Chinese rule wants; without, it wraps alone as a plain spreadsheet does.
fn wrap(para: &str, cap: f64, scale: f64, kinsoku: bool, mut line_start: impl FnMut(usize)) {
    let mut used = 0.0;
    let mut place = |(at, w, space): (usize, f64, bool)| {
        if used + w <= cap {
            used += w;
        } else if space {
            line_start(at + 1);
            used = 0.0;
        } else if w > cap {
            // A word longer than the cell breaks anywhere.
            let total = used + w;
            for _ in 1..(total / cap).ceil() as u32 {
                line_start(at);
            }
            used = total - cap * ((total / cap).ceil() - 1.0);
        } else {
            if used > 0.0 {
                line_start(at);
            }
            used = w;
        }
    };
    // The last token (first char index, width, is_space), held until it is
    // known whether closing punctuation joins it.
    let mut last: Option<(usize, f64, bool)> = None;
    let mut run: Option<(usize, f64)> = None;
    for (i, c) in para.chars().enumerate() {
        let w = char_units(c) * scale;
        if c.is_ascii() && c != ' ' {
            run.get_or_insert((i, 0.0)).1 += w;
            continue;
        }
        if let Some((at, rw)) = run.take() {
            last.replace((at, rw, false)).map(&mut place);
        }
        match &mut last {
            Some((_, lw, false)) if kinsoku && no_line_start(c) => *lw += w,
            _ => {
                last.replace((i, w, c == ' ')).map(&mut place);
            }
        }
    }
    if let Some((at, rw)) = run {
        last.replace((at, rw, false)).map(&mut place);
    }
    last.map(&mut place);
}

/// `text` with an explicit line break where a plain wrap would leave only
/// closing punctuation (`）`, `。`) on a line: the character before it goes down
/// too, so the wrap follows the Chinese rule in any spreadsheet program.
pub fn keep_punctuation_attached(text: &str, width: f64, font_size: f64) -> String {
    let scale = font_size / 10.0;
    let cap = wrap_cap(width);
    let mut out = String::with_capacity(text.len() + 4);
    for (n, para) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let chars: Vec<char> = para.chars().collect();
        let starts = para_starts(para, cap, scale, false);
        let mut cut = None;
        for (k, &s) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(chars.len());
            let line = &chars[s.min(end)..end];
            if s >= 2 && !line.is_empty() && line.iter().all(|&c| no_line_start(c) || c == ' ') {
                cut = Some(s - 1);
                break;
            }
        }
        match cut {
            Some(i) if !no_line_start(chars[i]) => {
                out.extend(&chars[..i]);
                out.push('\n');
                out.extend(&chars[i..]);
            }
            _ => out.push_str(para),
        }
    }
    out
}

/// Points one line of text takes at a font size (generous enough for the CJK
/// fallback fonts of WPS and LibreOffice).
pub fn line_height(font_size: f64) -> f64 {
    font_size * 1.45
}

/// The row height (points) that shows `text` wrapped in a cell `width` wide.
pub fn text_height(text: &str, width: f64, font_size: f64) -> f64 {
    wrapped_lines(text, width, font_size) as f64 * line_height(font_size) + 5.0
}

// ---------------------------------------------------------------------------
// Row heights

/// Collects what each row (and each vertically merged range) needs, then sets
/// heights: single rows first, then merged ranges, whose shortfall is spread
/// evenly over their rows (Excel does not autofit merged cells).
#[derive(Debug, Clone, Default)]
pub struct RowHeights {
    rows: BTreeMap<u32, f64>,
    spans: Vec<(u32, u32, f64)>,
}

impl RowHeights {
    pub fn new() -> RowHeights {
        RowHeights::default()
    }

    /// `row` needs at least `height` points.
    pub fn need(&mut self, row: u32, height: f64) {
        let h = self.rows.entry(row).or_insert(0.0);
        *h = h.max(height);
    }

    /// Rows `first..=last` together need at least `height` points.
    pub fn need_span(&mut self, first: u32, last: u32, height: f64) {
        if first == last {
            self.need(first, height);
        } else {
            for r in first..=last {
                self.need(r, 0.0);
            }
            self.spans.push((first, last, height));
        }
    }

    /// The resolved height of every row mentioned.
    pub fn resolve(&self) -> BTreeMap<u32, f64> {
        let mut h: BTreeMap<u32, f64> = self
            .rows
            .iter()
            .map(|(r, v)| (*r, v.min(MAX_ROW_HEIGHT)))
            .collect();
        let mut spans = self.spans.clone();
        spans.sort_by_key(|(a, b, _)| b - a);
        for (first, last, need) in spans {
            for _ in 0..4 {
                let sum: f64 = (first..=last).map(|r| h[&r]).sum();
                if need <= sum + 0.01 {
                    break;
                }
                let growable: Vec<u32> = (first..=last).filter(|r| h[r] < MAX_ROW_HEIGHT).collect();
                if growable.is_empty() {
                    break;
                }
                let extra = (need - sum) / growable.len() as f64;
                for r in growable {
                    let v = h.get_mut(&r).expect("row present");
                    *v = (*v + extra).min(MAX_ROW_HEIGHT);
                }
            }
        }
        h
    }

    /// Sets the resolved heights on a worksheet (rounded up to a quarter point).
    pub fn apply(&self, ws: &mut Worksheet) -> Result<(), WriteError> {
        for (row, h) in self.resolve() {
            if h > 0.0 {
                ws.set_row_height(row, (h * 4.0).ceil() / 4.0).map_err(xe)?;
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Layout

/// Where the table landed on the sheet. Rows and columns are 0-based, as
/// rust_xlsxwriter counts them; [`TableLayout::a1`] gives Excel's address.
#[derive(Debug, Clone, Default)]
pub struct TableLayout {
    /// The title row (0).
    pub title_row: u32,
    /// First and last row of the form block, if the template has one.
    pub form_rows: Option<(u32, u32)>,
    /// First and last header row (2 and 4 for dept-overall).
    pub header_rows: (u32, u32),
    /// The first data row (5: Excel row 6).
    pub first_data_row: u32,
    /// The last row used by the table (data or spare rows); `header_rows.1` when empty.
    pub last_row: u32,
    /// The last column of the table (12: M).
    pub last_col: u16,
    /// First and last row of each group, indexed like `Table::groups`.
    pub group_rows: Vec<(u32, u32)>,
    /// The column of each grid field laid out (optional fields the table does not use are absent).
    pub columns: Vec<(FieldRef, u16)>,
    /// Indexes into the `marks` given whose place is not in the table.
    pub unplaced_marks: Vec<usize>,
    /// The cells of the form and group places (an indicator's cell is its
    /// row and its field's column: a table has far more of them).
    cells: HashMap<Place, (u32, u16)>,
    /// How many indicators each group has (a group without any still takes a row).
    group_sizes: Vec<usize>,
}

impl TableLayout {
    /// The (row, col) of a place: a form field's value cell, a group field's
    /// (merged) cell, an indicator's cell.
    pub fn cell(&self, place: &Place) -> Option<(u32, u16)> {
        match *place {
            Place::Indicator {
                group,
                indicator,
                field,
            } => {
                if indicator >= *self.group_sizes.get(group)? {
                    return None;
                }
                let row = self.indicator_row(group, indicator)?;
                Some((row, self.col(FieldRef::Indicator(field))?))
            }
            _ => self.cells.get(place).copied(),
        }
    }

    /// The Excel address (`F12`) of a place.
    pub fn a1(&self, place: &Place) -> Option<String> {
        self.cell(place).map(|(r, c)| a1(c as u32, r + 1))
    }

    /// The column of a grid field.
    pub fn col(&self, field: FieldRef) -> Option<u16> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| *c)
    }

    /// The row of an indicator.
    pub fn indicator_row(&self, group: usize, indicator: usize) -> Option<u32> {
        let (first, last) = *self.group_rows.get(group)?;
        let r = first + indicator as u32;
        (r <= last).then_some(r)
    }
}

/// What else to put on the table sheet.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// Empty bordered rows after the data (rows to type in).
    pub spare_rows: u32,
    /// Input messages on the header and form labels and drop-down suggestions
    /// on the suggestion columns (the blank template).
    pub input_help: bool,
    /// The template's unit line (`unit_line_format`) under the title when the
    /// table has no unit line of its own (the blank template). Otherwise a
    /// table without one gets none: a restyle adds no content.
    pub template_unit_line: bool,
}

/// Writes the official table with default options (see `write_table_sheet_with`).
pub fn write_table_sheet(
    ws: &mut Worksheet,
    table: &Table,
    template: &Template,
    marks: &[Mark],
    styles: &Styles,
) -> Result<TableLayout, WriteError> {
    write_table_sheet_with(ws, table, template, marks, styles, &TableOptions::default())
}

/// One grid column of the official layout: a template leaf and where it goes.
#[derive(Clone)]
pub struct GridColumn<'a> {
    /// The template's leaf.
    pub leaf: Leaf<'a>,
    /// 0-based column on the sheet.
    pub col: u16,
}

/// The grid columns of `table` in the official layout: every leaf of the
/// template, except an optional one the table does not use (its input had no
/// such column and no indicator has a value there); after the side label's
/// column when the template has one.
pub fn grid_columns<'a>(table: &Table, template: &'a Template) -> Vec<GridColumn<'a>> {
    let first = u16::from(template.side_label.is_some());
    let mut out = Vec::new();
    for leaf in template.leaves() {
        if leaf.column.optional && !uses_field(table, leaf.key, leaf.field) {
            continue;
        }
        let col = first + out.len() as u16;
        out.push(GridColumn { leaf, col });
    }
    out
}

/// Whether a table uses a grid field: its input had the column, or some value is there.
fn uses_field(table: &Table, key: &str, field: FieldRef) -> bool {
    if table.source.columns.contains_key(key) {
        return true;
    }
    match field {
        FieldRef::Indicator(i) => table
            .indicators()
            .any(|(_, ind)| !ind.text(i).trim().is_empty()),
        FieldRef::Group(i) => table.groups.iter().any(|g| !g.text(i).trim().is_empty()),
        FieldRef::Form(i) => !table.form.text(i).trim().is_empty(),
    }
}

/// One header cell placed: rows and columns (0-based) and its column spec.
struct HeaderCell<'a> {
    column: &'a Column,
    field: Option<FieldRef>,
    first_row: u32,
    last_row: u32,
    first_col: u16,
    last_col: u16,
}

fn leaf_count(c: &Column, used: &HashMap<&str, FieldRef>) -> u16 {
    if c.children.is_empty() {
        u16::from(c.field.as_deref().is_some_and(|k| used.contains_key(k)))
    } else {
        c.children.iter().map(|c| leaf_count(c, used)).sum()
    }
}

#[allow(clippy::too_many_arguments)]
fn place_header<'a>(
    cols: &'a [Column],
    used: &HashMap<&str, FieldRef>,
    level: u32,
    first_col: u16,
    top: u32,
    depth: u32,
    out: &mut Vec<HeaderCell<'a>>,
) {
    let mut col = first_col;
    for c in cols {
        let span = leaf_count(c, used);
        if span == 0 {
            continue;
        }
        let leaf = c.children.is_empty();
        out.push(HeaderCell {
            column: c,
            field: if leaf {
                c.field.as_deref().and_then(|k| used.get(k).copied())
            } else {
                None
            },
            first_row: top + level,
            last_row: if leaf { top + depth - 1 } else { top + level },
            first_col: col,
            last_col: col + span - 1,
        });
        if !leaf {
            place_header(&c.children, used, level + 1, col, top, depth, out);
        }
        col += span;
    }
}

/// Text as written to a cell: `\r\n` → `\n`, cut at Excel's limit.
pub(super) fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
    // The common case: no carriage return, and too few bytes to be too long.
    if !s.as_bytes().contains(&b'\r') && s.len() <= MAX_CELL_CHARS {
        return std::borrow::Cow::Borrowed(s);
    }
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    std::borrow::Cow::Owned(if s.chars().count() > MAX_CELL_CHARS {
        let mut t: String = s.chars().take(MAX_CELL_CHARS - 1).collect();
        t.push('…');
        t
    } else {
        s
    })
}

/// Writes one cell or a merged range, text always as text, empty as a
/// bordered blank; a single cell's format is left to its column's run in `out`.
#[allow(clippy::too_many_arguments)]
fn put<'f>(
    out: &mut FormatRuns<'f>,
    ws: &mut Worksheet,
    r0: u32,
    c0: u16,
    r1: u32,
    c1: u16,
    text: &str,
    number: Option<f64>,
    format: &'f Format,
) -> Result<(), WriteError> {
    let text = cell_text(text);
    if r0 == r1 && c0 == c1 {
        return match number {
            Some(n) => out.number(ws, r0, c0, n, format),
            None => out.string(ws, r0, c0, &text, format),
        };
    }
    ws.merge_range(r0, c0, r1, c1, "", format).map_err(xe)?;
    if let Some(n) = number {
        ws.write_number_with_format(r0, c0, n, format).map_err(xe)?;
    } else if !text.is_empty() {
        ws.write_string_with_format(r0, c0, &*text, format)
            .map_err(xe)?;
    }
    Ok(())
}

fn note_for(text: &str) -> Note {
    let lines = wrapped_lines(text, 40.0, 9.0).min(40);
    Note::new(cell_text(text))
        .set_author("jixiao")
        .add_author_prefix(false)
        .set_width(300)
        .set_height(20 + lines * 16)
}

/// The combined colour and note of the marks on one cell.
fn merge_marks(marks: &[&Mark]) -> (Option<MarkColor>, String) {
    let color = marks.iter().map(|m| m.color).min_by_key(|c| c.priority());
    let mut notes: Vec<&str> = Vec::new();
    for m in marks {
        let n = m.note.trim();
        if !n.is_empty() && !notes.contains(&n) {
            notes.push(n);
        }
    }
    (color, notes.join("\n"))
}

/// An input message (title and text cut to Excel's limits) on a range.
fn input_message(
    ws: &mut Worksheet,
    (r0, c0, r1, c1): (u32, u16, u32, u16),
    title: &str,
    message: &str,
) -> Result<(), WriteError> {
    if message.trim().is_empty() {
        return Ok(());
    }
    let title: String = title.chars().take(30).collect();
    let message: String = message.chars().take(250).collect();
    let dv = DataValidation::new()
        .allow_any_value()
        .set_input_title(title)
        .map_err(xe)?
        .set_input_message(message)
        .map_err(xe)?;
    ws.add_data_validation(r0, c0, r1, c1, &dv).map_err(xe)?;
    Ok(())
}

/// The texts of the form fields by key, for `{key}` in fixed texts: the
/// table's value, or the template's default when the table has none.
fn form_vars(table: &Table, template: &Template) -> Vec<(String, String)> {
    template
        .form
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let v = table.form.text(i).trim();
            let v = if v.is_empty() {
                f.default.clone().unwrap_or_default()
            } else {
                v.to_string()
            };
            (format!("{{{}}}", f.field), v)
        })
        .collect()
}

fn fill_vars(text: &str, vars: &[(String, String)]) -> String {
    let mut s = text.to_string();
    for (k, v) in vars {
        if s.contains(k.as_str()) {
            s = s.replace(k.as_str(), v);
        }
    }
    s
}

/// What one placed cell of the form block shows.
enum FormItem {
    /// The label of form field `i`.
    Label(usize),
    /// The value of form field `i`.
    Value(usize),
    /// A fixed text (placeholders filled), naming the form fields it shows.
    Text(String, Vec<usize>),
}

/// One cell of the form block on the sheet (0-based, inclusive).
struct FormPlaced {
    r0: u32,
    c0: u16,
    r1: u32,
    c1: u16,
    item: FormItem,
}

/// Lays out the template's form rows from sheet row `top`, over columns up to `last_col`.
/// Returns the cells and the number of rows.
fn plan_form(
    table: &Table,
    template: &Template,
    top: u32,
    last_col: u16,
) -> (Vec<FormPlaced>, u32) {
    let index = |key: &str| template.form.iter().position(|f| f.field == key);
    let vars = form_vars(table, template);
    let rows: Vec<_> = template
        .form_rows
        .iter()
        .filter(|row| {
            !row.optional
                || row.cells.iter().any(|c| {
                    c.value.as_deref().is_some_and(|k| {
                        table.source.form_cells.contains_key(k)
                            || index(k).is_some_and(|i| !table.form.text(i).trim().is_empty())
                    })
                })
        })
        .collect();
    let n = rows.len() as u32;
    let mut taken: std::collections::HashSet<(u32, u16)> = Default::default();
    let mut out = Vec::new();
    for (k, row) in rows.iter().enumerate() {
        let r = top + k as u32;
        let mut col: u16 = 0;
        for cell in &row.cells {
            while taken.contains(&(r, col)) {
                col += 1;
            }
            if col > last_col {
                break;
            }
            let c1 = if cell.span == 0 {
                last_col
            } else {
                (col + cell.span - 1).min(last_col)
            };
            let r1 = (r + u32::from(cell.rows.max(1)) - 1).min(top + n - 1);
            for rr in r + 1..=r1 {
                for cc in col..=c1 {
                    taken.insert((rr, cc));
                }
            }
            let item = if let Some(k) = cell.label.as_deref().and_then(index) {
                FormItem::Label(k)
            } else if let Some(k) = cell.value.as_deref().and_then(index) {
                FormItem::Value(k)
            } else {
                let text = cell.text.clone().unwrap_or_default();
                let shown = template
                    .form
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| text.contains(&format!("{{{}}}", f.field)))
                    .map(|(i, _)| i)
                    .collect();
                FormItem::Text(fill_vars(&text, &vars), shown)
            };
            out.push(FormPlaced {
                r0: r,
                c0: col,
                r1,
                c1,
                item,
            });
            col = c1 + 1;
        }
    }
    (out, n)
}

/// The runs of consecutive groups sharing a group at each level, outermost
/// level first: the innermost level's runs are the groups themselves; an
/// outer level's run is consecutive groups inside one run of the level above
/// whose key field has the same, non-empty text.
fn level_runs(table: &Table) -> Vec<Vec<(usize, usize)>> {
    let shape = &table.shape;
    let n = table.groups.len();
    let depth = shape.levels.len().max(1);
    let mut out: Vec<Vec<(usize, usize)>> = Vec::with_capacity(depth);
    for l in 0..depth {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        if l + 1 == depth || shape.levels.get(l).is_none() {
            runs = (0..n).map(|i| (i, i)).collect();
        } else {
            let key = shape.levels[l].key;
            let outer = l.checked_sub(1).map(|p| &out[p]);
            let same_outer =
                |a: usize, b: usize| outer.is_none_or(|o| o.iter().any(|&(s, e)| s <= a && b <= e));
            for i in 0..n {
                let text = table.groups[i].text(key).trim();
                match runs.last_mut() {
                    Some((s, e))
                        if !text.is_empty()
                            && table.groups[*e].text(key).trim() == text
                            && same_outer(*s, i) =>
                    {
                        *e = i
                    }
                    _ => runs.push((i, i)),
                }
            }
        }
        out.push(runs);
    }
    out
}

/// The runs of groups one group field's cell is merged over: its level's runs;
/// for a name that is not its level's key (部门职责 beside 职责序号), consecutive
/// runs of that level with the same non-empty name, inside one run of the level above.
fn field_runs(table: &Table, runs: &[Vec<(usize, usize)>], field: usize) -> Vec<(usize, usize)> {
    let shape = &table.shape;
    let spec = &shape.group[field];
    let l = spec.level.min(runs.len().saturating_sub(1));
    let base = runs.get(l).cloned().unwrap_or_default();
    let is_key = shape.levels.get(l).is_some_and(|lv| lv.key == field);
    if is_key || spec.role != Some(Role::GroupName) {
        return base;
    }
    let outer = l.checked_sub(1).map(|p| &runs[p]);
    let same_outer =
        |a: usize, b: usize| outer.is_none_or(|o| o.iter().any(|&(s, e)| s <= a && b <= e));
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (s, e) in base {
        let text = table.groups[s].text(field).trim();
        match out.last_mut() {
            Some((s0, e0))
                if !text.is_empty()
                    && table.groups[*s0].text(field).trim() == text
                    && same_outer(*s0, e) =>
            {
                *e0 = e
            }
            _ => out.push((s, e)),
        }
    }
    out
}

/// A group field's text as shown: a score rides on the label (`产出指标（50分）`).
fn group_label(text: &str, score: &str) -> String {
    let score = score.trim();
    if score.is_empty() {
        text.to_string()
    } else {
        format!("{text}（{score}分）")
    }
}

/// A short label with a bracketed tail (`项目资金（万元）`, `产出指标（50分）`)
/// that does not fit its cell on one line: broken before the bracket, so the
/// bracket is not split off alone (`项目资金` / `（万元）`, not `项目资金（万元` / `）`).
pub(super) fn break_at_bracket(text: &str, width: f64, font_size: f64) -> String {
    if text.contains('\n') || wrapped_lines(text, width, font_size) <= 1 {
        return text.to_string();
    }
    match text.find(['（', '(']) {
        Some(i) if i > 0 => {
            let tail = keep_punctuation_attached(&text[i..], width, font_size);
            format!("{}\n{}", text[..i].trim_end(), tail)
        }
        _ => keep_punctuation_attached(text, width, font_size),
    }
}

/// Writes the official table of `table` on `ws` as `template` lays it out, with
/// `marks` as fills and notes, and returns where everything went.
pub fn write_table_sheet_with(
    ws: &mut Worksheet,
    table: &Table,
    template: &Template,
    marks: &[Mark],
    styles: &Styles,
    options: &TableOptions,
) -> Result<TableLayout, WriteError> {
    let shape = table.shape.clone();
    let grid = grid_columns(table, template);
    if grid.is_empty() {
        return Err(WriteError::NoColumns);
    }
    let side = template.side_label.as_ref();
    let ncols = grid.len() as u16 + u16::from(side.is_some());
    let last_col = ncols - 1;
    let mut widths: Vec<f64> = Vec::with_capacity(ncols as usize);
    if let Some(s) = side {
        widths.push(s.width);
    }
    widths.extend(grid.iter().map(|g| g.leaf.column.width));
    let span_width =
        |c0: u16, c1: u16| -> f64 { (c0..=c1).map(|c| widths[c as usize]).sum::<f64>() };
    let mut heights = RowHeights::new();

    // Marks by place.
    let mut by_place: HashMap<Place, Vec<(usize, &Mark)>> = HashMap::new();
    for (i, m) in marks.iter().enumerate() {
        by_place.entry(m.place).or_default().push((i, m));
    }
    let mut placed = vec![false; marks.len()];
    let take = |places: &[Place], placed: &mut Vec<bool>| -> (Option<MarkColor>, String) {
        let mut here: Vec<&Mark> = Vec::new();
        for p in places {
            if let Some(ms) = by_place.get(p) {
                for (i, m) in ms {
                    placed[*i] = true;
                    here.push(m);
                }
            }
        }
        merge_marks(&here)
    };

    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xe)?;
    }

    // Title.
    let title = if table.title.trim().is_empty() {
        template.title_of(table.year, table.department.as_deref())
    } else {
        table.title.clone()
    };
    let mut out = FormatRuns::new();
    put(&mut out, ws, 0, 0, 0, last_col, &title, None, &styles.title)?;
    heights.need(
        0,
        TITLE_ROW.max(text_height(&title, span_width(0, last_col), TITLE_SIZE)),
    );

    // The unit line on the row under the title: as the input wrote it; a
    // table without one gets the template's (`金额单位：万元`) only when asked
    // (the blank template). Right-aligned over the table when the template
    // has a unit line of its own.
    let unit_extra = table.extras.iter().find(|e| e.kind == ExtraKind::UnitLine);
    match &template.unit_line_format {
        None => {
            if let Some(u) = unit_extra {
                ws.write_string_with_format(1, 0, cell_text(&u.text), &styles.unit_line)
                    .map_err(xe)?;
            }
        }
        Some(format) => {
            let text = match unit_extra {
                Some(u) => Some(u.text.clone()),
                None if options.template_unit_line => {
                    Some(fill_vars(format, &form_vars(table, template)))
                }
                None => None,
            };
            if let Some(text) = text {
                put(
                    &mut out,
                    ws,
                    1,
                    0,
                    1,
                    last_col,
                    &text,
                    None,
                    &styles.unit_line_right,
                )?;
                heights.need(1, 20.0);
            }
        }
    }

    // The form block.
    let form_top = 2u32;
    let (form, form_n) = plan_form(table, template, form_top, last_col);
    let mut cells: HashMap<Place, (u32, u16)> = HashMap::new();
    for p in &form {
        let width = span_width(p.c0, p.c1);
        let (text, format, places, help): (String, &Format, Vec<Place>, Option<usize>) =
            match &p.item {
                FormItem::Label(i) => {
                    let f = &template.form[*i];
                    (f.label.clone(), &styles.form_label, Vec::new(), Some(*i))
                }
                FormItem::Text(t, shown) => {
                    let t = break_at_bracket(t, width, DATA_SIZE * 1.05);
                    let places: Vec<Place> = shown.iter().map(|&i| Place::Form(i)).collect();
                    let (color, note) = take(&places, &mut placed);
                    if !note.is_empty() {
                        ws.insert_note(p.r0, p.c0, &note_for(&note)).map_err(xe)?;
                    }
                    let fmt = match color {
                        Some(c) => styles.form_label_marked(c),
                        None => &styles.form_label,
                    };
                    (t, fmt, places, None)
                }
                FormItem::Value(i) => {
                    let f = &template.form[*i];
                    let mut text = table.form.text(*i).to_string();
                    let mut places = vec![Place::Form(*i)];
                    if let Some(code) = f.split_code.as_deref() {
                        if let Some(ci) = template.form.iter().position(|g| g.field == code) {
                            let c = table.form.text(ci).trim();
                            if !c.is_empty() {
                                text = format!("[{c}]{text}");
                            }
                            places.push(Place::Form(ci));
                        }
                    }
                    let (color, note) = take(&places, &mut placed);
                    if !note.is_empty() {
                        ws.insert_note(p.r0, p.c0, &note_for(&note)).map_err(xe)?;
                    }
                    let fmt = if shape.form.get(*i).is_some_and(|s| s.money) {
                        styles.amount(color)
                    } else {
                        styles.data(Align::Left, color)
                    };
                    (text, fmt, places, Some(*i))
                }
            };
        for place in &places {
            cells.entry(*place).or_insert((p.r0, p.c0));
        }
        put(&mut out, ws, p.r0, p.c0, p.r1, p.c1, &text, None, format)?;
        let size = if matches!(p.item, FormItem::Value(_)) {
            DATA_SIZE
        } else {
            DATA_SIZE * 1.05
        };
        heights.need_span(
            p.r0,
            p.r1,
            text_height(&text, width, size).max(MIN_DATA_ROW * (p.r1 - p.r0 + 1) as f64),
        );
        if options.input_help {
            // Room to type a goal in prose (Excel does not grow merged cells).
            if let FormItem::Value(i) = p.item {
                if shape
                    .form
                    .get(i)
                    .is_some_and(|f| f.role == Some(Role::Goal))
                {
                    heights.need_span(p.r0, p.r1, BLANK_GOAL_ROW);
                }
            }
            if let Some(i) = help {
                let f = &template.form[i];
                let title = shape.form.get(i).map_or(f.label.as_str(), |s| &s.label);
                input_message(ws, (p.r0, p.c0, p.r1, p.c1), title, &f.input_message)?;
            }
        }
    }

    let depth = template.depth().max(1);
    let hdr0 = form_top + form_n;
    let hdr1 = hdr0 + depth - 1;
    let data0 = hdr1 + 1;
    let mut layout = TableLayout {
        title_row: 0,
        form_rows: (form_n > 0).then(|| (form_top, form_top + form_n - 1)),
        header_rows: (hdr0, hdr1),
        first_data_row: data0,
        last_row: hdr1,
        last_col,
        columns: grid.iter().map(|g| (g.leaf.field, g.col)).collect(),
        ..TableLayout::default()
    };

    // Header, from the template tree (optional leaves the table does not use left out).
    let used: HashMap<&str, FieldRef> = grid.iter().map(|g| (g.leaf.key, g.leaf.field)).collect();
    let mut hcells = Vec::new();
    place_header(
        &template.columns,
        &used,
        0,
        u16::from(side.is_some()),
        hdr0,
        depth,
        &mut hcells,
    );
    for h in &hcells {
        let label = break_at_bracket(
            &h.column.label,
            span_width(h.first_col, h.last_col),
            HEADER_SIZE * 1.05,
        );
        put(
            &mut out,
            ws,
            h.first_row,
            h.first_col,
            h.last_row,
            h.last_col,
            &label,
            None,
            &styles.header,
        )?;
        heights.need_span(
            h.first_row,
            h.last_row,
            text_height(
                &label,
                span_width(h.first_col, h.last_col),
                HEADER_SIZE * 1.05,
            ),
        );
        if options.input_help {
            let title = match h.field {
                Some(f) => shape.spec(f).label.clone(),
                None => h.column.label.clone(),
            };
            input_message(
                ws,
                (h.first_row, h.first_col, h.last_row, h.last_col),
                &title,
                &h.column.input_message,
            )?;
        }
    }
    for r in hdr0..=hdr1 {
        heights.need(r, MIN_HEADER_ROW);
    }

    // Data rows: each group takes one row per indicator, at least one.
    let mut row = data0;
    for g in &table.groups {
        let n = g.indicators.len().max(1) as u32;
        layout.group_rows.push((row, row + n - 1));
        layout.group_sizes.push(g.indicators.len());
        row += n;
    }
    let runs = level_runs(table);
    // Every merged group cell's rows, for page breaks.
    let mut spans: Vec<(u32, u32)> = Vec::new();

    for gc in &grid {
        let col = gc.col;
        let column = gc.leaf.column;
        let width = column.width;
        let align = column.align;
        match gc.leaf.field {
            FieldRef::Group(f) => {
                let spec = &shape.group[f];
                let score = column
                    .score_field
                    .as_deref()
                    .and_then(|k| shape.group_field(k));
                for (g0, g1) in field_runs(table, &runs, f) {
                    let (r0, _) = layout.group_rows[g0];
                    let (_, r1) = layout.group_rows[g1];
                    let g = &table.groups[g0];
                    let raw = g.text(f);
                    let (text, number) = match (spec.numeric, Seq::from_text(raw)) {
                        (true, Seq::Number(n)) if !raw.trim().is_empty() => {
                            (n.to_string(), Some(n as f64))
                        }
                        _ => match score.map(|s| g.text(s)) {
                            Some(sc) if !sc.trim().is_empty() => (
                                break_at_bracket(&group_label(raw, sc), width, DATA_SIZE),
                                None,
                            ),
                            _ => (raw.to_string(), None),
                        },
                    };
                    let mut places = Vec::new();
                    for gi in g0..=g1 {
                        places.push(Place::Group {
                            group: gi,
                            field: f,
                        });
                        if let Some(s) = score {
                            places.push(Place::Group {
                                group: gi,
                                field: s,
                            });
                        }
                    }
                    for p in &places {
                        cells.insert(*p, (r0, col));
                    }
                    let (color, note) = take(&places, &mut placed);
                    put(
                        &mut out,
                        ws,
                        r0,
                        col,
                        r1,
                        col,
                        &text,
                        number,
                        styles.data(align, color),
                    )?;
                    if !note.is_empty() {
                        ws.insert_note(r0, col, &note_for(&note)).map_err(xe)?;
                    }
                    heights.need_span(r0, r1, text_height(&text, width, DATA_SIZE));
                    if r1 > r0 {
                        spans.push((r0, r1));
                    }
                }
            }
            field => {
                let FieldRef::Indicator(f) = field else {
                    continue;
                };
                for (gi, g) in table.groups.iter().enumerate() {
                    let (r0, r1) = layout.group_rows[gi];
                    for r in r0..=r1 {
                        let k = (r - r0) as usize;
                        let text = g.indicators.get(k).map_or("", |i| i.text(f));
                        let (color, note) = if k < g.indicators.len() {
                            let p = Place::Indicator {
                                group: gi,
                                indicator: k,
                                field: f,
                            };
                            take(&[p], &mut placed)
                        } else {
                            (None, String::new())
                        };
                        put(
                            &mut out,
                            ws,
                            r,
                            col,
                            r,
                            col,
                            text,
                            None,
                            styles.data(align, color),
                        )?;
                        if !note.is_empty() {
                            ws.insert_note(r, col, &note_for(&note)).map_err(xe)?;
                        }
                        heights.need(r, text_height(text, width, DATA_SIZE).max(MIN_DATA_ROW));
                    }
                }
            }
        }
    }
    // A score field with no column of its own marks its label's cell (done
    // above); any other group field without a column is unplaced.
    layout.unplaced_marks = placed
        .iter()
        .enumerate()
        .filter(|(_, p)| !**p)
        .map(|(i, _)| i)
        .collect();

    // Spare rows to type in.
    for _ in 0..options.spare_rows {
        for gc in &grid {
            let format = styles.data(gc.leaf.column.align, None);
            put(&mut out, ws, row, gc.col, row, gc.col, "", None, format)?;
        }
        heights.need(row, MIN_DATA_ROW);
        row += 1;
    }
    layout.last_row = row.saturating_sub(1).max(hdr1);

    // The side label, merged down the header and the data rows.
    if let Some(s) = side {
        put(
            &mut out,
            ws,
            hdr0,
            0,
            layout.last_row,
            0,
            &s.label,
            None,
            &styles.form_label,
        )?;
        heights.need_span(
            hdr0,
            layout.last_row,
            text_height(&s.label, s.width, DATA_SIZE * 1.05),
        );
    }

    // Drop-down suggestions (not a restriction) on the suggestion columns.
    if options.input_help && layout.last_row >= data0 {
        for gc in &grid {
            let list = fit_list(&template.suggestions(gc.leaf.column));
            if list.is_empty() {
                continue;
            }
            let title: String = shape.spec(gc.leaf.field).label.chars().take(30).collect();
            let list: Vec<&str> = list.iter().map(String::as_str).collect();
            let dv = DataValidation::new()
                .allow_list_strings(&list)
                .map_err(xe)?
                .ignore_blank(true)
                .set_error_style(DataValidationErrorStyle::Information)
                .set_error_title(title)
                .map_err(xe)?
                .set_error_message("列表外的内容也可以填写，点“确定”保留。")
                .map_err(xe)?;
            ws.add_data_validation(data0, gc.col, layout.last_row, gc.col, &dv)
                .map_err(xe)?;
        }
    }

    out.finish(ws)?;
    heights.apply(ws)?;
    layout.cells = cells;

    // Page breaks between groups, so merged cells are not split over two pages.
    let resolved = heights.resolve();
    let page = if template.page.landscape {
        (A4_LONG_IN - SIDE_MARGINS_IN, A4_SHORT_IN - END_MARGINS_IN)
    } else {
        (A4_SHORT_IN - SIDE_MARGINS_IN, A4_LONG_IN - END_MARGINS_IN)
    };
    let page = (page.0 * 72.0, page.1 * 72.0);
    let mut breaks = page_breaks(&resolved, &widths, &layout, &spans, page);
    // Excel holds at most 1,023 manual breaks; later pages flow (a very long table).
    breaks.truncate(MAX_PAGE_BREAKS);
    if !breaks.is_empty() {
        ws.set_page_breaks(&breaks).map_err(xe)?;
    }

    // View and print setup. A form block above the grid is too tall to freeze.
    if form_n == 0 {
        ws.set_freeze_panes(data0, 0).map_err(xe)?;
    }
    if template.page.landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_repeat_rows(hdr0, hdr1).map_err(xe)?;
    ws.set_margins(0.4, 0.4, 0.5, 0.6, 0.3, 0.3);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(layout)
}

/// A1 address → 0-based (row, column); `None` when it is not one.
pub fn parse_a1(cell: &str) -> Option<(u32, u16)> {
    let split = cell.find(|c: char| !c.is_ascii_alphabetic())?;
    let (letters, digits) = cell.split_at(split);
    let col = u16::try_from(col_index(letters)?).ok()?;
    let row: u32 = digits.parse().ok()?;
    (row >= 1).then_some((row - 1, col))
}

/// The footnotes of `table` that go below its written table: on the
/// table's own sheet, below its last data row, at an address; all or none,
/// and only when the first of them (top row, leftmost) starts with one of
/// the template's footnote prefixes, so that reading the sheet finds them
/// as footnotes again.
pub fn footnotes_below<'a>(table: &'a Table, template: &Template) -> Vec<&'a Extra> {
    let Some([_, last]) = table.source.data_rows else {
        return Vec::new();
    };
    let mut out: Vec<(&Extra, (u32, u16))> = Vec::new();
    for e in &table.extras {
        if e.kind != ExtraKind::Footnote || e.sheet != table.source.sheet {
            continue;
        }
        match parse_a1(&e.cell) {
            Some(at) if at.0 + 1 > last && !out.iter().any(|(_, a)| *a == at) => out.push((e, at)),
            _ => return Vec::new(),
        }
    }
    let starts = out.iter().min_by_key(|(_, a)| *a).is_some_and(|(e, _)| {
        template.footnote_prefixes.iter().any(|p| {
            let key = text_key(p);
            !key.is_empty() && text_key_starts_with(&e.text, &key)
        })
    });
    if !starts {
        return Vec::new();
    }
    out.into_iter().map(|(e, _)| e).collect()
}

/// The strays of `table` that stay beside its written table at `layout`, with
/// their cells there (0-based row, column): on the table's own sheet, right
/// of the input's last table column, on a header row or an indicator's row;
/// they keep their distance from the table's last column and go to the row
/// that row became. Others are listed.
pub fn strays_beside<'a>(table: &'a Table, layout: &TableLayout) -> Vec<(&'a Extra, (u32, u16))> {
    let Some(src_last) = table
        .source
        .columns
        .values()
        .filter_map(|c| col_index(c))
        .max()
    else {
        return Vec::new();
    };
    let [h0, h1] = table.source.header_rows;
    let mut out: Vec<(&Extra, (u32, u16))> = Vec::new();
    for e in &table.extras {
        if e.kind != ExtraKind::Stray || e.sheet != table.source.sheet {
            continue;
        }
        let Some((r, c)) = parse_a1(&e.cell) else {
            continue;
        };
        let row1 = r + 1;
        if u32::from(c) <= src_last {
            continue;
        }
        let row = if h0 >= 1 && (h0..=h1).contains(&row1) {
            let k = row1 - h0;
            (layout.header_rows.0 + k <= layout.header_rows.1).then(|| layout.header_rows.0 + k)
        } else {
            table.groups.iter().enumerate().find_map(|(gi, g)| {
                let k = g.indicators.iter().position(|i| i.row == row1)?;
                layout.indicator_row(gi, k)
            })
        };
        let Some(row) = row else { continue };
        let Some(col) = u32::from(layout.last_col)
            .checked_add(u32::from(c) - src_last)
            .and_then(|c| u16::try_from(c).ok())
            .filter(|&c| c < 16_384)
        else {
            continue;
        };
        if !out.iter().any(|(_, at)| *at == (row, col)) {
            out.push((e, (row, col)));
        }
    }
    out
}

/// Writes `footnotes` ([`footnotes_below`] of `source`) below `table`
/// written at `layout`: the same distance below its last row as they were
/// below `source`'s last data row, in their
/// columns, each merged to the next cell of its row (or the table's last
/// column) and wrapped; unlocked when `unlocked` (the blank template). Sets
/// the print area over the table and them. Returns the last row written.
pub fn write_footnotes(
    ws: &mut Worksheet,
    table: &Table,
    template: &Template,
    layout: &TableLayout,
    source: &Table,
    footnotes: &[&Extra],
    unlocked: bool,
) -> Result<u32, WriteError> {
    let mut last = layout.last_row;
    let Some([_, src_last]) = source.source.data_rows else {
        return Ok(last);
    };
    let mut widths: Vec<f64> = Vec::new();
    if let Some(s) = &template.side_label {
        widths.push(s.width);
    }
    widths.extend(
        grid_columns(table, template)
            .iter()
            .map(|g| g.leaf.column.width),
    );
    let mut fmt = Format::new()
        .set_font_size(DATA_SIZE)
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Left)
        .set_align(rust_xlsxwriter::FormatAlign::VerticalCenter);
    if unlocked {
        fmt = fmt.set_unlocked();
    }
    let mut cells: Vec<(u32, u16, &str)> = footnotes
        .iter()
        .filter_map(|e| {
            let (r, c) = parse_a1(&e.cell)?;
            let row = layout.last_row + (r + 1 - src_last);
            Some((row, c, e.text.as_str()))
        })
        .collect();
    cells.sort_by_key(|&(r, c, _)| (r, c));
    let mut heights = RowHeights::new();
    let mut out = FormatRuns::new();
    for (i, &(r, c, text)) in cells.iter().enumerate() {
        let next = cells
            .get(i + 1)
            .filter(|n| n.0 == r)
            .map(|n| n.1.saturating_sub(1));
        let c1 = next.unwrap_or(layout.last_col).max(c);
        let c1 = if c > layout.last_col { c } else { c1 };
        put(&mut out, ws, r, c, r, c1, text, None, &fmt)?;
        let width: f64 = (c..=c1)
            .map(|k| widths.get(k as usize).copied().unwrap_or(8.43))
            .sum();
        heights.need(r, text_height(text, width, DATA_SIZE).max(MIN_DATA_ROW));
        last = last.max(r);
    }
    out.finish(ws)?;
    heights.apply(ws)?;
    let right = cells
        .iter()
        .map(|x| x.1)
        .max()
        .unwrap_or(0)
        .max(layout.last_col);
    ws.set_print_area(0, 0, last, right).map_err(xe)?;
    Ok(last)
}

/// A suggestion list as Excel takes it: at most 255 characters, commas
/// included; items with a comma or past the limit are left out.
fn fit_list(items: &[String]) -> Vec<String> {
    let mut list = Vec::new();
    let mut len = 0usize;
    for s in items {
        let s = s.trim();
        let n = s.encode_utf16().count();
        if s.is_empty() || s.contains(',') || len + n + usize::from(len > 0) > 255 {
            continue;
        }
        len += n + usize::from(len > 0);
        list.push(s.to_string());
    }
    list
}

/// Excel's limit on manual (horizontal) page breaks in a sheet.
const MAX_PAGE_BREAKS: usize = 1_023;

/// A4 in inches, and the margins set below (left + right, top + bottom).
const A4_LONG_IN: f64 = 11.69;
const A4_SHORT_IN: f64 = 8.27;
const SIDE_MARGINS_IN: f64 = 0.8;
const END_MARGINS_IN: f64 = 1.1;

/// Rows (0-based) that start a new printed page: before a merged block of
/// groups (groups sharing a 部门职责, a 一级指标), or a group, that would
/// otherwise run over the page end. Estimated from the fit-to-width scale; a
/// block taller than a page flows. `page` is the printable (width, height).
fn page_breaks(
    heights: &BTreeMap<u32, f64>,
    widths: &[f64],
    layout: &TableLayout,
    spans: &[(u32, u32)],
    page: (f64, f64),
) -> Vec<u32> {
    let h = |r0: u32, r1: u32| -> f64 {
        (r0..=r1)
            .map(|r| heights.get(&r).copied().unwrap_or(15.0))
            .sum()
    };
    let (page_w, page_h) = page;
    let width_pt: f64 = widths.iter().map(|w| (w * 7.0 + 5.0).floor() * 0.75).sum();
    let scale = (page_w / width_pt).min(1.0);
    // A margin for fonts taller than estimated.
    let cap = page_h / scale * 0.92;
    let (hdr0, hdr1) = layout.header_rows;
    let header = h(hdr0, hdr1);
    let room = cap - header;
    if room <= 0.0 || layout.group_rows.is_empty() {
        return Vec::new();
    }
    let first = layout.group_rows[0].0;
    let last = layout.group_rows.last().map_or(first, |g| g.1);
    // Every merged block and every group's rows, to keep together where they fit.
    let mut all: Vec<(u32, u32)> = spans.to_vec();
    all.extend(layout.group_rows.iter().copied());
    all.sort_by_key(|&(a, b)| (a, std::cmp::Reverse(b)));
    all.dedup();
    let mut blocks: Vec<(u32, u32)> = Vec::new();
    split_blocks(first, last, &all, &h, room, &mut blocks);
    let starts: std::collections::HashSet<u32> = layout.group_rows.iter().map(|g| g.0).collect();
    let mut breaks = Vec::new();
    let mut used = h(0, hdr1);
    let mut queue: std::collections::VecDeque<(u32, u32)> = blocks.into();
    while let Some((r0, r1)) = queue.pop_front() {
        let bh = h(r0, r1);
        if used + bh > cap && used > header + 0.5 {
            if r1 > r0 && used < cap * FULL_ENOUGH {
                // Keeping the block whole would leave too much of this page
                // empty: it is split, its parts flow on.
                let mut parts = Vec::new();
                split_blocks(r0, r1, &all, &h, room, &mut parts);
                for part in parts.into_iter().rev() {
                    queue.push_front(part);
                }
                continue;
            }
            if r0 != r1 || starts.contains(&r0) {
                breaks.push(r0);
            }
            used = header;
        }
        used += bh;
    }
    breaks
}

/// How full (of the printable height) a page must be before a manual break
/// keeps the next merged block whole on the next page.
const FULL_ENOUGH: f64 = 0.8;

/// Splits rows `r0..=r1` into blocks: the largest spans inside that fit a
/// page whole, the inside of those that do not, single rows elsewhere.
fn split_blocks(
    r0: u32,
    r1: u32,
    spans: &[(u32, u32)],
    h: &dyn Fn(u32, u32) -> f64,
    room: f64,
    out: &mut Vec<(u32, u32)>,
) {
    let mut r = r0;
    while r <= r1 {
        // The largest span starting at r inside the range (not the range
        // itself). `spans` is sorted by start, the longest first: the spans
        // starting at r are found by binary search, not by a scan of all of
        // them for every row (which grew with the square of the rows).
        let from = spans.partition_point(|&(a, _)| a < r);
        let span = spans[from..]
            .iter()
            .take_while(|&&(a, _)| a == r)
            .find(|&&(a, b)| b <= r1 && (a, b) != (r0, r1) && b > a)
            .map(|&(_, b)| b);
        match span {
            Some(b) if h(r, b) <= room => {
                out.push((r, b));
                r = b + 1;
            }
            Some(b) => {
                split_blocks(r, b, spans, h, room, out);
                r = b + 1;
            }
            None => {
                out.push((r, r));
                r += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_text_wraps_by_width() {
        // 15 CJK chars fit a 30-wide column once; 16 do not.
        assert_eq!(wrapped_lines(&"字".repeat(13), 30.0, 10.0), 1);
        assert_eq!(wrapped_lines(&"字".repeat(40), 30.0, 10.0), 3);
        assert_eq!(wrapped_lines("1.一\n2.二", 30.0, 10.0), 2);
        assert_eq!(wrapped_lines("", 10.0, 10.0), 1);
    }

    /// Rows of `h` points each from `r0` to `r1`.
    fn rows(out: &mut BTreeMap<u32, f64>, r0: u32, r1: u32, h: f64) {
        for r in r0..=r1 {
            out.insert(r, h);
        }
    }

    #[test]
    fn a_merged_block_breaks_to_the_next_page_only_from_a_full_page() {
        // Title 30, header 2 x 20; a 400pt group, then a two-group merged
        // block of 600pt: the page (644pt usable) is 73% full when the block
        // comes, so the block flows on instead of leaving a quarter empty.
        let mut heights = BTreeMap::new();
        rows(&mut heights, 0, 0, 30.0);
        rows(&mut heights, 1, 2, 20.0);
        rows(&mut heights, 3, 10, 50.0);
        rows(&mut heights, 11, 30, 30.0);
        let layout = TableLayout {
            header_rows: (1, 2),
            first_data_row: 3,
            last_row: 30,
            group_rows: vec![(3, 10), (11, 20), (21, 30)],
            ..TableLayout::default()
        };
        let spans = [(11, 30)];
        let breaks = page_breaks(&heights, &[10.0], &layout, &spans, (500.0, 700.0));
        let cap = 700.0 * 0.92;
        if let Some(&b) = breaks.first() {
            let used: f64 = (0..b).map(|r| heights[&r]).sum();
            assert!(
                used >= cap * FULL_ENOUGH,
                "break before row {b}: page 1 {used} of {cap}"
            );
        }
        assert!(!breaks.contains(&11), "{breaks:?}");
        // A full page still keeps the block whole: a 480pt group first.
        rows(&mut heights, 3, 10, 60.0);
        let breaks = page_breaks(&heights, &[10.0], &layout, &spans, (500.0, 700.0));
        assert_eq!(breaks.first(), Some(&11), "{breaks:?}");
    }

    /// The wrap as a list of tokens, then a greedy fill: the reference the
    /// streamed [`wrap`] is held to.
    fn token_list_starts(para: &str, cap: f64, scale: f64, kinsoku: bool) -> Vec<usize> {
        let mut tokens: Vec<(usize, f64, bool)> = Vec::new();
        let mut run: Option<(usize, f64)> = None;
        for (i, c) in para.chars().enumerate() {
            let w = char_units(c) * scale;
            if c.is_ascii() && c != ' ' {
                run.get_or_insert((i, 0.0)).1 += w;
                continue;
            }
            if let Some((at, rw)) = run.take() {
                tokens.push((at, rw, false));
            }
            match tokens.last_mut() {
                Some(last) if kinsoku && !last.2 && no_line_start(c) => last.1 += w,
                _ => tokens.push((i, w, c == ' ')),
            }
        }
        if let Some((at, rw)) = run {
            tokens.push((at, rw, false));
        }
        let mut starts = Vec::new();
        let mut used = 0.0;
        for (at, w, space) in tokens {
            if used + w <= cap {
                used += w;
            } else if space {
                starts.push(at + 1);
                used = 0.0;
            } else if w > cap {
                let total = used + w;
                for _ in 1..(total / cap).ceil() as u32 {
                    starts.push(at);
                }
                used = total - cap * ((total / cap).ceil() - 1.0);
            } else {
                if used > 0.0 {
                    starts.push(at);
                }
                used = w;
            }
        }
        starts
    }

    proptest::proptest! {
        /// The streamed wrap finds the line starts the plain token list does,
        /// with the Chinese rule and without.
        #[test]
        fn streamed_wrap_agrees_with_the_token_list(
            text in "[a-zA-Z0-9 %W@.,，。（）、：\u{4e00}-\u{4e20}é]{0,80}",
            width in 2.0f64..60.0,
            size in 8.0f64..16.0,
            kinsoku: bool,
        ) {
            let scale = size / 10.0;
            let cap = wrap_cap(width);
            proptest::prop_assert_eq!(
                para_starts(&text, cap, scale, kinsoku),
                token_list_starts(&text, cap, scale, kinsoku)
            );
        }

        /// The one-line shortcut of `wrapped_lines` never says one line where
        /// the full wrap says more.
        #[test]
        fn short_text_shortcut_agrees_with_the_wrap(
            text in "[a-zA-Z0-9 %W@.,，。（）、\u{4e00}-\u{4e20}é]{0,40}",
            width in 2.0f64..60.0,
            size in 8.0f64..16.0,
        ) {
            let scale = size / 10.0;
            let cap = wrap_cap(width);
            if text.len() as f64 * 1.3 * scale <= cap {
                proptest::prop_assert!(para_starts(&text, cap, scale, true).is_empty());
            }
        }
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        // 9 CJK chars fit a 20-wide column: the tenth, a bracket, would wrap alone.
        let text = "标准值规划目标行业）";
        assert_eq!(para_starts(text, wrap_cap(20.0), 1.0, false), vec![9]);
        assert_eq!(para_starts(text, wrap_cap(20.0), 1.0, true), vec![8]);
        assert_eq!(wrapped_lines(text, 20.0, 10.0), 2);
        let fixed = keep_punctuation_attached(text, 20.0, 10.0);
        assert_eq!(fixed, "标准值规划目标行\n业）");
        // A sentence mark alone on the last line of a data text.
        let fixed = keep_punctuation_attached("加强教育教学研究工作。", 21.5, 10.0);
        assert_eq!(fixed, "加强教育教学研究工\n作。");
        // Nothing to do when the text fits, or its last line has more than punctuation.
        assert_eq!(
            keep_punctuation_attached("标准值（万元）", 20.0, 10.0),
            "标准值（万元）"
        );
        let long = "一二三四五六七八九十一二）";
        assert_eq!(keep_punctuation_attached(long, 20.0, 10.0), long);
        // A bracketed header tail never leaves its closing bracket alone.
        let label = break_at_bracket("标准值（规划目标、行业标准或其他明确标准）", 20.0, 10.0);
        for line in label.split('\n') {
            assert!(!line.chars().all(no_line_start), "{label:?}");
        }
    }

    #[test]
    fn merged_shortfall_is_spread() {
        let mut h = RowHeights::new();
        h.need(1, 20.0);
        h.need(2, 20.0);
        h.need_span(1, 2, 100.0);
        let r = h.resolve();
        assert!((r[&1] - 50.0).abs() < 0.01 && (r[&2] - 50.0).abs() < 0.01);
    }
}
