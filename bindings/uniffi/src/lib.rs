//! UniFFI bindings of hashscreen for Kotlin, Swift and Python.
//!
//! This crate only translates types: every function calls the core and maps its result. Errors
//! become one typed exception per `hashscreen::Error::code()` (`HashscreenError.Rollback`, ...);
//! objects are immutable and thread-safe (the builder serialises its calls with a lock), so a
//! `Screener` can be shared by every thread of an app.

use std::sync::{Arc, Mutex};

use hashscreen::blocklist::delta;
use hashscreen::image::PdqHash;
use hashscreen::Error;

uniffi::setup_scaffolding!("hashscreen");

// ---------------------------------------------------------------------------------------------
// Errors

/// Every failure, one variant per stable code of `hashscreen::Error::code()` (the variant name is
/// the code in PascalCase). The message never contains content: safe to log.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
#[non_exhaustive]
pub enum HashscreenError {
    /// Input longer than the documented limit (`input_too_large`).
    #[error("{0}")]
    InputTooLarge(String),
    /// A key of the wrong length (`invalid_key_length`).
    #[error("{0}")]
    InvalidKeyLength(String),
    /// A character that is not a hex digit (`invalid_hex`).
    #[error("{0}")]
    InvalidHex(String),
    /// The random number generator failed (`rng`).
    #[error("{0}")]
    Rng(String),
    /// The blocklist was built under another deployment key (`key_mismatch`).
    #[error("{0}")]
    KeyMismatch(String),
    /// Not a hashscreen blocklist (`bad_magic`).
    #[error("{0}")]
    BadMagic(String),
    /// Unsupported blocklist format version (`version`).
    #[error("{0}")]
    Version(String),
    /// The file is cut short (`truncated`).
    #[error("{0}")]
    Truncated(String),
    /// A header or section field is invalid (`malformed`).
    #[error("{0}")]
    Malformed(String),
    /// Checksum mismatch: corrupted or modified (`checksum`).
    #[error("{0}")]
    Checksum(String),
    /// A signature is required but the file is unsigned (`signature_missing`).
    #[error("{0}")]
    SignatureMissing(String),
    /// The publisher signature does not verify (`bad_signature`).
    #[error("{0}")]
    BadSignature(String),
    /// A list older than the minimum sequence (`rollback`).
    #[error("{0}")]
    Rollback(String),
    /// A delta given as a list or the reverse (`wrong_file_kind`).
    #[error("{0}")]
    WrongFileKind(String),
    /// The delta does not apply to this list (`delta_mismatch`).
    #[error("{0}")]
    DeltaMismatch(String),
    /// The newer list removed entries: ship a full list (`not_additive`).
    #[error("{0}")]
    NotAdditive(String),
    /// An invalid label (`invalid_label`).
    #[error("{0}")]
    InvalidLabel(String),
    /// A section from a newer library (`unsupported_digest_version`).
    #[error("{0}")]
    UnsupportedDigestVersion(String),
    /// An out-of-range filter parameter (`invalid_parameters`).
    #[error("{0}")]
    InvalidParameters(String),
    /// Bytes that are not UTF-8 (`invalid_utf8`).
    #[error("{0}")]
    InvalidUtf8(String),
    /// Not a URL that can be canonicalised (`invalid_url`).
    #[error("{0}")]
    InvalidUrl(String),
    /// An image of zero width or height (`image_empty`).
    #[error("{0}")]
    ImageEmpty(String),
    /// A pixel buffer shorter than its geometry (`image_buffer_mismatch`).
    #[error("{0}")]
    ImageBufferMismatch(String),
    /// A row stride smaller than a row (`image_stride_too_small`).
    #[error("{0}")]
    ImageStrideTooSmall(String),
    /// The image is larger than the decode limits (`image_too_large`).
    #[error("{0}")]
    ImageTooLarge(String),
    /// Decoding needs more memory than allowed (`image_memory_limit`).
    #[error("{0}")]
    ImageMemoryLimit(String),
    /// The encoded image is over the input limit (`image_input_too_large`).
    #[error("{0}")]
    ImageInputTooLarge(String),
    /// Not a JPEG, PNG, WebP, GIF or BMP file (`unsupported_image_format`).
    #[error("{0}")]
    UnsupportedImageFormat(String),
    /// A truncated or corrupt image (`image_decode`).
    #[error("{0}")]
    ImageDecode(String),
    /// PDQ quality below 50: too plain to match (`image_low_quality`).
    #[error("{0}")]
    ImageLowQuality(String),
    /// A PDQ hash that is not 64 hex digits (`invalid_image_hash_hex`).
    #[error("{0}")]
    InvalidImageHashHex(String),
    /// An argument out of range in the binding itself (an unknown signal name).
    #[error("{0}")]
    InvalidArgument(String),
    /// An error of a newer core that this binding has no variant for.
    #[error("{0}")]
    Unknown(String),
}

impl From<Error> for HashscreenError {
    fn from(e: Error) -> Self {
        HashscreenError::from_code(e.code(), e.to_string())
    }
}

impl HashscreenError {
    /// The variant for a core error code, carrying `m`.
    fn from_code(code: &str, m: String) -> Self {
        use HashscreenError as H;
        match code {
            "input_too_large" => H::InputTooLarge(m),
            "invalid_key_length" => H::InvalidKeyLength(m),
            "invalid_hex" => H::InvalidHex(m),
            "rng" => H::Rng(m),
            "key_mismatch" => H::KeyMismatch(m),
            "bad_magic" => H::BadMagic(m),
            "version" => H::Version(m),
            "truncated" => H::Truncated(m),
            "malformed" => H::Malformed(m),
            "checksum" => H::Checksum(m),
            "signature_missing" => H::SignatureMissing(m),
            "bad_signature" => H::BadSignature(m),
            "rollback" => H::Rollback(m),
            "wrong_file_kind" => H::WrongFileKind(m),
            "delta_mismatch" => H::DeltaMismatch(m),
            "not_additive" => H::NotAdditive(m),
            "invalid_label" => H::InvalidLabel(m),
            "unsupported_digest_version" => H::UnsupportedDigestVersion(m),
            "invalid_parameters" => H::InvalidParameters(m),
            "invalid_utf8" => H::InvalidUtf8(m),
            "invalid_url" => H::InvalidUrl(m),
            "image_empty" => H::ImageEmpty(m),
            "image_buffer_mismatch" => H::ImageBufferMismatch(m),
            "image_stride_too_small" => H::ImageStrideTooSmall(m),
            "image_too_large" => H::ImageTooLarge(m),
            "image_memory_limit" => H::ImageMemoryLimit(m),
            "image_input_too_large" => H::ImageInputTooLarge(m),
            "unsupported_image_format" => H::UnsupportedImageFormat(m),
            "image_decode" => H::ImageDecode(m),
            "image_low_quality" => H::ImageLowQuality(m),
            "invalid_image_hash_hex" => H::InvalidImageHashHex(m),
            _ => H::Unknown(m),
        }
    }
}

type Result<T> = std::result::Result<T, HashscreenError>;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn signal_by_name(name: &str) -> Result<hashscreen::SignalKind> {
    hashscreen::SignalKind::ALL
        .into_iter()
        .find(|k| k.name() == name)
        .ok_or_else(|| HashscreenError::InvalidArgument(format!("unknown signal name {name:?}")))
}

// ---------------------------------------------------------------------------------------------
// Keys

/// A deployment key (32 secret bytes), wiped from memory when released; never printed.
#[derive(uniffi::Object)]
pub struct Key(hashscreen::Key);

#[uniffi::export]
impl Key {
    /// A new random key.
    #[uniffi::constructor]
    pub fn generate() -> Result<Arc<Self>> {
        Ok(Arc::new(Key(hashscreen::Key::generate()?)))
    }

    /// A key from 64 hex digits (surrounding whitespace ignored), as a key file holds it.
    #[uniffi::constructor]
    pub fn from_hex(hex: String) -> Result<Arc<Self>> {
        Ok(Arc::new(Key(hashscreen::Key::from_hex(&hex)?)))
    }

    /// The public key id (32 hex digits), safe to log.
    pub fn id(&self) -> String {
        self.0.id().to_hex()
    }

    /// The 64 secret hex digits, for writing a key file. Handle with care.
    pub fn to_secret_hex(&self) -> String {
        self.0.to_secret_hex()
    }
}

/// A publisher's Ed25519 signing key (trust-and-safety side), wiped when released.
#[derive(uniffi::Object)]
pub struct SigningKey(hashscreen::SigningKey);

#[uniffi::export]
impl SigningKey {
    /// A new random signing key.
    #[uniffi::constructor]
    pub fn generate() -> Result<Arc<Self>> {
        Ok(Arc::new(SigningKey(hashscreen::SigningKey::generate()?)))
    }

    /// A signing key from its 64 secret hex digits.
    #[uniffi::constructor]
    pub fn from_hex(hex: String) -> Result<Arc<Self>> {
        Ok(Arc::new(SigningKey(hashscreen::SigningKey::from_hex(
            &hex,
        )?)))
    }

    /// The public verifying key, for clients.
    pub fn verifying_key(&self) -> Arc<VerifyingKey> {
        Arc::new(VerifyingKey(self.0.verifying_key()))
    }

    /// The 64 secret hex digits. Handle with care.
    pub fn to_secret_hex(&self) -> String {
        self.0.to_secret_hex()
    }
}

/// A publisher's Ed25519 verifying (public) key: pin it in clients.
#[derive(uniffi::Object)]
pub struct VerifyingKey(hashscreen::VerifyingKey);

#[uniffi::export]
impl VerifyingKey {
    /// A verifying key from 64 hex digits.
    #[uniffi::constructor]
    pub fn from_hex(hex: String) -> Result<Arc<Self>> {
        Ok(Arc::new(VerifyingKey(hashscreen::VerifyingKey::from_hex(
            &hex,
        )?)))
    }

    /// The key as 64 hex digits.
    pub fn to_hex(&self) -> String {
        self.0.to_hex()
    }
}

// ---------------------------------------------------------------------------------------------
// Blocklists

/// What to verify when opening a list or applying a delta, beyond length and checksum.
#[derive(uniffi::Record)]
pub struct OpenOptions {
    /// Require a valid signature by this publisher.
    #[uniffi(default = None)]
    pub publisher: Option<Arc<VerifyingKey>>,
    /// Reject lists with a lower sequence number (rollback protection): the one already held.
    #[uniffi(default = None)]
    pub min_sequence: Option<u64>,
    /// Require the list to be built under this deployment key id (32 hex digits).
    #[uniffi(default = None)]
    pub key_id: Option<String>,
}

impl OpenOptions {
    fn to_core(&self) -> Result<hashscreen::OpenOptions> {
        Ok(hashscreen::OpenOptions {
            publisher: self.publisher.as_ref().map(|k| k.0),
            min_sequence: self.min_sequence,
            key_id: self
                .key_id
                .as_deref()
                .map(hashscreen::KeyId::from_hex)
                .transpose()?,
            ..hashscreen::OpenOptions::default()
        })
    }
}

/// One section of a list: a signal kind, a label and how many entries it holds.
#[derive(uniffi::Record)]
pub struct SectionInfo {
    /// The signal kind ("file", "text", "text_loose", "text_shingle", "url", "image_pdq", "image_near").
    pub signal: String,
    /// The section's label.
    pub label: String,
    /// Entries listed.
    pub entries: u64,
}

/// A verified blocklist (or delta). Immutable and thread-safe.
#[derive(uniffi::Object)]
pub struct Blocklist(hashscreen::Blocklist);

#[uniffi::export]
impl Blocklist {
    /// Verifies and opens a list: length, checksum, and what `options` asks (signature, sequence,
    /// key id).
    #[uniffi::constructor]
    pub fn open(bytes: Vec<u8>, options: OpenOptions) -> Result<Arc<Self>> {
        Ok(Arc::new(Blocklist(hashscreen::Blocklist::open(
            bytes,
            &options.to_core()?,
        )?)))
    }

    /// The sequence number (higher is newer).
    pub fn sequence(&self) -> u64 {
        self.0.sequence()
    }

    /// Creation time, Unix seconds.
    pub fn created(&self) -> u64 {
        self.0.created()
    }

    /// The checksum as 64 hex digits.
    pub fn checksum(&self) -> String {
        hex(&self.0.checksum())
    }

    /// The id of the deployment key the list was built under.
    pub fn key_id(&self) -> String {
        self.0.key_id().to_hex()
    }

    /// The signer's verifying key in hex, if the list is signed.
    pub fn signer(&self) -> Option<String> {
        self.0.signer().map(|k| k.to_hex())
    }

    /// The sections: signal, label, entries.
    pub fn sections(&self) -> Vec<SectionInfo> {
        self.0
            .sections()
            .iter()
            .map(|s| SectionInfo {
                signal: s.signal.map_or_else(
                    || format!("unknown({})", s.signal_code),
                    |k| k.name().into(),
                ),
                label: s.label.clone(),
                entries: s.entries,
            })
            .collect()
    }

    /// The file's bytes, for storing.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.as_bytes().to_vec()
    }

    /// Applies a delta to this list and returns the new list, verified with `options`. This list
    /// is untouched: on error, keep using it.
    pub fn apply_delta(&self, delta: Vec<u8>, options: OpenOptions) -> Result<Arc<Blocklist>> {
        Ok(Arc::new(Blocklist(delta::apply(
            &self.0,
            delta,
            &options.to_core()?,
        )?)))
    }
}

/// A delta from `old` to `new` (additions only; `NotAdditive` when entries were removed), signed
/// when a signer is given.
#[uniffi::export]
pub fn make_delta(
    old: &Blocklist,
    new: &Blocklist,
    signer: Option<Arc<SigningKey>>,
) -> Result<Vec<u8>> {
    Ok(delta::make(&old.0, &new.0, signer.as_ref().map(|s| &s.0))?)
}

/// The value behind a mutex, even if a thread panicked while holding it (the value stays valid:
/// every update is a single call).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Builds a blocklist (trust-and-safety side). Thread-safe: calls are serialised by a lock.
#[derive(uniffi::Object)]
pub struct BlocklistBuilder(Mutex<hashscreen::BlocklistBuilder>);

impl BlocklistBuilder {
    fn with<T>(&self, f: impl FnOnce(&mut hashscreen::BlocklistBuilder) -> T) -> T {
        f(&mut lock(&self.0))
    }
}

#[uniffi::export]
impl BlocklistBuilder {
    /// An empty builder under a deployment key (sequence 1, false-positive rate 1e-6).
    #[uniffi::constructor]
    pub fn new(key: &Key) -> Arc<Self> {
        Arc::new(BlocklistBuilder(Mutex::new(
            hashscreen::BlocklistBuilder::new(&key.0),
        )))
    }

    /// A builder extending `base` (same list id and filter sizes, next sequence number), so that
    /// `make_delta(base, built)` works.
    #[uniffi::constructor]
    pub fn from_base(key: &Key, base: &Blocklist) -> Result<Arc<Self>> {
        Ok(Arc::new(BlocklistBuilder(Mutex::new(
            hashscreen::BlocklistBuilder::from_base(&key.0, &base.0)?,
        ))))
    }

    /// Sets the sequence number.
    pub fn set_sequence(&self, sequence: u64) {
        self.with(|b| {
            b.sequence(sequence);
        });
    }

    /// Sets the creation time (Unix seconds; default now).
    pub fn set_created(&self, unix_seconds: u64) {
        self.with(|b| {
            b.created(unix_seconds);
        });
    }

    /// Sets the target false-positive rate per probe.
    pub fn set_false_positive_rate(&self, fpr: f64) -> Result<()> {
        self.with(|b| b.false_positive_rate(fpr).map(|_| ()))?;
        Ok(())
    }

    /// Lists a text: strict and loose keys and word shingles.
    pub fn add_text(&self, label: String, text: String) -> Result<()> {
        Ok(self.with(|b| b.add_text(&label, &text))?)
    }

    /// Lists a URL (a domain blocks it and its subdomains, a path its subtree).
    pub fn add_url(&self, label: String, url: String) -> Result<()> {
        Ok(self.with(|b| b.add_url(&label, &url))?)
    }

    /// Lists a file's exact bytes.
    pub fn add_file(&self, label: String, bytes: Vec<u8>) -> Result<()> {
        Ok(self.with(|b| b.add_file(&label, &bytes))?)
    }

    /// Lists an image file by exact bytes, PDQ hash and near-duplicate codes, so edited copies
    /// match too (`ImageLowQuality` for images too plain to match: nothing is listed).
    pub fn add_image(&self, label: String, bytes: Vec<u8>) -> Result<()> {
        Ok(self.with(|b| b.add_image(&label, &bytes))?)
    }

    /// Lists a PDQ hash given as 64 hex digits (from a hash-sharing export).
    pub fn add_pdq_hash(&self, label: String, hash_hex: String) -> Result<()> {
        let hash = PdqHash::from_hex(&hash_hex)?;
        Ok(self.with(|b| b.add_pdq_hash(&label, &hash))?)
    }

    /// Items added so far.
    pub fn pending(&self) -> u64 {
        self.with(|b| b.pending() as u64)
    }

    /// Builds the unsigned list.
    pub fn build(&self) -> Result<Vec<u8>> {
        Ok(self.with(|b| b.build())?)
    }

    /// Builds the list signed by a publisher key.
    pub fn build_signed(&self, signer: &SigningKey) -> Result<Vec<u8>> {
        Ok(self.with(|b| b.build_signed(&signer.0))?)
    }
}

// ---------------------------------------------------------------------------------------------
// Screening

/// One part of a message.
#[derive(uniffi::Enum)]
pub enum MessagePart {
    /// Text typed by the user.
    Text {
        /// The text.
        text: String,
    },
    /// A link.
    Url {
        /// The URL.
        url: String,
    },
    /// An attachment's exact bytes.
    File {
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// An image file (exact bytes and PDQ).
    Image {
        /// The encoded image.
        bytes: Vec<u8>,
    },
}

/// One match: which part matched which list section. No content, no hash.
#[derive(uniffi::Record)]
pub struct Match {
    /// Index of the message part (0 for single-part screening).
    pub part: u64,
    /// The signal kind that matched.
    pub signal: String,
    /// The label of the section that matched.
    pub label: String,
}

/// A part that could not be screened, and why.
#[derive(uniffi::Record)]
pub struct Unscreened {
    /// Index of the part.
    pub part: u64,
    /// The reason's stable code (`image_low_quality`, `input_too_large`, ...).
    pub code: String,
    /// The reason as a message (no content).
    pub message: String,
}

/// The outcome of screening.
#[derive(uniffi::Record)]
pub struct Verdict {
    /// True if any part matched.
    pub matched: bool,
    /// The matches, by part then section order.
    pub matches: Vec<Match>,
    /// Parts that could not be screened.
    pub unscreened: Vec<Unscreened>,
}

impl From<hashscreen::Verdict> for Verdict {
    fn from(v: hashscreen::Verdict) -> Verdict {
        Verdict {
            matched: v.matched(),
            matches: v
                .matches()
                .iter()
                .map(|m| Match {
                    part: m.part() as u64,
                    signal: m.signal().name().to_owned(),
                    label: m.label().to_owned(),
                })
                .collect(),
            unscreened: v
                .unscreened()
                .iter()
                .map(|u| Unscreened {
                    part: u.part() as u64,
                    code: u.reason().code().to_owned(),
                    message: u.reason().to_string(),
                })
                .collect(),
        }
    }
}

/// A file fed in pieces, for `Screener.screen_file_hasher` (holds keyed state: wiped when
/// released). Empty, and fed for nothing, when the screener's list has no file section.
#[derive(uniffi::Object)]
pub struct FileHasher(Mutex<Option<hashscreen::FileHasher>>);

#[uniffi::export]
impl FileHasher {
    /// Feeds the next bytes of the file.
    pub fn update(&self, bytes: Vec<u8>) {
        if let Some(h) = lock(&self.0).as_mut() {
            h.update(&bytes);
        }
    }
}

/// Screens message parts against one list. Immutable and thread-safe: share one per list.
#[derive(uniffi::Object)]
pub struct Screener(hashscreen::Screener);

#[uniffi::export]
impl Screener {
    /// A screener over a verified full list with its deployment key (`KeyMismatch` otherwise).
    #[uniffi::constructor]
    pub fn new(list: &Blocklist, key: &Key) -> Result<Arc<Self>> {
        Ok(Arc::new(Screener(hashscreen::Screener::new(
            &list.0, &key.0,
        )?)))
    }

    /// Screens a text (strict and loose keys, shingles, and the URLs in it).
    pub fn screen_text(&self, text: String) -> Result<Verdict> {
        Ok(self.0.screen_text(&text)?.into())
    }

    /// Screens a URL.
    pub fn screen_url(&self, url: String) -> Result<Verdict> {
        Ok(self.0.screen_url(&url)?.into())
    }

    /// Screens a file's exact bytes.
    pub fn screen_file(&self, bytes: Vec<u8>) -> Verdict {
        self.0.screen_file(&bytes).into()
    }

    /// A hasher for a file too large to hold in memory: feed it the file in pieces
    /// (`update`), then `screen_file_hasher`. The same verdict as `screen_file` on the whole file,
    /// in constant memory.
    pub fn file_hasher(&self) -> Arc<FileHasher> {
        Arc::new(FileHasher(Mutex::new(self.0.file_hasher())))
    }

    /// Screens the file fed to `hasher` (from this screener's `file_hasher`).
    pub fn screen_file_hasher(&self, hasher: &FileHasher) -> Verdict {
        match &*lock(&hasher.0) {
            Some(h) => self.0.screen_file_digest(&h.finish()).into(),
            // The list has no file section: nothing to probe.
            None => hashscreen::Verdict::default().into(),
        }
    }

    /// Screens an image file (exact bytes, and PDQ with all rotations and flips). Fails for
    /// undecodable or too plain images; `screen` reports those as unscreened instead.
    pub fn screen_image(&self, bytes: Vec<u8>) -> Result<Verdict> {
        Ok(self.0.screen_image(&bytes)?.into())
    }

    /// Screens every part of a message; parts that cannot be screened are listed in
    /// `unscreened` and the others are still screened.
    pub fn screen(&self, parts: Vec<MessagePart>) -> Verdict {
        let mut m = hashscreen::Message::new();
        for p in &parts {
            m = match p {
                MessagePart::Text { text } => m.text(text),
                MessagePart::Url { url } => m.url(url),
                MessagePart::File { bytes } => m.file(bytes),
                MessagePart::Image { bytes } => m.image(bytes),
            };
        }
        self.0.screen(&m).into()
    }
}

// ---------------------------------------------------------------------------------------------
// Hashes and canonical forms

/// PDQ hashes of an image: the hash, its seven rotations and flips, and the quality.
#[derive(uniffi::Record)]
pub struct Pdq {
    /// The hash (64 hex digits).
    pub hash: String,
    /// Quality 0-100; below 50 the hash is too unreliable to match.
    pub quality: u8,
    /// The eight dihedral hashes in the reference tool's order (original, rotate 90, 180, 270,
    /// flip X, flip Y, flip +1 diagonal, flip -1 diagonal).
    pub dihedral: Vec<String>,
}

/// PDQ hashes of an image file (JPEG, PNG, WebP, GIF, BMP; EXIF orientation applied).
#[uniffi::export]
pub fn pdq_from_image(bytes: Vec<u8>) -> Result<Pdq> {
    let all = hashscreen::image::pdq_dihedral_from_bytes(&bytes)?;
    Ok(Pdq {
        hash: all.hashes[0].to_hex(),
        quality: all.quality,
        dihedral: all.hashes.iter().map(PdqHash::to_hex).collect(),
    })
}

/// The Hamming distance (0-256) between two PDQ hashes in hex.
#[uniffi::export]
pub fn pdq_distance(a: String, b: String) -> Result<u32> {
    Ok(PdqHash::from_hex(&a)?.distance(&PdqHash::from_hex(&b)?))
}

/// The lowest PDQ quality that is matched (lower ones are rejected as too plain).
#[uniffi::export]
pub fn min_match_quality() -> u8 {
    hashscreen::image::MIN_MATCH_QUALITY
}

/// The strict canonical key of a text (the "text" signal's value).
#[uniffi::export]
pub fn text_strict_key(text: String) -> Result<String> {
    Ok(hashscreen::text::strict_key(&text)?)
}

/// The loose canonical key of a text (the "text_loose" signal's value).
#[uniffi::export]
pub fn text_loose_key(text: String) -> Result<String> {
    Ok(hashscreen::text::loose_key(&text)?)
}

/// The word shingles of a text (`width` words each, default 2): the "text_shingle" values.
#[uniffi::export(default(width = None))]
pub fn text_shingles(text: String, width: Option<u32>) -> Result<Vec<String>> {
    let width = width.map_or(hashscreen::text::SHINGLE_WIDTH, |w| w as usize);
    Ok(hashscreen::text::shingles(&text, width)?)
}

/// The Safe Browsing canonical form of a URL (after refanging `hxxp`, `[.]`).
#[uniffi::export]
pub fn url_canonicalize(url: String) -> Result<String> {
    Ok(hashscreen::url::canonicalize(&url)?)
}

/// The host-suffix x path-prefix expressions of a URL (at most 30): the "url" values.
#[uniffi::export]
pub fn url_expressions(url: String) -> Result<Vec<String>> {
    Ok(hashscreen::url::canonical_expressions(&url)?)
}

/// The keyed digest (64 hex digits) of a signal value under a deployment key: BLAKE3 keyed by
/// the signal's subkey over the little-endian version and the value.
#[uniffi::export]
pub fn digest(key: &Key, signal: String, version: u16, value: Vec<u8>) -> Result<String> {
    Ok(hashscreen::digest(&key.0, signal_by_name(&signal)?, version, &value).to_hex())
}

/// The signal kind names, in format order.
#[uniffi::export]
pub fn signal_names() -> Vec<String> {
    hashscreen::SignalKind::ALL
        .iter()
        .map(|k| k.name().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The variant name, snake-cased, is the core code: each code has its own variant.
    #[test]
    fn every_core_code_has_its_own_variant() {
        for code in Error::CODES {
            let e = HashscreenError::from_code(code, String::new());
            let debug = format!("{e:?}");
            let name = debug.split('(').next().unwrap_or("");
            let mut snake = String::new();
            for (i, c) in name.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    snake.push('_');
                }
                snake.push(c.to_ascii_lowercase());
            }
            assert_eq!(snake, *code, "{debug}");
        }
        let e: HashscreenError = Error::Rollback {
            current: 2,
            found: 1,
        }
        .into();
        assert!(matches!(e, HashscreenError::Rollback(ref m) if m.contains("rollback")));
    }
}
