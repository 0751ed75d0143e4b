-- Moderation of comments: reports by readers, comments hidden (with a reason everyone sees in
-- their place) and threads locked by moderators. Every step is also in the audit log.
ALTER TABLE comments ADD COLUMN hidden_at BIGINT;
ALTER TABLE comments ADD COLUMN hidden_by TEXT REFERENCES users(id);
ALTER TABLE comments ADD COLUMN hidden_reason TEXT;
ALTER TABLE comment_threads ADD COLUMN locked_at BIGINT;
ALTER TABLE comment_threads ADD COLUMN locked_by TEXT REFERENCES users(id);

CREATE TABLE comment_reports (
    id TEXT PRIMARY KEY NOT NULL,
    comment_id TEXT NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    reporter_id TEXT NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL CHECK (reason IN ('insult', 'hate', 'threat', 'disinformation', 'spam', 'other')),
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    -- Set when a moderator hid or kept the comment.
    handled_at BIGINT,
    handled_by TEXT REFERENCES users(id),
    -- One open report per person and comment.
    UNIQUE (comment_id, reporter_id)
);
CREATE INDEX comment_reports_open ON comment_reports (doc_id, handled_at, created_at);
