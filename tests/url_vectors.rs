//! URL conformance: every row of `fixtures/text/url_canon_vectors.tsv`, and the URL rows of
//! `fixtures/text/text_evasion_cases.tsv`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hashscreen::url::{self, canonical_expressions, canonical_host, canonicalize_bytes};
use hashscreen::Error;
use std::collections::{BTreeMap, BTreeSet};

fn fixture(name: &str) -> String {
    let path = format!("{}/fixtures/text/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).expect("fixture readable")
}

/// The vector file writes bytes as `\xHH`, and `\t` `\r` `\n`.
fn unescape(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            match b[i + 1] {
                b'x' if i + 3 < b.len() => {
                    let h = std::str::from_utf8(&b[i + 2..i + 4]).unwrap();
                    out.push(u8::from_str_radix(h, 16).unwrap());
                    i += 4;
                    continue;
                }
                b't' => out.push(b'\t'),
                b'r' => out.push(b'\r'),
                b'n' => out.push(b'\n'),
                _ => {
                    out.push(b'\\');
                    i += 1;
                    continue;
                }
            }
            i += 2;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

#[test]
fn url_canon_vectors() {
    let data = fixture("url_canon_vectors.tsv");
    let mut per_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for line in data.lines().skip(1).filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 4, "four columns: {line:?}");
        let (input, expected, kind) = (unescape(f[0]), f[1], f[2]);
        let input_str = String::from_utf8_lossy(&input).into_owned();
        let ok = match kind {
            "canonical_url" | "canonical_url_extra" | "canonical_url_ambiguous" => {
                let got = canonicalize_bytes(&input);
                let pass = matches!(&got, Ok(g) if g == expected);
                if !pass {
                    failures.push(format!(
                        "{kind}: {input_str:?} -> {got:?}, want {expected:?}"
                    ));
                }
                pass
            }
            "invalid_no_host" => {
                let got = canonicalize_bytes(&input);
                let pass = matches!(got, Err(Error::InvalidUrl { .. }));
                if !pass {
                    failures.push(format!("{kind}: {input_str:?} -> {got:?}, want an error"));
                }
                pass
            }
            "ip_host" => {
                let got = url::ip::parse_ipv4(&input_str);
                let want = (!expected.is_empty()).then(|| expected.to_string());
                let pass = got == want;
                if !pass {
                    failures.push(format!("{kind}: {input_str:?} -> {got:?}, want {want:?}"));
                }
                pass
            }
            "canonical_host" | "canonical_host_v5" => {
                let got = canonical_host(&input_str);
                let pass = matches!(&got, Ok(g) if g == expected);
                if !pass {
                    failures.push(format!(
                        "{kind}: {input_str:?} -> {got:?}, want {expected:?}"
                    ));
                }
                pass
            }
            "canonical_path" => {
                let got = canonicalize_bytes(&input).map(|c| {
                    let rest = &c[c.find("://").unwrap() + 3..];
                    rest[rest.find('/').unwrap()..].to_string()
                });
                let pass = matches!(&got, Ok(g) if g == expected);
                if !pass {
                    failures.push(format!(
                        "{kind}: {input_str:?} -> {got:?}, want {expected:?}"
                    ));
                }
                pass
            }
            "expressions_set" => {
                let got = canonical_expressions(&input_str).unwrap();
                assert!(got.len() <= url::MAX_EXPRESSIONS);
                let got_set: BTreeSet<&str> = got.iter().map(String::as_str).collect();
                assert_eq!(got_set.len(), got.len(), "no duplicate expressions");
                let want: BTreeSet<&str> = expected.split(' ').collect();
                let pass = got_set == want;
                if !pass {
                    failures.push(format!("{kind}: {input_str:?} -> {got:?}, want {want:?}"));
                }
                pass
            }
            other => panic!("unknown kind {other}"),
        };
        let e = per_kind.entry(kind.to_string()).or_default();
        e.0 += 1;
        e.1 += usize::from(ok);
    }
    for (k, (n, ok)) in &per_kind {
        println!("{k:<26} {ok:>3}/{n:<3}");
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// The listed expression of a URL: its canonical form without the scheme.
fn full_expression(canonical: &str) -> String {
    canonical[canonical.find("://").unwrap() + 3..].to_string()
}

#[test]
fn url_evasion_rows() {
    let data = fixture("text_evasion_cases.tsv");
    let mut n = 0;
    for line in data.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (canonical, variant, kind) = (f[0], f[1], f[2]);
        if kind.starts_with("url_") {
            n += 1;
            // What is digested are the expressions, which carry no scheme and no empty query:
            // `hxxps://` refangs to `https://` (kept so in the canonical URL), `login?` keeps its
            // `?` in the canonical URL (as the Safe Browsing test list wants), and both give the
            // expressions of the listed URL.
            let want = hashscreen::url::canonicalize(canonical).unwrap();
            let got = hashscreen::url::canonicalize(variant).unwrap();
            assert_eq!(
                hashscreen::url::expressions(&got),
                hashscreen::url::expressions(&want),
                "{kind}: {variant:?}"
            );
        } else if kind.starts_with("negative_url_") {
            n += 1;
            let a = hashscreen::url::canonicalize(canonical).unwrap();
            let b = hashscreen::url::canonicalize(variant).unwrap();
            assert_ne!(a, b, "{kind}");
            // Listing one must not block the other.
            let ea = hashscreen::url::expressions(&a);
            let eb = hashscreen::url::expressions(&b);
            assert!(
                !eb.contains(&full_expression(&a)),
                "{kind}: {b} hits listed {a}"
            );
            assert!(
                !ea.contains(&full_expression(&b)),
                "{kind}: {a} hits listed {b}"
            );
        }
    }
    assert_eq!(n, 33);
}

#[test]
fn disputed_and_chosen_rows() {
    // Uppercase escapes (Go would write %1b).
    assert_eq!(
        hashscreen::url::canonicalize("http://some%1Bhost.com/%1B").unwrap(),
        "http://some%1Bhost.com/%1B"
    );
    // Host with port but no scheme (Go rejects: it reads the host as a scheme).
    assert_eq!(
        hashscreen::url::canonicalize("evil.example:8080/x").unwrap(),
        "http://evil.example/x"
    );
    // Scheme lowercased.
    assert_eq!(
        hashscreen::url::canonicalize("HTTP://A.B/").unwrap(),
        "http://a.b/"
    );
    // The quadratic unescape case is linear and gives the fixed point.
    let long = format!("http://h/%25{}", "25".repeat(5000));
    assert_eq!(
        hashscreen::url::canonicalize(&long).unwrap(),
        "http://h/%25"
    );
    // 30 expressions at most.
    let e = hashscreen::url::canonical_expressions("http://a.b.c.d.e.f.g.h/1/2/3/4/5/6.html?q=1")
        .unwrap();
    assert_eq!(e.len(), 30);
    // Never leet- or confusable-folded.
    assert_ne!(
        hashscreen::url::canonicalize("http://rn-bank.example/").unwrap(),
        hashscreen::url::canonicalize("http://m-bank.example/").unwrap()
    );
    // Invalid IDN.
    assert!(matches!(
        hashscreen::url::canonicalize("http://a\u{0301}\u{0301}..xn--a-/"),
        Ok(_) | Err(Error::InvalidUrl { .. })
    ));
}

#[test]
fn find_urls_in_text() {
    let text = "Claim at hxxps://free-nitro[.]example/claim!! or (evil.example/path), \
                203.0.113.7/gift, www.ok.example, write to bob@mail.example, e.g. version 1.2.3 \
                and see http://[2001:db8::1]/x.";
    let found: Vec<&str> = hashscreen::text::find_urls(text).collect();
    assert_eq!(
        found,
        [
            "hxxps://free-nitro[.]example/claim",
            "evil.example/path",
            "203.0.113.7/gift",
            "www.ok.example",
            "http://[2001:db8::1]/x"
        ]
    );
    for u in &found {
        hashscreen::url::canonical_expressions(u).unwrap();
    }
}
