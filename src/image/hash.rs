//! Hash value types: [`PdqHash`], [`Pdq`], [`PdqDihedral`], [`Hash64`].

use crate::Error;
use std::fmt;
use std::str::FromStr;

/// PDQ hashes of quality below this carry too little information to match on (the reference
/// documentation calls hashes of quality 49 or less "low quality"): mostly flat images, where a few
/// bits of noise decide the hash and unrelated images collide.
pub const MIN_MATCH_QUALITY: u8 = 50;

/// A 256-bit PDQ hash.
///
/// The bytes are in the order of the reference's hex string (the format hash-sharing programs
/// exchange): `to_hex` and `from_hex` interoperate with Meta's tools and exports. Bit `k`
/// (`k = 16 * row + column` of the 16x16 DCT block) is bit `k % 16` of the big-endian 16-bit word
/// `k / 16`, and words are written from 15 down to 0.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PdqHash(pub [u8; 32]);

impl PdqHash {
    /// The all-zero hash (what the reference returns for images smaller than 5 pixels).
    pub const ZERO: PdqHash = PdqHash([0; 32]);

    /// Builds a hash from its 32 bytes in reference hex order.
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::PdqHash;
    /// let h = PdqHash::from_bytes([0xab; 32]);
    /// assert_eq!(h.as_bytes(), &[0xab; 32]);
    /// ```
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        PdqHash(bytes)
    }

    /// The 32 bytes in reference hex order.
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::PdqHash;
    /// assert_eq!(PdqHash::ZERO.as_bytes(), &[0u8; 32]);
    /// ```
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Byte index and mask of DCT bit `k` (0..256).
    const fn locate(k: usize) -> (usize, u8) {
        let word = k / 16;
        let bit = k % 16;
        let byte = 2 * (15 - word) + if bit >= 8 { 0 } else { 1 };
        (byte, 1 << (bit % 8))
    }

    /// Whether DCT bit `k` (`16 * row + column`, 0..256) is set. Bits past 255 read as unset.
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::PdqHash;
    /// let h: PdqHash = "0000000000000000000000000000000000000000000000000000000000000001".parse()?;
    /// assert!(h.bit(0));
    /// assert!(!h.bit(1));
    /// # Ok::<(), hashscreen::Error>(())
    /// ```
    pub fn bit(&self, k: usize) -> bool {
        if k >= 256 {
            return false;
        }
        let (byte, mask) = Self::locate(k);
        self.0[byte] & mask != 0
    }

    /// Sets DCT bit `k` (ignored past 255).
    pub(crate) fn set_bit(&mut self, k: usize) {
        if k < 256 {
            let (byte, mask) = Self::locate(k);
            self.0[byte] |= mask;
        }
    }

    /// Returns the hash with DCT bit `k` flipped (unchanged past 255): the step of a Hamming-ball
    /// probe.
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::PdqHash;
    /// let h = PdqHash::ZERO.with_bit_flipped(17);
    /// assert_eq!(h.distance(&PdqHash::ZERO), 1);
    /// assert!(h.bit(17));
    /// ```
    pub fn with_bit_flipped(mut self, k: usize) -> Self {
        if k < 256 {
            let (byte, mask) = Self::locate(k);
            self.0[byte] ^= mask;
        }
        self
    }

    /// Hamming distance (number of differing bits, 0..=256).
    ///
    /// The reference treats distances of 31 or less as a match for typical use.
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::PdqHash;
    /// assert_eq!(PdqHash::ZERO.distance(&PdqHash::from_bytes([0xff; 32])), 256);
    /// ```
    pub fn distance(&self, other: &PdqHash) -> u32 {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| (a ^ b).count_ones())
            .sum()
    }

    /// Lower-case hex, 64 digits, as the reference prints it.
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::PdqHash;
    /// assert_eq!(PdqHash::from_bytes([0x0f; 32]).to_hex(), "0f".repeat(32));
    /// ```
    pub fn to_hex(&self) -> String {
        let mut s = String::with_capacity(64);
        for b in self.0 {
            s.push(hex_digit(b >> 4));
            s.push(hex_digit(b & 15));
        }
        s
    }

    /// Parses 64 hex digits (either case).
    ///
    /// # Errors
    /// [`Error::InvalidImageHashHex`] when the string is not exactly 64 hex digits.
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::PdqHash;
    /// let hex = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
    /// assert_eq!(PdqHash::from_hex(hex)?.to_hex(), hex);
    /// assert!(PdqHash::from_hex("xyz").is_err());
    /// # Ok::<(), hashscreen::Error>(())
    /// ```
    pub fn from_hex(s: &str) -> Result<Self, Error> {
        parse_hex::<32>(s).map(PdqHash)
    }
}

fn hex_digit(v: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(v & 15)])
}

fn parse_hex<const N: usize>(s: &str) -> Result<[u8; N], Error> {
    let err = Error::InvalidImageHashHex {
        expected_len: 2 * N,
    };
    let bytes = s.as_bytes();
    if bytes.len() != 2 * N {
        return Err(err);
    }
    let nibble = |c: u8| -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    };
    let mut out = [0u8; N];
    for (o, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        match (nibble(pair[0]), nibble(pair[1])) {
            (Some(h), Some(l)) => *o = (h << 4) | l,
            _ => return Err(err),
        }
    }
    Ok(out)
}

impl fmt::Display for PdqHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for PdqHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PdqHash({})", self.to_hex())
    }
}

impl FromStr for PdqHash {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::from_hex(s)
    }
}

/// A PDQ hash with its quality (0..=100).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pdq {
    /// The 256-bit hash.
    pub hash: PdqHash,
    /// The reference's quality metric, 0..=100: how much gradient the 64x64 downsampled image has.
    /// Below [`MIN_MATCH_QUALITY`] the hash should not be matched.
    pub quality: u8,
}

impl Pdq {
    /// Whether the quality is at least [`MIN_MATCH_QUALITY`].
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::{Pdq, PdqHash};
    /// assert!(!Pdq { hash: PdqHash::ZERO, quality: 49 }.is_matchable());
    /// assert!(Pdq { hash: PdqHash::ZERO, quality: 50 }.is_matchable());
    /// ```
    pub fn is_matchable(&self) -> bool {
        self.quality >= MIN_MATCH_QUALITY
    }

    /// Returns the hash when the quality is at least [`MIN_MATCH_QUALITY`].
    ///
    /// # Errors
    /// [`Error::ImageLowQuality`] otherwise.
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::{Pdq, PdqHash};
    /// let low = Pdq { hash: PdqHash::ZERO, quality: 3 };
    /// assert!(matches!(low.matchable_hash(), Err(hashscreen::Error::ImageLowQuality { quality: 3, .. })));
    /// ```
    pub fn matchable_hash(&self) -> Result<PdqHash, Error> {
        if self.is_matchable() {
            Ok(self.hash)
        } else {
            Err(Error::ImageLowQuality {
                quality: self.quality,
                minimum: MIN_MATCH_QUALITY,
            })
        }
    }
}

/// The eight symmetries of a square (dihedral group D4), in the reference's order.
///
/// Each variant names the transform applied to the image whose hash the variant predicts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dihedral {
    /// The image as it is.
    Original,
    /// Rotated 90 degrees counter-clockwise (the reference's `rotate90`).
    Rotate90,
    /// Rotated 180 degrees.
    Rotate180,
    /// Rotated 270 degrees counter-clockwise, i.e. 90 degrees clockwise.
    Rotate270,
    /// Mirrored top to bottom (the reference's `flipx`).
    FlipX,
    /// Mirrored left to right (the reference's `flipy`).
    FlipY,
    /// Transposed about the main diagonal (the reference's `flip-plus-1`).
    FlipPlus1,
    /// Transposed about the anti-diagonal (the reference's `flip-minus-1`).
    FlipMinus1,
}

impl Dihedral {
    /// All eight, in the order of [`PdqDihedral::hashes`].
    pub const ALL: [Dihedral; 8] = [
        Dihedral::Original,
        Dihedral::Rotate90,
        Dihedral::Rotate180,
        Dihedral::Rotate270,
        Dihedral::FlipX,
        Dihedral::FlipY,
        Dihedral::FlipPlus1,
        Dihedral::FlipMinus1,
    ];

    /// Position in [`Dihedral::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// The eight dihedral PDQ hashes of one image, computed from one DCT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PdqDihedral {
    /// Hashes in the order of [`Dihedral::ALL`].
    pub hashes: [PdqHash; 8],
    /// Quality, shared by all eight.
    pub quality: u8,
}

impl PdqDihedral {
    /// The hash of one variant.
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::{pdq_dihedral_from_luma, Dihedral};
    /// let px: Vec<u8> = (0..64 * 64).map(|i| (i % 61) as u8).collect();
    /// let all = pdq_dihedral_from_luma(&px, 64, 64, 64)?;
    /// assert_eq!(all.get(Dihedral::Rotate90), all.hashes[1]);
    /// # Ok::<(), hashscreen::Error>(())
    /// ```
    pub fn get(&self, d: Dihedral) -> PdqHash {
        self.hashes[d.index()]
    }

    /// The [`Pdq`] of one variant (same quality for all).
    pub fn pdq(&self, d: Dihedral) -> Pdq {
        Pdq {
            hash: self.get(d),
            quality: self.quality,
        }
    }
}

/// A 64-bit perceptual hash (the compact comparison hashes: pHash, dHash).
///
/// Hex is the 8 bytes of `image_hasher`'s hash in its order, i.e. `u64::to_be_bytes`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Hash64(pub u64);

impl Hash64 {
    /// Hamming distance (0..=64).
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::Hash64;
    /// assert_eq!(Hash64(0b1011).distance(&Hash64(0)), 3);
    /// ```
    pub fn distance(&self, other: &Hash64) -> u32 {
        (self.0 ^ other.0).count_ones()
    }

    /// 16 lower-case hex digits.
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::Hash64;
    /// assert_eq!(Hash64(0x0123_4567_89ab_cdef).to_hex(), "0123456789abcdef");
    /// ```
    pub fn to_hex(&self) -> String {
        format!("{:016x}", self.0)
    }

    /// Parses 16 hex digits.
    ///
    /// # Errors
    /// [`Error::InvalidImageHashHex`] when the string is not exactly 16 hex digits.
    ///
    /// # Examples
    /// ```
    /// use hashscreen::image::Hash64;
    /// assert_eq!(Hash64::from_hex("00000000000000ff")?, Hash64(255));
    /// # Ok::<(), hashscreen::Error>(())
    /// ```
    pub fn from_hex(s: &str) -> Result<Self, Error> {
        parse_hex::<8>(s).map(|b| Hash64(u64::from_be_bytes(b)))
    }
}

impl fmt::Display for Hash64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Hash64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash64({})", self.to_hex())
    }
}

impl FromStr for Hash64 {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::from_hex(s)
    }
}
