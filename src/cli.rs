//! Command-line argument types (clap derive) — no logic here.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// jixiao (绩效): read, check, compare and write 绩效目标表 (部门整体 and 项目支出).
#[derive(Debug, Parser)]
#[command(name = "jixiao", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands (spec/cli.md).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read one table into the canonical model and print its JSON.
    Import(ImportArgs),
    /// Check a table; print findings, write a marked workbook and a JSON report.
    Validate(ValidateArgs),
    /// Compare last year's table with this year's.
    Diff(DiffArgs),
    /// Write the year's blank template (optionally rolled forward from last year's).
    Template(TemplateArgs),
    /// Write a submitted table back in the official layout and style.
    Restyle(RestyleArgs),
    /// Import a folder of submissions into one consolidated workbook.
    Collect(CollectArgs),
}

/// Options shared by every command that reads a table.
#[derive(Debug, Args, Clone)]
pub struct ReadArgs {
    /// Read this sheet instead of finding the table's sheet automatically.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// `auto` (each table recognised by its header among the built-in
    /// templates), a template id (`dept-overall`, `project-target`) or the
    /// path of a template .toml: reading is then restricted to it.
    #[arg(long, value_name = "ID", default_value = "auto")]
    pub template: String,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The workbook (.xlsx .xlsm .xls .xlsb .ods, decided by content).
    pub file: PathBuf,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Take the N-th table of the workbook (1-based, in sheet order and top to
    /// bottom within a sheet).
    #[arg(long, value_name = "N", conflicts_with = "all")]
    pub table: Option<usize>,
    /// Print every table of the workbook (the workbook JSON).
    #[arg(long)]
    pub all: bool,
    /// Write the JSON here instead of stdout (`-` is stdout).
    #[arg(short = 'o', long = "output", value_name = "OUT.json")]
    pub output: Option<String>,
    /// 即使输出文件是已填写的绩效目标表也覆盖它。
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The workbook; every table is checked.
    pub file: PathBuf,
    /// Last year's workbook (or folder): each table is checked against its
    /// pair (same pairing as `diff`); also reports targets left unchanged.
    #[arg(long, value_name = "PRIOR")]
    pub prior: Option<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Write the re-styled table with each finding marked, plus a 校验结果 sheet.
    #[arg(short = 'o', long = "output", value_name = "MARKED.xlsx")]
    pub output: Option<String>,
    /// Write the findings as JSON (spec/model.md, Validation JSON).
    #[arg(long, value_name = "REPORT.json")]
    pub json: Option<String>,
    /// 即使输出文件是已填写的绩效目标表也覆盖它。
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Last year's workbook, or a folder of them.
    pub prior: PathBuf,
    /// This year's workbook, or a folder of them.
    pub current: PathBuf,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Write the diff workbook (变更汇总, 变更明细, 本年, 目标完成, 校验结果).
    #[arg(short = 'o', long = "output", value_name = "DIFF.xlsx")]
    pub output: Option<String>,
    /// Write the changes as JSON (spec/model.md, Diff JSON).
    #[arg(long, value_name = "CHANGES.json")]
    pub json: Option<String>,
    /// 即使输出文件是已填写的绩效目标表也覆盖它。
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// The budget year of the template: four digits, 2000–2099; with --from,
    /// after the prior table's year (its year tokens, `2023年`, roll to it).
    #[arg(long, value_name = "YYYY")]
    pub year: String,
    /// The department (单位) the template is for.
    #[arg(long, value_name = "NAME")]
    pub department: String,
    /// The project the table is for (a template with a 项目名称 field).
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,
    /// Roll forward from last year's table: structure and texts kept, values
    /// emptied. The template defaults to the prior table's; without --from, to
    /// dept-overall.
    #[arg(long, value_name = "PRIOR")]
    pub from: Option<PathBuf>,
    /// With --from: take the N-th table of the prior workbook (1-based).
    #[arg(long, value_name = "N", requires = "from")]
    pub table: Option<usize>,
    /// Empty rows to type into, at least 1 (default 30). With --from: spare
    /// rows after last year's, 0 to 5 (default 5).
    #[arg(long, value_name = "N")]
    pub rows: Option<String>,
    #[command(flatten)]
    pub read: ReadArgs,
    #[arg(short = 'o', long = "output", value_name = "BLANK.xlsx")]
    pub output: String,
    /// 即使输出文件是已填写的绩效目标表也覆盖它。
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RestyleArgs {
    /// The workbook; every table is written, one official sheet each.
    pub file: PathBuf,
    #[command(flatten)]
    pub read: ReadArgs,
    #[arg(short = 'o', long = "output", value_name = "OUT.xlsx")]
    pub output: String,
    /// 即使输出文件是已填写的绩效目标表也覆盖它。
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// Folders (walked recursively) and files.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// The consolidated workbook (汇总, 文件清单, 问题清单; 项目清单 with project tables).
    #[arg(short = 'o', long = "output", value_name = "SUMMARY.xlsx")]
    pub output: String,
    /// Write the JSON of all tables.
    #[arg(long, value_name = "ALL.json")]
    pub json: Option<String>,
    /// Parallel jobs (default: all cores).
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
    /// 即使输出文件是已填写的绩效目标表也覆盖它。
    #[arg(long)]
    pub force: bool,
}
