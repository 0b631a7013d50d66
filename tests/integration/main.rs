//! Tests of the generator and of the generated client, in one binary (one link).

mod bad_spec;
mod drift;
mod faults;
mod hostile;
mod pagination;
mod raw;
mod snapshots;
mod staleness;
mod wire;
