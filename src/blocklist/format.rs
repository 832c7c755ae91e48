//! Constants of the blocklist file format, version 1 (see `FORMAT.md`).

/// First 8 bytes of every blocklist and delta file.
pub const MAGIC: [u8; 8] = *b"HSBLIST\x1a";
/// The format version this library writes and reads.
pub const VERSION: u16 = 1;
/// Header length in bytes.
pub const HEADER_LEN: usize = 256;
/// Section table entry length in bytes.
pub const SECTION_LEN: usize = 128;
/// Alignment of every payload (one cache line).
pub const ALIGN: usize = 64;
/// Checksum length (BLAKE3 of everything before it).
pub const CHECKSUM_LEN: usize = 32;
/// Signature trailer length: Ed25519 public key (32) and signature (64).
pub const SIGNATURE_LEN: usize = 96;
/// Most sections a file may have.
pub const MAX_SECTIONS: usize = 64;
/// Longest label in bytes.
pub const MAX_LABEL_LEN: usize = 64;
/// Domain-separation prefix of the signed message (`prefix || checksum`).
pub const SIGNATURE_CONTEXT: &[u8] = b"hashscreen blocklist signature v1\0";

/// File kind byte: a full list.
pub const KIND_LIST: u8 = 1;
/// File kind byte: an addition-only delta.
pub const KIND_DELTA: u8 = 2;
/// Flag: the file ends with a signature trailer.
pub const FLAG_SIGNED: u8 = 1;
/// Flag (deltas): the header carries the signature trailer of the target list.
pub const FLAG_TARGET_SIGNED: u8 = 2;
/// Filter kind byte: blocked Bloom filter with 512-bit blocks (`crate::filter`).
pub const FILTER_BLOCKED_BLOOM_512: u8 = 1;

/// Header field offsets.
pub mod header {
    /// magic, 8 bytes
    pub const MAGIC: usize = 0;
    /// format version, u16
    pub const VERSION: usize = 8;
    /// file kind, u8
    pub const KIND: usize = 10;
    /// flags, u8
    pub const FLAGS: usize = 11;
    /// section count, u16
    pub const SECTION_COUNT: usize = 12;
    /// reserved u16, zero
    pub const RESERVED0: usize = 14;
    /// key id, 16 bytes
    pub const KEY_ID: usize = 16;
    /// list id, 16 bytes
    pub const LIST_ID: usize = 32;
    /// sequence number, u64
    pub const SEQUENCE: usize = 48;
    /// creation time, u64 Unix seconds
    pub const CREATED: usize = 56;
    /// body length (offset of the checksum), u64
    pub const BODY_LEN: usize = 64;
    /// delta: base sequence, u64
    pub const BASE_SEQUENCE: usize = 72;
    /// delta: base checksum, 32 bytes
    pub const BASE_CHECKSUM: usize = 80;
    /// delta: target checksum, 32 bytes
    pub const TARGET_CHECKSUM: usize = 112;
    /// delta: target signature trailer (public key 32 + signature 64)
    pub const TARGET_TRAILER: usize = 144;
    /// reserved, 16 bytes of zero
    pub const RESERVED1: usize = 240;
}

/// Section table entry field offsets.
pub mod section {
    /// signal kind code, u16
    pub const SIGNAL: usize = 0;
    /// digest (canonicalisation) version, u16
    pub const DIGEST_VERSION: usize = 2;
    /// filter kind, u8
    pub const FILTER_KIND: usize = 4;
    /// blocks per key, u8
    pub const BLOCKS_PER_KEY: usize = 5;
    /// bits per block, u8
    pub const BITS_PER_BLOCK: usize = 6;
    /// label length, u8
    pub const LABEL_LEN: usize = 7;
    /// block count, u32
    pub const BLOCK_COUNT: usize = 8;
    /// reserved u32, zero
    pub const RESERVED0: usize = 12;
    /// number of entries inserted, u64
    pub const ENTRIES: usize = 16;
    /// payload offset from the start of the file, u64
    pub const PAYLOAD_OFFSET: usize = 24;
    /// payload length, u64
    pub const PAYLOAD_LEN: usize = 32;
    /// matching parameters, 4 x u32
    pub const PARAMS: usize = 40;
    /// reserved, 8 bytes of zero
    pub const RESERVED1: usize = 56;
    /// label, 64 bytes, zero padded
    pub const LABEL: usize = 64;
}

/// Rounds `n` up to a multiple of [`ALIGN`].
pub const fn align_up(n: usize) -> usize {
    n.div_ceil(ALIGN) * ALIGN
}
