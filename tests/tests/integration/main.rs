//! The integration-test binary: the real server on port 0, on SQLite and PostgreSQL.

mod admin_cli;
mod attribution;
mod authz;
mod ballots;
mod comments;
mod convergence;
mod drafts;
mod durability;
mod headers;
mod helpers;
mod hostile;
mod http;
mod http_limits;
mod hygiene;
mod limits;
mod malformed;
mod metrics;
mod oidc_flow;
mod oidc_harness;
mod presence;
mod slots;
mod storage;
mod sync_story;
mod sync_tickets;
mod timeline;
mod upgrade;
