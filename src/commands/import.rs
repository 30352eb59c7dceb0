//! `jixiao import FILE [--sheet] [--template] [--table N | --all] [-o OUT.json]`: print one table's JSON, or the workbook's.
//!
//! A workbook of several tables is refused unless `--sheet` narrows it to
//! one, `--table N` picks one, or `--all` asks for every table (the workbook
//! JSON, spec/model.md).

use crate::cli::ImportArgs;
use crate::error::{Result, UsageError};
use crate::output;
use crate::read::{read_file, read_table, read_workbook};

pub fn run(args: &ImportArgs) -> Result<u8> {
    let target = args.output.as_deref().unwrap_or("-");
    output::check_target(target, &[args.file.as_path()])?;
    let templates = super::load_templates(&args.read)?;
    let opts = super::options(&args.read, &templates);
    let json = if args.all {
        serde_json::to_vec_pretty(&read_workbook(&args.file, &opts)?)
    } else if let Some(n) = args.table {
        if n == 0 {
            return Err(UsageError::TableFromOne.into());
        }
        serde_json::to_vec_pretty(&read_table(&args.file, &opts, n)?)
    } else {
        serde_json::to_vec_pretty(&read_file(&args.file, &opts)?)
    };
    let mut json = json.expect("a model always serializes");
    json.push(b'\n');
    output::write_one_with(target, json, &[args.file.as_path()], args.force)?;
    Ok(0)
}
