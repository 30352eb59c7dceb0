//! One file per subcommand; each only glues read → validate/diff → write → output.

mod collect;
mod diff;
mod import;
mod restyle;
mod template;
mod validate;

use crate::cli::{Command, ReadArgs};
use crate::error::{Error, Result};
use crate::template::Template;

/// Runs one command; `Ok` carries the exit code (0, or 1 for validation errors).
pub fn run(command: Command) -> Result<u8> {
    match command {
        Command::Import(a) => import::run(&a),
        Command::Validate(a) => validate::run(&a),
        Command::Diff(a) => diff::run(&a),
        Command::Template(a) => template::run(&a),
        Command::Restyle(a) => restyle::run(&a),
        Command::Collect(a) => collect::run(&a),
    }
}

/// Loads the template named by `--template`.
pub(crate) fn load_template(args: &ReadArgs) -> Result<Template> {
    Template::load(&args.template).map_err(|e| Error::Usage(e.to_string()))
}
