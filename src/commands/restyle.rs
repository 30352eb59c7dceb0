//! `jixiao restyle FILE -o OUT.xlsx`: every table of a submitted workbook written back in the official layout and style.

use crate::cli::RestyleArgs;
use crate::error::{Error, Result};
use crate::model::Table;
use crate::output;
use crate::template::Template;
use crate::write;

pub fn run(args: &RestyleArgs) -> Result<u8> {
    let templates = super::load_templates(&args.read)?;
    // Refuse an output equal to the input before doing any work.
    output::check_target(&args.output, &[args.file.as_path()])?;
    let tables = super::read_tables(&args.file, &super::options(&args.read, &templates))?;
    let items = tables
        .iter()
        .map(|t| Ok((t, super::template_of(&templates, t)?)))
        .collect::<Result<Vec<(&Table, &Template)>>>()?;
    let bytes =
        write::official_workbook(&items).map_err(|e| Error::output(&args.output, e.to_string()))?;
    output::write_one(&args.output, bytes, &[args.file.as_path()])?;
    Ok(0)
}
