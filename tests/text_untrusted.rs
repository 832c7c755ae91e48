//! Untrusted input: length caps, invalid UTF-8, pathological Unicode in linear time, and property
//! tests (never panics, idempotence, bounded output).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use hashscreen::text::{self, loose_key, shingles, strict_key, MAX_TEXT_BYTES};
use hashscreen::url::{self, MAX_URL_BYTES};
use hashscreen::Error;
use proptest::prelude::*;
use std::time::{Duration, Instant};

#[test]
fn length_caps_are_typed_errors() {
    let at_cap = "a".repeat(MAX_TEXT_BYTES);
    assert!(strict_key(&at_cap).is_ok());
    let over = "a".repeat(MAX_TEXT_BYTES + 1);
    assert!(matches!(
        strict_key(&over),
        Err(Error::InputTooLarge { limit, found }) if limit == MAX_TEXT_BYTES && found == MAX_TEXT_BYTES + 1
    ));
    assert!(matches!(loose_key(&over), Err(Error::InputTooLarge { .. })));
    assert!(matches!(
        shingles(&over, 2),
        Err(Error::InputTooLarge { .. })
    ));
    assert!(matches!(
        text::from_utf8(over.as_bytes()),
        Err(Error::InputTooLarge { .. })
    ));
    let long_url = format!("http://a.example/{}", "a".repeat(MAX_URL_BYTES));
    assert!(matches!(
        url::canonicalize(&long_url),
        Err(Error::InputTooLarge { .. })
    ));
}

#[test]
fn invalid_utf8_is_a_typed_error_without_content() {
    let err = text::from_utf8(b"secret \xF0\x28\x8C\x28 text").unwrap_err();
    assert!(matches!(err, Error::InvalidUtf8 { valid_up_to: 7 }));
    let msg = err.to_string();
    assert!(
        !msg.contains("secret"),
        "no content in error messages: {msg}"
    );
    let err = url::canonicalize("mailto:secret@example.com").unwrap_err();
    assert!(!err.to_string().contains("secret"));
}

/// Inputs at the cap that stress each step.
fn pathological(n: usize) -> Vec<(&'static str, String)> {
    let fill = |unit: &str| unit.repeat(n / unit.len().max(1));
    vec![
        ("combining marks on a", format!("a{}", fill("\u{0301}"))),
        (
            "combining marks on devanagari",
            format!("क{}", fill("\u{0901}")),
        ),
        (
            "mixed marks (reordering)",
            format!("a{}", fill("\u{0301}\u{0316}")),
        ),
        ("nested overrides", fill("\u{202E}\u{202D}")),
        ("override + letter", fill("\u{202E}a")),
        ("isolates", fill("\u{2067}a\u{2069}\u{202E}")),
        ("spaces", fill(" ")),
        ("spaced letters", fill("a ")),
        ("separated letters", fill("a.")),
        ("leet", fill("3")),
        ("emoji zwj", fill("👨\u{200D}")),
        ("cyrillic mix", fill("аb")),
        ("fullwidth", fill("ｆ")),
        ("url parens", format!("a.example{}", fill(")"))),
        ("percent", format!("http://h/{}", fill("%25"))),
    ]
}

fn time_it(f: impl Fn()) -> Duration {
    (0..5)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .min()
        .unwrap()
}

#[test]
fn pathological_inputs_cost_linear_time() {
    let big = pathological(MAX_TEXT_BYTES - 8);
    let small = pathological((MAX_TEXT_BYTES - 8) / 8);
    for ((name, big), (_, small)) in big.iter().zip(&small) {
        let run = |s: &str| {
            let _ = strict_key(s);
            let _ = loose_key(s);
            let _ = shingles(s, 2);
            for u in text::find_urls(s) {
                let _ = url::canonical_expressions(u);
            }
            if s.len() <= MAX_URL_BYTES * 4 {
                let _ = url::canonicalize(s.get(..s.len().min(MAX_URL_BYTES)).unwrap_or(""));
            }
        };
        let t_small = time_it(|| run(small));
        let t_big = time_it(|| run(big));
        println!("{name:<32} 1x {t_small:>10.2?}   8x {t_big:>10.2?}");
        // Linear means about 8x; allow a lot of noise (other processes on a 2-core machine), but
        // not 64x (quadratic).
        assert!(
            t_big <= t_small * 32 + Duration::from_millis(50),
            "{name}: {t_small:?} -> {t_big:?}"
        );
        // And absolute sanity at the cap.
        assert!(t_big < Duration::from_secs(2), "{name}: {t_big:?}");
    }
}

#[test]
fn url_unescape_chain_is_linear() {
    let small = format!("http://h/%25{}", "25".repeat(MAX_URL_BYTES / 16));
    let big = format!("http://h/%25{}", "25".repeat(MAX_URL_BYTES / 2 - 16));
    let ts = time_it(|| assert_eq!(url::canonicalize(&small).unwrap(), "http://h/%25"));
    let tb = time_it(|| assert_eq!(url::canonicalize(&big).unwrap(), "http://h/%25"));
    assert!(
        tb <= ts * 24 + Duration::from_millis(20),
        "{ts:?} -> {tb:?}"
    );
}

fn any_text() -> impl Strategy<Value = String> {
    // Mix of plain text, evasion material and arbitrary code points.
    let pieces = prop::sample::select(vec![
        "a",
        "b",
        "e",
        "l",
        "1",
        "0",
        "3",
        "$",
        "@",
        "!",
        "+",
        " ",
        "  ",
        ".",
        "-",
        "'",
        "x7k9",
        "free",
        "Ｆ",
        "𝐟",
        "ⓕ",
        "ᴄ",
        "🆂",
        "🇺",
        "🆓",
        "а",
        "е",
        "о",
        "с",
        "р",
        "сор",
        "η",
        "τ",
        "ß",
        "ı",
        "İ",
        "\u{0301}",
        "\u{0489}",
        "\u{200B}",
        "\u{202E}",
        "\u{202C}",
        "\u{2067}",
        "\u{2069}",
        "\u{FEFF}",
        "\u{00AD}",
        "क",
        "\u{094D}",
        "東",
        "。",
        "🔥",
        "👨\u{200D}👩",
        "\n",
        "\t",
        "ﬁ",
        "ℓ",
        "℮",
        "%",
        "10:30",
        "$5.00",
        "21st",
        "bob@x.example",
        "Σ",
    ]);
    prop_oneof![
        prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat()),
        any::<String>(),
        "[ -~]{0,64}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn keys_never_panic_and_are_well_formed(s in any_text()) {
        let strict = strict_key(&s).unwrap();
        let loose = loose_key(&s).unwrap();
        // Keys have no runs of spaces, no ignorables; the loose key no spaces at all.
        prop_assert!(!strict.contains("  ") && !strict.starts_with(' ') && !strict.ends_with(' '));
        let invisible = strict.chars().any(|c| matches!(c, '\u{200B}' | '\u{202E}' | '\u{FEFF}'));
        prop_assert!(!invisible, "no ignorables in keys");
        prop_assert!(!loose.contains(' '), "loose key has no word boundaries");
        prop_assert!(strict.len() <= 4 * s.len() + 8);
        // Keys are in NFKC (composition is done per word, only where it has work).
        prop_assert!(unicode_normalization::is_nfkc(&strict), "strict key not NFKC: {:?}", strict);
        prop_assert!(unicode_normalization::is_nfkc(&loose), "loose key not NFKC: {:?}", loose);
        let _ = shingles(&s, 2).unwrap();
    }

    /// Idempotence holds where the design makes it hold: text of letters, marks, spaces and
    /// invisible characters. With digits, leet symbols or punctuation it does not always: whether
    /// a token reads as leet or as spaced-out letters depends on the whole whitespace token
    /// (`10:30am` stays because of `10:30`), and a key splits such tokens into words that a second
    /// pass judges on their own. Keys are never recomputed from keys, so this costs nothing.
    #[test]
    fn keys_are_idempotent_on_letters(s in any_text()) {
        let s: String = s
            .chars()
            .filter(|&c| {
                c.is_alphabetic()
                    || c.is_whitespace()
                    || unicode_normalization::char::is_combining_mark(c)
                    || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
                        | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
            })
            .collect();
        let strict = strict_key(&s).unwrap();
        let loose = loose_key(&s).unwrap();
        prop_assert_eq!(strict_key(&strict).unwrap(), strict.clone(), "strict idempotent");
        prop_assert_eq!(loose_key(&loose).unwrap(), loose.clone(), "loose idempotent");
    }

    /// Oracle for the ASCII fast path: the same text routed through the general path (an
    /// appended zero-width space is removed there) gives the same keys.
    #[test]
    fn ascii_fast_path_matches_general_path(s in "[ -~\t\n]{0,80}") {
        let general = format!("{s}\u{200B}");
        prop_assert_eq!(strict_key(&s).unwrap(), strict_key(&general).unwrap());
        prop_assert_eq!(loose_key(&s).unwrap(), loose_key(&general).unwrap());
    }

    #[test]
    fn urls_never_panic_and_stay_bounded(s in any_text()) {
        if let Ok(c) = url::canonicalize(&s) {
            let e = url::expressions(&c);
            prop_assert!(e.len() <= url::MAX_EXPRESSIONS);
            prop_assert!(!e.is_empty());
            // Canonicalisation is idempotent on its output.
            prop_assert_eq!(url::canonicalize(&c).unwrap(), c.clone());
        }
        let _ = url::canonicalize_bytes(s.as_bytes());
        for u in text::find_urls(&s) {
            let start = u.as_ptr() as usize - s.as_ptr() as usize;
            prop_assert_eq!(&s[start..start + u.len()], u);
            let _ = url::canonical_expressions(u);
        }
    }

    #[test]
    fn url_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..80)) {
        let mut with_scheme = b"http://".to_vec();
        with_scheme.extend_from_slice(&b);
        if let Ok(c) = url::canonicalize_bytes(&with_scheme) {
            prop_assert!(url::expressions(&c).len() <= url::MAX_EXPRESSIONS);
        }
        let _ = url::canonicalize_bytes(&b);
        let _ = text::from_utf8(&b).map(strict_key);
    }
}

/// Every code point alone, after a Latin letter, and before a combining mark: no panic, NFKC keys.
#[test]
fn every_code_point() {
    let mut key = String::new();
    for cp in 0..=0x10FFFFu32 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        for s in [format!("{c}"), format!("a{c}"), format!("{c}\u{0301}b")] {
            text::strict_key_into(&s, &mut key).unwrap();
            assert!(unicode_normalization::is_nfkc(&key), "U+{cp:04X}: {key:?}");
            text::loose_key_into(&s, &mut key).unwrap();
            assert!(
                unicode_normalization::is_nfkc(&key),
                "U+{cp:04X} loose: {key:?}"
            );
        }
    }
}
