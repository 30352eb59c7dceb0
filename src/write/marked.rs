//! The marked workbook of `validate -o`: each re-styled table with its findings
//! marked on their cells (fill and a note), a 校验结果 sheet listing every
//! finding of every table with a link to its cell, and the 其他内容 sheet when
//! the tables have extras.

use super::extras::{write_extras_sheet, EXTRAS_SHEET};
use super::styles::DATA_SIZE;
use super::table::text_height;
use super::{
    all_extras, new_workbook, save_owned, table_sheet_names, write_list_sheet, write_table_sheet,
    xe, ListCell, ListColumn, Mark, MarkColor, Styles, TableLayout, WriteError,
};
use crate::model::{Extra, Table};
use crate::template::Template;
use crate::validate::{Finding, Report, Severity};
use rust_xlsxwriter::{Url, Worksheet};

/// The name of the findings sheet.
pub const FINDINGS_SHEET: &str = "校验结果";

/// The row (0-based) of the findings sheet's column header; the summary lines are above it.
const FINDINGS_HEADER_ROW: u32 = 3;

/// A column of the findings sheet before the group columns: label, width, centred.
const LEAD: [(&str, f64); 4] = [
    ("级别", 7.0),
    ("规则", 34.0),
    ("原单元格", 9.0),
    ("本表单元格", 12.0),
];
/// The 工作表 column (several tables), after 规则.
const SHEET_COLUMN: (&str, f64) = ("工作表", 12.0);

/// The fill of a finding's severity (an `info` finding is listed, not filled).
fn mark_color(s: Severity) -> Option<MarkColor> {
    match s {
        Severity::Error => Some(MarkColor::Error),
        Severity::Warning => Some(MarkColor::Warning),
        Severity::Info => None,
    }
}

/// The note on a marked cell: severity, message, the rule's Chinese name
/// with its code, and the input cell
/// (`[错误] 年度指标值为空（规则：必填项为空 missing_value，原单元格 F12）`),
/// since the re-styled table may put the cell elsewhere.
pub fn finding_note(f: &Finding) -> String {
    let rule = format!("{} {}", f.code.name(), f.code);
    format!(
        "[{}] {}（规则：{rule}，原单元格 {}）",
        f.severity.label(),
        f.message.trim(),
        f.cell
    )
}

/// The input cell as the submitter finds it: `F12`, or `Sheet2!A1` when the
/// finding is on another sheet than the table's.
fn input_cell(f: &Finding, table: &Table) -> String {
    if f.sheet.is_empty() || f.sheet == table.source.sheet {
        f.cell.clone()
    } else {
        format!("{}!{}", f.sheet, f.cell)
    }
}

/// `'Sheet name'!A1`, quotes in the name doubled.
pub(super) fn sheet_ref(sheet: &str, cell: &str) -> String {
    format!("'{}'!{cell}", sheet.replace('\'', "''"))
}

/// Where the 本表单元格 link of a finding points: (text shown, link target).
/// A finding with a place goes to its cell of the table sheet; an
/// `unmapped_content` finding to its row of the 其他内容 sheet; others nowhere.
fn link_for(f: &Finding, of: &FindingsOf<'_>, extras: &[&Extra]) -> Option<(String, String)> {
    if let Some(place) = &f.place {
        let a1 = of.layout.a1(place)?;
        return Some((a1.clone(), sheet_ref(of.sheet, &a1)));
    }
    let sheet = if f.sheet.is_empty() {
        of.table.source.sheet.as_str()
    } else {
        f.sheet.as_str()
    };
    let ix = extras.iter().position(|e| {
        e.cell == f.cell && (e.sheet.is_empty() || e.sheet == sheet) && !e.text.trim().is_empty()
    })?;
    // The extras sheet: header on row 1, extra `ix` on row ix + 2, its text in column C.
    let cell = format!("C{}", ix + 2);
    Some((
        format!("{EXTRAS_SHEET}!{cell}"),
        sheet_ref(EXTRAS_SHEET, &cell),
    ))
}

/// The marked workbook: each table on a sheet of its own (`绩效目标表` for a
/// single table, else named after its source sheet) in the official layout
/// with every finding that has a place filled (error red, warning amber) and
/// annotated with [`finding_note`]; sheet `校验结果` lists the findings of all
/// tables, errors first, each with a link to its cell (`'绩效目标表'!F12`);
/// sheet `其他内容` lists the tables' extras, when they have any.
///
/// # Errors
///
/// [`WriteError::NoTables`] for an empty `items`; [`WriteError::Xlsx`] when
/// rust_xlsxwriter refuses the workbook.
///
/// ```
/// use jixiao::{marked_workbook, read_file, validate, ReadOptions, Template};
/// let templates = Template::builtins();
/// let opts = ReadOptions { sheet: None, templates: &templates };
/// let t = read_file("examples/linyi-education-2023.xlsx".as_ref(), &opts)?;
/// let report = validate(&t, &templates[0], None);
/// let xlsx = marked_workbook(&[(&t, &report, &templates[0])])?;
/// assert!(xlsx.starts_with(b"PK"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn marked_workbook(items: &[(&Table, &Report, &Template)]) -> Result<Vec<u8>, WriteError> {
    marked_workbook_with_extras(items, &[])
}

/// [`marked_workbook`] of a whole workbook: its own extras (cells of sheets
/// that hold no table) listed on the 其他内容 sheet too.
pub fn marked_workbook_with_extras(
    items: &[(&Table, &Report, &Template)],
    workbook_extras: &[Extra],
) -> Result<Vec<u8>, WriteError> {
    let Some(first) = items.first() else {
        return Err(WriteError::NoTables);
    };
    let styles = Styles::official();
    let mut wb = new_workbook(&first.0.title);
    let tables: Vec<&Table> = items.iter().map(|(t, _, _)| *t).collect();
    let names = table_sheet_names(&tables, &[FINDINGS_SHEET, EXTRAS_SHEET]);
    let extras = all_extras(&tables, workbook_extras);

    let mut layouts = Vec::with_capacity(items.len());
    for ((table, report, template), name) in items.iter().zip(&names) {
        let findings = sorted_findings(report);
        let marks = finding_marks(&findings);
        let ws = wb.add_worksheet();
        ws.set_name(name).map_err(xe)?;
        let layout = write_table_sheet(ws, table, template, &marks, &styles)?;
        write_color_legend(
            ws,
            layout.last_row + 2,
            layout.last_col,
            &FINDING_LEGEND,
            &styles,
        )?;
        layouts.push(layout);
    }
    let of: Vec<FindingsOf<'_>> = items
        .iter()
        .zip(&layouts)
        .zip(&names)
        .map(|(((table, report, _), layout), sheet)| FindingsOf {
            table,
            report,
            layout,
            sheet,
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

/// The title of the colour legend under a marked table.
pub const LEGEND_TITLE: &str = "颜色说明";

/// The legend of the validation colours under a marked table.
pub(super) const FINDING_LEGEND: [(&str, MarkColor, &str); 2] = [
    (
        "错误",
        MarkColor::Error,
        "红色：校验错误，表格需修改后重新提交；批注里是说明，“校验结果”表列出全部问题",
    ),
    (
        "警告",
        MarkColor::Warning,
        "橙色：校验警告，请核实；批注里是说明",
    ),
];

/// Writes a colour legend from row `r` of a table sheet: a title row, then
/// one row per colour (its label filled with it in column A, what it means
/// merged over B..`last_col`). Returns the row after it.
pub(super) fn write_color_legend(
    ws: &mut Worksheet,
    mut r: u32,
    last_col: u16,
    entries: &[(&str, MarkColor, &str)],
    styles: &Styles,
) -> Result<u32, WriteError> {
    ws.write_string_with_format(r, 0, LEGEND_TITLE, &styles.block_title)
        .map_err(xe)?;
    ws.set_row_height(r, 20.0).map_err(xe)?;
    r += 1;
    for (label, color, what) in entries {
        ws.write_string_with_format(r, 0, *label, styles.list_marked_center(*color))
            .map_err(xe)?;
        if last_col > 1 {
            ws.merge_range(r, 1, r, last_col, what, &styles.list_text)
                .map_err(xe)?;
        } else {
            ws.write_string_with_format(r, 1, *what, &styles.list_text)
                .map_err(xe)?;
        }
        ws.set_row_height(r, 18.0).map_err(xe)?;
        r += 1;
    }
    Ok(r)
}

/// The findings of a report, errors first, then warnings, then infos; report
/// order (input row, column) inside.
pub(super) fn sorted_findings(report: &Report) -> Vec<&Finding> {
    let mut findings: Vec<&Finding> = report.issues.iter().collect();
    findings.sort_by_key(|f| f.severity);
    findings
}

/// The marks of findings that have a place and a colour (errors and warnings),
/// each noted with [`finding_note`].
pub(super) fn finding_marks(findings: &[&Finding]) -> Vec<Mark> {
    findings
        .iter()
        .filter_map(|f| {
            Some(Mark {
                place: f.place?,
                color: mark_color(f.severity)?,
                note: finding_note(f),
            })
        })
        .collect()
}

/// One table's findings for the 校验结果 sheet: the table, its report, where
/// it was written (`layout` on sheet `sheet`).
pub(super) struct FindingsOf<'a> {
    pub table: &'a Table,
    pub report: &'a Report,
    pub layout: &'a TableLayout,
    pub sheet: &'a str,
}

/// The text of a JSON value in a cell: a number or a string as it reads; nothing for null.
fn json_text(v: Option<&serde_json::Value>) -> String {
    match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

/// The group columns of the findings (and changes) lists: for each grouping
/// level of the tables' templates, its heading (the label of the level's key
/// field, as the template labels it) and its JSON key (the level's `json`).
pub(super) fn level_columns(tables: &[&Table]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for t in tables {
        for l in &t.shape.levels {
            let heading = t
                .shape
                .group
                .get(l.key)
                .map_or(l.name.clone(), |f| f.label.clone());
            let col = (heading, l.json.clone());
            if !out.contains(&col) {
                out.push(col);
            }
        }
    }
    out
}

/// The label of a finding's field: its place's field, else its key's.
fn field_label(f: &Finding, table: &Table) -> String {
    if let Some(p) = &f.place {
        return table.shape.spec(p.field()).label.clone();
    }
    match f.field.as_deref() {
        Some(k) => table
            .shape
            .field(k)
            .map_or(k.to_string(), |x| table.shape.spec(x).label.clone()),
        None => String::new(),
    }
}

/// The 校验结果 sheet: two summary lines, then one row per finding of every
/// table (or one row saying 未发现问题), errors first, each linked to its cell
/// on the sheet where its table was written; with several tables, a 工作表
/// column says which.
pub(super) fn write_findings_sheet(
    ws: &mut Worksheet,
    of: &[FindingsOf<'_>],
    extras: &[&Extra],
    styles: &Styles,
) -> Result<(), WriteError> {
    let several = of.len() > 1;
    let mut findings: Vec<(usize, &Finding)> = of
        .iter()
        .enumerate()
        .flat_map(|(k, o)| sorted_findings(o.report).into_iter().map(move |f| (k, f)))
        .collect();
    findings.sort_by_key(|(_, f)| f.severity);
    let errors: usize = of.iter().map(|o| o.report.errors).sum();
    let warnings: usize = of.iter().map(|o| o.report.warnings).sum();
    let infos = findings
        .iter()
        .filter(|(_, f)| f.severity == Severity::Info)
        .count();
    let mut summary = if findings.is_empty() {
        "校验结果：未发现问题".to_string()
    } else {
        format!("校验结果：错误 {errors} 项，警告 {warnings} 项")
    };
    if infos > 0 {
        summary.push_str(&format!("，提示 {infos} 项"));
    }
    if errors > 0 {
        summary.push_str("（有错误，表格需修改后重新提交）");
    } else if warnings > 0 {
        summary.push_str("（无错误，警告请核实）");
    }
    ws.write_string_with_format(0, 0, &summary, &styles.sheet_title)
        .map_err(xe)?;
    ws.set_row_height(0, 24.0).map_err(xe)?;
    let mut paths: Vec<&str> = Vec::new();
    for o in of {
        if !paths.contains(&o.report.path.as_str()) {
            paths.push(&o.report.path);
        }
    }
    let mut source = format!("文件：{}", paths.join("、"));
    if several {
        let sheets: Vec<&str> = of.iter().map(|o| o.sheet).collect();
        source.push_str(&format!("（{} 张表：{}）", of.len(), sheets.join("、")));
    } else if let Some(o) = of.first() {
        if !o.table.source.sheet.is_empty() {
            source.push_str(&format!("（工作表“{}”）", o.table.source.sheet));
        }
    }
    if !findings.is_empty() {
        source.push_str("。点击“本表单元格”可跳到标注的单元格；原单元格为提交文件中的位置。");
    }
    ws.write_string_with_format(1, 0, &source, &styles.unit_line)
        .map_err(xe)?;

    // Columns: 级别, 规则, [工作表], 原单元格, 本表单元格, the levels, the name, 字段, 说明.
    let tables: Vec<&Table> = of.iter().map(|o| o.table).collect();
    let levels = level_columns(&tables);
    let name_label = of
        .first()
        .and_then(|o| {
            let s = &o.table.shape;
            s.indicator_role(crate::model::Role::Name)
                .map(|i| s.indicator[i].label.clone())
        })
        .unwrap_or_default();
    let mut columns: Vec<ListColumn<'_>> = Vec::new();
    let lead = |(label, width): (&'static str, f64)| ListColumn {
        label,
        width,
        center: true,
    };
    columns.push(lead(LEAD[0]));
    columns.push(lead(LEAD[1]));
    if several {
        columns.push(lead(SHEET_COLUMN));
    }
    columns.push(lead(LEAD[2]));
    let link_col = columns.len() as u16;
    columns.push(lead(LEAD[3]));
    for (heading, _) in &levels {
        columns.push(ListColumn {
            label: heading,
            width: (heading.chars().count() as f64 * 2.0).clamp(8.0, 14.0),
            center: true,
        });
    }
    columns.push(ListColumn {
        label: &name_label,
        width: 26.0,
        center: false,
    });
    columns.push(ListColumn {
        label: "字段",
        width: 11.0,
        center: true,
    });
    columns.push(ListColumn {
        label: "说明",
        width: 60.0,
        center: false,
    });

    let mut rows: Vec<Vec<ListCell<'_>>> = Vec::new();
    let mut links: Vec<Option<(String, String)>> = Vec::new();
    for (k, f) in &findings {
        let o = &of[*k];
        let link = link_for(f, o, extras);
        let level = ListCell {
            text: f.severity.label().to_string(),
            format: mark_color(f.severity).map(|c| styles.list_marked_center(c)),
        };
        let json = serde_json::to_value(f).unwrap_or_default();
        let mut row: Vec<ListCell<'_>> = vec![level, f.code.label().into()];
        if several {
            row.push(o.sheet.into());
        }
        row.push(input_cell(f, o.table).into());
        row.push(
            link.as_ref()
                .map(|l| l.0.clone())
                .unwrap_or_default()
                .into(),
        );
        for (_, key) in &levels {
            row.push(json_text(json.get(key)).into());
        }
        row.push(f.indicator.clone().unwrap_or_default().into());
        row.push(field_label(f, o.table).into());
        row.push(f.message.as_str().into());
        rows.push(row);
        links.push(link);
    }
    let clean = rows.is_empty();
    if clean {
        let mut row: Vec<ListCell<'_>> = vec![ListCell::default(); columns.len()];
        row[0] = "未发现问题".into();
        rows.push(row);
    }
    write_list_sheet(ws, FINDINGS_HEADER_ROW, &columns, &rows, styles)?;
    if clean {
        let r = FINDINGS_HEADER_ROW + 1;
        let last = columns.len() as u16 - 1;
        ws.merge_range(r, 0, r, last, "未发现问题", &styles.list_center)
            .map_err(xe)?;
        ws.set_row_height(r, 24.0).map_err(xe)?;
    }
    // Rows a little taller than the list's estimate for wrapped text: fonts
    // standing in for 宋体 (LibreOffice, WPS) set mixed Chinese, digits and
    // quotes wider.
    for (i, cells) in rows.iter().enumerate().filter(|_| !clean) {
        let h = columns
            .iter()
            .zip(cells)
            .map(|(c, cell)| {
                let width = if c.center { c.width } else { c.width * 0.9 };
                text_height(&cell.text, width, DATA_SIZE)
            })
            .fold(18.0, f64::max);
        ws.set_row_height(FINDINGS_HEADER_ROW + 1 + i as u32, h)
            .map_err(xe)?;
    }
    // The 本表单元格 cells as internal links (the list wrote them as text first,
    // which sized the rows).
    for (i, link) in links.iter().enumerate() {
        if let Some((text, target)) = link {
            let url = Url::new(format!("internal:{target}")).set_text(text);
            ws.write_url_with_format(
                FINDINGS_HEADER_ROW + 1 + i as u32,
                link_col,
                url,
                &styles.list_link,
            )
            .map_err(xe)?;
        }
    }
    Ok(())
}
