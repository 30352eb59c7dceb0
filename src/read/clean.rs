//! Turns raw cell content into the text a person sees, cleaned as spec/model.md says.
//!
//! STUB: the full cleaner and number-format renderer are being written.

/// Cleans cell text: trims, makes full-width digits/letters/% half-width,
/// removes line breaks inside short values, keeps those that separate items.
pub fn clean_text(s: &str) -> String {
    s.trim().to_string()
}

/// Renders a number as Excel displays it under `format_code` (`0.00%`, `0`, `General`).
pub fn render_number(v: f64, format_code: Option<&str>) -> String {
    match format_code {
        Some(f) if f.contains('%') => format!("{}%", v * 100.0),
        _ => format!("{v}"),
    }
}
