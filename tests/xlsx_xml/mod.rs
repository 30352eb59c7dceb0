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
