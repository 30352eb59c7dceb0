//! The diff workbook of `diff -o`: what changed between last year's table and
//! this year's, for a finance reviewer.
//!
//! Sheets, in order:
//! - `变更汇总`: both tables, the counts by kind and by group (duty, category), the colour legend;
//! - `变更明细`: one row per change (as in the diff JSON), edited text
//!   highlighted character by character (deleted red struck through, inserted
//!   green), each row linked to its cell on `本年`;
//! - `本年`: the current table in the official layout, changed cells filled by
//!   kind with the prior value in a note, validation findings marked too; below
//!   it the removed indicators (greyed) with their prior values;
//! - `目标完成`: last year's targets against the actuals reported this year;
//! - `校验结果`: the current table's findings (as `validate -o` lists them);
//! - `其他内容`: the current table's extras, when it has any.
//!
//! Two workbooks or folders of several tables give one workbook of every
//! pair ([`diff_workbook_of_pairs`]): 变更汇总 a row per pair and the
//! totals, 变更明细 every change with a 表格 column, one marked table sheet
//! per current table instead of `本年`, 目标完成 of the pairs whose template
//! has its roles, 校验结果 and 其他内容 of all. One pair gives exactly
//! [`diff_workbook`].

use super::extras::{write_extras_sheet, EXTRAS_SHEET};
use super::marked::{
    finding_marks, sheet_ref, sorted_findings, write_color_legend, write_findings_sheet,
    FindingsOf, FINDING_LEGEND,
};
use super::styles::DATA_SIZE;
use super::table::{break_at_bracket, text_height, RowHeights};
use super::{
    all_extras, new_workbook, save_owned, table_sheet_names, write_list_sheet, write_table_sheet,
    xe, ListCell, ListColumn, Mark, MarkColor, Styles, TableLayout, WriteError, FINDINGS_SHEET,
};
use crate::diff::{
    attainment, char_edits, percent_text, shared_scale, AttainmentStatus, Change, ChangeKind,
    DiffReport, Edit, WorkbookPair,
};
use crate::model::{Extra, FieldRef, Parsed, Place, Role, Seq, Shape, Table};
use crate::template::Template;
use crate::validate::Report;
use rust_xlsxwriter::{Format, Url, Worksheet};
use std::collections::{HashMap, HashSet};

/// The summary sheet.
pub const DIFF_SUMMARY_SHEET: &str = "变更汇总";
/// The sheet listing every change.
pub const CHANGES_SHEET: &str = "变更明细";
/// The current table, marked.
pub const CURRENT_SHEET: &str = "本年";
/// Last year's targets against their actuals.
pub const ATTAINMENT_SHEET: &str = "目标完成";

/// The heading of the removed indicators' block under the table on `本年`.
pub const REMOVED_BLOCK_TITLE: &str = "已删除的指标";

/// The row (0-based) of the 变更明细 header.
const CHANGES_HEADER_ROW: u32 = 2;
/// The row (0-based) of the 目标完成 header.
const ATTAINMENT_HEADER_ROW: u32 = 3;

/// A 变更汇总 shorter than this many rows is printed on one page.
const SUMMARY_ONE_PAGE_ROWS: u32 = 48;

/// Excel's longest cell text.
const MAX_CELL_CHARS: usize = 32_000;
/// A longer edited text is written plain (a rich string's markup counts too).
const MAX_RICH_CHARS: usize = 16_000;

/// A list column with its own label (the list borrows it while the sheet is written).
struct Col {
    label: String,
    width: f64,
    center: bool,
}

fn list_columns(cols: &[Col]) -> Vec<ListColumn<'_>> {
    cols.iter()
        .map(|c| ListColumn {
            label: &c.label,
            width: c.width,
            center: c.center,
        })
        .collect()
}

/// The label of the indicator field playing `role` (`""` when none does).
fn role_label(shape: &Shape, role: Role) -> String {
    shape
        .indicator_role(role)
        .map_or(String::new(), |i| shape.indicator[i].label.clone())
}

/// The group columns of a list: a number key narrow, a name wider.
fn group_cols(shape: &Shape) -> Vec<(Col, GroupCol)> {
    group_columns(shape)
        .into_iter()
        .map(|(label, what)| {
            let width = match what {
                GroupCol::Key(l) if shape.group[shape.levels[l].key].numeric => 7.0,
                GroupCol::Key(_) => 12.0,
                GroupCol::Field(_) => 16.0,
            };
            let center = !matches!(what, GroupCol::Field(_));
            (
                Col {
                    label,
                    width,
                    center,
                },
                what,
            )
        })
        .collect()
}

/// The fill of a change's kind on the table and the lists (`None`: removed, greyed).
pub fn kind_color(kind: ChangeKind) -> Option<MarkColor> {
    match kind {
        ChangeKind::Added => Some(MarkColor::Added),
        ChangeKind::Removed => None,
        ChangeKind::Renamed => Some(MarkColor::Renamed),
        ChangeKind::Moved => Some(MarkColor::Moved),
        ChangeKind::Modified => Some(MarkColor::Modified),
    }
}

/// The note on a changed cell of `本年`: the kind and the prior value
/// (`[修改] 上年：10万人次`), and a value's change
/// (`；变化：+1万人次（+10.0%）`, see [`delta_text`]).
pub fn change_note(c: &Change, current: &Table) -> String {
    let shape: &Shape = &current.shape;
    let old = c.old.as_deref().unwrap_or("").trim();
    let old = if old.is_empty() { "（空）" } else { old };
    match c.kind {
        ChangeKind::Added if c.indicator.is_none() => {
            // The kind of group added: its level's name (职责).
            let level = match c.place {
                Some(Place::Group { field, .. }) => shape.group.get(field).map_or(0, |f| f.level),
                _ => shape.levels.len().saturating_sub(1),
            };
            let name = shape.levels.get(level).map_or("", |l| l.name.as_str());
            format!("[新增] 上年无此{name}")
        }
        ChangeKind::Added => "[新增] 上年无此指标".into(),
        ChangeKind::Moved if !c.labels.prior_group.is_empty() => {
            format!("[移动] 上年在{}下", c.labels.prior_group)
        }
        ChangeKind::Moved => format!("[移动] 上年在{old}下"),
        ChangeKind::Renamed => format!("[更名] 上年：{old}"),
        ChangeKind::Modified | ChangeKind::Removed => {
            let mut note = format!("[{}] 上年：{old}", c.kind.label());
            let delta = delta_text(c, current);
            if !delta.is_empty() {
                note.push_str(&format!("；变化：{delta}"));
            }
            note
        }
    }
}

/// Text as written to a cell: `\r\n` → `\n`, cut at Excel's limit.
fn cell_text(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    if s.chars().count() > MAX_CELL_CHARS {
        let mut t: String = s.chars().take(MAX_CELL_CHARS - 1).collect();
        t.push('…');
        t
    } else {
        s
    }
}

/// The first number written in a value (`2,500,000.00` → 2500000), if any.
fn leading_number(text: &str) -> Option<f64> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let digits: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .filter(|c| *c != ',')
        .collect();
    digits.parse().ok()
}

/// Whether a value is a bare number (`300.00`), with no unit of its own.
fn is_bare_number(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || c == '-')
}

/// The 变化 cell of a change, in the table's own scale: `+1万人次（+10.0%）`
/// for `10万人次` → `11万人次`; a percentage's change in points first
/// (`+5个百分点（+6.3%）`); an amount in the table's money unit (`300.00` →
/// `350.00` in a 万元 table: `+50万元（+16.7%）`); empty without a delta.
pub fn delta_text(c: &Change, current: &Table) -> String {
    let Some(d) = &c.delta else {
        return String::new();
    };
    let (old, new) = (
        c.old.as_deref().unwrap_or(""),
        c.new.as_deref().unwrap_or(""),
    );
    let shape: &Shape = &current.shape;
    let parsed = c.place.and_then(|p| {
        let parsed = match p {
            Place::Indicator {
                group,
                indicator,
                field,
            } => current
                .groups
                .get(group)?
                .indicators
                .get(indicator)?
                .parsed(field)?,
            Place::Form(i) => current.form.parsed(i)?,
            Place::Group { .. } => return None,
        };
        match parsed {
            Parsed::Quantity(q) => Some((q, shape.spec(p.field()).money)),
            _ => None,
        }
    });
    let unit = parsed.map_or("", |(q, _)| q.unit.as_str());
    // A bare amount is written in the table's money unit (万元): shown in it.
    let money_unit = shape
        .form_role(Role::MoneyUnit)
        .map(|i| current.form.text(i).trim())
        .filter(|u| !u.is_empty());
    let in_money_unit = match (parsed, money_unit) {
        (Some((q, true)), Some(mu)) if is_bare_number(new) => leading_number(new)
            .filter(|n| *n != 0.0)
            .map(|n| q.number / n)
            .filter(|f| *f > 1.5 && ((f.log10().round() - f.log10()).abs() < 1e-9))
            .map(|f| (mu, 10f64.powi(f.log10().round() as i32))),
        _ => None,
    };
    let mut s = match in_money_unit {
        Some((mu, factor)) if d.points.is_none() => d.amount_text(Some(("", factor)), mu),
        _ => d.amount_text(shared_scale(old, new), unit),
    };
    if let Some(p) = d.percent {
        s.push_str(&format!("（{}）", percent_text(p)));
    }
    s
}

/// One side of a character-level edit as runs of (changed, text): the old
/// side's unchanged and deleted text, or the new side's unchanged and inserted
/// text. Made easier to read than the raw edits: a number touched by an edit
/// is changed whole (`1~~0~~万` → `~~10~~万`), and an unchanged run of one or
/// two characters between changes joins them (no confetti in rewritten text).
pub fn side_runs(edits: &[Edit], old: bool) -> Vec<(bool, String)> {
    let mut chars: Vec<(char, bool)> = Vec::new();
    for e in edits {
        let (t, changed) = match (e, old) {
            (Edit::Same(t), _) => (t, false),
            (Edit::Deleted(t), true) | (Edit::Inserted(t), false) => (t, true),
            _ => continue,
        };
        chars.extend(t.chars().map(|c| (c, changed)));
    }
    // Numbers whole.
    let numeric = |c: char| c.is_ascii_digit() || c == '.' || c.is_numeric();
    let mut i = 0;
    while i < chars.len() {
        if !numeric(chars[i].0) {
            i += 1;
            continue;
        }
        let j = (i..chars.len())
            .find(|&k| !numeric(chars[k].0))
            .unwrap_or(chars.len());
        if chars[i..j].iter().any(|x| x.1) {
            chars[i..j].iter_mut().for_each(|x| x.1 = true);
        }
        i = j;
    }
    // Short unchanged runs between changes joined to them.
    let mut i = 0;
    while i < chars.len() {
        if chars[i].1 {
            i += 1;
            continue;
        }
        let j = (i..chars.len())
            .find(|&k| chars[k].1)
            .unwrap_or(chars.len());
        if i > 0 && j < chars.len() && j - i <= 2 && chars[i..j].iter().all(|x| x.0 != '\n') {
            chars[i..j].iter_mut().for_each(|x| x.1 = true);
        }
        i = j;
    }
    let mut runs: Vec<(bool, String)> = Vec::new();
    for (c, changed) in chars {
        match runs.last_mut() {
            Some((k, t)) if *k == changed => t.push(c),
            _ => runs.push((changed, c.to_string())),
        }
    }
    runs
}

/// Writes one side of an edited text over the plain text already in the
/// cell: a rich string when it has unchanged and changed parts; the whole
/// cell struck through (old) or green (new) when all of it changed; left as
/// written when nothing changed.
fn write_side(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    runs: &[(bool, String)],
    old: bool,
    styles: &Styles,
) -> Result<(), WriteError> {
    let changed_fmt = if old {
        &styles.rich_deleted
    } else {
        &styles.rich_inserted
    };
    match runs {
        [] | [(false, _)] => Ok(()),
        [(true, t)] => {
            let whole = if old {
                &styles.list_deleted
            } else {
                &styles.list_inserted
            };
            ws.write_string_with_format(row, col, t, whole)
                .map(|_| ())
                .map_err(xe)
        }
        _ => {
            let segs: Vec<(&Format, &str)> = runs
                .iter()
                .map(|(changed, t)| {
                    let f = if *changed {
                        changed_fmt
                    } else {
                        &styles.rich_plain
                    };
                    (f, t.as_str())
                })
                .collect();
            ws.write_rich_string_with_format(row, col, &segs, &styles.list_text)
                .map(|_| ())
                .map_err(xe)
        }
    }
}

/// One pair as the sheets write it: its two tables (an empty table for an
/// absent side), its report, its name, and where its current table was
/// written (none for a table found last year only).
#[derive(Clone, Copy)]
struct View<'a> {
    prior: &'a Table,
    current: &'a Table,
    diff: &'a DiffReport,
    /// The pair named for people (the 表格 column of several pairs).
    label: &'a str,
    /// Both sides are there.
    paired: bool,
    sheet: Option<Placed<'a>>,
}

/// Where a pair's current table went: its sheet, its layout, and the A1 row
/// of each removed change under it.
#[derive(Clone, Copy)]
struct Placed<'a> {
    name: &'a str,
    layout: &'a TableLayout,
    removed_rows: &'a HashMap<usize, String>,
}

impl View<'_> {
    /// Where a change of this pair is shown: (A1 text, link target) on its 本年 sheet.
    fn link(&self, ix: usize, c: &Change) -> Option<(String, String)> {
        let placed = self.sheet?;
        let a1 = match c.place {
            Some(p) => placed.layout.a1(&p)?,
            None => placed.removed_rows.get(&ix)?.clone(),
        };
        let target = sheet_ref(placed.name, &a1);
        Some((a1, target))
    }
}

/// Writes a pair's current table on `ws`: changes and findings marked, the
/// removed indicators under it. Returns its layout and the removed rows.
fn write_current_sheet(
    ws: &mut Worksheet,
    prior: &Table,
    current: &Table,
    diff: &DiffReport,
    findings: &Report,
    template: &Template,
    styles: &Styles,
) -> Result<(TableLayout, HashMap<usize, String>), WriteError> {
    let sorted = sorted_findings(findings);
    let mut marks: Vec<Mark> = change_marks(current, diff);
    marks.extend(finding_marks(&sorted));
    let layout = write_table_sheet(ws, current, template, &marks, styles)?;
    let (removed_rows, next) = write_removed_block(ws, prior, diff, template, &layout, styles)?;
    let mut legend: Vec<(&str, MarkColor, &str)> = CHANGE_LEGEND.to_vec();
    legend.extend(FINDING_LEGEND);
    write_color_legend(ws, next + 1, layout.last_col, &legend, styles)?;
    Ok((layout, removed_rows))
}

/// The diff workbook (see the module docs): `prior` and `current` as read,
/// `diff` their comparison, `findings` the validation of `current`.
///
/// # Errors
///
/// [`WriteError::Xlsx`] when rust_xlsxwriter refuses the workbook.
///
/// ```
/// use jixiao::{diff, diff_workbook, read_file, validate, ReadOptions, Template};
/// let templates = Template::builtins();
/// let opts = ReadOptions { sheet: None, templates: &templates };
/// let last = read_file("examples/linyi-education-2022.xlsx".as_ref(), &opts)?;
/// let this = read_file("examples/linyi-education-2023.xlsx".as_ref(), &opts)?;
/// let changes = diff(&last, &this);
/// let findings = validate(&this, &templates[0], Some(&last));
/// let xlsx = diff_workbook(&last, &this, &changes, &findings, &templates[0])?;
/// assert!(xlsx.starts_with(b"PK"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn diff_workbook(
    prior: &Table,
    current: &Table,
    diff: &DiffReport,
    findings: &Report,
    template: &Template,
) -> Result<Vec<u8>, WriteError> {
    let styles = Styles::official();
    let mut wb = new_workbook(&format!("{}（与上年对比）", current.title));

    // 本年 first: the other sheets link into it.
    let mut table_ws = Worksheet::new();
    table_ws.set_name(CURRENT_SHEET).map_err(xe)?;
    let (layout, removed_rows) = write_current_sheet(
        &mut table_ws,
        prior,
        current,
        diff,
        findings,
        template,
        &styles,
    )?;
    let view = View {
        prior,
        current,
        diff,
        label: "",
        paired: true,
        sheet: Some(Placed {
            name: CURRENT_SHEET,
            layout: &layout,
            removed_rows: &removed_rows,
        }),
    };

    let mut summary_ws = Worksheet::new();
    summary_ws.set_name(DIFF_SUMMARY_SHEET).map_err(xe)?;
    write_summary_sheet(&mut summary_ws, prior, current, diff, findings, &styles)?;

    let mut changes_ws = Worksheet::new();
    changes_ws.set_name(CHANGES_SHEET).map_err(xe)?;
    write_changes_sheet(&mut changes_ws, &[view], &styles)?;

    let mut attain_ws = Worksheet::new();
    attain_ws.set_name(ATTAINMENT_SHEET).map_err(xe)?;
    write_attainment_sheet(&mut attain_ws, &[view], &styles)?;

    let mut findings_ws = Worksheet::new();
    findings_ws.set_name(FINDINGS_SHEET).map_err(xe)?;
    let extras: Vec<&Extra> = current.extras.iter().collect();
    write_findings_sheet(
        &mut findings_ws,
        &[FindingsOf {
            table: current,
            report: findings,
            layout: &layout,
            sheet: CURRENT_SHEET,
        }],
        &extras,
        &styles,
    )?;

    wb.push_worksheet(summary_ws);
    wb.push_worksheet(changes_ws);
    wb.push_worksheet(table_ws);
    wb.push_worksheet(attain_ws);
    wb.push_worksheet(findings_ws);
    if !current.extras.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(EXTRAS_SHEET).map_err(xe)?;
        write_extras_sheet(ws, &extras, &styles)?;
    }
    save_owned(wb)
}

/// The table standing for an absent side: the other side's shape, nothing in it.
fn empty_like(t: &Table) -> Table {
    Table::new(t.shape.clone())
}

/// A validation that found nothing (of a table that is not there).
fn no_findings(t: &Table) -> Report {
    Report {
        schema: crate::validate::VALIDATION_SCHEMA.into(),
        path: t.source.path.clone(),
        errors: 0,
        warnings: 0,
        issues: Vec::new(),
    }
}

/// The diff workbook of the pairs of two workbooks or folders
/// ([`crate::diff::pair_tables`], in that order). One pair: exactly
/// [`diff_workbook`]. Several:
/// - `变更汇总`: a row per pair (its name, 两年都有 / 新增表 / 删除表, the counts
///   by kind, the current table's findings, the pair's warnings, links to its
///   table sheet and its first row on 变更明细) and the totals; the legend;
/// - `变更明细`: every pair's changes, a 表格 column naming the pair;
/// - one sheet per current table (named after the table's sheet, unique, at
///   most 31 characters), as `本年` is for one pair; a table found last year
///   only has none (its changes are listed on 变更明细);
/// - `目标完成` for the pairs whose template has targets and 上年值, when any;
/// - `校验结果` of every current table; `其他内容` of all, when any.
pub fn diff_workbook_of_pairs(pairs: &[WorkbookPair<'_>]) -> Result<Vec<u8>, WriteError> {
    match pairs {
        [] => Err(WriteError::NoTables),
        [one] => {
            let (prior, current) = match (one.prior, one.current) {
                (Some(p), Some(c)) => (p.clone(), c.clone()),
                (Some(p), None) => (p.clone(), empty_like(p)),
                (None, Some(c)) => (empty_like(c), c.clone()),
                (None, None) => return Err(WriteError::NoTables),
            };
            let findings = one
                .findings
                .cloned()
                .unwrap_or_else(|| no_findings(&current));
            diff_workbook(&prior, &current, one.report, &findings, one.template)
        }
        _ => {
            // A pair has at least one side (pair_tables never gives neither).
            let pairs: Vec<WorkbookPair<'_>> = pairs
                .iter()
                .filter(|p| p.prior.is_some() || p.current.is_some())
                .copied()
                .collect();
            several_pairs_workbook(&pairs)
        }
    }
}

/// The sheets reserved in a diff workbook of several pairs (no table sheet takes their names).
const RESERVED_SHEETS: [&str; 6] = [
    DIFF_SUMMARY_SHEET,
    CHANGES_SHEET,
    CURRENT_SHEET,
    ATTAINMENT_SHEET,
    FINDINGS_SHEET,
    EXTRAS_SHEET,
];

/// The sheet of each current table: its source sheet's name made a valid,
/// unique sheet name (see [`table_sheet_names`]).
fn pair_sheet_names(tables: &[&Table]) -> Vec<String> {
    match tables {
        // table_sheet_names names a lone table 绩效目标表; here it keeps its own.
        [one] => table_sheet_names(&[one, one], &RESERVED_SHEETS)
            .into_iter()
            .take(1)
            .collect(),
        _ => table_sheet_names(tables, &RESERVED_SHEETS),
    }
}

fn several_pairs_workbook(pairs: &[WorkbookPair<'_>]) -> Result<Vec<u8>, WriteError> {
    let styles = Styles::official();
    // The empty counterparts of absent sides, owned here.
    let empties: Vec<Option<Table>> = pairs
        .iter()
        .map(|p| match (p.prior, p.current) {
            (Some(_), Some(_)) => None,
            (Some(t), None) | (None, Some(t)) => Some(empty_like(t)),
            (None, None) => None,
        })
        .collect();
    let sides: Vec<Option<(&Table, &Table)>> = pairs
        .iter()
        .zip(&empties)
        .map(|(p, e)| match (p.prior, p.current, e) {
            (Some(a), Some(b), _) => Some((a, b)),
            (Some(a), None, Some(e)) => Some((a, e)),
            (None, Some(b), Some(e)) => Some((e, b)),
            _ => None,
        })
        .collect();
    let currents: Vec<&Table> = pairs.iter().filter_map(|p| p.current).collect();
    let names = pair_sheet_names(&currents);
    let title = pairs
        .iter()
        .find_map(|p| p.current.or(p.prior))
        .map_or(String::new(), |t| t.title.clone());
    let mut wb = new_workbook(&format!("{title}（与上年对比）"));

    // The current tables' findings (none found for a table given without).
    let own_findings: Vec<Option<Report>> = pairs
        .iter()
        .map(|p| match (p.current, p.findings) {
            (Some(c), None) => Some(no_findings(c)),
            _ => None,
        })
        .collect();
    let findings_of: Vec<Option<&Report>> = pairs
        .iter()
        .zip(&own_findings)
        .map(|(p, own)| p.current.and(p.findings.or(own.as_ref())))
        .collect();

    // The table sheets first: the other sheets link into them.
    let mut table_sheets: Vec<Worksheet> = Vec::new();
    // Per pair with a current table: its sheet's name, layout and removed rows.
    let mut written: Vec<Option<Written>> = Vec::new();
    let mut next_name = names.iter();
    for ((p, s), findings) in pairs.iter().zip(&sides).zip(&findings_of) {
        let (Some(current), Some((prior, _)), Some(findings)) = (p.current, s, findings) else {
            written.push(None);
            continue;
        };
        let name = next_name.next().cloned().unwrap_or_default();
        let mut ws = Worksheet::new();
        ws.set_name(&name).map_err(xe)?;
        let (layout, removed) = write_current_sheet(
            &mut ws, prior, current, p.report, findings, p.template, &styles,
        )?;
        table_sheets.push(ws);
        written.push(Some((name, layout, removed)));
    }
    let views: Vec<View<'_>> = pairs
        .iter()
        .zip(&sides)
        .zip(&written)
        .filter_map(|((p, s), w)| {
            let (prior, current) = (*s)?;
            Some(View {
                prior,
                current,
                diff: p.report,
                label: p.label,
                paired: p.prior.is_some() && p.current.is_some(),
                sheet: w.as_ref().map(|(name, layout, removed_rows)| Placed {
                    name,
                    layout,
                    removed_rows,
                }),
            })
        })
        .collect();

    let mut changes_ws = Worksheet::new();
    changes_ws.set_name(CHANGES_SHEET).map_err(xe)?;
    let first_rows = write_changes_sheet(&mut changes_ws, &views, &styles)?;

    let mut summary_ws = Worksheet::new();
    summary_ws.set_name(DIFF_SUMMARY_SHEET).map_err(xe)?;
    let rows: Vec<PairRow<'_>> = pairs
        .iter()
        .zip(&written)
        .zip(&findings_of)
        .enumerate()
        .map(|(k, ((p, w), f))| PairRow {
            pair: p,
            sheet: w.as_ref().map(|(n, _, _)| n.as_str()),
            findings: *f,
            changes_row: first_rows.get(k).copied().flatten(),
        })
        .collect();
    write_pairs_summary_sheet(&mut summary_ws, &rows, &views, &styles)?;

    let with_targets: Vec<View<'_>> = views
        .iter()
        .filter(|v| v.paired && has_attainment(v.current) && has_attainment(v.prior))
        .copied()
        .collect();

    wb.push_worksheet(summary_ws);
    wb.push_worksheet(changes_ws);
    for ws in table_sheets {
        wb.push_worksheet(ws);
    }
    if !with_targets.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(ATTAINMENT_SHEET).map_err(xe)?;
        write_attainment_sheet(ws, &with_targets, &styles)?;
    }
    let extras = all_extras(&currents, &[]);
    let of: Vec<FindingsOf<'_>> = pairs
        .iter()
        .zip(&written)
        .zip(&findings_of)
        .filter_map(|((p, w), f)| {
            let (name, layout, _) = w.as_ref()?;
            Some(FindingsOf {
                table: p.current?,
                report: (*f)?,
                layout,
                sheet: name,
            })
        })
        .collect();
    let ws = wb.add_worksheet();
    ws.set_name(FINDINGS_SHEET).map_err(xe)?;
    write_findings_sheet(ws, &of, &extras, &styles)?;
    if !extras.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(EXTRAS_SHEET).map_err(xe)?;
        write_extras_sheet(ws, &extras, &styles)?;
    }
    save_owned(wb)
}

/// A current table written on its sheet: the sheet's name, the layout, the removed rows.
type Written = (String, TableLayout, HashMap<usize, String>);

/// Whether a table's template has what 目标完成 compares: a target and a 上年值.
fn has_attainment(t: &Table) -> bool {
    t.shape.indicator_role(Role::Target).is_some()
        && t.shape.indicator_role(Role::HistoryLast).is_some()
}

/// A pair's row on the 变更汇总 of several pairs.
struct PairRow<'a> {
    pair: &'a WorkbookPair<'a>,
    /// Its current table's sheet.
    sheet: Option<&'a str>,
    findings: Option<&'a Report>,
    /// Its first row (0-based) on 变更明细, when it has changes.
    changes_row: Option<u32>,
}

/// One mark per change that has a place on the current table; an added
/// group also marks each of its indicators' names (for an outer level, the
/// indicators of every group of that level's run).
fn change_marks(current: &Table, diff: &DiffReport) -> Vec<Mark> {
    let shape: &Shape = &current.shape;
    let name = shape.indicator_role(Role::Name);
    let mut marks = Vec::new();
    for c in &diff.changes {
        let (Some(place), Some(color)) = (c.place, kind_color(c.kind)) else {
            continue;
        };
        marks.push(Mark {
            place,
            color,
            note: change_note(c, current),
        });
        let (ChangeKind::Added, None, Place::Group { group, field }, Some(name)) =
            (c.kind, &c.indicator, place, name)
        else {
            continue;
        };
        let level = shape.group.get(field).map_or(0, |f| f.level);
        let Some(lv) = shape.levels.get(level) else {
            continue;
        };
        let key = current.groups.get(group).map_or("", |g| g.text(lv.key));
        let inner = level + 1 >= shape.levels.len();
        let note = format!("[新增] 新增{}的指标", lv.name);
        for gi in group..current.groups.len() {
            let g = &current.groups[gi];
            if gi > group && (inner || g.text(lv.key) != key) {
                break;
            }
            for i in 0..g.indicators.len() {
                marks.push(Mark {
                    place: Place::Indicator {
                        group: gi,
                        indicator: i,
                        field: name,
                    },
                    color,
                    note: note.clone(),
                });
            }
        }
    }
    marks
}

/// Where one change's group is counted on the summary: a current group, or a
/// prior group that is gone.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum GroupKey {
    Current(usize),
    Removed(usize),
}

fn group_key(c: &Change, diff: &DiffReport) -> Option<GroupKey> {
    if let Some(p) = c.place {
        return p.group().map(GroupKey::Current);
    }
    let pg = c.prior_place?.group()?;
    Some(match diff.matching.prior_group.get(pg).copied().flatten() {
        Some(cg) => GroupKey::Current(cg),
        None => GroupKey::Removed(pg),
    })
}

/// The kinds in the order the summary lists them, with what each means
/// (`{g}`: what a group of the innermost level is called, 职责).
const KINDS: [(ChangeKind, &str); 5] = [
    (ChangeKind::Added, "本年新增的指标或{g}"),
    (ChangeKind::Removed, "上年有、本年没有的指标或{g}"),
    (
        ChangeKind::Renamed,
        "同一指标改了名称（按指标解释、数值、位置判断）",
    ),
    (ChangeKind::Moved, "指标调整到了另一项{g}下"),
    (
        ChangeKind::Modified,
        "指标或{g}的某一栏内容有改动（每栏一条）",
    ),
];

/// What a group of the innermost level is called (职责, 二级指标).
fn group_word(shape: &Shape) -> &str {
    shape.levels.last().map_or("分组", |l| l.name.as_str())
}

/// The columns naming a group in the lists: per level its key (职责序号; 一级指标,
/// 二级指标) and, where the key is a number, the level's name field after it
/// (部门职责). Each: heading and what it shows.
fn group_columns(shape: &Shape) -> Vec<(String, GroupCol)> {
    let mut out = Vec::new();
    for (l, lv) in shape.levels.iter().enumerate() {
        let key = &shape.group[lv.key];
        out.push((key.label.clone(), GroupCol::Key(l)));
        if key.role == Some(Role::GroupId) {
            if let Some(n) = shape.group_role(l, Role::GroupName) {
                out.push((shape.group[n].label.clone(), GroupCol::Field(n)));
            }
        }
    }
    out
}

/// What a group column shows.
#[derive(Clone, Copy)]
enum GroupCol {
    /// The value naming the group at this level.
    Key(usize),
    /// The text of this group field.
    Field(usize),
}

/// A group field's text as the lists show it (a number where the field is numeric).
fn group_text(shape: &Shape, g: &crate::model::Group, field: usize) -> String {
    let text = g.text(field);
    if shape.group.get(field).is_some_and(|f| f.numeric) {
        Seq::from_text(text).to_string()
    } else {
        text.to_string()
    }
}

fn kind_index(k: ChangeKind) -> usize {
    KINDS.iter().position(|(x, _)| *x == k).unwrap_or(0)
}

fn kind_count(diff: &DiffReport, k: ChangeKind) -> usize {
    let s = &diff.summary;
    match k {
        ChangeKind::Added => s.added,
        ChangeKind::Removed => s.removed,
        ChangeKind::Renamed => s.renamed,
        ChangeKind::Moved => s.moved,
        ChangeKind::Modified => s.modified,
    }
}

fn side_text(title: &str, year: Option<i32>) -> String {
    let title = if title.is_empty() {
        "（无标题）"
    } else {
        title
    };
    match year {
        Some(y) => format!("{title}（{y}年）"),
        None => format!("{title}（年份不详）"),
    }
}

/// The 变更汇总 sheet.
/// The last row of a summary sheet (the guide to the other sheets, merged
/// over the width) and its page setup: A4 landscape, one page when it is
/// short enough to stay legible (the legend not cut from its heading), else
/// one page wide.
fn finish_summary_sheet(
    ws: &mut Worksheet,
    r: u32,
    guide: &str,
    last_col: u16,
    width: f64,
    styles: &Styles,
    mut heights: RowHeights,
) -> Result<(), WriteError> {
    ws.merge_range(r, 0, r, last_col, "", &styles.note_wrap)
        .map_err(xe)?;
    ws.write_string_with_format(r, 0, guide, &styles.note_wrap)
        .map_err(xe)?;
    heights.need(r, text_height(guide, width, DATA_SIZE));
    heights.apply(ws)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, if r < SUMMARY_ONE_PAGE_ROWS { 1 } else { 0 });
    ws.set_print_center_horizontally(true);
    ws.set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// A list's heading row at `r` (bold, grey); returns the row after it.
fn write_header_row(
    ws: &mut Worksheet,
    r: u32,
    header: &[&str],
    styles: &Styles,
    heights: &mut RowHeights,
) -> Result<u32, WriteError> {
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &styles.list_header)
            .map_err(xe)?;
    }
    heights.need(r, 20.0);
    Ok(r + 1)
}

/// Label / value rows from `r` on (a label in A, its text merged over B to
/// `last_col`, `wide` characters wide); returns the row after them.
fn write_info_rows<L: AsRef<str>, V: AsRef<str>>(
    ws: &mut Worksheet,
    mut r: u32,
    info: &[(L, V)],
    last_col: u16,
    wide: f64,
    styles: &Styles,
    heights: &mut RowHeights,
) -> Result<u32, WriteError> {
    for (label, value) in info {
        let value = value.as_ref();
        ws.write_string_with_format(r, 0, label.as_ref(), &styles.label)
            .map_err(xe)?;
        ws.merge_range(r, 1, r, last_col, "", &styles.list_text)
            .map_err(xe)?;
        ws.write_string_with_format(r, 1, cell_text(value), &styles.list_text)
            .map_err(xe)?;
        heights.need(r, text_height(value, wide, DATA_SIZE).max(18.0));
        r += 1;
    }
    Ok(r)
}

/// The 注意 row at `r`: why the pair looks wrong ([`crate::diff::pair_warnings`]),
/// one line each, amber; returns the row after it.
fn write_warning_row(
    ws: &mut Worksheet,
    r: u32,
    warnings: &[String],
    last_col: u16,
    wide: f64,
    styles: &Styles,
    heights: &mut RowHeights,
) -> Result<u32, WriteError> {
    let text = warnings.join("\n");
    let fmt = styles.list_marked_center(MarkColor::Warning);
    ws.write_string_with_format(r, 0, "注意", fmt).map_err(xe)?;
    ws.merge_range(r, 1, r, last_col, "", &styles.list_text)
        .map_err(xe)?;
    ws.write_string_with_format(r, 1, cell_text(&text), &styles.list_text)
        .map_err(xe)?;
    heights.need(r, text_height(&text, wide, DATA_SIZE).max(18.0));
    Ok(r + 1)
}

fn write_summary_sheet(
    ws: &mut Worksheet,
    prior: &Table,
    current: &Table,
    diff: &DiffReport,
    findings: &Report,
    styles: &Styles,
) -> Result<(), WriteError> {
    // A: labels / seq, B: texts, C..H: counts.
    let widths = [12.0, 48.0, 8.0, 8.0, 8.0, 8.0, 8.0, 8.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xe)?;
    }
    let last_col = widths.len() as u16 - 1;
    let wide: f64 = widths[1..].iter().sum();
    let mut heights = RowHeights::new();

    // Whose tables, between which years.
    let dept = current.department.as_deref().unwrap_or("").trim();
    let years = match (prior.year, current.year) {
        (Some(a), Some(b)) => format!("{a}→{b} "),
        _ => String::new(),
    };
    let title = format!("{dept} {years}绩效目标表年度对比");
    ws.write_string_with_format(0, 0, title.trim_start(), &styles.sheet_title)
        .map_err(xe)?;
    ws.set_row_height(0, 26.0).map_err(xe)?;

    // The two tables.
    let mut r = 2u32;
    let info = [
        ("上年表格", side_text(&diff.prior.title, diff.prior.year)),
        ("上年文件", diff.prior.path.clone()),
        (
            "本年表格",
            side_text(&diff.current.title, diff.current.year),
        ),
        ("本年文件", diff.current.path.clone()),
        (
            "本年校验",
            if findings.issues.is_empty() {
                "未发现问题".to_string()
            } else {
                format!(
                    "错误 {} 项，警告 {} 项（见“{FINDINGS_SHEET}”）",
                    findings.errors, findings.warnings
                )
            },
        ),
    ];
    r = write_info_rows(ws, r, &info, last_col, wide, styles, &mut heights)?;
    // What looks wrong with the pair (years swapped, two departments, one file twice).
    if !diff.warnings.is_empty() {
        r = write_warning_row(ws, r, &diff.warnings, last_col, wide, styles, &mut heights)?;
    }

    // Counts by kind.
    r += 1;
    ws.write_string_with_format(r, 0, "变更数量", &styles.block_title)
        .map_err(xe)?;
    heights.need(r, 20.0);
    r += 1;
    ws.write_string_with_format(r, 0, "类型", &styles.list_header)
        .map_err(xe)?;
    ws.write_string_with_format(r, 1, "含义", &styles.list_header)
        .map_err(xe)?;
    ws.merge_range(r, 2, r, 3, "数量", &styles.list_header)
        .map_err(xe)?;
    heights.need(r, 20.0);
    r += 1;
    let shape: &Shape = &current.shape;
    let word = group_word(shape);
    let mut kind_rows: Vec<(&str, String, usize, &Format)> = KINDS
        .iter()
        .map(|(k, what)| {
            let fmt = match kind_color(*k) {
                Some(c) => styles.list_marked_center(c),
                None => &styles.grey_center,
            };
            (
                k.label(),
                what.replace("{g}", word),
                kind_count(diff, *k),
                fmt,
            )
        })
        .collect();
    kind_rows.push((
        "未变",
        "两年都有、内容完全相同的指标（个数）".to_string(),
        diff.summary.unchanged,
        &styles.list_center,
    ));
    for (label, what, n, fmt) in kind_rows {
        let what = what.as_str();
        ws.write_string_with_format(r, 0, label, fmt).map_err(xe)?;
        ws.write_string_with_format(r, 1, what, &styles.list_text)
            .map_err(xe)?;
        ws.merge_range(r, 2, r, 3, "", &styles.list_number)
            .map_err(xe)?;
        ws.write_number_with_format(r, 2, n as f64, &styles.list_number)
            .map_err(xe)?;
        heights.need(r, text_height(what, widths[1], DATA_SIZE).max(18.0));
        r += 1;
    }

    // Counts by group (the innermost level: 职责, 二级指标).
    r += 1;
    ws.write_string_with_format(r, 0, format!("按{word}统计"), &styles.block_title)
        .map_err(xe)?;
    heights.need(r, 20.0);
    r += 1;
    let gcols = group_columns(shape);
    let split = |t: &Table, g: &crate::model::Group| -> (String, String) {
        let texts: Vec<String> = gcols
            .iter()
            .map(|(_, c)| match *c {
                GroupCol::Key(l) => group_text(&t.shape, g, t.shape.levels[l].key),
                GroupCol::Field(f) => group_text(&t.shape, g, f),
            })
            .collect();
        match texts.split_first() {
            Some((a, rest)) => (a.clone(), rest.join("/")),
            None => (String::new(), String::new()),
        }
    };
    let headings: Vec<&str> = gcols.iter().map(|(h, _)| h.as_str()).collect();
    let (head_a, head_b) = match headings.split_first() {
        Some((a, rest)) => (a.to_string(), rest.join("/")),
        None => (String::new(), String::new()),
    };
    let header = [
        head_a.as_str(),
        head_b.as_str(),
        "新增",
        "删除",
        "更名",
        "移动",
        "修改",
        "未变",
    ];
    r = write_header_row(ws, r, &header, styles, &mut heights)?;
    let mut counts: HashMap<GroupKey, [usize; 6]> = HashMap::new();
    for c in &diff.changes {
        if let Some(k) = group_key(c, diff) {
            counts.entry(k).or_default()[kind_index(c.kind)] += 1;
        }
    }
    let changed: HashSet<(usize, usize)> = diff
        .changes
        .iter()
        .filter_map(|c| c.place.and_then(|p| Some((p.group()?, p.indicator()?))))
        .collect();
    for p in &diff.matching.pairs {
        if !changed.contains(&(p.current.group, p.current.indicator)) {
            counts
                .entry(GroupKey::Current(p.current.group))
                .or_default()[5] += 1;
        }
    }
    let mut group_rows: Vec<(String, String, GroupKey)> = current
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let (a, b) = split(current, g);
            (a, b, GroupKey::Current(i))
        })
        .collect();
    for (i, g) in prior.groups.iter().enumerate() {
        if counts.contains_key(&GroupKey::Removed(i)) {
            let (a, b) = split(prior, g);
            group_rows.push((a, format!("{b}（上年，已删除）"), GroupKey::Removed(i)));
        }
    }
    let mut total = [0usize; 6];
    for (seq, name, key) in &group_rows {
        let n = counts.get(key).copied().unwrap_or_default();
        let removed = matches!(key, GroupKey::Removed(_));
        let (cf, tf) = if removed {
            (&styles.grey_center, &styles.grey)
        } else {
            (&styles.list_center, &styles.list_text)
        };
        ws.write_string_with_format(r, 0, seq, cf).map_err(xe)?;
        ws.write_string_with_format(r, 1, cell_text(name), tf)
            .map_err(xe)?;
        for (k, v) in n.iter().enumerate() {
            total[k] += v;
            let c = 2 + k as u16;
            if *v == 0 {
                ws.write_blank(r, c, &styles.list_number).map_err(xe)?;
            } else {
                ws.write_number_with_format(r, c, *v as f64, &styles.list_number)
                    .map_err(xe)?;
            }
        }
        heights.need(r, text_height(name, widths[1], DATA_SIZE).max(18.0));
        r += 1;
    }
    ws.write_string_with_format(r, 0, "合计", &styles.label)
        .map_err(xe)?;
    ws.write_blank(r, 1, &styles.list_text).map_err(xe)?;
    for (k, v) in total.iter().enumerate() {
        ws.write_number_with_format(r, 2 + k as u16, *v as f64, &styles.list_number)
            .map_err(xe)?;
    }
    heights.need(r, 18.0);
    r += 2;

    // Legend.
    let key_label = shape
        .levels
        .last()
        .map_or(String::new(), |l| shape.group[l.key].label.clone());
    r = write_legend(
        ws,
        r,
        last_col,
        wide,
        word,
        &key_label,
        "“本年”",
        &mut heights,
        styles,
    )?;

    // What the other sheets are.
    let guide = format!(
        "工作表：“{CHANGES_SHEET}”每项变更一行，可筛选，点“本年单元格”跳到标注处；“{CURRENT_SHEET}”为本年表格（按官方格式），变更与校验问题已标色并加批注；“{ATTAINMENT_SHEET}”比较上年目标与本年填报的上年实际值；“{FINDINGS_SHEET}”为本年表格的校验结果。"
    );
    finish_summary_sheet(ws, r, &guide, last_col, wide + widths[0], styles, heights)
}

/// Writes the colour legend and the text-highlighting sample on a summary
/// sheet from row `r` (labels in column A, texts merged over B..`last_col`,
/// `wide` their width); `word` names a group (职责), `key_label` its key
/// (职责序号), `tables` the table sheets (`“本年”`). Returns the row after it
/// and a blank row.
#[allow(clippy::too_many_arguments)]
fn write_legend(
    ws: &mut Worksheet,
    mut r: u32,
    last_col: u16,
    wide: f64,
    word: &str,
    key_label: &str,
    tables: &str,
    heights: &mut RowHeights,
    styles: &Styles,
) -> Result<u32, WriteError> {
    ws.write_string_with_format(r, 0, "颜色说明", &styles.block_title)
        .map_err(xe)?;
    heights.need(r, 20.0);
    r += 1;
    let legend: [(&str, Option<MarkColor>, &str); 7] = [
        (
            "修改",
            Some(MarkColor::Modified),
            "{t}中内容有改动的单元格；批注里是上年的内容",
        ),
        (
            "新增",
            Some(MarkColor::Added),
            "本年新增的指标（名称单元格）或{g}",
        ),
        (
            "更名",
            Some(MarkColor::Renamed),
            "改了名称的指标（名称单元格，批注里是上年名称）",
        ),
        (
            "移动",
            Some(MarkColor::Moved),
            "调整到另一项{g}下的指标（名称单元格，批注里是上年的{k}）",
        ),
        (
            "删除",
            None,
            "上年有、本年没有的指标：列在{t}表格下方“已删除的指标”中（灰色）",
        ),
        (
            "错误",
            Some(MarkColor::Error),
            "本年表格的校验错误（优先于变更颜色显示；批注里是说明）",
        ),
        (
            "警告",
            Some(MarkColor::Warning),
            "本年表格的校验警告，请核实（优先于变更颜色显示）",
        ),
    ];
    for (label, color, what) in legend {
        let what = what
            .replace("{g}", word)
            .replace("{k}", key_label)
            .replace("{t}", tables);
        let what = what.as_str();
        let fmt = match color {
            Some(c) => styles.list_marked_center(c),
            None => &styles.grey_center,
        };
        ws.write_string_with_format(r, 0, label, fmt).map_err(xe)?;
        ws.merge_range(r, 1, r, last_col, "", &styles.list_text)
            .map_err(xe)?;
        ws.write_string_with_format(r, 1, what, &styles.list_text)
            .map_err(xe)?;
        heights.need(r, text_height(what, wide, DATA_SIZE).max(18.0));
        r += 1;
    }
    // The character-level highlighting, shown as it looks.
    ws.write_string_with_format(r, 0, "文字改动", &styles.list_center)
        .map_err(xe)?;
    ws.merge_range(r, 1, r, last_col, "", &styles.list_text)
        .map_err(xe)?;
    let sample = [
        (&styles.rich_plain, "“变更明细”的上年、本年两栏中："),
        (&styles.rich_deleted, "删去的文字"),
        (&styles.rich_plain, "（红色删除线，在上年栏）、"),
        (&styles.rich_inserted, "新加的文字"),
        (&styles.rich_plain, "（绿色加粗下划线，在本年栏）"),
    ];
    ws.write_rich_string_with_format(r, 1, &sample, &styles.list_text)
        .map_err(xe)?;
    heights.need(r, 20.0);
    r += 2;
    Ok(r)
}

/// A group field's text for a change: the current table's group (the prior's
/// for a change with no place); `""` for a form field's change.
fn change_group_text(c: &Change, prior: &Table, current: &Table, field: usize) -> String {
    let (t, p) = match (c.place, c.prior_place) {
        (Some(p), _) => (current, p),
        (None, Some(p)) => (prior, p),
        _ => return String::new(),
    };
    p.group()
        .and_then(|g| t.groups.get(g))
        .map(|g| group_text(&t.shape, g, field))
        .unwrap_or_default()
}

/// What the 上年 (`old`) or 本年 column of 变更明细 shows for a change: the
/// changed text; for a moved indicator, the group it sat in and sits in, by
/// number and name (`上年：4 教育管理…`); for an added (removed) indicator,
/// on the side that has it, its name and target (a whole group: its name).
fn change_side(c: &Change, prior: &Table, current: &Table, old: bool) -> String {
    let text = if old { &c.old } else { &c.new };
    let (t, place) = if old {
        (prior, c.prior_place)
    } else {
        (current, c.place)
    };
    let group = place.and_then(|p| p.group()).and_then(|g| t.groups.get(g));
    let group_name = || -> String {
        let level = t.shape.levels.len().saturating_sub(1);
        t.shape
            .group_role(level, Role::GroupName)
            .zip(group)
            .map(|(f, g)| g.text(f).trim().to_string())
            .unwrap_or_default()
    };
    match (c.kind, text) {
        (ChangeKind::Moved, Some(id)) => {
            let name = group_name();
            let side = if old { "上年" } else { "本年" };
            if name.is_empty() || crate::text::same_text_key(&name, id) {
                format!("{side}：{id}")
            } else {
                format!("{side}：{id} {name}")
            }
        }
        (ChangeKind::Added | ChangeKind::Removed, None) => {
            let ind = place
                .and_then(|p| p.indicator())
                .zip(group)
                .and_then(|(i, g)| g.indicators.get(i));
            match ind {
                Some(ind) => {
                    let name = ind.text_of(&t.shape, Role::Name).trim();
                    let target = t
                        .shape
                        .indicator_role(Role::Target)
                        .map(|f| (t.shape.indicator[f].label.as_str(), ind.text(f).trim()));
                    match target {
                        Some((label, value)) if !value.is_empty() => {
                            format!("{name}\n{label}：{value}")
                        }
                        _ => name.to_string(),
                    }
                }
                None => group_name(),
            }
        }
        (_, Some(text)) => text.clone(),
        (_, None) => String::new(),
    }
}

/// The 变更明细 sheet: every change of every pair, in pair order (with
/// several pairs, a first 表格 column names each change's pair). Returns, per
/// view, the row (0-based) of its first change.
fn write_changes_sheet(
    ws: &mut Worksheet,
    views: &[View<'_>],
    styles: &Styles,
) -> Result<Vec<Option<u32>>, WriteError> {
    // Without table sheets (collect --prior's detail), no link column, and every row names its pair.
    let linked = views.iter().any(|v| v.sheet.is_some());
    let several = views.len() > 1 || !linked;
    let mut s = crate::diff::Summary::default();
    let mut total = 0;
    for v in views {
        let x = &v.diff.summary;
        s.added += x.added;
        s.removed += x.removed;
        s.renamed += x.renamed;
        s.moved += x.moved;
        s.modified += x.modified;
        total += v.diff.changes.len();
    }
    // One pair: the sheet says whose changes, between which years.
    let whose = match views {
        [v] => {
            let dept = v.current.department.as_deref().unwrap_or("").trim();
            let years = match (v.prior.year, v.current.year) {
                (Some(a), Some(b)) => format!("{a}→{b} "),
                _ => String::new(),
            };
            format!("{dept} {years}").trim_start().to_string()
        }
        _ => String::new(),
    };
    let title = format!(
        "{whose}变更明细：共 {} 项（新增 {}，删除 {}，更名 {}，移动 {}，修改 {}）",
        total, s.added, s.removed, s.renamed, s.moved, s.modified
    );
    ws.write_string_with_format(0, 0, &title, &styles.sheet_title)
        .map_err(xe)?;
    ws.set_row_height(0, 24.0).map_err(xe)?;
    let note = if !linked {
        "“表格”栏为变更所在的表；上年、本年两栏中，红色删除线为删去的文字，绿色加粗下划线为新加的文字。"
    } else if several {
        "“表格”栏为变更所在的表；上年、本年两栏中，红色删除线为删去的文字，绿色加粗下划线为新加的文字；点击“本年单元格”跳到该表工作表中的位置。"
    } else {
        "上年、本年两栏中，红色删除线为删去的文字，绿色加粗下划线为新加的文字；点击“本年单元格”跳到“本年”表中的位置。"
    };
    ws.write_string_with_format(1, 0, note, &styles.unit_line)
        .map_err(xe)?;

    // [表格], 类型, the group columns, the indicator, 字段, 上年, 本年, 变化, 本年单元格.
    // The group columns of several templates: one per heading, in first-seen order.
    let mut gcols: Vec<Col> = Vec::new();
    let mut what: Vec<Vec<Option<GroupCol>>> = Vec::new();
    for v in views {
        let mut mine = vec![None; gcols.len()];
        for (c, w) in group_cols(&v.current.shape) {
            let at = match gcols.iter().position(|g| g.label == c.label) {
                Some(at) => at,
                None => {
                    gcols.push(c);
                    mine.push(None);
                    gcols.len() - 1
                }
            };
            mine[at] = Some(w);
        }
        what.push(mine);
    }
    let names: Vec<String> = views
        .iter()
        .map(|v| role_label(&v.current.shape, Role::Name))
        .collect();
    let name_label = match names.split_first() {
        Some((first, rest)) if rest.iter().all(|n| n == first) => first.clone(),
        _ => "指标".to_string(),
    };
    let mut cols = Vec::new();
    if several {
        cols.push(Col {
            label: "表格".into(),
            width: 20.0,
            center: false,
        });
    }
    cols.push(Col {
        label: "类型".into(),
        width: 7.0,
        center: true,
    });
    let group_at = cols.len();
    let group_count = gcols.len();
    cols.extend(gcols);
    for (label, width, center) in [
        (name_label, 26.0, false),
        ("字段".to_string(), 12.0, true),
        ("上年".to_string(), 34.0, false),
        ("本年".to_string(), 34.0, false),
        ("变化".to_string(), 22.0, true),
        ("本年单元格".to_string(), 10.0, true),
    ] {
        cols.push(Col {
            label,
            width,
            center,
        });
    }
    if !linked {
        cols.pop();
    }
    let n = cols.len() as u16 + u16::from(!linked);
    let (old_col, new_col, link_col) = (n - 4, n - 3, n - 1);
    let columns = list_columns(&cols);

    let mut rows: Vec<Vec<ListCell<'_>>> = Vec::new();
    let mut links: Vec<Option<(String, String)>> = Vec::new();
    let mut first_rows = Vec::with_capacity(views.len());
    for (v, what) in views.iter().zip(&what) {
        first_rows
            .push((!v.diff.changes.is_empty()).then(|| CHANGES_HEADER_ROW + 1 + rows.len() as u32));
        for (ix, c) in v.diff.changes.iter().enumerate() {
            let kind = ListCell {
                text: c.kind.label().to_string(),
                format: Some(match kind_color(c.kind) {
                    Some(m) => styles.list_marked_center(m),
                    None => &styles.grey_center,
                }),
            };
            let link = v.link(ix, c);
            let mut row = Vec::with_capacity(cols.len());
            if several {
                row.push(cell_text(v.label).into());
            }
            row.push(kind);
            for k in 0..group_count {
                row.push(match what.get(k).copied().flatten() {
                    Some(GroupCol::Key(l)) => c
                        .level_value(l)
                        .map(|s| s.to_string())
                        .unwrap_or_default()
                        .into(),
                    Some(GroupCol::Field(f)) => {
                        cell_text(&change_group_text(c, v.prior, v.current, f)).into()
                    }
                    None => ListCell::default(),
                });
            }
            debug_assert_eq!(row.len(), group_at + group_count);
            row.extend([
                cell_text(c.indicator.as_deref().unwrap_or("")).into(),
                c.field_label().into(),
                cell_text(&change_side(c, v.prior, v.current, true)).into(),
                cell_text(&change_side(c, v.prior, v.current, false)).into(),
                delta_text(c, v.current).into(),
            ]);
            if linked {
                row.push(
                    link.as_ref()
                        .map(|l| l.0.clone())
                        .unwrap_or_default()
                        .into(),
                );
            }
            rows.push(row);
            links.push(link);
        }
    }
    let changes: Vec<&Change> = views.iter().flat_map(|v| &v.diff.changes).collect();
    if rows.is_empty() {
        let mut row: Vec<ListCell<'_>> = vec![ListCell::default(); columns.len()];
        row[0] = "两年的表格内容相同".into();
        rows.push(row);
    }
    write_list_sheet(ws, CHANGES_HEADER_ROW, &columns, &rows, styles)?;
    if changes.is_empty() {
        let r = CHANGES_HEADER_ROW + 1;
        ws.merge_range(
            r,
            0,
            r,
            columns.len() as u16 - 1,
            "两年的表格内容相同",
            &styles.list_center,
        )
        .map_err(xe)?;
        return Ok(first_rows);
    }
    // Over the plain text the list wrote (which sized the rows): the edited
    // texts as rich strings, the links.
    for (i, c) in changes.iter().enumerate() {
        let r = CHANGES_HEADER_ROW + 1 + i as u32;
        if matches!(c.kind, ChangeKind::Modified | ChangeKind::Renamed) {
            let old = cell_text(c.old.as_deref().unwrap_or(""));
            let new = cell_text(c.new.as_deref().unwrap_or(""));
            if old.chars().count() < MAX_RICH_CHARS && new.chars().count() < MAX_RICH_CHARS {
                let edits = char_edits(&old, &new);
                write_side(ws, r, old_col, &side_runs(&edits, true), true, styles)?;
                write_side(ws, r, new_col, &side_runs(&edits, false), false, styles)?;
            }
        }
        if let Some((text, target)) = &links[i] {
            let url = Url::new(format!("internal:{target}")).set_text(text);
            ws.write_url_with_format(r, link_col, url, &styles.list_link)
                .map_err(xe)?;
        }
    }
    Ok(first_rows)
}

/// The 变更明细 sheet of pairs shown without their table sheets (the detail
/// of `collect --prior`): every change of every `(prior, current, diff,
/// label)`, a first 表格 column naming its pair. Returns, per pair, the row
/// (0-based) of its first change (`None` for a pair without changes).
pub(crate) fn write_changes_of_pairs(
    ws: &mut Worksheet,
    pairs: &[(&Table, &Table, &DiffReport, &str)],
    styles: &Styles,
) -> Result<Vec<Option<u32>>, WriteError> {
    let views: Vec<View<'_>> = pairs
        .iter()
        .map(|&(prior, current, diff, label)| View {
            prior,
            current,
            diff,
            label,
            paired: true,
            sheet: None,
        })
        .collect();
    write_changes_sheet(ws, &views, styles)
}

/// The 目标完成 sheet of `views` (with several, a first 表格 column names each row's pair).
fn write_attainment_sheet(
    ws: &mut Worksheet,
    views: &[View<'_>],
    styles: &Styles,
) -> Result<(), WriteError> {
    let several = views.len() > 1;
    let per_view: Vec<Vec<crate::diff::Attainment>> = views
        .iter()
        .map(|v| attainment(v.prior, v.current, v.diff))
        .collect();
    let all: Vec<(&View<'_>, &crate::diff::Attainment)> = views
        .iter()
        .zip(&per_view)
        .flat_map(|(v, rows)| rows.iter().map(move |a| (v, a)))
        .collect();
    let count = |s: AttainmentStatus| all.iter().filter(|(_, a)| a.status == s).count();
    ws.write_string_with_format(
        0,
        0,
        "目标完成情况：上年目标与本年表中填报的上年实际值",
        &styles.sheet_title,
    )
    .map_err(xe)?;
    ws.set_row_height(0, 24.0).map_err(xe)?;
    let line = format!(
        "两年都有的指标 {} 个：达成 {} 个，未达成 {} 个，无法比较 {} 个（单位不同、非数值或未填写）。",
        all.len(),
        count(AttainmentStatus::Met),
        count(AttainmentStatus::NotMet),
        count(AttainmentStatus::NotComparable)
    );
    ws.write_string_with_format(1, 0, &line, &styles.unit_line)
        .map_err(xe)?;

    // [表格], one column per level (its key's label), the indicator, last
    // year's target, its actual, 结果, 本年单元格.
    let Some(first) = views.first() else {
        return Ok(());
    };
    let shape: &Shape = &first.current.shape;
    let mut cols: Vec<Col> = Vec::new();
    if several {
        cols.push(Col {
            label: "表格".into(),
            width: 20.0,
            center: false,
        });
    }
    let lead = cols.len();
    cols.extend(shape.levels.iter().map(|l| {
        let key = &shape.group[l.key];
        Col {
            label: key.label.clone(),
            width: if key.numeric { 8.0 } else { 12.0 },
            center: true,
        }
    }));
    let levels = shape.levels.len();
    for (label, width, center) in [
        (role_label(shape, Role::Name), 34.0, false),
        (
            format!("上年目标（上年{}）", role_label(shape, Role::Target)),
            24.0,
            true,
        ),
        (
            format!("上年实际（本年表{}）", role_label(shape, Role::HistoryLast)),
            24.0,
            true,
        ),
        ("结果".to_string(), 10.0, true),
        ("本年单元格".to_string(), 10.0, true),
    ] {
        cols.push(Col {
            label,
            width,
            center,
        });
    }
    let link_col = cols.len() as u16 - 1;
    let columns = list_columns(&cols);

    let mut rows: Vec<Vec<ListCell<'_>>> = Vec::new();
    let mut links = Vec::new();
    for (v, a) in &all {
        let fmt = match a.status {
            AttainmentStatus::Met => styles.list_marked_center(MarkColor::Added),
            AttainmentStatus::NotMet => styles.list_marked_center(MarkColor::Error),
            AttainmentStatus::NotComparable => &styles.grey_center,
        };
        let link = v.sheet.and_then(|s| Some((s.layout.a1(&a.place)?, s.name)));
        let mut row: Vec<ListCell<'_>> = Vec::new();
        if several {
            row.push(cell_text(v.label).into());
        }
        row.extend((0..levels).map(|l| {
            a.group
                .get(l)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
                .into()
        }));
        row.extend([
            cell_text(&a.indicator).into(),
            cell_text(&a.target).into(),
            cell_text(&a.actual).into(),
            ListCell {
                text: a.status.label().to_string(),
                format: Some(fmt),
            },
            link.as_ref()
                .map(|(a1, _)| a1.clone())
                .unwrap_or_default()
                .into(),
        ]);
        rows.push(row);
        links.push(link);
    }
    if rows.is_empty() {
        let mut row: Vec<ListCell<'_>> = vec![ListCell::default(); columns.len()];
        row[lead + levels] = "两年没有相同的指标".into();
        rows.push(row);
    }
    write_list_sheet(ws, ATTAINMENT_HEADER_ROW, &columns, &rows, styles)?;
    for (i, link) in links.iter().enumerate() {
        if let Some((a1, sheet)) = link {
            let url = Url::new(format!("internal:{}", sheet_ref(sheet, a1))).set_text(a1);
            ws.write_url_with_format(
                ATTAINMENT_HEADER_ROW + 1 + i as u32,
                link_col,
                url,
                &styles.list_link,
            )
            .map_err(xe)?;
        }
    }
    Ok(())
}

/// The 变更汇总 sheet of several pairs: the files, a row per pair with its
/// counts, findings, warnings and links, the totals, the kinds and the legend.
fn write_pairs_summary_sheet(
    ws: &mut Worksheet,
    rows: &[PairRow<'_>],
    views: &[View<'_>],
    styles: &Styles,
) -> Result<(), WriteError> {
    // A: 序号, B: 表格, C: 对比, D..I: counts, J: 本年校验, K: 提示, L: 本年表, M: 变更明细.
    let widths = [
        9.0, 36.0, 9.0, 6.0, 6.0, 6.0, 6.0, 6.0, 6.0, 14.0, 24.0, 14.0, 10.0,
    ];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xe)?;
    }
    let last_col = widths.len() as u16 - 1;
    let wide: f64 = widths[1..].iter().sum();
    let mut heights = RowHeights::new();

    ws.write_string_with_format(0, 0, "绩效目标表年度对比", &styles.sheet_title)
        .map_err(xe)?;
    ws.set_row_height(0, 26.0).map_err(xe)?;

    // The files, the tables, the findings.
    let paths = |tables: Vec<&Table>| {
        let mut out: Vec<&str> = Vec::new();
        for t in tables {
            if !out.contains(&t.source.path.as_str()) {
                out.push(&t.source.path);
            }
        }
        out.join("\n")
    };
    let n_prior = rows.iter().filter(|r| r.pair.prior.is_some()).count();
    let n_current = rows.iter().filter(|r| r.pair.current.is_some()).count();
    let both = rows
        .iter()
        .filter(|r| r.pair.prior.is_some() && r.pair.current.is_some())
        .count();
    let mut tables = format!("上年 {n_prior} 张，本年 {n_current} 张：两年都有 {both} 对");
    if n_current > both {
        tables.push_str(&format!("，本年新增 {} 张", n_current - both));
    }
    if n_prior > both {
        tables.push_str(&format!("，上年有、本年没有 {} 张", n_prior - both));
    }
    let errors: usize = rows
        .iter()
        .filter_map(|r| r.findings)
        .map(|f| f.errors)
        .sum();
    let warnings: usize = rows
        .iter()
        .filter_map(|r| r.findings)
        .map(|f| f.warnings)
        .sum();
    let any_issue = rows
        .iter()
        .filter_map(|r| r.findings)
        .any(|f| !f.issues.is_empty());
    let info = [
        (
            "上年文件",
            paths(rows.iter().filter_map(|r| r.pair.prior).collect()),
        ),
        (
            "本年文件",
            paths(rows.iter().filter_map(|r| r.pair.current).collect()),
        ),
        ("表格", tables),
        (
            "本年校验",
            if any_issue {
                format!("错误 {errors} 项，警告 {warnings} 项（见“{FINDINGS_SHEET}”）")
            } else {
                "未发现问题".to_string()
            },
        ),
    ];
    let mut r = 2u32;
    r = write_info_rows(ws, r, &info, last_col, wide, styles, &mut heights)?;

    // A row per pair.
    r += 1;
    ws.write_string_with_format(r, 0, "各表变更", &styles.block_title)
        .map_err(xe)?;
    heights.need(r, 20.0);
    r += 1;
    let header = [
        "序号",
        "表格",
        "对比",
        "新增",
        "删除",
        "更名",
        "移动",
        "修改",
        "未变",
        "本年校验",
        "提示",
        "本年表",
        "变更明细",
    ];
    r = write_header_row(ws, r, &header, styles, &mut heights)?;
    let mut total = [0usize; 6];
    for (k, row) in rows.iter().enumerate() {
        let p = row.pair;
        let s = &p.report.summary;
        let counts = [
            s.added,
            s.removed,
            s.renamed,
            s.moved,
            s.modified,
            s.unchanged,
        ];
        let (state, state_fmt) = match (p.prior.is_some(), p.current.is_some()) {
            (true, true) => ("两年都有", &styles.list_center),
            (false, true) => ("新增表", styles.list_marked_center(MarkColor::Added)),
            _ => ("删除表", &styles.grey_center),
        };
        ws.write_number_with_format(r, 0, (k + 1) as f64, &styles.list_center)
            .map_err(xe)?;
        ws.write_string_with_format(r, 1, cell_text(p.label), &styles.list_text)
            .map_err(xe)?;
        ws.write_string_with_format(r, 2, state, state_fmt)
            .map_err(xe)?;
        for (i, v) in counts.iter().enumerate() {
            total[i] += v;
            let c = 3 + i as u16;
            if *v == 0 {
                ws.write_blank(r, c, &styles.list_number).map_err(xe)?;
            } else {
                ws.write_number_with_format(r, c, *v as f64, &styles.list_number)
                    .map_err(xe)?;
            }
        }
        let checked = match row.findings {
            None => String::new(),
            Some(f) if f.issues.is_empty() => "未发现问题".into(),
            Some(f) => format!("错误 {}，警告 {}", f.errors, f.warnings),
        };
        let checked_fmt = match row.findings {
            Some(f) if f.errors > 0 => styles.list_marked_center(MarkColor::Error),
            Some(f) if f.warnings > 0 => styles.list_marked_center(MarkColor::Warning),
            _ => &styles.list_center,
        };
        ws.write_string_with_format(r, 9, &checked, checked_fmt)
            .map_err(xe)?;
        let warn = p.report.warnings.join("\n");
        ws.write_string_with_format(r, 10, cell_text(&warn), &styles.list_text)
            .map_err(xe)?;
        match row.sheet {
            Some(name) => {
                let url = Url::new(format!("internal:{}", sheet_ref(name, "A1"))).set_text(name);
                ws.write_url_with_format(r, 11, url, &styles.list_link)
                    .map_err(xe)?;
            }
            None => {
                ws.write_string_with_format(r, 11, "（本年无此表）", &styles.grey_center)
                    .map_err(xe)?;
            }
        }
        match row.changes_row {
            Some(first) => {
                let a1 = format!("A{}", first + 1);
                let url = Url::new(format!("internal:{}", sheet_ref(CHANGES_SHEET, &a1)))
                    .set_text(format!("第{}行", first + 1));
                ws.write_url_with_format(r, 12, url, &styles.list_link)
                    .map_err(xe)?;
            }
            None => {
                ws.write_string_with_format(r, 12, "无变更", &styles.list_center)
                    .map_err(xe)?;
            }
        }
        let h = text_height(p.label, widths[1], DATA_SIZE)
            .max(text_height(&warn, widths[10], DATA_SIZE))
            .max(18.0);
        heights.need(r, h);
        r += 1;
    }
    ws.write_string_with_format(r, 0, "合计", &styles.label)
        .map_err(xe)?;
    ws.write_string_with_format(r, 1, format!("{} 对", rows.len()), &styles.list_text)
        .map_err(xe)?;
    ws.write_blank(r, 2, &styles.list_center).map_err(xe)?;
    for (i, v) in total.iter().enumerate() {
        ws.write_number_with_format(r, 3 + i as u16, *v as f64, &styles.list_number)
            .map_err(xe)?;
    }
    let checked = if any_issue {
        format!("错误 {errors}，警告 {warnings}")
    } else {
        String::new()
    };
    ws.write_string_with_format(r, 9, &checked, &styles.list_center)
        .map_err(xe)?;
    let n_warn: usize = rows.iter().map(|r| r.pair.report.warnings.len()).sum();
    let warn = if n_warn > 0 {
        format!("{n_warn} 条")
    } else {
        String::new()
    };
    ws.write_string_with_format(r, 10, &warn, &styles.list_text)
        .map_err(xe)?;
    for c in 11..=last_col {
        ws.write_blank(r, c, &styles.list_center).map_err(xe)?;
    }
    heights.need(r, 18.0);
    r += 2;

    // The kinds, in the words of the tables' templates.
    let mut words: Vec<&str> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for v in views {
        let shape: &Shape = &v.current.shape;
        let w = group_word(shape);
        if !words.contains(&w) {
            words.push(w);
        }
        let k = shape
            .levels
            .last()
            .map_or(String::new(), |l| shape.group[l.key].label.clone());
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let word = words.join("/");
    let key_label = keys.join("/");
    ws.write_string_with_format(r, 0, "类型说明", &styles.block_title)
        .map_err(xe)?;
    heights.need(r, 20.0);
    r += 1;
    for (k, what) in KINDS {
        let what = what.replace("{g}", &word);
        let fmt = match kind_color(k) {
            Some(c) => styles.list_marked_center(c),
            None => &styles.grey_center,
        };
        ws.write_string_with_format(r, 0, k.label(), fmt)
            .map_err(xe)?;
        ws.merge_range(r, 1, r, last_col, "", &styles.list_text)
            .map_err(xe)?;
        ws.write_string_with_format(r, 1, &what, &styles.list_text)
            .map_err(xe)?;
        heights.need(r, text_height(&what, wide, DATA_SIZE).max(18.0));
        r += 1;
    }
    for (label, what, fmt) in [
        (
            "新增表",
            "本年有、上年没有对应的表：其中的内容都算新增",
            styles.list_marked_center(MarkColor::Added),
        ),
        (
            "删除表",
            "上年有、本年没有对应的表：其中的内容都算删除（列在“变更明细”中）",
            &styles.grey_center,
        ),
    ] {
        ws.write_string_with_format(r, 0, label, fmt).map_err(xe)?;
        ws.merge_range(r, 1, r, last_col, "", &styles.list_text)
            .map_err(xe)?;
        ws.write_string_with_format(r, 1, what, &styles.list_text)
            .map_err(xe)?;
        heights.need(r, text_height(what, wide, DATA_SIZE).max(18.0));
        r += 1;
    }
    r += 1;
    r = write_legend(
        ws,
        r,
        last_col,
        wide,
        &word,
        &key_label,
        "各表",
        &mut heights,
        styles,
    )?;

    // What the other sheets are.
    let sheets: Vec<String> = rows
        .iter()
        .filter_map(|r| r.sheet)
        .map(|s| format!("“{s}”"))
        .collect();
    let guide = format!(
        "工作表：“{CHANGES_SHEET}”为各表的全部变更，每项一行，“表格”栏说明属于哪张表，可筛选，点“本年单元格”跳到标注处；{}为各表的本年表格（按官方格式），变更与校验问题已标色并加批注；“{FINDINGS_SHEET}”为本年各表的校验结果。点本表“本年表”“变更明细”两栏可跳到该表。",
        sheets.join("")
    );
    finish_summary_sheet(ws, r, &guide, last_col, wide + widths[0], styles, heights)
}

/// The legend of the change colours under the current table.
const CHANGE_LEGEND: [(&str, MarkColor, &str); 4] = [
    (
        "修改",
        MarkColor::Modified,
        "黄色：内容有改动的单元格；批注里是上年的内容",
    ),
    (
        "新增",
        MarkColor::Added,
        "绿色：本年新增的指标（名称单元格）或分组",
    ),
    (
        "更名",
        MarkColor::Renamed,
        "蓝色：改了名称的指标；批注里是上年名称",
    ),
    (
        "移动",
        MarkColor::Moved,
        "紫色：调整到另一分组下的指标；批注里是上年所在的分组",
    ),
];

/// Writes the 已删除的指标 block under the table on `本年`: each removed
/// indicator (and each indicator of a removed group not found elsewhere) with
/// its prior values, greyed. Returns, per index of a removed change, the A1
/// address of its first row's name cell, and the row after the block.
fn write_removed_block(
    ws: &mut Worksheet,
    prior: &Table,
    diff: &DiffReport,
    template: &Template,
    layout: &TableLayout,
    styles: &Styles,
) -> Result<(HashMap<usize, String>, u32), WriteError> {
    let mut out = HashMap::new();
    let removed: Vec<(usize, &Change)> = diff
        .changes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == ChangeKind::Removed && c.prior_place.is_some())
        .collect();
    if removed.is_empty() {
        return Ok((out, layout.last_row + 1));
    }
    let shape: &Shape = &prior.shape;
    // The current table's columns (the block sits under it), with their leaves.
    let cols: Vec<(FieldRef, u16, &crate::template::Column)> = layout
        .columns
        .iter()
        .filter_map(|&(f, c)| Some((f, c, template.leaf_of(f)?.column)))
        .collect();
    let matched: HashSet<(usize, usize)> = diff
        .matching
        .pairs
        .iter()
        .map(|p| (p.prior.group, p.prior.indicator))
        .collect();
    let matched_prior = |g: usize, i: usize| matched.contains(&(g, i));
    // Group fields shown on every row: the levels' keys, ids and names; the
    // others (职责目标) once per removed group.
    let always = |f: usize| {
        shape.levels.iter().any(|l| l.key == f)
            || matches!(
                shape.group[f].role,
                Some(Role::GroupId | Role::GroupName | Role::GroupScore)
            )
    };
    let name_col = shape
        .indicator_role(Role::Name)
        .and_then(|n| layout.col(FieldRef::Indicator(n)))
        .unwrap_or(0);
    let mut heights = RowHeights::new();
    let mut r = layout.last_row + 3;
    ws.write_string_with_format(
        r,
        0,
        format!("{REMOVED_BLOCK_TITLE}（上年有、本年没有，以下为上年的内容）"),
        &styles.block_title,
    )
    .map_err(xe)?;
    heights.need(r, 22.0);
    r += 1;
    for (f, col, _) in &cols {
        ws.write_string_with_format(r, *col, &shape.spec(*f).label, &styles.list_header)
            .map_err(xe)?;
    }
    heights.need(r, 20.0);
    r += 1;
    for (ix, c) in removed {
        let Some(pp) = c.prior_place else { continue };
        let Some(pg) = pp.group() else { continue };
        if pg >= prior.groups.len() {
            continue;
        }
        // (group, indicator index or none, whether the group's other fields are shown)
        let items: Vec<(usize, Option<usize>, bool)> = match (pp, pp.indicator()) {
            (_, Some(i)) => vec![(pg, Some(i), false)],
            (Place::Group { field, .. }, None) => {
                // A whole group: for an outer level, every group of its run.
                let level = shape.group.get(field).map_or(0, |f| f.level);
                let inner = level + 1 >= shape.levels.len();
                let key = shape.levels.get(level).map(|l| l.key);
                let text = key.map_or("", |k| prior.groups[pg].text(k));
                let mut v = Vec::new();
                for gi in pg..prior.groups.len() {
                    let g = &prior.groups[gi];
                    if gi > pg && (inner || key.is_none_or(|k| g.text(k) != text)) {
                        break;
                    }
                    let first = v.len();
                    v.extend(
                        (0..g.indicators.len())
                            .filter(|i| !matched_prior(gi, *i))
                            .enumerate()
                            .map(|(k, i)| (gi, Some(i), k == 0)),
                    );
                    if v.len() == first {
                        v.push((gi, None, true));
                    }
                }
                v
            }
            _ => continue,
        };
        for (k, (gi, ind, whole)) in items.into_iter().enumerate() {
            let group = &prior.groups[gi];
            let indicator = ind.and_then(|i| group.indicators.get(i));
            for (f, col, column) in &cols {
                let text = match *f {
                    FieldRef::Group(g) if always(g) || whole => {
                        let score = column
                            .score_field
                            .as_deref()
                            .and_then(|s| shape.group_field(s))
                            .map_or("", |s| group.text(s));
                        let t = group_text(shape, group, g);
                        if score.trim().is_empty() {
                            t
                        } else {
                            break_at_bracket(
                                &format!("{t}（{}分）", score.trim()),
                                column.width * 0.95,
                                DATA_SIZE,
                            )
                        }
                    }
                    FieldRef::Group(_) => String::new(),
                    FieldRef::Indicator(i) => indicator.map_or("", |x| x.text(i)).to_string(),
                    FieldRef::Form(_) => String::new(),
                };
                let text = cell_text(&text);
                let fmt = match column.align {
                    crate::template::Align::Center => &styles.grey_center,
                    _ => &styles.grey,
                };
                if text.is_empty() {
                    ws.write_blank(r, *col, fmt).map_err(xe)?;
                } else {
                    ws.write_string_with_format(r, *col, &text, fmt)
                        .map_err(xe)?;
                }
                heights.need(
                    r,
                    text_height(&text, column.width * 0.95, DATA_SIZE).max(20.0),
                );
            }
            if k == 0 {
                out.insert(ix, crate::model::a1(name_col as u32, r + 1));
            }
            r += 1;
        }
    }
    heights.apply(ws)?;
    Ok((out, r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(old: &str, new: &str, side_old: bool) -> Vec<(bool, String)> {
        side_runs(&char_edits(old, new), side_old)
    }

    #[test]
    fn numbers_change_whole() {
        assert_eq!(
            runs("10万人次", "11万人次", true),
            vec![(true, "10".into()), (false, "万人次".into())]
        );
        assert_eq!(
            runs("10万人次", "11万人次", false),
            vec![(true, "11".into()), (false, "万人次".into())]
        );
        assert_eq!(
            runs("省赛获奖35、国赛获奖6", "省赛获奖35、国赛获奖7", false),
            vec![(false, "省赛获奖35、国赛获奖".into()), (true, "7".into())]
        );
    }

    #[test]
    fn appended_item_is_one_insertion() {
        let r = runs("1.甲。\n2.乙。", "1.甲。\n2.乙。\n3.丙。", false);
        assert_eq!(
            r,
            vec![(false, "1.甲。\n2.乙。".into()), (true, "\n3.丙。".into())]
        );
        assert_eq!(
            runs("1.甲。\n2.乙。", "1.甲。\n2.乙。\n3.丙。", true).len(),
            1
        );
    }

    #[test]
    fn numbers_are_written_plainly() {
        assert_eq!(leading_number("2,500,000.00"), Some(2_500_000.0));
        assert_eq!(leading_number("≥10万人次"), Some(10.0));
        assert!(is_bare_number("300.00") && !is_bare_number("300万元"));
    }
}
