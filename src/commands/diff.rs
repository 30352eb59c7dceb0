//! `jixiao diff PRIOR CURRENT [--json CHANGES.json] [-o DIFF.xlsx]`: compare two years.
//!
//! Either side is a workbook (any number of tables) or a folder of them. The
//! tables are paired (`diff::pair_tables`: template, department, project) and
//! each pair diffed (crate::diff); an unpaired table is a whole addition or
//! removal. A summary per pair is printed for a person (to stdout, or to
//! stderr when an output goes to stdout; several pairs: then their total),
//! the pairs' warnings on stderr, and the outputs written whole or not at
//! all: the JSON (one pair: the diff JSON; several: `jixiao.diffs/1`, the
//! total `summary` and one report per pair) and the diff workbook (one pair:
//! crate::write::diff_workbook; several: one workbook of every pair,
//! crate::write's `diff_workbook_of_pairs`), with the current tables' findings.
//! With `--format daff`, `-o` is instead daff's highlighter CSV of the one
//! pair (crate::csv); several pairs are refused.

use crate::cli::{DiffArgs, DiffFormat};
use crate::diff::{
    diff, diff_workbooks, merge_reports, render_text, DiffReport, Summary, WorkbookPair,
};
use crate::error::{Error, Result, UsageError};
use crate::model::Table;
use crate::output::{self, Output};
use crate::read::ReadOptions;
use crate::template::Template;
use crate::validate::{validate, Report};
use crate::write::{diff_workbook, diff_workbook_of_pairs, WriteError};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The `schema` of the JSON of several pairs' diffs.
pub const DIFFS_SCHEMA: &str = "jixiao.diffs/1";

/// The JSON of several pairs: the counts of every pair added up, and one
/// diff report per pair, in pair order.
#[derive(Debug, Serialize)]
struct Diffs<'a> {
    schema: &'static str,
    summary: &'a Summary,
    diffs: &'a [DiffReport],
}

pub fn run(args: &DiffArgs) -> Result<u8> {
    // Refuse bad targets before any work (write_all checks again).
    let targets: Vec<&str> = [args.output.as_deref(), args.json.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let daff = args.format == DiffFormat::Daff;
    if daff && args.output.is_none() {
        return Err(UsageError::DaffNoOutput.into());
    }
    let mut inputs: Vec<PathBuf> = vec![args.prior.clone(), args.current.clone()];
    for side in [&args.prior, &args.current] {
        if side.is_dir() {
            inputs.extend(super::workbooks_in(side)?);
        }
    }
    let input_refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    output::check_targets(&targets, &input_refs)?;

    let templates = super::load_templates(&args.read)?;
    let opts: ReadOptions<'_> = super::options(&args.read, &templates);
    // The two years are read at once, one on each core; the prior year's
    // error, if both fail, is the one reported (as when read in turn).
    let (prior, current) = rayon::join(
        || super::read_side(&args.prior, &opts),
        || super::read_side(&args.current, &opts),
    );
    let (prior, _) = prior?;
    let (current, _) = current?;
    let pairs = super::pairs(&prior, &current);
    let (reports, total) = compare(&prior, &current, &pairs);
    for w in &total.warnings {
        eprintln!("警告：{w}");
    }

    let mut outputs = Vec::new();
    if let (Some(target), true) = (args.output.as_deref(), daff) {
        let bytes = daff_csv(args, &prior, &current, &pairs, &reports, &templates)?;
        outputs.push(Output { target, bytes });
    } else if let Some(target) = args.output.as_deref() {
        if let Some(bytes) = workbook(&prior, &current, &pairs, &reports, &templates)? {
            outputs.push(Output {
                target,
                bytes: bytes.map_err(|e| Error::output(target, e))?,
            });
        }
    }
    if let Some(target) = args.json.as_deref() {
        let mut json = if let [one] = reports.as_slice() {
            crate::json::to_vec_pretty(one)
        } else {
            crate::json::to_vec_pretty(&Diffs {
                schema: DIFFS_SCHEMA,
                summary: &total.summary,
                diffs: &reports,
            })
        }
        .expect("a diff always serializes");
        json.push(b'\n');
        outputs.push(Output {
            target,
            bytes: json,
        });
    }

    let text = text(&prior, &current, &pairs, &reports, &total);
    let to_stderr = outputs.iter().any(|o| o.target == "-");
    if !outputs.is_empty() {
        output::write_all_with(outputs, &input_refs, args.force)?;
    }
    if to_stderr {
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .map_err(|e| Error::stdout(&e))?;
    }
    super::leave((prior, current, reports));
    Ok(0)
}

/// The daff highlighter CSV of the one pair of tables.
fn daff_csv(
    args: &DiffArgs,
    prior: &[Table],
    current: &[Table],
    pairs: &[(Option<usize>, Option<usize>)],
    reports: &[DiffReport],
    templates: &[Template],
) -> Result<Vec<u8>> {
    let both = match (pairs, reports) {
        ([(Some(p), Some(c))], [report]) => prior.get(*p).zip(current.get(*c)).map(|s| (s, report)),
        _ => None,
    };
    let Some(((pt, ct), report)) = both else {
        return Err(UsageError::DaffPairs(args.current.display().to_string(), pairs.len()).into());
    };
    let template = super::template_of(templates, ct)?;
    crate::csv::daff(pt, ct, report, template).map_err(|crate::csv::DaffError::Templates(a, b)| {
        UsageError::DaffTemplates(args.current.display().to_string(), a, b).into()
    })
}

/// The pairs' diff reports (in pair order) and their whole: every pair's
/// changes, counts and warnings.
pub(crate) fn compare(
    prior: &[Table],
    current: &[Table],
    pairs: &[(Option<usize>, Option<usize>)],
) -> (Vec<DiffReport>, DiffReport) {
    let reports: Vec<DiffReport> = match pairs {
        [(Some(p), Some(c))] => vec![diff(&prior[*p], &current[*c])],
        _ => diff_workbooks(prior, current),
    };
    let total = merge_reports(&reports);
    (reports, total)
}

/// The diff workbook of the pairs (one pair: its two tables; several: one
/// workbook of every pair), with the current tables' findings; `None` when
/// there is no table at all.
pub(crate) fn workbook(
    prior: &[Table],
    current: &[Table],
    pairs: &[(Option<usize>, Option<usize>)],
    reports: &[DiffReport],
    templates: &[Template],
) -> Result<Option<std::result::Result<Vec<u8>, WriteError>>> {
    let bytes = if let [(p, c)] = pairs {
        // One pair: its two tables (an empty table for an absent side).
        let empty = |other: &Table| Table::new(other.shape.clone());
        let sides = match (p.and_then(|i| prior.get(i)), c.and_then(|i| current.get(i))) {
            (Some(p), Some(c)) => Some((p.clone(), c.clone())),
            (Some(p), None) => Some((p.clone(), empty(p))),
            (None, Some(c)) => Some((empty(c), c.clone())),
            (None, None) => None,
        };
        match (sides, reports.first()) {
            (Some((pt, ct)), Some(report)) => {
                let template = super::template_of(templates, &ct)?;
                // The current table's findings are marked on the workbook's 本年 sheet too.
                let findings = validate(&ct, template, None);
                Some(diff_workbook(&pt, &ct, report, &findings, template))
            }
            _ => None,
        }
    } else {
        // Several pairs: one workbook of them all.
        let mut found: Vec<(Option<&Table>, Option<&Table>, &Template, String)> = Vec::new();
        for &(p, c) in pairs {
            let (pt, ct) = (p.and_then(|i| prior.get(i)), c.and_then(|i| current.get(i)));
            let Some(any) = ct.or(pt) else { continue };
            let template = super::template_of(templates, any)?;
            let label = match (pt, ct) {
                (_, Some(t)) => super::table_label(t, current),
                (Some(t), None) => super::table_label(t, prior),
                (None, None) => String::new(),
            };
            found.push((pt, ct, template, label));
        }
        let findings: Vec<Option<Report>> = found
            .iter()
            .map(|(_, ct, template, _)| ct.map(|t| validate(t, template, None)))
            .collect();
        let items: Vec<WorkbookPair<'_>> = found
            .iter()
            .zip(&findings)
            .zip(reports.iter())
            .map(|(((pt, ct, template, label), f), report)| WorkbookPair {
                prior: *pt,
                current: *ct,
                report,
                findings: f.as_ref(),
                template,
                label,
            })
            .collect();
        (!items.is_empty()).then(|| diff_workbook_of_pairs(&items))
    };
    Ok(bytes)
}

/// The comparison for a person: each pair's summary, and with several pairs their total.
pub(crate) fn text(
    prior: &[Table],
    current: &[Table],
    pairs: &[(Option<usize>, Option<usize>)],
    reports: &[DiffReport],
    total: &DiffReport,
) -> String {
    let mut text = String::new();
    for (k, report) in reports.iter().enumerate() {
        if reports.len() > 1 {
            if k > 0 {
                text.push('\n');
            }
            let (p, c) = pairs.get(k).copied().unwrap_or((None, None));
            let side = |t: Option<usize>, all: &[Table]| {
                t.and_then(|i| all.get(i))
                    .map_or_else(|| "（无）".to_string(), |t| super::table_label(t, all))
            };
            text.push_str(&format!(
                "== 第 {}/{} 对：{} → {} ==\n",
                k + 1,
                reports.len(),
                side(p, prior),
                side(c, current)
            ));
        }
        text.push_str(&render_text(report));
    }
    if reports.len() > 1 {
        let s = &total.summary;
        text.push_str(&format!(
            "\n合计（{} 对）：新增 {}，删除 {}，更名 {}，移动 {}，修改 {}；未变指标 {}\n",
            reports.len(),
            s.added,
            s.removed,
            s.renamed,
            s.moved,
            s.modified,
            s.unchanged
        ));
    }
    text
}
