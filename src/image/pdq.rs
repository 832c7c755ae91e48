//! PDQ maths on decoded pixels: luma, Jarosz tent filter, 64x64 decimation, 16x16 DCT, bits.
//!
//! Written from Meta's published description of PDQ (`pdqhash-2017-10-09.pdf`) and checked bit for
//! bit against the C++ reference (`tests/image_pdq_conformance.rs`). Every floating-point operation
//! on one value happens in the same order as in the reference, so equal pixels give equal bits; the
//! speed comes from running many independent values side by side (lanes of whole rows or blocks of
//! rows), which the compiler turns into SIMD without changing any single value's arithmetic.

use super::hash::{Dihedral, Pdq, PdqDihedral, PdqHash};
use crate::Error;

/// Images smaller than this in either dimension hash to all zeros with quality 0, as in the
/// reference (there is not enough signal for 64x64 samples).
pub const MIN_HASHABLE_DIMENSION: usize = 5;

/// Side of the decimated image the DCT runs on.
const N64: usize = 64;
/// Side of the kept block of DCT coefficients (frequencies 1..=16 in each direction).
const N16: usize = 16;
/// Number of horizontal + vertical box-filter passes of the Jarosz tent filter.
const JAROSZ_PASSES: usize = 2;

/// Rec. 601 luma coefficients, as `f32` like the reference.
pub(crate) const LUMA_R: f32 = 0.299;
pub(crate) const LUMA_G: f32 = 0.587;
pub(crate) const LUMA_B: f32 = 0.114;

/// Lanes used when filtering along rows: this many rows are filtered side by side.
const LANES: usize = 8;

/// The 16x64 DCT-II matrix (rows: frequencies 1..=16; columns: sample 0..63), and its transpose.
struct DctMatrix {
    /// `d[i][k]`, row-major.
    d: [[f32; N64]; N16],
    /// `t[k][i] = d[i][k]`.
    t: [[f32; N16]; N64],
}

fn dct_matrix() -> &'static DctMatrix {
    static M: std::sync::OnceLock<DctMatrix> = std::sync::OnceLock::new();
    M.get_or_init(|| {
        // Same evaluation as the reference: the scale is rounded to f32 first, the product is
        // evaluated in f64 and rounded to f32.
        let scale = (2.0_f64 / N64 as f64).sqrt() as f32;
        let mut d = [[0.0_f32; N64]; N16];
        let mut t = [[0.0_f32; N16]; N64];
        for (i, row) in d.iter_mut().enumerate() {
            for (k, v) in row.iter_mut().enumerate() {
                let angle =
                    (std::f64::consts::PI / 2.0 / N64 as f64) * (i + 1) as f64 * (2 * k + 1) as f64;
                *v = (f64::from(scale) * angle.cos()) as f32;
                t[k][i] = *v;
            }
        }
        DctMatrix { d, t }
    })
}

/// How the input pixels are laid out, for the shared entry points.
#[derive(Clone, Copy)]
pub(crate) enum Pixels<'a> {
    /// 8-bit luma (greyscale), one byte per pixel.
    Luma8(&'a [u8]),
    /// 8-bit RGB, three interleaved bytes per pixel.
    Rgb8(&'a [u8]),
    /// Luma as `f32`, one value per pixel (0..=255 for the usual scale).
    LumaF32(&'a [f32]),
}

impl Pixels<'_> {
    fn channels(&self) -> usize {
        match self {
            Pixels::Luma8(_) | Pixels::LumaF32(_) => 1,
            Pixels::Rgb8(_) => 3,
        }
    }
    fn len(&self) -> usize {
        match self {
            Pixels::Luma8(p) | Pixels::Rgb8(p) => p.len(),
            Pixels::LumaF32(p) => p.len(),
        }
    }
}

/// Checks the buffer geometry: `stride` counts elements (bytes for 8-bit input) per row.
fn check_geometry(
    px: &Pixels<'_>,
    width: usize,
    height: usize,
    stride: usize,
) -> Result<(), Error> {
    if width == 0 || height == 0 {
        return Err(Error::ImageEmpty {
            width: width as u64,
            height: height as u64,
        });
    }
    let row = width
        .checked_mul(px.channels())
        .ok_or(Error::ImageBufferMismatch {
            expected: usize::MAX,
            found: px.len(),
        })?;
    if stride < row {
        return Err(Error::ImageStrideTooSmall {
            stride,
            minimum: row,
        });
    }
    let needed = (height - 1)
        .checked_mul(stride)
        .and_then(|v| v.checked_add(row))
        .ok_or(Error::ImageBufferMismatch {
            expected: usize::MAX,
            found: px.len(),
        })?;
    if px.len() < needed {
        return Err(Error::ImageBufferMismatch {
            expected: needed,
            found: px.len(),
        });
    }
    Ok(())
}

/// Converts the input to a dense row-major `f32` luma buffer (the reference's float luma).
fn to_float_luma(px: &Pixels<'_>, width: usize, height: usize, stride: usize) -> Vec<f32> {
    let mut out = vec![0.0_f32; width * height];
    for (y, dst) in out.chunks_exact_mut(width).enumerate() {
        let start = y * stride;
        match px {
            Pixels::Luma8(p) => {
                for (d, &s) in dst.iter_mut().zip(&p[start..start + width]) {
                    *d = f32::from(s);
                }
            }
            Pixels::LumaF32(p) => dst.copy_from_slice(&p[start..start + width]),
            Pixels::Rgb8(p) => {
                for (d, s) in dst
                    .iter_mut()
                    .zip(p[start..start + 3 * width].chunks_exact(3))
                {
                    *d = rgb_to_luma(s[0], s[1], s[2]);
                }
            }
        }
    }
    out
}

/// The reference's RGB to luma conversion, evaluated in the same order (`f32`).
#[inline]
pub(crate) fn rgb_to_luma(r: u8, g: u8, b: u8) -> f32 {
    LUMA_R * f32::from(r) + LUMA_G * f32::from(g) + LUMA_B * f32::from(b)
}

/// The result of the maths up to the DCT: 16x16 coefficients and the quality.
pub(crate) struct Dct16 {
    /// Row-major coefficients; row = vertical frequency, column = horizontal frequency.
    pub(crate) coefs: [f32; N16 * N16],
    /// Quality 0..=100.
    pub(crate) quality: u8,
}

/// Runs PDQ up to the 16x16 DCT on any input layout.
pub(crate) fn dct16(
    px: Pixels<'_>,
    width: usize,
    height: usize,
    stride: usize,
) -> Result<Dct16, Error> {
    check_geometry(&px, width, height, stride)?;
    if width < MIN_HASHABLE_DIMENSION || height < MIN_HASHABLE_DIMENSION {
        return Ok(Dct16 {
            coefs: [0.0; N16 * N16],
            quality: 0,
        });
    }
    let luma = to_float_luma(&px, width, height, stride);
    Ok(dct16_from_dense(luma, width, height))
}

/// Runs PDQ up to the DCT on a dense float luma buffer (consumed as scratch space).
pub(crate) fn dct16_from_dense(mut buf1: Vec<f32>, width: usize, height: usize) -> Dct16 {
    let block = downsample_64(&mut buf1, width, height);
    let quality = quality_metric(&block);
    Dct16 {
        coefs: dct64_to_16(&block),
        quality,
    }
}

/// The reference's Jarosz window size for shrinking `old` samples to `new`.
fn jarosz_window(old: usize, new: usize) -> usize {
    (old + 2 * new - 1) / (2 * new)
}

/// Index of the sample that decimation keeps for output `out` of 64.
fn decimation_index(out: usize, len: usize) -> usize {
    (((out as f64 + 0.5) * len as f64) / N64 as f64) as usize
}

/// Tent-filters `buf` (two box passes each way, as the reference) and decimates to 64x64.
/// `buf` is clobbered.
fn downsample_64(buf: &mut [f32], width: usize, height: usize) -> [[f32; N64]; N64] {
    let mut out = [[0.0_f32; N64]; N64];
    if width == N64 && height == N64 {
        for (row, src) in out.iter_mut().zip(buf.chunks_exact(N64)) {
            row.copy_from_slice(src);
        }
        return out;
    }
    let wx = jarosz_window(width, N64);
    let wy = jarosz_window(height, N64);
    let rows_idx: [usize; N64] = std::array::from_fn(|i| decimation_index(i, height));
    let cols_idx: [usize; N64] = std::array::from_fn(|j| decimation_index(j, width));
    let mut tmp = vec![0.0_f32; buf.len()];
    for pass in 0..JAROSZ_PASSES {
        box_along_rows(buf, &mut tmp, width, height, wx);
        if pass + 1 < JAROSZ_PASSES {
            box_along_cols(&tmp, buf, width, height, wy);
        } else {
            // The last vertical pass only matters at the 64 decimated columns.
            let mut lanes = vec![[0.0_f32; N64]; height];
            for (dst, row) in lanes.iter_mut().zip(tmp.chunks_exact(width)) {
                for (d, &c) in dst.iter_mut().zip(&cols_idx) {
                    *d = row[c];
                }
            }
            let mut filtered = vec![[0.0_f32; N64]; height];
            box_1d(&lanes, &mut filtered, wy);
            for (o, &r) in out.iter_mut().zip(&rows_idx) {
                *o = filtered[r];
            }
        }
    }
    out
}

/// Element types the 1-D box filter runs on: a scalar or a lane array, added lane by lane.
trait Lanes: Copy {
    const ZERO: Self;
    fn add(&mut self, o: &Self);
    fn sub(&mut self, o: &Self);
    fn div(&self, n: f32) -> Self;
}

impl<const L: usize> Lanes for [f32; L] {
    const ZERO: Self = [0.0; L];
    #[inline(always)]
    fn add(&mut self, o: &Self) {
        for (a, b) in self.iter_mut().zip(o) {
            *a += *b;
        }
    }
    #[inline(always)]
    fn sub(&mut self, o: &Self) {
        for (a, b) in self.iter_mut().zip(o) {
            *a -= *b;
        }
    }
    #[inline(always)]
    fn div(&self, n: f32) -> Self {
        let mut r = *self;
        for a in r.iter_mut() {
            *a /= n;
        }
        r
    }
}

/// The reference's 1-D box filter (running sum with shrinking windows at the edges), applied to
/// every lane independently. `input.len() == output.len()`, `1 <= window <= len`.
#[inline(always)]
fn box_1d<T: Lanes>(input: &[T], output: &mut [T], window: usize) {
    let len = input.len();
    let half = (window + 2) / 2;
    let phase1 = half - 1;
    let phase2 = window - half + 1;
    let phase3 = len - window;
    let phase4 = half - 1;
    let mut sum = T::ZERO;
    let (mut li, mut ri, mut oi) = (0, 0, 0);
    let mut size = 0_usize;
    for _ in 0..phase1 {
        sum.add(&input[ri]);
        size += 1;
        ri += 1;
    }
    for _ in 0..phase2 {
        sum.add(&input[ri]);
        size += 1;
        output[oi] = sum.div(size as f32);
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase3 {
        sum.add(&input[ri]);
        sum.sub(&input[li]);
        output[oi] = sum.div(size as f32);
        li += 1;
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase4 {
        sum.sub(&input[li]);
        size -= 1;
        output[oi] = sum.div(size as f32);
        li += 1;
        oi += 1;
    }
}

/// Box filter along each row (horizontal), `LANES` rows at a time.
fn box_along_rows(input: &[f32], output: &mut [f32], width: usize, height: usize, window: usize) {
    let mut lanes_in = vec![[0.0_f32; LANES]; width];
    let mut lanes_out = vec![[0.0_f32; LANES]; width];
    let mut y = 0;
    while y < height {
        let n = LANES.min(height - y);
        for t in 0..n {
            let row = &input[(y + t) * width..(y + t + 1) * width];
            for (l, &v) in lanes_in.iter_mut().zip(row) {
                l[t] = v;
            }
        }
        box_1d(&lanes_in, &mut lanes_out, window);
        for t in 0..n {
            let row = &mut output[(y + t) * width..(y + t + 1) * width];
            for (d, l) in row.iter_mut().zip(&lanes_out) {
                *d = l[t];
            }
        }
        y += n;
    }
}

/// Box filter along each column (vertical): whole rows are the lanes.
fn box_along_cols(input: &[f32], output: &mut [f32], width: usize, height: usize, window: usize) {
    let half = (window + 2) / 2;
    let phase1 = half - 1;
    let phase2 = window - half + 1;
    let phase3 = height - window;
    let phase4 = half - 1;
    let mut sum = vec![0.0_f32; width];
    let row = |i: usize| &input[i * width..(i + 1) * width];
    let (mut li, mut ri, mut oi) = (0, 0, 0);
    let mut size = 0_usize;
    for _ in 0..phase1 {
        add_row(&mut sum, row(ri));
        size += 1;
        ri += 1;
    }
    for _ in 0..phase2 {
        add_row(&mut sum, row(ri));
        size += 1;
        div_row(&sum, &mut output[oi * width..(oi + 1) * width], size as f32);
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase3 {
        add_row(&mut sum, row(ri));
        sub_row(&mut sum, row(li));
        div_row(&sum, &mut output[oi * width..(oi + 1) * width], size as f32);
        li += 1;
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase4 {
        sub_row(&mut sum, row(li));
        size -= 1;
        div_row(&sum, &mut output[oi * width..(oi + 1) * width], size as f32);
        li += 1;
        oi += 1;
    }
}

#[inline]
fn add_row(sum: &mut [f32], row: &[f32]) {
    for (s, &v) in sum.iter_mut().zip(row) {
        *s += v;
    }
}
#[inline]
fn sub_row(sum: &mut [f32], row: &[f32]) {
    for (s, &v) in sum.iter_mut().zip(row) {
        *s -= v;
    }
}
#[inline]
fn div_row(sum: &[f32], out: &mut [f32], n: f32) {
    for (o, &s) in out.iter_mut().zip(sum) {
        *o = s / n;
    }
}

/// The reference's image-domain quality: summed absolute gradients of the 64x64 block.
fn quality_metric(block: &[[f32; N64]; N64]) -> u8 {
    let mut sum: i64 = 0;
    let grad = |u: f32, v: f32| -> i64 { (((u - v) * 100.0) / 255.0) as i32 as i64 };
    for i in 0..N64 - 1 {
        for j in 0..N64 {
            sum += grad(block[i][j], block[i + 1][j]).abs();
        }
    }
    for row in block {
        for j in 0..N64 - 1 {
            sum += grad(row[j], row[j + 1]).abs();
        }
    }
    (sum / 90).min(100) as u8
}

/// `B = D A D^T`: the 16x16 low-frequency block of the 64x64 DCT (frequencies 1..=16).
/// Each output is summed over `k = 0..64` in order, like the reference, but 64 (then 16) outputs
/// at a time.
fn dct64_to_16(a: &[[f32; N64]; N64]) -> [f32; N16 * N16] {
    let m = dct_matrix();
    let mut t = [[0.0_f32; N64]; N16];
    for (trow, drow) in t.iter_mut().zip(&m.d) {
        for (&dk, arow) in drow.iter().zip(a) {
            for (tv, &av) in trow.iter_mut().zip(arow) {
                *tv += dk * av;
            }
        }
    }
    let mut b = [0.0_f32; N16 * N16];
    for (brow, trow) in b.chunks_exact_mut(N16).zip(&t) {
        for (&tk, dtrow) in trow.iter().zip(&m.t) {
            for (bv, &dv) in brow.iter_mut().zip(dtrow) {
                *bv += tk * dv;
            }
        }
    }
    b
}

/// The median the reference thresholds at: the 128th smallest of the 256 values.
pub(crate) fn median(coefs: &[f32; N16 * N16]) -> f32 {
    let mut sorted = *coefs;
    sorted.sort_unstable_by(f32::total_cmp);
    sorted[N16 * N16 / 2 - 1]
}

/// Bit `i * 16 + j` is set when coefficient (i, j) is above the median.
pub(crate) fn bits_from_coefs(coefs: &[f32; N16 * N16]) -> PdqHash {
    let m = median(coefs);
    let mut hash = PdqHash::ZERO;
    for (k, &c) in coefs.iter().enumerate() {
        if c > m {
            hash.set_bit(k);
        }
    }
    hash
}

/// The coefficients of a dihedral transform of the image, from the original's coefficients.
///
/// Reversing the sample order along an axis multiplies the DCT coefficient of frequency `f` by
/// `(-1)^f`; frequencies here are `index + 1`, so even indices change sign. Rotations and
/// diagonal flips also transpose the block.
pub(crate) fn dihedral_coefs(a: &[f32; N16 * N16], d: Dihedral) -> [f32; N16 * N16] {
    let mut b = [0.0_f32; N16 * N16];
    for i in 0..N16 {
        for j in 0..N16 {
            let v = a[i * N16 + j];
            let even_i = i % 2 == 0;
            let even_j = j % 2 == 0;
            let (transpose, negate) = match d {
                Dihedral::Original => (false, false),
                Dihedral::Rotate90 => (true, even_j),
                Dihedral::Rotate180 => (false, even_i != even_j),
                Dihedral::Rotate270 => (true, even_i),
                Dihedral::FlipX => (false, even_i),
                Dihedral::FlipY => (false, even_j),
                Dihedral::FlipPlus1 => (true, false),
                Dihedral::FlipMinus1 => (true, even_i != even_j),
            };
            let idx = if transpose { j * N16 + i } else { i * N16 + j };
            b[idx] = if negate { -v } else { v };
        }
    }
    b
}

/// Hash and quality from the DCT block.
pub(crate) fn pdq_from_dct(d: &Dct16) -> Pdq {
    Pdq {
        hash: bits_from_coefs(&d.coefs),
        quality: d.quality,
    }
}

/// All eight dihedral hashes from one DCT block.
pub(crate) fn dihedral_from_dct(d: &Dct16) -> PdqDihedral {
    let hashes = Dihedral::ALL.map(|v| bits_from_coefs(&dihedral_coefs(&d.coefs, v)));
    PdqDihedral {
        hashes,
        quality: d.quality,
    }
}

/// PDQ hash and quality of an 8-bit greyscale image.
///
/// `luma` holds `height` rows of `width` bytes, each row starting `stride` bytes after the previous
/// one (`stride >= width`). The image is hashed at the size given: callers that decode huge images
/// should shrink them first (see the `image` feature's decoding functions).
///
/// # Errors
/// [`Error::ImageEmpty`] for a zero dimension, [`Error::ImageStrideTooSmall`] or
/// [`Error::ImageBufferMismatch`] when the buffer does not hold the described image.
///
/// # Examples
/// ```
/// use hashscreen::image::pdq_from_luma;
/// // A horizontal gradient: plenty of structure, so quality is high.
/// let (w, h) = (128, 96);
/// let pixels: Vec<u8> = (0..w * h).map(|i| ((i % w) * 2) as u8).collect();
/// let pdq = pdq_from_luma(&pixels, w, h, w)?;
/// assert_eq!(pdq.hash.to_hex().len(), 64);
/// assert_eq!(pdq.hash.distance(&pdq.hash), 0);
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn pdq_from_luma(
    luma: &[u8],
    width: usize,
    height: usize,
    stride: usize,
) -> Result<Pdq, Error> {
    dct16(Pixels::Luma8(luma), width, height, stride).map(|d| pdq_from_dct(&d))
}

/// PDQ hash and quality of an 8-bit RGB image (three interleaved bytes per pixel).
///
/// Luma is computed as the reference does (`0.299 R + 0.587 G + 0.114 B` in `f32`), so the same
/// RGB pixels give the same bits as Meta's C++ implementation. `stride` is in bytes
/// (`stride >= 3 * width`). Drop any alpha channel, or composite it, before calling.
///
/// # Errors
/// As [`pdq_from_luma`].
///
/// # Examples
/// ```
/// use hashscreen::image::{pdq_from_rgb, MIN_MATCH_QUALITY};
/// let (w, h) = (64, 64);
/// let mut rgb = vec![0u8; w * h * 3];
/// for (i, px) in rgb.chunks_exact_mut(3).enumerate() {
///     let (x, y) = (i % w, i / w);
///     px.copy_from_slice(&[(x * 4) as u8, (y * 4) as u8, ((x ^ y) * 4) as u8]);
/// }
/// let pdq = pdq_from_rgb(&rgb, w, h, 3 * w)?;
/// assert!(pdq.quality >= MIN_MATCH_QUALITY);
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn pdq_from_rgb(rgb: &[u8], width: usize, height: usize, stride: usize) -> Result<Pdq, Error> {
    dct16(Pixels::Rgb8(rgb), width, height, stride).map(|d| pdq_from_dct(&d))
}

/// PDQ hash and quality of a float luma image (values on the 0..=255 scale).
///
/// This is the entry point closest to the reference's `pdqHash256FromFloatLuma`; `stride` counts
/// `f32` values.
///
/// # Errors
/// As [`pdq_from_luma`].
///
/// # Examples
/// ```
/// use hashscreen::image::pdq_from_float_luma;
/// let luma: Vec<f32> = (0..100 * 100).map(|i| ((i / 100) as f32 * 2.5)).collect();
/// let pdq = pdq_from_float_luma(&luma, 100, 100, 100)?;
/// assert!(pdq.quality > 0);
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn pdq_from_float_luma(
    luma: &[f32],
    width: usize,
    height: usize,
    stride: usize,
) -> Result<Pdq, Error> {
    dct16(Pixels::LumaF32(luma), width, height, stride).map(|d| pdq_from_dct(&d))
}

/// The eight dihedral PDQ hashes (rotations and flips) of an 8-bit greyscale image, from one DCT.
///
/// Arguments and errors as [`pdq_from_luma`]. The hash for [`Dihedral::Rotate90`] is (up to the
/// few bits that decimation rounding moves) the hash of the image rotated by 90 degrees, and so on:
/// matching all eight catches flipped and rotated copies at the cost of one decode.
///
/// # Errors
/// As [`pdq_from_luma`].
///
/// # Examples
/// ```
/// use hashscreen::image::{pdq_dihedral_from_luma, pdq_from_luma, Dihedral};
/// let (w, h) = (80, 80);
/// let px: Vec<u8> = (0..w * h).map(|i| (((i % w) * (i / w)) % 251) as u8).collect();
/// let all = pdq_dihedral_from_luma(&px, w, h, w)?;
/// assert_eq!(all.get(Dihedral::Original), pdq_from_luma(&px, w, h, w)?.hash);
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn pdq_dihedral_from_luma(
    luma: &[u8],
    width: usize,
    height: usize,
    stride: usize,
) -> Result<PdqDihedral, Error> {
    dct16(Pixels::Luma8(luma), width, height, stride).map(|d| dihedral_from_dct(&d))
}

/// The eight dihedral PDQ hashes of an 8-bit RGB image; see [`pdq_dihedral_from_luma`] and
/// [`pdq_from_rgb`].
///
/// # Errors
/// As [`pdq_from_luma`].
///
/// # Examples
/// ```
/// use hashscreen::image::{pdq_dihedral_from_rgb, Dihedral};
/// let rgb = vec![128u8; 32 * 32 * 3];
/// let all = pdq_dihedral_from_rgb(&rgb, 32, 32, 96)?;
/// assert_eq!(all.quality, 0); // a flat image carries no information
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn pdq_dihedral_from_rgb(
    rgb: &[u8],
    width: usize,
    height: usize,
    stride: usize,
) -> Result<PdqDihedral, Error> {
    dct16(Pixels::Rgb8(rgb), width, height, stride).map(|d| dihedral_from_dct(&d))
}
