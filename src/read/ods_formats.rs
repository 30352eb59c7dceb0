//! Extracts the number format codes of an `.ods` workbook's percentage and decimal cells (and its merged regions).
//!
//! calamine reads `office:value="0.85"` of a percentage cell as the bare number.
//! This scans `content.xml` once for cells whose `office:value-type` is
//! `percentage` (or `float` shown with decimals) and derives the format code
//! from the text LibreOffice displayed (`85%` → `0%`, `90.00%` → `0.00%`).
//! The codes are rendered by [`numfmt`](super::numfmt), as every container's
//! are. Anything odd gives fewer formats, never an error.

use super::grid::Merge;
use super::xls_formats::SheetFormats;
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Most repeated rows or columns expanded for one formatted cell.
const MAX_REPEAT: u32 = 1024;

/// Reads the derived number formats of every sheet; empty on anything unexpected.
pub(crate) fn read(bytes: &[u8]) -> OdsInfo {
    read_inner(bytes).unwrap_or_default()
}

/// What calamine does not tell about an ODS workbook.
#[derive(Debug, Default)]
pub(crate) struct OdsInfo {
    pub formats: SheetFormats,
    /// Merged regions (`table:number-rows-spanned` / `number-columns-spanned`) by sheet.
    pub merges: HashMap<String, Vec<Merge>>,
}

/// Most merged regions kept for one sheet.
const MAX_MERGES: usize = 100_000;

fn read_inner(bytes: &[u8]) -> Option<OdsInfo> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut xml = Vec::new();
    zip.by_name("content.xml")
        .ok()?
        .take(1 << 30)
        .read_to_end(&mut xml)
        .ok()?;
    Some(scan(&String::from_utf8_lossy(&xml)))
}

struct Tag<'a> {
    name: &'a str,
    attrs: &'a str,
    closing: bool,
    self_closing: bool,
}

/// The next tag at or after `pos`: (tag, position after it).
fn next_tag(s: &str, pos: usize) -> Option<(Tag<'_>, usize)> {
    let start = pos + s.get(pos..)?.find('<')?;
    let end = start + s[start..].find('>')?;
    let inner = &s[start + 1..end];
    let closing = inner.starts_with('/');
    let inner = inner.trim_start_matches('/');
    let self_closing = inner.ends_with('/');
    let inner = inner.trim_end_matches('/');
    let name_end = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    Some((
        Tag {
            name: &inner[..name_end],
            attrs: &inner[name_end..],
            closing,
            self_closing,
        },
        end + 1,
    ))
}

fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    loop {
        let i = rest.find(name)?;
        let before_ok = i == 0 || rest[..i].ends_with(char::is_whitespace);
        let after = &rest[i + name.len()..];
        if before_ok {
            if let Some(v) = after.strip_prefix("=\"") {
                return v.find('"').map(|e| &v[..e]);
            }
            if let Some(v) = after.strip_prefix("='") {
                return v.find('\'').map(|e| &v[..e]);
            }
        }
        rest = after;
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn repeat(attrs: &str, name: &str) -> u32 {
    attr(attrs, name)
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

/// The format code a displayed number implies for its value type.
/// The format code that shows a cell's value the way LibreOffice displayed it
/// (`shown`): the number's own pattern (decimals, thousands separator) with
/// the text around it as literals (`1,200场` → `#,##0"场"`, `10.5万人次` →
/// `0.0"万人次"`, `85%` → `0%`). A date or time is shown as displayed: its
/// code is the displayed text as one literal (`"2023年12月31日"`).
fn code_for(value_type: &str, shown: &str) -> Option<String> {
    let shown = shown.trim();
    if shown.is_empty() || shown.contains('"') || shown.contains('\\') {
        return None;
    }
    match value_type {
        "date" | "time" => return Some(format!("\"{shown}\"")),
        "percentage" | "float" | "currency" => {}
        _ => return None,
    }
    // The number: the first run of digits, with its separators and decimals.
    let start = shown.find(|c: char| c.is_ascii_digit())?;
    let end = start
        + shown[start..]
            .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
            .unwrap_or(shown.len() - start);
    let number = shown[start..end].trim_end_matches([',', '.']);
    let end = start + number.len();
    let (mut prefix, mut suffix) = (&shown[..start], &shown[end..]);
    // A minus sign belongs to the value, not to the literal text.
    if let Some(p) = prefix.strip_suffix('-') {
        prefix = p;
    }
    let percent = suffix.starts_with('%');
    if value_type == "percentage" && !percent {
        return None;
    }
    if percent {
        suffix = &suffix[1..];
    }
    let decimals = number.split_once('.').map(|(_, d)| d.len()).unwrap_or(0);
    let thousands = number.split('.').next().is_some_and(|i| i.contains(','));
    if !percent && prefix.is_empty() && suffix.is_empty() && decimals == 0 && !thousands {
        // Shown as the bare number: the general format says the same.
        return None;
    }
    let mut code = String::new();
    if !prefix.is_empty() {
        code.push_str(&format!("\"{prefix}\""));
    }
    code.push_str(if thousands { "#,##0" } else { "0" });
    if decimals > 0 {
        code.push('.');
        code.push_str(&"0".repeat(decimals));
    }
    if percent {
        code.push('%');
    }
    if !suffix.is_empty() {
        code.push_str(&format!("\"{suffix}\""));
    }
    Some(code)
}

fn scan(xml: &str) -> OdsInfo {
    let mut out = OdsInfo::default();
    let mut merges: Vec<Merge> = Vec::new();
    let mut sheet: Option<String> = None;
    let mut map: HashMap<(u32, u32), String> = HashMap::new();
    let mut row: u32 = 0;
    let mut row_rep: u32 = 1;
    let mut col: u32 = 0;
    // Formatted cells of the current row: (col, repeat, code).
    let mut row_cells: Vec<(u32, u32, String)> = Vec::new();
    // The open cell: (col, repeat, value type, shown text, in a paragraph, paragraphs seen).
    let mut cell: Option<(u32, u32, String, String, bool, u32)> = None;
    let mut pos = 0;
    while let Some((tag, next)) = next_tag(xml, pos) {
        // Text between the previous tag and this one belongs to an open paragraph.
        if let Some(c) = cell.as_mut() {
            if c.4 && c.5 == 1 {
                let text_start = pos;
                let text_end = xml[pos..].find('<').map(|i| pos + i).unwrap_or(pos);
                if text_end > text_start {
                    c.3.push_str(&unescape(&xml[text_start..text_end]));
                }
            }
        }
        pos = next;
        match (tag.name, tag.closing) {
            ("table:table", false) => {
                sheet = attr(tag.attrs, "table:name").map(unescape);
                map = HashMap::new();
                merges = Vec::new();
                row = 0;
            }
            ("table:table", true) => {
                if let Some(n) = sheet.take() {
                    out.formats.insert(n.clone(), std::mem::take(&mut map));
                    out.merges.insert(n, std::mem::take(&mut merges));
                }
            }
            ("table:table-row", false) => {
                row_rep = repeat(tag.attrs, "table:number-rows-repeated");
                col = 0;
                row_cells.clear();
                if tag.self_closing {
                    row = row.saturating_add(row_rep);
                }
            }
            ("table:table-row", true) => {
                for r in 0..row_rep.min(MAX_REPEAT) {
                    for (c, n, code) in &row_cells {
                        for k in 0..(*n).min(MAX_REPEAT) {
                            map.insert((row.saturating_add(r), c.saturating_add(k)), code.clone());
                        }
                    }
                }
                row = row.saturating_add(row_rep);
            }
            ("table:table-cell" | "table:covered-table-cell", false) => {
                let n = repeat(tag.attrs, "table:number-columns-repeated");
                let vt = attr(tag.attrs, "office:value-type").unwrap_or("");
                let rs = repeat(tag.attrs, "table:number-rows-spanned");
                let cs = repeat(tag.attrs, "table:number-columns-spanned");
                if (rs > 1 || cs > 1) && merges.len() < MAX_MERGES {
                    merges.push(Merge {
                        r0: row,
                        c0: col,
                        r1: row.saturating_add(rs - 1),
                        c1: col.saturating_add(cs - 1),
                    });
                }
                if tag.self_closing {
                    col = col.saturating_add(n);
                } else {
                    cell = Some((col, n, vt.to_string(), String::new(), false, 0));
                }
            }
            ("table:table-cell" | "table:covered-table-cell", true) => {
                if let Some((c, n, vt, shown, _, _)) = cell.take() {
                    if let Some(code) = code_for(&vt, &shown) {
                        row_cells.push((c, n, code));
                    }
                    col = c.saturating_add(n);
                }
            }
            ("text:p", false) => {
                if let Some(c) = cell.as_mut() {
                    c.5 += 1;
                    c.4 = !tag.self_closing;
                }
            }
            ("text:p", true) => {
                if let Some(c) = cell.as_mut() {
                    c.4 = false;
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_percent_and_decimal_formats_at_their_cells() {
        let xml = r#"<office:body><table:table table:name="表&amp;1">
<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="percentage" office:value="0.85"><text:p>85%</text:p></table:table-cell><table:covered-table-cell/><table:table-cell office:value-type="percentage" office:value="0.9042"><text:p>90.42%</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="90"><text:p>90.00</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell></table:table-row>
</table:table></office:body>"#;
        let info = scan(xml);
        let m = &info.formats["表&1"];
        assert_eq!(m.get(&(2, 2)).map(|s| s.as_str()), Some("0%"));
        assert_eq!(m.get(&(2, 4)).map(|s| s.as_str()), Some("0.00%"));
        assert_eq!(m.get(&(2, 5)).map(|s| s.as_str()), Some("0.00"));
        assert_eq!(m.len(), 3);
        // Regression: units and thousands shown by an .ods style were read as the bare number.
        assert_eq!(code_for("float", "1,200场").as_deref(), Some("#,##0\"场\""));
        assert_eq!(
            code_for("float", "10.5万人次").as_deref(),
            Some("0.0\"万人次\"")
        );
        assert_eq!(code_for("float", "8个").as_deref(), Some("0\"个\""));
        assert_eq!(code_for("float", "1,250").as_deref(), Some("#,##0"));
        assert_eq!(code_for("float", "-3人").as_deref(), Some("0\"人\""));
        assert_eq!(code_for("float", "≥95").as_deref(), Some("\"≥\"0"));
        assert_eq!(code_for("float", "3"), None);
        assert_eq!(
            code_for("date", "2023年12月31日").as_deref(),
            Some("\"2023年12月31日\"")
        );
        assert_eq!(code_for("string", "3人"), None);
        assert!(read(b"garbage").formats.is_empty());
        let xml = r#"<table:table table:name="S"><table:table-row><table:table-cell table:number-rows-spanned="3" office:value-type="string"><text:p>1</text:p></table:table-cell><table:table-cell table:number-columns-spanned="2"/></table:table-row></table:table>"#;
        let m = &scan(xml).merges["S"];
        assert_eq!(
            m.iter()
                .map(|m| (m.r0, m.c0, m.r1, m.c1))
                .collect::<Vec<_>>(),
            vec![(0, 0, 2, 0), (0, 1, 0, 2)]
        );
    }
}
