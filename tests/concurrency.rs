//! One `Screener` shared by 8 threads, each screening a mixed workload (texts, URLs, files, images
//! from `fixtures/`) in its own order, gives exactly the verdicts of a single thread.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::{Arc, Barrier};

use hashscreen::{Blocklist, BlocklistBuilder, Key, Message, OpenOptions, Screener, Verdict};

const THREADS: usize = 8;

/// An owned message part.
enum Item {
    Text(String),
    Url(String),
    File(Vec<u8>),
    Image(Vec<u8>),
    /// Several parts in one message.
    Mixed(String, String, Vec<u8>),
}

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(rel),
    )
    .unwrap()
}

fn lines(rel: &str) -> Vec<String> {
    String::from_utf8(fixture(rel))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split('\t').take(2).collect::<Vec<_>>().join("\t"))
        .collect()
}

fn workload() -> Vec<Item> {
    let mut items = Vec::new();
    for l in lines("text/text_evasion_cases.tsv") {
        let mut f = l.split('\t');
        items.push(Item::Text(f.next().unwrap().to_string()));
        items.push(Item::Text(f.next().unwrap_or("").to_string()));
    }
    for l in lines("text/url_canon_vectors.tsv") {
        items.push(Item::Url(l.split('\t').next().unwrap().to_string()));
    }
    for f in ["demo/listed-attachment.txt", "demo/ordinary-attachment.txt"] {
        items.push(Item::File(fixture(f)));
    }
    for f in [
        "images/corpus/0015.jpg",
        "images/corpus/0075.jpg",
        "images/corpus/0185.jpg",
        "images/pdq-png/wee.png",
        "images/pdq-png/small.png",
    ] {
        items.push(Item::Image(fixture(f)));
    }
    for (i, l) in lines("text/text_evasion_cases.tsv")
        .iter()
        .enumerate()
        .step_by(9)
    {
        items.push(Item::Mixed(
            format!(
                "{} see http://evil.example/{i}",
                l.split('\t').nth(1).unwrap_or("")
            ),
            format!("hxxp://phish[.]example/login/{i}"),
            fixture("demo/listed-attachment.txt"),
        ));
    }
    items
}

fn screener() -> Screener {
    let key = Key::from_bytes([0x5c; 32]);
    let mut b = BlocklistBuilder::new(&key);
    for l in lines("text/text_evasion_cases.tsv").iter().step_by(3) {
        b.add_text("scam", l.split('\t').next().unwrap()).unwrap();
    }
    b.add_url("phishing", "evil.example").unwrap();
    b.add_url("phishing", "http://phish.example/login/")
        .unwrap();
    for l in lines("text/url_canon_vectors.tsv").iter().step_by(7) {
        let _ = b.add_url("phishing", l.split('\t').next().unwrap());
    }
    b.add_file("malware", &fixture("demo/listed-attachment.txt"))
        .unwrap();
    b.add_image("images", &fixture("images/corpus/0015.jpg"))
        .unwrap();
    b.add_image("images", &fixture("images/corpus/0185.jpg"))
        .unwrap();
    let list = Blocklist::open(b.build().unwrap(), &OpenOptions::default()).unwrap();
    Screener::new(&list, &key).unwrap()
}

fn screen(s: &Screener, item: &Item) -> Verdict {
    let m = match item {
        Item::Text(t) => Message::new().text(t),
        Item::Url(u) => Message::new().url(u),
        Item::File(f) => Message::new().file(f),
        Item::Image(i) => Message::new().image(i),
        Item::Mixed(t, u, f) => Message::new().text(t).url(u).file(f),
    };
    s.screen(&m)
}

#[test]
fn eight_threads_give_the_single_thread_verdicts() {
    let items = Arc::new(workload());
    let screener = screener();
    let expected: Vec<Verdict> = items.iter().map(|i| screen(&screener, i)).collect();
    // The workload is mixed for real: matches of every kind, and non-matches.
    let matched = expected.iter().filter(|v| v.matched()).count();
    assert!(
        matched >= 20 && matched < expected.len(),
        "{matched} of {}",
        expected.len()
    );
    let kinds: std::collections::BTreeSet<_> = expected
        .iter()
        .flat_map(|v| v.matches().iter().map(|m| m.signal()))
        .collect();
    assert!(kinds.len() >= 4, "{kinds:?}");

    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let (items, screener, barrier) = (items.clone(), screener.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                // Each thread walks the workload from its own offset and stride, twice, so the
                // threads hit the same items at different times.
                let n = items.len();
                let mut got: Vec<Option<Verdict>> = vec![None; n];
                for round in 0..2 {
                    for k in 0..n {
                        let i = (t * 31 + round * 7 + k * (2 * t + 1)) % n;
                        let i = if got[i].is_some() && round == 0 {
                            (0..n).find(|&j| got[j].is_none()).unwrap_or(i)
                        } else {
                            i
                        };
                        let v = screen(&screener, &items[i]);
                        if let Some(prev) = &got[i] {
                            assert_eq!(prev, &v, "thread {t}: item {i} changed between rounds");
                        }
                        got[i] = Some(v);
                    }
                }
                got
            })
        })
        .collect();
    for (t, h) in handles.into_iter().enumerate() {
        let got = h.join().unwrap();
        for (i, v) in got.into_iter().enumerate() {
            assert_eq!(v.as_ref(), Some(&expected[i]), "thread {t}, item {i}");
        }
    }
}

#[test]
fn screener_is_send_sync_and_clones_share() {
    fn send_sync<T: Send + Sync + 'static>() {}
    send_sync::<Screener>();
    send_sync::<Blocklist>();
    let s = screener();
    let c = s.clone();
    assert_eq!(
        s.screen(&Message::new().url("http://evil.example/x")),
        c.screen(&Message::new().url("http://evil.example/x"))
    );
}
