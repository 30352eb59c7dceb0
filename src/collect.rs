//! Many submissions → one collection: per-table status, duplicates, consolidated rows (pure).
//!
//! The `collect` command reads every table of every file and validates it in
//! parallel, and hands one [`FileOutcome`] per file here; the writer lays the
//! [`Collection`] out as 汇总 / 文件清单 / 问题清单 (and 项目清单) sheets, and
//! [`Collection::json`] is the JSON of all tables.
//!
//! 文件清单 has one line per table ([`Collection::entries`]): a workbook of
//! three project tables gives three lines (file, sheet, rows); a file that
//! could not be read gives one line with its reason.

use crate::model::Table;
use crate::prior::YearOverYear;
use crate::validate::Report;
use serde::Serialize;

/// The `schema` value of the collection JSON.
pub const COLLECTION_SCHEMA: &str = "jixiao.collection/1";

/// What happened to one table (or to a file that could not be read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Read, and validation found no errors (warnings allowed).
    Imported,
    /// Read, but validation found errors.
    Findings,
    /// Could not be read at all.
    Unreadable,
    /// A report jixiao wrote (a summary, diff or marked workbook): not read.
    Skipped,
}

impl Status {
    /// The word a clerk sees in 文件清单.
    pub fn label(self) -> &'static str {
        match self {
            Status::Imported => "已导入",
            Status::Findings => "有错误",
            Status::Unreadable => "无法读取",
            Status::Skipped => "已跳过",
        }
    }
}

/// One table read from a file, with its findings.
#[derive(Debug, Clone)]
pub struct TableOutcome {
    /// The table as read.
    pub table: Table,
    /// Its findings.
    pub report: Report,
}

/// The outcome of one file: every table read from it (in workbook order,
/// each with its findings), or why it could not be read.
#[derive(Debug, Clone)]
pub struct FileOutcome {
    /// The path as found (walked or given).
    pub path: String,
    /// The file's tables (never empty: a workbook without a table is `Err`),
    /// or the reason, without the path.
    pub result: Result<Vec<TableOutcome>, String>,
}

/// How many files of a duplicate group a message names before "等".
const NAMED_DUPLICATES: usize = 3;

/// `a、b、c 等 300 个文件` (or all of them when few).
fn name_files(paths: &[String]) -> String {
    if paths.len() <= NAMED_DUPLICATES {
        paths.join("、")
    } else {
        format!(
            "{} 等 {} 个文件",
            paths[..NAMED_DUPLICATES].join("、"),
            paths.len()
        )
    }
}

/// One line of 文件清单 (and of the JSON's `files`): one table of a file, or
/// a file that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileEntry {
    /// The file, as found under the inputs.
    pub path: String,
    /// 已导入, 有错误, 无法读取, 重复 or 已跳过.
    pub status: Status,
    /// Why the file could not be read, or which other file duplicates it.
    pub reason: Option<String>,
    /// The table's 单位, when read.
    pub department: Option<String>,
    /// The table's year, when read.
    pub year: Option<i32>,
    /// The number of groups of the table (duties; categories for project-target).
    pub duties: usize,
    /// The number of indicators.
    pub indicators: usize,
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
    /// Paths of other files with a table of the same template, department,
    /// project and year.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duplicates: Vec<String>,
    /// The table's template id; `None` for an unreadable file.
    pub template: Option<String>,
    /// The sheet the table is on; `None` for an unreadable file.
    pub sheet: Option<String>,
    /// First and last row of the table on its sheet (header to last data row).
    pub rows: Option<[u32; 2]>,
    /// The table's project (its form's project field), when its template has one and it is filled.
    pub project: Option<String>,
    /// Index of the file in [`Collection::outcomes`].
    #[serde(skip)]
    pub file: usize,
    /// Index of the table in its file's tables; `None` for an unreadable file.
    #[serde(skip)]
    pub table: Option<usize>,
}

/// Every file's outcome, in path order, and one entry per table, with duplicates found.
#[derive(Debug, Clone)]
pub struct Collection {
    /// One per file, in path order.
    pub outcomes: Vec<FileOutcome>,
    /// One per table (in file then workbook order); one per unreadable file.
    pub entries: Vec<FileEntry>,
    /// Each group of duplicates (tables of different files sharing template,
    /// department, project and year): its entries' indices, in order.
    pub duplicate_groups: Vec<Vec<usize>>,
}

/// The JSON of `collect --json`: every table's entry and every table read.
#[derive(Debug, Serialize)]
pub struct CollectionJson<'a> {
    /// Always `jixiao.collection/1`.
    pub schema: &'static str,
    /// One entry per table or unreadable file (文件清单).
    pub files: &'a [FileEntry],
    /// Every table read, in file order.
    pub tables: Vec<&'a Table>,
    /// With `--prior`: last year's files and the comparison of every table with last year's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prior: Option<PriorJson<'a>>,
}

/// The `prior` of the collection JSON (`collect --prior`): last year's
/// `files` (as `files` lists this year's), then `pairs`, `only_current` and
/// `only_prior` ([`YearOverYear`]).
#[derive(Debug, Serialize)]
pub struct PriorJson<'a> {
    /// Last year's files, as `files` lists this year's.
    pub files: &'a [FileEntry],
    /// The pairs and the tables found in one year only.
    #[serde(flatten)]
    pub comparison: &'a YearOverYear,
}

impl Collection {
    /// Orders outcomes by path and derives each table's entry, reporting
    /// tables of different files that share a template, department, project
    /// and year (they are listed, never merged).
    pub fn new(outcomes: Vec<FileOutcome>) -> Collection {
        Collection::with_skipped(outcomes, &[])
    }

    /// [`Collection::new`] where the files at `skipped` (their outcome an
    /// `Err` holding the note) are jixiao's own reports, skipped unread.
    pub fn with_skipped(mut outcomes: Vec<FileOutcome>, skipped: &[String]) -> Collection {
        outcomes.sort_by(|a, b| a.path.cmp(&b.path));
        let mut entries: Vec<FileEntry> = Vec::new();
        for (k, o) in outcomes.iter().enumerate() {
            entries_of(k, o, skipped.contains(&o.path), &mut entries);
        }
        type Key = (Option<String>, String, Option<String>, Option<i32>);
        let mut by_key: indexmap::IndexMap<Key, Vec<usize>> = indexmap::IndexMap::new();
        for (i, e) in entries.iter().enumerate() {
            if let Some(d) = &e.department {
                by_key
                    .entry((e.template.clone(), d.clone(), e.project.clone(), e.year))
                    .or_default()
                    .push(i);
            }
        }
        let mut duplicate_groups = Vec::new();
        for group in by_key.values() {
            let mut files: Vec<String> = group.iter().map(|&j| entries[j].path.clone()).collect();
            files.dedup();
            if files.len() < 2 {
                continue;
            }
            for &i in group {
                let others: Vec<String> = files
                    .iter()
                    .filter(|p| **p != entries[i].path)
                    .cloned()
                    .collect();
                let e = &mut entries[i];
                e.reason = Some(format!(
                    "与 {} 为同一单位同一年度，请核实",
                    name_files(&others)
                ));
                e.duplicates = others;
            }
            duplicate_groups.push(group.clone());
        }
        Collection {
            outcomes,
            entries,
            duplicate_groups,
        }
    }

    /// Every table read, in path then workbook order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.reports().map(|(_, t, _)| t)
    }

    /// Every table read with its findings and its file's path.
    pub fn reports(&self) -> impl Iterator<Item = (&str, &Table, &Report)> {
        self.outcomes.iter().flat_map(|o| {
            o.result
                .as_deref()
                .unwrap_or(&[])
                .iter()
                .map(move |t| (o.path.as_str(), &t.table, &t.report))
        })
    }

    /// The table an entry is about, with its findings (`None` for an unreadable file).
    pub fn table_of(&self, e: &FileEntry) -> Option<(&Table, &Report)> {
        let tables = self.outcomes.get(e.file)?.result.as_ref().ok()?;
        let t = tables.get(e.table?)?;
        Some((&t.table, &t.report))
    }

    /// The JSON form.
    pub fn json(&self) -> CollectionJson<'_> {
        CollectionJson {
            schema: COLLECTION_SCHEMA,
            files: &self.entries,
            tables: self.tables().collect(),
            prior: None,
        }
    }

    /// The JSON form with last year's collection and the comparison of the two (`collect --prior`).
    pub fn json_with_prior<'a>(
        &'a self,
        prior: &'a Collection,
        comparison: &'a YearOverYear,
    ) -> CollectionJson<'a> {
        CollectionJson {
            prior: Some(PriorJson {
                files: &prior.entries,
                comparison,
            }),
            ..self.json()
        }
    }

    /// cli.md's exit codes of collect: 0 when every table was read and none
    /// has errors; 1 when some table has errors or some file could not be
    /// read (the outputs are written all the same); 2 when nothing could be
    /// read (then nothing is written). Skipped reports count for nothing.
    pub fn exit_code(&self) -> u8 {
        if self.tables().next().is_none() {
            2
        } else if self
            .entries
            .iter()
            .any(|e| matches!(e.status, Status::Unreadable | Status::Findings))
        {
            1
        } else {
            0
        }
    }

    /// One line per group of duplicates: how many files, the first few named.
    pub fn duplicate_lines(&self) -> Vec<String> {
        self.duplicate_groups
            .iter()
            .map(|g| {
                let mut files: Vec<String> =
                    g.iter().map(|&i| self.entries[i].path.clone()).collect();
                files.dedup();
                let e = &self.entries[g[0]];
                let who = [e.department.as_deref(), e.project.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                let year = e.year.map(|y| format!(" {y} 年")).unwrap_or_default();
                let named = if files.len() > NAMED_DUPLICATES {
                    format!("{} 等", files[..NAMED_DUPLICATES].join("、"))
                } else {
                    files.join("、")
                };
                format!(
                    "{who}{year}：{} 个文件为同一单位同一年度，请核实（{named}）",
                    files.len()
                )
            })
            .collect()
    }

    /// How many files were skipped as jixiao's own reports.
    pub fn skipped(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.status == Status::Skipped)
            .count()
    }

    /// Counts by status: (tables imported, tables with errors, files unreadable).
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |s| self.entries.iter().filter(|e| e.status == s).count();
        (
            n(Status::Imported),
            n(Status::Findings),
            n(Status::Unreadable),
        )
    }
}

fn entries_of(file: usize, o: &FileOutcome, skipped: bool, out: &mut Vec<FileEntry>) {
    match &o.result {
        Ok(tables) => {
            for (
                k,
                TableOutcome {
                    table: t,
                    report: r,
                },
            ) in tables.iter().enumerate()
            {
                let first = t.source.header_rows[0];
                let last = t.source.data_rows.map_or(t.source.header_rows[1], |d| d[1]);
                out.push(FileEntry {
                    path: o.path.clone(),
                    status: if r.errors > 0 {
                        Status::Findings
                    } else {
                        Status::Imported
                    },
                    reason: None,
                    department: t.department.clone(),
                    year: t.year,
                    duties: t.groups.len(),
                    indicators: t.indicator_count(),
                    errors: r.errors,
                    warnings: r.warnings,
                    duplicates: Vec::new(),
                    template: Some(t.template.clone()),
                    sheet: Some(t.source.sheet.clone()),
                    rows: (first > 0).then_some([first, last]),
                    project: Some(t.project().to_string()).filter(|p| !p.is_empty()),
                    file,
                    table: Some(k),
                });
            }
        }
        Err(why) => out.push(FileEntry {
            path: o.path.clone(),
            status: if skipped {
                Status::Skipped
            } else {
                Status::Unreadable
            },
            reason: Some(why.clone()),
            department: None,
            year: None,
            duties: 0,
            indicators: 0,
            errors: 0,
            warnings: 0,
            duplicates: Vec::new(),
            template: None,
            sheet: None,
            rows: None,
            project: None,
            file,
            table: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Role;
    use crate::template::Template;
    use crate::validate::VALIDATION_SCHEMA;

    fn report(path: &str, errors: usize) -> Report {
        Report {
            schema: VALIDATION_SCHEMA.into(),
            path: path.into(),
            errors,
            warnings: 0,
            issues: vec![],
        }
    }

    fn table(template: &str, dept: &str, year: i32, project: &str) -> Table {
        let mut t = Table::new(Template::load(template).unwrap().shape());
        t.department = Some(dept.into());
        t.year = Some(year);
        if let Some(i) = t.shape.form_role(Role::Project) {
            t.form.values[i] = project.into();
        }
        t
    }

    fn ok(path: &str, dept: &str, year: i32, errors: usize) -> FileOutcome {
        FileOutcome {
            path: path.into(),
            result: Ok(vec![TableOutcome {
                table: table("dept-overall", dept, year, ""),
                report: report(path, errors),
            }]),
        }
    }

    #[test]
    fn statuses_duplicates_and_exit_codes() {
        let c = Collection::new(vec![
            ok("b.xlsx", "教育局", 2023, 0),
            ok("a.xlsx", "教育局", 2023, 0),
            ok("c.xlsx", "财政局", 2023, 2),
        ]);
        assert_eq!(c.entries[0].path, "a.xlsx");
        assert_eq!(c.entries[0].duplicates, vec!["b.xlsx".to_string()]);
        assert_eq!(c.entries[1].duplicates, vec!["a.xlsx".to_string()]);
        assert!(c.entries[2].duplicates.is_empty());
        assert_eq!(c.entries[2].status, Status::Findings);
        assert_eq!(c.exit_code(), 1);
        let mut outcomes = c.outcomes.clone();
        outcomes.push(FileOutcome {
            path: "d.xlsx".into(),
            result: Err("d.xlsx: 文件已加密".into()),
        });
        let c = Collection::new(outcomes);
        // Some file unreadable, the rest read: the batch finished (1).
        assert_eq!(c.exit_code(), 1);
        assert_eq!(c.counts(), (2, 1, 1));
        assert_eq!(c.tables().count(), 3);
    }

    #[test]
    fn three_hundred_copies_give_one_short_line_and_nothing_read_is_2() {
        let outcomes: Vec<FileOutcome> = (0..300)
            .map(|k| ok(&format!("{k:03}.xlsx"), "教育局", 2023, 0))
            .chain([ok("z.xlsx", "财政局", 2023, 0)])
            .collect();
        let c = Collection::new(outcomes);
        let lines = c.duplicate_lines();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("300 个文件"), "{}", lines[0]);
        assert!(
            lines[0].contains("000.xlsx、001.xlsx、002.xlsx 等"),
            "{}",
            lines[0]
        );
        assert!(lines[0].chars().count() < 120, "{}", lines[0]);
        assert!(c.entries[5]
            .reason
            .as_ref()
            .unwrap()
            .contains("等 299 个文件"));
        assert_eq!(c.entries[5].duplicates.len(), 299);
        assert_eq!(c.exit_code(), 0);

        let c = Collection::with_skipped(
            vec![
                FileOutcome {
                    path: "s.xlsx".into(),
                    result: Err("jixiao 的汇总".into()),
                },
                FileOutcome {
                    path: "x.xlsx".into(),
                    result: Err("不是 Excel 文件".into()),
                },
            ],
            &["s.xlsx".to_string()],
        );
        assert_eq!(c.entries[0].status, Status::Skipped);
        assert_eq!(c.skipped(), 1);
        assert_eq!(c.counts(), (0, 0, 1));
        assert_eq!(c.exit_code(), 2, "nothing readable");
    }

    #[test]
    fn a_file_of_several_tables_gives_one_entry_per_table() {
        let tables = ["校园安全", "营养餐", "校园安全"]
            .iter()
            .map(|p| TableOutcome {
                table: table("project-target", "教育局", 2024, p),
                report: report("p.xlsx", 0),
            })
            .collect();
        let c = Collection::new(vec![
            FileOutcome {
                path: "p.xlsx".into(),
                result: Ok(tables),
            },
            ok("d.xlsx", "教育局", 2024, 0),
        ]);
        assert_eq!(c.entries.len(), 4);
        assert_eq!(c.tables().count(), 4);
        let projects: Vec<_> = c.entries.iter().map(|e| e.project.as_deref()).collect();
        assert_eq!(
            projects,
            [None, Some("校园安全"), Some("营养餐"), Some("校园安全")]
        );
        // A dept-overall and a project table of one department are not duplicates,
        // nor are two tables of one file.
        assert!(c.entries.iter().all(|e| e.duplicates.is_empty()));
        let (t, _) = c.table_of(&c.entries[2]).unwrap();
        assert_eq!(t.project(), "营养餐");
        assert_eq!(c.entries[2].table, Some(1));
    }
}
