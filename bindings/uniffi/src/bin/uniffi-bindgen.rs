//! The crate's own `uniffi-bindgen` (same UniFFI version as the library): generates the Kotlin,
//! Swift and Python sources from the built library (`generate --library ...`).

fn main() {
    uniffi::uniffi_bindgen_main()
}
