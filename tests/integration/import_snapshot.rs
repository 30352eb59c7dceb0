//! `jixiao import examples/linyi-education-2023.xlsx` reproduces the seed's
//! content exactly: a snapshot of the whole JSON, `parsed` included.
//!
//! The snapshot was read against the seed (`shared/seeds/000_398316883b87688f.txt`,
//! a PDF's scrambled text) before it was accepted; see examples/README.md for
//! what the example fills in where the PDF lost text.

use assert_cmd::Command;
use serde_json::Value;

const EXAMPLE: &str = "examples/linyi-education-2023.xlsx";

#[test]
fn import_of_the_2023_example() {
    let out = Command::cargo_bin("jixiao")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["import", EXAMPLE])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut table: Value = serde_json::from_slice(&out).unwrap();
    // The path as given, whatever the platform's separators.
    let path = table["source"]["path"].as_str().unwrap().replace('\\', "/");
    assert!(path.ends_with(EXAMPLE), "{path}");
    table["source"]["path"] = Value::String(EXAMPLE.to_string());
    insta::assert_json_snapshot!("linyi_education_2023", table);
}
