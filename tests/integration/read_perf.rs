//! Rough timing of the reader against a bare calamine read (ignored by default:
//! `cargo test --test integration read_perf -- --ignored --nocapture`).

use crate::common::*;
use calamine::Reader;
use rust_xlsxwriter::Workbook;
use std::time::Instant;

#[test]
#[ignore]
fn reader_is_close_to_a_bare_calamine_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    official_header(ws, 2);
    let n = 20_000u32;
    for r in 0..n {
        if r % 5 == 0 {
            ws.write_string(5 + r, 0, (r / 5 + 1).to_string()).unwrap();
            ws.write_string(5 + r, 1, format!("职责{r}")).unwrap();
            ws.write_string(5 + r, 2, format!("目标{r}")).unwrap();
        }
        write_ind(ws, 5 + r, &ind(&format!("指标{r}"), "85%"));
    }
    let p = save(&mut wb, dir.path(), "big.xlsx");
    let t0 = Instant::now();
    let mut x = calamine::open_workbook_auto(&p).unwrap();
    let range = x.worksheet_range("Sheet1").unwrap();
    let bare = t0.elapsed();
    assert!(range.height() > 0);
    let t1 = Instant::now();
    let t = read(&p).unwrap();
    let ours = t1.elapsed();
    assert_eq!(t.indicators().count(), n as usize);
    eprintln!("bare calamine {bare:?}, reader {ours:?}");
}
