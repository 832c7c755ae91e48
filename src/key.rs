//! Deployment keys, their public ids, per-signal subkeys, and publisher signing keys.
//!
//! One 32-byte [`Key`] per deployment keys every digest in a blocklist. Each signal kind gets its own
//! subkey through [`blake3::derive_key`] with a fixed context string per kind and format version, so
//! a digest of a text can never collide with the digest of a file with the same bytes, and a new
//! format version gives unrelated digests. Keys are zeroized on drop and never printed: `Debug`
//! shows only the public [`KeyId`].

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::hex;
use crate::Error;

/// Context string for key ids (public; a key id names a key without revealing it).
const KEY_ID_CONTEXT: &str = "hashscreen 2026-11 v1 key id";

/// A 32-byte deployment key. Zeroized on drop; its `Debug` shows the key id, never the bytes.
///
/// ```
/// let key = hashscreen::Key::generate()?;
/// let same = hashscreen::Key::from_hex(&key.to_secret_hex())?;
/// assert_eq!(key.id(), same.id());
/// assert!(!format!("{key:?}").contains(&key.to_secret_hex()));
/// # Ok::<(), hashscreen::Error>(())
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Key([u8; 32]);

impl Key {
    /// Length of a key in bytes.
    pub const LEN: usize = 32;

    /// A new random key from the operating system's generator.
    pub fn generate() -> Result<Key, Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|_| Error::Rng)?;
        Ok(Key(bytes))
    }

    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Key {
        Key(bytes)
    }

    /// A key from a byte slice, which must be 32 bytes long.
    pub fn from_slice(bytes: &[u8]) -> Result<Key, Error> {
        let arr: [u8; 32] = bytes.try_into().map_err(|_| Error::InvalidKeyLength {
            expected: 32,
            found: bytes.len(),
        })?;
        Ok(Key(arr))
    }

    /// A key from 64 hex digits (surrounding whitespace ignored), as written by `hashscreen keygen`.
    pub fn from_hex(text: &str) -> Result<Key, Error> {
        let mut bytes = [0u8; 32];
        hex::decode_into(text.trim(), &mut bytes)?;
        let key = Key(bytes);
        bytes.zeroize();
        Ok(key)
    }

    /// The key as 64 hex digits, for writing a key file. The name says it: handle with care.
    pub fn to_secret_hex(&self) -> String {
        hex::encode(&self.0)
    }

    /// The key's bytes. Handle with care: do not log or persist them in the clear.
    pub fn secret_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The public id of this key (a one-way digest of it), recorded in blocklists.
    pub fn id(&self) -> KeyId {
        let full = blake3::derive_key(KEY_ID_CONTEXT, &self.0);
        let mut id = [0u8; 16];
        id.copy_from_slice(&full[..16]);
        KeyId(id)
    }

    /// The subkey for one signal kind (domain separation by a fixed context string per kind).
    pub fn subkey(&self, signal: SignalKind) -> SubKey {
        SubKey(blake3::derive_key(signal.context(), &self.0))
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("id", &self.id())
            .finish_non_exhaustive()
    }
}

impl PartialEq for Key {
    /// Constant-time comparison.
    fn eq(&self, other: &Key) -> bool {
        blake3::Hash::from(self.0) == blake3::Hash::from(other.0)
    }
}
impl Eq for Key {}

/// A per-signal subkey derived from a [`Key`]. Zeroized on drop; `Debug` shows nothing secret.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SubKey([u8; 32]);

impl SubKey {
    /// The subkey's bytes (the BLAKE3 key of the keyed digests of one signal kind).
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for SubKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SubKey(..)")
    }
}

/// The public id of a deployment key: 16 bytes, printed as 32 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(pub [u8; 16]);

impl KeyId {
    /// The id as 32 hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(&self.0)
    }

    /// A key id from 32 hex digits (surrounding whitespace ignored), as `to_hex` and
    /// `hashscreen inspect` print it. Bindings take key ids as strings this way.
    ///
    /// ```
    /// use hashscreen::{Key, KeyId};
    /// let key = Key::from_bytes([7; 32]);
    /// assert_eq!(KeyId::from_hex(&key.id().to_hex())?, key.id());
    /// assert!(KeyId::from_hex("af54").is_err());
    /// # Ok::<(), hashscreen::Error>(())
    /// ```
    pub fn from_hex(text: &str) -> Result<KeyId, Error> {
        let mut bytes = [0u8; 16];
        hex::decode_into(text.trim(), &mut bytes)?;
        Ok(KeyId(bytes))
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({})", self.to_hex())
    }
}

/// The kinds of signal a blocklist section can hold. The numeric codes are part of the file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SignalKind {
    /// Exact bytes of a file (any attachment, including images byte for byte).
    File,
    /// Canonical text, strict key.
    Text,
    /// Canonical text, loose key (also folds repeated and similar-looking letters).
    TextLoose,
    /// Word shingles of canonical text, for near-duplicate templates.
    TextShingle,
    /// URL expressions (host suffix x path prefix) after canonicalisation.
    Url,
    /// Perceptual image hash (PDQ) values, matched exactly (and in its eight dihedral variants).
    ImagePdq,
    /// Near-duplicate image codes (`hashscreen::image::near`): crops, rotations, borders, mirrors.
    ImageNear,
}

impl SignalKind {
    /// Every kind, in code order.
    pub const ALL: [SignalKind; 7] = [
        SignalKind::File,
        SignalKind::Text,
        SignalKind::TextLoose,
        SignalKind::TextShingle,
        SignalKind::Url,
        SignalKind::ImagePdq,
        SignalKind::ImageNear,
    ];

    /// The code stored in blocklist files.
    pub fn code(self) -> u16 {
        match self {
            SignalKind::File => 1,
            SignalKind::Text => 2,
            SignalKind::TextLoose => 3,
            SignalKind::TextShingle => 4,
            SignalKind::Url => 5,
            SignalKind::ImagePdq => 6,
            SignalKind::ImageNear => 7,
        }
    }

    /// The kind for a code, if this library knows it.
    pub fn from_code(code: u16) -> Option<SignalKind> {
        SignalKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The name used in JSON output and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            SignalKind::File => "file",
            SignalKind::Text => "text",
            SignalKind::TextLoose => "text_loose",
            SignalKind::TextShingle => "text_shingle",
            SignalKind::Url => "url",
            SignalKind::ImagePdq => "image_pdq",
            SignalKind::ImageNear => "image_near",
        }
    }

    /// The `blake3::derive_key` context of this kind's subkey (fixed per kind and format version).
    fn context(self) -> &'static str {
        match self {
            SignalKind::File => "hashscreen 2026-11 v1 subkey file",
            SignalKind::Text => "hashscreen 2026-11 v1 subkey text",
            SignalKind::TextLoose => "hashscreen 2026-11 v1 subkey text-loose",
            SignalKind::TextShingle => "hashscreen 2026-11 v1 subkey text-shingle",
            SignalKind::Url => "hashscreen 2026-11 v1 subkey url",
            SignalKind::ImagePdq => "hashscreen 2026-11 v1 subkey image-pdq",
            SignalKind::ImageNear => "hashscreen 2026-11 v1 subkey image-near",
        }
    }
}

impl fmt::Display for SignalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A publisher's Ed25519 signing key, for signing blocklists. Zeroized on drop by `ed25519-dalek`.
pub struct SigningKey(ed25519_dalek::SigningKey);

impl SigningKey {
    /// A new random signing key.
    pub fn generate() -> Result<SigningKey, Error> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|_| Error::Rng)?;
        let key = SigningKey(ed25519_dalek::SigningKey::from_bytes(&seed));
        seed.zeroize();
        Ok(key)
    }

    /// A signing key from its 32-byte seed in hex.
    pub fn from_hex(text: &str) -> Result<SigningKey, Error> {
        let mut seed = [0u8; 32];
        hex::decode_into(text.trim(), &mut seed)?;
        let key = SigningKey(ed25519_dalek::SigningKey::from_bytes(&seed));
        seed.zeroize();
        Ok(key)
    }

    /// The seed as hex, for writing a key file. Handle with care.
    pub fn to_secret_hex(&self) -> String {
        hex::encode(self.0.as_bytes())
    }

    /// The public half, which clients use to verify lists.
    pub fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey(self.0.verifying_key())
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer;
        self.0.sign(message).to_bytes()
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("public", &self.verifying_key())
            .finish_non_exhaustive()
    }
}

/// A publisher's Ed25519 public key: clients that hold it accept only lists it signed.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct VerifyingKey(ed25519_dalek::VerifyingKey);

impl VerifyingKey {
    /// A public key from 64 hex digits.
    pub fn from_hex(text: &str) -> Result<VerifyingKey, Error> {
        let mut bytes = [0u8; 32];
        hex::decode_into(text.trim(), &mut bytes)?;
        VerifyingKey::from_bytes(&bytes)
    }

    /// A public key from its 32 bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<VerifyingKey, Error> {
        ed25519_dalek::VerifyingKey::from_bytes(bytes)
            .map(VerifyingKey)
            .map_err(|_| Error::InvalidParameters {
                what: "publisher public key is not a valid Ed25519 point",
            })
    }

    /// The key as 64 hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0.as_bytes())
    }

    /// The key's 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// True when `signature` is this key's signature of `message` (strict verification).
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        let sig = ed25519_dalek::Signature::from_bytes(signature);
        self.0.verify_strict(message, &sig).is_ok()
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifyingKey({})", self.to_hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subkeys_are_separated_by_kind() {
        let key = Key::from_bytes([7; 32]);
        let mut seen = std::collections::HashSet::new();
        for kind in SignalKind::ALL {
            assert!(
                seen.insert(*key.subkey(kind).bytes()),
                "{kind} repeats a subkey"
            );
            assert_eq!(SignalKind::from_code(kind.code()), Some(kind));
        }
        assert_ne!(key.subkey(SignalKind::File).bytes(), key.secret_bytes());
    }

    #[test]
    fn key_id_depends_on_key() {
        assert_ne!(Key::from_bytes([1; 32]).id(), Key::from_bytes([2; 32]).id());
    }

    #[test]
    fn hex_round_trip_and_errors() {
        let key = Key::from_bytes([0xab; 32]);
        assert_eq!(Key::from_hex(&key.to_secret_hex()).unwrap(), key);
        assert_eq!(
            Key::from_hex("abcd").unwrap_err(),
            Error::InvalidKeyLength {
                expected: 32,
                found: 2
            }
        );
        let bad = "zz".repeat(32);
        assert_eq!(
            Key::from_hex(&bad).unwrap_err(),
            Error::InvalidHex { position: 0 }
        );
    }
}
