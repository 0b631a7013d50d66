//! The two clients side by side, and the calls each row makes through them.

use std::hint::black_box;

use crate::fixtures::{INVITATION_ID, ORGANIZATION_ID, PAGE_SIZE, SECRET_KEY};
use crate::theirs::Theirs;

/// Which client a measurement drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Ours,
    Theirs,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Ours => "ours",
            Side::Theirs => "theirs",
        }
    }

    pub fn parse(name: &str) -> Option<Side> {
        match name {
            "ours" => Some(Side::Ours),
            "theirs" => Some(Side::Theirs),
            _ => None,
        }
    }
}

/// Which call a measurement makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `GetOrganizationInvitation`: one invitation.
    Get,
    /// `ListOrganizationInvitations` with `limit=500`: a full page.
    List,
}

impl Call {
    pub fn name(self) -> &'static str {
        match self {
            Call::Get => "get",
            Call::List => "list",
        }
    }

    pub fn parse(name: &str) -> Option<Call> {
        match name {
            "get" => Some(Call::Get),
            "list" => Some(Call::List),
            _ => None,
        }
    }
}

/// Both clients, pointed at the same server.
#[derive(Clone)]
pub struct Clients {
    pub ours: clerk_invitations::Client,
    pub theirs: Theirs,
}

impl Clients {
    /// Must be called inside a tokio runtime (reqwest's pool lives on it).
    pub fn new(port: u16) -> Clients {
        let base_url = format!("http://127.0.0.1:{port}/v1");
        let ours = clerk_invitations::Client::builder()
            .secret(SECRET_KEY)
            .base_url(base_url.clone())
            .build()
            .expect("the generated client builds");
        Clients { ours, theirs: Theirs::new(&base_url, SECRET_KEY) }
    }

    /// Makes `call` once through `side`'s client; the decoded value is dropped
    /// inside the call, the same way for both sides.
    pub async fn call(&self, side: Side, call: Call) {
        match (side, call) {
            (Side::Ours, Call::Get) => {
                let invitation = self
                    .ours
                    .organization_invitations()
                    .get()
                    .organization_id(ORGANIZATION_ID)
                    .invitation_id(INVITATION_ID)
                    .send()
                    .await
                    .expect("ours: get");
                black_box(invitation);
            }
            (Side::Theirs, Call::Get) => {
                let invitation = self.theirs.get(ORGANIZATION_ID, INVITATION_ID).await.expect("theirs: get");
                black_box(invitation);
            }
            (Side::Ours, Call::List) => {
                let page = self
                    .ours
                    .organization_invitations()
                    .list()
                    .organization_id(ORGANIZATION_ID)
                    .limit(PAGE_SIZE as i64)
                    .send()
                    .await
                    .expect("ours: list");
                black_box(page);
            }
            (Side::Theirs, Call::List) => {
                let page = self.theirs.list(ORGANIZATION_ID, PAGE_SIZE as i64).await.expect("theirs: list");
                black_box(page);
            }
        }
    }

    /// Makes `count` calls one after another.
    pub async fn calls(&self, side: Side, call: Call, count: usize) {
        for _ in 0..count {
            self.call(side, call).await;
        }
    }

    /// Makes `count` `get` calls at once, each in a task of its own, through
    /// clones of one client (one connection pool), and waits for them all.
    pub async fn concurrent_gets(&self, side: Side, count: usize) {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..count {
            let clients = self.clone();
            tasks.spawn(async move { clients.call(side, Call::Get).await });
        }
        while let Some(done) = tasks.join_next().await {
            done.expect("a get task");
        }
    }
}
