//! Throughput of one shared `Screener` with 1, 2, 4 and 8 threads.
//!
//! `cargo bench --bench concurrency`. The workload is a batch of mixed messages from `fixtures/`:
//! chat texts (the evasion cases), URLs (the canonicalisation vectors), two attachments, and two
//! small images; some match, most do not. Each iteration screens the whole batch once, split
//! across the threads (scoped threads, one `Screener` clone each, no locks); throughput is
//! messages per second. The `texts+urls` group leaves the images out (decode dominates them).

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use hashscreen::{Blocklist, BlocklistBuilder, Key, Message, OpenOptions, Screener};

enum Item {
    Text(String),
    Url(String),
    File(Vec<u8>),
    Image(Vec<u8>),
}

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(rel),
    )
    .unwrap()
}

fn column(rel: &str, col: usize) -> Vec<String> {
    String::from_utf8(fixture(rel))
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(col).map(str::to_string))
        .collect()
}

fn workload(images: bool) -> Vec<Item> {
    let mut items: Vec<Item> = column("text/text_evasion_cases.tsv", 1)
        .into_iter()
        .map(Item::Text)
        .collect();
    items.extend(
        column("text/url_canon_vectors.tsv", 0)
            .into_iter()
            .map(Item::Url),
    );
    items.push(Item::File(fixture("demo/listed-attachment.txt")));
    items.push(Item::File(fixture("demo/ordinary-attachment.txt")));
    if images {
        items.push(Item::Image(fixture("images/corpus/0075.jpg")));
        items.push(Item::Image(fixture("images/pdq-png/wee.png")));
    }
    items
}

fn screener() -> Screener {
    let key = Key::from_bytes([0x5c; 32]);
    let mut b = BlocklistBuilder::new(&key);
    for t in column("text/text_evasion_cases.tsv", 0).iter().step_by(3) {
        b.add_text("scam", t).unwrap();
    }
    b.add_url("phishing", "evil.example").unwrap();
    b.add_file("malware", &fixture("demo/listed-attachment.txt"))
        .unwrap();
    b.add_image("images", &fixture("images/corpus/0075.jpg"))
        .unwrap();
    let list = Blocklist::open(b.build().unwrap(), &OpenOptions::default()).unwrap();
    Screener::new(&list, &key).unwrap()
}

fn screen(s: &Screener, item: &Item) -> bool {
    let m = match item {
        Item::Text(t) => Message::new().text(t),
        Item::Url(u) => Message::new().url(u),
        Item::File(f) => Message::new().file(f),
        Item::Image(i) => Message::new().image(i),
    };
    s.screen(&m).matched()
}

fn run(screener: &Screener, items: &[Item], threads: usize) -> usize {
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let s = screener.clone();
                scope.spawn(move || {
                    items
                        .iter()
                        .skip(t)
                        .step_by(threads)
                        .filter(|i| screen(&s, i))
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

fn threads(c: &mut Criterion) {
    let screener = screener();
    for (name, images) in [("texts+urls", false), ("mixed", true)] {
        let items = workload(images);
        let expected = run(&screener, &items, 1);
        let mut g = c.benchmark_group(format!("concurrency/{name}"));
        g.throughput(Throughput::Elements(items.len() as u64));
        g.sample_size(10).measurement_time(Duration::from_secs(4));
        for t in [1usize, 2, 4, 8] {
            assert_eq!(run(&screener, &items, t), expected);
            g.bench_with_input(BenchmarkId::new("threads", t), &t, |b, &t| {
                b.iter(|| black_box(run(&screener, &items, t)))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, threads);
criterion_main!(benches);
