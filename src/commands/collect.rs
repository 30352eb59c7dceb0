//! `jixiao collect DIR_OR_FILES... -o SUMMARY.xlsx [--json ALL.json] [-j N]`: many submissions at once.
//!
//! Every table of every file is read (each recognised by its template) and
//! validated; a file that cannot be read is kept with its reason, one of
//! jixiao's own reports (summary, diff, marked) is skipped with a note.
//! Exit 0: all read, no errors; 1: some errors or unreadable files (outputs
//! written); 2: misuse or nothing readable (nothing written).

use crate::cli::CollectArgs;
use crate::collect::{Collection, FileOutcome, TableOutcome};
use crate::error::{Error, Result};
use crate::output::{self, Output};
use crate::read::ReadOptions;
use crate::template::Template;
use crate::validate::validate;
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
    let files = gather(&args.inputs)?;
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "{}: 没有找到表格文件（.xlsx/.xlsm/.xls/.xlsb/.ods）",
            args.inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" ")
        )));
    }
    let targets: Vec<&str> = std::iter::once(args.output.as_str())
        .chain(args.json.as_deref())
        .collect();
    // An earlier summary in the folder is skipped, not read: it may be replaced.
    let inputs: Vec<&Path> = files
        .iter()
        .map(PathBuf::as_path)
        .filter(|f| !targets.iter().any(|t| is_own_report(Path::new(t), f)))
        .collect();
    output::check_targets(&targets, &inputs)?;
    output::check_overwrite(&targets, args.force)?;

    let bar = progress_bar(files.len() as u64);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Error::Usage(format!("-j: {e}")))?;
    let opts = super::options(&args.read, &templates);
    let outcomes: Vec<FileOutcome> = pool.install(|| {
        files
            .par_iter()
            .map(|path| {
                let outcome = process(path, &opts, &templates);
                bar.inc(1);
                outcome
            })
            .collect()
    });
    bar.finish_and_clear();

    let skipped: Vec<String> = outcomes
        .iter()
        .filter(|o| o.result.as_ref().err().is_some_and(|e| e == SKIPPED_NOTE))
        .map(|o| o.path.clone())
        .collect();
    let collection = Collection::with_skipped(outcomes, &skipped);
    let report_reasons = || {
        for e in collection
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
        report_reasons();
        eprintln!(
            "共 {} 个文件，没有一张可读取的表格，未写出汇总",
            collection.outcomes.len()
        );
        return Ok(2);
    }
    let mut outputs = vec![Output {
        target: &args.output,
        bytes: crate::write::collect_workbook(&collection, &templates)
            .map_err(|e| Error::output(&args.output, e.to_string()))?,
    }];
    if let Some(json) = &args.json {
        let mut bytes = serde_json::to_vec_pretty(&collection.json()).expect("serializes");
        bytes.push(b'\n');
        outputs.push(Output {
            target: json,
            bytes,
        });
    }
    output::write_all_with(outputs, &inputs, args.force)?;

    let (ok, with_errors, unreadable) = collection.counts();
    report_reasons();
    for line in collection.duplicate_lines() {
        eprintln!("{line}");
    }
    let skipped = collection.skipped();
    let tables = collection.tables().count();
    let readable = collection.outcomes.len() - unreadable - skipped;
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
    eprintln!(
        "共 {} 个文件{of_tables}：已导入 {ok}，有错误 {with_errors}，无法读取 {unreadable}{of_skipped}",
        collection.outcomes.len()
    );
    Ok(collection.exit_code())
}

/// Reads and validates every table of one file; a failure is kept as its reason, never raised.
pub(crate) fn process(path: &Path, opts: &ReadOptions<'_>, templates: &[Template]) -> FileOutcome {
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
                let report = validate(&table, super::template_of(templates, &table)?, None);
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
