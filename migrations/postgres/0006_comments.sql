-- Comments: threads on a passage of a concept's text (anchored by Automerge cursors, stored as the
-- JSON of `shared::anchor::Anchor`) or on a platform entry. They live here, not in the document:
-- withdrawn and hidden words must not stay in every reader's replica.
CREATE TABLE comment_threads (
    id TEXT PRIMARY KEY NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    -- 'passage' (with anchor) or 'platform' (with platform_id).
    target TEXT NOT NULL CHECK (target IN ('passage', 'platform')),
    anchor TEXT,
    platform_id TEXT,
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    resolved_by TEXT REFERENCES users(id),
    resolved_at BIGINT,
    CHECK ((target = 'passage' AND anchor IS NOT NULL) OR (target = 'platform' AND platform_id IS NOT NULL))
);
CREATE INDEX comment_threads_by_doc ON comment_threads (doc_id, created_at);

CREATE TABLE comments (
    id TEXT PRIMARY KEY NOT NULL,
    thread_id TEXT NOT NULL REFERENCES comment_threads(id) ON DELETE CASCADE,
    author_id TEXT NOT NULL REFERENCES users(id),
    -- Markdown as written; rendered through the sanitizer.
    body TEXT NOT NULL,
    -- On platform threads: 'for', 'against' or 'neutral'.
    stance TEXT CHECK (stance IS NULL OR stance IN ('for', 'against', 'neutral')),
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    -- Deleted by its author: the thread keeps a placeholder; the words stay for moderators.
    deleted_at BIGINT
);
CREATE INDEX comments_by_thread ON comments (thread_id, created_at);
CREATE INDEX comments_by_author ON comments (author_id, created_at);

-- Earlier wordings of edited comments, for moderators.
CREATE TABLE comment_revisions (
    comment_id TEXT NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    replaced_at BIGINT NOT NULL
);
CREATE INDEX comment_revisions_by_comment ON comment_revisions (comment_id, replaced_at);
