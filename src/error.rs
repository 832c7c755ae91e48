//! The crate's error type.

/// Everything that can go wrong in hashscreen. Each variant says what caused it and what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Input was longer than the documented limit; shorten it or split it.
    #[error("input too large: {found} bytes, limit {limit}")]
    InputTooLarge {
        /// the limit in bytes
        limit: usize,
        /// the size found
        found: usize,
    },
}
