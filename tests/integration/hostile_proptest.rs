//! Property: damaged variants of valid workbooks of every format never make the container layer
//! panic, hang or allocate without bound; they are read or refused with a clean reason.
//!
//! A cheap, always-on cousin of the cargo-fuzz targets in `fuzz/`.

use jixiao::error::InputError;
use jixiao::read::sheet_cells;
use jixiao::read::sniff;
use proptest::prelude::*;
use std::io::{Cursor, Write};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// What `guarded` says when it caught a panic.
const PANIC_REASON: &str = "数据结构异常，无法解析";

fn xlsx() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "2026年教育局部门预算整体绩效目标表")
        .unwrap();
    ws.write_string(2, 0, "职责序号").unwrap();
    ws.write_number(3, 0, 1.0).unwrap();
    ws.merge_range(4, 0, 5, 2, "合并", &rust_xlsxwriter::Format::new())
        .unwrap();
    wb.save_to_buffer().unwrap()
}

fn ods() -> Vec<u8> {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="3" office:value-type="float" office:value="2"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    w.start_file("mimetype", stored).unwrap();
    w.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    // stored, so that byte flips reach the XML rather than the deflate stream
    w.start_file("content.xml", stored).unwrap();
    w.write_all(content.as_bytes()).unwrap();
    w.start_file("META-INF/manifest.xml", stored).unwrap();
    w.write_all(br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#)
        .unwrap();
    w.finish().unwrap().into_inner()
}

fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = typ.to_le_bytes().to_vec();
    v.extend_from_slice(&(data.len() as u16).to_le_bytes());
    v.extend_from_slice(data);
    v
}

fn xls() -> Vec<u8> {
    let bof = |dt: u16| {
        let mut d = vec![0x00, 0x06];
        d.extend_from_slice(&dt.to_le_bytes());
        d.extend_from_slice(&[0; 12]);
        rec(0x0809, &d)
    };
    let mut g = bof(0x0005);
    let pos = (g.len() + 4 + 9 + 4) as u32;
    let mut bs = pos.to_le_bytes().to_vec();
    bs.extend_from_slice(&[0, 0, 1, 0, b'S']);
    g.extend(rec(0x0085, &bs));
    g.extend(rec(0x000A, &[]));
    g.extend(bof(0x0010));
    let mut dims = Vec::new();
    for v in [0u32, 4] {
        dims.extend_from_slice(&v.to_le_bytes());
    }
    dims.extend_from_slice(&[0, 0, 3, 0, 0, 0]);
    g.extend(rec(0x0200, &dims));
    for (r, c) in [(0u16, 0u16), (3, 2)] {
        let mut n = r.to_le_bytes().to_vec();
        n.extend_from_slice(&c.to_le_bytes());
        n.extend_from_slice(&[0, 0]);
        n.extend_from_slice(&1.5f64.to_le_bytes());
        g.extend(rec(0x0203, &n));
    }
    g.extend(rec(0x000A, &[]));
    let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    cf.create_stream("Workbook").unwrap().write_all(&g).unwrap();
    cf.flush().unwrap();
    cf.into_inner().into_inner()
}

fn seeds() -> &'static [Vec<u8>] {
    static SEEDS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    SEEDS.get_or_init(|| vec![xlsx(), ods(), xls()])
}

#[derive(Debug, Clone)]
enum Damage {
    Truncate(usize),
    Flip(Vec<(usize, u8)>),
    Word(usize, u32),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        any::<usize>().prop_map(Damage::Truncate),
        prop::collection::vec((any::<usize>(), any::<u8>()), 1..8).prop_map(Damage::Flip),
        (
            any::<usize>(),
            prop_oneof![
                Just(0u32),
                Just(u32::MAX),
                Just(0xFFFF_FFFE),
                Just(0x7FFF_FFFF),
                Just(0xFFFF),
                any::<u32>()
            ]
        )
            .prop_map(|(at, v)| Damage::Word(at, v)),
    ]
}

fn apply(seed: &[u8], d: &Damage) -> Vec<u8> {
    let mut b = seed.to_vec();
    match d {
        Damage::Truncate(at) => b.truncate(at % (b.len() + 1)),
        Damage::Flip(flips) => {
            for (at, x) in flips {
                let i = at % b.len();
                b[i] ^= x | 1;
            }
        }
        Damage::Word(at, v) => {
            let i = at % (b.len() - 4);
            b[i..i + 4].copy_from_slice(&v.to_le_bytes());
        }
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn damaged_workbooks_are_read_or_refused_cleanly(which in 0usize..3, d in damage()) {
        let bytes = apply(&seeds()[which], &d);
        let started = Instant::now();
        match sniff(&bytes) {
            // sniff runs only the zip and cfb crates and our own checks: a panic there is a bug
            Err(InputError::Corrupt(why)) => prop_assert_ne!(why, PANIC_REASON),
            Err(_) => {}
            // then the reader's one path from bytes to sheets, every sheet
            Ok(_) => {
                let _ = sheet_cells(&bytes);
            }
        }
        prop_assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    }
}

#[test]
fn seeds_are_valid() {
    for s in seeds() {
        sniff(s).unwrap();
        for sheet in sheet_cells(s).unwrap() {
            sheet.cells.unwrap();
        }
    }
}
