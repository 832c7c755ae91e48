//! Image hashing benchmarks: end to end from encoded bytes (decode + hash), one criterion group per
//! image so the report shows each peer's ratio, plus the PDQ maths alone on a 512x512 buffer.
//!
//! `cargo bench --bench image`
//!
//! Peers:
//! - `image+image_hasher`: `image` 0.25 full decode + `image_hasher` default hasher (the design's
//!   baseline);
//! - `image023+pdqhash`: `image` 0.23 decode + `pdqhash` 0.1 `generate_pdq_full_size` (a straight
//!   Rust port of the reference, on the full-resolution image);
//! - `image+hashscreen_pdq_full`: `image` 0.25 full decode + our PDQ maths on the full image
//!   (bit-exact with the reference);
//! - `zune_jpeg_luma+hashscreen_pdq_full` (JPEG only): `zune-jpeg` full-size decode to luma + our
//!   PDQ maths, to size what a faster entropy decoder would buy;
//! - `hashscreen_pdq`: our fast path (`pdq_from_bytes`: reduced-scale decode, orientation, PDQ);
//! - `hashscreen_pdq_dihedral`, `hashscreen_pdq_reference_compatible`, `hashscreen_dhash64`.
//!
//! Images: the 12 MP phone JPEG `fixtures/images/bench/exif-rotn-1.jpg` (4032x3024, ThreatExchange
//! test data; override with `HASHSCREEN_BENCH_12MP=/path.jpg`), the 1.6 MP JPEG
//! `fixtures/images/dih/bridge-1-original.jpg`, and a 0.69 MP PNG (1024x675) made at start-up
//! by re-encoding `fixtures/images/corpus/0020.jpg` losslessly.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use hashscreen::image as hs;
use std::hint::black_box;
use std::path::PathBuf;

fn fixture(rel: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/images")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn inputs() -> Vec<(&'static str, Vec<u8>)> {
    let big = match std::env::var_os("HASHSCREEN_BENCH_12MP") {
        Some(p) => std::fs::read(p).unwrap(),
        None => fixture("bench/exif-rotn-1.jpg"),
    };
    let png = {
        let img = image::load_from_memory(&fixture("corpus/0020.jpg")).unwrap();
        let mut out = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    };
    vec![
        ("jpeg_12mp_4032x3024", big),
        ("jpeg_1.6mp_1600x1004", fixture("dih/bridge-1-original.jpg")),
        ("png_0.7mp_1024x675", png),
    ]
}

fn end_to_end(c: &mut Criterion) {
    let default_hasher = image_hasher::HasherConfig::new().to_hasher();
    for (name, bytes) in inputs() {
        let mut g = c.benchmark_group(format!("image_e2e/{name}"));
        g.throughput(Throughput::Elements(1));
        g.sample_size(20);
        g.bench_function("image+image_hasher", |b| {
            b.iter(|| {
                let img = image::load_from_memory(black_box(&bytes)).unwrap();
                default_hasher.hash_image(&img)
            })
        });
        g.bench_function("image023+pdqhash", |b| {
            b.iter(|| {
                let img = image023::load_from_memory(black_box(&bytes)).unwrap();
                pdqhash::generate_pdq_full_size(&img)
            })
        });
        g.bench_function("image+hashscreen_pdq_full", |b| {
            b.iter(|| {
                let img = image::load_from_memory(black_box(&bytes))
                    .unwrap()
                    .to_rgb8();
                let (w, h) = (img.width() as usize, img.height() as usize);
                hs::pdq_from_rgb(img.as_raw(), w, h, 3 * w).unwrap()
            })
        });
        if name.starts_with("jpeg") {
            // The JPEG decoder that an entropy-decoding-bound path would switch to (see
            // BENCHMARKS.md): full-size decode straight to luma, then our PDQ maths.
            g.bench_function("zune_jpeg_luma+hashscreen_pdq_full", |b| {
                b.iter(|| {
                    let opts = zune_core::options::DecoderOptions::default()
                        .jpeg_set_out_colorspace(zune_core::colorspace::ColorSpace::Luma);
                    let cursor = zune_core::bytestream::ZCursor::new(black_box(&bytes[..]));
                    let mut d = zune_jpeg::JpegDecoder::new_with_options(cursor, opts);
                    let luma = d.decode().unwrap();
                    let (w, h) = d.dimensions().unwrap();
                    hs::pdq_from_luma(&luma, w, h, w).unwrap()
                })
            });
        }
        g.bench_function("hashscreen_pdq", |b| {
            b.iter(|| hs::pdq_from_bytes(black_box(&bytes)).unwrap())
        });
        g.bench_function("hashscreen_pdq_dihedral", |b| {
            b.iter(|| hs::pdq_dihedral_from_bytes(black_box(&bytes)).unwrap())
        });
        g.bench_function("hashscreen_pdq_reference_compatible", |b| {
            b.iter(|| hs::pdq_from_bytes_reference_compatible(black_box(&bytes)).unwrap())
        });
        g.bench_function("hashscreen_dhash64", |b| {
            b.iter(|| hs::dhash64_from_bytes(black_box(&bytes)).unwrap())
        });
        g.finish();
    }
}

fn maths(c: &mut Criterion) {
    let n = 512usize;
    let luma: Vec<u8> = (0..n * n)
        .map(|i| (((i % n) * 3 + (i / n) * 5 + (i * 2_654_435_761) % 97) % 256) as u8)
        .collect();
    let luma_f: Vec<f32> = luma.iter().map(|&v| f32::from(v)).collect();
    let img023 = image023::DynamicImage::ImageLuma8(
        image023::GrayImage::from_raw(n as u32, n as u32, luma.clone()).unwrap(),
    );
    let mut g = c.benchmark_group("pdq_maths_512x512");
    g.throughput(Throughput::Elements(1));
    g.bench_function(BenchmarkId::new("hashscreen", "luma_u8"), |b| {
        b.iter(|| hs::pdq_from_luma(black_box(&luma), n, n, n).unwrap())
    });
    g.bench_function(BenchmarkId::new("hashscreen", "luma_f32"), |b| {
        b.iter(|| hs::pdq_from_float_luma(black_box(&luma_f), n, n, n).unwrap())
    });
    g.bench_function(BenchmarkId::new("hashscreen", "dihedral_u8"), |b| {
        b.iter(|| hs::pdq_dihedral_from_luma(black_box(&luma), n, n, n).unwrap())
    });
    g.bench_function(BenchmarkId::new("pdqhash", "full_size"), |b| {
        b.iter(|| pdqhash::generate_pdq_full_size(black_box(&img023)))
    });
    g.finish();
}

criterion_group!(benches, end_to_end, maths);
criterion_main!(benches);
