-- The server's own names in the automerge-repo protocol, kept across restarts so that clients can
-- track what this server holds: its peer id and its storage id (both chosen once, at first start).
CREATE TABLE server_identity (
    name TEXT PRIMARY KEY NOT NULL CHECK (name IN ('peer_id', 'storage_id')),
    value TEXT NOT NULL
);
