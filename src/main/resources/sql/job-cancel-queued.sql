UPDATE jobs
SET status = 'canceled', cancel_requested = TRUE, finished_at = :now, error_message = 'canceled before it started'
WHERE id = :id AND status = 'queued'
