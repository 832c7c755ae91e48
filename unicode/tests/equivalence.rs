//! The tables and algorithms against `unicode-normalization`, the reference they are generated
//! from: every code point, every listed composition, NFC of every code point alone and in
//! context, and NFC of random strings built from the characters where NFC has work to do.

use hashscreen_unicode as ours;
use proptest::prelude::*;
use unicode_normalization::char as reference;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

fn all_chars() -> impl Iterator<Item = char> {
    (0..=0x10FFFFu32).filter_map(char::from_u32)
}

fn collect(f: impl FnOnce(&mut dyn FnMut(char))) -> Vec<char> {
    let mut v = Vec::new();
    f(&mut |c| v.push(c));
    v
}

#[test]
fn every_code_point_has_the_reference_properties() {
    for c in all_chars() {
        let cp = c as u32;
        assert_eq!(
            ours::canonical_combining_class(c),
            reference::canonical_combining_class(c),
            "ccc U+{cp:04X}"
        );
        assert_eq!(
            ours::is_combining_mark(c),
            reference::is_combining_mark(c),
            "mark U+{cp:04X}"
        );
        assert_eq!(
            ours::is_nfkc_quick_yes(c),
            is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes,
            "NFKC_QC U+{cp:04X}"
        );
        assert_eq!(
            collect(|f| ours::decompose_canonical(c, f)),
            collect(|f| reference::decompose_canonical(c, f)),
            "NFD U+{cp:04X}"
        );
        assert_eq!(
            collect(|f| ours::decompose_compatible(c, f)),
            collect(|f| reference::decompose_compatible(c, f)),
            "NFKD U+{cp:04X}"
        );
    }
}

/// Every character that has a canonical decomposition or occurs in one, with Hangul jamo and
/// syllables: the first and second characters of every composition are among them.
fn parts() -> Vec<char> {
    let mut v: Vec<char> = all_chars()
        .flat_map(|c| {
            let d = collect(|f| reference::decompose_canonical(c, f));
            if d == [c] {
                Vec::new()
            } else {
                std::iter::once(c).chain(d).collect()
            }
        })
        .chain((0x1100..0x1200).filter_map(char::from_u32))
        .chain((0xAC00..0xAD00).filter_map(char::from_u32))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[test]
fn compositions_equal_the_reference() {
    let parts = parts();
    let mut found = 0;
    for &a in &parts {
        for &b in &parts {
            let r = reference::compose(a, b);
            found += usize::from(r.is_some());
            assert_eq!(
                ours::compose(a, b),
                r,
                "U+{:04X} U+{:04X}",
                a as u32,
                b as u32
            );
        }
    }
    // The 961 compositions outside Hangul (Unicode 16.0) and the sampled Hangul ones.
    assert!(found > 961, "{found} compositions");
    // Any code point as the second of a few firsts, and as the first of a few seconds.
    for x in [
        'e', '\u{3B1}', '\u{1F50}', '\u{1100}', '\u{AC00}', '\u{0B47}', '\u{0301}',
    ] {
        for y in all_chars() {
            assert_eq!(
                ours::compose(x, y),
                reference::compose(x, y),
                "U+{:04X}",
                y as u32
            );
            assert_eq!(
                ours::compose(y, x),
                reference::compose(y, x),
                "U+{:04X}",
                y as u32
            );
        }
    }
}

fn nfc_ours(s: &str) -> String {
    ours::nfc(s.chars()).collect()
}

#[test]
fn nfc_of_every_code_point_alone_and_in_context() {
    for c in all_chars() {
        for s in [
            c.to_string(),
            format!("a{c}\u{0301}"),
            format!("{c}\u{0327}\u{0301}x"),
            format!("\u{0301}{c}\u{1161}"),
            format!("\u{1100}{c}\u{11A8}"),
        ] {
            assert_eq!(
                nfc_ours(&s),
                s.nfc().collect::<String>(),
                "U+{:04X}",
                c as u32
            );
        }
    }
}

/// Characters where NFC has work: starters that compose, marks of several classes (in and out of
/// order), Hangul jamo and syllables, composition exclusions, singletons, ASCII.
const ALPHABET: &[char] = &[
    'a',
    'e',
    'A',
    'o',
    ' ',
    '\u{3B1}',
    '\u{3C9}',
    '\u{1FBF}',
    '\u{0300}',
    '\u{0301}',
    '\u{0308}',
    '\u{0313}',
    '\u{0323}',
    '\u{0327}',
    '\u{0345}',
    '\u{031B}',
    '\u{0F71}',
    '\u{0F72}',
    '\u{0F80}',
    '\u{05B0}',
    '\u{0591}',
    '\u{0B47}',
    '\u{0B3E}',
    '\u{0B56}',
    '\u{0B57}',
    '\u{0DD9}',
    '\u{0DCF}',
    '\u{0DDF}',
    '\u{1025}',
    '\u{102E}',
    '\u{1100}',
    '\u{1161}',
    '\u{11A8}',
    '\u{AC00}',
    '\u{AC01}',
    '\u{D7A3}',
    '\u{0344}',
    '\u{0958}',
    '\u{2126}',
    '\u{212B}',
    '\u{00C5}',
    '\u{1E0A}',
    '\u{1E9B}',
    '\u{0FB5}',
    '\u{0F40}',
    '\u{1D15E}',
    '\u{1D165}',
    '\u{1D16E}',
    '\u{11099}',
    '\u{110BA}',
    '\u{0CC6}',
    '\u{0CD5}',
    '\u{0CC2}',
    '\u{3099}',
    '\u{304B}',
    '\u{FB2C}',
    '\u{0E01}',
    '\u{FE20}',
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn nfc_of_random_strings_equals_the_reference(
        picks in proptest::collection::vec(0..ALPHABET.len(), 0..24),
    ) {
        let s: String = picks.iter().filter_map(|&i| ALPHABET.get(i)).collect();
        prop_assert_eq!(nfc_ours(&s), s.nfc().collect::<String>());
        let d: String = s.nfd().collect();
        prop_assert_eq!(nfc_ours(&d), s.nfc().collect::<String>());
    }

    #[test]
    fn nfc_of_any_string_equals_the_reference(s in "\\PC{0,40}") {
        prop_assert_eq!(nfc_ours(&s), s.nfc().collect::<String>());
    }
}

#[test]
fn a_long_run_of_marks_is_ordered_and_kept() {
    let s: String = std::iter::once('a')
        .chain((0..10_000).map(|i| if i % 2 == 0 { '\u{0301}' } else { '\u{0323}' }))
        .collect();
    assert_eq!(nfc_ours(&s), s.nfc().collect::<String>());
}

fn uts46_ours(s: &str, ignored_as_errors: bool) -> String {
    ours::Uts46Mapper::new(s.chars(), ignored_as_errors).collect()
}

fn uts46_reference(s: &str, ignored_as_errors: bool) -> String {
    idna_mapping::Mapper::new(s.chars(), ignored_as_errors).collect()
}

#[test]
fn every_code_point_has_the_reference_uts46_mapping() {
    for c in all_chars() {
        let s = c.to_string();
        for flag in [false, true] {
            assert_eq!(
                uts46_ours(&s, flag),
                uts46_reference(&s, flag),
                "U+{:04X}",
                c as u32
            );
        }
    }
}

proptest! {
    #[test]
    fn uts46_mapping_of_strings_equals_the_reference(s in "\\PC{0,32}", flag: bool) {
        prop_assert_eq!(uts46_ours(&s, flag), uts46_reference(&s, flag));
    }
}

#[test]
fn every_code_point_has_the_reference_bidi_class() {
    for c in all_chars() {
        assert_eq!(
            format!("{:?}", ours::bidi_class(c)),
            format!("{:?}", unicode_bidi::bidi_class(c)),
            "U+{:04X}",
            c as u32
        );
    }
}
