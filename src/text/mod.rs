//! Text canonicalisation: the keys that keyed digests of text are computed from.

use unicode_normalization::UnicodeNormalization;

use crate::Error;

/// Version of the strict key; part of every text digest.
pub const STRICT_KEY_VERSION: u16 = 1;

/// Longest text accepted, in bytes.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// The strict key of a text: NFKC, lower case, whitespace runs collapsed to one space and trimmed.
///
/// ```
/// assert_eq!(hashscreen::text::strict_key("  Free\u{3000}NITRO ")?, "free nitro");
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn strict_key(text: &str) -> Result<String, Error> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(Error::InputTooLarge {
            limit: MAX_TEXT_BYTES,
            found: text.len(),
        });
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkc().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    Ok(out)
}
