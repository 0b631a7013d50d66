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
pub use error::{ApiError, Error};
pub use generated::models::*;
pub use generated::{API_VERSION, DEFAULT_BASE_URL, RETRY_POLICY};
pub use operation::{Backoff, RetrySafety};
pub use paginate::{Items, Keyed, Page, Pages};
pub use retry::Retries;

/// The workspace README's example, compiled as a doctest so it cannot rot.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
