//! `cargo xtask package`: the crates as crates.io would get them. Packages
//! every publishable member (`cargo package --workspace`, which also builds
//! each package from its `.crate`), checks that each carries its README and
//! LICENSE, then unpacks them side by side, the runtime patched in for the
//! crates.io version the generated crate names, and runs their doctests there:
//! what a user of the published crates gets, with nothing of the workspace
//! around it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::paths::workspace_root;
use crate::FAILURE;

/// Files every published package must carry.
const REQUIRED_FILES: &[&str] = &["README.md", "LICENSE", "Cargo.toml"];

pub fn run(out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match package_and_test(out) {
        Ok(()) => 0,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            FAILURE
        }
    }
}

fn package_and_test(out: &mut dyn Write) -> Result<(), String> {
    let root = workspace_root();
    let target = crate::paths::target_dir();
    let metadata = crate::msrv::cargo_metadata(&root)?;
    let published = published_packages(&metadata)?;
    let mut args = vec!["package", "--locked"];
    for package in &published {
        args.extend(["-p", package.name.as_str()]);
    }
    cargo(&root, &args).map_err(|error| stale_unpacked_hint(error, &published))?;

    // Exactly the `.crate` files just made: the folder is shared with every
    // other project using this target folder, and keeps earlier versions.
    // Nothing in it is removed (`cargo package` replaces our own).
    let crates = our_crates(&published, &target.join("package"))?;

    // A scratch workspace of the unpacked crates: this command's own folder.
    let check = target.join("package-check");
    let _ = std::fs::remove_dir_all(&check);
    std::fs::create_dir_all(&check).map_err(|error| format!("{}: {error}", check.display()))?;
    let mut members = Vec::new();
    for krate in &crates {
        let status = Command::new("tar")
            .arg("-xzf")
            .arg(krate)
            .arg("-C")
            .arg(&check)
            .status()
            .map_err(|error| format!("cannot run tar: {error}"))?;
        if !status.success() {
            return Err(format!("cannot unpack {}", krate.display()));
        }
        let folder = krate.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default().to_owned();
        for file in REQUIRED_FILES {
            if !check.join(&folder).join(file).is_file() {
                return Err(format!("the package {folder} has no {file}"));
            }
        }
        members.push(folder);
    }
    // Each published crate as unpacked, for the version another one names
    // (the generated crate names the runtime, the runtime `schema-values`).
    let mut patch = String::from("\n[patch.crates-io]\n");
    for package in &published {
        let folder = format!("{}-{}", package.name, package.version);
        patch.push_str(&format!("{} = {{ path = {folder:?} }}\n", package.name));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n{patch}",
        members.iter().map(|member| format!("{member:?}")).collect::<Vec<_>>().join(", ")
    );
    write(&check.join("Cargo.toml"), &manifest)?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|error| format!("Cargo.lock: {error}"))?;
    write(&check.join("Cargo.lock"), &lock)?;

    let output =
        cargo_in(&check, &target.join("package-check-target"), &["test", "--doc", "--workspace", "--offline"])?;
    let passed: u32 = output
        .lines()
        .filter_map(|line| line.strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split(' ').next()?.parse::<u32>().ok())
        .sum();
    let _ = writeln!(
        out,
        "package: {} packaged with README.md and LICENSE; their doctests pass unpacked ({passed} doctests)",
        members.join(", ")
    );
    Ok(())
}

/// A workspace member that is published, as `cargo metadata` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Package {
    name: String,
    version: String,
}

impl Package {
    /// The file `cargo package` makes for it.
    fn crate_file(&self) -> String {
        format!("{}-{}.crate", self.name, self.version)
    }
}

/// The workspace members that are published (`publish` not `false`), sorted.
fn published_packages(metadata: &serde_json::Value) -> Result<Vec<Package>, String> {
    let members: Vec<&str> = metadata
        .get("workspace_members")
        .and_then(|members| members.as_array())
        .map(|members| members.iter().filter_map(|member| member.as_str()).collect())
        .unwrap_or_default();
    let packages = metadata.get("packages").and_then(|packages| packages.as_array()).cloned().unwrap_or_default();
    let text =
        |package: &serde_json::Value, key: &str| package.get(key).and_then(|value| value.as_str()).map(str::to_owned);
    let mut published: Vec<Package> = packages
        .iter()
        .filter(|package| package.get("id").and_then(|id| id.as_str()).is_some_and(|id| members.contains(&id)))
        .filter(|package| package.get("publish").is_none_or(|publish| publish.is_null()))
        .filter_map(|package| Some(Package { name: text(package, "name")?, version: text(package, "version")? }))
        .collect();
    published.sort_by(|a, b| a.name.cmp(&b.name));
    if published.is_empty() {
        return Err("no workspace member is published".to_owned());
    }
    Ok(published)
}

/// The `.crate` file of each of `published` in `folder`, and nothing else
/// there (another project's, an earlier version, a longer name that starts
/// with ours): an error if one is missing.
fn our_crates(published: &[Package], folder: &Path) -> Result<Vec<PathBuf>, String> {
    published
        .iter()
        .map(|package| {
            let path = folder.join(package.crate_file());
            if path.is_file() {
                Ok(path)
            } else {
                Err(format!("cargo package made no {}", path.display()))
            }
        })
        .collect()
}

/// `cargo package` verifies each package against the others through a local
/// registry, which it unpacks under `$CARGO_HOME/registry/src/`, and it keeps
/// what it unpacked: packaging a changed crate again under the same version
/// builds against the old copy, and fails with errors that name files of it.
/// Such a failure says which folder to remove.
fn stale_unpacked_hint(error: String, published: &[Package]) -> String {
    let stale: Vec<String> = published
        .iter()
        .map(|package| format!("{}-{}", package.name, package.version))
        .filter(|unpacked| error.contains("/registry/src/") && error.contains(&format!("/{unpacked}/")))
        .collect();
    if stale.is_empty() {
        return error;
    }
    format!(
        "{error}\n\nhint: cargo built against an earlier unpacked copy of {} under $CARGO_HOME/registry/src/, left \
         by a `cargo package` of the same version; remove that folder (cargo unpacks it again) and run this again",
        stale.join(" and ")
    )
}

fn cargo(dir: &Path, args: &[&str]) -> Result<String, String> {
    run_cargo(dir, None, args)
}

fn cargo_in(dir: &Path, target: &Path, args: &[&str]) -> Result<String, String> {
    run_cargo(dir, Some(target), args)
}

fn run_cargo(dir: &Path, target: Option<&Path>, args: &[&str]) -> Result<String, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(dir).args(args).env("CARGO_TERM_COLOR", "never");
    if let Some(target) = target {
        command.env("CARGO_TARGET_DIR", target);
    }
    let output = command.output().map_err(|error| format!("cannot run cargo: {error}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    if output.status.success() {
        Ok(text)
    } else {
        let tail: Vec<&str> = text.lines().rev().take(30).collect();
        Err(format!("`cargo {}` failed:\n{}", args.join(" "), tail.into_iter().rev().collect::<Vec<_>>().join("\n")))
    }
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    std::fs::write(path, contents).map_err(|error| format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_in_a_stale_unpacked_copy_says_which_folder_to_remove() {
        let published = [Package { name: "openapi-client-runtime".to_owned(), version: "0.2.0".to_owned() }];
        let failure = "error: no rules expected `{`\n --> /root/.cargo/registry/src/-0321/openapi-client-runtime-0.2.0/src/open_enum.rs:15:6".to_owned();
        let hinted = stale_unpacked_hint(failure.clone(), &published);
        assert!(
            hinted.starts_with(&failure)
                && hinted
                    .contains("hint: cargo built against an earlier unpacked copy of openapi-client-runtime-0.2.0"),
            "{hinted}"
        );
        let other = "error: something else in src/lib.rs".to_owned();
        assert_eq!(stale_unpacked_hint(other.clone(), &published), other);
    }

    fn metadata() -> serde_json::Value {
        serde_json::json!({
            "workspace_members": ["path+file:///w/generated-client#clerk-invitations@0.2.0",
                                  "path+file:///w/generated-client/runtime#openapi-client-runtime@0.2.0",
                                  "path+file:///w/xtask#0.1.0"],
            "packages": [
                {"id": "path+file:///w/generated-client#clerk-invitations@0.2.0", "name": "clerk-invitations",
                 "version": "0.2.0", "publish": null},
                {"id": "path+file:///w/generated-client/runtime#openapi-client-runtime@0.2.0",
                 "name": "openapi-client-runtime", "version": "0.2.0", "publish": null},
                {"id": "path+file:///w/xtask#0.1.0", "name": "xtask", "version": "0.1.0", "publish": []},
                {"id": "registry+https://github.com/rust-lang/crates.io-index#serde@1.0.0", "name": "serde",
                 "version": "1.0.0", "publish": null}
            ]
        })
    }

    #[test]
    fn the_published_members_are_named_with_their_versions() {
        let crates: Vec<String> =
            published_packages(&metadata()).expect("published").iter().map(Package::crate_file).collect();
        assert_eq!(crates, ["clerk-invitations-0.2.0.crate", "openapi-client-runtime-0.2.0.crate"]);
    }

    #[test]
    fn only_our_crate_files_are_picked_and_the_others_stay() {
        let folder = std::env::temp_dir().join(format!("xtask-package-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder).expect("mkdir");
        let foreign =
            ["other-project-1.0.0.crate", "clerk-invitations-0.1.0.crate", "clerk-invitations-extra-0.2.0.crate"];
        let ours = ["clerk-invitations-0.2.0.crate", "openapi-client-runtime-0.2.0.crate"];
        for name in foreign.iter().chain(&ours) {
            std::fs::write(folder.join(name), name).expect("write");
        }
        let published = published_packages(&metadata()).expect("published");
        let picked = our_crates(&published, &folder).expect("all there");
        assert_eq!(picked, ours.map(|name| folder.join(name)));
        for name in foreign {
            assert_eq!(std::fs::read_to_string(folder.join(name)).expect("kept"), name);
        }
        std::fs::remove_file(folder.join(ours[1])).expect("remove");
        let missing = our_crates(&published, &folder).expect_err("one missing");
        assert!(missing.contains("openapi-client-runtime-0.2.0.crate"), "{missing}");
        let _ = std::fs::remove_dir_all(&folder);
    }
}
