//! The consolidated workbook of `collect`: 汇总 (every indicator), 项目清单 and 项目指标 (project tables), 文件清单 (every file), 问题清单 (every finding).
//!
//! Which tables are projects is the template's word, not a name: a template
//! whose form has a [`Role::Project`] field makes project tables. Their
//! indicators go to 项目指标 (with a column per grouping level), their forms
//! to 项目清单 (one row per project, amounts as numbers in 万元 with a total
//! row); the indicators of the other templates' tables go to 汇总 as ever.

use super::marked::level_columns;
use super::{new_workbook, save, write_list_sheet, ListCell, ListColumn, Styles, WriteError};
use crate::collect::Collection;
use crate::model::{FieldRef, Parsed, Role, Shape, Table};
use crate::template::{Align, Template};
use crate::validate::Report;
use rust_xlsxwriter::{Formula, Worksheet};

use super::xe;

fn cell<'a>(text: impl Into<String>) -> ListCell<'a> {
    ListCell {
        text: text.into(),
        format: None,
    }
}

fn opt_year(y: Option<i32>) -> String {
    y.map(|y| y.to_string()).unwrap_or_default()
}

/// The name of the indicator sheet of non-project tables.
pub const SUMMARY_SHEET: &str = "汇总";
/// The sheet listing every file and table (its presence marks a summary workbook).
pub const FILES_SHEET: &str = "文件清单";
/// One row per project table.
pub const PROJECTS_SHEET: &str = "项目清单";
/// Every indicator of every project table.
pub const PROJECT_INDICATORS_SHEET: &str = "项目指标";
/// 元 in one 万元: 项目清单 shows amounts in 万元.
const YUAN_PER_WAN: f64 = 10_000.0;

/// Whether a shape's tables are projects (its form names the project).
fn is_project(shape: &Shape) -> bool {
    shape.form_role(Role::Project).is_some()
}

/// The template of a table: the one named by its `template`, else the first given.
fn template_of<'a>(templates: &'a [Template], t: &Table) -> Option<&'a Template> {
    find(templates, &t.template).or_else(|| templates.first())
}

/// The group and indicator cells of one indicator row, in the template's leaf order.
fn grid_cells<'a>(
    tpl: &Template,
    t: &Table,
    g: &crate::model::Group,
    i: &crate::model::Indicator,
) -> Vec<ListCell<'a>> {
    tpl.leaves()
        .iter()
        .map(|l| {
            cell(match l.field {
                FieldRef::Group(f) => {
                    let spec = &t.shape.group[f];
                    let text = g.text(f);
                    if spec.numeric {
                        crate::model::Seq::from_text(text).to_string()
                    } else {
                        text.to_string()
                    }
                }
                FieldRef::Indicator(f) => i.text(f).to_string(),
                FieldRef::Form(f) => t.form.text(f).to_string(),
            })
        })
        .collect()
}

/// A list column with its own label (the list borrows it while the sheet is written).
struct Col {
    label: String,
    width: f64,
    center: bool,
}

impl Col {
    fn new(label: impl Into<String>, width: f64, center: bool) -> Col {
        Col {
            label: label.into(),
            width,
            center,
        }
    }
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

/// The grid's columns (its leaves, by their fields' labels).
fn grid_columns(tpl: &Template) -> Vec<Col> {
    let shape = tpl.shape();
    tpl.leaves()
        .iter()
        .map(|l| {
            Col::new(
                shape.spec(l.field).label.clone(),
                l.column.width,
                l.column.align == Align::Center,
            )
        })
        .collect()
}

/// Writes a list sheet whose `numeric` columns hold numbers: a cell there
/// whose text is a whole number is written as that number (年度, counts, 行号,
/// a numeric group's 序号), so it sorts and sums; any other text stays text.
fn write_list_numbers(
    ws: &mut rust_xlsxwriter::Worksheet,
    columns: &[ListColumn<'_>],
    rows: &[Vec<ListCell<'_>>],
    numeric: &[usize],
    styles: &Styles,
) -> Result<(), WriteError> {
    write_list_sheet(ws, 0, columns, rows, styles)?;
    for (k, cells) in rows.iter().enumerate() {
        for &c in numeric {
            let Some(cell) = cells.get(c) else { continue };
            let Ok(n) = cell.text.trim().parse::<i64>() else {
                continue;
            };
            let fmt = cell.format.unwrap_or(if columns[c].center {
                &styles.list_center
            } else {
                &styles.list_text
            });
            ws.write_number_with_format(k as u32 + 1, c as u16, n as f64, fmt)
                .map_err(super::xe)?;
        }
    }
    Ok(())
}

/// Which grid columns (by leaf, from `first`) hold numbers: numeric group fields (序号).
fn numeric_grid(tpl: &Template, first: usize) -> Vec<usize> {
    let shape = tpl.shape();
    tpl.leaves()
        .iter()
        .enumerate()
        .filter(|(_, l)| matches!(l.field, FieldRef::Group(f) if shape.group[f].numeric))
        .map(|(k, _)| first + k)
        .collect()
}

/// The template with this id.
fn find<'a>(templates: &'a [Template], id: &str) -> Option<&'a Template> {
    templates.iter().find(|t| t.id == id)
}

/// The consolidated workbook of many submissions; `templates` are the
/// templates the tables may be of (a table's own is found by its id).
///
/// # Errors
///
/// [`WriteError::Xlsx`] when rust_xlsxwriter refuses the workbook.
pub fn collect_workbook(c: &Collection, templates: &[Template]) -> Result<Vec<u8>, WriteError> {
    let styles = Styles::official();
    let mut wb = new_workbook("绩效目标表汇总");
    let fallback = Template::default_template();
    let templates: &[Template] = if templates.is_empty() {
        std::slice::from_ref(&fallback)
    } else {
        templates
    };
    let reports: Vec<(&str, &Table, &Report)> = c.reports().collect();

    // 汇总: every indicator of the non-project tables, 单位 and 年度 first;
    // one sheet per template (the first is 汇总).
    let mut grid_templates: Vec<&Template> = Vec::new();
    for (_, t, _) in &reports {
        if let Some(tpl) = template_of(templates, t) {
            if !is_project(&tpl.shape()) && !grid_templates.iter().any(|x| x.id == tpl.id) {
                grid_templates.push(tpl);
            }
        }
    }
    let any_project = reports.iter().any(|(_, t, _)| is_project(&t.shape));
    if grid_templates.is_empty() && !any_project {
        if let Some(tpl) = templates
            .iter()
            .find(|t| !is_project(&t.shape()))
            .or(templates.first())
        {
            grid_templates.push(tpl);
        }
    }
    for (n, tpl) in grid_templates.iter().enumerate() {
        let mut cols = vec![Col::new("单位", 16.0, false), Col::new("年度", 6.0, true)];
        cols.extend(grid_columns(tpl));
        cols.push(Col::new("文件", 24.0, false));
        cols.push(Col::new("行号", 6.0, true));
        let columns = list_columns(&cols);
        let mut rows = Vec::new();
        for (path, t, _) in &reports {
            if t.template != tpl.id && !(n == 0 && find(templates, &t.template).is_none()) {
                continue;
            }
            if is_project(&t.shape) {
                continue;
            }
            let dept = t.department.clone().unwrap_or_default();
            for (g, i) in t.indicators() {
                let mut row = vec![cell(dept.clone()), cell(opt_year(t.year))];
                row.extend(grid_cells(tpl, t, g, i));
                row.push(cell(*path));
                row.push(cell(i.row.to_string()));
                rows.push(row);
            }
        }
        let name = if n == 0 {
            SUMMARY_SHEET.to_string()
        } else {
            format!("{SUMMARY_SHEET}（{}）", tpl.name)
                .chars()
                .take(31)
                .collect()
        };
        let mut numeric = vec![1, cols.len() - 1];
        numeric.extend(numeric_grid(tpl, 2));
        let ws = wb.add_worksheet().set_name(name).map_err(xe)?;
        write_list_numbers(ws, &columns, &rows, &numeric, &styles)?;
    }

    // 项目清单 and 项目指标, per project template.
    let mut project_templates: Vec<&Template> = Vec::new();
    for (_, t, _) in &reports {
        if is_project(&t.shape) {
            if let Some(tpl) = find(templates, &t.template) {
                if !project_templates.iter().any(|x| x.id == tpl.id) {
                    project_templates.push(tpl);
                }
            }
        }
    }
    for (n, tpl) in project_templates.iter().enumerate() {
        let suffix = |base: &str| -> String {
            if n == 0 {
                base.to_string()
            } else {
                format!("{base}（{}）", tpl.name).chars().take(31).collect()
            }
        };
        let tables: Vec<(&str, &Table, &Report)> = reports
            .iter()
            .filter(|(_, t, _)| t.template == tpl.id)
            .copied()
            .collect();
        let ws = wb
            .add_worksheet()
            .set_name(suffix(PROJECTS_SHEET))
            .map_err(xe)?;
        write_projects_sheet(ws, tpl, &tables, &styles)?;

        let shape = tpl.shape();
        let mut cols = vec![
            Col::new(form_label(&shape, Role::Department, "单位"), 16.0, false),
            Col::new(form_label(&shape, Role::Project, "项目"), 24.0, false),
            Col::new("年度", 6.0, true),
        ];
        cols.extend(grid_columns(tpl));
        cols.push(Col::new("文件", 24.0, false));
        cols.push(Col::new("行号", 6.0, true));
        let columns = list_columns(&cols);
        let mut rows = Vec::new();
        for (path, t, _) in &tables {
            for (g, i) in t.indicators() {
                let mut row = vec![
                    cell(department_of(t)),
                    cell(t.project()),
                    cell(opt_year(t.year)),
                ];
                row.extend(grid_cells(tpl, t, g, i));
                row.push(cell(*path));
                row.push(cell(i.row.to_string()));
                rows.push(row);
            }
        }
        let ws = wb
            .add_worksheet()
            .set_name(suffix(PROJECT_INDICATORS_SHEET))
            .map_err(xe)?;
        let mut numeric = vec![2, cols.len() - 1];
        numeric.extend(numeric_grid(tpl, 3));
        write_list_numbers(ws, &columns, &rows, &numeric, &styles)?;
    }

    // 文件清单: one row per file with its status; the group count is named
    // after the innermost level of the first grid template (职责数).
    let groups_shape = grid_templates
        .first()
        .map_or_else(|| templates[0].shape(), |t| t.shape());
    // The project column, named as the first project template names it (项目名称).
    let project_label = project_templates.first().map_or("项目".to_string(), |t| {
        form_label(&t.shape(), Role::Project, "项目")
    });
    let groups_label = format!(
        "{}数",
        groups_shape
            .levels
            .last()
            .map_or("分组", |l| l.name.as_str())
    );
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
            label: &groups_label,
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
        ListColumn {
            label: "工作表",
            width: 14.0,
            center: true,
        },
        ListColumn {
            label: "行",
            width: 8.0,
            center: true,
        },
        ListColumn {
            label: &project_label,
            width: 24.0,
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
                cell(e.sheet.clone().unwrap_or_default()),
                cell(e.rows.map_or(String::new(), |[a, b]| format!("{a}–{b}"))),
                cell(e.project.clone().unwrap_or_default()),
            ]
        })
        .collect();
    let ws = wb.add_worksheet().set_name(FILES_SHEET).map_err(xe)?;
    write_list_numbers(ws, &columns, &rows, &[2, 3, 4, 5, 6], &styles)?;

    // 问题清单: every validation finding with its file and cell.
    let tables: Vec<&Table> = reports.iter().map(|(_, t, _)| *t).collect();
    let mut levels = level_columns(&tables);
    if levels.is_empty() {
        // No table read: the default template's levels, as ever.
        let t = Table::new(templates[0].shape());
        levels = level_columns(&[&t]);
    }
    let name_shape = tables
        .first()
        .map_or_else(|| templates[0].shape(), |t| t.shape.clone());
    let name_label = name_shape
        .indicator_role(Role::Name)
        .map(|i| name_shape.indicator[i].label.clone())
        .unwrap_or_default();
    let mut columns = vec![
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
            width: 32.0,
            center: false,
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
    ];
    for (heading, _) in &levels {
        columns.push(ListColumn {
            label: heading,
            width: if heading.chars().count() <= 4 {
                6.0
            } else {
                10.0
            },
            center: true,
        });
    }
    columns.push(ListColumn {
        label: &name_label,
        width: 20.0,
        center: false,
    });
    columns.push(ListColumn {
        label: "说明",
        width: 50.0,
        center: false,
    });
    let mut rows = Vec::new();
    for (path, t, report) in &reports {
        for i in &report.issues {
            let json = serde_json::to_value(i).unwrap_or_default();
            let mut row = vec![
                cell(*path),
                cell(t.department.clone().unwrap_or_default()),
                cell(i.severity.label()),
                cell(i.code.label()),
                cell(i.sheet.as_str()),
                cell(i.cell.as_str()),
            ];
            for (_, key) in &levels {
                row.push(cell(match json.get(key) {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Null) | None => String::new(),
                    Some(v) => v.to_string(),
                }));
            }
            row.push(cell(i.indicator.clone().unwrap_or_default()));
            row.push(cell(i.message.as_str()));
            rows.push(row);
        }
    }
    // A numeric level's column (职责序号) holds numbers.
    let numeric: Vec<usize> = (6..6 + levels.len()).collect();
    let ws = wb.add_worksheet().set_name("问题清单").map_err(xe)?;
    write_list_numbers(ws, &columns, &rows, &numeric, &styles)?;

    save(&mut wb)
}

/// The label of the form field playing `role`, `fallback` when the shape has none.
fn form_label(shape: &Shape, role: Role, fallback: &str) -> String {
    shape
        .form_role(role)
        .map_or(fallback.to_string(), |i| shape.form[i].label.clone())
}

/// A project's department: its form's, else the table's.
fn department_of(t: &Table) -> String {
    let d = t.form_text_of(Role::Department).trim();
    if d.is_empty() {
        t.department.clone().unwrap_or_default()
    } else {
        d.to_string()
    }
}

/// What a 项目清单 column shows.
#[derive(Clone, Copy)]
enum ProjectCol {
    /// A form field's text.
    Text(usize),
    /// A money form field, in 万元.
    Amount(usize),
    Indicators,
    Errors,
    Warnings,
    File,
}

/// The 项目清单 sheet: one row per project table, its form's fields (the
/// department first, then the project, then the other short fields; money
/// fields as numbers in 万元), its counts and its file; a total row of SUM
/// formulas under it.
fn write_projects_sheet(
    ws: &mut Worksheet,
    tpl: &Template,
    tables: &[(&str, &Table, &Report)],
    styles: &Styles,
) -> Result<(), WriteError> {
    let shape = tpl.shape();
    let mut cols: Vec<(String, f64, ProjectCol)> = Vec::new();
    let dept = shape.form_role(Role::Department);
    let project = shape.form_role(Role::Project);
    for i in dept.into_iter().chain(project) {
        cols.push((shape.form[i].label.clone(), 22.0, ProjectCol::Text(i)));
    }
    for (i, f) in shape.form.iter().enumerate() {
        if Some(i) == dept || Some(i) == project {
            continue;
        }
        match f.role {
            Some(Role::Goal | Role::MoneyUnit | Role::DepartmentCode) => continue,
            _ if f.money => {
                cols.push((format!("{}（万元）", f.label), 12.0, ProjectCol::Amount(i)))
            }
            _ => cols.push((f.label.clone(), 14.0, ProjectCol::Text(i))),
        }
    }
    cols.push(("指标数".into(), 7.0, ProjectCol::Indicators));
    cols.push(("错误".into(), 6.0, ProjectCol::Errors));
    cols.push(("警告".into(), 6.0, ProjectCol::Warnings));
    cols.push(("文件".into(), 30.0, ProjectCol::File));
    let columns: Vec<ListColumn<'_>> = cols
        .iter()
        .map(|(label, width, kind)| ListColumn {
            label,
            width: *width,
            center: matches!(
                kind,
                ProjectCol::Indicators | ProjectCol::Errors | ProjectCol::Warnings
            ),
        })
        .collect();
    // Numbers are written over the list's (blank) cells: the list sizes and
    // borders the rows, the numbers stay numbers.
    let mut numbers: Vec<Vec<Option<f64>>> = Vec::new();
    let rows: Vec<Vec<ListCell<'_>>> = tables
        .iter()
        .map(|(path, t, r)| {
            let mut nums = Vec::new();
            let row = cols
                .iter()
                .map(|(_, _, kind)| {
                    let (text, n) = match *kind {
                        ProjectCol::Text(i) if Some(i) == dept => (department_of(t), None),
                        ProjectCol::Text(i) => (t.form.text(i).to_string(), None),
                        ProjectCol::Amount(i) => (String::new(), amount_wan(t, i)),
                        ProjectCol::Indicators => (String::new(), Some(t.indicator_count() as f64)),
                        ProjectCol::Errors => (String::new(), Some(r.errors as f64)),
                        ProjectCol::Warnings => (String::new(), Some(r.warnings as f64)),
                        ProjectCol::File => (path.to_string(), None),
                    };
                    nums.push(n);
                    cell(text)
                })
                .collect();
            numbers.push(nums);
            row
        })
        .collect();
    let last = write_list_sheet(ws, 0, &columns, &rows, styles)?;
    let number_format = |kind: ProjectCol| match kind {
        ProjectCol::Amount(_) => &styles.list_amount,
        _ => &styles.list_count,
    };
    for (r, nums) in numbers.iter().enumerate() {
        for (c, n) in nums.iter().enumerate() {
            let fmt = number_format(cols[c].2);
            let (row, col) = (1 + r as u32, c as u16);
            match n {
                Some(x) => ws.write_number_with_format(row, col, *x, fmt),
                None if matches!(cols[c].2, ProjectCol::Amount(_)) => ws.write_blank(row, col, fmt),
                None => continue,
            }
            .map_err(xe)?;
        }
    }
    // The total row: SUM over the amounts and counts.
    let total_row = last + 1;
    let first_data = 2; // Excel row of the first project.
    let last_data = (tables.len() as u32 + 1).max(first_data);
    for (c, (_, _, kind)) in cols.iter().enumerate() {
        let col = c as u16;
        let letters = crate::model::col_letters(col as u32);
        match kind {
            ProjectCol::Amount(_)
            | ProjectCol::Indicators
            | ProjectCol::Errors
            | ProjectCol::Warnings => {
                let sum: f64 = numbers.iter().filter_map(|n| n[c]).sum();
                let f = Formula::new(format!("=SUM({letters}{first_data}:{letters}{last_data})"))
                    .set_result(format_result(sum));
                ws.write_formula_with_format(total_row, col, f, number_format(*kind))
                    .map_err(xe)?;
            }
            _ if c == 0 => {
                ws.write_string_with_format(total_row, col, "合计", &styles.label)
                    .map_err(xe)?;
            }
            _ => {
                ws.write_blank(total_row, col, &styles.list_text)
                    .map_err(xe)?;
            }
        }
    }
    ws.set_row_height(total_row, 20.0).map_err(xe)?;
    Ok(())
}

/// A formula's cached result as Excel writes it (`1234.5`, `12`).
fn format_result(x: f64) -> String {
    let s = format!("{:.6}", x);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A money form field in 万元: the parsed amount (in 元) divided by 10,000.
fn amount_wan(t: &Table, field: usize) -> Option<f64> {
    match t.form.parsed(field)? {
        Parsed::Quantity(q) => Some(q.number / YUAN_PER_WAN),
        _ => None,
    }
}
