//! What users pay: a generated crate built together with a small user binary
//! that calls its operations, so that what a call instantiates in the user's
//! crate (generic setters, the `send` futures and their `poll`) is counted,
//! not only the generated crate.
//!
//! Each side is a workspace of its own under `target/bench/users/` with two
//! members, the generated crate and `user`, and its own target folder. Both
//! users pick the same TLS: the platform's (`native-tls`), since reqwest 0.13,
//! which progenitor's crate uses, defaults to rustls on aws-lc-rs while the
//! runtime's reqwest 0.12 uses ring, so "rustls" would compare two different
//! TLS stacks.
//!
//! The user binary is built, never run: each argument comes from [`ARG_FN`],
//! which the compiler cannot see through, so every call is compiled as a real
//! call would be.

use std::path::{Path, PathBuf};

use quote::ToTokens;

use crate::rebuild::{copy_lock, touch_file, write_if_changed, Workspace};

/// Which operations the user binary calls.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Calls {
    /// Every operation of the crate.
    Every,
    /// One: getting an organization invitation (the slice's `get`).
    OneGet,
}

/// The helpers both user programs share: an argument of any type, which the
/// optimiser cannot prove absent, and a poll of a future on a no-op waker, so
/// that each call's future and its `poll` are compiled without an executor.
const ARG_FN: &str = r#"use std::future::Future;

/// A value of any type, for an argument: built, never run, so never called.
fn arg<T>() -> T {
    std::hint::black_box(None::<T>).expect("this program is built by the bench, never run")
}

/// Polls `future` once, so that its `poll` is compiled as an executor would compile it.
fn drive<F: Future>(future: F) {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    let _ = future.as_mut().poll(&mut context);
}
"#;

/// Our crate for `selection` of `spec` plus a user binary making `calls`, at `dir`.
pub fn ours(
    root: &Path,
    spec: &Path,
    dir: &Path,
    selection: codegen::Selection,
    calls: Calls,
) -> Result<Workspace, String> {
    let (_, files) = crate::rebuild::generate_ours(root, spec, dir, selection)?;
    let record = files.iter().find(|file| file.path == "public-api.txt").ok_or("codegen wrote no public-api.txt")?;
    let main = ours_main(&record.contents, calls)?;
    let manifest = files.iter().find(|file| file.path == "Cargo.toml").ok_or("codegen wrote no Cargo.toml")?;
    let features = user_features(&manifest.contents);
    let user = format!(
        "[package]\nname = \"user\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
[dependencies]\nclerk-invitations = {{ path = \"../clerk-invitations\", default-features = false, features = [{}] }}\n",
        features.iter().map(|feature| format!("{feature:?}")).collect::<Vec<_>>().join(", ")
    );
    write_if_changed(&dir.join("user/Cargo.toml"), &user)?;
    write_if_changed(&dir.join("user/src/main.rs"), &main)?;
    // Only the user is built: building the generated crate as a member would
    // turn on its default features (rustls) beside the user's choice.
    let manifest =
        "[workspace]\nresolver = \"2\"\nmembers = [\"clerk-invitations\", \"user\"]\ndefault-members = [\"user\"]\n";
    write_if_changed(&dir.join("Cargo.toml"), manifest)?;
    copy_lock(&root.join("Cargo.lock"), dir)?;
    Ok(Workspace { dir: dir.to_owned(), target: dir.with_extension("target"), features: None })
}

/// Progenitor's crate for `spec` plus the same user binary, at `dir`, locked
/// by `lock` when there is no lock yet.
pub fn progenitor(spec: &Path, dir: &Path, lock: &Path, calls: Calls) -> Result<Workspace, String> {
    let krate = crate::rebuild::generate_progenitor(spec)?;
    let main = progenitor_main(&krate.lib_rs, calls)?;
    write_if_changed(&dir.join("peer-client/src/lib.rs"), &krate.lib_rs)?;
    write_if_changed(&dir.join("peer-client/Cargo.toml"), &krate.cargo_toml)?;
    // progenitor's crate turns no TLS on; the user picks reqwest's, as ours picks the runtime's.
    let user = "[package]\nname = \"user\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
[dependencies]\npeer-client = { path = \"../peer-client\" }\n\
reqwest = { version = \"0.13\", default-features = false, features = [\"native-tls\"] }\n";
    write_if_changed(&dir.join("user/Cargo.toml"), user)?;
    write_if_changed(&dir.join("user/src/main.rs"), &main)?;
    let manifest =
        "[workspace]\nresolver = \"2\"\nmembers = [\"peer-client\", \"user\"]\ndefault-members = [\"user\"]\n";
    write_if_changed(&dir.join("Cargo.toml"), manifest)?;
    copy_lock(lock, dir)?;
    Ok(Workspace { dir: dir.to_owned(), target: dir.with_extension("target"), features: None })
}

/// The features the user turns on: the crate's defaults (every group's, in a
/// crate with group features) with `native-tls` in place of `rustls-tls`.
fn user_features(manifest: &str) -> Vec<String> {
    let defaults = manifest.lines().find_map(|line| line.strip_prefix("default = [")).unwrap_or("]");
    let mut features: Vec<String> = defaults
        .trim_end_matches(']')
        .split(',')
        .map(|feature| feature.trim().trim_matches('"').to_owned())
        .filter(|feature| !feature.is_empty() && feature != "rustls-tls")
        .collect();
    features.push("native-tls".to_owned());
    features
}

/// One call of ours, read from the crate's public-API record: the group's
/// method, the operation's method, and its required setters with their types.
struct OurCall {
    group: String,
    operation: String,
    required: Vec<(String, String)>,
}

/// Reads every operation and its required setters from `public-api.txt`:
/// `group Client::NAME() -> …`, then `  fn NAME() -> …` per operation, then
/// `    .SETTER(TYPE) … required` per required argument.
fn our_calls(record: &str) -> Vec<OurCall> {
    let mut calls: Vec<OurCall> = Vec::new();
    let mut group: Option<String> = None;
    for line in record.lines() {
        if let Some(rest) = line.strip_prefix("group Client::") {
            group = rest.split_once("()").map(|(name, _)| name.to_owned());
            continue;
        }
        if !line.starts_with(' ') {
            group = None;
            continue;
        }
        let Some(group) = &group else { continue };
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if indent == 2 {
            let trimmed = trimmed.strip_prefix("#[deprecated] ").unwrap_or(trimmed);
            if let Some((name, _)) = trimmed.strip_prefix("fn ").and_then(|rest| rest.split_once("()")) {
                calls.push(OurCall { group: group.clone(), operation: name.to_owned(), required: Vec::new() });
            }
        } else if indent == 4 {
            let Some(rest) = trimmed.strip_prefix('.') else { continue };
            let (Some(open), Some(close)) = (rest.find('('), rest.rfind(')')) else { continue };
            let after = &rest[close + 1..];
            let required = after.split_whitespace().any(|word| word == "required");
            if let (true, Some(call)) = (required, calls.last_mut()) {
                call.required.push((rest[..open].to_owned(), rest[open + 1..close].to_owned()));
            }
        }
    }
    calls
}

/// Our user program: a client from the environment, then each call with its
/// required arguments, sent.
fn ours_main(record: &str, calls: Calls) -> Result<String, String> {
    let mut every = our_calls(record);
    if calls == Calls::OneGet {
        every.retain(|call| call.group == "organization_invitations" && call.operation == "get");
    }
    if every.is_empty() {
        return Err("the public-API record names no operation to call".to_owned());
    }
    let mut groups: Vec<&str> = every.iter().map(|call| call.group.as_str()).collect();
    groups.dedup();
    let mut text = String::from(ARG_FN);
    text.push_str("#[allow(unused_imports)]\nuse clerk_invitations::models::*;\n");
    for group in &groups {
        text.push_str(&format!("#[allow(unused_imports)]\nuse clerk_invitations::{group}::*;\n"));
    }
    text.push_str("\nfn main() {\n    let client = clerk_invitations::Client::from_env().expect(\"a secret key\");\n");
    for call in &every {
        let mut chain = format!("client.{}().{}()", call.group, call.operation);
        for (setter, ty) in &call.required {
            chain.push_str(&format!(".{setter}(arg::<{ty}>())"));
        }
        text.push_str(&format!("    drive({chain}.send());\n"));
    }
    text.push_str("}\n");
    Ok(text)
}

/// Progenitor's user program: a client for a base URL, then each method of
/// its `Client` called with arguments of the types it names.
fn progenitor_main(lib_rs: &str, calls: Calls) -> Result<String, String> {
    let file = syn::parse_file(lib_rs).map_err(|error| format!("progenitor's lib.rs: {error}"))?;
    let mut lines = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else { continue };
        let is_client = matches!(&*block.self_ty, syn::Type::Path(path) if path.path.is_ident("Client"));
        if !is_client || block.trait_.is_some() {
            continue;
        }
        for member in &block.items {
            let syn::ImplItem::Fn(method) = member else { continue };
            if method.sig.asyncness.is_none() || !matches!(method.vis, syn::Visibility::Public(_)) {
                continue;
            }
            let name = method.sig.ident.to_string();
            if calls == Calls::OneGet && name != "get_organization_invitation" {
                continue;
            }
            let mut arguments = Vec::new();
            for input in method.sig.inputs.iter().skip(1) {
                let syn::FnArg::Typed(typed) = input else { continue };
                // `&'a str` -> `&'static str`, `types::X` -> `peer_client::types::X`.
                let ty = typed
                    .ty
                    .to_token_stream()
                    .to_string()
                    .replace("'a", "'static")
                    .replace("types ::", "peer_client :: types ::");
                arguments.push(format!("arg::<{ty}>()"));
            }
            lines.push(format!("    drive(client.{name}({}));\n", arguments.join(", ")));
        }
    }
    if lines.is_empty() {
        return Err("progenitor's client has no method to call".to_owned());
    }
    let mut text = String::from(ARG_FN);
    text.push_str("\nfn main() {\n    let client = peer_client::Client::new(\"https://api.clerk.com/v1\");\n");
    text.extend(lines);
    text.push_str("}\n");
    Ok(text)
}

impl Workspace {
    /// The user's own source, as the user edits it.
    pub fn user_main(&self) -> PathBuf {
        self.dir.join("user/src/main.rs")
    }

    /// Sets the modification time of the user's `main.rs` only, then builds:
    /// one sample of the user's edit-compile loop.
    pub fn rebuild_user(&self, incremental: bool) -> Result<f64, String> {
        touch_file(&self.user_main())?;
        self.build(incremental)
    }

    /// Removes the target folder, then builds everything, dependencies
    /// included: one sample of a cold build.
    pub fn cold_build(&self) -> Result<f64, String> {
        if self.target.exists() {
            std::fs::remove_dir_all(&self.target).map_err(|error| format!("{}: {error}", self.target.display()))?;
        }
        self.build(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_keeps_every_default_feature_but_the_tls() {
        let manifest = "[features]\ndefault = [\"rustls-tls\", \"actor_tokens\", \"users\"]\nrustls-tls = []\n";
        assert_eq!(user_features(manifest), ["actor_tokens", "users", "native-tls"]);
        assert_eq!(user_features("[features]\ndefault = [\"rustls-tls\"]\n"), ["native-tls"]);
    }

    #[test]
    fn reads_each_operation_and_only_its_required_setters() {
        let record = "\
group Client::organization_invitations() -> OrganizationInvitationsApi
  fn get() -> Get  [GET /x]
    .organization_id(String) = \"organization_id\" required
    .limit(i64) = \"limit\" optional in 1..=500
  #[deprecated] fn list_pending() -> ListPending  [GET /y]
    .body(Vec<Item>) required in 1..=10
struct Item
  required: bool = \"required\"
";
        let calls = our_calls(record);
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].operation, "get");
        assert_eq!(calls[0].required, vec![("organization_id".to_owned(), "String".to_owned())]);
        assert_eq!(calls[1].operation, "list_pending");
        assert_eq!(calls[1].required, vec![("body".to_owned(), "Vec<Item>".to_owned())]);
    }
}
