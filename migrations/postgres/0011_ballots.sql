-- Ballots on a concept: what is asked (options frozen at recorded versions), the counting rules,
-- who may vote (fixed at the opening), the period, and the result. Secret ballots keep the link
-- between a person and a choice out of every table: see docs/architecture.md ("Secret ballots").
-- Bounds on counts and lengths are enforced in server/src/db/ballots.rs and server/src/ballots.rs.
CREATE TABLE ballots (
    id TEXT PRIMARY KEY NOT NULL,
    concept_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('proposal', 'ranking', 'sections')),
    -- 1: nobody can link a person to a choice; 0: voters' names are shown with their choices.
    secret BIGINT NOT NULL CHECK (secret IN (0, 1)),
    -- 1: a voter may change their vote until the close (secret ballots: with their receipt).
    changeable BIGINT NOT NULL CHECK (changeable IN (0, 1)),
    -- How it is counted (JSON of kompromiss_shared::ballots::Spec).
    spec TEXT NOT NULL,
    -- What is voted on, frozen: drafts at versions, the concept's version, the parts (JSON).
    options TEXT NOT NULL,
    -- Who may vote, as the rule was given (JSON); the people it named are in ballot_voters.
    eligibility TEXT NOT NULL,
    eligible_count BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    opened_at BIGINT NOT NULL,
    -- NULL: closed by hand.
    closes_at BIGINT,
    created_by TEXT,
    closed_at BIGINT,
    closed_by TEXT,
    -- The count at the close (JSON of kompromiss_shared::ballots::Outcome).
    result TEXT,
    -- The decision carried into the concept: its version, by whom, when.
    merged_heads TEXT,
    merged_by TEXT,
    merged_at BIGINT
);
CREATE INDEX ballots_concept ON ballots(concept_id, opened_at);
CREATE INDEX ballots_closing ON ballots(status, closes_at);

-- Who may vote, fixed at the opening.
CREATE TABLE ballot_voters (
    ballot_id TEXT NOT NULL REFERENCES ballots(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    PRIMARY KEY (ballot_id, user_id)
);

-- Who has voted: one row per person and ballot, so a second vote is impossible by the key. No
-- time, no choice, no reference to a ballot paper.
CREATE TABLE ballot_participation (
    ballot_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (ballot_id, user_id),
    FOREIGN KEY (ballot_id, user_id) REFERENCES ballot_voters(ballot_id, user_id) ON DELETE CASCADE
);

-- Open ballots: who chose what (shown to the eligible).
CREATE TABLE ballot_open_choices (
    ballot_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    choice TEXT NOT NULL,
    PRIMARY KEY (ballot_id, user_id),
    FOREIGN KEY (ballot_id, user_id) REFERENCES ballot_participation(ballot_id, user_id) ON DELETE CASCADE
);

-- Secret ballots while voting: each ballot paper sealed (encrypted with the server's ballot key,
-- which is not in the database), under a keyed hash of its receipt; no person, no time.
CREATE TABLE ballot_sealed (
    ballot_id TEXT NOT NULL REFERENCES ballots(id) ON DELETE CASCADE,
    lookup TEXT NOT NULL,
    sealed TEXT NOT NULL,
    PRIMARY KEY (ballot_id, lookup)
);

-- Secret ballots after the close: the published list, written in one transaction in random
-- order (the sealed papers are deleted in the same transaction).
CREATE TABLE ballot_list (
    ballot_id TEXT NOT NULL REFERENCES ballots(id) ON DELETE CASCADE,
    receipt TEXT NOT NULL,
    choice TEXT NOT NULL,
    PRIMARY KEY (ballot_id, receipt)
);
