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
    let inputs = [args.file.as_path()];
    let json = |value: &dyn pretty::Pretty| {
        output::write_one_streamed(target, &inputs, args.force, |w| value.write_to(w))
    };
    if args.all {
        let workbook = read_workbook(&args.file, &opts)?;
        json(&workbook)?;
        super::leave(workbook);
        return Ok(0);
    }
    let table = match args.table {
        Some(n) => read_table(&args.file, &opts, n)?,
        None => read_file(&args.file, &opts)?,
    };
    if csv {
        let template = super::template_of(&templates, &table)?;
        output::write_one_with(
            target,
            crate::csv::table_csv(&table, template),
            &inputs,
            args.force,
        )?;
    } else {
        json(&table)?;
    }
    super::leave(table);
    Ok(0)
}

/// A model value as pretty JSON and a line end, written as it is serialized:
/// a 100,000-indicator table's JSON (over 100 MB) is never held whole in
/// memory beside the table.
mod pretty {
    use std::io::Write;

    pub trait Pretty {
        fn write_to(&self, w: &mut dyn Write) -> std::io::Result<()>;
    }

    impl<T: serde::Serialize> Pretty for T {
        fn write_to(&self, w: &mut dyn Write) -> std::io::Result<()> {
            crate::json::write_pretty(w, self)
        }
    }
}
