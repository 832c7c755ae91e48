//! Generates the C header with cbindgen into `$OUT_DIR/hashscreen.h`. The checked-in copy in
//! `include/hashscreen.h` is rewritten only when `HASHSCREEN_BLESS_HEADER=1` is set;
//! `tests/header.rs` fails when the checked-in copy differs from the generated one.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=HASHSCREEN_BLESS_HEADER");
    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let config = match cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")) {
        Ok(c) => c,
        Err(e) => {
            println!("cargo:warning=cbindgen.toml: {e}");
            std::process::exit(1);
        }
    };
    let bindings = match cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
    {
        Ok(b) => b,
        Err(e) => {
            println!("cargo:warning=cbindgen: {e}");
            std::process::exit(1);
        }
    };
    bindings.write_to_file(out_dir.join("hashscreen.h"));
    if std::env::var_os("HASHSCREEN_BLESS_HEADER").is_some_and(|v| v == "1") {
        bindings.write_to_file(crate_dir.join("include/hashscreen.h"));
    }
}
