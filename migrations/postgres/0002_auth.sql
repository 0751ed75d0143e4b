-- Sign-in, roles, per-document grants, API tokens and the audit log.

-- Who a user is at the sign-in provider; (issuer, subject) is unique. Development users have
-- issuer 'dev'. Groups are the claim values of the last sign-in, as a JSON array.
ALTER TABLE users ADD COLUMN issuer TEXT NOT NULL DEFAULT 'dev';
ALTER TABLE users ADD COLUMN subject TEXT;
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN groups TEXT NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN last_sign_in_at BIGINT;
UPDATE users SET subject = id WHERE subject IS NULL;
CREATE UNIQUE INDEX users_identity ON users(issuer, subject);
CREATE INDEX users_email ON users(email);

-- Sessions: idle expiry moves with last_seen_at; expires_at is absolute. The ID token is kept
-- (server-side only) as the hint for logging out at the provider.
ALTER TABLE sessions ADD COLUMN id_token TEXT;

-- Roles held directly (granted by an admin or the command line), beside roles from claims.
CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('member', 'editor', 'admin')),
    granted_by TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Claim group -> role, managed by admins (configuration mappings live in the config).
CREATE TABLE role_mappings (
    group_name TEXT PRIMARY KEY NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'editor', 'admin')),
    created_by TEXT,
    created_at BIGINT NOT NULL
);

-- Per-document grants; no foreign key: a document created by a sync client gets its row later.
CREATE TABLE doc_grants (
    doc_id TEXT NOT NULL,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('public', 'role', 'group', 'user')),
    subject TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('read', 'participate', 'edit', 'administer')),
    granted_by TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (doc_id, subject_kind, subject)
);

-- Personal API tokens, stored as SHA-256 hashes of the secret.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- Sign-ins in progress: the browser holds a random cookie, this row the state, nonce and PKCE verifier.
CREATE TABLE pending_logins (
    id_hash TEXT PRIMARY KEY NOT NULL,
    csrf_state TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    return_to TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Who did what: sign-ins, failures, role and grant changes, tokens, refused writes.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor_id TEXT,
    actor_name TEXT,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT
);
CREATE INDEX audit_log_action ON audit_log(action, id);

-- Bumped with every change to who may do what; servers poll it to re-check open connections.
CREATE TABLE authz_version (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO authz_version (id, version) VALUES (1, 0);
