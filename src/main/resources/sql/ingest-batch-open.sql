INSERT INTO ingest_batches (bucket, dataset, open_key, source, opened_at, last_object_at)
VALUES (:bucket, :dataset, :dataset, 'watch', :now, :now)
ON CONFLICT DO NOTHING
