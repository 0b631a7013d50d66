//! `cargo xtask msrv`: is the `rust-version` of every published crate honest?
//!
//! Only one toolchain can be installed where this project is built, so the claim
//! "builds with Rust X" cannot be shown by building with X. What can be shown is
//! that nothing the crate pulls in says it needs more: every package reached from
//! a published workspace package through normal dependencies (transitively, as
//! `cargo metadata --locked` resolves them from `Cargo.lock`) must declare a
//! `rust-version` no newer than the published package's own. A package that
//! declares none passes.
//!
//! Published means every workspace package whose `publish` is not `false`.
//! Dev- and build-dependencies are not walked (they do not reach users; a
//! build-dependency's own normal dependencies are not walked either). The graph
//! covers every target platform, and optional dependencies are those the
//! workspace enables: `cargo metadata` unifies features over the whole workspace,
//! so a feature only the tests turn on can add a package here. That errs on the
//! side of checking too much, never too little.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::FAILURE;

/// A `rust-version` as written (`1.88`, `1.85.0`) and as numbers to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustVersion {
    pub text: String,
    pub parts: [u64; 3],
}

impl RustVersion {
    /// `1`, `1.88` or `1.88.0`; missing parts are 0, so `1.88` equals `1.88.0`.
    pub fn parse(text: &str) -> Option<RustVersion> {
        let mut parts = [0; 3];
        for (index, piece) in text.split('.').enumerate() {
            if index == 3 || piece.is_empty() || !piece.bytes().all(|byte| byte.is_ascii_digit()) {
                return None;
            }
            parts[index] = piece.parse().ok()?;
        }
        Some(RustVersion { text: text.to_owned(), parts })
    }

    pub fn is_newer_than(&self, other: &RustVersion) -> bool {
        self.parts > other.parts
    }
}

/// A package that needs a newer Rust than the published crate depending on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offender {
    pub name: String,
    pub version: String,
    pub rust_version: String,
    /// Package names from the published crate to this one, both included.
    pub path: Vec<String>,
}

/// What one published workspace package's normal dependencies need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub name: String,
    pub rust_version: RustVersion,
    /// How many packages it depends on, itself not counted.
    pub checked: usize,
    /// The newest `rust-version` among them and who declares it (`name version`);
    /// `None` when none of them declares one.
    pub newest: Option<(RustVersion, String)>,
    pub offenders: Vec<Offender>,
}

struct Package<'a> {
    name: &'a str,
    version: &'a str,
    rust_version: Option<&'a str>,
    publish: Option<&'a Vec<Value>>,
}

/// Checks every published workspace package in `cargo metadata --format-version 1`
/// output (with dependencies). `Err` when the metadata is not what cargo writes,
/// when no workspace package is published, or when a published one declares no
/// `rust-version`.
pub fn check(metadata: &Value) -> Result<Vec<Report>, String> {
    let mut packages = HashMap::new();
    for package in array(metadata, "packages")? {
        let id = string(package, "id")?;
        let publish = match package.get("publish") {
            None | Some(Value::Null) => None,
            Some(Value::Array(registries)) => Some(registries),
            Some(other) => return Err(format!("package {id}: unexpected `publish` {other}")),
        };
        let rust_version = match package.get("rust_version") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => Some(text.as_str()),
            Some(other) => return Err(format!("package {id}: unexpected `rust_version` {other}")),
        };
        let name = string(package, "name")?;
        packages.insert(id, Package { name, version: string(package, "version")?, rust_version, publish });
    }

    let resolve = metadata
        .get("resolve")
        .filter(|resolve| !resolve.is_null())
        .ok_or("cargo metadata has no `resolve` graph (was it run with --no-deps?)".to_owned())?;
    let mut normal_deps: HashMap<&str, Vec<&str>> = HashMap::new();
    for node in array(resolve, "nodes")? {
        let mut deps = Vec::new();
        for dep in array(node, "deps")? {
            // `kind` is null for a normal dependency, "dev" or "build" otherwise;
            // one entry per way the dependency is declared.
            let normal = array(dep, "dep_kinds")?.iter().any(|kind| kind.get("kind").is_some_and(Value::is_null));
            if normal {
                deps.push(string(dep, "pkg")?);
            }
        }
        normal_deps.insert(string(node, "id")?, deps);
    }

    let mut published = Vec::new();
    for member in array(metadata, "workspace_members")? {
        let id = member.as_str().ok_or("`workspace_members` holds a non-string")?;
        let package = packages.get(id).ok_or_else(|| format!("workspace member {id} is not among the packages"))?;
        // `publish = false` is an empty list of registries; absent means crates.io.
        if package.publish.is_none_or(|registries| !registries.is_empty()) {
            published.push(id);
        }
    }
    if published.is_empty() {
        return Err("no workspace package is published (every `publish` is false): nothing to check".to_owned());
    }
    published.sort_by_key(|id| packages[id].name);

    let mut reports = Vec::new();
    for root in published {
        let package = &packages[root];
        let text = package.rust_version.ok_or_else(|| {
            format!(
                "{} is published but declares no `rust-version`: set one in its Cargo.toml \
             (or `rust-version.workspace = true`)",
                package.name
            )
        })?;
        let limit = RustVersion::parse(text)
            .ok_or_else(|| format!("{}: `rust-version` {text:?} is not a Rust version", package.name))?;
        reports.push(walk(root, limit, &packages, &normal_deps)?);
    }
    Ok(reports)
}

/// Breadth first from `root`, so each offender's path is a shortest one.
fn walk(
    root: &str,
    limit: RustVersion,
    packages: &HashMap<&str, Package<'_>>,
    normal_deps: &HashMap<&str, Vec<&str>>,
) -> Result<Report, String> {
    let mut parent: HashMap<&str, &str> = HashMap::new();
    let mut queue = VecDeque::from([root]);
    let mut order = Vec::new();
    while let Some(id) = queue.pop_front() {
        let deps = normal_deps.get(id).ok_or_else(|| format!("package {id} is not in the resolve graph"))?;
        for &dep in deps {
            if dep != root && !parent.contains_key(dep) {
                parent.insert(dep, id);
                queue.push_back(dep);
                order.push(dep);
            }
        }
    }

    let mut newest: Option<(RustVersion, String)> = None;
    let mut offenders = Vec::new();
    for &id in &order {
        let package = packages.get(id).ok_or_else(|| format!("dependency {id} is not among the packages"))?;
        let Some(text) = package.rust_version else { continue };
        let needed = RustVersion::parse(text).ok_or_else(|| {
            format!("{} {}: `rust-version` {text:?} is not a Rust version", package.name, package.version)
        })?;
        if needed.is_newer_than(&limit) {
            let mut path = vec![package.name.to_owned()];
            let mut at = id;
            while let Some(&up) = parent.get(at) {
                path.push(packages.get(up).map_or(up, |package| package.name).to_owned());
                at = up;
            }
            path.reverse();
            offenders.push(Offender {
                name: package.name.to_owned(),
                version: package.version.to_owned(),
                rust_version: text.to_owned(),
                path,
            });
        }
        if newest.as_ref().is_none_or(|(version, _)| needed.is_newer_than(version)) {
            newest = Some((needed, format!("{} {}", package.name, package.version)));
        }
    }
    offenders.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
    Ok(Report { name: packages[root].name.to_owned(), rust_version: limit, checked: order.len(), newest, offenders })
}

/// Writes the outcome: one summary line on `out` when every report is clean,
/// else each offender and what to do on `err`. Returns the exit status.
pub fn write_reports(reports: &[Report], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if reports.iter().all(|report| report.offenders.is_empty()) {
        let parts: Vec<String> = reports
            .iter()
            .map(|report| {
                let newest = match &report.newest {
                    Some((version, by)) => format!("newest rust-version among them {} ({by})", version.text),
                    None => "none of them declares a rust-version".to_owned(),
                };
                format!(
                    "{} (rust-version {}): {} packages checked, {newest}",
                    report.name, report.rust_version.text, report.checked
                )
            })
            .collect();
        let _ = writeln!(out, "msrv: {}", parts.join("; "));
        return 0;
    }
    for report in reports.iter().filter(|report| !report.offenders.is_empty()) {
        let _ = writeln!(
            err,
            "msrv: {} declares rust-version {}, but {} of the {} packages it depends on need a newer Rust:",
            report.name,
            report.rust_version.text,
            report.offenders.len(),
            report.checked
        );
        for offender in &report.offenders {
            let _ = writeln!(
                err,
                "  {} {} needs rust {} (via {})",
                offender.name,
                offender.version,
                offender.rust_version,
                offender.path.join(" -> ")
            );
        }
        let needed = report.offenders.iter().filter_map(|offender| RustVersion::parse(&offender.rust_version));
        let highest = needed.max_by(|a, b| a.parts.cmp(&b.parts)).map(|version| version.text).unwrap_or_default();
        let _ = writeln!(
            err,
            "either raise the `rust-version` of {} to {highest} (the workspace's is in the root Cargo.toml), or \
             lock older versions of these packages that support {}: `cargo update -p NAME --precise VERSION`",
            report.name, report.rust_version.text
        );
    }
    FAILURE
}

/// `cargo xtask msrv`.
pub fn run(out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let reports = cargo_metadata(&crate::paths::workspace_root()).and_then(|metadata| check(&metadata));
    match reports {
        Ok(reports) => write_reports(&reports, out, err),
        Err(message) => {
            let _ = writeln!(err, "msrv: {message}");
            FAILURE
        }
    }
}

/// `cargo metadata --format-version 1 --locked` in `root`, parsed.
pub(crate) fn cargo_metadata(root: &Path) -> Result<Value, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("could not run cargo metadata: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim_end()
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|error| format!("cargo metadata wrote unreadable JSON: {error}"))
}

fn array<'a>(value: &'a Value, key: &str) -> Result<&'a Vec<Value>, String> {
    value.get(key).and_then(Value::as_array).ok_or_else(|| format!("cargo metadata: `{key}` is missing or not a list"))
}

fn string<'a>(value: &'a Value, key: &str) -> Result<&'a str, String> {
    value.get(key).and_then(Value::as_str).ok_or_else(|| format!("cargo metadata: `{key}` is missing or not a string"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A package as `cargo metadata` lists it; its id is its name.
    fn package(name: &str, rust_version: Option<&str>, publish: Value) -> Value {
        json!({ "id": name, "name": name, "version": "1.0.0", "rust_version": rust_version, "publish": publish })
    }

    /// A resolve node: `deps` are (package, kinds), a kind being null, "dev" or "build".
    fn node(id: &str, deps: &[(&str, &[Value])]) -> Value {
        let deps: Vec<Value> = deps
            .iter()
            .map(|(pkg, kinds)| {
                let kinds: Vec<Value> = kinds.iter().map(|kind| json!({ "kind": kind, "target": null })).collect();
                json!({ "name": pkg.replace('-', "_"), "pkg": pkg, "dep_kinds": kinds })
            })
            .collect();
        json!({ "id": id, "deps": deps, "features": [] })
    }

    fn workspace(packages: Vec<Value>, members: &[&str], nodes: Vec<Value>) -> Value {
        json!({ "packages": packages, "workspace_members": members, "resolve": { "nodes": nodes, "root": null } })
    }

    const NORMAL: &[Value] = &[Value::Null];

    fn dev() -> Vec<Value> {
        vec![json!("dev")]
    }

    fn build() -> Vec<Value> {
        vec![json!("build")]
    }

    #[test]
    fn an_offender_is_found_through_a_transitive_path() {
        let metadata = workspace(
            vec![
                package("app", Some("1.85"), Value::Null),
                package("a", None, Value::Null),
                package("b", Some("1.80"), Value::Null),
                package("c", Some("1.88"), Value::Null),
                package("d", Some("1.85.0"), Value::Null),
            ],
            &["app"],
            vec![
                node("app", &[("a", NORMAL), ("d", NORMAL)]),
                node("a", &[("b", NORMAL)]),
                node("b", &[("c", NORMAL)]),
                node("c", &[]),
                node("d", &[]),
            ],
        );
        let reports = check(&metadata).unwrap();
        assert_eq!(reports.len(), 1);
        let report = &reports[0];
        assert_eq!((report.name.as_str(), report.checked), ("app", 4));
        assert_eq!(
            report.offenders,
            vec![Offender {
                name: "c".into(),
                version: "1.0.0".into(),
                rust_version: "1.88".into(),
                path: vec!["app".into(), "a".into(), "b".into(), "c".into()],
            }]
        );
        let (newest, by) = report.newest.clone().unwrap();
        assert_eq!((newest.text.as_str(), by.as_str()), ("1.88", "c 1.0.0"));

        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(write_reports(&reports, &mut out, &mut err), FAILURE);
        let err = String::from_utf8(err).unwrap();
        assert!(out.is_empty());
        assert!(err.contains("msrv: app declares rust-version 1.85, but 1 of the 4 packages"), "{err}");
        assert!(err.contains("\n  c 1.0.0 needs rust 1.88 (via app -> a -> b -> c)\n"), "{err}");
        assert!(err.contains("raise the `rust-version` of app to 1.88"), "{err}");
    }

    #[test]
    fn dev_and_build_dependencies_are_not_walked() {
        let metadata = workspace(
            vec![
                package("app", Some("1.85"), Value::Null),
                package("test-only", Some("1.90"), Value::Null),
                package("build-only", Some("1.90"), Value::Null),
                package("under-build", Some("1.90"), Value::Null),
                package("both", Some("1.70"), Value::Null),
            ],
            &["app"],
            vec![
                node("app", &[("test-only", &dev()), ("build-only", &build()), ("both", &[json!("dev"), Value::Null])]),
                node("test-only", &[]),
                node("build-only", &[("under-build", NORMAL)]),
                node("under-build", &[]),
                node("both", &[]),
            ],
        );
        let report = &check(&metadata).unwrap()[0];
        assert!(report.offenders.is_empty(), "{:?}", report.offenders);
        // A dependency that is normal as well as dev counts.
        assert_eq!(report.checked, 1);
        assert_eq!(report.newest.as_ref().map(|(version, _)| version.text.as_str()), Some("1.70"));
    }

    #[test]
    fn a_package_without_rust_version_passes() {
        let metadata = workspace(
            vec![package("app", Some("1.85"), Value::Null), package("old", None, Value::Null)],
            &["app"],
            vec![node("app", &[("old", NORMAL)]), node("old", &[])],
        );
        let reports = check(&metadata).unwrap();
        assert_eq!((reports[0].checked, reports[0].offenders.len(), reports[0].newest.is_none()), (1, 0, true));

        let (mut out, mut err) = (Vec::new(), Vec::new());
        assert_eq!(write_reports(&reports, &mut out, &mut err), 0);
        assert!(err.is_empty());
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "msrv: app (rust-version 1.85): 1 packages checked, none of them declares a rust-version\n"
        );
    }

    #[test]
    fn versions_compare_as_numbers() {
        let version = |text| RustVersion::parse(text).unwrap();
        assert!(version("1.88").is_newer_than(&version("1.85.0")));
        assert!(!version("1.85.0").is_newer_than(&version("1.88")));
        assert!(version("1.10").is_newer_than(&version("1.9")));
        assert!(version("1.85.1").is_newer_than(&version("1.85")));
        assert!(
            !version("1.85").is_newer_than(&version("1.85.0")) && !version("1.85.0").is_newer_than(&version("1.85"))
        );
        for bad in ["", "1.", "1.x", "v1.85", "1.85.0.1", "1.85-beta"] {
            assert_eq!(RustVersion::parse(bad), None, "{bad:?}");
        }

        // And in the check: 1.88 is newer than a crate's 1.85.0, 1.88.0 not newer than 1.88.
        let pair = |app: &str, dep: &str| {
            let metadata = workspace(
                vec![package("app", Some(app), Value::Null), package("dep", Some(dep), Value::Null)],
                &["app"],
                vec![node("app", &[("dep", NORMAL)]), node("dep", &[])],
            );
            check(&metadata).unwrap()[0].offenders.len()
        };
        assert_eq!(pair("1.85.0", "1.88"), 1);
        assert_eq!(pair("1.88", "1.88.0"), 0);
        assert_eq!(pair("1.9", "1.10"), 1);
    }

    #[test]
    fn a_published_package_without_rust_version_is_an_error() {
        let metadata = workspace(vec![package("app", None, Value::Null)], &["app"], vec![node("app", &[])]);
        let error = check(&metadata).unwrap_err();
        assert!(error.contains("app is published but declares no `rust-version`"), "{error}");
    }

    #[test]
    fn only_published_members_are_checked_each_against_its_own_rust_version() {
        let metadata = workspace(
            vec![
                package("client", Some("1.85"), Value::Null),
                package("runtime", Some("1.88"), json!(["my-registry"])),
                package("tool", Some("1.70"), json!([])),
                package("new", Some("1.88"), Value::Null),
                package("newer", Some("1.95"), Value::Null),
            ],
            &["client", "runtime", "tool"],
            vec![
                node("client", &[("runtime", NORMAL)]),
                node("runtime", &[("new", NORMAL)]),
                node("tool", &[("newer", NORMAL)]),
                node("new", &[]),
                node("newer", &[]),
            ],
        );
        let reports = check(&metadata).unwrap();
        let names: Vec<&str> = reports.iter().map(|report| report.name.as_str()).collect();
        // `tool` has `publish = false`; its dependency `newer` is never looked at.
        assert_eq!(names, ["client", "runtime"]);
        let offenders: Vec<(&str, String)> =
            reports[0].offenders.iter().map(|offender| (offender.name.as_str(), offender.path.join(" -> "))).collect();
        assert_eq!(
            offenders,
            [("new", "client -> runtime -> new".to_owned()), ("runtime", "client -> runtime".to_owned())]
        );
        assert!(reports[1].offenders.is_empty());

        // With nothing published there is nothing to prove: that is an error, not a pass.
        let unpublished = workspace(vec![package("tool", Some("1.70"), json!([]))], &["tool"], vec![node("tool", &[])]);
        assert!(check(&unpublished).unwrap_err().contains("no workspace package is published"));
    }

    #[test]
    fn metadata_without_a_resolve_graph_is_refused() {
        let mut metadata = workspace(vec![package("app", Some("1.85"), Value::Null)], &["app"], vec![]);
        metadata["resolve"] = Value::Null;
        assert!(check(&metadata).unwrap_err().contains("--no-deps"));
    }
}
