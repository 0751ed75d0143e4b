-- Compromise drafts: each is its own Automerge document (a fork of a concept, stored in
-- documents/doc_chunks like any document); what it is lives here. Bounds on counts and lengths
-- are enforced in server/src/db/drafts.rs and server/src/drafts.rs.
CREATE TABLE drafts (
    -- The draft's own document.
    id TEXT PRIMARY KEY NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    concept_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    reason TEXT NOT NULL,
    -- Section and platform ids the draft means to change, comma-separated; empty: the whole concept.
    scope TEXT NOT NULL DEFAULT '',
    -- The concept's heads the draft started from or last caught up with (hex, comma-separated):
    -- the draft's own changes are everything after them.
    base_heads TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'withdrawn', 'merged')),
    -- Passages both the draft and the concept changed, found at the last catch-up (JSON).
    conflicts TEXT NOT NULL DEFAULT '[]',
    -- A merge: the draft's heads that were taken, the concept's heads it produced, who and when.
    merged_from TEXT,
    merged_heads TEXT,
    merged_parts TEXT,
    merged_by TEXT,
    merged_at BIGINT,
    created_by TEXT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX drafts_concept ON drafts(concept_id, created_at);

-- Who may write a draft (its creator and the co-authors they invite).
CREATE TABLE draft_authors (
    draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    added_by TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (draft_id, user_id)
);
CREATE INDEX draft_authors_user ON draft_authors(user_id);

-- Versions of a document its editors named ("Fassung für den Landesparteirat 2026").
CREATE TABLE named_versions (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    heads TEXT NOT NULL,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (doc_id, id)
);
