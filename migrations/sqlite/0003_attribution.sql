-- Who wrote what: the server records, for every change it stores, which person sent it, through
-- which channel and when, in the same transaction as the change itself.

-- One row per run of consecutive changes (by sequence number) of one Automerge actor that one
-- person sent through one channel and that were stored in one write. A change no row covers was
-- stored before attribution existed: its author is unknown.
CREATE TABLE change_authors (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    -- The Automerge actor id, lower-case hex.
    actor TEXT NOT NULL,
    first_seq BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    -- NULL only for changes the server made on nobody's behalf.
    user_id TEXT REFERENCES users(id),
    channel TEXT NOT NULL CHECK (channel IN ('session', 'token', 'server')),
    -- The API token's id when the channel is 'token'.
    token_id TEXT,
    at BIGINT NOT NULL,
    PRIMARY KEY (doc_id, actor, first_seq),
    CHECK (first_seq >= 1 AND last_seq >= first_seq)
);

-- An actor id belongs to the first person who sent changes with it; a change from anybody else
-- under that id is refused before it is applied.
CREATE TABLE actor_owners (
    actor TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    first_doc TEXT NOT NULL,
    at BIGINT NOT NULL
);
