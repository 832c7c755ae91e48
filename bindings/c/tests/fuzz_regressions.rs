//! Replays the C API fuzz target's kept inputs (`fuzz/regressions/c_api/`) through its entry point
//! (`fuzz/src/c_api.rs`, included here), on the stable toolchain, and runs that entry point on the
//! fixture seeds of every mode, so the harness and its invariants (no `HS_PANIC`, stale handles
//! refused, NULL buffers refused, a failed delta leaves its base intact) are checked in every test
//! run, not only under the fuzzer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::undocumented_unsafe_blocks)]

#[path = "../../../fuzz/src/c_api.rs"]
#[allow(dead_code, unreachable_pub)]
mod c_api;

use hashscreen_c::hs_status::*;
use std::path::Path;

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures")
            .join(rel),
    )
    .unwrap()
}

fn with_mode(mode: u8, bytes: &[u8]) -> Vec<u8> {
    [&[mode][..], bytes].concat()
}

#[test]
fn kept_inputs_replay_without_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions/c_api");
    let mut n = 0;
    for e in std::fs::read_dir(dir).into_iter().flatten() {
        let path = e.unwrap().path();
        if path.is_file() && path.file_name().is_some_and(|f| f != "README.md") {
            let data = std::fs::read(&path).unwrap();
            let st = c_api::c_api(&data);
            assert_ne!(st, HS_PANIC, "{}", path.display());
            n += 1;
        }
    }
    eprintln!("replayed {n} C API regression inputs");
}

#[test]
fn every_mode_on_fixture_seeds() {
    let list = fixture("blocklists/list-v1.hsbl");
    let delta = fixture("blocklists/delta-1-2.hsbl");
    let jpeg = fixture("images/corpus/0015.jpg");
    // Open: as is, with a wrong key id (mode 0x40 picks a fixed foreign id), cut short.
    assert_eq!(c_api::c_api(&with_mode(0, &list)), HS_OK);
    assert_eq!(c_api::c_api(&with_mode(0x40, &list)), HS_KEY_MISMATCH);
    assert_eq!(c_api::c_api(&with_mode(0, &list[..100])), HS_TRUNCATED);
    // A NULL buffer with a length.
    assert_eq!(c_api::c_api(&with_mode(8, &list)), HS_NULL_POINTER);
    // Delta: applies; a list given as a delta is refused and the base stays.
    assert_eq!(c_api::c_api(&with_mode(1, &delta)), HS_OK);
    assert_eq!(c_api::c_api(&with_mode(1, &list)), HS_WRONG_FILE_KIND);
    // Screening: text, invalid UTF-8, URL, file, image, PDQ, message, key hex.
    assert_eq!(c_api::c_api(b"\x02Claim your prize now"), HS_OK);
    assert_eq!(c_api::c_api(b"\x02fr\xffee"), HS_INVALID_UTF8);
    assert_eq!(c_api::c_api(b"\x03hxxp://evil[.]example/a"), HS_OK);
    assert_eq!(c_api::c_api(b"\x04MZ"), HS_OK);
    assert_eq!(c_api::c_api(&with_mode(5, &jpeg)), HS_OK);
    assert_eq!(c_api::c_api(&with_mode(6, &jpeg)), HS_OK);
    assert_eq!(c_api::c_api(&with_mode(6, &jpeg[..64])), HS_IMAGE_DECODE);
    assert_eq!(
        c_api::c_api(b"\x07\x00\x04abcd\x03\x02\xff\xd8\x02\x80x"),
        HS_OK
    );
    assert_eq!(c_api::c_api(b"\x0f00"), HS_INVALID_KEY_LENGTH);
    let mut bad = vec![0x0f];
    bad.extend(std::iter::repeat_n(b'z', 64));
    assert_eq!(c_api::c_api(&bad), HS_INVALID_HEX);
}
