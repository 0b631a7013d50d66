//! `cargo xtask bench [--quick]`: the benchmark harness, its rows collected
//! into BENCHMARKS.md (`verify::bench`).

use std::io::Write;

pub fn run(quick: bool, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    verify::bench::run(quick, out, err)
}
