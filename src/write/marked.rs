//! The marked workbook of `validate -o`: the re-styled table with each finding
//! marked on its cell (fill and a note), a 校验结果 sheet listing every finding
//! with a link to its cell, and the 其他内容 sheet when the table has extras.

use super::extras::{write_extras_sheet, EXTRAS_SHEET};
use super::styles::DATA_SIZE;
use super::table::text_height;
use super::{
    new_workbook, save, write_list_sheet, write_table_sheet, xe, ListCell, ListColumn, Mark,
    MarkColor, Styles, TableLayout, WriteError, TABLE_SHEET,
};
use crate::model::{Field, Table};
use crate::template::Template;
use crate::validate::{Finding, Report, Severity};
use rust_xlsxwriter::{Url, Worksheet};

/// The name of the findings sheet.
pub const FINDINGS_SHEET: &str = "校验结果";

/// The row (0-based) of the findings sheet's column header; the summary lines are above it.
const FINDINGS_HEADER_ROW: u32 = 3;

/// The columns of the findings sheet, in order.
const COLUMNS: [ListColumn<'static>; 8] = [
    ListColumn {
        label: "级别",
        width: 7.0,
        center: true,
    },
    ListColumn {
        label: "规则",
        width: 21.0,
        center: true,
    },
    ListColumn {
        label: "原单元格",
        width: 9.0,
        center: true,
    },
    ListColumn {
        label: "本表单元格",
        width: 12.0,
        center: true,
    },
    ListColumn {
        label: "职责序号",
        width: 8.0,
        center: true,
    },
    ListColumn {
        label: "绩效指标",
        width: 26.0,
        center: false,
    },
    ListColumn {
        label: "字段",
        width: 11.0,
        center: true,
    },
    ListColumn {
        label: "说明",
        width: 60.0,
        center: false,
    },
];
/// The 本表单元格 column.
const LINK_COL: u16 = 3;

/// The fill of a finding's severity (an `info` finding is listed, not filled).
fn mark_color(s: Severity) -> Option<MarkColor> {
    match s {
        Severity::Error => Some(MarkColor::Error),
        Severity::Warning => Some(MarkColor::Warning),
        Severity::Info => None,
    }
}

/// The note on a marked cell: severity, message, rule code and the input cell
/// (`[错误] 年度指标值为空（规则 missing_value，原单元格 F12）`), since the
/// re-styled table may put the cell elsewhere.
pub fn finding_note(f: &Finding) -> String {
    format!(
        "[{}] {}（规则 {}，原单元格 {}）",
        f.severity.label(),
        f.message.trim(),
        f.code,
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
fn link_for(
    f: &Finding,
    table: &Table,
    layout: &TableLayout,
    table_sheet: &str,
) -> Option<(String, String)> {
    if let Some(place) = &f.place {
        let a1 = layout.a1(place)?;
        return Some((a1.clone(), sheet_ref(table_sheet, &a1)));
    }
    let sheet = if f.sheet.is_empty() {
        table.source.sheet.as_str()
    } else {
        f.sheet.as_str()
    };
    let ix = table.extras.iter().position(|e| {
        e.cell == f.cell && (e.sheet.is_empty() || e.sheet == sheet) && !e.text.trim().is_empty()
    })?;
    // The extras sheet: header on row 1, extra `ix` on row ix + 2, its text in column C.
    let cell = format!("C{}", ix + 2);
    Some((
        format!("{EXTRAS_SHEET}!{cell}"),
        sheet_ref(EXTRAS_SHEET, &cell),
    ))
}

/// The marked workbook: sheet `绩效目标表` is the official table with every
/// finding that has a place filled (error red, warning amber) and annotated
/// with [`finding_note`]; sheet `校验结果` lists the findings, errors first, each
/// with a link to its cell (`'绩效目标表'!F12`); sheet `其他内容` lists the
/// table's extras, when it has any.
pub fn marked_workbook(
    table: &Table,
    report: &Report,
    template: &Template,
) -> Result<Vec<u8>, WriteError> {
    let styles = Styles::official();
    let mut wb = new_workbook(&table.title);

    let findings = sorted_findings(report);
    let marks = finding_marks(&findings);

    let ws = wb.add_worksheet();
    ws.set_name(TABLE_SHEET).map_err(xe)?;
    let layout = write_table_sheet(ws, table, template, &marks, &styles)?;

    let ws = wb.add_worksheet();
    ws.set_name(FINDINGS_SHEET).map_err(xe)?;
    write_findings_sheet(ws, table, report, &findings, &layout, TABLE_SHEET, &styles)?;

    if !table.extras.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(EXTRAS_SHEET).map_err(xe)?;
        write_extras_sheet(ws, &table.extras, &styles)?;
    }
    save(&mut wb)
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

/// The 校验结果 sheet: two summary lines, then one row per finding (or one
/// row saying 未发现问题), each linked to its cell on the sheet `table_sheet`
/// (where the table was written, as `layout` says).
pub(super) fn write_findings_sheet(
    ws: &mut Worksheet,
    table: &Table,
    report: &Report,
    findings: &[&Finding],
    layout: &TableLayout,
    table_sheet: &str,
    styles: &Styles,
) -> Result<(), WriteError> {
    let infos = findings
        .iter()
        .filter(|f| f.severity == Severity::Info)
        .count();
    let mut summary = if findings.is_empty() {
        "校验结果：未发现问题".to_string()
    } else {
        format!(
            "校验结果：错误 {} 项，警告 {} 项",
            report.errors, report.warnings
        )
    };
    if infos > 0 {
        summary.push_str(&format!("，提示 {infos} 项"));
    }
    if report.errors > 0 {
        summary.push_str("（有错误，表格需修改后重新提交）");
    } else if report.warnings > 0 {
        summary.push_str("（无错误，警告请核实）");
    }
    ws.write_string_with_format(0, 0, &summary, &styles.sheet_title)
        .map_err(xe)?;
    ws.set_row_height(0, 24.0).map_err(xe)?;
    let mut source = format!("文件：{}", report.path);
    if !table.source.sheet.is_empty() {
        source.push_str(&format!("（工作表“{}”）", table.source.sheet));
    }
    if !findings.is_empty() {
        source.push_str("。点击“本表单元格”可跳到标注的单元格；原单元格为提交文件中的位置。");
    }
    ws.write_string_with_format(1, 0, &source, &styles.unit_line)
        .map_err(xe)?;

    let mut rows: Vec<Vec<ListCell<'_>>> = Vec::new();
    let mut links: Vec<Option<(String, String)>> = Vec::new();
    for f in findings {
        let link = link_for(f, table, layout, table_sheet);
        let level = ListCell {
            text: f.severity.label().to_string(),
            format: mark_color(f.severity).map(|c| styles.list_marked_center(c)),
        };
        let field = f
            .field
            .as_deref()
            .map(|k| Field::from_key(k).map_or(k.to_string(), |x| x.label().to_string()))
            .unwrap_or_default();
        rows.push(vec![
            level,
            f.code.as_str().into(),
            input_cell(f, table).into(),
            link.as_ref()
                .map(|l| l.0.clone())
                .unwrap_or_default()
                .into(),
            f.duty
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default()
                .into(),
            f.indicator.clone().unwrap_or_default().into(),
            field.into(),
            f.message.as_str().into(),
        ]);
        links.push(link);
    }
    let clean = rows.is_empty();
    if clean {
        let mut row: Vec<ListCell<'_>> = vec![ListCell::default(); COLUMNS.len()];
        row[0] = "未发现问题".into();
        rows.push(row);
    }
    write_list_sheet(ws, FINDINGS_HEADER_ROW, &COLUMNS, &rows, styles)?;
    if clean {
        let r = FINDINGS_HEADER_ROW + 1;
        let last = COLUMNS.len() as u16 - 1;
        ws.merge_range(r, 0, r, last, "未发现问题", &styles.list_center)
            .map_err(xe)?;
        ws.set_row_height(r, 24.0).map_err(xe)?;
    }
    // Rows a little taller than the list's estimate for wrapped text: fonts
    // standing in for 宋体 (LibreOffice, WPS) set mixed Chinese, digits and
    // quotes wider.
    for (i, cells) in rows.iter().enumerate().filter(|_| !clean) {
        let h = COLUMNS
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
                LINK_COL,
                url,
                &styles.list_link,
            )
            .map_err(xe)?;
        }
    }
    Ok(())
}
