//! jixiao (绩效): read, validate, diff and write 部门预算整体绩效目标表 workbooks.
//!
//! Data flows one way: [`read`] → [`model`] → [`mod@validate`] / [`diff`] → [`mod@write`];
//! [`commands`] glue them together for the CLI.
//!
//! ```
//! use jixiao::model::{Seq, Field};
//! assert_eq!(Seq::from_text("１"), Seq::Number(1));
//! assert_eq!(Field::AnnualValue.label(), "年度指标值");
//! ```

pub mod cli;
pub mod collect;
pub mod commands;
pub mod diff;
pub mod error;
pub mod model;
pub mod output;
pub mod quantity;
pub mod read;
pub mod synth;
pub mod template;
pub mod validate;
pub mod write;
