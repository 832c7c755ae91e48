//! Pinned character tables used by the text keys.
//!
//! Every table here is data: changing any entry changes keys, so it needs a new
//! [`STRICT_KEY_VERSION`](super::STRICT_KEY_VERSION) / [`LOOSE_KEY_VERSION`](super::LOOSE_KEY_VERSION).
//! The unit tests below recompute the generated confusables table from `unicode-security` and
//! fail when it drifts (`cargo test --lib tables -- --ignored --nocapture` prints a new one).

/// UAX #44 `Default_Ignorable_Code_Point` (DerivedCoreProperties.txt, Unicode 16.0), as
/// inclusive ranges: the same ranges as the (private) table of `unicode-security` 0.1.3.
pub(crate) const DEFAULT_IGNORABLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
];

/// Is `c` a UAX #44 `Default_Ignorable_Code_Point`?
#[inline]
pub(crate) fn is_default_ignorable(c: char) -> bool {
    let cp = c as u32;
    if cp < 0xAD {
        return false;
    }
    DEFAULT_IGNORABLE
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                core::cmp::Ordering::Less
            } else if lo > cp {
                core::cmp::Ordering::Greater
            } else {
                core::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Latin small capitals (Unicode names `LATIN LETTER SMALL CAPITAL X`), which have no NFKC
/// decomposition, and the two capitals whose lowercase is one of them (U+01A6 `LATIN LETTER YR`,
/// U+A7AE `LATIN CAPITAL LETTER SMALL CAPITAL I`: without them a key would change when recomputed
/// on itself). Folded to the ASCII letter unconditionally: outside phonetic notation they are a
/// styling trick.
pub(crate) const SMALL_CAPITALS: &[(char, u8)] = &[
    ('\u{01A6}', b'r'),
    ('\u{0262}', b'g'),
    ('\u{026A}', b'i'),
    ('\u{0274}', b'n'),
    ('\u{0280}', b'r'),
    ('\u{028F}', b'y'),
    ('\u{0299}', b'b'),
    ('\u{029C}', b'h'),
    ('\u{029F}', b'l'),
    ('\u{1D00}', b'a'),
    ('\u{1D04}', b'c'),
    ('\u{1D05}', b'd'),
    ('\u{1D07}', b'e'),
    ('\u{1D0A}', b'j'),
    ('\u{1D0B}', b'k'),
    ('\u{1D0D}', b'm'),
    ('\u{1D0F}', b'o'),
    ('\u{1D18}', b'p'),
    ('\u{1D1B}', b't'),
    ('\u{1D1C}', b'u'),
    ('\u{1D20}', b'v'),
    ('\u{1D21}', b'w'),
    ('\u{1D22}', b'z'),
    ('\u{A730}', b'f'),
    ('\u{A731}', b's'),
    ('\u{A7AE}', b'i'),
    ('\u{A7AF}', b'q'),
];

/// Squared Latin words (U+1F191..U+1F19A, `SQUARED CL` .. `SQUARED VS`): emoji without a
/// decomposition, replaced by the word of their Unicode name.
pub(crate) const SQUARED_WORDS: &[&str] = &[
    "cl", "cool", "free", "id", "new", "ng", "ok", "sos", "up", "vs",
];

/// Enclosed letters without an NFKC decomposition, folded to `a..=z` unconditionally: negative
/// circled (U+1F150..), negative squared (U+1F170..) capital letters and regional indicator
/// symbols (U+1F1E6..).
#[inline]
pub(crate) fn enclosed_letter(c: char) -> Option<u8> {
    let cp = c as u32;
    let base = match cp {
        0x1F150..=0x1F169 => 0x1F150,
        0x1F170..=0x1F189 => 0x1F170,
        0x1F1E6..=0x1F1FF => 0x1F1E6,
        _ => return None,
    };
    // The range checks above bound the offset to 0..26.
    Some(b'a' + (cp - base) as u8)
}

/// Lowercase letters of other scripts (Greek, Cyrillic, Armenian, Cherokee, Lisu) and letterlike
/// symbols that UTS #39 (confusables.txt, via `unicode-security` 0.1.3 `skeleton`) folds to a
/// single ASCII letter. Generated: for each code point of those blocks that NFKD + lowercase leave
/// unchanged, take the skeleton, NFKD it, drop marks, lowercase, fold small capitals, repeat up to
/// twice until one ASCII letter remains; keep only those. Sorted by code point.
pub(crate) const CONFUSABLE_LATIN: &[(char, u8)] = &[
    ('\u{03B1}', b'a'),
    ('\u{03B3}', b'y'),
    ('\u{03B7}', b'n'),
    ('\u{03B8}', b'o'),
    ('\u{03B9}', b'i'),
    ('\u{03BD}', b'v'),
    ('\u{03BF}', b'o'),
    ('\u{03C1}', b'p'),
    ('\u{03C3}', b'o'),
    ('\u{03C4}', b't'),
    ('\u{03C5}', b'u'),
    ('\u{03ED}', b'o'),
    ('\u{03F3}', b'j'),
    ('\u{03F8}', b'p'),
    ('\u{0430}', b'a'),
    ('\u{0432}', b'b'),
    ('\u{0433}', b'r'),
    ('\u{0435}', b'e'),
    ('\u{043D}', b'h'),
    ('\u{043E}', b'o'),
    ('\u{0440}', b'p'),
    ('\u{0441}', b'c'),
    ('\u{0442}', b't'),
    ('\u{0443}', b'y'),
    ('\u{0445}', b'x'),
    ('\u{0448}', b'w'),
    ('\u{0455}', b's'),
    ('\u{0456}', b'i'),
    ('\u{0458}', b'j'),
    ('\u{045B}', b'h'),
    ('\u{045F}', b'u'),
    ('\u{0461}', b'w'),
    ('\u{0463}', b'b'),
    ('\u{0473}', b'o'),
    ('\u{0475}', b'v'),
    ('\u{047D}', b'w'),
    ('\u{048D}', b'b'),
    ('\u{0493}', b'r'),
    ('\u{04A3}', b'h'),
    ('\u{04AB}', b'c'),
    ('\u{04AD}', b't'),
    ('\u{04AF}', b'y'),
    ('\u{04B1}', b'y'),
    ('\u{04BB}', b'h'),
    ('\u{04BD}', b'e'),
    ('\u{04BF}', b'e'),
    ('\u{04C8}', b'h'),
    ('\u{04CA}', b'h'),
    ('\u{04CF}', b'l'),
    ('\u{04E9}', b'o'),
    ('\u{0501}', b'd'),
    ('\u{050D}', b'g'),
    ('\u{051B}', b'q'),
    ('\u{051D}', b'w'),
    ('\u{0561}', b'w'),
    ('\u{0563}', b'q'),
    ('\u{0566}', b'q'),
    ('\u{0570}', b'h'),
    ('\u{0572}', b'n'),
    ('\u{0575}', b'j'),
    ('\u{0578}', b'n'),
    ('\u{057C}', b'n'),
    ('\u{057D}', b'u'),
    ('\u{0581}', b'g'),
    ('\u{0582}', b'i'),
    ('\u{0584}', b'f'),
    ('\u{0585}', b'o'),
    ('\u{13FB}', b'g'),
    ('\u{13FC}', b'b'),
    ('\u{1C82}', b'o'),
    ('\u{1C83}', b'c'),
    ('\u{212E}', b'e'),
    ('\u{A4D0}', b'b'),
    ('\u{A4D1}', b'p'),
    ('\u{A4D2}', b'd'),
    ('\u{A4D3}', b'd'),
    ('\u{A4D4}', b't'),
    ('\u{A4D6}', b'g'),
    ('\u{A4D7}', b'k'),
    ('\u{A4D9}', b'j'),
    ('\u{A4DA}', b'c'),
    ('\u{A4DC}', b'z'),
    ('\u{A4DD}', b'f'),
    ('\u{A4DF}', b'm'),
    ('\u{A4E0}', b'n'),
    ('\u{A4E1}', b'l'),
    ('\u{A4E2}', b's'),
    ('\u{A4E3}', b'r'),
    ('\u{A4E6}', b'v'),
    ('\u{A4E7}', b'h'),
    ('\u{A4EA}', b'w'),
    ('\u{A4EB}', b'x'),
    ('\u{A4EC}', b'y'),
    ('\u{A4EE}', b'a'),
    ('\u{A4F0}', b'e'),
    ('\u{A4F2}', b'l'),
    ('\u{A4F3}', b'o'),
    ('\u{A4F4}', b'u'),
    ('\u{A4F5}', b'n'),
    ('\u{A647}', b'i'),
    ('\u{A68D}', b't'),
    ('\u{A695}', b'h'),
    ('\u{AB70}', b'd'),
    ('\u{AB71}', b'r'),
    ('\u{AB72}', b't'),
    ('\u{AB74}', b'o'),
    ('\u{AB75}', b'i'),
    ('\u{AB7A}', b'a'),
    ('\u{AB7B}', b'j'),
    ('\u{AB7C}', b'e'),
    ('\u{AB81}', b'r'),
    ('\u{AB83}', b'w'),
    ('\u{AB8B}', b'h'),
    ('\u{AB8E}', b'o'),
    ('\u{AB90}', b'g'),
    ('\u{AB93}', b'z'),
    ('\u{AB9C}', b'u'),
    ('\u{ABA2}', b'r'),
    ('\u{ABA4}', b'w'),
    ('\u{ABA9}', b'v'),
    ('\u{ABAA}', b's'),
    ('\u{ABAE}', b'l'),
    ('\u{ABAF}', b'c'),
    ('\u{ABB2}', b'p'),
    ('\u{ABBB}', b'o'),
];

/// Additions beyond UTS #39 (which maps these to non-ASCII prototypes or not at all), for
/// lowercase Greek and Cyrillic letters that evasive text uses as Latin letters.
pub(crate) const CONFUSABLE_EXTRA: &[(char, u8)] = &[
    ('\u{03BA}', b'k'), // GREEK SMALL LETTER KAPPA (UTS #39: U+0138 kra)
    ('\u{03C9}', b'w'), // GREEK SMALL LETTER OMEGA
    ('\u{043A}', b'k'), // CYRILLIC SMALL LETTER KA (UTS #39: U+0138 kra)
    ('\u{043C}', b'm'), // CYRILLIC SMALL LETTER EM (small capital M shape)
    ('\u{043F}', b'n'), // CYRILLIC SMALL LETTER PE
];

/// The Latin letter a non-Latin look-alike stands for, if any.
#[inline]
pub(crate) fn confusable_latin(c: char) -> Option<u8> {
    if let Ok(i) = CONFUSABLE_LATIN.binary_search_by_key(&c, |&(k, _)| k) {
        return CONFUSABLE_LATIN.get(i).map(|&(_, v)| v);
    }
    CONFUSABLE_EXTRA
        .iter()
        .find(|&&(k, _)| k == c)
        .map(|&(_, v)| v)
}

/// Small capital to ASCII letter.
#[inline]
pub(crate) fn small_capital(c: char) -> Option<u8> {
    SMALL_CAPITALS
        .binary_search_by_key(&c, |&(k, _)| k)
        .ok()
        .and_then(|i| SMALL_CAPITALS.get(i))
        .map(|&(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;

    fn small_caps_str(s: &str) -> String {
        s.chars()
            .map(|c| small_capital(c).map_or(c, char::from))
            .collect()
    }

    fn step(s: &str) -> String {
        let sk: String = unicode_security::skeleton(s).collect();
        let folded: String = sk
            .nfkd()
            .filter(|c| !is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect();
        small_caps_str(&folded)
    }

    /// The generation procedure described on [`CONFUSABLE_LATIN`].
    fn generate() -> Vec<(char, u8)> {
        let blocks = [
            (0x370, 0x3FF),
            (0x530, 0x58F),
            (0x400, 0x52F),
            (0x13A0, 0x13FF),
            (0x1C80, 0x1C8F),
            (0x1F00, 0x1FFF),
            (0x2100, 0x214F),
            (0xA4D0, 0xA4FF),
            (0xA640, 0xA69F),
            (0xAB70, 0xABBF),
        ];
        let mut out = Vec::new();
        for (a, b) in blocks {
            for cp in a..=b {
                let Some(c) = char::from_u32(cp) else {
                    continue;
                };
                let s = c.to_string();
                let norm: String = s.nfkd().flat_map(char::to_lowercase).collect();
                if norm != s {
                    continue;
                }
                let mut t = step(&s);
                for _ in 0..2 {
                    if t.len() == 1 && t.is_ascii() {
                        break;
                    }
                    t = step(&t);
                }
                if t.len() == 1 && t.as_bytes()[0].is_ascii_lowercase() {
                    out.push((c, t.as_bytes()[0]));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn confusables_table_matches_uts39_data() {
        assert_eq!(generate(), CONFUSABLE_LATIN.to_vec());
    }

    #[test]
    #[ignore = "prints the generated table"]
    fn print_confusables_table() {
        for (c, l) in generate() {
            println!("    ('\\u{{{:04X}}}', b'{}'),", c as u32, l as char);
        }
    }

    #[test]
    fn tables_are_sorted_and_lookups_work() {
        assert!(CONFUSABLE_LATIN.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(SMALL_CAPITALS.windows(2).all(|w| w[0].0 < w[1].0));
        // Closed under lowercasing: a capital whose lowercase folds must fold too (idempotence).
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let mut lower = c.to_lowercase();
            if let (Some(l), None) = (lower.next(), lower.next()) {
                if l != c && small_capital(l).is_some() {
                    assert_eq!(small_capital(c), small_capital(l), "U+{:04X}", c as u32);
                }
            }
        }
        assert!(DEFAULT_IGNORABLE.windows(2).all(|w| w[0].1 < w[1].0));
        assert_eq!(confusable_latin('\u{0430}'), Some(b'a'));
        assert_eq!(confusable_latin('\u{043A}'), Some(b'k'));
        assert_eq!(confusable_latin('a'), None);
        assert_eq!(small_capital('\u{1D04}'), Some(b'c'));
        assert_eq!(enclosed_letter('\u{1F182}'), Some(b's'));
        assert_eq!(enclosed_letter('\u{1F1FA}'), Some(b'u'));
        for c in [
            '\u{AD}',
            '\u{200B}',
            '\u{200D}',
            '\u{202E}',
            '\u{2063}',
            '\u{180E}',
            '\u{FE0F}',
            '\u{E0041}',
        ] {
            assert!(is_default_ignorable(c), "{c:?}");
        }
        for c in [
            'a', ' ', '\u{300}', '\u{2062}', /* included: 2060..206F */
        ] {
            assert_eq!(is_default_ignorable(c), c == '\u{2062}', "{c:?}");
        }
        // No manual addition duplicates or contradicts the generated table.
        for (c, _) in CONFUSABLE_EXTRA {
            assert!(CONFUSABLE_LATIN.binary_search_by_key(c, |e| e.0).is_err());
        }
    }
}
