//! `jixiao template [--template ID] --year Y --department NAME [--project NAME] [--from PRIOR [--table N]] [--rows N] -o BLANK.xlsx`.
//!
//! Without `--from`, an empty table of the template (dept-overall unless
//! `--template` names another); with `--from`, the prior table rolled forward
//! (`Table::roll_forward`) in its own template. `--project` fills the form's
//! project field (a template with one).

use crate::cli::TemplateArgs;
use crate::error::{Error, Result};
use crate::model::{Role, Table};
use crate::output;
use crate::read::{read_file, read_table};
use crate::template::{Template, DEFAULT_TEMPLATE};
use std::path::Path;

pub fn run(args: &TemplateArgs) -> Result<u8> {
    let department = args.department.trim();
    if department.is_empty() {
        return Err(Error::Usage("--department 不能为空".into()));
    }
    let project = args.project.as_deref().map(str::trim);
    if project == Some("") {
        return Err(Error::Usage("--project 不能为空".into()));
    }
    let inputs: Vec<&Path> = args.from.iter().map(|p| p.as_path()).collect();
    output::check_target(&args.output, &inputs)?;
    let (table, template) = match &args.from {
        Some(prior) => {
            let templates = super::load_templates(&args.read)?;
            let opts = super::options(&args.read, &templates);
            let prior = match args.table {
                Some(0) => return Err(Error::Usage("--table 从 1 开始计数".into())),
                Some(n) => read_table(prior, &opts, n)?,
                None => read_file(prior, &opts)?,
            };
            let template = super::template_of(&templates, &prior)?.clone();
            let title = template.title(args.year, department);
            (prior.roll_forward(args.year, department, title), template)
        }
        None => {
            let id = if args.read.template == super::AUTO {
                DEFAULT_TEMPLATE
            } else {
                args.read.template.as_str()
            };
            let template = super::load_template(id)?;
            (fresh(&template, args.year, department), template)
        }
    };
    let table = match project {
        Some(name) => with_project(table, &template, name)?,
        None => table,
    };
    let bytes = crate::write::blank_template(&table, &template, args.rows)
        .map_err(|e| Error::output(&args.output, e.to_string()))?;
    output::write_one(&args.output, bytes, &inputs)?;
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
        return Err(Error::Usage(format!(
            "模板 {} 没有项目名称，不能使用 --project",
            template.id
        )));
    };
    table.form.values[i] = name.to_string();
    Ok(table)
}
