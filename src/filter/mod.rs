//! The blocklist filter: a blocked Bloom filter whose bit positions come straight from keyed digests.
//!
//! Layout: the filter is an array of 512-bit blocks (one 64-byte cache line each). Every key sets
//! `bits_per_block` bits in each of `blocks_per_key` blocks. With one block per key a probe costs one
//! memory access; with two, an absent key is almost always rejected by its first block, so absent
//! probes still cost about one access while the filter needs fewer bits per key. The bench
//! (`benches/filter.rs`, `BENCHMARKS.md`) measured the trade and chose the default.
//!
//! Bit positions (specified in `FORMAT.md`): for block number `j` (`0 <= j < blocks_per_key <= 4`),
//! - block index `b = (w32[j] * block_count) >> 32`, with `w32[j]` the `j`-th little-endian `u32`
//!   of the digest (a multiply-shift range reduction);
//! - `h = w64[2 + j]` for `j < 2` (the little-endian `u64` words of digest bytes 16..32), and
//!   `h = splitmix64_finalise(w64[j])` for `j >= 2`;
//! - bit `i` (`0 <= i < bits_per_block`) is bit `(h * SALTS[i]) >> 55` of block `b` (wrapping
//!   64-bit product; `SALTS` are fixed odd constants), where bit `p` of a block is bit `p mod 8` of
//!   its byte `p / 8`.
//!
//! Positions are independent and uniform, as the false-positive model assumes (a unit test measures
//! the rate against the model).

mod bloom;

pub(crate) use bloom::mix64;
pub use bloom::{BloomFilter, FilterParams, FilterRef, BLOCK_BYTES, MAX_BLOCKS};
