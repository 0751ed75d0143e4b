//! Reusable parts of pages.

pub mod assessment;
pub mod authorship;
pub mod ballots;
pub mod bell;
pub mod comment_text;
pub mod discussion;
pub mod drafts;
pub mod editor;
pub mod evaluation;
pub mod export_links;
pub mod field;
pub mod header;
pub mod metrics;
pub mod moderators;
pub mod notice;
pub mod parts;
pub mod platforms;
pub mod presence;
pub mod reading;
pub mod sections;
pub mod status;
