//! `cargo xtask fuzz`: hostile variants of the spec through codegen (`verify::fuzz`).

use std::io::Write;

use verify::fuzz::FuzzOptions;

pub fn run(options: &FuzzOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    verify::fuzz::run(options, out, err)
}
