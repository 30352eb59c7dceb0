//! The official table sheet: title, the header laid out from the template tree,
//! one row per indicator with the duty cells merged, row heights that show every
//! wrapped text, print setup; marks as fills and notes.

use super::styles::{Styles, DATA_SIZE, HEADER_SIZE, TITLE_SIZE};
use super::{xe, Mark, MarkColor, WriteError};
use crate::model::{a1, ExtraKind, Field, Place, Seq, Table};
use crate::template::{Align, Column, Template};
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

/// Width of a text in column-width units at 10pt.
pub fn text_units(text: &str) -> f64 {
    text.chars().map(char_units).sum()
}

/// How many lines a wrapped text takes in a cell `width` characters wide (Excel
/// column-width units) at `font_size` points. Explicit line breaks are kept;
/// CJK text breaks anywhere, Latin text at spaces.
pub fn wrapped_lines(text: &str, width: f64, font_size: f64) -> u32 {
    let scale = font_size / 10.0;
    // Cell padding, and a margin for punctuation that may not start a line.
    let cap = ((width - 0.3) * 0.98).max(1.0);
    let mut lines = 0u32;
    for para in text.split('\n') {
        lines += para_lines(para.trim_end_matches('\r'), cap, scale);
    }
    lines.max(1)
}

fn para_lines(para: &str, cap: f64, scale: f64) -> u32 {
    // Tokens: one CJK char, a run of non-space ASCII, or one space.
    let mut tokens: Vec<(f64, bool)> = Vec::new(); // (width, is_space)
    let mut run = 0.0;
    for c in para.chars() {
        let w = char_units(c) * scale;
        if c.is_ascii() && c != ' ' {
            run += w;
        } else {
            if run > 0.0 {
                tokens.push((run, false));
                run = 0.0;
            }
            tokens.push((w, c == ' '));
        }
    }
    if run > 0.0 {
        tokens.push((run, false));
    }
    let mut lines = 1u32;
    let mut used = 0.0;
    for (w, space) in tokens {
        if used + w <= cap {
            used += w;
        } else if space {
            lines += 1;
            used = 0.0;
        } else if w > cap {
            // A word longer than the cell breaks anywhere.
            let total = used + w;
            lines += (total / cap).ceil() as u32 - 1;
            used = total - cap * ((total / cap).ceil() - 1.0);
        } else {
            lines += 1;
            used = w;
        }
    }
    lines
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
    /// First and last header row (2 and 4 for dept-overall).
    pub header_rows: (u32, u32),
    /// The first data row (5: Excel row 6).
    pub first_data_row: u32,
    /// The last row used by the table (data or spare rows); `header_rows.1` when empty.
    pub last_row: u32,
    /// The last column of the table (12: M).
    pub last_col: u16,
    /// First and last row of each duty, indexed like `Table::duties`.
    pub duty_rows: Vec<(u32, u32)>,
    /// The column of each field the template lays out.
    pub columns: Vec<(Field, u16)>,
    /// Indexes into the `marks` given whose place is not in the table.
    pub unplaced_marks: Vec<usize>,
    cells: HashMap<CellKey, (u32, u16)>,
}

/// (duty, indicator, field): a [`Place`] with duty-level fields normalised to no indicator.
type CellKey = (usize, Option<usize>, Field);

impl TableLayout {
    /// The (row, col) of a place. A duty-level field (职责序号, 部门职责, 职责目标)
    /// is the duty's merged cell whatever the indicator; an indicator-level field
    /// with no indicator is the duty's first row.
    pub fn cell(&self, place: &Place) -> Option<(u32, u16)> {
        let key = if place.field.is_duty_level() {
            (place.duty, None, place.field)
        } else {
            (place.duty, place.indicator, place.field)
        };
        if let Some(c) = self.cells.get(&key) {
            return Some(*c);
        }
        if place.indicator.is_none() {
            let (first, _) = *self.duty_rows.get(place.duty)?;
            return Some((first, self.col(place.field)?));
        }
        None
    }

    /// The Excel address (`F12`) of a place.
    pub fn a1(&self, place: &Place) -> Option<String> {
        self.cell(place).map(|(r, c)| a1(c as u32, r + 1))
    }

    /// The column of a field.
    pub fn col(&self, field: Field) -> Option<u16> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| *c)
    }

    /// The row of an indicator.
    pub fn indicator_row(&self, duty: usize, indicator: usize) -> Option<u32> {
        let (first, last) = *self.duty_rows.get(duty)?;
        let r = first + indicator as u32;
        (r <= last).then_some(r)
    }
}

/// What else to put on the table sheet.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// Empty bordered rows after the data (rows to type in).
    pub spare_rows: u32,
    /// Input messages on the header cells and drop-down suggestions on the
    /// suggestion columns (the blank template).
    pub input_help: bool,
}

/// Writes the official table with default options (see [`write_table_sheet_with`]).
pub fn write_table_sheet(
    ws: &mut Worksheet,
    table: &Table,
    template: &Template,
    marks: &[Mark],
    styles: &Styles,
) -> Result<TableLayout, WriteError> {
    write_table_sheet_with(ws, table, template, marks, styles, &TableOptions::default())
}

/// One header cell placed: rows and columns (0-based) and its column spec.
struct HeaderCell<'a> {
    column: &'a Column,
    field: Option<Field>,
    first_row: u32,
    last_row: u32,
    first_col: u16,
    last_col: u16,
}

fn leaf_count(c: &Column) -> u16 {
    if c.children.is_empty() {
        u16::from(c.field.is_some())
    } else {
        c.children.iter().map(leaf_count).sum()
    }
}

fn place_header<'a>(
    cols: &'a [Column],
    level: u32,
    first_col: u16,
    top: u32,
    depth: u32,
    out: &mut Vec<HeaderCell<'a>>,
) {
    let mut col = first_col;
    for c in cols {
        let span = leaf_count(c);
        if span == 0 {
            continue;
        }
        let leaf = c.children.is_empty();
        out.push(HeaderCell {
            column: c,
            field: if leaf { c.field } else { None },
            first_row: top + level,
            last_row: if leaf { top + depth - 1 } else { top + level },
            first_col: col,
            last_col: col + span - 1,
        });
        if !leaf {
            place_header(&c.children, level + 1, col, top, depth, out);
        }
        col += span;
    }
}

/// Text as written to a cell: `\r\n` → `\n`, cut at Excel's limit.
fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
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

/// Writes one cell or a merged range, text always as text, empty as a bordered blank.
#[allow(clippy::too_many_arguments)]
fn put(
    ws: &mut Worksheet,
    r0: u32,
    c0: u16,
    r1: u32,
    c1: u16,
    text: &str,
    number: Option<f64>,
    format: &Format,
) -> Result<(), WriteError> {
    let text = cell_text(text);
    if r0 != r1 || c0 != c1 {
        ws.merge_range(r0, c0, r1, c1, "", format).map_err(xe)?;
    }
    if let Some(n) = number {
        ws.write_number_with_format(r0, c0, n, format).map_err(xe)?;
    } else if text.is_empty() {
        ws.write_blank(r0, c0, format).map_err(xe)?;
    } else {
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
    let leaves = template.leaves();
    if leaves.is_empty() {
        return Err(WriteError("模板没有列".into()));
    }
    let ncols = leaves.len() as u16;
    let last_col = ncols - 1;
    let depth = template.depth().max(1);
    let hdr0 = template.header_first_row.max(2) - 1;
    let hdr1 = hdr0 + depth - 1;
    let data0 = hdr1 + 1;
    let widths: Vec<f64> = leaves.iter().map(|l| l.column.width).collect();
    let span_width =
        |c0: u16, c1: u16| -> f64 { (c0..=c1).map(|c| widths[c as usize]).sum::<f64>() };
    let mut heights = RowHeights::new();

    let mut layout = TableLayout {
        title_row: 0,
        header_rows: (hdr0, hdr1),
        first_data_row: data0,
        last_row: hdr1,
        last_col,
        columns: leaves.iter().map(|l| (l.field, l.col)).collect(),
        ..TableLayout::default()
    };

    for l in &leaves {
        ws.set_column_width(l.col, l.column.width).map_err(xe)?;
    }

    // Title.
    let title = if table.title.trim().is_empty() {
        match (table.year, &table.department) {
            (Some(y), Some(d)) => template.title(y, d),
            _ => String::new(),
        }
    } else {
        table.title.clone()
    };
    put(ws, 0, 0, 0, last_col, &title, None, &styles.title)?;
    heights.need(
        0,
        TITLE_ROW.max(text_height(&title, span_width(0, last_col), TITLE_SIZE)),
    );

    // Unit line on the row under the title, when the input had one.
    if hdr0 >= 2 {
        if let Some(u) = table.extras.iter().find(|e| e.kind == ExtraKind::UnitLine) {
            ws.write_string_with_format(1, 0, cell_text(&u.text), &styles.unit_line)
                .map_err(xe)?;
        }
    }

    // Header, from the template tree.
    let mut cells = Vec::new();
    place_header(&template.columns, 0, 0, hdr0, depth, &mut cells);
    for h in &cells {
        put(
            ws,
            h.first_row,
            h.first_col,
            h.last_row,
            h.last_col,
            &h.column.label,
            None,
            &styles.header,
        )?;
        heights.need_span(
            h.first_row,
            h.last_row,
            text_height(
                &h.column.label,
                span_width(h.first_col, h.last_col),
                HEADER_SIZE * 1.05,
            ),
        );
        if options.input_help && !h.column.input_message.trim().is_empty() {
            let title = match h.field {
                Some(f) => f.label().to_string(),
                None => h.column.label.chars().take(30).collect(),
            };
            let message: String = h.column.input_message.chars().take(250).collect();
            let dv = DataValidation::new()
                .allow_any_value()
                .set_input_title(title)
                .map_err(xe)?
                .set_input_message(message)
                .map_err(xe)?;
            ws.add_data_validation(h.first_row, h.first_col, h.last_row, h.last_col, &dv)
                .map_err(xe)?;
        }
    }
    for r in hdr0..=hdr1 {
        heights.need(r, MIN_HEADER_ROW);
    }

    // Marks by place; duty-level fields belong to the duty, not a row.
    let mut by_place: HashMap<CellKey, Vec<(usize, &Mark)>> = HashMap::new();
    for (i, m) in marks.iter().enumerate() {
        let p = m.place;
        let ind = if p.field.is_duty_level() {
            None
        } else {
            p.indicator
        };
        by_place
            .entry((p.duty, ind, p.field))
            .or_default()
            .push((i, m));
    }
    let mut placed = vec![false; marks.len()];

    // Data rows.
    let mut row = data0;
    for d in &table.duties {
        let n = d.indicators.len().max(1) as u32;
        layout.duty_rows.push((row, row + n - 1));
        row += n;
    }
    // 部门职责: consecutive duties sharing a non-empty name share one merged cell.
    let mut name_groups: Vec<(usize, usize)> = Vec::new();
    for (i, d) in table.duties.iter().enumerate() {
        match name_groups.last_mut() {
            Some((_, last))
                if !d.name.trim().is_empty()
                    && table.duties[*last].name.trim() == d.name.trim() =>
            {
                *last = i
            }
            _ => name_groups.push((i, i)),
        }
    }

    for l in &leaves {
        let col = l.col;
        let width = l.column.width;
        let align = l.column.align;
        if l.field.is_duty_level() {
            let groups: Vec<(usize, usize)> = if l.field == Field::DutyName {
                name_groups.clone()
            } else {
                (0..table.duties.len()).map(|i| (i, i)).collect()
            };
            for (g0, g1) in groups {
                let (r0, _) = layout.duty_rows[g0];
                let (_, r1) = layout.duty_rows[g1];
                let d = &table.duties[g0];
                let (text, number) = match l.field {
                    Field::Seq => match &d.seq {
                        Seq::Number(n) => (n.to_string(), Some(*n as f64)),
                        Seq::Text(t) => (t.clone(), None),
                    },
                    Field::DutyName => (d.name.clone(), None),
                    _ => (d.objective.clone(), None),
                };
                let mut here: Vec<&Mark> = Vec::new();
                for di in g0..=g1 {
                    layout.cells.insert((di, None, l.field), (r0, col));
                    if let Some(ms) = by_place.get(&(di, None, l.field)) {
                        for (i, m) in ms {
                            placed[*i] = true;
                            here.push(m);
                        }
                    }
                }
                let (color, note) = merge_marks(&here);
                put(
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
            }
        } else {
            for (di, d) in table.duties.iter().enumerate() {
                let (r0, r1) = layout.duty_rows[di];
                for r in r0..=r1 {
                    let k = (r - r0) as usize;
                    let text = d
                        .indicators
                        .get(k)
                        .and_then(|i| i.get(l.field))
                        .unwrap_or("");
                    let mut here: Vec<&Mark> = Vec::new();
                    if k < d.indicators.len() {
                        layout.cells.insert((di, Some(k), l.field), (r, col));
                        if let Some(ms) = by_place.get(&(di, Some(k), l.field)) {
                            for (i, m) in ms {
                                placed[*i] = true;
                                here.push(m);
                            }
                        }
                    }
                    // A mark on a duty's column with no indicator: the duty's first row.
                    if r == r0 {
                        if let Some(ms) = by_place.get(&(di, None, l.field)) {
                            for (i, m) in ms {
                                placed[*i] = true;
                                here.push(m);
                            }
                        }
                    }
                    let (color, note) = merge_marks(&here);
                    put(ws, r, col, r, col, text, None, styles.data(align, color))?;
                    if !note.is_empty() {
                        ws.insert_note(r, col, &note_for(&note)).map_err(xe)?;
                    }
                    heights.need(r, text_height(text, width, DATA_SIZE).max(MIN_DATA_ROW));
                }
            }
        }
    }
    layout.unplaced_marks = placed
        .iter()
        .enumerate()
        .filter(|(_, p)| !**p)
        .map(|(i, _)| i)
        .collect();

    // Spare rows to type in.
    for _ in 0..options.spare_rows {
        for l in &leaves {
            ws.write_blank(row, l.col, styles.data(l.column.align, None))
                .map_err(xe)?;
        }
        heights.need(row, MIN_DATA_ROW);
        row += 1;
    }
    layout.last_row = row.saturating_sub(1).max(hdr1);

    // Drop-down suggestions (not a restriction) on the suggestion columns.
    if options.input_help && layout.last_row >= data0 && !template.source_suggestions.is_empty() {
        // Excel caps a list at 255 characters (commas included): keep what fits.
        let mut list: Vec<&str> = Vec::new();
        let mut len = 0usize;
        for s in &template.source_suggestions {
            let s = s.trim();
            let n = s.encode_utf16().count();
            if s.is_empty() || s.contains(',') || len + n + usize::from(len > 0) > 255 {
                continue;
            }
            len += n + usize::from(len > 0);
            list.push(s);
        }
        for l in leaves
            .iter()
            .filter(|l| l.column.suggestions && !list.is_empty())
        {
            let title: String = l.field.label().chars().take(30).collect();
            let dv = DataValidation::new()
                .allow_list_strings(&list)
                .map_err(xe)?
                .ignore_blank(true)
                .set_error_style(DataValidationErrorStyle::Information)
                .set_error_title(title)
                .map_err(xe)?
                .set_error_message("列表外的内容也可以填写，点“确定”保留。")
                .map_err(xe)?;
            ws.add_data_validation(data0, l.col, layout.last_row, l.col, &dv)
                .map_err(xe)?;
        }
    }

    heights.apply(ws)?;

    // Page breaks between duties, so a duty's merged cells are not split over two pages.
    let resolved = heights.resolve();
    let mut breaks = page_breaks(&resolved, &widths, &layout, &name_groups);
    // Excel holds at most 1,023 manual breaks; later pages flow (a very long table).
    breaks.truncate(MAX_PAGE_BREAKS);
    if !breaks.is_empty() {
        ws.set_page_breaks(&breaks).map_err(xe)?;
    }

    // View and print setup.
    ws.set_freeze_panes(data0, 0).map_err(xe)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_repeat_rows(hdr0, hdr1).map_err(xe)?;
    ws.set_margins(0.4, 0.4, 0.5, 0.6, 0.3, 0.3);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(layout)
}

/// Excel's limit on manual (horizontal) page breaks in a sheet.
const MAX_PAGE_BREAKS: usize = 1_023;

/// Printable area of A4 landscape with the margins set below, in points.
const PAGE_WIDTH_PT: f64 = (11.69 - 0.8) * 72.0;
const PAGE_HEIGHT_PT: f64 = (8.27 - 1.1) * 72.0;

/// Rows (0-based) that start a new printed page: before a group of duties
/// sharing a 部门职责, or a duty, that would otherwise run over the page end.
/// Estimated from the fit-to-width scale; a block taller than a page flows.
fn page_breaks(
    heights: &BTreeMap<u32, f64>,
    widths: &[f64],
    layout: &TableLayout,
    name_groups: &[(usize, usize)],
) -> Vec<u32> {
    let h = |r0: u32, r1: u32| -> f64 {
        (r0..=r1)
            .map(|r| heights.get(&r).copied().unwrap_or(15.0))
            .sum()
    };
    let width_pt: f64 = widths.iter().map(|w| (w * 7.0 + 5.0).floor() * 0.75).sum();
    let scale = (PAGE_WIDTH_PT / width_pt).min(1.0);
    // A margin for fonts taller than estimated.
    let cap = PAGE_HEIGHT_PT / scale * 0.92;
    let (hdr0, hdr1) = layout.header_rows;
    let header = h(hdr0, hdr1);
    let room = cap - header;
    if room <= 0.0 || layout.duty_rows.is_empty() {
        return Vec::new();
    }
    // Blocks that should stay on one page, largest first.
    let mut blocks: Vec<(u32, u32)> = Vec::new();
    for &(g0, g1) in name_groups {
        let (r0, r1) = (layout.duty_rows[g0].0, layout.duty_rows[g1].1);
        if h(r0, r1) <= room {
            blocks.push((r0, r1));
            continue;
        }
        for d in g0..=g1 {
            let (r0, r1) = layout.duty_rows[d];
            if h(r0, r1) <= room {
                blocks.push((r0, r1));
            } else {
                blocks.extend((r0..=r1).map(|r| (r, r)));
            }
        }
    }
    let mut breaks = Vec::new();
    let mut used = h(0, hdr1);
    for (r0, r1) in blocks {
        let bh = h(r0, r1);
        if used + bh > cap && used > header + 0.5 {
            if r0 != r1 || blocks_is_whole(layout, r0) {
                breaks.push(r0);
            }
            used = header;
        }
        used += bh;
    }
    breaks
}

/// True when `row` starts a duty (a break there keeps whole duties together).
fn blocks_is_whole(layout: &TableLayout, row: u32) -> bool {
    layout.duty_rows.iter().any(|(r0, _)| *r0 == row)
}

/// The data-row format of a field's column (for callers writing extra cells in the table's style).
pub fn data_align(template: &Template, field: Field) -> Align {
    template
        .leaf(field)
        .map(|l| l.column.align)
        .unwrap_or_default()
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
