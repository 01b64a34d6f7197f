UPDATE jobs
SET status = :status, progress = CASE WHEN :status = 'completed' THEN 100 ELSE progress END,
    finished_at = :now, error_type = :errorType, error_message = :errorMessage, worker = NULL
WHERE id = :id AND status IN ('queued', 'running')
