-- Traceable metrics of a concept's platforms, per month. Values are never overwritten: a
-- correction is a new row, so every value keeps who entered it, when and from which source, and
-- the values it replaced. The current value of a cell is its row with the highest seq; a NULL value
-- removes it. Bounds are enforced in server/src/metrics.rs and server/src/db/metrics.rs.
CREATE TABLE metric_imports (
    id TEXT PRIMARY KEY NOT NULL,
    concept_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    -- SHA-256 of the file as uploaded (hex): which file a value came from can be checked.
    sha256 TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    value_count BIGINT NOT NULL,
    imported_by TEXT,
    imported_at BIGINT NOT NULL
);
CREATE INDEX metric_imports_concept ON metric_imports(concept_id, imported_at);

CREATE TABLE metric_values (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    concept_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    platform_id TEXT NOT NULL,
    metric TEXT NOT NULL,
    -- YYYY-MM.
    month TEXT NOT NULL,
    -- Hundredths (kompromiss_shared::metrics::Amount); NULL: the value was removed.
    value BIGINT,
    source TEXT NOT NULL,
    import_id TEXT REFERENCES metric_imports(id) ON DELETE CASCADE,
    entered_by TEXT,
    entered_at BIGINT NOT NULL
);
CREATE INDEX metric_values_cell ON metric_values(concept_id, month, platform_id, metric, seq);
