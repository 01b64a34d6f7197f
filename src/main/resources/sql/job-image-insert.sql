INSERT INTO job_images (job_id, object_key, etag, size_bytes, status, reason, seq)
VALUES (:jobId, :key, :etag, :size, :status, :reason, :seq)
