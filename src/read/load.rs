//! One path from bytes to sheets: sniffs the container, opens it with calamine and loads every worksheet's grid (cells as shown, merges).
//!
//! Every reader entry point ([`read_workbook_bytes`](super::read_workbook_bytes),
//! [`read_bytes`](super::read_bytes), [`read_table_bytes`](super::read_table_bytes))
//! and the fuzz targets come through [`load`]: [`container::sniff`] decides the
//! format by content and refuses hostile files (a large xlsx's worksheet parts
//! are proven on a second thread while calamine opens it, before a cell is
//! read: [`container::sniff_deferring_sheets`]), [`open`] picks calamine's reader
//! for that format, and [`grid::load_sheet`] streams each sheet's cells through
//! the number-format engine. Number formats calamine does not report come from
//! [`xls_formats`](super::xls_formats) / [`ods_formats`](super::ods_formats),
//! merged regions of an xlsx from [`xlsx_merges`](super::xlsx_merges).

use super::container::{self, classify_open_error, guarded, Format};
use super::grid::{self, Grid};
use super::{ods_formats, xls_formats, xlsx_merges};
use crate::error::InputError;
use std::collections::HashMap;
use std::io::Cursor;

/// Below this size an xlsx is read on one thread.
const SMALL_FILE_BYTES: usize = 256 << 10;

/// A workbook opened over the file's bytes.
pub(crate) type Book<'a> = calamine::Sheets<Cursor<&'a [u8]>>;

/// The worksheets of a workbook, loaded.
pub(crate) struct Loaded {
    /// Worksheet names in workbook order (chart and macro sheets left out).
    pub names: Vec<String>,
    /// Each sheet's grid, or why it could not be read (by index into `names`).
    pub grids: Vec<Result<Grid, InputError>>,
    /// The container, as sniffed.
    pub format: Format,
}

/// Sniffs, opens and loads every worksheet of `bytes`. `only` names a sheet
/// that must exist ([`InputError::NoSheet`] otherwise); every sheet is loaded
/// all the same (the others' cells become extras). Call inside [`guarded`].
pub(crate) fn load(bytes: &[u8], only: Option<&str>) -> Result<Loaded, InputError> {
    if bytes.len() < SMALL_FILE_BYTES {
        let format = container::sniff(bytes)?;
        return load_opened(bytes, format, open(bytes, format)?, only);
    }
    // A large xlsx: its worksheet parts are proven (inflated once, see `container`) on a
    // second thread while calamine opens the workbook, which never reads them; no cell is
    // streamed before that proof is in. The container's error comes first, as in `sniff`.
    let (format, deferred) = container::sniff_deferring_sheets(bytes)?;
    if deferred.is_empty() {
        return load_opened(bytes, format, open(bytes, format)?, only);
    }
    let (verified, opened) = std::thread::scope(|s| {
        let verify = s.spawn(|| container::verify_deferred(bytes, &deferred));
        let opened = open(bytes, format);
        let verified = verify
            .join()
            .unwrap_or_else(|_| Err(InputError::Corrupt("压缩包内数据损坏".into())));
        (verified, opened)
    });
    verified?;
    load_opened(bytes, format, opened?, only)
}

/// [`load`] once the container is proven and calamine has opened it.
fn load_opened<'a>(
    bytes: &'a [u8],
    format: Format,
    mut wb: Book<'a>,
    only: Option<&str>,
) -> Result<Loaded, InputError> {
    // Worksheets only: chart and macro sheets hold no cells to read.
    let names: Vec<String> = calamine::Reader::sheets_metadata(&wb)
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    if names.is_empty() {
        return Err(InputError::NoTable("工作簿中没有工作表".into()));
    }
    if let Some(want) = only {
        if !names.iter().any(|n| n == want) {
            return Err(InputError::NoSheet {
                name: want.to_string(),
                available: names.join("、"),
            });
        }
    }
    let mut ods_merges = HashMap::new();
    let formats = match format {
        Format::Xls => xls_formats::read(bytes),
        Format::Ods => {
            let info = ods_formats::read(bytes);
            ods_merges = info.merges;
            info.formats
        }
        _ => Default::default(),
    };
    let is_xlsx =
        matches!(format, Format::Xlsx | Format::Xlsm) && matches!(wb, calamine::Sheets::Xlsx(_));
    let mut grids = Vec::with_capacity(names.len());
    if is_xlsx {
        // A large file: merged regions on a thread of their own while the cells
        // stream, calamine parsing the cells on another while this thread turns
        // them into text. A small file is quicker on one thread (and `collect`
        // already uses every core).
        let split = bytes.len() >= SMALL_FILE_BYTES;
        let mut load = || {
            let mut loaded = Vec::with_capacity(names.len());
            for n in &names {
                loaded.push(grid::load_sheet(&mut wb, n, None, false, split));
            }
            loaded
        };
        let (loaded, merges) = if !split {
            (load(), read_merges(bytes, &names))
        } else {
            std::thread::scope(|s| {
                let merges = s.spawn(|| read_merges(bytes, &names));
                let loaded = load();
                (loaded, merges.join().ok().flatten())
            })
        };
        for (n, g) in names.iter().zip(loaded) {
            grids.push(g.and_then(|mut g| {
                let m = match merges.as_ref().and_then(|m| m.get(n)) {
                    Some(m) => m.clone(),
                    None => grid::calamine_xlsx_merges(&mut wb, n)?,
                };
                g.set_merges(m);
                Ok(g)
            }));
        }
    } else {
        for n in &names {
            let g = grid::load_sheet(&mut wb, n, formats.get(n), true, false);
            grids.push(g.map(|mut g| {
                if let Some(m) = ods_merges.remove(n) {
                    g.set_merges(m);
                }
                g
            }));
        }
    }
    // Every cell is in the grids now: free calamine's shared strings before the tables are built.
    drop(wb);
    Ok(Loaded {
        names,
        grids,
        format,
    })
}

/// Opens the bytes with calamine's reader for the sniffed format.
///
/// Not `open_workbook_auto_from_rs`: that one tries every reader in turn and
/// replaces every failure, including "password protected", with "Cannot detect
/// file format".
pub(crate) fn open(bytes: &[u8], format: Format) -> Result<Book<'_>, InputError> {
    use calamine::{open_workbook_from_rs, Ods, Sheets, Xls, Xlsb, Xlsx};
    let c = Cursor::new(bytes);
    let r: Result<Book<'_>, calamine::Error> = match format {
        Format::Xlsx | Format::Xlsm => open_workbook_from_rs::<Xlsx<_>, _>(c)
            .map(Sheets::Xlsx)
            .map_err(Into::into),
        Format::Xlsb => open_workbook_from_rs::<Xlsb<_>, _>(c)
            .map(Sheets::Xlsb)
            .map_err(Into::into),
        Format::Xls => open_workbook_from_rs::<Xls<_>, _>(c)
            .map(Sheets::Xls)
            .map_err(Into::into),
        Format::Ods => open_workbook_from_rs::<Ods<_>, _>(c)
            .map(Sheets::Ods)
            .map_err(Into::into),
    };
    r.map_err(|e| classify_open_error(&e))
}

/// The xlsx merged regions by sheet, scanned from the sheet XML; `None` (fall back to
/// calamine's own call) when the scan fails or panics.
fn read_merges(bytes: &[u8], names: &[String]) -> Option<HashMap<String, Vec<grid::Merge>>> {
    guarded(|| Ok(xlsx_merges::read(bytes, names)))
        .ok()
        .flatten()
}

/// One worksheet as the reader loads it: its name and every non-empty cell
/// (0-based row, column, text as shown), or why the sheet could not be read,
/// and its merged regions (0-based, inclusive `[r0, c0, r1, c1]`).
#[derive(Debug)]
pub struct SheetCells {
    /// The sheet's name.
    pub name: String,
    /// Its non-empty cells (0-based row, column, text as shown), or why it could not be read.
    pub cells: Result<Vec<(u32, u32, String)>, InputError>,
    /// Its merged ranges (0-based first row, first column, last row, last column).
    pub merges: Vec<[u32; 4]>,
}

/// Every worksheet of a workbook's bytes, loaded exactly as the reader loads
/// them (sniff, open, grids), with no template applied: for the fuzz targets,
/// the hostile-input tests and `jixiao serve`'s drawing of a sheet as read.
/// A panic inside is [`InputError::Corrupt`].
pub fn sheet_cells(bytes: &[u8]) -> Result<Vec<SheetCells>, InputError> {
    guarded(|| {
        let loaded = load(bytes, None)?;
        Ok(loaded
            .names
            .into_iter()
            .zip(loaded.grids)
            .map(|(name, g)| {
                let merges = g.as_ref().map_or_else(
                    |_| Vec::new(),
                    |g| g.merges.iter().map(|m| [m.r0, m.c0, m.r1, m.c1]).collect(),
                );
                SheetCells {
                    name,
                    cells: g.map(|g| {
                        g.cells
                            .into_iter()
                            .map(|c| (c.row, c.col, c.text.into_string()))
                            .collect()
                    }),
                    merges,
                }
            })
            .collect())
    })
}
