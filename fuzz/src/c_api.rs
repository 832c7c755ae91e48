//! Fuzz entry point for the C API (`bindings/c`): the exported functions that take bytes, called
//! through their Rust names exactly as a C caller would, with fuzzer-chosen bytes, lengths, NULL
//! buffers, stale handles and out-of-range indices.
//!
//! Included by the `c_api` fuzz target and, with `#[path]`, by `bindings/c/tests/fuzz_regressions.rs`,
//! which replays `fuzz/regressions/c_api/` on stable. Invariants checked on every call: no call
//! returns `HS_PANIC`; a call that succeeds returns a live handle; a freed handle is refused with
//! `HS_INVALID_HANDLE`; a NULL buffer with a non-zero length is `HS_NULL_POINTER`; a failed delta
//! leaves its base list intact.

use std::ffi::{c_char, CStr};
use std::ptr;
use std::sync::OnceLock;

use hashscreen_c::hs_status::{self, *};
use hashscreen_c::*;

/// The fixture list (`fixtures/blocklists/list-v1.hsbl`), built under the key 00 01 .. 1f.
const LIST_V1: &[u8] = include_bytes!("../../fixtures/blocklists/list-v1.hsbl");
const KEY_HEX: &CStr = c"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

/// Handles made once per process (ids in the C layer's registry, kept as integers).
struct Fixture {
    key: usize,
    list: usize,
    screener: usize,
}

fn check(status: hs_status) -> hs_status {
    assert_ne!(status, HS_PANIC, "a C API call panicked");
    status
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let (mut key, mut list, mut screener) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        // SAFETY: valid strings, buffers and out-parameters.
        unsafe {
            assert_eq!(hs_key_from_hex(KEY_HEX.as_ptr(), &mut key), HS_OK);
            let opts = ptr::null();
            let st = hs_blocklist_open(LIST_V1.as_ptr(), LIST_V1.len(), opts, &mut list);
            assert_eq!(st, HS_OK);
            assert_eq!(hs_screener_new(list, key, &mut screener), HS_OK);
        }
        Fixture {
            key: key as usize,
            list: list as usize,
            screener: screener as usize,
        }
    })
}

/// The C view of fuzzer bytes: the buffer, or NULL when `null` is set (the length stays).
fn buf(data: &[u8], null: bool) -> *const u8 {
    if null {
        ptr::null()
    } else {
        data.as_ptr()
    }
}

/// What a NULL buffer of `len` bytes must give, or `None` when the call may go either way.
fn null_expect(null: bool, len: usize) -> Option<hs_status> {
    (null && len > 0).then_some(HS_NULL_POINTER)
}

/// Reads every accessor of a verdict, past its end too, then frees it twice.
fn inspect_verdict(v: *mut hs_verdict) {
    let (mut matched, mut n, mut u) = (false, 0usize, 0usize);
    let mut m = hs_match {
        part: 0,
        signal: ptr::null(),
        label: ptr::null(),
    };
    let mut un = hs_unscreened {
        part: 0,
        status: HS_OK,
        code: ptr::null(),
        message: ptr::null(),
    };
    // SAFETY: live handle and valid out-parameters; the strings are read while `v` is alive.
    unsafe {
        assert_eq!(check(hs_verdict_matched(v, &mut matched)), HS_OK);
        assert_eq!(check(hs_verdict_match_count(v, &mut n)), HS_OK);
        assert_eq!(check(hs_verdict_unscreened_count(v, &mut u)), HS_OK);
        assert_eq!(matched, n > 0, "matched iff some match");
        for i in 0..n {
            assert_eq!(check(hs_verdict_match(v, i, &mut m)), HS_OK);
            assert!(!m.signal.is_null() && !m.label.is_null());
            let _ = CStr::from_ptr(m.label).to_bytes().len();
        }
        assert_eq!(check(hs_verdict_match(v, n, &mut m)), HS_INVALID_ARGUMENT);
        for i in 0..u {
            assert_eq!(check(hs_verdict_unscreened(v, i, &mut un)), HS_OK);
            assert_ne!(un.status, HS_OK);
            let _ = CStr::from_ptr(un.message).to_bytes().len();
        }
        assert_eq!(
            check(hs_verdict_unscreened(v, u, &mut un)),
            HS_INVALID_ARGUMENT
        );
    }
    assert_eq!(check(hs_verdict_free(v)), HS_OK);
    assert_eq!(check(hs_verdict_free(v)), HS_INVALID_HANDLE);
}

/// One single-part screening call of the C API.
type ScreenFn =
    unsafe extern "C" fn(*const hs_screener, *const u8, usize, *mut *mut hs_verdict) -> hs_status;

unsafe extern "C" fn screen_text(
    s: *const hs_screener,
    p: *const u8,
    n: usize,
    out: *mut *mut hs_verdict,
) -> hs_status {
    // SAFETY: forwarded.
    unsafe { hs_screen_text(s, p.cast::<c_char>(), n, out) }
}

unsafe extern "C" fn screen_url(
    s: *const hs_screener,
    p: *const u8,
    n: usize,
    out: *mut *mut hs_verdict,
) -> hs_status {
    // SAFETY: forwarded.
    unsafe { hs_screen_url(s, p.cast::<c_char>(), n, out) }
}

/// Opens fuzzer bytes as a list (with fuzzer-chosen options), uses it, frees it.
fn open(data: &[u8], mode: u8) -> hs_status {
    let f = fixture();
    let key_id = match mode >> 5 {
        // A fuzzer-chosen key id string (NUL-terminated at its first NUL or at the end).
        1 => Some(data.split(|&b| b == 0).next().unwrap_or_default().to_vec()),
        2 => Some(b"00112233445566778899aabbccddeeff".to_vec()),
        _ => None,
    }
    .map(|mut v| {
        v.push(0);
        v
    });
    let opts = hs_open_options {
        publisher: ptr::null(),
        has_min_sequence: mode & 0x10 != 0,
        min_sequence: u64::from(mode & 3),
        key_id: key_id
            .as_ref()
            .map_or(ptr::null(), |k| k.as_ptr().cast::<c_char>()),
    };
    let null = mode & 8 != 0;
    let mut list = ptr::null_mut();
    // SAFETY: `data` (or NULL) with its length, valid options and out-parameter.
    let st = check(unsafe { hs_blocklist_open(buf(data, null), data.len(), &opts, &mut list) });
    if let Some(want) = null_expect(null, data.len()) {
        assert_eq!(st, want);
    }
    if st != HS_OK {
        return st;
    }
    assert!(!list.is_null());
    let (mut seq, mut bytes, mut len) = (0u64, ptr::null(), 0usize);
    let mut screener = ptr::null_mut();
    // SAFETY: live handles and valid out-parameters.
    unsafe {
        assert_eq!(check(hs_blocklist_sequence(list, &mut seq)), HS_OK);
        assert_eq!(check(hs_blocklist_bytes(list, &mut bytes, &mut len)), HS_OK);
        assert_eq!(len, data.len(), "an opened list is the bytes given");
        let key = f.key as *const hs_key;
        if check(hs_screener_new(list, key, &mut screener)) == HS_OK {
            let text = b"Claim your prize now";
            let mut v = ptr::null_mut();
            let st = hs_screen_text(screener, text.as_ptr().cast(), text.len(), &mut v);
            assert_eq!(check(st), HS_OK);
            inspect_verdict(v);
            assert_eq!(check(hs_screener_free(screener)), HS_OK);
        }
    }
    assert_eq!(check(hs_blocklist_free(list)), HS_OK);
    // SAFETY: a stale handle is refused, never dereferenced.
    let stale = check(unsafe { hs_blocklist_sequence(list, &mut seq) });
    assert_eq!(stale, HS_INVALID_HANDLE);
    HS_OK
}

/// Applies fuzzer bytes as a delta to the fixture list; the base stays intact.
fn delta(data: &[u8], mode: u8) -> hs_status {
    let f = fixture();
    let base = f.list as *const hs_blocklist;
    let null = mode & 8 != 0;
    let mut out = ptr::null_mut();
    // SAFETY: live base, `data` (or NULL) with its length, NULL options, valid out-parameter.
    let st =
        check(unsafe { hs_delta_apply(base, buf(data, null), data.len(), ptr::null(), &mut out) });
    if let Some(want) = null_expect(null, data.len()) {
        assert_eq!(st, want);
    }
    let (mut bytes, mut len) = (ptr::null(), 0usize);
    // SAFETY: live handle, valid out-parameters; the bytes live as long as the handle.
    unsafe {
        assert_eq!(check(hs_blocklist_bytes(base, &mut bytes, &mut len)), HS_OK);
        assert_eq!(
            std::slice::from_raw_parts(bytes, len),
            LIST_V1,
            "base unchanged"
        );
    }
    if st == HS_OK {
        assert_eq!(check(hs_blocklist_free(out)), HS_OK);
    }
    st
}

/// Screens fuzzer bytes through one single-part call.
fn screen(data: &[u8], mode: u8, call: ScreenFn) -> hs_status {
    let s = fixture().screener as *const hs_screener;
    let null = mode & 8 != 0;
    let mut v = ptr::null_mut();
    // SAFETY: live screener, `data` (or NULL) with its length, valid out-parameter.
    let st = check(unsafe { call(s, buf(data, null), data.len(), &mut v) });
    if let Some(want) = null_expect(null, data.len()) {
        assert_eq!(st, want);
    }
    if st == HS_OK {
        inspect_verdict(v);
    }
    st
}

/// A multi-part message: per part a kind byte and a one-byte length, then the bytes.
fn message(data: &[u8]) -> hs_status {
    let s = fixture().screener as *const hs_screener;
    let mut m = ptr::null_mut();
    // SAFETY: valid out-parameter.
    assert_eq!(check(unsafe { hs_message_new(&mut m) }), HS_OK);
    let mut rest = data;
    while let [kind, len, tail @ ..] = rest {
        let (part, next) = tail.split_at(usize::from(*len).min(tail.len()));
        let (p, n) = (part.as_ptr(), part.len());
        // SAFETY: live message, `part` with its length.
        let st = check(unsafe {
            match kind % 4 {
                0 => hs_message_add_text(m, p.cast(), n),
                1 => hs_message_add_url(m, p.cast(), n),
                2 => hs_message_add_file(m, p, n),
                _ => hs_message_add_image(m, p, n),
            }
        });
        // Only text and URL parts can be refused (not UTF-8, too long); the others are kept.
        if kind % 4 >= 2 {
            assert_eq!(st, HS_OK);
        }
        rest = next;
    }
    let mut v = ptr::null_mut();
    // SAFETY: live handles, valid out-parameter.
    let st = check(unsafe { hs_screen_message(s, m, &mut v) });
    assert_eq!(
        st, HS_OK,
        "a message always screens (bad parts are unscreened)"
    );
    inspect_verdict(v);
    assert_eq!(check(hs_message_free(m)), HS_OK);
    st
}

/// PDQ of fuzzer bytes.
fn pdq(data: &[u8], mode: u8) -> hs_status {
    let null = mode & 8 != 0;
    let mut out = hs_pdq {
        hashes: [[0; 32]; 8],
        hex: [[0; 65]; 8],
        quality: 0,
    };
    // SAFETY: `data` (or NULL) with its length, valid out-parameter.
    let st = check(unsafe { hs_pdq_from_image(buf(data, null), data.len(), &mut out) });
    if let Some(want) = null_expect(null, data.len()) {
        assert_eq!(st, want);
    }
    if st == HS_OK {
        assert!(out.quality <= 100);
        assert!(
            out.hex.iter().all(|h| h[64] == 0),
            "hex strings are terminated"
        );
    }
    st
}

/// A key from fuzzer hex (NUL-terminated at the first NUL).
fn key_hex(data: &[u8]) -> hs_status {
    let mut s: Vec<u8> = data.split(|&b| b == 0).next().unwrap_or_default().to_vec();
    s.push(0);
    let mut k = ptr::null_mut();
    // SAFETY: a NUL-terminated string and a valid out-parameter.
    let st = check(unsafe { hs_key_from_hex(s.as_ptr().cast(), &mut k) });
    if st == HS_OK {
        assert_eq!(check(hs_key_free(k)), HS_OK);
    }
    st
}

/// The fuzz entry point. First byte: bits 0-2 pick the entry point, bit 3 passes a NULL buffer,
/// the other bits choose options. Returns the status of the call under test.
pub fn c_api(data: &[u8]) -> hs_status {
    let Some((&mode, rest)) = data.split_first() else {
        return HS_OK;
    };
    match mode & 7 {
        0 => open(rest, mode),
        1 => delta(rest, mode),
        2 => screen(rest, mode, screen_text),
        3 => screen(rest, mode, screen_url),
        4 => screen(rest, mode, hs_screen_file),
        5 => screen(rest, mode, hs_screen_image),
        6 => pdq(rest, mode),
        _ if mode & 8 != 0 => key_hex(rest),
        _ => message(rest),
    }
}
