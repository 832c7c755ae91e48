//! The `Screener`: messages in, verdict objects out.

use hashscreen::{Message, Part, Verdict};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::{intern, prelude::*};

use crate::blocklist::Blocklist;
use crate::error::{code, invalid_argument, js};
use crate::js::{get, object, set};
use crate::key::{signal_kind, Key};
use crate::{JsMessage, JsSignalName, JsVerdict};

/// Screens messages against one verified list with the deployment key. Immutable: build it once
/// per list; it shares the list's bytes (no copy).
#[wasm_bindgen]
pub struct Screener(pub(crate) hashscreen::Screener);

/// A message part copied out of JS (the core borrows from these for the call).
enum Owned {
    Text(String),
    File(Vec<u8>),
    Url(String),
    Image(Vec<u8>),
}

impl Owned {
    fn part(&self) -> Part<'_> {
        match self {
            Owned::Text(t) => Part::Text(t),
            Owned::File(b) => Part::File(b),
            Owned::Url(u) => Part::Url(u),
            Owned::Image(b) => Part::Image(b),
        }
    }
}

/// One `MessagePart`: a string (text), a `Uint8Array` (file), `{text}` or `{file}`.
fn owned_part(index: u32, v: &JsValue) -> Result<Owned, JsValue> {
    if let Some(text) = v.as_string() {
        return Ok(Owned::Text(text));
    }
    if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
        return Ok(Owned::File(bytes.to_vec()));
    }
    if v.is_object() {
        if let Some(text) = get(v, "text")? {
            if let Some(text) = text.as_string() {
                return Ok(Owned::Text(text));
            }
        } else if let Some(file) = get(v, "file")? {
            if let Some(bytes) = file.dyn_ref::<Uint8Array>() {
                return Ok(Owned::File(bytes.to_vec()));
            }
        } else if let Some(url) = get(v, "url")? {
            if let Some(url) = url.as_string() {
                return Ok(Owned::Url(url));
            }
        } else if let Some(image) = get(v, "image")? {
            if let Some(bytes) = image.dyn_ref::<Uint8Array>() {
                return Ok(Owned::Image(bytes.to_vec()));
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
    pub fn screen_image(&self, bytes: &[u8]) -> Result<JsVerdict, JsValue> {
        self.0
            .screen_image(bytes)
            .map(|v| verdict_to_js(&v))
            .map_err(js)
    }

    /// Screens a file's exact bytes (copied once into WebAssembly memory for the call).
    #[wasm_bindgen(js_name = screenFile)]
    pub fn screen_file(&self, bytes: &[u8]) -> JsVerdict {
        verdict_to_js(&self.0.screen_file(bytes))
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
            .map(|(p, i)| owned_part(i, &p))
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
