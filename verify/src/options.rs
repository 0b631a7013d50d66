//! The options of `cargo xtask contract`, which [`crate::contract`] and
//! [`crate::whole_api`] both read (parsed by xtask's command line).

use std::path::PathBuf;

/// Calls per operation in dynamic mode at the least: random answers need a
/// few tries to show a shape the generated types do not decode.
pub const MIN_DYNAMIC_ROUNDS: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractOptions {
    /// The documents to mock; empty means the defaults (`crate::contract::default_specs`).
    pub specs: Vec<PathBuf>,
    /// `--whole-api`: every operation of one document (`crate::whole_api`).
    pub whole_api: bool,
    /// `--rounds N`: calls per operation in dynamic mode, with `--whole-api`.
    pub rounds: Option<usize>,
    /// `--github`, with `--whole-api`: a seeded sample of GitHub's operations
    /// instead of one document's every operation (`crate::whole_api::github`).
    pub github: Option<GithubSample>,
    /// `--test-values`: every model's test value through `prism proxy`
    /// (`crate::whole_api::test_values`).
    pub test_values: bool,
}

/// `--sample N --seed S` of `--github`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GithubSample {
    /// How many operations, among those that generate.
    pub operations: usize,
    /// The seed of the draw: the same seed draws the same operations.
    pub seed: u64,
}
