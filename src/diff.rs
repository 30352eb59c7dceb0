//! Compares last year's table with this year's (two models in, changes out) and pairs the tables of two workbooks; pure, no I/O.
//!
//! Everything here speaks of roles and levels ([`Shape`]), never of one
//! template's fields: the 部门整体 table's duties and the 项目支出 table's
//! categories are both *groups* of the innermost level.
//!
//! # Matching
//!
//! 1. **Groups** are paired one-to-one, in passes, each pass only over groups
//!    not paired yet, current groups in table order, candidates in prior order.
//!    A group whose innermost level is identified by a number
//!    ([`Role::GroupId`], a duty's 职责序号) is *numbered*: same number and
//!    names ([`Role::GroupName`], 部门职责) → same names → same number (unless
//!    the two groups share nothing: neither similar names, nor similar other
//!    fields (职责目标), nor an indicator name) → same other fields → most
//!    shared indicator names (at least half of the smaller group's). A group
//!    identified by its names (a 一级/二级 category) is paired by those names
//!    only. A numbered group found in one year only is one `added`/`removed`
//!    change (`indicator` and `field` null, `new`/`old` its names); its
//!    indicators fold into that change and are not listed one by one, except
//!    those matched elsewhere (reported as `moved`). A category found in one
//!    year only is a heading, not a fact: its indicators are listed one by
//!    one, and the category itself is a change only when it holds none (an
//!    empty 二级 row kept in the form).
//! 2. **Same name** ([`Role::Name`], compared by [`text_key`]) inside each pair of groups.
//! 3. **Moved**: same name in any other group (of either year's leftovers) →
//!    `moved`; among several candidates, the one agreeing on most fields.
//! 4. **Renamed**: inside each pair of groups only, between the leftovers, the
//!    best one-to-one pairing by `rename_score_keys` (greedy by score). A name
//!    equal once year tokens (`2022` → `2023`) are normalised is always a rename;
//!    otherwise the name alone never suffices: the explanations
//!    ([`Role::Explanation`]) must be similar too (or, when an explanation is
//!    missing, the target's ([`Role::Target`]) unit must agree and the position
//!    or a value must agree); a freely rewritten name needs the same specific
//!    explanation and unit. Quantities of different units are never a rename.
//!    Thresholds: see `rename_score_keys`. With more than 1,024 candidate pairs in
//!    one group, candidates come from shared name character pairs (at most 16 a
//!    name), so the work stays near-linear.
//! 5. **Moved and renamed**: names equal up to year tokens in another group.
//! 6. The rest: `added` / `removed`.
//!
//! # Changes
//!
//! The form's fields (a 项目支出 table's 项目名称, 年度资金总额, …) are compared
//! first: one `modified` change per field that differs, `indicator` and the
//! group null, `field` the form field's key. Amounts ([`FieldSpec::money`]) are
//! compared by their parsed value in 元 (`250.00` 万元 and `2,500,000.00` 元 are
//! the same amount) and their `delta` is in 元; the money unit itself
//! ([`Role::MoneyUnit`]) only says how amounts are written and is not compared.
//!
//! Matched groups get one `modified` change per differing field (their number
//! excepted: renumbering is not a change); a field of an outer level (a 一级
//! score) is reported once, not once per inner group. Matched indicators get
//! one `modified` change per differing field of the shape (the name is
//! reported as `renamed`, a change of group as `moved`: `field` the level's
//! key (`duty`, `old`/`new` the two 职责序号) for a one-level table,
//! `category` with `old`/`new` the groups' references (`产出指标/数量指标`)
//! for a table of several levels). Texts are compared after [`text_key`]
//! (white space removed, full-width digits, letters and `%` made half-width),
//! so formatting alone is never a change; `"90%"` and `"90.00%"` do differ.
//!
//! A change names its group in the words of its template: one key per level
//! (the level's `json`: `duty` for a duty, one key for each of the two
//! category levels of a 项目支出 table), and `project` when the template has a
//! form field of [`Role::Project`].
//!
//! Order (as examples/linyi-education-2022-2023.diff.expected.json has it):
//! first the form's changes, then the groups' own changes — current groups in
//! table order (`added`, or `modified` fields in field order), then removed
//! groups in prior order; then the indicators in current table order (for
//! each: `moved`, `renamed`, then `modified` in column order; or `added`);
//! last the removed indicators, in prior table order.
//!
//! `delta` (`{number, percent}`) is set when both values are parsed quantities
//! (`Indicator::parsed`, filled by the reader) of the same unit; numbers are
//! rounded to 10 significant digits; `percent` is `None` when the old value is 0.
//! A percentage's delta also has `points`, its change in percentage points
//! (`80%` → `85%`: `points` 5, `percent` 6.25).
//!
//! # Shown numbers
//!
//! What a person reads rounds half away from zero (`round_half_away`:
//! 6.25 → 6.3); a percentage's change is shown in points first
//! (`80% → 85%（+5个百分点）`), another change in the values' own scale
//! (`shared_scale`: `10万人次 → 11万人次` is `+1万人次`).
//!
//! # Workbooks
//!
//! [`pair_tables`] pairs the tables of two workbooks (or folders) by template,
//! department and project; [`diff_workbooks`] gives one report per pair, and
//! a whole table added or removed for a table found on one side only;
//! [`pair_warnings`] says when a pair looks wrong; [`merge_reports`] makes the
//! reports of one workbook one JSON.
//!
//! # For writers
//!
//! Every change carries `place` / `prior_place` (not in the JSON) and the
//! words a person reads ([`Labels`]); the pairing itself is
//! [`DiffReport::matching`] (an added numbered group's indicators have no
//! pair: `matching.current_group[g]` is `None`). [`attainment`] gives the
//! 目标完成 rows, `char_edits` the character-level edits of a changed text,
//! [`render_text`] and [`Change::describe`] the lines a person reads.

use crate::model::{Cmp, FieldSpec, Group, Indicator, Place, Quantity, Role, Seq, Shape, Table};
use crate::quantity::same_unit;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};

/// The `schema` value of the diff JSON.
pub const DIFF_SCHEMA: &str = "jixiao.diff/1";

/// The diff JSON (spec/model.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffReport {
    /// Always [`DIFF_SCHEMA`].
    pub schema: String,
    /// Last year's table.
    pub prior: Side,
    /// This year's table.
    pub current: Side,
    /// Why the pair looks wrong ([`pair_warnings`]), one line each; absent from the JSON when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The changes counted by kind.
    pub summary: Summary,
    /// Every change, in the current table's order (removed ones where they were).
    pub changes: Vec<Change>,
    /// How groups and indicators were paired (not part of the JSON).
    #[serde(skip)]
    pub matching: Matching,
}

/// One of the two tables compared.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Side {
    /// The table's title.
    pub title: String,
    /// The table's year, when known.
    pub year: Option<i32>,
    /// The file it was read from.
    pub path: String,
    /// The sheet the table was read from (not in the JSON).
    #[serde(skip)]
    pub sheet: String,
    /// The table's project ([`Role::Project`]) when its template has one (not in the JSON).
    #[serde(skip)]
    pub project: Option<String>,
    /// No table on this side: the report of a table found on the other side only (not in the JSON).
    #[serde(skip)]
    pub absent: bool,
}

impl Side {
    fn of(t: &Table) -> Side {
        Side {
            title: t.title.clone(),
            year: t.year,
            path: t.source.path.clone(),
            sheet: t.source.sheet.clone(),
            project: project_of(t),
            absent: false,
        }
    }
}

/// Counts of changes by kind; `unchanged` counts matched indicators with no change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Summary {
    /// Indicators new this year.
    pub added: usize,
    /// Indicators gone this year.
    pub removed: usize,
    /// Indicators renamed.
    pub renamed: usize,
    /// Indicators moved to another group.
    pub moved: usize,
    /// Field changes (one per changed field).
    pub modified: usize,
    /// Matched indicators with no change.
    pub unchanged: usize,
}

impl Summary {
    fn add(&mut self, o: &Summary) {
        self.added += o.added;
        self.removed += o.removed;
        self.renamed += o.renamed;
        self.moved += o.moved;
        self.modified += o.modified;
        self.unchanged += o.unchanged;
    }
}

/// What kind of fact a change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// An indicator (or group) new this year (新增).
    Added,
    /// An indicator (or group) gone this year (删除).
    Removed,
    /// The same indicator under a new name (更名).
    Renamed,
    /// The same indicator in another group (移动).
    Moved,
    /// A field of a matched indicator, group or the form changed (修改).
    Modified,
}

impl ChangeKind {
    /// The word a clerk reads: 新增, 删除, 更名, 移动, 修改.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Added => "新增",
            ChangeKind::Removed => "删除",
            ChangeKind::Renamed => "更名",
            ChangeKind::Moved => "移动",
            ChangeKind::Modified => "修改",
        }
    }
}

/// One fact that differs between the years.
///
/// JSON: `kind`, `project` (templates with a [`Role::Project`] form field
/// only), one key per grouping level (its `json`: `duty`, …), then
/// `indicator`, `field`, `old`, `new` and `delta` (when set).
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What kind of fact this is.
    pub kind: ChangeKind,
    /// The table's project, when its template has one (current table; prior for `removed`).
    pub project: Option<String>,
    /// The group, one `(level json key, value)` per level, outermost first
    /// (`[("duty", 3)]`; two entries, `产出指标` and `数量指标`, for a
    /// category of the 项目支出 table): in the current table
    /// (the prior for `removed`). A value is `None` for a form field's change and
    /// for the levels below an outer level's own field.
    pub group: Vec<(String, Option<Seq>)>,
    /// The indicator's name in the current table (prior for `removed`); `None` for a group's or the form's own change.
    pub indicator: Option<String>,
    /// The changed field's key in the template (its `field` key); `None` for added/removed.
    pub field: Option<String>,
    /// Last year's text (`None` for added).
    pub old: Option<String>,
    /// This year's text (`None` for removed).
    pub new: Option<String>,
    /// The numeric change, when both texts are quantities of one unit.
    pub delta: Option<Delta>,
    /// Where the change sits in the current table (`None` for `removed`).
    /// A whole group added: `Group {group, field: its level key}`; a group's own
    /// field: `Group {group, field}`; a form field: `Form(i)`; an indicator
    /// added, renamed or moved: its name cell; a modified field: that field's cell.
    pub place: Option<Place>,
    /// Where it sat in the prior table (`None` for `added`), same conventions.
    pub prior_place: Option<Place>,
    /// The words a person reads (not in the JSON).
    pub labels: Labels,
}

/// How a person reads a change: its group, field and kind of group in the template's words.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Labels {
    /// The group (`职责3`, `产出指标/数量指标`); `""` for a form field.
    pub group: String,
    /// For `moved`: the prior group, named the same way.
    pub prior_group: String,
    /// The field as a clerk knows it (`年度指标值`, `部门职责`, `职责`, `年度资金总额`).
    pub field: String,
    /// For a whole group added or removed: what it was (`（整项职责及其指标）`, `（二级指标，其下无指标）`).
    pub whole: String,
}

impl Change {
    /// The value naming the change's group at `level` (0 = outermost), if any.
    pub fn level_value(&self, level: usize) -> Option<&Seq> {
        self.group.get(level).and_then(|(_, v)| v.as_ref())
    }

    /// The change's group as one text (`3`, `产出指标/数量指标`), `""` for a form field.
    pub fn group_ref(&self) -> String {
        let parts: Vec<String> = self
            .group
            .iter()
            .filter_map(|(_, v)| v.as_ref().map(Seq::to_string))
            .collect();
        parts.join("/")
    }

    /// The column this change concerns, as a clerk knows it (`年度指标值`, `部门职责`, `职责`).
    pub fn field_label(&self) -> &str {
        &self.labels.field
    }
}

impl Serialize for Change {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", &self.kind)?;
        if let Some(p) = &self.project {
            m.serialize_entry("project", p)?;
        }
        for (k, v) in &self.group {
            m.serialize_entry(k, v)?;
        }
        m.serialize_entry("indicator", &self.indicator)?;
        m.serialize_entry("field", &self.field)?;
        m.serialize_entry("old", &self.old)?;
        m.serialize_entry("new", &self.new)?;
        if let Some(d) = &self.delta {
            m.serialize_entry("delta", d)?;
        }
        m.end()
    }
}

/// The numeric change between two quantities of the same unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta {
    /// New minus old; written as a JSON integer when whole (`10000`, not `10000.0`).
    #[serde(serialize_with = "serialize_number")]
    pub number: f64,
    /// Relative change in percent of the old value; `None` when the old value is 0.
    pub percent: Option<f64>,
    /// For percentages (unit `%`) only: the change in percentage points
    /// (`80%` → `85%`: 5, while `percent` is 6.25); absent from the JSON otherwise.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "serialize_points"
    )]
    pub points: Option<f64>,
}

fn serialize_points<S: serde::Serializer>(p: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(n) => serialize_number(n, s),
        None => s.serialize_none(),
    }
}

/// Whole numbers are written as JSON integers, as the model writes them.
fn serialize_number<S: serde::Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 9.0e15 {
        s.serialize_i64(*n as i64)
    } else {
        s.serialize_f64(*n)
    }
}

/// An indicator's position in a table: group index and indicator index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndRef {
    /// Index into `Table::groups`.
    pub group: usize,
    /// Index into that group's `indicators`.
    pub indicator: usize,
}

/// How a pair of indicators was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchHow {
    /// Same name in paired groups.
    Same,
    /// Same name, other group.
    Moved,
    /// Similar name in paired groups.
    Renamed,
    /// Name equal up to year tokens, other group.
    MovedRenamed,
}

/// One matched indicator: where it is in each year and how it was found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// Where it is in last year's table.
    pub prior: IndRef,
    /// Where it is in this year's table.
    pub current: IndRef,
    /// How it was found.
    pub how: MatchHow,
    /// The rename score (1.0 for the other kinds).
    pub score: f64,
}

/// The pairing of two tables' groups and indicators.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matching {
    /// For each prior group, the index of its current group.
    pub prior_group: Vec<Option<usize>>,
    /// For each current group, the index of its prior group.
    pub current_group: Vec<Option<usize>>,
    /// Matched indicators, in current table order.
    pub pairs: Vec<Pair>,
}

impl Matching {
    /// The pair of the current indicator at `r`, if it has one.
    pub fn of_current(&self, r: IndRef) -> Option<&Pair> {
        self.pairs
            .binary_search_by(|p| p.current.cmp(&r))
            .ok()
            .map(|i| &self.pairs[i])
    }
}

// ---------------------------------------------------------------------------
// Entry points

/// Compares two years of one table (tables of one template): the changes,
/// and [`pair_warnings`] when the pair looks wrong. Tables of two templates
/// cannot be compared field by field: the prior is then all removed and the
/// current all added, and a warning says why.
///
/// Never fails.
///
/// ```
/// use jixiao::{diff, read_file, ReadOptions, Template};
/// let templates = Template::builtins();
/// let opts = ReadOptions { sheet: None, templates: &templates };
/// let last = read_file("examples/linyi-education-2022.xlsx".as_ref(), &opts)?;
/// let this = read_file("examples/linyi-education-2023.xlsx".as_ref(), &opts)?;
/// let s = diff(&last, &this).summary;
/// assert_eq!((s.added, s.removed, s.renamed, s.moved, s.modified), (1, 1, 2, 1, 33));
/// # Ok::<(), jixiao::Error>(())
/// ```
pub fn diff(prior: &Table, current: &Table) -> DiffReport {
    let mut r = if prior.template == current.template {
        let matching = match_tables(prior, current);
        report(prior, current, matching)
    } else {
        let mut r = merge_reports(&[table_removed(prior), table_added(current)]);
        r.prior = Side::of(prior);
        r.current = Side::of(current);
        r.matching = Matching {
            prior_group: vec![None; prior.groups.len()],
            current_group: vec![None; current.groups.len()],
            pairs: Vec::new(),
        };
        r
    };
    r.warnings = pair_warnings(prior, current);
    r
}

/// The report of a table found this year only: its numbered groups (duties)
/// added whole, or its indicators and empty categories added one by one; the
/// form is not compared (there is nothing to compare it with).
pub fn table_added(current: &Table) -> DiffReport {
    let prior = counterpart(current);
    let mut r = report(&prior, current, match_tables(&prior, current));
    r.prior = Side {
        absent: true,
        ..Side::default()
    };
    r
}

/// The report of a table found last year only: everything removed (as [`table_added`]).
pub fn table_removed(prior: &Table) -> DiffReport {
    let current = counterpart(prior);
    let mut r = report(prior, &current, match_tables(prior, &current));
    r.current = Side {
        absent: true,
        ..Side::default()
    };
    r
}

/// A table of the same shape and form with no groups: the other side of a table found on one side only.
fn counterpart(t: &Table) -> Table {
    let mut o = Table::new(t.shape.clone());
    o.form = t.form.clone();
    o.department = t.department.clone();
    o
}

/// One report per pair of [`pair_tables`]: the diff of a pair, all added for a
/// table found this year only, all removed for one found last year only; in
/// the order of [`pair_tables`].
///
/// ```
/// use jixiao::{diff_workbooks, read_workbook, ReadOptions, Template};
/// let templates = Template::builtins();
/// let opts = ReadOptions { sheet: None, templates: &templates };
/// let last = read_workbook("examples/linyi-education-projects-2023.xlsx".as_ref(), &opts)?;
/// let this = read_workbook("examples/linyi-education-projects-2024.xlsx".as_ref(), &opts)?;
/// let reports = diff_workbooks(&last.tables, &this.tables);
/// assert_eq!(reports.len(), 3); // one per project, paired by name
/// # Ok::<(), jixiao::Error>(())
/// ```
pub fn diff_workbooks(prior: &[Table], current: &[Table]) -> Vec<DiffReport> {
    pair_tables(prior, current)
        .into_iter()
        .filter_map(|pair| diff_pair(prior, current, pair))
        .collect()
}

/// The report of one pair of [`pair_tables`] (indices into `prior` and
/// `current`): [`diff`] of a pair, [`table_added`] or [`table_removed`] of
/// a table found on one side only, `None` for neither.
pub fn diff_pair(
    prior: &[Table],
    current: &[Table],
    pair: (Option<usize>, Option<usize>),
) -> Option<DiffReport> {
    match pair {
        (Some(p), Some(c)) => Some(diff(&prior[p], &current[c])),
        (None, Some(c)) => Some(table_added(&current[c])),
        (Some(p), None) => Some(table_removed(&prior[p])),
        (None, None) => None,
    }
}

/// One pair of [`pair_tables`] as the diff workbook of several pairs shows
/// it (`write::diff_workbook_of_pairs`): either side may be absent (a table
/// found on one side only).
#[derive(Debug, Clone, Copy)]
pub struct WorkbookPair<'a> {
    /// Last year's table, if any.
    pub prior: Option<&'a Table>,
    /// This year's table, if any.
    pub current: Option<&'a Table>,
    /// The pair's report (of [`diff`], [`table_added`] or [`table_removed`]).
    pub report: &'a DiffReport,
    /// The validation of `current`, marked on its sheet and listed on 校验结果.
    pub findings: Option<&'a crate::validate::Report>,
    /// The template of the pair's tables.
    pub template: &'a crate::template::Template,
    /// The pair named for people (`临沂一中（中小学校园安全设施改造）`).
    pub label: &'a str,
}

/// The reports of one workbook (or folder) as one: changes in report order,
/// counts added up, warnings without repeats, the sides of the first report
/// that has them. The `matching` is empty (each report keeps its own).
pub fn merge_reports(reports: &[DiffReport]) -> DiffReport {
    let side = |f: fn(&DiffReport) -> &Side| {
        reports
            .iter()
            .map(f)
            .find(|s| !s.absent)
            .cloned()
            .unwrap_or_default()
    };
    let mut summary = Summary::default();
    let mut warnings: Vec<String> = Vec::new();
    let mut changes = Vec::new();
    for r in reports {
        summary.add(&r.summary);
        for w in &r.warnings {
            if !warnings.contains(w) {
                warnings.push(w.clone());
            }
        }
        changes.extend(r.changes.iter().cloned());
    }
    DiffReport {
        schema: DIFF_SCHEMA.into(),
        prior: side(|r| &r.prior),
        current: side(|r| &r.current),
        warnings,
        summary,
        changes,
        matching: Matching::default(),
    }
}

fn report(prior: &Table, current: &Table, matching: Matching) -> DiffReport {
    let changes = changes(prior, current, &matching);
    let mut summary = Summary::default();
    for c in &changes {
        match c.kind {
            ChangeKind::Added => summary.added += 1,
            ChangeKind::Removed => summary.removed += 1,
            ChangeKind::Renamed => summary.renamed += 1,
            ChangeKind::Moved => summary.moved += 1,
            ChangeKind::Modified => summary.modified += 1,
        }
    }
    let shape: &Shape = &current.shape;
    summary.unchanged = matching
        .pairs
        .iter()
        .filter(|p| {
            let a = ind(prior, p.prior);
            let b = ind(current, p.current);
            !matches!(p.how, MatchHow::Moved | MatchHow::MovedRenamed)
                && (0..shape.indicator.len()).all(|f| same_indicator_field(shape, f, a, b))
        })
        .count();
    DiffReport {
        schema: DIFF_SCHEMA.into(),
        prior: Side::of(prior),
        current: Side::of(current),
        warnings: Vec::new(),
        summary,
        changes,
        matching,
    }
}

fn ind(t: &Table, r: IndRef) -> &Indicator {
    &t.groups[r.group].indicators[r.indicator]
}

/// The table's project ([`Role::Project`]), `None` when its template has no such field.
fn project_of(t: &Table) -> Option<String> {
    t.shape
        .form_role(Role::Project)
        .map(|i| t.form.text(i).to_string())
}

/// The indicator field playing [`Role::Name`] (every template has one).
fn name_field(shape: &Shape) -> usize {
    shape.indicator_role(Role::Name).unwrap_or(0)
}

// ---------------------------------------------------------------------------
// Text keys and similarity

// The text keys are the shared ones ([`crate::text`]): two texts with the same
// key differ only in formatting (`，` and `,` differ).
pub use crate::text::text_key;
use crate::text::{same_text_key as same_key, text_key_chars as key_chars, text_key_cow};

/// Stands for any year (`19xx`/`20xx`) in `year_key`.
const YEAR_TOKEN: char = '\u{E000}';

/// [`text_key`] with every free-standing year (`2022`, `2023`) replaced by one
/// token, so `…2022年继续招生…` and `…2023年继续招生…` have the same key.
pub(crate) fn year_key(s: &str) -> String {
    let chars: Vec<char> = text_key(s).chars().collect();
    let mut out = String::with_capacity(chars.len() * 3);
    let mut i = 0;
    while i < chars.len() {
        let is_year = i + 4 <= chars.len()
            && chars[i..i + 4].iter().all(|c| c.is_ascii_digit())
            && matches!((chars[i], chars[i + 1]), ('2', '0') | ('1', '9'))
            && (i == 0 || !chars[i - 1].is_ascii_digit())
            && chars.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        if is_year {
            out.push(YEAR_TOKEN);
            i += 4;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Boilerplate words of 指标解释 that make unrelated explanations look alike.
const EXPLANATION_BOILERPLATE: [&str; 8] = ["反映", "情况", "。", "，", "、", "的", ",", "."];

fn explanation_core(s: &str) -> Vec<char> {
    let mut t = year_key(s);
    for w in EXPLANATION_BOILERPLATE {
        t = t.replace(w, "");
    }
    t.chars().collect()
}

/// Similarity of two character sequences, 0..=1: twice the matched characters
/// (longest common subsequence, Myers) over the total length. 1 for two empty ones.
pub(crate) fn similarity(a: &[char], b: &[char]) -> f64 {
    if a == b {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, a, b);
    similar::diff_ratio(&ops, a.len(), b.len()) as f64
}

// ---------------------------------------------------------------------------
// Group matching

/// Which group fields play which part in matching (from the shape's roles).
struct GroupRoles {
    /// Fields numbering a group ([`Role::GroupId`]).
    ids: Vec<usize>,
    /// Fields naming a group ([`Role::GroupName`]).
    names: Vec<usize>,
    /// Fields with no role (a duty's 职责目标).
    others: Vec<usize>,
    /// The innermost level is identified by a number: a group is a unit of its
    /// own (a duty), not a heading (a category).
    numbered: bool,
}

impl GroupRoles {
    fn of(shape: &Shape) -> GroupRoles {
        let with = |r: Option<Role>| -> Vec<usize> {
            (0..shape.group.len())
                .filter(|&i| shape.group[i].role == r)
                .collect()
        };
        GroupRoles {
            ids: with(Some(Role::GroupId)),
            names: with(Some(Role::GroupName)),
            others: with(None),
            numbered: shape
                .levels
                .last()
                .is_some_and(|l| shape.group[l.key].role == Some(Role::GroupId)),
        }
    }
}

/// A number field's text as its number (`３` → `3`), else trimmed.
fn id_text(text: &str) -> String {
    Seq::from_text(text).to_string()
}

/// The keys of `fields` joined; `None` when every one is empty.
fn joined_key(g: &Group, fields: &[usize], key: fn(&str) -> String) -> Option<String> {
    let parts: Vec<String> = fields.iter().map(|&f| key(g.text(f))).collect();
    if parts.iter().all(String::is_empty) {
        None
    } else {
        Some(parts.join("\u{1}"))
    }
}

fn match_groups(prior: &Table, current: &Table) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let (pg, cg) = (&prior.groups, &current.groups);
    let roles = GroupRoles::of(&current.shape);
    let name = name_field(&current.shape);
    let mut p2c: Vec<Option<usize>> = vec![None; pg.len()];
    let mut c2p: Vec<Option<usize>> = vec![None; cg.len()];

    // Passes by an exact key: numbers+names; for numbered groups then names,
    // numbers (guarded), other fields.
    let full = |g: &Group| -> Option<String> {
        let ids: Vec<String> = roles.ids.iter().map(|&f| id_text(g.text(f))).collect();
        let names: Vec<String> = roles.names.iter().map(|&f| text_key(g.text(f))).collect();
        Some(format!("{}\u{1}{}", ids.join("\u{1}"), names.join("\u{1}")))
    };
    let names = |g: &Group| joined_key(g, &roles.names, text_key);
    let ids = |g: &Group| joined_key(g, &roles.ids, id_text);
    let others = |g: &Group| joined_key(g, &roles.others, text_key);
    type KeyFn<'k> = &'k dyn Fn(&Group) -> Option<String>;
    let mut passes: Vec<(KeyFn, bool)> = vec![(&full, false)];
    if roles.numbered {
        passes.push((&names, false));
        passes.push((&ids, true));
        passes.push((&others, false));
    }
    for (key, guarded) in passes {
        let mut by_key: HashMap<String, VecDeque<usize>> = HashMap::new();
        for (pi, g) in pg.iter().enumerate() {
            if p2c[pi].is_none() {
                if let Some(k) = key(g) {
                    by_key.entry(k).or_default().push_back(pi);
                }
            }
        }
        for (ci, g) in cg.iter().enumerate() {
            if c2p[ci].is_some() {
                continue;
            }
            let Some(k) = key(g) else { continue };
            let Some(queue) = by_key.get_mut(&k) else {
                continue;
            };
            let Some(pos) = queue
                .iter()
                .position(|&pi| !guarded || groups_related(&roles, name, &pg[pi], g))
            else {
                continue;
            };
            let pi = queue.remove(pos).expect("position is in range");
            p2c[pi] = Some(ci);
            c2p[ci] = Some(pi);
        }
    }
    if !roles.numbered {
        return (p2c, c2p);
    }

    // Last pass: most shared indicator names, at least half of the smaller group.
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (pi, g) in pg.iter().enumerate() {
        if p2c[pi].is_none() {
            for i in &g.indicators {
                let v = by_name.entry(year_key(i.text(name))).or_default();
                if v.last() != Some(&pi) {
                    v.push(pi);
                }
            }
        }
    }
    if !by_name.is_empty() {
        for (ci, g) in cg.iter().enumerate() {
            if c2p[ci].is_some() || g.indicators.is_empty() {
                continue;
            }
            let mut counts: HashMap<usize, usize> = HashMap::new();
            let mut seen = HashSet::new();
            for i in &g.indicators {
                let k = year_key(i.text(name));
                if !seen.insert(k.clone()) {
                    continue;
                }
                for &pi in by_name.get(&k).map(Vec::as_slice).unwrap_or(&[]) {
                    if p2c[pi].is_none() {
                        *counts.entry(pi).or_default() += 1;
                    }
                }
            }
            let best = counts
                .into_iter()
                .filter(|&(pi, n)| {
                    let smaller = pg[pi].indicators.len().min(g.indicators.len());
                    n > 0 && 2 * n >= smaller
                })
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
            if let Some((pi, _)) = best {
                p2c[pi] = Some(ci);
                c2p[ci] = Some(pi);
            }
        }
    }
    (p2c, c2p)
}

/// Two groups with the same number are the same group unless they share nothing.
fn groups_related(roles: &GroupRoles, name: usize, a: &Group, b: &Group) -> bool {
    let sim = |fields: &[usize]| {
        let x: Vec<char> = fields.iter().flat_map(|&f| key_chars(a.text(f))).collect();
        let y: Vec<char> = fields.iter().flat_map(|&f| key_chars(b.text(f))).collect();
        if x.is_empty() || y.is_empty() {
            None
        } else {
            Some(similarity(&x, &y))
        }
    };
    let names = sim(&roles.names);
    let others = sim(&roles.others);
    if names.is_none() && others.is_none() {
        return true; // nothing to tell them apart: trust the number
    }
    if names.unwrap_or(0.0) >= 0.3 || others.unwrap_or(0.0) >= 0.3 {
        return true;
    }
    let keys: HashSet<String> = a
        .indicators
        .iter()
        .map(|i| year_key(i.text(name)))
        .collect();
    b.indicators
        .iter()
        .any(|i| keys.contains(&year_key(i.text(name))))
}

// ---------------------------------------------------------------------------
// Indicator matching

/// Pairs the groups and indicators of two tables (see the module docs).
pub(crate) fn match_tables(prior: &Table, current: &Table) -> Matching {
    let (prior_group, current_group) = match_groups(prior, current);
    let mut m = IndicatorMatcher::new(prior, current);
    let name = m.name;

    // Same name inside paired groups.
    for (ci, cg) in current.groups.iter().enumerate() {
        let Some(pi) = current_group[ci] else {
            continue;
        };
        let mut by_name: HashMap<Cow<'_, str>, VecDeque<usize>> = HashMap::new();
        for (k, i) in prior.groups[pi].indicators.iter().enumerate() {
            by_name
                .entry(text_key_cow(i.text(name)))
                .or_default()
                .push_back(k);
        }
        for (k, i) in cg.indicators.iter().enumerate() {
            if let Some(pk) = by_name
                .get_mut(&text_key_cow(i.text(name)))
                .and_then(|q| q.pop_front())
            {
                m.pair(
                    IndRef {
                        group: pi,
                        indicator: pk,
                    },
                    IndRef {
                        group: ci,
                        indicator: k,
                    },
                    MatchHow::Same,
                    1.0,
                );
            }
        }
    }

    // Same name, another group.
    m.cross_group(text_key, MatchHow::Moved, &current_group);

    // Renames inside paired groups.
    for (ci, _) in current.groups.iter().enumerate() {
        if let Some(pi) = current_group[ci] {
            m.renames_within(pi, ci);
        }
    }

    // Names equal up to year tokens, another group.
    m.cross_group(year_key, MatchHow::MovedRenamed, &current_group);

    // Moved and slightly renamed at once: every other field the same.
    m.moved_renamed_same_fields(&current_group);

    let mut pairs = m.pairs;
    pairs.sort_by_key(|p| p.current);
    Matching {
        prior_group,
        current_group,
        pairs,
    }
}

struct IndicatorMatcher<'a> {
    prior: &'a Table,
    current: &'a Table,
    shape: &'a Shape,
    /// The [`Role::Name`] field.
    name: usize,
    prior_used: Vec<Vec<bool>>,
    current_used: Vec<Vec<bool>>,
    pairs: Vec<Pair>,
}

/// At most this many candidates per current indicator are scored as renames.
pub const RENAME_CANDIDATES: usize = 16;
/// A character pair found in more names than this (of one group's leftovers)
/// proposes no candidates: it is too common to mean anything.
pub const MAX_POSTINGS: usize = 256;
/// Below this name similarity no pair is a rename.
pub const MIN_NAME_SIMILARITY: f64 = 0.4;
/// Below this explanation similarity (when both have one) no pair is a rename.
pub const MIN_EXPLANATION_SIMILARITY: f64 = 0.5;
/// With the same specific explanation (≥ [`MIN_SPECIFIC_EXPLANATION`]
/// characters once boilerplate is removed, ≥ 0.9 similar) and the same unit,
/// a name this similar may still be a rename.
pub const MIN_NAME_SIMILARITY_SAME_EXPLANATION: f64 = 0.25;
/// An explanation this long (boilerplate removed) says something specific.
pub const MIN_SPECIFIC_EXPLANATION: usize = 8;
/// Without explanations, the name must be at least this similar.
pub const MIN_NAME_SIMILARITY_ALONE: f64 = 0.7;
/// A moved-and-renamed pair needs at least this many filled fields besides the
/// name, all the same.
pub const MIN_SAME_FIELDS: usize = 3;
/// The overall score a rename needs.
pub const RENAME_THRESHOLD: f64 = 0.6;

impl<'a> IndicatorMatcher<'a> {
    fn new(prior: &'a Table, current: &'a Table) -> Self {
        let used = |t: &Table| {
            t.groups
                .iter()
                .map(|g| vec![false; g.indicators.len()])
                .collect::<Vec<_>>()
        };
        IndicatorMatcher {
            prior,
            current,
            shape: &current.shape,
            name: name_field(&current.shape),
            prior_used: used(prior),
            current_used: used(current),
            pairs: Vec::new(),
        }
    }

    fn pair(&mut self, p: IndRef, c: IndRef, how: MatchHow, score: f64) {
        self.prior_used[p.group][p.indicator] = true;
        self.current_used[c.group][c.indicator] = true;
        self.pairs.push(Pair {
            prior: p,
            current: c,
            how,
            score,
        });
    }

    /// Last year's indicators not paired yet, by `key` (those it gives
    /// `None` left out), each list in table order.
    fn prior_leftovers_by(
        &self,
        key: &impl Fn(&Indicator) -> Option<String>,
    ) -> HashMap<String, VecDeque<IndRef>> {
        let mut by_key: HashMap<String, VecDeque<IndRef>> = HashMap::new();
        for (pi, g) in self.prior.groups.iter().enumerate() {
            for (k, i) in g.indicators.iter().enumerate() {
                if self.prior_used[pi][k] {
                    continue;
                }
                if let Some(key) = key(i) {
                    by_key.entry(key).or_default().push_back(IndRef {
                        group: pi,
                        indicator: k,
                    });
                }
            }
        }
        by_key
    }

    /// Pairs leftovers with the same (non-empty) `key` of name across groups
    /// (one-to-one; among the first 64 candidates the one agreeing on most
    /// fields, the first on ties).
    fn cross_group(
        &mut self,
        key: fn(&str) -> String,
        how: MatchHow,
        current_group: &[Option<usize>],
    ) {
        let name = self.name;
        let shape = self.shape;
        self.pair_across_groups(
            current_group,
            how,
            |i| {
                let k = key(i.text(name));
                // A year-token match needs a name of some length to mean anything.
                let long_enough = how != MatchHow::MovedRenamed || k.chars().count() >= 4;
                (!k.is_empty() && long_enough).then_some(k)
            },
            |p, c| Some((agreeing_fields(shape, p, c) as f64, 1.0)),
        );
    }

    /// Pairs leftovers of different groups whose fields other than the name
    /// are all the same (at least [`MIN_SAME_FIELDS`] of them filled) and
    /// whose names are at least [`MIN_NAME_SIMILARITY`] alike: an indicator
    /// moved to another group and renamed in the same edit. One hash lookup
    /// per indicator; among the candidates, the most similar name wins.
    fn moved_renamed_same_fields(&mut self, current_group: &[Option<usize>]) {
        let name = self.name;
        let nf = self.shape.indicator.len();
        self.pair_across_groups(
            current_group,
            MatchHow::MovedRenamed,
            |i| {
                let keys: Vec<String> = (0..nf)
                    .filter(|&f| f != name)
                    .map(|f| text_key(i.text(f)))
                    .collect();
                (keys.iter().filter(|k| !k.is_empty()).count() >= MIN_SAME_FIELDS)
                    .then(|| keys.join("\u{1f}"))
            },
            |p, c| {
                let chars = |i: &Indicator| text_key(i.text(name)).chars().collect::<Vec<char>>();
                let sim = similarity(&chars(p), &chars(c));
                (sim >= MIN_NAME_SIMILARITY).then_some((sim, sim))
            },
        );
    }

    /// The pass both cross-group matchings share: last year's leftovers by
    /// `key`; for each of this year's leftovers, among the first 64
    /// candidates with its key in another group, the one `score` ranks
    /// highest (the first on ties; `None`: not a candidate) is paired, one to
    /// one. `score` gives (rank, the pair's recorded score).
    fn pair_across_groups(
        &mut self,
        current_group: &[Option<usize>],
        how: MatchHow,
        key: impl Fn(&Indicator) -> Option<String>,
        score: impl Fn(&Indicator, &Indicator) -> Option<(f64, f64)>,
    ) {
        // Lists hold unused prior indicators only; a chosen one is removed.
        let mut by_key = self.prior_leftovers_by(&key);
        if by_key.is_empty() {
            return;
        }
        for (ci, g) in self.current.groups.iter().enumerate() {
            for (k, i) in g.indicators.iter().enumerate() {
                if self.current_used[ci][k] {
                    continue;
                }
                let Some(cands) = key(i).and_then(|key| by_key.get_mut(&key)) else {
                    continue;
                };
                let best = cands
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| current_group[ci] != Some(r.group))
                    .take(64)
                    .filter_map(|(n, r)| score(ind(self.prior, *r), i).map(|s| (n, *r, s)))
                    .max_by(|a, b| a.2 .0.total_cmp(&b.2 .0).then(b.0.cmp(&a.0)));
                if let Some((n, p, (_, recorded))) = best {
                    cands.remove(n);
                    self.pair(
                        p,
                        IndRef {
                            group: ci,
                            indicator: k,
                        },
                        how,
                        recorded,
                    );
                }
            }
        }
    }

    /// The best one-to-one renames between the leftovers of one pair of groups.
    fn renames_within(&mut self, pi: usize, ci: usize) {
        let name = self.name;
        let pd = &self.prior.groups[pi];
        let cd = &self.current.groups[ci];
        let left_p: Vec<usize> = (0..pd.indicators.len())
            .filter(|&k| !self.prior_used[pi][k])
            .collect();
        let left_c: Vec<usize> = (0..cd.indicators.len())
            .filter(|&k| !self.current_used[ci][k])
            .collect();
        if left_p.is_empty() || left_c.is_empty() {
            return;
        }
        let keys_p: Vec<Vec<char>> = left_p
            .iter()
            .map(|&k| year_key(pd.indicators[k].text(name)).chars().collect())
            .collect();
        let keys_c: Vec<Vec<char>> = left_c
            .iter()
            .map(|&k| year_key(cd.indicators[k].text(name)).chars().collect())
            .collect();

        // Candidate pairs (indices into left_p / left_c).
        let mut cands: Vec<(usize, usize)> = Vec::new();
        if left_p.len() * left_c.len() <= 1024 {
            for a in 0..left_c.len() {
                for b in 0..left_p.len() {
                    cands.push((a, b));
                }
            }
        } else {
            let mut postings: HashMap<(char, char), Vec<usize>> = HashMap::new();
            for (b, key) in keys_p.iter().enumerate() {
                let mut grams = bigrams(key);
                grams.sort_unstable();
                grams.dedup();
                for g in grams {
                    postings.entry(g).or_default().push(b);
                }
            }
            for (a, key) in keys_c.iter().enumerate() {
                let mut grams = bigrams(key);
                grams.sort_unstable();
                grams.dedup();
                let mut counts: HashMap<usize, usize> = HashMap::new();
                for g in grams {
                    if let Some(list) = postings.get(&g) {
                        if list.len() <= MAX_POSTINGS {
                            for &b in list {
                                *counts.entry(b).or_default() += 1;
                            }
                        }
                    }
                }
                let mut ranked: Vec<(usize, usize)> = counts.into_iter().collect();
                ranked.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
                cands.extend(
                    ranked
                        .into_iter()
                        .take(RENAME_CANDIDATES)
                        .map(|(b, _)| (a, b)),
                );
            }
        }

        let mut scored: Vec<(f64, usize, usize)> = Vec::new();
        for (a, b) in cands {
            let ctx = RenameContext {
                prior_pos: (left_p[b], pd.indicators.len()),
                current_pos: (left_c[a], cd.indicators.len()),
            };
            if let Some(s) = rename_score_keys(
                self.shape,
                &pd.indicators[left_p[b]],
                &keys_p[b],
                &cd.indicators[left_c[a]],
                &keys_c[a],
                &ctx,
            ) {
                scored.push((s, a, b));
            }
        }
        scored.sort_by(|x, y| {
            y.0.total_cmp(&x.0)
                .then(
                    left_c[x.1]
                        .abs_diff(left_p[x.2])
                        .cmp(&left_c[y.1].abs_diff(left_p[y.2])),
                )
                .then(x.1.cmp(&y.1))
                .then(x.2.cmp(&y.2))
        });
        for (s, a, b) in scored {
            let (pk, ck) = (left_p[b], left_c[a]);
            if self.prior_used[pi][pk] || self.current_used[ci][ck] {
                continue;
            }
            self.pair(
                IndRef {
                    group: pi,
                    indicator: pk,
                },
                IndRef {
                    group: ci,
                    indicator: ck,
                },
                MatchHow::Renamed,
                s,
            );
        }
    }
}

fn bigrams(key: &[char]) -> Vec<(char, char)> {
    if key.len() == 1 {
        return vec![(key[0], '\0')];
    }
    key.windows(2).map(|w| (w[0], w[1])).collect()
}

/// How many fields (other than the name) two indicators agree on (non-empty, same key).
fn agreeing_fields(shape: &Shape, a: &Indicator, b: &Indicator) -> usize {
    let name = name_field(shape);
    (0..shape.indicator.len())
        .filter(|&f| f != name)
        .filter(|&f| {
            let (x, y) = (a.text(f), b.text(f));
            key_chars(x).next().is_some() && same_key(x, y)
        })
        .count()
}

/// Where two rename candidates sit: (index in group, group's indicator count).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RenameContext {
    pub prior_pos: (usize, usize),
    pub current_pos: (usize, usize),
}

/// The evidence that `current` is `prior` renamed (their names' year keys
/// `kp`, `kc` given), `None` when it is not enough: a name equal up to year
/// tokens scores 2.0; otherwise name similarity, explanation, unit and
/// position must agree, at least `RENAME_THRESHOLD` in all.
fn rename_score_keys(
    shape: &Shape,
    prior: &Indicator,
    kp: &[char],
    current: &Indicator,
    kc: &[char],
    ctx: &RenameContext,
) -> Option<f64> {
    if kp == kc && !kp.is_empty() {
        return Some(2.0);
    }
    let name = similarity(kp, kc);
    if name < MIN_NAME_SIMILARITY_SAME_EXPLANATION {
        return None;
    }
    let unit = match (
        prior.quantity_of(shape, Role::Target),
        current.quantity_of(shape, Role::Target),
    ) {
        (Some(a), Some(b)) => Some(same_unit(&a.unit, &b.unit)),
        _ => None,
    };
    if unit == Some(false) {
        return None;
    }
    let (xp, xc) = (
        prior.text_of(shape, Role::Explanation),
        current.text_of(shape, Role::Explanation),
    );
    let (ep, ec) = (explanation_core(xp), explanation_core(xc));
    if name < MIN_NAME_SIMILARITY {
        // A name rewritten more freely: only with the same specific
        // explanation and the same unit.
        let specific = ep.len().min(ec.len()) >= MIN_SPECIFIC_EXPLANATION;
        if !(specific && unit == Some(true) && similarity(&ep, &ec) >= 0.9) {
            return None;
        }
    }
    let rel = |(i, n): (usize, usize)| {
        if n <= 1 {
            0.0
        } else {
            i as f64 / (n - 1) as f64
        }
    };
    let close = ctx.prior_pos.0.abs_diff(ctx.current_pos.0) <= 1
        || (rel(ctx.prior_pos) - rel(ctx.current_pos)).abs() <= 0.2;
    // Fields other than name and explanation that agree (non-empty, same text).
    let agreeing = || {
        let same_explanation = key_chars(xp).next().is_some() && same_key(xp, xc);
        agreeing_fields(shape, prior, current) - usize::from(same_explanation)
    };
    let explanation = if ep.is_empty() || ec.is_empty() {
        if name < MIN_NAME_SIMILARITY_ALONE || unit != Some(true) || !(close || agreeing() > 0) {
            return None;
        }
        0.0
    } else {
        let e = similarity(&ep, &ec);
        if e < MIN_EXPLANATION_SIMILARITY {
            return None;
        }
        e
    };
    let agreeing = agreeing();
    let score = 0.5 * name
        + 0.3 * explanation
        + 0.1 * f64::from(u8::from(unit == Some(true)))
        + 0.1 * f64::from(u8::from(close))
        + if agreeing > 0 { 0.05 } else { 0.0 };
    (score >= RENAME_THRESHOLD).then_some(score)
}

// ---------------------------------------------------------------------------
// Changes

/// How a change names a group: one `(level key, value)` per level.
fn naming(t: &Table, g: &Group) -> Vec<(String, Option<Seq>)> {
    t.group_names(g)
        .into_iter()
        .map(|(k, v)| (k, Some(v)))
        .collect()
}

/// The naming of a form field's change: every level null.
fn no_group(shape: &Shape) -> Vec<(String, Option<Seq>)> {
    shape
        .levels
        .iter()
        .map(|l| (l.json.clone(), None))
        .collect()
}

/// A group as `old`/`new` of a `moved` change: its levels' values joined by `/` (`3`, `产出指标/数量指标`).
fn group_ref(t: &Table, g: &Group) -> String {
    let parts: Vec<String> = t
        .group_names(g)
        .iter()
        .map(|(_, v)| v.to_string())
        .collect();
    parts.join("/")
}

/// A group as a person names it in a line, down to level `upto`: a
/// numbered level as its name and number (`职责3`), a named one as its name
/// (`产出指标/数量指标`).
fn heading(t: &Table, g: &Group, upto: usize) -> String {
    let shape: &Shape = &t.shape;
    let mut parts = Vec::new();
    for l in shape.levels.iter().take(upto + 1) {
        let text = g.text(l.key);
        if shape.group[l.key].role == Some(Role::GroupId) {
            parts.push(format!("{}{}", l.name, id_text(text)));
        } else {
            parts.push(text.trim().to_string());
        }
    }
    parts.join("/")
}

/// A group's names ([`Role::GroupName`] fields, joined by `/`): the `new`/`old` of a whole group.
fn group_names_text(shape: &Shape, g: &Group) -> String {
    let parts: Vec<&str> = (0..shape.group.len())
        .filter(|&f| shape.group[f].role == Some(Role::GroupName))
        .map(|f| g.text(f))
        .filter(|t| !t.is_empty())
        .collect();
    parts.join("/")
}

/// `field` of a `moved` change (the template's [`Shape::moved`]) and its
/// label, the levels' names (`职责`, `一级指标/二级指标`).
fn moved_field(shape: &Shape) -> (String, String) {
    let label: Vec<&str> = shape.levels.iter().map(|l| l.name.as_str()).collect();
    (shape.moved.clone(), label.join("/"))
}

/// Whether two amounts in 元 are the same (to the cent).
fn same_amount(a: &Quantity, b: &Quantity) -> bool {
    (a.number - b.number).abs() < 0.005
}

/// Whether a field's two values are the same: amounts by their value in 元, the rest by [`text_key`].
fn same_value(
    spec: &FieldSpec,
    a: &str,
    b: &str,
    qa: Option<&Quantity>,
    qb: Option<&Quantity>,
) -> bool {
    if spec.money {
        if let (Some(x), Some(y)) = (qa, qb) {
            return same_amount(x, y);
        }
    }
    same_key(a, b)
}

fn same_indicator_field(shape: &Shape, f: usize, a: &Indicator, b: &Indicator) -> bool {
    same_value(
        &shape.indicator[f],
        a.text(f),
        b.text(f),
        a.quantity(f),
        b.quantity(f),
    )
}

fn value_delta(qa: Option<&Quantity>, qb: Option<&Quantity>) -> Option<Delta> {
    match (qa, qb) {
        (Some(q), Some(r)) => delta(q, r),
        _ => None,
    }
}

fn changes(prior: &Table, current: &Table, m: &Matching) -> Vec<Change> {
    // Form and group changes, indicator changes, removed indicators (module docs).
    let shape: &Shape = &current.shape;
    let roles = GroupRoles::of(shape);
    let fold = roles.numbered;
    let name = name_field(shape);
    let inner = shape.levels.len().saturating_sub(1);
    let inner_key = shape.levels.last().map_or(0, |l| l.key);
    let inner_name = shape.levels.last().map_or("", |l| l.name.as_str());
    let whole = |g: &Group| {
        if fold {
            format!("（整项{inner_name}及其指标）")
        } else if g.indicators.is_empty() {
            format!("（{inner_name}，其下无指标）")
        } else {
            String::new()
        }
    };
    let (project, prior_project) = (project_of(current), project_of(prior));
    let mut head = Vec::new();
    let mut out = Vec::new();
    let mut removed_out = Vec::new();

    form_changes(prior, current, &mut head);

    let mut pairs_by_current: HashMap<IndRef, &Pair> = HashMap::with_capacity(m.pairs.len());
    let mut prior_matched: Vec<Vec<bool>> = prior
        .groups
        .iter()
        .map(|g| vec![false; g.indicators.len()])
        .collect();
    for p in &m.pairs {
        pairs_by_current.insert(p.current, p);
        prior_matched[p.prior.group][p.prior.indicator] = true;
    }
    // Fields of an outer level already reported: (field, outer group, old, new).
    let mut outer_seen: HashSet<(usize, String, String, String)> = HashSet::new();
    let compared: Vec<usize> = (0..shape.group.len())
        .filter(|&f| shape.group[f].role != Some(Role::GroupId))
        .collect();

    for (ci, cg) in current.groups.iter().enumerate() {
        let pi = m.current_group[ci];
        match pi {
            None if fold || cg.indicators.is_empty() => head.push(Change {
                kind: ChangeKind::Added,
                project: project.clone(),
                group: naming(current, cg),
                indicator: None,
                field: None,
                old: None,
                new: Some(group_names_text(shape, cg)),
                delta: None,
                place: Some(Place::Group {
                    group: ci,
                    field: inner_key,
                }),
                prior_place: None,
                labels: Labels {
                    group: heading(current, cg, inner),
                    whole: whole(cg),
                    ..Labels::default()
                },
            }),
            None => {} // a category: its indicators are listed one by one
            Some(pi) => {
                let pg = &prior.groups[pi];
                for &f in &compared {
                    let (a, b) = (pg.text(f), cg.text(f));
                    if same_key(a, b) {
                        continue;
                    }
                    let level = shape.group[f].level;
                    if level < inner {
                        let outer = heading(current, cg, level);
                        if !outer_seen.insert((f, outer, text_key(a), text_key(b))) {
                            continue;
                        }
                    }
                    let mut group = naming(current, cg);
                    for (k, (_, v)) in group.iter_mut().enumerate() {
                        if k > level {
                            *v = None;
                        }
                    }
                    head.push(Change {
                        kind: ChangeKind::Modified,
                        project: project.clone(),
                        group,
                        indicator: None,
                        field: Some(shape.group[f].json.clone()),
                        old: Some(a.to_string()),
                        new: Some(b.to_string()),
                        delta: None,
                        place: Some(Place::Group {
                            group: ci,
                            field: f,
                        }),
                        prior_place: Some(Place::Group {
                            group: pi,
                            field: f,
                        }),
                        labels: Labels {
                            group: heading(current, cg, level),
                            field: shape.group[f].label.clone(),
                            ..Labels::default()
                        },
                    });
                }
            }
        }
        for (k, i) in cg.indicators.iter().enumerate() {
            let here = IndRef {
                group: ci,
                indicator: k,
            };
            match pairs_by_current.get(&here) {
                Some(p) => pair_changes(prior, current, p, &project, &mut out),
                None if pi.is_some() || !fold => out.push(Change {
                    kind: ChangeKind::Added,
                    project: project.clone(),
                    group: naming(current, cg),
                    indicator: Some(i.text(name).to_string()),
                    field: None,
                    old: None,
                    new: None,
                    delta: None,
                    place: Some(Place::Indicator {
                        group: ci,
                        indicator: k,
                        field: name,
                    }),
                    prior_place: None,
                    labels: Labels {
                        group: heading(current, cg, inner),
                        ..Labels::default()
                    },
                }),
                None => {} // folded into the group's own `added`
            }
        }
    }
    for (pi, pg) in prior.groups.iter().enumerate() {
        if m.prior_group[pi].is_some() || !fold {
            for (k, i) in pg.indicators.iter().enumerate() {
                if !prior_matched[pi][k] {
                    removed_out.push(Change {
                        kind: ChangeKind::Removed,
                        project: prior_project.clone(),
                        group: naming(prior, pg),
                        indicator: Some(i.text(name).to_string()),
                        field: None,
                        old: None,
                        new: None,
                        delta: None,
                        place: None,
                        prior_place: Some(Place::Indicator {
                            group: pi,
                            indicator: k,
                            field: name,
                        }),
                        labels: Labels {
                            group: heading(prior, pg, inner),
                            ..Labels::default()
                        },
                    });
                }
            }
            if m.prior_group[pi].is_some() || !pg.indicators.is_empty() {
                continue;
            }
        }
        head.push(Change {
            kind: ChangeKind::Removed,
            project: prior_project.clone(),
            group: naming(prior, pg),
            indicator: None,
            field: None,
            old: Some(group_names_text(shape, pg)),
            new: None,
            delta: None,
            place: None,
            prior_place: Some(Place::Group {
                group: pi,
                field: inner_key,
            }),
            labels: Labels {
                group: heading(prior, pg, inner),
                whole: whole(pg),
                ..Labels::default()
            },
        });
    }
    head.append(&mut out);
    head.append(&mut removed_out);
    head
}

/// One `modified` change per form field that differs (amounts by value in
/// 元; the money unit is not compared: it only says how amounts are written).
fn form_changes(prior: &Table, current: &Table, out: &mut Vec<Change>) {
    let shape: &Shape = &current.shape;
    let project = project_of(current);
    for (i, spec) in shape.form.iter().enumerate() {
        if spec.role == Some(Role::MoneyUnit) {
            continue;
        }
        let (a, b) = (prior.form.text(i), current.form.text(i));
        let (qa, qb) = (prior.form.quantity(i), current.form.quantity(i));
        if same_value(spec, a, b, qa, qb) {
            continue;
        }
        out.push(Change {
            kind: ChangeKind::Modified,
            project: project.clone(),
            group: no_group(shape),
            indicator: None,
            field: Some(spec.json.clone()),
            old: Some(a.to_string()),
            new: Some(b.to_string()),
            delta: value_delta(qa, qb),
            place: Some(Place::Form(i)),
            prior_place: Some(Place::Form(i)),
            labels: Labels {
                field: spec.label.clone(),
                ..Labels::default()
            },
        });
    }
}

fn pair_changes(
    prior: &Table,
    current: &Table,
    p: &Pair,
    project: &Option<String>,
    out: &mut Vec<Change>,
) {
    let shape: &Shape = &current.shape;
    let name = name_field(shape);
    let inner = shape.levels.len().saturating_sub(1);
    let a = ind(prior, p.prior);
    let b = ind(current, p.current);
    let cg = &current.groups[p.current.group];
    let pg = &prior.groups[p.prior.group];
    let place = |field| {
        Some(Place::Indicator {
            group: p.current.group,
            indicator: p.current.indicator,
            field,
        })
    };
    let prior_place = |field| {
        Some(Place::Indicator {
            group: p.prior.group,
            indicator: p.prior.indicator,
            field,
        })
    };
    let group_label = heading(current, cg, inner);
    let change =
        |kind, field: String, old: String, new: String, delta, f: usize, label: String| Change {
            kind,
            project: project.clone(),
            group: naming(current, cg),
            indicator: Some(b.text(name).to_string()),
            field: Some(field),
            old: Some(old),
            new: Some(new),
            delta,
            place: place(f),
            prior_place: prior_place(f),
            labels: Labels {
                group: group_label.clone(),
                field: label,
                ..Labels::default()
            },
        };
    if matches!(p.how, MatchHow::Moved | MatchHow::MovedRenamed) {
        let (field, label) = moved_field(shape);
        let mut c = change(
            ChangeKind::Moved,
            field,
            group_ref(prior, pg),
            group_ref(current, cg),
            None,
            name,
            label,
        );
        c.labels.prior_group = heading(prior, pg, inner);
        out.push(c);
    }
    let spec = &shape.indicator[name];
    if !same_key(a.text(name), b.text(name)) {
        out.push(change(
            ChangeKind::Renamed,
            spec.json.clone(),
            a.text(name).to_string(),
            b.text(name).to_string(),
            None,
            name,
            spec.label.clone(),
        ));
    }
    for (f, spec) in shape.indicator.iter().enumerate() {
        if f == name || same_indicator_field(shape, f, a, b) {
            continue;
        }
        out.push(change(
            ChangeKind::Modified,
            spec.json.clone(),
            a.text(f).to_string(),
            b.text(f).to_string(),
            value_delta(a.quantity(f), b.quantity(f)),
            f,
            spec.label.clone(),
        ));
    }
}

/// The change from `old` to `new` when both have the same unit; for
/// percentages also in percentage points ([`Delta::points`]).
pub fn delta(old: &Quantity, new: &Quantity) -> Option<Delta> {
    if !same_unit(&old.unit, &new.unit) || !old.number.is_finite() || !new.number.is_finite() {
        return None;
    }
    let number = round_sig(new.number - old.number);
    let percent = (old.number != 0.0)
        .then(|| round_sig((new.number - old.number) / old.number.abs() * 100.0));
    let points = same_unit(&new.unit, "%").then_some(number);
    Some(Delta {
        number,
        percent,
        points,
    })
}

// ---------------------------------------------------------------------------
// Numbers as a person reads them

/// `x` with exactly `places` decimals, rounded half away from zero on the
/// decimal number as written (its shortest representation), as a clerk
/// rounds: 6.25 → `6.3`, -6.25 → `-6.3`, 0.05 → `0.1`, 2.675 → `2.68` (two
/// places), where `format!("{:.1}")` rounds the binary value half to even
/// (`6.2`, `2.67`). Never `-0`.
pub(crate) fn round_half_away(x: f64, places: usize) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    // Rust writes an f64 in full decimal, never with an exponent.
    let written = format!("{}", x.abs());
    let (int, frac) = written.split_once('.').unwrap_or((&written, ""));
    let mut digits: Vec<u8> = int
        .bytes()
        .chain(frac.bytes().chain(std::iter::repeat(b'0')).take(places))
        .map(|b| b - b'0')
        .collect();
    if frac.as_bytes().get(places).is_some_and(|&b| b >= b'5') {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let split = digits.len() - places;
    let mut out: String = digits[..split]
        .iter()
        .map(|d| char::from(b'0' + d))
        .collect::<String>()
        .trim_start_matches('0')
        .to_string();
    if out.is_empty() {
        out.push('0');
    }
    if places > 0 {
        out.push('.');
        out.extend(digits[split..].iter().map(|d| char::from(b'0' + d)));
    }
    if x < 0.0 && digits.iter().any(|&d| d != 0) {
        out.insert(0, '-');
    }
    out
}

/// `x` rounded half away from zero to at most `places` decimals, trailing
/// zeros dropped (`10000`, `2.5`, `0.0123`).
pub(crate) fn shown_number(x: f64, places: usize) -> String {
    let s = round_half_away(x, places);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A shown number with its sign: `+` unless it is negative (`+5`, `-3`, `+0`).
pub(crate) fn signed(shown: String) -> String {
    if shown.starts_with('-') {
        shown
    } else {
        format!("+{shown}")
    }
}

/// A relative change as shown: one decimal, signed (`+6.3%`).
pub(crate) fn percent_text(percent: f64) -> String {
    format!("{}%", signed(round_half_away(percent, 1)))
}

/// The Chinese scales a written number may carry, longest first (as the
/// value grammar of crate::quantity reads them).
const SCALES: [(&str, f64); 11] = [
    ("万亿", 1e12),
    ("千亿", 1e11),
    ("百亿", 1e10),
    ("十亿", 1e9),
    ("亿", 1e8),
    ("千万", 1e7),
    ("百万", 1e6),
    ("十万", 1e5),
    ("万", 1e4),
    ("千", 1e3),
    ("百", 1e2),
];

/// The scale written right after the first number of a value (`≥10万人次` →
/// `("万", 10000)`), if any; `百` before `分` is no scale.
pub(crate) fn written_scale(text: &str) -> Option<(&'static str, f64)> {
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let start = text.find(is_digit)?;
    let rest = text[start..]
        .trim_start_matches(|c: char| is_digit(c) || ",，.．".contains(c))
        .trim_start();
    let (word, factor) = SCALES.iter().find(|(w, _)| rest.starts_with(w))?;
    if *word == "百" && rest["百".len()..].starts_with('分') {
        return None;
    }
    Some((word, *factor))
}

/// The scale both values are written in (`10万人次` → `11万人次`: 万), so a
/// change is shown as the table writes its numbers (`+1万人次`, not
/// `+10000人次`); `None` when either has none or they differ.
pub(crate) fn shared_scale(old: &str, new: &str) -> Option<(&'static str, f64)> {
    match (written_scale(old), written_scale(new)) {
        (Some(a), Some(b)) if a.0 == b.0 => Some(a),
        _ => None,
    }
}

impl Delta {
    /// The absolute change as a person reads it: in percentage points for a
    /// percentage (`+5个百分点`); else `number` in `scale` (the table's own,
    /// see `shared_scale`) followed by `unit` (`+1万人次`, `-5万元`, `+3`).
    pub fn amount_text(&self, scale: Option<(&str, f64)>, unit: &str) -> String {
        if let Some(p) = self.points {
            return format!("{}个百分点", signed(shown_number(p, 2)));
        }
        let (word, factor) = scale.unwrap_or(("", 1.0));
        format!(
            "{}{word}{unit}",
            signed(shown_number(round_sig(self.number / factor), 4))
        )
    }
}

#[cfg(test)]
mod shown_tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round_half_away(6.25, 1), "6.3");
        assert_eq!(round_half_away(-6.25, 1), "-6.3");
        assert_eq!(round_half_away(0.05, 1), "0.1");
        assert_eq!(round_half_away(2.675, 2), "2.68");
        assert_eq!(round_half_away(9.96, 1), "10.0");
        assert_eq!(round_half_away(-0.04, 1), "0.0");
        assert_eq!(round_half_away(10.0, 1), "10.0");
        assert_eq!(round_half_away(0.5, 0), "1");
        assert_eq!(round_half_away(123456.0, 0), "123456");
        assert_eq!(shown_number(6.25, 1), "6.3");
        assert_eq!(shown_number(10000.0, 4), "10000");
        assert_eq!(shown_number(0.012345, 4), "0.0123");
        assert_eq!(percent_text(6.25), "+6.3%");
        assert_eq!(percent_text(-3.225806452), "-3.2%");
        assert_eq!(percent_text(10.0), "+10.0%");
        // What `{:.1}` would have shown.
        assert_eq!(format!("{:.1}", 6.25), "6.2");
    }

    #[test]
    fn percentages_carry_points() {
        let q = |n: f64, u: &str| Quantity {
            cmp: None,
            number: n,
            unit: u.into(),
        };
        let d = delta(&q(80.0, "%"), &q(85.0, "%")).unwrap();
        assert_eq!(
            (d.number, d.points, d.percent),
            (5.0, Some(5.0), Some(6.25))
        );
        assert_eq!(
            serde_json::to_value(&d).unwrap(),
            serde_json::json!({"number": 5, "percent": 6.25, "points": 5})
        );
        assert_eq!(d.amount_text(None, "%"), "+5个百分点");
        let d = delta(&q(100000.0, "人次"), &q(110000.0, "人次")).unwrap();
        assert_eq!(d.points, None);
        assert_eq!(
            serde_json::to_value(&d).unwrap(),
            serde_json::json!({"number": 10000, "percent": 10.0})
        );
        assert_eq!(
            d.amount_text(shared_scale("10万人次", "11万人次"), "人次"),
            "+1万人次"
        );
        assert_eq!(d.amount_text(None, "人次"), "+10000人次");
    }

    #[test]
    fn scales_are_read_after_the_first_number() {
        assert_eq!(written_scale("≥10万人次"), Some(("万", 1e4)));
        assert_eq!(written_scale("2.5亿元"), Some(("亿", 1e8)));
        assert_eq!(written_scale("1,200千元"), Some(("千", 1e3)));
        assert_eq!(written_scale("3000人次"), None);
        assert_eq!(written_scale("100分"), None);
        assert_eq!(written_scale("1百分点"), None);
        assert_eq!(shared_scale("10万人次", "110000人次"), None);
    }
}

/// Rounds to 10 significant digits, so float noise (`1.5900000000000034`) goes away.
pub(crate) fn round_sig(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return if x == 0.0 { 0.0 } else { x };
    }
    let digits = 10 - 1 - x.abs().log10().floor() as i32;
    let r = if digits >= 0 {
        let f = 10f64.powi(digits.min(300));
        (x * f).round() / f
    } else {
        let f = 10f64.powi(-digits);
        (x / f).round() * f
    };
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

// ---------------------------------------------------------------------------
// Character-level edits (for the 变更明细 sheet's highlighting)

/// One piece of a character-level comparison of an old and a new text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "lowercase")]
pub enum Edit {
    /// In both texts.
    Same(String),
    /// Only in the old text.
    Deleted(String),
    /// Only in the new text.
    Inserted(String),
}

/// The character-level edits turning `old` into `new` (Myers), adjacent pieces
/// of one kind merged; a replaced run gives its `Deleted` before its `Inserted`.
/// Concatenating `Same`+`Deleted` gives `old`, `Same`+`Inserted` gives `new`.
pub(crate) fn char_edits(old: &str, new: &str) -> Vec<Edit> {
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b);
    let mut out: Vec<Edit> = Vec::new();
    let mut push = |e: Edit| {
        let text = match &e {
            Edit::Same(t) | Edit::Deleted(t) | Edit::Inserted(t) => t,
        };
        if text.is_empty() {
            return;
        }
        match (out.last_mut(), &e) {
            (Some(Edit::Same(x)), Edit::Same(y))
            | (Some(Edit::Deleted(x)), Edit::Deleted(y))
            | (Some(Edit::Inserted(x)), Edit::Inserted(y)) => x.push_str(y),
            _ => out.push(e),
        }
    };
    let text = |s: &[char]| s.iter().collect::<String>();
    for op in ops {
        match op {
            similar::DiffOp::Equal { old_index, len, .. } => {
                push(Edit::Same(text(&a[old_index..old_index + len])))
            }
            similar::DiffOp::Delete {
                old_index, old_len, ..
            } => push(Edit::Deleted(text(&a[old_index..old_index + old_len]))),
            similar::DiffOp::Insert {
                new_index, new_len, ..
            } => push(Edit::Inserted(text(&b[new_index..new_index + new_len]))),
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(Edit::Deleted(text(&a[old_index..old_index + old_len])));
                push(Edit::Inserted(text(&b[new_index..new_index + new_len])));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Describing changes for a person

impl Change {
    /// One line for a person, e.g.
    /// `修改 职责3 师资队伍培训人次 年度指标值：10万人次 → 11万人次（+10.0%）`,
    /// `修改 产出指标/质量指标 参训教师考核合格率 指标值：80% → 85%（+5个百分点）`,
    /// `移动 资助政策宣传覆盖率：产出指标/质量指标 → 效益指标/社会效益指标`,
    /// `修改 年度资金总额：300.00 → 350.00（+16.7%）`.
    pub fn describe(&self) -> String {
        let group = self.labels.group.as_str();
        let kind = self.kind.label();
        // "修改 职责3 " / "修改 " for a form field.
        let lead = if group.is_empty() {
            format!("{kind} ")
        } else {
            format!("{kind} {group} ")
        };
        let Some(name) = &self.indicator else {
            // A group's or the form's own change.
            return match self.kind {
                ChangeKind::Added | ChangeKind::Removed => {
                    let what = if self.kind == ChangeKind::Added {
                        &self.new
                    } else {
                        &self.old
                    };
                    let what = what.as_deref().unwrap_or("");
                    if what.is_empty() || what == group {
                        format!("{kind} {group}{}", self.labels.whole)
                    } else {
                        format!("{lead}{what}{}", self.labels.whole)
                    }
                }
                _ => {
                    let (old, new) = excerpts(
                        self.old.as_deref().unwrap_or(""),
                        self.new.as_deref().unwrap_or(""),
                    );
                    let mut s = format!("{lead}{}：{old} → {new}", self.field_label());
                    push_delta(&mut s, self);
                    s
                }
            };
        };
        match self.kind {
            ChangeKind::Added | ChangeKind::Removed => format!("{lead}{name}"),
            ChangeKind::Moved => format!(
                "{kind} {name}：{} → {}",
                self.labels.prior_group, self.labels.group
            ),
            ChangeKind::Renamed => format!(
                "{lead}{} → {}",
                self.old.as_deref().unwrap_or(""),
                self.new.as_deref().unwrap_or("")
            ),
            ChangeKind::Modified => {
                let (old, new) = excerpts(
                    self.old.as_deref().unwrap_or(""),
                    self.new.as_deref().unwrap_or(""),
                );
                let mut s = format!("{lead}{name} {}：{old} → {new}", self.field_label());
                push_delta(&mut s, self);
                s
            }
        }
    }
}

/// `（+5个百分点）` for a percentage, `（+10.0%）` for another quantity, or
/// `（+1）` (`（+1万）` when both values are written in 万) when the old
/// value was 0; numbers rounded half away from zero.
fn push_delta(s: &mut String, c: &Change) {
    let Some(d) = &c.delta else { return };
    if d.points.is_some() {
        s.push_str(&format!("（{}）", d.amount_text(None, "")));
        return;
    }
    match d.percent {
        Some(p) => s.push_str(&format!("（{}）", percent_text(p))),
        None if d.number != 0.0 => {
            let scale = shared_scale(
                c.old.as_deref().unwrap_or(""),
                c.new.as_deref().unwrap_or(""),
            );
            s.push_str(&format!("（{}）", d.amount_text(scale, "")));
        }
        None => {}
    }
}

/// What `jixiao diff` prints for a person: both tables (and the project, for
/// a template with one), the counts by kind, then one line per change
/// ([`Change::describe`]). The warnings are not in it: they go to stderr.
pub fn render_text(report: &DiffReport) -> String {
    let side = |label: &str, s: &Side| {
        if s.absent {
            return format!("{label}：（无对应的表）\n");
        }
        let title = if s.title.is_empty() {
            "（无标题）"
        } else {
            s.title.as_str()
        };
        let year = s
            .year
            .map(|y| format!("{y}年"))
            .unwrap_or_else(|| "年份不详".into());
        let path = if s.path.is_empty() {
            String::new()
        } else {
            format!("  {}", s.path)
        };
        format!("{label}：{title}（{year}）{path}\n")
    };
    let mut out = String::new();
    out.push_str(&side("上年", &report.prior));
    out.push_str(&side("本年", &report.current));
    let project = |s: &Side| s.project.clone().filter(|_| !s.absent);
    match (project(&report.prior), project(&report.current)) {
        (Some(a), Some(b)) if !same_key(&a, &b) => {
            out.push_str(&format!("项目：{a} → {b}\n"));
        }
        (_, Some(p)) | (Some(p), None) => out.push_str(&format!("项目：{p}\n")),
        (None, None) => {}
    }
    let s = &report.summary;
    out.push_str(&format!(
        "变更：新增 {}，删除 {}，更名 {}，移动 {}，修改 {}；未变指标 {}\n",
        s.added, s.removed, s.renamed, s.moved, s.modified, s.unchanged
    ));
    if report.changes.is_empty() {
        out.push_str("两年的表格内容相同。\n");
    } else {
        out.push('\n');
        for c in &report.changes {
            out.push_str(&c.describe());
            out.push('\n');
        }
    }
    out
}

/// Texts longer than this are shown around their edit only.
const EXCERPT_MAX: usize = 40;
/// Unchanged characters shown on each side of an edit.
const EXCERPT_CONTEXT: usize = 8;

/// The old and new text for one line: short texts whole; long ones (工作活动,
/// 职责目标) cut to the edited part with a little unchanged context around it
/// (`…5.组织开展思政教师培训。` → `…5.组织开展思政教师培训。 6.扎实开展…`).
/// Line breaks show as spaces; an empty text as `（空）`.
fn excerpts(old: &str, new: &str) -> (String, String) {
    let one_line = |s: &str| -> Vec<char> {
        s.chars()
            .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
            .collect()
    };
    let (a, b) = (one_line(old), one_line(new));
    if a.len() <= EXCERPT_MAX && b.len() <= EXCERPT_MAX {
        return (show(&a, false, false), show(&b, false, false));
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    // Context starts after a separator when one is near, else 8 characters back.
    let is_sep = |c: &char| " 。，；、,;：:".contains(*c);
    let start = (prefix.saturating_sub(20)..prefix.saturating_sub(1))
        .rev()
        .find(|&i| is_sep(&a[i]))
        .map(|i| i + 1)
        .unwrap_or(prefix.saturating_sub(EXCERPT_CONTEXT));
    let tail = suffix.min(EXCERPT_CONTEXT);
    let cut = |s: &[char]| {
        let end = s.len() - suffix + tail;
        let mut middle: Vec<char> = s[start..s.len() - suffix].to_vec();
        let clipped = middle.len() > EXCERPT_MAX;
        if clipped {
            middle.truncate(EXCERPT_MAX);
            middle.push('…');
            return show(&middle, start > 0, false);
        }
        middle.extend_from_slice(&s[s.len() - suffix..end]);
        show(&middle, start > 0, end < s.len())
    };
    (cut(&a), cut(&b))
}

fn show(s: &[char], before: bool, after: bool) -> String {
    if s.is_empty() && !before && !after {
        return "（空）".into();
    }
    let mut t = String::new();
    if before {
        t.push('…');
    }
    t.extend(s);
    if after {
        t.push('…');
    }
    t
}

// ---------------------------------------------------------------------------
// Attainment (目标完成)

/// Whether last year's target was met, by this year's 上年值.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttainmentStatus {
    /// 达成.
    Met,
    /// 未达成.
    NotMet,
    /// 无法比较: not both quantities of one unit (nor the same qualitative text).
    NotComparable,
}

impl AttainmentStatus {
    /// 达成 / 未达成 / 无法比较.
    pub fn label(self) -> &'static str {
        match self {
            AttainmentStatus::Met => "达成",
            AttainmentStatus::NotMet => "未达成",
            AttainmentStatus::NotComparable => "无法比较",
        }
    }
}

/// One row of the 目标完成 view: last year's target against its actual as reported this year.
///
/// JSON: one key per grouping level (`duty`), `indicator`, `target`, `actual`, `status`.
#[derive(Debug, Clone, PartialEq)]
pub struct Attainment {
    /// The group in the current table, one `(level key, value)` per level.
    pub group: Vec<(String, Seq)>,
    /// The indicator's name in the current table.
    pub indicator: String,
    /// Last year's target ([`Role::Target`], prior table).
    pub target: String,
    /// Last year's actual as reported this year ([`Role::HistoryLast`], current table).
    pub actual: String,
    /// 达成, 未达成 or 无法比较.
    pub status: AttainmentStatus,
    /// The actual's cell in the current table.
    pub place: Place,
    /// The target's cell in the prior table.
    pub prior_place: Place,
}

impl Attainment {
    /// The group as one text (`3`, `产出指标/数量指标`).
    pub fn group_ref(&self) -> String {
        let parts: Vec<String> = self.group.iter().map(|(_, v)| v.to_string()).collect();
        parts.join("/")
    }
}

impl Serialize for Attainment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (k, v) in &self.group {
            m.serialize_entry(k, v)?;
        }
        m.serialize_entry("indicator", &self.indicator)?;
        m.serialize_entry("target", &self.target)?;
        m.serialize_entry("actual", &self.actual)?;
        m.serialize_entry("status", &self.status)?;
        m.end()
    }
}

/// Last year's targets against the actuals reported this year, one row per
/// matched indicator (in current table order; added indicators have no
/// target). Empty for a template without a [`Role::Target`] or a
/// [`Role::HistoryLast`] field.
///
/// 达成 when both parse as quantities of the same unit and the actual meets the
/// target under its comparator (none means ≥; `=` within rounding), or when
/// both are the same non-quantity text (`基本实现` → `基本实现`); 未达成 when
/// comparable and not met; else 无法比较 (missing, `/`, compound, other units).
pub fn attainment(prior: &Table, current: &Table, report: &DiffReport) -> Vec<Attainment> {
    let (Some(target), Some(actual)) = (
        prior.shape.indicator_role(Role::Target),
        current.shape.indicator_role(Role::HistoryLast),
    ) else {
        return Vec::new();
    };
    let name = name_field(&current.shape);
    report
        .matching
        .pairs
        .iter()
        .filter_map(|p| {
            let a = prior
                .groups
                .get(p.prior.group)?
                .indicators
                .get(p.prior.indicator)?;
            let cg = current.groups.get(p.current.group)?;
            let b = cg.indicators.get(p.current.indicator)?;
            Some(Attainment {
                group: current.group_names(cg),
                indicator: b.text(name).to_string(),
                target: a.text(target).to_string(),
                actual: b.text(actual).to_string(),
                status: attainment_status(a, target, b, actual),
                place: Place::Indicator {
                    group: p.current.group,
                    indicator: p.current.indicator,
                    field: actual,
                },
                prior_place: Place::Indicator {
                    group: p.prior.group,
                    indicator: p.prior.indicator,
                    field: target,
                },
            })
        })
        .collect()
}

fn attainment_status(
    prior: &Indicator,
    target: usize,
    current: &Indicator,
    actual: usize,
) -> AttainmentStatus {
    if let (Some(t), Some(a)) = (prior.quantity(target), current.quantity(actual)) {
        if !same_unit(&t.unit, &a.unit) {
            return AttainmentStatus::NotComparable;
        }
        let eps = 1e-9 * t.number.abs().max(1.0);
        let (x, y) = (a.number, t.number);
        let met = match t.cmp {
            None | Some(Cmp::Ge) => x >= y - eps,
            Some(Cmp::Gt) => x > y + eps,
            Some(Cmp::Le) => x <= y + eps,
            Some(Cmp::Lt) => x < y - eps,
            Some(Cmp::Eq) => (x - y).abs() <= eps,
        };
        return if met {
            AttainmentStatus::Met
        } else {
            AttainmentStatus::NotMet
        };
    }
    let (t, a) = (text_key(prior.text(target)), text_key(current.text(actual)));
    let quantity = prior.quantity(target).is_some() || current.quantity(actual).is_some();
    if !quantity && !t.is_empty() && t != "/" && t == a {
        AttainmentStatus::Met
    } else {
        AttainmentStatus::NotComparable
    }
}

// ---------------------------------------------------------------------------
// Pairing the tables of two workbooks

/// Two project names this similar (once normalised, `similarity`) may be one project renamed.
pub const MIN_PROJECT_SIMILARITY: f64 = 0.6;
/// …if no other candidate comes within this much of the best on either side.
pub const PROJECT_SIMILARITY_MARGIN: f64 = 0.15;

/// A project name as compared when it is not written the same: `year_key`
/// with its years (and the `年`/`年度` after them) and every character that
/// is not a letter or a digit removed (`校园安全（2024年）` and `校园安全` agree).
pub fn project_key(s: &str) -> String {
    let key = year_key(s);
    let mut out = String::with_capacity(key.len());
    let mut rest = key.as_str();
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        if c == YEAR_TOKEN {
            rest = rest
                .strip_prefix("年度")
                .or_else(|| rest.strip_prefix('年'))
                .unwrap_or(rest);
        } else if c.is_alphanumeric() {
            out.push(c);
        }
    }
    out
}

/// How strictly a pass asks the departments to agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DeptPass {
    /// Both the same, or both unknown.
    Same,
    /// The same, or one unknown.
    OneUnknown,
    /// Whatever they are (a department renamed): the project must say it.
    Any,
}

/// How strictly a pass asks the projects to agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProjectPass {
    /// The same text (both empty for a template without projects).
    Exact,
    /// The same [`project_key`] (not empty).
    Normalised,
}

/// What pairing looks at, computed once per table.
struct PairKey {
    template: String,
    department: Option<String>,
    project: String,
    project_key: Vec<char>,
}

impl PairKey {
    fn of(t: &Table) -> PairKey {
        let project = t.project().trim().to_string();
        PairKey {
            template: t.template.clone(),
            department: t
                .department
                .as_deref()
                .map(text_key)
                .filter(|k| !k.is_empty()),
            project_key: project_key(&project).chars().collect(),
            project,
        }
    }

    fn departments(&self, o: &PairKey, pass: DeptPass) -> bool {
        match (pass, &self.department, &o.department) {
            (DeptPass::Any, _, _) => true,
            (_, Some(a), Some(b)) => a == b,
            (DeptPass::Same, a, b) => a.is_none() && b.is_none(),
            (DeptPass::OneUnknown, _, _) => true,
        }
    }

    fn projects(&self, o: &PairKey, pass: ProjectPass) -> bool {
        match pass {
            ProjectPass::Exact => self.project == o.project,
            ProjectPass::Normalised => {
                !self.project_key.is_empty() && self.project_key == o.project_key
            }
        }
    }
}

/// Pairs the tables of two workbooks (or folders) last year → this year, by
/// template (never across templates), department and project
/// ([`Table::project`]), whatever the files and sheets are called. Passes,
/// each over the tables not paired yet, this year's in order, last year's
/// candidates in order: departments the same (or both unknown), then the same
/// or one unknown, then any department (a department renamed: only for a
/// non-empty project, and only where each side holds the tables of one
/// department); within each, projects the same text, then the same
/// [`project_key`]. Then, at the same three levels of department, a renamed
/// project by similarity, only when unambiguous ([`MIN_PROJECT_SIMILARITY`]).
/// Last, a template with exactly one table on each side pairs them whatever
/// they say (`jixiao diff A B`; the [`pair_warnings`] then say what looks
/// wrong).
///
/// Gives the pairs in this year's order, a table found this year only as
/// `(None, Some(c))`, then the tables found last year only, in their order, as
/// `(Some(p), None)`.
///
/// # Examples
///
/// The three project tables of each bundled year pair by project, one
/// project new in 2024 and one not continued:
///
/// ```
/// use jixiao::{pair_tables, read_workbook, ReadOptions, Template};
/// use std::path::Path;
///
/// let templates = Template::builtins();
/// let opts = ReadOptions { sheet: None, templates: &templates };
/// let last = read_workbook(Path::new("examples/linyi-education-projects-2023.xlsx"), &opts)?.tables;
/// let this = read_workbook(Path::new("examples/linyi-education-projects-2024.xlsx"), &opts)?.tables;
/// let pairs = pair_tables(&last, &this);
/// let both = pairs.iter().filter(|(p, c)| p.is_some() && c.is_some()).count();
/// assert_eq!(both + pairs.iter().filter(|(p, _)| p.is_none()).count(), this.len());
/// for (p, c) in pairs.iter().filter_map(|&(p, c)| Some((p?, c?))) {
///     assert_eq!(last[p].project(), this[c].project());
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn pair_tables(prior: &[Table], current: &[Table]) -> Vec<(Option<usize>, Option<usize>)> {
    let pk: Vec<PairKey> = prior.iter().map(PairKey::of).collect();
    let ck: Vec<PairKey> = current.iter().map(PairKey::of).collect();
    let mut p2c: Vec<Option<usize>> = vec![None; prior.len()];
    let mut c2p: Vec<Option<usize>> = vec![None; current.len()];
    // Across departments only where each side holds one department's tables of the template.
    let one_department = |template: &str| {
        let count = |keys: &[PairKey]| {
            let mut seen: Vec<&str> = Vec::new();
            for k in keys.iter().filter(|k| k.template == template) {
                if let Some(d) = k.department.as_deref() {
                    if !seen.contains(&d) {
                        seen.push(d);
                    }
                }
            }
            seen.len()
        };
        count(&pk) <= 1 && count(&ck) <= 1
    };
    let depts = [DeptPass::Same, DeptPass::OneUnknown, DeptPass::Any];
    for dept in depts {
        for proj in [ProjectPass::Exact, ProjectPass::Normalised] {
            for (ci, c) in ck.iter().enumerate() {
                if c2p[ci].is_some()
                    || (dept == DeptPass::Any
                        && (c.project.is_empty() || !one_department(&c.template)))
                {
                    continue;
                }
                let found = (0..pk.len()).find(|&pi| {
                    p2c[pi].is_none()
                        && pk[pi].template == c.template
                        && pk[pi].departments(c, dept)
                        && pk[pi].projects(c, proj)
                });
                if let Some(pi) = found {
                    p2c[pi] = Some(ci);
                    c2p[ci] = Some(pi);
                }
            }
        }
    }
    for dept in depts {
        pair_similar(&pk, &ck, dept, &one_department, &mut p2c, &mut c2p);
    }
    // A lone table of a template on each side.
    for (ci, c) in ck.iter().enumerate() {
        if c2p[ci].is_some() || ck.iter().filter(|o| o.template == c.template).count() != 1 {
            continue;
        }
        let same: Vec<usize> = (0..pk.len())
            .filter(|&pi| pk[pi].template == c.template)
            .collect();
        if let [pi] = same[..] {
            if p2c[pi].is_none() {
                p2c[pi] = Some(ci);
                c2p[ci] = Some(pi);
            }
        }
    }
    let mut out: Vec<(Option<usize>, Option<usize>)> = c2p
        .iter()
        .enumerate()
        .map(|(ci, p)| (*p, Some(ci)))
        .collect();
    out.extend(
        p2c.iter()
            .enumerate()
            .filter(|(_, c)| c.is_none())
            .map(|(pi, _)| (Some(pi), None)),
    );
    out
}

/// Pairs renamed projects: a candidate pair is taken only when each is the
/// other's best, at least [`MIN_PROJECT_SIMILARITY`] similar, and no other
/// candidate of either comes within [`PROJECT_SIMILARITY_MARGIN`].
fn pair_similar(
    pk: &[PairKey],
    ck: &[PairKey],
    dept: DeptPass,
    one_department: &dyn Fn(&str) -> bool,
    p2c: &mut [Option<usize>],
    c2p: &mut [Option<usize>],
) {
    let free_p: Vec<usize> = (0..pk.len())
        .filter(|&i| p2c[i].is_none() && !pk[i].project_key.is_empty())
        .collect();
    let free_c: Vec<usize> = (0..ck.len())
        .filter(|&i| c2p[i].is_none() && !ck[i].project_key.is_empty())
        .collect();
    if free_p.is_empty() || free_c.is_empty() {
        return;
    }
    // scores[a][b]: current free_c[a] against prior free_p[b]; None: not comparable.
    let scores: Vec<Vec<Option<f64>>> = free_c
        .iter()
        .map(|&ci| {
            free_p
                .iter()
                .map(|&pi| {
                    let (p, c) = (&pk[pi], &ck[ci]);
                    (p.template == c.template
                        && p.departments(c, dept)
                        && (dept != DeptPass::Any || one_department(&c.template)))
                    .then(|| similarity(&p.project_key, &c.project_key))
                })
                .collect()
        })
        .collect();
    // The best and the runner-up of a row of scores.
    fn best(row: impl Iterator<Item = (usize, Option<f64>)>) -> Option<(usize, f64, f64)> {
        let mut top: Option<(usize, f64)> = None;
        let mut second = 0.0f64;
        for (i, s) in row {
            let Some(s) = s else { continue };
            match top {
                Some((_, t)) if s <= t => second = second.max(s),
                Some((_, t)) => {
                    second = second.max(t);
                    top = Some((i, s));
                }
                None => top = Some((i, s)),
            }
        }
        top.map(|(i, s)| (i, s, second))
    }
    let mut taken = Vec::new();
    for (a, row) in scores.iter().enumerate() {
        let Some((b, s, second)) = best(row.iter().copied().enumerate()) else {
            continue;
        };
        if s < MIN_PROJECT_SIMILARITY || s - second < PROJECT_SIMILARITY_MARGIN {
            continue;
        }
        let column = scores.iter().map(|r| r[b]).enumerate();
        match best(column) {
            Some((back, _, second)) if back == a && s - second >= PROJECT_SIMILARITY_MARGIN => {
                taken.push((free_p[b], free_c[a]));
            }
            _ => {}
        }
    }
    for (pi, ci) in taken {
        p2c[pi] = Some(ci);
        c2p[ci] = Some(pi);
    }
}

/// Why a pair of tables looks wrong, one line each in Chinese (cli.md):
/// the tables are of two templates, last year's table is not of an earlier
/// year, the departments differ, or both are the same file. Empty when it looks right (or cannot be told: a
/// year or department unknown).
pub fn pair_warnings(prior: &Table, current: &Table) -> Vec<String> {
    let mut out = Vec::new();
    if prior.template != current.template {
        out.push(format!(
            "两张表不是同一种表（上年为 {}，本年为 {}），无法逐项对比",
            prior.template, current.template
        ));
    }
    if let (Some(a), Some(b)) = (prior.year, current.year) {
        if a >= b {
            out.push(format!(
                "上年的表是{a}年的，不早于本年的表（{b}年）：请确认两个文件的先后顺序"
            ));
        }
    }
    let dept = |t: &Table| {
        t.department
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string)
    };
    if let (Some(a), Some(b)) = (dept(prior), dept(current)) {
        if !same_key(&a, &b) {
            out.push(format!("两张表的部门不同：上年为“{a}”，本年为“{b}”"));
        }
    }
    let path = prior.source.path.trim();
    if !path.is_empty() && path == current.source.path.trim() {
        out.push(format!("上年和本年是同一个文件：{path}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_tokens_are_one_token() {
        assert_eq!(
            year_key("国际交流与合作办学2022年继续招生计划人次"),
            year_key("国际交流与合作办学2023年继续招生计划人次")
        );
        assert_ne!(year_key("12023人"), year_key("12022人"));
        assert_ne!(year_key("3000人"), year_key("3001人"));
        assert_eq!(year_key("2019"), YEAR_TOKEN.to_string());
    }

    #[test]
    fn project_keys_ignore_years_brackets_and_punctuation() {
        assert_eq!(project_key("校园安全（2024年）"), project_key("校园安全"));
        assert_eq!(project_key("2023年度 校园安全，一期"), "校园安全一期");
        assert_ne!(project_key("校园安全一期"), project_key("校园安全二期"));
        assert_eq!(project_key("（）"), "");
    }

    #[test]
    fn text_key_ignores_formatting_only() {
        assert_eq!(text_key(" １个\n"), "1个");
        assert_eq!(text_key("内部\n统计"), text_key("内部统计"));
        assert_ne!(text_key("90%"), text_key("90.00%"));
        assert_ne!(text_key("，"), text_key(","));
    }

    #[test]
    fn round_sig_removes_float_noise() {
        assert_eq!(round_sig(92.01 - 90.42), 1.59);
        assert_eq!(round_sig(10000.000000000002), 10000.0);
        assert_eq!(round_sig(-0.0), 0.0);
        assert_eq!(round_sig(1e-12), 1e-12);
        assert_eq!(round_sig(123456789012345.0), 123456789000000.0);
    }

    #[test]
    fn delta_needs_the_same_unit() {
        let q = |n: f64, u: &str| Quantity {
            cmp: None,
            number: n,
            unit: u.into(),
        };
        let d = delta(&q(100000.0, "人次"), &q(110000.0, "人次")).unwrap();
        assert_eq!(d.number, 10000.0);
        assert_eq!(d.percent, Some(10.0));
        assert_eq!(delta(&q(0.0, "个"), &q(2.0, "个")).unwrap().percent, None);
        assert!(delta(&q(1.0, "人"), &q(1.0, "人次")).is_none());
    }

    #[test]
    fn char_edits_rebuild_both_texts() {
        let e = char_edits("10万人次", "11万人次");
        assert_eq!(
            e,
            vec![
                Edit::Same("1".into()),
                Edit::Deleted("0".into()),
                Edit::Inserted("1".into()),
                Edit::Same("万人次".into()),
            ]
        );
        for (old, new) in [
            ("起草政策措施。", "起草全市政策措施，拟定规划。"),
            ("", "新"),
            ("旧", ""),
            ("同", "同"),
        ] {
            let e = char_edits(old, new);
            let side = |keep_deleted: bool| {
                e.iter()
                    .filter_map(|x| match x {
                        Edit::Same(t) => Some(t.as_str()),
                        Edit::Deleted(t) if keep_deleted => Some(t.as_str()),
                        Edit::Inserted(t) if !keep_deleted => Some(t.as_str()),
                        _ => None,
                    })
                    .collect::<String>()
            };
            assert_eq!(side(true), old);
            assert_eq!(side(false), new);
        }
        assert_eq!(
            serde_json::to_string(&Edit::Inserted("新".into())).unwrap(),
            r#"{"op":"inserted","text":"新"}"#
        );
    }

    #[test]
    fn long_texts_are_shown_around_their_edit() {
        let old = "1.开展“互联网+教师专业发展”工程，组织开展网络研修。\n2.组织开展乡村教师骨干教师培训。\n5.组织开展思政教师培训。";
        let new = format!("{old}\n6.扎实开展“三名工程”人选培养。");
        assert_eq!(
            excerpts(old, &new),
            (
                "…5.组织开展思政教师培训。".to_string(),
                "…5.组织开展思政教师培训。 6.扎实开展“三名工程”人选培养。".to_string()
            )
        );
        let (a, b) = excerpts(
            &format!("{}甲{}", "前".repeat(50), "后".repeat(50)),
            &format!("{}乙{}", "前".repeat(50), "后".repeat(50)),
        );
        assert_eq!(a, format!("…{}甲{}…", "前".repeat(8), "后".repeat(8)));
        assert_eq!(b, format!("…{}乙{}…", "前".repeat(8), "后".repeat(8)));
        assert_eq!(
            excerpts("", "1个"),
            ("（空）".to_string(), "1个".to_string())
        );
        let long = "长".repeat(100);
        let (a, b) = excerpts("", &long);
        assert_eq!(a, "（空）");
        assert_eq!(b.chars().count(), EXCERPT_MAX + 1);
    }

    #[test]
    fn similarity_counts_common_characters() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(similarity(&c("abc"), &c("abc")), 1.0);
        assert_eq!(similarity(&c(""), &c("abc")), 0.0);
        assert!(
            (similarity(&c("学前教育普及率"), &c("义务教育普及率")) - 10.0 / 14.0).abs() < 1e-6
        );
    }
}
