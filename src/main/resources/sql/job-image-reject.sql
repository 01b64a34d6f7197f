UPDATE job_images SET status = 'rejected', reason = :reason WHERE job_id = :jobId AND object_key = :key
