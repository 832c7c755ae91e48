//! `hashscreen::Error` to JS, mapped once.
//!
//! Every error thrown to JS is an `Error` whose `name` is `"HashscreenError"` and whose `code` is a
//! stable string, one per variant of [`hashscreen::Error`]; the variant's structured fields become
//! properties (`expected`, `found`, `limit`, ...). An argument of the wrong JS type throws a
//! `TypeError` with code `"INVALID_ARGUMENT"`. Messages never contain content: safe to log.

use hashscreen::Error;
use wasm_bindgen::prelude::*;

use crate::js::set;

/// The stable JS code of an error. `"UNKNOWN"` stands for variants added to the core later
/// (`hashscreen::Error` is `#[non_exhaustive]`); add them here when they appear.
pub fn code(e: &Error) -> &'static str {
    match e {
        Error::InputTooLarge { .. } => "INPUT_TOO_LARGE",
        Error::InvalidKeyLength { .. } => "INVALID_KEY_LENGTH",
        Error::InvalidHex { .. } => "INVALID_HEX",
        Error::Rng => "RNG",
        Error::KeyMismatch { .. } => "KEY_MISMATCH",
        Error::BadMagic => "BAD_MAGIC",
        Error::Version { .. } => "VERSION",
        Error::Truncated { .. } => "TRUNCATED",
        Error::Malformed { .. } => "MALFORMED",
        Error::Checksum => "CHECKSUM",
        Error::SignatureMissing => "SIGNATURE_MISSING",
        Error::BadSignature => "BAD_SIGNATURE",
        Error::Rollback { .. } => "ROLLBACK",
        Error::WrongFileKind { .. } => "WRONG_FILE_KIND",
        Error::DeltaMismatch { .. } => "DELTA_MISMATCH",
        Error::NotAdditive => "NOT_ADDITIVE",
        Error::InvalidLabel => "INVALID_LABEL",
        Error::UnsupportedDigestVersion { .. } => "UNSUPPORTED_DIGEST_VERSION",
        Error::InvalidParameters { .. } => "INVALID_PARAMETERS",
        Error::InvalidUtf8 { .. } => "INVALID_UTF8",
        Error::InvalidUrl { .. } => "INVALID_URL",
        Error::ImageEmpty { .. } => "IMAGE_EMPTY",
        Error::ImageTooLarge { .. }
        | Error::ImageInputTooLarge { .. }
        | Error::ImageMemoryLimit { .. } => "IMAGE_TOO_LARGE",
        Error::UnsupportedImageFormat => "UNSUPPORTED_IMAGE_FORMAT",
        Error::ImageDecode { .. } => "IMAGE_DECODE",
        Error::ImageLowQuality { .. } => "IMAGE_LOW_QUALITY",
        Error::InvalidImageHashHex { .. } => "INVALID_HEX",
        _ => "UNKNOWN",
    }
}

/// The JS `Error` for a core error.
pub fn to_js(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("HashscreenError");
    let v: JsValue = err.into();
    set(&v, "code", code(e));
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
