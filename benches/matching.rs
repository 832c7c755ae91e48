//! Near-duplicate matching cost (`image_near` sections): screening one image **after hashing**
//! against a list of 1M images, hashing itself, and a peer: PDQ compared in the clear by a linear
//! scan of 1M hashes at distance 31 (what a client would do if it were allowed to hold the
//! hashes; it is not, but it shows the cost of going through the filter).
//!
//! - `screen-after-hashing/{default,side7,half-probes}/{unlisted,unlisted-margins,listed}`:
//!   `Screener::screen_near` on a `NearQuery` of a fixture image (a SipHash digest of every probe
//!   value and the filter probes), with what the builder chooses for a 1M-image list by default
//!   (side 8, `image::near::auto_side`), with side 7 (the default of smaller lists), and with
//!   half the probes per view (side 8).
//! - `screen-after-hashing-cpu/...`: the same, timed in the thread's CPU time (excludes the time
//!   the thread waits for a core on a loaded machine; cache misses from other processes remain).
//! - `prf-11-bytes/*`: one probe's keyed PRF: keyed BLAKE3 (near digest version 1, and every
//!   exact signal) against SipHash-2-4 (version 2) and SipHash-1-3.
//! - `hash/{near-query,pdq-dihedral}`: decode + the views' DCTs + codes, against plain PDQ.
//! - `pdq-in-the-clear/linear-scan-1M`: Hamming distance of one hash to 1M hashes.
//!
//! The 1M-image list: the near section is sized for 1M images x 2 codes at the builder's rate per
//! screened image (1e-6) divided by the probes per image, filled with 2M random digests plus the
//! codes of the listed fixture images. Run: `cargo bench --bench matching` (`-- --quick` for a
//! smoke run). Figures are in BENCHMARKS.md.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use hashscreen::image::near::{auto_side, NearParams, NearQuery, NEAR_CODE_VERSION};
use hashscreen::image::{pdq_dihedral_from_bytes, pdq_from_bytes, PdqHash};
use hashscreen::{Blocklist, BlocklistBuilder, Digest, Key, OpenOptions, Screener, SignalKind};

const IMAGES: u64 = 1_000_000;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/fixtures/images/corpus/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn big_list(key: &Key, listed: &[u8], p: NearParams) -> Screener {
    let mut b = BlocklistBuilder::new(key);
    b.created(1_800_000_000)
        .false_positive_rate(1e-6 / p.probes_per_image() as f64)
        .unwrap();
    b.image_near(Some(p));
    b.add_image("bench", listed).unwrap();
    b.section_options(
        SignalKind::ImageNear,
        "bench",
        NEAR_CODE_VERSION,
        p.to_params(),
        Some(2 * IMAGES),
    )
    .unwrap();
    let mut x = blake3::Hasher::new();
    x.update(b"matching bench filler");
    let mut xof = x.finalize_xof();
    for _ in 0..2 * IMAGES {
        let mut d = [0u8; 32];
        xof.fill(&mut d);
        b.insert(SignalKind::ImageNear, "bench", NEAR_CODE_VERSION, Digest(d))
            .unwrap();
    }
    let list = Blocklist::open(b.build().unwrap(), &OpenOptions::default()).unwrap();
    let near = list
        .sections()
        .iter()
        .find(|s| s.signal == Some(SignalKind::ImageNear))
        .unwrap();
    eprintln!(
        "near section: {} entries, {} bytes = {:.1} bytes per image",
        near.entries,
        near.payload.len(),
        near.payload.len() as f64 / IMAGES as f64
    );
    Screener::new(&list, key).unwrap()
}

fn bench(c: &mut Criterion) {
    let key = Key::from_bytes([7; 32]);
    let listed = fixture("0060.jpg");
    let unlisted = fixture("0020.jpg");
    // An image with uniform margins: probed trimmed and as it is (twice the probes).
    let margins = fixture("0075.jpg");
    // What the builder chooses for a 1M-image list when the publisher sets nothing: side 8.
    let p = NearParams {
        side: auto_side(IMAGES),
        ..NearParams::default()
    };
    let mut g = c.benchmark_group("matching");
    // Side 7 (the default below ~88,000 images), and half the probes per view (the publisher's
    // lever on cost).
    let side7 = NearParams {
        side: 7,
        ..NearParams::default()
    };
    let half = NearParams {
        probes_per_view: p.probes_per_view / 2,
        ..p
    };
    for (name, params) in [("default", p), ("side7", side7), ("half-probes", half)] {
        let screener = big_list(&key, &listed, params);
        let q_listed = NearQuery::from_bytes(&listed, &params).unwrap();
        let q_unlisted = NearQuery::from_bytes(&unlisted, &params).unwrap();
        let q_margins = NearQuery::from_bytes(&margins, &params).unwrap();
        assert!(screener.screen_near(&q_listed).matched());
        assert!(!screener.screen_near(&q_unlisted).matched());
        eprintln!(
            "{name}: probes for the listed image {}, an unlisted one {}, one with margins {}",
            q_listed.len(),
            q_unlisted.len(),
            q_margins.len()
        );
        g.bench_function(format!("screen-after-hashing/{name}/unlisted"), |b| {
            b.iter(|| black_box(screener.screen_near(black_box(&q_unlisted))))
        });
        g.bench_function(
            format!("screen-after-hashing/{name}/unlisted-margins"),
            |b| b.iter(|| black_box(screener.screen_near(black_box(&q_margins)))),
        );
        g.bench_function(format!("screen-after-hashing/{name}/listed"), |b| {
            b.iter(|| black_box(screener.screen_near(black_box(&q_listed))))
        });
        // The same work timed in this thread's CPU time: on a shared, loaded machine wall time
        // also counts the time the thread waits for a core.
        for (case, q) in [("unlisted", &q_unlisted), ("unlisted-margins", &q_margins)] {
            g.bench_function(format!("screen-after-hashing-cpu/{name}/{case}"), |b| {
                b.iter_custom(|iters| {
                    let t = cpu_time::ThreadTime::now();
                    for _ in 0..iters {
                        black_box(screener.screen_near(black_box(q)));
                    }
                    t.elapsed()
                })
            });
        }
    }
    // The keyed PRF of one probe, on the 11 bytes of a probe's digest input: keyed BLAKE3 (near
    // version 1; still every exact signal's digest) against SipHash (near version 2).
    let input = [2u8, 0, 7, 0x5a, 0x13, 0xc4, 0x77, 0x01, 0x9e, 0x2b, 0x00];
    let bkey = [9u8; 32];
    let skey = [9u8; 16];
    g.bench_function("prf-11-bytes/blake3-keyed", |b| {
        b.iter(|| black_box(blake3::keyed_hash(&bkey, black_box(&input))))
    });
    g.bench_function("prf-11-bytes/siphash24-128", |b| {
        let h = siphasher::sip128::SipHasher24::new_with_key(&skey);
        b.iter(|| black_box(h.hash(black_box(&input))))
    });
    g.bench_function("prf-11-bytes/siphash13-128", |b| {
        let h = siphasher::sip128::SipHasher13::new_with_key(&skey);
        b.iter(|| black_box(h.hash(black_box(&input))))
    });
    g.bench_function("hash/near-query", |b| {
        b.iter(|| black_box(NearQuery::from_bytes(black_box(&unlisted), &p).unwrap()))
    });
    g.bench_function("hash/pdq-dihedral", |b| {
        b.iter(|| black_box(pdq_dihedral_from_bytes(black_box(&unlisted)).unwrap()))
    });
    // Peer: 1M PDQ hashes in the clear, linear scan at t = 31.
    let mut xof = blake3::Hasher::new().update(b"pdq peer").finalize_xof();
    let hashes: Vec<PdqHash> = (0..IMAGES)
        .map(|_| {
            let mut h = [0u8; 32];
            xof.fill(&mut h);
            PdqHash(h)
        })
        .collect();
    let query = pdq_from_bytes(&unlisted).unwrap().hash;
    g.bench_function("pdq-in-the-clear/linear-scan-1M", |b| {
        b.iter(|| {
            black_box(
                hashes
                    .iter()
                    .filter(|h| h.distance(black_box(&query)) <= 31)
                    .count(),
            )
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
