SELECT * FROM ingest_objects WHERE batch_id = :id ORDER BY object_key
