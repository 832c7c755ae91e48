//! Keyed BLAKE3 digests of signal values.
//!
//! A digest is `BLAKE3-keyed(subkey(kind), version_tag_le16 || canonical value)`: the subkey
//! separates signal kinds, the version tag separates canonicalisation versions. Changing how a value
//! is canonicalised means a new version tag, never silently different digests.

use std::fmt;

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
    pub fn digest(&self, version: u16, value: &[u8]) -> Digest {
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
        let mut hasher = blake3::Hasher::new_keyed(self.subkey.bytes());
        hasher.update(&version.to_le_bytes());
        for part in parts {
            hasher.update(part);
        }
        Digest(*hasher.finalize().as_bytes())
    }
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
