//! `cargo xtask …`: see `xtask::run`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = xtask::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
    ExitCode::from(code)
}
