//! The benchmark's one error type.

use std::path::PathBuf;

/// Everything that can stop a benchmark run. Each variant names its cause and what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// A file or directory could not be read or written. Check the path and permissions.
    #[error("{path}: {source}")]
    Io {
        /// the path
        path: PathBuf,
        /// the operating system's error
        source: std::io::Error,
    },
    /// The corpus directory holds no `*.jpg` / `*.png` file. Pass the directory of the images.
    #[error("{dir}: no *.jpg or *.png images")]
    EmptyCorpus {
        /// the directory given
        dir: PathBuf,
    },
    /// An original image could not be decoded by `image`. Remove or replace the file.
    #[error("{path}: cannot decode: {reason}")]
    Decode {
        /// the file
        path: PathBuf,
        /// the decoder's message
        reason: String,
    },
    /// An image is too small or too large for a transform's encoder (JPEG holds at most 65535
    /// pixels a side). Use smaller originals.
    #[error("transform {transform}: image {width}x{height} cannot be encoded: {reason}")]
    Encode {
        /// the transform's name
        transform: &'static str,
        /// width of the transformed pixels
        width: u32,
        /// height of the transformed pixels
        height: u32,
        /// the encoder's message
        reason: String,
    },
    /// The library refused an operation (building or opening the list, a screener).
    #[error("hashscreen: {0}")]
    Hashscreen(#[from] hashscreen::Error),
    /// A floors or report file is not the JSON this tool reads or writes.
    #[error("{path}: {reason}")]
    Json {
        /// the file
        path: PathBuf,
        /// what is wrong
        reason: String,
    },
    /// The floors file names a transform that does not exist (a typo would silently disable a
    /// floor). Use the names of the standard transforms.
    #[error("floors file names an unknown transform {name:?}")]
    UnknownTransform {
        /// the name found
        name: String,
    },
    /// An argument is out of range (for example `--limit 1`: two folds need two images).
    #[error("bad argument: {0}")]
    Argument(String),
}
