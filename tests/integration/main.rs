//! Tests of the generator and of the generated client, in one binary (one link).

mod bad_spec;
mod compiles;
mod composition;
mod drift;
mod faults;
mod fixture_wire;
mod hostile;
mod names;
mod nesting;
mod out_folder;
mod pagination;
mod program;
mod raw;
mod refusals;
mod retry_safety;
mod selection;
mod semver;
mod snapshots;
mod spec_errors;
mod staleness;
mod user_crate;
mod whole_api;
mod wire;
