//! A table as CSV (one row per indicator) and two years of it as a daff highlighter diff.
//!
//! The columns come from the template: the table's year and department, the
//! form fields, then the grid's leaves in official order, each named by its
//! header path with bracketed explanations dropped and the levels joined by
//! `/` (`标准值/当年标准值/来源`), then any group field without a column of
//! its own (a score riding on a group label). Every row repeats its group's
//! fields and the table's; a group with no indicator still gives one row,
//! its indicator columns empty.
//!
//! The text is RFC 4180: fields holding a comma, a quote or a line break are
//! quoted (quotes doubled), lines end in CRLF. The import CSV opens with a
//! UTF-8 byte order mark so that Excel on Windows reads the Chinese right;
//! the daff diff does not (its first cell must read `@@`), and readers
//! ([`parse`]) drop a leading mark.
//!
//! The daff diff (<https://paulfitz.github.io/daff-doc/spec.html>) is built
//! from the diff's matching, so a renamed or moved indicator is one `->` row,
//! not a removal and an addition.

use crate::diff::{DiffReport, IndRef};
use crate::model::{FieldRef, Table};
use crate::template::Template;

/// The UTF-8 byte order mark.
const BOM: &str = "\u{feff}";

/// What one CSV column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    /// The table's year.
    Year,
    /// The table's department.
    Department,
    /// A form, group or indicator field.
    Field(FieldRef),
}

/// The columns of a template's CSV: what each holds and its header.
#[derive(Debug, Clone)]
pub(crate) struct Columns {
    cols: Vec<Col>,
    names: Vec<String>,
}

/// A label without its bracketed explanation (`标准值（规划目标…）` → `标准值`).
fn short(label: &str) -> &str {
    let cut = label.find(['（', '(']).map_or(label, |i| &label[..i]);
    let cut = cut.trim();
    if cut.is_empty() {
        label.trim()
    } else {
        cut
    }
}

impl Columns {
    /// The columns of a template's tables.
    pub(crate) fn of(template: &Template) -> Columns {
        let shape = template.shape();
        let mut cols = vec![Col::Year, Col::Department];
        let mut names = vec!["年度".to_string(), "单位".to_string()];
        for (i, f) in shape.form.iter().enumerate() {
            cols.push(Col::Field(FieldRef::Form(i)));
            names.push(f.label.clone());
        }
        for leaf in template.leaves() {
            cols.push(Col::Field(leaf.field));
            let path: Vec<&str> = leaf.path.iter().map(|l| short(l)).collect();
            names.push(path.join("/"));
        }
        let rest = (0..shape.group.len())
            .map(FieldRef::Group)
            .chain((0..shape.indicator.len()).map(FieldRef::Indicator));
        for f in rest {
            if !cols.contains(&Col::Field(f)) {
                cols.push(Col::Field(f));
                names.push(shape.spec(f).label.clone());
            }
        }
        // Headers are unique: a repeat gets its field's key.
        for i in 0..names.len() {
            if names[..i].contains(&names[i]) {
                let key = match cols[i] {
                    Col::Field(f) => shape.spec(f).key.clone(),
                    _ => i.to_string(),
                };
                names[i] = format!("{}（{key}）", names[i]);
            }
        }
        Columns { cols, names }
    }

    /// The header row.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// One row: a group's indicator, or (`None`) the group alone.
    fn row(&self, t: &Table, group: usize, ind: Option<usize>) -> Vec<String> {
        let g = &t.groups[group];
        let i = ind.map(|i| &g.indicators[i]);
        self.cols
            .iter()
            .map(|c| match *c {
                Col::Year => t.year.map(|y| y.to_string()).unwrap_or_default(),
                Col::Department => t.department.clone().unwrap_or_default(),
                Col::Field(FieldRef::Form(f)) => t.form.text(f).to_string(),
                Col::Field(FieldRef::Group(f)) => g.text(f).to_string(),
                Col::Field(FieldRef::Indicator(f)) => {
                    i.map_or_else(String::new, |i| i.text(f).to_string())
                }
            })
            .collect()
    }
}

/// Where a CSV row comes from: a group and one of its indicators, or the
/// group alone when it has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RowRef {
    group: usize,
    indicator: Option<usize>,
}

/// The rows of a table, in sheet order.
fn row_refs(t: &Table) -> Vec<RowRef> {
    let mut out = Vec::new();
    for (g, group) in t.groups.iter().enumerate() {
        if group.indicators.is_empty() {
            out.push(RowRef {
                group: g,
                indicator: None,
            });
        }
        for i in 0..group.indicators.len() {
            out.push(RowRef {
                group: g,
                indicator: Some(i),
            });
        }
    }
    out
}

/// The table's rows (without the header).
pub(crate) fn rows(t: &Table, cols: &Columns) -> Vec<Vec<String>> {
    row_refs(t)
        .into_iter()
        .map(|r| cols.row(t, r.group, r.indicator))
        .collect()
}

/// One CSV field, quoted when it must be (RFC 4180).
fn field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// Rows as CSV text (RFC 4180, CRLF line ends).
pub(crate) fn write(rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    for row in rows {
        for (k, text) in row.iter().enumerate() {
            if k > 0 {
                out.push(',');
            }
            field(&mut out, text);
        }
        out.push_str("\r\n");
    }
    out
}

/// The table as CSV bytes: a byte order mark, the header, one row per
/// indicator (one per empty group).
pub(crate) fn table_csv(t: &Table, template: &Template) -> Vec<u8> {
    let cols = Columns::of(template);
    let mut all = vec![cols.names().to_vec()];
    all.extend(rows(t, &cols));
    format!("{BOM}{}", write(&all)).into_bytes()
}

/// Reads CSV text (RFC 4180; a leading byte order mark dropped; LF or CRLF).
#[cfg(test)]
pub(crate) fn parse(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' => quoted = true,
            ',' => row.push(std::mem::take(&mut cell)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
                any = false;
            }
            _ => cell.push(c),
        }
    }
    if any {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// Why two tables cannot be written as one daff diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DaffError {
    /// The two tables are of different templates (their columns differ).
    Templates(String, String),
}

/// The daff highlighter diff of two years of one table: a `@@` header row,
/// then this year's rows in order (`` unchanged, `->` modified with
/// `old->new` cells, `+++` added) with last year's removed rows (`---`)
/// placed after the row their predecessor became.
pub(crate) fn daff(
    prior: &Table,
    current: &Table,
    report: &DiffReport,
    template: &Template,
) -> Result<Vec<u8>, DaffError> {
    if prior.template != current.template {
        return Err(DaffError::Templates(
            prior.template.clone(),
            current.template.clone(),
        ));
    }
    let cols = Columns::of(template);
    let (prior_refs, current_refs) = (row_refs(prior), row_refs(current));
    let m = &report.matching;
    // The prior row of each current row, by position.
    let prior_pos = |r: RowRef| prior_refs.iter().position(|&p| p == r);
    let partner: Vec<Option<usize>> = current_refs
        .iter()
        .map(|r| match r.indicator {
            Some(i) => m
                .of_current(IndRef {
                    group: r.group,
                    indicator: i,
                })
                .and_then(|p| {
                    prior_pos(RowRef {
                        group: p.prior.group,
                        indicator: Some(p.prior.indicator),
                    })
                }),
            None => m
                .current_group
                .get(r.group)
                .copied()
                .flatten()
                .and_then(|g| {
                    prior_pos(RowRef {
                        group: g,
                        indicator: None,
                    })
                }),
        })
        .collect();
    let mut paired = vec![None; prior_refs.len()];
    for (c, p) in partner.iter().enumerate() {
        if let Some(p) = *p {
            paired[p] = Some(c);
        }
    }
    // A removed row goes after the current row of the nearest paired prior
    // row before it (`None`: before every row).
    let mut removed_after: Vec<Vec<usize>> = vec![Vec::new(); current_refs.len()];
    let mut removed_first = Vec::new();
    let mut last_current = None;
    for (p, c) in paired.iter().enumerate() {
        match c {
            Some(c) => last_current = Some(*c),
            None => match last_current {
                Some(c) => removed_after[c].push(p),
                None => removed_first.push(p),
            },
        }
    }
    let prior_rows: Vec<Vec<String>> = prior_refs
        .iter()
        .map(|r| cols.row(prior, r.group, r.indicator))
        .collect();
    let current_rows: Vec<Vec<String>> = current_refs
        .iter()
        .map(|r| cols.row(current, r.group, r.indicator))
        .collect();
    // The separator: `->`, longer while any text holds it.
    let mut sep = "->".to_string();
    while prior_rows
        .iter()
        .chain(&current_rows)
        .flatten()
        .any(|t| t.contains(&sep))
    {
        sep.insert(0, '-');
    }
    let mut out = vec![std::iter::once("@@".to_string())
        .chain(cols.names().iter().cloned())
        .collect::<Vec<_>>()];
    let removed = |p: usize| {
        std::iter::once("---".to_string())
            .chain(prior_rows[p].iter().cloned())
            .collect::<Vec<_>>()
    };
    out.extend(removed_first.iter().map(|&p| removed(p)));
    for (c, row) in current_rows.iter().enumerate() {
        let line = match partner[c] {
            None => std::iter::once("+++".to_string())
                .chain(row.iter().cloned())
                .collect(),
            Some(p) if prior_rows[p] == *row => std::iter::once(String::new())
                .chain(row.iter().cloned())
                .collect(),
            Some(p) => std::iter::once(sep.clone())
                .chain(prior_rows[p].iter().zip(row).map(|(a, b)| {
                    if a == b {
                        b.clone()
                    } else {
                        format!("{a}{sep}{b}")
                    }
                }))
                .collect(),
        };
        out.push(line);
        out.extend(removed_after[c].iter().map(|&p| removed(p)));
    }
    Ok(write(&out).into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let rows = vec![vec![
            "a".to_string(),
            "b,c".into(),
            "say \"hi\"".into(),
            "two\nlines".into(),
            String::new(),
        ]];
        let text = write(&rows);
        assert_eq!(text, "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
        assert_eq!(parse(&text), rows);
        assert_eq!(parse(&format!("{BOM}x,y\ny,z")), [["x", "y"], ["y", "z"]]);
    }

    /// A table of the default template: one group with an indicator, one without.
    fn two_groups(target: &str) -> (Table, Template) {
        let template = Template::default_template();
        let shape = template.shape();
        let mut t = Table::new(shape.clone());
        t.year = Some(2023);
        let id = shape.group_role(0, crate::model::Role::GroupId).unwrap();
        let name = shape.indicator_role(crate::model::Role::Name).unwrap();
        let value = shape.indicator_role(crate::model::Role::Target).unwrap();
        for seq in ["1", "2"] {
            let mut g = t.new_group(6);
            g.values[id] = seq.into();
            t.groups.push(g);
        }
        let mut i = t.new_indicator(6);
        i.values[name] = "完成率".into();
        i.values[value] = target.into();
        t.groups[0].indicators.push(i);
        (t, template)
    }

    #[test]
    fn a_group_without_indicators_still_gives_a_row() {
        let (t, template) = two_groups("85%");
        let cols = Columns::of(&template);
        let rows = rows(&t, &cols);
        assert_eq!(rows.len(), 2);
        let shape = template.shape();
        let gid = shape.group_role(0, crate::model::Role::GroupId).unwrap();
        let id = cols
            .cols
            .iter()
            .position(|c| *c == Col::Field(FieldRef::Group(gid)));
        assert_eq!(rows[1][id.expect("the group id column")], "2");
        // Its indicator columns are empty; the table's year is repeated.
        assert_eq!(rows[1][0], "2023");
        let n = shape.indicator.len();
        let empty = cols
            .cols
            .iter()
            .zip(&rows[1])
            .filter(|(c, v)| matches!(c, Col::Field(FieldRef::Indicator(_))) && v.is_empty())
            .count();
        assert_eq!(empty, n);
        let csv = String::from_utf8(table_csv(&t, &template)).unwrap();
        assert!(csv.starts_with(BOM));
        assert_eq!(parse(&csv).len(), 3);
    }

    #[test]
    fn the_separator_grows_when_a_text_holds_it() {
        let (prior, template) = two_groups("a->b");
        let (current, _) = two_groups("c");
        let report = crate::diff::diff(&prior, &current);
        let out = String::from_utf8(daff(&prior, &current, &report, &template).unwrap()).unwrap();
        let rows = parse(&out);
        assert_eq!(rows[0][0], "@@");
        assert_eq!(rows[1][0], "-->");
        assert!(rows[1].contains(&"a->b-->c".to_string()), "{rows:?}");
        // The empty group is unchanged.
        assert_eq!(rows[2][0], "");
    }

    #[test]
    fn headers_are_unique_and_short() {
        for t in Template::builtins() {
            let cols = Columns::of(&t);
            let names = cols.names();
            for (i, n) in names.iter().enumerate() {
                assert!(!names[..i].contains(n), "{}: {n} twice", t.id);
                assert!(!n.contains('（'), "{}: {n}", t.id);
            }
        }
    }
}
