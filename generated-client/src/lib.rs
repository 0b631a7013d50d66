//! A typed async client for Clerk's Organization Invitations Backend API.
//!
//! The operations and models in [`generated`] are written by `cargo xtask codegen`
//! from the project's vendored OpenAPI document; everything else here (the client,
//! its errors, path encoding) is the hand-written runtime they call.
//!
//! ```no_run
//! use clerk_invitations::{Client, CreateOrganizationInvitationRequest, ListOrganizationInvitationsParams};
//!
//! # async fn example() -> Result<(), clerk_invitations::Error> {
//! let clerk = Client::from_env()?; // reads CLERK_SECRET_KEY
//! let invitations = clerk.organization_invitations();
//! let invitation = invitations
//!     .create("org_123", &CreateOrganizationInvitationRequest::new("ada@example.com", "org:member"))
//!     .await?;
//! println!("invited {} ({})", invitation.email_address, invitation.id);
//!
//! let page = invitations.list("org_123", &ListOrganizationInvitationsParams::default()).await?;
//! println!("{} invitations in all", page.total_count);
//! # Ok(())
//! # }
//! ```

mod check;
mod chunk;
mod client;
mod error;
pub mod limits;
mod nullable;
mod operation;
mod paginate;
mod path;
mod request;
mod retry;

// Formatted by prettyplease when generated; rustfmt would only reflow it.
#[rustfmt::skip]
pub mod generated;

pub use chunk::Chunk;
pub use client::{Client, ClientBuilder};
pub use error::{ApiError, Error, ErrorBody, ErrorDetail, TimeoutKind};
pub use generated::models::*;
pub use generated::{API_VERSION, DEFAULT_BASE_URL, RETRY_POLICY};
pub use operation::{Backoff, RetrySafety};
pub use paginate::{Items, Keyed, Page, Pages};
pub use retry::Retries;

/// The workspace README's example, compiled as a doctest so it cannot rot.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

#[cfg(test)]
mod tests {
    /// The hand-written runtime, which must compile whatever the spec generates.
    const RUNTIME: [(&str, &str); 12] = [
        ("check.rs", include_str!("check.rs")),
        ("chunk.rs", include_str!("chunk.rs")),
        ("client.rs", include_str!("client.rs")),
        ("error.rs", include_str!("error.rs")),
        ("nullable.rs", include_str!("nullable.rs")),
        ("operation.rs", include_str!("operation.rs")),
        ("paginate.rs", include_str!("paginate.rs")),
        ("path.rs", include_str!("path.rs")),
        ("request.rs", include_str!("request.rs")),
        ("retry.rs", include_str!("retry.rs")),
        ("limits.rs", include_str!("limits.rs")),
        ("lib.rs", include_str!("lib.rs")),
    ];

    #[test]
    fn the_runtime_names_no_generated_model() {
        // Some Clerk documents have no `ClerkErrors`, or one without
        // `clerk_trace_id`; a runtime that named it would not compile with them.
        for (file, text) in RUNTIME {
            let code = text.split("#[cfg(test)]").next().unwrap_or(text);
            for model in ["models::", "ClerkError"] {
                let uses = code
                    .lines()
                    .filter(|line| !line.trim_start().starts_with("//") && !line.contains("models::*"))
                    .filter(|line| line.contains(model))
                    .count();
                assert_eq!(uses, 0, "{file} names `{model}`");
            }
        }
    }
}
