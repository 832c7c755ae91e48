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
    let block = downsample_64(&px, width, height, stride);
    let quality = quality_metric(&block);
    Ok(Dct16 {
        coefs: dct64_to_16(&block),
        quality,
    })
}

/// Reads row `y`, columns `x0..x0 + out.len()`, of the input as float luma.
#[inline(always)]
fn read_row(px: &Pixels<'_>, stride: usize, y: usize, x0: usize, out: &mut [f32]) {
    let start = y * stride + x0;
    match px {
        Pixels::Luma8(p) => {
            for (d, &s) in out.iter_mut().zip(&p[start..]) {
                *d = f32::from(s);
            }
        }
        Pixels::LumaF32(p) => {
            let n = out.len();
            out.copy_from_slice(&p[start..start + n]);
        }
        Pixels::Rgb8(p) => {
            let start = y * stride + 3 * x0;
            for (d, s) in out.iter_mut().zip(p[start..].chunks_exact(3)) {
                *d = rgb_to_luma(s[0], s[1], s[2]);
            }
        }
    }
}

/// The reference's Jarosz window size for shrinking `old` samples to `new`.
fn jarosz_window(old: usize, new: usize) -> usize {
    old.div_ceil(2 * new)
}

/// Index of the sample that decimation keeps for output `out` of 64.
fn decimation_index(out: usize, len: usize) -> usize {
    (((out as f64 + 0.5) * len as f64) / N64 as f64) as usize
}

/// Tent filter (two box passes each way, as the reference) and decimation to 64x64.
///
/// The four passes are: rows (reading the input and converting to luma on the fly), columns,
/// rows again but producing only the 64 decimated columns, and columns on those 64 columns
/// producing only the 64 decimated rows. They are streamed: blocks of `LANES` rows go through
/// pass 1 into a ring of the last `window + LANES` rows, pass 2 advances as far as its input
/// allows, and its output rows go to pass 3 in blocks. Memory is `O(width x window)` plus 64
/// floats per row, and stays in cache. Every kept value is computed with exactly the reference's
/// sequence of floating-point operations.
fn downsample_64(px: &Pixels<'_>, width: usize, height: usize, stride: usize) -> [[f32; N64]; N64] {
    let mut out = [[0.0_f32; N64]; N64];
    if width == N64 && height == N64 {
        // The reference hashes a 64x64 input without filtering.
        for (y, row) in out.iter_mut().enumerate() {
            read_row(px, stride, y, 0, row);
        }
        return out;
    }
    let wx = jarosz_window(width, N64);
    let wy = jarosz_window(height, N64);
    let rows_idx: [usize; N64] = std::array::from_fn(|i| decimation_index(i, height));
    let cols_idx: [usize; N64] = std::array::from_fn(|j| decimation_index(j, width));

    let mut lanes_in = vec![[0.0_f32; LANES]; width];
    let mut lanes_out = vec![[0.0_f32; LANES]; width];
    let mut scratch = vec![0.0_f32; width * LANES];
    // Pass-1 output ring and pass-2 state.
    let ring_rows = wy + LANES + 1;
    let mut ring = vec![0.0_f32; ring_rows * width];
    let mut col = ColumnBox::new(width, height, wy);
    // Pass-2 output rows waiting for pass 3, and pass-3 output (the 64 kept columns per row).
    let mut block = vec![0.0_f32; LANES * width];
    let mut block_rows = 0;
    let mut kept_rows = vec![[0.0_f32; N64]; height];

    for y0 in (0..height).step_by(LANES) {
        let n = LANES.min(height - y0);
        // Pass 1.
        for (t, row) in scratch.chunks_exact_mut(width).enumerate().take(n) {
            read_row(px, stride, y0 + t, 0, row);
        }
        rows_to_lanes(&scratch, width, &mut lanes_in);
        box_1d(&lanes_in, wx, |i, sum, size| lanes_out[i] = sum.div(size));
        lanes_to_rows(&lanes_out, width, &mut scratch);
        for (t, row) in scratch.chunks_exact(width).enumerate().take(n) {
            let slot = (y0 + t) % ring_rows;
            ring[slot * width..(slot + 1) * width].copy_from_slice(row);
        }
        // Pass 2 as far as the rows so far allow; pass 3 on each full block of its output.
        while let Some(oi) = col.step(&ring, ring_rows, y0 + n, &mut block, block_rows) {
            block_rows += 1;
            if block_rows == LANES || oi + 1 == height {
                let first = oi + 1 - block_rows;
                rows_to_lanes(&block, width, &mut lanes_in);
                let mut kept = [[0.0_f32; LANES]; N64];
                let mut next = 0;
                box_1d(&lanes_in, wx, |i, sum, size| {
                    while next < N64 && cols_idx[next] == i {
                        kept[next] = sum.div(size);
                        next += 1;
                    }
                });
                for (t, dst) in kept_rows[first..first + block_rows].iter_mut().enumerate() {
                    for (d, k) in dst.iter_mut().zip(&kept) {
                        *d = k[t];
                    }
                }
                block_rows = 0;
            }
        }
    }
    // Pass 4: columns of the 64 kept columns, keeping only the decimated rows.
    let mut next = 0;
    box_1d(&kept_rows, wy, |i, sum, size| {
        while next < N64 && rows_idx[next] == i {
            out[next] = sum.div(size);
            next += 1;
        }
    });
    out
}

/// The vertical box pass, one step at a time, lanes = whole rows.
///
/// Step `s` adds input row `s` (while `s < len`) and then subtracts row `s - window` (once
/// `s >= window`); from step `half - 1` on it outputs row `s - (half - 1)` as `sum / size`. This
/// is the reference's four-phase loop written as one: same operations in the same order.
struct ColumnBox {
    sum: Vec<f32>,
    width: usize,
    len: usize,
    window: usize,
    half: usize,
    size: usize,
    step: usize,
}

impl ColumnBox {
    fn new(width: usize, len: usize, window: usize) -> Self {
        ColumnBox {
            sum: vec![0.0; width],
            width,
            len,
            window,
            half: (window + 2) / 2,
            size: 0,
            step: 0,
        }
    }

    /// Runs steps until one outputs a row (written to row `slot` of `out`; returns its index) or
    /// until the next step needs an input row `>= available`. Input row `r` is at ring slot
    /// `r % ring_rows`.
    fn step(
        &mut self,
        ring: &[f32],
        ring_rows: usize,
        available: usize,
        out: &mut [f32],
        slot: usize,
    ) -> Option<usize> {
        let w = self.width;
        let row = |r: usize| &ring[(r % ring_rows) * w..(r % ring_rows + 1) * w];
        while self.step < self.len + self.half - 1 {
            let s = self.step;
            if s < self.len && s >= available {
                return None;
            }
            match (s < self.len, s >= self.window) {
                (true, true) => add_sub_row(&mut self.sum, row(s), row(s - self.window)),
                (true, false) => {
                    add_row(&mut self.sum, row(s));
                    self.size += 1;
                }
                (false, true) => {
                    sub_row(&mut self.sum, row(s - self.window));
                    self.size -= 1;
                }
                // Unreachable: window <= len.
                (false, false) => {}
            }
            self.step += 1;
            if s + 1 >= self.half {
                div_row(
                    &self.sum,
                    &mut out[slot * w..(slot + 1) * w],
                    self.size as f32,
                );
                return Some(s + 1 - self.half);
            }
        }
        None
    }
}

/// Transposes `LANES` consecutive rows of `width` values (`rows`, row-major) into lanes:
/// `lanes[x][t] = rows[t * width + x]`. Works on 8x8 tiles so the compiler can use shuffles.
fn rows_to_lanes(rows: &[f32], width: usize, lanes: &mut [[f32; LANES]]) {
    let tiles = width / LANES * LANES;
    for x in (0..tiles).step_by(LANES) {
        let tile: [[f32; LANES]; LANES] = std::array::from_fn(|t| {
            let r = &rows[t * width + x..t * width + x + LANES];
            std::array::from_fn(|c| r[c])
        });
        for (c, lane) in lanes[x..x + LANES].iter_mut().enumerate() {
            *lane = std::array::from_fn(|t| tile[t][c]);
        }
    }
    for (x, lane) in lanes.iter_mut().enumerate().skip(tiles) {
        *lane = std::array::from_fn(|t| rows[t * width + x]);
    }
}

/// The inverse of [`rows_to_lanes`].
fn lanes_to_rows(lanes: &[[f32; LANES]], width: usize, rows: &mut [f32]) {
    let tiles = width / LANES * LANES;
    for x in (0..tiles).step_by(LANES) {
        let tile: [[f32; LANES]; LANES] = std::array::from_fn(|c| lanes[x + c]);
        for t in 0..LANES {
            let r = &mut rows[t * width + x..t * width + x + LANES];
            for (c, v) in r.iter_mut().enumerate() {
                *v = tile[c][t];
            }
        }
    }
    for (x, lane) in lanes.iter().enumerate().skip(tiles) {
        for (t, v) in lane.iter().enumerate() {
            rows[t * width + x] = *v;
        }
    }
}

/// Element types the 1-D box filter runs on: lane arrays, added lane by lane.
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
        if let Some(inv) = exact_reciprocal(n) {
            for a in r.iter_mut() {
                *a *= inv;
            }
        } else {
            for a in r.iter_mut() {
                *a /= n;
            }
        }
        r
    }
}

/// The reference's 1-D box filter (a running sum; windows shrink at the edges), on every lane
/// independently. For each output position `i` in order, calls `emit(i, &sum, size)`; the output
/// value is `sum / size` (left to `emit`, so unused outputs cost no division).
/// Requires `1 <= window <= input.len()`.
#[inline(always)]
fn box_1d<T: Lanes>(input: &[T], window: usize, mut emit: impl FnMut(usize, &T, f32)) {
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
        emit(oi, &sum, size as f32);
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase3 {
        sum.add(&input[ri]);
        sum.sub(&input[li]);
        emit(oi, &sum, size as f32);
        li += 1;
        ri += 1;
        oi += 1;
    }
    for _ in 0..phase4 {
        sum.sub(&input[li]);
        size -= 1;
        emit(oi, &sum, size as f32);
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
fn add_sub_row(sum: &mut [f32], add: &[f32], sub: &[f32]) {
    for ((s, &a), &b) in sum.iter_mut().zip(add).zip(sub) {
        *s += a;
        *s -= b;
    }
}
#[inline]
fn div_row(sum: &[f32], out: &mut [f32], n: f32) {
    if let Some(inv) = exact_reciprocal(n) {
        for (o, &s) in out.iter_mut().zip(sum) {
            *o = s * inv;
        }
    } else {
        for (o, &s) in out.iter_mut().zip(sum) {
            *o = s / n;
        }
    }
}

/// `1 / n` when multiplying by it is bit-identical to dividing by `n`: for powers of two, both are
/// the correctly rounded value of the same real number. (Window sizes are small integers.)
#[inline(always)]
fn exact_reciprocal(n: f32) -> Option<f32> {
    let k = n as u32;
    if k as f32 == n && k.is_power_of_two() {
        Some(1.0 / n)
    } else {
        None
    }
}

/// The reference's image-domain quality: summed absolute gradients of the 64x64 block.
fn quality_metric(block: &[[f32; N64]; N64]) -> u8 {
    let mut sum: i64 = 0;
    let grad = |u: f32, v: f32| -> i64 { (((u - v) * 100.0) / 255.0) as i32 as i64 };
    for pair in block.windows(2) {
        for (&u, &v) in pair[0].iter().zip(&pair[1]) {
            sum += grad(u, v).abs();
        }
    }
    for row in block {
        for pair in row.windows(2) {
            sum += grad(pair[0], pair[1]).abs();
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
///     let v = if (x / 8 + y / 8) % 2 == 0 { 250 } else { 10 }; // a checkerboard
///     px.copy_from_slice(&[v, v / 2, 255 - v]);
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
