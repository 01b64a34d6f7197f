-- A job taken over by an instance without its workspace starts its stages over.
DELETE FROM job_stages WHERE job_id = :jobId
