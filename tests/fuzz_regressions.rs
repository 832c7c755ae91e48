//! Replays every input kept under `fuzz/regressions/<target>/` through the same entry point the
//! fuzz target calls (`fuzz/src/lib.rs`, included here as a module), on the stable toolchain.
//!
//! Each input once crashed, hung or exhausted memory in a fuzz run; the test asserts that it now
//! returns (no panic) with a typed result, and that every target directory is known.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code, unreachable_pub)]
mod fuzz_entry;

use std::path::{Path, PathBuf};

use hashscreen::Error;

type Entry = fn(&[u8]) -> Result<(), Error>;

const TARGETS: &[(&str, Entry)] = &[
    ("image_pdq", fuzz_entry::image_pdq),
    ("blocklist_open", fuzz_entry::blocklist_open),
    ("delta_apply", fuzz_entry::delta_apply),
    ("text_canon", fuzz_entry::text_canon),
    ("url_canon", fuzz_entry::url_canon),
    ("screen_message", fuzz_entry::screen_message),
];

fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions")
}

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = regressions().join(target);
    let Ok(read) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = read
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_regression_input_returns_a_typed_result() {
    let mut replayed = 0;
    for (target, entry) in TARGETS {
        for path in inputs(target) {
            let bytes = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| entry(&bytes));
            let result = outcome.unwrap_or_else(|_| panic!("{} panicked", path.display()));
            if let Err(e) = result {
                // A typed error whose message names no content: never empty, never the input.
                let message = e.to_string();
                assert!(!message.is_empty(), "{}", path.display());
            }
            replayed += 1;
        }
    }
    eprintln!("replayed {replayed} regression inputs");
}

#[test]
fn regression_directories_name_known_targets() {
    let Ok(read) = std::fs::read_dir(regressions()) else {
        return;
    };
    for e in read {
        let path = e.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            // `c_api` inputs are replayed by `bindings/c/tests/fuzz_regressions.rs`.
            assert!(
                TARGETS.iter().any(|(t, _)| *t == name) || name == "c_api",
                "fuzz/regressions/{name} is not a fuzz target"
            );
        }
    }
}

/// The entry points accept the seeds built from fixtures (a sanity check that the harness itself
/// works on the stable toolchain: the fixture list opens, the screener builds, seeds run).
#[test]
fn entry_points_run_on_fixture_inputs() {
    assert!(fuzz_entry::blocklist_open(&[[0u8].as_slice(), fuzz_entry::LIST_V1].concat()).is_ok());
    let body = &fuzz_entry::LIST_V1[..fuzz_entry::LIST_V1.len() - 32];
    assert!(fuzz_entry::blocklist_open(&[[1u8].as_slice(), body].concat()).is_ok());
    assert!(fuzz_entry::text_canon(b"Claim your prize now").is_ok());
    assert!(fuzz_entry::url_canon(b"hxxp://evil[.]example/a/../b").is_ok());
    let delta = include_bytes!("../fixtures/blocklists/delta-1-2.hsbl");
    assert!(fuzz_entry::delta_apply(&[[0u8].as_slice(), delta].concat()).is_ok());
    let jpeg = include_bytes!("../fixtures/images/corpus/0015.jpg");
    assert!(fuzz_entry::image_pdq(jpeg).is_ok());
    // A broken image is an error, not a panic; a message of a text and a URL screens.
    assert!(fuzz_entry::image_pdq(&jpeg[..200]).is_err());
    let mut msg = vec![0u8, 20, 0];
    msg.extend_from_slice(b"Claim your prize now");
    msg.extend_from_slice(&[2, 12, 0]);
    msg.extend_from_slice(b"evil.example");
    assert!(fuzz_entry::screen_message(&msg).is_ok());
    assert_eq!(fuzz_entry::message_parts(&msg).len(), 2);
}
