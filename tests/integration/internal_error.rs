//! A panic in jixiao's own code is an internal error naming the file (exit 3), never 文件已损坏.
//!
//! The panic is made by `JIXIAO_TEST_PANIC`, which the reader checks (debug
//! builds only) once calamine has loaded the workbook, i.e. outside the guard
//! that turns calamine's panics into 文件已损坏.

use std::process::Command;

#[test]
fn a_panic_past_calamine_is_an_internal_error_naming_the_file() {
    if !cfg!(debug_assertions) {
        return; // the trigger exists in debug builds only
    }
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(["import", "examples/linyi-education-2023.xlsx"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("JIXIAO_TEST_PANIC", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("jixiao runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(out.stdout.is_empty());
    assert!(
        err.starts_with("examples/linyi-education-2023.xlsx: 内部错误（"),
        "{err}"
    );
    assert!(err.ends_with("），请把此文件发给开发者\n"), "{err}");
    assert!(!err.contains("损坏"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}
