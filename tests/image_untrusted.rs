//! Untrusted input: truncated and corrupt files, decompression bombs, absurd EXIF, zero-size
//! images, oversized input. Always a typed error (or a hash), never a panic, bounded memory.
#![cfg(feature = "image")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hashscreen::image::{
    dhash64_from_bytes, pdq_dihedral_from_bytes, pdq_from_bytes,
    pdq_from_bytes_reference_compatible, pdq_from_bytes_with_limits, phash64_from_bytes,
    DecodeLimits, DEFAULT_MAX_DIMENSION, DEFAULT_MAX_PIXELS,
};
use hashscreen::Error;
use image::{DynamicImage, ImageFormat};
use std::io::Cursor;
use std::path::PathBuf;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/images")
        .join(rel)
}

fn small() -> DynamicImage {
    let b = std::fs::read(fixture("corpus/0075.jpg")).unwrap();
    image::load_from_memory(&b).unwrap()
}

fn encode(img: &DynamicImage, f: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), f).unwrap();
    out
}

/// Runs every bytes entry point; none may panic. Returns the `pdq_from_bytes` result.
fn all_paths(bytes: &[u8]) -> Result<hashscreen::image::Pdq, Error> {
    let _ = pdq_dihedral_from_bytes(bytes);
    let _ = pdq_from_bytes_reference_compatible(bytes);
    let _ = phash64_from_bytes(bytes);
    let _ = dhash64_from_bytes(bytes);
    pdq_from_bytes(bytes)
}

fn is_image_error(e: &Error) -> bool {
    matches!(
        e,
        Error::ImageDecode { .. }
            | Error::ImageTooLarge { .. }
            | Error::ImageMemoryLimit { .. }
            | Error::ImageEmpty { .. }
            | Error::UnsupportedImageFormat
    )
}

fn samples() -> Vec<(&'static str, Vec<u8>)> {
    let img = small();
    vec![
        ("jpeg", std::fs::read(fixture("corpus/0075.jpg")).unwrap()),
        ("png", encode(&img, ImageFormat::Png)),
        ("webp", encode(&img, ImageFormat::WebP)),
        ("gif", encode(&img, ImageFormat::Gif)),
        ("bmp", encode(&img, ImageFormat::Bmp)),
        ("interlaced png", interlaced_png(&img)),
        ("interlaced gif", interlaced_gif(&img)),
        (
            "lossy webp",
            std::fs::read(fixture("modes/F.webp")).unwrap(),
        ),
    ]
}

/// A `w x h` RLE8 BMP of diagonal bands (runs of 50 pixels, one colour each).
fn rle8_bmp(w: usize, h: usize) -> Vec<u8> {
    let palette: Vec<u8> = (0..=255u8).flat_map(|i| [i, i / 2, 255 - i, 0]).collect();
    let mut stream = Vec::new();
    for y in 0..h {
        for x in (0..w).step_by(50) {
            stream.extend([(w - x).min(50) as u8, ((x + y) / 7) as u8]);
        }
        stream.extend([0, 0]);
    }
    let data = 14 + 40 + palette.len();
    let mut out = b"BM".to_vec();
    out.extend(((data + stream.len()) as u32).to_le_bytes());
    out.extend([0, 0, 0, 0]);
    out.extend((data as u32).to_le_bytes());
    for v in [40, w as u32, h as u32] {
        out.extend(v.to_le_bytes());
    }
    out.extend([1, 0, 8, 0]); // planes, bits per pixel
    for v in [1, stream.len() as u32, 0, 0, 256, 0] {
        out.extend(v.to_le_bytes()); // BI_RLE8, data size, resolution, colours
    }
    out.extend(palette);
    out.extend(stream);
    out
}

/// `img` in grey as an Adam7-interlaced PNG (the `png` encoder writes no interlaced data).
fn interlaced_png(img: &DynamicImage) -> Vec<u8> {
    let g = img.to_luma8();
    let (w, h) = (g.width() as usize, g.height() as usize);
    let mut data = Vec::new();
    for (x0, dx, y0, dy) in [
        (0, 8, 0, 8),
        (4, 8, 0, 8),
        (0, 4, 4, 8),
        (2, 4, 0, 4),
        (0, 2, 2, 4),
        (1, 2, 0, 2),
        (0, 1, 1, 2),
    ] {
        if w <= x0 {
            continue;
        }
        for y in (y0..h).step_by(dy) {
            data.push(0);
            data.extend((x0..w).step_by(dx).map(|x| g.as_raw()[y * w + x]));
        }
    }
    let mut ihdr = (w as u32).to_be_bytes().to_vec();
    ihdr.extend_from_slice(&(h as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 1]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(png_chunk(b"IHDR", &ihdr));
    out.extend(png_chunk(b"IDAT", &fdeflate::compress_to_vec(&data)));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

/// `img` in grey (a 256-level palette) as a GIF with one interlaced frame.
fn interlaced_gif(img: &DynamicImage) -> Vec<u8> {
    let g = img.to_luma8();
    let (w, h) = (g.width() as usize, g.height() as usize);
    let palette: Vec<u8> = (0..=255u8).flat_map(|v| [v, v, v]).collect();
    let rows = [(0, 8), (4, 8), (2, 4), (1, 2)]
        .iter()
        .flat_map(|&(s, d)| (s..h).step_by(d));
    let buffer: Vec<u8> = rows
        .flat_map(|y| g.as_raw()[y * w..(y + 1) * w].to_vec())
        .collect();
    let mut frame = gif::Frame::from_indexed_pixels(w as u16, h as u16, buffer, None);
    frame.interlaced = true;
    let mut out = Vec::new();
    {
        let mut enc = gif::Encoder::new(&mut out, w as u16, h as u16, &palette).unwrap();
        enc.write_frame(&frame).unwrap();
    }
    out
}

/// Truncated at many points: a typed error (a decoder may also return a partial image).
#[test]
fn truncated_files() {
    for (name, bytes) in samples() {
        assert!(all_paths(&bytes).is_ok(), "{name} intact");
        for k in 1..24 {
            let cut = bytes.len() * k / 24;
            match all_paths(&bytes[..cut]) {
                Ok(_) => {}
                Err(e) => assert!(is_image_error(&e), "{name} cut at {cut}: {e:?}"),
            }
        }
        // Cut inside the header: always an error.
        let e = all_paths(&bytes[..bytes.len().min(20)]).unwrap_err();
        assert!(is_image_error(&e), "{name}: {e:?}");
    }
}

/// BMP headers whose pixel data offset points inside (or before) the headers: the offset is the
/// attacker's; hash or typed error, never a panic (the strip decoder patches the headers it copies).
#[test]
fn bmp_data_offset_inside_the_headers() {
    let (w, h) = (4u32, 4u32);
    let stride = (w * 3).div_ceil(4) * 4;
    let pixels = vec![0x80u8; (stride * h) as usize];
    for offset in [0u32, 10, 20, 30, 53, 54] {
        for dib in [12u32, 40] {
            let mut b = b"BM".to_vec();
            b.extend((54 + pixels.len() as u32).to_le_bytes());
            b.extend([0, 0, 0, 0]);
            b.extend(offset.to_le_bytes());
            b.extend(dib.to_le_bytes());
            if dib == 12 {
                b.extend([w as u8, 0, h as u8, 0, 1, 0, 24, 0]);
            } else {
                b.extend(w.to_le_bytes());
                b.extend(h.to_le_bytes());
                b.extend([1, 0, 24, 0]);
                b.extend([0u8; 24]);
            }
            b.extend(&pixels);
            if let Err(e) = all_paths(&b) {
                assert!(is_image_error(&e), "offset {offset}, header {dib}: {e:?}");
            }
        }
    }
}

/// Bytes overwritten with noise: hash or typed error, never a panic.
#[test]
fn corrupt_files() {
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    for (name, bytes) in samples() {
        for round in 0..12 {
            let mut b = bytes.clone();
            for _ in 0..(1 + round * 3) {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                let at = 8 + (s as usize) % (b.len() - 8);
                b[at] = (s >> 32) as u8;
            }
            if let Err(e) = all_paths(&b) {
                assert!(is_image_error(&e), "{name} round {round}: {e:?}");
            }
        }
    }
    assert!(matches!(
        pdq_from_bytes(b"not an image at all"),
        Err(Error::UnsupportedImageFormat)
    ));
    assert!(matches!(
        pdq_from_bytes(b""),
        Err(Error::UnsupportedImageFormat)
    ));
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

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

/// A PNG whose header declares `w x h` RGB8, with a tiny (incomplete) IDAT.
fn png_bomb(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    out.extend(png_chunk(b"IHDR", &ihdr));
    // zlib stream of a few zero bytes
    out.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01],
    ));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

/// Decompression bombs: huge declared dimensions are rejected from the header, before any pixel
/// buffer exists.
#[test]
fn decompression_bombs() {
    // 100000 x 100000: over the side limit.
    match pdq_from_bytes(&png_bomb(100_000, 100_000)) {
        Err(Error::ImageTooLarge { limit, .. }) => {
            assert_eq!(limit, u64::from(DEFAULT_MAX_DIMENSION))
        }
        other => panic!("{other:?}"),
    }
    // 20000 x 20000 = 400 MP: sides fine, pixel count over the limit.
    match pdq_from_bytes(&png_bomb(20_000, 20_000)) {
        Err(Error::ImageTooLarge {
            width: 20_000,
            height: 20_000,
            limit,
        }) => {
            assert_eq!(limit, DEFAULT_MAX_PIXELS)
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        pdq_from_bytes_reference_compatible(&png_bomb(100_000, 100_000)),
        Err(Error::ImageTooLarge { .. })
    ));
    // JPEG: patch the frame header of a real file to 65000 x 65000.
    let mut jpeg = std::fs::read(fixture("corpus/0075.jpg")).unwrap();
    let sof = jpeg
        .windows(2)
        .position(|w| w[0] == 0xFF && (w[1] == 0xC0 || w[1] == 0xC2))
        .unwrap();
    jpeg[sof + 5..sof + 7].copy_from_slice(&65_000u16.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&65_000u16.to_be_bytes());
    assert!(matches!(all_paths(&jpeg), Err(Error::ImageTooLarge { .. })));
    // GIF and BMP headers declaring huge images.
    let mut gif = encode(&small(), ImageFormat::Gif);
    gif[6..8].copy_from_slice(&65_535u16.to_le_bytes());
    gif[8..10].copy_from_slice(&65_535u16.to_le_bytes());
    if let Err(e) = all_paths(&gif) {
        assert!(is_image_error(&e), "{e:?}");
    }
    let mut bmp = encode(&small(), ImageFormat::Bmp);
    bmp[18..22].copy_from_slice(&60_000i32.to_le_bytes());
    bmp[22..26].copy_from_slice(&60_000i32.to_le_bytes());
    assert!(all_paths(&bmp).is_err());
}

/// Within the pixel limit but over the memory limit: typed error from the limits, no allocation.
/// JPEG, PNG (interlaced or not), GIF, BMP (RLE or not) and lossy WebP stay within a small cap
/// because they never hold the full-size image; lossless WebP is decoded whole and refused.
#[test]
fn memory_limit_is_enforced() {
    let limits = DecodeLimits {
        max_alloc_bytes: 4 << 20,
        ..DecodeLimits::default()
    };
    // 2000 x 2000: 12 MB as RGB, 16 MB as RGBA.
    let big = DynamicImage::ImageRgb8(image::RgbImage::from_fn(2000, 2000, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x * y) % 256) as u8])
    }));
    assert!(matches!(
        pdq_from_bytes_with_limits(&encode(&big, ImageFormat::WebP), &limits),
        Err(Error::ImageMemoryLimit { limit: 4_194_304 })
    ));
    // Streamed into 500 x 500 bins (2 MB; BMP in strips of about 1 MiB of rows): fine under 4 MiB, and
    // the same hash as unlimited.
    let grey = DynamicImage::ImageLuma8(big.to_luma8());
    for (name, bytes) in [
        ("png", encode(&big, ImageFormat::Png)),
        ("interlaced png", interlaced_png(&grey)),
        ("gif", encode(&big, ImageFormat::Gif)),
        ("bmp", encode(&big, ImageFormat::Bmp)),
        ("rle8 bmp", rle8_bmp(2000, 2000)),
    ] {
        assert_eq!(
            pdq_from_bytes_with_limits(&bytes, &limits).unwrap(),
            pdq_from_bytes(&bytes).unwrap(),
            "{name}"
        );
    }
    // A lossy WebP is hashed from its luma plane (1.5 bytes a pixel with chroma, 2.4 MB here),
    // not from an RGB copy (4.8 MB more).
    let webp = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/images/modes/HSV.webp"
    ))
    .unwrap();
    assert_eq!(
        pdq_from_bytes_with_limits(&webp, &limits).unwrap(),
        pdq_from_bytes(&webp).unwrap()
    );
    // The JPEG fast path only needs its reduced-scale buffer (1/4 scale: 500 x 500 x 3 bytes).
    let jpeg = encode(&big, ImageFormat::Jpeg);
    assert!(pdq_from_bytes_with_limits(&jpeg, &limits).is_ok());
    let tiny = DecodeLimits {
        max_input_bytes: 100,
        ..DecodeLimits::default()
    };
    assert!(matches!(
        pdq_from_bytes_with_limits(&jpeg, &tiny),
        Err(Error::ImageInputTooLarge { limit: 100, .. })
    ));
}

/// Builds an APP1 EXIF segment from raw TIFF bytes.
fn app1(tiff: &[u8]) -> Vec<u8> {
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(tiff);
    let mut seg = vec![0xFF, 0xE1];
    seg.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    seg.extend_from_slice(&payload);
    seg
}

/// Absurd EXIF: out-of-range orientation, offsets past the end, huge counts, garbage. The image
/// still hashes (orientation ignored), as if there were no EXIF.
#[test]
fn absurd_exif_is_ignored() {
    let jpeg = std::fs::read(fixture("corpus/0075.jpg")).unwrap();
    let plain = pdq_from_bytes(&jpeg).unwrap();
    let mut bad_tiffs: Vec<Vec<u8>> = vec![];
    // orientation 99
    let mut t = b"II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0".to_vec();
    t.extend_from_slice(&[99, 0, 0, 0, 0, 0, 0, 0]);
    bad_tiffs.push(t);
    // IFD offset far past the end
    bad_tiffs.push(b"II*\0\xff\xff\xff\x7f".to_vec());
    // entry count 65535 with no entries
    bad_tiffs.push(b"MM\0*\0\0\0\x08\xff\xff".to_vec());
    // orientation tag with count 2^32-1, value offset out of range
    bad_tiffs.push(b"II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\xff\xff\xff\xff\xff\xff\xff\x7f".to_vec());
    // not TIFF at all
    bad_tiffs.push(vec![0xAB; 300]);
    bad_tiffs.push(vec![]);
    for (i, tiff) in bad_tiffs.iter().enumerate() {
        let mut b = jpeg[..2].to_vec();
        b.extend(app1(tiff));
        b.extend_from_slice(&jpeg[2..]);
        let p = all_paths(&b).unwrap_or_else(|e| panic!("case {i}: {e:?}"));
        assert_eq!(p, plain, "case {i}");
    }
}

/// Zero-size images: a typed error.
#[test]
fn zero_size_images() {
    for (w, h) in [(0, 10), (10, 0), (0, 0)] {
        let e = pdq_from_bytes(&png_bomb(w, h)).unwrap_err();
        assert!(
            matches!(e, Error::ImageEmpty { .. } | Error::ImageDecode { .. }),
            "{w}x{h}: {e:?}"
        );
    }
    let mut jpeg = std::fs::read(fixture("corpus/0075.jpg")).unwrap();
    let sof = jpeg
        .windows(2)
        .position(|w| w[0] == 0xFF && (w[1] == 0xC0 || w[1] == 0xC2))
        .unwrap();
    jpeg[sof + 7..sof + 9].copy_from_slice(&0u16.to_be_bytes()); // width 0
    let e = pdq_from_bytes(&jpeg).unwrap_err();
    assert!(
        matches!(e, Error::ImageEmpty { .. } | Error::ImageDecode { .. }),
        "{e:?}"
    );
    // Error messages carry no pixel data, only sizes and decoder reasons.
    assert!(e.to_string().len() < 200);
}
