UPDATE ingest_batches
SET last_object_at = :now, ready = (ready OR :ready), manifest = COALESCE(:manifest, manifest)
WHERE id = :id
