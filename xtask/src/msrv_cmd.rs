//! `cargo xtask msrv`: the published crates' locked dependencies against
//! `rust-version` (`verify::msrv`).

use std::io::Write;

pub fn run(out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    verify::msrv::run(out, err)
}
