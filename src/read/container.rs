//! Sniffs a file's container by content and refuses hostile or encrypted ones before calamine sees them.
//!
//! Submissions arrive from hundreds of units, by mail and USB stick, renamed, half-copied,
//! password-protected, exported as HTML by some web system and called `.xls`. Everything here
//! runs before calamine touches the bytes, so that:
//!
//! * the format is decided by content, never by the file name ([`sniff`]);
//! * encrypted workbooks are recognised as such (OOXML `EncryptedPackage` in a CFB, BIFF
//!   `FILEPASS`, ODS `encryption-data`, zip-level encryption) and reported as
//!   [`InputError::Encrypted`], because calamine's auto-detection turns them into a generic
//!   "Cannot detect file format";
//! * zip bombs, absurd cell grids and looping OLE sector chains are refused with
//!   [`InputError::TooLarge`] / [`InputError::Corrupt`] instead of exhausting memory (an
//!   out-of-memory abort cannot be caught, a panic can: see [`guarded`]).
//!
//! The reader's one path from bytes to sheets (`read::load`) calls [`sniff`] first, then
//! opens the bytes with calamine's reader for the sniffed format (not
//! `open_workbook_auto_from_rs`, which loses the password error; failures go through
//! [`classify_open_error`]) and streams each sheet's cells into a sparse grid, all inside
//! [`guarded`].

use crate::error::InputError;
use std::collections::HashSet;
use std::io::{Cursor, Read};
use std::panic::{self, AssertUnwindSafe};
use std::sync::LazyLock;

/// A workbook format, decided by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML workbook (`.xlsx`).
    Xlsx,
    /// The same with macros (`.xlsm`).
    Xlsm,
    /// Excel binary workbook (`.xlsb`).
    Xlsb,
    /// Excel 97–2003 (`.xls`, BIFF8).
    Xls,
    /// OpenDocument spreadsheet (`.ods`).
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

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;

/// Largest file read at all (100 MiB).
///
/// Real submissions are under 5 MB. A 100,000-indicator table, far beyond any department,
/// is about 30 MB of sheet XML, 3-5 MB as xlsx and 20-30 MB as BIFF .xls (which is not
/// compressed). 100 MiB leaves three times that headroom while keeping the whole file in memory
/// affordable even when `collect` reads two files at once.
pub const MAX_FILE_BYTES: u64 = 100 * MIB;

/// Most entries a zip container (xlsx/xlsm/xlsb/ods) may list (10,000).
///
/// A workbook with 50 sheets, their relationships, drawings and images has a few hundred.
/// Each entry costs memory and a header read; tens of thousands only appear in crafted files.
pub const MAX_ZIP_ENTRIES: usize = 10_000;

/// Largest uncompressed size of one zip entry (256 MiB).
///
/// The biggest entry of a real table is its sheet XML or shared strings: ~30 MB even for the
/// 100,000-indicator table above. calamine holds the shared strings entirely in memory (about
/// twice their XML size), so one entry must stay well under the memory we are willing to spend.
pub const MAX_ENTRY_BYTES: u64 = 256 * MIB;

/// Largest total uncompressed size of all zip entries (1 GiB).
///
/// About 30 times the largest plausible table. Also bounds the time of the integrity pass
/// (every entry is inflated once, a few seconds at worst).
pub const MAX_TOTAL_BYTES: u64 = GIB;

/// Highest compression ratio (uncompressed / compressed) accepted for an entry larger than
/// [`RATIO_MIN_BYTES`] (200).
///
/// Spreadsheet XML compresses 5-20 times, very repetitive formatting up to ~100; a zip bomb
/// (hundreds of MiB of one repeated byte) compresses ~1000 times, the deflate maximum.
pub const MAX_RATIO: u64 = 200;

/// Entries up to this uncompressed size (1 MiB) are exempt from [`MAX_RATIO`]: small, highly
/// repetitive parts (styles, empty sheets) compress extremely well and cost nothing.
pub const RATIO_MIN_BYTES: u64 = MIB;

/// Most worksheets a workbook may have (1,000).
///
/// A table is one sheet, a workbook with notes a handful. BIFF .xls and ODS are parsed whole
/// when opened, every sheet, so a crafted file listing a sheet thousands of times would make
/// calamine re-read the same records thousands of times.
pub const MAX_SHEETS: usize = 1_000;

/// Most cells one sheet may span (its bounding box, rows × columns) before it is refused (2,000,000).
///
/// calamine materialises a sheet as a dense grid of its bounding box, ~32 bytes a cell plus the
/// same again for formulas: 2,000,000 cells is ~110 MB. A real table has 50-500 indicator rows
/// by ~12 columns (a few thousand cells); even a 100,000-indicator table by 20 columns fits.
/// Two cells at A1 and XFD1048576 would otherwise ask for 17 billion cells (hundreds of GB).
pub const MAX_SHEET_CELLS: usize = 2_000_000;

/// Most cells (sum of bounding boxes) over all sheets of a workbook parsed whole when opened
/// (.xls, .ods): three full-size sheets.
pub const MAX_WORKBOOK_CELLS: usize = 3 * MAX_SHEET_CELLS;

/// Longest cell text kept whole (32,767 characters: Excel's own limit for a cell, so no
/// honest workbook exceeds it; the reader truncates or refuses anything longer).
pub const MAX_CELL_CHARS: usize = 32_767;

/// Entries read in full while sniffing (`mimetype`, `[Content_Types].xml`, ODS manifest) are
/// capped at this size (1 MiB); real ones are a few KB.
const SMALL_PART_BYTES: u64 = MIB;

/// The OLE compound file signature (xls, encrypted OOXML, doc, msg...).
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The ODS mimetype.
const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// Reads a file whole, refusing it unread when it is larger than [`MAX_FILE_BYTES`].
///
/// `std::fs::read` would first load a 10 GB file someone dropped in the folder by mistake;
/// this checks the size, then reads at most one byte past the limit (the size can change
/// between the two, e.g. a file still being copied).
pub fn read_capped(path: &std::path::Path) -> Result<Vec<u8>, InputError> {
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => InputError::NotFound,
        _ => InputError::Io(e.to_string()),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(InputError::Io("这是一个文件夹".into()));
    }
    let refuse = |n: u64| {
        too_large(format!(
            "文件大小 {} MB，超过上限 {} MB",
            n / MIB,
            MAX_FILE_BYTES / MIB
        ))
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(refuse(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(refuse(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Decides the format by content and checks the container is safe to open.
///
/// Zip containers are judged first from their central directory alone (entry count, declared
/// sizes, compression ratios, names); only then is every entry inflated once, into nothing,
/// to prove its declared size is true (see `verify_zip_entries`). OLE containers are checked
/// for encryption streams, BIFF `FILEPASS`, sector-chain loops and cell-grid sizes.
pub fn sniff(bytes: &[u8]) -> Result<Format, InputError> {
    sniff_with(bytes, false).map(|(f, _)| f)
}

/// [`sniff`] and [`sniff_deferring_sheets`]: with `defer_sheets`, an xlsx/xlsm's worksheet
/// parts may be left out of the integrity pass and returned.
fn sniff_with(bytes: &[u8], defer_sheets: bool) -> Result<(Format, Deferred), InputError> {
    if bytes.is_empty() {
        return Err(InputError::Empty);
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(InputError::TooLarge(format!(
            "文件大小 {} MB，超过上限 {} MB",
            bytes.len() as u64 / MIB,
            MAX_FILE_BYTES / MIB
        )));
    }
    // `guarded`: the zip and cfb crates are defensive, but this is the first code to see
    // hostile bytes and a panic here must still end as a clerk-readable error.
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return guarded(|| sniff_zip(bytes, defer_sheets));
    }
    let whole = |f: Format| (f, Deferred::default());
    if bytes.starts_with(&CFB_MAGIC) {
        return guarded(|| sniff_cfb(bytes)).map(whole);
    }
    if is_dlp_encrypted(bytes) {
        return Err(InputError::Encrypted);
    }
    Err(InputError::NotWorkbook)
}

/// Worksheet parts of a zip container whose integrity pass was put off: see
/// [`sniff_deferring_sheets`] and [`verify_deferred`].
#[derive(Debug, Default)]
pub(crate) struct Deferred(Vec<usize>);

impl Deferred {
    /// Whether every entry was verified already.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// [`sniff`], except that an xlsx/xlsm's worksheet parts (`xl/worksheets/*.xml`) are left
/// out of the integrity pass and returned: the caller proves them with [`verify_deferred`]
/// on another thread while calamine opens the workbook, and must have done so before it
/// reads a worksheet. Opening reads only the other parts (shared strings, styles, the
/// workbook and its relationships), which are verified here as before. Every other
/// container is checked whole, as by [`sniff`].
pub(crate) fn sniff_deferring_sheets(bytes: &[u8]) -> Result<(Format, Deferred), InputError> {
    sniff_with(bytes, true)
}

/// The integrity pass of the entries [`sniff_deferring_sheets`] put off (see
/// `verify_zip_entries`).
pub(crate) fn verify_deferred(bytes: &[u8], deferred: &Deferred) -> Result<(), InputError> {
    if deferred.is_empty() {
        return Ok(());
    }
    guarded(|| verify_zip_entries(bytes, |i| deferred.0.binary_search(&i).is_ok()))
}

/// Whether the package's relationships point calamine at `xl/workbook.xml` and nowhere else
/// (as Excel, WPS, LibreOffice and openpyxl write it): then what calamine reads while opening
/// (`xl/sharedStrings.xml`, `xl/styles.xml`, the workbook and its relationships) is never a
/// worksheet part. Anything unusual (another path, an escaped target) answers no, and the
/// file is verified whole before it is opened.
fn workbook_is_standard(rels: &[u8]) -> bool {
    static TAG: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r#"(?-u)<(?:\w+:)?Relationship\b[^>]*>"#).expect("fixed pattern")
    });
    static TARGET: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
        regex::bytes::Regex::new(r#"(?-u)\bTarget\s*=\s*["']([^"']*)["']"#).expect("fixed pattern")
    });
    let mut office = 0;
    for tag in TAG.find_iter(rels) {
        let tag = tag.as_bytes();
        if find(tag, b"/relationships/officeDocument").is_none() {
            continue;
        }
        office += 1;
        let target = TARGET
            .captures(tag)
            .and_then(|c| c.get(1))
            .map(|m| m.as_bytes());
        let target = target.map(|t| t.strip_prefix(b"/").unwrap_or(t));
        if target != Some(&b"xl/workbook.xml"[..]) {
            return false;
        }
    }
    office > 0
}

/// A worksheet's own XML part (not its relationships): what calamine streams cell by cell
/// after opening, and never reads while opening.
fn is_worksheet_part(name: &str) -> bool {
    name.strip_prefix("xl/worksheets/")
        .is_some_and(|rest| !rest.contains('/') && rest.ends_with(".xml"))
}

/// Enterprise document-protection software common in Chinese offices (亿赛通 E-SafeNet)
/// replaces a file with an encrypted one carrying this marker near the start; to the clerk it
/// is "encrypted" just like a password.
fn is_dlp_encrypted(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    find(head, b"E-SafeNet").is_some()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// zip: xlsx, xlsm, xlsb, ods

fn corrupt(why: &str) -> InputError {
    InputError::Corrupt(why.to_string())
}

fn too_large(why: impl Into<String>) -> InputError {
    InputError::TooLarge(why.into())
}

/// A zip error met while opening the archive (reading its central directory).
fn zip_open_error(e: zip::result::ZipError) -> InputError {
    use zip::result::ZipError as Z;
    match e {
        Z::InvalidPassword => InputError::Encrypted,
        Z::UnsupportedArchive(msg) if msg.to_ascii_lowercase().contains("encrypt") => {
            InputError::Encrypted
        }
        Z::UnsupportedArchive(_) | Z::CompressionMethodNotSupported(_) => {
            corrupt("压缩格式不受支持")
        }
        _ => corrupt("压缩包不完整"),
    }
}

/// A zip error met while reading one entry's data.
fn zip_entry_error(e: zip::result::ZipError) -> InputError {
    use zip::result::ZipError as Z;
    match e {
        Z::InvalidPassword => InputError::Encrypted,
        Z::UnsupportedArchive(msg) if msg.to_ascii_lowercase().contains("encrypt") => {
            InputError::Encrypted
        }
        Z::UnsupportedArchive(_) | Z::CompressionMethodNotSupported(_) => {
            corrupt("压缩格式不受支持")
        }
        _ => corrupt("压缩包内数据损坏"),
    }
}

/// An entry name as calamine looks it up: `\` as `/`, ASCII case folded.
fn normalize_name(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw)
        .replace('\\', "/")
        .to_ascii_lowercase()
}

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// One central-directory entry, as declared.
struct Declared {
    name: String,
    size: u64,
}

/// Checks the central directory against the limits without inflating anything.
///
/// What this guarantees: the archive *declares* no more than [`MAX_ZIP_ENTRIES`] entries,
/// [`MAX_ENTRY_BYTES`] per entry, [`MAX_TOTAL_BYTES`] in all, and no entry declares a ratio
/// above [`MAX_RATIO`]. What it does not: declared sizes are written by whoever made the file
/// and can lie, and calamine inflates lazily without holding an entry to its declared size.
/// `verify_zip_entries` closes that gap.
fn check_central_directory(zip: &Zip<'_>) -> Result<Vec<Declared>, InputError> {
    let n = zip.len();
    if n > MAX_ZIP_ENTRIES {
        return Err(too_large(format!(
            "压缩包内有 {n} 个文件，超过上限 {MAX_ZIP_ENTRIES}"
        )));
    }
    let mut total: u64 = 0;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let e = zip.by_index_data(i).map_err(zip_open_error)?;
        if e.encrypted() {
            return Err(InputError::Encrypted);
        }
        let size = e.size();
        let packed = e.compressed_size();
        if size > MAX_ENTRY_BYTES {
            return Err(too_large(format!(
                "压缩包内单个文件解压后 {} MB，超过上限 {} MB",
                size / MIB,
                MAX_ENTRY_BYTES / MIB
            )));
        }
        total = total.saturating_add(size);
        if total > MAX_TOTAL_BYTES {
            return Err(too_large(format!(
                "解压后总大小超过上限 {} MB",
                MAX_TOTAL_BYTES / MIB
            )));
        }
        if size > RATIO_MIN_BYTES && size / packed.max(1) > MAX_RATIO {
            return Err(too_large(format!(
                "压缩比异常（{}:1），疑似压缩炸弹",
                size / packed.max(1)
            )));
        }
        out.push(Declared {
            name: normalize_name(e.name_raw()),
            size,
        });
    }
    Ok(out)
}

/// Inflates the entries `which` picks (by index; `sniff` picks every one) into nothing,
/// each stopping one byte past its declared size.
///
/// After this, each entry is known to inflate to exactly its declared size with a correct
/// CRC, so calamine (which reads the same bytes through the same central directory) can never
/// inflate more than the limits checked in `check_central_directory`. Costs one pass over the
/// uncompressed data (≤ [`MAX_TOTAL_BYTES`]; ~0.1 s for a real submission). Truncated or
/// damaged entries are reported here, in plain words, rather than halfway through reading.
fn verify_zip_entries(bytes: &[u8], which: impl Fn(usize) -> bool) -> Result<(), InputError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_open_error)?;
    let declared = check_central_directory(&zip)?;
    for (i, d) in declared.iter().enumerate() {
        if !which(i) {
            continue;
        }
        let mut f = zip.by_index(i).map_err(zip_entry_error)?;
        if f.is_dir() {
            continue;
        }
        let mut limited = (&mut f).take(d.size.saturating_add(1));
        let got = std::io::copy(&mut limited, &mut std::io::sink())
            .map_err(|_| corrupt("压缩包内数据损坏"))?;
        if got != d.size {
            return Err(corrupt("压缩包内文件大小与声明不符"));
        }
    }
    Ok(())
}

/// Reads one small entry whole (≤ [`SMALL_PART_BYTES`]); `None` when absent or too big.
fn read_small(
    zip: &mut Zip<'_>,
    index: usize,
    declared: u64,
) -> Result<Option<Vec<u8>>, InputError> {
    if declared > SMALL_PART_BYTES {
        return Ok(None);
    }
    let f = zip.by_index(index).map_err(zip_entry_error)?;
    let mut buf = Vec::with_capacity(declared as usize);
    f.take(SMALL_PART_BYTES)
        .read_to_end(&mut buf)
        .map_err(|_| corrupt("压缩包内数据损坏"))?;
    Ok(Some(buf))
}

/// Judges a zip container and runs its integrity pass; with `defer_sheets`, an xlsx/xlsm's
/// worksheet parts are left out of the pass and returned (see [`sniff_deferring_sheets`]).
fn sniff_zip(bytes: &[u8], defer_sheets: bool) -> Result<(Format, Deferred), InputError> {
    if bytes.starts_with(b"PK\x05\x06") {
        // an empty archive: nothing in it can be a workbook
        return Err(InputError::NotWorkbook);
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_open_error)?;
    let declared = check_central_directory(&zip)?;
    let index = |name: &str| declared.iter().position(|d| d.name == name);
    let names: HashSet<&str> = declared.iter().map(|d| d.name.as_str()).collect();

    let is_ods = match index("mimetype") {
        Some(i) => read_small(&mut zip, i, declared[i].size)?
            .is_some_and(|mime| mime.trim_ascii() == ODS_MIME),
        None => false,
    };
    let format = if is_ods {
        Format::Ods
    } else if names.contains("xl/workbook.bin") {
        Format::Xlsb
    } else {
        let types = match index("[content_types].xml") {
            Some(i) => read_small(&mut zip, i, declared[i].size)?.unwrap_or_default(),
            None => Vec::new(),
        };
        let types = String::from_utf8_lossy(&types).to_ascii_lowercase();
        let spreadsheet_type = types.contains("spreadsheetml.sheet.main+xml")
            || types.contains("spreadsheetml.template.main+xml")
            || types.contains("ms-excel.sheet.macroenabled.main+xml")
            || types.contains("ms-excel.template.macroenabled.main+xml");
        if types.contains("ms-excel.sheet.binary.macroenabled.main") {
            Format::Xlsb
        } else if names.contains("xl/workbook.xml") || spreadsheet_type {
            if names.contains("xl/vbaproject.bin") || types.contains("macroenabled") {
                Format::Xlsm
            } else {
                Format::Xlsx
            }
        } else {
            // .docx, .pptx, .odt (another mimetype), a zip of scans...
            return Err(InputError::NotWorkbook);
        }
    };

    if format == Format::Ods {
        if let Some(i) = index("meta-inf/manifest.xml") {
            if let Some(manifest) = read_small(&mut zip, i, declared[i].size)? {
                if find(&manifest, b"encryption-data").is_some() {
                    return Err(InputError::Encrypted);
                }
            }
        }
    }
    let defer = defer_sheets
        && matches!(format, Format::Xlsx | Format::Xlsm)
        && match index("_rels/.rels") {
            Some(i) => read_small(&mut zip, i, declared[i].size)?
                .is_some_and(|rels| workbook_is_standard(&rels)),
            None => false,
        };
    drop(zip);
    let deferred: Vec<usize> = if defer {
        declared
            .iter()
            .enumerate()
            .filter(|(_, d)| is_worksheet_part(&d.name))
            .map(|(i, _)| i)
            .collect()
    } else {
        Vec::new()
    };
    verify_zip_entries(bytes, |i| deferred.binary_search(&i).is_err())?;
    if format == Format::Ods {
        check_ods_cells(bytes)?;
    }
    Ok((format, Deferred(deferred)))
}

// ---------------------------------------------------------------------------------------------
// ODS: calamine parses content.xml whole when opening and expands `number-columns-repeated` /
// `number-rows-repeated` (capped only at 100 million cells, several GB).

/// Estimates, conservatively, the cells calamine will materialise for each table of an ODS
/// `content.xml`, and refuses the file beyond [`MAX_SHEET_CELLS`] / [`MAX_WORKBOOK_CELLS`].
///
/// Mirrors calamine's rules: per row, empty cells after the last non-empty one are not
/// stored; rows are repeated only between the first and last non-empty row. A cell counts as
/// non-empty if it has a value type, a formula or any child element (over-counting only
/// refuses files that are absurd anyway). LibreOffice's usual trailing
/// `number-rows-repeated="1048553"` / `number-columns-repeated="16359"` cost nothing.
fn check_ods_cells(bytes: &[u8]) -> Result<(), InputError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_open_error)?;
    let Some(i) = zip.index_for_name("content.xml") else {
        return Ok(()); // calamine reports the missing part itself
    };
    let f = zip.by_index(i).map_err(zip_entry_error)?;
    let mut xml = Vec::new();
    f.take(MAX_ENTRY_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|_| corrupt("压缩包内数据损坏"))?;
    ods_cells_within_limits(&xml)
}

/// The value of attribute `name` inside one start tag (`tag` excludes `<` and `>`).
fn attr<'a>(tag: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut from = 0;
    while let Some(p) = find(&tag[from..], name) {
        let at = from + p;
        let rest = &tag[at + name.len()..];
        let before_ok = at == 0 || tag[at - 1].is_ascii_whitespace();
        let rest_trim = rest.trim_ascii_start();
        if before_ok && rest_trim.first() == Some(&b'=') {
            let v = rest_trim[1..].trim_ascii_start();
            let q = *v.first()?;
            if q == b'"' || q == b'\'' {
                let end = v[1..].iter().position(|&b| b == q)?;
                return Some(&v[1..1 + end]);
            }
            return None;
        }
        from = at + name.len();
    }
    None
}

fn repeat_count(tag: &[u8], name: &[u8]) -> u64 {
    attr(tag, name)
        .and_then(|v| std::str::from_utf8(v).ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

/// calamine's ODS caps (ods.rs): repeats beyond them are cut, so they bound our estimate too.
const ODS_MAX_ROWS: u64 = 1_048_576;
const ODS_MAX_COLUMNS: u64 = 16_384;

fn ods_cells_within_limits(xml: &[u8]) -> Result<(), InputError> {
    #[derive(Default)]
    struct Table {
        /// rows seen so far (with repeats), the first/last non-empty row's start/end
        rows: u64,
        first: Option<u64>,
        last_end: u64,
        width: u64,
        /// cells stored before row repeats are applied (sum of row widths)
        stored: u64,
    }
    impl Table {
        fn area(&self) -> u64 {
            match self.first {
                Some(f) => self.last_end.saturating_sub(f).saturating_mul(self.width),
                None => 0,
            }
        }
    }
    let mut total: u64 = 0;
    let mut table: Option<Table> = None;
    // current row: repeat count, running column, end of last non-empty cell
    let mut row: Option<(u64, u64, u64)> = None;
    let mut pos = 0;
    let limit = MAX_SHEET_CELLS as u64;
    let check = |t: &Table, total: u64| -> Result<(), InputError> {
        if t.area() > limit || t.stored > limit {
            return Err(too_large(format!(
                "工作表单元格数量超过上限 {MAX_SHEET_CELLS}"
            )));
        }
        if total.saturating_add(t.area().max(t.stored)) > MAX_WORKBOOK_CELLS as u64 {
            return Err(too_large(format!(
                "工作簿单元格总数超过上限 {MAX_WORKBOOK_CELLS}"
            )));
        }
        Ok(())
    };
    while let Some(lt) = xml[pos..].iter().position(|&b| b == b'<') {
        let start = pos + lt + 1;
        let Some(gt) = xml[start..].iter().position(|&b| b == b'>') else {
            break;
        };
        let tag = &xml[start..start + gt];
        pos = start + gt + 1;
        let self_closing = tag.last() == Some(&b'/');
        let name_end = tag
            .iter()
            .skip(1)
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .map_or(tag.len(), |p| p + 1);
        let name = &tag[..name_end];
        match name {
            b"table:table" => table = Some(Table::default()),
            b"/table:table" => {
                if let Some(t) = table.take() {
                    check(&t, total)?;
                    total = total.saturating_add(t.area().max(t.stored));
                }
            }
            b"table:table-row" => {
                let reps = repeat_count(tag, b"table:number-rows-repeated").min(ODS_MAX_ROWS);
                if self_closing {
                    if let Some(t) = table.as_mut() {
                        t.rows = t.rows.saturating_add(reps);
                    }
                } else {
                    row = Some((reps, 0, 0));
                }
            }
            b"/table:table-row" => {
                if let (Some((reps, _, end)), Some(t)) = (row.take(), table.as_mut()) {
                    let row_start = t.rows;
                    t.rows = t.rows.saturating_add(reps);
                    if end > 0 {
                        t.first.get_or_insert(row_start);
                        t.last_end = t.rows;
                        t.width = t.width.max(end);
                        t.stored = t.stored.saturating_add(end);
                    }
                    check(t, total)?;
                }
            }
            b"table:table-cell" | b"table:covered-table-cell" => {
                if let Some((_, col, end)) = row.as_mut() {
                    let reps =
                        repeat_count(tag, b"table:number-columns-repeated").min(ODS_MAX_COLUMNS);
                    let non_empty = !self_closing
                        || attr(tag, b"office:value-type").is_some()
                        || attr(tag, b"table:formula").is_some();
                    *col = col.saturating_add(reps).min(ODS_MAX_COLUMNS);
                    if non_empty {
                        *end = *col;
                    }
                }
            }
            _ => {}
        }
    }
    if let Some(t) = table {
        check(&t, total)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// CFB (OLE compound file): xls, encrypted OOXML, and things that are not workbooks (.doc)

fn sniff_cfb(bytes: &[u8]) -> Result<Format, InputError> {
    // What the file is, from the entries at its root (an xls may embed a Word document or an
    // encrypted package deeper down, as an object).
    let names: Vec<String> = match cfb::CompoundFile::open(Cursor::new(bytes)) {
        Ok(cf) => cf
            .read_root_storage()
            .map(|e| e.name().to_ascii_lowercase())
            .collect(),
        Err(_) => {
            // The cfb crate could not parse it. Still recognise an encrypted OOXML package by
            // its directory entry name (UTF-16LE), so the clerk hears "encrypted", not "damaged".
            let utf16: Vec<u8> = "EncryptedPackage"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect();
            if find(bytes, &utf16).is_some() {
                return Err(InputError::Encrypted);
            }
            return Err(corrupt("文件结构不完整"));
        }
    };
    let has = |n: &str| names.iter().any(|x| x == n);
    if has("encryptedpackage") || has("encryptioninfo") {
        // Password-protected (or IRM-protected) xlsx/xlsm/xlsb: an OLE wrapper around the
        // encrypted zip.
        return Err(InputError::Encrypted);
    }
    if !has("workbook") && !has("book") {
        // .doc, .ppt, .msg, an empty compound file
        return Err(InputError::NotWorkbook);
    }
    check_calamine_cfb(bytes)?;
    let mut cf =
        cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| corrupt("文件结构不完整"))?;
    // calamine reads the first entry named Workbook (else Book) anywhere in the directory;
    // check every candidate so a decoy cannot hide the one it parses.
    let paths: Vec<_> = cf
        .walk()
        .filter(|e| {
            e.is_stream()
                && (e.name().eq_ignore_ascii_case("Workbook")
                    || e.name().eq_ignore_ascii_case("Book"))
        })
        .map(|e| e.path().to_path_buf())
        .collect();
    if paths.is_empty() {
        return Err(InputError::NotWorkbook); // a storage named Workbook, no stream
    }
    for path in paths {
        let mut data = Vec::new();
        cf.open_stream(&path)
            .map_err(|_| corrupt("文件结构不完整"))?
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut data)
            .map_err(|_| corrupt("文件结构不完整"))?;
        check_biff(&data)?;
    }
    Ok(Format::Xls)
}

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const DIFSECT: u32 = 0xFFFF_FFFC;
/// calamine's `RESERVED_SECTORS`: ids at or above are markers, not sectors.
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Re-reads the sector allocation tables the way calamine's own CFB reader does and refuses
/// files on which it would loop or over-allocate.
///
/// calamine follows sector chains until `ENDOFCHAIN`, and reads the directory chain with no
/// length bound at all: a chain that loops back on itself makes it grow a buffer until memory
/// runs out (an abort, not a panic). The cfb crate's own validation does not catch a pure
/// loop. Here: the number of FAT sectors must fit the file, and neither the FAT nor the
/// mini-FAT may contain a cycle.
fn check_calamine_cfb(bytes: &[u8]) -> Result<(), InputError> {
    let bad = || corrupt("文件结构异常（扇区链循环或越界）");
    if bytes.len() < 512 {
        return Err(bad());
    }
    let sector_size: usize = match u16_at(bytes, 30) {
        Some(9) => 512,
        Some(12) => 4096,
        _ => return Err(bad()),
    };
    // sectors start right after the header, which occupies one sector
    let body = bytes.get(sector_size..).unwrap_or(&[]);
    let maxid = bytes.len() / sector_size;
    let sector = |id: u32| -> &[u8] {
        let start = (id as usize).saturating_mul(sector_size);
        let end = start.saturating_add(sector_size).min(body.len());
        body.get(start..end).unwrap_or(&[])
    };
    let words = |s: &[u8]| -> Vec<u32> {
        s.chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            .collect()
    };
    let mut difat = words(&bytes[76..512]);
    let mut id = u32_at(bytes, 68).unwrap_or(ENDOFCHAIN);
    let mut steps = 0usize;
    while id < RESERVED_SECTORS {
        steps += 1;
        if steps > maxid + 1 || id as usize > maxid {
            return Err(bad());
        }
        difat.extend(words(sector(id)));
        id = difat.pop().ok_or_else(bad)?;
    }
    let fat_ids: Vec<u32> = difat.into_iter().filter(|&i| i < DIFSECT).collect();
    if fat_ids.len() > maxid + 1 {
        return Err(bad());
    }
    let mut fat = Vec::new();
    for &i in &fat_ids {
        if i as usize > maxid {
            return Err(bad());
        }
        fat.extend(words(sector(i)));
    }
    if has_cycle(&fat) {
        return Err(bad());
    }
    // mini-FAT: a chain in the FAT (acyclic by now), then its own cycle check
    let mini_len = u32_at(bytes, 64).unwrap_or(0) as usize;
    if mini_len > 0 {
        let mut mini = Vec::new();
        let mut id = u32_at(bytes, 60).unwrap_or(ENDOFCHAIN);
        let want = mini_len.saturating_mul(sector_size);
        while id != ENDOFCHAIN && mini.len() < want {
            if (id as usize) >= fat.len() {
                break; // calamine errors or panics (caught by `guarded`) here; no loop
            }
            mini.extend_from_slice(sector(id));
            id = fat[id as usize];
        }
        if has_cycle(&words(&mini)) {
            return Err(bad());
        }
    }
    Ok(())
}

/// Whether following `next[i]` (while it is a valid index) can loop forever.
fn has_cycle(next: &[u32]) -> bool {
    // 0 unvisited, 1 on the current path, 2 known to terminate
    let mut state = vec![0u8; next.len()];
    let mut path = Vec::new();
    for start in 0..next.len() {
        let mut i = start;
        loop {
            match state[i] {
                1 => return true,
                2 => break,
                _ => {}
            }
            state[i] = 1;
            path.push(i);
            let n = next[i] as usize;
            if next[i] >= RESERVED_SECTORS || n >= next.len() {
                break;
            }
            i = n;
        }
        for &p in &path {
            state[p] = 2;
        }
        path.clear();
    }
    false
}

/// One BIFF record: type and data (CONTINUE records are seen as records of their own, which
/// changes nothing for the checks below).
fn biff_records(stream: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let typ = u16_at(rest, 0)?;
        let len = u16_at(rest, 2)? as usize;
        let data = rest.get(4..4 + len)?;
        rest = &rest[4 + len..];
        Some((typ, data))
    })
}

/// BIFF8's whole grid (65,536 rows × 256 columns): a `DIMENSIONS` record beyond it is
/// crafted, and calamine reserves memory for the area it declares.
const BIFF_GRID_CELLS: u64 = 65_536 * 256;

/// Checks the BIFF workbook stream before calamine parses it (which it does whole, every sheet,
/// when opening): `FILEPASS` means encrypted (calamine misses XOR obfuscation); each sheet's
/// cell bounding box must stay within [`MAX_SHEET_CELLS`], the sum within
/// [`MAX_WORKBOOK_CELLS`], and re-scanning sheets (a crafted file can point many sheets at the
/// same records) within twice the stream.
fn check_biff(stream: &[u8]) -> Result<(), InputError> {
    let mut sheets = Vec::new();
    for (typ, data) in biff_records(stream) {
        match typ {
            0x002F => return Err(InputError::Encrypted), // FILEPASS
            0x0085 => {
                if let Some(pos) = u32_at(data, 0) {
                    sheets.push(pos as usize);
                }
            }
            0x000A => break, // EOF of the globals
            _ => {}
        }
    }
    if sheets.len() > MAX_SHEETS {
        return Err(too_large(format!(
            "工作表数量 {} 超过上限 {MAX_SHEETS}",
            sheets.len()
        )));
    }
    let mut budget = (stream.len() as u64).saturating_mul(2).saturating_add(MIB);
    let mut total: u64 = 0;
    for pos in sheets {
        let Some(sheet) = stream.get(pos..) else {
            continue;
        };
        let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0u32, u32::MAX, 0u32);
        let mut seen_bof = false;
        let mut depth = 0usize;
        for (typ, data) in biff_records(sheet) {
            let cost = 4 + data.len() as u64;
            if budget < cost {
                return Err(too_large("工作表结构异常（记录被重复引用）"));
            }
            budget -= cost;
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let mut cell = |r: u32, c: u32| {
                r0 = r0.min(r);
                r1 = r1.max(r);
                c0 = c0.min(c);
                c1 = c1.max(c);
            };
            match typ {
                0x0809 => {
                    if seen_bof {
                        depth += 1;
                    } else {
                        seen_bof = true;
                    }
                }
                0x000A => break,
                0x0200 => {
                    // DIMENSIONS, parsed as calamine does; it reserves rows × cols cells
                    let (rf, rl, cf, cl) = match data.len() {
                        10 => (
                            u16_at(data, 0).unwrap_or(0) as u64,
                            u16_at(data, 2).unwrap_or(0) as u64,
                            u16_at(data, 4).unwrap_or(0) as u64,
                            u16_at(data, 6).unwrap_or(0) as u64,
                        ),
                        14 | 16 => (
                            u32_at(data, 0).unwrap_or(0) as u64,
                            u32_at(data, 4).unwrap_or(0) as u64,
                            u16_at(data, 8).unwrap_or(0) as u64,
                            u16_at(data, 10).unwrap_or(0) as u64,
                        ),
                        _ => continue,
                    };
                    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                    if rl >= 1 && cl >= 1 {
                        let rows = rl.saturating_sub(rf);
                        let cols = cl.saturating_sub(cf);
                        if rl < rf || rows.saturating_mul(cols) > BIFF_GRID_CELLS {
                            return Err(too_large("工作表声明的区域超出 Excel 表格范围"));
                        }
                    }
                }
                // Number, Label, RString, BoolErr, RK, LabelSst, Formula: row, col first
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                        cell(r as u32, c as u32);
                    }
                }
                0x00BD => {
                    // MulRk: row, first col, 6-byte RK values, last col
                    if let (Some(r), Some(c)) = (u16_at(data, 0), u16_at(data, 2)) {
                        let n = (data.len().saturating_sub(6) / 6) as u32;
                        let last = u16_at(data, data.len().saturating_sub(2)).unwrap_or(0) as u32;
                        cell(r as u32, c as u32);
                        cell(r as u32, (c as u32 + n.saturating_sub(1)).max(last));
                    }
                }
                _ => {}
            }
        }
        if r0 <= r1 && c0 <= c1 {
            let area = (r1 - r0 + 1) as u64 * (c1 - c0 + 1) as u64;
            if area > MAX_SHEET_CELLS as u64 {
                return Err(too_large(format!(
                    "工作表单元格区域 {area} 超过上限 {MAX_SHEET_CELLS}"
                )));
            }
            total = total.saturating_add(area);
            if total > MAX_WORKBOOK_CELLS as u64 {
                return Err(too_large(format!(
                    "工作簿单元格总数超过上限 {MAX_WORKBOOK_CELLS}"
                )));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Calamine's errors

/// Turns a calamine error into the reason a clerk reads.
///
/// Password errors of every format → [`InputError::Encrypted`]; damaged zip, XML, BIFF or
/// OLE structures → [`InputError::Corrupt`] with a short reason; "no reader recognised it" →
/// [`InputError::NotWorkbook`].
pub fn classify_open_error(e: &calamine::Error) -> InputError {
    use calamine::{Error as E, OdsError, XlsError, XlsbError, XlsxError};
    let zip_reason = |z: &zip::result::ZipError| match zip_entry_error(clone_zip_error(z)) {
        InputError::Encrypted => InputError::Encrypted,
        _ => corrupt("压缩包不完整或已损坏"),
    };
    match e {
        E::Xls(XlsError::Password)
        | E::Xlsx(XlsxError::Password)
        | E::Xlsb(XlsbError::Password)
        | E::Ods(OdsError::Password) => InputError::Encrypted,
        E::Msg(_) => InputError::NotWorkbook,
        E::Io(_) => corrupt("数据不完整"),
        E::Xlsx(x) => match x {
            XlsxError::Zip(z) => zip_reason(z),
            XlsxError::Io(_) => corrupt("压缩包内数据损坏"),
            XlsxError::Xml(_)
            | XlsxError::XmlAttr(_)
            | XlsxError::XmlEof(_)
            | XlsxError::Encoding(_)
            | XlsxError::UnexpectedNode(_)
            | XlsxError::Unexpected(_) => corrupt("表格内容（XML）损坏"),
            XlsxError::FileNotFound(_)
            | XlsxError::RelationshipNotFound
            | XlsxError::WorksheetNotFound(_)
            | XlsxError::NotAWorksheet(_) => corrupt("缺少必要的组成部分"),
            XlsxError::Vba(_) => corrupt("宏项目损坏"),
            _ => corrupt("单元格数据格式错误"),
        },
        E::Xlsb(x) => match x {
            XlsbError::Zip(z) => zip_reason(z),
            XlsbError::Io(_) => corrupt("压缩包内数据损坏"),
            XlsbError::FileNotFound(_) | XlsbError::WorksheetNotFound(_) => {
                corrupt("缺少必要的组成部分")
            }
            XlsbError::Vba(_) => corrupt("宏项目损坏"),
            _ => corrupt("二进制表格记录损坏"),
        },
        E::Xls(x) => match x {
            XlsError::Io(_) | XlsError::Cfb(_) => corrupt("文件结构不完整"),
            XlsError::WorksheetNotFound(_) => corrupt("缺少必要的组成部分"),
            XlsError::Vba(_) | XlsError::NoVba => corrupt("宏项目损坏"),
            _ => corrupt("表格记录损坏"),
        },
        E::Ods(x) => match x {
            OdsError::Zip(z) => zip_reason(z),
            OdsError::Io(_) => corrupt("压缩包内数据损坏"),
            OdsError::CellLimitExceeded { .. } => too_large("单元格数量过多"),
            OdsError::InvalidMime(_)
            | OdsError::FileNotFound(_)
            | OdsError::WorksheetNotFound(_) => corrupt("缺少必要的组成部分"),
            OdsError::Xml(_)
            | OdsError::XmlAttr(_)
            | OdsError::AttrError(_)
            | OdsError::EncodingError(_)
            | OdsError::Eof(_)
            | OdsError::Mismatch { .. } => corrupt("表格内容（XML）损坏"),
            _ => corrupt("单元格数据格式错误"),
        },
        E::Vba(_) => corrupt("宏项目损坏"),
        E::De(_) => corrupt("单元格数据格式错误"),
    }
}

/// `ZipError` is not `Clone`; only the variants [`zip_entry_error`] tells apart matter.
fn clone_zip_error(z: &zip::result::ZipError) -> zip::result::ZipError {
    use zip::result::ZipError as Z;
    match z {
        Z::InvalidPassword => Z::InvalidPassword,
        Z::UnsupportedArchive(m) => Z::UnsupportedArchive(m),
        Z::CompressionMethodNotSupported(m) => Z::CompressionMethodNotSupported(*m),
        _ => Z::FileNotFound,
    }
}

// ---------------------------------------------------------------------------------------------
// Panics

thread_local! {
    static GUARDED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Installs, once, a panic hook that stays silent inside [`guarded`] (so the CLI's stderr stays
/// one line) and defers to the previous hook everywhere else.
fn install_quiet_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.with(|g| g.get()) == 0 {
                previous(info);
            }
        }));
    });
}

/// Runs `f` (code that hands hostile bytes to calamine, zip or cfb) and turns a panic inside
/// it into [`InputError::Corrupt`].
///
/// Why: calamine has panicked on malformed input more than once (slice indexing past a short
/// record, `unwrap` on a bad length, an index into the FAT out of range, arithmetic overflow);
/// fuzzing finds more. A panic must not take down a `collect` batch of 300 files or print a
/// backtrace to a clerk; it means the file is damaged. Panics elsewhere (our own bugs) are
/// not caught and still report normally. Out-of-memory aborts cannot be caught, which is why
/// [`sniff`] bounds sizes first.
pub fn guarded<T>(f: impl FnOnce() -> Result<T, InputError>) -> Result<T, InputError> {
    install_quiet_hook();
    GUARDED.with(|g| g.set(g.get() + 1));
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get() - 1));
    match r {
        Ok(r) => r,
        Err(_) => Err(corrupt("数据结构异常，无法解析")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::sheet_cells;
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;

    fn xlsx_bytes(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for &(r, c, v) in cells {
            ws.write_string(r, c, v).unwrap();
        }
        wb.save_to_buffer().unwrap()
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            let method = if *name == "mimetype" {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            };
            w.start_file(
                *name,
                SimpleFileOptions::default().compression_method(method),
            )
            .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// Copies a zip, adding entries.
    fn zip_plus(base: &[u8], extra: &[(&str, &[u8])]) -> Vec<u8> {
        let mut z = zip::ZipArchive::new(Cursor::new(base)).unwrap();
        let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
        for i in 0..z.len() {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            entries.push((f.name().unwrap().to_string(), v));
        }
        for (n, d) in extra {
            entries.push((n.to_string(), d.to_vec()));
        }
        let refs: Vec<(&str, &[u8])> = entries
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect();
        zip_of(&refs)
    }

    const ODS_MANIFEST: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#;

    fn ods_content(rows: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        )
        .into_bytes()
    }

    fn ods_bytes(rows: &str) -> Vec<u8> {
        zip_of(&[
            ("mimetype", ODS_MIME),
            ("content.xml", &ods_content(rows)),
            ("META-INF/manifest.xml", ODS_MANIFEST),
        ])
    }

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend_from_slice(&(data.len() as u16).to_le_bytes());
        v.extend_from_slice(data);
        v
    }

    fn bof(dt: u16) -> Vec<u8> {
        let mut d = vec![0x00, 0x06];
        d.extend_from_slice(&dt.to_le_bytes());
        d.extend_from_slice(&[0; 12]);
        rec(0x0809, &d)
    }

    fn number(r: u16, c: u16, v: f64) -> Vec<u8> {
        let mut d = r.to_le_bytes().to_vec();
        d.extend_from_slice(&c.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&v.to_le_bytes());
        rec(0x0203, &d)
    }

    /// A minimal BIFF8 workbook stream: one sheet "S" holding `cells`; `filepass` adds FILEPASS.
    fn biff(cells: &[(u16, u16)], filepass: bool) -> Vec<u8> {
        let mut globals = bof(0x0005);
        if filepass {
            globals.extend(rec(0x002F, &[1, 0, 1, 0, 1, 0]));
        }
        let boundsheet_len = 4 + 8 + 1;
        let sheet_pos = (globals.len() + boundsheet_len + 4) as u32;
        let mut bs = sheet_pos.to_le_bytes().to_vec();
        bs.extend_from_slice(&[0, 0, 1, 0, b'S']);
        globals.extend(rec(0x0085, &bs));
        globals.extend(rec(0x000A, &[]));
        assert_eq!(globals.len() as u32, sheet_pos);
        let mut s = globals;
        s.extend(bof(0x0010));
        for &(r, c) in cells {
            s.extend(number(r, c, 1.5));
        }
        s.extend(rec(0x000A, &[]));
        s
    }

    fn cfb_of(streams: &[(&str, &[u8])]) -> Vec<u8> {
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        for (name, data) in streams {
            let mut s = cf.create_stream(name).unwrap();
            s.write_all(data).unwrap();
        }
        cf.flush().unwrap();
        cf.into_inner().into_inner()
    }

    #[test]
    fn empty_and_text_are_refused() {
        assert_eq!(sniff(b""), Err(InputError::Empty));
        assert_eq!(sniff(b"a,b,c\n1,2,3\n"), Err(InputError::NotWorkbook));
        assert_eq!(
            sniff(b"<html><body><table><tr><td>1</td></tr></table></body></html>"),
            Err(InputError::NotWorkbook)
        );
        assert_eq!(sniff(&[0u8; 4096]), Err(InputError::NotWorkbook));
        assert_eq!(
            sniff(b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"),
            Err(InputError::NotWorkbook)
        );
    }

    #[test]
    fn xlsx_xlsm_xlsb_by_content() {
        let x = xlsx_bytes(&[(0, 0, "部门")]);
        assert_eq!(sniff(&x), Ok(Format::Xlsx));
        let m = zip_plus(&x, &[("xl/vbaProject.bin", b"\xD0\xCF")]);
        assert_eq!(sniff(&m), Ok(Format::Xlsm));
        let b = zip_of(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.bin", b"\x83\x01\x00"),
        ]);
        assert_eq!(sniff(&b), Ok(Format::Xlsb));
    }

    /// The cells of the one sheet `name`, loaded as the reader loads them.
    fn cells_of(bytes: &[u8], name: &str) -> Vec<(u32, u32, String)> {
        let sheets = sheet_cells(bytes).unwrap();
        let s = sheets.into_iter().find(|s| s.name == name).unwrap();
        s.cells.unwrap()
    }

    #[test]
    fn xlsx_opens_and_reads() {
        let x = xlsx_bytes(&[(0, 0, "部门"), (2, 3, "指标")]);
        assert_eq!(sniff(&x), Ok(Format::Xlsx));
        let cells = cells_of(&x, "Sheet1");
        assert!(cells.contains(&(2, 3, "指标".to_string())), "{cells:?}");
    }

    /// Two cells at A1 and XFD1048576: the sheet is read sparsely (two cells), never as
    /// the 17-billion-cell box between them (the old `read_sheet` refused it instead).
    #[test]
    fn xlsx_with_far_apart_cells_is_read_sparsely() {
        let x = xlsx_bytes(&[(0, 0, "a"), (1_048_575, 16_383, "b")]);
        assert!(sniff(&x).is_ok());
        assert_eq!(
            cells_of(&x, "Sheet1"),
            vec![
                (0, 0, "a".to_string()),
                (1_048_575, 16_383, "b".to_string())
            ]
        );
    }

    #[test]
    fn styled_empty_cells_far_away_do_not_count() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "a").unwrap();
        let border = rust_xlsxwriter::Format::new().set_border(rust_xlsxwriter::FormatBorder::Thin);
        ws.write_blank(1_048_575, 16_383, &border).unwrap();
        let x = wb.save_to_buffer().unwrap();
        assert!(sniff(&x).is_ok());
        assert_eq!(cells_of(&x, "Sheet1"), vec![(0, 0, "a".to_string())]);
    }

    #[test]
    fn ods_by_mimetype_and_opens() {
        let o = ods_bytes(
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p>部门</text:p></table:table-cell></table:table-row>"#,
        );
        assert_eq!(sniff(&o), Ok(Format::Ods));
        assert_eq!(cells_of(&o, "Sheet1"), vec![(0, 0, "部门".to_string())]);
    }

    #[test]
    fn ods_trailing_repeats_are_fine_but_repeat_bombs_are_refused() {
        let ok = ods_bytes(concat!(
            r#"<table:table-row><table:table-cell office:value-type="float" office:value="1"/>"#,
            r#"<table:table-cell table:number-columns-repeated="16383"/></table:table-row>"#,
            r#"<table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#
        ));
        assert_eq!(sniff(&ok), Ok(Format::Ods));
        let bomb = ods_bytes(concat!(
            r#"<table:table-row table:number-rows-repeated="1000000">"#,
            r#"<table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"/>"#,
            r#"</table:table-row>"#
        ));
        let r = sniff(&bomb);
        assert!(matches!(r, Err(InputError::TooLarge(_))), "{r:?}");
    }

    #[test]
    fn encrypted_ods_is_encrypted() {
        let manifest = br#"<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#;
        let o = zip_of(&[
            ("mimetype", ODS_MIME),
            ("content.xml", b"\x01\x02garbage"),
            ("META-INF/manifest.xml", manifest),
        ]);
        assert_eq!(sniff(&o), Err(InputError::Encrypted));
    }

    #[test]
    fn other_zips_are_not_workbooks() {
        let docx = zip_of(&[
            ("[Content_Types].xml", b"<Types><Override ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>"),
            ("word/document.xml", b"<w:document/>"),
        ]);
        assert_eq!(sniff(&docx), Err(InputError::NotWorkbook));
        let odt = zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.text")]);
        assert_eq!(sniff(&odt), Err(InputError::NotWorkbook));
        let plain = zip_of(&[("scan.jpg", b"\xFF\xD8\xFF")]);
        assert_eq!(sniff(&plain), Err(InputError::NotWorkbook));
    }

    #[test]
    fn truncated_zip_is_corrupt() {
        let x = xlsx_bytes(&[(0, 0, "部门")]);
        for cut in [10, x.len() / 2, x.len() - 10] {
            match sniff(&x[..cut]) {
                Err(InputError::Corrupt(why)) => assert!(why.contains("压缩包"), "{why}"),
                other => panic!("cut {cut}: {other:?}"),
            }
        }
    }

    #[test]
    fn zip_bomb_is_refused_from_the_central_directory() {
        let big = vec![b' '; 64 * MIB as usize];
        let z = zip_plus(&xlsx_bytes(&[]), &[("xl/worksheets/sheet2.xml", &big)]);
        assert!(z.len() < MIB as usize);
        match sniff(&z) {
            Err(InputError::TooLarge(why)) => assert!(why.contains("压缩比"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    /// Rewrites the declared uncompressed size of entry `name` in the central directory.
    fn lie_about_size(zip: &mut [u8], name: &[u8], size: u32) {
        let mut i = 0;
        while let Some(p) = find(&zip[i..], b"PK\x01\x02") {
            let at = i + p;
            let n = u16::from_le_bytes([zip[at + 28], zip[at + 29]]) as usize;
            if &zip[at + 46..at + 46 + n] == name {
                zip[at + 24..at + 28].copy_from_slice(&size.to_le_bytes());
                return;
            }
            i = at + 4;
        }
        panic!("no entry");
    }

    #[test]
    fn lying_declared_size_is_caught() {
        let big = vec![b'x'; 200_000];
        let mut z = zip_plus(&xlsx_bytes(&[]), &[("xl/media/big.bin", &big)]);
        lie_about_size(&mut z, b"xl/media/big.bin", 100);
        match sniff(&z) {
            Err(InputError::Corrupt(why)) => assert!(why.contains("压缩包"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_standard_xlsx_defers_only_its_worksheet_parts() {
        let x = xlsx_bytes(&[(0, 0, "a")]);
        let (format, deferred) = sniff_deferring_sheets(&x).unwrap();
        assert_eq!(format, Format::Xlsx);
        let zip = zip::ZipArchive::new(Cursor::new(&x[..])).unwrap();
        let names: Vec<String> = deferred
            .0
            .iter()
            .map(|&i| normalize_name(zip.name_for_index(i).unwrap().unwrap().as_bytes()))
            .collect();
        assert_eq!(names, ["xl/worksheets/sheet1.xml"]);
        assert_eq!(verify_deferred(&x, &deferred), Ok(()));
        // A worksheet that lies is caught by the deferred pass, and by `sniff` whole.
        let mut lying = x.clone();
        lie_about_size(&mut lying, b"xl/worksheets/sheet1.xml", 3);
        let (_, deferred) = sniff_deferring_sheets(&lying).unwrap();
        assert!(matches!(
            verify_deferred(&lying, &deferred),
            Err(InputError::Corrupt(_))
        ));
        assert!(matches!(sniff(&lying), Err(InputError::Corrupt(_))));
        // Other containers are checked whole.
        let ods = ods_bytes("<table:table-row><table:table-cell/></table:table-row>");
        let (f, d) = sniff_deferring_sheets(&ods).unwrap();
        assert_eq!((f, d.is_empty()), (Format::Ods, true));
    }

    #[test]
    fn only_the_usual_package_relationships_let_worksheets_wait() {
        let rel = |target: &str| {
            format!(
                r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{target}"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#
            )
        };
        assert!(workbook_is_standard(rel("xl/workbook.xml").as_bytes()));
        assert!(workbook_is_standard(rel("/xl/workbook.xml").as_bytes()));
        // calamine would then look for the shared strings among the worksheets.
        assert!(!workbook_is_standard(
            rel("xl/worksheets/workbook.xml").as_bytes()
        ));
        assert!(!workbook_is_standard(
            rel("&#x78;l/workbook.xml").as_bytes()
        ));
        assert!(!workbook_is_standard(b"<Relationships/>"));
        // Such a package is verified whole before it is opened.
        let odd = zip_of(&[
            ("[Content_Types].xml", br#"<Types><Override ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#),
            ("_rels/.rels", rel("xl/worksheets/workbook.xml").as_bytes()),
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/worksheets/workbook.xml", b"<workbook/>"),
        ]);
        let (f, d) = sniff_deferring_sheets(&odd).unwrap();
        assert_eq!((f, d.is_empty()), (Format::Xlsx, true));
    }

    #[test]
    fn too_many_entries() {
        let names: Vec<String> = (0..MAX_ZIP_ENTRIES + 1).map(|i| format!("x/{i}")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
        let z = zip_plus(&xlsx_bytes(&[]), &entries);
        assert!(matches!(sniff(&z), Err(InputError::TooLarge(_))));
    }

    #[test]
    fn cfb_kinds() {
        let enc = cfb_of(&[
            ("EncryptionInfo", b"\x04\x00\x04\x00"),
            ("EncryptedPackage", &[7u8; 5000]),
        ]);
        assert_eq!(sniff(&enc), Err(InputError::Encrypted));
        let doc = cfb_of(&[("WordDocument", &[0u8; 100])]);
        assert_eq!(sniff(&doc), Err(InputError::NotWorkbook));
        let empty = cfb_of(&[]);
        assert_eq!(sniff(&empty), Err(InputError::NotWorkbook));
        let truncated = &enc[..700];
        assert!(matches!(
            sniff(truncated),
            Err(InputError::Encrypted | InputError::Corrupt(_))
        ));
        assert!(matches!(sniff(&CFB_MAGIC), Err(InputError::Corrupt(_))));
    }

    #[test]
    fn xls_by_content_opens_and_filepass_is_encrypted() {
        let x = cfb_of(&[("Workbook", &biff(&[(0, 0), (3, 2)], false))]);
        assert_eq!(sniff(&x), Ok(Format::Xls));
        let cells = cells_of(&x, "S");
        assert!(cells.contains(&(3, 2, "1.5".to_string())), "{cells:?}");
        let e = cfb_of(&[("Workbook", &biff(&[(0, 0)], true))]);
        assert_eq!(sniff(&e), Err(InputError::Encrypted));
        // and calamine itself agrees, mapped through classify_open_error
        assert!(matches!(
            crate::read::load::open(&e, Format::Xls),
            Err(InputError::Encrypted)
        ));
    }

    #[test]
    fn xls_with_far_apart_cells_is_refused() {
        let x = cfb_of(&[("Workbook", &biff(&[(0, 0), (65_535, 255)], false))]);
        assert!(matches!(sniff(&x), Err(InputError::TooLarge(_))));
    }

    #[test]
    fn nested_streams_in_xls() {
        let ok = biff(&[(0, 0)], false);
        let far = biff(&[(0, 0), (65_535, 255)], false);
        let build = |nested: &[(&str, &[u8])]| {
            let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
            cf.create_stream("Workbook")
                .unwrap()
                .write_all(&ok)
                .unwrap();
            cf.create_storage("MBD0001").unwrap();
            for (name, data) in nested {
                let mut s = cf.create_stream(format!("MBD0001/{name}")).unwrap();
                s.write_all(data).unwrap();
            }
            cf.flush().unwrap();
            cf.into_inner().into_inner()
        };
        // an embedded, encrypted Office object does not make the workbook encrypted
        assert_eq!(
            sniff(&build(&[("EncryptedPackage", &[1u8; 100][..])])),
            Ok(Format::Xls)
        );
        // a nested decoy "Workbook" that calamine might parse instead is checked too
        assert!(matches!(
            sniff(&build(&[("Workbook", &far[..])])),
            Err(InputError::TooLarge(_))
        ));
    }

    #[test]
    fn a_large_honest_workbook_passes() {
        // 50,000 indicator rows × 12 columns: far beyond any department, must pass the limits
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        for r in 0..50_000u32 {
            for c in 0..12u16 {
                ws.write_string(r, c, format!("指标{r}-{c}")).unwrap();
            }
        }
        let x = wb.save_to_buffer().unwrap();
        let t = std::time::Instant::now();
        assert_eq!(sniff(&x), Ok(Format::Xlsx));
        eprintln!("sniff of {} bytes took {:?}", x.len(), t.elapsed());
        assert_eq!(cells_of(&x, "Sheet1").len(), 50_000 * 12);
    }

    #[test]
    fn read_capped_refuses_big_files_unread() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.xlsx");
        let f = std::fs::File::create(&p).unwrap();
        f.set_len(MAX_FILE_BYTES + 1).unwrap(); // sparse: costs no disk
        assert!(matches!(read_capped(&p), Err(InputError::TooLarge(_))));
        assert_eq!(
            read_capped(&dir.path().join("none.xlsx")),
            Err(InputError::NotFound)
        );
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(read_capped(&p).unwrap(), b"abc");
    }

    #[test]
    fn fat_cycles_are_found() {
        assert!(!has_cycle(&[1, 2, ENDOFCHAIN]));
        assert!(has_cycle(&[1, 2, 0]));
        assert!(has_cycle(&[ENDOFCHAIN, 2, 1]));
        assert!(!has_cycle(&[5, 0xFFFF_FFFF, DIFSECT]));
    }

    #[test]
    fn guarded_turns_panics_into_corrupt() {
        let r: Result<(), _> = guarded(|| panic!("index out of bounds"));
        assert!(matches!(r, Err(InputError::Corrupt(_))));
        assert_eq!(guarded(|| Ok(3)), Ok(3));
    }

    #[test]
    fn open_errors_are_classified() {
        use calamine::{Error as E, OdsError, XlsError, XlsxError};
        assert_eq!(
            classify_open_error(&E::Xls(XlsError::Password)),
            InputError::Encrypted
        );
        assert_eq!(
            classify_open_error(&E::Xlsx(XlsxError::Password)),
            InputError::Encrypted
        );
        assert_eq!(
            classify_open_error(&E::Ods(OdsError::Password)),
            InputError::Encrypted
        );
        assert_eq!(
            classify_open_error(&E::Msg("Cannot detect file format")),
            InputError::NotWorkbook
        );
        assert!(matches!(
            classify_open_error(&E::Xlsx(XlsxError::XmlEof("sheetData"))),
            InputError::Corrupt(_)
        ));
        // every reason is one short line
        let e = classify_open_error(&E::Xls(XlsError::EoStream("x")));
        assert!(!e.to_string().contains('\n'));
    }
}
