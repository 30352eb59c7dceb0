//! The command line's entry: parse arguments, run one command, map the outcome to an exit code.
//!
//! Exit codes (README): 0 done, 1 validation errors, 2 unreadable input or
//! misuse, 3 an internal error (a panic in jixiao's own code: calamine's panics
//! on damaged files are caught by the reader and are exit 2). A closed stdout
//! (`jixiao validate … | head`) ends quietly with 0, as ripgrep does.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::FromArgMatches;
use std::panic::{self, PanicHookInfo};
use std::process::ExitCode;
use std::sync::Mutex;

/// The first panic seen: the file being read then (if any) and what happened.
static PANIC: Mutex<Option<(Option<String>, String)>> = Mutex::new(None);

/// Runs the `jixiao` command line on the process's arguments and returns its
/// exit code (the `jixiao` binary is this one call).
pub fn main() -> ExitCode {
    let parsed = crate::cli::command()
        .try_get_matches()
        .and_then(|m| crate::cli::Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    install_panic_hook();
    match panic::catch_unwind(|| crate::commands::run(cli.command)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(e)) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
        Err(_) => internal_error(),
    }
}

/// Prints `--help` / `--version` (exit 0) or a misuse as one Chinese line on
/// stderr, `jixiao: 未知选项 --foo（用 --help 查看用法）` (exit 2).
fn usage_error(e: &clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        _ => {}
    }
    let text = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = text(ContextKind::InvalidArg);
    let value = text(ContextKind::InvalidValue);
    let what = match e.kind() {
        ErrorKind::UnknownArgument => format!("未知选项 {arg}"),
        ErrorKind::InvalidSubcommand => {
            format!("未知命令 {}", text(ContextKind::InvalidSubcommand))
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation if value.is_empty() => {
            format!("{arg} 缺少值")
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("{arg} 的值“{value}”无效")
        }
        ErrorKind::NoEquals => format!("{arg} 的值须用 = 给出"),
        ErrorKind::TooManyValues => format!("{arg} 的值过多（“{value}”）"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} 的值个数不对")
        }
        ErrorKind::ArgumentConflict => match text(ContextKind::PriorArg) {
            p if p.is_empty() => format!("{arg} 不能与其他选项同时使用"),
            p => format!("{arg} 不能与 {p} 同时使用"),
        },
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文本".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    let what = what.replace(['\n', '\r'], " ");
    eprintln!("jixiao: {}（用 --help 查看用法）", what.trim());
    ExitCode::from(2)
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
            *first = Some((crate::error::current_file(), what));
        }
    }));
}
