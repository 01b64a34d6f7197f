SELECT id FROM ingest_batches WHERE bucket = :bucket AND open_key = :dataset FOR UPDATE
