//! `jixiao import FILE [--sheet] [--template] [--table N | --all] [--format json|csv] [-o OUT]`: print one table's JSON or CSV, or the workbook's JSON.
//!
//! A workbook of several tables is refused unless `--sheet` narrows it to
//! one, `--table N` picks one, or `--all` asks for every table (the workbook
//! JSON, spec/model.md). `--format csv` writes one table as CSV
//! (crate::csv); with `--all` it is refused, a CSV holding one table.

use crate::cli::{ImportArgs, ImportFormat};
use crate::error::{Result, UsageError};
use crate::output;
use crate::read::{read_file, read_table, read_workbook};

pub fn run(args: &ImportArgs) -> Result<u8> {
    let target = args.output.as_deref().unwrap_or("-");
    output::check_target(target, &[args.file.as_path()])?;
    let csv = args.format == ImportFormat::Csv;
    if csv && args.all {
        return Err(UsageError::CsvAll.into());
    }
    if args.table == Some(0) {
        return Err(UsageError::TableFromOne.into());
    }
    let templates = super::load_templates(&args.read)?;
    let opts = super::options(&args.read, &templates);
    let bytes = if args.all {
        serde_json::to_vec_pretty(&read_workbook(&args.file, &opts)?)
            .expect("a model always serializes")
    } else {
        let table = match args.table {
            Some(n) => read_table(&args.file, &opts, n)?,
            None => read_file(&args.file, &opts)?,
        };
        if csv {
            let template = super::template_of(&templates, &table)?;
            crate::csv::table_csv(&table, template)
        } else {
            serde_json::to_vec_pretty(&table).expect("a model always serializes")
        }
    };
    let mut bytes = bytes;
    if !csv {
        bytes.push(b'\n');
    }
    output::write_one_with(target, bytes, &[args.file.as_path()], args.force)?;
    Ok(0)
}
