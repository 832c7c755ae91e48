//! The back end of `idna` in the hashscreen workspace: the API of `idna_adapter` 1.1.0 (the
//! unicode-rs back end), with the UTS #46 mapping, normalisation, combining classes and marks
//! and bidi classes from `hashscreen-unicode`. Joining types still come from `idna_mapping` (which
//! takes them from `unicode-joining-type`), as in the release it replaces.
#![no_std]
#![forbid(unsafe_code)]

use hashscreen_unicode::BidiClass as Bc;

const fn bidi_mask(classes: &[Bc]) -> BidiClassMask {
    let mut mask = 0u32;
    let mut i = 0;
    while i < classes.len() {
        mask |= 1 << (classes[i] as u32);
        i += 1;
    }
    BidiClassMask(mask)
}

/// Left-joining or dual-joining.
pub const LEFT_OR_DUAL_JOINING_MASK: JoiningTypeMask =
    JoiningTypeMask(idna_mapping::LEFT_OR_DUAL_JOINING_MASK);
/// Right-joining or dual-joining.
pub const RIGHT_OR_DUAL_JOINING_MASK: JoiningTypeMask =
    JoiningTypeMask(idna_mapping::RIGHT_OR_DUAL_JOINING_MASK);
/// Classes that make a label right-to-left.
pub const RTL_MASK: BidiClassMask = bidi_mask(&[Bc::R, Bc::AL, Bc::AN]);
/// Classes allowed first in a label.
pub const FIRST_BC_MASK: BidiClassMask = bidi_mask(&[Bc::L, Bc::R, Bc::AL]);
/// Classes allowed last in a left-to-right label.
pub const LAST_LTR_MASK: BidiClassMask = bidi_mask(&[Bc::L, Bc::EN]);
/// Classes allowed last in a right-to-left label.
pub const LAST_RTL_MASK: BidiClassMask = bidi_mask(&[Bc::R, Bc::AL, Bc::EN, Bc::AN]);
/// Classes allowed inside a left-to-right label.
pub const MIDDLE_LTR_MASK: BidiClassMask = bidi_mask(&[
    Bc::L,
    Bc::EN,
    Bc::ES,
    Bc::CS,
    Bc::ET,
    Bc::ON,
    Bc::BN,
    Bc::NSM,
]);
/// Classes allowed inside a right-to-left label.
pub const MIDDLE_RTL_MASK: BidiClassMask = bidi_mask(&[
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
]);

/// A Joining_Type value.
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct JoiningType(idna_mapping::JoiningType);

impl JoiningType {
    /// The mask of this one value.
    #[inline(always)]
    pub fn to_mask(self) -> JoiningTypeMask {
        JoiningTypeMask(self.0.to_mask())
    }

    /// Whether this is Transparent.
    #[inline(always)]
    pub fn is_transparent(self) -> bool {
        self.0.is_transparent()
    }
}

/// A set of Joining_Type values.
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct JoiningTypeMask(idna_mapping::JoiningTypeMask);

impl JoiningTypeMask {
    /// Whether the two sets share a value.
    #[inline(always)]
    pub fn intersects(self, other: JoiningTypeMask) -> bool {
        self.0.intersects(other.0)
    }
}

/// A Bidi_Class value.
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct BidiClass(Bc);

impl BidiClass {
    /// The mask of this one value.
    #[inline(always)]
    pub fn to_mask(self) -> BidiClassMask {
        BidiClassMask(1 << (self.0 as u32))
    }

    /// Whether this is Left_To_Right.
    #[inline(always)]
    pub fn is_ltr(self) -> bool {
        self.0 == Bc::L
    }

    /// Whether this is Nonspacing_Mark.
    #[inline(always)]
    pub fn is_nonspacing_mark(self) -> bool {
        self.0 == Bc::NSM
    }

    /// Whether this is European_Number.
    #[inline(always)]
    pub fn is_european_number(self) -> bool {
        self.0 == Bc::EN
    }

    /// Whether this is Arabic_Number.
    #[inline(always)]
    pub fn is_arabic_number(self) -> bool {
        self.0 == Bc::AN
    }
}

/// A set of Bidi_Class values.
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct BidiClassMask(u32);

impl BidiClassMask {
    /// Whether the two sets share a value.
    #[inline(always)]
    pub fn intersects(self, other: BidiClassMask) -> bool {
        self.0 & other.0 != 0
    }
}

/// The Unicode data `idna` asks for.
#[non_exhaustive]
#[derive(Default)]
pub struct Adapter {}

impl Adapter {
    /// The adapter (its data is compiled in).
    #[inline(always)]
    pub const fn new() -> Self {
        Self {}
    }

    /// Whether the Canonical_Combining_Class of `c` is Virama (9).
    #[inline(always)]
    pub fn is_virama(&self, c: char) -> bool {
        hashscreen_unicode::canonical_combining_class(c) == 9
    }

    /// Whether the General_Category of `c` is a mark (Mn, Mc or Me).
    #[inline(always)]
    pub fn is_mark(&self, c: char) -> bool {
        hashscreen_unicode::is_combining_mark(c)
    }

    /// The Bidi_Class of `c`.
    #[inline(always)]
    pub fn bidi_class(&self, c: char) -> BidiClass {
        BidiClass(hashscreen_unicode::bidi_class(c))
    }

    /// The Joining_Type of `c`.
    #[inline(always)]
    pub fn joining_type(&self, c: char) -> JoiningType {
        JoiningType(idna_mapping::joining_type(c))
    }

    /// The UTS #46 mapping of `iter`, then NFC (`icu_normalizer`'s `Uts46Mapper::map_normalize`).
    #[inline(always)]
    pub fn map_normalize<'delegate, I: Iterator<Item = char> + 'delegate>(
        &'delegate self,
        iter: I,
    ) -> impl Iterator<Item = char> + 'delegate {
        hashscreen_unicode::nfc(hashscreen_unicode::Uts46Mapper::new(iter, false))
    }

    /// NFC of `iter`, with disallowed characters replaced by U+FFFD
    /// (`icu_normalizer`'s `Uts46Mapper::normalize_validate`).
    #[inline(always)]
    pub fn normalize_validate<'delegate, I: Iterator<Item = char> + 'delegate>(
        &'delegate self,
        iter: I,
    ) -> impl Iterator<Item = char> + 'delegate {
        hashscreen_unicode::nfc(hashscreen_unicode::Uts46Mapper::new(iter, true))
    }
}
