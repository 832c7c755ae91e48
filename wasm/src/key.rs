//! Deployment keys, publisher keys, keyed digests and the canonical text key.

use hashscreen::SignalKind;
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use crate::error::{invalid_argument, js};
use crate::js::digest_in_pieces;
use crate::JsSignalName;

/// A 32-byte deployment key. Its bytes stay in WebAssembly memory and are wiped when the object is
/// freed (`free()`, or by the garbage collector): JS sees only its public `id`, unless it asks for
/// `toSecretHex()`.
#[wasm_bindgen]
pub struct Key(pub(crate) hashscreen::Key);

#[wasm_bindgen]
impl Key {
    /// A new random key (`crypto.getRandomValues`).
    pub fn generate() -> Result<Key, JsValue> {
        hashscreen::Key::generate().map(Key).map_err(js)
    }

    /// A key from 64 hex digits, as written by `hashscreen keygen`.
    #[wasm_bindgen(js_name = fromHex)]
    pub fn from_hex(hex: &str) -> Result<Key, JsValue> {
        hashscreen::Key::from_hex(hex).map(Key).map_err(js)
    }

    /// A key from its 32 bytes.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(bytes: &[u8]) -> Result<Key, JsValue> {
        hashscreen::Key::from_slice(bytes).map(Key).map_err(js)
    }

    /// The public id of the key (32 hex digits), recorded in blocklists.
    #[wasm_bindgen(getter)]
    pub fn id(&self) -> String {
        self.0.id().to_hex()
    }

    /// The key as 64 hex digits. Handle with care: do not log or send it.
    #[wasm_bindgen(js_name = toSecretHex)]
    pub fn to_secret_hex(&self) -> String {
        self.0.to_secret_hex()
    }
}

/// A publisher's Ed25519 signing key (trust-and-safety side), for signing lists.
#[wasm_bindgen]
pub struct SigningKey(pub(crate) hashscreen::SigningKey);

#[wasm_bindgen]
impl SigningKey {
    /// A new random signing key.
    pub fn generate() -> Result<SigningKey, JsValue> {
        hashscreen::SigningKey::generate()
            .map(SigningKey)
            .map_err(js)
    }

    /// A signing key from its 32-byte seed in hex.
    #[wasm_bindgen(js_name = fromHex)]
    pub fn from_hex(hex: &str) -> Result<SigningKey, JsValue> {
        hashscreen::SigningKey::from_hex(hex)
            .map(SigningKey)
            .map_err(js)
    }

    /// The public key (64 hex digits) that clients pass as `publisher` to `Blocklist.open`.
    #[wasm_bindgen(getter, js_name = publicKey)]
    pub fn public_key(&self) -> String {
        self.0.verifying_key().to_hex()
    }

    /// The seed as 64 hex digits. Handle with care.
    #[wasm_bindgen(js_name = toSecretHex)]
    pub fn to_secret_hex(&self) -> String {
        self.0.to_secret_hex()
    }
}

/// The signal kind named `name` (`"file"`, `"text"`, ...).
pub(crate) fn signal_kind(name: &str) -> Result<SignalKind, JsValue> {
    SignalKind::ALL
        .into_iter()
        .find(|k| k.name() == name)
        .ok_or_else(|| invalid_argument(&format!("unknown signal kind {name:?}")))
}

/// Keyed digest (64 hex digits) of one signal value: `BLAKE3-keyed(subkey(signal), u16_le(version)
/// || value)`. For text, `value` is the UTF-8 of `canonicalText(text)`.
#[wasm_bindgen]
pub fn digest(
    key: &Key,
    #[wasm_bindgen(unchecked_param_type = "SignalName")] signal: &str,
    version: u16,
    value: &[u8],
) -> Result<String, JsValue> {
    let kind = signal_kind(signal)?;
    Ok(hashscreen::digest(&key.0, kind, version, value).to_hex())
}

/// Keyed digest (64 hex digits) of a file's exact bytes. The bytes are read 1 MiB at a time: a file
/// of any size (past 4 GiB too, where the host allows such arrays) needs 1 MiB of WebAssembly memory.
#[wasm_bindgen(js_name = fileDigest)]
pub fn file_digest(key: &Key, bytes: &Uint8Array) -> String {
    digest_in_pieces(hashscreen::FileHasher::new(&key.0), bytes).to_hex()
}

/// The canonical (strict) key of a text, the value `text` digests are computed from (see the
/// Rust docs of `hashscreen::text`). Texts over 64 KiB throw `"INPUT_TOO_LARGE"`.
#[wasm_bindgen(js_name = canonicalText)]
pub fn canonical_text(text: &str) -> Result<String, JsValue> {
    hashscreen::text::strict_key(text).map_err(js)
}

/// The loose key of a text (`text_loose` digests): also drops word boundaries, repeated letters and
/// similar looks.
#[wasm_bindgen(js_name = looseText)]
pub fn loose_text(text: &str) -> Result<String, JsValue> {
    hashscreen::text::loose_key(text).map_err(js)
}

/// The word shingles (`text_shingle` values) of a text, `width` words each.
#[wasm_bindgen(js_name = textShingles)]
pub fn text_shingles(text: &str, width: usize) -> Result<Vec<String>, JsValue> {
    hashscreen::text::shingles(text, width).map_err(js)
}

/// A URL's canonical form and its expressions (`url` digest values, most specific first). Throws
/// `"INVALID_URL"` for strings that are not web URLs.
#[wasm_bindgen(js_name = canonicalExpressions)]
pub fn canonical_expressions(url: &str) -> Result<Vec<String>, JsValue> {
    let canonical = hashscreen::url::canonicalize(url).map_err(js)?;
    let mut out = vec![canonical.clone()];
    out.extend(hashscreen::url::expressions(&canonical));
    Ok(out)
}

/// PDQ hash of an image file (JPEG, PNG, WebP, GIF, BMP), with quality and the eight dihedral
/// hashes. Throws `"IMAGE_DECODE"`, `"UNSUPPORTED_IMAGE_FORMAT"`, `"IMAGE_TOO_LARGE"`, ...
#[wasm_bindgen(js_name = pdqHash)]
pub fn pdq_hash(bytes: &Uint8Array) -> Result<crate::JsPdqResult, JsValue> {
    let bytes = crate::js::image_bytes(bytes)?;
    let all = hashscreen::image::pdq_dihedral_from_bytes(&bytes).map_err(js)?;
    let o = crate::js::object();
    crate::js::set(&o, "hash", all.hashes[0].to_hex());
    crate::js::set(&o, "quality", f64::from(all.quality));
    let dihedral = js_sys::Array::new();
    for h in &all.hashes {
        dihedral.push(&JsValue::from(h.to_hex()));
    }
    crate::js::set(&o, "dihedral", dihedral);
    Ok(wasm_bindgen::JsCast::unchecked_into(o))
}

/// The canonicalisation version the library computes for a signal kind (the `version` of
/// `digest()`), or 0 when it does not compute that kind yet.
#[wasm_bindgen(js_name = digestVersion)]
pub fn digest_version(signal: JsSignalName) -> Result<u16, JsValue> {
    let name = signal
        .as_string()
        .ok_or_else(|| invalid_argument("signal must be a string"))?;
    Ok(hashscreen::screen::supported_version(signal_kind(&name)?))
}
