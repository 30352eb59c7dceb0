//! 汇总: the submissions folder collected live (latest version per unit and table), its summary workbook, and each unit's changes against last year.

use super::store::local_time;
use crate::collect::{Collection, FileOutcome};
use crate::commands::collect::{gather, process};
use crate::commands::diff::{compare, workbook};
use crate::diff::pair_tables;
use crate::error::{Error, Result, ServeError};
use crate::model::Table;
use crate::read::ReadOptions;
use crate::template::Template;
use crate::write::collect_workbook;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// Outcomes already read, by path, while the file's time and size stay the same.
#[derive(Default)]
pub struct Cache(Mutex<HashMap<PathBuf, (SystemTime, u64, FileOutcome)>>);

/// One file of the folder: where, when, and what was read from it.
struct Found {
    path: PathBuf,
    /// The path under the folder, `/`-separated: how the page names it.
    name: String,
    time: SystemTime,
    outcome: FileOutcome,
}

/// The folder's collection: the latest version of every unit's table.
pub struct Latest {
    files: Vec<Found>,
    /// Per row: index into `files` and the table's index in it (`None`: unreadable).
    rows: Vec<(usize, Option<usize>, usize)>,
}

/// One row of the 汇总 page.
#[derive(Debug, Serialize)]
pub struct Row {
    pub file: String,
    pub table: Option<usize>,
    pub department: String,
    pub project: String,
    pub template: String,
    pub year: Option<i32>,
    /// 通过 / 有警告 / 有错误 / 无法读取.
    pub status: &'static str,
    pub errors: usize,
    pub warnings: usize,
    pub time: String,
    /// Submissions of this unit and table kept in the folder.
    pub versions: usize,
    pub reason: Option<String>,
    /// Against last year (with `--prior`): `新增 2，修改 3` or `无上年表`.
    pub changes: Option<String>,
}

impl Cache {
    /// Reads what changed in `dir` since the last call and keeps the latest version of each table.
    pub fn latest(&self, dir: &Path, templates: &[Template]) -> Result<Latest> {
        let paths = gather(&[dir.to_path_buf()])?;
        let stamp = |p: &Path| {
            std::fs::metadata(p)
                .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()))
                .unwrap_or((SystemTime::UNIX_EPOCH, 0))
        };
        let stamped: Vec<(PathBuf, SystemTime, u64)> = paths
            .into_iter()
            .map(|p| {
                let (t, n) = stamp(&p);
                (p, t, n)
            })
            .collect();
        let known: HashMap<PathBuf, FileOutcome> = {
            let cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
            stamped
                .iter()
                .filter_map(|(p, t, n)| match cache.get(p) {
                    Some((ct, cn, o)) if ct == t && cn == n => Some((p.clone(), o.clone())),
                    _ => None,
                })
                .collect()
        };
        let opts = ReadOptions {
            sheet: None,
            templates,
        };
        let fresh: Vec<(PathBuf, FileOutcome)> = stamped
            .par_iter()
            .filter(|(p, _, _)| !known.contains_key(p))
            .map(|(p, _, _)| (p.clone(), process(p, &opts, templates, true)))
            .collect();
        let mut cache = self.0.lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|p, _| stamped.iter().any(|(q, _, _)| q == p));
        let fresh: HashMap<PathBuf, FileOutcome> = fresh.into_iter().collect();
        let mut files = Vec::with_capacity(stamped.len());
        for (p, t, n) in stamped {
            let Some(outcome) = known.get(&p).or_else(|| fresh.get(&p)).cloned() else {
                continue;
            };
            cache.insert(p.clone(), (t, n, outcome.clone()));
            let name = p
                .strip_prefix(dir)
                .unwrap_or(&p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push(Found {
                path: p,
                name,
                time: t,
                outcome,
            });
        }
        drop(cache);
        Ok(Latest::of(files))
    }
}

/// The key a unit's table is known by across versions.
type Key = (String, String, String, Option<i32>);

fn key(t: &Table) -> Key {
    (
        t.template.clone(),
        t.department.clone().unwrap_or_default(),
        t.project().to_string(),
        t.year,
    )
}

impl Latest {
    fn of(files: Vec<Found>) -> Latest {
        // Per key: the latest file's table and how many versions there are.
        let mut best: indexmap::IndexMap<Key, ((SystemTime, String), usize, usize, usize)> =
            indexmap::IndexMap::new();
        let mut rows = Vec::new();
        for (i, f) in files.iter().enumerate() {
            match &f.outcome.result {
                Ok(tables) => {
                    for (k, t) in tables.iter().enumerate() {
                        let when = (f.time, f.name.clone());
                        let e = best.entry(key(&t.table)).or_insert((when.clone(), i, k, 0));
                        e.3 += 1;
                        if when > e.0 {
                            (e.0, e.1, e.2) = (when, i, k);
                        }
                    }
                }
                Err(_) => rows.push((i, None, 1)),
            }
        }
        rows.extend(best.values().map(|(_, i, k, n)| (*i, Some(*k), *n)));
        rows.sort_by(|a, b| {
            let name = |r: &(usize, Option<usize>, usize)| files[r.0].name.clone();
            name(a).cmp(&name(b)).then(a.1.cmp(&b.1))
        });
        Latest { files, rows }
    }

    fn table(&self, file: usize, table: usize) -> Option<&Table> {
        let tables = self.files.get(file)?.outcome.result.as_ref().ok()?;
        Some(&tables.get(table)?.table)
    }

    /// The page's rows, with changes against `prior` when given.
    pub fn rows(&self, prior: Option<&[Table]>) -> Vec<Row> {
        let current: Vec<&Table> = self
            .rows
            .iter()
            .filter_map(|&(i, k, _)| k.and_then(|k| self.table(i, k)))
            .collect();
        let changes: HashMap<usize, String> = match prior {
            Some(prior) => {
                let owned: Vec<Table> = current.iter().map(|t| (*t).clone()).collect();
                let pairs = pair_tables(prior, &owned);
                let mut out = HashMap::new();
                for &(p, c) in &pairs {
                    let Some(c) = c else { continue };
                    let text = match p {
                        Some(p) => {
                            let (_, total) = compare(prior, &owned, &[(Some(p), Some(c))]);
                            change_text(&total.summary)
                        }
                        None => "无上年表".to_string(),
                    };
                    out.insert(c, text);
                }
                out
            }
            None => HashMap::new(),
        };
        let mut k = 0;
        self.rows
            .iter()
            .map(|&(i, t, versions)| {
                let f = &self.files[i];
                let time = local_time(f.time);
                match (t, &f.outcome.result) {
                    (Some(t), Ok(tables)) => {
                        let o = &tables[t];
                        let row = Row {
                            file: f.name.clone(),
                            table: Some(t),
                            department: o.table.department.clone().unwrap_or_default(),
                            project: o.table.project().to_string(),
                            template: o.table.template.clone(),
                            year: o.table.year,
                            status: if o.report.errors > 0 {
                                "有错误"
                            } else if o.report.warnings > 0 {
                                "有警告"
                            } else {
                                "通过"
                            },
                            errors: o.report.errors,
                            warnings: o.report.warnings,
                            time,
                            versions,
                            reason: None,
                            changes: prior.map(|_| changes.get(&k).cloned().unwrap_or_default()),
                        };
                        k += 1;
                        row
                    }
                    (_, result) => Row {
                        file: f.name.clone(),
                        table: None,
                        department: String::new(),
                        project: String::new(),
                        template: String::new(),
                        year: None,
                        status: "无法读取",
                        errors: 0,
                        warnings: 0,
                        time,
                        versions,
                        reason: result.as_ref().err().cloned(),
                        changes: None,
                    },
                }
            })
            .collect()
    }

    /// The summary workbook (`collect`) of the latest versions.
    pub fn workbook(&self, templates: &[Template]) -> Result<Vec<u8>> {
        let mut keep: Vec<usize> = self.rows.iter().map(|r| r.0).collect();
        keep.sort_unstable();
        keep.dedup();
        let outcomes: Vec<FileOutcome> = keep
            .iter()
            .map(|&i| {
                let f = &self.files[i];
                FileOutcome {
                    path: f.name.clone(),
                    result: f.outcome.result.clone(),
                }
            })
            .collect();
        let collection = Collection::new(outcomes);
        if collection.tables().next().is_none() {
            return Err(Error::serve(ServeError::NothingCollected));
        }
        collect_workbook(&collection, templates).map_err(Error::serve)
    }

    /// The diff workbook of one row's table against its pair among `prior`.
    pub fn diff_workbook(
        &self,
        file: &str,
        table: usize,
        prior: &[Table],
        templates: &[Template],
    ) -> Result<Vec<u8>> {
        let current = self
            .rows
            .iter()
            .filter(|r| r.1 == Some(table) && self.files[r.0].name == file)
            .find_map(|r| self.table(r.0, table))
            .ok_or_else(|| Error::serve(ServeError::NotInSummary))?;
        let current = vec![current.clone()];
        let pairs: Vec<(Option<usize>, Option<usize>)> = pair_tables(prior, &current)
            .into_iter()
            .filter(|(_, c)| c.is_some())
            .collect();
        let (reports, _) = compare(prior, &current, &pairs);
        workbook(prior, &current, &pairs, &reports, templates)?
            .ok_or_else(|| Error::serve(ServeError::NothingToCompare))?
            .map_err(Error::serve)
    }

    /// The file a row names, for nothing but checking it is one of the folder's.
    pub fn has_file(&self, name: &str) -> bool {
        self.files
            .iter()
            .any(|f| f.name == name && f.path.is_file())
    }
}

/// `新增 2，修改 3`; `无变更` when nothing changed.
fn change_text(s: &crate::diff::Summary) -> String {
    let parts: Vec<String> = [
        ("新增", s.added),
        ("删除", s.removed),
        ("更名", s.renamed),
        ("移动", s.moved),
        ("修改", s.modified),
    ]
    .iter()
    .filter(|(_, n)| *n > 0)
    .map(|(w, n)| format!("{w} {n}"))
    .collect();
    if parts.is_empty() {
        "无变更".to_string()
    } else {
        parts.join("，")
    }
}
