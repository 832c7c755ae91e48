//! Blocklists: open and verify (client side), build and sign, deltas.

use hashscreen::blocklist::delta;
use hashscreen::{KeyId, OpenOptions, VerifyingKey};
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use crate::error::js;
use crate::js::{byte_len, get_f64, get_string, get_u64, hex, hex16, object, set};
use crate::key::{Key, SigningKey};
use crate::{JsBuilderOptions, JsOpenOptions, JsSections};

/// A parsed and verified blocklist. Its bytes live in WebAssembly memory and its filters are probed
/// there in place.
#[wasm_bindgen]
pub struct Blocklist(pub(crate) hashscreen::Blocklist);

/// `OpenOptions` from JS.
fn open_options(options: &JsValue) -> Result<OpenOptions, JsValue> {
    Ok(OpenOptions {
        publisher: get_string(options, "publisher")?
            .map(|h| VerifyingKey::from_hex(&h))
            .transpose()
            .map_err(js)?,
        min_sequence: get_u64(options, "minSequence")?,
        key_id: get_string(options, "keyId")?
            .map(|h| hex16(&h, "keyId").map(KeyId))
            .transpose()?,
        max_bytes: get_u64(options, "maxBytes")?.map_or(
            OpenOptions::default().max_bytes,
            // Past the address space: no limit beyond what memory allows.
            |n| usize::try_from(n).unwrap_or(usize::MAX),
        ),
    })
}

#[wasm_bindgen]
impl Blocklist {
    /// Parses and verifies a full list: length, checksum, the publisher's signature (required when
    /// `options.publisher` is given), the key id (`options.keyId`) and rollback
    /// (`options.minSequence`), before anything is used. Throws a `HashscreenError` (`code`
    /// `"CHECKSUM"`, `"BAD_SIGNATURE"`, `"ROLLBACK"`, ...) otherwise.
    ///
    /// The bytes are copied once into WebAssembly memory, which the list then owns; a file over
    /// `options.maxBytes` (default 1 GiB) is refused (`"INPUT_TOO_LARGE"`) before the copy.
    pub fn open(bytes: &Uint8Array, options: Option<JsOpenOptions>) -> Result<Blocklist, JsValue> {
        let opts = open_options(&options.map(JsValue::from).unwrap_or_default())?;
        opts.check_len(byte_len(bytes)).map_err(js)?;
        hashscreen::Blocklist::open(bytes.to_vec(), &opts)
            .map(Blocklist)
            .map_err(js)
    }

    /// The list this one becomes with `delta` applied. The delta is verified like a list (same
    /// options); the result must match the checksum (and signature) the delta names. On error this
    /// list is unchanged: keep using it.
    #[wasm_bindgen(js_name = applyDelta)]
    pub fn apply_delta(
        &self,
        delta: &Uint8Array,
        options: Option<JsOpenOptions>,
    ) -> Result<Blocklist, JsValue> {
        let opts = open_options(&options.map(JsValue::from).unwrap_or_default())?;
        opts.check_len(byte_len(delta)).map_err(js)?;
        delta::apply(&self.0, delta.to_vec(), &opts)
            .map(Blocklist)
            .map_err(js)
    }

    /// The list's sequence number.
    #[wasm_bindgen(getter)]
    pub fn sequence(&self) -> u64 {
        self.0.sequence()
    }

    /// Creation time, Unix seconds.
    #[wasm_bindgen(getter)]
    pub fn created(&self) -> u64 {
        self.0.created()
    }

    /// Id of the deployment key the list was built with (32 hex digits).
    #[wasm_bindgen(getter, js_name = keyId)]
    pub fn key_id(&self) -> String {
        self.0.key_id().to_hex()
    }

    /// The list id (32 hex digits), kept by every version of the list.
    #[wasm_bindgen(getter, js_name = listId)]
    pub fn list_id(&self) -> String {
        hex(&self.0.list_id())
    }

    /// BLAKE3 checksum of the list's body (64 hex digits).
    #[wasm_bindgen(getter)]
    pub fn checksum(&self) -> String {
        hex(&self.0.checksum())
    }

    /// The public key (64 hex digits) of the publisher who signed the list, if it is signed.
    #[wasm_bindgen(getter)]
    pub fn signer(&self) -> Option<String> {
        self.0.signer().map(|k| k.to_hex())
    }

    /// Size of the file in bytes.
    #[wasm_bindgen(getter, js_name = byteLength)]
    pub fn byte_length(&self) -> usize {
        self.0.as_bytes().len()
    }

    /// The sections: signal kind, label, entries, filter shape, expected false-positive rate.
    #[wasm_bindgen(getter)]
    pub fn sections(&self) -> JsSections {
        let arr = js_sys::Array::new();
        for s in self.0.sections() {
            let o = object();
            set(&o, "signal", s.signal.map(|k| k.name()));
            set(&o, "signalCode", s.signal_code);
            set(&o, "label", s.label.as_str());
            set(&o, "entries", s.entries);
            set(&o, "digestVersion", s.digest_version);
            set(&o, "blockCount", s.filter.block_count);
            set(&o, "blocksPerKey", s.filter.blocks_per_key);
            set(&o, "bitsPerBlock", s.filter.bits_per_block);
            set(&o, "expectedFalsePositiveRate", s.expected_fpr());
            arr.push(&o);
        }
        JsValue::from(arr).unchecked_into()
    }

    /// A copy of the file's bytes (to store it, or to make a delta elsewhere).
    #[wasm_bindgen(js_name = toBytes)]
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.as_bytes().to_vec()
    }
}

/// Builds a blocklist (trust-and-safety side): add texts and files under labels, then `build()` or
/// `buildSigned(signer)`. The same inputs, list id and creation time give the same bytes.
#[wasm_bindgen]
pub struct BlocklistBuilder(hashscreen::BlocklistBuilder);

/// Applies `BuilderOptions`; the creation time defaults to now (JS clock).
fn configure(
    b: &mut hashscreen::BlocklistBuilder,
    options: Option<JsBuilderOptions>,
) -> Result<(), JsValue> {
    let o = options.map(JsValue::from).unwrap_or_default();
    if let Some(seq) = get_u64(&o, "sequence")? {
        b.sequence(seq);
    }
    // `SystemTime::now()` is not available on wasm32-unknown-unknown: the time comes from JS.
    let now = (js_sys::Date::now() / 1000.0).floor() as u64;
    b.created(get_u64(&o, "created")?.unwrap_or(now));
    if let Some(id) = get_string(&o, "listId")? {
        b.list_id(hex16(&id, "listId")?);
    }
    if let Some(fpr) = get_f64(&o, "falsePositiveRate")? {
        b.false_positive_rate(fpr).map_err(js)?;
    }
    if let Some(g) = get_f64(&o, "blocksPerKey")? {
        let g = u8::try_from(g as i64).unwrap_or(0);
        b.blocks_per_key(g).map_err(js)?;
    }
    Ok(())
}

#[wasm_bindgen]
impl BlocklistBuilder {
    /// A builder for a new list under `key`.
    #[wasm_bindgen(constructor)]
    pub fn new(key: &Key, options: Option<JsBuilderOptions>) -> Result<BlocklistBuilder, JsValue> {
        let mut b = hashscreen::BlocklistBuilder::new(&key.0);
        configure(&mut b, options)?;
        Ok(BlocklistBuilder(b))
    }

    /// A builder for the next version of `base` (same list id and filters, sequence one higher):
    /// `makeDelta(base, next)` then ships only the changed filter blocks.
    #[wasm_bindgen(js_name = fromBase)]
    pub fn from_base(
        key: &Key,
        base: &Blocklist,
        options: Option<JsBuilderOptions>,
    ) -> Result<BlocklistBuilder, JsValue> {
        let mut b = hashscreen::BlocklistBuilder::from_base(&key.0, &base.0).map_err(js)?;
        configure(&mut b, options)?;
        Ok(BlocklistBuilder(b))
    }

    /// Lists a text under `label` (1-64 of `A-Z a-z 0-9 . _ : / -`): its strict key, its loose key
    /// and its word shingles.
    #[wasm_bindgen(js_name = addText)]
    pub fn add_text(&mut self, label: &str, text: &str) -> Result<(), JsValue> {
        self.0.add_text(label, text).map_err(js)
    }

    /// Lists a file's exact bytes under `label`.
    #[wasm_bindgen(js_name = addFile)]
    pub fn add_file(&mut self, label: &str, bytes: &[u8]) -> Result<(), JsValue> {
        self.0.add_file(label, bytes).map_err(js)
    }

    /// Lists a URL under `label`: a domain blocks the domain and its subdomains, a path that subtree.
    #[wasm_bindgen(js_name = addUrl)]
    pub fn add_url(&mut self, label: &str, url: &str) -> Result<(), JsValue> {
        self.0.add_url(label, url).map_err(js)
    }

    /// Lists an image file under `label`: its exact bytes and its PDQ hash. Throws
    /// `"IMAGE_LOW_QUALITY"` for images too plain to match (nothing is listed then).
    #[wasm_bindgen(js_name = addImage)]
    pub fn add_image(&mut self, label: &str, bytes: &[u8]) -> Result<(), JsValue> {
        self.0.add_image(label, bytes).map_err(js)
    }

    /// Lists a PDQ hash (64 hex digits, e.g. from a hash-sharing export) under `label`.
    #[wasm_bindgen(js_name = addPdqHash)]
    pub fn add_pdq_hash(&mut self, label: &str, hash_hex: &str) -> Result<(), JsValue> {
        let hash = hashscreen::image::PdqHash::from_hex(hash_hex).map_err(js)?;
        self.0.add_pdq_hash(label, &hash).map_err(js)
    }

    /// Number of values (digests) added so far: a text adds its strict key, loose key and shingles.
    #[wasm_bindgen(getter)]
    pub fn pending(&self) -> usize {
        self.0.pending()
    }

    /// The list file, unsigned.
    pub fn build(&self) -> Result<Vec<u8>, JsValue> {
        self.0.build().map_err(js)
    }

    /// The list file, signed by the publisher.
    #[wasm_bindgen(js_name = buildSigned)]
    pub fn build_signed(&self, signer: &SigningKey) -> Result<Vec<u8>, JsValue> {
        self.0.build_signed(&signer.0).map_err(js)
    }
}

/// A delta from `old` to `next` (the next version of the same list, built with
/// `BlocklistBuilder.fromBase`), unsigned. Throws `"NOT_ADDITIVE"` when `next` removed entries: ship
/// the full list then.
#[wasm_bindgen(js_name = makeDelta)]
pub fn make_delta(old: &Blocklist, next: &Blocklist) -> Result<Vec<u8>, JsValue> {
    delta::make(&old.0, &next.0, None).map_err(js)
}

/// Like `makeDelta`, signed by the publisher.
#[wasm_bindgen(js_name = makeSignedDelta)]
pub fn make_signed_delta(
    old: &Blocklist,
    next: &Blocklist,
    signer: &SigningKey,
) -> Result<Vec<u8>, JsValue> {
    delta::make(&old.0, &next.0, Some(&signer.0)).map_err(js)
}
