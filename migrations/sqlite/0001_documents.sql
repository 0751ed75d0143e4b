-- Concept documents: metadata in SQL, content as Automerge chunks.
CREATE TABLE documents (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    template TEXT,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Automerge data: incremental change chunks and compacted snapshots, loaded in seq order.
CREATE TABLE doc_chunks (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('snapshot', 'incremental')),
    data BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (doc_id, seq)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    display_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Server-side sessions; the cookie carries a random token, the table only its hash.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
