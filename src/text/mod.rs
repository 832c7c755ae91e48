//! Text canonicalisation: the keys that keyed digests of text are computed from.
//!
//! A message is screened through three text signals, each a versioned function of the text:
//! - the **strict key** ([`strict_key`]): undoes typographic and Unicode evasion while keeping
//!   every distinction a reader makes (word boundaries, doubled letters, digits that carry
//!   meaning, real diacritics, whole words of another script), with two evidence forms for
//!   stretched and spaced-out letters (below);
//! - the **loose key** ([`loose_key`]): additionally ignores word boundaries, collapses repeated
//!   letters and similar-looking letters, and always folds look-alikes. It catches more evasion and
//!   collides more often: list an item under it only where that trade is wanted;
//! - **word shingles** ([`shingles`]) of the strict key, for near-duplicate templates.
//!
//! The digest input is `version tag || key bytes`, with the version constants below as the tag:
//! any change of a key's output, including a bump of a pinned Unicode crate, is a new version.
//!
//! # Examples
//! ```
//! use hashscreen::text;
//! let listed = text::strict_key("Claim your prize now")?;
//! assert_eq!(listed, "claim your prize now");
//! for evasive in ["ｃｌａｉｍ　ｙｏｕｒ　ｐｒｉｚｅ　ｎｏｗ", "c1@!m y0ur pr!z3 n0w", "c-l-a-i-m y-o-u-r p-r-i-z-e n-o-w",
//!                 "\u{202E}won ezirp ruoy mialc\u{202C}", "сӏаіm уоur рrіzе nоԝ"] {
//!     assert_eq!(text::strict_key(evasive)?, listed);
//! }
//! // Amounts, codes and real words of other scripts stay distinct.
//! assert_ne!(text::strict_key("send $500")?, text::strict_key("send $900")?);
//! assert_ne!(text::strict_key("сор")?, text::strict_key("cop")?);
//! # Ok::<(), hashscreen::Error>(())
//! ```
//!
//! # The strict key, step by step
//! 1. **Length cap.** Input above [`MAX_TEXT_BYTES`] is refused with
//!    [`Error::InputTooLarge`]; bytes enter through [`from_utf8`], which refuses invalid UTF-8
//!    with [`Error::InvalidUtf8`] (lossy decoding would make distinct byte strings share a key).
//! 2. **Bidirectional overrides** (UAX #9): text inside LRO/RLO is put in display order, so that a
//!    phrase hidden behind U+202E reads as shown; then all explicit directional characters are
//!    removed. Details and limits in the `bidi` module docs; cost O(n x 126) at worst.
//! 3. **Compatibility decomposition, NFKD** (UAX #15) character by character: full-width,
//!    mathematical, circled, squared, superscript letters and ligatures become plain letters.
//!    Each output word is recomposed (NFC) where something in it composes, so the key is in NFKC
//!    (tested on every code point); characters of other scripts that NFKC keeps as they are skip
//!    the round trip.
//! 4. **Default ignorables** (UAX #44 `Default_Ignorable_Code_Point`) are removed: zero-width
//!    spaces and joiners, soft hyphens, bidi marks, variation selectors, the Mongolian vowel
//!    separator, tags.
//! 5. **Letters without a decomposition** that only style Latin text: Latin small capitals
//!    (`ᴄʟᴀɪᴍ`), negative circled/squared capitals and regional indicators (`🆂`, `🇺`) become
//!    `a`-`z`; squared words (`🆓`) become the word of their Unicode name.
//! 6. **Case**: Unicode lowercase mapping (`char::to_lowercase`, the Unicode version of the Rust
//!    toolchain) plus final sigma to sigma; that is simple case folding (CaseFolding.txt status C
//!    and S) except for a few Cherokee letters. Full folding (status F) is deliberately **not**
//!    applied: it would merge `maße` and `masse`.
//! 7. **Whitespace** (White_Space and controls) separates tokens; runs count only to group
//!    spaced-out letters.
//! 8. **Spaced-out letters**: three or more consecutive tokens of one letter or digit each
//!    (`f r e e`) are joined; two or more spaces (or a symbol) between them mark word boundaries
//!    (`Y O U  H 4 V E` -> `you have`). Letters spaced out with single spaces lose their word
//!    boundaries (`s e n d g i f t` -> `sendgift`); only a lexicon could restore them in the key
//!    itself, so such text meets `send gift` through the joined evidence form (below).
//! 9. **Confusables** (UTS #39 confusables.txt, via a pinned table generated from
//!    `unicode-security`'s skeleton data, plus five additions listed in `tables.rs`): Greek,
//!    Cyrillic, Armenian, Cherokee and Lisu letters and letterlike symbols that look like one Latin
//!    letter are folded to it, **only where the text shows evasion**: in a word that mixes Latin
//!    letters with look-alikes (`frее`), and, when the message has such a word, in words made only
//!    of look-alikes (`сһеар`). Whole words in another script are left alone (`сор` is a Russian
//!    word, not `cop`). The TR39 skeleton is never applied to ASCII (`rn` stays `rn`: `modern` is
//!    not `modem`).
//! 10. **Leetspeak** inside words that contain a Latin letter: `0 2 3 4 5 7 8 9 @ $ +` read as
//!     `o z e a s t b g a s t`, `!` as `i` before a letter, `1` as `l` in an initial cluster before
//!     a vowel or before a final `d` after a vowel (`c1aim`, `ho1d`), else `i`. A word is only
//!     read as leet when the reading contains a vowel (`fr33` -> `free`, `x7k9` stays `x7k9`),
//!     and ordinals (`21st`), numbers with punctuation (`10:30am`, `1.5kg`) and e-mail addresses
//!     stay. Tokens without letters stay as written (`100`, `$500`), except
//!     a token of one or two leet characters next to a leet word (`y0ur p4ck4g3 15 0n h0ld`). The
//!     digit map is one-to-one, so numbers that differ still differ.
//! 11. **Punctuation and symbols** split words (`free...bitcoin` -> `free bitcoin`); letters
//!     separated one by one are joined (`f.r.e.e`, `c-l-a-i-m`, `y🚀o🚀u`); apostrophes inside
//!     words vanish (`don't` -> `dont`); currency signs and `%` next to digits, and `.` `,` `:`
//!     between digits, stay (`$5.00` is not `$500`, `10:30` is not `10 30`).
//! 12. **Combining marks** on non-letters are removed. On Latin, Greek and Cyrillic letters they
//!     are removed when the message shows diacritic evasion: a base with three or more marks
//!     (Zalgo), an enclosing mark, or marks on at least 40 % of at least 8 letters and digits
//!     (`döüblé ýöür çrýptö`); and in any word that needed steps 8-11. Otherwise they stay:
//!     `peña` is not `pena`. Marks on other scripts always stay.
//! 13. **Output**: words joined by one space.
//!
//! # The loose key
//! The same steps, with look-alikes folded and Latin/Greek/Cyrillic marks removed everywhere,
//! `l` read as `i` before the leet step (so `h01d` and `hold` meet), letterless leet tokens read
//! as letters whenever some word is leet, then: word boundaries dropped, `rn` read as `m`, `vv` as
//! `w`, and runs of one letter collapsed to one (`freeeeee` -> `fre`). By design it merges
//! `boot`/`bot`, `therapist`/`the rapist`, `mail`/`mall`, `modern`/`modem`, `peña`/`pena` and
//! `сор`/`cop`.
//!
//! # Evidence forms
//! Two evasions cannot be undone by a key computed from the text alone without merging real
//! words: `freeeeee diiiiscoord` must meet `free discord` while `boot` must not meet `bot`, and
//! `s e n d g i f t` must meet `send gift` while `therapist` must not meet `the rapist`. The
//! strict signal therefore lists, next to each key, two **evidence forms** ([`StrictForm`]):
//! - the **runs form**, every run of one letter collapsed (`free discord` -> `fre discord`),
//!   probed only for a message whose key has [`RUN_EVIDENCE`] (3) or more of one letter in a row;
//! - the **joined form**, word boundaries dropped, probed only for a message in which letters
//!   spaced out one by one were joined (step 8).
//!
//! Each form has its own tag in the digest input, so `bot camp` (no evidence) is probed under its
//! key only and never meets the runs form of a listed `boot camp`, while `booooot camp` does.
//! Digits are never collapsed: `paaaay 50000` is not `pay 5000`. The price: a listed text costs
//! three entries instead of one, and a message with evidence costs one more probe. On 229,288
//! ordinary messages (`tests/text_shingles.rs`, `evidence_form_measurement`) 1.4 % open the runs
//! form and 0.03 % the joined form, and no form of one message equals the form of another message
//! with a different key.
//!
//! # What each key catches (`tests/text_evasion.rs`)
//! Screened through a blocklist, as a client does: on the 124 evasive variants of the project's
//! vectors, the strict key with its evidence forms matches all 124 and keeps all 26 negative pairs
//! apart (the key alone matches 117: the 7 others are the two evasions above). The loose key
//! matches all 124 too, and merges 13 of the negative pairs by design.
//!
//! # Stability
//! Keys are idempotent on text of letters, marks, spaces and invisible characters (property
//! test). With digits, leet symbols or punctuation a second pass may differ, because leet and
//! spaced-letter decisions look at whole whitespace tokens (`10:30am` stays because of `10:30`;
//! the key splits it into words that a second pass judges alone). Keys are never recomputed from
//! keys, so this does not affect matching.
//!
//! # Speed
//! An ASCII fast path (no decomposition; plain lowercase words copied as they are), character
//! classes computed once per character, NFC per word and only where something composes, and
//! reusable per-thread buffers ([`strict_key_into`] does not allocate in steady state).
//! `benches/text.rs` (criterion) compares with NFKC alone, NFKC + lowercase, `decancer` and the
//! UTS #39 skeleton on chat-sized messages; `tests/text_speed.rs` (ignored) times the same work
//! by CPU time, for machines shared with other jobs. Measured by CPU time on a 2-core EPYC VM
//! (strict key + keyed BLAKE3 digest, MB/s): plain ASCII chat ~105-120, multilingual ~45-50,
//! evasive ~55-78; NFKC alone 60-88 on the same batches.
//!
//! # Pinned Unicode data
//! The normalisation data (NFKD/NFC, Unicode 16.0) is the workspace crate `hashscreen-unicode`,
//! generated from `unicode-normalization` 0.1.24 and tested against it on every code point;
//! `idna`/`idna_adapter` are pinned with `=x.y.z`, the confusables table is checked in (generated from `unicode-security` 0.1.3), and
//! lowercase mapping comes from the Rust toolchain. Bumping any of them can change keys: a bump
//! ships with new key version numbers, and `tests/text_vectors.rs` pins expected keys so that a
//! silent change fails the build.
//!
//! # Untrusted input
//! Every step is a single pass or a bounded number of passes over the text (the bidi step is at
//! most 126 passes over the text that contains overrides); there is no regex and no backtracking.
//! Input is capped at [`MAX_TEXT_BYTES`]; pathological text (thousands of combining marks, deeply
//! nested overrides, megabytes of spaces up to the cap) costs time linear in its length.

mod bidi;
mod canon;
mod shingle;
mod tables;

use crate::Error;
use canon::{key_into, Mode, Scratch};
use core::cell::RefCell;

pub use crate::url::find_urls;
pub use shingle::{
    shingles, shingles_match, MAX_SHINGLE_WIDTH, SHINGLE_MIN_HITS, SHINGLE_VERSION, SHINGLE_WIDTH,
};
pub(crate) use tables::is_default_ignorable;

/// Version tag of the strict key: the first two bytes (little-endian) of its digest input.
pub const STRICT_KEY_VERSION: u16 = 1;

/// Version tag of the loose key.
pub const LOOSE_KEY_VERSION: u16 = 1;

/// Largest text accepted, in bytes of UTF-8 (64 KiB: far above chat messages, small enough that
/// a key costs well under a millisecond).
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

fn check_len(text: &str) -> Result<(), Error> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(Error::InputTooLarge {
            limit: MAX_TEXT_BYTES,
            found: text.len(),
        });
    }
    Ok(())
}

/// Computes a key; returns whether spaced-out letters were joined.
fn keyed(text: &str, mode: Mode, out: &mut String) -> Result<bool, Error> {
    check_len(text)?;
    Ok(SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => key_into(text, mode, &mut scratch, out),
        // Only reachable through re-entrancy, which this module does not do; stay correct anyway.
        Err(_) => key_into(text, mode, &mut Scratch::default(), out),
    }))
}

/// Check that `bytes` are UTF-8 and within [`MAX_TEXT_BYTES`], and view them as text.
///
/// This is the entry point for bytes from the network: invalid UTF-8 is an error, never decoded
/// lossily.
///
/// ```
/// use hashscreen::{text, Error};
/// assert_eq!(text::from_utf8(b"free nitro")?, "free nitro");
/// assert!(matches!(text::from_utf8(b"fr\xffee"), Err(Error::InvalidUtf8 { valid_up_to: 2 })));
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn from_utf8(bytes: &[u8]) -> Result<&str, Error> {
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(Error::InputTooLarge {
            limit: MAX_TEXT_BYTES,
            found: bytes.len(),
        });
    }
    core::str::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
        valid_up_to: e.valid_up_to(),
    })
}

/// The strict key of `text` (version [`STRICT_KEY_VERSION`]); see the module docs for each step.
///
/// Errors: [`Error::InputTooLarge`] above [`MAX_TEXT_BYTES`].
///
/// ```
/// use hashscreen::text::strict_key;
/// assert_eq!(strict_key("FREE   discord...nitro!!!")?, "free discord nitro");
/// assert_eq!(strict_key("𝐟𝐫𝐞𝐞 ⓓⓘⓢⓒⓞⓡⓓ fr33")?, "free discord free");
/// assert_ne!(strict_key("boot camp")?, strict_key("bot camp")?);
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn strict_key(text: &str) -> Result<String, Error> {
    let mut out = String::with_capacity(text.len());
    keyed(text, Mode::Strict, &mut out)?;
    Ok(out)
}

/// [`strict_key`] into a reusable buffer (cleared first), without allocating once the buffer
/// and this thread's internal scratch space have grown to the message size.
///
/// ```
/// let mut key = String::new();
/// for message in ["Hi there", "ｆｒｅｅ　ｎｉｔｒｏ"] {
///     hashscreen::text::strict_key_into(message, &mut key)?;
/// }
/// assert_eq!(key, "free nitro");
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn strict_key_into(text: &str, out: &mut String) -> Result<(), Error> {
    keyed(text, Mode::Strict, out).map(|_| ())
}

/// Evidence, in a message, of the two evasions that the strict key alone cannot undo (see
/// "Evidence forms" in the module docs).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Evidence {
    /// The key has a run of [`RUN_EVIDENCE`] or more of one letter (`freeeee`).
    pub repeated_letters: bool,
    /// Letters spaced out one by one were joined into a word (`s e n d g i f t`).
    pub spaced_letters: bool,
}

/// A run of this many of one letter is evidence of repeated-letter evasion: no word of the
/// languages the key serves repeats a letter three times, while stretched words do (`sooo`).
pub const RUN_EVIDENCE: usize = 3;

/// An evidence form of the strict key: a second digest of a message, probed only when the
/// message shows the evasion it undoes, and listed for every strict-key item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StrictForm {
    /// Every run of one letter collapsed to one letter (`freeeeee diiiiscoord` and
    /// `free discord` both give `fre discord`). Digits are kept: `$5000` is not `$50`.
    Runs,
    /// Word boundaries dropped (`sendgiftcardcodes` and `send gift card codes` meet).
    Joined,
}

impl StrictForm {
    /// Every form, in the order they are listed.
    pub const ALL: [StrictForm; 2] = [StrictForm::Runs, StrictForm::Joined];

    /// The byte that starts this form's digest input (after the version tag). A strict key never
    /// starts with a control character, so forms and keys are separate digest domains.
    pub const fn tag(self) -> u8 {
        match self {
            StrictForm::Runs => 0x01,
            StrictForm::Joined => 0x02,
        }
    }

    /// Whether a message with `evidence` is probed under this form.
    pub const fn applies(self, evidence: Evidence) -> bool {
        match self {
            StrictForm::Runs => evidence.repeated_letters,
            StrictForm::Joined => evidence.spaced_letters,
        }
    }

    /// This form of a strict `key`, into `out` (cleared first), without the tag.
    ///
    /// ```
    /// use hashscreen::text::{strict_key, StrictForm};
    /// let mut form = String::new();
    /// StrictForm::Runs.apply(&strict_key("yyyyoouuuu haaveeee woon 5000")?, &mut form);
    /// assert_eq!(form, "you have won 5000");
    /// StrictForm::Joined.apply(&strict_key("send gift card codes")?, &mut form);
    /// assert_eq!(form, "sendgiftcardcodes");
    /// # Ok::<(), hashscreen::Error>(())
    /// ```
    pub fn apply(self, key: &str, out: &mut String) {
        out.clear();
        match self {
            StrictForm::Runs => {
                let mut prev = None;
                for c in key.chars() {
                    if !(c.is_alphabetic() && prev == Some(c)) {
                        out.push(c);
                    }
                    prev = Some(c);
                }
            }
            StrictForm::Joined => out.extend(key.chars().filter(|&c| c != ' ')),
        }
    }
}

/// The digest input (after the version tag) of `form` of the strict `key`: the form's tag, then
/// the form. `scratch` is a reusable buffer.
pub(crate) fn form_input(form: StrictForm, key: &str, scratch: &mut String, input: &mut Vec<u8>) {
    form.apply(key, scratch);
    input.clear();
    input.push(form.tag());
    input.extend_from_slice(scratch.as_bytes());
}

/// [`strict_key_into`], also returning the [`Evidence`] the message shows.
///
/// ```
/// use hashscreen::text::strict_key_evidence;
/// let mut key = String::new();
/// let e = strict_key_evidence("freeeeee diiiiscoord", &mut key)?;
/// assert!(e.repeated_letters && !e.spaced_letters);
/// let e = strict_key_evidence("s e n d g i f t", &mut key)?;
/// assert!(e.spaced_letters && key == "sendgift");
/// assert_eq!(strict_key_evidence("boot camp", &mut key)?, Default::default());
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn strict_key_evidence(text: &str, out: &mut String) -> Result<Evidence, Error> {
    let spaced_letters = keyed(text, Mode::Strict, out)?;
    Ok(Evidence {
        repeated_letters: has_letter_run(out, RUN_EVIDENCE),
        spaced_letters,
    })
}

/// Whether `key` has `n` or more of one letter in a row.
fn has_letter_run(key: &str, n: usize) -> bool {
    let mut prev = None;
    let mut run = 0;
    for c in key.chars() {
        run = if prev == Some(c) { run + 1 } else { 1 };
        prev = Some(c);
        if run >= n && c.is_alphabetic() {
            return true;
        }
    }
    false
}

/// The loose key of `text` (version [`LOOSE_KEY_VERSION`]): the strict steps, look-alikes always
/// folded, then no word boundaries, similar letters merged and repeated letters collapsed.
///
/// Errors: [`Error::InputTooLarge`] above [`MAX_TEXT_BYTES`].
///
/// ```
/// use hashscreen::text::loose_key;
/// assert_eq!(loose_key("freeeeee diiiiscoord niiiitroo")?, loose_key("free discord nitro")?);
/// assert_eq!(loose_key("s e n d g i f t c a r d s")?, loose_key("send gift cards")?);
/// assert_ne!(loose_key("pay $50 now")?, loose_key("pay $500 now")?);
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn loose_key(text: &str) -> Result<String, Error> {
    let mut out = String::with_capacity(text.len());
    keyed(text, Mode::Loose, &mut out)?;
    Ok(out)
}

/// [`loose_key`] into a reusable buffer (cleared first).
///
/// ```
/// let mut key = String::new();
/// hashscreen::text::loose_key_into("Fr33 N1TR0!!", &mut key)?;
/// assert_eq!(key, "frenitro");
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn loose_key_into(text: &str, out: &mut String) -> Result<(), Error> {
    keyed(text, Mode::Loose, out).map(|_| ())
}
