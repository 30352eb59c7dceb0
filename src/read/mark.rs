//! Tells a workbook jixiao wrote, and which kind, from the mark in its document properties.
//!
//! Every workbook jixiao writes carries `jixiao:KIND` in its keywords
//! (`docProps/core.xml`; see `write::save`). A workbook counts as jixiao's
//! only while untouched: once someone saves it in a spreadsheet program (its
//! modified time or last author changes), it is theirs — a filled-in
//! template is a submission.

use std::io::{Cursor, Read};

/// The prefix of the mark's keyword.
pub const MARK_PREFIX: &str = "jixiao:";

/// The kind of workbook jixiao wrote: the word after [`MARK_PREFIX`]
/// (`summary`, `diff`, `marked`, `table`), when `bytes` is an xlsx jixiao
/// wrote and nobody saved since.
pub fn jixiao_kind(bytes: &[u8]) -> Option<String> {
    mark(bytes).and_then(|(kind, untouched)| untouched.then_some(kind))
}

/// The mark's kind, and whether the workbook is untouched since jixiao wrote it.
fn mark(bytes: &[u8]) -> Option<(String, bool)> {
    if !bytes.starts_with(b"PK") {
        return None;
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut core = String::new();
    zip.by_name("docProps/core.xml")
        .ok()?
        .take(64 * 1024)
        .read_to_string(&mut core)
        .ok()?;
    let keywords = element(&core, "cp:keywords")?;
    let kind = keywords.trim().strip_prefix(MARK_PREFIX)?;
    let untouched = element(&core, "dc:creator") == Some("jixiao")
        && element(&core, "cp:lastModifiedBy").is_none_or(|m| m == "jixiao")
        && element(&core, "dcterms:created") == element(&core, "dcterms:modified");
    (!kind.is_empty()).then(|| (kind.to_string(), untouched))
}

/// True when `bytes` is a workbook jixiao wrote (any kind), untouched since.
pub fn written_by_jixiao(bytes: &[u8]) -> bool {
    jixiao_kind(bytes).is_some()
}

/// True when `bytes` is one of jixiao's reports, never a submission: the
/// collection's summary or a diff (even saved since in a spreadsheet
/// program), or a marked workbook untouched since (a department may fix the
/// marked table and send it in). A restyled table or a template is a
/// submission to be.
#[cfg(feature = "cli")]
pub fn is_jixiao_report(bytes: &[u8]) -> bool {
    match mark(bytes) {
        Some((kind, untouched)) => match kind.as_str() {
            "summary" | "diff" => true,
            "marked" => untouched,
            _ => false,
        },
        None => false,
    }
}

/// The text of the first `<name …>text</name>` in `xml`.
fn element<'a>(xml: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}");
    let start = xml.find(&open)?;
    let rest = &xml[start + open.len()..];
    if !rest.starts_with(['>', ' ']) {
        return None;
    }
    let body = &rest[rest.find('>')? + 1..];
    let end = body.find(&format!("</{name}>"))?;
    Some(&body[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_elements() {
        let xml = r#"<cp:keywords>jixiao:diff</cp:keywords><dcterms:created xsi:type="x">1</dcterms:created>"#;
        assert_eq!(element(xml, "cp:keywords"), Some("jixiao:diff"));
        assert_eq!(element(xml, "dcterms:created"), Some("1"));
        assert_eq!(element(xml, "dcterms:modified"), None);
        assert!(!written_by_jixiao(b"not a zip"));
    }

    fn xlsx_with_core(core: &str) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file(
            "docProps/core.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(core.as_bytes()).unwrap();
        w.finish().unwrap().into_inner()
    }

    fn core(kind: &str, modified_by: &str, modified: &str) -> String {
        format!(
            "<cp:coreProperties><dc:creator>jixiao</dc:creator><cp:keywords>jixiao:{kind}</cp:keywords>\
             <cp:lastModifiedBy>{modified_by}</cp:lastModifiedBy>\
             <dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-01-01T00:00:00Z</dcterms:created>\
             <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{modified}</dcterms:modified></cp:coreProperties>"
        )
    }

    #[test]
    fn reports_are_skipped_tables_and_touched_marked_workbooks_are_not() {
        let t0 = "2026-01-01T00:00:00Z";
        let later = "2026-02-01T00:00:00Z";
        let fresh = |k: &str| xlsx_with_core(&core(k, "jixiao", t0));
        let saved = |k: &str| xlsx_with_core(&core(k, "张三", later));
        for k in ["summary", "diff", "marked"] {
            assert!(is_jixiao_report(&fresh(k)), "{k}");
            assert!(written_by_jixiao(&fresh(k)), "{k}");
        }
        assert!(!is_jixiao_report(&fresh("table")));
        assert!(written_by_jixiao(&fresh("table")));
        // Saved by someone since: a filled-in template or marked table is theirs.
        assert!(!written_by_jixiao(&saved("table")));
        assert!(!is_jixiao_report(&saved("marked")));
        assert!(is_jixiao_report(&saved("summary")));
        assert!(!written_by_jixiao(&xlsx_with_core("<cp:coreProperties/>")));
    }
}
