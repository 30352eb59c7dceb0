//! Compares two years and writes the reviewer's diff workbook: `cargo run --example compare [LAST THIS OUT]`.

use jixiao::{diff, diff_workbook, read_file, validate, ReadOptions, Template};
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let last = args
        .next()
        .unwrap_or_else(|| "examples/linyi-education-2022.xlsx".into());
    let this = args
        .next()
        .unwrap_or_else(|| "examples/linyi-education-2023.xlsx".into());
    let out = args
        .next()
        .unwrap_or_else(|| std::env::temp_dir().join("jixiao-compare.xlsx"));
    let templates = Template::builtins();
    let opts = ReadOptions {
        sheet: None,
        templates: &templates,
    };
    let prior = read_file(&last, &opts)?;
    let current = read_file(&this, &opts)?;
    let template = templates
        .iter()
        .find(|t| t.id == current.template)
        .expect("a built-in template");
    let changes = diff(&prior, &current);
    let s = &changes.summary;
    println!(
        "新增 {}，删除 {}，更名 {}，移动 {}，修改 {}；未变指标 {}",
        s.added, s.removed, s.renamed, s.moved, s.modified, s.unchanged
    );
    let findings = validate(&current, template, Some(&prior));
    let xlsx = diff_workbook(&prior, &current, &changes, &findings, template)?;
    std::fs::write(&out, xlsx)?;
    println!("已写入 {}", out.display());
    Ok(())
}
