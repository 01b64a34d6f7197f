SELECT name FROM job_stages WHERE job_id = :jobId AND status = 'completed'
