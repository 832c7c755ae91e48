//! Full checks against the project's shared reference data (not part of the fixtures).
//!
//! These read files outside the repository, so they are `#[ignore]`d and need
//! `HASHSCREEN_SHARED_DIR` (the `shared/` folder holding `vectors/pdq` and `corpus/dev`):
//! `HASHSCREEN_SHARED_DIR=/work/shared cargo test --release --test image_shared_full -- --ignored --nocapture`
#![cfg(feature = "image")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hashscreen::image::{pdq_from_rgb, PdqHash};
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    std::env::var_os("HASHSCREEN_SHARED_DIR").map(PathBuf::from)
}

/// Every FULL-RES row of `measured-cpp-pdqbench-on-png-copies.csv`: bit-exact.
#[test]
#[ignore = "needs HASHSCREEN_SHARED_DIR"]
fn full_res_png_copies_bit_exact() {
    let Some(dir) = shared() else { return };
    let pdq = dir.join("vectors/pdq");
    let csv = std::fs::read_to_string(pdq.join("measured-cpp-pdqbench-on-png-copies.csv")).unwrap();
    let mut n = 0;
    let mut bad = 0;
    for line in csv.lines().filter(|l| l.contains("FULL-RES")) {
        let (file, rest) = line.split_once(',').unwrap();
        let tail = rest.rsplit_once(',').unwrap().1;
        let (hex, q) = tail.split_once(" q=").unwrap();
        let path = pdq.join("png-copies").join(file);
        if !path.exists() {
            continue;
        }
        let img = image::open(&path).unwrap().to_rgb8();
        let (w, h) = img.dimensions();
        let got = pdq_from_rgb(img.as_raw(), w as usize, h as usize, 3 * w as usize).unwrap();
        let want = PdqHash::from_hex(hex).unwrap();
        let d = got.hash.distance(&want);
        println!("{file}: distance {d}, quality {} (ref {q})", got.quality);
        n += 1;
        if d != 0 || got.quality.to_string() != q {
            bad += 1;
        }
    }
    assert!(n > 20);
    assert_eq!(bad, 0);
}

fn summary(name: &str, mut d: Vec<u32>) {
    d.sort_unstable();
    let n = d.len();
    let pct = |p: f64| d[((n as f64 - 1.0) * p).round() as usize];
    let mean = d.iter().map(|&v| f64::from(v)).sum::<f64>() / n as f64;
    let within = |t: u32| d.iter().filter(|&&v| v <= t).count();
    println!(
        "{name}: n={n} mean={mean:.2} median={} p90={} p99={} max={} | <=10: {} <=20: {} <=31: {}",
        pct(0.5),
        pct(0.9),
        pct(0.99),
        d[n - 1],
        within(10),
        within(20),
        within(31)
    );
}

/// The corpus against the reference CLI's hashes: reference-compatible mode and fast path; and the
/// fast path against our own full-resolution hash.
#[test]
#[ignore = "needs HASHSCREEN_SHARED_DIR"]
fn corpus_distance_distributions() {
    use hashscreen::image::{pdq_from_bytes, pdq_from_bytes_reference_compatible};
    let Some(dir) = shared() else { return };
    let csv =
        std::fs::read_to_string(dir.join("vectors/pdq/corpus-dev-cpp-cli-hashes.csv")).unwrap();
    let (mut compat, mut fast, mut fast_full, mut full_ref) = (vec![], vec![], vec![], vec![]);
    let mut worst = vec![];
    for line in csv.lines() {
        let mut it = line.split(',');
        let (hex, q, file) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
        let q: u32 = q.parse().unwrap();
        if q < 80 {
            continue;
        }
        let want = PdqHash::from_hex(hex).unwrap();
        let bytes = std::fs::read(dir.join("corpus/dev").join(file)).unwrap();
        let c = pdq_from_bytes_reference_compatible(&bytes).unwrap();
        let f = pdq_from_bytes(&bytes).unwrap();
        let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
        let (w, h) = img.dimensions();
        let full = pdq_from_rgb(img.as_raw(), w as usize, h as usize, 3 * w as usize).unwrap();
        compat.push(c.hash.distance(&want));
        worst.push((c.hash.distance(&want), file.to_string()));
        fast.push(f.hash.distance(&want));
        fast_full.push(f.hash.distance(&full.hash));
        full_ref.push(full.hash.distance(&want));
    }
    worst.sort();
    println!(
        "worst reference-compatible: {:?}",
        &worst[worst.len() - 5..]
    );
    summary("reference-compatible vs C++ CLI", compat.clone());
    summary("fast path vs C++ CLI", fast);
    summary("fast path vs our full-res", fast_full);
    summary("our full-res vs C++ CLI", full_ref);
    assert!(compat.iter().all(|&d| d <= 10));
}

/// How much the working-size reduction costs: for corpus images the fast path reduces, the
/// distance to the full-resolution hash, and the same for a plain 2x2 box reduction of the
/// full-resolution pixels (to separate DCT-domain scaling from resolution itself).
#[test]
#[ignore = "needs HASHSCREEN_SHARED_DIR"]
fn working_size_cost() {
    use hashscreen::image::{pdq_from_bytes, pdq_from_float_luma, WORKING_MIN_SIDE};
    let Some(dir) = shared() else { return };
    let (mut fast, mut boxed) = (vec![], vec![]);
    for i in 0..395 {
        let bytes = std::fs::read(dir.join(format!("corpus/dev/{i:04}.jpg"))).unwrap();
        let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
        let (w, h) = (img.width() as usize, img.height() as usize);
        if w.min(h) < 2 * WORKING_MIN_SIDE {
            continue;
        }
        let full = pdq_from_rgb(img.as_raw(), w, h, 3 * w).unwrap();
        if full.quality < 80 {
            continue;
        }
        let f = pdq_from_bytes(&bytes).unwrap();
        fast.push(f.hash.distance(&full.hash));
        let luma: Vec<f32> = img
            .pixels()
            .map(|p| 0.299 * p.0[0] as f32 + 0.587 * p.0[1] as f32 + 0.114 * p.0[2] as f32)
            .collect();
        let (bw, bh) = (w / 2, h / 2);
        let mut b = vec![0.0f32; bw * bh];
        for y in 0..bh {
            for x in 0..bw {
                let s = luma[2 * y * w + 2 * x]
                    + luma[2 * y * w + 2 * x + 1]
                    + luma[(2 * y + 1) * w + 2 * x]
                    + luma[(2 * y + 1) * w + 2 * x + 1];
                b[y * bw + x] = s / 4.0;
            }
        }
        let bx = pdq_from_float_luma(&b, bw, bh, bw).unwrap();
        boxed.push(bx.hash.distance(&full.hash));
    }
    summary("fast path (1/2-scale JPEG decode) vs full-res", fast);
    summary("2x2 box of full-res pixels vs full-res", boxed);
}

/// Best-of-batches wall time per PDQ on a 512x512 buffer (the minimum is robust to other load on
/// a shared machine):
/// `cargo test --release --test image_shared_full maths_min_time -- --ignored --nocapture`.
#[test]
#[ignore = "timing"]
fn maths_min_time() {
    let n = 512usize;
    let luma: Vec<u8> = (0..n * n)
        .map(|i| (((i % n) * 3 + (i / n) * 5 + (i * 2_654_435_761) % 97) % 256) as u8)
        .collect();
    let mut best = f64::MAX;
    for _ in 0..200 {
        let t = std::time::Instant::now();
        for _ in 0..10 {
            std::hint::black_box(hashscreen::image::pdq_from_luma(&luma, n, n, n).unwrap());
        }
        best = best.min(t.elapsed().as_secs_f64() / 10.0);
    }
    println!("pdq_from_luma 512x512: best {:.3} ms per hash", best * 1e3);
}

/// Large photos (10-13 MP): the fast path (1/8-scale JPEG decode) against the full-resolution
/// hash, and the reference-compatible mode against the C++ CLI where its hash is known.
#[test]
#[ignore = "needs HASHSCREEN_SHARED_DIR"]
fn large_photos() {
    use hashscreen::image::{pdq_from_bytes, pdq_from_bytes_reference_compatible};
    let Some(dir) = shared() else { return };
    let refs =
        std::fs::read_to_string(dir.join("vectors/pdq/measured-cpp-reference-hashes.csv")).unwrap();
    let files = [
        "corpus/large/L03.jpg",
        "corpus/large/L06.jpg",
        "vectors/pdq/data/reg-test-input/exif-rotn/exif-rotn-1.jpg",
        "vectors/pdq/data/reg-test-input/exif-rotn/exif-rotn-3.jpg",
        "vectors/pdq/data/reg-test-input/exif-rotn/exif-rotn-6.jpg",
        "vectors/pdq/data/reg-test-input/exif-rotn/exif-rotn-8.jpg",
    ];
    let first = pdq_from_bytes(&std::fs::read(dir.join(files[2])).unwrap()).unwrap();
    for f in files {
        let bytes = std::fs::read(dir.join(f)).unwrap();
        let fast = pdq_from_bytes(&bytes).unwrap();
        println!(
            "  fast-path distance to exif-rotn-1: {}",
            fast.hash.distance(&first.hash)
        );
        let compat = pdq_from_bytes_reference_compatible(&bytes).unwrap();
        let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
        let (w, h) = (img.width() as usize, img.height() as usize);
        let full = pdq_from_rgb(img.as_raw(), w, h, 3 * w).unwrap();
        let name = f.rsplit('/').next().unwrap();
        let cli = refs
            .lines()
            .find(|l| l.ends_with(&format!("/{name}")))
            .map(|l| PdqHash::from_hex(l.split(',').next().unwrap()).unwrap());
        println!(
            "{name} {w}x{h}: fast vs full-res (no EXIF) {} | compat vs CLI {:?} | q {}",
            fast.hash.distance(&full.hash),
            cli.map(|c| c.distance(&compat.hash)),
            fast.quality
        );
    }
}

/// The reference CLI path (`total(decode+resize+hash)` rows) on the lossless PNG copies: the
/// reference-compatible mode reproduces it bit for bit, resize included.
#[test]
#[ignore = "needs HASHSCREEN_SHARED_DIR"]
fn cli_path_png_copies_bit_exact() {
    use hashscreen::image::pdq_from_bytes_reference_compatible;
    let Some(dir) = shared() else { return };
    let pdq = dir.join("vectors/pdq");
    let csv = std::fs::read_to_string(pdq.join("measured-cpp-pdqbench-on-png-copies.csv")).unwrap();
    let mut n = 0;
    for line in csv.lines().filter(|l| l.contains("CLI path")) {
        let (file, rest) = line.split_once(',').unwrap();
        let (hex, q) = rest.rsplit_once(',').unwrap().1.split_once(" q=").unwrap();
        let path = pdq.join("png-copies").join(file);
        if !path.exists() {
            continue;
        }
        let got = pdq_from_bytes_reference_compatible(&std::fs::read(&path).unwrap()).unwrap();
        let d = got.hash.distance(&PdqHash::from_hex(hex).unwrap());
        println!("{file}: CLI path distance {d}");
        assert_eq!(d, 0, "{file}");
        assert_eq!(got.quality.to_string(), q);
        n += 1;
    }
    assert!(n > 20);
}

/// Best-of-N wall time end to end from bytes for our fast path and the peers (the minimum is a
/// fairer figure than the mean on a shared, loaded machine):
/// `cargo test --release --test image_shared_full e2e_min_time -- --ignored --nocapture`.
#[test]
#[ignore = "timing"]
fn e2e_min_time() {
    use hashscreen::image::pdq_from_bytes;
    fn best(n: usize, mut f: impl FnMut()) -> f64 {
        (0..n)
            .map(|_| {
                let t = std::time::Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .fold(f64::MAX, f64::min)
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/images");
    let png = {
        let img = image::open(root.join("corpus/0020.jpg")).unwrap();
        let mut out = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    };
    let inputs = [
        (
            "12 MP JPEG",
            std::fs::read(root.join("bench/exif-rotn-1.jpg")).unwrap(),
            12,
        ),
        (
            "1.6 MP JPEG",
            std::fs::read(root.join("dih/bridge-1-original.jpg")).unwrap(),
            40,
        ),
        ("0.7 MP PNG", png, 40),
    ];
    let dhash = image_hasher::HasherConfig::new().to_hasher();
    for (name, bytes, n) in inputs {
        let ours = best(n, || {
            std::hint::black_box(pdq_from_bytes(&bytes).unwrap());
        });
        let baseline = best(n, || {
            let img = image::load_from_memory(&bytes).unwrap();
            std::hint::black_box(dhash.hash_image(&img));
        });
        let full = best(n, || {
            let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
            let (w, h) = (img.width() as usize, img.height() as usize);
            std::hint::black_box(pdq_from_rgb(img.as_raw(), w, h, 3 * w).unwrap());
        });
        let pdqhash = best(n.min(8), || {
            let img = image023::load_from_memory(&bytes).unwrap();
            std::hint::black_box(pdqhash::generate_pdq_full_size(&img));
        });
        println!(
            "{name}: hashscreen_pdq {ours:.2} ms | image+image_hasher {baseline:.2} ms | \
             image+hashscreen_pdq_full {full:.2} ms | image023+pdqhash {pdqhash:.2} ms"
        );
    }
}
