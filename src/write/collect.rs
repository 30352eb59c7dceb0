//! The consolidated workbook of `collect`: 汇总 (every indicator), 文件清单 (every file), 问题清单 (every finding).

use super::WriteError;
use crate::collect::Collection;
use crate::model::{Field, Seq};
use crate::template::Template;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};

fn err(e: rust_xlsxwriter::XlsxError) -> WriteError {
    WriteError(e.to_string())
}

struct Formats {
    header: Format,
    text: Format,
    center: Format,
}

fn formats() -> Formats {
    let base = Format::new()
        .set_font_name("宋体")
        .set_font_size(10)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    Formats {
        header: Format::new()
            .set_font_name("黑体")
            .set_font_size(10)
            .set_bold()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap()
            .set_background_color(0xD9D9D9),
        center: base.clone().set_align(FormatAlign::Center),
        text: base,
    }
}

/// Writes a header row and sets the column widths.
fn header(ws: &mut Worksheet, cols: &[(&str, f64)], f: &Formats) -> Result<(), WriteError> {
    for (c, (label, width)) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *label, &f.header)
            .map_err(err)?;
        ws.set_column_width(c as u16, *width).map_err(err)?;
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    Ok(())
}

fn finish(ws: &mut Worksheet, rows: u32, cols: usize) -> Result<(), WriteError> {
    ws.autofilter(0, 0, rows.max(1), cols as u16 - 1)
        .map_err(err)?;
    Ok(())
}

fn seq(ws: &mut Worksheet, row: u32, col: u16, s: &Seq, f: &Format) -> Result<(), WriteError> {
    match s {
        Seq::Number(n) => ws.write_number_with_format(row, col, *n as f64, f),
        Seq::Text(t) => ws.write_string_with_format(row, col, t, f),
    }
    .map_err(err)?;
    Ok(())
}

fn opt_year(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    y: Option<i32>,
    f: &Format,
) -> Result<(), WriteError> {
    match y {
        Some(y) => ws.write_number_with_format(row, col, y as f64, f),
        None => ws.write_blank(row, col, f),
    }
    .map_err(err)?;
    Ok(())
}

/// The consolidated workbook of many submissions.
pub fn collect_workbook(c: &Collection, template: &Template) -> Result<Vec<u8>, WriteError> {
    let f = formats();
    let mut wb = Workbook::new();

    // 汇总: every indicator of every department, 单位 and 年度 first.
    let ws = wb.add_worksheet().set_name("汇总").map_err(err)?;
    let mut cols: Vec<(&str, f64)> = vec![("单位", 16.0), ("年度", 6.0)];
    let leaves = template.leaves();
    for l in &leaves {
        cols.push((l.field.label(), l.column.width));
    }
    cols.push(("文件", 24.0));
    cols.push(("行号", 6.0));
    header(ws, &cols, &f)?;
    let mut r = 0u32;
    for (path, t, _) in c.reports() {
        let dept = t.department.as_deref().unwrap_or("");
        for d in &t.duties {
            for i in &d.indicators {
                r += 1;
                ws.write_string_with_format(r, 0, dept, &f.text)
                    .map_err(err)?;
                opt_year(ws, r, 1, t.year, &f.center)?;
                for (k, l) in leaves.iter().enumerate() {
                    let col = 2 + k as u16;
                    let fmt = if l.column.align == crate::template::Align::Left {
                        &f.text
                    } else {
                        &f.center
                    };
                    match l.field {
                        Field::Seq => seq(ws, r, col, &d.seq, fmt)?,
                        Field::DutyName => {
                            ws.write_string_with_format(r, col, &d.name, fmt)
                                .map_err(err)?;
                        }
                        Field::Objective => {
                            ws.write_string_with_format(r, col, &d.objective, fmt)
                                .map_err(err)?;
                        }
                        field => {
                            let v = i.get(field).unwrap_or("");
                            ws.write_string_with_format(r, col, v, fmt).map_err(err)?;
                        }
                    }
                }
                let c0 = 2 + leaves.len() as u16;
                ws.write_string_with_format(r, c0, path, &f.text)
                    .map_err(err)?;
                ws.write_number_with_format(r, c0 + 1, i.row as f64, &f.center)
                    .map_err(err)?;
            }
        }
    }
    finish(ws, r, cols.len())?;

    // 文件清单: one row per file with its status.
    let ws = wb.add_worksheet().set_name("文件清单").map_err(err)?;
    let cols = [
        ("文件", 36.0),
        ("单位", 16.0),
        ("年度", 6.0),
        ("职责数", 7.0),
        ("指标数", 7.0),
        ("错误", 6.0),
        ("警告", 6.0),
        ("状态", 9.0),
        ("说明", 50.0),
    ];
    header(ws, &cols, &f)?;
    for (k, e) in c.entries.iter().enumerate() {
        let r = k as u32 + 1;
        ws.write_string_with_format(r, 0, &e.path, &f.text)
            .map_err(err)?;
        ws.write_string_with_format(r, 1, e.department.as_deref().unwrap_or(""), &f.text)
            .map_err(err)?;
        opt_year(ws, r, 2, e.year, &f.center)?;
        for (col, n) in [
            (3u16, e.duties),
            (4, e.indicators),
            (5, e.errors),
            (6, e.warnings),
        ] {
            ws.write_number_with_format(r, col, n as f64, &f.center)
                .map_err(err)?;
        }
        ws.write_string_with_format(r, 7, e.status.label(), &f.center)
            .map_err(err)?;
        ws.write_string_with_format(r, 8, e.reason.as_deref().unwrap_or(""), &f.text)
            .map_err(err)?;
    }
    finish(ws, c.entries.len() as u32, cols.len())?;

    // 问题清单: every validation finding with its file and cell.
    let ws = wb.add_worksheet().set_name("问题清单").map_err(err)?;
    let cols = [
        ("文件", 30.0),
        ("单位", 16.0),
        ("级别", 6.0),
        ("规则", 20.0),
        ("工作表", 10.0),
        ("单元格", 7.0),
        ("职责序号", 6.0),
        ("绩效指标", 20.0),
        ("说明", 50.0),
    ];
    header(ws, &cols, &f)?;
    let mut r = 0u32;
    for (path, t, report) in c.reports() {
        for i in &report.issues {
            r += 1;
            let level = match i.severity {
                crate::validate::Severity::Error => "错误",
                crate::validate::Severity::Warning => "警告",
                crate::validate::Severity::Info => "提示",
            };
            let dept = t.department.as_deref().unwrap_or("");
            for (col, v) in [
                (0u16, path),
                (1, dept),
                (2, level),
                (3, i.code.as_str()),
                (4, i.sheet.as_str()),
                (5, i.cell.as_str()),
            ] {
                ws.write_string_with_format(r, col, v, if col >= 2 { &f.center } else { &f.text })
                    .map_err(err)?;
            }
            match &i.duty {
                Some(s) => seq(ws, r, 6, s, &f.center)?,
                None => {
                    ws.write_blank(r, 6, &f.center).map_err(err)?;
                }
            }
            ws.write_string_with_format(r, 7, i.indicator.as_deref().unwrap_or(""), &f.text)
                .map_err(err)?;
            ws.write_string_with_format(r, 8, &i.message, &f.text)
                .map_err(err)?;
        }
    }
    finish(ws, r, cols.len())?;

    wb.save_to_buffer().map_err(err)
}
