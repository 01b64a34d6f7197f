-- Oldest first, so a key seen twice ends as its newest version.
SELECT * FROM ingest_objects WHERE batch_id = :id ORDER BY object_key, seen_at
