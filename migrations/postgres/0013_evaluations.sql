-- Yearly evaluations of a concept: the editors' summary and commentary per platform while it is
-- a draft; once presented to the party council it is frozen: its assembled content (decisions,
-- assessments, the year's metrics, changes and ballots, and the texts) is kept as a snapshot and
-- never changes. Bounds are enforced in server/src/evaluations.rs.
CREATE TABLE evaluations (
    concept_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    year BIGINT NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    summary TEXT NOT NULL,
    -- Counts edits (optimistic concurrency: an edit names the revision it was made on).
    revision BIGINT NOT NULL,
    updated_by TEXT,
    updated_at BIGINT NOT NULL,
    -- Set together when frozen.
    presented_on TEXT,
    presented_to TEXT,
    frozen_by TEXT,
    frozen_at BIGINT,
    -- JSON of kompromiss_shared::dto::evaluations::EvaluationView at the freeze.
    snapshot TEXT,
    PRIMARY KEY (concept_id, year)
);

CREATE TABLE evaluation_commentary (
    concept_id TEXT NOT NULL,
    year BIGINT NOT NULL,
    platform_id TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_by TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (concept_id, year, platform_id),
    FOREIGN KEY (concept_id, year) REFERENCES evaluations(concept_id, year) ON DELETE CASCADE
);
