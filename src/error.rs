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
