//! C API of hashscreen. The header `include/hashscreen.h` is generated from this file by cbindgen
//! (see `build.rs`); its conventions are stated at its top (`cbindgen.toml`).
//!
//! Design: handles are ids in a process-wide registry of `Arc`s, never pointers to dereference.
//! A freed, foreign or wrong-type handle is an error (`HS_INVALID_HANDLE`), not undefined
//! behaviour, and a handle freed by one thread while another uses it stays alive until that call
//! returns. The only `unsafe` is reading caller buffers and strings and writing out-parameters.
//! Every export runs inside `catch_unwind`: a panic becomes `HS_PANIC`.

#![allow(non_camel_case_types)]

use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, LazyLock, Mutex, RwLock};

use hashscreen::blocklist::delta;
use hashscreen::image::PdqHash;
use hashscreen::{
    Blocklist, BlocklistBuilder, Error, Key, KeyId, Message, OpenOptions, Screener, SignalKind,
    SigningKey, VerifyingKey,
};

// ---------------------------------------------------------------------------------------------
// Status codes

/// The result of every call. `HS_OK` is 0; the codes from `HS_INPUT_TOO_LARGE` on are one per
/// `hashscreen::Error` code (`hs_status_code` gives the shared snake_case name), the first ones are
/// errors of the C layer itself.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum hs_status {
    /// Success.
    HS_OK = 0,
    /// A required pointer argument (handle, buffer, string or out-parameter) was NULL.
    HS_NULL_POINTER = 1,
    /// A handle that is not live: already freed, never returned by this library, or of another
    /// type.
    HS_INVALID_HANDLE = 2,
    /// A bug inside hashscreen panicked; the panic was caught. Please report it.
    HS_PANIC = 3,
    /// An argument is out of range (an unknown signal name, a non-UTF-8 C string, an index past
    /// the end).
    HS_INVALID_ARGUMENT = 4,
    /// An error this version of the C layer has no code for (a newer core): see the message.
    HS_UNKNOWN_ERROR = 5,
    /// Input longer than the documented limit.
    HS_INPUT_TOO_LARGE = 100,
    /// A key of the wrong length (deployment and publisher keys are 32 bytes, 64 hex digits).
    HS_INVALID_KEY_LENGTH = 101,
    /// A character that is not a hex digit.
    HS_INVALID_HEX = 102,
    /// The operating system's random number generator failed.
    HS_RNG = 103,
    /// The blocklist was built under another deployment key.
    HS_KEY_MISMATCH = 104,
    /// Not a hashscreen blocklist (bad magic).
    HS_BAD_MAGIC = 105,
    /// Unsupported blocklist format version.
    HS_VERSION = 106,
    /// The blocklist file is cut short.
    HS_TRUNCATED = 107,
    /// A header or section field is invalid.
    HS_MALFORMED = 108,
    /// Checksum mismatch: corrupted or modified file.
    HS_CHECKSUM = 109,
    /// A publisher signature is required but the file is not signed.
    HS_SIGNATURE_MISSING = 110,
    /// The publisher signature does not verify.
    HS_BAD_SIGNATURE = 111,
    /// The list's sequence number is lower than the minimum given: a rollback.
    HS_ROLLBACK = 112,
    /// A delta given where a list was expected, or the reverse.
    HS_WRONG_FILE_KIND = 113,
    /// The delta does not apply to this list.
    HS_DELTA_MISMATCH = 114,
    /// The newer list removed entries: ship a full list instead of a delta.
    HS_NOT_ADDITIVE = 115,
    /// A label is empty, longer than 64 bytes, or has characters outside `A-Z a-z 0-9 . _ : / -`.
    HS_INVALID_LABEL = 116,
    /// A list section uses a canonicalisation version this library does not implement.
    HS_UNSUPPORTED_DIGEST_VERSION = 117,
    /// A false-positive rate or other filter parameter is out of range.
    HS_INVALID_PARAMETERS = 118,
    /// Text bytes that are not valid UTF-8.
    HS_INVALID_UTF8 = 119,
    /// A string that cannot be canonicalised as a URL.
    HS_INVALID_URL = 120,
    /// An image of zero width or height.
    HS_IMAGE_EMPTY = 121,
    /// A pixel buffer shorter than its geometry.
    HS_IMAGE_BUFFER_MISMATCH = 122,
    /// A row stride smaller than a row.
    HS_IMAGE_STRIDE_TOO_SMALL = 123,
    /// The image's declared size exceeds the decode limits.
    HS_IMAGE_TOO_LARGE = 124,
    /// Decoding would need more memory than the decode limits allow.
    HS_IMAGE_MEMORY_LIMIT = 125,
    /// The encoded image is larger than the input limit.
    HS_IMAGE_INPUT_TOO_LARGE = 126,
    /// Not a JPEG, PNG, WebP, GIF or BMP file.
    HS_UNSUPPORTED_IMAGE_FORMAT = 127,
    /// A truncated or corrupt image file.
    HS_IMAGE_DECODE = 128,
    /// The image's PDQ quality is below 50: too plain to match.
    HS_IMAGE_LOW_QUALITY = 129,
    /// A PDQ hash in hex of the wrong length or with a non-hex character.
    HS_INVALID_IMAGE_HASH_HEX = 130,
}

use hs_status::*;

/// Every status with its code string, in one table (`hs_status_code` and the error mapping both
/// read it, so they cannot drift apart).
const STATUS_CODES: &[(hs_status, &CStr)] = &[
    (HS_OK, c"ok"),
    (HS_NULL_POINTER, c"null_pointer"),
    (HS_INVALID_HANDLE, c"invalid_handle"),
    (HS_PANIC, c"panic"),
    (HS_INVALID_ARGUMENT, c"invalid_argument"),
    (HS_UNKNOWN_ERROR, c"unknown_error"),
    (HS_INPUT_TOO_LARGE, c"input_too_large"),
    (HS_INVALID_KEY_LENGTH, c"invalid_key_length"),
    (HS_INVALID_HEX, c"invalid_hex"),
    (HS_RNG, c"rng"),
    (HS_KEY_MISMATCH, c"key_mismatch"),
    (HS_BAD_MAGIC, c"bad_magic"),
    (HS_VERSION, c"version"),
    (HS_TRUNCATED, c"truncated"),
    (HS_MALFORMED, c"malformed"),
    (HS_CHECKSUM, c"checksum"),
    (HS_SIGNATURE_MISSING, c"signature_missing"),
    (HS_BAD_SIGNATURE, c"bad_signature"),
    (HS_ROLLBACK, c"rollback"),
    (HS_WRONG_FILE_KIND, c"wrong_file_kind"),
    (HS_DELTA_MISMATCH, c"delta_mismatch"),
    (HS_NOT_ADDITIVE, c"not_additive"),
    (HS_INVALID_LABEL, c"invalid_label"),
    (HS_UNSUPPORTED_DIGEST_VERSION, c"unsupported_digest_version"),
    (HS_INVALID_PARAMETERS, c"invalid_parameters"),
    (HS_INVALID_UTF8, c"invalid_utf8"),
    (HS_INVALID_URL, c"invalid_url"),
    (HS_IMAGE_EMPTY, c"image_empty"),
    (HS_IMAGE_BUFFER_MISMATCH, c"image_buffer_mismatch"),
    (HS_IMAGE_STRIDE_TOO_SMALL, c"image_stride_too_small"),
    (HS_IMAGE_TOO_LARGE, c"image_too_large"),
    (HS_IMAGE_MEMORY_LIMIT, c"image_memory_limit"),
    (HS_IMAGE_INPUT_TOO_LARGE, c"image_input_too_large"),
    (HS_UNSUPPORTED_IMAGE_FORMAT, c"unsupported_image_format"),
    (HS_IMAGE_DECODE, c"image_decode"),
    (HS_IMAGE_LOW_QUALITY, c"image_low_quality"),
    (HS_INVALID_IMAGE_HASH_HEX, c"invalid_image_hash_hex"),
];

/// The status of a core error: the one whose code string is the error's `code()`.
fn status_of(e: &Error) -> hs_status {
    let code = e.code().as_bytes();
    STATUS_CODES
        .iter()
        .find(|(_, c)| c.to_bytes() == code)
        .map_or(HS_UNKNOWN_ERROR, |(s, _)| *s)
}

/// A failure on its way to C: a status and a message (no content).
struct Fail {
    status: hs_status,
    message: String,
}

impl From<Error> for Fail {
    fn from(e: Error) -> Fail {
        Fail {
            status: status_of(&e),
            message: e.to_string(),
        }
    }
}

fn fail(status: hs_status, message: &str) -> Fail {
    Fail {
        status,
        message: message.to_owned(),
    }
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn set_last_error(message: &str) {
    let c = CString::new(message.replace('\0', " ")).unwrap_or_default();
    LAST_ERROR.with(|m| *m.borrow_mut() = c);
}

/// Runs `f` with panics caught, turning its result into a status and the thread's last error.
fn guard(f: impl FnOnce() -> Result<(), Fail>) -> hs_status {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => HS_OK,
        Ok(Err(e)) => {
            set_last_error(&e.message);
            e.status
        }
        Err(_) => {
            set_last_error("internal panic in hashscreen (a bug; please report it)");
            HS_PANIC
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Handle registry

struct Registry {
    next: usize,
    live: HashMap<usize, Arc<dyn Any + Send + Sync>>,
}

static REGISTRY: LazyLock<RwLock<Registry>> = LazyLock::new(|| {
    RwLock::new(Registry {
        next: 0,
        live: HashMap::new(),
    })
});

/// Registers a value and returns its handle: a non-null id, never reused.
fn register<T: Any + Send + Sync, H>(value: T) -> *mut H {
    let mut reg = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    reg.next += 1;
    // Ids are spaced like aligned pointers so that they look like pointers in a debugger.
    let id = reg.next << 4;
    reg.live.insert(id, Arc::new(value));
    id as *mut H
}

/// The live value behind a handle, if it is of type `T`.
fn lookup<T: Any + Send + Sync, H>(handle: *const H) -> Result<Arc<T>, Fail> {
    if handle.is_null() {
        return Err(fail(HS_NULL_POINTER, "null handle"));
    }
    let reg = REGISTRY.read().unwrap_or_else(|e| e.into_inner());
    let any = reg
        .live
        .get(&(handle as usize))
        .cloned()
        .ok_or_else(|| fail(HS_INVALID_HANDLE, "handle is not live (freed or foreign)"))?;
    drop(reg);
    any.downcast::<T>()
        .map_err(|_| fail(HS_INVALID_HANDLE, "handle is of another type"))
}

/// Unregisters a handle of type `T`. NULL is accepted and ignored.
fn release<T: Any + Send + Sync, H>(handle: *mut H) -> hs_status {
    guard(|| {
        if handle.is_null() {
            return Ok(());
        }
        let mut reg = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
        let id = handle as usize;
        match reg.live.get(&id) {
            Some(v) if v.is::<T>() => {
                let value = reg.live.remove(&id);
                drop(reg);
                drop(value);
                Ok(())
            }
            Some(_) => Err(fail(HS_INVALID_HANDLE, "handle is of another type")),
            None => Err(fail(
                HS_INVALID_HANDLE,
                "handle is not live (double free or foreign)",
            )),
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Reading arguments and writing results

/// `len` bytes at `ptr` (NULL allowed when `len` is 0).
///
/// # Safety
/// `ptr` must be NULL or valid for reads of `len` bytes for the returned lifetime.
unsafe fn input<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], Fail> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(fail(HS_NULL_POINTER, "null buffer with non-zero length"));
    }
    // SAFETY: non-null, and the caller guarantees `len` readable bytes that outlive the call.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// `len` bytes at `ptr` as UTF-8 text (invalid UTF-8 is `HS_INVALID_UTF8`).
///
/// # Safety
/// As [`input`].
unsafe fn input_str<'a>(ptr: *const c_char, len: usize) -> Result<&'a str, Fail> {
    // SAFETY: forwarded from the caller.
    let bytes = unsafe { input(ptr.cast(), len) }?;
    Ok(hashscreen::text::from_utf8(bytes)?)
}

/// A NUL-terminated UTF-8 string argument.
///
/// # Safety
/// `ptr` must be NULL or point to a NUL-terminated string that outlives the call.
unsafe fn cstr<'a>(ptr: *const c_char) -> Result<&'a str, Fail> {
    if ptr.is_null() {
        return Err(fail(HS_NULL_POINTER, "null string"));
    }
    // SAFETY: non-null and NUL-terminated by the caller's contract.
    let c = unsafe { CStr::from_ptr(ptr) };
    c.to_str()
        .map_err(|_| fail(HS_INVALID_ARGUMENT, "string argument is not UTF-8"))
}

/// Checks an out-parameter before any work is done (so nothing is leaked when it is NULL).
fn out_ok<T>(out: *mut T) -> Result<(), Fail> {
    if out.is_null() {
        Err(fail(HS_NULL_POINTER, "null out-parameter"))
    } else {
        Ok(())
    }
}

/// Writes a result to an out-parameter already checked by [`out_ok`].
///
/// # Safety
/// `out` must be valid for a write of `T`.
unsafe fn put<T>(out: *mut T, value: T) {
    // SAFETY: the caller guarantees `out` is valid for writes; it was checked non-null.
    unsafe { out.write(value) }
}

/// A string result for the caller to free with `hs_string_free`.
fn owned_string(s: &str) -> *mut c_char {
    CString::new(s.replace('\0', "\u{fffd}"))
        .unwrap_or_default()
        .into_raw()
}

/// Writes a caller-owned string to `out`.
///
/// # Safety
/// As [`put`].
unsafe fn put_string(out: *mut *mut c_char, s: &str) {
    // SAFETY: forwarded from the caller.
    unsafe { put(out, owned_string(s)) }
}

fn signal_by_name(name: &str) -> Result<SignalKind, Fail> {
    SignalKind::ALL
        .into_iter()
        .find(|k| k.name() == name)
        .ok_or_else(|| fail(HS_INVALID_ARGUMENT, "unknown signal name"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------------------------
// Opaque handle types (cbindgen emits them as incomplete structs)

/// A deployment key (32 secret bytes). Immutable: safe to use from several threads at once. The
/// bytes are wiped when the last use of a freed handle ends; they are never printed.
pub struct hs_key {
    _opaque: [u8; 0],
}

/// A publisher's Ed25519 signing key. Immutable: safe to use from several threads at once. Wiped
/// when freed.
pub struct hs_signing_key {
    _opaque: [u8; 0],
}

/// A publisher's Ed25519 verifying (public) key. Immutable: safe to use from several threads.
pub struct hs_verifying_key {
    _opaque: [u8; 0],
}

/// A verified blocklist (or delta). Immutable: safe to use from several threads at once.
pub struct hs_blocklist {
    _opaque: [u8; 0],
}

/// Builds a blocklist (trust-and-safety side). Safe to call from several threads (calls are
/// serialised by an internal lock), though one thread per builder is the usual pattern.
pub struct hs_builder {
    _opaque: [u8; 0],
}

/// Screens message parts against one blocklist. Immutable: share one screener between all
/// threads; calls run in parallel without locks.
pub struct hs_screener {
    _opaque: [u8; 0],
}

/// A multi-part message to screen (copies of the parts). Safe to call from several threads (an
/// internal lock serialises additions).
pub struct hs_message {
    _opaque: [u8; 0],
}

/// The outcome of screening: matches (part, signal, label) and parts that could not be screened.
/// Immutable: safe to read from several threads.
pub struct hs_verdict {
    _opaque: [u8; 0],
}

/// Bytes produced by the library (a built blocklist or delta). Immutable: safe to read from
/// several threads.
pub struct hs_bytes {
    _opaque: [u8; 0],
}

/// A list of strings (URL expressions, text shingles). Immutable: safe to read from several
/// threads.
pub struct hs_strings {
    _opaque: [u8; 0],
}

struct Bytes(Vec<u8>);
struct Strings(Vec<CString>);

struct VerdictData {
    matched: bool,
    matches: Vec<(usize, CString, CString)>,
    unscreened: Vec<(usize, hs_status, &'static CStr, CString)>,
}

fn status_code_cstr(status: hs_status) -> &'static CStr {
    STATUS_CODES
        .iter()
        .find(|(s, _)| *s == status)
        .map_or(c"unknown_error", |(_, c)| c)
}

impl From<&hashscreen::Verdict> for VerdictData {
    fn from(v: &hashscreen::Verdict) -> VerdictData {
        let cs = |s: &str| CString::new(s).unwrap_or_default();
        VerdictData {
            matched: v.matched(),
            matches: v
                .matches()
                .iter()
                .map(|m| (m.part(), cs(m.signal().name()), cs(m.label())))
                .collect(),
            unscreened: v
                .unscreened()
                .iter()
                .map(|u| {
                    let status = status_of(u.reason());
                    (
                        u.part(),
                        status,
                        status_code_cstr(status),
                        cs(&u.reason().to_string()),
                    )
                })
                .collect(),
        }
    }
}

enum OwnedPart {
    Text(String),
    Url(String),
    File(Vec<u8>),
    Image(Vec<u8>),
}

// ---------------------------------------------------------------------------------------------
// Errors and memory

/// The snake_case code of a status (`"rollback"`, `"null_pointer"`): the same codes as the
/// `code()` of the core's errors and of every other binding. Never NULL; static storage.
#[no_mangle]
pub extern "C" fn hs_status_code(status: hs_status) -> *const c_char {
    catch_unwind(|| status_code_cstr(status).as_ptr()).unwrap_or(c"panic".as_ptr())
}

/// The message of the last failed call on this thread ("" when none failed yet). Never NULL;
/// valid until the next failing call on this thread. Messages hold no content.
#[no_mangle]
pub extern "C" fn hs_last_error_message() -> *const c_char {
    catch_unwind(|| LAST_ERROR.with(|m| m.borrow().as_ptr())).unwrap_or(c"".as_ptr())
}

/// Frees a string returned by this library. NULL is ignored.
///
/// # Safety
/// `s` must be NULL or a string returned through a `char **` out-parameter of this library, not
/// freed before.
#[no_mangle]
pub unsafe extern "C" fn hs_string_free(s: *mut c_char) {
    let _ = guard(|| {
        if !s.is_null() {
            // SAFETY: the caller passes a pointer from `CString::into_raw` in `owned_string`,
            // once.
            drop(unsafe { CString::from_raw(s) });
        }
        Ok(())
    });
}

// ---------------------------------------------------------------------------------------------
// Keys

/// Generates a new random deployment key.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_key_generate(out: *mut *mut hs_key) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let key = Key::generate()?;
        // SAFETY: checked above; valid by the caller's contract.
        unsafe { put(out, register(key)) };
        Ok(())
    })
}

/// A deployment key from 64 hex digits (surrounding whitespace ignored).
///
/// # Safety
/// `hex` must be a NUL-terminated string; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_key_from_hex(hex: *const c_char, out: *mut *mut hs_key) -> hs_status {
    guard(|| {
        out_ok(out)?;
        // SAFETY: the caller's contract.
        let key = Key::from_hex(unsafe { cstr(hex) }?)?;
        // SAFETY: checked above.
        unsafe { put(out, register(key)) };
        Ok(())
    })
}

/// The key's public id as 32 hex digits (safe to log). Free with `hs_string_free`.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_key_id(key: *const hs_key, out: *mut *mut c_char) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let key = lookup::<Key, _>(key)?;
        // SAFETY: checked above.
        unsafe { put_string(out, &key.id().to_hex()) };
        Ok(())
    })
}

/// The key's 64 secret hex digits, for writing a key file. Handle with care; free with
/// `hs_string_free` (after wiping it if your platform allows).
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_key_to_secret_hex(
    key: *const hs_key,
    out: *mut *mut c_char,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let key = lookup::<Key, _>(key)?;
        // SAFETY: checked above.
        unsafe { put_string(out, &key.to_secret_hex()) };
        Ok(())
    })
}

/// Frees a key (its bytes are wiped). NULL is ignored; a stale handle gives `HS_INVALID_HANDLE`.
#[no_mangle]
pub extern "C" fn hs_key_free(key: *mut hs_key) -> hs_status {
    release::<Key, _>(key)
}

/// Generates a publisher signing key.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_signing_key_generate(out: *mut *mut hs_signing_key) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let key = SigningKey::generate()?;
        // SAFETY: checked above.
        unsafe { put(out, register(key)) };
        Ok(())
    })
}

/// A publisher signing key from its 64 secret hex digits (the seed).
///
/// # Safety
/// `hex` must be a NUL-terminated string; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_signing_key_from_hex(
    hex: *const c_char,
    out: *mut *mut hs_signing_key,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        // SAFETY: the caller's contract.
        let key = SigningKey::from_hex(unsafe { cstr(hex) }?)?;
        // SAFETY: checked above.
        unsafe { put(out, register(key)) };
        Ok(())
    })
}

/// The verifying (public) key of a signing key: give it to clients.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_signing_key_verifying_key(
    key: *const hs_signing_key,
    out: *mut *mut hs_verifying_key,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let key = lookup::<SigningKey, _>(key)?;
        // SAFETY: checked above.
        unsafe { put(out, register(key.verifying_key())) };
        Ok(())
    })
}

/// Frees a signing key (wiped). NULL is ignored.
#[no_mangle]
pub extern "C" fn hs_signing_key_free(key: *mut hs_signing_key) -> hs_status {
    release::<SigningKey, _>(key)
}

/// A publisher verifying key from 64 hex digits.
///
/// # Safety
/// `hex` must be a NUL-terminated string; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_verifying_key_from_hex(
    hex: *const c_char,
    out: *mut *mut hs_verifying_key,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        // SAFETY: the caller's contract.
        let key = VerifyingKey::from_hex(unsafe { cstr(hex) }?)?;
        // SAFETY: checked above.
        unsafe { put(out, register(key)) };
        Ok(())
    })
}

/// The verifying key as 64 hex digits. Free with `hs_string_free`.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_verifying_key_to_hex(
    key: *const hs_verifying_key,
    out: *mut *mut c_char,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let key = lookup::<VerifyingKey, _>(key)?;
        // SAFETY: checked above.
        unsafe { put_string(out, &key.to_hex()) };
        Ok(())
    })
}

/// Frees a verifying key. NULL is ignored.
#[no_mangle]
pub extern "C" fn hs_verifying_key_free(key: *mut hs_verifying_key) -> hs_status {
    release::<VerifyingKey, _>(key)
}

// ---------------------------------------------------------------------------------------------
// Blocklists

/// What to check when a blocklist or delta is opened. Zero-initialise it (`{0}`) for "no checks
/// beyond length and checksum".
#[repr(C)]
pub struct hs_open_options {
    /// If not NULL: the publisher whose valid signature is required.
    pub publisher: *const hs_verifying_key,
    /// If true: lists with a sequence number below `min_sequence` fail with `HS_ROLLBACK`.
    pub has_min_sequence: bool,
    /// The sequence number already held (see `has_min_sequence`).
    pub min_sequence: u64,
    /// If not NULL: the deployment key id (32 hex digits) the list must be built under.
    pub key_id: *const c_char,
}

/// # Safety
/// `opts` must be NULL or valid for reads, with `key_id` NULL or NUL-terminated.
unsafe fn open_options(opts: *const hs_open_options) -> Result<OpenOptions, Fail> {
    if opts.is_null() {
        return Ok(OpenOptions::default());
    }
    // SAFETY: non-null and valid for reads by the caller's contract.
    let o = unsafe { &*opts };
    let publisher = if o.publisher.is_null() {
        None
    } else {
        Some(*lookup::<VerifyingKey, _>(o.publisher)?)
    };
    let key_id = if o.key_id.is_null() {
        None
    } else {
        // SAFETY: non-null, NUL-terminated by the caller's contract.
        Some(KeyId::from_hex(unsafe { cstr(o.key_id) }?)?)
    };
    Ok(OpenOptions {
        publisher,
        min_sequence: o.has_min_sequence.then_some(o.min_sequence),
        key_id,
        ..OpenOptions::default()
    })
}

/// Verifies and opens a blocklist from bytes (copied). `opts` may be NULL.
///
/// # Safety
/// `data` must be valid for `len` bytes; `opts` NULL or valid; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_blocklist_open(
    data: *const u8,
    len: usize,
    opts: *const hs_open_options,
    out: *mut *mut hs_blocklist,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        // SAFETY: the caller's contract.
        let bytes = unsafe { input(data, len) }?.to_vec();
        // SAFETY: the caller's contract.
        let opts = unsafe { open_options(opts) }?;
        let list = Blocklist::open(bytes, &opts)?;
        // SAFETY: checked above.
        unsafe { put(out, register(list)) };
        Ok(())
    })
}

/// The list's sequence number.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_blocklist_sequence(
    list: *const hs_blocklist,
    out: *mut u64,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let list = lookup::<Blocklist, _>(list)?;
        // SAFETY: checked above.
        unsafe { put(out, list.sequence()) };
        Ok(())
    })
}

/// The list's checksum as 64 hex digits. Free with `hs_string_free`.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_blocklist_checksum(
    list: *const hs_blocklist,
    out: *mut *mut c_char,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let list = lookup::<Blocklist, _>(list)?;
        // SAFETY: checked above.
        unsafe { put_string(out, &hex(&list.checksum())) };
        Ok(())
    })
}

/// The id (32 hex digits) of the deployment key the list was built under. Free with
/// `hs_string_free`.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_blocklist_key_id(
    list: *const hs_blocklist,
    out: *mut *mut c_char,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let list = lookup::<Blocklist, _>(list)?;
        // SAFETY: checked above.
        unsafe { put_string(out, &list.key_id().to_hex()) };
        Ok(())
    })
}

/// The signer's verifying key in hex, or NULL written to `out` for an unsigned list. Free with
/// `hs_string_free`.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_blocklist_signer(
    list: *const hs_blocklist,
    out: *mut *mut c_char,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let list = lookup::<Blocklist, _>(list)?;
        let s = list
            .signer()
            .map_or(std::ptr::null_mut(), |k| owned_string(&k.to_hex()));
        // SAFETY: checked above.
        unsafe { put(out, s) };
        Ok(())
    })
}

/// The list's bytes (borrowed: valid until the list is freed), for storing it.
///
/// # Safety
/// `data` and `len` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn hs_blocklist_bytes(
    list: *const hs_blocklist,
    data: *mut *const u8,
    len: *mut usize,
) -> hs_status {
    guard(|| {
        out_ok(data)?;
        out_ok(len)?;
        let list = lookup::<Blocklist, _>(list)?;
        let b = list.as_bytes();
        // SAFETY: checked above. The bytes live in the registry's Arc until the handle is freed.
        unsafe {
            put(data, b.as_ptr());
            put(len, b.len());
        }
        Ok(())
    })
}

/// Frees a blocklist. NULL is ignored.
#[no_mangle]
pub extern "C" fn hs_blocklist_free(list: *mut hs_blocklist) -> hs_status {
    release::<Blocklist, _>(list)
}

/// Makes a delta from `old` to `new` (additions only), signed when `signer` is not NULL.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_delta_make(
    old: *const hs_blocklist,
    new: *const hs_blocklist,
    signer: *const hs_signing_key,
    out: *mut *mut hs_bytes,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let old = lookup::<Blocklist, _>(old)?;
        let new = lookup::<Blocklist, _>(new)?;
        let signer = if signer.is_null() {
            None
        } else {
            Some(lookup::<SigningKey, _>(signer)?)
        };
        let d = delta::make(&old, &new, signer.as_deref())?;
        // SAFETY: checked above.
        unsafe { put(out, register(Bytes(d))) };
        Ok(())
    })
}

/// Applies a delta (bytes, copied) to `base`, verifying delta and result with `opts` (may be
/// NULL). `base` is untouched; on error keep using it.
///
/// # Safety
/// `data` must be valid for `len` bytes; `opts` NULL or valid; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_delta_apply(
    base: *const hs_blocklist,
    data: *const u8,
    len: usize,
    opts: *const hs_open_options,
    out: *mut *mut hs_blocklist,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let base = lookup::<Blocklist, _>(base)?;
        // SAFETY: the caller's contract.
        let bytes = unsafe { input(data, len) }?.to_vec();
        // SAFETY: the caller's contract.
        let opts = unsafe { open_options(opts) }?;
        let list = delta::apply(&base, bytes, &opts)?;
        // SAFETY: checked above.
        unsafe { put(out, register(list)) };
        Ok(())
    })
}

/// The bytes behind an `hs_bytes` (borrowed: valid until it is freed).
///
/// # Safety
/// `data` and `len` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn hs_bytes_data(
    bytes: *const hs_bytes,
    data: *mut *const u8,
    len: *mut usize,
) -> hs_status {
    guard(|| {
        out_ok(data)?;
        out_ok(len)?;
        let b = lookup::<Bytes, _>(bytes)?;
        // SAFETY: checked above; the Vec lives in the registry until the handle is freed.
        unsafe {
            put(data, b.0.as_ptr());
            put(len, b.0.len());
        }
        Ok(())
    })
}

/// Frees bytes. NULL is ignored.
#[no_mangle]
pub extern "C" fn hs_bytes_free(bytes: *mut hs_bytes) -> hs_status {
    release::<Bytes, _>(bytes)
}

// ---------------------------------------------------------------------------------------------
// Building

fn with_builder(
    builder: *const hs_builder,
    f: impl FnOnce(&mut BlocklistBuilder) -> Result<(), Fail>,
) -> Result<(), Fail> {
    let b = lookup::<Mutex<BlocklistBuilder>, _>(builder)?;
    let mut guard = b.lock().unwrap_or_else(|e| e.into_inner());
    f(&mut guard)
}

/// A new, empty list builder under a deployment key (sequence 1, false-positive rate 1e-6).
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_builder_new(
    key: *const hs_key,
    out: *mut *mut hs_builder,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let key = lookup::<Key, _>(key)?;
        let b = Mutex::new(BlocklistBuilder::new(&key));
        // SAFETY: checked above.
        unsafe { put(out, register(b)) };
        Ok(())
    })
}

/// A builder that extends `base` (same list id and filter sizes, next sequence number), so that
/// `hs_delta_make(base, built)` works.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_builder_from_base(
    key: *const hs_key,
    base: *const hs_blocklist,
    out: *mut *mut hs_builder,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let key = lookup::<Key, _>(key)?;
        let base = lookup::<Blocklist, _>(base)?;
        let b = Mutex::new(BlocklistBuilder::from_base(&key, &base)?);
        // SAFETY: checked above.
        unsafe { put(out, register(b)) };
        Ok(())
    })
}

/// Sets the list's sequence number (rollback protection: higher is newer).
#[no_mangle]
pub extern "C" fn hs_builder_set_sequence(builder: *const hs_builder, sequence: u64) -> hs_status {
    guard(|| {
        with_builder(builder, |b| {
            b.sequence(sequence);
            Ok(())
        })
    })
}

/// Sets the creation time (Unix seconds; default: now).
#[no_mangle]
pub extern "C" fn hs_builder_set_created(
    builder: *const hs_builder,
    unix_seconds: u64,
) -> hs_status {
    guard(|| {
        with_builder(builder, |b| {
            b.created(unix_seconds);
            Ok(())
        })
    })
}

/// Sets the target false-positive rate per probe (default 1e-6).
#[no_mangle]
pub extern "C" fn hs_builder_set_false_positive_rate(
    builder: *const hs_builder,
    fpr: f64,
) -> hs_status {
    guard(|| {
        with_builder(builder, |b| {
            b.false_positive_rate(fpr)?;
            Ok(())
        })
    })
}

/// Lists a text (its strict and loose keys and word shingles) under `label`.
///
/// # Safety
/// `label` must be NUL-terminated; `text` valid for `len` bytes (UTF-8).
#[no_mangle]
pub unsafe extern "C" fn hs_builder_add_text(
    builder: *const hs_builder,
    label: *const c_char,
    text: *const c_char,
    len: usize,
) -> hs_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let (label, text) = unsafe { (cstr(label)?, input_str(text, len)?) };
        with_builder(builder, |b| Ok(b.add_text(label, text)?))
    })
}

/// Lists a URL (a domain blocks the domain and its subdomains; a path blocks that subtree).
///
/// # Safety
/// `label` must be NUL-terminated; `url` valid for `len` bytes (UTF-8).
#[no_mangle]
pub unsafe extern "C" fn hs_builder_add_url(
    builder: *const hs_builder,
    label: *const c_char,
    url: *const c_char,
    len: usize,
) -> hs_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let (label, url) = unsafe { (cstr(label)?, input_str(url, len)?) };
        with_builder(builder, |b| Ok(b.add_url(label, url)?))
    })
}

/// Lists a file's exact bytes.
///
/// # Safety
/// `label` must be NUL-terminated; `data` valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn hs_builder_add_file(
    builder: *const hs_builder,
    label: *const c_char,
    data: *const u8,
    len: usize,
) -> hs_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let (label, data) = unsafe { (cstr(label)?, input(data, len)?) };
        with_builder(builder, |b| Ok(b.add_file(label, data)?))
    })
}

/// Lists an image file by its exact bytes, its PDQ hash and its near-duplicate codes (edited copies
/// match too). `HS_IMAGE_LOW_QUALITY` for images too plain to match (nothing listed).
///
/// # Safety
/// `label` must be NUL-terminated; `data` valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn hs_builder_add_image(
    builder: *const hs_builder,
    label: *const c_char,
    data: *const u8,
    len: usize,
) -> hs_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let (label, data) = unsafe { (cstr(label)?, input(data, len)?) };
        with_builder(builder, |b| Ok(b.add_image(label, data)?))
    })
}

/// Lists a PDQ hash given as 64 hex digits (for example from a hash-sharing export).
///
/// # Safety
/// `label` and `hash_hex` must be NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn hs_builder_add_pdq_hash(
    builder: *const hs_builder,
    label: *const c_char,
    hash_hex: *const c_char,
) -> hs_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let (label, hash) = unsafe { (cstr(label)?, cstr(hash_hex)?) };
        let hash = PdqHash::from_hex(hash)?;
        with_builder(builder, |b| Ok(b.add_pdq_hash(label, &hash)?))
    })
}

/// Builds the (unsigned) list.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_builder_build(
    builder: *const hs_builder,
    out: *mut *mut hs_bytes,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let mut bytes = Vec::new();
        with_builder(builder, |b| {
            bytes = b.build()?;
            Ok(())
        })?;
        // SAFETY: checked above.
        unsafe { put(out, register(Bytes(bytes))) };
        Ok(())
    })
}

/// Builds the list signed by a publisher key.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_builder_build_signed(
    builder: *const hs_builder,
    signer: *const hs_signing_key,
    out: *mut *mut hs_bytes,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let signer = lookup::<SigningKey, _>(signer)?;
        let mut bytes = Vec::new();
        with_builder(builder, |b| {
            bytes = b.build_signed(&signer)?;
            Ok(())
        })?;
        // SAFETY: checked above.
        unsafe { put(out, register(Bytes(bytes))) };
        Ok(())
    })
}

/// Frees a builder. NULL is ignored.
#[no_mangle]
pub extern "C" fn hs_builder_free(builder: *mut hs_builder) -> hs_status {
    release::<Mutex<BlocklistBuilder>, _>(builder)
}

// ---------------------------------------------------------------------------------------------
// Screening

/// A screener over a verified full list, with the deployment key it was built under
/// (`HS_KEY_MISMATCH` otherwise). The screener keeps its own reference: the list and key handles
/// may be freed afterwards.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_screener_new(
    list: *const hs_blocklist,
    key: *const hs_key,
    out: *mut *mut hs_screener,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let list = lookup::<Blocklist, _>(list)?;
        let key = lookup::<Key, _>(key)?;
        let s = Screener::new(&list, &key)?;
        // SAFETY: checked above.
        unsafe { put(out, register(s)) };
        Ok(())
    })
}

fn screen_with(
    screener: *const hs_screener,
    out: *mut *mut hs_verdict,
    f: impl FnOnce(&Screener) -> Result<hashscreen::Verdict, Fail>,
) -> Result<(), Fail> {
    out_ok(out)?;
    let s = lookup::<Screener, _>(screener)?;
    let v = VerdictData::from(&f(&s)?);
    // SAFETY: checked above; the callers' contracts make `out` valid for a write.
    unsafe { put(out, register(v)) };
    Ok(())
}

/// Screens a text (strict and loose keys, shingles, and the URLs in it).
///
/// # Safety
/// `text` must be valid for `len` bytes (UTF-8); `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_screen_text(
    screener: *const hs_screener,
    text: *const c_char,
    len: usize,
    out: *mut *mut hs_verdict,
) -> hs_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let text = unsafe { input_str(text, len) }?;
        screen_with(screener, out, |s| Ok(s.screen_text(text)?))
    })
}

/// Screens a URL (all its host-suffix x path-prefix expressions).
///
/// # Safety
/// `url` must be valid for `len` bytes (UTF-8); `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_screen_url(
    screener: *const hs_screener,
    url: *const c_char,
    len: usize,
    out: *mut *mut hs_verdict,
) -> hs_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let url = unsafe { input_str(url, len) }?;
        screen_with(screener, out, |s| Ok(s.screen_url(url)?))
    })
}

/// Screens a file's exact bytes.
///
/// # Safety
/// `data` must be valid for `len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_screen_file(
    screener: *const hs_screener,
    data: *const u8,
    len: usize,
    out: *mut *mut hs_verdict,
) -> hs_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let data = unsafe { input(data, len) }?;
        screen_with(screener, out, |s| Ok(s.screen_file(data)))
    })
}

/// Screens an image file: exact bytes and PDQ (all eight rotations and flips). Fails with
/// `HS_IMAGE_LOW_QUALITY` for images too plain to match and the decode errors for bad files; use
/// `hs_screen_message` to get matches and such reasons together.
///
/// # Safety
/// `data` must be valid for `len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_screen_image(
    screener: *const hs_screener,
    data: *const u8,
    len: usize,
    out: *mut *mut hs_verdict,
) -> hs_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let data = unsafe { input(data, len) }?;
        screen_with(screener, out, |s| Ok(s.screen_image(data)?))
    })
}

/// Screens every part of a message; parts that cannot be screened are listed as unscreened and
/// the others still screened.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_screen_message(
    screener: *const hs_screener,
    message: *const hs_message,
    out: *mut *mut hs_verdict,
) -> hs_status {
    guard(|| {
        let m = lookup::<Mutex<Vec<OwnedPart>>, _>(message)?;
        let parts = m.lock().unwrap_or_else(|e| e.into_inner());
        let mut msg = Message::new();
        for p in parts.iter() {
            msg = match p {
                OwnedPart::Text(t) => msg.text(t),
                OwnedPart::Url(u) => msg.url(u),
                OwnedPart::File(b) => msg.file(b),
                OwnedPart::Image(b) => msg.image(b),
            };
        }
        screen_with(screener, out, |s| Ok(s.screen(&msg)))
    })
}

/// Frees a screener. NULL is ignored.
#[no_mangle]
pub extern "C" fn hs_screener_free(screener: *mut hs_screener) -> hs_status {
    release::<Screener, _>(screener)
}

/// A new empty message.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_message_new(out: *mut *mut hs_message) -> hs_status {
    guard(|| {
        out_ok(out)?;
        // SAFETY: checked above.
        unsafe { put(out, register(Mutex::new(Vec::<OwnedPart>::new()))) };
        Ok(())
    })
}

fn add_part(message: *const hs_message, part: OwnedPart) -> Result<(), Fail> {
    let m = lookup::<Mutex<Vec<OwnedPart>>, _>(message)?;
    m.lock().unwrap_or_else(|e| e.into_inner()).push(part);
    Ok(())
}

/// Adds a text part (copied; must be UTF-8).
///
/// # Safety
/// `text` must be valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn hs_message_add_text(
    message: *const hs_message,
    text: *const c_char,
    len: usize,
) -> hs_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let text = unsafe { input_str(text, len) }?;
        add_part(message, OwnedPart::Text(text.to_owned()))
    })
}

/// Adds a URL part (copied; must be UTF-8).
///
/// # Safety
/// `url` must be valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn hs_message_add_url(
    message: *const hs_message,
    url: *const c_char,
    len: usize,
) -> hs_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let url = unsafe { input_str(url, len) }?;
        add_part(message, OwnedPart::Url(url.to_owned()))
    })
}

/// Adds a file part (copied).
///
/// # Safety
/// `data` must be valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn hs_message_add_file(
    message: *const hs_message,
    data: *const u8,
    len: usize,
) -> hs_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let data = unsafe { input(data, len) }?;
        add_part(message, OwnedPart::File(data.to_vec()))
    })
}

/// Adds an image part (copied).
///
/// # Safety
/// `data` must be valid for `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn hs_message_add_image(
    message: *const hs_message,
    data: *const u8,
    len: usize,
) -> hs_status {
    guard(|| {
        // SAFETY: the caller's contract.
        let data = unsafe { input(data, len) }?;
        add_part(message, OwnedPart::Image(data.to_vec()))
    })
}

/// Frees a message. NULL is ignored.
#[no_mangle]
pub extern "C" fn hs_message_free(message: *mut hs_message) -> hs_status {
    release::<Mutex<Vec<OwnedPart>>, _>(message)
}

/// One match of a verdict. The strings are borrowed from the verdict.
#[repr(C)]
pub struct hs_match {
    /// Index of the message part that matched (0 for single-part screening).
    pub part: usize,
    /// The signal kind that matched: "file", "text", "text_loose", "text_shingle", "url",
    /// "image_pdq", "image_near".
    pub signal: *const c_char,
    /// The label of the list section that matched.
    pub label: *const c_char,
}

/// A part that could not be screened, and why. The strings are borrowed from the verdict.
#[repr(C)]
pub struct hs_unscreened {
    /// Index of the part.
    pub part: usize,
    /// The reason as a status (`HS_IMAGE_LOW_QUALITY`, `HS_INPUT_TOO_LARGE`, ...).
    pub status: hs_status,
    /// The reason's snake_case code (`hs_status_code(status)`).
    pub code: *const c_char,
    /// A message (no content).
    pub message: *const c_char,
}

/// Whether any part matched.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_verdict_matched(
    verdict: *const hs_verdict,
    out: *mut bool,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let v = lookup::<VerdictData, _>(verdict)?;
        // SAFETY: checked above.
        unsafe { put(out, v.matched) };
        Ok(())
    })
}

/// The number of matches.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_verdict_match_count(
    verdict: *const hs_verdict,
    out: *mut usize,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let v = lookup::<VerdictData, _>(verdict)?;
        // SAFETY: checked above.
        unsafe { put(out, v.matches.len()) };
        Ok(())
    })
}

/// Match number `index` (`HS_INVALID_ARGUMENT` past the end).
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_verdict_match(
    verdict: *const hs_verdict,
    index: usize,
    out: *mut hs_match,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let v = lookup::<VerdictData, _>(verdict)?;
        let (part, signal, label) = v
            .matches
            .get(index)
            .ok_or_else(|| fail(HS_INVALID_ARGUMENT, "match index out of range"))?;
        let m = hs_match {
            part: *part,
            signal: signal.as_ptr(),
            label: label.as_ptr(),
        };
        // SAFETY: checked above; the strings live in the registry until the verdict is freed.
        unsafe { put(out, m) };
        Ok(())
    })
}

/// The number of parts that could not be screened.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_verdict_unscreened_count(
    verdict: *const hs_verdict,
    out: *mut usize,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let v = lookup::<VerdictData, _>(verdict)?;
        // SAFETY: checked above.
        unsafe { put(out, v.unscreened.len()) };
        Ok(())
    })
}

/// Unscreened part number `index` (`HS_INVALID_ARGUMENT` past the end).
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_verdict_unscreened(
    verdict: *const hs_verdict,
    index: usize,
    out: *mut hs_unscreened,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let v = lookup::<VerdictData, _>(verdict)?;
        let (part, status, code, message) = v
            .unscreened
            .get(index)
            .ok_or_else(|| fail(HS_INVALID_ARGUMENT, "unscreened index out of range"))?;
        let u = hs_unscreened {
            part: *part,
            status: *status,
            code: code.as_ptr(),
            message: message.as_ptr(),
        };
        // SAFETY: checked above; the strings live in the registry until the verdict is freed.
        unsafe { put(out, u) };
        Ok(())
    })
}

/// Frees a verdict. NULL is ignored.
#[no_mangle]
pub extern "C" fn hs_verdict_free(verdict: *mut hs_verdict) -> hs_status {
    release::<VerdictData, _>(verdict)
}

// ---------------------------------------------------------------------------------------------
// Hashes and canonical forms

/// A PDQ hash of an image and its seven rotations and flips, with the quality.
#[repr(C)]
pub struct hs_pdq {
    /// The eight hashes (256 bits each, the reference's byte order), in the order of the
    /// reference tool's dihedral output: original, rotate 90, rotate 180, rotate 270, flip X,
    /// flip Y, flip +1 diagonal, flip -1 diagonal.
    pub hashes: [[u8; 32]; 8],
    /// The same hashes as 64 lower-case hex digits, NUL-terminated.
    pub hex: [[c_char; 65]; 8],
    /// PDQ quality 0-100; below 50 the hash is too unreliable to match.
    pub quality: u8,
}

/// PDQ hashes (all eight dihedral variants) and quality of an image file (JPEG, PNG, WebP, GIF,
/// BMP; EXIF orientation applied), under the default decode limits.
///
/// # Safety
/// `data` must be valid for `len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_pdq_from_image(
    data: *const u8,
    len: usize,
    out: *mut hs_pdq,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        // SAFETY: the caller's contract.
        let data = unsafe { input(data, len) }?;
        let all = hashscreen::image::pdq_dihedral_from_bytes(data)?;
        let mut r = hs_pdq {
            hashes: [[0; 32]; 8],
            hex: [[0; 65]; 8],
            quality: all.quality,
        };
        for (i, h) in all.hashes.iter().enumerate() {
            r.hashes[i] = h.0;
            for (j, c) in h.to_hex().bytes().take(64).enumerate() {
                r.hex[i][j] = c as c_char;
            }
        }
        // SAFETY: checked above.
        unsafe { put(out, r) };
        Ok(())
    })
}

/// The Hamming distance (0-256) between two PDQ hashes given in hex.
///
/// # Safety
/// `a` and `b` must be NUL-terminated; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_pdq_distance(
    a: *const c_char,
    b: *const c_char,
    out: *mut u32,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        // SAFETY: the caller's contract.
        let (a, b) = unsafe { (cstr(a)?, cstr(b)?) };
        let d = PdqHash::from_hex(a)?.distance(&PdqHash::from_hex(b)?);
        // SAFETY: checked above.
        unsafe { put(out, d) };
        Ok(())
    })
}

/// The strict canonical key of a text (what the "text" signal digests). Free with
/// `hs_string_free`.
///
/// # Safety
/// `text` must be valid for `len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_text_strict_key(
    text: *const c_char,
    len: usize,
    out: *mut *mut c_char,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        // SAFETY: the caller's contract.
        let text = unsafe { input_str(text, len) }?;
        let k = hashscreen::text::strict_key(text)?;
        // SAFETY: checked above.
        unsafe { put_string(out, &k) };
        Ok(())
    })
}

/// The loose canonical key of a text (the "text_loose" signal). Free with `hs_string_free`.
///
/// # Safety
/// `text` must be valid for `len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_text_loose_key(
    text: *const c_char,
    len: usize,
    out: *mut *mut c_char,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        // SAFETY: the caller's contract.
        let text = unsafe { input_str(text, len) }?;
        let k = hashscreen::text::loose_key(text)?;
        // SAFETY: checked above.
        unsafe { put_string(out, &k) };
        Ok(())
    })
}

/// The word shingles of a text (`width` words each; 0 means the default width), the values of
/// the "text_shingle" signal.
///
/// # Safety
/// `text` must be valid for `len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_text_shingles(
    text: *const c_char,
    len: usize,
    width: usize,
    out: *mut *mut hs_strings,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        // SAFETY: the caller's contract.
        let text = unsafe { input_str(text, len) }?;
        let width = if width == 0 {
            hashscreen::text::SHINGLE_WIDTH
        } else {
            width
        };
        let list = hashscreen::text::shingles(text, width)?;
        // SAFETY: checked above.
        unsafe { put(out, register(strings(list))) };
        Ok(())
    })
}

fn strings(list: Vec<String>) -> Strings {
    Strings(
        list.into_iter()
            .map(|s| CString::new(s).unwrap_or_default())
            .collect(),
    )
}

/// The Safe Browsing canonical form of a URL (after refanging `hxxp`, `[.]`). Free with
/// `hs_string_free`.
///
/// # Safety
/// `url` must be valid for `len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_url_canonicalize(
    url: *const c_char,
    len: usize,
    out: *mut *mut c_char,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        // SAFETY: the caller's contract.
        let url = unsafe { input_str(url, len) }?;
        let c = hashscreen::url::canonicalize(url)?;
        // SAFETY: checked above.
        unsafe { put_string(out, &c) };
        Ok(())
    })
}

/// The host-suffix x path-prefix expressions of a URL (at most 30), the values of the "url"
/// signal; the first is the full canonical expression.
///
/// # Safety
/// `url` must be valid for `len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_url_expressions(
    url: *const c_char,
    len: usize,
    out: *mut *mut hs_strings,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        // SAFETY: the caller's contract.
        let url = unsafe { input_str(url, len) }?;
        let list = hashscreen::url::canonical_expressions(url)?;
        // SAFETY: checked above.
        unsafe { put(out, register(strings(list))) };
        Ok(())
    })
}

/// The number of strings in a list.
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_strings_len(list: *const hs_strings, out: *mut usize) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let l = lookup::<Strings, _>(list)?;
        // SAFETY: checked above.
        unsafe { put(out, l.0.len()) };
        Ok(())
    })
}

/// String number `index` (borrowed: valid until the list is freed; `HS_INVALID_ARGUMENT` past
/// the end).
///
/// # Safety
/// `out` must be valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_strings_get(
    list: *const hs_strings,
    index: usize,
    out: *mut *const c_char,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let l = lookup::<Strings, _>(list)?;
        let s =
            l.0.get(index)
                .ok_or_else(|| fail(HS_INVALID_ARGUMENT, "string index out of range"))?;
        // SAFETY: checked above; the string lives in the registry until the list is freed.
        unsafe { put(out, s.as_ptr()) };
        Ok(())
    })
}

/// Frees a string list. NULL is ignored.
#[no_mangle]
pub extern "C" fn hs_strings_free(list: *mut hs_strings) -> hs_status {
    release::<Strings, _>(list)
}

/// The keyed digest of a signal value: BLAKE3 keyed by the key's subkey for `signal` ("file",
/// "text", "text_loose", "text_shingle", "url", "image_pdq", "image_near"), over the little-endian `version`
/// and `value`. Written as 64 hex digits; free with `hs_string_free`.
///
/// # Safety
/// `signal` must be NUL-terminated; `value` valid for `len` bytes; `out` valid for a write.
#[no_mangle]
pub unsafe extern "C" fn hs_digest(
    key: *const hs_key,
    signal: *const c_char,
    version: u16,
    value: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> hs_status {
    guard(|| {
        out_ok(out)?;
        let key = lookup::<Key, _>(key)?;
        // SAFETY: the caller's contract.
        let (signal, value) = unsafe { (cstr(signal)?, input(value, len)?) };
        let d = hashscreen::digest(&key, signal_by_name(signal)?, version, value);
        // SAFETY: checked above.
        unsafe { put_string(out, &d.to_hex()) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_code_has_a_status_and_back() {
        for code in Error::CODES {
            let (status, c) = STATUS_CODES
                .iter()
                .find(|(_, c)| c.to_bytes() == code.as_bytes())
                .unwrap_or_else(|| panic!("no status for {code}"));
            assert!(*status as u32 >= 100, "{code}");
            assert_eq!(status_code_cstr(*status), *c);
        }
        assert_eq!(STATUS_CODES.len(), Error::CODES.len() + 6);
        assert_eq!(status_of(&Error::NotAdditive), HS_NOT_ADDITIVE);
        assert_eq!(
            status_of(&Error::Rollback {
                current: 2,
                found: 1
            }),
            HS_ROLLBACK
        );
    }

    #[test]
    fn handles_of_another_type_and_freed_handles_are_errors() {
        let mut key: *mut hs_key = std::ptr::null_mut();
        // SAFETY: `key` is a valid out-parameter.
        assert_eq!(unsafe { hs_key_generate(&mut key) }, HS_OK);
        let as_list = key.cast::<hs_blocklist>();
        let mut seq = 0u64;
        // SAFETY: `seq` is a valid out-parameter.
        let status = unsafe { hs_blocklist_sequence(as_list, &mut seq) };
        assert_eq!(status, HS_INVALID_HANDLE);
        assert_eq!(hs_blocklist_free(as_list), HS_INVALID_HANDLE);
        assert_eq!(hs_key_free(key), HS_OK);
        assert_eq!(hs_key_free(key), HS_INVALID_HANDLE);
        let mut id: *mut c_char = std::ptr::null_mut();
        // SAFETY: `id` is a valid out-parameter.
        assert_eq!(unsafe { hs_key_id(key, &mut id) }, HS_INVALID_HANDLE);
        assert!(id.is_null());
        // SAFETY: out-parameter checks come first: NULL out gives an error, not a crash.
        let status = unsafe { hs_key_generate(std::ptr::null_mut()) };
        assert_eq!(status, HS_NULL_POINTER);
    }

    #[test]
    fn a_panic_is_caught_and_reported() {
        let status = guard(|| -> Result<(), Fail> {
            let v: Vec<u8> = Vec::new();
            let i = v.len() + 3;
            let _ = v[i];
            Ok(())
        });
        assert_eq!(status, HS_PANIC);
        // SAFETY: the message is NUL-terminated and static for this thread until the next failure.
        let msg = unsafe { CStr::from_ptr(hs_last_error_message()) };
        assert!(msg.to_str().unwrap_or("").contains("panic"));
    }
}
