//! `jixiao import FILE [--sheet] [--template] [-o OUT.json]`: print one table's JSON.

use crate::cli::ImportArgs;
use crate::error::Result;
use crate::output;
use crate::read::{read_file, ReadOptions};

pub fn run(args: &ImportArgs) -> Result<u8> {
    let template = super::load_template(&args.read)?;
    let opts = ReadOptions {
        sheet: args.read.sheet.as_deref(),
        template: &template,
    };
    let table = read_file(&args.file, &opts)?;
    let mut json = serde_json::to_vec_pretty(&table).expect("a model always serializes");
    json.push(b'\n');
    let target = args.output.as_deref().unwrap_or("-");
    output::write_one(target, json, &[args.file.as_path()])?;
    Ok(0)
}
