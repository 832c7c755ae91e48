//! `src/tables.rs` is exactly what `examples/generate.rs` prints (the other tests check that the
//! generated tables give the references' results).

#[allow(dead_code)]
#[path = "../examples/generate.rs"]
mod generate;

#[test]
fn tables_are_the_generators_output() {
    let fresh = generate::generate();
    let checked_in = include_str!("../src/tables.rs");
    assert!(
        fresh == checked_in,
        "src/tables.rs is stale: cargo run -p hashscreen-unicode --example generate > unicode/src/tables.rs"
    );
}
