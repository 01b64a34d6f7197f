-- Open batches that a marker or manifest made ready, or whose dataset has been quiet long enough.
SELECT id FROM ingest_batches
WHERE open_key IS NOT NULL AND (ready OR last_object_at < :quietBefore)
ORDER BY id
