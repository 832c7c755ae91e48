//! The Unicode normalisation data of hashscreen's text keys and URL host names: canonical and
//! compatibility decompositions, canonical compositions, combining classes, combining marks, the
//! NFKC quick check, NFC of a character stream, the UTS #46 mapping of host names and their
//! bidi classes.
//!
//! Results are those of `unicode-normalization` 0.1.24, `idna_mapping` 1.1.0 and `unicode-bidi`
//! 0.3.18 (Unicode 16.0), checked for every code point and for random strings in
//! `tests/equivalence.rs` (and by the `unicode_diff` fuzz target). The reason for the crate is
//! size: the tables are stored in code point order (two-stage tries and arrays), which `gzip`
//! shrinks to about a third of those crates' tables in the WebAssembly package (`BENCHMARKS.md`).
//! Regenerate them with `examples/generate.rs`.
//!
//! Every function is total: no input makes it panic or allocate without bound beyond the input's
//! own length.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

extern crate alloc;

use alloc::vec::Vec;

#[rustfmt::skip] // generated: tests/tables_fresh.rs compares it with the generator's output
mod tables;
mod uts46;
use tables::{
    COMPOSE, COMPOSE_START, DECOMP, DECOMP_BASE, DECOMP_BLOCKS, DECOMP_SHIFT, DECOMP_STAGE1, LIMIT,
    PROPS, PROP_BLOCKS, PROP_STAGE1, SHIFT,
};
pub use uts46::Uts46Mapper;

/// A Bidi_Class value (UAX #9).
#[allow(missing_docs, clippy::upper_case_acronyms)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BidiClass {
    AL,
    AN,
    B,
    BN,
    CS,
    EN,
    ES,
    ET,
    FSI,
    L,
    LRE,
    LRI,
    LRO,
    NSM,
    ON,
    PDF,
    PDI,
    R,
    RLE,
    RLI,
    RLO,
    S,
    WS,
}

/// The Bidi_Class of `c` (the results of `unicode-bidi` 0.3.18, from runs of one class: a third
/// of its table's size).
pub fn bidi_class(c: char) -> BidiClass {
    let cp = c as u32;
    let i = tables::BIDI_START.partition_point(|&start| start <= cp);
    tables::BIDI_CLASS
        .get(i.wrapping_sub(1))
        .copied()
        .unwrap_or(BidiClass::L)
}

// Hangul syllables are composed and decomposed arithmetically (Unicode 16.0, section 3.12).
const S_BASE: u32 = 0xAC00;
const L_BASE: u32 = 0x1100;
const V_BASE: u32 = 0x1161;
const T_BASE: u32 = 0x11A7;
const L_COUNT: u32 = 19;
const V_COUNT: u32 = 21;
const T_COUNT: u32 = 28;
const N_COUNT: u32 = V_COUNT * T_COUNT;
const S_COUNT: u32 = L_COUNT * N_COUNT;

const FLAG_MARK: u8 = 1;
const FLAG_NFKC_NOT_YES: u8 = 2;

/// Looks `cp` up in a two-stage trie of blocks of `1 << shift` values.
#[inline(always)]
fn trie<T: Copy + Default>(stage1: &[u8], blocks: &[T], shift: u32, cp: u32) -> T {
    let block = stage1.get((cp >> shift) as usize).copied().unwrap_or(0) as usize;
    let i = (block << shift) | (cp & ((1 << shift) - 1)) as usize;
    blocks.get(i).copied().unwrap_or_default()
}

/// (canonical combining class, flags, index of the compositions `c` is the second of).
#[inline(always)]
fn props(c: char) -> (u8, u8, u8) {
    let cp = c as u32;
    if cp >= LIMIT {
        // Above the tries only the variation selectors supplement has a property: it is Mn.
        return if (0xE0100..=0xE01EF).contains(&cp) {
            (0, FLAG_MARK, 0)
        } else {
            (0, 0, 0)
        };
    }
    let i = trie(&PROP_STAGE1, &PROP_BLOCKS, SHIFT, cp);
    PROPS.get(i as usize).copied().unwrap_or_default()
}

/// The Canonical_Combining_Class of `c`.
#[inline]
pub fn canonical_combining_class(c: char) -> u8 {
    props(c).0
}

/// Whether the General_Category of `c` is a mark (Mn, Mc or Me).
#[inline]
pub fn is_combining_mark(c: char) -> bool {
    props(c).1 & FLAG_MARK != 0
}

/// Whether the NFKC quick check of `c` alone is Yes (not No or Maybe).
#[inline]
pub fn is_nfkc_quick_yes(c: char) -> bool {
    props(c).1 & FLAG_NFKC_NOT_YES == 0
}

fn hangul_decompose(cp: u32, emit: &mut impl FnMut(char)) -> bool {
    let s = cp.wrapping_sub(S_BASE);
    if s >= S_COUNT {
        return false;
    }
    let (l, v, t) = (
        L_BASE + s / N_COUNT,
        V_BASE + (s % N_COUNT) / T_COUNT,
        s % T_COUNT,
    );
    for d in [l, v] {
        emit(char::from_u32(d).unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    if t > 0 {
        emit(char::from_u32(T_BASE + t).unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    true
}

/// The decomposition entry of `cp`: (canonical, compatibility) characters, or `None` when `cp`
/// decomposes to itself. An empty canonical part means no canonical decomposition; an empty
/// compatibility part means the same as the canonical one.
#[inline]
fn decomposition(cp: u32) -> Option<(&'static [u32], &'static [u32])> {
    if cp >= LIMIT {
        return None;
    }
    // Blocks hold offsets (+1) from their block's first entry, which repeat where indexes do not.
    let rel = trie(&DECOMP_STAGE1, &DECOMP_BLOCKS, DECOMP_SHIFT, cp) as usize;
    if rel == 0 {
        return None;
    }
    let base = DECOMP_BASE
        .get((cp >> DECOMP_SHIFT) as usize)
        .copied()
        .unwrap_or(0) as usize;
    let i = base + rel - 1;
    let header = DECOMP.get(i).copied().unwrap_or(0) as usize;
    let (canon_len, compat_len) = (header & 31, (header >> 5) & 31);
    let canon = DECOMP.get(i + 1..i + 1 + canon_len).unwrap_or_default();
    let compat_at = i + 1 + canon_len;
    let compat = DECOMP
        .get(compat_at..compat_at + compat_len)
        .unwrap_or_default();
    Some((canon, compat))
}

fn emit_all(cps: &[u32], emit: &mut impl FnMut(char)) {
    for &d in cps {
        emit(char::from_u32(d).unwrap_or(char::REPLACEMENT_CHARACTER));
    }
}

/// Calls `emit` with the full canonical decomposition of `c` (NFD of `c` alone, before
/// canonical ordering, which a single character never needs).
#[inline]
pub fn decompose_canonical(c: char, mut emit: impl FnMut(char)) {
    let cp = c as u32;
    if cp < 0xC0 {
        return emit(c); // nothing below U+00C0 has a canonical decomposition
    }
    if hangul_decompose(cp, &mut emit) {
        return;
    }
    match decomposition(cp) {
        Some((canon, _)) if !canon.is_empty() => emit_all(canon, &mut emit),
        _ => emit(c),
    }
}

/// Calls `emit` with the full compatibility decomposition of `c` (NFKD of `c` alone).
#[inline]
pub fn decompose_compatible(c: char, mut emit: impl FnMut(char)) {
    let cp = c as u32;
    if cp < 0xA0 {
        return emit(c); // nothing below U+00A0 decomposes
    }
    if hangul_decompose(cp, &mut emit) {
        return;
    }
    match decomposition(cp) {
        Some((_, compat)) if !compat.is_empty() => emit_all(compat, &mut emit),
        Some((canon, _)) if !canon.is_empty() => emit_all(canon, &mut emit),
        _ => emit(c),
    }
}

/// The primary composite of `a` followed by `b`, if there is one.
#[inline]
pub fn compose(first: char, second: char) -> Option<char> {
    let (a, b) = (first as u32, second as u32);
    // Hangul: L + V, then LV + T.
    let (l, v) = (a.wrapping_sub(L_BASE), b.wrapping_sub(V_BASE));
    if l < L_COUNT && v < V_COUNT {
        return char::from_u32(S_BASE + (l * V_COUNT + v) * T_COUNT);
    }
    let (s, t) = (a.wrapping_sub(S_BASE), b.wrapping_sub(T_BASE));
    if s < S_COUNT && s % T_COUNT == 0 && t > 0 && t < T_COUNT {
        return char::from_u32(a + t);
    }
    let list_index = props(second).2 as usize;
    if list_index == 0 {
        return None;
    }
    let start = COMPOSE_START.get(list_index - 1).copied().unwrap_or(0) as usize;
    let end = COMPOSE_START.get(list_index).copied().unwrap_or(0) as usize;
    let list = COMPOSE.get(start..end).unwrap_or_default();
    let i = list.binary_search_by_key(&a, |&(lead, _)| lead).ok()?;
    char::from_u32(list.get(i)?.1)
}

/// NFC of a stream of characters (Unicode 16.0, UAX #15): canonical decomposition, canonical
/// ordering of every run of non-starters, canonical composition.
///
/// Memory is bounded by the longest run of characters that may still change: a starter with the
/// non-starters after it.
pub fn nfc<I: Iterator<Item = char>>(iter: I) -> Nfc<I> {
    Nfc {
        iter,
        out: Vec::new(),
        run: Vec::new(),
        starter: None,
        last_ccc: None,
        ready: 0,
        pos: 0,
        done: false,
    }
}

/// The iterator of [`nfc`].
#[derive(Debug, Clone)]
pub struct Nfc<I> {
    iter: I,
    /// Composed characters: those before `ready` are final.
    out: Vec<char>,
    /// The current run of non-starters (with their classes), not yet ordered.
    run: Vec<(u8, char)>,
    /// Index in `out` of the last starter, which may still compose.
    starter: Option<usize>,
    /// Class of the last character after that starter, if any.
    last_ccc: Option<u8>,
    ready: usize,
    pos: usize,
    done: bool,
}

impl<I: Iterator<Item = char>> Nfc<I> {
    /// Composes `c` (of class `ccc`) with the last starter, or appends it.
    fn compose_one(&mut self, c: char, ccc: u8) {
        if let Some(si) = self.starter {
            // Blocked by an uncomposed character in between of class 0 or >= `ccc`.
            let blocked = self.last_ccc.is_some_and(|l| l == 0 || l >= ccc);
            if !blocked {
                if let Some(first) = self.out.get_mut(si) {
                    if let Some(x) = compose(*first, c) {
                        *first = x;
                        return;
                    }
                }
            }
        }
        if ccc == 0 {
            self.starter = Some(self.out.len());
            self.last_ccc = None;
            // Everything before a new starter is final.
            self.ready = self.out.len();
        } else if self.starter.is_some() {
            self.last_ccc = Some(ccc);
        } else {
            // Non-starters before any starter never change.
            self.ready = self.out.len() + 1;
        }
        self.out.push(c);
    }

    /// Orders the run of non-starters by class (stably) and composes it.
    fn flush_run(&mut self) {
        if self.run.is_empty() {
            return;
        }
        self.run.sort_by_key(|&(ccc, _)| ccc);
        let mut run = core::mem::take(&mut self.run);
        for &(ccc, c) in &run {
            self.compose_one(c, ccc);
        }
        run.clear();
        self.run = run;
    }

    fn push_decomposed(&mut self, d: char) {
        let ccc = canonical_combining_class(d);
        if ccc == 0 {
            self.flush_run();
            self.compose_one(d, 0);
        } else {
            self.run.push((ccc, d));
        }
    }
}

impl<I: Iterator<Item = char>> Iterator for Nfc<I> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        loop {
            if self.pos < self.ready {
                let c = self.out.get(self.pos).copied();
                self.pos += 1;
                return c;
            }
            if self.pos > 0 {
                self.out.drain(..self.pos);
                self.starter = self.starter.and_then(|s| s.checked_sub(self.pos));
                self.ready -= self.pos;
                self.pos = 0;
            }
            if self.done {
                return None;
            }
            match self.iter.next() {
                Some(c) if c.is_ascii() && self.run.is_empty() => {
                    // ASCII neither decomposes nor is the second of a composition (the
                    // generator checks), and is a starter: what precedes it is final.
                    self.starter = Some(self.out.len());
                    self.last_ccc = None;
                    self.ready = self.out.len();
                    self.out.push(c);
                }
                Some(c) => decompose_canonical(c, |d| self.push_decomposed(d)),
                None => {
                    self.flush_run();
                    self.done = true;
                    self.ready = self.out.len();
                }
            }
        }
    }
}
