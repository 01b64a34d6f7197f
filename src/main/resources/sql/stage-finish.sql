UPDATE job_stages
SET status = :status, finished_at = :now, duration_ms = :durationMs, details = :details
WHERE job_id = :jobId AND name = :name
