//! Blocked Bloom filter: parameters, sizing, probing and insertion.

use crate::digest::Digest;
use crate::Error;

/// Bytes per block (one cache line).
pub const BLOCK_BYTES: usize = 64;
const BLOCK_BITS: u32 = 512;

/// Largest number of blocks a filter may have (2^26 blocks = 4 GiB of bits). Sizing and loading
/// reject anything larger.
pub const MAX_BLOCKS: u32 = 1 << 26;

/// Mean keys per block above which the false-positive model reports 1 (a useless filter).
const MAX_MEAN_LOAD: f64 = 4096.0;

/// The shape of a filter: how many blocks, and how many bits a key sets in how many blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FilterParams {
    /// Number of 512-bit blocks, `1..=MAX_BLOCKS`.
    pub block_count: u32,
    /// Blocks each key touches, `1..=4`.
    pub blocks_per_key: u8,
    /// Bits each key sets in each of its blocks, `1..=32`.
    pub bits_per_block: u8,
}

impl FilterParams {
    /// Checks the ranges documented on the fields.
    pub fn validate(&self) -> Result<(), Error> {
        if self.block_count == 0 || self.block_count > MAX_BLOCKS {
            return Err(Error::InvalidParameters {
                what: "block count out of range",
            });
        }
        if !(1..=4).contains(&self.blocks_per_key) {
            return Err(Error::InvalidParameters {
                what: "blocks per key out of range 1..=4",
            });
        }
        if !(1..=32).contains(&self.bits_per_block) {
            return Err(Error::InvalidParameters {
                what: "bits per block out of range 1..=32",
            });
        }
        Ok(())
    }

    /// Size of the filter's bits in bytes.
    pub fn byte_len(&self) -> usize {
        self.block_count as usize * BLOCK_BYTES
    }

    /// The smallest filter with `blocks_per_key` blocks per key that holds `capacity` keys at a
    /// false-positive rate of at most `fpr` (by the model in [`FilterParams::expected_fpr`]).
    ///
    /// ```
    /// use hashscreen::filter::FilterParams;
    /// let p = FilterParams::for_capacity(1_000_000, 1e-4, 2)?;
    /// assert!(p.expected_fpr(1_000_000) <= 1e-4);
    /// let bits_per_key = p.byte_len() as f64 * 8.0 / 1e6;
    /// assert!(bits_per_key < 1.55 * (1e4f64).log2());
    /// # Ok::<(), hashscreen::Error>(())
    /// ```
    pub fn for_capacity(
        capacity: u64,
        fpr: f64,
        blocks_per_key: u8,
    ) -> Result<FilterParams, Error> {
        if !(fpr > 1e-15 && fpr < 0.5) {
            return Err(Error::InvalidParameters {
                what: "false-positive rate must be in (1e-15, 0.5)",
            });
        }
        if !(1..=4).contains(&blocks_per_key) {
            return Err(Error::InvalidParameters {
                what: "blocks per key out of range 1..=4",
            });
        }
        let capacity = capacity.max(1);
        let best_for = |block_count: u32| -> (f64, u8) {
            (1..=32u8)
                .map(|k| {
                    let p = FilterParams {
                        block_count,
                        blocks_per_key,
                        bits_per_block: k,
                    };
                    (p.expected_fpr(capacity), k)
                })
                .fold((f64::INFINITY, 1), |a, b| if b.0 < a.0 { b } else { a })
        };
        // Exponential then binary search on the block count.
        let mut hi: u64 = 1;
        while best_for(hi as u32).0 > fpr {
            hi *= 2;
            if hi > u64::from(MAX_BLOCKS) {
                return Err(Error::InvalidParameters {
                    what: "capacity too large for the maximum filter size",
                });
            }
        }
        let mut lo = hi / 2; // fails (or 0)
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if best_for(mid as u32).0 <= fpr {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        let block_count = hi as u32;
        let (_, bits_per_block) = best_for(block_count);
        Ok(FilterParams {
            block_count,
            blocks_per_key,
            bits_per_block,
        })
    }

    /// The false-positive rate this filter is expected to have with `entries` keys: the load of a
    /// block is Poisson, a block with `i` keys has each bit set with probability
    /// `1 - (1 - 1/512)^(k i)`, and a probe must find all `k` bits set in each of its blocks.
    pub fn expected_fpr(&self, entries: u64) -> f64 {
        let g = f64::from(self.blocks_per_key);
        let k = f64::from(self.bits_per_block);
        let lambda = g * entries as f64 / f64::from(self.block_count.max(1));
        if lambda > MAX_MEAN_LOAD {
            // Blocks this full answer "present" to almost everything; the model is not worth summing.
            return 1.0;
        }
        let miss = 1.0 - 1.0 / f64::from(BLOCK_BITS);
        // Sum the Poisson terms around the mean; the tails beyond 12 standard deviations are negligible.
        let spread = 12.0 * lambda.sqrt() + 30.0;
        let lo = (lambda - spread).max(0.0) as u64;
        let hi = (lambda + spread) as u64;
        let mut total = 0.0;
        for i in lo..=hi {
            let x = i as f64;
            let log_p = -lambda + x * lambda.max(f64::MIN_POSITIVE).ln() - ln_factorial(x);
            let fill = 1.0 - miss.powf(k * x);
            total += log_p.exp() * fill.powf(k);
        }
        total.min(1.0).powf(g)
    }
}

/// ln(x!) by Stirling's series (exact enough for the model: relative error < 1e-10 for x >= 10).
fn ln_factorial(x: f64) -> f64 {
    if x < 10.0 {
        let mut acc = 0.0;
        let mut i = 2.0;
        while i <= x {
            acc += f64::ln(i);
            i += 1.0;
        }
        return acc;
    }
    let x1 = x + 1.0;
    (x1 - 0.5) * x1.ln() - x1 + 0.5 * (2.0 * std::f64::consts::PI).ln() + 1.0 / (12.0 * x1)
        - 1.0 / (360.0 * x1.powi(3))
}

/// Multipliers of the in-block bit positions: the first 32 outputs of SplitMix64 seeded with 0, each
/// with its lowest bit set (odd, so multiplication permutes `u64`).
pub(crate) const SALTS: [u64; 32] = [
    0xe220a8397b1dcdaf,
    0x6e789e6aa1b965f5,
    0x06c45d188009454f,
    0xf88bb8a8724c81ed,
    0x1b39896a51a8749b,
    0x53cb9f0c747ea2eb,
    0x2c829abe1f4532e1,
    0xc584133ac916ab3d,
    0x3ee5789041c98ac3,
    0xf3b8488c368cb0a7,
    0x657eecdd3cb13d09,
    0xc2d326e0055bdef7,
    0x8621a03fe0bbdb7b,
    0x8e1f7555983aa92f,
    0xb54e0f1600cc4d19,
    0x84bb3f97971d80ab,
    0x7d29825c75521255,
    0xc3cf17102b7f7f87,
    0x3466e9a083914f65,
    0xd81a8d2b5a4485ad,
    0xdb01602b100b9ed7,
    0xa9038a921825f10d,
    0xedf5f1d90dca2f6b,
    0x54496ad67bd2634d,
    0xdd7c01d4f5407269,
    0x935e82f1db4c4f7b,
    0x69b82ebc92233301,
    0x40d29eb57de1d511,
    0xa2f09dabb45c6317,
    0xee521d7a0f4d3873,
    0xf16952ee72f3454f,
    0x377d35dea8e40225,
];

#[inline(always)]
fn u32_word(d: &[u8; 32], i: usize) -> u32 {
    u32::from_le_bytes([d[4 * i], d[4 * i + 1], d[4 * i + 2], d[4 * i + 3]])
}

#[inline(always)]
fn u64_word(d: &[u8; 32], i: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[8 * i..8 * i + 8]);
    u64::from_le_bytes(b)
}

/// The SplitMix64 finaliser.
#[inline(always)]
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The block index of a key's `j`-th block and the 64-bit value its bit positions derive from.
#[inline(always)]
fn block_and_hash(d: &[u8; 32], p: &FilterParams, j: usize) -> (usize, u64) {
    let block = ((u64::from(u32_word(d, j)) * u64::from(p.block_count)) >> 32) as usize;
    let h = if j < 2 {
        u64_word(d, 2 + j)
    } else {
        mix64(u64_word(d, j))
    };
    (block, h)
}

/// The bit positions (0..512) a key sets in a block, from its block hash `h`.
#[inline(always)]
fn positions(h: u64, bits_per_block: u8) -> impl Iterator<Item = u64> {
    SALTS[..usize::from(bits_per_block).min(SALTS.len())]
        .iter()
        .map(move |salt| h.wrapping_mul(*salt) >> 55)
}

/// True if every position of `h` is set in `block` (64 bytes). Tests each bit where it lies, with
/// one branch per block: building word masks first measured 5-9x slower (`BENCHMARKS.md`).
#[inline(always)]
fn block_has(block: &[u8], h: u64, bits_per_block: u8) -> bool {
    let mut all = 1u64;
    for pos in positions(h, bits_per_block) {
        let i = (pos >> 6) as usize * 8;
        let word = block
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map_or(0, u64::from_le_bytes);
        all &= word >> (pos & 63);
    }
    all & 1 == 1
}

/// A read-only view of a filter's bits (for example inside a loaded blocklist file, without copying).
#[derive(Clone, Copy, Debug)]
pub struct FilterRef<'a> {
    params: FilterParams,
    bits: &'a [u8],
}

impl<'a> FilterRef<'a> {
    /// A view of `bits` with `params`; `bits` must be exactly `params.byte_len()` long.
    pub fn new(params: FilterParams, bits: &'a [u8]) -> Result<FilterRef<'a>, Error> {
        params.validate()?;
        if bits.len() != params.byte_len() {
            return Err(Error::InvalidParameters {
                what: "filter byte length does not match its block count",
            });
        }
        Ok(FilterRef { params, bits })
    }

    /// The filter's parameters.
    pub fn params(&self) -> FilterParams {
        self.params
    }

    /// The filter's bits.
    pub fn bits(&self) -> &'a [u8] {
        self.bits
    }

    /// True if `digest` may be in the set (false positives at the filter's rate), false if it is not.
    #[inline]
    pub fn contains(&self, digest: &Digest) -> bool {
        let d = digest.as_bytes();
        for j in 0..usize::from(self.params.blocks_per_key) {
            let (b, h) = block_and_hash(d, &self.params, j);
            let Some(block) = self.bits.get(b * BLOCK_BYTES..(b + 1) * BLOCK_BYTES) else {
                return false; // unreachable: b < block_count by construction
            };
            if !block_has(block, h, self.params.bits_per_block) {
                return false;
            }
        }
        true
    }

    /// The index of the first of `digests` that may be in the set, or `None`: the same answers as
    /// [`FilterRef::contains`] on each in turn, faster for a batch in a filter larger than the CPU
    /// caches. It first reads one byte of each digest's first block (independent loads the CPU
    /// overlaps, where a probe at a time waits for one cache miss after another), then probes.
    ///
    /// ```
    /// use hashscreen::filter::{BloomFilter, FilterParams};
    /// use hashscreen::Digest;
    /// let mut f = BloomFilter::new(FilterParams::for_capacity(100, 1e-6, 2)?);
    /// f.insert(&Digest([7; 32]));
    /// let batch = [Digest([1; 32]), Digest([7; 32]), Digest([9; 32])];
    /// assert_eq!(f.as_ref().first_match(&batch), Some(1));
    /// assert_eq!(f.as_ref().first_match(&batch[2..]), None);
    /// # Ok::<(), hashscreen::Error>(())
    /// ```
    #[inline]
    pub fn first_match(&self, digests: &[Digest]) -> Option<usize> {
        let mut touched = 0u8;
        for d in digests {
            let (b, _) = block_and_hash(d.as_bytes(), &self.params, 0);
            touched ^= self.bits.get(b * BLOCK_BYTES).copied().unwrap_or(0);
        }
        // Keeps the loads above; the value itself is meaningless.
        std::hint::black_box(touched);
        digests.iter().position(|d| self.contains(d))
    }

    /// Fraction of bits set (for inspection and fill-based estimates).
    pub fn fill_ratio(&self) -> f64 {
        let ones: u64 = self.bits.iter().map(|b| u64::from(b.count_ones())).sum();
        ones as f64 / (self.bits.len() as f64 * 8.0)
    }
}

/// An owned, growable-by-insertion filter, used to build blocklists.
///
/// ```
/// use hashscreen::filter::{BloomFilter, FilterParams};
/// use hashscreen::Digest;
/// let mut f = BloomFilter::new(FilterParams::for_capacity(100, 1e-6, 2)?);
/// f.insert(&Digest([9; 32]));
/// assert!(f.as_ref().contains(&Digest([9; 32])));
/// # Ok::<(), hashscreen::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BloomFilter {
    params: FilterParams,
    bits: Vec<u8>,
}

impl BloomFilter {
    /// An empty filter. Panics never: `params` out of the documented ranges are clamped into them
    /// (at most [`MAX_BLOCKS`] blocks, 4 GiB); use [`BloomFilter::try_new`] to get an error instead.
    pub fn new(params: FilterParams) -> BloomFilter {
        // Clamped so that no caller-chosen shape can abort on allocation (u32::MAX blocks) or
        // panic on the first insert (0 blocks).
        let params = FilterParams {
            block_count: params.block_count.clamp(1, MAX_BLOCKS),
            blocks_per_key: params.blocks_per_key.clamp(1, 4),
            bits_per_block: params.bits_per_block.clamp(1, 32),
        };
        let bits = vec![0u8; params.byte_len()];
        BloomFilter { params, bits }
    }

    /// An empty filter, validating `params`.
    pub fn try_new(params: FilterParams) -> Result<BloomFilter, Error> {
        params.validate()?;
        Ok(BloomFilter::new(params))
    }

    /// A filter from existing bits (for example a base list being extended).
    pub fn from_bits(params: FilterParams, bits: Vec<u8>) -> Result<BloomFilter, Error> {
        FilterRef::new(params, &bits)?;
        Ok(BloomFilter { params, bits })
    }

    /// Adds a digest.
    #[inline]
    pub fn insert(&mut self, digest: &Digest) {
        let d = digest.as_bytes();
        for j in 0..usize::from(self.params.blocks_per_key) {
            let (b, h) = block_and_hash(d, &self.params, j);
            if let Some(block) = self.bits.get_mut(b * BLOCK_BYTES..(b + 1) * BLOCK_BYTES) {
                for pos in positions(h, self.params.bits_per_block) {
                    if let Some(byte) = block.get_mut((pos >> 3) as usize) {
                        *byte |= 1 << (pos & 7);
                    }
                }
            }
        }
    }

    /// A read-only view.
    pub fn as_ref(&self) -> FilterRef<'_> {
        FilterRef {
            params: self.params,
            bits: &self.bits,
        }
    }

    /// The parameters.
    pub fn params(&self) -> FilterParams {
        self.params
    }

    /// The bits.
    pub fn bits(&self) -> &[u8] {
        &self.bits
    }

    /// The bits, consuming the filter.
    pub fn into_bits(self) -> Vec<u8> {
        self.bits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn digest_of(i: u64) -> Digest {
        Digest(*blake3::hash(&i.to_le_bytes()).as_bytes())
    }

    proptest! {
        #[test]
        fn no_false_negatives(keys in proptest::collection::vec(any::<[u8; 32]>(), 1..300), g in 1u8..=4) {
            let params = FilterParams::for_capacity(keys.len() as u64, 1e-4, g).unwrap();
            let mut f = BloomFilter::new(params);
            for k in &keys { f.insert(&Digest(*k)); }
            for k in &keys { prop_assert!(f.as_ref().contains(&Digest(*k))); }
        }
    }

    #[test]
    fn measured_fpr_matches_model() {
        for (g, target) in [(1u8, 1e-3), (2, 1e-3), (3, 1e-3)] {
            let n = 20_000u64;
            let params = FilterParams::for_capacity(n, target, g).unwrap();
            let mut f = BloomFilter::new(params);
            for i in 0..n {
                f.insert(&digest_of(i));
            }
            let trials = 400_000u64;
            let hits = (n..n + trials)
                .filter(|i| f.as_ref().contains(&digest_of(*i)))
                .count();
            let rate = hits as f64 / trials as f64;
            let model = params.expected_fpr(n);
            assert!(model <= target, "model {model} above target {target}");
            // Binomial noise at ~400 expected hits is ~5%; allow 25%.
            assert!(
                (rate - model).abs() < 0.25 * model + 1e-5,
                "g={g}: measured {rate}, model {model}"
            );
        }
    }

    #[test]
    fn sizing_rejects_nonsense() {
        assert!(FilterParams::for_capacity(10, 0.0, 2).is_err());
        assert!(FilterParams::for_capacity(10, f64::NAN, 2).is_err());
        assert!(FilterParams::for_capacity(10, 1e-3, 5).is_err());
        assert!(FilterParams::for_capacity(u64::MAX / 2, 1e-9, 2).is_err());
    }

    #[test]
    fn first_match_agrees_with_contains() {
        let mut f = BloomFilter::new(FilterParams::for_capacity(1000, 1e-2, 2).unwrap());
        for i in 0..1000 {
            f.insert(&digest_of(i));
        }
        // Members and non-members interleaved, in batches of every size up to 17.
        let probes: Vec<Digest> = (0..400).map(|i| digest_of(700 + 3 * i)).collect();
        for n in 0..=17 {
            for batch in probes.chunks(n.max(1)).take(40) {
                let batch = &batch[..n.min(batch.len())];
                let want = batch.iter().position(|d| f.as_ref().contains(d));
                assert_eq!(f.as_ref().first_match(batch), want);
            }
        }
    }

    #[test]
    fn positions_cover_the_block_evenly() {
        let p = FilterParams {
            block_count: 1,
            blocks_per_key: 1,
            bits_per_block: 8,
        };
        let mut counts = [0u32; 512];
        for i in 0..20_000 {
            let (_, h) = block_and_hash(digest_of(i).as_bytes(), &p, 0);
            for pos in positions(h, 8) {
                counts[pos as usize] += 1;
            }
        }
        // ~312 per position; a stuck or skewed position would be far off.
        assert!(
            counts.iter().all(|&c| (200..450).contains(&c)),
            "{counts:?}"
        );
    }

    /// The layout of FORMAT.md, written out slowly: every inserted key's bits are where the spec says.
    #[test]
    fn layout_matches_the_specification() {
        let p = FilterParams {
            block_count: 1000,
            blocks_per_key: 3,
            bits_per_block: 9,
        };
        let mut f = BloomFilter::new(p);
        let d = digest_of(42);
        f.insert(&d);
        let bytes = d.as_bytes();
        let mut expected = vec![0u8; p.byte_len()];
        for j in 0..3 {
            let w32 = u32::from_le_bytes(bytes[4 * j..4 * j + 4].try_into().unwrap());
            let b = (u64::from(w32) * 1000) >> 32;
            let w64 = |i: usize| u64::from_le_bytes(bytes[8 * i..8 * i + 8].try_into().unwrap());
            let h = if j < 2 { w64(2 + j) } else { mix64(w64(j)) };
            for salt in &SALTS[..9] {
                let pos = h.wrapping_mul(*salt) >> 55;
                expected[b as usize * 64 + (pos / 8) as usize] |= 1 << (pos % 8);
            }
        }
        assert_eq!(f.bits(), &expected[..]);
        assert!(f.as_ref().contains(&d));
    }
}
