//! The native side of the WASM vs native benchmark (BENCHMARKS-wasm.md): the same list and inputs
//! as `wasm.mjs`, the same calls, timed the same way (best of 20 rounds). Prints one JSON object.
//!
//! `cargo run --release -p hashscreen-wasm --example native-bench -- <png-out>`: also writes the
//! 0.7 MP PNG (fixtures/images/corpus/0020.jpg re-encoded as PNG, as benches/image.rs makes it) to
//! `<png-out>` for the WebAssembly side.

use std::hint::black_box;
use std::time::Instant;

use hashscreen::{Blocklist, BlocklistBuilder, Key, OpenOptions, Screener};

/// Entry `i` of the listed texts.
fn listed(i: usize) -> String {
    format!("Your parcel {i} is on hold, pay the customs fee at the link to release it")
}
/// Message `i` of the screened texts (never listed).
fn message(i: usize) -> String {
    format!(
        "Hey, are we still on for dinner at {i}? Bring the Book, I finished chapter {}",
        i % 97
    )
}
/// File `i` of the screened files (16 bytes, never listed).
fn small_file(i: usize) -> [u8; 16] {
    let mut f = [0xee; 16];
    f[..8].copy_from_slice(&(i as u64).to_le_bytes());
    f
}

/// Best of 20 rounds of `f` over `n` items, in nanoseconds per item, after one warm-up round (best of 20: the least disturbed round on a shared machine).
fn best_ns(n: usize, mut f: impl FnMut(usize)) -> f64 {
    (0..n).for_each(&mut f);
    (0..20)
        .map(|_| {
            let t = Instant::now();
            for i in 0..n {
                f(i);
            }
            t.elapsed().as_nanos() as f64 / n as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inputs: serde_json::Value = serde_json::from_str(include_str!("inputs.json"))?;
    let num = |name: &str| inputs[name].as_u64().unwrap_or(0) as usize;
    let (entries, n, file_len) = (num("list_entries"), num("messages"), num("file_bytes"));
    let key = Key::from_hex(inputs["key_hex"].as_str().unwrap_or_default())?;

    let t = Instant::now();
    let mut b = BlocklistBuilder::new(&key);
    b.created(1_767_225_600).list_id([7; 16]);
    for i in 0..entries {
        b.add_text("scam", &listed(i))?;
        b.add_file("malware", &(i as u64).to_le_bytes())?;
    }
    let bytes = b.build()?;
    let build_ms = t.elapsed().as_secs_f64() * 1e3;
    let list = Blocklist::open(bytes, &OpenOptions::default())?;
    let screener = Screener::new(&list, &key)?;

    let msgs: Vec<String> = (0..n).map(message).collect();
    let files: Vec<[u8; 16]> = (0..n).map(small_file).collect();
    let big: Vec<u8> = (0..file_len).map(|i| (i * 31 % 251) as u8).collect();
    let mut false_matches = 0;
    for i in 0..n {
        false_matches += usize::from(screener.screen_text(&msgs[i])?.matched());
        false_matches += usize::from(screener.screen_file(&files[i]).matched());
    }

    let screen_text = best_ns(n, |i| {
        black_box(screener.screen_text(black_box(&msgs[i])).ok());
    });
    let canonical = best_ns(n, |i| {
        black_box(hashscreen::text::strict_key(black_box(&msgs[i])).ok());
    });
    let screen_file = best_ns(n, |i| {
        black_box(screener.screen_file(black_box(&files[i])));
    });
    let file_digest = best_ns(20, |_| {
        black_box(hashscreen::file_digest(&key, black_box(&big)));
    });
    // Image hashing from encoded bytes (decode + PDQ with the 8 dihedral variants, as `pdqHash`).
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/images/");
    let jpeg = std::fs::read(format!("{fixtures}dih/bridge-1-original.jpg"))?;
    let png = {
        let img = image::load_from_memory(&std::fs::read(format!("{fixtures}corpus/0020.jpg"))?)?;
        let mut out = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)?;
        out
    };
    if let Some(path) = std::env::args_os().nth(1) {
        std::fs::write(path, &png)?;
    }
    let pdq_hex =
        |b: &[u8]| hashscreen::image::pdq_dihedral_from_bytes(b).map(|a| a.hashes[0].to_hex());
    let (jpeg_hash, png_hash) = (pdq_hex(&jpeg)?, pdq_hex(&png)?);
    let pdq_jpeg = best_ns(1, |_| {
        black_box(hashscreen::image::pdq_dihedral_from_bytes(black_box(&jpeg)).ok());
    });
    let pdq_png = best_ns(1, |_| {
        black_box(hashscreen::image::pdq_dihedral_from_bytes(black_box(&png)).ok());
    });
    let out = serde_json::json!({
        "checksum": list.checksum().iter().map(|b| format!("{b:02x}")).collect::<String>(),
        "list_bytes": list.as_bytes().len(),
        "build_ms": build_ms,
        "msg_avg_bytes": msgs.iter().map(String::len).sum::<usize>() as f64 / n as f64,
        "screen_text_ns": screen_text,
        "canonical_text_ns": canonical,
        "screen_file_16b_ns": screen_file,
        "file_digest_1mib_ns": file_digest,
        "pdq_jpeg_1_6mp_ns": pdq_jpeg,
        "pdq_png_0_7mp_ns": pdq_png,
        "pdq_hashes": [jpeg_hash, png_hash],
        "false_matches": false_matches,
    });
    println!("{out}");
    Ok(())
}
