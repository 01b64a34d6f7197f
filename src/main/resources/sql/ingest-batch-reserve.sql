-- The REST API claims a dataset folder for a job before it uploads into it or reads from it.
INSERT INTO ingest_batches (bucket, dataset, open_key, source, opened_at, last_object_at, ready, job_id)
VALUES (:bucket, :dataset, NULL, 'api', :now, :now, TRUE, :jobId)
