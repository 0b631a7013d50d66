//! Hand-written serde structs mirroring the generated list type field for
//! field (same Rust types, `String` for the `object` tag and `status`), with
//! nothing but `#[derive(Deserialize)]`: the floor for decoding a page.

use serde::Deserialize;

// The fields are only ever written by serde; reading them is not the point.
#[allow(dead_code)]
#[derive(Debug, Deserialize)]
pub struct Page {
    pub data: Vec<Invitation>,
    pub total_count: i64,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
pub struct Invitation {
    pub object: String,
    pub id: String,
    pub email_address: String,
    pub role: String,
    pub role_name: String,
    #[serde(default)]
    pub organization_id: Option<String>,
    pub inviter_id: Option<String>,
    pub public_inviter_data: Option<UserData>,
    #[serde(default)]
    pub status: Option<String>,
    pub public_metadata: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub private_metadata: Option<serde_json::Map<String, serde_json::Value>>,
    pub url: Option<String>,
    pub expires_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[allow(dead_code)]
#[derive(Debug, Deserialize)]
pub struct UserData {
    pub user_id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub image_url: String,
    pub has_image: bool,
    pub identifier: String,
}
