//! Any bytes, read as a submitted workbook with every built-in template (`--template auto`):
//! `read_workbook_bytes` and `read_bytes` must return (Ok or Err), never panic, hang or run
//! out of memory.
#![no_main]

use jixiao::read::{read_bytes, read_workbook_bytes, ReadOptions};
use jixiao::template::Template;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static TEMPLATES: OnceLock<Vec<Template>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let templates = TEMPLATES.get_or_init(Template::builtins);
    let opts = ReadOptions {
        sheet: None,
        templates,
    };
    let _ = read_workbook_bytes(data, "fuzz.xlsx", &opts);
    let _ = read_bytes(data, "fuzz.xlsx", &opts);
});
