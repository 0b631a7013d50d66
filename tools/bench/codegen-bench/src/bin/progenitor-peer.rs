//! `progenitor-peer SPEC OUT`: the peer process timed beside `xtask codegen`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [spec, out] = args.as_slice() else {
        eprintln!("usage: progenitor-peer SPEC OUT");
        return ExitCode::from(2);
    };
    match codegen_bench::peer::generate_to(&PathBuf::from(spec), &PathBuf::from(out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
