//! Loads a template spec (`templates/*.toml`): the header tree, field mapping and rule settings.
//!
//! Templates are data: the reader matches headers against [`Template::columns`],
//! the validator reads [`Template::rules`] and each leaf's `required`, and the
//! writer lays out the header from the same tree.

use crate::model::Field;
use serde::Deserialize;
use std::path::Path;

/// The built-in templates, compiled into the binary so it runs from anywhere.
const BUILTIN: &[(&str, &str)] = &[(
    "dept-overall",
    include_str!("../templates/dept-overall.toml"),
)];

/// The id of the template used when none is given.
pub const DEFAULT_TEMPLATE: &str = "dept-overall";

/// One template: what its table looks like and how to check it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub id: String,
    pub name: String,
    /// Captures (1) the year and (2) the department from a title.
    pub title_regex: String,
    /// `{year}` and `{department}` are replaced.
    pub title_format: String,
    /// A unit line naming the department (named group `department`).
    pub unit_line_regex: String,
    /// Rows the official header occupies.
    pub header_rows: u32,
    /// The row (1-based) the header starts on in the official layout.
    pub header_first_row: u32,
    /// A row starting with one of these ends the table.
    pub footnote_prefixes: Vec<String>,
    /// Drop-down suggestions for columns with `suggestions = true`.
    pub source_suggestions: Vec<String>,
    /// The header tree, left to right.
    pub columns: Vec<Column>,
    pub rules: Rules,
}

/// A header cell: a leaf (with `field`) or a group (with `children`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// The official label, as written in the template.
    pub label: String,
    /// Other spellings seen in submissions.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The model field a leaf fills.
    pub field: Option<Field>,
    #[serde(default)]
    pub children: Vec<Column>,
    /// This column identifies a duty (merged over the duty's rows).
    #[serde(default)]
    pub duty: bool,
    /// Severity of `missing_value` when the cell is empty; `None`: may be empty.
    pub required: Option<Required>,
    /// Official width in characters.
    #[serde(default = "default_width")]
    pub width: f64,
    #[serde(default)]
    pub align: Align,
    /// Offer [`Template::source_suggestions`] as a drop-down.
    #[serde(default)]
    pub suggestions: bool,
    /// What goes in the column (the blank template's input message).
    #[serde(default)]
    pub input_message: String,
}

fn default_width() -> f64 {
    10.0
}

/// How serious an empty required cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Required {
    Error,
    Warning,
}

/// Horizontal alignment of a data column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    Left,
    #[default]
    Center,
}

/// Settings of the validation rules (spec/rules.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// `percent_out_of_range` applies to names ending in one of these.
    pub bounded_rate_suffixes: Vec<String>,
    /// …except names containing one of these.
    pub growth_rate_words: Vec<String>,
    /// Regular expressions: names of lower-is-better indicators.
    pub lower_is_better: Vec<String>,
    /// Words that make a value a recognisable qualitative target.
    pub qualitative_words: Vec<String>,
    /// `target_below_history` does not fire for annual targets in these units
    /// (`%`: a rate target is a floor standard, not a count to grow).
    #[serde(default = "default_skip_units")]
    pub target_below_history_skip_units: Vec<String>,
}

fn default_skip_units() -> Vec<String> {
    vec!["%".to_string()]
}

/// A leaf of the header tree with its place in the official layout.
#[derive(Debug, Clone)]
pub struct Leaf<'a> {
    pub column: &'a Column,
    pub field: Field,
    /// 0-based column in the official layout.
    pub col: u16,
    /// Labels from the top group down to this leaf (`["标准值（…）", "当年标准值", "来源"]`).
    pub path: Vec<&'a str>,
}

/// Why a template could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("未知的模板 {0}（可用：dept-overall）")]
    Unknown(String),
    #[error("模板文件无法读取：{0}")]
    Io(String),
    #[error("模板文件格式错误：{0}")]
    Parse(String),
}

impl Template {
    /// A built-in template by id (`dept-overall`), or a template file by path.
    pub fn load(id_or_path: &str) -> Result<Template, TemplateError> {
        if let Some((_, text)) = BUILTIN.iter().find(|(id, _)| *id == id_or_path) {
            return Template::from_toml(text);
        }
        let path = Path::new(id_or_path);
        if id_or_path.ends_with(".toml") || path.exists() {
            let text = std::fs::read_to_string(path)
                .map_err(|e| TemplateError::Io(format!("{id_or_path}: {e}")))?;
            return Template::from_toml(&text);
        }
        Err(TemplateError::Unknown(id_or_path.to_string()))
    }

    /// The default template (`dept-overall`).
    pub fn default_template() -> Template {
        Template::load(DEFAULT_TEMPLATE).expect("the built-in template parses")
    }

    /// Parses and checks a template spec.
    pub fn from_toml(text: &str) -> Result<Template, TemplateError> {
        let t: Template = toml::from_str(text).map_err(|e| TemplateError::Parse(e.to_string()))?;
        let leaves = t.leaves();
        for f in Field::ALL {
            let n = leaves.iter().filter(|l| l.field == f).count();
            if n > 1 {
                return Err(TemplateError::Parse(format!(
                    "字段 {} 出现了 {n} 次",
                    f.key()
                )));
            }
        }
        if !leaves.iter().any(|l| l.field == Field::Name) {
            return Err(TemplateError::Parse("模板没有 name（绩效指标）列".into()));
        }
        regex::Regex::new(&t.title_regex).map_err(|e| TemplateError::Parse(e.to_string()))?;
        regex::Regex::new(&t.unit_line_regex).map_err(|e| TemplateError::Parse(e.to_string()))?;
        for r in &t.rules.lower_is_better {
            regex::Regex::new(r).map_err(|e| TemplateError::Parse(e.to_string()))?;
        }
        Ok(t)
    }

    /// The leaves of the header tree, left to right, with their official columns.
    pub fn leaves(&self) -> Vec<Leaf<'_>> {
        fn walk<'a>(cols: &'a [Column], path: &mut Vec<&'a str>, out: &mut Vec<Leaf<'a>>) {
            for c in cols {
                path.push(&c.label);
                if c.children.is_empty() {
                    if let Some(field) = c.field {
                        out.push(Leaf {
                            column: c,
                            field,
                            col: out.len() as u16,
                            path: path.clone(),
                        });
                    }
                } else {
                    walk(&c.children, path, out);
                }
                path.pop();
            }
        }
        let mut out = Vec::new();
        walk(&self.columns, &mut Vec::new(), &mut out);
        out
    }

    /// The leaf that fills `field`, if the template has it.
    pub fn leaf(&self, field: Field) -> Option<Leaf<'_>> {
        self.leaves().into_iter().find(|l| l.field == field)
    }

    /// Depth of the header tree (3 for dept-overall).
    pub fn depth(&self) -> u32 {
        fn d(cols: &[Column]) -> u32 {
            cols.iter().map(|c| 1 + d(&c.children)).max().unwrap_or(0)
        }
        d(&self.columns)
    }

    /// The official title for a year and department.
    pub fn title(&self, year: i32, department: &str) -> String {
        self.title_format
            .replace("{year}", &year.to_string())
            .replace("{department}", department)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_template_has_thirteen_leaves_in_official_order() {
        let t = Template::default_template();
        let fields: Vec<Field> = t.leaves().iter().map(|l| l.field).collect();
        assert_eq!(fields, Field::ALL.to_vec());
        assert_eq!(t.depth(), 3);
        assert_eq!(t.header_rows, 3);
        let src = t.leaf(Field::StandardSource).unwrap();
        assert_eq!(src.path.len(), 3);
        assert_eq!(src.col, 8);
        assert!(src.column.suggestions);
    }

    #[test]
    fn title_format_and_regex_agree() {
        let t = Template::default_template();
        let title = t.title(2024, "临沂市教育局");
        assert_eq!(title, "2024年临沂市教育局部门预算整体绩效目标表");
        let re = regex::Regex::new(&t.title_regex).unwrap();
        let c = re.captures(&title).unwrap();
        assert_eq!(&c[1], "2024");
        assert_eq!(&c[2], "临沂市教育局");
    }

    #[test]
    fn unknown_template_is_a_clear_error() {
        let e = Template::load("no-such").unwrap_err();
        assert!(e.to_string().contains("no-such"));
    }
}
