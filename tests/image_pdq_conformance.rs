//! PDQ conformance with Meta's C++ reference, and the fast maths against a slow f64 oracle.
//!
//! Fixtures and their provenance: `fixtures/images/README.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hashscreen::image::{hazmat, pdq_dihedral_from_luma, pdq_from_luma, pdq_from_rgb, PdqHash};
use proptest::prelude::*;
use std::path::PathBuf;

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/images")
        .join(rel)
}

/// Same pixels in, same bits out: the reference's full-resolution path on lossless PNG copies
/// (RGB, alpha-free), bit for bit, quality included.
#[test]
fn bit_exact_with_cpp_reference_on_png_copies() {
    let csv = std::fs::read_to_string(fixture("pdq-png/cpp-full-res-hashes.csv")).unwrap();
    let mut n = 0;
    for line in csv.lines() {
        let v: Vec<&str> = line.split(',').collect();
        let img = image::open(fixture(&format!("pdq-png/{}", v[0])))
            .unwrap()
            .to_rgb8();
        let (w, h) = (img.width() as usize, img.height() as usize);
        let got = pdq_from_rgb(img.as_raw(), w, h, 3 * w).unwrap();
        assert_eq!(got.hash, PdqHash::from_hex(v[1]).unwrap(), "{}", v[0]);
        assert_eq!(got.quality.to_string(), v[2], "{}", v[0]);
        n += 1;
    }
    assert_eq!(n, 12);
}

/// The reference-compatible mode (nearest-neighbour 512x512 like the reference CLI) lands within
/// 10 bits of the CLI's hashes (which came from libjpeg-turbo pixels).
#[cfg(feature = "image")]
#[test]
fn reference_compatible_mode_matches_cli_on_corpus_sample() {
    use hashscreen::image::{pdq_from_bytes, pdq_from_bytes_reference_compatible};
    let csv = std::fs::read_to_string(fixture("corpus/cpp-cli-hashes.csv")).unwrap();
    let mut n = 0;
    for line in csv.lines() {
        let v: Vec<&str> = line.split(',').collect();
        let want = PdqHash::from_hex(v[0]).unwrap();
        let bytes = std::fs::read(fixture(&format!("corpus/{}", v[2]))).unwrap();
        let got = pdq_from_bytes_reference_compatible(&bytes).unwrap();
        let d = got.hash.distance(&want);
        assert!(d <= 10, "{}: distance {d}", v[2]);
        assert_eq!(got.quality.to_string(), v[1]);
        // The fast path is not bit-compatible, but stays well inside the usual match radius.
        let fast = pdq_from_bytes(&bytes).unwrap();
        assert!(fast.hash.distance(&want) <= 31, "{}", v[2]);
        n += 1;
    }
    assert_eq!(n, 10);
}

/// The eight dihedral hashes of the original (one DCT) are within 20 bits of the reference's
/// hashes of the actually rotated and flipped files.
#[cfg(feature = "image")]
#[test]
fn dihedral_hashes_match_rotated_files() {
    use hashscreen::image::{pdq_dihedral_from_bytes, Dihedral};
    let csv = std::fs::read_to_string(fixture("dih/cpp-reference-hashes.csv")).unwrap();
    let want: Vec<PdqHash> = csv
        .lines()
        .map(|l| PdqHash::from_hex(l.split(',').next().unwrap()).unwrap())
        .collect();
    assert_eq!(want.len(), 8);
    let bytes = std::fs::read(fixture("dih/bridge-1-original.jpg")).unwrap();
    let all = pdq_dihedral_from_bytes(&bytes).unwrap();
    for d in Dihedral::ALL {
        let dist = all.get(d).distance(&want[d.index()]);
        assert!(dist <= 20, "{d:?}: distance {dist}");
        // ... and far from the other variants' hashes.
        for other in Dihedral::ALL.into_iter().filter(|o| *o != d) {
            assert!(
                all.get(d).distance(&want[other.index()]) > 64,
                "{d:?} vs {other:?}"
            );
        }
    }
}

/// Dihedral variants computed from one DCT equal the hashes of the exactly transformed pixels
/// when decimation is symmetric (64x64 input: no filtering, exact index mirroring).
#[test]
fn dihedral_from_one_dct_equals_transformed_pixels_at_64() {
    use hashscreen::image::Dihedral;
    let n = 64;
    let px: Vec<u8> = (0..n * n)
        .map(|i| ((i * 7919 + (i / n) * 31) % 251) as u8)
        .collect();
    let at = |x: usize, y: usize| px[y * n + x];
    let all = pdq_dihedral_from_luma(&px, n, n, n).unwrap();
    type Map = fn(usize, usize, usize) -> (usize, usize);
    let transforms: [(Dihedral, Map); 8] = [
        (Dihedral::Original, |x, y, _| (x, y)),
        (Dihedral::Rotate90, |x, y, n| (n - 1 - y, x)),
        (Dihedral::Rotate180, |x, y, n| (n - 1 - x, n - 1 - y)),
        (Dihedral::Rotate270, |x, y, n| (y, n - 1 - x)),
        (Dihedral::FlipX, |x, y, n| (x, n - 1 - y)),
        (Dihedral::FlipY, |x, y, n| (n - 1 - x, y)),
        (Dihedral::FlipPlus1, |x, y, _| (y, x)),
        (Dihedral::FlipMinus1, |x, y, n| (n - 1 - y, n - 1 - x)),
    ];
    for (d, f) in transforms {
        let t: Vec<u8> = (0..n * n)
            .map(|i| {
                let (sx, sy) = f(i % n, i / n, n);
                at(sx, sy)
            })
            .collect();
        let direct = pdq_from_luma(&t, n, n, n).unwrap().hash;
        assert!(direct.distance(&all.get(d)) <= 2, "{d:?}");
    }
}

// ---- slow, obviously correct oracle -------------------------------------------------------

/// Box average over `[i - (w - half), i + half - 1]` clipped to the line, `half = (w + 2) / 2`:
/// the reference's window placement, computed directly in f64.
fn box_line(v: &[f64], w: usize) -> Vec<f64> {
    let half = (w + 2) / 2;
    let n = v.len() as isize;
    (0..n)
        .map(|i| {
            let lo = (i - (w - half) as isize).max(0);
            let hi = (i + half as isize - 1).min(n - 1);
            let s: f64 = (lo..=hi).map(|k| v[k as usize]).sum();
            s / (hi - lo + 1) as f64
        })
        .collect()
}

fn oracle(px: &[u8], w: usize, h: usize) -> ([f64; 256], u32) {
    let mut img: Vec<f64> = px.iter().map(|&v| f64::from(v)).collect();
    let win_x = w.div_ceil(128);
    let win_y = h.div_ceil(128);
    for _ in 0..2 {
        for y in 0..h {
            let row = box_line(&img[y * w..(y + 1) * w], win_x);
            img[y * w..(y + 1) * w].copy_from_slice(&row);
        }
        for x in 0..w {
            let col: Vec<f64> = (0..h).map(|y| img[y * w + x]).collect();
            for (y, v) in box_line(&col, win_y).into_iter().enumerate() {
                img[y * w + x] = v;
            }
        }
    }
    let mut a = [[0.0f64; 64]; 64];
    for (i, row) in a.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            let y = ((i as f64 + 0.5) * h as f64 / 64.0) as usize;
            let x = ((j as f64 + 0.5) * w as f64 / 64.0) as usize;
            *v = img[y * w + x];
        }
    }
    let mut grad = 0i64;
    for i in 0..64 {
        for j in 0..64 {
            if i < 63 {
                grad += (((a[i][j] - a[i + 1][j]) * 100.0 / 255.0) as i64).abs();
            }
            if j < 63 {
                grad += (((a[i][j] - a[i][j + 1]) * 100.0 / 255.0) as i64).abs();
            }
        }
    }
    let quality = (grad / 90).min(100) as u32;
    let c = |u: usize, k: usize| {
        (2.0f64 / 64.0).sqrt()
            * (std::f64::consts::PI * (u + 1) as f64 * (2 * k + 1) as f64 / 128.0).cos()
    };
    let mut out = [0.0f64; 256];
    for u in 0..16 {
        for v in 0..16 {
            let mut s = 0.0;
            for (y, row) in a.iter().enumerate() {
                for (x, val) in row.iter().enumerate() {
                    s += c(u, y) * val * c(v, x);
                }
            }
            out[u * 16 + v] = s;
        }
    }
    (out, quality)
}

fn oracle_hash(coefs: &[f64; 256]) -> PdqHash {
    let mut sorted = *coefs;
    sorted.sort_by(f64::total_cmp);
    let median = sorted[127];
    let mut hex = [0u16; 16];
    for (k, &c) in coefs.iter().enumerate() {
        if c > median {
            hex[k / 16] |= 1 << (k % 16);
        }
    }
    let s: String = hex.iter().rev().map(|w| format!("{w:04x}")).collect();
    PdqHash::from_hex(&s).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// The fast f32 path agrees with the f64 oracle: coefficients to float precision, bits up to
    /// the few whose coefficient ties the median within rounding.
    #[test]
    fn fast_path_matches_f64_oracle(w in 5usize..160, h in 5usize..160, seed in any::<u64>()) {
        let mut s = seed | 1;
        // Smooth-ish random content (random walk), so the hash has structure.
        let px: Vec<u8> = (0..w * h).map(|i| {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            (((i % w) * 3 + (i / w) * 2) as u64 + (s % 64)) as u8
        }).collect();
        let (want, want_q) = oracle(&px, w, h);
        let got = hazmat::pdq_coefficients_from_luma(&px, w, h, w).unwrap();
        let scale = want.iter().fold(1.0f64, |m, v| m.max(v.abs()));
        for (g, o) in got.coefficients.iter().zip(want.iter()) {
            prop_assert!((f64::from(*g) - o).abs() <= 1e-4 * scale, "{g} vs {o}");
        }
        prop_assert!(u32::from(got.quality).abs_diff(want_q) <= 1);
        let d = got.pdq().hash.distance(&oracle_hash(&want));
        // Bits flip only where a coefficient sits within rounding of the median.
        let conf = got.bit_confidence();
        let near = conf.iter().filter(|c| f64::from(**c) <= 1e-4 * scale).count() as u32;
        prop_assert!(d <= 2 * near, "distance {d}, near-median bits {near}");
    }

    /// Hamming distance is a metric on hashes; hex round-trips.
    #[test]
    fn hash_value_type_invariants(a in any::<[u8; 32]>(), b in any::<[u8; 32]>()) {
        let (a, b) = (PdqHash::from_bytes(a), PdqHash::from_bytes(b));
        prop_assert_eq!(a.distance(&a), 0);
        prop_assert_eq!(a.distance(&b), b.distance(&a));
        prop_assert_eq!(a.to_hex().parse::<PdqHash>().unwrap(), a);
        prop_assert_eq!(a.to_string().to_uppercase().parse::<PdqHash>().unwrap(), a);
    }
}

/// Bit numbering: bit 16*i+j is the reference's `setBit(i*16+j)` in its word layout.
#[test]
fn bit_order_matches_reference_hex() {
    let h = PdqHash::ZERO.with_bit_flipped(0);
    assert_eq!(h.to_hex(), format!("{}0001", "0".repeat(60)));
    let h = PdqHash::ZERO.with_bit_flipped(255);
    assert_eq!(h.to_hex(), format!("8000{}", "0".repeat(60)));
    let h = PdqHash::ZERO.with_bit_flipped(9);
    assert_eq!(h.to_hex(), format!("{}0200", "0".repeat(60)));
}

/// Below 5 pixels the reference returns an all-zero hash of quality 0; zero pixels is an error.
#[test]
fn tiny_and_empty_buffers() {
    let px = [9u8; 16];
    let p = pdq_from_luma(&px, 4, 4, 4).unwrap();
    assert_eq!((p.hash, p.quality), (PdqHash::ZERO, 0));
    assert!(matches!(
        pdq_from_luma(&px, 0, 4, 4),
        Err(hashscreen::Error::ImageEmpty { .. })
    ));
    assert!(matches!(
        pdq_from_luma(&px, 4, 5, 4),
        Err(hashscreen::Error::ImageBufferMismatch { .. })
    ));
    assert!(matches!(
        pdq_from_luma(&px, 4, 2, 3),
        Err(hashscreen::Error::ImageStrideTooSmall { .. })
    ));
    assert!(pdq_from_rgb(&px, 2, 2, 6).is_ok());
}

/// A stride larger than the row is honoured (padding ignored).
#[test]
fn stride_padding_is_ignored() {
    let (w, h) = (70, 50);
    let dense: Vec<u8> = (0..w * h).map(|i| ((i * 37) % 256) as u8).collect();
    let mut padded = vec![0xAAu8; (w + 13) * h];
    for y in 0..h {
        padded[y * (w + 13)..y * (w + 13) + w].copy_from_slice(&dense[y * w..(y + 1) * w]);
    }
    assert_eq!(
        pdq_from_luma(&dense, w, h, w).unwrap(),
        pdq_from_luma(&padded, w, h, w + 13).unwrap()
    );
}
