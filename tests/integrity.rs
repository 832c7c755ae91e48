//! Blocklist integrity as properties over random lists (`tests/blocklist.rs` has the exhaustive
//! checks of one fixed list: every truncation, every bit flip, one section swap, fixed deltas).
//!
//! Here the lists themselves are random (contents, signed or not, sequence, list id) and so are
//! the attacks: any truncation, any single-byte change, any reordering of sections (with the
//! payloads moved along and the checksum recomputed), changes after signing, deltas for another
//! list or base, rollbacks, failed delta applies that must leave the base intact, and the size
//! limit of `OpenOptions::max_bytes`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hashscreen::blocklist::{delta, format, DEFAULT_MAX_BLOCKLIST_BYTES};
use hashscreen::{Blocklist, BlocklistBuilder, Error, Key, OpenOptions, Screener, SigningKey};
use proptest::prelude::*;

fn key() -> Key {
    Key::from_bytes(std::array::from_fn(|i| (i * 7) as u8))
}

fn signer() -> SigningKey {
    SigningKey::from_hex(&"5a".repeat(32)).unwrap()
}

/// What a random list holds.
#[derive(Clone, Debug)]
struct Spec {
    texts: Vec<String>,
    files: Vec<Vec<u8>>,
    urls: Vec<String>,
    labels: Vec<&'static str>,
    sequence: u64,
    list_id: [u8; 16],
    signed: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec("[a-z]{3,8}( [a-z]{3,8}){1,5}", 0..6),
        prop::collection::vec(prop::collection::vec(any::<u8>(), 1..40), 0..4),
        prop::collection::vec("[a-z]{3,8}\\.example(/[a-z]{1,5}){0,2}", 0..3),
        prop::sample::subsequence(vec!["alpha", "beta", "gamma"], 1..=3),
        1u64..1000,
        any::<[u8; 16]>(),
        any::<bool>(),
    )
        .prop_map(
            |(texts, files, urls, labels, sequence, list_id, signed)| Spec {
                texts,
                files,
                urls,
                labels,
                sequence,
                list_id,
                signed,
            },
        )
        // At least one entry, so the list has at least one section.
        .prop_filter("non-empty", |s| {
            !(s.texts.is_empty() && s.files.is_empty() && s.urls.is_empty())
        })
}

fn builder(k: &Key, s: &Spec) -> BlocklistBuilder {
    let mut b = BlocklistBuilder::new(k);
    b.created(1_700_000_000)
        .list_id(s.list_id)
        .sequence(s.sequence);
    for (i, t) in s.texts.iter().enumerate() {
        b.add_text(s.labels[i % s.labels.len()], t).unwrap();
    }
    for (i, f) in s.files.iter().enumerate() {
        b.add_file(s.labels[i % s.labels.len()], f).unwrap();
    }
    for (i, u) in s.urls.iter().enumerate() {
        b.add_url(s.labels[i % s.labels.len()], u).unwrap();
    }
    b
}

/// `s` with a text of several distinct words first, so the first label has strict, loose and
/// shingle sections (a delta only adds to sections that exist).
fn anchored(mut s: Spec) -> Spec {
    s.texts
        .insert(0, "anchor text with several distinct words".to_string());
    s
}

fn build(s: &Spec) -> Vec<u8> {
    let b = builder(&key(), s);
    if s.signed {
        b.build_signed(&signer()).unwrap()
    } else {
        b.build().unwrap()
    }
}

fn open(bytes: Vec<u8>) -> Result<Blocklist, Error> {
    Blocklist::open(bytes, &OpenOptions::default())
}

fn signed_opts() -> OpenOptions {
    OpenOptions {
        publisher: Some(signer().verifying_key()),
        ..OpenOptions::default()
    }
}

fn body_len(bytes: &[u8]) -> usize {
    let mut n = [0u8; 8];
    n.copy_from_slice(&bytes[format::header::BODY_LEN..format::header::BODY_LEN + 8]);
    u64::from_le_bytes(n) as usize
}

/// Recomputes the checksum of a (possibly modified) body, dropping any signature and its flag:
/// what an attacker without the publisher's key can produce.
fn reseal(body: &[u8]) -> Vec<u8> {
    let mut b = body.to_vec();
    b[format::header::FLAGS] &= !format::FLAG_SIGNED;
    let checksum = *blake3::hash(&b).as_bytes();
    b.extend_from_slice(&checksum);
    b
}

/// Every verdict the list gives on its own entries and on a few unlisted items, as a comparable
/// value.
fn verdicts(list: &Blocklist, s: &Spec) -> Vec<String> {
    let screener = Screener::new(list, &key()).unwrap();
    let mut out = Vec::new();
    let mut texts: Vec<&str> = s.texts.iter().map(String::as_str).collect();
    texts.push("an unlisted ordinary message");
    for t in texts {
        out.push(format!("{:?}", screener.screen_text(t).unwrap()));
    }
    for f in &s.files {
        out.push(format!("{:?}", screener.screen_file(f)));
    }
    for u in &s.urls {
        out.push(format!("{:?}", screener.screen_url(u).unwrap()));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any strict prefix of a list is rejected as truncated; any extension as malformed.
    #[test]
    fn any_truncation_or_extension_is_rejected(s in spec(), cut in any::<prop::sample::Index>(), extra in prop::collection::vec(any::<u8>(), 1..100)) {
        let bytes = build(&s);
        prop_assert!(open(bytes.clone()).is_ok());
        let len = cut.index(bytes.len());
        let err = open(bytes[..len].to_vec()).unwrap_err();
        prop_assert!(matches!(err, Error::Truncated { .. }), "cut to {len}: {err:?}");
        let mut longer = bytes;
        longer.extend_from_slice(&extra);
        prop_assert!(open(longer).is_err());
    }

    /// Any single-byte change (any position, any new value) is rejected, signed or not, and also
    /// when the attacker recomputes the checksum: then the signature (signed lists) or a structural
    /// rule must catch it, or the change is one the format allows to be re-sealed (entries,
    /// filter bits, labels, times), which only the signature can protect. We assert the strong form
    /// for the raw change and the signature form for the resealed one.
    #[test]
    fn any_single_byte_change_is_rejected(s in spec(), at in any::<prop::sample::Index>(), xor in 1u8..=255) {
        let bytes = build(&s);
        let i = at.index(bytes.len());
        let mut changed = bytes.clone();
        changed[i] ^= xor;
        prop_assert!(open(changed.clone()).is_err(), "byte {i} ^ {xor:#x} accepted");
        if s.signed {
            prop_assert!(Blocklist::open(changed, &signed_opts()).is_err());
        }
    }

    /// A signed list modified after signing is rejected when the publisher's key is required, even
    /// with a recomputed checksum, with the signature kept or stripped.
    #[test]
    fn signed_list_modified_after_signing_is_rejected(s in spec(), at in any::<prop::sample::Index>(), xor in 1u8..=255) {
        let s = Spec { signed: true, ..s };
        let bytes = build(&s);
        let n = body_len(&bytes);
        prop_assert!(Blocklist::open(bytes.clone(), &signed_opts()).is_ok());
        let i = at.index(n);
        let mut body = bytes[..n].to_vec();
        body[i] ^= xor;
        // Signature kept, checksum recomputed.
        let mut kept = body.clone();
        kept.extend_from_slice(blake3::hash(&body).as_bytes());
        kept.extend_from_slice(&bytes[n + 32..]);
        let err = Blocklist::open(kept, &signed_opts()).unwrap_err();
        // Magic, version, kind, flags and body length are read before the signature is checked
        // (they say how long the file is); any other change is a bad signature.
        if i >= format::header::SECTION_COUNT && !(format::header::BODY_LEN..format::header::BODY_LEN + 8).contains(&i) {
            prop_assert_eq!(err, Error::BadSignature);
        }
        // Signature stripped, flag cleared, checksum recomputed.
        let err = Blocklist::open(reseal(&body), &signed_opts()).unwrap_err();
        if i >= format::header::SECTION_COUNT && !(format::header::BODY_LEN..format::header::BODY_LEN + 8).contains(&i) {
            prop_assert_eq!(err, Error::SignatureMissing);
        }
    }

    /// Any reordering of the sections is rejected, even when the payloads are moved along with
    /// their entries (so every offset is consistent) and the checksum is recomputed.
    #[test]
    fn any_reordering_of_sections_is_rejected(s in spec(), seed in any::<u64>()) {
        let bytes = build(&Spec { signed: false, ..s });
        let list = open(bytes.clone()).unwrap();
        let sections = list.sections().to_vec();
        prop_assume!(sections.len() >= 2);
        // A non-identity permutation from the seed.
        let mut order: Vec<usize> = (0..sections.len()).collect();
        let mut x = seed | 1;
        for i in (1..order.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            order.swap(i, (x % (i as u64 + 1)) as usize);
        }
        if order.iter().enumerate().all(|(i, &o)| i == o) {
            order.swap(0, 1);
        }
        let n = body_len(&bytes);
        let mut body = bytes[..sections[0].payload.start].to_vec();
        for (slot, &from) in order.iter().enumerate() {
            let entry = format::HEADER_LEN + from * format::SECTION_LEN;
            let at = format::HEADER_LEN + slot * format::SECTION_LEN;
            body[at..at + format::SECTION_LEN].copy_from_slice(&bytes[entry..entry + format::SECTION_LEN]);
        }
        for (slot, &from) in order.iter().enumerate() {
            let offset = body.len() as u64;
            let at = format::HEADER_LEN + slot * format::SECTION_LEN + format::section::PAYLOAD_OFFSET;
            body[at..at + 8].copy_from_slice(&offset.to_le_bytes());
            body.extend_from_slice(&bytes[sections[from].payload.clone()]);
        }
        prop_assert_eq!(body.len(), n);
        let err = open(reseal(&body)).unwrap_err();
        prop_assert!(matches!(err, Error::Malformed { .. }), "{err:?}");
    }

    /// Rollback: a list opens if and only if its sequence is at least the one the client holds.
    #[test]
    fn rollback_is_rejected(s in spec(), held in 0u64..2000) {
        let bytes = build(&s);
        let opts = OpenOptions { min_sequence: Some(held), ..OpenOptions::default() };
        match Blocklist::open(bytes, &opts) {
            Ok(list) => prop_assert!(list.sequence() >= held),
            Err(e) => {
                prop_assert!(s.sequence < held);
                prop_assert_eq!(e, Error::Rollback { current: held, found: s.sequence });
            }
        }
    }

    /// A delta applies only to its own base: another list id, another base sequence or another base
    /// content is a typed mismatch, and the base stays intact and usable with the same verdicts.
    #[test]
    fn delta_for_another_list_or_base_is_rejected(
        s in spec(),
        more in prop::collection::vec("[a-z]{3,8}( [a-z]{3,8}){1,4}", 1..4),
        other_id in any::<[u8; 16]>(),
        other_seq in 1u64..1000,
    ) {
        // A delta only adds to existing sections: the first label gets all three text sections.
        let s = anchored(s);
        let k = key();
        let v1 = open(build(&Spec { signed: false, ..s.clone() })).unwrap();
        let mut b2 = BlocklistBuilder::from_base(&k, &v1).unwrap();
        for t in &more {
            b2.add_text(s.labels[0], t).unwrap();
        }
        let v2 = open(b2.build().unwrap()).unwrap();
        let d = delta::make(&v1, &v2, None).unwrap();
        let before = verdicts(&v1, &s);
        // The right base: the delta reproduces v2 exactly.
        let applied = delta::apply(&v1, d.clone(), &OpenOptions::default()).unwrap();
        prop_assert_eq!(applied.as_bytes(), v2.as_bytes());
        // Another list id.
        prop_assume!(other_id != s.list_id && other_seq != s.sequence);
        let other = open(build(&Spec { list_id: other_id, signed: false, ..s.clone() })).unwrap();
        let r = delta::apply(&other, d.clone(), &OpenOptions::default());
        prop_assert!(matches!(r, Err(Error::DeltaMismatch { .. })), "{:?}", r.err());
        // Another base sequence (same list id and content otherwise).
        let moved = open(build(&Spec { sequence: other_seq, signed: false, ..s.clone() })).unwrap();
        let r = delta::apply(&moved, d.clone(), &OpenOptions::default());
        prop_assert!(matches!(r, Err(Error::DeltaMismatch { .. })), "{:?}", r.err());
        // Applied to its own result (a replay), or with the client already past the target.
        prop_assert!(delta::apply(&v2, d.clone(), &OpenOptions::default()).is_err());
        let ahead = OpenOptions { min_sequence: Some(v2.sequence() + 1), ..OpenOptions::default() };
        let r = delta::apply(&v1, d, &ahead);
        prop_assert!(matches!(r, Err(Error::Rollback { .. })), "{:?}", r.err());
        prop_assert_eq!(verdicts(&v1, &s), before);
    }

    /// A failed apply (delta cut, changed, or changed and resealed) leaves the base list byte for
    /// byte as it was, and it screens exactly as before.
    #[test]
    fn failed_delta_apply_leaves_the_base_intact(
        s in spec(),
        more in prop::collection::vec("[a-z]{3,8}( [a-z]{3,8}){1,4}", 1..4),
        at in any::<prop::sample::Index>(),
        xor in 1u8..=255,
        how in 0u8..3,
    ) {
        let s = anchored(s);
        let k = key();
        let v1_bytes = build(&s);
        let v1 = open(v1_bytes.clone()).unwrap();
        let mut b2 = BlocklistBuilder::from_base(&k, &v1).unwrap();
        for t in &more {
            b2.add_text(s.labels[0], t).unwrap();
        }
        let v2 = open(b2.build_signed(&signer()).unwrap()).unwrap();
        let d = delta::make(&v1, &v2, Some(&signer())).unwrap();
        let before = verdicts(&v1, &s);
        let i = at.index(d.len());
        let bad = match how {
            0 => d[..i].to_vec(),
            1 => { let mut b = d.clone(); b[i] ^= xor; b }
            _ => {
                let n = body_len(&d);
                let mut b = d[..n].to_vec();
                let j = at.index(n);
                b[j] ^= xor;
                reseal(&b)
            }
        };
        let opts = OpenOptions { publisher: Some(signer().verifying_key()), ..OpenOptions::default() };
        // Resealed deltas are tried without a required publisher: the base and target checksums
        // must catch them on their own.
        let lax = if how == 2 { OpenOptions::default() } else { opts.clone() };
        match delta::apply(&v1, bad, &lax) {
            Err(_) => {}
            // Deltas OR blocks into the base: a resealed delta whose flipped bits are set in the
            // base anyway yields the same filter, and the target checksum then proves the result
            // is the genuine target. What must never happen is any other list.
            Ok(l) => prop_assert!(
                how == 2 && l.as_bytes() == v2.as_bytes(),
                "a modified delta applied and gave a list other than the target"
            ),
        }
        prop_assert_eq!(v1.as_bytes(), &v1_bytes[..]);
        prop_assert_eq!(verdicts(&v1, &s), before);
        // And the genuine delta still applies afterwards.
        let applied = delta::apply(&v1, d, &opts).unwrap();
        prop_assert_eq!(applied.as_bytes(), v2.as_bytes());
    }

    /// `OpenOptions::max_bytes`: a file one byte over the limit is refused before anything else,
    /// one at the limit opens; a delta whose result exceeds the limit fails and the base is kept.
    #[test]
    fn size_limit(s in spec()) {
        let bytes = build(&s);
        let len = bytes.len();
        let at_limit = OpenOptions { max_bytes: len, ..OpenOptions::default() };
        prop_assert!(Blocklist::open(bytes.clone(), &at_limit).is_ok());
        let under = OpenOptions { max_bytes: len - 1, ..OpenOptions::default() };
        prop_assert_eq!(Blocklist::open(bytes.clone(), &under).unwrap_err(), Error::InputTooLarge { limit: len - 1, found: len });
        // The limit comes first: a corrupted oversized file is refused for its size.
        let mut junk = bytes;
        junk[0] ^= 0xff;
        prop_assert_eq!(Blocklist::open(junk, &under).unwrap_err(), Error::InputTooLarge { limit: len - 1, found: len });
    }
}

#[test]
fn default_size_limit_is_documented_value() {
    assert_eq!(
        OpenOptions::default().max_bytes,
        DEFAULT_MAX_BLOCKLIST_BYTES
    );
    assert_eq!(DEFAULT_MAX_BLOCKLIST_BYTES, 1 << 30);
}

#[test]
fn delta_result_over_the_limit_is_refused() {
    let k = key();
    let mut b1 = BlocklistBuilder::new(&k);
    b1.created(1_700_000_000).list_id([3; 16]);
    b1.add_text("scam", "claim your prize now").unwrap();
    for i in 0..3000 {
        b1.add_file("filler", format!("filler file {i}").as_bytes())
            .unwrap();
    }
    let v1 = open(b1.build().unwrap()).unwrap();
    let mut b2 = BlocklistBuilder::from_base(&k, &v1).unwrap();
    b2.add_text("scam", "double your crypto").unwrap();
    let v2 = open(b2.build().unwrap()).unwrap();
    let d = delta::make(&v1, &v2, None).unwrap();
    // The delta itself fits, the list it produces does not.
    let limit = d.len().max(v2.as_bytes().len() - 1);
    let opts = OpenOptions {
        max_bytes: limit,
        ..OpenOptions::default()
    };
    assert!(d.len() <= limit);
    assert_eq!(
        delta::apply(&v1, d, &opts).unwrap_err(),
        Error::InputTooLarge {
            limit,
            found: v2.as_bytes().len()
        }
    );
    assert!(Screener::new(&v1, &k)
        .unwrap()
        .screen_text("claim your prize now")
        .unwrap()
        .matched());
}
