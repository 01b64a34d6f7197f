-- Ends a running job, only for the worker that holds it: an instance that lost its lease (another one took the
-- job over) cannot end it. The worker is kept, so the job shows which instance ran it last.
UPDATE jobs
SET status = :status, progress = CASE WHEN :status = 'completed' THEN 100 ELSE progress END,
    finished_at = :now, error_type = :errorType, error_message = :errorMessage
WHERE id = :id AND status = 'running' AND worker = :worker
