//! Renders a numeric cell as Excel shows it under its number format (percent, decimals, thousands, dates, literal units such as `0"万人次"`).
//!
//! One engine for every container: `grid` hands it the format
//! code of each numeric cell, read from the xlsx styles, the `.xls` FORMAT/XF
//! records (`xls_formats`) or the `.ods` display text
//! (`ods_formats`); those modules only extract codes.
//! Pure: a number and a code in, the text a person sees out.

/// Renders a number as Excel displays it under `format_code`.
///
/// - `None`, `""`, `General` (`G/通用格式` as Chinese Excel/WPS write it), `@`:
///   Excel's General format: integers without `.0`;
///   other numbers with up to 10 significant digits (11 characters), trailing zeros
///   trimmed, float noise gone (`0.1+0.2` → `0.3`); 12-digit and larger numbers, and
///   tiny ones, in scientific form with up to 6 significant digits (`1E+15`,
///   `1.23457E+11`, `1E-10`).
/// - Number codes: `0`, `0.00`, `#,##0.00`, `0%`, `0.00%`, `0.00E+00`, literal text in
///   quotes or escaped (`0"人"` → `1550人`, `0.00"万元"`), trailing `,` scaling by
///   1000, `pos;neg;zero;text` sections (a one-section code puts `-` in front of a
///   negative; with two or more sections the negative section shows the absolute
///   value with its own signs/brackets), conditions like `[>=100]` choose a section.
///   `[Red]`, `[$-409]`, `[DBNum1]` and other bracket tags are ignored (a currency tag
///   `[$¥-804]` shows its symbol); `_x` padding and `*x` fill are ignored; `?` pads
///   with spaces, which are then trimmed off the ends.
/// - Rounding is half away from zero on the number's 15-significant-digit decimal
///   form, as Excel does (`0.125` under `0.00` → `0.13`, `1.005` → `1.01`). A
///   negative number that rounds to zero loses its `-` (`-0.001` under `0.00` →
///   `0.00`).
/// - Date/time codes (`y m d h s`, `AM/PM`, `上午/下午`, `aaaa` outside quotes) render
///   the Excel serial (1900 system, with its fictitious 1900-02-29) per the pattern,
///   e.g. `yyyy"年"m"月"d"日"` → `2023年1月5日`, `yyyy.mm.dd`, `h:mm`. The locale-
///   dependent built-in short date (`m/d/yy`, `mm-dd-yy`, `m/d/yyyy`, `m/d/yy h:mm`)
///   renders as ISO `yyyy-mm-dd` (`yyyy-mm-dd hh:mm`); `[$-F800]` (system long
///   date) as `yyyy年m月d日`. Month names are English (`mmm` → `Jan`); `aaa`/`aaaa`
///   give `一`/`星期一`. A negative serial renders as General.
/// - Fraction codes (`# ?/?`) are not supported and render as General.
///
/// ```
/// use jixiao::read::numfmt::render_number;
/// assert_eq!(render_number(0.9042, Some("0.00%")), "90.42%");
/// assert_eq!(render_number(1550.0, Some("0\"人\"")), "1550人");
/// assert_eq!(render_number(0.1 + 0.2, None), "0.3");
/// ```
pub fn render_number(v: f64, format_code: Option<&str>) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let code = format_code.map(str::trim).unwrap_or("");
    if code.is_empty()
        || code.eq_ignore_ascii_case("general")
        || code == "G/通用格式"
        || code == "@"
    {
        return general(v);
    }
    let code = substitute_locale_dates(code);
    let sections: Vec<Section> = split_sections(&code).iter().map(|s| tokenize(s)).collect();
    // The 4th section is for text; a number never uses it.
    let numeric: Vec<&Section> = sections.iter().take(3).collect();
    if numeric.is_empty() {
        return general(v);
    }

    let (section, value, auto_minus) = if numeric.iter().take(2).any(|s| s.cond.is_some()) {
        let pick = numeric
            .iter()
            .enumerate()
            .find(|(i, s)| match &s.cond {
                Some(c) => c.holds(v),
                None => *i > 0,
            })
            .map(|(_, s)| *s);
        match pick {
            Some(s) => (s, v.abs(), v < 0.0 && s.cond.is_none()),
            None => return general(v),
        }
    } else {
        match numeric.len() {
            1 => (numeric[0], v.abs(), v < 0.0),
            2 => {
                if v < 0.0 {
                    (numeric[1], -v, false)
                } else {
                    (numeric[0], v, false)
                }
            }
            _ => {
                if v > 0.0 {
                    (numeric[0], v, false)
                } else if v < 0.0 {
                    (numeric[1], -v, false)
                } else {
                    (numeric[2], 0.0, false)
                }
            }
        }
    };

    let (text, is_zero) = match section.kind() {
        Kind::Date => {
            if v < 0.0 {
                return general(v);
            }
            // Dates always use the signed serial.
            (render_date(v, &section.toks), false)
        }
        Kind::Fraction => return general(v),
        Kind::Number => render_numeric(value, &section.toks),
        Kind::Text => (general(value), value == 0.0),
        Kind::Literal => (render_literals(&section.toks), true),
    };
    let text = text.trim_matches(' ').to_string();
    if auto_minus && !is_zero {
        format!("-{text}")
    } else {
        text
    }
}

/// The format code of one of Excel's built-in number formats (`numFmtId` without a
/// `<numFmt>` entry in styles.xml), with the zh-CN codes for the locale-dependent
/// ids 27–36 and 50–58 (`31` → `yyyy"年"m"月"d"日"`). `None` for an unknown id.
pub fn builtin_format_code(id: u32) -> Option<&'static str> {
    Some(match id {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        5 => "\"¥\"#,##0_);(\"¥\"#,##0)",
        6 => "\"¥\"#,##0_);[Red](\"¥\"#,##0)",
        7 => "\"¥\"#,##0.00_);(\"¥\"#,##0.00)",
        8 => "\"¥\"#,##0.00_);[Red](\"¥\"#,##0.00)",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "m/d/yy",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "m/d/yy h:mm",
        27 | 36 | 50 | 57 => "yyyy\"年\"m\"月\"",
        28 | 29 | 51 | 53 | 54 | 58 => "m\"月\"d\"日\"",
        30 => "m-d-yy",
        31 => "yyyy\"年\"m\"月\"d\"日\"",
        32 => "h\"时\"mm\"分\"",
        33 => "h\"时\"mm\"分\"ss\"秒\"",
        34 | 55 => "上午/下午h\"时\"mm\"分\"",
        35 | 56 => "上午/下午h\"时\"mm\"分\"ss\"秒\"",
        37 => "#,##0_);(#,##0)",
        38 => "#,##0_);[Red](#,##0)",
        39 => "#,##0.00_);(#,##0.00)",
        40 => "#,##0.00_);[Red](#,##0.00)",
        41 => "_(* #,##0_);_(* (#,##0);_(* \"-\"_);_(@_)",
        42 => "_(\"¥\"* #,##0_);_(\"¥\"* (#,##0);_(\"¥\"* \"-\"_);_(@_)",
        43 => "_(* #,##0.00_);_(* (#,##0.00);_(* \"-\"??_);_(@_)",
        44 => "_(\"¥\"* #,##0.00_);_(\"¥\"* (#,##0.00);_(\"¥\"* \"-\"??_);_(@_)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mm:ss.0",
        48 => "##0.0E+0",
        49 => "@",
        52 => "yyyy\"年\"m\"月\"",
        _ => return None,
    })
}

/// True when a number format code displays dates or times (its first section has
/// `y m d h s`, `AM/PM` or `上午/下午` outside quotes and brackets).
pub fn is_date_format(format_code: &str) -> bool {
    let code = substitute_locale_dates(format_code.trim());
    split_sections(&code)
        .first()
        .is_some_and(|s| tokenize(s).kind() == Kind::Date)
}

/// An Excel serial (1900 date system) as `(year, month, day, hour, minute, second)`;
/// serial 60 is Excel's fictitious 1900-02-29 and serial 0 is `1900-01-00`.
/// `None` for a negative or non-finite serial.
#[cfg(test)]
pub fn excel_serial_to_datetime(serial: f64) -> Option<(i32, u32, u32, u32, u32, u32)> {
    let dt = DateTime::from_serial(serial)?;
    Some((dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second))
}

/// An Excel serial shown without a format: `yyyy-mm-dd`, with ` hh:mm:ss` when it
/// has a time part; a pure time (serial below 1) as `hh:mm:ss`. For a date cell
/// whose format code is not known.
#[cfg(test)]
pub fn render_excel_date(serial: f64) -> String {
    let Some(dt) = DateTime::from_serial(serial) else {
        return general(serial);
    };
    let time = dt.hour != 0 || dt.minute != 0 || dt.second != 0;
    if dt.days == 0 && time {
        format!("{:02}:{:02}:{:02}", dt.hour, dt.minute, dt.second)
    } else if time {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second
        )
    } else {
        format!("{:04}-{:02}-{:02}", dt.year, dt.month, dt.day)
    }
}

/// Replaces locale-dependent built-in date codes by the pattern we show for them.
fn substitute_locale_dates(code: &str) -> String {
    let lower = code.to_ascii_lowercase();
    if lower.contains("[$-f800]") {
        return "yyyy\"年\"m\"月\"d\"日\"".to_string();
    }
    if lower.contains("[$-f400]") {
        return "h:mm:ss".to_string();
    }
    // Strip bracket tags to compare with the built-in short dates.
    let bare: String = {
        let mut s = String::new();
        let mut depth = 0;
        for c in lower.chars() {
            match c {
                '[' => depth += 1,
                ']' if depth > 0 => depth -= 1,
                c if depth == 0 => s.push(c),
                _ => {}
            }
        }
        s
    };
    let bare = bare.trim_end_matches(";@");
    match bare {
        "m/d/yy" | "m/d/yyyy" | "mm-dd-yy" | "mm/dd/yy" | "mm/dd/yyyy" | "d/m/yy" | "dd/mm/yy"
        | "dd/mm/yyyy" => "yyyy-mm-dd".to_string(),
        "m/d/yy h:mm" | "m/d/yyyy h:mm" | "mm-dd-yy h:mm" => "yyyy-mm-dd hh:mm".to_string(),
        _ => code.to_string(),
    }
}

// ── Decimal digits of a double, as Excel sees them (15 significant digits) ──

/// `value = d0.d1d2… × 10^exp`; no digits means zero.
#[derive(Debug, Clone)]
struct Dec {
    digits: Vec<u8>,
    exp: i32,
}

impl Dec {
    fn from_f64(a: f64) -> Dec {
        if a == 0.0 || !a.is_finite() {
            return Dec {
                digits: Vec::new(),
                exp: 0,
            };
        }
        let s = format!("{:.14e}", a.abs());
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let mut digits: Vec<u8> = m
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        while digits.last() == Some(&0) {
            digits.pop();
        }
        Dec {
            digits,
            exp: e.parse().unwrap_or(0),
        }
    }

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Rounds half away from zero to `decimals` places: (integer digits without
    /// leading zeros, `""` for zero; exactly `decimals` fraction digits).
    fn round_fixed(&self, decimals: usize) -> (String, String) {
        let mut kept: Vec<u8> = Vec::new();
        if !self.is_zero() {
            let n = self.exp as i64 + decimals as i64 + 1;
            if n >= 0 {
                let n = n as usize;
                kept = self.digits.iter().copied().take(n).collect();
                kept.resize(n, 0);
                if self.digits.get(n).is_some_and(|d| *d >= 5) {
                    increment(&mut kept);
                }
            }
        }
        let s: String = kept.iter().map(|d| (b'0' + d) as char).collect();
        let s = s.trim_start_matches('0');
        if s.len() <= decimals {
            (
                String::new(),
                format!("{}{}", "0".repeat(decimals - s.len()), s),
            )
        } else {
            let (i, f) = s.split_at(s.len() - decimals);
            (i.to_string(), f.to_string())
        }
    }

    fn shifted(&self, by: i32) -> Dec {
        Dec {
            digits: self.digits.clone(),
            exp: self.exp + by,
        }
    }
}

fn increment(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, 1);
}

/// Fixed with `decimals` places, trailing zeros (and a bare point) trimmed.
fn fixed_trim(d: &Dec, decimals: usize) -> String {
    let (i, f) = d.round_fixed(decimals);
    let f = f.trim_end_matches('0');
    let i = if i.is_empty() { "0" } else { i.as_str() };
    if f.is_empty() {
        i.to_string()
    } else {
        format!("{i}.{f}")
    }
}

/// Scientific form with up to 6 significant digits: `1E+15`, `1.23457E-07`.
fn scientific(d: &Dec) -> String {
    let mut e = d.exp;
    let (mut i, mut f) = d.shifted(-e).round_fixed(5);
    if i.len() > 1 {
        e += 1;
        i = "1".into();
        f = "00000".into();
    }
    let f = f.trim_end_matches('0');
    let sign = if e < 0 { '-' } else { '+' };
    if f.is_empty() {
        format!("{i}E{sign}{:02}", e.abs())
    } else {
        format!("{i}.{f}E{sign}{:02}", e.abs())
    }
}

/// Excel's General format (see [`render_number`]).
fn general(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let d = Dec::from_f64(v.abs());
    let e = d.exp;
    let body = if e >= 11 || e <= -10 {
        scientific(&d)
    } else if e == 10 {
        fixed_trim(&d, 0)
    } else if e >= 0 {
        fixed_trim(&d, (9 - e) as usize)
    } else if e >= -4 {
        fixed_trim(&d, 9)
    } else {
        let s = fixed_trim(&d, 12);
        if s.len() <= 11 {
            s
        } else {
            scientific(&d)
        }
    };
    if v < 0.0 && body != "0" {
        format!("-{body}")
    } else {
        body
    }
}

// ── Format code tokens ──

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Lit(String),
    /// `0`, `#` or `?`.
    Digit(char),
    Point,
    Comma,
    Percent,
    Exp {
        upper: bool,
        plus: bool,
    },
    General,
    /// `@`.
    Text,
    Year(usize),
    /// `m` runs; resolved to minutes by position (after `h` or before `s`).
    Month(usize),
    Minute(usize),
    Day(usize),
    Hour(usize),
    Second(usize),
    /// `[h]`, `[mm]`, `[ss]`: elapsed time.
    Elapsed(char, usize),
    AmPm(AmPm),
    /// `aaa` → `一`, `aaaa` → `星期一`.
    CnWeekday(usize),
    /// `/` between digit placeholders (fraction codes).
    Slash,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum AmPm {
    Full,
    Short,
    Cn,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Number,
    Date,
    Text,
    Fraction,
    Literal,
}

#[derive(Debug, Clone, PartialEq)]
struct Cond {
    op: String,
    rhs: f64,
}

impl Cond {
    fn holds(&self, v: f64) -> bool {
        match self.op.as_str() {
            "<" => v < self.rhs,
            "<=" => v <= self.rhs,
            ">" => v > self.rhs,
            ">=" => v >= self.rhs,
            "=" => v == self.rhs,
            "<>" => v != self.rhs,
            _ => false,
        }
    }
}

#[derive(Debug, Clone)]
struct Section {
    toks: Vec<Tok>,
    cond: Option<Cond>,
}

impl Section {
    fn kind(&self) -> Kind {
        let mut digits = false;
        let mut text = false;
        let mut general = false;
        for t in &self.toks {
            match t {
                Tok::Year(_)
                | Tok::Month(_)
                | Tok::Minute(_)
                | Tok::Day(_)
                | Tok::Hour(_)
                | Tok::Second(_)
                | Tok::Elapsed(..)
                | Tok::AmPm(_)
                | Tok::CnWeekday(_) => return Kind::Date,
                Tok::Digit(_) => digits = true,
                Tok::Text => text = true,
                Tok::General => general = true,
                _ => {}
            }
        }
        if digits && self.toks.contains(&Tok::Slash) {
            Kind::Fraction
        } else if digits || general {
            Kind::Number
        } else if text {
            Kind::Text
        } else {
            Kind::Literal
        }
    }
}

/// Splits a code at `;` outside quotes, escapes and brackets.
fn split_sections(code: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = code.chars();
    let mut in_quote = false;
    let mut in_bracket = false;
    while let Some(c) = chars.next() {
        let cur = out.last_mut().expect("one section");
        match c {
            '"' if !in_bracket => {
                in_quote = !in_quote;
                cur.push(c);
            }
            '\\' if !in_quote && !in_bracket => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '[' if !in_quote => {
                in_bracket = true;
                cur.push(c);
            }
            ']' if !in_quote => {
                in_bracket = false;
                cur.push(c);
            }
            ';' if !in_quote && !in_bracket => out.push(String::new()),
            c => cur.push(c),
        }
    }
    out
}

fn starts_with_ci(chars: &[char], i: usize, pat: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    chars.len() >= i + p.len()
        && chars[i..i + p.len()]
            .iter()
            .zip(&p)
            .all(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
}

fn tokenize(section: &str) -> Section {
    let cs: Vec<char> = section.chars().collect();
    let mut toks = Vec::new();
    let mut cond = None;
    let mut i = 0;
    let run = |i: usize, lower: char| {
        cs[i..]
            .iter()
            .take_while(|c| c.to_ascii_lowercase() == lower)
            .count()
    };
    while i < cs.len() {
        let c = cs[i];
        match c {
            '"' => {
                let end = cs[i + 1..]
                    .iter()
                    .position(|&c| c == '"')
                    .map(|p| i + 1 + p)
                    .unwrap_or(cs.len());
                toks.push(Tok::Lit(cs[i + 1..end].iter().collect()));
                i = end + 1;
            }
            '\\' | '!' => {
                if let Some(n) = cs.get(i + 1) {
                    toks.push(Tok::Lit(n.to_string()));
                }
                i += 2;
            }
            '_' | '*' => i += 2,
            '[' => {
                let end = cs[i + 1..]
                    .iter()
                    .position(|&c| c == ']')
                    .map(|p| i + 1 + p)
                    .unwrap_or(cs.len());
                let content: String = cs[i + 1..end].iter().collect();
                i = end + 1;
                if let Some(cur) = content.strip_prefix('$') {
                    let sym = cur.split('-').next().unwrap_or("");
                    if !sym.is_empty() {
                        toks.push(Tok::Lit(sym.to_string()));
                    }
                } else if let Some(k) = elapsed_unit(&content) {
                    toks.push(Tok::Elapsed(k, content.chars().count()));
                } else if let Some(c) = parse_cond(&content) {
                    cond = Some(c);
                }
                // colours, [DBNum1] and other tags: ignored
            }
            '0' | '#' | '?' => {
                toks.push(Tok::Digit(c));
                i += 1;
            }
            '.' => {
                toks.push(Tok::Point);
                i += 1;
            }
            ',' => {
                toks.push(Tok::Comma);
                i += 1;
            }
            '%' => {
                toks.push(Tok::Percent);
                i += 1;
            }
            '@' => {
                toks.push(Tok::Text);
                i += 1;
            }
            '/' => {
                toks.push(Tok::Slash);
                i += 1;
            }
            'E' | 'e' if matches!(cs.get(i + 1), Some('+' | '-')) => {
                toks.push(Tok::Exp {
                    upper: c == 'E',
                    plus: cs[i + 1] == '+',
                });
                i += 2;
            }
            'G' | 'g' if starts_with_ci(&cs, i, "general") => {
                toks.push(Tok::General);
                i += 7;
            }
            // Chinese Excel and WPS write General as `G/通用格式`.
            'G' | 'g' if starts_with_ci(&cs, i, "g/通用格式") => {
                toks.push(Tok::General);
                i += 6;
            }
            'A' | 'a' if starts_with_ci(&cs, i, "am/pm") => {
                toks.push(Tok::AmPm(AmPm::Full));
                i += 5;
            }
            'A' | 'a' if starts_with_ci(&cs, i, "a/p") => {
                toks.push(Tok::AmPm(AmPm::Short));
                i += 3;
            }
            '上' if starts_with_ci(&cs, i, "上午/下午") => {
                toks.push(Tok::AmPm(AmPm::Cn));
                i += 5;
            }
            'A' | 'a' => {
                let n = run(i, 'a');
                if n >= 3 {
                    toks.push(Tok::CnWeekday(n));
                } else {
                    toks.push(Tok::Lit(cs[i..i + n].iter().collect()));
                }
                i += n;
            }
            'y' | 'Y' | 'e' => {
                let n = if c == 'e' { 1 } else { run(i, 'y') };
                toks.push(Tok::Year(if c == 'e' { 4 } else { n }));
                i += n;
            }
            'm' | 'M' => {
                let n = run(i, 'm');
                toks.push(Tok::Month(n));
                i += n;
            }
            'd' | 'D' => {
                let n = run(i, 'd');
                toks.push(Tok::Day(n));
                i += n;
            }
            'h' | 'H' => {
                let n = run(i, 'h');
                toks.push(Tok::Hour(n));
                i += n;
            }
            's' | 'S' => {
                let n = run(i, 's');
                toks.push(Tok::Second(n));
                i += n;
            }
            c => {
                toks.push(Tok::Lit(c.to_string()));
                i += 1;
            }
        }
    }
    resolve_minutes(&mut toks);
    // A `/` is a fraction bar only between digit placeholders (`# ?/?`); elsewhere
    // (dates, `0/年`) it is a literal slash.
    let dated = toks.iter().any(is_date_tok);
    for i in 0..toks.len() {
        if toks[i] != Tok::Slash {
            continue;
        }
        let before = i > 0 && matches!(toks[i - 1], Tok::Digit(_));
        let after = matches!(toks.get(i + 1), Some(Tok::Digit(_)));
        if dated || !(before && after) {
            toks[i] = Tok::Lit("/".into());
        }
    }
    Section { toks, cond }
}

/// `h`, `m` or `s` for an elapsed-time tag (`[h]`, `[mm]`, `[ss]`).
fn elapsed_unit(content: &str) -> Option<char> {
    let first = content.chars().next()?.to_ascii_lowercase();
    (matches!(first, 'h' | 'm' | 's') && content.chars().all(|c| c.eq_ignore_ascii_case(&first)))
        .then_some(first)
}

fn parse_cond(content: &str) -> Option<Cond> {
    for op in ["<=", ">=", "<>", "<", ">", "="] {
        if let Some(rest) = content.strip_prefix(op) {
            return rest.trim().parse().ok().map(|rhs| Cond {
                op: op.to_string(),
                rhs,
            });
        }
    }
    None
}

fn is_date_tok(t: &Tok) -> bool {
    matches!(
        t,
        Tok::Year(_)
            | Tok::Month(_)
            | Tok::Minute(_)
            | Tok::Day(_)
            | Tok::Hour(_)
            | Tok::Second(_)
            | Tok::Elapsed(..)
    )
}

/// `m`/`mm` right after an hour or right before a second means minutes.
fn resolve_minutes(toks: &mut [Tok]) {
    for i in 0..toks.len() {
        let Tok::Month(n) = toks[i] else { continue };
        if n > 2 {
            continue;
        }
        let prev = toks[..i].iter().rev().find(|t| is_date_tok(t));
        let next = toks[i + 1..].iter().find(|t| is_date_tok(t));
        let after_hour = matches!(prev, Some(Tok::Hour(_) | Tok::Elapsed('h', _)));
        let before_sec = matches!(next, Some(Tok::Second(_) | Tok::Elapsed('s', _)));
        if after_hour || before_sec {
            toks[i] = Tok::Minute(n);
        }
    }
}

fn render_literals(toks: &[Tok]) -> String {
    let mut out = String::new();
    for t in toks {
        match t {
            Tok::Lit(s) => out.push_str(s),
            Tok::Point => out.push('.'),
            Tok::Comma => out.push(','),
            Tok::Percent => out.push('%'),
            Tok::Slash => out.push('/'),
            _ => {}
        }
    }
    out
}

// ── Numbers ──

#[derive(Clone, Copy, PartialEq)]
enum CommaKind {
    Thousands,
    Scale,
    Literal,
}

/// Renders `a >= 0` through a number section; also says whether it shows zero.
fn render_numeric(a: f64, toks: &[Tok]) -> (String, bool) {
    let exp_at = toks.iter().position(|t| matches!(t, Tok::Exp { .. }));
    let (mant, exp_part) = match exp_at {
        Some(p) => (&toks[..p], Some(&toks[p..])),
        None => (toks, None),
    };
    let point = mant.iter().position(|t| *t == Tok::Point);
    let is_int_pos = |i: usize| point.is_none_or(|p| i < p);
    let int_ph: Vec<usize> = (0..mant.len())
        .filter(|&i| matches!(mant[i], Tok::Digit(_)) && is_int_pos(i))
        .collect();
    let frac_ph: Vec<usize> = (0..mant.len())
        .filter(|&i| matches!(mant[i], Tok::Digit(_)) && !is_int_pos(i))
        .collect();

    // Commas: between integer placeholders → thousands; after the last placeholder → ÷1000.
    let mut comma_kind = vec![CommaKind::Literal; mant.len()];
    let mut thousands = false;
    let mut scale = 0i32;
    for i in 0..mant.len() {
        if mant[i] != Tok::Comma {
            continue;
        }
        let prev_digit = i > 0 && matches!(mant[i - 1], Tok::Digit(_));
        let prev_scale =
            i > 0 && mant[i - 1] == Tok::Comma && comma_kind[i - 1] == CommaKind::Scale;
        let next_digit = matches!(mant.get(i + 1), Some(Tok::Digit(_)));
        let any_digit_before = mant[..i].iter().any(|t| matches!(t, Tok::Digit(_)));
        if next_digit && any_digit_before && is_int_pos(i) {
            thousands = true;
            comma_kind[i] = CommaKind::Thousands;
        } else if (prev_digit || prev_scale) && !next_digit {
            scale += 1;
            comma_kind[i] = CommaKind::Scale;
        } else if next_digit && is_int_pos(i) && !any_digit_before {
            // `,##0` is read like `#,##0`
            thousands = true;
            comma_kind[i] = CommaKind::Thousands;
        }
    }
    let percents = toks.iter().filter(|t| **t == Tok::Percent).count() as i32;
    let mut dec = Dec::from_f64(a);
    if !dec.is_zero() {
        dec.exp += 2 * percents - 3 * scale;
    }
    let decimals = frac_ph.len();

    // Scientific: choose the exponent, shift the mantissa.
    let mut exponent = 0i32;
    let (int_s, frac_s) = if exp_part.is_some() {
        let n_int = int_ph.len().max(1) as i32;
        let engineering = n_int > 1 && int_ph.iter().any(|&i| mant[i] == Tok::Digit('#'));
        if !dec.is_zero() {
            exponent = if engineering {
                dec.exp.div_euclid(n_int) * n_int
            } else {
                dec.exp - (n_int - 1)
            };
        }
        let (mut i, mut f) = dec.shifted(-exponent).round_fixed(decimals);
        let too_wide = if engineering {
            i.len() as i32 > n_int
        } else {
            i.len() as i32 > n_int.max(1)
        };
        if too_wide && !dec.is_zero() {
            exponent += if engineering { n_int } else { 1 };
            (i, f) = dec.shifted(-exponent).round_fixed(decimals);
        }
        (i, f)
    } else {
        dec.round_fixed(decimals)
    };
    let is_zero = int_s.is_empty() && frac_s.bytes().all(|b| b == b'0');

    // Integer digits to placeholders, right to left; the leftmost takes the rest.
    let digits: Vec<char> = int_s.chars().collect();
    let mut assigned = vec![String::new(); int_ph.len()];
    let mut r = digits.len();
    for j in (0..int_ph.len()).rev() {
        let Tok::Digit(ph) = mant[int_ph[j]] else {
            continue;
        };
        if j == 0 && r > 0 {
            assigned[0] = digits[..r].iter().collect();
            r = 0;
        } else if r > 0 {
            r -= 1;
            assigned[j] = digits[r].to_string();
        } else {
            assigned[j] = filler(ph).to_string();
        }
    }
    let total_int_digits: usize = assigned
        .iter()
        .map(|s| s.chars().filter(char::is_ascii_digit).count())
        .sum();

    // Fraction digits, trailing zeros dropped for `#` and blanked for `?`.
    let fchars: Vec<char> = frac_s.chars().collect();
    let mut frac_out: Vec<String> = fchars.iter().map(|c| c.to_string()).collect();
    for k in (0..frac_ph.len()).rev() {
        let Tok::Digit(ph) = mant[frac_ph[k]] else {
            break;
        };
        if fchars[k] != '0' || ph == '0' {
            break;
        }
        frac_out[k] = filler(ph).to_string();
    }

    let mut out = String::new();
    let mut emitted = 0usize;
    let mut int_j = 0usize;
    let mut frac_k = 0usize;
    let mut point_seen = false;
    for (i, t) in mant.iter().enumerate() {
        match t {
            Tok::Digit(_) if is_int_pos(i) => {
                for c in assigned[int_j].chars() {
                    out.push(c);
                    if c.is_ascii_digit() {
                        emitted += 1;
                        let rem = total_int_digits - emitted;
                        if thousands && rem > 0 && rem.is_multiple_of(3) {
                            out.push(',');
                        }
                    }
                }
                int_j += 1;
            }
            Tok::Digit(_) => {
                out.push_str(&frac_out[frac_k]);
                frac_k += 1;
            }
            Tok::Point if !point_seen => {
                point_seen = true;
                if int_ph.is_empty() {
                    out.push_str(&int_s);
                }
                out.push('.');
            }
            Tok::Point => out.push('.'),
            Tok::Comma if comma_kind[i] == CommaKind::Literal => out.push(','),
            Tok::Percent => out.push('%'),
            Tok::Lit(s) => out.push_str(s),
            Tok::Slash => out.push('/'),
            Tok::General => out.push_str(&general(a)),
            _ => {}
        }
    }
    if let Some(ep) = exp_part {
        if let Some(Tok::Exp { upper, plus }) = ep.first() {
            out.push(if *upper { 'E' } else { 'e' });
            if exponent < 0 {
                out.push('-');
            } else if *plus {
                out.push('+');
            }
            let width = ep.iter().filter(|t| **t == Tok::Digit('0')).count();
            out.push_str(&format!("{:0width$}", exponent.abs(), width = width.max(1)));
            for t in &ep[1..] {
                match t {
                    Tok::Digit(_) => {}
                    Tok::Lit(s) => out.push_str(s),
                    Tok::Percent => out.push('%'),
                    Tok::Point => out.push('.'),
                    Tok::Comma => out.push(','),
                    _ => {}
                }
            }
        }
    }
    (out, is_zero)
}

fn filler(ph: char) -> &'static str {
    match ph {
        '0' => "0",
        '?' => " ",
        _ => "",
    }
}

// ── Dates ──

#[derive(Debug, Clone, Copy)]
struct DateTime {
    /// Days since 1899-12-31 (only a bare date-time rendering reads it).
    #[cfg_attr(not(test), allow(dead_code))]
    days: i64,
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// 0 = Sunday.
    weekday: u32,
    total_seconds: i64,
}

impl DateTime {
    fn from_serial(serial: f64) -> Option<DateTime> {
        // Up to 9999-12-31, Excel's last date.
        if !(0.0..=2_958_466.0).contains(&serial) {
            return None;
        }
        let total_seconds = (serial * 86_400.0).round() as i64;
        let days = total_seconds.div_euclid(86_400);
        let secs = total_seconds.rem_euclid(86_400);
        let (year, month, day) = if days == 0 {
            (1900, 1, 0)
        } else if days == 60 {
            (1900, 2, 29)
        } else if days < 60 {
            civil_from_days(days - 25_568)
        } else {
            civil_from_days(days - 25_569)
        };
        Some(DateTime {
            days,
            year,
            month,
            day,
            hour: (secs / 3600) as u32,
            minute: (secs / 60 % 60) as u32,
            second: (secs % 60) as u32,
            weekday: (days - 1).rem_euclid(7) as u32,
            total_seconds,
        })
    }
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const CN_WEEKDAYS: [&str; 7] = ["日", "一", "二", "三", "四", "五", "六"];

fn render_date(serial: f64, toks: &[Tok]) -> String {
    let Some(dt) = DateTime::from_serial(serial) else {
        return general(serial);
    };
    let twelve = toks.iter().any(|t| matches!(t, Tok::AmPm(_)));
    let mut out = String::new();
    for t in toks {
        match t {
            Tok::Lit(s) => out.push_str(s),
            Tok::Point => out.push('.'),
            Tok::Comma => out.push(','),
            Tok::Percent => out.push('%'),
            Tok::Slash => out.push('/'),
            Tok::Digit(c) => out.push(*c),
            Tok::Year(n) => {
                if *n <= 2 {
                    out.push_str(&format!("{:02}", dt.year.rem_euclid(100)))
                } else {
                    out.push_str(&format!("{:04}", dt.year))
                }
            }
            Tok::Month(n) => {
                let name = MONTHS[(dt.month.clamp(1, 12) - 1) as usize];
                match n {
                    1 => out.push_str(&dt.month.to_string()),
                    2 => out.push_str(&format!("{:02}", dt.month)),
                    3 => out.push_str(&name[..3]),
                    4 => out.push_str(name),
                    _ => out.push_str(&name[..1]),
                }
            }
            Tok::Minute(n) => pad(&mut out, dt.minute as i64, *n),
            Tok::Day(n) => match n {
                1 | 2 => pad(&mut out, dt.day as i64, *n),
                3 => out.push_str(&WEEKDAYS[dt.weekday as usize][..3]),
                _ => out.push_str(WEEKDAYS[dt.weekday as usize]),
            },
            Tok::Hour(n) => {
                let h = if twelve {
                    match dt.hour % 12 {
                        0 => 12,
                        h => h,
                    }
                } else {
                    dt.hour
                };
                pad(&mut out, h as i64, *n)
            }
            Tok::Second(n) => pad(&mut out, dt.second as i64, *n),
            Tok::Elapsed(k, n) => {
                let v = match k {
                    'h' => dt.total_seconds / 3600,
                    'm' => dt.total_seconds / 60,
                    _ => dt.total_seconds,
                };
                pad(&mut out, v, *n)
            }
            Tok::AmPm(kind) => {
                let pm = dt.hour >= 12;
                out.push_str(match (kind, pm) {
                    (AmPm::Full, false) => "AM",
                    (AmPm::Full, true) => "PM",
                    (AmPm::Short, false) => "A",
                    (AmPm::Short, true) => "P",
                    (AmPm::Cn, false) => "上午",
                    (AmPm::Cn, true) => "下午",
                })
            }
            Tok::CnWeekday(n) => {
                if *n >= 4 {
                    out.push_str("星期");
                }
                out.push_str(CN_WEEKDAYS[dt.weekday as usize]);
            }
            Tok::Exp { .. } | Tok::General | Tok::Text => {}
        }
    }
    out
}

fn pad(out: &mut String, v: i64, n: usize) {
    if n >= 2 {
        out.push_str(&format!("{v:02}"));
    } else {
        out.push_str(&v.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_format() {
        assert_eq!(render_number(3.0, None), "3");
        assert_eq!(render_number(85.5, None), "85.5");
        assert_eq!(render_number(0.1 + 0.2, None), "0.3");
        assert_eq!(render_number(0.85, Some("General")), "0.85");
        assert_eq!(render_number(1550.0, Some("general")), "1550");
        assert_eq!(render_number(-5.0, None), "-5");
        assert_eq!(render_number(0.0, None), "0");
        assert_eq!(render_number(-0.0, None), "0");
        assert_eq!(render_number(1e15, None), "1E+15");
        assert_eq!(render_number(123456789012.0, None), "1.23457E+11");
        assert_eq!(render_number(99999999999.0, None), "99999999999");
        assert_eq!(render_number(1234.56789012, None), "1234.56789");
        assert_eq!(render_number(0.123456789012, None), "0.123456789");
        assert_eq!(render_number(1.0 / 3.0, None), "0.333333333");
        assert_eq!(render_number(2.0 / 3.0, None), "0.666666667");
        assert_eq!(render_number(0.00001, None), "0.00001");
        assert_eq!(render_number(1.23456789e-7, None), "1.23457E-07");
        assert_eq!(render_number(1e-10, None), "1E-10");
        assert_eq!(render_number(-1.5e20, None), "-1.5E+20");
        assert_eq!(render_number(250000000.0, None), "250000000");
        assert_eq!(render_number(7.0, Some("@")), "7");
        assert_eq!(render_number(7.25, Some("")), "7.25");
        assert_eq!(render_number(90.42, None), "90.42");
    }

    #[test]
    fn percent_formats() {
        assert_eq!(render_number(0.85, Some("0%")), "85%");
        assert_eq!(render_number(0.9042, Some("0.00%")), "90.42%");
        assert_eq!(render_number(0.9, Some("0.00%")), "90.00%");
        assert_eq!(render_number(0.925, Some("0.0%")), "92.5%");
        assert_eq!(render_number(1.0, Some("0%")), "100%");
        assert_eq!(render_number(0.9201, Some("0.00%")), "92.01%");
        assert_eq!(render_number(0.005, Some("0%")), "1%");
        assert_eq!(render_number(-0.05, Some("0%")), "-5%");
        assert_eq!(render_number(0.07, Some("0%")), "7%");
        assert_eq!(render_number(0.575, Some("0.0%")), "57.5%");
    }

    #[test]
    fn fixed_and_thousands_formats() {
        assert_eq!(render_number(3.0, Some("0")), "3");
        assert_eq!(render_number(2.5, Some("0")), "3");
        assert_eq!(render_number(-2.5, Some("0")), "-3");
        assert_eq!(render_number(0.125, Some("0.00")), "0.13");
        assert_eq!(render_number(1.005, Some("0.00")), "1.01");
        assert_eq!(render_number(2.675, Some("0.00")), "2.68");
        assert_eq!(render_number(85.5, Some("0.0")), "85.5");
        assert_eq!(render_number(85.0, Some("0.00")), "85.00");
        assert_eq!(render_number(0.5, Some("#.00")), ".50");
        assert_eq!(render_number(0.5, Some("0.##")), "0.5");
        assert_eq!(render_number(3.0, Some("0.##")), "3.");
        assert_eq!(render_number(1234567.891, Some("#,##0")), "1,234,568");
        assert_eq!(render_number(1234567.891, Some("#,##0.00")), "1,234,567.89");
        assert_eq!(render_number(999.0, Some("#,##0")), "999");
        assert_eq!(render_number(0.0, Some("#,##0")), "0");
        assert_eq!(render_number(-1234.5, Some("#,##0.00")), "-1,234.50");
        assert_eq!(render_number(5.0, Some("000")), "005");
        assert_eq!(render_number(12345678.0, Some("#,##0,")), "12,346");
        assert_eq!(render_number(12345678.0, Some("0.0,,")), "12.3");
        assert_eq!(render_number(1.0e-3, Some("0.00")), "0.00");
        assert_eq!(render_number(-0.001, Some("0.00")), "0.00");
        assert_eq!(render_number(5555.0, Some("000-0000")), "000-5555");
    }

    #[test]
    fn literal_text_in_formats() {
        assert_eq!(render_number(1550.0, Some("0\"人\"")), "1550人");
        assert_eq!(render_number(12.345, Some("0.00\"万元\"")), "12.35万元");
        assert_eq!(render_number(11.0, Some("0\"万人次\"")), "11万人次");
        assert_eq!(render_number(33.0, Some("0\\处")), "33处");
        assert_eq!(render_number(33.0, Some("0处")), "33处");
        assert_eq!(render_number(33.0, Some("0!处")), "33处");
        assert_eq!(render_number(5.0, Some("\"¥\"#,##0.00")), "¥5.00");
        assert_eq!(render_number(-5.0, Some("\"¥\"#,##0.00")), "-¥5.00");
        assert_eq!(render_number(1234.0, Some("[$¥-804]#,##0")), "¥1,234");
        assert_eq!(render_number(1550.0, Some("General\"人\"")), "1550人");
        assert_eq!(render_number(1550.0, Some("G/通用格式\"人\"")), "1550人");
        assert_eq!(render_number(0.5, Some("G/通用格式")), "0.5");
        assert_eq!(
            render_number(-3.0, Some("#,##0.00_ ;[红色]-#,##0.00 ")),
            "-3.00"
        );
        assert_eq!(render_number(0.85, Some("0%\"以上\"")), "85%以上");
    }

    #[test]
    fn sections_tags_and_padding() {
        let acct = "0.00_);[Red](0.00)";
        assert_eq!(render_number(5.0, Some(acct)), "5.00");
        assert_eq!(render_number(-5.0, Some(acct)), "(5.00)");
        assert_eq!(render_number(0.0, Some(acct)), "0.00");
        let three = "0;\"负\"0;\"零\"";
        assert_eq!(render_number(3.0, Some(three)), "3");
        assert_eq!(render_number(-3.0, Some(three)), "负3");
        assert_eq!(render_number(0.0, Some(three)), "零");
        assert_eq!(render_number(0.0, Some("0;-0;;@")), "");
        assert_eq!(render_number(7.0, Some("[Blue]0;[Red]-0")), "7");
        assert_eq!(render_number(-7.0, Some("[Blue]0;[Red]-0")), "-7");
        assert_eq!(render_number(7.0, Some("[$-409]0.0")), "7.0");
        assert_eq!(render_number(7.0, Some("[DBNum1][$-804]General")), "7");
        let fin = "_-* #,##0.00_-;-* #,##0.00_-;_-* \"-\"??_-;_-@_-";
        assert_eq!(render_number(1234.5, Some(fin)), "1,234.50");
        assert_eq!(render_number(-1234.5, Some(fin)), "-1,234.50");
        assert_eq!(render_number(0.0, Some(fin)), "-");
        assert_eq!(render_number(5.0, Some("0_ ;[Red]\\-0\\ ")), "5");
        assert_eq!(render_number(-5.0, Some("0_ ;[Red]\\-0\\ ")), "-5");
        assert_eq!(render_number(3.0, Some("0.0?")), "3.0");
        assert_eq!(
            render_number(150.0, Some("[>=100]\"大\"0;[<0]\"负\"0;0")),
            "大150"
        );
        assert_eq!(
            render_number(50.0, Some("[>=100]\"大\"0;[<0]\"负\"0;0")),
            "50"
        );
        assert_eq!(
            render_number(-5.0, Some("[>=100]\"大\"0;[<0]\"负\"0;0")),
            "负5"
        );
        let ymd = "\"Y: \"0.00\"m\";\"Y: \"-0.00\"m\";\"Y: <num>m\";@";
        assert_eq!(render_number(1.5, Some(ymd)), "Y: 1.50m");
        assert_eq!(render_number(-1.5, Some(ymd)), "Y: -1.50m");
        assert_eq!(render_number(0.0, Some(ymd)), "Y: <num>m");
    }

    #[test]
    fn scientific_formats() {
        assert_eq!(render_number(12345.0, Some("0.00E+00")), "1.23E+04");
        assert_eq!(render_number(0.00012345, Some("0.00E+00")), "1.23E-04");
        assert_eq!(render_number(9.999, Some("0.00E+00")), "1.00E+01");
        assert_eq!(render_number(0.0, Some("0.00E+00")), "0.00E+00");
        assert_eq!(render_number(12345.0, Some("##0.0E+0")), "12.3E+3");
    }

    #[test]
    fn dates() {
        // 2023-01-05 is serial 44931.
        assert_eq!(render_number(44931.0, Some("yyyy-mm-dd")), "2023-01-05");
        assert_eq!(render_number(44931.0, Some("m/d/yy")), "2023-01-05");
        assert_eq!(render_number(44931.0, Some("mm-dd-yy")), "2023-01-05");
        assert_eq!(
            render_number(44931.0, Some("yyyy\"年\"m\"月\"d\"日\"")),
            "2023年1月5日"
        );
        assert_eq!(render_number(44931.0, Some("yyyy年m月d日")), "2023年1月5日");
        assert_eq!(
            render_number(44931.0, Some("[$-F800]dddd, mmmm dd, yyyy")),
            "2023年1月5日"
        );
        assert_eq!(render_number(44931.0, Some("yyyy.mm.dd")), "2023.01.05");
        assert_eq!(render_number(44931.0, Some("yyyy/m/d;@")), "2023/1/5");
        assert_eq!(render_number(44931.0, Some("d-mmm-yy")), "5-Jan-23");
        assert_eq!(render_number(44931.0, Some("dddd")), "Thursday");
        assert_eq!(render_number(44931.0, Some("aaaa")), "星期四");
        assert_eq!(render_number(44931.5, Some("h:mm")), "12:00");
        assert_eq!(
            render_number(44931.75, Some("yyyy-mm-dd hh:mm:ss")),
            "2023-01-05 18:00:00"
        );
        assert_eq!(render_number(44931.75, Some("h:mm AM/PM")), "6:00 PM");
        assert_eq!(
            render_number(44931.25, Some("上午/下午h\"时\"mm\"分\"")),
            "上午6时00分"
        );
        assert_eq!(render_number(1.5, Some("[h]:mm")), "36:00");
        assert_eq!(render_number(1.0, Some("yyyy-mm-dd")), "1900-01-01");
        assert_eq!(render_number(59.0, Some("yyyy-mm-dd")), "1900-02-28");
        assert_eq!(render_number(60.0, Some("yyyy-mm-dd")), "1900-02-29");
        assert_eq!(render_number(61.0, Some("yyyy-mm-dd")), "1900-03-01");
        assert_eq!(render_number(25569.0, Some("yyyy-mm-dd")), "1970-01-01");
        assert_eq!(render_number(45291.0, Some("yyyy-mm-dd")), "2023-12-31");
        assert!(is_date_format("yyyy\"年\"m\"月\"d\"日\""));
        assert!(is_date_format("h:mm"));
        assert!(!is_date_format("0.00%"));
        assert!(!is_date_format("0\"月\""));
        assert!(!is_date_format("[Red]0.00"));
        assert_eq!(
            render_number(44931.0, builtin_format_code(31)),
            "2023年1月5日"
        );
        assert_eq!(
            render_number(44931.0, builtin_format_code(14)),
            "2023-01-05"
        );
        assert_eq!(render_number(44931.0, builtin_format_code(57)), "2023年1月");
        assert_eq!(render_number(0.85, builtin_format_code(9)), "85%");
        assert_eq!(render_number(-1234.0, builtin_format_code(38)), "(1,234)");
        assert_eq!(render_number(0.0, builtin_format_code(43)), "-");
        assert_eq!(builtin_format_code(200), None);
        assert_eq!(render_excel_date(44931.0), "2023-01-05");
        assert_eq!(render_excel_date(44931.5), "2023-01-05 12:00:00");
        assert_eq!(render_excel_date(0.5), "12:00:00");
        assert_eq!(
            excel_serial_to_datetime(44931.0),
            Some((2023, 1, 5, 0, 0, 0))
        );
    }

    mod prop {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn render_number_never_panics(
                v in proptest::num::f64::ANY,
                code in "[0#?.,%E+\\-;@\"_*\\[\\]$ymdhsAP/:人General]{0,16}",
            ) {
                let _ = render_number(v, Some(&code));
                let _ = is_date_format(&code);
            }

            #[test]
            fn general_reads_back(v in -1.0e10f64..1.0e10) {
                let s = render_number(v, None);
                let back: f64 = s.parse().unwrap();
                prop_assert!((back - v).abs() <= v.abs() * 1e-9 + 1e-9, "{} -> {}", v, s);
            }
        }
    }
}
