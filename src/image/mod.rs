//! Perceptual image hashing: PDQ (256 bits + quality, with all 8 dihedral variants from one DCT)
//! and, behind the `image` feature, decoding of image files plus 64-bit comparison hashes.
//!
//! # Two layers
//! - **Maths on pixels** (always available, no decoder): [`pdq_from_luma`], [`pdq_from_rgb`],
//!   [`pdq_from_float_luma`] and their dihedral forms take decoded pixels with width, height and
//!   stride. Same pixels in, same bits out as Meta's C++ reference.
//! - **Files** (feature `image`): [`pdq_from_bytes`] and friends decode JPEG, PNG, WebP, GIF (first
//!   frame) and BMP under [`DecodeLimits`], apply EXIF orientation, composite alpha on white, and
//!   decode only the resolution the hash needs (JPEGs are decoded at 1/2, 1/4 or 1/8 scale in the
//!   DCT domain when large).
//!
//! # Matching
//! Compare hashes with [`PdqHash::distance`]; the reference uses a threshold of 31 bits. Do not
//! match hashes of quality below [`MIN_MATCH_QUALITY`] ([`Pdq::matchable_hash`]).
//!
//! # Untrusted input
//! File decoding checks the declared size against [`DecodeLimits`] before allocating, bounds the
//! decoders' allocations, and returns a typed [`crate::Error`] for truncated, corrupt or oversized
//! input; it never panics on input. Error messages never contain pixel data.
//!
//! # Examples
//! ```
//! use hashscreen::image::{pdq_from_luma, PdqHash};
//! let px: Vec<u8> = (0..256 * 256).map(|i| ((i % 256) ^ (i / 256)) as u8).collect();
//! let a = pdq_from_luma(&px, 256, 256, 256)?;
//! let b: PdqHash = a.hash.to_hex().parse()?;
//! assert_eq!(a.hash.distance(&b), 0);
//! # Ok::<(), hashscreen::Error>(())
//! ```

#[cfg(feature = "compact-hashes")]
mod compact;
#[cfg(feature = "image")]
mod decode;
#[cfg(feature = "image")]
mod exif;
mod hash;
pub mod hazmat;
// Without `image` only the parameters are used (the Screener validates them); the codes need pixels.
#[cfg_attr(not(feature = "image"), allow(dead_code))]
pub mod near;
mod pdq;

#[cfg(feature = "compact-hashes")]
pub use compact::{dhash64_from_bytes, dhash64_from_image, phash64_from_bytes, phash64_from_image};
#[cfg(feature = "image")]
pub use decode::{
    decode_for_hashing, pdq_dihedral_from_bytes, pdq_dihedral_from_bytes_with_limits,
    pdq_from_bytes, pdq_from_bytes_reference_compatible, pdq_from_bytes_with_limits, DecodeLimits,
    ImageFormat, DEFAULT_MAX_ALLOC_BYTES, DEFAULT_MAX_DIMENSION, DEFAULT_MAX_INPUT_BYTES,
    DEFAULT_MAX_PIXELS, WORKING_MIN_SIDE,
};
pub use hash::{Dihedral, Hash64, Pdq, PdqDihedral, PdqHash, MIN_MATCH_QUALITY};
pub use pdq::{
    pdq_dihedral_from_luma, pdq_dihedral_from_rgb, pdq_from_float_luma, pdq_from_luma,
    pdq_from_rgb, MIN_HASHABLE_DIMENSION,
};
