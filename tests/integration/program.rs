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

/// Builds, in the scratch workspace `package`, a binary of that name that
/// depends on each of `crates` and runs the scenario its first argument names
/// against the base URL in its second: `code` defines `type Outcome` and an
/// `async fn {name}(base: &str) -> Outcome` for each of `names`. A scenario's
/// error is printed as an `error:` line. Returns the binary's path.
pub fn build_scenarios(
    package: &str,
    mut crates: Vec<GeneratedCrate>,
    names: &[&str],
    code: &str,
) -> Result<std::path::PathBuf, String> {
    let dependencies: String =
        crates.iter().map(|krate| format!("{0} = {{ path = \"../{0}\" }}\n", krate.name)).collect();
    let manifest = format!(
        "[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{dependencies}tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n"
    );
    let arms: String = names.iter().map(|name| format!("        {name:?} => {name}(base).await,\n")).collect();
    let main = format!(
        "{code}\n#[tokio::main(flavor = \"current_thread\")]\nasync fn main() {{\n    \
         let args: Vec<String> = std::env::args().collect();\n    \
         let (scenario, base) = (args[1].as_str(), args[2].as_str());\n    \
         let outcome: Outcome = match scenario {{\n{arms}        other => Err(format!(\"no scenario {{other}}\").into()),\n    }};\n    \
         if let Err(error) = outcome {{\n        println!(\"error: {{error}}\");\n    }}\n}}\n"
    );
    crates.push(GeneratedCrate {
        name: package.to_owned(),
        files: vec![
            codegen::GeneratedFile { path: "Cargo.toml".to_owned(), contents: manifest },
            codegen::GeneratedFile { path: "src/main.rs".to_owned(), contents: main },
        ],
    });
    let outcome = build(package, &crates, Build::Binaries)?;
    if !outcome.success {
        return Err(format!("the crates or the program do not build:\n{}", outcome.output));
    }
    Ok(verify::compile::target_dir().join("debug").join(format!("{package}{}", std::env::consts::EXE_SUFFIX)))
}
