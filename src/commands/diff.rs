//! `jixiao diff`: STUB, being written.

use crate::cli::DiffArgs;
use crate::error::{Error, Result};

pub fn run(args: &DiffArgs) -> Result<u8> {
    let _ = args;
    Err(Error::Usage("jixiao diff: not implemented yet".into()))
}
