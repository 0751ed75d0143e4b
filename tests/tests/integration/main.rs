//! The integration-test binary: the real server on port 0, on SQLite and PostgreSQL.

mod admin_cli;
mod attribution;
mod authz;
mod convergence;
mod durability;
mod helpers;
mod http;
mod limits;
mod malformed;
mod oidc_flow;
mod oidc_harness;
mod presence;
mod storage;
mod sync_story;
