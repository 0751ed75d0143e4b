-- Short-lived, single-use tickets for opening /sync from scripts without putting a long-lived API
-- token into a URL (proxies log URLs). Issued with the bearer token, bound to it, stored as a hash.
CREATE TABLE sync_tickets (
    ticket_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_id TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sync_tickets_by_user ON sync_tickets (user_id);
