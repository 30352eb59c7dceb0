//! The container layer alone, as the reader uses it: sniff, open with calamine, read every
//! sheet. Must return, never panic, hang or run out of memory.
#![no_main]

use calamine::Reader;
use jixiao::read::container::{open, read_sheet, sniff};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(format) = sniff(data) else { return };
    let Ok(mut workbook) = open(data, format) else {
        return;
    };
    for name in workbook.sheet_names() {
        let _ = read_sheet(&mut workbook, &name);
    }
});
