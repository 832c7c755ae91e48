//! Compact 64-bit comparison hashes through `image_hasher` (feature `image`): a DCT pHash and a
//! gradient dHash.

use super::decode::{decode_for_hashing, DecodeLimits};
use super::hash::Hash64;
use crate::Error;
use image_hasher::{HashAlg, Hasher, HasherConfig};
use std::sync::OnceLock;

fn phasher() -> &'static Hasher {
    static H: OnceLock<Hasher> = OnceLock::new();
    H.get_or_init(|| {
        HasherConfig::new()
            .hash_size(8, 8)
            .hash_alg(HashAlg::Median)
            .preproc_dct()
            .to_hasher()
    })
}

fn dhasher() -> &'static Hasher {
    static H: OnceLock<Hasher> = OnceLock::new();
    H.get_or_init(|| {
        HasherConfig::new()
            .hash_size(8, 8)
            .hash_alg(HashAlg::Gradient)
            .to_hasher()
    })
}

fn to_u64(bytes: &[u8]) -> Hash64 {
    let mut b = [0u8; 8];
    for (d, s) in b.iter_mut().zip(bytes) {
        *d = *s;
    }
    Hash64(u64::from_be_bytes(b))
}

/// 64-bit DCT perceptual hash (pHash) of a decoded image: `image_hasher` with an 8x8 hash, DCT
/// preprocessing and the median threshold.
///
/// # Examples
/// ```
/// use hashscreen::image::phash64_from_image;
/// let img = image::DynamicImage::ImageLuma8(image::GrayImage::from_fn(64, 64, |x, y| {
///     image::Luma([((x * y) % 256) as u8])
/// }));
/// let h = phash64_from_image(&img);
/// assert_eq!(h.distance(&phash64_from_image(&img)), 0);
/// ```
pub fn phash64_from_image(img: &image::DynamicImage) -> Hash64 {
    to_u64(phasher().hash_image(img).as_bytes())
}

/// 64-bit gradient hash (dHash) of a decoded image: `image_hasher`'s `Gradient` algorithm, 8x8.
///
/// # Examples
/// ```
/// use hashscreen::image::dhash64_from_image;
/// let img = image::DynamicImage::ImageLuma8(image::GrayImage::from_fn(64, 64, |x, _| {
///     image::Luma([(x * 4) as u8])
/// }));
/// assert_eq!(dhash64_from_image(&img).to_hex().len(), 16);
/// ```
pub fn dhash64_from_image(img: &image::DynamicImage) -> Hash64 {
    to_u64(dhasher().hash_image(img).as_bytes())
}

/// 64-bit pHash of an image file, decoded as [`super::decode_for_hashing`] does (orientation,
/// alpha over white, reduced working size, default limits).
///
/// # Errors
/// As [`super::pdq_from_bytes`].
///
/// # Examples
/// ```
/// use hashscreen::image::phash64_from_bytes;
/// assert!(phash64_from_bytes(b"BM").is_err());
/// ```
pub fn phash64_from_bytes(bytes: &[u8]) -> Result<Hash64, Error> {
    let grey = decode_for_hashing(bytes, &DecodeLimits::default())?;
    Ok(phash64_from_image(&image::DynamicImage::ImageLuma8(grey)))
}

/// 64-bit dHash of an image file, decoded as [`super::decode_for_hashing`] does.
///
/// # Errors
/// As [`super::pdq_from_bytes`].
///
/// # Examples
/// ```
/// use hashscreen::image::dhash64_from_bytes;
/// let img = image::RgbImage::from_fn(48, 32, |x, y| image::Rgb([(x * 5) as u8, (y * 7) as u8, 0]));
/// let mut png = Vec::new();
/// img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
/// let h = dhash64_from_bytes(&png)?;
/// assert_eq!(h, dhash64_from_bytes(&png)?);
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn dhash64_from_bytes(bytes: &[u8]) -> Result<Hash64, Error> {
    let grey = decode_for_hashing(bytes, &DecodeLimits::default())?;
    Ok(dhash64_from_image(&image::DynamicImage::ImageLuma8(grey)))
}
