//! `jixiao validate`: STUB, being written.

use crate::cli::ValidateArgs;
use crate::error::{Error, Result};

pub fn run(args: &ValidateArgs) -> Result<u8> {
    let _ = args;
    Err(Error::Usage("jixiao validate: not implemented yet".into()))
}
