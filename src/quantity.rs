//! Reads a value's cleaned text as a quantity (`≥95%`, `11万人次`) or says what else it is.
//!
//! Pure text → [`Parsed`]; no I/O.
//!
//! # Grammar of a quantity
//!
//! `[prefix] [sign] NUMBER [scale] [unit] [suffix]`, white space allowed between parts:
//!
//! - NUMBER: Arabic digits, optional `,` or `，` thousands groups (`1,200`, `1，200`:
//!   a comma right after at most 3 digits and followed by exactly 3) and decimals
//!   (`90.42`; `90. 00` with a stray space after the point, as PDF copies have, is
//!   read as `90.00`). Chinese numerals (`一个`) are not numbers.
//! - scale: `百 千 万 十万 百万 千万 亿 十亿 百亿 千亿 万亿` right after the number,
//!   applied exactly in decimal (`11万` → `110000`, `2.5亿` → `250000000`,
//!   `1.1万` → `11000`, never `11000.000000000002`). `百` before `分` is not a scale.
//! - unit: what follows, trimmed (`%`, `个`, `人次`, `人次/年`, `个百分点`); `""` for a
//!   bare number. A unit is at most 8 characters, holds no sentence punctuation or
//!   brackets, no qualitative word, no deadline (`年/月/日/号` then `底 前 末 初`:
//!   `12月底前` is a date, not an amount), and a `%`/`‰` unit is exactly that sign (`85%%` is not a
//!   quantity).
//! - prefix comparators: `≥ >= 不低于 不少于 不小于 至少 最少 大于等于 达到 达` → `>=`;
//!   `> ＞ 大于 高于 超过 多于` → `>`; `≤ <= 不高于 不超过 不大于 不多于 至多 最多
//!   小于等于 控制在` → `<=`; `< ＜ 小于 低于 少于 不足 不到` → `<`; `= ＝ 等于` → `=`;
//!   `约 约为 大约 近 接近 ≈ ~ 保持在 维持在 稳定在` → no comparator (`cmp` null);
//!   so are labels that only name the period or a total (`每年 每月 全年 年均 共 合计
//!   累计` …: `每年1次` → `1 次`). Any other text before the number is a label, and
//!   a labelled single number is not a quantity (`第3名`, `提高5%`, `见附件3`).
//!   Note the negated forms: "not lower than" is `>=`, "not above" is `<=`.
//! - suffix comparators: `以上 及以上 或以上` → `>=`; `以下 及以下 或以下 以内 之内 内` →
//!   `<=`; `左右 上下` → none. `（含）`/`(含)` before or after them is dropped
//!   (`90%（含）以上`, `90%以上（含）` → `>= 90 %`).
//! - A prefix and a suffix comparator pointing the same way keep the prefix
//!   (`超过90%以上` → `>`); opposite ones make the text unparsed.
//!
//! # Classification
//!
//! 1. Empty → `None`.
//! 2. Only `/ ／ - － — – ―` characters (`/`, `--`, `——`), or `不适用`, `不涉及`, `N/A`
//!    → [`Parsed::NotApplicable`]. (`无` is left to the template's qualitative words.)
//! 3. One number matching the grammar → [`Parsed::Quantity`].
//! 4. Two or more quantities: a range (`90%-95%`, `90-95%`, `90%~95%`, `1至2个`) or a
//!    list whose items, separated by `、，,；;` or line breaks (failing that, also by
//!    spaces), are each an optional label plus one quantity (`省赛获奖35、国赛获奖7`,
//!    `报考72万人，255万科次`, `省赛35 国赛7`) → [`Parsed::Compound`]. Two numbers with
//!    nothing between them but a unit (`2023年12月`) are not a list.
//! 5. Otherwise, text containing a qualitative word → [`Parsed::Qualitative`]. This
//!    includes text *with* a number that does not fit the grammar but carries such a
//!    word (`提高5%`, `30天内完成`, `2023年底前完成`): it is a recognisable target,
//!    not a figure to compare.
//! 6. Everything else → [`Parsed::Unparsed`] (`见附件`, `85%%`, `待定`, `第3名`,
//!    `2023年12月`), so validation can warn.
//!
//! # Amounts of money
//!
//! [`parse_money`] reads a form's amount (`250`, `2,500,000.00`, `250万元`) in the
//! table's money unit and gives it in 元, so amounts of tables in 元 and in 万元
//! compare and add up.

use crate::model::{Cmp, Parsed, Quantity};
use crate::text::{clean_cow, same_text_key};
use std::cmp::Ordering;

/// What `text` reads as; `None` for an empty value. `qualitative_words` come from the
/// template's rules. The text is cleaned first ([`clean_text`](crate::text::clean_text)), so raw cell text is
/// accepted too. See the module documentation for the grammar and the decisions.
///
/// ```
/// use jixiao::model::{Cmp, Parsed, Quantity};
/// use jixiao::quantity::parse_value;
/// let words = vec!["实现".to_string()];
/// assert_eq!(
///     parse_value("11万人次", &words),
///     Some(Parsed::Quantity(Quantity { cmp: None, number: 110000.0, unit: "人次".into() }))
/// );
/// assert_eq!(
///     parse_value("75%以上", &words),
///     Some(Parsed::Quantity(Quantity { cmp: Some(Cmp::Ge), number: 75.0, unit: "%".into() }))
/// );
/// assert_eq!(parse_value("基本实现", &words), Some(Parsed::Qualitative));
/// assert_eq!(parse_value("省赛获奖35、国赛获奖7", &words), Some(Parsed::Compound));
/// assert_eq!(parse_value("/", &words), Some(Parsed::NotApplicable));
/// assert_eq!(parse_value("见附件", &words), Some(Parsed::Unparsed));
/// assert_eq!(parse_value(" ", &words), None);
/// ```
pub fn parse_value(text: &str, qualitative_words: &[String]) -> Option<Parsed> {
    parse_value_with(text, &Words::new(qualitative_words))
}

/// The qualitative words, trimmed and ready for many [`parse_value_with`] calls.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    list: Vec<&'a str>,
    /// First bytes of the words: text holding none of them holds no word.
    first: [bool; 256],
}

impl<'a> Words<'a> {
    /// A matcher of these words.
    pub fn new(words: &'a [String]) -> Words<'a> {
        let list: Vec<&str> = words
            .iter()
            .map(|w| w.trim())
            .filter(|w| !w.is_empty())
            .collect();
        let mut first = [false; 256];
        for w in &list {
            first[w.as_bytes()[0] as usize] = true;
        }
        Words { list, first }
    }

    /// True when `t` contains one of the words.
    fn any_in(&self, t: &str) -> bool {
        let b = t.as_bytes();
        if !b.iter().any(|&x| self.first[x as usize]) {
            return false;
        }
        self.list
            .iter()
            .any(|w| w.len() <= b.len() && t.contains(w))
    }
}

/// [`parse_value`] with the words prepared once (for reading many values).
pub fn parse_value_with(text: &str, words: &Words<'_>) -> Option<Parsed> {
    let cleaned = clean_cow(text);
    let t = cleaned.trim();
    if t.is_empty() {
        return None;
    }
    if is_not_applicable(t) {
        return Some(Parsed::NotApplicable);
    }
    let nums = scan_numbers(t);
    let fallback = || {
        if words.any_in(t) {
            Parsed::Qualitative
        } else {
            Parsed::Unparsed
        }
    };
    Some(match nums.len() {
        0 => fallback(),
        1 => match single(t, &nums[0], words) {
            Some(q) => Parsed::Quantity(q),
            None => fallback(),
        },
        _ => {
            if is_range(t, &nums, words)
                || is_list(t, &nums, words, "、，,；;\n")
                || is_list(t, &nums, words, "、，,；;\n ")
            {
                Parsed::Compound
            } else {
                fallback()
            }
        }
    })
}

/// Compares two quantities' numbers; `None` when their units differ (after trimming,
/// with `％` read as `%`) or a number is NaN. Comparators are not considered:
/// `≥90%` and `90%` compare equal.
pub fn compare(a: &Quantity, b: &Quantity) -> Option<Ordering> {
    if !same_unit(&a.unit, &b.unit) {
        return None;
    }
    a.number.partial_cmp(&b.number)
}

/// True when two units differ only in formatting: the same
/// [`text_key`](crate::text::text_key) (white space ignored, `％` is `%`).
pub fn same_unit(a: &str, b: &str) -> bool {
    same_text_key(a, b)
}

/// Reads `text` as a single quantity, if it is one (a shortcut over [`parse_value`]).
pub fn quantity(text: &str, qualitative_words: &[String]) -> Option<Quantity> {
    match parse_value(text, qualitative_words) {
        Some(Parsed::Quantity(q)) => Some(q),
        _ => None,
    }
}

/// Reads an amount of money (a form's 年度资金总额) written in the table's
/// `money_unit` (`万元`, `元`; `""` or an unknown unit: 元) and gives it in 元:
/// `Parsed::Quantity { cmp: None, number, unit: "元" }`, rounded to 0.01 元.
///
/// Thousands separators (`2,500,000.00`, `2，500，000`), full-width digits, a
/// leading `¥`/`￥` and a trailing unit of its own (`250万元`, `250万`, `3000元`,
/// `1.2亿元`: that unit wins over `money_unit`) are accepted. Empty → `None`;
/// `/`, `—`, `不适用` → [`Parsed::NotApplicable`]; anything else (`待定`, `≤250`,
/// `约250`) → [`Parsed::Unparsed`].
///
/// ```
/// use jixiao::model::{Parsed, Quantity};
/// use jixiao::quantity::parse_money;
/// let yuan = |n: f64| Some(Parsed::Quantity(Quantity { cmp: None, number: n, unit: "元".into() }));
/// assert_eq!(parse_money("250", "万元"), yuan(2_500_000.0));
/// assert_eq!(parse_money("2,500,000.00", "元"), yuan(2_500_000.0));
/// assert_eq!(parse_money("250万元", "元"), yuan(2_500_000.0));
/// assert_eq!(parse_money("待定", "万元"), Some(Parsed::Unparsed));
/// assert_eq!(parse_money("", "万元"), None);
/// ```
pub fn parse_money(text: &str, money_unit: &str) -> Option<Parsed> {
    let cleaned = clean_cow(text);
    let t = cleaned.trim();
    if t.is_empty() {
        return None;
    }
    if is_not_applicable(t) {
        return Some(Parsed::NotApplicable);
    }
    Some(match amount_in_yuan(t, money_unit) {
        Some(number) => Parsed::Quantity(Quantity {
            cmp: None,
            number,
            unit: "元".to_string(),
        }),
        None => Parsed::Unparsed,
    })
}

/// Powers of ten from a money unit to 元.
fn money_exponent(unit: &str) -> Option<i32> {
    match unit.trim() {
        "" | "元" => Some(0),
        "千元" => Some(3),
        "万元" | "万" => Some(4),
        "百万元" => Some(6),
        "亿元" | "亿" => Some(8),
        _ => None,
    }
}

/// `[¥] [-] DIGITS[,ddd]*[.DIGITS] [unit]` in 元, or `None`.
fn amount_in_yuan(t: &str, money_unit: &str) -> Option<f64> {
    let t = t.trim_start_matches(['¥', '￥']).trim_start();
    let (negative, t) = match t.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t),
    };
    let b = t.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut i = 0;
    while digit(i) {
        i += 1;
    }
    if i == 0 {
        return None;
    }
    let mut int = t[..i].to_string();
    loop {
        let sep = if b.get(i) == Some(&b',') {
            1
        } else if t[i..].starts_with('，') {
            '，'.len_utf8()
        } else {
            break;
        };
        let j = i + sep;
        if !(digit(j) && digit(j + 1) && digit(j + 2) && !digit(j + 3)) {
            return None;
        }
        int.push_str(&t[j..j + 3]);
        i = j + 3;
    }
    let mut frac = "";
    if b.get(i) == Some(&b'.') {
        let j = i + 1;
        let mut k = j;
        while digit(k) {
            k += 1;
        }
        if k == j {
            return None;
        }
        frac = &t[j..k];
        i = k;
    }
    let written = t[i..].trim();
    let exponent = if written.is_empty() {
        // An unknown table unit reads the amount as written (元).
        money_exponent(money_unit).unwrap_or(0)
    } else {
        money_exponent(written)?
    };
    let v = scaled(&int, frac, exponent);
    if !v.is_finite() {
        return None;
    }
    let v = (v * 100.0).round() / 100.0;
    Some(if negative && v != 0.0 { -v } else { v })
}

fn is_not_applicable(t: &str) -> bool {
    t.chars()
        .all(|c| matches!(c, '/' | '／' | '-' | '－' | '—' | '–' | '―' | '─'))
        || matches!(t, "不适用" | "不涉及")
        || (t.len() <= 5 && t.replace('／', "/").eq_ignore_ascii_case("n/a"))
}

/// A number found in the text: byte span of the digits (`start..end`), the end of its
/// scale word (`scale_end`), and its value with the scale applied.
#[derive(Debug, Clone)]
struct Num {
    start: usize,
    scale_end: usize,
    value: f64,
}

const SCALES: [(&str, i32); 11] = [
    ("万亿", 12),
    ("千亿", 11),
    ("百亿", 10),
    ("十亿", 9),
    ("千万", 7),
    ("百万", 6),
    ("十万", 5),
    ("亿", 8),
    ("万", 4),
    ("千", 3),
    ("百", 2),
];

fn scan_numbers(t: &str) -> Vec<Num> {
    let b = t.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !digit(i) {
            i += 1;
            continue;
        }
        let start = i;
        while digit(i) {
            i += 1;
        }
        let mut int = std::borrow::Cow::Borrowed(&t[start..i]);
        // Thousands groups: `,ddd` (or `，ddd`) not followed by another digit, after a
        // first group of at most 3 digits.
        if int.len() <= 3 {
            loop {
                let sep = if b.get(i) == Some(&b',') {
                    1
                } else if t[i..].starts_with('，') {
                    '，'.len_utf8()
                } else {
                    break;
                };
                let j = i + sep;
                if digit(j) && digit(j + 1) && digit(j + 2) && !digit(j + 3) {
                    int.to_mut().push_str(&t[j..j + 3]);
                    i = j + 3;
                } else {
                    break;
                }
            }
        }
        let mut frac = "";
        if b.get(i) == Some(&b'.') {
            let j = if b.get(i + 1) == Some(&b' ') {
                i + 2
            } else {
                i + 1
            };
            if digit(j) {
                i = j;
                while digit(i) {
                    i += 1;
                }
                frac = &t[j..i];
            }
        }
        let rest = &t[i..];
        let mut scale = 0;
        let mut scale_end = i;
        // Every scale word starts with one of 十百千万亿 (UTF-8 lead bytes 0xE4–0xE7).
        let may_scale = matches!(rest.as_bytes().first(), Some(0xE4..=0xE7));
        for (word, p) in SCALES.into_iter().filter(|_| may_scale) {
            if let Some(after) = rest.strip_prefix(word) {
                if word == "百" && after.starts_with('分') {
                    continue;
                }
                scale = p;
                scale_end = i + word.len();
                break;
            }
        }
        out.push(Num {
            start,
            scale_end,
            value: scaled(&int, frac, scale),
        });
        i = scale_end;
    }
    out
}

/// `int.frac × 10^scale`, shifted in decimal so no float noise appears.
fn scaled(int: &str, frac: &str, scale: i32) -> f64 {
    let k = (scale.max(0) as usize).min(30);
    if k == 0 && frac.is_empty() {
        return int.parse().unwrap_or(f64::NAN);
    }
    let mut new_int = int.to_string();
    let mut new_frac = frac.to_string();
    if k > 0 {
        let take = k.min(new_frac.len());
        new_int.push_str(&new_frac[..take]);
        new_int.push_str(&"0".repeat(k - take));
        new_frac = new_frac[take..].to_string();
    }
    let s = if new_frac.is_empty() {
        new_int
    } else {
        format!("{new_int}.{new_frac}")
    };
    s.parse().unwrap_or(f64::NAN)
}

/// Comparator prefixes. A prefix must be the whole text before the number (spaces
/// and a sign aside), so their order does not matter.
const PREFIXES: &[(&str, Option<Cmp>)] = &[
    ("≥", Some(Cmp::Ge)),
    ("≧", Some(Cmp::Ge)),
    (">=", Some(Cmp::Ge)),
    ("＞=", Some(Cmp::Ge)),
    ("＞＝", Some(Cmp::Ge)),
    (">＝", Some(Cmp::Ge)),
    ("=>", Some(Cmp::Ge)),
    ("不低于", Some(Cmp::Ge)),
    ("不少于", Some(Cmp::Ge)),
    ("不小于", Some(Cmp::Ge)),
    ("不得低于", Some(Cmp::Ge)),
    ("不得少于", Some(Cmp::Ge)),
    ("至少", Some(Cmp::Ge)),
    ("最少", Some(Cmp::Ge)),
    ("最低", Some(Cmp::Ge)),
    ("大于等于", Some(Cmp::Ge)),
    ("大于或等于", Some(Cmp::Ge)),
    ("高于或等于", Some(Cmp::Ge)),
    ("达到", Some(Cmp::Ge)),
    ("达", Some(Cmp::Ge)),
    (">", Some(Cmp::Gt)),
    ("＞", Some(Cmp::Gt)),
    ("大于", Some(Cmp::Gt)),
    ("高于", Some(Cmp::Gt)),
    ("超过", Some(Cmp::Gt)),
    ("多于", Some(Cmp::Gt)),
    ("≤", Some(Cmp::Le)),
    ("≦", Some(Cmp::Le)),
    ("<=", Some(Cmp::Le)),
    ("＜=", Some(Cmp::Le)),
    ("＜＝", Some(Cmp::Le)),
    ("<＝", Some(Cmp::Le)),
    ("=<", Some(Cmp::Le)),
    ("不高于", Some(Cmp::Le)),
    ("不超过", Some(Cmp::Le)),
    ("不大于", Some(Cmp::Le)),
    ("不多于", Some(Cmp::Le)),
    ("不得高于", Some(Cmp::Le)),
    ("不得超过", Some(Cmp::Le)),
    ("至多", Some(Cmp::Le)),
    ("最多", Some(Cmp::Le)),
    ("最高", Some(Cmp::Le)),
    ("小于等于", Some(Cmp::Le)),
    ("小于或等于", Some(Cmp::Le)),
    ("低于或等于", Some(Cmp::Le)),
    ("控制在", Some(Cmp::Le)),
    ("<", Some(Cmp::Lt)),
    ("＜", Some(Cmp::Lt)),
    ("小于", Some(Cmp::Lt)),
    ("低于", Some(Cmp::Lt)),
    ("少于", Some(Cmp::Lt)),
    ("不足", Some(Cmp::Lt)),
    ("不到", Some(Cmp::Lt)),
    ("=", Some(Cmp::Eq)),
    ("＝", Some(Cmp::Eq)),
    ("==", Some(Cmp::Eq)),
    ("等于", Some(Cmp::Eq)),
    ("约", None),
    ("约为", None),
    ("大约", None),
    ("大概", None),
    ("近", None),
    ("接近", None),
    ("≈", None),
    ("~", None),
    ("～", None),
    ("保持在", None),
    ("维持在", None),
    ("稳定在", None),
    // Labels that only say the period or the total: the number is still the target.
    ("共", None),
    ("共计", None),
    ("合计", None),
    ("总计", None),
    ("累计", None),
    ("全年", None),
    ("年均", None),
    ("每年", None),
    ("每季度", None),
    ("每月", None),
    ("每周", None),
    ("每天", None),
    ("每日", None),
];

const SUFFIXES: &[(&str, Option<Cmp>)] = &[
    ("及以上", Some(Cmp::Ge)),
    ("或以上", Some(Cmp::Ge)),
    ("以上", Some(Cmp::Ge)),
    ("及以下", Some(Cmp::Le)),
    ("或以下", Some(Cmp::Le)),
    ("以下", Some(Cmp::Le)),
    ("以内", Some(Cmp::Le)),
    ("之内", Some(Cmp::Le)),
    ("内", Some(Cmp::Le)),
    ("左右", None),
    ("上下", None),
];

/// The comparator and sign a prefix says: `Some((cmp, sign))` for an empty or known
/// prefix (`cmp` is `None` for "about"), `None` for an unknown one (a label).
fn read_prefix(prefix: &str) -> Option<(Option<Cmp>, f64)> {
    let mut p = prefix.trim();
    let mut sign = 1.0;
    if let Some(rest) = p.strip_suffix(['-', '−']) {
        sign = -1.0;
        p = rest.trim_end();
    } else if let Some(rest) = p.strip_suffix('+') {
        p = rest.trim_end();
    }
    if p.is_empty() {
        return Some((None, sign));
    }
    PREFIXES
        .iter()
        .find(|(w, _)| same_text_key(w, p))
        .map(|(_, c)| (*c, sign))
}

/// Splits a suffix comparator off the text after the number: (unit part, cmp).
fn read_suffix(rest: &str) -> (&str, Option<Cmp>) {
    let r = rest.trim_end();
    let r = strip_inclusive(r);
    for (w, c) in SUFFIXES {
        if let Some(u) = r.strip_suffix(w) {
            return (strip_inclusive(u.trim_end()), *c);
        }
    }
    (r, None)
}

/// Drops a trailing `（含）`/`(含)` ("inclusive").
fn strip_inclusive(s: &str) -> &str {
    s.strip_suffix("（含）")
        .or_else(|| s.strip_suffix("(含)"))
        .unwrap_or(s)
        .trim_end()
}

fn valid_unit(u: &str, words: &Words<'_>) -> bool {
    if u.chars().count() > 8 {
        return false;
    }
    if u.contains(['%', '‰']) && u != "%" && u != "‰" {
        return false;
    }
    // `12月底前`, `2023年末`, `6月前`: a deadline, not an amount (but `所初中`,
    // `所学前教育机构` are units).
    if u.starts_with(['年', '月', '日', '号']) && u.contains(['底', '前', '末', '初']) {
        return false;
    }
    if u.chars().any(|c| {
        c.is_ascii_digit()
            || "，,。、；;：:！!？?（）()[]【】<>《》＜＞=＝≥≤≧≦~～\"“”'‘’\n".contains(c)
    }) {
        return false;
    }
    !words.any_in(u)
}

/// Combines prefix and suffix comparators (see the module documentation).
fn combine(prefix: Option<Cmp>, suffix: Option<Cmp>) -> Result<Option<Cmp>, ()> {
    use Cmp::*;
    match (prefix, suffix) {
        (None, s) => Ok(s),
        (p, None) => Ok(p),
        (Some(p), Some(s)) if p == s => Ok(Some(p)),
        (Some(p @ (Gt | Ge)), Some(Gt | Ge)) => Ok(Some(p)),
        (Some(p @ (Lt | Le)), Some(Lt | Le)) => Ok(Some(p)),
        _ => Err(()),
    }
}

/// `text` holding exactly the number `n`, read as one quantity.
fn single(t: &str, n: &Num, words: &Words<'_>) -> Option<Quantity> {
    let (pcmp, sign) = read_prefix(&t[..n.start])?;
    let (unit, scmp) = read_suffix(&t[n.scale_end..]);
    let unit = unit.trim();
    if !valid_unit(unit, words) {
        return None;
    }
    let cmp = combine(pcmp, scmp).ok()?;
    if !n.value.is_finite() {
        return None;
    }
    let number = if sign < 0.0 { -n.value } else { n.value };
    Some(Quantity {
        cmp,
        number: if number == 0.0 { 0.0 } else { number },
        unit: unit.to_string(),
    })
}

/// `90%-95%`, `90-95%`, `90%~95%`, `1至2个`: two numbers joined by a range mark.
fn is_range(t: &str, nums: &[Num], words: &Words<'_>) -> bool {
    if nums.len() != 2 {
        return false;
    }
    let (a, b) = (&nums[0], &nums[1]);
    if read_prefix(&t[..a.start]).is_none() {
        return false;
    }
    let between = t[a.scale_end..b.start].trim();
    let Some(unit_a) = ["-", "－", "—", "–", "~", "～", "至", "到"]
        .iter()
        .find_map(|m| between.strip_suffix(m))
    else {
        return false;
    };
    let (unit_b, _) = read_suffix(&t[b.scale_end..]);
    valid_unit(unit_a.trim(), words) && valid_unit(unit_b.trim(), words)
}

/// Items separated by one of `seps`, each an optional label and one quantity.
fn is_list(t: &str, nums: &[Num], words: &Words<'_>, seps: &str) -> bool {
    // Split at separators outside numbers (a thousands comma is inside one).
    let inside = |pos: usize| nums.iter().any(|n| pos > n.start && pos < n.scale_end);
    let mut items = Vec::new();
    let mut from = 0;
    for (pos, c) in t.char_indices() {
        if seps.contains(c) && !inside(pos) {
            items.push(&t[from..pos]);
            from = pos + c.len_utf8();
        }
    }
    items.push(&t[from..]);
    let mut count = 0;
    for item in items {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let ns = scan_numbers(item);
        if ns.len() != 1 {
            return false;
        }
        let n = &ns[0];
        let label = item[..n.start].trim();
        if label.chars().count() > 12 || label.chars().any(|c| c.is_ascii_digit()) {
            return false;
        }
        let (unit, _) = read_suffix(&item[n.scale_end..]);
        if !valid_unit(unit.trim(), words) {
            return false;
        }
        count += 1;
    }
    count >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::clean_text;

    fn words() -> Vec<String> {
        // The dept-overall template's [rules].qualitative_words.
        [
            "实现",
            "完成",
            "提升",
            "提高",
            "改善",
            "增强",
            "达标",
            "合格",
            "优秀",
            "良好",
            "满意",
            "有效",
            "显著",
            "稳定",
            "持续",
            "基本",
            "全面",
            "逐步",
            "按时",
            "及时",
            "达到",
            "不低于上年",
            "保持",
            "是",
            "否",
            "无",
            "有",
            "正常",
            "健全",
            "完善",
            "到位",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    fn p(s: &str) -> Option<Parsed> {
        parse_value(s, &words())
    }

    fn q(cmp: Option<Cmp>, number: f64, unit: &str) -> Option<Parsed> {
        Some(Parsed::Quantity(Quantity {
            cmp,
            number,
            unit: unit.to_string(),
        }))
    }

    #[test]
    fn every_value_form_of_the_seed() {
        use Cmp::*;
        assert_eq!(p("1个"), q(None, 1.0, "个"));
        assert_eq!(p("85%"), q(None, 85.0, "%"));
        assert_eq!(p("80%"), q(None, 80.0, "%"));
        assert_eq!(p("11万人次"), q(None, 110000.0, "人次"));
        assert_eq!(p("8万人次"), q(None, 80000.0, "人次"));
        assert_eq!(p("10万人次"), q(None, 100000.0, "人次"));
        assert_eq!(p("100%"), q(None, 100.0, "%"));
        assert_eq!(p("210人"), q(None, 210.0, "人"));
        assert_eq!(p("250人"), q(None, 250.0, "人"));
        assert_eq!(p("200人"), q(None, 200.0, "人"));
        assert_eq!(p("33处"), q(None, 33.0, "处"));
        assert_eq!(p("100处"), q(None, 100.0, "处"));
        assert_eq!(p("107处"), q(None, 107.0, "处"));
        assert_eq!(p("280万人次"), q(None, 2_800_000.0, "人次"));
        assert_eq!(p("报考72万人，255万科次"), Some(Parsed::Compound));
        assert_eq!(p("报考72万\n人,255万\n科次"), Some(Parsed::Compound));
        assert_eq!(p("基本实现"), Some(Parsed::Qualitative));
        assert_eq!(p("90.00%"), q(None, 90.0, "%"));
        assert_eq!(p("90. 00%"), q(None, 90.0, "%"));
        assert_eq!(p("95. 00%"), q(None, 95.0, "%"));
        assert_eq!(p("90%"), q(None, 90.0, "%"));
        assert_eq!(p("75%以上"), q(Some(Ge), 75.0, "%"));
        assert_eq!(p("1所"), q(None, 1.0, "所"));
        assert_eq!(p("5所"), q(None, 5.0, "所"));
        assert_eq!(p("省赛获奖35、国赛获奖7"), Some(Parsed::Compound));
        assert_eq!(p("省赛获奖35 、国赛获奖 7"), Some(Parsed::Compound));
        assert_eq!(p("省赛获\n奖35、\n国赛获\n奖6"), Some(Parsed::Compound));
        assert_eq!(p("200人次"), q(None, 200.0, "人次"));
        assert_eq!(p("200人次/年"), q(None, 200.0, "人次/年"));
        assert_eq!(p("90.42%"), q(None, 90.42, "%"));
        assert_eq!(p("92.01%"), q(None, 92.01, "%"));
        assert_eq!(p("145人"), q(None, 145.0, "人"));
        assert_eq!(p("141人"), q(None, 141.0, "人"));
        assert_eq!(p("1550人"), q(None, 1550.0, "人"));
        assert_eq!(p("2846人"), q(None, 2846.0, "人"));
        assert_eq!(p("4300人"), q(None, 4300.0, "人"));
        assert_eq!(p("/"), Some(Parsed::NotApplicable));
    }

    #[test]
    fn empty_and_not_applicable() {
        assert_eq!(p(""), None);
        assert_eq!(p("  \n\u{3000}"), None);
        for s in [
            "/",
            "／",
            "—",
            "——",
            "--",
            "-",
            "－",
            " / ",
            "不适用",
            "不涉及",
            "N/A",
            "Ｎ／Ａ",
        ] {
            assert_eq!(p(s), Some(Parsed::NotApplicable), "{s:?}");
        }
        // `无` is a qualitative word of the template, not "not applicable".
        assert_eq!(p("无"), Some(Parsed::Qualitative));
        assert_eq!(parse_value("无", &[]), Some(Parsed::Unparsed));
    }

    #[test]
    fn scales_are_exact() {
        assert_eq!(p("2.5亿元"), q(None, 250_000_000.0, "元"));
        assert_eq!(p("3000万元"), q(None, 30_000_000.0, "元"));
        assert_eq!(p("1.1万人"), q(None, 11_000.0, "人"));
        assert_eq!(p("0.3万"), q(None, 3_000.0, ""));
        assert_eq!(p("3千人"), q(None, 3_000.0, "人"));
        assert_eq!(p("1.5百万元"), q(None, 1_500_000.0, "元"));
        assert_eq!(p("2千万"), q(None, 20_000_000.0, ""));
        assert_eq!(p("1.23456万亿元"), q(None, 1_234_560_000_000.0, "元"));
        assert_eq!(p("5百分点"), q(None, 5.0, "百分点"));
        assert_eq!(p("3个百分点"), q(None, 3.0, "个百分点"));
        assert_eq!(p("1,200人"), q(None, 1200.0, "人"));
        assert_eq!(p("1,234,567.5元"), q(None, 1_234_567.5, "元"));
        assert_eq!(p("１，２００人"), q(None, 1200.0, "人"));
        assert_eq!(p("1,2"), Some(Parsed::Compound));
        assert_eq!(p("100.00%"), q(None, 100.0, "%"));
        assert_eq!(p("0.1"), q(None, 0.1, ""));
        assert_eq!(p("１５５０人"), q(None, 1550.0, "人"));
        assert_eq!(p("８５％"), q(None, 85.0, "%"));
        assert_eq!(p("5‰"), q(None, 5.0, "‰"));
    }

    #[test]
    fn comparators() {
        use Cmp::*;
        assert_eq!(p("≥95%"), q(Some(Ge), 95.0, "%"));
        assert_eq!(p(">=95%"), q(Some(Ge), 95.0, "%"));
        assert_eq!(p("≥ 95 %"), q(Some(Ge), 95.0, "%"));
        assert_eq!(p("＞90%"), q(Some(Gt), 90.0, "%"));
        assert_eq!(p(">90%"), q(Some(Gt), 90.0, "%"));
        assert_eq!(p("≤30天"), q(Some(Le), 30.0, "天"));
        assert_eq!(p("<=30天"), q(Some(Le), 30.0, "天"));
        assert_eq!(p("<5%"), q(Some(Lt), 5.0, "%"));
        assert_eq!(p("＜5%"), q(Some(Lt), 5.0, "%"));
        assert_eq!(p("不低于90%"), q(Some(Ge), 90.0, "%"));
        assert_eq!(p("不少于3次"), q(Some(Ge), 3.0, "次"));
        assert_eq!(p("至少2个"), q(Some(Ge), 2.0, "个"));
        assert_eq!(p("大于90%"), q(Some(Gt), 90.0, "%"));
        assert_eq!(p("小于5%"), q(Some(Lt), 5.0, "%"));
        assert_eq!(p("不高于5%"), q(Some(Le), 5.0, "%"));
        assert_eq!(p("不超过30天"), q(Some(Le), 30.0, "天"));
        assert_eq!(p("低于1%"), q(Some(Lt), 1.0, "%"));
        assert_eq!(p("75%以上"), q(Some(Ge), 75.0, "%"));
        assert_eq!(p("90%及以上"), q(Some(Ge), 90.0, "%"));
        assert_eq!(p("90%（含）以上"), q(Some(Ge), 90.0, "%"));
        assert_eq!(p("30天以内"), q(Some(Le), 30.0, "天"));
        assert_eq!(p("30天内"), q(Some(Le), 30.0, "天"));
        assert_eq!(p("5%以下"), q(Some(Le), 5.0, "%"));
        assert_eq!(p("控制在5%以内"), q(Some(Le), 5.0, "%"));
        assert_eq!(p("=100%"), q(Some(Eq), 100.0, "%"));
        assert_eq!(p("＝100%"), q(Some(Eq), 100.0, "%"));
        assert_eq!(p("约10"), q(None, 10.0, ""));
        assert_eq!(p("约10万人"), q(None, 100_000.0, "人"));
        assert_eq!(p("10人左右"), q(None, 10.0, "人"));
        assert_eq!(p("达到90%"), q(Some(Ge), 90.0, "%"));
        assert_eq!(p("不低于90%以上"), q(Some(Ge), 90.0, "%"));
        assert_eq!(p("超过90%以上"), q(Some(Gt), 90.0, "%"));
        assert_eq!(p("≥90%以下"), Some(Parsed::Unparsed));
        assert_eq!(p("-5%"), q(None, -5.0, "%"));
        assert_eq!(p("－５％"), q(None, -5.0, "%"));
        assert_eq!(p("+5%"), q(None, 5.0, "%"));
        assert_eq!(p("≥-5%"), q(Some(Ge), -5.0, "%"));
        assert_eq!(p("90%以上（含）"), q(Some(Ge), 90.0, "%"));
        assert_eq!(p("每年1次"), q(None, 1.0, "次"));
        assert_eq!(p("3所初中"), q(None, 3.0, "所初中"));
        assert_eq!(p("累计1000人次"), q(None, 1000.0, "人次"));
        assert_eq!(p("1次/年"), q(None, 1.0, "次/年"));
        assert_eq!(p("≤5‰"), q(Some(Le), 5.0, "‰"));
        assert_eq!(p("10万元以内"), q(Some(Le), 100_000.0, "元"));
        assert_eq!(p("0"), q(None, 0.0, ""));
        assert_eq!(p("3"), q(None, 3.0, ""));
    }

    #[test]
    fn compounds() {
        for s in [
            "90%-95%",
            "90%~95%",
            "90%～95%",
            "90-95%",
            "1至2个",
            "≥90%、≥95%",
            "完成率90%，满意度95%",
            "省赛获奖35；国赛获奖7",
            "省赛35 国赛7",
            "省赛35；\n国赛7",
        ] {
            assert_eq!(p(s), Some(Parsed::Compound), "{s:?}");
        }
    }

    #[test]
    fn qualitative_and_unparsed() {
        for s in [
            "基本实现",
            "显著提升",
            "按时完成",
            "提高5%",
            "30天内完成",
            "2023年底前完成",
            "100%完成",
            "是",
            "良好",
            "12月底前完成",
        ] {
            assert_eq!(p(s), Some(Parsed::Qualitative), "{s:?}");
        }
        for s in [
            "见附件",
            "85%%",
            "待定",
            "第3名",
            "2023年12月",
            "≥",
            "90%（预计）",
            "A级",
            "12月底前",
            "下降5%",
            "1:1",
        ] {
            assert_eq!(p(s), Some(Parsed::Unparsed), "{s:?}");
        }
        // Without qualitative words nothing is qualitative.
        assert_eq!(parse_value("基本实现", &[]), Some(Parsed::Unparsed));
    }

    proptest::proptest! {
        #[test]
        fn parse_value_never_panics_and_is_none_only_for_blank(s in "\\PC{0,24}") {
            let r = parse_value(&s, &words());
            proptest::prop_assert_eq!(r.is_none(), clean_text(&s).is_empty());
        }

        #[test]
        fn plain_numbers_read_back(n in 0u32..10_000_000, d in 0u32..100) {
            let s = format!("{n}.{d:02}人");
            let v = p(&s);
            let want = format!("{n}.{d:02}").parse::<f64>().unwrap();
            proptest::prop_assert_eq!(v, q(None, want, "人"));
        }
    }

    #[test]
    fn compare_needs_the_same_unit() {
        let a = Quantity {
            cmp: None,
            number: 33.0,
            unit: "处".into(),
        };
        let b = Quantity {
            cmp: Some(Cmp::Ge),
            number: 107.0,
            unit: " 处".into(),
        };
        assert_eq!(compare(&a, &b), Some(Ordering::Less));
        assert_eq!(compare(&b, &a), Some(Ordering::Greater));
        assert_eq!(compare(&a, &a), Some(Ordering::Equal));
        let pct = Quantity {
            cmp: None,
            number: 85.0,
            unit: "%".into(),
        };
        let pct_fw = Quantity {
            cmp: None,
            number: 85.0,
            unit: "％".into(),
        };
        assert_eq!(compare(&pct, &pct_fw), Some(Ordering::Equal));
        assert_eq!(compare(&a, &pct), None);
        let people = Quantity {
            cmp: None,
            number: 1.0,
            unit: "人".into(),
        };
        let visits = Quantity {
            cmp: None,
            number: 1.0,
            unit: "人次".into(),
        };
        assert_eq!(compare(&people, &visits), None);
        assert_eq!(
            quantity("1550人", &words())
                .zip(quantity("4300人", &words()))
                .and_then(|(x, y)| compare(&x, &y)),
            Some(Ordering::Less)
        );
    }

    /// Regression: units were compared trimmed with only `％` folded, while diff
    /// compared texts by their key (all white space, full-width letters and digits).
    /// Units now compare by the shared text key.
    #[test]
    fn units_compare_by_the_text_key() {
        assert!(same_unit("％", "%"));
        assert!(same_unit(" 人次 ", "人次"));
        assert!(same_unit("人 次", "人次"));
        assert!(same_unit("ｋｍ", "km"));
        assert!(!same_unit("人", "人次"));
        assert!(!same_unit("万元", "元"));
    }

    fn yuan(n: f64) -> Option<Parsed> {
        q(None, n, "元")
    }

    #[test]
    fn money_in_the_tables_unit_is_given_in_yuan() {
        assert_eq!(parse_money("250", "万元"), yuan(2_500_000.0));
        assert_eq!(parse_money("250.00", "万元"), yuan(2_500_000.0));
        assert_eq!(parse_money("350.5", "万元"), yuan(3_505_000.0));
        assert_eq!(parse_money("0.0001", "万元"), yuan(1.0));
        assert_eq!(parse_money("2,500,000.00", "元"), yuan(2_500_000.0));
        assert_eq!(parse_money("2，500，000", "元"), yuan(2_500_000.0));
        assert_eq!(parse_money("300,000.00", "元"), yuan(300_000.0));
        assert_eq!(parse_money("１８０", "万元"), yuan(1_800_000.0));
        assert_eq!(parse_money(" 80 ", "万元"), yuan(800_000.0));
        assert_eq!(parse_money("0", "万元"), yuan(0.0));
        assert_eq!(parse_money("1234.567", "元"), yuan(1234.57));
        assert_eq!(parse_money("￥1,000", "元"), yuan(1000.0));
        // No float noise: 0.1 + 0.2 style errors are rounded away.
        assert_eq!(parse_money("249.99999", "万元"), yuan(2_499_999.9));
        assert_eq!(parse_money("2499999.9999", "元"), yuan(2_500_000.0));
    }

    #[test]
    fn a_written_unit_wins_over_the_tables() {
        assert_eq!(parse_money("250万元", "元"), yuan(2_500_000.0));
        assert_eq!(parse_money("250万", "元"), yuan(2_500_000.0));
        assert_eq!(parse_money("250 万元", "万元"), yuan(2_500_000.0));
        assert_eq!(parse_money("3000元", "万元"), yuan(3000.0));
        assert_eq!(parse_money("1.2亿元", "万元"), yuan(120_000_000.0));
        // An empty or unknown table unit reads the amount as 元.
        assert_eq!(parse_money("250", ""), yuan(250.0));
        assert_eq!(parse_money("250", "美元"), yuan(250.0));
    }

    #[test]
    fn money_that_is_not_an_amount() {
        assert_eq!(parse_money("", "万元"), None);
        assert_eq!(parse_money("  ", "万元"), None);
        assert_eq!(parse_money("/", "万元"), Some(Parsed::NotApplicable));
        assert_eq!(parse_money("——", "万元"), Some(Parsed::NotApplicable));
        for s in [
            "待定",
            "xx",
            "≤250",
            "约250",
            "250人",
            "250%",
            "1,2",
            "250.",
            "2.5.0",
            "见附件",
            "250万美元",
        ] {
            assert_eq!(parse_money(s, "万元"), Some(Parsed::Unparsed), "{s:?}");
        }
    }

    #[test]
    fn quantity_json_for_scaled_values_is_an_integer() {
        let v = p("11万人次").unwrap();
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"kind":"quantity","cmp":null,"number":110000,"unit":"人次"}"#
        );
    }
}
