//! Full checks against the project's shared reference data (not part of the fixtures).
//!
//! These read files outside the repository, so they are `#[ignore]`d and need
//! `HASHSCREEN_SHARED_DIR` (the `shared/` folder holding `vectors/pdq` and `corpus/dev`):
//! `HASHSCREEN_SHARED_DIR=/work/shared cargo test --release --test image_shared_full -- --ignored --nocapture`
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
