//! Sniffs a file's container by content and refuses hostile or encrypted ones before calamine sees them.
//!
//! STUB: the checks and limits are being written.

use crate::error::InputError;

/// A workbook format, decided by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Xlsm,
    Xlsb,
    Xls,
    Ods,
}

impl Format {
    /// The name used in `source.format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsm => "xlsm",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }
}

/// Most cells one sheet may hold before it is refused (see the reader's bounds).
pub const MAX_SHEET_CELLS: usize = 5_000_000;
/// Longest cell text kept whole.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Decides the format by content and checks the container is safe to open.
pub fn sniff(bytes: &[u8]) -> Result<Format, InputError> {
    if bytes.is_empty() {
        return Err(InputError::Empty);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        if has(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet") {
            return Ok(Format::Ods);
        }
        if has(b"xl/workbook.bin") {
            return Ok(Format::Xlsb);
        }
        if has(b"xl/vbaProject.bin") {
            return Ok(Format::Xlsm);
        }
        return Ok(Format::Xlsx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Format::Xls);
    }
    Err(InputError::NotWorkbook)
}

/// Turns a calamine error into the reason a clerk reads.
pub fn classify_open_error(e: &calamine::Error) -> InputError {
    InputError::Corrupt(e.to_string())
}
