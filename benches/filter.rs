//! Filter benchmarks (filled in by the filter bench work).
fn main() {}
