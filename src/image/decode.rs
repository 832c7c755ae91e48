//! Decoding image files for hashing (feature `image`): bounded, oriented, reduced to what the hash
//! needs.
//!
//! - JPEG goes through `jpeg-decoder`, whose inverse DCT can output 1/2, 1/4 or 1/8 of the size
//!   directly: a 12 MP photo is decoded straight to 504x378, never to a full-size buffer.
//! - PNG (non-interlaced) is decoded row by row with the `png` crate and binned down while it
//!   streams: one row plus the reduced image in memory.
//! - Interlaced PNG, WebP, GIF and BMP go through the `image` crate under `image::Limits` (the
//!   whole image is decoded, within [`DecodeLimits::max_alloc_bytes`]) and are binned down right
//!   after decoding.
//!
//! Both reductions are by the same power of two, so a JPEG and a lossless copy of one image are
//! reduced alike; luma uses the reference's coefficients; alpha is composited over white.

use super::hash::{Pdq, PdqDihedral};
use super::pdq::{self, rgb_to_luma, LUMA_B, LUMA_G, LUMA_R};
use crate::Error;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder};

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

fn image_err(format: ImageFormat, e: image::ImageError, limits: &DecodeLimits) -> Error {
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
            format: format.name(),
            reason: format!("unsupported feature: {e}"),
        },
        _ => Error::ImageDecode {
            format: format.name(),
            reason: e.to_string(),
        },
    }
}

fn decode_other(
    bytes: &[u8],
    format: ImageFormat,
    limits: &DecodeLimits,
    mode: Mode,
) -> Result<LumaImage, Error> {
    let img_format = match format {
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::WebP => image::ImageFormat::WebP,
        ImageFormat::Gif => image::ImageFormat::Gif,
        ImageFormat::Bmp => image::ImageFormat::Bmp,
        ImageFormat::Jpeg => return Err(Error::UnsupportedImageFormat),
    };
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(bytes), img_format);
    let mut l = image::Limits::default();
    l.max_image_width = Some(limits.max_dimension);
    l.max_image_height = Some(limits.max_dimension);
    l.max_alloc = Some(limits.max_alloc_bytes);
    reader.limits(l);
    let err = |e| image_err(format, e, limits);
    let mut decoder = reader.into_decoder().map_err(err)?;
    let (w, h) = decoder.dimensions();
    check_declared(u64::from(w), u64::from(h), limits)?;
    check_alloc(decoder.total_bytes(), limits)?;
    let orientation = match mode {
        // A broken or absurd EXIF block only loses the orientation, never the image.
        Mode::Fast => decoder.orientation().unwrap_or(Orientation::NoTransforms),
        Mode::Reference => Orientation::NoTransforms,
    };
    let img = DynamicImage::from_decoder(decoder).map_err(err)?;
    let img = luma_from_dynamic(img, mode);
    Ok(orient(img, orientation))
}

/// Converts a decoded image to float luma, compositing alpha over white, and (fast mode) bins it
/// down to the working size or (reference mode) resizes like the reference CLI.
fn luma_from_dynamic(img: DynamicImage, mode: Mode) -> LumaImage {
    let (w, h) = (img.width() as usize, img.height() as usize);
    // Keep 8-bit grey and RGB as they are; convert everything else to RGBA8.
    let converted;
    let (buf, kind): (&[u8], u8) = match &img {
        DynamicImage::ImageLuma8(b) => (b.as_raw(), 1),
        DynamicImage::ImageLumaA8(b) => (b.as_raw(), 2),
        DynamicImage::ImageRgb8(b) => (b.as_raw(), 3),
        DynamicImage::ImageRgba8(b) => (b.as_raw(), 4),
        other => {
            converted = other.to_rgba8();
            (converted.as_raw(), 4)
        }
    };
    let luma_at = |i: usize| -> f32 {
        match kind {
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
