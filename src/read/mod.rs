//! Reads a workbook (any format calamine opens, decided by content) into the canonical [`Table`].
//!
//! STUB: the reader is being written.

pub mod clean;
pub mod container;

use crate::error::{Error, InputError, Result};
use crate::model::Table;
use crate::template::Template;
use std::path::Path;

/// How to read a table.
#[derive(Debug, Clone, Copy)]
pub struct ReadOptions<'a> {
    /// Read this sheet instead of finding the table's sheet.
    pub sheet: Option<&'a str>,
    pub template: &'a Template,
}

/// Reads the table from a file; errors name the file as given.
pub fn read_file(path: &Path, opts: &ReadOptions<'_>) -> Result<Table> {
    let display = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        Error::input(
            &display,
            match e.kind() {
                std::io::ErrorKind::NotFound => InputError::NotFound,
                _ => InputError::Io(e.to_string()),
            },
        )
    })?;
    read_bytes(&bytes, &display, opts)
}

/// Reads the table from a workbook's bytes; `display_path` names it in errors and `source.path`.
pub fn read_bytes(bytes: &[u8], display_path: &str, opts: &ReadOptions<'_>) -> Result<Table> {
    let _ = (bytes, opts);
    Err(Error::input(
        display_path,
        InputError::NoTable("reader not written yet".into()),
    ))
}
