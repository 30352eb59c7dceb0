//! Extracts the number format code of each numeric cell of an `.xls` (BIFF8) workbook.
//!
//! calamine does not expose cell formats for `.xls`, but a percentage stored as
//! `0.85` with format `0%` must read as `85%`. This walks the workbook stream's
//! records once: FORMAT and XF in the globals, then each sheet's numeric cell
//! records (NUMBER, RK, MULRK, FORMULA) for their XF index; a built-in format id
//! is looked up in [`builtin_format_code`]. Rendering is
//! [`numfmt`](super::numfmt)'s job. Anything odd gives an empty map (the numbers
//! then render without a format), never an error.

use super::numfmt::builtin_format_code;
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Per sheet name: (0-based row, col) → number format code, for numeric cells
/// whose format is not General.
pub(crate) type SheetFormats = HashMap<String, HashMap<(u32, u32), String>>;

/// Reads the number formats of every sheet; empty on anything unexpected.
pub(crate) fn read(bytes: &[u8]) -> SheetFormats {
    read_inner(bytes).unwrap_or_default()
}

fn read_inner(bytes: &[u8]) -> Option<SheetFormats> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let name = if cf.exists("/Workbook") {
        "/Workbook"
    } else if cf.exists("/Book") {
        "/Book"
    } else {
        return None;
    };
    let mut stream = cf.open_stream(name).ok()?;
    let mut data = Vec::new();
    // The workbook stream of a legitimate file is far below this.
    stream
        .by_ref()
        .take(512 << 20)
        .read_to_end(&mut data)
        .ok()?;

    let mut formats: HashMap<u16, String> = HashMap::new();
    let mut xf_fmt: Vec<u16> = Vec::new();
    let mut sheets: Vec<(u32, String)> = Vec::new();
    // Globals substream: up to the first EOF.
    let mut pos = 0usize;
    while let Some((typ, body, next)) = record(&data, pos) {
        pos = next;
        match typ {
            0x000A => break, // EOF
            0x041E if body.len() >= 5 => {
                let id = u16le(body, 0);
                if let Some(s) = unicode_string(&body[2..], true) {
                    formats.insert(id, s);
                }
            }
            0x00E0 if body.len() >= 4 => {
                xf_fmt.push(u16le(body, 2));
            }
            0x0085 if body.len() >= 8 => {
                let off = u32::from_le_bytes([body[0], body[1], body[2], body[3]]);
                if let Some(n) = unicode_string(&body[6..], false) {
                    sheets.push((off, n));
                }
            }
            _ => {}
        }
    }
    let code_of = |xf: u16| -> Option<String> {
        let id = *xf_fmt.get(xf as usize)?;
        let code = formats
            .get(&id)
            .cloned()
            .or_else(|| builtin_format_code(u32::from(id)).map(str::to_string))?;
        (code != "General" && !code.is_empty()).then_some(code)
    };
    let mut out = SheetFormats::new();
    for (off, sheet) in sheets {
        let mut map = HashMap::new();
        let mut pos = off as usize;
        let mut first = true;
        while let Some((typ, body, next)) = record(&data, pos) {
            pos = next;
            if first {
                first = false;
                if typ != 0x0809 {
                    break;
                }
                continue;
            }
            match typ {
                0x000A => break,
                // NUMBER, RK, FORMULA: row, col, xf
                0x0203 | 0x027E | 0x0006 if body.len() >= 6 => {
                    let (r, c, xf) = (u16le(body, 0), u16le(body, 2), u16le(body, 4));
                    if let Some(code) = code_of(xf) {
                        map.insert((r as u32, c as u32), code);
                    }
                }
                // MULRK: row, first col, (xf, rk)*, last col
                0x00BD if body.len() >= 6 => {
                    let r = u16le(body, 0);
                    let c0 = u16le(body, 2);
                    let n = (body.len() - 6) / 6;
                    for i in 0..n {
                        let xf = u16le(body, 4 + i * 6);
                        if let Some(code) = code_of(xf) {
                            map.insert((r as u32, c0 as u32 + i as u32), code);
                        }
                    }
                }
                _ => {}
            }
        }
        out.insert(sheet, map);
    }
    Some(out)
}

fn u16le(b: &[u8], at: usize) -> u16 {
    match b.get(at..at + 2) {
        Some(s) => u16::from_le_bytes([s[0], s[1]]),
        None => 0,
    }
}

/// One record at `pos`: (type, body, next position).
fn record(data: &[u8], pos: usize) -> Option<(u16, &[u8], usize)> {
    let head = data.get(pos..pos.checked_add(4)?)?;
    let typ = u16::from_le_bytes([head[0], head[1]]);
    let len = u16::from_le_bytes([head[2], head[3]]) as usize;
    let end = pos + 4 + len;
    let body = data.get(pos + 4..end)?;
    Some((typ, body, end))
}

/// An XLUnicodeString (`wide_len`: 16-bit count) or ShortXLUnicodeString (8-bit count).
fn unicode_string(b: &[u8], wide_len: bool) -> Option<String> {
    let (cch, rest) = if wide_len {
        (u16le(b, 0) as usize, b.get(2..)?)
    } else {
        (*b.first()? as usize, b.get(1..)?)
    };
    let flags = *rest.first()?;
    let chars = rest.get(1..)?;
    if flags & 1 == 1 {
        let units: Vec<u16> = chars
            .chunks_exact(2)
            .take(cch)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(chars.iter().take(cch).map(|&c| c as char).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_gives_no_formats() {
        assert!(read(b"not a compound file").is_empty());
        assert!(record(&[1, 0, 9, 0, 1], 0).is_none());
        assert_eq!(
            unicode_string(&[2, 0, 0, b'a', b'%'], true).as_deref(),
            Some("a%")
        );
        assert_eq!(
            unicode_string(&[1, 1, 0x2d, 0x4e], false).as_deref(),
            Some("中")
        );
    }
}
