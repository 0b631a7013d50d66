//! `cargo xtask …`: see `xtask::run`.

use std::process::ExitCode;

// Formatting parses and prints hundreds of thousands of small syntax nodes on
// two threads; malloc and free were about a third of codegen's instructions.
// mimalloc (v2: it keeps less memory than v3) made whole-API codegen about 27%
// faster here (0.355 -> 0.26 s on Clerk's 244-operation subset), peak memory
// 27 -> 40 MiB (BENCHMARKS.md). Only this binary uses it; the codegen library
// and the generated crates are untouched.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = xtask::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
    ExitCode::from(code)
}
