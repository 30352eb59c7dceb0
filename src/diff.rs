//! Compares last year's table with this year's: two models in, changes out (pure, no I/O).
//!
//! # Matching
//!
//! 1. **Duties** are paired one-to-one, in passes, each pass only over duties
//!    not paired yet, current duties in table order, candidates in prior order:
//!    same 职责序号 and 部门职责 → same 部门职责 → same 职责序号 (unless the two
//!    duties share nothing: neither a similar name, nor a similar objective, nor
//!    an indicator name) → same 职责目标 → most shared indicator names (at least
//!    half of the smaller duty's). A duty found in one year only is one
//!    `added`/`removed` change (`indicator` and `field` null, `new`/`old` its
//!    部门职责); its indicators are folded into that change and not listed one
//!    by one, except those matched elsewhere (reported as `moved`).
//! 2. **Same name** (compared by [`text_key`]) inside each pair of duties.
//! 3. **Moved**: same name in any other duty (of either year's leftovers) →
//!    `moved`; among several candidates, the one agreeing on most fields.
//! 4. **Renamed**: inside each pair of duties only, between the leftovers, the
//!    best one-to-one pairing by [`rename_score`] (greedy by score). A name
//!    equal once year tokens (`2022` → `2023`) are normalised is always a rename;
//!    otherwise the name alone never suffices: the explanations must be similar
//!    too (or, when an explanation is missing, the 年度指标值 unit must agree and
//!    the position or a value must agree); a freely rewritten name needs the
//!    same specific explanation and unit. Quantities of different units are
//!    never a rename. Thresholds: see [`rename_score`]. With more than 1,024
//!    candidate pairs in one duty, candidates come from shared name character
//!    pairs (at most 16 a name), so the work stays near-linear.
//! 5. **Moved and renamed**: names equal up to year tokens in another duty.
//! 6. The rest: `added` / `removed`.
//!
//! # Changes
//!
//! Matched indicators get one `modified` change per differing field (the name
//! is reported as `renamed`, a change of duty as `moved`). Texts are compared
//! after [`text_key`] (white space removed, full-width digits, letters and `%` made half-width), so
//! formatting alone is never a change; `"90%"` and `"90.00%"` do differ.
//!
//! Order (as examples/linyi-education-2022-2023.diff.expected.json has it):
//! first the duties' own changes — current duties in table order (`added`, or
//! `modified` 部门职责 then 职责目标), then removed duties in prior order; then
//! the indicators in current table order (for each: `moved`, `renamed`, then
//! `modified` in column order; or `added`); last the removed indicators, in
//! prior table order.
//!
//! `delta` (`{number, percent}`) is set when both values are parsed quantities
//! (`Indicator::parsed`, filled by the reader) of the same unit; numbers are
//! rounded to 10 significant digits; `percent` is `None` when the old value is 0.
//!
//! # For writers
//!
//! Every change carries `place` / `prior_place` (not in the JSON); the pairing
//! itself is [`DiffReport::matching`] (an added duty's indicators have no pair:
//! `matching.current_duty[d]` is `None`). [`attainment`] gives the 目标完成 rows,
//! [`char_edits`] the character-level edits of a changed text, [`render_text`]
//! and [`Change::describe`] the lines a person reads.

use crate::model::{Cmp, Duty, Field, Indicator, Place, Quantity, Seq, Table};
use crate::quantity::same_unit;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};

/// The `schema` value of the diff JSON.
pub const DIFF_SCHEMA: &str = "jixiao.diff/1";

/// The diff JSON (spec/model.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffReport {
    pub schema: String,
    pub prior: Side,
    pub current: Side,
    pub summary: Summary,
    pub changes: Vec<Change>,
    /// How duties and indicators were paired (not part of the JSON).
    #[serde(skip)]
    pub matching: Matching,
}

/// One of the two tables compared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    pub title: String,
    pub year: Option<i32>,
    pub path: String,
}

/// Counts of changes by kind; `unchanged` counts matched indicators with no change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Summary {
    pub added: usize,
    pub removed: usize,
    pub renamed: usize,
    pub moved: usize,
    pub modified: usize,
    pub unchanged: usize,
}

/// What kind of fact a change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Renamed,
    Moved,
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The duty's seq in the current table (in the prior table for `removed`).
    pub duty: Option<Seq>,
    /// The indicator's name in the current table (prior for `removed`); `None` for a duty's own change.
    pub indicator: Option<String>,
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delta: Option<Delta>,
    /// Where the change sits in the current table (`None` for `removed`).
    /// A whole duty added: `{duty, indicator: None, field: Seq}`; a duty's own
    /// field: `{duty, None, DutyName | Objective}`; an indicator added, renamed
    /// or moved: its `Name` cell; a modified field: that field's cell.
    #[serde(skip)]
    pub place: Option<Place>,
    /// Where it sat in the prior table (`None` for `added`), same conventions.
    #[serde(skip)]
    pub prior_place: Option<Place>,
}

/// The numeric change between two quantities of the same unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta {
    /// New minus old; written as a JSON integer when whole (`10000`, not `10000.0`).
    #[serde(serialize_with = "serialize_number")]
    pub number: f64,
    /// Relative change in percent of the old value; `None` when the old value is 0.
    pub percent: Option<f64>,
}

/// Whole numbers are written as JSON integers, as the model writes them.
fn serialize_number<S: serde::Serializer>(n: &f64, s: S) -> Result<S::Ok, S::Error> {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 9.0e15 {
        s.serialize_i64(*n as i64)
    } else {
        s.serialize_f64(*n)
    }
}

/// An indicator's position in a table: duty index and indicator index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndRef {
    pub duty: usize,
    pub indicator: usize,
}

/// How a pair of indicators was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchHow {
    /// Same name in paired duties.
    Same,
    /// Same name, other duty.
    Moved,
    /// Similar name in paired duties.
    Renamed,
    /// Name equal up to year tokens, other duty.
    MovedRenamed,
}

/// One matched indicator: where it is in each year and how it was found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    pub prior: IndRef,
    pub current: IndRef,
    pub how: MatchHow,
    /// The rename score (1.0 for the other kinds).
    pub score: f64,
}

/// The pairing of two tables' duties and indicators.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matching {
    /// For each prior duty, the index of its current duty.
    pub prior_duty: Vec<Option<usize>>,
    /// For each current duty, the index of its prior duty.
    pub current_duty: Vec<Option<usize>>,
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

/// Compares two years of one department's table.
pub fn diff(prior: &Table, current: &Table) -> DiffReport {
    let side = |t: &Table| Side {
        title: t.title.clone(),
        year: t.year,
        path: t.source.path.clone(),
    };
    let matching = match_tables(prior, current);
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
    summary.unchanged = matching
        .pairs
        .iter()
        .filter(|p| {
            let a = ind(prior, p.prior);
            let b = ind(current, p.current);
            !matches!(p.how, MatchHow::Moved | MatchHow::MovedRenamed)
                && Field::INDICATOR
                    .iter()
                    .all(|&f| same_key(a.get(f).unwrap_or(""), b.get(f).unwrap_or("")))
        })
        .count();
    DiffReport {
        schema: DIFF_SCHEMA.into(),
        prior: side(prior),
        current: side(current),
        summary,
        changes,
        matching,
    }
}

fn ind(t: &Table, r: IndRef) -> &Indicator {
    &t.duties[r.duty].indicators[r.indicator]
}

// ---------------------------------------------------------------------------
// Text keys and similarity

/// The text as compared: white space (including U+3000) removed, full-width
/// digits, letters and `%` made half-width (as the cleaner does; Chinese
/// punctuation such as `，` is kept, so `，` and `,` differ). Two texts with the same key differ only in formatting.
pub fn text_key(s: &str) -> String {
    key_chars(s).collect()
}

fn key_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter(|c| !c.is_whitespace()).map(|c| match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '％' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    })
}

/// [`text_key`], borrowed when the text is its own key (the common case).
fn text_key_cow(s: &str) -> Cow<'_, str> {
    let changes = s
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '％'));
    if changes {
        Cow::Owned(text_key(s))
    } else {
        Cow::Borrowed(s)
    }
}

/// `text_key(a) == text_key(b)`, without building the keys (equal texts first).
fn same_key(a: &str, b: &str) -> bool {
    a == b || key_chars(a).eq(key_chars(b))
}

/// Stands for any year (`19xx`/`20xx`) in [`year_key`].
const YEAR_TOKEN: char = '\u{E000}';

/// [`text_key`] with every free-standing year (`2022`, `2023`) replaced by one
/// token, so `…2022年继续招生…` and `…2023年继续招生…` have the same key.
pub fn year_key(s: &str) -> String {
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
pub fn similarity(a: &[char], b: &[char]) -> f64 {
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
// Duty matching

fn match_duties(prior: &[Duty], current: &[Duty]) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut p2c: Vec<Option<usize>> = vec![None; prior.len()];
    let mut c2p: Vec<Option<usize>> = vec![None; current.len()];

    // Passes by an exact key: seq+name, name, seq (guarded), objective.
    type KeyFn = fn(&Duty) -> Option<String>;
    let passes: [(KeyFn, bool); 4] = [
        (
            |d| Some(format!("{}\u{1}{}", d.seq, text_key(&d.name))),
            false,
        ),
        (|d| Some(text_key(&d.name)).filter(|k| !k.is_empty()), false),
        (|d| Some(d.seq.to_string()).filter(|k| !k.is_empty()), true),
        (
            |d| Some(text_key(&d.objective)).filter(|k| !k.is_empty()),
            false,
        ),
    ];
    for (key, guarded) in passes {
        let mut by_key: HashMap<String, VecDeque<usize>> = HashMap::new();
        for (pi, d) in prior.iter().enumerate() {
            if p2c[pi].is_none() {
                if let Some(k) = key(d) {
                    by_key.entry(k).or_default().push_back(pi);
                }
            }
        }
        for (ci, d) in current.iter().enumerate() {
            if c2p[ci].is_some() {
                continue;
            }
            let Some(k) = key(d) else { continue };
            let Some(queue) = by_key.get_mut(&k) else {
                continue;
            };
            let Some(pos) = queue
                .iter()
                .position(|&pi| !guarded || duties_related(&prior[pi], d))
            else {
                continue;
            };
            let pi = queue.remove(pos).expect("position is in range");
            p2c[pi] = Some(ci);
            c2p[ci] = Some(pi);
        }
    }

    // Last pass: most shared indicator names, at least half of the smaller duty.
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (pi, d) in prior.iter().enumerate() {
        if p2c[pi].is_none() {
            for i in &d.indicators {
                let v = by_name.entry(year_key(&i.name)).or_default();
                if v.last() != Some(&pi) {
                    v.push(pi);
                }
            }
        }
    }
    if !by_name.is_empty() {
        for (ci, d) in current.iter().enumerate() {
            if c2p[ci].is_some() || d.indicators.is_empty() {
                continue;
            }
            let mut counts: HashMap<usize, usize> = HashMap::new();
            let mut seen = std::collections::HashSet::new();
            for i in &d.indicators {
                let k = year_key(&i.name);
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
                    let smaller = prior[pi].indicators.len().min(d.indicators.len());
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

/// Two duties with the same seq are the same duty unless they share nothing.
fn duties_related(a: &Duty, b: &Duty) -> bool {
    let sim = |x: &str, y: &str| {
        let x: Vec<char> = text_key(x).chars().collect();
        let y: Vec<char> = text_key(y).chars().collect();
        if x.is_empty() || y.is_empty() {
            None
        } else {
            Some(similarity(&x, &y))
        }
    };
    let name = sim(&a.name, &b.name);
    let objective = sim(&a.objective, &b.objective);
    if name.is_none() && objective.is_none() {
        return true; // nothing to tell them apart: trust the seq
    }
    if name.unwrap_or(0.0) >= 0.3 || objective.unwrap_or(0.0) >= 0.3 {
        return true;
    }
    let names: std::collections::HashSet<String> =
        a.indicators.iter().map(|i| year_key(&i.name)).collect();
    b.indicators
        .iter()
        .any(|i| names.contains(&year_key(&i.name)))
}

// ---------------------------------------------------------------------------
// Indicator matching

/// Pairs the duties and indicators of two tables (see the module docs).
pub fn match_tables(prior: &Table, current: &Table) -> Matching {
    let (prior_duty, current_duty) = match_duties(&prior.duties, &current.duties);
    let mut m = IndicatorMatcher::new(prior, current);

    // Same name inside paired duties.
    for (ci, cd) in current.duties.iter().enumerate() {
        let Some(pi) = current_duty[ci] else { continue };
        let mut by_name: HashMap<Cow<'_, str>, VecDeque<usize>> = HashMap::new();
        for (k, i) in prior.duties[pi].indicators.iter().enumerate() {
            by_name
                .entry(text_key_cow(&i.name))
                .or_default()
                .push_back(k);
        }
        for (k, i) in cd.indicators.iter().enumerate() {
            if let Some(pk) = by_name
                .get_mut(&text_key_cow(&i.name))
                .and_then(|q| q.pop_front())
            {
                m.pair(
                    IndRef {
                        duty: pi,
                        indicator: pk,
                    },
                    IndRef {
                        duty: ci,
                        indicator: k,
                    },
                    MatchHow::Same,
                    1.0,
                );
            }
        }
    }

    // Same name, another duty.
    m.cross_duty(text_key, MatchHow::Moved, &current_duty);

    // Renames inside paired duties.
    for (ci, _) in current.duties.iter().enumerate() {
        if let Some(pi) = current_duty[ci] {
            m.renames_within(pi, ci);
        }
    }

    // Names equal up to year tokens, another duty.
    m.cross_duty(year_key, MatchHow::MovedRenamed, &current_duty);

    let mut pairs = m.pairs;
    pairs.sort_by_key(|p| p.current);
    Matching {
        prior_duty,
        current_duty,
        pairs,
    }
}

struct IndicatorMatcher<'a> {
    prior: &'a Table,
    current: &'a Table,
    prior_used: Vec<Vec<bool>>,
    current_used: Vec<Vec<bool>>,
    pairs: Vec<Pair>,
}

/// At most this many candidates per current indicator are scored as renames.
pub const RENAME_CANDIDATES: usize = 16;
/// A character pair found in more names than this (of one duty's leftovers)
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
/// The overall score a rename needs.
pub const RENAME_THRESHOLD: f64 = 0.6;

impl<'a> IndicatorMatcher<'a> {
    fn new(prior: &'a Table, current: &'a Table) -> Self {
        let used = |t: &Table| {
            t.duties
                .iter()
                .map(|d| vec![false; d.indicators.len()])
                .collect::<Vec<_>>()
        };
        IndicatorMatcher {
            prior,
            current,
            prior_used: used(prior),
            current_used: used(current),
            pairs: Vec::new(),
        }
    }

    fn pair(&mut self, p: IndRef, c: IndRef, how: MatchHow, score: f64) {
        self.prior_used[p.duty][p.indicator] = true;
        self.current_used[c.duty][c.indicator] = true;
        self.pairs.push(Pair {
            prior: p,
            current: c,
            how,
            score,
        });
    }

    /// Pairs leftovers with the same (non-empty) `key` of name across duties
    /// (one-to-one; among the first 64 candidates the one agreeing on most
    /// fields, the first on ties).
    fn cross_duty(
        &mut self,
        key: fn(&str) -> String,
        how: MatchHow,
        current_duty: &[Option<usize>],
    ) {
        // Lists hold unused prior indicators only; a chosen one is removed.
        let mut by_key: HashMap<String, VecDeque<IndRef>> = HashMap::new();
        for (pi, d) in self.prior.duties.iter().enumerate() {
            for (k, i) in d.indicators.iter().enumerate() {
                if self.prior_used[pi][k] {
                    continue;
                }
                let name_key = key(&i.name);
                if !name_key.is_empty() {
                    by_key.entry(name_key).or_default().push_back(IndRef {
                        duty: pi,
                        indicator: k,
                    });
                }
            }
        }
        if by_key.is_empty() {
            return;
        }
        for (ci, d) in self.current.duties.iter().enumerate() {
            for (k, i) in d.indicators.iter().enumerate() {
                if self.current_used[ci][k] {
                    continue;
                }
                let name_key = key(&i.name);
                if how == MatchHow::MovedRenamed && name_key.chars().count() < 4 {
                    continue;
                }
                let Some(cands) = by_key.get_mut(&name_key) else {
                    continue;
                };
                let best = cands
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| current_duty[ci] != Some(r.duty))
                    .take(64)
                    .max_by_key(|(n, r)| {
                        (
                            agreeing_fields(ind(self.prior, **r), i),
                            std::cmp::Reverse(*n),
                        )
                    })
                    .map(|(n, r)| (n, *r));
                if let Some((n, p)) = best {
                    cands.remove(n);
                    self.pair(
                        p,
                        IndRef {
                            duty: ci,
                            indicator: k,
                        },
                        how,
                        1.0,
                    );
                }
            }
        }
    }

    /// The best one-to-one renames between the leftovers of one pair of duties.
    fn renames_within(&mut self, pi: usize, ci: usize) {
        let pd = &self.prior.duties[pi];
        let cd = &self.current.duties[ci];
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
            .map(|&k| year_key(&pd.indicators[k].name).chars().collect())
            .collect();
        let keys_c: Vec<Vec<char>> = left_c
            .iter()
            .map(|&k| year_key(&cd.indicators[k].name).chars().collect())
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
                    duty: pi,
                    indicator: pk,
                },
                IndRef {
                    duty: ci,
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
fn agreeing_fields(a: &Indicator, b: &Indicator) -> usize {
    Field::INDICATOR
        .iter()
        .filter(|&&f| f != Field::Name)
        .filter(|&&f| {
            let (x, y) = (a.get(f).unwrap_or(""), b.get(f).unwrap_or(""));
            key_chars(x).next().is_some() && same_key(x, y)
        })
        .count()
}

/// Where two rename candidates sit: (index in duty, duty's indicator count).
#[derive(Debug, Clone, Copy)]
pub struct RenameContext {
    pub prior_pos: (usize, usize),
    pub current_pos: (usize, usize),
}

/// The evidence that `current` is `prior` renamed, `None` when it is not
/// enough. A name equal up to year tokens scores 2.0. Otherwise the name must
/// be [`MIN_NAME_SIMILARITY`] similar (or [`MIN_NAME_SIMILARITY_SAME_EXPLANATION`]
/// with the same specific explanation and the same unit) and more evidence
/// must agree:
///
/// - both explanations present: their similarity (boilerplate like 反映…情况。
///   removed) must reach [`MIN_EXPLANATION_SIMILARITY`];
/// - an explanation missing: the name must be [`MIN_NAME_SIMILARITY_ALONE`]
///   similar, the 年度指标值 units equal, and the position close or a value equal;
/// - 年度指标值 quantities of different units: never a rename.
///
/// Score = 0.5·name + 0.3·explanation + 0.1·same unit + 0.1·close position
/// (+0.05 when a value, source or activity text agrees), at least [`RENAME_THRESHOLD`].
pub fn rename_score(prior: &Indicator, current: &Indicator, ctx: &RenameContext) -> Option<f64> {
    let kp: Vec<char> = year_key(&prior.name).chars().collect();
    let kc: Vec<char> = year_key(&current.name).chars().collect();
    rename_score_keys(prior, &kp, current, &kc, ctx)
}

fn rename_score_keys(
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
        prior.quantity(Field::AnnualValue),
        current.quantity(Field::AnnualValue),
    ) {
        (Some(a), Some(b)) => Some(same_unit(&a.unit, &b.unit)),
        _ => None,
    };
    if unit == Some(false) {
        return None;
    }
    let (ep, ec) = (
        explanation_core(&prior.explanation),
        explanation_core(&current.explanation),
    );
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
        let same_explanation = key_chars(&prior.explanation).next().is_some()
            && same_key(&prior.explanation, &current.explanation);
        agreeing_fields(prior, current) - usize::from(same_explanation)
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

fn changes(prior: &Table, current: &Table, m: &Matching) -> Vec<Change> {
    // Duty-level changes, indicator changes, removed indicators (module docs).
    let mut duties_out = Vec::new();
    let mut out = Vec::new();
    let mut removed_out = Vec::new();
    let mut pairs_by_current: HashMap<IndRef, &Pair> = HashMap::with_capacity(m.pairs.len());
    let mut prior_matched: Vec<Vec<bool>> = prior
        .duties
        .iter()
        .map(|d| vec![false; d.indicators.len()])
        .collect();
    for p in &m.pairs {
        pairs_by_current.insert(p.current, p);
        prior_matched[p.prior.duty][p.prior.indicator] = true;
    }

    for (ci, cd) in current.duties.iter().enumerate() {
        let pi = m.current_duty[ci];
        match pi {
            None => duties_out.push(Change {
                kind: ChangeKind::Added,
                duty: Some(cd.seq.clone()),
                indicator: None,
                field: None,
                old: None,
                new: Some(cd.name.clone()),
                delta: None,
                place: Some(Place {
                    duty: ci,
                    indicator: None,
                    field: Field::Seq,
                }),
                prior_place: None,
            }),
            Some(pi) => {
                let pd = &prior.duties[pi];
                for (field, a, b) in [
                    (Field::DutyName, &pd.name, &cd.name),
                    (Field::Objective, &pd.objective, &cd.objective),
                ] {
                    if !same_key(a, b) {
                        duties_out.push(Change {
                            kind: ChangeKind::Modified,
                            duty: Some(cd.seq.clone()),
                            indicator: None,
                            field: Some(field.change_key().into()),
                            old: Some(a.clone()),
                            new: Some(b.clone()),
                            delta: None,
                            place: Some(Place {
                                duty: ci,
                                indicator: None,
                                field,
                            }),
                            prior_place: Some(Place {
                                duty: pi,
                                indicator: None,
                                field,
                            }),
                        });
                    }
                }
            }
        }
        for (k, i) in cd.indicators.iter().enumerate() {
            let here = IndRef {
                duty: ci,
                indicator: k,
            };
            match pairs_by_current.get(&here) {
                Some(p) => pair_changes(prior, current, p, &mut out),
                None if pi.is_some() => out.push(Change {
                    kind: ChangeKind::Added,
                    duty: Some(cd.seq.clone()),
                    indicator: Some(i.name.clone()),
                    field: None,
                    old: None,
                    new: None,
                    delta: None,
                    place: Some(Place {
                        duty: ci,
                        indicator: Some(k),
                        field: Field::Name,
                    }),
                    prior_place: None,
                }),
                None => {} // folded into the duty's own `added`
            }
        }
    }
    for (pi, pd) in prior.duties.iter().enumerate() {
        if m.prior_duty[pi].is_some() {
            for (k, i) in pd.indicators.iter().enumerate() {
                if !prior_matched[pi][k] {
                    removed_out.push(Change {
                        kind: ChangeKind::Removed,
                        duty: Some(pd.seq.clone()),
                        indicator: Some(i.name.clone()),
                        field: None,
                        old: None,
                        new: None,
                        delta: None,
                        place: None,
                        prior_place: Some(Place {
                            duty: pi,
                            indicator: Some(k),
                            field: Field::Name,
                        }),
                    });
                }
            }
            continue;
        }
        duties_out.push(Change {
            kind: ChangeKind::Removed,
            duty: Some(pd.seq.clone()),
            indicator: None,
            field: None,
            old: Some(pd.name.clone()),
            new: None,
            delta: None,
            place: None,
            prior_place: Some(Place {
                duty: pi,
                indicator: None,
                field: Field::Seq,
            }),
        });
    }
    duties_out.append(&mut out);
    duties_out.append(&mut removed_out);
    duties_out
}

fn pair_changes(prior: &Table, current: &Table, p: &Pair, out: &mut Vec<Change>) {
    let a = ind(prior, p.prior);
    let b = ind(current, p.current);
    let cd = &current.duties[p.current.duty];
    let pd = &prior.duties[p.prior.duty];
    let place = |field| {
        Some(Place {
            duty: p.current.duty,
            indicator: Some(p.current.indicator),
            field,
        })
    };
    let prior_place = |field| {
        Some(Place {
            duty: p.prior.duty,
            indicator: Some(p.prior.indicator),
            field,
        })
    };
    let change = |kind, field: &str, old: String, new: String, delta, f| Change {
        kind,
        duty: Some(cd.seq.clone()),
        indicator: Some(b.name.clone()),
        field: Some(field.into()),
        old: Some(old),
        new: Some(new),
        delta,
        place: place(f),
        prior_place: prior_place(f),
    };
    if matches!(p.how, MatchHow::Moved | MatchHow::MovedRenamed) {
        out.push(change(
            ChangeKind::Moved,
            "duty",
            pd.seq.to_string(),
            cd.seq.to_string(),
            None,
            Field::Name,
        ));
    }
    if !same_key(&a.name, &b.name) {
        out.push(change(
            ChangeKind::Renamed,
            "name",
            a.name.clone(),
            b.name.clone(),
            None,
            Field::Name,
        ));
    }
    for f in Field::INDICATOR {
        if f == Field::Name {
            continue;
        }
        let (x, y) = (a.get(f).unwrap_or(""), b.get(f).unwrap_or(""));
        if !same_key(x, y) {
            let delta = match (a.quantity(f), b.quantity(f)) {
                (Some(q), Some(r)) => delta(q, r),
                _ => None,
            };
            out.push(change(
                ChangeKind::Modified,
                f.change_key(),
                x.to_string(),
                y.to_string(),
                delta,
                f,
            ));
        }
    }
}

/// The change from `old` to `new` when both have the same unit.
pub fn delta(old: &Quantity, new: &Quantity) -> Option<Delta> {
    if !same_unit(&old.unit, &new.unit) || !old.number.is_finite() || !new.number.is_finite() {
        return None;
    }
    let number = round_sig(new.number - old.number);
    let percent = (old.number != 0.0)
        .then(|| round_sig((new.number - old.number) / old.number.abs() * 100.0));
    Some(Delta { number, percent })
}

/// Rounds to 10 significant digits, so float noise (`1.5900000000000034`) goes away.
pub fn round_sig(x: f64) -> f64 {
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
pub fn char_edits(old: &str, new: &str) -> Vec<Edit> {
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
    /// The column this change concerns, as a clerk knows it (`年度指标值`, `部门职责`, `职责`).
    pub fn field_label(&self) -> &'static str {
        match self.field.as_deref() {
            None => "",
            Some("duty") => "职责",
            Some("name") if self.indicator.is_none() => Field::DutyName.label(),
            Some(k) => Field::from_key(k).map(Field::label).unwrap_or(""),
        }
    }

    /// One line for a person, e.g.
    /// `修改 职责3 师资队伍培训人次 年度指标值：10万人次 → 11万人次（+10.0%）`.
    pub fn describe(&self) -> String {
        let duty = self
            .duty
            .as_ref()
            .map(|s| format!("职责{s}"))
            .unwrap_or_default();
        let kind = self.kind.label();
        let Some(name) = &self.indicator else {
            // A duty's own change.
            return match self.kind {
                ChangeKind::Added => format!(
                    "{kind} {duty} {}（整项职责及其指标）",
                    self.new.as_deref().unwrap_or("")
                ),
                ChangeKind::Removed => format!(
                    "{kind} {duty} {}（整项职责及其指标）",
                    self.old.as_deref().unwrap_or("")
                ),
                _ => {
                    let (old, new) = excerpts(
                        self.old.as_deref().unwrap_or(""),
                        self.new.as_deref().unwrap_or(""),
                    );
                    format!("{kind} {duty} {}：{old} → {new}", self.field_label())
                }
            };
        };
        match self.kind {
            ChangeKind::Added | ChangeKind::Removed => format!("{kind} {duty} {name}"),
            ChangeKind::Moved => format!(
                "{kind} {name}：职责{} → 职责{}",
                self.old.as_deref().unwrap_or(""),
                self.new.as_deref().unwrap_or("")
            ),
            ChangeKind::Renamed => format!(
                "{kind} {duty} {} → {}",
                self.old.as_deref().unwrap_or(""),
                self.new.as_deref().unwrap_or("")
            ),
            ChangeKind::Modified => {
                let (old, new) = excerpts(
                    self.old.as_deref().unwrap_or(""),
                    self.new.as_deref().unwrap_or(""),
                );
                let mut s = format!("{kind} {duty} {name} {}：{old} → {new}", self.field_label());
                if let Some(d) = &self.delta {
                    match d.percent {
                        Some(p) => s.push_str(&format!("（{p:+.1}%）")),
                        None if d.number != 0.0 => s.push_str(&format!("（{:+}）", d.number)),
                        None => {}
                    }
                }
                s
            }
        }
    }
}

/// What `jixiao diff` prints for a person: both tables, the counts by kind,
/// then one line per change ([`Change::describe`]).
pub fn render_text(report: &DiffReport) -> String {
    let side = |label: &str, s: &Side| {
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attainment {
    /// The duty's seq in the current table.
    pub duty: Seq,
    /// The indicator's name in the current table.
    pub indicator: String,
    /// Last year's 年度指标值 (prior table).
    pub target: String,
    /// Last year's actual: this year's 上年值 (current table).
    pub actual: String,
    pub status: AttainmentStatus,
    /// The 上年值 cell in the current table.
    #[serde(skip)]
    pub place: Place,
    /// The 年度指标值 cell in the prior table.
    #[serde(skip)]
    pub prior_place: Place,
}

/// Last year's targets against the actuals reported this year, one row per
/// matched indicator (in current table order; added indicators have no target).
///
/// 达成 when both parse as quantities of the same unit and the actual meets the
/// target under its comparator (none means ≥; `=` within rounding), or when
/// both are the same non-quantity text (`基本实现` → `基本实现`); 未达成 when
/// comparable and not met; else 无法比较 (missing, `/`, compound, other units).
pub fn attainment(prior: &Table, current: &Table, report: &DiffReport) -> Vec<Attainment> {
    report
        .matching
        .pairs
        .iter()
        .filter_map(|p| {
            let a = prior
                .duties
                .get(p.prior.duty)?
                .indicators
                .get(p.prior.indicator)?;
            let cd = current.duties.get(p.current.duty)?;
            let b = cd.indicators.get(p.current.indicator)?;
            Some(Attainment {
                duty: cd.seq.clone(),
                indicator: b.name.clone(),
                target: a.annual_value.clone(),
                actual: b.history_last.clone(),
                status: attainment_status(a, b),
                place: Place {
                    duty: p.current.duty,
                    indicator: Some(p.current.indicator),
                    field: Field::HistoryLast,
                },
                prior_place: Place {
                    duty: p.prior.duty,
                    indicator: Some(p.prior.indicator),
                    field: Field::AnnualValue,
                },
            })
        })
        .collect()
}

fn attainment_status(prior: &Indicator, current: &Indicator) -> AttainmentStatus {
    if let (Some(t), Some(a)) = (
        prior.quantity(Field::AnnualValue),
        current.quantity(Field::HistoryLast),
    ) {
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
    let (t, a) = (
        text_key(&prior.annual_value),
        text_key(&current.history_last),
    );
    let quantity = prior.quantity(Field::AnnualValue).is_some()
        || current.quantity(Field::HistoryLast).is_some();
    if !quantity && !t.is_empty() && t != "/" && t == a {
        AttainmentStatus::Met
    } else {
        AttainmentStatus::NotComparable
    }
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
