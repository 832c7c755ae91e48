//! Text and URL canonicalisation speed, with peers in the same group.
//!
//! `cargo bench --bench text`. Each text group keys the same batch of chat-sized messages
//! (20-300 bytes); throughput is input bytes. Peers: NFKC alone (`unicode-normalization`), NFKC +
//! lowercase, `decancer::cure`, the UTS #39 skeleton (`unicode-security`). Ours: strict key +
//! keyed BLAKE3 over `version tag || key` (the digest the screener computes), and the loose key.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
#[path = "../tests/support/text_inputs.rs"]
mod text_inputs;

use std::hint::black_box;
use text_inputs::{bytes, digest, strict_screen_work, url_screen_work, Buffers, BATCHES, URLS};
use unicode_normalization::UnicodeNormalization;

fn text_group(c: &mut Criterion, name: &str, batch: &[&str]) {
    let mut g = c.benchmark_group(format!("text/{name}"));
    g.throughput(Throughput::Bytes(bytes(batch)));
    g.bench_function("nfkc (unicode-normalization)", |b| {
        b.iter(|| {
            for s in batch {
                black_box(s.nfkc().collect::<String>());
            }
        })
    });
    g.bench_function("nfkc+lowercase", |b| {
        b.iter(|| {
            for s in batch {
                black_box(s.nfkc().flat_map(char::to_lowercase).collect::<String>());
            }
        })
    });
    g.bench_function("decancer::cure", |b| {
        b.iter(|| {
            for s in batch {
                let _ = black_box(decancer::cure(s, decancer::Options::default()));
            }
        })
    });
    g.bench_function("uts39 skeleton (unicode-security)", |b| {
        b.iter(|| {
            for s in batch {
                black_box(unicode_security::skeleton(s).collect::<String>());
            }
        })
    });
    g.bench_function("strict_key_into + digest", |b| {
        let mut bufs = Buffers::default();
        b.iter(|| {
            for s in batch {
                strict_screen_work(s, &mut bufs);
            }
        })
    });
    g.bench_function("strict_key (allocating)", |b| {
        b.iter(|| {
            for s in batch {
                black_box(hashscreen::text::strict_key(s).unwrap());
            }
        })
    });
    g.bench_function("loose_key_into + digest", |b| {
        let (mut key, mut buf) = (String::new(), Vec::new());
        b.iter(|| {
            for s in batch {
                hashscreen::text::loose_key_into(s, &mut key).unwrap();
                black_box(digest(&mut buf, hashscreen::text::LOOSE_KEY_VERSION, &key));
            }
        })
    });
    g.finish();
}

fn text(c: &mut Criterion) {
    for (name, batch) in BATCHES {
        text_group(c, name, batch);
    }
}

fn urls(c: &mut Criterion) {
    let urls = URLS;
    let mut g = c.benchmark_group("url/canonicalize+expressions+digest");
    for (name, u) in urls {
        g.bench_with_input(BenchmarkId::from_parameter(name), u, |b, u| {
            let mut buf = Vec::new();
            b.iter(|| url_screen_work(u, &mut buf))
        });
    }
    g.finish();
    // Where the time goes, for the typical URL.
    let typical = urls[1].1;
    let mut g = c.benchmark_group("url/parts (typical)");
    g.bench_function("canonicalize", |b| {
        b.iter(|| black_box(hashscreen::url::canonicalize(black_box(typical)).unwrap()))
    });
    let canonical = hashscreen::url::canonicalize(typical).unwrap();
    g.bench_function("expressions (callback)", |b| {
        b.iter(|| {
            let mut n = 0usize;
            hashscreen::url::for_each_expression(black_box(&canonical), |e| n += e.len());
            black_box(n)
        })
    });
    let exprs = hashscreen::url::expressions(&canonical);
    g.bench_function(format!("digest x{}", exprs.len()), |b| {
        let mut buf = Vec::new();
        b.iter(|| {
            for e in &exprs {
                black_box(digest(&mut buf, hashscreen::url::URL_CANON_VERSION, e));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, text, urls);
criterion_main!(benches);
