//! Data sent between server and browser outside the sync protocol, one file per resource: a new
//! feature adds its own file here.

pub mod account;
pub mod audit;
pub mod ballots;
pub mod comments;
pub mod documents;
pub mod drafts;
pub mod evaluations;
pub mod history;
pub mod me;
pub mod metrics;
pub mod notifications;
pub mod people;
pub mod refusal;
pub mod sharing;
pub mod sync_ticket;
pub mod timeline;
