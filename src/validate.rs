//! Checks a table against the rules of spec/rules.md: a model in, findings out (pure).
//!
//! Every rule reads the model's cleaned text (spec/model.md) and the parsed
//! values the reader filled in, never raw cells, so white space, full-width
//! digits or a percentage stored as a number never raise a finding by
//! themselves. The rules are driven by the template: which fields are required
//! (and how seriously) comes from each header leaf's `required`, the name
//! patterns from its `[rules]` section.
//!
//! | code | severity | where |
//! |---|---|---|
//! | `header_mismatch` | error | header cell (first header row) where a column was expected / found |
//! | `missing_value` | from the template leaf | the empty cell (duty-level: the duty's first row) |
//! | `duplicate_indicator` | error | 绩效指标 cell of the second occurrence |
//! | `percent_out_of_range` | error | the value cell |
//! | `unit_mismatch` | warning | the 当年标准值 / 上年值 cell compared with 年度指标值 |
//! | `target_below_history` | warning | the 年度指标值 cell |
//! | `seq_gap` | warning | 职责序号 cell of the first offending duty |
//! | `unparsed_value` | warning | the value cell |
//! | `unmapped_content` | warning | the stray cell |
//! | `stale_target` | warning (only with a prior table) | the 年度指标值 cell |

use crate::model::{
    col_index, col_letters, Cmp, Duty, ExtraKind, Field, Indicator, Parsed, Place, Seq, Table,
};
use crate::quantity::compare;
use crate::template::{Leaf, Required, Template};
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt::Write as _;

/// The `schema` value of the validation JSON.
pub const VALIDATION_SCHEMA: &str = "jixiao.validation/1";

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
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

/// One finding at one input cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A rule code of spec/rules.md (`missing_value`, …).
    pub code: String,
    pub sheet: String,
    /// A1 address in the input.
    pub cell: String,
    pub duty: Option<Seq>,
    pub indicator: Option<String>,
    /// The model field (`annual_value`; `name` for a duty's 部门职责 is `duty_name`).
    pub field: Option<String>,
    /// In Chinese, for the person who fixes the file.
    pub message: String,
    /// Where in the model the finding sits, for writers that mark cells.
    #[serde(skip)]
    pub place: Option<Place>,
}

/// The validation JSON (spec/model.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub schema: String,
    pub path: String,
    pub errors: usize,
    pub warnings: usize,
    pub issues: Vec<Finding>,
}

impl Report {
    /// True when the table cannot be accepted as submitted (at least one error).
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }
}

/// Rule codes (spec/rules.md); a contract, matched on by scripts.
pub mod codes {
    pub const HEADER_MISMATCH: &str = "header_mismatch";
    pub const MISSING_VALUE: &str = "missing_value";
    pub const DUPLICATE_INDICATOR: &str = "duplicate_indicator";
    pub const PERCENT_OUT_OF_RANGE: &str = "percent_out_of_range";
    pub const UNIT_MISMATCH: &str = "unit_mismatch";
    pub const TARGET_BELOW_HISTORY: &str = "target_below_history";
    pub const SEQ_GAP: &str = "seq_gap";
    pub const UNPARSED_VALUE: &str = "unparsed_value";
    pub const UNMAPPED_CONTENT: &str = "unmapped_content";
    pub const STALE_TARGET: &str = "stale_target";
}

/// Checks `table`; `prior` (last year's table) enables `stale_target`.
///
/// Findings are ordered by input row, then column (rules keep their order on
/// one cell); `errors` and `warnings` count them.
pub fn validate(table: &Table, template: &Template, prior: Option<&Table>) -> Report {
    let mut c = Checker {
        table,
        template,
        out: Vec::new(),
    };
    c.header();
    c.missing_values();
    c.duplicates();
    c.percent_range();
    c.unit_mismatch();
    c.target_below_history();
    c.seq_gap();
    c.unparsed();
    c.unmapped();
    if let Some(prior) = prior {
        c.stale_target(prior);
    }
    let mut issues = c.out;
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

/// The report for a person: grouped by duty (header and stray content first),
/// errors before warnings inside a group, one line per finding
/// (`错误 F12 职责3 教育综合督导完成率：年度指标值为空`), and a last line with the counts.
pub fn render_text(report: &Report, table: &Table) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", display_path(report, table));
    // Groups: None (not in a duty) first, then duties in table order.
    let mut groups: Vec<(Option<usize>, Vec<&Finding>)> = Vec::new();
    for f in &report.issues {
        let key = f.place.map(|p| p.duty).or_else(|| {
            f.duty
                .as_ref()
                .and_then(|s| table.duties.iter().position(|d| &d.seq == s))
        });
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(f),
            None => groups.push((key, vec![f])),
        }
    }
    groups.sort_by_key(|(k, _)| k.map_or(0, |i| i + 1));
    for (key, mut findings) in groups {
        findings.sort_by_key(|f| f.severity);
        let heading = match key.and_then(|i| table.duties.get(i)) {
            Some(d) if d.name.is_empty() => format!("职责{}", d.seq),
            Some(d) => format!("职责{} {}", d.seq, one_line(&d.name, 30)),
            None => "表头与表外内容".to_string(),
        };
        let _ = writeln!(out, "\n{heading}");
        for f in findings {
            let mut line = format!("  {} {}", f.severity.label(), f.cell);
            if let Some(seq) = &f.duty {
                let _ = write!(line, " 职责{seq}");
            }
            if let Some(name) = f.indicator.as_deref().filter(|n| !n.is_empty()) {
                let _ = write!(line, " {}", one_line(name, 40));
            }
            let _ = writeln!(out, "{line}：{}", f.message);
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

fn display_path(report: &Report, table: &Table) -> String {
    let mut s = format!("校验：{}", report.path);
    if !table.source.sheet.is_empty() {
        let _ = write!(s, "（工作表“{}”）", table.source.sheet);
    }
    s
}

struct Checker<'a> {
    table: &'a Table,
    template: &'a Template,
    out: Vec<Finding>,
}

impl<'a> Checker<'a> {
    /// A finding on a cell of the table: a duty-level field at the duty's
    /// first row, an indicator field at the indicator's row.
    fn at(
        &mut self,
        severity: Severity,
        code: &str,
        duty_ix: usize,
        ind_ix: Option<usize>,
        field: Field,
        message: String,
    ) {
        let duty = &self.table.duties[duty_ix];
        let ind = ind_ix.and_then(|i| duty.indicators.get(i));
        let row = match ind {
            Some(i) if !field.is_duty_level() => i.row,
            _ => duty.rows[0],
        };
        let cell = self
            .table
            .cell_of(field, row)
            .unwrap_or_else(|| format!("{}{row}", col_letters(field.official_col() as u32)));
        self.out.push(Finding {
            severity,
            code: code.to_string(),
            sheet: self.table.source.sheet.clone(),
            cell,
            duty: Some(duty.seq.clone()).filter(|s| !s.to_string().trim().is_empty()),
            indicator: ind
                .map(|i| i.name.trim().to_string())
                .filter(|n| !n.is_empty()),
            field: Some(field.key().to_string()),
            message,
            place: Some(Place {
                duty: duty_ix,
                indicator: if field.is_duty_level() { None } else { ind_ix },
                field,
            }),
        });
    }

    /// Each indicator with its duty and their indexes.
    fn each(&self) -> Vec<(usize, usize, &'a Duty, &'a Indicator)> {
        let t: &'a Table = self.table;
        t.duties
            .iter()
            .enumerate()
            .flat_map(|(di, d)| {
                d.indicators
                    .iter()
                    .enumerate()
                    .map(move |(ii, i)| (di, ii, d, i))
            })
            .collect()
    }

    /// `header_mismatch`: a template leaf missing from the header, or leaves out
    /// of the template's order. Leaves in order are those of the longest run
    /// increasing in input column; every other leaf is reported where it was
    /// found, so swapping two columns or moving one gives one finding.
    fn header(&mut self) {
        let src = &self.table.source;
        if src.columns.is_empty() {
            // No header recorded (a model built in code, or JSON without
            // `columns`): nothing to compare. A reader never yields this, since a
            // sheet without a recognisable header is no table at all.
            return;
        }
        let header_row = src.header_rows[0].max(1);
        let leaves = self.template.leaves();
        let found: Vec<Option<u32>> = leaves
            .iter()
            .map(|l| src.columns.get(l.field.key()).and_then(|c| col_index(c)))
            .collect();
        let label_at = |col: u32| -> Option<String> {
            let letters = col_letters(col);
            src.columns
                .iter()
                .find(|(_, c)| **c == letters)
                .map(|(k, _)| {
                    src.header_labels.get(k).cloned().unwrap_or_else(|| {
                        Field::from_key(k).map_or(k.clone(), |f| f.label().to_string())
                    })
                })
        };
        // Missing leaves.
        for (i, leaf) in leaves.iter().enumerate() {
            if found[i].is_some() {
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
            self.header_finding(
                col,
                header_row,
                leaf,
                format!(
                    "表头缺少“{}”列（按模板应在 {} 列，{there}）",
                    leaf_text(leaf),
                    col_letters(col)
                ),
            );
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
                .find(|l| src.columns.contains_key(l.field.key()));
            let expected = match prev {
                Some(p) => format!("按模板应在“{}”列之后", p.field.label()),
                None => "按模板应在最前".to_string(),
            };
            let found_text = src
                .header_labels
                .get(leaf.field.key())
                .map(|l| short_label(l))
                .unwrap_or_else(|| leaf.field.label().to_string());
            self.header_finding(
                col,
                header_row,
                leaf,
                format!(
                    "表头列顺序与模板不符：“{}”列{expected}，实际在 {} 列（表头为“{found_text}”）",
                    leaf_text(leaf),
                    col_letters(col)
                ),
            );
        }
    }

    fn header_finding(&mut self, col: u32, row: u32, leaf: &Leaf<'_>, message: String) {
        self.out.push(Finding {
            severity: Severity::Error,
            code: codes::HEADER_MISMATCH.into(),
            sheet: self.table.source.sheet.clone(),
            cell: format!("{}{row}", col_letters(col)),
            duty: None,
            indicator: None,
            field: Some(leaf.field.key().to_string()),
            message,
            place: None,
        });
    }

    /// `missing_value`: every template leaf with `required` whose column the
    /// header has (a column the header lacks is a `header_mismatch` instead;
    /// with no header recorded at all, every leaf is checked, at its official
    /// column).
    /// Duty-level fields are checked once per duty.
    fn missing_values(&mut self) {
        let required: Vec<(Field, Severity)> = self
            .template
            .leaves()
            .iter()
            .filter_map(|l| l.column.required.map(|r| (l.field, Severity::from(r))))
            .filter(|(f, _)| {
                let cols = &self.table.source.columns;
                cols.is_empty() || cols.contains_key(f.key())
            })
            .collect();
        for (di, duty) in self.table.duties.iter().enumerate() {
            for &(field, sev) in required.iter().filter(|(f, _)| f.is_duty_level()) {
                let empty = match field {
                    Field::Seq => duty.seq.to_string().trim().is_empty(),
                    Field::DutyName => duty.name.trim().is_empty(),
                    Field::Objective => duty.objective.trim().is_empty(),
                    _ => false,
                };
                if empty {
                    self.at(
                        sev,
                        codes::MISSING_VALUE,
                        di,
                        None,
                        field,
                        format!("{}为空", field.label()),
                    );
                }
            }
            for (ii, ind) in duty.indicators.iter().enumerate() {
                for &(field, sev) in required.iter().filter(|(f, _)| !f.is_duty_level()) {
                    if ind.get(field).is_some_and(|v| v.trim().is_empty()) {
                        self.at(
                            sev,
                            codes::MISSING_VALUE,
                            di,
                            Some(ii),
                            field,
                            format!("{}为空", field.label()),
                        );
                    }
                }
            }
        }
    }

    /// `duplicate_indicator`: the same cleaned 绩效指标 twice in one duty,
    /// reported at the second occurrence.
    fn duplicates(&mut self) {
        for (di, duty) in self.table.duties.iter().enumerate() {
            let mut seen: HashMap<std::borrow::Cow<'_, str>, u32> = HashMap::new();
            for (ii, ind) in duty.indicators.iter().enumerate() {
                let key = norm_cow(&ind.name);
                if key.is_empty() {
                    continue;
                }
                if let Some(first_row) = seen.get(&key) {
                    let msg = format!(
                        "绩效指标“{}”在职责{}中重复（第 {first_row} 行已有同名指标），同一职责下每个指标只应填写一行",
                        ind.name.trim(),
                        duty.seq
                    );
                    self.at(
                        Severity::Error,
                        codes::DUPLICATE_INDICATOR,
                        di,
                        Some(ii),
                        Field::Name,
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
        let n = norm_cow(name);
        let r = &self.template.rules;
        r.bounded_rate_suffixes
            .iter()
            .any(|s| n.ends_with(s.as_str()))
            && !r.growth_rate_words.iter().any(|w| n.contains(w.as_str()))
    }

    /// `percent_out_of_range`: a `%` quantity above 100 or below 0 in any value
    /// field of a bounded rate.
    fn percent_range(&mut self) {
        for (di, ii, _, ind) in self.each() {
            if !self.is_bounded_rate(&ind.name) {
                continue;
            }
            for field in Field::VALUES {
                let Some(q) = ind.quantity(field) else {
                    continue;
                };
                if q.unit.trim() == "%" && (q.number > 100.0 || q.number < 0.0) {
                    let msg = format!(
                        "“{}”的{} {} 超出 0–100%（比率不能大于 100% 或小于 0）",
                        ind.name.trim(),
                        field.label(),
                        text_of(ind, field)
                    );
                    self.at(
                        Severity::Error,
                        codes::PERCENT_OUT_OF_RANGE,
                        di,
                        Some(ii),
                        field,
                        msg,
                    );
                }
            }
        }
    }

    /// `unit_mismatch`: 年度指标值 and 当年标准值 (or 上年值) both quantities with
    /// different units, reported at the 当年标准值 / 上年值 cell. A bare number
    /// (no unit) is not compared: it cannot say which unit it meant.
    fn unit_mismatch(&mut self) {
        for (di, ii, _, ind) in self.each() {
            let Some(a) = ind.quantity(Field::AnnualValue) else {
                continue;
            };
            for field in [Field::StandardValue, Field::HistoryLast] {
                let Some(b) = ind.quantity(field) else {
                    continue;
                };
                let (ua, ub) = (a.unit.trim(), b.unit.trim());
                if ua.is_empty() || ub.is_empty() || ua == ub {
                    continue;
                }
                let msg = format!(
                    "{} {}（单位“{ub}”）与年度指标值 {}（单位“{ua}”）单位不一致",
                    field.label(),
                    text_of(ind, field),
                    text_of(ind, Field::AnnualValue)
                );
                self.at(
                    Severity::Warning,
                    codes::UNIT_MISMATCH,
                    di,
                    Some(ii),
                    field,
                    msg,
                );
            }
        }
    }

    /// `target_below_history`: 年度指标值 a quantity lower than 上年值 in the
    /// same unit. Not for lower-is-better names (`[rules] lower_is_better`),
    /// for targets written as a ceiling (`≤30天`), nor for units in
    /// `[rules] target_below_history_skip_units` (`%`: a rate target is a floor
    /// standard, and last year's actual above it is normal).
    fn target_below_history(&mut self) {
        let rules = &self.template.rules;
        let lower: Vec<regex::Regex> = rules
            .lower_is_better
            .iter()
            .filter_map(|r| crate::read::clean::cached_regex(r))
            .collect();
        for (di, ii, _, ind) in self.each() {
            let (Some(a), Some(b)) = (
                ind.quantity(Field::AnnualValue),
                ind.quantity(Field::HistoryLast),
            ) else {
                continue;
            };
            if rules
                .target_below_history_skip_units
                .iter()
                .any(|u| u.trim() == a.unit.trim())
            {
                continue;
            }
            if matches!(a.cmp, Some(Cmp::Le) | Some(Cmp::Lt)) {
                continue;
            }
            let name = norm_cow(&ind.name);
            if lower.iter().any(|r| r.is_match(&name)) {
                continue;
            }
            if compare(a, b) == Some(Ordering::Less) {
                let msg = format!(
                    "“{}”的年度指标值 {} 低于上年值 {}，请确认目标是否定得过低",
                    ind.name.trim(),
                    text_of(ind, Field::AnnualValue),
                    text_of(ind, Field::HistoryLast)
                );
                self.at(
                    Severity::Warning,
                    codes::TARGET_BELOW_HISTORY,
                    di,
                    Some(ii),
                    Field::AnnualValue,
                    msg,
                );
            }
        }
    }

    /// `seq_gap`: 职责序号 are numbers but not 1, 2, 3, … in order; reported once,
    /// at the first duty whose number is not its position. Runs only when every
    /// non-empty 职责序号 is a number (an empty one is a `missing_value`).
    fn seq_gap(&mut self) {
        let duties = &self.table.duties;
        let any_text = duties
            .iter()
            .any(|d| matches!(&d.seq, Seq::Text(t) if !t.trim().is_empty()));
        if any_text {
            return;
        }
        for (di, d) in duties.iter().enumerate() {
            let expected = di as u32 + 1;
            if let Seq::Number(n) = d.seq {
                if n != expected {
                    let prev = di
                        .checked_sub(1)
                        .map(|p| format!("，上一项为 {}", duties[p].seq))
                        .unwrap_or_default();
                    let msg = format!(
                        "职责序号 {n} 不连续：此处应为 {expected}{prev}（职责序号应从 1 开始依次编号）"
                    );
                    self.at(Severity::Warning, codes::SEQ_GAP, di, None, Field::Seq, msg);
                    return;
                }
            }
        }
    }

    /// `unparsed_value`: a value field the reader could not read as a quantity,
    /// `/`, a qualitative or a compound target.
    fn unparsed(&mut self) {
        for (di, ii, _, ind) in self.each() {
            for field in Field::VALUES {
                if matches!(ind.parsed.get(field.key()), Some(Parsed::Unparsed)) {
                    let msg = format!(
                        "{}“{}”无法识别为数值、“/”或定性目标（应填写如 85%、11万人次、≥95%、基本实现，不适用填 /）",
                        field.label(),
                        one_line(text_of(ind, field), 40)
                    );
                    self.at(
                        Severity::Warning,
                        codes::UNPARSED_VALUE,
                        di,
                        Some(ii),
                        field,
                        msg,
                    );
                }
            }
        }
    }

    /// `unmapped_content`: each stray cell the reader kept as an Extra.
    fn unmapped(&mut self) {
        for e in &self.table.extras {
            if e.kind != ExtraKind::Stray {
                continue;
            }
            self.out.push(Finding {
                severity: Severity::Warning,
                code: codes::UNMAPPED_CONTENT.into(),
                sheet: if e.sheet.is_empty() {
                    self.table.source.sheet.clone()
                } else {
                    e.sheet.clone()
                },
                cell: e.cell.clone(),
                duty: None,
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

    /// `stale_target` (only with last year's table): the 年度指标值 is identical
    /// to last year's 年度指标值 for the same indicator while 上年值 moved.
    ///
    /// Choices:
    /// - The same indicator is the one with the same 职责序号 and cleaned
    ///   绩效指标; failing that, the only indicator of last year's table with
    ///   that name (duties get renumbered); an ambiguous name matches nothing.
    /// - "Identical" is the same cleaned text, or the same quantity (comparator,
    ///   number and unit), so `90%` and `90.00%` are identical.
    /// - Only quantity targets are checked: a qualitative target (`基本实现`) or
    ///   `/` may legitimately stay the same every year.
    /// - "上年值 moved" means this year's 上年值 (last year's actual) differs
    ///   from last year's 上年值 (the year before's actual), both quantities in
    ///   the same unit (text such as `见附件` says nothing about a move): the
    ///   history changed yet the target did not, so it was likely copied
    ///   forward. When last year's actual did not move either, an unchanged
    ///   target is plausible and not reported.
    fn stale_target(&mut self, prior: &Table) {
        let mut by_seq_name: HashMap<(String, String), &Indicator> = HashMap::new();
        let mut by_name: HashMap<String, Vec<&Indicator>> = HashMap::new();
        for (d, i) in prior.indicators() {
            let n = norm(&i.name);
            if n.is_empty() {
                continue;
            }
            by_seq_name
                .entry((d.seq.to_string(), n.clone()))
                .or_insert(i);
            by_name.entry(n).or_default().push(i);
        }
        for (di, ii, duty, ind) in self.each() {
            let n = norm(&ind.name);
            if n.is_empty() {
                continue;
            }
            let old = by_seq_name
                .get(&(duty.seq.to_string(), n.clone()))
                .copied()
                .or_else(|| match by_name.get(&n).map(Vec::as_slice) {
                    Some([only]) => Some(*only),
                    _ => None,
                });
            let Some(old) = old else { continue };
            if ind.quantity(Field::AnnualValue).is_none() {
                continue;
            }
            if !same_value(ind, old, Field::AnnualValue) {
                continue;
            }
            let moved = match (
                ind.quantity(Field::HistoryLast),
                old.quantity(Field::HistoryLast),
            ) {
                (Some(now), Some(before)) => {
                    matches!(compare(now, before), Some(o) if o != Ordering::Equal)
                }
                _ => false,
            };
            if !moved {
                continue;
            }
            let (now_last, old_last) = (ind.history_last.trim(), old.history_last.trim());
            let msg = format!(
                "“{}”的年度指标值 {} 与上年目标相同，但上年值已由 {old_last} 变为 {now_last}，目标可能照抄了上年，请核实",
                ind.name.trim(),
                text_of(ind, Field::AnnualValue)
            );
            self.at(
                Severity::Warning,
                codes::STALE_TARGET,
                di,
                Some(ii),
                Field::AnnualValue,
                msg,
            );
        }
    }
}

/// The template's name of a leaf as a clerk knows it (`年度指标值`, `标准值来源`).
fn leaf_text(leaf: &Leaf<'_>) -> &'static str {
    leaf.field.label()
}

/// A value field's cleaned text (trimmed).
fn text_of(ind: &Indicator, field: Field) -> &str {
    ind.get(field).unwrap_or("").trim()
}

/// Two values of a field are the same: equal cleaned text, or equal quantities.
fn same_value(a: &Indicator, b: &Indicator, field: Field) -> bool {
    if norm_cow(text_of(a, field)) == norm_cow(text_of(b, field)) {
        return true;
    }
    match (a.quantity(field), b.quantity(field)) {
        (Some(x), Some(y)) => x.cmp == y.cmp && compare(x, y) == Some(Ordering::Equal),
        _ => false,
    }
}

/// Text compared as names: white space removed, full-width ASCII made half-width.
/// [`norm`], borrowed when the text is already its own normal form.
fn norm_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars()
        .any(|c| c.is_whitespace() || matches!(c, '\u{FF01}'..='\u{FF5E}'))
    {
        std::borrow::Cow::Owned(norm(s))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A found header label for a message: bracketed explanations dropped from
/// each level (`历史值（统计年鉴/…） › 上年值` → `历史值 › 上年值`).
fn short_label(label: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in label.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let out = one_line(&out, 40);
    if out.is_empty() {
        one_line(label, 40)
    } else {
        out
    }
}

/// One line of at most `max` characters, for quoting cell text in a message.
fn one_line(s: &str, max: usize) -> String {
    let flat: String = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .collect();
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
        assert_eq!(norm(" 教育 综合\n督导完成率 "), "教育综合督导完成率");
        assert_eq!(norm("Ａ１"), "A1");
        for s in [" 教育 综合\n督导完成率 ", "Ａ１", "完成率", "", "a b"] {
            assert_eq!(norm_cow(s), norm(s));
        }
    }
}
