//! Text and URL canonicalisation speed, with peers in the same group.
//!
//! `cargo bench --bench text`. Each text group keys the same batch of chat-sized messages
//! (20-300 bytes); throughput is input bytes. Peers: NFKC alone (`unicode-normalization`), NFKC +
//! lowercase, `decancer::cure`, the UTS #39 skeleton (`unicode-security`). Ours: strict key +
//! keyed BLAKE3 over `version tag || key` (the digest the screener computes), and the loose key.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use unicode_normalization::UnicodeNormalization;

const KEY: [u8; 32] = [7; 32];

fn plain() -> Vec<&'static str> {
    vec![
        "hey are we still on for lunch tomorrow?",
        "Can you send me the report by Friday? Thanks!",
        "lol that was hilarious, see you at 7pm at the usual place",
        "ok",
        "Your package is on hold, please confirm your address to release it.",
        "I'm running 10 minutes late, traffic on the bridge is terrible today. Order me a coffee please, the big one with oat milk, I'll pay you back.",
        "Meeting moved to 3:30pm in room 4B. Bring the Q3 numbers and the draft of the new contract so we can go through the open points with legal before we send anything out.",
        "happy birthday!!! hope you have an amazing day",
    ]
}

fn multilingual() -> Vec<&'static str> {
    vec![
        "Привет! Ты придёшь завтра на встречу? Напиши, пожалуйста.",
        "明日の会議は10時からです。資料を持ってきてください。",
        "Ça va très bien, merci ! On se voit à la gare à 18h ?",
        "¿Dónde está la estación de tren? Necesito llegar antes de las cinco.",
        "मैं ठीक हूँ, धन्यवाद। आप कैसे हैं?",
        "مرحبا، كيف حالك؟ أراك غدا في المكتب",
        "Straße gesperrt, wir nehmen die Umleitung über Köln.",
        "Tiếng Việt có dấu rất đẹp, bạn có nghĩ vậy không?",
    ]
}

fn evasive() -> Vec<&'static str> {
    vec![
        "ｆｒｅｅ　ｄｉｓｃｏｒｄ　ｎｉｔｒｏ　ｃｌａｉｍ　ｎｏｗ",
        "сһеар ріӏӏѕ оnӏіnе, verify уоur ассоunt",
        "y0ur p@ck@93 !$ 0n h01d, c1@!m y0ur pr!z3 n0w",
        "𝐟𝐫𝐞𝐞 𝐛𝐢𝐭𝐜𝐨𝐢𝐧 𝐠𝐢𝐯𝐞𝐚𝐰𝐚𝐲",
        "ů̴̖̗̣̭r̖̗̂̃̈̊g̴̶̗̣̭͑e̴̖̗̣̭̊n͡҉̀́̂̃ẗ̖̗̣̭̊ w̴̶̗̣̭͑i̴̶̭͑͜͡r̖̗̂̃̈̊e̴̖̗̣̭̊",
        "\u{202E}won ezirp ruoy mialc\u{202C} and f.r.e.e b.i.t.c.o.i.n",
        "v\u{200B}e\u{200B}r\u{200B}i\u{200B}f\u{200B}y your account at 🆂🅴🅽🅳",
        "Y O U  H 4 V E  W 0 N  4 N  I P H O N E",
    ]
}

fn bytes(batch: &[&str]) -> u64 {
    batch.iter().map(|s| s.len() as u64).sum()
}

/// `blake3::keyed_hash(KEY, version tag || key)`, through a reused input buffer.
fn digest(buf: &mut Vec<u8>, version: u16, key: &str) -> blake3::Hash {
    buf.clear();
    buf.extend_from_slice(&version.to_le_bytes());
    buf.extend_from_slice(key.as_bytes());
    blake3::keyed_hash(&KEY, buf)
}

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
        let (mut key, mut buf, mut form) = (String::new(), Vec::new(), String::new());
        b.iter(|| {
            for s in batch {
                // As the Screener does: the key, and the evidence forms the message opens.
                let e = hashscreen::text::strict_key_evidence(s, &mut key).unwrap();
                black_box(digest(&mut buf, hashscreen::text::STRICT_KEY_VERSION, &key));
                for f in hashscreen::text::StrictForm::ALL {
                    if f.applies(e) {
                        f.apply(&key, &mut form);
                        black_box(digest(
                            &mut buf,
                            hashscreen::text::STRICT_KEY_VERSION,
                            &form,
                        ));
                    }
                }
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
    text_group(c, "plain_ascii", &plain());
    text_group(c, "multilingual", &multilingual());
    text_group(c, "evasive", &evasive());
}

fn urls(c: &mut Criterion) {
    let urls = [
        ("short", "http://evil.example/"),
        (
            "typical",
            "https://login.secure-bank.example.com/account/verify/index.php?session=8f3a9c&lang=en",
        ),
        (
            "defanged",
            "hxxps://free-nitro[.]example/claim/gift?id=12345",
        ),
        (
            "ip+escapes",
            "http://0xcb.0x0.0x71.0x7/%67%69%66%74/./a/../b/c/d/e.html",
        ),
        ("idn", "http://www.ümlat.example/päth/x"),
    ];
    let mut g = c.benchmark_group("url/canonicalize+expressions+digest");
    for (name, u) in urls {
        g.bench_with_input(BenchmarkId::from_parameter(name), u, |b, u| {
            let mut buf = Vec::new();
            b.iter(|| {
                let canonical = hashscreen::url::canonicalize(u).unwrap();
                let mut n = 0u8;
                hashscreen::url::for_each_expression(&canonical, |e| {
                    n ^= digest(&mut buf, hashscreen::url::URL_CANON_VERSION, e).as_bytes()[0];
                });
                black_box(n)
            })
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
