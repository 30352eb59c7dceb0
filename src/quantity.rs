//! Reads a value's cleaned text as a quantity (`≥95%`, `11万人次`) or says what else it is.
//!
//! Pure text → [`Parsed`]; no I/O. STUB: the full parser is being written.

use crate::model::{Cmp, Parsed, Quantity};

/// What `text` (already cleaned) reads as; `None` for an empty value.
/// `qualitative_words` come from the template's rules.
pub fn parse_value(text: &str, qualitative_words: &[String]) -> Option<Parsed> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t == "/" {
        return Some(Parsed::NotApplicable);
    }
    let num_end = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.'))
        .map(|(i, _)| i)
        .unwrap_or(t.len());
    if num_end > 0 {
        if let Ok(n) = t[..num_end].parse::<f64>() {
            return Some(Parsed::Quantity(Quantity {
                cmp: None::<Cmp>,
                number: n,
                unit: t[num_end..].to_string(),
            }));
        }
    }
    if qualitative_words.iter().any(|w| t.contains(w.as_str())) {
        return Some(Parsed::Qualitative);
    }
    Some(Parsed::Unparsed)
}
