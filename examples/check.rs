//! Checks a workbook as `jixiao validate` does and prints each finding: `cargo run --example check [FILE]`.

use jixiao::{read_workbook, validate, ReadOptions, Template};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let path: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| "examples/linyi-education-2023.xlsx".into());
    let templates = Template::builtins();
    let opts = ReadOptions {
        sheet: None,
        templates: &templates,
    };
    let workbook = match read_workbook(&path, &opts) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut errors = 0;
    for table in &workbook.tables {
        let template = templates.iter().find(|t| t.id == table.template).unwrap();
        let report = validate(table, template, None);
        println!(
            "{}：错误 {}，警告 {}",
            table.title, report.errors, report.warnings
        );
        for f in &report.issues {
            println!(
                "  {} {}：{}〔{}〕",
                f.sheet,
                f.cell,
                f.message,
                f.code.label()
            );
        }
        errors += report.errors;
    }
    ExitCode::from(u8::from(errors > 0))
}
