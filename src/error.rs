//! Errors with the file (and where known the sheet and cell) they concern, worded for a clerk.
//!
//! Every error the CLI prints is one line, `path: why`, and exits with code 2.

use std::fmt;

/// A command failed before producing its output; the CLI prints it and exits 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file that could not be read as a table.
    #[error("{path}: {reason}")]
    Input { path: String, reason: InputError },
    /// An output that could not be written.
    #[error("{path}: {reason}")]
    Output { path: String, reason: String },
    /// The command was misused (bad option, output equal to input, unknown template).
    #[error("{0}")]
    Usage(String),
}

/// Why an input file could not be read. The texts are what a clerk sees.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    #[error("文件不存在")]
    NotFound,
    #[error("无法读取文件（{0}）")]
    Io(String),
    #[error("文件是空的（0 字节）")]
    Empty,
    #[error("不是 Excel 或 WPS 表格文件（可读取 .xlsx/.xlsm/.xls/.xlsb/.ods），请用表格软件另存后重新提交")]
    NotWorkbook,
    #[error("文件已损坏或不完整（{0}），请用表格软件打开后重新保存再提交")]
    Corrupt(String),
    #[error("文件已加密，请去除密码后重新提交")]
    Encrypted,
    #[error("文件过大或结构异常（{0}），已拒绝读取")]
    TooLarge(String),
    #[error("没有名为“{name}”的工作表（现有：{available}）")]
    NoSheet { name: String, available: String },
    #[error("未找到绩效目标表（{0}）")]
    NoTable(String),
    /// The workbook holds several tables and nothing said which one: the
    /// list names each (`教育局本级（临沂市教育局）、临沂一中（临沂第一中学）`).
    #[error("工作簿中有 {count} 张表：{list}，请用 --sheet 或 --table 指定，或用 --all 全部导入")]
    SeveralTables { count: usize, list: String },
    /// `--table N` asked for a table the workbook does not have.
    #[error("没有第 {n} 张表（工作簿中有 {count} 张表）")]
    NoSuchTable { n: usize, count: usize },
    /// A problem at one place of the workbook.
    #[error("工作表“{}” {}：{why}", .at.sheet, .at.cell)]
    At { at: Position, why: String },
}

/// A place in a workbook: sheet name and A1 address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub sheet: String,
    pub cell: String,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}!{}", self.sheet, self.cell)
    }
}

impl Error {
    /// An input error for a path.
    pub fn input(path: impl fmt::Display, reason: InputError) -> Error {
        Error::Input {
            path: path.to_string(),
            reason,
        }
    }

    /// An output error for a path.
    pub fn output(path: impl fmt::Display, reason: impl Into<String>) -> Error {
        Error::Output {
            path: path.to_string(),
            reason: reason.into(),
        }
    }

    /// A failed write to stdout (`-`). A closed pipe (`jixiao validate … | head`)
    /// becomes the error [`Error::is_broken_pipe`] knows, which the CLI ends on
    /// quietly with exit 0, as ripgrep does.
    pub fn stdout(e: &std::io::Error) -> Error {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Error::output("-", BROKEN_PIPE)
        } else {
            Error::output("-", e.to_string())
        }
    }

    /// Whether this is a write to stdout that failed because the reader went away.
    ///
    /// Besides [`Error::stdout`]'s text this knows the OS's own wording (EPIPE,
    /// and Windows' ERROR_NO_DATA) for writers that kept `e.to_string()`.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Error::Output { path, reason } if path == "-" => {
                reason == BROKEN_PIPE
                    || reason.contains("os error 32)")
                    || reason.contains("os error 232)")
                    || reason.eq_ignore_ascii_case("broken pipe")
            }
            _ => false,
        }
    }

    /// The process exit code for this error (always 2: see spec/cli.md).
    pub fn exit_code(&self) -> u8 {
        2
    }
}

thread_local! {
    static READING: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Marks, for this thread, the file being read until the value is dropped: a
/// panic meanwhile is an internal error about this file ([`current_file`]).
pub fn reading(path: &str) -> Reading {
    let previous = READING.with(|r| r.replace(Some(path.to_string())));
    Reading(previous)
}

/// The file this thread is reading (see [`reading`]), for a panic hook to name.
pub fn current_file() -> Option<String> {
    READING.with(|r| r.borrow().clone())
}

/// While alive, [`current_file`] names a file; dropping it restores the previous one.
#[must_use]
pub struct Reading(Option<String>);

impl Drop for Reading {
    fn drop(&mut self) {
        let previous = self.0.take();
        READING.with(|r| *r.borrow_mut() = previous);
    }
}

/// The reason of [`Error::stdout`] for a closed pipe.
const BROKEN_PIPE: &str = "输出管道已关闭";

/// Result with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_errors_read_as_one_line_naming_the_file() {
        let e = Error::input("教育局.xlsx", InputError::Encrypted);
        assert_eq!(
            e.to_string(),
            "教育局.xlsx: 文件已加密，请去除密码后重新提交"
        );
        let e = Error::input(
            "a.xlsx",
            InputError::At {
                at: Position {
                    sheet: "Sheet1".into(),
                    cell: "C5".into(),
                },
                why: "单元格内容过长".into(),
            },
        );
        assert_eq!(e.to_string(), "a.xlsx: 工作表“Sheet1” C5：单元格内容过长");
        assert!(!e.to_string().contains('\n'));
    }
}
