//! The one integration-test crate: every test module below links the library once.

mod common;
mod seed;
mod xlsx_xml;

mod broken_pipe;
mod collect;
mod collect_prior;
mod custom_template;
mod diff_cli;
mod diff_examples;
mod diff_matching;
mod diff_project;
mod diff_workbook;
mod hostile_inputs;
mod hostile_proptest;
mod import_snapshot;
mod internal_error;
mod output_targets;
mod project_cli;
mod read_basic;
mod read_cli;
mod read_fixtures;
mod read_fuzz;
mod read_perf;
mod read_project;
mod roundtrip_fixtures;
mod roundtrip_prop;
mod serve;
mod template_fill;
mod validate_cli;
mod validate_marked;
mod validate_project;
mod validate_props;
mod validate_rules;
mod write_official;
mod write_project;
