//! Tests of the generator and of the generated client, in one binary (one link).

mod bad_spec;
mod drift;
mod faults;
mod pagination;
mod snapshots;
mod spec_errors;
mod staleness;
mod wire;
