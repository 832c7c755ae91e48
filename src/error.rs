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

    // ---- image module (`crate::image`) -------------------------------------------------------
    /// An image has zero width or height (declared in its header or passed to a hash function).
    /// Nothing to hash: reject the item.
    #[error("image is empty: {width}x{height}")]
    ImageEmpty {
        /// width in pixels
        width: u64,
        /// height in pixels
        height: u64,
    },
    /// A pixel buffer is shorter than its width, height and stride say. Fix the caller: pass the
    /// buffer's real geometry.
    #[error("pixel buffer too short: need {expected} elements, found {found}")]
    ImageBufferMismatch {
        /// elements the geometry needs
        expected: usize,
        /// elements in the buffer
        found: usize,
    },
    /// A row stride is smaller than one row of pixels. Fix the caller: the stride counts elements
    /// (bytes for 8-bit input) from one row start to the next.
    #[error("row stride {stride} is smaller than a row ({minimum})")]
    ImageStrideTooSmall {
        /// the stride given
        stride: usize,
        /// one row's length in elements
        minimum: usize,
    },
    /// The declared image size exceeds the decode limits (a decompression bomb, or simply too
    /// big). Reject the item, or raise the limits in `image::DecodeLimits` if it is legitimate.
    #[error("image too large: {width}x{height}, limit {limit}")]
    ImageTooLarge {
        /// declared width in pixels (0 if the decoder refused before reporting it)
        width: u64,
        /// declared height in pixels (0 if the decoder refused before reporting it)
        height: u64,
        /// the limit that was exceeded (pixels, or the maximum side for side limits)
        limit: u64,
    },
    /// Decoding would need more memory than the decode limits allow. Reject the item, or raise
    /// `image::DecodeLimits::max_alloc_bytes`.
    #[error("image decoding needs more than {limit} bytes of memory")]
    ImageMemoryLimit {
        /// the limit in bytes
        limit: u64,
    },
    /// The encoded input is larger than `image::DecodeLimits::max_input_bytes`. Reject it.
    #[error("encoded image of {found} bytes exceeds the limit of {limit}")]
    ImageInputTooLarge {
        /// the limit in bytes
        limit: usize,
        /// the input's size in bytes
        found: usize,
    },
    /// The bytes are not a JPEG, PNG, WebP, GIF or BMP file (judged by their signature). Hash them
    /// as a file (exact digest) instead.
    #[error("unsupported or unrecognised image format")]
    UnsupportedImageFormat,
    /// The file looks like a supported format but is truncated or corrupt (the reason comes from
    /// the decoder and never contains pixel data). Reject the item.
    #[error("cannot decode {format} image: {reason}")]
    ImageDecode {
        /// the detected format
        format: &'static str,
        /// the decoder's explanation
        reason: String,
    },
    /// The image's PDQ quality is below `image::MIN_MATCH_QUALITY`: too flat to match reliably.
    /// Do not match it (treat as "no perceptual signal"); the exact-file digest still applies.
    #[error("image PDQ quality {quality} is below the minimum {minimum}")]
    ImageLowQuality {
        /// the hash's quality
        quality: u8,
        /// the minimum for matching
        minimum: u8,
    },
    /// A perceptual-hash hex string has the wrong length or a non-hex character.
    #[error("invalid image hash hex: expected {expected_len} hex digits")]
    InvalidImageHashHex {
        /// the number of hex digits expected
        expected_len: usize,
    },
}

impl Error {
    /// Every code [`Error::code`] returns, one per variant, in declaration order.
    pub const CODES: &'static [&'static str] = &[
        "input_too_large",
        "invalid_key_length",
        "invalid_hex",
        "rng",
        "key_mismatch",
        "bad_magic",
        "version",
        "truncated",
        "malformed",
        "checksum",
        "signature_missing",
        "bad_signature",
        "rollback",
        "wrong_file_kind",
        "delta_mismatch",
        "not_additive",
        "invalid_label",
        "unsupported_digest_version",
        "invalid_parameters",
        "invalid_utf8",
        "invalid_url",
        "image_empty",
        "image_buffer_mismatch",
        "image_stride_too_small",
        "image_too_large",
        "image_memory_limit",
        "image_input_too_large",
        "unsupported_image_format",
        "image_decode",
        "image_low_quality",
        "invalid_image_hash_hex",
    ];

    /// A stable snake_case code naming the variant, shared by every binding (the WebAssembly
    /// package throws it upper-cased, the C API has one `hs_status` per code, UniFFI one exception
    /// per code). Codes are never renamed or reused; new variants get new codes.
    ///
    /// ```
    /// use hashscreen::{Error, Key};
    /// let err = Key::from_hex("not hex").unwrap_err();
    /// assert_eq!(err.code(), "invalid_key_length");
    /// assert!(Error::CODES.contains(&err.code()));
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::InputTooLarge { .. } => "input_too_large",
            Error::InvalidKeyLength { .. } => "invalid_key_length",
            Error::InvalidHex { .. } => "invalid_hex",
            Error::Rng => "rng",
            Error::KeyMismatch { .. } => "key_mismatch",
            Error::BadMagic => "bad_magic",
            Error::Version { .. } => "version",
            Error::Truncated { .. } => "truncated",
            Error::Malformed { .. } => "malformed",
            Error::Checksum => "checksum",
            Error::SignatureMissing => "signature_missing",
            Error::BadSignature => "bad_signature",
            Error::Rollback { .. } => "rollback",
            Error::WrongFileKind { .. } => "wrong_file_kind",
            Error::DeltaMismatch { .. } => "delta_mismatch",
            Error::NotAdditive => "not_additive",
            Error::InvalidLabel => "invalid_label",
            Error::UnsupportedDigestVersion { .. } => "unsupported_digest_version",
            Error::InvalidParameters { .. } => "invalid_parameters",
            Error::InvalidUtf8 { .. } => "invalid_utf8",
            Error::InvalidUrl { .. } => "invalid_url",
            Error::ImageEmpty { .. } => "image_empty",
            Error::ImageBufferMismatch { .. } => "image_buffer_mismatch",
            Error::ImageStrideTooSmall { .. } => "image_stride_too_small",
            Error::ImageTooLarge { .. } => "image_too_large",
            Error::ImageMemoryLimit { .. } => "image_memory_limit",
            Error::ImageInputTooLarge { .. } => "image_input_too_large",
            Error::UnsupportedImageFormat => "unsupported_image_format",
            Error::ImageDecode { .. } => "image_decode",
            Error::ImageLowQuality { .. } => "image_low_quality",
            Error::InvalidImageHashHex { .. } => "invalid_image_hash_hex",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Error;

    /// One value of every variant, in declaration order (the match in `code` is exhaustive, so a
    /// new variant fails to compile there; this list must then grow too).
    fn one_of_each() -> Vec<Error> {
        vec![
            Error::InputTooLarge { limit: 1, found: 2 },
            Error::InvalidKeyLength {
                expected: 32,
                found: 1,
            },
            Error::InvalidHex { position: 0 },
            Error::Rng,
            Error::KeyMismatch {
                expected: String::new(),
                found: String::new(),
            },
            Error::BadMagic,
            Error::Version {
                expected: 1,
                found: 2,
            },
            Error::Truncated {
                expected: 1,
                found: 0,
            },
            Error::Malformed { what: "x" },
            Error::Checksum,
            Error::SignatureMissing,
            Error::BadSignature,
            Error::Rollback {
                current: 2,
                found: 1,
            },
            Error::WrongFileKind {
                expected: "list",
                found: "delta",
            },
            Error::DeltaMismatch { what: "x" },
            Error::NotAdditive,
            Error::InvalidLabel,
            Error::UnsupportedDigestVersion {
                signal: "text",
                found: 9,
            },
            Error::InvalidParameters { what: "x" },
            Error::InvalidUtf8 { valid_up_to: 0 },
            Error::InvalidUrl {
                reason: crate::url::InvalidUrlReason::MissingHost,
            },
            Error::ImageEmpty {
                width: 0,
                height: 0,
            },
            Error::ImageBufferMismatch {
                expected: 1,
                found: 0,
            },
            Error::ImageStrideTooSmall {
                stride: 0,
                minimum: 1,
            },
            Error::ImageTooLarge {
                width: 1,
                height: 1,
                limit: 0,
            },
            Error::ImageMemoryLimit { limit: 0 },
            Error::ImageInputTooLarge { limit: 0, found: 1 },
            Error::UnsupportedImageFormat,
            Error::ImageDecode {
                format: "png",
                reason: String::new(),
            },
            Error::ImageLowQuality {
                quality: 0,
                minimum: 50,
            },
            Error::InvalidImageHashHex { expected_len: 64 },
        ]
    }

    #[test]
    fn codes_are_distinct_snake_case_and_listed_in_order() {
        let codes: Vec<&str> = one_of_each().iter().map(Error::code).collect();
        assert_eq!(codes, Error::CODES);
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), codes.len(), "duplicate code");
        for c in codes {
            assert!(
                c.starts_with(|ch: char| ch.is_ascii_lowercase())
                    && c.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{c}"
            );
        }
    }
}
