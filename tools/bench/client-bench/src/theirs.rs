//! The peer: what someone would write by hand with reqwest and serde. One
//! `reqwest::Client`, the same headers the generated client sends, the body
//! read whole and decoded into the same generated models; no retries, no
//! deadline, no tracing span, no body cap, no percent-encoding of ids.

use clerk_invitations::{OrganizationInvitation, OrganizationInvitations};
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION};

/// The `User-Agent` the generated client sends: the generated crate's name
/// and version, then the runtime's, read from their manifests when the bench
/// is built, so a version bump cannot leave it stale. The bench stops at
/// start-up unless the server sees the same request heads from both clients.
pub fn user_agent() -> String {
    let generated = manifest_version(include_str!("../../../../generated-client/Cargo.toml"));
    let runtime = manifest_version(include_str!("../../../../generated-client/runtime/Cargo.toml"));
    format!("clerk-invitations/{generated} openapi-client-runtime/{runtime}")
}

/// The `version = "…"` of a manifest's `[package]` (its first such line).
fn manifest_version(manifest: &str) -> &str {
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("the manifest has a `version = \"…\"` line")
}

#[derive(Clone)]
pub struct Theirs {
    http: reqwest::Client,
    /// E.g. `http://127.0.0.1:4242/v1`, without a trailing slash.
    base_url: String,
    authorization: HeaderValue,
}

pub type Error = Box<dyn std::error::Error + Send + Sync>;

impl Theirs {
    pub fn new(base_url: &str, secret_key: &str) -> Theirs {
        let http = reqwest::Client::builder()
            .user_agent(user_agent())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a reqwest client");
        let mut authorization = HeaderValue::from_str(&format!("Bearer {secret_key}")).expect("a header-safe key");
        authorization.set_sensitive(true);
        Theirs { http, base_url: base_url.trim_end_matches('/').to_owned(), authorization }
    }

    /// `GET /organizations/{organization_id}/invitations/{invitation_id}`.
    pub async fn get(&self, organization_id: &str, invitation_id: &str) -> Result<OrganizationInvitation, Error> {
        let url = format!("{}/organizations/{organization_id}/invitations/{invitation_id}", self.base_url);
        self.fetch(url).await
    }

    /// `GET /organizations/{organization_id}/invitations?limit={limit}`.
    pub async fn list(&self, organization_id: &str, limit: i64) -> Result<OrganizationInvitations, Error> {
        let url = format!("{}/organizations/{organization_id}/invitations?limit={limit}", self.base_url);
        self.fetch(url).await
    }

    async fn fetch<T: serde::de::DeserializeOwned>(&self, url: String) -> Result<T, Error> {
        let response = self
            .http
            .get(url)
            .header(AUTHORIZATION, self.authorization.clone())
            .header("Clerk-API-Version", clerk_invitations::API_VERSION)
            .header(ACCEPT, "application/json")
            .send()
            .await?
            .error_for_status()?;
        let body = response.bytes().await?;
        Ok(serde_json::from_slice(&body)?)
    }
}
