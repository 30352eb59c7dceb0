//! Any bytes, read as a submitted table: `read_bytes` must return (Ok or Err), never panic,
//! hang or run out of memory.
#![no_main]

use jixiao::read::{read_bytes, ReadOptions};
use jixiao::template::Template;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static TEMPLATE: OnceLock<Template> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let template = TEMPLATE.get_or_init(Template::default_template);
    let opts = ReadOptions {
        sheet: None,
        template,
    };
    let _ = read_bytes(data, "fuzz.xlsx", &opts);
});
