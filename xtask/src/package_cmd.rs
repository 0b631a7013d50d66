//! `cargo xtask package`: the published crates as a user gets them
//! (`verify::package`).

use std::io::Write;

pub fn run(out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    verify::package::run(out, err)
}
