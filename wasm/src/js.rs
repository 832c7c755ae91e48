//! Small helpers to read and write plain JS objects (no logic: property access and number checks).

use std::cell::RefCell;

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{prelude::*, JsCast};

use crate::error::invalid_argument;

/// A new empty object.
pub(crate) fn object() -> JsValue {
    js_sys::Object::new().into()
}

/// Sets `obj[key] = value` (cannot fail on a plain object we created). Each property name is made a
/// JS string once per thread and kept ([`NAMES`]): setting a property is then one call into JS, with
/// no conversion of the name and no lookup in wasm-bindgen's string cache (which hashes the name).
/// Verdicts are built this way on every call; it made `screenFile` about 0.45 us faster.
pub(crate) fn set(obj: &JsValue, key: &'static str, value: impl Into<JsValue>) {
    set_value(obj, key, &value.into());
}

/// [`set`] past the conversion of the value (one copy of this code, not one per value type).
fn set_value(obj: &JsValue, key: &'static str, value: &JsValue) {
    NAMES.with(|names| match names.try_borrow_mut() {
        Ok(mut names) => {
            let at = match names.iter().position(|(k, _)| *k == key) {
                Some(at) => at,
                None => {
                    names.push((key, JsValue::from_str(key)));
                    names.len() - 1
                }
            };
            let _ = Reflect::set(obj, &names[at].1, value);
        }
        // Not reached (setting a property of our own plain objects runs no JS that could call back).
        Err(_) => {
            let _ = Reflect::set(obj, &JsValue::from_str(key), value);
        }
    });
}

thread_local! {
    /// The property names [`set`] has seen, with their JS strings (about 30 names in all).
    static NAMES: RefCell<Vec<(&'static str, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// `obj[key]`, or `None` when `obj` is undefined/null or the property is undefined/null.
pub(crate) fn get(obj: &JsValue, key: &str) -> Result<Option<JsValue>, JsValue> {
    if obj.is_undefined() || obj.is_null() {
        return Ok(None);
    }
    if !obj.is_object() {
        return Err(invalid_argument("options must be an object"));
    }
    let v = Reflect::get(obj, &JsValue::from_str(key))?;
    Ok(if v.is_undefined() || v.is_null() {
        None
    } else {
        Some(v)
    })
}

/// A string property.
pub(crate) fn get_string(obj: &JsValue, key: &str) -> Result<Option<String>, JsValue> {
    get(obj, key)?
        .map(|v| {
            v.as_string()
                .ok_or_else(|| invalid_argument(&format!("`{key}` must be a string")))
        })
        .transpose()
}

/// A number property.
pub(crate) fn get_f64(obj: &JsValue, key: &str) -> Result<Option<f64>, JsValue> {
    get(obj, key)?
        .map(|v| {
            v.as_f64()
                .ok_or_else(|| invalid_argument(&format!("`{key}` must be a number")))
        })
        .transpose()
}

/// A `u64` property given as a `bigint` or a safe non-negative integer `number`.
pub(crate) fn get_u64(obj: &JsValue, key: &str) -> Result<Option<u64>, JsValue> {
    get(obj, key)?.map(|v| to_u64(&v, key)).transpose()
}

fn to_u64(v: &JsValue, what: &str) -> Result<u64, JsValue> {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    if let Some(n) = v.as_f64() {
        if (0.0..=MAX_SAFE).contains(&n) && n.fract() == 0.0 {
            return Ok(n as u64);
        }
    } else if v.is_bigint() {
        if let Ok(n) = u64::try_from(v.clone()) {
            return Ok(n);
        }
    }
    Err(invalid_argument(&format!(
        "`{what}` must be a non-negative integer (number or bigint)"
    )))
}

/// Lower-case hex of bytes (ids and checksums shown to JS as hex, like the CLI prints them).
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

/// 16 bytes from 32 hex digits (key ids and list ids given by JS).
pub(crate) fn hex16(text: &str, what: &str) -> Result<[u8; 16], JsValue> {
    let text = text.trim().as_bytes();
    let mut out = [0u8; 16];
    if text.len() != 32 {
        return Err(invalid_argument(&format!("`{what}` must be 32 hex digits")));
    }
    for (o, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let digit = |c: u8| (c as char).to_digit(16);
        match (digit(pair[0]), digit(pair[1])) {
            (Some(h), Some(l)) => *o = (h * 16 + l) as u8,
            _ => return Err(invalid_argument(&format!("`{what}` must be 32 hex digits"))),
        }
    }
    Ok(out)
}

#[wasm_bindgen]
extern "C" {
    /// A `Uint8Array` seen with number lengths and bounds: js-sys's are `u32`, which would wrap for
    /// arrays of 4 GiB and more (hashing a wrapped range would screen other bytes).
    type ByteView;
    #[wasm_bindgen(method, getter)]
    fn length(this: &ByteView) -> f64;
    #[wasm_bindgen(method)]
    fn subarray(this: &ByteView, begin: f64, end: f64) -> Uint8Array;
}

/// Bytes copied into WebAssembly memory at a time by [`for_each_chunk`].
pub(crate) const CHUNK_BYTES: usize = 1 << 20;

/// Calls `f` on the bytes of `bytes` in order, [`CHUNK_BYTES`] at a time, copied into one buffer:
/// a file of any size needs 1 MiB of WebAssembly memory. A whole copy needs as much memory as the
/// file (the module's memory cannot exceed 4 GiB, and never shrinks once grown): a 4 GiB file
/// would trap, a 2 GiB one would keep 2 GiB for the page's lifetime.
pub(crate) fn for_each_chunk(bytes: &Uint8Array, mut f: impl FnMut(&[u8])) {
    let view: &ByteView = bytes.unchecked_ref();
    let len = view.length();
    let mut buf = vec![0u8; len.min(CHUNK_BYTES as f64) as usize];
    if len <= CHUNK_BYTES as f64 {
        // One piece: copied without making a subarray object first.
        bytes.copy_to(&mut buf);
        return f(&buf);
    }
    let mut at = 0.0;
    while at < len {
        let end = (at + CHUNK_BYTES as f64).min(len);
        let n = (end - at) as usize;
        view.subarray(at, end).copy_to(&mut buf[..n]);
        f(&buf[..n]);
        at = end;
    }
}

/// The digest of a file still in JavaScript memory, fed to `hasher` by [`for_each_chunk`].
pub(crate) fn digest_in_pieces(
    mut hasher: hashscreen::FileHasher,
    bytes: &Uint8Array,
) -> hashscreen::Digest {
    for_each_chunk(bytes, |c| {
        hasher.update(c);
    });
    hasher.finish()
}

/// The length of a `Uint8Array` (exact past 4 GiB too).
pub(crate) fn byte_len(bytes: &Uint8Array) -> u64 {
    bytes.unchecked_ref::<ByteView>().length() as u64
}

/// An image file's bytes copied into WebAssembly memory, after the decoder's input size check: an
/// image over the limit is refused before any copy (a copy of a 4 GiB array would trap).
pub(crate) fn image_bytes(bytes: &Uint8Array) -> Result<Vec<u8>, JsValue> {
    hashscreen::image::DecodeLimits::default()
        .check_input_len(byte_len(bytes))
        .map_err(crate::error::js)?;
    Ok(bytes.to_vec())
}
