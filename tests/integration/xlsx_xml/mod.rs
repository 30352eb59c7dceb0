//! Reading a written workbook back by content: its zip parts and the bits of their XML the tests check.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{Cursor, Read};

/// One part of the workbook's zip (`xl/worksheets/sheet1.xml`) as text.
pub fn unzip(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut f = z
        .by_name(name)
        .unwrap_or_else(|_| panic!("no {name} in the workbook"));
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

/// XML text with its five entities resolved.
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in an element's opening text.
pub fn attr(head: &str, name: &str) -> Option<String> {
    head.split(&format!(" {name}=\""))
        .nth(1)
        .map(|s| unescape(s.split('"').next().unwrap()))
}

/// The `<t>` texts inside an XML fragment, joined (runs `<t>…</t>` or
/// `<t xml:space="preserve">…</t>`, not `<text>`).
pub fn texts(xml: &str) -> String {
    let mut text = String::new();
    for t in xml.split("<t").skip(1) {
        if !(t.starts_with('>') || t.starts_with(' ')) {
            continue;
        }
        let t = &t[t.find('>').unwrap() + 1..];
        text.push_str(&unescape(&t[..t.find("</t>").unwrap()]));
    }
    text
}

/// The notes of a comments part: cell → text.
pub fn comments(xml: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for part in xml.split("<comment ").skip(1) {
        let head = format!(" {}", &part[..part.find('>').unwrap()]);
        let body = &part[..part.find("</comment>").unwrap()];
        out.insert(attr(&head, "ref").unwrap(), texts(body));
    }
    out
}

/// The internal hyperlinks of a sheet's XML: cell → location.
pub fn hyperlinks(xml: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for part in xml.split("<hyperlink ").skip(1) {
        let head = format!(" {}", &part[..part.find('>').unwrap()]);
        if let (Some(r), Some(loc)) = (attr(&head, "ref"), attr(&head, "location")) {
            out.insert(r, loc);
        }
    }
    out
}

/// The merged ranges of a sheet's XML (`A1:G1`).
pub fn merges(sheet_xml: &str) -> std::collections::BTreeSet<String> {
    sheet_xml
        .split("<mergeCell ref=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

/// The first `<tag …>` element's opening text.
pub fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{tag} "))?;
    let end = xml[start..].find('>')? + start;
    Some(&xml[start..=end])
}

/// The `<xf …>…</xf>` (or `<xf …/>`) of a cell's style, from the workbook's styles part.
pub fn cell_xf(bytes: &[u8], sheet_xml: &str, cell: &str) -> Option<String> {
    let at = sheet_xml.find(&format!("<c r=\"{cell}\""))?;
    let head = &sheet_xml[at..at + sheet_xml[at..].find('>')?];
    let s: usize = attr(head, "s").map_or(Some(0), |s| s.parse().ok())?;
    let styles = unzip(bytes, "xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs")?..];
    let xfs = &xfs[..xfs.find("</cellXfs>")?];
    let xf = xfs.split("<xf ").nth(s + 1)?;
    let end = xf.find("</xf>").or_else(|| xf.find("/>"))?;
    Some(format!("<xf {}", &xf[..end]))
}

/// Whether a cell is locked (Excel's default unless its style says `locked="0"`).
pub fn locked(bytes: &[u8], sheet_xml: &str, cell: &str) -> bool {
    !cell_xf(bytes, sheet_xml, cell)
        .unwrap_or_else(|| panic!("no cell {cell}"))
        .contains(r#"locked="0""#)
}

/// The `<dataValidation …>…</dataValidation>` elements of a sheet.
pub fn data_validations(sheet_xml: &str) -> Vec<String> {
    sheet_xml
        .split("<dataValidation ")
        .skip(1)
        .map(|d| {
            let end = d.find("</dataValidation>").unwrap_or(d.len());
            format!("<dataValidation {}", &d[..end])
        })
        .collect()
}

/// The `<c r="…">` element of a cell (opening tag to `</c>`), if written.
pub fn cell_xml<'a>(sheet_xml: &'a str, cell: &str) -> Option<&'a str> {
    let at = sheet_xml.find(&format!("<c r=\"{cell}\""))?;
    let rest = &sheet_xml[at..];
    let open = rest.find('>')?;
    if rest[..open].ends_with('/') {
        return Some(&rest[..=open]);
    }
    Some(&rest[..rest.find("</c>")? + 4])
}

pub mod project;
