//! Blocklists: the signed, versioned file that ships keyed-digest filters to clients.
//!
//! - [`Blocklist::open`] parses and verifies a list (checksum, signature, rollback, key id) without
//!   copying its filters: probes read the bytes you passed in.
//! - [`BlocklistBuilder`] builds a list (the trust-and-safety side).
//! - [`delta`] makes and applies addition-only deltas.
//!
//! The byte layout is specified in `FORMAT.md`; [`format`] holds its constants.

mod builder;
pub mod delta;
mod file;
pub mod format;

pub use builder::{BlocklistBuilder, TextSignals};
pub use file::{Blocklist, FileKind, OpenOptions, Section, DEFAULT_MAX_BLOCKLIST_BYTES};

/// Parses and verifies a list or a delta (for inspection tools): the same checks as
/// [`Blocklist::open`] without requiring a full list.
pub fn inspect<B>(bytes: B, opts: &OpenOptions) -> Result<Blocklist, crate::Error>
where
    B: AsRef<[u8]> + Send + Sync + 'static,
{
    Blocklist::parse(std::sync::Arc::new(bytes), opts)
}
