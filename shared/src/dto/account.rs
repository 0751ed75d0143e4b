//! A person's own account: groups and personal API tokens.

use serde::{Deserialize, Serialize};

use super::me::Me;

/// A personal API token as listed (never with its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// A token just created: the secret is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    pub info: TokenInfo,
    pub secret: String,
}

/// The account page: who I am and my tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub me: Me,
    /// Groups from the last sign-in.
    pub groups: Vec<String>,
    pub tokens: Vec<TokenInfo>,
}
