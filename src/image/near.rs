//! Near-duplicate image codes: how a listed image still matches, through an exact-membership
//! filter, after crops, small rotations, mirroring, borders and re-encoding.
//!
//! A Bloom filter answers "is this exact value listed?". A perceptual hash of an edited copy is
//! close to the listed one, not equal. This module bridges the gap without ever storing a hash in
//! the clear (the list holds keyed digests of the codes below):
//!
//! 1. **Canonical frame.** Uniform borders (black bars, letterboxing, a white screenshot canvas)
//!    are trimmed before anything is hashed, on both sides.
//! 2. **Short robust codes.** A code is the sign pattern of the `side x side` lowest-frequency
//!    coefficients of the PDQ DCT (the same 64x64 luma, box filter and DCT as PDQ), thresholded at
//!    their own median: 49 bits at the default side 7 (36 at side 6: more robust, but only safe for
//!    small lists, see `docs/matching.md`). Low frequencies survive re-encoding, scaling, blur,
//!    noise, tone changes and small geometric changes that scramble PDQ's 256 bits.
//! 3. **Views.** The publisher lists two codes per image: the whole (trimmed) frame and its centre
//!    `0.6 x 0.6`. The client computes the centre code under every geometric edit it covers: the
//!    centre of the whole frame, the centre as seen after a 5 % or 10 % crop of every side (zoom),
//!    after 20 % is cut from one side (four hypotheses), and after a rotation of +-3.5, +-7 or
//!    +-10.5 degrees, each also mirrored. The listed centre lies inside all of them, so one listed code serves all.
//! 4. **Confidence-ordered probing.** For each query code, the client flips its least confident
//!    bits (coefficients closest to the median) in order of increasing total confidence, and probes
//!    the filter with the first `probes_per_view` codes.
//!
//! All parameters are in the section header ([`NearParams`]): the publisher chooses them, clients
//! follow. The reasoning and the measurements are in `docs/matching.md`.

use super::hash::Dihedral;
use super::pdq::{self, Pixels};
use crate::Error;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Version of the near-duplicate code (part of every digest input). Bump it when the code, the
/// views, the trimming or the digest change. Version 2: the probe digests are SipHash-2-4 (version
/// 1 used keyed BLAKE3; a list of either version is refused by a client of the other with
/// [`Error::UnsupportedDigestVersion`]).
pub const NEAR_CODE_VERSION: u16 = 2;

/// Fraction of each side kept by the centre view (the listed centre code covers `0.6 x 0.6`).
const CENTRE: f32 = 0.6;
/// Zoom views: the listed centre as it appears after cropping 5 % and 10 % of every side.
const ZOOMS: [f32; 2] = [0.9, 0.8];
/// Side views: the listed centre as it appears after cutting this fraction from one side.
const SIDE_CUT: f32 = 0.2;
/// Rotation views, degrees (each sign).
const ROTATIONS: [f32; 3] = [3.5, 7.0, 10.5];
/// Codes are computed on the image binned down to a shorter side of at least this many pixels
/// (the views' 64x64 DCT input needs no more; it cuts the cost of the views' DCTs).
const CODE_MIN_SIDE: usize = 128;
/// Trimming: a border row or column has every pixel within this of the border colour (0..255).
const TRIM_TOLERANCE: f32 = 10.0;
/// Trimming never leaves less than this fraction of either side (a plain image is not "all border").
const TRIM_MIN_KEEP: f32 = 0.25;

/// Which query views a section asks clients to compute (bit flags, `params[2]`).
pub mod views {
    /// Also probe the mirror image of every view.
    pub const MIRROR: u32 = 1;
    /// Trim uniform borders before hashing (on both sides).
    pub const TRIM: u32 = 2;
    /// Zoom views: crops of 5 % and 10 % of every side.
    pub const ZOOM: u32 = 4;
    /// Side views: 20 % cut from one side, four hypotheses.
    pub const SIDES: u32 = 8;
    /// Rotation views: +-3.5, +-7 and +-10.5 degrees.
    pub const ROTATE: u32 = 16;
    /// Every view this version knows.
    pub const ALL: u32 = MIRROR | TRIM | ZOOM | SIDES | ROTATE;
}

/// Matching parameters of an `image_near` section, stored in its header (`params`, FORMAT.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NearParams {
    /// Code side: the code has `side * side` bits (4..=8).
    pub side: u8,
    /// How many of the least confident bits may be flipped while probing (0..=16).
    pub flip_depth: u8,
    /// Probes per view (1..=4096, at most `2^flip_depth`), in order of increasing confidence.
    pub probes_per_view: u16,
    /// Query views ([`views`] flags).
    pub views: u32,
}

impl Default for NearParams {
    /// The parameters chosen on the robustness benchmark (`docs/matching.md`).
    fn default() -> Self {
        NearParams {
            side: 7,
            flip_depth: 8,
            probes_per_view: 64,
            views: views::ALL,
        }
    }
}

impl NearParams {
    /// The section header words: `[side | flip_depth << 8, probes_per_view, views, 0]`.
    pub fn to_params(&self) -> [u32; 4] {
        [
            u32::from(self.side) | u32::from(self.flip_depth) << 8,
            u32::from(self.probes_per_view),
            self.views,
            0,
        ]
    }

    /// Reads and checks section header words (all zero means [`NearParams::default`]).
    ///
    /// # Errors
    /// [`Error::InvalidParameters`] when a value is out of range or a flag is unknown.
    pub fn from_params(p: &[u32; 4]) -> Result<NearParams, Error> {
        let bad = |what| Err(Error::InvalidParameters { what });
        if *p == [0; 4] {
            return Ok(NearParams::default());
        }
        if p[0] >> 16 != 0 || p[3] != 0 {
            return bad("image_near parameters: reserved bits set");
        }
        let side = (p[0] & 0xff) as u8;
        let flip_depth = (p[0] >> 8 & 0xff) as u8;
        if !(4..=8).contains(&side) {
            return bad("image_near parameters: code side outside 4..=8");
        }
        if flip_depth > 16 {
            return bad("image_near parameters: flip depth over 16");
        }
        let probes = match u16::try_from(p[1]) {
            Ok(n) if (1..=4096).contains(&n) && u32::from(n) <= 1 << flip_depth => n,
            _ => {
                return bad("image_near parameters: probes per view outside 1..=min(4096, 2^depth)")
            }
        };
        if p[2] & !views::ALL != 0 {
            return bad("image_near parameters: unknown view flag");
        }
        Ok(NearParams {
            side,
            flip_depth,
            probes_per_view: probes,
            views: p[2],
        })
    }

    /// Geometric views a query computes (each gives one DCT).
    pub fn query_views(&self) -> usize {
        let mut n = 2; // the whole frame and its centre
        if self.views & views::ZOOM != 0 {
            n += ZOOMS.len();
        }
        if self.views & views::SIDES != 0 {
            n += 4;
        }
        if self.views & views::ROTATE != 0 {
            n += 2 * ROTATIONS.len();
        }
        n
    }

    /// Filter probes per screened image, at most: frames x views x mirrors x probes per view
    /// (two frames, trimmed and as sent, when trimming removed a border). The section's per-probe
    /// false-positive rate must be this many times smaller than the rate wanted per image.
    pub fn probes_per_image(&self) -> usize {
        let mirrors = if self.views & views::MIRROR != 0 {
            2
        } else {
            1
        };
        let frames = if self.views & views::TRIM != 0 { 2 } else { 1 };
        frames * self.query_views() * mirrors * usize::from(self.probes_per_view)
    }
}

/// A float luma image (row-major, `stride` values per row).
#[derive(Clone, Copy)]
pub(crate) struct LumaRef<'a> {
    pub(crate) data: &'a [f32],
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) stride: usize,
}

impl<'a> LumaRef<'a> {
    fn same_frame(&self, other: &LumaRef<'_>) -> bool {
        self.width == other.width
            && self.height == other.height
            && std::ptr::eq(self.data.as_ptr(), other.data.as_ptr())
    }

    fn at(&self, x: usize, y: usize) -> f32 {
        self.data.get(y * self.stride + x).copied().unwrap_or(0.0)
    }

    /// The same image without its uniform borders (or unchanged when trimming would leave too little).
    fn trimmed(&self) -> LumaRef<'a> {
        let (w, h) = (self.width, self.height);
        if w == 0 || h == 0 {
            return *self;
        }
        let row_is = |y: usize, x0: usize, x1: usize, c: f32| {
            (x0..x1).all(|x| (self.at(x, y) - c).abs() <= TRIM_TOLERANCE)
        };
        let col_is = |x: usize, y0: usize, y1: usize, c: f32| {
            (y0..y1).all(|y| (self.at(x, y) - c).abs() <= TRIM_TOLERANCE)
        };
        let (mut x0, mut y0, mut x1, mut y1) = (0, 0, w, h);
        let c = self.at(0, 0);
        while y0 < y1 && row_is(y0, 0, w, c) {
            y0 += 1;
        }
        let c = self.at(0, h - 1);
        while y1 > y0 && row_is(y1 - 1, 0, w, c) {
            y1 -= 1;
        }
        if y1 > y0 {
            let c = self.at(0, y0);
            while x0 < x1 && col_is(x0, y0, y1, c) {
                x0 += 1;
            }
            let c = self.at(w - 1, y0);
            while x1 > x0 && col_is(x1 - 1, y0, y1, c) {
                x1 -= 1;
            }
        }
        let keep = |kept: usize, of: usize| kept as f32 >= TRIM_MIN_KEEP * of as f32 && kept >= 16;
        if y1 <= y0 || x1 <= x0 || !keep(x1 - x0, w) || !keep(y1 - y0, h) {
            return *self;
        }
        LumaRef {
            data: self.data.get(y0 * self.stride + x0..).unwrap_or(&[]),
            width: x1 - x0,
            height: y1 - y0,
            stride: self.stride,
        }
    }

    /// The sub-rectangle `[fx0, fx1) x [fy0, fy1)` in fractions of the size.
    fn crop(&self, fx0: f32, fy0: f32, fx1: f32, fy1: f32) -> LumaRef<'a> {
        let px = |f: f32, n: usize| ((f * n as f32).round() as usize).min(n);
        let (x0, x1) = (px(fx0, self.width), px(fx1, self.width));
        let (y0, y1) = (px(fy0, self.height), px(fy1, self.height));
        LumaRef {
            data: self.data.get(y0 * self.stride + x0..).unwrap_or(&[]),
            width: x1.saturating_sub(x0).max(1),
            height: y1.saturating_sub(y0).max(1),
            stride: self.stride,
        }
    }

    /// The centre `CENTRE x CENTRE` of this image rotated by `degrees` (counter-clockwise) about
    /// its centre, resampled bilinearly into `out`.
    fn rotated_centre(&self, degrees: f32, out: &mut Vec<f32>) -> (usize, usize) {
        let (w, h) = (self.width as f32, self.height as f32);
        let ow = ((CENTRE * w).round() as usize).max(1);
        let oh = ((CENTRE * h).round() as usize).max(1);
        let (s, c) = degrees.to_radians().sin_cos();
        let (cx, cy) = (w / 2.0, h / 2.0);
        let (ox, oy) = (ow as f32 / 2.0, oh as f32 / 2.0);
        out.clear();
        out.reserve(ow * oh);
        for y in 0..oh {
            let dy = y as f32 + 0.5 - oy;
            for x in 0..ow {
                let dx = x as f32 + 0.5 - ox;
                // The image was turned counter-clockwise by `degrees`; undo it.
                let sx = c * dx - s * dy + cx - 0.5;
                let sy = s * dx + c * dy + cy - 0.5;
                out.push(self.bilinear(sx, sy));
            }
        }
        (ow, oh)
    }

    fn bilinear(&self, x: f32, y: f32) -> f32 {
        let x = x.clamp(0.0, (self.width - 1) as f32);
        let y = y.clamp(0.0, (self.height - 1) as f32);
        let (x0, y0) = (x.floor() as usize, y.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let top = self.at(x0, y0) * (1.0 - fx) + self.at(x1, y0) * fx;
        let bottom = self.at(x0, y1) * (1.0 - fx) + self.at(x1, y1) * fx;
        top * (1.0 - fy) + bottom * fy
    }

    fn coefficients(&self) -> Result<[f32; 256], Error> {
        let d = pdq::dct16(
            Pixels::LumaF32(self.data),
            self.width,
            self.height,
            self.stride,
        )?;
        Ok(d.coefs)
    }
}

/// A code and its bits ordered from least to most confident, with their confidences.
struct Code {
    bits: u64,
    weak: Vec<(f32, u8)>,
}

fn code_of(coefs: &[f32; 256], side: usize) -> Code {
    let mut vals: Vec<f32> = Vec::with_capacity(side * side);
    for row in 0..side {
        for col in 0..side {
            vals.push(coefs[16 * row + col]);
        }
    }
    let mut sorted = vals.clone();
    sorted.sort_by(f32::total_cmp);
    let n = sorted.len();
    let median = (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    let mut bits = 0u64;
    let mut weak: Vec<(f32, u8)> = Vec::with_capacity(n);
    for (i, v) in vals.iter().enumerate() {
        if *v > median {
            bits |= 1 << i;
        }
        weak.push(((v - median).abs(), i as u8));
    }
    weak.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    Code { bits, weak }
}

/// The digest input of a code: `side` then the bits, little-endian.
fn value(side: u8, bits: u64) -> [u8; 9] {
    let mut v = [0u8; 9];
    v[0] = side;
    v[1..].copy_from_slice(&bits.to_le_bytes());
    v
}

/// Heap entry for enumerating flip sets in order of increasing total confidence.
struct Cand {
    cost: f32,
    last: usize,
    mask: u32,
}

impl PartialEq for Cand {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Cand {}
impl PartialOrd for Cand {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Cand {
    fn cmp(&self, o: &Self) -> Ordering {
        // Min-heap on cost, then on mask for a deterministic order.
        o.cost.total_cmp(&self.cost).then(o.mask.cmp(&self.mask))
    }
}

/// Pushes the first `count` codes of the neighbourhood of `code` (flipping only its `depth` least
/// confident bits, cheapest flip sets first; the code itself first).
fn probe_codes(code: &Code, side: u8, depth: usize, count: usize, out: &mut Vec<[u8; 9]>) {
    let depth = depth.min(code.weak.len()).min(16);
    out.push(value(side, code.bits));
    if depth == 0 || count <= 1 {
        return;
    }
    let cost = |i: usize| code.weak[i].0;
    let flip = |mask: u32| {
        (0..depth)
            .filter(|i| mask >> i & 1 == 1)
            .fold(code.bits, |b, i| b ^ 1 << code.weak[i].1)
    };
    // Standard best-first enumeration of subset sums over costs sorted ascending: from a set whose
    // largest index is `last`, either add `last + 1` or replace `last` by `last + 1`.
    let mut heap = BinaryHeap::with_capacity(2 * count);
    heap.push(Cand {
        cost: cost(0),
        last: 0,
        mask: 1,
    });
    let mut emitted = 1;
    while emitted < count {
        let Some(c) = heap.pop() else { break };
        out.push(value(side, flip(c.mask)));
        emitted += 1;
        if c.last + 1 < depth {
            let next = c.last + 1;
            heap.push(Cand {
                cost: c.cost + cost(next),
                last: next,
                mask: c.mask | 1 << next,
            });
            heap.push(Cand {
                cost: c.cost - cost(c.last) + cost(next),
                last: next,
                mask: (c.mask & !(1 << c.last)) | 1 << next,
            });
        }
    }
}

/// An image binned down by an integer factor.
struct Binned {
    data: Vec<f32>,
    width: usize,
    height: usize,
}

impl Binned {
    fn view(&self) -> LumaRef<'_> {
        LumaRef {
            data: &self.data,
            width: self.width,
            height: self.height,
            stride: self.width,
        }
    }
}

/// `luma` binned so its shorter side is `CODE_MIN_SIDE..2 * CODE_MIN_SIDE`, or `None` when it is
/// already small enough.
fn binned(luma: LumaRef<'_>) -> Option<Binned> {
    let f = luma.width.min(luma.height) / CODE_MIN_SIDE;
    if f < 2 {
        return None;
    }
    let (width, height) = (luma.width / f, luma.height / f);
    let mut data = vec![0.0f32; width * height];
    for y in 0..height * f {
        let row = &mut data[(y / f) * width..(y / f + 1) * width];
        for (x, v) in row.iter_mut().enumerate() {
            for dx in 0..f {
                *v += luma.at(x * f + dx, y);
            }
        }
    }
    let scale = 1.0 / (f * f) as f32;
    data.iter_mut().for_each(|v| *v *= scale);
    Some(Binned {
        data,
        width,
        height,
    })
}

/// The frames an image is seen in: trimmed first, then as it is when trimming removed something.
fn frames<'a>(luma: LumaRef<'a>, p: &NearParams) -> Vec<LumaRef<'a>> {
    let trimmed = luma.trimmed();
    if p.views & views::TRIM == 0 || trimmed.same_frame(&luma) {
        vec![luma]
    } else {
        vec![trimmed, luma]
    }
}

/// The values the publisher lists for an image (whole frame and centre; of the trimmed frame too
/// when the image itself has uniform margins), to be digested.
#[cfg(test)]
pub(crate) fn listed_values(luma: LumaRef<'_>, p: &NearParams) -> Result<Vec<[u8; 9]>, Error> {
    let mut all = listed_values_sides(luma, p, &[p.side])?;
    Ok(all.pop().unwrap_or_default())
}

/// [`listed_values`] for each of `sides` (the rest of `p` as given), from one pass of DCTs: the
/// builder lists both automatic sides until it knows the list size ([`auto_side`]).
pub(crate) fn listed_values_sides(
    luma: LumaRef<'_>,
    p: &NearParams,
    sides: &[u8],
) -> Result<ValuesPerSide, Error> {
    let binned = binned(luma);
    let luma = binned.as_ref().map_or(luma, Binned::view);
    let mut out = vec![Vec::with_capacity(4); sides.len()];
    for frame in frames(luma, p) {
        for view in [frame, centre(&frame, 1.0)] {
            let coefs = view.coefficients()?;
            for (&side, vals) in sides.iter().zip(out.iter_mut()) {
                let v = value(side, code_of(&coefs, usize::from(side)).bits);
                if !vals.contains(&v) {
                    vals.push(v);
                }
            }
        }
    }
    Ok(out)
}

/// Listed values, one list per code side asked for.
pub(crate) type ValuesPerSide = Vec<Vec<[u8; 9]>>;

/// The code sides a builder chooses from when the publisher did not set [`NearParams`].
pub const AUTO_SIDES: [u8; 2] = [7, 8];

/// Modelled rate of code collisions per screened unlisted image that [`auto_side`] allows.
pub const AUTO_SIDE_MAX_COLLISION_RATE: f64 = 1e-5;

/// The code side a builder uses for a list of `listed_images` images when the publisher did not
/// set [`NearParams`]: the shortest side of [`AUTO_SIDES`] (shorter codes match more edits) whose
/// modelled collision rate per screened unlisted image, `2 P L / C(n, n/2)` (`P` probes per image
/// at the default parameters, `L` listed images with about two codes each, `n = side^2` bits;
/// `docs/matching.md`), stays at or below [`AUTO_SIDE_MAX_COLLISION_RATE`]; the longest otherwise.
/// Side 7 up to 88,000 listed images, side 8 above (to about 2.5e9).
///
/// ```
/// use hashscreen::image::near::auto_side;
/// assert_eq!(auto_side(1_000), 7);
/// assert_eq!(auto_side(50_000), 7);
/// assert_eq!(auto_side(1_000_000), 8);
/// ```
pub fn auto_side(listed_images: u64) -> u8 {
    let probes = NearParams::default().probes_per_image() as f64;
    for side in AUTO_SIDES {
        let n = u32::from(side) * u32::from(side);
        let codes = binomial_half(n);
        if 2.0 * probes * listed_images as f64 / codes <= AUTO_SIDE_MAX_COLLISION_RATE {
            return side;
        }
    }
    AUTO_SIDES[AUTO_SIDES.len() - 1]
}

/// `C(n, n/2)` as a float (exact enough for rates: n <= 64).
fn binomial_half(n: u32) -> f64 {
    let k = n / 2;
    (1..=k).fold(1.0, |acc, i| acc * f64::from(n - k + i) / f64::from(i))
}

/// The centre view as it appears in a copy cropped to `zoom` of each side.
fn centre<'a>(frame: &LumaRef<'a>, zoom: f32) -> LumaRef<'a> {
    let m = (1.0 - CENTRE / zoom) / 2.0;
    frame.crop(m, m, 1.0 - m, 1.0 - m)
}

/// Decodes an image file and computes the values listed for it: `(pdq, near values per side)`,
/// one list of values for each of `sides` (none when `near` is `None`).
#[cfg(feature = "image")]
pub(crate) fn listed_for_bytes(
    bytes: &[u8],
    near: Option<(&NearParams, &[u8])>,
) -> Result<(super::Pdq, ValuesPerSide), Error> {
    let (dct, img) = super::decode::decode_for_matching(bytes, &super::DecodeLimits::default())?;
    let pdq = pdq::pdq_from_dct(&dct);
    let values = match near {
        Some((p, sides)) => listed_values_sides(float_luma(img).view(), p, sides)?,
        None => Vec::new(),
    };
    Ok((pdq, values))
}

/// The values a client probes for one image under one parameter set: the result of hashing, the
/// input of [`Screener::screen_near`](crate::Screener::screen_near). Holds codes derived from the
/// image: keep it on the device like the image itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NearQuery {
    params: NearParams,
    values: Vec<[u8; 9]>,
}

impl NearQuery {
    /// Decodes an image file and computes its probe values for `params` (a list's parameters are
    /// [`crate::Blocklist`] section params; lists built with defaults use [`NearParams::default`]).
    ///
    /// # Errors
    /// As [`super::pdq_from_bytes`], including [`Error::ImageLowQuality`] for images too plain
    /// to match.
    #[cfg(feature = "image")]
    pub fn from_bytes(bytes: &[u8], params: &NearParams) -> Result<NearQuery, Error> {
        let (all, img) = decode_for_screening(bytes)?;
        all.pdq(Dihedral::Original).matchable_hash()?;
        NearQuery::from_luma(float_luma(img).view(), params)
    }

    #[cfg(feature = "image")]
    pub(crate) fn from_luma(luma: LumaRef<'_>, params: &NearParams) -> Result<NearQuery, Error> {
        let mut values = Vec::with_capacity(params.probes_per_image());
        query_values(luma, params, &mut values)?;
        dedup_keep_first(&mut values);
        Ok(NearQuery {
            params: *params,
            values,
        })
    }

    /// The parameters the values were computed for.
    pub fn params(&self) -> &NearParams {
        &self.params
    }

    /// Number of filter probes screening this query makes per section, at most (distinct values:
    /// a code reached from two views or two flip sets is probed once).
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there is nothing to probe.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub(crate) fn values(&self) -> &[[u8; 9]] {
        &self.values
    }
}

/// Decodes an image file once for screening: its eight dihedral PDQ hashes and the decoded image.
#[cfg(feature = "image")]
pub(crate) fn decode_for_screening(
    bytes: &[u8],
) -> Result<(super::PdqDihedral, super::decode::Decoded), Error> {
    let (dct, img) = super::decode::decode_for_matching(bytes, &super::DecodeLimits::default())?;
    Ok((pdq::dihedral_from_dct(&dct), img))
}

/// The float luma the near-duplicate views read, from a decoded image.
#[cfg(feature = "image")]
pub(crate) fn float_luma(img: super::decode::Decoded) -> super::decode::LumaImage {
    super::decode::into_float_luma(img)
}

/// Drops repeated values, keeping the first of each (the probe order is unchanged otherwise).
fn dedup_keep_first(values: &mut Vec<[u8; 9]>) {
    let mut seen = std::collections::HashSet::with_capacity(values.len());
    values.retain(|v| seen.insert(*v));
}

/// Every value a client probes for an image, in a deterministic order.
pub(crate) fn query_values(
    luma: LumaRef<'_>,
    p: &NearParams,
    out: &mut Vec<[u8; 9]>,
) -> Result<(), Error> {
    let binned = binned(luma);
    let luma = binned.as_ref().map_or(luma, Binned::view);
    for frame in frames(luma, p) {
        frame_values(frame, p, out)?;
    }
    Ok(())
}

fn frame_values(frame: LumaRef<'_>, p: &NearParams, out: &mut Vec<[u8; 9]>) -> Result<(), Error> {
    let mut blocks: Vec<[f32; 256]> = Vec::with_capacity(p.query_views());
    blocks.push(frame.coefficients()?);
    blocks.push(centre(&frame, 1.0).coefficients()?);
    if p.views & views::ZOOM != 0 {
        for z in ZOOMS {
            blocks.push(centre(&frame, z).coefficients()?);
        }
    }
    if p.views & views::SIDES != 0 {
        // The listed centre spans [0.2, 0.8] of the original; with `SIDE_CUT` of the original cut
        // from one side, the copy spans 1 - SIDE_CUT of it.
        let keep = 1.0 - SIDE_CUT;
        let lo = (0.5 - CENTRE / 2.0 - SIDE_CUT) / keep;
        let hi = (0.5 + CENTRE / 2.0 - SIDE_CUT) / keep;
        let (a, b) = (0.5 - CENTRE / 2.0, 0.5 + CENTRE / 2.0);
        let rects = [
            (lo, a, hi, b),             // left cut
            (1.0 - hi, a, 1.0 - lo, b), // right cut
            (a, lo, b, hi),             // top cut
            (a, 1.0 - hi, b, 1.0 - lo), // bottom cut
        ];
        for (x0, y0, x1, y1) in rects {
            blocks.push(frame.crop(x0, y0, x1, y1).coefficients()?);
        }
    }
    if p.views & views::ROTATE != 0 {
        let mut buf = Vec::new();
        for deg in ROTATIONS {
            for d in [deg, -deg] {
                let (w, h) = frame.rotated_centre(d, &mut buf);
                let r = LumaRef {
                    data: &buf,
                    width: w,
                    height: h,
                    stride: w,
                };
                blocks.push(r.coefficients()?);
            }
        }
    }
    let side = usize::from(p.side);
    let depth = usize::from(p.flip_depth);
    let count = usize::from(p.probes_per_view);
    for b in &blocks {
        probe_codes(&code_of(b, side), p.side, depth, count, out);
        if p.views & views::MIRROR != 0 {
            let m = pdq::dihedral_coefs(b, Dihedral::FlipY);
            probe_codes(&code_of(&m, side), p.side, depth, count, out);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A contiguous `w x h` luma buffer as a `LumaRef`.
    fn luma(data: &[f32], w: usize, h: usize) -> LumaRef<'_> {
        LumaRef {
            data,
            width: w,
            height: h,
            stride: w,
        }
    }

    fn gradient(w: usize, h: usize) -> Vec<f32> {
        (0..w * h)
            .map(|i| {
                let (x, y) = ((i % w) as f32, (i / w) as f32);
                (x * 3.0 + y * 1.7 + (x * 0.21).sin() * 40.0 + (y * 0.13).cos() * 50.0)
                    .rem_euclid(255.0)
            })
            .collect()
    }

    #[test]
    fn params_round_trip_and_reject_garbage() {
        let p = NearParams::default();
        assert_eq!(NearParams::from_params(&p.to_params()), Ok(p));
        for bad in [
            [3, 64, 1, 0],
            [9 | 8 << 8, 64, 1, 0],
            [6 | 17 << 8, 64, 1, 0],
            [6 | 4 << 8, 17, 1, 0],
            [6 | 8 << 8, 0, 1, 0],
            [6 | 8 << 8, 64, 1 << 7, 0],
            [6 | 8 << 8, 64, 1, 1],
            [6 | 8 << 8 | 1 << 20, 64, 1, 0],
        ] {
            assert!(NearParams::from_params(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn probes_are_distinct_ordered_and_counted() {
        let px = gradient(300, 200);
        let l = luma(&px, 300, 200);
        let p = NearParams::default();
        let mut out = Vec::new();
        query_values(l, &p, &mut out).unwrap();
        // No border: one frame.
        assert_eq!(out.len(), p.probes_per_image() / 2);
        // Within one view's probes, no value repeats.
        for chunk in out.chunks(usize::from(p.probes_per_view)) {
            let mut c = chunk.to_vec();
            c.sort_unstable();
            c.dedup();
            assert_eq!(c.len(), chunk.len());
        }
        // The first probe of the whole-frame view is the listed whole-frame code.
        let listed = listed_values(l, &p).unwrap();
        assert_eq!(out[0], listed[0]);
        // The centre view's first probe is the listed centre code.
        assert_eq!(out[2 * usize::from(p.probes_per_view)], listed[1]);
    }

    #[test]
    fn auto_side_follows_the_collision_model() {
        // C(36, 18) exactly; C(64, 32) to float precision.
        assert_eq!(binomial_half(36), 9_075_135_300.0);
        assert!((binomial_half(64) / 1.832_624_140_942_590_5e18 - 1.0).abs() < 1e-9);
        assert_eq!(auto_side(0), 7);
        assert_eq!(auto_side(1_000), 7);
        assert_eq!(auto_side(88_000), 7);
        assert_eq!(auto_side(88_200), 8);
        assert_eq!(auto_side(1_000_000), 8);
        assert_eq!(auto_side(u64::MAX), 8);
        // The rule's rate at its boundary is the documented one.
        let p = NearParams::default().probes_per_image() as f64;
        let rate = |side: u32, l: f64| 2.0 * p * l / binomial_half(side * side);
        assert!(rate(7, 88_000.0) <= AUTO_SIDE_MAX_COLLISION_RATE);
        assert!(rate(7, 88_200.0) > AUTO_SIDE_MAX_COLLISION_RATE);
        assert!(rate(8, 1e9) <= AUTO_SIDE_MAX_COLLISION_RATE);
    }

    #[test]
    fn listed_values_for_several_sides_match_one_side_at_a_time() {
        let px = gradient(300, 200);
        let l = luma(&px, 300, 200);
        let p = NearParams::default();
        let both = listed_values_sides(l, &p, &AUTO_SIDES).unwrap();
        for (side, vals) in AUTO_SIDES.iter().zip(&both) {
            let one = listed_values(l, &NearParams { side: *side, ..p }).unwrap();
            assert_eq!(&one, vals);
            assert!(vals.iter().all(|v| v[0] == *side));
        }
    }

    #[cfg(feature = "image")]
    #[test]
    fn query_values_are_distinct_and_keep_their_order() {
        let px = gradient(300, 200);
        let l = luma(&px, 300, 200);
        let p = NearParams::default();
        let q = NearQuery::from_luma(l, &p).unwrap();
        let mut all = Vec::new();
        query_values(l, &p, &mut all).unwrap();
        let mut sorted = q.values().to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), q.len());
        // The first occurrence of every value, in the original order.
        let mut seen = std::collections::HashSet::new();
        let firsts: Vec<[u8; 9]> = all.into_iter().filter(|v| seen.insert(*v)).collect();
        assert_eq!(firsts, q.values());
    }

    #[test]
    fn flip_sets_come_cheapest_first() {
        let code = Code {
            bits: 0,
            weak: vec![(1.0, 0), (2.0, 1), (2.5, 2), (10.0, 3)],
        };
        let mut out = Vec::new();
        probe_codes(&code, 6, 4, 16, &mut out);
        let masks: Vec<u64> = out
            .iter()
            .map(|v| u64::from_le_bytes(v[1..].try_into().unwrap()))
            .collect();
        // costs: {} 0, {0} 1, {1} 2, {2} 2.5, {0,1} 3, {0,2} 3.5, {1,2} 4.5, {0,1,2} 5.5, {3} 10, ...
        assert_eq!(&masks[..9], &[0, 1, 2, 4, 3, 5, 6, 7, 8]);
        let mut all = masks.clone();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 16);
    }

    #[test]
    fn borders_are_trimmed() {
        let (w, h) = (200, 150);
        let inner = gradient(w, h);
        let (bw, bh) = (20, 15);
        let (ow, oh) = (w + 2 * bw, h + 2 * bh);
        let mut framed = vec![0.0f32; ow * oh];
        for y in 0..h {
            framed[(y + bh) * ow + bw..(y + bh) * ow + bw + w]
                .copy_from_slice(&inner[y * w..(y + 1) * w]);
        }
        let t = luma(&framed, ow, oh).trimmed();
        // The gradient's own first rows may be dark enough to trim too: never more than a few.
        assert!((w - 2..=w).contains(&t.width), "{}", t.width);
        assert!((h - 4..=h).contains(&t.height), "{}", t.height);
        // A plain image is left alone.
        let plain = vec![128.0f32; 100 * 100];
        let p = luma(&plain, 100, 100);
        assert_eq!(p.trimmed().width, 100);
    }
}
