//! Argument parsing, by hand: a handful of flags do not earn a parser crate's build time.

use std::path::PathBuf;

use codegen::Selection;
use verify::fuzz::FuzzOptions;
use verify::options::{ContractOptions, GithubSample, MIN_DYNAMIC_ROUNDS};

pub const USAGE_TEXT: &str = "\
usage:
  cargo xtask codegen [--check] [--spec PATH] [--out DIR] [--name NAME] [--tag TAG | --all-tags] [--operation ID]... [--skip-unsupported] [--version-header NAME|none] [--secret-var NAME]
      Generate the crate in generated-client/ (or DIR; package NAME, else named
      from the document's title) from spec/ (or PATH), for the operations tagged
      `Organization Invitations` (or TAG, or all), optionally only the named
      operationIds. --check writes nothing and fails, listing stale, missing and
      extra files, if the files on disk are not what the spec generates.
      --skip-unsupported leaves out, with a warning line each, the operations the
      generator cannot express instead of refusing the run. Every call sends
      `info.version` in the header NAME (default `Clerk-API-Version`, as this
      project's API asks; `none` for no such header). The client reads its
      secret from the environment variable NAME (default: the title's first
      word and `_SECRET_KEY`, e.g. CLERK_SECRET_KEY).
  cargo xtask drift --upstream PATH [--spec PATH] [--tag TAG]
      Compare spec/ with an upstream Clerk document: structure of the selected
      operations and every component they use (prose ignored), and the public API
      generated from each.
  cargo xtask contract [--spec PATH]...
      Contract tests: for each spec (default: spec/ and, when it exists,
      ../shared/upstream/clerk-bapi/2026-05-12.yml) start Prism (installed with npm
      into target/prism on first use) as a static and then a dynamic mock that
      rejects requests violating the spec, and call every operation of the
      generated client against it; any error response or decode failure fails.
  cargo xtask contract --whole-api [--spec PATH] [--rounds N]
      The whole API of one document (default: the upstream 2026-05-12 one):
      generate its client (every tag, or every operation that generates today),
      decode every response example into its generated type, then call every
      operation with a minimal and a full valid request built from the document
      against Prism, statically once and dynamically N times (default 3). Fails
      on a request violation, a decode failure or an example that does not
      decode.
  cargo xtask contract --test-values [--spec PATH]
      The test kit's value of every model of one document (default: the upstream
      2026-05-12 one), each served as an operation's answer (or inside one)
      through `prism proxy`, which checks it against the document. Fails on a
      value that does not build, a model no answer carries, or a violation.
  cargo xtask contract --whole-api --github [--sample N] [--seed S] [--rounds N]
      The same calls for N operations (default 100) drawn with seed S (default
      1) from those of GitHub's document (npm @octokit/openapi, pinned in
      tools/octokit) that generate, in a crate of only those. Prints the
      operations sampled, calls made, request violations, answers Prism accepts
      and how many decode; fails on a request violation or a decode failure.
  cargo xtask fuzz [--cases N] [--seed S] [--compile K] [--class NAME]... [--spec PATH]
      Run codegen (in a child process each) on N hostile cases (default 1000, seed
      1) split evenly over the classes, or the named ones: mutations (random
      variants of spec/ or PATH), alias-loops, builder-clashes, depth-limits,
      empty-prose, multipart-lists, free-form-unions, hostile-files. Every run
      must generate or exit 1 with one error line, never panic, abort or hang,
      and do what its class expects. Then build K (default 20) generated outputs,
      spread over the classes, with `cargo check`: each must compile. Fails too
      when a selected class made fewer than 20 cases.
  cargo xtask msrv
      Check that the rust-version of every published workspace package is
      honest: no package it depends on (normal dependencies, transitively, as
      Cargo.lock resolves them) declares a newer rust-version.
  cargo xtask apis
      The generator on whole APIs: every tag of Clerk's three documents (in
      ../shared) as one crate each, built with `cargo clippy -- -D warnings`, and
      GitHub's document (npm @octokit/openapi, pinned in tools/octokit) with
      unsupported operations skipped, built with `cargo check`; prints operations,
      types, lines and generation time, and GitHub's compiling share (>= 95%).
  cargo xtask bench [--quick]
      Benchmarks (not part of CI): build the release xtask and tools/bench (into
      target/bench), run every `*-bench` binary (codegen against progenitor,
      the client against hand-written reqwest + serde), print a table of every
      row with its ratio and target, and write BENCHMARKS.md. --quick takes
      fewer samples.
  cargo xtask race [--runs N]
      Run codegen (the xtask binary, in a child process each) N times (default
      50) on an earlier output while a thread swaps its `src` folder with a
      link to an outside folder (an atomic rename-exchange, in a tight loop),
      plus control runs without the race. Fails if anything outside was written
      or deleted, if codegen panicked, or if a control run did not succeed.
  cargo xtask package
      Package every published crate (cargo package --workspace), check each has
      its README.md and LICENSE, unpack them side by side and run their doctests
      there, as a user of the published crates would get them.";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Codegen(CodegenOptions),
    Drift(DriftOptions),
    Contract(ContractOptions),
    Fuzz(FuzzOptions),
    Msrv,
    Package,
    /// `race --runs N`: codegen under a rename race (`verify::race`).
    Race(usize),
    Apis,
    /// `bench`; `true` with `--quick` (fewer samples).
    Bench(bool),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodegenOptions {
    pub check: bool,
    pub spec: PathBuf,
    pub out: PathBuf,
    pub selection: Selection,
    /// The package name; by default derived from the selection.
    pub name: Option<String>,
    /// Leave out, with a warning each, operations the generator cannot express.
    pub skip_unsupported: bool,
    /// The header `info.version` is sent in; `None` for no such header.
    pub version_header: Option<String>,
    /// The environment variable of the secret, when not the default.
    pub secret_var: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriftOptions {
    pub upstream: PathBuf,
    pub spec: PathBuf,
    pub selection: Selection,
}

pub fn parse(args: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err("no command given".to_owned());
    };
    let mut check = false;
    let mut specs = Vec::new();
    let mut out = None;
    let mut name = None;
    let mut skip_unsupported = false;
    let mut version_header = Some(verify::krate::PROJECT_VERSION_HEADER.to_owned());
    let mut secret_var = None;
    let mut client_flags = false;
    let mut upstream = None;
    let mut selection = Selection::default();
    let mut fuzz = FuzzOptions { cases: 1000, seed: 1, compile: 20, spec: PathBuf::new(), classes: Vec::new() };
    let mut fuzz_flags = false;
    let mut whole_api = false;
    let mut test_values = false;
    let mut github = false;
    let mut sample = None;
    let mut seed = None;
    let mut rounds = None;
    let mut quick = false;
    let mut race_runs = None;
    let mut rest = rest.iter();
    while let Some(flag) = rest.next() {
        let mut value = |name: &str| rest.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--check" => check = true,
            "--spec" => specs.push(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--name" => name = Some(value("--name")?),
            "--skip-unsupported" => skip_unsupported = true,
            "--version-header" => {
                let header = value("--version-header")?;
                version_header = (header != "none").then_some(header);
                client_flags = true;
            }
            "--secret-var" => {
                secret_var = Some(value("--secret-var")?);
                client_flags = true;
            }
            "--upstream" => upstream = Some(PathBuf::from(value("--upstream")?)),
            "--tag" => selection.tag = Some(value("--tag")?),
            "--all-tags" => selection.tag = None,
            "--operation" => selection.operation_ids.push(value("--operation")?),
            "--cases" => {
                fuzz.cases = number(&value("--cases")?, "--cases")?;
                fuzz_flags = true;
            }
            // `fuzz`'s, and `contract --github`'s.
            "--seed" => seed = Some(number(&value("--seed")?, "--seed")?),
            "--compile" => {
                fuzz.compile = number(&value("--compile")?, "--compile")?;
                fuzz_flags = true;
            }
            "--class" => {
                let name = value("--class")?;
                let class = verify::fuzz::Class::parse(&name).ok_or_else(|| {
                    let names: Vec<&str> = verify::fuzz::Class::ALL.iter().map(|class| class.name()).collect();
                    format!("unknown class `{name}`; the classes are {}", names.join(", "))
                })?;
                fuzz.classes.push(class);
                fuzz_flags = true;
            }
            "--whole-api" => whole_api = true,
            "--test-values" => test_values = true,
            "--github" => github = true,
            "--sample" => sample = Some(number(&value("--sample")?, "--sample")?),
            "--rounds" => rounds = Some(number(&value("--rounds")?, "--rounds")?),
            "--quick" => quick = true,
            "--runs" => race_runs = Some(number(&value("--runs")?, "--runs")?),
            "-h" | "--help" => return Ok(Command::Help),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    // `codegen` and `drift` read one spec: the last `--spec` wins.
    let spec = specs.last().cloned().unwrap_or_else(verify::paths::default_spec);
    if (name.is_some() || skip_unsupported || client_flags) && command != "codegen" {
        return Err("--name, --skip-unsupported, --version-header and --secret-var belong to `codegen`".to_owned());
    }
    if fuzz_flags && command != "fuzz" {
        return Err("--cases, --seed, --compile and --class belong to `fuzz`".to_owned());
    }
    if seed.is_some() && command != "fuzz" && !github {
        return Err("--seed belongs to `fuzz` and `contract --whole-api --github`".to_owned());
    }
    if (github || sample.is_some()) && command != "contract" {
        return Err("--github and --sample belong to `contract --whole-api`".to_owned());
    }
    if (whole_api || rounds.is_some() || test_values) && command != "contract" {
        return Err("--whole-api, --test-values and --rounds belong to `contract`".to_owned());
    }
    if race_runs.is_some() && command != "race" {
        return Err("--runs belongs to `race`".to_owned());
    }
    if quick && command != "bench" {
        return Err("--quick belongs to `bench`".to_owned());
    }
    match command.as_str() {
        "fuzz" => {
            if check || out.is_some() || upstream.is_some() || selection != Selection::default() {
                return Err("`fuzz` takes --cases, --seed, --compile, --class and --spec only".to_owned());
            }
            Ok(Command::Fuzz(FuzzOptions { spec, seed: seed.unwrap_or(fuzz.seed), ..fuzz }))
        }
        "codegen" => {
            if upstream.is_some() {
                return Err("--upstream belongs to `drift`".to_owned());
            }
            let out = out.unwrap_or_else(verify::paths::generated_dir);
            Ok(Command::Codegen(CodegenOptions {
                check,
                spec,
                out,
                selection,
                name,
                skip_unsupported,
                version_header,
                secret_var,
            }))
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
                return Err(
                    "`contract` takes --spec, --whole-api, --test-values, --rounds, --github, --sample and --seed only"
                        .to_owned(),
                );
            }
            if rounds.is_some() && !whole_api {
                return Err("--rounds needs --whole-api".to_owned());
            }
            if rounds.is_some_and(|rounds| rounds < MIN_DYNAMIC_ROUNDS) {
                return Err(format!("--rounds must be at least {MIN_DYNAMIC_ROUNDS}"));
            }
            if test_values && (whole_api || github) {
                return Err("--test-values is a check of its own: not with --whole-api or --github".to_owned());
            }
            if test_values && specs.len() > 1 {
                return Err("--test-values checks one document: give at most one --spec".to_owned());
            }
            if whole_api && specs.len() > 1 {
                return Err("--whole-api checks one document: give at most one --spec".to_owned());
            }
            if github && !whole_api {
                return Err("--github needs --whole-api".to_owned());
            }
            if github && !specs.is_empty() {
                return Err("--github checks GitHub's document: it takes no --spec".to_owned());
            }
            if sample.is_some() && !github {
                return Err("--sample needs --github".to_owned());
            }
            if sample == Some(0) {
                return Err("--sample must be at least 1".to_owned());
            }
            let github = github.then(|| GithubSample {
                operations: sample.unwrap_or(verify::whole_api::github::DEFAULT_SAMPLE),
                seed: seed.unwrap_or(verify::whole_api::github::DEFAULT_SEED),
            });
            Ok(Command::Contract(ContractOptions { specs, whole_api, rounds, github, test_values }))
        }
        "msrv" => {
            if check || !specs.is_empty() || out.is_some() || upstream.is_some() || selection != Selection::default() {
                return Err("`msrv` takes no arguments".to_owned());
            }
            Ok(Command::Msrv)
        }
        "apis" => {
            if check || !specs.is_empty() || out.is_some() || upstream.is_some() || selection != Selection::default() {
                return Err("`apis` takes no arguments".to_owned());
            }
            Ok(Command::Apis)
        }
        "bench" => {
            if check || !specs.is_empty() || out.is_some() || upstream.is_some() || selection != Selection::default() {
                return Err("`bench` takes --quick only".to_owned());
            }
            Ok(Command::Bench(quick))
        }
        "race" => {
            if check || !specs.is_empty() || out.is_some() || upstream.is_some() || selection != Selection::default() {
                return Err("`race` takes --runs only".to_owned());
            }
            Ok(Command::Race(race_runs.unwrap_or(verify::race::DEFAULT_RUNS)))
        }
        "package" => {
            if check || !specs.is_empty() || out.is_some() || upstream.is_some() || selection != Selection::default() {
                return Err("`package` takes no arguments".to_owned());
            }
            Ok(Command::Package)
        }
        "help" | "-h" | "--help" => Ok(Command::Help),
        other => Err(format!("unknown command `{other}`")),
    }
}

fn number<T: std::str::FromStr>(text: &str, flag: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("{flag} needs a whole number, not `{text}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn the_whole_api_flags_belong_to_contract() {
        let parsed = parse(&args("contract --whole-api --rounds 5 --spec x.yml"));
        assert_eq!(
            parsed,
            Ok(Command::Contract(ContractOptions {
                specs: vec![PathBuf::from("x.yml")],
                whole_api: true,
                rounds: Some(5),
                github: None,
                test_values: false,
            }))
        );
        assert_eq!(
            parse(&args("contract")),
            Ok(Command::Contract(ContractOptions {
                specs: vec![],
                whole_api: false,
                rounds: None,
                github: None,
                test_values: false
            }))
        );
        let Ok(Command::Contract(kit)) = parse(&args("contract --test-values")) else { panic!("it parses") };
        assert!(kit.test_values && !kit.whole_api);
        assert!(parse(&args("contract --test-values --whole-api")).is_err());
        assert!(parse(&args("codegen --test-values")).is_err());
        assert_eq!(parse(&args("contract --rounds 5")), Err("--rounds needs --whole-api".to_owned()));
        assert_eq!(parse(&args("contract --whole-api --rounds 2")), Err("--rounds must be at least 3".to_owned()));
        assert!(parse(&args("contract --whole-api --spec a --spec b")).is_err());
        assert!(parse(&args("codegen --whole-api")).is_err());
    }

    #[test]
    fn github_samples_belong_to_the_whole_api_contract() {
        let parsed = parse(&args("contract --whole-api --github --sample 100 --seed 7 --rounds 4"));
        assert_eq!(
            parsed,
            Ok(Command::Contract(ContractOptions {
                specs: vec![],
                whole_api: true,
                rounds: Some(4),
                github: Some(GithubSample { operations: 100, seed: 7 }),
                test_values: false,
            }))
        );
        let Ok(Command::Contract(defaults)) = parse(&args("contract --whole-api --github")) else {
            panic!("--github parses")
        };
        assert_eq!(defaults.github, Some(GithubSample { operations: 100, seed: 1 }));
        assert_eq!(parse(&args("contract --github")), Err("--github needs --whole-api".to_owned()));
        assert_eq!(parse(&args("contract --whole-api --sample 5")), Err("--sample needs --github".to_owned()));
        assert_eq!(
            parse(&args("contract --whole-api --seed 5")),
            Err("--seed belongs to `fuzz` and `contract --whole-api --github`".to_owned())
        );
        assert!(parse(&args("contract --whole-api --github --sample 0")).is_err());
        assert!(parse(&args("contract --whole-api --github --spec x.yml")).is_err());
        assert!(parse(&args("codegen --github")).is_err());
        assert!(parse(&args("codegen --sample 3")).is_err());
        // `fuzz` keeps its --seed.
        let Ok(Command::Fuzz(fuzz)) = parse(&args("fuzz --seed 9")) else { panic!("fuzz parses") };
        assert_eq!(fuzz.seed, 9);
    }

    #[test]
    fn race_takes_runs_only() {
        assert_eq!(parse(&args("race")), Ok(Command::Race(verify::race::DEFAULT_RUNS)));
        assert_eq!(parse(&args("race --runs 300")), Ok(Command::Race(300)));
        assert!(parse(&args("race --spec x.yml")).is_err());
        assert!(parse(&args("codegen --runs 5")).is_err());
    }

    #[test]
    fn fuzz_takes_classes_by_name() {
        use verify::fuzz::Class;
        let Ok(Command::Fuzz(options)) = parse(&args("fuzz --class alias-loops --class hostile-files --cases 40"))
        else {
            panic!("fuzz parses")
        };
        assert_eq!(options.classes, [Class::AliasLoops, Class::HostileFiles]);
        assert_eq!(options.cases, 40);
        let Ok(Command::Fuzz(options)) = parse(&args("fuzz")) else { panic!("fuzz parses") };
        assert!(options.classes.is_empty(), "every class by default");
        let unknown = parse(&args("fuzz --class loops"));
        assert!(unknown.is_err_and(|error| error.starts_with("unknown class `loops`; the classes are mutations, ")));
        assert!(parse(&args("codegen --class mutations")).is_err());
    }

    #[test]
    fn bench_takes_quick_only() {
        assert_eq!(parse(&args("bench")), Ok(Command::Bench(false)));
        assert_eq!(parse(&args("bench --quick")), Ok(Command::Bench(true)));
        assert!(parse(&args("bench --spec x.yml")).is_err());
        assert!(parse(&args("codegen --quick")).is_err());
    }

    #[test]
    fn msrv_takes_no_flags() {
        assert_eq!(parse(&args("msrv")), Ok(Command::Msrv));
        assert!(parse(&args("msrv --spec x")).is_err());
    }
}
