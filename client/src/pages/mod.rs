//! One file per route.

pub mod document;
pub mod overview;
