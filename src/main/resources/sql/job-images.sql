SELECT * FROM job_images WHERE job_id = :jobId ORDER BY seq, object_key
