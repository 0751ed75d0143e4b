-- Several instances on one database: every stored chunk is announced on the channel
-- `kompromiss_chunks` as "<document id> <seq>". PostgreSQL delivers the notification when the
-- inserting transaction commits (never for one rolled back), so an instance that hears of a
-- chunk can read it. Every path that stores chunks (sync, compaction, drafts, restore) notifies.
CREATE FUNCTION kompromiss_chunk_stored() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('kompromiss_chunks', NEW.doc_id || ' ' || NEW.seq);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER doc_chunks_stored AFTER INSERT ON doc_chunks
    FOR EACH ROW EXECUTE FUNCTION kompromiss_chunk_stored();
