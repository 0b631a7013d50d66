//! A program of the user's, built in a scratch workspace beside the crates it
//! depends on and run against a local server.

use std::process::Command;

use verify::compile::{build, scratch_root, Build, GeneratedCrate};

/// Builds `crates` into the scratch workspace `workspace`, runs its package
/// `package` with `base_url` in the environment variable `base_url_var`, and
/// returns what it printed, a line each. Fails the test if it does not build
/// or does not exit successfully.
pub async fn build_and_run(
    workspace: &'static str,
    crates: Vec<GeneratedCrate>,
    package: &'static str,
    base_url_var: &'static str,
    base_url: String,
) -> Vec<String> {
    let built = tokio::task::spawn_blocking(move || build(workspace, &crates, Build::Check))
        .await
        .expect("the build ran")
        .expect("cargo runs");
    assert!(built.success, "{}", built.output);

    let run = tokio::task::spawn_blocking(move || {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        Command::new(cargo)
            .current_dir(scratch_root().join(workspace))
            .args(["run", "--quiet", "--offline", "-p", package])
            .env("CARGO_TARGET_DIR", scratch_root().join("target"))
            .env(base_url_var, base_url)
            .output()
            .expect("cargo runs")
    })
    .await
    .expect("the program ran");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
    stdout.lines().map(str::to_owned).collect()
}
