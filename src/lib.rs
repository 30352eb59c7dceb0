//! jixiao (绩效): read, validate, diff and write 绩效目标表 workbooks, whatever their template.
//!
//! Data flows one way: [`read`] → [`model`] → [`mod@validate`] / [`diff`] → [`mod@write`];
//! `commands` glue them together for the CLI (cargo feature `cli`, on by
//! default; without it the library builds with no argument parser, progress bar
//! or folder walker); `serve` (on by default, needs `cli`) adds the web pages of
//! `jixiao serve`. A [`template`] file decides a table's shape; the code
//! speaks of roles and levels.
//!
//! ```
//! use jixiao::model::{Role, Seq};
//! use jixiao::template::Template;
//! assert_eq!(Seq::from_text("１"), Seq::Number(1));
//! let shape = Template::default_template().shape();
//! let target = shape.indicator_role(Role::Target).unwrap();
//! assert_eq!(shape.indicator[target].label, "年度指标值");
//! ```

#[cfg(feature = "cli")]
pub mod cli;
pub mod collect;
#[cfg(feature = "cli")]
pub mod commands;
pub mod diff;
pub mod error;
pub mod extras_sheet;
pub mod model;
pub mod output;
pub mod quantity;
pub mod read;
#[cfg(feature = "serve")]
pub mod serve;
pub mod synth;
pub mod template;
pub mod text;
pub mod validate;
pub mod write;
