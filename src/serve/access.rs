//! The bureau's access code: made at start from the OS's randomness, checked in constant time.

/// Letters and digits a clerk cannot misread (no 0/O, 1/I/L).
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// Characters of a code: 31⁸, about 40 bits.
const LEN: usize = 8;

/// A new random access code (`7KQ3M9XA`); `None` when the OS gives no randomness.
pub fn new_code() -> Option<String> {
    let mut raw = [0u8; LEN];
    getrandom::fill(&mut raw).ok()?;
    Some(
        raw.iter()
            .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
            .collect(),
    )
}

/// Whether `given` is the code, compared in time independent of where they
/// differ (case and surrounding spaces ignored, as a clerk types it).
pub fn code_matches(code: &str, given: &str) -> bool {
    let given = given.trim().to_ascii_uppercase();
    let (a, b) = (code.as_bytes(), given.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_random_and_match_only_themselves() {
        let a = new_code().unwrap();
        let b = new_code().unwrap();
        assert_eq!(a.len(), LEN);
        assert_ne!(a, b);
        assert!(code_matches(&a, &a));
        assert!(code_matches(&a, &format!(" {} ", a.to_lowercase())));
        assert!(!code_matches(&a, &b));
        assert!(!code_matches(&a, ""));
        assert!(!code_matches(&a, &a[..LEN - 1]));
    }
}
