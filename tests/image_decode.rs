//! Decoding for hashing: formats and pixel modes the reference rejects, EXIF orientation, alpha,
//! reduced-scale decoding, and the 64-bit comparison hashes.
#![cfg(feature = "image")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hashscreen::image::{
    decode_for_hashing, dhash64_from_bytes, pdq_from_bytes, pdq_from_bytes_reference_compatible,
    phash64_from_bytes, DecodeLimits, Hash64, Pdq,
};
use image::{DynamicImage, ImageFormat};
use std::io::Cursor;
use std::path::PathBuf;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/images")
        .join(rel)
}

fn bridge_bytes() -> Vec<u8> {
    std::fs::read(fixture("dih/bridge-1-original.jpg")).unwrap()
}

fn bridge() -> DynamicImage {
    image::load_from_memory(&bridge_bytes()).unwrap()
}

fn encode(img: &DynamicImage, f: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), f).unwrap();
    out
}

fn base() -> Pdq {
    pdq_from_bytes(&bridge_bytes()).unwrap()
}

/// Greyscale, grey+alpha, RGBA, 16-bit, palette (GIF), BMP, lossless WebP and CMYK JPEG versions
/// of one photo all hash close to the original (the reference aborts on several of these).
#[test]
fn pixel_modes_and_formats_hash_alike() {
    let b = base();
    assert_eq!(b.quality, 100);
    let img = bridge();
    let cases: Vec<(&str, Vec<u8>, u32)> = vec![
        (
            "L8 png",
            encode(&DynamicImage::ImageLuma8(img.to_luma8()), ImageFormat::Png),
            4,
        ),
        (
            "LA8 png",
            encode(
                &DynamicImage::ImageLumaA8(img.to_luma_alpha8()),
                ImageFormat::Png,
            ),
            4,
        ),
        (
            "RGBA8 png",
            encode(&DynamicImage::ImageRgba8(img.to_rgba8()), ImageFormat::Png),
            2,
        ),
        (
            "RGB16 png",
            encode(&DynamicImage::ImageRgb16(img.to_rgb16()), ImageFormat::Png),
            2,
        ),
        (
            "L16 png",
            encode(
                &DynamicImage::ImageLuma16(img.to_luma16()),
                ImageFormat::Png,
            ),
            4,
        ),
        (
            "palette gif",
            encode(&DynamicImage::ImageRgba8(img.to_rgba8()), ImageFormat::Gif),
            8,
        ),
        ("bmp", encode(&img, ImageFormat::Bmp), 2),
        (
            "webp lossless",
            encode(&DynamicImage::ImageRgba8(img.to_rgba8()), ImageFormat::WebP),
            2,
        ),
        (
            "cmyk jpeg",
            std::fs::read(fixture("modes/CMYK.jpg")).unwrap(),
            4,
        ),
        (
            "cmyk jpeg via image",
            encode(
                &image::load_from_memory(&std::fs::read(fixture("modes/CMYK.jpg")).unwrap())
                    .unwrap(),
                ImageFormat::Png,
            ),
            4,
        ),
    ];
    for (name, bytes, max) in cases {
        let p = pdq_from_bytes(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let d = p.hash.distance(&b.hash);
        println!("{name}: distance {d}, quality {}", p.quality);
        // Lossless copies differ from the JPEG path only by the JPEG decoder's DCT-domain 1/2
        // scaling versus 2x2 binning (and greyscale rounding, palette quantisation).
        assert!(d <= max, "{name}: distance {d}");
        assert!(p.quality >= 50, "{name}");
        assert!(
            pdq_from_bytes_reference_compatible(&bytes).is_ok(),
            "{name}"
        );
    }
}

/// Alpha is composited over white: a fully transparent image is flat white (quality 0), and a
/// half-transparent black square reads as mid grey.
#[test]
fn alpha_composites_over_white() {
    let clear = image::RgbaImage::from_pixel(100, 80, image::Rgba([0, 0, 0, 0]));
    let bytes = encode(&DynamicImage::ImageRgba8(clear), ImageFormat::Png);
    let p = pdq_from_bytes(&bytes).unwrap();
    assert_eq!(p.quality, 0);
    assert!(!p.is_matchable());
    assert!(matches!(
        p.matchable_hash(),
        Err(hashscreen::Error::ImageLowQuality {
            quality: 0,
            minimum: 50
        })
    ));
    let half = image::RgbaImage::from_pixel(10, 10, image::Rgba([0, 0, 0, 128]));
    let bytes = encode(&DynamicImage::ImageRgba8(half), ImageFormat::Png);
    let grey = decode_for_hashing(&bytes, &DecodeLimits::default()).unwrap();
    assert_eq!(grey.get_pixel(5, 5).0[0], 127);
}

/// Builds an EXIF APP1 segment holding only an orientation tag (little-endian TIFF).
fn exif_app1(orientation: u16) -> Vec<u8> {
    let mut tiff = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes()); // IFD0 offset
    tiff.extend_from_slice(&1u16.to_le_bytes()); // one entry
    tiff.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_le_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_le_bytes()); // count
    tiff.extend_from_slice(&orientation.to_le_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_le_bytes()); // no next IFD
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff);
    let mut seg = vec![0xFF, 0xE1];
    seg.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    seg.extend_from_slice(&payload);
    seg
}

/// Inserts a segment right after the JPEG's SOI marker.
fn with_segment(jpeg: &[u8], seg: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(seg);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// The stored pixels of a photo taken in orientation `o`: applying EXIF orientation `o` to them
/// gives the upright image back.
fn stored_for(img: &DynamicImage, o: u16) -> DynamicImage {
    match o {
        1 => img.clone(),
        2 => img.fliph(),
        3 => img.rotate180(),
        4 => img.flipv(),
        5 => img.rotate90().fliph(), // transpose is its own inverse
        6 => img.rotate270(),
        7 => img.rotate90().flipv(),
        8 => img.rotate90(),
        _ => unreachable!(),
    }
}

/// Each of the 8 EXIF orientations is applied: the upright image's hash comes back.
#[test]
fn exif_orientation_is_applied() {
    let img = bridge();
    let upright = pdq_from_bytes(&encode(&img, ImageFormat::Jpeg)).unwrap();
    for o in 1..=8u16 {
        let stored = stored_for(&img, o);
        let jpeg = with_segment(&encode(&stored, ImageFormat::Jpeg), &exif_app1(o));
        let p = pdq_from_bytes(&jpeg).unwrap();
        let d = p.hash.distance(&upright.hash);
        assert!(d <= 20, "orientation {o}: distance {d}");
        // The reference-compatible mode ignores EXIF like the reference tool does.
        if o != 1 {
            let r = pdq_from_bytes_reference_compatible(&jpeg).unwrap();
            assert!(r.hash.distance(&upright.hash) > 40, "orientation {o}");
        }
    }
}

/// Large JPEGs are decoded at reduced scale: a 2048x1536 JPEG becomes 512x384 (1/4) and still
/// hashes close to its full-resolution hash.
#[test]
fn large_jpeg_decodes_at_reduced_scale() {
    let big = bridge().resize_exact(2048, 1536, image::imageops::FilterType::Triangle);
    let jpeg = encode(&big, ImageFormat::Jpeg);
    let grey = decode_for_hashing(&jpeg, &DecodeLimits::default()).unwrap();
    assert_eq!(grey.dimensions(), (512, 384));
    let rgb = big.to_rgb8();
    let full = hashscreen::image::pdq_from_rgb(rgb.as_raw(), 2048, 1536, 3 * 2048).unwrap();
    let fast = pdq_from_bytes(&jpeg).unwrap();
    assert!(fast.hash.distance(&full.hash) <= 20);
    // Large lossless images are binned to the working size too.
    let png = encode(&big, ImageFormat::Png);
    assert_eq!(
        decode_for_hashing(&png, &DecodeLimits::default())
            .unwrap()
            .dimensions(),
        (512, 384)
    );
    assert!(pdq_from_bytes(&png).unwrap().hash.distance(&full.hash) <= 20);
}

/// 64-bit hashes: stable, close to `image_hasher` on the plainly decoded file, far between
/// different images.
#[test]
fn compact_hashes() {
    let bytes = bridge_bytes();
    let p = phash64_from_bytes(&bytes).unwrap();
    let d = dhash64_from_bytes(&bytes).unwrap();
    assert_eq!(p, phash64_from_bytes(&bytes).unwrap());
    assert_eq!(p.to_hex().parse::<Hash64>().unwrap(), p);
    let plain = bridge();
    let dh = hashscreen::image::dhash64_from_image(&plain);
    let ph = hashscreen::image::phash64_from_image(&plain);
    assert!(d.distance(&dh) <= 8, "dhash {d} vs {dh}");
    assert!(p.distance(&ph) <= 8, "phash {p} vs {ph}");
    let other = std::fs::read(fixture("corpus/0269.jpg")).unwrap();
    assert!(dhash64_from_bytes(&other).unwrap().distance(&d) > 10);
    assert!(phash64_from_bytes(&other).unwrap().distance(&p) > 10);
}

/// GIF: the first frame is hashed.
#[test]
fn gif_first_frame() {
    use image::codecs::gif::GifEncoder;
    use image::{Delay, Frame};
    let a = bridge()
        .resize(200, 200, image::imageops::FilterType::Triangle)
        .to_rgba8();
    let b = image::RgbaImage::from_fn(a.width(), a.height(), |x, _| {
        image::Rgba([(x % 256) as u8, 0, 0, 255])
    });
    let mut out = Vec::new();
    {
        let mut enc = GifEncoder::new(&mut out);
        enc.encode_frame(Frame::from_parts(
            a.clone(),
            0,
            0,
            Delay::from_numer_denom_ms(100, 1),
        ))
        .unwrap();
        enc.encode_frame(Frame::from_parts(
            b,
            0,
            0,
            Delay::from_numer_denom_ms(100, 1),
        ))
        .unwrap();
    }
    let first = pdq_from_bytes(&out).unwrap();
    let png = encode(&DynamicImage::ImageRgba8(a), ImageFormat::Png);
    assert!(first.hash.distance(&pdq_from_bytes(&png).unwrap().hash) <= 24);
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// PNG carries orientation in an `eXIf` chunk; it is applied too.
#[test]
fn png_exif_orientation_is_applied() {
    let img = bridge().resize(400, 300, image::imageops::FilterType::Triangle);
    let upright = pdq_from_bytes(&encode(&img, ImageFormat::Png)).unwrap();
    for o in [3u16, 6, 8] {
        let png = encode(&stored_for(&img, o), ImageFormat::Png);
        // The TIFF payload of our APP1 segment, after its marker, length and "Exif\0\0".
        let tiff = exif_app1(o)[10..].to_vec();
        let mut chunk = (tiff.len() as u32).to_be_bytes().to_vec();
        let mut body = b"eXIf".to_vec();
        body.extend_from_slice(&tiff);
        chunk.extend_from_slice(&body);
        chunk.extend_from_slice(&crc32(&body).to_be_bytes());
        // Insert after the signature (8 bytes) and IHDR (25 bytes).
        let mut out = png[..33].to_vec();
        out.extend_from_slice(&chunk);
        out.extend_from_slice(&png[33..]);
        let p = pdq_from_bytes(&out).unwrap();
        assert!(p.hash.distance(&upright.hash) <= 8, "orientation {o}");
        let r = pdq_from_bytes_reference_compatible(&out).unwrap();
        assert!(r.hash.distance(&upright.hash) > 40, "orientation {o}");
    }
}

/// Lossy WebP photos are hashed from the VP8 luma plane, without an RGB copy: within a few bits of
/// hashing `image`'s RGB decode of the same file (the two differ by rounding, and where the
/// YUV-to-RGB conversion clips saturated colours). The fixtures are lossy WebP copies of the bridge
/// photo in two pixel modes (1600x1004), `F` (grey) and `HSV` (saturated false colours).
#[test]
fn lossy_webp_hashes_from_its_luma_plane() {
    for name in ["F", "HSV"] {
        let bytes = std::fs::read(fixture(&format!("modes/{name}.webp"))).unwrap();
        assert_eq!(&bytes[12..16], b"VP8 ", "{name}: a simple lossy file");
        let ours = pdq_from_bytes(&bytes).unwrap();
        let rgb = image::load_from_memory(&bytes).unwrap().to_rgb8();
        let via_rgb =
            pdq_from_bytes(&encode(&DynamicImage::ImageRgb8(rgb), ImageFormat::Png)).unwrap();
        let d = ours.hash.distance(&via_rgb.hash);
        println!(
            "{name}.webp: luma plane vs RGB decode: {d} bits, quality {}",
            ours.quality
        );
        assert!(d <= 6, "{name}.webp: {d} bits from the RGB decode");
        assert!(ours.quality >= 50);
        assert!(
            ours.hash.distance(&base().hash) <= 16,
            "{name}.webp: far from the original"
        );
    }
}

/// The fuzz seeds (one small image per format and layout) decode, and the lossless ones of the
/// same pixels hash alike: BMP 24 and 8 bits (grey palette), interlaced PNG and lossless WebP share
/// the bridge's grey luma; interlaced and plain GIF share their palette; lossy files stay close.
#[test]
fn seed_images_of_every_format() {
    let hash = |name: &str| {
        pdq_from_bytes(&std::fs::read(fixture(&format!("seeds/seed-{name}"))).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let bmp = hash("24.bmp");
    for name in ["8.bmp", "interlaced.png", "lossless.webp"] {
        assert_eq!(hash(name).hash, bmp.hash, "{name}");
    }
    assert_eq!(hash("interlaced.gif"), hash("plain.gif"));
    assert!(hash("plain.gif").hash.distance(&bmp.hash) <= 8);
    assert!(hash("lossy.webp").hash.distance(&bmp.hash) <= 16);
    assert!(
        hash("lossy-alpha.webp")
            .hash
            .distance(&hash("alpha.webp").hash)
            <= 16
    );
    assert!(hash("rle8.bmp").quality > 0);
}
