//! Why a request was refused, as the browser learns it; the same for every resource.

use serde::{Deserialize, Serialize};

/// Why a request was refused, as the browser learns it (mapped to an HTTP status by the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Refusal {
    #[error("sign-in required")]
    SignIn,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A field was invalid; names the field.
    #[error("invalid {0}")]
    Invalid(String),
    #[error("internal error")]
    Internal,
}

impl Refusal {
    /// The HTTP status for this refusal.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::SignIn => 401,
            Refusal::Forbidden => 403,
            Refusal::NotFound => 404,
            Refusal::Invalid(_) => 400,
            Refusal::Internal => 500,
        }
    }

    /// A stable code carried in server-function errors (`refused:<code>`).
    pub fn code(&self) -> String {
        match self {
            Refusal::SignIn => "sign-in".into(),
            Refusal::Forbidden => "forbidden".into(),
            Refusal::NotFound => "not-found".into(),
            Refusal::Invalid(field) => format!("invalid:{field}"),
            Refusal::Internal => "internal".into(),
        }
    }
}
