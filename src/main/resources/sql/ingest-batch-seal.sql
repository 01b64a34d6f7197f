UPDATE ingest_batches SET open_key = NULL, ready = TRUE, job_id = :jobId WHERE id = :id
