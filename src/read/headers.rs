//! Finds every header block of a sheet and resolves it from the template's header tree (no header text in code).

use super::grid::{GCell, Grid};
use crate::model::{FieldRef, Role};
use crate::template::{Column, Template};
use crate::text::{clean_text, label_key, label_key_chars, strip_year_words};
use compact_str::CompactString;
use std::collections::{BTreeMap, HashSet};

/// One node of the header tree, flattened.
#[derive(Debug)]
struct Node {
    norms: Vec<String>,
    /// The field a leaf fills, with its key.
    field: Option<(FieldRef, String)>,
    parent: Option<usize>,
}

/// The template's header tree in matchable form.
#[derive(Debug)]
pub(crate) struct Matcher {
    nodes: Vec<Node>,
    /// Every normalised label of any node (and ancestor+leaf spellings).
    all: HashSet<String>,
    /// First characters of `all`: a cheap test before normalising a cell.
    firsts: Vec<char>,
    /// The longest of `all`, in bytes: a cell whose key grows past it is no label.
    longest: usize,
    /// Leaf node indices in template order.
    leaves: Vec<usize>,
    depth: u32,
    /// Normalised spellings of the template's side label (`绩效指标` down column A), if any.
    side: Vec<String>,
    /// The field playing [`Role::Name`].
    name: Option<FieldRef>,
}

impl Matcher {
    pub fn new(t: &Template) -> Matcher {
        fn walk(
            t: &crate::model::Shape,
            cols: &[Column],
            parent: Option<usize>,
            nodes: &mut Vec<Node>,
            leaves: &mut Vec<usize>,
        ) {
            for c in cols {
                let mut norms: Vec<String> = std::iter::once(&c.label)
                    .chain(c.aliases.iter())
                    .map(|s| label_key(s))
                    .filter(|s| !s.is_empty())
                    .collect();
                norms.dedup();
                let idx = nodes.len();
                let field = match (&c.field, c.children.is_empty()) {
                    (Some(key), true) => t.grid_field(key).map(|f| (f, key.clone())),
                    _ => None,
                };
                let is_leaf = field.is_some();
                nodes.push(Node {
                    norms,
                    field,
                    parent,
                });
                if c.children.is_empty() {
                    if is_leaf {
                        leaves.push(idx);
                    }
                } else {
                    walk(t, &c.children, Some(idx), nodes, leaves);
                }
            }
        }
        let mut nodes = Vec::new();
        let mut leaves = Vec::new();
        let shape = t.shape();
        walk(&shape, &t.columns, None, &mut nodes, &mut leaves);
        let side: Vec<String> = t
            .side_label
            .iter()
            .flat_map(|s| std::iter::once(&s.label).chain(s.aliases.iter()))
            .map(|s| label_key(s))
            .filter(|s| !s.is_empty())
            .collect();
        let mut m = Matcher {
            nodes,
            all: HashSet::new(),
            firsts: Vec::new(),
            longest: 0,
            leaves,
            depth: t.depth().max(1),
            side,
            name: shape.indicator_role(Role::Name).map(FieldRef::Indicator),
        };
        let mut all = HashSet::new();
        for n in &m.nodes {
            all.extend(n.norms.iter().cloned());
        }
        for &l in &m.leaves {
            for s in m.leaf_spellings(l) {
                all.insert(s);
            }
        }
        m.firsts = all.iter().filter_map(|s| s.chars().next()).collect();
        m.firsts.sort_unstable();
        m.firsts.dedup();
        m.longest = all.iter().map(String::len).max().unwrap_or(0);
        m.all = all;
        m
    }

    fn ancestors(&self, idx: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut p = self.nodes[idx].parent;
        while let Some(i) = p {
            out.push(i);
            p = self.nodes[i].parent;
        }
        out
    }

    /// A leaf's spellings: its own, and each ancestor's label + its label
    /// (`标准值来源`, `历史值来源`).
    fn leaf_spellings(&self, leaf: usize) -> Vec<String> {
        let mut out = self.nodes[leaf].norms.clone();
        for a in self.ancestors(leaf) {
            for an in &self.nodes[a].norms {
                for ln in &self.nodes[leaf].norms {
                    out.push(format!("{an}{ln}"));
                }
            }
        }
        out
    }

    /// Whether a cell's raw text is any header label of the template.
    pub fn is_label_text(&self, text: &str) -> bool {
        if text.len() > MAX_LABEL_BYTES {
            return false;
        }
        let mut chars = label_key_chars(text);
        match chars.next() {
            Some(c) if self.firsts.binary_search(&c).is_ok() => {
                // Built inline (no heap string for a key of up to 24 bytes),
                // given up as soon as it is longer than any label: this runs
                // on every cell of every data row (`is_header_row`).
                let mut key = CompactString::default();
                key.push(c);
                for c in chars {
                    key.push(c);
                    if key.len() > self.longest {
                        return false;
                    }
                }
                self.is_label(&key)
            }
            _ => false,
        }
    }

    /// Whether a normalised text is any header label of the template.
    pub fn is_label(&self, norm: &str) -> bool {
        !norm.is_empty() && self.all.contains(norm)
    }

    fn name_norms(&self) -> Vec<&str> {
        self.leaves
            .iter()
            .filter(|&&l| self.nodes[l].field.as_ref().map(|f| f.0) == self.name)
            .flat_map(|&l| self.nodes[l].norms.iter().map(|s| s.as_str()))
            .collect()
    }

    /// Whether a cell's raw text is the template's side label.
    pub fn is_side_label(&self, text: &str) -> bool {
        !self.side.is_empty()
            && text.len() <= MAX_LABEL_BYTES
            && self.side.contains(&label_key(text))
    }
}

/// One matched leaf of a header: the field it fills, its column and the label found over it.
#[derive(Debug, Clone)]
pub(crate) struct HeaderCol {
    pub field: FieldRef,
    /// The field's key, as the template names it.
    pub key: String,
    /// 0-based column.
    pub col: u32,
    /// The label path found over the column, joined by ` › `.
    pub label: String,
    /// The leaf's place in the template's header tree (official order).
    pub pos: usize,
}

/// A resolved header block.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    /// 0-based first and last row.
    pub first_row: u32,
    pub last_row: u32,
    /// Matched leaves in the order they were found (left to right).
    pub cols: Vec<HeaderCol>,
    pub first_col: u32,
    pub last_col: u32,
    /// The column of the side label (left of the grid), when the header has one.
    pub side_col: Option<u32>,
}

/// Whether a row of cells reads as (part of) a repeated header block.
pub(crate) fn is_header_row(m: &Matcher, cells: &[GCell]) -> bool {
    let total = cells.len();
    let mut hits = 0;
    let mut misses = 0;
    for c in cells {
        if m.is_label_text(&c.text) {
            hits += 1;
        } else {
            misses += 1;
            // Labels can no longer be more than half: a data row stops here.
            if misses * 2 >= total {
                return false;
            }
        }
    }
    hits >= 2 && hits * 2 > total
}

/// Longer cell texts are never header labels (skips normalising long text).
const MAX_LABEL_BYTES: usize = 300;

/// Minimum matched leaves (绩效指标 included) for a header to be the table's.
pub(crate) const MIN_LEAVES: usize = 4;

/// Candidate rows tried without finding a header before a sheet is given up.
const MAX_FAILED_TRIES: usize = 50;

/// Header blocks found on one sheet, at most (bounds the work on a hostile sheet).
const MAX_HEADERS: usize = 500;

/// Finds every header block of the template in a sheet, top to bottom
/// (repeated headers inside a table included). `Err` gives the reason when
/// there is none.
pub(crate) fn find_headers(grid: &Grid, m: &Matcher) -> Result<Vec<Header>, String> {
    let names = m.name_norms();
    // Every cell of the sheet is looked at: its first key character against a few
    // sorted ones (a hash of each cell's character was a sixth of this loop).
    let mut name_firsts: Vec<char> = names.iter().filter_map(|n| n.chars().next()).collect();
    name_firsts.sort_unstable();
    name_firsts.dedup();
    let mut tried = HashSet::new();
    let mut failed = 0usize;
    let mut best = 0usize;
    let mut found: Vec<Header> = Vec::new();
    for c in &grid.cells {
        let limit = if found.is_empty() { 1 } else { 10 };
        if failed >= MAX_FAILED_TRIES * limit || found.len() >= MAX_HEADERS {
            break;
        }
        if found.last().is_some_and(|h| c.row <= h.last_row) {
            continue;
        }
        if c.text.len() > MAX_LABEL_BYTES {
            continue;
        }
        let first = label_key_chars(&c.text).next();
        if first.is_none_or(|f| name_firsts.binary_search(&f).is_err()) || tried.contains(&c.row) {
            continue;
        }
        let n = label_key(&c.text);
        if !names.iter().any(|x| *x == n) {
            continue;
        }
        tried.insert(c.row);
        let good = |h: &Header| {
            h.cols.iter().any(|c| Some(c.field) == m.name) && h.cols.len() >= MIN_LEAVES
        };
        let mut h = resolve(grid, m, c.row);
        // A label-like word in the first data row may have been taken for a
        // header row: a shorter header that maps is the header.
        if !good(&h) {
            if let Some(shorter) = (c.row..h.last_row)
                .rev()
                .map(|last| resolve_upto(grid, m, c.row, last))
                .find(|s| good(s))
            {
                h = shorter;
            }
        }
        let has_name = h.cols.iter().any(|c| Some(c.field) == m.name);
        if has_name && h.cols.len() >= MIN_LEAVES {
            found.push(h);
            continue;
        }
        failed += 1;
        if has_name {
            best = best.max(h.cols.len());
        }
    }
    if !found.is_empty() {
        return Ok(found);
    }
    if tried.is_empty() {
        let label = names.first().copied().unwrap_or("");
        Err(format!("没有找到“{label}”表头"))
    } else if best == 0 {
        let label = names.first().copied().unwrap_or("");
        Err(format!("表头中“{label}”所在的列无法与模板的表头对应"))
    } else {
        Err(format!(
            "表头只认出 {best} 列，少于 {MIN_LEAVES} 列，可能是其他模板的表"
        ))
    }
}

fn resolve(grid: &Grid, m: &Matcher, h0: u32) -> Header {
    resolve_upto(grid, m, h0, h0 + m.depth)
}

/// [`resolve`] with the header ending at row `last` at the latest.
fn resolve_upto(grid: &Grid, m: &Matcher, h0: u32, last: u32) -> Header {
    // How many rows the header occupies.
    let max_rows = last - h0 + 1;
    let mut h1 = h0;
    for mg in &grid.merges {
        // The side label is merged down the whole grid: it does not make the header taller.
        if mg.r0 == h0 && !grid.get(mg.r0, mg.c0).is_some_and(|t| m.is_side_label(t)) {
            h1 = h1.max(mg.r1.min(h0 + max_rows - 1));
        }
    }
    for r in h0 + 1..h0 + max_rows {
        // A header row is mostly labels: a data row below the header with
        // one label-like word in it (`年度指标值` typed as a value) is data.
        let row = grid.rows_between(r, r);
        let labels = row.iter().filter(|c| m.is_label_text(&c.text)).count();
        let row_has_label = labels > 0 && labels * 2 > row.len();
        if row_has_label {
            h1 = h1.max(r);
        } else if r > h1 {
            break;
        }
    }
    let nrows = (h1 - h0 + 1) as usize;
    let cells = grid.rows_between(h0, h1);
    let max_cell_col = cells.iter().map(|c| c.col).max().unwrap_or(0);
    // labels[col][row - h0] = (text, from own cell or merge)
    let mut labels: BTreeMap<u32, Vec<Option<String>>> = BTreeMap::new();
    for c in cells {
        labels.entry(c.col).or_insert_with(|| vec![None; nrows])[(c.row - h0) as usize] =
            Some(c.text.to_string());
    }
    for mg in &grid.merges {
        if mg.r0 < h0 || mg.r0 > h1 {
            continue;
        }
        let Some(text) = grid.get(mg.r0, mg.c0) else {
            continue;
        };
        let c1 = mg.c1.min(max_cell_col.saturating_add(64));
        for col in mg.c0..=c1 {
            for r in mg.r0..=mg.r1.min(h1) {
                let slot =
                    &mut labels.entry(col).or_insert_with(|| vec![None; nrows])[(r - h0) as usize];
                if slot.is_none() {
                    *slot = Some(text.to_string());
                }
            }
        }
    }
    // Unmerged group headers: a group label spans the columns to its right by position.
    let has_below = |v: &Vec<Option<String>>, r: usize| v[r + 1..].iter().any(|x| x.is_some());
    for r in 0..nrows.saturating_sub(1) {
        let cols: Vec<u32> = labels.keys().copied().collect();
        for w in cols.windows(2) {
            let (a, b) = (w[0], w[1]);
            if b != a + 1 {
                continue;
            }
            let left = &labels[&a];
            let Some(lt) = left[r].clone() else { continue };
            if !has_below(left, r) {
                continue;
            }
            let right = &labels[&b];
            if right[r].is_some() || !has_below(right, r) {
                continue;
            }
            if right[..r].iter().any(|x| x.is_some()) && left[..r] != right[..r] {
                continue;
            }
            if let Some(v) = labels.get_mut(&b) {
                v[r] = Some(lt);
            }
        }
    }
    // Match each column's label path to a leaf.
    let mut assigned: Vec<HeaderCol> = Vec::new();
    let mut last_leaf: Option<usize> = None;
    for (&col, v) in &labels {
        let mut path: Vec<(&str, String)> = Vec::new();
        for t in v.iter().flatten() {
            let n = label_key(t);
            if n.is_empty() {
                continue;
            }
            if path.last().map(|(_, pn)| pn == &n).unwrap_or(false) {
                continue;
            }
            path.push((t.as_str(), n));
        }
        let Some((_, bottom)) = path.last() else {
            continue;
        };
        // The label as written; else, lightly reworded, without a year word in
        // front (`2024年指标值`, `本年度目标值`), alone or after `年度`.
        let spelled = |s: &str| {
            m.leaves
                .iter()
                .any(|&l| m.leaf_spellings(l).iter().any(|x| x == s))
        };
        let bottom = if spelled(bottom) {
            bottom.clone()
        } else {
            match strip_year_words(bottom) {
                Some(r) if spelled(r) => r.to_string(),
                Some(r) if spelled(&format!("年度{r}")) => format!("年度{r}"),
                _ => bottom.clone(),
            }
        };
        let bottom = &bottom;
        let mut best: Option<(usize, usize, usize)> = None; // (score, pref, leaf pos)
        for (pos, &leaf) in m.leaves.iter().enumerate() {
            if !m.leaf_spellings(leaf).iter().any(|s| s == bottom) {
                continue;
            }
            let anc = m.ancestors(leaf);
            let score = path[..path.len() - 1]
                .iter()
                .filter(|(_, n)| anc.iter().any(|&a| m.nodes[a].norms.iter().any(|x| x == n)))
                .count();
            let field = m.nodes[leaf].field.as_ref().map(|f| f.0);
            let free = !assigned.iter().any(|a| Some(a.field) == field);
            let after = last_leaf.map(|l| pos > l).unwrap_or(true);
            let pref = (free as usize) * 2 + after as usize;
            let cand = (score, pref, pos);
            let better = match best {
                None => true,
                Some((s, p, bp)) => (score, pref) > (s, p) || ((score, pref) == (s, p) && pos < bp),
            };
            if better {
                best = Some(cand);
            }
        }
        let Some((_, _, pos)) = best else { continue };
        let Some((field, key)) = &m.nodes[m.leaves[pos]].field else {
            continue;
        };
        if assigned.iter().any(|a| a.field == *field) {
            continue;
        }
        last_leaf = Some(pos);
        let label = path
            .iter()
            .map(|(t, _)| clean_text(t))
            .collect::<Vec<_>>()
            .join(" › ");
        assigned.push(HeaderCol {
            field: *field,
            key: key.clone(),
            col,
            label,
            pos,
        });
    }
    let first_col = assigned.iter().map(|a| a.col).min().unwrap_or(0);
    let last_col = assigned.iter().map(|a| a.col).max().unwrap_or(0);
    // The side label: left of the grid, on a header row.
    let side_col = cells
        .iter()
        .filter(|c| c.col < first_col && m.is_side_label(&c.text))
        .map(|c| c.col)
        .max();
    Header {
        first_row: h0,
        last_row: h1,
        cols: assigned,
        first_col,
        last_col,
        side_col,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matcher_knows_source_spellings() {
        let t = Template::default_template();
        let m = Matcher::new(&t);
        assert!(m.is_label("标准值来源"));
        assert!(m.is_label("历史值来源"));
        assert!(m.is_label("绩效指标"));
        assert!(!m.is_label("教育改革"));
    }

    fn cell(row: u32, col: u32, t: &str) -> GCell {
        GCell {
            row,
            col,
            text: t.into(),
        }
    }

    /// The labels of a template's leaves in official order (`optional` ones left out), with their keys.
    fn official(t: &Template) -> Vec<(&str, &str)> {
        t.leaves()
            .into_iter()
            .filter(|l| !l.column.optional)
            .map(|l| (l.column.label.as_str(), l.key))
            .collect()
    }

    /// A row is a repeated header when more than half its cells (and at
    /// least two) are labels, wherever its other cells sit; the count stops
    /// once labels can no longer be the most (a data row).
    #[test]
    fn a_header_row_is_mostly_labels_wherever_the_others_sit() {
        let t = Template::default_template();
        let m = Matcher::new(&t);
        let labels: Vec<&str> = official(&t).into_iter().map(|(l, _)| l).collect();
        let row = |texts: &[&str]| -> Vec<GCell> {
            texts
                .iter()
                .enumerate()
                .map(|(c, x)| cell(5, c as u32, x))
                .collect()
        };
        let (a, b, c) = (labels[0], labels[1], labels[2]);
        let data = "教育改革";
        assert!(is_header_row(&m, &row(&[a, b, c])));
        assert!(is_header_row(&m, &row(&[a, data, b, c])));
        assert!(is_header_row(&m, &row(&[data, a, b])));
        assert!(is_header_row(&m, &row(&[a, b, data])));
        assert!(!is_header_row(&m, &row(&[a, data, b, data])));
        assert!(is_header_row(&m, &row(&[data, data, a, b, c])));
        assert!(!is_header_row(&m, &row(&[data, data, a, b])));
        assert!(!is_header_row(&m, &row(&[a])));
        assert!(!is_header_row(&m, &row(&[data, data])));
        // A label inside a long text is no label.
        let long = format!("{a}{}", "很长的说明".repeat(30));
        assert!(!m.is_label_text(&long));
        assert!(m.is_label_text(&format!(" {a}\n")));
    }

    #[test]
    fn a_one_row_header_beside_its_side_label() {
        // The project template: one header row, its side label down column A.
        let t = Template::load("project-target").unwrap();
        let m = Matcher::new(&t);
        let side = t.side_label.as_ref().unwrap().label.as_str();
        let leaves = official(&t);
        let spaced: String = side.chars().flat_map(|c| [c, ' ']).collect();
        let mut cells = vec![cell(2, 0, &spaced)];
        for (c, (label, _)) in leaves.iter().enumerate() {
            cells.push(cell(2, 1 + c as u32, label));
            cells.push(cell(3, 1 + c as u32, "x"));
        }
        // The side label is merged down the grid: it does not make the header taller.
        let merges = vec![super::super::grid::Merge {
            r0: 2,
            c0: 0,
            r1: 9,
            c1: 0,
        }];
        let g = Grid::new(cells, merges);
        let hs = find_headers(&g, &m).unwrap();
        assert_eq!(hs.len(), 1);
        let h = &hs[0];
        assert_eq!((h.first_row, h.last_row), (2, 2));
        assert_eq!(
            (h.first_col, h.last_col, h.side_col),
            (1, leaves.len() as u32, Some(0))
        );
        let keys: Vec<&str> = h.cols.iter().map(|c| c.key.as_str()).collect();
        let want: Vec<&str> = leaves.iter().map(|l| l.1).collect();
        assert_eq!(keys, want);
        // The 部门整体 template finds too few of its columns in it.
        let dept = Matcher::new(&Template::default_template());
        assert!(find_headers(&g, &dept).is_err());
    }

    #[test]
    fn why_a_header_is_not_taken() {
        let m = Matcher::new(&Template::default_template());
        let labels = |ls: &[&str]| {
            let cells = ls
                .iter()
                .enumerate()
                .map(|(c, l)| cell(2, c as u32, l))
                .collect();
            find_headers(&Grid::new(cells, vec![]), &m).unwrap_err()
        };
        // 绩效指标 over another field's label: its column is that field's.
        let over = vec![
            cell(2, 0, "绩效指标"),
            cell(3, 0, "年度指标值"),
            cell(3, 1, "来源"),
        ];
        assert_eq!(
            find_headers(&Grid::new(over, vec![]), &m).unwrap_err(),
            "表头中“绩效指标”所在的列无法与模板的表头对应"
        );
        assert_eq!(
            labels(&["绩效指标", "指标解释"]),
            "表头只认出 2 列，少于 4 列，可能是其他模板的表"
        );
    }

    /// Regression: a label-like word typed in the first data row (`年度指标值`
    /// under 绩效指标) was taken for a fourth header row and the table was lost.
    #[test]
    fn a_label_word_in_the_first_data_row_is_data() {
        let t = Template::default_template();
        let m = Matcher::new(&t);
        // The first six columns' labels in one header row; the sixth's label
        // again, as a value, in the first data row under the fourth.
        let labels: Vec<&str> = official(&t).iter().take(6).map(|l| l.0).collect();
        let mut cells: Vec<GCell> = labels
            .iter()
            .enumerate()
            .map(|(c, l)| cell(0, c as u32, l))
            .collect();
        cells.push(cell(1, 3, labels[5]));
        let hs = find_headers(&Grid::new(cells, vec![]), &m).unwrap();
        assert_eq!((hs[0].first_row, hs[0].last_row), (0, 0));
    }

    #[test]
    fn every_header_of_a_sheet_is_found() {
        let t = Template::load("project-target").unwrap();
        let m = Matcher::new(&t);
        let mut cells = Vec::new();
        for r in [1u32, 5] {
            for (c, (label, _)) in official(&t).iter().enumerate() {
                cells.push(cell(r, c as u32, label));
            }
            cells.push(cell(r + 1, 2, "x"));
        }
        let hs = find_headers(&Grid::new(cells, vec![]), &m).unwrap();
        let rows: Vec<u32> = hs.iter().map(|h| h.first_row).collect();
        assert_eq!(rows, [1, 5]);
        let name = t.leaf_of(crate::model::FieldRef::Indicator(0)).unwrap();
        let why = find_headers(&Grid::new(vec![cell(0, 0, "会议纪要")], vec![]), &m).unwrap_err();
        assert!(why.contains(&name.column.label), "{why}");
    }
}
