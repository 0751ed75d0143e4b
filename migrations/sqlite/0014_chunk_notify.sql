-- The embedded database serves one instance: nothing to announce (PostgreSQL's migration 0014
-- adds the trigger that tells other instances of stored chunks). Kept so that both backends
-- have the same number of migrations, which backups record as their schema version.
SELECT 1;
