//! `jixiao collect`: STUB, being written.

use crate::cli::CollectArgs;
use crate::error::{Error, Result};

pub fn run(args: &CollectArgs) -> Result<u8> {
    let _ = args;
    Err(Error::Usage("jixiao collect: not implemented yet".into()))
}
