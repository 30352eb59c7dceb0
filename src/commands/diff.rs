//! `jixiao diff PRIOR CURRENT [--json CHANGES.json] [-o DIFF.xlsx]`: compare two years.
//!
//! Reads both tables, diffs them (crate::diff), prints a summary for a person
//! (to stdout, or to stderr when the JSON goes to stdout), and writes the
//! outputs whole or not at all: the JSON and the diff workbook
//! (crate::write::diff_workbook, with the current table's findings).

use crate::cli::DiffArgs;
use crate::diff::{diff, render_text};
use crate::error::{Error, Result};
use crate::output::{self, Output};
use crate::read::{read_file, ReadOptions};
use crate::validate::validate;
use crate::write::diff_workbook;
use std::io::Write;

pub fn run(args: &DiffArgs) -> Result<u8> {
    let inputs = [args.prior.as_path(), args.current.as_path()];
    // Refuse bad targets before any work (write_all checks again).
    let targets: Vec<&str> = [args.output.as_deref(), args.json.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    output::check_targets(&targets, &inputs)?;

    let template = super::load_template(&args.read)?;
    let opts = ReadOptions {
        sheet: args.read.sheet.as_deref(),
        template: &template,
    };
    let prior = read_file(&args.prior, &opts)?;
    let current = read_file(&args.current, &opts)?;
    let report = diff(&prior, &current);

    let mut outputs = Vec::new();
    if let Some(target) = args.output.as_deref() {
        // The current table's findings are marked on the workbook's 本年 sheet too.
        let findings = validate(&current, &template, None);
        outputs.push(Output {
            target,
            bytes: diff_workbook(&prior, &current, &report, &findings, &template)
                .map_err(|e| Error::output(target, e.to_string()))?,
        });
    }
    if let Some(target) = args.json.as_deref() {
        let mut json = serde_json::to_vec_pretty(&report).expect("a diff always serializes");
        json.push(b'\n');
        outputs.push(Output {
            target,
            bytes: json,
        });
    }

    let text = render_text(&report);
    let to_stderr = outputs.iter().any(|o| o.target == "-");
    if !outputs.is_empty() {
        output::write_all(outputs, &inputs)?;
    }
    if to_stderr {
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .map_err(|e| Error::output("-", e.to_string()))?;
    }
    Ok(0)
}
