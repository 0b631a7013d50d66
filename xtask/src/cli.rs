//! Argument parsing, by hand: a handful of flags do not earn a parser crate's build time.

use std::path::PathBuf;

use codegen::Selection;

pub const USAGE_TEXT: &str = "\
usage:
  cargo xtask codegen [--check] [--spec PATH] [--out DIR] [--tag TAG | --all-tags] [--operation ID]...
      Generate generated-client/src/generated/ (or DIR) from spec/ (or PATH), for the
      operations tagged `Organization Invitations` (or TAG, or all), optionally only
      the named operationIds. --check writes nothing and fails, listing stale,
      missing and extra files, if the files on disk are not what the spec generates.
  cargo xtask drift --upstream PATH [--spec PATH] [--tag TAG]
      Compare spec/ with an upstream Clerk document: structure of the selected
      operations and every component they use (prose ignored), and the public API
      generated from each.
  cargo xtask contract [--spec PATH]...
      Contract tests: for each spec (default: spec/ and, when it exists,
      ../shared/upstream/clerk-bapi/2026-05-12.yml) start Prism (installed with npm
      into target/prism on first use) as a static and then a dynamic mock that
      rejects requests violating the spec, and call every operation of the
      generated client against it; any error response or decode failure fails.";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Codegen(CodegenOptions),
    Drift(DriftOptions),
    Contract(ContractOptions),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenOptions {
    pub check: bool,
    pub spec: PathBuf,
    pub out: PathBuf,
    pub selection: Selection,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftOptions {
    pub upstream: PathBuf,
    pub spec: PathBuf,
    pub selection: Selection,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractOptions {
    /// The documents to mock; empty means the defaults (`crate::contract_cmd::default_specs`).
    pub specs: Vec<PathBuf>,
}

pub fn parse(args: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err("no command given".to_owned());
    };
    let mut check = false;
    let mut specs = Vec::new();
    let mut out = None;
    let mut upstream = None;
    let mut selection = Selection::default();
    let mut rest = rest.iter();
    while let Some(flag) = rest.next() {
        let mut value = |name: &str| rest.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--check" => check = true,
            "--spec" => specs.push(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--upstream" => upstream = Some(PathBuf::from(value("--upstream")?)),
            "--tag" => selection.tag = Some(value("--tag")?),
            "--all-tags" => selection.tag = None,
            "--operation" => selection.operation_ids.push(value("--operation")?),
            "-h" | "--help" => return Ok(Command::Help),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    // `codegen` and `drift` read one spec: the last `--spec` wins.
    let spec = specs.last().cloned().unwrap_or_else(crate::default_spec);
    match command.as_str() {
        "codegen" => {
            if upstream.is_some() {
                return Err("--upstream belongs to `drift`".to_owned());
            }
            let out = out.unwrap_or_else(crate::generated_dir);
            Ok(Command::Codegen(CodegenOptions { check, spec, out, selection }))
        }
        "drift" => {
            if check || out.is_some() {
                return Err("`drift` takes --upstream, --spec and --tag only".to_owned());
            }
            let upstream = upstream.ok_or("`drift` needs --upstream PATH")?;
            Ok(Command::Drift(DriftOptions { upstream, spec, selection }))
        }
        "contract" => {
            if check || out.is_some() || upstream.is_some() || selection != Selection::default() {
                return Err("`contract` takes --spec only".to_owned());
            }
            Ok(Command::Contract(ContractOptions { specs }))
        }
        "help" | "-h" | "--help" => Ok(Command::Help),
        other => Err(format!("unknown command `{other}`")),
    }
}
