//! Merged regions of every sheet of an xlsx/xlsm, found without a second XML parse.
//!
//! calamine's `merge_cells_by_sheet_name` parses a sheet's whole XML again to
//! reach `<mergeCells>` at its end, doubling the cost of reading a large sheet.
//! This inflates each sheet part and finds the `<mergeCell ref=…>` tags with a
//! byte regex; it runs on its own thread beside the cell stream. `None` when
//! anything is unexpected: the caller then asks calamine.

use super::grid::Merge;
use regex::bytes::Regex;
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// The patterns, compiled once per process (compiling them cost more than
/// scanning a department-sized file).
struct Patterns {
    rels: Regex,
    id: Regex,
    target: Regex,
    sheet: Regex,
    name: Regex,
    rid: Regex,
    needle: Regex,
    merge: Regex,
}

static PATTERNS: std::sync::LazyLock<Patterns> = std::sync::LazyLock::new(|| {
    // ASCII classes (`(?-u)`): the tags and attributes are ASCII, and
    // Unicode `\w`/`\s`/`\b` made compiling these cost more than scanning a
    // department-sized sheet.
    let re = |p: &str| Regex::new(&format!("(?-u){p}")).expect("fixed pattern");
    Patterns {
        rels: re(r#"<(?:\w+:)?Relationship\b[^>]*>"#),
        id: re(r#"\bId\s*=\s*"([^"]*)""#),
        target: re(r#"\bTarget\s*=\s*"([^"]*)""#),
        sheet: re(r#"<(?:\w+:)?sheet\b[^>]*>"#),
        name: re(r#"\sname\s*=\s*"([^"]*)""#),
        rid: re(r#"\s\w+:id\s*=\s*"([^"]*)""#),
        needle: re("mergeCell"),
        merge: re(r#"<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*"([^"]*)""#),
    }
});

/// Merges by sheet name, or `None` to fall back to calamine.
pub(crate) fn read(bytes: &[u8], names: &[String]) -> Option<HashMap<String, Vec<Merge>>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut part = |name: &str| -> Option<Vec<u8>> {
        let mut out = Vec::new();
        zip.by_name(name)
            .ok()?
            .take(2 << 30)
            .read_to_end(&mut out)
            .ok()?;
        Some(out)
    };
    let re = &*PATTERNS;
    let (rels_re, id_re, target_re, sheet_re, name_re, rid_re, needle, merge_re) = (
        &re.rels, &re.id, &re.target, &re.sheet, &re.name, &re.rid, &re.needle, &re.merge,
    );

    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let rels = part("xl/_rels/workbook.xml.rels")?;
    let mut targets: HashMap<String, String> = HashMap::new();
    for m in rels_re.find_iter(&rels) {
        let tag = m.as_bytes();
        let id = id_re.captures(tag)?.get(1)?.as_bytes();
        let target = target_re.captures(tag)?.get(1)?.as_bytes();
        let target = text(target);
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{}", target.trim_start_matches("./")),
        };
        targets.insert(text(id), path);
    }
    let workbook = part("xl/workbook.xml")?;
    let mut paths: HashMap<String, String> = HashMap::new();
    for m in sheet_re.find_iter(&workbook) {
        let tag = m.as_bytes();
        let name = unescape(&text(name_re.captures(tag)?.get(1)?.as_bytes()));
        let rid = text(rid_re.captures(tag)?.get(1)?.as_bytes());
        paths.insert(name, targets.get(&rid)?.clone());
    }
    let mut out = HashMap::new();
    for n in names {
        let path = paths.get(n)?;
        let xml = merge_section(zip.by_name(path).ok()?.take(2 << 30), needle)?;
        let mut merges = Vec::new();
        for c in merge_re.captures_iter(&xml) {
            let r = text(c.get(1)?.as_bytes());
            merges.push(parse_ref(&r)?);
        }
        out.insert(n.clone(), merges);
    }
    Some(out)
}

/// The part's XML from the `<` that opens its first `mergeCell` tag to the
/// end (empty when there is none), streamed: the cells before it (almost the
/// whole sheet) are inflated chunk by chunk and never held. Every match of the
/// merge pattern in the whole part starts at or after that `<`, so matching
/// this tail finds exactly the same merges.
fn merge_section(mut r: impl Read, needle: &Regex) -> Option<Vec<u8>> {
    /// Bytes kept from the previous chunk: a needle split between two chunks
    /// and the tag's `<prefix:` before it.
    const KEEP: usize = 4096;
    let mut buf: Vec<u8> = Vec::with_capacity(KEEP + (256 << 10));
    let mut chunk = vec![0u8; 256 << 10];
    let mut dropped = false;
    loop {
        let k = r.read(&mut chunk).ok()?;
        if k == 0 {
            return Some(Vec::new());
        }
        buf.extend_from_slice(&chunk[..k]);
        if let Some(pos) = needle.find(&buf).map(|m| m.start()) {
            // Its tag's `<`: past a namespace prefix, never past another `<`.
            let lt = buf[..pos].iter().rposition(|&b| b == b'<');
            let start = match lt {
                Some(i) => i,
                // No `<` within the kept bytes: an absurd prefix; let calamine decide.
                None if dropped => return None,
                None => 0,
            };
            let mut out = buf.split_off(start);
            r.read_to_end(&mut out).ok()?;
            return Some(out);
        }
        if buf.len() > KEEP {
            buf.drain(..buf.len() - KEEP);
            dropped = true;
        }
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// `A1` → (row, col), 0-based.
fn parse_cell(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().trim_start_matches('$');
    let split = s.find(|c: char| c.is_ascii_digit())?;
    let letters = s[..split].trim_end_matches('$');
    let col = crate::model::col_index(letters)?;
    let row: u32 = s[split..].parse().ok()?;
    Some((row.checked_sub(1)?, col))
}

/// `A1:B2` → a merge (a single cell gives a 1×1 region).
fn parse_ref(r: &str) -> Option<Merge> {
    let (a, b) = r.split_once(':').unwrap_or((r, r));
    let (r0, c0) = parse_cell(a)?;
    let (r1, c1) = parse_cell(b)?;
    Some(Merge {
        r0: r0.min(r1),
        c0: c0.min(c1),
        r1: r0.max(r1),
        c1: c0.max(c1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_refs() {
        assert_eq!(
            parse_ref("A3:A5"),
            Some(Merge {
                r0: 2,
                c0: 0,
                r1: 4,
                c1: 0
            })
        );
        assert_eq!(parse_ref("$G$3:I3").map(|m| (m.c0, m.c1)), Some((6, 8)));
        assert_eq!(parse_ref("A0:B1"), None);
        assert!(read(b"junk", &[]).is_none());
    }

    #[test]
    fn merge_section_is_the_tail_from_the_first_merge_tag() {
        let needle = Regex::new("mergeCell").unwrap();
        // Tags across chunk boundaries and deep into a long part.
        let cells = "<c r=\"A1\"><v>1</v></c>".repeat(40_000);
        let xml = format!("<worksheet><sheetData>{cells}</sheetData><x:mergeCells count=\"1\"><x:mergeCell ref=\"A1:B2\"/></x:mergeCells></worksheet>");
        let tail = merge_section(xml.as_bytes(), &needle).unwrap();
        assert!(tail.starts_with(b"<x:mergeCells count"));
        assert!(xml.as_bytes().ends_with(&tail));
        assert!(merge_section(&b"<a><b/></a>"[..], &needle)
            .unwrap()
            .is_empty());
    }

    #[test]
    fn finds_merges_of_each_sheet_by_name() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let f = rust_xlsxwriter::Format::new();
        let a = wb.add_worksheet();
        a.set_name("表 & 一").unwrap();
        a.merge_range(2, 0, 4, 0, "x", &f).unwrap();
        a.merge_range(2, 6, 2, 8, "y", &f).unwrap();
        wb.add_worksheet().write_string(0, 0, "z").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let names = vec!["表 & 一".to_string(), "Sheet2".to_string()];
        let m = read(&bytes, &names).unwrap();
        let first: Vec<(u32, u32, u32, u32)> = m["表 & 一"]
            .iter()
            .map(|m| (m.r0, m.c0, m.r1, m.c1))
            .collect();
        assert_eq!(first, vec![(2, 0, 4, 0), (2, 6, 2, 8)]);
        assert!(m["Sheet2"].is_empty());
    }
}
