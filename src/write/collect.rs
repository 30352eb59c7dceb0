//! The consolidated workbook of `collect`: 汇总 (every indicator), 文件清单 (every file), 问题清单 (every finding).

use super::{new_workbook, save, write_list_sheet, ListCell, ListColumn, Styles, WriteError};
use crate::collect::Collection;
use crate::model::Field;
use crate::template::{Align, Template};

fn xe(e: rust_xlsxwriter::XlsxError) -> WriteError {
    WriteError(e.to_string())
}

fn cell<'a>(text: impl Into<String>) -> ListCell<'a> {
    ListCell {
        text: text.into(),
        format: None,
    }
}

fn opt_year(y: Option<i32>) -> String {
    y.map(|y| y.to_string()).unwrap_or_default()
}

/// The consolidated workbook of many submissions.
pub fn collect_workbook(c: &Collection, template: &Template) -> Result<Vec<u8>, WriteError> {
    let styles = Styles::official();
    let mut wb = new_workbook("绩效目标表汇总");

    // 汇总: every indicator of every department, 单位 and 年度 first.
    let leaves = template.leaves();
    let mut columns = vec![
        ListColumn {
            label: "单位",
            width: 16.0,
            center: false,
        },
        ListColumn {
            label: "年度",
            width: 6.0,
            center: true,
        },
    ];
    for l in &leaves {
        columns.push(ListColumn {
            label: l.field.label(),
            width: l.column.width,
            center: l.column.align == Align::Center,
        });
    }
    columns.push(ListColumn {
        label: "文件",
        width: 24.0,
        center: false,
    });
    columns.push(ListColumn {
        label: "行号",
        width: 6.0,
        center: true,
    });
    let mut rows = Vec::new();
    for (path, t, _) in c.reports() {
        let dept = t.department.clone().unwrap_or_default();
        for d in &t.duties {
            for i in &d.indicators {
                let mut row = vec![cell(dept.clone()), cell(opt_year(t.year))];
                for l in &leaves {
                    row.push(cell(match l.field {
                        Field::Seq => d.seq.to_string(),
                        Field::DutyName => d.name.clone(),
                        Field::Objective => d.objective.clone(),
                        f => i.get(f).unwrap_or("").to_string(),
                    }));
                }
                row.push(cell(path));
                row.push(cell(i.row.to_string()));
                rows.push(row);
            }
        }
    }
    let ws = wb.add_worksheet().set_name("汇总").map_err(xe)?;
    write_list_sheet(ws, 0, &columns, &rows, &styles)?;

    // 文件清单: one row per file with its status.
    let columns = [
        ListColumn {
            label: "文件",
            width: 36.0,
            center: false,
        },
        ListColumn {
            label: "单位",
            width: 16.0,
            center: false,
        },
        ListColumn {
            label: "年度",
            width: 6.0,
            center: true,
        },
        ListColumn {
            label: "职责数",
            width: 7.0,
            center: true,
        },
        ListColumn {
            label: "指标数",
            width: 7.0,
            center: true,
        },
        ListColumn {
            label: "错误",
            width: 6.0,
            center: true,
        },
        ListColumn {
            label: "警告",
            width: 6.0,
            center: true,
        },
        ListColumn {
            label: "状态",
            width: 9.0,
            center: true,
        },
        ListColumn {
            label: "说明",
            width: 50.0,
            center: false,
        },
    ];
    let rows: Vec<Vec<ListCell>> = c
        .entries
        .iter()
        .map(|e| {
            vec![
                cell(e.path.as_str()),
                cell(e.department.clone().unwrap_or_default()),
                cell(opt_year(e.year)),
                cell(e.duties.to_string()),
                cell(e.indicators.to_string()),
                cell(e.errors.to_string()),
                cell(e.warnings.to_string()),
                cell(e.status.label()),
                cell(e.reason.clone().unwrap_or_default()),
            ]
        })
        .collect();
    let ws = wb.add_worksheet().set_name("文件清单").map_err(xe)?;
    write_list_sheet(ws, 0, &columns, &rows, &styles)?;

    // 问题清单: every validation finding with its file and cell.
    let columns = [
        ListColumn {
            label: "文件",
            width: 30.0,
            center: false,
        },
        ListColumn {
            label: "单位",
            width: 16.0,
            center: false,
        },
        ListColumn {
            label: "级别",
            width: 6.0,
            center: true,
        },
        ListColumn {
            label: "规则",
            width: 20.0,
            center: true,
        },
        ListColumn {
            label: "工作表",
            width: 10.0,
            center: true,
        },
        ListColumn {
            label: "单元格",
            width: 7.0,
            center: true,
        },
        ListColumn {
            label: "职责序号",
            width: 6.0,
            center: true,
        },
        ListColumn {
            label: "绩效指标",
            width: 20.0,
            center: false,
        },
        ListColumn {
            label: "说明",
            width: 50.0,
            center: false,
        },
    ];
    let mut rows = Vec::new();
    for (path, t, report) in c.reports() {
        for i in &report.issues {
            rows.push(vec![
                cell(path),
                cell(t.department.clone().unwrap_or_default()),
                cell(i.severity.label()),
                cell(i.code.as_str()),
                cell(i.sheet.as_str()),
                cell(i.cell.as_str()),
                cell(i.duty.as_ref().map(|d| d.to_string()).unwrap_or_default()),
                cell(i.indicator.clone().unwrap_or_default()),
                cell(i.message.as_str()),
            ]);
        }
    }
    let ws = wb.add_worksheet().set_name("问题清单").map_err(xe)?;
    write_list_sheet(ws, 0, &columns, &rows, &styles)?;

    save(&mut wb)
}
