//! `cargo xtask contract --whole-api --github --sample N --seed S`: a seeded
//! sample of GitHub's operations (npm `@octokit/openapi`, as `cargo xtask
//! apis` installs it) through the generated client against Prism.
//!
//! The operations that generate are found by lowering the whole document with
//! unsupported operations skipped (no code is emitted or formatted for them,
//! which takes seconds on GitHub's 13 MB document); the sample is drawn from
//! them before anything is generated, so the crate holds only the sampled
//! operations and builds in a fraction of the whole document's time.

use std::path::Path;

use codegen::lower::OpenEnums;
use codegen::select::Selection;

use super::plan::{self, Blocked, Plan, Planned, Shape};
use crate::compile::GeneratedCrate;
use crate::fuzz::rng::Rng;

/// The package name of the sampled crate.
pub const CRATE: &str = "github-sample";
/// Operations sampled by default.
pub const DEFAULT_SAMPLE: usize = 100;
/// The seed by default.
pub const DEFAULT_SEED: u64 = 1;

/// `count` operationIds of `generable`, chosen by `seed`: the same seed gives
/// the same ones whatever order `generable` comes in; returned sorted.
pub fn sample(generable: &[String], count: usize, seed: u64) -> Vec<String> {
    let mut pool: Vec<String> = generable.to_vec();
    pool.sort();
    pool.dedup();
    let mut chosen = Rng::new(seed).several(&pool, count);
    chosen.sort();
    chosen
}

/// The operations of `document` that generate (in the order the generator
/// lists them), and those that do not, with the generator's reason.
pub fn generable(document: &openapiv3::OpenAPI) -> Result<(Vec<String>, Vec<Blocked>), String> {
    let everything = Selection { tag: None, operation_ids: Vec::new() };
    let selected = codegen::select::select(document, &everything).map_err(|error| error.to_string())?;
    let tags: Vec<(String, Vec<String>)> = selected
        .iter()
        .map(|operation| (operation.operation_id.to_owned(), operation.operation.tags.clone()))
        .collect();
    let (api, warnings) =
        codegen::lower::lower(document, &selected, OpenEnums::All, true, None).map_err(|error| error.to_string())?;
    let generable: Vec<String> = api.operations().map(|operation| operation.operation_id.clone()).collect();
    let blocked = tags
        .into_iter()
        .filter(|(id, _)| !generable.contains(id))
        .map(|(operation_id, tags)| {
            // "operation `X` skipped: REASON (at …)"
            let needle = format!("operation `{operation_id}` skipped: ");
            let reason = warnings
                .iter()
                .map(ToString::to_string)
                .find_map(|warning| warning.split_once(&needle).map(|(_, reason)| reason.to_owned()))
                .unwrap_or_else(|| "left out by the generator without a warning".to_owned());
            Blocked { operation_id, tags, reason }
        })
        .collect();
    Ok((generable, blocked))
}

/// The crate of `count` operations sampled with `seed` from those of `spec`
/// that generate. The sample is generated without skipping anything: an
/// operation that generated in the whole document must generate here too.
pub fn plan(spec: &Path, count: usize, seed: u64) -> Result<Plan, String> {
    let document = codegen::load::read_document(spec).map_err(|error| error.to_string())?;
    let total = codegen::select::all_operations(&document).map_err(|error| error.to_string())?.len();
    let (generable, blocked) = generable(&document)?;
    let chosen = sample(&generable, count, seed);
    let options = plan::options(CRATE, Selection { tag: None, operation_ids: chosen.clone() });
    let generated = codegen::generate_from(&document, &options)
        .map_err(|error| format!("the {} sampled operations do not generate together: {error}", chosen.len()))?;
    Ok(Plan {
        shape: Shape::Sample { seed, generable: generable.len() },
        crates: vec![Planned {
            krate: GeneratedCrate { name: CRATE.to_owned(), files: generated.files },
            api: generated.api,
        }],
        blocked,
        tags: Vec::new(),
        total,
        whole_api_error: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(count: usize) -> Vec<String> {
        (0..count).map(|index| format!("op-{index:04}")).collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_sample_and_another_seed_another() {
        let all = ids(1184);
        let first = sample(&all, 100, 7);
        assert_eq!(first.len(), 100);
        assert_eq!(first, sample(&all, 100, 7));
        let mut reversed = all.clone();
        reversed.reverse();
        assert_eq!(first, sample(&reversed, 100, 7), "the order of the operations does not matter");
        assert_ne!(first, sample(&all, 100, 8));
        let mut distinct = first.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), 100, "no operation twice");
        assert_eq!(sample(&ids(3), 100, 7).len(), 3, "all of them when there are fewer");
    }

    /// Three operations: one generates, two do not (a cookie parameter, which
    /// the client never sends; a path segment URL normalisation would climb).
    const SPEC: &str = "\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: get-a
      responses: {'204': {description: ok}}
  /b:
    get:
      operationId: get-b
      parameters:
        - {name: session, in: cookie, schema: {type: string}}
      responses: {'204': {description: ok}}
  /c/{x}...{y}:
    get:
      operationId: get-c
      parameters:
        - {name: x, in: path, required: true, schema: {type: string}}
        - {name: y, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: ok}}
";

    #[test]
    fn only_operations_that_generate_are_sampled() {
        let document: openapiv3::OpenAPI = serde_yaml::from_str(SPEC).expect("a document");
        let (generable, blocked) = generable(&document).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(generable, ["get-a"]);
        let blocked: Vec<&str> = blocked.iter().map(|blocked| blocked.operation_id.as_str()).collect();
        assert_eq!(blocked, ["get-b", "get-c"]);
        for seed in 0..20 {
            assert_eq!(sample(&generable, 100, seed), ["get-a"]);
        }

        let dir = std::env::temp_dir().join(format!("xtask-github-sample-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spec = dir.join("spec.yaml");
        std::fs::write(&spec, SPEC).unwrap();
        let plan = plan(&spec, 2, 3);
        let _ = std::fs::remove_dir_all(&dir);
        let plan = plan.unwrap_or_else(|error| panic!("{error}"));
        let operations: Vec<&str> =
            plan.crates[0].api.operations().map(|operation| operation.operation_id.as_str()).collect();
        assert_eq!(operations, ["get-a"], "the crate holds the sample only");
        assert_eq!((plan.total, plan.blocked.len()), (3, 2));
    }
}
