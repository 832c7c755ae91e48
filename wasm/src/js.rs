//! Small helpers to read and write plain JS objects (no logic: property access and number checks).

use js_sys::Reflect;
use wasm_bindgen::{intern, prelude::*};

use crate::error::invalid_argument;

/// A new empty object.
pub(crate) fn object() -> JsValue {
    js_sys::Object::new().into()
}

/// Sets `obj[key] = value` (cannot fail on a plain object we created). Property names are interned:
/// converted to JS strings once.
pub(crate) fn set(obj: &JsValue, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(intern(key)), &value.into());
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
