//! Word shingles: unit behaviour, and (ignored by default) the false-match measurement on ordinary
//! text installed on the machine.
//!
//! `cargo test --release --test text_shingles -- --ignored --nocapture` prints, for widths 1-4
//! and thresholds 1-3, how many ordinary messages (lines and paragraphs of
//! `/usr/share/common-licenses/*` and `/usr/share/doc/*/copyright`) would match a shingle list
//! built from the scam phrases of the evasion vectors, and how many evasive variants of those
//! phrases still match. The list is an exact set: a Bloom filter adds its own false-positive rate
//! per probe on top.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hashscreen::text::{shingles, shingles_match, SHINGLE_MIN_HITS, SHINGLE_WIDTH};
use std::collections::{BTreeSet, HashSet};

#[test]
fn shingles_basics() {
    assert_eq!(
        shingles("Claim your PRIZE now!!", 2).unwrap(),
        ["claim your", "your prize", "prize now"]
    );
    assert_eq!(
        shingles("c1@!m y0ur pr!z3", 3).unwrap(),
        ["claim your prize"]
    );
    assert_eq!(shingles("a b a b a b", 2).unwrap(), ["ababab"]); // spaced letters joined first
    assert_eq!(shingles("win win win win", 2).unwrap(), ["win win"]); // distinct only
    assert!(shingles("", 2).unwrap().is_empty());
    assert!(shingles("   ...  ", 2).unwrap().is_empty());
    assert_eq!(shingles("hi", 0).unwrap(), ["hi"]);
    assert!(shingles_match(SHINGLE_MIN_HITS) && !shingles_match(SHINGLE_MIN_HITS - 1));
    // A template matches a message that shares two word pairs, with words around them.
    let list: HashSet<String> = shingles("double your crypto today", SHINGLE_WIDTH)
        .unwrap()
        .into_iter()
        .collect();
    let msg = shingles("hey, DOUBLE y0ur crypto here: trust me", SHINGLE_WIDTH).unwrap();
    let hits = msg.iter().filter(|s| list.contains(*s)).count();
    assert!(shingles_match(hits));
}

fn templates() -> (Vec<String>, Vec<(String, String)>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/text/text_evasion_cases.tsv"
    );
    let data = std::fs::read_to_string(path).unwrap();
    let mut t = BTreeSet::new();
    let mut variants = Vec::new();
    for line in data.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f[2].starts_with("url_") || f[2].starts_with("negative_") {
            continue;
        }
        t.insert(f[0].to_string());
        variants.push((f[0].to_string(), f[1].to_string()));
    }
    (t.into_iter().collect(), variants)
}

/// Ordinary text: each line, and each paragraph (cut to 300 bytes at a char boundary).
fn corpus() -> (Vec<String>, usize) {
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["/usr/share/common-licenses"] {
        if let Ok(rd) = std::fs::read_dir(dir) {
            files.extend(rd.flatten().map(|e| e.path()));
        }
    }
    if let Ok(rd) = std::fs::read_dir("/usr/share/doc") {
        for e in rd.flatten() {
            let p = e.path().join("copyright");
            if p.is_file() {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut msgs = Vec::new();
    let mut bytes = 0;
    for f in &files {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        bytes += text.len();
        for line in text.lines() {
            let l = line.trim();
            if l.split_whitespace().count() >= 2 {
                msgs.push(l.to_string());
            }
        }
        for para in text.split("\n\n") {
            let p = para.split_whitespace().collect::<Vec<_>>().join(" ");
            if p.split(' ').count() < 4 {
                continue;
            }
            let mut cut = p.len().min(300);
            while !p.is_char_boundary(cut) {
                cut -= 1;
            }
            msgs.push(p[..cut].to_string());
        }
    }
    (msgs, bytes)
}

#[test]
#[ignore = "measurement on files installed on the machine; prints figures"]
fn shingle_false_match_measurement() {
    let (templates, variants) = templates();
    let (msgs, bytes) = corpus();
    println!(
        "templates: {} scam phrases; ordinary messages: {} (lines and paragraphs of {} bytes of licence and copyright text)",
        templates.len(),
        msgs.len(),
        bytes
    );
    println!("width  T  list  false matches (rate)         variants matched  template shingles<T");
    for width in 1..=4 {
        let list: HashSet<String> = templates
            .iter()
            .flat_map(|t| shingles(t, width).unwrap())
            .collect();
        let msg_shingles: Vec<Vec<String>> =
            msgs.iter().map(|m| shingles(m, width).unwrap()).collect();
        for t in 1..=3 {
            let mut fm = 0;
            let mut examples = Vec::new();
            for (m, sh) in msgs.iter().zip(&msg_shingles) {
                let hits = sh.iter().filter(|s| list.contains(*s)).count();
                if hits >= t {
                    fm += 1;
                    if examples.len() < 3 {
                        examples.push(m.chars().take(80).collect::<String>());
                    }
                }
            }
            let caught = variants
                .iter()
                .filter(|(_, v)| {
                    let sh = shingles(v, width).unwrap();
                    sh.iter().filter(|s| list.contains(*s)).count() >= t
                })
                .count();
            let short = templates
                .iter()
                .filter(|tp| shingles(tp, width).unwrap().len() < t)
                .count();
            println!(
                "{width:>5} {t:>2} {:>5}  {fm:>6} / {} ({:.2e})   {caught:>4} / {}        {short}",
                list.len(),
                msgs.len(),
                fm as f64 / msgs.len() as f64,
                variants.len()
            );
            for e in examples {
                println!("          e.g. {e:?}");
            }
        }
    }
}

/// The strict key's evidence forms on ordinary text: how many messages open a form (an extra
/// probe each), and how often a form of one message equals the form of a message with a
/// different strict key (a merge the strict key alone does not make). The second figure counts
/// pairs inside the corpus, as if every ordinary message were listed.
#[test]
#[ignore = "measurement on files installed on the machine; prints figures"]
fn evidence_form_measurement() {
    use hashscreen::text::{strict_key, strict_key_evidence, StrictForm};
    use std::collections::HashMap;
    let (msgs, _) = corpus();
    let mut keys = Vec::with_capacity(msgs.len());
    for m in &msgs {
        let mut k = String::new();
        let e = strict_key_evidence(m, &mut k).unwrap();
        keys.push((k, e));
    }
    let distinct: HashSet<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
    println!(
        "ordinary messages: {} ({} distinct strict keys)",
        msgs.len(),
        distinct.len()
    );
    for form in StrictForm::ALL {
        // Every distinct key's form, as a publisher lists it.
        let mut listed: HashMap<String, HashSet<&str>> = HashMap::new();
        let mut f = String::new();
        for k in &distinct {
            form.apply(k, &mut f);
            listed.entry(f.clone()).or_default().insert(k);
        }
        let (mut opened, mut merged) = (0, 0);
        let mut examples = Vec::new();
        for (m, (k, e)) in msgs.iter().zip(&keys) {
            if !form.applies(*e) {
                continue;
            }
            opened += 1;
            form.apply(k, &mut f);
            if listed
                .get(&f)
                .is_some_and(|ks| ks.iter().any(|o| *o != k.as_str()))
            {
                merged += 1;
                if examples.len() < 5 {
                    examples.push(m.chars().take(80).collect::<String>());
                }
            }
        }
        println!(
            "{form:?}: opened by {opened} messages ({:.2e}); merged with another message's key: {merged}",
            opened as f64 / msgs.len() as f64
        );
        for e in examples {
            println!("    e.g. {e:?}");
        }
    }
    // Sanity: the measurement sees the forms at all.
    assert!(strict_key("freeeee").unwrap() != strict_key("free").unwrap());
}
