//! `jixiao restyle FILE -o OUT.xlsx`: every table of a submitted workbook written back in the official layout and style, with every other cell listed on 其他内容.

use crate::cli::RestyleArgs;
use crate::error::{Error, Result};
use crate::model::{Extra, Table};
use crate::output;
use crate::read::container::read_capped;
use crate::read::{read_bytes, read_workbook_bytes, ReadOptions};
use crate::template::Template;
use crate::write;
use std::path::Path;

pub fn run(args: &RestyleArgs) -> Result<u8> {
    let templates = super::load_templates(&args.read)?;
    // Refuse an output equal to the input before doing any work.
    output::check_target(&args.output, &[args.file.as_path()])?;
    let (tables, extras) = tables_and_extras(&args.file, &super::options(&args.read, &templates))?;
    let bytes =
        official(&tables, &extras, &templates)?.map_err(|e| Error::output(&args.output, e))?;
    output::write_one_with(&args.output, bytes, &[args.file.as_path()], args.force)?;
    super::leave((tables, extras));
    Ok(0)
}

/// Every table of a workbook, in sheet order, and the workbook's own extras
/// (the cells of sheets that hold no table): nothing of the workbook is
/// left out. A workbook of one table gives it exactly as `import` reads it
/// (the other sheets' cells in its extras) and no extras of its own.
pub(super) fn tables_and_extras(
    path: &Path,
    opts: &ReadOptions<'_>,
) -> Result<(Vec<Table>, Vec<Extra>)> {
    let display = path.display().to_string();
    let bytes = read_capped(path).map_err(|e| Error::input(&display, e))?;
    tables_and_extras_bytes(&bytes, &display, opts)
}

/// [`tables_and_extras`] from a workbook's bytes (an upload to `jixiao serve`);
/// `display` names it in errors.
pub(crate) fn tables_and_extras_bytes(
    bytes: &[u8],
    display: &str,
    opts: &ReadOptions<'_>,
) -> Result<(Vec<Table>, Vec<Extra>)> {
    let wb = read_workbook_bytes(bytes, display, opts)?;
    if wb.tables.len() == 1 && !wb.extras.is_empty() {
        // The workbook's own extras belong to its only table: read it as one.
        return Ok((vec![read_bytes(bytes, display, opts)?], Vec::new()));
    }
    Ok((wb.tables, wb.extras))
}

/// The official workbook of tables read with `templates`: what `restyle`
/// writes (the outer error: a table of an unknown template; the inner: the writer's).
pub(crate) fn official(
    tables: &[Table],
    extras: &[Extra],
    templates: &[Template],
) -> Result<std::result::Result<Vec<u8>, write::WriteError>> {
    let items = tables
        .iter()
        .map(|t| Ok((t, super::template_of(templates, t)?)))
        .collect::<Result<Vec<(&Table, &Template)>>>()?;
    Ok(write::official_workbook_with_extras(&items, extras))
}
