UPDATE ingest_objects SET batch_id = :batchId WHERE bucket = :bucket AND object_key = :key AND etag = :etag
