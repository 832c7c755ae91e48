//! The crate's error type: one `#[non_exhaustive]` enum, each variant with its cause and what to do.

/// Everything that can go wrong in hashscreen.
///
/// Messages never contain content (text, pixels, key bytes): they are safe to log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Input was longer than the documented limit. Shorten it, split it, or raise the limit where the
    /// API has one.
    #[error("input too large: {found} bytes, limit {limit}")]
    InputTooLarge {
        /// The limit in bytes.
        limit: usize,
        /// The size found.
        found: usize,
    },

    // --- keys -------------------------------------------------------------------------------------
    /// A key had the wrong length. Deployment keys and publisher keys are 32 bytes (64 hex digits).
    #[error("invalid key length: expected {expected} bytes, found {found}")]
    InvalidKeyLength {
        /// Expected length in bytes.
        expected: usize,
        /// Length found in bytes.
        found: usize,
    },
    /// A key or hash in hex contained a character that is not a hex digit. Check the file is the key
    /// you meant (a key file holds 64 hex digits on one line).
    #[error("invalid hex at position {position}")]
    InvalidHex {
        /// Offset of the first bad character.
        position: usize,
    },
    /// The operating system's random number generator failed; nothing was generated. Retry, or check
    /// the platform's entropy source (`getrandom`).
    #[error("random number generator unavailable")]
    Rng,
    /// The blocklist was built with another deployment key than the one given. Use the key whose id
    /// the blocklist names (`hashscreen inspect` prints it).
    #[error("key id mismatch: blocklist expects {expected}, key is {found}")]
    KeyMismatch {
        /// Key id recorded in the blocklist (hex).
        expected: String,
        /// Key id of the key given (hex).
        found: String,
    },

    // --- blocklist files --------------------------------------------------------------------------
    /// The bytes do not start with the blocklist magic: not a hashscreen blocklist (or delta).
    #[error("not a hashscreen blocklist (bad magic)")]
    BadMagic,
    /// The file's format version is not one this library reads. Upgrade the library, or ask the
    /// publisher for a list in a version it reads.
    #[error("unsupported blocklist format version: expected {expected}, found {found}")]
    Version {
        /// The version this library reads.
        expected: u16,
        /// The version in the file.
        found: u16,
    },
    /// The file ends before its header says it should: an incomplete download or a cut file.
    /// Fetch it again.
    #[error("blocklist truncated: expected {expected} bytes, found {found}")]
    Truncated {
        /// Length the header declares.
        expected: u64,
        /// Length found.
        found: u64,
    },
    /// A header or section field is invalid (the file was produced by a broken or hostile writer).
    /// Do not use the file; report it to the publisher.
    #[error("malformed blocklist: {what}")]
    Malformed {
        /// Which field or rule was violated (no content).
        what: &'static str,
    },
    /// The checksum does not match the content: the file was corrupted in transit or storage, or
    /// modified. Fetch it again.
    #[error("blocklist checksum mismatch (corrupted or modified file)")]
    Checksum,
    /// A signature was required (a trusted publisher key was given) but the file is not signed.
    #[error("blocklist is not signed but a publisher signature is required")]
    SignatureMissing,
    /// The publisher signature does not verify with the trusted publisher key: the file was modified
    /// after signing or signed by someone else. Do not use it.
    #[error("blocklist signature does not verify")]
    BadSignature,
    /// The list's sequence number is lower than the one the caller already holds: a rollback to an
    /// older list. Keep the list you have.
    #[error("blocklist rollback: sequence {found} is lower than {current} already held")]
    Rollback {
        /// Sequence number the caller holds.
        current: u64,
        /// Sequence number in the file.
        found: u64,
    },
    /// A full list was expected but a delta was given, or the other way round.
    #[error("wrong blocklist file kind: expected {expected}, found {found}")]
    WrongFileKind {
        /// What was expected (`"list"` or `"delta"`).
        expected: &'static str,
        /// What was found.
        found: &'static str,
    },
    /// The delta does not apply to this list (another list, another base sequence or base content).
    /// Fetch the delta for the list you hold, or the full list.
    #[error("delta does not apply: {what}")]
    DeltaMismatch {
        /// Which binding failed: list id, base sequence, base checksum, or section layout.
        what: &'static str,
    },
    /// A delta was requested between lists where the newer one removed entries. Bloom filters only
    /// take additions; ship a full list instead.
    #[error("lists differ by more than additions; ship a full list")]
    NotAdditive,
    /// A label is empty, longer than 64 bytes, or has characters outside `A-Z a-z 0-9 . _ : / -`.
    #[error("invalid label (1-64 bytes of A-Z a-z 0-9 . _ : / -)")]
    InvalidLabel,
    /// A list section uses a canonicalisation version this library does not implement (the list
    /// was built by a newer hashscreen). Upgrade the library.
    #[error("unsupported digest version {found} for signal {signal}")]
    UnsupportedDigestVersion {
        /// The signal kind.
        signal: &'static str,
        /// The version in the list.
        found: u16,
    },
    /// A requested false-positive rate or capacity is outside the supported range.
    #[error("invalid filter parameters: {what}")]
    InvalidParameters {
        /// Which parameter.
        what: &'static str,
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
