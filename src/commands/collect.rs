//! `jixiao collect DIR_OR_FILES... [--prior LAST_YEAR...] -o SUMMARY.xlsx [--json ALL.json] [-j N]`: many submissions at once.
//!
//! Every table of every file is read (each recognised by its template) and
//! validated; a file that cannot be read is kept with its reason, one of
//! jixiao's own reports (summary, diff, marked) is skipped with a note.
//! With `--prior`, last year's files are read too (not validated) and every
//! table is compared with last year's (crate::prior: the pairing of `diff`).
//! Exit 0: all read, no errors; 1: some errors or unreadable files, of either
//! year (outputs written); 2: misuse or nothing readable, in either year
//! (nothing written).

use crate::cli::CollectArgs;
use crate::collect::{Collection, FileOutcome, TableOutcome};
use crate::error::{Error, Result, UsageError};
use crate::model::Table;
use crate::output::{self, Output};
use crate::prior::YearOverYear;
use crate::read::ReadOptions;
use crate::template::Template;
use crate::validate::{validate, Report, VALIDATION_SCHEMA};
use crate::write::SummarySheets;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Extensions of files a folder walk picks up (a file named explicitly is always tried).
const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// The note in 文件清单 of a file skipped as one of jixiao's own reports.
const SKIPPED_NOTE: &str = "这是 jixiao 生成的汇总、对比或校验标注工作簿，不作为报送表读取";

pub fn run(args: &CollectArgs) -> Result<u8> {
    let templates = super::load_templates(&args.read)?;
    let found = |inputs: &[PathBuf]| -> Result<Vec<PathBuf>> {
        let files = gather(inputs)?;
        if files.is_empty() {
            return Err(UsageError::NoWorkbooks(
                inputs
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" "),
            )
            .into());
        }
        Ok(files)
    };
    let files = found(&args.inputs)?;
    let prior_files = if args.prior.is_empty() {
        Vec::new()
    } else {
        found(&args.prior)?
    };
    let targets: Vec<&str> = std::iter::once(args.output.as_str())
        .chain(args.json.as_deref())
        .collect();
    // An earlier summary in the folder is skipped, not read: it may be replaced.
    let inputs: Vec<&Path> = files
        .iter()
        .chain(&prior_files)
        .map(PathBuf::as_path)
        .filter(|f| !targets.iter().any(|t| is_own_report(Path::new(t), f)))
        .collect();
    output::check_targets(&targets, &inputs)?;
    output::check_overwrite(&targets, args.force)?;

    let bar = progress_bar((files.len() + prior_files.len()) as u64);
    keep_freed_memory();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .map_err(|e| UsageError::Jobs(e.to_string()))?;
    let opts = super::options(&args.read, &templates);
    // Last year's tables are only read.
    let read_prior = |files: &[PathBuf]| -> Collection {
        let outcomes: Vec<FileOutcome> = pool.install(|| {
            files
                .par_iter()
                .map(|path| {
                    let outcome = process(path, &opts, &templates, false);
                    bar.inc(1);
                    outcome
                })
                .collect()
        });
        collection_of(outcomes)
    };
    // This year's are validated, and written to 汇总 as they are read.
    let (collection, summary) = read_current(&files, &pool, &opts, &templates, &bar);
    let prior = (!prior_files.is_empty()).then(|| read_prior(&prior_files));
    bar.finish_and_clear();

    let report_reasons = |c: &Collection| {
        for e in c
            .entries
            .iter()
            .filter(|e| e.reason.is_some() && e.duplicates.is_empty())
        {
            eprintln!(
                "{}: {}，{}",
                e.path,
                e.status.label(),
                e.reason.as_deref().unwrap_or("")
            );
        }
    };
    if collection.tables().next().is_none() {
        // Nothing readable: nothing is written (exit 2).
        report_reasons(&collection);
        eprintln!(
            "共 {} 个文件，没有一张可读取的表格，未写出汇总",
            collection.outcomes.len()
        );
        return Ok(2);
    }
    if let Some(p) = prior.as_ref().filter(|p| p.tables().next().is_none()) {
        // Nothing of last year readable: no comparison, nothing is written (exit 2).
        report_reasons(p);
        eprintln!(
            "上年共 {} 个文件，没有一张可读取的表格，无法年度对比，未写出汇总",
            p.outcomes.len()
        );
        return Ok(2);
    }
    let comparison = prior.as_ref().map(|p| {
        let prior_tables: Vec<Table> = p.tables().cloned().collect();
        let current_tables: Vec<Table> = collection.tables().cloned().collect();
        pool.install(|| YearOverYear::new(&prior_tables, &current_tables, &templates))
    });
    // The workbook's sheets share the same threads (-j 1: one).
    let workbook = pool.install(|| match (&prior, &comparison) {
        (Some(p), Some(yoy)) => {
            crate::write::collect_prior_workbook_with(&collection, p, yoy, &templates, summary)
        }
        _ => crate::write::collect_workbook_with(&collection, &templates, summary),
    });
    let mut outputs = vec![Output {
        target: &args.output,
        bytes: workbook.map_err(|e| Error::output(&args.output, e))?,
    }];
    if let Some(json) = &args.json {
        let value = match (&prior, &comparison) {
            (Some(p), Some(yoy)) => collection.json_with_prior(p, yoy),
            _ => collection.json(),
        };
        let mut bytes = crate::json::to_vec_pretty(&value).expect("serializes");
        bytes.push(b'\n');
        outputs.push(Output {
            target: json,
            bytes,
        });
    }
    output::write_all_with(outputs, &inputs, args.force)?;

    report_reasons(&collection);
    for line in collection.duplicate_lines() {
        eprintln!("{line}");
    }
    eprintln!("{}", counts_line("", &collection));
    let mut code = collection.exit_code();
    if let (Some(p), Some(yoy)) = (&prior, &comparison) {
        report_reasons(p);
        eprintln!("{}", counts_line("上年", p));
        let (lowered, not_met, copied) = yoy.counts();
        eprintln!(
            "年度对比：两年都有 {} 张表（目标降低 {lowered}，上年目标未达成 {not_met}，复制上年 {copied}），仅本年 {}，仅上年 {}",
            yoy.pairs.len(),
            yoy.only_current.len(),
            yoy.only_prior.len()
        );
        if p.counts().2 > 0 {
            // Some of last year's files could not be read: the batch finished (1).
            code = code.max(1);
        }
    }
    // 500 files' tables and reports: freeing them one by one was the last
    // 30–50 ms of the run, on one core.
    super::leave((collection, prior, comparison));
    Ok(code)
}

/// Tells glibc's malloc to keep up to 32 MiB of freed memory and to serve
/// blocks of up to 4 MiB from its heap. By default it hands each file's
/// memory back to the kernel and faults it in again for the next file: twice
/// the page faults over a folder (52,000 against 26,000 for 500 files), and
/// the readers' faults wait on one another. The peak grows by about 2 MiB.
fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets two of the allocator's thresholds; it takes
    // the allocator's own lock and any value is valid for both.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
    }
}

/// The collection of `outcomes`, jixiao's own reports among them marked skipped.
fn collection_of(outcomes: Vec<FileOutcome>) -> Collection {
    let skipped: Vec<String> = outcomes
        .iter()
        .filter(|o| o.result.as_ref().err().is_some_and(|e| e == SKIPPED_NOTE))
        .map(|o| o.path.clone())
        .collect();
    Collection::with_skipped(outcomes, &skipped)
}

/// Reads and validates this year's `files` on `pool`, each file's tables
/// written to the 汇总 sheets as soon as the files before it are: with
/// more than one thread on a thread of its own beside the readers, which
/// take the files in order; with one, in turn with the reading.
fn read_current<'t>(
    files: &[PathBuf],
    pool: &rayon::ThreadPool,
    opts: &ReadOptions<'_>,
    templates: &'t [Template],
    bar: &ProgressBar,
) -> (Collection, SummarySheets<'t>) {
    // The collection's order (its paths as text), which 汇总's rows follow.
    let mut files: Vec<(String, &Path)> = files
        .iter()
        .map(|p| (p.display().to_string(), p.as_path()))
        .collect();
    files.sort();
    let read = |path: &Path| {
        let outcome = process(path, opts, templates, true);
        bar.inc(1);
        outcome
    };
    let mut summary = SummarySheets::new(templates);
    let mut add = |o: &FileOutcome| {
        for t in o.result.as_deref().unwrap_or(&[]) {
            summary.add(&o.path, &t.table);
        }
    };
    let mut outcomes = Vec::with_capacity(files.len());
    if pool.current_num_threads() <= 1 {
        pool.install(|| {
            for (_, path) in &files {
                let o = read(path);
                add(&o);
                outcomes.push(o);
            }
        });
    } else {
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::channel::<(usize, FileOutcome)>();
            let writer = s.spawn(|| {
                // Outcomes arrive nearly in order; each is written once all before it are.
                let mut early = std::collections::BTreeMap::new();
                for (k, o) in rx {
                    early.insert(k, o);
                    while let Some(o) = early.remove(&outcomes.len()) {
                        add(&o);
                        outcomes.push(o);
                    }
                }
            });
            pool.install(|| {
                files
                    .iter()
                    .enumerate()
                    .par_bridge()
                    .for_each_with(tx, |tx, (k, (_, path))| {
                        // The writer only stops when every sender is gone.
                        let _ = tx.send((k, read(path)));
                    })
            });
            writer.join().expect("the 汇总 writer does not panic");
        });
    }
    (collection_of(outcomes), summary)
}

/// `共 5 个文件：已导入 3，有错误 1，无法读取 1` (`上年共 …` for last year's).
fn counts_line(year: &str, c: &Collection) -> String {
    let (ok, with_errors, unreadable) = c.counts();
    let skipped = c.skipped();
    let tables = c.tables().count();
    let readable = c.outcomes.len() - unreadable - skipped;
    let of_tables = if tables == readable {
        String::new()
    } else {
        format!("（{tables} 张表）")
    };
    let of_skipped = if skipped > 0 {
        format!("，已跳过 {skipped}")
    } else {
        String::new()
    };
    if year.is_empty() {
        format!(
            "共 {} 个文件{of_tables}：已导入 {ok}，有错误 {with_errors}，无法读取 {unreadable}{of_skipped}",
            c.outcomes.len()
        )
    } else {
        format!(
            "{year}共 {} 个文件{of_tables}：已读取 {}，无法读取 {unreadable}{of_skipped}",
            c.outcomes.len(),
            ok + with_errors
        )
    }
}

/// Reads (and with `check` validates) every table of one file; a failure is kept as its reason, never raised.
pub(crate) fn process(
    path: &Path,
    opts: &ReadOptions<'_>,
    templates: &[Template],
    check: bool,
) -> FileOutcome {
    if std::fs::read(path).is_ok_and(|b| crate::read::mark::is_jixiao_report(&b)) {
        return FileOutcome {
            path: path.display().to_string(),
            result: Err(SKIPPED_NOTE.into()),
        };
    }
    let result = super::read_tables(path, opts).and_then(|tables| {
        tables
            .into_iter()
            .map(|table| {
                let report = if check {
                    validate(&table, super::template_of(templates, &table)?, None)
                } else {
                    Report {
                        schema: VALIDATION_SCHEMA.into(),
                        path: table.source.path.clone(),
                        errors: 0,
                        warnings: 0,
                        issues: Vec::new(),
                    }
                };
                Ok(TableOutcome { table, report })
            })
            .collect::<Result<Vec<_>>>()
    });
    FileOutcome {
        path: path.display().to_string(),
        // The file is named beside its reason (文件清单, stderr): keep the why only.
        result: result.map_err(|e| match e {
            crate::error::Error::Input { reason, .. } => reason.to_string(),
            other => other.to_string(),
        }),
    }
}

/// Whether `file` is the output `target` and one of jixiao's reports (so it
/// is skipped when walked, and may be replaced).
fn is_own_report(target: &Path, file: &Path) -> bool {
    let same = match (std::fs::canonicalize(target), std::fs::canonicalize(file)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    same && std::fs::read(file).is_ok_and(|b| crate::read::mark::is_jixiao_report(&b))
}

/// Files named explicitly, plus workbooks found by walking folders (lock files
/// `~$…` and hidden files or folders skipped), sorted and without repeats.
pub(crate) fn gather(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let walker = walkdir::WalkDir::new(input)
                .follow_links(false)
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
            for entry in walker {
                let entry = entry.map_err(|e| {
                    Error::input(input.display(), crate::error::InputError::Io(e.to_string()))
                })?;
                let name = entry.file_name().to_string_lossy();
                if entry.file_type().is_file() && !name.starts_with("~$") && has_workbook_ext(&name)
                {
                    files.push(entry.into_path());
                }
            }
        } else if input.exists() {
            files.push(input.clone());
        } else {
            return Err(Error::input(
                input.display(),
                crate::error::InputError::NotFound,
            ));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn has_workbook_ext(name: &str) -> bool {
    name.rsplit_once('.')
        .map(|(_, ext)| WORKBOOK_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
        .unwrap_or(false)
}

/// A progress bar on a terminal; nothing when stderr is a pipe or a file.
fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} 个文件 {elapsed}") {
        bar.set_style(style);
    }
    bar
}
