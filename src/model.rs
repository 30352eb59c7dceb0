//! The canonical model of one performance target table and its JSON form (spec/model.md); no I/O.
//!
//! A table is the same shape whatever its template: an optional form block
//! (labelled fields above the grid), a sequence of groups (the innermost
//! grouping level: a duty of the 部门整体 table, a 一级/二级 category of the
//! 项目支出 table), each with its indicators, and the extras. Which fields a
//! form, a group and an indicator hold, what role each plays and how the JSON
//! names them is the template's [`Shape`]; code speaks of roles and levels,
//! never of one template's fields. The JSON field names are a contract: add
//! fields freely, never rename or drop one.
//!
//! # Examples
//!
//! The bundled 2023 table walked by roles, as rules and writers do (the same
//! code walks a 项目支出 table, whose fields and levels differ):
//!
//! ```
//! use jixiao::model::{Parsed, Role};
//! use jixiao::{read_file, ReadOptions, Template};
//!
//! let templates = Template::builtins();
//! let opts = ReadOptions { sheet: None, templates: &templates };
//! let t = read_file("examples/linyi-education-2023.xlsx".as_ref(), &opts)?;
//! let shape = &t.shape;
//! assert_eq!((t.template.as_str(), t.indicator_count()), ("dept-overall", 16));
//!
//! let (duty, first) = t.indicators().next().unwrap();
//! // The group as findings and changes head it: its level's label, number and name.
//! assert!(t.group_heading(duty).ends_with("1 教育改革发展政策"));
//! assert_eq!(first.text_of(shape, Role::Name), "教育改革发展政策措施拟定数量");
//! // A value field keeps its text and what it reads as.
//! assert_eq!(first.text_of(shape, Role::Target), "1个");
//! let q = first.quantity_of(shape, Role::Target).unwrap();
//! assert_eq!((q.number, q.unit.as_str()), (1.0, "个"));
//! let planned = shape.indicator_role(Role::Planned).unwrap();
//! assert_eq!(first.parsed(planned), Some(&Parsed::NotApplicable)); // "/"
//! // Where it came from, as a clerk finds it in the workbook.
//! let name = shape.field("name").unwrap();
//! assert_eq!(t.cell_of(name, first.row).as_deref(), Some("D6"));
//! # Ok::<(), jixiao::Error>(())
//! ```

use indexmap::IndexMap;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// The `schema` value of a table's JSON.
pub const TABLE_SCHEMA: &str = "jixiao.table/1";

/// The `schema` value of a workbook's JSON (`import --all`).
pub const WORKBOOK_SCHEMA: &str = "jixiao.workbook/1";

/// What a field is for. Rules, diff and writers ask for a role and get the
/// template's field that plays it (or none): this is how code stays free of
/// one template's field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The indicator's name (绩效指标, 三级指标).
    Name,
    /// This year's target value (年度指标值, 指标值).
    Target,
    /// The standard the target is measured against (当年标准值).
    Standard,
    /// Last year's actual value (上年值).
    HistoryLast,
    /// An average of earlier years (前三年均值).
    HistoryAvg,
    /// A planned value (规划值).
    Planned,
    /// What the indicator means (指标解释).
    Explanation,
    /// Where a value comes from (来源); offered as drop-down suggestions.
    Source,
    /// A group's number (职责序号): numbered 1, 2, 3, … in order.
    GroupId,
    /// A group's name (部门职责, 一级指标, 二级指标).
    GroupName,
    /// A score riding on a group's label (`产出指标（50分）`).
    GroupScore,
    /// The form field naming the project a table is for (项目名称): with the
    /// template and department it identifies the table across years.
    Project,
    /// The form field naming the submitting department (主管部门).
    Department,
    /// A code split off the department (`[015001]临沂市教育局`).
    DepartmentCode,
    /// The money unit the table's amounts are written in (万元, 元).
    MoneyUnit,
    /// The total of the funds (年度资金总额).
    FundsTotal,
    /// A part of the funds that, with the other parts, adds up to the total.
    FundsPart,
    /// A goal in prose (年度总体目标).
    Goal,
}

/// How one field of a form, group or indicator is named and what it is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FieldSpec {
    /// The field's id in the model and the template (`name`, `value`).
    pub key: String,
    /// Its key in the JSON (usually `key`; a duty's 部门职责 is `name` in its group object).
    pub json: String,
    /// The short Chinese label a clerk knows the field by (`年度指标值`).
    pub label: String,
    /// What the field is for, if the code needs to know.
    pub role: Option<Role>,
    /// For group fields: the level (0 = outermost) the field belongs to.
    pub level: usize,
    /// The text may read as a quantity: it is parsed into `parsed`.
    pub value: bool,
    /// An amount of money in the table's money unit: parsed into 元.
    pub money: bool,
    /// Written in JSON as a number where the text is one (职责序号).
    pub numeric: bool,
    /// Flat JSON: this group field is repeated on each indicator object.
    pub on_indicator: bool,
    /// Emptied when a table is rolled forward to next year.
    pub clear_on_roll: bool,
}

/// One grouping level of a grid (a duty; a 一级 or 二级 category).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Level {
    /// What one group of this level is called for people (`职责`, `一级指标`).
    pub name: String,
    /// The key naming the group in findings and changes (`duty`).
    pub json: String,
    /// Index into [`Shape::group`] of the field that identifies a group at this level.
    pub key: usize,
}

/// The shape of a template's tables: the fields of the form, of a group and of
/// an indicator, the grouping levels, and how the JSON lays them out. Built
/// from a template file; shared by every table of that template.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shape {
    /// The template id (`dept-overall`).
    pub template: String,
    /// The form fields, in official order; empty for a grid-only template.
    pub form: Vec<FieldSpec>,
    /// The group fields of every level, outermost level first.
    pub group: Vec<FieldSpec>,
    /// The indicator fields, in official column order.
    pub indicator: Vec<FieldSpec>,
    /// The grouping levels, outermost first.
    pub levels: Vec<Level>,
    /// The JSON key listing the groups (`duties`, `categories`).
    pub groups_key: String,
    /// `true`: each group object holds its `indicators` (dept-overall);
    /// `false`: a flat `indicators` list beside the groups (project-target).
    pub nested: bool,
    /// The `field` of a `moved` change (the indicator changed group): `duty`, `category`.
    pub moved: String,
}

/// Which field of a table a place or a finding concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldRef {
    /// Index into [`Shape::form`].
    Form(usize),
    /// Index into [`Shape::group`].
    Group(usize),
    /// Index into [`Shape::indicator`].
    Indicator(usize),
}

impl Shape {
    /// The spec of a field.
    pub fn spec(&self, f: FieldRef) -> &FieldSpec {
        match f {
            FieldRef::Form(i) => &self.form[i],
            FieldRef::Group(i) => &self.group[i],
            FieldRef::Indicator(i) => &self.indicator[i],
        }
    }

    /// The indicator field with this key.
    pub fn indicator_field(&self, key: &str) -> Option<usize> {
        self.indicator.iter().position(|f| f.key == key)
    }

    /// The group field with this key.
    pub fn group_field(&self, key: &str) -> Option<usize> {
        self.group.iter().position(|f| f.key == key)
    }

    /// The form field with this key.
    pub fn form_field(&self, key: &str) -> Option<usize> {
        self.form.iter().position(|f| f.key == key)
    }

    /// A grid field (indicator or group) by key.
    pub fn grid_field(&self, key: &str) -> Option<FieldRef> {
        self.indicator_field(key)
            .map(FieldRef::Indicator)
            .or_else(|| self.group_field(key).map(FieldRef::Group))
    }

    /// Any field by key: grid fields first, then form fields (a form and a
    /// grid may each have a `name`).
    pub fn field(&self, key: &str) -> Option<FieldRef> {
        self.grid_field(key)
            .or_else(|| self.form_field(key).map(FieldRef::Form))
    }

    /// The indicator field playing `role` (the first, if several do).
    pub fn indicator_role(&self, role: Role) -> Option<usize> {
        self.indicator.iter().position(|f| f.role == Some(role))
    }

    /// Every indicator field playing `role`.
    pub fn indicator_roles(&self, role: Role) -> impl Iterator<Item = usize> + '_ {
        (0..self.indicator.len()).filter(move |&i| self.indicator[i].role == Some(role))
    }

    /// The form field playing `role` (the first, if several do).
    pub fn form_role(&self, role: Role) -> Option<usize> {
        self.form.iter().position(|f| f.role == Some(role))
    }

    /// Every form field playing `role`.
    pub fn form_roles(&self, role: Role) -> impl Iterator<Item = usize> + '_ {
        (0..self.form.len()).filter(move |&i| self.form[i].role == Some(role))
    }

    /// The group field of `level` playing `role`.
    pub fn group_role(&self, level: usize, role: Role) -> Option<usize> {
        self.group
            .iter()
            .position(|f| f.level == level && f.role == Some(role))
    }

    /// The indicator fields whose text may read as a quantity.
    pub fn value_fields(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.indicator.len()).filter(move |&i| self.indicator[i].value)
    }

    /// The group fields of one level.
    pub fn level_fields(&self, level: usize) -> impl Iterator<Item = usize> + '_ {
        (0..self.group.len()).filter(move |&i| self.group[i].level == level)
    }
}

/// One table read from one sheet (or one block of a sheet) of a workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Always [`TABLE_SCHEMA`].
    pub schema: String,
    /// The template id, e.g. `dept-overall`.
    pub template: String,
    /// The title as written (cleaned), `""` when the sheet has none.
    pub title: String,
    /// From the title, or from a unit line; `None` when neither says.
    pub year: Option<i32>,
    /// From the title, the form's department, or a unit line such as `填报单位：…`.
    pub department: Option<String>,
    /// Where the table was read from.
    pub source: Source,
    /// The form block's values (empty for a grid-only template).
    pub form: Form,
    /// The innermost groups, in sheet order, each with its indicators.
    pub groups: Vec<Group>,
    /// Every non-empty cell that is not part of the title, form, header or data rows.
    pub extras: Vec<Extra>,
    /// The template's shape: which fields there are and how the JSON names them.
    pub shape: Arc<Shape>,
}

/// The labelled fields above the grid, one value per [`Shape::form`] field.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Form {
    /// The text of each form field, in [`Shape::form`] order (`""` when absent).
    pub values: Vec<String>,
    /// What the non-empty values read as, by form field index; money in 元.
    pub parsed: Vec<(usize, Parsed)>,
}

/// One group of the innermost level: a duty, or a 一级/二级 category, and its indicators.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    /// The text of each group field, in [`Shape::group`] order.
    pub values: Vec<String>,
    /// First and last row of the group in the input.
    pub rows: [u32; 2],
    /// The group's indicators, in sheet order (none for an empty category kept in the form).
    pub indicators: Vec<Indicator>,
}

/// One data row: one indicator with its values.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Indicator {
    /// The text of each indicator field, in [`Shape::indicator`] order.
    pub values: Vec<String>,
    /// The row in the input (1-based).
    pub row: u32,
    /// What the non-empty value fields read as, by indicator field index, in field order.
    pub parsed: Vec<(usize, Parsed)>,
}

fn parsed_at(parsed: &[(usize, Parsed)], i: usize) -> Option<&Parsed> {
    parsed.iter().find(|(k, _)| *k == i).map(|(_, p)| p)
}

fn quantity_at(parsed: &[(usize, Parsed)], i: usize) -> Option<&Quantity> {
    match parsed_at(parsed, i) {
        Some(Parsed::Quantity(q)) => Some(q),
        _ => None,
    }
}

impl Indicator {
    /// An indicator with `n` empty fields.
    pub fn empty(n: usize, row: u32) -> Indicator {
        Indicator {
            // Empty strings made, not cloned: this runs once per row read.
            values: std::iter::repeat_with(String::new).take(n).collect(),
            row,
            parsed: Vec::new(),
        }
    }

    /// The text of field `i` (`""` past the end).
    pub fn text(&self, i: usize) -> &str {
        self.values.get(i).map_or("", String::as_str)
    }

    /// The text of the field playing `role`, `""` when the template has none.
    pub fn text_of(&self, shape: &Shape, role: Role) -> &str {
        shape.indicator_role(role).map_or("", |i| self.text(i))
    }

    /// What field `i` reads as, if it was parsed.
    pub fn parsed(&self, i: usize) -> Option<&Parsed> {
        parsed_at(&self.parsed, i)
    }

    /// The parsed quantity of field `i`, if its text reads as one.
    pub fn quantity(&self, i: usize) -> Option<&Quantity> {
        quantity_at(&self.parsed, i)
    }

    /// The parsed quantity of the field playing `role`.
    pub fn quantity_of(&self, shape: &Shape, role: Role) -> Option<&Quantity> {
        shape.indicator_role(role).and_then(|i| self.quantity(i))
    }

    /// Sets what field `i` reads as, keeping `parsed` in field order.
    pub fn set_parsed(&mut self, i: usize, p: Parsed) {
        set_parsed(&mut self.parsed, i, p);
    }
}

fn set_parsed(parsed: &mut Vec<(usize, Parsed)>, i: usize, p: Parsed) {
    match parsed.binary_search_by_key(&i, |(k, _)| *k) {
        Ok(at) => parsed[at].1 = p,
        Err(at) => parsed.insert(at, (i, p)),
    }
}

impl Group {
    /// The text of group field `i` (`""` past the end).
    pub fn text(&self, i: usize) -> &str {
        self.values.get(i).map_or("", String::as_str)
    }
}

impl Form {
    /// The text of form field `i` (`""` past the end).
    pub fn text(&self, i: usize) -> &str {
        self.values.get(i).map_or("", String::as_str)
    }

    /// What form field `i` reads as (money in 元).
    pub fn parsed(&self, i: usize) -> Option<&Parsed> {
        parsed_at(&self.parsed, i)
    }

    /// The quantity of form field `i` (money in 元).
    pub fn quantity(&self, i: usize) -> Option<&Quantity> {
        quantity_at(&self.parsed, i)
    }

    /// Sets what form field `i` reads as, keeping `parsed` in field order.
    pub fn set_parsed(&mut self, i: usize, p: Parsed) {
        set_parsed(&mut self.parsed, i, p);
    }
}

/// Where a table was read from. Row numbers are 1-based, as Excel shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Source {
    /// The path as given to the reader.
    pub path: String,
    /// The sheet's name.
    pub sheet: String,
    /// The container format found by content: `xlsx`, `xlsm`, `xls`, `xlsb` or `ods`.
    pub format: String,
    /// First and last row of the (first) header block.
    pub header_rows: [u32; 2],
    /// First and last data row; `None` for a table with no data rows.
    pub data_rows: Option<[u32; 2]>,
    /// Column letter of each grid field in the input, keyed by field key
    /// (`{"seq": "A", ..., "activities": "M"}`); with a row, it gives the A1
    /// address of any value. Fields the header lacks are absent.
    #[serde(default)]
    pub columns: IndexMap<String, String>,
    /// The header text found over each field's column (its leaf label joined
    /// with its group labels by ` › `), keyed like `columns`; what
    /// `header_mismatch` quotes.
    #[serde(default)]
    pub header_labels: IndexMap<String, String>,
    /// The A1 address of each form field's value cell, keyed by form field key;
    /// fields whose label the form lacks are absent.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub form_cells: IndexMap<String, String>,
    /// The A1 addresses of the table's cells whose text was longer than a
    /// workbook cell holds (32,767 characters) and was cut to that length.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub truncated_cells: Vec<String>,
}

/// A text that is a number where it reads as one (职责序号: `1`, `"１"`, `1.0`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Seq {
    /// The text reads as a whole number.
    Number(u32),
    /// Any other text.
    Text(String),
}

impl Seq {
    /// `"1"` → `Number(1)`, `"１"` → `Number(1)`, `"1.0"` → `Number(1)`, else `Text`.
    pub fn from_text(text: &str) -> Seq {
        let t: String = text
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                '．' => '.',
                _ => c,
            })
            .collect();
        let t = t.strip_suffix(".0").unwrap_or(&t);
        match t.parse::<u32>() {
            Ok(n) => Seq::Number(n),
            Err(_) => Seq::Text(text.trim().to_string()),
        }
    }

    /// The number, if the text is one.
    pub fn number(&self) -> Option<u32> {
        match self {
            Seq::Number(n) => Some(*n),
            Seq::Text(_) => None,
        }
    }
}

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Seq::Number(n) => write!(f, "{n}"),
            Seq::Text(t) => f.write_str(t),
        }
    }
}

/// What a value's text reads as. Serialized with a `kind` tag; a quantity
/// always carries `cmp`, `number` and `unit` (spec/model.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Parsed {
    /// `"≥95%"`, `"11万人次"`, `"1个"`.
    Quantity(Quantity),
    /// `"基本实现"`, `"显著提升"`: a recognisable qualitative target.
    Qualitative,
    /// `"省赛获奖35、国赛获奖7"`: several quantities in one cell.
    Compound,
    /// `"/"`: not applicable.
    NotApplicable,
    /// Anything else (`"见附件"`, `"85%%"`): the text is kept, a reviewer should look.
    Unparsed,
}

/// A number with an optional comparator and a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    /// The comparator, when the text gives one (`≥`, `以上`, `不超过`).
    pub cmp: Option<Cmp>,
    /// The value with a Chinese scale applied (`11万` → 110000).
    #[serde(serialize_with = "serialize_number")]
    pub number: f64,
    /// What follows the number (`%`, `个`, `人次`); `""` for a bare number.
    pub unit: String,
}

/// A comparator in a target (`≥95%`, `75%以上`, `不超过30天`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cmp {
    #[serde(rename = ">=")]
    /// At least (`≥`, `不低于`, `以上`).
    Ge,
    #[serde(rename = "<=")]
    /// At most (`≤`, `不超过`, `以内`).
    Le,
    #[serde(rename = ">")]
    /// More than (`>`).
    Gt,
    #[serde(rename = "<")]
    /// Less than (`<`).
    Lt,
    #[serde(rename = "=")]
    /// Exactly (`=`).
    Eq,
}

/// Whole numbers are written as JSON integers (`85`, not `85.0`).
fn serialize_number<S: Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 9.0e15 {
        s.serialize_i64(*n as i64)
    } else {
        s.serialize_f64(*n)
    }
}

/// A place in a table, for findings and changes that writers mark on a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Place {
    /// A form field (index into [`Shape::form`]).
    Form(usize),
    /// A field of a group (the group's first row): group index, group field index.
    Group {
        /// Index into [`Table::groups`].
        group: usize,
        /// Index into [`Shape::group`].
        field: usize,
    },
    /// A field of an indicator.
    Indicator {
        /// Index into [`Table::groups`].
        group: usize,
        /// Index into [`Group::indicators`].
        indicator: usize,
        /// Index into [`Shape::indicator`].
        field: usize,
    },
}

impl Place {
    /// The group the place is in, if any.
    pub fn group(&self) -> Option<usize> {
        match *self {
            Place::Form(_) => None,
            Place::Group { group, .. } | Place::Indicator { group, .. } => Some(group),
        }
    }

    /// The indicator the place is on, if any.
    pub fn indicator(&self) -> Option<usize> {
        match *self {
            Place::Indicator { indicator, .. } => Some(indicator),
            _ => None,
        }
    }

    /// The field the place names.
    pub fn field(&self) -> FieldRef {
        match *self {
            Place::Form(f) => FieldRef::Form(f),
            Place::Group { field, .. } => FieldRef::Group(field),
            Place::Indicator { field, .. } => FieldRef::Indicator(field),
        }
    }
}

impl Table {
    /// An empty table of a shape, for building models in code.
    pub fn new(shape: Arc<Shape>) -> Table {
        Table {
            schema: TABLE_SCHEMA.to_string(),
            template: shape.template.clone(),
            title: String::new(),
            year: None,
            department: None,
            source: Source::default(),
            form: Form {
                values: vec![String::new(); shape.form.len()],
                parsed: Vec::new(),
            },
            groups: Vec::new(),
            extras: Vec::new(),
            shape,
        }
    }

    /// A group with empty fields of this table's shape, starting on `row`.
    pub fn new_group(&self, row: u32) -> Group {
        Group {
            values: vec![String::new(); self.shape.group.len()],
            rows: [row, row],
            indicators: Vec::new(),
        }
    }

    /// An indicator with empty fields of this table's shape, on `row`.
    pub fn new_indicator(&self, row: u32) -> Indicator {
        Indicator::empty(self.shape.indicator.len(), row)
    }

    /// Every indicator with its group, in sheet order.
    pub fn indicators(&self) -> impl Iterator<Item = (&Group, &Indicator)> {
        self.groups
            .iter()
            .flat_map(|g| g.indicators.iter().map(move |i| (g, i)))
    }

    /// The number of indicators.
    pub fn indicator_count(&self) -> usize {
        self.groups.iter().map(|g| g.indicators.len()).sum()
    }

    /// The text of a form field by key (`""` when the template or table has none).
    pub fn form_text(&self, key: &str) -> &str {
        self.shape.form_field(key).map_or("", |i| self.form.text(i))
    }

    /// The text of the form field playing `role`.
    pub fn form_text_of(&self, role: Role) -> &str {
        self.shape.form_role(role).map_or("", |i| self.form.text(i))
    }

    /// The text of an indicator's field by key (`""` when the template has none).
    pub fn text<'a>(&self, ind: &'a Indicator, key: &str) -> &'a str {
        self.shape.indicator_field(key).map_or("", |i| ind.text(i))
    }

    /// The project a table is for (its form's [`Role::Project`] field), `""` when none.
    pub fn project(&self) -> &str {
        self.form_text_of(Role::Project)
    }

    /// The A1 address in the input of a grid field on `row`, if the header had that column.
    pub fn cell_of(&self, field: FieldRef, row: u32) -> Option<String> {
        match field {
            FieldRef::Form(i) => self.source.form_cells.get(&self.shape.form[i].key).cloned(),
            f => {
                let letters = self.source.columns.get(&self.shape.spec(f).key)?;
                Some(format!("{letters}{row}"))
            }
        }
    }

    /// The A1 address in the input of a place, when the input had that cell.
    pub fn cell_of_place(&self, p: &Place) -> Option<String> {
        match *p {
            Place::Form(i) => self.cell_of(FieldRef::Form(i), 0),
            Place::Group { group, field } => {
                let g = self.groups.get(group)?;
                self.cell_of(FieldRef::Group(field), g.rows[0])
            }
            Place::Indicator {
                group,
                indicator,
                field,
            } => {
                let row = self.groups.get(group)?.indicators.get(indicator)?.row;
                self.cell_of(FieldRef::Indicator(field), row)
            }
        }
    }

    /// How findings and changes name a group: for each level, its `json` key
    /// and the value of its key field (`[("duty", 3)]` for a one-level grid,
    /// one pair per level for a deeper one).
    pub fn group_names(&self, group: &Group) -> Vec<(String, Seq)> {
        self.shape
            .levels
            .iter()
            .map(|l| {
                let spec = &self.shape.group[l.key];
                let text = group.text(l.key);
                let v = if spec.numeric {
                    Seq::from_text(text)
                } else {
                    Seq::Text(text.to_string())
                };
                (l.json.clone(), v)
            })
            .collect()
    }

    /// A group named for people and for `moved` changes: its levels' key
    /// values joined by `/` (`3`, `产出指标/数量指标`).
    pub fn group_ref(&self, group: &Group) -> String {
        let parts: Vec<&str> = self
            .shape
            .levels
            .iter()
            .map(|l| group.text(l.key))
            .collect();
        parts.join("/")
    }

    /// A group as a heading (`职责3 教育改革发展政策`, `产出指标/数量指标`).
    pub fn group_heading(&self, group: &Group) -> String {
        let mut out = String::new();
        for (n, l) in self.shape.levels.iter().enumerate() {
            let key = &self.shape.group[l.key];
            let text = group.text(l.key);
            if n > 0 {
                out.push('/');
            }
            if key.role == Some(Role::GroupId) {
                out.push_str(&l.name);
                out.push_str(text);
                if let Some(name) = self.shape.group_role(n, Role::GroupName) {
                    let name = group.text(name);
                    if !name.is_empty() {
                        out.push(' ');
                        out.push_str(name);
                    }
                }
            } else {
                out.push_str(text);
            }
        }
        out
    }

    /// Next year's table rolled forward from this one: the fields the template
    /// marks `clear_on_roll` (this year's values, amounts, goals) emptied,
    /// everything else kept, with the prior table's year tokens in every kept
    /// text (form, group and indicator fields) rolled to `year` by
    /// [`roll_years`] (only when the prior year is known); title, year and
    /// department set; extras dropped (they belonged to last year's file).
    pub fn roll_forward(&self, year: i32, department: &str, title: String) -> Table {
        let mut t = self.clone();
        t.title = title;
        t.year = Some(year);
        t.department = Some(department.to_string());
        t.extras.clear();
        let roll = |v: &mut String| {
            if let Some(prior) = self.year {
                if let Some(rolled) = roll_years(v, prior, year) {
                    *v = rolled;
                }
            }
        };
        let shape = self.shape.clone();
        for (i, f) in shape.form.iter().enumerate() {
            if f.clear_on_roll {
                t.form.values[i].clear();
            } else if f.role == Some(Role::Department) {
                t.form.values[i] = department.to_string();
            } else {
                roll(&mut t.form.values[i]);
            }
        }
        t.form.parsed.clear();
        for g in &mut t.groups {
            // Group fields are all kept (a group's score stays its weight).
            g.values.iter_mut().for_each(roll);
            for i in &mut g.indicators {
                for (k, f) in shape.indicator.iter().enumerate() {
                    if let Some(v) = i.values.get_mut(k) {
                        if f.clear_on_roll {
                            v.clear();
                        } else {
                            roll(v);
                        }
                    }
                }
                i.parsed.clear();
            }
        }
        t
    }
}

/// A text with the year tokens of year `from` rolled to year `to`, `None`
/// when nothing changed. A year token is four ASCII digits standing alone
/// (no digit, and no `.` or `,` of a number, next to them) directly followed
/// by `年` (so `2023年`, `2023年度`, `2023年底`; not `2023人`, `20230年`,
/// `12023年`, `2023.5年`). A range `A-B年` (also `A年-B年`, with `–`, `—`,
/// `~`, `～`, `至` or `到`) is one token: when it ends in `from` it is a
/// rolling window and moves as a whole (`2021-2023年` → `2022-2024年`);
/// otherwise it is a fixed period and is kept (`2023-2025年`, `2021-2025年`).
/// Tokens of other years are kept.
pub fn roll_years(text: &str, from: i32, to: i32) -> Option<String> {
    if from == to || !text.contains('年') {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let digit = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    // The four-digit year starting at `i`, standing alone.
    let year_at = |i: usize| -> Option<i32> {
        if !(i..i + 4).all(digit) || digit(i + 4) {
            return None;
        }
        if i > 0 {
            let before = chars[i - 1];
            let in_number = matches!(before, '.' | ',') && i > 1 && digit(i - 2);
            if before.is_ascii_digit() || in_number {
                return None;
            }
        }
        chars[i..i + 4].iter().collect::<String>().parse().ok()
    };
    let year_text = |y: i32| format!("{y:04}");
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        let Some(a) = year_at(i) else {
            out.push(chars[i]);
            i += 1;
            continue;
        };
        // A range: A[年]<sep>B年.
        let mut j = i + 4;
        let a_nian = chars.get(j) == Some(&'年');
        if a_nian {
            j += 1;
        }
        let range = chars
            .get(j)
            .filter(|c| matches!(c, '-' | '–' | '—' | '~' | '～' | '至' | '到'))
            .and_then(|_| year_at(j + 1).map(|b| (j + 1, b)))
            .filter(|(k, _)| chars.get(k + 4) == Some(&'年'));
        if let Some((k, b)) = range {
            let end = k + 4;
            if b == from {
                out.push_str(&year_text(a + (to - from)));
                out.extend(&chars[i + 4..k]);
                out.push_str(&year_text(to));
                changed = true;
            } else {
                out.extend(&chars[i..end]);
            }
            i = end;
        } else if a_nian && a == from {
            out.push_str(&year_text(to));
            changed = true;
            i += 4;
        } else {
            out.extend(&chars[i..i + 4]);
            i += 4;
        }
    }
    changed.then_some(out)
}

/// Every table of one workbook, in sheet order and top to bottom within a
/// sheet, and the cells that belong to no table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workbook {
    /// Always [`WORKBOOK_SCHEMA`].
    pub schema: String,
    /// The path as given to the reader.
    pub path: String,
    /// The tables.
    pub tables: Vec<Table>,
    /// Cells of sheets that hold no table (a 填报说明 sheet).
    pub extras: Vec<Extra>,
}

/// Serializes a value map (`parsed`) of `(field index, Parsed)` pairs under the fields' JSON keys.
struct ParsedJson<'a> {
    specs: &'a [FieldSpec],
    parsed: &'a [(usize, Parsed)],
}

impl Serialize for ParsedJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.parsed.len()))?;
        for (i, p) in self.parsed {
            if let Some(f) = self.specs.get(*i) {
                m.serialize_entry(&f.json, p)?;
            }
        }
        m.end()
    }
}

/// One group field's value as JSON: numbers where the field is numeric.
fn group_value(spec: &FieldSpec, text: &str) -> Seq {
    if spec.numeric {
        Seq::from_text(text)
    } else {
        Seq::Text(text.to_string())
    }
}

struct FormJson<'a>(&'a Table);

impl Serialize for FormJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0;
        let mut m = s.serialize_map(Some(t.shape.form.len() + 1))?;
        for (i, f) in t.shape.form.iter().enumerate() {
            m.serialize_entry(&f.json, t.form.text(i))?;
        }
        m.serialize_entry(
            "parsed",
            &ParsedJson {
                specs: &t.shape.form,
                parsed: &t.form.parsed,
            },
        )?;
        m.end()
    }
}

/// One indicator object; `group` is set for flat JSON (its fields repeated on the indicator).
struct IndicatorJson<'a> {
    shape: &'a Shape,
    group: Option<&'a Group>,
    ind: &'a Indicator,
}

impl Serialize for IndicatorJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(g) = self.group {
            for (i, f) in self.shape.group.iter().enumerate() {
                if f.on_indicator {
                    m.serialize_entry(&f.json, &group_value(f, g.text(i)))?;
                }
            }
        }
        for (i, f) in self.shape.indicator.iter().enumerate() {
            m.serialize_entry(&f.json, self.ind.text(i))?;
        }
        m.serialize_entry("row", &self.ind.row)?;
        m.serialize_entry(
            "parsed",
            &ParsedJson {
                specs: &self.shape.indicator,
                parsed: &self.ind.parsed,
            },
        )?;
        m.end()
    }
}

/// One group object: its fields, its rows and (nested JSON) its indicators.
struct GroupJson<'a> {
    shape: &'a Shape,
    group: &'a Group,
}

impl Serialize for GroupJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (i, f) in self.shape.group.iter().enumerate() {
            m.serialize_entry(&f.json, &group_value(f, self.group.text(i)))?;
        }
        m.serialize_entry("rows", &self.group.rows)?;
        if self.shape.nested {
            m.serialize_entry(
                "indicators",
                &Seq2(self.group.indicators.iter().map(|ind| IndicatorJson {
                    shape: self.shape,
                    group: None,
                    ind,
                })),
            )?;
        }
        m.end()
    }
}

/// Serializes an iterator as a JSON array without collecting it.
struct Seq2<I>(I);

impl<I, T> Serialize for Seq2<I>
where
    I: Iterator<Item = T> + Clone,
    T: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for x in self.0.clone() {
            seq.serialize_element(&x)?;
        }
        seq.end()
    }
}

/// The table's JSON (spec/model.md): its shape decides the keys.
impl Serialize for Table {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let shape: &Shape = &self.shape;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("schema", &self.schema)?;
        m.serialize_entry("template", &self.template)?;
        m.serialize_entry("title", &self.title)?;
        m.serialize_entry("year", &self.year)?;
        m.serialize_entry("department", &self.department)?;
        m.serialize_entry("source", &self.source)?;
        if !shape.form.is_empty() {
            m.serialize_entry("form", &FormJson(self))?;
        }
        m.serialize_entry(
            &shape.groups_key,
            &Seq2(self.groups.iter().map(|group| GroupJson { shape, group })),
        )?;
        if !shape.nested {
            m.serialize_entry(
                "indicators",
                &Seq2(self.groups.iter().flat_map(|g| {
                    g.indicators.iter().map(move |ind| IndicatorJson {
                        shape,
                        group: Some(g),
                        ind,
                    })
                })),
            )?;
        }
        m.serialize_entry("extras", &self.extras)?;
        m.end()
    }
}

/// A non-empty cell that is not part of the table: nothing is lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extra {
    /// The sheet it is on.
    pub sheet: String,
    /// A1 address in the input.
    pub cell: String,
    /// The cell's text as shown.
    pub text: String,
    /// What it is: title-like, footnote, stray, another sheet's cell.
    pub kind: ExtraKind,
}

/// Why a cell is an [`Extra`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtraKind {
    /// `填报单位：…` above the header.
    UnitLine,
    /// `注：…`, a signature line, anything below the table.
    Footnote,
    /// A remark beside the table or an odd row inside it.
    Stray,
    /// A cell of another sheet of the workbook.
    OtherSheet,
}

impl ExtraKind {
    /// Every kind, in the order of the JSON spec.
    pub const ALL: [ExtraKind; 4] = [
        ExtraKind::UnitLine,
        ExtraKind::Footnote,
        ExtraKind::Stray,
        ExtraKind::OtherSheet,
    ];

    /// What the kind is, in words: the 类型 column of the 其他内容 sheet.
    pub fn label(self) -> &'static str {
        match self {
            ExtraKind::UnitLine => "填报单位行",
            ExtraKind::Footnote => "表下注释",
            ExtraKind::Stray => "表外内容",
            ExtraKind::OtherSheet => "其他工作表",
        }
    }

    /// The kind whose [`label`](ExtraKind::label) this is (surrounding white
    /// space ignored), for the reader restoring a 其他内容 sheet's rows.
    pub fn from_label(label: &str) -> Option<ExtraKind> {
        let label = label.trim();
        ExtraKind::ALL.into_iter().find(|k| k.label() == label)
    }
}

/// 0-based column index → Excel letters (`0` → `A`, `12` → `M`, `26` → `AA`).
pub fn col_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        out.push((b'A' + r) as char);
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// 0-based column and 1-based row → A1 address (`(5, 12)` → `F12`).
pub fn a1(col: u32, row: u32) -> String {
    format!("{}{}", col_letters(col), row)
}

/// Excel letters → 0-based column index (`"M"` → `12`).
pub fn col_index(letters: &str) -> Option<u32> {
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut n: u32 = 0;
    for b in letters.bytes() {
        n = n
            .checked_mul(26)?
            .checked_add((b.to_ascii_uppercase() - b'A' + 1) as u32)?;
    }
    Some(n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(key: &str) -> FieldSpec {
        FieldSpec {
            key: key.into(),
            json: key.into(),
            label: key.into(),
            ..FieldSpec::default()
        }
    }

    /// A small nested shape: one level (`duty`, numbered), two indicator fields.
    fn nested() -> Arc<Shape> {
        Arc::new(Shape {
            template: "t".into(),
            group: vec![
                FieldSpec {
                    numeric: true,
                    role: Some(Role::GroupId),
                    ..spec("seq")
                },
                FieldSpec {
                    json: "name".into(),
                    role: Some(Role::GroupName),
                    ..spec("title")
                },
            ],
            indicator: vec![
                FieldSpec {
                    role: Some(Role::Name),
                    ..spec("name")
                },
                FieldSpec {
                    value: true,
                    clear_on_roll: true,
                    role: Some(Role::Target),
                    ..spec("target")
                },
            ],
            levels: vec![Level {
                name: "组".into(),
                json: "duty".into(),
                key: 0,
            }],
            groups_key: "duties".into(),
            nested: true,
            ..Shape::default()
        })
    }

    fn flat() -> Arc<Shape> {
        let mut s = (*nested()).clone();
        s.group = vec![
            FieldSpec {
                on_indicator: true,
                ..spec("outer")
            },
            FieldSpec {
                level: 1,
                on_indicator: true,
                ..spec("inner")
            },
        ];
        s.levels = vec![
            Level {
                name: "外层".into(),
                json: "outer".into(),
                key: 0,
            },
            Level {
                name: "内层".into(),
                json: "inner".into(),
                key: 1,
            },
        ];
        s.form = vec![FieldSpec {
            role: Some(Role::Project),
            ..spec("name")
        }];
        s.groups_key = "categories".into();
        s.nested = false;
        Arc::new(s)
    }

    fn one_indicator(t: &mut Table, group: [&str; 2]) {
        let mut g = t.new_group(6);
        g.values = group.iter().map(|s| s.to_string()).collect();
        let mut i = t.new_indicator(6);
        i.values = vec!["完成率".into(), "85%".into()];
        i.set_parsed(
            1,
            Parsed::Quantity(Quantity {
                cmp: None,
                number: 85.0,
                unit: "%".into(),
            }),
        );
        g.indicators.push(i);
        t.groups.push(g);
    }

    #[test]
    fn nested_json_lists_indicators_inside_their_group() {
        let mut t = Table::new(nested());
        one_indicator(&mut t, ["１", "组"]);
        let j = serde_json::to_value(&t).unwrap();
        assert_eq!(j["duties"][0]["seq"], 1);
        assert_eq!(j["duties"][0]["name"], "组");
        assert_eq!(j["duties"][0]["rows"], serde_json::json!([6, 6]));
        let ind = &j["duties"][0]["indicators"][0];
        assert_eq!(ind["target"], "85%");
        assert_eq!(ind["row"], 6);
        assert_eq!(ind["parsed"]["target"]["number"], 85);
        assert!(j.get("form").is_none() && j.get("indicators").is_none());
        assert_eq!(
            t.group_names(&t.groups[0]),
            vec![("duty".into(), Seq::Number(1))]
        );
        assert_eq!(t.group_heading(&t.groups[0]), "组１ 组");
    }

    #[test]
    fn flat_json_repeats_group_fields_on_each_indicator() {
        let mut t = Table::new(flat());
        t.form.values[0] = "校园安全".into();
        one_indicator(&mut t, ["产出", "数量"]);
        let j = serde_json::to_value(&t).unwrap();
        assert_eq!(j["form"]["name"], "校园安全");
        assert_eq!(j["categories"][0]["inner"], "数量");
        assert!(j["categories"][0].get("indicators").is_none());
        assert_eq!(j["indicators"][0]["outer"], "产出");
        assert_eq!(j["indicators"][0]["name"], "完成率");
        assert_eq!(t.group_ref(&t.groups[0]), "产出/数量");
        assert_eq!(t.project(), "校园安全");
    }

    #[test]
    fn roll_forward_empties_what_the_shape_clears() {
        let mut t = Table::new(nested());
        one_indicator(&mut t, ["1", "组"]);
        let r = t.roll_forward(2024, "局", "新标题".into());
        assert_eq!((r.year, r.title.as_str()), (Some(2024), "新标题"));
        let i = &r.groups[0].indicators[0];
        assert_eq!((i.text(0), i.text(1)), ("完成率", ""));
        assert!(i.parsed.is_empty());
    }

    #[test]
    fn roll_forward_rolls_the_prior_year_in_kept_texts() {
        let mut t = Table::new(flat());
        t.year = Some(2023);
        t.form.values[0] = "2023年校园安全".into();
        one_indicator(&mut t, ["2023年产出", "数量"]);
        t.groups[0].indicators[0].values = vec!["2023年继续招生计划人次".into(), "2023年".into()];
        let r = t.roll_forward(2024, "局", "新标题".into());
        assert_eq!(r.form.values[0], "2024年校园安全");
        assert_eq!(r.groups[0].values[0], "2024年产出");
        let i = &r.groups[0].indicators[0];
        // The name rolled, the cleared value stays empty.
        assert_eq!((i.text(0), i.text(1)), ("2024年继续招生计划人次", ""));
        // An unknown prior year rolls nothing.
        t.year = None;
        let r = t.roll_forward(2024, "局", "新标题".into());
        assert_eq!(r.groups[0].indicators[0].text(0), "2023年继续招生计划人次");
    }

    #[test]
    fn roll_years_rolls_only_the_prior_years_tokens() {
        let r = |s: &str| roll_years(s, 2023, 2024).unwrap_or_else(|| s.to_string());
        assert_eq!(r("2023年继续招生计划人次"), "2024年继续招生计划人次");
        assert_eq!(r("2023年度部门预算"), "2024年度部门预算");
        assert_eq!(
            r("截至2023年底，较2022年增长"),
            "截至2024年底，较2022年增长"
        );
        assert_eq!(r("于2013年、2012年获批"), "于2013年、2012年获批");
        // Not a year: a longer number, a year in a value, a decimal.
        assert_eq!(r("20230年"), "20230年");
        assert_eq!(r("12023年"), "12023年");
        assert_eq!(r("完成2023人次"), "完成2023人次");
        assert_eq!(r("2023"), "2023");
        assert_eq!(r("2023.5年"), "2023.5年");
        assert_eq!(r("0.2023年"), "0.2023年");
        assert_eq!(r("1,2023年"), "1,2023年");
        // Ranges: a fixed period is kept, a window ending in the prior year moves.
        assert_eq!(r("2023-2025年规划"), "2023-2025年规划");
        assert_eq!(r("2021-2025年"), "2021-2025年");
        assert_eq!(r("2021-2023年累计"), "2022-2024年累计");
        assert_eq!(r("2021年至2023年"), "2022年至2024年");
        assert_eq!(r("2021～2023年"), "2022～2024年");
        // Both in one text, and non-ASCII around.
        assert_eq!(r("（2023年）与2023年度"), "（2024年）与2024年度");
        assert_eq!(roll_years("2023年", 2023, 2025).as_deref(), Some("2025年"));
        assert_eq!(roll_years("无年份", 2023, 2024), None);
        assert_eq!(roll_years("2022年", 2023, 2024), None);
        assert_eq!(roll_years("2023年", 2023, 2023), None);
    }

    #[test]
    fn parsed_stays_in_field_order() {
        let mut i = Indicator::empty(3, 1);
        i.set_parsed(2, Parsed::Qualitative);
        i.set_parsed(0, Parsed::NotApplicable);
        i.set_parsed(2, Parsed::Compound);
        assert_eq!(
            i.parsed,
            vec![(0, Parsed::NotApplicable), (2, Parsed::Compound)]
        );
        assert_eq!(i.parsed(1), None);
    }

    #[test]
    fn extra_kind_labels_round_trip() {
        for k in ExtraKind::ALL {
            assert_eq!(ExtraKind::from_label(k.label()), Some(k));
            assert_eq!(ExtraKind::from_label(&format!(" {} ", k.label())), Some(k));
        }
        assert_eq!(ExtraKind::from_label("别的"), None);
    }

    #[test]
    fn seq_reads_numbers_in_every_form() {
        assert_eq!(Seq::from_text("1"), Seq::Number(1));
        assert_eq!(Seq::from_text("１"), Seq::Number(1));
        assert_eq!(Seq::from_text("3.0"), Seq::Number(3));
        assert_eq!(Seq::from_text(" 2 "), Seq::Number(2));
        assert_eq!(Seq::from_text("一"), Seq::Text("一".into()));
    }

    #[test]
    fn a1_addresses_round_trip() {
        assert_eq!(a1(0, 1), "A1");
        assert_eq!(a1(12, 21), "M21");
        assert_eq!(col_letters(26), "AA");
        assert_eq!(col_letters(701), "ZZ");
        for c in [0, 5, 25, 26, 51, 700, 16383] {
            assert_eq!(col_index(&col_letters(c)), Some(c));
        }
    }

    #[test]
    fn quantity_json_has_integer_numbers_and_kind() {
        let p = Parsed::Quantity(Quantity {
            cmp: None,
            number: 85.0,
            unit: "%".into(),
        });
        let j = serde_json::to_string(&p).unwrap();
        assert_eq!(
            j,
            r#"{"kind":"quantity","cmp":null,"number":85,"unit":"%"}"#
        );
        let q = Parsed::Quantity(Quantity {
            cmp: Some(Cmp::Ge),
            number: 90.42,
            unit: "%".into(),
        });
        assert_eq!(
            serde_json::to_string(&q).unwrap(),
            r#"{"kind":"quantity","cmp":">=","number":90.42,"unit":"%"}"#
        );
        assert_eq!(
            serde_json::to_string(&Parsed::NotApplicable).unwrap(),
            r#"{"kind":"not_applicable"}"#
        );
        let back: Parsed = serde_json::from_str(&j).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn seq_json_is_a_number_or_text() {
        assert_eq!(serde_json::to_string(&Seq::Number(3)).unwrap(), "3");
        assert_eq!(
            serde_json::to_string(&Seq::Text("一".into())).unwrap(),
            "\"一\""
        );
        assert_eq!(serde_json::from_str::<Seq>("3").unwrap(), Seq::Number(3));
    }
}
