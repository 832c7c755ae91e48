//! hashscreen: screen message content on the client against a keyed Bloom-filter blocklist.
//!
//! (Crate documentation is completed by the foundation work; see README.md.)

pub mod error;
pub mod image;
pub mod text;
pub mod url;

pub use error::Error;
