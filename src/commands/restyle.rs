//! `jixiao restyle`: STUB, being written.

use crate::cli::RestyleArgs;
use crate::error::{Error, Result};

pub fn run(args: &RestyleArgs) -> Result<u8> {
    let _ = args;
    Err(Error::Usage("jixiao restyle: not implemented yet".into()))
}
