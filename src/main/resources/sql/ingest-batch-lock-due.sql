SELECT * FROM ingest_batches WHERE id = :id AND open_key IS NOT NULL FOR UPDATE
