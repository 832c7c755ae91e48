//! Alternative probe code for hashscreen's filter, over the same bytes and the same bit layout
//! (`FORMAT.md`, "Filter"), to find where a probe's time goes. The bench checks that every variant
//! answers exactly as `FilterRef::contains` on all its probe keys before timing it.

use hashscreen::filter::FilterParams;

/// `SALTS` of `src/filter/bloom.rs`: the first 32 outputs of SplitMix64 seeded with 0, lowest bit set.
const SALTS: [u64; 32] = {
    let mut out = [0u64; 32];
    let mut state = 0u64;
    let mut i = 0;
    while i < 32 {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        out[i] = mix64(state) | 1;
        i += 1;
    }
    out
};

const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[inline(always)]
fn word32(d: &[u8; 32], i: usize) -> u32 {
    u32::from_le_bytes([d[4 * i], d[4 * i + 1], d[4 * i + 2], d[4 * i + 3]])
}

#[inline(always)]
fn word64(d: &[u8; 32], i: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[8 * i..8 * i + 8]);
    u64::from_le_bytes(b)
}

/// Block index and in-block hash of the `j`-th block of a key (as `FORMAT.md` specifies).
#[inline(always)]
fn locate(d: &[u8; 32], block_count: u32, j: usize) -> (usize, u64) {
    let b = ((u64::from(word32(d, j)) * u64::from(block_count)) >> 32) as usize;
    let h = if j < 2 {
        word64(d, 2 + j)
    } else {
        mix64(word64(d, j))
    };
    (b, h)
}

#[inline(always)]
fn block(bits: &[u8], b: usize) -> &[u8; 64] {
    bits[b * 64..b * 64 + 64]
        .try_into()
        .unwrap_or_else(|_| unreachable!())
}

#[inline(always)]
fn load64(block: &[u8; 64], w: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&block[8 * w..8 * w + 8]);
    u64::from_le_bytes(b)
}

/// Variant "bittest": test each bit where it lies, one `u64` load per bit, no branch inside a
/// block (the bits are ANDed; one test per block).
#[inline(always)]
pub fn contains_bittest(p: &FilterParams, bits: &[u8], d: &[u8; 32]) -> bool {
    let k = usize::from(p.bits_per_block);
    for j in 0..usize::from(p.blocks_per_key) {
        let (b, h) = locate(d, p.block_count, j);
        let blk = block(bits, b);
        let mut all = 1u64;
        for salt in &SALTS[..k] {
            let pos = h.wrapping_mul(*salt) >> 55;
            all &= load64(blk, (pos >> 6) as usize) >> (pos & 63);
        }
        if all & 1 == 0 {
            return false;
        }
    }
    true
}

/// The same with `k` and `g` known at compile time (fully unrolled), as a `match` on the
/// filter's parameters would dispatch to.
#[inline(always)]
pub fn contains_bittest_const<const G: usize, const K: usize>(
    block_count: u32,
    bits: &[u8],
    d: &[u8; 32],
) -> bool {
    for j in 0..G {
        let (b, h) = locate(d, block_count, j);
        let blk = block(bits, b);
        let mut all = 1u64;
        for salt in &SALTS[..K] {
            let pos = h.wrapping_mul(*salt) >> 55;
            all &= load64(blk, (pos >> 6) as usize) >> (pos & 63);
        }
        if all & 1 == 0 {
            return false;
        }
    }
    true
}

/// Variant "all-blocks": like "bittest" but without the early exit between blocks: every block is
/// tested and one branch decides (for `g > 1`, trades the absent-key shortcut for no mispredicted
/// branch).
#[inline(always)]
pub fn contains_bittest_nobranch(p: &FilterParams, bits: &[u8], d: &[u8; 32]) -> bool {
    let k = usize::from(p.bits_per_block);
    let mut all = 1u64;
    for j in 0..usize::from(p.blocks_per_key) {
        let (b, h) = locate(d, p.block_count, j);
        let blk = block(bits, b);
        for salt in &SALTS[..k] {
            let pos = h.wrapping_mul(*salt) >> 55;
            all &= load64(blk, (pos >> 6) as usize) >> (pos & 63);
        }
    }
    all & 1 == 1
}

/// Variant "hash-only": the position arithmetic of a probe without reading the filter (an XOR of
/// the positions), to separate compute from memory time.
#[inline(always)]
pub fn positions_only(p: &FilterParams, d: &[u8; 32]) -> bool {
    let k = usize::from(p.bits_per_block);
    let mut acc = 0u64;
    for j in 0..usize::from(p.blocks_per_key) {
        let (b, h) = locate(d, p.block_count, j);
        acc ^= b as u64;
        for salt in &SALTS[..k] {
            acc ^= h.wrapping_mul(*salt) >> 55;
        }
    }
    acc & 1 == 1
}

/// Variant "memory-only": one load per block (the first word of each of the key's blocks), no bit
/// positions: the floor a probe of `g` random cache lines costs.
#[inline(always)]
pub fn memory_only(p: &FilterParams, bits: &[u8], d: &[u8; 32]) -> bool {
    let mut acc = 0u64;
    for j in 0..usize::from(p.blocks_per_key) {
        let (b, _) = locate(d, p.block_count, j);
        acc |= load64(block(bits, b), 0);
    }
    acc & 1 == 1
}

/// Insertion that sets each bit where it lies (one byte read-modify-write per bit), instead of
/// collecting the bits in a stack array of eight masks first. Same bits as `BloomFilter::insert`.
#[inline(always)]
pub fn insert_direct(p: &FilterParams, bits: &mut [u8], d: &[u8; 32]) {
    let k = usize::from(p.bits_per_block);
    for j in 0..usize::from(p.blocks_per_key) {
        let (b, h) = locate(d, p.block_count, j);
        let blk = &mut bits[b * 64..b * 64 + 64];
        for salt in &SALTS[..k] {
            let pos = (h.wrapping_mul(*salt) >> 55) as usize;
            blk[pos >> 3] |= 1 << (pos & 7);
        }
    }
}

/// Variant "batch": probes `N` keys at once in two passes. Pass 1 computes every key's first block
/// and reads one word of it (a plain load standing in for a prefetch, so that the `N` cache misses
/// are in flight together); pass 2 tests the bits as "bittest" does, mostly from L1.
#[inline(always)]
pub fn contains_batch<const N: usize>(
    p: &FilterParams,
    bits: &[u8],
    keys: &[[u8; 32]; N],
    out: &mut [bool; N],
) -> u64 {
    let mut touched = 0u64;
    for d in keys {
        let (b, _) = locate(d, p.block_count, 0);
        touched |= u64::from(bits[b * 64]);
        if p.blocks_per_key > 1 {
            let (b, _) = locate(d, p.block_count, 1);
            touched |= u64::from(bits[b * 64]);
        }
    }
    for (d, o) in keys.iter().zip(out.iter_mut()) {
        *o = contains_bittest(p, bits, d);
    }
    touched
}
