SELECT * FROM job_stages WHERE job_id = :jobId ORDER BY started_at
