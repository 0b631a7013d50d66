//! The bodies the server answers with, shaped like the spec's
//! `OrganizationInvitation` and `OrganizationInvitations`, every field set.

use serde_json::{json, Value};

pub const ORGANIZATION_ID: &str = "org_2NDlc5oXo3w8P8O3oBJaCS1X4HO";
pub const INVITATION_ID: &str = "orginv_2NDm6u3PGzCUTrU1L3qQyyWZPO4";
pub const SECRET_KEY: &str = "sk_test_bench0000000000000000000000000000000000";
pub const PAGE_SIZE: usize = 500;

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A Clerk-looking id (`prefix_` and 27 base-62 characters), distinct per `seed`.
fn clerk_id(prefix: &str, seed: u64) -> String {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    let mut id = format!("{prefix}_2");
    for _ in 0..26 {
        // xorshift: cheap, deterministic, and spreads over the alphabet.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        id.push(ALPHABET[(state % 62) as usize] as char);
    }
    id
}

/// Invitation `index` of the page (index 0 is the one `get` returns).
pub fn invitation(index: usize) -> Value {
    let seed = index as u64;
    let id = if index == 0 { INVITATION_ID.to_owned() } else { clerk_id("orginv", seed) };
    let inviter = clerk_id("user", 1_000_000 + seed % 7);
    let created = 1_735_689_600_000_i64 + index as i64 * 61_000;
    json!({
        "object": "organization_invitation",
        "id": id,
        "email_address": format!("invitee.{index}@example.com"),
        "role": "org:member",
        "role_name": "Member",
        "organization_id": ORGANIZATION_ID,
        "inviter_id": inviter,
        "public_inviter_data": {
            "user_id": inviter,
            "first_name": "Ada",
            "last_name": "Lovelace",
            "image_url": format!("https://img.clerk.com/eyJ0eXBlIjoicHJveHkiLCJzcmMiOiJodHRwczovL2ltYWdlcy5jbGVyay5kZXYv{}", seed % 7),
            "has_image": true,
            "identifier": format!("inviter.{}@example.com", seed % 7),
        },
        "status": "pending",
        "public_metadata": { "team": "platform", "seat": index, "onboarding": { "step": 2, "done": false } },
        "private_metadata": { "source": "bulk-import", "batch": 7 },
        "url": format!("https://example.com/accept-invitation?__clerk_ticket=eyJhbGciOiJSUzI1NiJ9.{}", id),
        "expires_at": created + 30 * 24 * 3_600_000,
        "created_at": created,
        "updated_at": created + 5_000,
    })
}

/// The body of `GET …/invitations/{id}`.
pub fn get_body() -> Vec<u8> {
    serde_json::to_vec(&invitation(0)).expect("a JSON value serialises")
}

/// The body of `GET …/invitations?limit=500`: a full page.
pub fn list_body() -> Vec<u8> {
    let data: Vec<Value> = (0..PAGE_SIZE).map(invitation).collect();
    serde_json::to_vec(&json!({ "data": data, "total_count": PAGE_SIZE })).expect("a JSON value serialises")
}
