//! The project's command line: argument parsing ([`cli`]) and one small module
//! per command, calling into `codegen` and `verify` (where the checks are).
//! `main.rs` hands its arguments to [`run`]; the `tests` package and this
//! package's `tests/` run the binary, and see exactly the exit status and
//! output a user would.
//!
//! - `cargo xtask codegen [--check] [--spec PATH] [--out DIR] [--tag TAG | --all-tags] [--operation ID]…`
//! - `cargo xtask drift --upstream PATH [--spec PATH] [--tag TAG]`
//! - `cargo xtask contract [--spec PATH]…`, `cargo xtask contract --whole-api [--spec PATH] [--rounds N]`
//! - `cargo xtask fuzz [--cases N] [--seed S] [--compile K] [--class NAME]… [--spec PATH]`
//! - `cargo xtask msrv`
//! - `cargo xtask package`
//! - `cargo xtask race [--runs N]`
//! - `cargo xtask apis`
//! - `cargo xtask bench [--quick]`

mod apis_cmd;
mod bench_cmd;
pub mod cli;
mod codegen_cmd;
mod contract_cmd;
mod drift_cmd;
mod fuzz_cmd;
mod msrv_cmd;
mod package_cmd;
mod race_cmd;

use std::io::Write;

use cli::Command;

/// Exit status for a failed check or a bad spec.
pub const FAILURE: u8 = verify::FAILURE;
/// Exit status for a command line that does not parse.
pub const USAGE: u8 = 2;

/// Runs one command; returns the process exit status.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let command = match cli::parse(args) {
        Ok(command) => command,
        Err(message) => {
            let _ = writeln!(err, "error: {message}\n\n{}", cli::USAGE_TEXT);
            return USAGE;
        }
    };
    match command {
        Command::Help => {
            let _ = writeln!(out, "{}", cli::USAGE_TEXT);
            0
        }
        Command::Codegen(options) => codegen_cmd::run(&options, out, err),
        Command::Drift(options) => drift_cmd::run(&options, out, err),
        Command::Contract(options) => contract_cmd::run(&options, out, err),
        Command::Fuzz(options) => fuzz_cmd::run(&options, out, err),
        Command::Msrv => msrv_cmd::run(out, err),
        Command::Package => package_cmd::run(out, err),
        Command::Race(runs) => race_cmd::run(runs, out, err),
        Command::Apis => apis_cmd::run(out, err),
        Command::Bench(quick) => bench_cmd::run(quick, out, err),
    }
}
