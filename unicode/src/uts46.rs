//! The UTS #46 mapping of host names (Unicode 16.0), with the results of `idna_mapping` 1.1.0
//! (checked for every code point in `tests/equivalence.rs`).
//!
//! Only the status of each code point is stored (two bits, in a trie); the mapping of a mapped
//! character is derived from the decomposition data this crate has anyway, as lowercase NFKD
//! twice then NFC, and the 168 mappings that rule misses (case folding that is not lowercasing,
//! Greek iota subscripts, and the like) are listed.

use crate::tables::{
    UTS46_BLOCKS, UTS46_EXCEPTION_AT, UTS46_EXCEPTION_CP, UTS46_EXCEPTION_STR, UTS46_HIGH,
    UTS46_LIMIT, UTS46_STAGE1,
};
use crate::{decompose_compatible, nfc, SHIFT};

/// The longest mapping (U+FDFA, 18 characters).
const MAX_MAPPING: usize = 18;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Status {
    Valid,
    Mapped,
    Ignored,
    Disallowed,
}

fn status(c: char) -> Status {
    let cp = c as u32;
    let bits = if cp < UTS46_LIMIT {
        let block = UTS46_STAGE1
            .get((cp >> SHIFT) as usize)
            .copied()
            .unwrap_or(0) as usize;
        let byte = (block << (SHIFT - 2)) | ((cp as usize & ((1 << SHIFT) - 1)) >> 2);
        UTS46_BLOCKS.get(byte).copied().unwrap_or(3) >> (2 * (cp & 3)) & 3
    } else {
        let i = UTS46_HIGH.partition_point(|&(start, _)| start <= cp);
        UTS46_HIGH.get(i.wrapping_sub(1)).map_or(3, |&(_, s)| s)
    };
    match bits {
        0 => Status::Valid,
        1 => Status::Mapped,
        2 => Status::Ignored,
        _ => Status::Disallowed,
    }
}

/// A mapping being emitted.
#[derive(Clone, Debug)]
struct Buf {
    chars: [char; MAX_MAPPING],
    len: usize,
    pos: usize,
}

impl Buf {
    const EMPTY: Buf = Buf {
        chars: ['\0'; MAX_MAPPING],
        len: 0,
        pos: 0,
    };

    fn push(&mut self, c: char) {
        if let Some(slot) = self.chars.get_mut(self.len) {
            *slot = c;
            self.len += 1;
        }
    }

    /// The characters pushed so far.
    fn as_slice(&self) -> &[char] {
        self.chars.get(..self.len).unwrap_or_default()
    }
}

/// Lowercase NFKD twice, then NFC: the mapping of every mapped character but the listed ones.
fn derived(c: char, out: &mut Buf) {
    let mut once = Buf::EMPTY;
    decompose_compatible(c, |d| d.to_lowercase().for_each(|l| once.push(l)));
    let mut twice = Buf::EMPTY;
    for &d in once.as_slice() {
        decompose_compatible(d, |e| e.to_lowercase().for_each(|l| twice.push(l)));
    }
    for c in nfc(twice.as_slice().iter().copied()) {
        out.push(c);
    }
}

fn mapping(c: char, out: &mut Buf) {
    *out = Buf::EMPTY;
    if c.is_ascii_uppercase() {
        return out.push(c.to_ascii_lowercase());
    }
    if let Ok(i) = UTS46_EXCEPTION_CP.binary_search(&(c as u32)) {
        let start = UTS46_EXCEPTION_AT.get(i).copied().unwrap_or(0) as usize;
        let end = UTS46_EXCEPTION_AT.get(i + 1).copied().unwrap_or(0) as usize;
        for c in UTS46_EXCEPTION_STR
            .get(start..end)
            .unwrap_or_default()
            .chars()
        {
            out.push(c);
        }
        return;
    }
    derived(c, out);
}

/// The UTS #46 mapping of a character stream (the interface of `idna_mapping::Mapper`): valid
/// characters pass, mapped ones are replaced by their mapping, ignored ones are dropped (or
/// replaced by U+FFFD when `ignored_as_errors`), disallowed ones are replaced by U+FFFD.
#[derive(Clone, Debug)]
pub struct Uts46Mapper<I> {
    chars: I,
    buf: Buf,
    ignored_as_errors: bool,
}

impl<I: Iterator<Item = char>> Uts46Mapper<I> {
    /// Maps `chars`.
    pub fn new(chars: I, ignored_as_errors: bool) -> Self {
        Self {
            chars,
            buf: Buf::EMPTY,
            ignored_as_errors,
        }
    }
}

impl<I: Iterator<Item = char>> Iterator for Uts46Mapper<I> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        loop {
            if self.buf.pos < self.buf.len {
                let c = self.buf.chars.get(self.buf.pos).copied();
                self.buf.pos += 1;
                return c;
            }
            let c = self.chars.next()?;
            if matches!(c, '.' | '-' | 'a'..='z' | '0'..='9') {
                return Some(c);
            }
            match status(c) {
                Status::Valid => return Some(c),
                Status::Mapped => mapping(c, &mut self.buf),
                Status::Ignored if !self.ignored_as_errors => {}
                Status::Ignored | Status::Disallowed => return Some('\u{FFFD}'),
            }
        }
    }
}
