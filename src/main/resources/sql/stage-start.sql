INSERT INTO job_stages (job_id, name, status, started_at) VALUES (:jobId, :name, 'running', :now)
