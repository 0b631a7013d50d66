//! The peer: what `cargo progenitor` does with a document, as a library call.
//! YAML → `openapiv3` → `progenitor::Generator` (default settings: positional
//! interface, merged tags, as the CLI's defaults) → `syn` → `prettyplease` →
//! `src/lib.rs` and a `Cargo.toml` naming the crates the code uses.
//!
//! One difference from the CLI, in the peer's favour: the CLI also runs
//! `progenitor_impl::space_out_items` (a regex pass adding blank lines), which
//! the `progenitor` facade does not export, so it is left out here.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use openapiv3::OpenAPI;

/// The generated crate: `src/lib.rs` and `Cargo.toml`.
pub struct PeerCrate {
    pub lib_rs: String,
    pub cargo_toml: String,
}

/// Reads `spec` and writes the peer's crate into `out` (created if missing).
pub fn generate_to(spec: &Path, out: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(spec).map_err(|error| format!("{}: {error}", spec.display()))?;
    let document: OpenAPI =
        serde_yaml::from_str(&text).map_err(|error| format!("{}: not OpenAPI: {error}", spec.display()))?;
    let krate = generate(&document, "peer-client")?;
    std::fs::create_dir_all(out.join("src")).map_err(|error| format!("{}: {error}", out.display()))?;
    std::fs::write(out.join("src/lib.rs"), krate.lib_rs).map_err(|error| format!("{}: {error}", out.display()))?;
    std::fs::write(out.join("Cargo.toml"), krate.cargo_toml).map_err(|error| format!("{}: {error}", out.display()))?;
    Ok(())
}

/// Generates the peer's crate for `document`.
pub fn generate(document: &OpenAPI, name: &str) -> Result<PeerCrate, String> {
    let mut generator = progenitor::Generator::new(&progenitor::GenerationSettings::default());
    let tokens = generator.generate_tokens(document).map_err(|error| format!("progenitor: {error}"))?;
    let file: syn::File =
        syn::parse2(tokens).map_err(|error| format!("progenitor's output does not parse: {error}"))?;
    let lib_rs = prettyplease::unparse(&file);
    let types = generator.get_type_space();
    let mut dependencies = vec![
        "bytes = \"1\"".to_owned(),
        "futures-core = \"0.3\"".to_owned(),
        "progenitor-client = \"=0.15.1\"".to_owned(),
        "reqwest = { version = \"0.13\", default-features = false, features = [\"json\", \"query\", \"stream\"] }"
            .to_owned(),
        "serde = { version = \"1\", features = [\"derive\"] }".to_owned(),
        "serde_urlencoded = \"0.7\"".to_owned(),
    ];
    if types.uses_chrono() {
        dependencies
            .push("chrono = { version = \"0.4\", default-features = false, features = [\"serde\"] }".to_owned());
    }
    if types.uses_uuid() {
        dependencies.push("uuid = { version = \"1\", features = [\"serde\", \"v4\"] }".to_owned());
    }
    if types.uses_regress() {
        dependencies.push("regress = \"0.10\"".to_owned());
    }
    if types.uses_serde_json() || generator.uses_websockets() {
        dependencies.push("serde_json = \"1\"".to_owned());
    }
    if generator.uses_futures() {
        dependencies.push("futures = \"0.3\"".to_owned());
    }
    let cargo_toml = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n{}\n",
        dependencies.join("\n")
    );
    Ok(PeerCrate { lib_rs, cargo_toml })
}

/// Whether progenitor generates `document`, a panic counting as no (it panics
/// on some shapes it does not support instead of returning an error).
pub fn accepts(document: &OpenAPI) -> bool {
    matches!(catch_unwind(AssertUnwindSafe(|| generate(document, "probe"))), Ok(Ok(_)))
}
