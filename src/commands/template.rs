//! `jixiao template [--template ID] --year Y --department NAME [--project NAME] [--from PRIOR [--table N]] [--rows N] -o BLANK.xlsx`.
//!
//! Without `--from`, an empty table of the template (dept-overall unless
//! `--template` names another); with `--from`, the prior table rolled forward
//! (`Table::roll_forward`) in its own template. `--project` fills the form's
//! project field (a template with one). Nonsense is refused (exit 2, one
//! line): a `--year` that is no four-digit year in 2000–2099 or, with
//! `--from`, not after the prior table's year; `--rows` that leaves no row to
//! type into, or with `--from` more spare rows than the writer gives
//! ([`ROLLED_SPARE_ROWS`]).

use crate::cli::TemplateArgs;
use crate::error::{Error, Result, UsageError};
use crate::model::{Role, Table};
use crate::output;
use crate::read::container::read_capped;
use crate::read::{read_bytes, read_table_bytes, ReadOptions};
use crate::template::{Template, DEFAULT_TEMPLATE};
use crate::write::{WriteError, ROLLED_SPARE_ROWS};
use std::path::Path;

/// Empty rows of a fresh template when `--rows` is not given.
const FRESH_ROWS: usize = 30;

pub fn run(args: &TemplateArgs) -> Result<u8> {
    let ask = Blank {
        year: &args.year,
        department: &args.department,
        project: args.project.as_deref(),
        rows: args.rows.as_deref(),
        table: args.table,
        template: &args.read.template,
        sheet: args.read.sheet.as_deref(),
    };
    // Nonsense is refused before the target or the prior file is looked at.
    checked(&ask)?;
    let inputs: Vec<&Path> = args.from.iter().map(|p| p.as_path()).collect();
    output::check_target(&args.output, &inputs)?;
    let templates = super::load_templates(&args.read)?;
    let from = match &args.from {
        Some(path) => {
            let display = path.display().to_string();
            let bytes = read_capped(path).map_err(|e| Error::input(&display, e))?;
            Some((bytes, display))
        }
        None => None,
    };
    let from = from.as_ref().map(|(b, d)| (b.as_slice(), d.as_str()));
    let bytes = blank(&ask, from, &templates)?.map_err(|e| Error::output(&args.output, e))?;
    output::write_one_with(&args.output, bytes, &inputs, args.force)?;
    Ok(0)
}

/// What a blank template is asked for (the options of `template`, as given).
pub(crate) struct Blank<'a> {
    pub year: &'a str,
    pub department: &'a str,
    pub project: Option<&'a str>,
    pub rows: Option<&'a str>,
    /// With a prior workbook: its `n`-th table (1-based).
    pub table: Option<usize>,
    /// `auto`, a template id or a .toml path.
    pub template: &'a str,
    pub sheet: Option<&'a str>,
}

/// The blank template's bytes: fresh, or rolled forward from `from` (the
/// prior workbook's bytes and the name it is known by), read with
/// `templates` (the outer error: nonsense asked or an unreadable prior; the
/// inner: the writer's).
pub(crate) fn blank(
    ask: &Blank<'_>,
    from: Option<(&[u8], &str)>,
    templates: &[Template],
) -> Result<std::result::Result<Vec<u8>, WriteError>> {
    let (year, rows, department, project) = checked(ask)?;
    let (table, template, prior) = match from {
        Some((bytes, display)) => {
            let opts = ReadOptions {
                sheet: ask.sheet,
                templates,
            };
            let prior = match ask.table {
                Some(0) => return Err(UsageError::TableFromOne.into()),
                Some(n) => read_table_bytes(bytes, display, &opts, n)?,
                None => read_bytes(bytes, display, &opts)?,
            };
            let template = super::template_of(templates, &prior)?.clone();
            if let Some(was) = prior.year.filter(|&was| year <= was) {
                return Err(UsageError::YearNotAfter {
                    path: display.to_string(),
                    year,
                    was,
                }
                .into());
            }
            let title = template.title(year, department);
            (
                prior.roll_forward(year, department, title),
                template,
                Some(prior),
            )
        }
        None => {
            let id = if ask.template == super::AUTO {
                DEFAULT_TEMPLATE
            } else {
                ask.template
            };
            let template = super::load_template(id)?;
            (fresh(&template, year, department), template, None)
        }
    };
    let table = match project {
        Some(name) => with_project(table, &template, name)?,
        None => table,
    };
    let rows = empty_rows(rows, !table.groups.is_empty())?;
    // The prior table's footnote and signature rows stay below the rows to fill.
    Ok(crate::write::blank_template_from(
        &table,
        &template,
        rows,
        prior.as_ref(),
    ))
}

/// The year, rows, department and project asked for, or why they are nonsense.
fn checked<'a>(ask: &Blank<'a>) -> Result<(i32, Option<usize>, &'a str, Option<&'a str>)> {
    let year = parse_year(ask.year)?;
    let rows = ask.rows.map(parse_rows).transpose()?;
    let department = ask.department.trim();
    if department.is_empty() {
        return Err(UsageError::EmptyOption("--department").into());
    }
    let project = ask.project.map(str::trim);
    if project == Some("") {
        return Err(UsageError::EmptyOption("--project").into());
    }
    Ok((year, rows, department, project))
}

/// An empty table of a template for a year and department.
fn fresh(template: &Template, year: i32, department: &str) -> Table {
    let mut t = Table::new(template.shape());
    t.title = template.title(year, department);
    t.year = Some(year);
    t.department = Some(department.to_string());
    if let Some(i) = t.shape.form_role(Role::Department) {
        t.form.values[i] = department.to_string();
    }
    t
}

/// The table with its form's project field set; a template without one refuses `--project`.
fn with_project(mut table: Table, template: &Template, name: &str) -> Result<Table> {
    let Some(i) = table.shape.form_role(Role::Project) else {
        return Err(UsageError::NoProjectField(template.id.clone()).into());
    };
    table.form.values[i] = name.to_string();
    Ok(table)
}

/// `--year`: four ASCII digits, 2000–2099.
fn parse_year(text: &str) -> Result<i32> {
    let t = text.trim();
    match t.parse::<i32>() {
        Ok(y)
            if t.len() == 4
                && t.bytes().all(|b| b.is_ascii_digit())
                && (2000..=2099).contains(&y) =>
        {
            Ok(y)
        }
        _ => Err(UsageError::BadYear(text.to_string()).into()),
    }
}

/// `--rows`: a whole number.
fn parse_rows(text: &str) -> Result<usize> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = t.parse() {
            return Ok(n);
        }
    }
    Err(UsageError::BadRows(text.to_string()).into())
}

/// The empty rows the writer is asked for. A table with rolled rows (from
/// `--from`) gets 0 to [`ROLLED_SPARE_ROWS`] spare rows after them (default
/// all); a table without rows (fresh, or rolled from an empty one) needs at
/// least one row to type into (default [`FRESH_ROWS`]).
fn empty_rows(asked: Option<usize>, rolled_rows: bool) -> Result<usize> {
    let most = ROLLED_SPARE_ROWS as usize;
    match (asked, rolled_rows) {
        (None, true) => Ok(most),
        (None, false) => Ok(FRESH_ROWS),
        (Some(n), true) if n > most => Err(UsageError::TooManyRows { asked: n, most }.into()),
        (Some(0), false) => Err(UsageError::NoRows.into()),
        (Some(n), _) => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_is_four_digits_in_this_century() {
        assert_eq!(parse_year("2024").unwrap(), 2024);
        assert_eq!(parse_year(" 2099 ").unwrap(), 2099);
        for bad in [
            "24",
            "02024",
            "1999",
            "2100",
            "+2024",
            "２０２４",
            "abc",
            "",
        ] {
            assert!(parse_year(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rows_are_bounded_by_what_the_writer_gives() {
        assert_eq!(parse_rows("12").unwrap(), 12);
        assert!(parse_rows("-1").is_err() && parse_rows("x").is_err());
        assert_eq!(empty_rows(None, false).unwrap(), FRESH_ROWS);
        assert_eq!(empty_rows(None, true).unwrap(), 5);
        assert_eq!(empty_rows(Some(0), true).unwrap(), 0);
        assert_eq!(empty_rows(Some(12), false).unwrap(), 12);
        assert!(empty_rows(Some(0), false).is_err());
        assert!(empty_rows(Some(10), true).is_err());
    }
}
