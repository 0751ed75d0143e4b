//! Test harness: spawn the real server on port 0 against SQLite or PostgreSQL, and talk to it
//! over the automerge-repo protocol with a Rust client; a real OpenID provider for sign-in tests.

pub mod app;
pub mod client;
pub mod db;
pub mod load;
pub mod oidc;
pub mod process;
pub mod prometheus;
