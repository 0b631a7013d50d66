//! `cargo xtask apis`: the generator on whole real APIs, each crate built
//! (`verify::apis`).

use std::io::Write;

pub fn run(out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    verify::apis::run(out, err)
}
