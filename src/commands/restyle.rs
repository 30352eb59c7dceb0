//! `jixiao restyle FILE -o OUT.xlsx`: a submitted table written back in the official layout and style.

use crate::cli::RestyleArgs;
use crate::error::{Error, Result};
use crate::output;
use crate::read::{read_file, ReadOptions};
use crate::write;

pub fn run(args: &RestyleArgs) -> Result<u8> {
    let template = super::load_template(&args.read)?;
    // Refuse an output equal to the input before doing any work.
    output::check_target(&args.output, &[args.file.as_path()])?;
    let opts = ReadOptions {
        sheet: args.read.sheet.as_deref(),
        template: &template,
    };
    let table = read_file(&args.file, &opts)?;
    let bytes = write::official_workbook(&table, &template)
        .map_err(|e| Error::output(&args.output, e.to_string()))?;
    output::write_one(&args.output, bytes, &[args.file.as_path()])?;
    Ok(0)
}
