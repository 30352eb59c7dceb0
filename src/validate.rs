//! Checks a table against the rules of spec/rules.md: a model in, findings out (pure).
//!
//! Every rule reads the model's cleaned text (spec/model.md) and the parsed
//! values the reader filled in, never raw cells, so white space, full-width
//! digits or a percentage stored as a number never raise a finding by
//! themselves. The rules are driven by the template: which fields are required
//! (and how seriously) comes from each header leaf's and form field's
//! `required`, the fields a rule compares from their roles
//! ([`Role::Target`], [`Role::HistoryLast`], …), the name patterns, categories
//! and placeholders from its `[rules]` section. A rule whose roles or settings
//! a template lacks does not apply to its tables; `[rules] skip` switches
//! rules off by code. Messages name fields by their template label and groups
//! by their level's name, so no template's field is named here.
//!
//! | code | severity | where |
//! |---|---|---|
//! | `header_mismatch` | error | header cell (first header row) where a column was expected / found |
//! | `missing_value` | from the template's `required` | the empty cell (a group field: the group's first row) |
//! | `duplicate_indicator` | error | the name cell of the second occurrence in one innermost group |
//! | `percent_out_of_range` | error | the value cell |
//! | `unit_mismatch` | warning | the standard / last year's value cell compared with the target |
//! | `target_below_history` | warning | the target cell |
//! | `seq_gap` | warning | the group number cell of the first offending group |
//! | `unparsed_value` | warning | the value cell |
//! | `unmapped_content` | warning | the stray cell |
//! | `stale_target` | warning (only with a prior table) | the target cell |
//! | `empty_table` | error | the name column, first row after the header |
//! | `missing_title` | warning | column A of the row above the table |
//! | `funds_mismatch` | error | the funds total's value cell |
//! | `missing_category` | error | the outermost level's column on the header row |
//! | `unknown_category` | warning | the category cell (the group's first row) |
//! | `placeholder_value` | error | the cell holding the placeholder |
//! | `cost_direction` | warning | the target cell |

use crate::model::{
    col_index, col_letters, Cmp, ExtraKind, FieldRef, Group, Indicator, Parsed, Place, Quantity,
    Role, Seq, Shape, Table,
};
use crate::quantity::{compare, parse_money};
use crate::template::{Leaf, Required, Template};
use crate::text::{name_key, name_key_cow, without_brackets};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt::Write as _;

/// The `schema` value of the validation JSON.
pub const VALIDATION_SCHEMA: &str = "jixiao.validation/1";

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The table cannot be accepted as submitted (exit 1).
    Error,
    /// Worth a look; the table is accepted.
    Warning,
    /// A note only.
    Info,
}

impl Severity {
    /// The word a clerk reads (`错误`, `警告`, `提示`).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

impl From<Required> for Severity {
    fn from(r: Required) -> Severity {
        match r {
            Required::Error => Severity::Error,
            Required::Warning => Severity::Warning,
        }
    }
}

/// How a finding names the group it is in: one entry per grouping level of
/// the table's shape ([`Shape::levels`]), the level's `json` key and the value
/// of the level's key field (`[("duty", Some(3))]` for a duty; a 一级 and a
/// 二级 category for a category); `None` when the finding is in no group or
/// the value is empty. In JSON each entry is a key of the finding
/// (`"duty": 3`, `null` for a level not named).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupNaming(pub Vec<(String, Option<Seq>)>);

impl GroupNaming {
    /// Every level of `shape`, none named (a finding in no group).
    pub fn none(shape: &Shape) -> GroupNaming {
        GroupNaming(
            shape
                .levels
                .iter()
                .map(|l| (l.json.clone(), None))
                .collect(),
        )
    }

    /// The levels of `group` in `table`; empty values are `None`.
    pub fn of(table: &Table, group: &Group) -> GroupNaming {
        GroupNaming(
            table
                .group_names(group)
                .into_iter()
                .map(|(k, v)| {
                    let v = Some(v).filter(|s| !s.to_string().trim().is_empty());
                    (k, v)
                })
                .collect(),
        )
    }

    /// The value of the level whose `json` key is `key`.
    pub fn get(&self, key: &str) -> Option<&Seq> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_ref())
    }

    /// True when no level is named.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|(_, v)| v.is_none())
    }

    /// The named values joined by `/` (`3`, `产出指标/数量指标`), `""` when none.
    pub fn text(&self) -> String {
        let parts: Vec<String> = self
            .0
            .iter()
            .filter_map(|(_, v)| v.as_ref().map(|s| s.to_string()))
            .collect();
        parts.join("/")
    }
}

impl Serialize for GroupNaming {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// One finding at one input cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// The rule (`missing_value`, …); serialised as its code.
    pub code: Code,
    /// The sheet of the input the cell is on.
    pub sheet: String,
    /// A1 address in the input.
    pub cell: String,
    /// The group the finding is in, one JSON key per level (`"duty": 3`).
    #[serde(flatten)]
    pub group: GroupNaming,
    /// The indicator's name, for a finding on an indicator.
    pub indicator: Option<String>,
    /// The field's key in the template (a form, group or indicator field).
    pub field: Option<String>,
    /// In Chinese, for the person who fixes the file.
    pub message: String,
    /// The rule's Chinese short name (`rule_name(code)`), for people; an
    /// added key after `message`, so older readers are unaffected.
    pub rule: &'static str,
    /// Where in the model the finding sits, for writers that mark cells.
    #[serde(skip)]
    pub place: Option<Place>,
}

impl Finding {
    /// The value naming the finding's group at the level whose `json` key is
    /// `key` (`finding.group_value("duty")` → `Some(&Seq::Number(3))`).
    pub fn group_value(&self, key: &str) -> Option<&Seq> {
        self.group.get(key)
    }

    /// The finding's group as text: its named levels joined by `/` (`3`,
    /// `产出指标/数量指标`), `""` when it is in no group.
    pub fn group_text(&self) -> String {
        self.group.text()
    }
}

/// The validation JSON (spec/model.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Always [`VALIDATION_SCHEMA`].
    pub schema: String,
    /// The file checked.
    pub path: String,
    /// The number of error findings.
    pub errors: usize,
    /// The number of warning findings.
    pub warnings: usize,
    /// Every finding, by input row, then column.
    pub issues: Vec<Finding>,
}

impl Report {
    /// True when the table cannot be accepted as submitted (at least one error).
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }
}

/// A rule of the rule list (docs/rules.md), by its code: the contract scripts
/// match on. It serialises as its snake_case code (`"target_below_history"`),
/// compares equal to that text, and names itself in Chinese for people
/// ([`Code::name`], [`Code::label`]).
///
/// ```
/// use jixiao::validate::Code;
/// assert_eq!(Code::TargetBelowHistory.as_str(), "target_below_history");
/// assert_eq!(Code::TargetBelowHistory.label(), "目标低于上年实际（target_below_history）");
/// assert_eq!("seq_gap".parse::<Code>(), Ok(Code::SeqGap));
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// `header_mismatch` (表头不符): The header block does not match the template.
    HeaderMismatch,
    /// `missing_value` (必填项为空): A required cell is empty.
    MissingValue,
    /// `duplicate_indicator` (指标重复): The same indicator appears twice in one group.
    DuplicateIndicator,
    /// `percent_out_of_range` (比率超出范围): A bounded rate above 100% or below 0.
    PercentOutOfRange,
    /// `unit_mismatch` (单位不一致): The target and the standard (or last year's value) are in different units.
    UnitMismatch,
    /// `target_below_history` (目标低于上年实际): This year's target is below last year's actual.
    TargetBelowHistory,
    /// `seq_gap` (序号不连续): The group numbers are not 1, 2, 3, … in order.
    SeqGap,
    /// `unparsed_value` (指标值无法识别): A value that is neither a quantity nor a known text form.
    UnparsedValue,
    /// `unmapped_content` (表外内容): A non-empty cell outside every field, kept as an extra.
    UnmappedContent,
    /// `stale_target` (目标未随实际调整): A target left as last year's while the actual moved (needs the prior table).
    StaleTarget,
    /// `empty_table` (空表): Not one indicator with a name and a target (a blank template sent back).
    EmptyTable,
    /// `missing_title` (缺少标题): The table has no title, or no year in it.
    MissingTitle,
    /// `funds_mismatch` (资金不平衡): The funds' parts do not add up to the total.
    FundsMismatch,
    /// `missing_category` (缺少指标类别): No indicator under a category the template requires.
    MissingCategory,
    /// `unknown_category` (未知指标类别): A category the template does not know.
    UnknownCategory,
    /// `placeholder_value` (模板占位符未替换): A value still holds the template's placeholder text.
    PlaceholderValue,
    /// `cost_direction` (成本指标方向错误): A cost indicator whose target is a floor: a cost target is a ceiling.
    CostDirection,
    /// `cell_truncated` (单元格被截断): A cell's text was longer than a workbook cell holds and was cut.
    CellTruncated,
}

impl Code {
    /// Every rule, in the order of the rule list.
    pub const ALL: [Code; 18] = [
        Code::HeaderMismatch,
        Code::MissingValue,
        Code::DuplicateIndicator,
        Code::PercentOutOfRange,
        Code::UnitMismatch,
        Code::TargetBelowHistory,
        Code::SeqGap,
        Code::UnparsedValue,
        Code::UnmappedContent,
        Code::StaleTarget,
        Code::EmptyTable,
        Code::MissingTitle,
        Code::FundsMismatch,
        Code::MissingCategory,
        Code::UnknownCategory,
        Code::PlaceholderValue,
        Code::CostDirection,
        Code::CellTruncated,
    ];

    /// The code as scripts and the JSON spell it (`missing_value`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::HeaderMismatch => "header_mismatch",
            Code::MissingValue => "missing_value",
            Code::DuplicateIndicator => "duplicate_indicator",
            Code::PercentOutOfRange => "percent_out_of_range",
            Code::UnitMismatch => "unit_mismatch",
            Code::TargetBelowHistory => "target_below_history",
            Code::SeqGap => "seq_gap",
            Code::UnparsedValue => "unparsed_value",
            Code::UnmappedContent => "unmapped_content",
            Code::StaleTarget => "stale_target",
            Code::EmptyTable => "empty_table",
            Code::MissingTitle => "missing_title",
            Code::FundsMismatch => "funds_mismatch",
            Code::MissingCategory => "missing_category",
            Code::UnknownCategory => "unknown_category",
            Code::PlaceholderValue => "placeholder_value",
            Code::CostDirection => "cost_direction",
            Code::CellTruncated => "cell_truncated",
        }
    }

    /// The Chinese short name shown to people beside the code (`目标低于上年实际`).
    pub fn name(self) -> &'static str {
        match self {
            Code::HeaderMismatch => "表头不符",
            Code::MissingValue => "必填项为空",
            Code::DuplicateIndicator => "指标重复",
            Code::PercentOutOfRange => "比率超出范围",
            Code::UnitMismatch => "单位不一致",
            Code::TargetBelowHistory => "目标低于上年实际",
            Code::SeqGap => "序号不连续",
            Code::UnparsedValue => "指标值无法识别",
            Code::UnmappedContent => "表外内容",
            Code::StaleTarget => "目标未随实际调整",
            Code::EmptyTable => "空表",
            Code::MissingTitle => "缺少标题",
            Code::FundsMismatch => "资金不平衡",
            Code::MissingCategory => "缺少指标类别",
            Code::UnknownCategory => "未知指标类别",
            Code::PlaceholderValue => "模板占位符未替换",
            Code::CostDirection => "成本指标方向错误",
            Code::CellTruncated => "单元格被截断",
        }
    }

    /// The rule as a person reads it: Chinese name, code in brackets
    /// (`目标低于上年实际（target_below_history）`).
    pub fn label(self) -> String {
        format!("{}（{}）", self.name(), self.as_str())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// A text that is no rule's code (`"no_such_rule".parse::<Code>()`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的规则代码“{0}”")]
pub struct UnknownCode(pub String);

impl std::str::FromStr for Code {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Code, UnknownCode> {
        Code::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownCode(s.to_string()))
    }
}

/// The rules as constants (`codes::MISSING_VALUE`), the names earlier code used.
pub mod codes {
    use super::Code;
    /// [`Code::HeaderMismatch`].
    pub const HEADER_MISMATCH: Code = Code::HeaderMismatch;
    /// [`Code::MissingValue`].
    pub const MISSING_VALUE: Code = Code::MissingValue;
    /// [`Code::DuplicateIndicator`].
    pub const DUPLICATE_INDICATOR: Code = Code::DuplicateIndicator;
    /// [`Code::PercentOutOfRange`].
    pub const PERCENT_OUT_OF_RANGE: Code = Code::PercentOutOfRange;
    /// [`Code::UnitMismatch`].
    pub const UNIT_MISMATCH: Code = Code::UnitMismatch;
    /// [`Code::TargetBelowHistory`].
    pub const TARGET_BELOW_HISTORY: Code = Code::TargetBelowHistory;
    /// [`Code::SeqGap`].
    pub const SEQ_GAP: Code = Code::SeqGap;
    /// [`Code::UnparsedValue`].
    pub const UNPARSED_VALUE: Code = Code::UnparsedValue;
    /// [`Code::UnmappedContent`].
    pub const UNMAPPED_CONTENT: Code = Code::UnmappedContent;
    /// [`Code::StaleTarget`].
    pub const STALE_TARGET: Code = Code::StaleTarget;
    /// [`Code::EmptyTable`].
    pub const EMPTY_TABLE: Code = Code::EmptyTable;
    /// [`Code::MissingTitle`].
    pub const MISSING_TITLE: Code = Code::MissingTitle;
    /// [`Code::FundsMismatch`].
    pub const FUNDS_MISMATCH: Code = Code::FundsMismatch;
    /// [`Code::MissingCategory`].
    pub const MISSING_CATEGORY: Code = Code::MissingCategory;
    /// [`Code::UnknownCategory`].
    pub const UNKNOWN_CATEGORY: Code = Code::UnknownCategory;
    /// [`Code::PlaceholderValue`].
    pub const PLACEHOLDER_VALUE: Code = Code::PlaceholderValue;
    /// [`Code::CostDirection`].
    pub const COST_DIRECTION: Code = Code::CostDirection;
    /// [`Code::CellTruncated`].
    pub const CELL_TRUNCATED: Code = Code::CellTruncated;
    /// Every rule, in the order of the rule list.
    pub const ALL: &[Code] = &Code::ALL;
}

/// The Chinese short name of a rule code given as text (`target_below_history`
/// → `目标低于上年实际`), for codes read back from JSON; `""` for an unknown code.
/// With a [`Code`] at hand, [`Code::name`] says the same.
pub fn rule_name(code: impl AsRef<str>) -> &'static str {
    code.as_ref().parse::<Code>().map(Code::name).unwrap_or("")
}

/// A rule as a person reads it (`目标低于上年实际（target_below_history）`); the
/// bare code when it is no rule's.
pub fn rule_label(code: impl AsRef<str>) -> String {
    let code = code.as_ref();
    match code.parse::<Code>() {
        Ok(c) => c.label(),
        Err(_) => code.to_string(),
    }
}

/// Whether the target `target` of the indicator `name` is lower than
/// `reference` (last year's value, or last year's target) in a way a reviewer
/// should look at: both quantities of one unit and `target` below, except
/// for lower-is-better names (`[rules] lower_is_better`) and targets written
/// as a ceiling (`≤30天`); with `skip_units`, not for the units of `[rules]
/// target_below_history_skip_units` either (`%`: a rate target is a floor
/// standard, and last year's actual above it is normal). The test of
/// `target_below_history`, and of the targets lowered of `collect --prior`.
pub fn target_lowered(
    template: &Template,
    name: &str,
    target: &Quantity,
    reference: &Quantity,
    skip_units: bool,
) -> bool {
    let rules = &template.rules;
    if skip_units
        && rules
            .target_below_history_skip_units
            .iter()
            .any(|u| u.trim() == target.unit.trim())
    {
        return false;
    }
    if matches!(target.cmp, Some(Cmp::Le) | Some(Cmp::Lt)) {
        return false;
    }
    let normed = name_key_cow(name);
    if rules
        .lower_is_better
        .iter()
        .filter_map(|r| crate::text::cached_regex(r))
        .any(|r| r.is_match(&normed))
    {
        return false;
    }
    compare(target, reference) == Some(Ordering::Less)
}

/// Checks `table`; `prior` (last year's table) enables `stale_target`.
///
/// Findings are ordered by input row, then column (rules keep their order on
/// one cell); `errors` and `warnings` count them.
///
/// Never fails: a table that cannot be accepted is a report with errors.
///
/// ```
/// use jixiao::{read_file, validate, Code, ReadOptions, Template};
/// let templates = Template::builtins();
/// let opts = ReadOptions { sheet: None, templates: &templates };
/// let t = read_file("examples/linyi-education-2023.xlsx".as_ref(), &opts)?;
/// let report = validate(&t, &templates[0], None);
/// assert_eq!((report.errors, report.warnings), (0, 2));
/// assert!(report.issues.iter().all(|f| f.code == Code::TargetBelowHistory));
/// assert_eq!(report.issues[0].cell, "F12");
/// # Ok::<(), jixiao::Error>(())
/// ```
pub fn validate(table: &Table, template: &Template, prior: Option<&Table>) -> Report {
    let checker = || Checker {
        table,
        shape: &table.shape,
        template,
        out: Vec::new(),
    };
    // `target_below_history` (the costliest rule) runs on a second core
    // beside the others; the findings keep the rules' order.
    let ((mut c, empty), below) = rayon::join(
        || {
            let mut c = checker();
            c.missing_title();
            c.header();
            let empty = c.empty_table();
            c.missing_values();
            c.duplicates();
            c.percent_range();
            c.unit_mismatch();
            (c, empty)
        },
        || {
            let mut c = checker();
            c.target_below_history();
            c.out
        },
    );
    c.out.extend(below);
    c.seq_gap();
    let placeholders = c.placeholders();
    c.unparsed(&placeholders);
    c.funds();
    if !empty {
        c.missing_categories();
    }
    c.unknown_categories();
    c.cost_direction();
    c.unmapped();
    c.truncated();
    if let Some(prior) = prior {
        c.stale_target(prior);
    }
    let skip = &template.rules.skip;
    let mut issues: Vec<Finding> = std::mem::take(&mut c.out)
        .into_iter()
        .filter(|f| !skip.iter().any(|s| s.trim() == f.code.as_str()))
        .collect();
    // Stable, and each cell parsed once.
    issues.sort_by_cached_key(|f| cell_key(&f.cell));
    let errors = issues
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = issues
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    Report {
        schema: VALIDATION_SCHEMA.into(),
        path: table.source.path.clone(),
        errors,
        warnings,
        issues,
    }
}

/// The report for a person: grouped by group (form, header and stray content
/// first), errors before warnings inside a group, one line per finding
/// (`错误 F12 职责3 教育综合督导完成率：年度指标值为空`), and a last line with the counts.
pub fn render_text(report: &Report, table: &Table) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", display_path(report, table));
    // Sections: None (in no group) first, then groups in table order.
    let mut sections: Vec<(Option<usize>, Vec<&Finding>)> = Vec::new();
    // Where each section is in `sections`: a scan of them for every finding
    // grew with findings × groups (35,000 × 20,000 at 100,000 indicators).
    let mut section_at: HashMap<Option<usize>, usize> = HashMap::new();
    for f in &report.issues {
        let key = f.place.and_then(|p| p.group()).or_else(|| {
            if f.group.0.is_empty() || f.group.0.iter().any(|(_, v)| v.is_none()) {
                return None;
            }
            table
                .groups
                .iter()
                .position(|g| GroupNaming::of(table, g) == f.group)
        });
        match section_at.get(&key) {
            Some(&at) => sections[at].1.push(f),
            None => {
                section_at.insert(key, sections.len());
                sections.push((key, vec![f]));
            }
        }
    }
    sections.sort_by_key(|(k, _)| k.map_or(0, |i| i + 1));
    for (key, mut findings) in sections {
        findings.sort_by_key(|f| f.severity);
        let heading = match key.and_then(|i| table.groups.get(i)) {
            Some(g) => one_line(&table.group_heading(g), 40),
            None if table.shape.form.is_empty() => "表头与表外内容".to_string(),
            None => "表单、表头与表外内容".to_string(),
        };
        let _ = writeln!(out, "\n{heading}");
        for f in findings {
            let mut line = format!("  {} {}", f.severity.label(), f.cell);
            let group = group_words(&table.shape, &f.group);
            if !group.is_empty() {
                let _ = write!(line, " {group}");
            }
            if let Some(name) = f.indicator.as_deref().filter(|n| !n.is_empty()) {
                let _ = write!(line, " {}", one_line(name, 40));
            }
            let _ = writeln!(out, "{line}：{}〔{}〕", f.message, f.code.label());
        }
    }
    let infos = report
        .issues
        .iter()
        .filter(|f| f.severity == Severity::Info)
        .count();
    let mut last = if report.issues.is_empty() {
        "\n未发现问题".to_string()
    } else {
        format!("\n共 {} 个错误，{} 个警告", report.errors, report.warnings)
    };
    if infos > 0 {
        let _ = write!(last, "，{infos} 个提示");
    }
    if report.errors > 0 {
        last.push_str("（有错误，表格需修改后重新提交）");
    } else if report.warnings > 0 {
        last.push_str("（无错误，警告请核实）");
    }
    let _ = writeln!(out, "{last}");
    out
}

/// A finding's group for a line of the text report: a numbered level as its
/// name and number (`职责3`), a named one as its name, joined by `/`.
fn group_words(shape: &Shape, naming: &GroupNaming) -> String {
    let mut parts = Vec::new();
    for (n, (_, v)) in naming.0.iter().enumerate() {
        let Some(v) = v else { continue };
        let numbered = shape
            .levels
            .get(n)
            .is_some_and(|l| shape.group[l.key].role == Some(Role::GroupId));
        if numbered {
            parts.push(format!("{}{v}", shape.levels[n].name));
        } else {
            parts.push(v.to_string());
        }
    }
    parts.join("/")
}

fn display_path(report: &Report, table: &Table) -> String {
    let mut s = format!("校验：{}", report.path);
    if !table.source.sheet.is_empty() {
        let _ = write!(s, "（工作表“{}”）", table.source.sheet);
    }
    s
}

struct Checker<'a> {
    table: &'a Table,
    shape: &'a Shape,
    template: &'a Template,
    out: Vec<Finding>,
}

/// Each indicator with its group and their indexes.
type Each<'a> = (usize, usize, &'a Group, &'a Indicator);

impl<'a> Checker<'a> {
    /// A finding on a cell of the table: a form field at its value cell, a
    /// group field at the group's first row, an indicator field at the
    /// indicator's row; the official layout's cell when the input did not
    /// record one.
    fn at(&mut self, severity: Severity, code: Code, place: Place, message: String) {
        let t = self.table;
        let cell = t
            .cell_of_place(&place)
            .unwrap_or_else(|| self.official_cell(&place));
        let group = match place.group().and_then(|g| t.groups.get(g)) {
            Some(g) => GroupNaming::of(t, g),
            None => GroupNaming::none(self.shape),
        };
        let indicator = match place {
            Place::Indicator {
                group, indicator, ..
            } => t
                .groups
                .get(group)
                .and_then(|g| g.indicators.get(indicator))
                .map(|i| self.name_of(i).trim().to_string())
                .filter(|n| !n.is_empty()),
            _ => None,
        };
        self.out.push(Finding {
            severity,
            code,
            rule: code.name(),
            sheet: t.source.sheet.clone(),
            cell,
            group,
            indicator,
            field: Some(self.shape.spec(place.field()).key.clone()),
            message,
            place: Some(place),
        });
    }

    /// A finding on a cell that is no place of the model (a header cell, the title).
    fn at_cell(
        &mut self,
        severity: Severity,
        code: Code,
        cell: String,
        group: GroupNaming,
        field: Option<String>,
        message: String,
    ) {
        self.out.push(Finding {
            severity,
            code,
            rule: code.name(),
            sheet: self.table.source.sheet.clone(),
            cell,
            group,
            indicator: None,
            field,
            message,
            place: None,
        });
    }

    /// The cell of a place in the template's official layout (a model built
    /// in code records no input columns).
    fn official_cell(&self, place: &Place) -> String {
        let t = self.table;
        let grid = |field: FieldRef, row: u32| {
            let col = self.template.leaf_of(field).map_or(0, |l| l.col as u32);
            format!("{}{row}", col_letters(col))
        };
        match *place {
            Place::Form(i) => self
                .official_form_cell(i)
                .unwrap_or_else(|| format!("A{}", t.source.header_rows[0].max(1))),
            Place::Group { group, field } => {
                let row = t.groups.get(group).map_or(1, |g| g.rows[0]);
                grid(FieldRef::Group(field), row)
            }
            Place::Indicator {
                group,
                indicator,
                field,
            } => {
                let row = t
                    .groups
                    .get(group)
                    .and_then(|g| g.indicators.get(indicator))
                    .map_or(1, |i| i.row);
                grid(FieldRef::Indicator(field), row)
            }
        }
    }

    /// The value cell of form field `i` in the official form block (rows
    /// from 3, moved so that the block ends right above the table's header
    /// when the header row is known).
    fn official_form_cell(&self, i: usize) -> Option<String> {
        let key = &self.shape.form[i].key;
        let form = &self.table.form;
        // (first column, columns, rows still covered) of side texts.
        let mut carry: Vec<(u32, u32, u16)> = Vec::new();
        let mut found: Option<(u32, u32)> = None;
        let mut rows = 0u32;
        for row in &self.template.form_rows {
            let used = row.cells.iter().any(|c| {
                c.value
                    .as_deref()
                    .and_then(|k| self.shape.form_field(k))
                    .is_some_and(|f| !form.text(f).trim().is_empty())
            });
            if row.optional && !used {
                continue;
            }
            let mut col = 0u32;
            let mut added = Vec::new();
            for c in &row.cells {
                while carry
                    .iter()
                    .any(|&(c0, w, left)| left > 0 && col >= c0 && col < c0 + w)
                {
                    col += 1;
                }
                if found.is_none() && c.value.as_deref() == Some(key.as_str()) {
                    found = Some((col, rows));
                }
                let span = u32::from(c.span.max(1));
                if c.rows > 1 {
                    added.push((col, span, c.rows - 1));
                }
                col += span;
            }
            for c in &mut carry {
                c.2 = c.2.saturating_sub(1);
            }
            carry.extend(added);
            rows += 1;
        }
        let (col, r) = found?;
        let official_header = 3 + rows;
        let header = self.table.source.header_rows[0];
        let row = if header > official_header {
            r + 3 + (header - official_header)
        } else if header > 0 && header < official_header && header > rows {
            r + header - rows
        } else {
            r + 3
        };
        Some(format!("{}{row}", col_letters(col)))
    }

    /// The name of an indicator (its [`Role::Name`] field).
    fn name_of<'b>(&self, ind: &'b Indicator) -> &'b str {
        ind.text_of(self.shape, Role::Name)
    }

    /// The label of an indicator field.
    fn label(&self, f: usize) -> &'a str {
        &self.shape.indicator[f].label
    }

    /// Each indicator with its group and their indexes.
    fn each(&self) -> Vec<Each<'a>> {
        let t: &'a Table = self.table;
        t.groups
            .iter()
            .enumerate()
            .flat_map(|(gi, g)| {
                g.indicators
                    .iter()
                    .enumerate()
                    .map(move |(ii, i)| (gi, ii, g, i))
            })
            .collect()
    }

    /// The first row of the grid's header (at least 1).
    fn header_row(&self) -> u32 {
        self.table.source.header_rows[0].max(1)
    }

    /// The cell of a grid field's column on `row`: the input's column, else the official one.
    fn grid_cell(&self, field: FieldRef, row: u32) -> String {
        self.table.cell_of(field, row).unwrap_or_else(|| {
            let col = self.template.leaf_of(field).map_or(0, |l| l.col as u32);
            format!("{}{row}", col_letters(col))
        })
    }

    /// `missing_title`: no title, or a title naming no year.
    fn missing_title(&mut self) {
        let title = self.table.title.trim();
        let names_year = !title.is_empty()
            && (self
                .template
                .title_regexes
                .iter()
                .filter_map(|r| crate::text::cached_regex(r))
                .any(|r| r.captures(title).is_some_and(|c| c.name("year").is_some()))
                || crate::text::cached_regex(r"(19|20)\d{2}\s*年")
                    .is_some_and(|r| r.is_match(title)));
        if names_year {
            return;
        }
        let example = self
            .template
            .title_format
            .replace(
                "{year}",
                &self
                    .table
                    .year
                    .map_or("20××".to_string(), |y| y.to_string()),
            )
            .replace(
                "{department}",
                self.table.department.as_deref().unwrap_or("××单位"),
            );
        let message = if title.is_empty() {
            format!("未找到表格标题，年度和单位无法从标题得出（标题应如“{example}”）")
        } else {
            format!(
                "标题“{}”没有写明年度（标题应如“{example}”）",
                one_line(title, 40)
            )
        };
        let cell = self.title_cell();
        let group = GroupNaming::none(self.shape);
        self.at_cell(
            Severity::Warning,
            codes::MISSING_TITLE,
            cell,
            group,
            None,
            message,
        );
    }

    /// Where the title is (or belongs), in column A: the row above the
    /// table's unit line, or, without one, two rows above its form block or
    /// header (the official layouts put title and unit line there); row 1 at
    /// the least.
    fn title_cell(&self) -> String {
        let src = &self.table.source;
        let first =
            |rows: &mut dyn Iterator<Item = u32>| rows.filter(|&r| r != u32::MAX && r > 0).min();
        let unit_line = first(
            &mut self
                .table
                .extras
                .iter()
                .filter(|e| e.kind == ExtraKind::UnitLine)
                .map(|e| cell_key(&e.cell).0),
        );
        let top = first(
            &mut src
                .form_cells
                .values()
                .map(|c| cell_key(c).0)
                .chain(std::iter::once(src.header_rows[0])),
        );
        let row = match (unit_line, top) {
            (Some(u), Some(t)) if u < t => u.saturating_sub(1),
            (_, Some(t)) => t.saturating_sub(2),
            (Some(u), None) => u.saturating_sub(1),
            (None, None) => 1,
        };
        format!("A{}", row.max(1))
    }

    /// `header_mismatch`: a template leaf missing from the header, or leaves out
    /// of the template's order. Leaves in order are those of the longest run
    /// increasing in input column; every other leaf is reported where it was
    /// found, so swapping two columns or moving one gives one finding. A
    /// column the template marks `optional` may be absent.
    fn header(&mut self) {
        let src = &self.table.source;
        if src.columns.is_empty() {
            // No header recorded (a model built in code, or JSON without
            // `columns`): nothing to compare. A reader never yields this, since a
            // sheet without a recognisable header is no table at all.
            return;
        }
        let shape = self.shape;
        let header_row = src.header_rows[0].max(1);
        let leaves = self.template.leaves();
        let found: Vec<Option<u32>> = leaves
            .iter()
            .map(|l| src.columns.get(l.key).and_then(|c| col_index(c)))
            .collect();
        let label_at = |col: u32| -> Option<String> {
            let letters = col_letters(col);
            src.columns
                .iter()
                .find(|(_, c)| **c == letters)
                .map(|(k, _)| {
                    src.header_labels.get(k).cloned().unwrap_or_else(|| {
                        shape
                            .grid_field(k)
                            .map_or(k.clone(), |f| shape.spec(f).label.clone())
                    })
                })
        };
        // Missing leaves.
        for (i, leaf) in leaves.iter().enumerate() {
            if found[i].is_some() || leaf.column.optional {
                continue;
            }
            let before = found[..i].iter().rev().flatten().next().map(|c| c + 1);
            let after = found[i + 1..]
                .iter()
                .flatten()
                .next()
                .map(|c| c.saturating_sub(1));
            let col = before.or(after).unwrap_or(leaf.col as u32);
            let there = match label_at(col) {
                Some(l) => format!("该处表头为“{}”", short_label(&l)),
                None => "该处没有对应的表头".to_string(),
            };
            let message = format!(
                "表头缺少“{}”列（按模板应在 {} 列，{there}）",
                leaf_text(shape, leaf),
                col_letters(col)
            );
            self.header_finding(col, header_row, leaf, message);
        }
        // Out of order: leaves not on the longest increasing run of columns.
        let present: Vec<(usize, u32)> = found
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.map(|c| (i, c)))
            .collect();
        let keep = longest_increasing(&present.iter().map(|p| p.1).collect::<Vec<_>>());
        for (k, &(i, col)) in present.iter().enumerate() {
            if keep[k] {
                continue;
            }
            let leaf = &leaves[i];
            let prev = leaves[..i]
                .iter()
                .rev()
                .find(|l| src.columns.contains_key(l.key));
            let expected = match prev {
                Some(p) => format!("按模板应在“{}”列之后", leaf_text(shape, p)),
                None => "按模板应在最前".to_string(),
            };
            let found_text = src
                .header_labels
                .get(leaf.key)
                .map(|l| short_label(l))
                .unwrap_or_else(|| leaf_text(shape, leaf).to_string());
            let message = format!(
                "表头列顺序与模板不符：“{}”列{expected}，实际在 {} 列（表头为“{found_text}”）",
                leaf_text(shape, leaf),
                col_letters(col)
            );
            self.header_finding(col, header_row, leaf, message);
        }
    }

    fn header_finding(&mut self, col: u32, row: u32, leaf: &Leaf<'_>, message: String) {
        let group = GroupNaming::none(self.shape);
        self.at_cell(
            Severity::Error,
            codes::HEADER_MISMATCH,
            format!("{}{row}", col_letters(col)),
            group,
            Some(leaf.key.to_string()),
            message,
        );
    }

    /// `empty_table`: not one indicator with a name and (where the template
    /// has one) a target: a blank template sent back. Reported at the name
    /// column of the first row after the header. Returns whether it fired.
    fn empty_table(&mut self) -> bool {
        let shape = self.shape;
        let Some(name) = shape.indicator_role(Role::Name) else {
            return false;
        };
        let target = shape.indicator_role(Role::Target);
        let filled = self.table.indicators().any(|(_, i)| {
            !i.text(name).trim().is_empty() && target.is_none_or(|t| !i.text(t).trim().is_empty())
        });
        if filled {
            return false;
        }
        let row = self.table.source.header_rows[1].max(self.header_row() - 1) + 1;
        let cell = self.grid_cell(FieldRef::Indicator(name), row);
        let what = match target {
            Some(t) => format!("{}和{}", self.label(name), self.label(t)),
            None => self.label(name).to_string(),
        };
        let message =
            format!("表中没有一个填写了{what}的指标，可能是未填写的空白模板，请填写后重新提交");
        let group = GroupNaming::none(shape);
        self.at_cell(
            Severity::Error,
            codes::EMPTY_TABLE,
            cell,
            group,
            None,
            message,
        );
        true
    }

    /// `missing_value`: every form field and template leaf with `required`.
    /// A grid field is checked where the header has its column (a column the
    /// header lacks is a `header_mismatch` instead; with no header recorded
    /// at all, every leaf is checked, at its official column). Group fields
    /// are checked once per group, and only for groups with indicators (a
    /// category row with nothing under it is part of the printed form, not a
    /// missing value).
    fn missing_values(&mut self) {
        let shape = self.shape;
        for (i, f) in self.template.form.iter().enumerate() {
            let Some(req) = f.required else { continue };
            if i < shape.form.len() && self.table.form.text(i).trim().is_empty() {
                let msg = format!("{}为空", shape.form[i].label);
                self.at(req.into(), codes::MISSING_VALUE, Place::Form(i), msg);
            }
        }
        let required: Vec<(FieldRef, Severity)> = self
            .template
            .leaves()
            .iter()
            .filter_map(|l| l.column.required.map(|r| (l.field, Severity::from(r))))
            .filter(|(f, _)| {
                let cols = &self.table.source.columns;
                cols.is_empty() || cols.contains_key(&shape.spec(*f).key)
            })
            .collect();
        for (gi, group) in self.table.groups.iter().enumerate() {
            if !group.indicators.is_empty() {
                for &(field, sev) in &required {
                    let FieldRef::Group(f) = field else { continue };
                    if group.text(f).trim().is_empty() {
                        let msg = format!("{}为空", shape.group[f].label);
                        self.at(
                            sev,
                            codes::MISSING_VALUE,
                            Place::Group {
                                group: gi,
                                field: f,
                            },
                            msg,
                        );
                    }
                }
            }
            for (ii, ind) in group.indicators.iter().enumerate() {
                for &(field, sev) in &required {
                    let FieldRef::Indicator(f) = field else {
                        continue;
                    };
                    if f < ind.values.len() && ind.text(f).trim().is_empty() {
                        let msg = format!("{}为空", shape.indicator[f].label);
                        self.at(
                            sev,
                            codes::MISSING_VALUE,
                            Place::Indicator {
                                group: gi,
                                indicator: ii,
                                field: f,
                            },
                            msg,
                        );
                    }
                }
            }
        }
    }

    /// A group named in a message: `职责3` for a numbered level,
    /// `二级指标“数量指标”` for a named one (the innermost level).
    fn group_phrase(&self, group: &Group) -> String {
        let shape = self.shape;
        let Some(level) = shape.levels.last() else {
            return String::new();
        };
        let text = group.text(level.key).trim();
        if shape.group[level.key].role == Some(Role::GroupId) {
            format!("{}{}", level.name, Seq::from_text(text))
        } else {
            format!("{}“{text}”", level.name)
        }
    }

    /// `duplicate_indicator`: the same cleaned name twice in one innermost
    /// group, reported at the second occurrence.
    fn duplicates(&mut self) {
        let Some(name_f) = self.shape.indicator_role(Role::Name) else {
            return;
        };
        let label = self.label(name_f);
        let level = self
            .shape
            .levels
            .last()
            .map_or(String::new(), |l| l.name.clone());
        let groups: &'a [Group] = &self.table.groups;
        for (gi, group) in groups.iter().enumerate() {
            let mut seen: HashMap<std::borrow::Cow<'_, str>, u32> = HashMap::new();
            for (ii, ind) in group.indicators.iter().enumerate() {
                let name = ind.text(name_f);
                let key = name_key_cow(name);
                if key.is_empty() {
                    continue;
                }
                if let Some(first_row) = seen.get(&key) {
                    let msg = format!(
                        "{label}“{}”在{}中重复（第 {first_row} 行已有同名指标），同一{level}下每个指标只应填写一行",
                        name.trim(),
                        self.group_phrase(group)
                    );
                    self.at(
                        Severity::Error,
                        codes::DUPLICATE_INDICATOR,
                        Place::Indicator {
                            group: gi,
                            indicator: ii,
                            field: name_f,
                        },
                        msg,
                    );
                } else {
                    seen.insert(key, ind.row);
                }
            }
        }
    }

    /// True when `name` is a bounded rate: ends in a `bounded_rate_suffixes`
    /// entry and contains no `growth_rate_words` entry.
    fn is_bounded_rate(&self, name: &str) -> bool {
        let n = name_key_cow(name);
        let r = &self.template.rules;
        r.bounded_rate_suffixes
            .iter()
            .any(|s| n.ends_with(s.as_str()))
            && !r.growth_rate_words.iter().any(|w| n.contains(w.as_str()))
    }

    /// `percent_out_of_range`: a `%` quantity above 100 or below 0 in any value
    /// field of a bounded rate.
    fn percent_range(&mut self) {
        let values: Vec<usize> = self.shape.value_fields().collect();
        for (gi, ii, _, ind) in self.each() {
            let name = self.name_of(ind);
            if !self.is_bounded_rate(name) {
                continue;
            }
            for &field in &values {
                let Some(q) = ind.quantity(field) else {
                    continue;
                };
                if q.unit.trim() == "%" && (q.number > 100.0 || q.number < 0.0) {
                    let msg = format!(
                        "“{}”的{} {} 超出 0–100%（比率不能大于 100% 或小于 0）",
                        name.trim(),
                        self.label(field),
                        ind.text(field).trim()
                    );
                    self.at(
                        Severity::Error,
                        codes::PERCENT_OUT_OF_RANGE,
                        Place::Indicator {
                            group: gi,
                            indicator: ii,
                            field,
                        },
                        msg,
                    );
                }
            }
        }
    }

    /// `unit_mismatch`: the target and the standard (or last year's value)
    /// both quantities with different units, reported at the standard / last
    /// year's cell. A bare number (no unit) is not compared: it cannot say
    /// which unit it meant.
    fn unit_mismatch(&mut self) {
        let shape = self.shape;
        let Some(target) = shape.indicator_role(Role::Target) else {
            return;
        };
        let others: Vec<usize> = [Role::Standard, Role::HistoryLast]
            .into_iter()
            .filter_map(|r| shape.indicator_role(r))
            .collect();
        if others.is_empty() {
            return;
        }
        for (gi, ii, _, ind) in self.each() {
            let Some(a) = ind.quantity(target) else {
                continue;
            };
            for &field in &others {
                let Some(b) = ind.quantity(field) else {
                    continue;
                };
                let (ua, ub) = (a.unit.trim(), b.unit.trim());
                if ua.is_empty() || ub.is_empty() || ua == ub {
                    continue;
                }
                let msg = format!(
                    "{} {}（单位“{ub}”）与{} {}（单位“{ua}”）单位不一致",
                    self.label(field),
                    ind.text(field).trim(),
                    self.label(target),
                    ind.text(target).trim()
                );
                self.at(
                    Severity::Warning,
                    codes::UNIT_MISMATCH,
                    Place::Indicator {
                        group: gi,
                        indicator: ii,
                        field,
                    },
                    msg,
                );
            }
        }
    }

    /// `target_below_history`: the target a quantity lower than last year's
    /// value in the same unit. Not for lower-is-better names (`[rules]
    /// lower_is_better`), for targets written as a ceiling (`≤30天`), nor for
    /// units in `[rules] target_below_history_skip_units` (`%`: a rate target
    /// is a floor standard, and last year's actual above it is normal).
    fn target_below_history(&mut self) {
        let shape = self.shape;
        let (Some(target), Some(last)) = (
            shape.indicator_role(Role::Target),
            shape.indicator_role(Role::HistoryLast),
        ) else {
            return;
        };
        for (gi, ii, _, ind) in self.each() {
            let (Some(a), Some(b)) = (ind.quantity(target), ind.quantity(last)) else {
                continue;
            };
            let name = self.name_of(ind);
            if target_lowered(self.template, name, a, b, true) {
                let msg = format!(
                    "“{}”的{} {} 低于{} {}，请确认目标是否定得过低",
                    name.trim(),
                    self.label(target),
                    ind.text(target).trim(),
                    self.label(last),
                    ind.text(last).trim()
                );
                self.at(
                    Severity::Warning,
                    codes::TARGET_BELOW_HISTORY,
                    Place::Indicator {
                        group: gi,
                        indicator: ii,
                        field: target,
                    },
                    msg,
                );
            }
        }
    }

    /// `seq_gap`: a level's group numbers ([`Role::GroupId`]) are numbers but
    /// not 1, 2, 3, … in order (counted afresh under each group of the level
    /// above); reported once per level, at the first group whose number is
    /// not its position. Runs only when every non-empty number of the level
    /// is a number (an empty one is a `missing_value`).
    fn seq_gap(&mut self) {
        let shape = self.shape;
        let groups: &'a [Group] = &self.table.groups;
        let innermost = shape.levels.len().saturating_sub(1);
        for level in 0..shape.levels.len() {
            let Some(id) = shape.group_role(level, Role::GroupId) else {
                continue;
            };
            let any_text = groups.iter().any(
                |g| matches!(Seq::from_text(g.text(id)), Seq::Text(t) if !t.trim().is_empty()),
            );
            if any_text {
                continue;
            }
            // The outer levels' key values of a group: its parent.
            let parent = |g: &Group| -> Vec<String> {
                shape.levels[..level]
                    .iter()
                    .map(|l| g.text(l.key).trim().to_string())
                    .collect()
            };
            let mut expected = 0u32;
            let mut prev: Option<usize> = None;
            for (gi, g) in groups.iter().enumerate() {
                let same_parent = prev.is_some_and(|p| parent(&groups[p]) == parent(g));
                // At an outer level, consecutive groups with the same number are one group.
                if level < innermost
                    && same_parent
                    && prev.is_some_and(|p| groups[p].text(id).trim() == g.text(id).trim())
                {
                    continue;
                }
                if same_parent {
                    expected += 1;
                } else {
                    expected = 1;
                }
                let seq = Seq::from_text(g.text(id));
                if let Seq::Number(n) = seq {
                    if n != expected {
                        let before = prev
                            .filter(|_| same_parent)
                            .map(|p| format!("，上一项为 {}", Seq::from_text(groups[p].text(id))))
                            .unwrap_or_default();
                        let label = &shape.group[id].label;
                        let msg = format!(
                            "{label} {n} 不连续：此处应为 {expected}{before}（{label}应从 1 开始依次编号）"
                        );
                        self.at(
                            Severity::Warning,
                            codes::SEQ_GAP,
                            Place::Group {
                                group: gi,
                                field: id,
                            },
                            msg,
                        );
                        break;
                    }
                }
                prev = Some(gi);
            }
        }
    }

    /// `placeholder_value`: a form field, an indicator's name or a value
    /// field that is only a template placeholder (`[rules] placeholders`:
    /// `*`, `xx`, `待定`), or a value (or an amount) whose number is a
    /// placeholder mark (`[rules] placeholder_marks`: `≥××%`, `xx个`). Returns
    /// the places reported, so `unparsed_value` does not repeat them.
    fn placeholders(&mut self) -> Vec<Place> {
        let rules = &self.template.rules;
        if rules.placeholders.is_empty() && rules.placeholder_marks.is_empty() {
            return Vec::new();
        }
        let shape = self.shape;
        let only = |text: &str| {
            let n = name_key(text);
            !n.is_empty() && rules.placeholders.iter().any(|p| name_key(p) == n)
        };
        let marked = |text: &str| {
            let n = name_key(text);
            !n.chars().any(|c| c.is_ascii_digit())
                && rules
                    .placeholder_marks
                    .iter()
                    .map(|m| name_key(m))
                    .any(|m| !m.is_empty() && n.contains(&m))
        };
        let mut found: Vec<(Place, String, String)> = Vec::new();
        for (i, f) in shape.form.iter().enumerate() {
            let text = self.table.form.text(i);
            if only(text) || (f.money && marked(text)) {
                found.push((Place::Form(i), f.label.clone(), text.trim().to_string()));
            }
        }
        let name = shape.indicator_role(Role::Name);
        let values: Vec<usize> = shape.value_fields().collect();
        for (gi, ii, _, ind) in self.each() {
            for f in name.iter().chain(&values).copied() {
                let text = ind.text(f);
                let is_value = values.contains(&f);
                if only(text) || (is_value && marked(text)) {
                    let place = Place::Indicator {
                        group: gi,
                        indicator: ii,
                        field: f,
                    };
                    found.push((
                        place,
                        shape.indicator[f].label.clone(),
                        text.trim().to_string(),
                    ));
                }
            }
        }
        let mut places = Vec::new();
        for (place, label, text) in found {
            let msg = format!(
                "{label}“{}”是模板中的占位符，请填写实际内容",
                one_line(&text, 40)
            );
            self.at(Severity::Error, codes::PLACEHOLDER_VALUE, place, msg);
            places.push(place);
        }
        places
    }

    /// `unparsed_value`: a value field the reader could not read as a quantity,
    /// `/`, a qualitative or a compound target (a placeholder is reported as
    /// `placeholder_value` instead).
    fn unparsed(&mut self, placeholders: &[Place]) {
        let values: Vec<usize> = self.shape.value_fields().collect();
        for (gi, ii, _, ind) in self.each() {
            for &field in &values {
                if !matches!(ind.parsed(field), Some(Parsed::Unparsed)) {
                    continue;
                }
                let place = Place::Indicator {
                    group: gi,
                    indicator: ii,
                    field,
                };
                if placeholders.contains(&place) {
                    continue;
                }
                let msg = format!(
                    "{}“{}”无法识别为数值、“/”或定性目标（应填写如 85%、11万人次、≥95%、基本实现，不适用填 /）",
                    self.label(field),
                    one_line(ind.text(field).trim(), 40)
                );
                self.at(Severity::Warning, codes::UNPARSED_VALUE, place, msg);
            }
        }
    }

    /// The table's money unit (its [`Role::MoneyUnit`] form field, else that
    /// field's template default) and how many 元 one of it is.
    fn money_unit(&self) -> (String, f64) {
        let unit = self
            .shape
            .form_role(Role::MoneyUnit)
            .map(|i| {
                let t = self.table.form.text(i).trim().to_string();
                if t.is_empty() {
                    self.template
                        .form
                        .get(i)
                        .and_then(|f| f.default.clone())
                        .unwrap_or_default()
                } else {
                    t
                }
            })
            .unwrap_or_default();
        let factor = match parse_money("1", &unit) {
            Some(Parsed::Quantity(q)) if q.number > 0.0 => q.number,
            _ => 1.0,
        };
        let unit = if unit.is_empty() { "元".into() } else { unit };
        (unit, factor)
    }

    /// `funds_mismatch`: the funds total ([`Role::FundsTotal`]) differs from
    /// the sum of the parts given ([`Role::FundsPart`]) by more than 0.01 of
    /// the table's money unit. Not checked when the total or no part is
    /// given, or an amount is not a number (other rules say so).
    fn funds(&mut self) {
        let shape = self.shape;
        let Some(total_f) = shape.form_role(Role::FundsTotal) else {
            return;
        };
        let form = &self.table.form;
        let amount = |i: usize| -> Option<Option<f64>> {
            if form.text(i).trim().is_empty() {
                return Some(None);
            }
            match form.parsed(i) {
                Some(Parsed::Quantity(q)) => Some(Some(q.number)),
                Some(Parsed::NotApplicable) => Some(None),
                _ => None,
            }
        };
        let Some(Some(total)) = amount(total_f) else {
            return;
        };
        let mut sum = 0.0;
        let mut given = Vec::new();
        for i in shape.form_roles(Role::FundsPart) {
            match amount(i) {
                None => return,
                Some(None) => {}
                Some(Some(n)) => {
                    sum += n;
                    given.push(shape.form[i].label.as_str());
                }
            }
        }
        if given.is_empty() {
            return;
        }
        let (unit, factor) = self.money_unit();
        if (total - sum).abs() <= 0.01 * factor + 1e-6 {
            return;
        }
        let show = |n: f64| format!("{} {unit}", amount_text(n / factor));
        let msg = format!(
            "{} {}与{}之和 {} 不一致（相差 {}）",
            shape.form[total_f].label,
            show(total),
            given.join("、"),
            show(sum),
            show((total - sum).abs())
        );
        self.at(
            Severity::Error,
            codes::FUNDS_MISMATCH,
            Place::Form(total_f),
            msg,
        );
    }

    /// `missing_category`: a category of `[rules] required_categories` (of
    /// the outermost level) with no indicator under it; reported at the
    /// level's column on the header row.
    fn missing_categories(&mut self) {
        let shape = self.shape;
        let required = &self.template.rules.required_categories;
        let Some(level) = shape.levels.first() else {
            return;
        };
        if required.is_empty() {
            return;
        }
        let key = level.key;
        let name_label = shape
            .indicator_role(Role::Name)
            .map_or("指标", |f| self.label(f));
        let cell = self.grid_cell(FieldRef::Group(key), self.header_row());
        for cat in required {
            let want = name_key(cat);
            let has = self
                .table
                .groups
                .iter()
                .any(|g| !g.indicators.is_empty() && name_key(g.text(key)) == want);
            if has {
                continue;
            }
            let mut group = GroupNaming::none(shape);
            if let Some(first) = group.0.first_mut() {
                first.1 = Some(Seq::Text(cat.clone()));
            }
            let msg = format!(
                "缺少{}“{cat}”下的指标（每张表的{}“{cat}”下至少应有一个{name_label}）",
                level.name, level.name
            );
            self.at_cell(
                Severity::Error,
                codes::MISSING_CATEGORY,
                cell.clone(),
                group,
                Some(shape.group[key].key.clone()),
                msg,
            );
        }
    }

    /// `unknown_category`: an outermost category the template does not list
    /// (once per run of groups under it), or a second-level category not
    /// listed under its outer one (either scheme). Empty categories are a
    /// `missing_value`, not checked here.
    fn unknown_categories(&mut self) {
        let shape = self.shape;
        if self.template.categories.is_empty() || shape.levels.is_empty() {
            return;
        }
        let k1 = shape.levels[0].key;
        let k2 = shape.levels.get(1).map(|l| l.key);
        // The names the template offers at each level (its drop-down suggestions).
        let names = |k: usize| -> Vec<String> {
            self.template
                .leaf_of(FieldRef::Group(k))
                .map(|l| self.template.suggestions(l.column))
                .unwrap_or_default()
        };
        let known1 = names(k1);
        let known2 = k2.map(names).unwrap_or_default();
        let groups: &'a [Group] = &self.table.groups;
        let mut prev1: Option<String> = None;
        for (gi, g) in groups.iter().enumerate() {
            let l1 = name_key(g.text(k1));
            let l2 = k2.map(|k| name_key(g.text(k))).unwrap_or_default();
            let new_run = prev1.as_deref() != Some(l1.as_str());
            prev1 = Some(l1.clone());
            if l1.is_empty() {
                continue;
            }
            let (known, under) = self.template.category_known(&l1, &l2);
            if !known {
                if new_run {
                    let msg = format!(
                        "{}“{l1}”不是模板列出的类别（可用：{}）",
                        shape.levels[0].name,
                        known1.join("、")
                    );
                    self.at(
                        Severity::Warning,
                        codes::UNKNOWN_CATEGORY,
                        Place::Group {
                            group: gi,
                            field: k1,
                        },
                        msg,
                    );
                }
                continue;
            }
            let Some(k2) = k2 else { continue };
            if l2.is_empty() || under {
                continue;
            }
            let listed: Vec<&str> = known2
                .iter()
                .filter(|n| self.template.category_known(&l1, n).1)
                .map(String::as_str)
                .collect();
            let msg = format!(
                "{}“{l2}”不在{}“{l1}”之下（“{l1}”下可用：{}）",
                shape.levels[1].name,
                shape.levels[0].name,
                listed.join("、")
            );
            self.at(
                Severity::Warning,
                codes::UNKNOWN_CATEGORY,
                Place::Group {
                    group: gi,
                    field: k2,
                },
                msg,
            );
        }
    }

    /// `cost_direction`: an indicator under a `[rules] cost_categories`
    /// category (at any level) whose target is a floor (`≥`, `>`, `不低于`,
    /// `以上`): a cost target is a ceiling.
    fn cost_direction(&mut self) {
        let shape = self.shape;
        let cost = &self.template.rules.cost_categories;
        let Some(target) = shape.indicator_role(Role::Target) else {
            return;
        };
        if cost.is_empty() {
            return;
        }
        let cost: Vec<String> = cost.iter().map(|c| name_key(c)).collect();
        for (gi, ii, g, ind) in self.each() {
            let Some(cat) = shape
                .levels
                .iter()
                .map(|l| name_key(g.text(l.key)))
                .find(|t| !t.is_empty() && cost.contains(t))
            else {
                continue;
            };
            let Some(q) = ind.quantity(target) else {
                continue;
            };
            if !matches!(q.cmp, Some(Cmp::Ge) | Some(Cmp::Gt)) {
                continue;
            }
            let msg = format!(
                "“{}”属于“{cat}”，{} {} 是下限；成本类指标应设上限（如 {}）",
                self.name_of(ind).trim(),
                self.label(target),
                ind.text(target).trim(),
                ceiling_example(ind.text(target))
            );
            self.at(
                Severity::Warning,
                codes::COST_DIRECTION,
                Place::Indicator {
                    group: gi,
                    indicator: ii,
                    field: target,
                },
                msg,
            );
        }
    }

    /// `unmapped_content`: each stray cell the reader kept as an Extra.
    fn unmapped(&mut self) {
        let extras = &self.table.extras;
        for e in extras {
            if e.kind != ExtraKind::Stray {
                continue;
            }
            self.out.push(Finding {
                severity: Severity::Warning,
                code: Code::UnmappedContent,
                rule: Code::UnmappedContent.name(),
                sheet: if e.sheet.is_empty() {
                    self.table.source.sheet.clone()
                } else {
                    e.sheet.clone()
                },
                cell: e.cell.clone(),
                group: GroupNaming::none(self.shape),
                indicator: None,
                field: None,
                message: format!(
                    "表格之外或无法归入表格的内容：“{}”（内容已保留，请确认是否应填入表格或删除）",
                    one_line(&e.text, 40)
                ),
                place: None,
            });
        }
    }

    /// `cell_truncated`: each cell the reader cut to a workbook cell's length.
    fn truncated(&mut self) {
        for cell in &self.table.source.truncated_cells {
            self.out.push(Finding {
                severity: Severity::Warning,
                code: Code::CellTruncated,
                rule: Code::CellTruncated.name(),
                sheet: self.table.source.sheet.clone(),
                cell: cell.clone(),
                group: GroupNaming::none(self.shape),
                indicator: None,
                field: None,
                message: "单元格文字超过 32,767 个字符（工作簿单元格的上限），只读入了前 32,767 个字符，请精简后重新填写"
                    .to_string(),
                place: None,
            });
        }
    }

    /// `stale_target` (only with last year's table): the target is identical
    /// to last year's target for the same indicator while last year's value
    /// moved.
    ///
    /// Choices:
    /// - The same indicator is the one in the same group (same key values)
    ///   with the same cleaned name; failing that, the only indicator of last
    ///   year's table with that name (groups get renumbered); an ambiguous
    ///   name matches nothing.
    /// - "Identical" is the same cleaned text, or the same quantity (comparator,
    ///   number and unit), so `90%` and `90.00%` are identical.
    /// - Only quantity targets are checked: a qualitative target (`基本实现`) or
    ///   `/` may legitimately stay the same every year.
    /// - "Last year's value moved" means this year's [`Role::HistoryLast`]
    ///   (last year's actual) differs from last year's (the year before's
    ///   actual), both quantities in the same unit (text such as `见附件` says
    ///   nothing about a move): the history changed yet the target did not,
    ///   so it was likely copied forward. When last year's actual did not
    ///   move either, an unchanged target is plausible and not reported.
    fn stale_target(&mut self, prior: &Table) {
        let shape = self.shape;
        let ps: &Shape = &prior.shape;
        let (Some(target), Some(last)) = (
            shape.indicator_role(Role::Target),
            shape.indicator_role(Role::HistoryLast),
        ) else {
            return;
        };
        let (Some(p_name), Some(p_target), Some(p_last)) = (
            ps.indicator_role(Role::Name),
            ps.indicator_role(Role::Target),
            ps.indicator_role(Role::HistoryLast),
        ) else {
            return;
        };
        let group_key = |t: &Table, g: &Group| -> String {
            let parts: Vec<String> = t
                .group_names(g)
                .into_iter()
                .map(|(_, v)| v.to_string())
                .collect();
            parts.join("/")
        };
        let mut by_group_name: HashMap<(String, String), &Indicator> = HashMap::new();
        let mut by_name: HashMap<String, Vec<&Indicator>> = HashMap::new();
        for (g, i) in prior.indicators() {
            let n = name_key(i.text(p_name));
            if n.is_empty() {
                continue;
            }
            by_group_name
                .entry((group_key(prior, g), n.clone()))
                .or_insert(i);
            by_name.entry(n).or_default().push(i);
        }
        for (gi, ii, group, ind) in self.each() {
            let name = self.name_of(ind);
            let n = name_key(name);
            if n.is_empty() {
                continue;
            }
            let old = by_group_name
                .get(&(group_key(self.table, group), n.clone()))
                .copied()
                .or_else(|| match by_name.get(&n).map(Vec::as_slice) {
                    Some([only]) => Some(*only),
                    _ => None,
                });
            let Some(old) = old else { continue };
            let Some(now_q) = ind.quantity(target) else {
                continue;
            };
            if !same_value(
                ind.text(target),
                Some(now_q),
                old.text(p_target),
                old.quantity(p_target),
            ) {
                continue;
            }
            let moved = match (ind.quantity(last), old.quantity(p_last)) {
                (Some(now), Some(before)) => {
                    matches!(compare(now, before), Some(o) if o != Ordering::Equal)
                }
                _ => false,
            };
            if !moved {
                continue;
            }
            let (now_last, old_last) = (ind.text(last).trim(), old.text(p_last).trim());
            let msg = format!(
                "“{}”的{} {} 与上年目标相同，但{}已由 {old_last} 变为 {now_last}，目标可能照抄了上年，请核实",
                name.trim(),
                self.label(target),
                ind.text(target).trim(),
                self.label(last)
            );
            self.at(
                Severity::Warning,
                codes::STALE_TARGET,
                Place::Indicator {
                    group: gi,
                    indicator: ii,
                    field: target,
                },
                msg,
            );
        }
    }
}

/// The template's name of a leaf as a clerk knows it (`年度指标值`, `标准值来源`).
fn leaf_text<'s>(shape: &'s Shape, leaf: &Leaf<'_>) -> &'s str {
    &shape.spec(leaf.field).label
}

/// A floor target rewritten as a ceiling for a message: `≥65万元` → `≤65万元`,
/// `65万元以上` → `≤65万元`.
fn ceiling_example(text: &str) -> String {
    let mut t = text.trim();
    for p in [
        "≥",
        ">=",
        "＞",
        ">",
        "不低于",
        "不少于",
        "大于",
        "高于",
        "超过",
    ] {
        if let Some(rest) = t.strip_prefix(p) {
            t = rest.trim_start();
            break;
        }
    }
    for s in ["以上", "及以上"] {
        if let Some(rest) = t.strip_suffix(s) {
            t = rest.trim_end();
            break;
        }
    }
    format!("≤{t}")
}

/// An amount for a message: at most two decimals, trailing zeros dropped.
fn amount_text(n: f64) -> String {
    let s = format!("{n:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// Two values of a field are the same: equal cleaned text, or equal quantities.
fn same_value(a: &str, qa: Option<&Quantity>, b: &str, qb: Option<&Quantity>) -> bool {
    if name_key_cow(a.trim()) == name_key_cow(b.trim()) {
        return true;
    }
    match (qa, qb) {
        (Some(x), Some(y)) => x.cmp == y.cmp && compare(x, y) == Some(Ordering::Equal),
        _ => false,
    }
}

/// A found header label for a message: bracketed explanations dropped from
/// each level (`历史值（统计年鉴/…） › 上年值` → `历史值 › 上年值`).
fn short_label(label: &str) -> String {
    let out = one_line(&without_brackets(label), 40);
    if out.is_empty() {
        one_line(label, 40)
    } else {
        out
    }
}

/// One line of at most `max` characters, for quoting cell text in a message.
fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut t: String = flat.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// Sort key of an A1 address: (row, column); unparsable addresses last.
fn cell_key(cell: &str) -> (u32, u32) {
    let split = cell
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(cell.len());
    let (letters, digits) = cell.split_at(split);
    match (col_index(letters), digits.parse::<u32>()) {
        (Some(c), Ok(r)) => (r, c),
        _ => (u32::MAX, u32::MAX),
    }
}

/// Marks the members of one longest strictly increasing subsequence of `xs`.
fn longest_increasing(xs: &[u32]) -> Vec<bool> {
    let n = xs.len();
    let mut len = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        for j in 0..i {
            if xs[j] < xs[i] && len[j] + 1 > len[i] {
                len[i] = len[j] + 1;
                prev[i] = j;
            }
        }
    }
    let mut keep = vec![false; n];
    if let Some(mut i) = (0..n).max_by_key(|&i| (len[i], std::cmp::Reverse(i))) {
        loop {
            keep[i] = true;
            if prev[i] == usize::MAX {
                break;
            }
            i = prev[i];
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_keys_order_by_row_then_column() {
        assert!(cell_key("M5") < cell_key("A6"));
        assert!(cell_key("B6") < cell_key("AA6"));
        assert_eq!(cell_key("F12"), (12, 5));
    }

    #[test]
    fn longest_increasing_drops_the_moved_column() {
        // J and K swapped: one of them is out of place.
        let keep = longest_increasing(&[0, 1, 10, 9, 11]);
        assert_eq!(keep.iter().filter(|k| !**k).count(), 1);
        // F moved to the end.
        let keep = longest_increasing(&[0, 1, 2, 12, 4, 5, 6]);
        assert_eq!(keep, vec![true, true, true, false, true, true, true]);
    }

    #[test]
    fn short_labels_drop_bracketed_text() {
        assert_eq!(
            short_label("历史值（统计年鉴/统计公报/内部统计/其他需明确的来源） › 上年值"),
            "历史值 › 上年值"
        );
        assert_eq!(short_label("年度指标值"), "年度指标值");
    }

    #[test]
    fn norm_ignores_space_and_width() {
        assert_eq!(name_key(" 教育 综合\n督导完成率 "), "教育综合督导完成率");
        assert_eq!(name_key("Ａ１"), "A1");
        for s in [" 教育 综合\n督导完成率 ", "Ａ１", "完成率", "", "a b"] {
            assert_eq!(name_key_cow(s), name_key(s));
        }
    }

    #[test]
    fn amounts_drop_trailing_zeros() {
        assert_eq!(amount_text(250.0), "250");
        assert_eq!(amount_text(240.5), "240.5");
        assert_eq!(amount_text(0.004), "0");
        assert_eq!(amount_text(1.25), "1.25");
    }

    #[test]
    fn group_naming_serializes_one_key_per_level() {
        let g = GroupNaming(vec![
            ("a".into(), Some(Seq::Text("产出指标".into()))),
            ("b".into(), None),
        ]);
        assert_eq!(
            serde_json::to_string(&g).unwrap(),
            r#"{"a":"产出指标","b":null}"#
        );
        assert_eq!(g.text(), "产出指标");
        assert!(!g.is_empty());
    }
}
