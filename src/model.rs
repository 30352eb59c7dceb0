//! The canonical model of one performance target table and its JSON form (spec/model.md); no I/O.
//!
//! Everything downstream of the reader (validation, diff, templates, re-styled
//! output) works on these types, never on raw cells. The JSON field names are a
//! contract: add fields freely, never rename or drop one.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// The `schema` value of a table's JSON.
pub const TABLE_SCHEMA: &str = "jixiao.table/1";

/// One table read from one sheet of one workbook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Always [`TABLE_SCHEMA`].
    pub schema: String,
    /// The template id, e.g. `dept-overall`.
    pub template: String,
    /// The title as written (cleaned), `""` when the sheet has none.
    pub title: String,
    /// From the title, or from a unit line; `None` when neither says.
    pub year: Option<i32>,
    /// From the title, or from a unit line such as `填报单位：…`.
    pub department: Option<String>,
    /// Where the table was read from.
    pub source: Source,
    /// The 职责序号 groups, in sheet order.
    pub duties: Vec<Duty>,
    /// Every non-empty cell that is not part of the title, header or data rows.
    pub extras: Vec<Extra>,
}

/// Where a table was read from. Row numbers are 1-based, as Excel shows them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Source {
    pub path: String,
    pub sheet: String,
    /// The container format found by content: `xlsx`, `xlsm`, `xls`, `xlsb` or `ods`.
    pub format: String,
    /// First and last row of the (first) header block.
    pub header_rows: [u32; 2],
    /// First and last data row; `None` for a table with no indicator rows.
    pub data_rows: Option<[u32; 2]>,
    /// Column letter of each field in the input, keyed by [`Field::key`]
    /// (`{"seq": "A", ..., "activities": "M"}`); with a row, it gives the A1
    /// address of any value. Fields the header lacks are absent.
    #[serde(default)]
    pub columns: IndexMap<String, String>,
    /// The header text found over each field's column (its leaf label joined
    /// with its group labels by ` › `), keyed like `columns`; what
    /// `header_mismatch` quotes.
    #[serde(default)]
    pub header_labels: IndexMap<String, String>,
}

/// A 职责序号: a number where the cell holds one, else the text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Seq {
    Number(u32),
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

    /// The number, if this 职责序号 is one.
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

/// One 职责序号 group: a duty and its indicator rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Duty {
    pub seq: Seq,
    /// 部门职责. A merged 部门职责 spanning several groups is copied into each.
    pub name: String,
    /// 职责目标.
    pub objective: String,
    /// First and last row of the group in the input.
    pub rows: [u32; 2],
    pub indicators: Vec<Indicator>,
}

/// One data row: one 绩效指标 with its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Indicator {
    pub name: String,
    pub explanation: String,
    pub annual_value: String,
    pub planned_value: String,
    pub standard_value: String,
    pub standard_source: String,
    pub history_avg3: String,
    pub history_last: String,
    pub history_source: String,
    pub activities: String,
    /// The row in the input (1-based).
    pub row: u32,
    /// For each non-empty value field, what its text reads as (see [`Parsed`]).
    #[serde(default)]
    pub parsed: IndexMap<String, Parsed>,
}

impl Indicator {
    /// The text of an indicator-level field; `None` for the duty-level fields.
    pub fn get(&self, field: Field) -> Option<&str> {
        Some(match field {
            Field::Name => &self.name,
            Field::Explanation => &self.explanation,
            Field::AnnualValue => &self.annual_value,
            Field::PlannedValue => &self.planned_value,
            Field::StandardValue => &self.standard_value,
            Field::StandardSource => &self.standard_source,
            Field::HistoryAvg3 => &self.history_avg3,
            Field::HistoryLast => &self.history_last,
            Field::HistorySource => &self.history_source,
            Field::Activities => &self.activities,
            Field::Seq | Field::DutyName | Field::Objective => return None,
        })
    }

    /// Mutable access to an indicator-level field; `None` for duty-level fields.
    pub fn get_mut(&mut self, field: Field) -> Option<&mut String> {
        Some(match field {
            Field::Name => &mut self.name,
            Field::Explanation => &mut self.explanation,
            Field::AnnualValue => &mut self.annual_value,
            Field::PlannedValue => &mut self.planned_value,
            Field::StandardValue => &mut self.standard_value,
            Field::StandardSource => &mut self.standard_source,
            Field::HistoryAvg3 => &mut self.history_avg3,
            Field::HistoryLast => &mut self.history_last,
            Field::HistorySource => &mut self.history_source,
            Field::Activities => &mut self.activities,
            Field::Seq | Field::DutyName | Field::Objective => return None,
        })
    }

    /// The parsed quantity of a value field, if its text reads as one.
    pub fn quantity(&self, field: Field) -> Option<&Quantity> {
        match self.parsed.get(field.key()) {
            Some(Parsed::Quantity(q)) => Some(q),
            _ => None,
        }
    }
}

/// The 13 leaf columns of the dept-overall table, in official order (A–M).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Seq,
    DutyName,
    Objective,
    Name,
    Explanation,
    AnnualValue,
    PlannedValue,
    StandardValue,
    StandardSource,
    HistoryAvg3,
    HistoryLast,
    HistorySource,
    Activities,
}

impl Field {
    /// All fields in official column order.
    pub const ALL: [Field; 13] = [
        Field::Seq,
        Field::DutyName,
        Field::Objective,
        Field::Name,
        Field::Explanation,
        Field::AnnualValue,
        Field::PlannedValue,
        Field::StandardValue,
        Field::StandardSource,
        Field::HistoryAvg3,
        Field::HistoryLast,
        Field::HistorySource,
        Field::Activities,
    ];

    /// The indicator-level fields (D–M).
    pub const INDICATOR: [Field; 10] = [
        Field::Name,
        Field::Explanation,
        Field::AnnualValue,
        Field::PlannedValue,
        Field::StandardValue,
        Field::StandardSource,
        Field::HistoryAvg3,
        Field::HistoryLast,
        Field::HistorySource,
        Field::Activities,
    ];

    /// The value fields whose text may read as a quantity.
    pub const VALUES: [Field; 5] = [
        Field::AnnualValue,
        Field::PlannedValue,
        Field::StandardValue,
        Field::HistoryAvg3,
        Field::HistoryLast,
    ];

    /// The key used in JSON and templates. Duty-level fields are `seq`,
    /// `duty_name` and `objective`; in a Change of a duty the field is reported
    /// as `"name"` (see [`Field::change_key`]).
    pub fn key(self) -> &'static str {
        match self {
            Field::Seq => "seq",
            Field::DutyName => "duty_name",
            Field::Objective => "objective",
            Field::Name => "name",
            Field::Explanation => "explanation",
            Field::AnnualValue => "annual_value",
            Field::PlannedValue => "planned_value",
            Field::StandardValue => "standard_value",
            Field::StandardSource => "standard_source",
            Field::HistoryAvg3 => "history_avg3",
            Field::HistoryLast => "history_last",
            Field::HistorySource => "history_source",
            Field::Activities => "activities",
        }
    }

    /// The key as a Change or finding reports it: the duty's own name is `"name"`.
    pub fn change_key(self) -> &'static str {
        match self {
            Field::DutyName => "name",
            f => f.key(),
        }
    }

    /// Parses a [`Field::key`].
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The short Chinese label a clerk knows the column by.
    pub fn label(self) -> &'static str {
        match self {
            Field::Seq => "职责序号",
            Field::DutyName => "部门职责",
            Field::Objective => "职责目标",
            Field::Name => "绩效指标",
            Field::Explanation => "指标解释",
            Field::AnnualValue => "年度指标值",
            Field::PlannedValue => "规划值",
            Field::StandardValue => "当年标准值",
            Field::StandardSource => "标准值来源",
            Field::HistoryAvg3 => "前三年均值",
            Field::HistoryLast => "上年值",
            Field::HistorySource => "历史值来源",
            Field::Activities => "工作活动",
        }
    }

    /// Column index (0-based, A = 0) in the official layout.
    pub fn official_col(self) -> u16 {
        Field::ALL.iter().position(|f| *f == self).unwrap_or(0) as u16
    }

    /// True for 职责序号, 部门职责 and 职责目标, which belong to a duty, not a row.
    pub fn is_duty_level(self) -> bool {
        matches!(self, Field::Seq | Field::DutyName | Field::Objective)
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
    Ge,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "=")]
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

/// A place in a model: a duty (index into `Table::duties`), optionally one of
/// its indicators (index into `Duty::indicators`), and a field. Validation
/// findings and diff changes carry one so writers can mark the cell they concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place {
    pub duty: usize,
    pub indicator: Option<usize>,
    pub field: Field,
}

/// A non-empty cell that is not part of the table: nothing is lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extra {
    pub sheet: String,
    /// A1 address in the input.
    pub cell: String,
    pub text: String,
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

impl Table {
    /// An empty table of a template, for building models in code.
    pub fn new(template: &str) -> Table {
        Table {
            schema: TABLE_SCHEMA.to_string(),
            template: template.to_string(),
            title: String::new(),
            year: None,
            department: None,
            source: Source::default(),
            duties: Vec::new(),
            extras: Vec::new(),
        }
    }

    /// Every indicator with its duty, in sheet order.
    pub fn indicators(&self) -> impl Iterator<Item = (&Duty, &Indicator)> {
        self.duties
            .iter()
            .flat_map(|d| d.indicators.iter().map(move |i| (d, i)))
    }

    /// The A1 address in the input of `field` on `row`, if the header had that column.
    pub fn cell_of(&self, field: Field, row: u32) -> Option<String> {
        let letters = self.source.columns.get(field.key())?;
        Some(format!("{letters}{row}"))
    }

    /// Next year's table rolled forward from this one: duties, indicator names,
    /// explanations, sources and activities kept; this year's values
    /// (年度指标值, 规划值, 当年标准值, 前三年均值, 上年值) emptied; title, year and
    /// department set; extras dropped (they belonged to last year's file).
    pub fn roll_forward(&self, year: i32, department: &str, title: String) -> Table {
        let mut t = self.clone();
        t.title = title;
        t.year = Some(year);
        t.department = Some(department.to_string());
        t.extras.clear();
        for d in &mut t.duties {
            for i in &mut d.indicators {
                for f in Field::VALUES {
                    if let Some(v) = i.get_mut(f) {
                        v.clear();
                    }
                }
                i.parsed.clear();
            }
        }
        t
    }

    /// The official title for a year and department.
    pub fn official_title(year: i32, department: &str) -> String {
        format!("{year}年{department}部门预算整体绩效目标表")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn roll_forward_keeps_texts_and_empties_values() {
        let mut t = Table::new("dept-overall");
        t.year = Some(2022);
        t.duties.push(Duty {
            seq: Seq::Number(1),
            name: "职责".into(),
            objective: "目标".into(),
            rows: [6, 6],
            indicators: vec![Indicator {
                name: "完成率".into(),
                explanation: "解释".into(),
                annual_value: "85%".into(),
                planned_value: "/".into(),
                standard_value: "85%".into(),
                standard_source: "工作计划".into(),
                history_avg3: "80%".into(),
                history_last: "80%".into(),
                history_source: "内部统计".into(),
                activities: "活动".into(),
                row: 6,
                parsed: IndexMap::new(),
            }],
        });
        let r = t.roll_forward(2023, "局", "新标题".into());
        assert_eq!(r.year, Some(2023));
        assert_eq!(r.title, "新标题");
        let i = &r.duties[0].indicators[0];
        assert_eq!(
            (i.name.as_str(), i.explanation.as_str()),
            ("完成率", "解释")
        );
        assert_eq!(
            (i.standard_source.as_str(), i.history_source.as_str()),
            ("工作计划", "内部统计")
        );
        assert_eq!(i.activities, "活动");
        for f in Field::VALUES {
            assert_eq!(i.get(f), Some(""), "{f:?}");
        }
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
