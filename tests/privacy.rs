//! Privacy checks: no key bytes in `Debug`/`Display` of any type that holds a key, keys zeroized
//! through `zeroize` (`ZeroizeOnDrop` on every key type, `zeroize()` wipes the bytes), and a
//! `Verdict` that carries no content and no hash, formatted or serialised.
//!
//! "No network, no file writes unless asked" is checked outside Rust, by `scripts/privacy-strace.sh`
//! (an strace of `hashscreen check`), see `docs/security.md`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hashscreen::image::pdq_dihedral_from_bytes;
use hashscreen::{
    file_digest, text, url, Blocklist, BlocklistBuilder, Digester, Key, Message, OpenOptions,
    Screener, SignalKind, SigningKey,
};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Key bytes with no accidental structure (not a counter: a counter's decimal or hex forms could
/// appear by chance in ids or numbers).
const KEY_BYTES: [u8; 32] = [
    0xd3, 0x1a, 0x7e, 0x90, 0x4c, 0xbb, 0x21, 0xf6, 0x58, 0x0d, 0xe7, 0x93, 0x3a, 0xc1, 0x6f, 0x82,
    0x15, 0xa9, 0x4e, 0xd0, 0x77, 0x2c, 0xb8, 0x61, 0xfe, 0x03, 0x9d, 0x46, 0xeb, 0x58, 0x11, 0xca,
];
const SEED_HEX: &str = "8f3c21a07d5e9b46c2e1f0a3b4d5c6e7f8091a2b3c4d5e6f708192a3b4c5d6e7";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every rendering of secret bytes that a careless `Debug` could produce: lower and upper hex of
/// the whole key and of every 6-byte window, the `[u8]` debug list of every 4-byte window (decimal
/// and hex), and the raw bytes as text.
fn forms(secret: &[u8]) -> Vec<String> {
    let mut out = vec![hex(secret), hex(secret).to_uppercase()];
    for w in secret.windows(6) {
        out.push(hex(w));
        out.push(hex(w).to_uppercase());
    }
    for w in secret.windows(4) {
        out.push(
            w.iter()
                .map(|b| b.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        );
        out.push(
            w.iter()
                .map(|b| format!("{b:#x}"))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    out.push(String::from_utf8_lossy(secret).into_owned());
    out
}

fn assert_no_secret(rendered: &str, secret: &[u8], what: &str) {
    for form in forms(secret) {
        assert!(
            !rendered.contains(&form),
            "{what} shows secret bytes ({form:?}) in {rendered:?}"
        );
    }
}

fn signing_key() -> SigningKey {
    SigningKey::from_hex(SEED_HEX).unwrap()
}

fn seed() -> Vec<u8> {
    (0..32)
        .map(|i| u8::from_str_radix(&SEED_HEX[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

#[test]
fn forms_catch_a_leak() {
    // The check itself must be able to fail: a Debug that prints the bytes is caught.
    let leaky = format!("{:?}", KEY_BYTES);
    assert!(forms(&KEY_BYTES).iter().any(|f| leaky.contains(f)));
    let leaky = format!("Key({})", hex(&KEY_BYTES[3..11]));
    assert!(forms(&KEY_BYTES).iter().any(|f| leaky.contains(f)));
}

#[test]
fn no_key_bytes_in_debug_or_display() {
    let key = Key::from_bytes(KEY_BYTES);
    let signer = signing_key();
    // The key id and the public key are public: they may (and do) appear.
    assert!(format!("{key:?}").contains(&key.id().to_hex()));

    let mut builder = BlocklistBuilder::new(&key);
    builder.add_text("scam", "claim your prize now").unwrap();
    builder.add_url("phishing", "evil.example").unwrap();
    builder.add_file("malware", b"bad bytes").unwrap();
    let bytes = builder.build_signed(&signer).unwrap();
    let list = Blocklist::open(
        bytes,
        &OpenOptions {
            publisher: Some(signer.verifying_key()),
            ..OpenOptions::default()
        },
    )
    .unwrap();
    let screener = Screener::new(&list, &key).unwrap();

    let subkeys: Vec<_> = [SignalKind::Text, SignalKind::File, SignalKind::Url]
        .into_iter()
        .map(|s| key.subkey(s))
        .collect();
    let digesters: Vec<_> = [SignalKind::Text, SignalKind::File, SignalKind::Url]
        .into_iter()
        .map(|s| Digester::new(&key, s))
        .collect();
    let renderings = [
        ("Key", format!("{key:?} {key:#?}")),
        ("SigningKey", format!("{signer:?} {signer:#?}")),
        ("SubKey", format!("{subkeys:?} {subkeys:#?}")),
        ("Digester", format!("{digesters:?} {digesters:#?}")),
        ("Screener", format!("{screener:?} {screener:#?}")),
        (
            "FileHasher",
            format!(
                "{:?} {:#?}",
                hashscreen::FileHasher::new(&key),
                screener.file_hasher()
            ),
        ),
        ("BlocklistBuilder", format!("{builder:?} {builder:#?}")),
        ("Blocklist", format!("{list:?}")),
        ("KeyId", format!("{} {:?}", key.id(), key.id())),
        ("VerifyingKey", format!("{:?}", signer.verifying_key())),
        (
            "Error",
            format!(
                "{} {:?}",
                Screener::new(&list, &Key::from_bytes([7; 32])).unwrap_err(),
                Screener::new(&list, &Key::from_bytes([7; 32])).unwrap_err()
            ),
        ),
    ];
    for (what, rendered) in &renderings {
        assert!(!rendered.is_empty(), "{what}");
        assert_no_secret(rendered, &KEY_BYTES, what);
        assert_no_secret(rendered, &seed(), what);
    }
}

#[test]
fn key_types_are_zeroized_on_drop_and_zeroize_wipes() {
    fn zeroize_on_drop<T: ZeroizeOnDrop>() {}
    fn zeroize<T: Zeroize>() {}
    // The documented mechanism: the key types implement `ZeroizeOnDrop` (derived), so their bytes
    // are wiped when dropped; `SigningKey` wraps `ed25519_dalek::SigningKey`, which does the same.
    zeroize_on_drop::<Key>();
    zeroize::<Key>();
    zeroize_on_drop::<hashscreen::key::SubKey>();
    zeroize::<hashscreen::key::SubKey>();
    zeroize_on_drop::<ed25519_dalek::SigningKey>();
    // `FileHasher` holds BLAKE3's keyed state; its `Drop` wipes it (blake3's `Zeroize`).
    zeroize_on_drop::<hashscreen::FileHasher>();

    // `zeroize()` (what drop calls) wipes the bytes.
    let mut key = Key::from_bytes(KEY_BYTES);
    assert_eq!(key.secret_bytes(), &KEY_BYTES);
    key.zeroize();
    assert_eq!(key.secret_bytes(), &[0u8; 32]);
    assert_ne!(key.id(), Key::from_bytes(KEY_BYTES).id());

    let mut sub = Key::from_bytes(KEY_BYTES).subkey(SignalKind::Text);
    let before = format!(
        "{:?}",
        Digester::new(&Key::from_bytes(KEY_BYTES), SignalKind::Text)
    );
    sub.zeroize();
    assert_eq!(format!("{sub:?}"), "SubKey(..)");
    assert!(!before.is_empty());
}

/// A listed text, URL, file and image all match; the verdict (Debug, Display of its reasons,
/// JSON) holds only part indices, signal kinds and labels, never the inputs, their canonical
/// forms, their digests or the PDQ hash.
#[test]
fn verdict_holds_no_content_and_no_hash() {
    let key = Key::from_bytes(KEY_BYTES);
    let listed_text = "Send gift card codes to unlock your account";
    let listed_url = "http://phish.example/login/";
    let listed_file: &[u8] = b"MZ\x90\x00 pretend malware with a unique marker Q7X";
    let image = include_bytes!("../fixtures/images/corpus/0015.jpg");
    let plain = include_bytes!("../fixtures/images/pdq-png/small.png");
    let mut b = BlocklistBuilder::new(&key);
    b.add_text("scam", listed_text).unwrap();
    b.add_url("phishing", listed_url).unwrap();
    b.add_file("malware", listed_file).unwrap();
    b.add_image("images", image).unwrap();
    let list = Blocklist::open(b.build().unwrap(), &OpenOptions::default()).unwrap();
    let screener = Screener::new(&list, &key).unwrap();

    let typed = "SEND gift card codes to unlock  your account";
    let link = "hxxp://phish[.]example/login/reset";
    let message = Message::new()
        .text(typed)
        .url(link)
        .file(listed_file)
        .image(image)
        .image(plain);
    let verdict = screener.screen(&message);
    assert!(verdict.matched());
    let signals: Vec<SignalKind> = verdict.matches().iter().map(|m| m.signal()).collect();
    for s in [
        SignalKind::Text,
        SignalKind::Url,
        SignalKind::File,
        SignalKind::ImagePdq,
    ] {
        assert!(signals.contains(&s), "{s:?} did not match: {signals:?}");
    }

    let json = serde_json::to_string(&verdict).unwrap();
    let debug = format!("{verdict:?} {verdict:#?}");
    let reasons: String = verdict
        .unscreened()
        .iter()
        .map(|u| u.reason().to_string())
        .collect();

    let pdq = pdq_dihedral_from_bytes(image).unwrap();
    let mut secrets: Vec<String> = vec![
        typed.to_string(),
        text::strict_key(typed).unwrap(),
        text::loose_key(typed).unwrap(),
        link.to_string(),
        url::canonicalize(link).unwrap(),
        "phish.example".to_string(),
        "Q7X".to_string(),
        file_digest(&key, listed_file).to_hex(),
        file_digest(&key, image).to_hex(),
        file_digest(&key, plain).to_hex(),
        hex(blake3::hash(image).as_bytes()),
    ];
    for h in &pdq.hashes {
        secrets.push(h.to_hex());
        secrets.push(h.to_hex()[..16].to_string());
    }
    for shingle in text::shingles(typed, text::SHINGLE_WIDTH).unwrap() {
        secrets.push(shingle);
    }
    let digester = Digester::new(&key, SignalKind::Text);
    secrets.push(
        digester
            .digest(
                text::STRICT_KEY_VERSION,
                text::strict_key(typed).unwrap().as_bytes(),
            )
            .to_hex(),
    );
    for rendered in [&json, &debug, &reasons] {
        for s in &secrets {
            assert!(
                !rendered.contains(s.as_str()),
                "verdict shows {s:?}: {rendered}"
            );
        }
        assert_no_secret(rendered, &KEY_BYTES, "Verdict");
    }
    // What it does show: indices, kinds and labels only.
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let allowed = [
        "matched",
        "matches",
        "unscreened",
        "part",
        "signal",
        "label",
        "reason",
    ];
    fn keys(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    out.push(k.clone());
                    keys(v, out);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    keys(&value, &mut found);
    for k in found {
        assert!(
            allowed.contains(&k.as_str()),
            "unexpected field {k} in {json}"
        );
    }
}
