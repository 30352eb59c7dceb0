//! 提交: a checked upload stored in the submissions folder under a name the server makes, atomically, never over an earlier one.

use crate::model::Table;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// Characters of one part of a stored name, at most.
const MAX_PART: usize = 40;

/// Containers a stored file may be named as (the reader decides by content).
const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "xlsb", "ods"];

/// Beijing time: UTC+8, what the bureau's clocks show.
const OFFSET_SECS: i64 = 8 * 3600;

/// Tries at a fresh name when submissions of one unit come in the same second.
const MAX_TRIES: usize = 1_000;

/// A submission stored.
#[derive(Debug, Clone)]
pub struct Stored {
    pub name: String,
    /// `2026-12-02 16:05:03`, Beijing time.
    pub time: String,
    pub sha256: String,
}

/// Stores `bytes` in `dir` under a name from its first table (year,
/// department, project) and the time; an existing file is never replaced:
/// a name taken gets `-2`, `-3`, …
pub fn store(dir: &Path, bytes: &[u8], tables: &[Table]) -> std::io::Result<Stored> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (date, time) = civil(now + OFFSET_SECS);
    let stem = stem(tables, &date, &time);
    let ext = tables
        .first()
        .map(|t| t.source.format.as_str())
        .filter(|f| EXTENSIONS.contains(f))
        .unwrap_or("xlsx");
    let mut tmp = tempfile::Builder::new()
        .prefix(".upload-")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    for n in 1..=MAX_TRIES {
        let name = if n == 1 {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let path = dir.join(&name);
        match tmp.persist_noclobber(&path) {
            Ok(_) => {
                return Ok(Stored {
                    name,
                    time: format!("{} {}", date_text(&date), time_text(&time)),
                    sha256: hex(&Sha256::digest(bytes)),
                })
            }
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => tmp = e.file,
            Err(e) => return Err(e.error),
        }
    }
    Err(std::io::Error::other("同一时刻的提交过多"))
}

/// `2024年_临沂市教育局_20261202-160503` (`_项目` after the department when a single table has one).
fn stem(tables: &[Table], date: &str, time: &str) -> String {
    let mut parts = Vec::new();
    let first = tables.first();
    if let Some(y) = first.and_then(|t| t.year) {
        parts.push(format!("{y}年"));
    }
    let department = first.and_then(|t| t.department.clone()).unwrap_or_default();
    parts.push(match sanitize(&department) {
        d if d.is_empty() => "未知单位".to_string(),
        d => d,
    });
    if let [one] = tables {
        let p = sanitize(one.project());
        if !p.is_empty() {
            parts.push(p);
        }
    }
    if tables.len() > 1 {
        parts.push(format!("{}张表", tables.len()));
    }
    parts.push(format!("{date}-{time}"));
    parts.join("_")
}

/// A name part safe on every file system: letters and digits of any script
/// (so 教育局 stays), `-` and `（）`; anything else becomes `_`; trimmed and cut short.
pub fn sanitize(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '（' | '）') {
                c
            } else {
                '_'
            }
        })
        .take(MAX_PART)
        .collect();
    let mut out = String::new();
    for c in mapped.chars() {
        if c == '_' && (out.is_empty() || out.ends_with('_')) {
            continue;
        }
        out.push(c);
    }
    out.trim_end_matches('_').to_string()
}

/// Seconds since 1970 (already shifted to local time) → (`20261202`, `160503`).
fn civil(secs: i64) -> (String, String) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        format!("{y:04}{m:02}{d:02}"),
        format!("{:02}{:02}{:02}", rem / 3600, rem % 3600 / 60, rem % 60),
    )
}

/// `20261202` → `2026-12-02`.
fn date_text(d: &str) -> String {
    format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8])
}

/// `160503` → `16:05:03`.
fn time_text(t: &str) -> String {
    format!("{}:{}:{}", &t[..2], &t[2..4], &t[4..6])
}

/// A file's modification time as `2026-12-02 16:05:03` (Beijing time).
pub fn local_time(t: SystemTime) -> String {
    let secs = t
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (date, time) = civil(secs + OFFSET_SECS);
    format!("{} {}", date_text(&date), time_text(&time))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), ("19700101".into(), "000000".into()));
        assert_eq!(civil(1_709_210_096), ("20240229".into(), "123456".into()));
    }

    #[test]
    fn names_keep_chinese_and_drop_the_rest() {
        assert_eq!(sanitize("临沂市教育局"), "临沂市教育局");
        assert_eq!(sanitize("../../etc/passwd"), "etc_passwd");
        assert_eq!(sanitize("a\\b:c*?\"<>|\u{0}d"), "a_b_c_d");
        assert_eq!(sanitize("  "), "");
        assert_eq!(sanitize(&"长".repeat(100)).chars().count(), MAX_PART);
    }
}
