//! A closed stdout (`jixiao … | head`) ends the command quietly: exit 0, nothing on stderr.

use std::process::{Command, Stdio};

/// Runs jixiao with its stdout a pipe whose reading end is closed before the
/// command writes (so every write meets a broken pipe); returns (exit code, stderr).
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jixiao starts");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("jixiao ends");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn import_to_a_closed_pipe_ends_quietly() {
    let (code, err) = with_closed_stdout(&["import", "examples/linyi-education-2023.xlsx"]);
    assert_eq!((code, err.as_str()), (Some(0), ""));
}

#[test]
fn import_all_to_a_closed_pipe_ends_quietly() {
    let (code, err) = with_closed_stdout(&[
        "import",
        "--all",
        "examples/linyi-education-projects-2024.xlsx",
    ]);
    assert_eq!((code, err.as_str()), (Some(0), ""));
}

#[test]
fn validate_to_a_closed_pipe_ends_quietly() {
    let (code, err) = with_closed_stdout(&["validate", "examples/linyi-education-2023.xlsx"]);
    assert_eq!((code, err.as_str()), (Some(0), ""));
}

#[test]
fn diff_to_a_closed_pipe_ends_quietly() {
    let (code, err) = with_closed_stdout(&[
        "diff",
        "examples/linyi-education-2022.xlsx",
        "examples/linyi-education-2023.xlsx",
    ]);
    assert_eq!((code, err.as_str()), (Some(0), ""));
}
