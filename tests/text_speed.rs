//! Throughput per CPU-second (ignored; Linux only): the same batches and peers as
//! `benches/text.rs`, timed by this process's user CPU time from `/proc/self/stat` rather than by
//! the wall clock, so that figures stay comparable on a machine shared with other work.
//!
//! `cargo test --release --test text_speed -- --ignored --nocapture`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/text_inputs.rs"]
mod text_inputs;

use std::hint::black_box;
use text_inputs::{digest, strict_screen_work, url_screen_work, Buffers, BATCHES, URLS};
use unicode_normalization::UnicodeNormalization;

/// User + system CPU time of this process, in seconds (clock ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let after = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = after.split(' ').collect();
    // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name.
    let ticks: f64 = f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap();
    ticks / 100.0
}

/// Run `f` (one pass over the batch) until ~1.5 CPU-seconds have passed; CPU seconds per pass.
fn per_pass(mut f: impl FnMut()) -> f64 {
    for _ in 0..50 {
        f();
    }
    let start = cpu_seconds();
    let mut n = 0u64;
    loop {
        for _ in 0..200 {
            f();
        }
        n += 200;
        let t = cpu_seconds() - start;
        if t >= 1.5 {
            return t / n as f64;
        }
    }
}

#[test]
#[ignore = "speed measurement; run in release with --nocapture"]
fn throughput_per_cpu_second() {
    println!("MB/s per CPU-second (MB = 10^6 bytes of input)");
    println!(
        "{:<14} {:>8} {:>10} {:>9} {:>9} {:>15} {:>15}",
        "batch", "nfkc", "nfkc+lower", "decancer", "skeleton", "strict+digest", "loose+digest"
    );
    for (name, batch) in BATCHES {
        let bytes: usize = batch.iter().map(|s| s.len()).sum();
        let mbs = |secs: f64| bytes as f64 / secs / 1e6;
        let nfkc = per_pass(|| {
            for s in batch {
                black_box(s.nfkc().collect::<String>());
            }
        });
        let lower = per_pass(|| {
            for s in batch {
                black_box(s.nfkc().flat_map(char::to_lowercase).collect::<String>());
            }
        });
        let dec = per_pass(|| {
            for s in batch {
                let _ = black_box(decancer::cure(s, decancer::Options::default()));
            }
        });
        let skel = per_pass(|| {
            for s in batch {
                black_box(unicode_security::skeleton(s).collect::<String>());
            }
        });
        let mut bufs = Buffers::default();
        let strict = per_pass(|| {
            for s in batch {
                strict_screen_work(s, &mut bufs);
            }
        });
        let (mut key, mut buf) = (String::new(), Vec::new());
        let loose = per_pass(|| {
            for s in batch {
                hashscreen::text::loose_key_into(s, &mut key).unwrap();
                black_box(digest(&mut buf, hashscreen::text::LOOSE_KEY_VERSION, &key));
            }
        });
        println!(
            "{name:<14} {:>8.1} {:>10.1} {:>9.1} {:>9.1} {:>15.1} {:>15.1}",
            mbs(nfkc),
            mbs(lower),
            mbs(dec),
            mbs(skel),
            mbs(strict),
            mbs(loose)
        );
    }
    println!("\nURL: canonicalize + all expressions + keyed digest of each, per URL (CPU time)");
    let mut buf = Vec::new();
    for (name, u) in URLS {
        let n = hashscreen::url::canonical_expressions(u).unwrap().len();
        let total = per_pass(|| url_screen_work(u, &mut buf));
        let canon = per_pass(|| {
            black_box(hashscreen::url::canonicalize(u).unwrap());
        });
        println!(
            "{name:<12} {n:>2} expressions: {:>6.0} ns total, of which canonicalize {:>5.0} ns",
            total * 1e9,
            canon * 1e9
        );
    }
}
