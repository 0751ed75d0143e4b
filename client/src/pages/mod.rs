//! One file per route.

pub mod account;
pub mod admin;
pub mod audit;
pub mod ballot;
pub mod decisions;
pub mod document;
pub mod evaluation;
pub mod history;
pub mod metrics;
pub mod moderation;
pub mod notifications;
pub mod overview;
pub mod sharing;
pub mod sign_in;
