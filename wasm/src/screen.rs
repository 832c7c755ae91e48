//! The `Screener`: messages in, verdict objects out.

use hashscreen::{Digest, Message, Part, Verdict};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::{intern, prelude::*};

use crate::blocklist::Blocklist;
use crate::error::{code, invalid_argument, js};
use crate::js::{byte_len, digest_in_pieces, get, image_bytes, object, set};
use crate::key::{signal_kind, Key};
use crate::{JsMessage, JsSignalName, JsVerdict};

/// Screens messages against one verified list with the deployment key. Immutable: build it once
/// per list; it shares the list's bytes (no copy).
#[wasm_bindgen]
pub struct Screener(pub(crate) hashscreen::Screener);

/// A message part copied out of JS (the core borrows from these for the call). Files are not
/// copied: they are hashed 1 MiB at a time ([`crate::js::for_each_chunk`]).
enum Owned {
    Text(String),
    /// The file's digest, or `None` when the list has no `file` section (nothing to probe).
    File(Option<Digest>),
    Url(String),
    Image(Vec<u8>),
    /// An image over the decode limit: not copied, hashed 1 MiB at a time.
    LargeImage(Option<Digest>, u64),
}

impl Owned {
    fn part(&self) -> Part<'_> {
        match self {
            Owned::Text(t) => Part::Text(t),
            Owned::File(Some(d)) => Part::FileDigest(*d),
            // No `file` section: the part is screened for nothing, and keeps its index.
            Owned::File(None) => Part::File(&[]),
            Owned::Url(u) => Part::Url(u),
            Owned::Image(b) => Part::Image(b),
            Owned::LargeImage(file, len) => Part::LargeImage {
                file: *file,
                len: *len,
            },
        }
    }
}

/// A file's digest under the screener's key, `None` when the list has no `file` section.
fn file_digest(screener: &hashscreen::Screener, bytes: &Uint8Array) -> Option<Digest> {
    Some(digest_in_pieces(screener.file_hasher()?, bytes))
}

/// An image part: copied when the decoder can take it, else hashed in pieces (the core then screens
/// it by its bytes and reports the size as it would for the copy).
fn image_part(screener: &hashscreen::Screener, bytes: &Uint8Array) -> Owned {
    let len = byte_len(bytes);
    match image_bytes(bytes) {
        Ok(b) => Owned::Image(b),
        Err(_) => Owned::LargeImage(file_digest(screener, bytes), len),
    }
}

/// One `MessagePart`: a string (text), a `Uint8Array` (file), `{text}` or `{file}`.
fn owned_part(screener: &hashscreen::Screener, index: u32, v: &JsValue) -> Result<Owned, JsValue> {
    if let Some(text) = v.as_string() {
        return Ok(Owned::Text(text));
    }
    if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
        return Ok(Owned::File(file_digest(screener, bytes)));
    }
    if v.is_object() {
        if let Some(text) = get(v, "text")? {
            if let Some(text) = text.as_string() {
                return Ok(Owned::Text(text));
            }
        } else if let Some(file) = get(v, "file")? {
            if let Some(bytes) = file.dyn_ref::<Uint8Array>() {
                return Ok(Owned::File(file_digest(screener, bytes)));
            }
        } else if let Some(url) = get(v, "url")? {
            if let Some(url) = url.as_string() {
                return Ok(Owned::Url(url));
            }
        } else if let Some(image) = get(v, "image")? {
            if let Some(bytes) = image.dyn_ref::<Uint8Array>() {
                return Ok(image_part(screener, bytes));
            }
        }
    }
    Err(invalid_argument(&format!(
        "message part {index} must be a string, a Uint8Array, {{text: string}}, {{file: Uint8Array}}, {{url: string}} or {{image: Uint8Array}}"
    )))
}

/// A `Verdict` object: `{matched, matches: [{part, signal, label}], unscreened: [{part, code,
/// message}]}`. No content, no hash.
pub(crate) fn verdict_to_js(v: &Verdict) -> JsVerdict {
    let matches = Array::new();
    for m in v.matches() {
        let o = object();
        set(&o, "part", m.part() as f64);
        set(&o, "signal", intern(m.signal().name()));
        set(&o, "label", intern(m.label()));
        matches.push(&o);
    }
    let unscreened = Array::new();
    for u in v.unscreened() {
        let o = object();
        set(&o, "part", u.part() as f64);
        set(&o, "code", code(u.reason()).as_str());
        set(&o, "message", u.reason().to_string());
        unscreened.push(&o);
    }
    let o = object();
    set(&o, "matched", v.matched());
    set(&o, "matches", matches);
    set(&o, "unscreened", unscreened);
    o.unchecked_into()
}

#[wasm_bindgen]
impl Screener {
    /// A screener over a verified list, with the deployment key it was built with. Throws
    /// `"KEY_MISMATCH"` for another key, `"UNSUPPORTED_DIGEST_VERSION"` for a list from a newer
    /// library.
    #[wasm_bindgen(constructor)]
    pub fn new(list: &Blocklist, key: &Key) -> Result<Screener, JsValue> {
        hashscreen::Screener::new(&list.0, &key.0)
            .map(Screener)
            .map_err(js)
    }

    /// Screens a text. Throws `"INPUT_TOO_LARGE"` over 1 MiB (`screen()` reports it in
    /// `unscreened` instead).
    #[wasm_bindgen(js_name = screenText)]
    pub fn screen_text(&self, text: &str) -> Result<JsVerdict, JsValue> {
        self.0
            .screen_text(text)
            .map(|v| verdict_to_js(&v))
            .map_err(js)
    }

    /// Screens a URL (canonical form, up to 30 host x path expressions). Throws `"INVALID_URL"`.
    #[wasm_bindgen(js_name = screenUrl)]
    pub fn screen_url(&self, url: &str) -> Result<JsVerdict, JsValue> {
        self.0
            .screen_url(url)
            .map(|v| verdict_to_js(&v))
            .map_err(js)
    }

    /// Screens an image file: its exact bytes and its PDQ hash (eight rotations and mirrors).
    /// Throws for undecodable images and `"IMAGE_LOW_QUALITY"` for images too plain to match
    /// (`screen()` reports those in `unscreened` and keeps the exact-bytes result).
    #[wasm_bindgen(js_name = screenImage)]
    pub fn screen_image(&self, bytes: &Uint8Array) -> Result<JsVerdict, JsValue> {
        let v = match image_bytes(bytes) {
            Ok(b) => self.0.screen_image(&b),
            // Over the decode limit: by its bytes, hashed in pieces; the core reports the size.
            Err(_) => self
                .0
                .screen_large_image(file_digest(&self.0, bytes).as_ref(), byte_len(bytes)),
        };
        v.map(|v| verdict_to_js(&v)).map_err(js)
    }

    /// Screens a file's exact bytes, read 1 MiB at a time: a file of any size needs 1 MiB of
    /// WebAssembly memory.
    #[wasm_bindgen(js_name = screenFile)]
    pub fn screen_file(&self, bytes: &Uint8Array) -> JsVerdict {
        match file_digest(&self.0, bytes) {
            Some(d) => verdict_to_js(&self.0.screen_file_digest(&d)),
            None => verdict_to_js(&Verdict::default()),
        }
    }

    /// Screens every part of a message (an array of parts). Matches name the part's index; a part
    /// that cannot be screened is listed in `unscreened` and the others are still screened.
    pub fn screen(&self, message: JsMessage) -> Result<JsVerdict, JsValue> {
        let parts: &JsValue = message.as_ref();
        let parts = parts
            .dyn_ref::<Array>()
            .ok_or_else(|| invalid_argument("message must be an array of parts"))?;
        let owned = parts
            .iter()
            .zip(0u32..)
            .map(|(p, i)| owned_part(&self.0, i, &p))
            .collect::<Result<Vec<_>, _>>()?;
        let message = owned
            .iter()
            .fold(Message::new(), |m, part| m.part(part.part()));
        Ok(verdict_to_js(&self.0.screen(&message)))
    }

    /// True if the list has a section of this signal kind.
    #[wasm_bindgen(js_name = hasSignal)]
    pub fn has_signal(&self, signal: JsSignalName) -> Result<bool, JsValue> {
        let name = signal
            .as_string()
            .ok_or_else(|| invalid_argument("signal must be a string"))?;
        Ok(self.0.has_signal(signal_kind(&name)?))
    }
}
