//! `jixiao template --year Y --department NAME [--from PRIOR] [--rows N] -o BLANK.xlsx`.

use crate::cli::TemplateArgs;
use crate::error::{Error, Result};
use crate::model::Table;
use crate::output;
use crate::read::{read_file, ReadOptions};
use crate::write;
use std::path::Path;

pub fn run(args: &TemplateArgs) -> Result<u8> {
    let template = super::load_template(&args.read)?;
    let department = args.department.trim();
    if department.is_empty() {
        return Err(Error::Usage("--department 不能为空".into()));
    }
    let inputs: Vec<&Path> = args.from.iter().map(|p| p.as_path()).collect();
    output::check_target(&args.output, &inputs)?;
    let title = template.title(args.year, department);
    let table = match &args.from {
        Some(prior) => {
            let opts = ReadOptions {
                sheet: args.read.sheet.as_deref(),
                template: &template,
            };
            read_file(prior, &opts)?.roll_forward(args.year, department, title)
        }
        None => {
            let mut t = Table::new(&template.id);
            t.title = title;
            t.year = Some(args.year);
            t.department = Some(department.to_string());
            t
        }
    };
    let bytes = write::blank_template(&table, &template, args.rows)
        .map_err(|e| Error::output(&args.output, e.to_string()))?;
    output::write_one(&args.output, bytes, &inputs)?;
    Ok(0)
}
