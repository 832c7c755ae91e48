//! The native side of the WASM vs native benchmark (BENCHMARKS.md, WebAssembly section): the same
//! list and inputs as `wasm.mjs`, the same calls, timed the same way (best of 20 rounds), and the
//! loops of `wasm/bench/loops` run natively. Prints one JSON object.
//!
//! `cargo run --release -p hashscreen-wasm --example native-bench -- <png-out>`: also writes the
//! 0.7 MP PNG (fixtures/images/corpus/0020.jpg re-encoded as PNG, as benches/image.rs makes it) to
//! `<png-out>` for the WebAssembly side.

use std::hint::black_box;
use std::time::Instant;

use hashscreen::{Blocklist, Key, OpenOptions, Screener};
use hashscreen_bench_loops::{long_text, message, small_file, Loops};

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
    let bytes = hashscreen_bench_loops::build_list(&key, entries)?;
    let build_ms = t.elapsed().as_secs_f64() * 1e3;
    let loops = Loops::new(&bytes, inputs["key_hex"].as_str().unwrap_or_default(), n)?;
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
    let long_lens: Vec<usize> = serde_json::from_value(inputs["long_text_bytes"].clone())?;
    let long_count = num("long_texts");
    let canonical_long: Vec<f64> = long_lens
        .iter()
        .map(|&len| {
            let texts: Vec<String> = (0..long_count).map(|i| long_text(i, len)).collect();
            best_ns(long_count, |i| {
                black_box(hashscreen::text::strict_key(black_box(&texts[i])).ok());
            })
        })
        .collect();
    // The same work looped inside Rust (natively the same as the calls above, up to `black_box`).
    let per_msg = |f: &dyn Fn() -> usize| best_ns(1, |_| _ = black_box(f())) / n as f64;
    let loop_canonical = per_msg(&|| loops.canonical());
    let loop_screen_text = per_msg(&|| loops.screen_text());
    let loop_screen_file = per_msg(&|| loops.screen_file());
    let loop_probe = per_msg(&|| loops.probe());
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
        "canonical_long_ns": canonical_long,
        "loop_canonical_ns": loop_canonical,
        "loop_screen_text_ns": loop_screen_text,
        "loop_screen_file_ns": loop_screen_file,
        "loop_probe_ns": loop_probe,
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
