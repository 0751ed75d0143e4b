//! Drafts on the pages: the concept's list with the form to start one, the draft's banner (what
//! it is, catching up, withdrawing, merging), and the line-numbered diff both use.

mod banner;
mod diff_view;
mod invite;
mod list;
mod merge;

pub use banner::DraftBanner;
pub use diff_view::DiffView;
pub use list::DraftsSection;
