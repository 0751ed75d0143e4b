-- People a document's administrators name as moderators of its discussion, besides its editors
-- and admins (who moderate by their level). A named moderator still needs to be able to read the
-- document. At most 50 per document (server/src/db/moderators.rs).
CREATE TABLE doc_moderators (
    doc_id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    granted_by TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (doc_id, user_id)
);
