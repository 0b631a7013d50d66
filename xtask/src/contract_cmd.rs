//! `cargo xtask contract [--spec PATH]…` and `cargo xtask contract --whole-api`: the
//! generated client against Prism (`verify::contract`, `verify::whole_api`).

use std::io::Write;

use verify::options::ContractOptions;

pub fn run(options: &ContractOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    verify::contract::run(options, out, err)
}
