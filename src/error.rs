//! Errors with the file (and where known the sheet and cell) they concern, worded for a clerk.
//!
//! Every error the CLI prints is one line, `path: why`, and exits with code 2.

use std::fmt;

/// A command failed before producing its output; the CLI prints it and exits 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file that could not be read as a table.
    #[error("{path}: {reason}")]
    Input {
        /// The file as the user named it.
        path: String,
        /// Why it could not be read.
        reason: InputError,
    },
    /// An output that could not be written.
    #[error("{path}: {reason}")]
    Output {
        /// The output as the user named it (`-` for stdout).
        path: String,
        /// Why it could not be written.
        reason: OutputError,
    },
    /// The command was misused (bad option, output equal to input, unknown template).
    #[error("{0}")]
    Usage(#[from] UsageError),
}

/// Why an output could not be written. The texts are what a clerk sees.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OutputError {
    /// The folder or file may not be written by this user.
    #[error("没有写入权限")]
    PermissionDenied,
    /// The output's folder does not exist.
    #[error("目标文件夹不存在")]
    NoFolder,
    /// The output names a folder.
    #[error("这是一个文件夹，不是文件")]
    IsFolder,
    /// stdout was closed by its reader (`jixiao validate … | head`).
    #[error("输出管道已关闭")]
    BrokenPipe,
    /// Any other failure of the system, with its own words.
    #[error("无法写入（{0}）")]
    Io(String),
    /// The workbook could not be made.
    #[error(transparent)]
    Write(#[from] WriteError),
}

impl OutputError {
    /// The reason of a failed write, worded for a clerk.
    pub fn of_io(e: &std::io::Error) -> OutputError {
        match e.kind() {
            std::io::ErrorKind::PermissionDenied => OutputError::PermissionDenied,
            std::io::ErrorKind::NotFound => OutputError::NoFolder,
            std::io::ErrorKind::BrokenPipe => OutputError::BrokenPipe,
            _ => OutputError::Io(e.to_string()),
        }
    }
}

/// Why a workbook could not be written.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WriteError {
    /// Asked to write a workbook of no table at all.
    #[error("没有可写出的表格")]
    NoTables,
    /// A sheet name Excel refuses (too long, or holding `[]:*?/\\`).
    #[error("工作表名无效：{0}")]
    SheetName(String),
    /// A template without a column to lay out.
    #[error("模板没有列")]
    NoColumns,
    /// rust_xlsxwriter's own error, as its text.
    #[error("写出工作簿失败：{0}")]
    Xlsx(String),
}

/// How a command was misused; each names the option or file concerned.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    /// `-o ""`.
    #[error("输出路径为空")]
    EmptyOutput,
    /// An output that names one of the inputs.
    #[error("{0}: 输出文件不能与输入文件相同，请换一个输出路径")]
    OutputIsInput(String),
    /// Two outputs of one command sent to stdout.
    #[error("两个输出不能同时写到标准输出（-），请为其中一个指定文件")]
    TwoToStdout,
    /// Two outputs of one command sent to one file.
    #[error("{0}: 两个输出不能写到同一个文件，请分别指定输出路径")]
    SameOutput(String),
    /// The output holds a department's filled-in table and `--force` was not given.
    #[error("{0}: 该文件是已填写的绩效目标表，请换一个输出路径，或加 --force 覆盖")]
    WouldReplaceSubmission(String),
    /// The inputs (files or folders) hold no workbook.
    #[error("{0}: 没有找到表格文件（.xlsx/.xlsm/.xls/.xlsb/.ods）")]
    NoWorkbooks(String),
    /// `--template` named no template, or its file is not one.
    #[error(transparent)]
    Template(#[from] crate::template::TemplateError),
    /// A table read with a template that is not loaded.
    #[error("未知的模板 {0}")]
    UnknownTemplate(String),
    /// An option given as empty text (`--department ""`).
    #[error("{0} 不能为空")]
    EmptyOption(&'static str),
    /// `--table 0`.
    #[error("--table 从 1 开始计数")]
    TableFromOne,
    /// `--year` that is not a four-digit year of 2000–2099.
    #[error("--year 应为 2000–2099 之间的四位年份（收到“{0}”）")]
    BadYear(String),
    /// `--year` not after the year of the `--from` table.
    #[error("{path}: --year {year} 不晚于上年表的年份 {was}，应为 {next} 或之后的年份", next = was + 1)]
    YearNotAfter {
        /// The `--from` file.
        path: String,
        /// The year asked for.
        year: i32,
        /// The `--from` table's year.
        was: i32,
    },
    /// `--rows` that is not a whole number.
    #[error("--rows 应为整数（收到“{0}”）")]
    BadRows(String),
    /// `--rows` beyond the spare rows a rolled-forward template keeps.
    #[error("--rows {asked} 超出范围：--from 的模板在上年的行之后最多留 {most} 行空行")]
    TooManyRows {
        /// The rows asked for.
        asked: usize,
        /// The most allowed.
        most: usize,
    },
    /// `--rows 0` for a template with no row to type into.
    #[error("--rows 0 不可用：模板没有可填写的行，应至少为 1")]
    NoRows,
    /// `--project` with a template that has no project field.
    #[error("模板 {0} 没有项目名称，不能使用 --project")]
    NoProjectField(String),
    /// `-j` that is no usable thread count.
    #[error("-j: {0}")]
    Jobs(String),
    /// The web server could not start, or refused a page's request.
    #[error(transparent)]
    Serve(#[from] ServeError),
    /// `import --all --format csv`: a CSV holds one table.
    #[error(
        "--all 不能与 --format csv 同用：一个 CSV 只放一张表，请用 --table N 或 --sheet 逐张导出"
    )]
    CsvAll,
    /// `diff --format daff` without `-o`.
    #[error("--format daff 需要 -o 指定输出的 CSV 文件（`-` 为标准输出）")]
    DaffNoOutput,
    /// `diff --format daff` with several pairs of tables.
    #[error(
        "{0}: 有 {1} 对表，daff 格式一次只比较一对，请各用一个只含一张表的文件，或用 --sheet 指定"
    )]
    DaffPairs(String, usize),
    /// `diff --format daff` of two templates' tables.
    #[error("{0}: 上年表（模板 {1}）与本年表（模板 {2}）的模板不同，列不一致，不能写为 daff 格式")]
    DaffTemplates(String, String, String),
}

/// Why `jixiao serve` could not start, or refused a page's request.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ServeError {
    /// `--listen` that is no `address:port`.
    #[error("--listen 应为“地址:端口”，如 127.0.0.1:8600（收到“{0}”）")]
    BadListen(String),
    /// `--dir` or `--prior` that is no existing folder.
    #[error("{flag} {path}: 不是已有的文件夹")]
    NotFolder {
        /// The option.
        flag: &'static str,
        /// The path given.
        path: String,
    },
    /// The async runtime could not start (the system's reason).
    #[error("无法启动网页服务（{0}）")]
    Runtime(String),
    /// The address could not be listened on (the system's reason).
    #[error("无法监听 {addr}（{why}）")]
    Listen {
        /// The address asked for.
        addr: String,
        /// The system's reason.
        why: String,
    },
    /// No randomness for the access code.
    #[error("无法生成访问码（系统没有随机数）")]
    NoRandom,
    /// The server stopped with an error (its reason).
    #[error("网页服务出错（{0}）")]
    Server(String),
    /// A submission could not be saved into the folder (the system's reason).
    #[error("无法保存提交（{0}）")]
    Save(String),
    /// The submissions folder holds no readable table yet.
    #[error("报送文件夹中还没有可读取的表格")]
    NothingCollected,
    /// A row of the summary names a table that is no longer there.
    #[error("汇总中没有这张表（可能已有更新的提交）")]
    NotInSummary,
    /// A table has no counterpart to compare with.
    #[error("没有可比较的表")]
    NothingToCompare,
    /// Last year's page was asked for without `--prior`.
    #[error("本服务未设上年文件夹（--prior）")]
    NoPriorFolder,
    /// A file the summary does not list.
    #[error("汇总中没有这个文件")]
    NoSuchFile,
    /// Neither uploaded workbook holds a table.
    #[error("两边都没有表格")]
    NoTablesEitherSide,
    /// A workbook could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// Why an input file could not be read. The texts are what a clerk sees.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    #[error("文件不存在")]
    /// No file at the path.
    NotFound,
    #[error("无法读取文件（{0}）")]
    /// The system could not read it (its reason).
    Io(String),
    #[error("文件是空的（0 字节）")]
    /// A file of 0 bytes.
    Empty,
    #[error("不是 Excel 或 WPS 表格文件（可读取 .xlsx/.xlsm/.xls/.xlsb/.ods），请用表格软件另存后重新提交")]
    /// Not a workbook of any format jixiao reads.
    NotWorkbook,
    #[error("文件已损坏或不完整（{0}），请用表格软件打开后重新保存再提交")]
    /// A workbook damaged or cut short (the parser's reason).
    Corrupt(String),
    #[error("文件已加密，请去除密码后重新提交")]
    /// A password-protected workbook.
    Encrypted,
    #[error("文件过大或结构异常（{0}），已拒绝读取")]
    /// Beyond the reader's limits (size, cells, zip ratio): which one.
    TooLarge(String),
    #[error("没有名为“{name}”的工作表（现有：{available}）")]
    /// `--sheet` named a sheet the workbook does not have.
    NoSheet {
        /// The sheet asked for.
        name: String,
        /// The workbook's sheets, joined by 、.
        available: String,
    },
    #[error("未找到绩效目标表（{0}）")]
    /// No sheet holds a table of any template (what was looked for).
    NoTable(String),
    /// The workbook holds several tables and nothing said which one: the
    /// list names each (`教育局本级（临沂市教育局）、临沂一中（临沂第一中学）`).
    #[error("工作簿中有 {count} 张表：{list}，请用 --sheet 或 --table 指定，或用 --all 全部导入")]
    SeveralTables {
        /// How many tables.
        count: usize,
        /// Each table named, joined by 、.
        list: String,
    },
    /// `--table N` asked for a table the workbook does not have.
    #[error("没有第 {n} 张表（工作簿中有 {count} 张表）")]
    NoSuchTable {
        /// The table asked for (1-based).
        n: usize,
        /// How many the workbook has.
        count: usize,
    },
    /// A problem at one place of the workbook.
    #[error("工作表“{}” {}：{why}", .at.sheet, .at.cell)]
    At {
        /// The sheet and cell.
        at: Position,
        /// What is wrong there.
        why: String,
    },
}

/// A place in a workbook: sheet name and A1 address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The sheet's name.
    pub sheet: String,
    /// The cell's A1 address (`C5`).
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

    /// A refusal of `jixiao serve` (starting it, or a page's request).
    pub fn serve(why: impl Into<ServeError>) -> Error {
        Error::Usage(UsageError::Serve(why.into()))
    }

    /// An output error for a path.
    pub fn output(path: impl fmt::Display, reason: impl Into<OutputError>) -> Error {
        Error::Output {
            path: path.to_string(),
            reason: reason.into(),
        }
    }

    /// A failed write to stdout (`-`). A closed pipe (`jixiao validate … | head`)
    /// becomes the error [`Error::is_broken_pipe`] knows, which the CLI ends on
    /// quietly with exit 0, as ripgrep does.
    pub fn stdout(e: &std::io::Error) -> Error {
        Error::output("-", OutputError::of_io(e))
    }

    /// Whether this is a write to stdout that failed because the reader went away.
    ///
    /// Besides [`Error::stdout`]'s text this knows the OS's own wording (EPIPE,
    /// and Windows' ERROR_NO_DATA) for writers that kept `e.to_string()`.
    pub fn is_broken_pipe(&self) -> bool {
        match self {
            Error::Output { path, reason } if path == "-" => match reason {
                OutputError::BrokenPipe => true,
                OutputError::Io(why) => {
                    why.contains("os error 32)")
                        || why.contains("os error 232)")
                        || why.eq_ignore_ascii_case("broken pipe")
                }
                _ => false,
            },
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

    /// Every output, write and usage message, exactly as the clerk reads it: one line each.
    #[test]
    fn every_output_and_usage_message() {
        let out = |r: OutputError| Error::output("汇总.xlsx", r).to_string();
        assert_eq!(
            out(OutputError::PermissionDenied),
            "汇总.xlsx: 没有写入权限"
        );
        assert_eq!(out(OutputError::NoFolder), "汇总.xlsx: 目标文件夹不存在");
        assert_eq!(
            out(OutputError::IsFolder),
            "汇总.xlsx: 这是一个文件夹，不是文件"
        );
        assert_eq!(out(OutputError::BrokenPipe), "汇总.xlsx: 输出管道已关闭");
        assert_eq!(
            out(OutputError::Io("磁盘已满".into())),
            "汇总.xlsx: 无法写入（磁盘已满）"
        );
        let write = |w: WriteError| out(w.into());
        assert_eq!(write(WriteError::NoTables), "汇总.xlsx: 没有可写出的表格");
        assert_eq!(
            write(WriteError::SheetName("a:b".into())),
            "汇总.xlsx: 工作表名无效：a:b"
        );
        assert_eq!(write(WriteError::NoColumns), "汇总.xlsx: 模板没有列");
        assert_eq!(
            write(WriteError::Xlsx("x".into())),
            "汇总.xlsx: 写出工作簿失败：x"
        );
        let usage = |u: UsageError| Error::from(u).to_string();
        for (u, want) in [
            (UsageError::EmptyOutput, "输出路径为空"),
            (
                UsageError::OutputIsInput("a.xlsx".into()),
                "a.xlsx: 输出文件不能与输入文件相同，请换一个输出路径",
            ),
            (
                UsageError::TwoToStdout,
                "两个输出不能同时写到标准输出（-），请为其中一个指定文件",
            ),
            (
                UsageError::SameOutput("a.xlsx".into()),
                "a.xlsx: 两个输出不能写到同一个文件，请分别指定输出路径",
            ),
            (
                UsageError::WouldReplaceSubmission("a.xlsx".into()),
                "a.xlsx: 该文件是已填写的绩效目标表，请换一个输出路径，或加 --force 覆盖",
            ),
            (
                UsageError::NoWorkbooks("收件".into()),
                "收件: 没有找到表格文件（.xlsx/.xlsm/.xls/.xlsb/.ods）",
            ),
            (UsageError::UnknownTemplate("x".into()), "未知的模板 x"),
            (
                UsageError::EmptyOption("--department"),
                "--department 不能为空",
            ),
            (UsageError::TableFromOne, "--table 从 1 开始计数"),
            (
                UsageError::BadYear("24".into()),
                "--year 应为 2000–2099 之间的四位年份（收到“24”）",
            ),
            (
                UsageError::YearNotAfter {
                    path: "a.xlsx".into(),
                    year: 2022,
                    was: 2023,
                },
                "a.xlsx: --year 2022 不晚于上年表的年份 2023，应为 2024 或之后的年份",
            ),
            (
                UsageError::BadRows("x".into()),
                "--rows 应为整数（收到“x”）",
            ),
            (
                UsageError::TooManyRows { asked: 10, most: 5 },
                "--rows 10 超出范围：--from 的模板在上年的行之后最多留 5 行空行",
            ),
            (
                UsageError::NoRows,
                "--rows 0 不可用：模板没有可填写的行，应至少为 1",
            ),
            (
                UsageError::NoProjectField("dept-overall".into()),
                "模板 dept-overall 没有项目名称，不能使用 --project",
            ),
            (UsageError::Jobs("x".into()), "-j: x"),
            (
                UsageError::CsvAll,
                "--all 不能与 --format csv 同用：一个 CSV 只放一张表，请用 --table N 或 --sheet 逐张导出",
            ),
            (
                UsageError::DaffNoOutput,
                "--format daff 需要 -o 指定输出的 CSV 文件（`-` 为标准输出）",
            ),
            (
                UsageError::DaffPairs("a.xlsx".into(), 3),
                "a.xlsx: 有 3 对表，daff 格式一次只比较一对，请各用一个只含一张表的文件，或用 --sheet 指定",
            ),
            (
                UsageError::DaffTemplates("a.xlsx".into(), "x".into(), "y".into()),
                "a.xlsx: 上年表（模板 x）与本年表（模板 y）的模板不同，列不一致，不能写为 daff 格式",
            ),
            (
                UsageError::Serve(ServeError::BadListen("x".into())),
                "--listen 应为“地址:端口”，如 127.0.0.1:8600（收到“x”）",
            ),
            (
                ServeError::NotFolder {
                    flag: "--dir",
                    path: "d".into(),
                }
                .into(),
                "--dir d: 不是已有的文件夹",
            ),
            (
                ServeError::Runtime("x".into()).into(),
                "无法启动网页服务（x）",
            ),
            (
                ServeError::Listen {
                    addr: "0.0.0.0:1".into(),
                    why: "x".into(),
                }
                .into(),
                "无法监听 0.0.0.0:1（x）",
            ),
            (
                ServeError::NoRandom.into(),
                "无法生成访问码（系统没有随机数）",
            ),
            (ServeError::Server("x".into()).into(), "网页服务出错（x）"),
            (ServeError::Save("x".into()).into(), "无法保存提交（x）"),
            (
                ServeError::NothingCollected.into(),
                "报送文件夹中还没有可读取的表格",
            ),
            (
                ServeError::NotInSummary.into(),
                "汇总中没有这张表（可能已有更新的提交）",
            ),
            (ServeError::NothingToCompare.into(), "没有可比较的表"),
            (
                ServeError::NoPriorFolder.into(),
                "本服务未设上年文件夹（--prior）",
            ),
            (ServeError::NoSuchFile.into(), "汇总中没有这个文件"),
            (ServeError::NoTablesEitherSide.into(), "两边都没有表格"),
            (
                ServeError::Write(WriteError::NoTables).into(),
                &WriteError::NoTables.to_string(),
            ),
        ] {
            assert_eq!(usage(u), want);
        }
        let t = UsageError::from(crate::template::TemplateError::Parse("x".into()));
        assert_eq!(Error::from(t).to_string(), "模板文件格式错误：x");
    }

    #[test]
    fn a_closed_stdout_is_known_as_a_broken_pipe() {
        let e = Error::stdout(&std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(e.is_broken_pipe());
        assert!(!Error::stdout(&std::io::Error::other("x")).is_broken_pipe());
        assert!(!Error::output("a.json", OutputError::BrokenPipe).is_broken_pipe());
    }
}
