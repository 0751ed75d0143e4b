//! The signed-in person's notifications: the bell's count and the list.

use kompromiss_shared::dto::notifications::Notifications;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::{Answer, Req, ask, invalid};

/// What the server answers and does about a person's notifications.
#[cfg(feature = "ssr")]
pub trait NotificationPages {
    /// The newest notifications (empty when not signed in).
    fn notifications<'a>(&'a self, req: &'a Req) -> Answer<'a, Notifications>;
    /// Marks these notifications, or all, as read.
    fn mark_read<'a>(&'a self, req: &'a Req, ids: Vec<String>, all: bool) -> Answer<'a, ()>;
}

/// The newest notifications and the unread count.
#[server(prefix = "/api/fn", endpoint = "get_notifications")]
pub async fn get_notifications() -> Result<Notifications, ServerFnError> {
    ask!(|p, r| p.notifications(r))
}

/// Marks notifications read: `ids` comma-separated, or `all`.
#[server(prefix = "/api/fn", endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read(ids: String, all: bool) -> Result<(), ServerFnError> {
    let ids: Vec<String> = ids.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    if ids.len() > kompromiss_shared::dto::notifications::MAX_MARK_READ {
        return Err(invalid("ids"));
    }
    ask!(|p, r| p.mark_read(r, ids, all))
}
