//! Entry points of the hashscreen fuzz targets.
//!
//! Each `fuzz_targets/<name>.rs` is one line calling the function of the same name here, and
//! `tests/fuzz_regressions.rs` (a normal test in the root package, no nightly needed) includes this
//! very file with `#[path]` and feeds every input kept under `fuzz/regressions/<name>/` to the same
//! function. So a regression input is replayed through exactly the code the fuzzer ran.
//!
//! Every function returns the library's typed result; a panic anywhere is the bug the fuzzer looks
//! for. Where a cheap invariant holds for any input, it is asserted too (an assertion failure is a
//! finding like a panic).
//!
//! The C API target (`fuzz_targets/c_api.rs`) has its entry point in `src/c_api.rs`, outside this
//! file because it needs the `hashscreen-c` crate; `bindings/c/tests/fuzz_regressions.rs` replays
//! its kept inputs the same way.

#![allow(clippy::missing_panics_doc)]

use std::borrow::Cow;
use std::sync::OnceLock;

use hashscreen::blocklist::{delta, format, FileKind};
use hashscreen::{
    image, text, url, Blocklist, BlocklistBuilder, Error, Key, Message, OpenOptions, Screener,
    SigningKey, VerifyingKey,
};

/// A list built by the fixture generator (`fixtures/blocklists/`), key bytes 0..32, unsigned.
pub const LIST_V1: &[u8] = include_bytes!("../../fixtures/blocklists/list-v1.hsbl");
/// An image listed in the fuzzing screener (exact bytes and PDQ).
const LISTED_IMAGE: &[u8] = include_bytes!("../../fixtures/images/corpus/0015.jpg");

/// The deployment key of the fixture lists: bytes 0, 1, ..., 31.
pub fn key() -> Key {
    Key::from_bytes(std::array::from_fn(|i| i as u8))
}

/// The publisher key of the fixture lists: seed bytes 32..63.
pub fn publisher() -> VerifyingKey {
    let hex: String = (32u8..64).map(|b| format!("{b:02x}")).collect();
    match SigningKey::from_hex(&hex) {
        Ok(k) => k.verifying_key(),
        Err(e) => unreachable!("fixed seed is valid: {e}"),
    }
}

/// One screener shared by all runs: texts, URLs, files, an image (bytes and PDQ) listed.
pub fn screener() -> &'static Screener {
    static SCREENER: OnceLock<Screener> = OnceLock::new();
    SCREENER.get_or_init(|| {
        let key = key();
        let build = || -> Result<Screener, Error> {
            let mut b = BlocklistBuilder::new(&key);
            b.created(1_700_000_000);
            b.add_text("scam", "Send gift card codes to unlock your account")?;
            b.add_text("scam", "Claim your prize now")?;
            b.add_url("phishing", "evil.example")?;
            b.add_url("phishing", "http://phish.example/login/")?;
            b.add_file("malware", b"MZ\x90\x00 pretend malware")?;
            b.add_image("images", LISTED_IMAGE)?;
            let list = Blocklist::open(b.build()?, &OpenOptions::default())?;
            Screener::new(&list, &key)
        };
        match build() {
            Ok(s) => s,
            Err(e) => unreachable!("the fuzzing screener builds from fixed inputs: {e}"),
        }
    })
}

/// The fixture list `list-v1.hsbl`, opened once.
pub fn base_list() -> &'static Blocklist {
    static BASE: OnceLock<Blocklist> = OnceLock::new();
    BASE.get_or_init(|| match Blocklist::open(LIST_V1, &OpenOptions::default()) {
        Ok(l) => l,
        Err(e) => unreachable!("the fixture list opens: {e}"),
    })
}

/// Treats `body` as a file body and makes it pass the length and checksum checks: sets the
/// header's body length, clears the "signed" flag and appends the BLAKE3 checksum. Without this
/// the fuzzer would almost never get past the checksum into the section parser.
pub fn with_valid_checksum(body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    if out.len() >= format::HEADER_LEN {
        let len = (out.len() as u64).to_le_bytes();
        out[format::header::BODY_LEN..format::header::BODY_LEN + 8].copy_from_slice(&len);
        out[format::header::FLAGS] &= !format::FLAG_SIGNED;
    }
    out.extend_from_slice(blake3::hash(&out).as_bytes());
    out
}

/// First byte: bit 0 = fix the checksum ([`with_valid_checksum`]), bits 1-2 = which options.
fn split_mode(data: &[u8]) -> Option<(Vec<u8>, OpenOptions)> {
    let (&mode, rest) = data.split_first()?;
    let bytes = if mode & 1 == 1 {
        with_valid_checksum(rest)
    } else {
        rest.to_vec()
    };
    let opts = match (mode >> 1) & 3 {
        0 => OpenOptions::default(),
        1 => OpenOptions {
            publisher: Some(publisher()),
            ..OpenOptions::default()
        },
        _ => OpenOptions {
            key_id: Some(key().id()),
            min_sequence: Some(1),
            ..OpenOptions::default()
        },
    };
    Some((bytes, opts))
}

/// Image decode + PDQ (`pdq_dihedral_from_bytes`) and the screener's image path.
pub fn image_pdq(data: &[u8]) -> Result<(), Error> {
    let hashed = image::pdq_dihedral_from_bytes(data);
    if let Ok(h) = &hashed {
        assert!(h.quality <= 100, "PDQ quality is 0..=100");
    }
    let verdict = screener().screen_image(data)?;
    assert!(verdict.matches().iter().all(|m| m.part() == 0));
    hashed.map(|_| ())
}

/// `Blocklist::open` (plain, signed, with key id and minimum sequence), then every filter and a
/// screen with the opened list; `blocklist::inspect` of the same bytes.
pub fn blocklist_open(data: &[u8]) -> Result<(), Error> {
    let Some((bytes, opts)) = split_mode(data) else {
        return Ok(());
    };
    let inspected = hashscreen::blocklist::inspect(bytes.clone(), &opts);
    let opened = Blocklist::open(bytes, &opts);
    if let (Ok(i), Err(_)) = (&inspected, &opened) {
        assert_eq!(i.kind(), FileKind::Delta, "a list that inspects also opens");
    }
    let list = opened?;
    let probe = hashscreen::digest(&key(), hashscreen::SignalKind::Text, 1, b"probe");
    for section in list.sections() {
        let filter = list.filter(section)?;
        let _ = filter.contains(&probe);
        let _ = section.expected_fpr();
    }
    let screener = Screener::new(&list, &key())?;
    let message = Message::new()
        .text("Send gift card codes to unlock your account http://evil.example/x")
        .url("http://phish.example/login/a")
        .file(b"MZ\x90\x00 pretend malware");
    let _ = screener.screen(&message);
    Ok(())
}

/// `delta::apply` of fuzzer bytes to the fixture list; the base list must stay intact and usable
/// whatever happens.
pub fn delta_apply(data: &[u8]) -> Result<(), Error> {
    let Some((bytes, opts)) = split_mode(data) else {
        return Ok(());
    };
    let base = base_list();
    let result = delta::apply(base, bytes, &opts);
    assert_eq!(base.as_bytes(), LIST_V1, "a delta never changes its base");
    let screener = Screener::new(base, &key())?;
    let _ = screener.screen(&Message::new().text("Claim your prize now"));
    let new = result?;
    assert!(new.sequence() > base.sequence());
    assert_eq!(new.list_id(), base.list_id());
    Ok(())
}

/// Text canonicalisation: strict key, loose key, shingles of several widths.
pub fn text_canon(data: &[u8]) -> Result<(), Error> {
    let checked = text::from_utf8(data);
    let lossy = String::from_utf8_lossy(data);
    let t: &str = &lossy;
    let strict = text::strict_key(t)?;
    let loose = text::loose_key(t)?;
    // Keys never grow past a small multiple of the input (work and memory are linear).
    assert!(strict.len() <= 4 * t.len() + 16, "strict key length");
    assert!(loose.len() <= 4 * t.len() + 16, "loose key length");
    let width = data
        .first()
        .map_or(text::SHINGLE_WIDTH, |b| usize::from(b % 5));
    let _ = text::shingles(t, text::SHINGLE_WIDTH)?;
    let _ = text::shingles(t, width);
    checked.map(|_| ())
}

/// URL canonicalisation (bytes and str), host, expressions, and URLs found in text.
pub fn url_canon(data: &[u8]) -> Result<(), Error> {
    let from_bytes = url::canonicalize_bytes(data);
    let lossy = String::from_utf8_lossy(data);
    let s: &str = &lossy;
    let _ = url::canonical_host(s);
    for found in text::find_urls(s) {
        assert!(s.contains(found), "a found URL is a slice of the text");
        if let Ok(c) = url::canonicalize(found) {
            assert!(url::expressions(&c).len() <= url::MAX_EXPRESSIONS);
        }
    }
    let canonical = url::canonicalize(s)?;
    let exprs = url::expressions(&canonical);
    assert!(
        exprs.len() <= url::MAX_EXPRESSIONS,
        "at most 30 expressions"
    );
    let _ = url::canonical_expressions(s)?;
    from_bytes.map(|_| ())
}

/// Splits fuzzer bytes into message parts: per part one kind byte, a 2-byte length, the bytes.
pub fn message_parts(data: &[u8]) -> Vec<(u8, Cow<'_, str>, &[u8])> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some((&kind, tail)) = rest.split_first() {
        if parts.len() == 16 {
            break;
        }
        let (len, tail) = match tail {
            [a, b, t @ ..] => (usize::from(u16::from_le_bytes([*a, *b])), t),
            _ => (tail.len(), &tail[tail.len()..]),
        };
        let take = len.min(tail.len());
        let (bytes, next) = tail.split_at(take);
        parts.push((kind % 4, String::from_utf8_lossy(bytes), bytes));
        rest = next;
    }
    parts
}

/// A whole `Screener::screen` of an arbitrary multi-part message (text, file, URL, image parts).
pub fn screen_message(data: &[u8]) -> Result<(), Error> {
    let parts = message_parts(data);
    let mut message = Message::new();
    for (kind, s, bytes) in &parts {
        message = match kind {
            0 => message.text(s),
            1 => message.file(bytes),
            2 => message.url(s),
            _ => message.image(bytes),
        };
    }
    let verdict = screener().screen(&message);
    assert!(verdict.matches().iter().all(|m| m.part() < parts.len()));
    assert!(verdict.unscreened().iter().all(|u| u.part() < parts.len()));
    match verdict.unscreened().first() {
        Some(u) => Err(u.reason().clone()),
        None => Ok(()),
    }
}
