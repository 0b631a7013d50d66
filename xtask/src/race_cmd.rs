//! `cargo xtask race [--runs N]`: codegen under a rename race (`verify::race`).

use std::io::Write;

pub fn run(runs: usize, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    verify::race::run(runs, out, err)
}
