//! Blocklist files: round trips, every truncation, bit flips, signatures, key ids, rollback, deltas.

use hashscreen::blocklist::{delta, format};
use hashscreen::{
    Blocklist, BlocklistBuilder, Error, Key, OpenOptions, Screener, SignalKind, SigningKey,
};

fn key() -> Key {
    Key::from_bytes(std::array::from_fn(|i| i as u8))
}

fn signer() -> SigningKey {
    SigningKey::from_hex(&"42".repeat(32)).unwrap()
}

fn v1_builder(k: &Key) -> BlocklistBuilder {
    let mut b = BlocklistBuilder::new(k);
    b.created(1_700_000_000).list_id([9; 16]);
    b.add_text("scam", "claim your prize now").unwrap();
    b.add_text("scam", "send gift card codes").unwrap();
    b.add_text("phishing", "verify your account").unwrap();
    b.add_file("malware", b"evil bytes").unwrap();
    b
}

fn open(bytes: Vec<u8>) -> Result<Blocklist, Error> {
    Blocklist::open(bytes, &OpenOptions::default())
}

#[test]
fn round_trip_and_screen() {
    let k = key();
    let list = open(v1_builder(&k).build().unwrap()).unwrap();
    assert_eq!(list.sequence(), 1);
    assert_eq!(list.key_id(), k.id());
    assert_eq!(list.list_id(), [9; 16]);
    assert_eq!(list.created(), 1_700_000_000);
    let labels: Vec<_> = list
        .sections()
        .iter()
        .map(|s| (s.signal, s.label.as_str(), s.entries))
        .collect();
    assert_eq!(
        labels,
        [
            (Some(SignalKind::File), "malware", 1),
            // A strict-key text is its key and its two evidence forms.
            (Some(SignalKind::Text), "phishing", 3),
            (Some(SignalKind::Text), "scam", 6),
            (Some(SignalKind::TextLoose), "phishing", 1),
            (Some(SignalKind::TextLoose), "scam", 2),
            (Some(SignalKind::TextShingle), "phishing", 2),
            (Some(SignalKind::TextShingle), "scam", 6),
        ]
    );
    let s = Screener::new(&list, &k).unwrap();
    let v = s.screen_text("Claim  YOUR prize now").unwrap();
    let got: Vec<_> = v
        .matches()
        .iter()
        .map(|m| (m.signal(), m.label()))
        .collect();
    assert_eq!(
        got,
        [
            (SignalKind::Text, "scam"),
            (SignalKind::TextLoose, "scam"),
            (SignalKind::TextShingle, "scam")
        ]
    );
    assert!(s.screen_file(b"evil bytes").matched());
    assert!(!s.screen_file(b"evil bytes!").matched());
    assert!(!s.screen_text("your prize is the cake").unwrap().matched());
    // Two listed shingles ("claim your", "your prize") match a changed template.
    let v = s.screen_text("claim your prize later").unwrap();
    assert_eq!(v.matches().len(), 1);
    assert_eq!(v.matches()[0].signal(), SignalKind::TextShingle);
}

#[test]
fn builds_are_deterministic() {
    let k = key();
    assert_eq!(
        v1_builder(&k).build().unwrap(),
        v1_builder(&k).build().unwrap()
    );
    assert_eq!(
        v1_builder(&k).build_signed(&signer()).unwrap(),
        v1_builder(&k).build_signed(&signer()).unwrap()
    );
}

#[test]
fn every_truncation_is_rejected() {
    let k = key();
    for bytes in [
        v1_builder(&k).build().unwrap(),
        v1_builder(&k).build_signed(&signer()).unwrap(),
    ] {
        for len in 0..bytes.len() {
            let err = open(bytes[..len].to_vec()).unwrap_err();
            assert!(
                matches!(err, Error::Truncated { .. }),
                "truncation to {len} of {} gave {err:?}",
                bytes.len()
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(matches!(open(longer).unwrap_err(), Error::Malformed { .. }));
    }
}

#[test]
fn every_single_bit_flip_is_rejected() {
    let k = key();
    for bytes in [
        v1_builder(&k).build().unwrap(),
        v1_builder(&k).build_signed(&signer()).unwrap(),
    ] {
        for i in 0..bytes.len() {
            for bit in 0..8 {
                let mut b = bytes.clone();
                b[i] ^= 1 << bit;
                assert!(
                    open(b).is_err(),
                    "flip of bit {bit} of byte {i} was accepted"
                );
            }
        }
    }
}

#[test]
fn header_errors_are_typed() {
    let k = key();
    let bytes = v1_builder(&k).build().unwrap();
    let mut b = bytes.clone();
    b[0] = b'X';
    assert_eq!(open(b).unwrap_err(), Error::BadMagic);
    let mut b = bytes.clone();
    b[format::header::VERSION] = 2;
    assert_eq!(
        open(b).unwrap_err(),
        Error::Version {
            expected: 1,
            found: 2
        }
    );
    let mut b = bytes.clone();
    let last = b.len() - 40;
    b[last] ^= 1;
    assert_eq!(open(b).unwrap_err(), Error::Checksum);
    assert!(matches!(
        open(b"not a list".to_vec()).unwrap_err(),
        Error::BadMagic
    ));
    assert!(matches!(
        open(Vec::new()).unwrap_err(),
        Error::Truncated { .. }
    ));
}

#[test]
fn sections_out_of_order_are_rejected_even_with_a_valid_checksum() {
    let k = key();
    let bytes = v1_builder(&k).build().unwrap();
    let body_len = bytes.len() - 32;
    let mut b = bytes[..body_len].to_vec();
    // Swap the two text section entries (same payload sizes, so only the order changes).
    let (e1, e2) = (
        format::HEADER_LEN + format::SECTION_LEN,
        format::HEADER_LEN + 2 * format::SECTION_LEN,
    );
    let first = b[e1..e1 + format::SECTION_LEN].to_vec();
    let second = b[e2..e2 + format::SECTION_LEN].to_vec();
    b[e1..e1 + format::SECTION_LEN].copy_from_slice(&second);
    b[e2..e2 + format::SECTION_LEN].copy_from_slice(&first);
    let checksum = *blake3::hash(&b).as_bytes();
    b.extend_from_slice(&checksum);
    assert!(matches!(open(b).unwrap_err(), Error::Malformed { .. }));
}

#[test]
fn signatures() {
    let k = key();
    let pk = signer().verifying_key();
    let signed = v1_builder(&k).build_signed(&signer()).unwrap();
    let unsigned = v1_builder(&k).build().unwrap();
    let with_pub = OpenOptions {
        publisher: Some(pk),
        ..Default::default()
    };
    let list = Blocklist::open(signed.clone(), &with_pub).unwrap();
    assert_eq!(list.signer(), Some(pk));
    assert_eq!(
        Blocklist::open(unsigned, &with_pub).unwrap_err(),
        Error::SignatureMissing
    );
    let other = SigningKey::from_hex(&"43".repeat(32))
        .unwrap()
        .verifying_key();
    let with_other = OpenOptions {
        publisher: Some(other),
        ..Default::default()
    };
    assert_eq!(
        Blocklist::open(signed.clone(), &with_other).unwrap_err(),
        Error::BadSignature
    );
    // Modified after signing, checksum recomputed by the attacker: the signature no longer verifies.
    let mut tampered = signed.clone();
    let body_len = tampered.len() - 32 - 96;
    tampered[format::header::CREATED] ^= 1;
    let checksum = *blake3::hash(&tampered[..body_len]).as_bytes();
    tampered[body_len..body_len + 32].copy_from_slice(&checksum);
    assert_eq!(
        Blocklist::open(tampered.clone(), &with_pub).unwrap_err(),
        Error::BadSignature
    );
    assert_eq!(open(tampered).unwrap_err(), Error::BadSignature);
    // Signature stripped and the flag cleared: accepted only without a required publisher.
    let mut stripped = signed[..body_len + 32].to_vec();
    stripped[format::header::FLAGS] = 0;
    let checksum = *blake3::hash(&stripped[..body_len]).as_bytes();
    stripped[body_len..].copy_from_slice(&checksum);
    assert_eq!(
        Blocklist::open(stripped, &with_pub).unwrap_err(),
        Error::SignatureMissing
    );
}

#[test]
fn key_mismatch_and_rollback() {
    let k = key();
    let bytes = v1_builder(&k).build().unwrap();
    let other = Key::from_bytes([200; 32]);
    let err = Blocklist::open(
        bytes.clone(),
        &OpenOptions {
            key_id: Some(other.id()),
            ..Default::default()
        },
    );
    assert!(matches!(err.unwrap_err(), Error::KeyMismatch { .. }));
    let list = open(bytes.clone()).unwrap();
    assert!(matches!(
        Screener::new(&list, &other).unwrap_err(),
        Error::KeyMismatch { .. }
    ));
    let opts = OpenOptions {
        min_sequence: Some(2),
        ..Default::default()
    };
    assert_eq!(
        Blocklist::open(bytes.clone(), &opts).unwrap_err(),
        Error::Rollback {
            current: 2,
            found: 1
        }
    );
    let opts = OpenOptions {
        min_sequence: Some(1),
        ..Default::default()
    };
    assert!(Blocklist::open(bytes, &opts).is_ok());
}

fn v2(k: &Key, v1: &Blocklist) -> BlocklistBuilder {
    let mut b = BlocklistBuilder::from_base(k, v1).unwrap();
    b.created(1_700_086_400);
    b.add_text("scam", "double your crypto").unwrap();
    b.add_file("malware", b"more evil bytes").unwrap();
    b
}

#[test]
fn delta_round_trip_signed() {
    let k = key();
    let s = signer();
    let mut b1 = v1_builder(&k);
    for i in 0..2000 {
        b1.add_text("scam", &format!("filler template number {i}"))
            .unwrap();
    }
    let v1 = open(b1.build_signed(&s).unwrap()).unwrap();
    let v2_bytes = v2(&k, &v1).build_signed(&s).unwrap();
    let v2 = open(v2_bytes.clone()).unwrap();
    assert_eq!(v2.sequence(), 2);
    let d = delta::make(&v1, &v2, Some(&s)).unwrap();
    assert!(
        d.len() * 4 < v2_bytes.len(),
        "delta {} bytes, list {}",
        d.len(),
        v2_bytes.len()
    );
    let opts = OpenOptions {
        publisher: Some(s.verifying_key()),
        min_sequence: Some(1),
        key_id: Some(k.id()),
        ..Default::default()
    };
    let applied = delta::apply(&v1, d.clone(), &opts).unwrap();
    assert_eq!(applied.as_bytes(), &v2_bytes[..]);
    let screener = Screener::new(&applied, &k).unwrap();
    assert!(screener
        .screen_text("double your crypto")
        .unwrap()
        .matched());
    assert!(screener
        .screen_text("claim your prize now")
        .unwrap()
        .matched());
    assert!(screener.screen_file(b"more evil bytes").matched());

    // Every truncation and every bit flip of the delta fails, and v1 stays usable.
    for len in 0..d.len() {
        assert!(
            delta::apply(&v1, d[..len].to_vec(), &opts).is_err(),
            "truncated delta {len} accepted"
        );
    }
    for i in (0..d.len()).step_by(7) {
        let mut b = d.clone();
        b[i] ^= 0x10;
        assert!(
            delta::apply(&v1, b, &opts).is_err(),
            "flipped delta byte {i} accepted"
        );
    }
    assert!(Screener::new(&v1, &k)
        .unwrap()
        .screen_text("claim your prize now")
        .unwrap()
        .matched());
    assert!(!Screener::new(&v1, &k)
        .unwrap()
        .screen_text("double your crypto")
        .unwrap()
        .matched());
}

#[test]
fn delta_for_another_base_is_rejected() {
    let k = key();
    let v1 = open(v1_builder(&k).build().unwrap()).unwrap();
    let v2l = open(v2(&k, &v1).build().unwrap()).unwrap();
    let d = delta::make(&v1, &v2l, None).unwrap();
    // Applying to v2 (wrong base sequence), to another list id, or twice.
    assert!(matches!(
        delta::apply(&v2l, d.clone(), &OpenOptions::default()).unwrap_err(),
        Error::DeltaMismatch { .. }
    ));
    let mut other = v1_builder(&k);
    other.list_id([8; 16]);
    let other = open(other.build().unwrap()).unwrap();
    assert!(matches!(
        delta::apply(&other, d.clone(), &OpenOptions::default()).unwrap_err(),
        Error::DeltaMismatch { .. }
    ));
    // Same list id and sequence, different content: the base checksum binds the delta.
    let mut same_id = v1_builder(&k);
    same_id.add_text("scam", "something else").unwrap();
    let same_id = open(same_id.build().unwrap()).unwrap();
    assert!(matches!(
        delta::apply(&same_id, d.clone(), &OpenOptions::default()).unwrap_err(),
        Error::DeltaMismatch { .. }
    ));
    // A delta is not a list, and a list is not a delta.
    assert!(matches!(
        open(d.clone()).unwrap_err(),
        Error::WrongFileKind { .. }
    ));
    assert!(matches!(
        delta::apply(&v1, v2l.as_bytes().to_vec(), &OpenOptions::default()).unwrap_err(),
        Error::WrongFileKind { .. }
    ));
    // Removals cannot be a delta.
    assert_eq!(
        delta::make(&v2l, &v1, None).unwrap_err(),
        Error::DeltaMismatch {
            what: "new sequence is not higher than the base"
        }
    );
    let mut shrunk = BlocklistBuilder::new(&k);
    shrunk.created(1_700_000_000).list_id([9; 16]).sequence(3);
    shrunk.add_text("scam", "claim your prize now").unwrap();
    shrunk.add_text("scam", "send gift card codes").unwrap();
    shrunk.add_text("phishing", "verify your account").unwrap();
    shrunk.add_file("malware", b"other bytes").unwrap();
    let shrunk = open(shrunk.build().unwrap()).unwrap();
    assert_eq!(
        delta::make(&v1, &shrunk, None).unwrap_err(),
        Error::NotAdditive
    );
}

#[test]
fn builder_rejects_bad_labels_and_parameters() {
    let k = key();
    let mut b = BlocklistBuilder::new(&k);
    assert_eq!(b.add_text("", "x").unwrap_err(), Error::InvalidLabel);
    assert_eq!(
        b.add_text("has space", "x").unwrap_err(),
        Error::InvalidLabel
    );
    assert_eq!(
        b.add_text(&"a".repeat(65), "x").unwrap_err(),
        Error::InvalidLabel
    );
    assert!(b.false_positive_rate(0.0).is_err());
    assert!(b.blocks_per_key(9).is_err());
    // An empty list is valid and matches nothing.
    let list = open(b.build().unwrap()).unwrap();
    assert!(!Screener::new(&list, &k).unwrap().screen_file(b"").matched());
}
