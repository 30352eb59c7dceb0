//! Command-line argument types (clap derive, Chinese help text) — no logic here.

use clap::{Arg, ArgAction, Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// jixiao（绩效）：读取、校验、比较并生成绩效目标表（部门整体与项目支出）。
#[derive(Debug, Parser)]
#[command(
    name = "jixiao",
    version,
    long_about = None,
    override_usage = "jixiao <命令> [选项]"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The help layout with Chinese headings (`用法：`, `参数：`, `选项：`, `命令：`).
const HELP_TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The clap command of [`Cli`] with Chinese help: every command's headings,
/// its own `-h/--help` (and `-V/--version` at the top) with Chinese help.
pub fn command() -> clap::Command {
    let cmd = chinese(Cli::command()).disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("显示版本号")
            .help_heading("选项"),
    );
    cmd.mut_subcommands(chinese)
}

/// One command in Chinese: template, headings and a Chinese `-h/--help`.
fn chinese(cmd: clap::Command) -> clap::Command {
    cmd.help_template(HELP_TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .mut_args(|a| {
            let heading = if a.is_positional() {
                "参数"
            } else {
                "选项"
            };
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            let a = a.help_heading(heading);
            if defaults.is_empty() {
                return a;
            }
            let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            let help = format!("{help}（默认：{}）", defaults.join("、"));
            a.help(help).hide_default_value(true)
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        )
}

/// The subcommands (spec/cli.md)：各命令的帮助文字为中文。
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 读取一张表，输出其 JSON（规范模型）或 CSV（每个指标一行）。
    #[command(override_usage = "jixiao import <文件> [选项]")]
    Import(ImportArgs),
    /// 校验表格：列出问题，可写出标注后的工作簿和 JSON 报告。
    #[command(override_usage = "jixiao validate <文件> [选项]")]
    Validate(ValidateArgs),
    /// 比较上年与本年的表格。
    #[command(override_usage = "jixiao diff <上年> <本年> [选项]")]
    Diff(DiffArgs),
    /// 生成本年的空白模板（可由上年的表结转）。
    #[command(
        override_usage = "jixiao template --year <年度> --department <单位> -o <输出> [选项]"
    )]
    Template(TemplateArgs),
    /// 按官方版式和样式重写提交的表格。
    #[command(override_usage = "jixiao restyle <文件> -o <输出> [选项]")]
    Restyle(RestyleArgs),
    /// 把一个文件夹的报送表汇总为一个工作簿。
    #[command(
        override_usage = "jixiao collect <文件夹或文件>... [--prior <上年>...] -o <输出> [选项]"
    )]
    Collect(CollectArgs),
    /// 以网页提供自查、提交、汇总、对比和模板（供不使用命令行的人）。
    #[cfg(feature = "serve")]
    #[command(
        override_usage = "jixiao serve [--listen 地址:端口] [--dir 报送文件夹] [--prior 上年文件夹]"
    )]
    Serve(ServeArgs),
}

/// Options shared by every command that reads a table.
#[derive(Debug, Args, Clone)]
pub struct ReadArgs {
    /// 读取指定的工作表，而不是自动查找表格所在的工作表。
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// 模板：`auto`（按表头在内置模板中识别每张表）、模板编号（`dept-overall`、`project-target`）或模板 .toml 文件的路径（只按该模板读取）。
    #[arg(long, value_name = "ID", default_value = "auto")]
    pub template: String,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// 工作簿（.xlsx .xlsm .xls .xlsb .ods，按内容判断格式）。
    #[arg(value_name = "文件")]
    pub file: PathBuf,
    #[command(flatten)]
    pub read: ReadArgs,
    /// 取工作簿中的第 N 张表（从 1 开始，按工作表顺序、表内自上而下）。
    #[arg(long, value_name = "N", conflicts_with = "all")]
    pub table: Option<usize>,
    /// 输出工作簿中的所有表（工作簿 JSON；不能与 --format csv 同用）。
    #[arg(long)]
    pub all: bool,
    /// 输出格式：`json`（规范模型）或 `csv`（每个指标一行，所属职责或类别及表头信息在每行重复，可用 Excel 打开）。
    #[arg(
        long,
        value_enum,
        value_name = "格式",
        default_value = "json",
        hide_possible_values = true
    )]
    pub format: ImportFormat,
    /// 把输出写到此文件而不是标准输出（`-` 为标准输出）。
    #[arg(short = 'o', long = "output", value_name = "OUT.json")]
    pub output: Option<String>,
    /// 即使输出文件是已填写的绩效目标表也覆盖它。
    #[arg(long)]
    pub force: bool,
}

/// What `import` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// 规范模型的 JSON
    Json,
    /// CSV：每个指标一行
    Csv,
}

/// What `diff -o` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// 比较工作簿
    Xlsx,
    /// daff 格式的 CSV 变更表
    Daff,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// 工作簿；其中每张表都会校验。
    #[arg(value_name = "文件")]
    pub file: PathBuf,
    /// 上年的工作簿（或文件夹）：每张表与其对应的上年表比对（配对方式同 `diff`），并报告未随实际调整的目标。
    #[arg(long, value_name = "PRIOR")]
    pub prior: Option<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// 写出按官方样式重排、标注了每个问题的表格，另附“校验结果”工作表。
    #[arg(short = 'o', long = "output", value_name = "MARKED.xlsx")]
    pub output: Option<String>,
    /// 把问题清单写为 JSON 文件。
    #[arg(long, value_name = "REPORT.json")]
    pub json: Option<String>,
    /// 即使输出文件是已填写的绩效目标表也覆盖它。
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// 上年的工作簿，或存放上年工作簿的文件夹。
    #[arg(value_name = "上年")]
    pub prior: PathBuf,
    /// 本年的工作簿，或存放本年工作簿的文件夹。
    #[arg(value_name = "本年")]
    pub current: PathBuf,
    #[command(flatten)]
    pub read: ReadArgs,
    /// 写出比较工作簿（变更汇总、变更明细、本年、目标完成、校验结果）；`--format daff` 时写出 daff 格式的 CSV 变更表。
    #[arg(short = 'o', long = "output", value_name = "DIFF.xlsx")]
    pub output: Option<String>,
    /// -o 的格式：`xlsx`（比较工作簿）或 `daff`（逐行标出新增 +++、删除 ---、修改 旧->新 的 CSV，可用 daff 工具查看或打补丁；只比较一对表）。
    #[arg(
        long,
        value_enum,
        value_name = "格式",
        default_value = "xlsx",
        hide_possible_values = true
    )]
    pub format: DiffFormat,
    /// 把变更写为 JSON 文件。
    #[arg(long, value_name = "CHANGES.json")]
    pub json: Option<String>,
    /// 即使输出文件是已填写的绩效目标表也覆盖它。
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// 模板的预算年度：四位数字，2000–2099；与 --from 同用时须晚于上年表的年度（表中的年份，如 `2023年`，随之结转）。
    #[arg(long, value_name = "YYYY")]
    pub year: String,
    /// 模板所属的单位。
    #[arg(long, value_name = "NAME")]
    pub department: String,
    /// 表格所属的项目（用于有项目名称的模板）。
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,
    /// 由上年的表结转：保留结构和文字，清空数值。模板默认沿用上年表的模板；不用 --from 时默认为 dept-overall。
    #[arg(long, value_name = "PRIOR")]
    pub from: Option<PathBuf>,
    /// 与 --from 同用：取上年工作簿中的第 N 张表（从 1 开始）。
    #[arg(long, value_name = "N", requires = "from")]
    pub table: Option<usize>,
    /// 供填写的空行数，至少 1（默认 30）；与 --from 同用时为上年行之后的空行，0 到 5（默认 5）。
    #[arg(long, value_name = "N")]
    pub rows: Option<String>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// 空白模板的输出文件。
    #[arg(short = 'o', long = "output", value_name = "BLANK.xlsx")]
    pub output: String,
    /// 即使输出文件是已填写的绩效目标表也覆盖它。
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RestyleArgs {
    /// 工作簿；其中每张表各写为一个官方样式的工作表。
    #[arg(value_name = "文件")]
    pub file: PathBuf,
    #[command(flatten)]
    pub read: ReadArgs,
    /// 重写后的工作簿的输出文件。
    #[arg(short = 'o', long = "output", value_name = "OUT.xlsx")]
    pub output: String,
    /// 即使输出文件是已填写的绩效目标表也覆盖它。
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// 文件夹（递归查找）和文件。
    #[arg(required = true, value_name = "文件夹或文件")]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// 汇总工作簿（汇总、文件清单、问题清单；有项目表时另有项目清单）。
    #[arg(short = 'o', long = "output", value_name = "SUMMARY.xlsx")]
    pub output: String,
    /// 把所有表写为 JSON 文件（用 --prior 时另有每对表的变更）。
    #[arg(long, value_name = "ALL.json")]
    pub json: Option<String>,
    /// 上年的文件夹或文件：本年每张表与上年的表配对（配对方式同 `diff`），汇总工作簿另有年度对比、目标完成汇总、仅一年、变更明细和上年文件清单。
    #[arg(long, value_name = "LAST_YEAR", num_args = 1.., action = ArgAction::Append)]
    pub prior: Vec<PathBuf>,
    /// 并行任务数（默认：全部处理器核心）。
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
    /// 即使输出文件是已填写的绩效目标表也覆盖它。
    #[arg(long)]
    pub force: bool,
}

#[cfg(feature = "serve")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// 监听的地址和端口；不是本机地址（127.0.0.1）时，汇总页须输入启动时显示的访问码。
    #[arg(long, value_name = "地址:端口", default_value = "127.0.0.1:8600")]
    pub listen: String,
    /// 报送文件夹：各单位在“提交”页提交的表格存放于此（每次提交另存一份，不覆盖），汇总页汇总此文件夹。
    #[arg(long, value_name = "报送文件夹")]
    pub dir: Option<PathBuf>,
    /// 上年的表格文件夹：汇总页列出各单位与上年相比的变更。
    #[arg(long, value_name = "上年文件夹")]
    pub prior: Option<PathBuf>,
}
