//! The reader's one path from bytes to sheets, alone: sniff the container, open it with
//! calamine, load every sheet's grid (`read::sheet_cells`), no template applied. Must
//! return, never panic, hang or run out of memory.
#![no_main]

use jixiao::read::sheet_cells;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = sheet_cells(data);
});
