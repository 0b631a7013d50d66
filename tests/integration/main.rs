//! Tests of the generator and of the generated client, in one binary (one link).

mod bad_spec;
mod compiles;
mod drift;
// TEMP mod faults;
// TEMP mod hostile;
mod names;
mod out_folder;
// TEMP mod pagination;
// TEMP mod raw;
mod refusals;
mod semver;
mod snapshots;
mod spec_errors;
mod staleness;
// TEMP mod wire;
