//! Many submissions → one collection: per-file status, duplicates, consolidated rows (pure).
//!
//! The `collect` command reads and validates files in parallel and hands the
//! outcomes here; the writer lays the [`Collection`] out as 汇总 / 文件清单 /
//! 问题清单 sheets and the JSON of all tables.

use crate::model::Table;
use crate::validate::Report;
use serde::Serialize;

/// The `schema` value of the collection JSON.
pub const COLLECTION_SCHEMA: &str = "jixiao.collection/1";

/// What happened to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Read, and validation found no errors (warnings allowed).
    Imported,
    /// Read, but validation found errors.
    Findings,
    /// Could not be read at all.
    Unreadable,
}

impl Status {
    /// The word a clerk sees in 文件清单.
    pub fn label(self) -> &'static str {
        match self {
            Status::Imported => "已导入",
            Status::Findings => "有错误",
            Status::Unreadable => "无法读取",
        }
    }
}

/// The outcome of one file: its table and findings, or why it could not be read.
#[derive(Debug, Clone)]
pub struct FileOutcome {
    /// The path as found (walked or given).
    pub path: String,
    pub result: Result<(Table, Report), String>,
}

/// One row of 文件清单 (and of the JSON's `files`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileEntry {
    pub path: String,
    pub status: Status,
    /// Why the file could not be read, or which other file duplicates it.
    pub reason: Option<String>,
    pub department: Option<String>,
    pub year: Option<i32>,
    pub duties: usize,
    pub indicators: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Paths of other files with the same department and year.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duplicates: Vec<String>,
}

/// Every file's outcome, in path order, with duplicates found.
#[derive(Debug, Clone)]
pub struct Collection {
    pub outcomes: Vec<FileOutcome>,
    pub entries: Vec<FileEntry>,
}

/// The JSON of `collect --json`: every file's entry and every table read.
#[derive(Debug, Serialize)]
pub struct CollectionJson<'a> {
    pub schema: &'static str,
    pub files: &'a [FileEntry],
    pub tables: Vec<&'a Table>,
}

impl Collection {
    /// Orders outcomes by path and derives each file's entry, reporting files
    /// that share a department and year (they are listed, never merged).
    pub fn new(mut outcomes: Vec<FileOutcome>) -> Collection {
        outcomes.sort_by(|a, b| a.path.cmp(&b.path));
        let mut entries: Vec<FileEntry> = outcomes.iter().map(entry_of).collect();
        let mut by_key: indexmap::IndexMap<(String, Option<i32>), Vec<usize>> =
            indexmap::IndexMap::new();
        for (i, e) in entries.iter().enumerate() {
            if let Some(d) = &e.department {
                by_key.entry((d.clone(), e.year)).or_default().push(i);
            }
        }
        for group in by_key.values().filter(|g| g.len() > 1) {
            for &i in group {
                let others: Vec<String> = group
                    .iter()
                    .filter(|&&j| j != i)
                    .map(|&j| entries[j].path.clone())
                    .collect();
                let e = &mut entries[i];
                e.reason = Some(format!(
                    "与 {} 为同一单位同一年度，请核实",
                    others.join("、")
                ));
                e.duplicates = others;
            }
        }
        Collection { outcomes, entries }
    }

    /// The tables read, in path order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.outcomes
            .iter()
            .filter_map(|o| o.result.as_ref().ok().map(|(t, _)| t))
    }

    /// Each readable file's table and findings, with its path.
    pub fn reports(&self) -> impl Iterator<Item = (&str, &Table, &Report)> {
        self.outcomes
            .iter()
            .filter_map(|o| o.result.as_ref().ok().map(|(t, r)| (o.path.as_str(), t, r)))
    }

    /// The JSON form.
    pub fn json(&self) -> CollectionJson<'_> {
        CollectionJson {
            schema: COLLECTION_SCHEMA,
            files: &self.entries,
            tables: self.tables().collect(),
        }
    }

    /// 0 when every file was read without errors, 1 when some had validation
    /// errors, 2 when some could not be read.
    pub fn exit_code(&self) -> u8 {
        if self.entries.iter().any(|e| e.status == Status::Unreadable) {
            2
        } else if self.entries.iter().any(|e| e.status == Status::Findings) {
            1
        } else {
            0
        }
    }

    /// Counts by status: (imported, with errors, unreadable).
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |s| self.entries.iter().filter(|e| e.status == s).count();
        (
            n(Status::Imported),
            n(Status::Findings),
            n(Status::Unreadable),
        )
    }
}

fn entry_of(o: &FileOutcome) -> FileEntry {
    match &o.result {
        Ok((t, r)) => FileEntry {
            path: o.path.clone(),
            status: if r.errors > 0 {
                Status::Findings
            } else {
                Status::Imported
            },
            reason: None,
            department: t.department.clone(),
            year: t.year,
            duties: t.duties.len(),
            indicators: t.duties.iter().map(|d| d.indicators.len()).sum(),
            errors: r.errors,
            warnings: r.warnings,
            duplicates: Vec::new(),
        },
        Err(why) => FileEntry {
            path: o.path.clone(),
            status: Status::Unreadable,
            reason: Some(why.clone()),
            department: None,
            year: None,
            duties: 0,
            indicators: 0,
            errors: 0,
            warnings: 0,
            duplicates: Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::VALIDATION_SCHEMA;

    fn ok(path: &str, dept: &str, year: i32, errors: usize) -> FileOutcome {
        let mut t = Table::new("dept-overall");
        t.department = Some(dept.into());
        t.year = Some(year);
        FileOutcome {
            path: path.into(),
            result: Ok((
                t,
                Report {
                    schema: VALIDATION_SCHEMA.into(),
                    path: path.into(),
                    errors,
                    warnings: 0,
                    issues: vec![],
                },
            )),
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
        assert_eq!(c.exit_code(), 2);
        assert_eq!(c.counts(), (2, 1, 1));
        assert_eq!(c.tables().count(), 3);
    }
}
