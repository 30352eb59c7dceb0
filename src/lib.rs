//! jixiao (绩效): read, validate, diff and write 绩效目标表 workbooks, whatever their template.
//!
//! The front door is re-exported here: read a workbook (a path or its bytes)
//! into [`Table`]s, check one with [`validate()`], compare two years with
//! [`diff()`], and write the official ([`official_workbook`]), marked
//! ([`marked_workbook`]), diff ([`diff_workbook`]), blank template
//! ([`blank_template`]) and summary ([`collect_workbook`]) workbooks. Every
//! failure is an [`Error`] whose text is one line for a clerk, naming the file.
//!
//! The command-line tool sits on top behind the cargo feature `cli` (on by
//! default); `serve` (on by default, needs `cli`) adds the web pages of
//! `jixiao serve`. `default-features = false` leaves the library alone.
//!
//! ```
//! use jixiao::{diff, official_workbook, read_file, validate, ReadOptions, Template};
//! use std::path::Path;
//!
//! let templates = Template::builtins();
//! let opts = ReadOptions { sheet: None, templates: &templates };
//! let last = read_file(Path::new("examples/linyi-education-2022.xlsx"), &opts)?;
//! let this = read_file(Path::new("examples/linyi-education-2023.xlsx"), &opts)?;
//! assert_eq!((this.year, this.department.as_deref()), (Some(2023), Some("临沂市教育局")));
//!
//! let template = Template::default_template();
//! let report = validate(&this, &template, Some(&last));
//! assert_eq!(report.errors, 0);
//!
//! let changes = diff(&last, &this);
//! assert_eq!(changes.summary.added, 1);
//!
//! let xlsx: Vec<u8> = official_workbook(&[(&this, &template)])?;
//! assert!(xlsx.starts_with(b"PK"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Data flows one way: [`read`] → [`model`] → [`mod@validate`] / [`mod@diff`] →
//! [`mod@write`]. A [`template`] file decides a table's shape; the code speaks of
//! roles and levels. The command-line tool sits on top behind the cargo feature
//! `cli` (on by default); `default-features = false` leaves the library alone,
//! with no argument parser, progress bar or folder walker.

#![warn(missing_docs)]

#[cfg(feature = "cli")]
pub(crate) mod cli;
pub mod collect;
#[cfg(feature = "cli")]
pub(crate) mod commands;
#[cfg(feature = "cli")]
pub(crate) mod csv;
pub mod diff;
#[cfg(feature = "cli")]
mod entry;
pub mod error;
pub(crate) mod extras_sheet;
#[cfg(feature = "cli")]
pub(crate) mod json;
pub mod model;
#[cfg(feature = "cli")]
pub(crate) mod output;
pub mod prior;
pub mod quantity;
pub mod read;
#[cfg(feature = "serve")]
pub mod serve;
pub mod synth;
pub mod template;
pub mod text;
pub mod validate;
pub mod write;

pub use collect::Collection;
pub use diff::{diff, diff_workbooks, pair_tables, DiffReport};
#[cfg(feature = "cli")]
pub use entry::main as cli_main;
pub use error::{Error, Result};
pub use model::{Table, Workbook};
pub use read::{read_bytes, read_file, read_workbook, read_workbook_bytes, ReadOptions};
pub use template::Template;
pub use validate::{validate, Code, Finding, Report, Severity};
pub use write::{
    blank_template, collect_workbook, diff_workbook, marked_workbook, official_workbook,
};
