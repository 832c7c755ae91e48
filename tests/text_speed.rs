//! Throughput per CPU-second (ignored; Linux only): the same batches and peers as
//! `benches/text.rs`, timed by this process's user CPU time from `/proc/self/stat` rather than by
//! the wall clock, so that figures stay comparable on a machine shared with other work.
//!
//! `cargo test --release --test text_speed -- --ignored --nocapture`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use unicode_normalization::UnicodeNormalization;

const KEY: [u8; 32] = [7; 32];

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

fn digest(buf: &mut Vec<u8>, version: u16, key: &str) -> blake3::Hash {
    buf.clear();
    buf.extend_from_slice(&version.to_le_bytes());
    buf.extend_from_slice(key.as_bytes());
    blake3::keyed_hash(&KEY, buf)
}

const PLAIN: &[&str] = &[
    "hey are we still on for lunch tomorrow?",
    "Can you send me the report by Friday? Thanks!",
    "lol that was hilarious, see you at 7pm at the usual place",
    "ok",
    "Your package is on hold, please confirm your address to release it.",
    "I'm running 10 minutes late, traffic on the bridge is terrible today. Order me a coffee please, the big one with oat milk, I'll pay you back.",
    "Meeting moved to 3:30pm in room 4B. Bring the Q3 numbers and the draft of the new contract so we can go through the open points with legal before we send anything out.",
    "happy birthday!!! hope you have an amazing day",
];

const MULTILINGUAL: &[&str] = &[
    "Привет! Ты придёшь завтра на встречу? Напиши, пожалуйста.",
    "明日の会議は10時からです。資料を持ってきてください。",
    "Ça va très bien, merci ! On se voit à la gare à 18h ?",
    "¿Dónde está la estación de tren? Necesito llegar antes de las cinco.",
    "मैं ठीक हूँ, धन्यवाद। आप कैसे हैं?",
    "مرحبا، كيف حالك؟ أراك غدا في المكتب",
    "Straße gesperrt, wir nehmen die Umleitung über Köln.",
    "Tiếng Việt có dấu rất đẹp, bạn có nghĩ vậy không?",
];

const EVASIVE: &[&str] = &[
    "ｆｒｅｅ　ｄｉｓｃｏｒｄ　ｎｉｔｒｏ　ｃｌａｉｍ　ｎｏｗ",
    "сһеар ріӏӏѕ оnӏіnе, verify уоur ассоunt",
    "y0ur p@ck@93 !$ 0n h01d, c1@!m y0ur pr!z3 n0w",
    "𝐟𝐫𝐞𝐞 𝐛𝐢𝐭𝐜𝐨𝐢𝐧 𝐠𝐢𝐯𝐞𝐚𝐰𝐚𝐲",
    "ů̴̖̗̣̭r̖̗̂̃̈̊g̴̶̗̣̭͑e̴̖̗̣̭̊n͡҉̀́̂̃ẗ̖̗̣̭̊ w̴̶̗̣̭͑i̴̶̭͑͜͡r̖̗̂̃̈̊e̴̖̗̣̭̊",
    "\u{202E}won ezirp ruoy mialc\u{202C} and f.r.e.e b.i.t.c.o.i.n",
    "v\u{200B}e\u{200B}r\u{200B}i\u{200B}f\u{200B}y your account at 🆂🅴🅽🅳",
    "Y O U  H 4 V E  W 0 N  4 N  I P H O N E",
];

#[test]
#[ignore = "speed measurement; run in release with --nocapture"]
fn throughput_per_cpu_second() {
    println!("MB/s per CPU-second (MB = 10^6 bytes of input)");
    println!(
        "{:<14} {:>8} {:>10} {:>9} {:>9} {:>15} {:>15}",
        "batch", "nfkc", "nfkc+lower", "decancer", "skeleton", "strict+digest", "loose+digest"
    );
    for (name, batch) in [
        ("plain_ascii", PLAIN),
        ("multilingual", MULTILINGUAL),
        ("evasive", EVASIVE),
    ] {
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
        let (mut key, mut buf, mut form) = (String::new(), Vec::new(), String::new());
        let strict = per_pass(|| {
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
        });
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
    let mut buf = Vec::new();
    for (name, u) in urls {
        let n = hashscreen::url::canonical_expressions(u).unwrap().len();
        let total = per_pass(|| {
            let c = hashscreen::url::canonicalize(u).unwrap();
            hashscreen::url::for_each_expression(&c, |e| {
                black_box(digest(&mut buf, hashscreen::url::URL_CANON_VERSION, e));
            });
        });
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
