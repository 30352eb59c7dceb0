//! Broken and hostile inputs through the binary: each is refused with exit code 2, one line on
//! stderr naming the file as given and saying why in words a clerk understands, no output
//! file left behind, and quickly.

use assert_cmd::Command;
use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

/// Generous: the slowest case (inflating nothing, refusing a bomb) takes well under a second.
const BOUND: Duration = Duration::from_secs(20);

/// Runs `jixiao import NAME -o out.json` on `bytes` saved as `name` in a fresh directory and
/// checks everything every refusal must satisfy; returns stderr's one line.
fn refused(name: &str, bytes: &[u8], expected: &[&str]) -> String {
    refused_with(name, |p| std::fs::write(p, bytes).unwrap(), expected)
}

/// As [`refused`], with the input file made by `make`.
fn refused_with(name: &str, make: impl FnOnce(&Path), expected: &[&str]) -> String {
    refused_args(name, make, &[], expected)
}

/// As [`refused_with`], with more options for `import`.
fn refused_args(name: &str, make: impl FnOnce(&Path), more: &[&str], expected: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    make(&dir.path().join(name));
    let started = Instant::now();
    let out = Command::cargo_bin("jixiao")
        .unwrap()
        .current_dir(dir.path())
        .args(["import", name, "-o", "out.json"])
        .args(more)
        .timeout(BOUND)
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{name}: exit {:?}, stderr {stderr:?}",
        out.status
    );
    assert!(elapsed < BOUND, "{name}: took {elapsed:?}");
    let line = stderr.strip_suffix('\n').unwrap_or(&stderr);
    assert!(!line.is_empty(), "{name}: nothing on stderr");
    assert!(
        !line.contains('\n'),
        "{name}: more than one line: {stderr:?}"
    );
    assert!(
        line.starts_with(&format!("{name}: ")),
        "{name}: does not start with the path: {line}"
    );
    assert!(
        expected.iter().any(|e| line.contains(e)),
        "{name}: expected one of {expected:?} in {line}"
    );
    assert!(
        !line.contains("panicked") && !line.contains("Error {") && !line.contains("error:"),
        "{name}: not for a clerk: {line}"
    );
    assert_no_output(dir.path());
    assert!(out.stdout.is_empty(), "{name}: printed to stdout");
    line.to_string()
}

fn assert_no_output(dir: &Path) {
    let left: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !dir.join("out.json").exists(),
        "out.json left behind: {left:?}"
    );
    assert_eq!(left.len(), 1, "files left behind: {left:?}");
}

const DAMAGED: &str = "文件已损坏或不完整";
const NOT_WORKBOOK: &str = "不是 Excel 或 WPS 表格文件";
const ENCRYPTED: &str = "文件已加密";
const TOO_LARGE: &str = "文件过大或结构异常";
const NO_TABLE: &str = "未找到绩效目标表";

// ---------------------------------------------------------------------------------------------
// builders

fn xlsx_with(rows: &[&[&str]]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// A plausible xlsx: title, a unit line and some text (not necessarily our table).
fn some_xlsx() -> Vec<u8> {
    xlsx_with(&[
        &["2026年教育局部门预算整体绩效目标表"],
        &["填报单位：教育局"],
        &["职责序号", "部门职责", "职责目标"],
        &["1", "教育管理", "提高教育质量"],
    ])
}

fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(false)
}

/// Copies `base`'s entries into a new zip and adds `extra`.
fn zip_plus(base: &[u8], extra: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(Cursor::new(base)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut v = Vec::new();
        f.read_to_end(&mut v).unwrap();
        w.start_file(name, deflated()).unwrap();
        w.write_all(&v).unwrap();
    }
    for (n, d) in extra {
        w.start_file(*n, deflated()).unwrap();
        w.write_all(d).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Rewrites the uncompressed size that entry `name` declares in the central directory.
fn declare_size(zip: &mut [u8], name: &[u8], size: u32) {
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
    panic!("no entry {}", String::from_utf8_lossy(name));
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

fn biff_record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = typ.to_le_bytes().to_vec();
    v.extend_from_slice(&(data.len() as u16).to_le_bytes());
    v.extend_from_slice(data);
    v
}

/// A minimal BIFF8 Workbook stream with one sheet and one number cell; `filepass` marks it
/// encrypted (RC4) as Excel does for "Encrypt with password".
fn xls_stream(filepass: bool) -> Vec<u8> {
    xls_stream_with(filepass, &[(0, 0)])
}

fn xls_stream_with(filepass: bool, cells: &[(u16, u16)]) -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = vec![0x00, 0x06];
        d.extend_from_slice(&dt.to_le_bytes());
        d.extend_from_slice(&[0; 12]);
        biff_record(0x0809, &d)
    };
    let mut g = bof(0x0005);
    if filepass {
        g.extend(biff_record(0x002F, &[1, 0, 1, 0, 1, 0]));
    }
    let pos = (g.len() + 4 + 9 + 4) as u32;
    let mut bs = pos.to_le_bytes().to_vec();
    bs.extend_from_slice(&[0, 0, 1, 0, b'S']);
    g.extend(biff_record(0x0085, &bs));
    g.extend(biff_record(0x000A, &[]));
    g.extend(bof(0x0010));
    for (r, c) in cells {
        let mut n = r.to_le_bytes().to_vec();
        n.extend_from_slice(&c.to_le_bytes());
        n.extend_from_slice(&[0, 0]);
        n.extend_from_slice(&1.5f64.to_le_bytes());
        g.extend(biff_record(0x0203, &n));
    }
    g.extend(biff_record(0x000A, &[]));
    g
}

/// 64 KiB of deterministic "random" bytes (xorshift), not starting with any known signature.
fn random_file() -> Vec<u8> {
    // deterministic "random" bytes (xorshift), not starting with any known signature
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..64 * 1024)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            (s >> 24) as u8
        })
        .collect()
}

/// A zip that is a Word document.
fn docx_like() -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file("[Content_Types].xml", deflated()).unwrap();
    w.write_all(br#"<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    w.start_file("word/document.xml", deflated()).unwrap();
    w.write_all(b"<w:document/>").unwrap();
    w.finish().unwrap().into_inner()
}

/// 300 MiB of spaces deflated to ~300 KB inside an xlsx.
fn zip_bomb() -> Vec<u8> {
    // 300 MiB of spaces deflate to ~300 KB: refused from the central directory, never inflated
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let base = some_xlsx();
    let mut z = zip::ZipArchive::new(Cursor::new(&base[..])).unwrap();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut v = Vec::new();
        f.read_to_end(&mut v).unwrap();
        w.start_file(name, deflated()).unwrap();
        w.write_all(&v).unwrap();
    }
    w.start_file("xl/worksheets/sheet2.xml", deflated())
        .unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..300 {
        w.write_all(&chunk).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// One row repeated a million times with a thousand filled cells: ~1 KB of XML.
fn ods_bomb() -> Vec<u8> {
    // one row repeated a million times with a thousand filled cells: ~1 KB of XML
    let content = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S">"#,
        r#"<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"/></table:table-row>"#,
        r#"</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file(
        "mimetype",
        SimpleFileOptions::default().compression_method(CompressionMethod::Stored),
    )
    .unwrap();
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    w.start_file("content.xml", deflated()).unwrap();
    w.write_all(content.as_bytes()).unwrap();
    w.start_file("META-INF/manifest.xml", deflated()).unwrap();
    w.write_all(br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>"#)
        .unwrap();
    w.finish().unwrap().into_inner()
}

/// The hostile corpus for other front ends (`jixiao serve`'s upload): a
/// file name, its bytes, and a text its refusal contains.
pub(crate) fn corpus() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let x = some_xlsx();
    let mut huge_entry = some_xlsx();
    declare_size(&mut huge_entry, b"xl/worksheets/sheet1.xml", u32::MAX - 1);
    let names: Vec<String> = (0..10_001)
        .map(|i| format!("customXml/item{i}.xml"))
        .collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    vec![
        ("空.xlsx", Vec::new(), "文件是空的"),
        ("截断.xlsx", x[..x.len() / 2].to_vec(), DAMAGED),
        ("随机.xlsx", random_file(), NOT_WORKBOOK),
        (
            "改名.xlsx",
            "职责序号,部门职责\n1,教育管理\n".as_bytes().to_vec(),
            NOT_WORKBOOK,
        ),
        ("文档.xlsx", docx_like(), NOT_WORKBOOK),
        (
            "加密.xlsx",
            cfb_of(&[
                ("EncryptionInfo", &[4, 0, 4, 0, 0x40, 0, 0, 0][..]),
                ("EncryptedPackage", &[0x5A; 8192][..]),
            ]),
            ENCRYPTED,
        ),
        (
            "加密.xls",
            cfb_of(&[("Workbook", &xls_stream(true))]),
            ENCRYPTED,
        ),
        ("炸弹.xlsx", zip_bomb(), TOO_LARGE),
        ("巨大条目.xlsx", huge_entry, TOO_LARGE),
        ("条目过多.xlsx", zip_plus(&some_xlsx(), &entries), TOO_LARGE),
        (
            "整表.xls",
            cfb_of(&[(
                "Workbook",
                &xls_stream_with(false, &[(0, 0), (65_535, 255)]),
            )]),
            TOO_LARGE,
        ),
        ("重复.ods", ods_bomb(), TOO_LARGE),
        (
            "签到表.xlsx",
            xlsx_with(&[
                &["会议签到表"],
                &["姓名", "单位", "电话"],
                &["张三", "教育局", "12345678"],
            ]),
            NO_TABLE,
        ),
    ]
}

// ---------------------------------------------------------------------------------------------
// one test per broken-input class

#[test]
fn empty_file() {
    refused("教育局.xlsx", b"", &["文件是空的"]);
}

#[test]
fn truncated_xlsx() {
    let x = some_xlsx();
    let line = refused("教育局.xlsx", &x[..x.len() / 2], &[DAMAGED]);
    assert!(line.contains("压缩包"), "{line}");
}

#[test]
fn random_bytes() {
    let bytes = random_file();
    refused("财政局.xlsx", &bytes, &[NOT_WORKBOOK]);
}

#[test]
fn csv_renamed_xlsx() {
    refused(
        "教育局.xlsx",
        "职责序号,部门职责,职责目标\n1,教育管理,提高教育质量\n".as_bytes(),
        &[NOT_WORKBOOK],
    );
}

#[test]
fn html_renamed_xls() {
    // what many web systems export as "Excel"
    let html = r#"<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head><body><table><tr><td>职责序号</td><td>部门职责</td></tr></table></body></html>"#;
    refused("教育局.xls", html.as_bytes(), &[NOT_WORKBOOK]);
}

#[test]
fn docx_like_zip() {
    let bytes = docx_like();
    refused("教育局.xlsx", &bytes, &[NOT_WORKBOOK]);
}

#[test]
fn encrypted_ooxml() {
    // Excel's "Encrypt with password": an OLE compound file wrapping the encrypted package
    let bytes = cfb_of(&[
        ("EncryptionInfo", &[4, 0, 4, 0, 0x40, 0, 0, 0][..]),
        ("EncryptedPackage", &[0x5A; 8192][..]),
    ]);
    let line = refused("教育局.xlsx", &bytes, &[ENCRYPTED]);
    assert_eq!(line, "教育局.xlsx: 文件已加密，请去除密码后重新提交");
}

#[test]
fn encrypted_xls() {
    let bytes = cfb_of(&[("Workbook", &xls_stream(true))]);
    refused("教育局.xls", &bytes, &[ENCRYPTED]);
}

#[test]
fn word_document_renamed_xls() {
    let bytes = cfb_of(&[("WordDocument", &[0u8; 1024][..])]);
    refused("教育局.xls", &bytes, &[NOT_WORKBOOK]);
}

#[test]
fn zip_bomb_compressing_extremely() {
    let bytes = zip_bomb();
    assert!(bytes.len() < 2 << 20, "bomb is {} bytes", bytes.len());
    let line = refused("教育局.xlsx", &bytes, &[TOO_LARGE]);
    assert!(line.contains("压缩"), "{line}");
}

#[test]
fn zip_declaring_a_huge_entry() {
    // the central directory claims the sheet is ~4 GiB
    let mut bytes = some_xlsx();
    declare_size(&mut bytes, b"xl/worksheets/sheet1.xml", u32::MAX - 1);
    refused("教育局.xlsx", &bytes, &[TOO_LARGE]);
}

#[test]
fn zip_lying_about_a_small_entry() {
    // the central directory claims 100 bytes; the data inflates to 2 MB
    let big = vec![b'x'; 2_000_000];
    let mut bytes = zip_plus(&some_xlsx(), &[("xl/media/image1.bin", &big)]);
    declare_size(&mut bytes, b"xl/media/image1.bin", 100);
    refused("教育局.xlsx", &bytes, &[DAMAGED]);
}

/// Regression guard for reading a large xlsx's worksheet while calamine opens the file: the
/// worksheet part is proven on another thread then, and a sheet that does not inflate to
/// what it declares must still be refused before a cell of it is read.
#[test]
fn large_xlsx_whose_sheet_lies_about_its_size() {
    let t = jixiao::synth::table(7, 6_000, "教育局", 2026);
    let tpl = jixiao::Template::default_template();
    let mut bytes = jixiao::write::official_workbook(&[(&t, &tpl)]).unwrap();
    // Over the size below which a file is read on one thread (256 KiB).
    assert!(bytes.len() > 300 << 10, "{} bytes", bytes.len());
    let sheet = b"xl/worksheets/sheet1.xml";
    let size = {
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        let mut f = zip.by_name("xl/worksheets/sheet1.xml").unwrap();
        let mut all = Vec::new();
        f.read_to_end(&mut all).unwrap();
        all.len() as u32
    };
    // One byte more than the part holds: calamine alone would read it without a word.
    declare_size(&mut bytes, sheet, size + 1);
    refused("教育局.xlsx", &bytes, &[DAMAGED]);
}

#[test]
fn too_many_entries() {
    let names: Vec<String> = (0..10_001)
        .map(|i| format!("customXml/item{i}.xml"))
        .collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let bytes = zip_plus(&some_xlsx(), &entries);
    let line = refused("教育局.xlsx", &bytes, &[TOO_LARGE]);
    assert!(line.contains("个文件"), "{line}");
}

#[test]
fn cells_spanning_the_whole_grid() {
    // two cells at A1 and XFD1048576: a dense grid of 17 billion cells if materialised
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "2026年教育局部门预算整体绩效目标表")
        .unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    // The reader keeps only non-empty cells, so the far cell costs nothing: the
    // file is refused quickly either as too large or as holding no table.
    refused("教育局.xlsx", &bytes, &[TOO_LARGE, NO_TABLE]);
}

#[test]
fn xls_cells_spanning_the_whole_grid() {
    // BIFF8's whole grid between two cells; calamine would build it densely when opening
    let bytes = cfb_of(&[(
        "Workbook",
        &xls_stream_with(false, &[(0, 0), (65_535, 255)]),
    )]);
    refused("教育局.xls", &bytes, &[TOO_LARGE]);
}

#[test]
fn ods_repeat_bomb() {
    let bytes = ods_bomb();
    refused("教育局.ods", &bytes, &[TOO_LARGE]);
}

#[test]
fn no_table() {
    // a valid workbook with unrelated content
    let bytes = xlsx_with(&[
        &["会议签到表"],
        &["姓名", "单位", "电话"],
        &["张三", "教育局", "12345678"],
    ]);
    refused("教育局.xlsx", &bytes, &[NO_TABLE]);
}

#[test]
fn header_of_another_template() {
    // 项目支出绩效目标表: a different official template
    let bytes = xlsx_with(&[
        &["2026年项目支出绩效目标表"],
        &["项目名称", "义务教育学生资助"],
        &["主管部门", "教育局", "实施单位", "教育局"],
        &["年度目标", "目标1：……"],
        &["一级指标", "二级指标", "三级指标", "指标值"],
        &["产出指标", "数量指标", "资助学生人数", "≥1000人"],
    ]);
    // Restricted to the 部门整体 template, the 项目支出 table is no table of it…
    refused_args(
        "教育局.xlsx",
        |p| std::fs::write(p, &bytes).unwrap(),
        &["--template", "dept-overall"],
        &[NO_TABLE],
    );
    // …while `--template auto` (the default) recognises it by its header.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("教育局.xlsx"), &bytes).unwrap();
    let out = Command::cargo_bin("jixiao")
        .unwrap()
        .current_dir(dir.path())
        .args(["import", "教育局.xlsx"])
        .timeout(BOUND)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["template"], "project-target");
    assert_eq!(j["form"]["name"], "义务教育学生资助");
}

#[test]
fn file_larger_than_the_limit() {
    // 101 MiB (sparse: no disk used) of a zip-looking file
    let line = refused_with(
        "教育局.xlsx",
        |p| {
            let mut f = std::fs::File::create(p).unwrap();
            f.write_all(b"PK\x03\x04").unwrap();
            f.set_len(101 << 20).unwrap();
        },
        &[TOO_LARGE],
    );
    assert!(line.contains("MB"), "{line}");
}

#[test]
fn missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("jixiao")
        .unwrap()
        .current_dir(dir.path())
        .args(["import", "不存在.xlsx", "-o", "out.json"])
        .timeout(BOUND)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim_end(), "不存在.xlsx: 文件不存在");
    assert!(!dir.path().join("out.json").exists());
}
