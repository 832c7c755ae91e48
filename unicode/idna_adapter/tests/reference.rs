//! This adapter against the crates.io `idna_adapter` 1.1.0 it replaces, whose `map_normalize` and
//! `normalize_validate` are `idna_mapping::Mapper` followed by `unicode-normalization`'s NFC, and
//! whose marks and viramas come from `unicode-normalization` too.

use idna_adapter::Adapter;
use proptest::prelude::*;
use unicode_bidi::BidiClass as Bc;
use unicode_normalization::char::{canonical_combining_class, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

/// The bidi masks with the classes the release puts in them.
fn masks() -> [(idna_adapter::BidiClassMask, &'static [Bc]); 6] {
    use idna_adapter::*;
    [
        (RTL_MASK, &[Bc::R, Bc::AL, Bc::AN]),
        (FIRST_BC_MASK, &[Bc::L, Bc::R, Bc::AL]),
        (LAST_LTR_MASK, &[Bc::L, Bc::EN]),
        (LAST_RTL_MASK, &[Bc::R, Bc::AL, Bc::EN, Bc::AN]),
        (
            MIDDLE_LTR_MASK,
            &[
                Bc::L,
                Bc::EN,
                Bc::ES,
                Bc::CS,
                Bc::ET,
                Bc::ON,
                Bc::BN,
                Bc::NSM,
            ],
        ),
        (
            MIDDLE_RTL_MASK,
            &[
                Bc::R,
                Bc::AL,
                Bc::AN,
                Bc::EN,
                Bc::ES,
                Bc::CS,
                Bc::ET,
                Bc::ON,
                Bc::BN,
                Bc::NSM,
            ],
        ),
    ]
}

fn reference(s: &str, validate: bool) -> String {
    idna_mapping::Mapper::new(s.chars(), validate)
        .nfc()
        .collect()
}

fn ours(s: &str, validate: bool) -> String {
    let a = Adapter::new();
    if validate {
        a.normalize_validate(s.chars()).collect()
    } else {
        a.map_normalize(s.chars()).collect()
    }
}

#[test]
fn every_code_point_maps_and_normalises_as_the_release() {
    let a = Adapter::new();
    for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
        assert_eq!(a.is_mark(c), is_combining_mark(c), "U+{:04X}", c as u32);
        assert_eq!(
            a.is_virama(c),
            canonical_combining_class(c) == 9,
            "U+{:04X}",
            c as u32
        );
        // Bidi classes, through every accessor and mask the release has.
        let (class, theirs) = (a.bidi_class(c), unicode_bidi::bidi_class(c));
        assert_eq!(class.is_ltr(), theirs == Bc::L);
        assert_eq!(class.is_nonspacing_mark(), theirs == Bc::NSM);
        assert_eq!(class.is_european_number(), theirs == Bc::EN);
        assert_eq!(class.is_arabic_number(), theirs == Bc::AN);
        for (mask, classes) in masks() {
            let hit = class.to_mask().intersects(mask);
            assert_eq!(hit, classes.contains(&theirs), "U+{:04X}", c as u32);
        }
        for s in [
            c.to_string(),
            format!("a{c}\u{0301}"),
            format!("\u{1100}{c}\u{0323}"),
        ] {
            for validate in [false, true] {
                assert_eq!(
                    ours(&s, validate),
                    reference(&s, validate),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
    }
}

proptest! {
    #[test]
    fn strings_map_and_normalise_as_the_release(s in "\\PC{0,32}", validate: bool) {
        prop_assert_eq!(ours(&s, validate), reference(&s, validate));
    }

    #[test]
    fn host_like_strings_map_and_normalise_as_the_release(
        s in "[a-zA-Z0-9.\u{00C0}-\u{024F}\u{0300}-\u{036F}\u{0391}-\u{03C9}\u{0410}-\u{044F}\u{FF21}-\u{FF5A}\u{1100}-\u{1175}\u{AC00}-\u{AC20}\u{0621}-\u{064A}\u{0660}-\u{0669}\u{200C}\u{200D}\u{3002}\u{FF0E}]{0,24}",
        validate: bool,
    ) {
        prop_assert_eq!(ours(&s, validate), reference(&s, validate));
    }
}
