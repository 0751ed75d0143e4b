//! What a concept decides about a platform: the vocabulary shared by documents, templates and the UI.

use serde::{Deserialize, Serialize};

/// What the concept decides about a platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Nutzen,
    Evaluieren,
    Verlassen,
    #[default]
    Offen,
}

impl Decision {
    /// All decisions, in the order the UI offers them.
    pub const ALL: [Decision; 4] = [Decision::Nutzen, Decision::Evaluieren, Decision::Verlassen, Decision::Offen];

    /// The value stored in the document.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Nutzen => "nutzen",
            Decision::Evaluieren => "evaluieren",
            Decision::Verlassen => "verlassen",
            Decision::Offen => "offen",
        }
    }

    /// Reads a stored value; anything unknown counts as still open.
    pub fn parse(s: &str) -> Decision {
        Decision::ALL.into_iter().find(|d| d.as_str() == s).unwrap_or(Decision::Offen)
    }
}
