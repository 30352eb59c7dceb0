//! The consolidated workbook of `collect`: 汇总 (every indicator), 项目清单 and 项目指标 (project tables), 文件清单 (every file), 问题清单 (every finding).
//!
//! Which tables are projects is the template's word, not a name: a template
//! whose form has a [`Role::Project`] field makes project tables. Their
//! indicators go to 项目指标 (with a column per grouping level), their forms
//! to 项目清单 (one row per project, amounts as numbers in 万元 with a total
//! row); the indicators of the other templates' tables go to 汇总 as ever.

use super::diff::CHANGES_SHEET;
use super::marked::level_columns;
use super::{
    new_workbook, save_owned, write_list_sheet, write_list_sheet_with, ListCell, ListColumn,
    ListWriter, Styles, WriteError,
};
use crate::collect::{Collection, FileEntry};
use crate::model::{FieldRef, Parsed, Role, Shape, Table};
use crate::prior::{Absence, YearOverYear, YearPair};
use crate::template::{Align, Template};
use crate::validate::Report;
use rust_xlsxwriter::{Formula, Url, Workbook, Worksheet};

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
    title: &str,
    columns: &[ListColumn<'_>],
    rows: &[Vec<ListCell<'_>>],
    numeric: &[usize],
    styles: &Styles,
) -> Result<(), WriteError> {
    write_list_title(ws, title, columns.len(), styles)?;
    write_list_sheet_with(ws, LIST_HEADER_ROW, columns, rows, numeric, styles)?;
    Ok(())
}

/// The row (0-based) of a list's header on the collection sheets: under the sheet's title row.
pub const LIST_HEADER_ROW: u32 = 1;

/// Writes a list sheet's title row: what the sheet is and of what, bold and
/// larger, merged over the list's `width` columns.
fn write_list_title(
    ws: &mut Worksheet,
    title: &str,
    width: usize,
    styles: &Styles,
) -> Result<(), WriteError> {
    if width > 1 {
        ws.merge_range(0, 0, 0, width as u16 - 1, title, &styles.sheet_title)
            .map_err(xe)?;
    } else {
        ws.write_string_with_format(0, 0, title, &styles.sheet_title)
            .map_err(xe)?;
    }
    ws.set_row_height(0, 26.0).map_err(xe)?;
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
///
/// # Examples
///
/// The two bundled years as a folder's submissions, each read and checked,
/// and one file that is no workbook:
///
/// ```
/// use jixiao::collect::{FileOutcome, TableOutcome};
/// use jixiao::{collect_workbook, read_workbook, validate, Collection, ReadOptions, Template};
/// use std::path::Path;
///
/// let templates = Template::builtins();
/// let opts = ReadOptions { sheet: None, templates: &templates };
/// let mut outcomes = Vec::new();
/// for path in ["examples/linyi-education-2022.xlsx", "examples/linyi-education-2023.xlsx"] {
///     let wb = read_workbook(Path::new(path), &opts)?;
///     let tables = wb
///         .tables
///         .into_iter()
///         .map(|table| {
///             let report = validate(&table, &Template::default_template(), None);
///             TableOutcome { table, report }
///         })
///         .collect();
///     outcomes.push(FileOutcome { path: path.into(), result: Ok(tables) });
/// }
/// outcomes.push(FileOutcome { path: "说明.txt".into(), result: Err("不是 Excel 或 WPS 表格文件".into()) });
/// let collection = Collection::new(outcomes);
/// assert_eq!(collection.entries.len(), 3);
/// assert_eq!(collection.tables().count(), 2);
/// let xlsx = collect_workbook(&collection, &templates)?;
/// assert!(xlsx.starts_with(b"PK"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn collect_workbook(c: &Collection, templates: &[Template]) -> Result<Vec<u8>, WriteError> {
    collect_workbook_with(c, templates, SummarySheets::of(c, templates))
}

/// [`collect_workbook`] with its 汇总 sheets already written (fed every
/// table of `c`, in order).
pub fn collect_workbook_with(
    c: &Collection,
    templates: &[Template],
    summary: SummarySheets<'_>,
) -> Result<Vec<u8>, WriteError> {
    let styles = Styles::official();
    let mut wb = new_workbook("绩效目标表汇总");
    write_collection_sheets(&mut wb, c, templates, summary, &styles)?;
    save_owned(wb)
}

/// The labels of 文件清单's group count and project columns (the template's words).
struct FilesLabels {
    groups: String,
    project: String,
}

/// Adds the sheets of [`collect_workbook`] to `wb`; returns 文件清单's labels.
fn write_collection_sheets(
    wb: &mut Workbook,
    c: &Collection,
    templates: &[Template],
    summary: SummarySheets<'_>,
    styles: &Styles,
) -> Result<FilesLabels, WriteError> {
    let fallback = Template::default_template();
    let templates: &[Template] = if templates.is_empty() {
        std::slice::from_ref(&fallback)
    } else {
        templates
    };
    let reports: Vec<(&str, &Table, &Report)> = c.reports().collect();
    let groups_shape = summary
        .first_shape()
        .unwrap_or_else(|| templates[0].shape());
    // The 汇总 sheets are finished (titles, row heights) on one core while
    // the other sheets are built on the other; the workbook takes them in order.
    let (summary, rest) = rayon::join(
        || summary.finish(),
        || other_sheets(c, &reports, &groups_shape, templates, styles),
    );
    for ws in summary? {
        wb.push_worksheet(ws);
    }
    let (rest, labels) = rest?;
    for ws in rest {
        wb.push_worksheet(ws);
    }
    Ok(labels)
}

/// A new sheet at the end of `sheets`.
fn new_sheet(sheets: &mut Vec<Worksheet>) -> &mut Worksheet {
    sheets.push(Worksheet::new());
    sheets.last_mut().expect("just pushed")
}

/// The 汇总 sheets of a collection, built a table at a time in the
/// collection's order (path, then workbook order): every indicator of the
/// non-project tables, 单位 and 年度 first, one sheet per template (the
/// first met is 汇总, the others `汇总（模板名）`).
///
/// `collect` feeds it each file's tables as the file is read, so the largest
/// sheet is written while the other files are still being read;
/// [`collect_workbook_with`] takes it finished. Fed the same tables in the
/// same order, it writes what [`collect_workbook`] writes.
pub struct SummarySheets<'t> {
    /// The templates tables are found in (the default one when none were given).
    templates: std::borrow::Cow<'t, [Template]>,
    styles: &'static Styles,
    sheets: Vec<SummarySheet>,
    /// Tables of an unknown template met before the first sheet (they go to it).
    waiting: Vec<(String, Table)>,
    any_project: bool,
    /// The first failure to write a row; later tables are not written.
    failed: Option<WriteError>,
}

impl std::fmt::Debug for SummarySheets<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sheets: Vec<(&str, u32)> = self
            .sheets
            .iter()
            .map(|s| (self.templates[s.template].id.as_str(), s.list.rows()))
            .collect();
        f.debug_struct("SummarySheets")
            .field("sheets", &sheets)
            .field("waiting", &self.waiting.len())
            .field("failed", &self.failed)
            .finish_non_exhaustive()
    }
}

/// One 汇总 sheet being written.
struct SummarySheet {
    /// Its template, in [`SummarySheets::templates`].
    template: usize,
    ws: Worksheet,
    list: ListWriter<'static>,
    width: usize,
    /// Files with at least one row here, and the last of them.
    files: usize,
    last_file: Option<String>,
}

impl<'t> SummarySheets<'t> {
    /// No table yet; `templates` as for [`collect_workbook`].
    pub fn new(templates: &'t [Template]) -> SummarySheets<'t> {
        SummarySheets {
            templates: if templates.is_empty() {
                std::borrow::Cow::Owned(vec![Template::default_template()])
            } else {
                std::borrow::Cow::Borrowed(templates)
            },
            styles: Styles::official_shared(),
            sheets: Vec::new(),
            waiting: Vec::new(),
            any_project: false,
            failed: None,
        }
    }

    /// The sheets of every table of `c`.
    pub fn of(c: &Collection, templates: &'t [Template]) -> SummarySheets<'t> {
        let mut s = SummarySheets::new(templates);
        for (path, t, _) in c.reports() {
            s.add(path, t);
        }
        s
    }

    /// Adds the rows of one table read from `path` (after every table before it).
    pub fn add(&mut self, path: &str, t: &Table) {
        if self.failed.is_some() {
            return;
        }
        if let Err(e) = self.try_add(path, t) {
            self.failed = Some(e);
        }
    }

    fn try_add(&mut self, path: &str, t: &Table) -> Result<(), WriteError> {
        let known = self.templates.iter().position(|x| x.id == t.template);
        // A table's template (the first one when its own is unknown) opens a
        // sheet when it is not a project template and has none yet.
        if let Some(k) = known.or(Some(0)) {
            if !is_project(&self.templates[k].shape())
                && !self.sheets.iter().any(|s| s.template == k)
            {
                self.open(k)?;
            }
        }
        if is_project(&t.shape) {
            self.any_project = true;
            return Ok(());
        }
        let target = match known {
            Some(k) => self.sheets.iter().position(|s| s.template == k),
            // An unknown template's table goes to the first sheet.
            None if self.sheets.is_empty() => {
                self.waiting.push((path.to_string(), t.clone()));
                return Ok(());
            }
            None => Some(0),
        };
        match target {
            Some(n) => self.write_rows(n, path, t),
            None => Ok(()),
        }
    }

    /// Opens the sheet of template `k` (the first opened is 汇总) and writes
    /// the waiting tables into it when it is the first.
    fn open(&mut self, k: usize) -> Result<(), WriteError> {
        let tpl = &self.templates[k];
        let mut cols = vec![Col::new("单位", 16.0, false), Col::new("年度", 6.0, true)];
        cols.extend(grid_columns(tpl));
        cols.push(Col::new("文件", 24.0, false));
        cols.push(Col::new("行号", 6.0, true));
        let name = if self.sheets.is_empty() {
            SUMMARY_SHEET.to_string()
        } else {
            format!("{SUMMARY_SHEET}（{}）", tpl.name)
                .chars()
                .take(31)
                .collect()
        };
        let mut numeric = vec![1, cols.len() - 1];
        numeric.extend(numeric_grid(tpl, 2));
        let mut ws = Worksheet::new();
        ws.set_name(name).map_err(xe)?;
        // The title (its counts known at the end) takes its place now, so the
        // sheet's formats are numbered in the order a person reads them.
        ws.write_blank(0, 0, &self.styles.sheet_title).map_err(xe)?;
        let list = ListWriter::start(
            &mut ws,
            LIST_HEADER_ROW,
            &list_columns(&cols),
            &numeric,
            self.styles,
        )?;
        self.sheets.push(SummarySheet {
            template: k,
            ws,
            list,
            width: cols.len(),
            files: 0,
            last_file: None,
        });
        if self.sheets.len() == 1 {
            for (path, t) in std::mem::take(&mut self.waiting) {
                self.write_rows(0, &path, &t)?;
            }
        }
        Ok(())
    }

    /// One row per indicator of `t` on sheet `n`.
    fn write_rows(&mut self, n: usize, path: &str, t: &Table) -> Result<(), WriteError> {
        let sheet = &mut self.sheets[n];
        let tpl = &self.templates[sheet.template];
        let dept = t.department.as_deref().unwrap_or_default();
        let year = opt_year(t.year);
        let mut row = Vec::with_capacity(sheet.width);
        for (g, i) in t.indicators() {
            row.clear();
            row.push(cell(dept));
            row.push(cell(year.as_str()));
            row.extend(grid_cells(tpl, t, g, i));
            row.push(cell(path));
            row.push(cell(i.row.to_string()));
            sheet.list.row(&mut sheet.ws, &row, self.styles)?;
            if sheet.last_file.as_deref() != Some(path) {
                sheet.files += 1;
                sheet.last_file = Some(path.to_string());
            }
        }
        Ok(())
    }

    /// The shape of the first sheet's template (文件清单's group count is
    /// named after its innermost level), as [`SummarySheets::finish`] will have it.
    fn first_shape(&self) -> Option<std::sync::Arc<Shape>> {
        match self.sheets.first() {
            Some(s) => Some(self.templates[s.template].shape()),
            None if !self.any_project => Some(self.templates[self.fallback_template()].shape()),
            None => None,
        }
    }

    /// The template of an empty 汇总 when no table opened one and none is a project.
    fn fallback_template(&self) -> usize {
        self.templates
            .iter()
            .position(|t| !is_project(&t.shape()))
            .unwrap_or(0)
    }

    /// The finished sheets: each titled with its counts, rows sized, header
    /// frozen. With no table and no project, one empty 汇总.
    fn finish(mut self) -> Result<Vec<Worksheet>, WriteError> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if self.sheets.is_empty() && !self.any_project {
            self.open(self.fallback_template())?;
        }
        let mut out = Vec::with_capacity(self.sheets.len());
        for mut s in self.sheets {
            let title = format!(
                "报送汇总：{}（{} 个文件，{} 个指标）",
                self.templates[s.template].name,
                s.files,
                s.list.rows()
            );
            write_list_title(&mut s.ws, &title, s.width, self.styles)?;
            s.list.finish(&mut s.ws)?;
            out.push(s.ws);
        }
        Ok(out)
    }
}

/// 项目清单, 项目指标, 文件清单 and 问题清单, with 文件清单's labels.
fn other_sheets(
    c: &Collection,
    reports: &[(&str, &Table, &Report)],
    groups_shape: &Shape,
    templates: &[Template],
    styles: &Styles,
) -> Result<(Vec<Worksheet>, FilesLabels), WriteError> {
    let mut sheets = Vec::new();
    // 项目清单 and 项目指标, per project template.
    let mut project_templates: Vec<&Template> = Vec::new();
    for (_, t, _) in reports {
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
        let ws = new_sheet(&mut sheets)
            .set_name(suffix(PROJECTS_SHEET))
            .map_err(xe)?;
        write_projects_sheet(ws, tpl, &tables, styles)?;

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
        let ws = new_sheet(&mut sheets)
            .set_name(suffix(PROJECT_INDICATORS_SHEET))
            .map_err(xe)?;
        let mut numeric = vec![2, cols.len() - 1];
        numeric.extend(numeric_grid(tpl, 3));
        let title = format!(
            "项目指标：{}（{} 个项目，{} 个指标）",
            tpl.name,
            tables.len(),
            rows.len()
        );
        write_list_numbers(ws, &title, &columns, &rows, &numeric, styles)?;
    }

    // 文件清单: one row per file with its status; the group count is named
    // after the innermost level of the first 汇总 sheet's template (职责数).
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
    let labels = FilesLabels {
        groups: groups_label,
        project: project_label,
    };
    let ws = new_sheet(&mut sheets).set_name(FILES_SHEET).map_err(xe)?;
    write_files_sheet(ws, FILES_SHEET, &c.entries, &labels, styles)?;

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
    for (path, t, report) in reports {
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
    let errors: usize = reports.iter().map(|(_, _, r)| r.errors).sum();
    let warnings: usize = reports.iter().map(|(_, _, r)| r.warnings).sum();
    let title = format!(
        "问题清单：{} 张表的校验结果（错误 {errors} 项，警告 {warnings} 项，共 {} 条）",
        reports.len(),
        rows.len()
    );
    let ws = new_sheet(&mut sheets).set_name("问题清单").map_err(xe)?;
    write_list_numbers(ws, &title, &columns, &rows, &numeric, styles)?;

    Ok((sheets, labels))
}

/// 文件清单 (or 上年文件清单): one row per table of each file, or per file that could not be read.
fn write_files_sheet(
    ws: &mut Worksheet,
    name: &str,
    entries: &[FileEntry],
    labels: &FilesLabels,
    styles: &Styles,
) -> Result<(), WriteError> {
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
            label: &labels.groups,
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
            label: &labels.project,
            width: 24.0,
            center: false,
        },
    ];
    let rows: Vec<Vec<ListCell>> = entries
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
    let files = entries
        .iter()
        .map(|e| e.path.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let title = format!("{name}（{files} 个文件，{} 行）", entries.len());
    write_list_numbers(ws, &title, &columns, &rows, &[2, 3, 4, 5, 6], styles)
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
    let title = format!("项目清单：{}（{} 个项目）", tpl.name, tables.len());
    write_list_title(ws, &title, columns.len(), styles)?;
    let last = write_list_sheet(ws, LIST_HEADER_ROW, &columns, &rows, styles)?;
    let number_format = |kind: ProjectCol| match kind {
        ProjectCol::Amount(_) => &styles.list_amount,
        _ => &styles.list_count,
    };
    for (r, nums) in numbers.iter().enumerate() {
        for (c, n) in nums.iter().enumerate() {
            let fmt = number_format(cols[c].2);
            let (row, col) = (LIST_HEADER_ROW + 1 + r as u32, c as u16);
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
    let first_data = LIST_HEADER_ROW + 2; // Excel row of the first project.
    let last_data = (tables.len() as u32 + LIST_HEADER_ROW + 1).max(first_data);
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

/// The year-over-year sheet of `collect --prior`: one row per pair of tables.
pub const YEAR_SHEET: &str = "年度对比";
/// Per unit, last year's targets against last year's actuals as this year reports them.
pub const ATTAINMENT_SUMMARY_SHEET: &str = "目标完成汇总";
/// The tables found in one of the two years only.
pub const ONE_YEAR_SHEET: &str = "仅一年";
/// 文件清单 of last year's files.
pub const PRIOR_FILES_SHEET: &str = "上年文件清单";
/// The row (0-based) of the header of the year-over-year sheets (a title and a line above).
const YEAR_HEADER_ROW: u32 = 2;
/// How many indicators a cell of 年度对比 / 目标完成汇总 names before "等".
const NAMED_INDICATORS: usize = 20;

/// A pair's table named for people: its template's name, or its project.
fn pair_label(p: &YearPair, templates: &[Template]) -> String {
    let name = find(templates, &p.template).map_or(p.template.clone(), |t| t.name.clone());
    let dept = p.department.clone().unwrap_or_default();
    match p.project.as_deref().filter(|x| !x.is_empty()) {
        Some(project) => format!("{dept} {project}"),
        None => format!("{dept} {name}"),
    }
}

/// `a；b；c 等 30 个` (all of them when few).
fn name_some(items: &[String]) -> String {
    if items.len() <= NAMED_INDICATORS {
        items.join("；")
    } else {
        format!(
            "{} 等 {} 个",
            items[..NAMED_INDICATORS].join("；"),
            items.len()
        )
    }
}

/// Writes a sheet's title and the line under it, above a list at [`YEAR_HEADER_ROW`].
fn write_title(
    ws: &mut Worksheet,
    title: &str,
    line: &str,
    styles: &Styles,
) -> Result<(), WriteError> {
    ws.write_string_with_format(0, 0, title, &styles.sheet_title)
        .map_err(xe)?;
    ws.set_row_height(0, 24.0).map_err(xe)?;
    ws.write_string_with_format(1, 0, line, &styles.unit_line)
        .map_err(xe)?;
    Ok(())
}

/// [`write_list_numbers`] under a title: the list's header at [`YEAR_HEADER_ROW`].
fn write_titled_list(
    ws: &mut Worksheet,
    columns: &[ListColumn<'_>],
    rows: &[Vec<ListCell<'_>>],
    numeric: &[usize],
    styles: &Styles,
) -> Result<(), WriteError> {
    write_list_sheet(ws, YEAR_HEADER_ROW, columns, rows, styles)?;
    for (k, cells) in rows.iter().enumerate() {
        for &c in numeric {
            let Some(n) = cells.get(c).and_then(|x| x.text.trim().parse::<i64>().ok()) else {
                continue;
            };
            ws.write_number_with_format(
                YEAR_HEADER_ROW + 1 + k as u32,
                c as u16,
                n as f64,
                &styles.list_center,
            )
            .map_err(xe)?;
        }
    }
    Ok(())
}

/// An internal link written over a list cell.
fn write_link(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    sheet: &str,
    a1: &str,
    text: &str,
    styles: &Styles,
) -> Result<(), WriteError> {
    let url = Url::new(format!("internal:{}", super::marked::sheet_ref(sheet, a1))).set_text(text);
    ws.write_url_with_format(row, col, url, &styles.list_link)
        .map_err(xe)?;
    Ok(())
}

/// The summary workbook of `collect THIS_YEAR --prior LAST_YEAR`: first
/// 年度对比 (one row per pair: changes by kind, targets lowered, last year's
/// targets not attained, copied forward, a link to the pair's changes on
/// 变更明细, or to its 文件清单 row when it has none), 目标完成汇总 (per
/// unit) and 仅一年 (tables of one year only, with their files); then the
/// sheets of [`collect_workbook`] for this year; last 变更明细 (every pair's
/// changes) and 上年文件清单.
pub fn collect_prior_workbook(
    c: &Collection,
    prior: &Collection,
    yoy: &YearOverYear,
    templates: &[Template],
) -> Result<Vec<u8>, WriteError> {
    collect_prior_workbook_with(c, prior, yoy, templates, SummarySheets::of(c, templates))
}

/// [`collect_prior_workbook`] with this year's 汇总 sheets already written
/// (fed every table of `c`, in order).
pub fn collect_prior_workbook_with(
    c: &Collection,
    prior: &Collection,
    yoy: &YearOverYear,
    templates: &[Template],
    summary: SummarySheets<'_>,
) -> Result<Vec<u8>, WriteError> {
    let styles = Styles::official();
    let mut wb = new_workbook("绩效目标表汇总（年度对比）");
    let current_tables: Vec<&Table> = c.tables().collect();
    let prior_tables: Vec<&Table> = prior.tables().collect();
    // Row (0-based) of each table's line on its 文件清单.
    let file_rows = |col: &Collection| -> Vec<u32> {
        col.entries
            .iter()
            .enumerate()
            .filter(|(_, e)| e.table.is_some())
            .map(|(i, _)| i as u32 + LIST_HEADER_ROW + 1)
            .collect()
    };
    let (current_rows, prior_rows) = (file_rows(c), file_rows(prior));
    let labels: Vec<String> = yoy.pairs.iter().map(|p| pair_label(p, templates)).collect();

    // 变更明细 first (its rows are 年度对比's links), added to the workbook last.
    let mut changes_ws = Worksheet::new();
    changes_ws.set_name(CHANGES_SHEET).map_err(xe)?;
    let details: Vec<(&Table, &Table, &crate::diff::DiffReport, &str)> = yoy
        .pairs
        .iter()
        .zip(&labels)
        .map(|(p, l)| {
            (
                prior_tables[p.prior_table],
                current_tables[p.current_table],
                &p.diff,
                l.as_str(),
            )
        })
        .collect();
    let first_rows = super::diff::write_changes_of_pairs(&mut changes_ws, &details, &styles)?;

    let mut year_ws = Worksheet::new();
    year_ws.set_name(YEAR_SHEET).map_err(xe)?;
    write_year_sheet(
        &mut year_ws,
        yoy,
        templates,
        &first_rows,
        &current_rows,
        &styles,
    )?;
    wb.push_worksheet(year_ws);
    let mut attain_ws = Worksheet::new();
    attain_ws.set_name(ATTAINMENT_SUMMARY_SHEET).map_err(xe)?;
    write_attainment_summary(&mut attain_ws, yoy, templates, &styles)?;
    wb.push_worksheet(attain_ws);
    let mut one_ws = Worksheet::new();
    one_ws.set_name(ONE_YEAR_SHEET).map_err(xe)?;
    write_one_year_sheet(
        &mut one_ws,
        yoy,
        templates,
        &current_rows,
        &prior_rows,
        &styles,
    )?;
    wb.push_worksheet(one_ws);

    let labels = write_collection_sheets(&mut wb, c, templates, summary, &styles)?;
    wb.push_worksheet(changes_ws);
    let ws = wb.add_worksheet().set_name(PRIOR_FILES_SHEET).map_err(xe)?;
    write_files_sheet(ws, PRIOR_FILES_SHEET, &prior.entries, &labels, &styles)?;
    save_owned(wb)
}

/// 年度对比: one row per pair.
fn write_year_sheet(
    ws: &mut Worksheet,
    yoy: &YearOverYear,
    templates: &[Template],
    first_changes: &[Option<u32>],
    file_rows: &[u32],
    styles: &Styles,
) -> Result<(), WriteError> {
    let (lowered, not_met, copied) = yoy.counts();
    let year = |f: fn(&YearPair) -> Option<i32>| {
        yoy.pairs
            .iter()
            .find_map(f)
            .map_or(String::new(), |y| format!("{y}年"))
    };
    write_title(
        ws,
        &format!(
            "年度对比：{}与{}绩效目标表",
            year(|p| p.current.year),
            year(|p| p.prior.year)
        ),
        &format!(
            "两年都有的表 {} 张：目标降低 {} 张，上年目标未达成 {} 张，复制上年 {} 张；仅本年 {} 张，仅上年 {} 张（见“{ONE_YEAR_SHEET}”）。",
            yoy.pairs.len(),
            lowered,
            not_met,
            copied,
            yoy.only_current.len(),
            yoy.only_prior.len()
        ),
        styles,
    )?;
    let cols = [
        Col::new("序号", 5.0, true),
        Col::new("单位", 18.0, false),
        Col::new("表", 16.0, false),
        Col::new("项目", 20.0, false),
        Col::new("新增", 6.0, true),
        Col::new("删除", 6.0, true),
        Col::new("更名", 6.0, true),
        Col::new("移动", 6.0, true),
        Col::new("修改", 6.0, true),
        Col::new("未变指标", 7.0, true),
        Col::new("目标降低", 7.0, true),
        Col::new("上年目标未达成", 9.0, true),
        Col::new("复制上年", 7.0, true),
        Col::new("降低的目标", 36.0, false),
        Col::new("提示", 28.0, false),
        Col::new("上年文件", 24.0, false),
        Col::new("本年文件", 24.0, false),
        Col::new("明细", 10.0, true),
    ];
    let link_col = cols.len() as u16 - 1;
    let columns = list_columns(&cols);
    let mut rows = Vec::new();
    let mut links = Vec::new();
    for (k, p) in yoy.pairs.iter().enumerate() {
        let s = &p.diff.summary;
        let tpl = find(templates, &p.template).map_or(p.template.clone(), |t| t.name.clone());
        let lowered: Vec<String> = p
            .lowered
            .iter()
            .map(|l| {
                let against = match (l.below_prior_target, l.below_prior_actual) {
                    (true, true) => {
                        format!("上年目标 {}，上年实际 {}", l.prior_target, l.prior_actual)
                    }
                    (true, false) => format!("上年目标 {}", l.prior_target),
                    _ => format!("上年实际 {}", l.prior_actual),
                };
                format!("{} {}（{against}）", l.indicator.trim(), l.target.trim())
            })
            .collect();
        rows.push(vec![
            cell((k + 1).to_string()),
            cell(p.department.clone().unwrap_or_default()),
            cell(tpl),
            cell(p.project.clone().unwrap_or_default()),
            cell(s.added.to_string()),
            cell(s.removed.to_string()),
            cell(s.renamed.to_string()),
            cell(s.moved.to_string()),
            cell(s.modified.to_string()),
            cell(s.unchanged.to_string()),
            cell(p.lowered.len().to_string()),
            cell(p.attainment.not_met.to_string()),
            cell(if p.copied_forward { "是" } else { "" }),
            cell(name_some(&lowered)),
            cell(p.diff.warnings.join("；")),
            cell(p.prior.path.as_str()),
            cell(p.current.path.as_str()),
            cell(""),
        ]);
        links.push(match first_changes.get(k).copied().flatten() {
            Some(r) => (CHANGES_SHEET, format!("A{}", r + 1), "变更明细"),
            None => (
                FILES_SHEET,
                format!("A{}", file_rows.get(p.current_table).map_or(1, |r| r + 1)),
                "文件清单",
            ),
        });
    }
    write_titled_list(ws, &columns, &rows, &[0, 4, 5, 6, 7, 8, 9, 10, 11], styles)?;
    for (k, (sheet, a1, text)) in links.iter().enumerate() {
        write_link(
            ws,
            YEAR_HEADER_ROW + 1 + k as u32,
            link_col,
            sheet,
            a1,
            text,
            styles,
        )?;
    }
    Ok(())
}

/// 目标完成汇总: per unit (in 年度对比's order), its paired tables' 达成 /
/// 未达成 / 无法比较 counts and the 未达成 indicators, linked to its first 年度对比 row.
fn write_attainment_summary(
    ws: &mut Worksheet,
    yoy: &YearOverYear,
    templates: &[Template],
    styles: &Styles,
) -> Result<(), WriteError> {
    // unit → (its first pair, tables, met, not met, not comparable, not met names)
    type Unit = (usize, usize, usize, usize, usize, Vec<String>);
    let mut units: indexmap::IndexMap<String, Unit> = indexmap::IndexMap::new();
    for (k, p) in yoy.pairs.iter().enumerate() {
        let u = units
            .entry(p.department.clone().unwrap_or_default())
            .or_insert((k, 0, 0, 0, 0, Vec::new()));
        let a = &p.attainment;
        u.1 += 1;
        u.2 += a.met;
        u.3 += a.not_met;
        u.4 += a.not_comparable;
        let of = match p.project.as_deref().filter(|x| !x.is_empty()) {
            Some(project) => format!("{project}："),
            None if yoy
                .pairs
                .iter()
                .filter(|o| o.department == p.department)
                .count()
                > 1 =>
            {
                let tpl = find(templates, &p.template).map_or(p.template.as_str(), |t| &t.name);
                format!("{tpl}：")
            }
            None => String::new(),
        };
        for r in &a.not_met_indicators {
            u.5.push(format!(
                "{of}{}（上年目标 {}，上年实际 {}）",
                r.indicator.trim(),
                r.target.trim(),
                r.actual.trim()
            ));
        }
    }
    let (met, not_met, nc) = units
        .values()
        .fold((0, 0, 0), |s, u| (s.0 + u.2, s.1 + u.3, s.2 + u.4));
    write_title(
        ws,
        "目标完成汇总：上年目标与本年表中填报的上年实际值",
        &format!(
            "{} 个单位，两年都有的指标：达成 {met} 个，未达成 {not_met} 个，无法比较 {nc} 个（单位不同、非数值或未填写）。",
            units.len()
        ),
        styles,
    )?;
    let cols = [
        Col::new("序号", 5.0, true),
        Col::new("单位", 18.0, false),
        Col::new("表数", 6.0, true),
        Col::new("达成", 6.0, true),
        Col::new("未达成", 7.0, true),
        Col::new("无法比较", 8.0, true),
        Col::new("未达成的指标", 60.0, false),
        Col::new("年度对比", 10.0, true),
    ];
    let columns = list_columns(&cols);
    let rows: Vec<Vec<ListCell<'_>>> = units
        .iter()
        .enumerate()
        .map(|(k, (name, u))| {
            vec![
                cell((k + 1).to_string()),
                cell(name.as_str()),
                cell(u.1.to_string()),
                cell(u.2.to_string()),
                cell(u.3.to_string()),
                cell(u.4.to_string()),
                cell(name_some(&u.5)),
                cell(""),
            ]
        })
        .collect();
    write_titled_list(ws, &columns, &rows, &[0, 2, 3, 4, 5], styles)?;
    for (k, u) in units.values().enumerate() {
        let a1 = format!("A{}", YEAR_HEADER_ROW + 2 + u.0 as u32);
        write_link(
            ws,
            YEAR_HEADER_ROW + 1 + k as u32,
            cols.len() as u16 - 1,
            YEAR_SHEET,
            &a1,
            "查看",
            styles,
        )?;
    }
    Ok(())
}

/// 仅一年: the tables of this year only, then those of last year only, each
/// with its file and why (本年未报送 / 上年未报送 / 本年无此表 / 上年无此表),
/// linked to its row of 文件清单 or 上年文件清单.
fn write_one_year_sheet(
    ws: &mut Worksheet,
    yoy: &YearOverYear,
    templates: &[Template],
    current_rows: &[u32],
    prior_rows: &[u32],
    styles: &Styles,
) -> Result<(), WriteError> {
    let units = |list: &[crate::prior::OnlyOne]| {
        let mut seen: Vec<&str> = Vec::new();
        for o in list.iter().filter(|o| o.absence == Absence::UnitMissing) {
            let d = o.department.as_deref().unwrap_or("");
            if !seen.contains(&d) {
                seen.push(d);
            }
        }
        seen.len()
    };
    write_title(
        ws,
        "仅一年有的表",
        &format!(
            "仅本年 {} 张（上年未报送的单位 {} 个），仅上年 {} 张（本年未报送的单位 {} 个）。",
            yoy.only_current.len(),
            units(&yoy.only_current),
            yoy.only_prior.len(),
            units(&yoy.only_prior)
        ),
        styles,
    )?;
    let cols = [
        Col::new("序号", 5.0, true),
        Col::new("单位", 18.0, false),
        Col::new("年度", 6.0, true),
        Col::new("表", 16.0, false),
        Col::new("项目", 20.0, false),
        Col::new("说明", 12.0, true),
        Col::new("文件", 36.0, false),
        Col::new("工作表", 12.0, true),
        Col::new("文件清单", 12.0, true),
    ];
    let columns = list_columns(&cols);
    let all: Vec<(&crate::prior::OnlyOne, &str, u32)> = yoy
        .only_current
        .iter()
        .map(|o| {
            (
                o,
                FILES_SHEET,
                current_rows.get(o.table).copied().unwrap_or(0),
            )
        })
        .chain(yoy.only_prior.iter().map(|o| {
            (
                o,
                PRIOR_FILES_SHEET,
                prior_rows.get(o.table).copied().unwrap_or(0),
            )
        }))
        .collect();
    let mut rows: Vec<Vec<ListCell<'_>>> = all
        .iter()
        .enumerate()
        .map(|(k, (o, _, _))| {
            let tpl = find(templates, &o.template).map_or(o.template.clone(), |t| t.name.clone());
            vec![
                cell((k + 1).to_string()),
                cell(o.department.clone().unwrap_or_default()),
                cell(opt_year(o.source.year)),
                cell(tpl),
                cell(o.project.clone().unwrap_or_default()),
                cell(o.reason),
                cell(o.source.path.as_str()),
                cell(o.source.sheet.as_str()),
                cell(""),
            ]
        })
        .collect();
    if rows.is_empty() {
        let mut row = vec![cell(""); cols.len()];
        row[1] = cell("两年报送的单位和表相同");
        rows.push(row);
    }
    write_titled_list(ws, &columns, &rows, &[0, 2], styles)?;
    for (k, (_, sheet, row)) in all.iter().enumerate() {
        write_link(
            ws,
            YEAR_HEADER_ROW + 1 + k as u32,
            cols.len() as u16 - 1,
            sheet,
            &format!("A{}", row + 1),
            sheet,
            styles,
        )?;
    }
    Ok(())
}
