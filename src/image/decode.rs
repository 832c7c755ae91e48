//! Decoding image files for hashing (feature `image`): bounded, oriented, reduced to what the hash
//! needs.
//!
//! - JPEG goes through `jpeg-decoder`, whose inverse DCT can output 1/2, 1/4 or 1/8 of the size
//!   directly: a 12 MP photo is decoded straight to 504x378, never to a full-size buffer.
//! - PNG (`png`, interlaced or not) and GIF (`gif`, first frame, interlaced or not) are decoded row
//!   by row, each row binned down as it arrives (in whatever order: interlaced files deliver rows
//!   in passes): one row plus the reduced image in memory, whatever the image's size.
//! - Lossy WebP (`image-webp`'s VP8 decoder) is hashed from its luma plane: 1.5 bytes a pixel with
//!   the chroma planes, no RGB copy.
//! - BMP (RLE-compressed or not) goes through `image`'s BMP codec in strips of rows (about 1 MiB
//!   of decoded rows each), binned as they come.
//! - Lossless or alpha WebP is decoded whole, within [`DecodeLimits::max_alloc_bytes`] (256 MiB
//!   by default, counting every buffer): 6-8 bytes a pixel, so one over about 35 MP is refused
//!   (`docs/security.md`, peak memory). VP8L's backward references and transforms span the whole
//!   image, so no decoder can stream it row by row.
//!
//! Both reductions are by the same power of two, so a JPEG and a lossless copy of one image are
//! reduced alike; luma uses the reference's coefficients; alpha is composited over white.

use super::exif::Orientation;
use super::hash::{Pdq, PdqDihedral};
use super::pdq::{self, rgb_to_luma, LUMA_B, LUMA_G, LUMA_R};
use crate::Error;

/// Default for [`DecodeLimits::max_input_bytes`]: 64 MiB of encoded input.
pub const DEFAULT_MAX_INPUT_BYTES: usize = 64 << 20;
/// Default for [`DecodeLimits::max_dimension`]: 32,768 pixels on either side.
pub const DEFAULT_MAX_DIMENSION: u32 = 32_768;
/// Default for [`DecodeLimits::max_pixels`]: 100 megapixels declared in the header.
pub const DEFAULT_MAX_PIXELS: u64 = 100_000_000;
/// Default for [`DecodeLimits::max_alloc_bytes`]: 256 MiB for any decoder buffer.
pub const DEFAULT_MAX_ALLOC_BYTES: u64 = 256 << 20;

/// The fast path decodes and bins images down by the largest power of two that keeps the shorter
/// side at least this many pixels (never upscaling).
///
/// PDQ keeps only a 64x64 tent-filtered sample. Measured (`tests/image_shared_full.rs`): on the
/// 177 development-corpus images that get halved, the distance to the full-resolution hash is
/// median 6, p90 12, max 30 bits (the same as a plain 2x2 box average costs); the 12 MP photos,
/// decoded at 1/8, land 2-6 bits from their full-resolution hash. At 128 the corpus median rises
/// to 18 bits, so 256 it is.
pub const WORKING_MIN_SIDE: usize = 256;

/// Side the reference command-line tool resizes larger images to (nearest neighbour, both sides).
const REFERENCE_SIDE: usize = 512;

/// Limits applied to untrusted image files before and during decoding.
///
/// The header's declared size is checked against `max_dimension` and `max_pixels` before any
/// pixel buffer is allocated; the decoders' own allocations are capped at `max_alloc_bytes`.
///
/// # Examples
/// ```
/// use hashscreen::image::DecodeLimits;
/// let strict = DecodeLimits { max_pixels: 4_000_000, ..DecodeLimits::default() };
/// assert!(strict.max_pixels < DecodeLimits::default().max_pixels);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeLimits {
    /// Largest encoded input accepted, in bytes.
    pub max_input_bytes: usize,
    /// Largest width or height accepted, in pixels.
    pub max_dimension: u32,
    /// Largest width x height accepted (as declared by the header).
    pub max_pixels: u64,
    /// Largest allocation a decoder may make, in bytes.
    pub max_alloc_bytes: u64,
}

impl DecodeLimits {
    /// Whether an encoded input of `len` bytes is within [`DecodeLimits::max_input_bytes`]: the
    /// first check of every decode, for callers that can refuse an input before copying it (the
    /// WebAssembly package does, for images still in JavaScript memory).
    ///
    /// # Errors
    /// [`Error::ImageInputTooLarge`] over the limit.
    pub fn check_input_len(&self, len: u64) -> Result<(), Error> {
        if len > self.max_input_bytes as u64 {
            return Err(Error::ImageInputTooLarge {
                limit: self.max_input_bytes,
                found: usize::try_from(len).unwrap_or(usize::MAX),
            });
        }
        Ok(())
    }
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_input_bytes: DEFAULT_MAX_INPUT_BYTES,
            max_dimension: DEFAULT_MAX_DIMENSION,
            max_pixels: DEFAULT_MAX_PIXELS,
            max_alloc_bytes: DEFAULT_MAX_ALLOC_BYTES,
        }
    }
}

/// The image file formats the `image` feature decodes, recognised by their signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ImageFormat {
    /// JPEG (baseline and progressive; greyscale, YCbCr, CMYK/YCCK).
    Jpeg,
    /// PNG (any bit depth and colour type, including palette and 16-bit).
    Png,
    /// WebP (lossy and lossless).
    WebP,
    /// GIF (first frame).
    Gif,
    /// BMP.
    Bmp,
}

impl ImageFormat {
    /// Recognises the format from the first bytes of a file.
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::ImageFormat;
    /// assert_eq!(ImageFormat::detect(b"\x89PNG\r\n\x1a\n...."), Some(ImageFormat::Png));
    /// assert_eq!(ImageFormat::detect(b"plain text"), None);
    /// ```
    pub fn detect(bytes: &[u8]) -> Option<ImageFormat> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageFormat::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageFormat::Png)
        } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageFormat::WebP)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageFormat::Gif)
        } else if bytes.starts_with(b"BM") {
            Some(ImageFormat::Bmp)
        } else {
            None
        }
    }

    /// A short lower-case name, as used in error messages.
    pub const fn name(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "jpeg",
            ImageFormat::Png => "png",
            ImageFormat::WebP => "webp",
            ImageFormat::Gif => "gif",
            ImageFormat::Bmp => "bmp",
        }
    }
}

/// How to decode.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Apply EXIF orientation, decode/bin down to [`WORKING_MIN_SIDE`].
    Fast,
    /// Mimic the reference CLI: full decode, no orientation, nearest neighbour to 512x512 when
    /// either side is over 512.
    Reference,
}

/// A dense float luma image.
pub(crate) struct LumaImage {
    pub(crate) width: usize,
    pub(crate) height: usize,
    pub(crate) data: Vec<f32>,
}

fn check_declared(width: u64, height: u64, limits: &DecodeLimits) -> Result<(), Error> {
    if width == 0 || height == 0 {
        return Err(Error::ImageEmpty { width, height });
    }
    let side = u64::from(limits.max_dimension);
    if width > side || height > side {
        return Err(Error::ImageTooLarge {
            width,
            height,
            limit: side,
        });
    }
    if width.saturating_mul(height) > limits.max_pixels {
        return Err(Error::ImageTooLarge {
            width,
            height,
            limit: limits.max_pixels,
        });
    }
    Ok(())
}

fn check_alloc(bytes: u64, limits: &DecodeLimits) -> Result<(), Error> {
    if bytes > limits.max_alloc_bytes {
        Err(Error::ImageMemoryLimit {
            limit: limits.max_alloc_bytes,
        })
    } else {
        Ok(())
    }
}

/// A decoded image ready for hashing: float luma, or (when nothing had to change) the decoder's
/// own 8-bit buffer, which the PDQ code converts while it filters.
pub(crate) enum Decoded {
    /// Float luma (after compositing, binning, orientation or resizing).
    Float(LumaImage),
    /// 8-bit pixels straight from the decoder: 1 (grey) or 3 (RGB) bytes per pixel.
    Bytes8 {
        width: usize,
        height: usize,
        channels: usize,
        data: Vec<u8>,
    },
}

impl From<LumaImage> for Decoded {
    fn from(img: LumaImage) -> Self {
        Decoded::Float(img)
    }
}

/// Decodes `bytes` to luma according to `mode`.
pub(crate) fn decode_luma(
    bytes: &[u8],
    limits: &DecodeLimits,
    mode: Mode,
) -> Result<Decoded, Error> {
    limits.check_input_len(bytes.len() as u64)?;
    let format = ImageFormat::detect(bytes).ok_or(Error::UnsupportedImageFormat)?;
    match format {
        ImageFormat::Jpeg => decode_jpeg(bytes, limits, mode),
        _ => decode_lossless(bytes, format, limits, mode).map(Into::into),
    }
}

fn jpeg_err(e: jpeg_decoder::Error) -> Error {
    match e {
        jpeg_decoder::Error::Unsupported(_) => Error::ImageDecode {
            format: "jpeg",
            reason: format!("unsupported JPEG feature: {e}"),
        },
        _ => Error::ImageDecode {
            format: "jpeg",
            reason: e.to_string(),
        },
    }
}

/// The largest power-of-two reduction (at most `max`) that keeps the shorter side at least
/// [`WORKING_MIN_SIDE`]. JPEG uses it with `max = 8` (the decoder's DCT scaling), other formats
/// bin by the same factor so that a JPEG and a lossless copy of one image are reduced alike.
fn reduction(width: usize, height: usize, max: usize) -> usize {
    let short = width.min(height);
    let mut d = 1;
    while d < max && short / (2 * d) >= WORKING_MIN_SIDE {
        d *= 2;
    }
    d
}

/// The EXIF orientation to apply: the file's in fast mode (none if absent or unreadable), none in
/// reference mode (the reference CLI ignores it).
fn orientation(mode: Mode, exif: Option<&[u8]>) -> Orientation {
    match mode {
        Mode::Fast => exif
            .and_then(Orientation::from_exif_chunk)
            .unwrap_or(Orientation::NoTransforms),
        Mode::Reference => Orientation::NoTransforms,
    }
}

fn decode_jpeg(bytes: &[u8], limits: &DecodeLimits, mode: Mode) -> Result<Decoded, Error> {
    let mut dec = jpeg_decoder::Decoder::new(bytes);
    dec.set_max_decoding_buffer_size(usize::try_from(limits.max_alloc_bytes).unwrap_or(usize::MAX));
    dec.read_info().map_err(jpeg_err)?;
    let info = dec.info().ok_or(Error::ImageDecode {
        format: "jpeg",
        reason: "no frame header".into(),
    })?;
    let (w, h) = (usize::from(info.width), usize::from(info.height));
    check_declared(w as u64, h as u64, limits)?;
    let orientation = orientation(mode, dec.exif_data());
    let (ow, oh) = match mode {
        Mode::Fast => {
            let d = reduction(w, h, 8);
            if d > 1 {
                let req_w = u16::try_from(w.div_ceil(d)).unwrap_or(u16::MAX);
                let req_h = u16::try_from(h.div_ceil(d)).unwrap_or(u16::MAX);
                let (sw, sh) = dec.scale(req_w, req_h).map_err(jpeg_err)?;
                (usize::from(sw), usize::from(sh))
            } else {
                (w, h)
            }
        }
        Mode::Reference => (w, h),
    };
    let channels = info.pixel_format.pixel_bytes() as u64;
    check_alloc((ow as u64) * (oh as u64) * channels, limits)?;
    // jpeg-decoder decodes colour components on worker threads and re-raises a worker's panic in
    // this thread; none is known, but a hostile file must never unwind into the caller.
    let pixels = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dec.decode()))
        .map_err(|_| Error::ImageDecode {
            format: "jpeg",
            reason: "the JPEG decoder failed internally".into(),
        })?
        .map_err(jpeg_err)?;
    let n = ow * oh;
    if pixels.len() < n * info.pixel_format.pixel_bytes() {
        return Err(Error::ImageDecode {
            format: "jpeg",
            reason: "decoder returned fewer pixels than declared".into(),
        });
    }
    use jpeg_decoder::PixelFormat as P;
    if mode == Mode::Fast && orientation == Orientation::NoTransforms {
        let channels = match info.pixel_format {
            P::L8 => 1,
            P::RGB24 => 3,
            _ => 0,
        };
        if channels > 0 {
            let mut data = pixels;
            data.truncate(n * channels);
            return Ok(Decoded::Bytes8 {
                width: ow,
                height: oh,
                channels,
                data,
            });
        }
    }
    let luma_at = |i: usize| -> f32 {
        match info.pixel_format {
            P::L8 => f32::from(pixels[i]),
            P::L16 => f32::from(u16::from_be_bytes([pixels[2 * i], pixels[2 * i + 1]])) / 257.0,
            P::RGB24 => rgb_to_luma(pixels[3 * i], pixels[3 * i + 1], pixels[3 * i + 2]),
            P::CMYK32 => {
                // jpeg-decoder undoes the Adobe inversion: values are ink amounts, so the light
                // left is (255 - C) x (255 - K) / 255 per channel.
                let p = &pixels[4 * i..4 * i + 4];
                let light = 255.0 - f32::from(p[3]);
                let c = |v: u8| (255.0 - f32::from(v)) * light / 255.0;
                LUMA_R * c(p[0]) + LUMA_G * c(p[1]) + LUMA_B * c(p[2])
            }
        }
    };
    let img = match mode {
        Mode::Reference => {
            let mut red = Reducer::new(ow, oh, mode, limits)?;
            let mut row = Vec::with_capacity(ow);
            for y in 0..oh {
                if red.wants_row(y) {
                    row.clear();
                    row.extend((y * ow..(y + 1) * ow).map(luma_at));
                    red.add_luma(y, 0, 1, &row);
                }
            }
            red.finish()
        }
        Mode::Fast => LumaImage {
            width: ow,
            height: oh,
            data: (0..n).map(luma_at).collect(),
        },
    };
    Ok(orient(img, orientation).into())
}

/// Largest binning factor: with at most 128 x 128 = 2^14 pixels a bin, the bin sums are exact in
/// `f64` (see [`Reducer`]). It only limits images whose shorter side exceeds 65,535 pixels.
const MAX_BIN: usize = 128;

/// Reduces a decoded image to what the hash needs while its pixels arrive, row by row **in any
/// order** (interlaced PNG and GIF deliver their rows in passes), so that no format needs its
/// full-size image in memory.
///
/// - Fast mode, images big enough to bin: the sum of each `f x f` block, in `f64`. Every luma
///   value this module produces is 0 or at least 1/16 (8-bit samples, the Rec. 601 weights,
///   compositing over white), so as an `f32` it is a multiple of 2^-27; a block sums at most 2^14 of
///   them, below 2^22, which needs 49 bits: the `f64` sums are exact, hence independent of the
///   order the rows come in. The output is each sum times 1/f², rounded once to `f32`.
/// - Reference mode (and fast mode on images too small to bin): the pixels that nearest-neighbour
///   sampling keeps, placed where they belong; the identity when the output keeps the input's size.
struct Reducer {
    width: usize,
    height: usize,
    kind: Reduce,
    /// Scratch: the luma of the row being added.
    row: Vec<f32>,
}

enum Reduce {
    Bin {
        shift: u32,
        ow: usize,
        oh: usize,
        sums: Vec<f64>,
    },
    Sample {
        /// For each output column (row), the input column (row) it takes; ascending.
        xs: Vec<usize>,
        ys: Vec<usize>,
        data: Vec<f32>,
    },
}

impl Reducer {
    fn new(width: usize, height: usize, mode: Mode, limits: &DecodeLimits) -> Result<Self, Error> {
        let identity = |n: usize| (0..n).collect::<Vec<usize>>();
        let sample = |xs: Vec<usize>, ys: Vec<usize>| -> Result<Reduce, Error> {
            let n = xs.len() * ys.len();
            check_alloc(n as u64 * 4, limits)?;
            Ok(Reduce::Sample {
                data: vec![0.0; n],
                xs,
                ys,
            })
        };
        let kind = match mode {
            Mode::Fast => {
                let f = reduction(width, height, MAX_BIN);
                if f == 1 {
                    sample(identity(width), identity(height))?
                } else {
                    let (ow, oh) = (width / f, height / f);
                    check_alloc((ow * oh) as u64 * 8, limits)?;
                    Reduce::Bin {
                        shift: f.trailing_zeros(),
                        ow,
                        oh,
                        sums: vec![0.0; ow * oh],
                    }
                }
            }
            Mode::Reference if width <= REFERENCE_SIDE && height <= REFERENCE_SIDE => {
                sample(identity(width), identity(height))?
            }
            Mode::Reference => {
                // CImg's nearest neighbour: source index `floor(i * old / 512)`.
                let src = |len: usize| -> Vec<usize> {
                    (0..REFERENCE_SIDE)
                        .map(|i| ((i as f64 * len as f64) / REFERENCE_SIDE as f64) as usize)
                        .collect()
                };
                sample(src(width), src(height))?
            }
        };
        Ok(Reducer {
            width,
            height,
            kind,
            row: Vec::new(),
        })
    }

    /// Rows `0..rows_needed()` are all the output depends on (a sequential decoder may stop there).
    fn rows_needed(&self) -> usize {
        match &self.kind {
            Reduce::Bin { shift, oh, .. } => oh << shift,
            Reduce::Sample { ys, .. } => ys.last().map_or(0, |&y| y + 1),
        }
    }

    /// Adds pixels of row `y` at columns `x0`, `x0 + dx`, `x0 + 2 dx`...: `luma[i]` is the luma of
    /// the `i`-th. Pixels outside the image are ignored. (Not generic over the pixel format, so
    /// the WebAssembly build carries one copy.)
    fn add_luma(&mut self, y: usize, x0: usize, dx: usize, luma: &[f32]) {
        if y >= self.height || dx == 0 {
            return;
        }
        let n = luma.len().min(self.width.saturating_sub(x0).div_ceil(dx));
        match &mut self.kind {
            Reduce::Bin {
                shift,
                ow,
                oh,
                sums,
            } => {
                if y >> *shift >= *oh {
                    return;
                }
                let row = &mut sums[(y >> *shift) * *ow..][..*ow];
                for (i, &v) in luma[..n].iter().enumerate() {
                    match row.get_mut((x0 + i * dx) >> *shift) {
                        Some(s) => *s += f64::from(v),
                        None => break,
                    }
                }
            }
            Reduce::Sample { xs, ys, data } => {
                let lo = ys.partition_point(|&v| v < y);
                let hi = ys.partition_point(|&v| v <= y);
                if lo == hi {
                    return;
                }
                let ow = xs.len();
                let row = &mut data[lo * ow..(lo + 1) * ow];
                for (out, &x) in row.iter_mut().zip(xs.iter()) {
                    if let Some(d) = x.checked_sub(x0) {
                        if d % dx == 0 && d / dx < n {
                            *out = luma[d / dx];
                        }
                    }
                }
                for oy in lo + 1..hi {
                    data.copy_within(lo * ow..(lo + 1) * ow, oy * ow);
                }
            }
        }
    }

    /// Whether row `y` contributes to the output (callers skip computing the luma of rows that
    /// do not).
    fn wants_row(&self, y: usize) -> bool {
        match &self.kind {
            Reduce::Bin { shift, oh, .. } => y >> *shift < *oh,
            Reduce::Sample { ys, .. } => ys.binary_search(&y).is_ok(),
        }
    }

    /// [`Reducer::add_luma`] for 8-bit pixels of `channels` samples: 1 (grey), 2 (grey + alpha),
    /// 3 (RGB) or 4 (RGBA); alpha is composited over white.
    fn add(&mut self, y: usize, x0: usize, dx: usize, px: &[u8], channels: usize) {
        if !self.wants_row(y) {
            return;
        }
        let mut luma = std::mem::take(&mut self.row);
        luma.clear();
        match channels {
            1 => luma.extend(px.iter().map(|&v| f32::from(v))),
            2 => luma.extend(
                px.chunks_exact(2)
                    .map(|p| over_white(f32::from(p[0]), p[1])),
            ),
            3 => luma.extend(px.chunks_exact(3).map(|p| rgb_to_luma(p[0], p[1], p[2]))),
            _ => luma.extend(px.chunks_exact(4).map(rgba_luma)),
        }
        self.add_luma(y, x0, dx, &luma);
        self.row = luma;
    }

    fn finish(self) -> LumaImage {
        match self.kind {
            Reduce::Bin {
                shift,
                ow,
                oh,
                sums,
            } => {
                let scale = 1.0 / f64::from(1u32 << (2 * shift));
                LumaImage {
                    width: ow,
                    height: oh,
                    data: sums.iter().map(|&s| (s * scale) as f32).collect(),
                }
            }
            Reduce::Sample { xs, ys, data } => LumaImage {
                width: xs.len(),
                height: ys.len(),
                data,
            },
        }
    }
}

fn png_err(e: png::DecodingError, limits: &DecodeLimits) -> Error {
    match e {
        png::DecodingError::LimitsExceeded => Error::ImageMemoryLimit {
            limit: limits.max_alloc_bytes,
        },
        _ => Error::ImageDecode {
            format: "png",
            reason: e.to_string(),
        },
    }
}

fn truncated(format: ImageFormat) -> Error {
    Error::ImageDecode {
        format: format.name(),
        reason: "image data ends early".into(),
    }
}

/// Adam7's seven passes: first column, column step, first row, row step.
const ADAM7: [(usize, usize, usize, usize); 7] = [
    (0, 8, 0, 8),
    (4, 8, 0, 8),
    (0, 4, 4, 8),
    (2, 4, 0, 4),
    (0, 2, 2, 4),
    (1, 2, 0, 2),
    (0, 1, 1, 2),
];

/// PNG, streamed row by row (interlaced images pass by pass) into a [`Reducer`]: one decoded row
/// and the reduced image are in memory, whatever the image's size. Non-interlaced files are read
/// only as far as the reduction needs.
///
/// Palette, low bit depths and `tRNS` are expanded by `png`; 16-bit samples are rounded to 8 bits
/// and the pixels taken as RGBA, as `image`'s `DynamicImage` does (the tests compare the two).
fn stream_png(bytes: &[u8], limits: &DecodeLimits, mode: Mode) -> Result<LumaImage, Error> {
    let png_limits = png::Limits {
        bytes: usize::try_from(limits.max_alloc_bytes).unwrap_or(usize::MAX),
    };
    let mut dec = png::Decoder::new_with_limits(std::io::Cursor::new(bytes), png_limits);
    dec.set_transformations(png::Transformations::EXPAND);
    let mut reader = dec.read_info().map_err(|e| png_err(e, limits))?;
    let info = reader.info();
    let (w, h) = (info.width as usize, info.height as usize);
    check_declared(w as u64, h as u64, limits)?;
    let interlaced = info.interlaced;
    let orientation = orientation(mode, info.exif_metadata.as_deref());
    let (color, depth) = reader.output_color_type();
    if color == png::ColorType::Indexed {
        return Err(codec_err(ImageFormat::Png, "palette not expanded"));
    }
    let sixteen = depth == png::BitDepth::Sixteen;
    let samples = color.samples();
    let channels = if sixteen { 4 } else { samples };
    let mut red = Reducer::new(w, h, mode, limits)?;
    let mut rgba = Vec::new();
    let mut add = |red: &mut Reducer, y: usize, x0: usize, dx: usize, data: &[u8], n: usize| {
        let data = &data[..(n * samples * if sixteen { 2 } else { 1 }).min(data.len())];
        if sixteen {
            rgba.clear();
            rgba.extend(data.chunks_exact(2 * samples).flat_map(|p| {
                let s = |i: usize| {
                    let v = u32::from(u16::from_be_bytes([p[2 * i], p[2 * i + 1]]));
                    ((v + 128) / 257) as u8
                };
                match samples {
                    1 => [s(0), s(0), s(0), 255],
                    2 => [s(0), s(0), s(0), s(1)],
                    3 => [s(0), s(1), s(2), 255],
                    _ => [s(0), s(1), s(2), s(3)],
                }
            }));
            red.add(y, x0, dx, &rgba, channels);
        } else {
            red.add(y, x0, dx, data, channels);
        }
    };
    if !interlaced {
        for y in 0..red.rows_needed() {
            let row = reader
                .next_row()
                .map_err(|e| png_err(e, limits))?
                .ok_or_else(|| truncated(ImageFormat::Png))?;
            add(&mut red, y, 0, 1, row.data(), w);
        }
    } else {
        for (pass, &(x0, dx, y0, dy)) in (1u8..).zip(ADAM7.iter()) {
            let n = w.saturating_sub(x0).div_ceil(dx);
            let lines = h.saturating_sub(y0).div_ceil(dy);
            if n == 0 {
                continue;
            }
            for line in 0..lines {
                let row = reader
                    .next_interlaced_row()
                    .map_err(|e| png_err(e, limits))?
                    .ok_or_else(|| truncated(ImageFormat::Png))?;
                // The row order is ours; `png` says which pass and line each row is: they agree.
                let expected = png::Adam7Info::new(pass, line as u32, w as u32);
                if !matches!(row.interlace(), png::InterlaceInfo::Adam7(i) if *i == expected) {
                    return Err(codec_err(
                        ImageFormat::Png,
                        "unexpected interlaced row order",
                    ));
                }
                add(&mut red, y0 + line * dy, x0, dx, row.data(), n);
            }
        }
    }
    Ok(orient(red.finish(), orientation))
}

/// Luma of an RGBA pixel composited over white.
#[inline]
fn rgba_luma(p: &[u8]) -> f32 {
    if p[3] == 255 {
        rgb_to_luma(p[0], p[1], p[2])
    } else {
        LUMA_R * over_white(f32::from(p[0]), p[3])
            + LUMA_G * over_white(f32::from(p[1]), p[3])
            + LUMA_B * over_white(f32::from(p[2]), p[3])
    }
}

fn codec_err(format: ImageFormat, e: impl std::fmt::Display) -> Error {
    Error::ImageDecode {
        format: format.name(),
        reason: e.to_string(),
    }
}

/// PNG, WebP, GIF and BMP to reduced luma (JPEG has its own path, [`decode_jpeg`]).
fn decode_lossless(
    bytes: &[u8],
    format: ImageFormat,
    limits: &DecodeLimits,
    mode: Mode,
) -> Result<LumaImage, Error> {
    match format {
        ImageFormat::Png => stream_png(bytes, limits, mode),
        ImageFormat::WebP => decode_webp(bytes, limits, mode),
        ImageFormat::Gif => stream_gif(bytes, limits, mode),
        ImageFormat::Bmp => decode_bmp(bytes, limits, mode, BMP_STRIP_BYTES),
        ImageFormat::Jpeg => Err(Error::UnsupportedImageFormat),
    }
}

/// A whole decoded image in 8 bits per sample: 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA)
/// channels.
struct Pixels8 {
    width: usize,
    height: usize,
    channels: usize,
    data: Vec<u8>,
}

/// `len` bytes for a decoder's output, after checking them against the limits.
fn output_buffer(len: Option<u64>, limits: &DecodeLimits) -> Result<Vec<u8>, Error> {
    let len = len.unwrap_or(u64::MAX);
    check_alloc(len, limits)?;
    let len = usize::try_from(len).map_err(|_| Error::ImageMemoryLimit {
        limit: limits.max_alloc_bytes,
    })?;
    Ok(vec![0; len])
}

/// WebP. Lossy, opaque, still images (the usual photo) are hashed from the VP8 luma plane that
/// `image-webp`'s VP8 decoder produces (1.5 bytes a pixel with the chroma planes, instead of 4.5
/// for the planes plus an RGB copy). Lossless, alpha and animated files, and reference mode, go
/// through `image-webp`'s RGB(A) output (about 8 bytes a pixel at the peak, within
/// [`DecodeLimits::max_alloc_bytes`]).
fn decode_webp(bytes: &[u8], limits: &DecodeLimits, mode: Mode) -> Result<LumaImage, Error> {
    let err = |e: image_webp::DecodingError| match e {
        image_webp::DecodingError::MemoryLimitExceeded => Error::ImageMemoryLimit {
            limit: limits.max_alloc_bytes,
        },
        e => codec_err(ImageFormat::WebP, e),
    };
    let mut dec = image_webp::WebPDecoder::new(std::io::Cursor::new(bytes)).map_err(err)?;
    dec.set_memory_limit(usize::try_from(limits.max_alloc_bytes).unwrap_or(usize::MAX));
    let (w, h) = dec.dimensions();
    let (w, h) = (w as usize, h as usize);
    check_declared(w as u64, h as u64, limits)?;
    // A broken or absurd EXIF block only loses the orientation, never the image.
    let orientation = orientation(mode, dec.exif_metadata().ok().flatten().as_deref());
    let luma_plane = mode == Mode::Fast && dec.is_lossy() && !dec.has_alpha() && !dec.is_animated();
    if let Some(vp8) = riff_chunk(bytes, *b"VP8 ").filter(|_| luma_plane) {
        return Ok(orient(
            webp_luma_plane(bytes, vp8, w, h, limits, mode)?,
            orientation,
        ));
    }
    let channels = if dec.has_alpha() { 4 } else { 3 };
    // `image-webp` decodes lossless images to RGBA before dropping alpha: count both buffers.
    let out = (w * h * channels) as u64;
    check_alloc(
        out + if dec.is_lossy() {
            out / 2
        } else {
            (w * h * 4) as u64
        },
        limits,
    )?;
    let mut buf = output_buffer(dec.output_buffer_size().map(|n| n as u64), limits)?;
    dec.read_image(&mut buf).map_err(err)?;
    let img = Pixels8 {
        width: w,
        height: h,
        channels,
        data: buf,
    };
    Ok(orient(luma_from_pixels(&img, mode, limits)?, orientation))
}

/// Where the data of the first top-level chunk `fourcc` of a RIFF file is (`None` if absent or cut
/// short).
fn riff_chunk(bytes: &[u8], fourcc: [u8; 4]) -> Option<std::ops::Range<usize>> {
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let size = le32(bytes, at + 4)? as usize;
        let data = at + 8..(at + 8).checked_add(size)?;
        if data.end > bytes.len() {
            return None;
        }
        if bytes[at..at + 4] == fourcc {
            return Some(data);
        }
        at = data.end + (size & 1);
    }
    None
}

/// Luma of a lossy WebP from its VP8 luma plane: `(Y - 16) x 255 / 219`, saturated, the Y term of
/// the BT.601 conversion that `image-webp` (and libwebp) apply to produce RGB. It equals the
/// Rec. 601 luma of that RGB up to rounding, except where the conversion clips a saturated
/// colour; `tests/image_formats.rs` measures the distance on the fixtures.
fn webp_luma_plane(
    bytes: &[u8],
    chunk: std::ops::Range<usize>,
    w: usize,
    h: usize,
    limits: &DecodeLimits,
    mode: Mode,
) -> Result<LumaImage, Error> {
    // The frame header's size (the VP8 decoder allocates by it): it must be the one declared.
    let vp8 = &bytes[chunk.clone()];
    let header = vp8.get(3..10).filter(|b| b[..3] == [0x9d, 0x01, 0x2a]);
    let size = header.map(|b| {
        let v = |i: usize| usize::from(u16::from_le_bytes([b[i], b[i + 1]]) & 0x3fff);
        (v(3), v(5))
    });
    if size != Some((w, h)) {
        return Err(codec_err(
            ImageFormat::WebP,
            "VP8 frame size differs from the header",
        ));
    }
    let stride = w.div_ceil(16) * 16;
    check_alloc((stride * h.div_ceil(16) * 16) as u64 * 3 / 2, limits)?;
    // Read through the same reader type as `image-webp`'s own lossy path (a `Take` of the file's
    // cursor), so that the WebAssembly build carries one copy of the VP8 decoder, not two.
    let mut file = std::io::Cursor::new(bytes);
    file.set_position(chunk.start as u64);
    let frame = image_webp::vp8::Vp8Decoder::decode_frame(std::io::Read::take(
        &mut file,
        chunk.len() as u64,
    ))
    .map_err(|e| codec_err(ImageFormat::WebP, e))?;
    if (usize::from(frame.width), usize::from(frame.height)) != (w, h)
        || frame.ybuf.len() < stride * (h - 1) + w
    {
        return Err(codec_err(
            ImageFormat::WebP,
            "VP8 frame size differs from the header",
        ));
    }
    let mut red = Reducer::new(w, h, mode, limits)?;
    let mut luma = Vec::with_capacity(w);
    for y in 0..red.rows_needed() {
        luma.clear();
        luma.extend(
            frame.ybuf[y * stride..y * stride + w]
                .iter()
                .map(|&v| ((f32::from(v) - 16.0) * (255.0 / 219.0)).clamp(0.0, 255.0)),
        );
        red.add_luma(y, 0, 1, &luma);
    }
    Ok(red.finish())
}

/// The first frame of a GIF on its logical screen (transparent black outside the frame, as
/// `image`'s GIF decoder places it), streamed row by row (interlaced frames pass by pass) into a
/// [`Reducer`]: one frame row and one screen row in memory.
fn stream_gif(bytes: &[u8], limits: &DecodeLimits, mode: Mode) -> Result<LumaImage, Error> {
    let err = |e: gif::DecodingError| codec_err(ImageFormat::Gif, e);
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    let mut dec = opts.read_info(std::io::Cursor::new(bytes)).map_err(err)?;
    let (width, height) = (usize::from(dec.width()), usize::from(dec.height()));
    check_declared(width as u64, height as u64, limits)?;
    let mut red = Reducer::new(width, height, mode, limits)?;
    let frame = dec
        .next_frame_info()
        .map_err(err)?
        .ok_or(Error::ImageDecode {
            format: "gif",
            reason: "no image data".into(),
        })?;
    let (left, top) = (usize::from(frame.left), usize::from(frame.top));
    let (fw, fh) = (usize::from(frame.width), usize::from(frame.height));
    // Every row of the frame is decoded, on the screen or not: bound the work as the screen's.
    if (fw * fh) as u64 > limits.max_pixels {
        return Err(Error::ImageTooLarge {
            width: fw as u64,
            height: fh as u64,
            limit: limits.max_pixels,
        });
    }
    // The frame's rows in file order: four passes when interlaced.
    let rows: Vec<usize> = if frame.interlaced {
        [(0, 8), (4, 8), (2, 4), (1, 2)]
            .iter()
            .flat_map(|&(start, step)| (start..fh).step_by(step))
            .collect()
    } else {
        (0..fh).collect()
    };
    let mut frame_row = vec![0u8; fw * 4];
    let mut screen_row = vec![0u8; width * 4];
    let on_screen = left.min(width)..(left + fw).min(width);
    for fy in rows {
        if !dec.fill_buffer(&mut frame_row).map_err(err)? {
            return Err(truncated(ImageFormat::Gif));
        }
        screen_row[on_screen.start * 4..on_screen.end * 4]
            .copy_from_slice(&frame_row[..on_screen.len() * 4]);
        red.add(top + fy, 0, 1, &screen_row, 4);
    }
    screen_row.fill(0);
    for y in (0..top.min(height)).chain((top + fh).min(height)..height) {
        red.add(y, 0, 1, &screen_row, 4);
    }
    Ok(red.finish())
}

/// Bytes of file rows per strip when an uncompressed BMP is decoded in strips.
const BMP_STRIP_BYTES: usize = 1 << 20;

/// Where the rows of a BMP are: enough to cut it into strips.
struct BmpLayout {
    /// Offset of the pixel data (the headers, masks and palette come before it).
    data: usize,
    /// Bytes per file row (rows are padded to 4 bytes); 0 for RLE.
    stride: usize,
    /// Rows stored top row first (negative height).
    top_down: bool,
    /// A 12-byte `BITMAPCOREHEADER` (16-bit height) rather than a `BITMAPINFOHEADER` or later.
    core: bool,
    /// RLE-compressed: `Some(true)` for RLE4, `Some(false)` for RLE8.
    rle4: Option<bool>,
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The row layout of a BMP of width `w`; `None` for anything unusual (decoded whole).
fn bmp_layout(b: &[u8], w: usize) -> Option<BmpLayout> {
    let data = le32(b, 10)? as usize;
    let dib = le32(b, 14)?;
    let (bpp, compression, top_down, core) = if dib == 12 {
        (le16(b, 24)?, 0, false, true)
    } else if dib >= 40 {
        let height = le32(b, 22)? as i32;
        (le16(b, 28)?, le32(b, 30)?, height < 0, false)
    } else {
        return None;
    };
    let rle4 = match (compression, bpp) {
        // BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS: rows at fixed offsets.
        (0 | 3 | 6, 1 | 4 | 8 | 16 | 24 | 32) => None,
        (1, 8) => Some(false),
        (2, 4) => Some(true),
        _ => return None,
    };
    // The pixel data must start after the headers that a strip copies (and patches); anything
    // else takes the whole-image path.
    let headers_end = 14usize.checked_add(dib as usize)?;
    if data < headers_end || data > BMP_STRIP_BYTES || data > b.len() {
        return None;
    }
    Some(BmpLayout {
        data,
        stride: if rle4.is_some() {
            0
        } else {
            (w * usize::from(bpp)).div_ceil(32) * 4
        },
        top_down,
        core,
        rle4,
    })
}

/// Cuts the RLE stream of a `w x h` BMP into streams of whole rows, about `rows_per_strip` each,
/// that `image`'s decoder reads exactly as it reads the rows in the whole stream: `emit(stream,
/// first row, rows)` for each (rows in file order). A delta that moves down (`00 02 dx dy`, dy > 0)
/// is rewritten as what it does, `dy` ends of line then deltas to the right, so that every row
/// ends with an end of line and strips can be cut there. Returns how many rows the stream covers
/// (fewer than `h` when it ends with an end of file: the rest are zero).
fn rle_strips(
    stream: &[u8],
    rle4: bool,
    (w, h): (usize, usize),
    rows_per_strip: usize,
    mut emit: impl FnMut(&[u8], usize, usize) -> Result<(), Error>,
) -> Result<usize, Error> {
    let corrupt = || codec_err(ImageFormat::Bmp, "corrupt RLE data");
    let byte = |i: usize| {
        stream
            .get(i)
            .copied()
            .ok_or_else(|| truncated(ImageFormat::Bmp))
    };
    let (mut out, mut i, mut row, mut x, mut first) = (Vec::new(), 0, 0, 0, 0);
    while row < h {
        let (op, arg) = (byte(i)?, byte(i + 1)?);
        match (op, arg) {
            (0, 0) => {
                // End of line; a strip ends after enough rows.
                out.extend([0, 0]);
                i += 2;
                row += 1;
                x = 0;
                if row - first >= rows_per_strip || row == h {
                    emit(&out, first, row - first)?;
                    out.clear();
                    first = row;
                }
            }
            (0, 1) => {
                // End of file: the rest of this row and every later row are zero.
                out.extend([0, 1]);
                emit(&out, first, row + 1 - first)?;
                return Ok(row + 1);
            }
            (0, 2) => {
                let (dx, dy) = (usize::from(byte(i + 2)?), usize::from(byte(i + 3)?));
                i += 4;
                // As the codec: a delta zeroes the pixels it passes, and fails past the row's end.
                let to_x = x + dx;
                if (dy > 0 || dx > 0) && to_x > w {
                    return Err(corrupt());
                }
                for _ in 0..dy {
                    out.extend([0, 0]);
                    row += 1;
                    if row - first >= rows_per_strip && row < h {
                        emit(&out, first, row - first)?;
                        out.clear();
                        first = row;
                    }
                }
                if row >= h {
                    return Err(corrupt());
                }
                let mut left = if dy > 0 { to_x } else { dx };
                while left > 0 {
                    let d = left.min(255);
                    out.extend([0, 2, d as u8, 0]);
                    left -= d;
                }
                x = to_x;
            }
            (0, n) => {
                // Absolute run of n pixels (two a byte in RLE4), padded to 2 bytes.
                let len = if rle4 {
                    usize::from(n).div_ceil(2)
                } else {
                    usize::from(n)
                };
                let data = stream
                    .get(i + 2..i + 2 + len + (len & 1))
                    .ok_or_else(|| truncated(ImageFormat::Bmp))?;
                out.extend([0, n]);
                out.extend_from_slice(data);
                i += 2 + data.len();
                x += usize::from(n);
            }
            (n, _) => {
                out.extend([n, arg]);
                i += 2;
                x += usize::from(n);
            }
        }
    }
    Ok(h)
}

/// BMP through `image`'s BMP codec (RLE, bit fields, palettes, top-down rows), in strips: each
/// strip is handed to the codec as a small BMP of its own (the file's headers and palette with the
/// strip's height, then the strip's rows, or for RLE files the strip's part of the stream, see
/// [`rle_strips`]), so the codec's pixel conversions are kept and only about `strip_bytes` of
/// decoded rows exist at a time. Unusual files (headers the codec knows but we do not cut, a
/// palette over 1 MiB) are decoded whole, within [`DecodeLimits::max_alloc_bytes`].
fn decode_bmp(
    bytes: &[u8],
    limits: &DecodeLimits,
    mode: Mode,
    strip_bytes: usize,
) -> Result<LumaImage, Error> {
    let (w, h, channels) = {
        let (dec, channels) = bmp_decoder(bytes, limits)?;
        let (w, h) = image::ImageDecoder::dimensions(&dec);
        (w as usize, h as usize, channels)
    };
    let Some(layout) = bmp_layout(bytes, w) else {
        return luma_from_pixels(&whole_bmp(bytes, limits)?, mode, limits);
    };
    let mut red = Reducer::new(w, h, mode, limits)?;
    let mut strip = Vec::new();
    // One strip: `k` file rows from `r0`, stored as `rows` (raw rows or an RLE stream).
    let mut decode_strip = |rows: &[u8], r0: usize, k: usize| -> Result<(), Error> {
        strip.clear();
        strip.extend_from_slice(&bytes[..layout.data]);
        if layout.core {
            strip[20..22].copy_from_slice(&(k as u16).to_le_bytes());
        } else {
            let height = if layout.top_down {
                -(k as i32)
            } else {
                k as i32
            };
            strip[22..26].copy_from_slice(&height.to_le_bytes());
            strip[34..38].copy_from_slice(&(rows.len() as u32).to_le_bytes());
        }
        strip.extend_from_slice(rows);
        let img = whole_bmp(&strip, limits)?;
        if (img.width, img.height, img.channels) != (w, k, channels) {
            return Err(codec_err(ImageFormat::Bmp, "strip differs from the image"));
        }
        // File row r is image row r (top-down) or h - 1 - r (bottom-up); the strip's pixels come
        // out top row first either way.
        let top = if layout.top_down { r0 } else { h - r0 - k };
        for (j, row) in img.data.chunks_exact(w * channels).enumerate() {
            red.add(top + j, 0, 1, row, channels);
        }
        Ok(())
    };
    match layout.rle4 {
        None => {
            let rows_per_strip = (strip_bytes / layout.stride.max(1)).clamp(1, h);
            let mut r0 = 0;
            while r0 < h {
                let k = rows_per_strip.min(h - r0);
                let start = layout.data + r0 * layout.stride;
                let rows = bytes
                    .get(start..start + k * layout.stride)
                    .ok_or_else(|| truncated(ImageFormat::Bmp))?;
                decode_strip(rows, r0, k)?;
                r0 += k;
            }
        }
        Some(rle4) => {
            let rows_per_strip = (strip_bytes / (w * channels).max(1)).clamp(1, h);
            let stream = &bytes[layout.data..];
            let covered = rle_strips(stream, rle4, (w, h), rows_per_strip, &mut decode_strip)?;
            // After an end of file, the codec leaves every later row zero.
            let zero = vec![0u8; w * channels];
            for r in covered..h {
                let y = if layout.top_down { r } else { h - 1 - r };
                red.add(y, 0, 1, &zero, channels);
            }
        }
    }
    Ok(red.finish())
}

/// `image`'s BMP decoder for `bytes`, after the header checks, and its channel count.
type BmpDecoder<'a> = image::codecs::bmp::BmpDecoder<std::io::Cursor<&'a [u8]>>;

fn bmp_decoder<'a>(
    bytes: &'a [u8],
    limits: &DecodeLimits,
) -> Result<(BmpDecoder<'a>, usize), Error> {
    use image::ImageDecoder;
    let dec = image::codecs::bmp::BmpDecoder::new(std::io::Cursor::new(bytes))
        .map_err(|e| bmp_err(e, limits))?;
    let (w, h) = dec.dimensions();
    check_declared(u64::from(w), u64::from(h), limits)?;
    if dec.color_type().bytes_per_pixel() != dec.color_type().channel_count() {
        return Err(Error::ImageDecode {
            format: "bmp",
            reason: "unexpected sample depth".into(),
        });
    }
    let channels = usize::from(dec.color_type().channel_count());
    Ok((dec, channels))
}

fn bmp_err(e: image::error::ImageError, limits: &DecodeLimits) -> Error {
    use image::error::{ImageError as E, LimitErrorKind};
    match e {
        E::Limits(l) => match l.kind() {
            LimitErrorKind::DimensionError => Error::ImageTooLarge {
                width: 0,
                height: 0,
                limit: u64::from(limits.max_dimension),
            },
            _ => Error::ImageMemoryLimit {
                limit: limits.max_alloc_bytes,
            },
        },
        E::Unsupported(_) => Error::ImageDecode {
            format: "bmp",
            reason: format!("unsupported feature: {e}"),
        },
        _ => codec_err(ImageFormat::Bmp, e),
    }
}

/// A whole BMP through `image`'s BMP codec alone.
fn whole_bmp(bytes: &[u8], limits: &DecodeLimits) -> Result<Pixels8, Error> {
    use image::ImageDecoder;
    let (dec, channels) = bmp_decoder(bytes, limits)?;
    let (w, h) = dec.dimensions();
    let mut buf = output_buffer(Some(dec.total_bytes()), limits)?;
    dec.read_image(&mut buf).map_err(|e| bmp_err(e, limits))?;
    Ok(Pixels8 {
        width: w as usize,
        height: h as usize,
        channels,
        data: buf,
    })
}

/// A whole decoded image to reduced luma (alpha composited over white): fast mode bins it down,
/// reference mode resizes it like the reference CLI.
fn luma_from_pixels(img: &Pixels8, mode: Mode, limits: &DecodeLimits) -> Result<LumaImage, Error> {
    let mut red = Reducer::new(img.width, img.height, mode, limits)?;
    let row_len = img.width * img.channels;
    for (y, row) in img
        .data
        .chunks_exact(row_len.max(1))
        .take(img.height)
        .enumerate()
    {
        red.add(y, 0, 1, row, img.channels);
    }
    Ok(red.finish())
}

/// Composites a channel value with alpha `a` over a white background.
#[inline]
fn over_white(v: f32, a: u8) -> f32 {
    let a = f32::from(a) / 255.0;
    v * a + 255.0 * (1.0 - a)
}

/// Applies an EXIF orientation (as `image`'s `DynamicImage::apply_orientation` does).
fn orient(img: LumaImage, o: Orientation) -> LumaImage {
    let (w, h) = (img.width, img.height);
    let src = &img.data;
    // Output dimensions and, for output (x, y), the input coordinates.
    let transposed = matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    );
    if o == Orientation::NoTransforms {
        return img;
    }
    let (ow, oh) = if transposed { (h, w) } else { (w, h) };
    let mut data = Vec::with_capacity(w * h);
    for y in 0..oh {
        for x in 0..ow {
            let (sx, sy) = match o {
                Orientation::Rotate90 => (y, h - 1 - x),
                Orientation::Rotate180 => (w - 1 - x, h - 1 - y),
                Orientation::Rotate270 => (w - 1 - y, x),
                Orientation::FlipHorizontal => (w - 1 - x, y),
                Orientation::FlipVertical => (x, h - 1 - y),
                Orientation::Rotate90FlipH => (y, x),
                Orientation::Rotate270FlipH => (w - 1 - y, h - 1 - x),
                Orientation::NoTransforms => (x, y),
            };
            data.push(src[sy * w + sx]);
        }
    }
    LumaImage {
        width: ow,
        height: oh,
        data,
    }
}

/// Decodes once for matching: the PDQ DCT of the image, and the decoded working-size image (turn it
/// into float luma with [`into_float_luma`] only when the near-duplicate views need it).
pub(crate) fn decode_for_matching(
    bytes: &[u8],
    limits: &DecodeLimits,
) -> Result<(pdq::Dct16, Decoded), Error> {
    let img = decode_luma(bytes, limits, Mode::Fast)?;
    let dct = dct_of(&img);
    Ok((dct, img))
}

/// The float luma of a decoded image (moved when it already is float luma).
pub(crate) fn into_float_luma(img: Decoded) -> LumaImage {
    match img {
        Decoded::Float(l) => l,
        Decoded::Bytes8 {
            width,
            height,
            channels,
            data,
        } => LumaImage {
            width,
            height,
            data: if channels == 1 {
                data.iter().map(|&v| f32::from(v)).collect()
            } else {
                data.chunks_exact(3)
                    .map(|p| pdq::rgb_to_luma(p[0], p[1], p[2]))
                    .collect()
            },
        },
    }
}

impl LumaImage {
    /// A borrowed view for the near-duplicate code.
    pub(crate) fn view(&self) -> super::near::LumaRef<'_> {
        super::near::LumaRef {
            data: &self.data,
            width: self.width,
            height: self.height,
            stride: self.width,
        }
    }
}

fn pdq_fast(bytes: &[u8], limits: &DecodeLimits) -> Result<pdq::Dct16, Error> {
    decode_for_matching(bytes, limits).map(|(dct, _)| dct)
}

fn dct_of(img: &Decoded) -> pdq::Dct16 {
    let (px, w, h, stride) = match img {
        Decoded::Float(l) => (pdq::Pixels::LumaF32(&l.data), l.width, l.height, l.width),
        Decoded::Bytes8 {
            width,
            height,
            channels,
            data,
        } => {
            let px = if *channels == 1 {
                pdq::Pixels::Luma8(data)
            } else {
                pdq::Pixels::Rgb8(data)
            };
            (px, *width, *height, width * channels)
        }
    };
    // The geometry is ours and consistent; an error here can only be an empty image, which the
    // decoders reject earlier. Hash it as the reference hashes a too-small image.
    pdq::dct16(px, w, h, stride).unwrap_or(pdq::Dct16 {
        coefs: [0.0; 256],
        quality: 0,
    })
}

/// PDQ hash and quality of an encoded image file (JPEG, PNG, WebP, GIF, BMP), with the default
/// [`DecodeLimits`].
///
/// Applies EXIF orientation, composites alpha over white, and hashes at a reduced working size
/// (shorter side about [`WORKING_MIN_SIDE`] pixels; JPEGs are decoded at that scale directly).
/// The result is within a few bits of the reference's full-resolution hash; use
/// [`pdq_from_bytes_reference_compatible`] to reproduce the reference command-line tool.
///
/// # Errors
/// [`Error::UnsupportedImageFormat`], [`Error::ImageDecode`] for truncated or corrupt files,
/// [`Error::ImageTooLarge`], [`Error::ImageMemoryLimit`] or [`Error::ImageInputTooLarge`] beyond
/// the limits, [`Error::ImageEmpty`] for zero-sized images.
///
/// # Examples
/// ```
/// use hashscreen::image::{pdq_from_bytes, pdq_from_luma};
/// // Encode a small greyscale PNG in memory, then hash the file.
/// let (w, h) = (200u32, 150u32);
/// let px: Vec<u8> = (0..w * h).map(|i| ((i % w) ^ (i / w)) as u8).collect();
/// let img = image::GrayImage::from_raw(w, h, px.clone()).unwrap();
/// let mut png = Vec::new();
/// img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
/// let pdq = pdq_from_bytes(&png)?;
/// assert_eq!(pdq, pdq_from_luma(&px, w as usize, h as usize, w as usize)?);
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn pdq_from_bytes(bytes: &[u8]) -> Result<Pdq, Error> {
    pdq_from_bytes_with_limits(bytes, &DecodeLimits::default())
}

/// [`pdq_from_bytes`] with explicit limits.
///
/// # Errors
/// As [`pdq_from_bytes`].
///
/// # Examples
/// ```
/// use hashscreen::image::{pdq_from_bytes_with_limits, DecodeLimits};
/// let limits = DecodeLimits { max_input_bytes: 10, ..DecodeLimits::default() };
/// assert!(pdq_from_bytes_with_limits(&[0u8; 11], &limits).is_err());
/// ```
pub fn pdq_from_bytes_with_limits(bytes: &[u8], limits: &DecodeLimits) -> Result<Pdq, Error> {
    pdq_fast(bytes, limits).map(|d| pdq::pdq_from_dct(&d))
}

/// The eight dihedral PDQ hashes of an encoded image file (one decode, one DCT), decoded as
/// [`pdq_from_bytes`] does.
///
/// # Errors
/// As [`pdq_from_bytes`].
///
/// # Examples
/// ```
/// use hashscreen::image::{pdq_dihedral_from_bytes, Dihedral};
/// assert!(pdq_dihedral_from_bytes(b"not an image").is_err());
/// ```
pub fn pdq_dihedral_from_bytes(bytes: &[u8]) -> Result<PdqDihedral, Error> {
    pdq_dihedral_from_bytes_with_limits(bytes, &DecodeLimits::default())
}

/// [`pdq_dihedral_from_bytes`] with explicit limits.
///
/// # Errors
/// As [`pdq_from_bytes`].
///
/// # Examples
/// ```
/// use hashscreen::image::{pdq_dihedral_from_bytes_with_limits, DecodeLimits};
/// assert!(pdq_dihedral_from_bytes_with_limits(b"GIF89a", &DecodeLimits::default()).is_err());
/// ```
pub fn pdq_dihedral_from_bytes_with_limits(
    bytes: &[u8],
    limits: &DecodeLimits,
) -> Result<PdqDihedral, Error> {
    pdq_fast(bytes, limits).map(|d| pdq::dihedral_from_dct(&d))
}

/// PDQ as Meta's reference command-line tool computes it: full-resolution decode, **no** EXIF
/// orientation, and images over 512 pixels in either dimension resized to 512x512 by nearest
/// neighbour before hashing.
///
/// Use it to compare with hashes that partners computed with the reference tool. JPEG pixels
/// differ slightly between decoders (the reference uses libjpeg-turbo), so expect a few bits of
/// distance on JPEGs; lossless formats give the reference's bits. Unlike the reference, alpha,
/// CMYK and palette inputs are accepted (alpha composited over white). Memory is that of a full
/// decode, bounded by the default [`DecodeLimits`].
///
/// # Errors
/// As [`pdq_from_bytes`].
///
/// # Examples
/// ```
/// use hashscreen::image::pdq_from_bytes_reference_compatible;
/// assert!(matches!(
///     pdq_from_bytes_reference_compatible(b"\x00\x01"),
///     Err(hashscreen::Error::UnsupportedImageFormat)
/// ));
/// ```
pub fn pdq_from_bytes_reference_compatible(bytes: &[u8]) -> Result<Pdq, Error> {
    let img = decode_luma(bytes, &DecodeLimits::default(), Mode::Reference)?;
    Ok(pdq::pdq_from_dct(&dct_of(&img)))
}

/// Decodes an image file the way the hashes see it: EXIF orientation applied, alpha composited
/// over white, converted to 8-bit greyscale (Rec. 601 luma) and reduced to the working size
/// (shorter side about [`WORKING_MIN_SIDE`] pixels, never upscaled).
///
/// # Errors
/// As [`pdq_from_bytes`].
///
/// # Examples
/// ```
/// use hashscreen::image::{decode_for_hashing, DecodeLimits};
/// let img = image::RgbImage::from_pixel(40, 30, image::Rgb([255, 0, 0]));
/// let mut bmp = Vec::new();
/// img.write_to(&mut std::io::Cursor::new(&mut bmp), image::ImageFormat::Bmp).unwrap();
/// let grey = decode_for_hashing(&bmp, &DecodeLimits::default())?;
/// assert_eq!(grey.dimensions(), (40, 30));
/// assert_eq!(grey.get_pixel(0, 0).0[0], 76); // 0.299 * 255
/// # Ok::<(), hashscreen::Error>(())
/// ```
pub fn decode_for_hashing(bytes: &[u8], limits: &DecodeLimits) -> Result<image::GrayImage, Error> {
    let to_u8 = |v: f32| v.round().clamp(0.0, 255.0) as u8;
    let (w, h, px): (usize, usize, Vec<u8>) = match decode_luma(bytes, limits, Mode::Fast)? {
        Decoded::Float(l) => (
            l.width,
            l.height,
            l.data.iter().map(|&v| to_u8(v)).collect(),
        ),
        Decoded::Bytes8 {
            width,
            height,
            channels,
            data,
        } => {
            let px = if channels == 1 {
                data
            } else {
                data.chunks_exact(3)
                    .map(|p| to_u8(rgb_to_luma(p[0], p[1], p[2])))
                    .collect()
            };
            (width, height, px)
        }
    };
    let found = px.len();
    let (w32, h32) = (
        u32::try_from(w).unwrap_or(u32::MAX),
        u32::try_from(h).unwrap_or(u32::MAX),
    );
    image::GrayImage::from_raw(w32, h32, px).ok_or(Error::ImageBufferMismatch {
        expected: w * h,
        found,
    })
}

/// The whole-image path against the `image`-crate path it replaced (kept here as the oracle; the
/// `image` dev-dependency has every codec): the same float luma, bit for bit, in both modes.
#[cfg(test)]
mod oracle {
    use super::*;
    use image::{DynamicImage, ImageDecoder, ImageEncoder};

    /// `image`'s generic reader and `DynamicImage` (the path the codec calls replaced), then the same
    /// reduction.
    fn via_image(bytes: &[u8], mode: Mode) -> LumaImage {
        let mut dec = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .unwrap()
            .into_decoder()
            .unwrap();
        let o = match mode {
            Mode::Fast => dec
                .orientation()
                .unwrap_or(image::metadata::Orientation::NoTransforms),
            Mode::Reference => image::metadata::Orientation::NoTransforms,
        };
        let img = DynamicImage::from_decoder(dec).unwrap();
        let (w, h) = (img.width() as usize, img.height() as usize);
        let (channels, data) = match &img {
            DynamicImage::ImageLuma8(b) => (1, b.as_raw().clone()),
            DynamicImage::ImageLumaA8(b) => (2, b.as_raw().clone()),
            DynamicImage::ImageRgb8(b) => (3, b.as_raw().clone()),
            DynamicImage::ImageRgba8(b) => (4, b.as_raw().clone()),
            other => (4, other.to_rgba8().into_raw()),
        };
        let luma = luma_from_pixels(
            &Pixels8 {
                width: w,
                height: h,
                channels,
                data,
            },
            mode,
            &DecodeLimits::default(),
        )
        .unwrap();
        // `image`'s orientation names, mapped onto ours.
        let o = Orientation::from_exif_chunk(&exif(o.to_exif().into())).unwrap();
        orient(luma, o)
    }

    /// A little-endian EXIF block holding one orientation entry.
    fn exif(value: u16) -> Vec<u8> {
        let mut b = b"II\x2a\x00\x08\x00\x00\x00\x01\x00".to_vec();
        b.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0]);
        b.extend(value.to_le_bytes());
        b.extend([0, 0]);
        b
    }

    fn check(name: &str, bytes: &[u8], format: ImageFormat) {
        for mode in [Mode::Fast, Mode::Reference] {
            let ours = decode_lossless(bytes, format, &DecodeLimits::default(), mode).unwrap();
            assert_same(&ours, &via_image(bytes, mode), name);
        }
    }

    /// The same size and the same luma, bit for bit.
    fn assert_same(a: &LumaImage, b: &LumaImage, what: &str) {
        assert_eq!((a.width, a.height), (b.width, b.height), "{what}");
        let same = a
            .data
            .iter()
            .zip(&b.data)
            .all(|(p, q)| p.to_bits() == q.to_bits());
        assert!(same, "{what}: luma differs");
    }

    /// A gradient with structure in every channel; `w x h` pixels of `channels` samples.
    fn pattern(w: u32, h: u32, channels: usize, max: u32) -> Vec<u32> {
        let mut v = Vec::new();
        for y in 0..h {
            for x in 0..w {
                for c in 0..channels as u32 {
                    v.push(((x * 7 + y * 13 + c * 50 + (x ^ y) * 3) * 97) % (max + 1));
                }
            }
        }
        v
    }

    fn png(
        w: u32,
        h: u32,
        color: image::ExtendedColorType,
        channels: usize,
        sixteen: bool,
    ) -> Vec<u8> {
        let raw: Vec<u8> = if sixteen {
            pattern(w, h, channels, 65535)
                .iter()
                .flat_map(|&s| (s as u16).to_ne_bytes())
                .collect()
        } else {
            pattern(w, h, channels, 255)
                .iter()
                .map(|&s| s as u8)
                .collect()
        };
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out)
            .write_image(&raw, w, h, color)
            .unwrap();
        out
    }

    #[test]
    fn png_whole_image_path() {
        use image::ExtendedColorType as C;
        for (w, h) in [(40, 30), (600, 520)] {
            for (color, ch, sixteen) in [
                (C::L8, 1, false),
                (C::La8, 2, false),
                (C::Rgb8, 3, false),
                (C::Rgba8, 4, false),
                (C::L16, 1, true),
                (C::La16, 2, true),
                (C::Rgb16, 3, true),
                (C::Rgba16, 4, true),
            ] {
                let bytes = png(w, h, color, ch, sixteen);
                check(&format!("png {color:?} {w}x{h}"), &bytes, ImageFormat::Png);
            }
        }
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/images/pdq-png");
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "png") {
                let bytes = std::fs::read(&p).unwrap();
                check(&p.display().to_string(), &bytes, ImageFormat::Png);
            }
        }
    }

    /// Our decode of `a` and `b`, in both modes, bit for bit.
    fn same_luma(name: &str, a: &[u8], b: &[u8], format: ImageFormat) {
        for mode in [Mode::Fast, Mode::Reference] {
            let x = decode_lossless(a, format, &DecodeLimits::default(), mode).unwrap();
            let y = decode_lossless(b, format, &DecodeLimits::default(), mode).unwrap();
            assert_same(&x, &y, name);
        }
    }

    /// An Adam7-interlaced PNG of `raw` (`bpp` bytes a pixel): `png` writes only non-interlaced
    /// data, so the passes are laid out and compressed here.
    fn png_adam7(
        w: usize,
        h: usize,
        ihdr_colour: u8,
        depth: u8,
        bpp: usize,
        raw: &[u8],
    ) -> Vec<u8> {
        fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
            out.extend((data.len() as u32).to_be_bytes());
            let mut h = crc32fast::Hasher::new();
            h.update(kind);
            h.update(data);
            out.extend(kind);
            out.extend(data);
            out.extend(h.finalize().to_be_bytes());
        }
        let mut data = Vec::new();
        for (x0, dx, y0, dy) in ADAM7 {
            if w <= x0 {
                continue;
            }
            for y in (y0..h).step_by(dy) {
                data.push(0);
                for x in (x0..w).step_by(dx) {
                    data.extend(&raw[(y * w + x) * bpp..][..bpp]);
                }
            }
        }
        let mut ihdr = Vec::new();
        ihdr.extend((w as u32).to_be_bytes());
        ihdr.extend((h as u32).to_be_bytes());
        ihdr.extend([depth, ihdr_colour, 0, 0, 1]);
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        chunk(&mut out, b"IHDR", &ihdr);
        chunk(&mut out, b"IDAT", &fdeflate::compress_to_vec(&data));
        chunk(&mut out, b"IEND", &[]);
        out
    }

    /// Interlaced PNGs (rows in seven passes) reduce exactly as their non-interlaced copies, and
    /// as `image` decodes them; sizes cover empty passes, binning and the reference resize.
    #[test]
    fn png_interlaced() {
        use image::ExtendedColorType as C;
        for (w, h) in [(1, 1), (3, 2), (5, 9), (40, 30), (600, 520), (1100, 530)] {
            for (color, ihdr_colour, ch, sixteen) in [
                (C::L8, 0, 1, false),
                (C::La8, 4, 2, false),
                (C::Rgb8, 2, 3, false),
                (C::Rgba8, 6, 4, false),
                (C::L16, 0, 1, true),
                (C::Rgba16, 6, 4, true),
            ] {
                let plain = png(w, h, color, ch, sixteen);
                let raw: Vec<u8> = if sixteen {
                    pattern(w, h, ch, 65535)
                        .iter()
                        .flat_map(|&s| (s as u16).to_be_bytes())
                        .collect()
                } else {
                    pattern(w, h, ch, 255).iter().map(|&s| s as u8).collect()
                };
                let (depth, bpp) = if sixteen { (16, 2 * ch) } else { (8, ch) };
                let adam7 = png_adam7(w as usize, h as usize, ihdr_colour, depth, bpp, &raw);
                let name = format!("interlaced png {color:?} {w}x{h}");
                same_luma(&name, &adam7, &plain, ImageFormat::Png);
                check(&name, &adam7, ImageFormat::Png);
            }
        }
    }

    /// Interlaced GIF frames (rows in four passes) reduce exactly as non-interlaced ones.
    #[test]
    fn gif_interlaced() {
        for (w, h) in [(1, 1), (7, 5), (64, 48), (600, 520), (700, 530)] {
            let palette: Vec<u8> = (0..256u32)
                .flat_map(|i| [(i * 7) as u8, (i * 13 + 40) as u8, (255 - i) as u8])
                .collect();
            let pixels: Vec<u8> = pattern(w, h, 1, 255).iter().map(|&s| s as u8).collect();
            let encode = |interlaced: bool| {
                let (wu, hu) = (w as usize, h as usize);
                let order: Vec<usize> = if interlaced {
                    [(0, 8), (4, 8), (2, 4), (1, 2)]
                        .iter()
                        .flat_map(|&(s, d)| (s..hu).step_by(d))
                        .collect()
                } else {
                    (0..hu).collect()
                };
                let buffer: Vec<u8> = order
                    .iter()
                    .flat_map(|&y| pixels[y * wu..(y + 1) * wu].iter().copied())
                    .collect();
                let mut frame = gif::Frame::from_indexed_pixels(w as u16, h as u16, buffer, None);
                frame.interlaced = interlaced;
                let mut out = Vec::new();
                {
                    let mut enc =
                        gif::Encoder::new(&mut out, w as u16, h as u16, &palette).unwrap();
                    enc.write_frame(&frame).unwrap();
                }
                out
            };
            let (interlaced, plain) = (encode(true), encode(false));
            let name = format!("interlaced gif {w}x{h}");
            same_luma(&name, &interlaced, &plain, ImageFormat::Gif);
            check(&name, &interlaced, ImageFormat::Gif);
        }
    }

    /// The bins do not depend on the order rows arrive in, nor on how a row is split in runs.
    #[test]
    fn bins_are_exact_in_any_row_order() {
        let (w, h) = (1030, 777);
        let px: Vec<u8> = pattern(w as u32, h as u32, 4, 255)
            .iter()
            .map(|&s| s as u8)
            .collect();
        let limits = DecodeLimits::default();
        let row = |y: usize| &px[y * w * 4..(y + 1) * w * 4];
        let mut forward = Reducer::new(w, h, Mode::Fast, &limits).unwrap();
        for y in 0..h {
            forward.add(y, 0, 1, row(y), 4);
        }
        let mut scattered = Reducer::new(w, h, Mode::Fast, &limits).unwrap();
        for y in (0..h)
            .rev()
            .step_by(2)
            .chain((0..h).rev().skip(1).step_by(2))
        {
            // Odd columns first, then even ones, as an interlaced decoder would deliver them.
            let odd: Vec<u8> = row(y)
                .chunks(4)
                .skip(1)
                .step_by(2)
                .flatten()
                .copied()
                .collect();
            let even: Vec<u8> = row(y).chunks(4).step_by(2).flatten().copied().collect();
            scattered.add(y, 1, 2, &odd, 4);
            scattered.add(y, 0, 2, &even, 4);
        }
        let (a, b) = (forward.finish(), scattered.finish());
        assert_eq!((a.width, a.height), (515, 388));
        assert!(a
            .data
            .iter()
            .zip(&b.data)
            .all(|(p, q)| p.to_bits() == q.to_bits()));
        // Not a trivial image: the bins differ.
        assert!(a.data.iter().any(|&v| v != a.data[0]));
    }

    #[test]
    fn webp() {
        for (w, h) in [(40, 30), (600, 520)] {
            for (color, ch) in [
                (image::ExtendedColorType::Rgb8, 3),
                (image::ExtendedColorType::Rgba8, 4),
            ] {
                let raw: Vec<u8> = pattern(w, h, ch, 255).iter().map(|&s| s as u8).collect();
                let mut out = Vec::new();
                image::codecs::webp::WebPEncoder::new_lossless(&mut out)
                    .write_image(&raw, w, h, color)
                    .unwrap();
                check(&format!("webp {color:?} {w}x{h}"), &out, ImageFormat::WebP);
            }
        }
        // Lossy (VP8) and with EXIF orientation: a fixture made by the WebP encoder of libwebp
        // is not at hand, so the lossless file gets an EXIF chunk through image-webp's encoder.
        let raw: Vec<u8> = pattern(300, 200, 3, 255).iter().map(|&s| s as u8).collect();
        let mut out = Vec::new();
        let mut enc = image_webp::WebPEncoder::new(&mut out);
        enc.set_exif_metadata(exif(6));
        enc.encode(&raw, 300, 200, image_webp::ColorType::Rgb8)
            .unwrap();
        check("webp with EXIF orientation 6", &out, ImageFormat::WebP);
        let ours = decode_lossless(
            &out,
            ImageFormat::WebP,
            &DecodeLimits::default(),
            Mode::Fast,
        )
        .unwrap();
        assert_eq!((ours.width, ours.height), (200, 300), "orientation applied");
    }

    #[test]
    fn gif_frames_on_the_screen() {
        use image::codecs::gif::GifEncoder;
        use image::{Delay, Frame, RgbaImage};
        for (sw, sh, left, top, fw, fh) in [
            (64, 48, 0, 0, 64, 48),
            (64, 48, 0, 10, 64, 20),
            (64, 48, 5, 7, 30, 20),
            (300, 280, 40, 0, 300, 280),
        ] {
            let raw: Vec<u8> = pattern(fw, fh, 4, 255)
                .iter()
                .enumerate()
                .map(|(i, &s)| {
                    if i % 4 == 3 {
                        if s > 40 {
                            255
                        } else {
                            0
                        }
                    } else {
                        s as u8
                    }
                })
                .collect();
            let frame = Frame::from_parts(
                RgbaImage::from_raw(fw, fh, raw).unwrap(),
                left,
                top,
                Delay::from_numer_denom_ms(100, 1),
            );
            let mut out = Vec::new();
            {
                let mut enc = GifEncoder::new(&mut out);
                enc.encode_frame(frame).unwrap();
            }
            // The encoder sizes the screen to the frame; set the logical screen size by hand.
            out[6..8].copy_from_slice(&(sw as u16).to_le_bytes());
            out[8..10].copy_from_slice(&(sh as u16).to_le_bytes());
            check(
                &format!("gif {fw}x{fh} at {left},{top} on {sw}x{sh}"),
                &out,
                ImageFormat::Gif,
            );
        }
    }

    /// A bottom-up BMP (`BITMAPINFOHEADER` or later) rewritten top-down: rows reversed, negative
    /// height.
    fn top_down(bmp: &[u8]) -> Vec<u8> {
        let data = le32(bmp, 10).unwrap() as usize;
        let w = le32(bmp, 18).unwrap() as usize;
        let h = le32(bmp, 22).unwrap() as usize;
        let stride = (w * usize::from(le16(bmp, 28).unwrap())).div_ceil(32) * 4;
        let mut out = bmp[..data].to_vec();
        out[22..26].copy_from_slice(&(-(h as i32)).to_le_bytes());
        for r in (0..h).rev() {
            out.extend_from_slice(&bmp[data + r * stride..data + (r + 1) * stride]);
        }
        out
    }

    /// An OS/2-style BMP (12-byte `BITMAPCOREHEADER`), 24 bits or 8 bits with a grey-ish palette.
    fn core_bmp(w: usize, h: usize, bpp: u16) -> Vec<u8> {
        let palette: Vec<u8> = if bpp == 8 {
            (0..=255u8).flat_map(|i| [i, i / 2, 255 - i]).collect()
        } else {
            Vec::new()
        };
        let stride = (w * usize::from(bpp)).div_ceil(32) * 4;
        let data = 26 + palette.len();
        let mut out = b"BM".to_vec();
        out.extend(((data + stride * h) as u32).to_le_bytes());
        out.extend([0, 0, 0, 0]);
        out.extend((data as u32).to_le_bytes());
        out.extend(12u32.to_le_bytes());
        out.extend((w as u16).to_le_bytes());
        out.extend((h as u16).to_le_bytes());
        out.extend(1u16.to_le_bytes());
        out.extend(bpp.to_le_bytes());
        out.extend(&palette);
        let px = pattern(w as u32, h as u32, 3, 255);
        for y in 0..h {
            let mut row: Vec<u8> = if bpp == 8 {
                (0..w).map(|x| px[(y * w + x) * 3] as u8).collect()
            } else {
                px[y * w * 3..(y + 1) * w * 3]
                    .iter()
                    .map(|&v| v as u8)
                    .collect()
            };
            row.resize(stride, 0);
            out.extend(row);
        }
        out
    }

    /// An RLE8 BMP (`BITMAPINFOHEADER`, 256-colour palette) with the given stream.
    fn rle8_bmp(w: usize, h: usize, stream: &[u8]) -> Vec<u8> {
        let palette: Vec<u8> = (0..=255u8).flat_map(|i| [i, 255 - i, i / 3, 0]).collect();
        let data = 14 + 40 + palette.len();
        let mut out = b"BM".to_vec();
        out.extend(((data + stream.len()) as u32).to_le_bytes());
        out.extend([0, 0, 0, 0]);
        out.extend((data as u32).to_le_bytes());
        out.extend(40u32.to_le_bytes());
        out.extend((w as i32).to_le_bytes());
        out.extend((h as i32).to_le_bytes());
        out.extend(1u16.to_le_bytes());
        out.extend(8u16.to_le_bytes());
        out.extend(1u32.to_le_bytes()); // BI_RLE8
        out.extend((stream.len() as u32).to_le_bytes());
        out.extend([0; 8]);
        out.extend(256u32.to_le_bytes());
        out.extend(0u32.to_le_bytes());
        out.extend(&palette);
        out.extend(stream);
        out
    }

    /// RLE8 streams for a `w x h` image that use every instruction: runs (some longer than the
    /// row, which the codec clamps), absolute runs (odd lengths padded), deltas right and down
    /// (several rows at once), and an early end of file.
    fn rle8_streams(w: usize, h: usize) -> Vec<(String, Vec<u8>)> {
        // One stream per row, each ending with an end of line.
        let rows: Vec<Vec<u8>> = (0..h)
            .map(|y| {
                let mut s = Vec::new();
                let mut x = 0;
                while x < w {
                    let n = (7 + (x * 3 + y * 5) % 90).min(w - x);
                    if (x + y) % 3 == 0 && n >= 3 {
                        s.extend([0, n as u8]);
                        s.extend((0..n).map(|i| ((x + i) * 7 + y) as u8));
                        if n % 2 == 1 {
                            s.push(0);
                        }
                    } else {
                        s.extend([n as u8, (x + 2 * y) as u8]);
                    }
                    x += n;
                }
                s.extend([0, 0]);
                s
            })
            .collect();
        // Deltas: move down 3 rows from mid-row every 17 rows, right by 40 on some rows.
        let mut deltas = Vec::new();
        let mut y = 0;
        while y < h {
            if y % 17 == 5 && y + 3 < h {
                deltas.extend([10, 1, 0, 2, 30, 3, 5, 9, 0, 0]);
                y += 4;
            } else if y % 5 == 0 {
                deltas.extend([0, 2, 40, 0, 200, 3, 0, 0]);
                y += 1;
            } else {
                deltas.extend([255, y as u8, 45, 7, 0, 0]); // 255 clamps to the row
                y += 1;
            }
        }
        let mut early_eof = rows[..h / 3].concat();
        early_eof.extend([12, 3, 0, 1]);
        vec![
            ("rle8 runs and absolute runs".into(), rows.concat()),
            ("rle8 deltas".into(), deltas),
            ("rle8 early end of file".into(), early_eof),
        ]
    }

    /// Uncompressed BMPs decoded in strips (down to one row each) give `image`'s pixels exactly:
    /// headers from `BITMAPCOREHEADER` to V5, 1 to 32 bits a pixel, bit fields, palettes,
    /// top-down rows; RLE files take the whole-image path.
    #[test]
    fn bmp_strips() {
        use image::ExtendedColorType as C;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/images/bmp");
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "bmp"))
            .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
            .collect();
        assert!(files.len() >= 15);
        for (w, h) in [(41, 30), (600, 520), (530, 1200)] {
            for (color, ch) in [(C::L8, 1), (C::Rgb8, 3), (C::Rgba8, 4)] {
                let raw: Vec<u8> = pattern(w, h, ch, 255).iter().map(|&s| s as u8).collect();
                let mut out = Vec::new();
                image::codecs::bmp::BmpEncoder::new(&mut out)
                    .write_image(&raw, w, h, color)
                    .unwrap();
                files.push((format!("top-down {color:?} {w}x{h}"), top_down(&out)));
                files.push((format!("{color:?} {w}x{h}"), out));
            }
        }
        files.push(("core header, 24 bits".into(), core_bmp(50, 40, 24)));
        for (name, stream) in rle8_streams(300, 200) {
            files.push((name, rle8_bmp(300, 200, &stream)));
        }
        files.push(("core header, 8-bit palette".into(), core_bmp(61, 700, 8)));
        let mut streamed = 0;
        for (name, bytes) in &files {
            let (dec, _) = bmp_decoder(bytes, &DecodeLimits::default()).unwrap();
            let layout = bmp_layout(bytes, image::ImageDecoder::dimensions(&dec).0 as usize);
            streamed += usize::from(layout.is_some());
            for mode in [Mode::Fast, Mode::Reference] {
                let theirs = via_image(bytes, mode);
                for strip in [1, 700, BMP_STRIP_BYTES] {
                    let ours = decode_bmp(bytes, &DecodeLimits::default(), mode, strip).unwrap();
                    assert_same(&ours, &theirs, &format!("{name}, strips of {strip} bytes"));
                }
            }
        }
        assert_eq!(streamed, files.len(), "every file is decoded in strips");
    }

    #[test]
    fn bmp() {
        use image::ExtendedColorType as C;
        for (w, h) in [(41, 30), (600, 520)] {
            for (color, ch) in [(C::L8, 1), (C::Rgb8, 3), (C::Rgba8, 4)] {
                let raw: Vec<u8> = pattern(w, h, ch, 255).iter().map(|&s| s as u8).collect();
                let mut out = Vec::new();
                image::codecs::bmp::BmpEncoder::new(&mut out)
                    .write_image(&raw, w, h, color)
                    .unwrap();
                check(&format!("bmp {color:?} {w}x{h}"), &out, ImageFormat::Bmp);
            }
        }
    }
}
