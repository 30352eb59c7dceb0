//! `jixiao validate FILE [--prior PRIOR] [--json REPORT.json] [-o MARKED.xlsx]`:
//! check every table of a workbook, print the findings for a person,
//! optionally write them (the JSON report, and the marked workbook of
//! [`marked_workbook_with_extras`], one marked sheet per table, the
//! workbook's other cells listed on 其他内容).
//!
//! With `--prior`, each table is checked against its pair among the prior
//! tables (`diff::pair_tables`). Exit 0 when no table has an error (warnings
//! allowed), 1 with errors; a file that cannot be read is an error exit (2)
//! from the reader. Every output is staged with [`output::write_all_with`], so a
//! failure leaves none behind.

use crate::cli::ValidateArgs;
use crate::error::{Error, Result};
use crate::model::Table;
use crate::output::{self, Output};
use crate::read::ReadOptions;
use crate::template::Template;
use crate::validate::{render_text, validate, Report};
use crate::write::marked_workbook_with_extras;
use serde::Serialize;
use std::path::Path;

/// The `schema` of the JSON of several tables' reports.
pub const VALIDATIONS_SCHEMA: &str = "jixiao.validations/1";

/// The JSON of a workbook of several tables: one report per table, in table order.
#[derive(Debug, Serialize)]
struct Reports<'a> {
    schema: &'static str,
    path: String,
    reports: Vec<&'a Report>,
}

pub fn run(args: &ValidateArgs) -> Result<u8> {
    let inputs: Vec<&Path> = std::iter::once(args.file.as_path())
        .chain(args.prior.as_deref())
        .collect();
    let targets: Vec<&str> = [args.output.as_deref(), args.json.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    output::check_targets(&targets, &inputs)?;
    let templates = super::load_templates(&args.read)?;
    // With --prior, both files are read at once, one on each core; the
    // submission's error, if both fail, is the one reported.
    let (this, prior) = rayon::join(
        || super::restyle::tables_and_extras(&args.file, &super::options(&args.read, &templates)),
        || match &args.prior {
            Some(p) => {
                let opts = ReadOptions {
                    sheet: None,
                    templates: &templates,
                };
                super::read_side(p, &opts).map(|side| side.0)
            }
            None => Ok(Vec::new()),
        },
    );
    let (tables, extras) = this?;
    let prior = prior?;
    // Each current table's prior pair, if any.
    let mut prior_of: Vec<Option<&Table>> = vec![None; tables.len()];
    if !prior.is_empty() {
        for (p, c) in super::pairs(&prior, &tables) {
            if let (Some(p), Some(c)) = (p, c) {
                if let Some(slot) = prior_of.get_mut(c) {
                    *slot = prior.get(p);
                }
            }
        }
    }
    let mut items: Vec<(&Table, Report, &Template)> = Vec::with_capacity(tables.len());
    for (t, p) in tables.iter().zip(&prior_of) {
        let template = super::template_of(&templates, t)?;
        items.push((t, validate(t, template, *p), template));
    }

    let mut outputs = Vec::new();
    if let Some(target) = args.output.as_deref() {
        let marked: Vec<(&Table, &Report, &Template)> =
            items.iter().map(|(t, r, tp)| (*t, r, *tp)).collect();
        outputs.push(Output {
            target,
            bytes: marked_workbook_with_extras(&marked, &extras)
                .map_err(|e| Error::output(target, e))?,
        });
    }
    let reports: Vec<&Report> = items.iter().map(|(_, r, _)| r).collect();
    if let Some(target) = args.json.as_deref() {
        let bytes = if let [one] = reports.as_slice() {
            report_json(one)
        } else {
            let mut json = crate::json::to_vec_pretty(&Reports {
                schema: VALIDATIONS_SCHEMA,
                path: args.file.display().to_string(),
                reports: reports.clone(),
            })
            .expect("a report always serializes");
            json.push(b'\n');
            json
        };
        outputs.push(Output { target, bytes });
    }
    output::write_all_with(outputs, &inputs, args.force)?;
    // The JSON or the workbook may go to stdout (`--json -`, `-o -`): the report
    // for a person then goes to stderr.
    let mut text = String::new();
    for (k, (t, r, _)) in items.iter().enumerate() {
        if items.len() > 1 {
            if k > 0 {
                text.push('\n');
            }
            text.push_str(&format!(
                "== 表 {}/{}：{} ==\n",
                k + 1,
                items.len(),
                super::table_label(t, &tables)
            ));
        }
        text.push_str(&render_text(r, t));
    }
    if args.json.as_deref() == Some("-") || args.output.as_deref() == Some("-") {
        eprint!("{text}");
    } else {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .map_err(|e| Error::stdout(&e))?;
    }
    let code = if reports.iter().any(|r| r.has_errors()) {
        1
    } else {
        0
    };
    // The tables and reports go to the operating system with the process.
    super::leave(items);
    super::leave((prior, tables, extras));
    Ok(code)
}

/// The validation JSON: pretty, with a trailing newline.
pub(crate) fn report_json(report: &Report) -> Vec<u8> {
    let mut json = crate::json::to_vec_pretty(report).expect("a report always serializes");
    json.push(b'\n');
    json
}
