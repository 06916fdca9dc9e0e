//! Mirrors lit-bit-bench's `benches/main.rs`: an auto-discovered bench file that is not declared with
//! `harness = false`, so libtest replaces its `main`. `cargo bench` prints `running 0 tests` for it and it runs
//! no Criterion code; litlab must skip it rather than pass it Criterion's flags.

#[allow(dead_code)]
fn would_be_criterion_entry_point() {}
