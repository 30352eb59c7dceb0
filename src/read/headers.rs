//! Finds and resolves the header block from the template's header tree (no header text in code).

use super::grid::{GCell, Grid};
use crate::model::Field;
use crate::template::{Column, Template};
use std::collections::{BTreeMap, HashSet};

/// A header label made comparable: white space removed, full-width made
/// half-width, bracketed text dropped.
pub(crate) fn normalize(s: &str) -> String {
    normalized_chars(s).collect()
}

/// The characters of [`normalize`], lazily.
fn normalized_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    let mut depth = 0u32;
    s.chars().filter_map(move |c| {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        };
        if c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}' {
            return None;
        }
        match c {
            '(' | '[' | '【' | '〔' | '〖' => {
                depth += 1;
                None
            }
            ')' | ']' | '】' | '〕' | '〗' => {
                depth = depth.saturating_sub(1);
                None
            }
            _ if depth == 0 => Some(c),
            _ => None,
        }
    })
}

/// One node of the header tree, flattened.
#[derive(Debug)]
struct Node {
    norms: Vec<String>,
    field: Option<Field>,
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
    /// Leaf node indices in template order.
    leaves: Vec<usize>,
    depth: u32,
}

impl Matcher {
    pub fn new(t: &Template) -> Matcher {
        fn walk(
            cols: &[Column],
            parent: Option<usize>,
            nodes: &mut Vec<Node>,
            leaves: &mut Vec<usize>,
        ) {
            for c in cols {
                let mut norms: Vec<String> = std::iter::once(&c.label)
                    .chain(c.aliases.iter())
                    .map(|s| normalize(s))
                    .filter(|s| !s.is_empty())
                    .collect();
                norms.dedup();
                let idx = nodes.len();
                nodes.push(Node {
                    norms,
                    field: if c.children.is_empty() { c.field } else { None },
                    parent,
                });
                if c.children.is_empty() {
                    if c.field.is_some() {
                        leaves.push(idx);
                    }
                } else {
                    walk(&c.children, Some(idx), nodes, leaves);
                }
            }
        }
        let mut nodes = Vec::new();
        let mut leaves = Vec::new();
        walk(&t.columns, None, &mut nodes, &mut leaves);
        let mut m = Matcher {
            nodes,
            all: HashSet::new(),
            firsts: Vec::new(),
            leaves,
            depth: t.depth().max(1),
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
        match normalized_chars(text).next() {
            Some(c) if self.firsts.binary_search(&c).is_ok() => self.is_label(&normalize(text)),
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
            .filter(|&&l| self.nodes[l].field == Some(Field::Name))
            .flat_map(|&l| self.nodes[l].norms.iter().map(|s| s.as_str()))
            .collect()
    }
}

/// A resolved header block.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    /// 0-based first and last row.
    pub first_row: u32,
    pub last_row: u32,
    /// Matched leaves in column order: field, 0-based column, found label path.
    pub cols: Vec<(Field, u32, String)>,
    pub first_col: u32,
    pub last_col: u32,
}

impl Header {
    pub fn col(&self, f: Field) -> Option<u32> {
        self.cols.iter().find(|c| c.0 == f).map(|c| c.1)
    }
}

/// Whether a row of cells reads as (part of) a repeated header block.
pub(crate) fn is_header_row(m: &Matcher, cells: &[&GCell]) -> bool {
    let mut hits = 0;
    let mut total = 0;
    for c in cells {
        total += 1;
        if m.is_label_text(&c.text) {
            hits += 1;
        }
    }
    hits >= 2 && hits * 2 > total
}

/// Longer cell texts are never header labels (skips normalising long text).
const MAX_LABEL_BYTES: usize = 300;

/// Minimum matched leaves (绩效指标 included) for a header to be the table's.
pub(crate) const MIN_LEAVES: usize = 4;

/// Finds the header block of the template in a sheet. `Err` gives the reason.
pub(crate) fn find_header(grid: &Grid, m: &Matcher) -> Result<Header, String> {
    let names = m.name_norms();
    let name_firsts: HashSet<char> = names.iter().filter_map(|n| n.chars().next()).collect();
    let mut tried = HashSet::new();
    let mut best = 0usize;
    for c in &grid.cells {
        if tried.len() >= 50 {
            break;
        }
        if tried.contains(&c.row) || c.text.len() > MAX_LABEL_BYTES {
            continue;
        }
        let first = normalized_chars(&c.text).next();
        if !first.is_some_and(|f| name_firsts.contains(&f)) {
            continue;
        }
        let n = normalize(&c.text);
        if !names.iter().any(|x| *x == n) {
            continue;
        }
        tried.insert(c.row);
        let h = resolve(grid, m, c.row);
        let has_name = h.cols.iter().any(|c| c.0 == Field::Name);
        if has_name && h.cols.len() >= MIN_LEAVES {
            return Ok(h);
        }
        best = best.max(h.cols.len());
    }
    if tried.is_empty() {
        Err("没有找到“绩效指标”表头".to_string())
    } else {
        Err(format!(
            "表头只认出 {best} 列，少于 {MIN_LEAVES} 列，可能是其他模板的表"
        ))
    }
}

fn resolve(grid: &Grid, m: &Matcher, h0: u32) -> Header {
    // How many rows the header occupies.
    let max_rows = m.depth + 1;
    let mut h1 = h0;
    for mg in &grid.merges {
        if mg.r0 == h0 {
            h1 = h1.max(mg.r1.min(h0 + max_rows - 1));
        }
    }
    for r in h0 + 1..h0 + max_rows {
        let row_has_label = grid
            .rows_between(r, r)
            .iter()
            .any(|c| m.is_label_text(&c.text));
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
            Some(c.text.clone());
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
    let mut assigned: Vec<(Field, u32, String)> = Vec::new();
    let mut last_leaf: Option<usize> = None;
    for (&col, v) in &labels {
        let mut path: Vec<(&str, String)> = Vec::new();
        for t in v.iter().flatten() {
            let n = normalize(t);
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
            let field = m.nodes[leaf].field;
            let free = !assigned.iter().any(|a| Some(a.0) == field);
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
        let Some(field) = m.nodes[m.leaves[pos]].field else {
            continue;
        };
        if assigned.iter().any(|a| a.0 == field) {
            continue;
        }
        last_leaf = Some(pos);
        let label = path
            .iter()
            .map(|(t, _)| super::clean::clean_text(t))
            .collect::<Vec<_>>()
            .join(" › ");
        assigned.push((field, col, label));
    }
    let first_col = assigned.iter().map(|a| a.1).min().unwrap_or(0);
    let last_col = assigned.iter().map(|a| a.1).max().unwrap_or(0);
    Header {
        first_row: h0,
        last_row: h1,
        cols: assigned,
        first_col,
        last_col,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_drops_space_brackets_and_width() {
        assert_eq!(normalize("年度\n指标值"), "年度指标值");
        assert_eq!(normalize("前三年 均值"), "前三年均值");
        assert_eq!(
            normalize("标准值（规划目标、行业标准或其他明确标准）"),
            "标准值"
        );
        assert_eq!(normalize("历史值(统计年鉴/统计公报"), "历史值");
        assert_eq!(normalize("ＡＢ１"), "AB1");
    }

    #[test]
    fn matcher_knows_source_spellings() {
        let t = Template::default_template();
        let m = Matcher::new(&t);
        assert!(m.is_label("标准值来源"));
        assert!(m.is_label("历史值来源"));
        assert!(m.is_label("绩效指标"));
        assert!(!m.is_label("教育改革"));
    }
}
