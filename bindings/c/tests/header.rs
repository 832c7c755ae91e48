//! The checked-in header equals the one cbindgen generates from the current sources.

#[test]
fn checked_in_header_is_current() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/hashscreen.h"));
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/include/hashscreen.h");
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "bindings/c/include/hashscreen.h is stale: regenerate it with \
         `HASHSCREEN_BLESS_HEADER=1 cargo build -p hashscreen-c` and commit it"
    );
}
