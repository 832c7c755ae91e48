//! The crate's error type.

/// Everything that can go wrong in hashscreen. Each variant says what caused it and what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Input was longer than the documented limit; shorten it or split it.
    #[error("input too large: {found} bytes, limit {limit}")]
    InputTooLarge {
        /// the limit in bytes
        limit: usize,
        /// the size found
        found: usize,
    },

    // --- Text and URL canonicalisation (`text`, `url`) ---
    /// Bytes given as text were not valid UTF-8. Keys are defined on Unicode text only (lossy
    /// decoding would let different byte strings share a key). Decode with the sender's declared
    /// encoding first, or screen the bytes as a file digest instead.
    #[error("input is not valid UTF-8 (valid up to byte {valid_up_to})")]
    InvalidUtf8 {
        /// length of the longest valid UTF-8 prefix, in bytes
        valid_up_to: usize,
    },
    /// A string could not be canonicalised as a URL (see [`crate::url::InvalidUrlReason`]). Such a
    /// string is not a web URL to screen: screen it as text if it came from a message.
    #[error("not a URL that can be canonicalised: {reason}")]
    InvalidUrl {
        /// why
        reason: crate::url::InvalidUrlReason,
    },
}
