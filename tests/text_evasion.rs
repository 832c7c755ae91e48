//! Evasion vectors (`fixtures/text/text_evasion_cases.tsv`): every evasive variant against its
//! canonical text, through a blocklist, under the strict key (with its evidence forms) and the
//! loose key; `negative_*` pairs must stay apart.
//! Rows whose kind starts with `url_` / `negative_url_` are URL rows, tested in
//! `tests/url_vectors.rs`.
//!
//! Run with `--nocapture` to see the per-kind table.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hashscreen::blocklist::TextSignals;
use hashscreen::text::{loose_key, strict_key};
use hashscreen::{Blocklist, BlocklistBuilder, Key, OpenOptions, Screener};
use std::collections::BTreeMap;

struct Row {
    canonical: String,
    variant: String,
    kind: String,
}

fn rows() -> Vec<Row> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/text/text_evasion_cases.tsv"
    );
    let data = std::fs::read_to_string(path).expect("fixture readable");
    data.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 3, "three columns");
            Row {
                canonical: f[0].to_string(),
                variant: f[1].to_string(),
                kind: f[2].to_string(),
            }
        })
        .filter(|r| !r.kind.starts_with("url_") && !r.kind.starts_with("negative_url_"))
        .collect()
}

/// Negative kinds the loose key merges by design (it drops word boundaries, doubled letters and
/// the `l`/`i`, `rn`/`m` distinctions and Latin/Greek/Cyrillic diacritics, and folds
/// look-alikes without evidence).
const LOOSE_MERGES_BY_DESIGN: &[&str] = &[
    "negative_double_letter",
    "negative_word_boundary",
    "negative_i_l_letter",
    "negative_skeleton_ascii",
    "negative_cross_script_real_word",
    "negative_diacritic",
];

#[derive(Default)]
struct Tally {
    total: usize,
    strict: usize,
    loose: usize,
}

/// A list of `texts` (label `t{i}`) under one text signal, and its screener.
fn screener(texts: &[&str], signals: TextSignals) -> Screener {
    let key = Key::from_bytes([7; 32]);
    let mut b = BlocklistBuilder::new(&key);
    for (i, t) in texts.iter().enumerate() {
        b.add_text_with(&format!("t{i}"), t, signals).unwrap();
    }
    let list = Blocklist::open(b.build().unwrap(), &OpenOptions::default()).unwrap();
    Screener::new(&list, &key).unwrap()
}

/// Does `text` match the listed item `i` of `s`?
fn hits(s: &Screener, text: &str, i: usize) -> bool {
    let label = format!("t{i}");
    s.screen_text(text)
        .unwrap()
        .matches()
        .iter()
        .any(|m| m.label() == label)
}

const LOOSE_ONLY: TextSignals = TextSignals {
    strict: false,
    loose: true,
    shingles: false,
};

/// Through the blocklist, as a client screens: each variant against its listed canonical text
/// (negative pairs in both directions), under the strict key (with its evidence forms) and under
/// the loose key.
#[test]
fn evasion_rates_and_negatives() {
    let rows = rows();
    let mut per_kind: BTreeMap<String, Tally> = BTreeMap::new();
    let (mut pos, mut strict_ok, mut loose_ok) = (0, 0, 0);
    let mut strict_misses = Vec::new();
    let mut strict_collisions = Vec::new();
    let mut loose_collisions = Vec::new();
    for r in &rows {
        // A list of the pair per row (a list holds at most 64 labels per signal).
        let (canonical, variant) = (0, 1);
        let pair = [r.canonical.as_str(), r.variant.as_str()];
        let strict = screener(&pair, TextSignals::STRICT);
        let loose = screener(&pair, LOOSE_ONLY);
        let t = per_kind.entry(r.kind.clone()).or_default();
        t.total += 1;
        if r.kind.starts_with("negative_") {
            let pair = format!("{}: {:?} / {:?}", r.kind, r.canonical, r.variant);
            if hits(&strict, &r.variant, canonical) || hits(&strict, &r.canonical, variant) {
                strict_collisions.push(pair.clone());
            } else {
                t.strict += 1;
            }
            if hits(&loose, &r.variant, canonical) || hits(&loose, &r.canonical, variant) {
                loose_collisions.push((r.kind.clone(), pair));
            } else {
                t.loose += 1;
            }
            continue;
        }
        pos += 1;
        if hits(&strict, &r.variant, canonical) {
            strict_ok += 1;
            t.strict += 1;
        } else {
            strict_misses.push(format!(
                "{}: {:?} (key {:?}, listed {:?})",
                r.kind,
                r.variant,
                strict_key(&r.variant).unwrap(),
                strict_key(&r.canonical).unwrap()
            ));
        }
        if hits(&loose, &r.variant, canonical) {
            loose_ok += 1;
            t.loose += 1;
        } else {
            eprintln!(
                "loose miss {}: {:?} -> {:?} (want {:?})",
                r.kind,
                r.variant,
                loose_key(&r.variant).unwrap(),
                loose_key(&r.canonical).unwrap()
            );
        }
    }
    println!(
        "{:<34} {:>5} {:>8} {:>8}",
        "kind", "rows", "strict", "loose"
    );
    for (kind, t) in &per_kind {
        println!("{kind:<34} {:>5} {:>8} {:>8}", t.total, t.strict, t.loose);
    }
    let strict_rate = strict_ok as f64 / pos as f64;
    let loose_rate = loose_ok as f64 / pos as f64;
    println!(
        "positives {pos}: strict {strict_ok} ({:.1} %), loose {loose_ok} ({:.1} %)",
        100.0 * strict_rate,
        100.0 * loose_rate
    );
    println!("(for negative kinds the columns count pairs kept apart)");
    for m in &strict_misses {
        println!("strict miss {m}");
    }
    for (k, c) in &loose_collisions {
        println!("loose merges {k}: {c}");
    }

    assert!(
        strict_collisions.is_empty(),
        "strict key merged negative pairs: {strict_collisions:#?}"
    );
    assert!(
        strict_rate >= 0.95,
        "strict rate {strict_rate}: {strict_misses:#?}"
    );
    assert!(loose_rate >= 0.99, "loose rate {loose_rate}");
    for (k, c) in &loose_collisions {
        assert!(
            LOOSE_MERGES_BY_DESIGN.contains(&k.as_str()),
            "loose key merged {k}: {c}"
        );
    }
}

/// The strict key alone (no evidence forms) keeps its own guarantees: the negative pairs stay
/// apart, and what it misses on its own is only the two evasions the forms exist for.
#[test]
fn strict_key_alone() {
    for r in rows() {
        let (c, v) = (
            strict_key(&r.canonical).unwrap(),
            strict_key(&r.variant).unwrap(),
        );
        if r.kind.starts_with("negative_") {
            assert_ne!(c, v, "{}: {:?} / {:?}", r.kind, r.canonical, r.variant);
        } else if c != v {
            assert!(
                ["repeated_letters", "separator_space"].contains(&r.kind.as_str()),
                "strict key miss outside the evidence forms' kinds: {} {:?}",
                r.kind,
                r.variant
            );
        }
    }
}

/// Evidence forms are only probed on evidence: ordinary doubled letters and word boundaries do
/// not open them, so `bot` still does not match a listed `boot`, nor `the rapist` `therapist`.
#[test]
fn forms_need_evidence() {
    let listed = ["boot camp", "therapist", "good luck", "pay 5000 now"];
    let s = screener(&listed, TextSignals::STRICT);
    for (i, t) in ["bot camp", "the rapist", "god luck", "pay 500 now"]
        .iter()
        .enumerate()
    {
        assert!(!hits(&s, t, i), "{t:?} matched {:?}", listed[i]);
    }
    // With evidence, stretched or spaced-out copies of the listed texts match.
    for (i, t) in [
        "booooot camp",
        "t h e r a p i s t",
        "goooood luuuck",
        "paaaay 5000 now",
    ]
    .iter()
    .enumerate()
    {
        assert!(hits(&s, t, i), "{t:?} missed {:?}", listed[i]);
    }
    // Digits are never collapsed: a stretched amount is a different amount.
    assert!(!hits(&s, "paaaay 50000 now", 3));
}
