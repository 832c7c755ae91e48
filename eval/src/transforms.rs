//! The 26 standard transforms of the robustness benchmark (`corpus/README.md` of the project's
//! shared corpus), as pure functions of a decoded RGB image and a seed, returning the bytes a user
//! would send.
//!
//! Codec transforms return their own encoding (JPEG 4:2:0 through `jpeg-encoder`, because `image`
//! 0.25 only writes 4:4:4; lossy WebP through libwebp). Every other transform returns a PNG (fast
//! compression) of the transformed pixels, so nothing but the transform itself is lossy.
//!
//! Choices where the table leaves room (each is the common reading, and the same for every method):
//! - `blur_r2`: Gaussian of standard deviation 2 (Pillow's `GaussianBlur(radius=2)` also means
//!   sigma = 2), kernel radius ceil(2 sigma) = 4 (imageproc).
//! - `brightness_+30`: +30 on every channel (0-255), clamped.
//! - `contrast_-30`: every channel pulled 30 % towards the image's mean luma (Pillow's
//!   `ImageEnhance.Contrast(0.7)`).
//! - `gamma_0.7`: `255 * (v / 255)^0.7` per channel (brightens mid-tones).
//! - `crop_centre_N`: N % of the width off the left and the right, N % of the height off the top
//!   and the bottom. `crop_side_20`: 20 % of the width (left/right) or height (top/bottom) off one
//!   side chosen by the seed.
//! - `rotate_N`: N degrees counter-clockwise about the centre, bilinear, same canvas, black corners.
//! - `border_10`: black border of 10 % of the width left and right, 10 % of the height top and bottom
//!   (the canvas grows; the picture is untouched).
//! - `letterbox_10`: black bars of 10 % of the height above and below (the canvas grows).
//! - `screenshot_canvas`: white canvas 1.5x the width and height, picture at a seeded offset.
//! - `squash_4x3`: resize (Lanczos3) to width x (width * 3 / 4); `stretch_h_4x3`: width x 4/3,
//!   height kept. An original that is already 4:3 is only re-encoded by `squash_4x3`.
//! - `watermark_text`: the caption `SHARED 2026` in a built-in 5x7 bitmap font, scaled by
//!   max(1, min(w, h) / 200), white with a black outline, bottom right with a margin of 2 %.
//! - `noise_s10`: Gaussian noise, sigma 10 per channel and pixel (ChaCha8 seeded, Box-Muller),
//!   rounded and clamped.

use crate::EvalError;
use image::imageops::{self, FilterType};
use image::{GrayImage, ImageEncoder, Rgb, RgbImage};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One of the standard transforms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Transform {
    /// JPEG quality 30, 4:2:0
    JpegQ30,
    /// JPEG quality 50, 4:2:0
    JpegQ50,
    /// JPEG quality 75, 4:2:0
    JpegQ75,
    /// lossy WebP quality 50
    WebpQ50,
    /// Lanczos3 resize to 50 %
    Scale50,
    /// Lanczos3 resize to 25 %
    Scale25,
    /// Lanczos3 resize to 200 %
    Scale200,
    /// down to 25 %, back up to the original size
    Scale25Roundtrip,
    /// 5 % off every side
    CropCentre5,
    /// 10 % off every side
    CropCentre10,
    /// 20 % off one seeded side
    CropSide20,
    /// 3 degrees counter-clockwise
    Rotate3,
    /// 10 degrees counter-clockwise
    Rotate10,
    /// left-right mirror
    Hflip,
    /// 8-bit luma
    Grayscale,
    /// +30 on every channel
    BrightnessPlus30,
    /// contrast reduced by 30 %
    ContrastMinus30,
    /// gamma 0.7
    Gamma07,
    /// Gaussian blur sigma 2
    BlurR2,
    /// Gaussian noise sigma 10
    NoiseS10,
    /// white caption, black outline, bottom right
    WatermarkText,
    /// black border of 10 % on every side
    Border10,
    /// black bars of 10 % of the height above and below
    Letterbox10,
    /// on a white canvas 1.5x larger, seeded offset
    ScreenshotCanvas,
    /// non-uniform resize to 4:3
    Squash4x3,
    /// width x 4/3
    StretchH4x3,
}

/// The 26 standard transforms, in the order of the corpus README's table.
pub const ALL: [Transform; 26] = [
    Transform::JpegQ30,
    Transform::JpegQ50,
    Transform::JpegQ75,
    Transform::WebpQ50,
    Transform::Scale50,
    Transform::Scale25,
    Transform::Scale200,
    Transform::Scale25Roundtrip,
    Transform::CropCentre5,
    Transform::CropCentre10,
    Transform::CropSide20,
    Transform::Rotate3,
    Transform::Rotate10,
    Transform::Hflip,
    Transform::Grayscale,
    Transform::BrightnessPlus30,
    Transform::ContrastMinus30,
    Transform::Gamma07,
    Transform::BlurR2,
    Transform::NoiseS10,
    Transform::WatermarkText,
    Transform::Border10,
    Transform::Letterbox10,
    Transform::ScreenshotCanvas,
    Transform::Squash4x3,
    Transform::StretchH4x3,
];

impl Transform {
    /// The name used in the corpus README, reports and floors files.
    pub fn name(self) -> &'static str {
        match self {
            Transform::JpegQ30 => "jpeg_q30",
            Transform::JpegQ50 => "jpeg_q50",
            Transform::JpegQ75 => "jpeg_q75",
            Transform::WebpQ50 => "webp_q50",
            Transform::Scale50 => "scale_50",
            Transform::Scale25 => "scale_25",
            Transform::Scale200 => "scale_200",
            Transform::Scale25Roundtrip => "scale_25_roundtrip",
            Transform::CropCentre5 => "crop_centre_5",
            Transform::CropCentre10 => "crop_centre_10",
            Transform::CropSide20 => "crop_side_20",
            Transform::Rotate3 => "rotate_3",
            Transform::Rotate10 => "rotate_10",
            Transform::Hflip => "hflip",
            Transform::Grayscale => "grayscale",
            Transform::BrightnessPlus30 => "brightness_+30",
            Transform::ContrastMinus30 => "contrast_-30",
            Transform::Gamma07 => "gamma_0.7",
            Transform::BlurR2 => "blur_r2",
            Transform::NoiseS10 => "noise_s10",
            Transform::WatermarkText => "watermark_text",
            Transform::Border10 => "border_10",
            Transform::Letterbox10 => "letterbox_10",
            Transform::ScreenshotCanvas => "screenshot_canvas",
            Transform::Squash4x3 => "squash_4x3",
            Transform::StretchH4x3 => "stretch_h_4x3",
        }
    }

    /// The transform of that name, if any.
    pub fn from_name(name: &str) -> Option<Transform> {
        ALL.iter().copied().find(|t| t.name() == name)
    }

    /// The width and height of the transformed pixels for an original of `w` x `h`.
    pub fn output_dimensions(self, w: u32, h: u32) -> (u32, u32) {
        match self {
            Transform::Scale50 => (scaled(w, 0.5), scaled(h, 0.5)),
            Transform::Scale25 => (scaled(w, 0.25), scaled(h, 0.25)),
            Transform::Scale200 => (scaled(w, 2.0), scaled(h, 2.0)),
            Transform::CropCentre5 => (w - 2 * frac(w, 0.05), h - 2 * frac(h, 0.05)),
            Transform::CropCentre10 => (w - 2 * frac(w, 0.10), h - 2 * frac(h, 0.10)),
            // Which side depends on the seed: see `crop_side`.
            Transform::CropSide20 => (w, h),
            Transform::Border10 => (w + 2 * frac(w, 0.10), h + 2 * frac(h, 0.10)),
            Transform::Letterbox10 => (w, h + 2 * frac(h, 0.10)),
            Transform::ScreenshotCanvas => (scaled(w, 1.5), scaled(h, 1.5)),
            Transform::Squash4x3 => (w, scaled(w, 0.75)),
            Transform::StretchH4x3 => (scaled(w, 4.0 / 3.0), h),
            _ => (w, h),
        }
    }
}

/// The deterministic seed of a transform applied to the image at `index` (in corpus order): the
/// first 8 bytes of BLAKE3(`index` as u64 LE || name).
pub fn seed_for(index: usize, transform: Transform) -> u64 {
    let mut h = blake3::Hasher::new();
    h.update(&(index as u64).to_le_bytes());
    h.update(transform.name().as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h.finalize().as_bytes()[..8]);
    u64::from_le_bytes(b)
}

fn scaled(v: u32, f: f64) -> u32 {
    ((f64::from(v) * f).round() as u32).max(1)
}

/// `f` of `v`, rounded, at most so much that at least one pixel is left between two such cuts.
fn frac(v: u32, f: f64) -> u32 {
    ((f64::from(v) * f).round() as u32).min(v.saturating_sub(1) / 2)
}

/// Applies `t` to `img` with `seed` (see [`seed_for`]) and returns the encoded bytes to screen.
///
/// # Errors
/// [`EvalError::Encode`] when the result cannot be encoded (for example a JPEG side over 65535).
pub fn apply(t: Transform, img: &RgbImage, seed: u64) -> Result<Vec<u8>, EvalError> {
    let (w, h) = img.dimensions();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let out: RgbImage = match t {
        Transform::JpegQ30 => return jpeg(t, img, 30),
        Transform::JpegQ50 => return jpeg(t, img, 50),
        Transform::JpegQ75 => return jpeg(t, img, 75),
        Transform::WebpQ50 => return webp(t, img, 50.0),
        Transform::Grayscale => return png_luma(t, &imageops::grayscale(img)),
        Transform::Scale50 | Transform::Scale25 | Transform::Scale200 => {
            let (nw, nh) = t.output_dimensions(w, h);
            imageops::resize(img, nw, nh, FilterType::Lanczos3)
        }
        Transform::Scale25Roundtrip => {
            let small =
                imageops::resize(img, scaled(w, 0.25), scaled(h, 0.25), FilterType::Lanczos3);
            imageops::resize(&small, w, h, FilterType::Lanczos3)
        }
        Transform::CropCentre5 | Transform::CropCentre10 => {
            let (nw, nh) = t.output_dimensions(w, h);
            imageops::crop_imm(img, (w - nw) / 2, (h - nh) / 2, nw, nh).to_image()
        }
        Transform::CropSide20 => crop_side(img, rng.random_range(0..4u32)),
        Transform::Rotate3 => rotate_ccw(img, 3.0),
        Transform::Rotate10 => rotate_ccw(img, 10.0),
        Transform::Hflip => imageops::flip_horizontal(img),
        Transform::BrightnessPlus30 => map_channels(img, |v| v.saturating_add(30)),
        Transform::ContrastMinus30 => {
            let mean = mean_luma(img);
            map_channels(img, |v| clamp_u8(mean + (f64::from(v) - mean) * 0.7))
        }
        Transform::Gamma07 => {
            let mut lut = [0u8; 256];
            for (i, e) in lut.iter_mut().enumerate() {
                *e = clamp_u8(255.0 * (i as f64 / 255.0).powf(0.7));
            }
            map_channels(img, |v| lut[usize::from(v)])
        }
        Transform::BlurR2 => imageproc::filter::gaussian_blur_f32(img, 2.0),
        Transform::NoiseS10 => {
            let mut out = img.clone();
            for p in out.iter_mut() {
                *p = clamp_u8(f64::from(*p) + 10.0 * gaussian(&mut rng));
            }
            out
        }
        Transform::WatermarkText => watermark(img, CAPTION),
        Transform::Border10 => {
            let (nw, nh) = t.output_dimensions(w, h);
            paste(img, nw, nh, (nw - w) / 2, (nh - h) / 2, Rgb([0, 0, 0]))
        }
        Transform::Letterbox10 => {
            let (nw, nh) = t.output_dimensions(w, h);
            paste(img, nw, nh, 0, (nh - h) / 2, Rgb([0, 0, 0]))
        }
        Transform::ScreenshotCanvas => {
            let (nw, nh) = t.output_dimensions(w, h);
            let x = rng.random_range(0..=nw - w);
            let y = rng.random_range(0..=nh - h);
            paste(img, nw, nh, x, y, Rgb([255, 255, 255]))
        }
        Transform::Squash4x3 | Transform::StretchH4x3 => {
            let (nw, nh) = t.output_dimensions(w, h);
            imageops::resize(img, nw, nh, FilterType::Lanczos3)
        }
    };
    png_rgb(t, &out)
}

/// Removes 20 % from one side: 0 left, 1 right, 2 top, 3 bottom.
fn crop_side(img: &RgbImage, side: u32) -> RgbImage {
    let (w, h) = img.dimensions();
    let cw = frac(w, 0.20).max(1).min(w.saturating_sub(1));
    let ch = frac(h, 0.20).max(1).min(h.saturating_sub(1));
    let (x, y, nw, nh) = match side {
        0 => (cw, 0, w - cw, h),
        1 => (0, 0, w - cw, h),
        2 => (0, ch, w, h - ch),
        _ => (0, 0, w, h - ch),
    };
    imageops::crop_imm(img, x, y, nw, nh).to_image()
}

fn rotate_ccw(img: &RgbImage, degrees: f32) -> RgbImage {
    // imageproc rotates clockwise (as displayed, y down) for positive angles.
    imageproc::geometric_transformations::rotate_about_center(
        img,
        -degrees.to_radians(),
        imageproc::geometric_transformations::Interpolation::Bilinear,
        Rgb([0, 0, 0]),
    )
}

fn map_channels(img: &RgbImage, f: impl Fn(u8) -> u8) -> RgbImage {
    let mut out = img.clone();
    for v in out.iter_mut() {
        *v = f(*v);
    }
    out
}

fn clamp_u8(v: f64) -> u8 {
    v.round().clamp(0.0, 255.0) as u8
}

fn mean_luma(img: &RgbImage) -> f64 {
    let n = f64::from(img.width()) * f64::from(img.height());
    if n == 0.0 {
        return 0.0;
    }
    let sum: f64 = img
        .pixels()
        .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
        .sum();
    sum / n
}

/// A standard normal sample (Box-Muller).
fn gaussian(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

fn paste(img: &RgbImage, cw: u32, ch: u32, x: u32, y: u32, fill: Rgb<u8>) -> RgbImage {
    let mut canvas = RgbImage::from_pixel(cw, ch, fill);
    imageops::replace(&mut canvas, img, i64::from(x), i64::from(y));
    canvas
}

/// The watermark caption.
pub const CAPTION: &str = "SHARED 2026";

/// 5x7 glyphs: seven rows, the five low bits of each, most significant bit leftmost.
fn glyph(c: char) -> [u8; 7] {
    match c {
        'S' => [
            0b01111, 0b10000, 0b10000, 0b01110, 0b00001, 0b00001, 0b11110,
        ],
        'H' => [
            0b10001, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001,
        ],
        'A' => [
            0b01110, 0b10001, 0b10001, 0b11111, 0b10001, 0b10001, 0b10001,
        ],
        'R' => [
            0b11110, 0b10001, 0b10001, 0b11110, 0b10100, 0b10010, 0b10001,
        ],
        'E' => [
            0b11111, 0b10000, 0b10000, 0b11110, 0b10000, 0b10000, 0b11111,
        ],
        'D' => [
            0b11110, 0b10001, 0b10001, 0b10001, 0b10001, 0b10001, 0b11110,
        ],
        '0' => [
            0b01110, 0b10001, 0b10011, 0b10101, 0b11001, 0b10001, 0b01110,
        ],
        '2' => [
            0b01110, 0b10001, 0b00001, 0b00010, 0b00100, 0b01000, 0b11111,
        ],
        '6' => [
            0b00110, 0b01000, 0b10000, 0b11110, 0b10001, 0b10001, 0b01110,
        ],
        _ => [0; 7],
    }
}

/// Whether the built-in font has a glyph for `c` (space is blank by design).
pub fn has_glyph(c: char) -> bool {
    c == ' ' || glyph(c) != [0; 7]
}

/// Draws `text` white with a black outline at the bottom right of a copy of `img`.
fn watermark(img: &RgbImage, text: &str) -> RgbImage {
    let (w, h) = img.dimensions();
    let s = (w.min(h) / 200).max(1); // pixels per font dot
    let o = (s / 2).max(1); // outline width
    let n = text.chars().count() as u32;
    let tw = n * 6 * s - s; // 5 dots + 1 of spacing per glyph
    let th = 7 * s;
    let margin_x = (w / 50).max(o);
    let margin_y = (h / 50).max(o);
    let x0 = i64::from(w) - i64::from(tw) - i64::from(margin_x);
    let y0 = i64::from(h) - i64::from(th) - i64::from(margin_y);
    // Lit dots in image coordinates (top-left of each s x s cell).
    let mut cells = Vec::new();
    for (i, c) in text.chars().enumerate() {
        let g = glyph(c);
        for (row, bits) in g.iter().enumerate() {
            for col in 0..5u32 {
                if bits & (0b10000 >> col) != 0 {
                    let x = x0 + i64::from(i as u32 * 6 * s + col * s);
                    let y = y0 + i64::from(row as u32 * s);
                    cells.push((x, y));
                }
            }
        }
    }
    let mut out = img.clone();
    let mut fill = |x0: i64, y0: i64, x1: i64, y1: i64, colour: Rgb<u8>| {
        for y in y0.max(0)..y1.min(i64::from(h)) {
            for x in x0.max(0)..x1.min(i64::from(w)) {
                out.put_pixel(x as u32, y as u32, colour);
            }
        }
    };
    let (s, o) = (i64::from(s), i64::from(o));
    for &(x, y) in &cells {
        fill(x - o, y - o, x + s + o, y + s + o, Rgb([0, 0, 0]));
    }
    for &(x, y) in &cells {
        fill(x, y, x + s, y + s, Rgb([255, 255, 255]));
    }
    out
}

fn encode_error(t: Transform, w: u32, h: u32, reason: impl ToString) -> EvalError {
    EvalError::Encode {
        transform: t.name(),
        width: w,
        height: h,
        reason: reason.to_string(),
    }
}

fn jpeg(t: Transform, img: &RgbImage, quality: u8) -> Result<Vec<u8>, EvalError> {
    let (w, h) = img.dimensions();
    let err = |r: &dyn std::fmt::Display| encode_error(t, w, h, r);
    let (w16, h16) = match (u16::try_from(w), u16::try_from(h)) {
        (Ok(a), Ok(b)) => (a, b),
        _ => return Err(err(&"a side over 65535")),
    };
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, quality);
    enc.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    enc.encode(img.as_raw(), w16, h16, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| err(&e))?;
    Ok(out)
}

fn webp(t: Transform, img: &RgbImage, quality: f32) -> Result<Vec<u8>, EvalError> {
    let (w, h) = img.dimensions();
    let err = |r: &dyn std::fmt::Display| encode_error(t, w, h, r);
    let mut config = webp::WebPConfig::new().map_err(|()| err(&"libwebp config"))?;
    config.lossless = 0;
    config.quality = quality;
    let enc = webp::Encoder::from_rgb(img.as_raw(), w, h);
    let mem = enc
        .encode_advanced(&config)
        .map_err(|e| err(&format!("{e:?}")))?;
    Ok(mem.to_vec())
}

fn png_encoder(out: &mut Vec<u8>) -> image::codecs::png::PngEncoder<&mut Vec<u8>> {
    image::codecs::png::PngEncoder::new_with_quality(
        out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    )
}

fn png_rgb(t: Transform, img: &RgbImage) -> Result<Vec<u8>, EvalError> {
    let (w, h) = img.dimensions();
    let mut out = Vec::new();
    png_encoder(&mut out)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .map_err(|e| encode_error(t, w, h, e))?;
    Ok(out)
}

fn png_luma(t: Transform, img: &GrayImage) -> Result<Vec<u8>, EvalError> {
    let (w, h) = img.dimensions();
    let mut out = Vec::new();
    png_encoder(&mut out)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::L8)
        .map_err(|e| encode_error(t, w, h, e))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A textured 160 x 100 test picture (not 4:3, not square, no uniform border).
    fn picture() -> RgbImage {
        RgbImage::from_fn(160, 100, |x, y| {
            let v = ((x * 7 + y * 13) % 97) as u8;
            Rgb([
                v.wrapping_mul(2),
                (x as u8).wrapping_mul(3),
                (y as u8).wrapping_mul(5) ^ v,
            ])
        })
    }

    fn decode(bytes: &[u8]) -> image::DynamicImage {
        image::load_from_memory(bytes).unwrap()
    }

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut names: Vec<_> = ALL.iter().map(|t| t.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 26);
        for t in ALL {
            assert_eq!(Transform::from_name(t.name()), Some(t));
        }
        assert_eq!(Transform::from_name("jpeg_q31"), None);
    }

    #[test]
    fn caption_is_drawable() {
        assert!(CAPTION.chars().all(has_glyph));
        assert!(!has_glyph('Q'));
    }

    #[test]
    fn every_transform_has_expected_dimensions_and_format() {
        let img = picture();
        for t in ALL {
            let bytes = apply(t, &img, seed_for(3, t)).unwrap();
            let format = image::guess_format(&bytes).unwrap();
            let expected_format = match t {
                Transform::JpegQ30 | Transform::JpegQ50 | Transform::JpegQ75 => {
                    image::ImageFormat::Jpeg
                }
                Transform::WebpQ50 => image::ImageFormat::WebP,
                _ => image::ImageFormat::Png,
            };
            assert_eq!(format, expected_format, "{}", t.name());
            let out = decode(&bytes);
            let dims = (out.width(), out.height());
            match t {
                Transform::CropSide20 => assert!(
                    dims == (128, 100) || dims == (160, 80),
                    "crop_side_20 gave {dims:?}"
                ),
                _ => assert_eq!(dims, t.output_dimensions(160, 100), "{}", t.name()),
            }
            let is_grey = matches!(out, image::DynamicImage::ImageLuma8(_));
            assert_eq!(is_grey, t == Transform::Grayscale, "{}", t.name());
        }
        // Spot-check the arithmetic of the table.
        assert_eq!(Transform::Scale25.output_dimensions(160, 100), (40, 25));
        assert_eq!(Transform::Scale200.output_dimensions(160, 100), (320, 200));
        assert_eq!(
            Transform::CropCentre10.output_dimensions(160, 100),
            (128, 80)
        );
        assert_eq!(Transform::Border10.output_dimensions(160, 100), (192, 120));
        assert_eq!(
            Transform::Letterbox10.output_dimensions(160, 100),
            (160, 120)
        );
        assert_eq!(
            Transform::ScreenshotCanvas.output_dimensions(160, 100),
            (240, 150)
        );
        assert_eq!(Transform::Squash4x3.output_dimensions(160, 100), (160, 120));
        assert_eq!(
            Transform::StretchH4x3.output_dimensions(160, 100),
            (213, 100)
        );
    }

    #[test]
    fn every_transform_is_deterministic() {
        let img = picture();
        for t in ALL {
            let a = apply(t, &img, seed_for(7, t)).unwrap();
            let b = apply(t, &img, seed_for(7, t)).unwrap();
            assert_eq!(a, b, "{}", t.name());
        }
    }

    #[test]
    fn every_transform_changes_the_pixels() {
        let img = picture();
        for t in ALL {
            let out = decode(&apply(t, &img, seed_for(1, t)).unwrap()).to_rgb8();
            assert!(
                out.dimensions() != img.dimensions() || out.as_raw() != img.as_raw(),
                "{} left the pixels unchanged",
                t.name()
            );
        }
    }

    #[test]
    fn seeded_transforms_depend_on_the_seed() {
        let img = picture();
        for t in [Transform::NoiseS10, Transform::ScreenshotCanvas] {
            let outputs: std::collections::HashSet<Vec<u8>> = (0..4)
                .map(|i| apply(t, &img, seed_for(i, t)).unwrap())
                .collect();
            assert!(outputs.len() > 1, "{} ignores its seed", t.name());
        }
        let sides: std::collections::HashSet<(u32, u32, u8)> = (0..16)
            .map(|i| {
                let o = decode(
                    &apply(
                        Transform::CropSide20,
                        &img,
                        seed_for(i, Transform::CropSide20),
                    )
                    .unwrap(),
                )
                .to_rgb8();
                (o.width(), o.height(), o.get_pixel(0, 0)[0])
            })
            .collect();
        assert!(
            sides.len() >= 3,
            "crop_side_20 picks too few sides: {sides:?}"
        );
    }

    #[test]
    fn pixel_transforms_do_what_the_table_says() {
        let img = picture();
        let px = |t: Transform| decode(&apply(t, &img, 0).unwrap()).to_rgb8();
        // hflip mirrors exactly (PNG is lossless).
        let f = px(Transform::Hflip);
        assert_eq!(f.get_pixel(0, 5), img.get_pixel(159, 5));
        // brightness adds 30, clamped.
        let b = px(Transform::BrightnessPlus30);
        let (o, n) = (img.get_pixel(10, 10), b.get_pixel(10, 10));
        for c in 0..3 {
            assert_eq!(n[c], o[c].saturating_add(30));
        }
        // border: black frame, picture inside untouched.
        let br = px(Transform::Border10);
        assert_eq!(br.get_pixel(0, 0), &Rgb([0, 0, 0]));
        assert_eq!(br.get_pixel(16 + 3, 10 + 4), img.get_pixel(3, 4));
        // screenshot canvas: white somewhere, the picture pasted whole.
        let sc = px(Transform::ScreenshotCanvas);
        let white = sc.pixels().filter(|p| **p == Rgb([255, 255, 255])).count();
        assert!(white >= (240 * 150 - 160 * 100) as usize);
        // rotation keeps the canvas and blackens corners.
        let r = px(Transform::Rotate10);
        assert_eq!(r.get_pixel(0, 0), &Rgb([0, 0, 0]));
        // watermark: white and black pixels added at the bottom right only.
        let wm = px(Transform::WatermarkText);
        let changed: Vec<(u32, u32)> = wm
            .enumerate_pixels()
            .filter(|(x, y, p)| *p != img.get_pixel(*x, *y))
            .map(|(x, y, _)| (x, y))
            .collect();
        assert!(!changed.is_empty());
        assert!(
            changed.iter().all(|&(x, y)| x >= 80 && y >= 80),
            "caption outside the corner"
        );
        // noise: changes pixels but stays close on average.
        let nz = px(Transform::NoiseS10);
        let diff: f64 = nz
            .as_raw()
            .iter()
            .zip(img.as_raw())
            .map(|(a, b)| (f64::from(*a) - f64::from(*b)).abs())
            .sum::<f64>()
            / img.as_raw().len() as f64;
        assert!(diff > 3.0 && diff < 12.0, "mean absolute noise {diff}");
    }
}
