//! # hashscreen-wasm
//!
//! The WebAssembly face of [`hashscreen`], published to JavaScript as the npm package `hashscreen`
//! (built by `wasm/build.sh`, documented for JS users in `wasm/README.md`).
//!
//! This crate only translates types: JS values in, [`hashscreen`] calls, JS values out. Every rule
//! (canonicalisation, digests, the file format, verification, matching) lives in the core crate, so
//! the package gives the same answers as the Rust library: `wasm/test/` runs the shared
//! `fixtures/vectors.json` in Node and in headless Chromium.
//!
//! ## Translation rules
//! - Byte inputs are `Uint8Array`s, copied once into WebAssembly memory for the call (`&[u8]`), or
//!   moved into memory the list then owns (`Vec<u8>`, for [`Blocklist::open`]): the filters are
//!   then probed in place, never copied again.
//! - Verdicts, options and section descriptions are plain JS objects; their TypeScript types are in
//!   the custom section below and in the generated `.d.ts`.
//! - Every error is a JS `Error` (`name` `"HashscreenError"`, or a `TypeError` for an argument of the
//!   wrong type) with a stable `code` (see [`error`]).
//! - Sequence numbers and creation times are `u64` in the format, `bigint` in JS.
//!
//! ## Adding a signal
//! A new part kind (images, URLs) is one arm in [`screen`]'s part conversion, one method on
//! [`Screener`] calling the core, and one line in the `MessagePart` TypeScript type.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

use wasm_bindgen::prelude::*;

pub mod blocklist;
pub mod error;
mod js;
pub mod key;
pub mod near;
pub mod screen;

pub use blocklist::{make_delta, make_signed_delta, Blocklist, BlocklistBuilder};
pub use key::{
    canonical_expressions, canonical_text, digest, file_digest, loose_text, pdq_hash,
    text_shingles, Key, SigningKey,
};
pub use near::NearQuery;
pub use screen::Screener;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Signal kinds, as named in verdicts, sections and `digest()`. */
export type SignalName = "file" | "text" | "text_loose" | "text_shingle" | "url" | "image_pdq" | "image_near";

/** One matched part: which part, which signal kind, which list section. No content, no hash. */
export interface Match { part: number; signal: SignalName; label: string }

/** A part that could not be screened (too long, ...), and why. */
export interface Unscreened { part: number; code: ErrorCode; message: string }

/** The outcome of screening. It holds no content and no hash. */
export interface Verdict { matched: boolean; matches: Match[]; unscreened: Unscreened[] }

/** A message part: a string is text, a Uint8Array is a file's bytes; `{url}` a link, `{image}` an
 * image file (screened by its bytes and its PDQ hash). */
export type MessagePart =
  | string | Uint8Array | { text: string } | { file: Uint8Array } | { url: string } | { image: Uint8Array };

/** PDQ hashes of an image: the hash, its quality (0-100; below 50 too plain to match) and the eight
 * dihedral variants (rotations and mirrors, in the reference's order; `dihedral[0] === hash`). */
export interface PdqResult { hash: string; quality: number; dihedral: string[] }

/** Parameters of near-duplicate image matching (an `image_near` section's header): code side
 * (4-8), flip depth (0-16), probes per view (1-4096, at most 2^flipDepth), view flags (bits: 1
 * mirror, 2 trim, 4 zoom, 8 sides, 16 rotate). Missing fields take the defaults (7, 8, 64, 31). */
export interface NearParams { side?: number; flipDepth?: number; probesPerView?: number; views?: number }

/** What `Blocklist.open` requires of a list before it is used. */
export interface OpenOptions {
  /** Publisher's Ed25519 public key (64 hex digits): the list must carry its valid signature. */
  publisher?: string;
  /** The sequence number already held: a lower one is a rollback (code "ROLLBACK"). */
  minSequence?: number | bigint;
  /** The deployment key id (32 hex digits, `Key.id`) the list must be built with. */
  keyId?: string;
  /** The largest list or delta accepted, in bytes (default 1 GiB): a larger one is refused with
   * code "INPUT_TOO_LARGE" before it is copied. Set it to a small multiple of your list's size. */
  maxBytes?: number | bigint;
}

/** Settings of a new list. */
export interface BuilderOptions {
  /** Sequence number (default 1; `fromBase`: the base's plus one). */
  sequence?: number | bigint;
  /** Creation time, Unix seconds (default: now). */
  created?: number | bigint;
  /** List id, 32 hex digits (default: random; `fromBase`: the base's). */
  listId?: string;
  /** Target false-positive rate per probe of new sections (default 1e-6). */
  falsePositiveRate?: number;
  /** Filter blocks per key of new sections, 1 to 4 (default 2). */
  blocksPerKey?: number;
}

/** One section of a list: one signal kind and label. */
export interface SectionInfo {
  signal: SignalName | null;
  signalCode: number;
  label: string;
  entries: bigint;
  digestVersion: number;
  blockCount: number;
  blocksPerKey: number;
  bitsPerBlock: number;
  expectedFalsePositiveRate: number;
}

/** Stable error codes: `hashscreen::Error::code()` upper-cased (one per variant), plus "INVALID_ARGUMENT". */
export type ErrorCode =
  | "INPUT_TOO_LARGE" | "INVALID_KEY_LENGTH" | "INVALID_HEX" | "RNG" | "KEY_MISMATCH"
  | "BAD_MAGIC" | "VERSION" | "TRUNCATED" | "MALFORMED" | "CHECKSUM" | "SIGNATURE_MISSING"
  | "BAD_SIGNATURE" | "ROLLBACK" | "WRONG_FILE_KIND" | "DELTA_MISMATCH" | "NOT_ADDITIVE"
  | "INVALID_LABEL" | "UNSUPPORTED_DIGEST_VERSION" | "INVALID_PARAMETERS"
  | "INVALID_UTF8" | "INVALID_URL" | "IMAGE_EMPTY" | "IMAGE_BUFFER_MISMATCH"
  | "IMAGE_STRIDE_TOO_SMALL" | "IMAGE_TOO_LARGE" | "IMAGE_MEMORY_LIMIT" | "IMAGE_INPUT_TOO_LARGE"
  | "UNSUPPORTED_IMAGE_FORMAT" | "IMAGE_DECODE" | "IMAGE_LOW_QUALITY" | "INVALID_IMAGE_HASH_HEX"
  | "INVALID_ARGUMENT";

/** What every function of this package throws: an Error with a stable `code`. */
export interface HashscreenError extends Error { code: ErrorCode; [detail: string]: unknown }
"#;

#[wasm_bindgen]
extern "C" {
    /// A `Verdict` object.
    #[wasm_bindgen(typescript_type = "Verdict")]
    pub type JsVerdict;
    /// A `PdqResult`.
    #[wasm_bindgen(typescript_type = "PdqResult")]
    pub type JsPdqResult;
    /// An array of `MessagePart`.
    #[wasm_bindgen(typescript_type = "MessagePart[]")]
    pub type JsMessage;
    /// `OpenOptions`.
    #[wasm_bindgen(typescript_type = "OpenOptions")]
    pub type JsOpenOptions;
    /// `BuilderOptions`.
    #[wasm_bindgen(typescript_type = "BuilderOptions")]
    pub type JsBuilderOptions;
    /// An array of `SectionInfo`.
    #[wasm_bindgen(typescript_type = "SectionInfo[]")]
    pub type JsSections;
    /// `NearParams`.
    #[wasm_bindgen(typescript_type = "NearParams")]
    pub type JsNearParams;
    /// An array of `NearParams`.
    #[wasm_bindgen(typescript_type = "NearParams[]")]
    pub type JsNearParamsList;
    /// A `SignalName`.
    #[wasm_bindgen(typescript_type = "SignalName")]
    pub type JsSignalName;
}
