//! The parquet split-block Bloom filter (SBBF), as specified in
//! <https://github.com/apache/parquet-format/blob/master/BloomFilter.md>: 256-bit blocks of eight
//! `u32` words; a key sets one bit in each word of one block.
//!
//! Differences from parquet, both in its favour here: the 64-bit hash is taken straight from the
//! digest (parquet hashes values with xxHash64), and the block count is the smallest that meets the
//! target by the model below, instead of parquet's formula rounded up to a power of two.

/// The eight odd salts of the parquet specification.
const SALT: [u32; 8] = [
    0x47b6_137b,
    0x4497_4d91,
    0x8824_ad5b,
    0xa2b7_289d,
    0x7054_95c7,
    0x2df1_424b,
    0x9efc_4947,
    0x5c6b_fb31,
];

/// A split-block Bloom filter over pre-hashed `u64` keys.
pub struct Sbbf {
    blocks: Vec<[u32; 8]>,
}

impl Sbbf {
    /// The smallest filter whose expected false-positive rate with `n` keys is at most `fpr`.
    pub fn for_capacity(n: u64, fpr: f64) -> Sbbf {
        let fits = |blocks: u64| expected_fpr(n, blocks) <= fpr;
        let mut hi = 1u64;
        while !fits(hi) {
            hi *= 2;
        }
        let mut lo = hi / 2;
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if fits(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Sbbf {
            blocks: vec![[0; 8]; hi as usize],
        }
    }

    /// Size of the filter in bits.
    pub fn bits(&self) -> u64 {
        self.blocks.len() as u64 * 256
    }

    #[inline(always)]
    fn locate(&self, hash: u64) -> (usize, [u32; 8]) {
        // Block from the high 32 bits (multiply-shift range reduction), bits from the low 32.
        let block = (((hash >> 32) * self.blocks.len() as u64) >> 32) as usize;
        let key = hash as u32;
        let mut mask = [0u32; 8];
        for (m, salt) in mask.iter_mut().zip(SALT) {
            *m = 1 << (key.wrapping_mul(salt) >> 27);
        }
        (block, mask)
    }

    /// Adds a pre-hashed key.
    #[inline]
    pub fn insert(&mut self, hash: u64) {
        let (b, mask) = self.locate(hash);
        for (w, m) in self.blocks[b].iter_mut().zip(mask) {
            *w |= m;
        }
    }

    /// True if the pre-hashed key may be present.
    #[inline]
    pub fn contains(&self, hash: u64) -> bool {
        let (b, mask) = self.locate(hash);
        let block = &self.blocks[b];
        let mut missing = 0;
        for (w, m) in block.iter().zip(mask) {
            missing |= m & !w;
        }
        missing == 0
    }
}

/// Expected false-positive rate with `n` keys in `blocks` blocks: the load of a block is Poisson
/// with mean `n / blocks`; in a block with `i` keys each word has a given bit set with probability
/// `1 - (31/32)^i`, and a probe must find its bit set in all eight words.
pub fn expected_fpr(n: u64, blocks: u64) -> f64 {
    let lambda = n as f64 / blocks as f64;
    if lambda > 600.0 {
        return 1.0;
    }
    let hi = (lambda + 12.0 * lambda.sqrt() + 30.0) as u64;
    let mut p = (-lambda).exp(); // Poisson(0)
    let mut total = 0.0;
    for i in 0..=hi {
        if i > 0 {
            p *= lambda / i as f64;
        }
        total += p * (1.0 - (31.0f64 / 32.0).powi(i as i32)).powi(8);
    }
    total
}
