//! Thin HTTP handlers by resource: extract → authorize → act → respond.

pub mod auth;
pub mod backup;
pub mod ballots;
pub mod comments;
pub mod documents;
pub mod drafts;
pub mod evaluations;
pub mod exports;
pub mod health;
pub mod history;
pub mod lang;
pub mod meters;
pub mod metrics;
pub mod moderation;
pub mod notifications;
pub mod sync;
pub mod sync_tickets;
pub mod versions;
