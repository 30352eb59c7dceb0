//! `jixiao template`: STUB, being written.

use crate::cli::TemplateArgs;
use crate::error::{Error, Result};

pub fn run(args: &TemplateArgs) -> Result<u8> {
    let _ = args;
    Err(Error::Usage("jixiao template: not implemented yet".into()))
}
