//! Property: on generated workbooks (the official header, then any cells
//! anywhere: inside the grid, in columns past it, in rows that are half
//! empty, above and below, on a second sheet), every non-empty cell is read
//! exactly once — a field, a header or title cell, or an extra.

use crate::common::official_header;
use jixiao::read::{unaccounted_cells, ReadOptions};
use jixiao::template::Template;
use proptest::prelude::*;
use rust_xlsxwriter::Workbook;

/// Short cell texts: Chinese words, numbers, units, labels of the template
/// (a header word inside the data must not be read twice), a footnote start.
fn cell_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\u{4e00}-\u{9fa5}]{1,8}",
        "[0-9]{1,4}(人|个|%|万人次)?",
        Just("年度指标值".to_string()),
        Just("来源".to_string()),
        Just("注：以上为计划数".to_string()),
        Just("2024年指标值".to_string()),
        Just("1".to_string()),
    ]
}

/// (row, col, text) cells below a header at row `top` (0-based).
fn cells() -> impl Strategy<Value = Vec<(u32, u16, String)>> {
    prop::collection::vec((0u32..24, 0u16..16, cell_text()), 0..60)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn every_cell_is_read_exactly_once(
        top in 0u32..4,
        title in proptest::option::of("[\u{4e00}-\u{9fa5}]{2,10}"),
        body in cells(),
        other in prop::collection::vec((0u32..5, 0u16..4, cell_text()), 0..6),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gen.xlsx");
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        if let (Some(t), true) = (&title, top > 0) {
            ws.write_string(0, 0, t).unwrap();
        }
        official_header(ws, top);
        let first = top + 3;
        for (r, c, t) in &body {
            ws.write_string(first + r, *c, t).unwrap();
        }
        if !other.is_empty() {
            let ws2 = wb.add_worksheet();
            for (r, c, t) in &other {
                ws2.write_string(*r, *c, t).unwrap();
            }
        }
        wb.save(&path).unwrap();
        let templates = Template::builtins();
        let opts = ReadOptions { sheet: None, templates: &templates };
        let lost = unaccounted_cells(&path, &opts);
        prop_assert!(lost.is_ok(), "{:?}", lost);
        let lost = lost.unwrap();
        prop_assert!(lost.is_empty(), "{}", lost.join("\n"));
    }
}
