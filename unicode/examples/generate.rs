//! Regenerates `src/tables.rs` from `unicode-normalization` and `idna_mapping` (the references
//! this crate is tested against, code point by code point, in `tests/equivalence.rs`):
//!
//! ```text
//! cargo run -p hashscreen-unicode --example generate > unicode/src/tables.rs
//! ```
//!
//! The tables are in code point order (two-stage tries and plain arrays), which compresses several
//! times better than the reference's minimal-perfect-hash tables: that is the point of the crate.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use unicode_normalization::char::{
    canonical_combining_class, compose, decompose_canonical, decompose_compatible,
    is_combining_mark,
};
use unicode_normalization::{is_nfkc_quick, IsNormalized};

/// Code points covered by the tries; above, the only property is the marks of U+E0100..U+E01EF
/// (checked by the generator and by the tests).
const LIMIT: u32 = 0x30000;
const SHIFT: u32 = 6;
const BLOCK: usize = 1 << SHIFT;
const HANGUL: std::ops::Range<u32> = 0xAC00..0xD7A4;

/// Decompositions are indexed in blocks of 32 code points (see `main`).
const DECOMP_SHIFT: u32 = 5;

/// Splits `values` into blocks of `block`, shares equal blocks: (block index per block, blocks).
fn trie<T: Copy + Eq + std::hash::Hash>(values: &[T], block: usize) -> (Vec<usize>, Vec<T>) {
    let mut seen: HashMap<&[T], usize> = HashMap::new();
    let (mut index, mut blocks) = (Vec::new(), Vec::new());
    for chunk in values.chunks(block) {
        let next = seen.len();
        let id = *seen.entry(chunk).or_insert_with(|| {
            blocks.extend_from_slice(chunk);
            next
        });
        index.push(id);
    }
    (index, blocks)
}

fn array<T: std::fmt::Display>(out: &mut String, name: &str, ty: &str, items: &[T]) {
    writeln!(out, "pub(crate) static {name}: [{ty}; {}] = [", items.len()).unwrap();
    for line in items.chunks(16) {
        let line: Vec<String> = line.iter().map(ToString::to_string).collect();
        writeln!(out, "    {},", line.join(", ")).unwrap();
    }
    writeln!(out, "];").unwrap();
}

fn chars(c: char, f: fn(char, &mut dyn FnMut(char))) -> Vec<u32> {
    let mut v = Vec::new();
    f(c, &mut |d| v.push(d as u32));
    v
}

fn main() {
    print!("{}", generate());
}

/// The text of `src/tables.rs` (also run by `tests/tables_fresh.rs`, which compares).
pub fn generate() -> String {
    for cp in LIMIT..0x110000 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let mark = (0xE0100..=0xE01EF).contains(&cp);
        assert_eq!(is_combining_mark(c), mark, "U+{cp:04X}");
        assert_eq!(canonical_combining_class(c), 0, "U+{cp:04X}");
        assert_eq!(
            chars(c, |c, f| decompose_compatible(c, f)),
            [cp],
            "U+{cp:04X}"
        );
        assert_eq!(
            is_nfkc_quick(std::iter::once(c)),
            IsNormalized::Yes,
            "U+{cp:04X}"
        );
    }

    // Compositions, grouped by their second character.
    let mut by_second: BTreeMap<u32, Vec<(u32, u32)>> = BTreeMap::new();
    let mut decomp_index = vec![0u16; LIMIT as usize];
    let mut decomp: Vec<u32> = vec![0];
    for cp in 0..LIMIT {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        if HANGUL.contains(&cp) {
            continue; // algorithmic
        }
        let canon = chars(c, |c, f| decompose_canonical(c, f));
        let compat = chars(c, |c, f| decompose_compatible(c, f));
        if compat != [cp] {
            let canon_len = if canon != [cp] { canon.len() } else { 0 };
            let compat_len = if compat != canon { compat.len() } else { 0 };
            assert!(canon_len < 32 && compat_len < 32);
            decomp_index[cp as usize] = u16::try_from(decomp.len()).unwrap();
            decomp.push((canon_len | compat_len << 5) as u32);
            decomp.extend(&canon[..canon_len]);
            decomp.extend(&compat[..compat_len]);
        }
    }
    // Compositions: the reference composes pairs of its one-step canonical mappings, which it
    // does not expose. Every first and second character either has a canonical decomposition or
    // occurs in one, so trying those pairs finds them all.
    let mut parts: Vec<char> = Vec::new();
    for cp in 0..LIMIT {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let canon = chars(c, |c, f| decompose_canonical(c, f));
        if canon != [cp] && !HANGUL.contains(&cp) {
            parts.push(c);
            parts.extend(canon.iter().filter_map(|&d| char::from_u32(d)));
        }
    }
    parts.sort_unstable();
    parts.dedup();
    for &a in &parts {
        for &b in &parts {
            if let Some(c) = compose(a, b) {
                by_second
                    .entry(b as u32)
                    .or_default()
                    .push((a as u32, c as u32));
            }
        }
    }
    assert!(
        by_second.keys().all(|&b| b >= 0x300),
        "an ASCII second character"
    );
    // Every composition is listed (none is outside a canonical decomposition of two).
    let (mut pairs, mut starts) = (Vec::new(), vec![0usize]);
    let mut second_index: HashMap<u32, u8> = HashMap::new();
    for (i, (b, list)) in by_second.iter_mut().enumerate() {
        list.sort();
        pairs.extend(list.iter().map(|&(a, c)| format!("({a:#X}, {c:#X})")));
        starts.push(pairs.len());
        second_index.insert(*b, u8::try_from(i + 1).unwrap());
    }

    // Per code point: (combining class, flags, composition list index) through one byte.
    let mut props: Vec<(u8, u8, u8)> = vec![(0, 0, 0)];
    let mut prop_ids: HashMap<(u8, u8, u8), u8> = HashMap::from([((0, 0, 0), 0)]);
    let mut prop_index = vec![0u8; LIMIT as usize];
    for cp in 0..LIMIT {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let mut flags = 0u8;
        if is_combining_mark(c) {
            flags |= 1;
        }
        if is_nfkc_quick(std::iter::once(c)) != IsNormalized::Yes {
            flags |= 2;
        }
        let key = (
            canonical_combining_class(c),
            flags,
            second_index.get(&cp).copied().unwrap_or(0),
        );
        let next = u8::try_from(props.len()).expect("more than 256 property tuples");
        let id = *prop_ids.entry(key).or_insert_with(|| {
            props.push(key);
            next
        });
        prop_index[cp as usize] = id;
    }

    let (prop_stage1, prop_blocks) = trie(&prop_index, BLOCK);
    // Decompositions: per block of 32 code points, the index of its first entry (a base) and a
    // shared block of offsets from that base (+1; 0 for none). Offsets repeat from block to block
    // where indexes do not: 12 KB of gzipped indexes become 3 KB.
    let dblock = 1 << DECOMP_SHIFT;
    let mut decomp_base = Vec::new();
    let mut decomp_rel = vec![0u8; LIMIT as usize];
    for (b, chunk) in decomp_index.chunks(dblock).enumerate() {
        let base = chunk.iter().copied().filter(|&x| x != 0).min().unwrap_or(0);
        decomp_base.push(base);
        for (k, &x) in chunk.iter().enumerate() {
            if x != 0 {
                decomp_rel[b * dblock + k] = u8::try_from(x - base + 1).unwrap();
            }
        }
    }
    let (decomp_stage1, decomp_blocks) = trie(&decomp_rel, dblock);
    let mut out = String::new();
    writeln!(
        out,
        "// @generated by `cargo run -p hashscreen-unicode --example generate` from \
         unicode-normalization 0.1.24\n// and idna_mapping 1.1.0 (Unicode {}.{}.{}). Do not edit.\n",
        unicode_normalization::UNICODE_VERSION.0,
        unicode_normalization::UNICODE_VERSION.1,
        unicode_normalization::UNICODE_VERSION.2
    )
    .unwrap();
    writeln!(out, "pub(crate) const LIMIT: u32 = {LIMIT:#X};").unwrap();
    writeln!(out, "pub(crate) const SHIFT: u32 = {SHIFT};").unwrap();
    let u8s = |v: &[usize]| -> Vec<u8> { v.iter().map(|&x| u8::try_from(x).unwrap()).collect() };
    array(&mut out, "PROP_STAGE1", "u8", &u8s(&prop_stage1));
    array(&mut out, "PROP_BLOCKS", "u8", &prop_blocks);
    let props: Vec<String> = props
        .iter()
        .map(|(a, b, c)| format!("({a}, {b}, {c})"))
        .collect();
    array(&mut out, "PROPS", "(u8, u8, u8)", &props);
    writeln!(out, "pub(crate) const DECOMP_SHIFT: u32 = {DECOMP_SHIFT};").unwrap();
    array(&mut out, "DECOMP_STAGE1", "u8", &u8s(&decomp_stage1));
    array(&mut out, "DECOMP_BASE", "u16", &decomp_base);
    array(&mut out, "DECOMP_BLOCKS", "u8", &decomp_blocks);
    let hex: Vec<String> = decomp.iter().map(|x| format!("{x:#X}")).collect();
    array(&mut out, "DECOMP", "u32", &hex);
    array(&mut out, "COMPOSE_START", "u16", &starts);
    array(&mut out, "COMPOSE", "(u32, u32)", &pairs);
    uts46(&mut out);
    bidi(&mut out);
    out
}

/// The UTS #46 mapping as `idna_mapping` 1.1.0 applies it, per code point.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Status {
    Valid = 0,
    Mapped = 1,
    Ignored = 2,
    Disallowed = 3,
}

fn uts46_of(c: char) -> (Status, String) {
    let mapped: String = idna_mapping::Mapper::new(std::iter::once(c), false).collect();
    let status = if mapped.is_empty() {
        Status::Ignored
    } else if mapped == c.to_string() {
        Status::Valid
    } else if mapped == "\u{FFFD}" {
        Status::Disallowed
    } else {
        Status::Mapped
    };
    (status, mapped)
}

/// The mapping `hashscreen_unicode::uts46` derives (keep in step with `derived` there).
fn derived(c: char) -> String {
    use unicode_normalization::UnicodeNormalization;
    let once: String = c.to_string().nfkd().flat_map(char::to_lowercase).collect();
    let twice: String = once.nfkd().flat_map(char::to_lowercase).collect();
    twice.nfc().collect()
}

fn uts46(out: &mut String) {
    let statuses: Vec<Status> = (0..0x110000u32)
        .map(|cp| char::from_u32(cp).map_or(Status::Disallowed, |c| uts46_of(c).0))
        .collect();
    // The trie covers everything below the first code point from which on the statuses form a
    // few long runs (the planes of tags, variation selectors and private use).
    let last_allowed = (0..0xE0000u32)
        .rev()
        .find(|&cp| statuses[cp as usize] != Status::Disallowed)
        .unwrap();
    let limit = (last_allowed + 1).next_multiple_of(BLOCK as u32);
    let below: Vec<u8> = statuses[..limit as usize]
        .chunks(4)
        .map(|q| {
            q.iter()
                .enumerate()
                .fold(0u8, |acc, (i, &s)| acc | (s as u8) << (2 * i))
        })
        .collect();
    // Blocks of 64 code points = 16 bytes.
    let mut seen: HashMap<&[u8], usize> = HashMap::new();
    let (mut stage1, mut blocks) = (Vec::new(), Vec::new());
    for chunk in below.chunks(BLOCK / 4) {
        let next = seen.len();
        let id = *seen.entry(chunk).or_insert_with(|| {
            blocks.extend_from_slice(chunk);
            next
        });
        stage1.push(u16::try_from(id).unwrap());
    }
    let mut high: Vec<String> = Vec::new();
    let mut last = None;
    for cp in limit..0x110000 {
        let s = statuses[cp as usize];
        if last != Some(s) {
            high.push(format!("({cp:#X}, {})", s as u8));
            last = Some(s);
        }
    }
    let (mut ex_cp, mut ex_at, mut ex_str) = (Vec::new(), vec![0usize], String::new());
    for cp in 0..0x110000u32 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let (status, mapped) = uts46_of(c);
        if status == Status::Mapped {
            assert!(mapped.chars().count() <= 18, "U+{cp:04X}");
            if mapped != derived(c) {
                ex_cp.push(format!("{cp:#X}"));
                ex_str.push_str(&mapped);
                ex_at.push(ex_str.len());
            }
        }
    }
    writeln!(out, "\npub(crate) const UTS46_LIMIT: u32 = {limit:#X};").unwrap();
    array(out, "UTS46_STAGE1", "u16", &stage1);
    array(out, "UTS46_BLOCKS", "u8", &blocks);
    array(out, "UTS46_HIGH", "(u32, u8)", &high);
    array(out, "UTS46_EXCEPTION_CP", "u32", &ex_cp);
    array(out, "UTS46_EXCEPTION_AT", "u16", &ex_at);
    writeln!(
        out,
        "pub(crate) static UTS46_EXCEPTION_STR: &str = {ex_str:?};"
    )
    .unwrap();
}

/// Bidi_Class as `unicode-bidi` 0.3.18 has it: the start of every run of one class, and its class.
fn bidi(out: &mut String) {
    let (mut starts, mut classes) = (Vec::new(), Vec::new());
    let mut last = None;
    for cp in 0..0x110000u32 {
        let Some(class) = char::from_u32(cp).map(unicode_bidi::bidi_class) else {
            continue; // surrogates
        };
        if last != Some(class) {
            starts.push(format!("{cp:#X}"));
            classes.push(format!("{class:?}"));
            last = Some(class);
        }
    }
    array(out, "BIDI_START", "u32", &starts);
    writeln!(out, "use crate::BidiClass::*;").unwrap();
    array(out, "BIDI_CLASS", "crate::BidiClass", &classes);
}
