//! The text rules every stage shares: cleaning cell text, half-width folding, white space and invisible characters, brackets, the comparison keys built on them, and compiled patterns.
//!
//! Pure (no I/O) and a leaf (it imports nothing of the crate): read, quantity,
//! validate and diff all take their text rules from here, so a text that is
//! "the same" in one stage is the same in every other.
//!
//! Cell text is cleaned once, when read ([`clean_text`]). Comparisons then go
//! through one of three keys, each the one before with one more rule:
//!
//! | key | white space, invisibles | full-width `０-９ Ａ-Ｚ ａ-ｚ ％` | other full-width forms (`（ ， ： ［`) | bracketed text |
//! |---|---|---|---|---|
//! | [`text_key`]: differs only in formatting (diff, units, prefixes) | removed | folded | kept | kept |
//! | [`name_key`]: the same name (validate: names, template words) | removed | folded | folded | kept |
//! | [`label_key`]: the same label (read: headers, form labels) | removed | folded | folded | dropped |
//!
//! [`text_key`] keeps Chinese punctuation as cleaning does (`，` and `,` are a
//! real edit to a diff); names and labels are typed either way by the people
//! filling in the form, so [`name_key`] folds every full-width form.

use regex::Regex;
use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

// ───────────────────────────── Characters ─────────────────────────────

/// Every full-width ASCII form (`U+FF01`–`U+FF5E`: `Ａ１（，：％`) as its
/// half-width character, the ideographic space `U+3000` as `' '`; any other
/// character as it is.
///
/// ```
/// use jixiao::text::half_width;
/// assert_eq!(half_width('（'), '(');
/// assert_eq!(half_width('Ａ'), 'A');
/// assert_eq!(half_width('\u{3000}'), ' ');
/// assert_eq!(half_width('指'), '指');
/// ```
#[inline]
pub fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Full-width digits `０-９`, Latin letters `Ａ-Ｚ ａ-ｚ` and `％` as their
/// half-width characters (what [`clean_text`] folds); Chinese punctuation
/// (`（ ， ：`) and every other character as it is.
///
/// ```
/// use jixiao::text::half_width_alnum;
/// assert_eq!(half_width_alnum('５'), '5');
/// assert_eq!(half_width_alnum('％'), '%');
/// assert_eq!(half_width_alnum('，'), '，');
/// ```
#[inline]
pub fn half_width_alnum(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '％' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

/// A character that shows nothing and is not white space: zero-width space
/// `U+200B`, word joiner `U+2060`, byte-order mark `U+FEFF`, soft hyphen `U+00AD`.
/// Cleaning drops them and every key ignores them.
#[inline]
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// White space of any kind (`U+3000` and NBSP included) or an [invisible](is_invisible)
/// character: what every comparison key removes.
#[inline]
pub fn is_blank(c: char) -> bool {
    c.is_whitespace() || is_invisible(c)
}

/// An opening bracket that starts an explanation in a label: `( [ （ ［ 【 〔 〖`.
#[inline]
pub fn is_open_bracket(c: char) -> bool {
    matches!(c, '(' | '[' | '（' | '［' | '【' | '〔' | '〖')
}

/// A closing bracket: `) ] ） ］ 】 〕 〗`.
#[inline]
pub fn is_close_bracket(c: char) -> bool {
    matches!(c, ')' | ']' | '）' | '］' | '】' | '〕' | '〗')
}

/// A character no line may start with (the Chinese line-breaking rule): closing
/// brackets and quotes, and the sentence and pause marks `，。、；：！？…`.
#[inline]
pub fn no_line_start(c: char) -> bool {
    is_close_bracket(c)
        || matches!(
            c,
            '，' | '。'
                | '、'
                | '；'
                | '：'
                | '！'
                | '？'
                | '」'
                | '』'
                | '”'
                | '’'
                | '》'
                | '〉'
                | '…'
                | '%'
                | '％'
                | ','
                | '.'
                | ';'
                | ':'
                | '!'
                | '?'
        )
}

/// Drops bracketed parts: every [opening bracket](is_open_bracket) up to its
/// matching [closing one](is_close_bracket), nesting counted; an unclosed bracket
/// drops the rest of the text, a stray closing bracket is dropped alone.
fn drop_bracketed(chars: impl Iterator<Item = char>) -> impl Iterator<Item = char> {
    let mut depth = 0u32;
    chars.filter(move |&c| {
        if is_open_bracket(c) {
            depth += 1;
            false
        } else if is_close_bracket(c) {
            depth = depth.saturating_sub(1);
            false
        } else {
            depth == 0
        }
    })
}

/// The text with its bracketed parts dropped (see [`is_open_bracket`]), white
/// space kept: `历史值（统计年鉴/统计公报） › 上年值` → `历史值 › 上年值`.
///
/// ```
/// use jixiao::text::without_brackets;
/// assert_eq!(without_brackets("标准值（规划目标）"), "标准值");
/// assert_eq!(without_brackets("资金【单位】合计"), "资金合计");
/// ```
pub fn without_brackets(s: &str) -> String {
    drop_bracketed(s.chars()).collect()
}

// ───────────────────────────── Cleaning ─────────────────────────────

/// Cleans cell text into what a person sees.
///
/// - Leading/trailing white space (ASCII, U+3000, NBSP, tabs, `\r`) is trimmed; any
///   other white space inside a line becomes an ASCII space, one for one: runs are
///   kept as written (`王立新  填报人`), the text stays what the cell holds; the
///   comparison keys ignore white space. Invisible characters (zero-width space,
///   BOM, soft hyphen, control characters) are dropped.
/// - Full-width digits `０-９`, letters `Ａ-Ｚａ-ｚ` and `％` become half-width; `．`
///   between two digits becomes `.`, `＋`/`－` before a digit become `+`/`-`.
///   Chinese punctuation (`，。、：；“”（）`) and everything else is kept as written
///   (no NFKC).
/// - Line breaks (`\r\n`, `\r`, `\n`, U+2028/2029, vertical tab) are normalised to
///   `\n`; blank lines are dropped. Between two lines the break is **kept** when the
///   next line starts an item (`1.` `1、` `（1）` `(1)` `①` `一、` `第一，` `-` `•` `·` …)
///   or the previous line ends with sentence punctuation (`。；;！!？?：`, possibly
///   followed by a closing quote or bracket); otherwise the lines are **joined**, with
///   one space only when both sides are ASCII letters/digits (`"Excel\nfile"` →
///   `"Excel file"`, `"内部\n统计"` → `"内部统计"`).
/// - Idempotent: `clean_text(&clean_text(x)) == clean_text(x)`.
///
/// ```
/// use jixiao::text::clean_text;
/// assert_eq!(clean_text("\u{3000}１５５０人 "), "1550人");
/// assert_eq!(clean_text("内部\n统计"), "内部统计");
/// assert_eq!(clean_text("1.开展研修；\n2.组织培训"), "1.开展研修；\n2.组织培训");
/// ```
pub fn clean_text(s: &str) -> String {
    if is_clean(s) {
        return s.to_string();
    }
    clean_slow(s)
}

/// [`clean_text`] without a copy when the text is already clean (the common case).
pub fn clean_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if is_clean(s) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(clean_slow(s))
    }
}

/// True when [`clean_text`] would return `s` unchanged: every character passes
/// step 1 as it is, every line is non-empty and trimmed, every
/// line break is one step 2 keeps, and no character step 3 may convert occurs.
/// Conservative: `false` only means "take the full path".
fn is_clean(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() {
        return true;
    }
    // Fast scan of ASCII; anything else is checked as a char.
    let mut prev_space = true; // a space at the start is not clean
    let mut line_start = 0;
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            match x {
                b' ' => {
                    // Not at a line's start (nor, below, at its end); runs are kept.
                    if i == line_start {
                        return false;
                    }
                    prev_space = true;
                }
                b'\n' => {
                    // A line must not be empty or end with a space, and the
                    // break must be kept (else the lines are joined).
                    if prev_space || i == line_start {
                        return false;
                    }
                    let next_end = b[i + 1..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(b.len(), |k| i + 1 + k);
                    let next = &s[i + 1..next_end];
                    if next.is_empty() || next.starts_with(' ') || !keeps_break(&s[..i], next) {
                        return false;
                    }
                    line_start = i + 1;
                    prev_space = true; // the next line must not start with a space
                }
                0x00..=0x1F | 0x7F => return false,
                _ => prev_space = false,
            }
            i += 1;
            continue;
        }
        // CJK ideographs (three bytes, lead 0xE4–0xE9: U+4000–U+9FFF) pass as they are.
        if (0xE4..=0xE9).contains(&x) && i + 2 < b.len() {
            prev_space = false;
            i += 3;
            continue;
        }
        let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
        let changes = matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '．' | '＋' | '－')
            || is_invisible(c)
            || half_width_alnum(c) != c
            || c.is_whitespace()
            || c.is_control();
        if changes {
            return false;
        }
        prev_space = false;
        i += c.len_utf8();
    }
    !prev_space
}

fn clean_slow(s: &str) -> String {
    // 1. Context-free character normalisation.
    let mut buf = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                buf.push('\n');
            }
            '\n' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => buf.push('\n'),
            c if is_invisible(c) => {}
            c if c.is_whitespace() => buf.push(' '),
            c if c.is_control() => {}
            c => buf.push(half_width_alnum(c)),
        }
    }

    // 2. Lines: trim, drop blank lines, join or keep breaks.
    let mut out = String::with_capacity(buf.len());
    for raw in buf.split('\n') {
        let line = raw.trim_matches(' ');
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            if keeps_break(&out, line) {
                out.push('\n');
            } else {
                let a = out.chars().next_back().unwrap_or(' ');
                let b = line.chars().next().unwrap_or(' ');
                if needs_space(a, b) {
                    out.push(' ');
                }
            }
        }
        out.push_str(line);
    }

    // 3. Context-dependent conversions, after joining (so that a join cannot create
    //    a new context on a second pass).
    let v: Vec<char> = out.chars().collect();
    let mut res = String::with_capacity(out.len());
    for (i, &c) in v.iter().enumerate() {
        let prev_digit = i > 0 && v[i - 1].is_ascii_digit();
        let next_digit = v.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        match c {
            '．' if prev_digit && next_digit => res.push('.'),
            '＋' if next_digit => res.push('+'),
            '－' if next_digit => res.push('-'),
            c => res.push(c),
        }
    }
    res
}

/// The start of an enumerated item or a bulleted line.
static ITEM_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:",
        // `1.` must be followed by a non-digit on its line: a bare `0.` could be
        // joined to a digit on the next line and become the number `0.5`.
        // Digits are ASCII and full-width ones: Unicode `\d`/`\D` made this
        // one pattern a sixth of a small file's import to compile.
        r"[0-9０-９]{1,3}(?:[.．][^0-9０-９]|[、)）])",
        r"|[(（](?:[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3}|[a-zA-Z])[)）]",
        r"|[一二三四五六七八九十]{1,3}[、.．]",
        r"|第[一二三四五六七八九十百0-9０-９]{1,4}[、，,：:条项点步章节是]",
        r"|[-－−–—•·・●○■□◆◇▪►▶✓√※]",
        r"|[\u{2460}-\u{249B}\u{2776}-\u{2793}]",
        r")"
    ))
    .expect("item regex")
});

fn keeps_break(prev: &str, next: &str) -> bool {
    if ITEM_START.is_match(next) {
        return true;
    }
    let tail = prev.trim_end_matches(['”', '’', '"', '\'', '）', ')', '】', '」', '』']);
    matches!(
        tail.chars().next_back(),
        Some('。' | '；' | ';' | '！' | '!' | '？' | '?' | '：')
    )
}

fn needs_space(a: char, b: char) -> bool {
    (a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric())
        || (matches!(a, ',' | '.' | ')') && b.is_ascii_alphabetic())
}

// ───────────────────────────── Comparison keys ─────────────────────────────

/// The characters of [`text_key`], lazily.
#[inline]
pub fn text_key_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter(|&c| !is_blank(c)).map(half_width_alnum)
}

/// Whether [`text_key`] would change `s`.
fn text_key_changes(s: &str) -> bool {
    s.chars().any(|c| is_blank(c) || half_width_alnum(c) != c)
}

/// The text as compared for "differs only in formatting": white space (any
/// kind, `U+3000` included) and invisible characters removed, full-width digits,
/// letters and `％` made half-width, as cleaning does. Chinese punctuation is
/// kept, so `，` and `,` differ.
///
/// ```
/// use jixiao::text::text_key;
/// assert_eq!(text_key(" １个\n"), "1个");
/// assert_ne!(text_key("，"), text_key(","));
/// ```
pub fn text_key(s: &str) -> String {
    text_key_chars(s).collect()
}

/// [`text_key`], borrowed when the text is its own key (the common case).
pub fn text_key_cow(s: &str) -> Cow<'_, str> {
    if text_key_changes(s) {
        Cow::Owned(text_key(s))
    } else {
        Cow::Borrowed(s)
    }
}

/// `text_key(a) == text_key(b)`, without building the keys (equal texts first).
#[inline]
pub fn same_text_key(a: &str, b: &str) -> bool {
    a == b || text_key_chars(a).eq(text_key_chars(b))
}

/// Whether `text_key(s)` starts with `key_prefix` (itself a [`text_key`]),
/// without building the key.
#[inline]
pub fn text_key_starts_with(s: &str, key_prefix: &str) -> bool {
    let mut k = text_key_chars(s);
    key_prefix.chars().all(|p| k.next() == Some(p))
}

/// The characters of [`name_key`], lazily.
#[inline]
pub fn name_key_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter(|&c| !is_blank(c)).map(half_width)
}

/// The text as compared for "the same name": [`text_key`], and every other
/// full-width form made half-width too (`（` → `(`, `，` → `,`, `：` → `:`).
///
/// ```
/// use jixiao::text::name_key;
/// assert_eq!(name_key(" 教育 综合\n督导完成率 "), "教育综合督导完成率");
/// assert_eq!(name_key("培训（一期）"), name_key("培训(一期)"));
/// ```
pub fn name_key(s: &str) -> String {
    name_key_chars(s).collect()
}

/// [`name_key`], borrowed when the text is its own key (the common case).
pub fn name_key_cow(s: &str) -> Cow<'_, str> {
    if s.chars().any(|c| is_blank(c) || half_width(c) != c) {
        Cow::Owned(name_key(s))
    } else {
        Cow::Borrowed(s)
    }
}

/// The characters of [`label_key`], lazily (for a cheap first-character test).
#[inline]
pub fn label_key_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    drop_bracketed(name_key_chars(s))
}

/// The text as compared for "the same label": [`name_key`] with bracketed
/// explanations dropped (see [`is_open_bracket`]).
///
/// ```
/// use jixiao::text::label_key;
/// assert_eq!(label_key("年度\n指标值"), "年度指标值");
/// assert_eq!(label_key("标准值（规划目标、行业标准或其他明确标准）"), "标准值");
/// assert_eq!(label_key("ＡＢ１"), "AB1");
/// ```
pub fn label_key(s: &str) -> String {
    label_key_chars(s).collect()
}

/// A normalised header label without a leading year word: `2024年`,
/// `2024年度`, `24年`, `本年度`, `本年`, `当年`, `年度` (`2024年指标值` →
/// `指标值`); `None` when there is none to strip or nothing would be left.
/// A light rewording a header matcher tries when the label itself is unknown.
pub fn strip_year_words(norm: &str) -> Option<&str> {
    let digits = norm.bytes().take_while(u8::is_ascii_digit).count();
    let rest = if (2..=4).contains(&digits) && norm[digits..].starts_with('年') {
        let r = &norm[digits + '年'.len_utf8()..];
        r.strip_prefix('度').unwrap_or(r)
    } else {
        ["本年度", "本年", "当年度", "年度"]
            .iter()
            .find_map(|w| norm.strip_prefix(w))?
    };
    (!rest.is_empty()).then_some(rest)
}

// ───────────────────────────── Patterns ─────────────────────────────

/// A template's regex, compiled once per process (compiling costs far more
/// than reading a department-sized table). `None` when it does not compile.
///
/// Shared, not cloned: a cloned `Regex` starts with an empty match cache, and
/// building that cache again on every call cost more than the whole
/// validation of a table (regression found with callgrind).
pub fn cached_regex(pattern: &str) -> Option<Arc<Regex>> {
    use std::collections::HashMap;
    use std::sync::Mutex;
    type Cache = HashMap<String, Option<Arc<Regex>>>;
    static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(|| Mutex::new(HashMap::new()));
    if let Ok(cache) = CACHE.lock() {
        if let Some(r) = cache.get(pattern) {
            return r.clone();
        }
    }
    let r = Regex::new(pattern).ok().map(Arc::new);
    if let Ok(mut cache) = CACHE.lock() {
        // Bounded: templates hold a handful of patterns.
        if cache.len() < 256 {
            cache.insert(pattern.to_string(), r.clone());
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_words_are_stripped_from_labels() {
        assert_eq!(strip_year_words("2024年指标值"), Some("指标值"));
        assert_eq!(strip_year_words("2024年度指标值"), Some("指标值"));
        assert_eq!(strip_year_words("24年指标值"), Some("指标值"));
        assert_eq!(strip_year_words("本年度目标值"), Some("目标值"));
        assert_eq!(strip_year_words("本年指标值"), Some("指标值"));
        assert_eq!(strip_year_words("指标值"), None);
        assert_eq!(strip_year_words("2024年"), None);
        assert_eq!(strip_year_words("12345年值"), None);
    }

    #[test]
    fn trims_white_space_of_every_kind() {
        assert_eq!(clean_text("  85% \t"), "85%");
        assert_eq!(clean_text("\u{3000}内部统计\u{3000}"), "内部统计");
        assert_eq!(clean_text("\u{a0}1个\r\n"), "1个");
        assert_eq!(clean_text("\r\n\t \u{3000}"), "");
        assert_eq!(clean_text(""), "");
        assert_eq!(clean_text("\u{feff}工作计划\u{200b}"), "工作计划");
    }

    #[test]
    fn full_width_becomes_half_width_but_chinese_punctuation_stays() {
        assert_eq!(clean_text("１５５０人"), "1550人");
        assert_eq!(clean_text("８５％"), "85%");
        assert_eq!(clean_text("９０．４２％"), "90.42%");
        assert_eq!(clean_text("ＡＢＣａｂｃ"), "ABCabc");
        assert_eq!(clean_text("－５％"), "-5%");
        assert_eq!(clean_text("＋５"), "+5");
        assert_eq!(clean_text("省赛获奖35、国赛获奖7"), "省赛获奖35、国赛获奖7");
        assert_eq!(
            clean_text("报考72万人，255万科次。"),
            "报考72万人，255万科次。"
        );
        assert_eq!(
            clean_text("注：“三名工程”（试点）；"),
            "注：“三名工程”（试点）；"
        );
        // `．` outside a number and `－` before text are punctuation, kept.
        assert_eq!(clean_text("１．开展"), "1．开展");
        assert_eq!(clean_text("甲－乙"), "甲－乙");
        // Full-width > < = are kept (parse_value reads them).
        assert_eq!(clean_text("＞９０％"), ">90%".replace('>', "＞"));
    }

    /// Cleaning collapsed `王立新  填报人` to one space: a signature line, a
    /// clerk's spacing, came back changed. Runs inside a line stay; the keys
    /// still ignore them.
    #[test]
    fn runs_of_spaces_inside_a_line_are_kept() {
        assert_eq!(clean_text("前三年   均值"), "前三年   均值");
        assert_eq!(clean_text("前三年\u{3000}\u{3000}均值"), "前三年  均值");
        assert_eq!(clean_text("a \t b"), "a   b");
        assert_eq!(
            clean_text("  单位负责人：王立新  填报人：张丽  "),
            "单位负责人：王立新  填报人：张丽"
        );
        assert_eq!(clean_cow("王立新  填报人"), "王立新  填报人");
        assert!(matches!(
            clean_cow("王立新  填报人"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(text_key("王立新  填报人"), text_key("王立新 填报人"));
        assert_eq!(name_key("前三年   均值"), name_key("前三年均值"));
    }

    #[test]
    fn line_breaks_inside_short_values_are_removed() {
        assert_eq!(clean_text("内部\n统计"), "内部统计");
        assert_eq!(clean_text("年度\r\n指标值"), "年度指标值");
        assert_eq!(clean_text("年度\r指标值"), "年度指标值");
        assert_eq!(clean_text("11万\n人次"), "11万人次");
        assert_eq!(clean_text("教育改革发展 \n 政策"), "教育改革发展政策");
        assert_eq!(clean_text("Excel\nfile"), "Excel file");
        assert_eq!(clean_text("2.\n0"), "2.0");
        assert_eq!(clean_text("内部\n\n统计"), "内部统计");
        assert_eq!(clean_text("ok,\nthen"), "ok, then");
    }

    #[test]
    fn line_breaks_between_items_are_kept() {
        let a = "1.开展\"互联网+教师专业发展\"工程。\n2.组织开展乡村教师骨干教师培训。";
        assert_eq!(clean_text(a), a);
        assert_eq!(
            clean_text("1.开展研修\n2.组织培训"),
            "1.开展研修\n2.组织培训"
        );
        assert_eq!(clean_text("1、开展\n2、组织"), "1、开展\n2、组织");
        assert_eq!(clean_text("（1）开展\n（2）组织"), "（1）开展\n（2）组织");
        assert_eq!(clean_text("(1)开展\n(2)组织"), "(1)开展\n(2)组织");
        assert_eq!(clean_text("①开展\n②组织"), "①开展\n②组织");
        assert_eq!(clean_text("一、开展\n二、组织"), "一、开展\n二、组织");
        assert_eq!(clean_text("要点\n- 开展\n- 组织"), "要点\n- 开展\n- 组织");
        assert_eq!(clean_text("要点\n• 开展\n· 组织"), "要点\n• 开展\n· 组织");
        assert_eq!(
            clean_text("第一，开展\n第二，组织"),
            "第一，开展\n第二，组织"
        );
        // Sentence punctuation at the end of the previous line keeps the break.
        assert_eq!(clean_text("开展研修。\n组织培训"), "开展研修。\n组织培训");
        assert_eq!(clean_text("开展研修；\n组织培训"), "开展研修；\n组织培训");
        assert_eq!(clean_text("工作如下：\n组织培训"), "工作如下：\n组织培训");
        assert_eq!(
            clean_text("他说：“好。”\n组织培训"),
            "他说：“好。”\n组织培训"
        );
        // A wrapped item is joined back, the next item kept apart.
        assert_eq!(
            clean_text("1.开展\"互联网+教师专业发\n展\"工程\n2.组织开展\n培训"),
            "1.开展\"互联网+教师专业发展\"工程\n2.组织开展培训"
        );
        // Blank lines and indentation between items are dropped.
        assert_eq!(clean_text("1.开展\n\n  2.组织  "), "1.开展\n2.组织");
        // Full-width item numbers.
        assert_eq!(clean_text("１．开展\n２．组织"), "1．开展\n2．组织");
        // A decimal at the start of a line is not an item.
        assert_eq!(clean_text("达到\n1.5万人"), "达到1.5万人");
    }

    /// Regression: `"0\r0.\r0"` cleaned to `"0\n0.0"` and then to `"0 0.0"`: a bare
    /// `0.` counted as an item marker, and joining the next line made it a number.
    #[test]
    fn bare_number_and_dot_on_a_line_is_not_an_item_marker() {
        for s in ["0\r0.\r0", "1\n2.\n5", "x\n3．\n１"] {
            let once = clean_text(s);
            assert_eq!(clean_text(&once), once, "{s:?}");
        }
        assert_eq!(clean_text("1.开展\n2.组织"), "1.开展\n2.组织");
    }

    #[test]
    fn clean_text_is_idempotent_on_examples() {
        for s in [
            "１．\n５",
            "－\n５",
            "a\n－5",
            "1.开展\n2.组织",
            "内部\n统计",
            "x\u{3000}\u{3000}y",
            "．５",
            "1．\n开展",
        ] {
            let once = clean_text(s);
            assert_eq!(clean_text(&once), once, "{s:?}");
        }
    }

    #[test]
    fn folding_and_blanks() {
        assert_eq!(half_width('（'), '(');
        assert_eq!(half_width('～'), '~');
        assert_eq!(half_width('！'), '!');
        assert_eq!(half_width('\u{3000}'), ' ');
        assert_eq!(half_width('。'), '。');
        assert_eq!(half_width_alnum('Ｚ'), 'Z');
        assert_eq!(half_width_alnum('（'), '（');
        assert!(is_blank('\u{3000}') && is_blank('\u{a0}') && is_blank('\u{200B}'));
        assert!(!is_blank('指'));
        for c in ['(', '（', '[', '［', '【', '〔', '〖'] {
            assert!(is_open_bracket(c), "{c}");
        }
        for c in [')', '）', ']', '］', '】', '〕', '〗'] {
            assert!(is_close_bracket(c), "{c}");
        }
    }

    #[test]
    fn without_brackets_nests_and_drops_unclosed() {
        assert_eq!(without_brackets("a（b（c）d）e"), "ae");
        assert_eq!(without_brackets("历史值(统计年鉴"), "历史值");
        assert_eq!(without_brackets("a）b"), "ab");
        assert_eq!(
            without_brackets("历史值（统计年鉴/统计公报） › 上年值"),
            "历史值 › 上年值"
        );
    }

    #[test]
    fn text_key_ignores_formatting_only() {
        assert_eq!(text_key(" １个\n"), "1个");
        assert_eq!(text_key("内部\n统计"), text_key("内部统计"));
        assert_ne!(text_key("90%"), text_key("90.00%"));
        assert_ne!(text_key("，"), text_key(","));
        assert_ne!(text_key("（一期）"), text_key("(一期)"));
        for s in [" １个\n", "1个", "", "a b", "工作\u{200B}计划", "（）"] {
            assert_eq!(text_key_cow(s), text_key(s));
            assert!(same_text_key(s, &text_key(s)));
        }
        assert!(text_key_starts_with("注 ：本表", "注："));
        assert!(!text_key_starts_with("注", "注："));
        assert!(text_key_starts_with("x", ""));
    }

    #[test]
    fn name_key_folds_every_full_width_form() {
        assert_eq!(name_key(" 教育 综合\n督导完成率 "), "教育综合督导完成率");
        assert_eq!(name_key("Ａ１"), "A1");
        assert_eq!(name_key("（一期），"), "(一期),");
        for s in [
            " 教育 综合\n督导完成率 ",
            "Ａ１",
            "完成率",
            "",
            "a b",
            "x\u{FEFF}",
        ] {
            assert_eq!(name_key_cow(s), name_key(s));
        }
    }

    #[test]
    fn label_key_drops_space_brackets_and_width() {
        assert_eq!(label_key("年度\n指标值"), "年度指标值");
        assert_eq!(label_key("前三年 均值"), "前三年均值");
        assert_eq!(
            label_key("标准值（规划目标、行业标准或其他明确标准）"),
            "标准值"
        );
        assert_eq!(label_key("历史值(统计年鉴/统计公报"), "历史值");
        assert_eq!(label_key("ＡＢ１"), "AB1");
        assert_eq!(label_key("资金［万元］"), "资金");
        assert_eq!(label_key_chars(" 〔注〕年度").next(), Some('年'));
    }

    /// Regression: the old normalisers disagreed on zero-width characters. The
    /// header normaliser dropped `U+200B`/`U+FEFF` but not `U+2060`/`U+00AD`, the
    /// cleaner dropped all four, validate's and diff's keys none. Every key now
    /// ignores what cleaning drops.
    #[test]
    fn every_key_ignores_what_cleaning_drops() {
        for (raw, plain) in [
            ("年度\u{2060}指标值", "年度指标值"),
            ("年度\u{00AD}指标值", "年度指标值"),
            ("\u{FEFF}工作计划\u{200B}", "工作计划"),
        ] {
            assert_eq!(clean_text(raw), plain);
            assert_eq!(text_key(raw), plain);
            assert_eq!(name_key(raw), plain);
            assert_eq!(label_key(raw), plain);
            assert!(same_text_key(raw, plain));
        }
    }

    /// Regression: validate's short labels dropped only round brackets
    /// (`（` `(`) while the header normaliser dropped `[ 【 〔 〖` too; one bracket
    /// set now serves both.
    #[test]
    fn one_bracket_set_for_labels_and_messages() {
        assert_eq!(without_brackets("标准值【说明】"), "标准值");
        assert_eq!(label_key("标准值【说明】"), "标准值");
        assert_eq!(without_brackets("历史值〔上年〕"), "历史值");
    }

    #[test]
    fn cached_regex_compiles_once_and_refuses_bad_patterns() {
        assert!(cached_regex(r"^\d+$").is_some_and(|r| r.is_match("12")));
        assert!(cached_regex(r"^\d+$").is_some());
        assert!(cached_regex("(").is_none());
    }

    mod prop {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn clean_text_is_idempotent(s in "[ a-zA-Z0-9０-９ａｚＡＺ．－＋％\u{3000}\u{a0}\t\r\n。；;：:、，,.()（）“”1一①•·内部统计万人次%-]{0,40}") {
                let once = clean_text(&s);
                prop_assert_eq!(clean_text(&once), once.clone());
                prop_assert_eq!(once.trim(), once.as_str());
            }

            #[test]
            fn fast_path_agrees_with_the_full_path(
                s in "[ a-zA-Z0-9０-９ａｚＡＺ．－＋％\u{3000}\u{a0}\u{200b}\t\r\n。；;：:、，,.()（）“”1一①•·内部统计万人次%-]{0,40}",
                t in "\\PC{0,30}",
            ) {
                for x in [s.as_str(), t.as_str()] {
                    let full = clean_slow(x);
                    prop_assert_eq!(clean_text(x), full.clone());
                    prop_assert_eq!(clean_cow(x).into_owned(), full.clone());
                    // On clean text the fast path answers alone.
                    if is_clean(&full) {
                        prop_assert_eq!(clean_slow(&full), full.clone());
                        prop_assert_eq!(clean_cow(&full), std::borrow::Cow::Borrowed(full.as_str()));
                    }
                }
            }

            #[test]
            fn clean_text_is_idempotent_on_any_text(s in "\\PC{0,30}") {
                let once = clean_text(&s);
                prop_assert_eq!(clean_text(&once), once);
            }
        }
    }
}
