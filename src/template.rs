//! Loads a template (`templates/*.toml`): the form block, the header tree, the grouping levels, roles, categories, layout and rule settings.
//!
//! Templates are data. A template file decides a table's shape: which labelled
//! fields sit above the grid ([`Template::form`]), the grid's header tree
//! ([`Template::columns`]), which of its columns identify a group at which
//! level ([`Template::levels`]), what role each field plays, the category
//! lists, the official layout and the rules' settings. The rest of the code
//! asks for roles and levels ([`Shape`]); this module is the only one that
//! knows a template by its id. The file format is documented in
//! `docs/templates.md`.
//!
//! # Examples
//!
//! The built-in templates, and what one of them decides:
//!
//! ```
//! use jixiao::model::Role;
//! use jixiao::Template;
//!
//! let ids: Vec<String> = Template::builtins().into_iter().map(|t| t.id).collect();
//! assert_eq!(ids, ["dept-overall", "project-target"]);
//!
//! let t = Template::load("project-target")?; // an id, or a path to a .toml
//! let shape = t.shape();
//! assert!(!shape.nested); // indicators listed flat, their categories repeated on each
//! assert_eq!(shape.levels.len(), 2); // 一级指标 / 二级指标
//! let name = shape.indicator_role(Role::Name).unwrap();
//! assert_eq!(shape.indicator[name].json, "name");
//! // The official layout's columns, left to right, each with its header labels.
//! let leaves = t.leaves();
//! assert!(leaves.windows(2).all(|w| w[0].col < w[1].col));
//! // The title a blank of the year is given (a project table's names no unit).
//! assert_eq!(t.title(2026, "临沂市教育局"), "2026年度项目支出绩效目标表");
//! # Ok::<(), jixiao::template::TemplateError>(())
//! ```

use crate::model::{FieldRef, FieldSpec, Level, Role, Shape};
use indexmap::IndexMap;
use serde::Deserialize;
use std::path::Path;
use std::sync::Arc;

/// The built-in templates, compiled into the binary so it runs from anywhere.
const BUILTIN: &[(&str, &str)] = &[
    (
        "dept-overall",
        include_str!("../templates/dept-overall.toml"),
    ),
    (
        "project-target",
        include_str!("../templates/project-target.toml"),
    ),
];

/// Keys findings and changes use for themselves: a level may not be named
/// by one of them in JSON (a level `kind` would hide a change's `kind`).
const RESERVED_JSON_KEYS: &[&str] = &[
    "kind",
    "project",
    "indicator",
    "field",
    "old",
    "new",
    "delta",
    "severity",
    "code",
    "sheet",
    "cell",
    "message",
    "rule",
];

/// The id of the template used when none is given and none can be recognised.
pub const DEFAULT_TEMPLATE: &str = "dept-overall";

/// One template: what its table looks like and how to check it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// The id tables carry in their `template` (`dept-overall`).
    pub id: String,
    /// The table's official name (`部门预算整体绩效目标表`).
    pub name: String,
    /// Regular expressions a title matches; named groups `year` and
    /// `department` (either optional) say what it names. Tried in order.
    pub title_regexes: Vec<String>,
    /// The official title: `{year}` and `{department}` are replaced.
    pub title_format: String,
    /// A unit line above the grid; named groups fill the table's `department`
    /// and form fields of the same key (`money_unit`).
    pub unit_line_regex: String,
    /// The unit line the official layout writes on row 2 (`金额单位：{money_unit}`), if any.
    #[serde(default)]
    pub unit_line_format: Option<String>,
    /// Rows the official grid header occupies.
    pub header_rows: u32,
    /// A row whose first non-empty cell starts with one of these ends the table.
    pub footnote_prefixes: Vec<String>,
    /// Named lists of drop-down suggestions, referred to by a column's `suggestions`.
    #[serde(default)]
    pub lists: IndexMap<String, Vec<String>>,
    /// How the JSON lays out groups and indicators.
    pub json: JsonSpec,
    /// The grouping levels of the grid, outermost first.
    pub levels: Vec<LevelSpec>,
    /// The labelled fields above the grid, in official order.
    #[serde(default)]
    pub form: Vec<FormField>,
    /// The official form block, row by row.
    #[serde(default)]
    pub form_rows: Vec<FormRow>,
    /// A label merged down the grid's first column (`绩效指标`), if the layout has one.
    #[serde(default)]
    pub side_label: Option<SideLabel>,
    /// The header tree, left to right.
    pub columns: Vec<Column>,
    /// A score riding on a group label (`产出指标（50分）`): named groups `name` and `score`.
    #[serde(default)]
    pub score_regex: Option<String>,
    /// The known categories: each 一级 with its 二级 (both schemes).
    #[serde(default)]
    pub categories: Vec<Category>,
    /// Page setup of the official layout.
    #[serde(default)]
    pub page: Page,
    /// Settings of the validation rules.
    pub rules: Rules,
    /// Derived from the rest when loaded.
    #[serde(skip)]
    shape: Arc<Shape>,
}

/// How the JSON lays out groups and indicators.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonSpec {
    /// The key listing the groups (`duties`, `categories`).
    pub groups: String,
    /// `true`: indicators inside their group; `false`: one flat `indicators` list.
    pub nested: bool,
    /// The `field` of a `moved` change; absent: the level's `json` for a
    /// one-level grid, `category` for several levels.
    #[serde(default)]
    pub moved: Option<String>,
}

/// One grouping level.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelSpec {
    /// What a group of this level is called for people (`职责`, `一级指标`).
    pub name: String,
    /// The key naming the group in findings and changes (`duty`, `level1`).
    pub json: String,
    /// The field (a column with this `level`) that identifies a group.
    pub key: String,
}

/// A labelled field of the form block.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormField {
    /// The field's id (`funds_total`).
    pub field: String,
    /// The official label; empty for a field with no label of its own (a code split off another).
    #[serde(default)]
    pub label: String,
    /// Other spellings seen in submissions.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The short label a clerk knows the field by; the label when absent.
    #[serde(default)]
    pub short: Option<String>,
    /// What the field is for.
    #[serde(default)]
    pub role: Option<Role>,
    /// Severity of `missing_value` when empty.
    #[serde(default)]
    pub required: Option<Required>,
    /// An amount in the table's money unit (parsed into 元).
    #[serde(default)]
    pub money: bool,
    /// Emptied when the table is rolled forward.
    #[serde(default)]
    pub clear_on_roll: bool,
    /// The value is the bracketed part of the label itself (`项目资金（万元）` → `万元`).
    #[serde(default)]
    pub from_label: bool,
    /// The value when the table does not say.
    #[serde(default)]
    pub default: Option<String>,
    /// A code in the value (`[015001]临沂市教育局`) goes to this field.
    #[serde(default)]
    pub split_code: Option<String>,
    /// What goes in the field (the blank template's input message).
    #[serde(default)]
    pub input_message: String,
}

/// One row of the official form block.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormRow {
    /// Written only when the table has a value for one of the row's fields.
    #[serde(default)]
    pub optional: bool,
    /// The row's cells, left to right (columns taken by a side text of a row
    /// above are skipped).
    pub cells: Vec<FormCell>,
}

/// One cell of a form row: a field's label, a field's value or a fixed text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormCell {
    /// The label of this form field.
    #[serde(default)]
    pub label: Option<String>,
    /// The value of this form field.
    #[serde(default)]
    pub value: Option<String>,
    /// A fixed text; `{money_unit}` (any form field key) is replaced.
    #[serde(default)]
    pub text: Option<String>,
    /// Columns the cell spans; 0: to the grid's last column.
    #[serde(default = "one")]
    pub span: u16,
    /// Rows the cell spans (a side text over several rows).
    #[serde(default = "one")]
    pub rows: u16,
}

fn one() -> u16 {
    1
}

/// A label merged down the grid's first column.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SideLabel {
    /// Its text (`绩效指标`).
    pub label: String,
    /// Other spellings.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Its column width in characters.
    #[serde(default = "default_width")]
    pub width: f64,
}

/// A known 一级 category with its 二级 categories.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// The 一级 name.
    pub level1: String,
    /// The 二级 names that belong under it.
    pub level2: Vec<String>,
}

/// Page setup of the official layout.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// `true`: A4 landscape; `false`: A4 portrait.
    #[serde(default = "yes")]
    pub landscape: bool,
}

impl Default for Page {
    fn default() -> Page {
        Page { landscape: true }
    }
}

fn yes() -> bool {
    true
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
    /// The field a leaf fills.
    #[serde(default)]
    pub field: Option<String>,
    /// The sub-columns of a group header.
    #[serde(default)]
    pub children: Vec<Column>,
    /// This column identifies a group of this level (1 = outermost), merged
    /// over the group's rows; absent: an indicator field.
    #[serde(default)]
    pub level: Option<usize>,
    /// Its key in the JSON; the field id when absent.
    #[serde(default)]
    pub json: Option<String>,
    /// The short label a clerk knows the field by; the label when absent.
    #[serde(default)]
    pub short: Option<String>,
    /// What the field is for.
    #[serde(default)]
    pub role: Option<Role>,
    /// The text may read as a quantity (parsed).
    #[serde(default)]
    pub value: bool,
    /// Written in JSON as a number where the text is one.
    #[serde(default)]
    pub numeric: bool,
    /// Flat JSON: repeated on each indicator object.
    #[serde(default)]
    pub on_indicator: bool,
    /// A score on this group's label goes to this group field (`level1_score`).
    #[serde(default)]
    pub score_field: Option<String>,
    /// Emptied when the table is rolled forward (default: value fields).
    #[serde(default)]
    pub clear_on_roll: Option<bool>,
    /// Written in the official layout only when the table has the column.
    #[serde(default)]
    pub optional: bool,
    /// Severity of `missing_value` when the cell is empty; `None`: may be empty.
    #[serde(default)]
    pub required: Option<Required>,
    /// Official width in characters.
    #[serde(default = "default_width")]
    pub width: f64,
    /// Horizontal alignment of the data cells.
    #[serde(default)]
    pub align: Align,
    /// Drop-down suggestions in the blank template: a list of [`Template::lists`],
    /// or `categories` (this level's known category names).
    #[serde(default)]
    pub suggestions: Option<String>,
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
    /// The table cannot be accepted.
    Error,
    /// A reviewer should look.
    Warning,
}

/// Horizontal alignment of a data column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Left-aligned (long text).
    Left,
    /// Centred.
    #[default]
    Center,
    /// Right-aligned (amounts).
    Right,
}

/// Settings of the validation rules (spec/rules.md). A rule whose settings or
/// roles a template lacks does not apply to its tables.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// `percent_out_of_range` applies to names ending in one of these.
    #[serde(default)]
    pub bounded_rate_suffixes: Vec<String>,
    /// …except names containing one of these.
    #[serde(default)]
    pub growth_rate_words: Vec<String>,
    /// Regular expressions: names of lower-is-better indicators.
    #[serde(default)]
    pub lower_is_better: Vec<String>,
    /// Words that make a value a recognisable qualitative target.
    #[serde(default)]
    pub qualitative_words: Vec<String>,
    /// `target_below_history` does not fire for targets in these units.
    #[serde(default)]
    pub target_below_history_skip_units: Vec<String>,
    /// `missing_category`: 一级 categories that need at least one indicator.
    #[serde(default)]
    pub required_categories: Vec<String>,
    /// `cost_direction`: categories (一级 or 二级) whose targets are ceilings.
    #[serde(default)]
    pub cost_categories: Vec<String>,
    /// `placeholder_value`: texts that are only a template placeholder.
    #[serde(default)]
    pub placeholders: Vec<String>,
    /// `placeholder_value`: marks standing where a number should be (`≥××%`, `xx个`).
    #[serde(default)]
    pub placeholder_marks: Vec<String>,
    /// Rule codes switched off for this template.
    #[serde(default)]
    pub skip: Vec<String>,
}

/// A leaf of the header tree with its place in the official layout.
#[derive(Debug, Clone)]
pub struct Leaf<'a> {
    /// The header cell.
    pub column: &'a Column,
    /// The field it fills (its key is `column.field`).
    pub field: FieldRef,
    /// The field's id.
    pub key: &'a str,
    /// 0-based column in the official layout, counting every leaf (optional
    /// ones included) after the side label's column.
    pub col: u16,
    /// Labels from the top group down to this leaf (`["标准值（…）", "当年标准值", "来源"]`).
    pub path: Vec<&'a str>,
}

/// Why a template could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// No built-in template has this id and no file has this path.
    #[error("未知的模板 {0}（可用：{ids}）", ids = builtin_ids().join("、"))]
    Unknown(String),
    /// The template file could not be read.
    #[error("模板文件无法读取：{path}：{why}")]
    Io {
        /// The path as given.
        path: String,
        /// The system's reason.
        why: String,
    },
    /// The template file is not a valid template.
    #[error("模板文件格式错误：{0}")]
    Parse(String),
}

/// The ids of the built-in templates.
pub fn builtin_ids() -> Vec<&'static str> {
    BUILTIN.iter().map(|(id, _)| *id).collect()
}

impl Template {
    /// A built-in template by id (`dept-overall`, `project-target`), or a template file by path.
    pub fn load(id_or_path: &str) -> Result<Template, TemplateError> {
        if let Some((_, text)) = BUILTIN.iter().find(|(id, _)| *id == id_or_path) {
            return Template::from_toml(text);
        }
        let path = Path::new(id_or_path);
        if id_or_path.ends_with(".toml") || path.exists() {
            let text = std::fs::read_to_string(path).map_err(|e| TemplateError::Io {
                path: id_or_path.to_string(),
                why: e.to_string(),
            })?;
            return Template::from_toml(&text);
        }
        Err(TemplateError::Unknown(id_or_path.to_string()))
    }

    /// Every built-in template, in a fixed order (what `--template auto` tries).
    pub fn builtins() -> Vec<Template> {
        BUILTIN
            .iter()
            .map(|(_, text)| Template::from_toml(text).expect("the built-in templates parse"))
            .collect()
    }

    /// The default template (`dept-overall`).
    pub fn default_template() -> Template {
        Template::load(DEFAULT_TEMPLATE).expect("the built-in template parses")
    }

    /// Parses and checks a template file's text.
    pub fn from_toml(text: &str) -> Result<Template, TemplateError> {
        let mut t: Template =
            toml::from_str(text).map_err(|e| TemplateError::Parse(e.to_string()))?;
        t.shape = Arc::new(t.build_shape()?);
        for r in t
            .title_regexes
            .iter()
            .chain(std::iter::once(&t.unit_line_regex))
            .chain(t.score_regex.iter())
            .chain(t.rules.lower_is_better.iter())
        {
            // Checked, not compiled: `text::cached_regex` compiles a pattern
            // the first time a table needs it.
            regex_syntax::Parser::new()
                .parse(r)
                .map_err(|e| TemplateError::Parse(format!("{r}：{e}")))?;
        }
        for row in &t.form_rows {
            for c in &row.cells {
                for k in c.label.iter().chain(c.value.iter()) {
                    if t.shape.form_field(k).is_none() {
                        return Err(TemplateError::Parse(format!(
                            "form_rows 提到的字段 {k} 不在 form 中"
                        )));
                    }
                }
            }
        }
        Ok(t)
    }

    /// The shape of this template's tables.
    pub fn shape(&self) -> Arc<Shape> {
        self.shape.clone()
    }

    fn build_shape(&self) -> Result<Shape, TemplateError> {
        let err = |s: String| TemplateError::Parse(s);
        let mut shape = Shape {
            template: self.id.clone(),
            groups_key: self.json.groups.clone(),
            nested: self.json.nested,
            ..Shape::default()
        };
        for f in &self.form {
            shape.form.push(FieldSpec {
                key: f.field.clone(),
                json: f.field.clone(),
                label: f.short.clone().unwrap_or_else(|| {
                    short_label(if f.label.is_empty() {
                        &f.field
                    } else {
                        &f.label
                    })
                }),
                role: f.role,
                money: f.money,
                clear_on_roll: f.clear_on_roll || f.money,
                ..FieldSpec::default()
            });
        }
        for f in &self.form {
            if let Some(code) = &f.split_code {
                if !self.form.iter().any(|g| &g.field == code) {
                    return Err(err(format!("split_code 字段 {code} 不在 form 中")));
                }
            }
        }
        let mut leaves = Vec::new();
        collect_leaves(&self.columns, &mut leaves);
        let mut groups: Vec<(usize, FieldSpec)> = Vec::new();
        for c in &leaves {
            let Some(key) = &c.field else { continue };
            let spec = FieldSpec {
                key: key.clone(),
                json: c.json.clone().unwrap_or_else(|| key.clone()),
                label: c.short.clone().unwrap_or_else(|| short_label(&c.label)),
                role: c.role,
                level: c.level.unwrap_or(1).saturating_sub(1),
                value: c.value,
                numeric: c.numeric,
                on_indicator: c.on_indicator,
                clear_on_roll: c.clear_on_roll.unwrap_or(c.value),
                ..FieldSpec::default()
            };
            match c.level {
                Some(0) => return Err(err(format!("字段 {key} 的 level 从 1 开始"))),
                Some(l) if l > self.levels.len() => {
                    return Err(err(format!("字段 {key} 的 level {l} 没有对应的 levels 项")))
                }
                Some(_) => {
                    let level = spec.level;
                    let score = c.score_field.clone();
                    groups.push((level, spec));
                    if let Some(s) = score {
                        groups.push((
                            level,
                            FieldSpec {
                                key: s.clone(),
                                json: s.clone(),
                                label: format!("{}分值", short_label(&c.label)),
                                role: Some(Role::GroupScore),
                                level,
                                on_indicator: false,
                                ..FieldSpec::default()
                            },
                        ));
                    }
                }
                None => shape.indicator.push(spec),
            }
        }
        // Outermost level first; tree order within a level.
        groups.sort_by_key(|(l, _)| *l);
        shape.group = groups.into_iter().map(|(_, s)| s).collect();
        for l in &self.levels {
            if RESERVED_JSON_KEYS.contains(&l.json.as_str()) {
                return Err(err(format!(
                    "levels 的 json 键 {} 与变更或问题记录自身的键冲突（不可用：{}）",
                    l.json,
                    RESERVED_JSON_KEYS.join("、")
                )));
            }
            let key = shape
                .group
                .iter()
                .position(|f| f.key == l.key)
                .ok_or_else(|| err(format!("levels 的 key {} 不是带 level 的列", l.key)))?;
            shape.levels.push(Level {
                name: l.name.clone(),
                json: l.json.clone(),
                key,
            });
        }
        shape.moved = match (&self.json.moved, shape.levels.as_slice()) {
            (Some(m), _) => m.clone(),
            (None, [one]) => one.json.clone(),
            (None, _) => "category".to_string(),
        };
        // Keys are unique within the form and within the grid (a form's
        // `name` is the project's, a grid's `name` the indicator's).
        for fields in [
            shape.form.iter().collect::<Vec<_>>(),
            shape.group.iter().chain(&shape.indicator).collect(),
        ] {
            let mut seen = std::collections::HashSet::new();
            for f in fields {
                if !seen.insert(f.key.as_str()) {
                    return Err(err(format!("字段 {} 出现了不止一次", f.key)));
                }
            }
        }
        if shape.indicator_role(Role::Name).is_none() {
            return Err(err("模板没有 role = \"name\" 的指标列".into()));
        }
        Ok(shape)
    }

    /// The leaves of the header tree, left to right, with their official columns.
    pub fn leaves(&self) -> Vec<Leaf<'_>> {
        fn walk<'a>(
            t: &'a Template,
            cols: &'a [Column],
            path: &mut Vec<&'a str>,
            out: &mut Vec<Leaf<'a>>,
        ) {
            for c in cols {
                path.push(&c.label);
                if c.children.is_empty() {
                    if let Some(key) = &c.field {
                        if let Some(field) = t.shape.grid_field(key) {
                            out.push(Leaf {
                                column: c,
                                field,
                                key,
                                col: out.len() as u16 + u16::from(t.side_label.is_some()),
                                path: path.clone(),
                            });
                        }
                    }
                } else {
                    walk(t, &c.children, path, out);
                }
                path.pop();
            }
        }
        let mut out = Vec::new();
        walk(self, &self.columns, &mut Vec::new(), &mut out);
        out
    }

    /// The leaf that fills the field with this key, if the template has it.
    pub fn leaf(&self, key: &str) -> Option<Leaf<'_>> {
        self.leaves().into_iter().find(|l| l.key == key)
    }

    /// The leaf that fills a field.
    pub fn leaf_of(&self, field: FieldRef) -> Option<Leaf<'_>> {
        self.leaves().into_iter().find(|l| l.field == field)
    }

    /// The form field spec of the template file for a form field key.
    pub fn form_field(&self, key: &str) -> Option<&FormField> {
        self.form.iter().find(|f| f.field == key)
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

    /// The official title built from what is known: [`Template::title`] when
    /// the year and (if the title names one) the department are; else the
    /// `title_format` without the unknown placeholders and the words tied to
    /// them (the literal after a placeholder, up to the next one, less the
    /// table's `name` it ends with; the last literal stays when the template
    /// has no name), so `{year}年{department}部门预算…表` with no year gives
    /// `{department}部门预算…表`, and with nothing known the table's name.
    pub fn title_of(&self, year: Option<i32>, department: Option<&str>) -> String {
        let department = department.map(str::trim).filter(|d| !d.is_empty());
        let year_text = year.map(|y| y.to_string());
        let known = |name: &str| match name {
            "year" => year_text.as_deref(),
            "department" => department,
            _ => None,
        };
        let mut out = String::new();
        let mut rest = self.title_format.as_str();
        // Whether the placeholder just passed is unknown (the literal before the first stays).
        let mut unknown = false;
        loop {
            let (literal, after) = match rest.find('{') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, ""),
            };
            if !unknown {
                out.push_str(literal);
            } else if let Some(i) = literal
                .find(self.name.as_str())
                .filter(|_| !self.name.is_empty())
            {
                // Drop the words tied to the unknown placeholder, keep the name.
                out.push_str(&literal[i..]);
            } else if after.is_empty() {
                // No name to find: the title's last words stay.
                out.push_str(literal);
            }
            if after.is_empty() {
                break;
            }
            let Some(close) = after.find('}') else {
                out.push_str(after);
                break;
            };
            match known(&after[1..close]) {
                Some(v) => {
                    out.push_str(v);
                    unknown = false;
                }
                None => unknown = true,
            }
            rest = &after[close + 1..];
        }
        let out = out.trim();
        if out.is_empty() {
            self.name.clone()
        } else {
            out.to_string()
        }
    }

    /// The suggestions a column offers in the blank template: a named list, or
    /// the known category names of its level.
    pub fn suggestions(&self, column: &Column) -> Vec<String> {
        match column.suggestions.as_deref() {
            None => Vec::new(),
            Some("categories") => {
                let mut out: Vec<String> = Vec::new();
                let names: Vec<&String> = match column.level {
                    Some(1) => self.categories.iter().map(|c| &c.level1).collect(),
                    _ => self
                        .categories
                        .iter()
                        .flat_map(|c| c.level2.iter())
                        .collect(),
                };
                for n in names {
                    if !out.contains(n) {
                        out.push(n.clone());
                    }
                }
                out
            }
            Some(list) => self.lists.get(list).cloned().unwrap_or_default(),
        }
    }

    /// Whether a 二级 category is listed under a 一级 one (either scheme), and
    /// whether the 一级 is known at all: `(level1 known, level2 known under it)`.
    pub fn category_known(&self, level1: &str, level2: &str) -> (bool, bool) {
        let mut l1 = false;
        for c in &self.categories {
            if c.level1 == level1 {
                l1 = true;
                if c.level2.iter().any(|n| n == level2) {
                    return (true, true);
                }
            }
        }
        (l1, false)
    }
}

fn collect_leaves<'a>(cols: &'a [Column], out: &mut Vec<&'a Column>) {
    for c in cols {
        if c.children.is_empty() {
            out.push(c);
        } else {
            collect_leaves(&c.children, out);
        }
    }
}

/// A label without its bracketed explanation (`标准值（规划目标…）` → `标准值`).
fn short_label(label: &str) -> String {
    let cut = label.find(['（', '(']).map_or(label, |i| &label[..i]);
    cut.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dept_overall_has_thirteen_leaves_in_official_order() {
        let t = Template::default_template();
        let keys: Vec<&str> = t.leaves().iter().map(|l| l.key).collect();
        assert_eq!(
            keys,
            [
                "seq",
                "duty_name",
                "objective",
                "name",
                "explanation",
                "annual_value",
                "planned_value",
                "standard_value",
                "standard_source",
                "history_avg3",
                "history_last",
                "history_source",
                "activities"
            ]
        );
        assert_eq!(t.depth(), 3);
        assert_eq!(t.header_rows, 3);
        let src = t.leaf("standard_source").unwrap();
        assert_eq!(src.path.len(), 3);
        assert_eq!(src.col, 8);
        assert_eq!(t.suggestions(src.column).len(), 7);
        let shape = t.shape();
        assert_eq!(shape.group.len(), 3);
        assert_eq!(shape.indicator.len(), 10);
        assert_eq!(shape.levels[0].json, "duty");
        assert_eq!(shape.group[1].json, "name");
        assert_eq!(
            shape.indicator_role(Role::Target),
            shape.indicator_field("annual_value")
        );
    }

    #[test]
    fn project_target_has_form_levels_and_scores() {
        let t = Template::load("project-target").unwrap();
        let s = t.shape();
        let keys: Vec<&str> = s.group.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["level1", "level1_score", "level2", "level2_score"]);
        assert_eq!(s.levels.len(), 2);
        assert!(!s.nested);
        assert_eq!(s.form.len(), 13);
        assert!(s.form[s.form_field("funds_total").unwrap()].money);
        assert_eq!(t.category_known("产出指标", "数量指标"), (true, true));
        assert_eq!(t.category_known("成本指标", "经济成本指标"), (true, true));
        assert_eq!(t.category_known("产出指标", "经济效益指标"), (true, false));
        assert_eq!(t.leaf("level1").unwrap().col, 1);
    }

    #[test]
    fn title_format_and_regex_agree() {
        for id in builtin_ids() {
            let t = Template::load(id).unwrap();
            let title = t.title(2024, "临沂市教育局");
            let c = t
                .title_regexes
                .iter()
                .find_map(|r| regex::Regex::new(r).unwrap().captures(&title))
                .unwrap_or_else(|| panic!("{id}: {title}"));
            assert_eq!(&c["year"], "2024");
        }
    }

    /// A table without a title was restyled with an empty row 1 unless both
    /// its year and department were known: the title is built from what is.
    #[test]
    fn title_of_what_is_known() {
        let dept = Template::load("dept-overall").unwrap();
        let project = Template::load("project-target").unwrap();
        let d = Some("临沂市教育局");
        assert_eq!(
            dept.title_of(Some(2023), d),
            dept.title(2023, "临沂市教育局")
        );
        assert_eq!(dept.title_of(None, d), format!("临沂市教育局{}", dept.name));
        assert_eq!(
            dept.title_of(Some(2023), None),
            format!("2023年{}", dept.name)
        );
        assert_eq!(
            dept.title_of(Some(2023), Some(" ")),
            format!("2023年{}", dept.name)
        );
        assert_eq!(dept.title_of(None, None), dept.name);
        assert_eq!(project.title_of(Some(2024), None), project.title(2024, ""));
        assert_eq!(project.title_of(None, d), project.name);
        let mut nameless = dept.clone();
        nameless.name = String::new();
        assert_eq!(
            nameless.title_of(Some(2023), None),
            "2023年部门预算整体绩效目标表"
        );
        assert_eq!(nameless.title_of(None, None), "部门预算整体绩效目标表");
    }

    #[test]
    fn unknown_template_is_a_clear_error() {
        let e = Template::load("no-such").unwrap_err();
        assert_eq!(
            e.to_string(),
            "未知的模板 no-such（可用：dept-overall、project-target）"
        );
    }

    #[test]
    fn a_level_named_like_a_change_key_is_refused() {
        let text = include_str!("../templates/dept-overall.toml")
            .replace("json = \"duty\"", "json = \"kind\"");
        let e = Template::from_toml(&text).unwrap_err();
        assert!(e.to_string().contains("levels 的 json 键 kind"), "{e}");
    }

    #[test]
    fn a_template_without_a_name_column_is_refused() {
        let text = include_str!("../templates/dept-overall.toml").replace("role = \"name\"", "");
        let e = Template::from_toml(&text).unwrap_err();
        assert!(e.to_string().contains("role = \"name\""), "{e}");
    }

    /// Patterns are checked when the template loads, though compiled only
    /// when a table needs them: a broken one is still refused at once.
    #[test]
    fn a_broken_pattern_is_refused_when_the_template_loads() {
        let text = include_str!("../templates/dept-overall.toml").replace(
            "title_regexes = ['^(?P<year>",
            "title_regexes = ['^((?P<year>",
        );
        let e = Template::from_toml(&text).unwrap_err().to_string();
        assert!(e.contains("^((?P<year>"), "{e}");
        assert!(e.contains("unclosed group"), "{e}");
        // Valid patterns compile where they are used.
        let t = Template::from_toml(include_str!("../templates/dept-overall.toml")).unwrap();
        assert!(t
            .title_regexes
            .iter()
            .all(|r| crate::text::cached_regex(r).is_some()));
    }
}
