//! Reads a table's form block (the labelled fields above its grid) by the template's labels.
//!
//! A form field is found by its label anywhere in the block's rows: the
//! template's `label` or one of its `aliases`, compared by [`label_key`]
//! (white space and line breaks, full-width characters, bracketed text) with
//! colons dropped and a `及…` tail tolerated (`主管部门` and `主管部门及代码` are
//! one label). Its value is what the row holds from the cell right after the
//! label's cell (or merged range) up to the next known label of the row. No
//! label text lives here; fields are told apart by their template settings
//! (`from_label`, `split_code`, `money`, `default`) and roles.

use super::grid::Grid;
use crate::model::{a1, Form, Role};
use crate::quantity::parse_money;
use crate::template::Template;
use crate::text::{cached_regex, is_close_bracket, is_open_bracket, label_key};
use indexmap::IndexMap;
use regex::Regex;
use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::sync::LazyLock;

/// What a form block holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormRead {
    /// Values by `template.shape().form` index; money parsed in 元.
    pub form: Form,
    /// Form field key → A1 address of its value cell, for the fields whose
    /// label the block has (in template order). A value cell that is empty
    /// still has its address; a field whose value rides on its label
    /// (`from_label`) or is split off another field (a code) has none.
    pub cells: IndexMap<String, String>,
    /// 0-based (row, col) of every non-empty grid cell consumed: labels and values.
    pub used: Vec<(u32, u32)>,
}

/// Cells longer than this are values, never labels (a cheap test before normalising).
const MAX_LABEL_BYTES: usize = 120;

/// The template's form labels in comparable form.
struct Labels {
    /// Normalised spelling → form field index (the first field wins).
    by_norm: HashMap<String, usize>,
}

/// A form label made comparable: its [`label_key`], colons dropped (`单位：`
/// and `单位` are one label). The block finder uses it too.
pub(crate) fn label_norm(s: &str) -> String {
    label_key(s).chars().filter(|&c| c != ':').collect()
}

/// The spellings a text may match by: its normal form, and the part before a
/// `及` (`主管部门及代码` → `主管部门`) when that part is at least two characters.
fn spellings(s: &str) -> Vec<String> {
    let n = label_norm(s);
    if n.is_empty() {
        return Vec::new();
    }
    let cut = n
        .find('及')
        .map(|i| n[..i].to_string())
        .filter(|c| c.chars().count() >= 2);
    let mut out = vec![n];
    out.extend(cut);
    out
}

impl Labels {
    fn new(tpl: &Template) -> Labels {
        let mut by_norm = HashMap::new();
        for (i, f) in tpl.form.iter().enumerate() {
            for text in std::iter::once(&f.label).chain(&f.aliases) {
                for s in spellings(text) {
                    by_norm.entry(s).or_insert(i);
                }
            }
        }
        Labels { by_norm }
    }

    /// The form field whose label `text` is, if any.
    fn field_of(&self, text: &str) -> Option<usize> {
        if text.len() > MAX_LABEL_BYTES {
            return None;
        }
        spellings(text)
            .iter()
            .find_map(|s| self.by_norm.get(s).copied())
    }
}

/// A label cell of a row.
struct LabelCell<'a> {
    col: u32,
    /// Last column of the label's merged range (`col` when unmerged).
    end: u32,
    field: usize,
    text: &'a str,
}

/// Reads the form block in `rows` (0-based grid rows, inclusive) of `grid`.
/// `unit_line` is the text of the table's unit line (`金额单位：元`), if it has
/// one: the template's `unit_line_regex` groups named like a `from_label`
/// field fill it when its label does not say.
///
/// Each field is read from its first label (rows top to bottom, cells left to
/// right); a repeated label still ends the value before it but is not
/// consumed (it stays an extra for a reviewer).
pub(crate) fn read_form(
    grid: &Grid,
    rows: RangeInclusive<u32>,
    tpl: &Template,
    unit_line: Option<&str>,
) -> FormRead {
    let n = tpl.form.len();
    let labels = Labels::new(tpl);
    let mut values = vec![String::new(); n];
    let mut addr: Vec<Option<String>> = vec![None; n];
    let mut found = vec![false; n];
    let mut used = Vec::new();

    for r in rows {
        let cells = grid.rows_between(r, r);
        let row_labels: Vec<LabelCell> = cells
            .iter()
            .filter_map(|c| {
                let field = labels.field_of(&c.text)?;
                Some(LabelCell {
                    col: c.col,
                    end: merge_end(grid, r, c.col),
                    field,
                    text: &c.text,
                })
            })
            .collect();
        for (k, label) in row_labels.iter().enumerate() {
            let f = label.field;
            if found[f] {
                continue;
            }
            found[f] = true;
            used.push((r, label.col));
            let spec = &tpl.form[f];
            if spec.from_label {
                if let Some(v) = bracket_text(label.text) {
                    values[f] = v;
                }
                continue;
            }
            let start = label.end.saturating_add(1);
            let next = row_labels.get(k + 1).map_or(u32::MAX, |l| l.col);
            if start >= next {
                // The next label follows at once: no value cell; the label is the place.
                addr[f] = Some(a1(label.col, r + 1));
                continue;
            }
            let span: Vec<_> = cells
                .iter()
                .filter(|c| c.col >= start && c.col < next)
                .collect();
            addr[f] = Some(a1(span.first().map_or(start, |c| c.col), r + 1));
            values[f] = span
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            used.extend(span.iter().map(|c| (r, c.col)));
        }
    }

    // What the unit line says, for the fields whose value rides on a label.
    if let (Some(line), Some(re)) = (unit_line, cached_regex(&tpl.unit_line_regex)) {
        if let Some(caps) = re.captures(line.trim()) {
            for (i, spec) in tpl.form.iter().enumerate() {
                if spec.from_label && values[i].is_empty() {
                    if let Some(m) = caps.name(&spec.field) {
                        values[i] = m.as_str().trim().to_string();
                    }
                }
            }
        }
    }
    for (i, spec) in tpl.form.iter().enumerate() {
        if values[i].is_empty() {
            if let Some(d) = &spec.default {
                values[i] = d.clone();
            }
        }
    }

    // A code written with a name goes to its own field.
    for (i, spec) in tpl.form.iter().enumerate() {
        let Some(code_key) = &spec.split_code else {
            continue;
        };
        let Some(c) = tpl.form.iter().position(|g| &g.field == code_key) else {
            continue;
        };
        if let Some((name, code)) = split_code(&values[i]) {
            values[i] = name;
            if values[c].is_empty() {
                values[c] = code;
            }
        }
    }

    let mut form = Form {
        values,
        parsed: Vec::new(),
    };
    let shape = tpl.shape();
    let money_unit = shape
        .form_role(Role::MoneyUnit)
        .map_or(String::new(), |i| form.text(i).to_string());
    for (i, spec) in tpl.form.iter().enumerate() {
        if spec.money {
            if let Some(p) = parse_money(form.text(i), &money_unit) {
                form.set_parsed(i, p);
            }
        }
    }

    let cells = tpl
        .form
        .iter()
        .zip(addr)
        .filter_map(|(spec, a)| Some((spec.field.clone(), a?)))
        .collect();
    FormRead { form, cells, used }
}

/// The last column of the merged range whose top-left cell is (`row`, `col`), or `col`.
fn merge_end(grid: &Grid, row: u32, col: u32) -> u32 {
    grid.merges
        .iter()
        .find(|m| m.c0 == col && m.r0 <= row && row <= m.r1)
        .map_or(col, |m| m.c1.max(col))
}

/// The bracketed part of a label (`项目资金（万元）` → `万元`): after a colon
/// inside it (`（单位：万元）` → `万元`), up to a separator (`（万元，保留两位小数）`
/// → `万元`). `None` when the label has no bracket or it is empty.
fn bracket_text(label: &str) -> Option<String> {
    let open = label.find(is_open_bracket)?;
    let after = &label[open..];
    let after = &after[after.chars().next()?.len_utf8()..];
    let inner = after
        .find(is_close_bracket)
        .map_or(after, |close| &after[..close]);
    let inner = inner.rsplit(['：', ':']).next().unwrap_or(inner);
    let inner = inner
        .split(['，', ',', '；', ';', '、'])
        .next()
        .unwrap_or(inner)
        .trim();
    (!inner.is_empty()).then(|| inner.to_string())
}

/// The ways a code is written with a name.
static CODE_FORMS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // [015001]临沂市教育局, 【015001】临沂市教育局, (015001)临沂市教育局
        r"^[\[【(（〔〖]\s*(?P<code>[0-9]{3,})\s*[\]】)）〕〗]\s*[-—－_:：、.．]?\s*(?P<name>.*)$",
        // 015001 临沂市教育局, 015001-临沂市教育局
        r"^(?P<code>[0-9]{3,})(?:\s*[-—－_:：、.．]\s*|\s+)(?P<name>[^0-9\s].*)$",
        // 015001临沂市教育局 (a long code needs no separator)
        r"^(?P<code>[0-9]{6,})(?P<name>[^0-9\s.．%％].*)$",
        // 临沂市教育局（015001）, 临沂市教育局[015001]
        r"^(?P<name>.*?)\s*[\[【(（〔〖]\s*(?P<code>[0-9]{3,})\s*[\]】)）〕〗]$",
        // 临沂市教育局 015001, 临沂市教育局-015001
        r"^(?P<name>.*?[^0-9\s])(?:\s+|\s*[-—－_:：]\s*)(?P<code>[0-9]{3,})$",
        // 015001 alone
        r"^[\[【(（]?\s*(?P<code>[0-9]{3,})\s*[\]】)）]?$",
    ]
    .iter()
    .map(|p| Regex::new(&format!("(?s){p}")).expect("the code patterns compile"))
    .collect()
});

/// Splits a code off a name: `[015001]临沂市教育局` → (`临沂市教育局`, `015001`);
/// `None` when the text carries no code.
fn split_code(text: &str) -> Option<(String, String)> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    CODE_FORMS.iter().find_map(|re| {
        let c = re.captures(t)?;
        let name = c.name("name").map_or("", |m| m.as_str()).trim();
        Some((name.to_string(), c["code"].to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::super::grid::{GCell, Merge};
    use super::*;
    use crate::model::{col_index, Parsed, Quantity};

    /// `"B3"` → 0-based (row, col).
    fn pos(a: &str) -> (u32, u32) {
        let split = a.find(|c: char| c.is_ascii_digit()).unwrap();
        let col = col_index(&a[..split]).unwrap();
        let row: u32 = a[split..].parse().unwrap();
        (row - 1, col)
    }

    /// A grid from `(address, text)` pairs and `"B3:G3"` merges.
    fn grid(cells: &[(&str, &str)], merges: &[&str]) -> Grid {
        let cells = cells
            .iter()
            .map(|(a, t)| {
                let (row, col) = pos(a);
                GCell {
                    row,
                    col,
                    text: (*t).into(),
                }
            })
            .collect();
        let merges = merges
            .iter()
            .map(|m| {
                let (a, b) = m.split_once(':').unwrap();
                let ((r0, c0), (r1, c1)) = (pos(a), pos(b));
                Merge { r0, c0, r1, c1 }
            })
            .collect();
        Grid::new(cells, merges)
    }

    /// The total-funds field is named by its role (the tests speak of roles too).
    const TOTAL: Role = Role::FundsTotal;

    fn key_of(t: &Template, role: Role) -> String {
        let shape = t.shape();
        shape.form[shape.form_role(role).unwrap()].key.clone()
    }

    fn tpl() -> Template {
        Template::load("project-target").unwrap()
    }

    fn value<'a>(f: &'a FormRead, t: &Template, key: &str) -> &'a str {
        f.form.text(t.shape().form_field(key).unwrap())
    }

    fn yuan(f: &FormRead, t: &Template, key: &str) -> Option<Parsed> {
        f.form.parsed(t.shape().form_field(key).unwrap()).cloned()
    }

    fn q(n: f64) -> Option<Parsed> {
        Some(Parsed::Quantity(Quantity {
            cmp: None,
            number: n,
            unit: "元".into(),
        }))
    }

    /// The spec's official layout, rows 3–10.
    const OFFICIAL_MERGES: &[&str] = &[
        "B3:G3", "B4:D4", "F4:G4", "B5:D5", "F5:G5", "A6:A9", "C6:G6", "C7:G7", "C8:G8", "C9:G9",
        "B10:G10",
    ];

    fn official(cells: &[(&str, &str)]) -> Grid {
        let mut all = vec![
            ("A3", "项目名称"),
            ("B3", "中小学校园安全设施改造"),
            ("A4", "主管部门及代码"),
            ("B4", "[015001]临沂市教育局"),
            ("E4", "实施单位"),
            ("F4", "临沂市第一中学"),
            ("A5", "项目属性"),
            ("B5", "新增项目"),
            ("E5", "项目期"),
            ("F5", "1年"),
            ("A6", "项目资金（万元）"),
            ("B6", "年度资金总额"),
            ("C6", "250"),
            ("B7", "其中：财政拨款"),
            ("C7", "200.00"),
            ("B8", "上年结转资金"),
            ("B9", "其他资金"),
            ("C9", "50"),
            ("A10", "年度总体目标"),
            ("B10", "1.完成12所学校安防改造。\n2.校园安全事故零发生。"),
        ];
        all.extend_from_slice(cells);
        grid(&all, OFFICIAL_MERGES)
    }

    #[test]
    fn reads_the_official_layout() {
        let t = tpl();
        let g = official(&[]);
        let f = read_form(&g, 2..=9, &t, Some("金额单位：万元"));
        assert_eq!(value(&f, &t, "name"), "中小学校园安全设施改造");
        assert_eq!(value(&f, &t, "department"), "临沂市教育局");
        assert_eq!(value(&f, &t, "department_code"), "015001");
        assert_eq!(value(&f, &t, "unit"), "临沂市第一中学");
        assert_eq!(value(&f, &t, "attribute"), "新增项目");
        assert_eq!(value(&f, &t, "period"), "1年");
        assert_eq!(value(&f, &t, "money_unit"), "万元");
        assert_eq!(value(&f, &t, &key_of(&t, TOTAL)), "250");
        assert_eq!(value(&f, &t, "funds_fiscal"), "200.00");
        assert_eq!(value(&f, &t, "funds_carryover"), "");
        assert_eq!(value(&f, &t, "funds_other"), "50");
        assert!(value(&f, &t, "annual_goal").starts_with("1.完成12所"));
        assert_eq!(value(&f, &t, "midterm_goal"), "");
        assert_eq!(yuan(&f, &t, &key_of(&t, TOTAL)), q(2_500_000.0));
        assert_eq!(yuan(&f, &t, "funds_fiscal"), q(2_000_000.0));
        assert_eq!(yuan(&f, &t, "funds_carryover"), None);
        assert_eq!(yuan(&f, &t, "funds_other"), q(500_000.0));
        let cells: Vec<(&str, &str)> = f
            .cells
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            cells,
            [
                ("name", "B3"),
                ("department", "B4"),
                ("unit", "F4"),
                ("attribute", "B5"),
                ("period", "F5"),
                (key_of(&t, TOTAL).as_str(), "C6"),
                ("funds_fiscal", "C7"),
                ("funds_carryover", "C8"),
                ("funds_other", "C9"),
                ("annual_goal", "B10")
            ]
        );
        // Every cell of the block is consumed, once.
        let mut used = f.used.clone();
        used.sort_unstable();
        used.dedup();
        assert_eq!(used.len(), f.used.len());
        assert_eq!(used.len(), g.cells.len());
    }

    #[test]
    fn reads_drifted_labels_in_yuan() {
        let t = tpl();
        let g = grid(
            &[
                ("A3", "项目支出名称"),
                ("B3", "中小学智慧教室建设"),
                ("A4", "主管部门"),
                ("B4", "临沂市教育局（015001）"),
                ("E4", "项目单位"),
                ("F4", "临沂市第三中学"),
                ("A5", "项目 属性"),
                ("B5", "新增项目"),
                ("E5", "项目支出\n实施期"),
                ("F5", "2024年1月-12月"),
                ("A6", "项目资金(元)"),
                ("B6", "年度资金\n申请总额"),
                ("C6", "2,500,000.00"),
                ("B7", "财政资金"),
                ("C7", "2,000,000.00"),
                ("B8", "其中:上年结转"),
                ("C8", "300,000.00"),
                ("B9", "其他资金："),
                ("C9", "200,000.00"),
                ("A10", "年度绩效目标"),
                ("B10", "1.完成改造。"),
            ],
            &[
                "B3:I3", "B4:D4", "F4:I4", "B5:D5", "F5:I5", "A6:A9", "C6:I6", "C7:I7", "C8:I8",
                "C9:I9", "B10:I10",
            ],
        );
        let f = read_form(&g, 2..=9, &t, Some("金额单位：元"));
        assert_eq!(value(&f, &t, "name"), "中小学智慧教室建设");
        assert_eq!(value(&f, &t, "department"), "临沂市教育局");
        assert_eq!(value(&f, &t, "department_code"), "015001");
        assert_eq!(value(&f, &t, "unit"), "临沂市第三中学");
        assert_eq!(value(&f, &t, "attribute"), "新增项目");
        assert_eq!(value(&f, &t, "period"), "2024年1月-12月");
        assert_eq!(value(&f, &t, "money_unit"), "元");
        assert_eq!(value(&f, &t, &key_of(&t, TOTAL)), "2,500,000.00");
        assert_eq!(yuan(&f, &t, &key_of(&t, TOTAL)), q(2_500_000.0));
        assert_eq!(yuan(&f, &t, "funds_fiscal"), q(2_000_000.0));
        assert_eq!(yuan(&f, &t, "funds_carryover"), q(300_000.0));
        assert_eq!(yuan(&f, &t, "funds_other"), q(200_000.0));
        assert_eq!(value(&f, &t, "annual_goal"), "1.完成改造。");
        assert_eq!(f.cells["funds_carryover"], "C8");
        assert_eq!(f.cells.len(), 10);
        assert_eq!(f.used.len(), g.cells.len());
    }

    #[test]
    fn the_label_says_the_unit_before_the_unit_line() {
        let t = tpl();
        let g = official(&[]);
        // 项目资金（万元） and 金额单位：元 disagree: the label wins.
        let f = read_form(&g, 2..=9, &t, Some("金额单位：元"));
        assert_eq!(value(&f, &t, "money_unit"), "万元");
        assert_eq!(yuan(&f, &t, &key_of(&t, TOTAL)), q(2_500_000.0));

        // A label without a unit: the unit line says.
        let mut g = official(&[]);
        g.cells
            .iter_mut()
            .find(|c| c.text.starts_with("项目资金"))
            .unwrap()
            .text = "项目资金".into();
        let f = read_form(&g, 2..=9, &t, Some("单位：元"));
        assert_eq!(value(&f, &t, "money_unit"), "元");
        assert_eq!(yuan(&f, &t, &key_of(&t, TOTAL)), q(250.0));
        assert!(!f.cells.contains_key("money_unit"));

        // Neither says: the field's default.
        let f = read_form(&g, 2..=9, &t, None);
        assert_eq!(value(&f, &t, "money_unit"), "万元");
        let f = read_form(&g, 2..=9, &t, Some("填报单位：临沂市教育局"));
        assert_eq!(value(&f, &t, "money_unit"), "万元");
    }

    #[test]
    fn unmerged_values_run_to_the_next_label() {
        let t = tpl();
        let g = grid(
            &[
                ("A1", "项目名称"),
                ("B1", "校园安全"),
                ("A2", "主管部门及代码"),
                ("C2", "015001-临沂市教育局"),
                ("E2", "实施单位"),
                ("F2", "临沂市第一中学"),
                ("G2", "（牵头）"),
                ("A3", "年度资金总额"),
                ("B3", "250万元"),
            ],
            &[],
        );
        let f = read_form(&g, 0..=2, &t, None);
        assert_eq!(value(&f, &t, "name"), "校园安全");
        assert_eq!(f.cells["name"], "B1");
        // B2 is empty: the text in C2 is still the value, at C2.
        assert_eq!(value(&f, &t, "department"), "临沂市教育局");
        assert_eq!(value(&f, &t, "department_code"), "015001");
        assert_eq!(f.cells["department"], "C2");
        // Several texts before the next label are joined.
        assert_eq!(value(&f, &t, "unit"), "临沂市第一中学 （牵头）");
        assert_eq!(yuan(&f, &t, &key_of(&t, TOTAL)), q(2_500_000.0));
        assert_eq!(f.used.len(), g.cells.len());
    }

    #[test]
    fn an_empty_value_cell_still_has_its_address() {
        let t = tpl();
        let g = grid(
            &[
                ("A3", "项目名称"),
                ("A4", "主管部门"),
                ("E4", "实施单位"),
                ("F4", "一中"),
                ("A5", "项目属性"),
                ("B5", "项目期"),
                ("C5", "1年"),
            ],
            &["B3:G3", "B4:D4", "F4:G4"],
        );
        let f = read_form(&g, 2..=4, &t, None);
        assert_eq!(value(&f, &t, "name"), "");
        assert_eq!(f.cells["name"], "B3");
        assert_eq!(value(&f, &t, "department"), "");
        assert_eq!(value(&f, &t, "department_code"), "");
        assert_eq!(f.cells["department"], "B4");
        // The next label follows at once: the label itself is the place.
        assert_eq!(value(&f, &t, "attribute"), "");
        assert_eq!(f.cells["attribute"], "A5");
        assert_eq!(value(&f, &t, "period"), "1年");
        // Fields whose label is absent have no address.
        assert!(!f.cells.contains_key("annual_goal"));
        assert_eq!(yuan(&f, &t, &key_of(&t, TOTAL)), None);
    }

    #[test]
    fn a_repeated_label_is_left_for_the_reviewer() {
        let t = tpl();
        let g = grid(
            &[
                ("A1", "项目名称"),
                ("B1", "甲"),
                ("C1", "项目名称"),
                ("D1", "乙"),
            ],
            &[],
        );
        let f = read_form(&g, 0..=0, &t, None);
        assert_eq!(value(&f, &t, "name"), "甲");
        assert_eq!(f.used, [(0, 0), (0, 1)]);
    }

    #[test]
    fn money_that_is_not_an_amount_is_unparsed() {
        let t = tpl();
        let g = official(&[("C8", "待定")]);
        let f = read_form(&g, 2..=9, &t, None);
        assert_eq!(yuan(&f, &t, "funds_carryover"), Some(Parsed::Unparsed));
    }

    #[test]
    fn codes_split_off_in_every_form() {
        let want = Some(("临沂市教育局".to_string(), "015001".to_string()));
        for s in [
            "[015001]临沂市教育局",
            "【015001】临沂市教育局",
            "（015001）临沂市教育局",
            "015001 临沂市教育局",
            "015001-临沂市教育局",
            "015001临沂市教育局",
            "临沂市教育局（015001）",
            "临沂市教育局(015001)",
            "临沂市教育局 015001",
        ] {
            assert_eq!(split_code(s), want, "{s:?}");
        }
        assert_eq!(split_code("015001"), Some((String::new(), "015001".into())));
        assert_eq!(split_code("临沂市教育局"), None);
        assert_eq!(split_code("临沂市第一中学（初中部）"), None);
        assert_eq!(split_code(""), None);
    }

    #[test]
    fn labels_match_after_normalising() {
        let t = tpl();
        let l = Labels::new(&t);
        let key = |s: &str| l.field_of(s).map(|i| t.form[i].field.as_str());
        assert_eq!(key("主管部门及代码"), Some("department"));
        assert_eq!(key("主管部门"), Some("department"));
        assert_eq!(key("预算部门及代码"), Some("department"));
        assert_eq!(key("主管部门（代码）"), Some("department"));
        assert_eq!(key("项 目 名 称："), Some("name"));
        assert_eq!(
            key("年度资金申请总额（万元）"),
            Some(key_of(&tpl(), TOTAL).as_str())
        );
        assert_eq!(key("其中：上年结转"), Some("funds_carryover"));
        assert_eq!(key("其中:财政拨款"), Some("funds_fiscal"));
        assert_eq!(key("项目资金（元）"), Some("money_unit"));
        assert_eq!(key("年度绩效目标"), Some("annual_goal"));
        assert_eq!(key("临沂市教育局"), None);
        assert_eq!(key("及代码"), None);
    }

    #[test]
    fn the_bracket_of_a_label_is_its_value() {
        assert_eq!(bracket_text("项目资金（万元）").as_deref(), Some("万元"));
        assert_eq!(bracket_text("项目资金(元)").as_deref(), Some("元"));
        assert_eq!(
            bracket_text("项目资金（单位：万元）").as_deref(),
            Some("万元")
        );
        assert_eq!(
            bracket_text("项目资金（万元，保留两位小数）").as_deref(),
            Some("万元")
        );
        assert_eq!(bracket_text("项目资金"), None);
        assert_eq!(bracket_text("项目资金（）"), None);
    }

    /// Regression: the label matched with `〔…〕`/`［…］` dropped (the header
    /// normaliser's bracket set) but its bracket text was looked for only in
    /// `（ ( [ 【`; both now use the one bracket set of `crate::text`.
    #[test]
    fn every_bracket_the_label_key_drops_holds_a_value() {
        assert_eq!(bracket_text("项目资金〔万元〕").as_deref(), Some("万元"));
        assert_eq!(bracket_text("项目资金［元］").as_deref(), Some("元"));
        assert_eq!(label_norm("项目资金〔万元〕"), label_norm("项目资金"));
    }
}
