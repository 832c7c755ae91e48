//! The inputs of the WASM vs native benchmark (`wasm/bench/run.sh`) and its per-message work
//! looped inside Rust: `native.rs` runs these loops natively, `wasm.mjs` runs the same loops compiled
//! to WebAssembly (one JS call per loop), beside the package's per-message calls. The difference
//! between a loop and the package's calls is the cost of crossing between JS and WebAssembly; the
//! loops compare the code itself (BENCHMARKS.md, WebAssembly section).

use hashscreen::{Blocklist, BlocklistBuilder, Error, Key, OpenOptions};
use wasm_bindgen::prelude::*;

/// Creation time of the benchmark's list.
pub const CREATED: u64 = 1_767_225_600;
/// Id of the benchmark's list.
pub const LIST_ID: [u8; 16] = [7; 16];

/// Entry `i` of the listed texts.
#[wasm_bindgen]
pub fn listed(i: usize) -> String {
    format!("Your parcel {i} is on hold, pay the customs fee at the link to release it")
}

/// Message `i` of the screened texts (never listed).
#[wasm_bindgen]
pub fn message(i: usize) -> String {
    format!(
        "Hey, are we still on for dinner at {i}? Bring the Book, I finished chapter {}",
        i % 97
    )
}

/// Text `i` of about `bytes` bytes: messages `i`, `i + 1`, ... joined by spaces up to the first
/// that reaches `bytes`.
#[wasm_bindgen(js_name = longText)]
pub fn long_text(i: usize, bytes: usize) -> String {
    let mut t = String::with_capacity(bytes + 100);
    let mut j = i;
    while t.len() < bytes {
        t.push_str(&message(j));
        t.push(' ');
        j += 1;
    }
    t
}

/// File `i` of the screened files (16 bytes, never listed).
pub fn small_file(i: usize) -> [u8; 16] {
    let mut f = [0xee; 16];
    f[..8].copy_from_slice(&(i as u64).to_le_bytes());
    f
}

/// [`small_file`] for JS.
#[wasm_bindgen(js_name = smallFile)]
pub fn small_file_js(i: usize) -> Vec<u8> {
    small_file(i).to_vec()
}

/// Listed file `i` (8 bytes).
#[wasm_bindgen(js_name = listedFile)]
pub fn listed_file(i: usize) -> Vec<u8> {
    (i as u64).to_le_bytes().to_vec()
}

/// The benchmark's list: `entries` texts ([`listed`]) in `scam` and as many files
/// ([`listed_file`]) in `malware`, with a fixed creation time and id.
pub fn build_list(key: &Key, entries: usize) -> Result<Vec<u8>, Error> {
    let mut b = BlocklistBuilder::new(key);
    b.created(CREATED).list_id(LIST_ID);
    for i in 0..entries {
        b.add_text("scam", &listed(i))?;
        b.add_file("malware", &listed_file(i))?;
    }
    b.build()
}

/// The per-message work of the benchmark over its inputs, each loop one call.
#[wasm_bindgen]
pub struct Loops {
    screener: hashscreen::Screener,
    msgs: Vec<String>,
    files: Vec<[u8; 16]>,
    /// The keyed digests of `files`.
    digests: Vec<hashscreen::Digest>,
}

#[wasm_bindgen]
impl Loops {
    /// The screener of `list` (the bytes [`build_list`] gives) with the key `key_hex`, and
    /// `messages` messages and files.
    #[wasm_bindgen(constructor)]
    pub fn new(list: &[u8], key_hex: &str, messages: usize) -> Result<Loops, String> {
        let key = Key::from_hex(key_hex).map_err(|e| e.to_string())?;
        let list =
            Blocklist::open(list.to_vec(), &OpenOptions::default()).map_err(|e| e.to_string())?;
        let screener = hashscreen::Screener::new(&list, &key).map_err(|e| e.to_string())?;
        let files: Vec<[u8; 16]> = (0..messages).map(small_file).collect();
        let digests = files
            .iter()
            .map(|f| hashscreen::file_digest(&key, f))
            .collect();
        Ok(Loops {
            screener,
            msgs: (0..messages).map(message).collect(),
            files,
            digests,
        })
    }

    /// `strict_key` of every message (as `canonicalText` computes it); returns the total length.
    pub fn canonical(&self) -> usize {
        self.msgs
            .iter()
            .map(|m| hashscreen::text::strict_key(m).map_or(0, |k| k.len()))
            .sum()
    }

    /// `screen_text` of every message (as `screenText`); returns the number matched.
    #[wasm_bindgen(js_name = screenText)]
    pub fn screen_text(&self) -> usize {
        self.msgs
            .iter()
            .filter(|m| self.screener.screen_text(m).is_ok_and(|v| v.matched()))
            .count()
    }

    /// `screen_file` of every 16-byte file (as `screenFile`); returns the number matched.
    #[wasm_bindgen(js_name = screenFile)]
    pub fn screen_file(&self) -> usize {
        self.files
            .iter()
            .filter(|f| self.screener.screen_file(&f[..]).matched())
            .count()
    }

    /// The filter probe alone: `screen_file_digest` of every file's digest; returns the number
    /// matched.
    pub fn probe(&self) -> usize {
        self.digests
            .iter()
            .filter(|d| self.screener.screen_file_digest(d).matched())
            .count()
    }
}
