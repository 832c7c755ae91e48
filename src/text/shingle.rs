//! Word shingles of the strict key, for near-duplicate templates.
//!
//! A listed template puts the keyed digest of each of its shingles into the blocklist's shingle
//! section. A message is screened by digesting its own shingles and counting how many distinct
//! ones are in the filter; it matches when the count reaches [`SHINGLE_MIN_HITS`] (see
//! [`shingles_match`]), wherever they are in the message and in any order.
//!
//! Why an absolute count and not a fraction of the template: a Bloom filter does not say which
//! template a shingle came from, so a per-template fraction cannot be evaluated on the client.
//! Every listed template therefore needs at least [`SHINGLE_MIN_HITS`] distinct shingles (three
//! words or more at width 2); shorter phrases belong in the strict key list.
//!
//! # Measured defaults (width 2, at least 2 hits)
//! `tests/text_shingles.rs` (ignored test, `--ignored --nocapture`) lists the shingles of the 16
//! scam phrases of the evasion vectors and screens 201,935 ordinary messages (lines and
//! paragraphs of the 17.4 MB of licence and copyright text under `/usr/share`):
//!
//! | width | hits >= 1 | hits >= 2 | hits >= 3 |
//! |---|---|---|---|
//! | 1 | 30 % false matches | 8.6 % | 3.2 % |
//! | 2 | 723 (0.36 %) | **0** | 0, but 9 of 16 templates too short |
//! | 3 | 0 | 0, 9 templates too short | 0, 13 too short |
//!
//! Width 2 with two hits is the only setting with no false match in that corpus (95 % upper
//! bound about 1.5e-5 per message) that still covers three-word templates; its evasion recall
//! equals the strict key's (117 of 124 variants). The corpus is English legal prose, far from
//! chat: treat the figure as a floor to re-measure on real traffic. A Bloom filter adds about
//! (shingles per message) x (its false-positive rate) per message.

use super::{strict_key_into, Error};

/// Version tag of shingle digests (covers the strict key version, the width and the joining).
pub const SHINGLE_VERSION: u16 = 1;

/// Default shingle width in words (measured, see the module docs).
pub const SHINGLE_WIDTH: usize = 2;

/// Default number of distinct shingle hits for a message to match.
pub const SHINGLE_MIN_HITS: usize = 2;

/// Largest shingle width accepted. The shingles of a text take about `width` times its length, so
/// an unbounded width (a list section's parameter) would turn a 64 KiB message into hundreds of
/// megabytes of shingles.
pub const MAX_SHINGLE_WIDTH: usize = 16;

/// The distinct `width`-word shingles of the strict key of `text`, in order of first occurrence,
/// words joined by one space. A text of fewer than `width` words gives one shingle of all of
/// them; an empty text gives none. `width` 0 is taken as 1.
///
/// Errors: [`Error::InputTooLarge`] above [`super::MAX_TEXT_BYTES`],
/// [`Error::InvalidParameters`] for a `width` above [`MAX_SHINGLE_WIDTH`].
///
/// ```
/// use hashscreen::text::shingles;
/// assert_eq!(shingles("Claim your PRIZE now!", 2)?, ["claim your", "your prize", "prize now"]);
/// assert_eq!(shingles("ｈｉ", 3)?, ["hi"]);
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn shingles(text: &str, width: usize) -> Result<Vec<String>, Error> {
    if width > MAX_SHINGLE_WIDTH {
        return Err(Error::InvalidParameters {
            what: "shingle width above MAX_SHINGLE_WIDTH",
        });
    }
    let width = width.max(1);
    let mut key = String::new();
    strict_key_into(text, &mut key)?;
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out: Vec<String> = Vec::new();
    if words.is_empty() {
        return Ok(out);
    }
    let mut seen = std::collections::HashSet::new();
    if words.len() <= width {
        out.push(words.join(" "));
        return Ok(out);
    }
    for window in words.windows(width) {
        let s = window.join(" ");
        if seen.insert(s.clone()) {
            out.push(s);
        }
    }
    Ok(out)
}

/// Does a message whose shingles hit the filter `hits` times (distinct shingles) match, under the
/// default threshold [`SHINGLE_MIN_HITS`]?
///
/// ```
/// assert!(!hashscreen::text::shingles_match(1));
/// assert!(hashscreen::text::shingles_match(2));
/// ```
pub fn shingles_match(hits: usize) -> bool {
    hits >= SHINGLE_MIN_HITS
}
