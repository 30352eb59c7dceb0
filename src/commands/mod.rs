//! One file per subcommand; each only glues read → validate/diff → write → output.
//!
//! The helpers here are shared by the commands: the templates `--template`
//! names, a table's template, every table of a workbook or of a folder, and a
//! table's name for people.

pub(crate) mod collect;
pub(crate) mod diff;
mod import;
pub(crate) mod restyle;
#[cfg(feature = "serve")]
pub(crate) mod serve;
pub(crate) mod template;
mod validate;

use crate::cli::{Command, ReadArgs};
use crate::error::{Result, UsageError};
use crate::model::Table;
use crate::read::{read_file, read_workbook, ReadOptions};
use crate::template::Template;
use std::path::{Path, PathBuf};

/// Runs one command; `Ok` carries the exit code (0, or 1 for validation errors).
pub fn run(command: Command) -> Result<u8> {
    match command {
        Command::Import(a) => import::run(&a),
        Command::Validate(a) => validate::run(&a),
        Command::Diff(a) => diff::run(&a),
        Command::Template(a) => template::run(&a),
        Command::Restyle(a) => restyle::run(&a),
        Command::Collect(a) => collect::run(&a),
        #[cfg(feature = "serve")]
        Command::Serve(a) => serve::run(&a),
    }
}

/// Hands `value` to the process's exit instead of freeing it piece by piece:
/// a command's tables are its largest values, and freeing a 100,000-indicator
/// table cell by cell costs more than the exit that follows. Only for what a
/// command's `run` holds at its end (each process runs one command).
pub(crate) fn leave<T>(value: T) {
    std::mem::forget(value);
}

/// `--template` value meaning every built-in template.
pub(crate) const AUTO: &str = "auto";

/// The templates `--template` names: every built-in one for `auto`, else the
/// one named (an id or a .toml path).
pub(crate) fn load_templates(args: &ReadArgs) -> Result<Vec<Template>> {
    if args.template == AUTO {
        Ok(Template::builtins())
    } else {
        Ok(vec![load_template(&args.template)?])
    }
}

/// Loads one template by id or path.
pub(crate) fn load_template(id_or_path: &str) -> Result<Template> {
    Ok(Template::load(id_or_path).map_err(UsageError::from)?)
}

/// The template a table was read with.
pub(crate) fn template_of<'a>(templates: &'a [Template], table: &Table) -> Result<&'a Template> {
    templates
        .iter()
        .find(|t| t.id == table.template)
        .ok_or_else(|| UsageError::UnknownTemplate(table.template.clone()).into())
}

/// Read options for the `--sheet` and templates of a command.
pub(crate) fn options<'a>(args: &'a ReadArgs, templates: &'a [Template]) -> ReadOptions<'a> {
    ReadOptions {
        sheet: args.sheet.as_deref(),
        templates,
    }
}

/// Every table of a workbook, in sheet order. A workbook of one table gives
/// it exactly as `import` reads it (other sheets' cells in its extras).
pub(crate) fn read_tables(path: &Path, opts: &ReadOptions<'_>) -> Result<Vec<Table>> {
    let wb = read_workbook(path, opts)?;
    if wb.tables.len() == 1 && !wb.extras.is_empty() {
        // The workbook's own extras belong to its only table: read it as one.
        return Ok(vec![read_file(path, opts)?]);
    }
    Ok(wb.tables)
}

/// Every table of a workbook, or of every workbook in a folder (walked as
/// `collect` walks it), with the files read.
pub(crate) fn read_side(path: &Path, opts: &ReadOptions<'_>) -> Result<(Vec<Table>, Vec<PathBuf>)> {
    if !path.is_dir() {
        return Ok((read_tables(path, opts)?, vec![path.to_path_buf()]));
    }
    let files = workbooks_in(path)?;
    let mut tables = Vec::new();
    for f in &files {
        tables.extend(read_tables(f, opts)?);
    }
    Ok((tables, files))
}

/// The workbooks of a folder (see [`collect::gather`]); none is an error.
pub(crate) fn workbooks_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let files = collect::gather(&[dir.to_path_buf()])?;
    if files.is_empty() {
        return Err(UsageError::NoWorkbooks(dir.display().to_string()).into());
    }
    Ok(files)
}

/// The pairs of prior and current tables (indices), as `diff::pair_tables`
/// pairs them (`diff`, `validate --prior`).
pub(crate) fn pairs(prior: &[Table], current: &[Table]) -> Vec<(Option<usize>, Option<usize>)> {
    crate::diff::pair_tables(prior, current)
}

/// A table named for people among others: its sheet, its rows when `several`
/// tables share the sheet, and its project or department
/// (`临沂一中（临沂第一中学）`, `Sheet1 第3–20行（校园安全）`); the file's
/// name first when `others` come from several files.
pub(crate) fn table_label(table: &Table, others: &[Table]) -> String {
    let sheet = &table.source.sheet;
    let mut out = String::new();
    if others.iter().any(|o| o.source.path != table.source.path) {
        // Tables of several files (a folder): name the file too.
        let path = Path::new(&table.source.path);
        let file = path.file_name().map_or_else(
            || table.source.path.clone(),
            |f| f.to_string_lossy().into_owned(),
        );
        out.push_str(&file);
        out.push(' ');
    }
    out.push_str(if sheet.is_empty() {
        &table.title
    } else {
        sheet
    });
    let same_sheet = others
        .iter()
        .filter(|o| o.source.path == table.source.path && o.source.sheet == *sheet)
        .count();
    if same_sheet > 1 {
        let a = table.source.header_rows[0];
        let b = table
            .source
            .data_rows
            .map_or(table.source.header_rows[1], |d| d[1]);
        out.push_str(&format!(" 第{a}–{b}行"));
    }
    let who = if !table.project().is_empty() {
        table.project().to_string()
    } else {
        table.department.clone().unwrap_or_default()
    };
    if !who.is_empty() {
        out.push_str(&format!("（{who}）"));
    }
    out
}
