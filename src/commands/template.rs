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
use crate::read::{read_file, read_table};
use crate::template::{Template, DEFAULT_TEMPLATE};
use crate::write::ROLLED_SPARE_ROWS;
use std::path::Path;

/// Empty rows of a fresh template when `--rows` is not given.
const FRESH_ROWS: usize = 30;

pub fn run(args: &TemplateArgs) -> Result<u8> {
    let year = parse_year(&args.year)?;
    let rows = args.rows.as_deref().map(parse_rows).transpose()?;
    let department = args.department.trim();
    if department.is_empty() {
        return Err(UsageError::EmptyOption("--department").into());
    }
    let project = args.project.as_deref().map(str::trim);
    if project == Some("") {
        return Err(UsageError::EmptyOption("--project").into());
    }
    let inputs: Vec<&Path> = args.from.iter().map(|p| p.as_path()).collect();
    output::check_target(&args.output, &inputs)?;
    let (table, template, prior) = match &args.from {
        Some(path) => {
            let templates = super::load_templates(&args.read)?;
            let opts = super::options(&args.read, &templates);
            let prior = match args.table {
                Some(0) => return Err(UsageError::TableFromOne.into()),
                Some(n) => read_table(path, &opts, n)?,
                None => read_file(path, &opts)?,
            };
            let template = super::template_of(&templates, &prior)?.clone();
            if let Some(was) = prior.year.filter(|&was| year <= was) {
                return Err(UsageError::YearNotAfter {
                    path: path.display().to_string(),
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
            let id = if args.read.template == super::AUTO {
                DEFAULT_TEMPLATE
            } else {
                args.read.template.as_str()
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
    let bytes = crate::write::blank_template_from(&table, &template, rows, prior.as_ref())
        .map_err(|e| Error::output(&args.output, e))?;
    output::write_one_with(&args.output, bytes, &inputs, args.force)?;
    Ok(0)
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
