//! Low-level PDQ internals for matching strategies: the 16x16 DCT coefficients behind a hash and
//! the per-bit confidence.
//!
//! A bit whose coefficient sits close to the median flips under small distortions; probing the
//! Hamming neighbourhood of a hash in order of increasing confidence covers the likely flips
//! first. Nothing here is needed to compute or compare ordinary hashes.

use super::hash::{Dihedral, Pdq};
use super::pdq::{self, Dct16, Pixels};
use crate::Error;

/// The 16x16 DCT block a PDQ hash is thresholded from, with the quality.
#[derive(Clone, Debug, PartialEq)]
pub struct PdqCoefficients {
    /// Row-major coefficients: index `16 * row + column` is the hash's bit index.
    pub coefficients: [f32; 256],
    /// Quality 0..=100, as in [`Pdq::quality`].
    pub quality: u8,
}

impl PdqCoefficients {
    /// The median the bits are thresholded at (the 128th smallest coefficient).
    pub fn median(&self) -> f32 {
        pdq::median(&self.coefficients)
    }

    /// The hash and quality these coefficients give.
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::{hazmat, pdq_from_luma};
    /// let px: Vec<u8> = (0..90 * 70).map(|i| ((i * 7) % 253) as u8).collect();
    /// let c = hazmat::pdq_coefficients_from_luma(&px, 90, 70, 90)?;
    /// assert_eq!(c.pdq(), pdq_from_luma(&px, 90, 70, 90)?);
    /// # Ok::<(), hashscreen::Error>(())
    /// ```
    pub fn pdq(&self) -> Pdq {
        Pdq {
            hash: pdq::bits_from_coefs(&self.coefficients),
            quality: self.quality,
        }
    }

    /// Confidence of each bit: `|coefficient - median|`, indexed like [`PdqHash::bit`](super::PdqHash::bit).
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::hazmat;
    /// let px: Vec<u8> = (0..64 * 64).map(|i| ((i * 13) % 256) as u8).collect();
    /// let c = hazmat::pdq_coefficients_from_luma(&px, 64, 64, 64)?;
    /// let conf = c.bit_confidence();
    /// assert!(conf.iter().all(|v| *v >= 0.0));
    /// # Ok::<(), hashscreen::Error>(())
    /// ```
    pub fn bit_confidence(&self) -> [f32; 256] {
        let m = self.median();
        self.coefficients.map(|c| (c - m).abs())
    }

    /// Bit indices from least to most confident (ties by index): the order in which to flip bits
    /// when probing the neighbourhood of [`Self::pdq`]'s hash.
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::hazmat;
    /// let px: Vec<u8> = (0..64 * 64).map(|i| ((i * 13) % 256) as u8).collect();
    /// let c = hazmat::pdq_coefficients_from_luma(&px, 64, 64, 64)?;
    /// let order = c.bits_by_confidence();
    /// let conf = c.bit_confidence();
    /// assert!(conf[usize::from(order[0])] <= conf[usize::from(order[255])]);
    /// # Ok::<(), hashscreen::Error>(())
    /// ```
    pub fn bits_by_confidence(&self) -> [u8; 256] {
        let conf = self.bit_confidence();
        let mut order: [u8; 256] = std::array::from_fn(|i| i as u8);
        order.sort_by(|&a, &b| {
            conf[usize::from(a)]
                .total_cmp(&conf[usize::from(b)])
                .then(a.cmp(&b))
        });
        order
    }

    /// The coefficients of a rotated or flipped copy of the image (sign flips and transposes of
    /// this block, no new DCT).
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::{hazmat, pdq_dihedral_from_luma, Dihedral};
    /// let px: Vec<u8> = (0..64 * 64).map(|i| ((i * 13) % 256) as u8).collect();
    /// let c = hazmat::pdq_coefficients_from_luma(&px, 64, 64, 64)?;
    /// let all = pdq_dihedral_from_luma(&px, 64, 64, 64)?;
    /// assert_eq!(c.dihedral(Dihedral::FlipY).pdq().hash, all.get(Dihedral::FlipY));
    /// # Ok::<(), hashscreen::Error>(())
    /// ```
    pub fn dihedral(&self, d: Dihedral) -> PdqCoefficients {
        PdqCoefficients {
            coefficients: pdq::dihedral_coefs(&self.coefficients, d),
            quality: self.quality,
        }
    }
}

impl From<Dct16> for PdqCoefficients {
    fn from(d: Dct16) -> Self {
        PdqCoefficients {
            coefficients: d.coefs,
            quality: d.quality,
        }
    }
}

/// The DCT coefficients of an 8-bit greyscale image; arguments as [`super::pdq_from_luma`].
///
/// # Errors
/// As [`super::pdq_from_luma`].
///
/// # Examples
/// ```
/// use hashscreen::image::hazmat;
/// let px = vec![7u8; 40 * 40];
/// let c = hazmat::pdq_coefficients_from_luma(&px, 40, 40, 40)?;
/// assert_eq!(c.quality, 0);
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn pdq_coefficients_from_luma(
    luma: &[u8],
    width: usize,
    height: usize,
    stride: usize,
) -> Result<PdqCoefficients, Error> {
    pdq::dct16(Pixels::Luma8(luma), width, height, stride).map(Into::into)
}

/// The DCT coefficients of an 8-bit RGB image; arguments as [`super::pdq_from_rgb`].
///
/// # Errors
/// As [`super::pdq_from_luma`].
///
/// # Examples
/// ```
/// use hashscreen::image::hazmat;
/// let rgb = vec![200u8; 16 * 16 * 3];
/// let c = hazmat::pdq_coefficients_from_rgb(&rgb, 16, 16, 48)?;
/// assert_eq!(c.coefficients.len(), 256);
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn pdq_coefficients_from_rgb(
    rgb: &[u8],
    width: usize,
    height: usize,
    stride: usize,
) -> Result<PdqCoefficients, Error> {
    pdq::dct16(Pixels::Rgb8(rgb), width, height, stride).map(Into::into)
}

/// The DCT coefficients of a float luma image; arguments as [`super::pdq_from_float_luma`].
///
/// # Errors
/// As [`super::pdq_from_luma`].
///
/// # Examples
/// ```
/// use hashscreen::image::hazmat;
/// let luma = vec![0.5f32; 10 * 10];
/// assert!(hazmat::pdq_coefficients_from_float_luma(&luma, 10, 10, 10).is_ok());
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn pdq_coefficients_from_float_luma(
    luma: &[f32],
    width: usize,
    height: usize,
    stride: usize,
) -> Result<PdqCoefficients, Error> {
    pdq::dct16(Pixels::LumaF32(luma), width, height, stride).map(Into::into)
}
