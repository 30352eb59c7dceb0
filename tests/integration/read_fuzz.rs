//! Mutated workbooks never panic the reader (a short deterministic sweep).

use crate::common::*;
use rust_xlsxwriter::{Format, Workbook};

#[test]
fn mutated_workbooks_never_panic() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(
        0,
        0,
        0,
        12,
        "2023年临沂市教育局部门预算整体绩效目标表",
        &Format::new(),
    )
    .unwrap();
    official_header(ws, 2);
    write_duties(ws, 5, DutyStyle::Merged);
    // Stored (uncompressed) parts would be better targets, but flips in the
    // zip still reach calamine's XML through the deflate streams.
    let bytes = wb.save_to_buffer().unwrap();
    let t = [jixiao::template::Template::default_template()];
    let opts = jixiao::read::ReadOptions {
        sheet: None,
        templates: &t,
    };
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..300 {
        let mut b = bytes.clone();
        for _ in 0..(1 + next() % 4) {
            let i = (next() as usize) % b.len();
            b[i] = next() as u8;
        }
        let _ = jixiao::read::read_bytes(&b, "fuzz.xlsx", &opts);
    }
}

#[test]
fn mutated_xls_and_ods_fixtures_never_panic() {
    let t = [jixiao::template::Template::default_template()];
    let opts = jixiao::read::ReadOptions {
        sheet: None,
        templates: &t,
    };
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for name in ["tests/fixtures/lo-2023.xls", "tests/fixtures/lo-2023.ods"] {
        let bytes = std::fs::read(root.join(name)).unwrap();
        assert!(jixiao::read::read_bytes(&bytes, name, &opts).is_ok());
        for _ in 0..200 {
            let mut b = bytes.clone();
            for _ in 0..(1 + next() % 8) {
                let i = (next() as usize) % b.len();
                b[i] = next() as u8;
            }
            let _ = jixiao::read::read_bytes(&b, name, &opts);
        }
    }
}
