//! `hashscreen::Error` to JS, mapped once.
//!
//! Every error thrown to JS is an `Error` whose `name` is `"HashscreenError"` and whose `code` is a
//! stable string, one per variant of [`hashscreen::Error`]; the variant's structured fields become
//! properties (`expected`, `found`, `limit`, ...). An argument of the wrong JS type throws a
//! `TypeError` with code `"INVALID_ARGUMENT"`. Messages never contain content: safe to log.

use hashscreen::Error;
use wasm_bindgen::prelude::*;

use crate::js::set;

/// The stable JS code of an error: the core's [`Error::code`] upper-cased (`"ROLLBACK"`), so every
/// binding shares one set of codes.
pub fn code(e: &Error) -> String {
    e.code().to_ascii_uppercase()
}

/// The JS `Error` for a core error.
pub fn to_js(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("HashscreenError");
    let v: JsValue = err.into();
    set(&v, "code", code(e).as_str());
    let n = |x: usize| x as f64;
    match e {
        Error::InputTooLarge { limit, found } => {
            set(&v, "limit", n(*limit));
            set(&v, "found", n(*found));
        }
        Error::InvalidKeyLength { expected, found } => {
            set(&v, "expected", n(*expected));
            set(&v, "found", n(*found));
        }
        Error::InvalidHex { position } => set(&v, "position", n(*position)),
        Error::KeyMismatch { expected, found } => {
            set(&v, "expected", expected.as_str());
            set(&v, "found", found.as_str());
        }
        Error::Version { expected, found } => {
            set(&v, "expected", *expected);
            set(&v, "found", *found);
        }
        Error::Truncated { expected, found } => {
            set(&v, "expected", *expected as f64);
            set(&v, "found", *found as f64);
        }
        Error::Rollback { current, found } => {
            set(&v, "current", *current);
            set(&v, "found", *found);
        }
        Error::WrongFileKind { expected, found } => {
            set(&v, "expected", *expected);
            set(&v, "found", *found);
        }
        Error::Malformed { what }
        | Error::DeltaMismatch { what }
        | Error::InvalidParameters { what } => set(&v, "what", *what),
        Error::UnsupportedDigestVersion { signal, found } => {
            set(&v, "signal", *signal);
            set(&v, "found", *found);
        }
        _ => {}
    }
    v
}

/// `map_err` helper: `.map_err(js)`.
pub(crate) fn js(e: Error) -> JsValue {
    to_js(&e)
}

/// A `TypeError` with code `"INVALID_ARGUMENT"`, for JS arguments of the wrong type or shape.
pub(crate) fn invalid_argument(message: &str) -> JsValue {
    let err = js_sys::TypeError::new(message);
    let v: JsValue = err.into();
    set(&v, "code", "INVALID_ARGUMENT");
    v
}
