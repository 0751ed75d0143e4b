-- In-app notifications (nothing leaves the server): a person was mentioned, someone replied in a
-- thread they wrote in, their thread was resolved, or their comment was hidden. Kept per person up
-- to a bound (the newest 1,000).
CREATE TABLE notifications (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    thread_id TEXT NOT NULL REFERENCES comment_threads(id) ON DELETE CASCADE,
    comment_id TEXT REFERENCES comments(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('mention', 'reply', 'resolved', 'hidden')),
    actor_id TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_by_user ON notifications (user_id, created_at);
