//! The `jixiao` binary: parse arguments, run one command, map the outcome to an exit code.
//!
//! Exit codes (README): 0 done, 1 validation errors, 2 unreadable input or
//! misuse, 3 an internal error (a panic in jixiao's own code: calamine's panics
//! on damaged files are caught by the reader and are exit 2). A closed stdout
//! (`jixiao validate … | head`) ends quietly with 0, as ripgrep does.

use clap::Parser;
use std::panic::{self, PanicHookInfo};
use std::process::ExitCode;
use std::sync::Mutex;

/// The first panic seen: the file being read then (if any) and what happened.
static PANIC: Mutex<Option<(Option<String>, String)>> = Mutex::new(None);

fn main() -> ExitCode {
    let cli = match jixiao::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    install_panic_hook();
    match panic::catch_unwind(|| jixiao::commands::run(cli.command)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(e)) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
        Err(_) => internal_error(),
    }
}

/// Reports a panic as one line naming the file being read, exit 3.
fn internal_error() -> ExitCode {
    let (file, what) = PANIC
        .lock()
        .map(|mut p| p.take())
        .unwrap_or_else(|e| e.into_inner().take())
        .unwrap_or_else(|| (None, "未知错误".to_string()));
    // A `print!` to a closed pipe panics: still a quiet end, not a bug report.
    if what.contains("failed printing to stdout") {
        return ExitCode::SUCCESS;
    }
    match file {
        Some(f) => eprintln!("{f}: 内部错误（{what}），请把此文件发给开发者"),
        None => eprintln!("jixiao: 内部错误（{what}），请把输入文件发给开发者"),
    }
    ExitCode::from(3)
}

/// Records the first panic (message, place, file being read) instead of
/// printing it; `RUST_BACKTRACE` set also prints the usual report.
fn install_panic_hook() {
    let default = panic::take_hook();
    let verbose = std::env::var_os("RUST_BACKTRACE").is_some();
    panic::set_hook(Box::new(move |info: &PanicHookInfo<'_>| {
        if verbose {
            default(info);
        }
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_string());
        let mut what = msg.replace(['\n', '\r'], " ");
        if let Some(l) = info.location() {
            what.push_str(&format!("，{}:{}", l.file(), l.line()));
        }
        let mut first = PANIC.lock().unwrap_or_else(|e| e.into_inner());
        if first.is_none() {
            *first = Some((jixiao::error::current_file(), what));
        }
    }));
}
