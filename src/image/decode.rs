//! Decoding image files for hashing (feature `image`): bounded, oriented, reduced to what the hash
//! needs.
//!
//! - JPEG goes through `jpeg-decoder`, whose inverse DCT can output 1/2, 1/4 or 1/8 of the size
//!   directly: a 12 MP photo is decoded straight to 504x378, never to a full-size buffer.
//! - PNG (non-interlaced) is decoded row by row with the `png` crate and binned down while it
//!   streams: one row plus the reduced image in memory.
//! - Interlaced PNG (`png`), WebP (`image-webp`), GIF (`gif`, first frame) and BMP (`image`'s BMP
//!   codec) are decoded whole, within [`DecodeLimits::max_alloc_bytes`] (256 MiB by default), and
//!   binned down right after decoding: for these formats the peak is the full-size image (3 or 4
//!   bytes per pixel), so a 50 MP WebP or GIF costs 150-200 MB while decoding.
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
    if bytes.len() > limits.max_input_bytes {
        return Err(Error::ImageInputTooLarge {
            limit: limits.max_input_bytes,
            found: bytes.len(),
        });
    }
    let format = ImageFormat::detect(bytes).ok_or(Error::UnsupportedImageFormat)?;
    match format {
        ImageFormat::Jpeg => decode_jpeg(bytes, limits, mode),
        ImageFormat::Png => decode_png(bytes, limits, mode).map(Into::into),
        _ => decode_other(bytes, format, limits, mode).map(Into::into),
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
    let orientation = match mode {
        Mode::Fast => dec
            .exif_data()
            .and_then(Orientation::from_exif_chunk)
            .unwrap_or(Orientation::NoTransforms),
        Mode::Reference => Orientation::NoTransforms,
    };
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
        Mode::Reference => nearest_reference(ow, oh, luma_at),
        Mode::Fast => LumaImage {
            width: ow,
            height: oh,
            data: (0..n).map(luma_at).collect(),
        },
    };
    Ok(orient(img, orientation).into())
}

/// The reference CLI's resize: images over 512 in either dimension become 512x512 by nearest
/// neighbour (CImg: source index `floor(x * old / 512)`).
fn nearest_reference(w: usize, h: usize, luma_at: impl Fn(usize) -> f32) -> LumaImage {
    if w <= REFERENCE_SIDE && h <= REFERENCE_SIDE {
        return LumaImage {
            width: w,
            height: h,
            data: (0..w * h).map(luma_at).collect(),
        };
    }
    let n = REFERENCE_SIDE;
    let src = |i: usize, len: usize| ((i as f64 * len as f64) / n as f64) as usize;
    let xs: Vec<usize> = (0..n).map(|x| src(x, w)).collect();
    let mut data = Vec::with_capacity(n * n);
    for y in 0..n {
        let row = src(y, h) * w;
        data.extend(xs.iter().map(|&x| luma_at(row + x)));
    }
    LumaImage {
        width: n,
        height: n,
        data,
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

/// PNG, streamed row by row: only one decoded row and the reduced output are in memory.
/// Interlaced PNGs (rows arrive in seven passes) go through the whole-image path instead.
fn decode_png(bytes: &[u8], limits: &DecodeLimits, mode: Mode) -> Result<LumaImage, Error> {
    let png_limits = png::Limits {
        bytes: usize::try_from(limits.max_alloc_bytes).unwrap_or(usize::MAX),
    };
    let mut dec = png::Decoder::new_with_limits(std::io::Cursor::new(bytes), png_limits);
    dec.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = dec.read_info().map_err(|e| png_err(e, limits))?;
    let info = reader.info();
    let (w, h) = (info.width as usize, info.height as usize);
    check_declared(w as u64, h as u64, limits)?;
    let orientation = match mode {
        Mode::Fast => info
            .exif_metadata
            .as_deref()
            .and_then(Orientation::from_exif_chunk)
            .unwrap_or(Orientation::NoTransforms),
        Mode::Reference => Orientation::NoTransforms,
    };
    let channels = match reader.output_color_type().0 {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => 0,
    };
    if info.interlaced || channels == 0 {
        return decode_other(bytes, ImageFormat::Png, limits, mode);
    }
    let truncated = || Error::ImageDecode {
        format: "png",
        reason: "image data ends early".into(),
    };
    let luma = |p: &[u8]| -> f32 {
        match channels {
            1 => f32::from(p[0]),
            2 => over_white(f32::from(p[0]), p[1]),
            3 => rgb_to_luma(p[0], p[1], p[2]),
            _ => rgba_luma(p),
        }
    };
    let img = match mode {
        Mode::Fast => {
            let f = reduction(w, h, usize::MAX);
            let (ow, oh) = (w / f, h / f);
            let scale = 1.0 / (f * f) as f32;
            let mut acc = vec![0.0_f32; ow];
            let mut data = Vec::with_capacity(ow * oh);
            for y in 0..oh * f {
                let row = reader
                    .next_row()
                    .map_err(|e| png_err(e, limits))?
                    .ok_or_else(truncated)?;
                let px = row.data();
                for (ox, a) in acc.iter_mut().enumerate() {
                    let mut s = 0.0;
                    for x in ox * f..ox * f + f {
                        s += luma(&px[x * channels..x * channels + channels]);
                    }
                    *a += s;
                }
                if y % f == f - 1 {
                    data.extend(acc.iter().map(|a| a * scale));
                    acc.fill(0.0);
                }
            }
            LumaImage {
                width: ow,
                height: oh,
                data,
            }
        }
        Mode::Reference => {
            let (ow, oh) = if w > REFERENCE_SIDE || h > REFERENCE_SIDE {
                (REFERENCE_SIDE, REFERENCE_SIDE)
            } else {
                (w, h)
            };
            let src =
                |i: usize, len: usize, n: usize| ((i as f64 * len as f64) / n as f64) as usize;
            let xs: Vec<usize> = (0..ow).map(|x| src(x, w, ow)).collect();
            let mut data = Vec::with_capacity(ow * oh);
            let mut oy = 0;
            for y in 0..h {
                if oy >= oh {
                    break;
                }
                let row = reader
                    .next_row()
                    .map_err(|e| png_err(e, limits))?
                    .ok_or_else(truncated)?;
                let px = row.data();
                while oy < oh && src(oy, h, oh) == y {
                    data.extend(
                        xs.iter()
                            .map(|&x| luma(&px[x * channels..x * channels + channels])),
                    );
                    oy += 1;
                }
            }
            LumaImage {
                width: ow,
                height: oh,
                data,
            }
        }
    };
    Ok(orient(img, orientation))
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

/// A whole decoded image in 8 bits per sample: 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA)
/// channels.
struct Pixels8 {
    width: usize,
    height: usize,
    channels: usize,
    data: Vec<u8>,
}

/// Interlaced (or otherwise not streamable) PNG, WebP, GIF (first frame) and BMP: the whole image
/// is decoded (under [`DecodeLimits::max_alloc_bytes`]), then reduced.
///
/// WebP and GIF are decoded by `image-webp` and `gif` directly, PNG by `png`, BMP by `image`'s BMP
/// codec alone; the pixels are those `image`'s `DynamicImage` would hold (16-bit samples rounded to
/// 8 bits as `image` does), so the hashes are the same as through `image`'s generic reader, which
/// this path replaced to keep the WebAssembly bundle small (BENCHMARKS.md).
fn decode_other(
    bytes: &[u8],
    format: ImageFormat,
    limits: &DecodeLimits,
    mode: Mode,
) -> Result<LumaImage, Error> {
    let (img, orientation) = match format {
        ImageFormat::Png => whole_png(bytes, limits)?,
        ImageFormat::WebP => whole_webp(bytes, limits)?,
        ImageFormat::Gif => (whole_gif(bytes, limits)?, Orientation::NoTransforms),
        ImageFormat::Bmp => (whole_bmp(bytes, limits)?, Orientation::NoTransforms),
        ImageFormat::Jpeg => return Err(Error::UnsupportedImageFormat),
    };
    let orientation = match mode {
        Mode::Fast => orientation,
        Mode::Reference => Orientation::NoTransforms,
    };
    Ok(orient(luma_from_pixels(&img, mode), orientation))
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

fn whole_png(bytes: &[u8], limits: &DecodeLimits) -> Result<(Pixels8, Orientation), Error> {
    let png_limits = png::Limits {
        bytes: usize::try_from(limits.max_alloc_bytes).unwrap_or(usize::MAX),
    };
    let mut dec = png::Decoder::new_with_limits(std::io::Cursor::new(bytes), png_limits);
    dec.set_transformations(png::Transformations::EXPAND);
    let mut reader = dec.read_info().map_err(|e| png_err(e, limits))?;
    let info = reader.info();
    let (width, height) = (info.width as usize, info.height as usize);
    check_declared(width as u64, height as u64, limits)?;
    let orientation = info
        .exif_metadata
        .as_deref()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    let (color, depth) = reader.output_color_type();
    let mut buf = output_buffer(reader.output_buffer_size().map(|n| n as u64), limits)?;
    reader
        .next_frame(&mut buf)
        .map_err(|e| png_err(e, limits))?;
    let samples = color.samples();
    let mut img = if depth == png::BitDepth::Sixteen {
        // As `image`: 16-bit samples (big-endian in PNG) rounded to 8 bits, then anything but
        // 8-bit grey, grey + alpha, RGB and RGBA becomes RGBA.
        let s8: Vec<u8> = buf
            .chunks_exact(2)
            .map(|b| ((u32::from(u16::from_be_bytes([b[0], b[1]])) + 128) / 257) as u8)
            .collect();
        Pixels8 {
            width,
            height,
            channels: samples,
            data: s8,
        }
    } else {
        buf.truncate(width * height * samples);
        Pixels8 {
            width,
            height,
            channels: samples,
            data: buf,
        }
    };
    if depth == png::BitDepth::Sixteen {
        img = to_rgba(img);
    }
    Ok((img, orientation))
}

/// Grey, grey + alpha or RGB pixels as RGBA (`image`'s `to_rgba8`).
fn to_rgba(img: Pixels8) -> Pixels8 {
    let data = match img.channels {
        1 => img.data.iter().flat_map(|&l| [l, l, l, 255]).collect(),
        2 => img
            .data
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        3 => img
            .data
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        _ => img.data,
    };
    Pixels8 {
        channels: 4,
        data,
        ..img
    }
}

fn whole_webp(bytes: &[u8], limits: &DecodeLimits) -> Result<(Pixels8, Orientation), Error> {
    let err = |e: image_webp::DecodingError| match e {
        image_webp::DecodingError::MemoryLimitExceeded => Error::ImageMemoryLimit {
            limit: limits.max_alloc_bytes,
        },
        e => codec_err(ImageFormat::WebP, e),
    };
    let mut dec = image_webp::WebPDecoder::new(std::io::Cursor::new(bytes)).map_err(err)?;
    let (w, h) = dec.dimensions();
    check_declared(u64::from(w), u64::from(h), limits)?;
    // A broken or absurd EXIF block only loses the orientation, never the image.
    let orientation = dec
        .exif_metadata()
        .ok()
        .flatten()
        .as_deref()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    let channels = if dec.has_alpha() { 4 } else { 3 };
    let mut buf = output_buffer(dec.output_buffer_size().map(|n| n as u64), limits)?;
    dec.read_image(&mut buf).map_err(err)?;
    Ok((
        Pixels8 {
            width: w as usize,
            height: h as usize,
            channels,
            data: buf,
        },
        orientation,
    ))
}

/// The first frame of a GIF on its logical screen (transparent black outside the frame), as
/// `image`'s GIF decoder places it.
fn whole_gif(bytes: &[u8], limits: &DecodeLimits) -> Result<Pixels8, Error> {
    let err = |e: gif::DecodingError| codec_err(ImageFormat::Gif, e);
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    let mut dec = opts.read_info(std::io::Cursor::new(bytes)).map_err(err)?;
    let (width, height) = (usize::from(dec.width()), usize::from(dec.height()));
    check_declared(width as u64, height as u64, limits)?;
    let mut screen = output_buffer(Some(width as u64 * height as u64 * 4), limits)?;
    let frame = dec
        .next_frame_info()
        .map_err(err)?
        .ok_or(Error::ImageDecode {
            format: "gif",
            reason: "no image data".into(),
        })?;
    let (left, top) = (usize::from(frame.left), usize::from(frame.top));
    let (fw, fh) = (usize::from(frame.width), usize::from(frame.height));
    if left == 0 && fw == width && top + fh <= height {
        // The frame spans the screen's width: decode straight into its rows.
        dec.read_into_buffer(&mut screen[width * 4 * top..width * 4 * (top + fh)])
            .map_err(err)?;
    } else {
        let mut fb = output_buffer(Some(fw as u64 * fh as u64 * 4), limits)?;
        dec.read_into_buffer(&mut fb).map_err(err)?;
        for y in top..(top + fh).min(height) {
            for x in left..(left + fw).min(width) {
                let (s, d) = (((y - top) * fw + x - left) * 4, (y * width + x) * 4);
                screen[d..d + 4].copy_from_slice(&fb[s..s + 4]);
            }
        }
    }
    Ok(Pixels8 {
        width,
        height,
        channels: 4,
        data: screen,
    })
}

/// BMP through `image`'s BMP codec alone (RLE, bit fields, palettes, top-down rows).
fn whole_bmp(bytes: &[u8], limits: &DecodeLimits) -> Result<Pixels8, Error> {
    use image::error::{ImageError as E, LimitErrorKind};
    use image::ImageDecoder;
    let err = |e: E| match e {
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
    };
    let dec = image::codecs::bmp::BmpDecoder::new(std::io::Cursor::new(bytes)).map_err(err)?;
    let (w, h) = dec.dimensions();
    check_declared(u64::from(w), u64::from(h), limits)?;
    let channels = usize::from(dec.color_type().channel_count());
    if dec.color_type().bytes_per_pixel() != dec.color_type().channel_count() {
        return Err(Error::ImageDecode {
            format: "bmp",
            reason: "unexpected sample depth".into(),
        });
    }
    let mut buf = output_buffer(Some(dec.total_bytes()), limits)?;
    dec.read_image(&mut buf).map_err(err)?;
    Ok(Pixels8 {
        width: w as usize,
        height: h as usize,
        channels,
        data: buf,
    })
}

/// Converts a decoded image to float luma, compositing alpha over white, and (fast mode) bins it
/// down to the working size or (reference mode) resizes like the reference CLI.
fn luma_from_pixels(img: &Pixels8, mode: Mode) -> LumaImage {
    let (w, h, buf) = (img.width, img.height, &img.data[..]);
    let luma_at = |i: usize| -> f32 {
        match img.channels {
            1 => f32::from(buf[i]),
            2 => over_white(f32::from(buf[2 * i]), buf[2 * i + 1]),
            3 => rgb_to_luma(buf[3 * i], buf[3 * i + 1], buf[3 * i + 2]),
            _ => rgba_luma(&buf[4 * i..4 * i + 4]),
        }
    };
    match mode {
        Mode::Reference => nearest_reference(w, h, luma_at),
        Mode::Fast => bin_down(w, h, luma_at),
    }
}

/// Composites a channel value with alpha `a` over a white background.
#[inline]
fn over_white(v: f32, a: u8) -> f32 {
    let a = f32::from(a) / 255.0;
    v * a + 255.0 * (1.0 - a)
}

/// Averages `f x f` blocks (`f` from [`reduction`]) so that the shorter side stays at least
/// [`WORKING_MIN_SIDE`]; `f = 1` copies.
fn bin_down(w: usize, h: usize, luma_at: impl Fn(usize) -> f32) -> LumaImage {
    let f = reduction(w, h, usize::MAX);
    if f == 1 {
        return LumaImage {
            width: w,
            height: h,
            data: (0..w * h).map(luma_at).collect(),
        };
    }
    let (ow, oh) = (w / f, h / f);
    let mut data = vec![0.0_f32; ow * oh];
    let scale = 1.0 / (f * f) as f32;
    for (oy, out_row) in data.chunks_exact_mut(ow).enumerate() {
        for y in oy * f..oy * f + f {
            let base = y * w;
            for (ox, o) in out_row.iter_mut().enumerate() {
                let start = base + ox * f;
                let mut s = 0.0;
                for i in start..start + f {
                    s += luma_at(i);
                }
                *o += s;
            }
        }
        for o in out_row.iter_mut() {
            *o *= scale;
        }
    }
    LumaImage {
        width: ow,
        height: oh,
        data,
    }
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

    /// The former `decode_other`: `image`'s reader, `DynamicImage`, then the same reduction.
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
        );
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
            let ours = decode_other(bytes, format, &DecodeLimits::default(), mode).unwrap();
            let theirs = via_image(bytes, mode);
            assert_eq!(
                (ours.width, ours.height),
                (theirs.width, theirs.height),
                "{name}"
            );
            let same = ours
                .data
                .iter()
                .zip(&theirs.data)
                .all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same, "{name}: luma differs from the image crate's");
        }
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
        let ours = decode_other(
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
