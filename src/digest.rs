//! Keyed BLAKE3 digests of signal values.
//!
//! A digest is `BLAKE3-keyed(subkey(kind), version_tag_le16 || canonical value)`: the subkey
//! separates signal kinds, the version tag separates canonicalisation versions. Changing how a value
//! is canonicalised means a new version tag, never silently different digests.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::hex;
use crate::key::{Key, SignalKind, SubKey};
use crate::Error;

/// Digest version of [`SignalKind::File`] values (the raw bytes, no canonicalisation).
pub const FILE_DIGEST_VERSION: u16 = 1;

/// A 32-byte keyed digest. Uniformly distributed for anyone without the key, so filter bit positions
/// are taken straight from its bytes.
///
/// Equality is constant-time (a digest can stand for a secret value).
#[derive(Clone, Copy)]
pub struct Digest(pub [u8; 32]);

impl Digest {
    /// The digest as 64 hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(&self.0)
    }

    /// A digest from 64 hex digits.
    pub fn from_hex(text: &str) -> Result<Digest, Error> {
        let mut out = [0u8; 32];
        hex::decode_into(text.trim(), &mut out)?;
        Ok(Digest(out))
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl PartialEq for Digest {
    fn eq(&self, other: &Digest) -> bool {
        blake3::Hash::from(self.0) == blake3::Hash::from(other.0)
    }
}
impl Eq for Digest {}

impl std::hash::Hash for Digest {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", self.to_hex())
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// Keyed digest of one value of `signal` with canonicalisation `version`, with a key.
///
/// ```
/// use hashscreen::{digest, Key, SignalKind};
/// let key = Key::from_bytes([1; 32]);
/// let a = digest(&key, SignalKind::File, 1, b"bytes");
/// assert_eq!(a, digest(&key, SignalKind::File, 1, b"bytes"));
/// assert_ne!(a, digest(&key, SignalKind::Text, 1, b"bytes"));
/// assert_ne!(a, digest(&key, SignalKind::File, 2, b"bytes"));
/// ```
pub fn digest(key: &Key, signal: SignalKind, version: u16, value: &[u8]) -> Digest {
    Digester::new(key, signal).digest(version, value)
}

/// A configured digester for one signal kind: derives the subkey once, digests many values.
#[derive(Clone, Debug)]
pub struct Digester {
    signal: SignalKind,
    subkey: SubKey,
}

impl Digester {
    /// A digester for `signal` under `key`.
    pub fn new(key: &Key, signal: SignalKind) -> Digester {
        Digester {
            signal,
            subkey: key.subkey(signal),
        }
    }

    /// The signal kind this digester serves.
    pub fn signal(&self) -> SignalKind {
        self.signal
    }

    /// Digest of `version || value`.
    ///
    /// For [`SignalKind::ImageNear`] from version 2 on, the keyed PRF is SipHash-2-4 (see
    /// [`Digester::near_digest`]); every other signal kind and version uses keyed BLAKE3.
    pub fn digest(&self, version: u16, value: &[u8]) -> Digest {
        if self.signal == SignalKind::ImageNear && version >= 2 {
            return self.near_digest(version, value);
        }
        // Short values (codes, URL expressions, text keys) go through the one-shot API with one
        // stack buffer: the same bytes as the incremental hasher, without its set-up cost.
        const SHORT: usize = 256;
        if value.len() <= SHORT - 2 {
            let mut buf = [0u8; SHORT];
            buf[..2].copy_from_slice(&version.to_le_bytes());
            buf[2..2 + value.len()].copy_from_slice(value);
            let out = blake3::keyed_hash(self.subkey.bytes(), &buf[..2 + value.len()]);
            return Digest(*out.as_bytes());
        }
        let mut hasher = blake3::Hasher::new_keyed(self.subkey.bytes());
        hasher.update(&version.to_le_bytes());
        hasher.update(value);
        Digest(*hasher.finalize().as_bytes())
    }

    /// Digest of `version || parts[0] || parts[1] ...` (no copy into one buffer).
    pub fn digest_parts(&self, version: u16, parts: &[&[u8]]) -> Digest {
        if self.signal == SignalKind::ImageNear && version >= 2 {
            return self.near_digest(version, &parts.concat());
        }
        let mut hasher = blake3::Hasher::new_keyed(self.subkey.bytes());
        hasher.update(&version.to_le_bytes());
        for part in parts {
            hasher.update(part);
        }
        Digest(*hasher.finalize().as_bytes())
    }
}

impl Digester {
    /// The near-duplicate code digest (`image_near`, version 2 and later, `FORMAT.md`): SipHash-2-4
    /// with 128-bit output, keyed with the first 16 bytes of the signal's subkey, over
    /// `version_le16 || value`, its two output words `a`, `b` (little-endian) expanded to the 32
    /// bytes the filter reads as `a || b || mix64(a + G ^ rotl(b, 32)) || mix64(b + G' ^ rotl(a, 32))`.
    ///
    /// Why not BLAKE3: a screened image makes up to a few thousand probes of 11-byte values, and
    /// one keyed BLAKE3 costs 4-6 times a SipHash of the same bytes (`benches/matching.rs`). The
    /// threat model only needs a keyed PRF that hides which codes are listed from anyone without
    /// the key (`docs/security.md`); exact digests (files, text, URLs, PDQ) stay on keyed BLAKE3.
    pub(crate) fn near_digest(&self, version: u16, value: &[u8]) -> Digest {
        let prf = self.near_prf();
        let mut buf = Vec::with_capacity(2 + value.len());
        buf.extend_from_slice(&version.to_le_bytes());
        buf.extend_from_slice(value);
        prf.digest_input(&buf)
    }

    /// The keyed SipHash-2-4 of [`Digester::near_digest`], set up once for many values.
    pub(crate) fn near_prf(&self) -> NearPrf {
        let mut k = [0u8; 16];
        k.copy_from_slice(&self.subkey.bytes()[..16]);
        let (mut k0, mut k1) = ([0u8; 8], [0u8; 8]);
        k0.copy_from_slice(&k[..8]);
        k1.copy_from_slice(&k[8..]);
        let prf = NearPrf {
            k0: u64::from_le_bytes(k0),
            k1: u64::from_le_bytes(k1),
        };
        k.zeroize();
        k0.zeroize();
        k1.zeroize();
        prf
    }
}

/// The SipHash-2-4 key of [`Digester::near_digest`], for many values (`image_near` probes).
/// Zeroized on drop; no `Clone` or `Debug`.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct NearPrf {
    k0: u64,
    k1: u64,
}

impl NearPrf {
    /// Digest of one near-duplicate code value (`side || bits_le64`, `image_near` version 2+).
    #[inline]
    pub(crate) fn digest(&self, version: u16, value: &[u8; 9]) -> Digest {
        let mut buf = [0u8; 11];
        buf[..2].copy_from_slice(&version.to_le_bytes());
        buf[2..].copy_from_slice(value);
        self.digest_input(&buf)
    }

    #[inline]
    fn digest_input(&self, input: &[u8]) -> Digest {
        // The hasher is set up per value (four XORs) so that only the zeroized key outlives it.
        let h = siphasher::sip128::SipHasher24::new_with_keys(self.k0, self.k1).hash(input);
        Digest(expand128(h.h1, h.h2))
    }
}

/// Expands a 128-bit PRF output to the 32 bytes a filter probe reads: `a || b`, then two words
/// mixed from both (SplitMix64 finaliser), so every 64-bit word the filter uses depends on all 128
/// bits and no word repeats another.
pub(crate) fn expand128(a: u64, b: u64) -> [u8; 32] {
    const G: u64 = 0x9e37_79b9_7f4a_7c15;
    const G2: u64 = 0xd1b5_4a32_d192_ed03;
    let c = crate::filter::mix64(a.wrapping_add(G) ^ b.rotate_left(32));
    let d = crate::filter::mix64(b.wrapping_add(G2) ^ a.rotate_left(32));
    let mut out = [0u8; 32];
    for (i, w) in [a, b, c, d].iter().enumerate() {
        out[8 * i..8 * i + 8].copy_from_slice(&w.to_le_bytes());
    }
    out
}

/// Digest of a file's exact bytes ([`SignalKind::File`]).
///
/// ```
/// let key = hashscreen::Key::from_bytes([1; 32]);
/// let d = hashscreen::file_digest(&key, b"%PDF-1.7 ...");
/// assert_eq!(d.to_hex().len(), 64);
/// ```
pub fn file_digest(key: &Key, bytes: &[u8]) -> Digest {
    digest(key, SignalKind::File, FILE_DIGEST_VERSION, bytes)
}

/// The digest of a file fed in pieces: the same [`Digest`] as [`file_digest`] of the whole file,
/// in constant memory. For files too large to hold in memory at once (read from disk, or copied
/// in chunks out of a JavaScript `Uint8Array`). Also an [`std::io::Write`], so `std::io::copy`
/// can feed it.
///
/// Holds keyed state: zeroized on drop, and `Debug` shows none of it.
///
/// ```
/// let key = hashscreen::Key::from_bytes([1; 32]);
/// let mut h = hashscreen::FileHasher::new(&key);
/// h.update(b"%PDF-1.7 ");
/// h.update(b"...");
/// assert_eq!(h.finish(), hashscreen::file_digest(&key, b"%PDF-1.7 ..."));
/// ```
pub struct FileHasher(blake3::Hasher);

impl FileHasher {
    /// A hasher for files under `key`.
    pub fn new(key: &Key) -> FileHasher {
        FileHasher::with_subkey(&key.subkey(SignalKind::File))
    }

    /// A hasher from the digester of [`SignalKind::File`] (panics for another signal in debug
    /// builds; crate-internal).
    pub(crate) fn from_digester(d: &Digester) -> FileHasher {
        debug_assert_eq!(d.signal, SignalKind::File);
        FileHasher::with_subkey(&d.subkey)
    }

    fn with_subkey(subkey: &SubKey) -> FileHasher {
        let mut h = blake3::Hasher::new_keyed(subkey.bytes());
        h.update(&FILE_DIGEST_VERSION.to_le_bytes());
        FileHasher(h)
    }

    /// Feeds the next bytes of the file.
    pub fn update(&mut self, bytes: &[u8]) -> &mut FileHasher {
        self.0.update(bytes);
        self
    }

    /// The digest of everything fed so far (more can be fed afterwards).
    pub fn finish(&self) -> Digest {
        Digest(*self.0.finalize().as_bytes())
    }
}

impl std::io::Write for FileHasher {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for FileHasher {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

// `Drop` above wipes the hasher's keyed state.
impl ZeroizeOnDrop for FileHasher {}

impl fmt::Debug for FileHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FileHasher { .. }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_codes_use_siphash_from_version_2_and_everything_else_blake3() {
        let key = Key::from_bytes([3; 32]);
        let value = [7u8, 1, 2, 3, 4, 5, 6, 7, 8];
        let near = Digester::new(&key, SignalKind::ImageNear);
        let sub = key.subkey(SignalKind::ImageNear);
        // Version 2: SipHash-2-4-128 keyed with the subkey's first 16 bytes, over version || value.
        let mut k = [0u8; 16];
        k.copy_from_slice(&sub.bytes()[..16]);
        let mut input = vec![2u8, 0];
        input.extend_from_slice(&value);
        let h = siphasher::sip128::SipHasher24::new_with_key(&k).hash(&input);
        let d = near.digest(2, &value);
        assert_eq!(d.0[..16], h.as_bytes());
        assert_eq!(d.0, expand128(h.h1, h.h2));
        assert_eq!(near.near_prf().digest(2, &value), d);
        assert_eq!(near.digest_parts(2, &[&value[..4], &value[4..]]), d);
        // Version 1 (and every other kind): keyed BLAKE3.
        let b3 = |kind: SignalKind, version: u16| {
            let mut input = version.to_le_bytes().to_vec();
            input.extend_from_slice(&value);
            Digest(*blake3::keyed_hash(key.subkey(kind).bytes(), &input).as_bytes())
        };
        assert_eq!(near.digest(1, &value), b3(SignalKind::ImageNear, 1));
        let file = Digester::new(&key, SignalKind::File);
        assert_eq!(file.digest(2, &value), b3(SignalKind::File, 2));
    }

    #[test]
    fn the_expansion_fills_every_word() {
        let e = expand128(0, 0);
        let w = |i: usize| u64::from_le_bytes(e[8 * i..8 * i + 8].try_into().unwrap());
        assert_eq!((w(0), w(1)), (0, 0));
        assert_ne!(w(2), 0);
        assert_ne!(w(3), 0);
        assert_ne!(w(2), w(3));
        assert_ne!(expand128(1, 0)[16..], expand128(0, 1)[16..]);
    }
}
