//! # hashscreen
//!
//! Screen message content on the client, before it is end-to-end encrypted, against a compact
//! blocklist of keyed digests: exact file bytes, canonical text, URLs, and perceptual image hashes.
//! The verdict names the list that matched and nothing of the content.
//!
//! ## Examples
//!
//! ```
//! use hashscreen::{Blocklist, BlocklistBuilder, Key, OpenOptions, Screener};
//!
//! // Trust-and-safety side: build a list under a deployment key.
//! let key = Key::generate()?;
//! let mut builder = BlocklistBuilder::new(&key);
//! builder.add_text("scam", "Your package is on hold, pay the fee here")?;
//! let bytes = builder.build()?;
//!
//! // Client side: verify and load the list, then screen.
//! let list = Blocklist::open(bytes, &OpenOptions { key_id: Some(key.id()), ..Default::default() })?;
//! let screener = Screener::new(&list, &key)?;
//! let verdict = screener.screen_text("YOUR PACKAGE is on hold, pay the fee here")?;
//! assert!(verdict.matched());
//! assert!(!screener.screen_text("see you at eight")?.matched());
//! # Ok::<(), hashscreen::Error>(())
//! ```
//!
//! ## Crate features
//! - `cli` (default): the `hashscreen` command-line tool.
//! - `image` (default): decoding of image files (JPEG, PNG, WebP, GIF, BMP) for PDQ hashing.
//! - `compact-hashes` (with `cli`): 64-bit pHash and dHash through `image_hasher`, for comparison.
//! - `precomputed-tables` (default): curve25519-dalek's base-point tables (about 38 KB) for faster
//!   Ed25519 signing and verification; the WebAssembly package turns it off for size.
//!
//! ## Threat model
//! The server learns nothing of content from screening. A client that holds the list and the key can
//! test guesses against the list (an offline membership oracle), and perceptual hashes can be evaded
//! by a determined adversary. Per-deployment keys stop precomputed tables from transferring between
//! deployments. See the README's threat model section.
//!
//! ## Untrusted input
//! Blocklists, texts and images are attacker-reachable. Every malformed input gives a typed
//! [`Error`], never a panic; [`Blocklist::open`] verifies length, checksum, signature, key id and
//! sequence before anything is used.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod blocklist;
pub mod digest;
pub mod error;
pub mod filter;
mod hex;
pub mod image;
pub mod key;
pub mod screen;
pub mod text;
pub mod url;

pub use blocklist::{Blocklist, BlocklistBuilder, OpenOptions};
pub use digest::{digest, file_digest, Digest, Digester, FileHasher};
pub use error::Error;
pub use key::{Key, KeyId, SignalKind, SigningKey, VerifyingKey};
pub use screen::{Match, Message, Part, Screener, Verdict};

/// The README's Rust example, compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
