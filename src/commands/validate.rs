//! `jixiao validate FILE [--prior PRIOR] [--json REPORT.json] [-o MARKED.xlsx]`:
//! check one table, print the findings for a person, optionally write them
//! (the JSON report, and the marked workbook of [`marked_workbook`]).
//!
//! Exit 0 when there is no error (warnings allowed), 1 with errors; a file that
//! cannot be read is an error exit (2) from the reader. Every output is staged
//! with [`output::write_all`], so a failure leaves none behind.

use crate::cli::ValidateArgs;
use crate::error::{Error, Result};
use crate::output::{self, Output};
use crate::read::{read_file, ReadOptions};
use crate::validate::{render_text, validate, Report};
use crate::write::marked_workbook;
use std::path::Path;

pub fn run(args: &ValidateArgs) -> Result<u8> {
    let inputs: Vec<&Path> = std::iter::once(args.file.as_path())
        .chain(args.prior.as_deref())
        .collect();
    let targets: Vec<&str> = [args.output.as_deref(), args.json.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    output::check_targets(&targets, &inputs)?;
    let template = super::load_template(&args.read)?;
    let table = read_file(
        &args.file,
        &ReadOptions {
            sheet: args.read.sheet.as_deref(),
            template: &template,
        },
    )?;
    let prior = match &args.prior {
        Some(p) => Some(read_file(
            p,
            &ReadOptions {
                sheet: None,
                template: &template,
            },
        )?),
        None => None,
    };
    let report = validate(&table, &template, prior.as_ref());

    let mut outputs = Vec::new();
    if let Some(target) = args.output.as_deref() {
        outputs.push(Output {
            target,
            bytes: marked_workbook(&table, &report, &template)
                .map_err(|e| Error::output(target, e.to_string()))?,
        });
    }
    if let Some(target) = args.json.as_deref() {
        outputs.push(Output {
            target,
            bytes: report_json(&report),
        });
    }
    output::write_all(outputs, &inputs)?;
    // The JSON or the workbook may go to stdout (`--json -`, `-o -`): the report
    // for a person then goes to stderr.
    let text = render_text(&report, &table);
    if args.json.as_deref() == Some("-") || args.output.as_deref() == Some("-") {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    Ok(if report.has_errors() { 1 } else { 0 })
}

/// The validation JSON: pretty, with a trailing newline.
pub(crate) fn report_json(report: &Report) -> Vec<u8> {
    let mut json = serde_json::to_vec_pretty(report).expect("a report always serializes");
    json.push(b'\n');
    json
}
