//! Wasm-safe heart of Kompromiss: ids, the concept document schema, the sync protocol and pure rules.
#![forbid(unsafe_code)]

pub mod anchor;
pub mod audit;
pub mod ballots;
pub mod comments;
pub mod decision;
pub mod diff;
pub mod doc_events;
pub mod drafts;
pub mod dto;
pub mod export;
pub mod heads;
pub mod highlights;
pub mod ids;
pub mod limits;
pub mod lines;
pub mod links;
pub mod mentions;
pub mod metrics;
pub mod perm;
pub mod presence;
pub mod protocol;
pub mod schema;
pub mod sync_steps;
pub mod template;
#[cfg(test)]
mod test_support;
pub mod timeline;
pub mod whole_document;
